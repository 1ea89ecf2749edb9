"""The store interface: what the pipeline, review, tracker, dashboard and export read and write.

``Store`` holds every query once, written in the SQL that SQLite and
PostgreSQL share (``?`` placeholders, ``ON CONFLICT``, ``RETURNING``); an
implementation (store/sqlite.py, store/postgres.py) supplies the
connection and the few things that differ: opening a write transaction,
full-text search and the change token. No code outside this package sees
a driver: callers get a ``Store`` from ``open_store`` and call its methods.

Every record is kept as the JSON its ``to_dict`` writes (so nothing is lost
when the model grows a field) beside the columns a dashboard filters on
(dates, countries, status). Each write is one transaction, so a crash or
kill between two ``add_document`` calls leaves every earlier document whole.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, ClassVar

from pactwatch.models import (
    Actor,
    Claim,
    Commitment,
    Corpus,
    DateRange,
    Document,
    Event,
    Extraction,
    Mention,
    Record,
    StoredExtraction,
    TextBounds,
    WordKeys,
    actor_from_dict,
    claim_from_dict,
    commitment_from_dict,
    compact_json,
    event_from_dict,
    extraction_digest,
    record_to_dict,
    stored_extraction,
)
from pactwatch.store.blocks import BlockTables
from pactwatch.store.schema import Cursor
from pactwatch.store.watch import WatchTables

RECORD_KINDS: tuple[str, ...] = ("actor", "event", "commitment", "claim")
_TABLES = {"actor": "actors", "event": "events", "commitment": "commitments", "claim": "claims"}
_FROM_DICT: dict[str, Callable[[dict[str, Any]], Record]] = {
    "actor": actor_from_dict, "event": event_from_dict, "commitment": commitment_from_dict, "claim": claim_from_dict,
}
_DOCUMENT_COLUMNS = ("id, source, title, outlet, url, published_start, published_end, published_precision, "
                     "published_source, text, language, text_bounds, word_keys")
WORD = re.compile(r"\w+")
_INSERTS: dict[str, str] = {
    "actor": "INSERT INTO actors (id, kind, name, countries, data) VALUES (?, ?, ?, ?, ?)",
    "event": "INSERT INTO events (id, type, mode, date_start, date_end, date_precision, countries, data) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "commitment": "INSERT INTO commitments (id, kind, status, made_on_start, made_on_end, due_start, due_end, "
                  "parties, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "claim": "INSERT INTO claims (id, subject, value, unit, period_start, period_end, corroboration, countries, "
             "data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
}


def _columns(record: Record) -> tuple[Any, ...]:
    """The columns a record's kind is filtered on, after its id (``_INSERTS``)."""
    if isinstance(record, Actor):
        return record.kind, record.name
    if isinstance(record, Event):
        return record.type, record.mode, *_range_columns(record.date)
    if isinstance(record, Commitment):
        return (record.kind, record.status, *_range_columns(record.made_on)[:2], *_range_columns(record.due)[:2])
    return (record.subject, record.value, record.unit, *_range_columns(record.period)[:2], record.corroboration)


class StoreError(RuntimeError):
    """The database cannot be used: missing, not a pactwatch database, corrupt, or from a newer version."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _range_columns(value: DateRange | None) -> tuple[str | None, str | None, str | None]:
    if value is None:
        return None, None, None
    return value.start.isoformat(), value.end.isoformat(), value.precision


def _range_from(start: str | None, end: str | None, precision: str | None) -> DateRange | None:
    return DateRange.from_dict({"start": start, "end": end, "precision": precision}) if start and end else None


def _worked_out_columns(document: Document) -> tuple[str | None, str | None]:
    """The columns of what a rebuild worked out of a document's words: its text bounds and word keys."""
    return (None if document.text_bounds is None else compact_json(document.text_bounds.to_dict()),
            None if document.word_keys is None else compact_json(document.word_keys.to_dict()))


def _countries(record: Record) -> list[str]:
    if isinstance(record, Commitment):
        return list(record.parties)
    return list(record.countries)


class Store(WatchTables, BlockTables, ABC):
    """Documents, their per-document extractions, and the resolved corpus record.

    ``path`` is where the store lives, as it was opened (a file, or a
    ``postgresql://`` URL); ``location`` is the same with any password hidden, for messages.
    """

    dialect: ClassVar[str]  # "sqlite" or "postgresql": migrations that differ branch on it
    path: str

    # -- what an implementation supplies --------------------------------------

    @abstractmethod
    def execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> Cursor:
        """Run one statement written with ``?`` placeholders, in autocommit unless inside ``transaction()``."""

    @abstractmethod
    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """A write transaction: writers queue behind each other, and an exception rolls everything back."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def data_version(self) -> str:
        """A token that changes whenever anyone (this store included) commits a change to the data.

        A reader that caches what it read (the dashboard) compares tokens instead of reading everything again.
        """

    @abstractmethod
    def _index_text(self, document: Document) -> None:
        """Keep the full-text index in step with a document just written (inside its transaction)."""

    @abstractmethod
    def _search(self, query: str, limit: int, mark: tuple[str, str]) -> list[tuple[str, str]]:
        """(document id, snippet) of the best matches for a query in the dialect's search syntax."""

    # -- lifecycle -----------------------------------------------------------

    @property
    def location(self) -> str:
        return self.path

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- writes --------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        return self.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def add_document(self, document: Document, extraction: Extraction) -> None:
        """Store a document with its extraction, all or nothing (a second add replaces both)."""
        with self.transaction():
            self._write_document(document, extraction)

    def update_document(self, document: Document, extraction: Extraction) -> None:
        """Replace a stored document's metadata (an inferred date, say) and its extraction; keeps ingested_at."""
        if not self.has_document(document.id):
            raise KeyError(f"no document {document.id} in the store")
        with self.transaction():
            self._write_document(document, extraction)

    def _write_document(self, document: Document, extraction: Extraction) -> None:
        if extraction.doc_id != document.id:
            raise ValueError(f"extraction of {extraction.doc_id} given for document {document.id}")
        start, end, precision = _range_columns(document.published)
        self.execute(
            f"INSERT INTO documents ({_DOCUMENT_COLUMNS}, ingested_at) VALUES ({', '.join('?' * 14)}) "
            "ON CONFLICT (id) DO UPDATE SET source = excluded.source, title = excluded.title, "
            "outlet = excluded.outlet, url = excluded.url, published_start = excluded.published_start, "
            "published_end = excluded.published_end, published_precision = excluded.published_precision, "
            "published_source = excluded.published_source, text = excluded.text, language = excluded.language, "
            "text_bounds = excluded.text_bounds, word_keys = excluded.word_keys",
            (document.id, document.source, document.title, document.outlet, document.url, start, end, precision,
             document.published_source, document.text, document.language, *_worked_out_columns(document), now()))
        self._index_text(document)
        value = extraction.to_dict()
        data, index = stored_extraction(value)
        self.execute("INSERT INTO extractions (doc_id, data, digest, record_index) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT (doc_id) DO UPDATE SET data = excluded.data, digest = excluded.digest, "
                     "record_index = excluded.record_index",
                     (document.id, data, extraction_digest(value), compact_json(index)))
        if extraction.parse is not None:
            self.execute("INSERT INTO parses (doc_id, data) VALUES (?, ?) "
                         "ON CONFLICT (doc_id) DO UPDATE SET data = excluded.data", (document.id, extraction.parse))
        # Committed with the document, so a crash before the next save_corpus is seen by needs_rebuild().
        self.execute("INSERT INTO store_state (key, value) VALUES ('resolved_stale', '1') "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value")

    def keep_worked_out(self, documents: list[Document]) -> None:
        """Keep what the rebuild worked out of these stored documents' words (``models.TextBounds``,
        ``models.WordKeys``)."""
        with self.transaction():
            self.executemany("UPDATE documents SET text_bounds = ?, word_keys = ? WHERE id = ?",
                             [(*_worked_out_columns(d), d.id) for d in documents])

    def save_corpus(self, corpus: Corpus) -> None:
        """Replace every resolved record (actors, events, commitments, claims, mentions) in one transaction."""
        with self.transaction():
            for table in ("actors", "events", "commitments", "claims", "record_countries", "mentions"):
                self.execute(f"DELETE FROM {table}")
            self.execute("DELETE FROM store_state WHERE key = 'resolved_stale'")
            self.execute("DELETE FROM resolved_blocks")  # the whole record replaced: no block of it is kept
            self._insert_resolved([(kind, r) for kind, records in (
                ("actor", corpus.actors), ("event", corpus.events), ("commitment", corpus.commitments),
                ("claim", corpus.claims)) for r in records])

    def _mentions_kept(self, kind: str, record_id: str, stored: Counter[tuple[str, int, int]],
                       now: Counter[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """The spans to insert for a record whose ``stored`` mention rows stay where it ``now`` has them: a span it
        has other times now than then has its rows replaced."""
        out: list[tuple[str, int, int]] = []
        for span in (stored - now).keys() | (now - stored).keys():
            if stored[span]:
                self.execute('DELETE FROM mentions WHERE kind = ? AND record_id = ? AND role = ? AND doc = ? AND '
                             'start = ? AND "end" = ?', (kind, record_id, "mention", *span))
            out += [span] * now[span]
        return out

    def _insert_resolved(self, records: list[tuple[str, Record]],
                         had: dict[tuple[str, str], Counter[tuple[str, int, int]]] | None = None,
                         written: dict[tuple[str, str], str] | None = None) -> None:
        """Resolved records (kind, record), each with the columns its kind is filtered on, its countries and its
        spans: one statement per table for them all. ``had``: the spans of mentions stored already for a record
        (kind, id), kept where it still has them; the others are deleted. ``written``: the JSON of records
        (kind, id) where it was written already."""
        rows: dict[str, list[tuple[Any, ...]]] = {}
        countries: list[tuple[str, str, str]] = []
        spans: list[tuple[str, str, str, str, int, int]] = []
        for kind, record in records:
            named = _countries(record)
            data = (written or {}).get((kind, record.id)) or compact_json(record_to_dict(record))
            rows.setdefault(kind, []).append((record.id, *_columns(record), ",".join(named), data))
            countries += [(kind, record.id, c) for c in named]
            found = [(m.doc, m.start, m.end) for m in record.mentions]
            if had is not None and (kind, record.id) in had:
                found = self._mentions_kept(kind, record.id, had[(kind, record.id)], Counter(found))
            spans += [(kind, record.id, "mention", *span) for span in found]
            if isinstance(record, Commitment):
                spans += [(kind, record.id, "evidence", m.doc, m.start, m.end) for m in record.evidence]
        for kind, found in rows.items():
            self.executemany(_INSERTS[kind], found)
        self.executemany("INSERT INTO record_countries (kind, record_id, country) VALUES (?, ?, ?) "
                         "ON CONFLICT DO NOTHING", countries)
        self.executemany('INSERT INTO mentions (kind, record_id, role, doc, start, "end") VALUES (?, ?, ?, ?, ?, ?)',
                         spans)

    def needs_rebuild(self) -> bool:
        """Whether documents were written after the last save_corpus (an ingest killed before it resolved)."""
        return self.execute("SELECT 1 FROM store_state WHERE key = 'resolved_stale'").fetchone() is not None

    # -- reads ---------------------------------------------------------------

    @staticmethod
    def _document_from_row(row: tuple[Any, ...]) -> Document:
        doc_id, source, title, outlet, url, start, end, precision, published_source, text, language, bounds, keys = row
        return Document(id=doc_id, text=text, source=source, title=title, outlet=outlet, url=url,
                        published=_range_from(start, end, precision), published_source=published_source,
                        language=language, text_bounds=TextBounds.from_dict(json.loads(bounds)) if bounds else None,
                        word_keys=WordKeys.from_dict(json.loads(keys)) if keys else None)

    def documents(self) -> list[Document]:
        """Every stored document, in the order they were first ingested."""
        rows = self.execute(f"SELECT {_DOCUMENT_COLUMNS} FROM documents ORDER BY rowid")
        return [self._document_from_row(row) for row in rows]

    def document(self, doc_id: str) -> Document | None:
        row = self.execute(f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return self._document_from_row(row) if row else None

    def extractions(self) -> list[Extraction]:
        """Every per-document extraction, in document order (each list of records built when first read)."""
        rows = self.execute("SELECT e.doc_id, e.data, e.record_index FROM extractions e JOIN documents d "
                            "ON d.id = e.doc_id ORDER BY d.rowid")
        return [StoredExtraction.lazy(doc_id, data, json.loads(index)) for doc_id, data, index in rows]

    def kept_parses(self, doc_ids: set[str]) -> dict[str, bytes]:
        """The parses kept of these documents (``Extraction.parse``), of those that have one."""
        return {d: bytes(data) for d, data in
                self._select_in("SELECT doc_id, data FROM parses WHERE doc_id IN ({marks})", doc_ids)}

    def extraction(self, doc_id: str) -> Extraction | None:
        row = self.execute("SELECT data FROM extractions WHERE doc_id = ?", (doc_id,)).fetchone()
        return Extraction.from_dict(json.loads(row[0])) if row else None

    def _records(self, kind: str) -> list[Any]:
        rows = self.execute(f"SELECT data FROM {_TABLES[kind]} ORDER BY rowid")
        return [_FROM_DICT[kind](json.loads(data)) for (data,) in rows]

    def actors(self) -> list[Actor]:
        return self._records("actor")

    def events(self) -> list[Event]:
        return self._records("event")

    def commitments(self) -> list[Commitment]:
        return self._records("commitment")

    def claims(self) -> list[Claim]:
        return self._records("claim")

    def corpus(self) -> Corpus:
        """The resolved record as last saved, with the stored documents."""
        return Corpus(documents=self.documents(), actors=self.actors(), events=self.events(),
                      commitments=self.commitments(), claims=self.claims())

    def record(self, kind: str, record_id: str) -> Actor | Event | Commitment | Claim | None:
        """One resolved record by kind (actor|event|commitment|claim) and id."""
        if kind not in _TABLES:
            raise ValueError(f"unknown record kind {kind!r} (one of {', '.join(RECORD_KINDS)})")
        row = self.execute(f"SELECT data FROM {_TABLES[kind]} WHERE id = ?", (record_id,)).fetchone()
        return _FROM_DICT[kind](json.loads(row[0])) if row else None

    def mentions_in(self, doc_id: str) -> list[tuple[str, str, str, Mention]]:
        """(kind, record id, role, mention) for every resolved span in a document, in text order."""
        document = self.document(doc_id)
        if document is None:
            return []
        rows = self.execute('SELECT kind, record_id, role, start, "end" FROM mentions WHERE doc = ? '
                            'ORDER BY start, "end", rowid', (doc_id,))
        return [(kind, record_id, role, Mention(doc_id, start, end, document.text[start:end]))
                for kind, record_id, role, start, end in rows]

    def counts(self) -> dict[str, int]:
        """How many documents and records of each kind the store holds."""
        tables = ("documents", "actors", "events", "commitments", "claims", "mentions")
        return {t: int(self.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}

    def search(self, query: str, limit: int = 50, *, mark: tuple[str, str] = ("[", "]")) -> list[tuple[Document, str]]:
        """Full-text search over titles and texts, best first: (document, snippet with hits between ``mark``).

        The query may use the search syntax of the store's engine (SQLite FTS5:
        ``"joint commission" NEAR trade``; PostgreSQL: web-search syntax,
        ``"joint commission" -trade``); one that does not parse is searched as
        plain words, all of which must occur.
        """
        out = []
        for doc_id, snippet in self._search(query, limit, mark):
            document = self.document(doc_id)
            if document is not None:
                out.append((document, snippet))
        return out
