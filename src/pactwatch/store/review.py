"""Analyst accounts, analyst corrections and the dashboard's secret, kept in the store's database.

Corrections sit beside the machine's records, never in them: a rebuild
replaces the resolved records but leaves this table alone, and record ids
are stable across rebuilds, so a correction keyed by (kind, record id)
applies again to the rebuilt record. Undoing a correction stamps
``undone_at``; no row is ever deleted, so the history stays whole.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a runtime import would be circular: schema.py imports this module's migration
    from pactwatch.store import Store

ACTIONS: tuple[str, ...] = ("confirm", "reject", "correct", "merge")


def review_tables(conn: sqlite3.Connection) -> None:
    """Accounts, corrections and settings (the session-signing secret) for analyst review."""
    for statement in (
        """CREATE TABLE accounts (
            name TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE corrections (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            action TEXT NOT NULL,
            field TEXT,
            old_value TEXT,
            new_value TEXT,
            author TEXT NOT NULL,
            created_at TEXT NOT NULL,
            undone_at TEXT,
            undone_by TEXT
        )""",
        "CREATE INDEX corrections_record ON corrections (kind, record_id)",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ):
        conn.execute(statement)


@dataclass(frozen=True)
class Correction:
    """One analyst action on one record; ``old``/``new`` are JSON values (``new`` of a merge is the target id)."""

    id: int
    kind: str
    record_id: str
    action: str
    field: str | None
    old: Any
    new: Any
    author: str
    created_at: str
    undone_at: str | None = None
    undone_by: str | None = None

    @property
    def active(self) -> bool:
        return self.undone_at is None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "record_id": self.record_id, "action": self.action,
                "field": self.field, "old": self.old, "new": self.new, "author": self.author,
                "created_at": self.created_at, "undone_at": self.undone_at, "undone_by": self.undone_by}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _conn(store: Store) -> sqlite3.Connection:
    # Review tables live in the store's file and share its single autocommit connection.
    return store.connection


_COLUMNS = "id, kind, record_id, action, field, old_value, new_value, author, created_at, undone_at, undone_by"


def _row(row: tuple[Any, ...]) -> Correction:
    cid, kind, record_id, action, field, old, new, author, created, undone, undone_by = row
    return Correction(cid, kind, record_id, action, field, json.loads(old) if old is not None else None,
                      json.loads(new) if new is not None else None, author, created, undone, undone_by)


def add_correction(store: Store, kind: str, record_id: str, action: str, author: str, *,
                   field: str | None = None, old: Any = None, new: Any = None) -> Correction:
    """Record one analyst action and return it."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    cur = _conn(store).execute(
        "INSERT INTO corrections (kind, record_id, action, field, old_value, new_value, author, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (kind, record_id, action, field, json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False),
         author, _now()))
    found = correction(store, int(cur.lastrowid or 0))
    assert found is not None
    return found


def correction(store: Store, correction_id: int) -> Correction | None:
    row = _conn(store).execute(f"SELECT {_COLUMNS} FROM corrections WHERE id = ?", (correction_id,)).fetchone()
    return _row(row) if row else None


def corrections(store: Store, *, include_undone: bool = True) -> list[Correction]:
    """Every correction in the order it was made (the order the overlay applies them in)."""
    where = "" if include_undone else " WHERE undone_at IS NULL"
    return [_row(r) for r in _conn(store).execute(f"SELECT {_COLUMNS} FROM corrections{where} ORDER BY id")]


def undo_correction(store: Store, correction_id: int, by: str) -> bool:
    """Mark a correction undone; False if there is no such active correction."""
    cur = _conn(store).execute("UPDATE corrections SET undone_at = ?, undone_by = ? WHERE id = ? AND undone_at IS NULL",
                               (_now(), by, correction_id))
    return cur.rowcount == 1


# -- accounts -----------------------------------------------------------------

def add_account(store: Store, name: str, password_hash: str) -> None:
    """Create an account, or replace the password of an existing one."""
    _conn(store).execute("INSERT INTO accounts (name, password_hash, created_at) VALUES (?, ?, ?) "
                         "ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash",
                         (name, password_hash, _now()))


def password_hash(store: Store, name: str) -> str | None:
    row = _conn(store).execute("SELECT password_hash FROM accounts WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def accounts(store: Store) -> list[str]:
    return [r[0] for r in _conn(store).execute("SELECT name FROM accounts ORDER BY name")]


# -- settings -----------------------------------------------------------------

def session_secret(store: Store) -> str:
    """The secret that signs session cookies: made once per database, so restarts keep analysts signed in."""
    conn = _conn(store)
    row = conn.execute("SELECT value FROM settings WHERE key = 'session_secret'").fetchone()
    if row:
        return str(row[0])
    conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES ('session_secret', ?)", (secrets.token_hex(32),))
    return str(conn.execute("SELECT value FROM settings WHERE key = 'session_secret'").fetchone()[0])
