"""Claims merged across the corpus and marked corroborated, conflicting or single-source.

One claim per (subject, value, unit): the same figure for the same thing in
several sentences or articles is one claim with every mention. A claim is
``corroborated`` when documents from two or more outlets give it,
``conflicting`` when another document gives a different value for the same
subject and period, else ``single_source``. A copy of another article (a wire
copy, a reprint: ``resolve.copies``) speaks with its original's outlet, and is
no independent report to contradict it. A figure whose own passage gives
another figure for the same subject ("profits rose 27% to $284m", "from 7,000
to 8,000") describes a change or a span, not the one value of its subject,
so it contradicts nothing. A range ("$45-50 billion", "between 40 and 50
ships") is one claim with a low and a high end, and agrees with any figure
inside it. Figures set side by side ("370 ships compared with 290"), or of
countries the other report does not name, measure different things.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache

from rapidfuzz import fuzz, process

from pactwatch.extract.commitments import AGREEMENT_NOUNS
from pactwatch.models import Claim, DateRange, Document, Mention
from pactwatch.resolve.copies import copies_among
from pactwatch.text import fold


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP = _wordset("""
the a an of in on to for and from by with at as its their this that these those than over about around some more
less nearly almost least up per each year years total new
""")
SAME_SUBJECT = 60  # token-set ratio for merging claims that give the same value
CONFLICT_SUBJECT = 85  # stricter: a different value only conflicts with the very same subject
MAX_CONFLICT_RATIO = 3.0  # values further apart than this measure different things
PASSAGE_CHARS = 150  # figures this close in one article belong to one statement
SAME_VALUE = 0.005  # values this close (a share of the larger) are one figure


def subject_words(subject: str | None) -> list[str]:
    """Content words of a subject, folded and singularised roughly ("reported cases" -> ["reported", "case"]); the
    names of an agreement are one word ("14 deals" and "14 agreements" count the same papers)."""
    out = []
    for w in fold(subject).split():
        if w in _STOP or w.isdigit():
            continue
        w = w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        out.append("agreement" if w in AGREEMENT_NOUNS else w)
    return out


@lru_cache(maxsize=1 << 16)  # subjects are compared pairwise: fold each one once
def _words_of(subject: str | None) -> tuple[str, ...]:
    return tuple(subject_words(subject))


def subject_similarity(a: str | None, b: str | None) -> float:
    wa, wb = _words_of(a), _words_of(b)
    if not wa or not wb:
        return 0.0
    if _same_head(wa, wb):
        return 100.0  # same head noun and its key modifier
    return fuzz.token_set_ratio(" ".join(wa), " ".join(wb))


def _same_head(wa: tuple[str, ...], wb: tuple[str, ...]) -> bool:
    return wa[-1] == wb[-1] and len(set(wa) & set(wb)) >= min(2, len(wa), len(wb))


class _Subjects:
    """A run of subjects worked out once (content words, joined, by head noun), so ``alike`` finds the ones
    ``subject_similarity`` would pass in a slice of it with one pass of rapidfuzz, not a call per pair."""

    def __init__(self, subjects: Sequence[str | None]) -> None:
        self.words = [_words_of(s) for s in subjects]
        self.joined = [" ".join(w) for w in self.words]
        self.by_head: dict[str, list[int]] = {}
        for n, w in enumerate(self.words):
            if w:
                self.by_head.setdefault(w[-1], []).append(n)

    def alike(self, words: tuple[str, ...], start: int, end: int, cutoff: float) -> list[int]:
        """The positions in [start, end) whose subject is at least ``cutoff`` alike ``words``, less ``start``."""
        if not words or start >= end:
            return []
        same = self.by_head.get(words[-1], [])
        out = {n - start for n in same[bisect_left(same, start):bisect_left(same, end)]
               if _same_head(words, self.words[n])}
        if len(out) < end - start:
            out.update(k for _, _, k in process.extract(" ".join(words), self.joined[start:end],
                                                        scorer=fuzz.token_set_ratio, score_cutoff=cutoff, limit=None)
                       if self.words[start + k])
        return sorted(out)


def same_value(a: float, b: float) -> bool:
    if a == 0 or b == 0:
        return a == b
    return abs(a - b) <= SAME_VALUE * max(abs(a), abs(b))


def _distinctive(claim: Claim) -> bool:
    """A figure unlikely to repeat by chance: an amount of money, a measure, a large or fractional number."""
    kind = claim.attributes.get("kind")
    return kind in ("money", "measure") or claim.value >= 1000 or claim.value != int(claim.value)


def _same_claim(a: Claim, b: Claim) -> bool:
    if a.unit != b.unit or not same_value(a.value, b.value) or not _same_high(a.high, b.high):
        return False
    similarity = subject_similarity(a.subject, b.subject)
    return similarity >= SAME_SUBJECT or (_distinctive(a) and similarity >= SAME_SUBJECT / 2)


# Values within SAME_VALUE of each other lie less than one band apart on a log scale, so a claim's value
# can only match values in its own band or the next one on either side.
_BAND = 1.2 * -math.log(1 - SAME_VALUE)


def _value_bands(claim: Claim) -> tuple[tuple[str, int, int], ...]:
    """The bands a same value can fall in (its own in the middle): the unit, the sign, the log-scale band."""
    if claim.value == 0:
        return ((claim.unit, 0, 0),) * 3
    sign = 1 if claim.value > 0 else -1
    band = math.floor(math.log(abs(claim.value)) / _BAND)
    return tuple((claim.unit, sign, band + d) for d in (-1, 0, 1))


def value_band(claim: Claim) -> tuple[str, int, int]:
    """The band a figure's value falls in (``_value_bands``): it merges only with figures of its band or the
    two beside it."""
    return _value_bands(claim)[1]


def _docs(claim: Claim) -> set[str]:
    return {m.doc for m in claim.mentions}


def merge_claims(claims: list[Claim], documents: dict[str, Document],
                 copies: dict[str, str] | None = None) -> list[Claim]:
    """One claim per figure, marked corroborated, conflicting or single-source."""
    merged = merge_figures(claims, documents, copies)
    mark_claims(merged, copies)
    return merged


def merge_figures(claims: list[Claim], documents: dict[str, Document],
                  copies: dict[str, str] | None = None, merged: list[Claim] | None = None) -> list[Claim]:
    """One claim per figure, corroborated or single-source by its outlets, not yet compared with the others
    (``mark_claims``). Merging is first come first served among figures of one unit in neighbouring value bands
    (``value_band``), so figures of bands further apart can be merged apart, in any order. ``merged``: the
    claims merging the figures before these gave (changed in place), to go on from."""
    copies = copies or {}
    merged = merged if merged is not None else []
    by_value: dict[tuple[str, int, int], list[int]] = {}  # (unit, sign, value band) -> positions in merged
    for n, claim in enumerate(merged):  # a merged claim keeps the value of the figure it began with
        by_value.setdefault(_value_bands(claim)[1], []).append(n)
    for claim in claims:
        # The first merged claim that matches, as a scan of ``merged`` would find, among the few of its value.
        near = sorted(n for band in _value_bands(claim) for n in by_value.get(band, ()))
        target = next((merged[n] for n in _may_match(claim, near, merged) if _same_claim(merged[n], claim)), None)
        if target is None:
            by_value.setdefault(_value_bands(claim)[1], []).append(len(merged))
            merged.append(replace(claim, mentions=list(claim.mentions), countries=list(claim.countries),
                                  attributes=dict(claim.attributes)))
            continue
        target.mentions += [m for m in claim.mentions if m not in target.mentions]
        target.countries += [c for c in claim.countries if c not in target.countries]
        target.period = target.period or claim.period
        if not target.subject or len(claim.subject) > len(target.subject):
            target.subject = claim.subject or target.subject
    for claim in merged:
        if copied := copies_among(_docs(claim), copies):
            claim.attributes["copy_of"] = copied
        else:  # one merged on from before may have had copies among its reports then
            claim.attributes.pop("copy_of", None)
        claim.corroboration = "corroborated" if len(_outlets(claim, documents, copies)) >= 2 else "single_source"
    return merged


def _may_match(claim: Claim, near: list[int], merged: list[Claim]) -> list[int]:
    """Those of ``near`` (positions in ``merged``, in order) whose subject is alike enough ``claim``'s for
    ``_same_claim`` to hold: all of them where few, else found by one pass of rapidfuzz (a run of one value, "1"
    or "2", holds hundreds of figures of other subjects)."""
    words = _words_of(claim.subject)
    if len(near) < 16 or not words:
        return near
    subjects = [_words_of(merged[n].subject) for n in near]
    found = {k for k, other in enumerate(subjects) if other and _same_head(words, other)}
    found.update(k for _, score, k in process.extract(" ".join(words), [" ".join(w) for w in subjects],
                                                      scorer=fuzz.token_set_ratio, score_cutoff=SAME_SUBJECT / 2,
                                                      limit=None)
                 if score >= SAME_SUBJECT or _distinctive(merged[near[k]]))
    return [near[k] for k in sorted(found)]


def mark_claims(claims: list[Claim], copies: dict[str, str] | None = None, changed: set[int] | None = None,
                conflicting: set[int] | None = None, gone: list[Claim] | None = None) -> None:
    """Mark conflicting the single-source figures (as ``merge_figures`` left them) another report contradicts.

    With ``changed`` the marking was done before on the same claims but those (positions: new, or changed in
    what ``_conflict`` reads), and ``conflicting`` (positions) are the ones it marked then; ``gone``: the
    records it was done with that are no longer there. Only the claims those can touch are compared again.
    """
    copies = copies or {}
    in_statement = _in_one_statement(claims)
    if changed is None or len(changed) > len(claims) // 4:  # comparing every pair once costs less
        _mark_conflicts([c for c in claims if id(c) not in in_statement], copies)
        return
    # A figure in a passage with a changed or gone one may have been told apart by it or be no longer (its own
    # passage gave, or gives, another figure for the same subject).
    changed = changed | _beside(claims, [m for c in [*(claims[n] for n in changed), *(gone or [])]
                                         for m in c.mentions])
    _mark_conflicts_again(claims, {n for n, c in enumerate(claims) if id(c) not in in_statement}, changed,
                          conflicting or set(), copies, gone or [])


def initial(claim: Claim) -> str:
    """A marked claim's corroboration before conflicts were marked (``merge_figures``'s)."""
    return "single_source" if claim.corroboration == "conflicting" else claim.corroboration


def _beside(claims: list[Claim], mentions: list[Mention]) -> set[int]:
    """The positions of the claims with a mention in the passage of one of ``mentions``."""
    spots: dict[str, list[int]] = {}
    for m in mentions:
        spots.setdefault(m.doc, []).append(m.start)
    for starts in spots.values():
        starts.sort()

    def close(m: Mention) -> bool:
        starts = spots.get(m.doc)
        if not starts:
            return False
        k = bisect_left(starts, m.start - PASSAGE_CHARS)
        return k < len(starts) and starts[k] <= m.start + PASSAGE_CHARS

    return {n for n, c in enumerate(claims) if any(close(m) for m in c.mentions)}


def _in_one_statement(claims: list[Claim]) -> set[int]:
    """The claims (by ``id()``) whose own passage gives another figure, in any unit, for the same subject."""
    by_doc: dict[str, list[tuple[int, Claim]]] = {}
    for c in claims:
        for m in c.mentions:
            by_doc.setdefault(m.doc, []).append((m.start, c))
    out: set[int] = set()
    for found in by_doc.values():
        for i, (start, a) in enumerate(found):
            for other_start, b in found[i + 1:]:
                if b is not a and abs(start - other_start) <= PASSAGE_CHARS and \
                        subject_similarity(a.subject, b.subject) >= CONFLICT_SUBJECT:
                    out.update((id(a), id(b)))
    return out


def _outlets(claim: Claim, documents: dict[str, Document], copies: dict[str, str]) -> set[str]:
    """Outlets of the documents giving a claim, a copy counted as its original; a document without a known
    outlet counts as its own."""
    out = set()
    for doc_id in {copies.get(d, d) for d in _docs(claim)}:
        d = documents.get(doc_id)
        out.add(fold(d.outlet) if d is not None and d.outlet else f"doc:{doc_id}")
    return out


def _same_high(a: float | None, b: float | None) -> bool:
    return a == b if a is None or b is None else same_value(a, b)


# What ``_conflict`` reads of a claim, worked out once per claim rather than once per pair compared:
# (lowest value, highest value, set side by side?, countries, documents as originals, projection?, period).
_Facts = tuple[float, float, bool, frozenset[str], frozenset[str], object, DateRange | None]


def _facts(claim: Claim, copies: dict[str, str]) -> _Facts:
    low, high = claim.values()
    return (low, high, bool(claim.attributes.get("comparison")), frozenset(claim.countries),
            frozenset(copies.get(d, d) for d in _docs(claim)), claim.attributes.get("projection"), claim.period)


def _conflict(a: Claim, b: Claim, fa: _Facts, fb: _Facts) -> bool:
    """Two figures of one unit that cannot both be right (``fa``, ``fb``: their ``_facts``)."""
    a_low, a_high, a_comparison, a_countries, a_docs, a_projection, a_period = fa
    b_low, b_high, b_comparison, b_countries, b_docs, b_projection, b_period = fb
    if a.unit != b.unit:
        return False
    if (a_low <= b_high or same_value(a_low, b_high)) and (b_low <= a_high or same_value(b_low, a_high)):
        return False  # both can be right: "$45-50 billion" allows "$48 billion" (a range is one claim)
    if a_comparison or b_comparison:
        return False  # "370 ships compared with 290": figures of two things set side by side
    if a_countries and b_countries and not a_countries & b_countries:
        return False  # the same measure of other countries ("ships" of two navies) is another thing
    if a_docs & b_docs:
        return False  # one article, or a copy of it: no independent second report
    if a_projection != b_projection:
        return False  # a target and an actual figure do not contradict each other
    if a_period and b_period and not a_period.overlaps(b_period):
        return False
    if bool(a_period) != bool(b_period):
        return False
    low, high = sorted((abs(a.value), abs(b.value)))
    if low == 0 or high / low > MAX_CONFLICT_RATIO:
        return False
    return subject_similarity(a.subject, b.subject) >= CONFLICT_SUBJECT


def _mark_conflicts_again(claims: list[Claim], eligible: set[int], changed: set[int], conflicting: set[int],
                          copies: dict[str, str], gone: list[Claim]) -> None:
    """``_mark_conflicts`` over the ``eligible`` claims, where it was done before on the same claims but
    ``changed`` (new, or changed in what ``_conflict`` reads or in being eligible) and ``conflicting`` were the
    ones it marked then.

    A single-source claim ends conflicting when any eligible claim contradicts it, and only a claim of its unit
    within MAX_CONFLICT_RATIO of its value and of a subject alike its own can. So a claim with no changed one
    among those is as it was; of the others a changed one, or one conflicting before (its contradiction may
    have changed), is compared with every neighbour, and one not conflicting before with the changed neighbours
    alone. A claim marked then that is ``gone`` (merged again, among the new ones) counts as changed where it
    was: a claim conflicting with it alone is compared again.
    """
    def window(index: dict[str, list[tuple[float, int]]], claim: Claim) -> tuple[int, int]:
        values, value = index.get(claim.unit, []), abs(claim.value)
        return bisect_left(values, (value / _RATIO_EDGE, -1)), bisect_right(values, (value * _RATIO_EDGE, len(claims)))

    facts: dict[int, _Facts] = {}

    def conflict(n: int, m: int) -> bool:
        i, k = min(n, m), max(n, m)
        for j in (i, k):
            if j not in facts:
                facts[j] = _facts(claims[j], copies)
        return _conflict(claims[i], claims[k], facts[i], facts[k])

    single = {n for n in eligible if claims[n].value != 0 and claims[n].corroboration == "single_source"}
    index = _by_unit(claims, eligible)
    subjects: dict[str, _Subjects] = {}  # by unit, worked out for the units a changed figure is of
    seen: dict[int, list[int]] = {}

    def alike(claim: Claim) -> list[int]:  # the eligible neighbours _conflict's last test, on subjects, can hold for
        if id(claim) in seen:
            return seen[id(claim)]
        unit = claim.unit
        values = index.get(unit)
        if not values:
            return []
        if unit not in subjects:
            subjects[unit] = _Subjects([claims[m].subject for _, m in values])
        low, high = window(index, claim)
        found = subjects[unit].alike(_words_of(claim.subject), low, high, CONFLICT_SUBJECT)
        seen[id(claim)] = [m for m in (values[low + k][1] for k in found) if claims[m] is not claim]
        return seen[id(claim)]

    # Only a figure of a subject alike a changed or gone one can have conflicted with it (_conflict's last test
    # holds both ways), so only those of the ones conflicting before are compared again.
    touched = [*(claims[n] for n in changed), *gone]
    again = {n for n in changed if n in single} | {m for c in touched for m in alike(c)
                                                   if m in conflicting and m in single}
    # A claim conflicting before most often still is, with one that conflicted too: those are tried first. Only a
    # neighbour of a subject alike can contradict it, so only those are tried.
    found = {n for n in again if any(conflict(n, m) for m in _conflicting_first(alike(claims[n]), conflicting))}
    for n in changed & eligible:
        found |= {m for m in alike(claims[n]) if m in single and m not in again and conflict(n, m)}
    for n in single:
        claims[n].corroboration = "conflicting" if n in found or (n in conflicting and n not in again) \
            else "single_source"


_RATIO_EDGE = MAX_CONFLICT_RATIO * (1 + 1e-9)  # a little past the ratio: _conflict decides the edge exactly


def _by_unit(claims: list[Claim], among: Iterable[int]) -> dict[str, list[tuple[float, int]]]:
    """The claims ``among`` with a value other than zero, by unit, as (absolute value, position), sorted."""
    out: dict[str, list[tuple[float, int]]] = {}
    for n in among:
        if claims[n].value != 0:
            out.setdefault(claims[n].unit, []).append((abs(claims[n].value), n))
    for values in out.values():
        values.sort()
    return out


def _conflicting_first(among: list[int], conflicting: set[int]) -> Iterator[int]:
    """``among``: those in ``conflicting`` first, then the others."""
    yield from (m for m in among if m in conflicting)
    yield from (m for m in among if m not in conflicting)


def _mark_conflicts(claims: list[Claim], copies: dict[str, str]) -> None:
    """Single-source figures another report contradicts become ``conflicting``.

    Only pairs of one unit with values within MAX_CONFLICT_RATIO of each other can conflict. Marking only ever
    turns single_source into conflicting, so the pairs may be read in any order, and a pair in which neither
    figure is single-source is not read at all.
    """
    facts = [_facts(c, copies) for c in claims]
    for values in _by_unit(claims, range(len(claims))).values():
        subjects = _Subjects([claims[m].subject for _, m in values])
        for i, (low, n) in enumerate(values):
            end = bisect_right(values, (low * _RATIO_EDGE, len(claims)), i + 1)
            for k in subjects.alike(subjects.words[i], i + 1, end, CONFLICT_SUBJECT):
                m = values[i + 1 + k][1]
                a, b = (claims[n], claims[m]) if n < m else (claims[m], claims[n])
                if "single_source" not in (a.corroboration, b.corroboration):
                    continue
                if _conflict(a, b, facts[min(n, m)], facts[max(n, m)]):
                    for c in (a, b):
                        if c.corroboration == "single_source":
                            c.corroboration = "conflicting"
