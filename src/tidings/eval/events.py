"""`tidings eval events`: event sub-type classification on the CASE 2021 dev snippets.

Each snippet is analysed as one article through `analyze_records` (what users get); its
predicted class is the sub-type of its highest-confidence event (none if it has no event).

With `cv=K` the scorer also reports the cross-validation figure: the dev file is split into K
label-stratified folds (fixed seed); for each fold a model is trained on the repository's
training sentences plus the other K-1 folds (each dev snippet counted `dev_weight` times) and
the held-out fold is analysed with it. `cv_*` metrics are over all held-out predictions.
Each fold learns both parts of the classifier (n-gram model and embedding head). The sentence
encoder is the packaged one, or with `encoders=DIR` fold k's own `DIR/fold{k}`, fine-tuned
without fold k by `scripts/finetune_encoder.py --cv K --out DIR` (the packaged encoder was
fine-tuned on the whole dev file, so only per-fold encoders give an honest figure). The shipped
classifier learnt the whole dev file too, so the plain figures overstate it: the `cv_*`
figures are the honest ones.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tidings.analyze import analyze_records
from tidings.errors import E, TidingsError
from tidings.eval import register_eval
from tidings.events.classifier import using_model
from tidings.events.encoder import Encoder
from tidings.events.training import stratified_folds, train_classifier, training_rows

TRAINING = Path(__file__).resolve().parents[3] / "training" / "events"


def predict(records: Sequence[dict[str, Any]], stages: Sequence[str] | None) -> list[str | None]:
    out = []
    for result in analyze_records(records, stages):
        events = result["events"]
        out.append(max(events, key=lambda e: e["confidence"])["sub_event_type"] if events else None)
    return out


def f1_scores(gold: Sequence[str], predicted: Sequence[str | None]) -> dict[str, float]:
    labels = sorted(set(gold))
    per_label = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        per_label[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    support = {label: sum(g == label for g in gold) for label in labels}
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    return {
        "weighted_f1": round(sum(per_label[lb] * support[lb] for lb in labels) / len(gold), 4),
        "macro_f1": round(sum(per_label.values()) / len(labels), 4),
        # Every snippet has exactly one gold class, so micro F1 equals accuracy.
        "micro_f1": round(correct / len(gold), 4),
    }


def fold_encoder(encoders: Path | None, held: int) -> Encoder | None:
    """The encoder fine-tuned without fold `held` (scripts/finetune_encoder.py --cv), or None
    for the packaged one."""
    return Encoder.from_dir(encoders / f"fold{held}") if encoders else None


def cross_validate(rows: list[dict[str, Any]], k: int, dev_weight: int, stages: Sequence[str] | None, encoders: Path | None = None) -> list[str | None]:
    base = training_rows(TRAINING)
    fold = stratified_folds(rows, k)
    predicted: list[str | None] = [None] * len(rows)
    for held in range(k):
        learn = [(r["text"], r["sub_event_type"]) for r, f in zip(rows, fold, strict=True) if f != held] * dev_weight
        model = train_classifier([t for t, _ in base + learn], [y for _, y in base + learn], fold_encoder(encoders, held))
        test_ids = [i for i, f in enumerate(fold) if f == held]
        with using_model(model):
            for i, label in zip(test_ids, predict([rows[i] for i in test_ids], stages), strict=True):
                predicted[i] = label
    return predicted


@register_eval("events")
def score_events(gold: Path, cv: int = 0, dev_weight: int = 3, stages: Sequence[str] | None = None, limit: int | None = None, encoders: str | None = None) -> dict[str, Any]:
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[:limit] if limit else rows
    records = [{"id": r["id"], "text": r["text"]} for r in rows]
    labels = [r["sub_event_type"] for r in rows]
    # One snippet first, untimed: loading spaCy and the encoder is start-up, not throughput.
    loading = time.perf_counter()
    predict(records[:1], stages)
    startup_s = round(time.perf_counter() - loading, 2)
    started, cpu_started = time.perf_counter(), time.process_time()
    predicted = predict(records, stages)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    scores: dict[str, Any] = {**f1_scores(labels, predicted), "snippets": len(rows), "snippets_per_s": round(len(rows) / elapsed, 1)}
    # CPU seconds of this process: the wall-clock rate drops when other jobs share the cores.
    scores["snippets_per_cpu_s"] = round(len(rows) / cpu, 1) if cpu else 0.0
    scores["no_event"] = sum(p is None for p in predicted)
    scores["startup_s"] = startup_s
    if cv:
        if cv < 2 or cv > len(rows):
            raise TidingsError(E.E192, name="cv", value=cv, reason=f"use 2..{len(rows)} folds, or 0 for none")
        held_out = cross_validate(rows, cv, dev_weight, stages, Path(encoders) if encoders else None)
        scores.update({f"cv_{k}": v for k, v in f1_scores(labels, held_out).items()})
        scores["cv_folds"] = cv
    return scores
