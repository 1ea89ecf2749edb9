"""The list pages' query layer (web/tables.py), the charts' axis and counts (web/svg.py), record-page wording.

Rows here are small hand-made records about country pairs of their own.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

import pytest

from pactwatch.models import DateRange, Event, Mention, Role
from pactwatch.web import tables
from pactwatch.web.recordpage import cadence_text, role_sentence, sentence_around
from pactwatch.web.svg import axis_ticks, claims_svg, monthly_tone, timeline_svg


@dataclass
class Row:
    id: str
    name: str
    countries: list[str]
    kind: str
    count: int | None
    when: DateRange | None = None
    topics: list[str] = field(default_factory=list)


def day(text: str) -> DateRange:
    return DateRange.day(date.fromisoformat(text))


ROWS = [
    Row("a", "Fisheries accord", ["ISL", "NOR"], "agree", 3, day("2024-02-01"), ["fisheries"]),
    Row("b", "Ferry talks", ["EST", "FIN"], "consult", 7, day("2024-05-10"), ["transport"]),
    Row("c", "Border survey", ["EST", "LVA"], "consult", None, None, ["border"]),
    Row("d", "Grid link study", ["EST", "FIN"], "agree", 1, DateRange(date(2024, 1, 1), date(2024, 12, 31), "year"),
        ["energy", "transport"]),
    Row("e", "Salmon quota dispute", ["ISL", "NOR"], "protest", 5, day("2023-09-30"), ["fisheries"]),
]

TABLE: tables.Table[Row] = tables.Table(
    name="rows",
    columns=(tables.Column("name", "Name", lambda r: r.name, style="link"),
             tables.Column("count", "Count", lambda r: r.count, style="number"),
             tables.Column("topics", "Topics", lambda r: r.topics, style="tags")),
    facets=(tables.Facet("country", "Country", lambda r: r.countries),
            tables.Facet("kind", "Kind", lambda r: [r.kind]),
            tables.Facet("topic", "Topic", lambda r: r.topics)),
    default_sort="name",
    text=lambda r: r.name,
    dates=lambda r: r.when,
    url=lambda r: f"/rows/{r.id}",
)


def run(**params: str) -> tables.Result[Row]:
    return tables.query(TABLE, tables.prepare(TABLE, ROWS), tables.parse_view(TABLE, params))


def ids(rows: list[Row]) -> list[str]:
    return [r.id for r in rows]


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ["c", "b", "a", "d", "e"]),  # by name
    ({"country": "EST"}, ["c", "b", "d"]),
    ({"country": "EST", "kind": "agree"}, ["d"]),
    ({"topic": "transport", "sort": "-count"}, ["b", "d"]),
    ({"q": "QUOTA salmon"}, ["e"]),  # every word, any case
    ({"start": "2024-03-01"}, ["b", "d"]),  # overlapping the range; an undated row is in no range
    ({"start": "2024-01-01", "end": "2024-02-15"}, ["a", "d"]),
    ({"kind": "surrender"}, []),
])
def test_filters(params: dict[str, str], expected: list[str]) -> None:
    assert ids(run(**params).everything) == expected


def test_rows_with_nothing_to_sort_by_come_last_either_way() -> None:
    assert ids(run(sort="count").everything) == ["d", "a", "e", "b", "c"]
    assert ids(run(sort="-count").everything) == ["b", "e", "a", "d", "c"]


def test_facet_counts_say_what_choosing_each_value_would_give() -> None:
    result = run(country="EST", kind="consult")
    facets = {f["key"]: {o["value"]: o["count"] for o in f["options"]} for f in result.facets}
    # Each facet is counted under every other filter but its own.
    assert facets["country"] == {"EST": 2, "FIN": 1, "LVA": 1}
    assert facets["kind"] == {"consult": 2, "agree": 1}
    assert facets["topic"] == {"transport": 1, "border": 1}
    for facet in result.facets:  # choosing a value gives exactly the count shown
        for option in facet["options"]:
            chosen = run(**{**result.view.filters, facet["key"]: option["value"]})
            assert chosen.total == option["count"], (facet["key"], option)


@pytest.mark.parametrize("params", [{"q": "s", "start": "2024-01-01"}, {"q": "s", "country": "EST"},
                                    {"end": "2024-06-30", "topic": "transport", "kind": "agree"}])
def test_facet_counts_hold_under_words_and_dates_too(params: dict[str, str]) -> None:
    result = run(**params)
    for facet in result.facets:
        for option in facet["options"]:
            assert run(**{**params, facet["key"]: option["value"]}).total == option["count"], (facet["key"], option)
    assert result.total == len(run(**params, sort="-count").everything)  # every sort keeps the same rows


def test_a_chosen_value_that_matches_nothing_is_still_offered() -> None:
    kinds = next(f for f in run(kind="surrender").facets if f["key"] == "kind")
    assert {"value": "surrender", "name": "surrender", "count": 0} in kinds["options"]
    assert kinds["selected"] == "surrender"


def test_paging_and_links_keep_the_view() -> None:
    prepared = tables.prepare(TABLE, ROWS * 30)  # 150 rows
    view = tables.parse_view(TABLE, {"country": "EST", "per": "25", "page": "2", "sort": "-count"})
    result = tables.query(TABLE, prepared, view)
    assert (result.total, result.pages, len(result.rows)) == (90, 4, 25)
    assert result.rows == result.everything[25:50]
    context = tables.table_context(TABLE, result, "/rows", lambda r: {"id": r.id}, "/download/rows")
    assert context["prev_url"] == "/rows?country=EST&sort=-count&per=25"  # page 1 is the default: left out
    assert context["next_url"] == "/rows?country=EST&sort=-count&page=3&per=25"
    assert context["csv_url"] == "/download/rows.csv?country=EST&sort=-count"  # every page of the view
    assert (context["first"], context["last"]) == (26, 50)
    name = next(c for c in context["columns"] if c["key"] == "name")
    count = next(c for c in context["columns"] if c["key"] == "count")
    assert count["sorted"] == "desc" and name["sorted"] is None
    assert count["sort_url"] == "/rows?country=EST&sort=count&per=25"  # the other way, from page 1
    assert name["sort_url"] == "/rows?country=EST&per=25"  # the table's own order needs no parameter
    assert context["rows"][0]["page_url"] == "/rows/b"
    past_the_end = tables.query(TABLE, prepared, tables.parse_view(TABLE, {"page": "99"}))
    assert past_the_end.rows == past_the_end.everything[100:150]  # the last page


@pytest.mark.parametrize(("params", "message"), [
    ({"sort": "colour"}, "sort must be one of: name, count, topics"),
    ({"page": "0"}, "page must be 1 or more"),
    ({"page": "two"}, "page and per must be whole numbers"),
    ({"per": "7"}, "per must be one of 25, 50, 100, 200"),
    ({"start": "2024-13-01"}, "start must be a date like 2025-03-14"),
    ({"end": "20240101"}, "end must be a date like 2025-03-14"),
])
def test_a_view_it_cannot_mean_is_one_line(params: dict[str, str], message: str) -> None:
    with pytest.raises(tables.ViewError) as info:
        tables.parse_view(TABLE, params)
    assert str(info.value).startswith(message)


def test_the_download_holds_the_views_rows_in_its_order() -> None:
    result = run(country="EST", sort="-count")
    rows = list(csv.DictReader(io.StringIO(tables.to_csv(TABLE, result.everything))))
    assert [r["page"] for r in rows] == ["/rows/b", "/rows/d", "/rows/c"]
    assert rows[1] == {"name": "Grid link study", "count": "1", "topics": "energy; transport", "page": "/rows/d"}
    assert rows[2]["count"] == ""
    assert tables.flat_rows(TABLE, result.everything[:1]) == [
        {"name": "Ferry talks", "count": 7, "topics": ["transport"], "page": "/rows/b"}]


@pytest.mark.parametrize(("first", "last", "labels"), [
    (date(1931, 3, 1), date(2026, 5, 1), ["1940", "1960", "1980", "2000", "2020"]),
    (date(2019, 6, 1), date(2026, 2, 1), ["2020", "2022", "2024", "2026"]),  # seven years would not fit
    (date(2025, 1, 5), date(2025, 6, 1), ["2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]),
    (date(2025, 3, 3), date(2025, 3, 20), ["2025-03-03"]),
])
def test_the_time_axis_thins_its_labels(first: date, last: date, labels: list[str]) -> None:
    ticks, fmt = axis_ticks(first, last, 400)  # room for six labels
    assert [t.strftime(fmt) for t in ticks] == labels


def _event(event_id: str, type_: str, when: DateRange | None, countries: list[str]) -> Event:
    return Event(event_id, type_, when, countries, [Mention("d", 0, 1, "x")], summary=f"{type_} {event_id}")


def test_monthly_tone_counts_cooperation_and_conflict_and_leaves_vague_dates_out() -> None:
    events = [_event("1", "CONSULT", day("2024-03-02"), ["FIN", "EST"]),
              _event("2", "AGREE", DateRange(date(2024, 3, 1), date(2024, 3, 31), "month"), ["EST", "FIN"]),
              _event("3", "ACCUSE", day("2024-03-20"), ["EST", "FIN"]),
              _event("4", "PROTEST", day("2024-04-01"), ["ISL", "NOR"]),
              _event("5", "AGREE", DateRange(date(2024, 1, 1), date(2024, 3, 31), "quarter"), ["EST", "FIN"]),
              _event("6", "AGREE", None, ["EST", "FIN"])]
    counts, vague = monthly_tone(events, None)
    march = 2024 * 12 + 2
    assert dict(counts["EST-FIN"]) == {(march, "coop"): 2, (march, "conf"): 1}
    assert dict(counts["ISL-NOR"]) == {(march + 1, "conf"): 1}
    assert vague == 1  # a quarter belongs to no one month; the undated event is not counted at all
    only, _ = monthly_tone(events, "ISL-NOR")
    assert list(only) == ["ISL-NOR"]


def test_the_timeline_draws_dated_events_only_with_their_precision_and_a_legend() -> None:
    events = [{"type": "AGREE", "date": {"start": "2024-01-01", "end": "2024-12-31", "precision": "year"},
               "label": "AGREE 2024", "summary": "<b>grid</b>", "url": "/records/event/y", "date_inferred": True},
              {"type": "ACCUSE", "date": {"start": "2024-05-02", "end": "2024-05-02", "precision": "day"},
               "label": "ACCUSE", "summary": "", "url": "/records/event/d"},
              {"type": "AGREE", "date": None, "label": "AGREE", "summary": "", "url": "/records/event/u"}]
    svg = timeline_svg(events)
    assert svg.count("<a href=") == 2 and "/records/event/u" not in svg
    assert 'class="mark coop approx inferred"' in svg and 'fill="url(#approx)"' in svg
    assert 'class="mark conf"' in svg
    assert "&lt;b&gt;grid&lt;/b&gt;" in svg and "<b>" not in svg
    assert '<g class="legend"' in svg and "month, quarter or year only" in svg and "date inferred" in svg


def test_claims_draw_a_dot_per_source_and_a_range_as_a_bar() -> None:
    def claim(claim_id: str, value: float, docs: list[str], high: float | None = None) -> dict[str, object]:
        return {"url": f"/records/claim/{claim_id}", "value": value, "high": high, "value_text": f"{value:g} t",
                "corroboration": "single_source", "mentions": [{"doc": d} for d in docs]}

    svg = claims_svg([{"subject": "cod catch", "period": "2024", "claims": [
        claim("one", 120, ["x", "y"]), claim("two", 120, ["z"]), claim("span", 100, ["w"], high=140)]}])
    assert svg.count('<circle class="dot') == 3  # two sources for one claim, one for the other
    assert svg.count('<rect class="range') == 1
    assert len({part.split('cy="')[1].split('"')[0] for part in svg.split("<circle")[1:]}) == 3  # stacked, apart
    assert '<g class="legend"' in svg


def test_record_pages_speak_in_sentences() -> None:
    assert role_sentence("Kaja Tamm", Role("Foreign Minister", "EST")) == "Kaja Tamm is Foreign Minister of Estonia."
    assert role_sentence("Ari Lahti", Role("Ambassador", "FIN", "the embassy in Tallinn", "2019", "2023")) == (
        "Ari Lahti was Ambassador of Finland at the embassy in Tallinn (2019 to 2023).")
    assert cadence_text(2) == "twice a year" and cadence_text(3) == "3 times a year"
    text = "Estonia and Finland met. The ferry line will reopen in May, officials said. Talks go on."
    start = text.index("ferry line")
    sentence, a, b = sentence_around(text, start, start + len("ferry line"))
    assert sentence == "The ferry line will reopen in May, officials said."
    assert sentence[a:b] == "ferry line"
