"""People, organisations, countries and standing bodies in one document.

Everything is read from the text: people from spaCy's PERSON entities and from
capitalised names that follow a title ("Field Marshal Asim Munir", which the
small model tags ORG), with roles and countries from the title before the
name ("Turkish Interior Minister", "Interior Minister of Turkiye",
"Pakistan's Commerce Minister") or an apposition after it ("Jam Kamal Khan,
the commerce minister"). Standing bodies (joint working groups, joint
commissions, "India-Japan Summit") come from a small grammar of their names.
The vocabulary is general (``data/actor_words.txt``): titles, honorifics,
particles; never names.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from itertools import pairwise

import gender_guesser.detector
from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein
from spacy.tokens import Doc, Span, Token
from wordfreq import zipf_frequency

from pactwatch.countries import AMBIGUOUS, country_code, country_name, find_countries
from pactwatch.extract.parsed import ParsedDocument
from pactwatch.models import Actor, Mention, Role
from pactwatch.nlp import text_of
from pactwatch.text import fold, has_diacritics, whole_word_spans

POSSESSIVE = {"'s", "’s", "'", "’"}
HYPHENS = {"-", "‐"}
WEEKDAYS_MONTHS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                   "february", "march", "april", "june", "july", "august", "september", "october", "november",
                   "december", "today", "yesterday", "tonight"}
CONNECTORS = {"of", "for", "and", "&", "the", "on", "to"}
ROMAN = re.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX|X{1,2})$")
NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.-]*|[a-z]{1,3}-[A-ZÀ-Þ][\w'’-]*)$")
BAD_NAME_CHARS = re.compile(r"[0-9@#/_|]")
ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                 "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12}
ORDINAL = r"(?:\d{1,3}(?:st|nd|rd|th)|" + "|".join(ORDINAL_WORDS) + r")"
SESSION_BEFORE = re.compile(rf"\b({ORDINAL})\s+(?:(?:session|meeting|edition|round|sitting)\s+of\s+(?:the\s+)?)?$",
                            re.I)
SESSION_AFTER = re.compile(rf"^(?:['’]s)?\s+({ORDINAL})\s+(?:session|meeting|edition|round|sitting)\b", re.I)
# "— Claudia Sheinbaum (@handle) February 3": who signed an embedded post.
SIGNATURE = re.compile(r"[—–-]\s*((?:[A-ZÀ-Þ][\w'’.-]+\s){1,3}[A-ZÀ-Þ][\w'’.-]+)\s*\(@\w+\)")
ACRONYM_AFTER = re.compile(r"^\s*\(([A-Z][A-Za-z&-]{1,9})\)")


@dataclass(frozen=True)
class _Vocab:
    heads: frozenset[str]
    modifiers: frozenset[str]
    honorifics: frozenset[str]
    abbreviations: dict[str, str]
    ranks: frozenset[str]
    particles: frozenset[str]
    not_name_tails: frozenset[str]
    not_names: frozenset[str]
    body_heads: tuple[str, ...]
    body_markers: frozenset[str]
    domestic_markers: frozenset[str]
    status_words: frozenset[str]
    name_suffixes: frozenset[str]
    interstate_markers: frozenset[str]
    thing_nouns: frozenset[str]
    place_nouns: frozenset[str]
    honorifics_after: frozenset[str]
    patronymics: frozenset[str]


@lru_cache(maxsize=1)
def vocab() -> _Vocab:
    sections: dict[str, list[str]] = {}
    text = resources.files("pactwatch").joinpath("data/actor_words.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or ":" not in line:
            continue
        name, _, rest = line.partition(":")
        sections.setdefault(name.strip(), []).extend(w.strip() for w in rest.split(";") if w.strip())
    low = {k: frozenset(w.lower() for w in v) for k, v in sections.items()}
    abbrev = dict(w.split("=", 1) for w in sections["abbreviations"])
    return _Vocab(low["heads"], low["modifiers"], low["honorifics"], abbrev, low["ranks"], low["particles"],
                  low["not_name_tails"], low["not_names"],
                  tuple(sorted(low["body_heads"], key=len, reverse=True)), low["body_markers"],
                  low["domestic_markers"], low["status_words"], low["name_suffixes"],
                  low["interstate_markers"], low["thing_nouns"],
                  low["place_nouns"], low["honorifics_after"], low["patronymics"])


# ---------------------------------------------------------------- people


@dataclass
class _Candidate:
    """One surface occurrence of a person's name (token span, honorific and title stripped)."""

    start: int  # token indices
    end: int
    text: str
    prefix: str | None = None  # "Mr", "PM", "President" right before the name
    roles: list[Role] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    from_title: bool = False  # found after a title, or as a PERSON entity with one
    at_place: bool = False  # the object of "at" or "in": "at Seri Perdana", "in Bukit Aman"
    person_entity: bool = False  # the parser's entity recognizer tags a word of it PERSON


@dataclass
class _Person:
    name: str
    tokens: list[str]  # folded words of the name
    candidates: list[_Candidate] = field(default_factory=list)


def _is_title_word(tok: Token) -> bool:
    low = tok.lower_
    v = vocab()
    return low in v.heads or low in v.modifiers or tok.text in v.abbreviations


def _is_head(tok: Token) -> bool:
    return tok.lower_ in vocab().heads or tok.text in vocab().abbreviations


def _name_ok(tok: Token) -> bool:
    """Can this token be part of a person's name?"""
    text = tok.text
    if text in HYPHENS:
        return True  # "al-Burhan", "El-Khatib": checked for spacing in _valid_name
    if BAD_NAME_CHARS.search(text) or tok.is_space:
        return False
    if text.lower() in vocab().particles or ROMAN.match(text):
        return True
    if len(text) <= 2 and text.rstrip(".").isalpha() and text[0].isupper():
        return True  # initials: "S Jaishankar"
    if len(text) == 3 and text.isalpha() and text.isupper() and tok.i + 1 < len(tok.doc) \
            and not country_code(text):
        after = tok.doc[tok.i + 1]  # three initials before a name: "AKM Mozammel Haq", not "MEA Secretary"
        return after.pos_ == "PROPN" and after.is_title and not _is_title_word(after)
    return bool(NAME_TOKEN.match(text)) and not text.isupper()


def _clean_span(doc: Doc, start: int, end: int) -> tuple[int, int, str | None]:
    """Drop leading determiners, honorifics and titles and trailing possessives; return the prefix kept aside."""
    v = vocab()
    prefix_start = None
    while start < end:
        tok = doc[start]
        low = tok.lower_
        if tok.is_space or tok.is_punct or low in ("the", "a", "an") or tok.text in POSSESSIVE:
            start += 1
        elif low in v.honorifics or tok.text in v.abbreviations or low in v.ranks or (
                low in v.honorifics_after and _after_honorific(doc, start)):
            prefix_start = start if prefix_start is None else prefix_start
            start += 1
        elif _is_title_word(tok):
            start += 1
        elif country_code(tok.text) and end - start > 2 and doc[start + 1].text in POSSESSIVE:
            start += 1  # "Türkiye's" swallowed by the entity
        else:
            break
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in POSSESSIVE or (doc[end - 1].is_punct
                           and doc[end - 1].text != ".") or doc[end - 1].lower_ in WEEKDAYS_MONTHS):
        end -= 1
    if prefix_start is None and start > 0:
        before = doc[start - 1]  # "Mr Hun Sen", "PM Albanese": the entity left the honorific out
        bare = start < 2 or not (_is_title_word(doc[start - 2]) or country_code(doc[start - 2].text)
                                 or doc[start - 2].text in POSSESSIVE)
        if before.lower_ in v.honorifics or before.text in v.abbreviations or (before.lower_ in v.ranks and bare):
            prefix_start = start - 1
    prefix = doc[prefix_start:start].text.strip() if prefix_start is not None else None
    return start, end, prefix


def _after_honorific(doc: Doc, i: int) -> bool:
    """Token i follows a courtesy word, an apostrophe aside ("Datuk Seri", "Dato' Sri")."""
    k = i - 1
    while k >= 0 and doc[k].text in ("'", "’"):
        k -= 1
    return k >= 0 and doc[k].lower_.rstrip("'’") in vocab().honorifics


def _valid_name(doc: Doc, start: int, end: int) -> bool:
    if end <= start or end - start > 6:
        return False
    v = vocab()
    toks = list(doc[start:end])
    if not all(_name_ok(t) for t in toks) or toks[0].text in HYPHENS or toks[-1].text in HYPHENS:
        return False
    if any(t.text in HYPHENS and (t.whitespace_ or doc[t.i - 1].whitespace_) for t in toks):
        return False
    if toks[0].lower_ in v.particles and not toks[0].text[:1].isupper():
        return False
    if toks[-1].lower_ in v.not_name_tails or toks[-1].lower_ in v.particles:
        return False
    if any(t.lower_ in v.not_names for t in toks):
        return False
    if any(_is_title_word(t) and t.lower_ not in v.particles and not _inside_name(t) for t in toks):
        return False
    text = doc[start:end].text
    return all(m.text in AMBIGUOUS for m in find_countries(text))


def _person_spans(parsed: ParsedDocument) -> list[tuple[int, int, bool]]:
    """Token spans that may name people: PERSON entities, names after titles, post signatures."""
    doc = parsed.doc
    spans: list[tuple[int, int, bool]] = []
    ents = list(doc.ents)
    for n, ent in enumerate(ents):
        if ent.label_ == "PERSON":
            end, k = ent.end, n + 1
            # "Faisal bin Sultan" + "Al Qasimi": a name the model cut before a particle goes on (the longer
            # span wins over the part in _person_candidates).
            while k < len(ents) and ents[k].start == end and ents[k].label_ == "PERSON" and \
                    doc[end].lower_ in vocab().particles:
                end, k = ents[k].end, k + 1
            spans.extend(_split_coordination(doc, _extend_left(doc, ent.start), end, False))
        elif ent.label_ in ("ORG", "GPE", "NORP", "FAC") and (titled := _titled_name(doc, ent)) is not None:
            spans.append((titled, ent.end, True))  # "Field Marshal Asim Munir", "Kazakh President X-Y Z" tagged ORG
    for tok in doc:
        if (_is_head(tok) or tok.lower_ in vocab().ranks) and not _inside_name(tok) and \
                not (tok.is_lower and tok.pos_ == "ADJ"):  # "a major Free Trade Deal": no rank
            spans.extend(_name_after_title(doc, tok.i))
    for m in SIGNATURE.finditer(text_of(doc)):
        span = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if span is not None:
            spans.append((span.start, span.end, True))
    return spans


def _titled_name(doc: Doc, ent: Span) -> int | None:
    """Where the title starts in an entity that is a title and a name ("Field Marshal Asim Munir", "Kazakh
    President Ana-Maria Ruiz Vega"): a title, after nothing or only a country word, then two or more names."""
    titles = [t.i for t in ent if _is_title_word(t)]
    if not any(_is_head(doc[i]) for i in titles) or not all(country_code(t.text) for t in doc[ent.start:titles[0]]):
        return None  # "Réunion de Haut Niveau": "de" may start a title ("de facto"), but no head word follows
    rest = doc[max(titles) + 1:ent.end]
    if len(rest) >= 2 and all(t.pos_ == "PROPN" or _joining_hyphen(doc, t.i, rest.start) for t in rest):
        return titles[0]
    return None


def _extend_left(doc: Doc, start: int) -> int:
    """'Sanjay Kumar Verma' tagged from 'Kumar': a given name the model left out."""
    k = start
    while k > 0 and start - k < 2:
        t = doc[k - 1]
        if t.pos_ != "PROPN" or t.ent_type_ not in ("", "NORP") or not t.is_title or _is_title_word(t) \
                or country_code(t.text) or t.is_sent_start or t.lower_ in vocab().honorifics \
                or t.lower_ in WEEKDAYS_MONTHS or t.lower_ in vocab().not_name_tails or t.lower_ in vocab().not_names:
            break
        k -= 1
    return k


def _split_coordination(doc: Doc, start: int, end: int, titled: bool) -> list[tuple[int, int, bool]]:
    """'Modi and Kishida' tagged as one entity is two people."""
    out, s = [], start
    for i in range(start, end):
        if doc[i].lower_ in ("and", "&") or doc[i].text in (",", ";"):
            out.append((s, i, titled))
            s = i + 1
    out.append((s, end, titled))
    return out


def _inside_name(tok: Token) -> bool:
    """A title word right after a particle is a name ('Zayed bin Sultan'), and so is an honorific between two
    words of a name ('Hassan Sheikh Mohamud')."""
    if tok.i == 0 or not tok.text[:1].isupper():
        return False
    before = tok.doc[tok.i - 1]
    if before.lower_ in vocab().particles:
        return True
    after = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return tok.lower_ in vocab().honorifics and before.pos_ == "PROPN" and _name_ok(before) and \
        not _is_title_word(before) and after is not None and after.pos_ == "PROPN" and not _is_title_word(after)


PORTFOLIO_WORDS = 5  # "Energy and Natural Resources": the most words one part of a title's portfolio runs to
PORTFOLIO_PARTS = 3  # "Foreign Affairs, African Cooperation and Moroccan Expatriates"


def _title_case_words(doc: Doc, i: int) -> list[Token]:
    """The capitalised words (and the "and" between them) from token i on, up to PORTFOLIO_WORDS, not ending in
    "and"."""
    run: list[Token] = []
    while i < len(doc) and len(run) < PORTFOLIO_WORDS and (doc[i].is_title or doc[i].lower_ in ("and", "&")):
        run.append(doc[i])
        i += 1
    while run and run[-1].lower_ in ("and", "&"):
        run.pop()
    return run


def _name_after_title(doc: Doc, i: int) -> list[tuple[int, int, bool]]:
    """The capitalised name right after a title word ('Minister Talal Chaudhry'), if any."""
    if doc[i].ent_type_ in ("ORG", "FAC", "GPE", "LOC", "PRODUCT") and i + 1 < len(doc) and \
            doc[i + 1].ent_iob_ == "I" and doc[i + 1].lower_ != "of":
        return []  # "General Motors": the title word is part of a name of a thing ("Minister of Transport" is none)
    j = i + 1
    if j < len(doc) and doc[j].text == "(":  # "Secretary (East) Jaideep Mazumdar"
        close = next((k for k in range(j, min(j + 6, len(doc))) if doc[k].text == ")"), None)
        j = close + 1 if close is not None else j
    if j + 1 < len(doc) and doc[j].lower_ == "of" and country_code(doc[j + 1].text):
        # "the President of Serbia, Aleksandar Vucic": past the whole country name, a comma must follow
        # ("Prime Minister of Saudi Arabia", "Commander of UAE Armed Forces" name no one).
        country = next((m for m in find_countries(text_of(doc)[doc[j + 1].idx:doc[j + 1].idx + 60]) if m.start == 0),
                       None)
        end = doc[j + 1].idx + (country.end if country else len(doc[j + 1].text))
        j += 2
        while j < len(doc) and doc[j].idx < end:
            j += 1
        if j >= len(doc) or doc[j].text != ",":
            return []
    elif j < len(doc) and doc[j].lower_ == "of":
        # "the Minister of Transport, Razzaq Muhaibas": past the portfolio (which may run over commas: "of Foreign
        # Affairs, African Cooperation and Moroccan Expatriates, Nasser Bourita"), a comma, then the name
        k = j
        for _ in range(PORTFOLIO_PARTS):
            run = _title_case_words(doc, k + 1)
            k += 1 + len(run)
            if not run or k >= len(doc) or doc[k].text != ",":
                return []
            if not any(_common_word(t.lower_) for t in _title_case_words(doc, k + 1) if t.lower_ not in ("and", "&")):
                break  # a name follows, not more of the portfolio ("African Cooperation")
        j = k
    if j < len(doc) and doc[j].text == "," and i > 0 and _title_has_of_or_owner(doc, j - 1):
        j += 1  # "the Prime Minister of Vietnam, Pham Minh Chinh"
    k = j
    while k < len(doc) and k - j < 6 and (doc[k].pos_ == "PROPN" or (doc[k].lower_ in vocab().particles
                                          and k > j) or _joining_hyphen(doc, k, j)) and _name_ok(doc[k]) \
            and (not _is_title_word(doc[k]) or (k > j and _inside_name(doc[k]))) \
            and doc[k].lower_ not in WEEKDAYS_MONTHS and doc[k].ent_type_ not in ("DATE", "TIME"):
        k += 1
    while k > j and doc[k - 1].lower_ in vocab().particles:
        k -= 1
    if k - j >= 1 and doc[j].text[:1].isupper():
        return [(j, k, True)]
    return []


def _joining_hyphen(doc: Doc, k: int, start: int) -> bool:
    """A hyphen with no space around it inside a name: "Ana-Maria", "Jean-Pierre"."""
    return start < k < len(doc) - 1 and doc[k].text in HYPHENS and not doc[k - 1].whitespace_ \
        and not doc[k].whitespace_ and doc[k + 1].pos_ == "PROPN"


def _title_has_of_or_owner(doc: Doc, i: int) -> bool:
    """Does the phrase ending at token i hold 'of X' or 'X's' (a title that a comma can separate from its name)?"""
    for k in range(i, max(-1, i - 8), -1):
        if doc[k].text in POSSESSIVE or doc[k].lower_ == "of" or doc[k].lower_ == "the":
            return True
        if doc[k].is_punct or doc[k].is_space:
            return False
    return False


# ---------------------------------------------------------------- roles


@dataclass
class _Title:
    title: str
    country: str | None
    organization: str | None = None
    plural: bool = False


def _title_from_tokens(toks: list[Token]) -> _Title | None:
    """Read a title phrase: countries (demonyms, possessives, 'of X') come out, the rest is the title."""
    country: str | None = None
    org: str | None = None
    body = _strip_owner(toks)
    if body is not toks:
        owner = " ".join(t.text for t in toks[:len(toks) - len(body) - 1])
        country = country_code(owner)
        org = None if country else owner
    # "... at Pakistan's Foreign Office": where the title is held, not part of it.
    for k, t in enumerate(body):
        if k > 0 and t.lower_ in ("at", "in") and k + 1 < len(body) and body[k + 1].text[:1].isupper():
            rest = body[k + 1:]
            inner = _strip_owner(rest)
            if inner is not rest:
                country = country or country_code(" ".join(x.text for x in rest[:len(rest) - len(inner) - 1]))
            org = org or " ".join(x.text for x in inner) or None
            body = body[:k]
            break
    while body and body[0].lower_ in ("the", "a", "an", "and", "of", "for"):
        body = body[1:]
    # "Interior Minister of Turkiye": a country at the end after "of".
    if len(body) >= 3 and body[-2].lower_ == "of" and country_code(body[-1].text):
        country = country or country_code(body[-1].text)
        body = body[:-2]
    kept: list[Token] = []
    for k, t in enumerate(body):
        # "US Secretary of State": the capitals of an ambiguous short form are the country in a title
        code = country_code(t.text) if t.text[:1].isupper() and (t.text not in AMBIGUOUS or t.text.isupper()) \
            else None
        nxt = body[k + 1] if k + 1 < len(body) else None
        if code and nxt is not None and nxt.text in POSSESSIVE:
            country = country or code  # "Secretary of Iran's Supreme Council" -> "of the Supreme Council"
            continue
        if code and (not kept or _is_title_word(kept[-1])):
            country = country or code  # "Acting Thai Prime Minister", "Turkish Interior Minister"
            continue
        if t.text in POSSESSIVE:
            if kept and kept[-1].lower_ == "of":
                kept.append(t)  # placeholder for "the"
            continue
        kept.append(t)
    words = [("the" if t.text in POSSESSIVE else vocab().abbreviations.get(t.text, t.text)) +
             (" " if t.text in POSSESSIVE else t.whitespace_) for t in kept]
    while words and (words[0].strip().lower() in ("the", "and", "of", "for", "a", "an")
                     or words[0].strip().lower() in vocab().status_words):
        words.pop(0)
    title = "".join(words).strip()
    title = re.sub(r"\s*\(\s*", " (", title).replace(" )", ")").replace("( ", "(").strip()
    if not title or not any(w.lower().strip("()") in vocab().heads for w in title.split()):
        return None
    last = title.split()[-1].lower()
    plural = last.endswith("s") and last[:-1] in vocab().heads and last not in ("affairs",)
    if plural:
        title = title[:-1]
    return _Title(title, country, org, plural)


def _strip_owner(toks: list[Token]) -> list[Token]:
    """The tokens after a leading owner and its possessive ('Pakistan's', 'MEA's'), else ``toks`` itself."""
    for k, t in enumerate(toks[:5]):
        if t.text in POSSESSIVE and k > 0:
            if all(x.text[:1].isupper() or x.text in HYPHENS for x in toks[:k]):
                return toks[k + 1:]
            return toks
    return toks


def _left_title(doc: Doc, start: int, person_tokens: set[int]) -> _Title | None:
    """The title phrase right before a name: 'Pakistan's Minister of State for Interior'."""
    toks: list[Token] = []
    k = start - 1
    v = vocab()
    while k >= 0 and (doc[k].lower_ in v.honorifics or doc[k].lower_ in v.honorifics_after
                      or doc[k].text in ("'", "’")) and doc[k].lower_ not in v.heads:
        k -= 1  # "Prime Minister Datuk Seri Rahman": the courtesy words are no part of the title
    if k >= 0 and doc[k].text == "," and _title_has_of_or_owner(doc, k - 1):
        k -= 1
    while k >= 0 and len(toks) < 12:
        t = doc[k]
        if t.i in person_tokens or t.is_space or t.ent_type_ in ("DATE", "TIME", "CARDINAL"):
            break
        if t.text in ("-", "–", "—") and t.whitespace_ and k > 0 and doc[k - 1].whitespace_:
            break  # "NAIROBI (KNA) - Prime Minister X": a dateline's dash, the agency is no part of the title
        low = t.lower_
        if t.text in POSSESSIVE or t.text in ("(", ")", "-", "–"):
            pass
        elif low in CONNECTORS:
            if not toks or (low == "the" and not toks[0].text[:1].isupper()):
                break
        elif not _is_title_word(t) and (not t.text[:1].isupper() or t.pos_ in ("VERB", "AUX", "ADP", "PRON", "SCONJ")):
            break
        toks.insert(0, t)
        k -= 1
    while toks and (toks[0].lower_ in CONNECTORS or toks[0].text in POSSESSIVE):
        toks.pop(0)
    # Capitalised words before the title that are not part of it ("Meanwhile", a date) were stopped by
    # punctuation; what remains must end in a title word.
    if not toks or not (_is_title_word(toks[-1]) or toks[-1].text == ")" or country_code(toks[-1].text)
                        or any(_is_head(t) for t in toks)):
        return None
    return _title_from_tokens(toks)


def _right_appositions(doc: Doc, end: int, person_tokens: set[int]) -> list[_Title]:
    """Each title in an apposition: 'a member of the Bureau and director of the Commission' is two."""
    toks = _apposition_tokens(doc, end, person_tokens)
    if toks is None:
        return []
    parts: list[list[Token]] = [[]]
    for k, t in enumerate(toks):
        if t.lower_ == "and" and k + 1 < len(toks) and toks[k + 1].is_lower and _is_head(toks[k + 1]):
            parts.append([])
            continue
        parts[-1].append(t)
    titles = [_title_from_tokens(p) for p in parts if p]
    return [t for t in titles if t is not None]


def _apposition_tokens(doc: Doc, end: int, person_tokens: set[int]) -> list[Token] | None:
    """', the commerce minister' / ', Egypt's Minister of Investment and Foreign Trade' after a name."""
    if end >= len(doc) or doc[end].text != ",":
        return None
    toks: list[Token] = []
    k = end + 1
    while k < len(doc) and len(toks) < 24:
        t = doc[k]
        if t.i in person_tokens:
            return None  # the title of the next person in a list, not an apposition
        if t.is_space or t.text in (",", ";", ".", ":", "—", "–", "“", "”", '"') or t.ent_type_ in ("DATE", "TIME"):
            break
        if t.pos_ in ("VERB", "AUX", "PRON", "SCONJ") and not _is_title_word(t):
            return None
        if t.lower_ == "and" and k + 1 < len(doc) and not (doc[k + 1].text[:1].isupper()
                                                              or _is_title_word(doc[k + 1])):
            break
        toks.append(t)
        k += 1
    if not toks:
        return None
    first = toks[0]
    if not (first.lower_ in ("the", "a") or _is_title_word(first) or country_code(first.text)
            or first.text[:1].isupper()):
        return None
    if not any(_is_head(t) for t in toks[:8]):
        return None
    while toks and toks[-1].pos_ in ("ADP", "CCONJ", "DET"):
        toks.pop()
    return toks


# ---------------------------------------------------------------- grouping people in a document


def _fold_tokens(text: str) -> list[str]:
    return fold(text).split()


def name_core(tokens: list[str]) -> list[str]:
    """The words of a folded name that identify the person: no honorifics ('datuk seri', 'rt hon'), initials
    ('r', 'lp', 'md'), 'jr', or particles ('al sudani' is 'sudani', 'el sisi' is 'al sisi')."""
    return list(_name_core(tuple(tokens)))


# The name helpers below are pure functions of short strings, asked again for every pair of names a rebuild
# compares (tens of thousands in a block of common names): each answer is kept.
@lru_cache(maxsize=1 << 16)
def _name_core(tokens: tuple[str, ...]) -> tuple[str, ...]:
    v = vocab()
    core = [t for t in tokens if fold(t) not in v.honorifics and t not in v.name_suffixes and not INITIALS.match(t)]
    named = [t for t in core if t not in v.particles]
    return tuple(named or core or tokens)


@lru_cache(maxsize=1 << 16)
def skeleton(word: str) -> str:
    """Consonants with repeats collapsed: transliterations of one name agree on them ('mohammed', 'muhammad')."""
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouy]", "", word))


@lru_cache(maxsize=1 << 18)
def same_word(a: str, b: str) -> bool:
    """One word of a name, or a spelling or transliteration of it ('shia' ~ 'shiaa', 'suhail' ~ 'suheil')."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    dist = DamerauLevenshtein.distance(a, b)
    if dist <= 1 and (min(len(a), len(b)) >= 5 or len(a) != len(b)):
        return True  # a typo or a doubled letter, never one letter swapped in a short name ('john', 'joan')
    consonants = skeleton(a)
    return len(consonants) >= 3 and consonants == skeleton(b) and fuzz.ratio(a, b) >= VARIANT_RATIO


INITIALS = re.compile(r"^(?:[a-z]|[b-df-hj-np-tv-z]{2,3})$")  # 'r', 'lp', 'md': letters standing for words
VARIANT_RATIO = 70  # 'muhammad' ~ 'mohammed' (75), never 'hassan' ~ 'hussein' (62)


def _in_order(short: list[str], long_: list[str]) -> bool:
    """Every word of the shorter name found in the longer one, in the same order."""
    k = 0
    for n, w in enumerate(short):
        inner = 0 < n < len(short) - 1  # a middle word may be abbreviated: 'zambry abd kadir' ~ 'zambry abdul kadir'
        while k < len(long_) and not (same_word(w, long_[k]) or (inner and len(w) >= 3 and long_[k].startswith(w))):
            k += 1
        if k == len(long_):
            return False
        k += 1
    return True


def same_person_names(a: list[str], b: list[str]) -> bool:
    """Can two folded names be one person? Words joined or split ('amirabdollahian' ~ 'amir abdollahian'), the
    family name first ('kamikawa yoko'), middle names left out ('stewart wheeler' ~ 'stewart ross wheeler'),
    a name cut short ('claudia sheinbaum' ~ 'claudia sheinbaum pardo') and spelling variants."""
    a, b = name_core(a), name_core(b)
    if a == b or ("".join(a) == "".join(b) and max(len(a), len(b)) >= 2):
        return True
    if len(a) < 2 or len(b) < 2:
        return False
    if sorted(a) == sorted(b):
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if not (_in_order(short, long_) or (len(short) == len(long_) and _in_order(long_, short))):
        return False
    return len(short) == len(long_) or same_word(short[0], long_[0])


def _group_people(candidates: list[_Candidate]) -> list[_Person]:
    people: list[_Person] = []
    multi = sorted((c for c in candidates if len(_fold_tokens(c.text)) >= 2),
                   key=lambda c: -len(_fold_tokens(c.text)))
    for c in multi:
        toks = _fold_tokens(c.text)
        match = [p for p in people if same_person_names(toks, p.tokens)]
        if len(match) == 1:
            match[0].candidates.append(c)
            _prefer_name(match[0], c.text)
        elif not match:
            people.append(_Person(c.text, toks, [c]))
    for c in candidates:
        toks = _fold_tokens(c.text)
        if len(toks) != 1:
            continue
        owners = [p for p in people if toks[0] in p.tokens and len(p.tokens) >= 2 and toks[0] not in fathers(p.name)]
        if len(owners) == 1:
            owners[0].candidates.append(c)
            continue
        if owners:
            continue  # "Joly" with two Jolys in the text: nobody's for sure
        same = [p for p in people if p.tokens == toks]
        if same:
            same[0].candidates.append(c)
        else:
            people.append(_Person(c.text, toks, [c]))
    return [p for p in people if _keep_person(p)]


@lru_cache(maxsize=1 << 16)
def fathers(name: str) -> frozenset[str]:
    """The folded words of a name that follow a patronymic particle: its bearer's father's names ("Mohammed bin
    Salman": salman). Alone, such a word names the father ("King Salman"), not the son."""
    words = fold(name).split()
    return frozenset(w for before, w in pairwise(words) if before in vocab().patronymics)


def _prefer_name(person: _Person, text: str) -> None:
    """The canonical name: the longest form, with diacritics where one form has them."""
    toks = _fold_tokens(text)
    if len(toks) > len(person.tokens) or (toks == person.tokens and has_diacritics(text)
                                          and not has_diacritics(person.name)):
        person.name, person.tokens = text, toks


# A word at least this frequent in English (Zipf scale: 4 = once in 100,000 words) is a common word.
COMMON_WORD_ZIPF = 4.0


class _GivenNames(gender_guesser.detector.Detector):  # type: ignore[misc]
    """gender-guesser's detector, its name list read with the built-in ``open``: the library reads it through
    ``codecs.open``, whose line reader made loading it take 0.4 s of every process that checks a name."""

    def _parse(self, filename: str) -> None:
        self.names: dict[str, dict[str, str]] = {}
        with open(filename, encoding="utf-8") as f:
            for line in f:
                self._eat_name_line(line.strip())


@lru_cache(maxsize=1)
def _given_names() -> gender_guesser.detector.Detector:
    return _GivenNames(case_sensitive=False)


def _common_words_only(tokens: list[str]) -> bool:
    """'Best Buy', 'Talking Heads', 'Euros': every word a frequent English word, none a given name or an
    initial ('T Smith')."""
    return bool(tokens) and all(_common_word(w) for w in tokens)


@lru_cache(maxsize=1 << 16)  # asked of every name's words in every article: wordfreq tokenizes each time
def _common_word(word: str) -> bool:
    return len(word) > 1 and zipf_frequency(word, "en") >= COMMON_WORD_ZIPF \
        and _given_names().get_gender(word) == "unknown"


def _honorific(prefix: str | None) -> bool:
    """"Mr", "Dr", "Sir": a word only a person's name follows (unlike "General" or "Queen")."""
    words = (prefix or "").split()
    return bool(words) and words[0].lower() in vocab().honorifics


def _keep_person(p: _Person) -> bool:
    """A one-word name needs a title, an honorific, or more than one mention to count as a person; a name
    met only after "at" or "in" (a residence, a district) needs a title or an honorific; a name made only of
    common words (a firm, a band, a title of a work, "General Election") needs an honorific, or a title and the
    entity recognizer's word that it is a person."""
    titled = any(c.prefix or c.roles or c.from_title for c in p.candidates)
    common = _common_words_only(p.tokens)
    if not titled and (common or all(c.at_place for c in p.candidates)):
        return False  # a firm, a band, a work; or a place: every mention untitled, "at" or "in" it
    if common and not any(c.person_entity or _honorific(c.prefix) for c in p.candidates):
        return False  # "the General Election", "the Queen Mother": a title word before common words, no one named
    if len(p.tokens) >= 2:
        return True
    if country_code(p.name) is not None:
        return False  # "Captain America": a one-word name that is a country's is no person's
    return titled or len(p.candidates) >= 2


# ---------------------------------------------------------------- countries


def _country_actors(parsed: ParsedDocument, taken: list[tuple[int, int]]) -> list[tuple[str, str, int, int]]:
    """(code, surface, start, end) for every country word used for a state, outside people's names."""
    doc, text = parsed.doc, parsed.document.text
    out = []
    for m in find_countries(text):
        if any(s <= m.start < e for s, e in taken) or parsed.context.in_furniture(m.start, m.end):
            continue
        if m.text in AMBIGUOUS:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not any(t.ent_type_ in ("GPE", "NORP", "ORG") for t in span):
                continue
        out.append((m.code, m.text, m.start, m.end))
        # "India-Japan", "Egyptian–Sudanese": the second half of a pair hides behind a hyphen.
        rest = text[m.end:m.end + 40]
        pair = re.match(r"[-–]([A-ZÀ-Þ][\w’']+(?:\s[A-Z][a-z]+)?)", rest)
        if pair:
            for cand in (pair.group(1), pair.group(1).split()[0]):
                code = country_code(cand)
                if code and cand not in AMBIGUOUS:
                    s = m.end + 1
                    out.append((code, cand, s, s + len(cand)))
                    break
    return out


# ---------------------------------------------------------------- bodies


@dataclass
class _Body:
    name: str
    head: str
    start: int
    end: int
    countries: list[str]
    session: int | None = None
    generic: bool = False


BODY_HEAD_RE = re.compile(r"\b(" + "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in vocab().body_heads)
                          + r")\b", re.I)
PAIR = r"[A-ZÀ-Þ][\w’']+(?:\s[A-Z][a-z]+)?\s?[-–]\s?[A-ZÀ-Þ][\w’']+"
BODY_WORD = r"(?:[A-Z][\w’'–-]*|and|of|on|for|&|joint|ministerial|economic|annual|virtual|bilateral|trade|strategic|" \
            r"high-level|intergovernmental|inter-governmental|coordination|consultative|steering|security|defence|" \
            r"defense|technical|expert|expert-level|military|energy|investment|industry|industrial|business)"
BODY_BEFORE = re.compile(rf"((?:{BODY_WORD}[^\S\n]+){{0,7}})$")  # a name never runs over a line break
BODY_ON = re.compile(r"^\s+(?:on|for)\s+((?:[a-z]+\s+){0,2}?[a-z]+)(?=\s+(?:to|and|will|would|is|was|that|which|"
                     r"in|at|has|had)\b|[,.;])")


def _body_name(text: str, m: re.Match[str]) -> tuple[str, int] | None:
    """The name of the mechanism whose head noun is ``m``, and where it starts."""
    before = BODY_BEFORE.search(text[max(0, m.start() - 120):m.start()])
    start = m.start() - len(before.group(1)) if before else m.start()
    words = text[start:m.start()].split()
    # Trim leading words that are not part of the name ("and", a sentence-initial "The").
    while words and (words[0].lower() in ("and", "of", "on", "for", "&", "the", "a") or words[0].endswith("’s")
                     or words[0].endswith("'s")):
        start += len(words[0]) + (len(text[start:]) - len(text[start:].lstrip()))
        start = text.index(words[1], start) if len(words) > 1 else m.start()
        words = words[1:]
    # "the Intergovernmental Commission and Business Council": two bodies, this one starts after the "and".
    for k in range(len(words) - 1, 0, -1):
        if words[k].lower() in ("and", "&") and BODY_HEAD_RE.search(" ".join(words[:k])):
            starts = [w.start() for w in re.finditer(r"\S+", text[start:m.start()])]
            start = start + starts[k + 1] if k + 1 < len(starts) else m.start()
            words = words[k + 1:]
            break
    # "What's Next for Joint Working Group": a connector before the first marker word ends the name's left edge.
    low = [w.lower() for w in words]
    for k in range(len(low) - 1, -1, -1):
        if low[k] in ("for", "of", "on") and not any(w in vocab().body_markers or country_code(w.rstrip("’'s"))
                                                     for w in low[:k]):
            start = text.index(words[k + 1], start) if k + 1 < len(words) else m.start()
            break
    name = text[start:m.end()]
    return " ".join(name.split()), start


MEETING_MARKERS = ("high-level", "high level", "ministerial", "2+2")


def _is_body(name: str, countries: list[str], head: str) -> bool:
    v = vocab()
    low = fold(name)
    words = low.split()
    has_pair = bool(re.search(PAIR, name)) and len(countries) >= 2
    if any(d in words or (" " in d and d in low) for d in v.domestic_markers) and "joint" not in words \
            and not has_pair:
        return False
    head_low = fold(head)
    if head_low in ("working group", "working groups", "task force"):
        return True
    if head_low == "meeting":  # a meeting is an event unless its capitalised name says it recurs at a set level
        return name.endswith("Meeting") and len(words) >= 3 and any(mk in low for mk in MEETING_MARKERS)
    if "joint" in words or has_pair:
        return True
    # "Intergovernmental Commission" is between states even in two words; "Business Council" needs more; a forum
    # is mostly an event ("Annual Business Forum") unless its name says it joins states ("Interparliamentary Forum").
    interstate = any(mk in low for mk in v.interstate_markers)
    if head_low == "forum":
        return name[:1].isupper() and interstate
    return (head_low in ("council", "commission", "committee", "dialogue") and name[:1].isupper()
            and any(mk in low for mk in v.body_markers) and (len(words) >= 3 or interstate))


def _find_bodies(parsed: ParsedDocument, doc_countries: list[str]) -> list[_Body]:
    text = parsed.document.text
    out: list[_Body] = []
    for m in BODY_HEAD_RE.finditer(text):
        got = _body_name(text, m)
        if got is None or parsed.context.in_furniture(m.start(), m.end()):
            continue
        name, start = got
        end = m.end()
        on = BODY_ON.match(text[end:end + 60]) if fold(m.group(1)).startswith("working") else None
        if on:
            end = end + on.end(1)
            name = text[start:end]
        name = " ".join(name.split())
        countries = sorted({c.code for c in find_countries(name)} | _pair_codes(name))
        if not _is_body(name, countries, m.group(1)):
            continue
        sent_countries = _sentence_countries(parsed, start)
        if len(countries) < 2:
            countries = sorted(set(countries) | set(sent_countries)) if len(sent_countries) >= 2 else \
                sorted(set(countries) | set(doc_countries[:2]))
        generic = not any(w[:1].isupper() for w in name.split()[:-1]) and not _pair_codes(name)
        out.append(_Body(_canonical_body(name), fold(m.group(1)).rstrip("s"), start, end, countries,
                         _session(text, start, end), generic))
    return out


def _pair_codes(name: str) -> set[str]:
    codes = set()
    for m in re.finditer(PAIR, name):
        for part in re.split(r"\s?[-–]\s?", m.group(0)):
            code = country_code(part)
            if code:
                codes.add(code)
    return codes


def _canonical_body(name: str) -> str:
    name = re.sub(rf"^(?:the\s+)?{ORDINAL}\s+(?:edition\s+of\s+|session\s+of\s+)?(?:the\s+)?", "", name, flags=re.I)
    return name


def _session(text: str, start: int, end: int) -> int | None:
    m = SESSION_BEFORE.search(text[max(0, start - 40):start]) or SESSION_AFTER.match(text[end:end + 30])
    if not m:
        return None
    word = m.group(1).lower()
    return ORDINAL_WORDS.get(word) or int(re.sub(r"\D", "", word))


def _sentence_countries(parsed: ParsedDocument, char: int) -> list[str]:
    doc = parsed.doc
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None:
        return []
    sent = span.sent
    return sorted({c.code for c in find_countries(sent.text)} | _pair_codes(sent.text))


# ---------------------------------------------------------------- organisations


def _org_spans(parsed: ParsedDocument, taken: list[tuple[int, int]]) -> list[tuple[str, int, int, str | None]]:
    doc = parsed.doc
    out = []
    for ent in doc.ents:
        if ent.label_ != "ORG":
            continue
        start, end = ent.start, ent.end
        while start < end and (doc[start].lower_ in ("the", "a") or doc[start].is_space):
            start += 1
        while end > start and (doc[end - 1].text in POSSESSIVE or doc[end - 1].is_space or doc[end - 1].is_punct):
            end -= 1
        if "(" in doc[start:end].text and ")" not in doc[start:end].text:
            # "Trade Agreement (ECTA" cut mid-bracket; "Kenya(CBK", a bracket inside a token, cannot be cut: no name
            end = next((t.i for t in doc[start:end] if t.text == "("), start)
        if end <= start:
            continue
        span = doc[start:end]
        s, e = span.start_char, span.end_char
        if any(a < e and s < b for a, b in taken) or parsed.context.in_furniture(s, e):
            continue
        if not _org_ok(span):
            continue
        out.append((" ".join(span.text.split()), s, e, _org_country(doc, span)))
    return out


def _org_ok(span: Span) -> bool:
    words = [t for t in span if not t.is_punct]
    if not words or not span.text[:1].isupper():
        return False
    if len(words) == 1 and (_is_title_word(words[0]) or words[0].lower_ in vocab().not_names):
        return False
    if all(country_code(t.text) or t.lower_ in ("and", "the") for t in words):
        return False
    if BAD_NAME_CHARS.search(span.text) and not re.search(r"\d", span.text):
        return False
    return not (len(words) >= 2 and all(_is_title_word(t) for t in words))


def _org_country(doc: Doc, span: Span) -> str | None:
    inside = [c.code for c in find_countries(span.text) if c.text not in AMBIGUOUS]
    if inside:
        return inside[0]
    if span.start >= 2 and doc[span.start - 1].text in POSSESSIVE:
        return country_code(doc[span.start - 2].text)
    if span.start >= 1:
        return country_code(doc[span.start - 1].text) if doc[span.start - 1].text[:1].isupper() else None
    return None


# ---------------------------------------------------------------- the extractor


def extract_actors(parsed: ParsedDocument) -> list[Actor]:
    """Every person, country, organisation and standing body in the document, with local ids."""
    doc = parsed.doc
    candidates = _person_candidates(parsed)
    people = _group_people(candidates)
    _add_surname_mentions(parsed, people)
    person_chars = [(doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1].text))
                    for p in people for c in p.candidates]
    countries = _country_actors(parsed, person_chars)
    doc_countries = [c for c, _ in Counter(code for code, *_ in countries).most_common()]
    bodies = _find_bodies(parsed, doc_countries)
    body_chars = [(b.start, b.end) for b in bodies]
    person_words = {w for p in people for w in p.tokens} | {" ".join(p.tokens) for p in people}
    orgs = [o for o in _org_spans(parsed, person_chars + body_chars) if fold(o[0]) not in person_words]

    actors = [_person_actor(parsed, p) for p in people]
    actors += _country_records(parsed, countries) + _body_records(parsed, bodies) + _org_records(parsed, orgs)
    for n, a in enumerate(actors, 1):
        a.id = f"{parsed.doc_id}:a{n}"
    parsed.actor_at = {m.start: a.id for a in actors for m in a.mentions}
    return actors


def _person_candidates(parsed: ParsedDocument) -> list[_Candidate]:
    doc = parsed.doc
    seen: dict[tuple[int, int], _Candidate] = {}
    for s, e, titled in _person_spans(parsed):
        start, end, prefix = _clean_span(doc, s, e)
        if not _valid_name(doc, start, end) or parsed.context.in_furniture(doc[start].idx, doc[end - 1].idx + 1) \
                or _opens_dateline(doc, start, end):
            continue
        key = (start, end)
        overlapping = [k for k in seen if k[0] < end and start < k[1]]
        if overlapping:
            longest = max([*overlapping, key], key=lambda k: k[1] - k[0])
            if longest != key:
                continue
            for k in overlapping:
                del seen[k]
        root = doc[start:end].root
        seen[key] = _Candidate(start, end, doc[start:end].text, prefix, from_title=titled,
                               at_place=root.dep_ == "pobj" and root.head.lower_ in ("at", "in"),
                               person_entity=any(t.ent_type_ == "PERSON" for t in doc[start:end]))
    things = [set(_fold_tokens(name)) for name in {c.text for c in seen.values()} if _named_thing(doc, name)]
    candidates = sorted((c for c in seen.values() if not any(set(_fold_tokens(c.text)) <= t for t in things)),
                        key=lambda c: c.start)
    candidates = _courtesy_elsewhere(doc, candidates)
    candidates = _split_joined_names(doc, candidates)
    _read_roles(doc, candidates, parsed.context.pair)
    return candidates


DATELINE_DASH = re.compile(r"[^\S\n]*(?:\([^()\n]{1,30}\)[^\S\n]*)?[–—-][^\S\n]*[A-Z]")


def _opens_dateline(doc: Doc, start: int, end: int) -> bool:
    """A name that opens a line and is followed by a dash and the story ("Addis Abeba– Ethiopia and Somalia have
    announced ..."): the place the story was filed from."""
    text, first = text_of(doc), doc[start].idx
    line_start = text.rfind("\n", 0, first) + 1
    return not text[line_start:first].strip() and bool(
        DATELINE_DASH.match(text, doc[end - 1].idx + len(doc[end - 1])))


def _courtesy_elsewhere(doc: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """"Sri X Y" where the article also writes "Datuk Sri X Y": the word is the courtesy, not a given name."""
    v = vocab()
    courted = {fold(c.text) for c in candidates if c.prefix and c.prefix.split()[-1].lower() in v.honorifics_after}
    out = []
    for c in candidates:
        if c.end - c.start > 2 and doc[c.start].lower_ in v.honorifics_after \
                and fold(doc[c.start + 1:c.end].text) in courted:
            c = replace(c, start=c.start + 1, text=doc[c.start + 1:c.end].text, prefix=doc[c.start].text)
        out.append(c)
    return out


def _named_thing(doc: Doc, name: str) -> bool:
    """A name that a common noun for a thing stands beside somewhere in the text: "the newspaper X",
    "the city of X", "the X temples"."""
    v = vocab()
    for start, end in whole_word_spans(text_of(doc), name):
        span = doc.char_span(start, end)
        if span is None:
            continue
        before = doc[span.start - 1] if span.start > 0 else None
        after = doc[span.end] if span.end < len(doc) else None
        place_of = span.start > 1 and before is not None and before.lower_ == "of" \
            and doc[span.start - 2].lower_ in v.place_nouns
        if place_of or any(t is not None and t.is_lower and (t.lower_ in v.thing_nouns or t.lower_ in v.place_nouns)
                           for t in (before, after)):
            return True
        # "‘Azadi Ka Amrit Mahotsav’": the first words of a title in quotation marks, which go on past them
        if before is not None and before.text in OPENING_QUOTES and after is not None and after.text[:1].isupper():
            return True
    return False


OPENING_QUOTES = frozenset({"‘", "“", '"', "'", "«"})


def _split_joined_names(doc: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """'Ali Yerlikaya Mohsin Naqvi' (two names run together in a headline) is two people seen elsewhere."""
    names = {fold(c.text) for c in candidates if 2 <= len(c.text.split()) <= 3}
    out = []
    for c in candidates:
        n = c.end - c.start
        split = None
        if n >= 4:
            for k in range(c.start + 2, c.end - 1):
                if fold(doc[c.start:k].text) in names and fold(doc[k:c.end].text) in names:
                    split = k
                    break
        if split is None:
            out.append(c)
        else:
            out.append(_Candidate(c.start, split, doc[c.start:split].text, c.prefix))
            out.append(_Candidate(split, c.end, doc[split:c.end].text))
    return out


def _read_roles(doc: Doc, candidates: list[_Candidate], pair: tuple[str, ...]) -> None:
    tokens = {i for c in candidates for i in range(c.start, c.end)}
    prev: _Candidate | None = None
    prev_title: _Title | None = None
    for c in candidates:
        left = _left_title(doc, c.start, tokens)
        # "Interior Ministers A and B": B shares A's plural title.
        if left is None and prev_title is not None and prev_title.plural and prev is not None and \
                c.start - prev.end == 1 and doc[prev.end].lower_ == "and":
            left = prev_title
        for t in (left, *_right_appositions(doc, c.end, tokens)):
            if t is None:
                continue
            if fold(t.title).split()[-1:] == ["counterpart"] and prev is not None and prev.roles:
                t = _Title(prev.roles[0].title, t.country)  # "his Australian counterpart" holds the same office
                # ... and in an article about two countries the one who has him as counterpart serves the other
                if t.country in pair and len(pair) == 2 and not prev.countries \
                        and not any(r.country for r in prev.roles) and doc[prev.start].sent == doc[c.start].sent:
                    prev.countries.append(pair[1 - pair.index(t.country)])
            if fold(t.title) in ("counterpart", "counterparts"):
                if t.country:
                    c.countries.append(t.country)
                continue
            c.roles.append(Role(t.title, t.country, t.organization))
            if t.country:
                c.countries.append(t.country)
        if c.prefix and not c.roles:
            title = vocab().abbreviations.get(c.prefix, c.prefix)
            if title.lower() in vocab().ranks or title.lower() in vocab().heads or title != c.prefix:
                c.roles.append(Role(title[:1].upper() + title[1:]))
        prev, prev_title = c, left


def _add_surname_mentions(parsed: ParsedDocument, people: list[_Person]) -> None:
    """A full name's last word alone later in the text is the same person when nobody else has that word."""
    _doc, _text = parsed.doc, parsed.document.text
    taken = {i for p in people for c in p.candidates for i in range(c.start, c.end)}
    counts = Counter(t for p in people for t in set(p.tokens))
    for p in people:
        if len(p.tokens) < 2:
            continue
        for surface in {p.name.split()[-1], p.name.split()[0]}:
            if counts[fold(surface)] == 1 and len(surface) >= 3 and surface.lower() not in vocab().particles \
                    and fold(surface) not in fathers(p.name):
                _scan_word(parsed, p, surface, taken)


def _scan_word(parsed: ParsedDocument, p: _Person, surface: str, taken: set[int]) -> None:
    """Add each further occurrence of one word of a person's name, with any title in apposition after it."""
    doc, text = parsed.doc, parsed.document.text
    v = vocab()
    for start, end in whole_word_spans(text, surface, joined_after="'’-"):
        span = doc.char_span(start, end)
        if span is None or span[0].pos_ != "PROPN" or any(t.i in taken for t in span) \
                or parsed.context.in_furniture(start, end):
            continue
        before = doc[span.start - 1] if span.start > 0 else None
        prefix = before.text if before is not None and (
            before.lower_ in v.honorifics or before.text in v.abbreviations or before.lower_ in v.ranks) else None
        cand = _Candidate(span.start, span.end, span.text, prefix)
        taken.update(t.i for t in span)
        for t in _right_appositions(doc, span.end, taken):
            cand.roles.append(Role(t.title, t.country, t.organization))
            cand.countries.extend([t.country] if t.country else [])
        p.candidates.append(cand)


def _person_actor(parsed: ParsedDocument, p: _Person) -> Actor:
    doc = parsed.doc
    roles: list[Role] = []
    countries: list[str] = []
    aliases: list[str] = []
    for c in sorted(p.candidates, key=lambda c: c.start):
        for r in c.roles:
            if not any(fold(r.title) == fold(x.title) and (r.country == x.country or not r.country)
                       for x in roles):
                roles.append(r)
        countries.extend(x for x in c.countries if x not in countries)
        for alias in (c.text, f"{c.prefix} {c.text}" if c.prefix and len(c.prefix.split()) == 1 else None):
            if alias and alias not in aliases and alias != p.name:
                aliases.append(alias)
    # A role read without a country takes the person's country where one title said it.
    if len(countries) == 1:
        roles = [Role(r.title, r.country or countries[0], r.organization) for r in roles]
    roles = _dedupe_roles(roles)
    mentions = [parsed.mention(doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1].text))
                for c in sorted(p.candidates, key=lambda c: c.start)]
    return Actor(id="", name=p.name, kind="person", countries=countries, aliases=aliases, roles=roles,
                 mentions=_unique_mentions(mentions))


def _dedupe_roles(roles: list[Role]) -> list[Role]:
    out: list[Role] = []
    for r in roles:
        same = [x for x in out if fold(x.title) == fold(r.title)]
        if same:
            if not same[0].country and r.country:
                same[0].country = r.country
            continue
        out.append(r)
    return out


def _unique_mentions(mentions: list[Mention]) -> list[Mention]:
    return sorted(set(mentions), key=lambda m: (m.start, m.end))


def _country_records(parsed: ParsedDocument, found: list[tuple[str, str, int, int]]) -> list[Actor]:
    by_code: dict[str, Actor] = {}
    out = []
    for code, surface, start, end in found:
        a = by_code.get(code)
        if a is None:
            a = Actor(id="", name=country_name(code), kind="country", countries=[code])
            by_code[code] = a
            out.append(a)
        if surface not in a.aliases and surface != a.name:
            a.aliases.append(surface)
        a.mentions.append(parsed.mention(start, end))
    for a in out:
        a.mentions = _unique_mentions(a.mentions)
    return out


def _body_records(parsed: ParsedDocument, bodies: list[_Body]) -> list[Actor]:
    """One actor per body in the document; a bare 'the working group' is the one named in full."""
    out: list[Actor] = []
    by_head: dict[str, list[Actor]] = {}
    text = parsed.document.text
    for b in sorted(bodies, key=lambda b: (b.generic, b.start)):
        same_head = by_head.get(b.head, [])
        target = next((a for a in same_head if fold(a.name) == fold(b.name)), None)
        if target is None and b.generic and len(same_head) == 1:
            target = same_head[0]
        if target is None:
            target = Actor(id="", name=b.name, kind="body", countries=b.countries)
            out.append(target)
            by_head.setdefault(b.head, []).append(target)
        quote = text[b.start:b.end]
        for alias in (" ".join(quote.split()), b.name):
            if alias not in target.aliases and alias != target.name:
                target.aliases.append(alias)
        if b.session is not None:
            tag = f"session {b.session}"
            if tag not in target.aliases:
                target.aliases.append(tag)
        target.mentions.append(parsed.mention(b.start, b.end))
    # Bare references ("the committee's meetings") to the only body of that kind in the text.
    for m in re.finditer(r"\bthe\s+(working group|commission|committee|council|summit|task force)\b", text, re.I):
        same = by_head.get(fold(m.group(1)), [])
        if len(same) == 1 and not any(x.start <= m.start(1) < x.end for x in same[0].mentions):
            same[0].mentions.append(parsed.mention(m.start(1), m.end(1)))
    for a in out:
        a.mentions = _unique_mentions(a.mentions)
    return out


def body_session(actor: Actor) -> int | None:
    """The session number a body was seen with ('16th session'), kept as a 'session N' alias."""
    for alias in actor.aliases:
        m = re.fullmatch(r"session (\d+)", alias)
        if m:
            return int(m.group(1))
    return None


def _org_records(parsed: ParsedDocument, orgs: list[tuple[str, int, int, str | None]]) -> list[Actor]:
    out: list[Actor] = []
    by_name: dict[str, Actor] = {}
    text = parsed.document.text
    for name, start, end, country in orgs:
        key = fold(name)
        a = by_name.get(key)
        if a is None:
            a = Actor(id="", name=name, kind="organization", countries=[country] if country else [])
            by_name[key] = a
            out.append(a)
            acr = ACRONYM_AFTER.match(text[end:end + 14])
            if acr:
                a.aliases.append(acr.group(1))
                by_name.setdefault(fold(acr.group(1)), a)
        elif country and country not in a.countries:
            a.countries.append(country)
        if name != a.name and name not in a.aliases:
            a.aliases.append(name)
        a.mentions.append(parsed.mention(start, end))
    for a in out:
        a.mentions = _unique_mentions(a.mentions)
    return out
