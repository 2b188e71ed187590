"""The tree stays lint- and type-clean: ruff over all Python paths, mypy over the package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RUFF_PATHS = ["src", "tests", "scripts", "bench", "training"]
# mypy over the package measured 7 s from a cold cache (1 s warm) on the shared 2-core box;
# the limit is generous because that box is often saturated by other runs.
MYPY_TIMEOUT_S = 600


def _run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    exe = BIN / tool
    if not exe.exists():
        pytest.fail(f"{tool} is not installed in the venv ({exe}): pip install -e '.[dev]'")
    return subprocess.run(
        [str(exe), *args], cwd=ROOT, capture_output=True, text=True, timeout=MYPY_TIMEOUT_S, check=False
    )


def _report(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"


@pytest.mark.timeout(MYPY_TIMEOUT_S)
def test_ruff_is_clean() -> None:
    paths = [p for p in RUFF_PATHS if (ROOT / p).exists()]
    result = _run("ruff", "check", "--no-cache", *paths)
    if result.returncode != 0:
        pytest.fail("ruff check found problems:\n" + _report(result))


@pytest.mark.timeout(MYPY_TIMEOUT_S)
def test_mypy_is_clean() -> None:
    result = _run("mypy", "src/tidings")
    if result.returncode != 0:
        pytest.fail("mypy found type errors:\n" + _report(result))
