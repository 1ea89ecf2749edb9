"""The briefing: what it selects for a pair and a period, and how Markdown, HTML and PDF show it."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pactwatch.documents import document_id
from pactwatch.models import Actor, Claim, Commitment, Corpus, DateRange, Document, Event, Location, Mention, Target
from pactwatch.report import Briefing, build_briefing, find_chromium, render_html, render_markdown, write_briefing
from pactwatch.track import judge

EVIL = "Talks <script>alert('x')</script> & <img src=x onerror=alert(1)> in Ankara"


def day(text: str) -> DateRange:
    return DateRange.day(date.fromisoformat(text))


def article(text: str, published: str, outlet: str, title: str, url: str | None = None) -> Document:
    return Document(id=document_id(text), text=text, source=f"{published}-{outlet}.txt", title=title, outlet=outlet,
                    url=url, published=day(published), published_source="given")


def mention(doc: Document, phrase: str) -> Mention:
    start = doc.text.index(phrase)
    return Mention(doc.id, start, start + len(phrase), phrase)


JWG = "Pakistan-Türkiye Joint Working Group"
A = article(f"Pakistan and Türkiye agreed to raise bilateral trade to $5 billion. The {JWG} will hold its first "
            "session in May 2025. Bilateral trade stood at $1.4 billion last year.", "2025-03-06", "Dawn",
            "Pakistan, Türkiye set $5bn trade goal", "https://example.org/dawn/trade")
B = article(f"The {JWG} held its first session in Ankara on Monday, Pakistani and Turkish officials said. "
            "Bilateral trade reached $1.9 billion last year, Turkish figures show.", "2025-05-14", "Anadolu", EVIL,
            "javascript:alert(1)")
C = article("India and Australia held talks on critical minerals in Canberra.", "2025-04-01", "The Hindu",
            "India, Australia talk minerals")
D = article("Pakistani and Turkish navies held a joint exercise in the Arabian Sea on Friday.", "2025-07-04", "Dawn",
            "Navies exercise together")


def corpus() -> Corpus:
    actors = [Actor("a1", JWG, "body", ["PAK", "TUR"], mentions=[mention(A, JWG)])]
    events = [
        Event("e1", "CONSULT", day("2025-03-05"), ["PAK", "TUR"], [mention(A, "Pakistan and Türkiye agreed")],
              mode="meeting", location=Location("Islamabad", "PAK"), summary="Foreign ministers met in Islamabad."),
        Event("e2", "CONSULT", day("2025-05-12"), ["PAK", "TUR"], [mention(B, f"The {JWG} held its first session")],
              mode="meeting", actors=["a1"], location=Location("Ankara", "TUR"),
              summary="The joint working group held its first session <b>in Ankara</b>."),
        Event("e3", "CONSULT", day("2025-03-31"), ["IND", "AUS"], [mention(C, "India and Australia held talks")],
              summary="India and Australia held talks on minerals."),
        Event("e4", "COOPERATE", day("2025-07-04"), ["PAK", "TUR"], [mention(D, "held a joint exercise")],
              mode="exercise", summary="The two navies held a joint exercise."),
    ]
    commitments = [
        Commitment("c1", f"The {JWG} will hold its first session in May 2025.", "action", ["PAK", "TUR"],
                   [mention(A, f"The {JWG} will hold its first session in May 2025.")], actors=["a1"],
                   made_on=day("2025-03-05"), due=DateRange.month(2025, 5)),
        Commitment("c2", "Raise bilateral trade to $5 billion.", "target", ["PAK", "TUR"],
                   [mention(A, "Pakistan and Türkiye agreed to raise bilateral trade to $5 billion.")],
                   made_on=day("2025-03-05"), target=Target(5e9, "USD"), subject="bilateral trade"),
    ]
    claims = [
        Claim("k1", "bilateral trade", 1.4e9, "USD", [mention(A, "Bilateral trade stood at $1.4 billion")],
              period=DateRange.year(2024), countries=["PAK", "TUR"], corroboration="conflicting"),
        Claim("k2", "bilateral trade", 1.9e9, "USD", [mention(B, "Bilateral trade reached $1.9 billion")],
              period=DateRange.year(2024), countries=["PAK", "TUR"], corroboration="conflicting"),
    ]
    return judge(Corpus(documents=[A, B, C, D], actors=actors, events=events, commitments=commitments,
                        claims=claims))


def briefing(start: str | None = None, end: str | None = None) -> Briefing:
    return build_briefing(corpus(), ("PAK", "TUR"), date.fromisoformat(start) if start else None,
                          date.fromisoformat(end) if end else None)


PERIODS = [
    # from, to -> events, commitments, claims, documents cited, status of the session pledge, first day
    (None, None, 3, 2, 2, 3, "met", "2025-03-05"),
    ("2025-03-01", "2025-04-30", 1, 2, 1, 1, "pending", "2025-03-01"),
    ("2025-05-01", "2025-05-31", 1, 2, 1, 2, "met", "2025-05-01"),
    ("2025-06-01", None, 1, 1, 0, 3, None, "2025-06-01"),  # the open target cites its progress figure
]


@pytest.mark.parametrize(("start", "end", "events", "commitments", "claims", "docs", "status", "first"), PERIODS)
def test_selection_by_pair_and_period(start: str | None, end: str | None, events: int, commitments: int, claims: int,
                                      docs: int, status: str | None, first: str) -> None:
    b = briefing(start, end)
    assert (b.counts["events"], b.counts["commitments"], b.counts["claims"], b.counts["documents"]) == (
        events, commitments, claims, docs)
    assert all({"PAK", "TUR"} <= set(t.event.countries) for t in b.timeline)  # never another pair's record
    assert b.start == date.fromisoformat(first)
    session = [e for e in b.commitments if e.commitment.id == "c1"]
    assert (session[0].commitment.status if session else None) == status


def test_sources_numbered_by_date_and_cited_by_number() -> None:
    b = briefing()
    assert [s.document.id for s in b.sources] == [A.id, B.id, D.id]
    assert [s.number for s in b.sources] == [1, 2, 3]
    assert [t.sources for t in b.timeline] == [[1], [2], [3]]
    met = next(e for e in b.commitments if e.commitment.id == "c1")
    assert met.evidence and met.evidence[0].source == 2 and "held its first session" in met.evidence[0].text
    assert met.sources == [1, 2]
    assert b.statuses == {"pending": 1, "met": 1, "missed": 0, "unknown": 0}


def test_figures_show_conflicting_values_side_by_side() -> None:
    b = briefing()
    assert [(f.value, f.others, f.claim.corroboration) for f in b.figures] == [
        ("$1.4 bn", ["$1.9 bn"], "conflicting"), ("$1.9 bn", ["$1.4 bn"], "conflicting")]
    target = next(e for e in b.commitments if e.commitment.id == "c2")
    assert target.progress.startswith("$1.9 bn of $5 bn (38%)")


class _Sections(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.tags: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        values = dict(attrs)
        if tag == "section" and values.get("id"):
            self.ids.append(values["id"] or "")
        if tag == "a":
            self.links.append(values.get("href") or "")


def test_html_structure_and_escaping() -> None:
    html = render_html(briefing())
    parser = _Sections()
    parser.feed(html)
    assert parser.ids == ["summary", "timeline", "commitments", "figures", "sources"]
    assert "script" not in parser.tags and "img" not in parser.tags  # markup from articles is text, never elements
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html and "&lt;b&gt;in Ankara&lt;/b&gt;" in html
    assert "https://example.org/dawn/trade" in parser.links
    assert not any(link.lower().startswith("javascript:") for link in parser.links)
    assert not re.search(r"(src|href)=\"(https?:)?//(?!example\.org)", html)  # self-contained: nothing remote
    assert "<style>" in html


def test_markdown_sections_numbers_and_escaping() -> None:
    md = render_markdown(briefing())
    headings = re.findall(r"^## (.+)$", md, re.M)
    assert headings == ["Summary", "Timeline", "Commitments", "Key figures", "Sources"]
    assert "- Events: 3" in md and "(met 1, missed 0, pending 1, unknown 0; overdue 0)" in md
    assert "Period:** 2025-03-05 to 2025-07-04" in md
    assert "<script>" not in md and "\\<script\\>" in md
    assert "[2] Talks \\<script\\>" in md and "<https://example.org/dawn/trade>" in md
    assert "javascript:" not in md  # only web addresses are written as links
    assert '"The Pakistan-Türkiye Joint Working Group held its first session" [2]' in md


def test_write_all_formats(tmp_path: Path) -> None:
    written = write_briefing(briefing(), tmp_path / "brief", "all")
    names = {p.name for p in written.paths}
    assert {"brief.md", "brief.html"} <= names
    if find_chromium():
        assert "brief.pdf" in names and (tmp_path / "brief.pdf").read_bytes().startswith(b"%PDF")
    else:
        assert written.notes and "PDF skipped" in written.notes[0]


@pytest.mark.skipif(find_chromium() is None, reason="headless Chromium is not installed")
def test_pdf_printed_by_chromium(tmp_path: Path) -> None:
    out = tmp_path / "briefing.pdf"
    written = write_briefing(briefing(), out, "pdf")
    assert written.paths == [out] and not written.notes
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        write_briefing(briefing(), tmp_path / "x.doc", "doc")


def _store(tmp_path: Path) -> str:
    from pactwatch.models import Extraction
    from pactwatch.store import open_store

    path = tmp_path / "brief.db"
    store = open_store(path)
    try:
        for doc in (A, B, C, D):
            store.add_document(doc, Extraction(doc.id))
        store.save_corpus(corpus())
    finally:
        store.close()
    return str(path)


CLI = [
    # arguments -> exit status, what stderr or stdout says, files written
    (["report", "--pair", "PAK-TUR", "-o", "{tmp}/b.md"], 0, "wrote", ["b.md"]),
    (["report", "--pair", "TUR,PAK", "--format", "html", "--to", "2025-04", "-o", "{tmp}/b.html"], 0, "1 events",
     ["b.html"]),
    (["report", "--pair", "PAK", "-o", "{tmp}/b.md"], 2, "bad --pair", []),
    (["report", "--from", "2025-06", "--to", "2025-03", "-o", "{tmp}/b.md"], 2, "--from is after --to", []),
    (["report", "--format", "docx", "-o", "{tmp}/b.docx"], 2, "unknown format", []),
    (["track"], 0, "Met: the joint working group held its first session", []),
    (["track", "--as-of", "2025-04-30"], 0, "Pending: due 2025-05", []),
    (["track", "--as-of", "2025-02-30"], 2, "bad --as-of", []),
]


@pytest.mark.parametrize(("args", "code", "said", "files"), CLI)
def test_cli(tmp_path: Path, args: list[str], code: int, said: str, files: list[str]) -> None:
    from typer.testing import CliRunner

    from pactwatch.cli import app

    db = _store(tmp_path)
    result = CliRunner().invoke(app, [a.format(tmp=tmp_path) for a in args] + ["--db", db],
                                env={"COLUMNS": "250"})
    assert result.exit_code == code, result.output
    assert said in " ".join(result.output.split())
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("b.")) == files


# --- figures and print layout, on a pair of their own ----------------------------------------------------------

K1 = article("Kenya and Tanzania put two-way trade at $1.2 billion in 2024. Trade could reach $3-4 billion by 2030. "
             "Kenya will deploy 40 customs officers to the post.", "2025-02-03", "Lake Courier",
             "Kenya, Tanzania eye $4bn trade")
K2 = article("Two-way trade between Kenya and Tanzania was $1.6 billion in 2024, the Tanzanian ministry said. "
             "Trade could reach $3.5 billion by 2030.", "2025-02-10", "Daily Coast", "Tanzania puts trade at $1.6bn")


def kenya_tanzania() -> Briefing:
    both = ["KEN", "TZA"]
    claims = [
        Claim("t1", "two-way trade", 1.2e9, "USD", [mention(K1, "$1.2 billion")], period=DateRange.year(2024),
              countries=both, corroboration="conflicting"),
        Claim("t2", "two-way trade", 1.6e9, "USD", [mention(K2, "$1.6 billion")], period=DateRange.year(2024),
              countries=both, corroboration="conflicting"),
        # a range and a figure inside it, both about 2030: one claim each, no conflict, no "other value"
        Claim("t3", "projected trade", 3e9, "USD", [mention(K1, "$3-4 billion")], period=DateRange.year(2030),
              countries=both, high=4e9, attributes={"projection": True}),
        Claim("t4", "projected trade", 3.5e9, "USD", [mention(K2, "$3.5 billion")], period=DateRange.year(2030),
              countries=both, attributes={"projection": True}),
        Claim("t5", "customs officers", 40, "count", [mention(K1, "40 customs officers")], countries=both,
              attributes={"kind": "count", "counted": "officers"}),
    ]
    corpus = Corpus(documents=[K1, K2], actors=[], events=[], commitments=[], claims=claims)
    return build_briefing(corpus, ("KEN", "TZA"))


def test_the_conflict_count_agrees_with_the_table() -> None:
    b = kenya_tanzania()
    rows = {f.claim.id: f for f in b.figures}
    listed = [f for f in b.figures if f.others]
    assert b.counts["conflicting"] == len(listed) == 2
    assert rows["t1"].others == ["$1.6 bn"] and rows["t3"].others == [] and rows["t4"].others == []
    assert rows["t3"].value == "$3–4 bn" and rows["t5"].value == "40 officers"
    html = render_html(b)
    assert "Figures in conflict: 2." in html and html.count('class="conflicting"') == 2
    assert "Key figures: 5 (2 conflicting)" in render_markdown(b)


@pytest.mark.skipif(find_chromium() is None, reason="headless Chromium is not installed")
def test_print_layout_keeps_every_column_and_headings_with_their_content() -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    b = kenya_tanzania()
    long = "a subject described at very great length to push its column wide " * 3
    b.figures[0].claim.subject = long
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium())
        page = browser.new_page(viewport={"width": 688, "height": 1000})  # A4 less its margins, at 96 dpi
        page.emulate_media(media="print")
        page.set_content(render_html(b))
        tables = page.eval_on_selector_all("table", """tables => tables.map(t => {
            const cells = [...t.querySelectorAll('th, td')].map(c => c.getBoundingClientRect().right);
            return Math.max(...cells); })""")
        width = page.evaluate("document.documentElement.clientWidth")
        breaks = page.eval_on_selector_all("h2, h3", "hs => hs.map(h => getComputedStyle(h).breakAfter)")
        rows = page.eval_on_selector_all("tr", "rs => rs.map(r => getComputedStyle(r).breakInside)")
        browser.close()
    assert tables and all(right <= width + 0.5 for right in tables), (tables, width)  # no column cut off
    assert breaks and all(b in ("avoid-page", "avoid") for b in breaks)
    assert rows and all(r == "avoid" for r in rows)
