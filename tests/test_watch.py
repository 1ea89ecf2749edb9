"""The watcher against real feeds and pages served from 127.0.0.1 (tests/feedsite.py, tests/data/feeds/).

One module-wide run polls an RSS 2.0 feed, an Atom feed, a feed of broken XML and a feed that answers
500, twice, so the second poll meets the first's ETag / Last-Modified; the pages include a slow one, a
redirect loop, one in windows-1250 with no charset in its headers, and one wire story under several
addresses. A third run from a fresh process state (new fetcher, store opened again) reads nothing again.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from feedsite import FeedSite
from pactwatch import watch
from pactwatch.store import Store, open_store

POLICY = watch.FetchPolicy(timeout=1.0, retries=1, backoff=0.05, host_interval=0.01, max_attempts=2)
PACTWATCH = Path(sys.executable).parent / "pactwatch"


@dataclass
class Run:
    site: FeedSite
    db: Path
    first: watch.TickReport
    second: watch.TickReport
    third: watch.TickReport
    hits_after_first: dict[str, int]
    hits_after_second: dict[str, int]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    tmp = tmp_path_factory.mktemp("watch")
    site = FeedSite()
    site.slow_seconds = 2.5  # over POLICY.timeout: the page times out on every try
    feeds = watch.read_feed_list(site.feed_list(tmp, "world.rss", "region.atom", "broken.rss", "down.rss"))
    db = tmp / "watch.db"
    with open_store(db) as store, watch.Fetcher(POLICY) as fetcher:
        first = watch.tick(store, feeds, fetcher)
        hits_first = dict(site.hits)
        second = watch.tick(store, feeds, fetcher)
        hits_second = dict(site.hits)
    with open_store(db) as store, watch.Fetcher(POLICY) as fetcher:  # a restart: state from the store only
        third = watch.tick(store, feeds, fetcher)
    yield Run(site, db, first, second, third, hits_first, hits_second)
    site.close()


@pytest.fixture
def store(run: Run) -> Iterator[Store]:
    with open_store(run.db) as s:
        yield s


def _item(store: Store, address: str) -> watch.FeedItem:
    return next(i for i in store.feed_items() if i.canonical_url == watch.canonical_url(address))


@pytest.mark.parametrize(("given", "canonical"), [
    ("https://News.Example.org/a/story?utm_source=rss&utm_medium=feed", "https://news.example.org/a/story"),
    ("https://news.example.org/a/story?id=7&fbclid=XYZ&gclid=1#comments", "https://news.example.org/a/story?id=7"),
    ("https://news.example.org/a/story#top", "https://news.example.org/a/story"),
    ("https://news.example.org:443/a/story?b=2&a=1", "https://news.example.org/a/story?a=1&b=2"),
    ("http://news.example.org/a/story?page=2", "http://news.example.org/a/story?page=2"),
])
def test_canonical_addresses_drop_tracking_and_fragments_only(given: str, canonical: str) -> None:
    assert watch.canonical_url(given) == canonical


def test_the_feed_list_names_feeds_with_labels_and_refuses_what_is_no_address(tmp_path: Path) -> None:
    good = tmp_path / "feeds.txt"
    good.write_text("# desks\nhttps://a.example.org/rss.xml  Andes desk\n\nhttps://b.example.org/atom\n",
                    encoding="utf-8")
    assert watch.read_feed_list(good) == [watch.FeedSpec("https://a.example.org/rss.xml", "Andes desk"),
                                          watch.FeedSpec("https://b.example.org/atom")]
    bad = tmp_path / "bad.txt"
    bad.write_text("https://a.example.org/rss.xml\nftp://b.example.org/feed\n", encoding="utf-8")
    with pytest.raises(watch.WatchError, match=r"bad.txt:2: not an http\(s\) feed address"):
        watch.read_feed_list(bad)
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(watch.WatchError, match="names no feed"):
        watch.read_feed_list(empty)


def test_rss_and_atom_items_are_read_into_documents(run: Run, store: Store) -> None:
    titles = {d.title for d in store.documents()}
    assert titles == {"Kenya, Tanzania agree to hold joint commission session in Arusha",
                      "Chile and Peru sign fisheries accord", "Chile, Peru in fisheries deal",
                      "Czech Republic and Poland open rail link"}
    kt = next(d for d in store.documents() if d.title and d.title.startswith("Kenya"))
    assert kt.url == f"{run.site.base}/articles/kt-commission.html"  # the canonical address, trackers gone
    assert str(kt.published) == "2026-03-02" and kt.outlet == "world desk"
    assert any(c.parties == ["KEN", "TZA"] for c in store.commitments())  # the record was rebuilt


def test_a_failing_feed_fails_alone_and_its_health_says_why(run: Run, store: Store) -> None:
    health = {f.url.rsplit("/", 1)[1]: f for f in store.feeds()}
    assert "not a readable RSS/Atom feed" in (health["broken.rss"].last_error or "")
    assert health["down.rss"].last_error == f"HTTP 500 from {run.site.base}/feeds/down.rss"
    assert health["down.rss"].failures == 3 and health["down.rss"].last_success_at is None
    # The Atom feed is polled first; the RSS feed's wire story is the Atom's under another address.
    for name, items in (("world.rss", 3), ("region.atom", 4)):
        assert health[name].last_error is None and health[name].last_success_at is not None
        assert health[name].items_read == items
    assert set(run.first.feed_errors) == {f"{run.site.base}/feeds/broken.rss", f"{run.site.base}/feeds/down.rss"}
    assert run.site.hits["/feeds/down.rss"] == 6  # each poll tried twice (one retry), three polls


def test_one_story_under_three_addresses_is_one_document(run: Run, store: Store) -> None:
    base = run.site.base
    # 1. The RSS address (tracking parameters) and the Atom one (a fragment) are one canonical address.
    canonical = watch.canonical_url(f"{base}/articles/cl-pe-wire.html?utm_source=rss&fbclid=abc123")
    assert canonical == watch.canonical_url(f"{base}/articles/cl-pe-wire.html#comments")
    assert [i.canonical_url for i in store.feed_items()].count(canonical) == 1
    assert run.hits_after_first["/articles/cl-pe-wire.html"] == 1
    tracked = _item(store, canonical)
    # 2. The same bytes under another address: the same text, so the same document.
    mirror = _item(store, f"{base}/mirror/cl-pe-wire.html")
    assert mirror.state == "duplicate" and mirror.doc_id == tracked.doc_id
    # 3. The wire story reprinted with another headline and furniture: stored as a second source, a copy.
    copy = _item(store, f"{base}/articles/cl-pe-wire-copy.html")
    assert copy.state == "stored" and copy.doc_id != tracked.doc_id and copy.copy_of == tracked.doc_id
    assert (run.first.duplicates, run.first.copies) == (1, 1)
    assert sum(1 for d in store.documents() if "fisheries" in (d.title or "")) == 2


def test_a_page_in_another_encoding_is_read_as_its_meta_charset_says(store: Store) -> None:
    page = next(d for d in store.documents() if d.title == "Czech Republic and Poland open rail link")
    assert "between Ostrava and Łódź" in page.text and "50 złoty" in page.text and "Bohumín" in page.text


def test_a_slow_page_is_retried_on_later_polls_and_a_redirect_loop_is_given_up(run: Run, store: Store) -> None:
    base = run.site.base
    slow = _item(store, f"{base}/slow/no-vn.html")
    assert slow.state == "failed" and slow.attempts == POLICY.max_attempts and "timed out" in (slow.error or "")
    assert run.first.failed[f"{base}/slow/no-vn.html"].startswith("timed out after 1s")
    assert run.hits_after_second["/slow/no-vn.html"] == 4  # two polls, two tries each; then no more
    assert run.site.hits["/slow/no-vn.html"] == 4
    loop = _item(store, f"{base}/loop/0")
    assert loop.state == "failed" and "redirect loop" in (loop.error or "") and loop.attempts == 1
    assert run.site.hits["/loop/0"] == 3  # one try: 0 -> 1 -> 0 ... until the redirect limit, never again


def test_conditional_get_and_restart_fetch_nothing_twice(run: Run) -> None:
    assert run.site.not_modified["world.rss"] == 2 and run.site.not_modified["region.atom"] == 2  # ETag, then date
    assert run.second.queued == 0 and run.second.added == [] and run.third.added == []
    pages = {p: n for p, n in run.site.hits.items() if p.startswith(("/articles/", "/mirror/"))}
    assert pages and all(n == 1 for n in pages.values()), pages


def test_watch_refuses_a_bad_feed_list_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "feeds.txt"
    bad.write_text("not-an-address\n", encoding="utf-8")
    done = subprocess.run([str(PACTWATCH), "watch", str(bad), "--once", "--db", str(tmp_path / "x.db")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"error: {bad}:1: not an http(s) feed address: not-an-address"]
    assert not (tmp_path / "x.db").exists()
