"""The `tidings` command line: parse, validate, call the library, print. Library errors become
one-line `error E0xx: ...` messages with exit code 2."""

from __future__ import annotations

import functools
import json
import os
import sys
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from tidings import api
from tidings.errors import E, TidingsError
from tidings.ingest import FORMATS, IngestFailure, ReadOptions
from tidings.store import DEFAULT_DB, Store

app = typer.Typer(
    help="tidings: turn raw news into a ledger of what happened, where and when, who said so, and how sure anyone is.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[Path, typer.Option("--db", envvar="TIDINGS_DB", help="The DuckDB store file.")]
FormatOption = Annotated[str | None, typer.Option("--format", "-f", help=f"Force the input format: {', '.join(FORMATS)}. Default: detect.")]
PublishedOption = Annotated[str | None, typer.Option("--published", help="Publication date (YYYY-MM-DD) for inputs that carry none.")]
WorkersOption = Annotated[int, typer.Option("--workers", "-w", min=1, help="Processes running the pipeline (one spaCy model each).")]
StagesOption = Annotated[str | None, typer.Option("--stages", help="Comma-separated stages to run (default: all, in order).")]
TextFieldOption = Annotated[str, typer.Option("--text-field", help="JSONL/CSV field holding the article text.")]
TitleFieldOption = Annotated[str, typer.Option("--title-field", help="JSONL/CSV field holding the title.")]
DateFieldOption = Annotated[str, typer.Option("--date-field", help="JSONL/CSV field holding the publication date.")]
UrlFieldOption = Annotated[str, typer.Option("--url-field", help="JSONL/CSV field holding the URL.")]


# Warnings of one code shown per command before the rest are only counted: a corpus of undated
# articles warns once per article, and thousands of identical lines would bury everything else.
SHOWN_PER_CODE = 3


class _WarningLog:
    """Coded W0xx warnings as one plain line each, the first SHOWN_PER_CODE of each code."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()

    def show(self, message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
        text = str(message)
        code = text.split(":", 1)[0]
        self.seen[code] += 1
        if self.seen[code] <= SHOWN_PER_CODE:
            console.print(f"warning {text}", style="yellow", highlight=False, markup=False)

    def summarise(self) -> None:
        for code, count in self.seen.items():
            if count > SHOWN_PER_CODE:
                console.print(f"warning {code}: {count - SHOWN_PER_CODE} more like the above ({count} in all)", style="yellow", highlight=False, markup=False)


def handle_errors(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        log = _WarningLog()
        warnings.showwarning = log.show
        try:
            return fn(*args, **kwargs)
        except TidingsError as err:
            console.print(f"[red]error[/red] {err}", markup=True, highlight=False)
            raise typer.Exit(2) from err
        finally:
            log.summarise()

    return wrapper  # type: ignore[return-value]


def _stages(value: str | None) -> list[str] | None:
    return [s.strip() for s in value.split(",") if s.strip()] if value else None


def _read_options(fmt: str | None, published: str | None, text_field: str, title_field: str, date_field: str, url_field: str) -> ReadOptions:
    return ReadOptions(
        format=fmt,
        published=api.check_date(published, "--published"),
        text_field=text_field,
        title_field=title_field,
        date_field=date_field,
        url_field=url_field,
    )


def _input_size(paths: list[str]) -> int:
    total = 0
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            total += path.stat().st_size
        elif path.is_dir():
            total += sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return total


@app.command()
@handle_errors
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (walked recursively) or '-' for stdin; .gz allowed.")],
    fmt: FormatOption = None,
    published: PublishedOption = None,
    db: DbOption = Path(DEFAULT_DB),
    workers: WorkersOption = 1,
    stages: StagesOption = None,
    text_field: TextFieldOption = "text",
    title_field: TitleFieldOption = "title",
    date_field: DateFieldOption = "published",
    url_field: UrlFieldOption = "url",
    engine: Annotated[str, typer.Option("--engine", help="Where the stages run: local, or dask (needs tidings[dask]).")] = "local",
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a LocalCluster of --workers processes).")] = None,
    dataset: Annotated[Path | None, typer.Option("--dataset", help="With --engine dask: the Parquet dataset folder (default: DB path with .parquet).")] = None,
    no_ledger: Annotated[bool, typer.Option("--no-ledger", help="Do not merge the new articles into the ledger now (run 'tidings ledger' later).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Read, analyse and store news articles, then merge them into the cross-article ledger.

    Example: tidings ingest examples/sample.txt --published 2024-11-05 --db news.duckdb

    On a cluster: tidings ingest corpus/ --engine dask --scheduler tcp://HOST:8786
    """
    options = _read_options(fmt, published, text_field, title_field, date_field, url_field)
    store = Store(db)
    total = _input_size(paths)
    columns = [
        TextColumn("[bold]ingest"),
        BarColumn(),
        TextColumn("{task.fields[articles]} articles · {task.fields[rate]:.1f} art/s · {task.fields[wps]:.0f} words/s · {task.fields[failed]} failed"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("ingest", total=total or None, articles=0, rate=0.0, wps=0.0, failed=0)

        def show(report: api.IngestReport) -> None:
            seconds = max(report.seconds, 1e-6)
            done = report.new + report.duplicate
            bar.update(task, completed=min(report.raw_chars, total), articles=done, rate=done / seconds, wps=report.words / seconds, failed=report.failed)

        report = api.ingest(paths, store, options, workers=workers, stages=_stages(stages), progress=show, engine=engine, scheduler=scheduler, dataset=dataset, update_ledger=not no_ledger)
    _print_ingest_summary(report, db, as_json)
    if not report.ok:
        raise typer.Exit(1)


def _print_ingest_summary(report: api.IngestReport, db: Path, as_json: bool) -> None:
    if as_json:
        out.print_json(json.dumps(report.to_dict()))
        return
    rate = (report.new + report.duplicate) / report.seconds if report.seconds else 0.0
    out.print(f"{report.new} new, {report.duplicate} duplicate, {report.failed} failed → {db}  ({report.seconds:.1f}s, {rate:.1f} articles/s)", highlight=False)
    for origin, message in report.errors:
        console.print(f"  failed: {origin}: {message}", highlight=False, markup=False)


@app.command()
@handle_errors
def analyze(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories or '-' (JSONL lines {id, text, published?, title?} with --format jsonl).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Write JSON Lines here ('-' for stdout).")] = Path("-"),
    fmt: FormatOption = None,
    published: PublishedOption = None,
    workers: WorkersOption = 1,
    stages: StagesOption = None,
    text_field: TextFieldOption = "text",
    title_field: TitleFieldOption = "title",
    date_field: DateFieldOption = "published",
    url_field: UrlFieldOption = "url",
) -> None:
    """Analyse without a database and write one JSON object per article (the analysis contract).

    Example: tidings analyze articles.jsonl --format jsonl -o out.jsonl
    """
    options = _read_options(fmt, published, text_field, title_field, date_field, url_field)
    failures: list[IngestFailure] = []
    stream = sys.stdout if str(output) == "-" else output.open("w", encoding="utf-8")
    count = 0
    try:
        for record in api.analyze(inputs, options, workers=workers, stages=_stages(stages), failures=failures):
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    finally:
        if stream is not sys.stdout:
            stream.close()
    console.print(f"{count} articles analysed, {len(failures)} failed", highlight=False)
    for failure in failures:
        console.print(f"  failed: {failure.origin}: {failure.error}", highlight=False, markup=False)
    if failures:
        raise typer.Exit(1)


@app.command()
@handle_errors
def load(
    dataset: Annotated[Path, typer.Argument(help="A Parquet dataset folder written by --engine dask.")],
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Load a Parquet dataset written by the Dask engine into the DuckDB store (skips what is stored).

    Example: tidings load news.parquet --db news.duckdb
    """
    report = api.load_dataset(dataset, Store(db))
    _print_ingest_summary(report, db, as_json=False)


@app.command()
@handle_errors
def articles(
    db: DbOption = Path(DEFAULT_DB),
    limit: Annotated[int, typer.Option(min=1, help="How many to list.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many.")] = 0,
    search: Annotated[str | None, typer.Option(help="Only articles whose text or title contains this.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """List stored articles, newest first.

    Example: tidings articles --db news.duckdb --search Kursk
    """
    rows = Store(db).list_articles(limit, offset, search)
    if as_json:
        for row in rows:
            out.print(json.dumps(row, ensure_ascii=False, default=str), highlight=False, soft_wrap=True)
        return
    table = Table("id", "published", "title", "words", "sources", "events")
    for row in rows:
        table.add_row(row["id"], row["published"] or "?", row["title"] or "(untitled)", str(row["words"]), str(row["sources"]), str(row["events"]))
    out.print(table)


@app.command()
@handle_errors
def show(
    article_id: Annotated[str, typer.Argument(help="Article id (or a unique prefix, or the input's own id).")],
    db: DbOption = Path(DEFAULT_DB),
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole stored article as JSON.")] = False,
) -> None:
    """Show one stored article: metadata, text, captions and what was found in it.

    Example: tidings show 3f2a9c --db news.duckdb
    """
    store = Store(db)
    article = store.get_article(article_id)
    if as_json:
        out.print(json.dumps(article.to_dict(), ensure_ascii=False, indent=2), highlight=False, soft_wrap=True)
        return
    out.print(f"[bold]{article.title or '(untitled)'}[/bold]", highlight=False)
    out.print(f"id {article.id} · published {article.published or 'unknown'} ({article.published_how}) · origin {article.origin}", highlight=False, markup=False)
    for src in store.article_sources(article.id):
        out.print(f"  source: {src['origin']}", highlight=False, markup=False)
    out.print()
    out.print(article.text[: article.body_end], highlight=False, markup=False)
    for caption in article.captions:
        out.print(f"\n[caption] {caption.text}" + (f" ({caption.credit})" if caption.credit else ""), highlight=False, markup=False)
    counts = ", ".join(f"{len(getattr(article, k))} {k}" for k in ("entities", "quotes", "claims", "times", "places", "quantities", "events"))
    out.print(f"\n{counts}", highlight=False)
    for heading, lines in _findings(article):
        if lines:
            out.print(f"\n[bold]{heading}[/bold]")
            for line in lines:
                out.print(f"  {line}", highlight=False, markup=False)


def _findings(article: Any) -> list[tuple[str, list[str]]]:
    def short(text: str, n: int = 90) -> str:
        return text if len(text) <= n else text[: n - 1] + "…"

    def place(index: int | None) -> str:
        return article.places[index].name if index is not None and 0 <= index < len(article.places) else "?"

    return [
        ("Events", [f"{e.sub_event_type} · {place(e.place)} · {e.date.value if e.date else '?'} · {e.status}"
                    + (f" · {e.fatalities} killed" if e.fatalities is not None else "")
                    + (f" · {e.injured} injured" if e.injured is not None else "")
                    + (f" · per {e.attributed_to}" if e.attributed_to else "")
                    + f" — “{short(e.trigger.text, 40)}”" for e in article.events]),
        ("Who said what", [f"{q.speaker_name or (q.speaker.text if q.speaker else '(unnamed)')}"
                           + "".join(f" via {v}" for v in q.via) + f" [{q.kind}]: {short(q.content.text)}" for q in article.quotes]),
        ("Claims", [f"{c.status}: {short(c.content.text)}" + (f" — {c.claimant}" if c.claimant else "")
                    + (f" (cue: {c.status_cue.text})" if c.status_cue else "") for c in article.claims]),
        ("Places", _counted(f"{p.text} → {p.name} ({p.country_code or '?'}) {p.lat},{p.lon}" for p in article.places)),
        ("Times", [f"{t.text} → {t.value if t.value is not None else 'unresolved (no publication date)'} ({t.type})" for t in article.times]),
        ("Figures", [f"{q.text} → {q.qualifier} {q.value:g} {q.counted or ''}".rstrip() if q.value is not None else f"{q.text} → {q.qualifier}" for q in article.quantities]),
    ]


@app.command("eval")
@handle_errors
def eval_command(
    task: Annotated[str, typer.Argument(help="The task: html, quotes, times, places, events.")],
    gold: Annotated[Path, typer.Option("--gold", help="The gold dev file (see ../shared/eval/README.md).")],
    options: Annotated[list[str] | None, typer.Option("--option", "-O", help="A scorer option KEY=VALUE (e.g. cv=5 for events, mode=pipeline for ledger); repeatable.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
) -> None:
    """Score tidings on a gold dev set.

    Example: tidings eval times --gold ../shared/eval/times/te3-dev.jsonl
    """
    from tidings.eval import run_eval

    scores = run_eval(task, gold, **_scorer_options(options or []))
    if as_json:
        out.print_json(json.dumps(scores, default=str))
        return
    table = Table("metric", "value", title=f"{task} on {gold}")
    for name, value in scores.items():
        table.add_row(name, f"{value:.4f}" if isinstance(value, float) else str(value))
    out.print(table)


# ==== web engineer: serve, report, export (tidings.web, tidings.report, tidings.export) ====
SinceOption = Annotated[str | None, typer.Option("--since", help="Only events on or after this date (YYYY-MM-DD).")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Only events on or before this date (YYYY-MM-DD).")]
PlaceOption = Annotated[str | None, typer.Option("--place", help="Only events at this place (name contains, or ISO country code).")]


def _event_filters(since: str | None, until: str | None, place: str | None, event_type: str | None = None) -> Any:
    from tidings.web.queries import EventFilters, check_filters, parse_date

    return check_filters(EventFilters(since=parse_date(since, "--since"), until=parse_date(until, "--until"), place=place, event_type=event_type))


@app.command()
@handle_errors
def serve(
    db: DbOption = Path(DEFAULT_DB),
    host: Annotated[str, typer.Option(help="Address to bind. Anything but 127.0.0.1/localhost needs --allow-remote.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    allow_remote: Annotated[bool, typer.Option("--allow-remote", help="Allow binding to a non-loopback address (the app has no login).")] = False,
) -> None:
    """Open the web app: map, timeline, who said what, contested figures, article reader, ingest.

    Example: tidings serve --db news.duckdb  (then open http://127.0.0.1:8000)
    """
    import uvicorn

    from tidings.web.app import check_host, create_app

    check_host(host, allow_remote)
    console.print(f"tidings: serving {db} on http://{host}:{port}  (Ctrl-C stops)", highlight=False, markup=False)
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning")


@app.command()
@handle_errors
def report(
    db: DbOption = Path(DEFAULT_DB),
    since: SinceOption = None,
    until: UntilOption = None,
    place: PlaceOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md or html.")] = "md",
    output: Annotated[Path, typer.Option("-o", "--output", help="Write here ('-' for stdout).")] = Path("-"),
    base_url: Annotated[str, typer.Option("--base-url", help="Where `tidings serve` runs: links point to its article spans.")] = "http://127.0.0.1:8000",
) -> None:
    """Write a situation report: key events by place and date, contested figures, who said what.

    Example: tidings report --db news.duckdb --since 2024-11-01 --place Ukraine --format html -o report.html
    """
    from tidings.report import report_text

    text = report_text(Store(db), _event_filters(since, until, place), fmt, base_url)
    if str(output) == "-":
        sys.stdout.write(text + "\n")
        return
    from tidings.errors import E

    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as err:
        raise TidingsError(E.E203, path=output, reason=err.strerror or str(err)) from err
    console.print(f"report written to {output}", highlight=False, markup=False)


@app.command("export")
@handle_errors
def export_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help="acled-csv, geojson, jsonl or parquet.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write.")],
    db: DbOption = Path(DEFAULT_DB),
    since: SinceOption = None,
    until: UntilOption = None,
    place: PlaceOption = None,
    event_type: Annotated[str | None, typer.Option("--type", help="Only this event type or sub-event type.")] = None,
    merged: Annotated[bool | None, typer.Option("--merged/--per-mention", help="One row per real-world event (the ledger's) or per article mention. Default: merged for acled-csv, per mention otherwise.")] = None,
) -> None:
    """Export events for other tools: ACLED-style CSV, GeoJSON (QGIS), JSON Lines, Parquet.

    Example: tidings export --format acled-csv --db news.duckdb --since 2024-11-01 -o events.csv
    """
    from tidings.export import MERGED_BY_DEFAULT, export_events

    count = export_events(Store(db), fmt, _event_filters(since, until, place, event_type), output, merged)
    what = "merged events" if (merged if merged is not None else fmt in MERGED_BY_DEFAULT) else "event mentions"
    console.print(f"{count} {what} written to {output}", highlight=False, markup=False)


# ==== end of the web engineer's section ====


# ==== ledger engineer's section: tidings ledger, timeline, contested ====


@app.command("ledger")
@handle_errors
def ledger_command(
    db: DbOption = Path(DEFAULT_DB),
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Drop the ledger and build it again from every article.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Merge stored articles into the cross-article ledger (only articles not yet in it).

    Example: tidings ledger --db news.duckdb
    """
    from tidings import ledger

    store = Store(db)
    with store.held_open():
        report = (ledger.rebuild if rebuild else ledger.update)(store)
    if as_json:
        out.print_json(json.dumps(report.to_dict()))
        return
    out.print(f"{report.articles} articles added: {report.events} new events, {report.entities} new entities, {report.figures} new figures, {report.claims} new claims ({report.seconds:.1f}s)", highlight=False)


@app.command("timeline")
@handle_errors
def timeline_command(
    name: Annotated[str, typer.Argument(help="A place or an entity (person, organisation).")],
    db: DbOption = Path(DEFAULT_DB),
    entity: Annotated[bool, typer.Option("--entity", help="Read NAME as an entity, not a place.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """What happened and what was said at a place or by an entity, in date order.

    Example: tidings timeline Kursk --db news.duckdb
    """
    from tidings import ledger

    store = Store(db)
    items = [] if entity else ledger.timeline(store, place=name)
    items = items or ledger.timeline(store, entity=name)
    if as_json:
        for item in items:
            out.print(json.dumps({k: v for k, v in item.items() if k != "detail"}, ensure_ascii=False), highlight=False, soft_wrap=True)
        return
    table = Table("date", "kind", "status", "sources", "what", title=f"timeline: {name}")
    for item in items:
        when = item["date"] or "?"
        if item.get("date_hi") and item["date_hi"] != item["date"]:
            when += f"..{item['date_hi']}"
        table.add_row(when, item["kind"], item["status"], str(item["sources"]), item["what"])
    out.print(table)


@app.command("contested")
@handle_errors
def contested_command(
    db: DbOption = Path(DEFAULT_DB),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """Figures and claims that sources disagree on, with every value, hedge and source.

    Example: tidings contested --db news.duckdb
    """
    from tidings import ledger
    from tidings.ledger.queries import timeline_item

    docs = ledger.contested(Store(db))
    if as_json:
        for doc in docs:
            out.print(json.dumps(doc, ensure_ascii=False), highlight=False, soft_wrap=True)
        return
    for doc in docs:
        item = timeline_item(doc)
        out.print(f"[{doc['kind']}] {item['what']}", highlight=False, markup=False)
        if doc["kind"] == "figure" and doc.get("consensus"):
            c = doc["consensus"]
            out.print(f"    range {doc['range'][0]:,.0f}-{doc['range'][1]:,.0f}; consensus {c['low']:,.0f}-{'' if c['high'] is None else format(c['high'], ',.0f')} ({c['agreeing']} sources)", highlight=False, markup=False)
        if doc["kind"] == "claim":
            out.print(f"    contested by: {', '.join(doc['contested_by'])}", highlight=False, markup=False)


# ==== end of the ledger engineer's section ====


def _counted(lines: Any) -> list[str]:
    counts: dict[str, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    return [line + (f"  ×{n}" if n > 1 else "") for line, n in counts.items()]


def _scorer_options(pairs: list[str]) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise TidingsError(E.E063, field="--option", reason=f"'{pair}' is not KEY=VALUE")
        try:
            parsed[key] = json.loads(raw)
        except json.JSONDecodeError:
            parsed[key] = raw
    return parsed


def main() -> None:  # pragma: no cover - console entry point for python -m
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
