"""Extractors: pure functions from a parsed document to per-document records.

``parse_context`` computes what they all read once per document: the dates
and the document context (``extract.context``), which they never write to.
``extract_document`` runs them in dependency order: dates and actors first
(every other extractor reads them), then events, then commitments (which
link to the event they were made at), then claims.
"""

from __future__ import annotations

from spacy.tokens import Doc

from pactwatch.dates import document_dates
from pactwatch.extract.actors import extract_actors
from pactwatch.extract.claims import extract_claims
from pactwatch.extract.commitments import extract_commitments
from pactwatch.extract.context import document_context
from pactwatch.extract.events import extract_events
from pactwatch.extract.parsed import ParsedDocument
from pactwatch.models import Actor, Commitment, Document, Event, Extraction


def parse_context(document: Document, doc: Doc) -> ParsedDocument:
    """The parsed document every extractor reads: its dates and its context, each found once."""
    anchor = document.published.start if document.published else None
    return ParsedDocument(document=document, doc=doc, context=document_context(document, doc), anchor=anchor,
                          dates=document_dates(document.text, anchor))


def extract_document(document: Document, doc: Doc) -> Extraction:
    """Every record one document yields, with ids local to it."""
    parsed = parse_context(document, doc)
    parsed.actors = extract_actors(parsed)
    events = extract_events(parsed)
    commitments = extract_commitments(parsed, events)
    claims = extract_claims(parsed)
    return Extraction(doc_id=document.id, actors=_tracked(parsed.actors, events or commitments), events=events,
                      commitments=commitments, claims=claims)


def _tracked(actors: list[Actor], reports: list[Event] | list[Commitment]) -> list[Actor]:
    """The actors worth a record: in an article that reports no act or pledge between states (a match report, a
    film review, a phone launch), a name given no title is no one the record follows, and most often no person
    at all ("Hacksaw Ridge followed in third place", "Vincy Heat collected their first win")."""
    if reports:
        return actors
    return [a for a in actors if a.kind != "person" or a.roles]
