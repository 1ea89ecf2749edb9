"""The Python API: `from pactwatch import ...` stays light, extracts from a string and ingests into a store."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import pactwatch
from pactwatch import Corpus, DateRange, IngestReport, Store, extract_text, ingest, nlp, open_store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"


def test_import_does_not_load_spacy() -> None:
    code = "import sys, pactwatch; print('spacy' in sys.modules, 'pactwatch.pipeline' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_the_library_leaves_the_hosts_collector_alone_and_the_cli_freezes_the_model(tmp_path: Path) -> None:
    """A program that extracts through the library keeps its garbage collector as it was; `pactwatch ingest`,
    whose process is its own, moves the loaded model out of the collector's reach and collects less often
    (nlp.FREEZE_ON_LOAD)."""
    text = "Kenya and Tanzania agreed to reopen the border, officials said on Tuesday."
    library = (f"import gc; from pactwatch import extract_text; extract_text({text!r}, published='2025-11-07'); "
               "print(gc.get_threshold()[0], gc.get_freeze_count())")
    cli = ("import gc, sys; from typer.testing import CliRunner; from pactwatch.cli import app; "
           f"r = CliRunner().invoke(app, ['ingest', '-', '--db', sys.argv[1]], input={text!r}); "
           "assert r.exit_code == 0, r.output; print(gc.get_threshold()[0], gc.get_freeze_count())")
    library_gc, cli_gc = [subprocess.run([sys.executable, "-c", code, str(tmp_path / "cli.db")], capture_output=True,
                                         text=True, check=True).stdout.split()[-2:] for code in (library, cli)]
    assert library_gc == ["700", "0"]  # Python's default: the host's collector as it was
    assert int(cli_gc[0]) == nlp.COLLECT_EVERY[0] and int(cli_gc[1]) > 10_000


@pytest.mark.parametrize("name", pactwatch.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(pactwatch, name) is not None


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        _ = pactwatch.no_such_thing  # type: ignore[attr-defined]


@pytest.mark.parametrize(("published", "expected"), [
    ("2025-11-07", "2025-11-07"),
    (DateRange.day(date(2024, 2, 29)), "2024-02-29"),
    (None, None),
])
def test_extract_text_returns_a_corpus_with_its_document(published: object, expected: str | None) -> None:
    text = "Indonesian President Joko Santoso met Malaysia's Prime Minister in Jakarta on Wednesday."
    corpus = extract_text(text, published=published)  # type: ignore[arg-type]
    assert isinstance(corpus, Corpus)
    (doc,) = corpus.documents
    assert doc.text == text
    if expected is not None:
        assert str(doc.published) == expected and doc.published_source == "given"
    for actor in corpus.actors:
        assert all(text[m.start:m.end] == m.quote for m in actor.mentions)


def test_ingest_into_a_store_and_read_it_back(db_url: str) -> None:
    db = db_url
    report = ingest(SEEDS, db=db)
    assert isinstance(report, IngestReport)
    assert report.ok and len(report.added) == 5
    again = ingest([str(SEEDS)], db=str(db))
    assert again.added == [] and len(again.unchanged) == 5
    with open_store(db) as store:
        assert isinstance(store, Store)
        corpus = store.corpus()
    assert len(corpus.documents) == 5
    assert corpus.to_exchange()["format"] == "pactwatch/1"


def test_ingest_uses_the_environment_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "one.txt").write_text("Egyptian and Sudanese ministers met in Cairo on the Nile dam.",
                                      encoding="utf-8")
    monkeypatch.setenv("PACTWATCH_DB", str(tmp_path / "env.db"))
    report = ingest(tmp_path / "one.txt")
    assert report.ok
    assert (tmp_path / "env.db").is_file()
