"""The command line end to end: ingest, articles, show, analyze, eval, and their errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tidings.cli import app
from tidings.contract import CONTRACT_KEYS
from tidings.store import Store

runner = CliRunner()

SAMPLE_TITLES = {
    "S.Korean Minister: US Troops Likely to Stay Even if Trump is Re-elected",
    "Ukrainian Troops Have Engaged with North Korean Units for 1st Time in Russia, Official Says",
}


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory, ) -> Path:
    db = tmp_path_factory.mktemp("cli") / "sample.duckdb"
    code, output = invoke("ingest", "examples/sample.txt", "--db", str(db))
    assert code == 0, output
    assert "2 new, 0 duplicate, 0 failed" in output
    return db


def test_ingesting_the_sample_stores_its_two_articles(sample_db: Path) -> None:
    rows = Store(sample_db).list_articles()
    assert {r["title"] for r in rows} == SAMPLE_TITLES


def test_ingesting_again_adds_nothing_but_a_source(sample_db: Path) -> None:
    code, output = invoke("ingest", "examples/sample.txt", "--db", str(sample_db))
    assert code == 0 and "0 new, 2 duplicate" in output
    assert Store(sample_db).count_articles() == 2


def test_articles_and_show(sample_db: Path) -> None:
    code, output = invoke("articles", "--db", str(sample_db), "--json")
    assert code == 0
    rows = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert len(rows) == 2
    kursk = next(r for r in rows if r["title"].startswith("Ukrainian"))
    code, output = invoke("show", kursk["id"][:8], "--db", str(sample_db))
    assert code == 0
    assert "Ukrainian troops have for the first time engaged" in output
    assert "[caption] The site of a Russian glide bomb strike" in output
    code, output = invoke("show", kursk["id"], "--db", str(sample_db), "--json")
    assert json.loads(output)["title"] == kursk["title"]


def test_show_unknown_id_is_a_one_line_coded_error(sample_db: Path) -> None:
    code, output = invoke("show", "doesnotexist", "--db", str(sample_db))
    assert code == 2 and "E032" in output and "tidings articles" in output


def test_reading_a_database_that_does_not_exist(tmp_path: Path) -> None:
    code, output = invoke("articles", "--db", str(tmp_path / "none.duckdb"))
    assert code == 2 and "E034" in output


def test_a_missing_input_fails_but_good_inputs_are_stored(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    good = tmp_path / "good.txt"
    good.write_text("Floods hit the valley\n\nHeavy rain flooded dozens of homes in the valley on Sunday, officials said.\n")
    code, output = invoke("ingest", str(good), str(tmp_path / "missing.txt"), "--db", str(db))
    assert code == 1
    assert "1 new" in output and "1 failed" in output and "E001" in output
    assert Store(db).count_articles() == 1


def test_bad_published_date_is_refused(tmp_path: Path) -> None:
    code, output = invoke("ingest", "examples/sample.txt", "--published", "05/11/2024", "--db", str(tmp_path / "x.duckdb"))
    assert code == 2 and "E014" in output


def test_analyze_writes_the_contract(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    text = "Police arrested 12 protesters in Lagos on Monday, a spokesman said."
    source.write_text(json.dumps({"id": "x1", "text": text, "published": "2023-05-02"}) + "\n")
    out = tmp_path / "out.jsonl"
    code, output = invoke("analyze", str(source), "--format", "jsonl", "-o", str(out))
    assert code == 0, output
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert set(CONTRACT_KEYS) <= set(record)
    assert record["id"] == "x1" and record["text"] == text and record["published"] == "2023-05-02"
    for entity in record["entities"]:
        assert text[entity["start"]:entity["end"]] == entity["text"]


def test_eval_unknown_task_lists_the_valid_ones(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text("")
    code, output = invoke("eval", "nope", "--gold", str(gold))
    assert code == 2 and "E040" in output


def test_unknown_stage_is_a_coded_error(tmp_path: Path) -> None:
    code, output = invoke("ingest", "examples/sample.txt", "--stages", "nlp,telepathy", "--db", str(tmp_path / "s.duckdb"))
    assert code == 2 and "E020" in output


@pytest.mark.parametrize("command", ["ingest", "analyze", "articles", "show", "eval", "load"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    code, output = invoke(command, "--help")
    assert code == 0 and "Example:" in output


def _jsonl(path: Path, texts: list[str]) -> Path:
    path.write_text("".join(json.dumps({"id": f"r{n}", "title": f"Report {n}", "text": t}) + "\n" for n, t in enumerate(texts)))
    return path


def test_an_article_repeated_within_one_input_is_counted_as_a_duplicate(tmp_path: Path) -> None:
    flood = "Floods cut the road to Mora on Sunday, the district office said."
    fire = "A fire destroyed the grain store in Tiko overnight, police said."
    source = _jsonl(tmp_path / "in.jsonl", [flood, flood, fire, flood])
    db = tmp_path / "t.duckdb"
    code, output = invoke("ingest", str(source), "--db", str(db))
    assert code == 0, output
    assert "2 new, 2 duplicate, 0 failed" in output
    assert Store(db).count_articles() == 2


def test_the_same_warning_for_many_articles_is_shown_a_few_times_then_counted(tmp_path: Path) -> None:
    from tidings.cli import SHOWN_PER_CODE

    texts = [f"The council in Ward {n} said on Tuesday that the clinic would close." for n in range(SHOWN_PER_CODE + 4)]
    source = _jsonl(tmp_path / "undated.jsonl", texts)
    code, output = invoke("analyze", str(source), "--stages", "nlp,times", "-o", str(tmp_path / "out.jsonl"))
    assert code == 0, output
    shown = [line for line in output.splitlines() if line.startswith("warning W002: Publication date unknown")]
    assert len(shown) == SHOWN_PER_CODE
    assert f"warning W002: 4 more like the above ({SHOWN_PER_CODE + 4} in all)" in output
