"""The dashboard's response cache (web/pagecache.py): pages kept per data version, for anonymous readers only.

Each test checks what a reader is served after something changed: a correction,
a newly saved article, a sign-in. Pages are the real ones over the hand-made
Kenya–Tanzania / Chile–Peru record of tests/webcorpus.py, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactwatch.cli import app as cli
from pactwatch.models import Corpus, Document, Event, Extraction, Mention
from pactwatch.store import open_store
from pactwatch.store import review as review_store
from pactwatch.web import views
from pactwatch.web.app import create_app
from pactwatch.web.pagecache import ResponseCache
from webcorpus import _day, build_store, corpus

AUTHOR = "ana"
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
REVIEW_FORM = 'action="/records/commitment/com-post/review"'


@pytest.fixture
def db(db_url: str) -> str:
    path = build_store(db_url)
    result = CliRunner().invoke(cli, ["user", "add", AUTHOR, "--password-stdin", "--db", str(path)],
                                input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    return path


def sign_in(client: TestClient) -> None:
    token = CSRF.search(client.get("/login").text)
    assert token
    response = client.post("/login", data={"name": AUTHOR, "password": PASSWORD, "csrf": token[1], "next": "/"},
                           follow_redirects=False)
    assert response.status_code == 303


def test_a_page_is_served_again_with_its_etag_and_a_conditional_get_is_answered_304(db: str) -> None:
    reader = TestClient(create_app(db))
    first = reader.get("/commitments")
    again = reader.get("/commitments")
    assert first.status_code == again.status_code == 200 and first.text == again.text
    etag = first.headers["etag"]
    assert again.headers["etag"] == etag and first.headers["cache-control"] == "no-cache"
    unchanged = reader.get("/commitments", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["etag"] == etag
    # A cache hit and a 304 are timed too, and carry the security headers like every other answer.
    assert re.fullmatch(r"app;dur=[0-9.]+", unchanged.headers["server-timing"])
    assert "content-security-policy" in unchanged.headers and "server-timing" in again.headers
    other = reader.get("/commitments?sort=due", headers={"If-None-Match": etag})  # another view, another body
    assert other.status_code == 200 and other.headers["etag"] != etag
    assert "set-cookie" not in first.headers  # a page without a form gives its reader no session


def test_a_correction_changes_what_every_reader_is_served(db: str) -> None:
    reader = TestClient(create_app(db))
    before = reader.get("/api/records/commitment/com-post")
    assert before.json()["record"]["status"] == "missed"
    etag = before.headers["etag"]
    with open_store(db) as store:  # another process (the CLI, another worker) corrects the record
        review_store.add_correction(store, "commitment", "com-post", "correct", AUTHOR, field="status",
                                    old="missed", new="met")
    after = reader.get("/api/records/commitment/com-post", headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.json()["record"]["status"] == "met"
    assert after.headers["etag"] != etag


def test_a_saved_article_and_its_record_are_served_at_once(db: str) -> None:
    reader = TestClient(create_app(db))
    assert reader.get("/api/documents").json()["table"]["total"] == 3
    assert reader.get("/api/timeline?type=AID").json()["events"] == []
    text = "Norway sent two field hospitals to Finland on Friday after the floods."
    document = Document(id="doc-no-1", text=text, source="doc-no-1.txt", title="Norway sends field hospitals",
                        outlet="Fjord Post", published=_day("2025-10-03"), published_source="given")
    record: Corpus = corpus()
    record.documents.append(document)
    record.events.append(Event("ev-aid", "AID", _day("2025-10-03"), ["FIN", "NOR"],
                               [Mention("doc-no-1", 0, 37, text[:37])], summary="Norway sent field hospitals."))
    with open_store(db) as store:
        store.add_document(document, Extraction(document.id))
        store.save_corpus(record)
    assert reader.get("/api/documents").json()["table"]["total"] == 4
    assert [e["id"] for e in reader.get("/api/timeline?type=AID").json()["events"]] == ["ev-aid"]


@pytest.mark.parametrize("analyst_first", [True, False])
def test_an_analysts_review_controls_are_never_served_to_a_reader(db: str, analyst_first: bool) -> None:
    app = create_app(db)
    analyst, reader = TestClient(app), TestClient(app)
    sign_in(analyst)
    order = [analyst, reader] if analyst_first else [reader, analyst]
    pages = {id(c): c.get("/records/commitment/com-post") for c in order}
    analysts_page, readers_page = pages[id(analyst)], pages[id(reader)]
    assert REVIEW_FORM in analysts_page.text and "Signed in as" in analysts_page.text
    assert REVIEW_FORM not in readers_page.text and "Signed in as" not in readers_page.text
    assert not CSRF.search(readers_page.text)
    assert "etag" not in analysts_page.headers  # an analyst's page is theirs: never kept
    # Asked for again, each still gets their own.
    assert REVIEW_FORM not in reader.get("/records/commitment/com-post").text
    assert REVIEW_FORM in analyst.get("/records/commitment/com-post").text


def test_a_page_naming_its_host_is_kept_per_host(db: str) -> None:
    app = create_app(db)
    for host in ("127.0.0.1:8000", "pactwatch.test", "127.0.0.1:8000"):
        feed = TestClient(app, base_url=f"http://{host}").get("/alerts.atom")
        assert feed.status_code == 200 and f'href="http://{host}/alerts.atom"' in feed.text


def test_the_sign_in_form_gives_each_reader_their_own_token(db: str) -> None:
    app = create_app(db)
    first, second = TestClient(app), TestClient(app)
    tokens = [CSRF.search(c.get("/login").text) for c in (first, second, first)]
    assert all(tokens)
    assert tokens[0][1] != tokens[1][1]  # type: ignore[index]
    assert tokens[0][1] == tokens[2][1]  # type: ignore[index]  # the session's own, kept across pages


def test_readers_arriving_together_after_a_change_wait_for_one_read(db: str) -> None:
    start = threading.Barrier(6)

    def reader() -> views.PageData:
        start.wait()
        return views.load(db, analysts=False)

    with ThreadPoolExecutor(6) as pool:
        loaded = list(pool.map(lambda _: reader(), range(6)))
    assert all(data is loaded[0] for data in loaded)


def test_a_change_token_is_never_repeated_by_a_later_watcher(tmp_path: Path) -> None:
    """A process serving more stores than it keeps watchers for closes one; the next watcher's tokens
    start afresh, yet a token seen before never names a later state of the data."""
    db = build_store(tmp_path / "kept.db")
    seen = views.data_version(db)
    for n in range(views.MAX_WATCHERS):  # serving other stores closes this one's watcher
        views.data_version(build_store(tmp_path / f"other{n}.db"))
    assert views.data_version(db) != seen


# -- the middleware on its own, over a small ASGI app that counts what it computes ---------------------------

class Counting:
    """An ASGI app answering each path with a body of ``size`` bytes after a pause; counts the calls."""

    def __init__(self, size: int = 10, status: int = 200) -> None:
        self.calls: dict[str, int] = {}
        self.size, self.status = size, status

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope["path"]
        self.calls[path] = self.calls.get(path, 0) + 1
        await asyncio.sleep(0.01)  # long enough for the other requests to arrive meanwhile
        await send({"type": "http.response.start", "status": self.status,
                    "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": path.encode().ljust(self.size, b".")})


async def ask(app: Any, path: str, headers: list[tuple[bytes, bytes]] | None = None) -> tuple[int, bytes]:
    scope = {"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": headers or [],
             "session": {}}
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def test_concurrent_requests_for_one_page_compute_it_once() -> None:
    inner = Counting()
    cache = ResponseCache(inner, version=lambda: "v1")

    async def twenty() -> list[tuple[int, bytes]]:
        return await asyncio.gather(*(ask(cache, "/a" if n % 2 else "/b") for n in range(20)))

    answers = asyncio.run(twenty())
    assert inner.calls == {"/a": 1, "/b": 1}
    assert {body.rstrip(b".") for _, body in answers} == {b"/a", b"/b"} and {s for s, _ in answers} == {200}


def test_an_error_is_never_kept_and_waiting_requests_compute_their_own() -> None:
    inner = Counting(status=503)
    cache = ResponseCache(inner, version=lambda: "v1")

    async def three() -> list[tuple[int, bytes]]:
        return await asyncio.gather(*(ask(cache, "/a") for _ in range(3)))

    assert [status for status, _ in asyncio.run(three())] == [503, 503, 503]
    assert inner.calls == {"/a": 3} and not cache.entries


def test_a_new_data_version_empties_the_cache_and_memory_stays_bounded() -> None:
    inner = Counting(size=1000)
    version = ["v1"]
    cache = ResponseCache(inner, version=lambda: version[0], max_bytes=2500)
    for path in ("/a", "/b", "/a", "/c", "/d"):
        asyncio.run(ask(cache, path))
    assert inner.calls == {"/a": 1, "/b": 1, "/c": 1, "/d": 1}
    assert cache.size <= 2500 and [k[4] for k in cache.entries] == ["/c", "/d"]  # least recently used out first
    version[0] = "v2"
    asyncio.run(ask(cache, "/d"))
    assert inner.calls["/d"] == 2 and [k[0] for k in cache.entries] == ["v2"]


def test_a_store_that_cannot_say_its_version_is_never_cached(tmp_path: Path) -> None:
    inner = Counting()
    cache = ResponseCache(inner, version=lambda: None)
    for _ in range(2):
        asyncio.run(ask(cache, "/a"))
    assert inner.calls == {"/a": 2}
