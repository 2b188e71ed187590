"""Scoring the ledger on a gold corpus: the clustering of event, entity, figure and claim mentions
against the gold identities, with MUC, B-cubed, CEAF-e and CoNLL F1.

Two modes: `annotated` runs the ledger on the corpus's hand annotations (it measures the ledger
alone); `pipeline` runs the same analysis users get (tidings.analyze) on the corpus texts and
then the ledger, matching predicted mentions to gold ones by span.
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import replace
from pathlib import Path
from typing import Any

from tidings.analyze import analyze_articles
from tidings.article import Article
from tidings.ledger import update
from tidings.ledger.corpus import GoldCorpus, load_corpus
from tidings.ledger.scoring import all_scores
from tidings.store import Store

MODES = ("annotated", "pipeline")


def evaluate(gold_path: Path, mode: str = "annotated") -> dict[str, Any]:
    corpus = load_corpus(gold_path)
    articles = corpus.articles if mode == "annotated" else _analysed(corpus.articles)
    started = time.perf_counter()
    links = _ledger_links(articles)
    seconds = time.perf_counter() - started
    if mode != "annotated":
        links = _align(links, corpus, articles)
    scores: dict[str, Any] = {"articles": len(articles), "ledger_seconds": round(seconds, 3)}
    for kind, gold in (("event", corpus.events), ("entity", corpus.entities), ("figure", corpus.figures), ("claim", corpus.claims)):
        if gold:
            scores |= all_scores(_clusters(gold), _clusters({k: v for k, v in links[kind].items() if k in gold}), prefix=f"{kind}_")
            scores[f"{kind}_gold_clusters"] = len(set(gold.values()))
    return scores


def _analysed(articles: list[Article]) -> list[Article]:
    fresh = [Article(text=a.text, external_id=a.external_id, title=a.title, published=a.published, published_how="metadata") for a in articles]
    done = list(analyze_articles(fresh))
    return [replace(d, source=a.source) for d, a in zip(done, articles, strict=True)]


def _ledger_links(articles: list[Article]) -> dict[str, dict[tuple[str, int], int]]:
    """Run the ledger in a scratch store; (article_id, idx or start) -> record id, per kind."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "ledger.duckdb")
        store.add_articles(articles)
        update(store)
        rows = store.query("SELECT kind, article_id, idx, start_char, end_char, record_id FROM ledger_links")
    links: dict[str, dict[tuple[str, int], int]] = defaultdict(dict)
    spans: dict[str, dict[tuple[str, int], tuple[int, int]]] = defaultdict(dict)
    for row in rows:
        key = (row["article_id"], row["start_char"] if row["kind"] == "entity" else row["idx"])
        links[row["kind"]][key] = row["record_id"]
        spans[row["kind"]][key] = (row["start_char"], row["end_char"])
    links["_event_spans"] = {k: hash(v) for k, v in spans["event"].items()}
    _SPANS.clear()
    _SPANS.update(spans)
    return links


_SPANS: dict[str, dict[tuple[str, int], tuple[int, int]]] = {}


def _align(links: dict[str, dict[tuple[str, int], int]], corpus: GoldCorpus, articles: list[Article]) -> dict[str, dict[tuple[str, int], int]]:
    """Map predicted event and entity mentions onto gold ones that their spans overlap."""
    out: dict[str, dict[tuple[str, int], int]] = defaultdict(dict)
    for kind, gold_spans in (("event", corpus.event_spans), ("entity", corpus.entity_spans)):
        by_article: dict[str, list[tuple[tuple[int, int], int]]] = defaultdict(list)
        for key, record in links[kind].items():
            by_article[key[0]].append((_SPANS[kind][key], record))
        for gkey, (gs, ge) in gold_spans.items():
            hits = [rec for (s, e), rec in by_article.get(gkey[0], []) if s < ge and gs < e]
            if hits:
                out[kind][gkey] = hits[0]
    return out


def _clusters(assignment: dict[tuple[str, int], Hashable]) -> list[list[tuple[str, int]]]:
    groups: dict[Hashable, list[tuple[str, int]]] = defaultdict(list)
    for mention, cluster in assignment.items():
        groups[cluster].append(mention)
    return list(groups.values())
