"""Documents: identity, language, title, outlet, and the publication date from metadata or text.

The language is py3langid's (its model ships in the package): English unless the
identifier is sure of another, so short, mixed and ambiguous texts stay English.

The date comes from the metadata when there is one (``published_source`` "given"),
else from where a page prints its own date (``"text"``): a labelled stamp
("Published in Dawn, November 7th, 2025", "Updated: 12 March 2024", "date 2024-02-23"),
a byline or a line that holds only a date near the top, or a dateline that opens the
body ("NAIROBI, March 3, 2024 (AFP) -"); last, a dated photo caption near the top
("... in Nairobi on May 16, 2024. PHOTO | POOL"), which shows the page was published
that day or within the week after it. Dates inside the story are never taken, nor
dates without a year, nor relative stamps ("5 hours ago"): the rest is inferred later
from other articles.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import unquote, urlsplit

from pactwatch.models import DateRange, Document
from pactwatch.sources import RawDocument, normalise_newlines, valid_unicode

HEADER_LINES = 6  # non-empty lines before the body where pages print their date, title and section
FOOTER_LINES = 5  # non-empty lines at the end where they print "Published in ..." and "Source: ..."
MAX_META_LINE = 160  # a longer line is a paragraph, not a stamp
MAX_TITLE_WORDS = 25
MIN_TITLE_WORDS = 4  # "Other", "News", "New Delhi, India" are labels and places, not headlines
EMPTY_DATE_VALUES = frozenset({"", "unknown", "none", "null", "n/a"})
ENGLISH = "en"  # the one language records are drawn from
LANGUAGE_SAMPLE_CHARS = 3000  # enough to tell a language; identifying a whole report would only cost time
MIN_LANGUAGE_CONFIDENCE = 0.9  # below this (short, mixed or ambiguous text) a text is taken to be English
# ... and English must be all but ruled out: names and titles pull English news towards English-based
# pidgins and creoles, which still leave English a fair chance; another language leaves it next to none.
MAX_ENGLISH_CHANCE = 0.001
MIN_LANGUAGE_LETTERS = 40  # about a headline's worth; fewer letters tell no language apart
# Words that make up about a quarter of English prose and are rare in other languages' text: a sample where they
# are this common is plainly English, and the identifier, whose model takes a second to load, is not asked.
ENGLISH_MARKERS = frozenset({"the", "of", "and", "to", "that", "is", "was", "for", "with", "by", "from", "his", "has",
                             "have", "said", "this", "which", "are", "were", "been", "will", "their"})
MIN_ENGLISH_MARKERS = 0.12

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
          r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_DATE = re.compile(
    rf"(?<![\w/.-])(?:"
    rf"(?P<iy>{_YEAR})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})(?:[T ]\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?"
    rf"(?:Z|[+-]\d{{2}}:?\d{{2}})?)?"
    rf"|(?P<sy>{_YEAR})/(?P<sm>\d{{1,2}})/(?P<sd>\d{{1,2}})"
    rf"|{_WEEKDAY}(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}),?\s+(?P<y1>{_YEAR})"
    rf"|{_WEEKDAY}(?:the\s+)?(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH}),?\s+(?P<y2>{_YEAR})"
    rf"|(?P<n1>\d{{1,2}})(?P<sep>[/.-])(?P<n2>\d{{1,2}})(?P=sep)(?P<ny>{_YEAR})"
    rf"|(?P<m3>{_MONTH}),?\s+(?P<y3>{_YEAR})"
    rf")(?![\w/-])",
    re.IGNORECASE,
)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?\s?m\b\.?)?|\b\d{1,2}\s*[ap]\.?m\b\.?", re.I)
_WORD = re.compile(r"[^\W\d_]+")
# "Published in Dawn, <date>", "Updated: <date>", "date <date>", "First published on <date>"
_LABEL_CORE = (
    r"(?P<label>(?:(?:last|first|originally)\s+)?(?:published|updated|posted|modified|dated?))\b"
    r"(?:\s+in\s+(?P<outlet>[^,|\n]{1,60}?)\s*[,|]|\s+by\s+[^,|\n]{1,60}?\s*[,|]|\s+(?:on|at)\b|\s*[:\-–—])?"
)
_LABEL = re.compile(r"^[^\w]*" + _LABEL_CORE, re.I)
# Labels inside a meta line: "By Jane Doe Last Updated: <date>".
_INNER_LABEL = re.compile(_LABEL_CORE, re.I)
_LABEL_WORD = re.compile(r"\b(?:last|first|originally|published|updated|posted|modified|dated?)\b", re.I)
_LATER_LABELS = ("updated", "modified")
_META_WORDS = frozenset({
    "published", "updated", "posted", "modified", "last", "first", "date", "dated", "on", "at", "by", "and",
    "in", "read", "min", "mins", "minute", "minutes", "reading", "time",
})
# "NAIROBI, March 3, 2024 (AFP) -": a place, the date with its year, an agency, then a dash or colon.
_COMMA = re.compile(r",\s*")
MAX_PLACE_CHARS = 50
_DATELINE_TAIL = re.compile(r"\s*(?:\([^()\n]{1,40}\)|/[^/\n]{1,40}/)?\s*(?:[-–—:]|$)")
_BYLINE = re.compile(r"^\W*(?:(?i:written|reported|edited)\s+)?(?i:by)\s*:?\s*[A-Z]")  # a name follows
_SOURCE_LINE = re.compile(r"^\W*source\s*:\s*(?P<outlet>.+?)\s*$", re.I)
_FOLLOW = re.compile(r"^\W*(?i:follow)\s+(?P<outlet>(?:[A-Z0-9][\w&.'’-]*\s+){1,4}?)on\b")
_FIRST_APPEARED = re.compile(
    r"\b(?:article|story)\s+(?:was\s+)?(?:first|originally)\s+(?:appeared|published)\s+(?:in|on|by)\s+"
    r"(?P<outlet>(?:the\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,4})"
)
_OUTLET_SPLIT = re.compile(r"\s+(?:and|with|&)\s+|\s*[,/|;]\s*|\s+[-–—]\s+", re.I)
_GENERIC_OUTLETS = frozenset({
    "agencies", "agency", "news agencies", "wires", "wire", "news desk", "web desk", "webdesk", "staff",
    "staff reporter", "our correspondent", "news", "us", "online desk", "desk",
})
_BULLET = re.compile(r"^\s*[•·*\-–—>]+\s*")
_UI_TEXT = re.compile(r"^\W*(?:share|subscribe|sign in|log in|advertisement|advertisment|read more|listen|watch)\b",
                      re.I)
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+|^\s*[*_]{2}|[*_]{2}\s*$")


class DocumentError(ValueError):
    """A raw document that cannot become a document (empty text, a bad date)."""


def document_id(text: str) -> str:
    """Documents are identified by their (line-ending-normalised) text: a re-ingest changes nothing."""
    return hashlib.sha256(normalise_newlines(text).encode("utf-8")).hexdigest()[:16]


def build_document(raw: RawDocument, published: str | None = None, outlet: str | None = None) -> Document:
    """A document from a raw one; ``published``/``outlet`` (the CLI's options) win over the metadata."""
    text = normalise_newlines(raw.text)
    if not text.strip():
        raise DocumentError("empty text")
    lines = _Lines.of(text)
    given = published if published is not None else raw.published
    pub = parse_given_date(given) if given is not None else None
    pub_source = "given" if pub else None
    if pub is None:
        pub = date_from_text(lines)
        pub_source = "text" if pub else None
    return Document(id=document_id(text), text=text, source=raw.source,
                    title=_given_title(raw) or title_from_text(lines),
                    outlet=valid_unicode(outlet or raw.outlet or "").strip() or outlet_from_text(lines),
                    url=raw.url, published=pub, published_source=pub_source, language=language(text))


def language(text: str) -> str:
    """The ISO 639 code of ``text``'s language: English unless the identifier is sure of another.

    Only a page plainly in another language (a Turkish or Urdu paper) is set aside; a short or
    mixed text stays English, the language the pipeline reads.
    """
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < MIN_LANGUAGE_LETTERS:
        return ENGLISH
    words = sample.lower().split()
    if sum(w in ENGLISH_MARKERS for w in words) >= MIN_ENGLISH_MARKERS * len(words):
        return ENGLISH
    ranked = _identifier().rank(sample)
    code, confidence = ranked[0]
    english = next((p for c, p in ranked if c == ENGLISH), 0.0)
    return str(code) if confidence >= MIN_LANGUAGE_CONFIDENCE and english < MAX_ENGLISH_CHANCE else ENGLISH


def language_name(code: str) -> str:
    """"Turkish (tr)" for "tr": the language's English name where ISO 639 knows the code."""
    import pycountry

    found = pycountry.languages.get(alpha_2=code) or pycountry.languages.get(alpha_3=code)
    return f"{found.name} ({code})" if found else code


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # slow to load: only on the first document

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


# ---------- dates ----------

def parse_given_date(value: str) -> DateRange | None:
    """A metadata date: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, start..end, an ISO timestamp or "12 March 2024"."""
    text = value.strip()
    if text.lower() in EMPTY_DATE_VALUES:
        return None
    try:
        if re.fullmatch(r"\d{4}", text):
            return DateRange.year(int(text))
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            return DateRange.month(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})-?Q([1-4])", text, re.I):
            return DateRange.quarter(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})", text):  # a range, as we print one
            return DateRange(date.fromisoformat(m[1]), date.fromisoformat(m[2]), "day")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return DateRange.day(date.fromisoformat(text))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].+", text):
            # The date as the publisher wrote it: converting time zones would move late-evening stamps.
            return DateRange.day(datetime.fromisoformat(text.replace("z", "Z")).date())
    except ValueError:
        pass
    else:
        m = _DATE.fullmatch(text)
        rng = _range(m) if m else None
        if rng:
            return rng
    raise DocumentError(f"bad publication date {value!r}: expected YYYY, YYYY-MM, YYYY-MM-DD or an ISO timestamp")


def parse_date(text: str) -> DateRange | None:
    """A whole string that is one absolute date with its year ("Nov. 7th, 2025", "2024-03-12", "March 2024")."""
    m = _DATE.fullmatch(text.strip())
    return _range(m) if m else None


def _range(m: re.Match[str]) -> DateRange | None:
    try:
        if m["iy"]:
            return DateRange.day(date(int(m["iy"]), int(m["im"]), int(m["id"])))
        if m["sy"]:
            return DateRange.day(date(int(m["sy"]), int(m["sm"]), int(m["sd"])))
        if m["m1"]:
            return DateRange.day(date(int(m["y1"]), _month(m["m1"]), int(re.sub(r"\D", "", m["d1"]))))
        if m["m2"]:
            return DateRange.day(date(int(m["y2"]), _month(m["m2"]), int(re.sub(r"\D", "", m["d2"]))))
        if m["n1"]:
            return _numeric(int(m["n1"]), int(m["n2"]), int(m["ny"]), m["sep"])
        return DateRange.month(int(m["y3"]), _month(m["m3"]))
    except ValueError:  # 31 February and the like
        return None


def _month(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _numeric(a: int, b: int, year: int, sep: str) -> DateRange | None:
    """5/22/2023 is month first, 22/5/2023 and 22.05.2023 day first; 05/06/2023 is ambiguous: no guess."""
    if sep == "." or a > 12:
        return DateRange.day(date(year, b, a))
    if b > 12 or a == b:
        return DateRange.day(date(year, a, b))
    return None


@dataclass(frozen=True)
class _Lines:
    """The non-empty lines of a text, stripped, with the header and footer ones apart."""

    lines: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> _Lines:
        return cls(tuple(s for s in (line.strip() for line in text.split("\n")) if s))

    @property
    def header(self) -> tuple[str, ...]:
        return self.lines[:HEADER_LINES]

    @property
    def footer(self) -> tuple[str, ...]:
        return self.lines[max(HEADER_LINES, len(self.lines) - FOOTER_LINES):]


def date_from_text(lines: _Lines | str) -> DateRange | None:
    """The publication date a page prints in its header or footer, or None; never a date inside the story."""
    if isinstance(lines, str):
        lines = _Lines.of(normalise_newlines(lines))
    best: tuple[int, DateRange] | None = None
    for position, line in enumerate(lines.header + lines.footer):
        found = _line_date(line, in_header=position < len(lines.header))
        if found and (best is None or found[0] < best[0]):
            best = found
    return best[1] if best else None


def _line_date(line: str, in_header: bool) -> tuple[int, DateRange] | None:
    """(rank, date) for a stamp line: 0 a published stamp, 1 a byline, date line or dateline, 2 an update,
    3 a photo caption."""
    if in_header and (caption := _caption_date(line)):
        return 3, caption
    if len(line) > MAX_META_LINE:
        return _dateline(line) if in_header else None
    if _LABEL.match(line) or _BYLINE.match(line):
        for word in _LABEL_WORD.finditer(line):  # each label in turn: one may swallow the next ("by ...")
            if not (label := _INNER_LABEL.match(line, word.start())):
                continue
            m = _DATE.search(line, label.end())
            if m and not line[label.end():m.start()].strip(" ,:;|-–—") and (rng := _range(m)):
                return (2 if label["label"].lower().endswith(_LATER_LABELS) else 0), rng
        if not _BYLINE.match(line):
            return None
    m = _DATE.search(line)
    if m is None or m["m3"]:  # "March 2024" alone is a month only when a label says it is a stamp
        return None
    rng = _range(m)
    if rng is None:
        return None
    if _BYLINE.match(line) or _only_date(line, m):
        return 1, rng
    return _dateline(line) if in_header else None


CAPTION_DAYS = 6  # a photo of the day's event runs with the story that day or within the week after


@lru_cache(maxsize=1)
def _credit() -> re.Pattern[str]:
    """A photo credit word (the "credit" rows of data/furniture.tsv: "PHOTO", "Pool", "Getty Images")."""
    rows = resources.files("pactwatch").joinpath("data/furniture.tsv").read_text(encoding="utf-8").splitlines()
    words = [row.split("\t", 1)[1].strip() for row in rows if row.startswith("credit\t")]
    return re.compile(r"\W{0,4}(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)


def _caption_date(line: str) -> DateRange | None:
    """A caption whose last sentence ends with a full date, then the photo's credit: "Ruto meets Museveni in
    Nairobi on May 16, 2024. PHOTO | POOL" -> that day and the six after it."""
    for m in _DATE.finditer(line):
        if not m["m3"] and _credit().match(line, m.end()) and (rng := _range(m)) and rng.precision == "day":
            return DateRange(rng.start, rng.start + timedelta(days=CAPTION_DAYS), "day")
    return None


def _only_date(line: str, m: re.Match[str]) -> bool:
    """A line that is a date with at most a few meta words beside it ("Monday 3 March 2024 | 10:15 IST")."""
    rest = _TIME.sub(" ", line[:m.start()] + " " + line[m.end():])
    words = _WORD.findall(rest)
    return len(words) <= 4 and all(w[0].isupper() or w.lower() in _META_WORDS for w in words)


def _dateline(line: str) -> tuple[int, DateRange] | None:
    """A body that opens with its date: "NAIROBI, March 3, 2024 (AFP) -", "SAO PAULO, Brazil, 3 March 2024:"."""
    starts = [0] + [m.end() for m in _COMMA.finditer(line, 0, MAX_PLACE_CHARS)]
    for start in starts:
        place = line[:start].rstrip(" ,")
        if start and not (len(place.split()) <= 5 and all(w[0].isupper() for w in _WORD.findall(place))):
            break  # a lowercase word: this is a sentence, not a place
        d = _DATE.match(line, start)
        if d and not d["m3"] and _DATELINE_TAIL.match(line, d.end()):
            rng = _range(d)
            return (1, rng) if rng else None
    return None


# ---------- title and outlet ----------

def title_from_text(lines: _Lines | str) -> str | None:
    """The first header line that reads as a headline, past section labels, date stamps and page furniture."""
    if isinstance(lines, str):
        lines = _Lines.of(normalise_newlines(lines))
    for line in lines.header:
        line = _MARKDOWN_HEADING.sub("", line).strip()
        if not _is_label_or_stamp(line) and _is_headline(line):
            return line
    return None


def _given_title(raw: RawDocument) -> str | None:
    """The title metadata gives, unless it is only a piece of the page's address ("amp", "index.php")."""
    title = " ".join((raw.title or "").split())
    if not title:
        return None
    address = unquote(f"{raw.url or ''} {raw.source}").lower()
    if " " not in title and title.lower() in address:
        return None
    return title


def document_title(doc: Document) -> str:
    """What to call a document for a reader: its title, else its outlet (or site) and date; never a path piece."""
    if doc.title:
        return doc.title
    site = doc.outlet or (urlsplit(doc.url).hostname if doc.url and web_link(doc.url) else None)
    when = str(doc.published) if doc.published else None
    if site:
        return f"{site}, {when}" if when else site
    return f"Untitled article, {when}" if when else "Untitled article"


def _is_label_or_stamp(line: str) -> bool:
    return len(line.split()) <= 2 or _line_date(line, in_header=False) is not None or bool(_LABEL.match(line))


def _is_headline(line: str) -> bool:
    words = line.split()
    short_ok = len(words) >= MIN_TITLE_WORDS or (
        len(words) == MIN_TITLE_WORDS - 1 and any(w[0].islower() or w[0].isdigit() for w in words[1:]))
    return (short_ok and len(words) <= MAX_TITLE_WORDS and len(line) <= 200
            and (line.endswith("...") or not line.endswith((".", ",", ";", ":")))
            and not line[0].islower() and not _BULLET.match(line) and not _UI_TEXT.match(line)
            and _dateline(line) is None)


def outlet_from_text(lines: _Lines | str) -> str | None:
    """The masthead where the page names itself: "Published in X, <date>", "Source: X", "Follow X on ..."."""
    if isinstance(lines, str):
        lines = _Lines.of(normalise_newlines(lines))
    for line in reversed(lines.footer or lines.lines):
        for pattern in (_LABEL, _SOURCE_LINE, _FOLLOW, _FIRST_APPEARED):
            m = pattern.match(line) if pattern is not _FIRST_APPEARED else pattern.search(line)
            if m and m["outlet"] and (name := _clean_outlet(m["outlet"])):
                return name
    return None


def _clean_outlet(value: str) -> str | None:
    """"TRT World and Agencies" -> "TRT World"; generic credits ("Agencies", "Web Desk") -> None."""
    for part in _OUTLET_SPLIT.split(value.strip().rstrip(".")):
        name = part.strip(" .:'\"’‘“”")
        if not name or name.lower() in _GENERIC_OUTLETS or _DATE.search(name):
            continue
        if len(name.split()) <= 6 and (name[0].isupper() or name[0].isdigit()):
            return name
        return None
    return None


def web_link(url: str | None) -> str | None:
    """``url`` if it is an http(s) address a browser may follow, else None (shown as text, never as a link).

    Feeds and pages hand us any string: ``javascript:``, ``data:``, ``vbscript:``, a leading space or a tab
    or control character inside (browsers drop those, so "java\\tscript:" runs) must never become an href.
    """
    if not url or any(c.isspace() or not c.isprintable() or c in "<>\"'`\\" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[" and other addresses the parser refuses
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None
