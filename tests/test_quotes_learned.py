"""The learned attribution-cue model: candidates, features, weights file, rules-first merging,
training, and the scorer's document cross-validation."""

from __future__ import annotations

import json
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.attribution import find_attributions
from tidings.attribution.extract import Paragraphs, find_rule_attributions
from tidings.attribution.learned import (
    CueModel,
    candidates,
    current_model,
    features,
    learned_attributions,
    read_model,
    shipped_model,
    using_model,
)
from tidings.attribution.training import labelled_candidates, train_model
from tidings.errors import TidingsError
from tidings.eval import run_eval
from tidings.eval.quotes import document_folds

SILENT = CueModel({}, np.zeros(0, dtype=np.float32), -40.0)
EAGER = CueModel({}, np.zeros(0, dtype=np.float32), 40.0)


@lru_cache(maxsize=64)
def parse(text: str) -> Any:
    from tidings.nlp import load_nlp

    return load_nlp()(text)


def texts_of(doc: Any, ranges: list[tuple[int, int]]) -> list[str]:
    return [doc.text[s:e] for s, e in ranges]


def test_candidates_are_complement_subtrees_of_content_words() -> None:
    doc = parse("The governor signed an order banning the sale of fireworks in the county.")
    found = candidates(doc, [], Paragraphs(doc))
    by_cue = {(doc[c.cue].text, doc.text[c.content[0] : c.content[1]]) for c in found}
    assert ("signed", "an order banning the sale of fireworks in the county") in by_cue
    for c in found:
        assert doc.text[c.content[0] : c.content[1]].strip() == doc.text[c.content[0] : c.content[1]]
        assert c.content[1] - c.content[0] >= 8


def test_preposition_complements_give_two_boundaries() -> None:
    doc = parse("The mayor has faced questions about her ties to the developer.")
    found = {(doc[c.cue].text, c.variant, doc.text[c.content[0] : c.content[1]]) for c in candidates(doc, [], Paragraphs(doc))}
    assert ("questions", "subtree", "about her ties to the developer") in found
    assert ("questions", "object", "her ties to the developer") in found


def test_candidates_never_overlap_taken_text() -> None:
    doc = parse('The minister said the bridge was closed and signed an order banning all traffic on it. "We will reopen it soon."')
    rules = find_rule_attributions(doc)
    taken = [(a.content[0], a.content[1]) for a in rules]
    assert taken, "the rules find the `said` content"
    for c in candidates(doc, rules, Paragraphs(doc)):
        assert all(c.content[1] <= s or c.content[0] >= e for s, e in taken)


def test_features_name_the_cue_and_the_complement() -> None:
    doc = parse("The union voiced disdain for the new contract offered by the company.")
    cand = next(c for c in candidates(doc, [], Paragraphs(doc)) if doc[c.cue].text == "disdain")
    names = features(doc, cand, [])
    assert "lem=disdain" in names and "pos=NOUN" in names and "cd=prep" in names and "prep=for" in names
    assert len(names) == len(set(names))


def test_silent_model_leaves_the_rules_alone() -> None:
    doc = parse("The council approved a budget that cuts library hours, the mayor said on Monday.")
    with using_model(SILENT):
        assert current_model() is SILENT
        found = find_attributions(doc)
    assert [(a.content, a.cue) for a in found] == [(a.content, a.cue) for a in find_rule_attributions(doc)]
    assert current_model() is not SILENT


def test_eager_model_adds_only_outside_rule_contents_and_never_overlapping() -> None:
    doc = parse(
        "Officials said the dam was safe. The engineer signed a report warning of cracks in the wall, "
        "and residents voiced anger at the delay in repairs."
    )
    rules = find_rule_attributions(doc)
    with using_model(EAGER):
        added = learned_attributions(doc, rules)
    assert added
    ranges = sorted(a.content for a in added)
    for (_, end), (start, _) in pairwise(ranges):
        assert end <= start
    for a in added:
        assert all(a.content[1] <= r.content[0] or a.content[0] >= r.content[1] for r in rules)
        assert a.cue is not None and not (a.content[0] <= a.cue[0] < a.content[1])
    cues = {doc.text[a.cue[0] : a.cue[1]] for a in added}
    assert "signed" in cues or "voiced" in cues


def test_learned_attribution_speaker_is_the_cue_subject() -> None:
    doc = parse("Senator Mara Quist signed an order closing the harbour road for repairs.")
    with using_model(EAGER):
        added = learned_attributions(doc, find_rule_attributions(doc))
    endorsed = [a for a in added if doc.text[a.cue[0] : a.cue[1]] == "signed"]
    assert endorsed
    assert endorsed[0].speaker is not None
    assert doc.text[endorsed[0].speaker[0] : endorsed[0].speaker[1]] == "Senator Mara Quist"
    assert doc.text[endorsed[0].content[0] : endorsed[0].content[1]].startswith("an order closing")
    assert endorsed[0].attribution == "stance"  # a noun phrase, not a statement: no claim of its own


def test_shipped_model_loads_and_scores_in_unit_range() -> None:
    model = shipped_model()
    assert len(model.index) == len(model.weights) > 1000
    doc = parse("The senator has faced questions about his campaign loans from a casino owner.")
    for cand in candidates(doc, [], Paragraphs(doc)):
        p = model.probability(features(doc, cand, []))
        assert 0.0 <= p <= 1.0


def test_shipped_model_adds_a_non_verbal_cue() -> None:
    doc = parse("Many farmers in the valley voiced disdain for the new water rules imposed by the state.")
    assert not find_rule_attributions(doc)
    added = learned_attributions(doc, [])
    assert [doc.text[a.content[0] : a.content[1]] for a in added] in (
        ["the new water rules imposed by the state"],
        ["for the new water rules imposed by the state"],
    )
    assert doc.text[added[0].speaker[0] : added[0].speaker[1]] == "Many farmers in the valley"


def test_unreadable_weights_raise_e120(tmp_path: Path) -> None:
    bad = tmp_path / "cues.npz"
    bad.write_bytes(b"not a numpy archive")
    with pytest.raises(TidingsError) as err:
        read_model(bad)
    assert "E120" in str(err.value)


def test_saved_model_round_trips(tmp_path: Path) -> None:
    model = CueModel({"lem=sign": 0, "cd=dobj": 1}, np.array([1.5, -0.5], dtype=np.float32), -0.25)
    model.save(str(tmp_path / "m.npz"))
    again = read_model(tmp_path / "m.npz")
    assert again.index == model.index and again.bias == pytest.approx(-0.25)
    assert again.probability(["lem=sign", "unknown"]) == pytest.approx(1 / (1 + np.exp(-1.25)), rel=1e-3)


def test_training_learns_the_feature_that_marks_positives() -> None:
    rows = [["bias", "lem=sign", "cd=dobj"]] * 20 + [["bias", "lem=eat", "cd=dobj"]] * 20
    labels = [1] * 20 + [0] * 20
    model = train_model(rows, labels, c=1.0)
    assert model.probability(["bias", "lem=sign", "cd=dobj"]) > 0.8
    assert model.probability(["bias", "lem=eat", "cd=dobj"]) < 0.2


def test_training_refuses_one_class() -> None:
    with pytest.raises(TidingsError) as err:
        train_model([["bias"], ["bias"]], [0, 0])
    assert "E121" in str(err.value)


def test_labelled_candidates_mark_only_gold_the_rules_missed() -> None:
    text = "The governor said taxes would rise. The mayor signed a pledge to freeze rents in the city."
    doc = parse(text)
    said = text.index("taxes would rise")
    pledge = text.index("a pledge to freeze rents in the city")
    gold = [
        {"content": {"start": said, "end": said + len("taxes would rise")}},
        {"content": {"start": pledge, "end": pledge + len("a pledge to freeze rents in the city")}},
    ]
    rows, labels = labelled_candidates(doc, gold)
    assert len(rows) == len(labels) and sum(labels) >= 1
    positives = [r for r, y in zip(rows, labels, strict=True) if y]
    assert all("lem=say" not in r for r in positives)
    assert any("lem=sign" in r for r in positives)


@given(st.integers(min_value=2, max_value=200), st.integers(min_value=2, max_value=10))
@settings(max_examples=60, deadline=None)
def test_document_folds_are_balanced_and_fixed(n_docs: int, k: int) -> None:
    folds = document_folds(n_docs, k)
    assert folds == document_folds(n_docs, k)
    sizes = [folds.count(f) for f in range(k)]
    assert max(sizes) - min(sizes) <= 1 and set(folds) <= set(range(k))


MY_ARTICLES = [
    ("The harbour master said the pier would reopen in May. The council signed a deal to repair the sea wall before winter.",
     ["the pier would reopen in May", "a deal to repair the sea wall before winter"]),
    ("Farmers voiced anger at the new levy on diesel. The minister insisted that the levy was fair.",
     ["the new levy on diesel", "the levy was fair"]),
    ("The coach told reporters that the team was tired. Fans chanted slogans against the owner outside the stadium.",
     ["the team was tired", "slogans against the owner"]),
    ("Inspectors found that the bridge was unsafe. The company denied any wrongdoing in a short statement.",
     ["the bridge was unsafe", "any wrongdoing"]),
]


def _gold_line(n: int, text: str, contents: list[str]) -> str:
    quotes = [{"content": {"start": text.index(c), "end": text.index(c) + len(c), "text": c}, "speaker": None, "cue": None} for c in contents]
    return json.dumps({"id": f"a{n}", "text": text, "published": "2024-05-01", "quotes": quotes})


def test_scorer_cross_validates_over_documents(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(_gold_line(n, t, c) for n, (t, c) in enumerate(MY_ARTICLES)) + "\n")
    scores = run_eval("quotes", gold, baseline=False, cv=2)
    assert scores["cv_folds"] == 2
    assert scores["cv_n_gold"] == scores["n_gold"] == 8
    assert scores["rules_n_gold"] == 8
    for name in ("cv_overlap_f1", "rules_overlap_f1", "overlap_f1"):
        assert 0.0 <= scores[name] <= 1.0
    # The rules alone find the `said`, `told ... that`, `insisted that` and `found that` contents.
    assert scores["rules_overlap_r"] >= 0.5


def test_scorer_refuses_a_bad_fold_count(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(_gold_line(n, t, c) for n, (t, c) in enumerate(MY_ARTICLES[:2])) + "\n")
    for bad in (1, 3):
        with pytest.raises(TidingsError) as err:
            run_eval("quotes", gold, baseline=False, cv=bad)
        assert "E121" in str(err.value)


def test_shipped_model_carries_the_speaker_into_a_quote_paragraph() -> None:
    text = (
        "“The water is safe to drink,” said Mayor Lena Ortiz on Tuesday.\n\n"
        "“We tested every well in the district twice this month and found nothing unusual.”"
    )
    doc = parse(text)
    rules = find_rule_attributions(doc)
    assert [doc.text[a.content[0] : a.content[1]] for a in rules] == ["“The water is safe to drink,”"]
    added = learned_attributions(doc, rules)
    assert len(added) == 1 and added[0].kind == "direct"
    assert texts_of(doc, [added[0].content]) == [text[text.index("“We") :]]
    assert added[0].speaker == rules[0].speaker and added[0].cue == rules[0].cue
    assert texts_of(doc, [added[0].speaker]) == ["Mayor Lena Ortiz"]


WORDS = ["the", "mayor", "signed", "an", "order", "voiced", "anger", "at", "plan", "said", "that", "farmers",
         "questions", "about", "loans", ",", ".", "“", "”", '"', "\n\n", "to", "close", "road", "they", "feared"]


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=60))
@settings(max_examples=40, deadline=None)
def test_learned_spans_lie_in_the_text_and_never_hold_their_cue(words: list[str]) -> None:
    text = " ".join(words).strip() or "mayor"
    doc = parse(text)
    rules = find_rule_attributions(doc)
    for model in (EAGER, shipped_model()):
        with using_model(model):
            added = learned_attributions(doc, rules)
        for a in added:
            assert 0 <= a.content[0] < a.content[1] <= len(text)
            for s, e in a.fragments:
                assert a.content[0] <= s < e <= a.content[1]
                assert a.cue is None or not (s <= a.cue[0] and a.cue[1] <= e)
                assert all(e <= r.content[0] or s >= r.content[1] for r in rules)


def test_eager_model_is_fast_on_a_huge_unpunctuated_paragraph() -> None:
    import time

    words = ["officials", "signed", "orders", "banning", "trucks", "while", "residents", "voiced", "anger", "at", "plans", "to", "close", "roads"]
    doc = parse(" ".join(words[i % len(words)] for i in range(5000)))
    rules = find_rule_attributions(doc)
    started = time.perf_counter()
    with using_model(EAGER):
        added = learned_attributions(doc, rules)
    assert time.perf_counter() - started < 5.0
    ranges = sorted(a.content for a in added)
    assert ranges and all(end <= start for (_, end), (start, _) in pairwise(ranges))


def test_passive_subjects_are_candidates_attributed_to_the_agent() -> None:
    doc = parse("The new housing bill was endorsed by the mayor on Friday.")
    found = {(doc[c.cue].text, doc.text[c.content[0] : c.content[1]]) for c in candidates(doc, [], Paragraphs(doc))}
    assert ("endorsed", "The new housing bill") in found
    with using_model(EAGER):
        added = learned_attributions(doc, [])
    bill = [a for a in added if doc.text[a.content[0] : a.content[1]] == "The new housing bill"]
    assert bill and bill[0].speaker is not None
    assert doc.text[bill[0].speaker[0] : bill[0].speaker[1]] == "the mayor"
