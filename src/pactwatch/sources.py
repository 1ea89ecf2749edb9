"""Readers: files and folders of .txt, .md, .html and .jsonl, and stdin -> raw documents.

MINIMAL FIRST VERSION: being completed (issue 2, item 2 and 8).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO


@dataclass
class RawDocument:
    text: str
    source: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None


@dataclass
class SourceError:
    source: str
    message: str


def read_sources(paths: list[str], stdin: TextIO | None = None) -> Iterator[RawDocument | SourceError]:
    for p in paths:
        path = Path(p)
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for f in files:
            if f.suffix == ".jsonl":
                for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
                    d = json.loads(line)
                    yield RawDocument(d["text"], d.get("url") or f"{f}:{i}", d.get("title"), d.get("url"),
                                      d.get("outlet"), d.get("published"))
            elif f.is_file():
                yield RawDocument(f.read_text(encoding="utf-8"), str(f))
