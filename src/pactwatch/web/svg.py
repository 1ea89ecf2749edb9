"""The timeline chart as inline SVG, drawn on the server (no chart library, nothing from a CDN).

One lane per event type, one mark per event spanning its date range, each
linked to its record page. Every text that reaches the SVG is escaped here,
since the result is marked safe for the template.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from pactwatch.models import EVENT_TYPES

WIDTH, LEFT, RIGHT, TOP, LANE, AXIS = 960, 110, 20, 10, 26, 30
# PLOVER's cooperative types come first in EVENT_TYPES; the rest are conflictual.
COOPERATIVE = set(EVENT_TYPES[:8])


def _dates(event: dict[str, Any]) -> tuple[date, date] | None:
    value = event.get("date")
    if not value:
        return None
    return date.fromisoformat(value["start"]), date.fromisoformat(value["end"])


def _ticks(first: date, last: date) -> list[date]:
    """Year starts for long spans, month starts (at most about a dozen) for short ones."""
    if (last - first).days > 3 * 365:
        return [date(y, 1, 1) for y in range(first.year + 1, last.year + 1)]
    months = [date(y, m, 1) for y in range(first.year, last.year + 1) for m in range(1, 13)
              if first < date(y, m, 1) <= last]
    step = max(1, len(months) // 12)
    return months[::step]


def timeline_svg(events: list[dict[str, Any]]) -> str:
    dated = [(e, d) for e in events if (d := _dates(e))]
    if not dated:
        return '<p class="empty">No dated events to draw.</p>'
    first = min(d[0] for _, d in dated)
    last = max(d[1] for _, d in dated)
    span = max((last - first).days, 1)
    lanes = [t for t in EVENT_TYPES if any(e["type"] == t for e, _ in dated)]
    lanes += sorted({e["type"] for e, _ in dated} - set(lanes))
    height = TOP + LANE * len(lanes) + AXIS
    plot = WIDTH - LEFT - RIGHT

    def x(d: date) -> float:
        return LEFT + (d - first).days / span * plot

    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-label="Timeline of {len(dated)} events" xmlns="http://www.w3.org/2000/svg">']
    for i, lane in enumerate(lanes):
        y = TOP + LANE * i
        parts.append(f'<text class="lane" x="{LEFT - 8}" y="{y + LANE / 2 + 4:.1f}" text-anchor="end">'
                     f'{escape(lane)}</text>'
                     f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y + LANE:.1f}" y2="{y + LANE:.1f}"/>')
    axis_y = TOP + LANE * len(lanes)
    for tick in _ticks(first, last):
        label = str(tick.year) if tick.month == 1 and (last - first).days > 3 * 365 else tick.strftime("%Y-%m")
        parts.append(f'<line class="tick" x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{TOP}" y2="{axis_y + 4}"/>'
                     f'<text class="axis" x="{x(tick):.1f}" y="{axis_y + 18}" text-anchor="middle">{label}</text>')
    for event, (start, end) in dated:
        y = TOP + LANE * lanes.index(event["type"]) + 6
        left, right = x(start), max(x(end), x(start) + 8)
        tone = "coop" if event["type"] in COOPERATIVE else "conf"
        parts.append(f'<a href="{escape(event["url"])}"><rect class="mark {tone}" x="{left:.1f}" y="{y}" '
                     f'width="{right - left:.1f}" height="{LANE - 12}" rx="3">'
                     f'<title>{escape(event["label"])} — {escape(event.get("summary") or "")}</title></rect></a>')
    parts.append("</svg>")
    return "".join(parts)
