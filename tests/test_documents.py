"""Documents: identity, metadata dates, and the date, title and outlet a page prints about itself."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pactwatch.documents import (
    DocumentError,
    build_document,
    date_from_text,
    document_id,
    document_title,
    outlet_from_text,
    parse_given_date,
    title_from_text,
)
from pactwatch.models import DateRange
from pactwatch.sources import RawDocument, read_sources

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"
SEED_KEY = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "gold" / "seeds.json"
BODY = ("Kenya and Uganda agreed to extend the railway to Kampala by 2028, the transport ministers of both countries "
        "said after talks that lasted two days.\nThe ministers set up a joint technical committee that will meet "
        "every quarter to review progress.\nOfficials said the line would cut freight costs by a third.\n")


def day(text: str) -> DateRange:
    return DateRange.day(date.fromisoformat(text))


# ---------- identity ----------

@pytest.mark.parametrize(("a", "b", "same"), [
    (BODY, BODY, True),
    (BODY, BODY.replace("\n", "\r\n"), True),  # decided: line endings are not part of a text's identity
    (BODY, BODY.replace("\n", "\r"), True),
    (BODY, BODY + "More.\n", False),
    (BODY, BODY.replace("Kenya", "Kenia"), False),
])
def test_document_id(a: str, b: str, same: bool) -> None:
    assert (document_id(a) == document_id(b)) is same


def test_reingest_gives_the_same_document() -> None:
    first = build_document(RawDocument(text=BODY.replace("\n", "\r\n"), source="a.txt"))
    again = build_document(RawDocument(text=BODY, source="a.txt"))
    assert first == again and "\r" not in first.text


@pytest.mark.parametrize("text", ["", "   ", "\n\r\n\t"])
def test_empty_text(text: str) -> None:
    with pytest.raises(DocumentError, match="empty text"):
        build_document(RawDocument(text=text, source="x.txt"))


# ---------- dates given in the metadata ----------

@pytest.mark.parametrize(("value", "expected"), [
    ("2024", DateRange.year(2024)),
    ("2024-03", DateRange.month(2024, 3)),
    ("2024-3", DateRange.month(2024, 3)),
    ("2024-Q2", DateRange.quarter(2024, 2)),
    ("2024-03-12", day("2024-03-12")),
    (" 2024-03-12 ", day("2024-03-12")),
    ("2024-03-12T23:30:00Z", day("2024-03-12")),  # the publisher's own day, not converted to another zone
    ("2024-03-12T01:15:00+05:30", day("2024-03-12")),
    ("2024-03-12 08:00", day("2024-03-12")),
    ("12 March 2024", day("2024-03-12")),
    ("March 12, 2024", day("2024-03-12")),
    ("March 2024", DateRange.month(2024, 3)),
    ("2022-03-19..2022-03-25", DateRange(date(2022, 3, 19), date(2022, 3, 25), "day")),
    ("unknown", None),
    ("", None),
])
def test_given_dates(value: str, expected: DateRange | None) -> None:
    assert parse_given_date(value) == expected


@pytest.mark.parametrize("value", ["2024-13-01", "2024-02-30", "yesterday", "12/13", "2024-03-12T99:00", "05/06/2024",
                                   "2022-03-25..2022-03-19"])
def test_bad_given_date_is_a_clear_error(value: str) -> None:
    with pytest.raises(DocumentError, match=f"bad publication date '{value}'"):
        build_document(RawDocument(text=BODY, source="a.txt"), published=value)


def test_given_date_wins_over_the_text_and_says_so() -> None:
    raw = RawDocument(text="Published: 3 March 2021\n" + BODY, source="a.txt", published="2021-03")
    cli = build_document(raw, published="2021-03-04")
    feed = build_document(raw)
    text = build_document(RawDocument(text=raw.text, source="a.txt"))
    assert (cli.published, cli.published_source) == (day("2021-03-04"), "given")
    assert (feed.published, feed.published_source) == (DateRange.month(2021, 3), "given")
    assert (text.published, text.published_source) == (day("2021-03-03"), "text")
    assert build_document(RawDocument(text=BODY, source="a.txt")).published_source is None


# ---------- dates the page prints about itself ----------

@pytest.mark.parametrize(("text", "expected"), [
    # labelled stamps, at the top or at the end
    (BODY + "Published in The Lakeside Post, March 3rd, 2024\n", day("2024-03-03")),
    (BODY + "Published in Andes Daily, 7 Nov. 2023\nFollow Andes Daily on X for more.\n", day("2023-11-07")),
    (" date 2024-02-23 WORLD\nGhana and Togo agree joint patrols\n" + BODY, day("2024-02-23")),
    ("Ghana and Togo agree joint patrols\nUpdated: 12 March 2024 10:15 IST\n" + BODY, day("2024-03-12")),
    ("Ghana and Togo agree joint patrols\nLast updated on Mar 12, 2024 | 10:15 PM\n" + BODY, day("2024-03-12")),
    ("Ghana and Togo agree joint patrols\nPublished On: Tuesday, 5 June 2023\n" + BODY, day("2023-06-05")),
    ("Ghana and Togo agree joint patrols\nPublished: March 2024\n" + BODY, DateRange.month(2024, 3)),
    (BODY + "First published on 2 January 2022\n", day("2022-01-02")),
    # a published stamp beats an update stamp wherever they stand
    ("Updated: 14 March 2024\n" + BODY + "Published: 12 March 2024\n", day("2024-03-12")),
    # bylines and lines that are only a date near the top
    ("Ghana and Togo agree joint patrols\nBy Amina Yusuf | 5 June 2023\n" + BODY, day("2023-06-05")),
    ("Africa\n\nGhana and Togo agree joint patrols\n\n09 May 2025 - 16:07 By Kofi Mensah\n" + BODY, day("2025-05-09")),
    ("Ghana and Togo agree joint patrols\n  • 5/22/2023\n  • 00:00\n" + BODY, day("2023-05-22")),
    ("Ghana and Togo agree joint patrols\nMonday, 12 February 2024\n" + BODY, day("2024-02-12")),
    ("Ghana and Togo agree joint patrols\nPublished By : Ama Owusu Last Updated: March 12, 2024, 10:15 IST\n" + BODY,
     day("2024-03-12")),
    ("Ghana and Togo agree joint patrols\nWritten by Ama Owusu | Updated: 13-03-2024\n" + BODY, day("2024-03-13")),
    ("Ghana and Togo agree joint patrols\nIANS | Updated: Mar 12 2024 10:15 IST\n" + BODY, day("2024-03-12")),
    ("Ghana and Togo agree joint patrols\n12.02.2024\n" + BODY, day("2024-02-12")),
    # datelines that open the body, with their year
    ("NAIROBI, March 3, 2024 (AFP) - " + BODY, day("2024-03-03")),
    ("NEW DELHI, 12 March 2024: " + BODY, day("2024-03-12")),
    ("Islamabad, Nov 6, 2025 — " + BODY, day("2025-11-06")),
    ("LONDON, 3 March 2024 /PRNewswire/ -- " + BODY, day("2024-03-03")),
    ("SAO PAULO, Brazil, March 3, 2024 (Reuters) - " + BODY, day("2024-03-03")),
    ("Ghana and Togo agree joint patrols\nKUMASI, Ghana, Sunday, 12 March 2023\n" + BODY, day("2023-03-12")),
    ("March 3, 2024 — " + BODY, day("2024-03-03")),
    # a dated photo caption near the top: that day or within the week after it; any stamp wins over it
    ("Ghana and Togo agree joint patrols\nGhana's president (left) meets Togo's leader in Lome on June 5, 2023. "
     "PHOTO | POOL\n" + BODY, DateRange(date(2023, 6, 5), date(2023, 6, 11))),
    ("Ghana and Togo agree joint patrols\nTogolese soldiers arrive in Kumasi on 5 June 2023. Photo/ GNA\n" + BODY,
     DateRange(date(2023, 6, 5), date(2023, 6, 11))),
    ("Ghana and Togo agree joint patrols\nPublished: 7 June 2023\nThe leaders in Lome on June 5, 2023. PHOTO | "
     "POOL\n" + BODY, day("2023-06-07")),
])
def test_date_from_text(text: str, expected: DateRange) -> None:
    assert date_from_text(text) == expected


@pytest.mark.parametrize("text", [
    BODY,
    # a dateline without its year is not guessed
    "WASHINGTON, March 3 (Reuters) - " + BODY,
    "ISLAMABAD: " + BODY,
    "SAO PAULO, Brazil, March 3 (Reuters) - " + BODY,
    "In Kenya, Uganda and Tanzania, 3 March 2024 - a day of talks. " + BODY,
    # dates inside the story
    "Kenya and Uganda met on 6 November 2025 in Nairobi to sign the deal.\n" + BODY,
    ("Talks between Kenya and Uganda, held on Thursday, November 6, 2025, ended with a deal to extend the railway "
     "to Kampala by 2028 and a committee to watch over it, officials said.\n" + BODY),
    BODY + "The agreement was first signed on 6 November 2025 in Nairobi by both ministers.\n",
    "Kenya and Uganda to sign rail deal on March 3, 2024\n" + BODY,
    # a caption whose date is another sentence's, not the photo's
    "Ghana and Togo agree joint patrols\nThe last summit was held on June 5, 2021, in Accra. It was cordial. | Photo: "
    "GNA\n" + BODY,
    "Kenya signs rail deal\n" + BODY.replace("Officials", "On 3 March 2024 officials") + "\nMore soon.\n" * 6,
    # relative, ambiguous or not a publication date at all
    "Ghana and Togo agree joint patrols\n5 hours ago\n" + BODY,
    "Ghana and Togo agree joint patrols\nUpdated 20 minutes ago\n" + BODY,
    "Ghana and Togo agree joint patrols\n05/06/2023\n" + BODY,
    "Ghana and Togo agree joint patrols\n05-06-2023\n" + BODY,
    "By the time the talks ended on 3 March 2024, both sides had agreed.\n" + BODY,
    "Ghana and Togo agree joint patrols\nThe report, published on 3 March 2024, said so.\n" + BODY,
    "Ghana and Togo agree joint patrols\nMarch 2024\n" + BODY,
    BODY + "© 2024 Lakeside Media Group. All rights reserved.\n",
    BODY + "Read more: Kenya to hold elections on 9 August 2027\n",
])
def test_no_date_from_text(text: str) -> None:
    assert date_from_text(text) is None


# ---------- title ----------

@pytest.mark.parametrize(("text", "title"), [
    ("Ghana and Togo agree joint patrols\n\n" + BODY, "Ghana and Togo agree joint patrols"),
    ("Other\n\nGhana and Togo agree joint patrols\n" + BODY, "Ghana and Togo agree joint patrols"),
    (" date 2024-02-23 WORLD\nGhana and Togo agree joint patrols\n" + BODY, "Ghana and Togo agree joint patrols"),
    ("# Ghana and Togo agree joint patrols\n\n" + BODY, "Ghana and Togo agree joint patrols"),
    ("Peru and Chile: a quiet thaw\n" + BODY, "Peru and Chile: a quiet thaw"),
    ("Fiji edges Tonga\n" + BODY, "Fiji edges Tonga"),
    ("Fiji 24-10 Tonga\n" + BODY, "Fiji 24-10 Tonga"),
    ("Is the Ghana-Togo thaw real?\n" + BODY, "Is the Ghana-Togo thaw real?"),
    (BODY, None),  # the body starts at once
    ("New Delhi, India\n\n" + BODY, None),
    ("News\n\nShare this article\n\n" + BODY, None),
    ("NAIROBI, March 3, 2024 (AFP) - Kenya signs\n" + BODY, None),
    ("• Joint patrols to start in June\n" + BODY, None),
    ("the ministers met on Friday\n" + BODY, None),
])
def test_title_from_text(text: str, title: str | None) -> None:
    assert title_from_text(text) == title


def test_metadata_title_wins() -> None:
    raw = RawDocument(text="Ghana and Togo agree joint patrols\n" + BODY, source="a.txt", title="Joint patrols agreed")
    assert build_document(raw).title == "Joint patrols agreed"


def test_a_later_header_line_can_be_the_headline() -> None:
    text = "Read more: East Africa coverage\nGhana and Togo agree joint patrols\n" + BODY
    assert title_from_text(text) == "Ghana and Togo agree joint patrols"


@pytest.mark.parametrize("fragment", ["amp", "index.php", "2024"])
def test_a_piece_of_the_address_is_no_title(fragment: str) -> None:
    url = f"https://lakeside.example/news/ghana-togo/{fragment}"
    raw = RawDocument(text="Ghana and Togo agree joint patrols\n" + BODY, source=url, url=url, title=fragment)
    assert build_document(raw).title == "Ghana and Togo agree joint patrols"


@pytest.mark.parametrize(("outlet", "url", "shown"), [
    ("Lakeside Post", None, "Lakeside Post, 2024-03-03"),
    (None, "https://www.lakeside.example/news/index.php", "www.lakeside.example, 2024-03-03"),
    (None, None, "Untitled article, 2024-03-03"),
])
def test_an_untitled_document_is_named_by_outlet_and_date(outlet: str | None, url: str | None, shown: str) -> None:
    raw = RawDocument(text=BODY, source=url or "/data/in/index.php", url=url, outlet=outlet, published="2024-03-03")
    doc = build_document(raw)
    assert doc.title is None
    assert document_title(doc) == shown and "index.php" not in document_title(doc)


# ---------- outlet ----------

@pytest.mark.parametrize(("text", "outlet"), [
    (BODY + "Published in The Lakeside Post, March 3rd, 2024\n", "The Lakeside Post"),
    (BODY + "SOURCE:Andes Daily and Agencies\n", "Andes Daily"),
    (BODY + "Source: Harbour Times / AFP\n", "Harbour Times"),
    (BODY + "Follow Coast Wire on X, Instagram and Facebook for more news.\n\n\n", "Coast Wire"),
    (BODY + "This article was originally published in The Baltic Courier.\n", "The Baltic Courier"),
    (BODY, None),
    (BODY + "Follow us on Twitter for updates.\n", None),
    (BODY + "Source: Agencies\n", None),
    (BODY + "Posted by Jane Smith, 3 March 2024\n", None),
    ("Source: Andes Daily\n" + BODY + "Line\n" * 6, None),  # a credit at the top is not a footer
])
def test_outlet_from_text(text: str, outlet: str | None) -> None:
    assert outlet_from_text(text) == outlet


def test_given_outlet_wins() -> None:
    raw = RawDocument(text=BODY + "Source: Andes Daily\n", source="a.txt", outlet="Coast Wire")
    assert build_document(raw).outlet == "Coast Wire"
    assert build_document(raw, outlet="Harbour Times").outlet == "Harbour Times"
    assert build_document(RawDocument(text=raw.text, source="a.txt")).outlet == "Andes Daily"


# ---------- the seed articles: every date read from a text agrees with the analysts' key ----------

def test_seed_dates_read_from_the_text_are_right() -> None:
    key = {d["id"]: d["published"] for d in json.loads(SEED_KEY.read_text(encoding="utf-8"))["documents"]}
    found = 0
    for raw in read_sources([str(SEEDS)]):
        assert isinstance(raw, RawDocument)
        document = build_document(raw)
        if document.published is not None:
            found += 1
            assert str(document.published) == key[Path(raw.source).stem]
    assert found >= 3
