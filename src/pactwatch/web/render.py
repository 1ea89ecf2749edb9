"""HTML rendering: one autoescaping Jinja2 environment, the session's user and its CSRF token."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import escape

from pactwatch.countries import country_name
from pactwatch.documents import web_link
from pactwatch.store import open_store
from pactwatch.store import review as review_store
from pactwatch.web import pagecache
from pactwatch.web.views import PageData, load, range_text

TEMPLATES = Path(__file__).parent / "templates"

# Autoescaping is on for every template; only HTML the code built itself (svg.py, highlight.py) is marked safe.
env = Environment(loader=FileSystemLoader(TEMPLATES),
                  autoescape=select_autoescape(default=True, default_for_string=True))
env.filters["country"] = country_name
env.filters["web_link"] = web_link  # every href made from data goes through it: http(s) only


def fmt_number(value: Any) -> str:
    """Whole numbers without ".0", large ones with thousands separators."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"


def fmt_value(value: Any) -> str:
    """A JSON value as a reader wants it: a DateRange dict as "2025-Q2", lists joined, null as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict) and {"start", "end"} <= value.keys():
        return range_text(value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {fmt_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(fmt_value(v) for v in value)
    return fmt_number(value)


env.filters["fmt_number"] = fmt_number
env.filters["fmt_value"] = fmt_value

NAV = (("/", "Overview"), ("/timeline", "Timeline"), ("/commitments", "Commitments"), ("/actors", "Actors"),
       ("/claims", "Claims"), ("/documents", "Articles"), ("/search", "Search"), ("/alerts", "Alerts"))


def page_data(request: Request) -> PageData:
    """The record as this reader may see it: analysts' names only for signed-in analysts."""
    return load(request.app.state.db_path, analysts=current_user(request) is not None)


_UNKNOWN = object()


def current_user(request: Request) -> str | None:
    """The analyst whose server-side session the cookie names; None if signed out, closed or expired."""
    user = getattr(request.state, "user", _UNKNOWN)  # looked up once per request
    if user is _UNKNOWN:
        session_id = request.session.get("session")
        user = None
        if isinstance(session_id, str) and session_id:
            with open_store(request.app.state.db_path) as store:
                user = review_store.session_account(store, session_id)
            if user is None:
                request.session.pop("session", None)  # a revoked or expired session is forgotten
        request.state.user = user
    return str(user) if user else None


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use; every write form carries it (so the page is this reader's)."""
    pagecache.personal(request.scope)
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def check_csrf(request: Request, token: str) -> None:
    expected = request.session.get("csrf")
    # compare_digest takes non-ASCII only as bytes: a forged token with "é" is a 403, not a TypeError (500)
    if not expected or not token or not secrets.compare_digest(str(expected).encode(), token.encode()):
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token: reload the page and try again")


def require_user(request: Request) -> str:
    user = current_user(request)
    if user is None:
        raise HTTPException(status_code=401, detail="sign in to review records")
    return user


class LazyCsrf:
    """The CSRF token as a template value, made only where a page writes it (a form): a page without a form
    gives the reader no session and can be served to every reader from the cache."""

    def __init__(self, request: Request) -> None:
        self.request = request

    def __str__(self) -> str:
        return csrf_token(self.request)

    def __html__(self) -> str:
        return str(escape(str(self)))


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200,
           **extra: Any) -> HTMLResponse:
    """The page's context dict as HTML; ``extra`` holds what only the HTML needs (a chart, highlighted text)."""
    html = env.get_template(template).render(
        **context, **extra, request_path=request.url.path, api_url=api_url(request), nav=NAV,
        user=current_user(request), csrf=LazyCsrf(request))
    return HTMLResponse(html, status_code=status_code)


def api_url(request: Request) -> str:
    """The JSON twin of the page being shown."""
    path = request.url.path
    query = f"?{request.url.query}" if request.url.query else ""
    return f"/api{path if path != '/' else '/overview'}{query}"
