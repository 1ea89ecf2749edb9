"""Shared fixtures: the trained spaCy pipeline is loaded once per test session."""

from __future__ import annotations

from collections.abc import Callable
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
