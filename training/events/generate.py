"""Make training/events/generated.jsonl from the hand-written templates (deterministic).

Run: .venv/bin/python training/events/generate.py
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from templates import MORE_TEMPLATES, POOLS, TEMPLATES  # noqa: E402

SEED = 20241125
PER_TYPE = 320
# Neutral follow-up sentences that any type may carry, so that the classifier does not learn them.
TAILS = [
    "The incident is under investigation.",
    "No further details were immediately available.",
    "Authorities have not commented.",
    "It was the latest in a series of incidents in the region.",
    "Local media published photos from the scene.",
    "The area has seen repeated unrest in recent months.",
    "Officials gave no further details.",
    "Residents said they feared more violence.",
]
SLOT = re.compile(r"\{([A-Z0-9]+)\}")


def fill(template: str, rng: random.Random) -> str:
    text = SLOT.sub(lambda m: rng.choice(POOLS[m.group(1)]), template)
    text = re.sub(r"\s+([.,;])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
    return text[0].upper() + text[1:]


def snippet(label: str, rng: random.Random) -> str:
    templates = TEMPLATES[label] + MORE_TEMPLATES.get(label, [])
    parts = [fill(rng.choice(templates), rng)]
    roll = rng.random()
    if roll < 0.3:
        parts.append(fill(rng.choice(templates), rng))
    elif roll < 0.45:
        parts.append(rng.choice(TAILS))
    return " ".join(parts)


def main() -> None:
    rng = random.Random(SEED)
    out = HERE / "generated.jsonl"
    seen: set[str] = set()
    with out.open("w", encoding="utf-8") as fh:
        for label in TEMPLATES:
            made = 0
            for _ in range(PER_TYPE * 4):
                text = snippet(label, rng)
                if text in seen:
                    continue
                seen.add(text)
                fh.write(json.dumps({"text": text, "sub_event_type": label}, ensure_ascii=False) + "\n")
                made += 1
                if made >= PER_TYPE:
                    break
    print(f"wrote {len(seen)} snippets to {out}")


if __name__ == "__main__":
    main()
