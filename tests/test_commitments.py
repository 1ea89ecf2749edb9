"""Commitments: pledges with a target, a cadence or a specific act; merged across articles; first status."""

from __future__ import annotations

from datetime import date

import pytest

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
