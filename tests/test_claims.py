"""Claims: quantities with units, what they measure, and corroboration across a small corpus."""

from __future__ import annotations

import re

import pytest

from pactwatch.extract.claims import extract_claims
from pactwatch.models import Claim, Document, Mention
from pactwatch.quantities import parse_number
from pactwatch.resolve.corroboration import merge_claims
from pactwatch.track import format_value

PUBLISHED = "2025-11-07"


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("Two-way trade between Brazil and Argentina reached $3.5 billion last year.", 3.5e9, "USD"),
    ("Kenya pledged USD 500 million for the Ethiopian railway link.", 5e8, "USD"),
    ("India approved a loan of Rs 20,400 crore for the port.", 2.04e11, "INR"),
    ("The investment would reach Rs 3.2 lakh crore.", 3.2e12, "INR"),
    # digits grouped the Indian way: lakhs and crores by twos
    ("India sent relief to Nepal worth USD 25,00,000.", 2.5e6, "USD"),
    ("The port in Sri Lanka will cost Rs 1,50,000 crore.", 1.5e12, "INR"),
    ("Japan will invest 5 trillion yen in Vietnam.", 5e12, "JPY"),
    ("Ghanaian traders lost N13bn at the closed border.", 1.3e10, "NGN"),
    ("Drivers in Serbia face a fine of €150.", 150, "EUR"),
    # a currency named with its country has its code; a conversion in brackets restates it
    ("Fans in Peru paid about 80 Brazilian reals ($16) for the shirt.", 80, "BRL"),
    ("Uganda will spend 9 trillion Ugandan shillings on the railway to Tanzania.", 9e12, "UGX"),
    ("Norway gave Chile 500 million euros in credits.", 5e8, "EUR"),
    ("Turkish exports to Kenya rose 11 per cent.", 11, "percent"),
    ("Exports from Peru grew by 35 percent.", 35, "percent"),
    ("Police in Chile seized 45 tonnes of cocaine.", 45, "tonnes"),
    ("Argentina could ship 30 million cubic metres per day of gas.", 3e7, "cubic metres per day"),
    # a measure of a thing, not a count of things: "a big 5,000 mAh battery" is one battery
    ("The Chilean handset has a big 4,500 mAh battery.", 4500, "mAh"),
    ("The Peruvian phone comes with 64 GB of storage.", 64, "GB"),
    ("Nepal may withdraw 120 cusecs of water from the river.", 120, "cusecs"),
])
def test_amounts(parse, text: str, value: float, unit: str) -> None:
    claims = extract_claims(parse(text, PUBLISHED))
    assert [(c.value, c.unit) for c in claims] == [(value, unit)]


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("Over 200,000 Ghanaians live in Nigeria.", 200000, "persons"),
    ("Egypt expelled six Sudanese diplomats on Monday.", 6, "persons"),
    ("Korean firms have completed 72 major projects in Chile.", 72, "count"),
    ("Not a single case of smuggling from Peru to Chile was recorded in the last five years.", 0, "count"),
    ("Kenya reported zero piracy incidents off its coast.", 0, "count"),
    ("Migration between the two nations is estimated at 50,000 annually.", 50000, "count"),
    ("Some 12 lakh Nepalese workers live in India.", 1.2e6, "persons"),
    ("The visit of the Ghanaian president to Togo saw 31 MoUs signed.", 31, "count"),  # things named by initials
    ("Some 1,20,000 Nepalese workers live in India.", 120000, "persons"),
    # how often an act took place; how many times a figure grew
    ("President Ruto has visited Uganda nine times as head of state.", 9, "count"),
    ("Trade between Chile and Peru has climbed 175 times over since 1992.", 175, "times"),
    ("Chile reported a fourfold increase in its exports to Peru.", 4, "times"),
])
def test_counts(parse, text: str, value: float, unit: str) -> None:
    claims = extract_claims(parse(text, PUBLISHED))
    assert [(c.value, c.unit) for c in claims] == [(value, unit)]


@pytest.mark.parametrize("text", [
    "The two countries signed the accord in 2023.",
    "The 16th session of the commission opened in Nairobi.",
    "A 45-year-old man was arrested in Lima.",
    "The president began a two-day visit to Argentina.",
    "Peru bought F-16 jets and hosted the G20 summit.",
    "The post drew 700 likes. 5 hours ago",
    "Kenya beat Ethiopia 2-0 in the qualifier.",
    "The session will open at 10 am on Monday.",
    "The seven-day ceasefire began on Friday.",
    "Wales won their first away game of the Six Nations in Rome.",
    "Almost one in five adults in Peru owns a tablet.",
    "Fans of the Commodore 64 computer still write emulators.",
    "Ghana got its Brazil 2014 qualification campaign up and running.",  # a year in a name
    "Nairobi Daily 4 Min Read",
    "Ghana and Togo agree on border posts. The report runs to 812 words.",
    "Officials in Kenya met Ugandan envoys, the agency reported. 204\n\nKAMPALA",
    "Norway will give Sweden financial assistance worth several hundred million euros.",  # counted vaguely
    "Globally, the Chilean film has taken $96.6 milli",  # the page cut off its scale
    # a cadence, a comparison, "at times"
    "The Chile-Peru commission will meet three times a year.",
    "The Chile-Peru commission will meet four times annually.",
    "At times, Chile and Peru have clashed over fishing rights.",
])
def test_non_claims(parse, text: str) -> None:
    assert extract_claims(parse(text, PUBLISHED)) == []


@pytest.mark.parametrize(("text", "values"), [
    # a conversion in brackets restates the original: one claim, in the original currency
    ("Net income was 4.3bn rupees ($98m; £52m) in the quarter.", [(4.3e9, "INR")]),
    ("The Kenyan firm will sell 250m euros (£175m) of new shares.", [(2.5e8, "EUR")]),
    ("The aid package is worth 500 million euros, or about $530 million.", [(5e8, "EUR")]),
    # two figures in two currencies that are not a conversion stay two claims
    ("The console costs £99 in the UK and $149 in Canada.", [(99, "GBP"), (149, "USD")]),
])
def test_conversions(parse, text: str, values: list[tuple[float, str]]) -> None:
    assert [(c.value, c.unit) for c in extract_claims(parse(text, PUBLISHED))] == values


@pytest.mark.parametrize(("text", "words"), [
    ("Bilateral trade between Japan and India surpassed $1.4 billion.", "bilateral trade"),
    ("Peru accounted for 11 per cent of Chile's arms imports in 2023.", "arms imports"),
    ("Police in Chile seized 45 tonnes of cocaine.", "cocaine"),
    ("Shares in the Ghanaian miner rose 6% on Monday.", "shares"),
    ("The strike would cut the airline's profits by $3.8m, the Peruvian carrier warned.", "profits"),
    ("It warned of annual losses of £6m for the year.", "annual losses"),
    ("Kenya's coffee exports fell 2.8% last year and tea exports dipped by almost 4%.", "tea exports"),
])
def test_subject(parse, text: str, words: str) -> None:
    claims = extract_claims(parse(text, PUBLISHED))
    assert words in claims[-1].subject.lower()


@pytest.mark.parametrize("text", [
    "Of the bondholders, 38% live in Chile, 15% in Peru and 9% in Bolivia.",
    "Sales in Japan were 77m euros, up from 38m a year earlier; profits rose 30% to $1bn.",
    "A signed photograph of the Brazilian striker fetched $2,115 (£1,140).",
])
def test_subjects_never_empty(parse, text: str) -> None:
    for claim in extract_claims(parse(text, PUBLISHED)):
        assert re.search(r"[a-z]{2}", claim.subject.lower()), claim
        assert claim.subject.lower() not in ("%", "m", "euros", "percent", "one", "two")


def test_claim_countries_and_mention(parse) -> None:
    text = "Bilateral trade between Japan and India surpassed $1.4 billion."
    (claim,) = extract_claims(parse(text, PUBLISHED))
    assert set(claim.countries) == {"JPN", "IND"}
    assert claim.mentions[0].quote == text[claim.mentions[0].start:claim.mentions[0].end] == "$1.4 billion"


@pytest.mark.parametrize(("text", "value"), [("1,200", 1200), ("3.5", 3.5), ("six", 6), ("twenty-five", 25),
                                             ("a dozen", 12), ("seventeenth", None)])
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(("text", "low", "high", "unit"), [
    ("Chile and Peru expect trade of USD 45-50 billion by 2030.", 4.5e10, 5e10, "USD"),
    ("Kenya's exports to Uganda could reach $4–5bn.", 4e9, 5e9, "USD"),
    ("Tariffs between Ghana and Togo fell by 20 to 25 per cent.", 20, 25, "percent"),
    ("Vietnam will invest between $2 billion and $3 billion in Laos.", 2e9, 3e9, "USD"),
])
def test_a_range_is_one_claim_with_both_ends(parse, text: str, low: float, high: float, unit: str) -> None:
    (claim,) = extract_claims(parse(text, PUBLISHED))
    assert (claim.value, claim.high, claim.unit) == (low, high, unit)


@pytest.mark.parametrize(("text", "low", "high", "shown"), [
    ("Chile will send between 40 and 50 ships to the exercise with Peru.", 40, 50, "40–50 ships"),
    ("Argentina deployed 300 to 400 soldiers to the border with Paraguay.", 300, 400, "300–400 persons"),
    ("Norway sent 2 ships to Iceland.", 2, None, "2 ships"),
])
def test_counts_and_count_ranges_name_what_they_count(parse, text: str, low: float, high: float | None,
                                                      shown: str) -> None:
    (claim,) = extract_claims(parse(text, PUBLISHED))
    assert (claim.value, claim.high) == (low, high)
    assert format_value(claim.value, claim.unit, claim.high, claim.attributes.get("counted")) == shown


@pytest.mark.parametrize(("value", "unit", "high", "counted", "shown"), [
    (1.4e9, "USD", None, None, "$1.4 bn"), (45e9, "USD", 50e9, None, "$45–50 bn"), (4, "percent", 5, None, "4–5%"),
    (2, "count", None, "ships", "2 ships"), (2, "count", None, None, "2"), (20, "persons", None, None, "20 persons"),
])
def test_format_value(value: float, unit: str, high: float | None, counted: str | None, shown: str) -> None:
    assert format_value(value, unit, high, counted) == shown


# ---------- corroboration ----------

def _claim(doc: str, subject: str, value: float, unit: str = "USD", projection: bool = False) -> Claim:
    return Claim(id=f"{doc}:k", subject=subject, value=value, unit=unit, mentions=[Mention(doc, 0, 1, "x")],
                 attributes={"projection": projection, "kind": "money" if unit == "USD" else "count"})


def _docs(*outlets: tuple[str, str | None]) -> dict[str, Document]:
    return {d: Document(id=d, text="x", source=d, outlet=o) for d, o in outlets}


@pytest.mark.parametrize(("claims", "outlets", "expected"), [
    # two outlets, same figure for the same thing
    ([_claim("d1", "bilateral trade", 1.15e9), _claim("d2", "Kenya-Ethiopia bilateral trade", 1.15e9)],
     [("d1", "Daily Nation"), ("d2", "Addis Standard")], ["corroborated"]),
    # the same outlet twice is still one source
    ([_claim("d1", "bilateral trade", 1.15e9), _claim("d2", "bilateral trade", 1.15e9)],
     [("d1", "Daily Nation"), ("d2", "Daily Nation")], ["single_source"]),
    # different figures for the same subject: both kept, both conflicting
    ([_claim("d1", "initial gas exports", 2e6, "cubic metres per day"),
      _claim("d2", "initial gas exports", 3e6, "cubic metres per day")],
     [("d1", "Oil Weekly"), ("d2", "Energy Daily")], ["conflicting", "conflicting"]),
    # a target and an actual figure do not conflict
    ([_claim("d1", "bilateral trade", 1.4e9), _claim("d2", "bilateral trade", 5e9, projection=True)],
     [("d1", "A"), ("d2", "B")], ["single_source", "single_source"]),
    # the names of an agreement are one thing counted
    ([_claim("d1", "major deals", 9, "count"), _claim("d2", "new agreements", 9, "count")],
     [("d1", "A"), ("d2", "B")], ["corroborated"]),
    # different subjects with the same small count stay apart
    ([_claim("d1", "coast guard ships", 2, "count"), _claim("d2", "supply boats", 2, "count")],
     [("d1", "A"), ("d2", "B")], ["single_source", "single_source"]),
])
def test_corroboration(claims: list[Claim], outlets: list[tuple[str, str]], expected: list[str]) -> None:
    merged = merge_claims(claims, _docs(*outlets))
    assert [c.corroboration for c in merged] == expected


def _at(claim: Claim, start: int) -> Claim:
    claim.mentions = [Mention(claim.mentions[0].doc, start, start + 4, "x")]
    return claim


@pytest.mark.parametrize(("claims", "copies", "expected"), [
    # "Kenyan tea exports rose 12% to $340m": a change in one statement; other reports' figures contradict neither
    ([_at(_claim("d1", "Kenyan tea exports", 12, "percent"), 30), _at(_claim("d1", "Kenyan tea exports", 3.4e8), 40),
      _claim("d2", "Kenyan tea exports", 14, "percent"), _claim("d3", "Kenyan tea exports", 3.1e8)],
     {}, ["single_source"] * 4),
    # "from 7,000 to 8,000 troops": both ends of one statement, and a third report's figure
    ([_at(_claim("d1", "Chadian troops", 7000, "count"), 500), _at(_claim("d1", "Chadian troops", 8000, "count"), 510),
      _claim("d2", "Chadian troops", 7500, "count")], {}, ["single_source"] * 3),
    # the same figures far apart in one article are separate statements: the far one still conflicts
    ([_at(_claim("d1", "Chadian troops", 7000, "count"), 0), _at(_claim("d1", "Chadian troops", 9000, "count"), 4000),
      _claim("d2", "Chadian troops", 7500, "count")], {}, ["conflicting"] * 3),
    # a reprint that changed a figure is no independent second report
    ([_claim("d1", "Peruvian copper output", 2.4e6, "count"), _claim("d2", "Peruvian copper output", 2.6e6, "count")],
     {"d2": "d1"}, ["single_source"] * 2),
])
def test_conflict_needs_independent_reports(claims: list[Claim], copies: dict[str, str],
                                            expected: list[str]) -> None:
    merged = merge_claims(claims, _docs(("d1", "A"), ("d2", "B"), ("d3", "C")), copies)
    assert [c.corroboration for c in merged] == expected


def _range(doc: str, subject: str, low: float, high: float | None, unit: str = "USD",
           countries: tuple[str, ...] = (), comparison: bool = False) -> Claim:
    claim = _claim(doc, subject, low, unit)
    claim.high, claim.countries, claim.attributes["comparison"] = high, list(countries), comparison
    return claim


@pytest.mark.parametrize(("claims", "expected"), [
    # "$45-50 billion" in one report, "$48 billion" in another: the figure lies inside the range
    ([_range("d1", "Chile-Peru trade", 45e9, 50e9), _range("d2", "Chile-Peru trade", 48e9, None)],
     ["single_source", "single_source"]),
    # two ranges that overlap agree; one that lies wholly outside conflicts
    ([_range("d1", "Chile-Peru trade", 45e9, 50e9), _range("d2", "Chile-Peru trade", 49e9, 52e9)],
     ["single_source", "single_source"]),
    ([_range("d1", "Chile-Peru trade", 45e9, 50e9), _range("d2", "Chile-Peru trade", 60e9, 70e9)],
     ["conflicting", "conflicting"]),
    # the same range in two outlets corroborates; the range is still one claim
    ([_range("d1", "Chile-Peru trade", 45e9, 50e9), _range("d2", "Chile-Peru trade", 45e9, 50e9)], ["corroborated"]),
    # ships of two navies: the same measure of different countries is another thing
    ([_range("d1", "navy ships", 370, None, "count", ("CHN",)), _range("d2", "navy ships", 290, None, "count",
                                                                        ("JPN",))], ["single_source"] * 2),
    # a comparison sets two things side by side: its figure contradicts no other report
    ([_range("d1", "navy ships", 370, None, "count", comparison=True), _range("d2", "navy ships", 290, None, "count")],
     ["single_source"] * 2),
    # without either, the same subject with another figure still conflicts
    ([_range("d1", "navy ships", 370, None, "count", ("KOR",)), _range("d2", "navy ships", 290, None, "count",
                                                                        ("KOR",))], ["conflicting"] * 2),
])
def test_ranges_and_comparisons_are_no_conflict(claims: list[Claim], expected: list[str]) -> None:
    merged = merge_claims(claims, _docs(("d1", "A"), ("d2", "B")))
    assert [c.corroboration for c in merged] == expected


def test_comparison_is_read_from_the_sentence(parse) -> None:
    text = "South Korea has 150 warships compared with 290 for Japan."
    claims = extract_claims(parse(text, PUBLISHED))
    assert claims and all(c.attributes["comparison"] for c in claims)


def test_merge_keeps_all_mentions() -> None:
    merged = merge_claims([_claim("d1", "reported smuggling cases", 0, "count"),
                           _claim("d2", "case of smuggling", 0, "count")], _docs(("d1", "A"), ("d2", "B")))
    assert len(merged) == 1 and {m.doc for m in merged[0].mentions} == {"d1", "d2"}


@pytest.mark.parametrize(("text", "found"), [
    # "the 12 agreements" refers back to a figure given before; where none was, it is the figure
    ("Chile and Peru signed 12 agreements in Lima on Monday. The 12 agreements cover trade and energy.", 1),
    ("Chile and Peru met in Lima on Monday. Besides the 12 agreements, the ministers agreed to meet again.", 1),
    ("Chile and Peru met in Lima on Monday. Besides the agreements, the ministers agreed to meet again.", 0),
])
def test_a_figure_with_the_is_a_claim_where_it_is_told_first(parse, text: str, found: int) -> None:
    assert len([c for c in extract_claims(parse(text, PUBLISHED)) if c.value == 12]) == found


@pytest.mark.parametrize("seed", range(20))
def test_figures_of_one_value_merge_as_a_scan_of_every_earlier_figure_would(seed: int) -> None:
    """A run of one value ("1", "2") holds hundreds of figures of other subjects, so merging tries only those
    whose subjects are alike (``_may_match``): the records are those trying each earlier figure in turn gives."""
    import random
    from dataclasses import replace

    from pactwatch.resolve import corroboration

    rng = random.Random(seed)
    words = ["trade", "bilateral", "exports", "wheat", "troops", "deployed", "refugees", "the", "of", "new",
             "agreements", "deals", "ships", "naval", "cases", "reported", "jobs", "loans", "s"]
    claims = [Claim(id=f"d{n % 30}:k{n}", subject=" ".join(rng.choices(words, k=rng.randint(0, 4))),
                    value=rng.choice([1.0, 2.0, 1.004, 2e6, 2.006e6]), unit=rng.choice(["count", "USD"]),
                    mentions=[Mention(f"d{n % 30}", n, n + 1, "x")],
                    attributes={"kind": rng.choice(["money", "count"])}) for n in range(300)]

    def scan(claims: list[Claim]) -> list[Claim]:  # merge_figures without its index: every earlier figure tried
        merged: list[Claim] = []
        for claim in claims:
            target = next((m for m in merged if corroboration._same_claim(m, claim)), None)
            if target is None:
                merged.append(replace(claim, mentions=list(claim.mentions)))
            else:
                target.mentions += [m for m in claim.mentions if m not in target.mentions]
                if not target.subject or len(claim.subject) > len(target.subject):
                    target.subject = claim.subject or target.subject
        return merged

    found = corroboration.merge_figures(claims, {})
    expected = scan(claims)
    assert [(c.subject, c.value, c.mentions) for c in found] == [(c.subject, c.value, c.mentions) for c in expected]
    assert len(found) < len(claims) - 50 and max(len(c.mentions) for c in found) >= 5
