"""A small hand-made record for the dashboard tests: two country pairs, every record kind, known ids.

The texts are written for these tests. Records are saved with the store's
``save_corpus`` so the pages are tested against exact, known values.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pactwatch.models import (
    Actor,
    Cadence,
    Claim,
    Commitment,
    Corpus,
    DateRange,
    Document,
    Event,
    Extraction,
    Location,
    Mention,
    Role,
    Target,
)
from pactwatch.store import open_store

TEXTS = {
    "doc-ke-1": ("Kenya and Tanzania agree trade goal", "Harbour Daily", "2025-03-10",
                 "Kenya and Tanzania agreed in Nairobi on Monday to raise bilateral trade to $5 billion by 2027. "
                 "Trade Minister Amina Odhiambo met her Tanzanian counterpart Juma Mrisho. "
                 "The Kenya-Tanzania Joint Commission will meet twice a year. "
                 "Bilateral trade stood at $1.4 billion in 2024. "
                 "The two sides promised to open a one-stop border post at Namanga by June 2025."),
    "doc-ke-2": ("Joint commission meets in Arusha", "Coast Herald", "2025-09-02",
                 "The Kenya-Tanzania Joint Commission met in Arusha on Saturday, its first session this year. "
                 "Mr Mrisho said bilateral trade stood at $1.6 billion in 2024. "
                 "The opening of the Namanga border post was postponed indefinitely."),
    "doc-cl-1": ("Chile protests over fishing", "Andes Wire", "2025-05-20",
                 "Chile lodged a formal protest with Peru over fishing boats in disputed waters on Tuesday. "
                 "Peru rejected the complaint."),
}


def _m(doc: str, quote: str) -> Mention:
    text = TEXTS[doc][3]
    start = text.index(quote)
    return Mention(doc, start, start + len(quote), quote)


def _day(text: str) -> DateRange:
    return DateRange.day(date.fromisoformat(text))


def documents() -> list[Document]:
    return [Document(id=doc_id, text=text, source=f"{doc_id}.txt", title=title, outlet=outlet,
                     published=_day(published), published_source="given")
            for doc_id, (title, outlet, published, text) in TEXTS.items()]


def corpus() -> Corpus:
    actors = [
        Actor("act-odhiambo", "Amina Odhiambo", "person", ["KEN"], roles=[Role("Trade Minister", "KEN")],
              mentions=[_m("doc-ke-1", "Amina Odhiambo")]),
        Actor("act-mrisho", "Juma Mrisho", "person", ["TZA"], mentions=[_m("doc-ke-1", "Juma Mrisho")]),
        Actor("act-mr-mrisho", "Mr Mrisho", "person", ["TZA"], mentions=[_m("doc-ke-2", "Mr Mrisho")]),
        Actor("act-jc", "Kenya-Tanzania Joint Commission", "body", ["KEN", "TZA"],
              mentions=[_m("doc-ke-1", "Kenya-Tanzania Joint Commission"),
                        _m("doc-ke-2", "Kenya-Tanzania Joint Commission")]),
        Actor("act-ken", "Kenya", "country", ["KEN"], mentions=[_m("doc-ke-1", "Kenya")]),
    ]
    events = [
        Event("ev-agree", "AGREE", _day("2025-03-10"), ["KEN", "TZA"],
              [_m("doc-ke-1", "Kenya and Tanzania agreed in Nairobi on Monday")], mode="meeting",
              location=Location("Nairobi", "KEN"), actors=["act-odhiambo", "act-mrisho"], topics=["trade"],
              summary="Kenya and Tanzania agreed to raise bilateral trade."),
        Event("ev-meet", "CONSULT", _day("2025-03-10"), ["KEN", "TZA"],
              [_m("doc-ke-1", "Amina Odhiambo met her Tanzanian counterpart Juma Mrisho")], mode="meeting",
              actors=["act-odhiambo", "act-mrisho"], topics=["trade", "diplomacy"],
              summary="The trade ministers met in Nairobi."),
        Event("ev-jc", "CONSULT", _day("2025-08-30"), ["KEN", "TZA"],
              [_m("doc-ke-2", "The Kenya-Tanzania Joint Commission met in Arusha on Saturday")], mode="meeting",
              location=Location("Arusha", "TZA"), actors=["act-jc", "act-mr-mrisho"], topics=["diplomacy"],
              summary="The joint commission held its first session of the year."),
        Event("ev-protest", "PROTEST", _day("2025-05-20"), ["CHL", "PER"],
              [_m("doc-cl-1", "Chile lodged a formal protest with Peru")], topics=["maritime"],
              summary="Chile protested to Peru over fishing boats."),
    ]
    commitments = [
        Commitment("com-trade", "Raise bilateral trade to $5 billion by 2027.", "target", ["KEN", "TZA"],
                   [_m("doc-ke-1", "raise bilateral trade to $5 billion by 2027")], topics=["trade"],
                   made_on=_day("2025-03-10"), target=Target(5e9, "USD"), due=DateRange.year(2027), status="pending",
                   evidence=[_m("doc-ke-2", "bilateral trade stood at $1.6 billion in 2024")],
                   subject="bilateral trade",
                   attributes={"overdue": False, "progress": {"value": 1.6e9, "target": 5e9, "ratio": 0.32,
                                                              "claim": "clm-1-6"},
                               "judgment": "Pending: trade stood at $1.6 bn of the $5 bn target (Coast Herald)."}),
        Commitment("com-jc", "The joint commission will meet twice a year.", "recurring", ["KEN", "TZA"],
                   [_m("doc-ke-1", "The Kenya-Tanzania Joint Commission will meet twice a year")],
                   actors=["act-jc"], made_on=_day("2025-03-10"), cadence=Cadence(2), status="pending",
                   evidence=[_m("doc-ke-2", "The Kenya-Tanzania Joint Commission met in Arusha on Saturday")],
                   attributes={"cadence": {"expected": 2, "held": 1, "behind": True},
                               "judgment": "Behind: one session of two expected so far."}),
        Commitment("com-post", "Open a one-stop border post at Namanga by June 2025.", "action", ["KEN", "TZA"],
                   [_m("doc-ke-1", "open a one-stop border post at Namanga by June 2025")],
                   made_on=_day("2025-03-10"), due=DateRange.month(2025, 6), status="missed",
                   evidence=[_m("doc-ke-2", "The opening of the Namanga border post was postponed indefinitely")],
                   attributes={"judgment": "Missed: the opening was postponed (Coast Herald, 2025-09-02)."}),
        Commitment("com-late", "Sign a customs protocol by January 2025.", "action", ["KEN", "TZA"],
                   [_m("doc-ke-1", "The two sides promised")], due=DateRange.month(2025, 1), status="unknown",
                   attributes={"overdue": True}),
        Commitment("com-soon", "Hold a trade fair in Mombasa by December 2025.", "action", ["KEN", "TZA"],
                   [_m("doc-ke-1", "Kenya and Tanzania agreed")], due=DateRange.month(2025, 12), status="pending",
                   attributes={"overdue": False}),
    ]
    claims = [
        Claim("clm-1-4", "bilateral trade", 1.4e9, "USD", [_m("doc-ke-1", "Bilateral trade stood at $1.4 billion")],
              DateRange.year(2024), ["KEN", "TZA"], "conflicting"),
        Claim("clm-1-6", "bilateral trade", 1.6e9, "USD", [_m("doc-ke-2", "bilateral trade stood at $1.6 billion")],
              DateRange.year(2024), ["KEN", "TZA"], "conflicting"),
    ]
    return Corpus(documents=documents(), actors=actors, events=events, commitments=commitments, claims=claims)


def build_store(db: str | Path) -> str:
    """A store at ``db`` (a SQLite file or a postgresql:// URL) holding the documents above and their record."""
    store = open_store(db)
    try:
        for document in documents():
            store.add_document(document, Extraction(document.id))
        store.save_corpus(corpus())
    finally:
        store.close()
    return str(db)
