"""Train the shipped event-type classifier from training/events/*.jsonl (data in the repo only).

Run: .venv/bin/python scripts/train_events.py   (writes src/tidings/data/events/model.npz)
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from tidings.events.training import train, training_rows

ROOT = Path(__file__).resolve().parent.parent
TRAINING = ROOT / "training" / "events"
OUT = ROOT / "src" / "tidings" / "data" / "events" / "model.npz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=TRAINING)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = training_rows(args.data)
    started = time.perf_counter()
    model = train([t for t, _ in rows], [y for _, y in rows])
    model.save(str(args.out))
    print(f"{len(rows)} snippets, {len(model.index)} features, {len(model.classes)} classes, "
          f"{time.perf_counter() - started:.1f}s -> {args.out} ({args.out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
