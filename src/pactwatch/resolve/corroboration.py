"""Claims merged across the corpus and marked corroborated, conflicting or single-source. PLACEHOLDER."""

from __future__ import annotations

from pactwatch.models import Claim, Document


def merge_claims(claims: list[Claim], documents: dict[str, Document]) -> list[Claim]:
    return claims
