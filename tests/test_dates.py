"""The date grammar: what each temporal expression is found as and what it resolves to."""

from __future__ import annotations

from datetime import date

import pytest

from pactwatch.dates import DateMatch, find_dates, resolve
from pactwatch.models import DateRange

FRI = "2025-11-07"  # a Friday in November
MON = "2026-01-12"  # a Monday in January
TUE = "2024-03-05"  # a Tuesday in a leap year
WED = "2025-06-18"  # a Wednesday in mid-year
SUN = "2023-12-31"  # a Sunday on the last day of a year


def _only(text: str, anchor: str | None, quote: str) -> DateMatch:
    found = find_dates(text, date.fromisoformat(anchor) if anchor else None)
    hits = [d for d in found if d.text == quote]
    assert len(hits) == 1, f"{quote!r} not found once in {[d.text for d in found]}"
    return hits[0]


# (text, anchor, quote, start, end, precision, kind)
CASES = [
    # full dates in the common news formats
    ("Ghana and Togo signed the accord on Thursday, November 6, 2025, in Lomé.", FRI,
     "Thursday, November 6, 2025", "2025-11-06", "2025-11-06", "day", "point"),
    ("The Chilean delegation arrived in Lima on 6 November 2025.", None,
     "6 November 2025", "2025-11-06", "2025-11-06", "day", "point"),
    ("Talks in Hanoi resumed on November 7th, 2025, after a pause.", None,
     "November 7th, 2025", "2025-11-07", "2025-11-07", "day", "point"),
    ("Norway's envoy reached Reykjavik on Nov. 6 for consultations.", FRI,
     "Nov. 6", "2025-11-06", "2025-11-06", "day", "point"),
    ("The Kenya-Uganda rail protocol takes effect 2026-02-23, officials said.", None,
     "2026-02-23", "2026-02-23", "2026-02-23", "day", "point"),
    ("Peru and Bolivia held border talks on May 18 in La Paz.", FRI,
     "May 18", "2025-05-18", "2025-05-18", "day", "point"),
    ("Ecuador's navy seized the trawler on December 28 off the Galápagos.", MON,
     "December 28", "2025-12-28", "2025-12-28", "day", "point"),
    ("The Baku summit is on December 3, the host announced.", FRI,
     "December 3", "2025-12-03", "2025-12-03", "day", "point"),
    ("Delegates from Fiji and Tonga met on 6-7 November 2025 in Suva.", None,
     "6-7 November 2025", "2025-11-06", "2025-11-07", "day", "point"),
    ("Uzbek and Tajik engineers inspected the dam on May 18-19.", WED,
     "May 18-19", "2025-05-18", "2025-05-19", "day", "point"),
    # a week of a month: its days; the last week, the month's last seven days (in a leap year too)
    ("The Chile-Peru commission will meet in the last week of February.", TUE,
     "the last week of February", "2025-02-22", "2025-02-28", "day", "point"),
    ("Bolivia and Peru met in the second week of March 2023.", FRI,
     "the second week of March 2023", "2023-03-08", "2023-03-14", "day", "point"),
    ("The accord will come into effect by the first week of May.", FRI,
     "by the first week of May", "2026-05-01", "2026-05-07", "day", "deadline"),
    # weekdays: the latest such day on or before the anchor, or the next one in future sentences
    ("Rebels shelled the outskirts of Goma late Tuesday night.", FRI,
     "late Tuesday night", "2025-11-04", "2025-11-04", "day", "point"),
    ("Fishermen from Sri Lanka were detained on Saturday near Jaffna.", FRI,
     "Saturday", "2025-11-01", "2025-11-01", "day", "point"),
    ("The foreign ministers of Egypt and Sudan will meet on Monday in Cairo.", FRI,
     "Monday", "2025-11-10", "2025-11-10", "day", "point"),
    ("Jordan's king spoke to reporters in Amman on Friday.", FRI,
     "Friday", "2025-11-07", "2025-11-07", "day", "point"),
    ("Mexico and Canada will hold trade talks on Monday in Ottawa.", MON,
     "Monday", "2026-01-12", "2026-01-12", "day", "point"),
    ("The Polish delegation left Vilnius on Monday.", MON,
     "Monday", "2026-01-12", "2026-01-12", "day", "point"),
    ("Ukraine's grain convoy crossed into Moldova last Friday.", FRI,
     "last Friday", "2025-10-31", "2025-10-31", "day", "point"),
    ("Portugal said Wednesday it would send a frigate to Cape Verde.", SUN,
     "Wednesday", "2023-12-27", "2023-12-27", "day", "point"),
    # days and weeks
    ("The Estonian parliament voted today on the border treaty.", FRI,
     "today", "2025-11-07", "2025-11-07", "day", "point"),
    ("Nepal reopened the Kodari crossing yesterday.", "2024-03-01",
     "yesterday", "2024-02-29", "2024-02-29", "day", "point"),
    ("Kazakhstan's president will address the nation tonight.", SUN,
     "tonight", "2023-12-31", "2023-12-31", "day", "point"),
    ("Brazilian and Paraguayan police raided the warehouses this week.", FRI,
     "this week", "2025-11-03", "2025-11-09", "day", "point"),
    ("Lebanon and Cyprus agreed last week to patrol the sea lane.", "2026-01-01",
     "last week", "2025-12-22", "2025-12-28", "day", "point"),
    ("The Philippines and Japan will sign the pact next week.", SUN,
     "next week", "2024-01-01", "2024-01-07", "day", "point"),
    ("Albanian and Greek coast guards rescued 40 migrants over the weekend.", FRI,
     "the weekend", "2025-11-01", "2025-11-02", "day", "point"),
    ("Qatari mediators will return to Doha at the weekend.", FRI,
     "the weekend", "2025-11-08", "2025-11-09", "day", "point"),
    ("Ethiopian and Somali envoys met two weeks ago in Nairobi.", FRI,
     "two weeks ago", "2025-10-20", "2025-10-26", "day", "point"),
    # months without a year
    ("Floods hit the Red River delta in July, Vietnamese officials said.", FRI,
     "July", "2025-07-01", "2025-07-31", "month", "point"),
    ("Bangladesh and Myanmar exchanged detainees in December.", MON,
     "December", "2025-12-01", "2025-12-31", "month", "point"),
    ("Indonesian and Australian marines will begin joint training in January.", FRI,
     "January", "2026-01-01", "2026-01-31", "month", "point"),
    ("Earlier in February, Morocco recalled its ambassador from Paris.", "2026-03-10",
     "Earlier in February", "2026-02-01", "2026-02-28", "month", "point"),
    ("Earlier in February, Morocco recalled its ambassador from Paris.", MON,
     "Earlier in February", "2025-02-01", "2025-02-28", "month", "point"),
    ("Serbia lifted the import ban on Kosovo goods earlier this month.", FRI,
     "earlier this month", "2025-11-01", "2025-11-07", "month", "point"),
    ("Armenia and Azerbaijan initialled the text last month.", MON,
     "last month", "2025-12-01", "2025-12-31", "month", "point"),
    ("Tanzania expects the first shipments from Zambia next month.", SUN,
     "next month", "2024-01-01", "2024-01-31", "month", "point"),
    ("Ghanaian cocoa exports to Malaysia fell sharply last March.", FRI,
     "last March", "2025-03-01", "2025-03-31", "month", "point"),
    ("Namibian and Angolan rangers began joint patrols in mid-September.", FRI,
     "mid-September", "2025-09-10", "2025-09-20", "month", "point"),
    # years
    ("Bhutan's tourist arrivals from India doubled this year.", FRI,
     "this year", "2025-01-01", "2025-12-31", "year", "point"),
    ("Iceland and Greenland opened a ferry link last year.", MON,
     "last year", "2025-01-01", "2025-12-31", "year", "point"),
    ("Slovenia will chair the Adriatic forum next year.", FRI,
     "next year", "2026-01-01", "2026-12-31", "year", "point"),
    ("In July last year, Chad closed its eastern border with Sudan.", FRI,
     "July last year", "2024-07-01", "2024-07-31", "month", "point"),
    ("Georgia and Turkey opened the rail line in September 2025.", None,
     "September 2025", "2025-09-01", "2025-09-30", "month", "point"),
    ("Elections in Senegal were held in 2024 after a delay.", None,
     "2024", "2024-01-01", "2024-12-31", "year", "point"),
    ("Observers from Benin monitored the 2024 election in Niger.", None,
     "2024", "2024-01-01", "2024-12-31", "year", "point"),
    ("Malawi's 2023's maize harvest shortfall was covered by Zambia.", None,
     "2023", "2023-01-01", "2023-12-31", "year", "point"),
    ("Uruguay's beef exports to China were hit by drought in 2019–22.", None,
     "2019–22", "2019-01-01", "2022-12-31", "year", "span"),
    ("Latvia and Lithuania shared the grid between 2010 and 2015.", None,
     "between 2010 and 2015", "2010-01-01", "2015-12-31", "year", "span"),
    ("Ties between Ghana and India date back to the 1950s.", None,
     "the 1950s", "1950-01-01", "1959-12-31", "year", "point"),
    ("The Gambia and Senegal first discussed the bridge three years ago.", FRI,
     "three years ago", "2022-01-01", "2022-12-31", "year", "point"),
    # "more than" a distance ago: up to one more of the unit before that point
    ("The Gambia and Senegal established relations more than three decades ago.", FRI,
     "three decades ago", "1985-01-01", "1995-12-31", "year", "point"),
    # quarters, halves, parts of a year
    ("Qatar expects LNG deliveries to Pakistan to rise next quarter.", FRI,
     "next quarter", "2026-01-01", "2026-03-31", "quarter", "point"),
    ("Kuwait's refinery output for Oman rose this quarter.", WED,
     "this quarter", "2025-04-01", "2025-06-30", "quarter", "point"),
    ("Vietnam plans to ship the rice to the Philippines in Q1 2026.", None,
     "Q1 2026", "2026-01-01", "2026-03-31", "quarter", "point"),
    ("Chilean copper sales to Korea slowed in the third quarter of 2025.", None,
     "the third quarter of 2025", "2025-07-01", "2025-09-30", "quarter", "point"),
    ("Egypt and Greece aim to finish the cable in the first half of 2027.", None,
     "the first half of 2027", "2027-01-01", "2027-06-30", "quarter", "point"),
    ("The Rwanda-Burundi border post is to reopen by mid-2026.", None,
     "by mid-2026", "2026-04-01", "2026-09-30", "quarter", "deadline"),
    ("Finland hopes to sign the Arctic accord with Canada in early 2026.", None,
     "early 2026", "2026-01-01", "2026-06-30", "quarter", "point"),
    ("Croatian and Hungarian pipeline works stalled in late 2025.", None,
     "late 2025", "2025-07-01", "2025-12-31", "quarter", "point"),
    ("Nigeria's refinery began supplying Cameroon late last year.", FRI,
     "late last year", "2024-07-01", "2024-12-31", "quarter", "point"),
    # one month, two days
    ("The Chilean president will visit Lima on March 9 and 10.", FRI,
     "March 9 and 10", "2026-03-09", "2026-03-10", "day", "point"),
    ("The Uruguayan minister toured Asunción on Nov. 3 to 5.", FRI,
     "Nov. 3 to 5", "2025-11-03", "2025-11-05", "day", "point"),
    ("Thai rubber exports to Malaysia are set to recover later this year.", WED,
     "later this year", "2025-06-18", "2025-12-31", "year", "point"),
    # deadlines, since, spans
    ("Indonesia and Singapore pledged to link their power grids by 2030.", FRI,
     "by 2030", "2030-01-01", "2030-12-31", "year", "deadline"),
    ("Jamaica must repay the loan to Trinidad by December 2025.", None,
     "by December 2025", "2025-12-01", "2025-12-31", "month", "deadline"),
    ("Cuba and Venezuela have traded oil for doctors since 2020.", FRI,
     "since 2020", "2020-01-01", "2025-11-07", "year", "since"),
    ("Belarus has not bought Lithuanian fertiliser since last year.", FRI,
     "since last year", "2024-01-01", "2025-11-07", "year", "since"),
    ("Bolivian lithium output rose in the last five years, La Paz said.", FRI,
     "in the last five years", "2020-11-07", "2025-11-07", "year", "span"),
    ("Trade between Kenya and Ethiopia grew over the past five years.", TUE,
     "over the past five years", "2019-03-05", "2024-03-05", "year", "span"),
    ("Gulf investors will put $2 billion into Egyptian ports over the next five years.", FRI,
     "over the next five years", "2025-11-07", "2030-11-07", "year", "span"),
    ("Chile expects trade with Peru to reach $10 billion in the next 5-years.", FRI,
     "in the next 5-years", "2025-11-07", "2030-11-07", "year", "span"),
    ("Sudan said the corridor would reopen within two months.", FRI,
     "within two months", "2025-11-07", "2026-01-07", "day", "span"),
    ("Tensions between Guyana and Venezuela have grown over the past couple of years.", FRI,
     "over the past couple of years", "2023-11-07", "2025-11-07", "year", "span"),
]


@pytest.mark.parametrize(("text", "anchor", "quote", "start", "end", "precision", "kind"), CASES)
def test_expression_resolves(text: str, anchor: str | None, quote: str, start: str, end: str,
                             precision: str, kind: str) -> None:
    found = _only(text, anchor, quote)
    assert found.range == DateRange(date.fromisoformat(start), date.fromisoformat(end), precision)
    assert found.kind == kind
    assert text[found.start:found.end] == quote


# Relative expressions with no publication date yet: found, marked relative, left unresolved.
RELATIVE = [
    ("Peruvian troops withdrew on Thursday.", "Thursday"),
    ("Mongolia will join the talks next quarter.", "next quarter"),
    ("The Sahel states met in Niamey last year.", "last year"),
    ("Rain delayed the harvest in July, Laotian officials said.", "July"),
    ("Panama's canal authority wrote to Colombia on Nov. 6.", "Nov. 6"),
    ("Iraq and Syria reopened the crossing yesterday.", "yesterday"),
    ("Oil flows from Azerbaijan to Georgia doubled over the past five years.", "over the past five years"),
    ("Guinea has supplied bauxite to Ukraine since March.", "since March"),
]


@pytest.mark.parametrize(("text", "quote"), RELATIVE)
def test_relative_without_anchor(text: str, quote: str) -> None:
    found = _only(text, None, quote)
    assert found.relative
    assert found.range is None


# Numbers that are not dates.
NOT_DATES = [
    "The 16th session of the joint commission opened in Tashkent.",
    "Poland ordered two more F-16 jets from the United States.",
    "Saudi Arabia pledged a $1.4 billion loan to Pakistan.",
    "Some 20 officers were wounded in the clash near the border.",
    "Morocco beat Algeria 2-0 in the friendly in Rabat.",
    "The president ended a four-day visit to Brasília.",
    "Riyadh presented its Vision 2030 plan to the Bahraini delegation.",
    "Chad deployed about 2000 troops along the frontier.",
    "The ministers may meet again, and protesters will march on the embassy.",
    "Pilgrims gathered in Jerusalem for Good Friday prayers.",
    "According to USA Today, the envoy had resigned.",
    "Flight 1990 from Lagos landed at gate 12 with 2024 passengers.",
    "In the coming months, the two navies will deepen cooperation.",
]


def test_a_count_after_a_day_is_no_second_day() -> None:
    (found,) = find_dates("Sudanese troops attacked the post on March 9 and 10 soldiers were hurt.", date(2025, 11, 7))
    assert (found.text, found.range) == ("March 9", DateRange.day(date(2025, 3, 9)))


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_a_date(text: str) -> None:
    assert find_dates(text, date(2025, 11, 7)) == []


# (text, anchor, quote, tense)
TENSES = [
    ("The presidents of Chile and Argentina will meet on Monday.", FRI, "Monday", "future"),
    ("Hungarian and Serbian officials met on Monday.", FRI, "Monday", "past"),
    ("Laos is scheduled to open the railway to Thailand in January.", FRI, "January", "future"),
    ("On Monday, the envoys will travel to Addis Ababa.", FRI, "Monday", "future"),
    ("Spain and Morocco agreed to hold talks on Thursday.", FRI, "Thursday", "future"),
    ("The upcoming summit with Brazil in March will focus on beef.", FRI, "March", "future"),
    ("Rwanda's exports rose last year.", FRI, "last year", "past"),
    ("A joint border commission for Zambia and Malawi will be held in March.", FRI, "March", "future"),
    ("Flights between Oman and Yemen were cancelled due to a storm on Monday.", FRI, "Monday", "past"),
    ("The Gaza truce is due to come into effect on Sunday.", FRI, "Sunday", "future"),
    ("Iran said that from 1 December pilgrims from Iraq would need no visa.", FRI, "1 December", "future"),
    ("Vietnam aims to double trade with Chile by 2030.", None, "by 2030", "future"),
    ("Tunisia and Libya signed the deal on 6 November 2025.", FRI, "6 November 2025", "past"),
    # a verb in -eed or a name in -ed is no past tense
    ("After Lima, the Peruvian envoy will proceed to Quito on Monday.", FRI, "Monday", "future"),
    ("Chad and Niger need to meet again on Monday.", FRI, "Monday", "future"),
    ("Ghana and Togo agreed on Monday to reopen the border.", FRI, "Monday", "past"),
    # a week of a month
    ("The Chile-Peru commission will meet in the last week of February.", FRI, "the last week of February",
     "future"),
    # what someone has been asked to do by a day is still to come
    ("The expelled Togolese diplomats have been asked to leave Ghana on Saturday (November 8).", FRI, "Saturday",
     "future"),
]


@pytest.mark.parametrize(("text", "anchor", "quote", "tense"), TENSES)
def test_tense(text: str, anchor: str | None, quote: str, tense: str | None) -> None:
    assert _only(text, anchor, quote).tense == tense


def test_offsets_slice_back_in_a_longer_text() -> None:
    text = ("Islamabad, Thursday, November 6, 2025 - Pakistan and Uzbekistan agreed on Thursday to raise trade to "
            "$2 billion by 2030. Their last joint commission met in July last year; the next is due in Q1 2026, "
            "officials said, adding that rail freight has doubled since 2020.")
    found = find_dates(text, date(2025, 11, 7))
    assert [d.text for d in found] == ["Thursday, November 6, 2025", "Thursday", "by 2030", "July last year",
                                       "Q1 2026", "since 2020"]
    assert all(text[d.start:d.end] == d.text for d in found)
    assert [d.start for d in found] == sorted(d.start for d in found)


@pytest.mark.parametrize(("expression", "anchor", "expected"), [
    ("next quarter", date(2025, 11, 7), DateRange.quarter(2026, 1)),
    ("6 November 2025", None, DateRange.day(date(2025, 11, 6))),
    ("on Thursday", None, None),
    ("25/12/2024", None, DateRange.day(date(2024, 12, 25))),
    ("6th of November, 2025", None, DateRange.day(date(2025, 11, 6))),
    ("sometime soon", date(2025, 11, 7), None),
])
def test_resolve(expression: str, anchor: date | None, expected: DateRange | None) -> None:
    assert resolve(expression, anchor) == expected


@pytest.mark.parametrize("anchor", [date(2024, 2, 29), date(2024, 3, 1), date(2024, 3, 4), date(2024, 3, 2)])
def test_earlier_or_later_this_weekend_never_inverts_a_range(anchor: date) -> None:
    found = find_dates("Talks ended earlier this weekend and resume later this weekend.", anchor)
    assert len(found) == 2
    assert all(m.range is not None and m.range.start <= m.range.end for m in found)
