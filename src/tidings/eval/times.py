"""Scorer `times`: TempEval-3 style span F1 (strict and relaxed), type and value accuracy on
matched spans, with dateparser's `search_dates` run side by side as a baseline.

The analysis is the one users get: records go through `tidings.analyze.analyze_records`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from tidings.analyze import analyze_records
from tidings.errors import E, TidingsError
from tidings.eval import register_eval

# The times stage reads the parse made by `nlp`; later stages do not change `times`.
EVAL_STAGES = ("nlp", "times")

Span = tuple[int, int]


def read_gold(path: Path) -> list[dict[str, Any]]:
    records = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise TidingsError(E.E007, path=path, line=line_no, reason=err.msg) from err
        for field in ("id", "text", "times"):
            if field not in record:
                raise TidingsError(E.E008, path=path, line=line_no, field=field, seen=", ".join(sorted(record)))
        records.append(record)
    return records


def match_relaxed(gold: Sequence[Span], pred: Sequence[Span]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index) of overlapping spans, biggest overlap first."""
    pairs = sorted(
        ((min(g[1], p[1]) - max(g[0], p[0]), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)),
        reverse=True,
    )
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matched = []
    for overlap, gi, pi in pairs:
        if overlap > 0 and gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            matched.append((gi, pi))
    return matched


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score_documents(pairs: Iterable[tuple[list[dict[str, Any]], list[dict[str, Any]]]], prefix: str = "") -> dict[str, float | int]:
    """Scores over (gold times, predicted times) per document."""
    n_gold = n_pred = strict_tp = relaxed_tp = type_ok = value_ok = 0
    for gold, pred in pairs:
        gold_spans = [(g["start"], g["end"]) for g in gold]
        pred_spans = [(p["start"], p["end"]) for p in pred]
        n_gold += len(gold)
        n_pred += len(pred)
        strict_tp += len(set(gold_spans) & set(pred_spans))
        for gi, pi in match_relaxed(gold_spans, pred_spans):
            relaxed_tp += 1
            type_ok += gold[gi]["type"] == pred[pi].get("type")
            value_ok += gold[gi]["value"] == pred[pi].get("value")
    sp, sr, sf = prf(strict_tp, n_pred, n_gold)
    rp, rr, rf = prf(relaxed_tp, n_pred, n_gold)
    out: dict[str, float | int] = {
        "strict_precision": sp, "strict_recall": sr, "strict_f1": sf,
        "relaxed_precision": rp, "relaxed_recall": rr, "relaxed_f1": rf,
        "type_accuracy": type_ok / relaxed_tp if relaxed_tp else 0.0,
        "value_accuracy": value_ok / relaxed_tp if relaxed_tp else 0.0,
        "gold": n_gold, "predicted": n_pred, "matched": relaxed_tp,
    }
    return {f"{prefix}{k}": round(v, 4) if isinstance(v, float) else v for k, v in out.items()}


def dateparser_times(text: str, published: str | None) -> list[dict[str, Any]]:
    """dateparser's own search, as time records with TIMEX3-like values at its own precision."""
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    settings: dict[str, Any] = {"RETURN_AS_TIMEZONE_AWARE": False}
    if published:
        settings["RELATIVE_BASE"] = datetime.fromisoformat(published[:10])
    found = search_dates(text, languages=["en"], settings=settings) or []
    parser = DateDataParser(languages=["en"], settings=settings)
    out, cursor = [], 0
    for phrase, moment in found:
        start = text.find(phrase, cursor)
        if start < 0:
            continue
        cursor = start + len(phrase)
        period = parser.get_date_data(phrase).period or "day"
        out.append({"start": start, "end": cursor, "type": "TIME" if period == "time" else "DATE", "value": _dateparser_value(moment, period)})
    return out


def _dateparser_value(moment: datetime, period: str) -> str:
    if period == "year":
        return f"{moment.year:04d}"
    if period == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    if period == "week":
        iso_year, week, _ = moment.isocalendar()
        return f"{iso_year:04d}-W{week:02d}"
    if period == "time":
        return moment.strftime("%Y-%m-%dT%H:%M")
    return moment.date().isoformat()


@register_eval("times")
def score_times(gold_path: Path, limit: int | None = None, baseline: bool = True) -> dict[str, Any]:
    gold_records = read_gold(gold_path)[:limit]
    inputs = [{"id": r["id"], "text": r["text"], "published": r.get("published")} for r in gold_records]
    outputs = list(analyze_records(inputs, stages=list(EVAL_STAGES)))
    scores: dict[str, Any] = {"documents": len(gold_records)}
    scores.update(score_documents((g["times"], o["times"]) for g, o in zip(gold_records, outputs, strict=True)))
    if baseline:
        scores.update(
            score_documents(
                ((g["times"], dateparser_times(g["text"], g.get("published"))) for g in gold_records),
                prefix="dateparser_",
            )
        )
        scores["value_accuracy_over_dateparser"] = round(scores["value_accuracy"] - scores["dateparser_value_accuracy"], 4)
    return scores

