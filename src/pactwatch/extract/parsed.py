"""What every extractor receives: one document, parsed once.

Page furniture is found here, once per document, so that every extractor skips
the same lines: navigation, related-story lists and other stories' headlines,
share and font widgets, "Updated:" stamps, bylines and photo credits. The text
is never rewritten: furniture is a list of character spans into it, so every
mention still points at the exact characters it came from. The cue words are
rows of ``data/furniture.tsv``; the shapes (separators, runs of headline lines)
are general.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span

from pactwatch.models import Actor, Document, Mention

if TYPE_CHECKING:
    from pactwatch.dates import DateMatch


@dataclass
class ParsedDocument:
    """A document with its spaCy parse and the facts shared by all extractors.

    ``anchor`` is the date relative expressions are resolved against (the
    publication date's first day, or None while it is unknown). ``dates``
    holds every temporal expression found; ``actors`` is filled by the actor
    extractor before the event, commitment and claim extractors run.
    """

    document: Document
    doc: Doc
    anchor: date | None
    dates: list[DateMatch] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    # Character offset -> local actor id, for every actor mention (filled with actors).
    actor_at: dict[int, str] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)
    # Character spans of page furniture, sorted (see find_furniture).
    furniture: list[tuple[int, int]] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.document.id

    def mention(self, start: int, end: int) -> Mention:
        return Mention(self.document.id, start, end, self.document.text[start:end])

    def span_mention(self, span: Span) -> Mention:
        return self.mention(span.start_char, span.end_char)

    def dates_in(self, start: int, end: int) -> list[DateMatch]:
        return [d for d in self.dates if start <= d.start and d.end <= end]

    def in_furniture(self, start: int, end: int) -> bool:
        """Does the span [start, end) lie inside page furniture (spaces at its edges aside)?"""
        text = self.document.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        k = bisect_right(self.furniture, (start, len(text) + 1)) - 1
        return k >= 0 and self.furniture[k][0] <= start and end <= self.furniture[k][1]

    @property
    def content_sents(self) -> list[Span]:
        """The sentences that can report something: not furniture, not a label, caption or verbless fragment."""
        sents = self.cache.get("content_sents")
        if sents is None:
            sents = [s for s in self.doc.sents if s.text.strip() and not self._furniture_sentence(s)]
            self.cache["content_sents"] = sents
        return sents

    def _furniture_sentence(self, sent: Span) -> bool:
        text = sent.text.strip()
        if self.in_furniture(sent.start_char, sent.end_char) or len(SEPARATORS.findall(text)) >= SEPARATORS_MIN \
                or _title_case_run(sent):
            return True
        if "\n" in text:  # a label the parser glued to the next paragraph: the paragraph is the sentence
            return False
        if _cues().bare_label.match(text):
            return True
        letters = [c for c in text if c.isalpha()]
        if len(letters) > 3 and all(c.isupper() for c in letters):
            return True
        words = [t for t in sent if not t.is_punct and not t.is_space]
        return len(words) <= FRAGMENT_MAX_TOKENS and not any(t.pos_ in ("VERB", "AUX") for t in words)


# ---------------------------------------------------------------- page furniture

FRAGMENT_MAX_TOKENS = 6  # a verbless sentence this short is a label, not a report
# Separators of page furniture: "Headline • 5/22/2023 • 00:00 • 3 comments", "Home | World | Africa".
SEPARATORS = re.compile(r"\s[•·|]\s|•")
SEPARATORS_MIN = 2
# A run of headlines or menu labels: mostly capitalised words ("Inside the Fierce Battle Over ... Texas Runoff").
TITLE_SHARE = 0.6
TITLE_MIN_WORDS = 8
LABEL_MAX_WORDS = 20  # a link label with the headline it links to; a longer line is a paragraph
WIDGET_MAX_WORDS = 15
BYLINE_MAX_WORDS = 8
HEADLINE_MAX_WORDS = 16  # other stories' headlines and menu entries are short
# Words a hard-wrapped line of a paragraph can end with (the sentence goes on in the next line).
WRAP_WORDS = frozenset({"and", "or", "but", "with", "the", "a", "an", "of", "to", "in", "for", "by", "on", "at",
                        "from", "as", "that", "which", "who", "its", "their", "his", "her"})
RUN_MIN_LINES = 3  # one short line is a subheading; three in a row are a list of links
BULLET = re.compile(r"^[\s•·*>\-–—]+")
INNER_SENTENCE = re.compile(r"\w[.!?]\s+[A-Z]")  # a full sentence before a widget keeps its line
SENTENCE_END = re.compile(r"[.!;:…\"”’']\s*$")
# What may follow a label cue: the end of the line or a separator before the linked headline.
LABEL_TAIL = r"(?:\s*$|\s*[:|»>\-–—])"
MONTH_OR_DAY = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s"


@dataclass(frozen=True)
class _Cues:
    label: re.Pattern[str]  # a label: the cue then the end of the line or a separator
    bare_label: re.Pattern[str]  # the cue at the start of a line with no sentence end
    list_head: re.Pattern[str]
    stamp: re.Pattern[str]
    byline: re.Pattern[str]
    widget: re.Pattern[str]
    credit: re.Pattern[str]


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    rows: dict[str, list[str]] = {}
    text = resources.files("pactwatch").joinpath("data/furniture.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#") and "\t" in line:
            kind, cue = line.split("\t", 1)
            rows.setdefault(kind.strip(), []).append(cue.strip().lower())

    def alt(kind: str) -> str:
        cues = sorted(rows.get(kind, []), key=len, reverse=True)
        return "(?:" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues) + ")"

    flags = re.I
    return _Cues(
        label=re.compile(rf"^{alt('label')}\b{LABEL_TAIL}", flags),
        bare_label=re.compile(rf"^{alt('label')}\b", flags),
        list_head=re.compile(rf"^{alt('list')}\s*[:»>]?\s*$", flags),
        stamp=re.compile(rf"^{alt('stamp')}\b\s*(?:on|at)?\s*(?:[:|\-–—]|\d|{MONTH_OR_DAY})", flags),
        byline=re.compile(rf"^(?i:{alt('byline')})\s*:?\s+[A-Z]"),  # a capitalised name follows
        widget=re.compile(rf"(?:^|\W){alt('widget')}", flags),
        credit=re.compile(rf"\([^()\n]{{0,60}}?\b{alt('credit')}\b[^()\n]{{0,60}}?\)|\|\s*{alt('credit')}\s*:[^\n]*",
                          flags),
    )


def _title_case_run(sent: Span) -> bool:
    """Most content words capitalised, and no sentence shape: a list of headlines or links."""
    words = [t for t in sent if t.is_alpha and len(t) > 3 and not t.ent_type_]  # names are capitalised anyway
    if len(words) < TITLE_MIN_WORDS:
        return False
    if sent.root.pos_ in ("VERB", "AUX") and sent.root.text.islower():
        return False  # a lower-case main verb is sentence shape: long titles before a name are capitalised too
    return sum(1 for t in words if t.text[0].isupper()) / len(words) >= TITLE_SHARE


@dataclass
class _Line:
    start: int  # the stripped line's characters in the text
    end: int
    text: str  # without leading bullets


def _lines(text: str) -> list[_Line]:
    out = []
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group()
        if not raw.strip():
            continue
        lead = BULLET.match(raw)
        body = raw[lead.end():] if lead else raw.lstrip()
        start = m.start() + len(raw) - len(raw.lstrip())
        out.append(_Line(start, m.start() + len(raw.rstrip()), body.strip()))
    return out


def _cue_span(line: _Line) -> tuple[int, int] | None:
    """The part of a line that a cue word marks as furniture: the whole line, or a widget after a sentence."""
    cues, text = _cues(), line.text
    words = len(text.split())
    if words <= LABEL_MAX_WORDS and (cues.label.match(text) or (cues.bare_label.match(text)
                                                                 and not SENTENCE_END.search(text))):
        return line.start, line.end
    if cues.stamp.match(text) or (words <= BYLINE_MAX_WORDS and cues.byline.match(text)) \
            or len(SEPARATORS.findall(text)) >= SEPARATORS_MIN:
        return line.start, line.end
    widget = cues.widget.search(text) if words <= WIDGET_MAX_WORDS else None
    if widget is None:
        return None
    inner = list(INNER_SENTENCE.finditer(text[:widget.start()]))
    if inner:  # "... 1,200 nurses, the ministry said. Presidential News Desk": the widget is the last words only
        return line.end - len(text) + inner[-1].end() - 1, line.end
    return line.start, line.end


def _headline_line(lines: list[_Line], i: int) -> bool:
    """A short line with no sentence end that is not part of a hard-wrapped paragraph: a headline or menu entry."""
    text = lines[i].text
    words = text.split()
    if not words or len(words) > HEADLINE_MAX_WORDS or SENTENCE_END.search(text) or text[0].islower():
        return False
    if words[-1].lower() in WRAP_WORDS or text.endswith(","):
        return False  # "... trade between the two countries, with" goes on in the next line
    return i + 1 == len(lines) or not lines[i + 1].text[:1].islower()


def find_furniture(document: Document, doc: Doc) -> list[tuple[int, int]]:
    """Character spans of page furniture: cue lines, lists of other stories, runs of headline lines, credits."""
    text = document.text
    lines = _lines(text)
    cue_spans = [_cue_span(line) for line in lines]
    marked = [span == (line.start, line.end) for line, span in zip(lines, cue_spans, strict=True)]
    # The article's own headline is no other story's: the title, else the first line no cue marks.
    title = (document.title or next((line.text for line, m in zip(lines, marked, strict=True) if not m), "")).strip()
    headline = [_headline_line(lines, i) for i in range(len(lines))]
    # The short headline lines right after a list label ("Related Stories", "Also read") are other stories.
    for i, line in enumerate(lines):
        if _cues().list_head.match(line.text):
            k = i + 1
            while k < len(lines) and (headline[k] or marked[k]):
                marked[k] = True
                k += 1
    # Three or more short headline lines in a row: a menu or a list of other stories' headlines.
    i = 0
    while i < len(lines):
        k = i
        while k < len(lines) and headline[k]:
            k += 1
        if k - i >= RUN_MIN_LINES:
            for j in range(i, k):
                marked[j] = marked[j] or lines[j].text != title
        i = max(k, i + 1)
    spans = [(line.start, line.end) for line, m in zip(lines, marked, strict=True) if m]
    spans += [span for span in cue_spans if span is not None]
    spans += [(m.start(), m.end()) for m in _cues().credit.finditer(text)]
    return _merge_spans(text, spans)


def _merge_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans, and spans with only spaces between them (a block of furniture lines), are one."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and (s <= out[-1][1] or not text[out[-1][1]:s].strip()):
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
