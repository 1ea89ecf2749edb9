"""The store: documents, per-document extractions and the resolved record, in SQLite or PostgreSQL.

``open_store`` picks the implementation from what it is given: a
``postgresql://`` URL opens store/postgres.py, anything else is a SQLite
file (store/sqlite.py). Everything else goes through the ``Store``
interface (store/base.py).
"""

from __future__ import annotations

from os import PathLike

from pactwatch.settings import get_settings
from pactwatch.store.base import RECORD_KINDS, Store, StoreError
from pactwatch.store.sqlite import SQLiteStore

POSTGRES_SCHEMES = ("postgresql://", "postgres://")

__all__ = ["RECORD_KINDS", "SQLiteStore", "Store", "StoreError", "is_postgres", "open_store"]


def is_postgres(db: str | PathLike[str]) -> bool:
    return str(db).lower().startswith(POSTGRES_SCHEMES)


def open_store(db: str | PathLike[str] | None = None, *, create: bool = True) -> Store:
    """The store at ``db`` (a SQLite file or a postgresql:// URL), else $PACTWATCH_DB, else ./pactwatch.db.

    ``create=False`` refuses a missing SQLite file, or a PostgreSQL database pactwatch never wrote to.
    """
    target = get_settings(db).db
    if is_postgres(target):
        from pactwatch.store.postgres import PostgresStore  # the driver is loaded only when it is used

        return PostgresStore(target, create=create)
    path = get_settings(db).db_path
    if not create and target != ":memory:" and not path.is_file():
        raise StoreError(f"no database at {path} (run `pactwatch ingest ... --db {path}` first)")
    return SQLiteStore(path)
