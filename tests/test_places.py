"""Places: gazetteer index, toponym finding, resolution, demonyms, the stage, on sentences
written for these tests (plus the project sample end to end)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.analyze import analyze_records
from tidings.errors import TidingsError
from tidings.geo import country_of_demonym, haversine_km, is_demonym, lookup
from tidings.geo.gazetteer import Gazetteer, index_dir, load_gazetteer
from tidings.geo.mentions import Mention, trim_span
from tidings.geo.normalize import name_key
from tidings.geo.resolve import resolve_mentions


@pytest.fixture(scope="session", autouse=True)
def gazetteer_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One gazetteer build per test session, in a temporary cache folder."""
    root = tmp_path_factory.mktemp("tidings-cache")
    mp = pytest.MonkeyPatch()
    mp.setenv("TIDINGS_CACHE_DIR", str(root))
    load_gazetteer()
    yield root
    mp.undo()


def places_of(text: str) -> list[dict]:
    (out,) = analyze_records([{"id": "t", "text": text}], stages=["nlp", "places"])
    for place in out["places"]:
        assert text[place["start"] : place["end"]] == place["text"]
    return out["places"]


def only(places: list[dict], text: str) -> dict:
    found = [p for p in places if p["text"] == text]
    assert found, f"{text!r} not among {[p['text'] for p in places]}"
    return found[0]


def near(place: dict, lat: float, lon: float, km: float = 100.0) -> bool:
    return place["lat"] is not None and haversine_km(place["lat"], place["lon"], lat, lon) <= km


# --- gazetteer ---------------------------------------------------------------------------

def test_index_is_built_under_the_cache_dir_and_keyed_by_version(gazetteer_cache: Path) -> None:
    folder = index_dir()
    assert folder.parent == gazetteer_cache
    assert (folder / "manifest.json").exists()
    assert folder.name.startswith("gazetteer-")
    assert len(load_gazetteer()) > 200_000


def test_the_installed_version_is_read_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The places stage asks for the gazetteer (so for its folder, keyed by version) on every
    article; `importlib.metadata` scans the installed distributions each time it is asked."""
    import importlib.metadata

    from tidings.geo import gazetteer

    calls = []
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: calls.append(name) or real(name))
    gazetteer.package_version.cache_clear()
    folders = {index_dir() for _ in range(3)}
    assert len(folders) == 1 and load_gazetteer() is load_gazetteer()
    assert calls == ["tidings"]


def test_loading_a_built_index_is_fast() -> None:
    started = time.perf_counter()
    gaz = Gazetteer(index_dir())
    gaz.candidates("Kyiv")
    assert time.perf_counter() - started < 1.0


def test_lookup_ranks_the_likely_entry_first() -> None:
    assert lookup("Kyiv")[0].country_code == "UA"
    assert lookup("Ukraine")[0].kind == "country"
    assert lookup("Paris")[0].country_code == "FR"
    springfields = {c.admin1 for c in lookup("Springfield", limit=50)}
    assert {"Illinois", "Missouri", "Massachusetts"} <= springfields


def test_lookup_rejects_an_empty_name() -> None:
    with pytest.raises(TidingsError) as err:
        lookup("  ")
    assert err.value.code == "E163"


def test_a_damaged_index_says_so(tmp_path: Path) -> None:
    folder = index_dir()
    copy = tmp_path / folder.name
    shutil.copytree(folder, copy)
    (copy / "keys.npy").unlink()
    with pytest.raises(TidingsError) as err:
        load_gazetteer(tmp_path)
    assert err.value.code == "E162"


def test_name_keys_fold_case_accents_and_abbreviations() -> None:
    assert name_key("ZAPORIZHZHIA") == name_key("Zaporizhzhia")
    assert name_key("St. Louis") == name_key("Saint Louis")
    assert name_key("Dnipró") == "dnipro"
    assert name_key("the Hague") == "hague"


# --- demonyms ------------------------------------------------------------------------------

def test_demonyms_give_a_country_not_a_place() -> None:
    assert country_of_demonym("North Korean") == "KP"
    assert country_of_demonym("Ukrainians") == "UA"
    assert country_of_demonym("American") == "US"
    assert country_of_demonym("European") is None
    assert country_of_demonym("Kharkiv") is None
    assert is_demonym("South Korean") and not is_demonym("South Korea")
    with pytest.raises(TidingsError):
        country_of_demonym("")


def test_demonyms_and_stop_words_are_not_places() -> None:
    places = places_of("North Korean officers met Ukrainian envoys. David and Ivan said More would come. Time will tell.")
    texts = {p["text"] for p in places}
    assert not texts & {"North Korean", "Ukrainian", "David", "Ivan", "More", "Time", "North"}


# --- resolution in context ------------------------------------------------------------------

def test_city_with_country_qualifier() -> None:
    places = places_of("A missile struck an apartment block in Kharkiv, Ukraine, late on Sunday.")
    kharkiv = only(places, "Kharkiv")
    assert kharkiv["country_code"] == "UA" and near(kharkiv, 49.98, 36.25)
    assert only(places, "Ukraine")["kind"] == "country"


def test_border_region_means_the_oblast_not_the_city() -> None:
    places = places_of("Troops were moved to Russia's Kursk border region after the incursion.")
    kursk = only(places, "Kursk")
    assert kursk["kind"] == "admin1" and kursk["country_code"] == "RU"


def test_ambiguous_name_follows_the_country_in_context() -> None:
    ukraine = places_of("Ukrainian forces held the line near Pokrovsk as shelling hit Kramatorsk in Ukraine.")
    assert only(ukraine, "Pokrovsk")["country_code"] == "UA"
    russia = places_of("Gold prospectors flew from Yakutsk to Pokrovsk, Russia, in the winter.")
    assert only(russia, "Pokrovsk")["country_code"] == "RU"


def test_state_abbreviation_picks_the_small_town() -> None:
    places = places_of("The fair opened in Paris, Tenn., on Friday with a parade downtown.")
    paris = only(places, "Paris")
    assert paris["country_code"] == "US" and paris["admin1"] == "Tennessee"


def test_capital_beats_the_state_of_the_same_name() -> None:
    places = places_of("Officials in Washington said the talks with Moscow would resume.")
    assert near(only(places, "Washington"), 38.9, -77.04)


def test_unresolvable_name_keeps_its_span_and_the_rest_resolves() -> None:
    text = "Aid reached Qorvandelsk and Kyiv."
    mentions = [Mention(12, 23, "Qorvandelsk", "entity"), Mention(28, 32, "Kyiv", "entity")]
    resolved = resolve_mentions(text, mentions, load_gazetteer())
    assert resolved[0].candidate is None and resolved[0].mention.text == "Qorvandelsk"
    assert resolved[1].candidate is not None and resolved[1].candidate.country_code == "UA"


# --- the sample, end to end -----------------------------------------------------------------

def test_sample_places(sample_path: Path) -> None:
    places = places_of(sample_path.read_text(encoding="utf-8"))
    expected = {
        "Bucheon": (37.5, 126.78),
        "Camp David": (39.65, -77.47),
        "Kharkiv": (49.98, 36.25),
        "Vuhledar": (47.78, 37.25),
        "Pokrovsk": (48.28, 37.18),
        "Chasiv Yar": (48.59, 37.84),
        "Zaporizhzhia": (47.85, 35.12),
        "Kyiv": (50.45, 30.52),
    }
    for name, (lat, lon) in expected.items():
        assert near(only(places, name), lat, lon), name
    assert near(only(places, "demilitarized zone"), 38.3, 127.0, km=150)
    kursk = [p for p in places if p["text"] == "Kursk"]
    assert kursk and all(p["kind"] == "admin1" and p["country_code"] == "RU" for p in kursk)
    donetsk_region = [p for p in places if p["text"] == "Donetsk" and p["kind"] == "admin1"]
    assert donetsk_region and donetsk_region[0]["country_code"] == "UA"
    texts = {p["text"] for p in places}
    assert not texts & {"North Korean", "Ukrainian", "Ivan", "More", "South Korean", "Russian", "Kim", "Telegram", "X"}


# --- robustness -----------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab C.'’s the,-")), max_size=40), st.data())
def test_trim_span_stays_inside_and_matches_text(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    s, e = trim_span(text, start, end)
    assert start <= s <= e <= end


def test_hostile_input_is_fast() -> None:
    text = ("St. St. St. of the the Kyiv's's's, " * 120) + ("Paris, Tenn., " * 120) + "Lviv " * 300
    started = time.perf_counter()
    places = places_of(text)
    assert time.perf_counter() - started < 30
    assert any(p["text"] == "Kyiv" and p["country_code"] == "UA" for p in places)
    assert all(text[p["start"] : p["end"]] == p["text"] for p in places)


# --- the stage and the scorer ---------------------------------------------------------------

def test_stage_leaves_an_article_without_a_parse_alone() -> None:
    from tidings.article import Article
    from tidings.stages.places import PlacesStage

    article = Article(text="Shelling hit Kherson.")
    assert PlacesStage()(article).places == []


def test_scorer_counts_spans_and_distances(tmp_path: Path) -> None:
    import json

    from tidings.eval import run_eval

    text = "Floods closed roads in Lviv and in Odesa, Ukraine, officials said."
    gold_places = [
        {"start": 23, "end": 27, "text": "Lviv", "geonameid": 702550, "lat": 49.84, "lon": 24.02},
        # deliberately placed far from Odesa: the scorer must count it as wrong
        {"start": 35, "end": 40, "text": "Odesa", "geonameid": None, "lat": 10.0, "lon": 10.0},
        {"start": 42, "end": 49, "text": "Ukraine", "geonameid": 690791, "lat": 49.0, "lon": 32.0},
    ]
    for place in gold_places:
        assert text[place["start"] : place["end"]] == place["text"]
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g1", "text": text, "places": gold_places}) + "\n", encoding="utf-8")
    scores = run_eval("places", gold)
    assert scores["gold_spans"] == 3
    assert scores["span_r_exact"] == 1.0
    assert scores["resolved_scored"] == 3
    assert scores["acc_161km"] == pytest.approx(2 / 3, abs=1e-3)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["Kyiv", "Paris", "Tenn.", ",", "the", "St.", "County", "North", "Korean", "River", "in", "of", "city", "DMZ", "Lviv's", "KHARKIV", "—", "D-Plymouth"]), max_size=30))
def test_found_mentions_always_match_the_text(words: list[str]) -> None:
    import spacy

    from tidings.geo.mentions import find_mentions

    text = " ".join(words)
    doc = spacy.blank("en")(text)
    for mention in find_mentions(doc, load_gazetteer()):
        assert text[mention.start : mention.end] == mention.text
        assert mention.text.strip() == mention.text and mention.text


def test_tentative_town_stands_only_next_to_the_articles_places() -> None:
    gaz = load_gazetteer()
    text = "Volunteers from Barbourville drove to Corbin."
    tentative = Mention(16, 28, "Barbourville", "tentative", "ORG")
    corbin = Mention(38, 44, "Corbin", "entity", "GPE")
    kept = resolve_mentions(text, [tentative, corbin], gaz)
    assert [r.mention.text for r in kept] == ["Barbourville", "Corbin"]
    assert kept[0].candidate is not None and kept[0].candidate.admin1 == "Kentucky"

    far_text = "Volunteers from Barbourville drove to Kyiv."
    far = resolve_mentions(far_text, [tentative, Mention(38, 42, "Kyiv", "entity", "GPE")], gaz)
    assert [r.mention.text for r in far] == ["Kyiv"]


def test_bench_reports_load_time_and_memory_within_budget() -> None:
    from tidings.geo import bench_gazetteer

    figures = bench_gazetteer()
    assert figures["rows"] > 200_000 and figures["probe_hits"] > 0
    assert figures["load_seconds"] < 1.0
    assert figures["rss_added_mb"] < 300
