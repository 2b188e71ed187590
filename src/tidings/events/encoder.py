"""The sentence encoder at run time: a quantised MiniLM in ONNX (onnxruntime + tokenizers only).

The files in `tidings/data/events/encoder/` are built by `scripts/build_encoder.py`; the graph
does the mean pooling and L2 normalisation, so `embed` returns unit vectors (384 floats).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from tidings.errors import E, TidingsError

# Tokens kept per text: news sentences and CASE snippets are far shorter; longer text costs
# quadratic attention time for little gain (the encoder was trained on 128-token pieces).
MAX_TOKENS = 128
# onnxruntime threads. Measured on 150 CASE snippets on a shared 2-core machine, spinning off:
# 1 thread 0.92 CPU-s (1.04 s wall), 2 threads 1.07 CPU-s (1.21 s wall): one is enough for
# texts this short; set TIDINGS_ENCODER_THREADS for long batches on an idle machine.
THREADS = int(os.environ.get("TIDINGS_ENCODER_THREADS", "1"))
DIM = 384


class Encoder:
    def __init__(self, session: object, tokenizer: object, source: str = "") -> None:
        self._session = session
        self._tokenizer = tokenizer
        self.source = source  # the folder it was read from: names it in caches and errors

    @classmethod
    def from_dir(cls, folder: Path) -> Encoder:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer

            options = ort.SessionOptions()
            options.intra_op_num_threads = THREADS
            options.inter_op_num_threads = 1
            # Idle worker threads spin by default, burning CPU that other work on the machine needs.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            session = ort.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except ImportError as err:
            raise TidingsError(E.E193, path=str(folder), reason=f"{err.name} is not installed") from err
        except Exception as err:  # onnxruntime and tokenizers raise their own exception types
            raise TidingsError(E.E193, path=str(folder), reason=str(err)) from err
        tokenizer.enable_truncation(MAX_TOKENS)
        return cls(session, tokenizer, str(folder.resolve()))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 384) float32 unit vectors."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        # Cut long text before tokenising: a token is rarely longer than a dozen characters.
        encoded = self._tokenizer.encode_batch([t[: MAX_TOKENS * 12] for t in texts])  # type: ignore[attr-defined]
        # One text per call: int8 dynamic quantisation scales activations over the whole input
        # tensor, so padding a batch shifted vectors (cosine 0.984 to the same text alone) and made
        # a sentence's type depend on its neighbours. Measured: the same CPU time as batches of 32.
        for i, item in enumerate(encoded):
            ids = np.asarray([item.ids], dtype=np.int64)
            (vectors,) = self._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})  # type: ignore[attr-defined]
            out[i] = vectors[0]
        return out


@lru_cache(maxsize=1)
def packaged_encoder() -> Encoder:
    ref = resources.files("tidings") / "data" / "events" / "encoder"
    with resources.as_file(ref) as folder:
        return Encoder.from_dir(Path(folder))
