"""Episodes across articles and publication dates inferred from them, with the real extractors."""

from __future__ import annotations

from datetime import date

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
