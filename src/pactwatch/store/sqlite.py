"""The SQLite store, the embedded default: one file, WAL mode, one transaction per write.

A crash or kill between two writes leaves every earlier one whole: SQLite's
WAL journal rolls back an unfinished transaction on the next open. Search
is an FTS5 table kept beside ``documents`` (same rowid).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from os import PathLike
from typing import Any, ClassVar

from pactwatch.models import Document
from pactwatch.store.base import WORD, Store, StoreError
from pactwatch.store.schema import Cursor, SchemaError, ensure_bookkeeping, migrate

MMAP_BYTES = 256 << 20  # of the database file memory-mapped (SQLite maps no more than the file holds)


class SQLiteStore(Store):
    """The store in one SQLite file (or ``:memory:``)."""

    dialect: ClassVar[str] = "sqlite"

    def __init__(self, path: str | PathLike[str] = ":memory:") -> None:
        self.path = str(path)
        try:
            # Autocommit mode: the only transactions are the explicit ones of transaction(). A connection may
            # move between threads (the dashboard's change watcher), never be shared by two at once.
            self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        try:
            self._prepare()
        except (sqlite3.DatabaseError, SchemaError) as exc:
            self._conn.close()
            raise StoreError(f"{self.path} is not a usable pactwatch database: {exc}") from exc

    def _prepare(self) -> None:
        conn = self._conn
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "schema_migrations" not in tables:
            raise SchemaError("it holds other tables and no schema_migrations table")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: a process crash loses nothing committed
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        # A rebuild reads most of the store: mapped, its pages are read without a system call each (measured on
        # a watch tick's rebuild: 0.07 s of system time -> 0.04 s).
        conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        ensure_bookkeeping(self)
        migrate(self)

    def close(self) -> None:
        self._conn.close()

    def execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> Cursor:
        return self._conn.execute(sql, params)

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self._conn.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")  # the write lock now, not at the first write: writers queue
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def data_version(self) -> str:
        # data_version moves when another connection commits, total_changes when this one writes.
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        return f"{version}.{self._conn.total_changes}"

    def _index_text(self, document: Document) -> None:
        # The FTS row shares the document's rowid, so replacing it is an indexed delete, not a scan.
        rowid = self._conn.execute("SELECT rowid FROM documents WHERE id = ?", (document.id,)).fetchone()[0]
        self._conn.execute("DELETE FROM documents_fts WHERE rowid = ?", (rowid,))
        self._conn.execute("INSERT INTO documents_fts (rowid, doc_id, title, text) VALUES (?, ?, ?, ?)",
                           (rowid, document.id, document.title or "", document.text))

    def _search(self, query: str, limit: int, mark: tuple[str, str]) -> list[tuple[str, str]]:
        try:
            return self._match(query, limit, mark)
        except sqlite3.OperationalError:  # not FTS5 syntax: every word, as a phrase of its own
            words = WORD.findall(query)
            return self._match(" ".join(f'"{w}"' for w in words), limit, mark) if words else []

    def _match(self, match: str, limit: int, mark: tuple[str, str]) -> list[tuple[str, str]]:
        rows = self._conn.execute(
            "SELECT doc_id, snippet(documents_fts, -1, ?, ?, '…', 16) FROM documents_fts "
            "WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?", (mark[0], mark[1], match, limit)).fetchall()
        return [(doc_id, snippet) for doc_id, snippet in rows]
