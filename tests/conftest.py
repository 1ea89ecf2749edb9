"""Shared fixtures: the trained spaCy pipeline is loaded once per test session."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from pactwatch import nlp
from pactwatch.documents import document_id
from pactwatch.extract import parse_context
from pactwatch.extract.parsed import ParsedDocument
from pactwatch.models import DateRange, Document

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "examples" / "seeds"


@pytest.fixture(scope="session")
def spacy_nlp():  # type: ignore[no-untyped-def]
    return nlp.load()


def make_document(text: str, published: str | None = None, source: str = "test.txt") -> Document:
    pub = DateRange.day(date.fromisoformat(published)) if published else None
    return Document(id=document_id(text), text=text, source=source, published=pub,
                    published_source="given" if pub else None)


@pytest.fixture(scope="session")
def parse(spacy_nlp) -> Callable[..., ParsedDocument]:  # type: ignore[no-untyped-def]
    """parse(text, "2025-11-07") -> ParsedDocument with dates found (actors not yet extracted)."""

    def _parse(text: str, published: str | None = None) -> ParsedDocument:
        document = make_document(text, published)
        return parse_context(document, spacy_nlp(text))

    return _parse


# -- stores: every storage test runs on SQLite and on PostgreSQL ---------------------------------------------

STORES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_server():  # type: ignore[no-untyped-def]
    """A throwaway PostgreSQL cluster for the whole session (tests/postgres_server.py), removed at the end."""
    from postgres_server import PostgresServer, server_bin

    bindir = server_bin()
    if bindir is None:
        message = "PostgreSQL is not installed (`make test` installs it: scripts/install-debian-package.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    server = PostgresServer(bindir)
    yield server
    server.stop()


@pytest.fixture(params=STORES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a new, empty store lives, once per kind of store: a SQLite file, or a database on the test cluster."""
    if request.param == "sqlite":
        yield str(tmp_path / "test.db")
        return
    server = request.getfixturevalue("postgres_server")
    url = server.new_database()
    yield url
    server.drop_database(url)
