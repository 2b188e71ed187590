"""The local web app (`tidings serve`): HTTP API, map, timeline, reader; see `tidings.web.app`."""

from __future__ import annotations

from tidings.web.app import create_app

__all__ = ["create_app"]
