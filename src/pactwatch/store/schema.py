"""The store's schema as a list of named migrations, applied in order on open.

To change the schema, append a function to ``MIGRATIONS``; never edit or
reorder one that has shipped: its name is recorded in ``schema_migrations``
and an existing database only runs the functions it has not seen.
Each migration runs inside the same transaction as its bookkeeping row, so
a database is never left half-migrated.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from pactwatch.store.review import review_tables, session_tables

Migration = Callable[[sqlite3.Connection], None]


def _execute_all(conn: sqlite3.Connection, statements: str) -> None:
    """Run statements one by one (``executescript`` would commit midway): no ";" inside comments or strings."""
    for statement in statements.split(";"):
        if statement.strip():
            conn.execute(statement)


def core_tables(conn: sqlite3.Connection) -> None:
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
        CREATE VIRTUAL TABLE documents_fts USING fts5 (doc_id UNINDEXED, title, text);
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


def store_state(conn: sqlite3.Connection) -> None:
    """Small key/value facts about the store, such as whether the resolved record lags the documents."""
    conn.execute("CREATE TABLE store_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    # A store that already holds documents was resolved by the ingest that wrote them, or needs it now:
    # marking it stale costs one rebuild and can never be wrong.
    conn.execute("INSERT INTO store_state (key, value) SELECT 'resolved_stale', '1' WHERE EXISTS "
                 "(SELECT 1 FROM documents) AND NOT EXISTS (SELECT 1 FROM actors)")


def document_language(conn: sqlite3.Connection) -> None:
    """Each document's language; documents stored before it were all read as English."""
    conn.execute("ALTER TABLE documents ADD COLUMN language TEXT NOT NULL DEFAULT 'en'")


# Append new migrations at the end; the order is the order they run in.
MIGRATIONS: list[Migration] = [
    core_tables,
    review_tables,  # analyst accounts and corrections (store/review.py)
    store_state,
    session_tables,  # server-side analyst sessions that sign-out revokes (store/review.py)
    document_language,  # each document's language (documents.py)
]


class SchemaError(RuntimeError):
    """The database's recorded schema is not one this code can use."""


def ensure_bookkeeping(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")


def applied(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT name FROM schema_migrations ORDER BY rowid")]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations this database has not seen, each in its own transaction; return their names.

    ``conn`` must be in autocommit mode (``isolation_level=None``) so the
    explicit BEGIN/COMMIT here are the only transactions.
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
        conn.execute("BEGIN IMMEDIATE")
        try:
            if migration.__name__ in applied(conn):  # another process got there while we waited for the lock
                conn.execute("ROLLBACK")
                continue
            migration(conn)
            conn.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                         (migration.__name__, datetime.now(UTC).isoformat(timespec="seconds")))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        ran.append(migration.__name__)
    return ran
