"""The cheap paths of the `quantities` stage give what the plain ones gave.

- parts of speech read from the parse's arrays equal those read token by token;
- the tokenizer's offsets, kinds and spacing, on sentences written for these tests;
- the finder tries only tokens that can open a figure, and still finds every one.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.figures import find_figures
from tidings.figures.finder import _may_start_figure, _possible_starts
from tidings.figures.tokens import Token, tokenize
from tidings.nlp import load_nlp
from tidings.stages.quantities import parts_of_speech

SENTENCES = [
    "Nearly 1,200 displaced families crossed the bridge at dawn, aid workers said.",
    "  Two   drones and a dozen shells hit the depot;\n\nno one was hurt.  ",
    "The £3.5bn package funds 40 clinics — about a third of them in the north.",
    "",
    "Rain.",
]


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.mark.parametrize("sentence", SENTENCES)
def test_parts_of_speech_match_the_tokens(nlp, sentence: str) -> None:
    doc = nlp(sentence)
    assert parts_of_speech(doc) == {token.idx: token.pos_ for token in doc if not token.is_space}


def test_parts_of_speech_hold_real_tags(nlp) -> None:
    tags = parts_of_speech(nlp("Nine fishermen were rescued off the coast."))
    assert tags[0] == "NUM"
    assert tags[5] == "NOUN"  # "fishermen"
    assert parts_of_speech(None) == {}


def test_tokens_carry_offsets_kinds_and_spacing() -> None:
    text = "Some 2.500 troops (½ of them) left-behind."
    tokens = tokenize(text)
    assert [(t.text, t.kind, t.spaced) for t in tokens] == [
        ("Some", "word", True), ("2.500", "num", True), ("troops", "word", True), ("(", "punct", True),
        ("½", "frac", False), ("of", "word", True), ("them", "word", True), (")", "punct", False),
        ("left", "word", True), ("-", "punct", False), ("behind", "word", False), (".", "punct", False),
    ]
    assert all(text[t.start : t.end] == t.text and t.lower == t.text.lower() for t in tokens)
    assert tokens[0].is_word and not tokens[1].is_word


def test_tokens_are_immutable() -> None:
    token = tokenize("five")[0]
    assert isinstance(token, Token)
    with pytest.raises(AttributeError):
        token.text = "six"  # type: ignore[misc]


_PIECES = st.sampled_from(
    ["about", "at", "least", "5", "1,000", "2.5", "½", "$", "£", "US", "$", "million", "dozens", "of", "the",
     "troops", "no", "one", "nobody", "was", "killed", "a", "half", "twenty-one", "-", "to", ",", ".", "and"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=40), st.sampled_from([" ", "", "  "]))
def test_possible_starts_are_the_tokens_that_may_start_a_figure(pieces: list[str], joiner: str) -> None:
    tokens = tokenize(joiner.join(pieces))
    assert _possible_starts(tokens) == [i for i, t in enumerate(tokens) if _may_start_figure(t)]


def test_figures_are_found_with_the_filtered_starts() -> None:
    text = "At least 30 people were killed and about 2,000 fled; nobody was injured in the second raid."
    found = [(q.text, q.value, q.role) for q in find_figures(text)]
    assert ("At least 30 people", 30.0, "killed") in found
    assert any(t.startswith("about 2,000") for t, _, _ in found)
    assert ("nobody", 0.0, "injured") in found


def test_a_long_article_is_fast() -> None:
    text = "Officials said 12 soldiers and three civilians were killed near the river on Monday. " * 2_000
    started = time.perf_counter()
    found = find_figures(text)
    assert time.perf_counter() - started < 5.0  # ~0.5 s on a shared CPU
    assert len([q for q in found if q.role == "killed"]) >= 4_000
