"""Actors merged across the corpus. PLACEHOLDER."""

from __future__ import annotations

from pactwatch.models import Actor, Extraction


def merge_actors(extractions: list[Extraction]) -> tuple[list[Actor], dict[str, str]]:
    """Corpus actors, and a map from every per-document actor id to its corpus actor id."""
    actors = [a for x in extractions for a in x.actors]
    return actors, {a.id: a.id for a in actors}
