"""Cost of the gazetteer index: build time, load time and resident memory, measured in a
fresh interpreter so that nothing already imported or cached flatters the figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tidings.geo.gazetteer import build_index, index_dir

_PROBE = r"""
import json, resource, sys, time
def rss_mb():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
import numpy
from tidings.geo.gazetteer import Gazetteer
before = rss_mb()
t = time.perf_counter()
gaz = Gazetteer(__import__("pathlib").Path(sys.argv[1]))
names = ["Kyiv", "Paris", "Springfield", "Laurel County", "Kursk region", "Donetsk", "Tenn.", "Camp David"]
hits = sum(len(gaz.candidates(n)) for n in names)
loaded = time.perf_counter() - t
t = time.perf_counter()
for _ in range(200):
    for n in names:
        gaz.candidates(n)
lookup_us = (time.perf_counter() - t) / (200 * len(names)) * 1e6
print(json.dumps({"load_seconds": round(loaded, 3), "rss_added_mb": round(rss_mb() - before, 1), "lookup_microseconds": round(lookup_us, 1), "probe_hits": hits}))
"""


def bench_gazetteer(root: Path | None = None, rebuild: bool = False) -> dict[str, float | int]:
    folder = index_dir(root)
    manifest_path = folder / "manifest.json"
    if rebuild or not manifest_path.exists():
        build_index(folder)
    manifest = json.loads(manifest_path.read_text())
    probe = subprocess.run([sys.executable, "-c", _PROBE, str(folder)], capture_output=True, text=True, check=True)
    figures = json.loads(probe.stdout.strip().splitlines()[-1])
    size_mb = sum(f.stat().st_size for f in folder.iterdir()) / 2**20
    return {"build_seconds": manifest["build_seconds"], "rows": manifest["rows"], "keys": manifest["keys"],
            "index_mb": round(size_mb, 1), **figures}
