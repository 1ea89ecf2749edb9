"""The commitment tracker: each commitment's status judged from the evidence in the corpus as of a date.

A commitment is ``met`` where a document published after it was made reports it
done (a later meeting of the body, a later figure at or above the target, a
sentence saying it was held or signed), ``missed`` where one reports it failed,
postponed, cancelled or abandoned, and otherwise keeps the baseline the
analysts' rulebook gives: ``pending`` while its due date lies ahead (or, for a
target with no deadline, while it stays open), ``unknown`` after. Where later
reports both confirm and deny, the newest one decides.

Every judgment names what it rests on: ``evidence`` holds the mentions used and
``attributes["judgment"]`` says it in one sentence. ``attributes`` also carries
``overdue``, ``as_of``, ``progress`` (targets) and ``cadence`` (recurring).

The tracker is pure: ``judge`` returns a new corpus and never reads the store,
so the rebuild, the dashboard and the export show the same judgment.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property, lru_cache

import numpy as np

from pactwatch.countries import find_countries
from pactwatch.digests import source_digest
from pactwatch.documents import document_title
from pactwatch.models import Actor, Claim, Commitment, Corpus, Document, Event, Mention, WordKeys, add_days
from pactwatch.text import fold

# Keys of ``Commitment.attributes`` the tracker owns (rewritten on every judgment).
OWN_KEYS = ("judgment", "overdue", "as_of", "progress", "cadence")

_WORD = re.compile(r"[a-z][a-z'-]+")
# Sentence ends: a stop followed by space and a capital/quote/digit, or a blank line.
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(A-Z0-9])|\n\s*\n")

# A later report that the pledge failed: "postponed", "called off", "failed to".
FAILED = re.compile(
    r"\b(?:postpon\w*|cancell?\w*|called off|calling off|call off|fail(?:ed|s)? to|abandon\w*|delay(?:ed|s)\b"
    r"|suspend\w*|suspension|scrapp\w*|shelved|collapsed|fell through|fell short|put on hold|halted|stalled"
    r"|broke down|pulled out of|withdr[ae]w from|reneged|backtracked)", re.I)
# A later report that it was done, in the past or perfect tense.
DONE = re.compile(
    r"\b(?:(?:was|were|has been|have been|had been) (?:\w+ly )?(?:held|established|set up|formed|signed|completed"
    r"|delivered|handed over|repatriated|returned|released|inaugurated|launched|opened|convened|ratified|concluded"
    r"|implemented|finali[sz]ed|achieved|reached|carried out|expelled|appointed|restored|reopened|lifted)"
    r"|held (?:its|their) (?:first|second|third|fourth|fifth|inaugural|maiden|opening|\d+\w*)"
    r"|took place|entered into force|came into (?:force|effect)|took effect|met for the (?:first|second|third)"
    r"|convened (?:its|their|for)|handed over|(?:has|have) (?:met|signed|established|delivered|completed|reached))\b",
    re.I)
# Words of a DONE match that say nothing of what was done; and done-words that keep pledges worded otherwise.
_AUXILIARY_WORDS = ("was", "were", "has", "have", "been", "had", "its", "their", "first", "second", "third", "fourth",
                    "fifth", "for", "the", "into", "came", "took")
_DONE_ALIKE: dict[str, tuple[str, ...]] = {
    "held": ("hold", "meet", "sessi", "conve", "summi", "confe"), "place": ("hold", "meet", "sessi", "summi", "confe"),
    "met": ("meet", "hold", "sessi"), "force": ("force", "effec", "imple", "enter"),
    "effec": ("force", "effec", "imple", "enter"), "hand": ("deliv", "trans", "retur", "hand"),
    "set": ("estab", "creat", "form", "set"), "form": ("estab", "creat", "form", "set"),
    "estab": ("estab", "creat", "form", "set"), "open": ("open", "launc", "inaug"), "reope": ("reope", "open"),
}
# Words that make a sentence a plan, a hope or a projection rather than a report of what happened.
FUTURE = re.compile(
    r"\b(?:will|would|shall|could|might|plans?|planned|planning|aims?|aiming|expects?|expected|intends?|hopes?"
    r"|set to|to be|targets?|targeted|goal|projected|forecast|pledged|promised|vowed|committed to|agreed to"
    r"|is due|are due|next|upcoming|scheduled)\b", re.I)
IMMEDIATE = re.compile(r"\b(?:immediately|at once|with immediate effect|forthwith|without delay)\b", re.I)
# Pledges an agreement can keep: to sign one. Otherwise an agreement is a new promise, not a kept one.
SIGNING_STEMS = frozenset({"sign", "ink", "concl", "ratif"})
NEGATED = re.compile(r"\b(?:not|never|no|denied|deny|denies|dismissed|rejected reports|rumou?rs?)\b|n't\b", re.I)

# Words too common in pledges to tell one from another.
_STOP_WORDS = """
a about above after again against agreed agree agrees all also an and any are as at be been before being between
both but by can committed commit commits could country countries did do does during each either for from further
had has have he her his how i if in into is it its itself may might more most must new next no nor not now of on
once only or other our out over own pledged pledge pledges promised promise same shall she should side sides so
some billion million trillion percent cent usd dollar dollars crore lakh such than that the their them then
there these they this those through to two under until up upon very vowed was we were what when where which
while who whom why will with within would year years yet bilateral mutual mutually respective various ways way
enhance enhancing strengthen strengthening boost ensure ensuring increase increasing work together including
raise raising reach reaching double doubling level levels
"""
STOP = frozenset(_STOP_WORDS.split())
# Meeting words: they tell a meeting pledge apart but do not tell one meeting from another.
MEETING = ("meet", "meeting", "met", "hold", "held", "session", "regular", "regularly", "annual", "annually", "talks",
           "round", "convene", "consult", "consultation", "dialogue", "time", "times", "per", "every")
# Titles: two ministers meeting say little about which pledge they kept.
TITLES = ("minister", "ministers", "ministry", "ministries", "foreign", "president", "prime", "secretary", "official",
          "officials", "leader", "leaders", "government", "delegation", "chief", "head", "heads", "interior", "state")
POSITIVE_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
# Where a clause ends inside a sentence; and where a statement's first figure starts.
_CLAUSE = re.compile(r"\s*(?:[,;:—–(]|\s-\s|\bwhile\b|\bwhereas\b|\bwith\b|\bbut\b)\s*", re.I)
_FIGURE = re.compile(r"(?:[$€£¥₹]|\b(?:USD|EUR|Rs|PKR|INR)\b\.?\s*)?\d", re.I)
# Words that say how a measure is counted rather than what is measured.
MEASURE_WORDS = 4
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ions", "ion", "ies", "ied", "ed", "es", "s")


def stem(word: str) -> str:
    """A crude stem, enough to match 'repatriate' with 'repatriated' and 'session' with 'sessions'."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:5]


@lru_cache(maxsize=1 << 16)
def _key_stems(text: str) -> frozenset[str]:
    for match in reversed(find_countries(text)):
        text = text[: match.start] + " " + text[match.end:]
    return frozenset(stem(w.strip("'-")) for w in _WORD.findall(fold(text).replace(" s ", " "))
                     if w not in STOP and len(w) > 2)


def key_stems(text: str | None) -> set[str]:
    """The content words of a text as stems, without country names (the parties are checked apart)."""
    return set(_key_stems(text)) if text else set()


MEETING_STEMS = frozenset(map(stem, MEETING))
_AUXILIARY = frozenset(map(stem, _AUXILIARY_WORDS))
MEASURE_STEMS = frozenset(map(stem, ("volume", "value", "total", "overall", "annual", "worth", "figure", "amount",
                                     "between", "current", "currently")))
TITLE_STEMS = frozenset(map(stem, TITLES))


def needed_matches(keys: set[str]) -> int:
    """How many of a pledge's key stems a sentence must share to be about it: two, more for long pledges."""
    return min(len(keys), max(2, round(len(keys) * 0.34)))


@dataclass(frozen=True)
class Sentence:
    doc: Document
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.doc.text[self.start:self.end]

    def mention(self) -> Mention:
        return Mention(self.doc.id, self.start, self.end, self.text)


@dataclass(frozen=True)
class Finding:
    """One piece of evidence and what it says: 'met' or 'missed', as of a day."""

    verdict: str
    day: date
    mentions: tuple[Mention, ...]
    text: str
    weight: int = 1  # a record (event, claim) outweighs a sentence read on its own on the same day


def split_sentences(document: Document) -> list[Sentence]:
    out, start, text = [], 0, document.text
    for match in [*_SENT_END.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        stripped = chunk.strip()
        if stripped:
            out.append(Sentence(document, start + lead, start + lead + len(stripped)))
        if match:
            start = match.end()
    return out


def published_day(document: Document | None) -> date | None:
    return document.published.start if document and document.published else None


@lru_cache(maxsize=1)
def key_rules() -> str:
    """A digest of what finding a document's word keys reads: this module's sentences, words and stems, and the
    countries and text helpers with their data."""
    return source_digest(("track.py", "countries.py", "text.py", "data/*"))


def word_keys(document: Document) -> WordKeys:
    """The countries a document names and each of its sentences' key stems: what ``Evidence`` reads of its words."""
    return WordKeys(frozenset(m.code for m in find_countries(document.text)),
                    tuple((s.start, s.end, " ".join(sorted(_key_stems(s.text)))) for s in split_sentences(document)),
                    key_rules())


def kept_word_keys(document: Document) -> WordKeys | None:
    """The word keys a document carries, where the current rules found them."""
    keys = document.word_keys
    return keys if keys is not None and keys.rules == key_rules() else None


@dataclass
class Evidence:
    """What the corpus holds, as of a date: dated documents, their sentences, events and claims."""

    corpus: Corpus
    as_of: date
    documents: dict[str, Document] = field(init=False)
    _sentences: dict[str, list[Sentence]] = field(init=False, default_factory=dict, repr=False)
    _claims_of: dict[tuple[str, frozenset[str]], list[Claim]] = field(init=False, default_factory=dict, repr=False)
    _scopes: dict[str, list[tuple[Claim, set[frozenset[str]]]]] = field(init=False, default_factory=dict, repr=False)
    _postings: dict[str, np.ndarray] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # Only what had been published by ``as_of`` can be evidence.
        self.documents = {d.id: d for d in self.corpus.documents
                          if d.published is not None and d.published.start <= self.as_of}

    def sentences(self, doc_id: str) -> list[Sentence]:
        """A document's sentences (none where it is not evidence), built when first asked for: of most documents
        judging reads the key stems alone."""
        if doc_id not in self._sentences:
            d = self.documents.get(doc_id)
            self._sentences[doc_id] = [] if d is None else \
                [Sentence(d, start, end) for start, end, _ in self.keys[doc_id].sentences]
        return self._sentences[doc_id]

    @cached_property
    def keys(self) -> dict[str, WordKeys]:
        """Each document's word keys: as the store keeps them (a rebuild fills them in), else found here."""
        return {doc_id: kept_word_keys(d) or word_keys(d) for doc_id, d in self.documents.items()}

    @cached_property
    def indexed(self) -> list[tuple[str, int]]:
        """The sentences (document, position) a pledge may be spoken of in: only a document naming every party
        of a pledge can speak of it (``about``), so the others need no index."""
        parties = {frozenset(c.parties) for c in self.corpus.commitments}
        # A pledge's parties are looked for through the countries a document names: of a document naming three,
        # only the few pledges of those three are tried.
        by_country: dict[str, list[frozenset[str]]] = {}
        for p in parties:
            for country in p:
                by_country.setdefault(country, []).append(p)

        def named(countries: frozenset[str]) -> bool:
            return frozenset() in parties or any(p <= countries for c in countries for p in by_country.get(c, ()))

        return [(doc_id, n) for doc_id in self.documents if named(self.countries[doc_id])
                for n in range(len(self.keys[doc_id].sentences))]

    def indexed_sentence(self, i: int) -> Sentence:
        doc_id, n = self.indexed[i]
        return self.sentences(doc_id)[n]

    @cached_property
    def stem_index(self) -> dict[str, list[int]]:
        """Key stem -> the sentences holding it (``indexed``), so a pledge reads only the sentences that might be
        about it; only the stems some pledge looks for (``sought_stems``) are indexed. A sentence's stems are kept
        sorted and unique (``word_keys``)."""
        sought = {k for pledge in self.pledges.values() for k in sought_stems(pledge)}
        index: dict[str, list[int]] = {}
        for i, (doc_id, n) in enumerate(self.indexed):
            for k in sought.intersection(self.keys[doc_id].sentences[n][2].split()):
                index.setdefault(k, []).append(i)
        return index

    @cached_property
    def pledges(self) -> dict[str, Pledge]:
        """Each commitment's pledge (``make_pledge``) by commitment id, made once: the stem index reads them all,
        and judging each commitment its own."""
        return {c.id: make_pledge(c, self) for c in self.corpus.commitments}

    def pledge(self, c: Commitment) -> Pledge:
        kept = self.pledges.get(c.id)
        return kept if kept is not None and kept.commitment is c else make_pledge(c, self)

    def postings(self, stem: str) -> np.ndarray:
        """The sentences holding a stem (``stem_index``), as an array: a pledge's candidates are counted over its
        stems' sentences at once (a common stem is in thousands)."""
        if stem not in self._postings:
            self._postings[stem] = np.array(self.stem_index.get(stem, ()), dtype=np.intp)
        return self._postings[stem]

    @cached_property
    def countries(self) -> dict[str, frozenset[str]]:
        return {doc_id: keys.countries for doc_id, keys in self.keys.items()}

    @cached_property
    def actors(self) -> dict[str, Actor]:
        return {a.id: a for a in self.corpus.actors}

    @cached_property
    def claims_by_unit(self) -> dict[str, list[Claim]]:
        """The claims reported by ``as_of`` of each unit (as ``_unit`` folds it), in corpus order: a target reads
        only its own unit's, and only what had been reported can show progress."""
        out: dict[str, list[Claim]] = {}
        for claim in self.corpus.claims:
            if any(m.doc in self.documents for m in claim.mentions):
                out.setdefault(_unit(claim.unit), []).append(claim)
        return out

    def claims_of(self, unit: str, parties: frozenset[str]) -> list[Claim]:
        """The claims of a unit (``claims_by_unit``) about every one of ``parties``: by their own countries or those
        of an article giving them ("Turkish exports" in an article about another partner of Türkiye is not)."""
        key = (unit, parties)
        if key not in self._claims_of:  # pledges of one pair and measure read the same figures
            if unit not in self._scopes:  # each claim's own countries, and those of each article giving it
                self._scopes[unit] = [(c, {frozenset(c.countries)} | {self.countries.get(m.doc, frozenset())
                                                                      for m in c.mentions})
                                      for c in self.claims_by_unit.get(unit, [])]
            self._claims_of[key] = [c for c, scopes in self._scopes[unit] if any(parties <= s for s in scopes)]
        return self._claims_of[key]

    @cached_property
    def pledge_spans(self) -> dict[str, list[tuple[int, int]]]:
        """Where commitments are stated: restating a pledge is not evidence about it."""
        spans: dict[str, list[tuple[int, int]]] = {}
        for c in self.corpus.commitments:
            for m in c.mentions:
                spans.setdefault(m.doc, []).append((m.start, m.end))
        return spans

    @cached_property
    def event_days(self) -> dict[str, date | None]:
        """Each event's day (``event_day``), worked out once: every pledge reads every event's."""
        return {e.id: event_day(e, self) for e in self.corpus.events}

    def first_reported(self, mentions: Iterable[Mention]) -> date | None:
        days = [d for m in mentions if (d := published_day(self.documents.get(m.doc))) is not None]
        return min(days) if days else None

    def is_pledge(self, sentence: Sentence) -> bool:
        return any(s < sentence.end and sentence.start < e for s, e in self.pledge_spans.get(sentence.doc.id, ()))

    def clause_of(self, mention: Mention) -> str:
        """The clause around a figure: "while trade surpassed $1.4 billion", not the goal in the same sentence."""
        for s in self.sentences(mention.doc):
            if s.start <= mention.start < s.end:
                before = _CLAUSE.split(s.doc.text[s.start:mention.start])[-1]
                after = _CLAUSE.split(s.doc.text[mention.end:s.end])[0]
                return before + mention.quote + after
        return mention.quote

    def sentence_of(self, mention: Mention) -> str:
        for s in self.sentences(mention.doc):
            if s.start <= mention.start < s.end:
                return s.text
        return mention.quote


# --- one commitment ---------------------------------------------------------------------------------------


@dataclass
class Pledge:
    """A commitment with what the tracker needs to read evidence for it."""

    commitment: Commitment
    made: date | None  # evidence must come after this day
    keys: set[str]
    bodies: set[str]  # actor ids of standing bodies it names
    body_names: list[str]

    @cached_property  # read for every event and claim the pledge is checked against
    def parties(self) -> frozenset[str]:
        return frozenset(self.commitment.parties)

    @cached_property
    def measure(self) -> set[str]:
        """``pledge_measure``, worked out once: every claim of the target's unit is checked against it."""
        return pledge_measure(self.commitment)


def make_pledge(c: Commitment, ev: Evidence) -> Pledge:
    reported = ev.first_reported(c.mentions)
    made = c.made_on.end if c.made_on else reported
    if made and reported and reported < made:  # a made_on wider than a day: the first report bounds it
        made = reported
    bodies = {a for a in c.actors if (actor := ev.actors.get(a)) and actor.kind == "body"}
    names = [fold(n) for a in bodies for n in [ev.actors[a].name, *ev.actors[a].aliases] if n]
    keys = key_stems(c.statement) | key_stems(c.subject)
    return Pledge(c, made, keys, bodies, names)


def own_parties(parties: AbstractSet[str], named: Iterable[str]) -> bool:
    """Whether countries named together stay on a pledge's parties: all of them, or none but them.

    "Ghana and Nigeria postponed ..." is no evidence about a Chile-Peru pledge, nor "the Pakistan-Türkiye
    group met" about a pledge of Türkiye and a third state; naming no country at all leaves the question open.
    """
    named = set(named)
    return not parties or parties <= named or named <= parties


def about(pledge: Pledge, text: str, doc_id: str, ev: Evidence) -> bool:
    """Whether a sentence speaks of this pledge: enough of its key words, or its body, in a document of its parties.

    The document must name every party and the sentence no other pair: the evidence is about the pledge's own states.
    """
    if pledge.parties and not pledge.parties <= ev.countries.get(doc_id, frozenset()):
        return False
    if not own_parties(pledge.parties, (m.code for m in find_countries(text))):
        return False
    folded = fold(text)
    if any(name and name in folded for name in pledge.body_names):
        return True
    return len(key_stems(text) & pledge.keys) >= needed_matches(pledge.keys) > 0


def later_sentences(pledge: Pledge, ev: Evidence) -> Iterable[Sentence]:
    """Sentences of later documents about the pledge, found through the stem index (not by reading every one)."""
    if pledge.made is None:
        return
    for i in sorted(_candidates(pledge, ev)):
        s = ev.indexed_sentence(i)
        day = published_day(s.doc)
        if day is not None and day > pledge.made and not ev.is_pledge(s) and about(pledge, s.text, s.doc.id, ev):
            yield s


def _candidates(pledge: Pledge, ev: Evidence) -> set[int]:
    """Sentences that hold enough of the pledge's key stems, or every stem of one of its bodies' names."""
    found = [ev.postings(key) for key in pledge.keys]
    need = needed_matches(pledge.keys)
    hits = np.bincount(np.concatenate(found)) if any(len(f) for f in found) else np.zeros(0, dtype=np.intp)
    out: set[int] = set(np.flatnonzero(hits >= need).tolist()) if need > 0 else set()
    for stems in _body_stems(pledge):
        out |= set.intersection(*(set(ev.stem_index.get(k, ())) for k in stems))
    return out


def _body_stems(pledge: Pledge) -> list[set[str]]:
    return [stems for name in pledge.body_names if (stems := key_stems(name))]


def sought_stems(pledge: Pledge) -> set[str]:
    """The stems ``_candidates`` looks up for a pledge."""
    return pledge.keys.union(*_body_stems(pledge))


def sentence_findings(pledge: Pledge, ev: Evidence) -> list[Finding]:
    """Later sentences that report the pledge failed or done."""
    out: list[Finding] = []
    # One meeting does not keep a cadence, and "trade has reached $1.4 bn" does not reach a target: claims judge those.
    done_counts = pledge.commitment.kind == "action"
    for s in later_sentences(pledge, ev):
        text, day = s.text, published_day(s.doc)
        assert day is not None
        if FAILED.search(text) and not NEGATED.search(text):
            out.append(Finding("missed", day, (s.mention(),), f'a later report says "{clip(text)}"'))
        elif (done_counts and (done := DONE.search(text)) and done_keeps(done.group(0), pledge)
              and not FUTURE.search(text) and not NEGATED.search(text)):
            out.append(Finding("met", day, (s.mention(),), f'a later report says "{clip(text)}"'))
    return out


def done_keeps(words: str, pledge: Pledge) -> bool:
    """Whether what a report says was done is what was pledged: "were repatriated" keeps "repatriate"."""
    done = {stem(w) for w in _WORD.findall(fold(words))} - _AUXILIARY
    done |= {alike for d in done for alike in _DONE_ALIKE.get(d, ())}
    return bool(done & pledge.keys)


def clip(text: str, limit: int = 160) -> str:
    """One line of at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def event_day(event: Event, ev: Evidence) -> date | None:
    """When an event can be taken to have happened: its date, else the day it was first reported."""
    if event.date is not None:
        return event.date.start
    return ev.first_reported(event.mentions)


@dataclass(frozen=True)
class Match:
    day: date
    event: Event
    later: tuple[Mention, ...]  # where documents published after the pledge report it


def later_mentions(pledge: Pledge, mentions: list[Mention], ev: Evidence) -> tuple[Mention, ...]:
    """Mentions in documents published after the pledge, outside the sentences that state it."""
    own = pledge.commitment.mentions
    return tuple(m for m in mentions
                 if (day := published_day(ev.documents.get(m.doc))) is not None and pledge.made is not None
                 and day > pledge.made and not any(o.doc == m.doc and o.start < m.end and m.start < o.end for o in own))


def matching_events(pledge: Pledge, ev: Evidence, meetings_only: bool) -> list[Match]:
    """Events after the pledge, reported later by ``as_of``, of its body or its parties and about the same thing."""
    if pledge.made is None:
        return []
    out = []
    for event in ev.corpus.events:
        if (meetings_only and event.type != "CONSULT") or event.type not in POSITIVE_TYPES:
            continue
        day = ev.event_days[event.id]
        if day is None or day <= pledge.made or day > ev.as_of or event.id == pledge.commitment.event:
            continue
        if not own_parties(pledge.parties, event.countries):  # _event_about's first test, the cheapest, first
            continue
        later = later_mentions(pledge, event.mentions, ev)
        if not later:  # the occasion the pledge was made at, or a report no later than it
            continue
        if not _event_about(pledge, event, ev, meetings_only):
            continue
        if not meetings_only and not _reports_done(pledge, event, ev):
            continue
        out.append(Match(day, event, later))
    return sorted(out, key=lambda m: (m.day, m.event.id))


def _event_about(pledge: Pledge, event: Event, ev: Evidence, meetings_only: bool) -> bool:
    """A pledge naming a body is kept only by that body; otherwise the event must share the pledge's business."""
    if not own_parties(pledge.parties, event.countries):
        return False  # another pair's event, even one of a body both pairs share a name with
    if pledge.parties and not pledge.bodies and not pledge.parties <= set(event.countries):
        return False
    words = " ".join([event.summary, event.mode or "", *(m.quote for m in event.mentions),
                      *(ev.sentence_of(m) for m in event.mentions[:3])])
    if pledge.bodies:
        return bool(pledge.bodies & set(event.actors)) or any(n and n in fold(words) for n in pledge.body_names)
    business = pledge.keys - TITLE_STEMS - (MEETING_STEMS if meetings_only else frozenset())
    return len(key_stems(words) & business) >= needed_matches(business) > 0


def _reports_done(pledge: Pledge, event: Event, ev: Evidence) -> bool:
    """An event keeps a non-meeting pledge only where it reports an act, not another plan or a signing alone."""
    if event.type == "AGREE" and not pledge.keys & SIGNING_STEMS:
        return False
    sentences = [ev.sentence_of(m) for m in event.mentions if m.doc in ev.documents]
    return not sentences or not all(FUTURE.search(s) for s in sentences)


def is_meeting_pledge(pledge: Pledge) -> bool:
    return bool(pledge.keys & MEETING_STEMS) or bool(pledge.bodies)


def event_findings(pledge: Pledge, ev: Evidence) -> list[Finding]:
    """Met by a later event: the body held its session, the agreement was signed."""
    c = pledge.commitment
    if c.kind != "action":  # a cadence is counted, a target measured by claims
        return []
    meetings = is_meeting_pledge(pledge)
    out = []
    for match in matching_events(pledge, ev, meetings_only=meetings):
        day, event = match.day, match.event
        if c.due and day > c.due.end:
            continue  # done after the deadline: not evidence it was met as pledged
        what = event.summary or f"a {event.type} event"
        out.append(Finding("met", max(day, ev.first_reported(event.mentions) or day), match.later[:1],
                           f"{_lower_first(what.rstrip('.'))} on {event.date or day}", weight=2))
    return out


def _lower_first(text: str) -> str:
    """'The working group met' -> 'the working group met'; names keep their capital."""
    first = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if first in ("The", "A", "An", "Its", "Their") else text


# --- targets ----------------------------------------------------------------------------------------------


@lru_cache(maxsize=1024)  # a handful of units, folded for every claim a target is checked against
def _unit(value: str | None) -> str:
    return fold(value).replace(" ", "")


def claim_matches(pledge: Pledge, claim: Claim) -> bool:
    target = pledge.commitment.target
    if target is None or _unit(claim.unit) != _unit(target.unit):
        return False
    if pledge.parties and claim.countries and not (set(claim.countries) & pledge.parties
                                                   and own_parties(pledge.parties, claim.countries)):
        return False
    measure = pledge.measure
    claimed = key_stems(claim.subject) - MEASURE_STEMS
    # Every word of the figure's subject must belong to the pledge's measure: "trade in defence tech" is not trade.
    return bool(claimed) and claimed <= measure


def pledge_measure(c: Commitment) -> set[str]:
    """What a target measures: its subject, else the few words before the first figure of its statement."""
    if c.subject:
        return key_stems(c.subject) - MEASURE_STEMS
    figure = _FIGURE.search(c.statement)
    head = c.statement[: figure.start()] if figure else c.statement
    words = [w for w in _WORD.findall(fold(head)) if w not in STOP and len(w) > 2][-MEASURE_WORDS:]
    return key_stems(" ".join(words)) - MEASURE_STEMS


def _inside(m: Mention, spans: list[Mention]) -> bool:
    return any(s.doc == m.doc and s.start <= m.start and m.end <= s.end for s in spans)


def claim_day(claim: Claim, ev: Evidence) -> tuple[date, date] | None:
    """(the day the figure is about, the day it was first reported), or None if not reported by ``as_of``."""
    reported = ev.first_reported(claim.mentions)
    if reported is None:
        return None
    about_day = claim.period.end if claim.period else reported
    return min(about_day, reported), reported


def progress_claims(pledge: Pledge, ev: Evidence) -> list[tuple[date, date, Claim]]:
    """Claims of the pledge's measure that report a fact, oldest first."""
    out = []
    target = pledge.commitment.target
    for claim in ev.claims_of(_unit(target.unit), frozenset(pledge.parties)) if target else []:
        if not claim_matches(pledge, claim) or (days := claim_day(claim, ev)) is None:
            continue
        if claim.period and claim.period.start > ev.as_of:
            continue  # a figure about the future is a projection, not progress
        if target and claim.value == target.value and any(_inside(m, pledge.commitment.mentions)
                                                          for m in claim.mentions):
            continue  # the target restated in the pledge itself
        clauses = [ev.clause_of(m) for m in claim.mentions if m.doc in ev.documents]
        if clauses and all(FUTURE.search(c) for c in clauses):
            continue  # "aiming to reach a $5 billion trade target" is the goal, not the state of things
        out.append((*days, claim))
    return sorted(out, key=lambda t: (t[0], t[1], t[2].id))


def target_progress(pledge: Pledge, ev: Evidence) -> tuple[dict[str, object] | None, list[Finding]]:
    """Progress from the newest matching claim; met where a later one reaches the target."""
    target = pledge.commitment.target
    claims = progress_claims(pledge, ev)
    if target is None or not claims:
        return None, []
    about_day, _, newest = claims[-1]
    progress: dict[str, object] = {
        "value": newest.value, "target": target.value, "unit": target.unit,
        "ratio": round(newest.value / target.value, 4) if target.value else None,
        "claim": newest.id, "as_of": about_day.isoformat()}
    findings = [Finding("met", reported, tuple(c.mentions[:1]),
                        f"{c.subject} reached {format_value(c.value, c.unit)} against a target of "
                        f"{format_value(target.value, target.unit)}", weight=2)
                for _, reported, c in claims
                if pledge.made and reported > pledge.made and target.value and c.value >= target.value]
    return progress, findings


def format_value(value: float, unit: str | None = None, high: float | None = None, counted: str | None = None) -> str:
    """How a reader says a figure: 1.4e9 USD -> '$1.4 bn'; 85 percent -> '85%'; 45e9-50e9 USD -> '$45–50 bn';
    a count names what it counts or nothing: 2 ships -> '2 ships', never '2 count'."""
    unit = unit or ""
    if unit.lower() in ("percent", "%"):
        return f"{value:g}–{high:g}%" if high is not None else f"{value:g}%"
    size, word = next(((s, w) for s, w in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")) if abs(high or value) >= s), (1, ""))
    numbers = [_number(v / size) if word else _plain(v) for v in (value, high) if v is not None]
    number = "–".join(numbers) + (f" {word}" if word else "")
    if unit.upper() == "USD":
        return f"${number}"
    if unit == "count":
        unit = counted or ""
    return f"{number} {unit}".strip()


def claim_value(c: Claim) -> str:
    """'$45–50 bn', '2 ships', '85%': a claim's figure as an article would say it."""
    return format_value(c.value, c.unit, c.high, c.attributes.get("counted"))


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _plain(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


# --- recurring --------------------------------------------------------------------------------------------


def cadence_count(pledge: Pledge, ev: Evidence) -> tuple[dict[str, object] | None, list[Mention]]:
    """Matching meetings counted per year since the pledge against its cadence."""
    c = pledge.commitment
    if c.cadence is None or not c.cadence.per_year or pledge.made is None or pledge.made >= ev.as_of:
        return None, []
    held = [(m.day, m) for m in matching_events(pledge, ev, meetings_only=True)]
    periods, start = [], add_days(pledge.made, 1)
    while start <= ev.as_of:
        end = add_days(_add_year(start), -1)
        window_end = min(end, ev.as_of)
        share = ((window_end - start).days + 1) / ((end - start).days + 1)
        count = sum(1 for day, _ in held if start <= day <= window_end)
        periods.append({"start": start.isoformat(), "end": end.isoformat(), "complete": end <= ev.as_of,
                        "expected": math.floor(c.cadence.per_year * share + 1e-9), "held": count})
        if end == date.max:
            break
        start = add_days(end, 1)
    expected = sum(int(p["expected"]) for p in periods)  # type: ignore[call-overload]
    cadence: dict[str, object] = {
        "per_year": c.cadence.per_year, "expected": expected, "held": len(held), "behind": len(held) < expected,
        "period": {"start": add_days(pledge.made, 1).isoformat(), "end": ev.as_of.isoformat()},
        "periods": periods}
    return cadence, [m.later[0] for _, m in held]


def _add_year(day: date) -> date:
    if day.year == date.max.year:
        return date.max
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


# --- the judgment -----------------------------------------------------------------------------------------


def baseline(c: Commitment, as_of: date) -> str:
    """The rulebook's status with no evidence: pending while due ahead (or an open target), else unknown."""
    if c.due is not None:
        return "pending" if c.due.end >= as_of else "unknown"
    # An open target stays pending; one to be met "immediately" was due the day it was made.
    open_target = c.kind == "target" and c.target is not None and not IMMEDIATE.search(c.statement)
    return "pending" if open_target else "unknown"


def judge_commitment(c: Commitment, ev: Evidence) -> Commitment:
    pledge = ev.pledge(c)
    findings = sentence_findings(pledge, ev) + event_findings(pledge, ev)
    progress, reached = target_progress(pledge, ev) if c.kind == "target" else (None, [])
    findings += reached
    cadence, held = cadence_count(pledge, ev) if c.kind == "recurring" else (None, [])

    attributes = {k: v for k, v in c.attributes.items() if k not in OWN_KEYS}
    attributes["as_of"] = ev.as_of.isoformat()
    if progress:
        attributes["progress"] = progress
    if cadence:
        attributes["cadence"] = cadence

    deciding = _deciding(findings)
    if deciding:
        status = deciding.verdict
        # The deciding report first, then the others that say the same and are not older than a contrary one.
        contrary = max((f.day for f in findings if f.verdict != status), default=date.min)
        agreeing = sorted((f for f in findings if f.verdict == status and f.day >= contrary and f is not deciding),
                          key=lambda f: (f.day, f.weight), reverse=True)
        evidence = [m for f in [deciding, *agreeing] for m in f.mentions]
        judgment = f"{status.capitalize()}: {deciding.text} ({_cite(deciding.mentions, ev)})."
    else:
        status = baseline(c, ev.as_of)
        evidence = []
        judgment = _no_evidence_judgment(c, status, ev.as_of)
    overdue = deciding is None and c.due is not None and c.due.end < ev.as_of
    attributes["overdue"] = overdue
    extra = _progress_sentence(progress, c, ev) + _cadence_sentence(cadence)
    evidence += _progress_mentions(progress, ev) + held
    attributes["judgment"] = judgment + extra
    return replace(c, status=status, evidence=_unique(evidence), attributes=attributes)


def _deciding(findings: list[Finding]) -> Finding | None:
    """The newest report decides; on the same day a failure outweighs a success (the conservative reading)."""
    if not findings:
        return None
    return max(findings, key=lambda f: (f.day, f.verdict == "missed", f.weight))


def _cite(mentions: Iterable[Mention], ev: Evidence) -> str:
    labels = [document_label(doc) for m in mentions if (doc := ev.documents.get(m.doc))]
    return "; ".join(dict.fromkeys(labels)) or "no document"


def document_label(doc: Document) -> str:
    """How a reader knows an article: '"Title", Outlet, 2025-05-14', never its hash."""
    title = f"“{clip(doc.title, 80)}”" if doc.title else None
    where = [x for x in (title, doc.outlet, str(doc.published) if doc.published else None) if x]
    return ", ".join(where) or document_title(doc)


def _no_evidence_judgment(c: Commitment, status: str, as_of: date) -> str:
    if c.due is not None and status == "pending":
        return f"Pending: due {c.due}, not yet passed on {as_of}; no later report bears on it."
    if c.due is not None:
        return f"Unknown: due {c.due} passed by {as_of} with no report either way (overdue)."
    if status == "pending":
        return f"Pending: an open target with no deadline; no report by {as_of} says it was reached or dropped."
    return f"Unknown: no due date and no later report by {as_of} bears on it."


def _progress_sentence(progress: dict[str, object] | None, c: Commitment, ev: Evidence) -> str:
    if not progress or c.target is None:
        return ""
    ratio = progress.get("ratio")
    share = f" ({float(ratio):.0%})" if isinstance(ratio, float | int) else ""
    return (f" Progress: {format_value(float(progress['value']), c.target.unit)} of "  # type: ignore[arg-type]
            f"{format_value(c.target.value, c.target.unit)}{share} as of {progress['as_of']}.")


def _cadence_sentence(cadence: dict[str, object] | None) -> str:
    if not cadence:
        return ""
    state = "behind" if cadence["behind"] else "on track"
    return (f" Cadence: {cadence['held']} of {cadence['expected']} expected meetings held "
            f"since {cadence['period']['start']} ({state}).")  # type: ignore[index]


def _progress_mentions(progress: dict[str, object] | None, ev: Evidence) -> list[Mention]:
    if not progress:
        return []
    claim = next((c for c in ev.corpus.claims if c.id == progress["claim"]), None)
    return list(claim.mentions[:1]) if claim else []


def _unique(mentions: list[Mention]) -> list[Mention]:
    return list(dict.fromkeys(mentions))


def newest_date(corpus: Corpus) -> date | None:
    """The day the corpus speaks for: its newest document's (the last day that date can mean)."""
    return max((d.published.end for d in corpus.documents if d.published), default=None)


def judge(corpus: Corpus, as_of: date | None = None) -> Corpus:
    """The corpus with every commitment's status, evidence and judgment as of ``as_of`` (default: newest document)."""
    as_of = as_of or newest_date(corpus) or date.today()
    ev = Evidence(corpus, as_of)
    return replace(corpus, commitments=[judge_commitment(c, ev) for c in corpus.commitments])


def progress_text(c: Commitment) -> str:
    """'$1.4 bn / $5 bn (28%)' for a target, '3/4 meetings (behind)' for a cadence, else ''."""
    progress, cadence = c.attributes.get("progress"), c.attributes.get("cadence")
    if progress and c.target:
        ratio = progress.get("ratio")
        share = f" ({float(ratio):.0%})" if isinstance(ratio, int | float) else ""
        unit = c.target.unit
        return f"{format_value(float(progress['value']), unit)} / {format_value(c.target.value, unit)}{share}"
    if cadence:
        return f"{cadence['held']}/{cadence['expected']} meetings" + (" (behind)" if cadence.get("behind") else "")
    return ""
