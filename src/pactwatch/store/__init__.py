"""The store: documents, per-document extractions and the resolved record (SQLite)."""

from __future__ import annotations

from pactwatch.store.sqlite import RECORD_KINDS, Store, StoreError, open_store

__all__ = ["RECORD_KINDS", "Store", "StoreError", "open_store"]
