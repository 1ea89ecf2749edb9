"""The overview of one pair of countries: latest events, commitments due soon and overdue, conflicting claims."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from pactwatch.countries import country_name
from pactwatch.web.listing import prepared
from pactwatch.web.render import page_data, render
from pactwatch.web.schemas import OverviewPage
from pactwatch.web.svg import monthly_tone_svg
from pactwatch.web.views import (
    PageData,
    claim_groups,
    country_pairs,
    date_key,
    involves,
    is_due_soon,
    is_overdue,
    record_view,
)

router = APIRouter()
LATEST = 10


def _pair(text: str | None, data: PageData) -> tuple[str, ...]:
    """"IND-USA" -> ("IND", "USA"); by default the pair with the most records."""
    if text:
        codes = tuple(sorted({c.strip().upper() for c in text.replace(",", "-").split("-") if c.strip()}))
        if codes:
            return codes
    pairs = _pairs(data)
    return pairs[0][0] if pairs else ()


def _pairs(data: PageData) -> list[tuple[tuple[str, str], int]]:
    """Every pair of countries with its count of records, worked out once per loaded record."""
    cache = prepared(data)
    if "country-pairs" not in cache:
        cache["country-pairs"] = country_pairs(data.corpus)
    pairs: list[tuple[tuple[str, str], int]] = cache["country-pairs"]
    return pairs


def overview_context(data: PageData, pair_text: str | None) -> dict[str, Any]:
    pair = _pair(pair_text, data)
    corpus, as_of = data.corpus, data.as_of
    events = sorted((e for e in corpus.events if involves(e, pair)), key=lambda e: date_key(e.date), reverse=True)
    commitments = [c for c in corpus.commitments if involves(c, pair)]
    claims = [c for c in corpus.claims if involves(c, pair)]
    return {
        "pair": list(pair),
        "pairs": [{"pair": list(p), "label": " – ".join(country_name(c) for c in p), "count": n}
                  for p, n in _pairs(data)],
        "as_of": as_of.isoformat(),
        "latest_events": [record_view(e, data) for e in events[:LATEST]],
        "due_soon": [record_view(c, data) for c in sorted(commitments, key=lambda c: date_key(c.due))
                     if is_due_soon(c, as_of)],
        "overdue": [record_view(c, data) for c in sorted(commitments, key=lambda c: date_key(c.due))
                    if is_overdue(c, as_of)],
        "conflicting_claims": [g for g in claim_groups(claims, data) if g["conflicting"]],
    }


@router.get("/", response_class=HTMLResponse, tags=["dashboard"])
def overview_page(request: Request, pair: str | None = None) -> HTMLResponse:
    data = page_data(request)
    context = overview_context(data, pair)
    chosen = "-".join(context["pair"]) if len(context["pair"]) == 2 else None
    events = [e for e in data.corpus.events if involves(e, tuple(context["pair"]))]
    return render(request, "overview.html", context, tone=Markup(monthly_tone_svg(events, chosen)))


@router.get("/api/overview", response_model=OverviewPage, tags=["pages"])
def overview_api(request: Request, pair: str | None = None) -> dict[str, Any]:
    """The overview of a pair of countries ("IND-USA"; default: the pair with the most records)."""
    return overview_context(page_data(request), pair)
