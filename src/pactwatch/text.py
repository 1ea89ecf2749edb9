"""Small text helpers shared by the stages."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


_Trie = dict[str, "_Trie"]  # a character -> what may follow it; "" -> {} where a word ends


def alternation(words: Iterable[str], space: str | None = None) -> str:
    """A regex matching any of ``words``, the longest first where several match at one place (as a flat
    alternation sorted longest first does), written as a trie of their characters: ``re`` tries a flat
    alternation word by word at every position of a text, a trie once per character (eleven times faster on
    the country lexicon). ``space``: what a space in a word matches (``\\s+``: any run of white space); the words
    then have single spaces between their parts and none at either end, as the data files give them. With
    ``re.I``, give the words in one case."""
    root: _Trie = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def branch(node: _Trie) -> str:
        ways = [(space if ch == " " and space else re.escape(ch)) + branch(child)
                for ch, child in sorted(node.items()) if ch]
        if not ways:
            return ""
        body = ways[0] if len(ways) == 1 else "(?:" + "|".join(ways) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer words first, then the one ending here

    return branch(root)


@lru_cache(maxsize=1 << 14)  # names are folded again for every pair of them a rebuild compares
def fold(text: str | None) -> str:
    """Lower-case ASCII form for comparing names: 'Yaşar Güler' -> 'yasar guler'."""
    text = text or ""
    if text.isascii():  # nothing to decompose (most English text): the character pass below costs the most
        return _NON_ALNUM.sub(" ", text.lower()).strip()
    text = text.replace("ı", "i").replace("İ", "I")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", text.lower()).strip()


def whole_word_spans(text: str, word: str, joined_before: str = "-",
                     joined_after: str = "-") -> Iterator[tuple[int, int]]:
    """Where ``word`` stands in ``text`` as a whole word: no word character (as a regex's ``\\w``), nor one of
    the characters that join words, just before or after it. Found with ``str.find``: a regex made for each
    name costs more to compile than the search (most names are new to the process)."""
    if not word:
        return
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if not (at and _joins(text[at - 1], joined_before)) and not (
                end < len(text) and _joins(text[end], joined_after)):
            yield at, end
            at = text.find(word, end)
        else:
            at = text.find(word, at + 1)


def _joins(char: str, joining: str) -> bool:
    return char.isalnum() or char == "_" or char in joining


def has_diacritics(text: str) -> bool:
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFKD", text)) or "ı" in text


def squash_spaces(text: str) -> str:
    return " ".join(text.split())
