"""CI floors for the ledger's clustering scores on its own gold corpus (tests/data/ledger).

The corpus ships with the tests (it was written for tidings), so unlike the shared dev sets it is
never missing. A floor may only rise; a changed corpus must be re-measured on purpose."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tidings.eval import run_eval

ROOT = Path(__file__).resolve().parent.parent
SPEC = json.loads((ROOT / "tests/data/ledger/floors.json").read_text())


@pytest.mark.eval
def test_ledger_scores_stay_above_floors() -> None:
    gold = ROOT / SPEC["gold"]
    assert hashlib.sha256(gold.read_bytes()).hexdigest() == SPEC["gold_sha256"], "corpus changed: re-measure and re-pin floors.json"
    scores = run_eval(SPEC["task"], gold, **SPEC["options"])
    low = {m: (scores.get(m), floor) for m, floor in SPEC["floors"].items() if not scores.get(m, -1) >= floor}
    assert not low, f"ledger below its floors (score, floor): {low}"
