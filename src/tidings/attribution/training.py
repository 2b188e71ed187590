"""Training the attribution-cue model (`learned`) from gold attributions: scikit-learn, dev only.

Used by `scripts/train_attribution.py` (the shipped model) and by the `quotes` scorer's
cross-validation (`run_eval("quotes", gold, cv=5)`), so both learn the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from tidings.attribution.extract import Attribution, Paragraphs, find_rule_attributions
from tidings.attribution.learned import (
    CueModel,
    Refiners,
    candidates,
    features,
    learned_attributions,
    using_model,
)
from tidings.attribution.refine import END_SLACK, cut_ends, cut_features, cut_points, keep_features
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


def _best_gold(att: Attribution, gold: Sequence[Piece]) -> Piece | None:
    scored = [(_overlap(g, att.content), g) for g in gold]
    best = max(scored, default=(0.0, None))
    return best[1] if best[0] > 0 else None


def labelled_cuts(doc: Any, attributions: Sequence[Attribution], gold: Sequence[Piece]) -> tuple[list[list[str]], list[int]]:
    """Features and labels of the breaks in contents that overlap a gold content: a break is
    positive where that gold content ends; breaks after it are never reached and left out."""
    rows, labels = [], []
    for att in attributions:
        target = _best_gold(att, gold)
        if att.kind == "direct" or len(att.fragments) > 1 or target is None:
            continue
        end = target[1] if abs(target[1] - att.content[1]) > END_SLACK else None
        for n, (token, cut) in enumerate(cut_points(doc, att)):
            if end is not None and cut[1] > end + END_SLACK:
                break
            rows.append(cut_features(doc, att, token, cut, n))
            labels.append(int(end is not None and abs(cut[1] - end) <= END_SLACK))
    return rows, labels


def labelled_keeps(doc: Any, rules: Sequence[Attribution], added: Sequence[Attribution], gold: Sequence[Piece]) -> tuple[list[list[str]], list[int]]:
    """Features of every attribution; positive when one of its pieces half-overlaps a gold content."""
    rows, labels = [], []
    for att, from_rules in [*((a, True) for a in rules), *((a, False) for a in added)]:
        rows.append(keep_features(doc, att, from_rules))
        labels.append(int(any(_overlap(g, p) >= HALF for p in att.fragments for g in gold)))
    return rows, labels


def _fit_or_none(rows: Sequence[list[str]], labels: Sequence[int], c: float) -> CueModel | None:
    """A model, or None where the examples hold one class only (too little training text)."""
    return train_model(rows, labels, c) if len(set(labels)) == 2 else None


def train_refiners(docs: Sequence[Any], golds: Sequence[Sequence[dict[str, Any]]], cue_model: CueModel, c: float = REGULARISATION_C) -> Refiners:
    """The end model from what the rules and `cue_model` find in `docs`, then the keep model from
    those attributions with the learned ends (the order they run in)."""
    found = []
    with using_model(cue_model):
        for doc in docs:
            rules = find_rule_attributions(doc)
            found.append((rules, learned_attributions(doc, rules)))
    pieces = [[p for q in gold for p in gold_pieces(q)] for gold in golds]
    cut_rows: list[list[str]] = []
    cut_labels: list[int] = []
    for doc, (rules, added), gold in zip(docs, found, pieces, strict=True):
        rows, labels = labelled_cuts(doc, [*rules, *added], gold)
        cut_rows += rows
        cut_labels += labels
    ends = _fit_or_none(cut_rows, cut_labels, c)
    keep_rows: list[list[str]] = []
    keep_labels: list[int] = []
    for doc, (rules, added), gold in zip(docs, found, pieces, strict=True):
        if ends is not None:
            cut_ends(doc, [*rules, *added], ends)
        rows, labels = labelled_keeps(doc, rules, added, gold)
        keep_rows += rows
        keep_labels += labels
    return Refiners(ends, _fit_or_none(keep_rows, keep_labels, c))
