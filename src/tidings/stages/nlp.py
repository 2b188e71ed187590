"""Stage `nlp`: parse with spaCy (batched) and record sentences and named entities."""

from __future__ import annotations

from collections.abc import Sequence

from tidings.article import Article, Entity
from tidings.nlp import entities, load_nlp, sentences
from tidings.pipeline import Stage, register_stage

# Texts spaCy parses at once. Its arrays for a batch (120-160 MB for 16 bench articles, as much
# with stock `spacy.load`) stay with the worker after the batch: glibc keeps the freed pages. A
# 1,000-article ingest, 2 workers, pipeline batches of 12, two runs each: parsing them 12 at a
# time, user CPU 167 / 156 s and the largest worker's peak RSS 551 / 552 MB; 6 at a time, 162 /
# 160 s and 470 / 473 MB; 4 at a time cost 13% more CPU.
NLP_BATCH = 6


@register_stage
class NlpStage(Stage):
    name = "nlp"
    needs = ("text",)
    adds = ("doc", "sentences", "entities")

    def __call__(self, article: Article) -> Article:
        return self.process_batch([article])[0]

    def process_batch(self, articles: Sequence[Article]) -> list[Article]:
        nlp = load_nlp()
        docs = nlp.pipe([a.text for a in articles], batch_size=NLP_BATCH)
        for article, doc in zip(articles, docs, strict=True):
            article.doc = doc
            article.sentences = [[s.start_char, s.end_char] for s in sentences(doc)]
            article.entities = [Entity(e.start_char, e.end_char, e.text, e.label_) for e in entities(doc)]
        return list(articles)
