"""What the watcher and the alerts keep in the store: feeds, feed items, alert rules, channels, alerts, deliveries.

These tables sit beside the record, never in it: a rebuild replaces the
resolved records and leaves them alone. Every write that must not be half done
(a feed's new validators with its new items; the alerts a rebuild raised with
their deliveries and the record snapshot they were measured against) is one
transaction, so a watcher killed at any point resumes where it stopped and
raises nothing twice.

``WatchTables`` is mixed into ``Store``: its methods are the store's, and all
of its SQL lives here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pactwatch.store.statements import Statements

if TYPE_CHECKING:
    from pactwatch.models import Document
    from pactwatch.store.schema import Connection

ITEM_STATES: tuple[str, ...] = ("pending", "stored", "duplicate", "failed")
DELIVERY_STATES: tuple[str, ...] = ("pending", "sent")


def watch_tables(conn: Connection) -> None:
    """Feeds and their items, alert rules and channels, raised alerts, their deliveries and the record snapshot."""
    for statement in (
        # One row per feed address: HTTP validators for conditional GET and the feed's health.
        """CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            label TEXT,
            etag TEXT,
            last_modified TEXT,
            last_poll_at TEXT,
            last_success_at TEXT,
            last_error TEXT,
            last_error_at TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            items_read INTEGER NOT NULL DEFAULT 0
        )""",
        # One row per canonical article address, whichever feed named it first.
        """CREATE TABLE feed_items (
            canonical_url TEXT PRIMARY KEY,
            feed_url TEXT NOT NULL,
            url TEXT NOT NULL,
            title TEXT,
            published TEXT,
            state TEXT NOT NULL,
            doc_id TEXT,
            copy_of TEXT,
            error TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            seen_at TEXT NOT NULL,
            done_at TEXT
        )""",
        "CREATE INDEX feed_items_state ON feed_items (state, seen_at)",
        """CREATE TABLE alert_rules (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            params TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE alert_channels (
            name TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            config TEXT NOT NULL,
            last_sent_at TEXT,
            created_at TEXT NOT NULL
        )""",
        # key = rule + record + what changed: the UNIQUE constraint is what makes an alert happen once.
        """CREATE TABLE alerts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            key TEXT NOT NULL UNIQUE,
            rule_id INTEGER NOT NULL,
            record_kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            change TEXT NOT NULL,
            title TEXT NOT NULL,
            detail TEXT NOT NULL,
            evidence TEXT NOT NULL,
            as_of TEXT,
            raised_at TEXT NOT NULL
        )""",
        "CREATE INDEX alerts_record ON alerts (record_kind, record_id)",
        """CREATE TABLE alert_deliveries (
            alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
            channel TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            next_try_at TEXT,
            sent_at TEXT,
            PRIMARY KEY (alert_id, channel)
        )""",
        "CREATE INDEX alert_deliveries_state ON alert_deliveries (state, channel)",
        # The record as the alerts last saw it: what a rebuild is compared against.
        """CREATE TABLE alert_snapshot (
            kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            state TEXT NOT NULL,
            PRIMARY KEY (kind, record_id)
        )""",
    ):
        conn.execute(statement)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass
class FeedState:
    url: str
    label: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_poll_at: str | None = None
    last_success_at: str | None = None
    last_error: str | None = None
    last_error_at: str | None = None
    failures: int = 0
    items_read: int = 0


@dataclass
class FeedItem:
    canonical_url: str
    feed_url: str
    url: str
    title: str | None = None
    published: str | None = None
    state: str = "pending"
    doc_id: str | None = None
    copy_of: str | None = None
    error: str | None = None
    attempts: int = 0


@dataclass
class StoredRule:
    id: int
    kind: str
    params: dict[str, Any]
    created_at: str


@dataclass
class Channel:
    name: str
    kind: str  # webhook | email
    config: dict[str, Any]
    last_sent_at: str | None = None


@dataclass
class Alert:
    """One raised alert: which rule, which record, what changed, and the evidence for it."""

    key: str
    rule_id: int
    record_kind: str
    record_id: str
    change: str
    title: str
    detail: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    as_of: str | None = None
    id: int = 0
    raised_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "key": self.key, "rule": self.rule_id, "record": {"kind": self.record_kind,
                "id": self.record_id}, "change": self.change, "title": self.title, "detail": self.detail,
                "evidence": self.evidence, "as_of": self.as_of, "raised_at": self.raised_at}


@dataclass
class Delivery:
    alert: Alert
    channel: str
    attempts: int
    last_error: str | None


_FEED_COLUMNS = ("url, label, etag, last_modified, last_poll_at, last_success_at, last_error, last_error_at, "
                 "failures, items_read")
_ITEM_COLUMNS = "canonical_url, feed_url, url, title, published, state, doc_id, copy_of, error, attempts"
_ALERT_COLUMNS = "key, rule_id, record_kind, record_id, change, title, detail, evidence, as_of, id, raised_at"


def _alert(row: tuple[Any, ...]) -> Alert:
    key, rule_id, kind, record_id, change, title, detail, evidence, as_of, alert_id, raised = row
    return Alert(key, rule_id, kind, record_id, change, title, detail, json.loads(evidence), as_of, alert_id, raised)


class WatchTables(Statements):
    """The store's methods for the watcher and the alerts, in the SQL both databases share (mixed into ``Store``)."""

    def document(self, doc_id: str) -> Document | None:
        raise NotImplementedError

    # -- documents a new page may copy ---------------------------------------

    def documents_published_between(self, start: str, end: str) -> list[Document]:
        """The documents whose publication date may fall between two ISO days (the near-copy candidates)."""
        rows = self.execute("SELECT id FROM documents WHERE published_start <= ? AND published_end >= ? "
                            "ORDER BY rowid", (end, start))
        return [d for (doc_id,) in rows.fetchall() if (d := self.document(doc_id)) is not None]

    def newest_documents(self, limit: int) -> list[Document]:
        """The ``limit`` documents stored last."""
        rows = self.execute("SELECT id FROM documents ORDER BY rowid DESC LIMIT ?", (limit,))
        return [d for (doc_id,) in rows.fetchall() if (d := self.document(doc_id)) is not None]

    # -- feeds ----------------------------------------------------------------

    def add_feed(self, url: str, label: str | None = None) -> None:
        """Follow a feed (a second add only updates its label)."""
        self.execute("INSERT INTO feeds (url, label) VALUES (?, ?) ON CONFLICT (url) DO UPDATE SET "
                                "label = excluded.label", (url, label))

    def feeds(self) -> list[FeedState]:
        return [FeedState(*row) for row in self.execute(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY url")]

    def feed(self, url: str) -> FeedState | None:
        row = self.execute(f"SELECT {_FEED_COLUMNS} FROM feeds WHERE url = ?", (url,)).fetchone()
        return FeedState(*row) if row else None

    def feed_polled(self, url: str, items: Iterable[FeedItem], *, etag: str | None, last_modified: str | None,
                    not_modified: bool = False) -> int:
        """A successful poll: its new items queued and its validators kept, together; returns how many were new.

        The validators are only saved with the items they vouch for, so a watcher killed between the two
        asks for the whole feed again instead of trusting a 304 for items it never queued.
        """
        now = _now()
        with self.transaction():
            new = 0
            for item in items:
                cur = self.execute(
                    f"INSERT INTO feed_items ({_ITEM_COLUMNS}, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (canonical_url) DO NOTHING",
                    (item.canonical_url, item.feed_url, item.url, item.title, item.published, "pending", None, None,
                     None, 0, now))
                new += cur.rowcount
            if not_modified:
                self.execute("UPDATE feeds SET last_poll_at = ?, last_success_at = ?, failures = 0 WHERE url = ?",
                             (now, now, url))
            else:
                self.execute("UPDATE feeds SET etag = ?, last_modified = ?, last_poll_at = ?, last_success_at = ?, "
                             "failures = 0, items_read = items_read + ? WHERE url = ?",
                             (etag, last_modified, now, now, new, url))
        return new

    def feed_failed(self, url: str, error: str) -> None:
        now = _now()
        self.execute("UPDATE feeds SET last_poll_at = ?, last_error = ?, last_error_at = ?, "
                                "failures = failures + 1 WHERE url = ?", (now, error, now, url))

    # -- feed items -----------------------------------------------------------

    def has_feed_item(self, canonical_url: str) -> bool:
        return self.execute("SELECT 1 FROM feed_items WHERE canonical_url = ?",
                                       (canonical_url,)).fetchone() is not None

    def pending_items(self, max_attempts: int) -> list[FeedItem]:
        """Items queued but not yet read (a failed one again until it has failed ``max_attempts`` times)."""
        rows = self.execute(f"SELECT {_ITEM_COLUMNS} FROM feed_items WHERE state = 'pending' "
                                       "AND attempts < ? ORDER BY seen_at, rowid", (max_attempts,))
        return [FeedItem(*row) for row in rows]

    def feed_items(self, feed_url: str | None = None) -> list[FeedItem]:
        where, args = ("WHERE feed_url = ?", (feed_url,)) if feed_url else ("", ())
        rows = self.execute(f"SELECT {_ITEM_COLUMNS} FROM feed_items {where} ORDER BY rowid", args)
        return [FeedItem(*row) for row in rows]

    def item_read(self, canonical_url: str, state: str, *, doc_id: str | None = None, copy_of: str | None = None,
                  error: str | None = None) -> None:
        """Record what reading an item came to: stored, a duplicate of a stored document, or a failure."""
        if state not in ITEM_STATES:
            raise ValueError(f"unknown item state {state!r}")
        self.execute("UPDATE feed_items SET state = ?, doc_id = ?, copy_of = ?, error = ?, done_at = ? "
                                "WHERE canonical_url = ?", (state, doc_id, copy_of, error, _now(), canonical_url))

    def item_attempt_failed(self, canonical_url: str, error: str, max_attempts: int) -> None:
        """One failed try: the item stays queued until it has failed ``max_attempts`` times, then it is failed."""
        self.execute(
            "UPDATE feed_items SET attempts = attempts + 1, error = ?, done_at = ?, "
            "state = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE state END WHERE canonical_url = ?",
            (error, _now(), max_attempts, canonical_url))

    def item_for_document(self, doc_id: str) -> FeedItem | None:
        row = self.execute(f"SELECT {_ITEM_COLUMNS} FROM feed_items WHERE doc_id = ? AND state = 'stored'",
                                      (doc_id,)).fetchone()
        return FeedItem(*row) if row else None

    # -- rules and channels ---------------------------------------------------

    def add_rule(self, kind: str, params: dict[str, Any]) -> int:
        row = self.execute("INSERT INTO alert_rules (kind, params, created_at) VALUES (?, ?, ?) RETURNING id",
                           (kind, _json(params), _now())).fetchone()
        return int(row[0])

    def rules(self) -> list[StoredRule]:
        rows = self.execute("SELECT id, kind, params, created_at FROM alert_rules ORDER BY id")
        return [StoredRule(i, kind, json.loads(params), created) for i, kind, params, created in rows]

    def remove_rule(self, rule_id: int) -> bool:
        """Stop a rule; the alerts it raised stay in the log."""
        return self.execute("DELETE FROM alert_rules WHERE id = ?", (rule_id,)).rowcount == 1

    def add_channel(self, name: str, kind: str, config: dict[str, Any]) -> None:
        self.execute("INSERT INTO alert_channels (name, kind, config, created_at) VALUES (?, ?, ?, ?) "
                                "ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, config = excluded.config",
                                (name, kind, _json(config), _now()))

    def channels(self) -> list[Channel]:
        rows = self.execute("SELECT name, kind, config, last_sent_at FROM alert_channels ORDER BY name")
        return [Channel(name, kind, json.loads(config), last) for name, kind, config, last in rows]

    def remove_channel(self, name: str) -> bool:
        """Stop a channel; what it had not yet delivered is dropped with it."""
        with self.transaction():
            self.execute("DELETE FROM alert_deliveries WHERE channel = ? AND state = 'pending'", (name,))
            return self.execute("DELETE FROM alert_channels WHERE name = ?", (name,)).rowcount == 1

    def channel_sent(self, name: str, when: str) -> None:
        self.execute("UPDATE alert_channels SET last_sent_at = ? WHERE name = ?", (when, name))

    # -- alerts ---------------------------------------------------------------

    def alert_snapshot(self) -> dict[tuple[str, str], dict[str, Any]]:
        rows = self.execute("SELECT kind, record_id, state FROM alert_snapshot")
        return {(kind, record_id): json.loads(state) for kind, record_id, state in rows}

    def has_alert_snapshot(self) -> bool:
        return self.execute("SELECT 1 FROM store_state WHERE key = 'alert_snapshot'").fetchone() is not None

    def raise_alerts(self, alerts: Iterable[Alert], channels: dict[int, list[str]],
                     snapshot: dict[tuple[str, str], dict[str, Any]]) -> list[Alert]:
        """Keep the alerts not raised before, queue each for its rule's channels, and move the snapshot: at once.

        ``channels`` maps a rule id to the channel names it delivers to. Returns the alerts that were new.
        """
        now = _now()
        raised: list[Alert] = []
        with self.transaction():
            for alert in alerts:
                row = self.execute(
                    "INSERT INTO alerts (key, rule_id, record_kind, record_id, change, title, detail, evidence, as_of, "
                    "raised_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING id",
                    (alert.key, alert.rule_id, alert.record_kind, alert.record_id, alert.change, alert.title,
                     alert.detail, _json(alert.evidence), alert.as_of, now)).fetchone()
                if row is None:  # raised by an earlier rebuild
                    continue
                alert.id, alert.raised_at = int(row[0]), now
                raised.append(alert)
                self.executemany("INSERT INTO alert_deliveries (alert_id, channel, state) VALUES (?, ?, 'pending')",
                                 [(alert.id, name) for name in channels.get(alert.rule_id, [])])
            old = self.alert_snapshot()
            gone = [key for key in old if key not in snapshot]
            self.executemany("DELETE FROM alert_snapshot WHERE kind = ? AND record_id = ?", gone)
            self.executemany("INSERT INTO alert_snapshot (kind, record_id, state) VALUES (?, ?, ?) "
                             "ON CONFLICT (kind, record_id) DO UPDATE SET state = excluded.state",
                             [(kind, rid, _json(state)) for (kind, rid), state in snapshot.items()
                              if old.get((kind, rid)) != state])
            self.execute("INSERT INTO store_state (key, value) VALUES ('alert_snapshot', '1') "
                         "ON CONFLICT (key) DO NOTHING")
        return raised

    def alerts(self, limit: int = 100, *, record: tuple[str, str] | None = None) -> list[Alert]:
        """The newest alerts first."""
        where, args = ("WHERE record_kind = ? AND record_id = ?", record) if record else ("", ())
        rows = self.execute(f"SELECT {_ALERT_COLUMNS} FROM alerts {where} ORDER BY id DESC LIMIT ?",
                                       (*args, limit))
        return [_alert(row) for row in rows]

    def due_deliveries(self, channel: str, now: str) -> list[Delivery]:
        """The channel's undelivered alerts whose next try is due, oldest first."""
        rows = self.execute(
            f"SELECT {', '.join('a.' + c.strip() for c in _ALERT_COLUMNS.split(','))}, d.channel, d.attempts, "
            "d.last_error FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id WHERE d.channel = ? AND "
            "d.state = 'pending' AND (d.next_try_at IS NULL OR d.next_try_at <= ?) ORDER BY a.id", (channel, now))
        return [Delivery(_alert(row[:11]), row[11], row[12], row[13]) for row in rows]

    def deliveries_of(self, alert_id: int) -> list[tuple[str, str, int, str | None]]:
        """(channel, state, attempts, last error) for one alert."""
        rows = self.execute("SELECT channel, state, attempts, last_error FROM alert_deliveries "
                                       "WHERE alert_id = ? ORDER BY channel", (alert_id,))
        return [tuple(row) for row in rows]  # type: ignore[misc]

    def delivered(self, alert_ids: Iterable[int], channel: str) -> None:
        now = _now()
        self.executemany("UPDATE alert_deliveries SET state = 'sent', sent_at = ?, "
                                    "attempts = attempts + 1, last_error = NULL WHERE alert_id = ? AND channel = ?",
                                    [(now, i, channel) for i in alert_ids])

    def delivery_failed(self, alert_ids: Iterable[int], channel: str, error: str, next_try_at: str) -> None:
        self.executemany("UPDATE alert_deliveries SET attempts = attempts + 1, last_error = ?, "
                                    "next_try_at = ? WHERE alert_id = ? AND channel = ?",
                                    [(error, next_try_at, i, channel) for i in alert_ids])

    def pending_delivery_count(self) -> int:
        return int(self.execute("SELECT count(*) FROM alert_deliveries WHERE state = 'pending'")
                   .fetchone()[0])
