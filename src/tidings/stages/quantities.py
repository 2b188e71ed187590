"""Stage `quantities`: figures with hedge, unit, counted thing and role (see tidings.figures)."""

from __future__ import annotations

from typing import Any

from tidings.article import Article
from tidings.figures import find_figures
from tidings.pipeline import Stage, register_stage


@register_stage
class QuantitiesStage(Stage):
    name = "quantities"
    needs = ("doc",)
    adds = ("quantities",)

    def __call__(self, article: Article) -> Article:
        article.quantities = find_figures(article.text, pos=parts_of_speech(article.doc), skip_spans=time_spans(article))
        return article


def parts_of_speech(doc: Any) -> dict[int, str]:
    """Word start offset -> spaCy's coarse part of speech; empty when there is no parse."""
    if doc is None:
        return {}
    return {token.idx: token.pos_ for token in doc if not token.is_space}


def time_spans(article: Article) -> list[tuple[int, int]]:
    """Dates, clock times and durations found by the `times` stage, if it ran: not figures."""
    return [(t.start, t.end) for t in article.times]
