"""Stage `claims`: every attribution and every reporting sentence as a claim with a status."""

from __future__ import annotations

from tidings.article import Article
from tidings.attribution.status import claims_of
from tidings.pipeline import Stage, register_stage


@register_stage
class ClaimsStage(Stage):
    name = "claims"
    needs = ("quotes",)
    adds = ("claims",)

    def __call__(self, article: Article) -> Article:
        # The status rules read the parse; without one (no `nlp` stage) there is nothing to judge.
        if article.doc is not None:
            article.claims = claims_of(article.doc, article.quotes)
        return article
