"""Text -> sparse feature counts for the event-type classifier (pure Python, no sklearn).

The same function feeds training (scripts/train_events.py) and prediction, so the shipped
weights always match the features they were learnt on.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")
_DIGITS = re.compile(r"\d")
# Char n-grams inside words catch inflections (shell/shelled/shelling) and unseen place names
# share little; 3-5 was the best range on the cross-validated dev score (2-4 and 3-6 were lower).
CHAR_MIN, CHAR_MAX = 3, 5
# Only the first characters of a snippet are featurised: bounds time on hostile input; snippets
# and sentences are far shorter than this.
MAX_CHARS = 5000


def words_of(text: str) -> list[str]:
    return [_DIGITS.sub("0", w) for w in _WORD.findall(text[:MAX_CHARS].lower())]


def feature_counts(text: str) -> Counter[str]:
    """Word unigrams and bigrams plus within-word character n-grams."""
    words = words_of(text)
    counts: Counter[str] = Counter()
    counts.update(f"w:{w}" for w in words)
    counts.update(f"b:{a} {b}" for a, b in itertools.pairwise(words))
    for word in words:
        padded = f" {word} "
        for size in range(CHAR_MIN, CHAR_MAX + 1):
            counts.update(f"c:{padded[i:i + size]}" for i in range(len(padded) - size + 1))
    return counts
