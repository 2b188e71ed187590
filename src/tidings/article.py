"""The document model: one `Article` owns its text; every annotation is a typed record
with character offsets into `Article.text`.

Records are plain dataclasses so that an article round-trips losslessly through JSON
(`Article.to_dict` / `Article.from_dict`). The spaCy `Doc` made by the `nlp` stage is kept
on the article while it is processed (`Article.doc`) but is never serialised.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

PublishedHow = Literal["metadata", "option", "inferred", "unknown"]
ParagraphKind = Literal["body", "caption"]
QuoteKind = Literal["direct", "indirect", "mixed"]
ClaimStatus = Literal["asserted", "unconfirmed", "denied", "disputed", "expected", "hypothetical"]
Qualifier = Literal["exact", "about", "at_least", "at_most", "up_to", "range"]
TimeType = Literal["DATE", "TIME", "DURATION", "SET"]


@dataclass(frozen=True)
class Span:
    """A slice `text[start:end]` of the article's cleaned text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    kind: ParagraphKind = "body"


@dataclass(frozen=True)
class Caption:
    """A photo caption, kept once, with the agency credit that followed it."""

    start: int
    end: int
    text: str
    credit: str | None = None


@dataclass(frozen=True)
class Segment:
    """Cleaned text `[start, end)` was copied from raw input `[raw_start, raw_end)`."""

    start: int
    end: int
    raw_start: int
    raw_end: int


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True)
class Quote:
    content: Span
    speaker: Span | None
    speaker_name: str | None
    cue: Span | None
    kind: QuoteKind
    via: list[str] = field(default_factory=list)
    medium: str | None = None
    speaker_role: str | None = None
    speaker_type: str | None = None
    content_fragments: list[list[int]] = field(default_factory=list)
    # "speech": said, wrote, reported; "stance": what the speaker wants, backs or attacks
    # (`called for talks`, `backed the plan`); "label": what the speaker calls something.
    attribution: str = "speech"


@dataclass(frozen=True)
class Claim:
    content: Span
    claimant: str | None
    via: list[str]
    status: ClaimStatus
    status_cue: Span | None
    quote: int | None = None


@dataclass(frozen=True)
class TimeExpr:
    start: int
    end: int
    text: str
    type: TimeType
    value: str | None
    mod: str | None = None
    resolved: bool = True


@dataclass(frozen=True)
class Place:
    start: int
    end: int
    text: str
    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country_code: str | None
    feature_class: str | None = None
    feature_code: str | None = None
    admin1: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    text: str
    value: float | None
    low: float | None
    high: float | None
    qualifier: Qualifier
    counted: str | None
    unit: str | None = None
    per_unit: float | None = None
    event: int | None = None
    claim: int | None = None
    role: str | None = None  # what the figure counts: "killed", "injured", "troops", ... (figures/)
    derived: bool = False  # a total computed from "N units, each of M" (per_unit = M)


@dataclass(frozen=True)
class EventDate:
    value: str
    precision: str
    mod: str | None = None


@dataclass(frozen=True)
class Event:
    event_type: str
    sub_event_type: str
    trigger: Span
    actors: list[str]
    targets: list[str]
    place: int | None
    date: EventDate | None
    fatalities: int | None
    injured: int | None
    confidence: float
    status: ClaimStatus
    attributed_to: str | None
    weapon: str | None = None
    actor_details: list[dict[str, Any]] = field(default_factory=list)
    target_details: list[dict[str, Any]] = field(default_factory=list)
    claim: int | None = None
    in_caption: bool = False


ANNOTATION_TYPES: dict[str, type] = {
    "entities": Entity,
    "quotes": Quote,
    "claims": Claim,
    "times": TimeExpr,
    "places": Place,
    "quantities": Quantity,
    "events": Event,
}


@dataclass
class Article:
    """One news article: its text, where it came from, and everything found in it."""

    text: str
    raw: str = ""
    id: str = ""
    external_id: str | None = None
    title: str | None = None
    published: str | None = None
    published_how: PublishedHow = "unknown"
    published_evidence: list[str] = field(default_factory=list)
    source: str | None = None
    url: str | None = None
    author: str | None = None
    origin: str | None = None
    sources: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    offset_map: list[Segment] = field(default_factory=list)
    sentences: list[list[int]] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    doc: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = article_id(self.text)
        if not self.raw:
            self.raw = self.text
        if not self.offset_map and self.text:
            self.offset_map = [Segment(0, len(self.text), 0, len(self.raw))]
        if not self.paragraphs and self.text:
            self.paragraphs = paragraphs_of(self.text)

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])

    @property
    def body_end(self) -> int:
        """Offset where the body ends and the caption paragraphs (if any) begin."""
        bodies = [p.end for p in self.paragraphs if p.kind == "body"]
        return max(bodies) if bodies else len(self.text)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the cleaned text back to the raw input it was copied from."""
        return _map_offset(self.offset_map, start), _map_offset(self.offset_map, end, is_end=True)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _encode(getattr(self, f.name)) for f in dataclasses.fields(self) if f.name != "doc"}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        # Passed on as a plain `type`: mypy wrongly takes type[Article] for unhashable in the cache call.
        record_type: type = cls
        hints = _type_hints(record_type)
        kwargs = {
            f.name: _decoder(hints[f.name])(data[f.name])
            for f in dataclasses.fields(cls)
            if f.name in data and f.name != "doc"
        }
        return cls(**kwargs)


_SPACE_RUN = re.compile(r"\s+")


def normalise_for_id(text: str) -> str:
    """Case- and whitespace-folded text: syndicated copies that differ only there share an id."""
    return _SPACE_RUN.sub(" ", text).strip().casefold()


def article_id(text: str) -> str:
    return hashlib.sha256(normalise_for_id(text).encode("utf-8")).hexdigest()[:16]


def paragraphs_of(text: str) -> list[Paragraph]:
    """Paragraphs are runs of text separated by blank lines (or single newlines)."""
    return [Paragraph(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text) if m.group().strip()]


def _map_offset(segments: list[Segment], offset: int, is_end: bool = False) -> int:
    for seg in segments:
        if seg.start <= offset <= seg.end and not (is_end and offset == seg.start and offset != seg.end):
            clean_len = max(seg.end - seg.start, 1)
            raw_len = seg.raw_end - seg.raw_start
            if clean_len == raw_len:
                return seg.raw_start + (offset - seg.start)
            return seg.raw_start + round((offset - seg.start) * raw_len / clean_len)
    return segments[-1].raw_end if segments else offset


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    """Resolved field types (get_type_hints evaluates string annotations: slow, so once per class)."""
    return typing.get_type_hints(cls)


_PLAIN = frozenset({str, int, float, bool, type(None)})


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _encode(value: Any) -> Any:
    """JSON-ready data for a record, list or dict (hot: checks the common plain types first)."""
    cls: type = type(value)
    if cls in _PLAIN:
        return value
    if cls is list:
        return [_encode(v) for v in value]
    if cls is dict:
        return {k: _encode(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _encode(getattr(value, name)) for name in _field_names(cls)}
    return value


def _decode(hint: Any, value: Any) -> Any:
    return _decoder(hint)(value)


def _identity(value: Any) -> Any:
    return value


@functools.cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    """A function turning JSON data into `hint`'s type, built once per type (decoding is hot:
    the store and the ledger read articles back by the thousand)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _decoder(options[0]) if len(options) == 1 else _identity
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        inner = _decoder(item)
        if inner is _identity:
            return lambda value: None if value is None else list(value)
        return lambda value: None if value is None else [inner(v) for v in value]
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = _type_hints(hint)
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(hint)]
        record = typing.cast(Callable[..., Any], hint)

        def decode_record(value: Any) -> Any:
            if not isinstance(value, dict):
                return value
            return record(**{name: decode(value[name]) for name, decode in fields if name in value})

        return decode_record
    return _identity
