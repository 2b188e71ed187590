"""`tidings eval ledger --gold tests/data/ledger/corpus.jsonl`: cross-article clustering scores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tidings.eval import register_eval
from tidings.ledger.evaluate import evaluate


@register_eval("ledger")
def score_ledger(gold: Path, mode: str = "annotated") -> dict[str, Any]:
    return evaluate(gold, mode)
