"""What the checks read: one document's text and everything the stages found in it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from .entities import Entity


@dataclass
class Analysis:
    text: str
    norm: str
    doc: Doc
    sentences: list[tuple[int, int]]
    entities: list[Entity]
    numbers: list[Any] = field(default_factory=list)
    claims: list[Any] = field(default_factory=list)
