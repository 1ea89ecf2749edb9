"""Articles: the list, and each article with every extraction highlighted and linked to its record."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from pactwatch.models import Commitment, Document, Record
from pactwatch.review import record_kind
from pactwatch.web import tables
from pactwatch.web.highlight import highlight_html
from pactwatch.web.listing import country_facet, pair_facet, prepared, run, table_page
from pactwatch.web.listing import download as download_view
from pactwatch.web.render import page_data, render
from pactwatch.web.schemas import DocumentPage, DocumentsPage, api_errors, page_errors
from pactwatch.web.views import PageData, date_key, document_view, range_text, record_label, record_url

router = APIRouter()


def _doc_index(data: PageData) -> dict[str, tuple[set[str], int]]:
    """Per article: the countries of the records drawn from it and how many records cite it (worked out once)."""
    index = prepared(data).get("documents-index")
    if index is None:
        index = {}
        records: list[Record] = [*data.corpus.events, *data.corpus.commitments, *data.corpus.claims]
        for record in records:
            countries = record.parties if isinstance(record, Commitment) else record.countries
            for doc in {m.doc for m in record.mentions}:
                seen, n = index.get(doc, (set(), 0))
                index[doc] = (seen | set(countries), n + 1)
        prepared(data)["documents-index"] = index
    return index


def document_table(data: PageData) -> tables.Table[Document]:
    index = _doc_index(data)
    return tables.Table(
        name="documents",
        columns=(
            tables.Column("title", "Title", lambda d: document_view(d)["name"], style="link"),
            tables.Column("outlet", "Outlet", lambda d: d.outlet),
            tables.Column("published", "Published", lambda d: range_text(d.published) or None,
                          lambda d: date_key(d.published) if d.published else None, "date"),
            tables.Column("date_source", "Date from", lambda d: d.published_source),
            tables.Column("language", "Language", lambda d: d.language),
            tables.Column("records", "Records", lambda d: index.get(d.id, (set(), 0))[1], style="number"),
        ),
        facets=(
            pair_facet(lambda d: index.get(d.id, (set(), 0))[0]),
            country_facet(lambda d: index.get(d.id, (set(), 0))[0]),
            tables.Facet("outlet", "Outlet", lambda d: [d.outlet] if d.outlet else []),
            tables.Facet("date_source", "Date from", lambda d: [d.published_source] if d.published_source else []),
            tables.Facet("language", "Language", lambda d: [d.language]),
        ),
        default_sort="-published",
        text=lambda d: " ".join(filter(None, [d.title, d.outlet, d.source])),
        dates=lambda d: d.published,
        url=lambda d: f"/documents/{d.id}",
    )


def documents_context(request: Request, data: PageData) -> dict[str, Any]:
    _, context = table_page(request, data, document_table(data), lambda: data.corpus.documents, document_view,
                            "/documents")
    return {"documents": context["rows"], "table": context}


def documents_download(request: Request, fmt: str) -> Response:
    data = page_data(request)
    table = document_table(data)
    return download_view(table, run(request, data, table, lambda: data.corpus.documents).everything, fmt)


def extractions(document: Document, data: PageData) -> list[dict[str, Any]]:
    """Every span of every record in this document whose quote still matches the text, in text order."""
    out = []
    records: list[Record] = [*data.corpus.actors, *data.corpus.events, *data.corpus.commitments, *data.corpus.claims]
    for record in records:
        kind = record_kind(record)
        spans = [("mention", m) for m in record.mentions]
        if isinstance(record, Commitment):
            spans += [("evidence", m) for m in record.evidence]
        for role, m in spans:
            if m.doc == document.id and document.text[m.start:m.end] == m.quote:
                out.append({"kind": kind, "id": record.id, "role": role, "start": m.start, "end": m.end,
                            "quote": m.quote, "label": record_label(record), "url": record_url(kind, record.id)})
    return sorted(out, key=lambda s: (s["start"], s["end"], s["kind"]))


def document_context(data: PageData, doc_id: str) -> dict[str, Any]:
    document = data.documents.get(doc_id)
    if document is None:
        raise HTTPException(status_code=404, detail=f"no article {doc_id}")
    return {"document": document_view(document, with_text=True), "extractions": extractions(document, data)}


@router.get("/documents", response_class=HTMLResponse, tags=["dashboard"], responses=page_errors(400))
def documents_page(request: Request, outlet: str | None = None) -> HTMLResponse:
    return render(request, "documents.html", documents_context(request, page_data(request)))


@router.get("/api/documents", response_model=DocumentsPage, tags=["pages"], responses=api_errors(400))
def documents_api(request: Request, outlet: str | None = None) -> dict[str, Any]:
    """Articles a page at a time, newest first (sort, page, per, q, pair, country, outlet, date_source, language,
    start/end of the publication date), with facet counts."""
    return documents_context(request, page_data(request))


@router.get("/documents/{doc_id}", response_class=HTMLResponse, tags=["dashboard"], responses=page_errors(404))
def document_page(request: Request, doc_id: str) -> HTMLResponse:
    context = document_context(page_data(request), doc_id)
    text = Markup(highlight_html(context["document"]["text"], context["extractions"]))
    return render(request, "document.html", context, highlighted=text)


@router.get("/api/documents/{doc_id}", response_model=DocumentPage, tags=["pages"], responses=api_errors(404))
def document_api(request: Request, doc_id: str) -> dict[str, Any]:
    """One article's text with every extraction's span, kind, record id and link."""
    return document_context(page_data(request), doc_id)
