"""The dashboard in a real headless browser (Debian's chromium driven by Playwright).

A uvicorn server runs in a background thread on a free port; screenshots go
to test-artifacts/browser/ at the repository root.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from pactwatch.cli import app as cli
from pactwatch.web.app import create_app
from webcorpus import build_store

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "browser"
USER, PASSWORD = "ana", "correct horse battery"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists() and not shutil.which("chromium"),
                       reason=f"chromium is not installed at {CHROMIUM} (`make browser` installs Debian's package)"),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: Path) -> tuple[str, Callable[[], None]]:
    """Start the dashboard over ``db`` in a thread; return its base URL and a stop function."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the dashboard did not start")
        time.sleep(0.05)

    def stop() -> None:
        server.should_exit = True
        thread.join(10)

    return f"http://127.0.0.1:{port}", stop


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = build_store(tmp_path_factory.mktemp("browser") / "browser.db")
    result = CliRunner().invoke(cli, ["user", "add", USER, "--password-stdin", "--db", str(db)],
                                input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    url, stop = _serve(db)
    yield url
    stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                                     args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that fails the test on any script error or dialog (alert() from injected markup)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    tab.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    yield tab
    context.close()
    assert problems == []


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(("path", "name", "heading"), [
    ("/", "overview", "Kenya – Tanzania"),
    ("/timeline", "timeline", "Timeline"),
    ("/commitments", "commitments", "Commitments"),
    ("/actors", "actors", "Actors"),
    ("/claims", "claims", "Claims"),
    ("/documents", "documents", "Articles"),
    ("/documents/doc-ke-1", "article", "Kenya and Tanzania agree trade goal"),
    ("/records/commitment/com-trade", "record-commitment", "Raise bilateral trade to $5 billion by 2027."),
    ("/records/actor/act-jc", "record-body", "Kenya-Tanzania Joint Commission"),
    ("/search?q=trade", "search", "Search"),
])
def test_every_page_opens(page: Any, base_url: str, path: str, name: str, heading: str) -> None:
    response = page.goto(base_url + path)
    assert response.status == 200
    assert page.locator("h1").first.inner_text() == heading
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")  # local CSS loaded
    shot(page, name)


@pytest.mark.parametrize("path", ["/", "/timeline", "/commitments", "/claims", "/documents/doc-ke-1"])
def test_pages_fit_a_phone(browser: Any, base_url: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    tab.goto(base_url + path)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling of the page
    tab.click("button.menu")
    assert tab.locator("#nav a", has_text="Timeline").is_visible()
    shot(tab, "phone" + path.replace("/", "-").rstrip("-"))
    context.close()


def test_timeline_filters(page: Any, base_url: str) -> None:
    page.goto(base_url + "/timeline")
    assert page.locator("ul.events > li").count() == 4
    page.select_option("select[name=type]", "CONSULT")
    page.click("#timeline-filters button[type=submit]")
    page.wait_for_url("**/timeline?type=CONSULT*")
    assert page.locator("ul.events > li").count() == 2
    assert page.locator("svg.chart rect.mark").count() == 2
    page.select_option("select[name=country]", "KEN")
    page.fill("input[name=start]", "2025-06-01")
    page.click("#timeline-filters button[type=submit]")
    page.wait_for_url("**start=2025-06-01*")
    assert page.locator("ul.events > li a.type").all_inner_texts() == ["CONSULT"]
    assert page.locator("#event-count").inner_text() == "1 event"
    shot(page, "timeline-filtered")
    page.click("svg.chart a")  # each mark links to its event
    page.wait_for_url("**/records/event/ev-jc")


def test_sign_in_correct_and_undo(page: Any, base_url: str) -> None:
    page.goto(base_url + "/records/commitment/com-post")
    assert page.locator("#correct-form").count() == 0  # reading needs no account; writing does
    page.click("text=Sign in")
    page.fill("input[name=name]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button")
    page.wait_for_url("**/records/commitment/com-post")
    assert page.locator(".who").inner_text() == f"Signed in as {USER}"

    page.select_option("#correct-form select[name=field]", "status")
    page.fill("#correct-form input[name=value]", "met")
    page.click("#correct-form button")
    page.wait_for_url("**/records/commitment/com-post")
    assert page.locator("del.machine").first.inner_text() == "missed"
    assert page.locator("ins.analyst").first.inner_text() == "met"
    assert page.locator(".badge.state-corrected").first.is_visible()
    shot(page, "record-corrected")

    page.goto(base_url + "/commitments")
    assert page.locator("#status-met a[href='/records/commitment/com-post']").count() == 1
    shot(page, "commitments-corrected")

    page.goto(base_url + "/records/commitment/com-post")
    page.click("button.undo")
    page.wait_for_url("**/records/commitment/com-post")
    assert page.locator("del.machine").count() == 0
    assert page.locator("tr.undone").count() == 1  # the undone correction stays in the history
    assert "missed" in page.locator("dl.record-fields").inner_text()
    shot(page, "record-undone")


def test_markup_in_an_article_never_runs(browser: Any, page: Any, tmp_path: Path) -> None:
    """An article full of markup, ingested for real, is shown as text: no script runs, no handler fires."""
    from pactwatch import pipeline
    from pactwatch.store import Store

    article = tmp_path / "markup.txt"
    article.write_text(
        "Ghana and Nigeria signed a customs agreement in Accra on Tuesday. "
        '<script>window.__pwned = "script"; document.title = "pwned";</script> '
        '<img src="x" onerror="window.__pwned = \'img\'; document.title = \'pwned\'"> '
        '<a href="javascript:window.__pwned=1">click</a> <b onmouseover="window.__pwned=2">bold</b> '
        "</div></main><iframe src=\"javascript:parent.__pwned='frame'\"></iframe> "
        "The two trade ministers promised to double bilateral trade to $2 billion by 2027.\n", encoding="utf-8")
    db = tmp_path / "markup.db"
    with Store(db) as store:
        report = pipeline.ingest([str(article)], store, published="2025-04-01")
        assert report.ok, report.failed
        doc_id = store.documents()[0].id
    url, stop = _serve(db)
    try:
        for path in (f"/documents/{doc_id}", "/documents", "/search?q=script", "/timeline", "/actors"):
            page.goto(url + path)
            page.wait_for_timeout(200)
            assert page.evaluate("window.__pwned") is None, path
            assert page.title() != "pwned", path
            assert page.locator("iframe").count() == 0, path
        page.goto(url + f"/documents/{doc_id}")
        shown = page.locator("#article-text").inner_text()
        assert '<script>window.__pwned = "script"' in shown
        assert "onerror=" in shown
        page.hover("#article-text")
        assert page.evaluate("window.__pwned") is None
        shot(page, "markup-as-text")
    finally:
        stop()
