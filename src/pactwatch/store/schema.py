"""The store's schema as a list of named migrations, applied in order on open, on SQLite and PostgreSQL alike.

To change the schema, append a function to ``MIGRATIONS``; never edit or
reorder one that has shipped: its name is recorded in ``schema_migrations``
and an existing database only runs the functions it has not seen.
Each migration runs inside the same transaction as its bookkeeping row, so
a database is never left half-migrated.

A migration is written once, in SQLite's SQL, and runs on both databases:
the PostgreSQL store translates its column types and gives every table the
``rowid`` SQLite has built in (store/postgres.py, ``portable_ddl``). Where
the two really differ (full-text search), a migration branches on
``conn.dialect``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Protocol

from pactwatch.store.blocks import (
    block_heads,
    block_index_tables,
    block_tables,
    copy_index_tables,
    extraction_index,
    figure_blocks_by_value,
    person_keys_by_holder,
    stage_digests,
)
from pactwatch.store.review import correction_reasons, review_tables, session_tables
from pactwatch.store.watch import watch_tables


class Cursor(Protocol):
    """What both drivers' cursors offer: rows as tuples."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """What a migration is given: the store itself (store/base.py)."""

    @property
    def dialect(self) -> str: ...  # "sqlite" or "postgresql"

    def execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> Cursor: ...

    def transaction(self) -> AbstractContextManager[None]: ...


Migration = Callable[[Connection], None]


def _execute_all(conn: Connection, statements: str) -> None:
    """Run statements one by one (in one transaction): no ";" inside comments or strings."""
    for statement in statements.split(";"):
        if statement.strip():
            conn.execute(statement)


def core_tables(conn: Connection) -> None:
    """Documents with full-text search, per-document extractions, resolved records and their mentions."""
    _execute_all(conn, """
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            title TEXT,
            outlet TEXT,
            url TEXT,
            published_start TEXT,
            published_end TEXT,
            published_precision TEXT,
            published_source TEXT,
            text TEXT NOT NULL,
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX documents_published ON documents (published_start, published_end);
        CREATE TABLE extractions (
            doc_id TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
            data TEXT NOT NULL
        );
        CREATE TABLE actors (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            countries TEXT NOT NULL,
            data TEXT NOT NULL
        );
        CREATE INDEX actors_kind ON actors (kind, name);
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            mode TEXT,
            date_start TEXT,
            date_end TEXT,
            date_precision TEXT,
            countries TEXT NOT NULL,
            data TEXT NOT NULL
        );
        CREATE INDEX events_date ON events (date_start, date_end);
        CREATE TABLE commitments (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            made_on_start TEXT,
            made_on_end TEXT,
            due_start TEXT,
            due_end TEXT,
            parties TEXT NOT NULL,
            data TEXT NOT NULL
        );
        CREATE INDEX commitments_status ON commitments (status, due_end);
        CREATE TABLE claims (
            id TEXT PRIMARY KEY,
            subject TEXT NOT NULL,
            value REAL NOT NULL,
            unit TEXT NOT NULL,
            period_start TEXT,
            period_end TEXT,
            corroboration TEXT NOT NULL,
            countries TEXT NOT NULL,
            data TEXT NOT NULL
        );
        -- One row per (record, country) so a dashboard can filter any kind by country with an index.
        CREATE TABLE record_countries (
            kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            country TEXT NOT NULL,
            PRIMARY KEY (kind, record_id, country)
        );
        CREATE INDEX record_countries_country ON record_countries (country, kind);
        -- Every span a resolved record points at: role is 'mention', or 'evidence' for commitments.
        CREATE TABLE mentions (
            kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            role TEXT NOT NULL,
            doc TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
        );
        CREATE INDEX mentions_doc ON mentions (doc, start);
        CREATE INDEX mentions_record ON mentions (kind, record_id)
    """)
    if conn.dialect == "postgresql":
        # A generated tsvector column and its GIN index; the text is cut where a tsvector's 1 MB limit could bite.
        _execute_all(conn, """
            ALTER TABLE documents ADD COLUMN fts tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english', coalesce(title, '')), 'A')
                || to_tsvector('english', left(text, 200000))) STORED;
            CREATE INDEX documents_fts ON documents USING gin (fts)
        """)
    else:
        conn.execute("CREATE VIRTUAL TABLE documents_fts USING fts5 (doc_id UNINDEXED, title, text)")


def store_state(conn: Connection) -> None:
    """Small key/value facts about the store, such as whether the resolved record lags the documents."""
    conn.execute("CREATE TABLE store_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    # A store that already holds documents was resolved by the ingest that wrote them, or needs it now:
    # marking it stale costs one rebuild and can never be wrong.
    conn.execute("INSERT INTO store_state (key, value) SELECT 'resolved_stale', '1' WHERE EXISTS "
                 "(SELECT 1 FROM documents) AND NOT EXISTS (SELECT 1 FROM actors)")


def document_language(conn: Connection) -> None:
    """Each document's language; documents stored before it were all read as English."""
    conn.execute("ALTER TABLE documents ADD COLUMN language TEXT NOT NULL DEFAULT 'en'")


def document_text_bounds(conn: Connection) -> None:
    """What an undated document's own words prove of its date (``models.TextBounds``), kept from rebuild to
    rebuild; NULL until a rebuild works it out."""
    conn.execute("ALTER TABLE documents ADD COLUMN text_bounds TEXT")


def kept_parses(conn: Connection) -> None:
    """The parse of each undated document (``nlp.keep``): extracting one again when its date is inferred anew
    needs no parser."""
    conn.execute("CREATE TABLE parses (doc_id TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE, "
                 "data BLOB NOT NULL)")


def document_word_keys(conn: Connection) -> None:
    """What the tracker reads of a dated document's words (``models.WordKeys``), kept from rebuild to rebuild;
    NULL until a rebuild works them out."""
    conn.execute("ALTER TABLE documents ADD COLUMN word_keys TEXT")


# Append new migrations at the end; the order is the order they run in.
MIGRATIONS: list[Migration] = [
    core_tables,
    review_tables,  # analyst accounts and corrections (store/review.py)
    store_state,
    session_tables,  # server-side analyst sessions that sign-out revokes (store/review.py)
    document_language,  # each document's language (documents.py)
    watch_tables,  # feeds, feed items, alert rules, channels, alerts, deliveries (store/watch.py)
    correction_reasons,  # the analyst's reason for each correction (store/review.py)
    block_tables,  # the resolved record kept by block, and the documents resolved (store/blocks.py)
    block_index_tables,  # the partition's records by key, each document as partitioned (store/blocks.py)
    copy_index_tables,  # each document's shingles, so copies are found through an index (store/blocks.py)
    block_heads,  # each block's members apart from its records, read only where needed (store/blocks.py)
    person_keys_by_holder,  # people found by the keys they seek, not every key they hold (store/blocks.py)
    stage_digests,  # each extraction's digest, one part per stage, kept with it (store/blocks.py)
    document_text_bounds,  # what an undated document's words prove of its date, kept (models.TextBounds)
    kept_parses,  # the parse of each undated document, for extracting it again (nlp.keep)
    document_word_keys,  # what the tracker reads of a dated document's words, kept (models.WordKeys)
    figure_blocks_by_value,  # figures' blocks by unit and value band, marked across blocks (store/blocks.py)
    extraction_index,  # where each extraction's records lie in its JSON: read alone (store/blocks.py)
]


class SchemaError(RuntimeError):
    """The database's recorded schema is not one this code can use."""


def ensure_bookkeeping(conn: Connection) -> None:
    # rowid: SQLite's own; the PostgreSQL store adds one to every table it creates (the order of migrations).
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")


def applied(conn: Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT name FROM schema_migrations ORDER BY rowid")]


def migrate(conn: Connection) -> list[str]:
    """Apply the migrations this database has not seen, each in its own transaction; return their names.

    ``conn.transaction()`` takes the store's write lock, so two processes
    opening a new database at once run each migration once.
    """
    known = [m.__name__ for m in MIGRATIONS]
    done = applied(conn)
    unknown = [name for name in done if name not in known]
    if unknown:
        raise SchemaError(f"written by a newer pactwatch (unknown migrations: {', '.join(unknown)})")
    ran: list[str] = []
    for migration in MIGRATIONS:
        if migration.__name__ in done:
            continue
        with conn.transaction():
            if migration.__name__ in applied(conn):  # another process got there while we waited for the lock
                continue
            migration(conn)
            conn.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                         (migration.__name__, datetime.now(UTC).isoformat(timespec="seconds")))
        ran.append(migration.__name__)
    return ran
