"""Quantitative claims in one document. PLACEHOLDER."""

from __future__ import annotations

from pactwatch.extract.parsed import ParsedDocument
from pactwatch.models import Claim


def extract_claims(parsed: ParsedDocument) -> list[Claim]:
    return []
