"""Question cleaning, done once in the core for every front end."""

from __future__ import annotations

import unicodedata

MAX_QUESTION_CHARS = 1000  # a question is a sentence or two; past this it is pasted text, and costs time


def clean_question(text: str) -> str:
    """`text` as a question: control and format characters removed, whitespace collapsed, length capped at a
    word boundary.

    Format characters (U+200B zero-width space, U+FEFF, U+200D; Telegram clients insert them) are removed, not
    replaced, so a word they sit inside stays one word. Line breaks and tabs are whitespace like any other.
    """
    kept = []
    for ch in text:
        if ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch)[0] != "C":
            kept.append(ch)
    collapsed = " ".join("".join(kept).split())
    if len(collapsed) > MAX_QUESTION_CHARS:  # cut at a space, so that no word is cut in two ("Mourinho" to "Mo")
        cut = collapsed[: MAX_QUESTION_CHARS + 1]
        collapsed = cut.rsplit(" ", 1)[0] if " " in cut else cut[:MAX_QUESTION_CHARS]
    return collapsed.strip()
