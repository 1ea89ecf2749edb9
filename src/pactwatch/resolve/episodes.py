"""Events merged into episodes; publication dates inferred from them. PLACEHOLDER."""

from __future__ import annotations

from pactwatch.models import DateRange, Document, Event, Extraction


def merge_events(events: list[Event], documents: dict[str, Document]) -> tuple[list[Event], dict[str, str]]:
    """Episodes, and a map from every per-document event id to its episode id."""
    return events, {e.id: e.id for e in events}


def infer_publication_dates(documents: dict[str, Document], extractions: list[Extraction],
                            episodes: list[Event]) -> dict[str, DateRange]:
    """Publication dates for undated documents, from the episodes they share with dated ones."""
    return {}
