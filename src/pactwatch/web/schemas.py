"""Response models of the JSON API: what /openapi.json says each page returns.

Records follow the ``pactwatch/1`` exchange format (shared/spec/exchange-format.md)
plus the fields the pages show beside them (links, labels, review state);
``extra="allow"`` keeps any field the record model grows.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict

from pactwatch.store import RECORD_KINDS


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class MentionOut(_Open):
    doc: str
    start: int
    end: int
    quote: str
    url: str
    doc_title: str


class ReviewAction(_Open):
    id: int
    action: str  # confirm | reject | correct | merge | absorbed
    field: str | None
    machine: Any  # the machine's value of the field (corrections only)
    analyst: Any  # the analyst's value (or the actor merged into / absorbed)
    author: str | None  # the analyst's name; null unless the reader is signed in
    at: str
    reason: str | None = None  # why the analyst made it, in their words


class ReviewOut(_Open):
    state: str | None  # confirmed | rejected | merged | corrected | null
    actions: list[ReviewAction]


class Ref(_Open):
    id: str
    name: str
    url: str


class RecordOut(_Open):
    id: str
    record_kind: str  # actor | event | commitment | claim (``kind`` is the record's own field where it has one)
    url: str
    label: str
    review: ReviewOut
    mentions: list[MentionOut]


class EventOut(RecordOut):
    type: str
    date: dict[str, str] | None
    date_text: str
    countries: list[str]
    topics: list[str]
    summary: str
    actor_refs: list[Ref]


class CommitmentOut(RecordOut):
    statement: str
    status: str
    due: dict[str, str] | None
    due_text: str
    parties: list[str]
    evidence: list[MentionOut]
    attributes: dict[str, Any]


class ClaimOut(RecordOut):
    subject: str
    value: float
    value_text: str
    unit: str
    period_text: str
    corroboration: str


class ActorOut(RecordOut):
    name: str
    countries: list[str]
    roles: list[dict[str, Any]]
    events: list[dict[str, Any]] = []


class DocumentOut(_Open):
    id: str
    source: str
    title: str | None
    name: str  # the title, else the file it was read from
    url_page: str
    published_text: str


class CountryOption(_Open):
    code: str
    name: str


class PairOption(_Open):
    pair: list[str]
    label: str
    count: int


class ClaimGroup(_Open):
    subject: str
    unit: str
    period: str
    conflicting: bool
    claims: list[ClaimOut]


class OverviewPage(_Open):
    pair: list[str]
    pairs: list[PairOption]
    as_of: str
    latest_events: list[EventOut]
    due_soon: list[CommitmentOut]
    overdue: list[CommitmentOut]
    conflicting_claims: list[ClaimGroup]


class RowOut(_Open):
    """A record in a list: its fields, page, label, review state and number of source articles (its quotes
    are on its record page)."""

    id: str
    record_kind: str
    url: str
    label: str
    review: ReviewOut
    sources: int


class FacetOption(_Open):
    value: str
    name: str
    count: int  # rows the view would hold with this value chosen (every other filter kept)


class FacetOut(_Open):
    key: str  # the URL parameter
    label: str
    selected: str | None
    options: list[FacetOption]


class ColumnOut(_Open):
    key: str
    label: str
    style: str
    sorted: str | None  # asc | desc | null
    sort_url: str


class TableOut(_Open):
    """A list's view (web/tables.py): this page's rows, every filter's facet counts, sort and page links."""

    total: int  # rows in the filtered view, over all pages
    page: int
    pages: int
    per: int
    sort: str
    q: str
    start: str | None
    end: str | None
    filters: dict[str, str]
    columns: list[ColumnOut]
    rows: list[dict[str, Any]]
    facets: list[FacetOut]
    prev_url: str | None
    next_url: str | None
    csv_url: str  # the whole view, every page, as CSV
    json_url: str


class TimelinePage(_Open):
    filters: dict[str, str | None]
    types: list[str]
    topics: list[str]
    countries: list[CountryOption]
    events: list[RowOut]  # this page's
    undated: int  # events of the view with no date (listed last, not drawn)
    table: TableOut


class CommitmentsPage(_Open):
    as_of: str
    commitments: list[RowOut]  # this page's
    table: TableOut


class ActorsPage(_Open):
    actors: list[RowOut]  # this page's
    table: TableOut


class ClaimsPage(_Open):
    claims: list[RowOut]  # this page's
    groups: list[ClaimGroup]  # this page's claims by subject and period
    table: TableOut


class DocumentsPage(_Open):
    documents: list[DocumentOut]  # this page's
    table: TableOut


class Extraction(_Open):
    kind: str
    id: str
    role: str  # mention | evidence
    start: int
    end: int
    quote: str
    label: str
    url: str


class DocumentPage(_Open):
    document: DocumentOut
    extractions: list[Extraction]


class RecordPage(_Open):
    kind: str
    record: RecordOut
    events: list[EventOut] = []
    corrections: list[dict[str, Any]]
    fields: list[str]


class SearchHit(_Open):
    document: DocumentOut
    snippet: str
    hits: list[list[int]]  # [start, end) of each matched word within the snippet


class RecordHit(_Open):
    kind: str  # actor | event | commitment | claim | article
    title: str
    url: str
    snippet: str
    hits: list[list[int]]
    document: DocumentOut | None  # articles only


class SearchPage(_Open):
    query: str
    hits: list[RecordHit]  # this page's: records, then articles
    results: list[SearchHit]  # this page's articles
    table: TableOut


class CorrectionsPage(_Open):
    corrections: list[dict[str, Any]]


class ErrorOut(BaseModel):
    """Every /api error but a malformed request (422, FastAPI's own body): one line saying what was wrong."""

    detail: str


# Parameters as the schema declares them. The routes answer values outside these with 404 (an unknown
# kind, like an unknown id, is a page that does not exist) or 400 (a date that is no date).
RecordKind = Annotated[str, Path(description="actor | event | commitment | claim",
                                 json_schema_extra={"enum": list(RECORD_KINDS)})]
# An empty value is what the timeline's filter form sends for a blank field: no filter.
DayFilter = Annotated[str | None, Query(description="a day, YYYY-MM-DD; empty for no limit", json_schema_extra={
    "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]})]
# The store keeps ids as SQLite integers (64-bit); larger numbers name no correction.
CorrectionId = Annotated[int, Path(ge=1, le=2**63 - 1)]

_WHY = {
    400: "a value the request gave is wrong; the message says which",
    401: "not signed in: sign in to review records",
    403: "missing or wrong CSRF token (the form's hidden field must match the session's)",
    404: "no such article, record or correction",
    429: "too many sign-in attempts from this address or for this name; wait and try again",
}
_HTML = {"text/html": {"schema": {"type": "string"}}}


def api_errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The error answers of a JSON route, for ``responses=``: an ErrorOut body each."""
    return {code: {"model": ErrorOut, "description": _WHY[code]} for code in codes}


def page_errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The error answers of a page or form route, for ``responses=``: an error page each."""
    return {code: {"description": _WHY[code], "content": _HTML} for code in codes}


def redirect(to: str) -> dict[int | str, dict[str, Any]]:
    """A form's answer when it worked: 303 See Other, so the browser GETs ``to``."""
    return {303: {"description": f"done: the browser is sent to {to}",
                  "headers": {"Location": {"description": "where to go next", "required": True,
                                           "schema": {"type": "string"}}}}}
