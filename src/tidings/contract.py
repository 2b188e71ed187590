"""The `tidings analyze` JSON contract (../shared/eval/README.md): one article -> one JSON object.

The contract's keys are kept stable; extra keys are allowed and welcome.
"""

from __future__ import annotations

from typing import Any

from tidings.article import ANNOTATION_TYPES, Article, _encode

CONTRACT_KEYS = ("id", "title", "published", "text", *ANNOTATION_TYPES)


def to_contract(article: Article) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": article.external_id or article.id,
        "article_id": article.id,
        "title": article.title,
        "published": article.published,
        "text": article.text,
    }
    for key in ANNOTATION_TYPES:
        out[key] = _encode(getattr(article, key))
    out["published_how"] = article.published_how
    out["captions"] = _encode(article.captions)
    out["source"] = article.source
    out["url"] = article.url
    return out
