"""Linking an event to what the other stages found: its place, date, claim, attribution and figures.

Pure functions over the article's records (no Article is changed here):
- `Scope`: where an event's own words are: its sentence, narrowed to the claim content that holds
  the trigger ("X, the minister said Tuesday": the minister and Tuesday are not the event's), minus
  relative clauses that do not hold the trigger ("units that were deployed to help Russia").
- `choose_place`: the most specific place in scope (Kursk Oblast over Russia, Kharkiv over Ukraine),
  never one inside an actor's name ("Ukraine's army").
- `choose_date`: the nearest dated time in scope that is not the date of a saying ("said Tuesday"),
  else the publication date with precision "days" (ACLED's "a few days").
- `covering_claim`, `attribution`: the innermost claim over the trigger; its claimant, and the
  channel (via, medium) when one is known.
- `link_figures`: each figure's event (the nearest trigger in its sentence) and claim (the innermost
  claim content that holds it); a figure inside a larger one shares that one's links.
- `refine_places`: an event left with no place or only a country takes the more specific place of
  a related event in the same article (same two or more participant countries, same country).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from tidings.article import Claim, EventDate, Place, Quantity, Quote, TimeExpr

# How specific a place is, by the places stage's kind: a facility or town beats a district, a
# district a province, a province a country; regions and continents come last.
PLACE_SPECIFICITY = {"facility": 5, "city": 4, "admin2": 3, "admin1": 2, "country": 1, "water": 1, "region": 1, "continent": 0}
UNKNOWN_KIND_SPECIFICITY = 1
# Precision of a date taken from the publication date when the sentence gives none: the event was
# reported then, so it happened on that day or in the few days before (ACLED's time precision 2).
PUBLICATION_PRECISION = "days"
SAY_LEMMAS = frozenset({"say", "tell", "report", "claim", "announce", "state", "confirm", "allege", "write", "add", "publish", "quote"})
# How many neighbouring figures are searched for one that holds a part ("five units, each of about
# 3,000" gives the whole and its two parts next to each other).
OUTER_WINDOW = 4
# Figure roles (from the quantities stage) that are an event's toll.
TOLL_ROLES = frozenset({"killed", "injured"})
_DATED = re.compile(r"^\d{4}")
_CHANNEL_NOISE = re.compile(r"^(?:(?:an?|the|his|her|its|their)\s+)?(?:(?:television|tv|radio|phone|telephone|newspaper|press)\s+)?"
                            r"(?:(?:interview|conversation|statement|post|message|briefing)\s+(?:with|on|to|in)\s+)?"
                            r"(?:(?:the\s+)?(?:social\s+(?:media\s+)?)?(?:platform|network|channel|app|messaging app)\s+)?", re.I)


@dataclass(frozen=True)
class Scope:
    sentence: tuple[int, int]
    clause: tuple[int, int]
    excluded: tuple[tuple[int, int], ...] = field(default_factory=tuple)

    def holds(self, start: int, end: int) -> bool:
        if not (self.clause[0] <= start and end <= self.clause[1]):
            return False
        return not any(a <= start and end <= b for a, b in self.excluded)


def precision_of(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:T.*)?", value):
        return "day"
    if re.fullmatch(r"\d{4}-W\d{2}(?:-WE)?", value):
        return "week"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if re.fullmatch(r"\d{4}(?:-(?:SP|SU|FA|WI|Q\d|H\d))?", value):
        return "year" if len(value) == 4 else "season"
    if re.fullmatch(r"\d{3}X?|\d{2}XX?", value):
        return "decade"
    return "vague"


@dataclass(frozen=True)
class SortedIndex:
    """Records' positions ordered by start offset, to find those within a span without a scan."""

    order: tuple[int, ...]
    starts: tuple[int, ...]

    @classmethod
    def of(cls, records: Sequence[TimeExpr | Place | Quantity]) -> SortedIndex:
        order = tuple(sorted(range(len(records)), key=lambda i: records[i].start))
        return cls(order, tuple(records[i].start for i in order))

    def within(self, records: Sequence[TimeExpr | Place | Quantity], lo: int, hi: int) -> list[int]:
        """Indices of the records that lie within [lo, hi)."""
        first = bisect.bisect_left(self.starts, lo)
        last = bisect.bisect_left(self.starts, hi)
        return [self.order[k] for k in range(first, last) if records[self.order[k]].end <= hi]


def specificity(place: Place) -> int:
    return PLACE_SPECIFICITY.get(place.kind or "", UNKNOWN_KIND_SPECIFICITY)


def choose_place(places: Sequence[Place], candidates: list[int], scope: Scope, trigger: tuple[int, int],
                 inside_actors: Sequence[tuple[int, int]]) -> int | None:
    """The most specific place in scope, nearest the trigger (after it first) among equals."""
    usable = [i for i in candidates if scope.holds(places[i].start, places[i].end)
              and not any(a <= places[i].start and places[i].end <= b for a, b in inside_actors)]
    if not usable:
        return None

    def rank(i: int) -> tuple[int, int, int]:
        place = places[i]
        after = place.start >= trigger[1]
        distance = place.start - trigger[1] if after else trigger[0] - place.end
        return (-specificity(place), 0 if after else 1, distance)

    return min(usable, key=rank)


def choose_date(times: Sequence[TimeExpr], candidates: list[int], scope: Scope, trigger: tuple[int, int],
                said_at: set[int], published: str | None) -> EventDate | None:
    """The dated time in scope nearest the trigger, not a saying's date; else the publication date."""
    usable = [i for i in candidates if times[i].type in ("DATE", "TIME") and times[i].value and _DATED.match(times[i].value or "")
              and scope.holds(times[i].start, times[i].end) and times[i].start not in said_at]
    if usable:
        best = times[min(usable, key=lambda i: abs(times[i].start - trigger[0]))]
        value = best.value or ""
        return EventDate(value, precision_of(value))
    if published and re.fullmatch(r"\d{4}-\d{2}-\d{2}", published[:10]):
        return EventDate(published[:10], PUBLICATION_PRECISION)
    return None


def covering_claim(claims: Sequence[Claim], start: int, end: int) -> int | None:
    """The innermost claim whose content holds [start, end)."""
    holding = [i for i, c in enumerate(claims) if c.content.start <= start and end <= c.content.end]
    return min(holding, key=lambda i: claims[i].content.end - claims[i].content.start) if holding else None


def channel_of(medium: str | None) -> str | None:
    """'interview with KBS' -> 'KBS'; 'the social platform X' -> 'X'."""
    if not medium:
        return None
    cleaned = _CHANNEL_NOISE.sub("", medium.strip()).strip(" ,.")
    return cleaned or None


def speaker_channels(claims: Sequence[Claim], quotes: Sequence[Quote]) -> dict[str, str]:
    """Each claimant whose attributions in the article name exactly one channel, with that channel:
    a minister who 'told KBS in an interview' said the rest of the article's words there too."""
    seen: dict[str, set[str]] = {}
    for claim in claims:
        if not claim.claimant:
            continue
        quote = quotes[claim.quote] if claim.quote is not None and 0 <= claim.quote < len(quotes) else None
        channels = set(claim.via) | ({c} if quote and (c := channel_of(quote.medium)) else set())
        seen.setdefault(claim.claimant, set()).update(channels)
    return {name: next(iter(chans)) for name, chans in seen.items() if len(chans) == 1}


def attribution(claim: Claim, quote: Quote | None, channels: dict[str, str]) -> str | None:
    if not claim.claimant:
        return None
    via = list(claim.via)
    own = channel_of(quote.medium) if quote else None
    if own and own not in via:
        via.append(own)
    if not via and claim.claimant in channels:
        via.append(channels[claim.claimant])
    return f"{claim.claimant} via {', '.join(via)}" if via else claim.claimant


@dataclass(frozen=True)
class Anchor:
    """Where an event sits, for linking figures: its sentence and trigger offsets."""

    sentence: tuple[int, int]
    trigger: tuple[int, int]
    arguments: tuple[tuple[int, int], ...] = ()


def figure_event(q: Quantity, anchors: Sequence[Anchor]) -> int | None:
    """The event a figure belongs to: a toll goes to the nearest event of its sentence; any other
    figure only to an event it is an actor or target of ("arrested 35 protesters"): a troop
    figure next to an unrelated trigger ("under a secret deal") stays the claim's alone."""
    inside = [i for i, a in enumerate(anchors) if a.sentence[0] <= q.start and q.end <= a.sentence[1]]
    if q.role not in TOLL_ROLES:
        inside = [i for i in inside if any(s < q.end and q.start < e for s, e in anchors[i].arguments)]
    if not inside:
        return None
    return min(inside, key=lambda i: min(abs(q.start - anchors[i].trigger[1]), abs(anchors[i].trigger[0] - q.end)))


def link_figures(quantities: Sequence[Quantity], anchors: Sequence[Anchor], claims: Sequence[Claim]) -> list[Quantity]:
    """The figures with `event` (index into `anchors`) and `claim` filled where they were unset."""
    events = [figure_event(q, anchors) for q in quantities]
    owners = [covering_claim(claims, q.start, q.start + 1) for q in quantities]
    linked = []
    for i, q in enumerate(quantities):
        event, claim = events[i], owners[i]
        if claim is None or event is None:
            # A part of a larger figure ("about 3,000 soldiers" in "five units, each of about 3,000")
            # belongs where the whole does.
            outer = _outer_figure(quantities, i)
            if outer is not None:
                event = event if event is not None else events[outer]
                claim = claim if claim is not None else owners[outer]
        linked.append(_with_links(q, event, claim))
    return linked


def _outer_figure(quantities: Sequence[Quantity], i: int) -> int | None:
    """A larger figure holding figure i; only neighbours are looked at (the finder emits a whole
    and its parts side by side), which keeps this linear on texts with thousands of figures."""
    q = quantities[i]
    for j in range(max(0, i - OUTER_WINDOW), min(len(quantities), i + OUTER_WINDOW + 1)):
        o = quantities[j]
        if j != i and o.start <= q.start and q.end <= o.end and (o.end - o.start) > (q.end - q.start):
            return j
    return None


def _with_links(q: Quantity, event: int | None, claim: int | None) -> Quantity:
    return replace(q, event=q.event if q.event is not None else event, claim=q.claim if q.claim is not None else claim)


@dataclass
class Participants:
    """An event's place and the countries of its actors and targets, for `refine_places`."""

    place: int | None
    countries: frozenset[str]
    at: int


def refine_places(events: Sequence[Participants], places: Sequence[Place]) -> list[int | None]:
    """Each event's place, refined from the nearest related event where it had none or only a country."""
    out = []
    for event in events:
        current = places[event.place] if event.place is not None else None
        if current is not None and specificity(current) > PLACE_SPECIFICITY["country"]:
            out.append(event.place)
            continue
        donors = [d for d in events if d is not event and d.place is not None and len(event.countries) >= 2
                  and d.countries == event.countries and _refines(places[d.place], current)]
        best = min(donors, key=lambda d: abs(d.at - event.at), default=None)
        out.append(best.place if best else event.place)
    return out


def _refines(candidate: Place, current: Place | None) -> bool:
    if specificity(candidate) <= PLACE_SPECIFICITY["country"]:
        return False
    return current is None or (current.country_code is not None and candidate.country_code == current.country_code)
