"""The watcher: follow RSS/Atom feeds, read each new article once, and bring the record up to date.

One ``tick``:

1. polls every feed with a conditional GET (ETag / Last-Modified); a feed
   that fails (down, 500, broken XML) is noted in its own health row and the
   others go on;
2. queues each entry under its canonical address (tracking parameters and
   fragments dropped, by courlan), so an address already seen is never
   fetched again; the queue and the feed's new validators are written in one
   transaction, so a watcher killed midway loses nothing;
3. fetches each queued page (per-host rate limit, timeouts, retries with
   backoff), takes its main text as the .html reader does, and stores it
   unless its text is already stored (the document id is the text's hash);
   a near-copy of a stored article (resolve/copies.py) is stored as another
   source of the same story and noted as such;
4. rebuilds the record if anything was added, then raises and delivers
   alerts (alerts.py).

The state lives in the store (store/watch.py), so ``watch --once`` from cron
and a long-running ``watch`` behave the same, and a restart after a kill
skips nothing and fetches nothing twice (only the page in flight at the kill).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urlsplit

import httpx

from pactwatch.documents import DocumentError, build_document
from pactwatch.models import Document
from pactwatch.pipeline import BATCH, extract_all, rebuild, worked_out
from pactwatch.resolve.copies import find_copies
from pactwatch.sources import MAX_FILE_BYTES, RawDocument, SourceError, one_line, read_html
from pactwatch.store.watch import FeedItem, FeedState

if TYPE_CHECKING:
    from pactwatch.store import Store

USER_AGENT = "pactwatch-watch/0.1 (+https://example.invalid/pactwatch)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})  # worth asking again; any other 4xx will not change
COPY_WINDOW_DAYS = 7  # a wire copy is published within days of its original
UNDATED_CANDIDATES = 200  # an undated page is compared with the newest documents only
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class WatchError(ValueError):
    """A feed list that cannot be used; the message is one line."""


class FetchError(Exception):
    """A fetch that failed; ``retry`` says whether a later tick should try again."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(one_line(message))
        self.retry = retry


@dataclass(frozen=True)
class FeedSpec:
    url: str
    label: str | None = None


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and how patiently the watcher fetches."""

    timeout: float = 20.0  # seconds for each of connect, read, write
    retries: int = 2  # further tries of one request after a timeout, a dropped connection or a 5xx
    backoff: float = 1.0  # seconds before the first retry, doubled for each next one
    host_interval: float = 1.0  # at least this long between two requests to one host
    max_redirects: int = 5
    max_bytes: int = MAX_FILE_BYTES
    max_attempts: int = 3  # ticks an article page may fail before it is given up


@dataclass
class TickReport:
    polled: int = 0
    feed_errors: dict[str, str] = field(default_factory=dict)
    queued: int = 0
    added: list[str] = field(default_factory=list)  # document ids
    duplicates: int = 0
    copies: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # item address -> why
    alerts: int = 0
    delivered: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # poll, read, rebuild, alerts: where the time went


def read_feed_list(path: str | Path) -> list[FeedSpec]:
    """The feeds named in a file: one address a line, optionally followed by a label; '#' starts a comment."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WatchError(f"cannot read the feed list {path}: {one_line(str(exc))}") from None
    feeds: list[FeedSpec] = []
    for n, line in enumerate(text.splitlines(), 1):
        words = line.split("#", 1)[0].split(None, 1)
        if not words:
            continue
        url = words[0]
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise WatchError(f"{path}:{n}: not an http(s) feed address: {one_line(url)[:200]}")
        feeds.append(FeedSpec(url, words[1].strip() if len(words) > 1 else None))
    if not feeds:
        raise WatchError(f"{path}: names no feed")
    return feeds


def canonical_url(url: str) -> str:
    """The address an article is known by: scheme and host lower-cased, default port, tracking
    parameters (utm_*, fbclid, gclid ...) and the fragment dropped, parameters sorted (courlan)."""
    from courlan import normalize_url

    bare = urldefrag(url.strip()).url
    try:
        return str(normalize_url(bare))
    except ValueError:  # not an address courlan can parse: keep it as given, minus its fragment
        return bare


class Fetcher:
    """HTTP GETs with a per-host rate limit, timeouts and retries with exponential backoff."""

    def __init__(self, policy: FetchPolicy | None = None, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.policy = policy or FetchPolicy()
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._client = httpx.Client(timeout=self.policy.timeout, follow_redirects=True,
                                    max_redirects=self.policy.max_redirects, headers={"User-Agent": USER_AGENT})

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        wait = self._last.get(host, -1e9) + self.policy.host_interval - time.monotonic()
        if wait > 0:
            self._sleep(wait)
        self._last[host] = time.monotonic()

    def get(self, url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes, str]:
        """(status, headers, body, final address) of a GET; 304 is an answer, not an error.

        Raises ``FetchError``: retryable for timeouts, dropped connections and 429/5xx after the
        retries are spent; final for a redirect loop, other 4xx and a body over the size limit.
        """
        policy = self.policy
        for attempt in range(policy.retries + 1):
            if attempt:
                self._sleep(policy.backoff * 2 ** (attempt - 1))
            self._wait_turn(url)
            try:
                with self._client.stream("GET", url, headers=headers or {}) as response:
                    if response.status_code in RETRY_STATUSES:
                        error = FetchError(f"HTTP {response.status_code} from {url}", retry=True)
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"HTTP {response.status_code} from {url}", retry=False)
                    body = self._read_bounded(response)
                    return response.status_code, dict(response.headers), body, str(response.url)
            except httpx.TooManyRedirects:
                raise FetchError(f"redirect loop (more than {policy.max_redirects} redirects) from {url}",
                                 retry=False) from None
            except httpx.TimeoutException:
                error = FetchError(f"timed out after {policy.timeout:g}s: {url}", retry=True)
            except httpx.TransportError as exc:
                error = FetchError(f"cannot fetch {url}: {type(exc).__name__}: {exc}", retry=True)
            except httpx.InvalidURL as exc:
                raise FetchError(f"not a fetchable address {url}: {exc}", retry=False) from None
        raise error

    def _read_bounded(self, response: httpx.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.policy.max_bytes:
                raise FetchError(f"over {self.policy.max_bytes / 1e6:.0f} MB: {response.url}", retry=False)
            chunks.append(chunk)
        return b"".join(chunks)


# -- feeds ---------------------------------------------------------------------

def poll_feed(store: Store, feed: FeedState, fetcher: Fetcher) -> int:
    """Poll one feed and queue its new items; returns how many were new. Raises ``FetchError``."""
    import feedparser

    headers: dict[str, str] = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    status, answer, body, _ = fetcher.get(feed.url, headers)
    if status == 304:
        store.feed_polled(feed.url, [], etag=feed.etag, last_modified=feed.last_modified, not_modified=True)
        return 0
    parsed = feedparser.parse(body, response_headers={k.lower(): v for k, v in answer.items()})
    if parsed.bozo and not parsed.entries:
        raise FetchError(f"not a readable RSS/Atom feed: {parsed.get('bozo_exception')}", retry=True)
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        if urlsplit(link).scheme not in ("http", "https"):
            continue  # an entry with no article address has no page to read
        items.append(FeedItem(canonical_url(link), feed.url, link, entry.get("title"), _entry_day(entry)))
    lower = {k.lower(): v for k, v in answer.items()}
    return store.feed_polled(feed.url, items, etag=lower.get("etag"), last_modified=lower.get("last-modified"))


def _entry_day(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")  # a UTC struct_time
    return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat() if parsed else None


# -- article pages -------------------------------------------------------------

def page_text(body: bytes, headers: dict[str, str]) -> str:
    """The page's characters: the charset the server names, else the page's own <meta charset>, else a guess."""
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    declared = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    meta = _META_CHARSET.search(body[:4096])
    for charset in (declared[1] if declared else None, meta[1].decode("ascii") if meta else None):
        if charset:
            try:
                return body.decode(charset)
            except (LookupError, UnicodeDecodeError):
                continue  # a wrong or unknown label: fall through to detection
    from trafilatura.utils import decode_file

    return str(decode_file(body))


def read_item(item: FeedItem, fetcher: Fetcher, label: str | None) -> RawDocument:
    """The article at an item's address. Raises ``FetchError``."""
    _, headers, body, final = fetcher.get(item.url)
    read = read_html(page_text(body, headers), item.url)
    if isinstance(read, SourceError):
        raise FetchError(read.message, retry=False)
    # The feed's date and the item's canonical address win: a page's own metadata is often the site's.
    return RawDocument(text=read.text, source=item.canonical_url, title=read.title or item.title,
                       url=item.canonical_url, outlet=read.outlet or label or urlsplit(final).netloc,
                       published=item.published or read.published, warnings=read.warnings)


def _copy_candidates(store: Store, document: Document) -> list[Document]:
    if document.published is None:
        return store.newest_documents(UNDATED_CANDIDATES)
    start = document.published.start - timedelta(days=COPY_WINDOW_DAYS)
    end = document.published.end + timedelta(days=COPY_WINDOW_DAYS)
    return store.documents_published_between(start.isoformat(), end.isoformat())


def original_of(store: Store, document: Document) -> str | None:
    """The stored document this one is a near-copy of (the same wire story on another site), if any."""
    others = [d for d in _copy_candidates(store, document) if d.id != document.id]
    copies = find_copies([document, *others])
    if document.id in copies:
        return copies[document.id]
    # It may be the group's original (published first): name the earliest-stored member instead.
    return next((d.id for d in others if copies.get(d.id) == document.id), None)


# -- one tick ------------------------------------------------------------------

def register(store: Store, feeds: Iterable[FeedSpec]) -> None:
    for spec in feeds:
        store.add_feed(spec.url, spec.label)


def tick(store: Store, feeds: list[FeedSpec], fetcher: Fetcher, *, alerts: bool = True,
         log: Callable[[str], None] | None = None) -> TickReport:
    """Poll every feed, read every new item, rebuild, then raise and deliver alerts."""
    say = log or (lambda _: None)
    report = TickReport()
    clock = time.perf_counter()

    def lap(phase: str) -> None:
        nonlocal clock
        report.seconds[phase] = time.perf_counter() - clock
        clock = time.perf_counter()

    register(store, feeds)
    wanted = {spec.url for spec in feeds}
    labels = {spec.url: spec.label for spec in feeds}
    for feed in store.feeds():
        if feed.url not in wanted:
            continue
        report.polled += 1
        try:
            new = poll_feed(store, feed, fetcher)
            report.queued += new
            say(f"feed {feed.url}: {new} new")
        except FetchError as exc:  # one feed's failure is its own: the others are polled as usual
            store.feed_failed(feed.url, str(exc))
            report.feed_errors[feed.url] = str(exc)
            say(f"feed {feed.url}: failed: {exc}")
    lap("poll")
    _read_items(store, fetcher, labels, report, say)
    lap("read")
    rebuilt = rebuild(store) if report.added or store.needs_rebuild() else None
    lap("rebuild")
    if alerts:
        from pactwatch import alerts as alerting

        report.alerts = len(alerting.evaluate(store, rebuilt))
        report.delivered = alerting.deliver(store)
    lap("alerts")
    return report


def _read_items(store: Store, fetcher: Fetcher, labels: dict[str, str | None], report: TickReport,
                say: Callable[[str], None]) -> None:
    """Fetch the queued pages, BATCH at a time (spaCy parses a batch faster), and store each as it is judged."""
    max_attempts = fetcher.policy.max_attempts
    batch: list[tuple[FeedItem, Document]] = []
    for item in store.pending_items(max_attempts):
        try:
            batch.append((item, build_document(read_item(item, fetcher, labels.get(item.feed_url)))))
        except (FetchError, DocumentError) as exc:
            retry = isinstance(exc, FetchError) and exc.retry
            store.item_attempt_failed(item.canonical_url, str(exc), max_attempts if retry else 0)
            report.failed[item.url] = str(exc)
            say(f"item {item.url}: failed: {exc}")
        if len(batch) == BATCH:
            _store_batch(store, batch, report, say)
            batch = []
    _store_batch(store, batch, report, say)


def _store_batch(store: Store, batch: list[tuple[FeedItem, Document]], report: TickReport,
                 say: Callable[[str], None]) -> None:
    fresh: dict[str, Document] = {}
    for _, document in batch:
        if not store.has_document(document.id):
            fresh.setdefault(document.id, document)
    extractions = dict(zip(fresh, extract_all(list(fresh.values())), strict=True))
    for item, document in batch:
        if store.has_document(document.id):
            # The same text under another address is one document; an item killed before it was marked is its own.
            owner = store.item_for_document(document.id)
            state = "duplicate" if owner and owner.canonical_url != item.canonical_url else "stored"
            store.item_read(item.canonical_url, state, doc_id=document.id)
            report.duplicates += state == "duplicate"
            continue
        extraction = extractions[document.id]
        if not isinstance(extraction, Exception):
            try:
                document = worked_out(document)
            except Exception as exc:  # what the rebuild reads of its words: one document's failure is its own
                extraction = exc
        if isinstance(extraction, Exception):
            store.item_attempt_failed(item.canonical_url, f"extraction failed: {extraction}", 0)
            report.failed[item.url] = one_line(f"extraction failed: {extraction}")
            continue
        copy_of = original_of(store, document)
        store.add_document(document, extraction)  # worked out above
        store.item_read(item.canonical_url, "stored", doc_id=document.id, copy_of=copy_of)
        report.added.append(document.id)
        report.copies += copy_of is not None
        say(f"item {item.url}: stored {document.id}" + (f" (a copy of {copy_of})" if copy_of else ""))
