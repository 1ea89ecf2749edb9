"""The resolved record kept by block (resolve.blocks), so a rebuild rewrites only the blocks that changed.

``resolved_blocks`` holds each block's resolution under its fingerprint: its
records and which record each per-document record went into. A rebuild reads
them back (``resolved_blocks()``), resolves only blocks whose fingerprint is
not there, and ``save_resolution`` deletes the records of the blocks that are
gone and writes those of the new ones, in one transaction; commitments,
judged against the whole corpus, are replaced whole. ``resolved_documents``
lists the documents the last rebuild saw, so the next one knows which are new.

``BlockTables`` is mixed into ``Store``: its methods are the store's, and all
of its SQL lives here.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from pactwatch.models import Corpus, Record, actor_from_dict, claim_from_dict, event_from_dict
from pactwatch.store.statements import Statements

if TYPE_CHECKING:
    from pactwatch.resolve.blocks import Resolved
    from pactwatch.store.schema import Connection

_KINDS = {"actor": ("actors", actor_from_dict), "event": ("events", event_from_dict),
          "claim": ("claims", claim_from_dict)}
_CHUNK = 500  # ids per DELETE ... IN (...), well under any driver's parameter limit


def block_tables(conn: Connection) -> None:
    """Each resolved block under its fingerprint, and the documents the last rebuild resolved."""
    conn.execute("CREATE TABLE resolved_blocks (fingerprint TEXT PRIMARY KEY, stage TEXT NOT NULL, "
                 "data TEXT NOT NULL)")
    conn.execute("CREATE TABLE resolved_documents (doc_id TEXT PRIMARY KEY)")


class BlockTables(Statements):
    """The store's methods for the resolved record kept by block."""

    def _insert_resolved(self, kind: str, record: Record) -> None:
        raise NotImplementedError  # supplied by Store: one record with the columns its kind is filtered on

    def resolved_blocks(self) -> dict[str, Resolved]:
        """Every block the last rebuild saved, by fingerprint."""
        from pactwatch.resolve.blocks import Resolved  # resolution loads the NLP stack: not on every store open

        out = {}
        for key, stage, data in self.execute("SELECT fingerprint, stage, data FROM resolved_blocks"):
            value = json.loads(data)
            out[key] = Resolved(stage, key, [_KINDS[stage][1](r) for r in value["records"]], value["members"])
        return out

    def extraction_digests(self, doc_id: str | None = None) -> dict[str, str]:
        """Each document's (or one's) extraction digest, a hash of it as stored: block fingerprints are made of
        them, so a rebuild need not read every extraction's records to know which blocks are unchanged."""
        rows = (self.execute("SELECT doc_id, data FROM extractions") if doc_id is None else
                self.execute("SELECT doc_id, data FROM extractions WHERE doc_id = ?", (doc_id,)))
        return {d: hashlib.sha1(data.encode()).hexdigest() for d, data in rows}

    def unresolved_documents(self) -> set[str]:
        """Documents stored since the last rebuild (all of them in a store no rebuild has kept by block)."""
        rows = self.execute("SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM resolved_documents)")
        return {doc_id for (doc_id,) in rows}

    def save_resolution(self, corpus: Corpus, blocks: list[Resolved]) -> None:
        """Store a rebuild's result: the records of blocks no longer there go, those of new blocks come, and
        the commitments are replaced; all in one transaction."""
        wanted = {b.fingerprint: b for b in blocks}
        with self.transaction():
            had = {key: stage for key, stage in self.execute("SELECT fingerprint, stage FROM resolved_blocks")}
            if not had:  # a record saved whole (save_corpus, or before blocks were kept): replace it whole
                for table in ("actors", "events", "claims"):
                    self.execute(f"DELETE FROM {table}")
                self.execute("DELETE FROM record_countries WHERE kind <> 'commitment'")
                self.execute("DELETE FROM mentions WHERE kind <> 'commitment'")
            for key in [k for k in had if k not in wanted]:
                (data,) = self.execute("SELECT data FROM resolved_blocks WHERE fingerprint = ?", (key,)).fetchone()
                self._delete_records(had[key], [r["id"] for r in json.loads(data)["records"]])
                self.execute("DELETE FROM resolved_blocks WHERE fingerprint = ?", (key,))
            self._delete_records("commitment", [c for (c,) in self.execute("SELECT id FROM commitments")])
            for key, block in wanted.items():
                if key in had:
                    continue
                for record in block.records:
                    self._insert_resolved(block.stage, record)
                self.execute("INSERT INTO resolved_blocks (fingerprint, stage, data) VALUES (?, ?, ?)",
                             (key, block.stage, json.dumps(block.to_dict(), ensure_ascii=False,
                                                           separators=(",", ":"))))
            for commitment in corpus.commitments:
                self._insert_resolved("commitment", commitment)
            self.executemany("INSERT INTO resolved_documents (doc_id) VALUES (?) ON CONFLICT DO NOTHING",
                             [(d.id,) for d in corpus.documents])
            self.execute("DELETE FROM store_state WHERE key = 'resolved_stale'")

    def _delete_records(self, kind: str, ids: list[str]) -> None:
        table = {"commitment": "commitments", **{k: t for k, (t, _) in _KINDS.items()}}[kind]
        for n in range(0, len(ids), _CHUNK):
            chunk = ids[n:n + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            self.execute(f"DELETE FROM {table} WHERE id IN ({marks})", chunk)
            self.execute(f"DELETE FROM record_countries WHERE kind = ? AND record_id IN ({marks})", [kind, *chunk])
            self.execute(f"DELETE FROM mentions WHERE kind = ? AND record_id IN ({marks})", [kind, *chunk])
