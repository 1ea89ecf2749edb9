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


def _serve_with_analyst(db: Path) -> Iterator[str]:
    """The dashboard over ``db`` with the test analyst's account, for as long as the fixture lives."""
    result = CliRunner().invoke(cli, ["user", "add", USER, "--password-stdin", "--db", str(db)],
                                input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    url, stop = _serve(db)
    yield url
    stop()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = build_store(tmp_path_factory.mktemp("browser") / "browser.db")
    yield from _serve_with_analyst(db)


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
    assert page.locator("#timeline-table tbody tr").count() == 4
    page.select_option("select[name=type]", "CONSULT")  # a facet shows its choice at once
    page.wait_for_url("**/timeline?type=CONSULT")
    assert page.locator("#timeline-table tbody tr").count() == 2
    assert page.locator("#timeline-chart svg.chart rect.mark").count() == 2
    page.select_option("select[name=country]", "KEN")
    page.wait_for_url("**country=KEN*")
    page.fill("input[name=start]", "2025-06-01")
    page.click("#timeline-filters button[type=submit]")
    page.wait_for_url("**start=2025-06-01*")
    assert page.locator("#timeline-table td[data-label=Type]").all_inner_texts() == ["CONSULT"]
    assert page.locator("#event-count").inner_text() == "1 event"
    shot(page, "timeline-filtered")
    page.click("#timeline-chart svg.chart a")  # each mark links to its event
    page.wait_for_url("**/records/event/ev-jc")


def test_sign_in_correct_and_undo(page: Any, base_url: str) -> None:
    page.goto(base_url + "/records/commitment/com-post")
    assert page.locator(".correct-form").count() == 0  # reading needs no account; writing does
    page.click("text=Sign in")
    page.fill("input[name=name]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button")
    page.wait_for_url("**/records/commitment/com-post")
    assert page.locator(".who").inner_text() == f"Signed in as {USER}"

    # The status is picked from a list; the due date from a date picker; every action takes a reason.
    assert page.locator("#correct-due input[type=date]").count() == 1
    page.select_option("#correct-status select[name=value]", "met")
    page.fill("#correct-status input[name=reason]", "the post opened on 1 May")
    page.click("#correct-status button")
    page.wait_for_url("**/records/commitment/com-post")
    assert page.locator("del.machine").first.inner_text() == "missed"
    assert page.locator("ins.analyst").first.inner_text() == "met"
    assert page.locator("q.reason").first.inner_text() == "the post opened on 1 May"
    assert page.locator(".badge.state-corrected").first.is_visible()
    shot(page, "record-corrected")

    page.goto(base_url + "/commitments?status=met")
    assert page.locator("#commitments-table a[href='/records/commitment/com-post']").count() == 1
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
    from pactwatch.store import open_store

    article = tmp_path / "markup.txt"
    article.write_text(
        "Ghana and Nigeria signed a customs agreement in Accra on Tuesday. "
        '<script>window.__pwned = "script"; document.title = "pwned";</script> '
        '<img src="x" onerror="window.__pwned = \'img\'; document.title = \'pwned\'"> '
        '<a href="javascript:window.__pwned=1">click</a> <b onmouseover="window.__pwned=2">bold</b> '
        "</div></main><iframe src=\"javascript:parent.__pwned='frame'\"></iframe> "
        "The two trade ministers promised to double bilateral trade to $2 billion by 2027.\n", encoding="utf-8")
    db = tmp_path / "markup.db"
    with open_store(db) as store:
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


# -- hostile articles: 30+ payloads in text, title, outlet and url, every page loaded and every link clicked --

MARKUP_PAYLOADS = [
    "<script>alert('s1')</script>",
    "<img src=x onerror=alert('s2')>",
    "<svg onload=alert('s3')>",
    "<svg><script>alert('s4')</script></svg>",
    '"><script>alert(\'s5\')</script>',
    "'><img src=x onerror=alert('s6')>",
    '<iframe src="javascript:alert(\'s7\')"></iframe>',
    "<body onload=alert('s8')>",
    '<a href="javascript:alert(\'s9\')">s9</a>',
    "<details open ontoggle=alert('s10')>",
    "<input autofocus onfocus=alert('s11')>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('s12')>",
    '<object data="javascript:alert(\'s13\')"></object>',
    '<embed src="javascript:alert(\'s14\')">',
    "<form><button formaction=javascript:alert('s15')>s15</button></form>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'s16\')">',
    "{{ 7*7 }}{% raw %}<script>alert('s17')</script>",
    "<scr<script>ipt>alert('s18')</script>",
    "&lt;script&gt;alert('s19')&lt;/script&gt;",
    "<marquee onstart=alert('s20')>s20</marquee>",
    "<video><source onerror=alert('s21')></video>",
    "<style>@import 'javascript:alert(\"s22\")';</style>",
    "</textarea><script>alert('s23')</script>",
    "</title><script>alert('s24')</script>",
    "<base href=\"javascript:alert('s25')//\">",
    "\u2028<script>alert('s26')</script>\u2029",
]
URL_PAYLOADS = [
    "javascript:alert('u1')",
    "JaVaScRiPt:alert('u2')",
    " javascript:alert('u3')",
    "java\tscript:alert('u4')",
    "java\nscript:alert('u5')",
    "\x01javascript:alert('u6')",
    "data:text/html,<script>alert('u7')</script>",
    "vbscript:msgbox('u8')",
    "javascript&colon;alert('u9')",
    "jav&#x09;ascript:alert('u10')",
    "https://example.org/\"onmouseover=\"alert('u11')",
    "javascript://%0aalert('u12')",
    "https://example.org/news/uruguay-paraguay",  # a real web address: the only one that becomes a link
]
# Sentences of our own about pairs the sample corpora do not cover, so the extractors make records to show.
SENTENCES = [
    "Uruguay and Paraguay signed a river transport agreement in Asuncion on Tuesday.",
    "Norway and Iceland promised to double bilateral fisheries trade to $2 billion by 2028.",
    "Foreign Minister Ana Lindqvist of Norway met her Icelandic counterpart in Reykjavik.",
    "Trade between Uruguay and Paraguay stood at $900 million in 2024.",
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store holding articles built around the payloads, ingested for real from a JSONL feed."""
    import json

    from pactwatch import pipeline
    from pactwatch.store import open_store

    folder = tmp_path_factory.mktemp("hostile")
    rows = []
    half = len(MARKUP_PAYLOADS) // 2
    for n, url in enumerate(URL_PAYLOADS):  # each article: one url, two payloads in its text, title and outlet
        first, second = MARKUP_PAYLOADS[n % half], MARKUP_PAYLOADS[half + n % half]
        rows.append({"text": f"{SENTENCES[n % len(SENTENCES)]} {first} Officials said talks would go on. "
                             f"{second} {SENTENCES[(n + 1) % len(SENTENCES)]}",
                     "title": f"{first} report {n}", "outlet": second, "url": url,
                     "published": f"2025-0{1 + n % 9}-1{n % 10}"})
    feed = folder / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = folder / "hostile.db"
    with open_store(db) as store:
        report = pipeline.ingest([str(feed)], store)
        assert len(report.added) == len(rows), report.failed
    yield from _serve_with_analyst(db)


def _watch(tab: Any, base: str, problems: list[str]) -> None:
    """Fail on any dialog, script error, CSP report, request off this server, or response without the headers."""
    tab.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    tab.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    tab.on("console", lambda m: problems.append(f"console: {m.text}")
           if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text else None)

    def only_here(route: Any) -> None:
        if route.request.url.startswith(base + "/"):
            route.continue_()
        else:  # nothing leaves 127.0.0.1: an outside link is followed no further than this
            route.abort()

    tab.route("**/*", only_here)

    def headers(response: Any) -> None:
        if response.url.startswith(base + "/"):
            missing = {"content-security-policy", "x-content-type-options", "x-frame-options",
                       "referrer-policy"} - set(response.headers)
            if missing:
                problems.append(f"{response.url}: no {', '.join(sorted(missing))}")

    tab.on("response", headers)


def _pages(base: str) -> list[str]:
    """Every page that shows the articles' fields: the lists, each article and each record."""
    import urllib.request

    def api(path: str) -> Any:
        import json

        with urllib.request.urlopen(base + path, timeout=10) as r:  # 127.0.0.1 only
            return json.load(r)

    paths = ["/", "/timeline", "/commitments", "/actors", "/claims", "/documents", "/corrections",
             "/search?q=Paraguay", "/search?q=script", "/login"]
    paths += [d["url_page"] for d in api("/api/documents?per=200")["documents"]]
    paths += [a["url"] for a in api("/api/actors?per=200")["actors"]]
    paths += [e["url"] for e in api("/api/timeline?per=200")["events"]]
    paths += [c["url"] for c in api("/api/commitments?per=200")["commitments"]]
    paths += [c["url"] for c in api("/api/claims?per=200")["claims"]]
    return list(dict.fromkeys(paths))


def test_hostile_articles_run_no_script_loaded_or_clicked(browser: Any, hostile_site: str) -> None:
    base = hostile_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    _watch(tab, base, problems)
    pages = _pages(base)
    assert len(pages) > 25, pages
    links: dict[str, tuple[str, str]] = {}  # target -> (an href to it, the page it was found on)
    shown_urls = 0
    for path in pages:
        response = tab.goto(base + path)
        assert response is not None and response.status == 200, path
        tab.wait_for_timeout(50)
        for href, in_main in tab.eval_on_selector_all(
                "a[href]", "els => els.map(e => [e.getAttribute('href'), !!e.closest('main')])"):
            assert href.startswith(("/", "#", "https://example.org/news/")), (path, href)
            # The data is in <main>: its links are all clicked, the header's and footer's on the first page.
            # Links that differ only in their place on one page (#m12-40, made by the code) lead to the same page.
            if in_main or path == pages[0]:
                links.setdefault(href.split("#", 1)[0] or href, (href, path))
        shown_urls += tab.locator("span.url").count()
        assert tab.locator("iframe, object, embed, body [onload], [onerror]").count() == 0, path
    assert shown_urls >= len(URL_PAYLOADS) - 1  # bad addresses are shown as text instead
    assert "https://example.org/news/uruguay-paraguay" in links
    # Every link clicked (markup payloads are link texts in titles and quotes): walk from link to link, and
    # go back to the page a link was found on only where the walk reaches a page without one left to click.
    # /docs (Swagger UI, no data of ours) is checked by test_normal_pages_raise_no_csp_report.
    pending = {target: href for target, (href, _) in links.items() if not href.startswith(("#", "/docs"))}
    while pending:
        here = [h for h in tab.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
                if h.split("#", 1)[0] in pending] if tab.url.startswith(base) else []
        if here:  # dead ends (JSON, the outside address) last
            href = sorted(here, key=lambda h: h.startswith(("/api", "/openapi", "https:")))[0]
        else:
            href = next(iter(pending.values()))
            tab.goto(base + links[href.split("#", 1)[0]][1])
        del pending[href.split("#", 1)[0]]
        _click(tab, href)
    # Signed in, the review forms and the analysts' view show the same fields.
    tab.goto(base + "/login")
    tab.fill("input[name=name]", USER)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("#login-form button")
    tab.wait_for_url(base + "/")
    for path in pages[:12]:
        tab.goto(base + path)
    shot(tab, "hostile-overview")
    context.close()
    assert problems == []


def _click(tab: Any, href: str) -> None:
    """Click a link to ``href`` on the page, one outside the chart if there is one (its marks may overlap)."""
    import json

    found = tab.locator(f"a[href={json.dumps(href)}]")
    outside_chart = found.filter(has_not=tab.locator("rect"))
    (outside_chart if outside_chart.count() else found).first.click(force=not outside_chart.count())
    tab.wait_for_load_state()


def test_normal_pages_raise_no_csp_report(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    _watch(tab, base_url, problems)
    for path in ("/", "/timeline", "/commitments", "/actors", "/claims", "/documents", "/documents/doc-ke-1",
                 "/records/commitment/com-trade", "/search?q=trade", "/corrections", "/login", "/docs"):
        tab.goto(base_url + path)
        tab.wait_for_load_state("networkidle")
    assert tab.locator(".swagger-ui .info").count() == 1  # /docs started Swagger UI from its own static files
    tab.goto(base_url + "/commitments")
    tab.select_option("select[name=country]", "KEN")  # the filter submits itself: app.js, not an inline handler
    tab.wait_for_url("**/commitments?country=KEN")
    context.close()
    assert problems == []
