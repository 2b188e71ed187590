"""Stage `times`: find time expressions and resolve them against the publication date.

Without a published date the stage tries to infer one from the text (dated caption plus
weekday references that agree); failing that, relative expressions stay unresolved (value
null) and warning W002 says so. Today's date is never used.
"""

from __future__ import annotations

import re
from datetime import date

from tidings.article import Article, TimeExpr
from tidings.errors import E, TidingsError, W, warn
from tidings.pipeline import Stage, register_stage
from tidings.timex import find_timexes, infer_published, text_tense_of
from tidings.timex.doc_tense import doc_tense_of
from tidings.timex.tense import TenseOf

_ISO_DAY = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ][\d:.+\-Z]*)?\s*$")


def parse_published(value: str | None) -> date | None:
    """The calendar day of an ISO date or datetime string; E014 when it is not one."""
    if value is None or not str(value).strip():
        return None
    match = _ISO_DAY.match(str(value))
    try:
        if match is None:
            raise ValueError(value)
        return date.fromisoformat(match.group(1))
    except ValueError as err:
        raise TidingsError(E.E014, value=value, what="the publication date") from err


@register_stage
class TimesStage(Stage):
    name = "times"
    needs = ("text",)
    adds = ("times",)

    def __call__(self, article: Article) -> Article:
        anchor = parse_published(article.published)
        tense_of = _tense_of(article)
        if anchor is None:
            anchor = _infer_anchor(article, tense_of)
        found = find_timexes(article.text, anchor, tense_of)
        article.times = [TimeExpr(t.start, t.end, t.text, t.type, t.value, t.mod, t.resolved) for t in found]  # type: ignore[arg-type]
        if anchor is None and any(not t.resolved for t in found):
            warn(W.W002, title=article.title or article.id)
        return article


def _tense_of(article: Article) -> TenseOf:
    if article.doc is not None:
        return doc_tense_of(article.doc, article.text)
    return text_tense_of(article.text)


def _infer_anchor(article: Article, tense_of: TenseOf) -> date | None:
    captions = [(c.start, c.end) for c in article.captions] or None
    guess = infer_published(article.text, captions, tense_of)
    if guess is None:
        return None
    article.published = guess.date.isoformat()
    article.published_how = "inferred"
    article.published_evidence = guess.evidence
    return guess.date
