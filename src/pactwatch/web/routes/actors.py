"""Actors: people with their roles over time, bodies with their meetings, organisations and countries."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from pactwatch.models import Actor, Event
from pactwatch.web.render import page_data, render
from pactwatch.web.schemas import ActorsPage
from pactwatch.web.views import PageData, date_key, range_text, record_view

router = APIRouter()
GROUPS = (("people", "person"), ("bodies", "body"), ("organizations", "organization"), ("countries", "country"))


def appearances(actor: Actor, data: PageData) -> list[Event]:
    """The events an actor takes part in, in date order (for a body: its meetings and what it agreed)."""
    return sorted((e for e in data.corpus.events if actor.id in e.actors), key=lambda e: date_key(e.date))


def actor_view(actor: Actor, data: PageData) -> dict[str, Any]:
    view = record_view(actor, data)
    view["events"] = [{"id": e.id, "type": e.type, "date_text": range_text(e.date), "summary": e.summary,
                       "url": f"/records/event/{e.id}"} for e in appearances(actor, data)]
    return view


def actors_context(data: PageData) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for group, kind in GROUPS:
        members = sorted((a for a in data.corpus.actors if a.kind == kind), key=lambda a: a.name.lower())
        out[group] = [actor_view(a, data) for a in members]
    return out


@router.get("/actors", response_class=HTMLResponse, tags=["dashboard"])
def actors_page(request: Request) -> HTMLResponse:
    return render(request, "actors.html", actors_context(page_data(request)))


@router.get("/api/actors", response_model=ActorsPage, tags=["pages"])
def actors_api(request: Request) -> dict[str, Any]:
    """Every actor by kind, with roles over time and the events each appears in."""
    return actors_context(page_data(request))
