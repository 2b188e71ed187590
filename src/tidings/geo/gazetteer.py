"""The gazetteer index: built once from the packaged data into the user's cache directory,
then memory-mapped, so that loading it is fast and costs little resident memory.

Layout (one folder per package version and format): numpy arrays, one per row field; a
sorted fixed-width array of name keys with the row and name type of each; one UTF-8 blob
for all strings. `manifest.json` is written last, so a folder without it is an unfinished
build and is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import DTypeLike

from tidings.errors import E, TidingsError
from tidings.geo.normalize import MAX_KEY_BYTES, name_key
from tidings.geo.sources import ALIAS, ALTERNATE, KINDS, PRIMARY, WEAK, all_rows, data_path

# Bump when the layout or the build rules change, so old caches are not read.
FORMAT_VERSION = 10
# Name types from strongest to weakest (a key a row has twice keeps its strongest type).
_STRENGTH = {PRIMARY: 0, ALIAS: 1, ALTERNATE: 2, WEAK: 3}
_ROW_FIELDS = ("geonameid", "lat", "lon", "population", "cc", "kind", "fclass", "fcode", "name", "admin1", "admin2")


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry that a name can refer to."""

    row: int
    name: str
    geonameid: int | None
    lat: float
    lon: float
    country_code: str | None
    admin1: str | None
    admin2: str | None
    kind: str
    feature_class: str | None
    feature_code: str | None
    population: int
    name_type: int


@lru_cache(maxsize=1)
def package_version() -> str:
    """Read once per process: `importlib.metadata` scans the installed distributions (0.5 ms a
    call here) and the places stage asks for the gazetteer's folder on every article."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tidings")
    except PackageNotFoundError:
        return "0+unknown"


def cache_root() -> Path:
    override = os.environ.get("TIDINGS_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("tidings"))


def index_dir(root: Path | None = None) -> Path:
    """Keyed by package version, index format and a fingerprint of the curated tables, so an
    upgrade or an edit of `data/geo/` never reads a stale index."""
    return (root or cache_root()) / f"gazetteer-{package_version()}-f{FORMAT_VERSION}-{_data_fingerprint()}"


@lru_cache(maxsize=1)
def _data_fingerprint() -> str:
    digest = hashlib.sha256()
    folder = data_path("countries.csv").parent
    for path in sorted(folder.glob("*.csv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


class _StringTable:
    def __init__(self) -> None:
        self.ids: dict[str, int] = {"": 0}
        self.values: list[str] = [""]

    def add(self, value: str) -> int:
        if value not in self.ids:
            self.ids[value] = len(self.values)
            self.values.append(value)
        return self.ids[value]

    def save(self, folder: Path) -> None:
        encoded = [v.encode("utf-8") for v in self.values]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        (folder / "strings.bin").write_bytes(b"".join(encoded))
        np.save(folder / "string_offsets.npy", offsets)


def build_index(folder: Path) -> dict[str, str | float | int]:
    """Build the index into `folder` (atomically: a temporary folder renamed at the end)."""
    started = time.perf_counter()
    strings = _StringTable()
    columns: dict[str, list] = {f: [] for f in _ROW_FIELDS}
    keys: list[tuple[bytes, int, int]] = []
    for row in all_rows():
        index = len(columns["name"])
        columns["geonameid"].append(row.geonameid)
        columns["lat"].append(row.lat)
        columns["lon"].append(row.lon)
        columns["population"].append(row.population)
        columns["cc"].append(row.country_code.encode("ascii"))
        columns["kind"].append(KINDS.index(row.kind))
        columns["fclass"].append(row.feature_class.encode("ascii"))
        columns["fcode"].append(row.feature_code.encode("ascii"))
        columns["name"].append(strings.add(row.name))
        columns["admin1"].append(strings.add(row.admin1))
        columns["admin2"].append(strings.add(row.admin2))
        strongest: dict[bytes, int] = {}
        for name, name_type in row.names:
            key = name_key(name).encode("utf-8")
            if key and len(key) <= MAX_KEY_BYTES and (key not in strongest or _STRENGTH[name_type] < _STRENGTH[strongest[key]]):
                strongest[key] = name_type
        keys += [(key, index, name_type) for key, name_type in strongest.items()]
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    try:
        dtypes: dict[str, DTypeLike] = {"geonameid": np.int64, "lat": np.float32, "lon": np.float32, "population": np.int64,
                  "cc": "S2", "kind": np.int8, "fclass": "S1", "fcode": "S6", "name": np.int32,
                  "admin1": np.int32, "admin2": np.int32}
        for name, values in columns.items():
            np.save(tmp / f"row_{name}.npy", np.asarray(values, dtype=dtypes[name]))
        keys.sort(key=lambda k: (k[0], k[2], k[1]))
        np.save(tmp / "keys.npy", np.asarray([k[0] for k in keys], dtype=f"S{MAX_KEY_BYTES}"))
        np.save(tmp / "key_rows.npy", np.asarray([k[1] for k in keys], dtype=np.int32))
        np.save(tmp / "key_types.npy", np.asarray([k[2] for k in keys], dtype=np.int8))
        strings.save(tmp)
        manifest: dict[str, str | float | int] = {"version": package_version(), "format": FORMAT_VERSION, "rows": len(columns["name"]),
                    "keys": len(keys), "build_seconds": round(time.perf_counter() - started, 2)}
        (tmp / "manifest.json").write_text(json.dumps(manifest))
        if (folder / "manifest.json").exists():
            shutil.rmtree(tmp)  # another process finished the same build first: keep its index
        else:
            shutil.rmtree(folder, ignore_errors=True)
            os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


# Folded names whose candidates a gazetteer keeps (per process). Most names have a few
# candidates of a few hundred bytes each: a few MB.
CANDIDATE_CACHE_KEYS = 8192


class Gazetteer:
    """Read-only view of a built index folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest = json.loads((folder / "manifest.json").read_text())
        self.rows = {f: np.load(folder / f"row_{f}.npy", mmap_mode="r") for f in _ROW_FIELDS}
        self.keys = np.load(folder / "keys.npy", mmap_mode="r")
        self.key_rows = np.load(folder / "key_rows.npy", mmap_mode="r")
        self.key_types = np.load(folder / "key_types.npy", mmap_mode="r")
        self._blob = np.load(folder / "string_offsets.npy", mmap_mode="r"), np.memmap(folder / "strings.bin", dtype=np.uint8, mode="r")

    def __len__(self) -> int:
        return int(self.manifest["rows"])

    def _string(self, sid: int) -> str:
        offsets, blob = self._blob
        return bytes(blob[int(offsets[sid]) : int(offsets[sid + 1])]).decode("utf-8")

    def _key_range(self, key: str) -> tuple[int, int]:
        encoded = key.encode("utf-8")
        if not encoded or len(encoded) > MAX_KEY_BYTES:
            return 0, 0
        lo = int(np.searchsorted(self.keys, encoded, side="left"))
        hi = int(np.searchsorted(self.keys, encoded, side="right"))
        return lo, hi

    def has_key(self, key: str) -> bool:
        lo, hi = self._key_range(key)
        return hi > lo

    def candidates(self, name: str) -> list[Candidate]:
        """Every entry that `name` (any spelling; it is folded here) can refer to."""
        return list(self._candidates_of_key(name_key(name)))

    @cached_property
    def _candidates_of_key(self) -> Callable[[str], tuple[Candidate, ...]]:
        """The candidates of a folded name, kept for the names met most recently: news repeats
        its places, and building a Candidate from the memory-mapped columns was a quarter of
        the places stage's CPU (bench/profile_ingest.py)."""

        @lru_cache(maxsize=CANDIDATE_CACHE_KEYS)
        def of_key(key: str) -> tuple[Candidate, ...]:
            lo, hi = self._key_range(key)
            return tuple(self.candidate(int(self.key_rows[i]), int(self.key_types[i])) for i in range(lo, hi))

        return of_key

    def candidate(self, row: int, name_type: int = 0) -> Candidate:
        r = self.rows
        gid = int(r["geonameid"][row])
        return Candidate(
            row=row,
            name=self._string(int(r["name"][row])),
            geonameid=gid if gid >= 0 else None,
            lat=round(float(r["lat"][row]), 5),
            lon=round(float(r["lon"][row]), 5),
            country_code=r["cc"][row].decode("ascii") or None,
            admin1=self._string(int(r["admin1"][row])) or None,
            admin2=self._string(int(r["admin2"][row])) or None,
            kind=KINDS[int(r["kind"][row])],
            feature_class=r["fclass"][row].decode("ascii") or None,
            feature_code=r["fcode"][row].decode("ascii") or None,
            population=int(r["population"][row]),
            name_type=name_type,
        )

    @cached_property
    def countries(self) -> dict[str, Candidate]:
        """Country code -> the country's own entry."""
        out: dict[str, Candidate] = {}
        kinds = np.asarray(self.rows["kind"])
        for row in np.flatnonzero(kinds == KINDS.index("country")):
            cand = self.candidate(int(row))
            if cand.country_code:
                out[cand.country_code] = cand
        return out


_LOCK = threading.Lock()
_LOADED: dict[Path, Gazetteer] = {}


def load_gazetteer(root: Path | None = None) -> Gazetteer:
    """The gazetteer, built into the cache on first use (or after a package upgrade)."""
    folder = index_dir(root)
    with _LOCK:
        if folder in _LOADED:
            return _LOADED[folder]
        if not (folder / "manifest.json").exists():
            try:
                build_index(folder)
                _remove_stale_indexes(folder)
            except PermissionError as err:
                raise TidingsError(E.E160, path=folder.parent, reason=str(err)) from err
            except ModuleNotFoundError as err:
                raise TidingsError(E.E161, package=err.name or str(err)) from err
        try:
            gazetteer = Gazetteer(folder)
        except (OSError, ValueError, KeyError) as err:
            raise TidingsError(E.E162, path=folder, reason=str(err)) from err
        _LOADED[folder] = gazetteer
        return gazetteer


def _remove_stale_indexes(current: Path) -> None:
    """Indexes of older versions or data are never read again: free their disk space."""
    for other in current.parent.glob("gazetteer-*"):
        # Temporary folders of a build of the current index (another process) are left alone.
        if not other.name.startswith(current.name) and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)
