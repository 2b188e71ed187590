"""The web app in Debian's Chromium (Playwright): the sample's events on the map (merged across
articles, or one per report), filters, the event cards, the timeline of a place from the sample,
the contested view, ledger entities, the reader with highlights, and hostile text staying inert.

Screenshots go to artifacts/screenshots/. Without /usr/bin/chromium these tests skip with a
message, except in CI (CI=true) where they fail.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_web_data import XSS_SCRIPT, XSS_TITLE, all_articles, shelling_report
from tests.test_web_ledger import ledger_articles
from tidings import api
from tidings.store import Store

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _need_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: apt-get install chromium (CI installs it in .ci/run)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_chromium()
    import uvicorn

    from tidings.ingest import ReadOptions
    from tidings.web.app import create_app

    db = tmp_path_factory.mktemp("browser") / "app.duckdb"
    store = Store(db)
    report = api.ingest([str(ROOT / "examples" / "sample.txt")], store, ReadOptions(published="2024-11-05"))
    assert report.new >= 1, report
    store.add_articles(all_articles() + ledger_articles())  # merged into the ledger when the app starts
    port = _free_port()
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server: str):  # type: ignore[no-untyped-def]
    # bypass_csp lets Playwright evaluate its wait conditions; it also means the XSS test proves
    # that escaping alone keeps hostile text inert, without help from the CSP header.
    context = browser.new_context(viewport={"width": 1400, "height": 950}, bypass_csp=True)
    page = context.new_page()
    page.console_errors = []  # type: ignore[attr-defined]
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (page.console_errors.append(f"dialog: {d.message}"), d.dismiss()))
    yield page
    context.close()


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _ready(page, view: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(f"document.body.dataset.ready === '{view}'", timeout=20_000)


def sample_event_count(server: str) -> int:
    """Events the real pipeline found in the sample's articles (every stored article but ours)."""
    import httpx

    ours = {a.id for a in all_articles() + ledger_articles()}
    articles = httpx.get(f"{server}/api/articles", params={"limit": 500}).json()["items"]
    return sum(a["events"] for a in articles if a["id"] not in ours)


def _per_mention(page) -> None:  # type: ignore[no-untyped-def]
    """Switch the map and list to one item per article mention (the page opens merged)."""
    page.uncheck("#f-merged")
    _ready(page, "map")


def test_map_shows_events_and_filters_by_type(page, server: str) -> None:  # type: ignore[no-untyped-def]
    import httpx

    page.goto(f"{server}/#/map")
    _ready(page, "map")
    page.wait_for_selector("#event-list li")
    merged_total = httpx.get(f"{server}/api/events", params={"merged": "true"}).json()["total"]
    assert int(page.locator("#events-count").inner_text().strip("()")) == merged_total
    _per_mention(page)
    page.wait_for_function(f"document.getElementById('events-count').textContent === '({6 + sample_event_count(server)})'")
    total = int(page.locator("#events-count").inner_text().strip("()"))
    assert total == 6 + sample_event_count(server) > merged_total
    if sample_event_count(server):  # the events stage found some in the sample: they are listed
        assert page.locator("#event-list li", has_text="2024").count() > 0
    page.wait_for_function("Number(document.getElementById('map').dataset.markers) > 0")
    assert page.locator(".leaflet-interactive, .marker-cluster").count() > 0
    _shot(page, "map")
    page.select_option("#f-type", "Protests")
    page.click("#filters button[type=submit]")
    _ready(page, "map")
    page.wait_for_function("document.getElementById('events-count').textContent === '(1)'")
    assert page.locator("#event-list li").count() == 1
    assert "Peaceful protest" in page.locator("#event-list li").inner_text()
    assert page.locator("#map").get_attribute("data-markers") == "1"
    _shot(page, "map-filtered-protests")
    assert not page.console_errors  # type: ignore[attr-defined]


def test_event_card_shows_type_date_place_figures_sources(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/#/map")
    _ready(page, "map")
    _per_mention(page)
    page.fill("#filters input[name=place]", "Zolotiv")
    page.click("#filters button[type=submit]")
    _ready(page, "map")
    page.wait_for_function("document.getElementById('events-count').textContent === '(2)'")
    page.locator("#event-list li", has_text="Shells hit market").click()
    card = page.locator("#event-card")
    card.locator("dl").wait_for()
    text = card.inner_text()
    for expected in ("Shelling/artillery/missile attack", "2025-03-03 (precision: day)", "Zolotiv (UA)", "Russian forces", "12 people", "Petro Hulak", "Dnipro Daily", "asserted"):
        assert expected in text, expected
    _shot(page, "event-card")


def test_timeline_brush_sets_the_date_range(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/#/map")
    _ready(page, "map")
    page.wait_for_selector("#timeline rect.bar")
    box = page.locator("#timeline").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + 30)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 2, box["y"] + 40, steps=5)
    page.mouse.up()
    page.wait_for_function("document.querySelector('#filters input[name=since]').value !== ''")
    assert page.locator("#filters input[name=until]").input_value() >= page.locator("#filters input[name=since]").input_value()
    _ready(page, "map")
    _shot(page, "timeline-brushed")


def test_reader_highlights_and_raw_switch(page, server: str) -> None:  # type: ignore[no-untyped-def]
    article = shelling_report()
    quote = article.quotes[0].content
    page.goto(f"{server}/articles/{article.id}#span-{quote.start}-{quote.end}")
    _ready(page, "reader")
    assert page.locator("#reader-title").inner_text() == "Shells hit market in Zolotiv"
    target = page.locator(f"#span-{quote.start}-{quote.end}")
    assert "flash" in (target.get_attribute("class") or "")
    assert page.locator("#reader-text .hl-quote").first.inner_text().startswith("They aimed")
    assert page.locator("#reader-text .hl-event").count() >= 1 and page.locator("#reader-text .hl-place").count() >= 1
    assert page.locator("#reader-text .hl-figure").count() >= 2 and page.locator("#reader-text .hl-time").count() >= 1
    page.locator("#reader-text .hl-event").first.hover()
    hover = page.locator("#hovercard")
    hover.wait_for(state="visible")
    assert "Shelling/artillery/missile attack" in hover.inner_text()
    _shot(page, "reader")
    page.check("input[name=mode][value=raw]")
    assert page.locator("#reader-text .hl-quote").first.inner_text().startswith("They aimed")
    _shot(page, "reader-raw")


def test_sample_article_in_the_reader(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/#/articles")
    _ready(page, "articles")
    page.locator("#article-list a").first.wait_for()
    titles = page.locator("#article-list a").all_inner_texts()
    sample_titles = [t for t in titles if "North Korea" in t or "Minister" in t or "Ukrainian" in t]
    assert sample_titles, titles
    page.locator("#article-list a", has_text=sample_titles[0]).first.click()
    _ready(page, "reader")
    assert page.locator("#reader-text").inner_text().strip()
    _shot(page, "sample-reader")


def test_who_said_what_and_contested(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/#/quotes")
    _ready(page, "quotes")
    page.locator("#speaker-list li", has_text="Petro Hulak").click()
    _ready(page, "quotes")
    assert page.locator("#quotes-title").inner_text() == "Quotes by Petro Hulak"
    assert "Russian defence ministry" not in page.locator("#claim-list").inner_text()
    assert "They aimed at shoppers" in page.locator("#quote-list").inner_text()
    assert "via Dnipro Daily" in page.locator("#quote-list").inner_text()
    _shot(page, "who-said-what")
    page.goto(f"{server}/#/contested")
    _ready(page, "contested")
    events = page.locator("#contested-events").inner_text()
    assert "Zolotiv" in events and "12" in events and "9" in events
    karlivka = page.locator("#contested-events .card", has_text="Karlivka")
    assert "range 6–7" in karlivka.inner_text() and "Harbour Herald" in karlivka.inner_text() and "Steppe News" in karlivka.inner_text()
    claims = page.locator("#contested-claims").inner_text()
    assert "contested by defence ministry" in claims and "denied" in claims and "Ihor Danko" in claims
    _shot(page, "contested")


def test_hostile_article_stays_inert(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/#/articles")
    _ready(page, "articles")
    page.locator("#article-list a", has_text="Crafted").click()
    _ready(page, "reader")
    assert page.locator("#reader-title").inner_text() == XSS_TITLE
    assert XSS_SCRIPT in page.locator("#reader-text").inner_text()
    assert page.locator("#reader-meta a").count() == 0  # the javascript: url is not made a link
    page.locator("#reader-text .hl").first.hover()
    page.goto(f"{server}/#/map")
    _ready(page, "map")
    _per_mention(page)
    page.locator("#event-list li", has_text="Crafted").click()
    page.locator("#event-card dl").wait_for()
    assert 'onerror="window.__pwned=8"' in page.locator("#event-card").inner_text()
    page.goto(f"{server}/#/quotes")
    _ready(page, "quotes")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('[onerror], [onload], [onmouseover], main script, a[href^=javascript], main b').length") == 0
    assert not [e for e in page.console_errors if "pwned" in e or "dialog" in e]  # type: ignore[attr-defined]
    _shot(page, "hostile-quotes")


def test_ingest_from_the_page(page, server: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/#/ingest")
    _ready(page, "ingest")
    page.fill("#ingest-text", "Firefighters contained a warehouse blaze in Gdansk on Sunday, the city said. Nobody was hurt.")
    upload = tmp_path / "bridge.txt"
    upload.write_text("Engineers reopened the old bridge in Lodz after repairs, officials said.", encoding="utf-8")
    page.set_input_files("#ingest-files", str(upload))
    assert "bridge.txt" in page.locator("#ingest-chosen").inner_text()
    page.click("#ingest-form button[type=submit]")
    page.wait_for_function("document.getElementById('ingest-progress').textContent.includes('Ingest done')", timeout=120_000)
    assert "2 new" in page.locator("#ingest-progress").inner_text()
    _shot(page, "ingest")


def test_page_runs_under_its_csp_without_violations(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/#/map")
    page.locator("#event-list li").first.wait_for(timeout=20_000)
    page.locator(".leaflet-overlay-pane path").first.wait_for(timeout=20_000)  # basemap drawn
    page.goto(f"{server}/articles/{shelling_report().id}")
    page.locator("#reader-text .hl-quote").first.wait_for(timeout=20_000)
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()


def test_merged_event_card_shows_sources_disagreement_and_every_report(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/#/map")
    _ready(page, "map")
    page.fill("#filters input[name=place]", "Karlivka")
    page.click("#filters button[type=submit]")
    _ready(page, "map")
    page.wait_for_function("document.getElementById('events-count').textContent === '(1)'")
    row = page.locator("#event-list li").first
    assert "2 sources · 2 reports" in row.inner_text() and "6–7 killed (sources disagree)" in row.inner_text()
    row.click()
    card = page.locator("#event-card")
    card.locator("#merged-mentions").wait_for()
    text = card.inner_text()
    for expected in ("Air/drone strike", "2025-06-10", "Karlivka (UA)", "corroborated", "2 independent (Harbour Herald, Steppe News)", "sources disagree on", "fatalities"):
        assert expected in text, expected
    assert page.locator("#merged-mentions li").count() == 2
    _shot(page, "merged-event-card")
    page.locator("#merged-mentions li", has_text="Steppe News").locator("a.linkish").click()
    card.locator("dl dt", has_text="according to").wait_for()
    assert "Ihor Danko" in card.inner_text() and "7" in card.inner_text()
    assert card.locator("a[data-merged]").count() == 1  # the way back to the merged event


def test_timeline_of_a_place_from_the_sample(page, server: str) -> None:  # type: ignore[no-untyped-def]
    place = "Kursk"  # the sample reports North Korean troops sent to Russia's Kursk region
    page.goto(f"{server}/#/entities")
    _ready(page, "entities")
    assert page.locator("#entity-list li").count() > 3
    page.goto(f"{server}/#/timeline?place={place}")
    _ready(page, "timeline")
    items = page.locator("#timeline-list > li")
    assert items.count() >= 1, page.locator("#timeline-list").inner_text()
    assert page.locator("#timeline-title").inner_text() == f"Timeline: {place}"
    dates = [d for d in page.locator("#timeline-list .when").all_inner_texts() if d != "date unknown"]
    assert dates == sorted(dates)
    assert not any("PAST_REF" in t or "TMO" in t for t in page.locator("#timeline-list").all_inner_texts())
    assert page.locator("#timeline-list a[href*='#span-']").count() >= 1
    _shot(page, "timeline-place")
    page.fill("#tl-place", "Karlivka")
    page.click("#timeline-form button[type=submit]")
    page.wait_for_function("document.getElementById('timeline-title').textContent === 'Timeline: Karlivka'")
    _ready(page, "timeline")
    first = page.locator("#timeline-list > li").first
    assert "2025-06-10" in first.inner_text() and "corroborated" in first.inner_text()
    _shot(page, "timeline-karlivka")


def test_event_dates_are_readable(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/#/map")
    _ready(page, "map")
    _per_mention(page)
    listed = page.locator("#event-list").inner_text()
    assert "PAST_REF" not in listed and "TMO" not in listed and "TEV" not in listed
