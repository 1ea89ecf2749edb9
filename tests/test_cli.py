"""The command line end to end on the shipped seeds: ingest, re-ingest, export, show, errors, and the scorer."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pactwatch.cli import app
from pactwatch.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"

runner = CliRunner()


def _dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("cli") / "seeds.db"
    result = runner.invoke(app, ["ingest", str(SEEDS), "--db", str(db)])
    return db, result.stdout + result.stderr


@pytest.fixture(scope="module")
def exported(seeds_db: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "export.json"
    result = runner.invoke(app, ["export", "--format", "json", "-o", str(out), "--db", str(seeds_db[0])])
    assert result.exit_code == 0, result.stderr
    return out


def test_ingest_of_the_seeds_adds_five_documents(seeds_db: tuple[Path, str]) -> None:
    db, output = seeds_db
    assert "5 added, 0 unchanged, 0 failed" in output
    with open_store(db) as store:
        assert len(store.documents()) == 5


def test_reingest_changes_nothing(seeds_db: tuple[Path, str]) -> None:
    db = seeds_db[0]
    before = _dump(db)
    result = runner.invoke(app, ["ingest", str(SEEDS), "--db", str(db)])
    assert result.exit_code == 0
    assert "0 added, 5 unchanged, 0 failed" in result.stdout
    assert _dump(db) == before


def test_export_json_is_the_exchange_format_with_exact_quotes(seeds_db: tuple[Path, str], exported: Path) -> None:
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == "pactwatch/1"
    assert len(data["documents"]) == 5
    assert all(isinstance(data[k], list) for k in ("actors", "events", "commitments", "claims"))
    with open_store(seeds_db[0]) as store:
        texts = {d.id: d.text for d in store.documents()}
    mentions = [m for kind in ("actors", "events", "commitments", "claims") for r in data[kind]
                for m in r["mentions"]]
    assert all(texts[m["doc"]][m["start"]:m["end"]] == m["quote"] for m in mentions)


def test_export_to_stdout(seeds_db: tuple[Path, str]) -> None:
    result = runner.invoke(app, ["export", "-o", "-", "--db", str(seeds_db[0])])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["format"] == "pactwatch/1"


def test_export_csv_writes_a_directory(seeds_db: tuple[Path, str], tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "--format", "csv", "-o", str(tmp_path / "csv"), "--db", str(seeds_db[0])])
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert names == sorted(f"{k}.csv" for k in ("documents", "actors", "events", "commitments", "claims",
                                                  "mentions"))
    assert len((tmp_path / "csv" / "documents.csv").read_text(encoding="utf-8").splitlines()) == 6


@pytest.mark.parametrize(("kind", "title"), [
    ("documents", "Documents"), ("actors", "Actors"), ("events", "Events"), ("commitments", "Commitments"),
    ("claims", "Claims"),
])
def test_show_prints_a_table(seeds_db: tuple[Path, str], kind: str, title: str) -> None:
    result = runner.invoke(app, ["show", kind, "--db", str(seeds_db[0]), "--limit", "3"])
    assert result.exit_code == 0, result.stderr
    assert title in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["show", "actors", "--db", "{tmp}/absent.db"], "error: no database at"),
    (["export", "-o", "-", "--db", "{tmp}/absent.db"], "error: no database at"),
    (["export", "--format", "xml", "--db", "{db}"], "error: unknown format 'xml'"),
    (["export", "--format", "csv", "-o", "-", "--db", "{db}"], "error: csv export writes one file per record kind"),
    (["show", "treaties", "--db", "{db}"], "error: unknown kind 'treaties'"),
    (["ingest", "{tmp}", "--published", "2025-02-30", "--db", "{tmp}/x.db"], "bad publication date '2025-02-30'"),
    (["ingest", "{tmp}", "--published", "7 Nov", "--db", "{tmp}/x.db"], "bad publication date '7 Nov'"),
    (["show", "documents", "--db", "{notdb}"], "is not a usable pactwatch database"),
])
def test_errors_are_one_line_with_status_2(seeds_db: tuple[Path, str], tmp_path: Path, args: list[str],
                                           message: str) -> None:
    notdb = tmp_path / "notes.db"
    notdb.write_text("shopping list\n" * 200, encoding="utf-8")
    result = runner.invoke(app, [a.format(tmp=tmp_path, db=seeds_db[0], notdb=notdb) for a in args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_failed_file_is_reported_and_sets_status_1(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "good.txt").write_text("Ghana's Foreign Minister Kofi Mensah visited Lomé on Tuesday.",
                                     encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1 and "empty.txt" in failed[0]
    assert "1 added, 0 unchanged, 1 failed" in result.stdout


def test_stdin_with_a_given_date_and_outlet(tmp_path: Path) -> None:
    db = tmp_path / "stdin.db"
    text = "Vietnamese and Thai officials met in Hanoi on Monday to discuss rice exports.\n"
    result = runner.invoke(app, ["ingest", "-", "--published", "2025-03-14", "--outlet", "Test Wire", "--db", str(db)],
                           input=text)
    assert result.exit_code == 0, result.stderr
    with open_store(db) as store:
        (doc,) = store.documents()
    assert doc.outlet == "Test Wire"
    assert str(doc.published) == "2025-03-14" and doc.published_source == "given"


def test_every_command_documents_an_example() -> None:
    for command in ("ingest", "export", "show"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert "Example: pactwatch " + command in result.stdout
