"""The one error catalogue: stable codes, each message saying what went wrong and how to fix it.

Raise with `raise TidingsError(E.E001, path=...)`; the CLI prints `E001: <message>` on one
line and the web API returns the same code in its JSON error shape. Codes are never reused.
"""

from __future__ import annotations

import warnings
from enum import StrEnum
from typing import Any


class E(StrEnum):
    # Input: finding and reading files
    E001 = "Input not found: {path}. Check the path, or pass '-' to read standard input."
    E002 = "Cannot read {path}: {reason}. Check its permissions, or leave it out."
    E003 = "{path} is empty: there is no text to ingest."
    E004 = "{path} looks like a binary file ({kind}), not news text. Convert it to text or HTML first."
    E005 = "{path} is not valid UTF-8 (first bad byte at offset {offset}). Re-save it as UTF-8, or convert it with 'iconv -f <encoding> -t utf-8'."
    E006 = "Unknown input format '{name}'. Valid formats: {valid}."
    E007 = "{path}:{line}: not valid JSON ({reason}). Fix or delete that line; the other lines were read."
    E008 = "{path}:{line}: the record has no '{field}' field. Name the field with --text-field (fields seen: {seen})."
    E009 = "{path}: the CSV has no '{field}' column (columns: {seen}). Name the column with --text-field."
    E010 = "{path}: the feed has no entries{reason}. Check that it is an RSS or Atom feed with items."
    E011 = "{path}: no article text could be extracted from the HTML{reason}. Check that the page is an article, not an index or a login page."
    E012 = "{path}:{line}: the record's '{field}' is empty or not a string. Give it the article text, or drop the record."
    E013 = "{path}: a single paragraph is longer than {limit} characters; split the file or fix its line breaks."
    E014 = "Invalid date '{value}' for {what}. Use an ISO date such as 2024-11-05."

    # Ingest (E100-E119)
    E100 = "{path}:{line}: not a valid CSV row ({reason}). Fix that row; the other rows were read."
    E101 = "{path}: no article text was found in the text dump (only {lines} lines of debris). Check that it holds article paragraphs."

    # Pipeline
    E020 = "Unknown stage '{name}'. Valid stages: {valid}."
    E021 = "Stage '{stage}' needs '{need}', which no earlier stage adds. Put one of {providers} before it, or leave '{stage}' out."
    E022 = "Stage '{stage}' is listed twice in the pipeline."
    E023 = "The spaCy model '{model}' is not installed. Run 'make install' (or pip install -r requirements/model.txt)."
    E024 = "--workers must be at least 1 (got {value}). Pass --workers 1 or more."

    # Store
    E030 = "The database {path} is locked by another tidings process (an ingest is probably running). Wait for it to finish, or read a copy: tidings --db COPY.duckdb ..."
    E031 = "The database {path} has schema version {found}, newer than this tidings ({known}). Upgrade tidings."
    E032 = "No article with id '{id}' in {path}. List ids with 'tidings articles'."
    E033 = "{path} is not a tidings database ({reason}). Pass another --db, or a new file name to create one."
    E034 = "No database at {path}. Ingest something first: tidings ingest FILE --db {path}"
    E035 = "TIDINGS_DB_MEMORY={value!r} is not a memory size DuckDB understands ({reason}). Set it to a size such as 256MB or 2GB, or unset it."
    E036 = (
        "The database {path} needed more memory than DuckDB may use here (TIDINGS_DB_MEMORY={value}): {reason}. What was committed"
        " before is kept. Set TIDINGS_DB_MEMORY higher (for example 1GB) and run the same command again: an ingest resumes where it stopped."
    )
    E037 = (
        "TIDINGS_WRITE_LEASE={value!r} is not a number of seconds. Set it to how long an ingest may keep the database to itself"
        " between readers' turns, such as 10 (0 lets readers in after every batch), or unset it."
    )

    # Evaluation
    E040 = "Unknown evaluation task '{name}'. Valid tasks: {valid}."
    E041 = "Gold file {path} not found. The dev sets live in ../shared/eval/ (see its README)."

    # Optional extras and engines
    E050 = "'{feature}' needs the optional extra '{extra}': pip install 'tidings[{extra}]'."
    E051 = "Unknown engine '{name}'. Valid engines: {valid}."

    # Web API and exports
    E060 = "Unknown export format '{name}'. Valid formats: {valid}."
    E061 = "Upload too large: {size} bytes (limit {limit}). Split it into smaller files."
    E062 = "Too many files in one upload: {count} (limit {limit})."
    E063 = "Invalid value for '{field}': {reason}."
    E064 = "Not found: {what}."

    # Attribution (E120-E139)
    E120 = "Cannot load the attribution cue model from {path}: {reason}. Reinstall tidings, or retrain it with scripts/train_attribution.py."
    E121 = "Invalid cross-validation setting {name}={value}: {reason}."

    # Places (E160-E179)
    E160 = "Cannot write the gazetteer index under {path}: {reason}. Make the cache folder writable, or point TIDINGS_CACHE_DIR at one that is."
    E161 = "The gazetteer data package '{package}' is not installed. Reinstall tidings (pip install -e .) to bring in its dependencies."
    E162 = "The gazetteer index at {path} is damaged ({reason}). Delete that folder; it is rebuilt on next use."
    E163 = "A place name to look up must be non-empty text (got {value!r})."

    # Web app, report and exports (web engineer: E200-E219)
    E200 = "Method {method} is not allowed on {path}. Allowed: {allowed}."
    E201 = "Internal error while serving {path}: {reason}. The server log has the details."
    E202 = "The ingest job failed: {reason}."
    E203 = "Cannot write {path}: {reason}. Check that the folder exists and is writable."
    E204 = "Unknown report format '{name}'. Valid formats: {valid}."
    E205 = "Refusing to serve on {host} without --allow-remote: the app has no login, so anyone who can reach the port can read and add articles."

    # Figures (E180-E189)
    E180 = "'{text}' is not a number tidings can read ({reason}). Write it in digits ('28,500', '3.5 million') or words ('twenty-three', 'two dozen')."

    # Events (E190-E199)
    E190 = "Cannot load the event classifier from {path}: {reason}. Reinstall tidings, or retrain it with scripts/train_events.py."
    E191 = "No training sentences found in {path} (expected *.jsonl files with 'text' and 'sub_event_type')."
    E192 = "Invalid cross-validation setting {name}={value}: {reason}."
    E193 = "Cannot load the sentence encoder from {path}: {reason}. Reinstall tidings (it needs onnxruntime and tokenizers), or rebuild it with scripts/build_encoder.py."


    # Ledger (cross-article events, entities, figures and claims)
    E220 = "The ledger in {path} is empty: build it first with 'tidings ledger --db {path}'."
    E221 = "Give a place or an entity to build a timeline for (for example: tidings timeline Kursk)."
    E222 = "Give either a place or an entity, not both (got place '{place}' and entity '{entity}')."
    E223 = "{path}: ledger corpus article '{article}': {reason}. Fix the snippet so it occurs in the article text."
    E224 = "{path}: not a ledger corpus ({reason}). See tests/data/ledger/README.md for the format."


class W(StrEnum):
    W001 = "{path}: skipped {count} lines repeated by the scraper (headlines, captions) and {junk} junk lines."
    W002 = "Publication date unknown for article '{title}': relative dates ('Tuesday', 'last August') are left unresolved."


class TidingsError(Exception):
    """A user-facing error with a stable code. `str(err)` is `CODE: message`."""

    def __init__(self, code: E, **details: Any) -> None:
        self.code = code.name
        self.details = details
        try:
            self.message = code.value.format(**details)
        except KeyError as missing:  # a programming error: a catalogue field was not given
            self.message = f"{code.value} (missing detail {missing})"
        super().__init__(f"{self.code}: {self.message}")


def warn(code: W, **details: Any) -> None:
    warnings.warn(f"{code.name}: {code.value.format(**details)}", stacklevel=2)
