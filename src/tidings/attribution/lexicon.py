"""Word lists that drive attribution finding and claim status.

Lemmas, lower case. The reporting verbs were gathered from the cues of news attribution
corpora (speech, writing, thought and evidence verbs: PolNeAR's dev cues guided coverage, no
text was copied) and from the constructions the issue lists.
"""

from __future__ import annotations

# Verbs that introduce what someone said, wrote, thinks or found: `X said (that) ...`.
REPORTING_VERBS: frozenset[str] = frozenset(
    ["say", "tell", "add", "claim", "deny", "insist", "warn", "argue", "announce", "report", "write", "state", "declare", "note", "explain", "assert", "allege", "acknowledge", "admit", "concede", "confirm", "contend", "maintain", "suggest", "stress", "emphasize", "emphasise", "point", "predict", "promise", "pledge", "vow", "reply", "respond", "answer", "ask", "recall", "reveal", "repeat", "believe", "think", "fear", "hope", "expect", "estimate", "find", "show", "indicate", "conclude", "dispute", "agree", "disagree", "testify", "tweet", "post", "complain", "comment", "observe", "remark", "mention", "charge", "accuse", "urge", "caution", "reiterate", "counter", "retort", "boast", "concur", "speculate", "worry", "acknowledge", "assure", "inform", "advise", "describe", "cite", "question", "wonder", "know", "learn", "hear", "understand", "recognize", "recognise", "forecast", "project", "calculate", "assess", "reckon", "guess", "suspect", "doubt", "feel", "demand", "propose", "announce", "signal", "imply", "lament", "concede", "explain", "clarify", "specify", "detail", "list", "highlight", "underline", "underscore", "rule"]
)

# Nouns that carry a claim in a `that` clause: `a Politico report that ...`.
REPORT_NOUNS: frozenset[str] = frozenset(
    {"report", "claim", "statement", "allegation", "assertion", "assessment", "announcement",
     "warning", "accusation", "rumor", "rumour", "suggestion", "charge"}
)

# Verbs that make a content denied or disputed when they are its cue.
DENIAL_VERBS: frozenset[str] = frozenset({"deny", "reject", "dismiss", "refute", "rebut"})
DISPUTE_VERBS: frozenset[str] = frozenset({"dispute", "contest", "question", "challenge", "doubt"})
EXPECT_VERBS: frozenset[str] = frozenset({"expect", "predict", "forecast", "anticipate", "project"})

# `according to X`, `citing X`, `quoted as saying by X`.
ACCORDING_TO: tuple[str, str] = ("according", "to")

# Nouns that head a document or publication as a source ("the analysis said").
DOCUMENT_NOUNS: frozenset[str] = frozenset(
    ["act", "bill", "law", "report", "analysis", "assessment", "study", "survey", "poll", "statement", "document", "letter", "memo", "review", "audit", "paper", "filing", "indictment", "complaint", "lawsuit", "ruling", "order", "decree", "resolution", "treaty", "agreement", "data", "figure", "record", "records", "transcript", "post", "tweet", "message", "email", "video", "footage", "intelligence", "estimate", "estimates", "findings", "finding", "research", "investigation", "probe", "article", "story", "editorial", "column", "release", "announcement", "communique"]
)

# Nouns that head a news organisation or a medium a statement went through.
MEDIA_NOUNS: frozenset[str] = frozenset(
    {"broadcaster", "newspaper", "agency", "outlet", "channel", "network", "daily", "radio",
     "television", "tv", "magazine", "website", "platform"}
)

# Nouns of groups of unnamed sources ("officials said", "some experts").
GROUP_NOUNS: frozenset[str] = frozenset(
    ["official", "officials", "source", "sources", "expert", "experts", "analyst", "analysts", "government", "governments", "authority", "authorities", "diplomat", "diplomats", "witness", "witnesses", "resident", "residents", "observer", "observers", "critic", "critics", "people", "person", "aide", "aides", "lawmaker", "lawmakers", "spokesman", "spokeswoman", "spokesperson", "military", "army", "police", "officer", "officers", "investigator", "investigators", "activist", "activists", "group", "groups", "agency", "agencies", "ministry", "service", "services"]
)

# Medium words after `on`: `wrote on Telegram`, `said on X`.
MEDIUM_PREPOSITIONS: frozenset[str] = frozenset({"on", "in", "via", "through"})
MEDIUM_HEADS: frozenset[str] = frozenset(
    {"telegram", "x", "twitter", "facebook", "instagram", "tiktok", "youtube", "interview",
     "statement", "platform", "post", "video", "briefing", "conference", "broadcast", "television",
     "radio", "speech", "letter", "blog", "website", "message", "truth", "social", "podcast"}
)

PERSON_PRONOUNS: frozenset[str] = frozenset({"he", "she", "him", "her"})
THING_PRONOUNS: frozenset[str] = frozenset({"it", "they", "we", "i", "you"})

# Words in a content that make it hypothetical or expected rather than asserted.
HYPOTHETICAL_MODALS: frozenset[str] = frozenset({"may", "might", "could"})
# `would` in reported speech is the past of `will` (`said troops would leave`); with a condition
# the condition wins and the claim is hypothetical.
EXPECTED_MARKERS: frozenset[str] = frozenset({"will", "shall", "would"})

# A later sentence that says earlier claims could not be checked.
UNCONFIRMED_VERBS: frozenset[str] = frozenset({"confirm", "verify", "corroborate", "substantiate"})

# Stance verbs: their object is what the subject holds or wants, an attribution in the wide sense
# news attribution corpora use (`Obama called for reducing the rate`, `Trump attacked loopholes`).
STANCE_VERBS: frozenset[str] = frozenset(
    {"cite", "attack", "criticize", "criticise", "blast", "condemn", "support", "want", "plan",
     "urge", "mention", "praise", "endorse", "oppose", "reject", "propose", "slam", "welcome",
     "seek", "refuse", "decline", "defend", "pledge", "promise", "demand", "vow", "call",
     # Verbs of stating, evaluating or taking up something, with a noun object (`backed the
     # plan`, `invoked the law`, `stressed the risks`): added after measuring on the PolNeAR dev
     # file that their objects are attributions at least half of the time.
     "offer", "reference", "declare", "back", "express", "address", "question", "acknowledge",
     "stress", "denounce", "invoke", "unleash", "promote", "publish", "report", "note", "describe",
     "echo", "tout", "embrace", "mock", "discuss", "suggest", "challenge"}
)
# Prepositions that carry a stance verb's content: `call for`, `call on`, `push for`.
STANCE_PREPOSITIONS: frozenset[str] = frozenset({"for", "on"})
