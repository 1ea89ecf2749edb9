"""Resolution: per-document records merged into the corpus record.

Order matters: actors first (events and commitments refer to them), then
episodes (commitments refer to the event they were made at), then
commitments and claims.
"""

from __future__ import annotations

from dataclasses import replace

from pactwatch.models import Corpus, Document, Extraction
from pactwatch.resolve.actors import merge_actors
from pactwatch.resolve.commitments import merge_commitments
from pactwatch.resolve.corroboration import merge_claims
from pactwatch.resolve.episodes import merge_events


def _remap(ids: list[str], mapping: dict[str, str]) -> list[str]:
    out: list[str] = []
    for i in ids:
        new = mapping.get(i, i)
        if new not in out:
            out.append(new)
    return out


def resolve_corpus(documents: list[Document], extractions: list[Extraction]) -> Corpus:
    """The corpus record: one actor, episode, commitment and claim per real-world thing."""
    by_id = {d.id: d for d in documents}
    actors, actor_ids = merge_actors(extractions)
    events = [replace(e, actors=_remap(e.actors, actor_ids)) for x in extractions for e in x.events]
    episodes, event_ids = merge_events(events, by_id)
    commitments = [replace(c, actors=_remap(c.actors, actor_ids), event=event_ids.get(c.event or "", c.event))
                   for x in extractions for c in x.commitments]
    newest = max((d.published.end for d in documents if d.published), default=None)
    commitments = merge_commitments(commitments, newest)
    claims = merge_claims([c for x in extractions for c in x.claims], by_id)
    return Corpus(documents=sorted(documents, key=lambda d: d.source), actors=actors, events=episodes,
                  commitments=commitments, claims=claims)
