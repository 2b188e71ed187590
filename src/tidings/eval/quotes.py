"""Scorer `quotes`: attribution contents and speakers against PolNeAR (../shared/eval/quotes).

Contents are compared piece by piece (`content_fragments` when present, else the content span).
A predicted piece matches a gold piece exactly, or with overlap when the shared characters are
at least half of the longer of the two. Matching is one-to-one, greedy by overlap. Speaker
accuracy is measured on the matched contents whose gold attribution names a source: the predicted
speaker mention must overlap the gold one by at least half of the longer. textacy's
`direct_quotations` runs on the same parses in the same run as a baseline.

The learned cue model (`tidings.attribution.learned`) and its refiners (`refine`) were trained on
this dev file, so the plain scores flatter them; `cv=K` gives the honest figure (k-fold cross-validation over documents).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from tidings.errors import E, TidingsError
from tidings.eval import register_eval

Piece = tuple[int, int]
# Overlap needed for a "half overlap" match: shared chars / longer span (task definition).
HALF = 0.5
# Seed of the document folds for cross-validation (`cv=K`).
CV_SEED = 20241125


def pieces_of(quote: dict[str, Any]) -> list[Piece]:
    frags = quote.get("content_fragments") or []
    if frags:
        return [(int(s), int(e)) for s, e in frags]
    return [(quote["content"]["start"], quote["content"]["end"])]


def overlap_ratio(a: Piece, b: Piece) -> float:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    longest = max(a[1] - a[0], b[1] - b[0], 1)
    return max(shared, 0) / longest


def _match(gold: Sequence[Piece], pred: Sequence[Piece], exact: bool) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), best overlap first."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ratio = overlap_ratio(g, p)
            if (g == p) if exact else ratio >= HALF:
                candidates.append((ratio, gi, pi))
    pairs, used_g, used_p = [], set(), set()
    for _, gi, pi in sorted(candidates, reverse=True):
        if gi not in used_g and pi not in used_p:
            pairs.append((gi, pi))
            used_g.add(gi)
            used_p.add(pi)
    return pairs


def _f1(tp: int, n_gold: int, n_pred: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _speaker_ok(gold: dict[str, Any] | None, pred: dict[str, Any] | None) -> bool:
    if gold is None or pred is None:
        return False
    return overlap_ratio((gold["start"], gold["end"]), (pred["start"], pred["end"])) >= HALF


def score_quotes(gold_docs: Iterable[list[dict[str, Any]]], pred_docs: Iterable[list[dict[str, Any]]], prefix: str = "") -> dict[str, float]:
    """Content-span P/R/F1 (exact and half-overlap) and speaker accuracy over documents."""
    n_gold = n_pred = tp_exact = tp_half = 0
    speaker_total = speaker_ok = 0
    for gold, pred in zip(gold_docs, pred_docs, strict=True):
        g_pieces = [(i, p) for i, q in enumerate(gold) for p in pieces_of(q)]
        p_pieces = [(i, p) for i, q in enumerate(pred) for p in pieces_of(q)]
        n_gold += len(g_pieces)
        n_pred += len(p_pieces)
        tp_exact += len(_match([p for _, p in g_pieces], [p for _, p in p_pieces], exact=True))
        pairs = _match([p for _, p in g_pieces], [p for _, p in p_pieces], exact=False)
        tp_half += len(pairs)
        for gi, pi in pairs:
            gq, pq = gold[g_pieces[gi][0]], pred[p_pieces[pi][0]]
            if gq.get("speaker") is not None:
                speaker_total += 1
                speaker_ok += _speaker_ok(gq["speaker"], pq.get("speaker"))
    ep, er, ef = _f1(tp_exact, n_gold, n_pred)
    hp, hr, hf = _f1(tp_half, n_gold, n_pred)
    return {
        f"{prefix}exact_p": round(ep, 4), f"{prefix}exact_r": round(er, 4), f"{prefix}exact_f1": round(ef, 4),
        f"{prefix}overlap_p": round(hp, 4), f"{prefix}overlap_r": round(hr, 4), f"{prefix}overlap_f1": round(hf, 4),
        f"{prefix}speaker_acc": round(speaker_ok / speaker_total, 4) if speaker_total else 0.0,
        f"{prefix}n_gold": n_gold, f"{prefix}n_pred": n_pred,
    }


def is_direct_gold(quote: dict[str, Any], text: str) -> bool:
    """A gold attribution is direct when its content opens and closes with quote marks."""
    body = quote["content"]["text"].strip()
    return len(body) > 2 and body[0] in "\"“'‘" and body.rstrip(".,")[-1:] in "\"”'’"


def textacy_quotes(doc: Any) -> list[dict[str, Any]]:
    """textacy's `direct_quotations` as contract quotes (content, speaker, cue)."""
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError as err:  # textacy is a dev-only dependency
        raise TidingsError(E.E050, feature="the textacy baseline of 'tidings eval quotes'", extra="dev") from err

    out: list[dict[str, Any]] = []
    try:
        triples = list(direct_quotations(doc))
    except ValueError:  # textacy bails out on an odd number of quote marks: it finds nothing there
        return out
    for dq in triples:
        speaker = dq.speaker[0] if dq.speaker else None
        cue = dq.cue[0] if dq.cue else None
        out.append({
            "content": {"start": dq.content.start_char, "end": dq.content.end_char},
            "speaker": _token_span(speaker),
            "cue": _token_span(cue),
        })
    return out


def _token_span(token: Any) -> dict[str, int] | None:
    return {"start": token.idx, "end": token.idx + len(token)} if token is not None else None


def document_folds(n_docs: int, k: int) -> list[int]:
    """Fold number of each document: a fixed-seed shuffle dealt round-robin into k folds."""
    order = list(range(n_docs))
    random.Random(CV_SEED).shuffle(order)
    fold = [0] * n_docs
    for position, doc_index in enumerate(order):
        fold[doc_index] = position % k
    return fold


def _contract_quotes(doc: Any) -> list[dict[str, Any]]:
    from tidings.attribution import quotes_of

    return [
        {
            "content": {"start": q.content.start, "end": q.content.end},
            "content_fragments": q.content_fragments,
            "speaker": {"start": q.speaker.start, "end": q.speaker.end} if q.speaker else None,
            "kind": q.kind,
        }
        for q in quotes_of(doc)
    ]


def cross_validate(records: list[dict[str, Any]], docs: list[Any], k: int, stages: Sequence[str]) -> list[list[dict[str, Any]]]:
    """Held-out quotes of every document: for each of k document folds, a cue model and its
    refiners (content ends, keeping) trained on the other folds' gold analyse that fold through
    `analyze_articles` (what users get)."""
    from tidings.analyze import analyze_articles, article_from_record
    from tidings.attribution.learned import using_model
    from tidings.attribution.training import labelled_candidates, train_model, train_refiners
    from tidings.contract import to_contract

    data = [labelled_candidates(doc, r["quotes"]) for doc, r in zip(docs, records, strict=True)]
    fold = document_folds(len(records), k)
    held_out: list[list[dict[str, Any]]] = [[] for _ in records]
    for held in range(k):
        rows = [row for (x, _), f in zip(data, fold, strict=True) if f != held for row in x]
        labels = [y for (_, ys), f in zip(data, fold, strict=True) if f != held for y in ys]
        train_ids = [i for i, f in enumerate(fold) if f != held]
        test_ids = [i for i, f in enumerate(fold) if f == held]
        cues = train_model(rows, labels)
        refiners = train_refiners([docs[i] for i in train_ids], [records[i]["quotes"] for i in train_ids], cues)
        with using_model(cues, refiners):
            articles = analyze_articles([article_from_record(records[i]) for i in test_ids], stages)
            for i, article in zip(test_ids, articles, strict=True):
                held_out[i] = to_contract(article)["quotes"]
    return held_out


def rules_only_quotes(docs: list[Any]) -> list[list[dict[str, Any]]]:
    """What the rules find without the learned cue model and refiners (their baseline)."""
    import numpy as np

    from tidings.attribution.learned import CueModel, using_model

    silent = CueModel({}, np.zeros(0, dtype=np.float32), -40.0)
    with using_model(silent):
        return [_contract_quotes(doc) for doc in docs]


def _direct_only(gold: list[list[dict[str, Any]]], pred: list[list[dict[str, Any]]], records: list[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
    direct_gold = [[q for q in g if is_direct_gold(q, r["text"])] for g, r in zip(gold, records, strict=True)]
    direct_pred = [[q for q in p if q["kind"] == "direct"] for p in pred]
    return direct_gold, direct_pred


@register_eval("quotes")
def evaluate_quotes(gold_path: Path, limit: int | None = None, baseline: bool = True, cv: int = 0) -> dict[str, Any]:
    """Scores of the shipped analysis; with `cv=K` also `cv_*`: the same scores over held-out
    document folds, each analysed with a cue model trained on the other folds only (the honest
    figure: the shipped model has seen every dev article), and `rules_*`: the rules alone."""
    from tidings.analyze import analyze_articles, article_from_record
    from tidings.contract import to_contract

    records = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if limit:
        records = records[:limit]
    if cv and not 2 <= cv <= len(records):
        raise TidingsError(E.E121, name="cv", value=cv, reason=f"use 2..{len(records)} folds, or 0 for none")
    stages = ["nlp", "quotes", "claims"]
    articles = [article_from_record(r) for r in records]
    outputs: list[dict[str, Any]] = []
    started = time.perf_counter()
    for article in analyze_articles(articles, stages):
        outputs.append(to_contract(article))
    elapsed = time.perf_counter() - started
    gold = [r["quotes"] for r in records]
    pred = [o["quotes"] for o in outputs]
    metrics: dict[str, Any] = score_quotes(gold, pred)
    direct_gold, direct_pred = _direct_only(gold, pred, records)
    metrics.update(score_quotes(direct_gold, direct_pred, prefix="direct_"))
    docs: list[Any] = []
    if baseline or cv:
        from tidings.nlp import load_nlp

        docs = list(load_nlp().pipe([r["text"] for r in records], batch_size=12))
    if baseline:
        baseline_quotes = [textacy_quotes(doc) for doc in docs]
        metrics.update(score_quotes(direct_gold, baseline_quotes, prefix="textacy_direct_"))
        metrics["direct_overlap_f1_gain_over_textacy"] = round(metrics["direct_overlap_f1"] - metrics["textacy_direct_overlap_f1"], 4)
    if cv:
        held_out = cross_validate(records, docs, cv, stages)
        metrics.update(score_quotes(gold, held_out, prefix="cv_"))
        metrics.update(score_quotes(*_direct_only(gold, held_out, records), prefix="cv_direct_"))
        metrics.update(score_quotes(gold, rules_only_quotes(docs), prefix="rules_"))
        metrics["cv_overlap_f1_gain_over_rules"] = round(metrics["cv_overlap_f1"] - metrics["rules_overlap_f1"], 4)
        if baseline:
            metrics["cv_direct_overlap_f1_gain_over_textacy"] = round(metrics["cv_direct_overlap_f1"] - metrics["textacy_direct_overlap_f1"], 4)
        metrics["cv_folds"] = cv
    metrics["seconds"] = round(elapsed, 2)
    return metrics
