"""The dashboard's charts as inline SVG, drawn on the server (no chart library, nothing from a CDN).

- ``timeline_svg``: one lane per event type, one mark per dated event spanning its dates;
- ``monthly_tone_svg``: cooperative events up, conflictual ones down, month by month, one strip per pair;
- ``commitments_svg``: each commitment from when it was made to when it is due, today's line, its status
  as the colour and its target's progress as the filled share;
- ``claims_svg``: one strip per subject, a dot for each source's figure, a range drawn as a bar.

A date known only to a month, quarter or year is drawn as a pale hatched span over the whole of it,
one that rests on an inferred publication date with a dashed outline; undated records are left out
(the pages list them last). Every chart carries its legend. The time axis thins its labels to what fits.
Every text that reaches the SVG is escaped here, since the result is marked safe for the template.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from html import escape
from typing import Any

from pactwatch.models import EVENT_TYPES, Event
from pactwatch.web.listing import pair_name, pairs_of

WIDTH, LEFT, RIGHT, TOP, LANE, AXIS = 960, 110, 20, 10, 26, 30
LEGEND = 26
LABEL_PX = 64  # room one axis label needs
# PLOVER's cooperative types come first in EVENT_TYPES; the rest are conflictual.
COOPERATIVE = set(EVENT_TYPES[:8])
STATUS_ORDER = ("met", "pending", "missed", "unknown")
TONE_PAIRS = 4  # strips in the monthly chart when no pair is chosen: the pairs with the most events
# Steps the axis may label, in months; the first that leaves room for every label is used.
STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600)

PATTERNS = ('<defs><pattern id="approx" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff" opacity=".5"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="3"/></pattern></defs>')


def _range(value: dict[str, Any] | None) -> tuple[date, date] | None:
    if not value:
        return None
    return date.fromisoformat(value["start"]), date.fromisoformat(value["end"])


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month(index: int) -> date:
    """The first day of month ``index``; the month after December 9999 is the calendar's last day."""
    if index // 12 > date.max.year:
        return date.max
    return date(index // 12, index % 12 + 1, 1)


def axis_ticks(first: date, last: date, width: float) -> tuple[list[date], str]:
    """Month starts between ``first`` and ``last``, thinned to a step whose labels fit ``width``; their format.

    A step of whole years labels years only (a 1925-2026 axis: every 10 or 20 years), else year and month.
    """
    lo, hi = _month_index(first), _month_index(last)
    room = max(1, int(width // LABEL_PX))
    months = hi - lo + 1
    step = next((s for s in STEPS if months / s <= room), STEPS[-1] * -(-months // (STEPS[-1] * room)))
    ticks = [_month(i) for i in range(-(-lo // step) * step, hi + 1, step) if first <= _month(i) <= last]
    if not ticks:  # a span inside one month: its first day is the one label
        return [first], "%Y-%m-%d"
    return ticks, "%Y" if step % 12 == 0 else "%Y-%m"


def _scale(first: date, last: date, left: float, right: float) -> Any:
    span = max((last - first).days, 1)

    def x(d: date) -> float:
        return left + (d - first).days / span * (right - left)

    return x


def _axis(first: date, last: date, x: Any, top: float, bottom: float) -> list[str]:
    ticks, fmt = axis_ticks(first, last, WIDTH - LEFT - RIGHT)
    return [f'<line class="tick" x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top}" y2="{bottom + 4}"/>'
            f'<text class="axis" x="{x(t):.1f}" y="{bottom + 18}" text-anchor="middle">{t.strftime(fmt)}</text>'
            for t in ticks]


def _legend(y: float, items: Iterable[tuple[str, str]]) -> str:
    """A row of swatches: (class of the swatch, what it means)."""
    parts, at = [f'<g class="legend" transform="translate({LEFT},{y})">'], 0.0
    for css, text in items:
        parts.append(f'<rect class="swatch {css}" x="{at:.0f}" y="0" width="14" height="12" rx="2"/>'
                     f'<text class="axis" x="{at + 19:.0f}" y="11">{escape(text)}</text>')
        at += 34 + 7.2 * len(text)
    parts.append("</g>")
    return "".join(parts)


def _svg(height: float, label: str, body: list[str]) -> str:
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-label="{escape(label)}" '
            f'xmlns="http://www.w3.org/2000/svg">{PATTERNS}{"".join(body)}</svg>')


def _date_marks(css: str, left: float, right: float, y: float, height: float, precision: str, inferred: bool,
                title: str, url: str) -> str:
    """A dated span: solid for a day, pale and hatched for a month, quarter or year; dashed if inferred."""
    approx = precision != "day"
    classes = f"mark {css}{' approx' if approx else ''}{' inferred' if inferred else ''}"
    width = max(right - left, 6.0)
    hatch = (f'<rect class="hatch" x="{left:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
             f'fill="url(#approx)"/>' if approx else "")
    return (f'<a href="{escape(url)}"><rect class="{classes}" x="{left:.1f}" y="{y:.1f}" width="{width:.1f}" '
            f'height="{height:.1f}" rx="3"><title>{escape(title)}</title></rect>{hatch}</a>')


def timeline_svg(events: list[dict[str, Any]]) -> str:
    """Dated events only (the page lists undated ones last): a lane per type, a mark per event."""
    dated = [(e, d) for e in events if (d := _range(e.get("date")))]
    if not dated:
        return '<p class="empty">No dated events to draw.</p>'
    first = min(d[0] for _, d in dated)
    last = max(d[1] for _, d in dated)
    lanes = [t for t in EVENT_TYPES if any(e["type"] == t for e, _ in dated)]
    lanes += sorted({e["type"] for e, _ in dated} - set(lanes))
    axis_y = TOP + LANE * len(lanes)
    x = _scale(first, last, LEFT, WIDTH - RIGHT)
    parts = []
    for i, lane in enumerate(lanes):
        y = TOP + LANE * i
        parts.append(f'<text class="lane" x="{LEFT - 8}" y="{y + LANE / 2 + 4:.1f}" text-anchor="end">'
                     f'{escape(lane)}</text>'
                     f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y + LANE:.1f}" y2="{y + LANE:.1f}"/>')
    parts += _axis(first, last, x, TOP, axis_y)
    for event, (start, end) in dated:
        y = TOP + LANE * lanes.index(event["type"]) + 6
        tone = "coop" if event["type"] in COOPERATIVE else "conf"
        precision = (event.get("date") or {}).get("precision", "day")
        title = f'{event["label"]} — {event.get("summary") or ""}'
        parts.append(_date_marks(tone, x(start), x(end), y, LANE - 12, precision,
                                 bool(event.get("date_inferred")), title, event["url"]))
    parts.append(_legend(axis_y + AXIS + 4, [("coop", "cooperative"), ("conf", "conflictual"),
                                             ("coop approx", "month, quarter or year only"),
                                             ("coop inferred", "date inferred")]))
    return _svg(axis_y + AXIS + LEGEND + 8, f"Timeline of {len(dated)} dated events", parts)


def monthly_tone(events: Iterable[Event], pair: str | None) -> tuple[dict[str, Counter[tuple[int, str]]], int]:
    """Per pair ("KEN-TZA"), how many cooperative and conflictual events each month; and how many events
    were left out because their date is known only to a quarter or a year (they belong to no one month)."""
    per_pair: dict[str, Counter[tuple[int, str]]] = defaultdict(Counter)
    vague = 0
    for e in events:
        if e.date is None:
            continue
        if _month_index(e.date.start) != _month_index(e.date.end):
            vague += 1
            continue
        tone = "coop" if e.type in COOPERATIVE else "conf"
        for p in pairs_of(e.countries):
            if pair is None or p == pair:
                per_pair[p][(_month_index(e.date.start), tone)] += 1
    return per_pair, vague


def monthly_tone_svg(events: Sequence[Event], pair: str | None) -> str:
    per_pair, vague = monthly_tone(events, pair)
    ranked = sorted(per_pair, key=lambda p: (-sum(per_pair[p].values()), p))[:1 if pair else TONE_PAIRS]
    if not ranked:
        return '<p class="empty">No events dated to a month to count.</p>'
    months = [m for p in ranked for m, _ in per_pair[p]]
    lo, hi = min(months), max(months)
    first, last = _month(lo), _month(hi + 1)
    x = _scale(first, last, LEFT, WIDTH - RIGHT)
    bar = max(2.0, (WIDTH - LEFT - RIGHT) / (hi - lo + 1) - 2)
    strip, half = 90, 40
    parts = []
    for i, p in enumerate(ranked):
        top = TOP + strip * i
        mid = top + half + 4
        peak = max(per_pair[p].values())
        parts.append(f'<text class="lane" x="{LEFT - 8}" y="{mid + 4}" text-anchor="end">'
                     f'{escape(_short_pair(p))}<title>{escape(pair_name(p))}</title></text>'
                     f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{mid}" y2="{mid}"/>')
        for (m, tone), n in sorted(per_pair[p].items()):
            h = n / peak * half
            y = mid - h if tone == "coop" else mid
            parts.append(f'<rect class="mark {tone}" x="{x(_month(m)):.1f}" y="{y:.1f}" width="{bar:.1f}" '
                         f'height="{h:.1f}"><title>{escape(pair_name(p))}, {_month(m):%Y-%m}: {n} '
                         f'{"cooperative" if tone == "coop" else "conflictual"}</title></rect>')
    axis_y = TOP + strip * len(ranked)
    parts += _axis(first, last, x, TOP, axis_y)
    note = [("coop", "cooperative (up)"), ("conf", "conflictual (down)")]
    parts.append(_legend(axis_y + AXIS + 4, note))
    if vague:
        parts.append(f'<text class="axis" x="{LEFT}" y="{axis_y + AXIS + LEGEND + 14}">{vague} event'
                     f'{"" if vague == 1 else "s"} dated only to a quarter or year not counted</text>')
    return _svg(axis_y + AXIS + LEGEND + (22 if vague else 8), "Cooperative and conflictual events per month", parts)


def _short_pair(p: str) -> str:
    return p.replace("-", "–")


def commitments_svg(commitments: list[dict[str, Any]], as_of: date) -> str:
    """Each commitment with a due date: a bar from when it was made (else from its due date) to when it is due,
    coloured by status, its target's progress filled in, and a line at the as-of date."""
    rows = []
    for c in commitments:
        due = _range(c.get("due"))
        if due is None:
            continue
        made = _range(c.get("made_on"))
        rows.append((c, made, due))
    if not rows:
        return '<p class="empty">No commitment on this page has a due date to draw.</p>'
    first = min([as_of, *(m[0] if m else d[0] for _, m, d in rows)])
    last = max([as_of, *(d[1] for _, _, d in rows)])
    x = _scale(first, last, LEFT, WIDTH - RIGHT)
    lane = 22
    parts = []
    for i, (c, made, due) in enumerate(rows):
        y = TOP + lane * i
        label = c["statement"] if len(c["statement"]) <= 16 else c["statement"][:15] + "…"
        parts.append(f'<text class="lane" x="{LEFT - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        status = c["status"] if c["status"] in STATUS_ORDER else "unknown"
        start = x(made[0]) if made else x(due[0])
        end = x(due[1])
        title = f'{c["statement"]} — {status}, due {c.get("due_text") or ""}'
        parts.append(f'<a href="{escape(c["url"])}"><rect class="mark status-{status} plan" x="{start:.1f}" '
                     f'y="{y + 5}" width="{max(end - start, 6):.1f}" height="12" rx="3">'
                     f'<title>{escape(title)}</title></rect></a>')
        if due[1] != due[0]:  # a due date known only to a month, quarter or year: the whole span, hatched
            parts.append(f'<rect class="hatch" x="{x(due[0]):.1f}" y="{y + 5}" width="{max(end - x(due[0]), 3):.1f}" '
                         f'height="12" fill="url(#approx)"/>')
        ratio = ((c.get("attributes") or {}).get("progress") or {}).get("ratio")
        if isinstance(ratio, int | float):
            done = min(max(float(ratio), 0.0), 1.0)
            parts.append(f'<rect class="progress-fill" x="{start:.1f}" y="{y + 8}" '
                         f'width="{max(end - start, 6) * done:.1f}" height="6"><title>{done:.0%} of the target'
                         f'</title></rect>')
    bottom = TOP + lane * len(rows)
    parts += _axis(first, last, x, TOP, bottom)
    parts.append(f'<line class="today" x1="{x(as_of):.1f}" x2="{x(as_of):.1f}" y1="{TOP - 4}" y2="{bottom}"/>'
                 f'<text class="axis today-label" x="{x(as_of) + 4:.1f}" y="{TOP + 6}">as of {as_of}</text>')
    legend = [(f"status-{s}", s) for s in STATUS_ORDER] + [("progress-fill", "target progress"),
                                                           ("status-unknown approx", "due month/quarter/year")]
    parts.append(_legend(bottom + AXIS + 4, legend))
    return _svg(bottom + AXIS + LEGEND + 8, f"Commitments from made to due, {len(rows)} drawn", parts)


def claims_svg(groups: list[dict[str, Any]]) -> str:
    """One strip per subject, on its own scale: a dot per source's figure (stacked where figures meet), a bar
    where a claim is a range. Each claim is one link, its dots or bar inside it."""
    strips = [g for g in groups if g["claims"]]
    if not strips:
        return '<p class="empty">No claims to draw.</p>'
    right = WIDTH - RIGHT - 120
    parts = []
    y0 = TOP
    for g in strips:
        lo = min(_low_high(c)[0] for c in g["claims"])
        hi = max(_low_high(c)[1] for c in g["claims"])
        pad = (hi - lo) * 0.08 or abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad

        def x(v: float, lo: float = lo, hi: float = hi) -> float:
            return LEFT + (v - lo) / (hi - lo) * (right - LEFT)

        stacks: Counter[int] = Counter()  # dots already at each x, so the next one goes above them
        planned = []  # (claim, low, high, sources, the stack level of each dot)
        for c in g["claims"]:
            low, high = _low_high(c)
            sources = max(1, len({m["doc"] for m in c.get("mentions", [])}))
            levels = []
            if high <= low:
                at = round(x(low))
                levels = list(range(stacks[at], stacks[at] + sources))
                stacks[at] += sources
            planned.append((c, low, high, sources, levels))
        ranges = any(not levels for *_, levels in planned)
        height = 14 + 9 * max(stacks.values(), default=1) + (10 if ranges else 0)
        y = y0 + height - 8 - (10 if ranges else 0)  # the strip's base line; ranges go just under it
        label = g["subject"] if len(g["subject"]) <= 16 else g["subject"][:15] + "…"
        parts.append(f'<text class="lane" x="{LEFT - 8}" y="{y + 4}" text-anchor="end">{escape(label)}'
                     f'<title>{escape(g["subject"])} {escape(g.get("period") or "")}</title></text>'
                     f'<line class="grid" x1="{LEFT}" x2="{right}" y1="{y}" y2="{y}"/>')
        for c, low, high, sources, levels in planned:
            corr = escape(c.get("corroboration", "single_source"))
            title = escape(f'{c["value_text"]} ({corr.replace("_", " ")}, {sources} source{"s" * (sources > 1)})')
            if levels:
                inner = "".join(f'<circle class="dot corr-{corr}" cx="{x(low):.1f}" cy="{y - 9 * k:.1f}" r="4"/>'
                                for k in levels)
            else:
                inner = (f'<rect class="range corr-{corr}" x="{x(low):.1f}" y="{y + 6:.1f}" '
                         f'width="{max(x(high) - x(low), 3):.1f}" height="8" rx="4"/>')
            parts.append(f'<a href="{escape(c["url"])}"><title>{title}</title>{inner}</a>')
        parts.append(f'<text class="axis" x="{right + 8}" y="{y + 4}">{escape(_span_text(g))}</text>')
        y0 += height
    parts.append(_legend(y0 + 6, [("dot corr-corroborated", "corroborated"),
                                  ("dot corr-single_source", "single source"),
                                  ("dot corr-conflicting", "conflicting"),
                                  ("range corr-single_source", "a range (low–high)")]))
    return _svg(y0 + LEGEND + 12, f"Claims: figures per subject, {len(strips)} subjects", parts)


def _low_high(claim: dict[str, Any]) -> tuple[float, float]:
    """A claim's value, or the two ends of a range ("$45–50 bn": value and high)."""
    value, high = float(claim["value"]), claim.get("high")
    return (value, float(high)) if isinstance(high, int | float) and high >= value else (value, value)


def _span_text(group: dict[str, Any]) -> str:
    texts = [c["value_text"] for c in group["claims"]]
    return texts[0] if len(set(texts)) == 1 else f"{len(texts)} figures"
