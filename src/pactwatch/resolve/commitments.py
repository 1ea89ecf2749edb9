"""Commitments merged across the corpus, with a first status. PLACEHOLDER."""

from __future__ import annotations

from datetime import date

from pactwatch.models import Commitment


def merge_commitments(commitments: list[Commitment], as_of: date | None) -> list[Commitment]:
    return commitments
