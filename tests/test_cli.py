"""The command line end to end on the shipped seeds: ingest, re-ingest, export, show, errors, and the scorer."""

from __future__ import annotations

import json
import re
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


# Two pairs (sharing Kenya) and a third, written for these tests.
FEED = [
    {"title": "Kenya and Tanzania agree to reopen Namanga border post", "outlet": "Lake Courier",
     "published": "2025-03-04",
     "text": "Kenyan President William Ruto and Tanzanian President Samia Suluhu Hassan met in Arusha on Monday and "
             "agreed to reopen the Namanga one-stop border post by June 2025. The two leaders said bilateral trade "
             "between Kenya and Tanzania, which stood at $1.2 billion last year, should reach $2 billion by 2027. "
             "Kenya will also send between 40 and 50 customs officers to the post."},
    {"title": "Chile and Peru sign fisheries accord", "outlet": "Pacific Wire", "published": "2025-06-10",
     "text": "Chilean Foreign Minister Alberto van Klaveren and Peruvian Foreign Minister Elmer Schialer signed a "
             "fisheries accord in Lima on Tuesday. Chile and Peru pledged to hold a joint fisheries commission "
             "session every year, the ministers said, and to raise two-way trade to $6 billion."},
    {"title": "Kenya and Uganda discuss oil pipeline", "outlet": "Nile Post", "published": "2025-09-02",
     "text": "Kenyan Energy Minister Opiyo Wandayi met Ugandan officials in Kampala on Friday to discuss the oil "
             "pipeline that Uganda wants routed through Kenya. Officials said the line could carry 200,000 barrels "
             "per day of crude when complete."},
]


@pytest.fixture(scope="module")
def pairs_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pairs")
    feed = folder / "feed.jsonl"
    feed.write_text("".join(json.dumps(item) + "\n" for item in FEED), encoding="utf-8")
    db = folder / "pairs.db"
    result = runner.invoke(app, ["ingest", str(feed), "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    return db


def _export(db: Path) -> dict[str, list[dict[str, object]]]:
    return json.loads(runner.invoke(app, ["export", "--db", str(db)]).stdout)


WIDE = {"COLUMNS": "80"}


@pytest.mark.parametrize("kind", ["documents", "actors", "events", "commitments", "claims"])
def test_show_prints_one_line_per_record_within_80_columns(pairs_db: Path, kind: str) -> None:
    result = runner.invoke(app, ["show", kind, "--db", str(pairs_db)], env=WIDE)
    assert result.exit_code == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    records = _export(pairs_db)[kind]
    assert records and len(rows) == len(records)
    assert header.startswith("id ")
    assert all(len(line) <= 80 for line in [header, *rows])
    assert {line.split()[0] for line in rows} == {r["id"] for r in records}  # ids whole, one per line
    assert f"{len(records)} {kind}" in result.stderr


def test_show_reads_counts_and_ranges_as_people_say_them(pairs_db: Path) -> None:
    out = runner.invoke(app, ["show", "claims", "--db", str(pairs_db)], env=WIDE).stdout
    assert "40–50 persons" in out or "40–50 officers" in out
    assert "$1.2 bn" in out and not re.search(r"\d count\b", out)


@pytest.mark.parametrize(("args", "check"), [
    (["events", "--pair", "KEN-TZA"], lambda r: {"KEN", "TZA"} <= set(r["countries"])),
    (["events", "--pair", "Tanzania-Kenya"], lambda r: {"KEN", "TZA"} <= set(r["countries"])),
    (["claims", "--country", "Chile"], lambda r: "CHL" in r["countries"]),
    (["commitments", "--pair", "CHL-PER", "--type", "recurring"],
     lambda r: r["kind"] == "recurring" and {"CHL", "PER"} <= set(r["parties"])),
    (["documents", "--since", "2025-06", "--until", "2025-06-30"], lambda r: str(r["published"]).startswith("2025-06")),
    (["commitments", "--status", "unknown", "--country", "KEN"],
     lambda r: r["status"] == "unknown" and "KEN" in r["parties"]),
])
def test_show_filters(pairs_db: Path, args: list[str], check: object) -> None:
    kind = args[0]
    result = runner.invoke(app, ["show", *args, "--db", str(pairs_db)], env=WIDE)
    assert result.exit_code == 0, result.stderr
    shown = {line.split()[0] for line in result.stdout.splitlines()[1:]}
    expected = {str(r["id"]) for r in _export(pairs_db)[kind] if check(r)}  # type: ignore[operator]
    assert shown == expected and shown


@pytest.mark.parametrize(("args", "message"), [
    (["documents", "--type", "x"], "--type does not apply to documents"),
    (["events", "--status", "met"], "--status does not apply to events"),
    (["events", "--pair", "KEN"], "bad --pair 'KEN'"),
    (["events", "--country", "Atlantis"], "unknown country 'Atlantis'"),
    (["events", "--since", "June"], "--since"),
])
def test_show_filter_errors_are_one_line(pairs_db: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["show", *args, "--db", str(pairs_db)])
    assert result.exit_code == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_track_fits_80_columns_and_never_breaks_words_or_dates(pairs_db: Path) -> None:
    result = runner.invoke(app, ["track", "--as-of", "2025-12-31", "--db", str(pairs_db)], env=WIDE)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    commitments = _export(pairs_db)["commitments"]
    assert commitments
    for line in lines:
        assert len(line) <= 80 or " " not in line.strip(), line
    text = " ".join(line.strip() for line in lines)
    for c in commitments:
        assert c["id"] in text
        for word in str(c["statement"]).split():  # every word of the statement reads whole
            assert word in text, word
    for day in re.findall(r"\d{4}-\d{2}(?:-\d{2})?", result.stdout):
        assert any(day in line for line in lines)
    judgments = re.findall(r"(?:Pending|Unknown|Met|Missed): [^\n]*", result.stdout)
    assert judgments


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
    for command in ("ingest", "export", "show", "track", "report", "serve"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert "Example: pactwatch " + command in result.stdout


def _commands(typer_app: object, prefix: str = "") -> list[str]:
    import typer.main

    group = typer.main.get_command(typer_app)  # type: ignore[arg-type]
    out = []
    for name, command in getattr(group, "commands", {}).items():
        sub = getattr(command, "commands", None)
        out += [f"{prefix}{name} {s}" for s in sub] if sub else [f"{prefix}{name}"]
    return out


def test_the_readme_shows_every_command_with_an_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = _commands(app)
    assert {"ingest", "show", "export", "track", "report", "serve", "user add"} <= set(commands)
    for command in commands:
        assert f"| `{command}` | `pactwatch {command} " in readme, command
