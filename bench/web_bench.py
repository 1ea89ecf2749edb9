#!/usr/bin/env python3
"""Dashboard benchmark: every page at p95 with 20 concurrent clients, on the dev feed plus 300 BBC articles.

    .venv/bin/python bench/web_bench.py                 # builds (or reuses) the store, then measures
    .venv/bin/python bench/web_bench.py --rounds 10 --clients 20

The store is built from ../shared/corpus by tests/bigstore.py (kept in the temp
folder between runs of the same pipeline). The dashboard runs as a real server
(`pactwatch serve`, one uvicorn process on 127.0.0.1); each of --clients httpx
clients asks for every page in its own shuffled order, --rounds times. For each
page it prints the server's own time (the Server-Timing header: from the request
reaching the app to its answer starting) at p50 and p95, and the time a client
waited (queueing behind the other 19 included) at p95. The first request, which
loads the record into the page cache, is timed on its own. Then one client asks
for each page --fresh times with a query parameter no page reads, so that every
request misses the response cache and the page is computed afresh, as after an
ingest or a correction: the server's time for that, per page. ``make bench`` runs it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import bigstore  # noqa: E402

TIMING = re.compile(r"app;dur=([0-9.]+)")
BUDGET_MS = 100.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pages(client: httpx.Client) -> dict[str, str]:
    """Every page, by name: each list plain, filtered, sorted and paged; an article; a record of each kind."""
    pages = {"overview": "/", "timeline": "/timeline", "timeline filtered": "/timeline?type=CONSULT&sort=-date",
             "commitments": "/commitments", "commitments filtered": "/commitments?status=pending&sort=due",
             "actors": "/actors", "actors filtered": "/actors?kind=person&sort=name&page=3",
             "claims": "/claims", "claims filtered": "/claims?corroboration=conflicting",
             "articles": "/documents", "articles page 4": "/documents?page=4&sort=title",
             "search": "/search?q=minister", "search filtered": "/search?q=trade&kind=article",
             "download events.csv": "/download/events.csv?type=CONSULT",
             "download actors.json": "/download/actors.json?kind=person"}
    pages["article"] = client.get("/api/documents?sort=-records").json()["documents"][0]["url_page"]
    pages["record actor"] = client.get("/api/actors?kind=person").json()["actors"][0]["url"]
    pages["record event"] = client.get("/api/timeline?sort=-articles").json()["events"][0]["url"]
    pages["record commitment"] = client.get("/api/commitments").json()["commitments"][0]["url"]
    pages["record claim"] = client.get("/api/claims").json()["claims"][0]["url"]
    for name in ("timeline", "commitments", "actors", "claims", "articles"):
        pages[f"api {name}"] = "/api" + pages[name]
    return pages


async def _client(base: str, pages: dict[str, str], rounds: int, seed: int,
                  server: dict[str, list[float]], waited: dict[str, list[float]]) -> None:
    order = list(pages.items())
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for _ in range(rounds):
            rng.shuffle(order)
            for name, path in order:
                started = time.perf_counter()
                response = await client.get(path)
                waited[name].append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: HTTP {response.status_code}")
                found = TIMING.search(response.headers.get("server-timing", ""))
                if found:
                    server[name].append(float(found.group(1)))


def _fresh(base: str, pages: dict[str, str], times: int) -> dict[str, list[float]]:
    """Each page's server time when it is computed afresh: a parameter no page reads makes every URL new."""
    server: dict[str, list[float]] = defaultdict(list)
    with httpx.Client(base_url=base, timeout=120) as client:
        for n in range(times):
            for name, path in pages.items():
                response = client.get(f"{path}{'&' if '?' in path else '?'}fresh={n}")
                response.raise_for_status()
                found = TIMING.search(response.headers.get("server-timing", ""))
                if found:
                    server[name].append(float(found.group(1)))
    return server


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=5, help="times each client asks for every page")
    ap.add_argument("--fresh", type=int, default=5, help="times one client asks for each page computed afresh")
    ap.add_argument("--db", type=Path, help="a store to serve instead of the dev feed plus 300 BBC articles")
    args = ap.parse_args()
    if args.db is None and not bigstore.available():
        print(f"skipped: {bigstore.SHARED_CORPUS} (dev feed and BBC) is not present", file=sys.stderr)
        return 0
    started = time.perf_counter()
    db = args.db or bigstore.big_store()
    print(f"store: {db} ({time.perf_counter() - started:.0f} s to build or find)")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server_process = subprocess.Popen(
        [str(Path(sys.executable).parent / "pactwatch"), "serve", "--db", str(db), "--host", "127.0.0.1",
         "--port", str(port)], stderr=subprocess.DEVNULL, env={**os.environ})
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            for _ in range(300):
                try:
                    client.get("/static/style.css")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            cold = time.perf_counter()
            client.get("/timeline").raise_for_status()
            print(f"first page (reads the record into the cache): {(time.perf_counter() - cold) * 1000:.0f} ms")
            pages = _pages(client)
            for path in pages.values():  # each list prepares its rows once per record
                client.get(path).raise_for_status()
        server: dict[str, list[float]] = defaultdict(list)
        waited: dict[str, list[float]] = defaultdict(list)

        async def run_all() -> None:
            await asyncio.gather(*(_client(base, pages, args.rounds, seed, server, waited)
                                   for seed in range(args.clients)))

        asyncio.run(run_all())
        fresh = _fresh(base, pages, args.fresh)
    finally:
        server_process.terminate()
        server_process.wait(10)
    print(f"{args.clients} concurrent clients, {args.rounds} rounds each over {len(pages)} pages "
          f"({sum(map(len, waited.values()))} requests)")
    print(f"{'page':<24}{'server p50':>11}{'server p95':>11}{'client p95':>11}")
    worst = 0.0
    for name in pages:
        s95 = p95(server[name])
        worst = max(worst, s95)
        print(f"{name:<24}{statistics.median(server[name]):>9.1f}ms{s95:>9.1f}ms{p95(waited[name]):>9.1f}ms")
    every = [v for values in server.values() for v in values]
    print(f"{'all pages':<24}{statistics.median(every):>9.1f}ms{p95(every):>9.1f}ms"
          f"{p95([v for values in waited.values() for v in values]):>9.1f}ms")
    print(f"slowest page's server p95: {worst:.1f} ms (budget {BUDGET_MS:.0f} ms): "
          f"{'within' if worst <= BUDGET_MS else 'OVER'}")
    print(f"\none client, each page computed afresh (a cache miss), {args.fresh} times")
    print(f"{'page':<24}{'server p50':>11}{'server max':>11}")
    for name, values in fresh.items():
        print(f"{name:<24}{statistics.median(values):>9.1f}ms{max(values):>9.1f}ms")
    every = [v for values in fresh.values() for v in values]
    print(f"{'all pages':<24}{statistics.median(every):>9.1f}ms{max(every):>9.1f}ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
