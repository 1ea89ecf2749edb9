"""Commitments in one document. PLACEHOLDER."""

from __future__ import annotations

from pactwatch.extract.parsed import ParsedDocument
from pactwatch.models import Commitment, Event


def extract_commitments(parsed: ParsedDocument, events: list[Event]) -> list[Commitment]:
    return []
