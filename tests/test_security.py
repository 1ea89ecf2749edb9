"""The dashboard's defences: security headers, link schemes, sign-in limits, sessions, names and bad numbers.

Everything runs against the real app over a store in tmp_path (tests/webcorpus.py). Passwords are
hashed with argon2-cffi's cheapest profile so that fifty failed sign-ins stay quick; the code path
(one Argon2 check per attempt) is the one the default parameters take.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from argon2 import PasswordHasher, profiles
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactwatch import review
from pactwatch.cli import app as cli
from pactwatch.documents import web_link
from pactwatch.export import write_json
from pactwatch.models import Document, Extraction
from pactwatch.store import open_store
from pactwatch.store import review as review_store
from pactwatch.web.app import create_app
from webcorpus import build_store

ANALYST, PASSWORD = "wilhelmina.qz", "a long and proper passphrase"
HEADERS = {"content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"}


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> PasswordHasher:
    hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    monkeypatch.setattr(review, "HASHER", hasher)
    return hasher


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = build_store(tmp_path / "security.db")
    with open_store(path) as store:
        review_store.add_account(store, ANALYST, review.hash_password(PASSWORD))
        review_store.add_account(store, "second.analyst", review.hash_password(PASSWORD))
    return path


@pytest.fixture
def app(db: Path) -> Any:
    return create_app(db)


def client(app: Any, address: str = "192.0.2.10", **kwargs: Any) -> TestClient:
    return TestClient(app, client=(address, 40000), follow_redirects=False, **kwargs)


def csrf(c: TestClient, path: str = "/login") -> str:
    tree = lxml.html.fromstring(c.get(path).text)
    return str(tree.xpath("//input[@name='csrf']/@value")[0])


def sign_in(c: TestClient, name: str = ANALYST, password: str = PASSWORD) -> Any:
    return c.post("/login", data={"name": name, "password": password, "csrf": csrf(c), "next": "/"})


def texts(html: str, xpath: str) -> list[str]:
    return [" ".join(el.text_content().split()) for el in lxml.html.fromstring(html).xpath(xpath)]


def assert_secure_headers(response: Any) -> None:
    missing = HEADERS - {k.lower() for k in response.headers}
    assert not missing, (response.request.method, response.request.url, missing)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] in ("same-origin", "strict-origin-when-cross-origin")
    csp = response.headers["content-security-policy"]
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'",
                      "form-action 'self'"):
        assert directive in csp
    assert "'unsafe-inline'" not in csp or response.request.url.path.startswith("/docs")


# -- headers ------------------------------------------------------------------------------------------------

PAGES = ["/", "/timeline", "/commitments", "/actors", "/claims", "/documents", "/documents/doc-ke-1",
         "/records/commitment/com-post", "/records/actor/act-jc", "/search?q=trade", "/login", "/corrections",
         "/api/overview", "/api/timeline", "/api/commitments", "/api/actors", "/api/claims", "/api/documents",
         "/api/documents/doc-ke-1", "/api/records/claim/clm-1-4", "/api/search?q=trade", "/api/corrections",
         "/openapi.json", "/docs", "/static/style.css", "/static/app.js"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_and_file_carries_the_headers(app: Any, path: str) -> None:
    response = client(app).get(path)
    assert response.status_code == 200, path
    assert_secure_headers(response)


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/no-such-page", 404),
    ("GET", "/api/no-such-page", 404),
    ("GET", "/records/actor/no-such-actor", 404),
    ("GET", "/api/records/actor/no-such-actor", 404),
    ("GET", "/static/no-such-file.js", 404),
    ("POST", "/logout", 422),  # no CSRF field at all
    ("POST", "/corrections/1/undo", 422),
    ("TRACE", "/", 405),
    ("DELETE", "/api/overview", 405),
])
def test_errors_carry_the_headers(app: Any, method: str, path: str, status: int) -> None:
    response = client(app).request(method, path)
    assert response.status_code == status
    assert_secure_headers(response)


def test_redirects_and_sign_in_answers_carry_the_headers(app: Any) -> None:
    c = client(app)
    assert_secure_headers(bad := sign_in(c, password="wrong"))
    assert bad.status_code == 401
    assert_secure_headers(good := sign_in(c))
    assert good.status_code == 303
    assert_secure_headers(c.post("/logout", data={"csrf": "forged"}))  # 403


def test_an_unexpected_failure_carries_the_headers(app: Any) -> None:
    def fail() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/test-only-failure", fail)
    response = client(app, raise_server_exceptions=False).get("/test-only-failure")
    assert response.status_code == 500
    assert "a bug" not in response.text
    assert_secure_headers(response)


def test_pages_hold_no_inline_script_or_handler(app: Any) -> None:
    c = client(app)
    sign_in(c)
    for path in PAGES:
        if path.startswith(("/api", "/openapi", "/static", "/docs")):
            continue
        tree = lxml.html.fromstring(c.get(path).text)
        assert all(s.get("src") for s in tree.iter("script")), path
        assert not tree.xpath("//@*[starts-with(name(), 'on')]"), path
        assert not tree.xpath("//@style") and not tree.xpath("//style"), path


# -- links --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "\x01javascript:alert(1)", "javascript\x00:alert(1)", "data:text/html,<script>x</script>",
    "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example/x", "/documents/x", "https:alert(1)",
    "http://", "http://[::1", "https://example.org/a b", "https://example.org/\u2028", "ftp://example.org/",
    "https://example.org/\"onmouseover=\"alert(1)", "",
])
def test_only_web_addresses_become_links(url: str) -> None:
    assert web_link(url) is None


@pytest.mark.parametrize("url", ["https://example.org/news/1?a=b&c=d#x", "http://example.org", "HTTPS://Example.ORG/"])
def test_web_addresses_stay_links(url: str) -> None:
    assert web_link(url) == url


@pytest.mark.parametrize(("url", "linked"), [
    ("https://www.example.org/ghana-nigeria", True),
    ("JaVaScRiPt:alert(document.cookie)", False),
    ("java\tscript:alert(1)", False),
    ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", False),
])
def test_the_article_page_links_only_web_addresses(tmp_path: Path, url: str, linked: bool) -> None:
    path = tmp_path / "links.db"
    text = "Ghana and Nigeria signed a customs agreement in Accra on Tuesday."
    with open_store(path) as store:
        store.add_document(Document(id="doc-gh", text=text, source="feed.jsonl", title="Customs deal", url=url),
                           Extraction("doc-gh"))
    tree = lxml.html.fromstring(client(create_app(path)).get("/documents/doc-gh").text)
    hrefs = tree.xpath("//main//a/@href")
    assert (url in hrefs) is linked
    assert not any(h.strip().lower().startswith(("javascript", "data", "java")) for h in hrefs)
    assert url.strip() in tree.text_content() or linked  # shown as text when it is no link


# -- sign-in limits and equal work --------------------------------------------------------------------------

def test_the_51st_wrong_password_in_a_minute_from_one_address_is_refused(app: Any) -> None:
    c = client(app, "198.51.100.7")
    token = csrf(c)
    for n in range(50):  # a different name each time, so only the address limit applies
        response = c.post("/login", data={"name": f"guess{n}", "password": "wrong", "csrf": token})
        assert response.status_code == 401, n
    refused = c.post("/login", data={"name": "guess50", "password": "wrong", "csrf": token})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert "Too many failed sign-ins" in refused.text
    assert_secure_headers(refused)
    # Refused whatever the password, so guessing cannot go on; another address is not affected.
    assert c.post("/login", data={"name": ANALYST, "password": PASSWORD, "csrf": token}).status_code == 429
    assert sign_in(client(app, "198.51.100.8")).status_code == 303


def test_an_account_is_limited_whatever_the_address(app: Any) -> None:
    for n in range(10):
        assert sign_in(client(app, f"203.0.113.{n}"), password=f"wrong{n}").status_code == 401
    assert sign_in(client(app, "203.0.113.99"), password="wrong").status_code == 429
    assert sign_in(client(app, "203.0.113.100")).status_code == 429  # even the right password, for now
    assert sign_in(client(app, "203.0.113.100"), name="second.analyst").status_code == 303


def test_successful_sign_ins_are_not_counted(app: Any) -> None:
    c = client(app, "198.51.100.20")
    for _ in range(12):
        assert sign_in(c).status_code == 303


@pytest.mark.parametrize(("name", "password"), [
    ("no.such.analyst", "anything at all"),
    (ANALYST, "wrong password"),
    ("", "x"),
    ("no.such.analyst", PASSWORD),
])
def test_every_sign_in_costs_one_argon2_check(app: Any, monkeypatch: pytest.MonkeyPatch, name: str,
                                             password: str) -> None:
    """An unknown name does the same work as a known one, so the time of the answer does not reveal names."""
    calls: list[str] = []

    class Counting(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            calls.append(str(hash))
            return super().verify(hash, password)

    monkeypatch.setattr(review, "HASHER", Counting.from_parameters(profiles.CHEAPEST))
    c = client(app)
    token = csrf(c)
    response = c.post("/login", data={"name": name, "password": password, "csrf": token})
    assert response.status_code in (401, 422)
    if response.status_code == 401:
        assert len(calls) == 1
        assert calls[0].startswith("$argon2id$")


# -- sessions -----------------------------------------------------------------------------------------------

def test_a_cookie_saved_before_sign_out_is_rejected_after_it(app: Any) -> None:
    c = client(app)
    assert sign_in(c).status_code == 303
    saved = c.cookies.get("pactwatch_session")
    assert saved
    assert texts(c.get("/corrections").text, "//*[@class='who']") == [f"Signed in as {ANALYST}"]
    token = csrf(c, "/corrections")
    assert c.post("/logout", data={"csrf": token}).status_code == 303

    thief = client(app, cookies={"pactwatch_session": saved})
    page = thief.get("/records/commitment/com-post").text
    assert "Signed in as" not in page and "correct-form" not in page
    forged = thief.post("/records/commitment/com-post/review", data={"action": "confirm", "csrf": token})
    assert forged.status_code == 401
    with open_store(app.state.db_path) as store:
        assert review_store.corrections(store) == []


def test_sessions_expire_and_a_new_password_signs_the_account_out(db: Path) -> None:
    with open_store(db) as store:
        expired = review_store.open_session(store, ANALYST, ttl=review_store.SESSION_TTL * -1)
        live = review_store.open_session(store, ANALYST)
        assert review_store.session_account(store, expired) is None
        assert review_store.session_account(store, live) == ANALYST
        assert review_store.session_account(store, live + "x") is None
        review_store.add_account(store, ANALYST, review.hash_password("a new passphrase"))
        assert review_store.session_account(store, live) is None
        stored = [row[0] for row in store.execute("SELECT id_hash FROM sessions")]
    assert live not in stored  # only a hash of the id is kept


def test_the_session_cookie_is_secure_under_https_only(db: Path) -> None:
    plain = client(create_app(db))
    cookie = sign_in(plain).headers["set-cookie"].lower()
    assert "secure" not in cookie and "httponly" in cookie
    assert "strict-transport-security" not in plain.get("/").headers

    https = client(create_app(db, https_only=True), base_url="https://testserver")
    response = sign_in(https)
    assert response.status_code == 303
    assert "secure" in response.headers["set-cookie"].lower()
    assert https.get("/").headers["strict-transport-security"].startswith("max-age=")


def test_serve_offers_https_only_and_a_trusted_proxy() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"], env={"COLUMNS": "200"})
    assert "--https-only" in result.output and "--trusted-proxy" in result.output


# -- analysts' names ----------------------------------------------------------------------------------------

def _correct_and_undo(app: Any) -> TestClient:
    c = client(app)
    sign_in(c)
    token = csrf(c, "/records/commitment/com-post")
    c.post("/records/commitment/com-post/review", data={"action": "correct", "field": "status", "value": "met",
                                                         "csrf": token})
    c.post("/records/claim/clm-1-4/review", data={"action": "confirm", "csrf": token})
    c.post("/corrections/1/undo", data={"csrf": token})
    return c


@pytest.mark.parametrize("path", ["/corrections", "/records/commitment/com-post", "/records/claim/clm-1-4",
                                  "/api/corrections", "/api/records/claim/clm-1-4", "/api/claims", "/claims"])
def test_analysts_names_are_shown_only_to_signed_in_readers(app: Any, path: str) -> None:
    analyst = _correct_and_undo(app)
    assert ANALYST in analyst.get(path).text
    anonymous = client(app, "192.0.2.99").get(path)
    assert anonymous.status_code == 200
    assert ANALYST not in anonymous.text
    if path == "/api/corrections":
        rows = anonymous.json()["corrections"]
        assert len(rows) == 2 and all(r["author"] is None and r["undone_by"] is None for r in rows)


# -- bad numbers and ids ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "statuses"), [
    ("/corrections/99999999999999999999999/undo", (404, 422)),
    ("/corrections/9223372036854775808/undo", (404, 422)),
    ("/corrections/9223372036854775807/undo", (404,)),
    ("/corrections/0/undo", (404, 422)),
    ("/corrections/-1/undo", (404, 422)),
    ("/corrections/1e3/undo", (422,)),
    ("/corrections/nan/undo", (422,)),
])
def test_bad_correction_ids_are_not_found(app: Any, path: str, statuses: tuple[int, ...]) -> None:
    c = client(app)
    sign_in(c)
    response = c.post(path, data={"csrf": csrf(c, "/corrections")})
    assert response.status_code in statuses
    assert_secure_headers(response)


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-1e400"])
def test_a_correction_cannot_set_a_number_that_is_not_finite(app: Any, value: str) -> None:
    with pytest.raises(ValueError, match="not a finite number"):
        review.parse_value("claim", "value", value)
    c = client(app)
    sign_in(c)
    response = c.post("/records/claim/clm-1-4/review", data={"action": "correct", "field": "value", "value": value,
                                                              "csrf": csrf(c, "/records/claim/clm-1-4")})
    assert response.status_code in (400, 422)
    assert json.loads(c.get("/api/records/claim/clm-1-4").text)["record"]["value"] == 1.4e9


def test_the_export_never_holds_nan_or_infinity(db: Path, tmp_path: Path) -> None:
    # A correction an older version let in stays in the log but is not applied.
    with open_store(db) as store:
        review_store.add_correction(store, "claim", "clm-1-4", "correct", ANALYST, field="value", old=1.4e9,
                                    new=float("inf"))
        review_store.add_correction(store, "event", "ev-jc", "correct", ANALYST, field="date", old=None,
                                    new={"start": "2025-08-30", "end": "2025-08-30", "precision": "day",
                                         "weight": float("nan")})
    out = tmp_path / "export.json"
    result = CliRunner().invoke(cli, ["export", "-o", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"\b(NaN|Infinity)\b", text)
    claim = next(c for c in json.loads(text)["claims"] if c["id"] == "clm-1-4")
    assert claim["value"] == 1.4e9
    assert client(create_app(db)).get("/api/claims").status_code == 200


def test_write_json_refuses_a_number_that_is_not_finite(db: Path) -> None:
    with open_store(db) as store:
        corpus = store.corpus()
    corpus.claims[0].value = float("nan")
    sink = io.StringIO()
    with pytest.raises(ValueError):
        write_json(corpus, sink)
    assert sink.getvalue() == ""  # nothing half-written
