"""Incremental ledger build: each article not yet in the ledger is read once, and each of its
mentions is compared only with the records its blocking keys find (same weeks and area for
events, same name keys for entities, same counted thing and months for figures, similar words
for claims)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urlparse

from tidings.article import Article
from tidings.ledger import claim_rules, entity_rules, event_rules, figure_rules, overflow
from tidings.ledger.db import Columns, LedgerDB, Link, Lookup
from tidings.ledger.mentions import (
    ArticleInfo,
    ClaimMention,
    EventMention,
    FigureMention,
    article_agency,
    claim_mentions,
    event_mentions,
    figure_mentions,
    sentence_at,
    sentence_bounds,
)
from tidings.ledger.names import name_key, place_key
from tidings.ledger.sources import (
    SYNDICATION_JACCARD,
    band_keys,
    identity_keys,
    minhash,
    shingles,
    similarity,
)

# Articles per transaction: one commit per batch keeps the write lock short (see tidings.store).
# The ingest's commit batch (tidings.api.COMMIT_BATCH) merges as one ledger batch of this size.
UPDATE_BATCH = 96


@dataclass
class UpdateReport:
    articles: int = 0
    events: int = 0
    entities: int = 0
    figures: int = 0
    claims: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in self.__dict__.items()}


def outlet_of(article: Article) -> str:
    if article.source:
        return article.source
    if article.url:
        return urlparse(article.url).netloc.removeprefix("www.") or article.url
    return f"article:{article.id}"


@dataclass
class Prepared:
    """One article's mentions, read before the batch touches the store, with their lookup keys."""

    article: Article
    signature: list[int]
    bands: list[str]
    entities: list[entity_rules.LocalEntity]
    events: list[EventMention]
    figures: list[FigureMention]
    claims: list[ClaimMention]

    # Each mention's lookup, made once: the batch's prefetch ranks the candidates of these very
    # lookups, and a mention's `find` takes them (LedgerDB._prefetched).
    @cached_property
    def entity_lookups(self) -> list[Lookup]:
        return [entity_lookup(local) for local in self.entities]

    @cached_property
    def event_lookups(self) -> list[Lookup]:
        return [event_lookup(m) for m in self.events]

    @cached_property
    def figure_lookups(self) -> list[Lookup]:
        return [figure_lookup(m, self.article.published) for m in self.figures]

    @cached_property
    def claim_lookups(self) -> list[Lookup]:
        return [claim_lookup(m) for m in self.claims]

    def lookups(self) -> list[Lookup]:
        """Every lookup the article's mentions will make."""
        return [*self.entity_lookups, *self.event_lookups, *self.figure_lookups, *self.claim_lookups]


def entity_lookup(local: entity_rules.LocalEntity) -> Lookup:
    return Lookup("entity", frozenset(entity_rules.lookup_keys(local)), frozenset(entity_rules.storage_keys(local)))


def event_lookup(m: EventMention) -> Lookup:
    fitter = event_rules.record_fitter(m)

    def fit(cols: Columns) -> float:
        return fitter(cols.label, cols.name, cols.date_lo, cols.date_hi)

    return Lookup("event", frozenset(event_rules.lookup_keys(m)), frozenset(event_rules.storage_keys(m)), fit)


def figure_lookup(m: FigureMention, published: str | None) -> Lookup:
    return Lookup("figure", frozenset(figure_rules.lookup_keys(m, published)), frozenset(figure_rules.storage_keys(m, published)))


def claim_lookup(m: ClaimMention) -> Lookup:
    keys = frozenset(claim_rules.keys(m))
    return Lookup("claim", keys, keys)


def prepare(article: Article) -> Prepared:
    """The pure part of adding an article: its mentions, found without the store."""
    signature = minhash(shingles(article.text[: article.body_end]))
    info = ArticleInfo(article.id, article.published, outlet_of(article), article.title, article_agency(article), article.id)
    return Prepared(
        article, signature, band_keys(signature, "syn"), entity_rules.local_entities(article),
        event_mentions(article, info), figure_mentions(article, info), claim_mentions(article, info),
    )


class LedgerWriter:
    """Adds analysed articles to the ledger tables through one open write connection, a batch at
    a time: every blocking key of the batch is read first, then the articles are resolved in
    order in memory (a later article finds what an earlier one added), then written at once."""

    def __init__(self, db: LedgerDB, report: UpdateReport | None = None) -> None:
        self.db = db
        self.report = report or UpdateReport()
        # record id -> (its doc, that doc's mentions parsed): a record the batch meets again is
        # not parsed again (parsing candidates' mentions was a fifth of the events' cost).
        self._parsed: dict[int, tuple[dict[str, Any], list[EventMention]]] = {}

    def add(self, article: Article) -> None:
        self.add_batch([article])

    def add_batch(self, articles: Sequence[Article]) -> None:
        prepared = [prepare(a) for a in articles]
        self.db.prefetch_bands({b for p in prepared for b in p.bands})
        self.db.prefetch(keys for p in prepared for keys in p.lookups())
        for item in prepared:
            self._add(item)
        self.db.flush()

    def _add(self, item: Prepared) -> None:
        article = item.article
        info = self._article_info(item)
        entity_spans = self._add_entities(article, info, list(zip(item.entities, item.entity_lookups, strict=True)))
        place_keys = _place_spans(article)
        self._add_events(article, info, list(zip(item.events, item.event_lookups, strict=True)), entity_spans, place_keys)
        self._add_figures(article, info, list(zip(item.figures, item.figure_lookups, strict=True)), entity_spans, place_keys)
        self._add_claims(article, info, list(zip(item.claims, item.claim_lookups, strict=True)), entity_spans, place_keys)
        self.report.articles += 1

    # -- articles and syndication ----------------------------------------------------------------
    def _article_info(self, item: Prepared) -> ArticleInfo:
        article, signature = item.article, item.signature
        syndicate = article.id
        for other_id, other in sorted(self.db.articles_by_band(item.bands).items()):
            if other_id != article.id and similarity(signature, other["signature"]) >= SYNDICATION_JACCARD:
                syndicate = other["syndicate"] or other_id
                break
        info = ArticleInfo(article.id, article.published, outlet_of(article), article.title, article_agency(article), syndicate)
        self.db.add_article(article.id, self._info_dict(info), signature, item.bands)
        return info

    @staticmethod
    def _info_dict(info: ArticleInfo) -> dict[str, Any]:
        return {"outlet": info.outlet, "published": info.published, "syndicate": info.syndicate, "agency": info.agency}

    # -- entities --------------------------------------------------------------------------------
    def _add_entities(self, article: Article, info: ArticleInfo, locals_: list[tuple[entity_rules.LocalEntity, Lookup]]) -> list[tuple[int, int, int]]:
        """Resolve the article's entities; returns (start, end, entity_id) for every mention."""
        spans = []
        for local, lookup in locals_:
            candidates = self.db.find(lookup)
            record_id, score = entity_rules.best_record(local, candidates)
            if record_id is None:
                record_id = self.db.new_id()
                record = entity_rules.absorb(entity_rules.new_record(record_id, local), local, 1.0, info.published)
                self.db.insert(record_id, "entity", record, _entity_columns(record))
                self.report.entities += 1
            else:
                record = entity_rules.absorb(candidates[record_id], local, score, info.published)
                self.db.replace(record_id, record, _entity_columns(record))
            self.db.add_keys(record_id, entity_rules.storage_keys(local))
            self.db.add_links(record_id, "entity", [Link(article.id, i, s, e, t) for i, (s, e, t) in enumerate(local.spans)])
            spans += [(s, e, record_id) for s, e, _ in local.spans]
        return spans

    # -- events ----------------------------------------------------------------------------------
    def _add_events(self, article: Article, info: ArticleInfo, found: list[tuple[EventMention, Lookup]], entity_spans: list[tuple[int, int, int]], place_keys: list[tuple[int, int, str]]) -> None:
        bounds = sentence_bounds(article)
        heads = event_rules.casualty_heads([m for m, _ in found])
        record_of: dict[int, int] = {}
        for mention, lookup in sorted(found, key=lambda pair: pair[0].idx in heads):  # the events first, then their tolls
            head_record = record_of.get(heads.get(mention.idx, -1))
            candidates = self.db.get([head_record]) if head_record is not None else self.db.find(lookup)
            members = {rid: self._members(rid, doc) for rid, doc in candidates.items()}
            record_id = head_record if head_record is not None else event_rules.best_cluster(mention, members)[0]
            existing = candidates[record_id]["mentions"] if record_id is not None else []
            if record_id is None:
                record_id = self.db.new_id()
                self.report.events += 1
            infos = {m["article_id"]: m for m in existing} | {article.id: self._info_dict(info)}
            kept = members.get(record_id, [])
            if event_rules.repeats(mention, kept):
                doc, all_mentions = candidates[record_id], kept
                kept_keys = (k for m in kept for k in event_rules.source_keys(m, infos))
                overflow.count_repeat(doc, article.id, event_rules.source_keys(mention, infos), (m.article_id for m in kept), kept_keys)
            else:
                all_mentions = [*kept, mention]
                doc = overflow.carry_tally(candidates.get(record_id), event_rules.summarise(record_id, all_mentions, infos))
            cols = Columns(doc["sub_event_type"], (doc["place"] or {}).get("name"), *(_date_pair(doc)), doc["status"] == "contested", doc["n_sources"])
            self._save(record_id, "event", doc, cols, is_new=not existing)
            self._parsed[record_id] = (doc, all_mentions)
            record_of[mention.idx] = record_id
            sent = sentence_at(article, bounds, mention.start)
            keys = event_rules.storage_keys(mention) | _context_keys(sent, entity_spans, place_keys)
            if mention.place:
                keys.add(f"pl|{place_key(mention.place.name)}")
            self.db.add_keys(record_id, keys)
            self.db.add_links(record_id, "event", [Link(article.id, mention.idx, mention.start, mention.end, mention.trigger)])

    def _members(self, record_id: int, doc: dict[str, Any]) -> list[EventMention]:
        parsed = self._parsed.get(record_id)
        if parsed is None or parsed[0] is not doc:
            parsed = (doc, [event_rules.mention_from_json(m) for m in doc["mentions"]])
            self._parsed[record_id] = parsed
        return parsed[1]

    def _save(self, record_id: int, kind: str, doc: dict[str, Any], cols: Columns, is_new: bool) -> None:
        if is_new:
            self.db.insert(record_id, kind, doc, cols)
        else:
            doc["kind"] = kind
            self.db.replace(record_id, doc, cols)

    # -- figures ---------------------------------------------------------------------------------
    def _add_figures(self, article: Article, info: ArticleInfo, found: list[tuple[FigureMention, Lookup]], entity_spans: list[tuple[int, int, int]], place_keys: list[tuple[int, int, str]]) -> None:
        bounds = sentence_bounds(article)
        for mention, lookup in found:
            candidates = self.db.find(lookup)
            scored = sorted(((figure_rules.match_score(mention, doc), rid) for rid, doc in candidates.items()), reverse=True)
            is_new = not scored or scored[0][0] <= 0.0
            record_id = self.db.new_id() if is_new else scored[0][1]
            record = figure_rules.new_record(record_id, mention) if is_new else candidates[record_id]
            if not is_new and figure_rules.repeats(mention, record):
                name = figure_rules.source_name(mention.source, info.outlet, article.id)
                overflow.count_repeat(record, article.id, [name], (v["article_id"] for v in record["values"]), record["sources"])
            else:
                record = overflow.carry_tally(record, figure_rules.absorb(record, mention, self._info_dict(info)))
            self.report.figures += is_new
            dates = sorted(v["published"][:10] for v in record["values"] if v.get("published"))
            cols = Columns(record["head"], record["topic"], dates[0] if dates else None, dates[-1] if dates else None, record["contested"], record["n_sources"])
            self._save(record_id, "figure", record, cols, is_new)
            sent = sentence_at(article, bounds, mention.start)
            self.db.add_keys(record_id, figure_rules.storage_keys(mention, info.published) | _context_keys(sent, entity_spans, place_keys))
            self.db.add_links(record_id, "figure", [Link(article.id, mention.idx, mention.start, mention.end, mention.text)])

    # -- claims ----------------------------------------------------------------------------------
    def _add_claims(self, article: Article, info: ArticleInfo, found: list[tuple[ClaimMention, Lookup]], entity_spans: list[tuple[int, int, int]], place_keys: list[tuple[int, int, str]]) -> None:
        for mention, lookup in found:
            candidates = self.db.find(lookup)
            scored = sorted(((claim_rules.match_score(mention, doc), rid) for rid, doc in candidates.items()), reverse=True)
            is_new = not scored or scored[0][0] < claim_rules.CLAIM_SIMILARITY
            record_id = self.db.new_id() if is_new else scored[0][1]
            record = claim_rules.new_record(record_id, mention) if is_new else candidates[record_id]
            if not is_new and claim_rules.repeats(mention, record):
                report = {"article_id": article.id, "outlet": info.outlet, "agency": mention.agency, "syndicate": info.syndicate}
                kept_keys = (k for v in record["mentions"] for k in identity_keys(v))
                overflow.count_repeat(record, article.id, identity_keys(report), (v["article_id"] for v in record["mentions"]), kept_keys)
            else:
                record = overflow.carry_tally(record, claim_rules.absorb(record, mention, self._info_dict(info)))
            self.report.claims += is_new
            dates = sorted(v["published"][:10] for v in record["mentions"] if v.get("published"))
            cols = Columns(record["status"], record["text"], dates[0] if dates else None, dates[-1] if dates else None, record["contested"], record["n_sources"])
            self._save(record_id, "claim", record, cols, is_new)
            span = (mention.start, mention.end)
            who = {f"who|{rid}" for s, e, rid in entity_spans if s >= span[0] and e <= span[1]}
            who |= _claimant_keys(mention.claimant, article, entity_spans)
            self.db.add_keys(record_id, lookup.keys | who | _context_keys(span, [], place_keys))
            self.db.add_links(record_id, "claim", [Link(article.id, mention.idx, mention.start, mention.end, mention.text)])


def _date_pair(doc: dict[str, Any]) -> tuple[str | None, str | None]:
    date = doc.get("date") or {}
    return date.get("lo"), date.get("hi")


def _entity_columns(record: dict[str, Any]) -> Columns:
    return Columns(record["label"], record["name"], None, None, False, record["articles"])


def _place_spans(article: Article) -> list[tuple[int, int, str]]:
    return [(p.start, p.end, place_key(p.name or p.text)) for p in article.places]


def _context_keys(span: tuple[int, int], entity_spans: list[tuple[int, int, int]], place_spans: list[tuple[int, int, str]]) -> set[str]:
    """Timeline keys: the ledger entities and places named in the passage a record was read from."""
    start, end = span
    keys = {f"who|{rid}" for s, e, rid in entity_spans if s >= start and e <= end}
    return keys | {f"pl|{key}" for s, e, key in place_spans if s >= start and e <= end}


def _claimant_keys(claimant: str | None, article: Article, entity_spans: list[tuple[int, int, int]]) -> set[str]:
    if not claimant:
        return set()
    key = name_key(claimant)
    return {f"who|{rid}" for s, e, rid in entity_spans if name_key(article.text[s:e]) in (key, key.split()[-1] if key else key)}


def update_articles(db: LedgerDB, articles: Sequence[Article], report: UpdateReport | None = None) -> UpdateReport:
    writer = LedgerWriter(db, report)
    writer.add_batch(articles)
    return writer.report


Progress = Callable[[UpdateReport], None]


def now() -> float:
    return time.perf_counter()
