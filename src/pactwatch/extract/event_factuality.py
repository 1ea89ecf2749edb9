"""Whether a trigger reports something that happened, and what a statement of intent counts as.

PLOVER (after CAMEO 03, 12 and 13) codes a stated intention as an event of its own, dated when it
is said: "Norway said it will send aid" is AGREE (intent to cooperate), "said it would impose
sanctions" is THREATEN, "said it will not accept refugees" is REJECT, and what one party says another
must do is a demand ("said Chile must return the ship" is REQUEST, CAMEO 10). A bare future or planned
action with no one stating the intention ("the ministers will meet next month") is no event.
"""

from __future__ import annotations

from spacy.tokens import Token

MODALS = {"will", "would", "could", "might", "may", "should", "shall", "can", "must", "'ll", "wo", "ca"}
# Modals that state an intention when someone says them ("will", "would"); the rest are hedges.
INTENT_MODALS = {"will", "would", "'ll", "wo", "shall"}
# A modal of obligation said of another party makes a demand ("X said Y must withdraw").
DEMAND_MODALS = {"must"}
# Governors after which an infinitive still reports a real action ("continued to shell").
CONTINUATIVE = {"begin", "start", "continue", "keep", "resume", "manage", "proceed", "go", "decide"}
PLANNED_AMODS = {"upcoming", "planned", "proposed", "future", "next", "possible", "potential", "expected",
                 "scheduled", "prospective", "forthcoming", "likely", "would-be"}
HYPOTHETICAL_MARKS = {"if", "unless", "whether", "lest"}
NEGATING_GOVERNORS = {"fail", "refuse", "decline", "avoid", "reject", "deny", "stop"}
# Verbs and adjectives that make the infinitive under them a stated intention ("offered to mediate").
INTENT_GOVERNORS = {"offer", "pledge", "promise", "vow", "swear", "intend", "willing", "ready", "prepared", "prepare",
                    "determined", "commit", "committed", "agree", "threaten", "plan", "announce", "undertake",
                    "volunteer", "resolve", "propose"}
# Governors whose infinitive is a concrete offer even about a meeting ("offered to negotiate").
OFFER_GOVERNORS = {"offer", "willing", "ready", "prepared", "volunteer", "agree", "propose"}
REPORTING = {"say", "announce", "state", "declare", "tell", "confirm", "insist", "add", "stress", "reiterate",
             "warn", "claim", "indicate", "signal", "make", "affirm", "assure", "write", "report", "vow", "pledge",
             "promise", "decide", "threaten", "conclude"}
COOPERATIVE = {"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"}
HOSTILE = {"SANCTION", "COERCE", "ASSAULT", "MOBILIZE", "PROTEST"}

# Nouns of promise and plan: an action under one ("the assurance on repatriating", "plans for building") is
# a commitment, not an event.
PROMISE_NOUNS = {"assurance", "pledge", "promise", "plan", "commitment", "vow", "proposal", "intention", "intent",
                 "offer", "bid", "hope", "aim", "goal", "target", "undertaking", "guarantee", "prospect", "readiness",
                 "willingness", "possibility", "option", "idea", "initiative", "roadmap", "call", "demand", "request",
                 "deadline", "timeline", "timetable"}

FACT, INTENT, OFFER, REFUSAL, CONDITIONAL, DEMAND, NOT_FACT = (
    "fact", "intent", "offer", "refusal", "conditional", "demand", "no")


def lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def governor(tok: Token) -> Token | None:
    """The verb a noun trigger hangs from ("hold talks", "result in an agreement")."""
    t = tok
    for _ in range(4):
        if t.head is t:
            return None
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return t
    return None


def clause_verb(tok: Token) -> Token:
    """The verb whose clause a trigger belongs to."""
    if tok.pos_ in ("VERB", "AUX"):
        return tok
    return governor(tok) or tok


def objects(tok: Token) -> list[Token]:
    """Objects of a verb: direct, passive subject, attribute, prepositional and particle objects."""
    out = []
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "dative"):
            out.append(c)
        elif c.dep_ in ("prep", "agent", "prt"):
            out.extend(g for g in c.children if g.dep_ == "pobj")
    if tok.dep_ in ("acl", "relcl"):  # "the deal, struck in Beijing": the noun modified is the object
        out.append(tok.head)
    # Coordinated objects ("aid and medicines") count too.
    return out + [g for o in out for g in o.conjuncts]


def _markers(v: Token) -> tuple[bool, bool, bool, bool]:
    """(negated, intent modal, hedge modal, hypothetical) marked on one verb."""
    neg = intent = hedge = hypo = False
    for c in v.children:
        if c.dep_ == "neg":
            neg = True
        elif c.dep_ in ("aux", "auxpass") and (c.lower_ in MODALS or c.tag_ == "MD"):
            intent |= c.lower_ in INTENT_MODALS
            hedge |= c.lower_ not in INTENT_MODALS
        elif c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS:
            hypo = True
    return neg, intent, hedge, hypo


def _said(v: Token) -> bool:
    """Whether a clause is someone's statement: it hangs from a reporting verb, or one hangs from it
    ("X will send aid, the minister said")."""
    if any(c.dep_ in ("parataxis", "ccomp") and lemma(c) in REPORTING for c in v.children):
        return True
    if any(_trailing_attribution(v, c) for c in v.children):
        return True
    t = v
    for _ in range(3):
        if t.dep_ not in ("ccomp", "xcomp", "conj", "advcl") or t.head is t:
            return False
        t = t.head
        if t.pos_ in ("VERB", "AUX") and lemma(t) in REPORTING:
            return True
    return False


def demanded(v: Token) -> bool:
    """A clause someone says another party must carry out: "must" on the verb, said by someone, and a subject
    that names a party other than the speakers ("said Chile must return the ship", not "we must act", nor
    "the two countries must cooperate", which the speaker is one of)."""
    if not any(c.dep_ == "aux" and c.lower_ in DEMAND_MODALS for c in v.children) or not _said(v):
        return False
    subjects = [c for c in v.children if c.dep_ == "nsubj"]
    return bool(subjects) and all(_other_party(s) for s in subjects)


def _other_party(s: Token) -> bool:
    """A subject naming a party the speaker is not part of: a state, a person, an organisation, a government."""
    if s.pos_ == "PRON" or s.lower_ in SELF_INCLUSIVE or any(c.lower_ in ("both", "two", "all") for c in s.children):
        return False
    return s.ent_type_ in ("GPE", "NORP", "ORG", "PERSON") or s.pos_ == "PROPN" or lemma(s) in PARTY_HEADS \
        or s.lower_ in PARTY_HEADS


# Heads of a subject that can be another party ("the government", "the rebels", "forces").
PARTY_HEADS = {"government", "authorities", "forces", "army", "military", "rebels", "regime", "leadership", "side",
               "troops", "police", "administration", "junta", "militia", "militias", "group", "nations", "states"}
# Subjects that include whoever speaks: "both sides", "the international community" must act together.
SELF_INCLUSIVE = {"sides", "countries", "parties", "everyone", "community", "world", "all"}


def _trailing_attribution(v: Token, c: Token) -> bool:
    """ "X will send aid, the minister said" parsed as two coordinated clauses: a reporting verb after a comma
    and no conjunction joining it."""
    return c.dep_ == "conj" and c.i > v.i and lemma(c) in REPORTING and any(t.text == "," for t in v.doc[v.i:c.i]) \
        and not any(g.dep_ == "cc" and v.i < g.i < c.i for g in v.children)


def _unless(v: Token) -> bool:
    return any(c.lower_ == "unless" for t in (v, *v.subtree) if t.dep_ == "advcl" for c in t.children
               if c.dep_ == "mark")


def noun_blocked(tok: Token) -> bool:
    """A noun trigger denied or put off by its own modifiers ("no agreement", "the planned visit"), or counting
    many acts in the perfect ("14 summits have been held", "have held numerous meetings"): a history, no one
    event ("held several meetings on Monday" is one day's)."""
    for c in tok.children:
        if c.lower_ in ("no", "any") and c.dep_ in ("det", "neg"):
            return True
        if c.dep_ in ("amod", "compound") and c.lower_ in PLANNED_AMODS:
            return True
        if tok.tag_ in ("NNS", "NNPS") and ((c.dep_ == "nummod" and _count(c) >= MANY)
                                             or (c.dep_ == "amod" and c.lower_ in MANY_WORDS)) \
                and any(a.dep_ == "aux" and lemma(a) == "have" for a in clause_verb(tok).children):
            return True
    return tok.head.lower_ in ("without", "before", "ahead") or tok.head.head.lower_ == "ahead"


MANY = 3  # "two rounds of talks" may be one visit's; "14 summits", "three meetings" a record of many
MANY_WORDS = frozenset({"several", "many", "numerous", "countless", "multiple"})
_COUNT_WORDS = {"three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                "dozen": 12, "dozens": 24, "hundreds": 200}


def _count(tok: Token) -> int:
    """A number word's value where it is a plain count ("14", "three"), else 0."""
    text = tok.lower_.replace(",", "")
    return int(text) if text.isdigit() and len(text) < 5 else _COUNT_WORDS.get(text, 0)


def _hypothetical_above(v: Token) -> bool:
    """A hypothetical governing clause ("if X attacks", "whether to ...")."""
    if any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS for c in v.children):
        return True
    return any(anc.pos_ in ("VERB", "AUX") and any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS
                                                 for c in anc.children) for anc in v.ancestors)


def _promised(tok: Token) -> bool:
    """An action named under a promise or plan noun ("X's assurance on repatriating prisoners"), or said to be
    one ("the withdrawal is a pledge of the president")."""
    if tok.dep_ == "nsubj" and lemma(tok.head) == "be" and any(
            c.dep_ == "attr" and lemma(c) in PROMISE_NOUNS for c in tok.head.children):
        return True
    t = tok
    for _ in range(4):
        if t.dep_ not in ("pcomp", "pobj", "prep", "acl", "xcomp", "compound") or t.head is t:
            return False
        t = t.head
        if t.pos_ == "NOUN" and lemma(t) in PROMISE_NOUNS:
            return True
        if t.pos_ in ("VERB", "AUX"):  # "commitments made during the meeting": the meeting is no promise
            return False
    return False


# Verbs of purpose: an action under them is an aim, not a fact ("funds aimed at supporting X").
PURPOSE = {"aim", "intend", "design", "mean", "seek", "try", "attempt", "hope", "want", "wish"}
# Verbs of belief: what someone believes, fears, perceives or hopes is an opinion, neither a fact nor a promise
# ("states perceive the US withdrawing", "I believe he will give his support", "the US hopes X and Y will reach
# an agreement").
BELIEF = {"believe", "think", "fear", "suspect", "perceive", "feel", "reckon", "assume", "imagine", "doubt", "guess",
          "speculate", "worry", "hope"}


# Verbs that make an action possible without its taking place ("an agreement allowing the deployment of troops").
ENABLING = {"allow", "permit", "enable", "pave"}


def _enabled(tok: Token) -> bool:
    """An event noun that is what something makes possible: the object of "allow", "enable", "pave the way for"."""
    t = tok
    for _ in range(4):
        if t.dep_ not in ("dobj", "pobj", "prep", "compound") or t.head is t:
            return False
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return lemma(t) in ENABLING
    return False


def _believed(v: Token) -> bool:
    """A clause that is the content of a belief: it hangs, through complements, from a verb of belief before it
    ("X believes Y attacked", not "Y was accused ..., much of it believed to ...", a parse that hangs the main
    clause from a parenthesis after it)."""
    t = v
    for _ in range(3):
        if t.dep_ not in ("ccomp", "xcomp", "oprd", "dobj") or t.head is t:
            return False
        t = t.head
        if t.pos_ in ("VERB", "AUX") and (lemma(t) in BELIEF or _bases(t.lower_) & BELIEF):
            return t.i < v.i
    return False


def _bases(word: str) -> set[str]:
    """What an inflected verb form may be the base of, where the lemmatizer errs ("hopes" -> "hop")."""
    out = {word}
    if word.endswith(("s", "d")):
        out.add(word[:-1])
    if word.endswith("ing"):
        out |= {word[:-3], word[:-3] + "e"}
    return out


def _describes(v: Token) -> bool:
    """A relative clause in the simple present whose subject is its noun says what the noun does as a rule ("the
    movement that seeks independence"): a description, not something that happened ("refugees, whom the
    authorities blame for ..." reports the authorities' act)."""
    return v.dep_ == "relcl" and v.tag_ in ("VBZ", "VBP") and not any(
        c.dep_ in ("aux", "auxpass") for c in v.children) and any(
        c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP") for c in v.children)


def _embedded_blocked(v: Token) -> bool:
    """A gerund or participle with no clause of its own takes its truth from the verb it hangs from:
    "could engage in supporting", "will never tolerate a government threatening", "aimed at supporting"."""
    if v.tag_ not in ("VBG", "VBN") or any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in v.children):
        return False
    t = v
    for _ in range(6):
        if t.head is t:
            return False
        t = t.head
        if t.pos_ not in ("VERB", "AUX"):
            continue
        if lemma(t) in PURPOSE:
            return True
        neg, intent, hedge, _ = _markers(t)
        if hedge or (neg and intent):
            return True
        if t.tag_ not in ("VBG", "VBN") or any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in t.children):
            return False
    return False


# Words that make a clause a forecast of what is to come: "are expected to explore", "is set to sign", "is likely
# to visit". An act named in such a clause ("during the summit on Tuesday, the leaders are expected to ...")
# has not happened yet.
FORECAST = {"expect", "schedule", "slate", "set", "due", "likely", "poise"}


def _forecast(v: Token) -> bool:
    """The clause says what is expected to happen: a forecast verb in the passive, or a forecast adjective, with an
    infinitive of its own."""
    def with_infinitive(t: Token) -> bool:
        return any(c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.tag_ == "TO" for g in c.children)
                   for c in t.children)

    if lemma(v) in FORECAST and any(c.dep_ == "auxpass" for c in v.children) and with_infinitive(v):
        return True
    return any(c.dep_ == "acomp" and lemma(c) in FORECAST and (with_infinitive(c) or with_infinitive(v))
               for c in v.children)


def factuality(tok: Token) -> str:
    """FACT, or the kind of statement of intent the trigger's clause makes (INTENT, OFFER, REFUSAL,
    CONDITIONAL), or NOT_FACT (negated, hedged, hypothetical, merely planned or promised)."""
    if _promised(tok):
        return NOT_FACT
    if tok.pos_ in ("NOUN", "PROPN") and (noun_blocked(tok) or _enabled(tok)):
        return NOT_FACT
    if tok.sent.text.rstrip().endswith("?"):
        return NOT_FACT
    v = clause_verb(tok)
    if _hypothetical_above(v) or _embedded_blocked(v) or _believed(v) or _describes(v) or _forecast(v):
        return NOT_FACT
    object_negated = any(c.lower_ == "no" and c.dep_ in ("det", "neg") for o in objects(v) for c in o.children)
    chain = [v]
    t = v
    # The auxiliaries of coordinated verbs sit on the first one ("will meet and discuss").
    while t.dep_ == "conj" and t.head is not t:
        t = t.head
        chain.append(t)
    negated = object_negated
    modal = hedge = False
    offer = None
    for verb in chain:
        neg, intent, hed, _ = _markers(verb)
        negated |= neg
        modal |= intent
        hedge |= hed
        infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
        head = lemma(verb.head)
        if verb.dep_ == "xcomp" and head in NEGATING_GOVERNORS:
            return REFUSAL
        if infinitive and verb.dep_ == "xcomp" and head in CONTINUATIVE:
            continue
        if infinitive and (verb.dep_ in ("xcomp", "acomp") or verb.head.dep_ == "acomp"):
            gov = verb.head
            if lemma(gov) in INTENT_GOVERNORS or gov.lower_ in INTENT_GOVERNORS:
                offer = lemma(gov) in OFFER_GOVERNORS or gov.lower_ in OFFER_GOVERNORS
                negated |= _markers(gov)[0]
                continue
            return NOT_FACT
        if infinitive:
            return NOT_FACT
        if verb.dep_ == "pcomp" and verb.head.lower_ in ("before", "without"):
            return NOT_FACT
    if hedge:
        return DEMAND if not negated and demanded(v) else NOT_FACT
    if offer is not None:
        return REFUSAL if negated else (OFFER if offer else INTENT)
    if modal:
        if not _said(v):
            return NOT_FACT
        if negated:
            return REFUSAL
        return CONDITIONAL if _unless(v) else INTENT
    return NOT_FACT if negated else FACT


def intent_type(event_type: str, kind: str) -> str | None:
    """The PLOVER type a statement of intent about an ``event_type`` action counts as, if any."""
    if kind in (FACT, NOT_FACT):
        return event_type if kind == FACT else None
    if kind == REFUSAL:
        return "REJECT" if event_type in COOPERATIVE | {"REQUEST"} else None
    if kind == DEMAND:
        return "REQUEST"
    if kind == CONDITIONAL or event_type in HOSTILE:
        return "THREATEN"
    if event_type == "CONSULT":  # a meeting someone merely will hold is a plan, not a promise
        return "AGREE" if kind == OFFER else None
    if event_type in COOPERATIVE:
        return "AGREE"
    return None
