"""Replay a corpus through the watcher, one publication day at a time, and print the alerts of each day.

The dev feed (../shared/corpus/dev/feed.jsonl, read where it lies) and the seed articles
(examples/seeds) are served from 127.0.0.1 as one RSS feed whose items appear a day at a time
(undated items on a last day of their own), each item an HTML page of its article. After each
day's poll (``watch.tick``: fetch, store, rebuild, alert) the script prints the alerts raised:
which pledges are due within 30 days, which became overdue, which changed status (met, missed),
new commitments, conflicting figures and new sessions of standing bodies.

    .venv/bin/python scripts/replay_watch.py [--feed PATH] [--seeds DIR] [--db FILE]
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pactwatch import alerts, watch
from pactwatch.documents import DocumentError, build_document
from pactwatch.sources import RawDocument, read_sources
from pactwatch.store import open_store

ROOT = Path(__file__).resolve().parent.parent
RULES: list[tuple[str, dict[str, Any]]] = [
    ("new_commitment", {}), ("due_within", {"days": 30}), ("overdue", {}), ("status_changed", {}),
    ("conflicting_claim", {}), ("new_session", {}),
]


def articles(feed: Path, seeds: Path) -> list[dict[str, Any]]:
    """Every article with its publication day (None: undated), from the feed's lines and the seed files."""
    out: list[dict[str, Any]] = []
    for line in feed.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            out.append({"text": item["text"], "title": item.get("title"), "outlet": item.get("outlet"),
                        "day": item.get("published")})
    for raw in read_sources([str(seeds)]):
        if isinstance(raw, RawDocument):
            try:
                document = build_document(raw)
            except DocumentError:
                continue
            day = document.published.start.isoformat() if document.published and \
                document.published.precision == "day" else None
            out.append({"text": raw.text, "title": document.title, "outlet": document.outlet, "day": day})
    for n, item in enumerate(out):
        item["n"] = n
    return out


def page(item: dict[str, Any]) -> bytes:
    title = html.escape(item["title"] or "")
    paragraphs = "".join(f"<p>{html.escape(p)}</p>\n" for p in item["text"].split("\n") if p.strip())
    site = f'<meta property="og:site_name" content="{html.escape(item["outlet"])}">' if item["outlet"] else ""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{site}</head>'
            f"<body><article>\n{paragraphs}</article></body></html>").encode()


class Replay:
    """The feed as of ``today``: every item published on or before it."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        self.today = ""
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if self.path == "/feed.rss":
                    body, kind = replay.rss(), "application/rss+xml"
                elif self.path.startswith("/item/") and self.path[6:-5].isdigit():
                    body, kind = page(replay.items[int(self.path[6:-5])]), "text/html; charset=utf-8"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def rss(self) -> bytes:
        entries = []
        for item in self.items:
            day = item["day"] or "9999-12-31"
            if day > self.today:
                continue
            date = format_datetime(datetime.fromisoformat(item["day"]).replace(hour=12, tzinfo=UTC)) \
                if item["day"] else None
            entries.append(f"<item><title>{html.escape(item['title'] or '')}</title>"
                           f"<link>{self.base}/item/{item['n']}.html</link>"
                           + (f"<pubDate>{date}</pubDate>" if date else "") + "</item>")
        return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>replay</title>'
                f"<link>{self.base}/</link><description>replay</description>{''.join(entries)}"
                "</channel></rss>").encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feed", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev" / "feed.jsonl")
    parser.add_argument("--seeds", type=Path, default=ROOT / "examples" / "seeds")
    parser.add_argument("--db", type=Path, default=None, help="store to use (default: a new temporary file)")
    args = parser.parse_args()
    if not args.feed.is_file():
        print(f"error: no feed at {args.feed}", file=sys.stderr)
        return 2
    items = articles(args.feed, args.seeds)
    days = sorted({i["day"] for i in items if i["day"]}) + (["9999-12-31"] if any(not i["day"] for i in items) else [])
    replay = Replay(items)
    db = args.db or Path(tempfile.mkdtemp()) / "replay.db"
    feeds = [watch.FeedSpec(f"{replay.base}/feed.rss", "replay")]
    started = time.perf_counter()
    with open_store(db) as store, watch.Fetcher(watch.FetchPolicy(host_interval=0)) as fetcher:
        for kind, options in RULES:
            alerts.add_rule(store, kind, **options)
        print(f"{len(items)} articles on {len(days)} days; rules: "
              + "; ".join(alerts.Rule.of(r).describe() for r in store.rules()))
        for day in days:
            replay.today = day
            before = {a.id for a in store.alerts(10_000)}
            report = watch.tick(store, feeds, fetcher)
            raised = [a for a in reversed(store.alerts(10_000)) if a.id not in before]
            label = "undated" if day == "9999-12-31" else day
            as_of = max((c.attributes.get("as_of") or "" for c in store.commitments()), default="")
            print(f"\n== {label}: {len(report.added)} new articles, {len(raised)} alerts (record as of {as_of})")
            for alert in raised:
                print(f"  [{alert.record_kind} {alert.record_id}] {alert.title}")
    counts: dict[str, int] = {}
    with open_store(db) as store:
        for alert in store.alerts(10_000):
            kind = alerts.Rule.of(next(r for r in store.rules() if r.id == alert.rule_id)).kind
            counts[kind] = counts.get(kind, 0) + 1
    print(f"\n{sum(counts.values())} alerts in {time.perf_counter() - started:.0f} s: "
          + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))
    replay.server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
