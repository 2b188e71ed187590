"""A learned attribution-cue model that adds recall on top of the rules (numpy only at run time).

The rules (`extract`) know a closed list of reporting verbs and a few constructions. Attribution
corpora also mark contents after cues outside any list (`signed ...`, `has faced questions
about ...`, `disdain for ...`). This module proposes, for every verb, noun or adjective in the
parse, the subtrees of its complements (and of a passive verb's subject: `[the bill] was passed
by Congress`) as candidate contents, describes each with parse features
(lemma, POS, dependency, complement type, subject type, shape of the content) and scores it with
a logistic model. Candidates that overlap a rule attribution are never proposed: the rules come
first, the model only adds.

It also proposes quoted passages the rules gave no cue (`"A," she said. "B."` across a
paragraph break), attributed to the nearest earlier attribution's speaker and cue.

The weights are trained by `scripts/train_attribution.py` (scikit-learn, a dev dependency) and
shipped in `tidings/data/attribution/cues.npz`. The shipped model is learnt from all 84 PolNeAR
dev articles, so its scores on that file flatter it; the honest figure is 5-fold cross-validation
over documents (`tidings eval quotes --gold ... --option cv=5`): overlap F1 0.696 (P 0.743,
R 0.654) against 0.657 for the rules alone, exact F1 0.538 (rules 0.547), speaker accuracy 0.874
(rules 0.925); with the refiners trained alongside (`refine`: learned content ends, keeping)
0.6975 (P 0.749, R 0.653), exact F1 0.539, speaker accuracy 0.875; with passive subjects as
candidates too 0.6993 (P 0.748, R 0.657), exact F1 0.541, speaker accuracy 0.875; with quotes
opened by a straight mark and closed by a curly one, and contents never opening with a preposition
(`refine`), 0.7021 (P 0.751, R 0.659), exact F1 0.549.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from spacy.attrs import DEP, HEAD, POS
from spacy.parts_of_speech import IDS as POS_IDS

from tidings.attribution.extract import (
    SUBJECT_DEPS,
    Attribution,
    Paragraphs,
    Range,
    _subtree_range,
    _trim,
)
from tidings.attribution.lexicon import GROUP_NOUNS, REPORTING_VERBS, STANCE_VERBS
from tidings.attribution.marks import QUOTE_CHARS, find_quoted
from tidings.errors import E, TidingsError
from tidings.nlp import text_of

MODEL_FILE = "cues.npz"
# The refinement models (`tidings.attribution.refine`), trained alongside.
ENDS_FILE = "ends.npz"
KEEP_FILE = "keep.npz"
# Probability a candidate needs to become an attribution. Chosen by 5-fold document
# cross-validation on the PolNeAR dev file (scripts/train_attribution.py --sweep 5): held-out
# overlap F1 0.6957 / 0.6956 / 0.6891 at 0.40 / 0.45 / 0.50; 0.45 keeps more exact boundaries
# and speakers (exact F1 0.538 vs 0.534, speaker accuracy 0.874 vs 0.867).
THRESHOLD = 0.45
CUE_POS = frozenset({"VERB", "AUX", "NOUN", "ADJ"})
# Complements whose subtree may be what the cue attributes (`signed [an order ...]`,
# `questions [about ...]`, `insisted [on ...]`, `urged [to ...]`).
COMPLEMENT_DEPS = frozenset({"dobj", "prep", "ccomp", "xcomp", "advcl", "oprd", "acomp", "attr", "acl", "relcl", "pcomp", "agent"})
# Complements before their cue: the subject of a passive (`[the bill] was passed by Congress`),
# attributed to the agent. 5-fold document CV on the PolNeAR dev file: overlap F1 0.6975 -> 0.6993
# (R 0.653 -> 0.657); active subjects too gave 0.7005 for many more candidates, so they stay out.
FRONTED_DEPS = frozenset({"nsubjpass"})
# Shorter candidates are names or single words, never statements (same floor as the rules).
MIN_CANDIDATE_CHARS = 8
# Longest candidate in tokens: contents longer than this are sentences the rules handle; the
# bound also keeps the candidate list linear on hostile unpunctuated text.
MAX_CANDIDATE_TOKENS = 80
OPENING_WORDS = frozenset(
    {"that", "whether", "if", "to", "how", "what", "why", "when", "who", "for", "about", "on",
     "of", "in", "against", "with", "as", "the", "a", "an", "his", "her", "their", "its"}
)
QUOTE_STRIP = "\"“”‘'’ "


@dataclass(frozen=True)
class Candidate:
    cue: int  # token index of the cue word
    complement: int  # token index of the complement whose subtree is the content
    content: Range
    variant: str  # "subtree", "object" (a preposition's object without it) or "quote"
    sentence_taken: bool = False  # the rules found an attribution in the same sentence
    pieces: tuple[Range, ...] = ()  # a quote's pieces, one per paragraph
    previous: int = -1  # a quote's nearest earlier attribution (index into the rules' list)


def _overlaps_any(covered: np.ndarray, rng: Range) -> bool:
    """`covered` is the prefix sum of a per-character mask of taken text."""
    return bool(covered[rng[1]] - covered[rng[0]] > 0)


def _coverage(length: int, taken: list[Range]) -> np.ndarray:
    mask = np.zeros(length + 1, dtype=np.int32)
    for start, end in taken:
        mask[start] += 1
        mask[end] -= 1
    inside = np.cumsum(mask)[:length] > 0
    return np.concatenate(([0], np.cumsum(inside, dtype=np.int64)))


def candidates(doc: Any, rules: list[Attribution], paragraphs: Paragraphs) -> list[Candidate]:
    """Complement subtrees of content words within the cue's sentence and paragraph, and quoted
    passages without a cue; none overlaps what the rules found."""
    text = text_of(doc)
    covered = _coverage(len(text), [f for a in rules for f in (a.fragments or [a.content])])
    return [*_complement_candidates(doc, covered, paragraphs), *_quote_candidates(doc, rules, covered)]


def _quote_candidates(doc: Any, rules: list[Attribution], covered: np.ndarray) -> list[Candidate]:
    """`"A," she said. "B."` or a paragraph that is all quote: quoted passages the rules gave no
    cue, each with the nearest attribution before it (whose speaker may go on talking)."""
    text = text_of(doc)
    starts = [a.content[0] for a in rules]  # the rules' list is sorted by content
    found = []
    for q in find_quoted(text):
        if q.end - q.start < MIN_CANDIDATE_CHARS or _overlaps_any(covered, (q.start, q.end)):
            continue
        n = bisect.bisect_left(starts, q.start) - 1
        found.append(Candidate(-1, -1, (q.start, q.end), "quote", pieces=q.pieces, previous=n))
    return found


def _parse_columns(doc: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dependency label, head index and POS of every token as arrays (Token objects are slow)."""
    columns = doc.to_array([DEP, HEAD, POS]).astype(np.int64) if len(doc) else np.zeros((0, 3), dtype=np.int64)
    heads = np.arange(len(doc)) + columns[:, 1]
    return columns[:, 0], heads, columns[:, 2]


def _label_ids(doc: Any, labels: Iterable[str]) -> list[int]:
    hashes = np.array([doc.vocab.strings.add(label) for label in labels], dtype=np.uint64)
    return [int(h) for h in hashes.astype(np.int64)]  # the same wrap-around as the columns


def _complement_indices(doc: Any) -> np.ndarray:
    """Tokens with a complement label whose head is an earlier content word."""
    deps, heads, pos = _parse_columns(doc)
    if not len(deps):
        return deps
    order = np.arange(len(doc))
    wanted = np.isin(deps, _label_ids(doc, COMPLEMENT_DEPS)) & (heads < order)
    wanted |= np.isin(deps, _label_ids(doc, FRONTED_DEPS)) & (heads > order)
    return np.flatnonzero(wanted & np.isin(pos[heads], [int(POS_IDS[p]) for p in CUE_POS]))


def _preposition_objects(doc: Any) -> dict[int, int]:
    """Index of a preposition -> index of its first object."""
    deps, heads, _ = _parse_columns(doc)
    if not len(deps):
        return {}
    prep = _label_ids(doc, ["prep"])[0]
    objects = np.flatnonzero(np.isin(deps, _label_ids(doc, ["pobj", "pcomp"])) & (deps[heads] == prep))
    found: dict[int, int] = {}
    for i in objects:
        found.setdefault(int(heads[i]), int(i))
    return found


def _complement_candidates(doc: Any, covered: np.ndarray, paragraphs: Paragraphs) -> list[Candidate]:
    # One pass over the tokens, each seen as a complement of its head: walking every word's
    # children instead cost most of this module's time.
    text = text_of(doc)
    found = []
    objects = _preposition_objects(doc)
    for index in _complement_indices(doc):
        child = doc[int(index)]
        cue = child.head
        if child.right_edge.i - child.left_edge.i >= MAX_CANDIDATE_TOKENS:
            continue
        sent = paragraphs.sentence(cue.idx)
        para = paragraphs.bounds(cue.idx)
        window = (max(sent[0], para[0]), min(sent[1], para[1]))
        sentence_taken = _overlaps_any(covered, window)
        variants = [("subtree", child)]
        if child.i in objects:
            variants.append(("object", doc[objects[child.i]]))
        for variant, head in variants:
            start, end = _subtree_range(head)
            rng = _trim(text, max(start, window[0]), min(end, window[1]))
            if rng[1] - rng[0] < MIN_CANDIDATE_CHARS or _overlaps_any(covered, rng):
                continue
            if child.dep_ in FRONTED_DEPS and any(m in text[rng[0] : rng[1]] for m in QUOTE_CHARS):
                continue  # `the so-called “peace plan” was rejected`: scare quotes name a thing
            found.append(Candidate(cue.i, child.i, rng, variant, sentence_taken))
    return found


def _subject_kind(token: Any) -> str:
    if token is None:
        return "none"
    if token.pos_ == "PRON":
        return "pron"
    if token.ent_type_:
        return token.ent_type_
    if token.lemma_.lower() in GROUP_NOUNS:
        return "group"
    return token.pos_


def _subject_of(cue: Any) -> Any | None:
    for child in cue.children:
        if child.dep_ in SUBJECT_DEPS:
            return child
    head = cue.head
    if cue.dep_ in ("xcomp", "conj", "advcl") and head != cue:
        return next((c for c in head.children if c.dep_ in SUBJECT_DEPS), None)
    if cue.pos_ == "NOUN":
        owner = next((c for c in cue.children if c.dep_ == "poss"), None)
        if owner is None and cue.dep_ == "dobj":  # `voiced disdain for ...`: whoever voiced it
            owner = next((c for c in cue.head.children if c.dep_ in SUBJECT_DEPS), None)
        return owner
    return None


def _length_bucket(n: int) -> str:
    return str(min(int(math.log2(max(n, 1))), 6))


def features(doc: Any, cand: Candidate, rules: list[Attribution]) -> list[str]:
    """Binary features of one candidate, as `name=value` strings."""
    if cand.variant == "quote":
        return _quote_features(doc, cand, rules)
    cue, child = doc[cand.cue], doc[cand.complement]
    lemma = cue.lemma_.lower()
    span = doc.char_span(cand.content[0], cand.content[1], alignment_mode="expand")
    tokens = list(span) if span is not None else []
    first = tokens[0].lower_ if tokens else ""
    prep = child.lower_ if child.dep_ == "prep" else "-"
    subject = _subject_of(cue)
    lex = "rep" if lemma in REPORTING_VERBS else "stance" if lemma in STANCE_VERBS else "none"
    has_clause = any(t.dep_ in SUBJECT_DEPS for t in tokens)
    text = text_of(doc)[cand.content[0] : cand.content[1]]
    return [
        "bias",
        f"lem={lemma}",
        f"pos={cue.pos_}",
        f"tag={cue.tag_}",
        f"dep={cue.dep_}",
        f"cd={child.dep_}",
        f"var={cand.variant}",
        f"prep={prep}",
        f"lem|cd={lemma}|{child.dep_}",
        f"lem|prep={lemma}|{prep}",
        f"pos|cd={cue.pos_}|{child.dep_}",
        f"pos|cd|var={cue.pos_}|{child.dep_}|{cand.variant}",
        f"chl={child.lemma_.lower()}",
        f"chpos={child.pos_}",
        f"head={cue.head.lemma_.lower()}|{cue.dep_}",
        f"subj={_subject_kind(subject)}",
        f"lem|subj={lemma}|{_subject_kind(subject)}",
        f"lex={lex}",
        f"lex|cd={lex}|{child.dep_}",
        f"len={_length_bucket(len(tokens))}",
        f"clause={has_clause}",
        f"cd|clause={child.dep_}|{has_clause}",
        f"fw={first if first in OPENING_WORDS else '*'}",
        f"quote={any(m in text for m in QUOTE_CHARS)}",
        f"neg={any(c.dep_ == 'neg' for c in cue.children)}",
        f"passive={any(c.dep_ in ('nsubjpass', 'auxpass') for c in cue.children)}",
        f"sentroot={cue.dep_ == 'ROOT'}",
        f"lem|var={lemma}|{cand.variant}",
        f"cd|fw={child.dep_}|{first if first in OPENING_WORDS else '*'}",
        f"taken={cand.sentence_taken}",
        f"taken|cd={cand.sentence_taken}|{child.dep_}",
    ]


def _quote_features(doc: Any, cand: Candidate, rules: list[Attribution]) -> list[str]:
    text = text_of(doc)
    start, end = cand.content
    words = len(text[start:end].split())
    before = text[max(start - 3, 0) : start].strip()[-1:] or "^"
    after = text[end : end + 2].strip()[:1] or "$"
    prev = rules[cand.previous] if cand.previous >= 0 else None
    gap = text[prev.content[1] : start] if prev is not None else ""
    prev_kind = prev.kind if prev is not None else "none"
    breaks = str(min(gap.count("\n\n") + (1 if "\n" in gap and "\n\n" not in gap else 0), 2))
    return [
        "bias",
        "var=quote",
        f"q|len={_length_bucket(words)}",
        f"q|before={before if before in '.,:;!?—–-(' else 'word' if before.isalnum() else before}",
        f"q|after={after if after in '.,:;!?—–-)' else 'word' if after.isalnum() else after}",
        f"q|ends={text[start:end].rstrip(QUOTE_STRIP)[-1:] in '.!?'}",
        f"q|prev={prev_kind}",
        f"q|prevspeaker={prev is not None and prev.speaker is not None}",
        f"q|breaks={breaks}",
        f"q|prev|breaks={prev_kind}|{breaks}",
        f"q|gap={_length_bucket(len(gap.split()))}",
        f"q|paragraphs={len(cand.pieces)}",
        f"q|len|prev={_length_bucket(words)}|{prev_kind}",
    ]


@dataclass(frozen=True)
class CueModel:
    index: dict[str, int]
    weights: np.ndarray  # (n_features,)
    bias: float

    def probability(self, names: list[str]) -> float:
        cols = [self.index[n] for n in names if n in self.index]
        score = self.bias + float(self.weights[cols].sum()) if cols else self.bias
        return 1.0 / (1.0 + math.exp(-max(min(score, 40.0), -40.0)))

    def save(self, path: str) -> None:
        vocab = "\n".join(sorted(self.index, key=self.index.__getitem__))
        np.savez_compressed(
            path,
            vocab=np.frombuffer(vocab.encode(), dtype=np.uint8),
            weights=self.weights.astype(np.float16),
            bias=np.array([self.bias], dtype=np.float32),
        )


def read_model(source: Any) -> CueModel:
    try:
        with np.load(source) as data:
            vocab = bytes(data["vocab"]).decode().split("\n")
            weights = data["weights"].astype(np.float32)
            bias = float(data["bias"][0])
    except (OSError, KeyError, ValueError) as err:
        raise TidingsError(E.E120, path=source, reason=str(err)) from err
    if len(vocab) != len(weights):
        raise TidingsError(E.E120, path=source, reason=f"{len(vocab)} feature names for {len(weights)} weights")
    return CueModel({name: i for i, name in enumerate(vocab)}, weights, bias)


@dataclass(frozen=True)
class Refiners:
    """The models of `tidings.attribution.refine`: content ends and keeping; None skips one."""

    ends: CueModel | None = None
    keep: CueModel | None = None


NO_REFINERS = Refiners()


def _read_shipped(name: str) -> CueModel:
    ref = resources.files("tidings") / "data" / "attribution" / name
    with resources.as_file(ref) as path:
        return read_model(path)


@lru_cache(maxsize=1)
def shipped_model() -> CueModel:
    return _read_shipped(MODEL_FILE)


@lru_cache(maxsize=1)
def shipped_refiners() -> Refiners:
    return Refiners(_read_shipped(ENDS_FILE), _read_shipped(KEEP_FILE))


_OVERRIDE: list[tuple[CueModel, Refiners]] = []


@contextmanager
def using_model(model: CueModel, refiners: Refiners = NO_REFINERS) -> Iterator[None]:
    """Analyse with `model` and `refiners` instead of the shipped ones (cross-validation folds;
    without refiners the rules' and the cue model's spans are kept as found)."""
    _OVERRIDE.append((model, refiners))
    try:
        yield
    finally:
        _OVERRIDE.pop()


def current_model() -> CueModel:
    return _OVERRIDE[-1][0] if _OVERRIDE else shipped_model()


def current_refiners() -> Refiners:
    return _OVERRIDE[-1][1] if _OVERRIDE else shipped_refiners()


def _agent_of(cue: Any) -> Any | None:
    """`passed by Congress`: the object of a passive verb's `by`."""
    agent = next((c for c in cue.children if c.dep_ == "agent"), None)
    return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None


def _speaker(doc: Any, cue: Any, complement: Any) -> Range | None:
    subject = _agent_of(cue) if complement.dep_ in FRONTED_DEPS else _subject_of(cue)
    if subject is None or subject.lower_ in ("that", "which", "who", "what"):
        return None
    return _trim(text_of(doc), *_subtree_range(subject))


def _has_subject(doc: Any, rng: Range) -> bool:
    span = doc.char_span(rng[0], rng[1], alignment_mode="expand")
    return span is not None and any(t.dep_ in SUBJECT_DEPS for t in span)


def learned_attributions(doc: Any, rules: list[Attribution]) -> list[Attribution]:
    """Attributions the model adds to the rules' (sorted by content): candidates scored at least
    THRESHOLD, best first, none overlapping another."""
    model = current_model()
    scored = []
    for cand in candidates(doc, rules, Paragraphs(doc)):
        p = model.probability(features(doc, cand, rules))
        if p >= THRESHOLD:
            scored.append((p, cand))
    kept: list[Candidate] = []
    claimed = bytearray(len(text_of(doc)))  # characters of the contents kept so far
    for _, cand in sorted(scored, key=lambda pc: -pc[0]):
        start, end = cand.content
        if claimed.find(1, start, end) < 0:
            kept.append(cand)
            claimed[start:end] = b"\x01" * (end - start)
    return [_quote_attribution(c, rules) if c.variant == "quote" else _complement_attribution(doc, c) for c in kept]


def _quote_attribution(cand: Candidate, rules: list[Attribution]) -> Attribution:
    """A quote the earlier attribution's speaker goes on saying: its speaker and cue."""
    prev = rules[cand.previous] if cand.previous >= 0 else None
    speaker = prev.speaker if prev is not None else None
    cue = prev.cue if prev is not None else None
    lemma = prev.cue_lemma if prev is not None else ""
    return Attribution(cand.content, list(cand.pieces), speaker, cue, "direct", lemma, cue_token=prev.cue_token if prev else None)


def _complement_attribution(doc: Any, cand: Candidate) -> Attribution:
    text = text_of(doc)
    cue = doc[cand.cue]
    speaker = _speaker(doc, cue, doc[cand.complement])
    kind = "mixed" if any(m in text[cand.content[0] : cand.content[1]] for m in QUOTE_CHARS) else "indirect"
    # A clause is something said or found; a noun phrase (`signed the order`) is a stance,
    # and so is anything without a source: neither becomes a claim of its own.
    complement = doc[cand.complement]
    clause = speaker is not None and complement.dep_ not in FRONTED_DEPS and (complement.dep_ in ("ccomp", "advcl") or _has_subject(doc, cand.content))
    return Attribution(
        cand.content, [cand.content], speaker, (cue.idx, cue.idx + len(cue)), kind,
        cue.lemma_.lower(), cue_token=cue.i, attribution="speech" if clause else "stance",
    )
