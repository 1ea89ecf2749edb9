"""Small text helpers shared by the stages."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 14)  # names are folded again for every pair of them a rebuild compares
def fold(text: str | None) -> str:
    """Lower-case ASCII form for comparing names: 'Yaşar Güler' -> 'yasar guler'."""
    text = (text or "").replace("ı", "i").replace("İ", "I")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", text.lower()).strip()


def has_diacritics(text: str) -> bool:
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFKD", text)) or "ı" in text


def squash_spaces(text: str) -> str:
    return " ".join(text.split())
