"""Countries: names, demonyms and capitals normalised to ISO 3166-1 alpha-3.

Names come from pycountry (official and common names); ``data/countries.tsv``
adds the spellings pycountry lacks (Türkiye, Turkiye), demonyms ("Turkish")
and the capitals news reports use for governments ("Ankara accounted for ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pycountry

from pactwatch.text import alternation, fold

NAME, DEMONYM, CAPITAL = "name", "demonym", "capital"
# Codes outside ISO 3166-1 that news about states needs.
EXTRA_NAMES = {"XKX": "Kosovo"}
# Names pycountry gives that read badly in a summary.
DISPLAY = {"TUR": "Türkiye", "GBR": "United Kingdom", "USA": "United States", "RUS": "Russia", "IRN": "Iran",
           "KOR": "South Korea", "PRK": "North Korea", "SYR": "Syria", "VNM": "Vietnam", "LAO": "Laos",
           "TWN": "Taiwan", "BOL": "Bolivia", "VEN": "Venezuela", "TZA": "Tanzania", "MDA": "Moldova",
           "COD": "DR Congo", "PSE": "Palestine", "CZE": "Czechia"}
# Short forms that are ordinary words or names too often to be read as countries.
AMBIGUOUS = {"US", "Chad", "Jordan", "Georgia", "Niger", "Guinea", "Turkey", "China", "Lima", "Victoria",
             "Santiago", "Sofia", "Kremlin", "America", "Washington"}


# Words before a country's name that make it a region or a name of something else ("Latin America", "South
# America", "New Mexico", "Copa America", "Captain America"). A country whose own name starts with one ("South Korea",
# "North Macedonia") is matched from that word, so it is not affected.
NOT_AFTER = ("Latin", "South", "North", "Central", "New", "Copa", "Captain", "Miss")
_NOT_AFTER = re.compile(rf"\b(?:{'|'.join(NOT_AFTER)})\s$")


@dataclass(frozen=True)
class CountryMatch:
    start: int
    end: int
    text: str
    code: str
    kind: str  # name | demonym | capital


@dataclass(frozen=True)
class _Lexicon:
    forms: dict[str, tuple[str, str]]  # surface form -> (code, kind)
    folded: dict[str, str]  # folded form -> code
    pattern: re.Pattern[str]


def _data_rows() -> list[tuple[str, list[str], list[str], list[str]]]:
    rows = []
    text = resources.files("pactwatch").joinpath("data/countries.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = ([*line.split("\t"), "", "", "", ""])[:4]
        rows.append((cells[0], *[[x.strip() for x in c.split(";") if x.strip()] for c in cells[1:]]))
    return rows  # type: ignore[return-value]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    forms: dict[str, tuple[str, str]] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value and "," not in value:
                forms.setdefault(value, (c.alpha_3, NAME))
    for code, names, demonyms, capitals in _data_rows():
        for kind, values in ((NAME, names), (DEMONYM, demonyms), (CAPITAL, capitals)):
            for v in values:
                forms[v] = (code, kind)
    for v in list(forms):  # all-caps datelines: "TÜRKİYE", "ISLAMABAD:"
        forms.setdefault(v.upper().replace("I", "I"), forms[v])
        if "i" in v:
            forms.setdefault(v.upper().replace("I", "İ"), forms[v])
    folded = {fold(v): code for v, (code, kind) in forms.items() if kind == NAME}
    # The first letters every form starts with, checked before the forms are tried: most positions fail there at
    # once (a long text, a run of spaces, costs little).
    firsts = "".join(sorted({re.escape(v[0]) for v in forms}))
    # "Indian Ocean", "Arabian Sea": geography, not a state.
    pattern = re.compile(rf"(?<![\w-])(?:the\s+)?(?=[{firsts}])({alternation(forms)})(?![\w])"
                         rf"(?!\s+(?:Ocean|Sea|Gulf|Peninsula)\b)")
    return _Lexicon(forms, folded, pattern)


def find_countries(text: str) -> list[CountryMatch]:
    """Every country name, demonym and capital in ``text``, with its offsets (case-sensitive)."""
    return list(_scan_countries(text))


@lru_cache(maxsize=256)  # a document's text is read by the prefilter, the context and the extractors in turn
def _scan_countries(text: str) -> tuple[CountryMatch, ...]:
    lex = _lexicon()
    out = []
    for m in lex.pattern.finditer(text):
        surface = m.group(1)
        if _NOT_AFTER.search(text, max(0, m.start(1) - 10), m.start(1)):
            continue  # "Latin America", "Copa America": a region, a name of something else
        code, kind = lex.forms[surface]
        out.append(CountryMatch(m.start(1), m.end(1), surface, code, kind))
    return tuple(out)


def country_code(text: str | None) -> str | None:
    """ISO3 for a country's name, demonym or capital in any spelling, else None."""
    if not text:
        return None
    text = text.strip()
    if text.lower().startswith("the "):
        text = text[4:]
    text = text.removesuffix("'s").removesuffix("’s")
    lex = _lexicon()
    if text in lex.forms:
        return lex.forms[text][0]
    if len(text) == 3 and text.isupper() and (text in EXTRA_NAMES or pycountry.countries.get(alpha_3=text)):
        return text
    return lex.folded.get(fold(text))


def country_name(code: str) -> str:
    """The name to show for an ISO3 code."""
    if code in DISPLAY:
        return DISPLAY[code]
    if code in EXTRA_NAMES:
        return EXTRA_NAMES[code]
    c = pycountry.countries.get(alpha_3=code)
    return (getattr(c, "common_name", None) or c.name) if c else code


def is_country_code(code: str) -> bool:
    return code in EXTRA_NAMES or pycountry.countries.get(alpha_3=code) is not None


@lru_cache(maxsize=1)
def cities() -> dict[str, str]:
    text = resources.files("pactwatch").joinpath("data/cities.tsv").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            name, code = line.split("\t")[:2]
            out[name.strip()] = code.strip()
    return out


@lru_cache(maxsize=1)
def _folded_places() -> dict[str, str]:
    """Capitals and major cities by their folded names (``country_code`` folds only countries' names: "male" and
    "nice" are words)."""
    out = {fold(v): code for v, (code, kind) in _lexicon().forms.items() if kind == CAPITAL}
    out.update((fold(name), code) for name, code in cities().items())
    return out


def place_country(text: str) -> str | None:
    """ISO3 of a country, capital or major city named by ``text``; one written with a capital where a place is
    named matches without its accents ("in Male" is in Malé, "in Sao Paulo" in São Paulo)."""
    name = text.strip().removeprefix("the ").strip()
    return country_code(text) or cities().get(name) or (
        _folded_places().get(fold(name)) if name[:1].isupper() else None)
