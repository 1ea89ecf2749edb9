"""Documents: identity, and the publication date from metadata or text.

MINIMAL FIRST VERSION: being completed (issue 2, item 3).
"""

from __future__ import annotations

import hashlib
from datetime import date

from pactwatch.models import DateRange, Document
from pactwatch.sources import RawDocument


class DocumentError(ValueError):
    """A raw document that cannot become a document (empty text, say)."""


def document_id(text: str) -> str:
    """Documents are identified by their text, so a re-ingest of the same text changes nothing."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def build_document(raw: RawDocument, published: str | None = None, outlet: str | None = None) -> Document:
    if not raw.text.strip():
        raise DocumentError("empty text")
    pub_text = published or raw.published
    pub = DateRange.day(date.fromisoformat(pub_text)) if pub_text else None
    return Document(id=document_id(raw.text), text=raw.text, source=raw.source, title=raw.title,
                    outlet=outlet or raw.outlet, url=raw.url, published=pub,
                    published_source="given" if pub else None)
