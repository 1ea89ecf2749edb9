"""The store: documents, per-document extractions and the resolved record."""
