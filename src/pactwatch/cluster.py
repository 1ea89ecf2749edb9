"""Ingest on a Dask cluster: the workers parse and extract, this process reads and stores.

``pipeline.ingest`` is the single-process path; this module spreads its middle
stage over dask.distributed workers (a local cluster started here, or the
scheduler of one running on several machines). Each worker loads the spaCy
pipeline once, when it joins (``LoadPipeline``), and runs
``pipeline.extract_all`` on batches of documents, with what the rebuild reads
of their words (``pipeline.worked_out``). This process, the client,
stays the only writer: it stores each document with its extraction in its own
transaction, in the order the documents were read, then resolves the corpus
once. A batch whose worker dies is run again on another worker by the
scheduler; a client killed midway leaves every stored document whole, and the
same command again skips them (documents are identified by their text) and
finishes the job, so every document is stored exactly once.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, TextIO

import dask
from distributed import Client, Future, LocalCluster, WorkerPlugin

from pactwatch import nlp
from pactwatch.models import Document, Extraction, TextBounds, WordKeys
from pactwatch.pipeline import (
    BATCH,
    Failure,
    IngestReport,
    Progress,
    extract_again,
    extract_all,
    finish,
    new_documents,
    store_extraction,
    worked_out,
)

if TYPE_CHECKING:
    from distributed import Worker

    from pactwatch.store import Store

CONNECT_TIMEOUT = "10s"  # how long to try a --scheduler address before saying it cannot be reached
IN_FLIGHT = 2  # batches per worker thread sent ahead, so no worker waits while the client stores
# A local cluster's workers do one thing, parse and extract, and nobody watches them: Dask's sampling profiler
# (for a dashboard we do not start) takes the GIL from the parse every few milliseconds, frequent memory polls
# do too, and trimming malloc's free memory at every release slows spaCy's many allocations. Together they
# made a worker take half as long again per document as the single process (bench/ingest_bench.py).
LOCAL_WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.multiprocessing-method": "fork",
    "distributed.worker.memory.monitor-interval": "2s",
}


class ClusterError(RuntimeError):
    """The cluster could not be started or reached."""


class LoadPipeline(WorkerPlugin):
    """Loads the spaCy pipeline once per worker process, when the worker joins, not per batch."""

    name = "pactwatch-nlp"

    def setup(self, worker: Worker) -> None:
        nlp.FREEZE_ON_LOAD = True  # the worker process is ours
        nlp.load()


# What a worker sends back for a document: its extraction, or its failure as one line (an exception may not
# travel), and what the rebuild reads of its words (``pipeline.worked_out``), found where its dates just were.
Extracted = tuple[Extraction | Failure, TextBounds | None, WordKeys | None]


def extract_batch(documents: list[Document]) -> list[Extracted]:
    """On a worker: each document's extraction, and what the rebuild reads of its words."""
    out: list[Extracted] = []
    for d, x in zip(documents, extract_all(documents), strict=True):
        if isinstance(x, Exception):
            out.append((Failure.of(d.source, x, "extraction"), None, None))
        else:
            try:
                done = worked_out(d)
            except Exception:  # the client works it out again, and reports this document alone if it fails there
                done = d
            out.append((x, done.text_bounds, done.word_keys))
    return out


@contextmanager
def connect(*, workers: int | None = None, scheduler: str | None = None) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler``, or of a local cluster of ``workers`` processes."""
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        with client:
            yield client
        return
    # One thread per process: spaCy and the extractors hold the GIL, so processes are what run in parallel.
    # The workers are forked from this process with the model loaded, so none of them imports spaCy and loads
    # the model again (1.5 s of CPU each, on the cores they are started to share).
    nlp.load()
    with dask.config.set(LOCAL_WORKER_CONFIG), \
            LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address=None, silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


def ingest(paths: Iterable[str], client: Client, store: Store, *, published: str | None = None,
           outlet: str | None = None, stdin: TextIO | None = None,
           progress: Progress | None = None) -> IngestReport:
    """``pipeline.ingest`` with parsing and extraction done by the cluster's workers."""
    client.register_plugin(LoadPipeline())
    window = IN_FLIGHT * max(1, sum(client.nthreads().values()))
    report = IngestReport()
    pending: deque[tuple[list[Document], Future]] = deque()
    stored = read = 0

    def store_oldest() -> None:
        nonlocal stored
        batch, future = pending.popleft()
        try:
            results: list[Extracted] = future.result()
        except Exception as exc:  # the batch killed its workers too often (KilledWorker), or was lost
            results = [(Failure.of(d.source, exc, "extraction on the cluster"), None, None) for d in batch]
        for document, (extraction, bounds, keys) in zip(batch, results, strict=True):
            store_extraction(replace(document, text_bounds=bounds, word_keys=keys), extraction, store, report)
            stored += 1
            if progress:
                progress(stored, read, document.source)

    batch: list[Document] = []
    for document in new_documents(paths, store, report, published=published, outlet=outlet, stdin=stdin):
        batch.append(document)
        read += 1
        if len(batch) == BATCH:
            pending.append((batch, client.submit(extract_batch, batch, pure=False)))
            batch = []
            while len(pending) >= window:
                store_oldest()
    if batch:
        pending.append((batch, client.submit(extract_batch, batch, pure=False)))
    while pending:
        store_oldest()
    finish(store, report, extract=lambda documents, parses: _on_workers(client, documents, parses))
    return report


def extract_batch_again(documents: list[Document], parses: dict[str, bytes]) -> list[Extraction | Failure]:
    """On a worker: ``pipeline.extract_again`` (the rebuild's re-extractions, from the parses the store kept)."""
    return [x if isinstance(x, Extraction) else Failure.of(d.source, x, "extraction")
            for d, x in zip(documents, extract_again(documents, parses), strict=True)]


def _on_workers(client: Client, documents: list[Document], parses: dict[str, bytes]) -> list[Extraction | Exception]:
    """The rebuild's re-extractions, run by a worker: it holds the model and has extracted before (what the
    extractors load once is loaded there, not in this process)."""
    try:
        results = client.submit(extract_batch_again, documents, parses, pure=False).result()
    except Exception:  # the cluster lost its workers meanwhile: extract here rather than fail the rebuild
        return list(extract_again(documents, parses))
    return [x if isinstance(x, Extraction) else RuntimeError(x.message) for x in results]
