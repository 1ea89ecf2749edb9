"""Records as a terminal shows them: one line per record that fits the width, and the filters of ``show``.

Tables whose cells wrap turn 95 events into thousands of lines at 80 columns
and cut words and dates in two. Here every record is one line: ids whole, the
short columns as wide as their longest cell (up to a cap), and the one long
column (a summary, a statement, a title) given what is left and clipped with
an ellipsis. Prose (the tracker's judgments) is wrapped between words only.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pactwatch.countries import country_code
from pactwatch.models import Actor, Claim, Commitment, DateRange, Document, Event
from pactwatch.track import claim_value, document_label, progress_text
from pactwatch.track import clip as clip_quote

GAP = "  "
CAP = 14  # the widest a short column grows before it too is clipped
MIN_FLEX = 12  # the long column never shrinks below this


def clip(text: str, width: int) -> str:
    """One line of at most ``width`` characters, cut with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(0, width - 1)].rstrip() + "…"


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Prose wrapped between words: no word, date or number is ever split across lines."""
    return textwrap.wrap(" ".join(text.split()), width=width, initial_indent=indent, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False) or [indent.rstrip()]


@dataclass(frozen=True)
class Column:
    name: str
    cell: Callable[[Any], str]
    whole: bool = False  # never clipped (ids)
    flex: bool = False  # takes the width the others leave


def lines(rows: Sequence[Any], columns: Sequence[Column], width: int) -> list[str]:
    """A header and one line per row, each at most ``width`` characters (unless whole cells alone exceed it)."""
    cells = [[" ".join(c.cell(r).split()) or "—" for c in columns] for r in rows]
    widths = []
    for i, c in enumerate(columns):
        longest = max([len(c.name), *(len(row[i]) for row in cells)])
        widths.append(longest if c.whole else min(longest, CAP))
    fixed = sum(w for w, c in zip(widths, columns, strict=True) if not c.flex) + len(GAP) * (len(columns) - 1)
    for i, c in enumerate(columns):
        if c.flex:  # as long as its longest cell, cut to what the line has left
            longest = max([len(c.name), *(len(row[i]) for row in cells)])
            widths[i] = min(longest, max(MIN_FLEX, width - fixed))
    out = []
    for row in [[c.name for c in columns], *cells]:
        parts = [cell if c.whole else clip(cell, w) for cell, c, w in zip(row, columns, widths, strict=True)]
        padded = [p.ljust(w) for p, w in zip(parts[:-1], widths[:-1], strict=True)] + parts[-1:]
        out.append(GAP.join(padded).rstrip())
    return out


# --- the columns of each kind -------------------------------------------------------------------------------


def _date(value: DateRange | None) -> str:
    """'2025-07-01..07-29' for a span inside a year: the same date as str(DateRange), in fewer columns."""
    text = str(value) if value else "—"
    start, sep, end = text.partition("..")
    return f"{start}..{end[5:]}" if sep and start[:5] == end[:5] else text


def _list(values: Iterable[str]) -> str:
    return ", ".join(values) or "—"


def _roles(a: Actor) -> str:
    return "; ".join(f"{r.title} ({r.country})" if r.country else r.title for r in a.roles)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "documents": (Column("id", lambda d: d.id, whole=True),
                  Column("published", lambda d: _date(d.published), whole=True),
                  Column("outlet", lambda d: d.outlet or ""), Column("title", lambda d: d.title or "", flex=True)),
    "actors": (Column("id", lambda a: a.id, whole=True), Column("kind", lambda a: a.kind),
               Column("countries", lambda a: _list(a.countries)), Column("mentions", lambda a: str(len(a.mentions))),
               Column("name and roles", lambda a: a.name + (f" — {_roles(a)}" if a.roles else ""), flex=True)),
    "events": (Column("id", lambda e: e.id, whole=True), Column("date", lambda e: _date(e.date), whole=True),
               Column("type", lambda e: e.type), Column("countries", lambda e: _list(e.countries)),
               Column("summary", lambda e: e.summary, flex=True)),
    "commitments": (Column("id", lambda c: c.id, whole=True), Column("status", lambda c: c.status),
                    Column("due", lambda c: _date(c.due), whole=True), Column("parties", lambda c: _list(c.parties)),
                    Column("statement", lambda c: c.statement, flex=True)),
    "claims": (Column("id", lambda c: c.id, whole=True), Column("value", claim_value, whole=True),
               Column("corroboration", lambda c: c.corroboration.replace("_", " ")),
               Column("countries", lambda c: _list(c.countries)), Column("subject", lambda c: c.subject, flex=True)),
}


# --- filters ------------------------------------------------------------------------------------------------


class FilterError(ValueError):
    """A filter that does not apply to the kind listed, or a value it cannot read (one line)."""


@dataclass(frozen=True)
class Filters:
    type: str | None = None
    country: str | None = None
    pair: tuple[str, str] | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None


# What each filter reads on each kind; a kind missing from a filter's table does not take that filter.
_TYPE: dict[str, Callable[[Any], str]] = {"actors": lambda a: a.kind, "events": lambda e: e.type,
                                          "commitments": lambda c: c.kind, "claims": lambda c: c.unit}
_STATUS: dict[str, Callable[[Any], str]] = {"commitments": lambda c: c.status, "claims": lambda c: c.corroboration}
_COUNTRIES: dict[str, Callable[[Any], Iterable[str]]] = {
    "actors": lambda a: a.countries, "events": lambda e: e.countries, "commitments": lambda c: c.parties,
    "claims": lambda c: c.countries}
_WHEN: dict[str, Callable[[Any], DateRange | None]] = {
    "documents": lambda d: d.published, "events": lambda e: e.date, "commitments": lambda c: c.made_on,
    "claims": lambda c: c.period}


def country(value: str) -> str:
    """An ISO3 code from a code or a name ('TZA', 'Tanzania', 'Tanzanian'); FilterError if it is neither."""
    code = country_code(value)
    if code is None:
        raise FilterError(f"unknown country {value!r}: give an ISO3 code (KEN) or a name (Kenya)")
    return code


def pair(value: str) -> tuple[str, str]:
    parts = [p for p in value.replace("–", "-").split("-") if p.strip()]
    if len(parts) != 2:
        raise FilterError(f"bad --pair {value!r}: give two countries, e.g. KEN-TZA")
    a, b = (country(p.strip()) for p in parts)
    return a, b


def select(kind: str, rows: Sequence[Document | Actor | Event | Commitment | Claim], f: Filters) -> list[Any]:
    """The rows that pass every filter given; FilterError for a filter the kind does not take."""
    checks: list[Callable[[Any], bool]] = []
    if f.type is not None:
        get = _needs(_TYPE, kind, "--type")
        checks.append(lambda r: get(r).casefold() == f.type.casefold())  # type: ignore[union-attr]
    if f.status is not None:
        status = _needs(_STATUS, kind, "--status")
        checks.append(lambda r: status(r).casefold() == f.status.casefold().replace(" ", "_"))  # type: ignore[union-attr]
    if f.country is not None or f.pair is not None:
        countries = _needs(_COUNTRIES, kind, "--country" if f.country else "--pair")
        wanted = {*(f.pair or ()), *([f.country] if f.country else [])}
        checks.append(lambda r: wanted <= set(countries(r)))
    if f.since is not None or f.until is not None:
        when = _needs(_WHEN, kind, "--since" if f.since else "--until")
        start, end = f.since or date.min, f.until or date.max
        checks.append(lambda r: (d := when(r)) is not None and d.start <= end and start <= d.end)
    return [r for r in rows if all(check(r) for check in checks)]


def _needs(table: dict[str, Any], kind: str, option: str) -> Any:
    if kind not in table:
        raise FilterError(f"{option} does not apply to {kind} (it applies to {', '.join(table)})")
    return table[kind]


# --- the tracker --------------------------------------------------------------------------------------------

_STATUS_ORDER = {"missed": 0, "met": 1, "pending": 2, "unknown": 3}


def commitment_lines(commitments: Sequence[Commitment], documents: dict[str, Document], as_of: date | None,
                     width: int) -> list[str]:
    """Each commitment as a block: a line of facts (id whole), then its statement, judgment and evidence wrapped
    between words, so no word or date is ever cut across lines."""
    out = [f"Commitments as of {as_of or 'the newest article'}", ""]
    for c in sorted(commitments, key=lambda c: (_STATUS_ORDER.get(c.status, 9), c.due.end if c.due else date.max,
                                                c.id)):
        status = c.status.upper() + (" (analyst)" if "review" in c.attributes else "")
        facts = [c.id, status, c.kind, _list(c.parties)]
        facts += [f"due {c.due}"] if c.due else []
        facts += [p] if (p := progress_text(c)) else []
        facts += ["overdue"] if c.attributes.get("overdue") else []
        out += wrap("  ".join(facts), width)
        out += wrap(c.statement, width, "    ")
        if judgment := c.attributes.get("judgment"):
            out += wrap(str(judgment), width, "    ")
        for m in c.evidence[:3]:
            where = document_label(documents[m.doc]) if m.doc in documents else "an article no longer stored"
            out += wrap(f'• "{clip_quote(m.quote, 100)}" — {where}', width, "    ")
        out.append("")
    return out
