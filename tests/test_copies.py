"""Near-duplicate articles: found across the corpus, one witness for claims, one report of each episode."""

from __future__ import annotations

from datetime import date

from pactwatch.models import DateRange, Document, Event, Mention
from pactwatch.pipeline import extract_texts
from pactwatch.resolve.copies import find_copies
from pactwatch.resolve.episodes import merge_events
from pactwatch.sources import RawDocument

# A wire story about two states the sample corpora do not cover, written for these tests.
WIRE = (
    "Chile and Peru signed an agreement in Lima on 12 March 2024 to build a shared electricity line across the "
    "Atacama border region. Chilean Energy Minister Laura Fuentes and Peruvian Energy Minister Raul Castillo "
    "signed the deal after two days of talks at the Peruvian foreign ministry. The line will carry 600 megawatts "
    "and is expected to cost 450 million dollars, officials said. Fuentes told reporters the project would cut "
    "power prices in the northern provinces of both countries and help bring solar power from the desert to "
    "Peruvian cities. Castillo said the two governments would set up a joint committee to oversee the building "
    "work and report to both presidents every six months."
)
FURNITURE_TOP = "Home | World | Americas\nRegional news desk\n"
FURNITURE_BOTTOM = "\nRead more: Bolivia lithium exports rise\nShare this story on social media"
# The same episode told in other words by another outlet.
OTHER_REPORT = (
    "Peru and Chile agreed in Lima on 12 March 2024 to link their power grids. The electricity line through "
    "the Atacama will cost about 450 million dollars according to the energy ministers of the two neighbours, "
    "who met for two days. Critics in Arequipa asked who will pay for the towers and whether local "
    "communities were consulted before the route was drawn, while business groups in Santiago welcomed "
    "a deal they have sought for a decade."
)


def _doc(doc_id: str, text: str, published: str | None = None) -> Document:
    return Document(id=doc_id, text=text, source=f"{doc_id}.txt",
                    published=DateRange.day(date.fromisoformat(published)) if published else None)


def test_a_reprint_with_other_furniture_and_a_cut_is_a_copy_of_the_earlier_article() -> None:
    original = _doc("a", WIRE, "2024-03-12")
    reprint = _doc("b", FURNITURE_TOP + WIRE[:len(WIRE) * 3 // 4] + FURNITURE_BOTTOM, "2024-03-14")
    assert find_copies([reprint, original]) == {"b": "a"}


def test_an_undated_copy_points_to_the_dated_original_and_three_copies_to_one() -> None:
    docs = [_doc("x", WIRE), _doc("y", FURNITURE_TOP + WIRE, "2024-03-13"), _doc("z", WIRE + FURNITURE_BOTTOM)]
    assert find_copies(docs) == {"x": "y", "z": "y"}


def test_reports_of_one_episode_in_other_words_are_no_copies() -> None:
    assert find_copies([_doc("a", WIRE, "2024-03-12"), _doc("b", OTHER_REPORT, "2024-03-12")]) == {}


def test_a_short_shared_phrase_is_no_copy() -> None:
    line = "Chile and Peru signed an agreement in Lima on 12 March 2024."
    assert find_copies([_doc("a", line), _doc("b", line)]) == {}


def _raw(text: str, published: str | None, outlet: str, source: str) -> RawDocument:
    return RawDocument(text=text, source=source, published=published, outlet=outlet)


def test_a_copy_is_no_second_outlet_for_a_claim() -> None:
    corpus = extract_texts([_raw(WIRE, "2024-03-12", "Andes Wire", "a.txt"),
                            _raw(FURNITURE_TOP + WIRE, "2024-03-12", "Pacific Daily", "b.txt")])
    cost = [c for c in corpus.claims if c.value == 450_000_000]
    assert len(cost) == 1 and len({m.doc for m in cost[0].mentions}) == 2
    assert cost[0].corroboration == "single_source"
    docs = {d.source: d.id for d in corpus.documents}
    assert [set(link) for link in cost[0].attributes["copy_of"].items()] == [set(docs.values())]


def test_an_independent_report_still_corroborates() -> None:
    corpus = extract_texts([_raw(WIRE, "2024-03-12", "Andes Wire", "a.txt"),
                            _raw(FURNITURE_TOP + WIRE, "2024-03-12", "Pacific Daily", "b.txt"),
                            _raw(OTHER_REPORT, "2024-03-13", "Lima Herald", "c.txt")])
    cost = [c for c in corpus.claims if c.value == 450_000_000]
    assert len(cost) == 1 and cost[0].corroboration == "corroborated"


def test_a_late_reprint_reports_the_originals_episode() -> None:
    """A reprint a week later says "on Tuesday" of the original's Tuesday: its events are the original's."""
    story = ("Chilean President Elena Rojas met Peruvian President Tomas Vidal in Lima on Tuesday to discuss the "
             "electricity line across the Atacama border region. The two leaders held talks for three hours at the "
             "presidential palace and agreed that their energy ministers would meet again in the spring. Rojas "
             "told reporters the project would cut power prices in the northern provinces of both countries and "
             "bring solar power from the desert to Peruvian cities, while Vidal said the route would avoid "
             "protected wetlands and farming valleys in the south of his country.")
    corpus = extract_texts([_raw(story, "2024-03-13", "Andes Wire", "a.txt"),
                            _raw(FURNITURE_TOP + story, "2024-03-20", "Pacific Daily", "b.txt")])
    consult = [e for e in corpus.events if e.type == "CONSULT"]
    assert len(consult) == 1
    assert len({m.doc for m in consult[0].mentions}) == 2
    assert consult[0].date == DateRange.day(date(2024, 3, 12))


def test_a_sentence_a_copy_repeats_is_read_as_in_the_original() -> None:
    """The copy's own furniture moved its main pair: the sentence it shares with the original is still one report."""
    sentence = "The two sides held talks on the electricity line across the Atacama border region."
    docs = {"a": _doc("a", WIRE, "2024-03-12"), "b": _doc("b", WIRE, "2024-03-19")}

    def event(doc: str, countries: list[str], day: int) -> Event:
        return Event(id=f"{doc}:e1", type="CONSULT", date=DateRange.day(date(2024, 3, day)), countries=countries,
                     mentions=[Mention(doc, 0, len(sentence), sentence)], attributes={"date_source": "relative"})

    episodes, ids = merge_events([event("a", ["CHL", "PER"], 11), event("b", ["BOL", "BRA"], 18)], docs, {"b": "a"})
    assert len(episodes) == 1 and set(ids.values()) == {episodes[0].id}
    assert episodes[0].countries == ["CHL", "PER"] and episodes[0].date == DateRange.day(date(2024, 3, 11))
    assert episodes[0].attributes["copy_of"] == {"b": "a"}
    apart, _ = merge_events([event("a", ["CHL", "PER"], 11), event("b", ["BOL", "BRA"], 18)], docs)
    assert len(apart) == 2
