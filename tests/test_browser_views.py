"""The analyst views at working size, in headless Chromium: a store of the dev feed plus 300 BBC articles.

The store is built from ../shared/corpus at test time (tests/bigstore.py keeps
one build per pipeline version in the temp folder). Every page is opened at
1400 px and 390 px and must not scroll sideways; every list pages and sorts;
a filtered view's CSV holds the page's rows; each chart has its legend; a
link to a quote lands on it, marked. Screenshots go to test-artifacts/views/.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import bigstore
from test_browser import ARGS, CHROMIUM, _serve

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "views"
LISTS = ["/timeline", "/commitments", "/actors", "/claims", "/documents", "/search?q=minister"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists() and not shutil.which("chromium"),
                       reason=f"chromium is not installed at {CHROMIUM} (`make browser` installs Debian's package)"),
    pytest.mark.skipif(not bigstore.available(), reason="../shared/corpus (dev feed and BBC) is not present"),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    url, stop = _serve(bigstore.big_store())
    yield url
    stop()


def _api(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=30) as r:  # 127.0.0.1 only
        return json.load(r)


@pytest.fixture(scope="module")
def pages(base_url: str) -> dict[str, str]:
    """Every kind of page, by name: the lists, an article, and a record of each kind with something linked."""
    found = {"overview": "/", "timeline": "/timeline", "commitments": "/commitments", "actors": "/actors",
             "claims": "/claims", "documents": "/documents", "search": "/search?q=minister"}
    found["article"] = _api(base_url, "/api/documents?sort=-records")["documents"][0]["url_page"]
    person = _api(base_url, "/api/actors?kind=person&sort=-articles")["actors"]
    found["record-person"] = next(a["url"] for a in person if a["roles"])
    found["record-event"] = _api(base_url, "/api/timeline?sort=-articles")["events"][0]["url"]
    found["record-commitment"] = _api(base_url, "/api/commitments?sort=-articles")["commitments"][0]["url"]
    conflicting = _api(base_url, "/api/claims?corroboration=conflicting")["claims"]
    found["record-claim"] = (conflicting or _api(base_url, "/api/claims")["claims"])[0]["url"]
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                                     args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A desktop page that fails the test on any script error."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    yield tab
    context.close()
    assert problems == []


def shot(tab: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1400, 390])
def test_no_page_scrolls_sideways(browser: Any, base_url: str, pages: dict[str, str], width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 600)
    tab = context.new_page()
    wide = {}
    for name, path in pages.items():
        response = tab.goto(base_url + path)
        assert response.status == 200, path
        scroll = tab.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[path] = scroll
        shot(tab, f"{name}-{width}")
    context.close()
    assert wide == {}


def _rows(tab: Any) -> list[str]:
    """The page's rows by the record (or article) each links to."""
    return tab.eval_on_selector_all("table.data tbody tr td.col-link a", "els => els.map(e => e.getAttribute('href'))")


def _column(tab: Any, label: str) -> list[str]:
    return tab.eval_on_selector_all(f"table.data tbody td[data-label='{label}']", "els => els.map(e => e.innerText)")


@pytest.mark.parametrize("path", LISTS)
def test_every_list_pages_and_sorts(page: Any, base_url: str, path: str) -> None:
    page.goto(base_url + path)
    total = int(page.locator(".table-summary .count").get_attribute("data-total"))
    first = _rows(page)
    assert len(first) == min(total, 50)
    if total > 50:
        page.click("nav.pager a.next")
        page.wait_for_url("**page=2*")
        second = _rows(page)
        assert second and not set(second) & set(first)
        assert page.locator("nav.pager").inner_text().startswith("← Previous")
    # Sort by each number column both ways: the cells come in order, empty ones last.
    heading = page.locator("table.data thead th.col-number").first
    label = heading.locator("a").inner_text().rstrip(" ▲▼")
    for direction in ("ascending", "descending", "ascending"):
        if heading.get_attribute("aria-sort") != direction:  # a heading's link sorts by it, then the other way
            before = page.url
            heading.locator("a").click()
            page.wait_for_url(lambda url, before=before: url != before)
            heading = page.locator("table.data thead th.col-number").first
        assert heading.get_attribute("aria-sort") == direction
        values = [float(v.replace(",", "")) for v in _column(page, label) if v != "–"]
        assert values == sorted(values, reverse=direction == "descending"), (label, direction)
        page.goto(page.url)  # the order is in the address: the same view again
        assert [float(v.replace(",", "")) for v in _column(page, label) if v != "–"] == values


@pytest.mark.parametrize("path", LISTS)
def test_a_filtered_views_download_has_the_pages_rows(page: Any, base_url: str, path: str) -> None:
    page.goto(base_url + path)
    # The first facet with a value that narrows the view to one page: chosen as an analyst would.
    for facet in page.eval_on_selector_all("form.table-filters select[data-autosubmit]:not([name=per])",
                                           "els => els.map(e => e.name)"):
        options = page.eval_on_selector_all(
            f"form.table-filters select[name={facet}] option",
            "els => els.map(e => [e.value, Number((e.innerText.match(/\\((\\d+)\\)$/) || [0, 0])[1])])")
        chosen = next((value for value, count in options if value and 1 < count <= 50), None)
        if chosen:
            break
    else:
        pytest.fail(f"no facet of {path} narrows it to one page")
    page.select_option(f"form.table-filters select[name={facet}]", chosen)
    page.wait_for_url(f"**{facet}=*")
    shown = _rows(page)
    total = int(page.locator(".table-summary .count").get_attribute("data-total"))
    assert len(shown) == total == next(count for value, count in options if value == chosen)
    csv_url = page.locator("a.download-csv").get_attribute("href")
    with urllib.request.urlopen(base_url + csv_url, timeout=30) as r:
        rows = list(csv.DictReader(io.StringIO(r.read().decode("utf-8"))))
    assert [row["page"] for row in rows] == shown
    json_url = page.locator("a.download-json").get_attribute("href")
    with urllib.request.urlopen(base_url + json_url, timeout=30) as r:
        assert [row["page"] for row in json.load(r)] == shown


@pytest.mark.parametrize(("path", "chart", "mark", "time_axis"), [
    ("/timeline", "#timeline-chart", "rect.mark", True),
    ("/timeline", "#tone-chart", "rect.mark", True),
    ("/", "#tone-chart", "rect.mark", True),
    ("/commitments?per=100", "#commitments-chart", "rect.mark", True),
    ("/claims?per=100", "#claims-chart", "circle.dot", False),
])
def test_each_chart_renders_with_its_legend(page: Any, base_url: str, path: str, chart: str, mark: str,
                                            time_axis: bool) -> None:
    page.goto(base_url + path)
    svg = page.locator(f"{chart} svg.chart")
    assert svg.count() == 1
    assert svg.locator(mark).count() > 0
    legend = svg.locator("g.legend text").all_text_contents()
    assert len(legend) >= 2 and all(legend)
    box = svg.bounding_box()
    assert box["width"] > 500 and box["height"] > 40
    if time_axis:
        ticks = svg.evaluate("s => [...s.children].filter(e => e.matches('text.axis')).map(e => e.textContent)")
        assert 1 <= len(ticks) <= 16 and len(ticks) == len(set(ticks))  # thinned: each label once, few enough
    shot(page, "chart-" + chart.strip("#"))


def test_undated_events_are_listed_last_and_not_drawn(page: Any, base_url: str) -> None:
    data = _api(base_url, "/api/timeline?per=200")
    total, undated = data["table"]["total"], data["undated"]
    last = f"/timeline?per=200&page={data['table']['pages']}"
    page.goto(base_url + last)
    dates = _column(page, "Date")
    shown_before = (data["table"]["pages"] - 1) * 200
    expected_undated = max(0, len(dates) - max(0, (total - undated) - shown_before))
    assert dates[len(dates) - expected_undated:] == ["–"] * expected_undated  # undated last
    assert "–" not in dates[:len(dates) - expected_undated]
    page.goto(base_url + "/timeline")
    assert page.locator("#timeline-chart svg a").count() == total - undated  # and never drawn


def test_a_link_to_a_quote_scrolls_to_it_and_marks_it(page: Any, base_url: str, pages: dict[str, str]) -> None:
    page.goto(base_url + pages["record-person"])
    assert page.locator("ul.roles li").count() >= 1  # roles as sentences
    assert page.locator("ul.roles li").first.inner_text().endswith(".")
    assert "organization: —" not in page.locator("main").inner_text()
    quotes = page.locator(".sources a.quote")
    target = quotes.nth(quotes.count() - 1)
    href = target.get_attribute("href")
    target.click()
    page.wait_for_url("**" + href)
    marked = page.locator("a.hl.quote-target")
    assert marked.count() >= 1
    assert marked.first.is_visible()
    box = marked.first.bounding_box()
    assert 0 <= box["y"] <= 900  # in view
    shot(page, "quote-target")
