"""Resolve follow-up questions against the conversation, without an LLM.

"Which Russian minister did he meet?" after "Who is the US Secretary of State?" (answer: ... Blinken ...)
becomes a search for the question plus the names the last turn was about. The carried words go to retrieval
and count half in sentence scoring, so they steer towards the right passages without becoming the answer.
"""

from __future__ import annotations

import re

from bot.answer import Turn
from bot.understanding import names, social
from retrieval.text import terms, words

_ANAPHORA = re.compile(
    r"\b(he|she|it|they|him|her|hers|them|this|that|these|those|there|then|the same|such|"
    r"the (man|woman|minister|president|official|country|meeting|talks|deal|company|group|article))\b",
    re.I,
)
# "his", "its", "their" point back to the conversation only when nothing in the question comes before them for
# them to mean: "What is their plan?" leans on the last turn, "How many people lost their jobs?" does not.
_POSSESSIVE = re.compile(r"\b(his|its|their)\b", re.I)
MAX_CARRIED = 8


def needs_context(question: str) -> bool:
    """True for a question that leans on earlier turns: a pronoun, or almost no content words of its own."""
    return refers_back(question) or len(terms(question)) <= 1


def refers_back(question: str) -> bool:
    """True when a word of the question points at something said before ("he", "that", "their plan")."""
    if _ANAPHORA.search(question):
        return True
    possessive = _POSSESSIVE.search(question)
    return possessive is not None and not terms(question[: possessive.start()])


def carried_context(question: str, history: list[Turn]) -> str:
    """Words from the last turn that `question` refers back to; empty when it stands on its own."""
    history = [turn for turn in history if social(turn.question) is None]  # "thanks!" is no subject to carry
    if not history or not needs_context(question):
        return ""
    last = history[-1]
    own = {w.lower() for w in words(question)}
    answer_text = " ".join(c.quote for c in last.answer.citations[:2]) if not last.answer.abstained else ""
    previous_question = last.answer.search_query or last.question
    asked = {w.lower() for w in words(previous_question)}
    # The answer's new names first (the entity the last answer gave), then the names the last question used.
    candidates = [w for w in names(answer_text) if w.lower() not in asked] + names(previous_question)
    carried: list[str] = []
    for word in candidates:
        if word.lower() not in own and word not in carried:
            carried.append(word)
        if len(carried) == MAX_CARRIED:
            break
    return " ".join(carried)
