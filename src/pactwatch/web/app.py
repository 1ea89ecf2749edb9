"""The dashboard's application: ``create_app(db_path)`` wires the store, sessions, static files and routes."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pactwatch.store import open_store
from pactwatch.store import review as review_store
from pactwatch.web.pagecache import ResponseCache
from pactwatch.web.render import env, render
from pactwatch.web.routes import (
    actors,
    claims,
    commitments,
    documents,
    downloads,
    overview,
    records,
    reviewing,
    search,
    timeline,
    watching,
)
from pactwatch.web.timing import ServerTiming
from pactwatch.web.views import data_version

STATIC = Path(__file__).parent / "static"
# Swagger UI's own JS and CSS, shipped in fastapi-offline: /docs loads nothing from a CDN.
SWAGGER_UI = Path(fastapi_offline.__file__).parent / "static"
AREAS = (overview, timeline, commitments, actors, claims, documents, records, search, reviewing, downloads, watching)

# Only this site's own files: no inline script or style, no plugins, no framing, forms post only here.
CSP = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}
HSTS = "max-age=31536000"  # only with https_only: a browser then never tries plain http again for a year


def security_headers(https_only: bool = False) -> dict[str, str]:
    return {**SECURITY_HEADERS, **({"Strict-Transport-Security": HSTS} if https_only else {})}


class SecurityHeaders:
    """Adds the security headers to every response: pages, JSON, static files, errors and redirects."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    if name not in headers:  # a route may set a stricter or page-specific one
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(db_path: str | Path, *, https_only: bool = False) -> FastAPI:
    """The dashboard over the store at ``db_path`` (created and migrated if needed).

    ``https_only``: served behind HTTPS, so the session cookie is marked Secure and browsers are told
    (Strict-Transport-Security) to use HTTPS only.
    """
    with open_store(db_path) as store:
        secret = review_store.session_secret(store)
    # FastAPI's own /docs and /redoc load their scripts from a CDN and start them inline: both off, /docs below.
    app = FastAPI(title="pactwatch", version="1",
                  description="The evidence-backed record of two countries' relations: every page of the dashboard "
                              "as JSON under /api, with analyst corrections applied; the dashboard's pages and "
                              "forms are here too (text/html).",
                  docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None)
    app.state.db_path = str(db_path)
    app.state.https_only = https_only
    app.state.login_limits = reviewing.LoginLimits()
    # Innermost, so that it sees the session: only pages that are everyone's are kept (web/pagecache.py).
    app.add_middleware(ResponseCache, version=lambda: data_version(db_path))
    # Signed (not encrypted) cookie: it holds only the random id of a server-side session (store/review.py),
    # which sign-out deletes, and the CSRF token.
    app.add_middleware(SessionMiddleware, secret_key=secret, session_cookie="pactwatch_session",
                       same_site="lax", max_age=int(review_store.SESSION_TTL.total_seconds()), https_only=https_only)
    app.add_middleware(SecurityHeaders, headers=security_headers(https_only))
    app.add_middleware(ServerTiming)  # outermost: the time of everything inside, sessions included
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/swagger-ui", StaticFiles(directory=SWAGGER_UI), name="swagger-ui")
    app.add_api_route("/docs", api_docs, include_in_schema=False, response_class=HTMLResponse)
    for module in AREAS:
        app.include_router(module.router)
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _server_error)
    return app


async def _http_error(request: Request, exc: HTTPException) -> Response:
    """Errors as JSON under /api, as a page elsewhere."""
    headers = {**(exc.headers or {}), **({"Allow": _allowed(request)} if exc.status_code == 405 else {})}
    if request.url.path.startswith("/api"):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)
    response = render(request, "error.html", {"status": exc.status_code, "detail": exc.detail},
                      status_code=exc.status_code)
    response.headers.update(headers)
    return response


def _allowed(request: Request) -> str:
    """Every method some route takes at this path (Starlette's own Allow names only the first route's);
    no route: the static files, which take GET and HEAD."""
    routes = [*request.app.router.routes, *(route for module in AREAS for route in module.router.routes)]
    methods = {m for route in routes if isinstance(route, Route) and route.matches(request.scope)[0] != Match.NONE
               for m in route.methods or ()}
    return ", ".join(sorted(methods or {"GET", "HEAD"}))


def api_docs() -> HTMLResponse:
    """Swagger UI over /openapi.json, its start-up script a static file so that the CSP needs no inline script."""
    return HTMLResponse(env.get_template("docs.html").render())


async def _server_error(request: Request, exc: Exception) -> Response:
    """An unexpected failure: a plain 500 that says nothing of the code, with the security headers.

    Starlette answers it outside every middleware, so the headers are set here.
    """
    headers = security_headers(bool(getattr(request.app.state, "https_only", False)))
    return PlainTextResponse("Internal Server Error", status_code=500, headers=headers)
