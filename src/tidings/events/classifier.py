"""The event-type classifier at run time (numpy + onnxruntime, no sklearn, no torch).

Two linear softmax models whose probabilities are averaged: one on word and character n-gram
TF-IDF features (`model.npz`) and one on the sentence encoder's embeddings (`head.npz`). Both
are written by `scripts/train_events.py`.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from os import PathLike
from typing import TYPE_CHECKING

import numpy as np

from tidings.errors import E, TidingsError
from tidings.events.features import CHAR_GRAM_CACHE, char_grams, words_of

if TYPE_CHECKING:
    from tidings.events.encoder import Encoder

MODEL_FILE = "model.npz"
HEAD_FILE = "head.npz"
# Share of the embedding head in the averaged probabilities. 5-fold CV on the dev file (repo
# templates + 4 folds x3, seed 20241125), classifier alone: n-gram 0.645 weighted F1, head 0.672,
# average at 0.3 / 0.5 / 0.7 -> 0.710 / 0.723 / 0.711.
HEAD_WEIGHT = 0.5
# The encoder runs only on texts whose n-gram top probability is below this. Same CV protocol:
# always encoding 0.725; below 0.8 -> 0.725 (79% encoded), 0.4 -> 0.725 (37%), 0.3 -> 0.716 (27%).
ENCODE_BELOW = 0.4
# The pseudo-class for text that reports no event (opinion, forecast, background, ...).
NO_EVENT = "none"


@dataclass(frozen=True)
class Model:
    classes: tuple[str, ...]
    index: dict[str, int]
    idf: np.ndarray  # (n_features,)
    weights: np.ndarray  # (n_features, n_classes)
    bias: np.ndarray  # (n_classes,)

    # Known char n-gram columns of each word seen (the costliest part of `vectorise`), bounded.
    _word_columns: dict[str, list[int]] = field(default_factory=dict, compare=False, repr=False)

    def vectorise(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and L2-normalised sublinear TF-IDF values of the known features.

        The same features as `feature_counts` (what training reads), counted as columns in the
        same order, so the values and their order, hence the sums, are the same to the bit."""
        index = self.index
        words = words_of(text)
        columns = [index[f] for f in (f"w:{w}" for w in words) if f in index]
        columns += [index[f] for f in (f"b:{a} {b}" for a, b in itertools.pairwise(words)) if f in index]
        for word in words:
            columns += self._char_columns(word)
        pairs = [(col, 1.0 + math.log(c)) for col, c in Counter(columns).items()]
        if not pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        cols = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
        vals = np.fromiter((p[1] for p in pairs), dtype=np.float32, count=len(pairs)) * self.idf[cols]
        norm = float(np.linalg.norm(vals))
        return cols, vals / norm if norm else vals

    def _char_columns(self, word: str) -> list[int]:
        found = self._word_columns.get(word)
        if found is None:
            if len(self._word_columns) >= CHAR_GRAM_CACHE:
                self._word_columns.clear()
            index = self.index
            found = self._word_columns[word] = [index[f] for f in char_grams(word) if f in index]
        return found

    def probabilities(self, text: str) -> dict[str, float]:
        cols, vals = self.vectorise(text)
        scores = self.bias + (vals @ self.weights[cols] if len(cols) else 0.0)
        scores = np.exp(scores - scores.max())
        probs = scores / scores.sum()
        return {name: float(p) for name, p in zip(self.classes, probs, strict=True)}

    def save(self, path: str) -> None:
        vocab = "\n".join(sorted(self.index, key=self.index.__getitem__))
        np.savez_compressed(
            path,
            classes=np.frombuffer("\n".join(self.classes).encode(), dtype=np.uint8),
            vocab=np.frombuffer(vocab.encode(), dtype=np.uint8),
            idf=self.idf.astype(np.float32),
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
        )


def softmax(scores: np.ndarray) -> np.ndarray:
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return scores / scores.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class EmbeddingHead:
    """A linear softmax layer over the sentence encoder's unit vectors."""

    classes: tuple[str, ...]
    weights: np.ndarray  # (384, n_classes)
    bias: np.ndarray  # (n_classes,)

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        return softmax(embeddings @ self.weights + self.bias)

    def save(self, path: str) -> None:
        np.savez_compressed(
            path,
            classes=np.frombuffer("\n".join(self.classes).encode(), dtype=np.uint8),
            weights=self.weights.astype(np.float32),
            bias=self.bias.astype(np.float32),
        )


@dataclass(frozen=True)
class Classifier:
    """The n-gram model, and the embedding head when there is one, averaged.

    `encoder` is the sentence encoder the head was learnt on; None means the packaged one
    (cross-validation folds each bring their own fine-tuned encoder).
    """

    ngram: Model
    head: EmbeddingHead | None = None
    encoder: Encoder | None = None

    def embedder(self) -> Encoder:
        from tidings.events.encoder import packaged_encoder

        return self.encoder or packaged_encoder()

    def ngram_probabilities(self, text: str) -> dict[str, float]:
        return self.ngram.probabilities(text)

    def probabilities_many(self, texts: list[str]) -> list[dict[str, float]]:
        """Probabilities for each text; the encoder runs once over all of them (batched)."""
        ngram = [self.ngram.probabilities(t) for t in texts]
        unsure = [i for i, probs in enumerate(ngram) if max(probs.values()) < ENCODE_BELOW]
        if self.head is None or not unsure:
            return ngram
        head = self.head.probabilities(self.embedder().embed([texts[i] for i in unsure]))
        for i, row in zip(unsure, head, strict=True):
            ngram[i] = {c: (1 - HEAD_WEIGHT) * ngram[i][c] + HEAD_WEIGHT * float(row[j]) for j, c in enumerate(self.head.classes)}
        return ngram


def load_head_file(path: str | PathLike[str]) -> EmbeddingHead:
    try:
        with np.load(path) as data:
            return EmbeddingHead(
                classes=tuple(bytes(data["classes"]).decode().split("\n")),
                weights=data["weights"].astype(np.float32),
                bias=data["bias"].astype(np.float32),
            )
    except (OSError, KeyError, ValueError) as err:
        raise TidingsError(E.E190, path=str(path), reason=str(err)) from err


def load_model_file(path: str | PathLike[str]) -> Model:
    try:
        with np.load(path) as data:
            classes = tuple(bytes(data["classes"]).decode().split("\n"))
            vocab = bytes(data["vocab"]).decode().split("\n")
            return Model(
                classes=classes,
                index={f: i for i, f in enumerate(vocab)},
                idf=data["idf"].astype(np.float32),
                weights=data["weights"].astype(np.float32),
                bias=data["bias"].astype(np.float32),
            )
    except (OSError, KeyError, ValueError) as err:
        raise TidingsError(E.E190, path=str(path), reason=str(err)) from err


@lru_cache(maxsize=1)
def _packaged_classifier() -> Classifier:
    folder = resources.files("tidings") / "data" / "events"
    with resources.as_file(folder / MODEL_FILE) as path:
        ngram = load_model_file(path)
    with resources.as_file(folder / HEAD_FILE) as path:
        head = load_head_file(path)
    if head.classes != ngram.classes:
        raise TidingsError(E.E190, path=str(folder), reason="model.npz and head.npz were trained on different classes")
    return Classifier(ngram, head)


_OVERRIDE: list[Classifier] = []


def current_classifier() -> Classifier:
    """The classifier the `events` stage uses: the packaged one unless `using_model` replaced it."""
    return _OVERRIDE[-1] if _OVERRIDE else _packaged_classifier()


# The name the events stage has used since before the embedding head.
current_model = current_classifier


@contextmanager
def using_model(model: Classifier) -> Iterator[None]:
    """Run analyses with another model (cross-validation trains one per fold)."""
    _OVERRIDE.append(model)
    try:
        yield
    finally:
        _OVERRIDE.pop()
