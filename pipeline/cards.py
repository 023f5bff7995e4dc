"""Model cards: the ``README.md`` every trainer writes beside its model (``train``, ``train-percent``,
``train-advertorial``)."""
from __future__ import annotations

from pathlib import Path

CARD_NOTES = "<!-- Notes below this line are kept when the model is retrained. -->"


def write_model_card(folder: Path, generated: str) -> None:
    """Write ``folder/README.md``: the ``generated`` part, then whatever stood below
    :data:`CARD_NOTES` in the card it replaces (figures measured by hand, how the data was made)."""
    path = folder / "README.md"
    notes = ""
    if path.exists():
        old = path.read_text("utf-8")
        if CARD_NOTES in old:
            notes = old.split(CARD_NOTES, 1)[1]
    text = generated.rstrip("\n") + "\n"
    if notes.strip():
        text += "\n" + CARD_NOTES + notes
    path.write_text(text, "utf-8")
