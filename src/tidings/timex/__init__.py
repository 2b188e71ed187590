"""Time expressions: find them, type them and normalise them to TIMEX3 values against the
publication date (`find_timexes`), and infer a missing publication date (`infer_published`).
Pure Python; spaCy is optional (the `times` stage passes a parse-based tense cue)."""

from tidings.timex.find import Timex, find_timexes
from tidings.timex.published import PublishedGuess, infer_published
from tidings.timex.tense import Tense, TenseOf, text_tense_of

__all__ = ["PublishedGuess", "Tense", "TenseOf", "Timex", "find_timexes", "infer_published", "text_tense_of"]
