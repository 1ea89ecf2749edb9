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
from typing import Any, NamedTuple

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
from pactwatch.resolve.actors import merge_actors
from pactwatch.resolve.blocks import (
    STAGES,
    Block,
    KeyIndex,
    Resolved,
    Unread,
    doc_of,
    doc_of_id,
    document_context,
    figure_context,
    fingerprint,
    partition_indexed,
    read_members,
    repartition,
    stage_digest,
)
from pactwatch.resolve.commitments import merge_commitments
from pactwatch.resolve.copies import copy_groups, originals
from pactwatch.resolve.corroboration import merge_claims, value_band
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


def resolve_corpus(documents: list[Document], extractions: list[Extraction]) -> Corpus:
    """The corpus record: one actor, episode, commitment and claim per real-world thing."""
    return resolve_blocks(documents, extractions).corpus


def resolve_blocks(documents: list[Document], extractions: list[Extraction],
                   stored: dict[str, Resolved] | None = None, digests: dict[str, str] | None = None,
                   index: KeyIndex | None = None, groups: list[set[str]] | None = None,
                   all_actors: bool = True, figures: bool = True, settled: Resolution | None = None,
                   resolved_with: dict[str, str] | None = None) -> Resolution:
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
    ``resolved_with``: the extraction digest of each document as the stored blocks were resolved (the store's
    last partition), so a block of figures some of whose documents were extracted again since can go on from
    its stored merge (``_grown_from``).
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
        if result is None:  # the resolver reads the members it needs (read_members): a grown block, the new ones
            result = resolve(block, key)
            result.order = [m.id for m in block.members]
            fresh.add(key)
            if block.stage == "event":
                fresh_event_docs.update(block.docs)
        done.append(result)
        return result

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
        actor_of.update(take(block, [], lambda b, k: _resolve_actors(read_members(b, by_doc), k), key).members)
    for block in blocks["event"] if settled is None else []:
        # Episodes link on shared people: the block reads its events (never left unread) with their corpus actors.
        named = Block("event", [replace(e, actors=_remap(e.actors, actor_of)) for e in block.members])
        context = [*document_context(block.docs, by_id, copies), [e.actors for e in named.members]]
        event_of.update(take(named, context, lambda b, key: _resolve_events(b, key, by_id, copies)).members)
    commitments: list[Commitment] = []
    if figures:
        # A block of figures resolved again goes on from a stored merge where it can (corroboration.merge_claims);
        # which one is sought only then, not for the blocks taken as stored.
        owner = {m: r for r in stored.values() if r.stage == "claim" for m in r.order}
        for block in blocks["claim"]:
            take(block, figure_context(block.docs, by_id, copies),
                 lambda b, key: _resolve_claims(b, key, by_id, copies, by_doc, _grown_from(
                     b, owner, by_id, copies, digests, resolved_with or digests)))
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
    unresolved = [] if figures else [Resolved("claim", f"unresolved|{b.members[0].id}", [], {},
                                              [m.id for m in b.members]) for b in blocks["claim"]]
    return Resolution(corpus, done, fresh, fresh_event_docs, rows,
                      {d.id: (digests.get(d.id, ""), copies.get(d.id)) for d in documents}, parts=blocks,
                      actor_of=actor_of, event_of=event_of, unresolved=unresolved)


# The stored extractions must stay as extracted. merge_actors and merge_claims build new records from the
# members' (actors: _combine; claims: a copy per merged figure), so they read the members themselves; episodes
# are merged in place, so their block works on copies.

def _resolve_actors(block: Block, key: str) -> Resolved:
    actors, head_of = merge_actors([Extraction(doc_id="", actors=block.members)])
    final = _assign_ids(actors, "a-")
    return Resolved("actor", key, actors, {m: final[h] for m, h in head_of.items()})


def _resolve_events(block: Block, key: str, documents: dict[str, Document], copies: dict[str, str]) -> Resolved:
    mine = {d: documents[d] for d in block.docs if d in documents}
    episodes, episode_of = merge_events(copy.deepcopy(block.members), mine, copies)
    final = _assign_ids(episodes, "e-")
    return Resolved("event", key, episodes, {m: final[e] for m, e in episode_of.items()})


class Grown(NamedTuple):
    """A stored block of figures a block goes on from (``_grown_from``)."""

    before: Resolved
    recopied: set[str]  # its documents whose copy links differ now
    stale: set[str]  # its documents extracted again since, their figures changed


def _grown_from(block: Block, owner: dict[str, Resolved], documents: dict[str, Document], copies: dict[str, str],
                digests: dict[str, str], resolved_with: dict[str, str]) -> Grown | None:
    """The largest stored block of figures among ``block``'s members (``owner``: the stored block of figures of
    each member id), where its fingerprint says it was resolved from those members with the documents as
    they are and the extractions as they were (``resolved_with``: each document's digest then).

    The other members are new articles' (read after every stored one), another stored block's (joined to
    this one by a new article's passage), or those of its documents extracted again since: ``_merged_on``
    says whether the block can be merged on from it."""
    found = {owner[m.id].fingerprint: owner[m.id] for m in block.members if m.id in owner}
    if not found:
        return None
    previous = max(found.values(), key=lambda r: len(r.order))
    head = Block(block.stage, [Unread(m) for m in previous.order])
    if fingerprint(head, figure_context(head.docs, documents, previous.copies), resolved_with) \
            != previous.fingerprint:
        return None
    stale = {d for d in head.docs if stage_digest(resolved_with.get(d, ""), "claim")
             != stage_digest(digests.get(d, ""), "claim")}
    return Grown(previous, {d for d in head.docs if copies.get(d) != previous.copies.get(d)}, stale)


def _resolve_claims(block: Block, key: str, documents: dict[str, Document], copies: dict[str, str],
                    extractions: dict[str, Extraction], grown: Grown | None = None) -> Resolved:
    links = {d: copies[d] for d in block.docs if d in copies}
    claims = _merged_on(block, documents, copies, extractions, grown) if grown is not None else None
    if claims is None:
        claims = merge_claims(read_members(block, extractions).members, documents, copies)
        _assign_ids(claims, "k-")
    return Resolved("claim", key, claims, {}, copies=links)


def _merged_on(block: Block, documents: dict[str, Document], copies: dict[str, str],
               extractions: dict[str, Extraction], grown: Grown) -> list[Claim] | None:
    """The block's figures merged on from a stored merge of some of its members (``_grown_from``), those left
    unread; None where that would not give what merging them all at once gives.

    Merging is first come first served among figures of one unit whose values lie in neighbouring bands
    (``corroboration.value_band``), so runs of such values (``_value_runs``) merge apart from each other. The
    runs a document extracted again had or has figures in are merged again whole, from every member of theirs;
    the stored merge's records of the other runs stand, and the figures in those runs not in it must come after
    its last member. The records come out in another order than at once, which is no matter while no two share
    their earliest mention (their ids would be told apart by order). A record standing in a passage with one
    merged again, or that conflicted with one, is marked again (``corroboration.merge_claims``).
    """
    before, recopied, stale = grown
    mine = {m for m in before.order if doc_of_id(m) not in stale}
    records = before.records
    redated = read_members(Block(block.stage, [m for m in block.members if doc_of(m) in stale]), extractions).members
    added = read_members(Block(block.stage, [m for m in block.members if m.id not in mine
                                             and doc_of(m) not in stale]), extractions).members
    run = _value_runs(records, [*redated, *added])
    runs = {run(c) for c in records if not stale.isdisjoint(m.doc for m in c.mentions)} | {run(c) for c in redated}
    kept = [c for c in records if run(c) not in runs]
    gone = [c for c in records if run(c) in runs]
    again = {m.doc for c in gone for m in c.mentions} | stale
    position = {m.id: n for n, m in enumerate(block.members)}
    last = max((position[m] for m in mine if m in position), default=-1)
    others = read_members(Block(block.stage, [m for m in block.members if m.id in mine and doc_of(m) in again]),
                          extractions).members
    rest = sorted([*redated, *added, *(c for c in others if run(c) in runs)], key=lambda c: position[c.id])
    held = {run(c) for c in kept}
    if any(run(c) in held and position[c.id] < last for c in rest):
        return None  # a figure that would have been merged among the stored ones
    claims = merge_claims(rest, documents, copies, kept, recopied, gone)
    if gone or any(position[c.id] < last for c in rest):
        firsts = [min((m.doc, m.start, m.end) for m in c.mentions) for c in claims if c.mentions]
        if len(set(firsts)) < len(firsts):
            return None
    _assign_ids(claims, "k-")
    return claims


def _value_runs(records: list[Claim], claims: list[Claim]) -> Callable[[Claim], tuple[str, int, int]]:
    """Which run of neighbouring value bands a record or a figure is in (its unit, sign and first band), among
    the bands of ``claims`` and those the figures merged into ``records`` may be in (a record's band and the
    two beside it: a figure merges into a record of its own band or of one beside it)."""
    band_of = {id(c): value_band(c) for c in [*records, *claims]}
    taken: dict[tuple[str, int], set[int]] = {}
    for c in records:
        unit, sign, band = band_of[id(c)]
        taken.setdefault((unit, sign), set()).update((band - 1, band, band + 1))
    for c in claims:
        unit, sign, band = band_of[id(c)]
        taken.setdefault((unit, sign), set()).add(band)
    first: dict[tuple[str, int, int], tuple[str, int, int]] = {}
    for (unit, sign), bands in taken.items():
        start = 0
        for band in sorted(bands):
            if band - 1 not in bands:
                start = band
            first[(unit, sign, band)] = (unit, sign, start)
    return lambda c: first[band_of[id(c)] if id(c) in band_of else value_band(c)]
