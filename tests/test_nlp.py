"""The model's rule components run remembered (nlp.RememberedRules): every token attribute must be what the
model's own pipeline gives, whether an outcome is learned or remembered. Texts written for these tests, about
Chile, Peru, Ghana and Togo, and the seed articles."""

from __future__ import annotations

from typing import Any

import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IS_SPACE, LEMMA, MORPH, NORM, ORTH, POS, SENT_START, SPACY, TAG
from spacy.tokens import Doc

from conftest import SEEDS
from pactwatch import nlp
from pactwatch.documents import build_document
from pactwatch.extract import extract_document, prefilter
from pactwatch.sources import RawDocument

TEXTS = [
    "Chile and Peru signed a fisheries accord in Lima on Monday.",
    "There is no deal yet, but there are talks. It's gonna take time, y'all, and it ain't over.",
    "Let's see: the ministers got ta meet again. C'mon, they said, it gets better; it got worse.",
    "I told you it was done. You gave it to me, and I have it. Did they do it? They did, and have since.",
    "Ghana  and Togo\n\nagreed to open   the border.\n",  # runs of white space are tokens of their own
    "\n",
    "Gon na",  # a pattern of two tokens at a document's very start and end
    "But the talks, which were long, went on. That is what Accra said; those who were there agreed.",
    *(path.read_text() for path in sorted(SEEDS.glob("*.txt"))),
]
ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]


def described(doc: Doc) -> list[Any]:
    return [doc.to_array(ATTRS).tolist(), [(t.lemma_, str(t.morph), t.pos_, t.dep_) for t in doc],
            [s.text for s in doc.sents]]


@pytest.fixture(scope="module")
def shipped() -> spacy.language.Language:
    return spacy.load(nlp.MODEL)


def test_the_rules_run_remembered(spacy_nlp: spacy.language.Language) -> None:
    assert "pactwatch_remembered_rules" in spacy_nlp.pipe_names
    assert "attribute_ruler" not in spacy_nlp.pipe_names and "lemmatizer" not in spacy_nlp.pipe_names
    # the lemmatizer's word lists are sets (nlp._index_as_sets); the next test finds every lemma unchanged
    index = spacy_nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    assert index and all(isinstance(words, frozenset) for words in index.values())


def test_every_token_as_the_shipped_model_gives_it(shipped: spacy.language.Language) -> None:
    fresh = nlp.load.__wrapped__()  # its own memory, so the first pass learns every outcome
    expected = [described(d) for d in shipped.pipe(TEXTS)]
    learned = [described(d) for d in fresh.pipe(TEXTS)]
    remembered = [described(d) for d in fresh.pipe(reversed(TEXTS))][::-1]
    for text, want, first, again in zip(TEXTS, expected, learned, remembered, strict=True):
        assert first == want, text[:60]
        assert again == want, text[:60]


def test_rules_it_cannot_remember_leave_the_pipeline_as_it_is(shipped: spacy.language.Language) -> None:
    model = spacy.blank("en")
    ruler = model.add_pipe("attribute_ruler")
    ruler.add([[{"ORTH": "Lima"}]], {"LEMMA": "lima"})  # ORTH: a token's key holds only the class of its LOWER
    lemmatizer = shipped.get_pipe("lemmatizer")
    with pytest.raises(nlp.UnsupportedRules):
        nlp.RememberedRules(ruler, lemmatizer)
    model.add_pipe("lemmatizer", config={"mode": "rule"})
    nlp._remember_rules(model)
    assert model.pipe_names == ["attribute_ruler", "lemmatizer"]


KEPT_ATTRS = [ORTH, NORM, SPACY, IS_SPACE, *ATTRS, SENT_START]


def test_a_kept_parse_is_the_parse_it_kept() -> None:
    """An undated article's parse is kept (``nlp.keep``) to extract it again once its date is inferred: what comes
    back is the same Doc, and the extractors draw the same records from it."""
    for text in [*TEXTS, ""]:
        parts = prefilter.parser_parts(text)
        doc = nlp.parse(parts)
        back = nlp.kept(nlp.keep(doc))
        assert back is not None and back.text == doc.text == "".join(parts)
        assert (back.to_array(KEPT_ATTRS) == doc.to_array(KEPT_ATTRS)).all()
        assert described(back) == described(doc)
        assert [(e.start, e.end, e.label_) for e in back.ents] == [(e.start, e.end, e.label_) for e in doc.ents]
        assert [c.text for c in back.noun_chunks] == [c.text for c in doc.noun_chunks]
        if text.strip():
            document = build_document(RawDocument(text=text, source="kept.txt"))
            assert extract_document(document, back).to_dict() == extract_document(document, doc).to_dict()


def test_a_parse_kept_by_another_parser_or_damaged_is_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    data = nlp.keep(nlp.parse(TEXTS[0]))
    assert nlp.kept(data[:-3]) is None and nlp.kept(b"not a parse") is None
    nlp.parser()  # worked out now, then another model version, spaCy or prefilter is pretended
    monkeypatch.setattr(nlp, "parser", lambda: "another parser")
    assert nlp.kept(data) is None
