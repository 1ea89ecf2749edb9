"""Hostile input, each kind ingested through the real CLI beside one good article.

Every row is one kind of bad (or merely odd) input put beside ``good.txt``. Whatever it is, the
ingest ends without a traceback, with exit status 1 and exactly one ``failed:`` line naming the
bad item (or 0 and no failure where the input is legitimately fine: a long report, a page in
Turkish, a date at the calendar's end), the good article is stored, the database passes
``PRAGMA integrity_check`` and every dashboard page answers 200.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactwatch import extract_text, nlp
from pactwatch.cli import app
from pactwatch.documents import document_id, language, language_name
from pactwatch.sources import MAX_FILE_BYTES
from pactwatch.store import open_store
from pactwatch.web.app import create_app

GOOD = ("Estonia and Finland agreed on Tuesday to build a second power cable under the Gulf of Finland, "
        "the Estonian Economy Minister said in Tallinn.\n\nThe two governments pledged to finish the cable "
        "by the end of the year. Trade between the two countries reached $4.2 billion in 2024.\n")
PLEDGE = ("Latvia and Lithuania signed a rail agreement in Riga on Monday. Latvia pledged to open the new "
          "border crossing by the end of the year, the Latvian Transport Minister said.\n")
TURKISH = ("Japonya ile Brezilya arasında yeni bir ticaret anlaşması imzalandı. Bakanlar, iki ülke arasındaki "
           "ticaretin önümüzdeki yıl yüzde on artacağını söyledi. Anlaşma, tarım ürünleri ve otomobil "
           "parçalarında gümrük vergilerini düşürüyor.\n")
URDU = ("جاپان اور برازیل کے درمیان ایک نیا تجارتی معاہدہ طے پا گیا ہے۔ وزرا نے کہا کہ دونوں ملکوں کے درمیان "
        "تجارت اگلے سال دس فیصد بڑھ جائے گی۔ معاہدہ زرعی مصنوعات پر محصولات کم کرتا ہے۔\n")
PAGES = ("/", "/documents", "/actors", "/commitments", "/claims", "/timeline", "/search?q=cable", "/corrections",
         "/api/overview", "/api/documents", "/api/actors", "/api/commitments", "/api/claims", "/api/timeline",
         "/api/search?q=cable")

runner = CliRunner()


@dataclass
class Case:
    """One hostile input: ``make`` writes it into the folder beside good.txt and returns extra arguments."""

    make: Callable[[Path], list[str]]
    item: str  # what the one failure line (or the one warning line) must name
    exit: int = 1
    stdin: bytes | None = None
    options: list[str] = field(default_factory=list)
    warning: bool = False  # exit 0 with exactly one warning line naming ``item`` (a notice)
    root_can_read: bool = True  # False: permissions mean nothing to root, so the row is skipped there


def write(name: str, data: bytes | str) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        path = folder / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        return []
    return make


def feed(*entries: object, raw: bytes | None = None, name: str = "feed.jsonl") -> Callable[[Path], list[str]]:
    data = raw if raw is not None else b"".join(json.dumps(e).encode() + b"\n" for e in entries)
    return write(name, data)


def link(name: str, target: str) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        (folder / name).symlink_to(target)
        return []
    return make


def fifo(folder: Path) -> list[str]:
    os.mkfifo(folder / "a.txt")
    return []


def unix_socket(folder: Path) -> list[str]:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.txt"))
    sock.close()  # the socket file stays
    return []


def sparse(name: str, size: int) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        with open(folder / name, "wb") as handle:
            handle.truncate(size)
        return []
    return make


def unreadable_file(folder: Path) -> list[str]:
    path = folder / "locked.txt"
    path.write_text(PLEDGE)
    path.chmod(0)
    return []


def unreadable_folder(folder: Path) -> list[str]:
    locked = folder / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(PLEDGE)
    locked.chmod(0)
    return []


def explicit(path: str) -> Callable[[Path], list[str]]:
    return lambda folder: [path]


def stdin_only(folder: Path) -> list[str]:
    return ["-"]


def undecodable_name(folder: Path) -> list[str]:
    (Path(os.fsdecode(bytes(folder) + b"/bad\xff.txt"))).write_text(PLEDGE)
    return []


def nested_html(depth: int) -> str:
    body = "<p>" + PLEDGE * 2 + "</p>"
    return f"<html><head><title>Rail pact</title></head><body>{'<div>' * depth}{body}{'</div>' * depth}</body></html>"


REPORT_PARAGRAPHS = [
    "Norway and Sweden agreed on Monday to share radar data along their border, the Norwegian Defence Minister "
    "said in Oslo.",
    "Canada pledged to double its grain exports to Mexico by 2027, the Canadian Trade Minister told reporters.",
    "Trade between Chile and Peru reached $3.1 billion last year, up 12 percent on the year before.",
    "The Japanese Prime Minister met the South Korean President in Seoul on Friday to discuss fisheries.",
]


def long_report(paragraphs: int) -> str:
    """A report of many paragraphs, each saying something; long enough to be parsed in several pieces."""
    return "\n\n".join(f"Section {n}. {REPORT_PARAGRAPHS[n % 4]}" for n in range(paragraphs)) + "\n"


CASES: dict[str, Case] = {
    # --- files that are no articles
    "empty file": Case(write("empty.txt", b""), "empty.txt"),
    "blank file": Case(write("blank.txt", " \n\t\n"), "blank.txt"),
    "binary with NUL": Case(write("bin.txt", bytes(range(256)) * 8), "bin.txt"),
    "NUL inside text": Case(write("nul.txt", PLEDGE.encode() + b"\x00" + PLEDGE.encode()), "nul.txt"),
    "executable": Case(write("prog.txt", b"\x7fELF\x02\x01\x01" + bytes(200)), "prog.txt"),
    "control characters": Case(write("ctl.txt", "\x01\x02\x03\x04 word " * 50), "ctl.txt"),
    "too large (sparse)": Case(sparse("big.txt", MAX_FILE_BYTES + 1), "big.txt"),
    "unsupported extension": Case(write("notes.foo", PLEDGE), "notes.foo"),
    "no extension": Case(write("README", PLEDGE), "README"),
    "not an article (.pdf, skipped)": Case(write("scan.pdf", b"%PDF-1.4"), "", exit=0),
    "hidden file (skipped)": Case(write(".draft.txt", b"\x00\x01"), "", exit=0),
    # --- things that are not regular files
    "FIFO named .txt": Case(fifo, "a.txt"),
    "socket named .txt": Case(unix_socket, "sock.txt"),
    "symlink to /dev/zero": Case(link("zero.txt", "/dev/zero"), "zero.txt"),
    "symlink to /dev/urandom": Case(link("random.txt", "/dev/urandom"), "random.txt"),
    "dangling symlink": Case(link("gone.txt", "nowhere.txt"), "gone.txt"),
    "symlink loop": Case(link("loop.txt", "loop.txt"), "loop.txt"),
    "symlink to a folder (not followed)": Case(link("elsewhere", "/proc/self"), "", exit=0),
    "unreadable file": Case(unreadable_file, "locked.txt", root_can_read=False),
    "unreadable folder": Case(unreadable_folder, "locked", root_can_read=False),
    "explicit missing path": Case(explicit("/nonexistent/story.txt"), "/nonexistent/story.txt"),
    "explicit /dev/zero": Case(explicit("/dev/zero"), "/dev/zero"),
    "explicit /dev/urandom": Case(explicit("/dev/urandom"), "/dev/urandom"),
    "undecodable file name": Case(undecodable_name, "", exit=0),
    # --- encodings
    "UTF-16 without a BOM": Case(write("u16.txt", PLEDGE.encode("utf-16-le")), "u16.txt"),
    "UTF-16 BOM, odd length": Case(write("odd.txt", b"\xff\xfe" + PLEDGE.encode("utf-16-le") + b"x"), "odd.txt"),
    "Cyrillic in Windows-1251": Case(write("ru.txt", ("Россия и Казахстан подписали соглашение. " * 5
                                                       ).encode("cp1251")), "ru.txt"),
    "Latin-1 English (warned, read)": Case(write("latin.txt", PLEDGE.replace("Riga", "Rīga").replace(
        "Latvian", "Latvian café").encode("latin-1", "replace")), "latin.txt", exit=0, warning=True),
    "UTF-8 BOM": Case(write("bom.txt", b"\xef\xbb\xbf" + PLEDGE.encode()), "", exit=0),
    "lone CR line ends": Case(write("cr.txt", PLEDGE.replace("\n", "\r") * 2), "", exit=0),
    "mixed line ends": Case(write("mixed.txt", "Rail pact\r\n\r" + PLEDGE + "\n\r\n"), "", exit=0),
    "bidi and zero-width characters": Case(write("bidi.txt", "\u202e\u200b" + PLEDGE), "", exit=0),
    # --- HTML
    "HTML nested 10,000 levels": Case(write("deep.html", nested_html(10_000)), "deep.html"),
    "HTML nested 300 levels (read)": Case(write("deep300.html", nested_html(300)), "", exit=0),
    "HTML with only scripts": Case(write("js.html", "<html><script>alert(1)</script></html>"), "js.html"),
    "HTML unclosed tags": Case(write("broken.html", "<html><body><p>" + PLEDGE + "<div><span>"), "", exit=0),
    "HTML javascript: canonical url": Case(write("canon.html", '<html><head><link rel="canonical" '
                                                  'href="javascript:alert(1)"></head><body><article><p>' + PLEDGE
                                                  + "</p></article></body></html>"), "", exit=0),
    # --- JSONL lines
    "JSONL not JSON": Case(feed(raw=b"{not json\n"), "feed.jsonl:1"),
    "JSONL a list": Case(feed(["text"]), "feed.jsonl:1"),
    "JSONL no text": Case(feed({"title": "Rail pact"}), "feed.jsonl:1"),
    "JSONL text a number": Case(feed({"text": 7}), "feed.jsonl:1"),
    "JSONL empty text": Case(feed({"text": "  "}), "feed.jsonl:1"),
    "JSONL control-character text": Case(feed({"text": "\u0001\u0002\u0003\u0004" * 20}), "feed.jsonl:1"),
    "JSONL nested 100,000 deep": Case(feed(raw=b"[" * 100_000 + b"]" * 100_000 + b"\n"), "feed.jsonl:1"),
    "JSONL nested field": Case(feed(raw=b'{"text": "x", "extra": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"),
                               "feed.jsonl:1"),
    "JSONL line too large": Case(feed(raw=b'{"text": "' + b"a" * (MAX_FILE_BYTES + 10) + b'"}\n'),
                                 "feed.jsonl:1"),
    "JSONL invalid UTF-8": Case(feed(raw=b'{"text": "caf\xe9 ' + PLEDGE.strip().encode() + b'"}\n'),
                                "feed.jsonl:1"),
    "JSONL empty file": Case(feed(raw=b""), "feed.jsonl"),
    "JSONL BOM on every line": Case(feed(raw=b"".join(b"\xef\xbb\xbf" + json.dumps({"text": t}).encode() + b"\n"
                                                      for t in (PLEDGE, TURKISH + PLEDGE))), "", exit=0),
    "JSONL lone CR line ends": Case(feed(raw=b"\r".join(json.dumps({"text": t}).encode()
                                                        for t in (PLEDGE, PLEDGE + "More."))), "", exit=0),
    "JSONL CRLF line ends": Case(feed(raw=json.dumps({"text": PLEDGE}).encode() + b"\r\n\r\n"), "", exit=0),
    "JSONL bad line between good ones": Case(feed(raw=json.dumps({"text": PLEDGE}).encode() + b"\n{oops\n"
                                                  + json.dumps({"text": PLEDGE + "Later."}).encode() + b"\n"),
                                             "feed.jsonl:2"),
    # --- Unicode that cannot be stored as it is
    "surrogate in text": Case(feed(raw=b'{"text": "' + json.dumps(PLEDGE)[1:-1].encode() + b' \\ud800"}\n'),
                              "", exit=0),
    "surrogate in title": Case(feed({"text": PLEDGE, "title": "Rail \ud800 pact"}), "", exit=0),
    "surrogate in outlet": Case(feed({"text": PLEDGE, "outlet": "Baltic \udfff Wire"}), "", exit=0),
    "surrogate in url": Case(feed({"text": PLEDGE, "url": "https://wire.example/\ud800"}), "", exit=0),
    "surrogate in published": Case(feed({"text": PLEDGE, "published": "2025-03-0\ud800"}), "feed.jsonl:1"),
    "surrogate pair escaped": Case(feed({"text": PLEDGE + " \U0001F680"}), "", exit=0),
    # --- metadata
    "javascript: url": Case(feed({"text": PLEDGE, "url": "javascript:alert(1)"}), "", exit=0),
    "mixed-case javascript: url with tab": Case(feed({"text": PLEDGE, "url": " JaVa\tScRiPt:alert(1)",
                                                      "title": "<script>alert(1)</script>",
                                                      "outlet": "<img src=x onerror=alert(1)>"}), "", exit=0),
    "title not a string (warned)": Case(feed({"text": PLEDGE, "title": ["a"]}), "feed.jsonl:1", exit=0,
                                        warning=True),
    "published 0001-01-01": Case(feed({"text": PLEDGE, "published": "0001-01-01"}), "", exit=0),
    "published 9999-12-31": Case(feed({"text": PLEDGE, "published": "9999-12-31"}), "", exit=0),
    "published 2025-02-30": Case(feed({"text": PLEDGE, "published": "2025-02-30"}), "feed.jsonl:1"),
    "published 20-digit year": Case(feed({"text": PLEDGE, "published": 10**20}), "feed.jsonl:1"),
    "published infinity (warned)": Case(feed(raw=b'{"text": "' + json.dumps(PLEDGE)[1:-1].encode()
                                             + b'", "published": 1e999}\n'), "feed.jsonl:1", exit=0, warning=True),
    "--published 9999-12-31": Case(write("pledge.txt", PLEDGE), "", exit=0, options=["--published", "9999-12-31"]),
    "--published 0001-01-01": Case(write("pledge.txt", PLEDGE), "", exit=0, options=["--published", "0001-01-01"]),
    # --- text that is hard to parse
    "bracket inside a name": Case(write("cbk.txt", "The Central Bank of Ghana(BoG) raised rates on Monday.\n"),
                                  "", exit=0),
    "repetition ('Go. ' x 1,000)": Case(write("go.txt", "Go. " * 1_000), "", exit=0),
    "1,000 open brackets": Case(write("brackets.txt", "(" * 1_000 + PLEDGE), "", exit=0),
    "one 120,000-character word": Case(write("word.txt", PLEDGE + "a" * 120_000), "", exit=0),
    "long report, parsed in pieces": Case(write("report.txt", long_report(80)), "", exit=0),
    "duplicate of the good article": Case(write("copy.txt", GOOD), "", exit=0),
    # --- not English: stored with its language, no records, one notice
    "Turkish page": Case(write("haber.txt", TURKISH), "haber.txt", exit=0, warning=True),
    "Urdu page": Case(write("khabar.txt", URDU), "khabar.txt", exit=0, warning=True),
    # --- stdin
    "stdin empty": Case(stdin_only, "<stdin>", stdin=b""),
    "stdin binary": Case(stdin_only, "<stdin>", stdin=bytes(range(256))),
    "stdin surrogate escape in JSONL": Case(stdin_only, "", exit=0,
                                            stdin=b'{"text": "' + json.dumps(PLEDGE)[1:-1].encode() + b'\\udc80"}'),
    "stdin NUL bytes": Case(stdin_only, "<stdin>", stdin=PLEDGE.encode() + b"\x00\x00"),
    "stdin too large": Case(stdin_only, "<stdin>", stdin=b"a " * (MAX_FILE_BYTES // 2 + 1)),
    "stdin Urdu": Case(stdin_only, "<stdin>", exit=0, warning=True, stdin=URDU.encode()),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_stays_inside_its_item(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    if not case.root_can_read and os.geteuid() == 0:
        pytest.skip("permissions do not stop root")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    extra = case.make(folder)
    db = tmp_path / "h.db"
    try:
        result = runner.invoke(app, ["ingest", str(folder), *extra, *case.options, "--db", str(db)],
                               input=case.stdin)
    finally:
        for path in tmp_path.rglob("*"):  # let pytest clean up what a row locked
            if not path.is_symlink():
                path.chmod(0o700)
    output = result.stdout + result.stderr
    assert "Traceback" not in output and (result.exception is None or isinstance(result.exception, SystemExit)), \
        output
    assert result.exit_code == case.exit, output
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    warned = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    if case.exit:
        assert len(failed) == 1 and case.item in failed[0], output
    else:
        assert not failed, output
    if case.warning:
        assert len(warned) == 1 and case.item in warned[0], output

    with open_store(db) as store:
        ids = {d.id for d in store.documents()}
    assert document_id(GOOD) in ids
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    client = TestClient(create_app(db))
    for page in [*PAGES, *(f"/documents/{doc}" for doc in ids)]:
        assert client.get(page).status_code == 200, page


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 60


def test_a_text_past_spacys_max_length_is_cut_into_pieces_that_join_back() -> None:
    text = long_report(12_000)  # 1.4 million characters
    assert len(text) > nlp.load().max_length
    pieces = nlp.split_text(text)
    assert "".join(pieces) == text and max(map(len, pieces)) <= nlp.PIECE_CHARS
    assert all(piece.endswith("\n\n") for piece in pieces[:-1])  # cut between paragraphs, never inside one


def test_a_text_parsed_in_pieces_keeps_its_records_and_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    text = long_report(8)
    whole = extract_text(text, "2025-03-01")
    monkeypatch.setattr(nlp, "PIECE_CHARS", 300)
    assert len(nlp.split_text(text)) > 3
    pieced = extract_text(text, "2025-03-01")
    records = [*pieced.actors, *pieced.events, *pieced.commitments, *pieced.claims]
    assert records and all(m.quote == text[m.start:m.end] for r in records for m in r.mentions)
    for kind in ("actors", "events", "commitments", "claims"):
        assert sorted(str(r.mentions) for r in getattr(pieced, kind)) == \
            sorted(str(r.mentions) for r in getattr(whole, kind)), kind


def test_english_stays_english_and_other_languages_are_told_apart() -> None:
    from conftest import SEEDS, SHARED

    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEEDS.iterdir()) if p.is_file()]
    dev = SHARED / "corpus" / "dev" / "feed.jsonl"
    if dev.is_file():
        texts += [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    short = ["Go.", "OK", "Modi met Sharif.", "The Central Bank of Ghana(BoG) raised rates", GOOD, PLEDGE,
             "Nigerian President Ade Bello and Ghanaian Vice President Ama Owusu today co-chaired the 3rd session "
             "of the joint commission in Abuja."]
    assert {language(t) for t in texts + short} == {"en"}
    assert (language(TURKISH), language(URDU)) == ("tr", "ur")
    assert language_name("tr") == "Turkish (tr)"


def test_plain_english_is_told_without_the_identifier() -> None:
    from pactwatch import documents

    documents._identifier.cache_clear()
    prose = ("The foreign ministers of Chile and Peru said on Monday that the two countries will open a new "
             "border crossing, which has been planned for years, and that their trade has grown.") * 3
    assert documents.language(prose) == "en"
    assert documents._identifier.cache_info().currsize == 0  # its model was never loaded
    assert documents.language(TURKISH) == "tr"
    assert documents._identifier.cache_info().currsize == 1
