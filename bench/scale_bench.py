#!/usr/bin/env python3
"""Scale benchmark: what one new article costs as the store grows, and resolution alone as the corpus grows.

    .venv/bin/python bench/scale_bench.py                       # both parts, stores cached in .bench-cache/
    .venv/bin/python bench/scale_bench.py --part add --small 300
    .venv/bin/python bench/scale_bench.py --part resolve --copies 1,10,50

(a) ``--part add``: one BBC article held out of the corpus is ingested, as a whole process
    (``pactwatch ingest``: start-up and model load included), into a copy of a store of ``--small``
    articles and into a copy of a store of all the others, ``--repeat`` times each in turn; prints each
    one's least wall and CPU seconds (every run's CPU beside) and their ratio (issue 10: at most 1.5).
    Building the store of all 2,224 takes about ten minutes here, so
    both stores are kept under ``--cache`` and reused; a kept store is brought up to date (one rebuild,
    cheap when nothing changed) before it is copied.
(b) ``--part resolve``: resolution alone (``resolve.resolve_blocks``, the full rebuild with nothing stored,
    then ``track.judge``) over the stored extractions of the whole corpus replicated N times, each replica's
    documents and records dated N years later; prints seconds per document at each size (it must stay
    roughly flat). A replica's text has its letters rotated, so it is no reprint of the original (offsets,
    digits and the extracted records are kept; dates written in words no longer read as dates).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import fields, is_dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from ingest_bench import article_files  # noqa: E402  (the same article order as the ingest benchmark)

BIN = Path(sys.executable).parent


def timed(command: list[str], log: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of a whole process (CPU time is the steadier figure)."""
    t = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{log.read_text()}")
    return time.perf_counter() - t, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def cached_store(cache: Path, name: str, files: list[Path]) -> Path:
    """A store of ``files`` under ``cache``, built by ``pactwatch ingest`` the first time, then brought up to date;
    built again under other extractors or another parser (its extractions and kept parses would be stale)."""
    from pactwatch import nlp

    stamp = nlp.parser()[:12]
    for stale in cache.glob(f"{name}-{'?' * len(stamp)}.*"):
        if not stale.name.startswith(f"{name}-{stamp}."):
            stale.unlink()
    name = f"{name}-{stamp}"
    db = cache / f"{name}.db"
    if not db.exists():
        listing = cache / f"{name}.txt"
        listing.write_text("\n".join(map(str, files)) + "\n")
        print(f"building {db} from {len(files)} articles (once; kept for later runs) ...", flush=True)
        partial = cache / f"{name}.partial.db"
        for leftover in cache.glob(f"{name}.partial.db*"):
            leftover.unlink()
        subprocess.run([str(BIN / "pactwatch"), "ingest", *map(str, files), "--db", str(partial)],
                       stdout=subprocess.DEVNULL, check=False)
        partial.rename(db)
    from pactwatch.pipeline import rebuild
    from pactwatch.store import open_store

    with open_store(db) as store:  # resolved by other code since it was built: resolve it now, not in the timing
        rebuild(store)
    return db


def part_add(args: argparse.Namespace) -> None:
    files = article_files(args.corpus, 0)
    probe, rest = files[-1], files[:-1]
    small = cached_store(args.cache, f"bbc-{args.small}", rest[:args.small])
    large = cached_store(args.cache, f"bbc-{len(rest)}", rest)
    runs: dict[str, list[tuple[float, float, float]]] = {"small": [], "large": []}
    with tempfile.TemporaryDirectory() as tmp:
        for db in (small, large):
            # Brought up to date right before, by the code the timed process runs (the tree may change).
            subprocess.run([sys.executable, "-c", "import sys; from pactwatch.pipeline import rebuild; "
                            "from pactwatch.store import open_store; rebuild(open_store(sys.argv[1]))", str(db)],
                           check=True)
        for _ in range(args.repeat):  # the two sides in turn, so a busy spell of the machine falls on both
            for label, db in (("small", small), ("large", large)):
                copy = Path(tmp) / f"{label}.db"
                for leftover in Path(tmp).glob(f"{label}.db*"):
                    leftover.unlink()
                shutil.copy(db, copy)
                runs[label].append(timed([str(BIN / "pactwatch"), "ingest", str(probe), "--db", str(copy)],
                                         Path(tmp) / f"{label}.log"))
    n_small, n_large = args.small, len(rest)
    # Each side's least time: what the work costs when nothing else on the machine gets in its way.
    best = {label: (min(r[0] for r in found), min(r[1] for r in found), max(r[2] for r in found))
            for label, found in runs.items()}
    print(f"(a) one article ({probe.parent.name}/{probe.name}) added by `pactwatch ingest`, whole process, "
          f"best of {args.repeat}:")
    for label, n in (("small", n_small), ("large", n_large)):
        wall, cpu, rss = best[label]
        every = ", ".join(f"{r[1]:.2f}" for r in runs[label])
        print(f"    into {n:5d} articles: {wall:6.2f} s wall, {cpu:6.2f} s CPU (each run: {every}), peak {rss:.0f} MiB")
    print(f"    ratio {n_large} / {n_small}: {best['large'][0] / best['small'][0]:.2f}x wall, "
          f"{best['large'][1] / best['small'][1]:.2f}x CPU (issue 10: at most 1.5x)")


def _shift(value: Any, years: int, suffix: str) -> Any:
    """A record, document or date of replica ``suffix``: dates ``years`` later, document ids made its own."""
    from pactwatch.models import DateRange, Mention

    if isinstance(value, DateRange):
        return DateRange(_later(value.start, years), _later(value.end, years), value.precision)
    if isinstance(value, Mention):
        return replace(value, doc=value.doc + suffix)
    if isinstance(value, date):
        return _later(value, years)
    if isinstance(value, list):
        return [_shift(v, years, suffix) for v in value]
    if isinstance(value, dict):
        return {k: _shift(v, years, suffix) for k, v in value.items()}
    if isinstance(value, str) and ":" in value and len(value.split(":")[0]) == 16:  # a per-document record id
        doc, local = value.split(":", 1)
        return f"{doc}{suffix}:{local}"
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _shift(getattr(value, f.name), years, suffix) for f in fields(value)
                                 if f.name not in ("text", "source")})
    return value


def _later(day: date, years: int) -> date:
    try:
        return day.replace(year=min(day.year + years, 9999))
    except ValueError:  # 29 February
        return day.replace(year=min(day.year + years, 9999), day=28)


def _rotation(k: int) -> dict[int, str]:
    """Letters moved ``k`` places along the alphabet: a replica's text is no reprint of the original (its shingles
    differ) while every offset, digit and mention stays where it was."""
    lower = "abcdefghijklmnopqrstuvwxyz"
    k %= len(lower)
    return str.maketrans(lower + lower.upper(), lower[k:] + lower[:k] + (lower[k:] + lower[:k]).upper())


def part_resolve(args: argparse.Namespace) -> None:
    from pactwatch.models import Extraction
    from pactwatch.resolve import resolve_blocks
    from pactwatch.store import open_store
    from pactwatch.track import judge

    files = article_files(args.corpus, 0)
    db = cached_store(args.cache, f"bbc-{len(files) - 1}", files[:-1])
    with open_store(db) as store:
        documents, extractions = store.documents(), store.extractions()
    print("(b) resolution alone (all blocks, nothing stored) + judging, BBC x N with dates N years apart:")
    for n in args.copies:
        docs, xs = [], []
        for k in range(n):
            suffix = f"r{k}" if k else ""
            docs += [replace(_shift(d, k, suffix), id=d.id + suffix, text=d.text.translate(_rotation(k)),
                             source=f"{d.source}#{k}") for d in documents]
            xs += [Extraction(x.doc_id + suffix, *(_shift(getattr(x, f), k, suffix)
                                                   for f in ("actors", "events", "commitments", "claims")))
                   for x in extractions]
        t = time.perf_counter()
        cpu = time.process_time()
        resolution = resolve_blocks(docs, xs)
        resolved = time.perf_counter() - t
        judge(resolution.corpus)
        wall, cpu = time.perf_counter() - t, time.process_time() - cpu
        c = resolution.corpus
        print(f"    x{n:<3d} {len(docs):7d} documents: resolve {resolved:7.1f} s, with judging {wall:7.1f} s wall, "
              f"{cpu:7.1f} s CPU: {1000 * cpu / len(docs):5.1f} ms CPU per document; {len(resolution.blocks)} "
              f"blocks, {len(c.actors)} actors, {len(c.events)} episodes, {len(c.claims)} claims", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/bbc")
    ap.add_argument("--cache", type=Path, default=ROOT / ".bench-cache", help="where the built stores are kept")
    ap.add_argument("--part", choices=("add", "resolve", "both"), default="both")
    ap.add_argument("--small", type=int, default=300, help="articles in the small store of (a)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each side of (a); the least counts")
    ap.add_argument("--copies", type=lambda s: [int(n) for n in s.split(",")], default=[1, 10, 50],
                    help="replications of the corpus for (b), comma-separated")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"error: no corpus at {args.corpus}", file=sys.stderr)
        return 2
    args.cache.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    if args.part in ("add", "both"):
        part_add(args)
    if args.part in ("resolve", "both"):
        part_resolve(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
