"""Analyst review: the single overlay of corrections on the machine's record.

The pages, the JSON API and the export all read the record through
``apply_corrections`` so they can never disagree. The machine's version is
never changed in the store; the overlay works on a copy, and every record an
analyst touched carries ``attributes["review"]`` (who, when, the machine's
value and the analyst's) so a reader can tell the two apart.
"""

from __future__ import annotations

import copy
import math
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pactwatch.models import (
    ACTOR_KINDS,
    COMMITMENT_KINDS,
    EVENT_TYPES,
    STATUSES,
    Actor,
    Claim,
    Commitment,
    Corpus,
    DateRange,
    Event,
    Record,
)
from pactwatch.store import review as review_store
from pactwatch.store.review import Correction
from pactwatch.track import Evidence, judge_commitment, newest_date

HASHER = PasswordHasher()  # argon2-cffi's defaults (argon2id); every hash and check goes through this one

if TYPE_CHECKING:
    from pactwatch.store import Store

_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.I)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def reviewed_corpus(store: Store) -> Corpus:
    """The stored record with every active analyst correction applied: what the export and briefings show."""
    return apply_corrections(store.corpus(), review_store.corrections(store))


def parse_range(text: str) -> DateRange:
    """"2025-03-14", "2025-03", "2025-Q2", "2025" or "2025-01-01..2025-06-30" as a DateRange."""
    text = text.strip()
    if ".." in text:
        start, end = (part.strip() for part in text.split("..", 1))
        return DateRange(date.fromisoformat(start), date.fromisoformat(end), "day")
    if m := _QUARTER.match(text):
        return DateRange.quarter(int(m[1]), int(m[2]))
    if m := _MONTH.match(text):
        return DateRange.month(int(m[1]), int(m[2]))
    if m := _YEAR.match(text):
        return DateRange.year(int(m[1]))
    return DateRange.day(date.fromisoformat(text))


def _choice(options: tuple[str, ...]) -> Callable[[str], Any]:
    def parse(text: str) -> str:
        value = text.strip()
        if value not in options:
            raise ValueError(f"{value!r} is not one of {', '.join(options)}")
        return value
    parse.options = options  # type: ignore[attr-defined]  # what the review form offers in its picker
    return parse


def _date(text: str) -> Any:
    return parse_range(text).to_dict()


def _number(text: str) -> float:
    value = float(text.replace(",", "").strip())
    if not math.isfinite(value):  # nan, inf and 1e999 are no figure an article reports, and not JSON
        raise ValueError(f"{text.strip()!r} is not a finite number")
    return value


def _words(text: str) -> str:
    value = " ".join(text.split())
    if not value:
        raise ValueError("empty value")
    return value


# What an analyst may correct, per record kind: field -> parser of the form's text into a JSON value.
FIELDS: dict[str, dict[str, Callable[[str], Any]]] = {
    "actor": {"name": _words, "kind": _choice(ACTOR_KINDS)},
    "event": {"type": _choice(EVENT_TYPES), "date": _date, "mode": _words},
    "commitment": {"status": _choice(STATUSES), "due": _date, "kind": _choice(COMMITMENT_KINDS)},
    "claim": {"value": _number, "unit": _words, "period": _date, "subject": _words},
}
_DATE_FIELDS = {"date", "due", "period"}
MAX_REASON = 500  # a sentence or two: why, not an essay


def form_inputs(kind: str, record: dict[str, Any]) -> list[dict[str, Any]]:
    """The review form's control for each correctable field of ``record`` (its JSON view): a picker where the
    values are few (select), a date picker for dates, a number box for figures, else a line of text, each
    holding the record's present value."""
    out = []
    for name, parser in FIELDS.get(kind, {}).items():
        options = list(getattr(parser, "options", ()))
        control = "select" if options else "date" if name in _DATE_FIELDS else "number" if parser is _number else "text"
        value = record.get(name)
        if isinstance(value, dict):  # a DateRange: the picker takes a day
            value = value.get("start")
        out.append({"field": name, "control": control, "options": options,
                    "value": "" if value is None else str(value)})
    return out


def parse_reason(text: str) -> str | None:
    """An analyst's reason as stored: one line, None when empty; ValueError when too long."""
    reason = " ".join(text.split())
    if len(reason) > MAX_REASON:
        raise ValueError(f"reason: {len(reason)} characters; keep it under {MAX_REASON}")
    return reason or None


def parse_value(kind: str, field: str, text: str) -> Any:
    """The JSON value a correction stores for the text an analyst typed; ValueError when it is not valid."""
    parser = FIELDS.get(kind, {}).get(field)
    if parser is None:
        raise ValueError(f"a {kind} has no correctable field {field!r}")
    try:
        return parser(text)
    except ValueError as exc:
        raise ValueError(f"{field}: {exc}") from exc


def machine_value(record: Record, field: str) -> Any:
    """A record field as JSON (what the correction's ``old`` keeps)."""
    value = getattr(record, field)
    return value.to_dict() if isinstance(value, DateRange) else value


def _set(record: Record, field: str, value: Any) -> None:
    setattr(record, field, DateRange.from_dict(value) if field in _DATE_FIELDS else value)


def finite(value: Any) -> bool:
    """No nan or infinity anywhere inside a JSON value."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(finite(v) for v in value.values())
    if isinstance(value, list):
        return all(finite(v) for v in value)
    return True


def active(corrections: Iterable[Correction]) -> list[Correction]:
    """The corrections in force, oldest first; one holding nan or infinity (older versions let it in) is ignored."""
    return sorted((c for c in corrections if c.active and finite(c.new)), key=lambda c: c.id)


def without_names(corrections: Iterable[Correction]) -> list[Correction]:
    """The corrections with the analysts' names left out: what a reader who is not signed in sees."""
    return [replace(c, author=None, undone_by=None) for c in corrections]


def _records(corpus: Corpus) -> dict[tuple[str, str], Record]:
    out: dict[tuple[str, str], Record] = {}
    for kind, records in (("actor", corpus.actors), ("event", corpus.events),
                          ("commitment", corpus.commitments), ("claim", corpus.claims)):
        for record in records:
            out[(kind, record.id)] = record
    return out


def _note(c: Correction, machine: Any) -> dict[str, Any]:
    return {"id": c.id, "action": c.action, "field": c.field, "machine": machine, "analyst": c.new,
            "author": c.author, "at": c.created_at, "reason": c.reason}


def review_notes(corpus: Corpus, corrections: Iterable[Correction]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(kind, id) -> the active analyst actions on that record, each with the machine's value beside the analyst's.

    ``corpus`` is the machine's record, so ``machine`` is today's machine value
    even when a rebuild changed it after the correction was made.
    """
    records = _records(corpus)
    notes: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for c in active(corrections):
        record = records.get((c.kind, c.record_id))
        if record is None:
            continue  # the record no longer exists after a rebuild; the correction waits in the log
        machine = machine_value(record, c.field) if c.action == "correct" and c.field else None
        notes.setdefault((c.kind, c.record_id), []).append(_note(c, machine))
        if c.action == "merge":
            notes.setdefault(("actor", str(c.new)), []).append({**_note(c, None), "action": "absorbed",
                                                                 "analyst": c.record_id})
    return notes


def review_state(notes: list[dict[str, Any]]) -> str | None:
    """confirmed | rejected | merged | corrected | None: what the latest deciding action says of the record."""
    state = None
    for note in notes:
        if note["action"] == "confirm":
            state = "confirmed"
        elif note["action"] in ("reject", "merge"):
            state = "rejected" if note["action"] == "reject" else "merged"
    if state is None and any(n["action"] == "correct" for n in notes):
        state = "corrected"
    return state


def apply_corrections(corpus: Corpus, corrections: Iterable[Correction], *, keep_rejected: bool = False) -> Corpus:
    """The record as analysts left it: a corrected copy of ``corpus`` (which is not changed).

    Later corrections of a field win over earlier ones; a rejected record, or
    an actor merged into another, is dropped unless ``keep_rejected`` (the
    pages keep it to show it struck through). Merging moves the actor's
    names, roles and mentions to the one it joins and repoints events and
    commitments at it.
    """
    out = copy.deepcopy(corpus)
    records = _records(out)
    todo = active(corrections)
    notes = review_notes(corpus, todo)
    for c in todo:
        record = records.get((c.kind, c.record_id))
        if record is not None and c.action == "correct" and c.field in FIELDS.get(c.kind, {}):
            _set(record, c.field, c.new)
    _rejudge(out, notes)
    merged = _merge_targets(todo, records)
    for source_id, target_id in merged.items():
        _merge_actor(records[("actor", source_id)], records[("actor", target_id)])  # type: ignore[arg-type]
    _repoint(out, merged)
    for (kind, record_id), record_notes in notes.items():
        record = records.get((kind, record_id))
        if record is not None and not isinstance(record, Actor):
            record.attributes["review"] = {"state": review_state(record_notes), "actions": record_notes}
    if not keep_rejected:
        dropped = {key for key, n in notes.items() if review_state(n) in ("rejected", "merged")}
        out.actors = [a for a in out.actors if ("actor", a.id) not in dropped]
        out.events = [e for e in out.events if ("event", e.id) not in dropped]
        out.commitments = [c for c in out.commitments if ("commitment", c.id) not in dropped]
        out.claims = [c for c in out.claims if ("claim", c.id) not in dropped]
    return out


def _rejudge(corpus: Corpus, notes: dict[tuple[str, str], list[dict[str, Any]]]) -> None:
    """A corrected commitment's judgment told again, so its explanation never gives the verdict the analyst overruled.

    A corrected due date or kind is judged afresh by the tracker (as of the day it was judged); a corrected status
    stands, and the sentence says so, with the analyst's reason and the tracker's own reading beside it.
    """
    evidence: Evidence | None = None
    for c in corpus.commitments:
        corrected = {n["field"]: n for n in notes.get(("commitment", c.id), []) if n["action"] == "correct"}
        if not corrected:
            continue
        if corrected.keys() & {"due", "kind"}:
            as_of = _as_of(c) or newest_date(corpus) or date.today()
            if evidence is None or evidence.as_of != as_of:
                evidence = Evidence(corpus, as_of)
            status = c.status
            judged = judge_commitment(c, evidence)
            c.evidence, c.attributes = judged.evidence, judged.attributes
            c.status = status if "status" in corrected else judged.status
        if "status" in corrected:
            c.attributes["judgment"] = status_judgment(c, corrected["status"])


def _as_of(c: Commitment) -> date | None:
    try:
        return date.fromisoformat(str(c.attributes.get("as_of")))
    except ValueError:
        return None


def status_judgment(c: Commitment, note: dict[str, Any]) -> str:
    """'Met: an analyst's correction (reason). The tracker had read it as pending: ...'."""
    reason = f" ({note['reason']})" if note.get("reason") else ""
    machine = str(note.get("machine") or "")
    told = str(c.attributes.get("judgment") or "")
    if machine and machine != c.status and told.lower().startswith(machine + ":"):
        told = told[len(machine) + 1:].strip()
    said = f"{c.status.capitalize()}: set by an analyst's correction{reason}."
    if machine and machine != c.status:
        said += f" The tracker had read it as {machine}" + (f": {told}" if told else ".")
    return said


def _merge_targets(todo: list[Correction], records: dict[tuple[str, str], Record]) -> dict[str, str]:
    """Actor id -> the actor it finally joins, following chains (A into B, B into C) and ignoring cycles."""
    direct: dict[str, str] = {}
    for c in todo:
        if c.action == "merge" and c.kind == "actor" and ("actor", str(c.new)) in records \
                and ("actor", c.record_id) in records and c.record_id != c.new:
            direct[c.record_id] = str(c.new)
    final: dict[str, str] = {}
    for source in direct:
        seen, target = {source}, direct[source]
        while target in direct and direct[target] not in seen:
            seen.add(target)
            target = direct[target]
        if target != source:
            final[source] = target
    return final


def _merge_actor(source: Actor, target: Actor) -> None:
    for name in [source.name, *source.aliases]:
        if name != target.name and name not in target.aliases:
            target.aliases.append(name)
    target.countries += [c for c in source.countries if c not in target.countries]
    target.roles += [r for r in source.roles if r not in target.roles]
    target.mentions = sorted(set(target.mentions) | set(source.mentions))


def _repoint(corpus: Corpus, merged: dict[str, str]) -> None:
    if not merged:
        return
    for record in [*corpus.events, *corpus.commitments]:
        assert isinstance(record, Event | Commitment)
        record.actors = list(dict.fromkeys(merged.get(a, a) for a in record.actors))


def record_kind(record: Record) -> str:
    return {Actor: "actor", Event: "event", Commitment: "commitment", Claim: "claim"}[type(record)]


MIN_PASSWORD = 12  # NIST SP 800-63B: length, not composition rules, is what makes a password hard to guess
MAX_PASSWORD = 1024  # a passphrase, not a file: Argon2 would hash anything, but a megabyte is a mistake


def password_problem(password: str, name: str = "") -> str | None:
    """Why a password may not be set (one line), or None where it passes the policy."""
    if len(password) < MIN_PASSWORD:
        return (f"the password is {len(password)} characters long: use at least {MIN_PASSWORD} "
                "(a passphrase of a few words)")
    if len(password) > MAX_PASSWORD:
        return f"the password is longer than {MAX_PASSWORD} characters"
    if len(set(password.casefold())) < 5:
        return "the password repeats too few characters: use a passphrase of a few words"
    if name and name.strip().casefold() in password.casefold():
        return "the password must not contain the account name"
    return None


def set_password(store: Store, name: str, password: str) -> bool:
    """Create the account or give it a new password (signing it out everywhere); True if it existed.

    ValueError, with the reason in one line, where the password breaks the policy: every way of setting one
    comes through here.
    """
    if problem := password_problem(password, name):
        raise ValueError(problem)
    existed = name in review_store.accounts(store)
    review_store.add_account(store, name, hash_password(password))
    return existed


def hash_password(password: str) -> str:
    """An argon2id hash (argon2-cffi's defaults) of an analyst's password."""
    if not password:
        raise ValueError("empty password")
    return HASHER.hash(password)


@lru_cache(maxsize=4)
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_urlsafe(16))


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; an unknown name (no hash) costs the same Argon2 check as a known one,
    so the time of the answer does not tell which names exist."""
    try:
        matched = HASHER.verify(stored_hash or _dummy_hash(HASHER), password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and bool(stored_hash) and bool(password)
