"""Claims: figures grouped by subject and period, conflicting values side by side with their sources."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from pactwatch.web.render import page_data, render
from pactwatch.web.schemas import ClaimsPage
from pactwatch.web.views import PageData, claim_groups

router = APIRouter()


def claims_context(data: PageData, country: str | None) -> dict[str, Any]:
    claims = [c for c in data.corpus.claims if not country or country in c.countries]
    return {"country": country or None, "groups": claim_groups(claims, data)}


@router.get("/claims", response_class=HTMLResponse, tags=["dashboard"])
def claims_page(request: Request, country: str | None = None) -> HTMLResponse:
    return render(request, "claims.html", claims_context(page_data(request), country))


@router.get("/api/claims", response_model=ClaimsPage, tags=["pages"])
def claims_api(request: Request, country: str | None = None) -> dict[str, Any]:
    """Claims grouped by subject and period, conflicting groups first, with corroboration and sources."""
    return claims_context(page_data(request), country)
