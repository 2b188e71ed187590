"""The FastAPI app behind `tidings serve`: the HTTP API under /api and the single-page app.

Every failure, from any route, answers with one JSON shape,
`{"error": {"code": "E063", "message": "...", "field": "limit" | null}}`, made by the handlers in
`_install_error_handlers`. Article text is hostile input: the API returns it as JSON data only and
the page inserts it with `textContent`; the Content-Security-Policy forbids inline scripts.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from tidings.errors import E, TidingsError
from tidings.store import Store
from tidings.web import merged as ledger_view
from tidings.web import queries
from tidings.web.contested import contested, contested_items
from tidings.web.highlights import article_view
from tidings.web.jobs import JobRunner

STATIC = Path(__file__).parent / "static"

# Request bodies (uploads) above this are refused with E061 before they are read in full; one
# upload may carry at most MAX_FILES files. 50 MB is a few thousand news articles of HTML.
MAX_BODY_BYTES = 50 * 1024 * 1024
MAX_FILES = 100
# How long the start-up ledger update waits for a write lock another process holds (an ingest,
# which updates the ledger itself): the app should open in seconds, not the store's 30 s.
STARTUP_LOCK_WAIT_S = 3.0
# How long `POST /api/ingest?wait=true` waits for its job before answering with its state.
INGEST_WAIT_S = 300.0

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

STATUS_BY_CODE = {
    "E060": 422, "E030": 503, "E032": 404, "E034": 503, "E061": 413, "E062": 413, "E063": 422, "E064": 404, "E200": 405, "E201": 500,
    "E220": 404, "E221": 422, "E222": 422,
}


def error_response(code: str, message: str, status: int, field: str | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "field": field}}, status_code=status, headers=headers)


# Codes whose catalogue message names no field, but whose cause is one request parameter.
FIELD_BY_CODE = {"E060": "format", "E061": "files", "E062": "files", "E032": "article_id"}


def _tidings_error_response(err: TidingsError) -> JSONResponse:
    field = err.details.get("field") if isinstance(err.details.get("field"), str) else FIELD_BY_CODE.get(err.code)
    return error_response(err.code, err.message, STATUS_BY_CODE.get(err.code, 400), field)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(TidingsError)
    async def on_tidings_error(request: Request, err: TidingsError) -> JSONResponse:
        return _tidings_error_response(err)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, err: RequestValidationError) -> JSONResponse:
        first = err.errors()[0] if err.errors() else {"loc": ("request",), "msg": "invalid request"}
        field = str(first["loc"][-1]) if first.get("loc") else "request"
        bad = TidingsError(E.E063, field=field, reason=str(first.get("msg", "invalid")).rstrip("."))
        return error_response(bad.code, bad.message, 422, field)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, err: StarletteHTTPException) -> JSONResponse:
        if err.status_code == 405:
            allowed = (err.headers or {}).get("Allow", "GET")
            bad = TidingsError(E.E200, method=request.method, path=request.url.path, allowed=allowed)
            return error_response(bad.code, bad.message, 405, None, {"Allow": allowed})
        if err.status_code == 404:
            bad = TidingsError(E.E064, what=f"{request.url.path}")
            return error_response(bad.code, bad.message, 404)
        bad = TidingsError(E.E063, field="request", reason=str(err.detail))
        return error_response(bad.code, bad.message, err.status_code)

    @app.exception_handler(Exception)
    async def on_crash(request: Request, err: Exception) -> JSONResponse:
        bad = TidingsError(E.E201, path=request.url.path, reason=type(err).__name__)
        return error_response(bad.code, bad.message, 500)


class BodyLimit:
    """ASGI middleware: refuse bodies over `limit` bytes, declared or streamed, with E061."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict[str, Any], receive: Callable[[], Awaitable[dict[str, Any]]], send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            err = TidingsError(E.E061, size=int(declared), limit=self.limit)
            await _tidings_error_response(err)(scope, receive, send)
            return
        seen = 0

        async def counting_receive() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise TidingsError(E.E061, size=seen, limit=self.limit)
            return message

        await self.app(scope, counting_receive, send)


class SecurityHeaders:
    """ASGI middleware: the security headers on every response, and no caching of API answers."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
        if scope["path"].startswith("/api/"):
            extra.append((b"cache-control", b"no-store"))

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def event_filters(
    since: str | None = None,
    until: str | None = None,
    place: str | None = None,
    type: str | None = None,
    actor: str | None = None,
    status: str | None = None,
    q: str | None = None,
    article: str | None = None,
) -> queries.EventFilters:
    return queries.check_filters(queries.EventFilters(
        since=queries.parse_date(since, "since"),
        until=queries.parse_date(until, "until"),
        place=place or None,
        event_type=type or None,
        actor=actor or None,
        status=status or None,
        search=q or None,
        article_id=article or None,
    ))


Filters = Annotated[queries.EventFilters, Depends(event_filters)]
Limit = Annotated[int, Query(description=f"Page size, 1 to {queries.MAX_PAGE}.")]
Offset = Annotated[int, Query(description="How many items to skip.")]


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def check_host(host: str, allow_remote: bool) -> None:
    """The app has no login: bind to loopback unless the user says otherwise."""
    if host not in LOOPBACK_HOSTS and not allow_remote:
        raise TidingsError(E.E205, host=host)


def _update_ledger_unless_busy(store: Store) -> None:
    """Merge articles not yet in the ledger (ingest jobs keep it up to date; this catches articles
    stored otherwise). While another process is ingesting (E030) that ingest updates the ledger
    itself when it is done, so the app starts anyway, after waiting STARTUP_LOCK_WAIT_S at most."""
    try:
        ledger_view.bring_up_to_date(Store(store.path, lock_wait_s=STARTUP_LOCK_WAIT_S))
    except TidingsError as err:
        if err.code != E.E030.name:
            raise


def create_app(db: str | Path) -> FastAPI:
    store = Store(db)
    if not store.path.exists():
        store.init()
    _update_ledger_unless_busy(store)
    runner = JobRunner(store.path)
    app = FastAPI(
        title="tidings",
        version="0.1.0",
        description="What happened, where and when, who said so, and how sure anyone is.",
        docs_url=None,  # the Swagger page loads scripts from a CDN; /openapi.json is enough offline
        redoc_url=None,
    )
    _install_error_handlers(app)

    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _add_pages(app)
    _add_read_routes(app, store)
    _add_ingest_routes(app, runner)
    _add_export_route(app, store)
    return app


def _add_export_route(app: FastAPI, store: Store) -> None:
    @app.get("/api/export", tags=["events"], response_class=FileResponse)
    def export(filters: Filters, format: str = "acled-csv", merged: bool | None = None) -> FileResponse:
        """Download the filtered events as acled-csv, geojson, jsonl or parquet (no server paths involved).
        `merged=true`: one row per real-world event from the ledger; default: merged for acled-csv only."""
        from tidings.export import MEDIA_TYPES, SUFFIXES, check_format, export_events, now_stamp

        fmt = check_format(format)
        folder = Path(tempfile.mkdtemp(prefix="tidings-export-"))
        path = folder / f"events{SUFFIXES[fmt]}"
        export_events(store, fmt, filters, path, merged=merged)
        return FileResponse(
            path,
            media_type=MEDIA_TYPES[fmt],
            filename=f"tidings-events-{now_stamp()}{SUFFIXES[fmt]}",
            background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
        )


def _add_pages(app: FastAPI) -> None:
    index = STATIC / "index.html"

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def home() -> FileResponse:
        return FileResponse(index, media_type="text/html")

    @app.api_route("/articles/{article_id}", methods=["GET", "HEAD"], include_in_schema=False)
    def article_page(article_id: str) -> FileResponse:
        return FileResponse(index, media_type="text/html")


def _add_read_routes(app: FastAPI, store: Store) -> None:
    @app.get("/api/articles", tags=["articles"])
    def articles(q: str | None = None, limit: Limit = queries.DEFAULT_PAGE, offset: Offset = 0) -> dict[str, Any]:
        """Stored articles, newest first; `q` searches titles and texts."""
        return queries.list_articles(store, q or None, queries.check_page(limit, offset)).to_dict()

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def article(article_id: str) -> dict[str, Any]:
        """One article: text, raw original, metadata, sources and highlight runs."""
        found = store.get_article(article_id)
        return article_view(found, store.article_sources(found.id))

    @app.get("/api/events", tags=["events"])
    def events(
        filters: Filters, limit: Limit = queries.DEFAULT_PAGE, offset: Offset = 0, format: str = "json", fields: str = "all", merged: bool = False,
    ) -> dict[str, Any]:
        """Events matching the filters; `format=geojson` gives a FeatureCollection (up to MAP_LIMIT per page),
        `fields=map` only what map markers need. `merged=true`: one record per real-world event (the
        ledger's, ids `L<n>`) with its sources, field-level disagreement and every mention."""
        if format not in ("json", "geojson"):
            raise TidingsError(E.E063, field="format", reason=f"'{format}' is not json or geojson")
        if fields not in ("all", "map"):
            raise TidingsError(E.E063, field="fields", reason=f"'{fields}' is not all or map")
        if format == "geojson":
            page = queries.check_page(limit, offset, queries.MAP_LIMIT)
            if merged and fields == "map":
                return ledger_view.merged_markers(store, filters, page)
            if merged:
                return ledger_view.merged_geojson(ledger_view.list_merged(store, filters, page, located_only=True))
            return queries.events_geojson(queries.list_events(store, filters, page, located_only=True), slim=fields == "map")
        if merged:
            return ledger_view.list_merged(store, filters, queries.check_page(limit, offset)).to_dict()
        return queries.list_events(store, filters, queries.check_page(limit, offset)).to_dict()

    @app.get("/api/events/{event_id}", tags=["events"])
    def event(event_id: str) -> dict[str, Any]:
        """One event with its figures, claim, quote, sources and a link to its span (`ARTICLE-N`), or
        one merged event (`L<n>`) with every mention; a per-article event names its merged event."""
        if event_id.startswith(ledger_view.MERGED_PREFIX):
            return ledger_view.merged_detail(store, event_id)
        found = queries.event_detail(store, event_id)
        record = ledger_view.record_of_mention(store, found["article_id"], found["idx"])
        found["merged_id"] = ledger_view.merged_id(record) if record is not None else None
        return found

    @app.get("/api/timeline", tags=["timeline"])
    def timeline(place: str | None = None, entity: str | None = None, limit: Limit = queries.MAX_PAGE) -> dict[str, Any]:
        """What happened and what was said at a place or by/about an entity (`place` or `entity`), in
        date order, from the ledger: events, figures and claims with status, sources and mentions."""
        queries.check_page(limit, 0)
        return ledger_view.timeline_view(store, place, entity, limit)

    @app.get("/api/histogram", tags=["events"])
    def histogram(filters: Filters) -> dict[str, Any]:
        """Events per day and type (the map's timeline bars)."""
        return {"days": queries.timeline(store, filters)}

    @app.get("/api/facets", tags=["events"])
    def facets() -> dict[str, Any]:
        """Values for the filter drop-downs."""
        return queries.facet_values(store)

    @app.get("/api/contested", tags=["claims"])
    def contested_route(filters: Filters, limit: Limit = 200) -> dict[str, Any]:
        """What sources disagree on, from the ledger: events (tolls, denials), figures and claims."""
        queries.check_page(limit, 0)
        return contested(store, filters, limit)

    @app.get("/api/quotes", tags=["quotes"])
    def quotes(speaker: str | None = None, q: str | None = None, article: str | None = None, limit: Limit = queries.DEFAULT_PAGE, offset: Offset = 0) -> dict[str, Any]:
        """Quotes with speaker, status and attribution chain, grouped by speaker."""
        return queries.list_quotes(store, speaker or None, q or None, article or None, queries.check_page(limit, offset)).to_dict()

    @app.get("/api/speakers", tags=["quotes"])
    def speakers(limit: Limit = queries.DEFAULT_PAGE, offset: Offset = 0) -> dict[str, Any]:
        """Speakers by number of quotes."""
        return queries.list_speakers(store, queries.check_page(limit, offset)).to_dict()

    @app.get("/api/claims", tags=["claims"])
    def claims(
        status: str | None = None, claimant: str | None = None, q: str | None = None, limit: Limit = queries.DEFAULT_PAGE, offset: Offset = 0,
        contested: bool = False,
    ) -> dict[str, Any]:
        """Claims with claimant, status and chain. `contested=true`: the ledger's contested figures and
        claims (and events) across articles, each with every value, hedge and source."""
        if contested:
            if status or claimant or q or offset:
                raise TidingsError(E.E063, field="contested", reason="contested=true takes only limit")
            items = contested_items(store, queries.EventFilters(), queries.check_page(limit, 0).limit)
            return {"items": items, "total": len(items), "limit": limit, "offset": 0}
        return queries.list_claims(store, status or None, claimant or None, q or None, queries.check_page(limit, offset)).to_dict()

    @app.get("/api/entities", tags=["entities"])
    def entities(label: str | None = None, q: str | None = None, limit: Limit = queries.DEFAULT_PAGE) -> dict[str, Any]:
        """The ledger's entities (people, organisations, places) across articles: aliases, roles and
        mention counts, most-mentioned first; `q` finds an entity by any of its names."""
        return ledger_view.list_entities(store, q or None, label or None, queries.check_page(limit, 0).limit)

    @app.get("/api/entities/{entity_id}", tags=["entities"])
    def entity(entity_id: int) -> dict[str, Any]:
        """One ledger entity with every mention linked to its span."""
        return ledger_view.entity_detail(store, entity_id)


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_upload_name(index: int, name: str | None) -> str:
    """A file name that cannot leave the upload folder: no separators, no leading dot."""
    base = _SAFE_NAME.sub("_", Path(name or "upload.txt").name).lstrip(".")[-100:] or "upload.txt"
    return f"{index:03d}_{base}"


def _add_ingest_routes(app: FastAPI, runner: JobRunner) -> None:
    @app.post("/api/ingest", tags=["ingest"], status_code=202)
    async def ingest(request: Request, wait: bool = False) -> JSONResponse:
        """Ingest uploaded files (`files`) and/or pasted text (`text`); optional `published` date.

        Multipart form. Answers 202 with the job; poll /api/ingest/{id}. `wait=true` answers when done.
        """
        form = await request.form(max_files=MAX_FILES + 1, max_fields=20, max_part_size=MAX_BODY_BYTES)
        uploads = [v for v in form.getlist("files") if isinstance(v, UploadFile)]
        if len(uploads) > MAX_FILES:
            raise TidingsError(E.E062, count=len(uploads), limit=MAX_FILES)
        text_field, date_field = form.get("text"), form.get("published")
        text = text_field if isinstance(text_field, str) and text_field.strip() else None
        day = queries.parse_date(date_field, "published") if isinstance(date_field, str) else None
        published = day.isoformat() if day else None
        if not uploads and text is None:
            raise TidingsError(E.E063, field="files", reason="send at least one file or some pasted text")
        folder = Path(tempfile.mkdtemp(prefix="tidings-upload-"))
        for index, upload in enumerate(uploads):
            (folder / safe_upload_name(index, upload.filename)).write_bytes(await upload.read())
        if text is not None:
            (folder / "pasted.txt").write_text(text, encoding="utf-8")
        job = runner.start(folder, len(uploads) + (text is not None), published)
        if wait:
            await anyio.to_thread.run_sync(job.done_event.wait, INGEST_WAIT_S)
        status = 200 if job.state in ("done", "failed") else 202
        return JSONResponse(job.to_dict(), status_code=status)

    @app.get("/api/ingest/{job_id}", tags=["ingest"])
    def ingest_job(job_id: str) -> dict[str, Any]:
        """Progress of an ingest job: state, articles new, duplicate and failed."""
        return runner.get(job_id).to_dict()
