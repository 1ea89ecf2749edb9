"""The dashboard's working size: a store of the dev feed plus 300 BBC articles, built from ../shared/corpus.

Building it is an ingest of some 340 articles (minutes), so the file is kept in
the system's temp folder under a name made from the code and the corpus it was
built from: a test session, or the web benchmark, builds it once, and again only
after the pipeline's code changed. Nothing from the corpus enters the project.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from itertools import zip_longest
from pathlib import Path

import pactwatch

ROOT = Path(__file__).resolve().parent.parent
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
DEV_FEED = SHARED_CORPUS / "dev" / "feed.jsonl"
BBC = SHARED_CORPUS / "bbc"
BBC_ARTICLES = 300
SOURCE = ROOT / "src" / "pactwatch"
STALE_SECONDS = 24 * 3600


def available() -> bool:
    return DEV_FEED.is_file() and BBC.is_dir()


def bbc_articles(limit: int = BBC_ARTICLES) -> list[Path]:
    """The first ``limit`` BBC articles, taken in turn from each category so the sample is mixed."""
    categories = sorted(d for d in BBC.iterdir() if d.is_dir())
    per_category = [sorted(c.glob("*.txt"), key=lambda p: (len(p.stem), p.stem)) for c in categories]
    return [p for group in zip_longest(*per_category) for p in group if p is not None][:limit]


def _fingerprint(inputs: list[Path]) -> str:
    """The pipeline's code (every module and data file but the dashboard's) and the inputs' names and sizes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in SOURCE.rglob("*") if p.is_file() and not {"__pycache__", "web"} & set(p.parts)):
        digest.update(str(path.relative_to(SOURCE)).encode())
        digest.update(path.read_bytes())
    for path in inputs:
        digest.update(f"{path}:{path.stat().st_size}".encode())
    return digest.hexdigest()[:16]


def big_store() -> Path:
    """The path of the store, built now unless an identical build is already in the temp folder."""
    inputs = [DEV_FEED, *bbc_articles()]
    folder = Path(tempfile.gettempdir()) / "pactwatch-bigstore"
    folder.mkdir(exist_ok=True)
    db = folder / f"dev-bbc{BBC_ARTICLES}-{_fingerprint(inputs)}.db"
    if db.exists():
        return db
    partial = db.with_suffix(f".{os.getpid()}.part")
    pactwatch.ingest([str(p) for p in inputs], db=partial)
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.replace(db)  # whole or absent: a killed build is never taken for a finished one
    for old in folder.glob("dev-bbc*.db"):  # builds of other pipelines, left a day: another checkout may use one
        if old != db and time.time() - old.stat().st_mtime > STALE_SECONDS:
            for path in (old, Path(f"{old}-wal"), Path(f"{old}-shm")):
                path.unlink(missing_ok=True)
    return db


if __name__ == "__main__":
    print(big_store())
