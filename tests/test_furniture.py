"""Page furniture: found once per document, marked as spans of the unchanged text, and read by every extractor."""

from __future__ import annotations

from pactwatch.extract import extract_document
from pactwatch.extract.parsed import ParsedDocument

PAGE = """Home | World | Americas | Opinion

Chile and Peru agree to reopen border crossing

By Lucia Fernandez
Updated: 14 March 2025, 09:12 AM
3 min read

Chilean Foreign Minister Andres Molina met his Peruvian counterpart Rosa Quispe in Lima on Thursday.
(Photo: Andes Wire/Pool)

The two ministers agreed to reopen the Chacalluta crossing to trucks from April, Molina said.

Related Stories
Bolivia hails Paraguay deal on river transport
Uruguay sends 40 trucks of aid to Argentina
Ecuador recalls envoy from Colombia after dispute

Share on Facebook
"""


def _furniture(parsed: ParsedDocument) -> list[str]:
    return [parsed.document.text[s:e] for s, e in parsed.context.furniture]


def _marked(parsed: ParsedDocument, line: str) -> bool:
    start = parsed.document.text.index(line)
    return parsed.context.in_furniture(start, start + len(line))


def test_furniture_lines_are_spans_of_the_unchanged_text(parse) -> None:  # type: ignore[no-untyped-def]
    parsed = parse(PAGE, "2025-03-14")
    for line in ("Home | World | Americas | Opinion", "By Lucia Fernandez", "Updated: 14 March 2025, 09:12 AM",
                 "3 min read", "(Photo: Andes Wire/Pool)", "Related Stories",
                 "Bolivia hails Paraguay deal on river transport", "Uruguay sends 40 trucks of aid to Argentina",
                 "Ecuador recalls envoy from Colombia after dispute", "Share on Facebook"):
        assert _marked(parsed, line), (line, _furniture(parsed))
    assert parsed.document.text == PAGE  # marked, never rewritten
    content = ("Chile and Peru agree to reopen border crossing", "Chilean Foreign Minister Andres Molina",
               "The two ministers agreed to reopen")
    for words in content:
        assert not _marked(parsed, words), words


def test_furniture_yields_no_records(parse) -> None:  # type: ignore[no-untyped-def]
    parsed = parse(PAGE, "2025-03-14")
    extraction = extract_document(parsed.document, parsed.doc)
    people = {a.name for a in extraction.actors if a.kind == "person"}
    assert {"Andres Molina", "Rosa Quispe"} <= people
    assert "Lucia Fernandez" not in people  # the byline
    countries = {c for a in extraction.actors if a.kind == "country" for c in a.countries}
    assert not countries & {"BOL", "PRY", "URY", "ECU", "COL"}  # only in other stories' headlines
    assert not [k for k in extraction.claims if k.value == 40]
    assert not [e for e in extraction.events if {"URY", "ARG"} <= set(e.countries)]
    assert any({"CHL", "PER"} <= set(e.countries) for e in extraction.events)


# (text, a line that stays content): one short line is a subheading; bullets that are sentences are the report
CONTENT_CASES = [
    ("Norway and Finland sign energy pact\n\nWhat was agreed\n\nThe two governments signed a pact on grid links "
     "on Monday, officials in Oslo said.\n", "What was agreed"),
    ("Ghana and Togo hold talks\n\n- Ghana will supply 200 megawatts of power to Togo from June.\n"
     "- Togo will open two new customs posts on the border.\n- Both sides will meet again in Accra in May.\n",
     "Ghana will supply 200 megawatts of power to Togo from June."),
    ("Kenya and Tanzania ministers meet in Arusha\nThe ministers of Kenya and Tanzania met in Arusha on Friday "
     "to discuss cross-border trade.\n", "Kenya and Tanzania ministers meet in Arusha"),
    ("Photographs released by the ministry showed the Vietnamese and Lao leaders at the dam site.\n",
     "Photographs released by the ministry"),
]


def test_report_lines_are_no_furniture(parse) -> None:  # type: ignore[no-untyped-def]
    for text, line in CONTENT_CASES:
        parsed = parse(text, "2025-03-14")
        assert not _marked(parsed, line), (line, _furniture(parsed))


def test_a_widget_after_a_sentence_takes_only_itself(parse) -> None:  # type: ignore[no-untyped-def]
    text = ("Indonesia will train 1,200 nurses from Timor-Leste this year, the ministry said. Presidential News Desk\n"
            "\nThe programme was agreed in Dili.\n")
    parsed = parse(text, "2025-03-14")
    assert _furniture(parsed) == ["Presidential News Desk"]
    extraction = extract_document(parsed.document, parsed.doc)
    assert [k.value for k in extraction.claims if k.value == 1200]


def test_headline_lists_after_a_label_and_in_runs(parse) -> None:  # type: ignore[no-untyped-def]
    text = ("Malaysia and Thailand open rail link\n\nThe leaders of Malaysia and Thailand opened the rail link on "
            "Tuesday in Padang Besar.\n\nAlso read:\nSingapore praises Brunei on haze plan\n\n"
            "The line will carry 30 trains a day.\n\n"
            "Laos hosts Cambodia summit\nWhy Myanmar closed its border posts?\nPhilippines signs rice deal with "
            "Vietnam\n")
    parsed = parse(text, "2025-03-14")
    for line in ("Singapore praises Brunei on haze plan", "Laos hosts Cambodia summit",
                 "Why Myanmar closed its border posts?", "Philippines signs rice deal with Vietnam"):
        assert _marked(parsed, line), (line, _furniture(parsed))
    assert not _marked(parsed, "The line will carry 30 trains a day.")
    assert not _marked(parsed, "Malaysia and Thailand open rail link")


def test_a_label_and_its_headline_run_into_a_sentence_take_only_themselves(parse) -> None:  # type: ignore[no-untyped-def]
    text = ("Ghana and Togo held talks in Accra on Monday.\n\nALSO READ | Ecuador Recalls Envoy From Colombia As "
            "Border Row Deepens The talks ended with a pledge to reopen the border, Ghana said.\n")
    parsed = parse(text, "2025-03-14")
    assert _furniture(parsed) == ["ALSO READ | Ecuador Recalls Envoy From Colombia As Border Row Deepens"]
    extraction = extract_document(parsed.document, parsed.doc)
    assert not [e for e in extraction.events if {"ECU", "COL"} <= set(e.countries)]
    # a label before a sentence in sentence case takes only itself
    parsed = parse("ALSO READ | Ghana and Togo held talks in Accra on Monday, and the two ministers agreed to "
                   "reopen the border crossing at Aflao to trucks from April, officials said.\n", "2025-03-14")
    assert _furniture(parsed) == ["ALSO READ |"]
