"""Downloads: any list's filtered, sorted view, every page of it, as CSV or JSON (the list's own query string)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import Response

from pactwatch.web.routes import actors, claims, commitments, documents, search, timeline
from pactwatch.web.schemas import page_errors

router = APIRouter()
DOWNLOADS = {"events": timeline.events_download, "commitments": commitments.commitments_download,
             "actors": actors.actors_download, "claims": claims.claims_download,
             "documents": documents.documents_download, "search": search.search_download}
ListName = Annotated[str, Path(description="the list", json_schema_extra={"enum": list(DOWNLOADS)})]
Format = Annotated[str, Path(description="csv | json", json_schema_extra={"enum": ["csv", "json"]})]
_FILES = {"text/csv": {"schema": {"type": "string"}},
          "application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}


@router.get("/download/{name}.{fmt}", tags=["downloads"], response_class=Response, responses={
    200: {"description": "the view's rows, one per line (CSV) or object (JSON)", "content": _FILES},
    **page_errors(400, 404)})
def download(request: Request, name: ListName, fmt: Format) -> Response:
    """The list's view as a file: the same filters and sort as the page (same query string), all pages."""
    if name not in DOWNLOADS:
        raise HTTPException(status_code=404, detail=f"no list {name!r}: {', '.join(DOWNLOADS)}")
    return DOWNLOADS[name](request, fmt)
