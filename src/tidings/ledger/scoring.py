"""Coreference scores for clusterings: MUC, B-cubed, CEAF-e and their mean, the CoNLL F1.

A clustering is a list of clusters, each an iterable of hashable mention ids. Mentions that the
response leaves out count as singletons where the definitions need them (Pradhan et al. 2014,
"Scoring Coreference Partitions of Predicted Mentions: A Reference Implementation").
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

Clusters = Sequence[Iterable[Hashable]]


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _sets(clusters: Clusters) -> list[frozenset[Hashable]]:
    return [frozenset(c) for c in clusters if c]


def _owner(clusters: list[frozenset[Hashable]]) -> dict[Hashable, int]:
    return {m: i for i, c in enumerate(clusters) for m in c}


def _muc_recall(key: list[frozenset[Hashable]], response: list[frozenset[Hashable]]) -> float:
    owner = _owner(response)
    found = wanted = 0
    for cluster in key:
        parts = {owner.get(m, ("alone", m)) for m in cluster}
        found += len(cluster) - len(parts)
        wanted += len(cluster) - 1
    return found / wanted if wanted else 0.0


def muc(key: Clusters, response: Clusters) -> PRF:
    k, r = _sets(key), _sets(response)
    return PRF(_muc_recall(r, k), _muc_recall(k, r))


def _b3_recall(key: list[frozenset[Hashable]], response: list[frozenset[Hashable]]) -> float:
    owner = _owner(response)
    mentions = sum(len(c) for c in key)
    total = 0.0
    for cluster in key:
        for m in cluster:
            if m in owner:
                total += len(cluster & response[owner[m]]) / len(cluster)
    return total / mentions if mentions else 0.0


def b_cubed(key: Clusters, response: Clusters) -> PRF:
    k, r = _sets(key), _sets(response)
    return PRF(_b3_recall(r, k), _b3_recall(k, r))


def ceaf_e(key: Clusters, response: Clusters) -> PRF:
    k, r = _sets(key), _sets(response)
    if not k or not r:
        return PRF(0.0, 0.0)
    similarity = [[2 * len(a & b) / (len(a) + len(b)) for b in r] for a in k]
    best = sum(similarity[i][j] for i, j in max_assignment(similarity))
    return PRF(best / len(r), best / len(k))


def conll_f1(key: Clusters, response: Clusters) -> float:
    return (muc(key, response).f1 + b_cubed(key, response).f1 + ceaf_e(key, response).f1) / 3


def all_scores(key: Clusters, response: Clusters, prefix: str = "") -> dict[str, float]:
    """Flat metrics: precision, recall and F1 of MUC, B-cubed and CEAF-e, and the CoNLL F1."""
    out: dict[str, float] = {}
    for name, fn in (("muc", muc), ("b3", b_cubed), ("ceafe", ceaf_e)):
        prf = fn(key, response)
        out |= {f"{prefix}{name}_p": prf.precision, f"{prefix}{name}_r": prf.recall, f"{prefix}{name}_f1": prf.f1}
    out[f"{prefix}conll_f1"] = (out[f"{prefix}muc_f1"] + out[f"{prefix}b3_f1"] + out[f"{prefix}ceafe_f1"]) / 3
    return out


def max_assignment(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Row -> column pairs of a one-to-one assignment with the largest total weight (Hungarian, O(n^3))."""
    rows, cols = len(weights), len(weights[0]) if weights else 0
    size = max(rows, cols)
    top = max((w for row in weights for w in row), default=0.0)
    cost = [[top - (weights[i][j] if i < rows and j < cols else 0.0) for j in range(size)] for i in range(size)]
    return [(i, j) for i, j in _hungarian_min(cost) if i < rows and j < cols]


def _hungarian_min(cost: list[list[float]]) -> list[tuple[int, int]]:
    n = len(cost)
    inf = float("inf")
    u, v, match, way = [0.0] * (n + 1), [0.0] * (n + 1), [0] * (n + 1), [0] * (n + 1)
    for i in range(1, n + 1):
        match[0], j0 = i, 0
        minv, used = [inf] * (n + 1), [False] * (n + 1)
        while match[j0]:
            used[j0] = True
            i0, delta, j1 = match[j0], inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(n + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    return [(match[j] - 1, j - 1) for j in range(1, n + 1) if match[j]]
