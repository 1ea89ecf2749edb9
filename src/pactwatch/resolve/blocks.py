"""Blocks: the corpus cut into parts that resolve independently of each other.

A block holds the per-document records of one stage (actors, events, claims)
that can affect each other's resolution; records of two blocks never can. Each
record gets keys (``record_keys``) that every record it could merge with,
link to or be compared with shares: an event's type with each of its countries,
its session, the sentence a copy repeats; a claim's unit and value band
(which figures contradict each other, read across blocks, is marked after:
``resolve.mark_figures``). People are linked by the comparisons their
merging makes (``resolve.actors.person_links``), not by any shared word: in
news nearly every name shares one with another. Records sharing a key or a link are one block
(``partition``: the connected parts of that graph), so resolving each block
alone gives what resolving the whole corpus at once would.

A block's result depends only on its members and what they read (their
documents' dates and outlets, the copies among them, the actors their events
name), and ``fingerprint`` hashes exactly that: a block whose fingerprint is
already stored is taken as stored, so adding documents resolves again only
the blocks they touch, and a full rebuild is the same code with nothing stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from pactwatch.digests import source_digest
from pactwatch.models import (
    DIGEST_CHARS,
    Actor,
    Claim,
    Document,
    Event,
    Extraction,
    Mention,
    Record,
    actor_from_dict,
    claim_from_dict,
    event_from_dict,
)
from pactwatch.resolve.actors import body_key, person_index_keys, person_links, person_sought_keys
from pactwatch.resolve.corroboration import value_band
from pactwatch.text import fold

STAGES: tuple[str, ...] = ("actor", "event", "claim")  # commitments are judged against everything: one block


@dataclass
class Block:
    """The per-document records of one stage that resolve together, in corpus order."""

    stage: str
    members: list[Any] = field(default_factory=list)  # Actor | Event | Claim, as extracted
    kept: str | None = None  # the fingerprint it was stored (or resolved) under, while no change touches it

    @property
    def docs(self) -> list[str]:
        return sorted({doc_of(m) for m in self.members})


@dataclass
class Resolved:
    """A block's resolved records, and which record each member went into (member id -> record id)."""

    stage: str
    fingerprint: str
    records: list[Any]
    members: dict[str, str]
    order: list[str] = field(default_factory=list)  # the block's member ids in corpus order: the partition, kept

    def own_records(self) -> list[Any]:
        """The records, each a copy the caller may change (the lists in it are shared)."""
        return [replace(r) for r in self.records]


_FROM_DICT: dict[str, Callable[[dict[str, Any]], Any]] = {
    "actor": actor_from_dict, "event": event_from_dict, "claim": claim_from_dict}


class StoredResolved(Resolved):
    """A block as a store keeps it, its records read and built when first asked for: a rebuild after new
    documents reads every block's members, but the records of few (most blocks are people no one judges)."""

    _load: Callable[[], list[dict[str, Any]]]

    @classmethod
    def of(cls, stage: str, fingerprint: str, head: dict[str, Any],
           load: Callable[[], list[dict[str, Any]]]) -> StoredResolved:
        """``head``: the block's ``members`` and ``order``; ``load`` reads its records (``record_to_dict``)."""
        r = cls.__new__(cls)
        r.stage, r.fingerprint, r.members, r.order, r._load = stage, fingerprint, head["members"], head["order"], load
        return r

    def own_records(self) -> list[Any]:
        """The records: built anew from the stored ones where they are not built yet."""
        return super().own_records() if "records" in self.__dict__ else \
            [_FROM_DICT[self.stage](r) for r in self._load()]

    def __getattr__(self, name: str) -> Any:  # only called while the records are not built
        load = self.__dict__.get("_load")
        if name != "records" or load is None:
            raise AttributeError(name)
        self.records = [_FROM_DICT[self.stage](r) for r in load()]
        return self.records


@dataclass
class KeyIndex:
    """A partition (its blocks, by fingerprint), its records found by key as a store keeps them (``index_keys``
    of every record), and the state each document was partitioned in: what ``repartition`` starts from."""

    blocks: dict[str, Resolved]
    rows_with: Callable[[set[str]], list[tuple[str, str]]]  # index keys -> the (record, key) rows holding them
    documents: dict[str, tuple[str, str | None]]  # document -> (extraction digest, the original it copies)
    # Narrower questions a store answers faster (else ``rows_with`` answers them): index keys -> the records
    # holding any; -> one (record, key) row for each key held (a block key's holders all lie in one block).
    records_with: Callable[[set[str]], set[str]] | None = None
    a_row_with: Callable[[set[str]], list[tuple[str, str]]] | None = None
    # The partition's blocks themselves, by stage in corpus order, each ``kept`` under its fingerprint in
    # ``blocks``: where an earlier round of one rebuild made them, so the next takes the untouched ones as they
    # are rather than reading every document for them again (``repartition``).
    parts: dict[str, list[Block]] | None = None

    def holders(self, keys: set[str]) -> set[str]:
        return self.records_with(keys) if self.records_with else {r for r, _ in self.rows_with(keys)}

    def a_holder_each(self, keys: set[str]) -> list[tuple[str, str]]:
        return self.a_row_with(keys) if self.a_row_with else list({k: (r, k) for r, k in self.rows_with(keys)}.values())

    def after(self, blocks: list[Resolved], rows: dict[str, list[tuple[str, str]]],
              documents: dict[str, tuple[str, str | None]], parts: dict[str, list[Block]] | None = None,
              ) -> KeyIndex:
        """The index of a later partition: its ``blocks``, with the (record, key) rows of the documents
        partitioned since (in place of the rows they had) and every document's state then; ``parts``: the
        blocks themselves (see ``parts``)."""
        held: dict[str, list[tuple[str, str]]] = {}
        for found in rows.values():
            for record, key in found:
                held.setdefault(key, []).append((record, key))

        def current(found: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:  # not of a document partitioned since
            return [row for row in found if doc_of_id(row[0]) not in rows]

        def rows_with(keys: set[str]) -> list[tuple[str, str]]:
            return current(self.rows_with(keys)) + [row for k in keys for row in held.get(k, ())]

        def records_with(keys: set[str]) -> set[str]:
            return {r for r, _ in current((r, "") for r in self.holders(keys))} | \
                {r for k in keys for r, _ in held.get(k, ())}

        def a_row_with(keys: set[str]) -> list[tuple[str, str]]:
            one = {k: held[k][0] for k in keys if k in held}
            saved = self.a_holder_each(keys - one.keys())
            one.update((k, (r, k)) for r, k in current(saved))
            # A key whose one saved holder was partitioned since may have others: those are asked for.
            one.update((k, (r, k)) for r, k in current(self.rows_with({k for _, k in saved} - one.keys())))
            return list(one.values())

        return KeyIndex({b.fingerprint: b for b in blocks}, rows_with, documents, records_with, a_row_with, parts)


class Unread(NamedTuple):  # a tuple: a rebuild makes one for each of tens of thousands of stored records
    """A member of a block no changed document touches, known by its id alone: such a block is taken as stored
    (its fingerprint reads only its members' ids), so its document's records need not be built. Where it is
    not stored after all, ``resolve_blocks`` reads the records before resolving it."""

    id: str
    mentions: tuple[Mention, ...] = ()


_FIELDS = {"actor": "actors", "event": "events", "claim": "claims"}  # the Extraction list of each stage


def read_members(block: Block, extractions: dict[str, Extraction]) -> Block:
    """``block`` with every ``Unread`` member replaced by its record, read from its document's extraction."""
    if not any(isinstance(m, Unread) for m in block.members):
        return block
    name = _FIELDS[block.stage]
    at: dict[str, dict[str, int]] = {}  # each document's records of the stage: id -> position
    # Only the members are built, not every record of their documents (a block of people meets the countries).

    def read(member: Unread) -> Any:
        x = extractions[doc_of(member)]
        if x.doc_id not in at:
            at[x.doc_id] = {rid: n for n, rid in enumerate(x.ids(name))}
        return x.record(name, at[x.doc_id][member.id])

    return Block(block.stage, [read(m) if isinstance(m, Unread) else m for m in block.members])


def doc_of(record: Record | Unread) -> str:
    """The document a per-document record (or a member left unread) was drawn from."""
    return record.mentions[0].doc if record.mentions else doc_of_id(record.id)


def doc_of_id(record_id: str) -> str:
    return record_id.split(":")[0]  # per-document records are numbered within their document: "doc:a3"


def _spans(kind: str, mentions: Iterable[Mention]) -> set[str]:
    # Two records of a kind with the same earliest mention get their ids told apart in one pass: one block.
    return {f"span|{kind}|{m.doc}|{m.start}|{m.end}" for m in mentions}


def actor_keys(actor: Actor) -> set[str]:
    """Keys shared by every actor this one may be merged with (resolve.actors)."""
    keys = _spans(actor.kind, actor.mentions)
    if actor.kind == "country":  # people are linked by person_links, not keys
        keys.add(f"c|{actor.countries[0] if actor.countries else actor.name}")
    elif actor.kind == "organization":
        keys |= {f"o|{fold(n)}" for n in (actor.name, *actor.aliases) if fold(n)}
    elif actor.kind == "body":
        keys.add(f"b|{body_key(actor)}")
    return keys


def event_keys(event: Event, copies: dict[str, str]) -> set[str]:
    """Keys shared by every event this one may be joined with into an episode (resolve.episodes)."""
    keys = _spans(event.type, event.mentions)
    # Groups join only when their countries fit, which needs a country in common (or none on either side).
    keys |= {f"t|{event.type}|{c}" for c in event.countries} or {f"t|{event.type}|"}
    if session := event.attributes.get("session"):
        keys.add(f"session|{session}")  # one sitting dates every report of it, whatever the type
    if event.mentions:  # a copy's sentence takes its original's reading
        doc = doc_of(event)
        keys.add(f"text|{event.type}|{copies.get(doc, doc)}|{fold(event.mentions[0].quote)}")
    return keys


def claim_keys(claim: Claim) -> set[str]:
    """Keys shared by every claim this one may merge with: those of its unit in its value band or the next
    (``corroboration.value_band``: a figure merges only with one of its band or of one beside it). Which
    figures contradict each other, or share a passage, is marked across blocks (``corroboration.mark_claims``):
    by those alone every figure of a unit, and most of the corpus's, would be one block."""
    unit, sign, band = value_band(claim)
    return _spans("claim", claim.mentions) | {f"v|{unit}|{sign}|{band}", f"v|{unit}|{sign}|{band + 1}"}


_KEYS: dict[str, Callable[[Any, dict[str, str]], set[str]]] = {
    "actor": lambda a, _: actor_keys(a), "event": event_keys, "claim": lambda c, _: claim_keys(c)}
# The stages whose block keys read the copies (``_KEYS``): a new original changes only their partition (the
# others' fingerprints still read the copies, so their blocks are resolved again all the same).
_KEYED_BY_COPIES = frozenset({"event"})


def record_keys(extraction: Extraction, copies: dict[str, str]) -> dict[str, list[tuple[Any, set[str]]]]:
    """Each record of one document's extraction with its block keys, by stage."""
    return {"actor": [(a, actor_keys(a)) for a in extraction.actors],
            "event": [(e, event_keys(e, copies)) for e in extraction.events],
            "claim": [(c, claim_keys(c)) for c in extraction.claims]}


def partition(extractions: list[Extraction], copies: dict[str, str]) -> dict[str, list[Block]]:
    """The blocks of each stage: records joined by shared keys, blocks and members in corpus order."""
    return partition_indexed(extractions, copies)[0]


def partition_indexed(extractions: list[Extraction], copies: dict[str, str],
                      ) -> tuple[dict[str, list[Block]], dict[str, list[tuple[str, str]]]]:
    """``partition``, and the (record, key) rows a ``KeyIndex`` finds its records by, by document."""
    keyed: dict[str, list[tuple[Any, set[str]]]] = {stage: [] for stage in STAGES}
    rows: dict[str, list[tuple[str, str]]] = {}
    for x in extractions:
        held = rows.setdefault(x.doc_id, [])
        for stage, found in record_keys(x, copies).items():
            keyed[stage] += found
            held += [(r.id, k) for r, keys in found for k in index_keys(stage, r, keys)]
    return _blocks(keyed), rows


def index_keys(stage: str, record: Any, keys: set[str]) -> set[str]:
    """What finds a record's block again (``KeyIndex``): its block ``keys``, its document (with its stage), and for
    a person the keys it holds for the links it may take part in (``person_index_keys``)."""
    out = keys | {f"doc|{stage}|{doc_of(record)}"}
    return out | person_index_keys(record) if stage == "actor" and record.kind == "person" else out


def sought_keys(stage: str, record: Any, keys: set[str]) -> set[str]:
    """The index keys of the records a changed one may join: its block ``keys``, and for a person those of every
    name it may be linked to (``person_sought_keys``)."""
    return keys | person_sought_keys(record) if stage == "actor" and record.kind == "person" else keys


def repartition(extractions: list[Extraction], copies: dict[str, str], digests: dict[str, str], index: KeyIndex,
                ) -> tuple[dict[str, list[Block]], dict[str, list[tuple[str, str]]]] | None:
    """``partition``'s blocks, found from the last partition (``index``) and the documents changed since (new,
    extracted again, or copying another original): the blocks that share an index key with their records, or
    hold one of their former records, are partitioned again with them; every other block is as it was, since
    nothing changed can join it. Also the (record, key) rows of the changed documents, by document. None where
    the last partition was not kept with its members (a store from before): ``partition`` must do.
    """
    previous = index.blocks
    if not previous or not all(r.order for r in previous.values()):
        return None
    # A document changed for a stage where its records of that stage are not as they were partitioned
    # (``stage_digest``), or, for a stage whose keys read copies, the original it copies is not.
    changed: dict[str, set[str]] = {stage: set() for stage in STAGES}
    for x in extractions:
        was, now = index.documents.get(x.doc_id), (digests[x.doc_id], copies.get(x.doc_id))
        if was != now:
            for stage in STAGES:
                if was is None or (was[1] != now[1] and stage in _KEYED_BY_COPIES) \
                        or stage_digest(was[0], stage) != stage_digest(now[0], stage):
                    changed[stage].add(x.doc_id)
    block_of: dict[str, str] = {}
    for key, r in previous.items():
        block_of.update(dict.fromkeys(r.order, key))
    rows: dict[str, list[tuple[str, str]]] = {}
    shared: set[str] = set()  # the block keys of the changed documents' records
    # The blocks of a changed document's former records of the stage.
    probe = {f"doc|{stage}|{d}" for stage, docs in changed.items() for d in docs}
    for x in extractions:
        if any(x.doc_id in docs for docs in changed.values()):
            held = rows.setdefault(x.doc_id, [])  # its rows are written anew, every stage's
            for stage, records in record_keys(x, copies).items():
                held += [(r.id, k) for r, keys in records for k in index_keys(stage, r, keys)]
                if x.doc_id in changed[stage]:
                    for r, keys in records:
                        shared |= keys
                        probe |= sought_keys(stage, r, keys)
    # Found by a changed document or a name: a changed record's former block, or a person to link with.
    sought = {r for r in index.holders(probe - shared) if r in block_of}
    # Every record holding one block key lies in one block: one of them finds it (the others are many: a unit).
    found_by: dict[str, set[str]] = {}  # such a record -> the block keys of changed records it holds
    for holder, key in index.a_holder_each(probe & shared):
        if holder in block_of:
            found_by.setdefault(holder, set()).add(key)
    touched = {block_of[r] for r in (*sought, *found_by)}
    keyed: dict[str, list[tuple[Any, set[str]]]] = {stage: [] for stage in STAGES}
    # A touched block none of whose documents changed is still connected within, and joins only what shares a
    # key with it: the keys its members were found by (a person: those person_links follows, so it is read).
    # Its other members need neither their records nor their keys. One that held a changed record may fall
    # apart: its members are linked afresh.
    whole = {key for key in touched
             if not any(doc_of_id(m) in changed[previous[key].stage] for m in previous[key].order)}
    again = {m: key for key in touched for m in previous[key].order}
    fresh: dict[str, set[int]] = {stage: set() for stage in STAGES}
    intact: dict[str, dict[str, list[int]]] = {stage: {} for stage in STAGES}
    # From the blocks an earlier round of this rebuild made (``KeyIndex.parts``), only the documents changed or
    # holding a member of a touched block are read: every untouched block is taken as it is.
    parts = index.parts
    read = {doc_of_id(m) for m in again}.union(*changed.values())
    position: dict[str, int] = {}
    by_id: dict[str, Any] = {}  # the events of untouched blocks
    unread: set[str] = set()  # the people and figures of untouched blocks, left unread
    for x in extractions if parts is None else [x for x in extractions if x.doc_id in read]:
        for stage, name in _FIELDS.items():
            ids = x.ids(name)
            if parts is None:
                position.update(zip(ids, range(len(position), len(position) + len(ids)), strict=True))
            # Events are read whole (an episode's fingerprint reads its people); of the rest only what is redone.
            renewed = x.doc_id in changed[stage]
            if not renewed and again.keys().isdisjoint(ids):  # most documents: in untouched blocks only
                if parts is None and stage == "event":
                    by_id.update(zip(ids, getattr(x, name), strict=True))
                elif parts is None:
                    unread.update(ids)
                continue
            built: list[Any] | None = getattr(x, name) if stage == "event" or renewed else None
            for n, rid in enumerate(ids):
                if renewed or rid in again:
                    if again.get(rid) in whole and not renewed:
                        intact[stage].setdefault(again[rid], []).append(len(keyed[stage]))
                        record = built[n] if built is not None else x.record(name, n) if rid in sought else Unread(rid)
                        keyed[stage].append((record, found_by.get(rid, set())))
                    else:
                        fresh[stage].add(len(keyed[stage]))
                        record = built[n] if built is not None else x.record(name, n)
                        keyed[stage].append((record, _KEYS[stage](record, copies)))
                elif parts is not None:
                    continue
                elif built is not None:
                    by_id[rid] = built[n]
                else:
                    unread.add(rid)
    blocks = _blocks(keyed, fresh, {stage: list(found.values()) for stage, found in intact.items()})
    if parts is not None:
        return _with_untouched(blocks, parts, touched, extractions), rows
    try:
        for key, kept in previous.items():
            if key in touched:
                continue
            if kept.stage == "event":
                members = [by_id.pop(m) for m in kept.order]
            elif unread.issuperset(kept.order):
                unread.difference_update(kept.order)
                members = [Unread(m) for m in kept.order]
            else:
                raise KeyError(key)
            blocks[kept.stage].append(Block(kept.stage, members, key))
    except KeyError:  # a member gone though its document did not change: not the partition it claims to be
        return None
    if by_id or unread:  # a record in no block: the same
        return None
    for stage_blocks in blocks.values():
        stage_blocks.sort(key=lambda b: position[b.members[0].id])
    return blocks, rows


def _with_untouched(blocks: dict[str, list[Block]], parts: dict[str, list[Block]], touched: set[str],
                    extractions: list[Extraction]) -> dict[str, list[Block]]:
    """The blocks partitioned again with every block of ``parts`` no change touched, in corpus order."""
    rank = {x.doc_id: k for k, x in enumerate(extractions)}
    by_doc = {x.doc_id: x for x in extractions}

    def place(stage: str, record_id: str) -> tuple[int, int]:  # where a record stands in corpus order
        doc = doc_of_id(record_id)
        return rank[doc], by_doc[doc].ids(_FIELDS[stage]).index(record_id)

    for stage, kept in parts.items():
        blocks[stage] += [b for b in kept if b.kept not in touched]
        first = {id(b): place(stage, b.members[0].id) for b in blocks[stage]}
        blocks[stage].sort(key=lambda b: first[id(b)])
    return blocks


def _blocks(keyed: dict[str, list[tuple[Any, set[str]]]], fresh: dict[str, set[int]] | None = None,
            intact: dict[str, list[list[int]]] | None = None) -> dict[str, list[Block]]:
    """The connected parts of each stage's records, joined by shared keys and (people) ``person_links``.

    ``intact``: groups of records (positions in ``keyed``) known to be connected; then only the links of the
    ``fresh`` records are looked for.
    """
    people = [n for n, (a, _) in enumerate(keyed["actor"]) if getattr(a, "kind", None) == "person"]
    new = None if fresh is None else {k for k, n in enumerate(people) if n in fresh["actor"]}
    linked = [(people[i], people[j]) for i, j in person_links([keyed["actor"][n][0] for n in people], new)]
    for group in (intact or {}).get("actor", []):
        linked += [(group[0], n) for n in group[1:]]
    return {stage: _components(stage, found, linked if stage == "actor" else
                               [(g[0], n) for g in (intact or {}).get(stage, []) for n in g[1:]])
            for stage, found in keyed.items()}


def _components(stage: str, keyed: list[tuple[Any, set[str]]], links: list[tuple[int, int]]) -> list[Block]:
    parent = list(range(len(keyed)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    first: dict[str, int] = {}
    for i, (_, keys) in enumerate(keyed):
        for key in keys:
            union(i, first.setdefault(key, i))
    for i, j in links:
        union(i, j)
    blocks: dict[int, Block] = {}
    for i, (record, _) in enumerate(keyed):
        blocks.setdefault(root(i), Block(stage)).members.append(record)
    return list(blocks.values())


def fingerprint(block: Block, context: Iterable[Any], digests: dict[str, str]) -> str:
    """A hash of everything the block's resolution reads: its members (each by its id and the digest of its
    document's records of the block's stage: ``stage_digest``), what ``context`` says they depend on, and the
    resolution code itself."""
    part = _part(block.stage)
    payload = [RULES, block.stage, [(m.id, digests.get(doc_of(m), "")[part]) for m in block.members], list(context)]
    return hashlib.sha1(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def stage_digest(digest: str, stage: str) -> str:
    """The part of an ``extraction_digest`` that digests a document's records of one stage."""
    return digest[_part(stage)]


def _part(stage: str) -> slice:
    n = STAGES.index(stage)  # models.DIGESTED lists the stages' records in this order
    return slice(DIGEST_CHARS * n, DIGEST_CHARS * (n + 1))


# What resolution runs: the resolvers and the helpers they call, with the data files those read.
RULE_FILES = ("resolve/*.py", "extract/actors.py", "text.py", "countries.py", "dates.py", "models.py", "data/*")


RULES = source_digest(RULE_FILES)  # blocks resolved by other rules are resolved again


def document_context(docs: Iterable[str], documents: dict[str, Document], copies: dict[str, str],
                     read: Callable[[Document], tuple[Any, ...]] | None = None) -> list[tuple[Any, ...]]:
    """What resolution reads of a block's documents (and of the originals they copy): by default the source,
    outlet and publication date; ``read`` says what else."""
    read = read or (lambda d: (d.source, d.outlet, d.published, d.published_source))
    out = []
    for doc_id in docs:
        for d in dict.fromkeys((doc_id, copies.get(doc_id, doc_id))):
            document = documents.get(d)
            if document is not None:
                out.append((d, *read(document), copies.get(d)))
    return out


def figure_context(docs: Iterable[str], documents: dict[str, Document], copies: dict[str, str],
                   ) -> list[tuple[Any, ...]]:
    """What merging figures reads of a block's documents: outlets and copies (``corroboration.merge_claims``),
    not dates, so a publication date inferred anew for one of them leaves a block of figures as it was."""
    return document_context(docs, documents, copies, lambda d: (d.outlet,))
