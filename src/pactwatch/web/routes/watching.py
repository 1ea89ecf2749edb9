"""The watcher's pages: the alert log, each feed's health, the alert rules (signed-in analysts add and remove
them), and the alerts as an Atom feed any feed reader can follow."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from pactwatch import alerts
from pactwatch.store import open_store
from pactwatch.web.render import check_csrf, render, require_user
from pactwatch.web.schemas import page_errors, redirect

router = APIRouter()
LOG_LIMIT = 200  # alerts on the page and in the feed, newest first
Text = Annotated[str, Form()]
Filled = Annotated[str, Form(min_length=1)]
Kind = Annotated[str, Form(json_schema_extra={"enum": list(alerts.RULE_KINDS)})]
RuleId = Annotated[int, Path(ge=1, le=2**63 - 1)]  # the store's ids are 64-bit integers


class DeliveryOut(BaseModel):
    channel: str
    state: str
    attempts: int
    last_error: str | None


class AlertOut(BaseModel):
    id: int
    key: str
    rule: int
    record: dict[str, str]
    change: str
    title: str
    detail: str
    evidence: list[dict[str, Any]]
    as_of: str | None
    raised_at: str
    deliveries: list[DeliveryOut]


class FeedOut(BaseModel):
    url: str
    label: str | None
    last_poll_at: str | None
    last_success_at: str | None
    last_error: str | None
    last_error_at: str | None
    failures: int
    items_read: int


class RuleOut(BaseModel):
    id: int
    kind: str
    description: str
    channels: list[str]


class AlertsPage(BaseModel):
    alerts: list[AlertOut]
    feeds: list[FeedOut]
    rules: list[RuleOut]
    waiting: int  # deliveries not yet made


def alerts_context(request: Request) -> dict[str, Any]:
    with open_store(request.app.state.db_path) as store:
        log = [{**a.to_dict(), "deliveries": [{"channel": c, "state": s, "attempts": n, "last_error": e}
                                              for c, s, n, e in store.deliveries_of(a.id)]}
               for a in store.alerts(LOG_LIMIT)]
        feeds = [vars(f) for f in store.feeds()]
        rules = [alerts.Rule.of(r) for r in store.rules()]
        waiting = store.pending_delivery_count()
    return {"alerts": log, "feeds": feeds, "waiting": waiting,
            "rules": [{"id": r.id, "kind": r.kind, "description": r.describe(), "channels": r.channels}
                      for r in rules]}


@router.get("/alerts", response_class=HTMLResponse, tags=["dashboard"])
def alerts_page(request: Request) -> HTMLResponse:
    """The alert log, newest first, with where each was delivered; the feeds' health; the rules."""
    return render(request, "alerts.html", alerts_context(request), rule_kinds=alerts.RULE_KINDS)


@router.get("/api/alerts", response_model=AlertsPage, tags=["pages"])
def alerts_api(request: Request) -> dict[str, Any]:
    """The alert log (newest first), each feed's health and the alert rules."""
    return alerts_context(request)


@router.get("/alerts.atom", tags=["alerts"], response_class=Response, responses={
    200: {"description": "the alerts as an Atom 1.0 feed, newest first",
          "content": {"application/atom+xml": {"schema": {"type": "string"}}}}})
def alerts_feed(request: Request) -> Response:
    """Every alert as an Atom entry that links to its record: any feed reader can follow it."""
    with open_store(request.app.state.db_path) as store:
        found = store.alerts(LOG_LIMIT)
    base = str(request.base_url).rstrip("/")
    return Response(alerts.atom_feed(found, base), media_type="application/atom+xml")


@router.post("/alerts/rules", status_code=303, response_class=RedirectResponse, tags=["alerts"],
             responses={**redirect("the alerts page"), **page_errors(400, 401, 403)})
def add_rule(request: Request, kind: Kind, csrf: Filled, days: Text = "", types: Text = "", pair: Text = "",
             country: Text = "", topic: Text = "", actor: Text = "") -> RedirectResponse:
    """Add an alert rule (signed-in analysts)."""
    require_user(request)
    check_csrf(request, csrf)
    try:
        number = int(days) if days.strip() else None
    except ValueError:
        raise HTTPException(status_code=400, detail=f"days must be a whole number, not {days[:40]!r}") from None
    with open_store(request.app.state.db_path) as store:
        try:
            alerts.add_rule(store, kind, days=number, types=types.split(","), pair=pair or None,
                            country=country or None, topic=topic or None, actor=actor or None)
        except alerts.RuleError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from exc
    return RedirectResponse("/alerts", status_code=303)


@router.post("/alerts/rules/{rule_id}/remove", status_code=303, response_class=RedirectResponse, tags=["alerts"],
             responses={**redirect("the alerts page"), **page_errors(401, 403, 404)})
def remove_rule(request: Request, rule_id: RuleId, csrf: Filled) -> RedirectResponse:
    """Remove an alert rule (signed-in analysts); the alerts it raised stay in the log."""
    require_user(request)
    check_csrf(request, csrf)
    with open_store(request.app.state.db_path) as store:
        if not store.remove_rule(rule_id):
            raise HTTPException(status_code=404, detail=f"no alert rule {rule_id}")
    return RedirectResponse("/alerts", status_code=303)
