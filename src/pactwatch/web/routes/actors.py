"""Actors: people with their roles over time, bodies with their meetings, organisations and countries, as a table."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from pactwatch.models import Actor, Event
from pactwatch.web import tables
from pactwatch.web.listing import articles, country_facet, download, events_of, outlets, row_view, run, table_page
from pactwatch.web.recordpage import role_text
from pactwatch.web.render import page_data, render
from pactwatch.web.schemas import ActorsPage, api_errors, page_errors
from pactwatch.web.views import PageData, date_key, range_text, record_view

router = APIRouter()
KINDS = ("person", "body", "organization", "country")


def appearances(actor: Actor, data: PageData) -> list[Event]:
    """The events an actor takes part in, in date order (for a body: its meetings and what it agreed)."""
    return sorted((e for e in data.corpus.events if actor.id in e.actors), key=lambda e: date_key(e.date))


def actor_view(actor: Actor, data: PageData) -> dict[str, Any]:
    view = record_view(actor, data)
    view["events"] = [{"id": e.id, "type": e.type, "date_text": range_text(e.date), "summary": e.summary,
                       "url": f"/records/event/{e.id}"} for e in appearances(actor, data)]
    view["role_texts"] = [role_text(r) for r in actor.roles]
    return view


def actor_table(data: PageData) -> tables.Table[Actor]:
    return tables.Table(
        name="actors",
        columns=(
            tables.Column("name", "Name", lambda a: a.name, style="link"),
            tables.Column("kind", "Kind", lambda a: a.kind, lambda a: KINDS.index(a.kind) if a.kind in KINDS
                          else len(KINDS), "badge"),
            tables.Column("countries", "Countries", lambda a: list(a.countries), style="tags"),
            tables.Column("roles", "Roles", lambda a: [role_text(r) for r in a.roles] or None),
            tables.Column("mentions", "Mentions", lambda a: len(a.mentions), style="number"),
            tables.Column("articles", "Articles", lambda a: articles(a.mentions), style="number"),
        ),
        facets=(
            tables.Facet("kind", "Kind", lambda a: [a.kind]),
            country_facet(lambda a: a.countries),
            tables.Facet("outlet", "Outlet", lambda a: outlets(a.mentions, data)),
        ),
        default_sort="-articles",
        text=lambda a: " ".join([a.name, *a.aliases, *(r.title for r in a.roles)]),
        url=lambda a: f"/records/actor/{a.id}",
    )


def actor_row(actor: Actor, data: PageData) -> dict[str, Any]:
    view = row_view(actor, data)
    view["events"] = [{"id": e.id, "type": e.type, "date_text": range_text(e.date), "summary": e.summary,
                       "url": f"/records/event/{e.id}"} for e in events_of(actor.id, data)]
    view["role_texts"] = [role_text(r) for r in actor.roles]
    return view


def actors_context(request: Request, data: PageData) -> dict[str, Any]:
    _, context = table_page(request, data, actor_table(data), lambda: data.corpus.actors,
                            lambda a: actor_row(a, data), "/actors")
    return {"actors": context["rows"], "table": context}


@router.get("/actors", response_class=HTMLResponse, tags=["dashboard"], responses=page_errors(400))
def actors_page(request: Request, kind: str | None = None, country: str | None = None) -> HTMLResponse:
    return render(request, "actors.html", actors_context(request, page_data(request)))


@router.get("/api/actors", response_model=ActorsPage, tags=["pages"], responses=api_errors(400))
def actors_api(request: Request, kind: str | None = None, country: str | None = None) -> dict[str, Any]:
    """Actors a page at a time (sort, page, per, q, kind, country, outlet), with roles over time, the events
    each appears in, and facet counts."""
    return actors_context(request, page_data(request))


def actors_download(request: Request, fmt: str) -> Response:
    data = page_data(request)
    table = actor_table(data)
    return download(table, run(request, data, table, lambda: data.corpus.actors).everything, fmt)
