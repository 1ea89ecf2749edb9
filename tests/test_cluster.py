"""Ingest on Dask, deployed as the README's multi-machine section says: `dask scheduler`, two `dask worker`
processes started from the command line, and the store on SQLite or on a throwaway PostgreSQL server.

Every ingest (through the scheduler, through `--workers 2`, after a worker or the client is killed with
SIGKILL midway) is compared, export record for record, with a single-process ingest of the same articles
into SQLite; so the stores, the ways of ingesting and the kills all give the same record. Progress is read
as any reader reads it, through the store interface, never through a driver.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from pactwatch.models import DateRange, Extraction
from pactwatch.store import StoreError, open_store

BIN = Path(sys.executable).parent
PAIRS = [("Kenya", "Tanzanian", "Nairobi", "Dodoma"), ("Chile", "Peruvian", "Santiago", "Lima"),
         ("Norway", "Finnish", "Oslo", "Helsinki"), ("Vietnam", "Thai", "Hanoi", "Bangkok")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"
FEED = 75  # with the five seeds, five batches of 16: more than the four the client sends ahead to two workers
ARTICLES = FEED + len(list(SEEDS.iterdir()))


def feed_line(n: int) -> str:
    country, other, capital, other_capital = PAIRS[n % len(PAIRS)]
    month = MONTHS[n % len(MONTHS)]
    text = (f"{country} and {other} officials agree on trade plan {n}\n\n"
            f"The foreign minister of {country} met her {other} counterpart in {capital} on {month} {n % 27 + 1}. "
            f"The two governments agreed to raise bilateral trade to ${n + 2} billion by 2030. "
            f"The {other} delegation will visit {other_capital} next month, a spokesman said. "
            f"About {100 + n * 7} soldiers took part in a joint exercise last year.")
    return json.dumps({"text": text, "title": f"{country} trade plan {n}", "published": f"2025-{n % 9 + 1:02d}-15"})


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("feed") / "feed.jsonl"
    path.write_text("\n".join(feed_line(n) for n in range(FEED)) + "\n")
    return path


def sources(feed: Path) -> list[str]:
    """What every ingest reads: the feed of short articles, and the seeds, whose reports resolve together."""
    return [str(feed), str(SEEDS)]


def pactwatch(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(BIN / "pactwatch"), *args], capture_output=True, text=True, timeout=600)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def export(db: str, folder: Path) -> dict[str, object]:
    out = folder / f"export-{len(list(folder.glob('export-*.json')))}.json"
    pactwatch("export", "--db", db, "-o", str(out))
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def single_process(feed: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The reference: one process, SQLite."""
    folder = tmp_path_factory.mktemp("single")
    db = str(folder / "single.db")
    pactwatch("ingest", *sources(feed), "--db", db)
    return export(db, folder)


class Deployment:
    """`dask scheduler` and `dask worker` processes, as an operator starts them on their machines."""

    def __init__(self, folder: Path, workers: int) -> None:
        self.folder = folder
        scheduler_file = folder / "scheduler.json"
        self.scheduler = self._start("scheduler", "--host", "127.0.0.1", "--port", "0",
                                     "--scheduler-file", str(scheduler_file), "--no-dashboard")
        self.address = self._wait_for_address(scheduler_file)
        self.workers: list[subprocess.Popen[bytes]] = []
        self.keep(workers)

    def keep(self, workers: int) -> None:
        """Replace the workers a test killed, so that ``workers`` are running, and wait for them to join."""
        self.workers = [w for w in self.workers if w.poll() is None]
        # --no-nanny: a worker is one process, so kill -9 takes it away for good, as a lost machine would be.
        self.workers += [self._start("worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                                     "--host", "127.0.0.1") for _ in range(workers - len(self.workers))]
        self._wait_for_workers(workers)

    def _start(self, *args: str) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{args[0]}-{len(list(self.folder.glob('*.log')))}.log").open("wb")
        return subprocess.Popen([str(BIN / "dask"), *args], stdout=log, stderr=subprocess.STDOUT)

    def _wait_for_address(self, scheduler_file: Path) -> str:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if scheduler_file.exists():
                try:
                    return str(json.loads(scheduler_file.read_text())["address"])
                except (ValueError, KeyError):
                    pass  # being written
            assert self.scheduler.poll() is None, "dask scheduler exited"
            time.sleep(0.2)
        raise AssertionError("dask scheduler did not start")

    def _wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout="60s") as client:
            deadline = time.monotonic() + 180
            # wait_for_workers counts at least n; a killed worker may be counted until its heartbeat is missed.
            while len(client.scheduler_info(n_workers=-1)["workers"]) != n:
                assert time.monotonic() < deadline, "the dask workers did not join"
                time.sleep(0.2)

    def stop(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            if proc.poll() is None:
                proc.terminate()
        for proc in [*self.workers, self.scheduler]:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    deployment = Deployment(tmp_path_factory.mktemp("dask"), workers=2)
    yield deployment
    deployment.stop()


@pytest.fixture
def deployment(running: Deployment) -> Deployment:
    """The scheduler and two workers, whatever the test before killed."""
    running.keep(2)
    return running


def stored_documents(db: str) -> int:
    """How many documents the store holds, read through the store interface (0 while it does not exist yet)."""
    try:
        with open_store(db, create=False) as store:
            return store.counts()["documents"]
    except StoreError:
        return 0


def wait_until_stored(db: str, proc: subprocess.Popen[bytes], at_least: int) -> int:
    """Poll until the ingest has stored ``at_least`` documents; it must still be running then."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        n = stored_documents(db)
        if n >= at_least:
            return n
        assert proc.poll() is None, "the ingest ended before it could be killed midway"
        time.sleep(0.1)
    raise AssertionError("the ingest stored nothing in time")


def settled_documents(db: str) -> int:
    """The count once it stops moving: a killed client's last COMMIT may still be landing on the server."""
    n = stored_documents(db)
    while True:
        time.sleep(0.5)
        again = stored_documents(db)
        if again == n:
            return n
        n = again


def start_ingest(db: str, feed: Path, scheduler: str, log: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([str(BIN / "pactwatch"), "ingest", *sources(feed), "--scheduler", scheduler,
                             "--db", db], stdout=log.open("w"), stderr=subprocess.STDOUT, text=True)


def test_ingest_through_a_scheduler_and_two_workers_equals_single_process(
        deployment: Deployment, feed: Path, single_process: dict[str, object], db_url: str, tmp_path: Path) -> None:
    done = pactwatch("ingest", *sources(feed), "--scheduler", deployment.address, "--db", db_url)
    assert f"{ARTICLES} added, 0 unchanged, 0 failed" in done.stdout
    assert export(db_url, tmp_path) == single_process
    again = pactwatch("ingest", *sources(feed), "--scheduler", deployment.address, "--db", db_url)
    assert f"0 added, {ARTICLES} unchanged, 0 failed" in again.stdout
    assert export(db_url, tmp_path) == single_process


def test_a_worker_killed_midway_costs_nothing(deployment: Deployment, feed: Path,
                                              single_process: dict[str, object], db_url: str,
                                              tmp_path: Path) -> None:
    log = tmp_path / "ingest.log"
    ingest = start_ingest(db_url, feed, deployment.address, log)
    stored = wait_until_stored(db_url, ingest, 1)
    os.kill(deployment.workers[0].pid, signal.SIGKILL)
    assert ingest.wait(timeout=600) == 0, log.read_text()
    assert stored < ARTICLES
    assert f"{ARTICLES} added, 0 unchanged, 0 failed" in log.read_text()
    assert stored_documents(db_url) == ARTICLES
    assert export(db_url, tmp_path) == single_process


def test_a_client_killed_midway_is_finished_by_the_next_run(deployment: Deployment, feed: Path,
                                                            single_process: dict[str, object], db_url: str,
                                                            tmp_path: Path) -> None:
    ingest = start_ingest(db_url, feed, deployment.address, tmp_path / "ingest.log")
    wait_until_stored(db_url, ingest, 1)
    os.kill(ingest.pid, signal.SIGKILL)
    ingest.wait()
    stored = settled_documents(db_url)
    assert 0 < stored < ARTICLES
    done = pactwatch("ingest", *sources(feed), "--scheduler", deployment.address, "--db", db_url)
    assert f"{ARTICLES - stored} added, {stored} unchanged, 0 failed" in done.stdout
    assert stored_documents(db_url) == ARTICLES
    assert export(db_url, tmp_path) == single_process


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # SQLite: the reference and the scheduler's
def test_a_local_cluster_of_two_workers_equals_single_process(feed: Path, single_process: dict[str, object],
                                                              db_url: str, tmp_path: Path) -> None:
    done = pactwatch("ingest", *sources(feed), "--workers", "2", "--db", db_url)
    assert f"{ARTICLES} added, 0 unchanged, 0 failed" in done.stdout
    assert export(db_url, tmp_path) == single_process


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # a connection open in the process forked from
def test_a_local_worker_killed_midway_is_forked_again_and_costs_nothing(feed: Path, single_process: dict[str, object],
                                                                       db_url: str, tmp_path: Path) -> None:
    """A local cluster's workers are forked from the client, which holds the store open: the one forked again
    for a worker killed midway neither uses nor closes the client's connection."""
    import psutil

    log = tmp_path / "ingest.log"
    ingest = subprocess.Popen([str(BIN / "pactwatch"), "ingest", *sources(feed), "--workers", "2", "--db", db_url],
                              stdout=log.open("w"), stderr=subprocess.STDOUT, text=True)
    stored = wait_until_stored(db_url, ingest, 1)
    workers = psutil.Process(ingest.pid).children()
    assert len(workers) == 2
    os.kill(workers[0].pid, signal.SIGKILL)
    assert ingest.wait(timeout=600) == 0, log.read_text()
    assert stored < ARTICLES
    assert f"{ARTICLES} added, 0 unchanged, 0 failed" in log.read_text()
    assert export(db_url, tmp_path) == single_process


def test_a_worker_sends_back_what_the_rebuild_reads_of_each_documents_words() -> None:
    """The worker that found a document's dates works out what the rebuild reads of its words, so the client, which
    rebuilds alone, need not; the same as the client would find."""
    from conftest import make_document
    from pactwatch.cluster import extract_batch
    from pactwatch.pipeline import worked_out

    dated = make_document("Chilean and Peruvian ministers met in Lima on March 3, 2025.", "2025-03-04")
    undated = make_document("Peru and Chile will open a border post in June 2026, the ministers said.")
    (x, none_bounds, keys), (y, bounds, no_keys) = extract_batch([dated, undated])
    assert x.doc_id == dated.id and y.doc_id == undated.id
    assert keys == worked_out(dated).word_keys and keys is not None and none_bounds is None
    assert bounds == worked_out(undated).text_bounds and bounds is not None and no_keys is None


def test_a_worker_extracts_a_document_dated_anew_from_its_kept_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rebuild's re-extractions reach a worker with the parses the store kept: none is parsed again, and each
    extraction is the one a fresh parse gives; a document whose kept parse cannot be read is parsed again."""
    from spacy.tokens import Doc

    from conftest import make_document
    from pactwatch import nlp
    from pactwatch.cluster import extract_batch_again
    from pactwatch.pipeline import extract_all

    undated = make_document("Peru and Chile will open a border post in June, the ministers said on Friday.")
    other = make_document("Chilean and Peruvian ministers met in Lima on Tuesday.")
    (x,), (y,) = extract_all([undated]), extract_all([other])
    assert isinstance(x, Extraction) and x.parse is not None and isinstance(y, Extraction)
    dated = [replace(undated, published=DateRange.day(date(2025, 3, 7)), published_source="inferred"),
             replace(other, published=DateRange.day(date(2025, 3, 7)), published_source="inferred")]
    fresh = list(extract_all(dated))
    parsed: list[list[str | list[str]]] = []
    parse_many = nlp.parse_many

    def counted(texts: Iterable[str | list[str]], batch_size: int = 16) -> Iterator[Doc]:
        parsed.append(list(texts))
        return parse_many(parsed[-1], batch_size)

    monkeypatch.setattr(nlp, "parse_many", counted)
    again = extract_batch_again(dated, {undated.id: x.parse, other.id: b"not a parse"})
    assert len(parsed) == 1 and len(parsed[0]) == 1  # the other document alone, its kept parse being unreadable
    assert [(a.events, a.commitments, a.claims, a.actors) for a in again] == \
        [(f.events, f.commitments, f.claims, f.actors) for f in fresh]


def test_an_unreachable_scheduler_is_one_line_and_stores_nothing(feed: Path, tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    db = str(tmp_path / "none.db")
    done = pactwatch("ingest", str(feed), "--scheduler", f"tcp://127.0.0.1:{port}", "--db", db, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "cannot reach the Dask scheduler" in done.stderr
    assert stored_documents(db) == 0


def test_workers_and_scheduler_together_are_a_usage_error(feed: Path, tmp_path: Path) -> None:
    done = pactwatch("ingest", str(feed), "--workers", "2", "--scheduler", "tcp://127.0.0.1:1",
                     "--db", str(tmp_path / "x.db"), check=False)
    assert done.returncode == 2
    assert "not both" in done.stderr
