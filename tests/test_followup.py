"""bot/followup.py: which questions lean on the conversation, and what they carry from it."""

from __future__ import annotations

import pytest

from bot.answer import Turn
from bot.followup import carried_context, needs_context, refers_back


@pytest.mark.parametrize(
    ("question", "leans"),
    [
        ("What is their plan?", True),
        ("How old was his father?", True),  # a verb before "his" is not whom it means
        ("What happened to their leader?", True),
        ("Where did they meet?", True),
        ("How many people lost their jobs at the steel plant?", False),  # "their" is the people's
        ("What did Merkel say about his plan?", False),  # a name comes first
        ("Is there any news?", False),  # "there" of "is there" points at nothing
        ("Who headed the Russian delegation at the Geneva talks?", False),
    ],
)
def test_a_question_refers_back_only_through_words_that_point_at_the_conversation(question, leans):
    assert refers_back(question) is leans


def test_a_question_with_its_own_subject_carries_nothing_from_the_last_turn(answerer):
    earlier = answerer.answer("Who is the US Secretary of State in these reports?")
    history = [Turn(earlier.question, earlier)]
    assert carried_context("How many soldiers did Russia keep near their border?", history) == ""
    assert not needs_context("How many people lost their jobs at the steel plant?")
    assert "Blinken" in carried_context("What is their plan?", history)
    assert carried_context("What did he say?", []) == ""
