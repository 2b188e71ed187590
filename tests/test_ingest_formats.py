"""Every input format, directories, stdin, .gz, and every bad input reported with a coded error."""

from __future__ import annotations

import builtins
import gzip
import io
import json
import os
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.article import Article, Caption, Entity, Paragraph, Quote, Segment, Span, TimeExpr
from tidings.errors import TidingsError
from tidings.ingest import FORMATS, IngestFailure, ReadOptions, read_inputs

DATA = Path(__file__).parent / "data" / "ingest"


def read(paths: list[str | Path], **options: object) -> tuple[list[Article], list[IngestFailure]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        items = list(read_inputs([str(p) for p in paths], ReadOptions(**options)))  # type: ignore[arg-type]
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, IngestFailure)]


def only_failure(path: str | Path, **options: object) -> IngestFailure:
    articles, failures = read([path], **options)
    assert not articles
    (failure,) = failures
    return failure


# --- formats -----------------------------------------------------------------------------------


def test_formats_are_named() -> None:
    assert set(FORMATS) == {"text", "html", "html-jsonl", "rss", "jsonl", "csv"}


def test_html_page_main_text_and_metadata() -> None:
    (article,), failures = read([DATA / "article.html"])
    assert not failures
    assert article.text.startswith("Commuter trains across the valley stood idle")
    assert "signal staff" in article.text
    for furniture in ("Most read", "Copyright", "Privacy", "Local bakery"):
        assert furniture not in article.text
    assert article.title == "Rail Workers Begin Weekend Strike"
    assert article.author == "Priya Raman"
    assert (article.published, article.published_how) == ("2024-06-14", "metadata")
    assert article.source == "The Valley Courier"
    first = article.paragraphs[0]
    start, end = article.to_raw(first.start, first.end)
    assert article.raw[start:end] == article.text[first.start : first.end]


def test_rss_feed_uses_content_else_summary() -> None:
    articles, failures = read([DATA / "feed.rss"])
    assert not failures
    ferry, library = articles
    assert ferry.title == "Ferry Service Suspended in High Winds"
    assert ferry.text == (
        "The island ferry did not sail on Monday morning as gusts reached ninety kilometres an hour.\n\n"
        "The operator said sailings would resume once the wind dropped."
    )
    assert "teaser" not in ferry.text
    assert (ferry.published, ferry.url, ferry.source) == ("2024-09-02", "https://gazette.example/ferry-suspended", "Harbour Town Gazette")
    assert library.text.startswith("The town library will open until nine")
    assert library.published == "2024-09-01"
    assert ferry.origin == f"{DATA / 'feed.rss'}#1"


def test_atom_feed() -> None:
    (article,), _ = read([DATA / "feed.atom"])
    assert article.text == "Forecasters raised the avalanche warning to level four on Monday after heavy snowfall overnight."
    assert (article.title, article.author, article.published) == ("Avalanche Warning Raised for Eastern Slopes", "Lena Fischer", "2024-05-20")
    assert article.url == "https://post.example/avalanche"


def test_jsonl_contract_records_are_verbatim() -> None:
    (first, second), failures = read([DATA / "records.jsonl"])
    assert not failures
    assert (first.external_id, first.title, first.published, first.published_how) == ("a1", "District Votes", "2024-04-07", "metadata")
    assert second.text == "The bridge will close for repairs in May.  Traffic will be diverted."  # double space kept
    assert (second.url, second.published_how) == ("https://news.example/bridge", "unknown")
    assert second.origin == f"{DATA / 'records.jsonl'}:2"


def test_published_option_is_the_fallback() -> None:
    (first, second), _ = read([DATA / "records.jsonl"], published="2024-05-01")
    assert (first.published, first.published_how) == ("2024-04-07", "metadata")
    assert (second.published, second.published_how) == ("2024-05-01", "option")


def test_published_option_must_be_a_date() -> None:
    with pytest.raises(TidingsError, match="E014"):
        ReadOptions(published="next tuesday")


def test_unknown_format_is_refused() -> None:
    with pytest.raises(TidingsError, match="E006"):
        ReadOptions(format="docx")


def test_csv_with_configured_columns() -> None:
    articles, failures = read([DATA / "records.csv"], text_field="body", title_field="headline", date_field="date", url_field="link")
    assert not failures
    harvest, museum = articles
    assert harvest.title == "Harvest Starts Early"
    assert harvest.text.startswith("Farmers began the grape harvest")
    assert (harvest.published, harvest.url) == ("2024-08-20", "https://news.example/harvest")
    assert museum.text == "The city museum reopened on Friday after a renovation that took, in the end, three years."
    assert (museum.published, museum.url) == ("2024-09-20", None)


def test_tsv(tmp_path: Path) -> None:
    path = tmp_path / "rows.tsv"
    path.write_text("title\ttext\nQuiet Day\tNothing much happened in the village, residents said.\n", encoding="utf-8")
    (article,), _ = read([path])
    assert (article.title, article.text) == ("Quiet Day", "Nothing much happened in the village, residents said.")


def test_html_jsonl(tmp_path: Path) -> None:
    page = (DATA / "article.html").read_text(encoding="utf-8")
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps({"id": "p1", "html": page}) + "\n", encoding="utf-8")
    (article,), _ = read([path])
    assert article.external_id == "p1"
    assert article.text.startswith("Commuter trains across the valley")


def test_gz_of_each_format(tmp_path: Path) -> None:
    for name in ("one_blank.txt", "article.html", "feed.rss", "records.jsonl"):
        target = tmp_path / f"{name}.gz"
        target.write_bytes(gzip.compress((DATA / name).read_bytes()))
        plain, _ = read([DATA / name])
        zipped, failures = read([target])
        assert not failures, failures
        assert [a.text for a in zipped] == [a.text for a in plain], name


def test_format_detected_by_content_without_extension(tmp_path: Path) -> None:
    for name in ("feed.rss", "article.html", "records.jsonl", "one_blank.txt"):
        target = tmp_path / name.split(".")[0]
        target.write_bytes((DATA / name).read_bytes())
        plain, _ = read([DATA / name])
        guessed, _ = read([target])
        assert [a.text for a in guessed] == [a.text for a in plain], name


def test_forced_format(tmp_path: Path) -> None:
    target = tmp_path / "records.dat"
    target.write_bytes((DATA / "records.csv").read_bytes())
    articles, _ = read([target], format="csv", text_field="body")
    assert len(articles) == 2


def test_directory_walked_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / "b" / "feed.rss").write_bytes((DATA / "feed.rss").read_bytes())
    (tmp_path / "a" / "deep" / "story.txt").write_bytes((DATA / "one_article.txt").read_bytes())
    (tmp_path / ".hidden.txt").write_text("ignored", encoding="utf-8")
    articles, failures = read([tmp_path])
    assert not failures
    assert [Path(a.origin or "").parent.name for a in articles] == ["deep", "b", "b"]


def test_stdin(tmp_path: Path) -> None:
    script = "import sys, warnings; warnings.simplefilter('ignore'); from tidings.ingest import read_inputs; print([a.title for a in read_inputs(['-'])])"
    done = subprocess.run([sys.executable, "-c", script], input=(DATA / "one_blank.txt").read_bytes(), capture_output=True, check=True, timeout=120)
    assert "Port Strike Enters Second Week as Talks Stall" in done.stdout.decode()
    assert "Wildfire Forces Evacuation" in done.stdout.decode()


def test_same_text_gets_the_same_id(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text((DATA / "one_article.txt").read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")
    (original,), _ = read([DATA / "one_article.txt"])
    (syndicated,), _ = read([copy])
    assert original.id == syndicated.id and len(original.id) == 16


# --- bad input ---------------------------------------------------------------------------------


def test_missing_path_is_E001_and_the_batch_goes_on() -> None:
    articles, failures = read(["/no/such/file.txt", DATA / "one_article.txt"])
    assert len(articles) == 1
    assert failures[0].error.code == "E001" and "/no/such/file.txt" in str(failures[0].error)


def test_empty_file_is_E003(tmp_path: Path) -> None:
    for content in (b"", b"\n\n  \r\n", b"\xef\xbb\xbf"):
        path = tmp_path / "empty.txt"
        path.write_bytes(content)
        failure = only_failure(path)
        assert failure.error.code == "E003" and str(path) in str(failure.error)


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("story.txt", "A story inside a zip archive.")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
        ("photo.png", _png(), "PNG"),
        ("bundle.zip", _zip(), "zip"),
        ("story.txt", b"looks like text\x00\x00\x00 but is not", "NUL"),
    ],
)
def test_binary_files_are_E004(tmp_path: Path, name: str, content: bytes, kind: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    failure = only_failure(path)
    assert failure.error.code == "E004" and kind in str(failure.error) and name in str(failure.error)


def test_invalid_utf8_is_E005_with_the_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Grève Générale\n\nLes syndicats ont appelé à la grève.\n".encode("latin-1"))
    failure = only_failure(path)
    assert failure.error.code == "E005"
    assert failure.error.details["offset"] == 2  # the "è" of "Grève"
    assert str(path) in str(failure.error)


def test_malformed_html_still_gives_text(tmp_path: Path) -> None:
    page = (DATA / "article.html").read_text(encoding="utf-8")
    broken = page.replace("</p>", "").replace("</article>", "").replace("</body>", "")[:-40] + "<div <p"
    path = tmp_path / "broken.html"
    path.write_text(broken, encoding="utf-8")
    (article,), failures = read([path])
    assert not failures
    assert "Commuter trains across the valley stood idle" in article.text


def test_html_without_article_text_is_E011(tmp_path: Path) -> None:
    path = tmp_path / "nothing.html"
    path.write_text("<html><body><div><<<>>></div><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    failure = only_failure(path)
    assert failure.error.code == "E011" and str(path) in str(failure.error)


def test_feed_without_entries_is_E010(tmp_path: Path) -> None:
    path = tmp_path / "empty.rss"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet Feed</title></channel></rss>', encoding="utf-8")
    failure = only_failure(path)
    assert failure.error.code == "E010" and str(path) in str(failure.error)


def test_jsonl_with_a_broken_line_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"id": "1", "text": "The first record is fine."}),
        '{"id": "2", "text": "The second record is cut off',
        json.dumps({"id": "3", "text": "The third record is fine too."}),
        json.dumps({"id": "4", "body": "No text field here."}),
        json.dumps({"id": "5", "text": "   "}),
        "[1, 2, 3]",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, failures = read([path])
    assert [a.external_id for a in articles] == ["1", "3"]
    assert [(f.origin, f.error.code) for f in failures] == [
        (f"{path}:2", "E007"),
        (f"{path}:4", "E008"),
        (f"{path}:5", "E012"),
        (f"{path}:6", "E007"),
    ]
    assert f"{path}:2:" in str(failures[0].error)


def test_jsonl_keeps_unicode_line_separators_inside_strings(tmp_path: Path) -> None:
    path = tmp_path / "sep.jsonl"
    path.write_text(json.dumps({"id": "1", "text": "One line\u2028and another."}, ensure_ascii=False) + "\n", encoding="utf-8")
    (article,), failures = read([path])
    assert not failures and article.text == "One line\u2028and another."


def test_csv_missing_the_text_column_is_E009(tmp_path: Path) -> None:
    failure = only_failure(DATA / "records.csv")  # default text field "text"; the file has "body"
    assert failure.error.code == "E009"
    assert "body" in str(failure.error) and "records.csv" in str(failure.error)


def test_unreadable_file_in_a_directory_is_E002_and_the_walk_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_bytes((DATA / "one_article.txt").read_bytes())
    locked = tmp_path / "b.txt"
    locked.write_bytes((DATA / "one_blank.txt").read_bytes())
    (tmp_path / "c.txt").write_bytes((DATA / "wrapped.txt").read_bytes())
    locked.chmod(0)
    real_open = builtins.open

    def open_as_unprivileged(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        # root reads any file whatever its mode: refuse a mode-000 file as the kernel would for a user
        if Path(str(file)).exists() and os.stat(file).st_mode & 0o777 == 0:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", open_as_unprivileged)
    try:
        articles, failures = read([tmp_path])
    finally:
        locked.chmod(0o644)
    assert len(articles) == 2
    assert [(f.origin, f.error.code) for f in failures] == [(str(locked), "E002")]
    assert "Permission denied" in str(failures[0].error)


def test_unopenable_entry_in_a_directory_is_E002_and_the_walk_goes_on(tmp_path: Path) -> None:
    # A dangling symlink cannot be opened by anyone, root included.
    (tmp_path / "a.txt").write_bytes((DATA / "one_article.txt").read_bytes())
    (tmp_path / "b.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "c.txt").write_bytes((DATA / "wrapped.txt").read_bytes())
    articles, failures = read([tmp_path])
    assert len(articles) == 2
    assert [(f.origin, f.error.code) for f in failures] == [(str(tmp_path / "b.txt"), "E002")]


def test_corrupt_gzip_is_E002(tmp_path: Path) -> None:
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress((DATA / "one_article.txt").read_bytes())[:40])
    failure = only_failure(path)
    assert failure.error.code == "E002" and str(path) in str(failure.error)


def test_text_with_no_line_breaks_beyond_the_limit_is_E013(tmp_path: Path) -> None:
    path = tmp_path / "oneline.txt"
    path.write_bytes(b"word " * 1_000_000)  # 5 MB, no line break
    failure = only_failure(path)
    assert failure.error.code == "E013"


def test_a_bad_file_between_good_ones_does_not_stop_the_batch(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 binary")
    articles, failures = read([DATA / "one_article.txt", bad, DATA / "feed.rss"])
    assert len(articles) == 3 and [f.error.code for f in failures] == ["E004"]


# --- JSON round trip ---------------------------------------------------------------------------------

_text = st.text(max_size=40)
_offsets = st.tuples(st.integers(0, 500), st.integers(0, 500))


@st.composite
def articles(draw: st.DrawFn) -> Article:
    spans = st.builds(Span, st.integers(0, 99), st.integers(0, 99), _text)
    return Article(
        text=draw(st.text(min_size=1, max_size=200)),
        raw=draw(_text),
        external_id=draw(st.one_of(st.none(), _text)),
        title=draw(st.one_of(st.none(), _text)),
        published=draw(st.one_of(st.none(), st.dates().map(str))),
        published_how=draw(st.sampled_from(["metadata", "option", "inferred", "unknown"])),
        sources=draw(st.lists(_text, max_size=3)),
        paragraphs=draw(st.lists(st.builds(Paragraph, st.integers(0, 99), st.integers(0, 99), st.sampled_from(["body", "caption"])), max_size=3)),
        captions=draw(st.lists(st.builds(Caption, st.integers(0, 99), st.integers(0, 99), _text, st.one_of(st.none(), _text)), max_size=2)),
        offset_map=draw(st.lists(st.builds(Segment, st.integers(0, 99), st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)), min_size=1, max_size=3)),
        entities=draw(st.lists(st.builds(Entity, st.integers(0, 99), st.integers(0, 99), _text, st.sampled_from(["GPE", "PERSON"])), max_size=3)),
        quotes=draw(st.lists(st.builds(Quote, spans, st.one_of(st.none(), spans), st.one_of(st.none(), _text), st.one_of(st.none(), spans), st.sampled_from(["direct", "indirect"])), max_size=2)),
        times=draw(st.lists(st.builds(TimeExpr, st.integers(0, 99), st.integers(0, 99), _text, st.sampled_from(["DATE", "SET"]), st.one_of(st.none(), _text)), max_size=2)),
    )


@settings(max_examples=60, deadline=None)
@given(articles())
def test_article_json_round_trip(article: Article) -> None:
    again = Article.from_dict(json.loads(json.dumps(article.to_dict())))
    assert again == article
    assert again.to_dict() == article.to_dict()


def test_ingested_articles_round_trip(sample_path: Path) -> None:
    found, _ = read([sample_path, DATA / "feed.rss", DATA / "article.html", DATA / "records.csv"], text_field="body")
    assert len(found) == 7  # 2 in the sample, 2 feed entries, 1 page, 2 CSV rows
    for article in found:
        assert Article.from_dict(json.loads(json.dumps(article.to_dict()))) == article
