"""Digests of the package's own code and data: what one version worked out and a store kept (resolved blocks,
parses, what a document's words prove) is worked out again by a version whose code or data differ."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def source_digest(patterns: Iterable[str], seed: str = "") -> str:
    """A digest of ``seed`` and of the package's files matching ``patterns`` (globs under the package)."""
    digest = hashlib.sha1(seed.encode())
    for path in sorted({p for pattern in patterns for p in ROOT.glob(pattern) if p.is_file()}):
        digest.update(path.read_bytes())
    return digest.hexdigest()
