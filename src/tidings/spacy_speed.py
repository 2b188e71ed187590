"""A faster English pipeline with the same annotations: exact, cached stand-ins for two of its
rule components, and its networks' matrix products on numpy's BLAS.

`attribute_ruler` runs a Matcher of 179 token patterns over every token of every text, and
`lemmatizer` calls Python per token (re-reading the token's morphology each time for base forms,
which its own cache skips, and scanning a list of up to 57,000 lemmas for each new word form).
Warm, per bench article: 14.5 and 7.6 ms of a ~110 ms parse. Both depend on little of each token:

- a single-token attribute pattern reads only the token's text (LOWER, IS_SPACE, REGEX on them),
  tag and dependency label. Words no pattern names (by LOWER or REGEX) are matched alike, so they
  share one word class, and which patterns match a token is planned once per (word class, tag,
  dep) with the ruler's own patterns (a probe Matcher run on the unseen keys only). A two-token
  pattern matches where its first part matches a token and its second part the next. Each token
  then takes, column by column, the value of the last pattern in the ruler's order that targets
  it, written in one `Doc.from_array` (patterns setting anything else are replayed through the
  ruler's `set_token_attrs`);
- a rule lemma depends only on (orth, pos, morph): the cache covers every token, base forms too;
  and a new word's lemma is found with the lemma index held as sets (`form in index` gives the
  same answer in constant time).

Warm, per bench article, they cost 1.3 and 1.6 ms. Rulers with patterns these stand-ins do not
handle (operators, longer than two tokens, alternatives of two tokens) keep the original
component.

The statistical components (tok2vec, tagger, parser, ner) spend most of their time in matrix
products, which thinc computes with blis by default. numpy's BLAS (the OpenBLAS in numpy's wheels)
does the same products ~3.7x faster on this machine's CPU (a 6,400 x 288 by 288 x 288 float32
product, one thread: 13.4 ms against 49.4 ms), so every layer gets thinc's `NumpyOps(use_blis=False)`,
which hands them to `numpy.dot`; the transition step of the parser and the entity recogniser,
compiled against blis, keeps it. Same products, summed in another order: on 1,284 texts (the
300 bench articles and the PolNeAR, CASE, LGL and TempEval dev files) every tag, dependency,
head, entity and lemma is the same as the stock pipeline's. The parse of a bench article costs
~66-80 ms of CPU instead of ~108-120 ms. BLAS uses BLAS_THREADS threads per process.

`tests/test_spacy_speed.py` checks every token attribute against the stock pipeline.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from spacy.attrs import DEP, LEMMA, MORPH, ORTH, POS, TAG
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs
from thinc.api import NumpyOps

# Distinct words and (orth, pos, morph) keys remembered (~100k word forms cover most of a large
# news corpus); each cache starts over beyond this, so memory stays flat on any input (spaCy's
# own lemma cache, which never empties, is emptied with ours).
MAX_CACHED_KEYS = 100_000
Key = tuple[int, int, int]
# What the matched patterns leave on a token: the final value of each column of `COLUMNS`, or
# None when a pattern sets something else (a dependency label, an extension), replayed as is.
Values = dict[int, int] | None
# Attributes written in one `Doc.from_array` call; none of them is lexical, so setting them on
# the token alone is all `set_token_attrs` does with them.
COLUMNS = (POS, TAG, MORPH, LEMMA)
# BLAS threads per process. An ingest runs one parsing process per core, so more threads would
# only fight over the cores: measured on 150 bench articles, one process, 2 cores idle, 2 threads
# took 70 ms wall but 120 ms CPU per article against 80 / 80 with one. TIDINGS_BLAS_THREADS
# raises it for a single process on an otherwise idle machine.
BLAS_THREADS = int(os.environ.get("TIDINGS_BLAS_THREADS", "1"))


class _Plan:
    """Which attribute patterns a token with a given key starts, ends or matches alone."""

    __slots__ = ("alone", "first", "second", "values")

    def __init__(self) -> None:
        self.alone: list[int] = []
        self.first: set[int] = set()
        self.second: set[int] = set()
        self.values: Values = None


def plannable(ruler: Any) -> bool:
    """True when every pattern of the ruler is plain tokens (no operators): one or more
    single-token alternatives, or one two-token sequence."""
    for entry in ruler.patterns:
        alternatives = entry["patterns"]
        if any("OP" in token for tokens in alternatives for token in tokens):
            return False
        if not all(len(tokens) == 1 for tokens in alternatives) and not (len(alternatives) == 1 and len(alternatives[0]) == 2):
            return False
    return True


class WordClasses:
    """Words the patterns cannot tell apart share one key: a word that no LOWER value or REGEX
    of any pattern names matches exactly what any other such word matches (same spacing), so
    the plans are cached per (word class, tag, dep) and stay few on any vocabulary."""

    PLACEHOLDER = "tidings-placeholder-word"

    def __init__(self, vocab: Any, lowers: frozenset[str] | None, regexes: tuple[re.Pattern[str], ...]) -> None:
        self.vocab = vocab
        self.lowers = lowers  # None: the patterns read more of the text; every word is its own class
        self.regexes = regexes
        self.placeholder = vocab.strings.add(self.PLACEHOLDER)
        self._classes: dict[int, int] = {}

    @classmethod
    def of(cls, patterns: list[dict[str, Any]], vocab: Any) -> WordClasses:
        lowers: set[str] = set()
        regexes: list[re.Pattern[str]] = []
        for entry in patterns:
            for token in (t for alternative in entry["patterns"] for t in alternative):
                for name, value in token.items():
                    if name in ("TAG", "DEP", "IS_SPACE"):
                        continue
                    if name != "LOWER":
                        return cls(vocab, None, ())
                    if isinstance(value, str):
                        lowers.add(value)
                    elif set(value) <= {"IN", "NOT_IN"}:
                        lowers.update(w for words in value.values() for w in words)
                    elif set(value) == {"REGEX"}:
                        regexes.append(re.compile(value["REGEX"]))
                    else:
                        return cls(vocab, None, ())
        words = cls(vocab, frozenset(lowers), tuple(regexes))
        return words if words._named(cls.PLACEHOLDER) is False else cls(vocab, None, ())

    def class_of(self, orth: int) -> int:
        found = self._classes.get(orth)
        if found is None:
            if len(self._classes) > MAX_CACHED_KEYS:
                self._classes.clear()
            found = self._classes[orth] = orth if self._named(self.vocab.strings[orth]) else self.placeholder
        return found

    def _named(self, text: str) -> bool:
        """Whether a pattern can tell this word from the placeholder."""
        if self.lowers is None or text.isspace() or not text:
            return True
        lower = text.lower()
        return lower in self.lowers or any(regex.search(lower) for regex in self.regexes)


class CachedAttributeRuler:
    """`attribute_ruler` with its matches planned per token key (see the module docstring)."""

    def __init__(self, ruler: Any) -> None:
        self.ruler = ruler
        self.vocab = ruler.vocab
        self._probe = Matcher(self.vocab, validate=False)
        self._pairs: list[int] = []
        for attr_id, entry in enumerate(ruler.patterns):
            alternatives = entry["patterns"]
            if len(alternatives[0]) == 1:
                self._probe.add(f"alone:{attr_id}", alternatives)
            else:
                tokens = alternatives[0]
                self._pairs.append(attr_id)
                self._probe.add(f"first:{attr_id}", [[tokens[0]]])
                self._probe.add(f"second:{attr_id}", [[tokens[1]]])
        self._plans: dict[Key, _Plan] = {}
        self._merged: dict[tuple[int, ...], Values] = {}
        self._words = WordClasses.of(ruler.patterns, self.vocab)

    def __call__(self, doc: Doc) -> Doc:
        """What `set_annotations(doc, match(doc))` does: each token takes, attribute by
        attribute, the value of the last pattern (in the ruler's order) that targets it."""
        keys = self._keys(doc)
        self._plan_unseen(keys)
        plans = [self._plans[key] for key in keys]
        paired = self._paired_targets(plans)
        columns: Any = doc.to_array(list(COLUMNS))
        replay: list[tuple[int, tuple[int, ...]]] = []
        for i, plan in enumerate(plans):
            if i in paired:
                ids = tuple(sorted(plan.alone + paired[i]))
                values = self._merge(ids)
            else:
                ids, values = tuple(plan.alone), plan.values
            if values is None:
                replay.append((i, ids))
            else:
                for column, value in values.items():
                    columns[i, column] = value
        doc.from_array(list(COLUMNS), columns)
        for i, ids in replay:
            for attr_id in ids:
                set_token_attrs(doc[i], self.ruler.attrs[attr_id])
        return doc

    def _keys(self, doc: Doc) -> list[Key]:
        rows = doc.to_array([ORTH, TAG, DEP]).tolist()
        word = self._words.class_of
        return [(word(orth), tag, dep) for orth, tag, dep in rows]

    def _paired_targets(self, plans: list[_Plan]) -> dict[int, list[int]]:
        """Token index -> the two-token patterns (matched at it or the token before) targeting it."""
        targets: dict[int, list[int]] = {}
        if not self._pairs:
            return targets
        for i in range(len(plans) - 1):
            if plans[i].first:
                for attr_id in plans[i].first & plans[i + 1].second:
                    index = self.ruler.indices[attr_id]
                    targets.setdefault(i + (index if index >= 0 else 2 + index), []).append(attr_id)
        return targets

    def _merge(self, ids: tuple[int, ...]) -> Values:
        if ids not in self._merged:
            if len(self._merged) > MAX_CACHED_KEYS:
                self._merged.clear()
            values: dict[int, int] = {}
            for attr_id in ids:
                attrs = self.ruler.attrs[attr_id]
                if any(name not in COLUMNS for name in attrs):
                    self._merged[ids] = None
                    break
                values.update({COLUMNS.index(name): value for name, value in attrs.items()})
            else:
                self._merged[ids] = values
        return self._merged[ids]

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def _plan_unseen(self, keys: list[Key]) -> None:
        unseen = list(dict.fromkeys(key for key in keys if key not in self._plans))
        if not unseen:
            return
        if len(self._plans) + len(unseen) > MAX_CACHED_KEYS:
            self._plans.clear()
            unseen = list(dict.fromkeys(keys))
        strings = self.vocab.strings
        probe = Doc(
            self.vocab,
            words=[strings[orth] for orth, _, _ in unseen],
            spaces=[False] * len(unseen),
            tags=[strings[tag] if tag else "" for _, tag, _ in unseen],
            deps=[strings[dep] if dep else "" for _, _, dep in unseen],
            heads=list(range(len(unseen))),
        )
        plans = [_Plan() for _ in unseen]
        for match_id, start, _ in self._probe(probe, allow_missing=True):
            part, attr_id = strings[match_id].split(":")
            plan = plans[start]
            if part == "alone":
                plan.alone.append(int(attr_id))
            else:
                (plan.first if part == "first" else plan.second).add(int(attr_id))
        for key, plan in zip(unseen, plans, strict=True):
            plan.alone.sort()
            plan.values = self._merge(tuple(plan.alone))
            self._plans[key] = plan


class CachedLemmatizer:
    """The rule `lemmatizer`, each (orth, pos, morph) lemmatised once."""

    def __init__(self, lemmatizer: Any) -> None:
        self.lemmatizer = lemmatizer
        self.vocab = lemmatizer.vocab
        self._lemmas: dict[Key, int] = {}
        # `rule_lemmatize` only asks `form in index`: a set answers the same, in constant time.
        index = lemmatizer.lookups.get_table("lemma_index", {})
        for pos, forms in list(index.items()):
            index[pos] = frozenset(forms)

    def __call__(self, doc: Doc) -> Doc:
        lemmatizer = self.lemmatizer
        if not getattr(lemmatizer, "_validated", True):
            lemmatizer._validate_tables()
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        todo = [i for i, lemma in enumerate(rows[:, 3].tolist()) if lemma == 0 or lemmatizer.overwrite]
        if not todo:
            return doc
        if len(self._lemmas) + len(todo) > MAX_CACHED_KEYS:
            self._lemmas.clear()
            lemmatizer.cache.clear()
        lemmas = rows[:, 3].copy()
        keys = rows[:, :3].tolist()
        for i in todo:
            orth, pos, morph = keys[i]
            lemma = self._lemmas.get((orth, pos, morph))
            if lemma is None:
                lemma = self._lemmas[(orth, pos, morph)] = self.vocab.strings.add(lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = lemma
        column: Any = lemmas.reshape(-1, 1).astype(np.uint64)
        doc.from_array([LEMMA], column)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


ATTRIBUTES = "tidings_attribute_ruler"
LEMMAS = "tidings_lemmatizer"


def _register() -> None:
    from spacy.language import Language

    if Language.has_factory(ATTRIBUTES):
        return

    @Language.factory(ATTRIBUTES)
    def make_attributes(nlp: Any, name: str) -> CachedAttributeRuler:
        return CachedAttributeRuler(nlp.get_pipe("attribute_ruler"))

    @Language.factory(LEMMAS)
    def make_lemmas(nlp: Any, name: str) -> CachedLemmatizer:
        return CachedLemmatizer(nlp.get_pipe("lemmatizer"))


def use_numpy_blas(nlp: Any) -> None:
    """Give every layer of the pipeline's networks numpy's BLAS for its matrix products."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=BLAS_THREADS, user_api="blas")
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model: Any = getattr(component, "model", None)
        if hasattr(model, "walk"):
            for layer in model.walk():
                layer.ops = ops


def speed_up(nlp: Any) -> None:
    """Swap the pipeline's attribute ruler and rule lemmatizer for their cached stand-ins, and its
    networks' matrix products onto numpy's BLAS."""
    use_numpy_blas(nlp)
    _register()
    if "attribute_ruler" in nlp.pipe_names and plannable(nlp.get_pipe("attribute_ruler")):
        nlp.add_pipe(ATTRIBUTES, after="attribute_ruler")
        nlp.remove_pipe("attribute_ruler")
    if "lemmatizer" in nlp.pipe_names and getattr(nlp.get_pipe("lemmatizer"), "mode", "") == "rule":
        nlp.add_pipe(LEMMAS, after="lemmatizer")
        nlp.remove_pipe("lemmatizer")
