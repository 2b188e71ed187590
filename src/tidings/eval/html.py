"""`tidings eval html --gold .../html/aeb-dev/ground-truth.jsonl`: main-text extraction from HTML.

The pages (`html/ID.html.gz` beside the gold file) go through the same path as
`tidings analyze --format html-jsonl` (an html-jsonl file read by `tidings.ingest`, then the
analysis, with no annotation stages since only `text` is scored). Word-4-gram precision, recall
and F1 per page, averaged over pages, for our text and for plain `trafilatura.extract()`.
"""

from __future__ import annotations

import gzip
import json
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import trafilatura

from tidings.analyze import analyze_articles
from tidings.article import Article
from tidings.contract import to_contract
from tidings.eval import register_eval
from tidings.ingest import ReadOptions, read_inputs

NGRAM = 4
_WORD = re.compile(r"\w+")


def word_ngrams(text: str, n: int = NGRAM) -> Counter[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def ngram_prf(predicted: str, gold: str) -> tuple[float, float, float]:
    pred, ref = word_ngrams(predicted), word_ngrams(gold)
    overlap = sum((pred & ref).values())
    precision = overlap / sum(pred.values()) if pred else 0.0
    recall = overlap / sum(ref.values()) if ref else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@register_eval("html")
def score_html(gold_path: Path, limit: int | None = None, **_: Any) -> dict[str, Any]:
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = gold[:limit] if limit else gold
    pages = {g["id"]: _page(gold_path.parent / "html" / f"{g['id']}.html.gz") for g in gold}
    ours = _our_texts(pages)
    mine = [ngram_prf(ours.get(g["id"], ""), g["article_body"]) for g in gold]
    theirs = [ngram_prf(trafilatura.extract(pages[g["id"]]) or "", g["article_body"]) for g in gold]
    return {
        "pages": len(gold),
        "extracted": len(ours),
        "precision": _mean(m[0] for m in mine),
        "recall": _mean(m[1] for m in mine),
        "f1": _mean(m[2] for m in mine),
        "trafilatura_precision": _mean(t[0] for t in theirs),
        "trafilatura_recall": _mean(t[1] for t in theirs),
        "trafilatura_f1": _mean(t[2] for t in theirs),
        "f1_gain_over_trafilatura": round(_mean(m[2] for m in mine) - _mean(t[2] for t in theirs), 4),
    }


def _page(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8")


def _our_texts(pages: dict[str, str]) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="tidings-eval-html-") as folder:
        records = Path(folder) / "pages.jsonl"
        with records.open("w", encoding="utf-8") as out:
            for page_id, html in pages.items():
                out.write(json.dumps({"id": page_id, "html": html}) + "\n")
        articles = (a for a in read_inputs([str(records)], ReadOptions(format="html-jsonl")) if isinstance(a, Article))
        return {c["id"]: c["text"] for c in map(to_contract, analyze_articles(articles, stages=[]))}


def _mean(values: Any) -> float:
    items = list(values)
    return round(sum(items) / len(items), 4) if items else 0.0
