"""Entities across articles. Within an article, short forms join the full name they stand for
("Kim" -> "Kim Yung Ho", "KBS" -> "Korean Broadcasting System"); across articles, local entities
merge by name key, alias or acronym, and a bare surname only with supporting context (same role).
Pure: records in, decisions out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tidings.article import Article
from tidings.ledger.mentions import role_before
from tidings.ledger.names import acronym, fold, looks_like_acronym, name_key, tokens

LABEL_CLASS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
# Local entities join a ledger entity at this score or above. Full-name and alias matches score
# 0.9, acronyms 0.85, a bare surname 0.4, plus 0.25 for a shared role, 0.2 for a shared place
# in context and 0.1 when only one known person has that surname: a surname alone never merges;
# a surname with the same role, or with shared places and no rival, does. Chosen by hand,
# checked on tests/data/ledger (entity B-cubed).
ENTITY_MERGE_THRESHOLD = 0.6
# Two candidates whose scores differ by less than this are a tie: the mention stays apart.
TIE_MARGIN = 0.05
_CONTEXT_LIMIT = 30


@dataclass
class LocalEntity:
    label: str
    name: str
    forms: Counter[str] = field(default_factory=Counter)
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)
    context: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return name_key(self.name)

    @property
    def surname_only(self) -> bool:
        return self.label == "PERSON" and len(tokens(self.name)) == 1


# A tagged name is a place when a resolved place covers this much of it: all of "Quetta", not
# "US" in "the US Department of Defense".
PLACE_COVER = 0.6


@dataclass(frozen=True)
class Named:
    """One name in the text with the kind of thing it names, as the ledger reads it."""

    start: int
    text: str
    label: str


def named_spans(article: Article) -> list[Named]:
    """The article's names with their ledger label. The tagger's label gives way to better
    evidence: a name the places stage resolved is a place ("Quetta" tagged ORG), and a single
    word that is part of a person's full name in the same article is that person ("Kiper" tagged
    ORG after "Oleh Kiper"). Places the tagger missed are added from the places stage."""
    place_spans = [(p.start, p.end) for p in article.places if p.lat is not None]
    name_parts = {t for e in article.entities if e.label == "PERSON" and len(tokens(e.text)) > 1 for t in tokens(e.text)}
    out: list[Named] = []
    for ent in article.entities:
        text = _strip_possessive(ent.text)
        if not fold(text):
            continue
        if any(min(e, ent.end) - max(s, ent.start) >= PLACE_COVER * (ent.end - ent.start) for s, e in place_spans):
            label: str | None = "PLACE"
        elif ent.label != "PERSON" and len(tokens(text)) == 1 and tokens(text)[0] in name_parts and not looks_like_acronym(text):
            label = "PERSON"
        else:
            label = LABEL_CLASS.get(ent.label)
        if label:
            out.append(Named(ent.start, text, label))
    covered = [(n.start, n.start + len(n.text)) for n in out]
    for p in article.places:
        if p.lat is not None and fold(p.text) and not any(s < p.end and p.start < e for s, e in covered):
            out.append(Named(p.start, p.text, "PLACE"))
    return out


def article_context(article: Article) -> set[str]:
    """Where an article is about, to tell people with one surname apart: the countries and
    nationalities it names and the countries of the places it resolved ("cc:pl")."""
    named = {fold(e.text) for e in article.entities if e.label in ("GPE", "NORP")}
    return named | {f"cc:{p.country_code.casefold()}" for p in article.places if p.country_code}


def local_entities(article: Article) -> list[LocalEntity]:
    """One record per thing the article names, its short forms and acronyms folded in."""
    context = article_context(article)
    order = sorted(named_spans(article), key=lambda n: (-len(tokens(n.text)), n.start))
    found: list[LocalEntity] = []
    for named in order:
        label, text = named.label, named.text
        local = _join_target(found, label, text, named.start)
        if local is None:
            local = LocalEntity(label, text, context=context)
            found.append(local)
        local.forms[text] += 1
        local.spans.append((named.start, named.start + len(text), text))
        if label == "PERSON" and (role := role_before(article, named.start)):
            local.roles.add(role)
    for local in found:
        local.spans.sort()
    return found


def _strip_possessive(text: str) -> str:
    for suffix in ("'s", "\u2019s"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def _join_target(found: list[LocalEntity], label: str, text: str, start: int) -> LocalEntity | None:
    key = name_key(text)
    for local in found:
        if local.key == key and (local.label == label or (label != "PERSON" and local.label != "PERSON")):
            return local
    if label == "PERSON":
        return _person_with_part(found, tokens(text), start)
    if looks_like_acronym(text):
        return next((lo for lo in found if lo.label != "PERSON" and acronym(lo.name) == fold(text)), None)
    return None


def _person_with_part(found: list[LocalEntity], parts: list[str], start: int) -> LocalEntity | None:
    """The nearest earlier full name that contains these name parts ("Kim" in "Kim Yung Ho")."""
    matches = [lo for lo in found if lo.label == "PERSON" and len(tokens(lo.name)) > len(parts) and _contains(tokens(lo.name), parts)]
    before = [lo for lo in matches if lo.spans and lo.spans[0][0] < start]
    pool = before or matches
    return max(pool, key=lambda lo: max(s for s, _, _ in lo.spans)) if pool else None


def _contains(whole: list[str], parts: list[str]) -> bool:
    n = len(parts)
    return any(whole[i : i + n] == parts for i in range(len(whole) - n + 1))


# -- keys and matching -----------------------------------------------------------------------
def storage_keys(local: LocalEntity) -> set[str]:
    keys = {f"en|{local.label}|{name_key(form)}" for form in local.forms} | {f"en|{local.label}|{local.key}"}
    if local.label == "PERSON":
        keys |= {f"en|PERSON|part|{t}" for t in tokens(local.name)}
    elif (acr := acronym(local.name)) is not None:
        keys.add(f"en|{local.label}|{acr}")
    return keys


def lookup_keys(local: LocalEntity) -> set[str]:
    if local.surname_only:
        return {f"en|PERSON|part|{local.key}"}
    keys = {f"en|{local.label}|{local.key}"}
    if local.label != "PERSON" and looks_like_acronym(local.name):
        keys.add(f"en|{local.label}|{fold(local.name)}")
    elif local.label != "PERSON" and (acr := acronym(local.name)):
        keys.add(f"en|{local.label}|{acr}")  # an earlier article may have named it by acronym only
    return keys


def match_score(local: LocalEntity, record: dict[str, Any], rivals: int = 0) -> float:
    if record["label"] != local.label:
        return 0.0
    record_keys = {name_key(n) for n in record["aliases"]}
    roles_shared = _roles_overlap(local.roles, set(record.get("roles", {})))
    countries_shared = bool(local.context & set(record.get("context", {})))
    if local.surname_only:
        if not any(_contains(tokens(n), [local.key]) for n in record["aliases"]):
            return 0.0
        return 0.4 + 0.25 * roles_shared + 0.2 * countries_shared + 0.1 * (rivals == 0)
    if local.key in record_keys:
        clash = local.label == "PERSON" and local.roles and record.get("roles") and not roles_shared and not countries_shared
        return 0.5 if clash else 0.9
    if local.label != "PERSON" and _acronym_of(local.name, record["aliases"]):
        return 0.85
    return 0.0


def _acronym_of(name: str, aliases: dict[str, int]) -> bool:
    """One side is written as the other's initials ("KBS", "Korean Broadcasting System"). Two full
    names with the same initials ("North Korea", "North Kivu") are not matched."""
    if looks_like_acronym(name):
        return any(acronym(alias) == fold(name) for alias in aliases)
    initials = acronym(name)
    if initials is None or not any(looks_like_acronym(alias) and fold(alias) == initials for alias in aliases):
        return False
    # the acronym already stands for another full name here ("UN" of "United Nations", not of "Ukrainian Navy")
    return not any(not looks_like_acronym(alias) and acronym(alias) == initials for alias in aliases)


def _roles_overlap(left: set[str], right: set[str]) -> bool:
    """A role shared when one's words include the other's ("minister" in "defense minister")."""
    for a in left:
        for b in right:
            wa, wb = set(tokens(a)), set(tokens(b))
            if wa and wb and (wa <= wb or wb <= wa):
                return True
    return False


def best_record(local: LocalEntity, records: dict[int, dict[str, Any]]) -> tuple[int | None, float]:
    rivals = len(records) - 1
    scored = sorted(((match_score(local, rec, rivals), rid) for rid, rec in records.items()), reverse=True)
    if not scored or scored[0][0] < ENTITY_MERGE_THRESHOLD:
        return None, scored[0][0] if scored else 0.0
    if len(scored) > 1 and scored[0][0] - scored[1][0] < TIE_MARGIN and local.surname_only:
        return None, scored[0][0]
    return scored[0][1], scored[0][0]


def new_record(entity_id: int, local: LocalEntity) -> dict[str, Any]:
    return {"entity_id": entity_id, "label": local.label, "name": local.name, "aliases": {}, "roles": {}, "context": {}, "n_mentions": 0, "articles": 0, "confidence": 1.0}


def absorb(record: dict[str, Any], local: LocalEntity, score: float, published: str | None) -> dict[str, Any]:
    """Fold one article's local entity into a ledger entity (roles keep first and last dates)."""
    for form, n in local.forms.items():
        record["aliases"][form] = record["aliases"].get(form, 0) + n
    for role in sorted(local.roles):  # sets of text iterate in a per-process order: sorted, same ledger every run
        seen = record["roles"].setdefault(role, {"first": published, "last": published, "articles": 0})
        seen["articles"] += 1
        if published:
            seen["first"] = min(filter(None, [seen["first"], published]))
            seen["last"] = max(filter(None, [seen["last"], published]))
    for place in local.context:
        record["context"][place] = record["context"].get(place, 0) + 1
    # the most frequent places, ties by name: not by first sight, which followed a set's order
    record["context"] = dict(sorted(record["context"].items(), key=lambda kv: (-kv[1], kv[0]))[:_CONTEXT_LIMIT])
    record["n_mentions"] += len(local.spans)
    record["articles"] += 1
    record["confidence"] = round(min(record["confidence"], score), 3)
    full_forms = [f for f in record["aliases"] if not looks_like_acronym(f)] or list(record["aliases"])
    record["name"] = max(full_forms, key=lambda f: (len(tokens(f)), record["aliases"][f], f))
    return record
