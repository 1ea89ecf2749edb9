"""Near-duplicate articles: wire copies, syndicated and reprinted pages.

A copy repeats another article's words, so it reports the same episodes and is
no second witness to a figure. Two documents are copies when most of the word
5-grams ("shingles") of the shorter one stand in the longer: containment, not
Jaccard, because pages are cut at different lengths and carry different
furniture around the same story. Articles that only quote one wire paragraph
each stay apart: they are separate reports that agree.

Only the shingles whose hash falls in one residue class are kept (a fixed
sample, so two copies keep the same ones and the shares stay unbiased).
Candidates come from an inverted index over them, so the work grows with the
shingles shared, not with the square of the corpus; a shingle found in many
documents is boilerplate ("click here to read more") and is not indexed. A
sampled shingle set is enough at this scale: no MinHash library is needed.
A store keeps the index (``CopyIndex``), so documents added later are compared
through it with the earlier ones (``groups_since``) without reading them all.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from pactwatch.models import Document
from pactwatch.text import fold

SHINGLE_WORDS = 5
SAMPLE = 2  # keep one shingle in two
# A text with fewer kept shingles than this is too short to tell a copy from a shared phrase.
MIN_SHINGLES = 15
# The share of the shorter text's shingles that the longer one must hold.
COPY_CONTAINMENT = 0.7
# A shingle in more documents than this is page furniture or a stock phrase, not evidence of copying.
BOILERPLATE_DOCS = 20


@lru_cache(maxsize=4096)  # the corpus is resolved several times while publication dates are inferred
def shingles(text: str) -> frozenset[int]:
    """The kept hashes of the text's overlapping runs of SHINGLE_WORDS folded words.

    CRC-32, not ``hash()``: Python salts string hashes per process, and the sample must be the same in
    every run for the same texts to be found copies every time.
    """
    words = fold(text).split()
    runs = (zlib.crc32(" ".join(words[i:i + SHINGLE_WORDS]).encode()) for i in range(len(words) - SHINGLE_WORDS + 1))
    return frozenset(h for h in runs if h % SAMPLE == 0)


def find_copies(documents: list[Document]) -> dict[str, str]:
    """Each copy's document id -> the id of the original of its group of copies."""
    return originals(copy_groups(documents)[0], {d.id: d for d in documents})


def copy_groups(documents: list[Document]) -> tuple[list[set[str]], dict[str, frozenset[int]]]:
    """The groups of copies (two documents or more each), and the kept shingles of every document long enough."""
    sets = {d.id: shingles(d.text) for d in documents}
    sets = {i: s for i, s in sets.items() if len(s) >= MIN_SHINGLES}
    index: dict[int, list[str]] = {}
    for doc_id, found in sets.items():
        for h in found:
            index.setdefault(h, []).append(doc_id)
    shared: Counter[tuple[str, str]] = Counter()
    for ids in index.values():
        if 1 < len(ids) <= BOILERPLATE_DOCS:
            for i, a in enumerate(ids):
                for b in ids[i + 1:]:
                    shared[(a, b) if a < b else (b, a)] += 1
    size = {i: len(s) for i, s in sets.items()}
    return _joined([], shared, size), sets


def _joined(groups: list[set[str]], shared: Counter[tuple[str, str]], size: dict[str, int]) -> list[set[str]]:
    """``groups`` joined by every pair whose shared shingles are most of the shorter text's."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for group in groups:
        first, *rest = sorted(group)
        for d in rest:
            parent[root(d)] = root(first)
    for (a, b), n in shared.items():
        if n / min(size[a], size[b]) >= COPY_CONTAINMENT:
            parent[root(a)] = root(b)
    out: dict[str, set[str]] = {}
    for d in list(parent):
        out.setdefault(root(d), set()).add(d)
    return [g for g in out.values() if len(g) > 1]


def originals(groups: list[set[str]], documents: dict[str, Document]) -> dict[str, str]:
    """Each copy -> the original of its group: the earliest published (undated ones last), then the longest
    text, then the first by source. Worked out on every round, as inferred publication dates may change it."""
    copies: dict[str, str] = {}
    position = {d: n for n, d in enumerate(documents)}  # ties go to the first in corpus order
    for group in groups:
        members = sorted((documents[d] for d in group if d in documents), key=lambda d: position[d.id])
        if len(members) < 2:
            continue
        original = min(members, key=lambda d: (d.published is None, d.published.start if d.published else None,
                                                -len(d.text), d.source))
        copies.update({d.id: original.id for d in members if d is not original})
    return copies


@dataclass
class CopyIndex:
    """The documents seen before, as a store keeps them: their shingles, found by shingle, and their copies."""

    seen: set[str]  # every document seen before (the short ones too)
    holders: Callable[[set[int]], dict[int, set[str]]]  # shingles -> the documents seen before holding each
    sizes: Callable[[set[str]], dict[str, int]]  # documents seen before -> how many shingles each keeps
    kept: Callable[[set[str]], dict[str, set[int]]]  # documents seen before -> the shingles each keeps
    groups: list[set[str]]  # the groups of copies among them


def groups_since(documents: list[Document], index: CopyIndex) -> tuple[list[set[str]], dict[str, frozenset[int]]]:
    """``copy_groups`` of all the documents, from the groups of those seen before and the shingles of the new
    ones, found through the index: the work grows with the new documents, not the corpus. Also the new
    documents' kept shingles.

    A new document can make a shingle boilerplate (held by more than BOILERPLATE_DOCS) that earlier documents
    counted as shared: two of them in no group together stay apart, but a group of copies holding two of its
    holders is linked again from its members' own shingles, as ``copy_groups`` would count them now.
    """
    sets = {d.id: shingles(d.text) for d in documents if d.id not in index.seen}
    sets = {i: s for i, s in sets.items() if len(s) >= MIN_SHINGLES}
    new_holders: dict[int, list[str]] = {}
    for doc_id, found in sets.items():
        for h in found:
            new_holders.setdefault(h, []).append(doc_id)
    old_holders = index.holders(set(new_holders))
    shared: Counter[tuple[str, str]] = Counter()
    relink: set[int] = set()  # positions in index.groups of the groups to link again
    for h, new in new_holders.items():
        old = sorted(old_holders.get(h, ()))
        if len(old) + len(new) > BOILERPLATE_DOCS:
            if 2 <= len(old) <= BOILERPLATE_DOCS:
                relink.update(n for n, group in enumerate(index.groups) if len(group.intersection(old)) >= 2)
            continue
        ids = old + new
        for i, a in enumerate(ids):
            for b in ids[max(i + 1, len(old)):]:
                shared[(a, b) if a < b else (b, a)] += 1
    size = {i: len(s) for i, s in sets.items()}
    for n in relink:
        kept = index.kept(index.groups[n])
        held = index.holders({h for found in kept.values() for h in found})
        members = sorted(kept)
        for i, a in enumerate(members):
            size[a] = len(kept[a])
            for b in members[i + 1:]:
                shared[(a, b)] += sum(1 for h in kept[a] & kept[b]
                                      if len(held.get(h, ())) + len(new_holders.get(h, ())) <= BOILERPLATE_DOCS)
    size.update(index.sizes({d for pair in shared for d in pair} - set(size)))
    kept_whole = [group for n, group in enumerate(index.groups) if n not in relink]
    return _joined(kept_whole, shared, size), sets


def copies_among(docs: set[str], copies: dict[str, str]) -> dict[str, str]:
    """The copy links within one record's documents (copy -> original), to show why they count as one."""
    return {d: copies[d] for d in sorted(docs) if d in copies}
