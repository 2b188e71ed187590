"""Finding and opening inputs: paths, directories, `-` for stdin, `.gz`; sniffing binaries and formats;
decoding UTF-8 line by line with coded errors that name the file and the byte offset."""

from __future__ import annotations

import gzip
import io
import os
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from tidings.errors import E, TidingsError

STDIN = "-"
STDIN_ORIGIN = "<stdin>"

# Bytes read from the start of an input to tell its kind and format.
SNIFF_BYTES = 8192

# Longest line accepted in a text dump (a paragraph); a 200 MB file with no line breaks is refused
# with E013 instead of being held in memory.
MAX_TEXT_LINE_BYTES = 4_000_000
# Longest record line in JSON Lines / CSV: html-jsonl lines carry whole pages (the largest page in
# the html dev set is 1.6 MB; 64 MB leaves room for very heavy pages).
MAX_RECORD_LINE_BYTES = 64_000_000

_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"PK\x03\x04", "zip archive"),
    (b"PK\x05\x06", "zip archive"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"RIFF", "RIFF media"),
    (b"\x7fELF", "executable"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!", "RAR archive"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
)
_GZIP_MAGIC = b"\x1f\x8b"
_BOM = "\ufeff"

_EXTENSION_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rss": "rss",
    ".atom": "rss",
    ".xml": "rss",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
}


@dataclass(frozen=True)
class Source:
    """One input file (or stdin) to read: `origin` names it in articles and errors."""

    path: Path | None
    origin: str

    @property
    def inner_name(self) -> str:
        """The file name with any `.gz` taken off: it carries the format's extension."""
        name = self.path.name if self.path else ""
        return name[:-3] if name.lower().endswith(".gz") else name


def expand(paths: Iterator[str] | list[str] | tuple[str, ...]) -> Iterator[Source | TidingsError]:
    """Every file under `paths` in order (directories walked recursively, sorted), or the error
    that stopped one; hidden files and folders inside a directory are skipped."""
    for given in paths:
        if given == STDIN:
            yield Source(None, STDIN_ORIGIN)
            continue
        path = Path(given)
        if not path.exists():
            yield TidingsError(E.E001, path=given)
        elif path.is_dir():
            yield from _walk(path)
        else:
            yield Source(path, str(path))


def _walk(root: Path) -> Iterator[Source | TidingsError]:
    errors: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=errors.append):
        while errors:
            failed = errors.pop()
            yield TidingsError(E.E002, path=failed.filename or folder, reason=failed.strerror or str(failed))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Source(Path(folder) / name, str(Path(folder) / name))
    for failed in errors:
        yield TidingsError(E.E002, path=failed.filename or root, reason=failed.strerror or str(failed))


@contextmanager
def open_source(source: Source) -> Iterator[BinaryIO]:
    """The input's bytes, gunzipped when they are gzip (by name or by content)."""
    try:
        raw: BinaryIO = sys.stdin.buffer if source.path is None else open(source.path, "rb")  # noqa: SIM115
    except OSError as err:
        raise TidingsError(E.E002, path=source.origin, reason=err.strerror or str(err)) from err
    try:
        stream = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(cast(io.RawIOBase, raw))
        if stream.peek(2)[:2] == _GZIP_MAGIC:
            stream = io.BufferedReader(cast(io.RawIOBase, gzip.GzipFile(fileobj=stream)))
        yield cast(BinaryIO, stream)
    except (OSError, EOFError, zlib.error) as err:
        raise TidingsError(E.E002, path=source.origin, reason=f"{type(err).__name__}: {err}") from err
    finally:
        if source.path is not None:
            raw.close()


def peek_head(stream: BinaryIO) -> bytes:
    """Up to `SNIFF_BYTES` from the start, without consuming them."""
    assert isinstance(stream, io.BufferedReader)  # open_source always returns one
    head = stream.peek(SNIFF_BYTES)
    return head[:SNIFF_BYTES]


def binary_kind(head: bytes) -> str | None:
    """What kind of binary file `head` starts, or None when it may be text."""
    for magic, kind in _BINARY_MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        return "binary data with NUL bytes"
    return None


def detect_format(source: Source, head: bytes, text_field: str = "text") -> str:
    """The input format from the content first, then the extension; plain text otherwise."""
    start = head.decode("utf-8", errors="replace").lstrip(_BOM).lstrip()[:2000].lower()
    if start.startswith("{"):
        return "html-jsonl" if _looks_like_html_records(start, text_field) else "jsonl"
    if start.startswith("<?xml") or start.startswith("<rss") or start.startswith("<feed"):
        if "<rss" in start or "<feed" in start or "<rdf:rdf" in start:
            return "rss"
        if "<html" in start:
            return "html"
    if start.startswith("<!doctype html") or start.startswith("<html") or "<html" in start[:500]:
        return "html"
    by_extension = _EXTENSION_FORMATS.get(Path(source.inner_name).suffix.lower())
    if by_extension == "rss":
        return "rss" if start.startswith("<") else "text"
    return by_extension or "text"


def _looks_like_html_records(start: str, text_field: str) -> bool:
    first_line = start.split("\n", 1)[0]
    return '"html"' in first_line and f'"{text_field.lower()}"' not in first_line


def decoded_lines(stream: BinaryIO, origin: str, max_line_bytes: int = MAX_TEXT_LINE_BYTES) -> Iterator[tuple[int, str]]:
    """(byte offset, line with its end of line), decoded as strict UTF-8, the BOM removed.

    Lines are read one at a time so memory stays bounded by the longest line, which is limited
    to `max_line_bytes` (E013 beyond it).
    """
    offset = 0
    first = True
    while True:
        chunk = stream.readline(max_line_bytes + 1)
        if not chunk:
            return
        if len(chunk) > max_line_bytes:
            raise TidingsError(E.E013, path=origin, limit=max_line_bytes)
        try:
            line = chunk.decode("utf-8")
        except UnicodeDecodeError as err:
            raise TidingsError(E.E005, path=origin, offset=offset + err.start) from err
        if first:
            line = line.removeprefix(_BOM)
            first = False
        yield offset, line
        offset += len(chunk)


def read_all_text(stream: BinaryIO, origin: str) -> str:
    """The whole input as text (for formats parsed as one document: HTML, feeds)."""
    data = stream.read()
    try:
        return data.decode("utf-8").removeprefix(_BOM)
    except UnicodeDecodeError as err:
        raise TidingsError(E.E005, path=origin, offset=err.start) from err
