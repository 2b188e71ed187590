"""A ledger gold corpus (tests/data/ledger/README.md): short articles whose annotations are given
by text snippets, with the gold identity of each event, entity, figure and claim mention.
`load_corpus` turns it into `Article`s with exact offsets and the gold clusterings."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from tidings.article import Article, Claim, Entity, Event, EventDate, Place, Quantity, Span
from tidings.errors import E, TidingsError

# ACLED sub-event type -> event type, for the sub-types the corpus uses (and the five extra ones).
EVENT_TYPES = {
    "Armed clash": "Battles",
    "Attack": "Violence against civilians",
    "Air/drone strike": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Peaceful protest": "Protests",
    "Natural disaster": "Security",
    "Man-made disaster": "Security",
    "Diplomatic event": "Diplomacy",
}
_KIND_CODES = {"city": ("P", "PPL"), "region": ("A", "ADM1"), "country": ("A", "PCLI")}


@dataclass
class GoldCorpus:
    articles: list[Article]
    events: dict[tuple[str, int], str] = field(default_factory=dict)
    entities: dict[tuple[str, int], str] = field(default_factory=dict)
    figures: dict[tuple[str, int], str] = field(default_factory=dict)
    claims: dict[tuple[str, int], str] = field(default_factory=dict)
    event_spans: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)
    entity_spans: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)
    figure_spans: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)
    claim_spans: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)

    def spans(self, kind: str) -> dict[tuple[str, int], tuple[int, int]]:
        """Gold mention -> its character span, for matching predicted mentions to it."""
        return {"event": self.event_spans, "entity": self.entity_spans, "figure": self.figure_spans, "claim": self.claim_spans}[kind]


def load_corpus(path: Path) -> GoldCorpus:
    corpus = GoldCorpus([])
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise TidingsError(E.E224, path=path, reason=f"line {n}: {err}") from err
        _add_record(corpus, path, record)
    return corpus


def find_snippet(text: str, snippet: str, path: Path, article: str) -> tuple[int, int]:
    """`"Kharkiv@2"` is the 2nd occurrence of "Kharkiv" (whole words)."""
    match = re.fullmatch(r"(.*?)(?:@(\d+))?", snippet, re.S)
    needle, nth = (match.group(1), int(match.group(2) or 1)) if match else (snippet, 1)
    hits = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", text)]
    if len(hits) < nth:
        raise TidingsError(E.E223, path=path, article=article, reason=f"'{needle}' occurs {len(hits)} times, wanted occurrence {nth}")
    start = hits[nth - 1]
    return start, start + len(needle)


def _add_record(corpus: GoldCorpus, path: Path, record: dict[str, Any]) -> None:
    try:
        aid, text = record["id"], record["text"]
    except KeyError as err:
        raise TidingsError(E.E224, path=path, reason=f"a record has no {err}") from err

    def at(snippet: str) -> tuple[int, int]:
        return find_snippet(text, snippet, path, aid)

    entities = []
    for snippet, label, gold in record.get("entities", []):
        s, e = at(snippet)
        entities.append(Entity(s, e, text[s:e], label))
        if gold != "-":
            corpus.entities[(aid, s)] = gold
            corpus.entity_spans[(aid, s)] = (s, e)
    places = [_place(p, at(p["text"]), text) for p in record.get("places", [])]
    place_index = {p["text"]: i for i, p in enumerate(record.get("places", []))}
    events = [_event(ev, at(ev["trigger"]), text, place_index) for ev in record.get("events", [])]
    quantities = [_quantity(q, at(q["text"]), text) for q in record.get("quantities", [])]
    claims = [_claim(c, at(c["text"]), text) for c in record.get("claims", [])]
    article = Article(
        text=text, external_id=aid, title=record.get("title"), published=record.get("published"), published_how="metadata",
        source=record.get("outlet"), entities=sorted(entities, key=lambda x: x.start), places=places, events=events,
        quantities=quantities, claims=claims,
    )
    corpus.articles.append(article)
    for i, ev in enumerate(record.get("events", [])):
        corpus.events[(article.id, i)] = ev["gold"]
        corpus.event_spans[(article.id, i)] = (events[i].trigger.start, events[i].trigger.end)
    corpus.figures |= {(article.id, i): q["gold"] for i, q in enumerate(record.get("quantities", []))}
    corpus.figure_spans |= {(article.id, i): (q.start, q.end) for i, q in enumerate(quantities)}
    corpus.claims |= {(article.id, i): c["gold"] for i, c in enumerate(record.get("claims", []))}
    corpus.claim_spans |= {(article.id, i): (c.content.start, c.content.end) for i, c in enumerate(claims)}
    _rekey(corpus, aid, article.id)


def _rekey(corpus: GoldCorpus, external: str, article_id: str) -> None:
    """Entity gold was keyed by the corpus id before the article id was known."""
    _rekey_table(corpus.entities, external, article_id)
    _rekey_table(corpus.entity_spans, external, article_id)


_Value = TypeVar("_Value")


def _rekey_table(table: dict[tuple[str, int], _Value], external: str, article_id: str) -> None:
    for key in [k for k in table if k[0] == external]:
        table[(article_id, key[1])] = table.pop(key)


def _place(p: dict[str, Any], span: tuple[int, int], text: str) -> Place:
    fclass, fcode = _KIND_CODES.get(p.get("kind", "city"), ("P", "PPL"))
    return Place(span[0], span[1], text[span[0] : span[1]], p["name"], None, p.get("lat"), p.get("lon"), p.get("cc"), fclass, fcode, None, p.get("kind"))


def _precision(value: str) -> str:
    return {10: "day", 7: "month", 4: "year"}.get(len(value), "week" if "W" in value else "day")


def _event(ev: dict[str, Any], span: tuple[int, int], text: str, places: dict[str, int]) -> Event:
    date = EventDate(ev["date"], _precision(ev["date"])) if ev.get("date") else None
    return Event(
        event_type=EVENT_TYPES.get(ev["sub"], "Security"), sub_event_type=ev["sub"], trigger=Span(span[0], span[1], text[span[0] : span[1]]),
        actors=list(ev.get("actors", [])), targets=list(ev.get("targets", [])), place=places.get(ev.get("place", "")), date=date,
        fatalities=ev.get("killed"), injured=ev.get("injured"), confidence=1.0, status=ev.get("status", "asserted"), attributed_to=ev.get("by"),
    )


def _quantity(q: dict[str, Any], span: tuple[int, int], text: str) -> Quantity:
    return Quantity(span[0], span[1], text[span[0] : span[1]], q.get("value"), q.get("low"), q.get("high"), q.get("q", "exact"), q.get("counted"))


def _claim(c: dict[str, Any], span: tuple[int, int], text: str) -> Claim:
    return Claim(Span(span[0], span[1], text[span[0] : span[1]]), c.get("claimant"), list(c.get("via", [])), c.get("status", "asserted"), None)
