"""Readers: files and folders of .txt, .md, .html and .jsonl, and stdin -> raw documents.

``read_sources`` never raises for bad input: each file (or feed line) that cannot be
read becomes one ``SourceError`` with a one-line message, and the rest of the batch
goes on. Every text is decoded and its line endings normalised here, before anything
else, so the text stored is the text that character offsets refer to.

Folder walks (recursive, sorted) read the supported kinds and skip, silently, hidden
files and folders and files that are plainly not articles (images, archives, office
files, data and code: ``NOT_ARTICLES``); any other file there, like a file named
explicitly with an unsupported extension, is reported as unsupported.

Hostile input stays inside its item: only regular files are opened (a FIFO or a link
to /dev/zero is reported, never read), every read is bounded by the size limit even
when the file's size lies, feeds are streamed line by line (a bad line, however deep
or long, is one error and the lines before it are already yielded), and every string
handed on is valid Unicode (lone surrogates, from a JSON escape or an undecodable file
name, become U+FFFD), so nothing downstream can fail to encode it.
"""

from __future__ import annotations

import json
import os
import re
import stat
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
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_FEED_CHUNK = 1 << 20
_LINE_END = re.compile(rb"\r\n|\r|\n")  # JSON strings cannot hold a raw CR or LF: both always end a line
_BOM_BYTES = b"\xef\xbb\xbf"
_HTML_DEPTH = 255  # libxml2's default limit on nested elements
_TAG = re.compile(r"<(?P<close>/?)(?P<name>[A-Za-z][\w:-]*)[^>]*?(?P<self>/?)>")
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                        "source", "track", "wbr"})
_FILE_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


def valid_unicode(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (a surrogate pair is joined), so it encodes as UTF-8."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


@dataclass
class RawDocument:
    text: str
    source: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    warnings: list[str] = field(default_factory=list)  # one line each: read, but something was off

    def __post_init__(self) -> None:
        # Every reader and the Python API pass through here: nothing that cannot be stored gets further.
        self.text = valid_unicode(self.text)
        self.source = valid_unicode(self.source)
        for key in ("title", "url", "outlet", "published"):
            value = getattr(self, key)
            if value is not None:
                setattr(self, key, valid_unicode(value))


@dataclass
class SourceError:
    source: str
    message: str

    def __post_init__(self) -> None:
        self.source = valid_unicode(self.source)
        self.message = one_line(self.message)

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class _Unreadable(Exception):
    """Why some bytes cannot be an article; becomes one SourceError."""


def one_line(message: str) -> str:
    """A message fit for one line of a report: valid Unicode, control characters and newlines as spaces."""
    return " ".join(_CONTROL.sub(" ", valid_unicode(message)).split())


Item = RawDocument | SourceError


def read_sources(paths: Iterable[str], stdin: TextIO | None = None) -> Iterator[Item]:
    """Every article under ``paths`` (files, folders, ``-`` for stdin) or the reason it cannot be read."""
    for p in paths:
        if p == "-":
            yield from _guarded(_read_stdin(stdin if stdin is not None else sys.stdin), STDIN)
            continue
        path = Path(p)
        try:
            is_dir = path.is_dir()
        except OSError as exc:  # a name too long, a loop of links
            yield SourceError(p, f"cannot read: {exc.strerror or exc}")
            continue
        if is_dir:
            yield from _guarded(_read_folder(path), p)
        elif os.path.lexists(path):
            yield from _guarded(_read_file(path), p)
        else:
            yield SourceError(p, "no such file or folder")


def _guarded(items: Iterator[Item], source: str) -> Iterator[Item]:
    """A reader's items; an error no reader foresaw ends that one source with one SourceError, not the batch."""
    try:
        yield from items
    except Exception as exc:
        yield SourceError(source, f"cannot read: {type(exc).__name__}: {exc}")


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
    paths, unreadable = _walk(folder)
    for error in unreadable:
        where = valid_unicode(str(error.filename or folder))
        yield SourceError(where, f"cannot read folder: {error.strerror or error}")
    for path in paths:
        suffix = path.suffix.lower()
        if suffix in NOT_ARTICLES:
            continue
        found = True
        yield from _guarded(_read_file(path), str(path))
    if not found and not unreadable:
        yield SourceError(str(folder), "folder holds no .txt, .md, .html or .jsonl files")


def _walk(folder: Path) -> tuple[list[Path], list[OSError]]:
    """Files under ``folder`` (hidden ones left out, sorted by path; symlinked folders are not followed) and
    the folders that could not be listed."""
    out: list[Path] = []
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        out.extend(Path(root, f) for f in files if not f.startswith("."))
    return sorted(out, key=lambda p: p.relative_to(folder).parts), errors


def _read_file(path: Path) -> Iterator[Item]:
    suffix = path.suffix.lower()
    try:
        _check_regular(os.stat(path), limit=False)
        if suffix not in SUPPORTED:
            raise _Unreadable(f"unsupported file type {suffix or '(no extension)'}: expected .txt, .md, .html or "
                              ".jsonl")
        with _open_regular(path, limit=suffix not in FEED_SUFFIXES) as handle:
            if suffix in FEED_SUFFIXES:
                yield from _read_feed(handle, str(path))
                return
            data = handle.read(MAX_FILE_BYTES + 1)  # bounded even where the size on disk lies (/proc, a growing file)
        if len(data) > MAX_FILE_BYTES:
            raise _Unreadable(f"too large (over {MAX_FILE_BYTES / 1e6:.0f} MB)")
        if not data.strip():
            raise _Unreadable("empty file")
        text, warnings = decode(data)
        if suffix in HTML_SUFFIXES:
            yield _from_html(text, str(path), warnings)
        else:
            yield _plain(text, str(path), warnings)
    except _Unreadable as exc:
        yield SourceError(str(path), str(exc))
    except FileNotFoundError:
        yield SourceError(str(path), "symlink to nothing" if path.is_symlink() else "no such file or folder")
    except OSError as exc:
        yield SourceError(str(path), f"cannot read: {exc.strerror or exc}")


def _open_regular(path: Path, limit: bool) -> BinaryIO:
    """``path`` opened for reading if it is a regular file (within the size limit if ``limit``), else _Unreadable.

    The kind is checked before opening, so a FIFO or a device is never opened, and again on the open
    descriptor (O_NONBLOCK: a FIFO swapped in between cannot hang the open), so it is never read either.
    """
    _check_regular(os.stat(path), limit)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        _check_regular(os.fstat(fd), limit)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _check_regular(info: os.stat_result, limit: bool) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _FILE_KINDS if test(info.st_mode)), "not a regular file")
        raise _Unreadable(f"not a regular file ({kind}): skipped, not read")
    if limit and info.st_size > MAX_FILE_BYTES:
        raise _Unreadable(f"too large ({info.st_size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB)")


def _plain(text: str, source: str, warnings: list[str]) -> RawDocument:
    if not text.strip():
        raise _Unreadable("empty file")
    return RawDocument(text=text, source=source, warnings=warnings)


def _from_html(html: str, source: str, warnings: list[str]) -> RawDocument:
    """The article in an HTML page, as trafilatura extracts it, with its title, date, site name and url."""
    import trafilatura  # imported here: slow to import, and only HTML needs it

    # extensive_search off: a date found only in the body is a date in the story, not the page's date.
    options: dict[str, Any] = {"with_metadata": True, "include_comments": False,
                               "date_extraction_params": {"extensive_search": False, "original_date": True}}
    found = trafilatura.bare_extraction(html, **options)
    if found is None and (depth := _nesting(html)) > _HTML_DEPTH:
        # libxml2 stops at 256 levels unless told the tree is huge; past its hard limit nothing reads it.
        import lxml.html

        tree = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
        found = trafilatura.bare_extraction(tree, **options)
        if found is None:
            raise _Unreadable(f"HTML nested {depth} levels deep: too deep for the HTML parser, no text read")
    meta: dict[str, Any] = found if isinstance(found, dict) else found.as_dict() if found is not None else {}
    text = normalise_newlines(meta.get("text") or "")
    if not text.strip():
        raise _Unreadable("no article text found in the HTML")
    return RawDocument(text=text, source=source, title=_clean(meta.get("title")), url=_clean(meta.get("url")),
                       outlet=_clean(meta.get("sitename")), published=_clean(meta.get("date")), warnings=warnings)


def read_html(html: str, source: str) -> Item:
    """An HTML page fetched from elsewhere (the watcher's article pages), read as the .html reader reads a file."""
    try:
        return _from_html(_checked(html), source, [])
    except _Unreadable as exc:
        return SourceError(source, str(exc))


def _nesting(html: str) -> int:
    """How deep the page's elements nest (void elements and self-closed tags do not nest)."""
    depth = deepest = 0
    for m in _TAG.finditer(html):
        if m["close"]:
            depth = max(depth - 1, 0)
        elif not m["self"] and m["name"].lower() not in _VOID_TAGS:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _clean(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _read_feed(handle: BinaryIO, source: str) -> Iterator[Item]:
    """One article a line: {"text", "title"?, "url"?, "outlet"?, "published"?}; blank lines are skipped.

    Lines end in LF, CRLF or a lone CR, and each may start with a byte-order mark (feeds glued together).
    """
    seen = False
    for number, raw in _feed_lines(handle):
        if raw is not None:
            raw = raw.removeprefix(_BOM_BYTES)
            if not raw.strip():
                continue
        seen = True
        where = f"{source}:{number}"
        if raw is None:
            yield SourceError(where, f"line too large (over {MAX_FILE_BYTES / 1e6:.0f} MB)")
            continue
        try:
            line = raw.decode("utf-8").strip()
        except UnicodeDecodeError as exc:
            yield SourceError(where, f"undecodable bytes: not UTF-8 (byte 0x{raw[exc.start]:02x})")
            continue
        yield feed_entry(line, where)
    if not seen:
        yield SourceError(source, "empty file")


def _feed_lines(handle: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) for each line, read in bounded chunks; a line over the size limit is None, never held whole."""
    number, buffer, overlong = 0, b"", False
    while True:
        chunk = handle.read(_FEED_CHUNK)
        buffer += chunk
        start = 0
        for end in _LINE_END.finditer(buffer):
            if end.end() == len(buffer) and end[0] == b"\r" and chunk:
                break  # a CR at the chunk's end may be the first half of a CRLF
            number += 1
            yield number, None if overlong or end.start() - start > MAX_FILE_BYTES else buffer[start:end.start()]
            start, overlong = end.end(), False
        buffer = buffer[start:]
        if len(buffer) > MAX_FILE_BYTES:
            buffer, overlong = b"", True
        if not chunk:
            if buffer or overlong:
                yield number + 1, None if overlong else buffer
            return


def feed_entry(line: str, where: str) -> Item:
    """One JSONL line -> a raw document, or the one-line reason it is not one."""
    line = line.lstrip("\ufeff")
    try:
        entry = json.loads(line)
    except json.JSONDecodeError as exc:
        return SourceError(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
    except RecursionError:
        return SourceError(where, "not readable JSON: nested too deeply")
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
    if len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        return SourceError(where, '"text" is not text (mostly control characters)')
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
    if isinstance(chunk, str):
        try:  # undecodable bytes come back as they were read
            data = chunk.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a lone surrogate that was never a byte
            data = valid_unicode(chunk).encode("utf-8")
    else:
        data = chunk
    if len(data) > MAX_FILE_BYTES:
        raise _Unreadable(f"too large (over {MAX_FILE_BYTES / 1e6:.0f} MB)")
    return data


def _is_feed_line(line: str) -> bool:
    stripped = line.strip().lstrip("\ufeff")
    if not stripped.startswith("{"):
        return False
    try:
        entry = json.loads(stripped)
    except (json.JSONDecodeError, RecursionError):
        return False
    return isinstance(entry, dict) and "text" in entry
