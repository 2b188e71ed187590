"""Stages and the runner.

A stage is a small named unit `Article -> Article` that declares what it `needs` and what it
`adds` (names of `Article` fields or of facts like `doc`). Each stage lives in its own module
under `tidings.stages` and registers itself with `@register_stage`. `Pipeline` checks the order
before it runs anything, so a misordered configuration fails early with E021.

Stages that benefit from batching (spaCy's `nlp.pipe`) implement `process_batch`; the default
maps `__call__` over the batch.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import ClassVar

from tidings.article import Article
from tidings.errors import E, TidingsError

# Batches of 8-16 keep spaCy's throughput while bounding memory (measured in the brief: larger
# batches gave no speed-up and grew RSS).
DEFAULT_BATCH_SIZE = 12


class Stage:
    """Base class for pipeline stages. Subclasses set `name`, `needs`, `adds`."""

    name: ClassVar[str] = ""
    needs: ClassVar[tuple[str, ...]] = ()
    adds: ClassVar[tuple[str, ...]] = ()

    def __call__(self, article: Article) -> Article:  # pragma: no cover - abstract
        raise NotImplementedError

    def process_batch(self, articles: Sequence[Article]) -> list[Article]:
        return [self(article) for article in articles]


_REGISTRY: dict[str, type[Stage]] = {}
_MODULES_LOADED = False

# The order in which the default pipeline runs the registered stages.
DEFAULT_STAGES: tuple[str, ...] = ("nlp", "times", "places", "quantities", "quotes", "claims", "events")


def register_stage(cls: type[Stage]) -> type[Stage]:
    if not cls.name:
        raise ValueError(f"{cls.__qualname__} has no stage name")
    _REGISTRY[cls.name] = cls
    return cls


def _load_stage_modules() -> None:
    import tidings.stages as package

    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"tidings.stages.{info.name}")


def registered_stages() -> dict[str, type[Stage]]:
    global _MODULES_LOADED
    if not _MODULES_LOADED:  # importing a stage module registers it; load them all once
        _load_stage_modules()
        _MODULES_LOADED = True
    return dict(_REGISTRY)


def get_stage(name: str) -> type[Stage]:
    stages = registered_stages()
    if name not in stages:
        raise TidingsError(E.E020, name=name, valid=", ".join(sorted(stages)))
    return stages[name]


def available_default_stages() -> list[str]:
    stages = registered_stages()
    return [name for name in DEFAULT_STAGES if name in stages]


def check_order(names: Sequence[str]) -> None:
    """Raise E021/E022 unless every stage's needs are added by a stage before it."""
    stages = [get_stage(n) for n in names]
    available = {"text", "title", "published", "paragraphs", "captions"}
    seen: set[str] = set()
    for stage in stages:
        if stage.name in seen:
            raise TidingsError(E.E022, stage=stage.name)
        seen.add(stage.name)
        for need in stage.needs:
            if need not in available:
                providers = sorted(s for s, c in registered_stages().items() if need in c.adds)
                raise TidingsError(E.E021, stage=stage.name, need=need, providers=providers or ["(none)"])
        available.update(stage.adds)


class Pipeline:
    """An ordered, checked list of stage instances."""

    def __init__(self, names: Sequence[str] | None = None, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        self.names = list(names) if names is not None else available_default_stages()
        check_order(self.names)
        self.stages = [get_stage(n)() for n in self.names]
        self.batch_size = batch_size

    def __call__(self, article: Article) -> Article:
        return self.process_batch([article])[0]

    def process_batch(self, articles: Sequence[Article]) -> list[Article]:
        batch = list(articles)
        for stage in self.stages:
            batch = stage.process_batch(batch)
            for article in batch:
                article.stages.append(stage.name)
        for article in batch:
            article.doc = None  # the parse is not kept: it is large and not serialisable
        return batch

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        yield from map_batches(self.process_batch, articles, self.batch_size)


def chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def map_batches(fn: Callable[[list[Article]], list[Article]], items: Iterable[Article], size: int) -> Iterator[Article]:
    for batch in chunks(items, size):
        yield from fn(batch)
