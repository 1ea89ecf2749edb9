"""Commitments in one document: forward-looking pledges with something checkable.

A pledge is a verb framed as future ("will establish", "agreed to open",
"aiming to reach", "is slated for") or hung on a pledge noun ("assurance on
repatriating", "support in the upcoming elections"), not negated and not
hypothetical. It is a commitment when it is checkable:

- ``target``: a quantity in the pledged clause ("expand trade to $5 billion");
- ``recurring``: a cadence on a meeting ("will meet four times a year");
- ``action``: a specific act ("establish a joint working group").

Vague intentions ("deepen ties", "explore cooperation") without a quantity are dropped.
Money a state announces ("announced a $3 billion loan") is a target in any tense.
The words that decide all this are rows of ``data/commitment_words.tsv``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources

from spacy.tokens import Doc, Span, Token

from pactwatch.countries import find_countries
from pactwatch.dates import DateMatch
from pactwatch.extract.parsed import ParsedDocument
from pactwatch.models import Cadence, Commitment, DateRange, Event, Target
from pactwatch.nlp import text_of
from pactwatch.quantities import Quantity, parse_number
from pactwatch.text import squash_spaces


def _vocabulary() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """``data/commitment_words.tsv``: named word sets, and the objects that make a specific verb vague."""
    text = resources.files("pactwatch").joinpath("data/commitment_words.tsv").read_text(encoding="utf-8")
    sets: dict[str, set[str]] = {}
    light: dict[str, set[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, *cells = line.split("\t")
        if name == "light":
            light.setdefault(cells[0], set()).update(cells[1].split())
        else:
            sets.setdefault(name, set()).update(cells[0].split())
    return ({k: frozenset(v) for k, v in sets.items()}, {k: frozenset(v) for k, v in light.items()})


_SETS, LIGHT_OBJECTS = _vocabulary()
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "would"})
DOUBT_AUX = frozenset({"could", "might", "may", "should", "must"})
PLEDGE_HEADS = _SETS["pledge_heads"]
AGREEMENT_NOUNS = _SETS["agreement_nouns"]
PLEDGE_NOUNS = _SETS["pledge_nouns"]
PROVISION_NOUNS = _SETS["provision_nouns"]
PROVISION_HEADS = _SETS["provision_heads"]
SPECIFIC_ACTS = _SETS["specific_acts"]
VAGUE_ACTS = _SETS["vague_acts"]
ACCEPTED_NOUNS = _SETS["accepted_nouns"]
SUPPORT_VERBS = _SETS["support_verbs"]
ACT_NOUNS = _SETS["act_nouns"]
COMPARISON_PREPS = _SETS["comparison_preps"]
PAIR_PLURALS = _SETS["pair_plurals"]
INSTRUMENT_NOUNS = _SETS["instrument_nouns"]
HELP_VERBS = _SETS["help_verbs"]
ENTRY_VERBS = _SETS["entry_verbs"]
ENTRY_NOUNS = _SETS["entry_nouns"]
DELIVERY_VERBS = _SETS["delivery_verbs"]
ASSURED_NOUNS = _SETS["assured_nouns"]
ASSURING_VERBS = _SETS["assuring_verbs"]
MEETING_WORDS = _SETS["meeting_words"]
REGULAR_WORDS = _SETS["regular_words"]
CONCRETE_ACTS = SPECIFIC_ACTS | MEETING_WORDS
FUTURE_ADJ = _SETS["future_adj"]
VISIT_WORDS = _SETS["visit_words"]
VISIT_NOUNS = _SETS["visit_nouns"]
_CADENCE = [
    (re.compile(r"\b(once|twice|thrice|(?:two|three|four|five|six|\d+)\s+times)\s+(?:a|per|every|each)\s+year\b|"
                r"\b(once|twice|thrice|(?:two|three|four|five|six|\d+)\s+times)\s+(?:yearly|annually)\b", re.I), None),
    (re.compile(r"\bquarterly\b|\bevery\s+(?:three\s+months|quarter)\b", re.I), 4.0),
    (re.compile(r"\bmonthly\b|\bevery\s+month\b|\bonce\s+a\s+month\b", re.I), 12.0),
    (re.compile(r"\bbiannual(?:ly)?\b|\bsemi-annual(?:ly)?\b|\bevery\s+six\s+months\b|\btwice\s+yearly\b", re.I), 2.0),
    (re.compile(r"\bannual(?:ly)?\b|\bevery\s+year\b|\byearly\b|\bonce\s+a\s+year\b", re.I), 1.0),
    (re.compile(r"\bbiennial(?:ly)?\b|\bevery\s+(?:two|other)\s+years?\b", re.I), 0.5),
]
# One of these stands in every cadence above (in ASCII text, lower() reads case as re.I does).
_CADENCE_WORDS = ("year", "annual", "quarter", "month", "biennial")
_TIMES = {"once": 1.0, "twice": 2.0, "thrice": 3.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0, "six": 6.0}
_SCHEDULED = _SETS["scheduled"]  # "is slated for December"
_WITHIN = re.compile(r"\b(?:within|for|in|over)\s+(?:a\s+(?:maximum\s+)?period\s+of\s+|the\s+next\s+)?"
                     r"(?:a|an|one|(?P<n>\w+))\s+"
                     r"(?P<unit>days?|weeks?|months?|years?)\b", re.I)
_PAST_WORDS = re.compile(r"\b(?:last|past|previous|ago|earlier|this)\b", re.I)  # dates that say they are not ahead
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})  # a sentence without one is a headline
_HYPOTHETICAL = frozenset({"if", "unless", "whether", "should"})
MAX_PARTIES = 4
_DUE_RANK = {"deadline": 4, "span": 2, "point": 1}  # "by 2030" over "in the next five years" over "in March"
SPECIFIC_COUNT_MAX = 10  # "repatriate three prisoners", "deliver four corvettes": a specific act, not a target
_EVENT_TYPES = ("AGREE", "CONSULT")


def extract_commitments(parsed: ParsedDocument, events: list[Event]) -> list[Commitment]:
    context = parsed.context
    two_states = any(len(set(e.countries)) >= 2 for e in events)
    out: list[Commitment] = []
    for sent in parsed.doc.sents:
        if context.in_furniture(sent.start_char, sent.end_char):
            continue  # another story's headline, a caption, a link label
        kept, split = _sentence_pledges(parsed, sent, two_states)
        acts = [p.anchor for p in kept if p.kind == "action" and p.anchor is not None]
        for p in kept:
            # acts pledged apart in one list: their dates are not this one's
            others = [a for a in acts if a is not p.anchor and (a in split or p.anchor in split)]
            out.append(_commitment(parsed, events, sent, p, len(out) + 1, others))
    return out


@dataclass(frozen=True)
class _Pledge:
    kind: str
    target: Target | None
    cadence: Cadence | None
    anchor: Token | None  # the pledged verb or noun whose subject is the pledger
    parties: list[str]


def _sentence_pledges(parsed: ParsedDocument, sent: Span, two_states: bool) -> tuple[list[_Pledge], list[Token]]:
    """The sentence's pledges between states, and the acts among them pledged apart from an earlier one."""
    seen: set[tuple[str, frozenset[str], int]] = set()
    kept: list[_Pledge] = []
    split: list[Token] = []
    for kind, target, cadence, anchor in _pledges(sent, parsed.context.quantities):
        parties = _bound_parties(parsed, sent, anchor, two_states)
        if parties is None:
            continue  # no state pledging to another state: a company's plan, a match, a domestic act
        # one pledge of a kind per sentence and pair, however many figures it names ("tariffs on 85% of goods
        # will be eliminated and on a further 5% phased down" is one schedule): the first is its main one;
        # but a second act of its own in a list of acts is a second pledge
        acts = [p.anchor for p in kept if p.kind == "action" and p.anchor is not None]
        own = anchor.i if kind == "action" and anchor is not None and _separate_act(anchor, acts) \
            and not _under_deadline_before(parsed, anchor) else -1
        key = (kind, frozenset(parties), own)
        if key in seen:
            continue
        seen.add(key)
        if own >= 0 and anchor is not None:
            split.append(anchor)
        kept.append(_Pledge(kind, target, cadence, anchor, parties))
    return kept, split


def _separate_act(verb: Token, acts: list[Token]) -> bool:
    """A verb coordinated with a pledged act that does something else to something else: "speed up the launch of
    the centre and create a joint fund", "start talks by February and conclude them within four months". A visit
    and the talks held on it are one pledge ("will visit Lima and hold talks with Boric")."""
    if verb.pos_ not in ("VERB", "AUX") or verb.dep_ != "conj":
        return False
    first = verb.head
    while first.dep_ == "conj" and first.head.pos_ in ("VERB", "AUX") and first not in acts:
        first = first.head
    # the first act is pledged itself, or as what a pledged noun names ("an agreement to speed up ...")
    if (first not in acts and not (first.dep_ == "acl" and first.head in acts)) \
            or first.lemma_.lower() == verb.lemma_.lower():
        return False
    meetings = MEETING_WORDS | VISIT_WORDS
    if first.lemma_.lower() in meetings and verb.lemma_.lower() in meetings:
        return False
    # each acts on its own object ("sign and ratify the accord" is one pledge)
    return all(any(c.dep_ in ("dobj", "prep", "prt", "xcomp") for c in v.children) for v in (first, verb))


def _under_deadline_before(parsed: ParsedDocument, verb: Token) -> bool:
    """"withdraw its troops by May 10 and replace the staff with civilians": an act with no date of its own after
    one with a deadline is part of that one plan, due by the same day."""
    def dates(v: Token) -> list[DateMatch]:
        clause = _own_clause(v)
        return parsed.dates_in(min(t.idx for t in clause), max(t.idx + len(t) for t in clause))

    first = verb.head
    while first.dep_ == "conj" and first.head.pos_ in ("VERB", "AUX"):
        first = first.head
    return not dates(verb) and any(d.kind == "deadline" for d in dates(first))


# ---------- finding pledges ----------

# (kind, target, cadence, the pledged verb or noun whose subject is the pledger)
Found = tuple[str, Target | None, Cadence | None, Token | None]


def _pledges(sent: Span, quantities: Sequence[Quantity]) -> list[Found]:
    out: list[Found] = []
    cadence = _cadence(sent.text)
    for token in sent:
        if token.pos_ in ("VERB", "AUX") and _pledged_verb(token):
            found = _classify(token, sent, quantities, cadence)
            if found:
                out.append((*found, token))
        elif token.pos_ == "NOUN" and _pledged_noun(token):
            found = _classify_noun(token, sent, quantities)
            if found:
                out.append((*found, token))
    out += _provisions(sent, quantities, out)
    if cadence and not any(f[0] == "recurring" for f in out) and _meeting_cadence(sent):
        out.append(("recurring", None, Cadence(cadence), None))
    # "signed an agreement to provide $2 billion": the target says all the agreement's action does
    valued = [f[3] for f in out if f[0] != "action" and f[3] is not None]
    return [f for f in out if not (f[0] == "action" and f[3] is not None
                                   and any(f[3] in v.ancestors for v in valued))]


def _provisions(sent: Span, quantities: Sequence[Quantity], found: list[Found]) -> list[Found]:
    """Money a state announces or envisages: "announced a new 300-million-euro financing protocol",
    "envisages 200 billion yen of investment"; the announcement is the pledge, in any tense."""
    out: list[Found] = []
    for q in quantities:
        if q.kind != "money" or q.value <= 0 or not sent.start_char <= q.start < sent.end_char:
            continue
        span = sent.doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is None:
            continue
        phrase, verb = span.root, span.root
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            phrase, verb = verb, verb.head
        if verb.lemma_.lower() not in PROVISION_HEADS or _negated_or_doubtful(verb) or phrase.dep_ in (
                "nsubj", "nsubjpass") or any(f[3] == verb for f in found):
            continue
        if any(t.lemma_.lower() in PROVISION_NOUNS for t in phrase.subtree) or any(
                t.lemma_.lower() in PROVISION_NOUNS for token in span for t in token.subtree):
            out.append(("target", Target(q.value, q.unit), None, verb))
    return out


def _negated_or_doubtful(token: Token) -> bool:
    for t in (token, *list(token.ancestors)[:3]):
        for child in t.children:
            if child.dep_ == "neg" or (child.dep_ == "aux" and child.lower_ in DOUBT_AUX):
                return True
            if child.dep_ == "mark" and child.lower_ in _HYPOTHETICAL:
                return True
        if t.dep_ in ("ROOT",):
            break
    return False


def _pledged_verb(token: Token) -> bool:
    """Is this verb's act pledged for the future?"""
    return _pledge_form(token) and not _negated_or_doubtful(token)  # the form first: it rules out most verbs cheaply


def _pledge_form(token: Token) -> bool:
    """Does this verb's form pledge its act ("will open", "agreed to open"), negation aside?"""
    auxes = {c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")}
    if auxes & FUTURE_AUX:
        return True
    if token.dep_ == "conj" and token.head.pos_ in ("VERB", "AUX") and not auxes and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in token.children):
        if token.tag_ == "VB" and any(t.pos_ == "VERB" and t.i < token.i and _infinitive(t) and _pledged_verb(t)
                                      for t in token.head.subtree):
            # "an agreement was reached to open X, establish Y and ...": a bare infinitive in a list that the
            # parser hung on the main verb shares the to-infinitive's pledge
            return True
        return _pledged_verb(token.head)  # "agreed to set up X and hold its first meeting in May"
    if token.tag_ in ("VBZ", "VBP") and any(c.dep_ == "nsubj" and _agreement(c) for c in token.children):
        return True  # "the MoU establishes a working group": what an agreement lays down is pledged
    if token.lower_ in _SCHEDULED and token.tag_ == "VBN":  # "slated for December", not "meetings set yearly"
        # "is set for May", but "set to complete a month" is a forecast
        return any((c.dep_ == "xcomp" and token.lower_ != "set") or (c.dep_ == "prep" and c.lower_ in ("for", "on"))
                   for c in token.children)
    if "to" in auxes:
        node = token
        for _ in range(3):  # "agreed to establish", "plans to expand", "aiming to reach", "decided to work to open"
            head = node.head
            if head.i == node.i:  # headlines: "Joint working group to be set up", "Chile, Peru to hold talks"
                return token.dep_ == "ROOT" or not any(t.tag_ in _FINITE for t in token.sent)
            if head.lemma_.lower() in PLEDGE_HEADS or head.lower_ in PLEDGE_HEADS or _accepted(head):
                return not _negated_or_doubtful(head)
            if node.dep_ in ("xcomp", "advcl") and any(c.dep_ in ("dobj", "nsubjpass") and _agreement(c)
                                                       for c in head.children):
                # "signed deals with X to invest", "an agreement was reached to establish": spaCy hangs it on the verb
                return not _negated_or_doubtful(head)
            if node.dep_ == "xcomp" and any(c.dep_ == "dobj" for c in head.children):
                return False  # "urged Africa to adopt": the act is asked of the object, not pledged
            if node.dep_ == "advcl" and head.lemma_.lower() in CONCRETE_ACTS:
                return False  # "hold meetings to monitor progress": the purpose of an act, no pledge of its own
            if node.dep_ not in ("xcomp", "acl", "advcl", "conj", "relcl", "pcomp", "pobj", "prep"):
                return False
            node = head
    return False


def _infinitive(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _accepted(noun: Token) -> bool:
    """"accepted the invitation to visit": an invitation or offer pledges once its addressee accepts it."""
    return noun.lemma_.lower() in ACCEPTED_NOUNS and noun.head.lemma_.lower() == "accept"


def _pledged_noun(token: Token) -> bool:
    """"Yerlikaya's assurance on ...", "support for X in the upcoming elections", "an investment target of ..."."""
    return (token.lemma_ in PLEDGE_NOUNS
            # "assured Togo of its full support in the case of the detained crew"
            or (token.lemma_ in ASSURED_NOUNS and token.head.lower_ == "of"
                and token.head.head.lemma_ in ASSURING_VERBS)
            # the future word may hang on the verb: "announced its support for X in the upcoming elections"
            or (token.lemma_ in ("support", "backing", "vote")
                and any(t.lower_ in FUTURE_ADJ for t in token.head.subtree))) and not _negated_or_doubtful(token)


def _quantity_in(tokens: Span | list[Token], quantities: Sequence[Quantity]) -> Quantity | None:
    idx = [t.idx for t in tokens]
    if not idx:
        return None
    start, end = min(idx), max(t.idx + len(t) for t in tokens)
    inside = [q for q in quantities if start <= q.start and q.end <= end]
    return inside[0] if inside else None


def _subtree(token: Token) -> list[Token]:
    return list(token.subtree)


Kind = tuple[str, Target | None, Cadence | None]


def _classify(verb: Token, sent: Span, quantities: Sequence[Quantity], cadence: float | None) -> Kind | None:
    lemma = verb.lemma_.lower()
    if verb.lower_ in _SCHEDULED and verb.tag_ == "VBN":  # "is slated for May", not "set aside differences"
        act = next((c for c in verb.children if c.dep_ == "xcomp"), None)
        # "is scheduled to take place": the scheduled act decides; "trade is slated to rise" is a forecast
        return _classify(act, sent, quantities, cadence) if act is not None else ("action", None, None)
    scope = _subtree(verb)
    meeting = lemma in MEETING_WORDS or any(t.lemma_ in MEETING_WORDS for t in scope)
    if cadence and meeting and _cadence(" ".join(t.text for t in scope)):
        return ("recurring", None, Cadence(cadence))
    if meeting and any(t.lower_ in REGULAR_WORDS for t in scope):
        return ("recurring", None, None)  # "will hold regular meetings": recurring, no cadence to count
    q = _quantity_in(_own_clause(verb), quantities)
    if q is not None and not _governed_by(q, verb):
        q = None
    if q is not None and not (q.kind == "count" and q.value <= SPECIFIC_COUNT_MAX) and q.value > 0:
        return ("target", Target(q.value, q.unit), None)
    if _entry_into_force(verb):
        return ("action", None, None)  # "the accord will come into force on 29 December"
    if lemma in VAGUE_ACTS or _light(verb):
        return None
    if lemma in SPECIFIC_ACTS or _on_hold(verb) or (lemma in SUPPORT_VERBS and any(
            c.dep_ == "dobj" and c.lemma_.lower() in ACT_NOUNS for c in verb.children)):
        return ("action", None, None)  # "will establish", "put on hold", "make an official visit"
    if lemma == "support" and any(t.lower_ in FUTURE_ADJ for t in verb.subtree):
        return ("action", None, None)  # "will support X in the upcoming elections"
    if lemma in HELP_VERBS and any(c.dep_ in ("xcomp", "ccomp") and c.lemma_.lower() in SPECIFIC_ACTS
                                   for c in verb.children):
        return ("action", None, None)  # "would help secure the release of the crew"
    return None


def _near(t: Token, noun: Token) -> bool:
    """The act hangs on the noun directly or through one preposition."""
    prep = t.head
    return prep == noun or (prep.dep_ == "prep" and (prep.head == noun or (prep.i == noun.i + 1
                                                                           and prep.head == noun.head)))


def _governed_by(q: Quantity, verb: Token) -> bool:
    """The quantity belongs to the verb's own act, not to a participle in between ("flows estimated at 50,000")."""
    span = verb.doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return False
    node = span.root
    while node != verb and node.head != node:
        node = node.head
        if node != verb and node.pos_ in ("VERB", "AUX"):
            return False
    return node == verb


def _light(verb: Token) -> bool:
    """A specific verb whose object makes it vague: "give a push", "open a new chapter", "trust ... built"."""
    objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if verb.dep_ == "relcl":
        objects.append(verb.head)
    vague = LIGHT_OBJECTS.get(verb.lemma_.lower(), frozenset())
    return any(o.lemma_.lower() in vague or o.lower_ in vague for o in objects)


def _entry_into_force(verb: Token) -> bool:
    """"come into force", "enter into effect", "take effect": an agreement's entry into force is a dated act."""
    if verb.lemma_.lower() not in ENTRY_VERBS:
        return False
    objects = [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "into" for g in c.children]
    objects += [c for c in verb.children if c.dep_ == "dobj"]
    return any(o.lemma_.lower() in ENTRY_NOUNS for o in objects)


def _on_hold(verb: Token) -> bool:
    """"put the tariffs on hold": a pause is a specific act."""
    return verb.lemma_ == "put" and any(c.dep_ == "prep" and any(g.lower_ == "hold" for g in c.children)
                                        for c in verb.children)


def _own_clause(verb: Token) -> list[Token]:
    """The verb's subtree without clauses of their own ("... which will ...")."""
    skip: set[int] = set()
    for child in verb.children:
        if child.dep_ in ("relcl", "advcl", "ccomp", "conj", "parataxis") and child.pos_ in ("VERB", "AUX"):
            skip.update(t.i for t in child.subtree)
    return [t for t in verb.subtree if t.i not in skip]


def _classify_noun(noun: Token, sent: Span, quantities: Sequence[Quantity]) -> Kind | None:
    scope = _subtree(noun)
    # spaCy often hangs the noun's complement on the verb: "gave assurances | on repatriating ..."
    after = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
    if after is not None and after.dep_ == "prep" and after.head == noun.head:
        scope += _subtree(after)
    q = _quantity_in(scope, quantities)
    if q is not None and q.value > 0 and not (q.kind == "count" and q.value <= SPECIFIC_COUNT_MAX) \
            and noun.lemma_ in ("target", "goal", "pledge", "commitment", "initiative", "plan"):
        return ("target", Target(q.value, q.unit), None)
    if noun.lemma_ in ("support", "backing", "vote") or noun.lemma_ in ASSURED_NOUNS:
        return ("action", None, None)
    # the pledged act is a verb inside the noun's phrase: "assurance on repatriating three prisoners"
    acts = [t for t in scope if t.pos_ == "VERB" and t.dep_ in ("pcomp", "acl", "xcomp") and _near(t, noun)
            and (t.tag_ == "VBG" or any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children))]
    if any(t.lemma_.lower() in SPECIFIC_ACTS and not _negated_or_doubtful(t) and not _light(t) for t in acts):
        return ("action", None, None)
    return None


def _cadence(text: str) -> float | None:
    if text.isascii() and not any(word in text.lower() for word in _CADENCE_WORDS):
        return None  # most sentences: the six patterns need not be tried
    for pattern, per_year in _CADENCE:
        m = pattern.search(text)
        if m:
            if per_year is not None:
                return per_year
            word = (m.group(1) or m.group(2) or "").lower().removesuffix("times").strip()
            return _TIMES.get(word) or float(word) if word else None
    return None


def _meeting_cadence(sent: Span) -> bool:
    """A cadence on a meeting, even without a future verb: "with meetings set four times yearly"."""
    if any(t.dep_ == "neg" for t in sent):
        return False
    return any(t.lemma_.lower() in MEETING_WORDS for t in sent)


# ---------- who pledges to whom ----------

# Subject heads that stand for a state: "the Egyptian government", "Kenyan officials", "both sides".
STATE_NOUNS = _SETS["state_nouns"]
# Standing bodies: bilateral when joint or named for two states ("the Kenya-Ethiopia joint commission").
BODY_NOUNS = _SETS["body_nouns"]
# Agreements bind their parties: "the MoU establishes", "the ceasefire will be monitored".
BINDING_NOUNS = AGREEMENT_NOUNS | _SETS["binding_nouns"]
# A meeting or an act in the passive names no pledger of its own: the context must say whose it is.
IMPERSONAL_NOUNS = MEETING_WORDS | _SETS["impersonal_nouns"]
# Titles that make a named person a state actor when the actor extractor read no role.
STATE_TITLES = _SETS["state_titles"]
# An agreement context: binding only in an article whose events involve two states.
_AGREEMENT_SIGNAL = re.compile(r"\b(?:agreement|agreed|deal|accord|pact|treaty|mou|memorandum|protocol|ceasefire|"
                               r"cease-fire|truce|arrangement|roadmap|communiqu[eé]|declaration)\b", re.I)
@dataclass(frozen=True)
class _Pledger:
    kind: str  # state | bilateral | binding (an agreement) | meeting | open (a pronoun, an agent) | unnamed | none
    countries: tuple[str, ...] = ()


_NONE = _Pledger("none")
_OPEN = _Pledger("open")
_UNNAMED = _Pledger("unnamed")  # a passive that sets something up: "a programme will be adopted", no pledger named


def _bound_parties(parsed: ParsedDocument, sent: Span, anchor: Token | None, two_states: bool) -> list[str] | None:
    """The states a pledge binds, or None when no state pledges to another one; ``two_states``: some event of
    the article involves two states."""
    pledger = _pledger(parsed, anchor) if anchor is not None else _OPEN
    if pledger.kind == "none":
        return None
    pair = parsed.context.pair
    if pledger.kind == "state" and (parsed.context.sport or parsed.context.sport_words(sent.text)):
        return None  # "France will host Italy": a team
    # "both sides", "the agreement", "the next session": the article's pair, where the article is about two states
    paired = pledger.kind == "bilateral" or parsed.context.both_sides(sent.text) or (
        two_states and (pledger.kind in ("binding", "meeting") or _AGREEMENT_SIGNAL.search(sent.text)))
    out = list(pledger.countries)
    if paired and pledger.kind != "state":
        out += [c for c in pair if c not in out]
    named = _sentence_countries(parsed, sent)
    if pledger.kind == "state" and not pledger.countries and named:
        # an official whose state the article never names, acting towards a state ("Prime Minister X will proceed
        # to Vienna"), serves one of the article's two states, not the one a place in the sentence belongs to
        out += list(pair)
    out += [c for c in named if c not in out]
    if len(out) < 2 and (paired or (two_states and not pledger.countries and set(out) & set(pair))
                         or (two_states and pledger.kind == "unnamed" and not out)):
        # "Egypt will train officers under the agreement"; "the minister's assurance on repatriating Pakistani
        # prisoners": an official of unknown country acting on one of the pair acts for the other; "a programme
        # will be adopted by the end of the month", naming no state, in an article about two: the pair's act
        out += [c for c in pair if c not in out]
    return out[:MAX_PARTIES] if len(out) >= 2 else None


def _sentence_countries(parsed: ParsedDocument, sent: Span) -> list[str]:
    """Countries the sentence names, and those of the people and bodies it mentions, but not those named
    for comparison ("its second-largest market after Germany and France")."""
    out = [c for c in _countries_in(sent.text) if not _compared(sent, c)]
    for actor_id in _actors_in(parsed, sent):
        actor = next((a for a in parsed.actors if a.id == actor_id), None)
        for code in actor.countries if actor and actor.kind != "country" else []:  # countries: read above
            if code not in out:
                out.append(code)
    return out


def _compared(sent: Span, code: str) -> bool:
    """Every mention of the country in the sentence hangs on a preposition of comparison."""
    mentions = [c for c in find_countries(sent.text) if c.code == code]
    if not mentions:
        return False  # found only in a hyphenated pair: "the Kenya-Ethiopia commission"
    for c in mentions:
        span = sent.doc.char_span(sent.start_char + c.start, sent.start_char + c.end, alignment_mode="expand")
        node = span.root if span is not None else None
        while node is not None and node.dep_ in ("pobj", "conj", "compound", "amod", "appos", "cc"):
            node = node.head
        if node is None or node.dep_ != "prep" or node.lower_ not in COMPARISON_PREPS:
            return False
    return True


def _pledger(parsed: ParsedDocument, anchor: Token) -> _Pledger:
    """Who makes the pledge: the subject of the pledged verb (or of the verb it hangs on), or the noun's owner."""
    if anchor.pos_ == "NOUN":
        return _noun_pledger(parsed, anchor)
    node = anchor
    for _ in range(4):
        agent = next((c for c in node.children if c.dep_ == "agent"
                      and not any(g.ent_type_ in ("DATE", "TIME") for g in c.children)), None)  # "by the end of May"
        if agent is not None:
            obj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            return _subject_pledger(parsed, obj) if obj is not None else _OPEN
        subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj")), None)
        if subj is not None:
            if subj.dep_ in ("nsubjpass", "expl", "csubj"):
                found = _subject_pledger(parsed, subj)
                # "a mechanism will be set up": the thing set up is not the pledger
                if found.kind in ("bilateral", "binding", "meeting"):
                    return found
                return _UNNAMED if subj.lemma_.lower() in INSTRUMENT_NOUNS else _OPEN
            if subj.lower_ == "it" and node.dep_ == "ccomp":  # "the landlocked country said it would start": its teller
                subj = next((c for c in node.head.children if c.dep_ == "nsubj" and c.tag_ in ("NN", "NNP")), subj)
            found = _subject_pledger(parsed, subj)
            if found.kind == "none" and node.lemma_.lower() in DELIVERY_VERBS:
                return _OPEN  # "the first unit will enter service next year": a thing delivered, not a pledger
            return found
        if node.dep_ in ("acl", "relcl") and _accepted(node.head):
            node = node.head.head  # "X accepted the invitation to visit": X pledges
            continue
        if node.dep_ in ("acl", "relcl") and node.head.pos_ in ("NOUN", "PROPN"):
            head = node.head  # "a decision to hold", "a body which will meet"
            if head.lemma_.lower() in PLEDGE_NOUNS:
                return _noun_pledger(parsed, head)
            if head.dep_ == "dobj" and head.head.pos_ in ("VERB", "AUX") and (node.dep_ == "acl" or _infinitive(node)):
                node = head.head  # "to adopt a programme to increase trade": whoever adopts the programme
                continue
            return _subject_pledger(parsed, head)
        if node.dep_ not in ("xcomp", "conj", "advcl", "ccomp", "pcomp", "prep", "pobj") or node.head is node:
            break
        node = node.head
    return _OPEN  # a headline infinitive: "Joint working group to be set up"


def _noun_pledger(parsed: ParsedDocument, noun: Token) -> _Pledger:
    """"Egypt's assurance", "a Saudi initiative", "the agreement to give", "Kenya announced its support"."""
    if noun.lemma_.lower() in BINDING_NOUNS:
        return _Pledger("binding", _core_countries(noun))
    own = _core_countries(noun)
    if own:
        return _Pledger("state", own)
    owner = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ != "PRON"), None)
    if owner is not None:
        return _subject_pledger(parsed, owner)
    verb = noun.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb and verb.dep_ in ("prep", "pobj", "dobj", "attr",
                                                                                       "appos", "conj"):
        verb = verb.head
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb.pos_ in ("VERB", "AUX") else None
    return _subject_pledger(parsed, subj) if subj is not None and subj is not noun else _OPEN


def _core(noun: Token) -> list[Token]:
    """The noun with its modifiers and coordinated nouns, without clauses and prepositional phrases."""
    out = [noun]
    for child in noun.children:
        if child.dep_ in ("compound", "amod", "poss", "det", "nummod", "quantmod", "nmod", "predet", "cc", "conj",
                          "flat", "npadvmod"):
            out += _core(child) if child.dep_ == "conj" else list(child.subtree)
    return sorted(out, key=lambda t: t.i)


def _core_countries(noun: Token) -> tuple[str, ...]:
    tokens = _core(noun)
    return tuple(_countries_in(text_of(noun.doc)[tokens[0].idx:tokens[-1].idx + len(tokens[-1])]))


def _countries_in(text: str) -> list[str]:
    """Country codes in order, reading both halves of a hyphenated pair ("the Kenya-Ethiopia commission")."""
    out: list[str] = []
    for c in find_countries(text) + find_countries(text.replace("-", " ")):
        if c.code not in out:
            out.append(c.code)
    return out


def _subject_pledger(parsed: ParsedDocument, subj: Token) -> _Pledger:
    """State, bilateral, binding, open or none, read from the subject's head and its modifiers."""
    if subj.pos_ == "PRON" or subj.dep_ == "expl":
        return _OPEN  # "it will", "they agreed": the sentence must name both states
    if subj.text in agreement_acronyms(subj.doc):
        return _Pledger("binding", _core_countries(subj))  # "the CEPA will come into effect by May"
    lemma = subj.lemma_.lower()
    tokens = _core(subj)
    words = {t.lower_ for t in tokens}
    countries = _core_countries(subj)
    if _names_country(subj):
        return _Pledger("state", countries)
    person = _person_pledger(parsed, tokens)
    if person is not None:
        return person
    if subj.tag_ in ("NNS", "NNPS") and (lemma in PAIR_PLURALS or subj.lower_.removesuffix("s") in PAIR_PLURALS) \
            and any(c.dep_ == "det" and c.lower_ in ("the", "both") for c in subj.children) \
            and not any(c.dep_ in ("amod", "compound") and c.pos_ != "PROPN" for c in subj.children):
        return _Pledger("bilateral", countries)  # "the parties agreed", "the delegations will reconvene"
    if lemma in STATE_NOUNS or subj.lower_ in STATE_NOUNS:
        if words & {"both", "two", "joint"}:
            return _Pledger("bilateral", countries)
        if subj.ent_type_ in ("ORG", "PERSON") and not countries:
            return _NONE  # "the Food and Drug Administration"
        return _Pledger("state", countries)
    if lemma in BODY_NOUNS:
        whole = list(subj.subtree)  # "the new body of Kenyan and Ethiopian officials"
        countries = tuple(_countries_in(text_of(subj.doc)[whole[0].idx:whole[-1].idx + len(whole[-1])]))
        if words & {"joint", "bilateral"} or len(countries) >= 2:
            return _Pledger("bilateral", countries)
        # "the working group will meet": the pair's body only in an article about two states
        return _Pledger("state", countries) if countries else _Pledger("meeting")
    if lemma in BINDING_NOUNS:
        return _Pledger("binding", countries)
    if lemma in IMPERSONAL_NOUNS:
        return _Pledger("meeting")
    return _NONE


# A name the article gives an agreement and the acronym it defines for it: "the Comprehensive Economic Partnership
# Agreement (CEPA)", "the Philippines-Japan Reciprocal Access Agreement (RAA)".
# At most a dozen words: a run of capitalised words with no acronym after it is given up at once, not tried from
# each of its words to its end (a page of such words would cost the square of its length).
_DEFINED_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|on|for|and|the|in)\s+){0,2}[A-Z][\w'’-]*){0,11}"
                           r"\s*\(([A-Z][A-Za-z]{1,7})\)")


def agreement_acronyms(doc: Doc) -> frozenset[str]:
    """The acronyms a text defines for the names of agreements (worked out once per parse)."""
    found = doc.user_data.get("agreement_acronyms")
    if found is None:
        text = text_of(doc)
        found = doc.user_data["agreement_acronyms"] = frozenset(
            m[1] for m in _DEFINED_NAME.finditer(text) if text[m.start():m.start(1) - 1].split()[-1].lower()
            in BINDING_NOUNS)
    return found


def _agreement(token: Token) -> bool:
    """An agreement noun, or the acronym the text gave an agreement ("the CEPA")."""
    return token.lemma_.lower() in AGREEMENT_NOUNS or token.text in agreement_acronyms(token.doc)


def _names_country(subj: Token) -> bool:
    """The subject is a country itself ("Egypt", "Iran and Saudi Arabia", "Riyadh"), not a firm named for one."""
    if subj.pos_ != "PROPN":
        return False
    start = subj.idx
    while start > 0 and text_of(subj.doc)[start - 1] not in " \n\t(\"'“":
        start -= 1
    text = text_of(subj.doc)[subj.sent.start_char:subj.sent.end_char]
    for c in find_countries(text):
        a, b = subj.sent.start_char + c.start, subj.sent.start_char + c.end
        if a <= subj.idx < b:
            # "China Mobile", "Korea Telecom": a name that goes on past the country is a firm
            return not (subj.i + 1 < len(subj.doc) and subj.doc[subj.i + 1].pos_ == "PROPN"
                        and subj.doc[subj.i + 1].idx >= b and subj.doc[subj.i + 1].head == subj)
    return False


def _state_title(title: str) -> bool:
    return any(w in STATE_TITLES or w in STATE_NOUNS for w in title.lower().split())


def _person_at(parsed: ParsedDocument, offset: int) -> bool:
    actor_id = parsed.actor_at.get(offset)
    return actor_id is not None and any(a.id == actor_id and a.kind == "person" for a in parsed.actors)


def _person_pledger(parsed: ParsedDocument, tokens: list[Token]) -> _Pledger | None:
    """A named person acts for a state when they hold a state title; None when the subject names nobody."""
    if not any(t.ent_type_ == "PERSON" or _person_at(parsed, t.idx) for t in tokens):
        return None  # spaCy reads some names as places ("Lula"); the actor extractor knows them
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    titled = any(t.lower_ in STATE_TITLES for t in tokens)  # "Foreign Minister X" where the actor has no role
    countries: list[str] = list(_countries_in(parsed.document.text[start:end]))
    for offset, actor_id in parsed.actor_at.items():
        actor = next((a for a in parsed.actors if a.id == actor_id), None) if start <= offset < end else None
        if actor is not None and actor.kind == "person":
            # a singer or a chief executive is no state actor, whatever country they come from
            roles = [r for r in actor.roles if _state_title(r.title)]
            titled = titled or bool(roles)
            countries += [r.country for r in roles if r.country] or (actor.countries if roles else [])
    return _Pledger("state", tuple(dict.fromkeys(countries))) if titled else _NONE


# ---------- building the record ----------

def _commitment(parsed: ParsedDocument, events: list[Event], sent: Span, pledge: _Pledge, n: int,
                others: Sequence[Token] = ()) -> Commitment:
    event = _event_for(events, sent)
    made_on = event.date if event and event.date else parsed.document.published
    stated = _stated(sent, pledge.anchor, others)
    return Commitment(
        id=f"{parsed.doc_id}:c{n}",
        statement=squash_spaces(stated.text),
        kind=pledge.kind,
        parties=pledge.parties,
        mentions=[parsed.span_mention(stated)],
        actors=_actors_in(parsed, sent),
        topics=list(event.topics) if event else [],
        made_on=made_on,
        event=event.id if event else None,
        target=pledge.target,
        due=_due(parsed, sent, pledge.anchor, made_on.end if made_on else None, others) or (
            made_on if _during_visit(sent) else None),
        cadence=pledge.cadence,
        attributes={"goal": bool(re.search(r"\b(?:aim|target|goal|reach|raise|increase|expand|double|boost)",
                                           sent.text, re.I))},
    )


def _during_visit(sent: Span) -> bool:
    """The sentence places the pledge on a visit under way: "four agreements are due to be signed on the two-day
    visit", "during his stay in Lima he plans to meet ...", "a visit during which he will hold talks": it is due
    while the visit lasts."""
    for tok in sent:
        if tok.dep_ == "prep" and tok.lower_ in ("during", "on", "over", "throughout"):
            for obj in (c for c in tok.children if c.dep_ == "pobj"):
                noun = obj.head.head if obj.lower_ == "which" and obj.head.head.dep_ == "relcl" else obj
                noun = noun.head if noun.dep_ == "relcl" else noun
                if noun.lemma_.lower() in VISIT_NOUNS:
                    return True
    return False


def _stated(sent: Span, act: Token | None, others: Sequence[Token]) -> Span:
    """Where the pledge is stated: its sentence, but only up to the end of its own clause when other acts pledged
    apart follow it ("agreed to open a consulate | and create a joint fund")."""
    later = [o for o in others if o.i > act.i] if act is not None else []
    if act is None or not later:
        return sent
    # the acts pledged apart after it are theirs, even where they hang inside this act's phrase ("an agreement
    # to speed up the launch of the centre | and create a joint fund")
    theirs = {t.i for o in later for t in o.subtree}
    end = max(t.i for t in _own_clause(act) if t.dep_ not in ("cc", "punct") and t.i not in theirs) + 1
    return sent.doc[sent.start:end] if sent.start < end < sent.end else sent


def _event_for(events: list[Event], sent: Span) -> Event | None:
    """The AGREE or CONSULT event reported in the same sentence, else the document's agreement or meeting."""
    candidates = [e for e in events if e.type in _EVENT_TYPES]
    for e in candidates:
        if any(sent.start_char <= m.start < sent.end_char for m in e.mentions):
            return e
    for t in _EVENT_TYPES:
        match = next((e for e in candidates if e.type == t), None)
        if match:
            return match
    return None


def _actors_in(parsed: ParsedDocument, sent: Span) -> list[str]:
    out: list[str] = []
    for offset, actor_id in parsed.actor_at.items():
        if sent.start_char <= offset < sent.end_char and actor_id not in out:
            out.append(actor_id)
    return out


def _due(parsed: ParsedDocument, sent: Span, act: Token | None, base: date | None,
         others: Sequence[Token] = ()) -> DateRange | None:
    """The date the pledge is due: a deadline or a future date in its own clause, else in its sentence, else
    "within two months"; "start talks by February and conclude them within four months" are two dues."""
    if act is not None and act.pos_ in ("VERB", "AUX"):
        clause = _own_clause(act)
        start, end = min(t.idx for t in clause), max(t.idx + len(t) for t in clause)
        if (start, end) != (sent.start_char, sent.end_char):
            own = _due_in(parsed, start, end) or _within(parsed.document.text[start:end], base or parsed.anchor)
            if own is not None:
                return own
    # the sentence's dates, but not those of the other acts pledged apart in it ("create a body and hold its
    # first meeting in May": May is the meeting's)
    apart = [(min(t.idx for t in c), max(t.idx + len(t) for t in c)) for c in map(_own_clause, others)]
    return _due_in(parsed, sent.start_char, sent.end_char, apart) or (
        None if others else _within(sent.text, base or parsed.anchor))


def _due_in(parsed: ParsedDocument, start: int, end: int, apart: Sequence[tuple[int, int]] = ()) -> DateRange | None:
    anchor = parsed.anchor
    best: tuple[int, DateRange] | None = None
    for d in parsed.dates_in(start, end):
        if d.range is None or d.kind == "since" or any(a <= d.start < b for a, b in apart):
            continue
        rng = d.range
        if anchor is not None and rng.end < anchor and d.relative and not _PAST_WORDS.search(d.text) and (
                rng.precision == "month" or (d.kind == "deadline" and rng.precision == "day")):
            # "in January" said of a pledge in November is next January; "has agreed to withdraw by June 30"
            # resolved into the past by the verb's tense is the coming June 30
            rng = _next_year(rng)
        elif anchor is not None and rng == DateRange.day(anchor) and d.tense != "past":
            pass  # "will sign the accord today"
        elif d.tense == "past" or (anchor is not None and rng.end <= anchor and d.kind != "deadline"):
            continue  # "on Saturday" in Saturday's article is when it was made, not when it is due
        elif anchor is None and d.tense != "future" and d.kind != "deadline":
            continue  # undated article: only dates that say themselves they lie ahead
        rank = _DUE_RANK.get(d.kind, 0) + (1 if d.tense == "future" else 0)
        if best is None or rank > best[0]:
            best = (rank, rng)
    return best[1] if best else None


def _next_year(rng: DateRange) -> DateRange:
    if rng.start.year == date.max.year:  # the calendar ends here
        return DateRange(rng.start, date.max, "day")
    if rng.precision == "day":
        year, month = rng.start.year + 1, rng.start.month
        return DateRange.day(date(year, month, min(rng.start.day, calendar.monthrange(year, month)[1])))
    return DateRange.month(rng.start.year + 1, rng.start.month)


def _within(text: str, base: date | None) -> DateRange | None:
    """"within a maximum period of two months", "on hold for one month": from the day it was made."""
    m = _WITHIN.search(text)
    if m is None or base is None:
        return None
    n = parse_number(m["n"]) if m["n"] else 1.0
    if n is None:
        return None
    unit = m["unit"].lower()
    try:
        if unit.startswith("day"):
            end = base + timedelta(days=n)
        elif unit.startswith("week"):
            end = base + timedelta(weeks=n)
        elif unit.startswith("month"):
            month = base.month - 1 + int(n)
            year = base.year + month // 12
            end = date(year, month % 12 + 1, min(base.day, calendar.monthrange(year, month % 12 + 1)[1]))
        else:
            end = date(base.year + int(n), base.month, min(base.day, 28))
    except (OverflowError, ValueError):  # a period that ends past the calendar's last day: no deadline
        return None
    return DateRange(base, end, "day")
