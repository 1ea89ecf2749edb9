"""Articles: the list, and each article with every extraction highlighted and linked to its record."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from pactwatch.models import Commitment, Document, Record
from pactwatch.review import record_kind
from pactwatch.web.highlight import highlight_html
from pactwatch.web.render import page_data, render
from pactwatch.web.schemas import DocumentPage, DocumentsPage, api_errors, page_errors
from pactwatch.web.views import PageData, date_key, document_view, record_label, record_url

router = APIRouter()


def documents_context(data: PageData) -> dict[str, Any]:
    documents = sorted(data.corpus.documents, key=lambda d: date_key(d.published), reverse=True)
    return {"documents": [document_view(d) for d in documents]}


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


@router.get("/documents", response_class=HTMLResponse, tags=["dashboard"])
def documents_page(request: Request) -> HTMLResponse:
    return render(request, "documents.html", documents_context(page_data(request)))


@router.get("/api/documents", response_model=DocumentsPage, tags=["pages"])
def documents_api(request: Request) -> dict[str, Any]:
    """Every article, newest first."""
    return documents_context(page_data(request))


@router.get("/documents/{doc_id}", response_class=HTMLResponse, tags=["dashboard"], responses=page_errors(404))
def document_page(request: Request, doc_id: str) -> HTMLResponse:
    context = document_context(page_data(request), doc_id)
    text = Markup(highlight_html(context["document"]["text"], context["extractions"]))
    return render(request, "document.html", context, highlighted=text)


@router.get("/api/documents/{doc_id}", response_model=DocumentPage, tags=["pages"], responses=api_errors(404))
def document_api(request: Request, doc_id: str) -> dict[str, Any]:
    """One article's text with every extraction's span, kind, record id and link."""
    return document_context(page_data(request), doc_id)
