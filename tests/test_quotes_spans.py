"""Content spans of attributions that meet inside one sentence (`refine.separate_nested`).

News attribution corpora never let two contents overlap: an attribution that starts inside
another's content after a clause break ends the outer content there; one that is part of what
the outer source reported is not a quote of its own. Every sentence here was written for these
tests (invented people and places); none comes from the dev sets or the samples.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise
from typing import Any

import pytest

from tidings.analyze import analyze_records
from tidings.attribution.extract import Attribution
from tidings.attribution.refine import separate_nested


@lru_cache(maxsize=64)
def analyze(text: str) -> dict[str, Any]:
    return next(analyze_records([{"id": "t", "text": text}], ["nlp", "quotes"]))


def triples(text: str) -> list[tuple[str, str | None, str | None]]:
    """(content, speaker, cue) of every quote, in text order."""
    return [
        (q["content"]["text"], q["speaker"] and q["speaker"]["text"], q["cue"] and q["cue"]["text"])
        for q in analyze(text)["quotes"]
    ]


# (sentence, the quotes expected: content, speaker mention, cue)
SEPARATED: list[tuple[str, list[tuple[str, str, str]]]] = [
    # `, although [X say ...]`: the urged content ends before the concession clause.
    (
        "The union urged the council to keep the library open, although its members say they accept some of the budget cuts.",
        [
            ("the council to keep the library open", "The union", "urged"),
            ("they accept some of the budget cuts", "its members", "say"),
        ],
    ),
    # `, while [X insisted ...]`: a second speaker's report is not part of the first's.
    (
        "Marta Lind, the county treasurer, said the bridge toll would rise in March, while her deputy insisted that no decision had been made.",
        [
            ("the bridge toll would rise in March", "Marta Lind, the county treasurer", "said"),
            ("that no decision had been made", "her deputy", "insisted"),
        ],
    ),
    # `... and [said ...]`: the same speaker's next act ends the first content.
    (
        "Local farmers promised to sell their grain at the old price and said they would not hoard any of it.",
        [
            ("to sell their grain at the old price", "Local farmers", "promised"),
            ("they would not hoard any of it", "Local farmers", "said"),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SEPARATED, ids=[t[:40] for t, _ in SEPARATED])
def test_an_attribution_after_a_clause_break_ends_the_outer_content(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert triples(text) == expected


def test_a_reported_belief_stays_inside_the_report() -> None:
    """`reported that X believes Y`: the paper reports the belief; Y is not a second quote."""
    text = "The weekly newspaper reported that the harbour master believes the new pier will never be finished."
    assert triples(text) == [
        ("that the harbour master believes the new pier will never be finished", "The weekly newspaper", "reported"),
    ]


def test_contents_never_overlap() -> None:
    text = (
        "The union urged the council to keep the library open, although its members say they accept some of the budget cuts. "
        "The weekly newspaper reported that the harbour master believes the new pier will never be finished."
    )
    spans = sorted((q["content"]["start"], q["content"]["end"]) for q in analyze(text)["quotes"])
    assert spans
    assert all(a[1] <= b[0] for a, b in pairwise(spans))


def test_separation_cuts_only_at_a_clause_break() -> None:
    """Without a break before the inner clause the outer content stays whole and the inner goes."""
    from tidings.nlp import load_nlp

    doc = load_nlp()("Critics described the plan as a gift that the mayor says nobody asked for.")
    text = doc.text
    outer_rng = (text.index("the plan"), text.index(" for.") + 4)
    inner_rng = (text.index("nobody"), outer_rng[1])
    says = text.index("says")
    outer = Attribution(outer_rng, [outer_rng], (0, 7), (8, 17), "indirect", "describe")
    inner = Attribution(inner_rng, [inner_rng], (text.index("the mayor"), says - 1), (says, says + 4), "indirect", "say")
    kept = separate_nested(doc, [outer, inner])
    assert kept == [outer]
    assert outer.content == outer_rng


def test_an_identical_content_is_kept_once() -> None:
    from tidings.nlp import load_nlp

    doc = load_nlp()("The ministry said the border crossing would reopen on Monday.")
    rng = (doc.text.index("the border"), doc.text.index(" on Monday") + 10)
    first = Attribution(rng, [rng], (0, 12), (13, 17), "indirect", "say")
    second = Attribution(rng, [rng], (0, 12), (13, 17), "indirect", "say")
    assert len(separate_nested(doc, [first, second])) == 1


def test_a_subordinate_clause_is_no_postposed_cue_clause() -> None:
    """`A, although inspectors had complained about rust`: the concession is the writer's, it does
    not report A; `A, as the authority confirmed` still does."""
    found = triples("The director insisted that the ferry was safe, although inspectors had complained about rust.")
    assert [(speaker, cue) for _, speaker, cue in found] == [("The director", "insisted")]
    assert found[0][0].startswith("that the ferry was safe")
    assert triples("The ferry was safe, as the harbour authority confirmed on Monday.") == [
        ("The ferry was safe", "the harbour authority", "confirmed"),
    ]


def test_a_stance_word_inside_a_quote_belongs_to_the_quote() -> None:
    """`"A," X said. "People want to ..."`: `want` is the quoted speaker's word, not a stance of
    its own, and the second quote continues the first."""
    text = '"The harbour will reopen in May," the port director said. "Fishermen want to return to work as soon as the ice melts."'
    quotes = analyze(text)["quotes"]
    assert [(q["speaker"]["text"], q["cue"]["text"], q["kind"]) for q in quotes] == [("the port director", "said", "direct")]
    first, second = quotes[0]["content_fragments"]
    assert text[first[0] : first[1]] == '"The harbour will reopen in May,"'
    assert text[second[0] : second[1]] == '"Fishermen want to return to work as soon as the ice melts."'


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        ('"Really dislike this idea of moving the market out of the old town," Tomas Lund, a baker in Malmo, tweeted.',
         "Tomas Lund, a baker in Malmo", "tweeted"),
        ('"Absolutely hate this framing of the new tax as a gift to families," Petra Novak II, a columnist for the Prague Herald, tweeted.',
         "Petra Novak II, a columnist for the Prague Herald", "tweeted"),
    ],
)
def test_a_subject_parsed_into_the_quote_keeps_its_words_after_it(text: str, speaker: str, cue: str) -> None:
    quote = text[: text.index('," ') + 2]
    assert triples(text) == [(quote, speaker, cue)]


def test_a_content_holds_the_quotation_it_touches_whole() -> None:
    """A content found ending inside a quotation (`... “a mess that nobody can defend`) runs to
    its closing mark; one starting just inside a quotation takes its opening mark too."""
    from tidings.attribution.learned import NO_REFINERS
    from tidings.attribution.refine import refine
    from tidings.nlp import load_nlp

    text = "The minister said the plan was “a mess that nobody can defend.” The mayor called for “a new vote on the budget.”"
    doc = load_nlp()(text)
    said = (text.index("the plan"), text.index("defend") + len("defend"))
    called = (text.index("a new vote"), text.index("budget") + len("budget"))
    atts = [
        Attribution(said, [said], (0, 12), (13, 17), "mixed", "say"),
        Attribution(called, [called], (text.index("The mayor"), text.index(" called")), (text.index("called"), text.index(" for “")), "mixed", "call"),
    ]
    refined = refine(doc, atts, [], NO_REFINERS)
    assert [text[a.content[0] : a.content[1]] for a in refined] == [
        "the plan was “a mess that nobody can defend.”",
        "“a new vote on the budget.”",
    ]
    assert all(a.fragments == [a.content] for a in refined)


@pytest.mark.parametrize(
    ("text", "content", "speaker", "cue"),
    [
        ("In 1998 the minister described all striking dockers as “enemies of progress.”",
         "all striking dockers as “enemies of progress.”", "the minister", "described"),
        ("The mayor accused the regional newspaper of being “deliberately misleading.”",
         "being “deliberately misleading.”", "The mayor", "accused"),
    ],
)
def test_a_stance_content_ends_at_the_closing_mark(text: str, content: str, speaker: str, cue: str) -> None:
    assert triples(text) == [(content, speaker, cue)]


def _parsed(words: list[str], heads: list[int], deps: list[str], tags: list[str]) -> Any:
    """A Doc with a given parse (the tagger and parser left out: the attachment is the point)."""
    from spacy.tokens import Doc

    from tidings.nlp import load_nlp

    pos = {"VBD": "VERB", "VB": "VERB", "VBN": "VERB", "NN": "NOUN", "NNS": "NOUN", "DT": "DET", "TO": "PART", "IN": "ADP", "CC": "CCONJ", ".": "PUNCT", "PRP": "PRON"}
    spaces = [i + 1 < len(words) and words[i + 1] != "." for i in range(len(words))]
    return Doc(load_nlp().vocab, words=words, spaces=spaces, heads=heads, deps=deps, tags=tags, pos=[pos[t] for t in tags])


def test_a_predicate_the_parse_hangs_on_the_cue_joins_the_content() -> None:
    """`agreed [to share a fire brigade and rely on one another]`: `rely` (bare, like `share`) was
    attached to `agreed` (past); it goes on with the content. `and signed ...` (past, like the cue)
    is the subject's next act and stays out."""
    from tidings.attribution.learned import NO_REFINERS
    from tidings.attribution.refine import refine

    words = ["The", "towns", "agreed", "to", "share", "a", "brigade", "and", "rely", "on", "one", "another", "."]
    heads = [1, 2, 2, 4, 2, 6, 4, 2, 2, 8, 11, 9, 2]
    deps = ["det", "nsubj", "ROOT", "aux", "xcomp", "det", "dobj", "cc", "conj", "prep", "det", "pobj", "punct"]
    tags = ["DT", "NNS", "VBD", "TO", "VB", "DT", "NN", "CC", "VB", "IN", "DT", "NN", "."]
    doc = _parsed(words, heads, deps, tags)
    text = doc.text
    content = (text.index("to share"), text.index(" and"))
    att = Attribution(content, [content], (0, 10), (11, 17), "indirect", "agree", cue_token=2)
    (refined,) = refine(doc, [att], [], NO_REFINERS)
    assert text[refined.content[0] : refined.content[1]] == "to share a brigade and rely on one another"

    tags_past = [*tags[:8], "VBD", *tags[9:]]
    doc = _parsed(words, heads, deps, tags_past)
    att = Attribution(content, [content], (0, 10), (11, 17), "indirect", "agree", cue_token=2)
    (refined,) = refine(doc, [att], [], NO_REFINERS)
    assert text[refined.content[0] : refined.content[1]] == "to share a brigade"
