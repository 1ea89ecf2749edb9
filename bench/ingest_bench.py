#!/usr/bin/env python3
"""Ingest benchmark on the BBC news corpus: whole processes side by side, in one run.

    .venv/bin/python bench/ingest_bench.py --limit 300              # --limit 0: all 2,225 articles
    .venv/bin/python bench/ingest_bench.py --limit 300 --workers 2  # also `pactwatch ingest --workers 2`

Times, each as a whole process (interpreter start-up, imports and model load included):
  (a) the bare pass: load the spaCy model as shipped and run ``nlp.pipe`` over the articles' texts;
  (b) ``pactwatch ingest`` of the same files into a fresh database (readers, documents,
      parse, extraction, store, corpus rebuild);
  (c) with --workers N, the same ingest on a local Dask cluster of N workers;
and prints each one's seconds, its ratio to (a), and its peak memory (the largest process's
peak RSS: with workers, the largest worker or the client). ``make bench LIMIT=N`` runs it.

With ``--repeat N`` (``make bench REPEAT=N``) they are run in turn N times and each counts its fastest run: on a
shared machine a noisy minute slows whichever process it falls on by a tenth or more, and taken in turn
the sides meet the same minutes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from itertools import zip_longest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def article_files(corpus: Path, limit: int) -> list[Path]:
    """The corpus's article files; a limit takes them in turn from each category so a sample is mixed."""
    categories = sorted(d for d in corpus.iterdir() if d.is_dir())
    per_category = [sorted(c.glob("*.txt"), key=lambda p: (len(p.stem), p.stem)) for c in categories]
    interleaved = [p for group in zip_longest(*per_category) for p in group if p is not None]
    return interleaved[:limit] if limit > 0 else interleaved


def bare_pass(list_file: str) -> None:
    """The baseline, run as its own process: read each file as the readers do, load the model as spaCy ships
    it (not ``nlp.load``, whose rule components remember their outcomes), nlp.pipe."""
    import spacy

    from pactwatch import nlp
    from pactwatch.sources import SourceError, read_sources

    paths = Path(list_file).read_text().splitlines()
    texts = [item.text for item in read_sources(paths) if not isinstance(item, SourceError)]
    for _ in spacy.load(nlp.MODEL).pipe(texts, batch_size=16):
        pass


def parsed_share(paths: list[str]) -> float:
    """The share of the articles' words the ingest gives the parser (the rest is blanked)."""
    from pactwatch.extract import prefilter
    from pactwatch.sources import SourceError, read_sources

    texts = [item.text for item in read_sources(paths) if not isinstance(item, SourceError)]
    seen = sum(len("".join(prefilter.parser_parts(t)).split()) for t in texts)
    return seen / max(1, sum(len(t.split()) for t in texts))


def timed(command: list[str], log: Path) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds, peak RSS in MiB and output of ``command``; CPU time counts the
    descendants too (workers) and is the steadier figure on a shared machine. The peak is the largest of the process and
    the descendants it waited for (Linux folds a reaped child's peak into its parent's)."""
    t = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text()
    if proc.returncode not in (0, 1):  # 1: some BBC file could not be read (one is Latin-1, a warning)
        raise SystemExit(f"{' '.join(command[:3])} ... failed with {proc.returncode}:\n{text}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text  # Linux reports KiB


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/bbc")
    ap.add_argument("--limit", type=int, default=300, help="articles to use, 0 for all 2,225")
    ap.add_argument("--workers", type=int, default=0, help="also time `pactwatch ingest --workers N`")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each, in turn; each counts its fastest")
    ap.add_argument("--bare-pass", metavar="LIST", help=argparse.SUPPRESS)  # the baseline's own process
    args = ap.parse_args()
    if args.bare_pass:
        bare_pass(args.bare_pass)
        return 0
    if not args.corpus.is_dir():
        print(f"error: no corpus at {args.corpus}", file=sys.stderr)
        return 2

    paths = [str(p) for p in article_files(args.corpus, args.limit)]
    with tempfile.TemporaryDirectory() as tmp:
        list_file = Path(tmp) / "files.txt"
        list_file.write_text("\n".join(paths))
        env_note = f"{len(paths)} BBC articles, {os.cpu_count()} cores"
        print(f"{env_note}; each line is a whole process (start-up and model load included)")
        print(f"the parser sees {parsed_share(paths):.0%} of the articles' words (extract/prefilter.py "
              "blanks the sentences that cannot yield a record)")
        runs: list[tuple[str, list[str]]] = [("(a) bare nlp.pipe:", []), ("(b) pactwatch ingest:", [])]
        if args.workers:
            runs.append((f"(c) ingest --workers {args.workers}:", ["--workers", str(args.workers)]))
        best: dict[str, tuple[float, float, float, str]] = {}
        for round_ in range(max(1, args.repeat)):
            for n, (label, extra) in enumerate(runs):
                if n == 0:
                    command = [sys.executable, __file__, "--bare-pass", str(list_file)]
                else:
                    db = Path(tmp) / f"bench{n}-{round_}.db"
                    command = [str(BIN / "pactwatch"), "ingest", *paths, "--db", str(db), *extra]
                result = timed(command, Path(tmp) / f"run{n}.log")
                if label not in best or result[0] < best[label][0]:
                    best[label] = result
        bare_s, bare_cpu, bare_mib, _ = best[runs[0][0]]
        print(f"{runs[0][0]:25s} {bare_s:7.2f}s wall {bare_cpu:7.2f}s CPU  "
              f"{len(paths) / bare_s:5.1f} articles/s            peak {bare_mib:5.0f} MiB")
        for label, _ in runs[1:]:
            seconds, cpu, mib, out = best[label]
            summary = out.strip().splitlines()[-1] if out.strip() else ""
            print(f"{label:25s} {seconds:7.2f}s wall {cpu:7.2f}s CPU  {len(paths) / seconds:5.1f} articles/s  "
                  f"ratio {seconds / bare_s:4.2f}  peak {mib:5.0f} MiB  (CPU ratio {cpu / bare_cpu:4.2f})")
            print(f"    {summary}")
        if args.repeat > 1:
            print(f"each line: the fastest of {args.repeat} runs, taken in turn")
    print("targets: (b) <= 1.0x (a); (c) with 2 workers on 2 cores <= 0.6x (a); all 2,225 in one process < 1 GB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
