"""The API's description: every route in /openapi.json with the answers it gives, and /docs served offline.

Schemathesis (tests/test_schemathesis.py) checks the answers against the schema; these
tests check that the schema leaves nothing out and that /docs needs neither a CDN nor
an inline script.
"""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import uvicorn
from fastapi.testclient import TestClient
from starlette.routing import Route

from pactwatch.web.app import AREAS, create_app
from webcorpus import build_store

CHROMIUM = "/usr/bin/chromium"
# What the dashboard's policy asks of /docs, enforced by the browser beside whatever the app itself sends.
STRICT_CSP = "default-src 'self'; img-src 'self' data:"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("openapi") / "web.db")


@pytest.fixture
def client(db: Path) -> TestClient:
    return TestClient(create_app(db))


@pytest.fixture
def openapi(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def test_every_route_is_in_the_schema(openapi: dict[str, Any]) -> None:
    served = {(method, route.path) for module in AREAS for route in module.router.routes
              if isinstance(route, Route) for method in route.methods or ()}
    described = {(method.upper(), path) for path, item in openapi["paths"].items() for method in item}
    assert served == described
    assert {("GET", "/login"), ("POST", "/login"), ("POST", "/logout"), ("GET", "/"),
            ("POST", "/records/{kind}/{record_id}/review"), ("POST", "/corrections/{correction_id}/undo")} <= served


def test_pages_are_html_and_the_api_is_json(openapi: dict[str, Any]) -> None:
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            ok = operation["responses"].get("200")
            if method == "post":
                assert ok is None and "Location" in operation["responses"]["303"]["headers"], path
                assert "application/x-www-form-urlencoded" in operation["requestBody"]["content"], path
            elif path.startswith("/api/"):
                assert "$ref" in ok["content"]["application/json"]["schema"], path
            elif path.startswith("/download/"):  # a list's view as a file
                assert set(ok["content"]) == {"text/csv", "application/json"}, path
            elif path.endswith(".atom"):  # the alerts as a feed, for feed readers
                assert set(ok["content"]) == {"application/atom+xml"}, path
            else:
                assert ok["content"] == {"text/html": {"schema": {"type": "string"}}}, path


@pytest.mark.parametrize(("path", "method", "codes"), [
    ("/api/documents/{doc_id}", "get", {"200", "404", "422"}),
    ("/documents/{doc_id}", "get", {"200", "404", "422"}),
    ("/api/records/{kind}/{record_id}", "get", {"200", "404", "422"}),
    ("/api/timeline", "get", {"200", "400", "422"}),
    ("/login", "post", {"303", "401", "403", "422", "429"}),
    ("/logout", "post", {"303", "403", "422"}),
    ("/records/{kind}/{record_id}/review", "post", {"303", "400", "401", "403", "404", "422"}),
    ("/corrections/{correction_id}/undo", "post", {"303", "401", "403", "404", "422"}),
])
def test_error_answers_are_declared(openapi: dict[str, Any], path: str, method: str, codes: set[str]) -> None:
    responses = openapi["paths"][path][method]["responses"]
    assert set(responses) == codes
    for code, answer in responses.items():
        if code not in {"200", "303", "422"}:
            media = "application/json" if path.startswith("/api/") else "text/html"
            assert set(answer["content"]) == {media}
            if media == "application/json":
                assert answer["content"][media]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}


def test_declared_error_bodies_are_what_the_api_sends(client: TestClient, openapi: dict[str, Any]) -> None:
    error = openapi["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["detail"]
    for url, status in [("/api/documents/no-such-article", 404), ("/api/records/planet/earth", 404),
                        ("/api/timeline?start=2025-02-30", 400), ("/api/timeline?end=20250314", 400)]:
        response = client.get(url)
        assert response.status_code == status, url
        assert set(response.json()) == {"detail"} and isinstance(response.json()["detail"], str)


def test_parameters_say_what_the_routes_take(openapi: dict[str, Any]) -> None:
    kind = openapi["paths"]["/api/records/{kind}/{record_id}"]["get"]["parameters"][0]["schema"]
    assert kind["enum"] == ["actor", "event", "commitment", "claim"]
    undo = openapi["paths"]["/corrections/{correction_id}/undo"]["post"]["parameters"][0]["schema"]
    assert (undo["minimum"], undo["maximum"]) == (1, 2**63 - 1)
    start = next(p for p in openapi["paths"]["/api/timeline"]["get"]["parameters"] if p["name"] == "start")
    assert {"type": "string", "format": "date"} in start["schema"]["anyOf"]


@pytest.mark.parametrize(("url", "media"), [("/api/timeline?start=", "json"), ("/timeline?start=&end=", "html")])
def test_a_blank_date_is_no_filter(client: TestClient, url: str, media: str) -> None:
    response = client.get(url)
    assert response.status_code == 200 and media in response.headers["content-type"]


@pytest.mark.parametrize(("method", "url", "allow"), [
    ("TRACE", "/login", "GET, POST"),
    ("PUT", "/api/actors", "GET"),
    ("DELETE", "/records/actor/act-jc", "GET"),
    ("GET", "/logout", "POST"),
    ("POST", "/static/style.css", "GET, HEAD"),
])
def test_other_methods_are_405_with_allow(client: TestClient, method: str, url: str, allow: str) -> None:
    response = client.request(method, url)
    assert response.status_code == 405
    assert response.headers["allow"] == allow


def test_a_correction_id_beyond_sqlite_is_refused(client: TestClient) -> None:
    response = client.post(f"/corrections/{2**63}/undo", data={"csrf": "x"})
    assert response.status_code == 422


def test_docs_load_nothing_from_elsewhere_and_run_no_inline_script(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.text)
    scripts = tree.xpath("//script")
    assert scripts and all(s.get("src") and not (s.text or "").strip() for s in scripts)
    assets = [*(s.get("src") for s in scripts), *tree.xpath("//link/@href")]
    assert all(a.startswith("/") and not a.startswith("//") for a in assets)
    types = {"js": "javascript", "css": "text/css", "png": "image/png"}
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert types[asset.rsplit(".", 1)[1]] in served.headers["content-type"], asset
    assert re.search(r'url:\s*"/openapi\.json"', client.get("/static/docs.js").text)
    assert client.get("/redoc").status_code == 404
    assert client.get("/docs/oauth2-redirect").status_code == 404


@pytest.fixture
def served(db: Path) -> Iterator[str]:
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the dashboard did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists() and not shutil.which("chromium"),
                    reason=f"chromium is not installed at {CHROMIUM} (`make browser` installs Debian's package)")
def test_docs_work_in_a_browser_under_the_csp(served: str) -> None:
    """Swagger UI lists the operations under a policy with no inline script, and not one request leaves
    the server."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                                    args=["--headless", "--no-sandbox", "--disable-gpu"], headless=True)
        tab = browser.new_page()
        problems: list[str] = []
        elsewhere: list[str] = []
        tab.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        tab.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
        tab.on("request", lambda r: None if r.url.startswith((served, "data:")) else elsewhere.append(r.url))

        def strict(route: Any) -> None:  # both policies hold when a header lists two
            answer = route.fetch()
            own = answer.headers.get("content-security-policy")
            route.fulfill(response=answer, headers={**answer.headers, "content-security-policy":
                                                    f"{own}, {STRICT_CSP}" if own else STRICT_CSP})

        tab.route(served + "/docs", strict)
        response = tab.goto(served + "/docs")
        assert response is not None and STRICT_CSP in response.headers["content-security-policy"]
        tab.wait_for_selector(".opblock-summary-path", timeout=20000)
        paths = tab.locator(".opblock-summary-path").all_inner_texts()
        browser.close()
    assert "/api/overview" in paths and "/login" in paths
    assert problems == [] and elsewhere == []
