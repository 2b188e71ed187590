"""A tense cue from a spaCy parse: the tense of the verb that governs the time expression.

"said Tuesday" is past (the governing verb is "said") even when a later clause says "will";
"will meet on Friday" is future. When the parse gives no verb, the text cue decides.
"""

from __future__ import annotations

from typing import Any

from tidings.timex.tense import Tense, TenseOf, text_tense

# How many heads to climb from the expression to its verb; deeper chains are rare and usually
# a parse error.
MAX_HEAD_STEPS = 6

_FUTURE_AUX = frozenset({"will", "shall", "'ll", "’ll", "wo", "would"})
_FUTURE_GOVERNORS = frozenset({"going", "due", "set", "expected", "plan", "plans", "planned", "scheduled", "intend", "intends"})


def doc_tense_of(doc: Any, text: str) -> TenseOf:
    def tense_of(start: int, end: int) -> Tense:
        span = doc.char_span(start, end, alignment_mode="expand")
        verb = _governing_verb(span.root) if span is not None and len(span) else None
        return _verb_tense(verb) if verb is not None else text_tense(text, start, end)

    return tense_of


def _governing_verb(token: Any) -> Any:
    for _ in range(MAX_HEAD_STEPS):
        if token.pos_ in ("VERB", "AUX"):
            return token
        if token.head is token:
            return None
        token = token.head
    return None


def _verb_tense(verb: Any) -> Tense:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in _FUTURE_AUX for a in auxes):
        return "future"
    if any(a.lower_ == "to" for a in auxes) and verb.head is not verb and verb.head.lower_ in _FUTURE_GOVERNORS:
        return "future"
    if verb.tag_ in ("VBD", "VBN") or "Past" in verb.morph.get("Tense"):
        return "past"
    if verb.tag_ == "VBG" and any(a.lower_ in ("is", "are", "'s", "’s", "am") for a in auxes):
        return "future"  # "is meeting on Friday": the present progressive plans ahead
    return "present"
