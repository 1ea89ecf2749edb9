"""Responses computed once per data version: the dashboard is read far more than it changes.

``ResponseCache`` is ASGI middleware just inside the session middleware. A GET
from a reader who is not signed in is looked up under (the store's change
token, today's date, the address as the reader asked for it: scheme, host, path
and query, and the Accept header): a page depends on nothing else (its "as of"
falls back to today on an undated store; the Atom feed's links name the host).

- Only a 200 is kept, and only if its handler put no session value in it
  (``personal`` marks one: a form's CSRF token) and changed no session: one
  reader's page is never served to another.
- A signed-in analyst's requests go straight through: their pages carry
  review controls and their own CSRF token.
- Each kept response has an ETag (a hash of its body); a conditional GET that
  names it is answered 304 with no body.
- The first request that sees a new change token (an ingest, a correction, a
  watcher's tick) empties the cache, so no page of an older version is served
  again; memory stays under ``max_bytes``, least recently used out first.
- Concurrent requests for one key that is not kept yet wait for the first one
  to compute it instead of each computing it again.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BYTES = 64 * 1024 * 1024
MAX_ENTRY = 8 * 1024 * 1024  # a larger download is served but not kept
PERSONAL = "pactwatch.personal"  # scope key: this response holds something of the reader's session
NOT_CACHED = ("/static/", "/swagger-ui/")  # files: StaticFiles answers those with its own ETag
# Browsers may keep a page but ask again each time (answered 304 while it is the same); a shared cache keeps
# the signed-in reader's page apart from the anonymous one.
REVALIDATE = [(b"cache-control", b"no-cache"), (b"vary", b"Cookie")]

Key = tuple[str, str, str, bytes, str, bytes, bytes]


def personal(scope: MutableMapping[str, Any]) -> None:
    """Mark the response being built as this reader's own (it holds a session value): it is never kept."""
    scope[PERSONAL] = True


@dataclass(frozen=True)
class Entry:
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    etag: bytes


def _header(scope: Scope, name: bytes) -> bytes:
    return next((value for key, value in scope["headers"] if key == name), b"")


def _matches(if_none_match: bytes, etag: bytes) -> bool:
    """Whether an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks for GET)."""
    tags = [tag.strip().removeprefix(b"W/") for tag in if_none_match.split(b",")]
    return b"*" in tags or etag in tags


class ResponseCache:
    """The middleware; ``version`` is the store's change token (None: a store that cannot say, never cached)."""

    def __init__(self, app: ASGIApp, version: Callable[[], str | None], max_bytes: int = MAX_BYTES) -> None:
        self.app = app
        self.version = version
        self.max_bytes = max_bytes
        self.entries: OrderedDict[Key, Entry] = OrderedDict()
        self.size = 0
        self.current: str | None = None  # the change token the entries were computed at
        self.pending: dict[Key, asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(NOT_CACHED)
                or (scope.get("session") or {}).get("session")):  # a signed-in analyst's session
            await self.app(scope, receive, send)
            return
        version = self.version()
        if version is None:
            await self.app(scope, receive, send)
            return
        if version != self.current:
            self.clear()
            self.current = version
        key: Key = (version, date.today().isoformat(), scope.get("scheme", "http"), _header(scope, b"host"),
                    scope.get("root_path", "") + scope["path"], scope["query_string"], _header(scope, b"accept"))
        entry = self._get(key)
        if entry is None and key in self.pending:
            await self.pending[key].wait()  # the first request for this key is computing it
            entry = self._get(key)
        if entry is not None:
            await self._answer(entry, scope, send)
            return
        leader = key not in self.pending
        if leader:
            self.pending[key] = asyncio.Event()
        try:
            await self._compute(key, scope, receive, send)
        finally:
            if leader:
                self.pending.pop(key).set()

    async def _compute(self, key: Key, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app, keeping its whole answer; keep that too if it is everyone's page, then send it."""
        session_before = dict(scope.get("session") or {})
        messages: list[Message] = []

        async def hold(message: Message) -> None:
            messages.append(message)

        await self.app(scope, receive, hold)
        start = messages[0] if messages and messages[0]["type"] == "http.response.start" else None
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        headers = tuple((bytes(k).lower(), bytes(v)) for k, v in start["headers"]) if start else ()
        if (start is None or start["status"] != 200 or scope.get(PERSONAL)
                or dict(scope.get("session") or {}) != session_before
                or any(k == b"set-cookie" for k, _ in headers) or len(body) > MAX_ENTRY
                or any(m["type"] not in ("http.response.start", "http.response.body") for m in messages)):
            for message in messages:
                await send(message)
            return
        etag = b'"' + hashlib.blake2b(body, digest_size=16).hexdigest().encode() + b'"'
        entry = Entry(200, (*headers, (b"etag", etag), *REVALIDATE), body, etag)
        if key[0] == self.current:  # not kept if the data changed while it was computed
            self._put(key, entry)
        await self._answer(entry, scope, send)

    async def _answer(self, entry: Entry, scope: Scope, send: Send) -> None:
        if _matches(_header(scope, b"if-none-match"), entry.etag):
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(b"etag", entry.etag), *REVALIDATE]})
            await send({"type": "http.response.body", "body": b""})
            return
        # A fresh list each time: the middleware outside adds its headers to the list it is given.
        await send({"type": "http.response.start", "status": entry.status, "headers": list(entry.headers)})
        await send({"type": "http.response.body", "body": entry.body})

    def _get(self, key: Key) -> Entry | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def _put(self, key: Key, entry: Entry) -> None:
        old = self.entries.pop(key, None)
        self.size -= len(old.body) if old else 0
        self.entries[key] = entry
        self.size += len(entry.body)
        while self.size > self.max_bytes and self.entries:
            _, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped.body)

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0
