"""The timeline of events, filterable by type, topic, country and dates; a chart and a list."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from pactwatch.models import EVENT_TYPES, Event
from pactwatch.web.render import page_data, render
from pactwatch.web.schemas import DayFilter, TimelinePage, api_errors, page_errors
from pactwatch.web.svg import timeline_svg
from pactwatch.web.views import PageData, country_options, date_key, record_view

router = APIRouter()
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _day(text: str | None, name: str) -> date | None:
    """The schema's date (RFC 3339 full-date): fromisoformat alone would also take 20250314 and 2025-W11-5."""
    if not text:
        return None
    try:
        if not ISO_DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError as exc:
        raise HTTPException(status_code=400, detail=f"{name} must be a date like 2025-03-14") from exc


def _keep(e: Event, type_: str | None, topic: str | None, country: str | None,
          start: date | None, end: date | None) -> bool:
    if type_ and e.type != type_:
        return False
    if topic and topic not in e.topics:
        return False
    if country and country not in e.countries:
        return False
    if (start or end) and e.date is None:
        return False
    if start and e.date and e.date.end < start:
        return False
    return not (end and e.date and e.date.start > end)


def timeline_context(data: PageData, type_: str | None, topic: str | None, country: str | None,
                     start: str | None, end: str | None) -> dict[str, Any]:
    first, last = _day(start, "start"), _day(end, "end")
    events = sorted((e for e in data.corpus.events if _keep(e, type_ or None, topic or None, country or None,
                                                           first, last)), key=lambda e: date_key(e.date))
    all_events = data.corpus.events
    return {
        "filters": {"type": type_ or None, "topic": topic or None, "country": country or None,
                    "start": start or None, "end": end or None},
        "types": [t for t in EVENT_TYPES if any(e.type == t for e in all_events)],
        "topics": sorted({t for e in all_events for t in e.topics}),
        "countries": country_options({c for e in all_events for c in e.countries}),
        "events": [record_view(e, data) for e in events],
    }


@router.get("/timeline", response_class=HTMLResponse, tags=["dashboard"], responses=page_errors(400))
def timeline_page(request: Request, type: str | None = None, topic: str | None = None, country: str | None = None,
                  start: DayFilter = None, end: DayFilter = None) -> HTMLResponse:
    context = timeline_context(page_data(request), type, topic, country, start, end)
    return render(request, "timeline.html", context, chart=Markup(timeline_svg(context["events"])))


@router.get("/api/timeline", response_model=TimelinePage, tags=["pages"], responses=api_errors(400))
def timeline_api(request: Request, type: str | None = None, topic: str | None = None, country: str | None = None,
                 start: DayFilter = None, end: DayFilter = None) -> dict[str, Any]:
    """Events in date order; filter by PLOVER type, topic, ISO3 country, and start/end dates (YYYY-MM-DD)."""
    return timeline_context(page_data(request), type, topic, country, start, end)
