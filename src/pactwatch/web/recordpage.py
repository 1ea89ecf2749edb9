"""What a record page says about one record, in words: its facts, its roles as sentences, its sources
quoted in their sentences and grouped by article, and the records linked to it.

No field is dumped raw: each fact is a label and a phrase ("Target: 20 persons",
"Cadence: twice a year"), and a fact with nothing to say is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pactwatch.countries import country_name
from pactwatch.models import Actor, Claim, Commitment, Event, Mention, Record, Role
from pactwatch.track import claim_value
from pactwatch.web.views import PageData, date_key, document_view, range_text, record_url, record_view, value_text

SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+|\n+")
MAX_SENTENCE = 600  # characters either side of a quote at most, for text with no sentence ends


def role_text(role: Role) -> str:
    """"Trade Minister of Kenya at the Ministry of Trade (from 2024)": the parts a role has, none as a dash."""
    text = role.title
    if role.country:
        text += f" of {country_name(role.country)}"
    if role.organization:
        text += f" at {role.organization}"
    if role.start and role.end:
        text += f" ({role.start} to {role.end})"
    elif role.start:
        text += f" (from {role.start})"
    elif role.end:
        text += f" (until {role.end})"
    return text


def role_sentence(name: str, role: Role) -> str:
    """A role as a sentence: "Amina Odhiambo is Trade Minister of Kenya." (was, once it has ended)."""
    return f"{name} {'was' if role.end else 'is'} {role_text(role)}."


def cadence_text(per_year: float) -> str:
    words = {1: "once a year", 2: "twice a year", 4: "every quarter", 12: "every month", 52: "every week"}
    return words.get(int(per_year), f"{per_year:g} times a year") if float(per_year).is_integer() else \
        f"{per_year:g} times a year"


def sentence_around(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence holding text[start:end], and where the quote lies within it."""
    left = max(0, start - MAX_SENTENCE)
    right = min(len(text), end + MAX_SENTENCE)
    begin = left
    for found in SENTENCE_END.finditer(text, left, start):
        begin = found.end()
    after = SENTENCE_END.search(text, end, right)
    stop = after.start() if after else right
    while begin < start and text[begin].isspace():
        begin += 1
    return text[begin:stop], start - begin, end - begin


def sources(mentions: Iterable[Mention], data: PageData) -> list[dict[str, Any]]:
    """Each mention in its sentence, grouped by article (title, outlet, date), articles newest first."""
    by_doc: dict[str, list[Mention]] = {}
    for m in mentions:
        by_doc.setdefault(m.doc, []).append(m)
    groups: list[dict[str, Any]] = []
    for doc_id, found in by_doc.items():
        doc = data.documents.get(doc_id)
        quotes, seen = [], set()
        for m in sorted(found, key=lambda m: m.start):
            if doc is not None and doc.text[m.start:m.end] == m.quote:
                sentence, a, b = sentence_around(doc.text, m.start, m.end)
            else:  # the article changed or is gone: the quote alone
                sentence, a, b = m.quote, 0, len(m.quote)
            if (sentence, a, b) in seen:
                continue
            seen.add((sentence, a, b))
            quotes.append({"before": sentence[:a], "quote": sentence[a:b], "after": sentence[b:],
                           "url": f"/documents/{doc_id}#m{m.start}-{m.end}"})
        view = document_view(doc) if doc else {"name": doc_id, "url_page": f"/documents/{doc_id}", "outlet": None,
                                                "published_text": ""}
        groups.append({"doc": doc_id, "title": view["name"], "url": view["url_page"], "outlet": view.get("outlet"),
                       "published": view["published_text"], "quotes": quotes,
                       "_key": doc.published.start.isoformat() if doc and doc.published else ""})
    groups.sort(key=lambda g: str(g["_key"]), reverse=True)
    for g in groups:
        del g["_key"]
    return groups


def _fact(label: str, text: str | None, url: str | None = None) -> dict[str, Any] | None:
    return {"label": label, "text": text, "url": url} if text else None


def facts(record: Record, data: PageData) -> list[dict[str, Any]]:
    """The record's fields as label and phrase, empty ones left out."""
    names = lambda codes: ", ".join(country_name(c) for c in codes)  # noqa: E731
    out: list[dict[str, Any] | None] = []
    if isinstance(record, Actor):
        out += [_fact("Kind", record.kind), _fact("Countries", names(record.countries)),
                _fact("Also called", "; ".join(record.aliases))]
    elif isinstance(record, Event):
        place = None
        if record.location:
            place = record.location.place + (f", {country_name(record.location.country)}"
                                             if record.location.country else "")
        out += [_fact("Type", record.type), _fact("Date", range_text(record.date)),
                _fact("Countries", names(record.countries)), _fact("How", record.mode), _fact("Where", place),
                _fact("Topics", ", ".join(record.topics)), _fact("Summary", record.summary)]
    elif isinstance(record, Commitment):
        out += [_fact("Status", record.status), _fact("Kind", record.kind), _fact("Parties", names(record.parties)),
                _fact("Made", range_text(record.made_on)), _fact("Due", range_text(record.due)),
                _fact("Target", value_text(record.target.value, record.target.unit) if record.target else None),
                _fact("Cadence", cadence_text(record.cadence.per_year) if record.cadence else None),
                _fact("Topics", ", ".join(record.topics))]
        event = next((e for e in data.corpus.events if e.id == record.event), None) if record.event else None
        if event is not None:
            out.append(_fact("Made at", f"{event.type} {range_text(event.date)}: {event.summary or ''}".strip(" :"),
                             record_url("event", event.id)))
    elif isinstance(record, Claim):
        out += [_fact("Figure", claim_value(record)), _fact("Subject", record.subject),
                _fact("Period", range_text(record.period)), _fact("Countries", names(record.countries)),
                _fact("Corroboration", record.corroboration.replace("_", " "))]
    return [f for f in out if f]


def _sentences_of(mentions: Iterable[Mention], data: PageData) -> set[tuple[str, int]]:
    """(article, sentence start) of every mention: what "said in the same sentence" compares."""
    out = set()
    for m in mentions:
        doc = data.documents.get(m.doc)
        if doc is not None:
            _, a, _ = sentence_around(doc.text, m.start, m.end)
            out.add((m.doc, m.start - a))
    return out


def linked(record: Record, data: PageData) -> list[dict[str, Any]]:
    """Sections of records linked to this one: an actor's events, commitments and claims (claims stated in a
    sentence that names the actor); a claim's competing figures; a commitment's event."""
    sections: list[tuple[str, list[Record]]] = []
    if isinstance(record, Actor):
        events = sorted((e for e in data.corpus.events if record.id in e.actors),
                        key=lambda e: (e.date is None, date_key(e.date)))  # undated last
        commitments = [c for c in data.corpus.commitments if record.id in c.actors]
        own = _sentences_of(record.mentions, data)
        docs = {doc for doc, _ in own}
        claims = [c for c in data.corpus.claims
                  if any(m.doc in docs for m in c.mentions) and own & _sentences_of(c.mentions, data)]
        sections = [("Meetings and events" if record.kind == "body" else "Events", list(events)),
                    ("Commitments", list(commitments)), ("Claims in the same sentences", list(claims))]
    elif isinstance(record, Claim):
        same = [c for c in data.corpus.claims if c.id != record.id and c.subject.casefold() == record.subject.casefold()
                and c.unit == record.unit]
        sections = [("Other figures for this subject", list(same))]
    elif isinstance(record, Commitment) and record.event:
        sections = [("The event it was made at", [e for e in data.corpus.events if e.id == record.event])]
    elif isinstance(record, Event):
        sections = [("Commitments made at it", [c for c in data.corpus.commitments if c.event == record.id])]
    out = []
    for title, records in sections:
        if records:
            out.append({"title": title, "records": [_linked_view(r, data) for r in records]})
    return out


def _linked_view(record: Record, data: PageData) -> dict[str, Any]:
    view = record_view(record, data)
    if isinstance(record, Event):
        text = f"{record.type} {range_text(record.date) or 'undated'}: {record.summary}"
    elif isinstance(record, Commitment):
        text = f"{record.statement} ({record.status}{', due ' + range_text(record.due) if record.due else ''})"
    elif isinstance(record, Claim):
        text = (f"{claim_value(record)} — {record.subject}"
                f"{' ' + range_text(record.period) if record.period else ''} ({record.corroboration.replace('_', ' ')}"
                f", {len({m.doc for m in record.mentions})} source{'s' * (len({m.doc for m in record.mentions}) > 1)})")
    else:
        text = record.name
    return {"id": record.id, "url": view["url"], "text": text, "kind": view["record_kind"],
            "review": view["review"]}
