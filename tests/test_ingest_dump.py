"""The text-dump splitter: the bundled sample, dumps of other shapes, and property tests."""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidings.article import Article
from tidings.ingest import IngestFailure, read_inputs
from tidings.ingest.debris import caption_credit, dateline_source, is_headline_shaped, is_junk
from tidings.ingest.dump import fix_line, lines_of, split_dump, to_article

DATA = Path(__file__).parent / "data" / "ingest"


def read_dump(path: Path) -> list[Article]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        items = list(read_inputs([str(path)]))
    failures = [i for i in items if isinstance(i, IngestFailure)]
    assert not failures, failures
    return [i for i in items if isinstance(i, Article)]


def split_text(text: str) -> list[Article]:
    return [to_article(d, f"t#{i}") for i, d in enumerate(split_dump(lines_of(text.splitlines(keepends=True))), 1)]


def bodies(article: Article) -> list[str]:
    return [article.text[p.start : p.end] for p in article.paragraphs if p.kind == "body"]


def assert_offsets_valid(article: Article) -> None:
    for seg in article.offset_map:
        assert fix_line(article.raw[seg.raw_start : seg.raw_end].strip()) == article.text[seg.start : seg.end]
    for caption in article.captions:
        assert article.text[caption.start : caption.end] == caption.text
    covered = [(p.start, p.end) for p in article.paragraphs]
    assert covered == sorted(covered)


# --- the bundled sample ------------------------------------------------------------------------


def test_sample_gives_exactly_the_two_articles(sample_path: Path) -> None:
    articles = read_dump(sample_path)
    assert [a.title for a in articles] == [
        "S.Korean Minister: US Troops Likely to Stay Even if Trump is Re-elected",
        "Ukrainian Troops Have Engaged with North Korean Units for 1st Time in Russia, Official Says",
    ]
    for article in articles:
        paragraphs = bodies(article)
        assert len(paragraphs) == len(set(paragraphs)), "a paragraph appears twice"
        assert not any(p == article.title for p in paragraphs)
        assert len(article.captions) == 1
        assert article.captions[0].credit in {"Reuters", "EPA"}
        caption_paragraphs = [p for p in article.paragraphs if p.kind == "caption"]
        assert len(caption_paragraphs) == 1 and caption_paragraphs[0].start > article.body_end
        assert "TT" not in article.text.split()
        assert article.origin and article.origin.startswith(str(sample_path))
        assert_offsets_valid(article)
    assert bodies(articles[0])[0].startswith("The United States is unlikely")
    assert bodies(articles[1])[0].startswith("Ukrainian troops have for the first time")
    assert [c.credit for a in articles for c in a.captions] == ["Reuters", "EPA"]


def test_sample_spans_show_in_the_original_file(sample_path: Path) -> None:
    raw_file = sample_path.read_text(encoding="utf-8")
    for article in read_dump(sample_path):
        assert article.raw in raw_file
        start, end = article.to_raw(article.paragraphs[0].start, article.paragraphs[0].end)
        assert article.raw[start:end] == article.text[article.paragraphs[0].start : article.paragraphs[0].end]


# --- other shapes ------------------------------------------------------------------------------


def test_one_article_with_byline_date_and_debris() -> None:
    (article,) = read_dump(DATA / "one_article.txt")
    assert article.title == "Flooding Cuts Power to Thousands Across Northern Province"
    assert article.author == "Maria Delgado and Tom Okafor"
    assert (article.published, article.published_how) == ("2024-03-12", "metadata")
    paragraphs = bodies(article)
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Rescue crews") and paragraphs[-1].startswith("Officials opened")
    for debris_line in ("Advertisement", "Share this article", "Read more"):
        assert debris_line not in article.text
    assert article.captions == []


def test_articles_separated_by_one_blank_line_split_at_datelines() -> None:
    first, second = read_dump(DATA / "one_blank.txt")
    assert first.title == "Port Strike Enters Second Week as Talks Stall"
    assert second.title == "Wildfire Forces Evacuation of Hillside Villages"
    assert bodies(first)[0].startswith("LAGOS, Nigeria (AP) — Dockworkers")  # the dateline stays in the text
    assert (first.source, second.source) == ("AP", "Reuters")
    assert len(bodies(first)) == 3 and len(bodies(second)) == 3
    assert "Wildfire" not in first.text


def test_many_blank_lines_and_single_newline_paragraphs() -> None:
    first, second = read_dump(DATA / "many_blank.txt")
    assert first.title == "Border Crossing Reopens After Three-Day Closure"
    assert [c.text for c in first.captions] == ["Trucks wait in a long line at the crossing on Friday. (AFP)"]
    assert first.captions[0].credit == "AFP"
    assert len(bodies(first)) == 3
    assert second.title == "Central Bank Holds Rates Steady Amid Slowing Growth"
    assert "Sign up" not in second.text
    assert bodies(second)[0].startswith("The central bank kept")


def test_hard_wrapped_paragraphs_are_joined() -> None:
    (article,) = read_dump(DATA / "wrapped.txt")
    assert bodies(article) == [
        "The city council approved next year's budget shortly before midnight on Thursday, ending weeks of debate over funding for road repairs and public libraries.",
        "The final plan raises spending by four percent, less than the mayor had asked for.",
        "Two members voted against it, saying the council had not consulted residents.",
    ]
    assert_offsets_valid(article)


def test_crlf_and_bom(tmp_path: Path) -> None:
    source = (DATA / "one_blank.txt").read_text(encoding="utf-8")
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"\xef\xbb\xbf" + source.replace("\n", "\r\n").encode("utf-8"))
    crlf = read_dump(path)
    plain = read_dump(DATA / "one_blank.txt")
    assert [a.text for a in crlf] == [a.text for a in plain]
    assert [a.id for a in crlf] == [a.id for a in plain]
    assert crlf[0].title == "Port Strike Enters Second Week as Talks Stall"  # no BOM in the title
    assert "\r" not in crlf[0].text and "\r\n" in crlf[0].raw
    for article in crlf:
        assert_offsets_valid(article)


def test_lone_carriage_returns_end_lines(tmp_path: Path) -> None:
    source = (DATA / "one_blank.txt").read_text(encoding="utf-8")
    path = tmp_path / "cr.txt"
    path.write_bytes(source.replace("\n", "\r").encode("utf-8"))
    assert [a.title for a in read_dump(path)] == [a.title for a in read_dump(DATA / "one_blank.txt")]


def test_mojibake_is_fixed_and_maps_back(tmp_path: Path) -> None:
    good = "Café Owners Protest New Rules\n\nOwners of cafés in the old town said the city’s new rules on terraces would cost them customers.\n"
    broken = good.encode("utf-8").decode("cp1252", errors="replace")
    assert "â€™" in broken
    path = tmp_path / "mojibake.txt"
    path.write_text(broken, encoding="utf-8")
    (article,) = read_dump(path)
    assert article.title == "Café Owners Protest New Rules"
    assert "city’s new rules" in article.text
    start, end = article.to_raw(0, len(article.text))
    assert "â€™" in article.raw[start:end]


def test_separator_lines_split_articles() -> None:
    text = "First Story Headline Here\n\nThe first story has one paragraph.\n\n-----\n\nSecond Story Headline Here\n\nThe second story has one too.\n"
    articles = split_text(text)
    assert [a.title for a in articles] == ["First Story Headline Here", "Second Story Headline Here"]
    assert all("-----" not in a.text for a in articles)


def test_subheading_inside_an_article_does_not_split_it() -> None:
    text = (
        "Town Plans New Market Square\n\n"
        "The town council unveiled plans for a new market square on Monday.\n\n"
        "What happens next\n\n"
        "A public consultation will open in the spring and run for six weeks.\n"
    )
    (article,) = split_text(text)
    assert bodies(article) == [
        "The town council unveiled plans for a new market square on Monday.",
        "What happens next",
        "A public consultation will open in the spring and run for six weeks.",
    ]


def test_dump_with_only_debris_is_a_coded_failure(tmp_path: Path) -> None:
    path = tmp_path / "debris.txt"
    path.write_text("TT\nAdvertisement\nShare\n", encoding="utf-8")
    (failure,) = list(read_inputs([str(path)]))
    assert isinstance(failure, IngestFailure) and failure.error.code == "E101"
    assert str(path) in str(failure.error)


# --- line classifiers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Protesters gather outside parliament in Tbilisi (Reuters)", "Reuters"),
        ("Smoke rises over the port after the strike. (AFP)", "AFP"),
        ("A woman walks past a damaged building in Kharkiv (AP Photo/Jane Doe)", "AP Photo/Jane Doe"),
        ("Rescuers search the rubble. Photo: Anadolu Agency", "Anadolu Agency"),
        ("The ministry said the talks would resume (OPEC).", None),
        ("He spoke to the Organization of American States (OAS) on Friday.", None),
        ("Kim said.", None),
    ],
)
def test_caption_credit(line: str, credit: str | None) -> None:
    assert caption_credit(line) == credit


@pytest.mark.parametrize("line", ["TT", "Advertisement", "Read more: Floods hit the south", "Share on Facebook", "•", "|", "Sign up for our daily briefing"])
def test_junk_lines(line: str) -> None:
    assert is_junk(line)


@pytest.mark.parametrize("line", ["The minister said the plan would go ahead.", "Ukraine's army fired artillery at the positions.", "More than 100 people were hurt."])
def test_body_lines_are_not_junk_or_headlines(line: str) -> None:
    assert not is_junk(line)
    assert not is_headline_shaped(line)


def test_dateline_gives_the_wire() -> None:
    assert dateline_source("KYIV, Ukraine (AP) — Russian drones struck the capital overnight.") == (True, "AP")
    assert dateline_source("SEOUL (Reuters) - North Korea fired a missile.") == (True, "Reuters")
    assert dateline_source("Officials said on Monday that the road would reopen.") == (False, None)


# --- robustness ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "(" * 300_000,
        "A" * 500_000,
        "(A " * 100_000 + ")",
        "By " + "Aa " * 100_000,
        "KYIV " * 100_000,
        "Photo: " * 50_000,
        "1 " * 200_000,
    ],
)
def test_hostile_lines_are_handled_quickly(line: str) -> None:
    text = f"Headline For A Hostile Test\n\nA first real paragraph ends here.\n\n{line}\n\n{line}\n"
    started = time.perf_counter()
    articles = split_text(text)
    assert time.perf_counter() - started < 5.0
    assert sum(len(bodies(a)) for a in articles) >= 1


# --- properties ------------------------------------------------------------------------------------

_WORDS = ["the", "council", "said", "troops", "near", "river", "on", "monday", "were", "café", "city’s", "talks", "and", "a"]
_sentence = st.lists(st.sampled_from(_WORDS), min_size=4, max_size=14).map(lambda ws: " ".join(ws))
_title_word = st.sampled_from(["Storm", "Talks", "Market", "Border", "Bank", "River", "Court", "Strike", "Élan"])


@st.composite
def dump_articles(draw: st.DrawFn) -> list[dict[str, object]]:
    count = draw(st.integers(1, 4))
    articles = []
    serial = 0
    for _ in range(count):
        title = " ".join(draw(st.lists(_title_word, min_size=3, max_size=7))) + f" Number {serial}"
        paragraphs = []
        for _ in range(draw(st.integers(1, 6))):
            serial += 1
            paragraphs.append(f"Report {serial} says {draw(_sentence)}.")
        caption = draw(st.one_of(st.none(), _sentence.map(lambda s, n=serial: f"Picture {n} shows {s} (Reuters)")))
        articles.append({"title": title, "paragraphs": paragraphs, "caption": caption})
    return articles


def render_dump(articles: list[dict[str, object]], repeat_title: bool, junk: bool, para_gap: int, newline: str) -> str:
    lines: list[str] = []
    for index, article in enumerate(articles):
        if index:
            lines.extend([""] * (para_gap + 2))
        lines.append(str(article["title"]))
        caption = article["caption"]
        if caption:
            lines.extend([str(caption), str(caption)])
        if junk:
            lines.append("TT")
        if repeat_title:
            lines.extend(["", str(article["title"])])
        lines.extend([""] * para_gap)
        for number, paragraph in enumerate(article["paragraphs"]):  # type: ignore[arg-type]
            if number:
                lines.extend([""] * para_gap)
            lines.append(paragraph)
            if junk and number == 0:
                lines.extend(["", "Advertisement", ""])
    return newline.join(lines) + newline


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    articles=dump_articles(),
    repeat_title=st.booleans(),
    junk=st.booleans(),
    para_gap=st.integers(0, 2),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_splitter_loses_and_duplicates_no_body_text(articles, repeat_title, junk, para_gap, newline) -> None:
    text = render_dump(articles, repeat_title, junk, para_gap, newline)
    found = split_text(text)
    assert [a.title for a in found] == [a["title"] for a in articles]
    for article, expected in zip(found, articles, strict=True):
        assert bodies(article) == expected["paragraphs"]
        assert [c.text for c in article.captions] == ([expected["caption"]] if expected["caption"] else [])
        assert_offsets_valid(article)
        for seg in article.offset_map:
            assert article.raw[seg.raw_start : seg.raw_end] == article.text[seg.start : seg.end]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_splitter_offsets_valid_on_arbitrary_text(text: str) -> None:
    non_blank = [line.strip() for line in text.splitlines() if line.strip()]
    found = split_text(text)
    for article in found:
        assert_offsets_valid(article)
        assert article.raw in text
        for paragraph in article.paragraphs:
            assert article.text[paragraph.start : paragraph.end].strip()
    kept = sum(len(a.offset_map) for a in found)
    assert kept <= len(non_blank)


# --- streaming ---------------------------------------------------------------------------------------


def test_reading_a_large_dump_keeps_memory_flat(tmp_path: Path, sample_path: Path) -> None:
    """A 12 MB dump is read in a fresh process; reading it whole would add over 24 MB (bytes + str)."""
    import json
    import subprocess
    import sys

    from tidings.ingest.bench import source_paragraphs, write_dump

    path = tmp_path / "big.txt"
    expected = write_dump(path, 12, source_paragraphs(sample_path))
    done = subprocess.run([sys.executable, "-m", "tidings.ingest.bench", "--read", str(path)], capture_output=True, text=True, check=True, timeout=300)
    figures = json.loads(done.stdout)
    assert figures["articles"] == expected and figures["failures"] == 0
    assert figures["peak_rss_growth_mb"] < 8, figures


def test_wire_dump_with_kickers_bylines_timestamps_and_agency_lines() -> None:
    first, second = read_dump(DATA / "wire_debris.txt")
    assert first.title == "Drone Attack Sets Fire to Fuel Depot in Western Region, Officials Say"
    assert first.author == "OLENA PETRENKO and MARK JOHNSON Associated Press"
    assert (first.published, first.source) == ("2024-11-05", "AP")
    assert bodies(first) == [
        "KYIV, Ukraine (AP) — A drone attack overnight set fire to a fuel depot in the country's west, regional officials said Wednesday, the latest in a string of strikes on energy sites.",
        "Firefighters worked for hours to contain the blaze, which sent black smoke over nearby villages.",
        "No casualties were reported.",
    ]
    assert second.title == "Mediators to Meet Again in Cairo Next Week"
    assert (second.published, second.source) == ("2024-11-06", "Reuters")
    assert len(bodies(second)) == 2
    for article in (first, second):
        assert "min read" not in article.text and "World" not in article.text.split()
