"""Full-text search over the articles (the store's index: SQLite FTS5 or PostgreSQL tsvector)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from pactwatch.store import open_store
from pactwatch.web.highlight import snippet_html
from pactwatch.web.render import render
from pactwatch.web.schemas import SearchPage
from pactwatch.web.views import document_view

router = APIRouter()
# Control characters cannot occur in a search snippet of article text, so they mark hits unambiguously.
OPEN, CLOSE = "\x02", "\x03"


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


def search_context(db_path: str, query: str) -> dict[str, Any]:
    results = []
    if query.strip():
        with open_store(db_path) as store:
            found = store.search(query, mark=(OPEN, CLOSE))
        for document, marked in found:
            snippet, hits = _hits(marked)
            results.append({"document": document_view(document), "snippet": snippet, "hits": hits})
    return {"query": query, "results": results}


@router.get("/search", response_class=HTMLResponse, tags=["dashboard"])
def search_page(request: Request, q: str = "") -> HTMLResponse:
    context = search_context(request.app.state.db_path, q)
    snippets = [Markup(snippet_html(r["snippet"], r["hits"])) for r in context["results"]]
    return render(request, "search.html", context, snippets=snippets)


@router.get("/api/search", response_model=SearchPage, tags=["pages"])
def search_api(request: Request, q: str = "") -> dict[str, Any]:
    """Articles matching an FTS5 query, best first, with a snippet and where the words matched."""
    return search_context(request.app.state.db_path, q)
