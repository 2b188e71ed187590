"""Execution engines for `tidings ingest`: `local` (processes on this machine) and `dask`
(a Dask distributed cluster; optional extra)."""

from __future__ import annotations

from tidings.errors import E, TidingsError

ENGINES = ("local", "dask")


def check_engine(name: str) -> str:
    if name not in ENGINES:
        raise TidingsError(E.E051, name=name, valid=", ".join(ENGINES))
    return name
