"""The dashboard's application: ``create_app(db_path)`` wires the store, sessions, static files and routes."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from pactwatch.store import Store
from pactwatch.store import review as review_store
from pactwatch.web.render import render
from pactwatch.web.routes import actors, claims, commitments, documents, overview, records, reviewing, search, timeline

STATIC = Path(__file__).parent / "static"


def create_app(db_path: str | Path) -> FastAPI:
    """The dashboard over the store at ``db_path`` (created and migrated if needed)."""
    with Store(db_path) as store:
        secret = review_store.session_secret(store)
    app = FastAPI(title="pactwatch", version="1",
                  description="The evidence-backed record of two countries' relations: every page of the dashboard "
                              "as JSON under /api, with analyst corrections applied.")
    app.state.db_path = str(db_path)
    # Signed (not encrypted) cookie: it holds only the analyst's name and the CSRF token.
    app.add_middleware(SessionMiddleware, secret_key=secret, session_cookie="pactwatch_session",
                       same_site="lax", max_age=14 * 24 * 3600)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (overview, timeline, commitments, actors, claims, documents, records, search, reviewing):
        app.include_router(module.router)
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    return app


async def _http_error(request: Request, exc: HTTPException) -> Response:
    """Errors as JSON under /api, as a page elsewhere."""
    if request.url.path.startswith("/api"):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
    return render(request, "error.html", {"status": exc.status_code, "detail": exc.detail},
                  status_code=exc.status_code)
