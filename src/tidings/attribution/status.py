"""Claims and their status: asserted, unconfirmed, denied, disputed, expected, hypothetical.

Every attribution becomes a claim, and so does every unattributed sentence that reports
something (a finite clause outside any quote). The status comes from, in this order:
1. a later sentence that qualifies earlier claims (`Neither claim could be independently
   confirmed` covers the two claims before it; `The report could not be verified` one);
2. a denial attached to a claim in its own sentence (`..., which Trump has denied`);
3. the cue (`denied`, `disputed`, `expects`, `reportedly said`);
4. the content itself: a condition (`if`, `unless`) or a modal (`may`, `might`, `could`)
   makes it hypothetical, `will` / `expected to` makes it expected.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from tidings.article import Claim, Quote, Span
from tidings.attribution.lexicon import (
    DENIAL_VERBS,
    DISPUTE_VERBS,
    EXPECT_VERBS,
    EXPECTED_MARKERS,
    HYPOTHETICAL_MODALS,
    REPORTING_VERBS,
    STANCE_VERBS,
    UNCONFIRMED_VERBS,
)
from tidings.nlp import sentences, text_of

CONDITION_MARKS = frozenset({"if", "unless"})
NEGATIONS = frozenset({"not", "n't", "never", "no", "neither", "nor", "cannot"})
UNVERIFIED_WORDS = frozenset({"unverified", "unconfirmed", "uncorroborated"})
# `Neither claim`, `both reports` cover this many earlier claims.
PAIR_WORDS = frozenset({"neither", "both", "two"})
# A status sentence looks back at most this many sentences for the claims it qualifies.
LOOKBACK_SENTENCES = 4
# Unattributed sentences shorter than this many words are headlines, credits or fragments.
MIN_EVENT_WORDS = 6


@dataclass
class Draft:
    """A claim being built: status can still change when a later sentence qualifies it."""

    content: tuple[int, int]
    claimant: str | None
    via: list[str]
    status: str
    status_cue: tuple[int, int] | None
    quote: int | None
    sentence: int


def _tokens(doc: Any, rng: tuple[int, int]) -> list[Any]:
    span = doc.char_span(rng[0], rng[1], alignment_mode="expand")
    return list(span) if span is not None else []


def _tok_range(tok: Any) -> tuple[int, int]:
    return tok.idx, tok.idx + len(tok)


def _token_range(doc: Any, rng: tuple[int, int]) -> tuple[int, int]:
    span = doc.char_span(rng[0], rng[1], alignment_mode="expand")
    return (span.start, span.end) if span is not None else (0, 0)


def _is_main_predicate(doc: Any, i: int, lo: int, hi: int) -> bool:
    """Token `i` is one of the top predicates of the content `doc[lo:hi]`: a root of it, or a
    conjunct or complement of a root (`said he expects that ...` -> `expects`)."""

    def is_root(j: int) -> bool:
        head = doc[j].head.i
        return head == j or not lo <= head < hi

    if not lo <= i < hi:
        return False
    return is_root(i) or (doc[i].dep_ in ("conj", "xcomp", "ccomp") and is_root(doc[i].head.i))


_MARKERS_KEY = "tidings.status_markers"


@dataclass(frozen=True)
class StatusMarkers:
    """Token indices, in order, of the words that can change a content's status."""

    conditions: list[int]
    modals: list[int]
    expectations: list[int]


def _markers(doc: Any) -> StatusMarkers:
    """Listed once per Doc, so each content is judged from the few markers inside it instead of
    by reading all its tokens (contents nest deeply in long unpunctuated text)."""
    cached = doc.user_data.get(_MARKERS_KEY)
    if cached is not None:
        return cached
    conditions, modals, expectations = [], [], []
    for tok in doc:
        lower = tok.lower_
        if lower in CONDITION_MARKS and tok.dep_ == "mark":
            conditions.append(tok.i)
        if lower in HYPOTHETICAL_MODALS and tok.dep_ == "aux":
            modals.append(tok.i)
        if (tok.lemma_.lower() in EXPECT_VERBS and tok.pos_ == "VERB") or (lower in EXPECTED_MARKERS and tok.dep_ == "aux"):
            expectations.append(tok.i)
    markers = StatusMarkers(conditions, modals, expectations)
    doc.user_data[_MARKERS_KEY] = markers
    return markers


def _within(indices: list[int], lo: int, hi: int) -> list[int]:
    return indices[bisect.bisect_left(indices, lo) : bisect.bisect_left(indices, hi)]


def content_status(doc: Any, rng: tuple[int, int]) -> tuple[str, tuple[int, int] | None]:
    """Status implied by the words of a content: conditions and modals, future and expectation."""
    lo, hi = _token_range(doc, rng)
    markers = _markers(doc)
    for i in _within(markers.conditions, lo, hi):
        return "hypothetical", _tok_range(doc[i])
    for i in _within(markers.modals, lo, hi):
        if _is_main_predicate(doc, doc[i].head.i, lo, hi):
            return "hypothetical", _tok_range(doc[i])
    for i in _within(markers.expectations, lo, hi):
        tok = doc[i]
        is_verb = tok.lemma_.lower() in EXPECT_VERBS and tok.pos_ == "VERB"
        if _is_main_predicate(doc, i if is_verb else tok.head.i, lo, hi):
            return "expected", _tok_range(tok)
    return "asserted", None


def cue_status(doc: Any, quote: Quote) -> tuple[str, tuple[int, int] | None] | None:
    if quote.cue is None:
        return None
    cue_tokens = _tokens(doc, (quote.cue.start, quote.cue.end))
    rng = (quote.cue.start, quote.cue.end)
    lemmas = {t.lemma_.lower() for t in cue_tokens}
    if lemmas & DENIAL_VERBS:
        negated = any(c.dep_ == "neg" for t in cue_tokens for c in t.children)
        return ("asserted", rng) if negated else ("denied", rng)
    if any(t.lower_ in NEGATIONS for t in cue_tokens) or any(c.dep_ == "neg" for t in cue_tokens for c in t.children):
        # `did not confirm` leaves the content open; `did not say` / `never claimed` rejects it.
        return ("unconfirmed", rng) if lemmas & UNCONFIRMED_VERBS else ("denied", rng)
    if lemmas & DISPUTE_VERBS:
        return "disputed", rng
    if lemmas & EXPECT_VERBS:
        return "expected", rng
    adverb = next((t for t in cue_tokens if t.lower_ in ("reportedly", "allegedly", "purportedly")), None)
    if adverb is not None:
        return "unconfirmed", _tok_range(adverb)
    return None


def _sentence_index(starts: list[int], offset: int) -> int:
    return max(bisect.bisect_right(starts, offset) - 1, 0)


def _qualifier(sent: Any) -> tuple[str, Any, int] | None:
    """(`unconfirmed`, cue token, how many claims) for a sentence that qualifies earlier ones."""
    for tok in sent:
        confirm_verb = tok.lemma_.lower() in UNCONFIRMED_VERBS and tok.pos_ == "VERB"
        if (confirm_verb and _negated(tok)) or tok.lower_ in UNVERIFIED_WORDS:
            count = 2 if any(t.lower_ in PAIR_WORDS for t in sent) else 1
            if any(t.lower_ in ("claims", "reports", "accounts", "figures") for t in sent):
                count = max(count, 2)
            return "unconfirmed", tok, count
    return None


def _negated(verb: Any) -> bool:
    """`could not be confirmed`, `Neither claim could be confirmed`: a negation on the verb or in
    the words of its subtree before it."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    doc = verb.doc
    return any(
        doc[i].lower_ in NEGATIONS and doc[i].dep_ in ("det", "neg", "preconj", "advmod", "nsubj", "nsubjpass")
        for i in range(verb.left_edge.i, verb.i)
    )


def _denial_in_sentence(sent: Any) -> Any | None:
    """`..., which Trump has denied`: a denial verb whose object is a relative pronoun."""
    for tok in sent:
        relative = any(c.lower_ in ("which", "that") for c in tok.children) or tok.dep_ == "relcl"
        if tok.lemma_.lower() in DENIAL_VERBS and tok.pos_ == "VERB" and relative:
            return tok
    return None


def claims_of(doc: Any, quotes: list[Quote]) -> list[Claim]:
    """Claims for an article: one per quote, one per unattributed reporting sentence."""
    sents = sentences(doc)
    starts = [s.start_char for s in sents]
    drafts = [
        _draft_from_quote(doc, q, i, _sentence_index(starts, q.content.start))
        for i, q in enumerate(quotes)
        if not _is_stance(doc, q)
    ]
    covered = [(q.content.start, q.content.end) for q in quotes] + [(q.cue.start, q.cue.end) for q in quotes if q.cue]
    for n, sent in enumerate(sents):
        if _reports_event(sent) and not any(a < sent.end_char and sent.start_char < b for a, b in covered) and _qualifier(sent) is None:
            rng = _trim_sentence(text_of(doc), sent.start_char, sent.end_char)
            status, cue = content_status(doc, rng)
            drafts.append(Draft(rng, None, [], status, cue, None, n))
    drafts.sort(key=lambda d: d.content)
    _apply_later_qualifiers(sents, drafts)
    _apply_denials(sents, drafts)
    text = text_of(doc)
    return [
        Claim(
            content=Span(d.content[0], d.content[1], text[d.content[0] : d.content[1]]),
            claimant=d.claimant,
            via=d.via,
            status=d.status,  # type: ignore[arg-type]
            status_cue=Span(d.status_cue[0], d.status_cue[1], text[d.status_cue[0] : d.status_cue[1]]) if d.status_cue else None,
            quote=d.quote,
        )
        for d in drafts
    ]


def _draft_from_quote(doc: Any, quote: Quote, index: int, sentence: int) -> Draft:
    rng = (quote.content.start, quote.content.end)
    found = cue_status(doc, quote) or content_status(doc, rng)
    claimant = quote.speaker_name or (quote.speaker.text if quote.speaker else None)
    return Draft(rng, claimant, list(quote.via), found[0], found[1], index, sentence)


def _is_stance(doc: Any, quote: Quote) -> bool:
    """`X wants ...`, `X attacked ...`: an attitude, not a statement of fact, so no claim."""
    if quote.attribution == "stance":
        return True
    if quote.cue is None:
        return False
    tokens = _tokens(doc, (quote.cue.start, quote.cue.end))
    lemmas = {t.lemma_.lower() for t in tokens if t.pos_ == "VERB"}
    return bool(lemmas) and lemmas <= STANCE_VERBS and not lemmas & REPORTING_VERBS


def _reports_event(sent: Any) -> bool:
    words = [t for t in sent if t.is_alpha]
    if len(words) < MIN_EVENT_WORDS or "\n" in sent.text.strip():
        return False
    root = sent.root
    return root.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in root.children)


def _trim_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " \n\t.":
        end -= 1
    return start, end


def _apply_later_qualifiers(sents: list[Any], drafts: list[Draft]) -> None:
    for n, sent in enumerate(sents):
        found = _qualifier(sent)
        if found is None:
            continue
        status, _cue_token, count = found
        earlier = [d for d in drafts if n - LOOKBACK_SENTENCES <= d.sentence < n and d.content[1] <= sent.start_char]
        attributed = [d for d in earlier if d.quote is not None]
        cue = _trim_sentence(text_of(sent.doc), sent.start_char, sent.end_char)
        for d in (attributed or earlier)[-count:]:
            d.status, d.status_cue = status, cue


def _apply_denials(sents: list[Any], drafts: list[Draft]) -> None:
    for n, sent in enumerate(sents):
        verb = _denial_in_sentence(sent)
        if verb is None:
            continue
        before = [d for d in drafts if d.sentence == n and d.content[1] <= verb.idx]
        if before:
            target = before[-1]
            target.status, target.status_cue = "denied", _tok_range(verb)
