"""The timeline of events: a chart of the filtered events, their monthly tone per pair, and the table of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from pactwatch.models import EVENT_TYPES, Event
from pactwatch.web import tables
from pactwatch.web.listing import (
    articles,
    country_facet,
    date_inferred,
    download,
    outlets,
    pair_facet,
    row_view,
    run,
    table_page,
)
from pactwatch.web.render import page_data, render
from pactwatch.web.schemas import DayFilter, TimelinePage, api_errors, page_errors
from pactwatch.web.svg import monthly_tone_svg, timeline_svg
from pactwatch.web.views import PageData, date_key, range_text, record_label

router = APIRouter()


def event_table(data: PageData) -> tables.Table[Event]:
    return tables.Table(
        name="events",
        columns=(
            tables.Column("date", "Date", lambda e: range_text(e.date) or None, lambda e: date_key(e.date) if e.date
                          else None, "date"),
            tables.Column("type", "Type", lambda e: e.type, lambda e: EVENT_TYPES.index(e.type)
                          if e.type in EVENT_TYPES else len(EVENT_TYPES), "badge"),
            tables.Column("summary", "Summary", lambda e: e.summary or e.type, style="link"),
            tables.Column("countries", "Countries", lambda e: list(e.countries), style="tags"),
            tables.Column("topics", "Topics", lambda e: list(e.topics), style="tags"),
            tables.Column("articles", "Articles", lambda e: articles(e.mentions), style="number"),
        ),
        facets=(
            pair_facet(lambda e: e.countries),
            country_facet(lambda e: e.countries),
            tables.Facet("type", "Type", lambda e: [e.type]),
            tables.Facet("topic", "Topic", lambda e: e.topics),
            tables.Facet("outlet", "Outlet", lambda e: outlets(e.mentions, data)),
        ),
        default_sort="date",
        text=lambda e: " ".join([e.type, e.summary, *e.topics, *(m.quote for m in e.mentions)]),
        dates=lambda e: e.date,
        url=lambda e: f"/records/event/{e.id}",
    )


def _events(data: PageData) -> Sequence[Event]:
    return data.corpus.events


def timeline_context(request: Request, data: PageData) -> tuple[tables.Result[Event], dict[str, Any]]:
    table = event_table(data)
    result, context = table_page(request, data, table, lambda: _events(data), lambda e: row_view(e, data),
                                 "/timeline")
    everything = data.corpus.events
    out = {
        "filters": {**{f["key"]: f["selected"] for f in context["facets"]},
                    "start": context["start"], "end": context["end"]},
        "types": [t for t in EVENT_TYPES if any(e.type == t for e in everything)],
        "topics": sorted({t for e in everything for t in e.topics}),
        "countries": [{"code": o["value"], "name": o["name"]} for f in context["facets"] if f["key"] == "country"
                      for o in sorted(f["options"], key=lambda o: o["name"])],
        "events": context["rows"],
        "undated": sum(1 for e in result.everything if e.date is None),
        "table": context,
    }
    return result, out


def chart_event(e: Event, data: PageData) -> dict[str, Any]:
    """What the chart draws of an event (a record view carries far more, for every event of the view)."""
    when = {"start": e.date.start.isoformat(), "end": e.date.end.isoformat(), "precision": e.date.precision} \
        if e.date else None
    return {"type": e.type, "date": when, "label": record_label(e), "summary": e.summary,
            "url": f"/records/event/{e.id}", "date_inferred": date_inferred(e, data)}


@router.get("/timeline", response_class=HTMLResponse, tags=["dashboard"], responses=page_errors(400))
def timeline_page(request: Request, type: str | None = None, topic: str | None = None, country: str | None = None,
                  start: DayFilter = None, end: DayFilter = None) -> HTMLResponse:
    data = page_data(request)
    result, context = timeline_context(request, data)
    shown = [chart_event(e, data) for e in result.everything if e.date is not None]
    pair = context["filters"].get("pair")
    return render(request, "timeline.html", context, chart=Markup(timeline_svg(shown)),
                  tone=Markup(monthly_tone_svg(result.everything, pair)))


@router.get("/api/timeline", response_model=TimelinePage, tags=["pages"], responses=api_errors(400))
def timeline_api(request: Request, type: str | None = None, topic: str | None = None, country: str | None = None,
                 start: DayFilter = None, end: DayFilter = None) -> dict[str, Any]:
    """Events (a page of them; sort, page, per, q, pair, outlet too), filter by PLOVER type, topic, ISO3 country,
    and start/end dates (YYYY-MM-DD); with facet counts."""
    return timeline_context(request, page_data(request))[1]


def events_download(request: Request, fmt: str) -> Response:
    data = page_data(request)
    table = event_table(data)
    return download(table, run(request, data, table, lambda: _events(data)).everything, fmt)
