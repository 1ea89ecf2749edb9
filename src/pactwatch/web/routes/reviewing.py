"""Signing in and out, and the analyst's writes: confirm, reject, correct, merge, undo. Every form checks CSRF."""

from __future__ import annotations

import math
import time
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from pactwatch import review
from pactwatch.store import open_store
from pactwatch.store import review as review_store
from pactwatch.web.render import check_csrf, csrf_token, env, page_data, render, require_user
from pactwatch.web.routes.records import find, record_context
from pactwatch.web.schemas import CorrectionId, CorrectionsPage, RecordKind, page_errors, redirect

router = APIRouter()
env.globals["review_inputs"] = review.form_inputs  # the review panel's pickers (templates/_review_panel.html)
Text = Annotated[str, Form()]
# FastAPI reads an empty form field as a missing one (422), so the schema says a required field is never empty.
Filled = Annotated[str, Form(min_length=1)]
# The schema lists the actions; the route answers any other with 400.
Action = Annotated[str, Form(json_schema_extra={"enum": list(review_store.ACTIONS)})]

# Failed sign-ins allowed in any minute: per client address, and fewer per account name (from anywhere),
# so neither one address nor many addresses together can guess a password.
ADDRESS_LIMIT = parse("50/minute")
ACCOUNT_LIMIT = parse("10/minute")


class LoginLimits:
    """Counts failed sign-ins in a moving window, in memory (one per app: a restart forgets them)."""

    def __init__(self, per_address: RateLimitItem = ADDRESS_LIMIT, per_account: RateLimitItem = ACCOUNT_LIMIT):
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.limits = (("address", per_address), ("account", per_account))

    def retry_after(self, address: str, name: str) -> int | None:
        """Seconds until this address may try this name again; None while it is within both limits."""
        waits = [self.limiter.get_window_stats(limit, kind, key).reset_time - time.time()
                 for (kind, limit), key in zip(self.limits, (address, name), strict=True)
                 if not self.limiter.test(limit, kind, key)]
        return max(1, math.ceil(max(waits))) if waits else None

    def failed(self, address: str, name: str) -> None:
        for (kind, limit), key in zip(self.limits, (address, name), strict=True):
            self.limiter.hit(limit, kind, key)


def _safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths: an attacker's link must not bounce a signed-in analyst elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def _back(target: str) -> RedirectResponse:
    return RedirectResponse(target, status_code=303)


@router.get("/login", response_class=HTMLResponse, tags=["sign-in"])
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", response_model=None, status_code=303, response_class=RedirectResponse, tags=["sign-in"],
             responses={**redirect("next (a path on this site)"),
                        **page_errors(401, 403, 429)})
def login(request: Request, name: Filled, password: Filled, csrf: Filled, next: Text = "/") \
        -> HTMLResponse | RedirectResponse:
    check_csrf(request, csrf)
    limits: LoginLimits = request.app.state.login_limits
    address = request.client.host if request.client else ""
    if (wait := limits.retry_after(address, name)) is not None:
        response = render(request, "login.html", {"next": _safe_next(next), "error": "Too many failed sign-ins: "
                          f"try again in {wait} seconds."}, status_code=429)
        response.headers["Retry-After"] = str(wait)
        return response
    with open_store(request.app.state.db_path) as store:
        stored = review_store.password_hash(store, name)
    if not review.verify_password(stored, password):
        limits.failed(address, name)
        return render(request, "login.html", {"next": _safe_next(next), "error": "Wrong name or password."},
                      status_code=401)
    with open_store(request.app.state.db_path) as store:
        session_id = review_store.open_session(store, name)
    request.session.clear()  # a fresh session (and CSRF token) on sign-in
    request.session["session"] = session_id
    request.state.user = name
    csrf_token(request)
    return _back(_safe_next(next))


@router.post("/logout", status_code=303, response_class=RedirectResponse, tags=["sign-in"],
             responses={**redirect("the overview"), **page_errors(403)})
def logout(request: Request, csrf: Filled) -> RedirectResponse:
    check_csrf(request, csrf)
    session_id = request.session.get("session")
    if isinstance(session_id, str):
        with open_store(request.app.state.db_path) as store:
            review_store.close_session(store, session_id)  # a copy of the cookie signs no one in after this
    request.session.clear()
    return _back("/")


@router.post("/records/{kind}/{record_id}/review", status_code=303, response_class=RedirectResponse, tags=["review"],
             response_model=None,
             responses={**redirect("the record's page"), **page_errors(400, 401, 403, 404)})
def review_record(request: Request, kind: RecordKind, record_id: str, action: Action, csrf: Filled,
                  field: Text = "", value: Text = "", target: Text = "", reason: Text = "") \
        -> HTMLResponse | RedirectResponse:
    """Confirm, reject, correct one field, or (actors) merge into another actor, with the analyst's reason.

    A bad value answers 400 with the record's page, the message beside the form and what was typed kept in it.
    """
    user = require_user(request)
    check_csrf(request, csrf)
    data = page_data(request)
    record = find(data, kind, record_id)
    machine = find_machine(data, kind, record_id)
    old: Any = None
    new: Any = None
    if action not in review_store.ACTIONS:
        raise HTTPException(status_code=400, detail=f"unknown action {action!r}")
    try:
        why = review.parse_reason(reason)
        if action == "correct":
            new = review.parse_value(kind, field, value)
            old = review.machine_value(machine or record, field)
        elif action == "merge":
            if kind != "actor" or target == record_id:
                raise ValueError("merge joins one actor into another")
            find(data, "actor", target)
            new = target
    except ValueError as exc:
        form = {"action": action, "field": field, "value": value, "reason": reason, "target": target,
                "error": str(exc)}
        return render(request, "record.html", {**record_context(data, kind, record_id), "form": form},
                      status_code=400)
    with open_store(request.app.state.db_path) as store:
        review_store.add_correction(store, kind, record_id, action, user, field=field or None, old=old, new=new,
                                    reason=why)
    return _back(f"/records/{kind}/{record_id}")


def find_machine(data: Any, kind: str, record_id: str) -> Any:
    records = {"actor": data.machine.actors, "event": data.machine.events,
               "commitment": data.machine.commitments, "claim": data.machine.claims}[kind]
    return next((r for r in records if r.id == record_id), None)


@router.post("/corrections/{correction_id}/undo", status_code=303, response_class=RedirectResponse, tags=["review"],
             responses={**redirect("next, else the record's page"), **page_errors(401, 403, 404)})
def undo(request: Request, correction_id: CorrectionId, csrf: Filled, next: Text = "") -> RedirectResponse:
    user = require_user(request)
    check_csrf(request, csrf)
    with open_store(request.app.state.db_path) as store:
        found = review_store.correction(store, correction_id)
        if found is None or not review_store.undo_correction(store, correction_id, user):
            raise HTTPException(status_code=404, detail=f"no active correction {correction_id}")
    return _back(_safe_next(next, f"/records/{found.kind}/{found.record_id}"))


def corrections_context(request: Request) -> dict[str, Any]:
    data = page_data(request)  # the analysts' names only for a signed-in reader
    return {"corrections": [c.to_dict() for c in reversed(data.corrections)]}


@router.get("/corrections", response_class=HTMLResponse, tags=["dashboard"])
def corrections_page(request: Request) -> HTMLResponse:
    return render(request, "corrections.html", corrections_context(request))


@router.get("/api/corrections", response_model=CorrectionsPage, tags=["review"])
def corrections_api(request: Request) -> dict[str, Any]:
    """Every analyst action, newest first, undone ones included (with who undid them and when)."""
    return corrections_context(request)
