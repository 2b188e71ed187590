"""Shared fixtures. The eval data in ../shared/eval is not shipped with the project: tests that
need it fail loudly in CI (CI=true) when it is missing and skip with a clear message elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TIDINGS_SHARED", ROOT.parent / "shared"))
EVAL_DIR = SHARED / "eval"
SAMPLE = ROOT / "examples" / "sample.txt"


def require_shared(path: Path) -> Path:
    if path.exists():
        return path
    message = f"eval data missing: {path} (the dev sets live in ../shared/eval beside the checkout)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)
    raise AssertionError  # unreachable


@pytest.fixture
def eval_dir() -> Path:
    return require_shared(EVAL_DIR)


@pytest.fixture
def sample_path() -> Path:
    return SAMPLE
