"""What can matter: a cheap pass that decides which sentences the parser needs to see.

Parsing is most of an ingest's time, and most sentences of a news page cannot yield a record: no
state actor, no trigger, no quantity. Before a text is parsed, each sentence is checked for the words
the extractors act on; a sentence with none of them is blanked out (every character but line breaks
becomes a space) in the copy given to spaCy, so every offset of the parse still points at the stored
text and the document-level steps (dateline, furniture, dates, countries) keep reading the stored text.
The words are the extractors' own data files, so a new row there widens this pass by itself:

- a country, demonym or capital (``data/countries.tsv``), or a city (``data/cities.tsv``);
- a number, in digits or in words (quantities and their claims);
- a title, rank, honorific or body name (``data/actor_words.txt``): people and standing bodies;
- an event trigger in any form (``data/event_lexicon.tsv``) or a demand's "must"; a trigger whose every
  rule needs a word of a set ("end" talks or ties, "war" games) only in a sentence that holds one of them;
- a pledge's word (``data/commitment_words.tsv``) or a future auxiliary ("will", "shall");
- a sport word or a "both sides" cue (``data/context_words.tsv``): the article's context counts them;
- a post's signature ("— Name (@handle)").

The unit is the sentence of a paragraph: paragraphs end at a blank line, and at a line end where the text puts
one paragraph a line (``one_paragraph_a_line``: a web page's text mostly does; a wrapped text's line breaks are
no end); the first one, the title, is always kept (the main pair weighs it). A kept paragraph that ends without
a full stop (a heading, a link list's item, "Keep Reading") is parsed apart from what follows it, and a list's
item from what comes before it: the parser, left to itself, runs them into the next sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pactwatch import nlp
from pactwatch.countries import cities, find_countries
from pactwatch.extract.actors import SIGNATURE, vocab
from pactwatch.extract.commitments import FUTURE_AUX
from pactwatch.extract.event_factuality import DEMAND_MODALS
from pactwatch.extract.events import Rule, lexicon
from pactwatch.quantities import _WORD_NUMBERS, SCALES
from pactwatch.text import alternation

# Where a sentence may end inside a paragraph: after . ! ? (and closing quotes or brackets) before a capital,
# a quote or a digit, unless the word before the stop is one letter ("U.S. officials", "i.e. Russia") or a short
# capitalised abbreviation ("Mr.", "Gen.", "Mrs."): a wrong cut there could blank half of a sentence that matters.
_SENTENCE_END = re.compile(r"(?<!\b\w)(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})(?<!\betc)(?<!\bvs)"
                           r"[.!?][\"'’”)\]]*\s+(?=[\"'‘“(\[A-Z0-9])")
_PARAGRAPH = re.compile(r"\S(?:.|\n(?![^\S\n]*\n))*")  # up to a blank line
_LINE = re.compile(r"\S.*")  # up to a line end
_LINE_START = re.compile(r"\n[^\S\n]*(\S)")
# A text whose lines begin in lower case at most this often puts a paragraph on each line: wrapped lines begin
# mid-sentence, with a lower-case word more often than not; a web page's own lines almost never do.
WRAPPED_SHARE = 0.05
_FULL_STOP = re.compile(r"[.!?][\"'’”)\]]*\s*$")
_BULLET = re.compile(r"[-–—•*·▪►]\s")  # a list's item
# commitment_words.tsv rows that name the pledged act itself: they pledge nothing without a future word or a
# pledge word of another row, which this pass looks for anyway.
_ACT_ROWS = frozenset({"specific_acts", "vague_acts", "light", "support_verbs", "help_verbs", "entry_verbs",
                       "delivery_verbs", "act_nouns", "entry_nouns", "comparison_preps", "regular_words"})


def keep_spans(text: str, lines: bool | None = None) -> list[tuple[int, int]]:
    """The character spans of ``text`` the parser must see: the first sentence and every sentence with a cue.

    Events need a country and pledges two (a state pledging to another), so their words are cues only in a
    text that names as many; figures, people's titles and bodies count in any text.
    """
    countries = find_countries(text)
    named = {m.code for m in countries} | {c for name, c in cities().items() if name in text}
    cues = _cues(min(len(named), 2))
    # Where the cues stand, found in one pass over the whole text; a sentence is kept if one starts in it.
    at = sorted([m.start for m in countries] + cues.positions(text))
    maybe = cues.conditional_positions(text)
    spans: list[tuple[int, int]] = []
    for first, start, end in _sentences(text, one_paragraph_a_line(text) if lines is None else lines):
        k = bisect_left(at, start)
        if first or (k < len(at) and at[k] < end) or _needs_met(text, start, end, maybe):
            spans.append((start, end))
    return spans


def _sentences(text: str, lines: bool) -> Iterator[tuple[bool, int, int]]:
    """The spans of the sentences of each paragraph (each line where ``lines``), each with whether it is the
    text's first."""
    for n, para in enumerate((_LINE if lines else _PARAGRAPH).finditer(text)):
        start = para.start()
        for end in [*(m.end() for m in _SENTENCE_END.finditer(text, para.start(), para.end())), para.end()]:
            yield n == 0 and start == para.start(), start, end
            start = end


def one_paragraph_a_line(text: str) -> bool:
    """Whether ``text`` puts a paragraph on each line, not a paragraph's lines wrapped (``WRAPPED_SHARE``)."""
    starts = [m.group(1) for m in _LINE_START.finditer(text)]
    return sum(c.islower() for c in starts) <= WRAPPED_SHARE * len(starts)


def _needs_met(text: str, start: int, end: int, maybe: list[tuple[int, frozenset[str]]]) -> bool:
    """Whether a conditional trigger starts between ``start`` and ``end`` with a word it needs in the same stretch."""
    k = bisect_left(maybe, (start,))
    if k == len(maybe) or maybe[k][0] >= end:
        return False
    words = {w.lower() for w in _PIECE.findall(text, start, end)}
    return any(not needs.isdisjoint(words) for at, needs in maybe[k:] if at < end)


def parser_parts(text: str, blank: bool = True) -> list[str]:
    """``text`` cut into the parts the parser reads one by one: the runs of sentences that can matter, and
    between them the sentences that cannot, blanked (white space kept, every other character a space).

    The parts join back to ``text`` with the blanked sentences' characters replaced, so every offset holds.
    White space between two kept sentences stays in their run (they are parsed together, as without this
    pass), and the white space a blanked stretch starts with stays with the run before it. Without ``blank``
    every sentence is kept: the text cut only where a paragraph ends without a full stop (``_runs``).
    """
    parts: list[str] = []
    at = 0
    lines = one_paragraph_a_line(text)
    spans = keep_spans(text, lines) if blank else [(s, e) for _, s, e in _sentences(text, lines)]
    for start, end in _runs(text, spans, lines):
        if start > at:
            parts.append(re.sub(r"\S", " ", text[at:start]))
        parts.append(text[start:end])
        at = end
    if at < len(text):
        parts.append(re.sub(r"\S", " ", text[at:]))
    return parts


def parser_text(text: str) -> str:
    """The text the parser sees: ``text`` with the sentences that cannot yield a record blanked."""
    return "".join(parser_parts(text))


def _runs(text: str, spans: list[tuple[int, int]], lines: bool) -> list[tuple[int, int]]:
    """The kept spans, joined across white space, each with the white space that follows it; not across a
    paragraph's end (a line's where ``lines``) after words that end without a full stop or before a list's item."""
    runs: list[tuple[int, int]] = []
    last = 0  # where the last kept span ends, before its white space
    for start, end in spans:
        gap = text[last:start]
        if runs and not gap.strip() and not (gap.count("\n") > (0 if lines else 1) and (
                not _FULL_STOP.search(text, max(0, last - 8), last) or _BULLET.match(text, start))):
            start = runs.pop()[0]
        last = end
        while end < len(text) and text[end].isspace():
            end += 1
        runs.append((start, end))
    return runs


@dataclass(frozen=True)
class _Cues:
    words: frozenset[str]  # single words, in lower case
    phrases: re.Pattern[str]  # cues of several words, and the shapes that are no word (a figure, a signature)
    conditional: dict[str, frozenset[str]]  # a word that is a cue only beside one of these (in lower case)

    def positions(self, text: str) -> list[int]:
        """Where a cue starts in ``text``: one pass of a word pattern and a set look-up, then the phrases."""
        found = [m.start() for m in _WORD.finditer(text) if m.group().lower() in self.words]
        return found + [m.start() for m in self.phrases.finditer(text)]

    def conditional_positions(self, text: str) -> list[tuple[int, frozenset[str]]]:
        """Where a conditional cue starts, with the words one of which must stand in its sentence."""
        if not self.conditional:
            return []
        return [(m.start(), needs) for m in _WORD.finditer(text)
                if (needs := self.conditional.get(m.group().lower())) is not None]


_WORD = re.compile(r"\w+(?:-\w+)*")  # "co-chair" is one word, "government's" is "government" and "s"
_PIECE = re.compile(r"\w+")  # a needed word may stand inside a compound ("war-games")
# The kinds of trigger constraint (data/event_lexicon.tsv) that name the words they need in the trigger's sentence;
# the others (a plural, an infinitive, a party as object ...) need no particular word.
_LEXICAL = frozenset({"obj", "head", "prep", "subj", "cargo", "mod"})


@lru_cache(maxsize=3)
def _cues(countries: int) -> _Cues:
    """The cue words the extractors read in a text naming ``countries`` (0, 1, 2 or more)."""
    v = vocab()
    words: set[str] = set(cities()) | set(_WORD_NUMBERS) | (set(SCALES) - {"k", "m", "b"})
    words |= v.heads | v.ranks | set(v.abbreviations) | set(v.body_heads) | v.body_markers | v.interstate_markers
    words |= _data_words("data/context_words.tsv")
    triggers: dict[str, frozenset[str] | None] = {}
    if countries >= 1:
        triggers = _trigger_forms()
        words |= {form for form, needs in triggers.items() if needs is None} | DEMAND_MODALS
    if countries >= 2:
        words |= _data_words("data/commitment_words.tsv", skip=_ACT_ROWS) | FUTURE_AUX
    low = {w.lower().strip("'’") for w in words}
    # A trigger whose rules all need a word of a set is a cue where one stands in its sentence, unless it is a
    # cue in its own right (a title, a pledge's word) or no single word (then it is a cue in any sentence).
    conditional = {form: needs for form, needs in triggers.items() if needs is not None and form not in low}
    low |= {form for form in conditional if not _WORD.fullmatch(form)}
    single = {w for w in low if _WORD.fullmatch(w)}
    several = alternation(low - single, space=r"\s+")
    return _Cues(frozenset(single), re.compile(rf"\d|{SIGNATURE.pattern}|(?<![\w-])(?:{several})(?![\w-])", re.I),
                 {form: needs for form, needs in conditional.items() if _WORD.fullmatch(form)})


def _data_words(path: str, skip: frozenset[str] = frozenset()) -> set[str]:
    """The cue words of a data file of ``kind<TAB>words`` rows (the last cell's words, or the whole phrase)."""
    out: set[str] = set()
    for line in resources.files("pactwatch").joinpath(path).read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if line.startswith("#") or len(cells) < 2 or cells[0].strip() in skip:
            continue
        phrase = cells[-1].strip().lower()
        out |= {phrase} if path.endswith("context_words.tsv") else set(phrase.split())
    return out - {""}


def _forms(lemma: str) -> set[str]:
    """The regular forms of a verb or noun: agree -> agrees, agreed, agreeing; ban -> banned; rally -> rallies."""
    w = lemma.lower()
    out = {w, w + "s", w + "es", w + "ed", w + "d", w + "ing", w + w[-1] + "ed", w + w[-1] + "ing"}
    if w.endswith("e"):
        out.add(w[:-1] + "ing")
    if w.endswith("y"):
        out |= {w[:-1] + "ies", w[:-1] + "ied"}
    return out


@lru_cache(maxsize=1)
def _trigger_forms() -> dict[str, frozenset[str] | None]:
    """Every form of the lexicon's triggers, with the words one of which its sentence must hold for some rule of
    its lemma to fire (None: any sentence). A rule needs such a word where each of its alternative constraints
    names words the trigger's object, subject, governor, preposition or modifier must be ("end" needs talks,
    ties or aid; "game" needs "war"); a demand ("must") may make any verb a trigger, and "must" is a cue itself."""
    lex = lexicon()
    needs: dict[str, frozenset[str] | None] = {}
    for lemma, rules in (*lex.verbs.items(), *lex.nouns.items()):
        needed = _needed_words(rules)
        for form in all_forms(lemma):
            had = needs.get(form, frozenset())
            needs[form] = None if had is None or needed is None else had | needed
    return needs


def _needed_words(rules: list[Rule]) -> frozenset[str] | None:
    words: set[str] = set()
    for rule in rules:
        if not rule.constraint or any(kind not in _LEXICAL for kind, _ in rule.constraint):
            return None  # this rule may fire whatever the sentence's other words
        words |= {form for _, lemmas in rule.constraint for lemma in lemmas for form in all_forms(lemma)}
    return frozenset(words)


def all_forms(lemma: str) -> set[str]:
    """A word's regular forms and the irregular ones the model's lemmatizer lists for it ("met" for meet)."""
    return _forms(lemma) | _irregular_forms().get(lemma.lower(), set())


@lru_cache(maxsize=1)
def _irregular_forms() -> dict[str, set[str]]:
    """The model lemmatizer's exceptions, by lemma: its forms ("meet": "met"). A scan of the whole table, so done
    once."""
    tables = nlp.load().get_pipe("lemmatizer").lookups.get_table("lemma_exc")  # type: ignore[attr-defined]
    out: dict[str, set[str]] = {}
    for pos in ("verb", "noun"):
        for form, bases in tables.get(pos, {}).items():
            for base in bases:
                out.setdefault(base.lower(), set()).add(form.lower())
    return out
