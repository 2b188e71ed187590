"""Words of a person's role or title, shared by the speaker resolver and the ledger's mentions."""

from __future__ import annotations

# Words that open a role before a name ("Defense Minister Rustem Umerov", "regional Gov. Ivan Fedorov").
TITLE_WORDS = frozenset(
    ["minister", "president", "premier", "prime", "chancellor", "secretary", "gov", "governor", "mayor", "general", "gen", "lt", "col", "colonel", "commander", "chief", "spokesman", "spokeswoman", "spokesperson", "ambassador", "envoy", "senator", "sen", "rep", "representative", "king", "queen", "prince", "leader", "head", "director", "official", "deputy", "adviser", "advisor", "chairman", "chair", "speaker", "mr", "mrs", "ms", "dr", "sir", "lord", "judge", "admiral", "adm", "sgt", "captain", "capt", "major", "pope", "patriarch"]
)
