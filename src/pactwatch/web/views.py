"""What every page reads: the corrected record, loaded once per request, and records as JSON-ready dicts.

Each page builds one context dict of plain JSON values; the HTML route
renders it with a template and the /api route returns it as is, so the two
can never show different things.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import combinations
from pathlib import Path
from typing import Any

from pactwatch import review
from pactwatch.countries import country_name
from pactwatch.documents import document_title
from pactwatch.models import (
    Actor,
    Claim,
    Commitment,
    Corpus,
    DateRange,
    Document,
    Event,
    Mention,
    Record,
    add_days,
    record_to_dict,
)
from pactwatch.store import Store, open_store
from pactwatch.store import review as review_store
from pactwatch.track import claim_value

DUE_SOON_DAYS = 180  # "due soon" on the overview: within about half a year of the as-of date


@dataclass
class PageData:
    """The machine's record, the analysts' corrections and the overlay of the two, for one request."""

    machine: Corpus
    corpus: Corpus  # corrections applied, rejected and merged records kept (shown struck through)
    notes: dict[tuple[str, str], list[dict[str, Any]]]
    corrections: list[review_store.Correction] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)

    @cached_property  # every row of the commitments asks; the record does not change under a PageData
    def as_of(self) -> date:
        """The newest document's date: what "due soon" and "overdue" are judged against."""
        ends = [d.published.end for d in self.corpus.documents if d.published]
        return max(ends) if ends else date.today()


_CACHE: dict[tuple[str, bool], tuple[str, PageData]] = {}
_WATCHERS: dict[str, tuple[int, Store]] = {}  # per database: the watcher's serial number and its store
_OPENED = itertools.count()
MAX_WATCHERS = 8
_LOCK = threading.Lock()
_READING: dict[tuple[str, bool], threading.Lock] = {}


def _version(db_path: str) -> str:
    """The store's change token, read on one store kept open per database (it changes whenever anyone commits).

    A new watcher's tokens start afresh, so each token carries its watcher's serial number: a token seen
    before a watcher was closed never names a later state of the data.
    """
    with _LOCK:
        found = _WATCHERS.get(db_path)
        if found is None:
            if len(_WATCHERS) >= MAX_WATCHERS:  # one process serving many databases (tests) holds a few connections
                oldest = next(iter(_WATCHERS))
                _WATCHERS.pop(oldest)[1].close()
                for key in [key for key in _CACHE if key[0] == oldest]:  # its record is read again if asked for
                    del _CACHE[key]
            found = _WATCHERS[db_path] = (next(_OPENED), open_store(db_path))
        serial, watcher = found
        return f"{serial}:{watcher.data_version()}"


def data_version(db_path: str | Path) -> str | None:
    """The store's change token; None for an in-memory store, which is read afresh for every request."""
    path = str(db_path)
    return None if path == ":memory:" else _version(path)


def load(db_path: str | Path, *, analysts: bool = True) -> PageData:
    """The page data for ``db_path``, read again only when the database changed since the last request.

    ``analysts``: whether the reader may see analysts' names (signed in); without, every author is None.
    Pages only read the cached PageData; everything they show is built as new dicts.
    """
    path = str(db_path)
    if path == ":memory:":
        return read(db_path, analysts=analysts)
    version = _version(path)
    cached = _CACHE.get((path, analysts))
    if cached and cached[0] == version:
        return cached[1]
    with _LOCK:
        reading = _READING.setdefault((path, analysts), threading.Lock())
    with reading:  # requests arriving together after a change wait for one read instead of each reading
        version = _version(path)
        cached = _CACHE.get((path, analysts))
        if cached and cached[0] == version:
            return cached[1]
        data = read(db_path, analysts=analysts)
        _CACHE[(path, analysts)] = (version, data)
    return data


def read(db_path: str | Path, *, analysts: bool = True) -> PageData:
    """Read everything a page needs and close the store (a connection is not shared between requests)."""
    store = open_store(db_path)
    try:
        machine = store.corpus()
        corrections = review_store.corrections(store)
    finally:
        store.close()
    if not analysts:
        corrections = review.without_names(corrections)
    corpus = review.apply_corrections(machine, corrections, keep_rejected=True)
    return PageData(machine=machine, corpus=corpus, notes=review.review_notes(machine, corrections),
                    corrections=corrections,
                    documents={d.id: d for d in corpus.documents}, actors={a.id: a for a in corpus.actors})


def record_url(kind: str, record_id: str) -> str:
    return f"/records/{kind}/{record_id}"


def range_text(value: DateRange | dict[str, Any] | None) -> str:
    if isinstance(value, dict):
        value = DateRange.from_dict(value)
    return str(value) if value else ""


def mention_view(m: Mention, data: PageData) -> dict[str, Any]:
    doc = data.documents.get(m.doc)
    return {**m.to_dict(), "url": f"/documents/{m.doc}#m{m.start}-{m.end}",
            "doc_title": document_view(doc)["name"] if doc else m.doc,
            "doc_published": range_text(doc.published) if doc else ""}


def document_view(d: Document, with_text: bool = False) -> dict[str, Any]:
    name = document_title(d)  # an untitled article by its outlet and date, never a piece of its address
    return {**d.to_dict(with_text=with_text), "url_page": f"/documents/{d.id}", "name": name,
            "published_text": range_text(d.published)}


def _kind(record: Record) -> str:
    return review.record_kind(record)


def record_view(record: Record, data: PageData) -> dict[str, Any]:
    """A record in the exchange shape plus what the pages show beside it: links, names, review state."""
    kind = _kind(record)
    out = record_to_dict(record)
    notes = data.notes.get((kind, record.id), [])
    out.update(record_kind=kind, url=record_url(kind, record.id), label=record_label(record),
               review={"state": review.review_state(notes), "actions": notes},
               mentions=[mention_view(m, data) for m in record.mentions])
    if isinstance(record, Event | Commitment):
        out["actor_refs"] = [actor_ref(a, data) for a in record.actors]
    if isinstance(record, Commitment):
        out["evidence"] = [mention_view(m, data) for m in record.evidence]
        out["due_text"] = range_text(record.due)
    if isinstance(record, Event):
        out["date_text"] = range_text(record.date)
    if isinstance(record, Claim):
        out["period_text"] = range_text(record.period)
        out["value_text"] = claim_value(record)  # "$45–50 bn", "2 ships": as the article says it
    return out


def actor_ref(actor_id: str, data: PageData) -> dict[str, Any]:
    actor = data.actors.get(actor_id)
    return {"id": actor_id, "name": actor.name if actor else actor_id, "url": record_url("actor", actor_id)}


def record_label(record: Record) -> str:
    if isinstance(record, Actor):
        return record.name
    if isinstance(record, Event):
        return f"{record.type} {range_text(record.date)} {', '.join(record.countries)}".strip()
    if isinstance(record, Commitment):
        return record.statement
    return f"{record.subject}: {claim_value(record)}"


def value_text(value: float, unit: str) -> str:
    """1400000000 USD -> "1.4 bn USD": how people read the figures in articles."""
    for size, word in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if abs(value) >= size:
            return f"{value / size:.4g} {word} {unit}"
    return f"{value:,.6g} {unit}"


def country_options(codes: set[str]) -> list[dict[str, str]]:
    return sorted(({"code": c, "name": country_name(c)} for c in codes), key=lambda o: o["name"])


def record_countries(record: Record) -> list[str]:
    return list(record.parties) if isinstance(record, Commitment) else list(record.countries)


def country_pairs(corpus: Corpus) -> list[tuple[tuple[str, str], int]]:
    """Pairs of countries that share records, most records first."""
    counts: Counter[tuple[str, str]] = Counter()
    records: list[Record] = [*corpus.events, *corpus.commitments, *corpus.claims]
    for record in records:
        for a, b in combinations(sorted(set(record_countries(record))), 2):
            counts[(a, b)] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def involves(record: Record, countries: tuple[str, ...]) -> bool:
    return set(countries) <= set(record_countries(record))


def date_key(value: DateRange | None) -> tuple[date, date]:
    return (value.start, value.end) if value else (date.min, date.min)


def is_overdue(c: Commitment, as_of: date) -> bool:
    """The tracker's flag where it set one; else a due date passed with the status still open."""
    if "overdue" in c.attributes:
        return bool(c.attributes["overdue"])
    return c.due is not None and c.due.end < as_of and c.status in ("pending", "unknown")


def is_due_soon(c: Commitment, as_of: date) -> bool:
    return (c.due is not None and c.status in ("pending", "unknown") and c.due.end >= as_of
            and c.due.start <= add_days(as_of, DUE_SOON_DAYS))


def claim_groups(claims: list[Claim], data: PageData) -> list[dict[str, Any]]:
    """Claims about the same subject and period side by side, conflicting groups first."""
    groups: dict[tuple[str, str, str], list[Claim]] = {}
    for c in claims:
        groups.setdefault((c.subject.lower(), c.unit, range_text(c.period)), []).append(c)
    out = []
    for (_, unit, period), members in groups.items():
        values = {c.value for c in members}
        conflicting = len(values) > 1 or any(c.corroboration == "conflicting" for c in members)
        out.append({"subject": members[0].subject, "unit": unit, "period": period,
                    "conflicting": conflicting, "claims": [record_view(c, data) for c in members]})
    return sorted(out, key=lambda g: (not g["conflicting"], g["subject"].lower(), g["period"]))
