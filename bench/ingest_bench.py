#!/usr/bin/env python3
"""Ingest benchmark on the BBC news corpus: the whole ingest against a bare spaCy pass, in one run.

    .venv/bin/python bench/ingest_bench.py --corpus ../shared/corpus/bbc --limit 100   # --limit 0: all 2,225

Reads the articles through pactwatch's own readers (one BBC file is Latin-1:
it is reported, not fatal), warms the model, then times
  (a) a bare ``nlp.pipe`` pass over the same texts, and
  (b) the whole ingest into a fresh temporary database (readers, documents,
      extraction, store, corpus rebuild),
and prints articles per second, the ratio (b)/(a), the process's peak memory
and the records drawn per 100 articles. ``make bench LIMIT=N`` runs it.
"""

from __future__ import annotations

import argparse
import inspect
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import zip_longest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from pactwatch import nlp, pipeline  # noqa: E402
from pactwatch.sources import SourceError, read_sources  # noqa: E402
from pactwatch.store import open_store  # noqa: E402

WARM_TEXT = ("Chilean Foreign Minister Ana Rojas met her Peruvian counterpart in Lima on Tuesday and agreed to "
             "raise bilateral trade to $5 billion by 2027, the ministry said.")


def article_files(corpus: Path, limit: int) -> list[Path]:
    """The corpus's article files; a limit takes them in turn from each category so a sample is mixed."""
    categories = sorted(d for d in corpus.iterdir() if d.is_dir())
    per_category = [sorted(c.glob("*.txt"), key=lambda p: (len(p.stem), p.stem)) for c in categories]
    interleaved = [p for group in zip_longest(*per_category) for p in group if p is not None]
    return interleaved[:limit] if limit > 0 else interleaved


def read_texts(paths: list[Path]) -> tuple[dict[str, str], list[str]]:
    """The text the readers produce for each source, and one line per warning or failure."""
    texts, notes = {}, []
    for item in read_sources([str(p) for p in paths]):
        if isinstance(item, SourceError):
            notes.append(f"failed: {item.source}: {item.message}")
            continue
        notes.extend(f"warning: {item.source}: {w}" for w in item.warnings)
        texts[item.source] = item.text
    return texts, notes


def bare_pass(texts: list[str]) -> Iterator[object]:
    """spaCy alone, with the batch size the pipeline uses."""
    batch_size = inspect.signature(nlp.parse_many).parameters["batch_size"].default
    return nlp.load().pipe(texts, batch_size=batch_size)


def warm_up(texts: list[str]) -> None:
    """Load the model and every lazily built table (dateparser, lexicons) before anything is timed."""
    for _ in bare_pass(texts[:16] or [WARM_TEXT]):
        pass
    pipeline.extract_text(WARM_TEXT, published="2025-11-07")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/bbc")
    ap.add_argument("--limit", type=int, default=0, help="articles to use, 0 for all")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"error: no corpus at {args.corpus}", file=sys.stderr)
        return 2

    # Every file goes through the readers (cheap, and the corpus is a bad-input test: one file is Latin-1);
    # the timed passes use the first --limit articles.
    every = article_files(args.corpus, 0)
    t = time.perf_counter()
    read, notes = read_texts(every)
    read_s = time.perf_counter() - t
    for note in notes:
        print(note)
    print(f"readers: {len(read)} of {len(every)} files read in {read_s:.2f}s, {len(notes)} warnings/failures")
    paths = every[:args.limit] if args.limit > 0 else every
    texts = [read[str(p)] for p in paths if str(p) in read]

    warm_up(texts)

    t = time.perf_counter()
    for _ in bare_pass(texts):
        pass
    bare_s = time.perf_counter() - t

    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "bench.db") as store:
        t = time.perf_counter()
        report = pipeline.ingest([str(p) for p in paths], store)
        ingest_s = time.perf_counter() - t
        counts = store.counts()

    n = len(texts)
    print(f"(a) bare nlp.pipe:  {bare_s:8.2f}s  {n / bare_s:7.1f} articles/s")
    print(f"(b) whole ingest:   {ingest_s:8.2f}s  {n / ingest_s:7.1f} articles/s  "
          f"({len(report.added)} added, {len(report.failed)} failed)")
    print(f"ratio (b)/(a):      {ingest_s / bare_s:8.2f}  (target <= 1.5)")
    print(f"peak memory:        {peak_rss_mib():8.0f} MiB  (the process's peak RSS over both passes)")
    per_100 = {k: 100 * counts[k] / max(n, 1) for k in ("actors", "events", "commitments", "claims")}
    print("records per 100 articles: " + ", ".join(f"{k} {v:.1f}" for k, v in per_100.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
