"""Settings read from the environment when asked for, never at import.

Tests and the dashboard change the environment between calls, so nothing
here is cached: ``get_settings()`` builds a fresh object each time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = "pactwatch.db"
DB_ENV = "PACTWATCH_DB"


@dataclass(frozen=True)
class Settings:
    db: str  # --db, else $PACTWATCH_DB, else ./pactwatch.db: a SQLite file or a postgresql:// URL

    @property
    def db_path(self) -> Path:
        return Path(self.db)


def get_settings(db: str | os.PathLike[str] | None = None) -> Settings:
    """The settings in force now; an explicit ``db`` wins over the environment."""
    chosen = db if db not in (None, "") else os.environ.get(DB_ENV) or DEFAULT_DB
    return Settings(db=os.fspath(chosen))
