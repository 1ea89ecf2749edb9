"""Export the stored record: the ``pactwatch/1`` JSON exchange format, or one CSV per record kind.

CSV convention: the output names a directory, which receives
``documents.csv``, ``actors.csv``, ``events.csv``, ``commitments.csv``,
``claims.csv`` and ``mentions.csv``. Lists are joined with "; ", dates are
split into ``<field>_start``/``<field>_end``/``<field>_precision`` columns, and
``mentions.csv`` joins every record to the spans it came from
(``kind, record_id, role, doc, start, end, quote``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from pactwatch.models import Actor, Claim, Commitment, Corpus, DateRange, Document, Event, Mention, Role

FORMATS: tuple[str, ...] = ("json", "csv")
CSV_FILES: tuple[str, ...] = ("documents", "actors", "events", "commitments", "claims", "mentions")
LIST_SEPARATOR = "; "


def write_json(corpus: Corpus, out: TextIO) -> None:
    """The exchange format, UTF-8 with names as written (ensure_ascii off keeps "Güler" readable).

    ValueError, before anything is written, if a number is nan or infinite: ``NaN``/``Infinity`` are not JSON.
    """
    text = json.dumps(corpus.to_exchange(), ensure_ascii=False, indent=1, allow_nan=False)
    out.write(text + "\n")


def _join(values: Iterable[Any]) -> str:
    return LIST_SEPARATOR.join(str(v) for v in values)


def _range(prefix: str, value: DateRange | None) -> dict[str, str]:
    if value is None:
        return {f"{prefix}_start": "", f"{prefix}_end": "", f"{prefix}_precision": ""}
    return {f"{prefix}_start": value.start.isoformat(), f"{prefix}_end": value.end.isoformat(),
            f"{prefix}_precision": value.precision}


def _role(role: Role) -> str:
    where = ", ".join(x for x in (role.country, role.organization) if x)
    return f"{role.title} ({where})" if where else role.title


def document_row(d: Document) -> dict[str, Any]:
    return {"id": d.id, "source": d.source, "title": d.title or "", "outlet": d.outlet or "", "url": d.url or "",
            **_range("published", d.published), "published_source": d.published_source or "",
            "chars": len(d.text)}


def actor_row(a: Actor) -> dict[str, Any]:
    return {"id": a.id, "name": a.name, "kind": a.kind, "countries": _join(a.countries),
            "roles": _join(_role(r) for r in a.roles), "aliases": _join(a.aliases), "mentions": len(a.mentions)}


def event_row(e: Event) -> dict[str, Any]:
    return {"id": e.id, "type": e.type, "mode": e.mode or "", **_range("date", e.date),
            "countries": _join(e.countries), "location": e.location.place if e.location else "",
            "location_country": (e.location.country or "") if e.location else "", "actors": _join(e.actors),
            "topics": _join(e.topics), "summary": e.summary, "mentions": len(e.mentions)}


def commitment_row(c: Commitment) -> dict[str, Any]:
    return {"id": c.id, "kind": c.kind, "statement": c.statement, "parties": _join(c.parties),
            "actors": _join(c.actors), "topics": _join(c.topics), **_range("made_on", c.made_on),
            "event": c.event or "", "target_value": c.target.value if c.target else "",
            "target_unit": c.target.unit if c.target else "", **_range("due", c.due),
            "cadence_per_year": c.cadence.per_year if c.cadence else "", "status": c.status,
            "subject": c.subject or "", "mentions": len(c.mentions), "evidence": len(c.evidence)}


def claim_row(c: Claim) -> dict[str, Any]:
    return {"id": c.id, "subject": c.subject, "value": c.value, "high": "" if c.high is None else c.high,
            "unit": c.unit, **_range("period", c.period),
            "countries": _join(c.countries), "corroboration": c.corroboration, "mentions": len(c.mentions)}


MENTION_COLUMNS = ("kind", "record_id", "role", "doc", "start", "end", "quote")


def mention_rows(corpus: Corpus) -> list[dict[str, Any]]:
    """Every span of every record: the table a reader joins to find where a record came from."""
    rows: list[dict[str, Any]] = []

    def add(kind: str, record_id: str, role: str, mentions: list[Mention]) -> None:
        rows.extend({"kind": kind, "record_id": record_id, "role": role, "doc": m.doc, "start": m.start,
                     "end": m.end, "quote": m.quote} for m in mentions)

    for a in corpus.actors:
        add("actor", a.id, "mention", a.mentions)
    for e in corpus.events:
        add("event", e.id, "mention", e.mentions)
    for c in corpus.commitments:
        add("commitment", c.id, "mention", c.mentions)
        add("commitment", c.id, "evidence", c.evidence)
    for cl in corpus.claims:
        add("claim", cl.id, "mention", cl.mentions)
    return rows


_ROW_MAKERS: dict[str, tuple[str, Callable[[Any], dict[str, Any]]]] = {
    "documents": ("documents", document_row), "actors": ("actors", actor_row), "events": ("events", event_row),
    "commitments": ("commitments", commitment_row), "claims": ("claims", claim_row),
}


def csv_tables(corpus: Corpus) -> dict[str, list[dict[str, Any]]]:
    """The rows of each CSV file, by file stem (``CSV_FILES``)."""
    tables = {stem: [make(r) for r in getattr(corpus, attr)] for stem, (attr, make) in _ROW_MAKERS.items()}
    tables["mentions"] = mention_rows(corpus)
    return tables


def _header(stem: str, rows: list[dict[str, Any]]) -> list[str]:
    """The columns of a table; an empty table still gets its header, read off an empty record's row."""
    if rows:
        return list(rows[0])
    if stem == "mentions":
        return list(MENTION_COLUMNS)
    return list(_ROW_MAKERS[stem][1](_EMPTY[stem]))


_EMPTY: dict[str, Any] = {
    "documents": Document(id="", text="", source=""),
    "actors": Actor(id="", name="", kind=""),
    "events": Event(id="", type="", date=None, countries=[], mentions=[]),
    "commitments": Commitment(id="", statement="", kind="", parties=[], mentions=[]),
    "claims": Claim(id="", subject="", value=0.0, unit="", mentions=[]),
}


def write_csv(corpus: Corpus, directory: str | Path) -> list[Path]:
    """Write one CSV per record kind plus mentions.csv into ``directory`` (created); return the paths."""
    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, rows in csv_tables(corpus).items():
        path = out_dir / f"{stem}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=_header(stem, rows))
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    return written
