"""Resolution: per-document records merged into the corpus record.

Order matters: actors first (events and commitments refer to them), then
episodes (commitments refer to the event they were made at), then
commitments and claims. Last, every record gets a stable id derived from
its earliest mention, so analyst corrections keyed by id survive re-ingest.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import replace

from pactwatch.models import Actor, Claim, Commitment, Corpus, Document, Event, Extraction, Mention
from pactwatch.resolve.actors import merge_actors
from pactwatch.resolve.commitments import merge_commitments
from pactwatch.resolve.copies import find_copies
from pactwatch.resolve.corroboration import merge_claims
from pactwatch.resolve.episodes import merge_events


def _remap(ids: list[str], mapping: dict[str, str]) -> list[str]:
    out: list[str] = []
    for i in ids:
        new = mapping.get(i, i)
        if new not in out:
            out.append(new)
    return out


def stable_id(prefix: str, mentions: list[Mention], salt: str = "") -> str:
    """An id that stays the same while the record keeps its earliest mention."""
    first = min(mentions, key=lambda m: (m.doc, m.start, m.end)) if mentions else None
    key = f"{salt}|{first.doc}|{first.start}|{first.end}" if first else salt
    return f"{prefix}{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"


def _assign_ids(records: list[Actor] | list[Event] | list[Commitment] | list[Claim], prefix: str,
                salt_of: object = None) -> dict[str, str]:
    """Give each record its stable id (unique within its kind); returns old id -> new id."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for record in records:
        salt = str(getattr(record, "kind", None) or getattr(record, "type", None) or "")
        new = stable_id(prefix, record.mentions, salt)
        n = 1
        while new in taken:  # two records with the same earliest mention (say, AGREE and SUPPORT)
            n += 1
            new = stable_id(prefix, record.mentions, f"{salt}#{n}")
        taken.add(new)
        mapping[record.id] = new
        record.id = new
    return mapping


def resolve_corpus(documents: list[Document], extractions: list[Extraction]) -> Corpus:
    """The corpus record: one actor, episode, commitment and claim per real-world thing."""
    by_id = {d.id: d for d in documents}
    # Resolvers may merge records in place; the stored per-document extractions must stay as extracted.
    extractions = copy.deepcopy(extractions)
    actors, actor_ids = merge_actors(extractions)
    events = [replace(e, actors=_remap(e.actors, actor_ids)) for x in extractions for e in x.events]
    copies = find_copies(documents)  # wire copies and reprints: one text, one witness
    episodes, event_ids = merge_events(events, by_id, copies)
    commitments = [replace(c, actors=_remap(c.actors, actor_ids), event=event_ids.get(c.event or "", c.event))
                   for x in extractions for c in x.commitments]
    newest = max((d.published.end for d in documents if d.published), default=None)
    commitments = merge_commitments(commitments, newest)
    claims = merge_claims([c for x in extractions for c in x.claims], by_id, copies)

    final_actor = _assign_ids(actors, "a-")
    final_event = _assign_ids(episodes, "e-")
    for e in episodes:
        e.actors = _remap(e.actors, final_actor)
    _assign_ids(commitments, "c-")
    for c in commitments:
        c.actors = _remap(c.actors, final_actor)
        c.event = final_event.get(c.event or "", c.event)
    _assign_ids(claims, "k-")
    return Corpus(documents=sorted(documents, key=lambda d: d.source), actors=actors, events=episodes,
                  commitments=commitments, claims=claims)
