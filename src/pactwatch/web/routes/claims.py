"""Claims: a dot plot per subject (a dot per source, ranges as ranges) and the table of every figure."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from pactwatch.models import CORROBORATION, Claim
from pactwatch.track import claim_value
from pactwatch.web import tables
from pactwatch.web.listing import articles, country_facet, download, outlets, pair_facet, row_view, run, table_page
from pactwatch.web.render import page_data, render
from pactwatch.web.schemas import ClaimsPage, api_errors, page_errors
from pactwatch.web.svg import claims_svg
from pactwatch.web.views import PageData, claim_groups, date_key, range_text

router = APIRouter()


def claim_table(data: PageData) -> tables.Table[Claim]:
    return tables.Table(
        name="claims",
        columns=(
            tables.Column("subject", "Subject", lambda c: c.subject, style="link"),
            tables.Column("value", "Figure", claim_value, lambda c: c.value),
            tables.Column("unit", "Unit", lambda c: c.unit),
            tables.Column("period", "Period", lambda c: range_text(c.period) or None,
                          lambda c: date_key(c.period) if c.period else None, "date"),
            tables.Column("corroboration", "Corroboration", lambda c: c.corroboration.replace("_", " "),
                          lambda c: CORROBORATION.index(c.corroboration) if c.corroboration in CORROBORATION
                          else len(CORROBORATION), "badge"),
            tables.Column("countries", "Countries", lambda c: list(c.countries), style="tags"),
            tables.Column("articles", "Sources", lambda c: articles(c.mentions), style="number"),
        ),
        facets=(
            pair_facet(lambda c: c.countries),
            country_facet(lambda c: c.countries),
            tables.Facet("corroboration", "Corroboration", lambda c: [c.corroboration],
                         lambda v: v.replace("_", " ")),
            tables.Facet("unit", "Unit", lambda c: [c.unit]),
            tables.Facet("outlet", "Outlet", lambda c: outlets(c.mentions, data)),
        ),
        default_sort="subject",
        text=lambda c: " ".join([c.subject, c.unit, *(m.quote for m in c.mentions)]),
        dates=lambda c: c.period,
        url=lambda c: f"/records/claim/{c.id}",
    )


def claims_context(request: Request, data: PageData) -> dict[str, Any]:
    result, context = table_page(request, data, claim_table(data), lambda: data.corpus.claims,
                                 lambda c: row_view(c, data), "/claims")
    # The figures of this page side by side, a group per subject and period (the dot plot draws these).
    return {"claims": context["rows"], "groups": claim_groups(result.rows, data), "table": context}


@router.get("/claims", response_class=HTMLResponse, tags=["dashboard"], responses=page_errors(400))
def claims_page(request: Request, country: str | None = None) -> HTMLResponse:
    context = claims_context(request, page_data(request))
    return render(request, "claims.html", context, chart=Markup(claims_svg(context["groups"])))


@router.get("/api/claims", response_model=ClaimsPage, tags=["pages"], responses=api_errors(400))
def claims_api(request: Request, country: str | None = None) -> dict[str, Any]:
    """Claims a page at a time (sort, page, per, q, pair, country, corroboration, unit, outlet, start/end of the
    period), the page's figures grouped by subject and period, and facet counts."""
    return claims_context(request, page_data(request))


def claims_download(request: Request, fmt: str) -> Response:
    data = page_data(request)
    table = claim_table(data)
    return download(table, run(request, data, table, lambda: data.corpus.claims).everything, fmt)
