"""An article's text with every extraction highlighted and linked to its record.

The HTML is built here, slice by slice, escaping every piece of the
article's text, so markup in an article (a ``<script>`` tag, an
``onerror=`` attribute) is shown as text and never runs. Overlapping spans
are cut at every boundary; each piece links to the narrowest record that
covers it, and its title names all of them.
"""

from __future__ import annotations

from html import escape
from itertools import pairwise
from typing import Any

# When two spans are equally narrow, the more specific record wins the link.
PRIORITY = {"claim": 0, "commitment": 1, "event": 2, "actor": 3}


def _valid(span: dict[str, Any], length: int) -> bool:
    return 0 <= span["start"] < span["end"] <= length


def highlight_html(text: str, spans: list[dict[str, Any]]) -> str:
    """``spans``: dicts with kind, id, role, start, end, label, url. Returns escaped HTML."""
    spans = [s for s in spans if _valid(s, len(text))]
    cuts = sorted({0, len(text), *(s["start"] for s in spans), *(s["end"] for s in spans)})
    starts: dict[int, list[dict[str, Any]]] = {}
    for s in spans:
        starts.setdefault(s["start"], []).append(s)
    out: list[str] = []
    anchors: set[str] = set()
    for a, b in pairwise(cuts):
        for s in starts.get(a, []):
            anchor = f"m{s['start']}-{s['end']}"
            if anchor not in anchors:
                anchors.add(anchor)
                out.append(f'<span class="anchor" id="{anchor}"></span>')
        piece = escape(text[a:b])
        covering = [s for s in spans if s["start"] <= a and b <= s["end"]]
        if not covering:
            out.append(piece)
            continue
        best = min(covering, key=lambda s: (s["end"] - s["start"], PRIORITY.get(s["kind"], 9)))
        names = "; ".join(dict.fromkeys(f"{s['kind']}: {s['label']}" for s in covering))
        depth = " nested" if len(covering) > 1 else ""
        out.append(f'<a class="hl hl-{escape(best["kind"])} role-{escape(best["role"])}{depth}" '
                   f'href="{escape(best["url"])}" title="{escape(names)}" '
                   f'data-record="{escape(best["kind"])}:{escape(best["id"])}" data-span="{a}-{b}">{piece}</a>')
    return "".join(out)


def snippet_html(snippet: str, hits: list[list[int]]) -> str:
    """A search snippet with its matched words in <mark>, every slice escaped."""
    out, at = [], 0
    for start, end in hits:
        out.append(escape(snippet[at:start]))
        out.append(f"<mark>{escape(snippet[start:end])}</mark>")
        at = end
    out.append(escape(snippet[at:]))
    return "".join(out)
