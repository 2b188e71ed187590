"""The stage registry and the runner's order check; one contract test for every registered stage."""

from __future__ import annotations

import pytest

from tidings.article import Article
from tidings.errors import TidingsError
from tidings.pipeline import (
    DEFAULT_STAGES,
    Pipeline,
    Stage,
    check_order,
    get_stage,
    registered_stages,
)

STAGES = sorted(registered_stages())
TEXT = (
    "Rebels attacked an army post near Goma on Sunday, killing four soldiers, a spokesman said.\n\n"
    '"We will respond," the governor told reporters in Kinshasa.'
)


def test_unknown_stage_lists_the_valid_ones() -> None:
    with pytest.raises(TidingsError) as err:
        get_stage("nope")
    assert err.value.code == "E020"
    assert "nlp" in err.value.message


def test_a_stage_before_what_it_needs_fails_early() -> None:
    needy = [name for name in STAGES if "doc" in get_stage(name).needs]
    if not needy:
        pytest.fail("no registered stage needs the parse; the default pipeline is incomplete")
    with pytest.raises(TidingsError) as err:
        check_order([needy[0], "nlp"])
    assert err.value.code == "E021"
    assert "nlp" in err.value.message


def test_a_stage_listed_twice_is_refused() -> None:
    with pytest.raises(TidingsError) as err:
        check_order(["nlp", "nlp"])
    assert err.value.code == "E022"


def test_default_order_is_valid() -> None:
    Pipeline()  # raises if misordered
    assert [n for n in DEFAULT_STAGES if n in STAGES] == Pipeline().names


@pytest.mark.parametrize("name", STAGES)
def test_every_stage_keeps_its_contract(name: str) -> None:
    cls = get_stage(name)
    assert issubclass(cls, Stage) and cls.name == name
    assert cls.adds, f"stage {name} declares nothing it adds"
    before = [n for n in Pipeline().names if n != name]
    needed: list[str] = []
    available = {"text", "title", "published", "paragraphs", "captions"}
    for other in before:  # the shortest prefix of the default order that satisfies its needs
        if set(cls.needs) <= available:
            break
        needed.append(other)
        available |= set(get_stage(other).adds)
    article = Pipeline([*needed, name])(Article(text=TEXT, published="2024-11-05", published_how="metadata"))
    assert article.stages == [*needed, name]
    assert article.text == TEXT  # a stage never rewrites the text
    for key in ("entities", "quotes", "claims", "times", "places", "quantities", "events"):
        for record in getattr(article, key):
            span = getattr(record, "content", None) or getattr(record, "trigger", None) or record
            assert TEXT[span.start:span.end] == span.text, f"{name}: {key} span does not match the text"


def test_a_line_break_always_ends_a_sentence() -> None:
    text = "Flood Waters Rise in the Delta\n\nRescuers in boats (AFP)\nThousands were evacuated on Friday. More rain is expected."
    article = Pipeline(["nlp"])(Article(text=text))
    sentences = [text[s:e].strip() for s, e in article.sentences]
    assert sentences == ["Flood Waters Rise in the Delta", "Rescuers in boats (AFP)", "Thousands were evacuated on Friday.", "More rain is expected."]


def test_the_parse_of_a_batch_is_split_and_gives_what_one_article_at_a_time_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """spaCy's arrays for a batch stay with the worker (tidings.stages.nlp.NLP_BATCH): a
    pipeline batch is parsed a few texts at a time, with the same annotations."""
    from tidings.nlp import load_nlp
    from tidings.stages import nlp as nlp_stage

    texts = [f"Police in Tuzla said {n} people were hurt on Monday. The mayor, Amra Kovac, visited them." for n in range(2, 2 + nlp_stage.NLP_BATCH * 2 + 1)]
    alone = [Pipeline(["nlp"])(Article(text=t)) for t in texts]
    model, sizes = load_nlp(), []

    class Spy:
        def pipe(self, docs: list[str], batch_size: int) -> object:
            sizes.append(batch_size)
            return model.pipe(docs, batch_size=batch_size)

    monkeypatch.setattr(nlp_stage, "load_nlp", Spy)
    together = Pipeline(["nlp"], batch_size=len(texts)).process_batch([Article(text=t) for t in texts])
    assert sizes and max(sizes) <= nlp_stage.NLP_BATCH < len(texts)
    assert [(a.sentences, a.entities) for a in together] == [(a.sentences, a.entities) for a in alone]
