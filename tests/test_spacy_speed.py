"""The cached attribute ruler and lemmatizer, and the networks on numpy's BLAS, give the stock
pipeline's annotation, token for token."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, ORTH, POS, SENT_START, TAG

from tidings import spacy_speed
from tidings.nlp import LINE_BREAK_COMPONENT, MODEL_NAME, _register_line_breaks, load_nlp

DATA = Path(__file__).parent / "data"
ATTRS = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]
# Every construction the English ruler has a special pattern for, in sentences of our own:
# two-token patterns (ain't, gonna, gotta, let's, c'mon, y'all, expletive "there is"), pronoun
# case by dependency, auxiliaries, "but" as an adverb, gets/got, and whitespace tokens.
CONSTRUCTIONS = [
    "There is a checkpoint outside Bakhmut, and there were two more on the road.",
    "It ain't over, the commander said. We're gonna hold the line and you gotta trust us.",
    "Let's go, c'mon, y'all know the convoy got through and it gets through every week.",
    "I told him; he told me. You saw it and it saw you. They did it, did they not?",
    "She has been detained but released. Nobody but the guards had keys.",
    "Officials   said  \n\n  the talks\n\nwill resume.\t\tNo date was set.",
    "“He  gets it,” said Kim. “Do you?” 'Yes,' replied the envoy, 'we do.'",
    "The 1,300-strong unit's drones hit 12 targets at 04:30 on Tuesday.",
]


def stock_nlp() -> Any:
    nlp = spacy.load(MODEL_NAME)
    _register_line_breaks()
    nlp.add_pipe(LINE_BREAK_COMPONENT, before="parser")
    return nlp


def real_texts() -> list[str]:
    texts = [json.loads(line)["text"] for line in (DATA / "ledger" / "corpus.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += [(DATA / "ingest" / name).read_text(encoding="utf-8") for name in ("wire_debris.txt", "one_article.txt", "wrapped.txt")]
    return texts


def differences(expected: Any, got: Any) -> list[str]:
    a, b = expected.to_array(ATTRS), got.to_array(ATTRS)
    return [f"{expected[int(i)].text!r}: {ATTRS[int(j)]} {a[i, j]} != {b[i, j]}" for i, j in np.argwhere(a != b)[:5]]


@pytest.fixture(scope="module")
def stock() -> Any:
    return stock_nlp()


def test_load_nlp_swaps_both_components() -> None:
    names = load_nlp().pipe_names
    assert spacy_speed.ATTRIBUTES in names and spacy_speed.LEMMAS in names
    assert "attribute_ruler" not in names and "lemmatizer" not in names


def test_every_network_layer_multiplies_with_numpy_blas_on_one_thread() -> None:
    from thinc.api import NumpyOps
    from threadpoolctl import threadpool_info

    nlp = load_nlp()
    layers = [layer for _, component in nlp.pipeline if hasattr(getattr(component, "model", None), "walk") for layer in component.model.walk()]
    assert len(layers) > 50
    assert all(isinstance(layer.ops, NumpyOps) and not layer.ops.use_blis for layer in layers)
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == spacy_speed.BLAS_THREADS for pool in blas)
    assert all(layer.ops.use_blis for layer in stock_nlp().get_pipe("ner").model.walk())  # what the stock pipeline uses


@pytest.mark.parametrize("texts", [real_texts(), CONSTRUCTIONS, ['"' * 300, "word " * 3000, "\n\n\n", " ", "a"]], ids=["real", "constructions", "hostile"])
def test_same_annotation_as_the_stock_pipeline(stock: Any, texts: list[str]) -> None:
    for expected, got in zip(stock.pipe(texts), load_nlp().pipe(texts), strict=True):
        assert differences(expected, got) == [], expected.text[:80]


def test_constructions_take_their_special_values() -> None:
    """The two-token patterns really fire (the comparison above would pass if neither did)."""
    doc = load_nlp()("It ain't over. We're gonna win. Let's go. There is hope.")
    by_text = {t.text: t for t in doc}
    assert by_text["ai"].lemma_ == "be"
    assert by_text["gon"].lemma_ == "go" and by_text["na"].lemma_ == "to"
    assert by_text["'s"].lemma_ == "us"
    assert by_text["is"].pos_ == "VERB"


def test_small_caches_start_over_and_stay_exact(stock: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spacy_speed, "MAX_CACHED_KEYS", 8)
    nlp = stock_nlp()
    spacy_speed.speed_up(nlp)
    texts = real_texts()[:6]
    for expected, got in zip(stock.pipe(texts), nlp.pipe(texts), strict=True):
        assert differences(expected, got) == []
    ruler = nlp.get_pipe(spacy_speed.ATTRIBUTES)
    assert len(ruler._plans) <= 8 + max(len(d) for d in nlp.pipe(texts))


def test_rulers_with_operators_keep_the_original_component() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "very", "OP": "+"}, {"LOWER": "good"}]], {"LEMMA": "good"})
    assert not spacy_speed.plannable(ruler)
    spacy_speed.speed_up(nlp)
    assert nlp.pipe_names == ["attribute_ruler"]


def test_rulers_reading_more_of_the_text_key_every_word_apart() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"ORTH": "Kyiv"}]], {"LEMMA": "Kyiv"})
    words = spacy_speed.WordClasses.of(ruler.patterns, nlp.vocab)
    kyiv, kiev = nlp.vocab.strings.add("Kyiv"), nlp.vocab.strings.add("Kiev")
    assert words.class_of(kyiv) == kyiv and words.class_of(kiev) == kiev
    assert nlp("Kyiv and Kiev")[0].lemma_ == "Kyiv"
    spacy_speed.speed_up(nlp)
    doc = nlp("Kyiv and Kiev")
    assert [t.lemma_ for t in doc] == ["Kyiv", "", ""]


def test_unnamed_words_share_the_placeholder_class() -> None:
    ruler = load_nlp().get_pipe(spacy_speed.ATTRIBUTES)
    strings = ruler.vocab.strings
    words = ruler._words
    assert words.class_of(strings.add("Zaporizhzhia")) == words.class_of(strings.add("Vuhledar")) == words.placeholder
    assert words.class_of(strings.add("gon")) == strings["gon"]
    assert words.class_of(strings.add("  ")) == strings["  "]
    assert words.class_of(strings.add("n't")) == strings["n't"]  # named by a REGEX only


def test_cached_sentences_entities_and_text_are_spacys(stock: Any) -> None:
    from tidings.nlp import entities, entities_in, sentences, text_of

    for doc in load_nlp().pipe(real_texts()[:8] + CONSTRUCTIONS):
        for _ in range(2):  # computed, then read back from doc.user_data
            assert [(s.start, s.end) for s in sentences(doc)] == [(s.start, s.end) for s in doc.sents]
            assert [(e.start, e.end, e.label_) for e in entities(doc)] == [(e.start, e.end, e.label_) for e in doc.ents]
            assert text_of(doc) == doc.text
        for span in [*doc.sents, doc[2:9], doc[0:0], doc[:]]:
            assert [(e.start, e.end) for e in entities_in(span)] == [(e.start, e.end) for e in span.ents]
        assert doc.to_bytes()  # the caches keep the Doc serialisable
