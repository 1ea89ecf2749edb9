"""Readers: files and folders of .txt, .md, .html and .jsonl, and stdin -> raw documents.

``read_sources`` never raises for bad input: each file (or feed line) that cannot be
read becomes one ``SourceError`` with a one-line message, and the rest of the batch
goes on. Every text is decoded and its line endings normalised here, before anything
else, so the text stored is the text that character offsets refer to.

Folder walks (recursive, sorted) read the supported kinds and skip, silently, hidden
files and folders and files that are plainly not articles (images, archives, office
files, data and code: ``NOT_ARTICLES``); any other file there, like a file named
explicitly with an unsupported extension, is reported as unsupported.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

MAX_FILE_BYTES = 10 * 1024 * 1024  # one article (or one feed line) larger than this is not an article
TEXT_SUFFIXES = frozenset({".txt", ".md", ".text", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
FEED_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES
NOT_ARTICLES = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ico", ".bmp", ".tif", ".tiff",
    ".mp3", ".mp4", ".wav", ".ogg", ".avi", ".mov", ".webm",
    ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".tar", ".rar",
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".rtf",
    ".json", ".csv", ".tsv", ".xml", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".db", ".sqlite", ".parquet",
    ".py", ".pyc", ".js", ".css", ".sh", ".exe", ".dll", ".so", ".bin", ".lock", ".log", ".bak", ".tmp", ".swp",
})
STDIN = "<stdin>"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),  # before UTF-16: it starts with the UTF-16 LE mark
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Control characters other than tab, newline, form feed and carriage return: text has next to none.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.01
_MAX_FALLBACK_NON_ASCII_SHARE = 0.2  # Windows-1252 text in English is mostly ASCII; more is another encoding
_EMPTY_FEED_VALUES = frozenset({"", "unknown", "none", "null", "n/a"})


@dataclass
class RawDocument:
    text: str
    source: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    warnings: list[str] = field(default_factory=list)  # one line each: read, but something was off


@dataclass
class SourceError:
    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class _Unreadable(Exception):
    """Why some bytes cannot be an article; becomes one SourceError."""


Item = RawDocument | SourceError


def read_sources(paths: Iterable[str], stdin: TextIO | None = None) -> Iterator[Item]:
    """Every article under ``paths`` (files, folders, ``-`` for stdin) or the reason it cannot be read."""
    for p in paths:
        if p == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin)
            continue
        path = Path(p)
        if path.is_dir():
            yield from _read_folder(path)
        elif path.is_file():
            yield from _read_file(path)
        elif path.exists():
            yield SourceError(p, "not a regular file")
        else:
            yield SourceError(p, "no such file or folder")


def normalise_newlines(text: str) -> str:
    """\\r\\n and lone \\r become \\n, so offsets do not depend on the platform that wrote the file."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def decode(data: bytes) -> tuple[str, list[str]]:
    """Bytes -> text and warnings: UTF-8 (BOM or not), UTF-16/32 with a BOM, else plausible Windows-1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding)), []
            except UnicodeDecodeError as exc:
                raise _Unreadable(f"undecodable bytes: not valid {encoding.upper()} despite its byte-order mark "
                                  f"(offset {exc.start})") from None
    if b"\x00" in data:
        raise _Unreadable("binary file (contains NUL bytes)")
    try:
        return _checked(data.decode("utf-8")), []
    except UnicodeDecodeError as exc:
        bad = exc.start
    if len(_CONTROL_BYTES.findall(data)) > _MAX_CONTROL_SHARE * len(data):
        raise _Unreadable("binary file (mostly not text)")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise _Unreadable(f"undecodable bytes: neither UTF-8 nor Windows-1252 (byte 0x{data[bad]:02x} at offset "
                          f"{bad})") from None
    visible = [c for c in text if not c.isspace()]
    if sum(1 for c in visible if ord(c) > 127) > _MAX_FALLBACK_NON_ASCII_SHARE * max(len(visible), 1):
        raise _Unreadable(f"undecodable bytes: not UTF-8 (byte 0x{data[bad]:02x} at offset {bad}) and not "
                          "plausible as Windows-1252")
    return _checked(text), [f"not valid UTF-8 (byte 0x{data[bad]:02x} at offset {bad}); read as Windows-1252"]


def _checked(text: str) -> str:
    if len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        raise _Unreadable("binary file (mostly not text)")
    return normalise_newlines(text)


def _read_folder(folder: Path) -> Iterator[Item]:
    found = False
    for path in _walk(folder):
        suffix = path.suffix.lower()
        if suffix in NOT_ARTICLES:
            continue
        found = True
        yield from _read_file(path)
    if not found:
        yield SourceError(str(folder), "folder holds no .txt, .md, .html or .jsonl files")


def _walk(folder: Path) -> list[Path]:
    """Files under ``folder``, hidden ones left out, sorted by path; symlinked folders are not followed."""
    out: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        out.extend(Path(root, f) for f in files if not f.startswith("."))
    return sorted(out, key=lambda p: p.relative_to(folder).parts)


def _read_file(path: Path) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        yield SourceError(str(path), f"unsupported file type {suffix or '(no extension)'}: expected .txt, .md, "
                                     ".html or .jsonl")
        return
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES and suffix not in FEED_SUFFIXES:
            raise _Unreadable(f"too large ({size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB)")
        if suffix in FEED_SUFFIXES:
            with path.open("rb") as handle:
                yield from _read_feed(handle, str(path))
            return
        data = path.read_bytes()
        if not data.strip():
            raise _Unreadable("empty file")
        text, warnings = decode(data)
        if suffix in HTML_SUFFIXES:
            yield _from_html(text, str(path), warnings)
        else:
            yield _plain(text, str(path), warnings)
    except _Unreadable as exc:
        yield SourceError(str(path), str(exc))
    except OSError as exc:
        yield SourceError(str(path), f"cannot read: {exc.strerror or exc}")


def _plain(text: str, source: str, warnings: list[str]) -> RawDocument:
    if not text.strip():
        raise _Unreadable("empty file")
    return RawDocument(text=text, source=source, warnings=warnings)


def _from_html(html: str, source: str, warnings: list[str]) -> RawDocument:
    """The article in an HTML page, as trafilatura extracts it, with its title, date, site name and url."""
    import trafilatura  # imported here: slow to import, and only HTML needs it

    # extensive_search off: a date found only in the body is a date in the story, not the page's date.
    found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                        date_extraction_params={"extensive_search": False, "original_date": True})
    meta: dict[str, Any] = found if isinstance(found, dict) else found.as_dict() if found is not None else {}
    text = normalise_newlines(meta.get("text") or "")
    if not text.strip():
        raise _Unreadable("no article text found in the HTML")
    return RawDocument(text=text, source=source, title=_clean(meta.get("title")), url=_clean(meta.get("url")),
                       outlet=_clean(meta.get("sitename")), published=_clean(meta.get("date")), warnings=warnings)


def _clean(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _read_feed(lines: Iterable[bytes], source: str) -> Iterator[Item]:
    """One article a line: {"text", "title"?, "url"?, "outlet"?, "published"?}; blank lines are skipped."""
    seen = False
    for number, raw in enumerate(lines, 1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        seen = True
        where = f"{source}:{number}"
        if len(raw) > MAX_FILE_BYTES:
            yield SourceError(where, f"line too large ({len(raw) / 1e6:.1f} MB; the limit is "
                                     f"{MAX_FILE_BYTES / 1e6:.0f} MB)")
            continue
        try:
            line = raw.decode("utf-8").strip()  # the newline would put JSON errors on a "line 2"
        except UnicodeDecodeError as exc:
            yield SourceError(where, f"undecodable bytes: not UTF-8 (byte 0x{raw[exc.start]:02x})")
            continue
        yield feed_entry(line, where)
    if not seen:
        yield SourceError(source, "empty file")


def feed_entry(line: str, where: str) -> Item:
    """One JSONL line -> a raw document, or the one-line reason it is not one."""
    try:
        entry = json.loads(line)
    except json.JSONDecodeError as exc:
        return SourceError(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(entry, dict):
        return SourceError(where, f"not a JSON object (got {_json_kind(entry)})")
    if "text" not in entry:
        return SourceError(where, 'no "text" field')
    text = entry["text"]
    if not isinstance(text, str):
        return SourceError(where, f'"text" is not a string (got {_json_kind(text)})')
    text = normalise_newlines(text)
    if not text.strip():
        return SourceError(where, 'empty "text"')
    warnings: list[str] = []
    meta: dict[str, str | None] = {}
    for key in ("title", "url", "outlet", "published"):
        value = entry.get(key)
        if key == "published":
            value = _published_text(value)
        if value is not None and not isinstance(value, str):
            warnings.append(f'"{key}" ignored: not a string (got {_json_kind(value)})')
            value = None
        meta[key] = None if value is None or value.strip().lower() in _EMPTY_FEED_VALUES else value.strip()
    return RawDocument(text=text, source=meta["url"] or where, title=meta["title"], url=meta["url"],
                       outlet=meta["outlet"], published=meta["published"], warnings=warnings)


def _published_text(value: Any) -> Any:
    """A bare year (2021) or a [first, last] day pair, as the answer keys write a range, as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return "..".join(value)
    return value


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)


def _read_stdin(stream: TextIO | BinaryIO) -> Iterator[Item]:
    """Plain text, or a JSONL feed when every non-empty line is a JSON object with a "text"."""
    try:
        data = _read_limited(stream)
        if not data.strip():
            raise _Unreadable("empty input")
        text, warnings = decode(data)
    except _Unreadable as exc:
        yield SourceError(STDIN, str(exc))
        return
    except OSError as exc:
        yield SourceError(STDIN, f"cannot read: {exc}")
        return
    lines = [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    if lines and all(_is_feed_line(line) for _, line in lines):
        for n, line in lines:
            yield feed_entry(line, f"{STDIN}:{n}")
    else:
        yield RawDocument(text=text, source=STDIN, warnings=warnings)


def _read_limited(stream: TextIO | BinaryIO) -> bytes:
    """All of stdin as bytes (decoded by ``decode``, like files), refusing more than the size limit."""
    source = getattr(stream, "buffer", stream)  # the bytes under a text stream, so decoding is ours
    chunk: str | bytes = source.read(MAX_FILE_BYTES + 1)
    data = chunk.encode("utf-8", "surrogateescape") if isinstance(chunk, str) else chunk
    if len(data) > MAX_FILE_BYTES:
        raise _Unreadable(f"too large (over {MAX_FILE_BYTES / 1e6:.0f} MB)")
    return data


def _is_feed_line(line: str) -> bool:
    stripped = line.strip()
    if not stripped.startswith("{"):
        return False
    try:
        entry = json.loads(stripped)
    except json.JSONDecodeError:
        return False
    return isinstance(entry, dict) and "text" in entry
