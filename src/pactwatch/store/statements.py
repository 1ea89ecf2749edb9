"""The three primitives every store implementation supplies, declared once for the mixins that build on them."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pactwatch.store.schema import Cursor


class Statements:
    """Run SQL, run it for many rows, and group writes into one transaction (store/sqlite.py, store/postgres.py)."""

    def execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> Cursor:
        raise NotImplementedError  # supplied by the store implementation

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError
