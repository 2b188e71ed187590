"""Who said what: attribution finding (`extract`), speaker resolution (`speakers`) and claim
status (`status`), kept apart from the pipeline stages that attach results to an Article."""

from __future__ import annotations

from typing import Any

from tidings.article import Quote, Span
from tidings.attribution.extract import Attribution, find_rule_attributions
from tidings.attribution.learned import current_refiners, learned_attributions
from tidings.attribution.refine import refine, separate_nested
from tidings.attribution.speakers import SpeakerResolver, medium_of, via_of
from tidings.nlp import entities, text_of


def _span(text: str, rng: tuple[int, int] | None) -> Span | None:
    if rng is None:
        return None
    return Span(rng[0], rng[1], text[rng[0] : rng[1]])


def _via_name(doc: Any, rng: tuple[int, int]) -> str:
    ents = [e for e in entities(doc) if rng[0] <= e.start_char and e.end_char <= rng[1]]
    return ents[-1].text if ents else text_of(doc)[rng[0] : rng[1]]


def find_attributions(doc: Any) -> list[Attribution]:
    """The rules' attributions, then those the learned cue model adds where the rules found none,
    with the learned content ends and without those the keep model drops (`refine`), their
    contents made disjoint (`separate_nested`)."""
    found = find_rule_attributions(doc)
    refined = separate_nested(doc, refine(doc, found, learned_attributions(doc, found), current_refiners()))
    return sorted(refined, key=lambda a: a.content)


def quotes_of(doc: Any) -> list[Quote]:
    """The attributions in a parsed Doc as `Quote` records with resolved speakers."""
    text = text_of(doc)
    resolver = SpeakerResolver(doc)
    quotes: list[Quote] = []
    for att in sorted(find_attributions(doc), key=_reading_order):
        speaker = resolver.resolve(att.speaker)
        quotes.append(
            Quote(
                content=Span(att.content[0], att.content[1], text[att.content[0] : att.content[1]]),
                speaker=_span(text, att.speaker),
                speaker_name=speaker.name,
                cue=_span(text, att.cue),
                kind=att.kind,  # type: ignore[arg-type]
                via=list(dict.fromkeys(_via_name(doc, r) for r in via_of(doc, att))),
                medium=medium_of(doc, att),
                speaker_role=speaker.role,
                speaker_type=speaker.type,
                content_fragments=[list(f) for f in att.fragments] if len(att.fragments) > 1 else [],
                attribution=att.attribution,
            )
        )
    quotes.sort(key=lambda q: q.content.start)
    return quotes


def _reading_order(att: Attribution) -> int:
    """Speakers resolve in the order their mentions are read, so pronouns find the right antecedent."""
    return att.speaker[0] if att.speaker is not None else att.content[0]


__all__ = ["Attribution", "find_attributions", "quotes_of"]
