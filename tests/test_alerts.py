"""Alerts: rules over the record, raised once, delivered once, to real receivers on 127.0.0.1.

The scenario: a feed about Kenya and Tanzania (tests/data/feeds/kt-day*.rss) that on day one carries an
agreement to hold a joint commission's fourth session by 30 April and on day two the report that it was
held. A webhook receiver, an SMTP server (aiosmtpd) and the dashboard's Atom feed take the alerts; the
webhook is down on day one. A last test kills the watcher (kill -9) in the middle of a poll and starts it
again: every alert still arrives exactly once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
import pytest
from fastapi.testclient import TestClient

from feedsite import FeedSite, Mailbox, WebhookReceiver
from pactwatch import alerts, review, watch
from pactwatch.pipeline import rebuild
from pactwatch.store import Store, open_store
from pactwatch.store import review as review_store
from pactwatch.web.app import create_app

POLICY = watch.FetchPolicy(timeout=5.0, retries=1, backoff=0.05, host_interval=0.01)
SECRET = "a shared secret"
PACTWATCH = Path(sys.executable).parent / "pactwatch"
RULES: list[tuple[str, dict[str, Any]]] = [
    ("new_commitment", {"pair": "KEN-TZA"}), ("due_within", {"days": 60}), ("overdue", {}),
    ("status_changed", {}), ("new_event", {"types": ["AGREE"]}),
    ("new_session", {"actor": "Joint Permanent Commission"}), ("conflicting_claim", {"country": "KEN"}),
]


@dataclass
class Scenario:
    db: Path
    site: FeedSite
    hook: WebhookReceiver
    mail: Mailbox
    day1: watch.TickReport
    day2: watch.TickReport
    waiting_after_day1: int
    digests_after_day2: int
    late: int
    again: list[Any]


def _setup(store: Store, hook: WebhookReceiver, mail: Mailbox | None) -> None:
    alerts.add_channel(store, "hook", "webhook", {"url": f"{hook.base}/in", "secret": SECRET})
    if mail is not None:
        alerts.add_channel(store, "desk", "email", {"to": "desk@example.org", "host": "127.0.0.1",
                                                    "port": mail.port, "mode": "immediate"})
        alerts.add_channel(store, "daily", "email", {"to": "chief@example.org", "host": "127.0.0.1",
                                                     "port": mail.port, "mode": "digest"})
    for kind, options in RULES:
        alerts.add_rule(store, kind, **options)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    tmp = tmp_path_factory.mktemp("alerts")
    site, hook, mail = FeedSite(), WebhookReceiver(), Mailbox()
    site.aliases["kt.rss"] = "kt-day1.rss"
    feeds = watch.read_feed_list(site.feed_list(tmp, "kt.rss"))
    db = tmp / "alerts.db"
    with open_store(db) as store, watch.Fetcher(POLICY) as fetcher:
        _setup(store, hook, mail)
        hook.status = 500  # the receiver is down on day one
        day1 = watch.tick(store, feeds, fetcher)
        waiting = store.pending_delivery_count()
        hook.status = 200
        site.aliases["kt.rss"] = "kt-day2.rss"
        day2 = watch.tick(store, feeds, fetcher)
        digests = len([m for m in mail.messages if m["To"] == "chief@example.org"])
        # Day one's webhook deliveries wait for their retry time; the next day's digest goes out.
        late = alerts.deliver(store, datetime.now(UTC) + timedelta(days=1))
        # However often the record is rebuilt, nothing is raised twice.
        rebuild(store)
        rebuild(store)
        again = alerts.evaluate(store) + alerts.evaluate(store)
        alerts.deliver(store, datetime.now(UTC) + timedelta(days=3))
    yield Scenario(db, site, hook, mail, day1, day2, waiting, digests, late, again)
    site.close()
    hook.close()
    mail.close()


@pytest.fixture
def store(scenario: Scenario) -> Iterator[Store]:
    with open_store(scenario.db) as s:
        yield s


@pytest.mark.parametrize(("kind", "options", "message"), [
    ("new_treaty", {}, "unknown rule kind 'new_treaty'"),
    ("due_within", {}, "due_within needs --days N"),
    ("overdue", {"days": 3}, "--days applies to due_within only"),
    ("new_event", {"types": ["HUG"]}, "unknown event type 'HUG'"),
    ("new_session", {"types": ["AGREE"]}, "--types applies to new_event only"),
    ("new_commitment", {"pair": "KEN"}, "--pair wants two countries"),
    ("new_commitment", {"pair": "KEN-Atlantis"}, "--pair: not a country: 'Atlantis'"),
    ("overdue", {"topic": "gardening"}, "unknown topic 'gardening'"),
])
def test_bad_rules_are_refused_with_the_reason(kind: str, options: dict[str, Any], message: str) -> None:
    with pytest.raises(alerts.RuleError, match=re.escape(message)):
        alerts.rule_params(kind, **options)


def test_a_pair_is_read_from_codes_or_names_in_either_order() -> None:
    assert alerts.rule_params("overdue", pair="Tanzania-Kenya") == {"pair": ["KEN", "TZA"]}
    assert alerts.rule_params("overdue", pair="chl-per", topic="maritime") == {"pair": ["CHL", "PER"],
                                                                             "topic": "maritime"}


def test_each_change_raises_its_alert_naming_record_and_evidence(scenario: Scenario, store: Store) -> None:
    raised = {(a.rule_id, a.change) for a in store.alerts()}
    rule = {kind: i for i, (kind, _) in enumerate(RULES, 1)}
    assert (rule["due_within"], "due 2026-04-30") in raised  # 59 days ahead on day one
    assert (rule["due_within"], "due 2026-06") in raised  # within 60 days once day two's article is in
    assert (rule["status_changed"], "status pending -> met") in raised  # the session was held
    assert (rule["new_event"], "new AGREE") in raised
    assert (rule["new_session"], "session 4") in raised
    assert sum(1 for a in store.alerts() if a.rule_id == rule["new_commitment"]) == 3
    assert not [r for r, _ in raised if r in (rule["overdue"], rule["conflicting_claim"])]
    for alert in store.alerts():
        assert store.record(alert.record_kind, alert.record_id) is not None, alert.title
        assert alert.evidence
        for ev in alert.evidence:
            doc = store.document(ev["doc"])
            assert doc is not None and doc.text[ev["start"]:ev["end"]] == ev["quote"]
    met = next(a for a in store.alerts() if a.change == "status pending -> met")
    assert "Kenya-Tanzania commission meets in Arusha" in met.detail  # the judgment names the later report


def test_each_alert_is_raised_and_delivered_once_however_often_the_record_is_rebuilt(scenario: Scenario,
                                                                                    store: Store) -> None:
    everything = store.alerts()
    assert scenario.again == [] and scenario.day1.alerts + scenario.day2.alerts == len(everything) == 8
    keys = [a["key"] for a in scenario.hook.alerts()]
    assert sorted(keys) == sorted(a.key for a in everything)  # each once
    desk = [m for m in scenario.mail.messages if m["To"] == "desk@example.org"]
    assert len(desk) == len(everything)
    assert store.pending_delivery_count() == 0


def test_the_record_a_rebuild_hands_the_alerts_is_the_record_it_stored(scenario: Scenario, store: Store) -> None:
    """A tick evaluates the rules on the record its rebuild returns, not read back: the two are one, and so are
    the alerts they raise."""
    from pactwatch.models import record_to_dict

    rebuilt = rebuild(store)  # nothing new: the record stays as it is
    by_id = lambda records: {r.id: record_to_dict(r) for r in records}  # noqa: E731
    read, handed = alerts._record(store), alerts._record(store, rebuilt=rebuilt)
    assert read.events and read.commitments and read.claims
    for kind in ("events", "commitments", "claims", "actors"):
        assert by_id(getattr(handed, kind)) == by_id(getattr(read, kind)), kind
    rules = [alerts.Rule.of(r) for r in store.rules()]
    before = {key: {**state, "status": None} if key[0] == "commitment" else state
              for key, state in store.alert_snapshot().items()}  # as if every pledge's status had changed
    found = alerts.find_alerts(store, read, rules, before)
    assert found and found == alerts.find_alerts(store, handed, rules, before)


def test_webhooks_are_signed_with_the_shared_secret(scenario: Scenario) -> None:
    for headers, body in scenario.hook.received:
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert headers[alerts.SIGNATURE_HEADER] == expected
        assert headers[alerts.DELIVERY_HEADER] == json.loads(body)["alert"]["key"]
    assert alerts.signature("another secret", body) != headers[alerts.SIGNATURE_HEADER]


def test_a_receiver_that_is_down_loses_nothing(scenario: Scenario, store: Store) -> None:
    assert scenario.waiting_after_day1 == scenario.day1.alerts * 3 - scenario.day1.delivered
    assert scenario.day1.delivered == scenario.day1.alerts * 2  # by mail, one each and all in one digest
    assert scenario.day2.delivered == scenario.day2.alerts * 2  # webhook and mail; the digest waits a day
    assert scenario.late == scenario.day1.alerts + scenario.day2.alerts  # day one's webhooks, day two's digest
    first = store.alerts()[-1]
    hook = next(d for d in store.deliveries_of(first.id) if d[0] == "hook")
    assert hook[1:] == ("sent", 2, None)  # failed once (HTTP 500), then sent


def test_the_daily_digest_is_one_message_a_day(scenario: Scenario) -> None:
    digests = [m for m in scenario.mail.messages if m["To"] == "chief@example.org"]
    assert scenario.digests_after_day2 == 1 and len(digests) == 2
    assert digests[0]["Subject"].endswith(f"{scenario.day1.alerts} alerts, {datetime.now(UTC).date()}")
    body = digests[1].get_content()
    assert "Now met (was pending) (KEN, TZA)" in body and "Session 4 of Kenya-Tanzania Joint Permanent" in body


def test_the_dashboard_serves_the_log_the_feeds_health_and_an_atom_feed(scenario: Scenario, store: Store) -> None:
    client = TestClient(create_app(scenario.db))
    feed = feedparser.parse(client.get("/alerts.atom").content)
    assert not feed.bozo and len(feed.entries) == len(store.alerts())
    assert {e.link for e in feed.entries} == {f"http://testserver/records/{a.record_kind}/{a.record_id}"
                                              for a in store.alerts()}
    page = client.get("/api/alerts").json()
    assert [a["key"] for a in page["alerts"]] == [a.key for a in store.alerts()]
    assert page["feeds"][0]["items_read"] == 2 and page["feeds"][0]["last_error"] is None
    assert page["waiting"] == 0 and len(page["rules"]) == len(RULES)
    html = client.get("/alerts").text
    assert "Session 4 of Kenya-Tanzania Joint Permanent Commission" in html and "kt desk" in html


def test_analysts_add_and_remove_rules_from_the_dashboard(tmp_path: Path) -> None:
    db = tmp_path / "rules.db"
    with open_store(db) as store:
        review_store.add_account(store, "noor", review.hash_password("a long enough passphrase"))
    client = TestClient(create_app(db))
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)[1]  # type: ignore[index]
    assert client.post("/alerts/rules", data={"kind": "overdue", "csrf": token}).status_code == 401
    client.post("/login", data={"name": "noor", "password": "a long enough passphrase", "csrf": token, "next": "/"})
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/alerts").text)[1]  # type: ignore[index]
    assert client.post("/alerts/rules", data={"kind": "overdue", "csrf": "forged"}).status_code == 403
    bad = client.post("/alerts/rules", data={"kind": "due_within", "days": "soon", "csrf": token})
    assert bad.status_code == 400 and "days must be a whole number" in bad.text
    added = client.post("/alerts/rules", data={"kind": "due_within", "days": "14", "pair": "CHL-PER",
                                               "csrf": token}, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == "/alerts"
    with open_store(db) as store:
        [rule] = store.rules()
    assert rule.kind == "due_within" and rule.params == {"days": 14, "pair": ["CHL", "PER"]}
    assert "due within 14 days, pair CHL-PER" in client.get("/alerts").text
    assert client.post(f"/alerts/rules/{rule.id}/remove", data={"csrf": token},
                       follow_redirects=False).status_code == 303
    assert client.post(f"/alerts/rules/{rule.id}/remove", data={"csrf": token}).status_code == 404


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(PACTWATCH), *args], capture_output=True, text=True, timeout=300)


def test_rules_and_channels_from_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    assert _cli("alerts", "webhook", "ops", "http://127.0.0.1:9/in", "--secret", "s", "--db", db).returncode == 0
    added = _cli("alerts", "add", "new_event", "--types", "AGREE,CONSULT", "--pair", "CHL-PER", "--channel", "ops",
                 "--db", db)
    assert added.returncode == 0 and added.stdout.strip() == "rule 1 added"
    listed = _cli("alerts", "list", "--db", db).stdout
    assert "new event (AGREE, CONSULT), pair CHL-PER" in listed and "ops" in listed
    wrong = _cli("alerts", "add", "due_within", "--db", db)
    assert wrong.returncode == 2 and wrong.stderr.strip() == "error: due_within needs --days N (0 or more)"
    nowhere = _cli("alerts", "add", "overdue", "--channel", "pager", "--db", db)
    assert nowhere.returncode == 2 and "no channel named 'pager'" in nowhere.stderr
    assert _cli("alerts", "remove", "1", "--db", db).returncode == 0
    gone = _cli("alerts", "remove", "1", "--db", db)
    assert gone.returncode == 2 and gone.stderr.strip() == "error: no alert rule 1"


def test_killed_mid_poll_and_restarted_every_alert_arrives_once(tmp_path: Path) -> None:
    site, hook = FeedSite(), WebhookReceiver()
    try:
        site.aliases["kt.rss"] = "kt-day1.rss"
        feeds = site.feed_list(tmp_path, "kt.rss")
        db = tmp_path / "killed.db"
        with open_store(db) as store:
            _setup(store, hook, None)
        args = [str(PACTWATCH), "watch", str(feeds), "--once", "--host-interval", "0", "--db", str(db)]
        assert subprocess.run(args, capture_output=True, timeout=300).returncode == 0
        first = len(hook.received)
        site.aliases["kt.rss"] = "kt-day2.rss"
        site.slow_seconds = 15  # the session report hangs: the watcher is killed while it waits
        watcher = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert site.slow_started.wait(120)
        os.kill(watcher.pid, signal.SIGKILL)
        watcher.wait()
        site.slow_seconds = 0
        done = subprocess.run(args, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        with open_store(db) as store:
            stored = store.alerts()
        keys = [a["key"] for a in hook.alerts()]
        assert first == 5 and len(keys) == len(stored) == 8 and sorted(keys) == sorted(a.key for a in stored)
        assert site.hits["/articles/kt-commission.html"] == 1  # read once, on day one
        assert site.hits["/slow/kt-session.html"] == 2  # the fetch the kill cut short, then once
    finally:
        site.close()
        hook.close()


def test_the_watch_tables_keep_their_promises_on_every_store(db_url: str) -> None:
    """Queue, validators, alerts keyed once, deliveries and the snapshot, on SQLite and on PostgreSQL alike."""
    from pactwatch.store.watch import Alert, FeedItem

    with open_store(db_url) as store:
        store.add_feed("https://andes.example.org/rss", "Andes desk")
        items = [FeedItem(f"https://andes.example.org/{n}", "https://andes.example.org/rss",
                          f"https://andes.example.org/{n}?utm_source=rss", f"story {n}", "2026-03-0{n}")
                 for n in (1, 2)]
        assert store.feed_polled("https://andes.example.org/rss", items, etag='"v1"', last_modified=None) == 2
        assert store.feed_polled("https://andes.example.org/rss", items, etag='"v2"', last_modified=None) == 0
        [feed] = store.feeds()
        assert (feed.etag, feed.items_read, feed.failures) == ('"v2"', 2, 0)
        store.feed_failed(feed.url, "HTTP 500")
        assert store.feed(feed.url).failures == 1  # type: ignore[union-attr]
        store.item_attempt_failed("https://andes.example.org/1", "timed out", 2)
        assert [i.attempts for i in store.pending_items(2)] == [1, 0]
        store.item_attempt_failed("https://andes.example.org/1", "timed out", 2)
        store.item_read("https://andes.example.org/2", "stored", doc_id="d2")
        assert store.pending_items(2) == [] and store.item_for_document("d2") is not None
        assert [i.state for i in store.feed_items()] == ["failed", "stored"]

        rule = store.add_rule("overdue", {"pair": ["CHL", "PER"]})
        store.add_channel("ops", "webhook", {"url": "http://127.0.0.1:9/", "secret": "s"})
        alert = Alert(f"{rule}|commitment|c-1|overdue 2026-01", rule, "commitment", "c-1", "overdue 2026-01",
                      "Overdue", "", [{"doc": "d2", "quote": "q"}])
        snapshot = {("commitment", "c-1"): {"status": "unknown", "due": "2026-01"}}
        assert [a.id for a in store.raise_alerts([alert], {rule: ["ops"]}, snapshot)] != []
        again = Alert(alert.key, rule, "commitment", "c-1", alert.change, "Overdue", "", [])
        assert store.raise_alerts([again], {rule: ["ops"]}, {}) == []  # the same key: raised once
        assert store.alert_snapshot() == {} and store.has_alert_snapshot()
        [due] = store.due_deliveries("ops", "9999-12-31")
        store.delivery_failed([due.alert.id], "ops", "HTTP 503", "2999-01-01T00:00:00+00:00")
        assert store.due_deliveries("ops", "2026-12-31") == [] and store.pending_delivery_count() == 1
        store.delivered([due.alert.id], "ops")
        assert store.deliveries_of(due.alert.id) == [("ops", "sent", 2, None)]
        assert store.remove_rule(rule) and not store.remove_rule(rule) and store.remove_channel("ops")


# Two reports of one pledge and one session, and a later one that the bridge opened, with a second pledge.
BRIDGE_REPORTS = [
    "Chile and Peru agree on border bridge\n\nThe foreign ministers of Chile and Peru met in Lima on Tuesday. "
    "Chile and Peru agreed to build a road bridge across the Lluta river by June 2027, the ministers said. "
    "The fifth session of the Chile-Peru Binational Commission was held in Lima on Tuesday.",
    "Peru and Chile to build Lluta bridge\n\nOfficials said on Thursday that Chile and Peru agreed to build a road "
    "bridge across the Lluta river by June 2027. The fifth session of the Chile-Peru Binational Commission was held "
    "in Lima on Tuesday, the Peruvian foreign ministry said.",
]
BRIDGE_OPENED = (
    "Lluta bridge opens\n\nThe road bridge across the Lluta river between Chile and Peru was opened on 3 May 2027, "
    "a month ahead of schedule, the Chilean public works ministry said. Chile and Peru also agreed to open a second "
    "border crossing at Chacalluta by 2029.")


def test_a_record_renamed_by_a_rebuild_alerts_once_and_a_new_fact_still_alerts(db_url: str, tmp_path: Path) -> None:
    """A record's id follows its earliest mention: the report whose document id sorts first, ingested second,
    renames the pledge and the session it adds evidence to. Neither may alert again; a new pledge and the
    pledge met do."""
    from pactwatch.documents import document_id
    from pactwatch.pipeline import ingest

    later, earlier = sorted(BRIDGE_REPORTS, key=document_id, reverse=True)
    days = [(later, "2026-03-10"), (earlier, "2026-03-12"), (BRIDGE_OPENED, "2027-05-05")]
    raised: list[list[tuple[str, str]]] = []
    ids: list[set[str]] = []
    with open_store(db_url) as store:
        for kind, options in [("new_commitment", {}), ("new_session", {}), ("status_changed", {}),
                              ("due_within", {"days": 600})]:
            alerts.add_rule(store, kind, **options)
        for n, (text, day) in enumerate(days):
            (tmp_path / f"{n}.txt").write_text(text)
            ingest([str(tmp_path / f"{n}.txt")], store, published=day)
            raised.append(sorted((store.rules()[a.rule_id - 1].kind, a.change) for a in alerts.evaluate(store)))
            sessions = {e.id for e in store.events() if e.attributes.get("session")}
            ids.append({c.id for c in store.commitments()} | sessions)
        keys = [a.key for a in store.alerts()]
    assert raised[0] == [("due_within", "due 2027-06"), ("new_commitment", "new"), ("new_session", "session 5")]
    assert ids[1].isdisjoint(ids[0])  # the second report renamed the pledge and the session...
    assert raised[1] == []  # ...and nothing alerted again
    assert raised[2] == [("new_commitment", "new"), ("status_changed", "status pending -> met")]
    assert len(keys) == len(set(keys)) == 5
    met = next(k for k in keys if k.endswith("|status pending -> met"))
    assert met.split("|")[2] in ids[0]  # the pledge is known by the identity it had when it first alerted


def test_a_snapshot_kept_by_record_id_alone_still_knows_its_records(db_url: str, tmp_path: Path) -> None:
    """A snapshot written before identities (no mentions kept) is matched by the records' ids: no flood."""
    from pactwatch.pipeline import ingest

    (tmp_path / "one.txt").write_text(BRIDGE_REPORTS[0])
    with open_store(db_url) as store:
        alerts.add_rule(store, "new_commitment")
        ingest([str(tmp_path / "one.txt")], store, published="2026-03-10")
        assert len(alerts.evaluate(store)) == 1
        by_id = {key: {k: v for k, v in state.items() if k not in ("mentions", "sort")}
                 for key, state in store.alert_snapshot().items()}
        store.raise_alerts([], {}, by_id)
        assert all("mentions" not in state for state in store.alert_snapshot().values())
        assert alerts.evaluate(store) == []
        assert all("mentions" in state for state in store.alert_snapshot().values())


def test_a_session_reported_again_by_another_event_alerts_once(db_url: str, tmp_path: Path) -> None:
    """The session is the fact: a later article's agreement signed at the same session is an event of its own
    that carries the session too, and must not announce the session a second time (nor one of another body)."""
    from pactwatch.pipeline import ingest

    days = [("Norway-Finland commission meets in Oslo\n\nThe seventh session of the Norway-Finland Joint Commission "
             "was held in Oslo on Monday, chaired by the two countries' foreign ministers. The delegations discussed "
             "border crossings and energy.", "2026-04-14"),
            ("Reindeer accord signed\n\nNorway and Finland signed an agreement on cross-border reindeer herding at the "
             "seventh session of the Norway-Finland Joint Commission in Oslo on Monday, the Finnish agriculture "
             "ministry said on Wednesday.", "2026-04-16"),
            ("Sweden-Denmark commission meets\n\nThe seventh session of the Sweden-Denmark Joint Commission was held "
             "in Malmo on Thursday, chaired by the two countries' trade ministers.", "2026-04-18")]
    raised = []
    with open_store(db_url) as store:
        alerts.add_rule(store, "new_session")
        for n, (text, day) in enumerate(days):
            (tmp_path / f"{n}.txt").write_text(text)
            ingest([str(tmp_path / f"{n}.txt")], store, published=day)
            raised.append([a.title.split(" (")[0] for a in alerts.evaluate(store)])
        sessions = [e for e in store.events() if e.attributes.get("session") == 7]
    assert len(sessions) == 3  # the meeting, the agreement signed at it, and the other body's meeting
    assert raised == [["Session 7 of Norway-Finland Joint Commission"], [],
                      ["Session 7 of Sweden-Denmark Joint Commission"]]


def test_the_snapshot_holds_what_the_rules_read_and_a_new_kind_starts_from_the_record_then(db_url: str,
                                                                                         tmp_path: Path) -> None:
    """Only the kinds of record some rule reads are compared and kept; a rule about another kind, added later,
    takes that kind's record as it stands then: what was there before it raises nothing, what comes after does."""
    from pactwatch.pipeline import ingest

    days = [("Norway-Finland commission meets in Oslo\n\nThe seventh session of the Norway-Finland Joint Commission "
             "was held in Oslo on Monday, chaired by the two countries' foreign ministers.", "2026-04-14"),
            ("Sweden-Denmark commission meets\n\nThe seventh session of the Sweden-Denmark Joint Commission was held "
             "in Malmo on Thursday, chaired by the two countries' trade ministers.", "2026-04-18")]
    for n, (text, _) in enumerate(days):
        (tmp_path / f"{n}.txt").write_text(text)
    with open_store(db_url) as store:
        alerts.add_rule(store, "new_commitment")
        ingest([str(tmp_path / "0.txt")], store, published=days[0][1])
        assert alerts.evaluate(store) == []
        assert store.events() and {kind for kind, _ in store.alert_snapshot()} <= {"commitment"}
        alerts.add_rule(store, "new_session")
        assert {kind for kind, _ in store.alert_snapshot()} == {"event"}
        assert alerts.evaluate(store) == []  # the session held before the rule was added
        ingest([str(tmp_path / "1.txt")], store, published=days[1][1])
        assert [a.title.split(" (")[0] for a in alerts.evaluate(store)] == \
            ["Session 7 of Sweden-Denmark Joint Commission"]
        store.remove_rule(2)
        alerts.evaluate(store)
        assert not store.alert_snapshot()  # no rule reads events now: their rows went


def _identify_pair_by_pair(corpus: Any, before: alerts.Snapshot) -> dict[tuple[str, str], str]:
    """What ``alerts.identify`` does, as its docstring says it, with no shortcut: every record against every
    identity it shares a mention with, the best match first."""
    from collections import Counter

    holders: dict[tuple[str, str], list[str]] = {}
    for (kind, identity), state in before.items():
        for key in state.get("mentions", ()):
            holders.setdefault((kind, key), []).append(identity)
    candidates = []
    records = alerts._records(corpus)
    for kind, record in records:
        shared = Counter(i for m in record.mentions for i in holders.get((kind, alerts._mention_key(m)), ()))
        if (kind, record.id) in before:
            shared[record.id] += 1
        candidates += [(before[(kind, i)].get("sort") not in (None, alerts._sort(record)), -n, i, kind, record.id)
                       for i, n in shared.items()]
    ids: dict[tuple[str, str], str] = {}
    taken: set[tuple[str, str]] = set()
    for _, _, identity, kind, record_id in sorted(candidates):
        if (kind, record_id) not in ids and (kind, identity) not in taken:
            ids[(kind, record_id)] = identity
            taken.add((kind, identity))
    for kind, record in records:
        if (kind, record.id) not in ids:
            identity, n = record.id, 1
            while (kind, identity) in taken:
                n += 1
                identity = f"{record.id}#{n}"
            ids[(kind, record.id)] = identity
            taken.add((kind, identity))
    return ids


@pytest.mark.parametrize("seed", range(60))
def test_records_keep_their_identities_as_matching_every_pair_gives_them(seed: int) -> None:
    """Records merged, split, renamed, of another sort or untouched between two snapshots: each gets the identity
    matching every record against every identity gives it (most are untouched, and taken at once)."""
    import random

    from pactwatch.models import Claim, Corpus, Mention

    rng = random.Random(seed)
    spans = [Mention(f"d{k % 5}", 10 * k, 10 * k + 4, "x") for k in range(30)]

    def figures(prefix: str) -> list[Claim]:
        out = []
        for n in range(rng.randint(5, 15)):
            mentions = rng.sample(spans, rng.randint(0, 3))
            out.append(Claim(f"{prefix}{rng.randint(0, 12)}-{n}" if rng.random() < 0.3 else f"k-{rng.randint(0, 12)}",
                             "trade", 1.0, rng.choice(["USD", "percent"]), mentions))
        return list({c.id: c for c in out}.values())

    then, now = Corpus(claims=figures("a")), Corpus(claims=figures("b"))
    now.claims += [c for c in then.claims if rng.random() < 0.5 and c.id not in {k.id for k in now.claims}]
    for c in list(now.claims):  # the same figure read in another unit, and the one of its unit renamed
        if c in then.claims and rng.random() < 0.3:
            now.claims += [replace(c, unit="EUR"), replace(c, id=f"{c.id}r")]
            now.claims.remove(c)
    before = alerts.snapshot(then)
    if rng.random() < 0.2:  # rows kept before identities knew mentions
        before = {key: {k: v for k, v in state.items() if k != "mentions"} for key, state in before.items()}
    assert alerts.identify(now, before) == _identify_pair_by_pair(now, before)
