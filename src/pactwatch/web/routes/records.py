"""Record pages: every field of one actor, event, commitment or claim, its sources and its review history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from pactwatch.models import Actor, Commitment, Event, Record
from pactwatch.review import FIELDS
from pactwatch.store import RECORD_KINDS
from pactwatch.web import recordpage
from pactwatch.web.render import page_data, render
from pactwatch.web.routes.actors import actor_view, appearances
from pactwatch.web.schemas import RecordKind, RecordPage, api_errors, page_errors
from pactwatch.web.views import PageData, record_view

router = APIRouter()


def find(data: PageData, kind: str, record_id: str) -> Record:
    if kind not in RECORD_KINDS:
        raise HTTPException(status_code=404, detail=f"no record kind {kind!r}")
    by_kind: dict[str, Sequence[Record]] = {"actor": data.corpus.actors, "event": data.corpus.events,
                                            "commitment": data.corpus.commitments, "claim": data.corpus.claims}
    for record in by_kind[kind]:
        if record.id == record_id:
            return record
    raise HTTPException(status_code=404, detail=f"no {kind} {record_id}")


def record_context(data: PageData, kind: str, record_id: str) -> dict[str, Any]:
    record = find(data, kind, record_id)
    view = actor_view(record, data) if isinstance(record, Actor) else record_view(record, data)
    events = appearances(record, data) if isinstance(record, Actor) else []
    context: dict[str, Any] = {
        "kind": kind, "record": view, "events": [record_view(e, data) for e in events if isinstance(e, Event)],
        "corrections": [c.to_dict() for c in data.corrections if c.kind == kind and c.record_id == record_id],
        "fields": list(FIELDS[kind]),
        # What the page says in words (web/recordpage.py): facts, roles, sources in their sentences, links.
        "facts": recordpage.facts(record, data),
        "role_sentences": ([recordpage.role_sentence(record.name, r) for r in record.roles]
                           if isinstance(record, Actor) else []),
        "sources": recordpage.sources(record.mentions, data),
        "evidence_sources": recordpage.sources(record.evidence, data) if isinstance(record, Commitment) else [],
        "linked": recordpage.linked(record, data),
    }
    if isinstance(record, Actor):
        context["merge_candidates"] = [{"id": a.id, "name": a.name} for a in
                                       sorted(data.corpus.actors, key=lambda a: a.name.lower())
                                       if a.kind == record.kind and a.id != record.id]
    return context


@router.get("/records/{kind}/{record_id}", response_class=HTMLResponse, tags=["dashboard"], responses=page_errors(404))
def record_page(request: Request, kind: RecordKind, record_id: str) -> HTMLResponse:
    return render(request, "record.html", record_context(page_data(request), kind, record_id))


@router.get("/api/records/{kind}/{record_id}", response_model=RecordPage, tags=["pages"], responses=api_errors(404))
def record_api(request: Request, kind: RecordKind, record_id: str) -> dict[str, Any]:
    """One record (kind: actor | event | commitment | claim) as analysts left it, with its review history."""
    return record_context(page_data(request), kind, record_id)
