"""Docs are tested: every command, every stage and every export/ingest format is in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from tidings.cli import app
from tidings.errors import E
from tidings.pipeline import registered_stages

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_readme_opens_with_the_two_commands() -> None:
    first_commands = re.findall(r"^\s+make (\w+)", README, re.M)[:2]
    assert first_commands == ["demo", "test"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"tidings {command}" in README, f"'tidings {command}' is not documented in README.md"


@pytest.mark.parametrize("stage", sorted(registered_stages()))
def test_every_stage_is_in_the_readme(stage: str) -> None:
    assert f"`{stage}`" in README, f"stage '{stage}' is not documented in README.md"


@pytest.mark.parametrize("code", list(E), ids=[c.name for c in E])
def test_every_error_says_how_to_fix_or_what_is_valid(code: E) -> None:
    message = code.value.lower()
    hints = ("check", "use", "run", "pass", "name", "fix", "re-save", "convert", "split", "wait", "upgrade", "valid",
             "install", "put", "leave", "list", "ingest", "limit", "see", "try", "give", "add", "set", "remove", "write",
             "build", "allowed", "log", "expected", "delete", "make", "reinstall", "retrain", "give")
    assert any(h in message for h in hints) or code.name in {"E063", "E064"}, f"{code.name} does not say how to fix it"
