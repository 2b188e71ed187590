"""Learning the event-type classifier (needs scikit-learn, a dev dependency).

Used by scripts/train_events.py for the shipped model and by the `events` eval for
cross-validation folds, so that both learn exactly the same way.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tidings.errors import E, TidingsError
from tidings.events.classifier import Classifier, EmbeddingHead, Model
from tidings.events.encoder import DIM, Encoder, packaged_encoder
from tidings.events.features import feature_counts

# Features seen in fewer snippets than this are dropped: keeps the model small (measured: min_df 2
# loses nothing on the cross-validated dev score against 1 and halves the vocabulary).
MIN_DF = 2
# Inverse regularisation strength of the logistic regression; 10 was best of {1, 3, 10, 30} on the
# cross-validated dev score.
C = 10.0
# Inverse regularisation of the embedding head; 1 was best of {1, 3, 10, 30} for the averaged
# classifier on the cross-validated dev score (0.723 vs 0.719, 0.706, 0.696).
HEAD_C = 1.0
# Seed of the dev file's cross-validation folds (the eval and scripts/finetune_encoder.py).
CV_SEED = 20241125
# Vectors already computed, per encoder and text: cross-validation re-learns on the same sentences.
_EMBEDDED: dict[str, dict[str, np.ndarray]] = {}


def read_jsonl(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def training_rows(folder: Path) -> list[tuple[str, str]]:
    """(text, sub_event_type) pairs from every training/events/*.jsonl file."""
    rows = [(r["text"], r["sub_event_type"]) for f in sorted(folder.glob("*.jsonl")) for r in read_jsonl(f)]
    if not rows:
        raise TidingsError(E.E191, path=str(folder))
    return rows


def train(texts: Sequence[str], labels: Sequence[str], c: float = C) -> Model:
    try:
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression
    except ImportError as err:
        raise TidingsError(E.E050, feature="training the event classifier", extra="dev") from err
    counted = [feature_counts(t) for t in texts]
    df = Counter(f for counts in counted for f in counts)
    vocab = sorted(f for f, n in df.items() if n >= MIN_DF)
    index = {f: i for i, f in enumerate(vocab)}
    idf = np.array([math.log((1 + len(texts)) / (1 + df[f])) + 1.0 for f in vocab], dtype=np.float32)
    rows, cols, vals = [], [], []
    for r, counts in enumerate(counted):
        for f, n in counts.items():
            if f in index:
                rows.append(r)
                cols.append(index[f])
                vals.append((1.0 + math.log(n)) * idf[index[f]])
    matrix = csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab)), dtype=np.float32)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1))).ravel()
    norms[norms == 0] = 1.0
    matrix = csr_matrix(matrix.multiply(1.0 / norms[:, None]))
    clf = LogisticRegression(C=c, max_iter=2000)
    clf.fit(matrix, list(labels))
    return Model(
        classes=tuple(str(c) for c in clf.classes_),
        index=index,
        idf=idf,
        weights=clf.coef_.T.astype(np.float32),
        bias=clf.intercept_.astype(np.float32),
    )


def embed(texts: Sequence[str], encoder: Encoder | None = None) -> np.ndarray:
    """Vectors of `encoder` (the packaged one by default), remembered per encoder and text."""
    encoder = encoder or packaged_encoder()
    known = _EMBEDDED.setdefault(encoder.source, {})
    missing = list(dict.fromkeys(t for t in texts if t not in known))
    for text, vector in zip(missing, encoder.embed(missing), strict=True):
        known[text] = vector
    return np.vstack([known[t] for t in texts]) if texts else np.zeros((0, DIM), dtype=np.float32)


def train_head(embeddings: np.ndarray, labels: Sequence[str], c: float = HEAD_C) -> EmbeddingHead:
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError as err:
        raise TidingsError(E.E050, feature="training the event classifier", extra="dev") from err
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(embeddings, list(labels))
    return EmbeddingHead(
        classes=tuple(str(c) for c in clf.classes_),
        weights=clf.coef_.T.astype(np.float32),
        bias=clf.intercept_.astype(np.float32),
    )


def train_classifier(texts: Sequence[str], labels: Sequence[str], encoder: Encoder | None = None) -> Classifier:
    """Both models on the same sentences (what the shipped classifier and each CV fold learn);
    the head on `encoder`'s vectors (the packaged encoder when None)."""
    return Classifier(train(texts, labels), train_head(embed(texts, encoder), labels), encoder)


def stratified_folds(rows: Sequence[dict[str, Any]], k: int) -> list[int]:
    """Fold number of each row: per label, shuffled with CV_SEED and dealt round the k folds."""
    rng = random.Random(CV_SEED)
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_label[row["sub_event_type"]].append(i)
    fold = [0] * len(rows)
    offset = 0
    for label in sorted(by_label):
        ids = by_label[label]
        rng.shuffle(ids)
        for j, i in enumerate(ids):
            fold[i] = (offset + j) % k
        offset += len(ids)
    return fold
