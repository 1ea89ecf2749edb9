"""Events merged into episodes; publication dates inferred from them.

Merging runs in two stages. Within one article, events of one type join
only on positive evidence: explicitly dated events on overlapping dates;
an event the article leaves undated (its publication window, or nothing
while the article is undated) with the same place, a shared actor or the
same trigger word; so a background sentence with its own date stays apart.
Across articles, each article's groups are bucketed by type and country
pair, then linked on overlapping dates (or single days in a row), or, for
an undated article, on shared evidence, ranked: the same text (a copy of
the article, ``resolve.copies``), the same session of a standing body
("16th session"), two shared people, one shared person at the same place;
failing that, by elimination when a recent report fits exactly one dated
episode. A date that rests on a publication date inferred from a
link in an earlier round is provisional: evidence outranks it, so a weak
link that dated an article can be revised when a stronger one appears.

Those links date undated articles: the episode a dated article fixes,
narrowed by what the article's own words say ("today", "on Monday", a
future date it still awaits), and bounded by the absolute dates it reports.
News of an article that stays undated carries what its own dates prove:
after the past dates it reports, before the future ones (or today).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from itertools import combinations
from typing import NamedTuple

from pactwatch.dates import DateMatch, document_dates, find_dates
from pactwatch.models import DateRange, Document, Event, Extraction, Location, Mention, TextBounds, add_days
from pactwatch.resolve.copies import copies_among
from pactwatch.text import fold

# Modes from most to least specific: a merged episode keeps the most telling one.
MODE_RANK = ("mediated talks", "summit", "virtual summit", "visit", "call", "meeting", "talks")
# Where an event's date came from: the article's own words, or only its publication window.
EXPLICIT_SOURCES = ("text", "inherited", "since")
# A weekday or an unmarked report of a recent day: the article appeared within the following week.
RECENT_LAG_DAYS = 6
SAME_DAY = re.compile(r"(?i)\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\b")
NEXT_DAY = re.compile(r"(?i)\b(?:yesterday|last\s+night)\b")
# News told in the present perfect ("has arrived in Doha", "has been welcomed to Warsaw") is the news of the day.
PERFECT = re.compile(r"(?i)\b(?:has|have)\s+(?:\w+ly\s+)?(?:been\s+)?(?:\w+ly\s+)?(?!indeed\b|need\b)"
                     r"(?:\w+ed|met|held|made|begun|led|sent|left|won|struck|brought|sought|given|taken|told|paid|spoken"
                     r"|come)\b")
WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December")
MONTH_DAY = re.compile(rf"\b(?:(?P<m1>{_MONTHS})\s+(?P<d1>[12]\d|3[01]|0?[1-9])(?!\d)"
                       rf"|(?P<d2>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\s+(?P<m2>{_MONTHS}))(?!,?\s*(?:19|20)\d\d)")
DEADLINE_WORD = re.compile(r"(?i)^(?:by|before|until|till|no\s+later\s+than)\s+")
MONTH_NUMBER = {name: i for i, name in enumerate(_MONTHS.split("|"), start=1)}
FUTURE_MODAL = re.compile(r"(?i)\b(?:will|shall|is\s+to|are\s+to|(?:set|due|scheduled|expected|planned)\s+to)\b")
NEXT_YEAR = re.compile(r"(?i)\bnext\s+year\b")
# A year-on-year comparison ("up 56% from the same period in 2024") is written the year after.
SAME_PERIOD = re.compile(r"(?i)\b(?:same|corresponding)\s+(?:period|time|months?|quarter|week|day)\s+(?:of|in)\s+"
                         r"(?:the\s+year\s+)?((?:19|20)\d\d)\b")
# A short line without closing punctuation is a subhead: it states the claim of the paragraph below it.
SUBHEAD_MAX = 100
TERMINAL = re.compile(r"[.!?:\"')]\s*$")
SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
TRIGGER_STEM = 5
# "the 2030 World Expo", "its 2022 Summit": a year that is part of a name.
YEAR_IN_NAME_BEFORE = re.compile(r"(?i)\b(?:the|its|their|his|her|this|next|last)\s+$")
YEAR_IN_NAME_AFTER = re.compile(r"\s+[A-Z]")
# The widest span an undated article's own dates may give its news; a wider one proves nothing.
UNDATED_SPAN_DAYS = 731
# Two single days in a row: weaker than overlapping dates, stronger than a provisional date.
ADJACENT_LINK = 0.95
# The strongest evidence: the two groups come from one text (an article and its copy).
SAME_TEXT = 4
# A link on overlapping dates where one of them is provisional: weaker than evidence, stronger than elimination.
PROVISIONAL_LINK = 0.9  # "visit"/"visited"/"visits" share a family; so do "sign"/"signed"/"signing"


@dataclass
class _Cluster:
    type: str
    countries: set[str]
    date: DateRange | None
    members: list[Event] = field(default_factory=list)
    weak: set[str] = field(default_factory=set)  # documents linked only as the one candidate
    # The date links are judged on: only dates that do not rest on a publication date inferred from a link.
    link_date: DateRange | None = None

    @property
    def docs(self) -> set[str]:
        return {m.doc for e in self.members for m in e.mentions}

    @property
    def place(self) -> Location | None:
        return next((e.location for e in self.members if e.location and e.location.country), None)

    @property
    def actors(self) -> set[str]:
        return {a for e in self.members for a in e.actors}

    @property
    def sessions(self) -> set[int]:
        return {e.attributes["session"] for e in self.members if e.attributes.get("session")}

    @property
    def recent(self) -> bool:
        return any(e.attributes.get("recent") for e in self.members)


def _doc_of(event: Event) -> str:
    return event.mentions[0].doc if event.mentions else event.id.split(":")[0]


def _provisional(event: Event, soft: set[str]) -> bool:
    """A date read against a publication date inferred in an earlier round ("on Tuesday" of a guessed week).

    It must not decide a link: that would only confirm the link that dated the article, even when a
    stronger one (more shared people) appears once other articles are dated.
    """
    return _doc_of(event) in soft and bool(event.attributes.get("recent"))


class Link(NamedTuple):
    """A publication range an undated article's report of an episode gives it: ``weak`` where it rests on
    elimination alone (another article's publication window), ``at`` where the report stands in the article."""

    weak: bool
    range: DateRange
    at: int


def _explicit(event: Event) -> bool:
    return event.date is not None and event.attributes.get("date_source") in EXPLICIT_SOURCES


def _countries_fit(a: set[str], b: set[str], same_doc: bool) -> bool:
    """Equal sets, or one inside the other sharing a core pair (any overlap inside one article)."""
    if a == b:
        return True
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return small <= big and (len(small) >= 2 or (same_doc and len(small) >= 1))


def _place_clash(a: Location | None, b: Location | None) -> bool:
    return bool(a and b and a.country and b.country and a.country != b.country)


def _same_place(a: Location | None, b: Location | None) -> bool:
    return bool(a and b and a.country and a.country == b.country)


def _trigger(event: Event) -> str:
    return str(event.attributes.get("trigger") or "").lower()[:TRIGGER_STEM]


# ---------- within one article ----------

def _evidence(a: Event, b: Event) -> bool:
    """Positive evidence that two events of one article are one episode: place, people or trigger word."""
    return (_same_place(a.location, b.location) or bool(set(a.actors) & set(b.actors))
            or (bool(_trigger(a)) and _trigger(a) == _trigger(b)))


def _compatible(cluster: _Cluster, event: Event) -> bool:
    """Nothing keeps the event out: countries that fit, no other place, overlapping dates, no other session."""
    if not _countries_fit(cluster.countries, set(event.countries), True) or _place_clash(cluster.place, event.location):
        return False
    session = event.attributes.get("session")
    if session and cluster.sessions and session not in cluster.sessions:
        return False
    return cluster.date is None or event.date is None or cluster.date.overlaps(event.date)


def _home(clusters: list[_Cluster], event: Event) -> _Cluster | None:
    """The group of its article an event belongs to, or None for a new one.

    Explicitly dated events join on overlapping dates. An event the article leaves undated joins the
    group it shares a place, a person or a trigger word with; failing that the only group it fits,
    or the article's own undated news, never a background event that carries its own date.
    """
    fits = [c for c in clusters if _compatible(c, event)]
    if _explicit(event):
        return next((c for c in fits if any(_explicit(m) for m in c.members)), None)
    backed = [c for c in fits if any(_evidence(m, event) for m in c.members)]
    if backed:
        return backed[0]
    if len(fits) == 1 and not (event.attributes.get("recent") and _background(fits[0])):
        return fits[0]
    return next((c for c in fits if not any(_explicit(m) for m in c.members)), None)


def _background(cluster: _Cluster) -> bool:
    """A group dated by its article's words to no day but a month or a year ("finalised the text in August"):
    background, which the article's undated news of the last days joins only on evidence, not as the one group
    left."""
    return any(_explicit(m) for m in cluster.members) and cluster.date is not None and cluster.date.precision != "day"


def _group_article(events: list[Event], soft: set[str]) -> list[_Cluster]:
    """One article's events of one type grouped on positive evidence, dated ones first."""
    clusters: list[_Cluster] = []
    for event in sorted(events, key=lambda e: (not _explicit(e), e.mentions[0].start if e.mentions else 0)):
        home = _home(clusters, event)
        if home is None:
            home = _Cluster(event.type, set(), None)
            clusters.append(home)
        _add(home, event, soft)
    return clusters


# ---------- across articles ----------

def _evidence_rank(a: _Cluster, b: _Cluster, copies: dict[str, str]) -> int:
    """How strongly shared evidence says two article groups are one episode.

    4: one text (an article and its copy); 3: one session of a standing body; 2: two or more shared
    people; 1: one shared person at the same place; 0: nothing. Two shared people outrank one person
    and a place: ministers travel together to many places, but one of them visits one place many times.
    """
    if {copies.get(d, d) for d in a.docs} & {copies.get(d, d) for d in b.docs}:
        return SAME_TEXT
    if a.sessions & b.sessions:
        return 3
    shared = len(a.actors & b.actors)
    if shared >= 2:
        return 2
    return 1 if shared == 1 and _same_place(a.place, b.place) else 0


def _link(a: _Cluster, b: _Cluster, copies: dict[str, str]) -> float:
    """How well article group ``b`` joins episode ``a`` (0: not at all; below 1: by elimination only)."""
    if not _countries_fit(a.countries, b.countries, False) or _place_clash(a.place, b.place):
        return 0.0
    if a.sessions and b.sessions and not a.sessions & b.sessions:
        return 0.0  # two sittings of one body
    rank = _evidence_rank(a, b, copies)
    tie_break = 0.01 * len(a.actors & b.actors)
    if a.link_date is not None and b.link_date is not None:
        if a.link_date.overlaps(b.link_date):
            return 1.0 + rank + tie_break
        if rank == SAME_TEXT:  # a reprint's "on Tuesday" read against its own, later date: the original's wins
            return rank + tie_break
        # Reports a day apart (a deal struck late one day, announced the next): one episode when all else agrees.
        return ADJACENT_LINK + rank + tie_break if _adjacent(a.link_date, b.link_date) and (
            rank or a.countries == b.countries) else 0.0
    if a.date is not None and b.date is not None:
        # A date resting on a link made in an earlier round: evidence outranks it, but it still links weakly
        # where nothing else does, and it rules out a link by elimination.
        if rank:
            return 1.0 + rank + tie_break
        return PROVISIONAL_LINK + tie_break if a.date.overlaps(b.date) else 0.0
    if rank:
        return 1.0 + rank + tie_break
    if a.link_date is None or b.date is not None:
        return 0.0
    # An undated article's recent report may still be this episode; linked only when it is the one candidate.
    if b.recent and len(b.countries) >= 2 and b.countries <= a.countries:
        return 0.5 + tie_break
    return 0.0


def _pairs(countries: set[str]) -> list[tuple[str, ...]]:
    return [tuple(sorted(p)) for p in combinations(sorted(countries), 2)] or [tuple(sorted(countries))]


def _link_all(groups: list[_Cluster], documents: dict[str, Document], soft: set[str],
              copies: dict[str, str]) -> list[_Cluster]:
    """Article groups joined into episodes, comparing only groups that share a type and a country pair.

    Copies come after every original, so their dates, which may rest on a later reprint's date, never
    found an episode the original reports.
    """
    def order(c: _Cluster) -> tuple[bool, bool, str, int]:
        doc = documents.get(next(iter(c.docs), ""))
        first = min(m.start for e in c.members for m in e.mentions[:1]) if c.members else 0
        return (bool(c.docs & copies.keys()), c.link_date is None, doc.source if doc else "", first)

    episodes: list[_Cluster] = []
    buckets: dict[tuple[str, tuple[str, ...]], list[_Cluster]] = {}
    for group in sorted(groups, key=order):
        seen: set[int] = set()
        best, best_score, tied = None, 0.0, False
        for pair in _pairs(group.countries):
            for episode in buckets.get((group.type, pair), []):
                if id(episode) in seen or episode.docs & group.docs:
                    continue
                seen.add(id(episode))
                score = _link(episode, group, copies)
                if score > best_score:
                    best, best_score, tied = episode, score, False
                elif score and score == best_score and best is not None and best.date != episode.date:
                    tied = True
        if tied and best_score < 1.0:  # an undated report that fits two dated episodes equally: link neither
            best = None
        if best is None:
            best = _Cluster(group.type, set(), None)
            episodes.append(best)
        elif best_score < ADJACENT_LINK:  # by elimination or a provisional date only
            best.weak |= group.docs
        for event in group.members:
            _add(best, event, soft)
        for pair in _pairs(best.countries):
            bucket = buckets.setdefault((best.type, pair), [])
            if best not in bucket:
                bucket.append(best)
    return episodes


def _adjacent(a: DateRange, b: DateRange) -> bool:
    """Two spans of days, neither longer than a week, one starting the day after the other ends: two days in a row,
    or a report's week and the day after it (a four-day visit told as it began and as it went on)."""
    return a.precision == b.precision == "day" and a.days <= 7 and b.days <= 7 and (
        (b.start - a.end).days == 1 or (a.start - b.end).days == 1)


def _narrowed(current: DateRange | None, new: DateRange) -> DateRange:
    """The days both dates allow; two days in a row (reports of one episode a day apart) span both."""
    if current is None:
        return new
    if _adjacent(current, new):
        return DateRange(min(current.start, new.start), max(current.end, new.end), "day")
    return current.intersection(new) or current


def _add(cluster: _Cluster, event: Event, soft: set[str]) -> None:
    cluster.members.append(event)
    cluster.countries |= set(event.countries)
    if event.date is not None:
        cluster.date = _narrowed(cluster.date, event.date)
        if not _provisional(event, soft):
            cluster.link_date = _narrowed(cluster.link_date, event.date)


def _episode_id(first: Mention) -> str:
    digest = hashlib.sha1(f"{first.doc}:{first.start}:{first.end}".encode()).hexdigest()[:10]
    return f"ev_{digest}"


def _mode(members: list[Event]) -> str | None:
    modes = [e.mode for e in members if e.mode]
    if not modes:
        return None
    return min(modes, key=lambda m: MODE_RANK.index(m) if m in MODE_RANK else len(MODE_RANK))


def _episode(cluster: _Cluster) -> Event:
    mentions: list[Mention] = []
    for e in cluster.members:
        mentions += [m for m in e.mentions if m not in mentions]
    lead = min(cluster.members, key=lambda e: (not _explicit(e), e.mentions[0].start if e.mentions else 0))
    actors: list[str] = []
    topics: list[str] = []
    for e in cluster.members:
        actors += [a for a in e.actors if a not in actors]
        topics += [t for t in e.topics if t not in topics]
    attributes: dict[str, object] = {"docs": sorted({m.doc for m in mentions})}
    if cluster.sessions:
        attributes["session"] = min(cluster.sessions)
    if cluster.weak:
        attributes["weak_links"] = sorted(cluster.weak)
    return Event(id=_episode_id(mentions[0]), type=cluster.type, date=cluster.date,
                 countries=sorted(cluster.countries), mentions=mentions, mode=_mode(cluster.members),
                 location=cluster.place, actors=actors, topics=topics, summary=lead.summary, attributes=attributes)


def _as_in_original(events: list[Event], copies: dict[str, str]) -> list[Event]:
    """A copy's event told in the very sentence of its original's event of that type takes the original's
    reading (countries, date, place): a page's other furniture or a later reprint date must not make one
    sentence two episodes."""
    if not copies:
        return events
    sources = set(copies.values())
    originals = {(e.type, _doc_of(e), fold(e.mentions[0].quote)): e for e in events
                 if e.mentions and _doc_of(e) in sources}
    out = []
    for e in events:
        doc = _doc_of(e)
        o = originals.get((e.type, copies[doc], fold(e.mentions[0].quote))) if doc in copies and e.mentions else None
        out.append(replace(e, countries=list(o.countries), date=o.date, location=o.location,
                           attributes={**o.attributes, "trigger": e.attributes.get("trigger")}) if o else e)
    return out


def merge_events(events: list[Event], documents: dict[str, Document],
                 copies: dict[str, str] | None = None) -> tuple[list[Event], dict[str, str]]:
    """Episodes, and a map from every per-document event id to its episode id (``copies``: copy -> original)."""
    copies = copies or {}
    events = _as_in_original(events, copies)
    by_article: dict[tuple[str, str], list[Event]] = {}
    for event in events:
        by_article.setdefault((_doc_of(event), event.type), []).append(event)
    # Articles dated by a link in an earlier round may be linked afresh (see ``_provisional``).
    soft = {doc_id for doc_id, d in documents.items() if _dated_by_link(d)}
    groups = [g for evs in by_article.values() for g in _group_article(evs, soft)]
    clusters = _link_all(groups, documents, soft, copies)
    out: list[Event] = []
    ids: dict[str, str] = {}
    for cluster in clusters:
        if cluster.date is None:
            cluster.date = _undated_bounds(cluster, documents)
        episode = _episode(cluster)
        if copied := copies_among(cluster.docs, copies):
            episode.attributes["copy_of"] = copied
        out.append(episode)
        ids.update({e.id: episode.id for e in cluster.members})
    return out, ids


def _undated_bounds(cluster: _Cluster, documents: dict[str, Document]) -> DateRange | None:
    """What an undated article's own dates prove about the news it reports, or None where nothing does.

    An article that stays undated still appeared after the past dates it reports and before the future
    ones it awaits (failing those, by today, since it exists); its news of the day lies in that span.
    Background it reports without a date is not dated at all, and neither is news whose span is wider
    than UNDATED_SPAN_DAYS: years up to today or to a distant target say nothing about when it happened.
    """
    docs = [documents.get(d) for d in cluster.docs]
    if not docs or any(d is None or d.published is not None for d in docs):
        return None
    if not any(e.attributes.get("recent") for e in cluster.members):
        return None
    low: date | None = None
    high: date | None = None
    for document in docs:
        bounds = _bounds_of(document) if document else None
        d_low, d_high = (bounds.low, bounds.high) if bounds else (None, None)
        low = max(low, d_low) if low and d_low else (low or d_low)
        high = min(high, d_high) if high and d_high else (high or d_high)
    if low is None:
        return None
    high = high or date.today()
    return DateRange(low, high, "day") if low <= high and (high - low).days < UNDATED_SPAN_DAYS else None


# ---------- publication dates ----------

def _dated(document: Document | None) -> bool:
    return document is not None and document.published is not None


def _consistent(sentence: str, day: date) -> bool:
    """A linked day must agree with the weekday or month-and-day the report's own sentence names."""
    weekdays = {w.lower() for w in WEEKDAY.findall(sentence)}
    if weekdays and day.strftime("%A").lower() not in weekdays:
        return False
    pairs = {(m["m1"] or m["m2"], int(m["d1"] or m["d2"])) for m in MONTH_DAY.finditer(sentence)}
    return not pairs or (day.strftime("%B"), day.day) in pairs


def _publication_from(event_date: DateRange, sentence: str, window: DateRange | None = None) -> DateRange | None:
    """When an article reporting an event of ``event_date`` as recent appeared, by how its sentence puts it.

    ``window``: where the event is known only by another article's publication window, a weekday or day the
    sentence names picks its day out of it, by elimination ("made the announcement on Thursday": the one Thursday
    of the other reports' week)."""
    day_named = _named_day(sentence, window) if window is not None else None
    if day_named is not None:
        event_date = DateRange.day(day_named)
    if event_date.precision != "day" or event_date.days > 1:
        return event_date
    day = event_date.start
    if not _consistent(sentence, day):
        return None
    if SAME_DAY.search(sentence) or PERFECT.search(sentence):
        return DateRange.day(day)
    if NEXT_DAY.search(sentence):
        return DateRange.day(add_days(day, 1))
    return DateRange(day, add_days(day, RECENT_LAG_DAYS), "day")


def _reported(event_date: DateRange, event: Event, window: DateRange | None = None) -> DateRange | None:
    """When an article appeared that reports ``event`` (of ``event_date``) as recent: each of its sentences that
    tells it bounds the day (the lead's "today" where the headline says nothing), as ``_publication_from``."""
    return _tightest([r for quote in [m.quote for m in event.mentions] or [""]
                      if (r := _publication_from(event_date, quote, window)) is not None])


def _named_day(sentence: str, window: DateRange) -> date | None:
    """The one day of ``window`` (a week at most) that the weekday or month and day a sentence names falls on."""
    if window.days > RECENT_LAG_DAYS + 1:
        return None
    days = [add_days(window.start, n) for n in range(window.days)]
    named = [d for d in days if _consistent(sentence, d)]
    return named[0] if len(named) == 1 and len(named) < len(days) else None


def _after(window: DateRange) -> DateRange:
    """When a report of an event in another article's publication window can have appeared: within a week."""
    return DateRange(window.start, add_days(window.end, RECENT_LAG_DAYS), "day")


def _year_in_name(text: str, d: DateMatch) -> bool:
    return d.text.strip().isdigit() and bool(YEAR_IN_NAME_BEFORE.search(text, max(0, d.start - 8), d.start)
                                             and YEAR_IN_NAME_AFTER.match(text, d.end))


def _bounds(text: str, matches: list[DateMatch]) -> tuple[date | None, date | None]:
    """What an article's own absolute dates prove: the earliest and latest possible publication day.

    A year in a name ("the 2030 World Expo") proves nothing: the sentence's tense is not the event's.
    """
    low: date | None = None
    high: date | None = None
    for d in matches:
        if d.range is None or d.relative or _year_in_name(text, d):
            continue
        if d.tense == "past" and d.kind in ("point", "since"):
            low = max(low or d.range.start, d.range.start)
        elif d.tense == "future" and d.kind in ("point", "deadline"):
            high = min(high or d.range.end, d.range.end)
    return low, high


def _yearless_bounds(text: str, matches: list[DateMatch], low: date | None,
                     high: date | None) -> tuple[date | None, date | None]:
    """``low`` and ``high`` narrowed by the yearless days that fall once between them ("the first round, held on
    5 February", between a deal signed on 3 December 2024 and a round still to come in April 2025)."""
    if low is None or high is None or low > high:
        return low, high
    for d in matches:
        m = MONTH_DAY.fullmatch(d.text.strip())
        tense = d.tense  # as ``_bounds`` reads the dated days
        if m is None or d.kind != "point" or tense not in ("past", "future"):
            continue
        month, number = MONTH_NUMBER[m["m1"] or m["m2"]], int(m["d1"] or m["d2"])
        days = [day for year in range(low.year, high.year + 1)
                if (day := _day(year, month, number)) is not None and low <= day <= high]
        if len(days) == 1:
            low, high = (days[0], high) if tense == "past" else (low, days[0])
    return low, high


def _day(year: int, month: int, number: int) -> date | None:
    try:
        return date(year, month, number)
    except ValueError:
        return None


def _tense(text: str, d: DateMatch) -> str | None:
    """The date's tense, with a modal earlier in its sentence taken as future ("will visit ... on July 24")."""
    start = max(text.rfind(".", 0, d.start), text.rfind("\n", 0, d.start)) + 1
    return "future" if FUTURE_MODAL.search(text, start, d.start) else d.tense


def _month_day_bounds(text: str, matches: list[DateMatch], rng: DateRange) -> DateRange:
    """``rng`` narrowed by the article's yearless days ("on July 23" past, "on July 24" still to come)."""
    if rng.start.year != rng.end.year:
        return rng
    low: date | None = None
    high: date | None = None
    for d in matches:
        # a deadline still to come ("must leave by October 19") bounds it as a day still to come does
        m = MONTH_DAY.fullmatch(DEADLINE_WORD.sub("", d.text.strip()) if d.kind == "deadline" else d.text.strip())
        tense = _tense(text, d)
        if m is None or d.kind not in ("point", "deadline") or tense not in ("past", "future") \
                or (d.kind == "deadline" and tense != "future"):
            continue
        month = MONTH_NUMBER[m["m1"] or m["m2"]]
        try:
            day = date(rng.start.year, month, int(m["d1"] or m["d2"]))
        except ValueError:
            continue
        if tense == "past":
            low = max(low or day, day)
        else:
            high = min(high or day, day)
    return _within(rng, low, high) or rng  # a contradiction means another year: the days prove nothing


def _year_from_next_year(text: str) -> DateRange | None:
    """ "... next year" beside one future year (in its sentence or the subhead above it): written the year before."""
    for sentence in SENTENCE.finditer(text):
        if not NEXT_YEAR.search(sentence.group()):
            continue
        window = sentence.group()
        head = text[:sentence.start()].rstrip("\n").rsplit("\n", 1)[-1]
        after_break = text[sentence.start() - 1:sentence.start()] == "\n"
        if after_break and len(head) <= SUBHEAD_MAX and not TERMINAL.search(head):
            window = f"{head}\n{window}"
        years = {d.range.start.year for d in find_dates(window, None)
                 if d.range is not None and not d.relative and d.kind == "point" and d.range.precision == "year"
                 and d.tense == "future"}
        if len(years) == 1:
            return DateRange.year(years.pop() - 1)
    return None


def _year_from_comparison(text: str) -> DateRange | None:
    """ "... from the same period in 2024": a figure compared with the year before, so written the year after."""
    years = {int(m.group(1)) for m in SAME_PERIOD.finditer(text)}
    return DateRange.year(years.pop() + 1) if len(years) == 1 else None


def _within(rng: DateRange, low: date | None, high: date | None) -> DateRange | None:
    """``rng`` cut to the bounds; None where the article's own dates contradict it."""
    start, end = max(rng.start, low) if low else rng.start, min(rng.end, high) if high else rng.end
    if end < start:
        return None
    return rng if (start, end) == (rng.start, rng.end) else DateRange(start, end, "day")


def _from_text(low: date | None, high: date | None, year: DateRange | None) -> DateRange | None:
    """A publication range from the article's words alone: a year it fixes, or two bounds inside one year."""
    if year is not None:
        return _within(year, low, high)
    if low and high and low <= high and low.year == high.year:
        return _within(DateRange.year(low.year), low, high)
    return None


def _links(documents: dict[str, Document], extractions: list[Extraction],
           episodes: list[Event], undated: set[str]) -> dict[str, list[Link]]:
    """For each undated document, the publication ranges its links to dated episodes give (``Link``)."""
    by_mention: dict[tuple[str, int, int, str], Event] = {
        (m.doc, m.start, m.end, e.type): e for x in extractions for e in x.events for m in e.mentions[:1]}
    found: dict[str, list[Link]] = {}
    for episode in episodes:
        keys = [(m.doc, m.start, m.end, episode.type) for m in episode.mentions]
        members = [by_mention[k] for k in keys if k in by_mention]
        for doc_id in {_doc_of(e) for e in members} & undated:
            own = [e for e in members if _doc_of(e) == doc_id and e.attributes.get("recent")]
            dated = [e for e in members if _doc_of(e) != doc_id and e.date is not None
                     and _dated(documents.get(_doc_of(e)))]
            # A date the other article's words fix; failing that its publication window, which proves less.
            fixed = _tightest([e.date for e in dated if _explicit(e) and e.date is not None])
            weak = doc_id in (episode.attributes.get("weak_links") or ())
            window = None
            if fixed is None:
                window = _tightest([e.date for e in dated if e.date is not None])
                fixed, weak = (_after(window), True) if window else (None, weak)
            if not own or fixed is None:
                continue
            # Every sentence of the article that reports the episode bounds the day: the lead's "today" where the
            # headline says nothing.
            reports = [(rng, e.mentions[0].start if e.mentions else 0) for e in own
                       if (rng := _reported(fixed, e, window if weak else None)) is not None]
            if reports:
                found.setdefault(doc_id, []).append(Link(weak, _tightest([r for r, _ in reports]) or reports[0][0],
                                                         min(at for _, at in reports)))
    return found


def _session_links(documents: dict[str, Document], extractions: list[Extraction],
                   undated: set[str]) -> dict[str, list[Link]]:
    """One sitting of a standing body ("the 14th summit") dates every report of it, whatever each sentence's type."""
    sittings: dict[tuple[int, frozenset[str]], list[DateRange]] = {}
    for x in extractions:
        if x.doc_id in undated or not _dated(documents.get(x.doc_id)):
            continue
        for e in x.events:
            if e.attributes.get("session") and _explicit(e) and e.date is not None:
                for pair in _pairs(set(e.countries)):
                    sittings.setdefault((e.attributes["session"], frozenset(pair)), []).append(e.date)
    found: dict[str, list[Link]] = {}
    for x in extractions:
        if x.doc_id not in undated:
            continue
        for e in x.events:
            if not (e.attributes.get("session") and e.attributes.get("recent")):
                continue
            dates = [d for pair in _pairs(set(e.countries))
                     for d in sittings.get((e.attributes["session"], frozenset(pair)), [])]
            fixed = _tightest(dates)
            rng = _reported(fixed, e) if fixed else None
            if rng is not None:
                found.setdefault(x.doc_id, []).append(Link(False, rng, e.mentions[0].start if e.mentions else 0))
    return found


def _lead_links(documents: dict[str, Document], extractions: list[Extraction],
                undated: set[str]) -> dict[str, list[Link]]:
    """An article's own lead can date it: when its first event falls on the latest day it names ("welcomed X
    on February 22, 2024"), the news it tells undated about the same people ("X arrived earlier today")
    happened that day.

    Only the lead counts: a dated event with the same people after undated news is background.
    """
    found: dict[str, list[Link]] = {}
    for x in extractions:
        if x.doc_id not in undated:
            continue
        low = _bounds_of(documents[x.doc_id]).low
        if low is None:
            continue
        day = DateRange.day(low)
        first = min((e.mentions[0].start for e in x.events if e.mentions), default=None)
        lead = [e for e in x.events if e.attributes.get("date_source") == "text" and e.date == day
                and e.mentions and e.mentions[0].start == first]
        people = {a for e in lead for a in e.actors}
        for e in x.events:
            if e in lead or not e.attributes.get("recent") or _explicit(e) or not people & set(e.actors):
                continue
            rng = _reported(day, e) if e.mentions else None
            if rng is not None:  # every report counts: "today" in one sentence narrows the others' week
                found.setdefault(x.doc_id, []).append(Link(False, rng, e.mentions[0].start))
    return found


def infer_publication_dates(documents: dict[str, Document], extractions: list[Extraction],
                            episodes: list[Event], among: set[str] | None = None) -> dict[str, DateRange]:
    """Publication dates for undated documents, from the episodes they share with dated ones and their own words.

    ``among`` limits the work to those documents (the ones whose episodes or text are new since the last time).
    """
    undated = {d.id for d in documents.values() if d.published_source in (None, "inferred")
               and (among is None or d.id in among)}
    links = _links(documents, extractions, episodes, undated)
    for more in (_session_links(documents, extractions, undated), _lead_links(documents, extractions, undated)):
        for doc_id, found in more.items():
            links.setdefault(doc_id, []).extend(found)
    out: dict[str, DateRange] = {}
    for doc_id in sorted(undated):
        text = documents[doc_id].text
        bounds = _bounds_of(documents[doc_id])
        low, high, year = bounds.low, bounds.high, bounds.year
        found = links.get(doc_id, [])
        # Links on shared evidence (a session, people) outweigh links by elimination.
        strong = [link for link in found if not link.weak] or found
        matches = document_dates(text, None) if strong else []
        fitted = [(_month_day_bounds(text, matches, f), link.at) for link in strong
                  if (f := _within(link.range, low, high)) is not None]
        if year is not None:
            fitted = [(f, at) for r, at in fitted if (f := r.intersection(year)) is not None]
        chosen = _choose(fitted) if fitted else _from_text(low, high, year)
        if chosen is not None:
            out[doc_id] = chosen
    return out


def text_bounds(text: str) -> TextBounds:
    """What the article's own dates prove of when it was written, and the year, where "next year" or a
    year-on-year comparison fixes it (``models.TextBounds``)."""
    matches = document_dates(text, None)
    low, high = _yearless_bounds(text, matches, *_bounds(text, matches))
    return TextBounds(low, high, _year_from_next_year(text) or _year_from_comparison(text))


def _bounds_of(document: Document) -> TextBounds:
    """A document's text bounds: as its store keeps them, else worked out once per process."""
    return document.text_bounds or _text_bounds_of(document.text)


@lru_cache(maxsize=1 << 14)  # above the documents one rebuild reads: a smaller cache is emptied every round
def _text_bounds_of(text: str) -> TextBounds:
    return text_bounds(text)


def _dated_by_link(document: Document) -> bool:
    """An inferred publication date that came from a link to another article, not from the article's words."""
    if document.published_source != "inferred":
        return False
    bounds = _bounds_of(document)
    return document.published != _from_text(bounds.low, bounds.high, bounds.year)


def _tightest(ranges: list[DateRange]) -> DateRange | None:
    if not ranges:
        return None
    out = min(ranges, key=lambda r: r.days)
    for r in ranges:
        out = out.intersection(r) or out
    return out


def _choose(found: list[tuple[DateRange, int]]) -> DateRange:
    """The range most episodes agree on (the narrowest among equals, then the one told nearest the top: a lead's
    "yesterday" over a later paragraph's "has inked deals"), cut to what every range that agrees with it allows:
    each link bounds the same publication day. ``found``: each range with where its report stands."""
    ranges = [r for r, _ in found]
    at = {r: min(a for o, a in found if o == r) for r in ranges}
    best = min(at, key=lambda r: (-sum(1 for o in ranges if o.overlaps(r)), r.days, at[r], r.start))
    return _tightest([best, *(r for r in ranges if r.overlaps(best))]) or best
