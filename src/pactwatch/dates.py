"""Temporal expressions -> DateRange, resolved against a publication date.

``find_dates`` runs a small grammar of precompiled regexes over the raw text
(no spaCy, no per-match dateparser call on the hot path): each pattern has a
handler that turns its match into a ``DateRange`` given the anchor (the
publication date) and the tense of the sentence around it. Overlapping
candidates are settled longest-first, then a "by"/"since"/"until" just before
a match turns it into a deadline or a since-range.

Anything that needs the anchor is ``relative``; while the anchor is unknown
its range is None. Absolute expressions ("6 November 2025", "in 2024")
resolve without one. ``dateparser`` is used only for the numeric formats the
grammar leaves ambiguous (``11/06/2025``) and as ``resolve``'s fallback.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from pactwatch.models import DateRange


@dataclass(frozen=True)
class DateMatch:
    """One temporal expression in a text."""

    start: int
    end: int
    text: str
    range: DateRange | None  # None where it cannot be resolved (no anchor yet, or too vague)
    relative: bool = False  # depends on the anchor ("on Thursday", "last year", "next quarter")
    kind: str = "point"  # point | deadline ("by 2030") | since ("since 2020") | span ("in the last five years")
    tense: str | None = None  # past | future | None: what the expression itself says about time


# --- vocabulary ----------------------------------------------------------------------------------------------------

MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name[1:], start=1):
    MONTHS[_name.lower()] = _i
    MONTHS[_name[:3].lower()] = _i
MONTHS["sept"] = 9

WEEKDAYS: dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.day_name)}
WEEKDAYS.update({name[:3].lower(): i for i, name in enumerate(calendar.day_name)})

NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "a couple of": 2, "couple of": 2, "a few": 3,
}
ORDINALS: dict[str, int] = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
                            "4th": 4, "final": 4, "last": 4, "latter": 2}

# Month names are matched case-sensitively (Title case) so "may" the verb and "march" the walk stay out.
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)(?![\w-])")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:19|20)\d{2}(?![\d,.]\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_NUM = r"(?:\d{1,2}|a couple of|couple of|a few|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven" \
       r"|twelve|fifteen|twenty|thirty|forty|fifty)"
_UNIT = r"(?:days?|weeks?|months?|years?|decades?)"
_REL_YEAR = r"(?:this|last|next|the\s+(?:current|previous|past|coming|following|same)|the)\s+year"
_EML = r"(?:early|mid|late|the\s+(?:end|beginning|start|middle)\s+of|end|start" \
       r"|the\s+(?:first|second|third|fourth|last|final)\s+week\s+of)"

# Words before a date that say when it lies relative to the text's present. Checked nearest-first.
# "will be held" is future even though "held" alone reads as past: the auxiliary is taken with its verb.
_FUTURE_CUE = (r"(?:will|'ll|shall|would|to)\s+(?:not\s+)?(?:be|have)\s+\w+|will|'ll|shall|would|to\s+be|set\s+to"
               r"|is\s+to|are\s+to|plans?\s+to|planned|planning|slated|scheduled|expected|expects?|upcoming"
               r"|forthcoming|next|aims?\s+to|aiming|intends?|hopes?\s+to|proposed|tomorrow"
               r"|to\s+(?:meet|hold|sign|visit|begin|start|launch|host|attend|travel|open|resume|complete|conclude"
               r"|deliver|establish|reach|take|become|review|finali[sz]e|come|arrive|enter|end|expire"
               r"|leave|depart|vacate|withdraw|return|submit|pay|quit)")
_PAST_CUE = (r"was|were|had|has|have|did|said|says|met|held|told|took|ago|last|earlier|previously|began|rose|fell"
             r"|came|went|made|gave|saw|won|lost|sent|spoke|led|left|struck|brought|fought|sought|shot|hit|began"
             r"|(?-i:[a-z]\w{2,}ed)(?<!ceed)(?<!need)(?<!deed)")  # not "proceed", "need", "indeed", "Mohammed"
_CUE_RE = re.compile(rf"(?i)\b(?:(?P<fut>{_FUTURE_CUE})|(?P<past>{_PAST_CUE}))\b")
_REPORTING = re.compile(r"(?i)said|says|told|announced|added|stated|noted|reported")
_NEAR = re.compile(r"\W*(?!that\b)(?:\w+\W+){0,2}")
_CLAUSE_OPENING = re.compile(r"\W*(?:\w+\W+){0,2}")
_CLAUSE_END = re.compile(r"[.!?;]\s|\n")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]?\s+(?=[\"'(]?[A-Z])|\n")
# "by 2030", "since 2020", "until next year" just before a match change its kind.
_PREFIX_RE = re.compile(r"(?i)\b(?P<p>by|since|until|till|no\s+later\s+than)\s+(?:(?:the\s+)?end\s+of\s+)?$")
# A capitalised word right before "Friday"/"Today" makes it a name ("Good Friday", "USA Today").
_NAME_BEFORE = re.compile(r"(?<![.!?]\s)\b(?!(?:On|By|Since|Until|Last|Next|This|Late|Early|From|And|Or|But|As"
                          r"|Before|After|Through|Till|The|Every|Each|Until|During)\b)[A-Z][A-Za-z]+\s+$")
# Counted nouns after a bare number show it is a quantity, not a year ("the 2000 troops").
_COUNTED = (r"\s*(?:[a-z]+\s+)?(?:people|persons|troops|soldiers|officers|personnel|members|workers"
            r"|students|pilgrims|migrants|refugees|votes|tonnes|tons|km|kilometres|kilometers|miles"
            r"|metres|meters|units|vehicles|houses|homes|families|cases|deaths|delegates|visas)\b")
_COUNT_AFTER = re.compile(_COUNTED)


@dataclass(frozen=True)
class _Hit:
    range: DateRange | None
    relative: bool = False
    kind: str = "point"
    tense: str | None = None  # said by the expression itself ("last", "next"); None = take the context's


_Handler = Callable[[re.Match[str], date | None, str | None], _Hit | None]


# --- calendar arithmetic -------------------------------------------------------------------------------------------

def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _week(d: date, offset: int = 0) -> DateRange:
    monday = d - timedelta(days=d.weekday()) + timedelta(weeks=offset)
    return DateRange(monday, monday + timedelta(days=6), "day")


def _quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _shift_quarter(year: int, quarter: int, by: int) -> tuple[int, int]:
    y, q = divmod(quarter - 1 + by, 4)
    return year + y, q + 1


def _part_of_year(year: int, part: str) -> DateRange:
    """early/mid/late YEAR: the half or middle it names (early 2026 -> 2026-01-01..2026-06-30)."""
    part = part.lower()
    if part.startswith("early") or "beginning" in part or "start" in part:
        return DateRange(date(year, 1, 1), date(year, 6, 30), "quarter")
    if part.startswith("mid") or "middle" in part:
        return DateRange(date(year, 4, 1), date(year, 9, 30), "quarter")
    return DateRange(date(year, 7, 1), date(year, 12, 31), "quarter")


_WEEK_OF = re.compile(r"the\s+(first|second|third|fourth|last|final)\s+week\s+of")
_WEEK_NUMBERS: dict[str, int | None] = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": None, "final": None}


def _part_of_month(year: int, month: int, part: str | None) -> DateRange:
    rng = DateRange.month(year, month)
    if not part:
        return rng
    part = part.lower()
    last = rng.end.day
    week = _WEEK_OF.match(part)
    if week:  # "the first week of May": days 1-7; "the last week of February": its last seven days
        n = _WEEK_NUMBERS[week.group(1)]
        first = last - 6 if n is None else 1 + 7 * (n - 1)
        return DateRange(date(year, month, first), date(year, month, min(first + 6, last)), "day")
    if part.startswith("early") or "beginning" in part or "start" in part:
        return DateRange(date(year, month, 1), date(year, month, 15), "month")
    if part.startswith("mid") or "middle" in part:
        return DateRange(date(year, month, 10), date(year, month, 20), "month")
    return DateRange(date(year, month, 16), date(year, month, last), "month")


def _month_year(month: int, anchor: date, tense: str | None) -> int:
    """The year of a month named without one: the latest not after the anchor month, or the next in future."""
    if tense == "future":
        return anchor.year if month >= anchor.month else anchor.year + 1
    return anchor.year if month <= anchor.month else anchor.year - 1


def _day_month_year(month: int, day: int, anchor: date, tense: str | None) -> int | None:
    """The year of "November 6" without one: on/before the anchor in the past, on/after in the future, else nearest."""
    def at(y: int) -> date | None:
        return date(y, month, day) if day <= calendar.monthrange(y, month)[1] else None
    candidates = [(y, d) for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (d := at(y))]
    if tense == "past":
        candidates = [c for c in candidates if c[1] <= anchor]
    elif tense == "future":
        candidates = [c for c in candidates if c[1] >= anchor]
    if not candidates:
        return None
    return min(candidates, key=lambda c: abs((c[1] - anchor).days))[0]


def _shift(word: str) -> int:
    """-1, 0 or +1: the step from the anchor's period that "last", "this" or "next" (and their synonyms) names."""
    word = word.lower()
    if any(w in word for w in ("last", "previous", "past")):
        return -1
    if any(w in word for w in ("next", "coming", "following")):
        return 1
    return 0


def _shift_tense(by: int, mod: str = "") -> str | None:
    """The tense a shift (or an "earlier"/"later" modifier on the current period) says by itself."""
    return "past" if by < 0 or mod == "earlier" else "future" if by > 0 or mod == "later" else None


def _up_to_anchor(rng: DateRange, anchor: date, by: int, mod: str) -> DateRange:
    """ "earlier this week/month" ends at the anchor, "later this week/month" starts there.

    When the anchor lies outside the range ("earlier this weekend" said on a Wednesday) the
    range is kept whole rather than turned inside out.
    """
    if by == 0 and mod == "earlier" and anchor >= rng.start:
        return replace(rng, end=min(rng.end, anchor))
    if by == 0 and mod == "later" and anchor <= rng.end:
        return replace(rng, start=max(rng.start, anchor))
    return rng


def _relative_year(word: str, anchor: date) -> int:
    return anchor.year + _shift(word)


def _num(text: str) -> int | None:
    text = " ".join(text.lower().split())
    return int(text) if text.isdigit() else NUMBERS.get(text)


def _offset(anchor: date, n: int, unit: str) -> date:
    unit = unit.lower().rstrip("s")
    if unit == "day":
        return anchor + timedelta(days=n)
    if unit == "week":
        return anchor + timedelta(weeks=n)
    months = n * {"month": 1, "year": 12, "decade": 120}[unit]
    return _add_months(anchor, months)


def _unit_precision(unit: str) -> str:
    unit = unit.lower().rstrip("s")
    return "year" if unit in ("year", "decade") else "day"  # a span's ends are days; only whole years say "year"


# --- handlers: one per pattern -------------------------------------------------------------------------------------

def _g(m: re.Match[str], name: str) -> str | None:
    """A named group, or None where this pattern has no such group (handlers serve several patterns)."""
    return m.groupdict().get(name)


def _req(m: re.Match[str], name: str) -> str:
    """A group that every pattern of the handler captures whenever it matches."""
    value = _g(m, name)
    if value is None:
        raise ValueError(f"date pattern matched without its group {name!r}: {m.group()!r}")
    return value


def _month(m: re.Match[str]) -> int:
    return MONTHS[_req(m, "month").rstrip(".").lower()]


def _full_date(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """Day + month (+ year): "Thursday, November 6, 2025", "6 November 2025", "Nov. 6", "May 18-19"."""
    month = _month(m)
    d1 = int(re.sub(r"\D", "", _req(m, "d1")))
    d2 = int(re.sub(r"\D", "", raw)) if (raw := _g(m, "d2")) else d1
    if d2 < d1:
        return None
    if raw_year := _g(m, "year"):
        year, relative = int(raw_year), False
    else:
        if anchor is None:
            return _Hit(None, relative=True)
        found = _day_month_year(month, d1, anchor, tense)
        if found is None:
            return None
        year, relative = found, True
    if d2 > calendar.monthrange(year, month)[1]:
        return None
    return _Hit(DateRange(date(year, month, d1), date(year, month, d2), "day"), relative=relative)


def _iso(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    try:
        return _Hit(DateRange.day(date(int(_req(m, "y")), int(_req(m, "m")), int(_req(m, "d")))))
    except ValueError:
        return None


def _numeric(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    parsed = _dateparser_day(m.group(), None)
    return _Hit(DateRange.day(parsed)) if parsed else None


def _month_with_year(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """ "September 2025", "late November 2025", "July last year"."""
    month = _month(m)
    if raw_year := _g(m, "year"):
        return _Hit(_part_of_month(int(raw_year), month, _g(m, "part")))
    if anchor is None:
        return _Hit(None, relative=True)
    year = _relative_year(_req(m, "rel"), anchor)
    return _Hit(_part_of_month(year, month, _g(m, "part")), relative=True)


def _month_alone(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """ "in July", "earlier in February", "last March", "early January": the year comes from anchor and tense."""
    month = _month(m)
    mod = (_g(m, "mod") or "").lower()
    own = "past" if mod.startswith(("earlier", "last", "since")) else "future" if mod.startswith(
        ("later", "next", "this coming", "coming")) else None
    if anchor is None:
        return _Hit(None, relative=True, tense=own)
    if mod.startswith("last") and month == anchor.month:
        year = anchor.year - 1
    elif mod.startswith("next") and month == anchor.month:
        year = anchor.year + 1
    else:
        year = _month_year(month, anchor, own or tense)
    return _Hit(_part_of_month(year, month, _g(m, "part")), relative=True, tense=own)


def _year(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """A bare year in date context: "in 2024", "the 2024 election", "2023's", "2025-26"."""
    if _COUNT_AFTER.match(m.string, m.end()):
        return None
    y1 = int(_req(m, "y"))
    if raw := _g(m, "y2"):
        y2 = int(raw) if len(raw) == 4 else y1 // 100 * 100 + int(raw)
        if not y1 < y2 <= y1 + 50:
            return None
        return _Hit(DateRange(date(y1, 1, 1), date(y2, 12, 31), "year"), kind="span")
    return _Hit(DateRange.year(y1))


def _year_range(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    y1, raw = int(_req(m, "y1")), _g(m, "y2") or ""
    y2 = int(raw) if len(raw) == 4 else y1 // 100 * 100 + int(raw)
    if not y1 < y2 <= y1 + 50:
        return None
    return _Hit(DateRange(date(y1, 1, 1), date(y2, 12, 31), "year"), kind="span")


def _year_part(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """ "mid-2026", "early 2026", "late last year", "earlier this year", "the end of 2025"."""
    part = _req(m, "part").lower()
    if raw := _g(m, "y"):
        year, relative = int(raw), False
    elif anchor is None:
        return _Hit(None, relative=True)
    else:
        year, relative = _relative_year(_req(m, "rel"), anchor), True
    if part in ("earlier", "later"):
        if anchor is None or year != anchor.year:
            return _Hit(DateRange.year(year), relative=relative) if anchor else _Hit(None, relative=True)
        own = "past" if part == "earlier" else "future"
        rng = (DateRange(date(year, 1, 1), anchor, "year") if own == "past"
               else DateRange(anchor, date(year, 12, 31), "year"))
        return _Hit(rng, relative=True, tense=own)
    if "end" in part:
        return _Hit(DateRange(date(year, 10, 1), date(year, 12, 31), "quarter"), relative=relative)
    return _Hit(_part_of_year(year, part), relative=relative)


def _decade(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """ "the 1950s", "the early 1990s"."""
    start = int(_req(m, "y"))
    part = (_g(m, "part") or "").lower()
    lo, hi = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get(part, (0, 9))
    return _Hit(DateRange(date(start + lo, 1, 1), date(start + hi, 12, 31), "year"))


def _quarter(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """ "Q1 2026", "the third quarter of next year", "the first quarter"."""
    qw, rel = _g(m, "qw"), _g(m, "rel")
    q = int(qn) if (qn := _g(m, "qn")) else ORDINALS[_req(m, "qw").lower()]
    if raw := _g(m, "y"):
        y = int(re.sub(r"\D", "", raw))
        return _Hit(DateRange.quarter(y + 2000 if y < 100 else y, q))
    if qw and qw.lower() in ("last", "final") and not rel:
        return None  # "last quarter" alone is the previous quarter, not Q4
    if anchor is None:
        return _Hit(None, relative=True)
    if rel:
        return _Hit(DateRange.quarter(_relative_year(rel, anchor), q), relative=True)
    aq = _quarter_of(anchor)
    if tense == "future":
        year = anchor.year if q >= aq else anchor.year + 1
    else:
        year = anchor.year if q <= aq else anchor.year - 1
    return _Hit(DateRange.quarter(year, q), relative=True)


def _relative_quarter(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """ "next quarter" (said 2025-11-07 -> Q1 2026), "this quarter", "last quarter"."""
    by = _shift(_req(m, "rel"))
    own = _shift_tense(by)
    if anchor is None:
        return _Hit(None, relative=True, tense=own)
    year, q = _shift_quarter(anchor.year, _quarter_of(anchor), by)
    return _Hit(DateRange.quarter(year, q), relative=True, tense=own)


def _half(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """ "the first half of 2027", "H2 2026", "the second half of next year"."""
    h = int(hn) if (hn := _g(m, "hn")) else ORDINALS[_req(m, "hw").lower()]
    if raw := _g(m, "y"):
        year, relative = int(raw), False
    elif anchor is None:
        return _Hit(None, relative=True)
    else:
        year, relative = _relative_year(_req(m, "rel"), anchor), True
    rng = (DateRange(date(year, 1, 1), date(year, 6, 30), "quarter") if h == 1
           else DateRange(date(year, 7, 1), date(year, 12, 31), "quarter"))
    return _Hit(rng, relative=relative)


def _day_word(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """ "today", "tonight", "yesterday", "tomorrow", "last night", "this morning"."""
    word = " ".join(m.group().lower().split())
    if m.group()[0] == "T" and word.startswith("today") and _NAME_BEFORE.search(
            m.string, max(0, m.start() - 30), m.start()):
        return None  # "USA Today", "Pakistan Today": a masthead
    days = -2 if "before yesterday" in word else 2 if "after tomorrow" in word else -1 if (
        "yesterday" in word or word == "last night") else 1 if "tomorrow" in word else 0
    own = "past" if days < 0 else "future" if days > 0 else None
    if anchor is None:
        return _Hit(None, relative=True, tense=own)
    return _Hit(DateRange.day(anchor + timedelta(days=days)), relative=True, tense=own)


def _weekday(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """ "on Thursday", "late Tuesday night", "last Friday", "next Monday": relative to the anchor's weekday."""
    if m.start() == m.start("wd") and _NAME_BEFORE.search(m.string, max(0, m.start() - 30), m.start()):
        return None  # "Good Friday", "Super Tuesday"
    mod = (_g(m, "mod") or "").lower()
    own = "past" if mod.startswith("last") else "future" if mod.startswith(("next", "this coming", "coming")) else None
    if anchor is None:
        return _Hit(None, relative=True, tense=own)
    target = WEEKDAYS[_req(m, "wd").lower()]
    back = (anchor.weekday() - target) % 7
    if own == "past":
        day = anchor - timedelta(days=back or 7)
    elif own == "future":
        day = anchor + timedelta(days=(target - anchor.weekday()) % 7 or 7)
    elif tense == "future":
        day = anchor + timedelta(days=(target - anchor.weekday()) % 7)
    else:
        day = anchor - timedelta(days=back)
    return _Hit(DateRange.day(day), relative=True, tense=own)


def _week_word(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """ "this week", "last week", "next weekend", "earlier this week"."""
    mod = (_g(m, "mod") or "").lower()
    by = _shift(_req(m, "rel"))
    own = _shift_tense(by, mod)
    if anchor is None:
        return _Hit(None, relative=True, tense=own)
    week = _week(anchor, by)
    start = week.end - timedelta(days=1) if _g(m, "weekend") else week.start
    return _Hit(_up_to_anchor(DateRange(start, week.end, "day"), anchor, by, mod), relative=True, tense=own)


def _the_weekend(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """ "over the weekend": the latest Saturday-Sunday begun by the anchor, or the next one in future sentences."""
    if anchor is None:
        return _Hit(None, relative=True)
    saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7)
    if tense == "future" and saturday + timedelta(days=1) < anchor:
        saturday += timedelta(weeks=1)
    return _Hit(DateRange(saturday, saturday + timedelta(days=1), "day"), relative=True)


def _month_word(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """ "this month", "last month", "next month", "earlier this month", "later this month"."""
    mod = (_g(m, "mod") or "").lower()
    by = _shift(_req(m, "rel"))
    own = _shift_tense(by, mod)
    if anchor is None:
        return _Hit(None, relative=True, tense=own)
    first = _add_months(anchor.replace(day=1), by)
    return _Hit(_up_to_anchor(DateRange.month(first.year, first.month), anchor, by, mod), relative=True, tense=own)


def _year_word(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """ "this year", "last year", "next year"."""
    by = _shift(_req(m, "rel"))
    own = _shift_tense(by)
    if anchor is None:
        return _Hit(None, relative=True, tense=own)
    return _Hit(DateRange.year(anchor.year + by), relative=True, tense=own)


def _span(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """ "in the last five years", "over the next decade", "within two months", "the past couple of years"."""
    raw_n = _g(m, "n")
    n = _num(raw_n) if raw_n else 1
    unit = _req(m, "unit").lower()
    if n is None or (not raw_n and (unit.endswith("s") or unit == "day")):
        return None  # "the coming months", "the next day": too vague, or relative to the story, not the anchor
    direction = (_g(m, "dir") or "").lower()
    forward = direction in ("next", "coming") or m.group().lower().startswith("within")
    own = "future" if forward else "past"
    if anchor is None:
        return _Hit(None, relative=True, kind="span", tense=own)
    other = _offset(anchor, n if forward else -n, unit)
    precision = _unit_precision(unit)
    rng = DateRange(anchor, other, precision) if forward else DateRange(other, anchor, precision)
    return _Hit(rng, relative=True, kind="span", tense=own)


_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}  # first month, northern seasons


def _season(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """ "in autumn", "by next spring", "in the spring of 2023": the season's three months (northern), the one under
    way or ahead unless told past."""
    mod = (_g(m, "mod") or "").lower()
    by = _shift(mod) if mod in ("last", "next", "coming") else 0
    own = _shift_tense(by) or tense
    first = _SEASONS[_req(m, "season").lower()]

    def season(year: int) -> DateRange:
        start = date(year, first, 1)
        return DateRange(start, _add_months(start, 3) - timedelta(days=1), "quarter")
    if _g(m, "y"):  # "in the spring of 2023"
        return _Hit(season(int(_req(m, "y"))), tense=own)
    if anchor is None:
        return _Hit(None, relative=True, tense=own)
    current = season(anchor.year if first <= anchor.month else anchor.year - 1)  # the latest begun by the anchor
    if by < 0:
        current = current if current.end < anchor else season(current.start.year - 1)
    elif by > 0 or (own != "past" and current.end < anchor):
        current = season(current.start.year + 1)
    return _Hit(current, relative=True, tense=own)


_MORE_THAN = re.compile(r"(?i)\b(?:more\s+than|over)\s+$")


def _ago(m: re.Match[str], anchor: date | None, tense: str | None) -> _Hit | None:
    """ "three years ago", "two weeks ago", "in two years' time": a point at that distance, as precise as the unit."""
    n = _num(_req(m, "n"))
    if n is None:
        return None
    own = "past" if m.group().lower().endswith("ago") else "future"
    if anchor is None:
        return _Hit(None, relative=True, tense=own)
    unit = _req(m, "unit").lower().rstrip("s")
    day = _offset(anchor, -n if own == "past" else n, unit)
    if own == "past" and unit in ("year", "decade") and _MORE_THAN.search(m.string, max(0, m.start() - 12), m.start()):
        # "established more than three decades ago": up to one more of the unit before that point
        return _Hit(DateRange(date(_offset(anchor, -n - 1, unit).year, 1, 1), date(day.year, 12, 31), "year"),
                    relative=True, tense=own)
    if unit == "day":
        rng = DateRange.day(day)
    elif unit == "week":
        rng = _week(day)
    elif unit == "month":
        rng = DateRange.month(day.year, day.month)
    else:
        rng = DateRange.year(day.year)
    return _Hit(rng, relative=True, tense=own)


# --- the grammar ---------------------------------------------------------------------------------------------------

def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# (pattern, handler); the named group "x" (where present) is the expression, the rest only context.
_GRAMMAR: list[tuple[re.Pattern[str], _Handler]] = [
    (_c(rf"(?<![\w$.,-])(?P<d1>{_DAY})(?:\s*(?:-|–|to|and)\s*(?P<d2>{_DAY}))?"
        rf"\s+(?:of\s+)?(?P<month>{_MONTH})(?:,?\s+(?P<year>{_YEAR}))?"), _full_date),
    # "July 9 and 10" is both days, "July 9 and 10 officers" a day and a count
    (_c(rf"(?P<month>{_MONTH})\s+(?:the\s+)?(?P<d1>{_DAY})(?:(?:\s*(?:-|–)\s*|\s+(?:and|to)\s+(?!\d+{_COUNTED}))"
        rf"(?P<d2>{_DAY}))?"
        rf"(?:,?\s+(?P<year>{_YEAR}))?(?![\d-])"), _full_date),
    (_c(r"(?<![\d-])(?P<y>(?:19|20)\d{2})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])"), _iso),
    (_c(r"(?<![\d/.])(?:[0-3]?\d)/(?:[0-3]?\d)/(?:19|20)\d{2}(?![\d/])"), _numeric),
    (_c(rf"(?P<month>{_MONTH}),?\s+(?:of\s+)?(?:(?P<year>{_YEAR})|(?P<rel>(?i:{_REL_YEAR})))"), _month_with_year),
    (_c(rf"\b(?i:(?P<part>{_EML})[\s-]+)(?P<month>{_MONTH}),?\s+(?:of\s+)?(?:(?P<year>{_YEAR})"
        rf"|(?P<rel>(?i:{_REL_YEAR})))"), _month_with_year),
    (_c(rf"(?:\b(?i:in|on|since|by|until|till|during|from|through|throughout|before|after|of|and|or|to|until)\s+"
        rf"|\b(?=(?i:earlier|later|last|next|this|coming)\s))"
        rf"(?P<x>(?:(?P<mod>(?i:earlier\s+in|later\s+in|last|next|this\s+coming|this|coming))\s+)?"
        rf"(?i:(?P<part>{_EML})[\s-]+)?(?P<month>{_MONTH}))"), _month_alone),
    (_c(rf"(?i:\b(?P<part>{_EML})[\s-]+)(?P<month>{_MONTH})"), _month_alone),
    (_c(rf"(?:\b(?i:in|since|by|until|till|during|from|through|throughout|before|after|between|of|the|early"
        rf"|mid|late|fiscal|around|circa|as\s+of|as\s+early\s+as|and|or)[\s-]+)"
        rf"(?P<x>(?P<y>{_YEAR})(?:[-–/](?P<y2>\d{{2}}|{_YEAR}))?)(?![\w-])"), _year),
    (_c(rf"(?P<x>(?P<y>{_YEAR}))(?='s\b)"), _year),
    (_c(rf"\b(?i:from|between)\s+(?P<y1>{_YEAR})\s+(?:to|and|until|through)\s+(?P<y2>{_YEAR})(?!\d)"), _year_range),
    (_c(rf"(?<![\w$.,-])(?P<y1>{_YEAR})\s*[-–]\s*(?P<y2>{_YEAR}|\d{{2}})(?![\w-])"), _year_range),
    (_c(rf"\b(?i:(?P<part>{_EML}|earlier|later)(?:[\s-]+|-))(?:(?P<y>{_YEAR})|(?P<rel>(?i:{_REL_YEAR})))"),
     _year_part),
    (_c(r"\b(?:(?i:the)\s+)?(?:(?P<part>(?i:early|mid|late))[\s-]+)?(?P<y>(?:19|20)\d0)'?s\b"), _decade),
    (_c(rf"\b(?:Q(?P<qn>[1-4])|(?i:(?:the\s+)?(?P<qw>first|second|third|fourth|final|last|1st|2nd|3rd|4th)"
        rf"\s+quarter))(?:,?\s+(?i:of\s+)?(?:(?P<y>{_YEAR}|FY\d{{2}}|'\d{{2}})|(?P<rel>(?i:{_REL_YEAR}))))?(?!\w)"),
     _quarter),
    (_c(r"\b(?P<rel>(?i:this|last|next|the\s+(?:current|previous|coming|following)|the\s+last))\s+(?i:quarter)\b"
        r"(?!\s+of\b)"), _relative_quarter),
    (_c(rf"\b(?:H(?P<hn>[12])|(?i:(?:the\s+)?(?P<hw>first|second|latter|1st|2nd)\s+half\s+of))\s+"
        rf"(?:(?P<y>{_YEAR})|(?P<rel>(?i:{_REL_YEAR})))"), _half),
    (_c(r"(?i)\b(?:the\s+day\s+(?:before\s+yesterday|after\s+tomorrow)|today|tonight|yesterday|tomorrow"
        r"|last\s+night|this\s+(?:morning|afternoon|evening))\b"), _day_word),
    (_c(rf"(?P<wd>{_WEEKDAY})(?:\s+(?i:morning|afternoon|evening|night))?\b"), _weekday),
    (_c(rf"(?:\b(?P<mod>(?i:last|next|this\s+coming|this|coming))\s+|(?i:\b(?:early|late)\s+))"
        rf"(?P<wd>{_WEEKDAY})(?:\s+(?i:morning|afternoon|evening|night))?\b"), _weekday),
    (_c(r"(?i)\b(?:(?P<mod>earlier|later)\s+)?(?P<rel>this|last|next|the\s+(?:previous|coming|following)|previous)"
        r"\s+week(?P<weekend>end)?\b"), _week_word),
    (_c(r"(?i)\b(?:(?P<mod>earlier|later)\s+)?(?P<rel>this|last|next|the\s+(?:previous|coming|following)|previous"
        r"|(?<=end\sof\s)the)\s+month\b"), _month_word),
    (_c(r"\b(?i:over|at|during|on)\s+(?P<x>the\s+weekend)\b"), _the_weekend),
    (_c(r"(?i)\b(?P<rel>this|last|next|the\s+(?:previous|coming|following)|previous|(?<=end\sof\s)the)\s+year\b"),
     _year_word),
    (_c(r"(?i)\b(?:in|by|during|until|till|before|from|this|next|last)\s+(?:the\s+)?(?P<x>(?:(?P<mod>coming|next|this"
        rf"|last|early|late)\s+)?(?P<season>spring|summer|autumn|fall|winter)(?:,?\s+(?:of\s+)?(?P<y>{_YEAR}))?)\b"),
     _season),
    (_c(rf"(?i)\b(?:(?:in|over|during|for|throughout|within)\s+)?the\s+(?P<dir>past|last|previous|next|coming)"
        rf"\s+(?:(?P<n>{_NUM})[\s-]+)?(?P<unit>{_UNIT})\b"), _span),  # "the next five years", "the next 5-years"
    (_c(rf"(?i)\bwithin\s+(?:the\s+next\s+)?(?P<n>{_NUM})[\s-]+(?P<unit>{_UNIT})\b"), _span),
    (_c(rf"(?i)\b(?P<n>{_NUM})\s+(?P<unit>{_UNIT})\s+ago\b"), _ago),
    (_c(rf"(?i)\bin\s+(?P<n>{_NUM})\s+(?P<unit>{_UNIT})'?\s+time\b"), _ago),
]

# Keywords (lower case) without which a rule cannot match: skips its regex on most documents.
_GUARDS: dict[_Handler, tuple[str, ...]] = {
    _ago: ("ago", "time"), _span: ("past", "last", "previous", "next", "coming", "within"), _year_word: ("year",),
    _week_word: ("week",), _the_weekend: ("weekend",),
    _month_word: ("month",), _relative_quarter: ("quarter",), _iso: ("-",), _numeric: ("/",),
    _quarter: ("quarter", "q1", "q2", "q3", "q4"), _half: ("half", "h1", "h2"), _decade: ("0s", "0's"),
    _day_word: ("today", "tonight", "yesterday", "tomorrow", "night", "morning", "afternoon", "evening"),
    _weekday: ("day",), _season: ("spring", "summer", "autumn", "fall", "winter"),
}
# A month name or a year without which a rule cannot match: one search per text spares its regex on the half of
# the articles that name no month, or no year.
_MONTH_RE, _YEAR_RE = re.compile(_MONTH), re.compile(rf"(?<!\d){_YEAR}")
_NEEDS: dict[_Handler, re.Pattern[str]] = {
    _full_date: _MONTH_RE, _month_with_year: _MONTH_RE, _month_alone: _MONTH_RE,
    _year: _YEAR_RE, _year_range: _YEAR_RE, _decade: _YEAR_RE,
}
_LEAD_WEEKDAY = re.compile(rf"\b{_WEEKDAY},?\s+(?:the\s+)?$")


# --- finding -------------------------------------------------------------------------------------------------------

def _sentence_start(text: str, pos: int, limit: int = 90) -> int:
    lo = max(0, pos - limit)
    last = lo
    for b in _SENTENCE_END.finditer(text, lo, pos):
        last = b.end()
    return last


def _context_tense(text: str, start: int, end: int) -> str | None:
    """past | future | None from the nearest tense cue before the date in its sentence, else the first after it."""
    lo = _sentence_start(text, start)
    cue = None
    for found in _CUE_RE.finditer(text, lo, start):
        cue = found
    if cue is not None and cue["past"] and _REPORTING.fullmatch(cue.group()) and not _NEAR.fullmatch(
            text, cue.end(), start):
        return None  # "said that from 29 December, ...": the date belongs to what was said, not to the saying
    if cue is None and _CLAUSE_OPENING.fullmatch(text, lo, start):
        # "On Monday, the ministers will meet": the date opens the sentence, its verb follows.
        stop = _CLAUSE_END.search(text, end, end + 70)
        cue = _CUE_RE.search(text, end, stop.start() if stop else min(len(text), end + 70))
    if cue is None:
        return None
    return "future" if cue["fut"] else "past"


def _candidates(text: str) -> list[tuple[int, int, re.Match[str], _Handler]]:
    found = []
    low = text.lower()
    present: dict[re.Pattern[str], bool] = {}
    for pattern, handler in _GRAMMAR:
        guard = _GUARDS.get(handler)
        if guard and not any(word in low for word in guard):
            continue
        needed = _NEEDS.get(handler)
        if needed is not None and not present.setdefault(needed, needed.search(text) is not None):
            continue
        for m in pattern.finditer(text):
            s, e = m.span("x") if "x" in pattern.groupindex else m.span()
            if handler is _full_date and (lead := _LEAD_WEEKDAY.search(text, max(0, s - 16), s)):
                s = lead.start()  # "Thursday, November 6, 2025" is one expression
            found.append((s, e, m, handler))
    return found


def _absolute_tense(rng: DateRange | None, anchor: date | None) -> str | None:
    if rng is None or anchor is None:
        return None
    return "past" if rng.end < anchor else "future" if rng.start > anchor else None


def _with_prefix(text: str, start: int, hit: _Hit, anchor: date | None) -> tuple[int, _Hit]:
    """ "by 2030" -> deadline; "since 2020" -> since (its start .. the anchor); span widened to the prefix."""
    if hit.kind != "point":
        return start, hit
    p = _PREFIX_RE.search(text, max(0, start - 30), start)
    if not p:
        return start, hit
    word = p["p"].lower()
    if word == "since":
        if hit.range is None or anchor is None:
            return p.start(), replace(hit, range=None, relative=True, kind="since", tense="past")
        if hit.range.start > anchor:
            return start, hit
        return p.start(), replace(hit, range=DateRange(hit.range.start, anchor, hit.range.precision),
                                  relative=True, kind="since", tense="past")
    return p.start(), replace(hit, kind="deadline")


_DOCUMENT_DATES: OrderedDict[tuple[bytes, date | None], tuple[DateMatch, ...]] = OrderedDict()
_DOCUMENT_DATES_KEPT = 1 << 14  # above the documents one rebuild reads


def document_dates(text: str, anchor: date | None) -> list[DateMatch]:
    """``find_dates`` over a whole document, found once per process: an undated article's dates are read to
    extract it and again (with the same anchor, none) to bound its publication date when the corpus is
    resolved. Kept by a digest of the text, so the cache holds no texts."""
    key = (hashlib.blake2b(text.encode(), digest_size=16).digest(), anchor)
    found = _DOCUMENT_DATES.get(key)
    if found is None:
        found = _DOCUMENT_DATES[key] = tuple(find_dates(text, anchor))
        if len(_DOCUMENT_DATES) > _DOCUMENT_DATES_KEPT:
            _DOCUMENT_DATES.popitem(last=False)
    else:
        _DOCUMENT_DATES.move_to_end(key)
    return list(found)


def find_dates(text: str, anchor: date | None) -> list[DateMatch]:
    """Every temporal expression in ``text``, resolved against ``anchor`` (the publication date)."""
    cands = _candidates(text)
    cands.sort(key=lambda c: (c[0] - c[1], c[0]))  # longest first, then leftmost
    taken: list[tuple[int, int]] = []
    out: list[DateMatch] = []
    for s, e, m, handler in cands:
        if any(s < te and ts < e for ts, te in taken):
            continue
        context = _context_tense(text, s, e)
        try:
            hit = handler(m, anchor, context)
            if hit is None:
                continue
            s2, hit = _with_prefix(text, s, hit, anchor)
        except (ValueError, OverflowError):  # a day off the calendar's ends (year 0 or 10000): no date
            continue
        if any(s2 < te and ts < e for ts, te in taken):
            s2 = s
        tense = hit.tense or _absolute_tense(hit.range, anchor) or (
            "future" if hit.kind == "deadline" and anchor is None else context)
        taken.append((s2, e))
        out.append(DateMatch(s2, e, text[s2:e], hit.range, hit.relative, hit.kind, tense))
    out.sort(key=lambda d: d.start)
    return out


# --- single expressions --------------------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _dateparser_day(expression: str, anchor: date | None) -> date | None:
    """A full day from a free-form date string, or None; never invents a missing day, month or year."""
    import dateparser  # slow import, only needed off the hot path

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past",
                "RETURN_AS_TIMEZONE_AWARE": False}
    if anchor is not None:
        settings["RELATIVE_BASE"] = datetime(anchor.year, anchor.month, anchor.day)
    parsed = dateparser.parse(expression, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


@lru_cache(maxsize=4096)
def resolve(expression: str, anchor: date | None) -> DateRange | None:
    """The DateRange one temporal expression means, or None where it cannot be bounded."""
    expression = expression.strip()
    matches = find_dates(expression, anchor)
    if matches:
        best = max(matches, key=lambda d: d.end - d.start)
        if best.range is not None or best.relative:
            return best.range
    day = _dateparser_day(expression, anchor) if re.search(r"\d", expression) else None
    return DateRange.day(day) if day else None
