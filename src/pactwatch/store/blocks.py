"""The resolved record kept by block (resolve.blocks), so a rebuild rewrites only the blocks that changed.

``resolved_blocks`` holds each block's resolution under its fingerprint: which
record each per-document record went into (``head``) and its records
(``data``, read only where needed). A rebuild reads them back
(``resolved_blocks()``), resolves only blocks whose fingerprint is
not there, and ``save_resolution`` deletes the records of the blocks that are
gone and writes those of the new ones, in one transaction; commitments,
judged against the whole corpus, are replaced whole. ``resolved_documents``
lists the documents the last rebuild saw, so the next one knows which are new.
``block_index`` finds the records of the last partition by key and
``block_documents`` holds the state each document was partitioned in
(resolve.blocks.KeyIndex), so a rebuild partitions again only what changed.

``BlockTables`` is mixed into ``Store``: its methods are the store's, and all
of its SQL lives here.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from pactwatch.models import Corpus, Record, compact_json, extraction_digest, record_to_dict, stored_extraction
from pactwatch.store.statements import Statements

if TYPE_CHECKING:
    from pactwatch.resolve.blocks import Resolved
    from pactwatch.store.schema import Connection

_TABLES = {"actor": "actors", "event": "events", "claim": "claims", "commitment": "commitments"}
_CHUNK = 500  # ids per DELETE ... IN (...), well under any driver's parameter limit


class BlockGone(LookupError):
    """A stored block whose records were asked for is no longer stored: another rebuild saved since it was read."""


def block_tables(conn: Connection) -> None:
    """Each resolved block under its fingerprint, and the documents the last rebuild resolved."""
    conn.execute("CREATE TABLE resolved_blocks (fingerprint TEXT PRIMARY KEY, stage TEXT NOT NULL, "
                 "data TEXT NOT NULL)")
    conn.execute("CREATE TABLE resolved_documents (doc_id TEXT PRIMARY KEY)")


def block_index_tables(conn: Connection) -> None:
    """The partition's records by key, and each document's state when partitioned (resolve.blocks.KeyIndex).

    Blocks saved before kept no member list, so they are dropped: the next rebuild resolves everything once.
    """
    conn.execute("CREATE TABLE block_index (doc_id TEXT NOT NULL, record TEXT NOT NULL, key TEXT NOT NULL)")
    conn.execute("CREATE INDEX block_index_key ON block_index (key)")
    conn.execute("CREATE INDEX block_index_doc ON block_index (doc_id)")
    conn.execute("CREATE TABLE block_documents (doc_id TEXT PRIMARY KEY, digest TEXT NOT NULL, copy_of TEXT)")
    conn.execute("DELETE FROM resolved_blocks")


def block_heads(conn: Connection) -> None:
    """Each block's members and their order (``head``) apart from its records (``data``), so a rebuild reads the
    records of the few blocks it needs only. Blocks saved before are dropped: the next rebuild resolves
    everything once."""
    conn.execute("ALTER TABLE resolved_blocks ADD COLUMN head TEXT")
    conn.execute("DELETE FROM resolved_blocks")


def copy_index_tables(conn: Connection) -> None:
    """Each document's kept shingles (resolve.copies.CopyIndex), so a new document is compared only with the
    documents sharing some. The partition is dropped with them: the next rebuild indexes every document."""
    conn.execute("CREATE TABLE copy_shingles (doc_id TEXT NOT NULL, shingle INTEGER NOT NULL)")
    conn.execute("CREATE INDEX copy_shingles_shingle ON copy_shingles (shingle)")
    conn.execute("CREATE INDEX copy_shingles_doc ON copy_shingles (doc_id)")
    for table in ("resolved_blocks", "block_index", "block_documents"):
        conn.execute(f"DELETE FROM {table}")


def person_keys_by_holder(conn: Connection) -> None:
    """People are indexed by the keys they hold and found by those they seek (resolve.actors.person_sought_keys):
    the partition kept with the old keys is dropped, and the next rebuild indexes every document again."""
    for table in ("resolved_blocks", "block_index", "block_documents"):
        conn.execute(f"DELETE FROM {table}")


def stage_digests(conn: Connection) -> None:
    """Each extraction's digest kept with it, one part per stage (models.extraction_digest), so a block is resolved
    again only when its own stage's records change. The partition kept with the old digests is dropped."""
    conn.execute("ALTER TABLE extractions ADD COLUMN digest TEXT")
    for doc_id, data in conn.execute("SELECT doc_id, data FROM extractions").fetchall():
        conn.execute("UPDATE extractions SET digest = ? WHERE doc_id = ?",
                     (extraction_digest(json.loads(data)), doc_id))
    for table in ("resolved_blocks", "block_index", "block_documents"):
        conn.execute(f"DELETE FROM {table}")


def figure_blocks_by_value(conn: Connection) -> None:
    """Figures are cut into blocks by unit and value band, and marked across blocks (resolve.mark_figures): the
    partition kept with the old keys is dropped, and the next rebuild resolves everything once."""
    for table in ("resolved_blocks", "block_index", "block_documents"):
        conn.execute(f"DELETE FROM {table}")


def extraction_index(conn: Connection) -> None:
    """Each extraction kept with an index of where each of its records lies in its JSON (models.stored_extraction),
    so a rebuild decodes only the records it reads. The extractions are written again as that index reads them."""
    conn.execute("ALTER TABLE extractions ADD COLUMN record_index TEXT")
    for doc_id, data in conn.execute("SELECT doc_id, data FROM extractions").fetchall():
        written, index = stored_extraction(json.loads(data))
        conn.execute("UPDATE extractions SET data = ?, record_index = ? WHERE doc_id = ?",
                     (written, compact_json(index), doc_id))


class BlockTables(Statements):
    """The store's methods for the resolved record kept by block."""

    def _insert_resolved(self, records: list[tuple[str, Record]],
                         had: dict[tuple[str, str], Counter[tuple[str, int, int]]] | None = None,
                         written: dict[tuple[str, str], str] | None = None) -> None:
        raise NotImplementedError  # supplied by Store: resolved records (kind, record) with their columns and spans

    def resolved_blocks(self) -> dict[str, Resolved]:
        """Every block the last rebuild saved, by fingerprint. The records of figures are read with them: a
        rebuild marks every figure (resolve.mark_figures); the others only where needed."""
        from pactwatch.resolve.blocks import StoredResolved  # resolution loads the NLP stack: not on every open

        return {key: StoredResolved.of(stage, key, json.loads(head), partial(self._block_records, key)
                                       if data is None else partial(json.loads, data))
                for key, stage, head, data in self.execute(
                    "SELECT fingerprint, stage, head, CASE WHEN stage = 'claim' THEN data END FROM resolved_blocks")}

    def _block_records(self, fingerprint: str) -> list[dict[str, Any]]:
        row = self.execute("SELECT data FROM resolved_blocks WHERE fingerprint = ?", (fingerprint,)).fetchone()
        if row is None:
            raise BlockGone(f"block {fingerprint} was replaced while this rebuild read the store")
        records: list[dict[str, Any]] = json.loads(row[0])
        return records

    def _select_in(self, sql: str, values: set[str] | set[int]) -> Iterator[Any]:
        """The rows of ``sql``, whose ``{marks}`` is an IN list, for all of ``values``: _CHUNK at a time."""
        wanted: list[Any] = sorted(values)
        for n in range(0, len(wanted), _CHUNK):
            chunk = wanted[n:n + _CHUNK]
            yield from self.execute(sql.format(marks=", ".join("?" * len(chunk))), chunk)

    def rows_with(self, keys: set[str]) -> list[tuple[str, str]]:
        """The (record, key) rows of the last partition's index holding any of these keys."""
        return list(self._select_in("SELECT record, key FROM block_index WHERE key IN ({marks})", keys))

    def records_with(self, keys: set[str]) -> set[str]:
        """The ids of the records of the last partition holding any of these index keys."""
        return {r for (r,) in self._select_in("SELECT DISTINCT record FROM block_index WHERE key IN ({marks})", keys)}

    def a_row_with(self, keys: set[str]) -> list[tuple[str, str]]:
        """One (record, key) row of the last partition's index for each of these keys held at all."""
        return list(self._select_in("SELECT MIN(record), key FROM block_index WHERE key IN ({marks}) GROUP BY key",
                                    keys))

    def shingle_holders(self, shingles: set[int]) -> dict[int, set[str]]:
        """The documents indexed before that keep each of these shingles."""
        found: dict[int, set[str]] = {}
        for doc_id, shingle in self._select_in("SELECT doc_id, shingle FROM copy_shingles WHERE shingle IN ({marks})",
                                               shingles):
            found.setdefault(int(shingle), set()).add(doc_id)
        return found

    def shingles_of(self, doc_ids: set[str]) -> dict[str, set[int]]:
        """The shingles each of these documents keeps."""
        found: dict[str, set[int]] = {d: set() for d in doc_ids}
        for doc_id, shingle in self._select_in("SELECT doc_id, shingle FROM copy_shingles WHERE doc_id IN ({marks})",
                                               doc_ids):
            found[doc_id].add(int(shingle))
        return found

    def shingle_counts(self, doc_ids: set[str]) -> dict[str, int]:
        """How many shingles each of these documents keeps."""
        return {d: int(k) for d, k in self._select_in(
            "SELECT doc_id, count(*) FROM copy_shingles WHERE doc_id IN ({marks}) GROUP BY doc_id", doc_ids)}

    def partitioned_documents(self) -> dict[str, tuple[str, str | None]]:
        """Each document's (extraction digest, original it copies) when the last partition was made."""
        return {d: (digest, copy_of) for d, digest, copy_of in
                self.execute("SELECT doc_id, digest, copy_of FROM block_documents")}

    def extraction_digests(self, doc_id: str | None = None) -> dict[str, str]:
        """Each document's (or one's) extraction digest (models.extraction_digest), kept with it: block
        fingerprints are made of them, so a rebuild need not read every extraction's records to know which blocks
        are unchanged."""
        rows = (self.execute("SELECT doc_id, digest FROM extractions") if doc_id is None else
                self.execute("SELECT doc_id, digest FROM extractions WHERE doc_id = ?", (doc_id,)))
        return dict(rows)

    def unresolved_documents(self) -> set[str]:
        """Documents stored since the last rebuild (all of them in a store no rebuild has kept by block)."""
        rows = self.execute("SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM resolved_documents)")
        return {doc_id for (doc_id,) in rows}

    def save_resolution(self, corpus: Corpus, blocks: list[Resolved],
                        index_rows: dict[str, list[tuple[str, str]]] | None = None,
                        partitioned: dict[str, tuple[str, str | None]] | None = None,
                        shingled: dict[str, frozenset[int]] | None = None, remarked: set[str] | None = None,
                        relied: set[str] | None = None) -> None:
        """Store a rebuild's result: the records of blocks no longer there go, those of new blocks come, and
        the commitments are replaced; with the partition's index rows of the documents partitioned afresh
        (document -> (record, key)), every document's state as partitioned, and the shingles of the documents
        not seen before; all in one transaction. ``remarked``: stored blocks whose records changed though their
        members did not (figures marked anew: resolve.mark_figures), saved again; ``relied``: the stored blocks
        the result was worked out from, which must be stored still (else BlockGone: another rebuild saved since
        they were read, and this one must read again)."""
        wanted = {b.fingerprint: b for b in blocks}
        remarked = remarked or set()
        with self.transaction():
            had = {key: stage for key, stage in self.execute("SELECT fingerprint, stage FROM resolved_blocks")}
            if not (relied or set()) <= had.keys():
                raise BlockGone("a block this rebuild read was replaced while it ran")
            if not had:  # a record saved whole (save_corpus, or before blocks were kept): replace it whole
                for table in ("actors", "events", "claims", "block_index", "block_documents", "copy_shingles"):
                    self.execute(f"DELETE FROM {table}")
                self.execute("DELETE FROM record_countries WHERE kind <> 'commitment'")
                self.execute("DELETE FROM mentions WHERE kind <> 'commitment'")
            self._save_index(index_rows or {}, partitioned or {}, whole=not had)
            self.executemany("INSERT INTO copy_shingles (doc_id, shingle) VALUES (?, ?)",
                             [(d, h) for d, found in (shingled or {}).items() for h in sorted(found)])
            gone: dict[tuple[str, str], Any] = {}  # (stage, id) -> the record as stored, of the blocks no longer there
            for key in [k for k in had if k not in wanted or k in remarked]:
                gone.update(((had[key], r["id"]), r) for r in self._block_records(key))
                self.execute("DELETE FROM resolved_blocks WHERE fingerprint = ?", (key,))
            # A block resolved again mostly gives the records it gave before: those rows stay as they are. A record
            # that changed keeps the rows of the mentions it had (a country named in a new article gains one).
            new = {key: [record_to_dict(r) for r in b.records] for key, b in wanted.items()
                   if key not in had or key in remarked}
            # Each record's JSON, written for its row and, joined, for its block.
            texts = {key: [compact_json(value) for value in dicts] for key, dicts in new.items()}
            written: list[tuple[str, Record]] = []
            had_spans: dict[tuple[str, str], Counter[tuple[str, int, int]]] = {}
            as_text: dict[tuple[str, str], str] = {}
            for key, dicts in new.items():
                stage = wanted[key].stage
                for record, value, text in zip(wanted[key].records, dicts, texts[key], strict=True):
                    was = gone.pop((stage, record.id), None)
                    if was != value:
                        written.append((stage, record))
                        as_text[(stage, record.id)] = text
                        if was is not None:
                            had_spans[(stage, record.id)] = _spans_of(was)
            for stage in {stage for stage, _ in gone}:
                self._delete_records(stage, [i for (s, i) in gone if s == stage])
            for stage in {stage for stage, _ in had_spans}:
                self._delete_records(stage, [i for (s, i) in had_spans if s == stage], mentions=False)
            self._delete_records("commitment", [c for (c,) in self.execute("SELECT id FROM commitments")])
            self._insert_resolved(written, had_spans, as_text)
            for key in new:
                block = wanted[key]
                self.execute("INSERT INTO resolved_blocks (fingerprint, stage, head, data) VALUES (?, ?, ?, ?)",
                             (key, block.stage, compact_json({"members": block.members, "order": block.order}),
                              f"[{','.join(texts[key])}]"))
            self._insert_resolved([("commitment", c) for c in corpus.commitments])
            self.executemany("INSERT INTO resolved_documents (doc_id) VALUES (?) ON CONFLICT DO NOTHING",
                             [(d.id,) for d in corpus.documents])
            self.execute("DELETE FROM store_state WHERE key = 'resolved_stale'")

    def _save_index(self, rows: dict[str, list[tuple[str, str]]], partitioned: dict[str, tuple[str, str | None]],
                    whole: bool) -> None:
        if not whole:
            self.executemany("DELETE FROM block_index WHERE doc_id = ?", [(d,) for d in rows])
            was = self.partitioned_documents()  # most documents are as they were partitioned: their rows stay
            partitioned = {d: state for d, state in partitioned.items() if was.get(d) != state}
        self.executemany("INSERT INTO block_index (doc_id, record, key) VALUES (?, ?, ?)",
                         [(d, record, key) for d, found in rows.items() for record, key in found])
        self.executemany("INSERT INTO block_documents (doc_id, digest, copy_of) VALUES (?, ?, ?) ON CONFLICT (doc_id) "
                         "DO UPDATE SET digest = excluded.digest, copy_of = excluded.copy_of",
                         [(d, digest, copy_of) for d, (digest, copy_of) in partitioned.items()])

    def _delete_records(self, kind: str, ids: list[str], mentions: bool = True) -> None:
        """The rows of these records, their countries, and (``mentions``) their mentions."""
        table = _TABLES[kind]
        for n in range(0, len(ids), _CHUNK):
            chunk = ids[n:n + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            self.execute(f"DELETE FROM {table} WHERE id IN ({marks})", chunk)
            self.execute(f"DELETE FROM record_countries WHERE kind = ? AND record_id IN ({marks})", [kind, *chunk])
            if mentions:
                self.execute(f"DELETE FROM mentions WHERE kind = ? AND record_id IN ({marks})", [kind, *chunk])


def _spans_of(record: dict[str, Any]) -> Counter[tuple[str, int, int]]:
    """The spans of a stored record's mentions (``record_to_dict``), as the mentions table holds them."""
    return Counter((m["doc"], m["start"], m["end"]) for m in record.get("mentions") or [])
