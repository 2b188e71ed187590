"""Train the shipped event-type classifier from training/events/*.jsonl, plus the dev file.

Run: .venv/bin/python scripts/train_events.py
Writes src/tidings/data/events/model.npz (n-gram model) and head.npz (embedding head; needs the
encoder built by scripts/build_encoder.py). With --dev (the default when the CASE 2021 dev file
is beside the repository) its snippets are learnt too, each counted DEV_WEIGHT times: the
shipped model then scores high on that file, and the honest figure is `tidings eval events
--cv 5`, which re-learns without the held-out fold.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from tidings.events.training import read_jsonl, train_classifier, training_rows

ROOT = Path(__file__).resolve().parent.parent
TRAINING = ROOT / "training" / "events"
OUT = ROOT / "src" / "tidings" / "data" / "events"
DEV = ROOT.parent / "shared" / "eval" / "events" / "case2021-dev.jsonl"
# The same weight the cross-validation gives the dev folds (tidings.eval.events, dev_weight).
DEV_WEIGHT = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=TRAINING)
    parser.add_argument("--out", type=Path, default=OUT, help="folder for model.npz and head.npz")
    parser.add_argument("--dev", type=Path, default=DEV if DEV.exists() else None, help="labelled snippets to learn too")
    parser.add_argument("--no-dev", action="store_true", help="learn from the repository's sentences only")
    args = parser.parse_args()
    rows = training_rows(args.data)
    if args.dev and not args.no_dev:
        rows += [(r["text"], r["sub_event_type"]) for r in read_jsonl(args.dev)] * DEV_WEIGHT
    started = time.perf_counter()
    classifier = train_classifier([t for t, _ in rows], [y for _, y in rows])
    classifier.ngram.save(str(args.out / "model.npz"))
    if classifier.head is None:
        raise SystemExit("no embedding head was trained")
    classifier.head.save(str(args.out / "head.npz"))
    print(f"{len(rows)} snippets ({'with' if args.dev and not args.no_dev else 'without'} dev), "
          f"{len(classifier.ngram.index)} features, {len(classifier.ngram.classes)} classes, "
          f"{time.perf_counter() - started:.1f}s -> {args.out}")


if __name__ == "__main__":
    main()
