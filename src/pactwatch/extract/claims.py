"""Quantitative claims in one document: every amount, percentage, measure and count stated as fact or projection.

The quantities are the document context's (found by ``pactwatch.quantities``); this module decides which of
them are claims (not "the two countries", not a number inside a date), and
reads from the parse what each one measures (its subject), the date it refers
to (its period) and the countries its sentence names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from pactwatch.extract.parsed import ParsedDocument
from pactwatch.models import Claim, DateRange
from pactwatch.nlp import text_of
from pactwatch.quantities import Quantity

# Determiners before a number that make it a reference, not a quantity ("the two countries").
_REFERRING = frozenset({"the", "these", "those", "both", "its", "their", "his", "her", "our", "all"})
# The bilateral pair itself ("two sides") is not a claim.
_PAIR_NOUNS = frozenset({"sides", "countries", "nations", "leaders", "parties", "neighbours", "neighbors",
                         "ministers", "states", "governments", "delegations", "men", "women", "sessions"})
_PROJECTION = re.compile(r"\b(?:will|would|target|targets|aim\w*|goal|expected|projected|forecast\w*|plans?|to reach|"
                         r"by 20\d\d|set to|could|estimated)\b", re.IGNORECASE)
# A sentence that sets figures of different things side by side ("370 ships compared with 290"): its figures
# measure one thing each, and another report's figure for the other thing contradicts neither.
_COMPARISON = re.compile(r"\b(?:compared (?:with|to)|as against|versus|vs\.?|ratio|outnumber\w*|times (?:as many|more)"
                         r"|twice as many|whereas)\b", re.IGNORECASE)
_NUMBER_WORDS = frozenset({"not", "a", "single", "zero", "no", "one", "$", "€", "£", "%", "percent", "per", "cent"})
_SUBJECT_DROP = re.compile(r"^(?:the|a|an|some|about|around|over|nearly|almost|more than|at least|up to|its|their)\s+",
                           re.IGNORECASE)
_MAX_SUBJECT_WORDS = 9
_SUBJECT_EDGE_START = re.compile(r"^(?:(?:m|bn|k|mn)\b\.?|[\W_])+\s*", re.IGNORECASE)
_SUBJECT_EDGE_END = re.compile(r"(?:\s+(?:of|in|to|for|from|by|at|on|and|with|about|around|some|nearly|almost|over|"
                               r"m|bn|k|mn))+$|[\W_]+$", re.IGNORECASE)
_PREPOSITION_FIRST = re.compile(r"^(?:in|of|to|for|from|by|at|on|with)\b", re.IGNORECASE)  # "5.1% in Germany"
_AMOUNT_IN_SUBJECT = re.compile(r"\d[\d.,]*\s*(?:m|bn|k|mn|million|billion|trillion)?\s*(?:euros?|dollars?|"
                                r"pounds?|yen|yuan|rupees?|francs?|Swiss francs)\b|[$€£¥]\s?\d", re.IGNORECASE)
_APPROX = r"(?:about|around|roughly|approximately|approx\.?|nearly|almost|over|some|c\.|or|US)?\s*"
_CONVERSION_GAP = re.compile(rf"\s*(?:\(|\[|,\s*or\s+)\s*{_APPROX}", re.IGNORECASE)
_NEXT_CONVERSION = re.compile(rf"\s*[;,/]\s*{_APPROX}", re.IGNORECASE)
# Subjects that say nothing of what is measured: a unit, a scale letter, a pronoun.
_EMPTY_SUBJECT = re.compile(r"^(?:[%$€£¥]|m|bn|k|mn|per\s*cent|percent|euros?|dollars?|pounds?|yen|yuan|rupees?|"
                            r"francs?|those|these|this|that|it|they|which|what|one|some|all|each|others?|"
                            r"figure|figures|number|total|amount|sum|rest|move|year|years)$", re.IGNORECASE)
# Words between a figure and what it measures ("worth $3 billion", "valued at").
_LINKS = frozenset({"worth", "valued", "totalling", "totaling", "amounting", "estimated", "at", "of", "to", "around",
                    "about", "nearly", "over", "some"})


def extract_claims(parsed: ParsedDocument) -> list[Claim]:
    doc, context = parsed.doc, parsed.context
    claims: list[Claim] = []
    seen: set[tuple[int, int, float]] = set()
    converted = _conversions(text_of(doc), context.quantities)
    for q in sorted(context.quantities, key=lambda q: (q.start, q.value)):
        if (q.kind == "count" and not _is_count_claim(doc, q, parsed)) or context.in_furniture(q.start, q.end):
            continue  # a figure in page furniture (a comment count, another story's headline) is no claim
        if (q.start, q.end, q.value) in seen or (q.start, q.end) in converted:
            continue  # one figure, one claim; "$861m (£460m)": the conversion restates the original
        seen.add((q.start, q.end, q.value))
        sent = _sentence(doc, q)
        claims.append(Claim(
            id=f"{parsed.doc_id}:k{len(claims) + 1}",
            subject=_subject(doc, q),
            value=q.value,
            high=q.high,
            unit=q.unit,
            mentions=[parsed.mention(q.start, q.end)],
            period=_period(parsed, q, sent),
            countries=context.countries_in(sent.start_char, sent.end_char),
            attributes={"projection": bool(_PROJECTION.search(sent.text)), "kind": q.kind,
                        "comparison": bool(_COMPARISON.search(sent.text)), **({"counted": q.noun} if q.noun else {})},
        ))
    return claims


def _conversions(text: str, quantities: Sequence[Quantity]) -> set[tuple[int, int]]:
    """Money restated in another currency right after the original: "4.3bn rupees ($98m; £52m)", ", or about $5m"."""
    out: set[tuple[int, int]] = set()
    money = [q for q in quantities if q.kind == "money"]
    for prev, q in pairwise(money):
        gap = text[prev.end:q.start]
        if prev.unit != q.unit and (_CONVERSION_GAP.fullmatch(gap) or ((prev.start, prev.end) in out
                                                                        and _NEXT_CONVERSION.fullmatch(gap))):
            out.add((q.start, q.end))
    return out


def _sentence(doc: Doc, q: Quantity) -> Span:
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    return span.sent if span is not None else doc[:]


def _told_before(doc: Doc, q: Quantity, span: Span) -> bool:
    """The figure's number stands earlier in the text (the first word of its span, as written)."""
    return re.search(rf"(?<![\w.,]){re.escape(span[0].text)}(?![\w]|[.,]\d)", text_of(doc)[:q.start]) is not None


def _is_count_claim(doc: Doc, q: Quantity, parsed: ParsedDocument) -> bool:
    first = doc.char_span(q.start, q.end, alignment_mode="expand")
    if first is None:
        return False
    prev = doc[first.start - 1] if first.start > 0 else None
    if prev is not None and prev.lower_ in _REFERRING and (prev.lower_ != "the" or _told_before(doc, q, first)):
        return False  # "the 19 agreements" refers back to a figure given before, if there is one
    if q.value == 2 and (q.noun or "").lower() in _PAIR_NOUNS:
        return False
    if q.value == 1 and q.unit != "persons":
        return False  # "one of the", "one country": a count of one thing is rarely a claim
    return not any(d.start <= q.start < d.end for d in parsed.dates)


def _period(parsed: ParsedDocument, q: Quantity, sent: Span) -> DateRange | None:
    """The date the sentence ties the quantity to: the nearest resolved date in its sentence."""
    dates = [d for d in parsed.dates_in(sent.start_char, sent.end_char) if d.range is not None]
    if not dates:
        return None
    nearest = min(dates, key=lambda d: min(abs(d.start - q.end), abs(q.start - d.end)))
    return nearest.range


# ---------- subjects ----------

def _subject(doc: Doc, q: Quantity) -> str:
    """What the quantity measures, as a short noun phrase from its sentence, never a bare unit or nothing."""
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return q.text
    subject = _clean_subject(_read_subject(doc, q, span))
    if _meaningful(subject):
        return subject
    return _nearest_chunk(span) or q.text


def _clean_subject(text: str) -> str:
    text = text.split("\n")[-1]  # a headline glued to the first line: keep the line the figure is on
    text = _SUBJECT_EDGE_START.sub("", text)
    return _SUBJECT_EDGE_END.sub("", text).strip()


def _meaningful(subject: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2}", subject)) and not _EMPTY_SUBJECT.match(subject) \
        and not _PREPOSITION_FIRST.match(subject) \
        and not _AMOUNT_IN_SUBJECT.search(subject)


def _nearest_chunk(span: Span) -> str:
    """The closest noun phrase of the sentence that says something: "sales fell 2.8%, profits 3%"."""
    chunks = [c for c in span.sent.noun_chunks if (c.end <= span.start or c.start >= span.end)
              and c.root.pos_ not in ("PRON", "NUM") and c.root.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT",
                                                                                 "CARDINAL", "PERSON")]
    chunks.sort(key=lambda c: (0 if c.end <= span.start else 1, min(abs(span.start - c.end), abs(c.start - span.end))))
    for c in chunks:
        text = _clean_subject(_SUBJECT_DROP.sub("", c.text).strip())
        if _meaningful(text):
            return text
    return ""


def _read_subject(doc: Doc, q: Quantity, span: Span) -> str:
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
            measured = next((c for c in head.children if c.dep_ == "dobj" and c.i not in range(span.start, span.end)),
                            None)
            if measured is not None and node.dep_ == "prep" and node.lower_ in ("by", "to", "from"):
                return _phrase(measured, span)  # "cut its profits by $3.8m": the object is what changes
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
    keep -= {t.i for t in quantity if t.i != noun.i}  # the figure itself is no part of what it measures
    tokens = [noun.doc[i] for i in sorted(keep) if noun.doc[i].pos_ != "PUNCT" or noun.doc[i].text in "'’"]
    tokens = tokens[:_MAX_SUBJECT_WORDS]
    text = "".join(t.text_with_ws for t in tokens).strip()
    return _SUBJECT_DROP.sub("", text).strip()
