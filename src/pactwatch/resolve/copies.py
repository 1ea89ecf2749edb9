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
"""

from __future__ import annotations

import zlib
from collections import Counter
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
    """Each copy's document id -> the id of the original of its group of copies.

    The original is the earliest published (undated ones last), then the longest text, then the first
    by source; every other member of a group of copies maps to it.
    """
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
    parent = {doc_id: doc_id for doc_id in sets}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (a, b), n in shared.items():
        if n / min(len(sets[a]), len(sets[b])) >= COPY_CONTAINMENT:
            parent[root(a)] = root(b)
    groups: dict[str, list[Document]] = {}
    for d in documents:
        if d.id in parent:
            groups.setdefault(root(d.id), []).append(d)
    copies: dict[str, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        original = min(members, key=lambda d: (d.published is None, d.published.start if d.published else None,
                                                -len(d.text), d.source))
        copies.update({d.id: original.id for d in members if d is not original})
    return copies


def copies_among(docs: set[str], copies: dict[str, str]) -> dict[str, str]:
    """The copy links within one record's documents (copy -> original), to show why they count as one."""
    return {d: copies[d] for d in sorted(docs) if d in copies}
