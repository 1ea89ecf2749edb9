"""The document context: what every extractor reads of one document, computed once.

Built once per document (``document_context``) before any extractor runs, and
frozen: extractors only read it and return records. It holds

- page furniture (navigation, related-story lists and other stories' headlines,
  share and font widgets, "Updated:" stamps, bylines and photo credits) as
  character spans of the unchanged text, so every mention still points at the
  exact characters it came from, and the content sentences that remain;
- the dateline's place (a byline is a furniture line: nothing, no name and no title, is read from it);
- every country mention, and the article's main pair of countries;
- every quantity (amounts, then counts);
- whether the article is about sport, and the one "both sides" cue.

Each of these has one definition and one threshold here. The cue words are rows
of ``data/furniture.tsv`` and ``data/context_words.tsv``; the shapes
(separators, runs of headline lines) are general.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from pactwatch.countries import CountryMatch, cities, country_code, find_countries, place_country
from pactwatch.extract.events import incidental
from pactwatch.models import Document, Location
from pactwatch.nlp import text_of
from pactwatch.quantities import Quantity, find_amounts, find_counts
from pactwatch.text import alternation


@dataclass(frozen=True)
class DocumentContext:
    """What every extractor shares of one document (see the module docstring)."""

    text: str
    furniture: tuple[tuple[int, int], ...]  # character spans, sorted
    sentences: tuple[Span, ...]  # the sentences that can report something
    dateline: Location | None  # "NAIROBI, March 3 (Reuters) -": where the article was filed
    countries: tuple[CountryMatch, ...]  # every country name, demonym and capital
    pair: tuple[str, ...]  # the article's two main countries (fewer when it names fewer)
    quantities: tuple[Quantity, ...]  # amounts, then counts
    sport: bool  # an article about teams: its country names are teams

    def in_furniture(self, start: int, end: int) -> bool:
        """Does the span [start, end) lie inside page furniture (spaces at its edges aside)?"""
        return _inside(self.furniture, self.text, start, end)

    @staticmethod
    def both_sides(text: str) -> bool:
        """Does ``text`` say it is about the two sides ("both countries", "the two leaders", "jointly")?"""
        return _words().both_sides.search(text) is not None

    @staticmethod
    def pair_nouns() -> frozenset[str]:
        """What "both" or "two" counts when it stands for the article's pair ("sides", "leaders", "ministers")."""
        return _words().pair_nouns

    @staticmethod
    def sport_words(text: str) -> int:
        """How many sport words ``text`` holds."""
        return len(_words().sport.findall(text))

    def countries_in(self, start: int, end: int) -> list[str]:
        """The codes of the countries named in [start, end), in order, each once."""
        out: list[str] = []
        for m in self.countries:
            if start <= m.start < end and m.code not in out:
                out.append(m.code)
        return out


def document_context(document: Document, doc: Doc) -> DocumentContext:
    """The context of one parsed document: everything here is computed once, in this order."""
    text = document.text
    furniture = tuple(find_furniture(document, doc))
    parsed = text_of(doc)  # a sentence's text sliced from it: spaCy joins a span's tokens anew each time
    sentences = tuple(s for s in doc.sents if parsed[s.start_char:s.end_char].strip()
                      and not _furniture_sentence(furniture, text, s))
    countries = tuple(find_countries(text))
    amounts = find_amounts(text)
    counts = find_counts(doc, [(q.start, q.end) for q in amounts])
    return DocumentContext(
        text=text, furniture=furniture, sentences=sentences, dateline=_dateline(text), countries=countries,
        pair=_main_pair(doc, countries), quantities=(*amounts, *counts),
        sport=sum(DocumentContext.sport_words(parsed[s.start_char:s.end_char]) for s in sentences) >= SPORT_MIN)


# ---------------------------------------------------------------- words of data/context_words.tsv

SPORT_MIN = 3  # sport words in the content sentences of an article about a match


@dataclass(frozen=True)
class _Words:
    sport: re.Pattern[str]
    both_sides: re.Pattern[str]
    pair_nouns: frozenset[str]


def _alternation(cues: list[str]) -> str:
    """One regex alternative of the cues, longest first, a space matching any run of spaces."""
    return "(?:" + alternation(cues, space=r"\s+") + ")"


@lru_cache(maxsize=1)
def _words() -> _Words:
    rows: dict[str, list[str]] = {}
    text = resources.files("pactwatch").joinpath("data/context_words.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#") and "\t" in line:
            kind, cue = line.split("\t", 1)
            rows.setdefault(kind.strip(), []).append(cue.strip().lower())
    both = (rf"\b{_alternation(rows['pair_count'])}\s+{_alternation(rows['pair_noun'])}\b|"
            rf"\b{_alternation(rows['pair_phrase'])}\b")
    return _Words(sport=re.compile(rf"\b{_alternation(rows['sport'])}\b", re.I), both_sides=re.compile(both, re.I),
                  pair_nouns=frozenset(rows["pair_noun"]))



# ---------------------------------------------------------------- dateline

DATELINE = re.compile(r"^\s*([A-Z][A-Za-z .'’-]{2,40}?)\s*(?:,\s*[A-Z][A-Za-z .]+)?\s*[:—–]")
DATELINE_CHARS = 200


def _dateline(text: str) -> Location | None:
    m = DATELINE.match(text[:DATELINE_CHARS])
    if m is None:
        return None
    place = m.group(1).strip().title()
    code = place_country(place)
    return Location(place, code) if code else None


# ---------------------------------------------------------------- the main pair

# Weights of a country mention by where it stands: the title says what the article is about, the lead next.
TITLE_WEIGHT, LEAD_WEIGHT, LEAD_CHARS, SUBJECT_WEIGHT = 4, 2, 400, 6
PAIR_WEIGHT, PAIR_JOINED = 2, re.compile(r"[-–—/](?P<two>(?P<one>[A-Z]\w+)(?: [A-Z]\w+)?)")


def _main_pair(doc: Doc, countries: tuple[CountryMatch, ...]) -> tuple[str, ...]:
    """The article's two main countries: names, demonyms and capitals counted, the title and lead weighted."""
    text = text_of(doc)
    title_end = text.find("\n")
    # A first line of several sentences is the lead paragraph, not a title.
    title_end = title_end if 0 < title_end < LEAD_CHARS and not INNER_SENTENCE.search(text, 0, title_end) else 0
    dateline = DATELINE.match(text[:DATELINE_CHARS])
    spans = [(m.start, m.code) for m in countries]
    covered = {m.start for m in countries}
    for ent in doc.ents:  # capitals and cities: "Tehran", "Riyadh"
        if ent.label_ == "GPE" and ent.start_char not in covered:
            code = cities().get(ent.text.removeprefix("the ").strip())
            if code:
                spans.append((ent.start_char, code))
    counts: Counter[str] = Counter()
    scenery: Counter[str] = Counter()
    # "Saudi-Egyptian", "India-Bangladesh": two countries joined by a dash name a pair, whatever they modify.
    for m in countries:
        joined = PAIR_JOINED.match(text, m.end)
        other = joined and (country_code(joined["two"]) or country_code(joined["one"]))  # "Saudi Arabia", "Saudi"
        if other and other != m.code:
            counts[m.code] += PAIR_WEIGHT
            counts[other] += PAIR_WEIGHT
    named = {m.start for m in countries if m.kind == "capital"}  # a capital may name a thing: "Ankara Declaration"
    for start, code in spans:
        span = doc.char_span(start, start + 1, alignment_mode="expand")
        if (dateline and start < dateline.end()) or (span is not None and (  # "ANKARA, Turkey –" sets the scene
                _setting(span[0]) or (start in named and _names_a_thing(span[0])))):
            scenery[code] += 1
            continue
        counts[code] += TITLE_WEIGHT if start < title_end else LEAD_WEIGHT if start < LEAD_CHARS else 1
        if span is not None and span[0].sent.start == 0 and _is_subject(span[0]):
            counts[code] += SUBJECT_WEIGHT  # who the first line is about
    pair = [c for c, _ in counts.most_common(2)]
    # a side named only as a setting or a modifier ("Korean firms", "in Seoul") is still a side of the article
    pair += [c for c, _ in scenery.most_common() if c not in pair][:2 - len(pair)]
    return tuple(pair)


def _names_a_thing(tok: Token) -> bool:
    """A place word inside the name of a thing: "the Ankara Declaration", "the Tehran Times"."""
    return tok.dep_ == "compound" and tok.head.pos_ == "PROPN" and tok.head.ent_type_ not in ("GPE", "PERSON")


def _is_subject(tok: Token) -> bool:
    """A word of the clause's subject: "Saudi Arabia and Iran have agreed", "Japanese PM Kishida met", "the leaders
    of Somalia and Ethiopia have reaffirmed"."""
    for _ in range(6):
        if tok.dep_ in ("nsubj", "nsubjpass"):
            return True
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.dep_ == "prep":
            tok = tok.head  # the subject's of-phrase: on to the noun it belongs to
        elif tok.dep_ not in ("compound", "conj", "amod", "poss", "appos") or tok.head is tok:
            return False
        tok = tok.head
    return False


def _setting(tok: Token) -> bool:
    """A country word that only sets the scene: a place where things happen ("in Beijing", "at the Saudi port")
    or a modifier of a thing ("the Chinese capital")."""
    if tok.dep_ == "compound" and tok.head.ent_type_ == tok.ent_type_:  # "Saudi Arabia" is one name
        tok = tok.head
    return incidental(tok) or (tok.dep_ == "pobj" and tok.head.lower_ in ("in", "at", "near", "from"))


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
        return _alternation(rows.get(kind, []))

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
    label = cues.label.match(text)
    if label is not None and label.group().rstrip().endswith("|"):
        # "ALSO READ | India Withdraws Envoy As Row Gets Uglier The announcement comes ...": a label and the
        # Title Case headline it links to, run into the article's next sentence on one line
        return line.start, line.start + label.end() + _headline_length(text[label.end():])
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


# Short words a Title Case headline leaves in lower case.
_HEADLINE_SMALL = frozenset({"a", "an", "the", "to", "of", "in", "on", "at", "for", "and", "or", "as", "by", "with",
                             "vs", "from", "over", "into", "after"})
_HEADLINE_MIN_WORDS = 3


def _headline_length(text: str) -> int:
    """The length of the Title Case headline ``text`` opens with, up to the word that starts the sentence run on
    after it ("... Gets Uglier The announcement comes": up to "Uglier"); 0 where no headline of three words or
    more opens it."""
    words = list(re.finditer(r"\S+", text))
    for n, w in enumerate(words):
        if not (w.group()[:1].isupper() or w.group()[:1].isdigit() or w.group().lower() in _HEADLINE_SMALL):
            end = n - 1  # the capitalised word before the first lower-case one opens the next sentence
            return words[end - 1].end() if end >= _HEADLINE_MIN_WORDS else 0
    return len(text) if len(words) >= _HEADLINE_MIN_WORDS else 0


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


def _inside(furniture: tuple[tuple[int, int], ...], text: str, start: int, end: int) -> bool:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    k = bisect_right(furniture, (start, len(text) + 1)) - 1
    return k >= 0 and furniture[k][0] <= start and end <= furniture[k][1]


def _furniture_sentence(furniture: tuple[tuple[int, int], ...], text: str, sent: Span) -> bool:
    """A sentence that reports nothing: inside furniture, a list of links, a label, caption or verbless fragment."""
    stripped = text_of(sent.doc)[sent.start_char:sent.end_char].strip()
    if _inside(furniture, text, sent.start_char, sent.end_char) or len(SEPARATORS.findall(stripped)) >= SEPARATORS_MIN \
            or _title_case_run(sent):
        return True
    if "\n" in stripped:  # a label the parser glued to the next paragraph: the paragraph is the sentence
        return False
    if _cues().bare_label.match(stripped):
        return True
    letters = [c for c in stripped if c.isalpha()]
    if len(letters) > 3 and all(c.isupper() for c in letters):
        return True
    words = [t for t in sent if not t.is_punct and not t.is_space]
    return len(words) <= FRAGMENT_MAX_TOKENS and not any(t.pos_ in ("VERB", "AUX") for t in words)
