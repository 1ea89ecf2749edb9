"""Commitments: a chart from made to due with today's line, and the table of them with status, due date, progress."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from pactwatch.models import STATUSES, Commitment
from pactwatch.web import tables
from pactwatch.web.listing import articles, country_facet, download, outlets, pair_facet, row_view, run, table_page
from pactwatch.web.render import page_data, render
from pactwatch.web.schemas import CommitmentsPage, api_errors, page_errors
from pactwatch.web.svg import commitments_svg
from pactwatch.web.views import PageData, date_key, is_overdue, range_text

router = APIRouter()


def _progress(c: Commitment) -> float | None:
    ratio = (c.attributes.get("progress") or {}).get("ratio")
    return round(float(ratio) * 100) if isinstance(ratio, int | float) else None


def _held(c: Commitment) -> str | None:
    """A recurring commitment's meetings held of those expected so far: "1 of 2 (behind)"."""
    cadence = c.attributes.get("cadence")
    if not isinstance(cadence, dict) or "held" not in cadence:
        return None
    return f"{cadence['held']} of {cadence.get('expected', '?')}{' (behind)' if cadence.get('behind') else ''}"


def commitment_table(data: PageData) -> tables.Table[Commitment]:
    as_of = data.as_of
    return tables.Table(
        name="commitments",
        columns=(
            tables.Column("statement", "Commitment", lambda c: c.statement, style="link"),
            tables.Column("status", "Status", lambda c: c.status, lambda c: STATUSES.index(c.status)
                          if c.status in STATUSES else len(STATUSES), "badge"),
            tables.Column("kind", "Kind", lambda c: c.kind),
            tables.Column("parties", "Parties", lambda c: list(c.parties), style="tags"),
            tables.Column("made", "Made", lambda c: range_text(c.made_on) or None,
                          lambda c: date_key(c.made_on) if c.made_on else None, "date"),
            tables.Column("due", "Due", lambda c: range_text(c.due) or None,
                          lambda c: date_key(c.due) if c.due else None, "date"),
            tables.Column("progress", "Progress %", _progress, style="number"),
            tables.Column("held", "Held", _held, lambda c: (c.attributes.get("cadence") or {}).get("held")),
            tables.Column("overdue", "Overdue", lambda c: "overdue" if is_overdue(c, as_of) else None),
            tables.Column("articles", "Articles", lambda c: articles(c.mentions), style="number"),
        ),
        facets=(
            pair_facet(lambda c: c.parties),
            country_facet(lambda c: c.parties),
            tables.Facet("status", "Status", lambda c: [c.status]),
            tables.Facet("kind", "Kind", lambda c: [c.kind]),
            tables.Facet("topic", "Topic", lambda c: c.topics),
            tables.Facet("outlet", "Outlet", lambda c: outlets(c.mentions, data)),
        ),
        default_sort="due",
        text=lambda c: " ".join([c.statement, c.kind, c.status, *c.topics, *(m.quote for m in c.mentions)]),
        dates=lambda c: c.due,
        url=lambda c: f"/records/commitment/{c.id}",
    )


def commitments_context(request: Request, data: PageData) -> dict[str, Any]:
    _, context = table_page(request, data, commitment_table(data), lambda: data.corpus.commitments,
                            lambda c: row_view(c, data), "/commitments")
    return {"as_of": data.as_of.isoformat(), "commitments": context["rows"], "table": context}


@router.get("/commitments", response_class=HTMLResponse, tags=["dashboard"], responses=page_errors(400))
def commitments_page(request: Request, country: str | None = None, status: str | None = None) -> HTMLResponse:
    data = page_data(request)
    context = commitments_context(request, data)
    return render(request, "commitments.html", context,
                  chart=Markup(commitments_svg(context["commitments"], data.as_of)))


@router.get("/api/commitments", response_model=CommitmentsPage, tags=["pages"], responses=api_errors(400))
def commitments_api(request: Request, country: str | None = None, status: str | None = None) -> dict[str, Any]:
    """Commitments, a page at a time (sort, page, per, q, pair, country, status, kind, topic, outlet, start/end of
    the due date), with the tracker's progress, cadence and evidence, and facet counts."""
    return commitments_context(request, page_data(request))


def commitments_download(request: Request, fmt: str) -> Response:
    data = page_data(request)
    table = commitment_table(data)
    return download(table, run(request, data, table, lambda: data.corpus.commitments).everything, fmt)
