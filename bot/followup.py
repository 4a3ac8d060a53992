"""Resolve follow-up questions against the conversation, without an LLM.

"Which Russian minister did he meet?" after "Who is the US Secretary of State?" (answer: ... Blinken ...)
becomes a search for the question plus the names the last turn was about. The carried words go to retrieval
and count half in sentence scoring, so they steer towards the right passages without becoming the answer.
"""

from __future__ import annotations

import re

from bot.answer import Turn
from bot.understanding import names
from retrieval.text import terms, words

_ANAPHORA = re.compile(
    r"\b(he|she|it|they|him|her|hers|them|this|that|these|those|there|then|the same|such|"
    r"the (man|woman|minister|president|official|country|meeting|talks|deal|company|group|article))\b",
    re.I,
)
# "his", "its", "their" point back to the conversation unless the question names, before them, whom they mean:
# "What is their plan?" and "How old was his father?" lean on the last turn, "How many people lost their jobs?"
# and "What did Merkel say about his plan?" do not. Without a parser, "whom" is a name or a word for people.
_POSSESSIVE = re.compile(r"\b(his|its|their)\b", re.I)
_PEOPLE = frozenset(
    terms(
        "people officials workers residents police soldiers troops fans players students children parents voters "
        "members families citizens authorities leaders company companies government team teams country countries "
        "firm firms party parties man woman men women"
    )
)
_EXISTENTIAL = re.compile(r"\b(is|are|was|were) there\b|\bthere (is|are|was|were)\b", re.I)
MAX_CARRIED = 8


def needs_context(question: str) -> bool:
    """True for a question that leans on earlier turns: a pronoun, or almost no content words of its own."""
    return refers_back(question) or len(terms(question)) <= 1


def refers_back(question: str) -> bool:
    """True when a word of the question points at something said before ("he", "that", "their plan");
    "Is there any news?" does not."""
    if _ANAPHORA.search(_EXISTENTIAL.sub(" ", question)):
        return True
    possessive = _POSSESSIVE.search(question)
    if possessive is None:
        return False
    before = question[: possessive.start()]
    return not names(before) and not set(terms(before)) & _PEOPLE


def carried_context(question: str, history: list[Turn]) -> str:
    """Words from the last turn that `question` refers back to; empty when it stands on its own."""
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
