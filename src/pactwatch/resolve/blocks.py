"""Blocks: the corpus cut into parts that resolve independently of each other.

A block holds the per-document records of one stage (actors, events, claims)
that can affect each other's resolution; records of two blocks never can. Each
record gets keys (``record_keys``) that every record it could merge with,
link to or be compared with shares: an event's type with each of its countries,
its session, the sentence a copy repeats; a claim's unit and the passages it
stands in. People are linked by the comparisons their merging makes
(``resolve.actors.person_links``), not by any shared word: in news nearly every
name shares one with another. Records sharing a key or a link are one block
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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pactwatch.models import Actor, Claim, Document, Event, Extraction, Mention, Record, record_to_dict
from pactwatch.resolve.actors import body_key, person_links
from pactwatch.resolve.corroboration import PASSAGE_CHARS
from pactwatch.text import fold

STAGES: tuple[str, ...] = ("actor", "event", "claim")  # commitments are judged against everything: one block


@dataclass
class Block:
    """The per-document records of one stage that resolve together, in corpus order."""

    stage: str
    members: list[Any] = field(default_factory=list)  # Actor | Event | Claim, as extracted

    @property
    def docs(self) -> list[str]:
        return sorted({_doc_of(m) for m in self.members})


@dataclass
class Resolved:
    """A block's resolved records, and which record each member went into (member id -> record id)."""

    stage: str
    fingerprint: str
    records: list[Any]
    members: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "fingerprint": self.fingerprint,
                "records": [record_to_dict(r) for r in self.records], "members": self.members}


def _doc_of(record: Record) -> str:
    return record.mentions[0].doc if record.mentions else record.id.split(":")[0]


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
        doc = _doc_of(event)
        keys.add(f"text|{event.type}|{copies.get(doc, doc)}|{fold(event.mentions[0].quote)}")
    return keys


def claim_keys(claim: Claim) -> set[str]:
    """Keys shared by every claim this one may merge with, contradict, or share a passage with."""
    keys = _spans("claim", claim.mentions) | {f"u|{claim.unit}"}
    for m in claim.mentions:  # figures within PASSAGE_CHARS of each other share one of these
        band = m.start // PASSAGE_CHARS
        keys |= {f"passage|{m.doc}|{band}", f"passage|{m.doc}|{band + 1}"}
    return keys


def record_keys(extraction: Extraction, copies: dict[str, str]) -> dict[str, list[tuple[Any, set[str]]]]:
    """Each record of one document's extraction with its block keys, by stage."""
    return {"actor": [(a, actor_keys(a)) for a in extraction.actors],
            "event": [(e, event_keys(e, copies)) for e in extraction.events],
            "claim": [(c, claim_keys(c)) for c in extraction.claims]}


def partition(extractions: list[Extraction], copies: dict[str, str]) -> dict[str, list[Block]]:
    """The blocks of each stage: records joined by shared keys, blocks and members in corpus order."""
    keyed: dict[str, list[tuple[Any, set[str]]]] = {stage: [] for stage in STAGES}
    for x in extractions:
        for stage, found in record_keys(x, copies).items():
            keyed[stage] += found
    people = [n for n, (a, _) in enumerate(keyed["actor"]) if a.kind == "person"]
    linked = [(people[i], people[j]) for i, j in person_links([keyed["actor"][n][0] for n in people])]
    return {stage: _components(stage, found, linked if stage == "actor" else []) for stage, found in keyed.items()}


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
    """A hash of everything the block's resolution reads: its members (each by its id and its document's
    extraction digest), what ``context`` says they depend on, and the resolution code itself."""
    payload = [RULES, block.stage, [(m.id, digests.get(_doc_of(m), "")) for m in block.members], list(context)]
    return hashlib.sha1(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def extraction_digest(extraction: Extraction) -> str:
    return hashlib.sha1(json.dumps(extraction.to_dict(), sort_keys=True).encode()).hexdigest()


# What resolution runs: the resolvers and the helpers they call, with the data files those read.
RULE_FILES = ("resolve/*.py", "extract/actors.py", "text.py", "countries.py", "dates.py", "models.py", "data/*")


def _rules_digest() -> str:
    """A digest of the resolution code and data: blocks resolved by other rules are resolved again."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha1()
    for path in sorted({p for pattern in RULE_FILES for p in root.glob(pattern) if p.is_file()}):
        digest.update(path.read_bytes())
    return digest.hexdigest()


RULES = _rules_digest()


def document_context(docs: Iterable[str], documents: dict[str, Document], copies: dict[str, str],
                     ) -> list[tuple[Any, ...]]:
    """What resolution reads of a block's documents (and of the originals they copy)."""
    out = []
    for doc_id in docs:
        for d in dict.fromkeys((doc_id, copies.get(doc_id, doc_id))):
            document = documents.get(d)
            if document is not None:
                out.append((d, document.source, document.outlet, document.published, document.published_source,
                            copies.get(d)))
    return out
