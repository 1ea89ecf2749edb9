"""Temporal expressions -> DateRange, resolved against a publication date.

PLACEHOLDER: the date grammar is being written (issue 2, item 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pactwatch.models import DateRange


@dataclass(frozen=True)
class DateMatch:
    """One temporal expression in a text."""

    start: int
    end: int
    text: str
    range: DateRange | None  # None where it cannot be resolved (no anchor yet, or too vague)
    relative: bool = False  # depends on the anchor ("on Thursday", "last year", "next quarter")
    kind: str = "point"  # point | deadline ("by 2030") | since ("since 2020") | span ("in the last five years")
    tense: str | None = None  # past | future | None: what the expression itself says about time


def find_dates(text: str, anchor: date | None) -> list[DateMatch]:
    return []


def resolve(expression: str, anchor: date | None) -> DateRange | None:
    return None
