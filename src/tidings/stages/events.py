"""Stage `events`: typed events with actors, targets, place, date, casualties and attribution.

Finding is in `tidings.events.find`; this module attaches what it found to the article and links
it to the places, times and claims of the earlier stages when they ran.
"""

from __future__ import annotations

import re

from tidings.article import Article, Claim, Event, EventDate, Place, Quote, TimeExpr
from tidings.events import event_type_of
from tidings.events.classifier import current_model
from tidings.events.find import FoundEvent, find_events
from tidings.pipeline import Stage, register_stage

# Words in a sentence that mark its report as not yet confirmed when no claim says otherwise.
_HEDGES = re.compile(r"\b(?:reportedly|allegedly|purportedly|unconfirmed|could not be (?:independently )?(?:confirmed|verified)|claimed|is said to|were said to|was said to)\b", re.I)


def precision_of(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:T.*)?", value):
        return "day"
    if re.fullmatch(r"\d{4}-W\d{2}", value):
        return "week"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if re.fullmatch(r"\d{4}(?:-(?:SP|SU|FA|WI|Q\d|H\d))?", value):
        return "year" if len(value) == 4 else "season"
    if re.fullmatch(r"\d{3}X?|\d{2}XX?", value):
        return "decade"
    return "vague"


def place_index(places: list[Place], sentence: tuple[int, int], trigger: tuple[int, int]) -> int | None:
    inside = [(i, p) for i, p in enumerate(places) if sentence[0] <= p.start and p.end <= sentence[1]]
    if not inside:
        return None
    # The place after the trigger ("attack on the city of X") beats one before it ("X official said").
    after = [(p.start - trigger[1], i) for i, p in inside if p.start >= trigger[1]]
    if after:
        return min(after)[1]
    return max((p.start, i) for i, p in inside)[1]


def event_date(times: list[TimeExpr], sentence: tuple[int, int]) -> EventDate | None:
    dated = [t for t in times if sentence[0] <= t.start and t.end <= sentence[1] and t.value and t.type in ("DATE", "TIME")]
    if not dated:
        return None
    value = dated[0].value or ""
    return EventDate(value, precision_of(value))


def covering_claim(claims: list[Claim], trigger: tuple[int, int]) -> int | None:
    for i, claim in enumerate(claims):
        if claim.content.start <= trigger[0] and trigger[1] <= claim.content.end:
            return i
    return None


def covering_quote(quotes: list[Quote], trigger: tuple[int, int]) -> Quote | None:
    return next((q for q in quotes if q.content.start <= trigger[0] and trigger[1] <= q.content.end), None)


def to_event(article: Article, found: FoundEvent) -> Event:
    trigger = article.span(*found.trigger)
    claim_at = covering_claim(article.claims, found.trigger)
    claim = article.claims[claim_at] if claim_at is not None else None
    quote = covering_quote(article.quotes, found.trigger)
    sentence_text = article.text[found.sentence[0] : found.sentence[1]]
    if claim is not None:
        status, attributed_to = claim.status, claim.claimant
    else:
        status = "unconfirmed" if _HEDGES.search(sentence_text) else "asserted"
        attributed_to = (quote.speaker_name if quote else None) or (found.source.text if found.source else None)
    return Event(
        event_type=event_type_of(found.sub_event_type),
        sub_event_type=found.sub_event_type,
        trigger=trigger,
        actors=[a.text for a in found.actors],
        targets=[t.text for t in found.targets],
        place=place_index(article.places, found.sentence, found.trigger),
        date=event_date(article.times, found.sentence),
        fatalities=found.fatalities,
        injured=found.injured,
        confidence=found.confidence,
        status=status,
        attributed_to=attributed_to,
        weapon=found.weapon,
        actor_details=[{**a.details, "start": a.start, "end": a.end} for a in found.actors],
        target_details=[{**t.details, "start": t.start, "end": t.end} for t in found.targets],
        claim=claim_at,
        in_caption=in_caption(article, found.trigger[0]),
    )


def in_caption(article: Article, offset: int) -> bool:
    if any(c.start <= offset < c.end for c in article.captions):
        return True
    return any(p.kind == "caption" and p.start <= offset < p.end for p in article.paragraphs)


@register_stage
class EventsStage(Stage):
    name = "events"
    needs = ("doc", "sentences", "entities")
    adds = ("events",)

    def __call__(self, article: Article) -> Article:
        if article.doc is None or not article.text.strip():
            article.events = []
            return article
        paragraphs = [(p.start, p.end) for p in article.paragraphs] or [(0, len(article.text))]
        found = find_events(article.doc, paragraphs, current_model())
        article.events = [to_event(article, f) for f in found]
        return article
