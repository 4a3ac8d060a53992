import json

import pytest
from conftest import SHARED

from bot.answer import Turn
from bot.evaluation import evaluate, load_devset
from bot.extractive import expected_type
from bot.followup import carried_context, needs_context

DEVSET = SHARED / "eval" / "seed_dev.jsonl"


def test_answer_quotes_the_sentence_and_cites_the_article(answerer):
    answer = answerer.answer("Which aircraft carrier will take part in the NATO exercise in the Mediterranean?")
    assert not answer.abstained and answer.generator == "extractive"
    assert "Harry S Truman" in answer.answer and "[1]" in answer.answer
    first = answer.citations[0]
    assert first.n == 1 and first.source == "004_104f296de9b5b871"
    assert first.date == "2022-01-22" and first.url.startswith("https://")
    assert first.quote in answer.answer and "Truman" in first.quote
    assert len(answer.answer.split()) < 80


def test_every_citation_marker_has_a_citation_and_back(answerer):
    answer = answerer.answer("How many Russian troops did Blinken say were near Ukraine's borders?")
    numbers = {c.n for c in answer.citations}
    marks = {int(m) for m in __import__("re").findall(r"\[(\d+)\]", answer.answer)}
    assert marks == numbers and numbers == set(range(1, len(numbers) + 1))


@pytest.mark.parametrize(
    "question",
    [
        "How many tanks did Germany send to Ukraine?",
        "What is the boiling point of mercury?",
        "Who won the football world cup in 1998?",
    ],
)
def test_questions_the_articles_do_not_cover_are_declined(answerer, question):
    answer = answerer.answer(question)
    assert answer.abstained and answer.citations == []
    assert "don't cover" in answer.answer


def test_follow_up_pronoun_is_resolved_against_the_previous_answer(answerer):
    first = answerer.answer("Who is the US Secretary of State in these reports?")
    assert "Blinken" in first.answer
    follow = answerer.answer(
        "Which Russian minister did he meet in Geneva?",
        [Turn("Who is the US Secretary of State in these reports?", first)],
    )
    assert "Lavrov" in follow.answer
    assert "Blinken" in (follow.search_query or "")
    alone = answerer.answer("Which Russian minister did he meet in Geneva?")
    assert alone.search_query is None


def test_follow_up_detection():
    assert needs_context("What did he say about it?")
    assert not needs_context("Who headed the Russian delegation at the Geneva talks?")
    assert carried_context("What did he say?", []) == ""


def test_expected_answer_types():
    assert expected_type("How many troops were there?") == "number"
    assert expected_type("On which date does the council meet?") == "date"
    assert expected_type("Who headed the delegation?") == "name"
    assert expected_type("Why did they meet?") is None


@pytest.mark.skipif(not DEVSET.exists(), reason=f"dev set not found at {DEVSET}")
def test_every_turn_of_the_seed_dev_set_passes(answerer):
    report = evaluate(answerer, load_devset(DEVSET))
    assert report.failures == [], json.dumps(report.failures, indent=1)
    assert report.pass_rate == 1.0


def test_two_sentences_from_one_article_share_one_citation(answerer):
    answer = answerer.answer("Who headed the Russian delegation at the Geneva security talks?")
    sources = [c.source for c in answer.citations]
    assert len(sources) == len(set(sources))
    for citation in answer.citations:
        for quote in citation.quote.split(" … "):
            assert quote in answer.answer
