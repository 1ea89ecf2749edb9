"""The records pactwatch draws, shared by every stage.

Each record keeps the exact characters it came from (``Mention``) beside its
normalised values. The field names follow ``shared/spec/exchange-format.md``
(the ``pactwatch/1`` exchange format); ``to_dict`` writes that shape and
``from_dict`` reads it back, so the store can keep records as JSON.

Records are built in two passes: extractors return per-document records
whose ids are local to that document ("<doc>:a3"); the resolvers merge them
into corpus records with stable ids.
"""

from __future__ import annotations

import calendar
import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from datetime import date, timedelta
from typing import Any, Literal, cast

Precision = Literal["day", "month", "quarter", "year"]
PRECISIONS: tuple[str, ...] = ("day", "month", "quarter", "year")

EVENT_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
TOPICS: tuple[str, ...] = (
    "counterterrorism", "counter_narcotics", "human_trafficking", "migration",
    "border_security", "cybercrime", "maritime", "policing", "intelligence",
    "disaster_management", "defence", "defence_industry", "trade", "investment",
    "energy", "technology", "agriculture", "health", "education", "culture",
    "tourism", "media", "diplomacy", "regional_security", "justice",
)
ACTOR_KINDS: tuple[str, ...] = ("person", "organization", "country", "body")
COMMITMENT_KINDS: tuple[str, ...] = ("target", "recurring", "action")
STATUSES: tuple[str, ...] = ("pending", "met", "missed", "unknown")
CORROBORATION: tuple[str, ...] = ("corroborated", "conflicting", "single_source")
PUBLISHED_SOURCES: tuple[str, ...] = ("given", "text", "inferred")


def add_days(day: date, days: int) -> date:
    """``day`` moved by ``days``, held at the calendar's ends (0001-01-01, 9999-12-31) instead of overflowing."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


@dataclass(frozen=True, order=True)
class DateRange:
    """The first and last day an expression can mean, and how precise it is."""

    start: date
    end: date
    precision: str = "day"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"DateRange ends before it starts: {self.start} > {self.end}")
        if self.precision not in PRECISIONS:
            raise ValueError(f"unknown precision {self.precision!r}")

    @classmethod
    def day(cls, d: date) -> DateRange:
        return cls(d, d, "day")

    @classmethod
    def month(cls, year: int, month: int) -> DateRange:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> DateRange:
        first = 3 * (quarter - 1) + 1
        last = calendar.monthrange(year, first + 2)[1]
        return cls(date(year, first, 1), date(year, first + 2, last), "quarter")

    @classmethod
    def year(cls, year: int) -> DateRange:
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    def overlaps(self, other: DateRange) -> bool:
        return self.start <= other.end and other.start <= self.end

    def contains(self, other: DateRange) -> bool:
        return self.start <= other.start and other.end <= self.end

    def intersection(self, other: DateRange) -> DateRange | None:
        """The days both ranges can mean, keeping the narrower one's precision when it is whole."""
        if not self.overlaps(other):
            return None
        start, end = max(self.start, other.start), min(self.end, other.end)
        for r in (self, other):
            if (r.start, r.end) == (start, end):
                return r
        return DateRange(start, end, "day")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def to_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "precision": self.precision}

    @classmethod
    def from_dict(cls, value: Any) -> DateRange | None:
        """Read a DateRange dict, or a plain "YYYY-MM-DD" string (a day)."""
        if not value:
            return None
        if isinstance(value, str):
            return cls.day(date.fromisoformat(value))
        return cls(date.fromisoformat(value["start"]), date.fromisoformat(value["end"]),
                   value.get("precision") or "day")

    def __str__(self) -> str:
        whole = {"day": self.start == self.end,
                 "month": (self.start.year, self.start.month) == (self.end.year, self.end.month)
                 and self == DateRange.month(self.start.year, self.start.month),
                 "quarter": self == DateRange.quarter(self.start.year, (self.start.month - 1) // 3 + 1),
                 "year": self == DateRange.year(self.start.year)}
        if whole.get(self.precision):
            if self.precision == "day":
                return self.start.isoformat()
            if self.precision == "month":  # not strftime: it writes year 1 as "1", not "0001"
                return f"{self.start.year:04d}-{self.start.month:02d}"
            if self.precision == "quarter":
                return f"{self.start.year:04d}-Q{(self.start.month - 1) // 3 + 1}"
            return f"{self.start.year:04d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


@dataclass(frozen=True, order=True)
class Mention:
    """Where a record came from: ``quote == document.text[start:end]``."""

    doc: str
    start: int
    end: int
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "start": self.start, "end": self.end, "quote": self.quote}

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> Mention:
        return cls(str(value["doc"]), int(value["start"]), int(value["end"]), str(value["quote"]))


@dataclass(frozen=True)
class TextBounds:
    """What an article's own words prove of when it was written: after ``low`` (the latest past day it reports),
    before ``high`` (the earliest day it still awaits), within ``year`` (one its words fix), each None where
    they prove nothing. ``rules``: the resolution rules that worked it out (``resolve.blocks.RULES``), so a store
    keeps it for its undated documents and works it out again only when the rules change."""

    low: date | None
    high: date | None
    year: DateRange | None
    rules: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low and self.low.isoformat(), "high": self.high and self.high.isoformat(),
                "year": self.year and self.year.to_dict(), "rules": self.rules}

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> TextBounds:
        return cls(date.fromisoformat(value["low"]) if value.get("low") else None,
                   date.fromisoformat(value["high"]) if value.get("high") else None,
                   DateRange.from_dict(value.get("year")), str(value.get("rules") or ""))


@dataclass(frozen=True)
class WordKeys:
    """What the tracker reads of an article's words to find evidence in it (``track.word_keys``): the countries it
    names, and each of its sentences (``track.split_sentences``) as its start, end and key stems (sorted, joined
    by spaces: a store reads every dated document's, and a set per sentence would weigh ten times as much).
    ``rules``: the digest of the code and data that found them (``track.key_rules``), so a store keeps them for
    its dated documents and finds them again only when those change."""

    countries: frozenset[str]
    sentences: tuple[tuple[int, int, str], ...]
    rules: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"countries": sorted(self.countries), "sentences": [list(s) for s in self.sentences],
                "rules": self.rules}

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> WordKeys:
        return cls(frozenset(value.get("countries") or ()),
                   tuple((int(s), int(e), str(k)) for s, e, k in value.get("sentences") or ()),
                   str(value.get("rules") or ""))


@dataclass
class Document:
    id: str
    text: str
    source: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: DateRange | None = None
    published_source: str | None = None  # given | text | inferred
    language: str = "en"  # ISO 639; records are drawn from English text only
    text_bounds: TextBounds | None = None  # of an undated document, once worked out (pipeline.worked_out)
    word_keys: WordKeys | None = None  # of a dated document, once worked out (pipeline.worked_out)

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id, "source": self.source, "title": self.title, "outlet": self.outlet,
            "url": self.url, "published": _published_value(self.published),
            "published_source": self.published_source, "language": self.language,
        }
        if with_text:
            out["text"] = self.text
        return out


def _published_value(published: DateRange | None) -> str | dict[str, str] | None:
    """The exchange format writes a known day as "YYYY-MM-DD", anything wider as a DateRange."""
    if published is None:
        return None
    if published.precision == "day" and published.start == published.end:
        return published.start.isoformat()
    return published.to_dict()


@dataclass
class Role:
    title: str
    country: str | None = None
    organization: str | None = None
    start: str | None = None  # written as "from" in the exchange format
    end: str | None = None  # written as "to"

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "country": self.country, "organization": self.organization,
                "from": self.start, "to": self.end}

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> Role:
        return cls(value["title"], value.get("country"), value.get("organization"), value.get("from"), value.get("to"))


@dataclass
class Actor:
    id: str
    name: str
    kind: str  # person | organization | country | body
    countries: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Location:
    place: str
    country: str | None = None


@dataclass
class Event:
    id: str
    type: str
    date: DateRange | None
    countries: list[str]
    mentions: list[Mention]
    mode: str | None = None
    location: Location | None = None
    actors: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    summary: str = ""
    # Beyond the spec: what episode merging keys on ("16th session", a body's id).
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Target:
    value: float
    unit: str


@dataclass
class Cadence:
    per_year: float


@dataclass
class Commitment:
    id: str
    statement: str
    kind: str  # target | recurring | action
    parties: list[str]
    mentions: list[Mention]
    actors: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    made_on: DateRange | None = None
    event: str | None = None
    target: Target | None = None
    due: DateRange | None = None
    cadence: Cadence | None = None
    status: str = "unknown"
    evidence: list[Mention] = field(default_factory=list)
    # Beyond the spec: what is measured ("bilateral trade"), for the tracker.
    subject: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Claim:
    id: str
    subject: str
    value: float
    unit: str
    mentions: list[Mention]
    period: DateRange | None = None
    countries: list[str] = field(default_factory=list)
    corroboration: str = "single_source"
    attributes: dict[str, Any] = field(default_factory=dict)
    # Beyond the spec: the upper end of a range ("$45-50 billion": value 45e9, high 50e9); None for one figure.
    high: float | None = None

    def values(self) -> tuple[float, float]:
        """(lowest, highest) value the claim allows: its range, or its one figure twice."""
        return self.value, self.high if self.high is not None else self.value


Record = Actor | Event | Commitment | Claim


def record_to_dict(record: Record) -> dict[str, Any]:
    """A record in the exchange format's shape (JSON-ready)."""
    kind = type(record)
    names = _FIELD_NAMES.get(kind) or _FIELD_NAMES.setdefault(kind, tuple(f.name for f in fields(record)))
    out = {name: _to_json(getattr(record, name)) for name in names}
    if isinstance(record, Event):
        out["date"] = record.date.to_dict() if record.date else None
    return out


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_PLAIN = frozenset((str, int, float, bool, type(None)))


def _to_json(value: Any) -> Any:
    kind = type(value)  # the common types by identity first: a rebuild writes records by the thousand
    if kind in _PLAIN:
        return value
    if kind is list:
        return [_to_json(v) for v in value]
    if kind is Mention:
        return value.to_dict()
    if isinstance(value, DateRange | Mention | Role):
        return value.to_dict()
    if isinstance(value, Location | Target | Cadence):
        return asdict(value)
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


def _mentions(values: Any) -> list[Mention]:
    return [Mention.from_dict(m) for m in values or []]


def actor_from_dict(d: dict[str, Any]) -> Actor:
    return Actor(id=d["id"], name=d["name"], kind=d["kind"], countries=list(d.get("countries") or []),
                 aliases=list(d.get("aliases") or []), roles=[Role.from_dict(r) for r in d.get("roles") or []],
                 mentions=_mentions(d.get("mentions")))


def event_from_dict(d: dict[str, Any]) -> Event:
    loc = d.get("location")
    return Event(id=d["id"], type=d["type"], date=DateRange.from_dict(d.get("date")),
                 countries=list(d.get("countries") or []), mentions=_mentions(d.get("mentions")),
                 mode=d.get("mode"), location=Location(loc["place"], loc.get("country")) if loc else None,
                 actors=list(d.get("actors") or []), topics=list(d.get("topics") or []),
                 summary=d.get("summary") or "", attributes=dict(d.get("attributes") or {}))


def commitment_from_dict(d: dict[str, Any]) -> Commitment:
    tgt, cad = d.get("target"), d.get("cadence")
    return Commitment(id=d["id"], statement=d["statement"], kind=d["kind"], parties=list(d.get("parties") or []),
                      mentions=_mentions(d.get("mentions")), actors=list(d.get("actors") or []),
                      topics=list(d.get("topics") or []), made_on=DateRange.from_dict(d.get("made_on")),
                      event=d.get("event"), target=Target(tgt["value"], tgt["unit"]) if tgt else None,
                      due=DateRange.from_dict(d.get("due")), cadence=Cadence(cad["per_year"]) if cad else None,
                      status=d.get("status") or "unknown", evidence=_mentions(d.get("evidence")),
                      subject=d.get("subject"), attributes=dict(d.get("attributes") or {}))


def claim_from_dict(d: dict[str, Any]) -> Claim:
    return Claim(id=d["id"], subject=d["subject"], value=d["value"], unit=d["unit"],
                 mentions=_mentions(d.get("mentions")), period=DateRange.from_dict(d.get("period")),
                 countries=list(d.get("countries") or []), corroboration=d.get("corroboration") or "single_source",
                 attributes=dict(d.get("attributes") or {}), high=d.get("high"))


@dataclass
class Extraction:
    """Everything drawn from one document, before corpus-level resolution.

    Ids are local to the document; ``Event.actors`` and ``Commitment.actors``
    refer to ``Actor.id`` values in ``actors``.
    """

    doc_id: str
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    # The parse it was drawn from (``nlp.keep``), where the store keeps it: an undated document's, which is
    # extracted again when its date is inferred anew. Not part of the extraction's record.
    parse: bytes | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id,
                "actors": [record_to_dict(a) for a in self.actors],
                "events": [record_to_dict(e) for e in self.events],
                "commitments": [record_to_dict(c) for c in self.commitments],
                "claims": [record_to_dict(c) for c in self.claims]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Extraction:
        lists: dict[str, Any] = {name: [build(r) for r in d.get(name) or []] for name, build in _RECORD_LISTS.items()}
        return cls(doc_id=d["doc_id"], **lists)

    def ids(self, name: str) -> list[str]:
        """The ids of one list of records ("actors", "events", "commitments", "claims"), in order."""
        return [r.id for r in getattr(self, name)]

    def record(self, name: str, n: int) -> Any:
        """The ``n``-th record of one list."""
        return getattr(self, name)[n]


_RECORD_LISTS: dict[str, Any] = {"actors": actor_from_dict, "events": event_from_dict,
                                 "commitments": commitment_from_dict, "claims": claim_from_dict}


class StoredExtraction(Extraction):
    """An extraction as the store keeps it (``stored_extraction``): its JSON and where each record lies in it.

    A rebuild after new documents needs the records of the few blocks they touch; of every other document it
    reads only the ids (``ids``). Nothing of the JSON is decoded but the records read, each list of records
    built when first read: decoding every extraction was a tenth of a watch tick, and a block of a country's
    mentions reads a few records of each of a thousand documents.
    """

    _raw: str
    _ids: dict[str, list[str]]
    _spans: dict[str, list[tuple[int, int]]]  # where each record lies in ``_raw``, by list
    _alone: dict[tuple[str, int], Any]  # the records read alone (a rebuild reads them once per round of inference)

    @classmethod
    def lazy(cls, doc_id: str, data: str, index: dict[str, list[list[Any]]]) -> StoredExtraction:
        """The extraction stored as ``data`` with its ``index`` (both as ``stored_extraction`` makes them)."""
        x = cls.__new__(cls)
        x.doc_id, x._raw, x._alone = doc_id, data, {}
        x._ids = {name: [i for i, _, _ in rows] for name, rows in index.items()}
        x._spans = {name: [(start, end) for _, start, end in rows] for name, rows in index.items()}
        return x

    def _dict(self, name: str, n: int) -> dict[str, Any]:
        """The ``n``-th record of one list, as stored."""
        start, end = self._spans[name][n]
        return cast(dict[str, Any], json.loads(self._raw[start:end]))

    def __getattr__(self, name: str) -> Any:  # only called for a list not built yet
        build = _RECORD_LISTS.get(name)
        if build is None or "_spans" not in self.__dict__:
            raise AttributeError(name)
        records = [build(self._dict(name, n)) for n in range(len(self._ids[name]))]
        setattr(self, name, records)
        return records

    def ids(self, name: str) -> list[str]:
        """As ``Extraction.ids``, the list kept (not to be changed)."""
        return self._ids[name]

    def record(self, name: str, n: int) -> Any:
        if name in self.__dict__:
            return super().record(name, n)
        if (name, n) not in self._alone:  # one record, the list left unbuilt
            self._alone[(name, n)] = _RECORD_LISTS[name](self._dict(name, n))
        return self._alone[(name, n)]


def stored_extraction(value: dict[str, Any]) -> tuple[str, dict[str, list[list[Any]]]]:
    """An extraction's dict (``Extraction.to_dict``) as the store keeps it: its JSON, and where each record lies in
    it, by list ([id, start, end] each), so a record is read without decoding the rest."""
    parts = ['{"doc_id":', compact_json(value["doc_id"])]
    size = len(parts[0]) + len(parts[1])
    index: dict[str, list[list[Any]]] = {}
    for name in _RECORD_LISTS:
        head = f',"{name}":['
        parts.append(head)
        size += len(head)
        rows: list[list[Any]] = []
        for n, record in enumerate(value.get(name) or []):
            if n:
                parts.append(",")
                size += 1
            text = compact_json(record)
            rows.append([record["id"], size, size + len(text)])
            parts.append(text)
            size += len(text)
        index[name] = rows
        parts.append("]")
        size += 1
    parts.append("}")
    return "".join(parts), index


def compact_json(value: Any) -> str:
    """JSON as the store writes it: no spaces, non-ASCII text kept as it is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


DIGESTED = ("actors", "events", "claims")  # the records each block stage reads (resolve.blocks.STAGES), in order
DIGEST_CHARS = 40


def extraction_digest(extraction: Extraction | dict[str, Any]) -> str:
    """A digest of an extraction (or of its stored dict) made of one part per list of records a block stage reads
    (resolve.blocks.stage_digest): a document extracted anew whose people and figures came out as before (its
    events dated anew, say) leaves the blocks of people and of figures as they were."""
    value = extraction.to_dict() if isinstance(extraction, Extraction) else extraction
    return "".join(hashlib.sha1(json.dumps(value.get(name) or [], sort_keys=True).encode()).hexdigest()
                   for name in DIGESTED)


@dataclass
class Corpus:
    """The resolved record of a corpus: what the store holds and export writes."""

    documents: list[Document] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def to_exchange(self) -> dict[str, Any]:
        """The ``pactwatch/1`` exchange format."""
        return {
            "format": "pactwatch/1",
            "documents": [d.to_dict() for d in self.documents],
            "actors": [record_to_dict(a) for a in self.actors],
            "events": [record_to_dict(e) for e in self.events],
            "commitments": [record_to_dict(c) for c in self.commitments],
            "claims": [record_to_dict(c) for c in self.claims],
        }
