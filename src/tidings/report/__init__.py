"""The situation report (`tidings report`): key events by place and date (the ledger's merged
events: one per real-world event, with its independent sources, status and every toll given),
contested figures and claims (the ledger's), and who said what, each linked back to its span in
the web app (`BASE/articles/ID#span-START-END`). Markdown or HTML; article text is escaped in both."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tidings.errors import E, TidingsError
from tidings.export.acled import country_of
from tidings.store import Store
from tidings.web.contested import contested
from tidings.web.merged import bring_up_to_date, merged_docs, merged_summary
from tidings.web.queries import EventFilters, Page, event_where, list_quotes

REPORT_FORMATS = ("md", "html")
# Caps that keep a report readable: past these the report says how many more there are and the
# web app has the full lists.
EVENTS_PER_PLACE = 25
QUOTES_PER_SPEAKER = 5
SPEAKERS = 30
QUOTE_SCAN = 500


@dataclass
class Line:
    """One item of the report: plain text parts, each either text or (text, link)."""

    parts: list[str | tuple[str, str]] = field(default_factory=list)


@dataclass
class Section:
    title: str
    groups: list[tuple[str, list[Line], int]] = field(default_factory=list)  # (heading, lines, left out)
    empty: str = ""


@dataclass
class Report:
    title: str
    subtitle: str
    sections: list[Section]


def build_report(store: Store, filters: EventFilters, base_url: str = "") -> Report:
    bring_up_to_date(store)
    docs, _ = merged_docs(store, filters)
    events = [merged_summary(d) for d in docs]
    sections = [
        _events_section(events, base_url),
        _contested_section(store, filters, base_url),
        _quotes_section(store, filters, base_url),
    ]
    period = f"{filters.since or 'the start'} to {filters.until or 'now'}"
    scope = f" · place: {filters.place}" if filters.place else ""
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    reports = sum(e["n_mentions"] for e in events)
    articles = len({m["article_id"] for e in events for m in e["mentions"]})
    counted = f"{len(events)} events (merged from {reports} reports in {articles} articles)"
    return Report("Situation report", f"{period}{scope} · {counted} · generated {generated}", sections)


def _link(base_url: str, article_id: str, start: int, end: int) -> str:
    return f"{base_url.rstrip('/')}/articles/{article_id}#span-{start}-{end}"


def _absolute(base_url: str, link: str) -> str:
    return base_url.rstrip("/") + link


PLACE_UNKNOWN = "place unknown"
# Ledger place kinds that are a whole country: shown under the country's name only.
COUNTRY_KINDS = ("country",)


def _place_heading(event: dict[str, Any], kind: str | None) -> str:
    """'Town, Country'; just the country when the place is the country itself."""
    place = event["place"]
    country = country_of(place["country_code"])
    name = place["name"]
    if country and (not name or kind in COUNTRY_KINDS):
        return country[1]
    if name:
        return f"{name}, {country[1]}" if country else name
    return PLACE_UNKNOWN


def _events_section(events: list[dict[str, Any]], base_url: str) -> Section:
    by_place: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        by_place[_place_heading(event, event["place"].get("kind"))].append(event)
    section = Section("Key events by place and date", empty="No events match.")
    for heading in sorted(by_place, key=lambda h: (h == PLACE_UNKNOWN, -len(by_place[h]), h)):
        members = sorted(by_place[heading], key=lambda e: ((e["date"] or {}).get("lo") or "9999", e["record_id"]))
        lines = [_event_line(e, base_url) for e in members[:EVENTS_PER_PLACE]]
        section.groups.append((heading, lines, max(0, len(members) - EVENTS_PER_PLACE)))
    return section


def _toll_text(name: str, figure: dict[str, Any]) -> str | None:
    if not figure["values"]:
        return None
    if figure["agreed"]:
        return f"{figure['text']} {name}"
    given = "; ".join(f"{v['value']} per {', '.join(v['outlets'])}" for v in figure["values"])
    return f"{figure['text']} {name} (sources disagree: {given})"


def _event_line(event: dict[str, Any], base_url: str) -> Line:
    when = (event["date"] or {}).get("text") or "date unknown"
    who = ", ".join(event["actors"]) or "unnamed actors"
    against = ", ".join(event["targets"])
    figures = [t for t in (_toll_text("killed", event["fatalities"]), _toll_text("injured", event["injured"])) if t]
    text = f"{when} — {event['sub_event_type']}: {who}" + (f" against {against}" if against else "")
    text += f"{'; ' + ', '.join(figures) if figures else ''} · status: {event['status']} · {event['n_sources']} independent source(s)"
    attributed = list(dict.fromkeys(m["attributed_to"] for m in event["mentions"] if m["attributed_to"]))
    parts: list[str | tuple[str, str]] = [text, f" · according to {', '.join(attributed) or 'unattributed'}, in "]
    for i, mention in enumerate(event["mentions"]):
        if i:
            parts.append(", ")
        parts.append((mention["outlet"] or "article", _absolute(base_url, mention["link"])))
    return Line(parts)


def _version_line(v: dict[str, Any], base_url: str) -> Line:
    hedge = f" ({v['hedge']})" if v.get("hedge") and v["hedge"] != "exact" else ""
    where = f" in {v['outlet']}" if v.get("outlet") else ""
    return Line([f"{v['value']}{hedge} — according to {v['source'] or 'unattributed'} ({v['status'] or '?'}), “{v['text']}”{where} ", ("span", _absolute(base_url, v["link"]))])


def _contested_section(store: Store, filters: EventFilters, base_url: str) -> Section:
    found = contested(store, filters)
    section = Section("Contested figures and claims", empty="No figures or claims on which sources disagree.")
    for group in found["events"]:
        heading = " · ".join(str(x) for x in (group["what"], group["place"], group["date"]) if x)
        section.groups.append((f"Event: {heading}", [_version_line(v, base_url) for v in group["versions"]], 0))
    for group in found["figures"]:
        heading = " · ".join(str(x) for x in (group["what"], group["date"]) if x)
        section.groups.append((f"Figure: {heading}", [_version_line(v, base_url) for v in group["versions"]], 0))
    for group in found["claims"]:
        heading = f"Claim {group['status']}: “{group['what']}”" + (f" · contested by {', '.join(group['contested_by'])}" if group["contested_by"] else "")
        section.groups.append((heading, [_version_line(v, base_url) for v in group["versions"]], 0))
    return section


def _quotes_section(store: Store, filters: EventFilters, base_url: str) -> Section:
    article_ids: set[str] | None = None
    if filters != EventFilters():
        where, params = event_where(filters)
        article_ids = {r["article_id"] for r in store.query(f"SELECT DISTINCT e.article_id FROM events e{where}", params)}
    quotes = list_quotes(store, None, None, None, Page(QUOTE_SCAN, 0)).items
    by_speaker: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for quote in quotes:
        if article_ids is None or quote["article_id"] in article_ids:
            by_speaker[quote["speaker_name"] or "unknown speaker"].append(quote)
    section = Section("Who said what", empty="No quotes.")
    ranked = sorted(by_speaker, key=lambda s: (-len(by_speaker[s]), s))
    for speaker in ranked[:SPEAKERS]:
        items = by_speaker[speaker]
        lines = []
        for q in items[:QUOTES_PER_SPEAKER]:
            chain = f" via {', via '.join(q['via'])}" if q["via"] else ""
            lines.append(Line([f"“{q['content']['text']}” ({q['kind']}, {q['status']}{chain}) — ", (q["article_title"] or "article", base_url.rstrip("/") + q["link"])]))
        section.groups.append((speaker, lines, max(0, len(items) - QUOTES_PER_SPEAKER)))
    return section


# -- rendering --------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+!|~>-])")


def md_escape(text: str) -> str:
    """Text that Markdown shows as typed: specials backslashed, HTML made inert, one line."""
    text = re.sub(r"\s+", " ", str(text))
    return _MD_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")


def _md_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def render_markdown(report: Report) -> str:
    out = [f"# {md_escape(report.title)}", "", f"_{md_escape(report.subtitle)}_", ""]
    for section in report.sections:
        out += [f"## {md_escape(section.title)}", ""]
        if not section.groups:
            out += [md_escape(section.empty), ""]
        for heading, lines, left_out in section.groups:
            out += [f"### {md_escape(heading)}", ""]
            for line in lines:
                out.append("- " + "".join(md_escape(p) if isinstance(p, str) else f"[{md_escape(p[0])}]({_md_url(p[1])})" for p in line.parts))
            if left_out:
                out.append(f"- … and {left_out} more (see the web app)")
            out.append("")
    return "\n".join(out)


_CSS = (
    "body{font:15px/1.5 'DejaVu Sans',sans-serif;max-width:60em;margin:2em auto;color:#1d2329}"
    "h1{margin-bottom:0}.sub{color:#666}h3{margin-bottom:.2em}li{margin:.2em 0}"
)


def render_html(report: Report) -> str:
    e = html.escape
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
        f"<title>{e(report.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(report.title)}</h1><p class=\"sub\">{e(report.subtitle)}</p>",
    ]
    for section in report.sections:
        out.append(f"<h2>{e(section.title)}</h2>")
        if not section.groups:
            out.append(f"<p>{e(section.empty)}</p>")
        for heading, lines, left_out in section.groups:
            out.append(f"<h3>{e(heading)}</h3><ul>")
            for line in lines:
                parts = "".join(e(p) if isinstance(p, str) else f'<a href="{e(p[1], quote=True)}">{e(p[0])}</a>' for p in line.parts)
                out.append(f"<li>{parts}</li>")
            if left_out:
                out.append(f"<li>… and {left_out} more (see the web app)</li>")
            out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out)


def report_text(store: Store, filters: EventFilters, fmt: str = "md", base_url: str = "http://127.0.0.1:8000") -> str:
    if fmt not in REPORT_FORMATS:
        raise TidingsError(E.E204, name=fmt, valid=", ".join(REPORT_FORMATS))
    report = build_report(store, filters, base_url)
    return render_markdown(report) if fmt == "md" else render_html(report)
