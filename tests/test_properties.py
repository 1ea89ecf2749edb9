"""Property-based tests: no text, bytes or anchor makes a reader, the date grammar or the quantity parser raise.

Each strategy mixes arbitrary input with the words each parser looks for, so the examples reach
its handlers (deadlines, quarters, weekdays, scales, currencies) and not only its first check.
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pactwatch.dates import find_dates, resolve
from pactwatch.models import DateRange
from pactwatch.quantities import find_amounts, parse_number
from pactwatch.resolve.corroboration import _Subjects, _words_of, subject_similarity
from pactwatch.sources import RawDocument, SourceError, decode, feed_entry, read_sources
from pactwatch.text import alternation, whole_word_spans

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

DATE_WORDS = st.sampled_from([
    "by", "since", "until", "the end of", "next", "last", "this", "early", "late", "mid-", "the first half of",
    "Q4", "quarter", "year", "month", "week", "weekend", "Monday", "Friday", "January", "February 29",
    "December 31", "31 December", "2025", "9999", "0001", "1e9", "within", "days", "ago", "in the next",
    "five years", "decade", "1990s", "2024-02-30", "11/06/2025", "earlier this week", "later this month",
    "tomorrow", "yesterday", "fiscal year", "FY2025/26", "H1", "  ", "\n", ",", ".",
])
AMOUNT_WORDS = st.sampled_from([
    "$", "US$", "Rs", "€", "£", "¥", "USD", "PKR", "lira", "dollars", "percent", "%", "per cent", "tonnes",
    "million", "billion", "bn", "mn", "trillion", "lakh", "crore", "lakh crore", "k", "1,000", "1,00,000",
    "3.5", "0", "-", "to", "between", "and", "1e400", "9" * 400, "one", "twenty", "hundred", ".", ",", " ",
])


def phrase(words: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(words, st.text(max_size=8), st.integers(-10**30, 10**30).map(str)),
                    max_size=12).map(" ".join)


ANCHORS = st.one_of(st.none(), st.dates(min_value=date.min, max_value=date.max),
                    st.sampled_from([date.min, date.max, date(2024, 2, 29), date(9999, 12, 26)]))


@FAST
@given(phrase(DATE_WORDS), ANCHORS)
def test_date_grammar_never_raises(text: str, anchor: date | None) -> None:
    for found in find_dates(text, anchor):
        assert 0 <= found.start <= found.end <= len(text) and found.text == text[found.start:found.end]
        assert found.range is None or isinstance(found.range, DateRange)
    assert resolve(text, anchor) is None or isinstance(resolve(text, anchor), DateRange)


@FAST
@given(phrase(AMOUNT_WORDS))
def test_quantity_parser_never_raises(text: str) -> None:
    for q in find_amounts(text):
        assert 0 <= q.start <= q.end <= len(text)
    for word in text.split():
        parse_number(word)


@FAST
@given(st.binary(max_size=2000))
def test_decode_gives_text_or_one_reason(data: bytes) -> None:
    try:
        text, warnings = decode(data)
    except Exception as exc:  # the readers' own refusal, with a one-line reason
        assert type(exc).__name__ == "_Unreadable" and str(exc) and "\n" not in str(exc)
    else:
        assert "\r" not in text and all(isinstance(w, str) for w in warnings)


FEED_VALUES = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text()),
                           lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                   st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                           max_leaves=10)
FEED_LINES = st.one_of(
    st.text(),
    st.fixed_dictionaries({"text": st.text()}, optional={k: FEED_VALUES for k in ("title", "url", "outlet",
                                                                                  "published")}
                          ).map(lambda e: json.dumps(e, ensure_ascii=False)),
    st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
    st.text().map(lambda t: '{"text": "' + t + '\\ud800"}'),
)


@FAST
@given(FEED_LINES)
def test_feed_entry_never_raises_and_hands_on_only_valid_unicode(line: str) -> None:
    item = feed_entry(line, "feed.jsonl:1")
    if isinstance(item, RawDocument):
        for value in (item.text, item.title, item.url, item.outlet, item.published, item.source):
            assert value is None or value.encode("utf-8")
    else:
        assert isinstance(item, SourceError) and "\n" not in item.message


@FAST
@given(st.sampled_from([".txt", ".md", ".html", ".jsonl"]),
       st.one_of(st.binary(max_size=3000), FEED_LINES.map(lambda t: t.encode("utf-8", "surrogatepass")),
                 st.lists(FEED_LINES, max_size=5).map(lambda ls: "\r".join(ls).encode("utf-8", "surrogatepass"))))
def test_read_sources_on_written_files_never_raises(suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "item" + suffix)
        path.write_bytes(data)
        items = list(read_sources([folder]))
    assert items
    for item in items:
        if isinstance(item, RawDocument):
            assert item.text.strip() and item.text.encode("utf-8")
        else:
            assert isinstance(item, SourceError) and item.message and "\n" not in item.message


WORDISH = st.text(alphabet="ab-'’_ é1.٣", max_size=14)


@FAST
@given(WORDISH, st.text(alphabet="ab-'’_ é1.٣", min_size=1, max_size=3), st.sampled_from(["-", "'’-"]))
def test_whole_word_spans_are_the_regex_lookarounds(text: str, word: str, joined_after: str) -> None:
    """text.whole_word_spans finds what the regex it replaced found: the word with no word character, nor a
    joining one, either side."""
    pattern = rf"(?<![\w-]){re.escape(word)}(?![\w{re.escape(joined_after)}])"
    assert list(whole_word_spans(text, word, joined_after=joined_after)) == \
        [m.span() for m in re.finditer(pattern, text)]


SUBJECT_WORDS = st.sampled_from([
    "exports", "export", "trade", "bilateral", "cocoa", "gold", "copper", "the", "of", "annual", "volume", "cases",
    "reported", "troops", "soldiers", "deployed", "budget", "defence", "2025", "tons", "tonnes", "value", "Ghana's",
    "Togo", "Chilean", "Peruvian", "fish", "fishmeal", "", "  ",
])
SUBJECTS = st.one_of(st.none(), st.lists(SUBJECT_WORDS, max_size=6).map(" ".join))


@FAST
@given(SUBJECTS, st.lists(SUBJECTS, max_size=12), st.sampled_from([30.0, 60.0, 85.0, 100.0]))
def test_alike_subjects_are_the_pairwise_similarities(subject: str | None, others: list[str | None],
                                                       cutoff: float) -> None:
    """A run of subjects worked out once (corroboration._Subjects: one rapidfuzz pass, what marking conflicts
    reads window by window) picks in each slice what subject_similarity pair by pair picks."""
    run = _Subjects(others)
    for start in range(len(others) + 1):
        for end in range(start, len(others) + 1, 3):
            assert run.alike(_words_of(subject), start, end, cutoff) == \
                [n - start for n in range(start, end) if subject_similarity(subject, others[n]) >= cutoff]


# Words as the data files give them: single spaces between their parts, none at either end (with ``\s+`` for a
# space, "a  b" or " " would let one run of white space be shared out between two spaces in different ways).
WORDS = st.lists(st.text(alphabet="ab", min_size=1, max_size=3), min_size=1, max_size=3).map(" ".join)


@FAST
@given(st.lists(WORDS, min_size=1, max_size=8), st.text(alphabet="ab \n", max_size=40),
       st.sampled_from([None, r"\s+"]))
def test_an_alternation_as_a_trie_matches_as_the_flat_one_longest_first(words: list[str], text: str,
                                                                          space: str | None) -> None:
    # what must follow a match makes the regex go back to shorter words, as after "India" in "Indian Ocean"
    flat = "|".join(re.escape(w).replace(r"\ ", space or r"\ ") for w in sorted(words, key=len, reverse=True))
    expected = [m.span() for m in re.finditer(f"(?:{flat})(?!b)", text)]
    assert [m.span() for m in re.finditer(f"(?:{alternation(words, space)})(?!b)", text)] == expected
