"""Resolve speaker mentions to names, roles and types, and find the chain (via) and medium.

Resolution is deliberately local and explainable:
- a pronoun (`he`, `she`) takes the nearest earlier resolved person; `it` the nearest earlier
  organisation or document;
- a single name (`Kim`, `Umerov`) takes the earlier (or later) full PERSON name with that token;
- a descriptor (`Ukraine's defense minister`) takes a nearby named person whose title holds the
  descriptor's head noun (`Defense Minister Rustem Umerov`), and stays a descriptor otherwise;
- the role is the title or appositive around a person's name in any of its mentions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tidings.attribution.extract import Attribution, Range
from tidings.attribution.lexicon import (
    DOCUMENT_NOUNS,
    GROUP_NOUNS,
    MEDIUM_HEADS,
    MEDIUM_PREPOSITIONS,
    PERSON_PRONOUNS,
    THING_PRONOUNS,
)

ORG_LABELS = frozenset({"ORG", "GPE", "NORP"})
# Descriptors are linked to a named person only within this many characters of the mention
# (about three paragraphs of news text); farther links were wrong more often than right.
DESCRIPTOR_WINDOW_CHARS = 1500


@dataclass(frozen=True)
class Speaker:
    name: str | None
    role: str | None
    type: str | None


@dataclass(frozen=True)
class Person:
    name: str
    start: int
    end: int
    role: str | None


def _tokens_in(doc: Any, span: Range) -> list[Any]:
    char_span = doc.char_span(span[0], span[1], alignment_mode="expand")
    return list(char_span) if char_span is not None else []


def _clean_role(text: str) -> str | None:
    role = text.strip(" ,;:-—–\n")
    for article in ("the ", "The "):
        if role.startswith(article):
            role = role[len(article):]
    return role or None


def _role_around(doc: Any, ent: Any) -> str | None:
    """`Unification Minister Kim Yung Ho` -> `Unification Minister`; `X, the head of Y,` -> `head of Y`."""
    before = []
    i = ent.start - 1
    while i >= 0 and doc[i].dep_ in ("compound", "poss", "case", "amod", "det") and doc[i].head.i >= ent.start and doc[i].head.i < ent.end:
        before.insert(0, doc[i])
        i -= 1
    if any(t.pos_ in ("NOUN", "PROPN") and t.ent_type_ != "PERSON" for t in before):
        return _clean_role(doc[before[0].i : ent.start].text)
    root = ent.root
    for child in root.children:
        if child.dep_ == "appos" and child.i > root.i and child.ent_type_ != "PERSON":
            sub = list(child.subtree)
            return _clean_role(doc[sub[0].i : sub[-1].i + 1].text)
    if root.dep_ == "appos" and root.head.i < ent.start and root.head.pos_ == "NOUN":
        sub = [t for t in root.head.subtree if t.i < ent.start]
        if sub:
            return _clean_role(doc[sub[0].i : sub[-1].i + 1].text)
    return None


def people_of(doc: Any) -> list[Person]:
    """Every PERSON mention with its role where the text gives one, in order."""
    return [Person(e.text, e.start_char, e.end_char, _role_around(doc, e)) for e in doc.ents if e.label_ == "PERSON"]


def _full_name(people: list[Person], short: str, at: int) -> Person | None:
    """The longest multi-word PERSON mention that contains the single-name token `short`."""
    candidates = [p for p in people if short in p.name.split() and len(p.name.split()) > 1]
    if not candidates:
        return None
    before = [p for p in candidates if p.start < at]
    return (before or candidates)[-1]


def _role_of(people: list[Person], name: str) -> str | None:
    roles = [p.role for p in people if p.name == name and p.role]
    return roles[0] if roles else None


def _descriptor_person(people: list[Person], head: str, at: int) -> Person | None:
    near = [p for p in people if p.role and abs(p.start - at) < DESCRIPTOR_WINDOW_CHARS and head in p.role.lower().split()]
    return min(near, key=lambda p: abs(p.start - at)) if near else None


def _type_of_head(head: Any) -> str:
    lemma = head.lemma_.lower()
    if lemma in DOCUMENT_NOUNS or head.lower_ in DOCUMENT_NOUNS:
        return "document"
    if head.tag_ in ("NNS", "NNPS") or (lemma in GROUP_NOUNS and head.tag_ == "NNS"):
        return "unnamed group"
    return "unnamed person" if lemma in GROUP_NOUNS or head.pos_ == "NOUN" else "organisation"


class SpeakerResolver:
    """Walks an article's attributions in order, remembering who was named."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.people = people_of(doc)
        self.last_person: Speaker | None = None
        self.last_thing: Speaker | None = None

    def resolve(self, span: Range | None) -> Speaker:
        if span is None:
            return Speaker(None, None, None)
        tokens = _tokens_in(self.doc, span)
        if not tokens:
            return Speaker(None, None, None)
        head = _head_of(tokens)
        speaker = self._resolve_tokens(tokens, head, span)
        if speaker.type == "person":
            self.last_person = speaker
        elif speaker.type in ("organisation", "document"):
            self.last_thing = speaker
        return speaker

    def _resolve_tokens(self, tokens: list[Any], head: Any, span: Range) -> Speaker:
        lower = head.lower_
        if lower in PERSON_PRONOUNS:
            return self.last_person or Speaker(None, None, "person")
        if lower in THING_PRONOUNS:
            if lower == "it" and self.last_thing is not None:
                return self.last_thing
            return Speaker(None, None, None)
        person_ents = [e for e in self.doc.ents if e.label_ == "PERSON" and span[0] <= e.start_char and e.end_char <= span[1]]
        if person_ents:
            return self._person(person_ents[0].text, person_ents[0].start_char)
        if head.ent_type_ == "PERSON" or (head.pos_ == "PROPN" and not head.ent_type_):
            return self._person(head.text, head.idx)
        org_ents = [e for e in self.doc.ents if e.label_ in ORG_LABELS and span[0] <= e.start_char and e.end_char <= span[1]]
        text = self.doc.text[span[0]:span[1]]
        kind = _type_of_head(head)
        if kind in ("document", "unnamed group"):
            return Speaker(text, None, kind)
        if org_ents and (head.ent_type_ in ORG_LABELS or head.pos_ == "PROPN"):
            return Speaker(org_ents[-1].text if head.ent_type_ in ORG_LABELS else text, None, "organisation")
        linked = _descriptor_person(self.people, head.lemma_.lower(), span[0])
        if linked is not None:
            return Speaker(linked.name, linked.role or text, "person")
        return Speaker(text, None, kind)

    def _person(self, name: str, at: int) -> Speaker:
        full = _full_name(self.people, name, at) if len(name.split()) == 1 else None
        resolved = full.name if full else name
        return Speaker(resolved, _role_of(self.people, resolved), "person")


def _head_of(tokens: list[Any]) -> Any:
    inside = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in inside or t.head == t]
    return heads[0] if heads else tokens[0]


def medium_of(doc: Any, att: Attribution) -> str | None:
    """`wrote on Telegram`, `said on the social platform X`, `told broadcaster KBS in an interview`."""
    if att.cue_token is None:
        return None
    verb = doc[att.cue_token]
    dative = None
    for child in verb.children:
        if child.dep_ in ("dobj", "dative") and child.pos_ in ("PROPN", "NOUN") and verb.lemma_ == "tell":
            dative = child
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in MEDIUM_PREPOSITIONS:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and (pobj.lower_ in MEDIUM_HEADS or pobj.ent_type_ in ("ORG", "PRODUCT")):
                text = _span_text(pobj)
                if pobj.lower_ == "interview" and dative is not None:
                    return f"interview with {_name_in(dative)}"
                return text
    if dative is not None:
        return _span_text(dative)
    return None


def via_of(doc: Any, att: Attribution) -> list[Range]:
    """Intermediaries: `quoted as saying by KBS`, `reported by X`, plus outer reports found earlier."""
    spans = list(att.via_spans)
    if att.cue_token is None:
        return spans
    verb = doc[att.cue_token]
    chain = [verb, verb.head] if verb.dep_ in ("pcomp", "xcomp", "advcl") else [verb]
    for tok in chain:
        for child in tok.subtree:
            if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by" and child.head.lemma_ in ("quote", "say", "cite")):
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    spans.append((pobj.left_edge.idx, pobj.idx + len(pobj)))
    return spans


def _span_text(token: Any) -> str:
    sub = list(token.subtree)
    return token.doc[sub[0].i : sub[-1].i + 1].text


def _name_in(token: Any) -> str:
    """`broadcaster KBS` -> `KBS`: the proper-noun part of a media phrase."""
    ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    return ent.text if ent is not None else _span_text(token)
