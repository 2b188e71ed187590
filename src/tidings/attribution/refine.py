"""Learned refinement of the found attributions: where a content ends, and which to keep.

Two small logistic models (numpy at run time, trained with the cue model by
`tidings.attribution.training`):
- the **end model** reads each break inside an indirect or mixed content (a comma, a dash, a
  parenthesis, `and`, `although`, `during`, ...) left to right and cuts the content before the
  first break it scores at least END_THRESHOLD: PolNeAR ends a content before trailing glosses
  (`that paying no taxes was smart[, although he ...]`, `how he would fight IS[ during the
  forum]`) that the parse puts inside the complement;
- the **keep model** scores every attribution (cue lemma, rule or learned, kind, shape of the
  content) and drops those below KEEP_THRESHOLD.

Both learn from the gold of the training folds only in the scorer's cross-validation. Measured
by 5-fold document CV on the PolNeAR dev file (`tidings eval quotes --option cv=5`): overlap F1
0.6956 without them, 0.6975 with both (P 0.743 -> 0.749, R 0.654 -> 0.653, speaker accuracy
0.874 -> 0.875). Small: in the threshold sweep the end model gained in 4 of the 5 folds (one
tie) and the keep model in all 5, by 0.001 to 0.005 each.

After both, `separate_nested` makes the contents disjoint, as PolNeAR's are (no gold content of
the dev file lies inside or across another): same 5-fold CV, overlap F1 0.7021 -> 0.7123
(P 0.751 -> 0.778, R 0.659 -> 0.657), exact F1 0.549 -> 0.554, speaker accuracy 0.875 -> 0.872;
the rules alone 0.658 -> 0.670. Contents that hold whole the quotations they touch
(`_close_open_quotes`) and the predicates coordinated with theirs (`_join_coordinated_predicates`),
with the quote fixes in `extract`, bring it to 0.7196 (exact F1 0.575).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from tidings.attribution.extract import MIN_CONTENT_CHARS, SUBJECT_DEPS, Attribution, Range, _trim
from tidings.attribution.learned import OPENING_WORDS, CueModel, Refiners
from tidings.attribution.lexicon import DENIAL_VERBS, DISPUTE_VERBS, EXPECT_VERBS
from tidings.attribution.marks import find_quoted
from tidings.nlp import text_of

# Probability a break needs for the content to end there. Sweep over the same 5 document folds
# of the PolNeAR dev file (C 0.3, keep model off): overlap F1 0.6964 / 0.6977 / 0.6973 at 0.4 / 0.5 / 0.6 (0.6956 without cuts).
END_THRESHOLD = 0.5
# Probability an attribution needs to be kept. Same sweep, after the end model: overlap F1 0.6977 /
# 0.6982 / 0.6986 / 0.6974 / 0.6977 at 0 (keep all) / 0.25 / 0.3 / 0.35 / 0.4.
KEEP_THRESHOLD = 0.3
# Words and marks a content may end before (`..., although`, `... during the forum`).
BREAK_WORDS = frozenset(
    {"and", "but", "while", "although", "though", "as", "because", "after", "before", "when",
     "during", "in", "on", "at", "with", "without", "where", "which", "who", "since", "until", "if",
     "to", "for", "by", "from", "amid", "despite", "than", "so", "including"}
)
BREAK_MARKS = frozenset({",", ";", "--", "—", "–", "-", "(", ":"})
# Prepositions a content never opens with in PolNeAR (dev gold: `about` 4 of 2,515 contents, the
# learned cues' `questions about ...` 35 of 2,208 predictions).
LEADING_PREPOSITIONS = frozenset({"about", "of", "for", "as", "on", "in", "with", "against", "over", "into", "from"})
# A cut leaves at least this many characters before the break (a shorter head is a single word).
MIN_HEAD_CHARS = 4
# Only the first breaks of a content are read: a cut further in leaves most of it anyway, and
# the bound keeps the cost linear on a huge unpunctuated sentence. On the PolNeAR dev file 16
# gives the same cross-validated scores as no bound.
MAX_BREAKS = 16
# Gold and cut ends this close (characters) are the same end: trailing punctuation and spaces.
END_SLACK = 2


_SUBJECTS_KEY = "tidings.subject_prefix"


def _subject_prefix(doc: Any) -> np.ndarray:
    """Running count of subject tokens (index i: subjects before token i), once per Doc, so that
    `has a clause` is a constant-time look-up even where contents nest hundreds deep."""
    cached = doc.user_data.get(_SUBJECTS_KEY)
    if cached is None:
        flags = np.fromiter((t.dep_ in SUBJECT_DEPS for t in doc), dtype=np.int64, count=len(doc))
        cached = doc.user_data[_SUBJECTS_KEY] = np.concatenate(([0], np.cumsum(flags)))
    return cached


def _has_subject(doc: Any, start: int, end: int) -> bool:
    """A subject among tokens start..end-1 (token indices)."""
    prefix = _subject_prefix(doc)
    return bool(prefix[end] - prefix[start] > 0)


def _words(text: str, start: int, end: int) -> int:
    return text.count(" ", start, end) + 1


def _bucket(n: int) -> str:
    return str(min(int(math.log2(max(n, 1))), 6))


def _is_break(token: Any) -> bool:
    return token.text in BREAK_MARKS or token.lower_ in BREAK_WORDS


def cut_points(doc: Any, att: Attribution) -> list[tuple[Any, Range]]:
    """Each break inside a one-piece content, with the content cut before it (left to right)."""
    start, end = att.content
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) < 3:
        return []
    text = text_of(doc)
    found: list[tuple[Any, Range]] = []
    for token in span[2:]:
        if _is_break(token):
            cut = _trim(text, start, token.idx)
            repeated = bool(found) and found[-1][1] == cut  # `, although`: one cut, read once
            if cut[1] - cut[0] >= MIN_HEAD_CHARS and cut[1] < end and not repeated:
                found.append((token, cut))
                if len(found) == MAX_BREAKS:
                    break
    return found


def cut_features(doc: Any, att: Attribution, token: Any, cut: Range, n_before: int) -> list[str]:
    """Binary features of cutting `att`'s content before `token` (the `n_before`-th break)."""
    text = text_of(doc)
    start, end = att.content
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else token
    word = token.lower_ if _is_break(token) else token.pos_
    next_word = nxt.lower_ if nxt.lower_ in BREAK_WORDS or nxt.is_punct else nxt.pos_
    s, e = start, cut[1]
    open_quote = text.count('"', s, e) % 2 + text.count("“", s, e) - text.count("”", s, e) + text.count("''", s, e) % 2 > 0
    head_inside = start <= token.head.idx < cut[1]
    head_is_cue = att.cue_token is not None and token.head.i == att.cue_token
    rest = doc.char_span(token.idx, end, alignment_mode="expand")
    rest_clause = rest is not None and _has_subject(doc, rest.start, rest.end)
    return [
        "bias", f"w={word}", f"nw={next_word}", f"w|nw={word}|{next_word}", f"dep={token.dep_}",
        f"w|dep={word}|{token.dep_}", f"ndep={nxt.dep_}", f"ntag={nxt.tag_}", f"w|ntag={word}|{nxt.tag_}",
        f"openq={open_quote}", f"headin={head_inside}", f"headcue={head_is_cue}", f"w|headin={word}|{head_inside}",
        f"restclause={rest_clause}", f"w|restclause={word}|{rest_clause}",
        f"bw={_bucket(_words(text, s, e))}", f"aw={_bucket(_words(text, token.idx, end))}", f"n={min(n_before, 3)}",
        f"kind={att.kind}", f"att={att.attribution}", f"lem={att.cue_lemma}", f"w|att={word}|{att.attribution}",
        f"hdep={token.head.dep_}", f"w|hpos={word}|{token.head.pos_}",
    ]


def keep_features(doc: Any, att: Attribution, from_rules: bool) -> list[str]:
    """Binary features of one attribution for the keep model."""
    span = doc.char_span(att.content[0], att.content[1], alignment_mode="expand")
    n_tokens = len(span) if span is not None else 0
    first = span[0].lower_ if n_tokens else ""
    cue = doc[att.cue_token] if att.cue_token is not None else None
    origin = "rule" if from_rules else "learned"
    clause = n_tokens > 0 and _has_subject(doc, span.start, span.end)
    speaker = doc.char_span(att.speaker[0], att.speaker[1], alignment_mode="expand") if att.speaker is not None else None
    speaker_type = (speaker.root.ent_type_ or speaker.root.pos_) if speaker is not None and len(speaker) else "none"
    lemma, length = att.cue_lemma, _bucket(n_tokens)
    return [
        "bias", f"o={origin}", f"lem={lemma}", f"kind={att.kind}", f"att={att.attribution}",
        f"o|kind|att={origin}|{att.kind}|{att.attribution}", f"lem|att={lemma}|{att.attribution}",
        f"sp={att.speaker is not None}", f"sptype={speaker_type}", f"len={length}", f"kind|len={att.kind}|{length}",
        f"fw={first if first in OPENING_WORDS else '*'}", f"clause={clause}", f"att|clause={att.attribution}|{clause}",
        f"pieces={len(att.fragments)}", f"cpos={cue.pos_ if cue is not None else '-'}",
        f"cdep={cue.dep_ if cue is not None else '-'}", f"ctag={cue.tag_ if cue is not None else '-'}",
        f"lem|clause={lemma}|{clause}",
    ]


def _cuttable(att: Attribution) -> bool:
    return att.kind != "direct" and len(att.fragments) <= 1


def cut_ends(doc: Any, attributions: Sequence[Attribution], model: CueModel) -> None:
    """End each indirect or mixed one-piece content before its first break the model accepts."""
    for att in attributions:
        if not _cuttable(att):
            continue
        for n, (token, cut) in enumerate(cut_points(doc, att)):
            if model.probability(cut_features(doc, att, token, cut, n)) >= END_THRESHOLD:
                if cut[1] - cut[0] >= MIN_CONTENT_CHARS:
                    att.content, att.fragments = cut, [cut]
                break


def refine(doc: Any, rules: list[Attribution], added: list[Attribution], refiners: Refiners) -> list[Attribution]:
    """The rules' and the cue model's attributions with learned ends, less those the keep model drops."""
    found = [*rules, *added]
    if refiners.ends is not None:
        cut_ends(doc, found, refiners.ends)
    if refiners.keep is not None:
        keep = refiners.keep
        from_rules = {id(a) for a in rules}
        found = [a for a in found if keep.probability(keep_features(doc, a, id(a) in from_rules)) >= KEEP_THRESHOLD]
    for att in found:
        _drop_leading_preposition(doc, att)
        _join_coordinated_predicates(doc, att)
    _close_open_quotes(doc, found)
    return found


def _join_coordinated_predicates(doc: Any, att: Attribution) -> None:
    """`agreed [to share a single currency and rely on one another]`: the parse hangs `rely` on
    the cue (`agreed ... and relied`), but a verb in the content's own form (`share`, `rely`: both
    bare; the cue is past) after `and`/`or`, with no subject of its own, goes on with the content.
    5-fold CV on the PolNeAR dev file: overlap F1 0.7187 -> 0.7196, exact F1 0.573 -> 0.575."""
    if not _cuttable(att) or att.cue_token is None:
        return
    cue = doc[att.cue_token]
    span = doc.char_span(att.content[0], att.content[1], alignment_mode="expand")
    if span is None or not len(span):
        return
    head = span.root
    if head.pos_ not in ("VERB", "AUX") or head.tag_ == cue.tag_:
        return
    end = att.content[1]
    for conj in cue.children:
        if conj.dep_ != "conj" or conj.idx < end or conj.tag_ != head.tag_ or any(c.dep_ in SUBJECT_DEPS for c in conj.children):
            continue
        between = text_of(doc)[end : conj.idx].strip(" ,").lower()
        if between in ("and", "or", ""):
            last = conj.right_edge
            att.content = _trim(text_of(doc), att.content[0], last.idx + len(last))
            att.fragments = [att.content]
            end = att.content[1]


# What may stand between a quotation's opening mark and a content that starts inside it.
QUOTE_OPENERS = "\"“'‘ "


def _close_open_quotes(doc: Any, attributions: Sequence[Attribution]) -> None:
    """An indirect or mixed content holds whole the quotations it touches: it never stops inside
    one it opened (`told Fox that "they hit Matt ... tougher[. ... What they are doing is ... the
    ref."]`, `calling for “appropriate assistance[.”]`) and starts at the opening mark of one it
    starts in (`calling for [“]adequate support.”`); the quotation's piece in the same paragraph.
    5-fold CV on the PolNeAR dev file: overlap F1 0.7172 -> 0.7187, exact F1 0.562 -> 0.573."""
    text = text_of(doc)
    pieces = sorted(p for q in find_quoted(text) for p in q.pieces)
    starts = [p[0] for p in pieces]
    for att in attributions:
        if not _cuttable(att):
            continue
        start, end = att.content
        n = bisect.bisect_left(starts, start)
        if n > 0 and start < pieces[n - 1][1] and not text[pieces[n - 1][0] : start].strip(QUOTE_OPENERS):
            n -= 1
            start = pieces[n][0]
        while n < len(pieces) and pieces[n][0] < end:
            if pieces[n][1] > end:
                end = pieces[n][1]
                break
            n += 1
        att.content = (start, end)
        att.fragments = [att.content]


def _drop_leading_preposition(doc: Any, att: Attribution) -> None:
    """Start a one-piece content after its leading preposition (`questions [about] his health`)."""
    if not _cuttable(att):
        return
    start, end = att.content
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) < 2:
        return
    first = span[0]
    if first.lower_ in LEADING_PREPOSITIONS and first.idx == start:
        cut = _trim(text_of(doc), span[1].idx, end)
        if cut[1] - cut[0] >= MIN_CONTENT_CHARS:
            att.content, att.fragments = cut, [cut]


# Words that open a new clause of an outer content before a nested attribution
# (`to leave the program intact, although [they say ...]`, `... and [said she would ...]`).
# 5-fold CV on the PolNeAR dev file: cutting the outer content only after such a break gave
# overlap F1 0.7128, cutting it before every nested attribution 0.7115, never cutting 0.7089.
CLAUSE_OPENERS = frozenset({"and", "but", "although", "though", "while", "whereas", "as", "because", "since", "so", "yet", "or"})


# Cutting one content can leave it inside a third: a few rounds settle every chain (on the
# PolNeAR dev file a third round changed nothing).
MAX_SEPARATION_ROUNDS = 3


# Inner cues kept inside a report (5-fold CV on the PolNeAR dev file: keeping every nested
# report whose speaker opens the outer content cost 0.005 overlap F1, keeping only these 0.0005).
STATUS_CUES = DENIAL_VERBS | DISPUTE_VERBS | EXPECT_VERBS
# What may come before a reported report's speaker: nothing, or the complementizer.
REPORT_LEADS = frozenset({"", "that"})


def separate_nested(doc: Any, attributions: list[Attribution]) -> list[Attribution]:
    """Attribution contents never overlap (news attribution corpora mark each stretch of text as
    one source's content). Where an attribution begins inside another's content, the outer content
    ends before it when a clause break separates them (`urged [to leave the program intact],
    although [they say ...]`). Otherwise a nested attribution is part of what the outer source said
    (`he believes [Obama was born ...]` inside `the paper said [he believes ...]`) and is dropped,
    and an outer content that is nothing but the other attribution's cue clause and content
    (`[Rendell noted that Reagan ...]` beside `noted [that Reagan ...]`) is dropped."""
    found = list(attributions)
    for _ in range(MAX_SEPARATION_ROUNDS):
        changed = False
        found.sort(key=lambda a: (a.content[0], -a.content[1]))
        dropped: set[int] = set()
        for i, outer in enumerate(found):
            for inner in found[i + 1 :]:  # sorted: only a later content can begin inside this one
                if id(outer) in dropped or inner.content[0] >= outer.content[1]:
                    break
                if id(inner) in dropped or not _begins_inside(inner, outer):
                    continue
                changed = True
                start = _clause_start(inner, outer)
                cut = _drop_trailing_opener(doc, _trim(text_of(doc), outer.content[0], start))
                nested = _nested_in(inner, outer)
                if cut[1] - cut[0] < MIN_CONTENT_CHARS:
                    if nested and _reports_inner(doc, outer, inner):
                        continue
                    dropped.add(id(inner) if nested else id(outer))
                elif _after_clause_break(doc, start, outer.content[0]) and len(outer.fragments) <= 1 and outer.kind != "direct":
                    outer.content, outer.fragments = cut, [cut]
                else:
                    dropped.add(id(inner))
        found = [a for a in found if id(a) not in dropped]
        if not changed:
            break
    return [a for a in attributions if any(a is f for f in found)]


def _begins_inside(inner: Attribution, outer: Attribution) -> bool:
    """`inner`'s content starts inside a piece of `outer`'s content. Of two contents with the same
    start the longer is the outer one; of two identical spans, the one read second is inner."""
    if inner.content == outer.content:
        return True
    (s, e), (a, b) = outer.content, inner.content
    if a == s and b > e:
        return False
    return any(ps <= a < pe for ps, pe in outer.fragments or [outer.content])


def _reports_inner(doc: Any, outer: Attribution, inner: Attribution) -> bool:
    """`X said [(that) he expects [that ...]]`: the outer content is the inner attribution whole,
    cue clause first, and the inner cue changes what the reported claim is (expected, denied,
    disputed: `tidings.attribution.status`); both are kept. A belief inside a report (`said [he
    believes [...]]`) adds nothing to it and goes."""
    if inner.cue_lemma not in STATUS_CUES:
        return False
    if outer.cue is None or outer.cue[1] > outer.content[0] or inner.speaker is None:
        return False
    lead = text_of(doc)[outer.content[0] : inner.speaker[0]].strip().lower()
    return lead in REPORT_LEADS


def _clause_start(inner: Attribution, outer: Attribution) -> int:
    """Where the inner attribution's words begin inside the outer content: its content, cue or
    speaker, whichever comes first (a speaker before the outer content is shared, not inside)."""
    parts = [r for r in (inner.content, inner.speaker, inner.cue) if r is not None and r[0] >= outer.content[0]]
    return min(r[0] for r in parts)


def _nested_in(inner: Attribution, outer: Attribution) -> bool:
    """Every piece of `inner` lies inside one piece of `outer`."""
    return all(any(s <= a and b <= e for s, e in outer.fragments or [outer.content]) for a, b in inner.fragments or [inner.content])


def _after_clause_break(doc: Any, start: int, floor: int) -> bool:
    """A clause break (punctuation or a clause-opening conjunction) right before offset `start`,
    after offset `floor`."""
    span = doc.char_span(floor, start, alignment_mode="contract")
    if span is None or len(span) == 0:
        return False
    last = span[-1]
    return last.text in BREAK_MARKS or last.lower_ in CLAUSE_OPENERS


def _drop_trailing_opener(doc: Any, cut: Range) -> Range:
    """`to continue supporting Clinton and` -> `to continue supporting Clinton`."""
    span = doc.char_span(cut[0], cut[1], alignment_mode="contract")
    text = text_of(doc)
    while span is not None and len(span) > 1 and (span[-1].lower_ in CLAUSE_OPENERS or span[-1].text in BREAK_MARKS):
        cut = _trim(text, cut[0], span[-1].idx)
        span = doc.char_span(cut[0], cut[1], alignment_mode="contract")
    return cut
