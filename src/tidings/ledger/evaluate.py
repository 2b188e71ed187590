"""Scoring the ledger on a gold corpus: the clustering of event, entity, figure and claim mentions
against the gold identities, with MUC, B-cubed, CEAF-e and CoNLL F1.

Two modes: `annotated` runs the ledger on the corpus's hand annotations (it measures the ledger
alone); `pipeline` runs the same analysis users get (tidings.analyze) on the corpus texts and
then the ledger, matching predicted mentions to gold ones by span: a predicted mention stands for
the gold one its span overlaps; an event with no overlapping trigger stands for the gold event of
its sentence whose trigger is nearest (one clause, two outlets' word for what happened: "struck"
in the gold, "bomb" in the prediction). A gold mention nothing matches counts as missed.
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tidings.analyze import analyze_articles
from tidings.article import Article
from tidings.ledger import update
from tidings.ledger.corpus import load_corpus
from tidings.ledger.mentions import sentence_at, sentence_bounds
from tidings.ledger.scoring import all_scores
from tidings.store import Store

MODES = ("annotated", "pipeline")
KINDS = ("event", "entity", "figure", "claim")

MentionKey = tuple[str, int]


@dataclass(frozen=True)
class Predicted:
    """One ledger link: the record a mention joined and the span it was read from."""

    record_id: int
    start: int
    end: int


def evaluate(gold_path: Path, mode: str = "annotated") -> dict[str, Any]:
    corpus = load_corpus(gold_path)
    articles = corpus.articles if mode == "annotated" else analysed(corpus.articles)
    started = time.perf_counter()
    links = ledger_links(articles)
    seconds = time.perf_counter() - started
    scores: dict[str, Any] = {"articles": len(articles), "ledger_seconds": round(seconds, 3)}
    for kind, gold in (("event", corpus.events), ("entity", corpus.entities), ("figure", corpus.figures), ("claim", corpus.claims)):
        if not gold:
            continue
        if mode == "annotated":
            response = {key: p.record_id for key, p in links[kind].items() if key in gold}
        else:
            response = align(links[kind], corpus.spans(kind), articles if kind == "event" else None)
        scores |= all_scores(clusters(gold), clusters(response), prefix=f"{kind}_")
        scores[f"{kind}_gold_clusters"] = len(set(gold.values()))
        scores[f"{kind}_matched"] = len(response) / len(gold)
    return scores


def analysed(articles: list[Article]) -> list[Article]:
    fresh = [Article(text=a.text, external_id=a.external_id, title=a.title, published=a.published, published_how="metadata") for a in articles]
    done = list(analyze_articles(fresh))
    return [replace(d, source=a.source) for d, a in zip(done, articles, strict=True)]


def ledger_links(articles: list[Article]) -> dict[str, dict[MentionKey, Predicted]]:
    """Run the ledger in a scratch store; per kind, (article_id, idx or start) -> its link."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "ledger.duckdb")
        store.add_articles(articles)
        update(store)
        rows = store.query("SELECT kind, article_id, idx, start_char, end_char, record_id FROM ledger_links")
    links: dict[str, dict[MentionKey, Predicted]] = defaultdict(dict)
    for row in rows:
        key = (row["article_id"], row["start_char"] if row["kind"] == "entity" else row["idx"])
        links[row["kind"]][key] = Predicted(int(row["record_id"]), row["start_char"], row["end_char"])
    return links


def align(predicted: dict[MentionKey, Predicted], gold_spans: dict[MentionKey, tuple[int, int]], articles: list[Article] | None = None) -> dict[MentionKey, int]:
    """Gold mention -> record of the predicted mention standing for it (see the module doc)."""
    by_article: dict[str, list[Predicted]] = defaultdict(list)
    for (article_id, _), link in sorted(predicted.items()):
        by_article[article_id].append(link)
    out: dict[MentionKey, int] = {}
    for gkey, (gs, ge) in gold_spans.items():
        hits = [p for p in by_article.get(gkey[0], []) if p.start < ge and gs < p.end]
        if hits:
            out[gkey] = hits[0].record_id
    if articles is not None:
        out |= _same_sentence(by_article, {k: v for k, v in gold_spans.items() if k not in out}, {a.id: a for a in articles})
    return out


def _same_sentence(by_article: dict[str, list[Predicted]], unmatched: dict[MentionKey, tuple[int, int]], articles: dict[str, Article]) -> dict[MentionKey, int]:
    out: dict[MentionKey, int] = {}
    for gkey, (gs, _) in unmatched.items():
        article = articles.get(gkey[0])
        if article is None:
            continue
        sentence = sentence_at(article, sentence_bounds(article), gs)
        near = [p for p in by_article.get(gkey[0], []) if sentence[0] <= p.start < sentence[1]]
        if near:
            out[gkey] = min(near, key=lambda p: abs(p.start - gs)).record_id
    return out


def clusters(assignment: Mapping[MentionKey, Hashable]) -> list[list[MentionKey]]:
    groups: dict[Hashable, list[MentionKey]] = defaultdict(list)
    for mention, cluster in assignment.items():
        groups[cluster].append(mention)
    return list(groups.values())
