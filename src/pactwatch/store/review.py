"""Analyst accounts, analyst corrections and the dashboard's secret, kept in the store's database.

Corrections sit beside the machine's records, never in them: a rebuild
replaces the resolved records but leaves this table alone, and record ids
are stable across rebuilds, so a correction keyed by (kind, record id)
applies again to the rebuilt record. Undoing a correction stamps
``undone_at``; no row is ever deleted, so the history stays whole.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a runtime import would be circular: schema.py imports this module's migration
    from pactwatch.store import Store
    from pactwatch.store.schema import Connection

ACTIONS: tuple[str, ...] = ("confirm", "reject", "correct", "merge")
SESSION_TTL = timedelta(hours=12)  # a sign-in lasts a working day; sign-out ends it at once
MAX_ROWID = 2**63 - 1  # the largest 64-bit integer (SQLite's, PostgreSQL's bigint): a larger id is no row


def review_tables(conn: Connection) -> None:
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
    author: str | None  # None where the reader may not see analysts' names
    created_at: str
    undone_at: str | None = None
    undone_by: str | None = None
    reason: str | None = None  # why the analyst made it, in their words (shown with the record and in the log)

    @property
    def active(self) -> bool:
        return self.undone_at is None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "record_id": self.record_id, "action": self.action,
                "field": self.field, "old": self.old, "new": self.new, "author": self.author,
                "created_at": self.created_at, "undone_at": self.undone_at, "undone_by": self.undone_by,
                "reason": self.reason}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _conn(store: Store) -> Store:
    # Review tables live in the store's database; its statements run in autocommit, one at a time.
    return store


_COLUMNS = "id, kind, record_id, action, field, old_value, new_value, author, created_at, undone_at, undone_by, reason"


def correction_reasons(conn: Connection) -> None:
    """Each correction's reason, as the analyst gave it; corrections made before it have none."""
    conn.execute("ALTER TABLE corrections ADD COLUMN reason TEXT")


def _row(row: tuple[Any, ...]) -> Correction:
    cid, kind, record_id, action, field, old, new, author, created, undone, undone_by, reason = row
    return Correction(cid, kind, record_id, action, field, json.loads(old) if old is not None else None,
                      json.loads(new) if new is not None else None, author, created, undone, undone_by, reason)


def add_correction(store: Store, kind: str, record_id: str, action: str, author: str, *,
                   field: str | None = None, old: Any = None, new: Any = None, reason: str | None = None) -> Correction:
    """Record one analyst action (with the analyst's reason, if given) and return it."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    row = _conn(store).execute(
        "INSERT INTO corrections (kind, record_id, action, field, old_value, new_value, author, created_at, reason) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (kind, record_id, action, field, json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False),
         author, _now(), reason or None)).fetchone()
    found = correction(store, int(row[0]))
    assert found is not None
    return found


def correction(store: Store, correction_id: int) -> Correction | None:
    if not 0 < correction_id <= MAX_ROWID:
        return None
    row = _conn(store).execute(f"SELECT {_COLUMNS} FROM corrections WHERE id = ?", (correction_id,)).fetchone()
    return _row(row) if row else None


def corrections(store: Store, *, include_undone: bool = True) -> list[Correction]:
    """Every correction in the order it was made (the order the overlay applies them in)."""
    where = "" if include_undone else " WHERE undone_at IS NULL"
    return [_row(r) for r in _conn(store).execute(f"SELECT {_COLUMNS} FROM corrections{where} ORDER BY id")]


def undo_correction(store: Store, correction_id: int, by: str) -> bool:
    """Mark a correction undone; False if there is no such active correction."""
    if not 0 < correction_id <= MAX_ROWID:
        return False
    cur = _conn(store).execute("UPDATE corrections SET undone_at = ?, undone_by = ? WHERE id = ? AND undone_at IS NULL",
                               (_now(), by, correction_id))
    return cur.rowcount == 1


# -- accounts -----------------------------------------------------------------

def add_account(store: Store, name: str, password_hash: str) -> None:
    """Create an account, or replace the password of an existing one (which signs it out everywhere)."""
    _conn(store).execute("DELETE FROM sessions WHERE account = ?", (name,))
    _conn(store).execute("INSERT INTO accounts (name, password_hash, created_at) VALUES (?, ?, ?) "
                         "ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash",
                         (name, password_hash, _now()))


def password_hash(store: Store, name: str) -> str | None:
    row = _conn(store).execute("SELECT password_hash FROM accounts WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def accounts(store: Store) -> list[str]:
    return [r[0] for r in _conn(store).execute("SELECT name FROM accounts ORDER BY name")]


# -- sessions -----------------------------------------------------------------

def session_tables(conn: Connection) -> None:
    """Signed-in sessions, kept server-side so that signing out revokes a cookie even if someone saved it.

    Only a hash of the session id is stored: a copy of the database signs no one in.
    """
    conn.execute("""CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    )""")
    conn.execute("CREATE INDEX sessions_account ON sessions (account)")


def _session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest()


def open_session(store: Store, account: str, ttl: timedelta = SESSION_TTL) -> str:
    """A new session for ``account``: the random id the cookie carries (expired sessions are swept here)."""
    conn = _conn(store)
    now = datetime.now(UTC)
    conn.execute("DELETE FROM sessions WHERE expires_at <= ?", (now.isoformat(timespec="seconds"),))
    session_id = secrets.token_urlsafe(32)
    conn.execute("INSERT INTO sessions (id_hash, account, created_at, expires_at) VALUES (?, ?, ?, ?)",
                 (_session_hash(session_id), account, now.isoformat(timespec="seconds"),
                  (now + ttl).isoformat(timespec="seconds")))
    return session_id


def session_account(store: Store, session_id: str) -> str | None:
    """The account signed in by ``session_id``; None once it was closed or has expired."""
    row = _conn(store).execute("SELECT account FROM sessions WHERE id_hash = ? AND expires_at > ?",
                               (_session_hash(session_id), _now())).fetchone()
    return str(row[0]) if row else None


def close_session(store: Store, session_id: str) -> None:
    _conn(store).execute("DELETE FROM sessions WHERE id_hash = ?", (_session_hash(session_id),))


# -- settings -----------------------------------------------------------------

def session_secret(store: Store) -> str:
    """The secret that signs session cookies: made once per database, so restarts keep analysts signed in."""
    conn = _conn(store)
    row = conn.execute("SELECT value FROM settings WHERE key = 'session_secret'").fetchone()
    if row:
        return str(row[0])
    conn.execute("INSERT INTO settings (key, value) VALUES ('session_secret', ?) ON CONFLICT (key) DO NOTHING",
                 (secrets.token_hex(32),))
    return str(conn.execute("SELECT value FROM settings WHERE key = 'session_secret'").fetchone()[0])
