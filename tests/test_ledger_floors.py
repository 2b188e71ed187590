"""CI floors for the ledger's clustering scores on its own gold corpus (tests/data/ledger): on
the hand annotations (the ledger alone, floors.json) and on what the real analysis finds in the
corpus texts (floors_pipeline.json: the stages users run, then the ledger).

The corpus ships with the tests (it was written for tidings), so unlike the shared dev sets it is
never missing. A floor may only rise; a changed corpus must be re-measured on purpose."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tidings.eval import run_eval

ROOT = Path(__file__).resolve().parent.parent
FLOOR_FILES = sorted((ROOT / "tests/data/ledger").glob("floors*.json"))


@pytest.mark.eval
@pytest.mark.parametrize("floor_file", FLOOR_FILES, ids=[f.stem for f in FLOOR_FILES])
def test_ledger_scores_stay_above_floors(floor_file: Path) -> None:
    spec = json.loads(floor_file.read_text())
    gold = ROOT / spec["gold"]
    assert hashlib.sha256(gold.read_bytes()).hexdigest() == spec["gold_sha256"], "corpus changed: re-measure and re-pin the floors"
    scores = run_eval(spec["task"], gold, **spec["options"])
    low = {m: (scores.get(m), floor) for m, floor in spec["floors"].items() if not scores.get(m, -1) >= floor}
    assert not low, f"ledger below its {floor_file.name} floors (score, floor): {low}"
