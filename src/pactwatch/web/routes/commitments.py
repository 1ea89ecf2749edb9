"""The commitments board: one column per status, each card with its due date, progress and evidence."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from pactwatch.models import STATUSES
from pactwatch.web.render import page_data, render
from pactwatch.web.schemas import CommitmentsPage
from pactwatch.web.views import PageData, country_options, date_key, is_overdue, record_view

router = APIRouter()


def commitments_context(data: PageData, country: str | None) -> dict[str, Any]:
    as_of = data.as_of
    chosen = [c for c in data.corpus.commitments if not country or country in c.parties]
    columns = []
    for status in STATUSES:
        cards = []
        for c in sorted((c for c in chosen if c.status == status), key=lambda c: (c.due is None, date_key(c.due))):
            view = record_view(c, data)
            view["overdue"] = is_overdue(c, as_of)
            cards.append(view)
        columns.append({"status": status, "commitments": cards})
    return {"as_of": as_of.isoformat(), "country": country or None,
            "countries": country_options({p for c in data.corpus.commitments for p in c.parties}),
            "columns": columns}


@router.get("/commitments", response_class=HTMLResponse, tags=["dashboard"])
def commitments_page(request: Request, country: str | None = None) -> HTMLResponse:
    return render(request, "commitments.html", commitments_context(page_data(request), country))


@router.get("/api/commitments", response_model=CommitmentsPage, tags=["pages"])
def commitments_api(request: Request, country: str | None = None) -> dict[str, Any]:
    """Commitments by status (pending, met, missed, unknown), with the tracker's progress, cadence and evidence."""
    return commitments_context(page_data(request), country)
