"""Contents in pieces (a cue clause set off by commas mid-sentence), contents cut where the
speaker's next act begins, and stance objects. Sentences written for these tests."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pytest

from tidings.analyze import analyze_records


@lru_cache(maxsize=64)
def analyze(text: str) -> dict[str, Any]:
    return next(analyze_records([{"id": "t", "text": text}], ["nlp", "quotes", "claims"]))


def quote_with(text: str, words: str) -> dict[str, Any]:
    out = analyze(text)
    found = [q for q in out["quotes"] if words in q["content"]["text"]]
    assert found, f"no quote holds {words!r}: {[q['content']['text'] for q in out['quotes']]}"
    return found[0]


def pieces(text: str, quote: dict[str, Any]) -> list[str]:
    return [text[s:e] for s, e in quote["content_fragments"]]


@pytest.mark.parametrize(
    ("text", "words", "speaker", "expected"),
    [
        ("Too often, he said, the debate over the river dam is poisoned by anger.", "river dam",
         "he", ["Too often", "the debate over the river dam is poisoned by anger"]),
        ("The weekly stipend, the plan says, would be $200.", "$200",
         "the plan", ["The weekly stipend", "would be $200"]),
        ("In the villages near the border, the mayor said, most wells have run dry.", "wells",
         "the mayor", ["In the villages near the border", "most wells have run dry"]),
        ("Most wells have run dry, the mayor told us on Monday, and the pumps are broken.", "pumps",
         "the mayor", ["Most wells have run dry", "and the pumps are broken"]),
    ],
)
def test_cue_clause_in_the_middle_splits_the_content(text: str, words: str, speaker: str, expected: list[str]) -> None:
    quote = quote_with(text, words)
    assert quote["speaker"]["text"] == speaker
    assert pieces(text, quote) == expected
    cue = (quote["cue"]["start"], quote["cue"]["end"])
    assert not any(s <= cue[0] < e for s, e in quote["content_fragments"])


def test_chain_after_a_mid_sentence_cue_is_not_a_piece() -> None:
    text = "The harbour is open again, Moreau said, the agency reported."
    quote = quote_with(text, "harbour is open")
    assert quote["content_fragments"] == []
    assert quote["content"]["text"] == "The harbour is open again"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("The senator said the bill was unfair, arguing that farmers would pay twice.", "the bill was unfair"),
        ("The ministry said the dam was safe and warned residents to stay calm.", "the dam was safe"),
    ],
)
def test_content_stops_where_the_speakers_next_act_begins(text: str, content: str) -> None:
    quote = quote_with(text, content)
    assert quote["content"]["text"] == content


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("Governor Ruiz backed the pipeline plan last spring.", "backed", "the pipeline plan"),
        ("The union invoked an old strike law in court.", "invoked", "an old strike law"),
        ("The envoy stressed the risks of a wider war.", "stressed", "the risks of a wider war"),
    ],
)
def test_stance_verbs_with_a_noun_object(text: str, cue: str, content: str) -> None:
    quote = quote_with(text, content)
    assert (quote["cue"]["text"], quote["content"]["text"]) == (cue, content)
    claims = analyze(text)["claims"]
    assert quote["attribution"] == "stance"
    assert not any(c["content"]["text"] == content for c in claims)  # a stance is not a claim of fact


def test_curly_quote_nested_in_a_curly_quote_stays_one_quote() -> None:
    from tidings.attribution.marks import find_quoted

    text = "“I would rather walk to what they call “the edge” than ride with him,” she said."
    quoted = find_quoted(text)
    assert [(q.start, q.end) for q in quoted] == [(0, text.index(",” she") + 2)]


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        # A straight mark opens, a curly one closes: the quote ends there, not at the paragraph end.
        ('"The ferry is the only way across,” the harbour master said. “Take it early.”',
         ['"The ferry is the only way across,”', "“Take it early.”"]),
        # Curly marks opened inside a straight quote pair up inside it.
        ('"They call it “the long bridge” for a reason," she said.',
         ['"They call it “the long bridge” for a reason,"']),
    ],
)
def test_straight_and_curly_marks_mixed(text: str, quotes: list[str]) -> None:
    from tidings.attribution.marks import find_quoted

    assert [text[q.start : q.end] for q in find_quoted(text)] == quotes


def test_mixed_marks_leave_the_cue_and_speaker_outside_the_quote() -> None:
    text = '"The ferry is the only way across,” said Ana Ruiz, the harbour master. “Take it early.”'
    quote = quote_with(text, "ferry")
    assert pieces(text, quote) == ['"The ferry is the only way across,”', "“Take it early.”"]
    assert quote["speaker"]["text"].startswith("Ana Ruiz")


def test_paragraph_opened_by_a_closing_mark_is_a_quote() -> None:
    from tidings.attribution.marks import find_quoted

    text = "Readers wrote in.\n\n”The bus never came, and nobody told us why.” ― Ines Barros\n"
    quoted = find_quoted(text)
    assert len(quoted) == 1
    assert text[quoted[0].start : quoted[0].end] == "”The bus never came, and nobody told us why.”"
    quote = quote_with(text, "bus never came")
    assert (quote["speaker"]["text"], quote["kind"]) == ("Ines Barros", "direct")


def test_dash_credit_after_a_no_break_space() -> None:
    text = "“The river rose in one night and took the bridge.”\u00a0― Pavel Dusek\n"
    quote = quote_with(text, "river rose")
    assert quote["speaker"]["text"] == "Pavel Dusek"


def test_according_to_in_mid_sentence_reports_both_sides() -> None:
    text = "Bread prices rose by a third, according to the bakers' union, and flour ran short in May."
    quote = quote_with(text, "Bread prices")
    assert pieces(text, quote) == ["Bread prices rose by a third", "and flour ran short in May"]
    assert quote["speaker"]["text"] == "the bakers' union"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("KOVACS: We never saw the money, and the mayor knew it.\n\nThe hearing went on.", "KOVACS"),
        ("Survey: Most farmers expect a dry summer this year.\n\nThe survey was small.", "Survey"),
    ],
)
def test_speaker_label_at_a_paragraph_start(text: str, speaker: str) -> None:
    out = analyze(text)
    labelled = [q for q in out["quotes"] if q["cue"] and q["cue"]["text"] == ":"]
    assert [q["speaker"]["text"] for q in labelled] == [speaker]


@pytest.mark.parametrize(
    "text",
    [
        "Correction: An earlier version of this story gave the wrong date for the vote.\n\nIt was in May.",
        "The Latest: Floods close the coastal road near the harbour.\n\nMore rain is due.",
    ],
)
def test_headline_kickers_are_not_speakers(text: str) -> None:
    out = analyze(text)
    assert not [q for q in out["quotes"] if q["cue"] and q["cue"]["text"] == ":"]


def test_transcript_label_owns_its_paragraph() -> None:
    text = "MARSH: I told them the dam would hold, and it held. The engineers said so too.\n"
    out = analyze(text)
    assert len(out["quotes"]) == 1
    assert out["quotes"][0]["speaker"]["text"] == "MARSH"


def test_relative_word_before_the_cue_opens_the_content() -> None:
    text = "The mayor cut the grants, which he said were wasted on consultants."
    quote = quote_with(text, "wasted on consultants")
    assert pieces(text, quote) == ["which", "were wasted on consultants"]
    assert (quote["speaker"]["text"], quote["speaker_name"], quote["cue"]["text"]) == ("he", None, "said")


def test_cue_after_a_titled_speaker_with_abbreviation() -> None:
    text = '"Is the road open? Probably not," Ms. Lund said. "Will it open soon? Maybe."'
    quote = quote_with(text, "road open")
    assert (quote["speaker"]["text"], quote["kind"]) == ("Ms. Lund", "direct")
    assert pieces(text, quote) == ['"Is the road open? Probably not,"', '"Will it open soon? Maybe."']


def test_reporting_verb_after_appear_keeps_its_subject() -> None:
    text = "The coach appeared to suggest that the referee had been paid."
    quote = quote_with(text, "referee had been paid")
    assert (quote["speaker"]["text"], quote["cue"]["text"]) == ("The coach", "to suggest")
    assert quote["content"]["text"] == "that the referee had been paid"


def test_infinitive_of_purpose_is_not_a_cue() -> None:
    out = analyze("They walked to the square to say goodbye to the soldiers.")
    assert out["quotes"] == []


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("The senator cited the flooded roads as proof of neglect.", "cited", "the flooded roads as proof of neglect"),
        ("The bishop urged parishioners to stay home on Sunday.", "urged", "parishioners to stay home on Sunday"),
        ("The mayor told the guards to open the gates.", "told", "the guards to open the gates"),
        ("The minister praised the volunteers, who had worked all night.", "praised", "the volunteers"),
    ],
)
def test_stance_object_with_its_complement(text: str, cue: str, content: str) -> None:
    quote = quote_with(text, content)
    assert (quote["cue"]["text"], quote["content"]["text"], quote["attribution"]) == (cue, content, "stance")


@pytest.mark.parametrize(
    "text",
    [
        "The levee was already breaking, the engineers learned on Friday.",
        "If the talks failed, the court could deny the permit.",
    ],
)
def test_no_fronted_content_for_knowing_verbs_or_conditions(text: str) -> None:
    out = analyze(text)
    assert not [q for q in out["quotes"] if q["content"]["start"] == 0]


def test_court_ruling_is_reported() -> None:
    quote = quote_with("The court ruled that the dismissals were unlawful.", "dismissals were unlawful")
    assert (quote["speaker"]["text"], quote["cue"]["text"]) == ("The court", "ruled")
