"""Word lists for figure finding: hedges, units, currencies, roles, and the words that show a
number is a date, a time or an identifier rather than a figure."""

from __future__ import annotations

# Hedges before a number, longest first so "no more than" wins over "more than".
QUALIFIER_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    sorted(
        [
            (("at", "least"), "at_least"), (("more", "than"), "at_least"), (("over",), "at_least"),
            (("just", "over"), "at_least"), (("well", "over"), "at_least"), (("upwards", "of"), "at_least"),
            (("in", "excess", "of"), "at_least"), (("no", "fewer", "than"), "at_least"),
            (("no", "less", "than"), "at_least"), (("a", "minimum", "of"), "at_least"), (("above",), "at_least"),
            (("at", "most"), "at_most"), (("fewer", "than"), "at_most"), (("less", "than"), "at_most"),
            (("under",), "at_most"), (("just", "under"), "at_most"), (("no", "more", "than"), "at_most"),
            (("not", "more", "than"), "at_most"), (("a", "maximum", "of"), "at_most"), (("below",), "at_most"),
            (("up", "to"), "up_to"), (("as", "many", "as"), "up_to"), (("as", "much", "as"), "up_to"),
            (("about",), "about"), (("around",), "about"), (("approximately",), "about"), (("approx",), "about"),
            (("roughly",), "about"), (("some",), "about"), (("nearly",), "about"), (("almost",), "about"),
            (("an", "estimated"), "about"), (("estimated",), "about"), (("close", "to"), "about"),
            (("circa",), "about"), (("more", "or", "less"), "about"), (("between",), "range"),
        ],
        key=lambda item: -len(item[0]),
    )
)

# Hedges after a number: "300 or more", "300 or so".
TRAILING_QUALIFIERS: dict[tuple[str, ...], str] = {
    ("or", "more"): "at_least", ("or", "so"): "about", ("odd",): "about",
}

RANGE_JOINERS = {"-", "‐", "‑", "–", "—", "to"}

CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₴": "UAH", "₽": "RUB", "₹": "INR", "₪": "ILS"}
CURRENCY_CODES = {"usd": "USD", "eur": "EUR", "gbp": "GBP", "uah": "UAH", "rub": "RUB", "cny": "CNY", "jpy": "JPY", "ils": "ILS"}
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "sterling": "GBP",
    "hryvnia": "UAH", "hryvnias": "UAH", "hryvnas": "UAH", "rouble": "RUB", "roubles": "RUB",
    "ruble": "RUB", "rubles": "RUB", "yuan": "CNY", "yen": "JPY", "shekel": "ILS", "shekels": "ILS",
    "rupee": "INR", "rupees": "INR", "pound": "GBP", "pounds": "GBP",
}

# Measuring units after a number (possibly hyphenated: "a 5-km convoy"): word -> unit symbol.
MEASURE_UNITS = {
    "%": "%", "percent": "%", "pct": "%",
    "km": "km", "kilometer": "km", "kilometers": "km", "kilometre": "km", "kilometres": "km",
    "mile": "mi", "miles": "mi", "mi": "mi",
    "m": "m", "meter": "m", "meters": "m", "metre": "m", "metres": "m",
    "cm": "cm", "mm": "mm", "ft": "ft", "foot": "ft", "feet": "ft", "yard": "yd", "yards": "yd",
    "kg": "kg", "kilogram": "kg", "kilograms": "kg", "kilo": "kg", "kilos": "kg",
    "tonne": "t", "tonnes": "t", "ton": "t", "tons": "t", "lb": "lb", "lbs": "lb",
    "hectare": "ha", "hectares": "ha", "acre": "acre", "acres": "acre",
    "litre": "l", "litres": "l", "liter": "l", "liters": "l", "barrel": "bbl", "barrels": "bbl",
    "gallon": "gal", "gallons": "gal", "degree": "°", "degrees": "°",
    "mph": "mph", "knot": "kn", "knots": "kn",
}
# Two-word units: "per cent", "square kilometres", "percentage points".
MEASURE_PHRASES: dict[tuple[str, ...], str] = {
    ("per", "cent"): "%", ("percentage", "points"): "pp", ("percentage", "point"): "pp",
    ("square", "kilometres"): "km2", ("square", "kilometers"): "km2", ("square", "km"): "km2",
    ("sq", "km"): "km2", ("square", "miles"): "mi2", ("square", "metres"): "m2", ("square", "meters"): "m2",
}

# Durations belong to the `times` stage: a number with one of these units is not a figure.
TIME_UNITS = {
    "second", "seconds", "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs",
    "day", "days", "week", "weeks", "month", "months", "year", "years", "yr", "yrs",
    "decade", "decades", "century", "centuries", "night", "nights", "weekend", "weekends",
}

MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
ORDINAL_SUFFIXES = {"st", "nd", "rd", "th"}
CLOCK_WORDS = {"am", "pm", "gmt", "utc", "cet", "cest", "est", "edt", "bst", "msk", "h", "hrs", "o'clock"}

# Words before a bare 4-digit number that make it a year ("in 2024", "since 1991").
YEAR_CONTEXT = {
    "in", "since", "from", "by", "until", "till", "to", "before", "after", "during", "of", "between",
    "and", "early", "late", "mid", "year", "circa", "summer", "winter", "spring", "autumn", "fall",
    "the", "this", "that", "through", "on", "for", "around", "than", "end",
}
# Labels before a number that make it a name or an identifier: "Article 5", "Flight 17".
ID_LABELS = {
    "article", "articles", "resolution", "section", "chapter", "flight", "highway", "route", "road",
    "room", "page", "pages", "phase", "gate", "building", "block", "apartment", "bus", "line",
    "channel", "grade", "level", "paragraph", "clause", "item", "rule", "version", "model",
    "season", "episode", "code", "category", "class", "type", "platform", "terminal", "district",
    "precinct", "ward", "unit", "number", "no", "nos", "vol", "volume", "act", "amendment",
    "series", "squad", "cell", "camp", "pier", "track", "exit", "junction", "kilometre", "km",
    "tel", "ext", "lot", "plot", "stage", "step", "tier", "zone", "sector", "world", "covid",
    "boeing", "airbus", "iphone", "windows", "g", "aged", "age", "ages", "interstate", "fortune",
    "pct", "post", "station", "battery", "berth",
}
# Abbreviations that end with a period and label the number after them ("No. 5", "p. 3").
ID_ABBREVIATIONS = {"no", "nos", "p", "pp", "art", "sec", "vol", "ch", "fig", "tel", "ext"}
# Letters glued right after digits that are not identifiers (units, scales, ordinals, decades).
GLUED_SUFFIXES = {"km", "m", "cm", "mm", "kg", "ft", "mi", "bn", "mn", "mln", "tn", "trn", "k", "b", "s", "lb", "lbs", "ha", "mph", "pct", "st", "nd", "rd", "th", "x"}

# Fractions written in words after a hyphen or a number: "two-thirds", "one quarter".
FRACTION_WORDS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5,
    "sixth": 6, "sixths": 6, "tenth": 10, "tenths": 10,
}

# Words after "one" that make it a pronoun or an idiom, not a count.
ONE_AFTER = {"of", "another", "by", "day", "way", "or", "and", "thing", "time", "hand", "side", "who", "that", "which"}
ONE_BEFORE = {"no", "any", "every", "each", "the", "this", "that", "which", "someone", "anyone", "everyone", "such", "last", "only"}

# Plural nouns common enough after a 4-digit number that it is read as a count, not a year.
COUNT_NOUNS_AFTER_YEARLIKE = {
    "people", "persons", "troops", "soldiers", "civilians", "fighters", "militants", "refugees",
    "migrants", "protesters", "demonstrators", "workers", "residents", "families", "children",
    "prisoners", "detainees", "casualties", "deaths", "homes", "houses", "buildings", "drones",
    "missiles", "rockets", "shells", "tanks", "vehicles", "jobs", "cases", "members", "officers",
    "police", "policemen", "personnel", "servicemen", "men", "women", "votes", "students",
}

TROOP_NOUNS = {
    "troops", "soldiers", "servicemen", "servicemembers", "personnel", "fighters", "militants",
    "combatants", "mercenaries", "reservists", "conscripts", "recruits", "forces", "units",
    "brigades", "battalions", "regiments", "divisions", "army", "force", "marines", "paratroopers",
    "guerrillas", "insurgents", "rebels", "militiamen", "gunmen", "sailors", "airmen", "commandos",
}

# Casualty and other counted roles: trigger words after the counted thing ("six people were
# killed", "12 dead") or right before the number ("killed six people", "wounding at least 12").
ROLE_AFTER = {
    "killed": "killed", "dead": "killed", "died": "killed", "perished": "killed", "slain": "killed",
    "injured": "injured", "wounded": "injured", "hurt": "injured", "hospitalised": "injured", "hospitalized": "injured",
    "missing": "missing", "unaccounted": "missing",
    "arrested": "arrested", "detained": "arrested",
    "abducted": "abducted", "kidnapped": "abducted", "captured": "captured",
    "displaced": "displaced", "evacuated": "displaced", "fled": "displaced",
}
ROLE_BEFORE = {
    "killed": "killed", "killing": "killed", "kills": "killed", "kill": "killed", "dead": "killed",
    "injured": "injured", "injuring": "injured", "wounded": "injured", "wounding": "injured", "hurt": "injured", "hurting": "injured",
    "arrested": "arrested", "arresting": "arrested", "detained": "arrested", "detaining": "arrested",
    "abducted": "abducted", "abducting": "abducted", "kidnapped": "abducted", "kidnapping": "abducted",
    "displaced": "displaced", "displacing": "displaced", "evacuated": "displaced",
}
# Counted nouns that say the role themselves ("15 deaths", "12 wounded").
ROLE_NOUNS = {
    "deaths": "killed", "fatalities": "killed", "dead": "killed", "bodies": "killed", "killed": "killed",
    "injuries": "injured", "wounded": "injured", "injured": "injured",
    "missing": "missing", "arrests": "arrested", "detainees": "arrested", "hostages": "abducted",
    "refugees": "displaced",
}
# Auxiliaries allowed between the counted thing and an after-trigger: "were killed", "have been".
ROLE_GAP_WORDS = {
    "were", "was", "are", "is", "have", "has", "had", "been", "being", "reportedly", "also", "later",
    "all", "now", "be", "got", "reported", "confirmed", "feared", "believed", "said", "to", "presumed", "left",
}
# How many of ROLE_GAP_WORDS may stand between the figure and its trigger ("were reported missing").
ROLE_GAP_MAX = 4
# "death toll rose to 15", "a toll of 15": the figure is the number killed.
TOLL_WORDS = {"toll"}
CASUALTY_ROLES = {"killed", "injured", "missing", "arrested", "abducted", "captured", "displaced"}

# Closed-class and common verb words that end a counted phrase when no parse is available.
STOP_WORDS = {
    "a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "from", "by", "for", "with",
    "into", "onto", "over", "under", "near", "after", "before", "during", "since", "as", "than",
    "that", "which", "who", "whom", "whose", "this", "these", "those", "it", "its", "they", "their",
    "them", "he", "she", "his", "her", "we", "our", "you", "your", "i", "is", "are", "was", "were",
    "be", "been", "being", "has", "have", "had", "will", "would", "could", "should", "may", "might",
    "can", "must", "do", "does", "did", "not", "no", "each", "every", "per", "said", "says", "say",
    "according", "while", "when", "where", "if", "so", "such", "also", "just", "only", "more",
    "most", "some", "all", "both", "either", "neither", "about", "across", "against", "between",
    "through", "up", "down", "out", "off", "there", "here", "then", "now", "ago", "later", "earlier",
    "last", "next", "killed", "injured", "wounded", "died", "dead", "arrested", "detained", "left",
    "reported", "including", "among", "amid", "toward", "towards", "via", "within", "without",
}

# Verbs that often follow a count ("2 million people lack water"); used only without a parse.
COMMON_VERBS = {
    "lack", "remain", "live", "face", "need", "say", "went", "came", "took", "fled", "left", "hit",
    "fell", "rose", "stand", "stood", "gather", "gathered", "marched", "turned", "arrive", "arrived",
    "lost", "won", "got", "made", "make", "held", "hold", "sank", "burned", "burnt", "ran", "met", "saw",
}
