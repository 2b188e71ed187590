"""The local web app (`tidings serve`): HTTP API, map, timeline, reader; see `tidings.web.app`.

`tidings.web.queries` (read helpers shared with the report and the exports) imports without
FastAPI; `create_app` is loaded on first use.
"""

from __future__ import annotations

from typing import Any


def create_app(db: Any) -> Any:
    from tidings.web.app import create_app as make

    return make(db)


__all__ = ["create_app"]
