"""The learned refinement of attributions (`tidings.attribution.refine`): content ends, keeping,
their training and the shipped weights."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tidings.attribution import find_attributions
from tidings.attribution.extract import MIN_CONTENT_CHARS, find_rule_attributions
from tidings.attribution.learned import (
    NO_REFINERS,
    CueModel,
    Refiners,
    current_refiners,
    shipped_model,
    shipped_refiners,
    using_model,
)
from tidings.attribution.marks import find_quoted
from tidings.attribution.refine import MAX_BREAKS, cut_ends, cut_points, keep_features, refine
from tidings.attribution.training import labelled_cuts, labelled_keeps, train_refiners

SILENT = CueModel({}, np.zeros(0, dtype=np.float32), -40.0)
EAGER = CueModel({}, np.zeros(0, dtype=np.float32), 40.0)
CLAIMED = "The senator claimed that paying no income taxes was smart, although he again refused to release his returns."


@lru_cache(maxsize=64)
def parse(text: str) -> Any:
    from tidings.nlp import load_nlp

    return load_nlp()(text)


def contents(doc: Any, attributions: list[Any]) -> list[str]:
    return [doc.text[a.content[0] : a.content[1]] for a in attributions]


def test_cut_points_are_the_content_before_each_break_once() -> None:
    doc = parse(CLAIMED)
    att = next(a for a in find_rule_attributions(doc) if a.cue_lemma == "claim")
    cuts = [doc.text[c[0] : c[1]] for _, c in cut_points(doc, att)]
    assert cuts[0] == "that paying no income taxes was smart"  # `, although`: the comma and the word cut once
    assert len(cuts) == len(set(cuts))
    assert all(doc.text[att.content[0] : att.content[1]].startswith(c) and len(c) < att.content[1] - att.content[0] for c in cuts)


def test_eager_end_model_cuts_indirect_contents_at_their_first_break_only() -> None:
    text = CLAIMED + ' "We will not pay a cent more, and we will not apologise," the mayor said.'
    doc = parse(text)
    found = find_rule_attributions(doc)
    direct_before = [a.content for a in found if a.kind == "direct"]
    cut_ends(doc, found, EAGER)
    assert "that paying no income taxes was smart" in contents(doc, found)
    assert [a.content for a in found if a.kind == "direct"] == direct_before  # quotes keep their marks' bounds
    for a in found:
        assert a.fragments == [a.content] or len(a.fragments) > 1


def test_silent_end_model_and_eager_keep_model_change_nothing() -> None:
    doc = parse(CLAIMED)
    rules = find_rule_attributions(doc)
    expected = [(a.content, a.cue) for a in find_rule_attributions(doc)]
    refined = refine(doc, rules, [], Refiners(ends=SILENT, keep=EAGER))
    assert [(a.content, a.cue) for a in refined] == expected


def test_silent_keep_model_drops_every_attribution() -> None:
    doc = parse(CLAIMED)
    assert find_rule_attributions(doc)
    with using_model(SILENT, Refiners(keep=SILENT)):
        assert find_attributions(doc) == []


def test_an_override_without_refiners_keeps_the_spans_as_found() -> None:
    doc = parse(CLAIMED)
    with using_model(SILENT):
        assert current_refiners() is NO_REFINERS
        found = find_attributions(doc)
    assert [(a.content, a.cue) for a in found] == [(a.content, a.cue) for a in find_rule_attributions(doc)]
    assert current_refiners() is shipped_refiners()


def test_keep_features_name_origin_cue_and_shape() -> None:
    doc = parse(CLAIMED)
    att = next(a for a in find_rule_attributions(doc) if a.cue_lemma == "claim")
    names = keep_features(doc, att, True)
    assert {"o=rule", "lem=claim", "kind=indirect", "clause=True", "fw=that"} <= set(names)
    assert len(names) == len(set(names))
    assert "o=learned" in keep_features(doc, att, False)


def test_labelled_cuts_are_positive_at_the_gold_end_and_stop_there() -> None:
    doc = parse(CLAIMED)
    att = next(a for a in find_rule_attributions(doc) if a.cue_lemma == "claim")
    gold_end = CLAIMED.index(", although")
    rows, labels = labelled_cuts(doc, [att], [(att.content[0], gold_end)])
    assert labels == [1]  # the first break is the gold end; later breaks are never reached
    assert "w=," in rows[0]
    rows, labels = labelled_cuts(doc, [att], [att.content])
    assert labels and not any(labels)  # the gold content runs to the end: no break is right


def test_labelled_keeps_mark_attributions_that_match_gold() -> None:
    doc = parse(CLAIMED)
    rules = find_rule_attributions(doc)
    claimed = next(a for a in rules if a.cue_lemma == "claim")
    _, labels = labelled_keeps(doc, rules, [], [claimed.content])
    assert labels[rules.index(claimed)] == 1
    _, labels = labelled_keeps(doc, rules, [], [(0, 3)])
    assert not any(labels)


TRAINING = [
    ("The mayor claimed that the bridge was safe, although inspectors had found cracks in it.", "that the bridge was safe"),
    ("The senator said that taxes would fall, although the budget office disagreed with him.", "that taxes would fall"),
    ("Officials insisted that the water was clean, although residents kept buying bottles.", "that the water was clean"),
    ("The coach argued that the team was ready, although two players were still injured.", "that the team was ready"),
    ("The minister said the port would reopen soon and the ferries would run again.", "the port would reopen soon and the ferries would run again"),
    ("The union said members would strike on Monday and march to the city hall.", "members would strike on Monday and march to the city hall"),
    # No attribution in the gold: what the rules find here teaches the keep model to drop.
    ("Many residents think the park is too small for the summer festival.", ""),
    ("Some visitors think the museum opens too late on Sundays.", ""),
]


def _gold(text: str, content: str) -> list[dict[str, Any]]:
    if not content:
        return []
    start = text.index(content)
    return [{"content": {"start": start, "end": start + len(content)}}]


def test_refiners_learn_where_the_training_gold_ends() -> None:
    docs = [parse(t) for t, _ in TRAINING]
    refiners = train_refiners(docs, [_gold(t, c) for t, c in TRAINING], SILENT, c=10.0)
    assert refiners.ends is not None and refiners.keep is not None
    doc = parse("The governor claimed that the dam was sound, although engineers had warned of leaks.")
    with using_model(SILENT, refiners):
        found = find_attributions(doc)
    assert "that the dam was sound" in contents(doc, found)


def test_shipped_refiners_load_and_score_in_unit_range() -> None:
    refiners = shipped_refiners()
    assert refiners.ends is not None and refiners.keep is not None
    assert len(refiners.ends.index) > 500 and len(refiners.keep.index) > 500
    doc = parse(CLAIMED)
    for att in find_rule_attributions(doc):
        assert 0.0 <= refiners.keep.probability(keep_features(doc, att, True)) <= 1.0
    assert shipped_model() is not None


WORDS = ["the", "mayor", "said", "that", "claimed", "roads", "were", "closed", ",", "although", "and", "during",
         "a", "storm", "--", "(", ")", ".", "“", "”", "officials", "insisted", "in", "May", "\n\n"]


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=60))
@example(words=["said", "mayor", "said", "“", "the"])  # a content that opens a quotation holds it whole
@settings(max_examples=40, deadline=None)
def test_refined_contents_lie_inside_what_was_found(words: list[str]) -> None:
    text = " ".join(words).strip() or "mayor"
    doc = parse(text)
    before = {id(a): a.content for a in find_rule_attributions(doc)}
    rules = find_rule_attributions(doc)
    originals = [a.content for a in rules]
    for refiners in (Refiners(ends=EAGER), shipped_refiners()):
        rules = find_rule_attributions(doc)
        refined = refine(doc, rules, [], refiners)
        assert len(refined) <= len(originals) and before is not None
        for att in refined:
            original = _with_touched_quotations(text, originals[rules.index(att)])
            assert original[0] <= att.content[0] < att.content[1] <= original[1]
            assert att.content == original or att.content[1] - att.content[0] >= MIN_CONTENT_CHARS


def _with_touched_quotations(text: str, content: tuple[int, int]) -> tuple[int, int]:
    """The bounds a refined content may reach: its own, widened to hold whole the quotation pieces
    it touches (`_close_open_quotes`)."""
    start, end = content
    for piece_start, piece_end in (p for q in find_quoted(text) for p in q.pieces):
        if piece_start < end and start < piece_end:
            start, end = min(start, piece_start), max(end, piece_end)
    return start, end


def test_breaks_read_per_content_are_bounded() -> None:
    text = "The mayor said that " + ", ".join(f"road {n} was closed" for n in range(60)) + "."
    doc = parse(text)
    for att in find_rule_attributions(doc):
        assert len(cut_points(doc, att)) <= MAX_BREAKS


def _indirect(text: str, content: str) -> Any:
    from tidings.attribution.extract import Attribution

    start = text.index(content)
    rng = (start, start + len(content))
    return Attribution(content=rng, fragments=[rng], speaker=None, cue=None, kind="indirect")


@pytest.mark.parametrize(
    ("text", "content", "expected"),
    [
        ("Farmers asked about the cost of the new dam.", "about the cost of the new dam", "the cost of the new dam"),
        ("The envoy spoke of a slow thaw between the two capitals.", "of a slow thaw between the two capitals",
         "a slow thaw between the two capitals"),
        ("She asked about it.", "about it", "about it"),  # what would be left is too short to stand alone
        ("They argued that the dam was safe.", "that the dam was safe", "that the dam was safe"),
    ],
)
def test_a_content_never_opens_with_a_preposition(text: str, content: str, expected: str) -> None:
    doc = parse(text)
    refined = refine(doc, [_indirect(text, content)], [], NO_REFINERS)
    assert contents(doc, refined) == [expected]


def test_a_direct_quote_keeps_its_opening_word() -> None:
    text = '"About time," the mayor said.'
    doc = parse(text)
    att = _indirect(text, '"About time,"')
    att.kind = "direct"
    assert contents(doc, refine(doc, [att], [], NO_REFINERS)) == ['"About time,"']
