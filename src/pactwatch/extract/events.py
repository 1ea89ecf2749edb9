"""PLOVER events in one document, read from the dependency parse.

A trigger is a verb or event noun from ``data/event_lexicon.tsv`` (written
from the PLOVER/CAMEO ontology) whose context constraint holds. A trigger
counts only when the clause it sits in reports something that happened:
negated, hypothetical, modal, merely planned ("is expected to hold") and
future actions are skipped. Each sentence yields at most one event per type;
the countries come from the clause (or the sentence, or the article's main
pair when the sentence says "the two sides"), people's countries from the
actor extractor, the date from the date grammar, else a window up to the
publication day. Episodes across sentences and articles are merged later
(``resolve.episodes``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from pactwatch.countries import CAPITAL, place_country
from pactwatch.dates import DateMatch, find_dates
from pactwatch.extract.event_factuality import (
    FACT,
    REPORTING,
    clause_verb,
    demanded,
    factuality,
    governor,
    intent_type,
    noun_blocked,
    objects,
)
from pactwatch.extract.parsed import ParsedDocument
from pactwatch.models import DateRange, Event, Location, Mention, add_days
from pactwatch.text import squash_spaces

if TYPE_CHECKING:
    from pactwatch.extract.context import DocumentContext

# Days before publication a reported, undated event is taken to fall in.
DEFAULT_WINDOW_DAYS = 6
MAX_SUMMARY = 300

ORDINAL = re.compile(r"^(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                     r"eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|"
                     r"nineteenth|twentieth)$", re.I)
ORDINAL_WORDS = {w: i for i, w in enumerate((
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
    "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
    "twentieth"), 1)}
EARLIER_WORDS = frozenset({"last", "previous", "prior"})
PERSONAL_POSSESSIVES = frozenset({"his", "her", "their"})
SESSION_NOUNS = {"session", "meeting", "round", "summit", "edition", "dialogue", "consultation", "meet"}
SPAN_WORDS = {"years", "decades", "months", "decade", "year", "ever", "history"}
RECENT = re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening|week)|yesterday|on (?:monday|tuesday|"
                    r"wednesday|thursday|friday|saturday|sunday)|(?:late|early) (?:monday|tuesday|wednesday|thursday|"
                    r"friday|saturday|sunday))\b", re.I)
# Vague background time: no date to give the event.
BACKGROUND = re.compile(r"\b(?:in the past(?! (?:week|month|day|few days|\d+ (?:days|weeks|hours)))|"
                        r"for (?:years|decades|a long time|long)|over the (?:years|decades)|"
                        r"historically|traditionally|long-standing|time and again|has long|have long)\b", re.I)
HERE = re.compile(r"\bhere\b", re.I)

TOPIC_WORDS: dict[str, str] = {
    "counterterrorism": r"counter-?terror\w*|terroris\w+|militan\w+|extremis\w+",
    "counter_narcotics": r"narcotic\w*|drugs?\b|drug smuggling|anti-narcotics",
    "human_trafficking": r"human trafficking|trafficking|smuggling of (?:people|migrants)",
    "migration": r"migra\w+|immigra\w+|refugees?|asylum|channel crossings|deport\w*",
    "border_security": r"border",
    "cybercrime": r"cyber\w*",
    "maritime": r"maritime|coast guard|naval|navy|sea\b|shoal|vessels?|ships?\b|boats?\b",
    "policing": r"police|policing|law enforcement",
    "intelligence": r"intelligence",
    "disaster_management": r"disaster|earthquake|flood\w*|typhoon|cyclone|humanitarian relief|relief",
    "defence": r"defen[cs]e|military|armed forces|army|troops|weapons?|missiles?",
    "defence_industry": r"defen[cs]e industr\w*|arms (?:imports|exports|supplier)|joint production|procurement",
    "trade": r"\btrade\b|tariffs?|exports?|imports?|free trade|commerce|commercial",
    "investment": r"invest\w*",
    "energy": r"energy|oil\b|gas\b|lng|electricity|power plant|nuclear power|renewable",
    "technology": r"technolog\w*|\bIT\b|artificial intelligence|\bAI\b|fintech|digital|semiconductor",
    "agriculture": r"agricultur\w*|food security|farm\w*|grain|wheat|rice\b",
    "health": r"health|medical|medicines?|vaccin\w*|hospital",
    "education": r"educat\w*|universit\w*|scholarships?|students?",
    "culture": r"cultur\w*|heritage|antiquities",
    "tourism": r"touris\w*",
    "media": r"\bmedia\b|journalis\w+|broadcast\w*",
    "diplomacy": r"diplomat\w*|ambassador|envoy|embassy|foreign minist\w+|foreign office|bilateral ties|relations",
    "regional_security": r"regional (?:security|stability|peace)|peace talks|ceasefire|conflict|war\b|security",
    "justice": r"justice|judicial|court|extradit\w*|prisoners?|legal",
}
TOPICS = {t: re.compile(rf"(?:{p})", re.I) for t, p in TOPIC_WORDS.items()}


@dataclass(frozen=True)
class Rule:
    type: str
    mode: str | None
    constraint: tuple[tuple[str, frozenset[str]], ...]  # alternatives; empty = none needed


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, list[Rule]]
    nouns: dict[str, list[Rule]]
    sets: dict[str, frozenset[str]]  # the named word sets, for the rules and for role checks


def _constraint(text: str, sets: dict[str, frozenset[str]]) -> tuple[tuple[str, frozenset[str]], ...]:
    out = []
    for alt in filter(None, (a.strip() for a in text.split("|"))):
        kind, _, value = alt.partition(":")
        words = sets.get(value) if value in sets else frozenset(value.split())
        out.append((kind, words or frozenset()))
    return tuple(out)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The trigger table: lemma -> rules, read once."""
    text = resources.files("pactwatch").joinpath("data/event_lexicon.tsv").read_text(encoding="utf-8")
    sets: dict[str, frozenset[str]] = {}
    verbs: dict[str, list[Rule]] = {}
    nouns: dict[str, list[Rule]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = [*line.split("\t"), "", "", "", ""]
        if cells[0] == "set":
            sets[cells[1]] = frozenset(cells[2].split())
            continue
        rule = Rule(cells[2], cells[3] or None, _constraint(cells[4], sets))
        (verbs if cells[0] == "V" else nouns).setdefault(cells[1], []).append(rule)
    return Lexicon(verbs, nouns, sets)


def _word_set(name: str) -> frozenset[str]:
    """A named word set of the lexicon ("group", "party", "non_state", ...)."""
    return lexicon().sets.get(name, frozenset())


# ---------- triggers ----------

def _lemma(tok: Token) -> str:
    if tok.text.lower().startswith("co-") and tok.lemma_.lower() in {"chair", "chaired"}:
        return "co-chair"
    return tok.lemma_.lower()


_objects = objects
_governor = governor


def _subjects(tok: Token) -> list[Token]:
    """The subject of a verb (the first verb's, for coordinated verbs), and its conjuncts."""
    v = tok
    while True:
        subs = [c for c in v.children if c.dep_ in ("nsubj", "agent")]
        subs = [g for c in subs for g in (c.children if c.dep_ == "agent" else (c,)) if g.dep_ != "punct"]
        if subs or v.dep_ != "conj" or v.head is v:
            break
        v = v.head
    return subs + [g for s in subs for g in s.conjuncts]


def _holds(rule: Rule, tok: Token, is_noun: bool) -> bool:
    if not rule.constraint:
        return True
    for kind, words in rule.constraint:
        if kind == "obj" and any(o.lemma_.lower() in words or o.text.lower() in words for o in _objects(tok)):
            return True
        if kind == "head":
            gov = _governor(tok)
            if gov is not None and _lemma(gov) in words:
                return True
        if kind == "prep" and any(c.dep_ in ("prep", "prt", "agent") and c.lower_ in words for c in tok.children):
            return True
        if kind == "plural" and tok.tag_ in ("NNS", "NNPS"):
            return True
        if kind == "intrans" and _intransitive(tok):
            return True
        if kind == "xcomp" and _has_infinitive(tok):
            return True
        if kind == "dobj" and any(c.dep_ in ("dobj", "nsubjpass") for c in tok.children):
            return True
        if kind == "party" and all(_names_party(c) for c in tok.children if c.dep_ == "dobj"):
            return True
        if kind == "who" and any(o.ent_type_ == "PERSON" and o.dep_ in ("dobj", "nsubjpass") for o in _objects(tok)):
            return True
        if kind == "subj" and any(s.lemma_.lower() in words or s.lower_ in words for s in _subjects(tok)):
            return True
        if kind == "cargo" and any((s.lemma_.lower() in words or s.lower_ in words) and any(
                t.lemma_.lower() in _word_set("aidthing") for t in s.subtree if t is not s) for s in _subjects(tok)):
            return True
        if kind == "mod" and any(c.dep_ in ("amod", "compound") and c.lemma_.lower() in words for c in tok.children):
            return True
        if kind == "moved" and all(_holds_party(t) for t in _moved(tok, is_noun)):
            return True
    return False


def _moved(tok: Token, is_noun: bool) -> list[Token]:
    """What the act moves: a verb's direct object or passive subject, a noun's of-object ("the withdrawal of
    troops")."""
    if not is_noun:
        return [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    return [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]


def _holds_party(tok: Token) -> bool:
    """A party, or a word holding one in its of-phrase ("a team of military personnel"), not a thing ("153
    cusecs of water")."""
    return _names_party(tok) or any(_is_party_noun(g) for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                                    for g in c.children if g.dep_ == "pobj")


def _intransitive(tok: Token) -> bool:
    """No direct object, and what a passive or participle acts on, if anything, is a party: "the crew was
    released" is a release, "a statement released by the palace" is none."""
    if any(c.dep_ in ("dobj", "ccomp") for c in tok.children):
        return False  # "demonstrated that the matters can be resolved" shows, it protests nothing
    themes = [c for c in tok.children if c.dep_ == "nsubjpass"] + ([tok.head] if tok.dep_ in ("acl", "relcl") else [])
    return all(_names_party(t) for t in themes)


def _has_infinitive(tok: Token) -> bool:
    """A to-infinitive under the verb or its prepositional object ("called on X to withdraw"), however parsed."""
    heads = [tok, *(g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj")]
    return any(c.dep_ in ("xcomp", "advcl", "acl", "relcl")
               and any(a.dep_ == "aux" and a.tag_ == "TO" for a in c.children) for h in heads for c in h.children)


def _names_party(tok: Token) -> bool:
    """A word that can stand for a person, state or group ("the envoy", "Ghana", "them"), not a thing."""
    return tok.ent_type_ in ("PERSON", "GPE", "NORP", "ORG") or tok.pos_ in ("PRON", "PROPN") or _is_party_noun(tok)


def trigger_rule(tok: Token) -> Rule | None:
    """The event rule a token triggers, if any."""
    lex = lexicon()
    if tok.ent_type_ in ("DATE", "TIME"):  # "in March", "Strike Day"
        return None
    if tok.dep_ in ("amod", "compound") and tok.tag_ in ("VBG", "VBN"):  # "pressing issues", "US-backed mechanism"
        return None
    pos = tok.pos_
    if pos == "VERB" or (pos == "AUX" and tok.dep_ != "aux"):
        rules = lex.verbs.get(_lemma(tok), [])
        is_noun = False
    elif pos in ("NOUN", "PROPN"):
        rules = lex.nouns.get(tok.lemma_.lower(), [])
        if not rules or any(c.dep_ == "dobj" for c in tok.children):  # a gerund: "meeting demand"
            return None
        is_noun = True
    else:
        return None
    for rule in rules:
        if _holds(rule, tok, is_noun):
            return rule
    if not is_noun and demanded(tok):  # "said China must drop its barriers": a demand whatever the act
        return DEMAND_RULE
    return None


DEMAND_RULE = Rule("REQUEST", None, ())


# ---------- factuality ----------

def is_factual(tok: Token) -> bool:
    """Whether a trigger reports an action that took place (not negated, hypothetical, planned or future)."""
    return factuality(tok) == FACT


# ---------- participants, place, date ----------

def _actor_countries(parsed: ParsedDocument, start: int, end: int,
                     skip: frozenset[int] = frozenset()) -> tuple[list[str], list[str]]:
    """Local actor ids mentioned in [start, end), less those at the offsets in skip, and their countries."""
    by_id = {a.id: a for a in parsed.actors}
    ids: list[str] = []
    codes: list[str] = []
    for offset, actor_id in parsed.actor_at.items():
        if start <= offset < end and offset not in skip and actor_id in by_id:
            actor = by_id[actor_id]
            # Countries are the event's ``countries``; its actors are the people, bodies and organisations.
            if actor_id not in ids and actor.kind != "country":
                ids.append(actor_id)
            codes.extend(actor.countries)
            for role in actor.roles:
                if role.country:
                    codes.append(role.country)
    return ids, codes


def _span_of(tok: Token) -> tuple[int, int]:
    v = clause_verb(tok)
    start, end = v.left_edge.idx, v.right_edge.idx + len(v.right_edge)
    if v.dep_ == "conj":  # the shared subject sits on the first verb
        for c in v.head.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                start = min(start, c.left_edge.idx)
    return start, end


def _has_party(tok: Token) -> bool:
    """A non-state party the event involves: a named person or organisation, or a group ("police", "rebels")."""
    v = clause_verb(tok)
    return any(t.ent_type_ in ("PERSON", "ORG", "NORP") or t.lower_ in _word_set("group") for t in v.subtree) \
        or any(c.dep_ == "poss" and c.lower_ in PERSONAL_POSSESSIVES for c in tok.children)  # "his last visit"


# Words of going somewhere: "to" a place after them is where the event happened ("travelled to Lima", "a state
# visit to Togo").
MOVES = frozenset({"travel", "arrive", "come", "fly", "go", "visit", "trip", "tour", "journey"})


def _location(sent: Span, tok: Token, ctx: DocumentContext, occasions: bool = False) -> Location | None:
    """Where the sentence says the event took place; with ``occasions``, where the meeting it is said to take
    place at did (``_occasions``)."""
    v = clause_verb(tok)
    heads = {tok, v}
    if _lemma(v) == "visit":  # "visited Addis Ababa": the place visited is the object
        for obj in (c for c in v.children if c.dep_ == "dobj"):
            if found := _place(sent, obj, ("GPE", "LOC")):
                return found
    if _lemma(v) == "attend":  # "attended the expo in Istanbul": the place of what was attended
        heads |= {c for c in v.children if c.dep_ == "dobj"}
    if occasions:
        heads = _occasions(heads)
    for prep in (c for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ in ("in", "at", "to")):
        for pobj in prep.children:
            if pobj.dep_ != "pobj" or not (found := _place(sent, pobj, ("GPE", "LOC", "FAC"))):
                continue
            if prep.lower_ == "to" and _lemma(v) not in MOVES and _lemma(prep.head) not in MOVES:
                continue  # "sent aid to Sudan", "spoke to Lima": where it went, not where it happened
            return found
    if ctx.dateline and any(HERE.fullmatch(t.lower_) for t in v.subtree) and not occasions:
        return ctx.dateline
    return None


def _occasions(heads: set[Token]) -> set[Token]:
    """The meetings an act is said to take place at, whose place is its own: "signed during the visit to Dhaka",
    "agreed at the summit in Hanoi", "met on the sidelines of the summit in Samarkand"."""
    occasion = lexicon().sets.get("occasion", frozenset())
    out: set[Token] = set()
    for prep in (c for h in heads for c in h.children if c.dep_ == "prep"):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            at_meeting = prep.lower_ in occasion and (prep.lower_ != "at" or pobj.pos_ == "NOUN")  # not "at Lima"
            if at_meeting or pobj.lower_ in occasion:  # and what it is of: "the sidelines of the summit"
                found = {pobj} | {o for p in pobj.children if p.dep_ == "prep" and p.lower_ == "of"
                                  for o in p.children if o.dep_ == "pobj"}
                if prep.lower_ != "at" and pobj.lower_ not in occasion:  # a time: a meeting's ("during the visit
                    # to X"), not a crisis's ("sued during the crisis in Argentina"); "at" names a venue itself
                    found = {t for t in found if any(r.type == "CONSULT" for r in lexicon().nouns.get(_lemma(t), ()))}
                out |= found
    return out


def _place(sent: Span, tok: Token, labels: tuple[str, ...]) -> Location | None:
    """The place a token names, where it is a country, a capital or a major city: the entity holding it (of
    those labels), else the token with the words compounded before it ("the UAE", "Abu Dhabi")."""
    ent = next((e for e in sent.ents if e.start <= tok.i < e.end and e.label_ in labels), None)
    first = min((c.i for c in tok.lefts if c.dep_ == "compound"), default=tok.i)
    place = ent.text if ent is not None else tok.doc[first:tok.i + 1].text
    code = place_country(place)
    return Location(place, code) if code else None


def _recent_window(anchor: date) -> DateRange:
    return DateRange(add_days(anchor, -DEFAULT_WINDOW_DAYS), anchor, "day")


def _published_window(parsed: ParsedDocument) -> DateRange | None:
    """A reported event's window when only a range is known for the publication (an inferred month)."""
    pub = parsed.document.published
    if pub is None:
        return None
    return DateRange(add_days(pub.start, -DEFAULT_WINDOW_DAYS), pub.end, "day")


def _attached_verb(parsed: ParsedDocument, start: int, end: int) -> Token | None:
    """The verb a temporal expression modifies: its first verb ancestor in the parse."""
    span = parsed.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    t = span.root
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX") and t.dep_ != "aux":
            return t
        if t.head is t:
            return None
        t = t.head
    return None


def _is_future(parsed: ParsedDocument, d: DateMatch) -> bool:
    return d.tense == "future" or (d.range is not None and parsed.anchor is not None and d.range.start > parsed.anchor)


def _statement_date(parsed: ParsedDocument, sent: Span, tok: Token) -> tuple[DateRange | None, str]:
    """The date of the statement that carries an intention: a past date in the sentence not tied to the plan."""
    own = {tok.i, clause_verb(tok).i}
    for d in parsed.dates_in(sent.start_char, sent.end_char):
        if getattr(d, "kind", "point") != "point" or _is_future(parsed, d) or d.range is None:
            continue
        verb = _attached_verb(parsed, d.start, d.end)
        if verb is None or verb.i not in own:
            return d.range, "text"
    return None, "none"


def _present(tok: Token) -> bool:
    """Whether the trigger's clause is in the present tense ("Peru is in talks with Bolivia"): ongoing, not of the
    past date the sentence before gives."""
    verb = clause_verb(tok)
    return verb.tag_ in ("VBZ", "VBP") or any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP")
                                              and c.lemma_ == "be" for c in verb.children)


def _told_before(tok: Token) -> bool:
    """Whether the trigger's clause is a main clause in the past perfect ("the president had visited Lima to attend
    the summit"), or a clause of time or manner under one ("they hadn't been on good terms lately, after Peru sued
    Chile"): what happened before the news, not the news (reported speech, "said he had met", is no main
    clause)."""
    verb = clause_verb(tok)
    while verb.dep_ in ("conj", "advcl") and verb.head is not verb:  # "..., after Peru opted for ... and sued"
        verb = verb.head
    return verb.dep_ == "ROOT" and verb.tag_ in ("VBN", "VBG") and any(
        c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children)


def _habitual(tok: Token) -> bool:
    """Whether the trigger's main clause tells in the simple present, outside a headline and a quote, what is done
    as a rule ("Chilean warships also help patrol Peru's waters"): a state of things, not the news, which a
    report tells in the past and a headline in the present."""
    verb = clause_verb(tok)
    while verb.dep_ in ("conj", "xcomp") and verb.head is not verb:
        verb = verb.head
    if verb.dep_ != "ROOT" or verb.tag_ not in ("VBZ", "VBP") or any(c.dep_ in ("aux", "auxpass") for c in
                                                                     verb.children):
        return False
    text = tok.doc.text
    sent = tok.sent
    if "\n" not in text[:sent.start_char]:
        return False  # the headline, or the first line of a text
    return sum(text.count(q, sent.start_char, tok.idx) for q in '"“”') % 2 == 0


def _named_agreement_date(parsed: ParsedDocument, tok: Token) -> DateRange | None:
    """The date of a named agreement the trigger's clause is about, where the article dates it elsewhere: "The Lima
    Declaration was brokered by the Chilean president, following discussions between ..." in a report of later
    talks that says "the Lima Declaration adopted on 3 March 2024" is news of 3 March, not of its day."""
    dated = _dated_agreements(parsed)
    if not dated:
        return None
    verb = clause_verb(tok)
    while True:
        for arg in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")):
            rng = dated.get(_agreement_name(arg))
            if rng is not None:
                return rng
        # a participle with no subject of its own ("..., following discussions between ...") tells of its head's
        if verb.dep_ not in ("advcl", "xcomp") or verb.head is verb \
                or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            return None
        verb = verb.head


def _dated_agreements(parsed: ParsedDocument) -> dict[str, DateRange]:
    """The agreements the article names ("the Lima Declaration") with a past date of their own (computed once)."""
    cached = parsed.cache.get("event_dated_agreements")
    if cached is None:
        agreements = lexicon().sets.get("agreement", frozenset())
        cached = {}
        for tok in parsed.doc:
            name = _agreement_name(tok) if tok.lemma_.lower() in agreements else ""
            if name and name not in cached and (rng := _own_date(parsed, tok)) is not None:
                cached[name] = rng
        parsed.cache["event_dated_agreements"] = cached
    return cached


def _agreement_name(tok: Token) -> str:
    """An agreement noun's proper name, its capitalised words and their own ("Lima Declaration"), or ""."""
    words = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
    if not words or not tok.text[:1].isupper():
        return ""
    return " ".join(t.lower_ for t in (*words, tok))


def _dates_at_end(parsed: ParsedDocument) -> dict[tuple[int, int], DateMatch]:
    """The document's dates resolved against the last day its publication range allows (computed once)."""
    cached = parsed.cache.get("event_dates_at_end")
    if cached is None:
        pub = parsed.document.published
        found = find_dates(parsed.document.text, pub.end) if pub is not None else []
        cached = {(d.start, d.end): d for d in found}
        parsed.cache["event_dates_at_end"] = cached
    return cached


def _governs(parsed: ParsedDocument, d: DateMatch, tok: Token) -> bool:
    """Whether a date phrase dates the trigger: it hangs from the trigger's clause, a clause above it, a verb
    coordinated with it, or a participle on the event noun ("the meeting held in February"); a date inside an
    argument ("asked them to leave before Sunday", "trade reached $1bn in 2024") dates something else."""
    words = parsed.doc.char_span(d.start, d.end, alignment_mode="expand")
    conflict = _conflict_head(words[-1]) if words else None
    if conflict is not None and conflict.i != tok.i and not _during(conflict):  # "the first visit since the war"
        return False
    if words and (named := _agreement_before_date(words[0])) is not None and named.i != tok.i:
        return False  # "talks within the scope of the Lima Declaration adopted on 3 March 2024", however parsed
    if words and _in_since_clause(parsed.doc[tok.i + 1:words[0].i]):
        return False  # "the first state visit since his counterpart took office in May 2022": the date is the since's
    verb = _attached_verb(parsed, d.start, d.end)
    if verb is None:
        return True
    v = clause_verb(tok)
    if verb.i in (tok.i, v.i) or verb in v.ancestors:
        return True
    if verb.dep_ == "conj" and verb.head.i == v.i:
        return True
    return verb.dep_ in ("acl", "relcl") and verb.head.i == tok.i


def _in_since_clause(between: Span) -> bool:
    """Whether the words between a trigger and a date open a clause of "since" with a subject of its own ("since
    his counterpart took office in"), whatever the parse; "since 2019 took place on Monday" is none."""
    since = next((t for t in reversed(between) if t.lower_ == "since"), None)
    if since is None:
        return False
    for t in between.doc[since.i + 1:between.end]:
        if t.pos_ in ("VERB", "AUX"):
            return any(w.pos_ in ("NOUN", "PROPN", "PRON") and w.ent_type_ != "DATE"
                       for w in between.doc[since.i + 1:t.i])
    return False


def _agreement_before_date(first: Token) -> Token | None:
    """The agreement noun a date right after "<agreement> signed/adopted on" belongs to, whatever the parse."""
    doc = first.doc
    if first.i < 3 or doc[first.i - 1].lower_ not in ("on", "in") or doc[first.i - 2].tag_ not in ("VBN", "VBD"):
        return None
    noun = doc[first.i - 3]
    return noun if noun.lemma_.lower() in lexicon().sets.get("agreement", frozenset()) else None


def _range_resolved(parsed: ParsedDocument, d: DateMatch) -> tuple[DateRange | None, str, bool]:
    """A relative date when only a publication range is known: what both ends of the range agree on
    ("in July" in an article of some day of September 2025 is July 2025), else the union of the two readings."""
    late = _dates_at_end(parsed).get((d.start, d.end))
    early, other = d.range, late.range if late is not None else None
    if early is None or other is None:
        return _published_window(parsed), "publication", False
    if early == other:
        return early, "text", False
    return DateRange(min(early.start, other.start), max(early.end, other.end), "day"), "publication", False


def _pick_date(parsed: ParsedDocument, start: int, end: int, tok: Token) -> tuple[DateRange | None, str, bool]:
    """The event's date from the clause's temporal expressions: (range, source, future).

    Only a future date that modifies the trigger's own clause makes the event a plan; a future date
    elsewhere ("a ceasefire due to start on Monday", a quoted deadline) says nothing about when it happened.
    """
    pub = parsed.document.published
    vague_pub = pub is not None and pub.days > 1
    candidates = [d for d in parsed.dates_in(start, end) if getattr(d, "kind", "point") == "point"]
    candidates.sort(key=lambda d: abs(d.start - tok.idx))
    own = {tok.i, clause_verb(tok).i}
    candidates = [d for d in candidates if _governs(parsed, d, tok)]
    for d in candidates:
        if _is_future(parsed, d):
            verb = _attached_verb(parsed, d.start, d.end)
            if verb is None or verb.i in own:
                return None, "future", True
            continue
        if d.relative and vague_pub:
            return _range_resolved(parsed, d)
        if d.range is not None:
            return _reported_by(parsed, d, own, d.range), "text", False
        return None, "relative", False
    since = _since(parsed, start, end, tok)
    return since, "since" if since is not None else "none", False


def _since(parsed: ParsedDocument, start: int, end: int, tok: Token) -> DateRange | None:
    """A state that has held since a date began with the act on that date ("the border has been closed since
    2003": closed in 2003); "have met regularly since 2019" is many acts, and gives none."""
    if not (tok.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in tok.children)
            and any(c.dep_ == "aux" and c.lemma_ == "have" for c in tok.children)):
        return None
    for d in parsed.dates_in(start, end):
        if getattr(d, "kind", "point") == "since" and d.range is not None and _governs(parsed, d, tok):
            return _began(d.range)
    return None


def _began(since: DateRange) -> DateRange:
    """The date a "since" range starts on, at its precision: "since March 2019" is March 2019."""
    first = since.start
    if since.precision == "year":
        return DateRange.year(first.year)
    return DateRange.month(first.year, first.month) if since.precision == "month" else DateRange.day(first)


def _reported_by(parsed: ParsedDocument, d: DateMatch, own: set[int], rng: DateRange) -> DateRange:
    """The date of a statement that refers to an event as a thing done ("said on Tuesday that the treaties signed
    with X ...", "'trade was discussed in the meetings,' he told reporters on Tuesday night") dates the saying:
    the event took place that day or in the days before it. News the statement tells ("said on Friday that X
    has agreed to ...") keeps the day."""
    verb = _attached_verb(parsed, d.start, d.end)
    v = clause_verb(parsed.doc[min(own)])
    if verb is None or verb.i in own or rng.days > 1 or not (
            _shown(verb, v) or (_lemma(verb) in REPORTING and (v.dep_ in ("acl", "relcl") or (
                v.dep_ == "ccomp" and _simple_past(v))))):
        return rng
    return DateRange(add_days(rng.start, -DEFAULT_WINDOW_DAYS), rng.end, "day")


def _simple_past(v: Token) -> bool:
    """A verb in the simple past, active or passive ("discussed", "were discussed"), not the present perfect."""
    aux = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lemma_ == "have" for c in aux):
        return False
    return (v.tag_ == "VBD" and not aux) or (v.tag_ == "VBN" and any(c.tag_ == "VBD" for c in aux))


def _shown(verb: Token, v: Token) -> bool:
    """Whether a verb of evidence stands between a dated verb and the clause under it ("videos released on Monday
    showed ships blocking boats"): what is shown was done before it was shown."""
    evidence = lexicon().sets.get("evidence", frozenset())
    return any(_lemma(a) in evidence for a in v.ancestors if a.i == verb.i or verb in a.ancestors)


# ---------- topics, summary, keys ----------

def topics_of(text: str) -> list[str]:
    return [t for t, rx in TOPICS.items() if rx.search(text)]


def _session_ordinal(sent: Span, tok: Token) -> int | None:
    """The ordinal of a standing body's session ("the 16th session", "sixth meeting") that is the trigger's act
    (``_session_of``: not "agreed to hold the fourth session, the ministers said after talks", whose agreement and
    talks are no sitting); "the first consultations since 2018" or "in six years" counts sittings in a span of
    time, not the body's."""
    for t in sent:
        if ORDINAL.match(t.text) and (t.head.lemma_.lower() in SESSION_NOUNS or t.head.lower_ in SESSION_NOUNS) \
                and _session_of(t.head, tok) and not any(c.dep_ == "prep" and c.lower_ in ("since", "in") and any(
                    g.lower_ in SPAN_WORDS or g.ent_type_ == "DATE" for g in c.subtree) for c in t.head.children):
            word = t.lower_
            return int(word[:-2]) if word[0].isdigit() else ORDINAL_WORDS.get(word)  # "16th" -> 16
    return None


def _session_of(session: Token, tok: Token) -> bool:
    """Whether a session noun is the trigger's act: the trigger itself, under it, or it under the session; not a
    session still to be held ("agreed to hold the fourth session": the agreement is no sitting)."""
    if tok in session.subtree:
        return True
    if session not in tok.subtree:
        return False
    t = session.head
    while t.i != tok.i and t.head is not t:
        if t.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.tag_ in ("TO", "MD") for c in t.children):
            return False
        t = t.head
    return True


def _mode(rule: Rule, sent: Span, countries: list[str], parsed_text: str) -> str | None:
    mode = rule.mode
    if rule.type == "CONSULT" and mode in ("talks", "meeting") and re.search(
            r"\b(?:mediat\w+|brokered|backed by|facilitat\w+|hosted by)\b", parsed_text, re.I) and len(countries) > 2:
        return "mediated talks"
    if rule.type == "CONSULT" and re.search(r"\b(?:phone|telephone)\b", parsed_text, re.I):
        return "call"
    if rule.type == "CONSULT" and re.search(r"\bvirtual\b", parsed_text, re.I) and mode in ("summit", "meeting"):
        return f"virtual {mode}"
    return mode


def _clean(text: str) -> str:
    text = squash_spaces(text.strip(" \n•-—"))
    return text if len(text) <= MAX_SUMMARY else text[:MAX_SUMMARY].rsplit(" ", 1)[0] + "…"


# ---------- the extractor ----------

@dataclass
class _Found:
    rule: Rule
    tok: Token
    countries: list[str]
    actors: list[str]
    kind: str = FACT


# Prepositions whose object is a party to the event ("talks with", "support for", "war against").
ARG_PREPS = {"with", "against", "to", "for", "between", "by", "toward", "towards", "from", "among", "on", "of"}
# Links from a party's head word to words that say whose it is ("Turkish minister", "Ankara's support").
OWN_DEPS = {"compound", "amod", "poss", "nmod", "appos", "nummod"}
HOSTILE_TYPES = {"ASSAULT", "COERCE", "SANCTION"}
HELD = frozenset({"hold", "convene", "host", "organise", "organize"})  # what is done to a meeting on its day
MEETING_TYPES = {"CONSULT", "AGREE", "COOPERATE"}
# Cooperative acts: done by a state to its own people, troops or officials, they are no relation between states.
FRIENDLY_TYPES = MEETING_TYPES | {"AID", "SUPPORT"}


def _party_tokens(head: Token) -> list[Token]:
    """The words that name one party: its head, conjuncts, and modifiers that say whose it is.

    "the government of India" and "forces of both countries" reach through "of"; a clause or phrase that
    only describes the party ("heroin destined for Europe via Turkish routes") is no part of its name.
    """
    out: list[Token] = []
    todo = [head]
    while todo:
        t = todo.pop()
        if t in out:
            continue
        out.append(t)
        for c in t.children:
            if c.dep_ in OWN_DEPS or c.dep_ == "conj":
                todo.append(c)
            elif c.dep_ == "prep" and c.lower_ == "of" and (t.lower_ in _word_set("group") or t.ent_type_ == "PERSON"
                                                            or t.lemma_.lower() in _word_set("group")):
                todo.extend(g for g in c.children if g.dep_ == "pobj")
    return out


def _controller(v: Token) -> Token:
    """The verb whose subject is also this verb's ("agreed to establish", "met and discussed")."""
    while v.dep_ in ("xcomp", "conj") and v.head is not v and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in v.children):
        v = v.head
    return v


def _verb_args(v: Token) -> list[Token]:
    """Heads of a verb's parties: subject, agent, objects and prepositional arguments, mediators."""
    heads = [c for c in _controller(v).children if c.dep_ in ("nsubj", "nsubjpass")]
    for c in v.children:
        if c.dep_ in ("dobj", "dative", "attr", "oprd", "nsubjpass", "nsubj"):
            heads.append(c)
        elif (c.dep_ == "prep" and c.lower_ in ARG_PREPS) or c.dep_ == "agent":
            heads.extend(g for g in c.children if g.dep_ == "pobj")
        elif c.dep_ == "xcomp":  # "threatened to close the strait to Saudi tankers"
            heads.extend(h for h in _verb_args(c) if h.dep_ not in ("nsubj", "nsubjpass") or h.head is c)
        elif c.dep_ in ("advcl", "acl") and c.lemma_.lower() in _word_set("mediation"):  # "Backed by Qatar, X ..."
            heads.extend(g for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj")
    if v.dep_ == "advcl" and v.tag_ == "VBN" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children):
        # "Backed by Qatar, Kenya pushed for ...": the main clause's subject is the one backed
        heads += [c for c in v.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if v.dep_ in ("acl", "relcl"):  # "the deal, struck in Beijing": the noun modified is a party
        heads.append(v.head)
    return heads


def _noun_args(n: Token) -> list[Token]:
    """Heads of an event noun's parties: possessor and modifiers, prepositional arguments, the light verb's."""
    heads = [c for c in n.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
    for c in n.children:
        if c.dep_ == "prep" and c.lower_ in ARG_PREPS:
            heads.extend(g for g in c.children if g.dep_ == "pobj")
        elif c.dep_ == "acl" and c.lemma_.lower() in _word_set("mediation"):  # "talks backed by Qatar"
            heads.extend(g for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj")
    gov = _governor(n)
    if gov is not None:
        heads += [h for h in _verb_args(gov) if h is not n and not (h.i <= n.i <= h.right_edge.i and h.i != n.i
                                                                   and n.head is not gov)]
    return heads


def _codes_of(parsed: ParsedDocument, ctx: DocumentContext, tokens: list[Token]) -> tuple[list[str], list[str]]:
    """The countries and local actor ids the given words name."""
    spans = [(t.idx, t.idx + len(t)) for t in tokens]
    codes: list[str] = []
    for m in ctx.countries:
        if m.code not in codes and any(a <= m.start < b for a, b in spans):
            codes.append(m.code)
    ids, actor_codes = [], []
    for a, b in spans:
        more_ids, more = _actor_countries(parsed, a, b)
        ids += [i for i in more_ids if i not in ids]
        actor_codes += more
    codes += [c for c in actor_codes if c not in codes]
    return codes, ids


def _role_codes(parsed: ParsedDocument, ctx: DocumentContext, tok: Token,
                venues: frozenset[int] = frozenset()) -> tuple[list[str], list[str], bool]:
    """Countries of the trigger's parties, local actor ids, and whether it has an object naming no state.
    ``venues``: the offsets of words that name where another act took place (``_other_venues``)."""
    heads = _verb_args(tok) if tok.pos_ in ("VERB", "AUX") else _noun_args(tok)
    words = [w for h in heads for w in _party_tokens(h) if w.idx not in venues]
    if tok.pos_ not in ("VERB", "AUX"):
        words.append(tok)  # "Turkish-Pakistani talks" spelled as one word
    codes, ids = _codes_of(parsed, ctx, words)
    stateless_target = False
    if tok.pos_ in ("VERB", "AUX"):
        targets = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        stateless_target = bool(targets) and all(_non_state(t) and not _codes_of(parsed, ctx, _party_tokens(t))[0]
                                                 for t in targets)
    return codes, ids, stateless_target


# Prepositions whose object is what a verb acts on or gives to ("supplies to X", "aid for X", "raids against X").
TARGET_PREPS = {"to", "for", "against", "with"}


def _target_codes(parsed: ParsedDocument, ctx: DocumentContext, tok: Token) -> set[str]:
    """The countries named in what a verb trigger acts on: its objects and recipients."""
    if tok.pos_ not in ("VERB", "AUX"):
        return set()
    heads = [c for c in tok.children if c.dep_ in ("dobj", "dative", "nsubjpass")]
    heads += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS
              for g in c.children if g.dep_ == "pobj"]
    return set(_codes_of(parsed, ctx, [w for h in heads for w in _party_tokens(h)])[0])


def _subject_codes(parsed: ParsedDocument, ctx: DocumentContext, tok: Token) -> set[str]:
    """The countries named anywhere in a verb trigger's subject ("one of the Chilean boats")."""
    if tok.pos_ not in ("VERB", "AUX"):
        return set()
    subjects = [c for c in _controller(tok).children if c.dep_ in ("nsubj", "nsubjpass")]
    return set(_codes_of(parsed, ctx, [w for s in subjects for w in s.subtree])[0])


def _non_state(tok: Token) -> bool:
    """A target that is no state nor its people: an armed group, traffickers, contraband."""
    return tok.lemma_.lower() in _word_set("non_state") or tok.lower_ in _word_set("non_state") or (
        tok.ent_type_ == "ORG" and not _is_party_noun(tok))


@lru_cache(maxsize=1)
def _party_words() -> frozenset[str]:
    return _word_set("group") | _word_set("party")


def _is_party_noun(tok: Token) -> bool:
    """A word for a state's people, forces, envoys or vessels, or for a person, who may stand for a state."""
    party = _party_words()
    return tok.lemma_.lower() in party or tok.lower_ in party or tok.ent_type_ == "PERSON" \
        or tok.pos_ == "PRON"


def incidental(tok: Token) -> bool:
    """A country word that is no party: it modifies a thing ("Turkish routes", "Indian Ocean")."""
    if tok.dep_ not in ("amod", "compound"):
        return False
    head = tok.head
    return not (head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or _is_party_noun(head)
                or head.pos_ == "PROPN" or trigger_rule(head) is not None)


def _participants(parsed: ParsedDocument, ctx: DocumentContext, sent: Span, tok: Token,
                  event_type: str) -> tuple[list[str], list[str]] | None:
    """Countries and actors of an event from the trigger's syntactic roles, else its clause, else its sentence.

    None where the event is no interstate event: force against a non-state target with one state.
    """
    venues = _other_venues(ctx, sent, tok)
    codes, ids, stateless = _role_codes(parsed, ctx, tok, venues)
    if event_type in HOSTILE_TYPES and stateless and len(codes) < 2:
        return None
    places: list[str] = []
    # an act told in a clause that describes a place ("X, where 20 people were killed last year") is that
    # place's story: the main clause's actors take no part in it
    spans = [_span_of(tok)]
    if not _in_place_clause(tok):
        spans.append((sent.start_char, sent.end_char))
    for start, end in spans:
        if len(codes) >= 2:
            break
        span = list(parsed.doc.char_span(start, end, alignment_mode="expand") or [])
        # a visit or meeting is not fought: the sides of a war named beside it are background (a demand or
        # a withdrawal often is about the war, and its sides are its parties); what is discussed takes no part,
        # whether read as words or as the actors found before the events
        planned = _planned_beside(tok)
        aside = venues | frozenset(t.idx for t in span if (event_type == "CONSULT" and _conflict_head(t) is not None)
                                   or _in_topic(t) or _in_place_clause(t) or t.i in planned or _circumstance(t, tok)
                                   or (event_type == "CONSULT" and _other_leg(t, tok)))
        more_ids, more_codes = _actor_countries(parsed, start, end, aside)
        ids += [i for i in more_ids if i not in ids]
        words = [t for t in span if not incidental(t) and t.idx not in aside]
        places += _codes_of(parsed, ctx, [t for t in words if _place_only(t, event_type)])[0]
        for c in _codes_of(parsed, ctx, [t for t in words if not _place_only(t, event_type)])[0] + more_codes:
            if c not in codes:
                codes.append(c)
    if not codes:  # a domestic event: the place it happens in is its country
        codes = list(dict.fromkeys(places))
    if len(codes) < 2 and (ctx.both_sides(sent.text) or _pair_as_subject(tok, ctx.pair_nouns())) and ctx.pair:
        codes += [c for c in ctx.pair if c not in codes]
    return codes, ids


def _pair_as_subject(tok: Token, nouns: frozenset[str]) -> bool:
    """"Both agreed on the need for a ceasefire", "The leaders welcomed Turkey's help": "both" standing alone, or
    "the" and a plural pair noun alone, as the subject is the two sides."""
    return any((s.lower_ == "both" and s.n_lefts + s.n_rights == 0)
               or (s.lower_ in nouns and [c.lower_ for c in s.children] == ["the"])
               for s in _subjects(clause_verb(tok)))


def _other_leg(word: Token, tok: Token) -> bool:
    """Whether a word names where the trigger's actor came from or goes on to: "met X in Lima on her way back from
    a visit to Brazil", "on her way to Bolivia" (the trip before, the next leg: no party to the meeting)."""
    for a in word.ancestors:
        if a.i == tok.i:
            return False
        if a.dep_ == "pobj" and a.head.lower_ == "from" and _lemma(a) in MOVES:
            return True
    if word.dep_ != "pobj":
        return False
    trip = _lemma(word.head.head)
    if word.head.lower_ == "to":  # "on her way to Bolivia": the next leg
        return trip == "way"
    return word.head.lower_ == "from" and (trip in ("return", "way") or any(
        t.lower_ == "back" for t in word.head.head.subtree if t.i < word.i))  # "on his return from Germany"


def _planned_beside(tok: Token) -> frozenset[int]:
    """The words of a planned act the trigger's phrase is told beside: "Following his visit to Lima, Boric will
    proceed to Bolivia": Bolivia is the coming trip's, not the visit's. The planned act's subject is the
    trigger's agent too, so it stays."""
    frame = tok.head
    verb = frame.head
    if tok.dep_ != "pobj" or frame.dep_ != "prep" or verb is frame or verb.pos_ not in ("VERB", "AUX") \
            or not any(c.dep_ == "aux" and c.lower_ in MODALS_OF_PLANS for c in verb.children):
        return frozenset()
    kept = {t.i for c in verb.children if c is frame or c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    return frozenset(t.i for t in verb.subtree if t.i not in kept)


MODALS_OF_PLANS = frozenset({"will", "shall", "'ll"})


def _in_topic(tok: Token) -> bool:
    """Whether a word stands inside the topic of a discussion: under "deliberated on", "the issue of",
    "the situation in", or the object of "discussed" (the word sets are rows of the lexicon)."""
    sets = lexicon().sets
    verbs, nouns, preps = sets["topic_verbs"], sets["topic_nouns"], sets["topic_preps"]
    t = tok
    for _ in range(8):
        if t.head is t:
            return False
        head = t.head
        if t.dep_ == "prep" and (
                (t.lower_ in preps and head.pos_ in ("VERB", "AUX") and _lemma(head) in verbs)
                or (head.pos_ == "NOUN" and head.lemma_.lower() in nouns
                    and (t.lower_ in preps or t.lower_ in sets["topic_noun_preps"]))):
            return True
        if t.dep_ in ("dobj", "npadvmod") and _lemma(head) in verbs:  # "discussed X", misparsed or not
            return True
        if (t.pos_ in ("VERB", "AUX") and t.dep_ in SEPARATE) or t.dep_ in ("nsubj", "nsubjpass", "ROOT"):
            return False
        t = head
    return False


def _in_place_clause(tok: Token) -> bool:
    """Whether a word stands in a clause that describes a place ("the area where the borders of X, Y and Z meet"):
    the countries it names locate the place, they take no part in what happens there."""
    return any(a.dep_ == "relcl" and any(c.dep_ == "advmod" and c.lower_ == "where" for c in a.children)
               for a in (tok, *tok.ancestors))


def _circumstance(word: Token, tok: Token) -> bool:
    """Whether a word stands in a clause that only sets the time or the scene of the trigger's act, a clause the
    trigger is not in: "took place at a time when countries face the war in Ukraine", "with the far right winning
    in France". The countries it names are of that scene, not parties to the act."""
    for a in (word, *word.ancestors):
        if (a.dep_ == "relcl" and any(c.dep_ == "advmod" and c.lower_ == "when" for c in a.children)) \
                or (a.dep_ == "pcomp" and a.head.lower_ == "with" and a.tag_ in ("VBG", "VBN")):
            return not a.left_edge.i <= tok.i <= a.right_edge.i
    return False


# Links inside one noun phrase: "the X-Y war", "X's war on Y", "the war between X and Y".
_PHRASE_LINKS = {"compound", "amod", "poss", "nmod", "pobj", "prep", "punct", "cc", "conj", "appos"}


def _conflict_head(tok: Token) -> Token | None:
    """The armed conflict a word stands inside ("since the X-Y war in 2022", "amid X's offensive on Y"), if any:
    its sides and its date are that conflict's, not those of a visit the sentence reports."""
    conflict = lexicon().sets.get("conflict", frozenset())
    t = tok
    for _ in range(6):
        if t.dep_ not in _PHRASE_LINKS or t.head is t:
            return None
        t = t.head
        if t.pos_ in ("NOUN", "PROPN") and (t.lemma_.lower() in conflict or (
                (rule := trigger_rule(t)) is not None and rule.type in HOSTILE_TYPES)):
            return t
    return None


def _during(tok: Token) -> bool:
    """Whether a phrase is introduced as the time the event took place in ("support during the war in May"),
    so that its date bounds the event too."""
    during = lexicon().sets.get("during", frozenset())
    t = tok
    for _ in range(6):
        if t.dep_ == "prep" and t.lower_ in during:
            return True
        if t.dep_ not in _PHRASE_LINKS or t.head is t:
            return False
        t = t.head
    return False


def _place_only(tok: Token, event_type: str) -> bool:
    """A place where something happens ("in Vienna"), which makes a host only of a meeting."""
    return event_type not in MEETING_TYPES and tok.head.dep_ == "prep" and tok.head.lower_ in ("in", "at") \
        and tok.dep_ == "pobj"


def _other_venues(ctx: DocumentContext, sent: Span, tok: Token) -> frozenset[int]:
    """The offsets of capitals that name where another act of the sentence took place, by modifying its word
    outside the trigger and its parties' phrases: "as Vienna talks seek to revive the deal" (the talks' venue, no
    party to the deal). One inside stays ("signed the Minsk accords": the host); a capital standing for its
    government is no compound ("Ankara said")."""
    capitals = {m.start for m in ctx.countries if m.kind == CAPITAL}
    if not any(sent.start_char <= c < sent.end_char for c in capitals):
        return frozenset()
    lex = lexicon()
    args = _verb_args(tok) if tok.pos_ in ("VERB", "AUX") else _noun_args(tok)
    inside = {tok.i} | {t.i for h in args for t in h.subtree}
    return frozenset(t.idx for t in sent if t.idx in capitals and t.dep_ == "compound" and t.head.i not in inside and (
        (w := t.head.lemma_.lower()) in lex.nouns or w in lex.verbs or w in _word_set("agreement")))


# Links that start a separate reported fact rather than an argument of the verb above.
SEPARATE = {"conj", "relcl", "advcl", "parataxis", "ROOT"}


def _under_trigger(tok: Token, at: set[int]) -> bool:
    """Whether a trigger is an argument of another one ("accused X of ramming", "complained over the raids"):
    the main verb's event is what the sentence reports."""
    t = tok
    while t.head is not t and t.dep_ not in SEPARATE:
        t = t.head
        if t.i in at:
            return True
    return False


def _occasion(tok: Token, verbs: set[int]) -> bool:
    """Whether a meeting noun is named as the time or place of a trigger verb's act ("signed during a meeting",
    "agreed on the sidelines of the summit"): the meeting took place too, unlike one thanked for or discussed."""
    occasion = lexicon().sets.get("occasion", frozenset())
    t, prep, fits = tok, None, False
    while t.head is not t and t.dep_ not in SEPARATE:
        if t.dep_ == "prep" and prep is None:  # the preposition the meeting hangs from says what it is to the act
            prep, fits = t, t.lower_ in occasion
            if t.lower_ == "of" and t.head.lower_ in occasion and t.head.head.dep_ == "prep":  # "on the sidelines of"
                prep, fits = t.head.head, True
        t = t.head
        if t.i in verbs:
            # on the act itself, or on what it produced ("signed a memorandum during the meeting"); "mediation in
            # the talks" names the talks as the frame of something else
            return prep is not None and fits and (
                prep.head.i == t.i or (prep.head.dep_ == "dobj" and prep.head.head.i == t.i))
    return False


def _triggers(sent: Span) -> list[tuple[Token, Rule]]:
    """Triggers of a sentence, less those that only set the scene for another one.

    A noun governed by another trigger ("signed an MoU at the summit", "thanked him for the visit") is
    the occasion, not an event of its own; "decided to expel" is the expulsion.
    """
    nature = lexicon().sets.get("nature", frozenset())
    found = [(t, r) for t in sent if (r := trigger_rule(t)) is not None
             and not (t.pos_ in ("VERB", "AUX") and (subs := _subjects(t)) and all(
                 s.lemma_.lower() in nature for s in subs))]  # "the pandemic struck": no state acts
    nouns = {t.i for t, _ in found if t.pos_ in ("NOUN", "PROPN")}
    # "ordered the closure of the border": the order is the closure, which the noun names
    found = [(t, r) for t, r in found if not (_lemma(t) in _word_set("delegating") and any(
        c.dep_ in ("dobj", "nsubjpass") and c.i in nouns for c in t.children))]
    verbs = {t.i for t, _ in found if t.pos_ in ("VERB", "AUX")}
    at = {t.i for t, _ in found}
    out = []
    for tok, rule in found:
        # a meeting that is the occasion of another act is an event of its own ("signed during the talks")
        occasion = rule.type == "CONSULT" and tok.pos_ in ("NOUN", "PROPN") and _occasion(tok, verbs)
        if _under_trigger(tok, at) and not occasion:
            continue
        # a meeting or deal named in a topic is talked about, unless a predicate of its own reports it ("held in May")
        if _in_topic(tok) and not any(c.dep_ in ("acl", "relcl") and c.pos_ == "VERB" for c in tok.children):
            continue
        gov = _governor(tok) if tok.pos_ in ("NOUN", "PROPN") else None
        if gov is not None and gov.i in verbs and not occasion:
            continue
        if _lemma(tok) == "decide" and any(c.dep_ == "xcomp" and c.i in verbs for c in tok.children):
            continue
        out.append((tok, rule))
    return out


def _sentences(parsed: ParsedDocument) -> list[Span]:
    return list(parsed.context.sentences)  # page furniture, labels and verbless fragments report no event


def extract_events(parsed: ParsedDocument) -> list[Event]:
    """Every factual PLOVER event in one document, one per type per sentence."""
    text = parsed.document.text
    ctx = parsed.context
    if ctx.sport:  # articles about sport are full of "clashes", "attacks" and "beat": no interstate events
        return []
    events: list[Event] = []
    last_date: tuple[int, DateRange] | None = None  # (paragraph start, date) of the last explicitly dated event
    for sent in _sentences(parsed):
        para = text.rfind("\n", 0, sent.start_char)
        by_type: dict[str, _Found] = {}
        second: list[_Found] = []  # another clause's event of a type already found, kept if dated apart
        for tok, rule in _triggers(sent):
            kind = factuality(tok)
            event_type = rule.type if kind == FACT else intent_type(rule.type, kind)
            if event_type is None or (event_type in by_type and not (
                    kind == FACT and _own_clause(tok, by_type[event_type].tok))):
                continue
            parties = _participants(parsed, ctx, sent, tok, event_type)
            if parties is None:
                continue
            codes, ids = parties
            if not codes or (len(codes) < 2 and not _has_party(tok)):
                continue
            own = len(codes) == 1 and _target_codes(parsed, ctx, tok) == {codes[0]} == _subject_codes(parsed, ctx, tok)
            if own and event_type in FRIENDLY_TYPES:
                continue  # help, praise or a meeting given to one's own ("delivered food to its own troops")
            if len(codes) == 1 and len(ctx.pair) == 2 and codes[0] in ctx.pair and not own:
                # one side named in an article about a pair: the other side is its partner ("X arrived in Y")
                codes = [*codes, *(c for c in ctx.pair if c != codes[0])]
            if event_type != rule.type:  # a stated intention: dated when said, not when planned
                rule = Rule(event_type, None, ())
            if event_type in by_type:
                second.append(_Found(rule, tok, codes, ids, kind))
            else:
                by_type[event_type] = _Found(rule, tok, codes, ids, kind)
        first = len(events)
        for found in [*by_type.values(), *second]:
            clause = found in second
            event = _event(parsed, ctx, sent, found, len(events), last_date if last_date and
                           last_date[0] == para else None, _span_of(found.tok) if clause else None)
            if event is None or (clause and not _dated_apart(event, events[first:])):
                continue
            if event.date is None and parsed.anchor is not None:
                continue  # "have for years supported each other": vague background, on no day of a dated article
            if event.attributes.get("date_source") == "text" and event.date is not None:
                last_date = (para, event.date)
            events.append(event)
            events += _listed(parsed, found.tok, event, len(events))
        events += _dated_asides(parsed, ctx, sent, by_type, events)
    return _at_their_meetings(events)


# A meeting whose place an act on its days takes: a visit or summit of a few days, dated by the article's words.
MEETING_DAYS = 7
OWN_DATES = ("text", "relative")


def _at_their_meetings(events: list[Event]) -> list[Event]:
    """An act with no place of its own, dated inside the days of a meeting of the same parties that the article
    places, took place there: the agreements signed during a visit are signed where the visit is. Only dates
    the article's words give count (an undated article's default window would place every recent act)."""
    meetings = [e for e in events if e.type == "CONSULT" and e.location is not None and e.date is not None
                and e.date.days <= MEETING_DAYS and e.attributes.get("date_source") in OWN_DATES]
    out = []
    for e in events:
        if e.location is None and e.type != "CONSULT" and e.date is not None \
                and e.attributes.get("date_source") in OWN_DATES:
            places = {(m.location.place, m.location.country): m.location for m in meetings
                      if m.location is not None and m.date is not None and m.date.contains(e.date)
                      and set(e.countries) <= set(m.countries)}
            if len(places) == 1:
                (place,) = places.values()
                e = replace(e, location=replace(place))  # a copy: no two records share one object
        out.append(e)
    return out


def _own_clause(tok: Token, other: Token) -> bool:
    """Whether a trigger sits in a clause of its own, with its own subject, beside another one's ("X visited Y
    in 2015 while Z visited X in 2016")."""
    v, w = clause_verb(tok), clause_verb(other)
    return v.i != w.i and v.dep_ in ("advcl", "conj", "ccomp") and any(c.dep_ in ("nsubj", "nsubjpass")
                                                                      for c in v.children)


def _dated_apart(event: Event, found: list[Event]) -> bool:
    """A second event of a type in one sentence stands only with a date of its own words, apart from the others'."""
    return event.attributes.get("date_source") == "text" and event.date is not None and not any(
        e.type == event.type and (e.date is None or e.date.overlaps(event.date)) for e in found)


YEAR = re.compile(r"^(?:1[89]|20)\d\d$")


def _listed(parsed: ParsedDocument, tok: Token, event: Event, n: int) -> list[Event]:
    """One event per further date of a list the event's date opens ("visited X in 2015, 2018 and 2019"), each
    quoted from the trigger to its own date."""
    if event.attributes.get("date_source") != "text" or event.date is None:
        return []
    start, end = _span_of(tok)
    dates = {d.start: d for d in parsed.dates_in(start, end) if d.range == event.date and not d.relative}
    if len(dates) != 1:
        return []
    d = next(iter(dates.values()))
    words = parsed.doc.char_span(d.start, d.end, alignment_mode="expand")
    if words is None:
        return []
    others = {x.start: x for x in parsed.dates_in(start, end)}
    out: list[Event] = []
    for conj in words.root.conjuncts:
        if conj.i < words.root.i:
            continue
        match = others.get(conj.idx)
        rng = match.range if match is not None and not match.relative and match.kind == "point" else (
            DateRange.year(int(conj.text)) if YEAR.match(conj.text) else None)
        if rng is None or (parsed.anchor is not None and rng.start > parsed.anchor) or any(
                e.date == rng for e in out):
            continue
        stop = match.end if match is not None else conj.idx + len(conj)
        out.append(replace(event, id=f"{parsed.doc_id}:e{n + len(out) + 1}", date=rng,
                           mentions=[parsed.mention(tok.idx, stop)]))
    return out


def _own_date(parsed: ParsedDocument, noun: Token) -> DateRange | None:
    """A past date a noun carries itself: "the accord of 9 June 1999", "the 2019 summit", "the pact signed on
    3 March 2004", "the last meeting, which took place in 2019" (a predicate of its own that is no negation)."""
    # "a meeting between X's minister and Y's deputy minister, held on February 6": the parser may hang a
    # meeting's participle on the last name of the list inside its phrase
    holders = [noun] + [c for c in noun.subtree if c.dep_ in ("acl", "relcl") and c.tag_ in ("VBD", "VBN")
                        and (c.head.i == noun.i or _lemma(c) in HELD)
                        and not any(g.dep_ == "neg" for g in c.children)]
    first = any(c.dep_ == "amod" and c.lower_ == "first" for c in noun.children)
    anchor = parsed.anchor
    undated = anchor is None
    for d in parsed.dates_in(noun.sent.start_char, noun.sent.end_char):
        kind = getattr(d, "kind", "point")
        # "the first consultations since 2018": the last ones were held in 2018
        since = first and kind == "since" and d.range is not None
        if (d.relative and not since) or d.range is None or (kind != "point" and not since):
            continue
        # past: before the publication date; in an undated article, a date the noun's own past predicate holds
        # ("the last meeting, which took place in 2020": not "a deal in 2023", which may be this very news)
        if (since or d.tense != "past") if anchor is None else (d.range.start if since else d.range.end) >= anchor:
            continue
        span = parsed.doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        if root.dep_ == "pobj":  # "of 9 June 1999", "on 3 March 2004"
            root = root.head
        if root.head in (holders[1:] if undated else holders) \
                and root.dep_ in ("prep", "nummod", "compound", "npadvmod", "amod"):
            return _began(d.range) if since else d.range
    return None


def _dated_asides(parsed: ParsedDocument, ctx: DocumentContext, sent: Span, by_type: dict[str, _Found],
                  found: list[Event]) -> list[Event]:
    """Earlier agreements and meetings a sentence names with dates of their own ("agreed to revive the pact signed
    on 3 March 2004 and the accord of 9 June 1999"): each is an event of its own, on its own date, quoted by its own
    phrase, beside the one the sentence reports. Their parties are those of the sentence's event of the type."""
    lex = lexicon()
    agreements = lex.sets.get("agreement", frozenset())
    chosen = {f.tok.i for f in by_type.values()}
    out: list[Event] = []
    for tok in sent:
        if tok.pos_ not in ("NOUN", "PROPN") or tok.i in chosen or noun_blocked(tok):
            continue
        lemma = tok.lemma_.lower()
        if tok.pos_ == "PROPN" and lemma.endswith("s") and lemma[:-1] in agreements:  # "the ... Agreements"
            lemma = lemma[:-1]
        event_type = "AGREE" if lemma in agreements else next(
            (r.type for r in lex.nouns.get(lemma, []) if r.type == "CONSULT"), None)
        if event_type is None or (rng := _own_date(parsed, tok)) is None:
            continue
        same = [e for e in found + out if e.type == event_type and e.mentions[0].start >= sent.start_char
                and e.mentions[0].end <= sent.end_char]
        if any(e.date is not None and e.date.start <= rng.end and rng.start <= e.date.end for e in same):
            continue  # the sentence's own event, or one already taken from this sentence
        ids: list[str] = []
        if event_type in by_type:
            codes = list(by_type[event_type].countries)
        else:
            parties = _participants(parsed, ctx, sent, tok, event_type)
            if parties is not None and len(parties[0]) < 2 and len(ctx.pair) == 2 and _earlier_of_pair(tok):
                parties = (sorted(set(parties[0]) | set(ctx.pair)), parties[1])
            if parties is None or len(parties[0]) < 2:
                continue
            codes, ids = parties
        left = tok.left_edge.i
        right = max([tok.i] + [t.i for c in tok.children if c.dep_ not in ("conj", "cc", "punct")
                               for t in c.subtree])
        phrase = parsed.doc[left:right + 1]
        out.append(Event(id=f"{parsed.doc_id}:e{len(found) + len(out) + 1}", type=event_type, date=rng,
                         countries=sorted(codes), mentions=[parsed.mention(phrase.start_char, phrase.end_char)],
                         mode=None if event_type == "AGREE" else "meeting", location=None, actors=ids,
                         topics=topics_of(phrase.text), summary=_clean(sent.text),
                         attributes={"date_source": "text", "trigger": tok.text, "background": True}))
    return out


def _earlier_of_pair(noun: Token) -> bool:
    """"since the last meeting", "their previous summit": in an article about two countries, theirs."""
    return any((c.dep_ == "amod" and c.lower_ in EARLIER_WORDS) or (c.dep_ == "poss" and c.lower_ == "their")
               for c in noun.children)


def _event(parsed: ParsedDocument, ctx: DocumentContext, sent: Span, found: _Found, n: int,
           inherited: tuple[int, DateRange] | None, quote: tuple[int, int] | None = None) -> Event | None:
    """The event a trigger reports, quoted by its sentence (or by the span given)."""
    start, end = _span_of(found.tok)
    if found.kind == FACT:
        rng, source, future = _pick_date(parsed, start, end, found.tok)
        if future:
            return None
    else:  # a stated intention happens when it is said: the reporting clause's date, never the plan's
        rng, source = _statement_date(parsed, sent, found.tok)
    if source == "none":
        rng, source = _pick_date(parsed, sent.start_char, sent.end_char, found.tok)[:2]
    if source == "none" and (BACKGROUND.search(parsed.document.text, *_span_of(found.tok)) or _told_before(found.tok)
                             or _habitual(found.tok)):
        rng, source = None, "background"  # "for years", "in the past": no date to give, not the publication's
    if source == "none" and inherited is not None and not _present(found.tok):
        rng, source = inherited[1], "inherited"
    if source == "none" and (named := _named_agreement_date(parsed, found.tok)) is not None:
        rng, source = named, "inherited"
    if source == "none":
        pub = parsed.document.published
        if pub is not None and pub.days > 1:
            rng, source = _published_window(parsed), "publication"
        elif parsed.anchor is not None:
            rng, source = _recent_window(parsed.anchor), "default"
    location = _location(sent, found.tok, ctx)
    countries = list(found.countries)
    if location is None and ctx.dateline is not None and ctx.dateline.country in countries \
            and not parsed.document.text[:sent.start_char].strip():
        # "ASTANA — Kazakhstan and Uzbekistan signed ...": the lead's news between the dateline's own state and
        # another happened where it was filed ("DUBAI: Iran and Saudi Arabia agreed ..." may have been anywhere)
        location = ctx.dateline
    if location and location.country and location.country not in countries and len(countries) >= 1 \
            and found.rule.type in MEETING_TYPES:
        countries.append(location.country)  # the host takes part
    # Where the meeting it took place at did ("on the sidelines of the summit in Samarkand"): the host of the
    # summit takes no part in what happened beside it.
    location = location or _location(sent, found.tok, ctx, occasions=True)
    attributes: dict[str, object] = {"date_source": source, "trigger": found.tok.text}
    ordinal = _session_ordinal(sent, found.tok)
    if ordinal:
        attributes["session"] = ordinal
    if RECENT.search(sent.text) or source in ("none", "default", "relative", "publication"):
        attributes["recent"] = True
    summary_text = sent.text
    return Event(id=f"{parsed.doc_id}:e{n + 1}", type=found.rule.type, date=rng, countries=sorted(countries),
                 mentions=[parsed.mention(*quote) if quote else _sentence_mention(parsed, sent)],
                 mode=_mode(found.rule, sent, countries, summary_text), location=location,
                 actors=found.actors, topics=topics_of(summary_text), summary=_clean(summary_text),
                 attributes=attributes)


def _sentence_mention(parsed: ParsedDocument, sent: Span) -> Mention:
    text = parsed.document.text
    start, end = sent.start_char, sent.end_char
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return parsed.mention(start, end)
