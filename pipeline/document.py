"""The plain record that ingest produces and every later stage reads."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


@dataclass
class Document:
    """One article: its text (as extracted, never rewritten), where it came from, and what failed.

    ``errors`` is filled when the input could not be read; such a document has empty ``text`` and
    still gets a result record.
    """

    id: str
    text: str
    path: str | None = None
    format: str | None = None
    encoding: str | None = None
    sha256: str | None = None
    errors: list[str] = field(default_factory=list)
    line: int | None = None  # the line of a JSONL record

    def source(self) -> dict:
        out: dict = {}
        if self.path is not None:
            out["path"] = self.path
        if self.encoding is not None:
            out["encoding"] = self.encoding
        if self.sha256 is not None:
            out["sha256"] = self.sha256
        if self.format is not None:
            out["format"] = self.format
        return out


def chunks(documents: Iterable[Document], chars: int) -> Iterator[list[Document]]:
    """Consecutive documents in lists of about ``chars`` characters (a longer document alone)."""
    chunk: list[Document] = []
    size = 0
    for document in documents:
        chunk.append(document)
        size += len(document.text or "")
        if size >= chars:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk
