"""The cheap pass before the parser (extract/prefilter.py): which sentences it keeps, which it blanks, and
that blanking changes no record. Sentences written for these tests, about Norway, Iceland, Uruguay and
Paraguay."""

from __future__ import annotations

from functools import partial

import pytest
from spacy.tokens import Doc

from pactwatch import nlp, pipeline
from pactwatch.extract import prefilter
from pactwatch.extract.events import lexicon

TITLE = "Norway and Iceland agree on fisheries\n\n"


def kept(body: str, title: str = TITLE) -> list[str]:
    """The sentences of ``body`` (after a title line) that the parser will see."""
    text = title + body
    return [text[s:e].strip() for s, e in prefilter.keep_spans(text) if s >= len(title)]


@pytest.mark.parametrize("sentence", [
    "Oslo sent a note on Monday.",  # a capital
    "The Icelandic side was pleased.",  # a demonym
    "Catches fell by 12% last year.",  # a figure in digits
    "Catches fell by a third, to about three hundred boats.",  # a figure in words
    "The foreign minister was pleased.",  # a title
    "The joint commission sat late.",  # a standing body
    "The two delegations met in the afternoon.",  # an irregular form of a trigger (meet)
    "The ministers are signing the text today.",  # a regular form of a trigger
    "They condemned the raids.",
    "The quota will rise after the review.",  # a future word, in a text about two states
    "The talks must resume soon, the spokesman said.",
    "Both sides were pleased.",  # the "both sides" cue of the document context
])
def test_sentences_that_can_yield_a_record_are_kept(sentence: str) -> None:
    assert kept(f"The weather was mild. {sentence} The hotel was quiet.") == [sentence]


@pytest.mark.parametrize("sentence", [
    "The weather was mild and the evening quiet.",
    "It was a long afternoon of speeches about the sea.",
    "Mr Haraldsson smiled at the cameras.",  # a person with no title and no state: no record depends on it
])
def test_sentences_with_nothing_to_extract_are_blanked(sentence: str) -> None:
    assert kept(sentence) == []


def test_event_and_pledge_words_count_only_where_states_are_named() -> None:
    # No country at all: a band that "met" fans and "will" tour yields no event and no pledge.
    band = "Band tours again\n\nThe band met friends after the show. It will tour again in spring."
    assert kept(band, "") == ["Band tours again"]
    # One country: events can be drawn (one party suffices), pledges cannot (a state pledges to another).
    one = "Uruguay holds a vote\n\nThe president met the unions. The vote will take place later."
    assert kept(one, "")[1:] == ["The president met the unions."]
    # Two: both are cues.
    two = "Uruguay and Paraguay sign a deal\n\nThe ministers met at noon. The bridge will open later."
    assert kept(two, "")[1:] == ["The ministers met at noon.", "The bridge will open later."]


def test_abbreviations_do_not_cut_a_sentence() -> None:
    body = "The U.S. Navy watched as the two fleets met. The sea was calm."
    assert kept(body) == ["The U.S. Navy watched as the two fleets met."]
    body = "As history shows, i.e. Norway in 1905, crews will go north. The sea was calm."
    assert kept(body) == ["As history shows, i.e. Norway in 1905, crews will go north."]


def test_the_parser_text_keeps_every_offset() -> None:
    text = TITLE + "The weather was mild.\tNorway sent\u00a0two ships.\n\nIt rained all day.  \nThe end."
    masked = prefilter.parser_text(text)
    assert len(masked) == len(text)
    assert [i for i, c in enumerate(masked) if c.isspace()] != []
    for i, (a, b) in enumerate(zip(text, masked, strict=True)):
        assert b == a or (b == " " and not a.isspace()), i  # white space as it was, the rest kept or blanked
    start = text.index("Norway sent")
    assert masked[start:start + len("Norway sent\u00a0two ships.")] == "Norway sent\u00a0two ships."
    assert masked[:len(TITLE)] == TITLE
    assert "weather" not in masked and "rained" not in masked


def test_every_trigger_of_the_event_lexicon_is_a_cue() -> None:
    """A new row of data/event_lexicon.tsv widens the pass by itself: each lemma and its forms are cues, those
    whose every rule needs a word of a set (an object, a modifier ...) where one of those words stands."""
    conditional = blanked = 0
    for lemma in (*lexicon().verbs, *lexicon().nouns):
        for form in prefilter.all_forms(lemma):
            needs = prefilter._trigger_forms()[form]
            if needs is None:
                assert kept(f"Then they {form} it.") == [f"Then they {form} it."], form
                continue
            word = min(needs)
            assert kept(f"Then they {form} the {word}.") == [f"Then they {form} the {word}."], form
            conditional += 1
            blanked += kept(f"Then they {form} it.") == []  # unless a cue of its own (a title, a pledge's word)
    assert blanked > conditional * 0.9 > 100


@pytest.mark.parametrize(("sentence", "keep"), [
    ("The two navies held war games off the coast.", True),  # "game" needs "war"
    ("The children played games on the beach.", False),
    ("They ended the talks in May.", True),
    ("The concert ended late.", False),  # "end" needs talks, ties, aid ...
    ("The festival reopened its doors.", False),
    ("The crossing was reopened after the storm.", True),  # "reopen" takes a border word
])
def test_a_trigger_that_needs_a_word_counts_only_beside_it(sentence: str, keep: bool) -> None:
    assert kept(f"The weather was mild. {sentence}") == ([sentence] if keep else [])


ARTICLE = """Norway and Iceland sign fisheries pact

REYKJAVIK, March 4 - Norway and Iceland signed an agreement on Tuesday to share the mackerel quota, the
Icelandic foreign ministry said. The weather in the harbour was grey and cold. Fishing crews watched from
the quay as the ceremony began. Norwegian Fisheries Minister Kari Dahl said the deal would double joint
patrols to 40 a year. The crowd stood in silence. Iceland landed 850,000 tonnes of mackerel last year.

The two countries will hold a joint commission meeting in Oslo in May. Nobody expected a quick result.
Children played games on the quay.
"""


def test_blanking_changes_no_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """The records drawn with the pass and with the parser given every sentence are the same."""
    with_pass = pipeline.extract_text(ARTICLE, "2025-03-05")
    masked = prefilter.parser_text(ARTICLE)
    assert "grey and cold" not in masked and "silence" not in masked  # something was blanked
    assert "played games" not in masked  # a trigger without the word its rule needs ("war" games)
    monkeypatch.setattr(prefilter, "parser_parts", partial(prefilter.parser_parts, blank=False))
    whole = pipeline.extract_text(ARTICLE, "2025-03-05")
    assert with_pass.events and with_pass.claims and with_pass.commitments
    assert with_pass.to_exchange() == whole.to_exchange()


PAGE = ("In recent weeks, Chile and Peru have quarrelled over fishing rights in the border waters.\n"
        "- Weather: storms expected over the weekend\n"
        "Keep Reading\n"
        "Last October, Chile rejected Peru's request to extend the joint patrols.\n")
WRAPPED = ("Last October, Chile rejected a request from\nPeru to extend the joint patrols, and the two\n"
           "sides agreed to meet again in spring.\n")


def test_a_page_line_without_a_full_stop_is_parsed_apart() -> None:
    """A page's lines are its paragraphs: a link list's item or "Keep Reading" never runs into the news after it,
    where the parser, given them together, makes one sentence of them."""
    assert prefilter.one_paragraph_a_line(PAGE) and not prefilter.one_paragraph_a_line(WRAPPED)
    parts = prefilter.parser_parts(PAGE, blank=False)
    assert "".join(parts) == PAGE
    assert parts[0] == "In recent weeks, Chile and Peru have quarrelled over fishing rights in the border waters.\n"
    assert parts[-1] == "Last October, Chile rejected Peru's request to extend the joint patrols.\n"
    events = pipeline.extract_text(PAGE, "2025-03-05").events
    assert [(e.type, str(e.date)) for e in events if e.type == "REJECT"] == [("REJECT", "2024-10")]
    assert prefilter.parser_parts(WRAPPED, blank=False) == [WRAPPED]  # a wrapped line's end is no paragraph's


@pytest.mark.parametrize("blank", [" ", "\n", "   \n\n  \t ", "  \n \n\t  \n"])
def test_white_space_is_marked_as_the_model_marks_it(blank: str) -> None:
    """A blanked stretch is never given to the model (nlp._white_space), and reads as if it had been."""
    def marks(doc: Doc) -> list[tuple[object, ...]]:
        return [(t.text, t.whitespace_, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.is_sent_start)
                for t in doc]

    assert marks(nlp._white_space(blank)) == marks(nlp.load()(blank))
    joined = next(nlp.parse_many([["Norway sent aid. ", blank, "Iceland agreed."]]))
    assert joined.text == "Norway sent aid. " + blank + "Iceland agreed."
    assert [s.text for s in joined.sents if s.text.strip()] == ["Norway sent aid.", "Iceland agreed."]
