"""The store, on SQLite and on PostgreSQL: round trips, migrations, search, bad files, a kill midway."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pactwatch import pipeline
from pactwatch.documents import document_id
from pactwatch.models import (
    Actor,
    Cadence,
    Claim,
    Commitment,
    Corpus,
    DateRange,
    Document,
    Event,
    Extraction,
    Location,
    Mention,
    Role,
    Target,
    TextBounds,
    WordKeys,
    extraction_digest,
    record_to_dict,
    stored_extraction,
)
from pactwatch.store import Store, StoreError, open_store
from pactwatch.store.schema import MIGRATIONS

ROOT = Path(__file__).resolve().parent.parent

TEXTS = [
    "Kenyan Trade Minister Amina Odhiambo met her Ugandan counterpart in Kampala on Monday.",
    "Chilean and Peruvian officials signed a fisheries accord in Lima, the foreign ministry said.",
    "The Joint Border Commission of Norway and Finland will meet again in March.",
]


def _span(doc: Document, quote: str) -> Mention:
    start = doc.text.index(quote)
    return Mention(doc.id, start, start + len(quote), quote)


def _document(text: str, published: str | None = "2025-11-07", source: str = "a.txt") -> Document:
    pub = DateRange.day(date.fromisoformat(published)) if published else None
    return Document(id=document_id(text), text=text, source=source, title="A title", outlet="Daily Test",
                    published=pub, published_source="given" if pub else None)


def _extraction(doc: Document) -> Extraction:
    name = doc.text.split()[0]
    return Extraction(doc.id, actors=[Actor(f"{doc.id}:a1", name, "country", ["KEN"], [name], [],
                                            [_span(doc, name)])])


def _corpus(docs: list[Document]) -> Corpus:
    d0, d1 = docs[0], docs[1]
    person = Actor("a-odhiambo", "Amina Odhiambo", "person", ["KEN"], ["Amina Odhiambo"],
                   [Role("Trade Minister", "KEN")], [_span(d0, "Amina Odhiambo")])
    event = Event("e-1", "CONSULT", DateRange.day(date(2025, 11, 3)), ["KEN", "UGA"], [_span(d0, "met")],
                  mode="meeting", location=Location("Kampala", "UGA"), actors=[person.id], topics=["trade"],
                  summary="Kenya and Uganda met on trade.", attributes={"session": None})
    commitment = Commitment("c-1", "They will meet again in March.", "action", ["NOR", "FIN"],
                            [_span(docs[2], "will meet again in March")], due=DateRange.month(2026, 3),
                            target=Target(2.0, "count"), cadence=Cadence(1.0), status="pending",
                            evidence=[_span(docs[2], "Joint Border Commission")])
    claim = Claim("k-1", "fisheries accords", 1.0, "count", [_span(d1, "a fisheries accord")],
                  period=DateRange.year(2025), countries=["CHL", "PER"])
    return Corpus(documents=docs, actors=[person], events=[event], commitments=[commitment], claims=[claim])


@pytest.fixture
def filled(db_url: str) -> tuple[Store, list[Document]]:
    store = open_store(db_url)
    docs = [_document(t, source=f"{i}.txt") for i, t in enumerate(TEXTS)]
    for doc in docs:
        store.add_document(doc, _extraction(doc))
    store.save_corpus(_corpus(docs))
    yield store, docs
    store.close()


def test_documents_and_extractions_round_trip(filled: tuple[Store, list[Document]]) -> None:
    store, docs = filled
    assert store.documents() == docs
    assert store.document(docs[1].id) == docs[1]
    assert store.document("missing") is None
    assert [x.to_dict() for x in store.extractions()] == [_extraction(d).to_dict() for d in docs]
    assert store.has_document(docs[0].id) and not store.has_document("missing")


def test_corpus_round_trips_every_record_kind(filled: tuple[Store, list[Document]]) -> None:
    store, docs = filled
    assert store.corpus() == _corpus(docs)


@pytest.mark.parametrize(("kind", "record_id", "found"), [
    ("actor", "a-odhiambo", True), ("event", "e-1", True), ("commitment", "c-1", True), ("claim", "k-1", True),
    ("actor", "e-1", False), ("claim", "nope", False),
])
def test_record_by_kind_and_id(filled: tuple[Store, list[Document]], kind: str, record_id: str, found: bool) -> None:
    store, _ = filled
    record = store.record(kind, record_id)
    assert (record is not None and record.id == record_id) is found


def test_record_of_unknown_kind_is_refused(filled: tuple[Store, list[Document]]) -> None:
    with pytest.raises(ValueError, match="unknown record kind"):
        filled[0].record("episode", "e-1")


def test_save_corpus_replaces_the_resolved_records(filled: tuple[Store, list[Document]]) -> None:
    store, docs = filled
    smaller = _corpus(docs)
    smaller.events, smaller.claims = [], []
    store.save_corpus(smaller)
    assert store.corpus() == smaller
    assert store.counts()["events"] == 0
    assert {m[0] for m in store.mentions_in(docs[0].id)} == {"actor"}


def test_a_write_after_the_last_save_marks_the_record_stale(filled: tuple[Store, list[Document]]) -> None:
    store, _ = filled
    assert not store.needs_rebuild()
    doc = _document("Senegalese and Gambian envoys met in Banjul.")
    store.add_document(doc, _extraction(doc))
    assert store.needs_rebuild()
    pipeline.ingest([], store)  # nothing new to read, but the record lags: ingest resolves it
    assert not store.needs_rebuild()
    assert store.counts()["actors"] > 0


def test_mentions_in_a_document_hold_their_quotes(filled: tuple[Store, list[Document]]) -> None:
    store, docs = filled
    found = store.mentions_in(docs[2].id)
    assert [(kind, role) for kind, _, role, _ in found] == [("commitment", "evidence"), ("commitment", "mention")]
    assert all(docs[2].text[m.start:m.end] == m.quote for *_, m in found)


def test_update_document_replaces_date_and_extraction(filled: tuple[Store, list[Document]]) -> None:
    store, docs = filled
    changed = Document(**{**docs[0].__dict__, "published": DateRange.month(2025, 10), "published_source": "inferred",
                          "text_bounds": TextBounds(date(2025, 9, 1), None, DateRange.year(2025), "rules"),
                          "word_keys": WordKeys(frozenset({"NOR", "FIN"}),
                                                ((0, 40, "accor fishe"), (41, 42, "")),
                                                "rules")})
    store.update_document(changed, Extraction(changed.id))
    assert store.document(changed.id) == changed
    assert store.extractions()[0].actors == []
    with pytest.raises(KeyError):
        store.update_document(_document("never stored"), Extraction(document_id("never stored")))


def test_an_undated_documents_parse_is_kept_with_it(filled: tuple[Store, list[Document]]) -> None:
    store, docs = filled
    assert store.kept_parses({d.id for d in docs}) == {}
    extraction = _extraction(docs[0])
    extraction.parse = b"\x00a parse\xff"
    store.update_document(docs[0], extraction)
    store.update_document(docs[0], _extraction(docs[0]))  # extracted again from the parse it keeps: kept still
    assert store.kept_parses({docs[0].id, docs[1].id, "missing"}) == {docs[0].id: b"\x00a parse\xff"}


@pytest.mark.parametrize(("query", "expected"), [
    ("fisheries", 1),
    ("minister kampala", 1),  # all words must occur: both are in the first text
    ("commission OR accord", 2),
    ('"unbalanced quote', 0),  # bad FTS syntax falls back to plain words
    ("Norway Finland", 1),
    ("Norway-Finland", 1),  # a hyphen is FTS syntax too
    ('"fisheries accord" -Kampala', 1),  # a phrase, and a word that must not occur (FTS5: NOT)
])
def test_search_finds_documents_with_snippets(filled: tuple[Store, list[Document]], query: str,
                                              expected: int) -> None:
    store, docs = filled
    if store.dialect == "sqlite":
        query = query.replace(" -", " NOT ")
    hits = store.search(query)
    assert len(hits) == expected
    for document, snippet in hits:
        assert document in docs
        assert "[" in snippet and "]" in snippet


def test_migrations_are_recorded_once(db_url: str) -> None:
    open_store(db_url).close()
    with open_store(db_url) as store:
        names = [row[0] for row in store.execute("SELECT name FROM schema_migrations ORDER BY rowid")]
        assert names == [m.__name__ for m in MIGRATIONS]
        if store.dialect == "sqlite":
            assert store.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_older_database_is_migrated_with_its_data(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store written by a version that knew only the first migrations takes the rest on open, data kept."""
    from pactwatch.store import schema

    monkeypatch.setattr(schema, "MIGRATIONS", MIGRATIONS[:2])  # documents and review tables only
    doc = _document("Malian and Nigerien envoys met in Niamey.")
    extraction = _extraction(doc)
    with open_store(db_url) as old:
        old.execute("INSERT INTO documents (id, source, text, ingested_at) VALUES (?, ?, ?, ?)",
                    (doc.id, doc.source, doc.text, "2025-01-01T00:00:00+00:00"))
        old.execute("INSERT INTO extractions (doc_id, data) VALUES (?, ?)", (doc.id, json.dumps(extraction.to_dict())))
    monkeypatch.setattr(schema, "MIGRATIONS", MIGRATIONS)
    with open_store(db_url) as store:
        names = [row[0] for row in store.execute("SELECT name FROM schema_migrations ORDER BY rowid")]
        assert names == [m.__name__ for m in MIGRATIONS]
        (stored,) = store.documents()
        assert stored.text == doc.text and stored.language == "en"  # document_language's default
        assert stored.text_bounds is None  # document_text_bounds: worked out by the next rebuild
        assert stored.word_keys is None  # document_word_keys: the same
        assert store.needs_rebuild()  # store_state: documents but no resolved record yet
        # stage_digests: the digest kept with an extraction stored before is the one a new write keeps
        assert store.extraction_digests() == {doc.id: extraction_digest(extraction)}
        # extraction_index: an extraction stored before is kept with the index of its records, and reads as it was
        (read,) = store.extractions()
        assert read.ids("actors") == extraction.ids("actors") and read.actors == extraction.actors
        assert store.extraction(doc.id) == extraction


def test_an_extraction_is_decoded_only_where_a_record_of_it_is_read(db_url: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from pactwatch import models

    doc = _document("Kenyan and Ugandan envoys met in Kampala.")
    extraction = _extraction(doc)
    extraction.actors.append(Actor(f"{doc.id}:a2", "Uganda’s envoy — Kampala", "person", ["UGA"], [], [],
                                   [_span(doc, "Ugandan")]))
    decoded: list[str] = []
    loads = json.loads
    with open_store(db_url) as store:
        store.add_document(doc, extraction)
        (read,) = store.extractions()
        monkeypatch.setattr(models.json, "loads", lambda text: decoded.append(text) or loads(text))
        assert read.ids("actors") == [f"{doc.id}:a1", f"{doc.id}:a2"] and read.events == [] and read.claims == []
        assert read.record("actors", 1) == extraction.actors[1]
        # The one record decoded and built alone: neither the list nor the whole JSON.
        assert [loads(text) for text in decoded] == [record_to_dict(extraction.actors[1])]
        assert "actors" not in vars(read) and list(read._alone) == [("actors", 1)]
        assert read.actors == extraction.actors and read.to_dict() == extraction.to_dict()


def test_a_stored_extraction_indexes_where_each_record_lies_in_its_json() -> None:
    doc = _document("Chilean and Peruvian ministers met in Lima.")
    value = {"doc_id": doc.id, "actors": [{"id": f"{doc.id}:a{n}", "name": name} for n, name in
                                          enumerate(["Perú", "Chile “Norte”", "a\\b \"q\""], 1)],
             "events": [], "commitments": [{"id": f"{doc.id}:c1", "statement": "…"}], "claims": []}
    data, index = stored_extraction(value)
    assert json.loads(data) == value
    for name, rows in index.items():
        assert [json.loads(data[start:end]) for _, start, end in rows] == value[name]
        assert [i for i, _, _ in rows] == [r["id"] for r in value[name]]


def test_the_change_token_moves_with_every_commit(db_url: str) -> None:
    watcher, writer = open_store(db_url), open_store(db_url)
    try:
        before = watcher.data_version()
        assert watcher.data_version() == before  # reading changes nothing
        doc = _document("Bhutanese and Nepali envoys met in Thimphu.")
        writer.add_document(doc, _extraction(doc))
        after = watcher.data_version()
        assert after != before  # another connection's commit
        watcher.save_corpus(Corpus(documents=[doc]))
        assert watcher.data_version() != after  # and its own
    finally:
        watcher.close()
        writer.close()


@pytest.mark.parametrize(("content", "message"), [
    (b"this is a text file, not a database" * 100, "not a usable pactwatch database"),
    (b"SQLite format 3\x00" + b"\xff" * 4000, "not a usable pactwatch database"),  # corrupt header
])
def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=message):
        open_store(path)


def test_another_applications_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="no schema_migrations"):
        open_store(path)


def test_another_applications_postgresql_database_is_refused(postgres_server: Any) -> None:
    import psycopg

    url = postgres_server.new_database()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id integer)")
    with pytest.raises(StoreError, match="no schema_migrations"):
        open_store(url)


@pytest.mark.parametrize(("url", "message"), [
    ("postgresql://postgres@127.0.0.1:1/nothing", "cannot open database"),  # no server listens on port 1
    ("postgresql://someone:secret@127.0.0.1:1/x", r"someone:\*\*\*@"),  # the password is never printed
])
def test_an_unreachable_postgresql_database_is_one_clear_error(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message) as caught:
        open_store(url)
    assert "secret" not in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(("sqlite", "postgresql"), [
    ("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER NOT NULL DEFAULT 0, x REAL, b BLOB)",
     "CREATE TABLE t (rowid BIGINT GENERATED BY DEFAULT AS IDENTITY, id BIGINT GENERATED BY DEFAULT AS IDENTITY "
     "PRIMARY KEY, n BIGINT NOT NULL DEFAULT 0, x DOUBLE PRECISION, b BYTEA)"),
    ("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT)",
     "CREATE TABLE IF NOT EXISTS kv (rowid BIGINT GENERATED BY DEFAULT AS IDENTITY, key TEXT PRIMARY KEY, value TEXT)"),
    ("ALTER TABLE t ADD COLUMN tries INTEGER NOT NULL DEFAULT 0",
     "ALTER TABLE t ADD COLUMN tries BIGINT NOT NULL DEFAULT 0"),
    ("CREATE INDEX t_n ON t (n)", "CREATE INDEX t_n ON t (n)"),
])
def test_a_migration_written_for_sqlite_is_translated_for_postgresql(sqlite: str, postgresql: str) -> None:
    from pactwatch.store.postgres import placeholders, portable_ddl

    assert portable_ddl(sqlite) == postgresql
    assert placeholders("SELECT ? WHERE x LIKE '10%'") == "SELECT %s WHERE x LIKE '10%%'"


def test_a_database_from_a_newer_version_is_refused(db_url: str) -> None:
    with open_store(db_url) as store:
        store.execute("INSERT INTO schema_migrations (name, applied_at) VALUES ('from_the_future', '2099-01-01')")
    with pytest.raises(StoreError, match="newer pactwatch"):
        open_store(db_url)


def test_open_store_resolves_db_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACTWATCH_DB", str(tmp_path / "env.db"))
    with open_store() as store:
        assert store.path == str(tmp_path / "env.db")
    with open_store(tmp_path / "flag.db") as store:
        assert store.path == str(tmp_path / "flag.db")
    monkeypatch.delenv("PACTWATCH_DB")
    monkeypatch.chdir(tmp_path)
    with open_store() as store:
        assert store.path == "pactwatch.db"
    with pytest.raises(StoreError, match="no database at"):
        open_store(tmp_path / "absent.db", create=False)


# A writer that adds small documents, each with an extraction of many actors, until it is killed.
WRITER = textwrap.dedent("""
    import sys
    from pactwatch.models import Actor, Document, Extraction, Mention
    from pactwatch.store import open_store

    store = open_store(sys.argv[1])
    for i in range(1_000_000):
        text = f"Document {i}: envoys of Ghana and Togo met. " * 20
        doc = Document(id=f"doc{i:07d}", text=text, source=f"{i}.txt")
        actors = [Actor(f"doc{i:07d}:a{j}", "Ghana", "country", ["GHA"], [], [], [Mention(doc.id, 0, 8, text[:8])])
                  for j in range(50)]
        store.add_document(doc, Extraction(doc.id, actors=actors))
        print(i, flush=True)
""")


def _integrity_checked(store: Store) -> None:
    """SQLite's own check of the file, and each stored document's full-text entry, on either store."""
    if store.dialect == "sqlite":
        assert store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        indexed = store.execute("SELECT count(*) FROM documents_fts").fetchone()[0]
    else:
        indexed = store.execute("SELECT count(*) FROM documents WHERE fts IS NOT NULL").fetchone()[0]
    assert indexed == store.counts()["documents"]


def test_a_kill_midway_leaves_every_stored_document_whole(db_url: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-c", WRITER, db_url], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        for _ in range(40):  # wait until a good number of documents are committed, then kill mid-stream
            assert proc.stdout.readline(), "the writer died before it was killed"
        time.sleep(0.05)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    with open_store(db_url) as store:
        _integrity_checked(store)
        docs = store.documents()
        assert len(docs) >= 40
        extractions = {x.doc_id: x for x in store.extractions()}
        assert set(extractions) == {d.id for d in docs}
        assert all(len(x.actors) == 50 for x in extractions.values())
        # The store takes writes again after the crash.
        doc = _document("Written after the crash.")
        store.add_document(doc, Extraction(doc.id))
        assert store.has_document(doc.id)


def _stored_count(db_url: str) -> int:
    with open_store(db_url) as store:
        return store.counts()["documents"]


def test_killing_pactwatch_ingest_midway_keeps_the_store_consistent(tmp_path: Path, db_url: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    countries = ["Ghana", "Togo", "Peru", "Chile", "Norway", "Finland", "Kenya", "Uganda"]
    for i in range(400):
        a, b = countries[i % 8], countries[(i + 3) % 8]
        (folder / f"{i:03d}.txt").write_text(
            f"The foreign ministers of {a} and {b} met in the capital on day {i} and signed {i % 7 + 2} accords. "
            f"Officials from {b} said trade reached ${i + 1} million last year.", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "pactwatch.cli", "ingest", str(folder), "--db", db_url],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while _stored_count(db_url) < 20 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the ingest ended before it could be killed midway"

    with open_store(db_url) as store:
        _integrity_checked(store)
        docs = store.documents()
        assert 20 <= len(docs) < 400
        extractions = {x.doc_id for x in store.extractions()}
        assert extractions == {d.id for d in docs}
        assert store.needs_rebuild()  # killed before it resolved: the next ingest will
