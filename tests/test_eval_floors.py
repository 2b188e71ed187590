"""Quality gates: each tests/floors/TASK.json pins minimum dev-set scores and the gold file's hash.

A floor may only rise: when a score improves, raise the floor in the same commit. When the
gold file changes (its hash differs) the test fails so that the floors are re-measured on purpose.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.conftest import EVAL_DIR, ROOT, require_shared
from tidings.eval import run_eval

FLOORS = sorted((Path(__file__).parent / "floors").glob("*.json"))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file():
                h.update(child.name.encode())
                h.update(child.read_bytes())
    else:
        h.update(path.read_bytes())
    return h.hexdigest()


@pytest.mark.eval
@pytest.mark.parametrize("floor_file", FLOORS, ids=[f.stem for f in FLOORS])
def test_dev_scores_stay_above_floors(floor_file: Path) -> None:
    spec = json.loads(floor_file.read_text())
    # "gold" is relative to ../shared/eval, or to the repository when "in_repo" is true
    gold = ROOT / spec["gold"] if spec.get("in_repo") else require_shared(EVAL_DIR / spec["gold"])
    assert _sha256(gold) == spec["gold_sha256"], f"{gold} changed: re-measure and re-pin {floor_file.name}"
    scores = run_eval(spec["task"], gold, **spec.get("options", {}))
    low = {m: (scores.get(m), floor) for m, floor in spec["floors"].items() if not (scores.get(m, -1) >= floor)}
    assert not low, f"{spec['task']} below its floors (score, floor): {low}"
