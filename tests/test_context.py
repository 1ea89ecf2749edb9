"""The document context: computed once per document, frozen, and the one place each shared fact is decided."""

from __future__ import annotations

import dataclasses

import pytest

from pactwatch.extract import extract_document
from pactwatch.extract.context import DocumentContext

PAGE = """Chile and Peru agree to reopen border crossing

LIMA, March 14 (Andes Wire) - Chilean Foreign Minister Andres Molina met his Peruvian counterpart Rosa Quispe.
By Lucia Fernandez

The two ministers agreed to reopen the Chacalluta crossing to 1,200 trucks a day from April, Molina said.
Peru will lend Chile $40 million for the new customs post.

Related Stories
Bolivia hails Paraguay deal on river transport
Uruguay sends 40 trucks of aid to Argentina
Ecuador recalls envoy from Colombia after dispute
"""


def test_the_context_is_frozen_and_read_by_every_extractor(parse, spacy_nlp) -> None:  # type: ignore[no-untyped-def]
    parsed = parse(PAGE, "2025-03-14")
    context = parsed.context
    assert isinstance(context, DocumentContext)
    with pytest.raises(dataclasses.FrozenInstanceError):
        context.pair = ("ARG", "BOL")  # type: ignore[misc]
    extraction = extract_document(parsed.document, spacy_nlp(PAGE))
    # every record of the page comes from its content: the related stories' lines give none
    related = PAGE.index("Related Stories")
    records = [*extraction.events, *extraction.commitments, *extraction.claims]
    assert records and all(m.start < related for r in records for m in r.mentions)


def test_main_pair_byline_and_furniture(parse) -> None:  # type: ignore[no-untyped-def]
    context = parse(PAGE, "2025-03-14").context
    assert set(context.pair) == {"CHL", "PER"}
    byline = PAGE.index("By Lucia Fernandez")
    assert context.in_furniture(byline, byline + len("By Lucia Fernandez"))  # nothing is read from a byline
    assert context.in_furniture(PAGE.index("Bolivia hails"), PAGE.index("Bolivia hails") + 13)
    # offsets point into the unchanged text; the content sentences hold no furniture line
    assert all(not context.in_furniture(s.start_char, s.end_char) for s in context.sentences)
    assert any("Peru will lend Chile" in s.text for s in context.sentences)


def test_dateline(parse) -> None:  # type: ignore[no-untyped-def]
    context = parse("LIMA — Chile and Peru agreed on Thursday to reopen the crossing.", "2025-03-14").context
    assert context.dateline is not None and (context.dateline.place, context.dateline.country) == ("Lima", "PER")
    assert parse("Chile and Peru agreed on Thursday to reopen it.", "2025-03-14").context.dateline is None


def test_quantities_and_countries_are_found_once(parse) -> None:  # type: ignore[no-untyped-def]
    context = parse(PAGE, "2025-03-14").context
    values = {(q.value, q.unit) for q in context.quantities}
    assert (4e7, "USD") in values and any(q.value == 1200 for q in context.quantities)
    first = PAGE.index("Peru will lend")
    assert context.countries_in(first, PAGE.index("\n", first)) == ["PER", "CHL"]
    assert [m.code for m in context.countries] == [m.code for m in sorted(context.countries, key=lambda m: m.start)]


def test_a_side_named_only_as_a_setting_still_completes_the_pair(parse) -> None:  # type: ignore[no-untyped-def]
    text = ("Ghana will raise cocoa exports to Togolese ports.\n"
            "Ghana and its partners discussed the new quotas with traders in Lomé.")
    assert set(parse(text, "2025-03-14").context.pair) == {"GHA", "TGO"}


def test_two_countries_joined_by_a_dash_name_the_pair(parse) -> None:  # type: ignore[no-untyped-def]
    # Chile is named once as a setting and once in "Chilean-Argentine": without the compound Bolivia, named twice
    # as a party, would take its place beside Argentina.
    text = ("Argentine President Ana Ruiz met the foreign minister in Santiago yesterday.\n"
            "They launched a Chilean-Argentine mining council.\n"
            "The two also discussed the crisis in Bolivia and Bolivia's elections.")
    assert set(parse(text, "2025-03-14").context.pair) == {"ARG", "CHL"}


# (text, the pair): where a country word stands says whether it names a side of the article
PAIRS = [
    # a dateline sets the scene; a first line of several sentences is the lead, not a title
    ("LIMA, Peru – The foreign ministers of Chile and Bolivia met for talks. Peruvian officials hosted the talks.\n"
     "Chile and Bolivia agreed to reopen the border.", {"BOL", "CHL"}),
    # a capital inside the name of a thing is no side ("the Lima Declaration")
    ("Border accord signed\nThe Lima Declaration, the Lima Protocol and the Lima Charter guide the talks. The Lima "
     "Accord was signed by Chile on Monday. Bolivia signed it too.", {"BOL", "CHL"}),
    # the countries of the first sentence's subject, of-phrase included
    ("The foreign ministers of Chile and Bolivia met in Lima on Monday.\nPeru hosted the talks. Peru's president "
     "welcomed them. Peru said they went well. Peru will host more. Peru is a neighbour.", {"BOL", "CHL"}),
]


@pytest.mark.parametrize(("text", "pair"), PAIRS)
def test_the_main_pair(parse, text: str, pair: set[str]) -> None:  # type: ignore[no-untyped-def]
    assert set(parse(text, "2025-03-14").context.pair) == pair


@pytest.mark.parametrize(("text", "both"), [
    ("Both sides agreed to meet again in May.", True),
    ("The two prime ministers signed the accord.", True),
    ("Kenya and Uganda will jointly patrol the lake.", True),
    ("The envoys thanked each other for the talks.", True),
    ("Norway met its counterpart from Iceland.", True),
    ("Kenya will patrol the lake.", False),
    ("Two companies signed the contract.", False),
])
def test_one_both_sides_cue(text: str, both: bool) -> None:
    assert DocumentContext.both_sides(text) is both


def test_sport_is_read_from_the_content_not_from_the_furniture(parse) -> None:  # type: ignore[no-untyped-def]
    match = ("Norway beat Iceland 3-1 in the World Cup qualifier.\n"
             "The striker scored twice before half-time and the fans sang as the coach was sent off.")
    assert parse(match, "2025-03-14").context.sport
    # a political story whose video strip lists football headlines is no match report
    politics = ("Norway and Iceland agreed to share fishing quotas for the next five years, the ministers said.\n\n"
                "Watch\n"
                "02:10\n"
                "Coach fired after cup exit\n"
                "01:05\n"
                "Fans celebrate league title\n"
                "00:40\n"
                "Striker joins rival club after tournament\n")
    context = parse(politics, "2025-03-14").context
    assert not context.sport
    assert {"ISL", "NOR"} <= set(context.pair)


@pytest.mark.parametrize(("text", "codes"), [
    # a region or a name of something else is no state; a country whose name starts with such a word still is
    ("Chile and Peru expand trade with Latin America and North America.", ["CHL", "PER"]),
    ("Chile hosted Peru in the Copa America final.", ["CHL", "PER"]),
    ("Chile and Peru signed the pact in New Mexico with New Zealand.", ["CHL", "PER", "NZL"]),
    ("South Korean and North Macedonian officials met South Africa's envoy.", ["KOR", "MKD", "ZAF"]),
    ("America and China signed the pact.", ["USA", "CHN"]),
])
def test_country_names_after_region_words(text: str, codes: list[str]) -> None:
    from pactwatch.countries import find_countries

    assert [m.code for m in find_countries(text)] == codes


@pytest.mark.parametrize(("place", "code"), [
    ("Male", "MDV"),  # a capital written without its accent, as a place is named
    ("Sao Paulo", "BRA"),
    ("Malé", "MDV"),
    ("male", None),  # a word, not a place
    ("the Maldives", "MDV"),
])
def test_a_place_matches_without_its_accents(place: str, code: str | None) -> None:
    from pactwatch.countries import place_country

    assert place_country(place) == code
