"""Resolution: per-document records merged into the corpus record.

Order matters: actors first (events and commitments refer to them), then
episodes (commitments refer to the event they were made at), then
commitments and claims. Last, every record gets a stable id derived from
its earliest mention, so analyst corrections keyed by id survive re-ingest.

Actors, episodes and claims are resolved block by block (``blocks``): a
block already resolved with the same inputs is taken as it was, so a
rebuild after new documents resolves only the blocks they touch, and the
full rebuild is the same code with nothing stored.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from pactwatch.models import (
    Actor,
    Claim,
    Commitment,
    Corpus,
    Document,
    Event,
    Extraction,
    Mention,
    extraction_digest,
)
from pactwatch.resolve.actors import grown_country, merge_actors
from pactwatch.resolve.blocks import (
    STAGES,
    Block,
    KeyIndex,
    Resolved,
    document_context,
    figure_context,
    fingerprint,
    partition_indexed,
    read_members,
    repartition,
)
from pactwatch.resolve.commitments import merge_commitments
from pactwatch.resolve.copies import copy_groups, originals
from pactwatch.resolve.corroboration import initial, mark_claims, merge_figures
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


@dataclass
class Resolution:
    """The corpus record, every block it was resolved in, and the documents of the event blocks resolved afresh."""

    corpus: Corpus
    blocks: list[Resolved]
    fresh: set[str] = field(default_factory=set)  # fingerprints of the blocks resolved afresh (not stored)
    fresh_event_docs: set[str] = field(default_factory=set)
    # The partition's index: (record, key) rows of the documents partitioned afresh, and every document's state
    # (extraction digest, the original it copies) as partitioned (resolve.blocks.KeyIndex).
    index_rows: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    partitioned: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    parts: dict[str, list[Block]] = field(default_factory=dict)  # the partition resolved
    actor_of: dict[str, str] = field(default_factory=dict)  # per-document actor id -> corpus actor id
    event_of: dict[str, str] = field(default_factory=dict)  # per-document event id -> episode id
    # Without figures: each block of figures left unresolved, as the partition keeps it (its members in order),
    # so a later round partitions again from the whole partition (KeyIndex.after).
    unresolved: list[Resolved] = field(default_factory=list)
    # Figures: the stored blocks whose marks changed (``mark_figures``: to be saved again under the same
    # fingerprint), and the stored blocks the marking read (to be stored still when the result is saved).
    remarked: set[str] = field(default_factory=set)
    relied: set[str] = field(default_factory=set)


def resolve_corpus(documents: list[Document], extractions: list[Extraction]) -> Corpus:
    """The corpus record: one actor, episode, commitment and claim per real-world thing."""
    return resolve_blocks(documents, extractions).corpus


def resolve_blocks(documents: list[Document], extractions: list[Extraction],
                   stored: dict[str, Resolved] | None = None, digests: dict[str, str] | None = None,
                   index: KeyIndex | None = None, groups: list[set[str]] | None = None,
                   all_actors: bool = True, figures: bool = True, settled: Resolution | None = None,
                   ) -> Resolution:
    """Resolve every block of the corpus (``blocks.partition``), taking a block from ``stored`` (fingerprint ->
    its resolution) where it is there: with nothing stored this is the full rebuild, with the last rebuild's
    blocks stored only the blocks that new documents touch are resolved again.

    ``digests`` (document id -> a digest of its extraction, as the store keeps them) spares hashing every
    extraction; a document missing from it is hashed here. With ``index`` (the last partition, found by key)
    only the blocks that documents changed since can touch are partitioned again (``repartition``).
    ``groups``: the groups of copies among the documents (``copies.copy_groups``), where already known.
    Without ``all_actors`` the corpus holds of the actors only those its commitments name, all that judging
    reads: a rebuild then builds no stored person's record (``blocks.StoredResolved``) but those.
    Without ``figures`` only people and episodes are resolved (all that inferring dates reads): the corpus has
    no claims, commitments nor actors. ``settled``: such a resolution of these very extractions, whose
    partition, people and episodes are taken as they are, the figures and pledges resolved now.
    """
    stored = stored or {}
    digests = {x.doc_id: (digests or {}).get(x.doc_id) or extraction_digest(x) for x in extractions}
    by_id = {d.id: d for d in documents}
    # Wire copies and reprints: one text, one witness. The original of each group is chosen by date, every round.
    copies = originals(copy_groups(documents)[0] if groups is None else groups, by_id)
    found = (settled.parts, {}) if settled is not None else \
        repartition(extractions, copies, digests, index) if index is not None else None
    blocks, rows = found or partition_indexed(extractions, copies)
    done: list[Resolved] = []
    fresh: set[str] = set()
    fresh_event_docs: set[str] = set()

    by_doc = {x.doc_id: x for x in extractions}

    def take(block: Block, context: list[Any], resolve: Callable[[Block, str], Resolved],
             key: str | None = None) -> Resolved:
        key = key or fingerprint(block, context, digests)
        result = stored.get(key)
        if result is None:  # the resolver reads the members it needs (read_members): those a change left unread
            result = resolve(block, key)
            result.order = [m.id for m in block.members]
            fresh.add(key)
            if block.stage == "event":
                fresh_event_docs.update(block.docs)
        done.append(result)
        block.kept = result.fingerprint  # what a later round finds it by (``KeyIndex.parts``)
        return result

    # A stored block that new documents only grew (their records after its members, its own documents as they
    # were) is resolved on from its records rather than from all its members again: a country's block holds its
    # mentions in half the store, the block of the figure "1" hundreds of figures (``grown``).
    first_of = {r.order[0]: r for r in stored.values() if r.order and r.stage in ("actor", "claim")}

    def grown(block: Block, context: Callable[[Block], list[Any]]) -> Resolved | None:
        """The stored block ``block``'s members begin with, where the rest came after them."""
        before = first_of.get(block.members[0].id) if block.members else None
        if before is None or before.stage != block.stage or len(before.order) >= len(block.members):
            return None
        prefix = Block(block.stage, block.members[:len(before.order)])
        if [m.id for m in prefix.members] != before.order or \
                fingerprint(prefix, context(prefix), digests) != before.fingerprint:
            return None
        return before

    def actors_of(block: Block, key: str) -> Resolved:
        before = grown(block, lambda _: [])
        return (before and _grow_country(block, before, key, by_doc)) or \
            _resolve_actors(read_members(block, by_doc), key)

    def figures_of(block: Block, key: str) -> Resolved:
        return _resolve_claims(block, key, by_id, copies, by_doc,
                               grown(block, lambda b: figure_context(b.docs, by_id, copies)))

    # An untouched block of actors reads nothing but its members, so it keeps the fingerprint it was stored
    # under while the resolution code is the same: the first one's fingerprint, worked out, says whether it is.
    same_rules: bool | None = None
    actor_of: dict[str, str] = {}  # per-document actor id -> corpus actor id
    event_of: dict[str, str] = {}
    if settled is not None:
        done += settled.blocks
        fresh |= settled.fresh
        fresh_event_docs |= settled.fresh_event_docs
        actor_of, event_of = settled.actor_of, settled.event_of
    for block in blocks["actor"] if settled is None else []:
        if block.kept is not None and same_rules is None:
            same_rules = fingerprint(block, [], digests) == block.kept
        key = block.kept if block.kept is not None and same_rules else None
        actor_of.update(take(block, [], actors_of, key).members)
    for block in blocks["event"] if settled is None else []:
        # Episodes link on shared people: the block reads its events (never left unread) with their corpus actors,
        # which the fingerprint reads; only a block resolved afresh needs the events rewritten with them.
        actors = [_remap(e.actors, actor_of) for e in block.members]
        context = [*document_context(block.docs, by_id, copies), actors]
        event_of.update(take(block, context, partial(_resolve_events, documents=by_id, copies=copies,
                                                     actors=actors)).members)
    commitments: list[Commitment] = []
    remarked: set[str] = set()
    relied: set[str] = set()
    if figures:
        for block in blocks["claim"]:
            take(block, figure_context(block.docs, by_id, copies), figures_of)
        taken = {r.fingerprint for r in done if r.stage == "claim"}
        gone = [r for r in stored.values() if r.stage == "claim" and r.fingerprint not in taken]
        done, remarked = mark_figures(done, fresh, gone, copies)
        relied = (taken - fresh) | {r.fingerprint for r in gone}
        commitments = [replace(c, actors=_remap(c.actors, actor_of), event=event_of.get(c.event or "", c.event))
                       for x in extractions for c in x.commitments]
        newest = max((d.published.end for d in documents if d.published), default=None)
        commitments = merge_commitments(commitments, newest)
        _assign_ids(commitments, "c-")
    pledged = {a for c in commitments for a in c.actors}
    records: dict[str, list[Any]] = {stage: [] for stage in STAGES}
    for result in done:
        if result.stage != "actor" or (figures and (all_actors or not pledged.isdisjoint(result.members.values()))):
            records[result.stage] += result.records
    corpus = Corpus(documents=sorted(documents, key=lambda d: d.source), actors=records["actor"],
                    events=records["event"], commitments=commitments, claims=records["claim"])
    unresolved: list[Resolved] = []
    for block in [] if figures else blocks["claim"]:
        block.kept = f"unresolved|{block.members[0].id}"
        unresolved.append(Resolved("claim", block.kept, [], {}, [m.id for m in block.members]))
    return Resolution(corpus, done, fresh, fresh_event_docs, rows,
                      {d.id: (digests.get(d.id, ""), copies.get(d.id)) for d in documents}, parts=blocks,
                      actor_of=actor_of, event_of=event_of, unresolved=unresolved, remarked=remarked,
                      relied=relied)


# The stored extractions must stay as extracted. merge_actors and merge_claims build new records from the
# members' (actors: _combine; claims: a copy per merged figure), so they read the members themselves; episodes
# are merged in place, so their block works on copies.

def _resolve_actors(block: Block, key: str) -> Resolved:
    actors, head_of = merge_actors([Extraction(doc_id="", actors=block.members)])
    final = _assign_ids(actors, "a-")
    return Resolved("actor", key, actors, {m: final[h] for m, h in head_of.items()})


def _grow_country(block: Block, before: Resolved, key: str, extractions: dict[str, Extraction]) -> Resolved | None:
    """A country's block grown by new documents' mentions of it (``before``: its stored block): its one record
    combined with the new members, as combining every member gives (the first member's name, then each one's
    countries, aliases and mentions in turn). None where the block is not one country's."""
    if len(before.records) != 1 or before.records[0].kind != "country":
        return None
    head, *new = read_members(Block("actor", [block.members[0], *block.members[len(before.order):]]),
                              extractions).members
    actor = grown_country(before.records[0], head, new)
    if actor is None:
        return None
    _assign_ids([actor], "a-")
    return Resolved("actor", key, [actor], {m.id: actor.id for m in block.members})


def _resolve_events(block: Block, key: str, documents: dict[str, Document], copies: dict[str, str],
                    actors: list[list[str]]) -> Resolved:
    """``actors``: each member's people as corpus actors (``_remap``), which the episodes take in its place."""
    mine = {d: documents[d] for d in block.docs if d in documents}
    members = copy.deepcopy(block.members)
    for e, a in zip(members, actors, strict=True):
        e.actors = list(a)
    episodes, episode_of = merge_events(members, mine, copies)
    final = _assign_ids(episodes, "e-")
    return Resolved("event", key, episodes, {m: final[e] for m, e in episode_of.items()})


def _resolve_claims(block: Block, key: str, documents: dict[str, Document], copies: dict[str, str],
                    extractions: dict[str, Extraction], before: Resolved | None = None) -> Resolved:
    """``before``: the stored block this one grew from (``grown``): merging, first come first served, goes on
    from its figures as merging its members left them, with the members after them."""
    merged = None if before is None else [replace(c, mentions=list(c.mentions), countries=list(c.countries),
                                                  attributes=dict(c.attributes)) for c in before.own_records()]
    rest = block if before is None else Block("claim", block.members[len(before.order):])
    claims = merge_figures(read_members(rest, extractions).members, documents, copies, merged)
    _assign_ids(claims, "k-")
    return Resolved("claim", key, claims, {})


def mark_figures(results: list[Resolved], fresh: set[str], gone: list[Resolved], copies: dict[str, str],
                 ) -> tuple[list[Resolved], set[str]]:
    """The blocks of figures marked together (``corroboration.mark_claims``): which figures contradict each
    other, or share a passage, is read across blocks (and across every unit).

    A block taken as stored holds its records as last marked, so only what the blocks resolved afresh
    (``fresh``) and the stored blocks no longer there (``gone``) can touch is compared again. Returns
    ``results`` with each stored block of figures holding records of its own, marked anew (those of a stored
    block are not changed in place: they may be another resolution's), and the fingerprints of the stored blocks
    whose marks changed.
    """
    figures = [r for r in results if r.stage == "claim"]
    # A block merged again mostly gives the records it gave before: such a record is as a stored one, and its
    # former self neither changed nor gone.
    was = {c.id: c for r in gone for c in r.records}
    claims: list[Claim] = []
    changed: set[int] = set()
    conflicting: set[int] = set()
    marks: list[str] = []  # each figure's corroboration as stored
    spans: list[tuple[int, int]] = []  # where each block's figures lie in ``claims``
    for r in figures:
        start = len(claims)
        stored = r.fingerprint not in fresh
        for c in r.own_records() if stored else r.records:  # a block merged just now: its records are its own
            marks.append(c.corroboration)
            if stored:
                if c.corroboration == "conflicting":
                    conflicting.add(len(claims))
                c.corroboration = initial(c)
            elif (before := was.get(c.id)) is not None and replace(before, corroboration=initial(before)) == c:
                del was[c.id]
                if before.corroboration == "conflicting":
                    conflicting.add(len(claims))
            else:
                changed.add(len(claims))
            claims.append(c)
        spans.append((start, len(claims)))
    stored_any = len(changed) < len(claims) or was
    mark_claims(claims, copies, changed if stored_any else None, conflicting, list(was.values()))
    out: dict[int, Resolved] = {}
    remarked: set[str] = set()
    for r, (start, end) in zip(figures, spans, strict=True):
        if r.fingerprint in fresh:
            continue
        out[id(r)] = Resolved(r.stage, r.fingerprint, claims[start:end], r.members, r.order)
        if any(c.corroboration != mark for c, mark in zip(claims[start:end], marks[start:end], strict=True)):
            remarked.add(r.fingerprint)
    return [out.get(id(r), r) for r in results], remarked
