"""The main job: sources -> documents -> nlp -> extractors -> store -> resolution.

``ingest`` streams: it reads, parses and stores ``BATCH`` documents at a time,
so what was read is stored whatever a later file or line holds, and any
error in one item (reading, building, parsing, extracting or storing it) is
one ``Failure`` for that item, never the batch's. It stores each new
document with its per-document extraction in one
transaction, so a crash midway leaves every earlier document whole; then
``rebuild`` resolves the whole stored corpus (actors, episodes, commitments,
claims), infers the publication dates that only other articles can tell,
and replaces the resolved record in one transaction.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, TextIO

from pactwatch import nlp
from pactwatch.documents import ENGLISH, DocumentError, build_document, language_name
from pactwatch.extract import extract_document, prefilter
from pactwatch.models import Corpus, DateRange, Document, Extraction
from pactwatch.resolve import Resolution, resolve_blocks
from pactwatch.resolve.blocks import RULES, KeyIndex, Resolved
from pactwatch.resolve.copies import CopyIndex, copy_groups, groups_since
from pactwatch.resolve.episodes import infer_publication_dates, text_bounds
from pactwatch.sources import RawDocument, SourceError, one_line, read_sources
from pactwatch.store.blocks import BlockGone
from pactwatch.track import judge, kept_word_keys, word_keys

if TYPE_CHECKING:
    from pactwatch.store import Store

# Publication dates inferred from other articles can unlock further ones
# (an article dated by a second one that was itself dated by a third).
INFERENCE_ROUNDS = 3
BATCH = 16  # documents parsed together: spaCy's batching pays off, and a later bad item cannot reach them

Progress = Callable[[int, int, str], None]  # (done, read so far, current source)


@dataclass
class Failure:
    source: str
    message: str

    @classmethod
    def of(cls, source: str, exc: BaseException, doing: str) -> Failure:
        """A failure from an exception nothing foresaw: what was being done, and the error, on one line."""
        return cls(source, one_line(f"{doing} failed: {type(exc).__name__}: {exc}"))

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)  # read, but with a caveat (e.g. decoded as Latin-1)

    @property
    def ok(self) -> bool:
        return not self.failed


def ingest(paths: Iterable[str], store: Store, *, published: str | None = None, outlet: str | None = None,
           stdin: TextIO | None = None, progress: Progress | None = None) -> IngestReport:
    """Read, extract and store every new document under ``paths``; report what failed."""
    report = IngestReport()
    batch: list[Document] = []
    read = 0
    for document in new_documents(paths, store, report, published=published, outlet=outlet, stdin=stdin):
        batch.append(document)
        read += 1
        if len(batch) == BATCH:
            _store_batch(batch, store, report, progress, read)
            batch = []
    _store_batch(batch, store, report, progress, read)
    finish(store, report)
    return report


def new_documents(paths: Iterable[str], store: Store, report: IngestReport, *, published: str | None = None,
                  outlet: str | None = None, stdin: TextIO | None = None) -> Iterator[Document]:
    """The documents under ``paths`` that the store does not hold yet, in order; the rest goes to ``report``."""
    seen: set[str] = set()
    for item in read_sources(list(paths), stdin=stdin):
        if isinstance(item, SourceError):
            report.failed.append(Failure(item.source, item.message))
            continue
        report.warnings.extend(Failure(item.source, one_line(w)) for w in item.warnings)
        try:
            document = build_document(item, published=published, outlet=outlet)
        except DocumentError as exc:
            report.failed.append(Failure(item.source, str(exc)))
            continue
        except Exception as exc:
            report.failed.append(Failure.of(item.source, exc, "reading the document"))
            continue
        if document.id in seen or store.has_document(document.id):
            report.unchanged.append(document.source)
            continue
        seen.add(document.id)
        if document.language != ENGLISH:
            report.warnings.append(Failure(document.source, f"in {language_name(document.language)}, not English: "
                                                             "stored, no records drawn"))
        yield document


def store_extraction(document: Document, extraction: Extraction | Exception | Failure, store: Store,
                     report: IngestReport) -> None:
    """Store one document with its extraction in its own transaction, or report why not."""
    if isinstance(extraction, Failure):  # reported by a worker of a cluster
        report.failed.append(extraction)
    elif isinstance(extraction, Exception):  # one bad document must not stop the batch
        report.failed.append(Failure.of(document.source, extraction, "extraction"))
    else:
        try:
            store.add_document(worked_out(document), extraction)
            report.added.append(document.source)
        except Exception as exc:
            report.failed.append(Failure.of(document.source, exc, "storing"))


# What extracts documents again under their new dates, in order, an exception standing for one that failed; it
# is given the parses the store keeps of them, by document id (``extract_again`` here, or a cluster's workers).
Extractor = Callable[[list[Document], dict[str, bytes]], Iterable[Extraction | Exception]]


def finish(store: Store, report: IngestReport, extract: Extractor | None = None) -> None:
    """Resolve the corpus once, after the documents are stored."""
    if report.added or store.needs_rebuild():  # also finishes an ingest killed before it resolved
        rebuild(store, extract=extract)


def _store_batch(batch: list[Document], store: Store, report: IngestReport, progress: Progress | None,
                 read: int) -> None:
    for n, (document, extraction) in enumerate(zip(batch, extract_all(batch), strict=True), read - len(batch) + 1):
        store_extraction(document, extraction, store, report)
        if progress:
            progress(n, read, document.source)


def extract_all(documents: list[Document]) -> Iterator[Extraction | Exception]:
    """Each document's extraction, in order, or the exception that stopped it (the others go on).

    Only English text is parsed: a page in another language yields an empty extraction, not
    records an English model drew from text it cannot read. The parser sees only the sentences that can
    yield a record (``extract.prefilter``), at the same offsets. An undated document's extraction carries its
    parse, for the store to keep (``Extraction.parse``).
    """
    english = [d for d in documents if d.language == ENGLISH]
    try:
        docs = dict(zip((d.id for d in english), nlp.parse_many(prefilter.parser_parts(d.text) for d in english),
                        strict=True))
    except Exception:  # the batch failed as one: parse one by one to find the culprit
        docs = {}
    for document in documents:
        if document.language != ENGLISH:
            yield Extraction(doc_id=document.id)
            continue
        try:
            doc = docs[document.id] if document.id in docs else nlp.parse(prefilter.parser_parts(document.text))
            extraction = extract_document(document, doc)
            if document.published_source in (None, "inferred"):  # its date may be inferred anew: keep the parse
                extraction.parse = nlp.keep(doc)
            yield extraction
        except Exception as exc:
            yield exc


def rebuild(store: Store, as_of: date | None = None, extract: Extractor | None = None) -> Corpus:
    """Resolve the stored corpus, infer missing publication dates, judge commitments, and store the result
    (``store.corpus()`` reads it).

    Only the blocks (``resolve.blocks``) that documents added since the last rebuild touch are resolved
    again and rewritten; the others are taken as stored. Commitments are judged as of ``as_of`` (default:
    the newest document's date), so the stored record, the dashboard and the export agree. ``extract``
    extracts the documents whose dates were inferred anew (default ``extract_all``, here; a cluster's workers).
    Returns the record it stored (of the actors, only those its commitments name).
    """
    with paused_collector():
        for _ in range(2):
            try:
                return _rebuild(store, as_of, extract)
            except BlockGone:  # another rebuild saved while this one read: what it read is gone, read again
                pass
        return _rebuild(store, as_of, extract)  # a third time, its BlockGone raised


@contextmanager
def paused_collector() -> Iterator[None]:
    """The cyclic garbage collector off for a while: a rebuild reads every stored block and builds records by
    the hundred thousand, none of them in a reference cycle, and each full collection would scan them all
    again (measured: 40% of a rebuild of 2,224 articles). What is freed by reference counting is freed as ever."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _rebuild(store: Store, as_of: date | None, extract: Extractor | None) -> Corpus:
    documents = _with_worked_out(store.documents(), store)
    extractions = store.extractions()
    stored = store.resolved_blocks()
    # The last rebuild's partition and copies, found by key: only what new documents touch is read again.
    seen = store.partitioned_documents() if stored else {}
    found = groups_since(documents, CopyIndex(set(seen), store.shingle_holders, store.shingle_counts,
                                              store.shingles_of, _copy_groups_of(seen))) if stored else None
    groups, shingled = found or copy_groups(documents)
    index = KeyIndex(stored, store.rows_with, seen, store.records_with, store.a_row_with)
    resolution = _resolve_blocks_with_inference(documents, extractions, store, stored, store.unresolved_documents(),
                                                store.extraction_digests(), index, groups, extract, all_actors=False)
    corpus = judge(resolution.corpus, as_of)
    store.save_resolution(corpus, resolution.blocks, resolution.index_rows, resolution.partitioned,
                          {d: s for d, s in shingled.items() if d not in seen}, resolution.remarked, resolution.relied)
    return corpus


def _with_worked_out(documents: list[Document], store: Store) -> list[Document]:
    """The documents, each undated one with what its words prove of its date and each dated one with its word keys,
    as the current rules work them out.

    Kept by the store: resolving an episode reads the text bounds of every undated article in it, and judging
    the commitments reads the words of every dated one. Working them out again in each process (a watch tick run
    by cron) cost a fifth of a tick's rebuild (the bounds), and in a store of dated articles most of it (the keys).
    """
    out = [worked_out(d) for d in documents]
    stale = [d for d, was in zip(out, documents, strict=True) if d is not was]
    if stale:
        store.keep_worked_out(stale)
    return out


def worked_out(document: Document) -> Document:
    """``document`` with what a rebuild reads of its words, where it lacks it under the current rules: what an
    undated document's words prove of its date, or a dated one's word keys.

    An ingest works it out as it stores a document, where the document was just extracted (on a cluster, the
    worker): its dates are then found already, and the rebuild, which runs alone, has nothing left to read.
    """
    if document.published_source in (None, "inferred") and (document.text_bounds is None
                                                             or document.text_bounds.rules != RULES):
        document = replace(document, text_bounds=replace(text_bounds(document.text), rules=RULES))
    if document.published is not None and kept_word_keys(document) is None:
        document = replace(document, word_keys=word_keys(document))
    return document


def _copy_groups_of(partitioned: dict[str, tuple[str, str | None]]) -> list[set[str]]:
    """The groups of copies a partition was made with, from each copy's original."""
    groups: dict[str, set[str]] = {}
    for doc_id, (_, original) in partitioned.items():
        if original is not None:
            groups.setdefault(original, {original}).add(doc_id)
    return list(groups.values())


def _resolve_with_inference(documents: list[Document], extractions: list[Extraction],
                            store: Store | None = None) -> Corpus:
    return _resolve_blocks_with_inference(documents, extractions, store).corpus


def _resolve_blocks_with_inference(documents: list[Document], extractions: list[Extraction],
                                   store: Store | None = None, stored: dict[str, Resolved] | None = None,
                                   new: set[str] | None = None, digests: dict[str, str] | None = None,
                                   index: KeyIndex | None = None, groups: list[set[str]] | None = None,
                                   extract: Extractor | None = None, all_actors: bool = True) -> Resolution:
    """Resolve, infer the publication dates other articles tell, and resolve again while dates change.

    ``stored`` are blocks resolved before and ``new`` the documents added since (None: all of them): only
    those documents and the ones in episodes resolved afresh can get a new date. ``index``: the stored
    blocks' partition, so only what changed is partitioned again (each round from the one before); ``groups``:
    the groups of copies, where known (texts do not change between rounds, so neither do they). ``all_actors``:
    as ``resolve_blocks`` takes it.
    """
    groups = copy_groups(documents)[0] if groups is None else groups
    stored = dict(stored or {})
    digests = dict(digests or {})
    by_id = {d.id: d for d in documents}
    by_doc = {x.doc_id: x for x in extractions}
    # Dates are inferred from episodes: the figures and pledges are resolved once, when the dates have settled.
    resolution = resolve_blocks(documents, extractions, stored, digests, index, groups, figures=False)
    rows = dict(resolution.index_rows)
    among = None if new is None else new | resolution.fresh_event_docs
    # A date a round inferred is narrowed or moved by a later one, never widened back: a document dated afresh is
    # extracted again, and an event that then joins another episode drops the link that dated it ("have reached
    # an agreement" dates it the day of the deal; extracted again, it is left with a fortnight).
    given: dict[str, DateRange] = {}
    for _ in range(INFERENCE_ROUNDS):
        inferred = {doc_id: rng for doc_id, rng in infer_publication_dates(by_id, list(by_doc.values()),
                                                                           resolution.corpus.events, among).items()
                    if by_id[doc_id].published_source in (None, "inferred") and by_id[doc_id].published != rng
                    and not _widens(rng, given.get(doc_id))}
        if not inferred:
            break
        given.update(inferred)
        changed = [replace(by_id[doc_id], published=rng, published_source="inferred")
                   for doc_id, rng in inferred.items()]
        # Relative dates ("on Tuesday") can only be resolved now that the anchor is known.
        for document, extraction in zip(changed, _extract_again(changed, store, extract), strict=True):
            by_id[document.id] = document
            if isinstance(extraction, Exception):  # it was extracted once: keep that rather than lose it
                continue
            by_doc[document.id] = extraction
            digests.pop(document.id, None)  # extracted anew: hashed anew
            if store is not None:
                store.update_document(document, extraction)
                digests.update(store.extraction_digests(document.id))
        documents = list(by_id.values())
        stored.update((r.fingerprint, r) for r in resolution.blocks)  # this round's blocks need not be redone
        if index is not None:
            index = index.after([*resolution.blocks, *resolution.unresolved], resolution.index_rows,
                                resolution.partitioned, resolution.parts)
        resolution = resolve_blocks(documents, list(by_doc.values()), stored, digests, index, groups, figures=False)
        rows.update(resolution.index_rows)
        among = None if new is None else set(inferred) | resolution.fresh_event_docs
    resolution = resolve_blocks(documents, list(by_doc.values()), stored, digests, index, groups, all_actors,
                                settled=resolution)
    resolution.index_rows = rows  # what the store's index needs of every round
    return resolution


def _widens(new: DateRange, earlier: DateRange | None) -> bool:
    return earlier is not None and new != earlier and new.start <= earlier.start and earlier.end <= new.end


def _extract_again(documents: list[Document], store: Store | None,
                   extract: Extractor | None) -> Iterator[Extraction | Exception]:
    """The documents' extractions under their new dates, by ``extract`` (default: in this process)."""
    parses = store.kept_parses({d.id for d in documents}) if store is not None else {}
    yield from (extract or extract_again)(documents, parses)


def extract_again(documents: list[Document], parses: dict[str, bytes]) -> Iterator[Extraction | Exception]:
    """Each document's extraction from the parse kept of it where this parser made one (``nlp.kept``: a fiftieth
    of the cost of parsing it again), the others parsed again."""
    docs = {doc_id: doc for doc_id, data in parses.items() if (doc := nlp.kept(data)) is not None}
    rest = [d for d in documents if d.id not in docs]
    others = iter(extract_all(rest) if rest else ())
    for document in documents:
        if document.id not in docs:
            yield next(others)
            continue
        try:
            yield extract_document(document, docs[document.id])
        except Exception as exc:  # as extract_all: one document's failure is its own
            yield exc


def extract_text(text: str, published: str | date | DateRange | None = None, *, source: str = "<text>",
                 title: str | None = None, outlet: str | None = None, url: str | None = None) -> Corpus:
    """The records one text yields, without a store: the library's quickest entry point."""
    return extract_texts([RawDocument(text=text, source=source, title=title, url=url, outlet=outlet,
                                      published=_date_text(published))])


def extract_texts(raws: list[RawDocument]) -> Corpus:
    """The resolved record of several texts read together, without a store."""
    documents = [build_document(r) for r in raws]
    found: list[Extraction] = []
    for extraction in extract_all(documents):
        if isinstance(extraction, Exception):
            raise extraction
        found.append(extraction)
    return judge(_resolve_with_inference(documents, found))


def _date_text(value: str | date | DateRange | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, DateRange):
        return value.start.isoformat() if value.precision == "day" else str(value)
    return value.isoformat()
