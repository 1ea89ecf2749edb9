"""Commitments merged across the corpus, with a first status.

The same pledge reported twice, in one article or in several, is one
commitment: same kind, overlapping parties, compatible target, cadence and due
date, and a similar statement. Status for now: ``pending`` while the pledge is
due after the newest document (or is an open-ended goal), else ``unknown``;
the tracker judges met and missed from evidence later.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from rapidfuzz import fuzz

from pactwatch.countries import find_countries
from pactwatch.models import Commitment
from pactwatch.text import fold

_STOP = frozenset({"the", "a", "an", "of", "in", "on", "to", "for", "and", "will", "would", "with", "by", "at",
                   "both", "two", "countries", "sides", "said", "also", "that", "this", "is", "are", "be", "as",
                   "has", "have", "its", "their", "from", "which", "it", "was", "were"})
SAME_STATEMENT = 55  # token-set ratio of the statements' content words
KEY_OVERLAP = 0.5  # or this share of the shorter statement's content words in common
SAME_PARTIES = 0.5  # Jaccard overlap of the parties
SAME_DAY_WORDS = 2  # content words two pledges due the same day share to be one


def _words(statement: str) -> set[str]:
    return {w for w in fold(statement).split() if w not in _STOP and len(w) > 2}


def _similar(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    if len(wa & wb) / min(len(wa), len(wb)) >= KEY_OVERLAP:
        return True
    return fuzz.token_set_ratio(" ".join(sorted(wa)), " ".join(sorted(wb))) >= SAME_STATEMENT + 30


def _same_values(a: Commitment, b: Commitment) -> bool:
    if (a.target is None) != (b.target is None) or (a.cadence is None) != (b.cadence is None):
        return False
    if a.target and b.target and (a.target.unit != b.target.unit
                                  or abs(a.target.value - b.target.value) > 0.005 * max(a.target.value,
                                                                                         b.target.value)):
        return False
    if a.cadence and b.cadence and a.cadence.per_year != b.cadence.per_year:
        return False
    return not (a.due and b.due and not a.due.overlaps(b.due))


def _same_parties(a: Commitment, b: Commitment) -> bool:
    """Mostly the same states: Brazil-Chile and Brazil-Peru pledging the same $100 billion are two pledges."""
    pa, pb = set(a.parties), set(b.parties)
    return len(pa & pb) / len(pa | pb) >= SAME_PARTIES if pa | pb else False


def _venues(statement: str) -> set[str]:
    return {c.text for c in find_countries(statement) if c.kind == "capital"}


def _same(a: Commitment, b: Commitment) -> bool:
    if a.kind != b.kind or not _same_parties(a, b) or not _same_values(a, b) or _one_sentence(a, b):
        return False
    if a.kind in ("target", "recurring"):
        return True  # the same value or cadence between the same parties is the same pledge
    va, vb = _venues(a.statement), _venues(b.statement)
    if va and vb and not va & vb:
        return False  # the next meeting in one capital is not the next meeting in another
    if a.due and a.due == b.due and a.due.days == 1:
        # one day set for both ("replacing all military personnel ... by May 10", "agreed to withdraw its
        # military personnel ... by May 10"): one plan, however differently told, where the words meet at all
        return len(_words(a.statement) & _words(b.statement)) >= SAME_DAY_WORDS
    return _similar(a.statement, b.statement)


def _one_sentence(a: Commitment, b: Commitment) -> bool:
    """Two pledges the extractor told apart in one sentence ("start talks by May and conclude them in a year")."""
    return bool(a.mentions and b.mentions) and (a.mentions[0].doc, a.mentions[0].start) == (
        b.mentions[0].doc, b.mentions[0].start)


def _merge_into(target: Commitment, other: Commitment) -> None:
    target.mentions += [m for m in other.mentions if m not in target.mentions]
    for name in ("parties", "actors", "topics"):
        values = getattr(target, name)
        values += [v for v in getattr(other, name) if v not in values]
    target.due = target.due or other.due
    target.made_on = target.made_on or other.made_on
    target.event = target.event or other.event
    target.attributes["goal"] = bool(target.attributes.get("goal") or other.attributes.get("goal"))


def status(commitment: Commitment, as_of: date | None) -> str:
    """pending while due after the newest document, or an open-ended target still being worked toward."""
    if commitment.due is not None:
        return "pending" if as_of is None or commitment.due.end > as_of else "unknown"
    if commitment.kind == "target" and commitment.attributes.get("goal"):
        return "pending"
    return "unknown"


def merge_commitments(commitments: list[Commitment], as_of: date | None) -> list[Commitment]:
    merged: list[Commitment] = []
    # Pledges of one kind sharing a party are the only ones _same can join: the first of them in ``merged`` wins.
    by_party: dict[tuple[str, str], list[int]] = {}
    for c in sorted(commitments, key=lambda c: (c.mentions[0].doc, c.mentions[0].start) if c.mentions else ("", 0)):
        near = sorted({n for p in c.parties for n in by_party.get((c.kind, p), ())})
        n = next((n for n in near if _same(merged[n], c)), None)
        if n is None:
            n = len(merged)
            merged.append(replace(c, mentions=list(c.mentions), parties=list(c.parties), actors=list(c.actors),
                                  topics=list(c.topics), attributes=dict(c.attributes), evidence=[]))
        else:
            _merge_into(merged[n], c)
        for p in merged[n].parties:
            if n not in (held := by_party.setdefault((merged[n].kind, p), [])):
                held.append(n)
    for c in merged:
        c.status = status(c, as_of)
    return merged
