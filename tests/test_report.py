"""The situation report: sections, filters, links back to spans, escaping, and the CLI command."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.test_web_data import XSS_SCRIPT, make_store, shelling_report
from tidings.cli import app as cli
from tidings.errors import TidingsError
from tidings.report import md_escape, report_text
from tidings.web.queries import EventFilters


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return make_store(tmp_path_factory.mktemp("report"))


def test_markdown_report_has_events_by_place_contested_and_quotes(store) -> None:  # type: ignore[no-untyped-def]
    text = report_text(store, EventFilters(), "md", base_url="http://127.0.0.1:9000")
    assert text.startswith("# Situation report")
    events = text.index("## Key events by place and date")
    contested = text.index("## Contested figures and claims")
    quotes = text.index("## Who said what")
    assert events < contested < quotes
    zolotiv = text.index("### Zolotiv, Ukraine")
    tbilisi = text.index("### Tbilisi, Georgia")
    assert events < zolotiv < contested and events < tbilisi < contested
    article = shelling_report()
    trigger = article.events[0].trigger
    assert f"(http://127.0.0.1:9000/articles/{article.id}#span-{trigger.start}-{trigger.end})" in text
    # the two Zolotiv reports are one merged event: both tolls, both outlets, both links
    zolotiv_line = text[zolotiv:contested]
    assert "Petro Hulak" in zolotiv_line and "state emergency service" in zolotiv_line
    assert "9–12 killed \\(sources disagree: 12 per Dnipro Daily; 9 per Kyiv Wire\\), 30 injured" in zolotiv_line
    assert "2 independent source\\(s\\)" in zolotiv_line and "[Kyiv Wire](" in zolotiv_line and "[Dnipro Daily](" in zolotiv_line
    section = text[contested:quotes]
    assert "### Event: fatalities · Shelling/artillery/missile attack · Zolotiv · 2025\\-03\\-03" in section
    assert "9 — according to state emergency service" in section and "12 — according to Petro Hulak" in section
    # a single denial that no other source contradicts is not a contested claim in the ledger
    assert "Russian defence ministry" not in section
    assert "### Petro Hulak" in text[quotes:]
    assert "via Dnipro Daily" in text[quotes:]


def test_report_filters_by_date_and_place(store) -> None:  # type: ignore[no-untyped-def]
    text = report_text(store, EventFilters(since=date(2025, 2, 1), until=date(2025, 2, 28)), "md")
    assert "Tbilisi" in text and "Zolotiv, Ukraine" not in text
    assert "1 events \\(merged from 1 reports in 1 articles\\)" in text
    only_ukraine = report_text(store, EventFilters(place="UA"), "md")
    assert "Zolotiv, Ukraine" in only_ukraine and "Tbilisi" not in only_ukraine
    assert "### Petro Hulak" in only_ukraine
    nothing = report_text(store, EventFilters(place="Atlantis"), "md")
    assert "No events match." in nothing and "No quotes." in nothing


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs


def test_html_report_is_escaped(store) -> None:  # type: ignore[no-untyped-def]
    page = report_text(store, EventFilters(), "html")
    parser = _Collector()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags and "svg" not in parser.tags and "b" not in parser.tags
    assert not [name for name, _ in parser.attrs if name.startswith("on")]
    hrefs = [value for name, value in parser.attrs if name == "href"]
    assert hrefs and all(h and h.startswith("http://127.0.0.1:8000/articles/") for h in hrefs)
    assert "&lt;script&gt;window.__pwned=2&lt;/script&gt;" in page


def test_markdown_escapes_hostile_text(store) -> None:  # type: ignore[no-untyped-def]
    text = report_text(store, EventFilters(), "md")
    assert XSS_SCRIPT not in text and "<img" not in text and "<svg" not in text
    assert md_escape("[x](javascript:alert(1))") == "\\[x\\]\\(javascript:alert\\(1\\)\\)"
    assert md_escape("two\n\nlines") == "two lines"


def test_unknown_format_and_cli(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TidingsError) as err:
        report_text(store, EventFilters(), "pdf")
    assert err.value.code == "E204"
    runner = CliRunner()
    out = tmp_path / "r.html"
    result = runner.invoke(cli, ["report", "--db", str(store.path), "--format", "html", "--place", "Tbilisi", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "<h3>Tbilisi, Georgia</h3>" in out.read_text(encoding="utf-8")
    shown = runner.invoke(cli, ["report", "--db", str(store.path), "--since", "2025-03-01"])
    assert shown.exit_code == 0 and "Zolotiv, Ukraine" in shown.output
    bad = runner.invoke(cli, ["report", "--db", str(store.path), "--format", "pdf"])
    assert bad.exit_code == 2 and "E204" in bad.output
    missing = runner.invoke(cli, ["report", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 2 and "E034" in missing.output


def test_serve_refuses_remote_bind_without_flag() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "8765"])
    assert result.exit_code == 2 and "E205" in result.output
