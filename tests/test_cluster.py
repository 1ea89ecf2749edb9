"""Ingest on Dask, deployed as on several machines: a scheduler and two workers started from the command line.

Every test compares the export record for record with a single-process ingest of the same feed, including
after a worker or the client is killed with SIGKILL midway (the next run finishes the job, nothing is lost
or stored twice).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
PAIRS = [("Kenya", "Tanzanian", "Nairobi", "Dodoma"), ("Chile", "Peruvian", "Santiago", "Lima"),
         ("Norway", "Finnish", "Oslo", "Helsinki"), ("Vietnam", "Thai", "Hanoi", "Bangkok")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
ARTICLES = 112  # seven batches of 16: more than the four the client sends ahead to two workers


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
    path.write_text("\n".join(feed_line(n) for n in range(ARTICLES)) + "\n")
    return path


def pactwatch(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(BIN / "pactwatch"), *args], capture_output=True, text=True, timeout=600)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def export(db: Path) -> dict[str, object]:
    out = db.with_suffix(".json")
    pactwatch("export", "--db", str(db), "-o", str(out))
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def single_process(feed: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    db = tmp_path_factory.mktemp("single") / "single.db"
    pactwatch("ingest", str(feed), "--db", str(db))
    return export(db)


class Deployment:
    """`dask scheduler` and `dask worker` processes, as an operator starts them on their machines."""

    def __init__(self, folder: Path, workers: int) -> None:
        self.folder = folder
        scheduler_file = folder / "scheduler.json"
        self.scheduler = self._start("scheduler", "--host", "127.0.0.1", "--port", "0",
                                     "--scheduler-file", str(scheduler_file), "--no-dashboard")
        self.address = self._wait_for_address(scheduler_file)
        # --no-nanny: a worker is one process, so kill -9 takes it away for good, as a lost machine would be.
        self.workers = [self._start("worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                                    "--host", "127.0.0.1") for _ in range(workers)]
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
            client.wait_for_workers(n, timeout=180)

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


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    running = Deployment(tmp_path, workers=2)
    yield running
    running.stop()


def stored_documents(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:  # the schema is being created
        return 0


def wait_until_stored(db: Path, proc: subprocess.Popen[bytes], at_least: int) -> int:
    """Poll until the ingest has stored ``at_least`` documents; it must still be running then."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        n = stored_documents(db)
        if n >= at_least:
            return n
        assert proc.poll() is None, "the ingest ended before it could be killed midway"
        time.sleep(0.05)
    raise AssertionError("the ingest stored nothing in time")


def test_ingest_through_a_scheduler_and_two_workers_equals_single_process(
        deployment: Deployment, feed: Path, single_process: dict[str, object], tmp_path: Path) -> None:
    db = tmp_path / "cluster.db"
    done = pactwatch("ingest", str(feed), "--scheduler", deployment.address, "--db", str(db))
    assert f"{ARTICLES} added, 0 unchanged, 0 failed" in done.stdout
    assert export(db) == single_process
    again = pactwatch("ingest", str(feed), "--scheduler", deployment.address, "--db", str(db))
    assert f"0 added, {ARTICLES} unchanged, 0 failed" in again.stdout
    assert export(db) == single_process


def test_a_worker_killed_midway_costs_nothing(deployment: Deployment, feed: Path,
                                              single_process: dict[str, object], tmp_path: Path) -> None:
    db = tmp_path / "cluster.db"
    log = (tmp_path / "ingest.log").open("w")
    ingest = subprocess.Popen([str(BIN / "pactwatch"), "ingest", str(feed), "--scheduler", deployment.address,
                               "--db", str(db)], stdout=log, stderr=subprocess.STDOUT, text=True)
    stored = wait_until_stored(db, ingest, 1)
    os.kill(deployment.workers[0].pid, signal.SIGKILL)
    assert ingest.wait(timeout=600) == 0, (tmp_path / "ingest.log").read_text()
    assert stored < ARTICLES
    assert f"{ARTICLES} added, 0 unchanged, 0 failed" in (tmp_path / "ingest.log").read_text()
    assert export(db) == single_process


def test_a_client_killed_midway_is_finished_by_the_next_run(deployment: Deployment, feed: Path,
                                                            single_process: dict[str, object],
                                                            tmp_path: Path) -> None:
    db = tmp_path / "cluster.db"
    ingest = subprocess.Popen([str(BIN / "pactwatch"), "ingest", str(feed), "--scheduler", deployment.address,
                               "--db", str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_stored(db, ingest, 1)
    os.kill(ingest.pid, signal.SIGKILL)
    ingest.wait()
    stored = stored_documents(db)
    assert 0 < stored < ARTICLES
    done = pactwatch("ingest", str(feed), "--scheduler", deployment.address, "--db", str(db))
    assert f"{ARTICLES - stored} added, {stored} unchanged, 0 failed" in done.stdout
    assert stored_documents(db) == ARTICLES
    assert export(db) == single_process


def test_a_local_cluster_of_two_workers_equals_single_process(feed: Path, single_process: dict[str, object],
                                                              tmp_path: Path) -> None:
    db = tmp_path / "local.db"
    done = pactwatch("ingest", str(feed), "--workers", "2", "--db", str(db))
    assert f"{ARTICLES} added, 0 unchanged, 0 failed" in done.stdout
    assert export(db) == single_process


def test_an_unreachable_scheduler_is_one_line_and_stores_nothing(feed: Path, tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    db = tmp_path / "none.db"
    done = pactwatch("ingest", str(feed), "--scheduler", f"tcp://127.0.0.1:{port}", "--db", str(db), check=False)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "cannot reach the Dask scheduler" in done.stderr
    assert stored_documents(db) == 0


def test_workers_and_scheduler_together_are_a_usage_error(feed: Path, tmp_path: Path) -> None:
    done = pactwatch("ingest", str(feed), "--workers", "2", "--scheduler", "tcp://127.0.0.1:1",
                     "--db", str(tmp_path / "x.db"), check=False)
    assert done.returncode == 2
    assert "not both" in done.stderr
