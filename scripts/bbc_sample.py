#!/usr/bin/env python3
"""False-positive check on the BBC corpus (issue 3): records drawn per 100 articles, and a sample to read.

    .venv/bin/python scripts/bbc_sample.py [--articles 200] [--sample 20] [--seed 7]

Reads a seeded random selection of ../shared/corpus/bbc articles through the real readers,
extracts and resolves them without a store, prints the rates, then a random sample of
events, commitments and claims with their quotes for a person to judge.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from pactwatch.pipeline import extract_texts  # noqa: E402
from pactwatch.sources import RawDocument, read_sources  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared/corpus/bbc"))
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--sample", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    raws = [r for r in read_sources([a.corpus]) if isinstance(r, RawDocument) and r.source.endswith(".txt")]
    rng = random.Random(a.seed)
    chosen = rng.sample(raws, min(a.articles, len(raws)))
    corpus = extract_texts(chosen)
    n = len(chosen)
    kinds = {"events": corpus.events, "commitments": corpus.commitments, "claims": corpus.claims}
    print(f"{n} articles: " + ", ".join(f"{k} {100 * len(v) / n:.1f} per 100" for k, v in kinds.items()))
    source = {d.id: d.source for d in corpus.documents}
    pool = [(k, r) for k, v in kinds.items() for r in v]
    for kind, r in rng.sample(pool, min(a.sample, len(pool))):
        m = r.mentions[0]
        label = {"events": lambda e: f"{e.type} {e.countries} {e.date}",
                 "commitments": lambda c: f"{c.kind} {c.parties} target={c.target} due={c.due}",
                 "claims": lambda c: f"{c.value:g} {c.unit} | {c.subject}"}[kind](r)
        print(f"\n[{kind}] {label}\n  {source[m.doc].split('bbc/')[-1]}: {m.quote[:300]!r}")


if __name__ == "__main__":
    main()
