"""People, organisations, countries and standing bodies in one document. PLACEHOLDER."""

from __future__ import annotations

from pactwatch.extract.parsed import ParsedDocument
from pactwatch.models import Actor


def extract_actors(parsed: ParsedDocument) -> list[Actor]:
    return []
