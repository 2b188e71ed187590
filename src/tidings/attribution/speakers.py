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

import bisect
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
from tidings.nlp import entities, text_of
from tidings.titles import TITLE_WORDS

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
    before: list[Any] = []
    attached = set(range(ent.start, ent.end))
    i = ent.start - 1
    # `Ukraine's Defense Minister X`: titles attach towards the name; `'s` attaches to its owner.
    while i >= 0 and doc[i].dep_ in ("compound", "poss", "nmod", "case", "amod", "det") and (i < doc[i].head.i < ent.end or doc[i].dep_ == "case"):
        before.insert(0, doc[i])
        attached.add(i)
        i -= 1
    while before and before[0].dep_ == "case":
        before.pop(0)
    if any(t.pos_ in ("NOUN", "PROPN") and t.ent_type_ != "PERSON" for t in before):
        return _clean_role(doc[before[0].i : ent.start].text)
    root = ent.root
    for child in root.children:
        if child.dep_ == "appos" and child.i > root.i and child.ent_type_ != "PERSON":
            return _clean_role(doc[child.left_edge.i : child.right_edge.i + 1].text)
    if root.dep_ == "appos" and root.head.i < ent.start and root.head.pos_ == "NOUN":
        first = root.head.left_edge.i
        if first < ent.start:
            return _clean_role(doc[first : ent.start].text)
    return None


def people_of(doc: Any) -> list[Person]:
    """Every PERSON mention with its role where the text gives one, in order."""
    return [Person(e.text, e.start_char, e.end_char, _role_around(doc, e)) for e in entities(doc) if e.label_ == "PERSON"]


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
    """`intelligence assessments` and `officials` are unnamed groups; `the analysis` a document."""
    lemma = head.lemma_.lower()
    if head.tag_ == "NNS":
        return "unnamed group"
    if lemma in DOCUMENT_NOUNS:
        return "document"
    if lemma in GROUP_NOUNS or head.pos_ == "NOUN":
        return "unnamed person"
    return "organisation"


class SpeakerResolver:
    """Walks an article's attributions in order, remembering who was named."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.ents = entities(doc)
        self.people = people_of(doc)
        self.last_person: Speaker | None = None
        self.last_person_at = -1
        self.last_thing: Speaker | None = None
        self.documents: dict[str, Speaker] = {}

    def resolve(self, span: Range | None) -> Speaker:
        if span is None:
            return Speaker(None, None, None)
        tokens = _tokens_in(self.doc, span)
        if not tokens:
            return Speaker(None, None, None)
        char_span = self.doc.char_span(span[0], span[1], alignment_mode="expand")
        head = speaker_head(char_span) if char_span is not None else _head_of(tokens)
        speaker = self._resolve_tokens(tokens, head, span)
        if speaker.type == "person" and speaker.name is not None:
            self.last_person = speaker
            self.last_person_at = span[0]
        elif speaker.type in ("organisation", "document"):
            self.last_thing = speaker
        return speaker

    def _resolve_tokens(self, tokens: list[Any], head: Any, span: Range) -> Speaker:
        lower = head.lower_
        if lower in PERSON_PRONOUNS:
            return self._antecedent(span[0])
        if head.pos_ == "PROPN" and _full_name(self.people, head.text, span[0]) is not None and len(tokens) <= 2:
            return self._person(head.text, head.idx)
        if lower in THING_PRONOUNS:
            if lower == "it" and self.last_thing is not None:
                return self.last_thing
            return Speaker(None, None, None)
        person_ents = [e for e in self.ents if e.label_ == "PERSON" and span[0] <= e.start_char and e.end_char <= span[1]]
        if person_ents:
            return self._person(person_ents[0].text, person_ents[0].start_char)
        if _is_title(tokens, head):
            return self._titled(head, span)
        if head.ent_type_ == "PERSON" or (head.pos_ == "PROPN" and not head.ent_type_):
            return self._person(head.text, head.idx)
        org_ents = [e for e in self.ents if e.label_ in ORG_LABELS and span[0] <= e.start_char and e.end_char <= span[1]]
        text = text_of(self.doc)[span[0]:span[1]]
        kind = _type_of_head(head)
        if kind == "document":
            earlier = self.documents.get(lemma_of(head))
            if earlier is None:
                self.documents[lemma_of(head)] = Speaker(text, None, kind)
            return earlier or Speaker(text, None, kind)
        if kind == "unnamed group":
            return Speaker(text, None, kind)
        if org_ents and (head.ent_type_ in ORG_LABELS or head.pos_ == "PROPN"):
            return Speaker(_without_article(org_ents[-1].text if head.ent_type_ in ORG_LABELS else text), None, "organisation")
        linked = _descriptor_person(self.people, head.lemma_.lower(), span[0])
        if linked is not None:
            return Speaker(linked.name, linked.role or text, "person")
        if kind == "organisation":
            return Speaker(_without_article(text), None, kind)
        return Speaker(text, None, kind)

    def _titled(self, head: Any, span: Range) -> Speaker:
        """`the Home Secretary`: the person the text gives that role, or the role itself."""
        linked = _descriptor_person(self.people, head.lemma_.lower(), span[0])
        if linked is not None:
            return Speaker(linked.name, linked.role, "person")
        return Speaker(_without_article(text_of(self.doc)[span[0] : span[1]]), None, "person")

    def _antecedent(self, at: int) -> Speaker:
        """`he`/`she`: the later of the last person quoted and the last person named before `at`."""
        named = [p for p in self.people if p.end <= at]
        if named and (self.last_person is None or named[-1].start > self.last_person_at):
            return self._person(named[-1].name, named[-1].start)
        return self.last_person or Speaker(None, None, "person")

    def _person(self, name: str, at: int) -> Speaker:
        full = _full_name(self.people, name, at) if len(name.split()) == 1 else None
        resolved = full.name if full else name
        return Speaker(resolved, _role_of(self.people, resolved), "person")


def _is_title(tokens: list[Any], head: Any) -> bool:
    """`The Home Secretary`, `the Prime Minister`: a capitalised title after an article names a
    role, not a person called `Secretary` (nor an organisation)."""
    return (
        tokens[0].lower_ in ("the", "a", "an") and tokens[0].i < head.i and head.pos_ == "PROPN"
        and head.ent_type_ != "PERSON" and head.lower_ in TITLE_WORDS
    )


def _without_article(name: str) -> str:
    """`The Red Cross` -> `Red Cross`: organisation names are kept without a leading article."""
    for article in ("The ", "the "):
        if name.startswith(article):
            return name[len(article):]
    return name


def speaker_head(span: Any) -> Any:
    """The noun a speaker phrase is about. The parse root, unless it is a verb (`the minister
    tasked with ...`) or a place adjective heading a list (`US, South Korean and Ukrainian
    intelligence assessments`): then the root of the phrase's noun chunk that has a common noun."""
    root = span.root
    if root.pos_ in ("NOUN", "PRON") or (root.pos_ == "PROPN" and root.ent_type_ not in ("NORP", "GPE")):
        return root
    chunks = [c.root for c in noun_chunks_in(span) if c.root.pos_ in ("NOUN", "PROPN", "PRON")]
    common = [c for c in chunks if c.pos_ == "NOUN"]
    return (common or chunks or [root])[0]


_CHUNKS_KEY = "tidings.noun_chunks"


def noun_chunks_in(span: Any) -> list[Any]:
    """`span.noun_chunks`, from the Doc's chunks listed once (spaCy re-chunks the whole Doc for
    every Span, which made speaker resolution quadratic)."""
    doc = span.doc
    cached = doc.user_data.get(_CHUNKS_KEY)
    if cached is None:
        chunks = list(doc.noun_chunks)
        cached = ([c.start for c in chunks], chunks)
        doc.user_data[_CHUNKS_KEY] = cached
    starts, chunks = cached
    n = bisect.bisect_left(starts, span.start)
    found = []
    while n < len(chunks) and chunks[n].start < span.end:
        if chunks[n].end <= span.end:
            found.append(chunks[n])
        n += 1
    return found


def lemma_of(token: Any) -> str:
    return str(token.lemma_).lower()


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
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
        chain.append(verb.head.head)
    for tok in chain:
        for child in tok.children:
            by_agent = child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by")
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None) if by_agent else None
            if pobj is not None and (pobj.left_edge.idx, pobj.idx + len(pobj)) not in spans:
                spans.append((pobj.left_edge.idx, pobj.idx + len(pobj)))
    for other in (verb.head, *verb.children):
        # `Kim said, Reuters reported`: a later reporting verb tied to the cue in the parse.
        if other is not verb and other.i > verb.i and other.lemma_ in ("report", "say", "tell", "quote") and other.dep_ in ("ROOT", "parataxis", "ccomp", "conj"):
            subject = next((c for c in other.children if c.dep_ == "nsubj" and c.pos_ != "PRON"), None)
            if subject is not None and subject.i > verb.i and "\n" not in text_of(doc)[verb.idx : subject.idx]:
                spans.append((subject.left_edge.idx, subject.idx + len(subject)))
    return spans


def _span_text(token: Any) -> str:
    return token.doc[token.left_edge.i : token.right_edge.i + 1].text.strip().rstrip(".")


def _name_in(token: Any) -> str:
    """`broadcaster KBS` -> `KBS`: the proper-noun part of a media phrase."""
    ent = next((e for e in entities(token.doc) if e.start <= token.i < e.end), None)
    return ent.text if ent is not None else _span_text(token)
