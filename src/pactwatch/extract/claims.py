"""Quantitative claims in one document: every amount, percentage, measure and count stated as fact or projection.

The quantities come from ``pactwatch.quantities``; this module decides which of
them are claims (not "the two countries", not a number inside a date), and
reads from the parse what each one measures (its subject), the date it refers
to (its period) and the countries its sentence names.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from pactwatch.countries import find_countries
from pactwatch.extract.parsed import ParsedDocument
from pactwatch.models import Claim, DateRange
from pactwatch.quantities import Quantity, find_amounts, find_counts

# Determiners before a number that make it a reference, not a quantity ("the two countries").
_REFERRING = frozenset({"the", "these", "those", "both", "its", "their", "his", "her", "our", "all"})
# The bilateral pair itself ("two sides") is not a claim.
_PAIR_NOUNS = frozenset({"sides", "countries", "nations", "leaders", "parties", "neighbours", "neighbors",
                         "ministers", "states", "governments", "delegations", "men", "women", "sessions"})
_PROJECTION = re.compile(r"\b(?:will|would|target|targets|aim\w*|goal|expected|projected|forecast\w*|plans?|to reach|"
                         r"by 20\d\d|set to|could|estimated)\b", re.IGNORECASE)
_NUMBER_WORDS = frozenset({"not", "a", "single", "zero", "no", "one", "$", "€", "£", "%", "percent", "per", "cent"})
_SUBJECT_DROP = re.compile(r"^(?:the|a|an|some|about|around|over|nearly|almost|more than|at least|up to|its|their)\s+",
                           re.IGNORECASE)
_MAX_SUBJECT_WORDS = 9
# Words between a figure and what it measures ("worth $3 billion", "valued at").
_LINKS = frozenset({"worth", "valued", "totalling", "totaling", "amounting", "estimated", "at", "of", "to", "around",
                    "about", "nearly", "over", "some"})


def extract_claims(parsed: ParsedDocument) -> list[Claim]:
    doc = parsed.doc
    amounts = find_amounts(doc.text)
    counts = find_counts(doc, [(q.start, q.end) for q in amounts])
    claims: list[Claim] = []
    for q in sorted(amounts + counts, key=lambda q: (q.start, q.value)):
        if q.kind == "count" and not _is_count_claim(doc, q, parsed):
            continue
        sent = _sentence(doc, q)
        claims.append(Claim(
            id=f"{parsed.doc_id}:k{len(claims) + 1}",
            subject=_subject(doc, q),
            value=q.value,
            unit=q.unit,
            mentions=[parsed.mention(q.start, q.end)],
            period=_period(parsed, q, sent),
            countries=_countries(sent.text),
            attributes={"projection": bool(_PROJECTION.search(sent.text)), "kind": q.kind},
        ))
    return claims


def _sentence(doc: Doc, q: Quantity) -> Span:
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    return span.sent if span is not None else doc[:]


def _is_count_claim(doc: Doc, q: Quantity, parsed: ParsedDocument) -> bool:
    first = doc.char_span(q.start, q.end, alignment_mode="expand")
    if first is None:
        return False
    prev = doc[first.start - 1] if first.start > 0 else None
    if prev is not None and prev.lower_ in _REFERRING:
        return False
    if q.value == 2 and (q.noun or "").lower() in _PAIR_NOUNS:
        return False
    if q.value == 1 and q.unit != "persons":
        return False  # "one of the", "one country": a count of one thing is rarely a claim
    return not any(d.start <= q.start < d.end for d in parsed.dates)


def _countries(text: str) -> list[str]:
    out: list[str] = []
    for c in find_countries(text):
        if c.code not in out:
            out.append(c.code)
    return out


def _period(parsed: ParsedDocument, q: Quantity, sent: Span) -> DateRange | None:
    """The date the sentence ties the quantity to: the nearest resolved date in its sentence."""
    dates = [d for d in parsed.dates_in(sent.start_char, sent.end_char) if d.range is not None]
    if not dates:
        return None
    nearest = min(dates, key=lambda d: min(abs(d.start - q.end), abs(q.start - d.end)))
    return nearest.range


# ---------- subjects ----------

def _subject(doc: Doc, q: Quantity) -> str:
    """What the quantity measures, as a short noun phrase from its sentence."""
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return ""
    if q.kind == "count" and q.head is not None:
        return _phrase(doc[q.head], span)
    # "45 tonnes of heroin", "11 per cent of Pakistan's arms imports": the of-phrase says what is measured
    for t in span:
        for child in t.children:
            if child.dep_ == "prep" and child.lower_ == "of" and child.i >= span.end:
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return _phrase(obj, span)
    return _governing_phrase(span)


def _governing_phrase(span: Span) -> str:
    """Climb from the quantity to the noun it measures: "projects worth $3.5 billion", "trade reached $1 billion"."""
    node = span.root
    for _ in range(5):
        head = node.head
        if head is node:
            break
        if head.i in range(span.start, span.end):
            node = head
            continue
        if node.dep_ == "pobj" or head.lower_ in _LINKS:
            node = head
            continue
        if head.pos_ in ("NOUN", "PROPN"):
            return _phrase(head, span)
        if head.pos_ in ("VERB", "AUX"):
            subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.pos_ != "PRON":
                return _phrase(subj, span)
            obj = next((c for c in head.children if c.dep_ == "dobj" and c.i not in range(span.start, span.end)), None)
            if obj is not None and node.dep_ != "dobj":  # "expand bilateral trade to $5 billion"
                return _phrase(obj, span)
            if head.dep_ in ("xcomp", "acl", "advcl", "relcl", "conj", "ccomp"):
                node = head
                continue
        break
    for t in span:  # "a 35 percent increase": the quantity modifies its own head noun
        if t.head.pos_ in ("NOUN", "PROPN") and t.head.i >= span.end:
            return _phrase(t.head, span)
    return ""


def _phrase(noun: Token, quantity: Span) -> str:
    """The noun with its modifiers and an of-phrase, without the quantity, determiners and clauses."""
    keep = {noun.i}
    for child in noun.children:
        if child.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod") and child.i < noun.i:
            keep.update(t.i for t in child.subtree)
        if child.dep_ == "prep" and child.lower_ in ("of", "in", "from", "to", "between") and child.i > noun.i:
            keep.update(t.i for t in child.subtree)
    keep -= {t.i for t in quantity if t.i != noun.i and (t.like_num or t.lower_ in _NUMBER_WORDS)}
    tokens = [noun.doc[i] for i in sorted(keep) if noun.doc[i].pos_ != "PUNCT" or noun.doc[i].text in "'’"]
    tokens = tokens[:_MAX_SUBJECT_WORDS]
    text = "".join(t.text_with_ws for t in tokens).strip()
    return _SUBJECT_DROP.sub("", text).strip()
