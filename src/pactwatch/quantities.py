"""Quantities in news text: money, percentages, measures and counts, as plain numbers with a unit.

``find_amounts`` reads money ("$3.5 billion", "USD 500 million", "Rs 20,400 crore",
"5 trillion yen", "N13bn", "500 million euros"), percentages ("11 per cent") and
measures ("45 tonnes", "30 million cubic metres per day") from the raw text with
regexes. ``find_counts`` reads counts of people and things ("over 200,000
Pakistanis", "six Canadian diplomats", "72 major projects", "not a single case")
from the spaCy parse, where the counted noun is the number's head. Both skip
what is not a quantity: years, ordinals, durations, ages, times of day, numbers
inside names (F-16, G20), match scores and phone numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from pactwatch.countries import country_code
from pactwatch.nlp import text_of


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class Quantity:
    """One quantity: ``text[start:end]`` is the number with its unit words."""

    start: int
    end: int
    text: str
    value: float
    unit: str  # ISO currency code, percent, tonnes, persons, count, or a plain measure ("km")
    kind: str  # money | percent | measure | count
    noun: str | None = None  # the counted noun for counts ("diplomats")
    head: int | None = None  # token index the quantity hangs on in the parse (counts only)
    high: float | None = None  # a range's upper end ("$45-50 billion", "40 to 50 ships"); value is its lower


# ---------- numbers ----------

_WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
    "a dozen": 12, "a hundred": 100, "a thousand": 1000, "half a million": 500_000,
}
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6, "billion": 1e9, "bn": 1e9,
    "b": 1e9, "bln": 1e9, "trillion": 1e12, "tn": 1e12, "tr": 1e12, "lakh": 1e5, "lakhs": 1e5, "crore": 1e7,
    "crores": 1e7, "lakh crore": 1e12, "hundred": 1e2,
}
# Thousands grouped by threes ("1,000,000"), or the Indian way, the lakhs and crores by twos ("10,00,000").
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = (r"(?:\s*-?\s*(?P<scale{n}>lakh\s+crore|lakhs?|crores?|thousand|million|billion|trillion|mln|bln|mn|bn|tn|"
          r"k|m|b)\b)")


def parse_number(text: str) -> float | None:
    """'1,200' -> 1200.0, '3.5' -> 3.5, 'six' -> 6.0, 'twenty-five' -> 25.0, 'a dozen' -> 12.0."""
    t = text.strip().lower().replace(",", "")
    try:
        return float(t)
    except ValueError:
        pass
    if t in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[t])
    parts = re.split(r"[\s-]+", t)
    if len(parts) == 2 and parts[0] in _WORD_NUMBERS and parts[1] in _WORD_NUMBERS:
        a, b = _WORD_NUMBERS[parts[0]], _WORD_NUMBERS[parts[1]]
        return float(a * b if b >= 100 else a + b)
    return None


def _scaled(number: str, scale: str | None) -> float | None:
    value = parse_number(number)
    if value is None:
        return None
    if scale:
        value *= SCALES[re.sub(r"\s+", " ", scale.lower())]
    return round(value, 6)


# ---------- money ----------

# Symbols and codes written before the number; single letters (N for naira, R for rand) only with a scale.
_PREFIX_CURRENCY = {
    "us$": "USD", "usd": "USD", "$": "USD", "us $": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
    "¥": "JPY", "jpy": "JPY", "₹": "INR", "rs": "INR", "rs.": "INR", "inr": "INR", "pkr": "PKR", "₦": "NGN",
    "ngn": "NGN", "kes": "KES", "ksh": "KES", "ksh.": "KES", "zar": "ZAR", "sar": "SAR", "aed": "AED",
    "try": "TRY", "tl": "TRY", "₺": "TRY", "cny": "CNY", "rmb": "CNY", "brl": "BRL", "r$": "BRL", "mxn": "MXN",
    "ars": "ARS", "egp": "EGP", "a$": "AUD", "au$": "AUD", "aud": "AUD", "c$": "CAD", "ca$": "CAD",
    "cad": "CAD", "chf": "CHF", "krw": "KRW", "₩": "KRW", "rub": "RUB", "bdt": "BDT", "tk": "BDT",
    "idr": "IDR", "php": "PHP", "₱": "PHP", "thb": "THB", "vnd": "VND", "qar": "QAR", "irr": "IRR",
    "n": "NGN", "r": "ZAR",
}
# Currency words written after the number.
_SUFFIX_CURRENCY = {
    "dollars": "USD", "dollar": "USD", "us dollars": "USD", "euros": "EUR", "euro": "EUR", "yen": "JPY",
    "rupees": "INR", "pounds": "GBP", "pounds sterling": "GBP", "naira": "NGN", "riyals": "SAR", "riyal": "SAR",
    "lira": "TRY", "liras": "TRY", "yuan": "CNY", "renminbi": "CNY", "pesos": "pesos", "shillings": "KES",
    "rand": "ZAR", "dirhams": "AED", "dirham": "AED", "reais": "BRL", "real": "BRL", "taka": "BDT",
    "won": "KRW", "rubles": "RUB", "roubles": "RUB", "rials": "IRR", "baht": "THB", "dong": "VND",
    "pakistani rupees": "PKR", "indian rupees": "INR", "sri lankan rupees": "LKR", "nepalese rupees": "NPR",
    "egyptian pounds": "EGP", "turkish lira": "TRY", "saudi riyals": "SAR", "australian dollars": "AUD",
    "canadian dollars": "CAD", "swiss francs": "CHF", "usd": "USD", "eur": "EUR", "inr": "INR", "pkr": "PKR",
    "jpy": "JPY", "ngn": "NGN", "kes": "KES", "zar": "ZAR", "gbp": "GBP", "sar": "SAR", "try": "TRY",
    "cny": "CNY", "brl": "BRL", "mxn": "MXN", "egp": "EGP", "aud": "AUD", "cad": "CAD",
    # a currency named with its country: the code is sure where "pesos" or "shillings" alone are not
    "reals": "BRL", "brazilian reais": "BRL", "brazilian reals": "BRL", "mexican pesos": "MXN",
    "argentine pesos": "ARS", "chilean pesos": "CLP", "colombian pesos": "COP", "philippine pesos": "PHP",
    "kenyan shillings": "KES", "ugandan shillings": "UGX", "tanzanian shillings": "TZS", "cedis": "GHS",
    "ghanaian cedis": "GHS", "birr": "ETB", "ethiopian birr": "ETB", "rupiah": "IDR", "ringgit": "MYR",
    "qatari riyals": "QAR", "omani rials": "OMR", "iranian rials": "IRR", "uae dirhams": "AED",
    "bangladeshi taka": "BDT", "japanese yen": "JPY", "chinese yuan": "CNY", "russian roubles": "RUB",
    "russian rubles": "RUB", "south korean won": "KRW", "south african rand": "ZAR", "nigerian naira": "NGN",
}
_PREFIX_ALT = "|".join(re.escape(k) for k in sorted(_PREFIX_CURRENCY, key=len, reverse=True) if len(k) > 1)
_SUFFIX_ALT = "|".join(re.escape(k) for k in sorted(_SUFFIX_CURRENCY, key=len, reverse=True))
_RANGE = rf"(?:\s*(?:-|–|to)\s*(?P<num2>{_NUM}){_SCALE.format(n=2)}?)?"

_MONEY_PREFIX = re.compile(
    r"(?<![\w$€£¥₹₦])(?P<cur>{alt}|[$€£¥₹₦₺₩₱])\s?(?P<num>{num}){scale}?{rng}(?![\w.,]\d)".format(
        alt=_PREFIX_ALT, num=_NUM, scale=_SCALE.format(n=""), rng=_RANGE),
    re.IGNORECASE)
_MONEY_LETTER = re.compile(  # N13bn, R20.26bn: one-letter currencies need a scale to be safe
    rf"(?<![\w.])(?P<cur>[NR])(?P<num>{_NUM})\s?(?P<scale>bn|mn|m|tn|billion|million|trillion)\b")
_MONEY_SUFFIX = re.compile(
    r"(?<![\w.,])(?P<num>{num}|{words}){scale}?{rng}(?:\s+|-)(?P<cur>{alt})\b".format(  # "300-million-euro"
        num=_NUM, words=r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred)",
        scale=_SCALE.format(n=""), rng=_RANGE, alt=_SUFFIX_ALT),
    re.IGNORECASE)
# "Rs 3.2 lakh crore" is caught above; a bare "3.2 lakh crore" is rupees in the press that writes it.
_LAKH_CRORE = re.compile(rf"(?<![\w.,])(?P<num>{_NUM})\s+(?P<scale>lakh\s+crore)\b", re.IGNORECASE)

# ---------- percentages and measures ----------

_PERCENT = re.compile(
    rf"(?<![\w.,])(?P<num>{_NUM})(?:\s*(?:-|–|to)\s*(?P<num2>{_NUM}))?\s?(?:%|\s?per\s?cent\b|\s?percent\b|"
    r"\s?percentage\s+points?\b|\s?pc\b)",
    re.IGNORECASE)
_MEASURES: tuple[tuple[str, str], ...] = (
    (r"(?:metric\s+)?(?:tonnes?|tons?)\b|kilotonnes?\b", "tonnes"),
    (r"(?:cubic\s+met(?:re|er)s?|cu\.?\s*m|m3|m³)\s*(?:per|a|/)\s*d(?:ay)?\b", "cubic metres per day"),
    (r"(?:cubic\s+met(?:re|er)s?|m3|m³)\b", "cubic metres"),
    (r"barrels\s*(?:per|a|/)\s*day\b|bpd\b", "barrels per day"),
    (r"barrels\b", "barrels"),
    (r"kilomet(?:re|er)s?\b|km\b", "km"),
    (r"miles\b", "miles"),
    (r"square\s+kilomet(?:re|er)s?\b|sq\.?\s*km\b", "square km"),
    (r"hectares\b", "hectares"),
    (r"megawatts?\b|MW\b", "MW"),
    (r"gigawatts?\b|GW\b", "GW"),
    (r"kilograms?\b|kg\b", "kg"),
    (r"cusecs?\b", "cusecs"),
    # a device's specifications: "a 5,000 mAh battery", "3 GB of RAM" measure it, they count nothing
    (r"mAh\b", "mAh"),
    (r"GB\b", "GB"), (r"MB\b", "MB"),  # not "TB": "10,000 TB cases" are of tuberculosis
    (r"GHz\b", "GHz"), (r"MHz\b", "MHz"),
    (r"megapixels?\b", "MP"),
)
_MEASURE = re.compile(
    r"(?<![\w.,])(?P<num>{num}|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred))"
    r"{scale}?\s*(?P<unit>{units})".format(num=_NUM, scale=_SCALE.format(n=""),
                                           units="|".join(f"(?:{p})" for p, _ in _MEASURES)),
    re.IGNORECASE)
_MEASURE_UNITS = [(re.compile(p, re.IGNORECASE), u) for p, u in _MEASURES]


def _measure_unit(text: str) -> str:
    for pattern, unit in _MEASURE_UNITS:
        if pattern.fullmatch(text.strip()):
            return unit
    return text.strip().lower()


def _money(m: re.Match[str], code: str) -> list[Quantity]:
    """One quantity; a range ("USD 45-50 billion": both ends carry the scale) is one with its upper end as ``high``."""
    scale2 = m.groupdict().get("scale2")
    scale = m.groupdict().get("scale") or scale2
    value = _scaled(m["num"], scale)
    if value is None:
        return []
    high = _upper(value, m.groupdict().get("num2"), scale2 or scale)
    return [Quantity(m.start(), m.end(), m.group(), value, code, "money", high=high)]


def _upper(low: float, number: str | None, scale: str | None = None) -> float | None:
    """The upper end of a range, where there is one and it lies above the lower ("2-0" is a score, not a range)."""
    high = _scaled(number, scale) if number else None
    return high if high is not None and high > low else None


def find_amounts(text: str) -> list[Quantity]:
    """Money, percentages and measures in ``text``, without overlaps (the longest reading wins)."""
    found: list[Quantity] = []
    for m in _MONEY_PREFIX.finditer(text):
        found += _money(m, _PREFIX_CURRENCY[m["cur"].lower().replace(" ", "")] if m["cur"].lower() != "us $"
                        else "USD")
    for m in _MONEY_LETTER.finditer(text):
        found += _money(m, _PREFIX_CURRENCY[m["cur"].lower()])
    for m in _MONEY_SUFFIX.finditer(text):
        found += _money(m, _SUFFIX_CURRENCY[re.sub(r"\s+", " ", m["cur"].lower())])
    for m in _LAKH_CRORE.finditer(text):
        found += _money(m, "INR")
    for m in _PERCENT.finditer(text):
        if (value := parse_number(m["num"])) is not None:
            found.append(Quantity(m.start(), m.end(), m.group(), value, "percent", "percent",
                                  high=_upper(value, m["num2"])))
    for m in _MEASURE.finditer(text):
        value = _scaled(m["num"], m["scale"])
        if value is not None:
            found.append(Quantity(m.start(), m.end(), m.group(), value, _measure_unit(m["unit"]), "measure"))
    return _between(text, [q for q in _without_overlaps(found) if not _vague(text, q) and not _cut_off(text, q)])


# "several hundred million euros", "a few hundred tonnes": a scale word counted vaguely gives no figure.
_VAGUE_BEFORE = re.compile(r"\b(?:several|a\s+few|few|some|many|hundreds\s+of|thousands\s+of)\s+$", re.IGNORECASE)
# A page cut off mid-word after a figure ("has cleared $96.6 milli"): its scale is lost with the word.
_CUT_SCALE = re.compile(r"\s?(?:mil|mill|milli|millio|bil|bill|billi|billio|tril|trill|trilli|trillio|thous|thousa"
                        r"|thousan|hund|hundr|hundre)$", re.IGNORECASE)


def _vague(text: str, q: Quantity) -> bool:
    return q.text[:1].isalpha() and bool(_VAGUE_BEFORE.search(text, max(0, q.start - 16), q.start))


def _cut_off(text: str, q: Quantity) -> bool:
    return bool(_CUT_SCALE.fullmatch(text, q.end, len(text)))


def _between(text: str, found: list[Quantity]) -> list[Quantity]:
    """"between $4 billion and $5 billion": one range, not two figures."""
    out: list[Quantity] = []
    for q in found:
        prev = out[-1] if out else None
        if prev and prev.high is None and q.high is None and prev.unit == q.unit and q.value > prev.value \
                and _AND.fullmatch(text[prev.end:q.start]) \
                and _BETWEEN.search(text[max(0, prev.start - 10):prev.start]):
            out[-1] = replace(prev, end=q.end, text=text[prev.start:q.end], high=q.value)
        else:
            out.append(q)
    return out


_AND = re.compile(r"\s+and\s+")
_BETWEEN = re.compile(r"\bbetween\s+$", re.IGNORECASE)


def _without_overlaps(found: list[Quantity]) -> list[Quantity]:
    """Keep the longest match where matches overlap."""
    found.sort(key=lambda q: (q.start, -(q.end - q.start)))
    out: list[Quantity] = []
    for q in found:
        if out and q.start < out[-1].end and (q.start, q.end) != (out[-1].start, out[-1].end):
            continue
        if out and (q.start, q.end, q.value) == (out[-1].start, out[-1].end, out[-1].value):
            continue
        out.append(q)
    return out


# ---------- counts ----------

PERSON_NOUNS = _wordset("""
people person persons individual individuals man men woman women child children civilian civilians citizen citizens
national nationals resident residents migrant migrants refugee refugees asylum-seeker asylum-seekers seeker seekers
worker workers student students officer officers soldier soldiers troop troops personnel diplomat diplomats official
officials prisoner prisoners detainee detainees hostage hostages fisherman fishermen pilgrim pilgrims tourist tourists
visitor visitors victim victims casualty casualties fighter fighters militant militants terrorist terrorists member
members delegate delegates minister ministers police policemen policeman cadet cadets trainee trainees fan fans
spectator spectators employee employees staff doctor doctors nurse nurses teacher teachers journalist journalists
protester protesters protestors demonstrator demonstrators voter voters inhabitant inhabitants passenger passengers
sailor sailors crew guard guards peacekeeper peacekeepers expatriate expatriates expat expats labourer labourers
laborer laborers farmer farmers trader traders investor investors businessmen businessman entrepreneur entrepreneurs
smuggler smugglers suspect suspects evacuee evacuees secretary secretaries envoy envoys ambassador ambassadors
""")
# Counted nouns that make a number something other than a claim.
NOT_COUNTED = _wordset("""
year years month months week weeks day days hour hours minute minutes second seconds decade decades century centuries
time times am pm a.m. p.m. o'clock like likes comment comments share shares view views follower followers retweet
retweets reply replies reaction reactions repost reposts subscriber subscribers point points goal goals run runs wicket
wickets over overs set sets round rounds edition editions th st nd rd session sessions page pages photo photos image
images minute-read read reads step steps min mins m bn mn k word words
""")
_TIME_OF_DAY = re.compile(r"^\s*(?:[ap]\.?m\.?|o'clock|hrs|GMT|IST|PKT|UTC|local time)\b", re.IGNORECASE)
_NOT_A_SINGLE = re.compile(r"\b(?:not\s+(?:a\s+single|one\s+single|one)|zero|no\s+single)\s+", re.IGNORECASE)


_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")


def _is_number_token(token: Token) -> bool:
    if not token.like_num:  # a lexical flag, so the cheapest test first: every token of a text is asked
        return False
    if token.ent_type_ in ("ORDINAL", "TIME") or _ORDINAL.fullmatch(token.lower_):
        return False
    return token.text[0].isdigit() or token.lower_ in _WORD_NUMBERS


def _number_span(doc: Doc, i: int) -> tuple[int, int]:
    """Token range of the number starting or ending at ``i`` ("1.2 million", "twenty - five")."""
    start = end = i
    while start > 0 and _is_number_token(doc[start - 1]) and doc[start - 1].whitespace_:
        start -= 1
    while end + 1 < len(doc) and _is_number_token(doc[end + 1]) and doc[end].whitespace_:
        end += 1
    if end + 1 < len(doc) and doc[end + 1].lower_ in _INDIAN_SCALES and doc[end].whitespace_:
        end += 1  # "35 lakh people": spaCy takes "million" for a number, not these
    return start, end + 1


_INDIAN_SCALES = frozenset(w for w in SCALES if w.startswith(("lakh", "crore")) and " " not in w)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _glued(doc: Doc, start: int, end: int) -> bool:
    """Numbers glued to letters or other digits: F-16, G20, 2-0 scores, phone numbers, 9/11."""
    text = text_of(doc)
    a, b = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
    before, after = text[max(0, a - 2):a], text[b:b + 3]
    if re.search(r"[A-Za-z]-?$|[-–/:+.]\s?$", before) and not re.search(r"\s$", before[-1:]):
        return True
    if re.match(r"^(?:\s?[-–:/]\s?\d|\d|[A-Za-z]\w|[-–][A-Za-z])", after):  # also "two-way", "three-nation"
        return True
    return bool(re.match(r"^\s\d{2,}", after))  # digit groups split by spaces: a phone number


def _counted_noun(doc: Doc, start: int, end: int) -> Token | None:
    last = doc[end - 1]
    head = last.head
    if last.dep_ in ("nummod", "quantmod", "compound") and head.pos_ in ("NOUN", "PROPN") and head.i >= end:
        return head
    # spaCy sometimes hangs "six Canadian diplomats" elsewhere: take the next noun within three tokens
    for t in doc[end:min(len(doc), end + 3)]:
        if t.pos_ in ("NOUN", "PROPN"):
            if t.i + 1 < len(doc) and doc[t.i + 1].pos_ in ("NOUN", "PROPN") and doc[t.i + 1].dep_ != "compound":
                return doc[t.i + 1] if t.dep_ == "compound" else t
            if t.dep_ == "compound" and t.head.i > t.i and t.head.i - end < 4:
                return t.head
            return t
        if t.pos_ not in ("ADJ", "PROPN") and t.ent_type_ != "NORP":
            return None
    return None


def _unit_of(noun: Token) -> str | None:
    """persons for people, count for things, None where the number is not a count (years, likes)."""
    word = noun.lower_
    if word in NOT_COUNTED or noun.lemma_.lower() in NOT_COUNTED:
        return None
    if word in PERSON_NOUNS or noun.lemma_.lower() in PERSON_NOUNS:
        return "persons"
    if noun.text[:1].isupper() and word.endswith("s") and country_code(noun.text):
        return "persons"  # "200,000 Pakistanis"
    return "count"


def find_counts(doc: Doc, taken: list[tuple[int, int]] | None = None) -> list[Quantity]:
    """Counts of people and things in the parse, skipping character spans already ``taken`` by amounts."""
    taken = list(taken or [])
    out: list[Quantity] = []
    i = 0
    while i < len(doc):
        token = doc[i]
        if not _is_number_token(token):
            i += 1
            continue
        start, end = _number_span(doc, i)
        i = end
        a, b = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
        if any(a < tb and ta < b for ta, tb in taken) or _glued(doc, start, end):
            continue
        if any(t.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY") for t in doc[start:end]):
            continue
        if _TIME_OF_DAY.match(text_of(doc)[b:b + 10]):
            continue
        if _in_name(doc, start):
            continue
        q = _count(doc, start, end) if token.lower_ != "zero" else None  # zero: see _zero_counts
        if q:
            out.append(q)
    out += [z for z in _zero_counts(doc, taken) if not any(q.start < z.end and z.start < q.end for q in out)]
    out += [r for r in _repeats(doc, taken) if not any(q.start < r.end and r.start < q.end for q in out)]
    ranges = _count_ranges(doc, taken)
    out = [q for q in out if not any(r.start < q.end and q.start < r.end for r in ranges)] + ranges
    return sorted(out, key=lambda q: q.start)


_COUNT_NUMBER = rf"{_NUM}|\b(?:{'|'.join(w for w in _WORD_NUMBERS if ' ' not in w)})\b"
# "between 40 and 50 ships", "40 to 50 ships", "40-50 ships": one count with a lower and an upper end.
_COUNT_RANGE = re.compile(rf"(?<![\w.,$€£¥₹/-])(?P<between>between\s+)?(?P<num>{_COUNT_NUMBER})"
                          rf"\s*(?P<sep>-|–|\bto\b|\band\b)\s*(?P<num2>{_COUNT_NUMBER})(?![\w.,/-]\w)", re.IGNORECASE)


def _count_ranges(doc: Doc, taken: list[tuple[int, int]]) -> list[Quantity]:
    text = text_of(doc)
    out = []
    for m in _COUNT_RANGE.finditer(text):
        if m["sep"].lower() == "and" and not m["between"]:
            continue  # "40 and 50" alone is two figures
        low, high = parse_number(m["num"]), parse_number(m["num2"])
        if low is None or high is None or not low < high or any(m.start() < b and a < m.end() for a, b in taken):
            continue
        span = doc.char_span(m.start("num"), m.end("num2"), alignment_mode="expand")
        if span is None or any(t.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY") for t in span):
            continue
        counted = _counted(doc, span.start, span.end)
        if counted is None:
            continue
        unit, noun = counted
        start, end = m.start(), noun.idx + len(noun)
        out.append(Quantity(start, end, text[start:end], low, unit, "count", noun.text, noun.i, high=high))
    return out


_YEAR = re.compile(r"(?:19|20)\d\d")


def _in_name(doc: Doc, start: int) -> bool:
    """"the Six Nations", "Three Gorges", "Radio Five Live", "Commodore 64": a number inside a name (or a ratio)."""
    first = doc[start]
    if first.text[0].isupper() and not first.text[0].isdigit() and not first.is_sent_start \
            and doc[start - 1].text not in "\"'“‘(:-–—":
        return True
    prev = doc[start - 1] if start > 0 else None
    if start >= 2 and doc[start - 1].lower_ == "in" and doc[start - 2].lower_ in ("one", "1"):
        return True  # "one in five adults": a ratio, not a count of five
    # "Commodore 64"; after a place's name only a year names something: "Qatar 2022", "Vision 2030"
    return prev is not None and first.text[0].isdigit() and prev.pos_ == "PROPN" and bool(prev.whitespace_) \
        and (prev.ent_type_ not in ("GPE", "NORP") or bool(_YEAR.fullmatch(first.text)))


def _count(doc: Doc, start: int, end: int) -> Quantity | None:
    words = " ".join(t.text for t in doc[start:end])
    parts = words.split()
    value = parse_number(parts[0])
    if value is None:
        value = parse_number(words)
        parts = []
    for p in parts[1:]:
        if p.lower() in SCALES and value is not None:
            value *= SCALES[p.lower()]
        elif parse_number(p) is not None and value is not None:
            value = parse_number(words)
            break
    if value is None:
        return None
    if _counted_noun(doc, start, end) is None:
        # A bare figure is a claim only when it cannot be a year or a stray digit: "estimated at 50,000 annually"
        if value >= 1000 and ("," in words or len(parts) > 1):
            a, b = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
            return Quantity(a, b, text_of(doc)[a:b], float(value), "count", "count")
        return None
    counted = _counted(doc, start, end)
    if counted is None:
        return None
    unit, noun = counted
    a = doc[start].idx
    b = noun.idx + len(noun)
    return Quantity(a, b, text_of(doc)[a:b], float(value), unit, "count", noun.text, noun.i)


_ACRONYMS = re.compile(r"[A-Z][a-z]?[A-Z]+s")  # "26 MoUs", "40 NGOs": things counted by their initials


def _counted(doc: Doc, start: int, end: int) -> tuple[str, Token] | None:
    """The unit and the noun a number counts ("ships", "soldiers"), or None where it counts nothing a claim is about."""
    noun = _counted_noun(doc, start, end)
    unit = _unit_of(noun) if noun is not None else None
    if noun is None or unit is None or _PARAGRAPH_BREAK.search(text_of(doc), doc[end - 1].idx, noun.idx):
        return None  # "... 204\n\nNEW DELHI": a figure ending one paragraph counts nothing of the next
    if noun.pos_ == "PROPN" and noun.text[:1].isupper() and unit == "count" and noun.ent_type_ not in ("NORP", "GPE") \
            and not _ACRONYMS.fullmatch(noun.text):
        return None  # "three Oscars", "two Grammys" are names of things, not things counted in the news sense
    return unit, noun


# "has visited India nine times", "rates rose five times": how often an act took place, a count; "trade climbed
# 175 times over", "a fourfold increase": how many times a figure grew, a measure in "times". Not "three times a
# year" (a cadence), "three times as many" (a comparison) or "the task became twofold" (two parts).
OCCURRENCE_VERBS = _wordset("visit meet travel host hold call win elect tour grow rise increase raise climb jump "
                            "expand multiply surge soar cut")
FOLD_MIN = 3
_TIMES = re.compile(rf"(?<![\w.,$€£¥₹/-])(?P<num>{_COUNT_NUMBER})\s+times\b(?P<over>\s+over\b)?"
                    r"(?!\s+(?:a|an|per|each|every|annually|yearly|monthly|weekly|daily|more|less|higher|lower|bigger|larger"
                    r"|smaller|the|as\s+\w+\s+as)\b)",
                    re.IGNORECASE)
_FOLD = re.compile(r"\b(?P<num>\w+?)-?fold\b", re.IGNORECASE)


def _repeats(doc: Doc, taken: list[tuple[int, int]]) -> list[Quantity]:
    """How often an act took place ("visited India nine times") and how many times a figure grew ("climbing 175
    times over", "a fourfold increase")."""
    text, out = text_of(doc), []
    low = text.lower()  # most texts hold neither word: the patterns are not run over them
    found = [*(_TIMES.finditer(text) if "times" in low else ()), *(_FOLD.finditer(text) if "fold" in low else ())]
    for m in found:
        value = parse_number(m["num"])
        if value is None or value < 2 or any(m.start() < tb and ta < m.end() for ta, tb in taken):
            continue
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None:
            continue
        verb = next((t for t in span[-1].ancestors if t.pos_ in ("VERB", "AUX")), None)
        lemma = verb.lemma_.lower() if verb is not None else ""
        if m.re is _FOLD:
            if value >= FOLD_MIN and lemma not in ("be", "become", "seem", "remain"):
                out.append(Quantity(m.start(), m.end(), m.group(), float(value), "times", "measure"))
        elif m["over"]:
            out.append(Quantity(m.start(), m.end(), m.group(), float(value), "times", "measure"))
        elif lemma in OCCURRENCE_VERBS:
            out.append(Quantity(m.start(), m.end(), m.group(), float(value), "count", "count", "times",
                                verb.i if verb is not None else None))
    return out


def _zero_counts(doc: Doc, taken: list[tuple[int, int]]) -> list[Quantity]:
    """"zero reported cases", "not a single case": a count of 0."""
    out = []
    for m in _NOT_A_SINGLE.finditer(text_of(doc)):
        span = doc.char_span(m.end(), min(len(text_of(doc)), m.end() + 60), alignment_mode="expand")
        if span is None:
            continue
        noun = next((t for t in span[:5] if t.pos_ in ("NOUN", "PROPN") and t.dep_ != "compound"), None)
        if noun is None or any(m.start() < tb and ta < m.end() for ta, tb in taken):
            continue
        unit = _unit_of(noun)
        if unit is None:
            continue
        end = noun.idx + len(noun)
        out.append(Quantity(m.start(), end, text_of(doc)[m.start():end], 0.0, unit, "count", noun.text, noun.i))
    return out
