"""Stage `nlp`: parse with spaCy (batched) and record sentences and named entities."""

from __future__ import annotations

from collections.abc import Sequence

from tidings.article import Article, Entity
from tidings.nlp import entities, load_nlp, sentences
from tidings.pipeline import Stage, register_stage


@register_stage
class NlpStage(Stage):
    name = "nlp"
    needs = ("text",)
    adds = ("doc", "sentences", "entities")

    def __call__(self, article: Article) -> Article:
        return self.process_batch([article])[0]

    def process_batch(self, articles: Sequence[Article]) -> list[Article]:
        nlp = load_nlp()
        docs = nlp.pipe([a.text for a in articles], batch_size=max(len(articles), 1))
        for article, doc in zip(articles, docs, strict=True):
            article.doc = doc
            article.sentences = [[s.start_char, s.end_char] for s in sentences(doc)]
            article.entities = [Entity(e.start_char, e.end_char, e.text, e.label_) for e in entities(doc)]
        return list(articles)
