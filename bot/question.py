"""Question cleaning, done once in the core for every front end."""

from __future__ import annotations

import unicodedata

MAX_QUESTION_CHARS = 1000  # a question is a sentence or two; past this it is pasted text, and costs time


def clean_question(text: str) -> str:
    """`text` as a question: control and format characters removed, whitespace collapsed, length capped.

    Format characters (U+200B zero-width space, U+FEFF, U+200D; Telegram clients insert them) are removed, not
    replaced, so a word they sit inside stays one word. Line breaks and tabs are whitespace like any other.
    """
    kept = []
    for ch in text:
        if ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch)[0] != "C":
            kept.append(ch)
    return " ".join("".join(kept).split())[:MAX_QUESTION_CHARS].strip()
