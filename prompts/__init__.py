"""The prompt templates, kept as plain text files a person can read and edit without touching code."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_DIR = Path(__file__).resolve().parent


@cache
def load(name: str) -> str:
    """The text of `prompts/<name>.txt`."""
    return (_DIR / f"{name}.txt").read_text(encoding="utf-8")
