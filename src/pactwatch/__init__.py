"""pactwatch: evidence-backed records of bilateral relations from news articles.

The library in four names::

    from pactwatch import extract_text, ingest, open_store

    corpus = extract_text("Turkish Interior Minister ... met ...", published="2025-11-07")
    report = ingest(["articles/"], db="news.db")       # -> IngestReport(added, unchanged, failed, warnings)
    with open_store("news.db") as store:
        actors = store.corpus().actors

``import pactwatch`` stays light: the spaCy pipeline loads on the first
extraction, not at import (the names below are resolved on first use).
"""

from __future__ import annotations

from importlib import import_module
from os import PathLike
from typing import TYPE_CHECKING, Any

from pactwatch.models import (
    Actor,
    Claim,
    Commitment,
    Corpus,
    DateRange,
    Document,
    Event,
    Extraction,
    Mention,
    Role,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pactwatch.pipeline import IngestReport, extract_text
    from pactwatch.store import Store, StoreError, open_store

__version__ = "0.1.0"

__all__ = [
    "Actor", "Claim", "Commitment", "Corpus", "DateRange", "Document", "Event", "Extraction", "IngestReport",
    "Mention", "Role", "Store", "StoreError", "__version__", "extract_text", "ingest", "open_store",
]

# name -> module that defines it; imported on first attribute access (PEP 562).
_LAZY = {
    "extract_text": "pactwatch.pipeline",
    "IngestReport": "pactwatch.pipeline",
    "Store": "pactwatch.store",
    "StoreError": "pactwatch.store",
    "open_store": "pactwatch.store",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'pactwatch' has no attribute {name!r}")


def ingest(paths: str | PathLike[str] | Iterable[str | PathLike[str]], db: str | PathLike[str] | None = None, *,
           published: str | None = None, outlet: str | None = None) -> IngestReport:
    """Read, extract and store every new article under ``paths`` into the store at ``db``.

    ``db`` defaults to $PACTWATCH_DB, else ./pactwatch.db. Files that cannot be
    read are listed in the report's ``failed``; the rest are ingested.
    """
    from pactwatch import pipeline
    from pactwatch.store import open_store

    items = [paths] if isinstance(paths, str | PathLike) else list(paths)
    with open_store(db) as store:
        return pipeline.ingest([str(p) for p in items], store, published=published, outlet=outlet)
