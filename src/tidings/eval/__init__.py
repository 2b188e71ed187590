"""Dev-set scorers, looked up by task name (`tidings eval TASK --gold FILE`).

Each module in this package registers one scorer with `@register_eval("task")`: a function
`(gold_path: Path, **options) -> dict[str, float | int | str]` that runs the same analysis users
get and returns its metrics (flat dict, metric name -> value).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tidings.errors import E, TidingsError

Scorer = Callable[..., dict[str, Any]]
_SCORERS: dict[str, Scorer] = {}
_MODULES_LOADED = False


def register_eval(name: str) -> Callable[[Scorer], Scorer]:
    def wrap(fn: Scorer) -> Scorer:
        _SCORERS[name] = fn
        return fn

    return wrap


def scorers() -> dict[str, Scorer]:
    global _MODULES_LOADED
    if not _MODULES_LOADED:  # importing a scorer module registers it; load them all once
        for info in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{info.name}")
        _MODULES_LOADED = True
    return dict(_SCORERS)


def run_eval(task: str, gold: Path, **options: Any) -> dict[str, Any]:
    available = scorers()
    if task not in available:
        raise TidingsError(E.E040, name=task, valid=", ".join(sorted(available)))
    if not gold.exists():
        raise TidingsError(E.E041, path=gold)
    return available[task](gold, **options)
