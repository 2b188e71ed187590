"""Stage `quotes`: direct, indirect and mixed attributions with resolved speakers."""

from __future__ import annotations

from tidings.article import Article
from tidings.attribution import quotes_of
from tidings.pipeline import Stage, register_stage


@register_stage
class QuotesStage(Stage):
    name = "quotes"
    needs = ("doc", "sentences", "entities")
    adds = ("quotes",)

    def __call__(self, article: Article) -> Article:
        # Without a parse (a caller that skipped `nlp`) there is nothing to attribute from.
        if article.doc is not None:
            article.quotes = quotes_of(article.doc)
        return article
