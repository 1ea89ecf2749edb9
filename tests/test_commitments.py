"""Commitments: pledges with a target, a cadence or a specific act; merged across articles; first status."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pactwatch import extract_text
from pactwatch.extract.commitments import extract_commitments
from pactwatch.models import Cadence, Commitment, DateRange, Mention, Target
from pactwatch.resolve.commitments import merge_commitments

PUBLISHED = "2025-11-07"


@pytest.mark.parametrize(("text", "value", "unit", "parties"), [
    ("Brazil and Argentina agreed to expand bilateral trade to $5 billion.", 5e9, "USD", {"BRA", "ARG"}),
    ("Japan and India are aiming to reach a $20 billion trade target.", 2e10, "USD", {"JPN", "IND"}),
    ("Japan announced an investment target of 5 trillion yen in India in the next five years.", 5e12, "JPY",
     {"JPN", "IND"}),
    ("Forty Sudanese officers will train in Cairo next quarter, Egypt said.", 40, "persons", {"SDN", "EGY"}),
])
def test_targets(parse, text: str, value: float, unit: str, parties: set[str]) -> None:
    (c,) = extract_commitments(parse(text, PUBLISHED), [])
    assert (c.kind, c.target, set(c.parties)) == ("target", Target(value, unit), parties)


@pytest.mark.parametrize(("text", "per_year"), [
    ("The Kenya-Ethiopia joint commission will meet twice a year.", 2),
    ("The new body of Kenyan and Ethiopian officials will convene quarterly to review progress.", 4),
    ("Chile and Peru agreed to hold annual summits of their heads of government.", 1),
    ("Ghana and Togo set up a committee, with meetings set four times yearly.", 4),
])
def test_cadences(parse, text: str, per_year: float) -> None:
    found = [c for c in extract_commitments(parse(text, PUBLISHED), []) if c.kind == "recurring"]
    assert [c.cadence for c in found] == [Cadence(per_year)]


@pytest.mark.parametrize(("text", "keyword"), [
    ("Brazil and Argentina agreed to establish a joint working group on gas supply.", "working group"),
    ("Egypt gave assurances on repatriating three Sudanese prisoners on humanitarian grounds.", "prisoners"),
    ("Kenya announced its full support for Ethiopia in the upcoming Interpol elections.", "interpol"),
    ("Iran and Saudi Arabia will reopen their embassies within two months.", "embass"),
    ("The first session of the Chile-Peru council is slated for March 2026 in Lima.", "session"),
])
def test_actions(parse, text: str, keyword: str) -> None:
    found = extract_commitments(parse(text, PUBLISHED), [])
    assert [c.kind for c in found] == ["action"]
    assert keyword in found[0].statement.lower()


@pytest.mark.parametrize(("text", "due"), [
    ("Egypt will begin training Sudanese customs officers in January.", DateRange.month(2026, 1)),
    ("Forty Sudanese officers will train in Cairo next quarter, Egypt said.", DateRange.quarter(2026, 1)),
    ("The first session of the Chile-Peru council is slated for March 2026 in Lima.", DateRange.month(2026, 3)),
    ("Iran and Saudi Arabia will reopen their embassies within two months.",
     DateRange(date(2025, 11, 7), date(2026, 1, 7))),
    # a pledge placed on the visit under way is due while it lasts (here: the day of the article)
    ("Three agreements are due to be signed between Chile and Peru on the two-day visit.",
     DateRange.day(date(2025, 11, 7))),
    ("Chilean President Gabriel Boric arrived in Lima on a visit to Peru during which he will hold talks with "
     "Peruvian President Dina Boluarte.", DateRange.day(date(2025, 11, 7))),
])
def test_due(parse, text: str, due: DateRange) -> None:
    (c,) = extract_commitments(parse(text, PUBLISHED), [])
    assert c.due == due


@pytest.mark.parametrize("text", [
    "Brazil and Argentina agreed to deepen ties.",
    "Japan and India will explore cooperation in space.",
    "Kenya and Ethiopia decided to enhance collaboration in counter-narcotics.",
    "Egypt will not send troops to Sudan.",
    "If talks succeed, Chile could open an embassy in Lima.",
    "Peru might establish a joint working group with Chile.",
    "Brazil did not agree to establish a joint committee with Argentina.",
    "Trade between Japan and India reached $20 billion last year.",
    "The ministers met in Nairobi on Tuesday and discussed regional security.",
    # no state pledging to another state: companies, teams, celebrities, domestic plans
    "Nordvik Energy plans to invest $2bn in new refineries in Norway and Sweden.",
    "The Ghanaian carmaker will open a plant in Togo next year.",
    "France will host Italy in the Six Nations match at the Stade de France on Saturday.",
    "The singer will perform a live concert for fans in Japan and Korea.",
    "The army chief will visit the wounded soldiers on Friday.",
    "The government will cut 10,000 jobs in the civil service by 2027.",
    "Analysts believe the economy of Chile will grow by 3% next year.",
])
def test_not_commitments(parse, text: str) -> None:
    assert extract_commitments(parse(text, PUBLISHED), []) == []


@pytest.mark.parametrize(("text", "parties"), [
    ("Vietnam will send 200 engineers to Laos to help rebuild the dam.", {"VNM", "LAO"}),
    ("Both sides agreed to reopen the border crossing between Ghana and Togo within a month.", {"GHA", "TGO"}),
    ("The Ethiopian foreign ministry said it will return the detained Kenyan fishermen.", {"ETH", "KEN"}),
    ("Chile's president promised to sign the water-sharing treaty with Bolivia in March.", {"CHL", "BOL"}),
    ("The Kenya-Uganda joint commission will meet twice a year.", {"KEN", "UGA"}),
])
def test_bilateral_pledges(parse, text: str, parties: set[str]) -> None:
    found = extract_commitments(parse(text, PUBLISHED), [])
    assert len(found) == 1 and set(found[0].parties) == parties


def test_an_official_of_unnamed_state_serves_the_article_pair(parse) -> None:  # type: ignore[no-untyped-def]
    text = ("Chile and Peru held talks in Lima on Friday. Following his visit to Lima, President Gabriel Boric will "
            "proceed to Ecuador for a two-day visit on March 9 and 10.")
    (c,) = extract_commitments(parse(text, PUBLISHED), [])
    assert {"CHL", "ECU"} <= set(c.parties)
    assert c.due == DateRange(date(2026, 3, 9), date(2026, 3, 10))
    # ... where the act is towards a state; a domestic act binds none
    text = "Chile and Peru held talks in Lima on Friday. The army chief will visit the wounded soldiers on July 24."
    assert extract_commitments(parse(text, PUBLISHED), []) == []


# ---------- merging and status ----------

def _commitment(doc: str, statement: str, kind: str = "action", due: DateRange | None = None,
                target: Target | None = None, cadence: Cadence | None = None) -> Commitment:
    return Commitment(id=f"{doc}:c", statement=statement, kind=kind, parties=["BRA", "ARG"],
                      mentions=[Mention(doc, 0, 1, "x")], due=due, target=target, cadence=cadence)


AS_OF = date(2025, 11, 7)


@pytest.mark.parametrize(("commitments", "count"), [
    ([_commitment("d1", "The two sides agreed to establish a joint working group on gas."),
      _commitment("d2", "A joint working group on gas will be established, Brazil said.")], 1),
    ([_commitment("d1", "The two sides agreed to establish a joint working group on gas."),
      _commitment("d2", "Argentina will repatriate three Brazilian prisoners.")], 2),
    ([_commitment("d1", "Expand trade to $5 billion.", "target", target=Target(5e9, "USD")),
      _commitment("d2", "Both aim for a $5 billion trade target.", "target", target=Target(5e9, "USD"))], 1),
    ([_commitment("d1", "Expand trade to $5 billion.", "target", target=Target(5e9, "USD")),
      _commitment("d2", "Trade to reach $10 billion.", "target", target=Target(1e10, "USD"))], 2),
    ([_commitment("d1", "The commission will meet twice a year.", "recurring", cadence=Cadence(2)),
      _commitment("d1", "The commission will meet four times a year.", "recurring", cadence=Cadence(4))], 2),
    # one day set for both: one plan, however differently told
    ([_commitment("d1", "Following the second meeting, the Uruguayan foreign ministry disclosed Brazil's commitment "
                        "to replacing all military personnel in two phases by May 10.",
                  due=DateRange.day(date(2026, 5, 10))),
      _commitment("d2", "The Uruguayan government on Friday said that Brazil has agreed to withdraw its military "
                        "personnel from the islands by May 10, following talks in Montevideo.",
                  due=DateRange.day(date(2026, 5, 10)))], 1),
    ([_commitment("d1", "Brazil will open a consulate in Rosario by May 10.", due=DateRange.day(date(2026, 5, 10))),
      _commitment("d2", "Argentina will release the detained fishermen by May 10.",
                  due=DateRange.day(date(2026, 5, 10)))], 2),
])
def test_merge(commitments: list[Commitment], count: int) -> None:
    merged = merge_commitments(commitments, AS_OF)
    assert len(merged) == count
    assert sum(len(c.mentions) for c in merged) == len(commitments)


@pytest.mark.parametrize(("commitment", "status"), [
    (_commitment("d1", "Hold the session in March.", due=DateRange.month(2026, 3)), "pending"),
    (_commitment("d1", "Hold the session in October.", due=DateRange.month(2025, 10)), "unknown"),
    (_commitment("d1", "Establish a working group."), "unknown"),
])
def test_status(commitment: Commitment, status: str) -> None:
    assert merge_commitments([commitment], AS_OF)[0].status == status


# ---------- the classes news pages word differently (issue 9) ----------

@pytest.mark.parametrize(("text", "kind", "parties", "due", "value"), [
    # a next meeting or negotiation round scheduled
    ("The delegations of Kenya and Ethiopia will reconvene in Nairobi on 12 March.", "action", {"KEN", "ETH"},
     DateRange.day(date(2026, 3, 12)), None),
    ("The next round of talks between Chile and Bolivia will take place in April.", "action", {"CHL", "BOL"},
     DateRange.month(2026, 4), None),
    ("Chile's president is slated to hold talks with Bolivia's president today.", "action", {"CHL", "BOL"},
     DateRange.day(date(2025, 11, 7)), None),
    # a mechanism to be set up
    ("Colombia and Ecuador agreed to establish a joint verification mechanism on the border.", "action",
     {"COL", "ECU"}, None, None),
    # delivery schedules
    ("Italy will deliver the last of six frigates to Indonesia by 2027.", "action", {"ITA", "IDN"},
     DateRange.year(2027), None),
    ("The first of the submarines will enter service with the Vietnamese navy next year, Japan said.", "action",
     {"VNM", "JPN"}, DateRange.year(2026), None),
    # investment and financing pledges, in any tense of the announcement
    ("Japan envisages JPY 200 billion of investment in Kenya over five years.", "target", {"JPN", "KEN"},
     DateRange(date(2025, 11, 7), date(2030, 11, 7)), 2e11),
    ("Portugal announced a new 300-million-euro financing protocol for joint projects in Tunisia.", "target",
     {"PRT", "TUN"}, None, 3e8),
    ("Japan announced a $3 billion loan for Kenya.", "target", {"JPN", "KEN"}, None, 3e9),
    ("Ghana has signed deals with Nigeria to invest $2 billion in the pipeline.", "target", {"GHA", "NGA"},
     None, 2e9),
    # a visit accepted at an invitation; help assured on a named case
    ("Brazil's president accepted an invitation from Argentina to make a state visit to Buenos Aires.", "action",
     {"BRA", "ARG"}, None, None),
    ("Ghana's foreign minister assured Togo that Accra would help secure the release of the detained Togolese "
     "fishermen.", "action", {"GHA", "TGO"}, None, None),
    # a deadline said without its year, in a sentence told in the past, is the coming one
    ("Rwanda has agreed to withdraw its troops from Mozambique by March 10.", "action", {"RWA", "MOZ"},
     DateRange.day(date(2026, 3, 10)), None),
    # countries named for comparison are no parties
    ("As Zambia's second-largest market after China and India, Tanzania plans to raise trade with Zambia to "
     "$5 billion.", "target", {"TZA", "ZMB"}, None, 5e9),

])
def test_pledge_classes(parse, text: str, kind: str, parties: set[str], due: DateRange | None,
                        value: float | None) -> None:
    (c,) = extract_commitments(parse(text, PUBLISHED), [])
    assert (c.kind, set(c.parties), c.due) == (kind, parties, due)
    assert (c.target.value if c.target else None) == value


@pytest.mark.parametrize(("text", "pledged"), [
    # an agreement named by the acronym the article defined for it binds its parties, as "the agreement" does
    ("Chile and Peru signed a Comprehensive Economic Partnership Agreement (CEPA) in Lima on Friday. The CEPA is "
     "expected to come into effect in May.", True),
    ("Chile and Peru signed a Comprehensive Economic Partnership Agreement (CEPA) in Lima on Friday. The agreement "
     "is expected to come into effect in May.", True),
    # ... and the acronym of anything else binds no one
    ("Chile and Peru joined the World Customs Organization (WCO) in Lima on Friday. The WCO is expected to "
     "meet again in May.", False),
])
def test_an_agreement_named_by_its_acronym(text: str, pledged: bool) -> None:
    found = extract_text(text, PUBLISHED).commitments
    assert [(c.kind, set(c.parties), c.due) for c in found] == \
        ([("action", {"CHL", "PER"}, DateRange.month(2026, 5))] if pledged else [])


def test_regular_meetings_recur_without_a_cadence(parse) -> None:
    (c,) = extract_commitments(parse("The Mexico-Guatemala council will meet regularly, in each capital in "
                                     "turn.", PUBLISHED), [])
    assert (c.kind, c.cadence, set(c.parties)) == ("recurring", None, {"MEX", "GTM"})


@pytest.mark.parametrize(("text", "count"), [
    # an act nested in another, one act done to one object, or a visit and its talks are one pledge
    ("The first session of the Chile-Peru council is scheduled to take place in Lima in March.", 1),
    ("Chile and Peru agreed to sign and ratify the fisheries accord by March.", 1),
    ("The Chilean president will visit Lima and hold talks with Peruvian officials on Monday.", 1),
    # two acts in a list, each on its own object, are two pledges
    ("Uruguay and Paraguay agreed to create a joint commission and hold its first meeting in Asuncion in May.", 2),
    ("Bolivia and Chile agreed to resume direct flights and reopen their consulates.", 2),
    # ... also after a pledged noun; speeding up a launch is an act, speeding up "implementation" none
    ("Bolivia and Chile reached an agreement to speed up the launch of the border trade centre and create a joint "
     "fund for its projects.", 2),
    ("Bolivia and Chile agreed to expedite the implementation of ongoing projects.", 0),
    # an act with no date of its own after one with a deadline is one plan, due by that deadline
    ("Bolivia agreed to withdraw its troops from the Chilean border by June 30 and replace the customs staff with "
     "police officers.", 1),
    # one schedule with two figures is one pledge, not one per number
    ("From 1 January, tariffs on 70 per cent of Chile's exports to Peru will be eliminated and tariffs on a further "
     "10 per cent of goods will be phased down.", 1),
])
def test_acts_of_one_sentence(parse, text: str, count: int) -> None:
    assert len(extract_commitments(parse(text, PUBLISHED), [])) == count


@pytest.mark.parametrize(("text", "dues"), [
    # each act of a list keeps the dates of its own clause
    ("Chile and Peru agreed to start technical talks by the end of February and conclude them within four months.",
     [DateRange(date(2026, 2, 16), date(2026, 2, 28), "month"), DateRange(date(2025, 11, 7), date(2026, 3, 7))]),
    ("Uruguay and Paraguay agreed to create a joint commission and hold its first meeting in Asuncion in May.",
     [None, DateRange.month(2026, 5)]),
])
def test_acts_of_one_list_keep_their_own_dues(parse, text: str, dues: list[DateRange | None]) -> None:
    assert [c.due for c in extract_commitments(parse(text, PUBLISHED), [])] == dues


def test_acts_of_one_sentence_stay_apart_across_the_corpus(parse) -> None:
    text = "Chile and Peru agreed to open a consulate in Arica and create a joint fund for border projects."
    found = extract_commitments(parse(text, PUBLISHED), [])
    # the first act is stated by its own words, the second needs the sentence's opening too
    assert [c.statement for c in found] == ["Chile and Peru agreed to open a consulate in Arica", text]
    assert len(merge_commitments(found, AS_OF)) == 2
    # ... also where the first act is what a pledged noun names
    text = ("Bolivia and Chile reached an agreement to speed up the launch of the border trade centre and create a "
            "joint fund for its projects.")
    found = extract_commitments(parse(text, PUBLISHED), [])
    assert [c.statement for c in found] == [
        "Bolivia and Chile reached an agreement to speed up the launch of the border trade centre", text]


@pytest.mark.parametrize(("text", "kind", "target", "due", "parties"), [
    # a bare infinitive in a list the parser hung on the main verb shares the to-infinitive's pledge
    ("Kenya and Ethiopia reached an agreement to improve the flow of contacts, establish a joint border commission, "
     "and continue the work of the trade council.", "action", None, None, {"KEN", "ETH"}),
    # the programme's aim is pledged by whoever is told to adopt it
    ("The presidents of Kenya and Ethiopia instructed their governments to adopt a separate programme to increase "
     "trade to $3 billion.", "target", Target(3e9, "USD"), None, {"KEN", "ETH"}),
    # an agreement's entry into force is a dated act
    ("The free trade agreement between Chile and Peru, signed in April, will come into force from December 29.",
     "action", None, DateRange.day(date(2025, 12, 29)), {"CHL", "PER"}),
    ("The Chile-Peru Economic Cooperation and Trade Agreement comes into effect from 29 December 2025.",
     "action", None, DateRange.day(date(2025, 12, 29)), {"CHL", "PER"}),
])
def test_lists_programmes_and_entry_into_force(parse, text: str, kind: str, target: Target | None,
                                                due: DateRange | None, parties: set[str]) -> None:
    (c,) = extract_commitments(parse(text, PUBLISHED), [])
    assert (c.kind, c.target, c.due, set(c.parties)) == (kind, target, due, parties)


@pytest.mark.parametrize("text", [
    "Kenya and Ethiopia will give new impetus to their partnership.",
    "Peru and Ecuador resolved to transform their ties into a strategic partnership.",
    "Brazil urged Argentina to adopt a new tariff regime.",
    "Colombia and Ecuador agreed to set aside their differences.",
    "Japan announced $30 million in humanitarian aid for Sudan.",
    "Trade between Chile and Peru is expected to reach $5 billion next year.",  # a forecast
    "Chile and Peru are expected to sign an agreement soon.",  # what an outlet expects is no pledge
    "Chile and Peru will go into the talks with hope.",
    "Ghanaian firms signed contracts to supply 5,000 tonnes of cocoa to Togo.",  # firms, not states
    # opportunities delivered and frameworks provided are what an agreement is hoped to bring, not acts
    "Kenya and Ethiopia said the accord will deliver new market opportunities for their firms from 1 July 2026.",
    "Kenya and Ethiopia said the deal will provide a framework for cooperation.",
])
def test_not_pledges_either(parse, text: str) -> None:
    assert extract_commitments(parse(text, PUBLISHED), []) == []


def _pledge(doc: str, start: int, statement: str, parties: list[str]) -> Commitment:
    return Commitment(id=f"{doc}:c{start}", statement=statement, kind="action", parties=parties,
                      mentions=[Mention(doc, start, start + len(statement), statement)])


@pytest.mark.parametrize(("commitments", "count"), [
    # the same value between other states is another pledge
    ([_commitment("d1", "Raise trade to $100 billion.", "target", target=Target(1e11, "USD")),
      replace(_commitment("d2", "Raise trade to $100 billion.", "target", target=Target(1e11, "USD")),
              parties=["BRA", "CHL"])], 2),
    # the next meeting in one capital is not the next meeting in another
    ([_pledge("d1", 0, "The group will hold its next meeting in Nairobi.", ["KEN", "ETH"]),
      _pledge("d2", 0, "The group will hold its next meeting in Addis Ababa.", ["KEN", "ETH"])], 2),
    ([_pledge("d1", 0, "The group will hold its next meeting in Nairobi.", ["KEN", "ETH"]),
      _pledge("d2", 0, "The group agreed to hold its next meeting in Nairobi.", ["KEN", "ETH"])], 1),
])
def test_merge_keeps_pledges_apart(commitments: list[Commitment], count: int) -> None:
    assert len(merge_commitments(commitments, AS_OF)) == count


@pytest.mark.parametrize(("text", "due"), [
    ("Uruguay and Paraguay will hold the first session of their joint commission in autumn.",
     DateRange(date(2025, 9, 1), date(2025, 11, 30), "quarter")),
    ("Uruguay and Paraguay will hold the first session of their joint commission next spring.",
     DateRange(date(2026, 3, 1), date(2026, 5, 31), "quarter")),
    ("A joint programme will be adopted by Ghana and Togo by the end of the month.", DateRange.month(2025, 11)),
    ("The ministers of Kenya and Tanzania will submit a report on the railway by the end of the year.",
     DateRange(date(2025, 10, 1), date(2025, 12, 31), "quarter")),  # "the end of" a year is its last quarter
])
def test_due_seasons_and_period_ends(parse, text: str, due: DateRange) -> None:
    (c,) = extract_commitments(parse(text, PUBLISHED), [])
    assert c.due == due


@pytest.mark.parametrize(("text", "parties", "due"), [
    # an agreement reached to do something: spaCy hangs the act on "reached"
    ("An agreement was reached to establish a joint fisheries commission between Chile and Peru.", {"CHL", "PER"},
     None),
    # a passive naming no state, in an article about two of them, is theirs; "by the end of" is no agent
    ("Chile and Peru signed a fisheries agreement in Lima on Tuesday. A new programme will be adopted by the end of "
     "the month.", {"CHL", "PER"}, DateRange.month(2025, 11)),
    # "it" in what a state said is the state that said it: one of the article's pair, with the state it names
    ("Bolivia and Chile have quarrelled over gas.\nEarlier in January, the landlocked country said it would start "
     "exporting gas through the port of Ilo in Peru after the discord with Chile.", {"BOL", "CHL", "PER"}, None),
])
def test_unnamed_pledgers(text: str, parties: set[str], due: DateRange | None) -> None:
    (c,) = extract_text(text, published=PUBLISHED).commitments
    assert (set(c.parties), c.due) == (parties, due)


@pytest.mark.parametrize("text", [
    # a pronoun is no state: the sentence itself must name them
    "Chile and Peru signed a fisheries agreement in Lima on Tuesday. We will sign more documents soon, the minister "
    "said.",
    # what is scheduled must be an act: a forecast is none
    "Trade between Chile and Peru is slated to rise substantially.",
    # a passive about people or firms is not a thing the two states set up
    "France and Britain signed a broadcasting accord in Paris on Monday. Pay-TV operators will be allowed to "
    "broadcast in the new format.",
    # plural subjects stand for both sides only as "the parties", "the delegations", not "opposition parties"
    "The opposition parties of Chile and Peru will hold a joint rally in Lima.",
])
def test_no_pledger_no_pledge(text: str) -> None:
    assert extract_text(text, published=PUBLISHED).commitments == []


@pytest.mark.parametrize(("text", "kind", "due"), [
    # the purpose of an act is no pledge of its own
    ("Chile and Peru agreed to hold the joint committee meetings regularly to monitor progress.", "recurring", None),
    # a headline without a finite verb: its infinitive is the pledge
    ("Chile, Peru to hold next round of fisheries talks in March", "action", DateRange.month(2026, 3)),
])
def test_purposes_and_headlines(parse, text: str, kind: str, due: DateRange | None) -> None:
    (c,) = extract_commitments(parse(text, PUBLISHED), [])
    assert (c.kind, set(c.parties), c.due) == (kind, {"CHL", "PER"}, due)
