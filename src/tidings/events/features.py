"""Text -> sparse feature counts for the event-type classifier (pure Python, no sklearn).

The same function feeds training (scripts/train_events.py) and prediction, so the shipped
weights always match the features they were learnt on.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")
_DIGITS = re.compile(r"\d")
# Char n-grams inside words catch inflections (shell/shelled/shelling) and unseen place names
# share little; 3-5 was the best range on the cross-validated dev score (2-4 and 3-6 were lower).
CHAR_MIN, CHAR_MAX = 3, 5
# Only the first characters of a snippet are featurised: bounds time on hostile input; snippets
# and sentences are far shorter than this.
MAX_CHARS = 5000
# Distinct words whose character n-grams are remembered: news vocabulary repeats, so the cache
# spares most of the n-gram slicing (the events stage's costliest Python), and the bound keeps
# memory flat on any corpus.
CHAR_GRAM_CACHE = 50_000


def words_of(text: str) -> list[str]:
    return [_DIGITS.sub("0", w) for w in _WORD.findall(text[:MAX_CHARS].lower())]


def feature_counts(text: str) -> Counter[str]:
    """Word unigrams and bigrams plus within-word character n-grams."""
    words = words_of(text)
    counts: Counter[str] = Counter()
    counts.update(f"w:{w}" for w in words)
    counts.update(f"b:{a} {b}" for a, b in itertools.pairwise(words))
    for word in words:
        counts.update(char_grams(word))
    return counts


@lru_cache(maxsize=CHAR_GRAM_CACHE)
def char_grams(word: str) -> tuple[str, ...]:
    """The word's character n-gram features, padded with a space at each end."""
    padded = f" {word} "
    return tuple(f"c:{padded[i:i + size]}" for size in range(CHAR_MIN, CHAR_MAX + 1) for i in range(len(padded) - size + 1))
