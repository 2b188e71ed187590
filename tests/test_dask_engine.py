"""The Dask engine gives the same records as the local engine, and survives a killed worker."""

from __future__ import annotations

import json
import os
import random
import threading
import time
from pathlib import Path

import psutil
import pytest

from tidings import api
from tidings.engines import dask_engine
from tidings.errors import TidingsError
from tidings.ingest import ReadOptions
from tidings.store import Store

try:
    import distributed
except ImportError:  # make install brings the extra; without it, fail in CI and skip elsewhere
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        raise
    pytest.skip("the dask extra is not installed: pip install 'tidings[dask]'", allow_module_level=True)

PLACES = ["Goma", "Kharkiv", "Mosul", "Aleppo", "Bamako", "Kabul", "Gaza", "Juba"]
ACTS = ["Shelling hit a market in {p} on Monday, killing {n} people, officials said.",
        "Hundreds of protesters marched through {p} demanding the release of detained journalists.",
        "Police in {p} arrested {n} men suspected of smuggling weapons, a spokesman said on Tuesday.",
        "\"We will not leave {p},\" the mayor told reporters after the attack."]


def _corpus(path: Path, n: int) -> None:
    rng = random.Random(11)
    with path.open("w") as out:
        for i in range(n):
            text = " ".join(rng.choice(ACTS).format(p=rng.choice(PLACES), n=rng.randint(2, 40)) for _ in range(4)) + f" Report {i}."
            month = rng.choice(["2024-01-15", "2024-02-03", "2024-03-30"])
            out.write(json.dumps({"id": f"d{i}", "text": text, "published": month}) + "\n")


def _docs(db: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    return {r["id"]: json.loads(r["doc"]) for r in Store(db).query("SELECT id, doc FROM articles")}


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


@pytest.mark.slow
def test_dask_gives_the_same_records_as_local(tmp_path: Path, cluster, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(dask_engine, "PARTITION_SIZE", 7)
    corpus = tmp_path / "c.jsonl"
    _corpus(corpus, 30)
    options = ReadOptions(format="jsonl")
    local = api.ingest([str(corpus)], Store(tmp_path / "local.duckdb"), options)
    remote = api.ingest([str(corpus)], Store(tmp_path / "dask.duckdb"), options, engine="dask",
                        scheduler=cluster.scheduler_address, dataset=tmp_path / "ds")
    assert local.new == remote.new == 30 and remote.failed == 0
    a, b = _docs(tmp_path / "local.duckdb"), _docs(tmp_path / "dask.duckdb")
    assert a.keys() == b.keys()
    for key in a:
        assert a[key] == b[key], f"article {key} differs between engines"
    months = {p.parent.name for p in dask_engine.dataset_files(tmp_path / "ds")}
    assert months == {"published_month=2024-01", "published_month=2024-02", "published_month=2024-03"}


@pytest.mark.slow
def test_a_killed_worker_loses_and_duplicates_nothing(tmp_path: Path, cluster, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(dask_engine, "PARTITION_SIZE", 5)
    corpus = tmp_path / "c.jsonl"
    _corpus(corpus, 60)
    killed: list[int] = []

    def kill_a_worker_once_work_started() -> None:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not dask_engine.dataset_files(tmp_path / "ds"):
            time.sleep(0.1)
        with distributed.Client(cluster.scheduler_address) as client:
            pids = sorted(client.run(os.getpid).values())
        psutil.Process(pids[0]).kill()
        killed.append(pids[0])

    killer = threading.Thread(target=kill_a_worker_once_work_started)
    killer.start()
    report = api.ingest([str(corpus)], Store(tmp_path / "k.duckdb"), ReadOptions(format="jsonl"), engine="dask",
                        scheduler=cluster.scheduler_address, dataset=tmp_path / "ds")
    killer.join()
    assert killed, "no worker was killed"
    assert report.failed == 0 and report.new == 60
    ids = [r["external_id"] for r in Store(tmp_path / "k.duckdb").query("SELECT external_id FROM articles")]
    assert sorted(ids) == sorted(f"d{i}" for i in range(60))
    in_dataset = [a.external_id for a in dask_engine.read_dataset(dask_engine.dataset_files(tmp_path / "ds"))]
    assert sorted(in_dataset) == sorted(ids)


def test_without_the_extra_the_error_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_distributed(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name.split(".")[0] == "distributed":
            raise ImportError("No module named 'distributed'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    monkeypatch.delitem(__import__("sys").modules, "distributed", raising=False)
    with pytest.raises(TidingsError) as err:
        dask_engine.connect_client(None, 1)
    assert err.value.code == "E050" and "pip install 'tidings[dask]'" in err.value.message


def test_unknown_engine_lists_the_valid_ones(tmp_path: Path) -> None:
    with pytest.raises(TidingsError) as err:
        api.ingest(["examples/sample.txt"], Store(tmp_path / "x.duckdb"), engine="spark")
    assert err.value.code == "E051" and "dask" in err.value.message
