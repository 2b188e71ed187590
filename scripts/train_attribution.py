"""Train the shipped attribution-cue model (tidings.attribution.learned) from gold attributions.

Run: .venv/bin/python scripts/train_attribution.py
Reads the PolNeAR dev file beside the repository (../shared/eval/quotes/polnear-dev.jsonl) and
writes src/tidings/data/attribution/cues.npz (the cue model) and ends.npz and keep.npz (its
refiners, tidings.attribution.refine), learnt from ALL its articles: the shipped models then
score high on that file, and the honest figure is the cross-validated one,
`tidings eval quotes --gold ... --option cv=5` (each fold re-learnt without its held-out
articles). `--sweep` prints that cross-validation of the cue model alone (in memory, same folds,
no refiners) over the regularisation strengths and thresholds used to choose REGULARISATION_C
and THRESHOLD.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from tidings.attribution import learned
from tidings.attribution.training import (
    REGULARISATION_C,
    labelled_candidates,
    train_model,
    train_refiners,
)
from tidings.eval.quotes import _contract_quotes, document_folds, score_quotes
from tidings.nlp import load_nlp

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "tidings" / "data" / "attribution" / learned.MODEL_FILE
GOLD = ROOT.parent / "shared" / "eval" / "quotes" / "polnear-dev.jsonl"


def sweep(records: list[dict[str, Any]], docs: list[Any], data: list[tuple[list[list[str]], list[int]]], folds: int) -> None:
    fold = document_folds(len(records), folds)
    for c in (0.1, 0.3, 1.0):
        models = []
        for held in range(folds):
            rows = [row for (x, _), f in zip(data, fold, strict=True) if f != held for row in x]
            labels = [y for (_, ys), f in zip(data, fold, strict=True) if f != held for y in ys]
            models.append(train_model(rows, labels, c))
        for threshold in (0.35, 0.4, 0.45, 0.5, 0.55):
            learned.THRESHOLD = threshold
            held_out: list[list[dict[str, Any]]] = [[] for _ in records]
            for i, doc in enumerate(docs):
                with learned.using_model(models[fold[i]]):
                    held_out[i] = _contract_quotes(doc)
            m = score_quotes([r["quotes"] for r in records], held_out)
            print(f"C={c} threshold={threshold}: overlap F1 {m['overlap_f1']} (P {m['overlap_p']} R {m['overlap_r']}) exact F1 {m['exact_f1']} speaker {m['speaker_acc']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", type=Path, default=GOLD, help="JSON Lines with text and gold quotes")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--sweep", type=int, default=0, metavar="K", help="print K-fold CV over C and threshold instead of training")
    args = parser.parse_args()
    records = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    started = time.perf_counter()
    docs = list(load_nlp().pipe([r["text"] for r in records], batch_size=12))
    data = [labelled_candidates(doc, r["quotes"]) for doc, r in zip(docs, records, strict=True)]
    if args.sweep:
        sweep(records, docs, data, args.sweep)
        return
    model = train_model([row for x, _ in data for row in x], [y for _, ys in data for y in ys], REGULARISATION_C)
    model.save(str(args.out))
    refiners = train_refiners(docs, [r["quotes"] for r in records], model, REGULARISATION_C)
    for name, refiner in ((learned.ENDS_FILE, refiners.ends), (learned.KEEP_FILE, refiners.keep)):
        if refiner is None:
            raise SystemExit(f"too little training data for {name}: need positive and negative examples")
        refiner.save(str(args.out.with_name(name)))
        print(f"{name}: {len(refiner.index)} features")
    positives = sum(sum(ys) for _, ys in data)
    print(f"{len(records)} articles, {sum(len(ys) for _, ys in data)} candidates ({positives} positive), "
          f"{len(model.index)} features -> {args.out} ({args.out.stat().st_size} bytes) in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
