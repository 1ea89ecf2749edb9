"""Real servers on 127.0.0.1 for the watcher and alert tests: a news site with feeds, a webhook receiver, SMTP.

The site serves the fixtures under tests/data/feeds/ ("{base}" in a feed becomes the site's address):

- /feeds/NAME     RSS or Atom, with an ETag and a Last-Modified, answering 304 to a matching conditional GET;
                  ``aliases`` maps a name to the file served under it (a feed that changes from day to day);
                  /feeds/down.rss always answers 500
- /articles/FILE  an article page; a *.cp1250.html page is sent without a charset in Content-Type
- /mirror/FILE    the same bytes under another address
- /slow/FILE      the page after ``slow_seconds``
- /loop/N         a redirect to /loop/N+1 mod 2, for ever
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

FIXTURES = Path(__file__).parent / "data" / "feeds"
LAST_MODIFIED = "Thu, 05 Mar 2026 10:00:00 GMT"


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class _Running:
    """A server on 127.0.0.1, on a free port, answered from a thread until ``close``."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.server = _Server(("127.0.0.1", 0), handler)
        self.server.owner = self  # type: ignore[attr-defined]
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _SiteHandler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        site: FeedSite = self.server.owner  # type: ignore[attr-defined]
        path = urlsplit(self.path).path
        with site.lock:
            site.hits[path] += 1
        parts = path.strip("/").split("/", 1)
        if len(parts) != 2:
            return self._send(404, b"not found")
        area, name = parts
        if area == "feeds":
            return self._feed(site, name)
        if area == "loop":
            self.send_response(302)
            self.send_header("Location", f"/loop/{(int(name) + 1) % 2}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if area == "slow":
            site.slow_started.set()
            time.sleep(site.slow_seconds)
        if area in ("articles", "mirror", "slow") and (FIXTURES / "articles" / name).is_file():
            body = (FIXTURES / "articles" / name).read_bytes()
            kind = "text/html" if name.endswith(".cp1250.html") else "text/html; charset=utf-8"
            return self._send(200, body, kind)
        return self._send(404, b"not found")

    def _feed(self, site: FeedSite, name: str) -> None:
        if name == "down.rss":
            return self._send(500, b"internal error")
        file = FIXTURES / site.aliases.get(name, name)
        if not file.is_file():
            return self._send(404, b"not found")
        body = file.read_text(encoding="utf-8").replace("{base}", site.base).encode("utf-8")
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag or (
                "If-None-Match" not in self.headers and self.headers.get("If-Modified-Since") == LAST_MODIFIED
                and name not in site.aliases):
            with site.lock:
                site.not_modified[name] += 1
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        kind = "application/atom+xml" if name.endswith(".atom") else "application/rss+xml"
        headers = {"Last-Modified": LAST_MODIFIED}
        if not name.endswith(".atom"):  # the Atom feed is validated by date alone
            headers["ETag"] = etag
        return self._send(200, body, kind, headers)

    def _send(self, status: int, body: bytes, kind: str = "text/plain", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout)
            self.wfile.write(body)


class FeedSite(_Running):
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.aliases: dict[str, str] = {}
        self.slow_seconds = 0.0
        self.slow_started = threading.Event()
        super().__init__(_SiteHandler)

    def feed_list(self, tmp: Path, *names: str) -> Path:
        """A feed list file naming the site's feeds, each with a label."""
        path = tmp / "feeds.txt"
        path.write_text("# test feeds\n" + "".join(f"{self.base}/feeds/{n} {n.split('.')[0]} desk\n" for n in names),
                        encoding="utf-8")
        return path


class _HookHandler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        hook: WebhookReceiver = self.server.owner  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status = hook.status
        if status == 200:
            with hook.lock:
                hook.received.append((dict(self.headers), body))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


class WebhookReceiver(_Running):
    """Keeps every POST it accepts; set ``status`` to 500 to play a receiver that is down."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        super().__init__(_HookHandler)

    def alerts(self) -> list[dict[str, Any]]:
        return [json.loads(body)["alert"] for _, body in self.received]


class Mailbox:
    """An SMTP server (aiosmtpd) on 127.0.0.1 keeping every message it receives."""

    def __init__(self) -> None:
        import socket
        from email import message_from_bytes, policy
        from email.message import EmailMessage

        from aiosmtpd.controller import Controller

        self.messages: list[EmailMessage] = []
        outer = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                raw = envelope.original_content or envelope.content
                outer.messages.append(message_from_bytes(raw, policy=policy.default))  # type: ignore[arg-type]
                return "250 OK"

        with socket.socket() as probe:  # aiosmtpd wants a port number: take a free one
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def close(self) -> None:
        self.controller.stop()
