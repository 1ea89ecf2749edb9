"""What every extractor receives: one document, parsed once, with its context.

The context (``extract.context``: page furniture with the byline, content sentences,
dateline, country mentions, the main pair, quantities) is computed once per
document and frozen; the actors are filled in by the actor extractor before the
event, commitment and claim extractors run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span

from pactwatch.models import Actor, Document, Mention

if TYPE_CHECKING:
    from pactwatch.dates import DateMatch
    from pactwatch.extract.context import DocumentContext


@dataclass
class ParsedDocument:
    """A document with its spaCy parse and the facts shared by all extractors.

    ``anchor`` is the date relative expressions are resolved against (the
    publication date's first day, or None while it is unknown). ``dates``
    holds every temporal expression found; ``context`` what the text and parse
    say once for every extractor; ``actors`` is filled by the actor extractor
    before the event, commitment and claim extractors run.
    """

    document: Document
    doc: Doc
    context: DocumentContext
    anchor: date | None
    dates: list[DateMatch] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    # Character offset -> local actor id, for every actor mention (filled with actors).
    actor_at: dict[int, str] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        return self.document.id

    def mention(self, start: int, end: int) -> Mention:
        return Mention(self.document.id, start, end, self.document.text[start:end])

    def span_mention(self, span: Span) -> Mention:
        return self.mention(span.start_char, span.end_char)

    def dates_in(self, start: int, end: int) -> list[DateMatch]:
        return [d for d in self.dates if start <= d.start and d.end <= end]
