"""Schemathesis against the served dashboard: every operation of /openapi.json, pages and forms included.

`pactwatch serve` runs in its own process on 127.0.0.1 over a store ingested from
examples/seeds, with one analyst and one correction. Schemathesis reads the schema the
server publishes, sends what the schema allows and what it forbids, and runs every
built-in check on each answer (status codes, media types, bodies, headers, rejection of
bad input, acceptance of good input, 405 with Allow for methods the schema does not
list), once signed out and once signed in with a session cookie but no CSRF token, so
that every form answers 403 as declared.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pactwatch import ingest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
BIN = Path(sys.executable).parent
PACTWATCH, SCHEMATHESIS = BIN / "pactwatch", BIN / "schemathesis"
USER, PASSWORD = "rania", "a long enough passphrase"
EXAMPLES = 25  # fuzzed cases per operation, beside the coverage phase's systematic ones
SEED = "20251107"  # a fixed seed: the same cases on every run; change it to explore further


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, "the page carries no CSRF token"
    return found.group(1)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard served by `pactwatch serve` over the seeds, in a process of its own."""
    db = tmp_path_factory.mktemp("schemathesis") / "seeds.db"
    assert ingest(SEEDS, db=db).ok
    subprocess.run([PACTWATCH, "user", "add", USER, "--password-stdin", "--db", db], input=PASSWORD + "\n",
                   text=True, check=True, capture_output=True)
    port = _free_port()
    log = (db.parent / "serve.log").open("w")  # a file, not a pipe: a pipe nobody reads fills and stalls it
    process = subprocess.Popen([PACTWATCH, "serve", "--port", str(port), "--db", db],
                               stdout=log, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/openapi.json").status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"pactwatch serve did not start: {(db.parent / 'serve.log').read_text()}")
        time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(10)
    log.close()


@pytest.fixture(scope="module")
def session_cookie(server: str) -> str:
    """Signs the analyst in through the real form and leaves one correction to list and undo."""
    with httpx.Client(base_url=server) as client:
        token = _csrf(client.get("/login"))
        signed_in = client.post("/login", data={"name": USER, "password": PASSWORD, "csrf": token, "next": "/"})
        assert signed_in.status_code == 303, signed_in.text
        actor = client.get("/api/actors?kind=person").json()["actors"][0]["id"]
        token = _csrf(client.get(f"/records/actor/{actor}"))
        confirmed = client.post(f"/records/actor/{actor}/review", data={"action": "confirm", "csrf": token})
        assert confirmed.status_code == 303, confirmed.text
        assert client.get("/api/corrections").json()["corrections"]
        return f"pactwatch_session={client.cookies['pactwatch_session']}"


def _schemathesis(server: str, workdir: Path, *options: str) -> None:
    """One `schemathesis run` over the served schema: every phase (examples, coverage, fuzzing, stateful),
    every check; fails with schemathesis's own report of each failure and how to reproduce it."""
    command = [SCHEMATHESIS, "run", f"{server}/openapi.json", "--checks", "all", "--max-examples", str(EXAMPLES),
               "--seed", SEED, "--workers", "1", "--output-truncate", "true", "--no-color", *options]
    run = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-2000:]
    assert re.search(r"\b\d+ passed\b", run.stdout), run.stdout[-2000:]  # it did test something


def test_signed_out(server: str, tmp_path: Path) -> None:
    _schemathesis(server, tmp_path)


def test_signed_in_without_csrf(server: str, session_cookie: str, tmp_path: Path) -> None:
    _schemathesis(server, tmp_path, "--header", f"Cookie: {session_cookie}", "--include-tag", "sign-in",
                  "--include-tag", "review")
