"""The query layer under every list page: filter, count facets, sort and page, all from the URL's query.

A ``Table`` describes one list: its columns (what each cell says and how it
sorts), its facets (the values a row has under each filter) and the text the
free-text filter reads. ``prepare`` computes all of that once per loaded record
(the page data is cached per store change, and so is this); ``query`` then runs
one ``View`` (the URL's parameters, parsed by ``parse_view``) over the prepared
rows: filters, facet counts, sort, one page. ``Result.everything`` is the whole
filtered, sorted view, which the CSV and JSON downloads write, so a download
holds exactly the rows the pages show.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from pactwatch.models import DateRange

T = TypeVar("T")
Cell = str | float | int | list[str] | None

PER_PAGE = (25, 50, 100, 200)
DEFAULT_PER = 50
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Parameters that are the view's own, not a facet's.
VIEW_KEYS = ("q", "start", "end", "sort", "page", "per")


class ViewError(ValueError):
    """A query parameter that names no sort, page or date: one line saying which and what is allowed."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[Any], Cell]  # the cell: text, a number, a list (tags), None (empty)
    sort: Callable[[Any], Any] | None = None  # the sort key if not the value; None from it sorts last
    style: str = "text"  # text | link | tags | badge | number | date: how the page draws the cell


@dataclass(frozen=True)
class Facet:
    key: str  # the URL parameter
    label: str
    values: Callable[[Any], Iterable[str]]  # a row may have several (an event's countries, topics)
    name: Callable[[str], str] = str  # how a value reads (ISO3 -> country name)


@dataclass(frozen=True)
class Table(Generic[T]):
    name: str  # also the download's file name
    columns: tuple[Column, ...]
    facets: tuple[Facet, ...]
    default_sort: str  # a column key, "-" first for descending
    text: Callable[[Any], str]  # what the free-text filter searches
    dates: Callable[[Any], DateRange | None] | None = None  # what the date-range filter reads
    url: Callable[[Any], str] | None = None  # the row's own page, for the link column

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


@dataclass(frozen=True)
class View:
    filters: dict[str, str] = field(default_factory=dict)  # facet key -> the chosen value
    q: str = ""
    start: date | None = None
    end: date | None = None
    sort: str = ""
    page: int = 1
    per: int = DEFAULT_PER
    default_sort: str = ""  # the table's own order, left out of links

    def params(self, **changes: Any) -> dict[str, str]:
        """The view as URL parameters (empty ones left out), with ``changes`` applied."""
        values: dict[str, Any] = {**self.filters, "q": self.q, "start": self.start, "end": self.end,
                                  "sort": self.sort if self.sort != self.default_sort else None,
                                  "page": self.page if self.page != 1 else None,
                                  "per": self.per if self.per != DEFAULT_PER else None}
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def link(self, path: str, **changes: Any) -> str:
        params = self.params(**changes)
        return f"{path}?{urlencode(params)}" if params else path


def _day(text: str, name: str) -> date | None:
    if not text:
        return None
    try:
        if not ISO_DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ViewError(f"{name} must be a date like 2025-03-14") from exc


def parse_view(table: Table[Any], params: Mapping[str, str]) -> View:
    """The view a URL asks for; a sort, page, size or date it cannot mean is a ViewError."""
    sort = params.get("sort", "") or table.default_sort
    if table.column(sort.removeprefix("-")) is None:
        raise ViewError(f"sort must be one of: {', '.join(c.key for c in table.columns)} (a leading - for descending)")
    try:
        page = int(params.get("page", "") or 1)
        per = int(params.get("per", "") or DEFAULT_PER)
    except ValueError as exc:
        raise ViewError("page and per must be whole numbers") from exc
    if page < 1:
        raise ViewError("page must be 1 or more")
    if per not in PER_PAGE:
        raise ViewError(f"per must be one of {', '.join(map(str, PER_PAGE))}")
    filters = {f.key: params[f.key] for f in table.facets if params.get(f.key)}
    return View(filters=filters, q=params.get("q", "").strip(), start=_day(params.get("start", ""), "start"),
                end=_day(params.get("end", ""), "end"), sort=sort, page=page, per=per, default_sort=table.default_sort)


@dataclass
class Prepared(Generic[T]):
    """A table's rows with every facet value, sort key and search text worked out once.

    What a view asks of them is worked out on first use and kept with them (they live as long as the
    loaded record): each sort's row order, each facet value's rows, each facet's counts over every row.
    A view then costs what its filters keep, not a pass over every row.
    """

    items: list[T]
    facets: list[tuple[frozenset[str], ...]]
    text: list[str]
    dates: list[DateRange | None]
    sort_keys: dict[str, list[Any]]
    orders: dict[tuple[str, bool], list[int]] = field(default_factory=dict)
    having: list[dict[str, frozenset[int]]] | None = None  # per facet: value -> the rows that have it
    totals: list[Counter[str]] | None = None  # per facet: each value's rows, nothing filtered

    def order(self, key: str, descending: bool) -> list[int]:
        """Row numbers sorted by a column; rows with nothing to sort by come last either way."""
        order = self.orders.get((key, descending))
        if order is None:
            keys = self.sort_keys[key]
            present = [n for n, k in enumerate(keys) if k not in (None, "", [])]
            present.sort(key=lambda n: _sortable(keys[n]), reverse=descending)
            order = self.orders[(key, descending)] = present + [n for n, k in enumerate(keys) if k in (None, "", [])]
        return order

    def rows_having(self, facet: int, value: str) -> frozenset[int]:
        if self.having is None:
            having: list[dict[str, set[int]]] = [{} for _ in self.facets[0]] if self.facets else []
            for n, values in enumerate(self.facets):
                for i, vals in enumerate(values):
                    for v in vals:
                        having[i].setdefault(v, set()).add(n)
            self.having = [{v: frozenset(rows) for v, rows in index.items()} for index in having]
        return self.having[facet].get(value, frozenset()) if facet < len(self.having) else frozenset()

    def counts(self, facet: int, rows: Iterable[int] | None) -> Counter[str]:
        """A facet's value counts over some rows (None: every row, counted once and kept)."""
        if rows is None:
            if self.totals is None:
                self.totals = [Counter(v for values in self.facets for v in values[i])
                               for i in range(len(self.facets[0]) if self.facets else 0)]
            return self.totals[facet] if facet < len(self.totals) else Counter()
        return Counter(v for n in rows for v in self.facets[n][facet])


def prepare(table: Table[T], items: Sequence[T]) -> Prepared[T]:
    sort_keys = {c.key: [(c.sort or c.value)(item) for item in items] for c in table.columns}
    return Prepared(items=list(items),
                    facets=[tuple(frozenset(f.values(item)) for f in table.facets) for item in items],
                    text=[table.text(item).casefold() for item in items],
                    dates=[table.dates(item) if table.dates else None for item in items],
                    sort_keys=sort_keys)


@dataclass
class Result(Generic[T]):
    view: View
    total: int  # rows in the filtered view
    pages: int
    rows: list[T]  # this page's
    everything: list[T]  # every row of the filtered view, sorted: what downloads hold
    facets: list[dict[str, Any]]


def _sortable(key: Any) -> Any:
    """Lists (tags) sort by their text; strings without regard to case."""
    if isinstance(key, list | tuple) and not isinstance(key, tuple):
        return "; ".join(map(str, key)).casefold()
    return key.casefold() if isinstance(key, str) else key


def _in_dates(value: DateRange | None, start: date | None, end: date | None) -> bool:
    if start is None and end is None:
        return True
    if value is None:
        return False  # an undated row cannot be said to fall in a date range
    return not ((start and value.end < start) or (end and value.start > end))


def _intersect(sets: Iterable[frozenset[int] | None]) -> frozenset[int] | None:
    """The rows every set keeps (None stands for every row)."""
    out: frozenset[int] | None = None
    for rows in sets:
        if rows is not None:
            out = rows if out is None else out & rows
    return out


def query(table: Table[T], prepared: Prepared[T], view: View) -> Result[T]:
    words = view.q.casefold().split()
    # The rows the words and dates keep (None: every row), then those having each chosen facet value.
    base: frozenset[int] | None = None
    if words or view.start or view.end:
        base = frozenset(n for n, text in enumerate(prepared.text)
                         if all(w in text for w in words) and _in_dates(prepared.dates[n], view.start, view.end))
    chosen = {i: prepared.rows_having(i, view.filters[f.key]) for i, f in enumerate(table.facets)
              if f.key in view.filters}
    kept = _intersect([base, *chosen.values()])
    # A facet's counts are over the rows every other filter keeps, so each count says what choosing it would give.
    counts = [prepared.counts(i, _intersect([base, *(rows for j, rows in chosen.items() if j != i)])
                              if i in chosen else kept)
              for i in range(len(table.facets))]
    order = prepared.order(view.sort.removeprefix("-"), view.sort.startswith("-"))
    ordered = [prepared.items[n] for n in order if kept is None or n in kept]
    pages = max(1, -(-len(ordered) // view.per))
    page = min(view.page, pages)
    facets = []
    for i, f in enumerate(table.facets):
        chosen_value = view.filters.get(f.key)
        options: list[dict[str, Any]] = [{"value": v, "name": f.name(v), "count": c} for v, c in counts[i].items()]
        if chosen_value and chosen_value not in counts[i]:
            options.append({"value": chosen_value, "name": f.name(chosen_value), "count": 0})
        options.sort(key=lambda o: (-o["count"], o["name"].casefold()))
        facets.append({"key": f.key, "label": f.label, "selected": chosen_value, "options": options})
    return Result(view=view, total=len(ordered), pages=pages,
                  rows=ordered[(page - 1) * view.per: page * view.per], everything=ordered, facets=facets)


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def flat_rows(table: Table[T], items: Iterable[T]) -> list[dict[str, Any]]:
    """Rows as the downloads write them: one key per column, lists kept as lists, plus the record's page."""
    out = []
    for item in items:
        row: dict[str, Any] = {c.key: c.value(item) for c in table.columns}
        if table.url:
            row["page"] = table.url(item)
        out.append(row)
    return out


def to_csv(table: Table[T], items: Iterable[T]) -> str:
    buffer = io.StringIO()
    columns = [c.key for c in table.columns] + (["page"] if table.url else [])
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in flat_rows(table, items):
        writer.writerow({k: cell_text(v) for k, v in row.items()})
    return buffer.getvalue()


def _flip(column: str, current: str, descending: bool, default: str) -> str | None:
    """The sort a heading's link asks for: its column ascending, or the other way if it is the sort now;
    None for the table's own order, which needs no parameter."""
    sort = f"-{column}" if column == current and not descending else column
    return None if sort == default else sort


def table_context(table: Table[T], result: Result[T], path: str, row_view: Callable[[T], dict[str, Any]],
                  download: str) -> dict[str, Any]:
    """What a list page shows and its /api twin returns: the page's rows, facets, sort and paging, as JSON values.

    ``path``: the page's own address, for sort and page links; ``download``: the address the CSV and
    JSON of this view are served at (same parameters, every page).
    """
    view = result.view
    page = min(view.page, result.pages)
    key, descending = view.sort.removeprefix("-"), view.sort.startswith("-")
    columns = [{"key": c.key, "label": c.label, "style": c.style,
                "sorted": ("desc" if descending else "asc") if c.key == key else None,
                "sort_url": view.link(path, sort=_flip(c.key, key, descending, table.default_sort), page=None)}
               for c in table.columns]
    rows = []
    for item in result.rows:
        row = {**row_view(item)}  # the row view may be kept and shown again: this page's additions are its own
        row["cells"] = [{"key": c.key, "value": c.value(item)} for c in table.columns]
        # The row's page on this site: a record's own "url" may be the article's address, never linked here.
        row["page_url"] = table.url(item) if table.url else None
        rows.append(row)
    return {
        "total": result.total, "page": page, "pages": result.pages, "per": view.per, "per_options": list(PER_PAGE),
        "sort": view.sort, "default_sort": table.default_sort, "q": view.q,
        "start": view.start.isoformat() if view.start else None, "end": view.end.isoformat() if view.end else None,
        "filters": dict(view.filters),
        "columns": columns, "rows": rows, "facets": result.facets,
        "first": (page - 1) * view.per + 1 if result.total else 0, "last": min(page * view.per, result.total),
        "prev_url": view.link(path, page=page - 1 if page > 2 else None) if page > 1 else None,
        "next_url": view.link(path, page=page + 1) if page < result.pages else None,
        "clear_url": view.link(path, **{f["key"]: None for f in result.facets}, q=None, start=None, end=None,
                               page=None),
        "csv_url": view.link(f"{download}.csv", page=None, per=None),
        "json_url": view.link(f"{download}.json", page=None, per=None),
    }


def run(table: Table[T], items: Callable[[], Sequence[T]], cache: dict[str, Any],
        params: Mapping[str, str]) -> Result[T]:
    """``query`` over the rows prepared for this record (in ``cache``, made on first use)."""
    prepared = cache.get(table.name)
    if prepared is None:
        prepared = cache[table.name] = prepare(table, items())
    return query(table, prepared, parse_view(table, params))
