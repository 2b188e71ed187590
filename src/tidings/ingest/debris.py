"""What one line of a scraped text dump is: junk, a caption, a headline, a byline, a dateline, a date.

Pure functions on a single stripped line; the splitter (`tidings.ingest.dump`) combines them with
the lines around it. Every regex here is linear: no nested quantifiers over the same characters,
and the callers never pass lines longer than `MAX_LINE_CHARS`.
"""

from __future__ import annotations

import re

from tidings.ingest.dates import parse_date

# Lines are classified only up to this length; longer lines are always body text.
MAX_LINE_CHARS = 20_000

# A headline is at most this many words / characters (the longest headline in a week of
# Reuters/AP/Asharq Al-Awsat front pages was 24 words, 160 characters).
HEADLINE_MAX_WORDS = 30
HEADLINE_MAX_CHARS = 220

# A line of at most this many words above the headline is a section label or kicker.
KICKER_MAX_WORDS = 3

# A caption's credit in parentheses has at most this many words ("AP Photo/Efrem Lukatsky, File").
CREDIT_MAX_WORDS = 8

_JUNK_EXACT = {
    "advertisement",
    "advertisements",
    "skip advertisement",
    "story continues below advertisement",
    "continue reading",
    "continue reading below",
    "read more",
    "read more below",
    "see more",
    "show more",
    "load more",
    "more",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share on facebook",
    "share on twitter",
    "share on x",
    "share on whatsapp",
    "share via email",
    "share via",
    "tweet",
    "email",
    "e-mail",
    "print",
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "telegram",
    "linkedin",
    "reddit",
    "pinterest",
    "copy link",
    "link copied",
    "copied",
    "comments",
    "comment",
    "listen",
    "listen to this article",
    "subscribe",
    "sign up",
    "log in",
    "sign in",
    "menu",
    "close",
    "back to top",
    "skip to content",
    "skip to main content",
    "most read",
    "most popular",
    "related",
    "related articles",
    "related stories",
    "recommended",
    "trending",
    "watch",
    "video",
    "photo",
    "photos",
    "image",
    "gallery",
    "loading",
    "loading...",
    "font size",
    "toggle caption",
    "hide caption",
    "enlarge this image",
}

# Lines that start like site furniture and carry a link title or a call to action after it.
_JUNK_PREFIX = re.compile(
    r"^(?:read more|read also|also read|see also|related|recommended|watch|more|listen)\s*[:|»>–—-]\s*\S"
    r"|^(?:sign up|subscribe|click here|tap here|follow us|download (?:the|our) app|get the latest|join our)\b"
    r"|^(?:share|posted|updated|published) (?:on|in|to|via)\s+(?:facebook|twitter|x|whatsapp|telegram|linkedin|email)\b",
    re.IGNORECASE,
)

# A line naming only a news agency is a credit left over from a caption or a byline.
_AGENCIES = {
    "reuters",
    "afp",
    "ap",
    "associated press",
    "the associated press",
    "agence france-presse",
    "epa",
    "epa-efe",
    "efe",
    "anadolu",
    "anadolu agency",
    "xinhua",
    "tass",
    "dpa",
    "ansa",
    "upi",
    "pa",
    "pa media",
    "kyodo",
    "yonhap",
    "bloomberg",
    "getty images",
    "afp via getty images",
    "ap photo",
}
# "5 min read", "3 hours ago", "2 minute read"
_READING_TIME = re.compile(
    r"^\d{1,3}\s*(?:min(?:ute)?s?\s+read|(?:seconds?|minutes?|hours?|days?)\s+ago)$", re.IGNORECASE
)

# Stray tokens scrapers leave behind: a few capitals ("TT"), bullets, pipes, lone punctuation.
_STRAY_TOKEN = re.compile(r"^(?:[A-Z]{1,3}|[^\w\s]{1,6}|\d{1,2}|[A-Z]{1,3}\s[A-Z]{1,3})$")

_CREDIT_WORD = r"[A-Z][\w.&'’-]*"
_CREDIT_LINK = r"(?:[ /,]+|\s(?:by|via|for|of|and|de|al)\s)"
# "... in Bucheon (Reuters)", "... invasion. (EPA)", "(AP Photo/Efrem Lukatsky)", "(Photo by X/AFP via Getty Images)"
_PAREN_CREDIT = re.compile(
    rf"\((?P<credit>{_CREDIT_WORD}(?:{_CREDIT_LINK}{_CREDIT_WORD}){{0,{CREDIT_MAX_WORDS - 1}}})\)$"
)
# "... in Kyiv. Photo: Reuters", "Photograph: Efrem Lukatsky/AP"
_LABEL_CREDIT = re.compile(
    r"(?:^|[.!?]\s+|\s[|–—-]\s+)(?:photo(?:graph)?|image|picture|credit|photo credit)s?\s*:\s*(?P<credit>[^:()]{1,80})$",
    re.IGNORECASE,
)

_BYLINE = re.compile(
    r"^(?:by|written by|words by|reporting by)\s+(?P<author>[A-Z][^\n]{1,150})$", re.IGNORECASE
)
_BYLINE_TRAILER = re.compile(
    r"\s*(?:[|,;–—-]\s*|\s+and\s+)(?:updated|published|posted)\b.*$", re.IGNORECASE
)

# "KYIV, Ukraine (AP) —", "SEOUL (Reuters) -", "BEIRUT, Lebanon (AFP) --", "WASHINGTON —"
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][\w .'’-]{1,40})?)"
    r"(?:\s*\((?P<source>[A-Z][\w .&/-]{0,40})\))?\s*(?:—|–|--|-|:)\s+\S"
)

_DATE_LABEL = re.compile(
    r"^(?:published|updated|posted|last updated|first published|date)\s*(?:on|at)?\s*:?\s*",
    re.IGNORECASE,
)
# "3:45 PM GMT+1, " before the date, "· 4 min read" after it
_LEADING_TIME = re.compile(
    r"^\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}(?:[+-]\d{1,2}(?::?\d{2})?)?)?\s*[,|·•-]?\s*",
    re.IGNORECASE,
)
_READING_TAIL = re.compile(r"\s*[·|•–—-]\s*\d{1,3}\s*min(?:ute)?s?\s+read$", re.IGNORECASE)
# A date line is short: the date, perhaps a time and a zone ("Nov 5, 2024, 10:31 AM ET").
DATE_LINE_MAX_CHARS = 80

_TERMINAL = ".,;:"
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def normalise_line(text: str) -> str:
    """The form in which two scraped copies of one line compare equal."""
    return " ".join(text.split()).casefold()


def is_junk(text: str) -> bool:
    """Site furniture and scraper debris that carries no article text."""
    stripped = text.strip()
    if not stripped:
        return True
    if len(stripped) > 120:
        return False
    folded = normalise_line(stripped).rstrip(" :.…»>|").strip("()—–- ")
    if folded in _JUNK_EXACT or folded in _AGENCIES:
        return True
    return bool(
        _STRAY_TOKEN.match(stripped)
        or _JUNK_PREFIX.match(stripped)
        or _READING_TIME.match(stripped)
    )


def caption_credit(text: str) -> str | None:
    """The photo credit if this line is a caption ("... (Reuters)", "... Photo: EPA"), else None.

    A body paragraph ends with a full stop or a quote; a caption ends with its credit. A
    parenthesis that is followed by nothing, not even a full stop, is taken as a credit.
    """
    stripped = text.strip()
    if len(stripped) > 600 or len(stripped.split()) < 3:
        return None
    match = _PAREN_CREDIT.search(stripped)
    if match and match.start() > 0:
        return match.group("credit").strip()
    match = _LABEL_CREDIT.search(stripped)
    if match and match.start() > 0:
        return match.group("credit").strip().rstrip(".")
    return None


def is_headline_shaped(text: str) -> bool:
    """Short, starts with a capital (or a quote, or a digit), and does not end like a sentence."""
    stripped = text.strip()
    if not stripped or len(stripped) > HEADLINE_MAX_CHARS:
        return False
    words = stripped.split()
    if len(words) > HEADLINE_MAX_WORDS or len(words) < 2:
        return False
    if stripped[-1] in _TERMINAL or stripped.endswith("..."):
        return False
    first = stripped.lstrip("\"'“‘«")[:1]
    return (first.isupper() or first.isdigit()) and caption_credit(stripped) is None


def title_case_ratio(text: str) -> float:
    """Share of the longer words that start with a capital: headlines score high, sentences low."""
    words = [w for w in _WORD.findall(text) if len(w) >= 4]
    if not words:
        return 0.0
    return sum(w[0].isupper() for w in words) / len(words)


def byline_author(text: str) -> str | None:
    stripped = text.strip()
    if len(stripped) > 160:
        return None
    match = _BYLINE.match(stripped)
    if not match:
        return None
    author = _BYLINE_TRAILER.sub("", match.group("author")).strip(" ,;|")
    # "By the time they arrived, ..." is a sentence, not a byline: a byline's words are names,
    # agencies and a few particles, never other lowercase words.
    words = author.replace(",", " ").split()
    if not words or len(words) > 12 or any(w.islower() and w not in _NAME_PARTICLES for w in words):
        return None
    return author


_NAME_PARTICLES = {
    "and",
    "de",
    "van",
    "von",
    "der",
    "al",
    "bin",
    "da",
    "di",
    "la",
    "le",
    "in",
    "for",
    "the",
    "of",
}


def dateline_source(text: str) -> tuple[bool, str | None]:
    """(is this paragraph opened by a dateline, the wire named in it): `KYIV, Ukraine (AP) —` -> (True, "AP")."""
    match = _DATELINE.match(text.strip()[:160])
    if not match:
        return False, None
    place = match.group("place").split(",")[0]
    if sum(c.isupper() for c in place) < max(2, len(place.replace(" ", "")) * 0.8):
        return False, None
    source = match.group("source")
    return True, source.strip() if source else None


def date_line_value(text: str) -> str | None:
    """The ISO date if the whole line is a publication date ("Published: 5 November 2024 10:31")."""
    stripped = text.strip()
    if len(stripped) > DATE_LINE_MAX_CHARS:
        return None
    unlabelled = _READING_TAIL.sub("", _DATE_LABEL.sub("", stripped))
    return parse_date(unlabelled, whole=True) or parse_date(
        _LEADING_TIME.sub("", unlabelled), whole=True
    )


def is_label(text: str) -> bool:
    """A section label or kicker ("World", "Ceasefire talks"): at most three words, not a sentence."""
    stripped = text.strip()
    return len(stripped.split()) <= KICKER_MAX_WORDS and not stripped.endswith(tuple('.!?"”'))
