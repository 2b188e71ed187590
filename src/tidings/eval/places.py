"""`tidings eval places`: toponym spans and their resolution on LGL-style gold.

Runs the same analysis users get (`analyze_records`, stages nlp + places) and reports:
- span precision/recall/F1, exact (same offsets) and overlap (one-to-one, any shared character);
- `acc_161km`: share of gold toponyms with coordinates, found by an overlapping predicted span,
  whose resolved point lies within 161 km (100 miles) of the gold point (unresolved counts wrong);
- `span_f1_exact_no_demonyms`: exact F1 with gold demonyms ("Russian") left out, since this
  project does not treat demonyms as places (they give an actor's country instead).
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

from tidings.analyze import analyze_records
from tidings.eval import register_eval
from tidings.geo import haversine_km, is_demonym

ACCURACY_KM = 161.0


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _overlap_pairs(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """One-to-one pairs of overlapping spans, exact matches first, then in text order."""
    pairs, used_pred, used_gold = [], set(), set()
    by_span = {(p["start"], p["end"]): i for i, p in enumerate(pred)}
    for gi, g in enumerate(gold):
        pi = by_span.get((g["start"], g["end"]))
        if pi is not None:
            pairs.append((g, pred[pi]))
            used_pred.add(pi)
            used_gold.add(gi)
    for gi, g in enumerate(gold):
        if gi in used_gold:
            continue
        for pi, p in enumerate(pred):
            if pi not in used_pred and p["start"] < g["end"] and g["start"] < p["end"]:
                pairs.append((g, p))
                used_pred.add(pi)
                break
    return pairs


@register_eval("places")
def score_places(gold_path: Path, limit: int | None = None, workers: int = 1) -> dict[str, Any]:
    # split("\n"), not splitlines(): the texts hold U+2028 and other characters splitlines breaks on.
    records = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").split("\n") if line.strip()]
    if limit:
        records = records[: int(limit)]
    started = time.perf_counter()
    inputs = ({"id": r["id"], "text": r["text"], "published": r.get("published")} for r in records)
    outputs = list(analyze_records(inputs, stages=["nlp", "places"], workers=workers))
    seconds = time.perf_counter() - started
    n_gold = n_pred = exact_tp = overlap_tp = 0
    n_gold_nd = exact_tp_nd = 0
    resolved_n = resolved_ok = 0
    errors_km: list[float] = []
    for record, out in zip(records, outputs, strict=True):
        gold, pred = record["places"], out["places"]
        n_gold += len(gold)
        n_pred += len(pred)
        pred_spans = {(p["start"], p["end"]) for p in pred}
        exact_tp += sum((g["start"], g["end"]) in pred_spans for g in gold)
        kept = [g for g in gold if not is_demonym(g["text"])]
        n_gold_nd += len(kept)
        exact_tp_nd += sum((g["start"], g["end"]) in pred_spans for g in kept)
        pairs = _overlap_pairs(gold, pred)
        overlap_tp += len(pairs)
        for g, p in pairs:
            if g.get("lat") is None or g.get("lon") is None:
                continue
            resolved_n += 1
            if p.get("lat") is None:
                continue
            km = haversine_km(p["lat"], p["lon"], g["lat"], g["lon"])
            errors_km.append(km)
            resolved_ok += km <= ACCURACY_KM
    ep, er, ef = _prf(exact_tp, n_pred, n_gold)
    op, orr, of = _prf(overlap_tp, n_pred, n_gold)
    _, _, ef_nd = _prf(exact_tp_nd, n_pred, n_gold_nd)
    return {
        "articles": len(records),
        "gold_spans": n_gold,
        "predicted_spans": n_pred,
        "span_p_exact": round(ep, 4),
        "span_r_exact": round(er, 4),
        "span_f1_exact": round(ef, 4),
        "span_p_overlap": round(op, 4),
        "span_r_overlap": round(orr, 4),
        "span_f1_overlap": round(of, 4),
        "span_f1_exact_no_demonyms": round(ef_nd, 4),
        "acc_161km": round(resolved_ok / resolved_n, 4) if resolved_n else 0.0,
        "resolved_scored": resolved_n,
        "median_error_km": round(statistics.median(errors_km), 1) if errors_km else 0.0,
        "seconds": round(seconds, 1),
        "articles_per_second": round(len(records) / seconds, 2) if seconds else 0.0,
    }
