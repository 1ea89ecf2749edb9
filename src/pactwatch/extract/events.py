"""PLOVER events in one document. PLACEHOLDER."""

from __future__ import annotations

from pactwatch.extract.parsed import ParsedDocument
from pactwatch.models import Event


def extract_events(parsed: ParsedDocument) -> list[Event]:
    return []
