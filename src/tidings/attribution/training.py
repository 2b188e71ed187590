"""Training the attribution-cue model (`learned`) from gold attributions: scikit-learn, dev only.

Used by `scripts/train_attribution.py` (the shipped model) and by the `quotes` scorer's
cross-validation (`run_eval("quotes", gold, cv=5)`), so both learn the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from tidings.attribution.extract import Paragraphs, find_rule_attributions
from tidings.attribution.learned import CueModel, candidates, features
from tidings.errors import E, TidingsError

Piece = tuple[int, int]
# Inverse regularisation strength of the logistic model. 5-fold document CV on the PolNeAR dev
# file (complement candidates only, threshold 0.4): C = 0.1 / 0.3 / 1.0 gave held-out overlap F1
# 0.683 / 0.687 / 0.681.
REGULARISATION_C = 0.3
# Share of characters a candidate must share with a gold content (of the longer of the two) to be
# a positive example: the scorer's own half-overlap rule.
HALF = 0.5


def _overlap(a: Piece, b: Piece) -> float:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return max(shared, 0) / max(a[1] - a[0], b[1] - b[0], 1)


def gold_pieces(quote: dict[str, Any]) -> list[Piece]:
    frags = quote.get("content_fragments") or []
    if frags:
        return [(int(s), int(e)) for s, e in frags]
    return [(quote["content"]["start"], quote["content"]["end"])]


def labelled_candidates(doc: Any, gold: Sequence[dict[str, Any]]) -> tuple[list[list[str]], list[int]]:
    """Features and labels of one document's candidates. A candidate is positive when it
    half-overlaps a gold content that no rule attribution already matches."""
    found = find_rule_attributions(doc)
    taken = [f for a in found for f in (a.fragments or [a.content])]
    missed = [g for q in gold for g in gold_pieces(q) if not any(_overlap(g, t) >= HALF for t in taken)]
    rows, labels = [], []
    for cand in candidates(doc, found, Paragraphs(doc)):
        rows.append(features(doc, cand, found))
        labels.append(int(any(_overlap(cand.content, g) >= HALF for g in missed)))
    return rows, labels


def train_model(rows: Sequence[list[str]], labels: Sequence[int], c: float = REGULARISATION_C) -> CueModel:
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError as err:  # scikit-learn is a dev-only dependency
        raise TidingsError(E.E050, feature="training the attribution cue model", extra="dev") from err
    if not rows or len(set(labels)) < 2:
        raise TidingsError(E.E121, name="training data", value=len(rows), reason="need positive and negative candidates")
    index: dict[str, int] = {}
    for row in rows:
        for name in row:
            index.setdefault(name, len(index))
    x = _binary_matrix(rows, index)
    clf = LogisticRegression(C=c, max_iter=2000, solver="liblinear", random_state=0)
    clf.fit(x, np.asarray(labels))
    weights = clf.coef_[0].astype(np.float32)
    keep = np.flatnonzero(np.abs(weights) > 1e-4)
    names = sorted(index, key=index.__getitem__)
    return CueModel({names[i]: n for n, i in enumerate(keep)}, weights[keep], float(clf.intercept_[0]))


def _binary_matrix(rows: Sequence[list[str]], index: dict[str, int]) -> Any:
    from scipy.sparse import csr_matrix

    cols = [index[n] for row in rows for n in row if n in index]
    indptr = np.cumsum([0, *(sum(n in index for n in row) for row in rows)])
    data = np.ones(len(cols), dtype=np.float32)
    return csr_matrix((data, cols, indptr), shape=(len(rows), len(index)))
