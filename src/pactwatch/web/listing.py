"""What every list page shares: its table from the query layer (tables.py), facets a record offers, downloads.

Each list route names its ``Table`` and its rows; ``table_page`` runs the URL's
view over them and ``download`` answers the same view as CSV or JSON, every
page of it, so the file holds exactly the rows the pages show.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from itertools import combinations
from typing import Any, TypeVar

from fastapi import HTTPException, Request
from fastapi.responses import Response

from pactwatch import review
from pactwatch.countries import country_name
from pactwatch.models import Claim, Commitment, Event, Mention, Record, record_to_dict
from pactwatch.review import record_kind
from pactwatch.track import claim_value
from pactwatch.web import tables
from pactwatch.web.views import PageData, actor_ref, date_key, is_overdue, range_text, record_label, record_url

T = TypeVar("T")


def pairs_of(countries: Iterable[str]) -> list[str]:
    """Every pair a record's countries make, as "KEN-TZA": the pair facet's values."""
    return [f"{a}-{b}" for a, b in combinations(sorted(set(countries)), 2)]


def pair_name(value: str) -> str:
    return " – ".join(country_name(c) for c in value.split("-"))


def outlets(mentions: Iterable[Mention], data: PageData) -> list[str]:
    """The outlets of the articles a record was drawn from."""
    docs = (data.documents.get(m.doc) for m in mentions)
    return sorted({d.outlet for d in docs if d is not None and d.outlet})


def articles(mentions: Iterable[Mention]) -> int:
    return len({m.doc for m in mentions})


def pair_facet(countries: Callable[[Any], Iterable[str]]) -> tables.Facet:
    return tables.Facet("pair", "Pair", lambda r: pairs_of(countries(r)), pair_name)


def country_facet(countries: Callable[[Any], Iterable[str]]) -> tables.Facet:
    return tables.Facet("country", "Country", countries, country_name)


# Prepared rows per loaded record (views.load caches one PageData per store change), dropped with it.
_PREPARED: dict[int, dict[str, Any]] = {}
_LOCK = threading.Lock()


def prepared(data: PageData) -> dict[str, Any]:
    """The cache of what the lists work out once per loaded record: prepared tables, indexes."""
    key = id(data)
    with _LOCK:
        cache = _PREPARED.get(key)
        if cache is None:
            cache = _PREPARED[key] = {}
            weakref.finalize(data, _PREPARED.pop, key, None)
    return cache


def date_inferred(event: Event, data: PageData) -> bool:
    """Whether an event's date rests only on guessed publication dates (every article it came from has one)."""
    docs = [data.documents.get(m.doc) for m in event.mentions]
    return bool(docs) and all(d is not None and d.published_source == "inferred" for d in docs)


def run(request: Request, data: PageData, table: tables.Table[T],
        items: Callable[[], Sequence[T]]) -> tables.Result[T]:
    try:
        return tables.run(table, items, prepared(data), request.query_params)
    except tables.ViewError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc


def table_page(request: Request, data: PageData, table: tables.Table[T], items: Callable[[], Sequence[T]],
               row_view: Callable[[T], dict[str, Any]], path: str) -> tuple[tables.Result[T], dict[str, Any]]:
    """The view the URL asks for and its page context (rows, facets, sort and page links, downloads).

    Each record's row is built once per loaded record and kept (only rows some page showed): paging and
    sorting show the same rows again.
    """
    result = run(request, data, table, items)
    cache = prepared(data)
    built: dict[int, dict[str, Any]] = cache.setdefault(f"rows:{table.name}", {})

    def row(item: T) -> dict[str, Any]:
        found = built.get(id(item))  # the items live in the PageData, as long as this cache
        if found is None:
            found = built[id(item)] = row_view(item)
        return found

    return result, tables.table_context(table, result, path, row, f"/download/{table.name}")


def download(table: tables.Table[T], rows: Sequence[T], fmt: str) -> Response:
    """The whole filtered view as a file: CSV with one column per table column, or a JSON list of rows."""
    if fmt == "csv":
        body, media = tables.to_csv(table, rows), "text/csv; charset=utf-8"
    elif fmt == "json":
        body, media = json.dumps(tables.flat_rows(table, rows), ensure_ascii=False), "application/json"
    else:
        raise HTTPException(status_code=404, detail=f"no download format {fmt!r}: csv or json")
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{table.name}.{fmt}"'})


def row_view(record: Record, data: PageData) -> dict[str, Any]:
    """A record as a list row: its fields, page, label and review state, and how many articles it rests on.

    Lighter than views.record_view: the quotes themselves (a person may have hundreds) are on the record's
    own page, so a page of 50 rows stays fast to build and to send.
    """
    kind = record_kind(record)
    out = record_to_dict(record)
    out.pop("mentions", None)
    notes = data.notes.get((kind, record.id), [])
    out.update(record_kind=kind, url=record_url(kind, record.id), label=record_label(record),
               review={"state": review.review_state(notes), "actions": notes}, sources=articles(record.mentions))
    if isinstance(record, Event | Commitment):
        out["actor_refs"] = [actor_ref(a, data) for a in record.actors]
    if isinstance(record, Event):
        out["date_text"] = range_text(record.date)
    if isinstance(record, Commitment):
        out["due_text"] = range_text(record.due)
        out["overdue"] = is_overdue(record, data.as_of)
    if isinstance(record, Claim):
        out["period_text"] = range_text(record.period)
        out["value_text"] = claim_value(record)
    return out


def events_of(actor_id: str, data: PageData) -> list[Event]:
    """The events an actor takes part in, in date order (an index built once per loaded record)."""
    cache = prepared(data)
    index = cache.get("actor-events")
    if index is None:
        index = {}
        for e in sorted(data.corpus.events, key=lambda e: date_key(e.date)):
            for a in e.actors:
                index.setdefault(a, []).append(e)
        cache["actor-events"] = index
    return list(index.get(actor_id, []))
