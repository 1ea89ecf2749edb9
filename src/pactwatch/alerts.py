"""Alerts: rules over the record, raised once when the record moves, and delivered until they arrive.

A rule (kept in the store, managed from the CLI and the dashboard) names what
to watch for and, optionally, which pair, country, topic or actor it is about:

- ``new_commitment``: a commitment the record did not hold before;
- ``due_within``: a pending commitment due within ``days`` days of the record's date;
- ``overdue``: a commitment whose due date passed with no report either way;
- ``status_changed``: a commitment's status moved (pending -> met, say);
- ``conflicting_claim``: a figure that other reports now contradict;
- ``new_event``: a new event of the given PLOVER types (any type if none);
- ``new_session``: a new numbered session of a standing body (once, however many events report it).

What is "new" or "changed" is measured against a snapshot of the record as
the alerts last saw it, kept in the store and moved in the same transaction
that keeps the alerts. Each alert is keyed by rule + the record's identity +
what changed, and that key is unique in the store, so an alert is raised once
however many times the record is rebuilt. The identity is not the record's
id: an id follows the record's earliest mention (resolve/__init__.py
``stable_id``), and a new article can bring an earlier one, so a rebuild may
rename a record it only added evidence to. A record keeps the evidence it had,
so ``identify`` finds each record in the snapshot by the mentions they share,
and only a record that shares none is new. Every alert names its record (by
its id of the day) and quotes its evidence.

Delivery, per channel, until it succeeds (an undelivered alert waits in the
store and is tried again with a growing delay): a webhook (a JSON POST signed
with HMAC-SHA256 over the body with a shared secret) and email over SMTP (one
message per alert, or a daily digest). The dashboard serves every alert as an
Atom feed (/alerts.atom) that any feed reader can follow.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

import httpx

from pactwatch.countries import country_code, is_country_code
from pactwatch.models import EVENT_TYPES, TOPICS, Actor, Claim, Commitment, Corpus, Event, Mention
from pactwatch.sources import one_line
from pactwatch.store.watch import Alert, Channel, Delivery, StoredRule

if TYPE_CHECKING:
    from pactwatch.store import Store

RULE_KINDS: tuple[str, ...] = ("new_commitment", "due_within", "overdue", "status_changed", "conflicting_claim",
                               "new_event", "new_session")
CHANNEL_KINDS: tuple[str, ...] = ("webhook", "email")
EMAIL_MODES: tuple[str, ...] = ("immediate", "digest")
SIGNATURE_HEADER = "X-Pactwatch-Signature"  # "sha256=" + hex HMAC of the body under the channel's secret
DELIVERY_HEADER = "X-Pactwatch-Alert"  # the alert's key: a receiver can drop a retry it already has
EVIDENCE_LIMIT = 5  # quotes an alert carries; the record page has them all
RETRY_BASE = timedelta(minutes=1)  # first delay after a failed delivery, doubled each time
RETRY_MAX = timedelta(hours=6)
WEBHOOK_TIMEOUT = 10.0
SMTP_TIMEOUT = 30.0


class RuleError(ValueError):
    """A rule or channel that cannot be kept; the message is one line."""


@dataclass
class Rule:
    id: int
    kind: str
    days: int | None = None
    types: list[str] = field(default_factory=list)
    pair: list[str] = field(default_factory=list)
    country: str | None = None
    topic: str | None = None
    actor: str | None = None
    channels: list[str] = field(default_factory=list)  # empty: every channel

    @classmethod
    def of(cls, stored: StoredRule) -> Rule:
        p = stored.params
        return cls(stored.id, stored.kind, p.get("days"), list(p.get("types") or []), list(p.get("pair") or []),
                   p.get("country"), p.get("topic"), p.get("actor"), list(p.get("channels") or []))

    def describe(self) -> str:
        what = {"due_within": f"due within {self.days} days", "new_event": "new event"
                + (f" ({', '.join(self.types)})" if self.types else "")}.get(self.kind, self.kind.replace("_", " "))
        filters = [f"pair {'-'.join(self.pair)}" if self.pair else "",
                   f"country {self.country}" if self.country else "",
                   f"topic {self.topic}" if self.topic else "", f"actor {self.actor}" if self.actor else ""]
        return what + "".join(f", {f}" for f in filters if f)


def _country(text: str, option: str) -> str:
    code = text.strip().upper() if is_country_code(text.strip().upper()) else country_code(text)
    if not code:
        raise RuleError(f"{option}: not a country: {one_line(text)[:80]!r}")
    return code


def rule_params(kind: str, *, days: int | None = None, types: Iterable[str] = (), pair: str | None = None,
                country: str | None = None, topic: str | None = None, actor: str | None = None,
                channels: Iterable[str] = ()) -> dict[str, Any]:
    """A rule's parameters, checked: raises ``RuleError`` with a one-line reason."""
    if kind not in RULE_KINDS:
        raise RuleError(f"unknown rule kind {kind!r} (one of {', '.join(RULE_KINDS)})")
    if kind == "due_within" and (days is None or days < 0):
        raise RuleError("due_within needs --days N (0 or more)")
    if kind != "due_within" and days is not None:
        raise RuleError(f"--days applies to due_within only, not {kind}")
    wanted = [t.strip().upper() for t in types if t.strip()]
    if wanted and kind != "new_event":
        raise RuleError(f"--types applies to new_event only, not {kind}")
    bad = [t for t in wanted if t not in EVENT_TYPES]
    if bad:
        raise RuleError(f"unknown event type {bad[0]!r} (one of {', '.join(EVENT_TYPES)})")
    sides: list[str] = []
    if pair:
        parts = [p for p in pair.replace(",", "-").split("-") if p.strip()]
        if len(parts) != 2:
            raise RuleError(f"--pair wants two countries such as KEN-TZA, not {one_line(pair)[:80]!r}")
        sides = sorted(_country(p, "--pair") for p in parts)
    if topic is not None and topic not in TOPICS:
        raise RuleError(f"unknown topic {topic!r} (one of {', '.join(TOPICS)})")
    params: dict[str, Any] = {"days": days, "types": wanted, "pair": sides,
                              "country": _country(country, "--country") if country else None,
                              "topic": topic, "actor": actor.strip() if actor and actor.strip() else None,
                              "channels": [c for c in channels if c]}
    return {k: v for k, v in params.items() if v not in (None, [])}


def add_rule(store: Store, kind: str, **options: Any) -> int:
    """Keep a new rule; the first rule takes the record's snapshot, so only what changes from now on alerts."""
    params = rule_params(kind, **options)
    known = {c.name for c in store.channels()}
    missing = [c for c in params.get("channels", []) if c not in known]
    if missing:
        raise RuleError(f"no channel named {missing[0]!r} (add it with `pactwatch alerts channel ...` first)")
    reads = _READS[kind]
    if not store.has_alert_snapshot():
        store.raise_alerts([], {}, snapshot(_record(store), kinds={reads}))
    elif reads not in _kinds(Rule.of(r) for r in store.rules()):  # the first rule of its kind of record: the same
        store.raise_alerts([], {}, {**store.alert_snapshot(), **snapshot(_record(store), kinds={reads})})
    return store.add_rule(kind, params)


def add_channel(store: Store, name: str, kind: str, config: dict[str, Any]) -> None:
    if not name or not name.replace("-", "").replace("_", "").isalnum():
        raise RuleError(f"a channel name is letters, digits, - and _, not {one_line(name)[:80]!r}")
    if kind not in CHANNEL_KINDS:
        raise RuleError(f"unknown channel kind {kind!r} (one of {', '.join(CHANNEL_KINDS)})")
    if kind == "webhook":
        url = str(config.get("url") or "")
        if not url.startswith(("http://", "https://")):
            raise RuleError(f"a webhook needs an http(s) address, not {one_line(url)[:80]!r}")
        if not config.get("secret"):
            raise RuleError("a webhook needs a shared secret to sign with (--secret)")
    else:
        if "@" not in str(config.get("to") or ""):
            raise RuleError(f"an email channel needs an address to send to, not {config.get('to')!r}")
        if config.get("mode", "immediate") not in EMAIL_MODES:
            raise RuleError(f"unknown email mode {config.get('mode')!r} (one of {', '.join(EMAIL_MODES)})")
    store.add_channel(name, kind, config)


# -- evaluation ----------------------------------------------------------------

def _record(store: Store, *, actors: bool = True, rebuilt: Corpus | None = None) -> Corpus:
    """The record as analysts left it (a rejected record raises nothing), without the documents' texts;
    ``actors=False`` leaves the actors out where no rule looks at them and no correction needs them.
    ``rebuilt``: the record a rebuild just stored (``pipeline.rebuild``), so it is not read back."""
    from pactwatch.review import apply_corrections
    from pactwatch.store import review as review_store

    corrections = review_store.corrections(store)
    kept = rebuilt if rebuilt is not None else Corpus(events=store.events(), commitments=store.commitments(),
                                                      claims=store.claims())
    corpus = Corpus(actors=store.actors() if actors or corrections else [], events=kept.events,
                    commitments=kept.commitments, claims=kept.claims)
    # The overlay copies the whole record first: on a large store that is most of the work, so only when needed.
    return apply_corrections(corpus, corrections) if corrections else corpus


Snapshot = dict[tuple[str, str], dict[str, Any]]  # (record kind, identity) -> what the alerts compare


# The kind of record each kind of rule reads (``_changes``). The snapshot holds only the kinds some rule reads (a
# rule of a kind no other reads takes its kind's snapshot when added): a store's thousands of figures are compared,
# and kept, only for a rule about figures.
_READS = {"new_commitment": "commitment", "due_within": "commitment", "overdue": "commitment",
          "status_changed": "commitment", "conflicting_claim": "claim", "new_event": "event", "new_session": "event"}
RECORD_KINDS = ("commitment", "event", "claim")


def _kinds(rules: Iterable[Rule]) -> set[str]:
    return {_READS[r.kind] for r in rules}


def _records(corpus: Corpus, kinds: Collection[str] = RECORD_KINDS) -> list[tuple[str, Commitment | Event | Claim]]:
    """The records of ``kinds`` the alerts read, by kind and id: the order a store keeps them in is its history's."""
    lists: dict[str, list[Any]] = {"commitment": corpus.commitments, "event": corpus.events, "claim": corpus.claims}
    return [(kind, r) for kind in RECORD_KINDS if kind in kinds for r in sorted(lists[kind], key=_by_id)]


def _by_id(record: Commitment | Event | Claim) -> str:
    return record.id


def _mention_key(m: Mention) -> str:
    return f"{m.doc}:{m.start}:{m.end}"


def _sort(record: Commitment | Event | Claim) -> str:
    """What two records drawn from one sentence differ in (an AGREE and a SUPPORT event, say)."""
    return record.kind if isinstance(record, Commitment) else record.type if isinstance(record, Event) \
        else record.unit


def identify(corpus: Corpus, before: Snapshot, kinds: Collection[str] = RECORD_KINDS) -> dict[tuple[str, str], str]:
    """(kind, record id) -> the identity the alerts know the record by: the snapshot's record it continues.

    A record is the one of the snapshot it shares the most mentions with (one of its own sort first); each
    identity goes to one record, the best match first, so when a rebuild merges two records the merged one
    continues one of them. A record that shares no mention is new and known by its id of the day. A
    snapshot row kept without mentions (before identities) is matched by the record's id. Only the records of
    ``kinds`` are identified.
    """
    ids: dict[tuple[str, str], str] = {}
    taken: set[tuple[str, str]] = set()
    records = _records(corpus, kinds)
    # Most records are as the snapshot has them, under their own id: such a one shares more with that identity
    # than any other record can (every mention, and the id), so the matching below gives it that one.
    rest: list[tuple[str, Commitment | Event | Claim]] = []
    for kind, record in records:
        state = before.get((kind, record.id))
        if state is not None and state.get("sort") in (None, _sort(record)) \
                and state.get("mentions") == sorted({_mention_key(m) for m in record.mentions}):
            ids[(kind, record.id)] = record.id
            taken.add((kind, record.id))
        else:
            rest.append((kind, record))
    wanted = {(kind, _mention_key(m)) for kind, record in rest for m in record.mentions}
    holders: dict[tuple[str, str], list[str]] = {}  # (kind, mention key) -> the identities it was evidence for
    for (kind, identity), state in before.items():
        for key in state.get("mentions", ()):
            if (kind, key) in wanted:
                holders.setdefault((kind, key), []).append(identity)
    candidates: list[tuple[bool, int, str, str, str]] = []
    for kind, record in rest:
        shared = Counter(i for m in record.mentions for i in holders.get((kind, _mention_key(m)), ()))
        if (kind, record.id) in before:
            shared[record.id] += 1
        candidates += [(before[(kind, i)].get("sort") not in (None, _sort(record)), -n, i, kind, record.id)
                       for i, n in shared.items()]
    for _, _, identity, kind, record_id in sorted(candidates):
        if (kind, record_id) not in ids and (kind, identity) not in taken:
            ids[(kind, record_id)] = identity
            taken.add((kind, identity))
    for kind, record in rest:
        if (kind, record.id) not in ids:
            identity, n = record.id, 1
            while (kind, identity) in taken:  # the id of a record the snapshot knows by another name
                n += 1
                identity = f"{record.id}#{n}"
            ids[(kind, record.id)] = identity
            taken.add((kind, identity))
    return ids


def _bodies(event: Event, actors: dict[str, Actor]) -> list[str]:
    """The mentions of the standing bodies an event names: what tells one body's sessions from another's.

    Mentions, not names or ids: a body keeps its mentions when a rebuild renames it, and two bodies share none
    (their names may share a word, or an alias such as 'session 7')."""
    return sorted({_mention_key(m) for a in event.actors if a in actors and actors[a].kind == "body"
                   for m in actors[a].mentions})


def _state(record: Commitment | Event | Claim, actors: dict[str, Actor]) -> dict[str, Any]:
    if isinstance(record, Commitment):
        state: dict[str, Any] = {"status": record.status, "due": str(record.due) if record.due else None}
    elif isinstance(record, Event):
        state = {"session": record.attributes.get("session")}
        if state["session"] and actors:
            state["bodies"] = _bodies(record, actors)
    else:
        state = {"corroboration": record.corroboration}
    return {**state, "sort": _sort(record), "mentions": sorted({_mention_key(m) for m in record.mentions})}


def snapshot(corpus: Corpus, ids: dict[tuple[str, str], str] | None = None,
             kinds: Collection[str] = RECORD_KINDS) -> Snapshot:
    """What the alerts compare of the records of ``kinds``, by identity (``identify``; else the record's id): each
    commitment's status and due date, each event's session and bodies, each claim's corroboration, and every
    record's sort and mentions (the bodies only where the actors were read)."""
    ids = ids or {}
    actors = {a.id: a for a in corpus.actors}
    return {(kind, ids.get((kind, r.id), r.id)): _state(r, actors) for kind, r in _records(corpus, kinds)}


def _countries(record: Commitment | Event | Claim) -> list[str]:
    return list(record.parties) if isinstance(record, Commitment) else list(record.countries)


def _matches(rule: Rule, record: Commitment | Event | Claim, actors: dict[str, Actor]) -> bool:
    countries = set(_countries(record))
    if rule.pair and not set(rule.pair) <= countries:
        return False
    if rule.country and rule.country not in countries:
        return False
    if rule.topic and rule.topic not in getattr(record, "topics", []):
        return False
    if rule.actor:
        wanted = rule.actor.casefold()
        names = [n.casefold() for a in getattr(record, "actors", []) if a in actors
                 for n in (actors[a].name, *actors[a].aliases)]
        if rule.actor not in getattr(record, "actors", []) and not any(wanted in n for n in names):
            return False
    return True


def _evidence(store: Store, mentions: Iterable[Mention]) -> list[dict[str, Any]]:
    out = []
    for m in list(dict.fromkeys(mentions))[:EVIDENCE_LIMIT]:
        doc = store.document(m.doc)
        out.append({"doc": m.doc, "start": m.start, "end": m.end, "quote": m.quote,
                    "title": doc.title if doc else None, "outlet": doc.outlet if doc else None,
                    "url": doc.url if doc else None,
                    "published": str(doc.published) if doc and doc.published else None})
    return out


def _clip(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _parties(record: Commitment | Event | Claim) -> str:
    countries = _countries(record)
    return f" ({', '.join(countries)})" if countries else ""


def _changes(rule: Rule, record: Commitment | Event | Claim, before: dict[str, Any] | None,
             actors: dict[str, Actor]) -> list[tuple[str, str, str, list[Mention]]]:
    """What this rule sees in this record: (change, title, detail, evidence mentions)."""
    if isinstance(record, Commitment):
        c = record
        judgment = str(c.attributes.get("judgment") or "")
        as_of = c.attributes.get("as_of")
        if rule.kind == "new_commitment" and before is None:
            due = f", due {c.due}" if c.due else ""
            return [("new", f"New commitment{_parties(c)}{due}: {_clip(c.statement)}", judgment, c.mentions)]
        if rule.kind == "due_within" and c.status == "pending" and c.due and as_of and rule.days is not None:
            left = (c.due.end - date.fromisoformat(as_of)).days
            if 0 <= left <= rule.days:
                return [(f"due {c.due}", f"Due in {left} days ({c.due}){_parties(c)}: {_clip(c.statement)}",
                         judgment, c.mentions)]
        if rule.kind == "overdue" and c.attributes.get("overdue") and c.due:
            return [(f"overdue {c.due}", f"Overdue since {c.due}{_parties(c)}: {_clip(c.statement)}", judgment,
                     c.mentions)]
        if rule.kind == "status_changed" and before is not None and before.get("status") != c.status:
            old = before.get("status")
            return [(f"status {old} -> {c.status}", f"Now {c.status} (was {old}){_parties(c)}: "
                     f"{_clip(c.statement)}", judgment, c.evidence + c.mentions)]
        return []
    if isinstance(record, Claim):
        k = record
        if rule.kind == "conflicting_claim" and k.corroboration == "conflicting" and \
                (before is None or before.get("corroboration") != "conflicting"):
            detail = f"{k.subject}: {k.value:g} {k.unit}" + (f" ({k.period})" if k.period else "") + \
                ", contradicted by another report"
            return [("conflicting", f"Conflicting figures{_parties(k)}: {_clip(k.subject)}", detail, k.mentions)]
        return []
    e = record
    when = f" on {e.date}" if e.date else ""
    if rule.kind == "new_event" and before is None and (not rule.types or e.type in rule.types):
        what = e.summary or (e.mentions[0].quote if e.mentions else "")
        return [(f"new {e.type}", f"New {e.type} event{_parties(e)}{when}: {_clip(what)}", e.summary, e.mentions)]
    session = e.attributes.get("session")
    if rule.kind == "new_session" and session and (before is None or before.get("session") != session):
        bodies = [actors[a].name for a in e.actors if a in actors and actors[a].kind == "body"]
        if bodies:
            return [(f"session {session}", f"Session {session} of {bodies[0]}{_parties(e)}{when}",
                     e.summary, e.mentions)]
    return []


def _alert_key(rule: Rule, kind: str, identity: str, change: str) -> str:
    return f"{rule.id}|{kind}|{identity}|{change}"


def find_alerts(store: Store, corpus: Corpus, rules: list[Rule], before: Snapshot,
                ids: dict[tuple[str, str], str] | None = None) -> list[Alert]:
    """Every alert the rules see in the record, measured against ``before`` (raised or not); ``ids`` are the
    records' identities (``identify``)."""
    ids = ids if ids is not None else identify(corpus, before, _kinds(rules))
    actors = {a.id: a for a in corpus.actors}
    sessions_before = [(state["session"], set(state.get("bodies", ()))) for (kind, _), state in before.items()
                       if kind == "event" and state.get("session")]
    out: list[Alert] = []
    records = _records(corpus, _kinds(rules))
    for rule in rules:
        sessions = list(sessions_before)  # (number, bodies): a session is one fact, whichever event reports it
        for kind, record in records:
            if kind != _READS[rule.kind] or not _matches(rule, record, actors):
                continue
            identity = ids[(kind, record.id)]
            for change, title, detail, mentions in _changes(rule, record, before.get((kind, identity)), actors):
                if rule.kind == "new_session" and isinstance(record, Event):
                    session, bodies = record.attributes.get("session"), set(_bodies(record, actors))
                    if any(n == session and known & bodies for n, known in sessions):
                        continue
                    sessions.append((session, bodies))
                as_of = record.attributes.get("as_of") if isinstance(record, Commitment) else None
                out.append(Alert(_alert_key(rule, kind, identity, change), rule.id, kind, record.id, change,
                                 title, detail, _evidence(store, mentions), as_of))
    return out


def evaluate(store: Store, rebuilt: Corpus | None = None) -> list[Alert]:
    """Raise what changed since the last evaluation (each alert once) and move the snapshot; the new alerts.
    ``rebuilt``: the record the rebuild before stored, where there was one (read from the store if not)."""
    rules = [Rule.of(r) for r in store.rules()]
    corpus = _record(store, actors=any(r.actor or r.kind == "new_session" for r in rules), rebuilt=rebuilt)
    kinds = _kinds(rules)
    if not store.has_alert_snapshot():  # nothing to compare with yet: this record is the baseline
        store.raise_alerts([], {}, snapshot(corpus, kinds=kinds))
        return []
    before = store.alert_snapshot()
    ids = identify(corpus, before, kinds)
    now = snapshot(corpus, ids, kinds)
    if not rules:
        store.raise_alerts([], {}, now)
        return []
    channels = [c.name for c in store.channels()]
    targets = {r.id: [c for c in channels if not r.channels or c in r.channels] for r in rules}
    return store.raise_alerts(find_alerts(store, corpus, rules, before, ids), targets, now)


# -- delivery ------------------------------------------------------------------

def signature(secret: str, body: bytes) -> str:
    """The value of the signature header: what a receiver recomputes with the shared secret to trust a POST."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _next_try(now: datetime, attempts: int) -> str:
    return _iso(now + min(RETRY_BASE * 2 ** attempts, RETRY_MAX))


def deliver(store: Store, now: datetime | None = None) -> int:
    """Send every undelivered alert whose turn has come, channel by channel; returns how many were sent.

    A channel that fails leaves its alerts waiting (next try after a delay that doubles each time);
    it costs the other channels nothing.
    """
    now = now or datetime.now(UTC)
    sent = 0
    for channel in store.channels():
        due = store.due_deliveries(channel.name, _iso(now))
        if not due:
            continue
        if channel.kind == "webhook":
            sent += _deliver_webhook(store, channel, due, now)
        elif channel.config.get("mode") == "digest":
            sent += _deliver_digest(store, channel, due, now)
        else:
            for delivery in due:
                sent += _send_mail(store, channel, [delivery], now)
    return sent


def webhook_body(alert: Alert) -> bytes:
    return json.dumps({"alert": alert.to_dict()}, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _deliver_webhook(store: Store, channel: Channel, due: list[Delivery], now: datetime) -> int:
    sent = 0
    url, secret = str(channel.config["url"]), str(channel.config["secret"])
    with httpx.Client(timeout=WEBHOOK_TIMEOUT, follow_redirects=False) as client:
        for delivery in due:
            body = webhook_body(delivery.alert)
            try:
                response = client.post(url, content=body, headers={
                    "Content-Type": "application/json", SIGNATURE_HEADER: signature(secret, body),
                    DELIVERY_HEADER: delivery.alert.key})
                ok, error = response.is_success, f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                ok, error = False, f"{type(exc).__name__}: {exc}"
            if ok:
                store.delivered([delivery.alert.id], channel.name)
                sent += 1
            else:
                store.delivery_failed([delivery.alert.id], channel.name, one_line(error),
                                      _next_try(now, delivery.attempts))
    return sent


def _deliver_digest(store: Store, channel: Channel, due: list[Delivery], now: datetime) -> int:
    # One message a day: the alerts of the day wait until the day after the last digest.
    if channel.last_sent_at and datetime.fromisoformat(channel.last_sent_at).date() >= now.astimezone(UTC).date():
        return 0
    return _send_mail(store, channel, due, now)


def mail_text(alert: Alert) -> str:
    lines = [alert.title, f"record: {alert.record_kind} {alert.record_id}"]
    if alert.detail:
        lines.append(alert.detail)
    for ev in alert.evidence:
        where = ", ".join(str(x) for x in (ev.get("outlet"), ev.get("published"), ev.get("url")) if x)
        lines.append(f'  "{_clip(ev["quote"], 300)}" ({where or "doc " + ev["doc"]})')
    return "\n".join(lines)


def _send_mail(store: Store, channel: Channel, due: list[Delivery], now: datetime) -> int:
    config = channel.config
    message = EmailMessage()
    message["From"] = str(config.get("sender") or "pactwatch@localhost")
    message["To"] = str(config["to"])
    if len(due) == 1 and config.get("mode") != "digest":
        message["Subject"] = f"[pactwatch] {_clip(due[0].alert.title, 120)}"
    else:
        message["Subject"] = f"[pactwatch] {len(due)} alerts, {now.astimezone(UTC).date()}"
    message.set_content("\n\n".join(mail_text(d.alert) for d in due) + "\n")
    ids = [d.alert.id for d in due]
    try:
        with smtplib.SMTP(str(config.get("host") or "localhost"), int(config.get("port") or 25),
                          timeout=SMTP_TIMEOUT) as smtp:
            if config.get("starttls"):
                smtp.starttls()
            if config.get("user"):
                smtp.login(str(config["user"]), str(config.get("password") or ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        store.delivery_failed(ids, channel.name, one_line(f"{type(exc).__name__}: {exc}"),
                              _next_try(now, max(d.attempts for d in due)))
        return 0
    store.delivered(ids, channel.name)
    store.channel_sent(channel.name, _iso(now))
    return len(ids)


# -- the Atom feed -------------------------------------------------------------

ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(alerts: list[Alert], base_url: str) -> bytes:
    """The alerts as an Atom 1.0 feed, newest first (ElementTree from the standard library writes it)."""
    base = base_url.rstrip("/")
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = "pactwatch alerts"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"{base}/alerts.atom"
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{base}/alerts.atom")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=f"{base}/alerts")
    updated = max((a.raised_at for a in alerts), default="1970-01-01T00:00:00+00:00")
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "pactwatch"
    for alert in alerts:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = alert.title
        # A tag URI from the alert's unique key: a reader sees each alert once, whatever the feed holds.
        ET.SubElement(entry, f"{{{ATOM}}}id").text = \
            f"urn:pactwatch:alert:{hashlib.sha1(alert.key.encode('utf-8')).hexdigest()}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = alert.raised_at
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate",
                      href=f"{base}/records/{alert.record_kind}/{alert.record_id}")
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = mail_text(alert)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode")).encode("utf-8")
