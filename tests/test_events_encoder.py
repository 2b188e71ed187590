"""The sentence encoder (ONNX MiniLM) and the averaged classifier, on sentences written for this test."""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from tidings.article import Article
from tidings.errors import TidingsError
from tidings.eval.events import fold_encoder
from tidings.events.classifier import (
    ENCODE_BELOW,
    HEAD_WEIGHT,
    Classifier,
    current_classifier,
    load_head_file,
    using_model,
)
from tidings.events.encoder import DIM, Encoder, packaged_encoder
from tidings.events.training import embed
from tidings.pipeline import Pipeline


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return packaged_encoder()


def test_embeddings_are_unit_vectors(encoder: Encoder) -> None:
    vectors = encoder.embed(["Floodwater swept through the lower town overnight.", "Ministers signed the accord.", ""])
    assert vectors.shape == (3, DIM)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


def test_empty_batch(encoder: Encoder) -> None:
    assert encoder.embed([]).shape == (0, DIM)


def test_batch_order_does_not_change_vectors(encoder: Encoder) -> None:
    texts = ["A short one.", "A much longer sentence about a convoy that was hit by a roadside bomb near the pass.", "Mid length text about a rally."]
    alone = np.vstack([encoder.embed([t]) for t in texts])
    together = encoder.embed(texts)
    assert (alone * together).sum(axis=1).min() > 0.999


def test_similar_reports_are_closer_than_unrelated_ones(encoder: Encoder) -> None:
    shelling, shelling2, protest = encoder.embed([
        "Artillery shells hit the outskirts of the port city overnight.",
        "The town was shelled by heavy guns during the night.",
        "Teachers marched to parliament to demand their unpaid salaries.",
    ])
    assert float(shelling @ shelling2) > float(shelling @ protest) + 0.1


def test_long_input_is_truncated_and_fast(encoder: Encoder) -> None:
    huge = " ".join(["The convoy moved slowly along the mountain road past burnt villages."] * 400)
    started = time.perf_counter()
    vector = encoder.embed([huge, "x" * 100_000])
    assert vector.shape == (2, DIM)
    assert time.perf_counter() - started < 10


def test_missing_encoder_files_raise_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(TidingsError) as err:
        Encoder.from_dir(tmp_path)
    assert err.value.code == "E193"


def test_broken_head_file_raises_a_coded_error(tmp_path: Path) -> None:
    bad = tmp_path / "head.npz"
    bad.write_bytes(b"not a numpy archive")
    with pytest.raises(TidingsError) as err:
        load_head_file(bad)
    assert err.value.code == "E190"


def test_classifier_averages_both_models_where_the_ngram_model_is_unsure() -> None:
    classifier = current_classifier()
    assert classifier.head is not None and classifier.head.classes == classifier.ngram.classes
    texts = [
        "Gunmen kidnapped three engineers from a road construction camp.",
        "Residents said the night was loud near the old depot by the river.",
        "Rebel fighters and army troops clashed for hours near the river crossing.",
    ]
    head = classifier.head.probabilities(packaged_encoder().embed(texts))
    branches = set()
    for text, mixed, head_row in zip(texts, classifier.probabilities_many(texts), head, strict=True):
        ngram = classifier.ngram_probabilities(text)
        encoded = max(ngram.values()) < ENCODE_BELOW
        branches.add(encoded)
        assert abs(sum(mixed.values()) - 1.0) < 1e-4
        for j, name in enumerate(classifier.ngram.classes):
            expected = (1 - HEAD_WEIGHT) * ngram[name] + HEAD_WEIGHT * float(head_row[j]) if encoded else ngram[name]
            assert mixed[name] == pytest.approx(expected, abs=1e-5)
    assert branches == {True, False}, "the texts should exercise both the encoded and the n-gram-only path"
    (kidnap,) = classifier.probabilities_many(texts[:1])
    assert max(kidnap, key=kidnap.__getitem__) == "Abduction/forced disappearance"


class CountingClassifier(Classifier):
    """The packaged classifier, remembering what it was asked to encode."""

    seen: list[str]

    def probabilities_many(self, texts: list[str]) -> list[dict[str, float]]:
        self.seen.extend(texts)
        return super().probabilities_many(texts)


def test_encoder_runs_only_on_candidate_sentences() -> None:
    packaged = current_classifier()
    counting = CountingClassifier(packaged.ngram, packaged.head)
    object.__setattr__(counting, "seen", [])
    quiet = "The weather in the valley was mild for the season."
    busy = "Insurgents ambushed a police patrol on the northern highway."
    with using_model(counting):
        article = Pipeline(["nlp", "events"])(Article(text=f"{quiet}\n\n{busy}\n\nThe committee will publish its report in spring."))
    assert [e.sub_event_type for e in article.events]
    assert busy in counting.seen
    assert quiet not in counting.seen
    assert not any("committee" in t for t in counting.seen)


class CountingEncoder(Encoder):
    """The packaged encoder's files read again, remembering what it embedded."""

    def __init__(self, folder: Path) -> None:
        loaded = Encoder.from_dir(folder)
        super().__init__(loaded._session, loaded._tokenizer, loaded.source)
        self.seen: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        return super().embed(texts)


def test_a_classifier_embeds_with_the_encoder_it_was_given(encoder: Encoder) -> None:
    packaged = current_classifier()
    own = CountingEncoder(Path(encoder.source))
    classifier = Classifier(packaged.ngram, packaged.head, own)
    unsure = "Residents said the night was loud near the old depot by the river."
    assert max(classifier.ngram_probabilities(unsure).values()) < ENCODE_BELOW
    classifier.probabilities_many([unsure])
    assert own.seen == [unsure]


def test_training_vectors_are_remembered_per_encoder(encoder: Encoder, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(encoder.source, copy)
    other = CountingEncoder(copy)
    text = "Two ministers met at the border crossing to sign a trade accord."
    first = embed([text])
    assert np.allclose(embed([text], other), first, atol=1e-5)  # same weights, read from elsewhere
    assert other.seen == [text]  # not served from the packaged encoder's vectors
    embed([text], other)
    assert other.seen == [text]  # its own vectors are remembered


def test_a_missing_fold_encoder_is_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(TidingsError) as err:
        fold_encoder(tmp_path, 3)
    assert err.value.code == "E193" and "fold3" in str(err.value)
