"""What the ledger takes from one analysed article: its events, named things, figures and claims,
each with the context needed to match it against other articles. Pure: Article in, records out."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from tidings.article import Article, Event, Place, Quantity
from tidings.ledger.dates import Interval, interval_of, published_window
from tidings.ledger.names import fold, name_key
from tidings.titles import TITLE_WORDS

# How many days before its article's publication day an event dated that day may have happened.
# Pipeline-mode event CoNLL F1 on tests/data/ledger by value: 0: 0.706, 1: 0.791, 2-3: 0.818,
# 5: 0.791, 7: 0.757 (7 also merges two strikes on one city 8 days apart in annotated mode).
PUBLICATION_DAY_LAG_DAYS = 3
# EventDate precision meaning "reported on that day, happened then or in the few days before" (the
# events stage gives it to an event whose sentence states no date): no date the source stated, so it
# allows the same window as an undated event's publication day.
REPORTED_BY_PRECISION = "days"
# Place precision -> how far (km) two mentions of one event may lie apart. Set by hand from the
# size of the unit (a city ~20 km across, a region a few hundred km, a country ~1000 km).
RADIUS_KM_BY_KIND = {"city": 25.0, "district": 60.0, "region": 250.0, "country": 900.0, "unknown": 60.0}


@dataclass(frozen=True)
class ArticleInfo:
    article_id: str
    published: str | None
    outlet: str
    title: str | None
    agency: str | None = None
    syndicate: str | None = None


@dataclass(frozen=True)
class PlaceRef:
    name: str
    lat: float | None
    lon: float | None
    country_code: str | None
    kind: str

    @property
    def radius_km(self) -> float:
        return RADIUS_KM_BY_KIND.get(self.kind, RADIUS_KM_BY_KIND["unknown"])


@dataclass(frozen=True)
class EventMention:
    article_id: str
    idx: int
    event_type: str
    sub_event_type: str
    trigger: str
    start: int
    end: int
    sentence: str
    interval: Interval | None
    date_value: str | None
    place: PlaceRef | None
    actors: tuple[str, ...]
    targets: tuple[str, ...]
    fatalities: int | None
    injured: int | None
    status: str
    attributed_to: str | None
    agency: str | None = None
    sentence_start: int = -1
    # Countries of the places the article names: where to look for the event when its own place is unknown.
    article_countries: tuple[str, ...] = ()


@dataclass(frozen=True)
class FigureMention:
    article_id: str
    idx: int
    text: str
    start: int
    end: int
    counted: str
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    unit: str | None
    source: str | None
    status: str
    sentence: str
    context_words: tuple[str, ...] = field(default_factory=tuple)
    agency: str | None = None


@dataclass(frozen=True)
class ClaimMention:
    article_id: str
    idx: int
    text: str
    start: int
    end: int
    claimant: str | None
    via: tuple[str, ...]
    status: str
    agency: str | None = None


def sentence_bounds(article: Article) -> list[tuple[int, int]]:
    if article.sentences:
        return [(s[0], s[1]) for s in article.sentences]
    return [(m.start(), m.end()) for m in re.finditer(r"[^.!?\n]+[.!?]*", article.text)]


def sentence_at(article: Article, bounds: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    starts = [b[0] for b in bounds]
    i = bisect.bisect_right(starts, offset) - 1
    if 0 <= i < len(bounds) and bounds[i][0] <= offset <= bounds[i][1]:
        return bounds[i]
    return (max(0, offset - 150), min(len(article.text), offset + 150))


def place_kind(place: Place) -> str:
    code = (place.feature_code or "").upper()
    kind = (place.kind or "").lower()
    if code.startswith("PCL") or kind == "country":
        return "country"
    if code == "ADM1" or kind in ("region", "admin1", "state", "province", "oblast"):
        return "region"
    if code.startswith("ADM") or kind in ("district", "admin2"):
        return "district"
    if (place.feature_class or "").upper() == "P" or kind in ("city", "town", "village", "locality"):
        return "city"
    return "unknown"


def place_ref(place: Place) -> PlaceRef:
    return PlaceRef(place.name or place.text, place.lat, place.lon, place.country_code, place_kind(place))


def event_mentions(article: Article, info: ArticleInfo) -> list[EventMention]:
    bounds = sentence_bounds(article)
    countries = article_countries(article)
    return [replace(_event_mention(article, info, bounds, i, ev), article_countries=countries) for i, ev in enumerate(article.events)]


def article_countries(article: Article) -> tuple[str, ...]:
    """The countries of the article's resolved places, in order of first mention, each once."""
    return tuple(dict.fromkeys(p.country_code.upper() for p in article.places if p.country_code))


def _event_mention(article: Article, info: ArticleInfo, bounds: list[tuple[int, int]], idx: int, ev: Event) -> EventMention:
    place = article.places[ev.place] if ev.place is not None and 0 <= ev.place < len(article.places) else None
    s, e = sentence_at(article, bounds, ev.trigger.start)
    stated = ev.date if ev.date and ev.date.precision != REPORTED_BY_PRECISION else None
    interval = interval_of(stated.value) if stated else None
    return EventMention(
        article_id=info.article_id,
        idx=idx,
        event_type=ev.event_type,
        sub_event_type=ev.sub_event_type,
        trigger=ev.trigger.text,
        start=ev.trigger.start,
        end=ev.trigger.end,
        sentence=article.text[s:e].strip(),
        interval=_event_interval(interval, _reported_on(ev, info.published)),
        date_value=stated.value if stated and interval else None,
        place=place_ref(place) if place else None,
        actors=tuple(ev.actors),
        targets=tuple(ev.targets),
        fatalities=ev.fatalities,
        injured=ev.injured,
        status=ev.status,
        attributed_to=ev.attributed_to,
        agency=agency_in(article.text[s:e]) or info.agency,
        sentence_start=s,
    )


def _reported_on(ev: Event, published: str | None) -> str | None:
    """The day an event was reported by: the date of a "days" date (the events stage's publication
    fallback), else the article's publication date."""
    if ev.date and ev.date.precision == REPORTED_BY_PRECISION and interval_of(ev.date.value[:10]) is not None:
        return ev.date.value[:10]
    return published


def _event_interval(stated: Interval | None, published: str | None) -> Interval | None:
    """What an event's date allows. A date that is the publication day is often the day the
    report was made, not the day of the event ("killed 19, officials said on Sunday"), so it is
    read as the last PUBLICATION_DAY_LAG_DAYS days up to it."""
    if stated is None:
        return published_window(published)
    if published and stated.days == 1 and stated.lo.isoformat() == published[:10]:
        return Interval(stated.lo - timedelta(days=PUBLICATION_DAY_LAG_DAYS), stated.hi)
    return stated


def figure_mentions(article: Article, info: ArticleInfo) -> list[FigureMention]:
    bounds = sentence_bounds(article)
    speakers = _speaker_spans(article)
    spans = [(q.start, q.end) for q in article.quantities]
    out = []
    for i, q in enumerate(article.quantities):
        if (q.event is not None and q.role in ("killed", "injured")) or not q.counted:
            continue  # event tolls are compared as event fields; an uncounted number has no identity
        if any(s <= q.start and q.end <= e and (s, e) != (q.start, q.end) for s, e in spans):
            continue  # a part of a larger figure ("about 3,000" in "five units of about 3,000 each")
        s, e = sentence_at(article, bounds, q.start)
        out.append(_figure_mention(article, info, i, q, (s, e), speakers))
    return out


def _figure_mention(article: Article, info: ArticleInfo, idx: int, q: Quantity, sent: tuple[int, int], speakers: list[tuple[int, int, str]]) -> FigureMention:
    claim = article.claims[q.claim] if q.claim is not None and 0 <= q.claim < len(article.claims) else None
    source = claim.claimant if claim else _speaker_covering(speakers, q.start)
    sentence = article.text[sent[0] : sent[1]]
    context = tuple(sorted({fold(e.text) for e in article.entities if sent[0] <= e.start < sent[1] and e.label in ("NORP", "GPE")}))
    return FigureMention(
        article_id=info.article_id,
        idx=idx,
        text=q.text,
        start=q.start,
        end=q.end,
        counted=q.counted or "",
        value=q.value,
        low=q.low,
        high=q.high,
        qualifier=q.qualifier,
        unit=q.unit,
        source=source or _source_in_sentence(sentence),
        status=claim.status if claim else "asserted",
        sentence=sentence.strip(),
        context_words=context,
        agency=agency_in(sentence) or info.agency,
    )


def _speaker_spans(article: Article) -> list[tuple[int, int, str]]:
    spans = []
    for quote in article.quotes:
        name = quote.speaker_name or (quote.speaker.text if quote.speaker else None)
        if name:
            spans.append((quote.content.start, quote.content.end, name))
    return spans


def _speaker_covering(spans: list[tuple[int, int, str]], offset: int) -> str | None:
    return next((name for start, end, name in spans if start <= offset < end), None)


_ACCORDING = re.compile(r"\baccording to (?:an? |the )?([A-Z][\w.-]*(?: [A-Z][\w.-]*){0,5})")
_SAID_BY = re.compile(r"\b((?:the )?[A-Z][\w.-]*(?: [A-Z][\w.-]*){0,6}) (?:said|says|estimated|reported|claimed)\b")


def _source_in_sentence(sentence: str) -> str | None:
    """Who a figure is attributed to when no quote or claim covers it: "according to X", "X said"."""
    for pattern in (_ACCORDING, _SAID_BY):
        match = pattern.search(sentence)
        if match:
            return match.group(1).removeprefix("the ")
    return None


def claim_mentions(article: Article, info: ArticleInfo) -> list[ClaimMention]:
    bounds = sentence_bounds(article)
    out = []
    for i, c in enumerate(article.claims):
        s, e = sentence_at(article, bounds, c.content.start)
        out.append(ClaimMention(info.article_id, i, c.content.text, c.content.start, c.content.end, c.claimant, tuple(c.via), c.status, agency_in(article.text[s:e]) or info.agency))
    return out


# Wire agencies and broadcasters whose reports other outlets relay: two articles citing one of them
# for a fact are one source, not two.
AGENCIES = {
    "reuters": "Reuters", "ap": "AP", "associated press": "AP", "afp": "AFP", "agence france presse": "AFP",
    "yonhap": "Yonhap", "xinhua": "Xinhua", "tass": "TASS", "interfax": "Interfax", "ria novosti": "RIA Novosti",
    "ukrinform": "Ukrinform", "anadolu": "Anadolu", "dpa": "dpa", "efe": "EFE", "ansa": "ANSA", "kyodo": "Kyodo",
    "kbs": "KBS", "bbc": "BBC", "cnn": "CNN", "al jazeera": "Al Jazeera", "kcna": "KCNA", "unian": "UNIAN",
}
_AGENCY_NAMES = "|".join(sorted((re.escape(k) for k in AGENCIES), key=len, reverse=True))
_AGENCY_CITE = re.compile(
    rf"(?:\b(?:told|to|by|according to|cited by|quoted by|said|reported|reports|via)\s+(?:the\s+)?(?:broadcaster\s+|news agency\s+)?({_AGENCY_NAMES})\b)"
    rf"|(?:\b({_AGENCY_NAMES})\s+(?:reported|reports|said|news agency|quoted))"
    rf"|(?:^\W*\(?({_AGENCY_NAMES})\)?\s+[-\u2013\u2014])",
    re.IGNORECASE | re.MULTILINE,
)


def agency_in(text: str) -> str | None:
    """The agency a passage relays ("..., Reuters reported", "told KBS", "(AP) -"); None if none."""
    match = _AGENCY_CITE.search(text)
    if not match:
        return None
    name = next(g for g in match.groups() if g)
    return AGENCIES[fold(name)]


def article_agency(article: Article) -> str | None:
    """The agency an article as a whole comes from: its outlet, or a dateline credit in its lead."""
    if article.source and fold(article.source) in AGENCIES:
        return AGENCIES[fold(article.source)]
    lead = article.text[: min(article.body_end, 200)]
    match = re.search(rf"^\W*[A-Z][A-Za-z ,]*\(({_AGENCY_NAMES})\)\s*[-\u2013\u2014]", lead, re.MULTILINE | re.IGNORECASE)
    return AGENCIES[fold(match.group(1))] if match else None


def role_before(article: Article, start: int) -> str | None:
    """The title just before a name ("Defense Minister" in "Defense Minister Rustem Umerov"), not
    reaching back over a sentence end ("Tuesday. Prime Minister") but over "Gov." and "Gen."."""
    window = article.text[max(0, start - 60) : start]
    words = re.findall(r"[A-Za-z][\w.'-]*", re.split(r"\n|(?<=[a-z]{4})[.!?] |[;:] ", window)[-1])
    role: list[str] = []
    for word in reversed(words):
        bare = fold(word)
        if bare in TITLE_WORDS or (role and word[:1].isupper() and bare not in ("the", "a")):
            role.insert(0, word)
        else:
            break
    while role and fold(role[0]) not in TITLE_WORDS and not role[0][:1].isupper():
        role.pop(0)
    return " ".join(role) if role and any(fold(w) in TITLE_WORDS for w in role) else None


def day_of(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def shift(day: date, days: int) -> date:
    return day + timedelta(days=days)


def entity_key(text: str) -> str:
    return name_key(text)
