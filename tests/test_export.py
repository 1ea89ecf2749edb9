"""Export: the pactwatch/1 JSON exchange format and the one-CSV-per-kind convention."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pactwatch.documents import document_id
from pactwatch.export import CSV_FILES, csv_tables, write_csv, write_json
from pactwatch.models import (
    Actor,
    Claim,
    Commitment,
    Corpus,
    DateRange,
    Document,
    Event,
    Mention,
    Role,
    Target,
)

TEXT = ("Brazilian Foreign Minister Júlia Prado and Argentina's trade envoy agreed in Brasília on Friday "
        "to raise bilateral trade to $30 billion by 2028.")


def _span(quote: str) -> Mention:
    start = TEXT.index(quote)
    return Mention(document_id(TEXT), start, start + len(quote), quote)


@pytest.fixture
def corpus() -> Corpus:
    doc = Document(document_id(TEXT), TEXT, "br.txt", title=None, outlet="Test Wire",
                   published=DateRange.day(date(2025, 11, 7)), published_source="given")
    person = Actor("a1", "Júlia Prado", "person", ["BRA"], ["Júlia Prado"], [Role("Foreign Minister", "BRA")],
                   [_span("Júlia Prado")])
    country = Actor("a2", "Argentina", "country", ["ARG"], ["Argentina"], [], [_span("Argentina")])
    event = Event("e1", "AGREE", DateRange.day(date(2025, 11, 7)), ["BRA", "ARG"], [_span("agreed")])
    commitment = Commitment("c1", "raise bilateral trade to $30 billion by 2028", "target", ["BRA", "ARG"],
                            [_span("raise bilateral trade to $30 billion by 2028")],
                            target=Target(30e9, "USD"), due=DateRange.year(2028), status="pending")
    claim = Claim("k1", "bilateral trade target", 30e9, "USD", [_span("$30 billion")])
    return Corpus([doc], [person, country], [event], [commitment], [claim])


def test_json_is_the_exchange_format_and_keeps_names_readable(corpus: Corpus) -> None:
    out = io.StringIO()
    write_json(corpus, out)
    data = json.loads(out.getvalue())
    assert data["format"] == "pactwatch/1"
    assert [len(data[k]) for k in ("documents", "actors", "events", "commitments", "claims")] == [1, 2, 1, 1, 1]
    assert data["documents"][0]["published"] == "2025-11-07"
    assert "Júlia" in out.getvalue()


def test_csv_writes_one_file_per_kind_plus_mentions(corpus: Corpus, tmp_path: Path) -> None:
    paths = write_csv(corpus, tmp_path / "out")
    assert [p.name for p in paths] == [f"{stem}.csv" for stem in CSV_FILES]
    rows = {p.stem: list(csv.DictReader(p.open(encoding="utf-8"))) for p in paths}
    assert [len(rows[s]) for s in CSV_FILES] == [1, 2, 1, 1, 1, 5]
    assert rows["actors"][0]["roles"] == "Foreign Minister (BRA)"
    assert rows["commitments"][0]["due_start"] == "2028-01-01"
    assert rows["commitments"][0]["due_precision"] == "year"
    assert rows["events"][0]["countries"] == "BRA; ARG"
    for m in rows["mentions"]:
        assert TEXT[int(m["start"]):int(m["end"])] == m["quote"]


@pytest.mark.parametrize("stem", CSV_FILES)
def test_an_empty_corpus_still_gets_headers(tmp_path: Path, stem: str) -> None:
    write_csv(Corpus(), tmp_path)
    lines = (tmp_path / f"{stem}.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and lines[0].startswith(("id,", "kind,"))


def test_every_mention_row_names_its_record(corpus: Corpus) -> None:
    mentions = csv_tables(corpus)["mentions"]
    assert {(m["kind"], m["record_id"]) for m in mentions} == {
        ("actor", "a1"), ("actor", "a2"), ("event", "e1"), ("commitment", "c1"), ("claim", "k1")}


def test_the_seeds_export_the_same_from_sqlite_and_from_postgresql(tmp_path: Path, postgres_server: Any) -> None:
    """Ingested into each store, the seeds give one export, record for record, in JSON and in CSV."""
    from typer.testing import CliRunner

    from pactwatch.cli import app

    seeds = Path(__file__).resolve().parents[1] / "examples" / "seeds"
    runner = CliRunner()
    exports = []
    for db in (str(tmp_path / "seeds.db"), postgres_server.new_database()):
        out = tmp_path / f"{len(exports)}"
        out.mkdir()
        for args in (["ingest", str(seeds)], ["export", "-o", str(out / "export.json")],
                     ["export", "--format", "csv", "-o", str(out / "csv")]):
            result = runner.invoke(app, [*args, "--db", db])
            assert result.exit_code == 0, result.output
        exports.append(out)
    from_sqlite, from_postgres = (json.loads((out / "export.json").read_text(encoding="utf-8")) for out in exports)
    assert from_sqlite["documents"] and from_sqlite["actors"] and from_sqlite["events"]
    for kind in ("documents", "actors", "events", "commitments", "claims"):
        assert from_postgres[kind] == from_sqlite[kind], kind
    assert from_postgres == from_sqlite
    for name in CSV_FILES:
        csv_file = f"csv/{name}.csv"
        assert (exports[1] / csv_file).read_bytes() == (exports[0] / csv_file).read_bytes(), name
