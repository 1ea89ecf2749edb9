"""Search: records (actors, events, commitments, claims) whose words match, and articles from the store's text index.

Both kinds of hit are rows of one table, so they sort, filter, page and
download like every other list; records come first, articles in the index's
order of relevance.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from pactwatch.models import Actor, Claim, Commitment, DateRange, Event, Mention, Record
from pactwatch.review import record_kind
from pactwatch.store import open_store
from pactwatch.web import tables
from pactwatch.web.highlight import snippet_html
from pactwatch.web.listing import country_facet, download, outlets, prepared
from pactwatch.web.render import page_data, render
from pactwatch.web.schemas import SearchPage, api_errors, page_errors
from pactwatch.web.views import PageData, date_key, document_view, range_text, record_label, record_url

router = APIRouter()
# Control characters cannot occur in a search snippet of article text, so they mark hits unambiguously.
OPEN, CLOSE = "\x02", "\x03"
ARTICLE_HITS = 200  # the text index's best; a query matching more is one to narrow
KINDS = ("actor", "event", "commitment", "claim", "article")


@dataclass
class Hit:
    kind: str  # actor | event | commitment | claim | article
    title: str
    url: str
    rank: int  # records by kind, then articles by relevance
    snippet: str = ""
    hits: list[list[int]] = field(default_factory=list)  # [start, end) of each matched word in the snippet
    date: DateRange | None = None
    countries: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    document: dict[str, Any] | None = None


def _hits(marked: str) -> tuple[str, list[list[int]]]:
    """Strip the hit marks from a snippet, returning the plain text and each hit's [start, end)."""
    plain: list[str] = []
    hits: list[list[int]] = []
    at = 0
    for ch in marked:
        if ch == OPEN:
            hits.append([at, at])
        elif ch == CLOSE and hits:
            hits[-1][1] = at
        else:
            plain.append(ch)
            at += 1
    return "".join(plain), hits


def _record_text(record: Record) -> str:
    """The words a record is found by: its names, statement, subject or summary (not its sources' sentences)."""
    if isinstance(record, Actor):
        return " ".join([record.name, *record.aliases, *(r.title for r in record.roles)])
    if isinstance(record, Event):
        return " ".join([record.type, record.summary, *record.topics])
    if isinstance(record, Commitment):
        return " ".join([record.statement, *record.topics])
    return f"{record.subject} {record.unit}"


@dataclass
class RecordIndex:
    """Every record's words, by word: a query word is looked up in the distinct words, not in every record."""

    records: list[Record]
    postings: dict[str, list[int]]  # a word (casefolded, as split on spaces) -> the records having it

    def find(self, words: list[str]) -> list[Record]:
        """The records having every query word inside one of their words, in the index's order.

        A query word holds no space, so it is inside a record's text exactly when it is inside one of its words.
        """
        found: set[int] | None = None
        for word in words:
            having = {n for token, rows in self.postings.items() if word in token for n in rows}
            found = having if found is None else found & having
        return [self.records[n] for n in sorted(found or ())]


def _record_index(data: PageData) -> RecordIndex:
    index = prepared(data).get("search-index")
    if index is None:
        records: list[Record] = [*data.corpus.actors, *data.corpus.events, *data.corpus.commitments,
                                 *data.corpus.claims]
        postings: dict[str, list[int]] = {}
        for n, record in enumerate(records):
            for token in set(_record_text(record).casefold().split()):
                postings.setdefault(token, []).append(n)
        index = prepared(data)["search-index"] = RecordIndex(records, postings)
    return index


def _record_hit(record: Record, rank: int, data: PageData) -> Hit:
    kind = record_kind(record)
    dates = {Event: "date", Commitment: "due", Claim: "period"}
    when = getattr(record, dates.get(type(record), ""), None) if type(record) in dates else None
    countries = list(record.parties) if isinstance(record, Commitment) else list(record.countries)
    mentions: list[Mention] = list(record.mentions)
    return Hit(kind, record_label(record), record_url(kind, record.id), rank, date=when, countries=countries,
               outlets=outlets(mentions, data))


def find(data: PageData, db_path: str, query: str) -> list[Hit]:
    words = query.casefold().split()
    if not words:
        return []
    found = [_record_hit(r, KINDS.index(record_kind(r)), data) for r in _record_index(data).find(words)]
    with open_store(db_path) as store:
        articles = store.search(query, limit=ARTICLE_HITS, mark=(OPEN, CLOSE))
    for n, (document, marked) in enumerate(articles):
        snippet, hits = _hits(marked)
        view = document_view(document)
        found.append(Hit("article", view["name"], view["url_page"], len(KINDS) + n, snippet, hits,
                         document.published, outlets=[document.outlet] if document.outlet else [], document=view))
    return found


HIT_TABLE: tables.Table[Hit] = tables.Table(
    name="search",
    columns=(
        tables.Column("rank", "Rank", lambda h: h.rank, style="number"),
        tables.Column("kind", "Kind", lambda h: h.kind, lambda h: KINDS.index(h.kind), "badge"),
        tables.Column("title", "Found", lambda h: h.title, style="link"),
        tables.Column("date", "Date", lambda h: range_text(h.date) or None,
                      lambda h: date_key(h.date) if h.date else None, "date"),
        tables.Column("countries", "Countries", lambda h: h.countries, style="tags"),
    ),
    facets=(
        tables.Facet("kind", "Kind", lambda h: [h.kind]),
        country_facet(lambda h: h.countries),
        tables.Facet("outlet", "Outlet", lambda h: h.outlets),
    ),
    default_sort="rank",
    text=lambda h: "",  # the query itself chose the hits; q is not a second filter here
    dates=lambda h: h.date,
    url=lambda h: h.url,
)


def _view(request: Request) -> tables.View:
    params = {k: v for k, v in request.query_params.items() if k != "q"}
    view = tables.parse_view(HIT_TABLE, params)
    return replace(view, q=request.query_params.get("q", ""))


def _result(request: Request) -> tables.Result[Hit]:
    try:
        view = _view(request)
    except tables.ViewError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    hits = find(page_data(request), request.app.state.db_path, view.q)
    result = tables.query(HIT_TABLE, tables.prepare(HIT_TABLE, hits), replace(view, q=""))
    result.view = view  # links keep the query
    return result


def _hit_view(h: Hit) -> dict[str, Any]:
    return {"kind": h.kind, "title": h.title, "url": h.url, "snippet": h.snippet, "hits": h.hits,
            "document": h.document}


def search_context(request: Request) -> dict[str, Any]:
    result = _result(request)
    context = tables.table_context(HIT_TABLE, result, "/search", _hit_view, "/download/search")
    rows = context["rows"]
    return {"query": result.view.q, "hits": rows, "table": context,
            "results": [{"document": r["document"], "snippet": r["snippet"], "hits": r["hits"]}
                        for r in rows if r["kind"] == "article"]}


@router.get("/search", response_class=HTMLResponse, tags=["dashboard"], responses=page_errors(400))
def search_page(request: Request, q: str = "") -> HTMLResponse:
    context = search_context(request)
    snippets = [Markup(snippet_html(r["snippet"], r["hits"])) for r in context["hits"]]
    return render(request, "search.html", context, snippets=snippets)


@router.get("/api/search", response_model=SearchPage, tags=["pages"], responses=api_errors(400))
def search_api(request: Request, q: str = "") -> dict[str, Any]:
    """Records whose names or words match, then articles matching a full-text query, best first, with a snippet
    and where the words matched; a page at a time (sort, page, per, kind, country, outlet, start/end)."""
    return search_context(request)


def search_download(request: Request, fmt: str) -> Response:
    result = _result(request)
    return download(HIT_TABLE, result.everything, fmt)
