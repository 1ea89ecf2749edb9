"""The briefing: what a pair of countries did, agreed and promised over a period, as Markdown, HTML and PDF.

``build_briefing`` selects the records of the pair (the same rule as the
dashboard: both countries among a record's countries or parties) within the
period and numbers the documents they cite; the renderers only lay it out.
Commitments are judged as of the period's end by the tracker, so a briefing
for the whole corpus shows the same statuses as the stored record and the
dashboard; a commitment an analyst corrected keeps the analyst's word.

HTML is autoescaped and self-contained (inline CSS, no script, no remote
resource), so an article holding markup is shown as text. PDF is printed from
that HTML by headless Chromium where it is installed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment

from pactwatch.countries import country_name
from pactwatch.documents import document_title, web_link
from pactwatch.models import STATUSES, Claim, Commitment, Corpus, DateRange, Document, Event, Mention
from pactwatch.report_templates import HTML_TEMPLATE, MARKDOWN_TEMPLATE
from pactwatch.track import claim_value, clip, format_value, judge, newest_date

FORMATS: tuple[str, ...] = ("md", "html", "pdf", "all")
HEADLINES = 5
HEADLINE_CHARS = 200
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Headless printing with nothing reaching out to the network or the user's profile.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-default-apps", "--disable-extensions", "--disable-sync",
                  "--no-first-run", "--no-default-browser-check", "--metrics-recording-only", "--mute-audio",
                  "--no-pdf-header-footer", "--disable-features=Translate,MediaRouter,OptimizationHints")
PDF_TIMEOUT_S = 90


@dataclass
class Source:
    """A document the briefing cites, numbered in order of publication."""

    number: int
    document: Document

    @property
    def date(self) -> str:
        return str(self.document.published) if self.document.published else "undated"

    @property
    def label(self) -> str:
        return document_title(self.document)

    @property
    def link(self) -> str | None:
        """The url, only where it is a web address: a 'javascript:' url must never become a link."""
        return web_link(self.document.url)


@dataclass
class Quote:
    text: str
    source: int


@dataclass
class TimelineEntry:
    event: Event
    date: str
    sources: list[int]


@dataclass
class CommitmentEntry:
    commitment: Commitment
    made: str
    due: str
    progress: str
    cadence: str
    judgment: str
    overdue: bool
    reviewed: bool
    evidence: list[Quote]
    sources: list[int]


@dataclass
class FigureEntry:
    claim: Claim
    value: str
    period: str
    others: list[str]  # other values for the same subject and period (conflicts, side by side)
    sources: list[int]


@dataclass
class Briefing:
    pair: tuple[str, str]
    names: tuple[str, str]
    start: date | None
    end: date | None
    as_of: date | None
    generated: str
    headlines: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    timeline: list[TimelineEntry] = field(default_factory=list)
    commitments: list[CommitmentEntry] = field(default_factory=list)
    figures: list[FigureEntry] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.names[0]}–{self.names[1]} briefing"

    @property
    def period(self) -> str:
        if self.start is None and self.end is None:
            return "no dated records"
        return f"{self.start.isoformat() if self.start else '…'} to {self.end.isoformat() if self.end else '…'}"


# --- selection --------------------------------------------------------------------------------------------


def _day(value: DateRange | None) -> date | None:
    return value.start if value else None


class _Scope:
    """The pair, the period and the documents published by its end."""

    def __init__(self, corpus: Corpus, pair: tuple[str, str], start: date | None, end: date | None) -> None:
        self.pair = set(pair)
        self.start, self.end = start, end
        self.documents = {d.id: d for d in corpus.documents
                          if end is None or (d.published is not None and d.published.start <= end)}

    def first_reported(self, mentions: list[Mention]) -> date | None:
        days = [d.published.start for m in mentions if (d := self.documents.get(m.doc)) and d.published]
        return min(days) if days else None

    def reported(self, mentions: list[Mention]) -> bool:
        return any(m.doc in self.documents for m in mentions)

    def within(self, day: date | None) -> bool:
        if day is None:
            return self.start is None
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def involves(self, countries: list[str]) -> bool:
        return self.pair <= set(countries)


def _event_in(e: Event, scope: _Scope) -> bool:
    if not scope.involves(e.countries) or not scope.reported(e.mentions):
        return False
    if e.date is not None:  # an event counts where its dates touch the period
        return ((scope.start is None or e.date.end >= scope.start) and (scope.end is None or e.date.start <= scope.end))
    return scope.within(scope.first_reported(e.mentions))


def _commitment_in(c: Commitment, scope: _Scope) -> bool:
    """Made by the period's end, and made within it or still to be judged in it (no due date, or due after start)."""
    if not scope.involves(c.parties) or not scope.reported(c.mentions):
        return False
    made = _day(c.made_on) or scope.first_reported(c.mentions)
    if made is not None and scope.end is not None and made > scope.end:
        return False
    return scope.within(made) or c.due is None or scope.start is None or c.due.end >= scope.start


def _claim_in(c: Claim, scope: _Scope) -> bool:
    if not scope.involves(c.countries) or not scope.reported(c.mentions):
        return False
    return scope.within(scope.first_reported(c.mentions)) or (
        c.period is not None and scope.start is not None and c.period.end >= scope.start
        and (scope.end is None or c.period.start <= scope.end))


def _judged(corpus: Corpus, as_of: date | None) -> Corpus:
    """Statuses as of the period's end; an analyst's correction is kept as the analyst left it."""
    if as_of is None:
        return corpus
    fresh = {c.id: c for c in judge(corpus, as_of).commitments}
    keep = [c if "review" in c.attributes else fresh[c.id] for c in corpus.commitments]
    return replace(corpus, commitments=keep)


# --- building ---------------------------------------------------------------------------------------------


class _Citations:
    """Numbers documents as they are cited; renumbered by publication date once all are known."""

    def __init__(self, documents: dict[str, Document]) -> None:
        self.documents = documents
        self.cited: dict[str, int] = {}

    def cite(self, mentions: list[Mention]) -> list[str]:
        ids = [m.doc for m in mentions if m.doc in self.documents]
        for doc_id in ids:
            self.cited.setdefault(doc_id, len(self.cited))
        return list(dict.fromkeys(ids))

    def numbering(self) -> dict[str, int]:
        def key(doc_id: str) -> tuple[date, str]:
            d = self.documents[doc_id]
            return (d.published.start if d.published else date.max, d.source)
        return {doc_id: n for n, doc_id in enumerate(sorted(self.cited, key=key), 1)}


def build_briefing(corpus: Corpus, pair: tuple[str, str] = ("PAK", "TUR"), start: date | None = None,
                   end: date | None = None) -> Briefing:
    """The briefing for ``pair`` over ``start``..``end`` (either open: the corpus's first or newest date)."""
    pair = (pair[0].upper(), pair[1].upper())
    newest = newest_date(corpus)
    as_of = min(end, newest) if end and newest else (end or newest)
    scope = _Scope(corpus, pair, start, end)
    corpus = _judged(corpus, as_of) if end is not None and newest is not None and end < newest else corpus
    events = sorted((e for e in corpus.events if _event_in(e, scope)),
                    key=lambda e: (_day(e.date) or scope.first_reported(e.mentions) or date.max, e.id))
    commitments = sorted((c for c in corpus.commitments if _commitment_in(c, scope)), key=_commitment_order)
    claims = sorted((c for c in corpus.claims if _claim_in(c, scope)),
                    key=lambda c: (c.subject.lower(), _day(c.period) or date.min, c.value))

    cites = _Citations(scope.documents)
    event_docs = [cites.cite(e.mentions) for e in events]
    commitment_docs = [cites.cite(c.mentions + c.evidence) for c in commitments]
    claim_docs = [cites.cite(c.mentions) for c in claims]
    numbers = cites.numbering()

    def refs(doc_ids: list[str]) -> list[int]:
        return sorted({numbers[d] for d in doc_ids})

    briefing = Briefing(pair=pair, names=(country_name(pair[0]), country_name(pair[1])),
                        start=start or _first_day(events, commitments, claims, scope), end=end or newest,
                        as_of=as_of, generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    briefing.timeline = [TimelineEntry(e, str(e.date) if e.date else "undated", refs(ids))
                         for e, ids in zip(events, event_docs, strict=True)]
    briefing.commitments = [_commitment_entry(c, refs(ids), numbers) for c, ids in
                            zip(commitments, commitment_docs, strict=True)]
    briefing.figures = [_figure_entry(c, claims, refs(ids)) for c, ids in zip(claims, claim_docs, strict=True)]
    briefing.sources = [Source(n, scope.documents[d]) for d, n in sorted(numbers.items(), key=lambda kv: kv[1])]
    briefing.statuses = {s: sum(1 for c in commitments if c.status == s) for s in STATUSES}
    briefing.counts = {"documents": len(briefing.sources), "events": len(events), "commitments": len(commitments),
                       "overdue": sum(1 for e in briefing.commitments if e.overdue), "claims": len(claims),
                       "conflicting": sum(1 for c in claims if c.corroboration == "conflicting")}
    briefing.headlines = _headlines(briefing)
    return briefing


def _first_day(events: list[Event], commitments: list[Commitment], claims: list[Claim], scope: _Scope) -> date | None:
    records: list[Event | Commitment | Claim] = [*events, *commitments, *claims]
    days = [scope.first_reported(r.mentions) for r in records]
    days += [_day(e.date) for e in events]
    known = [d for d in days if d is not None]
    return min(known) if known else None


_STATUS_ORDER = {"missed": 0, "met": 1, "pending": 2, "unknown": 3}


def _commitment_order(c: Commitment) -> tuple[int, date, str]:
    return (_STATUS_ORDER.get(c.status, 9), c.due.end if c.due else date.max, c.id)


def _commitment_entry(c: Commitment, sources: list[int], numbers: dict[str, int]) -> CommitmentEntry:
    progress = c.attributes.get("progress") or {}
    cadence = c.attributes.get("cadence") or {}
    progress_text = ""
    if progress and c.target:
        ratio = progress.get("ratio")
        progress_text = (f"{format_value(float(progress['value']), c.target.unit)} of "
                         f"{format_value(c.target.value, c.target.unit)}"
                         + (f" ({float(ratio):.0%})" if isinstance(ratio, int | float) else "")
                         + (f" as of {progress['as_of']}" if progress.get("as_of") else ""))
    elif c.target:
        progress_text = f"target {format_value(c.target.value, c.target.unit)}"
    cadence_text = ""
    if cadence:
        cadence_text = (f"{cadence.get('held')} of {cadence.get('expected')} expected meetings held "
                        f"({'behind' if cadence.get('behind') else 'on track'}; {cadence.get('per_year'):g} a year)")
    elif c.cadence:
        cadence_text = f"{c.cadence.per_year:g} a year"
    evidence = [Quote(" ".join(m.quote.split()), numbers[m.doc]) for m in c.evidence if m.doc in numbers]
    review = c.attributes.get("review")
    return CommitmentEntry(commitment=c, made=str(c.made_on) if c.made_on else "", due=str(c.due) if c.due else "",
                           progress=progress_text, cadence=cadence_text,
                           judgment=str(c.attributes.get("judgment") or ""), overdue=bool(c.attributes.get("overdue")),
                           reviewed=bool(review), evidence=evidence, sources=sources)


def _figure_entry(claim: Claim, claims: list[Claim], sources: list[int]) -> FigureEntry:
    """A row of the key figures; the other values it is set against are those of the claims it conflicts with,
    so the table lists a conflict exactly where the summary counts one."""
    same = [c for c in claims if c is not claim and c.subject.lower() == claim.subject.lower()
            and c.unit == claim.unit and c.period == claim.period and c.values() != claim.values()]
    conflicting = claim.corroboration == "conflicting"
    return FigureEntry(claim=claim, value=claim_value(claim), period=str(claim.period) if claim.period else "",
                       others=sorted({claim_value(c) for c in same if c.corroboration == "conflicting"})
                       if conflicting else [], sources=sources)


def _headlines(b: Briefing) -> list[str]:
    """The events most reported, then the commitments with a verdict: what a reader should see first."""
    reach = Counter({i: len(t.sources) for i, t in enumerate(b.timeline)})
    top = sorted(reach, key=lambda i: (-reach[i], b.timeline[i].date))[:HEADLINES]
    lines = [f"{b.timeline[i].date}: {clip(_event_line(b.timeline[i].event), HEADLINE_CHARS)}" for i in sorted(top)]
    for entry in b.commitments:
        if entry.commitment.status in ("met", "missed") and len(lines) < HEADLINES + 3:
            lines.append(f"Commitment {entry.commitment.status}: {entry.commitment.statement}")
    return lines


def _event_line(e: Event) -> str:
    if e.summary:
        return e.summary
    where = f" in {e.location.place}" if e.location else ""
    return f"{e.type.capitalize()} ({e.mode or 'event'}){where}"


# --- rendering --------------------------------------------------------------------------------------------


def _environment(autoescape: bool) -> Environment:
    env = Environment(autoescape=autoescape, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["refs"] = lambda numbers: " ".join(f"[{n}]" for n in numbers)
    env.filters["md"] = _markdown_text
    env.globals["event_line"] = _event_line
    env.globals["country_name"] = country_name
    return env


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def _markdown_text(value: Any) -> str:
    """Text safe inside Markdown: one line, markup characters escaped (raw HTML in Markdown would run)."""
    return " ".join(str(value or "").split()).translate(_MD_SPECIAL)


def render_markdown(briefing: Briefing) -> str:
    return _environment(autoescape=False).from_string(MARKDOWN_TEMPLATE).render(b=briefing)


def render_html(briefing: Briefing) -> str:
    return _environment(autoescape=True).from_string(HTML_TEMPLATE).render(b=briefing)


def find_chromium() -> str | None:
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


class PdfUnavailable(RuntimeError):
    """Headless Chromium is not installed, or it failed to print."""


def render_pdf(html: str, out: Path, chromium: str | None = None) -> Path:
    """Print the HTML to ``out`` with headless Chromium (a throwaway profile, no network)."""
    chromium = chromium or find_chromium()
    if chromium is None:
        raise PdfUnavailable("no headless Chromium found (install the chromium package to get PDF briefings)")
    out = out.resolve()
    with tempfile.TemporaryDirectory(prefix="pactwatch-pdf-") as tmp:
        page = Path(tmp) / "briefing.html"
        page.write_text(html, encoding="utf-8")
        command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}",
                   page.as_uri()]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=PDF_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailable(f"chromium could not print the PDF: {exc}") from exc
    if not out.is_file() or not out.read_bytes().startswith(b"%PDF"):
        tail = (result.stderr or "").strip().splitlines()[-1:] or ["no output"]
        raise PdfUnavailable(f"chromium did not write a PDF ({tail[0]})")
    return out


@dataclass
class Written:
    paths: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def write_briefing(briefing: Briefing, output: str | Path, fmt: str = "md") -> Written:
    """Write the briefing as ``fmt`` (md, html, pdf, or all: one file per format beside ``output``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    output = Path(output)
    formats = ("md", "html", "pdf") if fmt == "all" else (fmt,)
    written = Written()
    html = render_html(briefing) if {"html", "pdf"} & set(formats) else ""
    for f in formats:
        path = output.with_suffix(f".{f}") if fmt == "all" else output
        if f == "md":
            path.write_text(render_markdown(briefing), encoding="utf-8")
        elif f == "html":
            path.write_text(html, encoding="utf-8")
        else:
            try:
                render_pdf(html, path)
            except PdfUnavailable as exc:
                written.notes.append(f"PDF skipped: {exc}")
                continue
        written.paths.append(path)
    return written
