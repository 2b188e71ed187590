"""Finding events in a parsed text: triggers, type, arguments (pure logic, no Article).

Per sentence: trigger words are found by lemma and grouped by family (battle, remote violence,
protest, ...); each family present gives one event whose sub-type is the classifier's best type
within that family, from the sentence and its paragraph. Negated, modal and forecast triggers
are not events. Arguments come from the dependency parse.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tidings.events.casualties import fatalities_in, injured_in
from tidings.events.classifier import NO_EVENT, Classifier
from tidings.events.lexicon import COUNTRY_WORDS, FAMILIES, SECTORS, TRIGGERS, VERB_ONLY, WEAPONS
from tidings.nlp import entities_in, sentences, text_of

# Weight of the sentence's own probabilities against its paragraph's when typing an event.
# Snippets of 1-3 sentences scored best with the paragraph weighted more (0.6 vs 0.4 and 0.8,
# measured on the dev file).
SENTENCE_WEIGHT = 0.4
# A sentence with no trigger word still yields an event when the classifier gives its best
# event type at least this probability and more than "no event" (tuned on the dev file; lower
# values added events to opinions in the tests).
UNTRIGGERED_MIN = 0.2
MODALS = frozenset({"will", "would", "could", "may", "might", "should", "must", "can", "shall"})
FORECAST_HEADS = frozenset({"expect", "plan", "threaten", "intend", "warn", "hope", "want", "aim", "prepare", "seek", "vow"})
OPINION_HEADS = frozenset({"think", "believe", "argue", "feel", "doubt", "suggest", "consider", "guess", "suppose"})
_ARG_MAX_TOKENS = 12


@dataclass
class Argument:
    start: int
    end: int
    text: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class FoundEvent:
    sub_event_type: str
    trigger: tuple[int, int]
    confidence: float
    sentence: tuple[int, int]
    actors: list[Argument]
    targets: list[Argument]
    weapon: str | None
    fatalities: int | None
    injured: int | None
    source: Argument | None = None


def family_of(sub_event_type: str) -> str:
    return next(f for f, types in FAMILIES.items() if sub_event_type in types)


def mix(sentence_probs: dict[str, float], paragraph_probs: dict[str, float]) -> dict[str, float]:
    return {k: SENTENCE_WEIGHT * sentence_probs[k] + (1 - SENTENCE_WEIGHT) * paragraph_probs[k] for k in sentence_probs}


NOT_EVENT_VERBS = frozenset({"make", "develop", "build", "produce", "keep", "have", "acquire", "buy", "sell", "test", "possess"})


def is_trigger(token: Any) -> str | None:
    lemma = token.lemma_.lower()
    family = TRIGGERS.get(lemma) or TRIGGERS.get(token.lower_)
    if family is None or token.pos_ not in ("VERB", "NOUN", "PROPN", "ADJ"):
        return None
    if lemma in VERB_ONLY and token.pos_ != "VERB":
        return None
    if token.pos_ != "VERB":
        # "combat exercises", "fighting quality": a modifier names a kind of thing, not an event;
        # "making new bombs": a weapon as the object of a non-event verb.
        if token.dep_ in ("compound", "amod", "nmod") and token.head.pos_ in ("NOUN", "PROPN") and not (TRIGGERS.get(token.head.lemma_.lower())):
            return None
        if token.dep_ == "dobj" and token.head.lemma_.lower() in NOT_EVENT_VERBS:
            return None
    if lemma == "fire":
        # "fired artillery" is shooting; "opened fire on" is an attack; a noun "fire" is a blaze.
        if token.pos_ == "VERB":
            return "remote"
        if token.head.lemma_.lower() == "open":
            return "violence"
    return family


def is_irrealis(token: Any) -> bool:
    """Negated ("did not attack"), modal ("could strike") or forecast ("expects ... will be deployed")."""
    verb = token if token.pos_ == "VERB" else token.head
    for node in (token, verb):
        if any(c.dep_ == "neg" for c in node.children):
            return True
        if any(c.dep_ == "aux" and c.lower_ in MODALS for c in node.children):
            return True
        if any(c.dep_ in ("det", "amod") and c.lower_ in ("no", "any") for c in node.children) and node.pos_ == "NOUN":
            return True
    ancestor = verb.head
    for _ in range(3):
        if ancestor.lemma_.lower() in FORECAST_HEADS | OPINION_HEADS or ancestor.lemma_.lower() == "likely":
            return True
        if ancestor.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.lower_ in MODALS for c in ancestor.children):
            return True
        if ancestor.head is ancestor:
            break
        ancestor = ancestor.head
    return False


def argument_span(head: Any) -> Argument:
    """The noun phrase headed by `head`, without relative clauses, with 'of X' kept."""
    tokens = [head, *[t for t in head.lefts if t.dep_ in ("compound", "amod", "det", "poss", "nummod", "quantmod", "nmod", "case") or t.dep_ == "punct"]]
    for left in list(tokens[1:]):
        tokens.extend(left.subtree)
    right = [c for c in head.rights if c.dep_ == "prep" and c.lower_ == "of"]
    for prep in right:
        tokens.extend(prep.subtree)
    tokens.extend(c for c in head.rights if c.dep_ in ("compound", "flat"))
    idx = sorted({t.i for t in tokens})
    start_i, end_i = idx[0], idx[-1]
    if end_i - start_i >= _ARG_MAX_TOKENS:
        start_i = max(start_i, head.i - 3)
        end_i = min(end_i, head.i + 3)
    doc = head.doc
    while start_i < head.i and doc[start_i].dep_ in ("det", "punct") :
        start_i += 1
    span = doc[start_i : end_i + 1]
    return Argument(span.start_char, span.end_char, span.text, describe(span))


def describe(span: Any) -> dict[str, Any]:
    name = span.text
    normalised = re.sub(r"(?:'s|’s)$", "", name).strip()
    lower = normalised.lower()
    country = None
    for ent in entities_in(span):
        code = COUNTRY_WORDS.get(ent.text.lower().removesuffix("'s").removesuffix("’s"))
        if code:
            country = code
            break
    if country is None:
        country = next((code for word, code in COUNTRY_WORDS.items() if re.search(rf"\b{re.escape(word)}\b", lower)), None)
    sector = None
    for token in reversed(span):
        sector = SECTORS.get(token.lower_)
        if sector:
            break
    if sector is None and any(e.label_ in ("GPE", "NORP") for e in entities_in(span)) and len(span) <= 3:
        sector = "government"
    return {"name": name, "normalised": normalised, "country": country, "sector": sector}


def _children(token: Any, deps: tuple[str, ...]) -> list[Any]:
    return [c for c in token.children if c.dep_ in deps]


def _prep_objects(token: Any, preps: tuple[str, ...]) -> list[Any]:
    found: list[Any] = []
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in preps:
            found.extend(c for c in prep.children if c.dep_ == "pobj")
    return found


def arguments_of(trigger: Any) -> tuple[list[Argument], list[Argument]]:
    """(actors, targets) of a trigger from the dependency parse."""
    actors: list[Any] = []
    targets: list[Any] = []
    if trigger.pos_ == "VERB":
        actors += _children(trigger, ("nsubj",))
        for agent in _children(trigger, ("agent",)):
            actors += _children(agent, ("pobj",))
        targets += _children(trigger, ("dobj", "nsubjpass"))
        targets += _prep_objects(trigger, ("at", "on", "against", "with", "into"))
        if not actors and trigger.dep_ in ("xcomp", "conj", "advcl") and trigger.head.pos_ == "VERB":
            actors += _children(trigger.head, ("nsubj",))
    else:
        actors += [c for c in trigger.children if c.dep_ in ("poss",) or (c.dep_ in ("amod", "compound") and (c.ent_type_ in ("NORP", "GPE", "ORG") or c.lower_ in COUNTRY_WORDS))]
        for agent in _prep_objects(trigger, ("by",)):
            actors.append(agent)
        targets += _prep_objects(trigger, ("on", "against", "at"))
        verb = trigger.head
        if trigger.dep_ in ("nsubj",) and verb.pos_ == "VERB":
            targets += _children(verb, ("dobj",))
        if trigger.dep_ in ("dobj",) and verb.pos_ == "VERB" and not actors:
            actors += _children(verb, ("nsubj",))
    return [argument_span(a) for a in actors if is_argument(a)], [argument_span(t) for t in targets if is_argument(t)]


def is_argument(token: Any) -> bool:
    if token.pos_ == "PRON":
        return token.lower_ not in ("that", "which", "who", "whom", "it", "this", "what")
    return token.pos_ in ("NOUN", "PROPN")


def weapon_in(sentence: str, trigger_at: int) -> str | None:
    lower = sentence.lower()
    hits = []
    for weapon in WEAPONS:
        for m in re.finditer(rf"\b{re.escape(weapon.lower())}\b", lower):
            hits.append((abs(m.start() - trigger_at), m.start(), sentence[m.start() : m.end()]))
    return min(hits)[2] if hits else None


SAY_LEMMAS = frozenset({"say", "tell", "report", "claim", "announce", "state", "confirm", "allege", "write"})


def source_of(sent: Any) -> Argument | None:
    """Who the sentence attributes itself to: the subject of a reporting verb, or 'according to X'."""
    for token in sent:
        if token.lemma_.lower() in SAY_LEMMAS and token.pos_ == "VERB":
            subjects = _children(token, ("nsubj",))
            if subjects and subjects[0].pos_ in ("PROPN", "NOUN"):
                return argument_span(subjects[0])
        if token.lower_ == "according" and token.nbor(1).lower_ == "to" if token.i + 1 < len(token.doc) else False:
            objs = _children(token.nbor(1), ("pobj",))
            if objs:
                return argument_span(objs[0])
    return None


def sentence_events(sent: Any, probs: dict[str, float], untriggered: bool = False) -> list[FoundEvent]:
    by_family: dict[str, Any] = {}
    for token in sent:
        family = is_trigger(token)
        if family and family not in by_family and not is_irrealis(token):
            head = token.head
            # "glide bomb strike": the head noun is the event, its modifier the weapon.
            by_family[family] = head if token.dep_ in ("compound", "amod", "nmod") and sent.start <= head.i < sent.end and is_trigger(head) == family else token
    if not by_family:
        if not untriggered:
            return []
        best = max((k for k in probs if k != NO_EVENT), key=probs.__getitem__)
        if probs[best] < UNTRIGGERED_MIN or probs[best] <= probs.get(NO_EVENT, 0.0):
            return []
        root = sent.root
        if is_irrealis(root) or root.lemma_.lower() in OPINION_HEADS or sum(t.is_alpha for t in sent) < 4:
            return []
        by_family[family_of(best)] = root
    best_any = max((k for k in probs if k != NO_EVENT), key=probs.__getitem__)
    if family_of(best_any) not in by_family and probs[best_any] > probs.get(NO_EVENT, 0.0):
        # The trigger lists are coarse ("attack" serves clashes, strikes and massacres alike):
        # the classifier's best type, when no trigger of its family is there, takes the first trigger.
        first = min(by_family, key=lambda f: by_family[f].i)
        by_family[family_of(best_any)] = by_family.pop(first)
    events = []
    source = source_of(sent)
    for family, trigger in by_family.items():
        best = max(FAMILIES[family], key=lambda t: probs.get(t, 0.0))
        actors, targets = arguments_of(trigger)
        events.append(
            FoundEvent(
                sub_event_type=best,
                trigger=(trigger.idx, trigger.idx + len(trigger.text)),
                confidence=round(probs.get(best, 0.0), 4),
                sentence=(sent.start_char, sent.end_char),
                actors=actors,
                targets=targets,
                weapon=weapon_in(sent.text, trigger.idx - sent.start_char),
                fatalities=fatalities_in(sent.text),
                injured=injured_in(sent.text),
                source=source,
            )
        )
    return events


def pieces(doc: Any, paragraphs: Sequence[tuple[int, int]]) -> list[Any]:
    """Sentences cut at paragraph ends: a headline the parser ran into the next line stays apart."""
    out = []
    for sent in sentences(doc):
        inner = [b for p in paragraphs for b in p if sent.start_char < b < sent.end_char]
        newlines = [m.end() for m in re.finditer(r"\n", sent.text) if m.end() < len(sent.text)]
        cuts = sorted({sent.start_char, sent.end_char, *inner, *(sent.start_char + n for n in newlines)})
        for start, end in itertools.pairwise(cuts):
            piece = doc.char_span(start, end, alignment_mode="contract")
            if piece is not None and len(piece) and piece.text.strip():
                out.append(piece)
    return out


def has_trigger(sent: Any) -> bool:
    """A candidate sentence: it holds a trigger word that is not negated, modal or forecast."""
    return any(is_trigger(token) and not is_irrealis(token) for token in sent)


def paragraph_of(sent: Any, paragraphs: Sequence[tuple[int, int]]) -> tuple[int, int]:
    return next(((s, e) for s, e in paragraphs if s <= sent.start_char < e), (sent.start_char, sent.end_char))


def typed(sents: Sequence[Any], paragraphs: Sequence[tuple[int, int]], classifier: Classifier) -> list[tuple[Any, dict[str, float]]]:
    """Each sentence with its n-gram probabilities, mixed with its paragraph's full ones.

    Only paragraphs go through the full classifier, whose encoder runs only where the n-gram
    model is unsure: the encoder is the costliest step of the events stage.
    """
    text = text_of(sents[0].doc) if sents else ""
    paras = [paragraph_of(s, paragraphs) for s in sents]
    para_texts = list(dict.fromkeys(text[a:b] for a, b in paras))
    para_probs = dict(zip(para_texts, classifier.probabilities_many(para_texts), strict=True))
    return [(s, mix(classifier.ngram_probabilities(s.text), para_probs[text[a:b]])) for s, (a, b) in zip(sents, paras, strict=True)]


def find_events(doc: Any, paragraphs: Sequence[tuple[int, int]], classifier: Classifier) -> list[FoundEvent]:
    """All events in a parsed doc; `paragraphs` are (start, end) offsets giving each sentence context.

    Only candidate sentences (with a trigger word) go through the full classifier, so the sentence
    encoder runs on few sentences per article.
    """
    text = text_of(doc)
    sents = pieces(doc, paragraphs)
    found: list[FoundEvent] = []
    seen: set[tuple[str, str, str]] = set()
    for sent, probs in typed([s for s in sents if has_trigger(s)], paragraphs, classifier):
        for event in sentence_events(sent, probs):
            key = (event.sub_event_type, text[event.trigger[0] : event.trigger[1]], sent.text.strip())
            if key not in seen:  # repeated captions report the same event once
                seen.add(key)
                found.append(event)
    if not found and sents:
        sent = max(sents, key=_surest_key(text, paragraphs, classifier))
        found = sentence_events(*typed([sent], paragraphs, classifier)[0], untriggered=True)
    return found


def _surest_key(text: str, paragraphs: Sequence[tuple[int, int]], classifier: Classifier) -> Callable[[Any], float]:
    """No trigger word anywhere: the sentence the n-gram model is surest of may still report one.
    Each paragraph is scored once, not once per sentence in it (this fallback was a sixth of the
    events stage's CPU on bench articles)."""
    by_paragraph: dict[tuple[int, int], dict[str, float]] = {}

    def surest(s: Any) -> float:
        a, b = paragraph_of(s, paragraphs)
        if (a, b) not in by_paragraph:
            by_paragraph[(a, b)] = classifier.ngram_probabilities(text[a:b])
        probs = mix(classifier.ngram_probabilities(s.text), by_paragraph[(a, b)])
        return max(v for k, v in probs.items() if k != NO_EVENT)

    return surest
