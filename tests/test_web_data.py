"""Hand-made articles for the web, export and report tests (sentences written for these tests),
and tests of the pure helpers: highlight runs and span links."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tidings.article import (
    Article,
    Claim,
    Entity,
    Event,
    EventDate,
    Place,
    Quantity,
    Quote,
    Span,
    TimeExpr,
)
from tidings.store import Store
from tidings.web.highlights import article_view, runs

XSS_TITLE = '<img src=x onerror="window.__pwned=1">Crafted <b>title</b>'
XSS_SCRIPT = "<script>window.__pwned=2</script>"
XSS_LINK = '<a href="javascript:window.__pwned=3">click me</a>'


def find(text: str, needle: str, after: int = 0) -> Span:
    start = text.index(needle, after)
    return Span(start, start + len(needle), needle)


def place_at(text: str, needle: str, name: str, lat: float, lon: float, cc: str, code: str = "PPLA") -> Place:
    s = find(text, needle)
    return Place(s.start, s.end, s.text, name, 1, lat, lon, cc, "P", code, None, None)


def shelling_report() -> Article:
    text = (
        "Artillery shells struck a covered market in Zolotiv on 3 March, killing 12 people and wounding 30, "
        "the regional governor Petro Hulak said.\n\n"
        "\"They aimed at shoppers, not soldiers,\" Hulak told the Dnipro Daily.\n\n"
        "The defence ministry in Moscow denied that its forces had fired on the town."
    )
    place = place_at(text, "Zolotiv", "Zolotiv", 48.51, 35.02, "UA")
    trigger = find(text, "struck")
    return Article(
        text=text,
        title="Shells hit market in Zolotiv",
        published="2025-03-04",
        published_how="metadata",
        source="Dnipro Daily",
        origin="zolotiv-1.txt",
        entities=[Entity(*_pos(find(text, "Petro Hulak")), "PERSON"), Entity(*_pos(find(text, "Moscow")), "GPE")],
        places=[place],
        times=[TimeExpr(*_pos(find(text, "3 March")), "DATE", "2025-03-03")],
        quotes=[Quote(find(text, "They aimed at shoppers, not soldiers,"), find(text, "Hulak", 150), "Petro Hulak", find(text, "told"), "direct", via=["Dnipro Daily"])],
        claims=[
            Claim(find(text, "Artillery shells struck a covered market in Zolotiv on 3 March, killing 12 people and wounding 30"), "Petro Hulak", [], "asserted", None, None),
            Claim(find(text, "its forces had fired on the town"), "Russian defence ministry", [], "denied", find(text, "denied"), None),
        ],
        quantities=[
            Quantity(*_pos(find(text, "12 people")), 12, None, None, "exact", "people", event=0, claim=0),
            Quantity(*_pos(find(text, "30")), 30, None, None, "exact", "people", event=0, claim=0),
        ],
        events=[Event("Explosions/Remote violence", "Shelling/artillery/missile attack", trigger, ["Russian forces"], ["civilians"], 0,
                      EventDate("2025-03-03", "day"), 12, 30, 0.9, "asserted", "Petro Hulak", weapon="artillery", claim=0)],
    )


def second_shelling_report() -> Article:
    text = (
        "At least nine people died when shells hit the Zolotiv market on 3 March, the state emergency service said. "
        "Rescuers were still searching the rubble."
    )
    trigger = find(text, "hit")
    return Article(
        text=text,
        title="Rescuers search Zolotiv market",
        published="2025-03-03",
        source="Kyiv Wire",
        origin="zolotiv-2.txt",
        places=[place_at(text, "Zolotiv", "Zolotiv", 48.51, 35.02, "UA")],
        claims=[Claim(find(text, "At least nine people died when shells hit the Zolotiv market on 3 March"), "state emergency service", ["Kyiv Wire"], "asserted", None)],
        quantities=[Quantity(*_pos(find(text, "At least nine")), 9, None, None, "at_least", "people", event=0, claim=0)],
        events=[Event("Explosions/Remote violence", "Shelling/artillery/missile attack", trigger, [], ["civilians"], 0,
                      EventDate("2025-03-03", "day"), 9, None, 0.8, "asserted", "state emergency service")],
    )


def protest_report() -> Article:
    text = (
        "Thousands of students marched through Tbilisi on Friday to demand new elections, organisers said. "
        "Police did not intervene, according to witnesses."
    )
    return Article(
        text=text,
        title="Students march in Tbilisi",
        published="2025-02-15",
        source="Caucasus Post",
        origin="tbilisi.txt",
        places=[place_at(text, "Tbilisi", "Tbilisi", 41.69, 44.83, "GE", "PPLC")],
        times=[TimeExpr(*_pos(find(text, "Friday")), "DATE", "2025-02-14")],
        claims=[Claim(find(text, "Police did not intervene"), "witnesses", [], "unconfirmed", find(text, "according to"))],
        events=[Event("Protests", "Peaceful protest", find(text, "marched"), ["students"], [], 0,
                      EventDate("2025-02-14", "day"), None, None, 0.85, "asserted", "organisers")],
    )


def hostile_report() -> Article:
    text = (
        f"Officials in Harbourtown said a {XSS_SCRIPT} drone struck the port. "
        f"Details were posted at {XSS_LINK} by a local group."
    )
    return Article(
        text=text,
        title=XSS_TITLE,
        published="2025-01-20",
        source='<svg onload="window.__pwned=4">',
        url="javascript:window.__pwned=5",
        origin="hostile.html",
        places=[place_at(text, "Harbourtown", '<img src=x onerror="window.__pwned=6">', 10.0, 10.0, "NG")],
        quotes=[Quote(find(text, XSS_SCRIPT), None, '<img src=x onerror="window.__pwned=7">', None, "indirect")],
        events=[Event("Explosions/Remote violence", "Air/drone strike", find(text, "struck"), ['<img src=x onerror="window.__pwned=8">'], [], 0,
                      EventDate("2025-01-20", "day"), 1, None, 0.7, "unconfirmed", '<script>window.__pwned=9</script>')],
    )


def _pos(span: Span) -> tuple[int, int, str]:
    return span.start, span.end, span.text


def all_articles() -> list[Article]:
    return [shelling_report(), second_shelling_report(), protest_report(), hostile_report()]


def make_store(path: Path, articles: list[Article] | None = None) -> Store:
    store = Store(path / "web.duckdb")
    store.add_articles(articles if articles is not None else all_articles())
    return store


# -- tests of the pure helpers ------------------------------------------------------------------
def test_hand_made_spans_are_exact() -> None:
    for article in all_articles():
        view = article_view(article, [])
        for mark in view["highlights"]:
            assert article.text[mark["start"]:mark["end"]]  # non-empty and in range
        for quote in article.quotes:
            assert article.text[quote.content.start:quote.content.end] == quote.content.text


@given(st.integers(0, 300), st.lists(st.tuples(st.integers(0, 320), st.integers(0, 320)), max_size=30))
def test_runs_tile_the_text_and_mark_exactly_the_covering_spans(length: int, pairs: list[tuple[int, int]]) -> None:
    spans = [(i, min(a, b), max(a, b)) for i, (a, b) in enumerate(pairs)]
    out = runs(length, spans)
    assert [r["start"] for r in out[1:]] == [r["end"] for r in out[:-1]]
    if length:
        assert out[0]["start"] == 0 and out[-1]["end"] == length
    for run in out:
        expected = sorted(i for i, s, e in spans if s <= run["start"] and run["end"] <= e and s < e)
        assert run["marks"] == expected


def test_runs_on_big_input_are_linear_enough() -> None:
    spans = [(i, i * 3, i * 3 + 10) for i in range(20_000)]
    out = runs(70_000, spans)
    assert out[-1]["end"] == 70_000
    assert len(out) > 20_000


def test_article_view_raw_runs_follow_the_offset_map() -> None:
    article = shelling_report()
    article.raw = "HEADER\n" + article.text
    from tidings.article import Segment

    article.offset_map = [Segment(0, len(article.text), 7, len(article.raw))]
    view = article_view(article, [])
    quote_mark = next(h for h in view["highlights"] if h["kind"] == "quote")
    raw_runs = [r for r in view["raw_runs"] if quote_mark["id"] in r["marks"]]
    raw_text = "".join(article.raw[r["start"]:r["end"]] for r in raw_runs)
    assert raw_text == article.quotes[0].content.text
