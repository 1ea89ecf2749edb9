#!/usr/bin/env python3
"""Run extraction + resolution (no store) on a reference corpus and score it.

    .venv/bin/python scripts/evaluate.py seeds [--show-misses]
    .venv/bin/python scripts/evaluate.py dev [--show-misses]
    .venv/bin/python scripts/evaluate.py plover

Writes the export to /tmp/pactwatch-eval-<name>.json and prints the scorer's table.
A development aid only: the shipped path is `pactwatch ingest` + `pactwatch export`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

from pactwatch import nlp  # noqa: E402
from pactwatch.documents import build_document  # noqa: E402
from pactwatch.extract import extract_document  # noqa: E402
from pactwatch.pipeline import _resolve_with_inference  # noqa: E402
from pactwatch.sources import RawDocument  # noqa: E402
from pactwatch.track import judge  # noqa: E402


def raws(name: str) -> list[RawDocument]:
    if name == "seeds":
        paths = sorted((ROOT / "examples/seeds").glob("*.txt"))
        return [RawDocument(text=p.read_text(encoding="utf-8"), source=str(p)) for p in paths]
    if name == "dev":
        lines = (SHARED / "corpus/dev/feed.jsonl").read_text(encoding="utf-8").splitlines()
    else:
        lines = subprocess.run([sys.executable, str(SHARED / "eval/plover_gsr.py"), "feed"], capture_output=True,
                               text=True, check=True).stdout.splitlines()
    out = []
    for i, line in enumerate(lines):
        d = json.loads(line)
        out.append(RawDocument(text=d["text"], source=d.get("url") or f"feed:{i}", url=d.get("url"),
                               title=d.get("title"), outlet=d.get("outlet"), published=d.get("published")))
    return out


def main() -> None:
    name = sys.argv[1]
    t = time.time()
    documents = [build_document(r) for r in raws(name)]
    parsed = nlp.parse_many(d.text for d in documents)
    extractions = [extract_document(d, doc) for d, doc in zip(documents, parsed, strict=True)]
    corpus = judge(_resolve_with_inference(documents, extractions))
    out = Path(f"/tmp/pactwatch-eval-{name}.json")
    out.write_text(json.dumps(corpus.to_exchange(), ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(documents)} documents in {time.time() - t:.1f}s -> {out}", file=sys.stderr)
    if name == "plover":
        subprocess.run([sys.executable, str(SHARED / "eval/plover_gsr.py"), "score", str(out)], check=False)
    else:
        gold = SHARED / f"eval/gold/{name}.json"
        subprocess.run([sys.executable, str(SHARED / "eval/score.py"), str(out), str(gold), *sys.argv[2:]], check=False)


if __name__ == "__main__":
    main()
