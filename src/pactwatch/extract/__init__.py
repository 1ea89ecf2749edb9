"""Extractors: pure functions from a parsed document to per-document records.

``extract_document`` runs them in dependency order: dates and actors first
(every other extractor reads them), then events, then commitments (which
link to the event they were made at), then claims.
"""

from __future__ import annotations

from spacy.tokens import Doc

from pactwatch.dates import find_dates
from pactwatch.extract.actors import extract_actors
from pactwatch.extract.claims import extract_claims
from pactwatch.extract.commitments import extract_commitments
from pactwatch.extract.events import extract_events
from pactwatch.extract.parsed import ParsedDocument, find_furniture
from pactwatch.models import Document, Extraction


def parse_context(document: Document, doc: Doc) -> ParsedDocument:
    anchor = document.published.start if document.published else None
    parsed = ParsedDocument(document=document, doc=doc, anchor=anchor)
    parsed.dates = find_dates(document.text, anchor)
    parsed.furniture = find_furniture(document, doc)
    return parsed


def extract_document(document: Document, doc: Doc) -> Extraction:
    """Every record one document yields, with ids local to it."""
    parsed = parse_context(document, doc)
    parsed.actors = extract_actors(parsed)
    events = extract_events(parsed)
    commitments = extract_commitments(parsed, events)
    claims = extract_claims(parsed)
    return Extraction(doc_id=document.id, actors=parsed.actors, events=events,
                      commitments=commitments, claims=claims)
