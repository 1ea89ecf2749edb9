"""Episodes across articles and publication dates inferred from them, with the real extractors."""

from __future__ import annotations

from datetime import date

import pytest

from pactwatch.models import DateRange
from pactwatch.pipeline import extract_texts
from pactwatch.sources import RawDocument


def _raw(text: str, published: str | None, source: str) -> RawDocument:
    return RawDocument(text=text, source=source, published=published)


def test_one_visit_reported_twice_is_one_episode() -> None:
    a = _raw("Chilean President Elena Rojas met Argentine President Tomas Vidal in Buenos Aires on Thursday.\n"
             "The two leaders held talks on lithium mining and trade.", "2024-03-08", "a.txt")
    b = _raw("Argentina and Chile held talks in Buenos Aires on Thursday, officials said.", "2024-03-09", "b.txt")
    corpus = extract_texts([a, b])
    consult = [e for e in corpus.events if e.type == "CONSULT"]
    assert len(consult) == 1
    assert {m.doc for m in consult[0].mentions} == {d.id for d in corpus.documents}
    assert consult[0].date == DateRange.day(date(2024, 3, 7))
    assert set(consult[0].countries) == {"ARG", "CHL"}


def test_episodes_on_other_dates_or_types_stay_apart() -> None:
    a = _raw("Ghana and Togo signed a trade agreement on Monday.", "2024-05-10", "a.txt")
    b = _raw("Ghana and Togo signed a fisheries agreement in January 2023.", "2024-05-10", "b.txt")
    c = _raw("Ghana praised Togo for its help on Monday.", "2024-05-10", "c.txt")
    corpus = extract_texts([a, b, c])
    assert sorted(e.type for e in corpus.events) == ["AGREE", "AGREE", "SUPPORT"]


def test_undated_article_is_dated_by_the_episode_it_shares() -> None:
    dated = _raw("Kenya and Uganda signed a railway agreement in Nairobi on 4 June 2024.", "2024-06-05", "a.txt")
    undated = _raw("Kenya and Uganda signed a railway agreement in Nairobi on Tuesday, officials said.", None, "b.txt")
    corpus = extract_texts([dated, undated])
    docs = {d.source: d for d in corpus.documents}
    assert docs["b.txt"].published_source == "inferred"
    assert docs["b.txt"].published is not None and docs["b.txt"].published.start == date(2024, 6, 4)
    agree = [e for e in corpus.events if e.type == "AGREE"]
    assert len(agree) == 1 and len({m.doc for m in agree[0].mentions}) == 2


def test_background_mention_with_session_joins_and_dates_the_report() -> None:
    report = _raw("Senior officials of Egypt and Jordan on Tuesday co-chaired the 9th session of the Joint Higher "
                  "Committee in Amman.", None, "report.txt")
    later = _raw("In March 2024, the Egyptian premier visited Amman for the 9th session of the Egypt-Jordan Joint "
                 "Higher Committee.", "2024-10-02", "later.txt")
    corpus = extract_texts([report, later])
    docs = {d.source: d for d in corpus.documents}
    assert docs["report.txt"].published == DateRange.month(2024, 3)
    consult = [e for e in corpus.events if e.type == "CONSULT"]
    assert len(consult) == 1 and consult[0].date == DateRange.month(2024, 3)


def test_an_undated_report_fitting_two_episodes_is_left_undated() -> None:
    a = _raw("Peru and Ecuador held talks in Lima on 3 April 2024.", "2024-04-04", "a.txt")
    b = _raw("Peru and Ecuador held talks in Lima on 9 May 2024.", "2024-05-10", "b.txt")
    c = _raw("Peru and Ecuador held talks in Lima on Tuesday.", None, "c.txt")
    docs = {d.source: d for d in extract_texts([a, b, c]).documents}
    assert docs["c.txt"].published is None


def _docs(raws: list[RawDocument]) -> dict[str, object]:
    return {d.source: d for d in extract_texts(raws).documents}


# (articles, type, expected number of episodes of that type, expected documents linked in the largest)
EPISODE_CASES = [
    pytest.param([("Vietnam and Laos signed a border agreement in Hanoi on Tuesday.", "2024-09-12"),
                  ("Laos and Vietnam signed a border agreement in Hanoi on Tuesday, state media said.", "2024-09-11")],
                 "AGREE", 1, 2, id="same-episode-two-articles"),
    pytest.param([("Vietnam and Laos signed a border agreement in Hanoi on Tuesday.", "2024-09-12"),
                  ("Vietnam and Laos signed a border agreement in Hanoi on 2 February 2021.", "2024-09-12")],
                 "AGREE", 2, 1, id="other-dates-kept-apart"),
    pytest.param([("Norway and Sweden held talks in Oslo on Monday.", "2024-04-10"),
                  ("Norway and Sweden held talks in Stockholm on Monday.", "2024-04-10")],
                 "CONSULT", 2, 1, id="other-places-kept-apart"),
    pytest.param([("Kazakh President Aliya Bekova visited Tashkent on Monday and met Uzbek President Rustam Karimov.\n"
                   "In March 2021, Bekova held talks with Karimov in Astana.", "2024-06-05")],
                 "CONSULT", 2, 1, id="dated-background-not-absorbed"),
    pytest.param([("Ghana and Togo signed a border agreement in Lome on 3 June 2024.", "2024-06-04"),
                  ("Togo and Ghana signed a border agreement on 4 June 2024, officials said.", "2024-06-05")],
                 "AGREE", 1, 2, id="reports-a-day-apart-joined"),
    pytest.param([("Ghana and Togo signed a border agreement in Lome on 3 June 2024.", "2024-06-04"),
                  ("Togo and Ghana signed a border agreement on 5 June 2024, officials said.", "2024-06-06")],
                 "AGREE", 2, 1, id="two-days-apart-kept-apart"),
    pytest.param([("Kenya, Ethiopia and Somalia signed a water pact in Nairobi on 3 June 2024.", "2024-06-04"),
                  ("Ethiopia and Somalia signed a water pact on Monday, officials said.", None)],
                 "AGREE", 1, 2, id="undated-report-of-a-core-pair-joins-the-only-candidate"),
]


@pytest.mark.parametrize(("articles", "kind", "episodes", "linked"), EPISODE_CASES)
def test_episode_merging(articles: list[tuple[str, str | None]], kind: str, episodes: int, linked: int) -> None:
    corpus = extract_texts([_raw(text, pub, f"{i}.txt") for i, (text, pub) in enumerate(articles)])
    found = [e for e in corpus.events if e.type == kind]
    assert len(found) == episodes
    assert max(len({m.doc for m in e.mentions}) for e in found) == linked


# (articles, the undated article's source, its expected publication date or None)
DATING_CASES = [
    pytest.param([("Peruvian Foreign Minister Ana Salas and Bolivian Foreign Minister Luis Vera arrived in Bolivia "
                   "on 14 May 2024 for talks on the lithium corridor.", "2024-05-20"),
                  ("Peruvian Foreign Minister Ana Salas and Bolivian Foreign Minister Luis Vera held talks in La Paz "
                   "late on Tuesday night.", None)],
                 "1.txt", DateRange(date(2024, 5, 14), date(2024, 5, 20), "day"), id="shared-actors-weekday-week"),
    pytest.param([("Mali and Senegal signed a transit agreement in Dakar on 3 March 2023.", "2023-03-04"),
                  ("Mali and Senegal signed a transit agreement in Dakar today, officials said.", None)],
                 "1.txt", DateRange.day(date(2023, 3, 3)), id="today-is-the-day"),
    pytest.param([("Mali and Senegal signed a transit agreement in Dakar on 3 March 2023.", "2023-03-04"),
                  ("Mali and Senegal signed a transit pact, officials said.\nPresident Keita and President Sall, in "
                   "Dakar today, witnessed the signing of a transit agreement between Mali and Senegal.", None)],
                 "1.txt", DateRange.day(date(2023, 3, 3)), id="the-second-report-says-today-where-the-first-does-not"),
    pytest.param([("Mali and Senegal signed a transit agreement in Dakar on 3 March 2023.", "2023-03-04"),
                  ("Mali and Senegal have signed a transit agreement in Dakar, officials said.", None)],
                 "1.txt", DateRange.day(date(2023, 3, 3)), id="the-present-perfect-is-news-of-the-day"),
    pytest.param([("Fiji's Prime Minister Sione Rabuka met Tongan Prime Minister Ana Tupou in Suva on 8 May 2024.",
                   "2024-05-09"),
                  ("Tongan Prime Minister Ana Tupou has been welcomed in Suva by Fiji's Prime Minister Sione Rabuka "
                   "for talks on fisheries.", None)],
                 "1.txt", DateRange.day(date(2024, 5, 8)), id="welcomed-in-the-present-perfect"),
    pytest.param([("Ghana expelled two Togolese diplomats on 6 May 2024.", "2024-05-07"),
                  ("Ghana expelled two Togolese diplomats on Monday, the ministry said. They must leave by May 9.",
                   None)],
                 "1.txt", DateRange(date(2024, 5, 6), date(2024, 5, 9), "day"), id="a-deadline-to-come-bounds-it"),
    pytest.param([("The bridge between Croatia and Slovenia will open next year, with the first trains due in 2026.",
                   None)],
                 "0.txt", DateRange.year(2025), id="next-year-fixes-the-year"),
    pytest.param([("Chile and Peru will hold the next round of border talks in March 2025, after the first round, held "
                   "on 17 February in Lima. The talks follow the accord signed on 11 December 2024.", None)],
                 "0.txt", DateRange(date(2025, 2, 17), date(2025, 3, 31), "day"),
                 id="a-yearless-day-that-falls-once-between-the-bounds"),
    pytest.param([("Croatia and Slovenia opened a new bridge in 2019, and trade has grown since then.", None)],
                 "0.txt", None, id="proves-nothing"),
    pytest.param([("Ghana and Togo signed a trade agreement in Accra on 2 May 2024.", "2024-05-03"),
                  ("Ghana and Togo held talks in Lome on 4 May 2024.", "2024-05-05"),
                  ("Ghana and Togo signed a trade agreement in Accra on Thursday.\nGhana and Togo held talks in Lome "
                   "on Saturday.", None)],
                 "2.txt", DateRange(date(2024, 5, 4), date(2024, 5, 8), "day"), id="two-links-both-bound-the-day"),
    pytest.param([("Cargo across the Croatia-Slovenia bridge this year rose 12% from the same period in 2024.", None)],
                 "0.txt", DateRange.year(2025), id="year-on-year-comparison-fixes-the-year"),
    pytest.param([("Croatia and Slovenia signed a rail pact and promised to make the 2031 Adriatic Games the best "
                   "ever. The line will open in 2031.", None)],
                 "0.txt", None, id="a-year-in-a-name-proves-nothing"),
    pytest.param([("Chilean President Elena Rojas welcomed Peruvian President Tomas Vidal at La Moneda palace in "
                   "Santiago on 14 May 2024, opening a two-day state visit.\nVidal, accompanied by Peruvian Foreign "
                   "Minister Ana Soto, arrived earlier today at Santiago airport and was greeted by Chilean Foreign "
                   "Minister Luis Mora.", None)],
                 "0.txt", DateRange.day(date(2024, 5, 14)), id="the-lead-dates-news-of-today"),
    pytest.param([("Chilean President Elena Rojas met Peruvian President Tomas Vidal in Santiago today.\nRojas and "
                   "Vidal first met in Lima on 2 March 2023, when they signed a border agreement.", None)],
                 "0.txt", None, id="background-after-the-news-does-not-date-it"),
    pytest.param([("Kenya, Ethiopia and Somalia signed a water pact in Nairobi on 3 June 2024.", "2024-06-04"),
                  ("Ethiopia and Somalia signed a water pact on Monday, officials said.", None)],
                 "1.txt", DateRange(date(2024, 6, 3), date(2024, 6, 9), "day"), id="core-pair-by-elimination"),
    # Two links as strong as each other, on other days: the lead's "yesterday" is the news of the article, the
    # present perfect of a later paragraph a report of something said.
    # by elimination (no date of the other report's words), the weekday the report names picks its day out of the
    # other report's week
    pytest.param([("Chilean President Elena Rojas and Peruvian President Tomas Vidal held talks in Lima, officials "
                   "said.", "2024-05-18"),
                  ("Chilean President Elena Rojas and Peruvian President Tomas Vidal held talks in Lima on Thursday.",
                   None)],
                 "1.txt", DateRange(date(2024, 5, 16), date(2024, 5, 22), "day"), id="a-weekday-picks-its-day"),
    pytest.param([("Ghana and Togo held talks in Accra on 2 May 2024.", "2024-05-03"),
                  ("Ghana and Togo signed a trade agreement in Accra on 2 May 2024.", "2024-05-03"),
                  ("Ghana and Togo held talks in Accra yesterday.\nA Togolese daily reported that Ghana and Togo "
                   "have signed a trade agreement.", None)],
                 "2.txt", DateRange.day(date(2024, 5, 3)), id="the-lead-decides-between-equal-links"),
]


@pytest.mark.parametrize(("articles", "source", "expected"), DATING_CASES)
def test_publication_dates(articles: list[tuple[str, str | None]], source: str, expected: DateRange | None) -> None:
    docs = _docs([_raw(text, pub, f"{i}.txt") for i, (text, pub) in enumerate(articles)])
    assert docs[source].published == expected


def test_chain_dates_an_article_through_one_dated_by_inference() -> None:
    """c.txt is dated by b.txt, which only a.txt can date: the chain takes two rounds."""
    a = _raw("Ghanaian President Kofi Mensah and Nigerian President Ade Bello co-chaired the 7th session of the "
             "Ghana-Nigeria Joint Commission in Accra on 12 August 2024.", "2024-08-13", "a.txt")
    b = _raw("Ghanaian President Kofi Mensah and Nigerian President Ade Bello today co-chaired the 7th session of "
             "the Ghana-Nigeria Joint Commission in Accra. In July, Nigerian Trade Minister Musa Okoro and Ghanaian "
             "Trade Minister Ama Owusu arrived in Ghana for talks.", None, "b.txt")
    c = _raw("Nigerian Trade Minister Musa Okoro and Ghanaian Trade Minister Ama Owusu held talks in Accra late "
             "on Tuesday night.", None, "c.txt")
    docs = _docs([a, b, c])
    assert docs["b.txt"].published == DateRange.day(date(2024, 8, 12))
    assert docs["c.txt"].published == DateRange.month(2024, 7)


def test_a_link_on_two_shared_people_outranks_the_round_that_dated_the_article() -> None:
    """Round one links c.txt (one shared minister, same city) to the September sitting and dates it so; once
    b.txt is dated, its July visit shares both ministers with c.txt, and the stronger link must win."""
    a = _raw("In September 2024, Kenyan Trade Minister Peter Kamau visited Kampala for the 5th session of the "
             "Kenya-Uganda Joint Trade Commission.", "2024-12-02", "a.txt")
    b = _raw("The 5th session of the Kenya-Uganda Joint Trade Commission was co-chaired in Kampala on Tuesday by "
             "Kenyan Trade Minister Peter Kamau and Ugandan Trade Minister Ruth Akello.\n"
             "Kenyan Foreign Minister Grace Wanjiru and Kamau arrived in Uganda in July for talks with Ugandan "
             "leaders.", None, "b.txt")
    c = _raw("Kenyan Foreign Minister Grace Wanjiru and Kenyan Trade Minister Peter Kamau arrived in Kampala late on "
             "Tuesday night for talks with Ugandan leaders.", None, "c.txt")
    docs = _docs([a, b, c])
    assert docs["b.txt"].published == DateRange.month(2024, 9)
    assert docs["c.txt"].published == DateRange.month(2024, 7)


def test_an_article_dated_by_its_own_words_still_anchors_a_link_by_elimination() -> None:
    a = _raw("Chile and Peru signed a fisheries agreement in Lima on Tuesday.\nThe first joint patrols will start "
             "next year, with a review due in 2026.", None, "a.txt")
    b = _raw("Peru and Chile signed a fisheries agreement on Tuesday, officials said.", None, "b.txt")
    corpus = extract_texts([a, b])
    agree = [e for e in corpus.events if e.type == "AGREE"]
    assert len(agree) == 1 and len({m.doc for m in agree[0].mentions}) == 2
    docs = {d.source: d for d in corpus.documents}
    assert docs["a.txt"].published == DateRange.year(2025)
    assert docs["b.txt"].published is not None and docs["b.txt"].published.overlaps(DateRange.year(2025))


# (an undated article, the type of its news, the span its own dates prove for that news; None: nothing proves one)
UNDATED_CASES = [
    pytest.param("Croatia and Slovenia signed a rail agreement on Tuesday, their first since a border deal in "
                 "November 2023. The line will open in March 2024.", "AGREE", (date(2023, 11, 1), date(2024, 3, 31)),
                 id="between-a-past-and-a-future-month"),
    # Spans of years (up to today, or to a distant target) say nothing about when the news happened.
    pytest.param("Croatia and Slovenia signed a rail agreement on Tuesday, their first since a border deal in 2019.",
                 "AGREE", None, id="after-a-past-year-and-by-today-is-too-wide"),
    pytest.param("Croatia and Slovenia signed a rail agreement on Tuesday, their first since a border deal in 2019. "
                 "The line will open in 2031.", "AGREE", None, id="between-a-past-and-a-future-year-is-too-wide"),
    pytest.param("Croatia and Slovenia signed a rail agreement on Tuesday, officials said.", "AGREE", None,
                 id="nothing-bounds-it"),
    pytest.param("Croatia and Slovenia have long cooperated on rail. In 2019 they signed a border deal.",
                 "COOPERATE", None, id="background-stays-undated"),
]


@pytest.mark.parametrize(("text", "kind", "span"), UNDATED_CASES)
def test_news_of_an_undated_article_carries_what_its_own_dates_prove(
        text: str, kind: str, span: tuple[date, date | None] | None) -> None:
    corpus = extract_texts([_raw(text, None, "a.txt")])
    assert corpus.documents[0].published is None
    found = [e for e in corpus.events if e.type == kind]
    assert len(found) == 1
    expected = DateRange(span[0], span[1] or date.today(), "day") if span else None
    assert found[0].date == expected


def test_first_sitting_in_years_is_no_session_number() -> None:
    """'The first consultations since 2018' counts sittings in a span of time: it is no 1st session that would keep
    the report apart from the 16th session it is."""
    a = _raw("Norwegian Prime Minister Erik Lund arrived in Stockholm on 2 July 2024 for the first "
             "Norwegian-Swedish government consultations since 2018.", "2024-07-03", "a.txt")
    b = _raw("At the 16th Norwegian-Swedish government consultations in Stockholm on 2 July 2024, Prime Minister "
             "Erik Lund and Prime Minister Anna Berg discussed energy.", "2024-07-04", "b.txt")
    corpus = extract_texts([a, b])
    # the 2018 consultations the first report tells of are an episode of their own, of no sitting either
    consult = [e for e in corpus.events if e.type == "CONSULT" and e.date and e.date.start.year == 2024]
    assert len(consult) == 1, [(e.summary, e.attributes) for e in corpus.events]
    assert consult[0].attributes.get("session") == 16
    assert [e.attributes.get("session") for e in corpus.events if str(e.date) == "2018"] == [None]



# A date inferred in one round is narrowed or moved by a later round, never widened back (pipeline._widens).
WIDENS = [
    (DateRange(date(2023, 3, 4), date(2023, 3, 16), "day"), DateRange.day(date(2023, 3, 10)), True),
    (DateRange.day(date(2023, 3, 10)), DateRange(date(2023, 3, 4), date(2023, 3, 16), "day"), False),  # narrowed
    (DateRange(date(2023, 3, 11), date(2023, 3, 17), "day"), DateRange.day(date(2023, 3, 10)), False),  # moved
    (DateRange.day(date(2023, 3, 10)), None, False),  # the first date a round gives
]


@pytest.mark.parametrize(("new", "earlier", "widens"), WIDENS)
def test_a_later_round_does_not_widen_a_date_back(new: DateRange, earlier: DateRange | None, widens: bool) -> None:
    from pactwatch.pipeline import _widens

    assert _widens(new, earlier) is widens


@pytest.mark.parametrize(("sentence", "perfect"), [
    ("Mali and Senegal have signed a transit agreement.", True),
    ("The Tongan premier has been warmly welcomed in Suva.", True),
    ("Fiji and Tonga have met twice this year.", True),
    ("Ties have indeed been strong since 2019.", False),  # "indeed" ends in -ed and is no participle
    ("Mali and Senegal signed a transit agreement.", False),
])
def test_news_in_the_present_perfect(sentence: str, perfect: bool) -> None:
    from pactwatch.resolve.episodes import PERFECT

    assert bool(PERFECT.search(sentence)) is perfect


def test_undated_news_does_not_join_background_dated_to_a_month() -> None:
    """An article's undated news of the last days ("the talks on Monday") joins a group its words date only to a
    month ("finalised in August") on evidence, never as the one group left: that is background."""
    text = ("Chile and Peru held a meeting of their joint commission in August 2023.\n"
            "Chile and Peru held talks on trade, officials said.")
    consult = [e for e in extract_texts([_raw(text, None, "a.txt")]).events if e.type == "CONSULT"]
    assert sorted(str(e.date) for e in consult) == ["2023-08", "None"]


def test_a_visit_told_as_it_began_and_as_it_went_on_is_one_episode() -> None:
    """One report's week (the visit began, undated) and the day after it (talks on that day, in another report):
    one visit, as two days in a row are."""
    a = _raw("Chilean President Elena Rojas arrived in Lima for a four-day state visit to Peru.", "2024-09-05",
             "a.txt")
    b = _raw("Chilean President Elena Rojas and Peruvian President Tomas Vidal held talks in Lima on Friday.",
             "2024-09-07", "b.txt")
    consult = [e for e in extract_texts([a, b]).events if e.type == "CONSULT"]
    assert len(consult) == 1, [(e.date, e.summary) for e in consult]
    assert len({m.doc for m in consult[0].mentions}) == 2
