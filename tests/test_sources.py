"""Readers: every supported kind is read, and every kind of bad input is one SourceError that stops nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pactwatch.sources import MAX_FILE_BYTES, RawDocument, SourceError, decode, read_sources

DATA = Path(__file__).resolve().parent / "data"
GOOD = "Peru and Bolivia agreed on Monday to share data on river levels along their border.\n"


def read(*paths: str | Path, stdin: io.IOBase | None = None) -> list[RawDocument | SourceError]:
    return list(read_sources([str(p) for p in paths], stdin=stdin))  # type: ignore[arg-type]


def test_folder_walk_is_recursive_sorted_and_skips_hidden_files_and_non_articles() -> None:
    sources = [item.source for item in read(DATA / "folder")]
    assert sources == [
        str(DATA / "folder/a_article.txt"),
        str(DATA / "folder/b_notes.md"),
        "https://coastwire.example/ghana-togo-patrols",
        str(DATA / "folder/d_feed.jsonl:3"),
        str(DATA / "folder/nested/c_page.html"),
    ]


@pytest.mark.parametrize(("name", "starts", "title", "url", "outlet", "published", "warned"), [
    ("folder/a_article.txt", "Kenya and Uganda agree", None, None, None, None, False),
    ("folder/b_notes.md", "# Chile and Peru reopen", None, None, None, None, False),
    ("folder/nested/c_page.html", "Norway and Iceland sign fisheries pact\nNorway and Iceland signed",
     "Norway and Iceland sign fisheries pact", "https://ledger.example/norway-iceland-fisheries",
     "Northern Ledger", "2023-09-18", False),
    ("crlf.txt", "Mali and Senegal sign road deal\n\nDAKAR", None, None, None, None, False),
    ("utf16.txt", "Poland and Lithuania open", None, None, None, None, False),
    ("utf8bom.txt", "Japan and Korea resume", None, None, None, None, False),
    ("latin1.txt", "Brazil and Chile sign", None, None, None, None, True),
])
def test_file_readers(name: str, starts: str, title: str | None, url: str | None, outlet: str | None,
                      published: str | None, warned: bool) -> None:
    [item] = read(DATA / name)
    assert isinstance(item, RawDocument), item
    assert item.text.startswith(starts)
    assert "\r" not in item.text and "\ufeff" not in item.text
    assert (item.title, item.url, item.outlet, item.published) == (title, url, outlet, published)
    assert bool(item.warnings) == warned


def test_html_date_is_never_guessed_from_the_story(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Chile and Peru reopen crossing</title></head><body><article>"
                    "<p>Chile and Peru reopened the crossing on 3 March 2021 after a long closure, officials said "
                    "in a statement issued in Santiago.</p><p>Customs chiefs of both countries will meet again "
                    "next year in Lima to review cargo checks at the crossing.</p></article></body></html>")
    [item] = read(page)
    assert isinstance(item, RawDocument) and item.published is None and "3 March 2021" in item.text


def test_windows_1252_fallback_keeps_the_pound_sign_and_says_so() -> None:
    [item] = read(DATA / "latin1.txt")
    assert isinstance(item, RawDocument)
    assert "£400m" in item.text and "€460m" in item.text
    assert item.warnings == ["not valid UTF-8 (byte 0xa3 at offset 55); read as Windows-1252"]


@pytest.mark.parametrize(("name", "data", "message"), [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\t\r\n  ", "empty file"),
    ("blank16.txt", " \n \n".encode("utf-16"), "empty file"),
    ("nul.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (contains NUL bytes)"),
    ("controls.txt", bytes(range(1, 9)) * 50 + b"text", "binary file (mostly not text)"),
    ("controls_latin.txt", bytes(range(1, 9)) * 50 + b"\xa3", "binary file (mostly not text)"),
    ("undefined.txt", b"Kenya \x81\x8d signed", "undecodable bytes: neither UTF-8 nor Windows-1252"),
    ("cyrillic.txt", "Россия и Китай подписали соглашение".encode("koi8-r"), "not plausible as Windows-1252"),
    ("broken16.txt", b"\xff\xfeK\x00\x00\xd8", "undecodable bytes: not valid UTF-16"),
    ("report.pdf", b"%PDF-1.4 Kenya and Uganda", "unsupported file type .pdf"),
    ("LICENSE", b"Permission is hereby granted", "unsupported file type (no extension)"),
    ("empty.html", b"<html><head><title>Kenya</title></head><body><script>x=1</script></body></html>",
     "no article text found in the HTML"),
    ("empty.jsonl", b"\n\n", "empty file"),
])
def test_bad_file_is_one_line_and_the_batch_goes_on(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    bad, good = tmp_path / name, tmp_path / "good.txt"
    bad.write_bytes(data)
    good.write_text(GOOD)
    items = read(bad, good)
    assert len(items) == 2
    error, ok = items
    assert isinstance(error, SourceError) and error.source == str(bad)
    assert message in error.message and "\n" not in error.message
    assert isinstance(ok, RawDocument) and ok.text == GOOD


def test_oversized_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: the size is refused before anything is read
    [error] = read(big)
    assert isinstance(error, SourceError) and error.message.startswith("too large")


@pytest.mark.parametrize(("path", "message"), [
    ("does/not/exist.txt", "no such file or folder"),
    ("/dev/null", "not a regular file (a character device): skipped, not read"),
])
def test_missing_or_odd_path(path: str, message: str) -> None:
    assert read(path) == [SourceError(path, message)]


def test_folder_without_articles(tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    (tmp_path / ".notes.txt").write_text(GOOD)
    assert read(tmp_path) == [SourceError(str(tmp_path), "folder holds no .txt, .md, .html or .jsonl files")]


def test_unknown_extension_in_a_folder_is_reported_but_known_non_articles_are_not(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.rst").write_text(GOOD)
    (tmp_path / "c.json").write_text("{}")
    items = read(tmp_path)
    assert [type(i).__name__ for i in items] == ["RawDocument", "SourceError"]
    assert items[1].source.endswith("b.rst")


@pytest.mark.parametrize(("line", "message"), [
    ('{"text": "Kenya and Uganda met."', "not valid JSON (Expecting ',' delimiter at column 33)"),
    ("Kenya and Uganda met.", "not valid JSON (Expecting value at column 1)"),
    ('["Kenya and Uganda met."]', "not a JSON object (got a list)"),
    ('{"title": "Kenya and Uganda meet"}', 'no "text" field'),
    ('{"text": 42}', '"text" is not a string (got a number)'),
    ('{"text": null}', '"text" is not a string (got null)'),
    ('{"text": "  \\n "}', 'empty "text"'),
])
def test_bad_feed_line_is_reported_with_its_line_number(tmp_path: Path, line: str, message: str) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(f'{{"text": "{GOOD.strip()}"}}\n\n{line}\n{{"text": "Laos and Thailand met."}}\n')
    first, error, last = read(feed)
    assert error == SourceError(f"{feed}:3", message)
    assert isinstance(first, RawDocument) and first.source == f"{feed}:1"
    assert isinstance(last, RawDocument) and last.text == "Laos and Thailand met."


def test_feed_entry_fields_and_line_endings(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b'\xef\xbb\xbf{"text": "Fiji and Tonga\\r\\nsigned a pact.", "published": 2021, '
                     b'"outlet": ["x"], "title": "unknown", "url": "https://pacific.example/a"}\n'
                     b'{"text": "Undecodable \xff line"}\n'
                     b'{"text": "Samoa and Fiji met.", "published": ["2021-05-01", "2021-05-07"]}\n')
    item, error, ranged = read(feed)
    assert isinstance(item, RawDocument)
    assert (item.text, item.published, item.outlet, item.title, item.source) == (
        "Fiji and Tonga\nsigned a pact.", "2021", None, None, "https://pacific.example/a")
    assert item.warnings == ['"outlet" ignored: not a string (got a list)']
    assert error == SourceError(f"{feed}:2", "undecodable bytes: not UTF-8 (byte 0xff)")
    assert isinstance(ranged, RawDocument) and ranged.published == "2021-05-01..2021-05-07"


@pytest.mark.parametrize(("stream", "expected"), [
    (io.StringIO("Nepal and Bhutan signed a trade pact.\r\nIt takes effect in May.\n"),
     [("<stdin>", "Nepal and Bhutan signed a trade pact.\nIt takes effect in May.\n")]),
    (io.StringIO('{"text": "Oman and Yemen met."}\n\n{"text": "Qatar and Kuwait met.", "url": "https://g.example/q"}\n'),
     [("<stdin>:1", "Oman and Yemen met."), ("https://g.example/q", "Qatar and Kuwait met.")]),
    (io.StringIO('{"text": "Oman and Yemen met."}\nA plain line after a JSON one.\n'),
     [("<stdin>", '{"text": "Oman and Yemen met."}\nA plain line after a JSON one.\n')]),
    (io.StringIO('{"title": "no text here"}\n'), [("<stdin>", '{"title": "no text here"}\n')]),
    (io.BytesIO(b"Chad and Niger agreed a \x80 5m fund."), [("<stdin>", "Chad and Niger agreed a € 5m fund.")]),
])
def test_stdin(stream: io.IOBase, expected: list[tuple[str, str]]) -> None:
    items = read("-", stdin=stream)
    assert [(i.source, i.text) for i in items if isinstance(i, RawDocument)] == expected


@pytest.mark.parametrize(("stream", "message"), [
    (io.StringIO(""), "empty input"),
    (io.StringIO(" \n\n "), "empty input"),
    (io.BytesIO(b"\x00\x01\x02binary"), "binary file (contains NUL bytes)"),
])
def test_bad_stdin(stream: io.IOBase, message: str) -> None:
    assert read("-", stdin=stream) == [SourceError("<stdin>", message)]


@pytest.mark.parametrize(("data", "text"), [
    (b"a\r\nb\rc\n", "a\nb\nc\n"),
    ("Türkiye".encode("utf-8-sig"), "Türkiye"),
    ("Türkiye\r\n".encode("utf-16-be"), None),  # no byte-order mark: NUL bytes, so binary
    (b"\xfe\xff" + "Türkiye\r\n".encode("utf-16-be"), "Türkiye\n"),
    ("Türkiye".encode("utf-32"), "Türkiye"),
])
def test_decode(data: bytes, text: str | None) -> None:
    if text is None:
        with pytest.raises(Exception, match="binary"):
            decode(data)
    else:
        assert decode(data) == (text, [])
