"""The event-type classifier at run time: TF-IDF features and a linear softmax model (numpy only).

The weights live in `tidings/data/events/model.npz`, written by `scripts/train_events.py`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from tidings.errors import E, TidingsError
from tidings.events.features import feature_counts

MODEL_FILE = "model.npz"
# The pseudo-class for text that reports no event (opinion, forecast, background, ...).
NO_EVENT = "none"


@dataclass(frozen=True)
class Model:
    classes: tuple[str, ...]
    index: dict[str, int]
    idf: np.ndarray  # (n_features,)
    weights: np.ndarray  # (n_features, n_classes)
    bias: np.ndarray  # (n_classes,)

    def vectorise(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and L2-normalised sublinear TF-IDF values of the known features."""
        pairs = [(self.index[f], 1.0 + math.log(c)) for f, c in feature_counts(text).items() if f in self.index]
        if not pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        cols = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
        vals = np.fromiter((p[1] for p in pairs), dtype=np.float32, count=len(pairs)) * self.idf[cols]
        norm = float(np.linalg.norm(vals))
        return cols, vals / norm if norm else vals

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


def load_model_file(path: object) -> Model:
    try:
        with np.load(path) as data:  # type: ignore[call-overload]
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
def _packaged_model() -> Model:
    ref = resources.files("tidings") / "data" / "events" / MODEL_FILE
    with resources.as_file(ref) as path:
        return load_model_file(path)


_OVERRIDE: list[Model] = []


def current_model() -> Model:
    """The model the `events` stage uses: the packaged one unless `using_model` replaced it."""
    return _OVERRIDE[-1] if _OVERRIDE else _packaged_model()


@contextmanager
def using_model(model: Model) -> Iterator[None]:
    """Run analyses with another model (cross-validation trains one per fold)."""
    _OVERRIDE.append(model)
    try:
        yield
    finally:
        _OVERRIDE.pop()
