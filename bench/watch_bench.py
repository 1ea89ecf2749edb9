#!/usr/bin/env python3
"""Watch benchmark: one watch tick that finds 10 new articles in a store of ~2,000, against ingesting those 10 alone.

    .venv/bin/python bench/watch_bench.py                      # a store of 2,000 BBC articles, 10 new ones
    .venv/bin/python bench/watch_bench.py --store-size 300     # quicker
    .venv/bin/python bench/watch_bench.py --repeat 3           # three rounds of 10 new articles, the median counts
    .venv/bin/python bench/watch_bench.py --dated              # the stored articles carry dates, as a feed's do

The store is an ingest of the first N articles of ../shared/corpus/bbc (read where they lie; kept in
the temp folder under a name made from N, so a second run reuses it). The BBC articles carry no date, so each
new one, dated by its feed, may date older ones that report the same episodes (resolve.episodes), and those are
extracted and resolved again in the tick; with ``--dated`` the stored articles are dated as a watcher's store,
read from feeds, mostly is (spread evenly over 2004 and early 2005, the corpus's span). The next 10 articles are served
from 127.0.0.1 as HTML pages behind an RSS feed. In one process, model loaded and one article extracted first, it
times:
  (a) ``pactwatch ingest`` of those 10 pages (as .html files, dated as their feed dates them) into an empty store;
  (b) ``watch.tick`` over a copy of the big store: poll the feed, fetch the 10 pages, store them,
      rebuild the record and evaluate the alert rules;
  (c) ``pactwatch ingest`` of the same 10 pages into another copy of the big store: what adding them costs
      without the watcher (so (b) / (c) is what watching adds, and (c) / (a) what the stored 2,000 add);
and prints them (wall and CPU seconds: CPU time is the steadier figure on a busy machine), the ratio of (b) to
(a), and where the tick's time went. The copy is brought up to date (one rebuild, untimed) by the code being timed
first, so a store built by older code is not resolved whole inside the tick. With ``--repeat N`` there are N
rounds, each with the next 10 articles and a fresh copy of the store; the round of the median ratio is shown.
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import zip_longest
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
NEW = 10
FIRST_DAY, SPAN_DAYS = date(2004, 1, 1), 420  # the stored articles' days with --dated
PUBLISHED = date(2005, 3, 7)  # the new articles' day, as their feed gives it (and the ingests, to do the same work)


def article_files(corpus: Path) -> list[Path]:
    """The corpus's articles taken in turn from each category, so any prefix is a mixed sample."""
    categories = sorted(d for d in corpus.iterdir() if d.is_dir())
    per_category = [sorted(c.glob("*.txt"), key=lambda p: (len(p.stem), p.stem)) for c in categories]
    return [p for group in zip_longest(*per_category) for p in group if p is not None]


def page(path: Path) -> bytes:
    lines = [line for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    title = html.escape(lines[0] if lines else path.stem)
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in lines[1:])
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><article><h1>{title}</h1>\n{body}</article></body></html>").encode()


def serve(rounds: list[list[bytes]]) -> tuple[ThreadingHTTPServer, str]:
    """A feed per round (/feed/N.rss) of that round's pages (/page/N/K.html)."""
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            parts = self.path.strip("/").split("/")
            feed = parts[0] == "feed"
            if feed:
                n = int(parts[1].split(".")[0])
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                items = "".join(f"<item><title>story {k}</title><link>{base}/page/{n}/{k}.html</link>"
                                f"<pubDate>{PUBLISHED:%a, %d %b %Y} 09:00:00 GMT</pubDate></item>"
                                for k in range(len(rounds[n])))
                body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title>{items}'
                        "</channel></rss>").encode()
            else:
                body = rounds[int(parts[1])][int(parts[2].split(".")[0])]
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml" if feed else "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class Round(NamedTuple):
    """One round: ingesting its articles alone and the tick that finds them (wall and CPU seconds each)."""

    alone_wall: float
    alone_cpu: float
    alone: Any  # the ingest's report
    tick_wall: float
    tick_cpu: float
    tick: Any  # the tick's report
    documents: int  # in the store after the tick
    into_wall: float  # ingesting the same pages into a copy of the big store
    into_cpu: float

    def ratio(self) -> float:
        return self.tick_cpu / self.alone_cpu


def forget_texts() -> None:
    """Empty what the process remembers of the texts and names it read (every cache of more than one entry; the
    model and the data files, kept in caches of one, stay loaded), so no side is timed with what another side
    worked out: the tick and the ingest into the store resolve the same stored articles again."""
    for module in [m for name, m in sys.modules.items() if name.startswith("pactwatch")]:
        for value in list(vars(module).values()):
            if hasattr(value, "cache_parameters") and value.cache_parameters()["maxsize"] != 1:  # an lru_cache
                value.cache_clear()


def big_store(files: list[Path], size: int, dated: bool = False) -> Path:
    from pactwatch import ingest, nlp

    # Built by these extractors and this parser: with any other, its undated articles' kept parses are stale, and
    # each one a tick dates anew would be parsed again in the timing (what an upgrade costs once, not a tick).
    name = f"pactwatch-watch-bench-{size}{'-dated' if dated else ''}-"
    stamp = nlp.parser()[:12]
    path = Path(tempfile.gettempdir()) / f"{name}{stamp}.db"
    for stale in Path(tempfile.gettempdir()).glob(f"{name}{'?' * len(stamp)}.*"):
        if stale.stem != path.stem:
            stale.unlink()
    if not path.is_file():
        started = time.perf_counter()
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        sources = [str(p) for p in files[:size]]
        if dated:  # the same texts, as a feed of articles each with its day
            feed = path.with_suffix(".jsonl")
            feed.write_text("".join(json.dumps({
                "text": p.read_text(encoding="utf-8", errors="replace"), "url": f"file://{p}",
                "published": (FIRST_DAY + timedelta(days=n * SPAN_DAYS // size)).isoformat()}) + "\n"
                for n, p in enumerate(files[:size])), encoding="utf-8")
            sources = [str(feed)]
        ingest(sources, db=str(partial))
        partial.rename(path)
        print(f"built the store of {size} articles in {time.perf_counter() - started:.0f} s: {path}")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "bbc")
    parser.add_argument("--store-size", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds, each with the next 10 articles, both sides in turn; the median counts")
    parser.add_argument("--dated", action="store_true", help="the stored articles carry dates (as a feed's do)")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"error: no corpus at {args.corpus}", file=sys.stderr)
        return 2
    from pactwatch import alerts, ingest, nlp, watch
    from pactwatch.pipeline import rebuild
    from pactwatch.store import open_store

    files = article_files(args.corpus)
    repeat = max(1, args.repeat)
    if len(files) < args.store_size + NEW * repeat:
        print(f"error: the corpus has {len(files)} articles, fewer than {args.store_size} + {NEW * repeat}",
              file=sys.stderr)
        return 2
    # Before anything loads the model (big_store reads its version): as in `pactwatch watch` and `pactwatch ingest`,
    # whose processes are their own, the model's objects are frozen out of the collector's reach once loaded.
    nlp.FREEZE_ON_LOAD = True
    base = big_store(files, args.store_size, args.dated)
    # Each round its own 10 articles: what a process remembers of a text it read (its dates, its words) helps
    # neither side, as it helps no tick of a watcher that reads new articles.
    rounds = [[page(p) for p in files[args.store_size + NEW * n:args.store_size + NEW * (n + 1)]]
              for n in range(repeat)]
    nlp.parse("Warm-up: the model loads before anything is timed.")
    work = Path(tempfile.mkdtemp())
    # And what the first page read and extracted in a process loads (the HTML reader, the data files, the lazily
    # built matchers): else the first round's ingest alone pays for it, and its ratio reads better than it is.
    (work / "warm-up.html").write_bytes(page(files[0]))
    ingest([str(work / "warm-up.html")], db=str(work / "warm-up.db"), published=PUBLISHED.isoformat())
    server, address = serve(rounds)
    ready = work / "ready.db"  # the big store brought up to date, with the rules: each tick starts from a copy
    shutil.copy(base, ready)
    with open_store(ready) as store:
        rebuild(store)
        for kind, options in (("new_commitment", {}), ("overdue", {}), ("status_changed", {})):
            alerts.add_rule(store, kind, **options)
    runs: list[Round] = []
    for n, pages in enumerate(rounds):
        folder = work / f"pages-{n}"
        folder.mkdir()
        for k, body in enumerate(pages):
            (folder / f"{k}.html").write_bytes(body)
        forget_texts()
        started, cpu = time.perf_counter(), time.process_time()
        alone = ingest([str(folder)], db=str(work / f"alone-{n}.db"), published=PUBLISHED.isoformat())
        t_alone, c_alone = time.perf_counter() - started, time.process_time() - cpu
        db = work / f"watched-{n}.db"
        shutil.copy(ready, db)
        with open_store(db) as store, watch.Fetcher(watch.FetchPolicy(host_interval=0)) as fetcher:
            forget_texts()
            started, cpu = time.perf_counter(), time.process_time()
            report = watch.tick(store, [watch.FeedSpec(f"{address}/feed/{n}.rss")], fetcher)
            t_tick, c_tick = time.perf_counter() - started, time.process_time() - cpu
            documents = store.counts()["documents"]
        into = work / f"into-{n}.db"
        shutil.copy(ready, into)
        forget_texts()
        started, cpu = time.perf_counter(), time.process_time()
        ingest([str(folder)], db=str(into), published=PUBLISHED.isoformat())
        t_into, c_into = time.perf_counter() - started, time.process_time() - cpu
        runs.append(Round(t_alone, c_alone, alone, t_tick, c_tick, report, documents, t_into, c_into))
    server.shutdown()
    for n, r in enumerate(runs):
        print(f"round {n + 1}: alone {r.alone_cpu:.2f} s CPU, tick {r.tick_cpu:.2f} s CPU ({r.ratio():.2f}x; "
              + ", ".join(f"{phase} {seconds:.2f}" for phase, seconds in r.tick.seconds.items())
              + f"), into the store {r.into_cpu:.2f} s CPU")
    runs.sort(key=Round.ratio)
    t_alone, c_alone, alone, t_tick, c_tick, report, documents, t_into, c_into = runs[len(runs) // 2]  # the median
    if repeat > 1:
        print(f"{repeat} rounds, each its own 10 articles, the two sides in turn; the round of the median CPU "
              "ratio is shown. Ratios (CPU): " + ", ".join(f"{r.ratio():.2f}x" for r in runs))
    print(f"ingest of {len(alone.added)} new pages alone:        {t_alone:7.2f} s wall, {c_alone:7.2f} s CPU")
    print(f"watch tick, {len(report.added)} new in a store of {documents - len(report.added)}: {t_tick:7.2f} s wall, "
          f"{c_tick:7.2f} s CPU ({t_tick / t_alone:.1f}x wall, {c_tick / c_alone:.1f}x CPU; {report.alerts} alerts "
          "raised)")
    print("  of which " + ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in report.seconds.items())
          + " (read: fetch, parse, extract and store the new pages; rebuild: the record from the whole store)")
    print(f"ingest of the same pages into the store:  {t_into:7.2f} s wall, {c_into:7.2f} s CPU (the tick is "
          f"{c_tick / c_into:.2f}x of it in CPU; ratios over all rounds: "
          + ", ".join(f"{r.tick_cpu / r.into_cpu:.2f}x" for r in runs) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
