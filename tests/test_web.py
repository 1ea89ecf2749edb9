"""The dashboard's pages and their JSON twins, on a hand-made record (tests/webcorpus.py) in a store under tmp_path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient

from pactwatch.models import Actor, Corpus, Document, Event, Extraction, Mention
from pactwatch.store import open_store
from pactwatch.web.app import create_app
from pactwatch.web.highlight import highlight_html
from webcorpus import build_store


@pytest.fixture
def client(db_url: str) -> TestClient:  # every page on SQLite and on PostgreSQL
    return TestClient(create_app(build_store(db_url)))


def page(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(response.text)


def texts(tree: Any, xpath: str) -> list[str]:
    return [" ".join(el.text_content().split()) for el in tree.xpath(xpath)]


def css_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


@pytest.mark.parametrize(("path", "xpath", "expected"), [
    ("/", "//h1", "Kenya – Tanzania"),
    ("/?pair=CHL-PER", "//h1", "Chile – Peru"),
    ("/timeline", "//h1", "Timeline"),
    ("/commitments?status=missed", "//table[@id='commitments-table']//td[@data-label='Commitment']/a",
     "Open a one-stop border post at Namanga by June 2025."),
    ("/actors", "//table[@id='actors-table']//td[@data-label='Roles']", "Trade Minister of Kenya"),
    ("/actors?kind=body", "//table[@id='actors-table']//td[@data-label='Kind']", "body"),
    ("/commitments?status=missed", "//table[@id='commitments-table']//td[@data-label='Kind']", "action"),
    ("/claims?corroboration=conflicting", "//table[@id='claims-table']//td[@data-label='Subject']", "bilateral trade"),
    ("/documents", "//table[@id='documents-table']//td/a", "Joint commission meets in Arusha"),
    ("/documents/doc-cl-1", "//h1", "Chile protests over fishing"),
    ("/records/event/ev-jc", "//h1", "CONSULT 2025-08-30 KEN, TZA"),
    ("/records/actor/act-jc", "//ul[@class='linked']//a",
     "CONSULT 2025-08-30: The joint commission held its first session of the year."),
    ("/search?q=postponed", "//table[@id='search-table']//td/a", "Joint commission meets in Arusha"),
    ("/login", "//form[@id='login-form']//button", "Sign in"),
    ("/corrections", "//h1", "Review log"),
])
def test_page_shows(client: TestClient, path: str, xpath: str, expected: str) -> None:
    assert expected in texts(page(client, path), xpath)


@pytest.mark.parametrize(("path", "api", "keys"), [
    ("/", "/api/overview", {"pair", "pairs", "latest_events", "due_soon", "overdue", "conflicting_claims"}),
    ("/timeline?type=CONSULT", "/api/timeline?type=CONSULT", {"filters", "types", "topics", "countries", "events"}),
    ("/commitments", "/api/commitments", {"commitments", "as_of", "table"}),
    ("/actors", "/api/actors", {"actors", "table"}),
    ("/claims", "/api/claims", {"claims", "groups", "table"}),
    ("/documents", "/api/documents", {"documents", "table"}),
    ("/documents/doc-ke-2", "/api/documents/doc-ke-2", {"document", "extractions"}),
    ("/records/commitment/com-post", "/api/records/commitment/com-post", {"record", "corrections", "fields"}),
    ("/search?q=trade", "/api/search?q=trade", {"query", "hits", "results", "table"}),
    ("/corrections", "/api/corrections", {"corrections"}),
])
def test_every_page_has_a_json_twin(client: TestClient, path: str, api: str, keys: set[str]) -> None:
    tree = page(client, path)
    assert tree.xpath("//footer/a")[0].get("href") == api  # the page links its JSON twin
    response = client.get(api)
    assert response.status_code == 200
    assert keys <= response.json().keys()


def test_overview_defaults_to_the_busiest_pair(client: TestClient) -> None:
    data = client.get("/api/overview").json()
    assert data["pair"] == ["KEN", "TZA"]
    assert [p["pair"] for p in data["pairs"]] == [["KEN", "TZA"], ["CHL", "PER"]]
    assert [e["id"] for e in data["latest_events"]] == ["ev-jc", "ev-agree", "ev-meet"]
    assert [c["id"] for c in data["due_soon"]] == ["com-soon"]
    assert [c["id"] for c in data["overdue"]] == ["com-late"]
    assert [[c["value"] for c in g["claims"]] for g in data["conflicting_claims"]] == [[1.4e9, 1.6e9]]
    other = client.get("/api/overview?pair=PER-CHL").json()
    assert other["pair"] == ["CHL", "PER"]
    assert [e["id"] for e in other["latest_events"]] == ["ev-protest"]


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["ev-agree", "ev-meet", "ev-protest", "ev-jc"]),
    ("type=CONSULT", ["ev-meet", "ev-jc"]),
    ("topic=maritime", ["ev-protest"]),
    ("country=TZA", ["ev-agree", "ev-meet", "ev-jc"]),
    ("start=2025-05-01", ["ev-protest", "ev-jc"]),
    ("start=2025-05-01&end=2025-06-30", ["ev-protest"]),
    ("type=CONSULT&topic=trade&country=KEN", ["ev-meet"]),
    ("type=ASSAULT", []),
])
def test_timeline_filters_the_list_and_the_chart(client: TestClient, query: str, expected: list[str]) -> None:
    assert [e["id"] for e in client.get(f"/api/timeline?{query}").json()["events"]] == expected
    tree = page(client, f"/timeline?{query}")
    listed = [a.get("href").rsplit("/", 1)[-1] for a in tree.xpath("//table[@id='timeline-table']//td/a")]
    charted = [a.get("href").rsplit("/", 1)[-1] for a in tree.xpath("//*[local-name()='svg']//*[local-name()='a']")]
    assert listed == expected
    assert charted == expected


def test_timeline_refuses_a_bad_date(client: TestClient) -> None:
    assert client.get("/api/timeline?start=yesterday").status_code == 400
    assert client.get("/timeline?start=yesterday").status_code == 400


def test_commitments_board_shows_progress_cadence_and_evidence(client: TestClient) -> None:
    tree = page(client, "/commitments")

    def row(record_id: str) -> dict[str, str]:
        cells = tree.xpath(f"//tr[.//a[@href='/records/commitment/{record_id}']]/td")
        return {td.get("data-label"): " ".join(td.text_content().split()) for td in cells}

    assert row("com-trade")["Progress %"] == "32"
    assert row("com-jc")["Held"] == "1 of 2 (behind)"
    assert row("com-late")["Overdue"] == "overdue"
    assert row("com-post")["Status"] == "missed"
    evidence = page(client, "/records/commitment/com-post").xpath("//h2[.='Evidence']/following-sibling::div[1]//mark")
    assert texts(evidence[0], ".") == ["The opening of the Namanga border post was postponed indefinitely"]
    listed = client.get("/api/commitments").json()["commitments"]
    assert {(c["kind"], c["record_kind"]) for c in listed} == {
        ("target", "commitment"), ("recurring", "commitment"), ("action", "commitment")}
    assert [(c["id"], c["status"]) for c in listed] == [  # by due date, undated last
        ("com-late", "unknown"), ("com-post", "missed"), ("com-soon", "pending"), ("com-trade", "pending"),
        ("com-jc", "pending")]


def test_actors_show_roles_and_a_bodys_meetings(client: TestClient) -> None:
    body = client.get("/api/actors?kind=body").json()["actors"][0]
    assert body["name"] == "Kenya-Tanzania Joint Commission"
    assert [e["id"] for e in body["events"]] == ["ev-jc"]
    person = next(a for a in client.get("/api/actors?kind=person").json()["actors"] if a["id"] == "act-odhiambo")
    assert person["roles"] == [{"title": "Trade Minister", "country": "KEN", "organization": None,
                                "from": None, "to": None}]
    assert [e["id"] for e in person["events"]] == ["ev-agree", "ev-meet"]


def test_claims_put_conflicting_values_side_by_side(client: TestClient) -> None:
    tree = page(client, "/claims?corroboration=conflicting")
    assert texts(tree, "//table[@id='claims-table']//td[@data-label='Figure']") == ["$1.4 bn", "$1.6 bn"]
    dots = tree.xpath("//*[local-name()='circle' and contains(@class, 'corr-conflicting')]/..")
    assert sorted(a.get("href") for a in dots) == ["/records/claim/clm-1-4", "/records/claim/clm-1-6"]
    record = page(client, "/records/claim/clm-1-4")
    assert texts(record, "//ul[@class='linked']//a") == [
        "$1.6 bn — bilateral trade 2024 (conflicting, 1 source)"]  # the competing figure, linked
    assert texts(record, "//div[@class='sources']//h3/a") == ["Kenya and Tanzania agree trade goal"]


def test_article_highlights_every_extraction_and_links_it(client: TestClient) -> None:
    data = client.get("/api/documents/doc-ke-2").json()
    text = data["document"]["text"]
    assert all(text[x["start"]:x["end"]] == x["quote"] for x in data["extractions"])
    linked = {(x["kind"], x["id"]) for x in data["extractions"]}
    assert {("actor", "act-jc"), ("actor", "act-mr-mrisho"), ("event", "ev-jc"), ("claim", "clm-1-6"),
            ("commitment", "com-post")} <= linked
    tree = page(client, "/documents/doc-ke-2")
    article = tree.xpath("//div[@id='article-text']")[0]
    assert article.text_content() == text  # the highlighted text is the article, character for character
    targets = {a.get("data-record") for a in article.xpath(".//a")}
    assert targets <= {f"{k}:{i}" for k, i in linked}
    assert {"claim:clm-1-6", "actor:act-mr-mrisho", "commitment:com-post"} <= targets  # the narrowest spans
    anchors = set(article.xpath(".//span[@class='anchor']/@id"))
    assert anchors == {f"m{x['start']}-{x['end']}" for x in data["extractions"]}  # every quote link lands


@pytest.mark.parametrize(("text", "spans", "expected"), [
    ("a <b> c", [], "a &lt;b&gt; c"),
    ("Ann met Bo", [{"kind": "actor", "id": "x", "role": "mention", "start": 0, "end": 3, "label": "Ann",
                     "url": "/records/actor/x"}],
     '<span class="anchor" id="m0-3"></span><a class="hl hl-actor role-mention" href="/records/actor/x" '
     'title="actor: Ann" data-record="actor:x" data-span="0-3">Ann</a> met Bo'),
    # Overlapping spans: the narrower one takes the link, the title names both.
    ("Ann met", [{"kind": "event", "id": "e", "role": "mention", "start": 0, "end": 7, "label": "E", "url": "/e"},
                 {"kind": "actor", "id": "a", "role": "mention", "start": 0, "end": 3, "label": "A", "url": "/a"}],
     '<span class="anchor" id="m0-7"></span><span class="anchor" id="m0-3"></span>'
     '<a class="hl hl-actor role-mention nested" href="/a" title="event: E; actor: A" data-record="actor:a" '
     'data-span="0-3">Ann</a>'
     '<a class="hl hl-event role-mention" href="/e" title="event: E" data-record="event:e" data-span="3-7"> met</a>'),
    # A span past the end of the text (a stale offset) is left out rather than cut wrong.
    ("short", [{"kind": "claim", "id": "c", "role": "mention", "start": 2, "end": 40, "label": "C", "url": "/c"}],
     "short"),
])
def test_highlight_escapes_every_slice(text: str, spans: list[dict[str, Any]], expected: str) -> None:
    assert highlight_html(text, spans) == expected


def test_markup_in_an_article_is_shown_as_text(tmp_path: Path) -> None:
    text = ('<script>window.__pwned = 1</script> Brazil <img src=x onerror="alert(1)"> and Argentina '
            'signed a pact. <b>"quoted"</b> & more')
    document = Document("doc-markup", text, "markup.txt", title="<i>Markup</i> title")
    start = text.index("Brazil")
    store = open_store(tmp_path / "markup.db")
    store.add_document(document, Extraction(document.id))
    store.save_corpus(Corpus(documents=[document], actors=[
        Actor("act-br", "Brazil <script>", "country", ["BRA"], mentions=[Mention(document.id, start, start + 6,
                                                                                   "Brazil")])],
        events=[Event("ev-x", "AGREE", None, ["BRA", "ARG"], [Mention(document.id, 0, 36, text[:36])],
                      summary='<img src=x onerror="alert(2)">')]))
    store.close()
    client = TestClient(create_app(tmp_path / "markup.db"))
    for path in ("/documents/doc-markup", "/actors", "/records/actor/act-br", "/timeline", "/search?q=Brazil"):
        html = client.get(path).text
        assert "<script>window" not in html and "<img src=x" not in html and "<script>\"" not in html, path
        assert "<i>Markup" not in html
    html = client.get("/documents/doc-markup").text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert lxml.html.fromstring(html).xpath("//div[@id='article-text']")[0].text_content() == text


def test_unknown_records_and_articles_are_404(client: TestClient) -> None:
    assert client.get("/records/event/nope").status_code == 404
    assert client.get("/records/planet/earth").status_code == 404
    assert client.get("/api/documents/nope").json() == {"detail": "no article nope"}


def test_openapi_covers_every_page(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for api in ("/api/overview", "/api/timeline", "/api/commitments", "/api/actors", "/api/claims", "/api/documents",
                "/api/documents/{doc_id}", "/api/records/{kind}/{record_id}", "/api/search", "/api/corrections"):
        ok = paths[api]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in ok, api
    assert {"EventOut", "CommitmentOut", "ClaimOut", "RowOut", "ReviewOut"} <= schema["components"]["schemas"].keys()
    for html in ("/timeline", "/login"):  # pages are in the schema too, as HTML (tests/test_openapi.py)
        assert "text/html" in paths[html]["get"]["responses"]["200"]["content"], html


def test_pages_load_nothing_from_elsewhere(client: TestClient) -> None:
    for path in ("/", "/timeline", "/documents/doc-ke-1"):
        tree = page(client, path)
        sources = tree.xpath("//script/@src | //link/@href | //img/@src")
        assert sources and all(s.startswith("/static/") for s in sources)
        assert tree.xpath("//meta[@name='viewport']")  # phone-width layout
    assert client.get("/static/style.css").status_code == 200
