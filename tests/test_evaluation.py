"""`newsbot eval`: question files (seed dev set, SQuAD 1.1/2.0, NewsQA layout), phrasing variants, the metrics."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answer import Answer
from bot.evaluation import (
    PHRASINGS,
    Item,
    contains,
    eval_store_dir,
    evaluate,
    load_devset,
    load_questions,
    rephrase,
    rephrased,
)
from retrieval.errors import NewsbotError
from retrieval.text import words

DEVSET = Path(__file__).parent / "data" / "seed_dev.jsonl"
NEWSBOT = str(Path(sys.executable).parent / "newsbot")
QUESTION = "When did the Russian Foreign Ministry publish its draft treaties on security guarantees?"


def squad_file(path: Path, qas: list[dict], title: str = "Harbours") -> Path:
    context = "The port of Varna reopened to grain ships on Monday after a three-week closure caused by storms."
    article = {"title": title, "paragraphs": [{"context": context, "qas": qas}]}
    path.write_text(json.dumps({"version": "v2.0", "data": [article]}))
    return path


def newsqa_files(folder: Path) -> Path:
    stories = {
        "a" * 40: "The mayor of Springfield opened a new bridge over the river on Tuesday, ending years of detours.",
        "b" * 40: "Fishermen in the bay reported the largest salmon run in a decade, officials said on Friday.",
    }
    (folder / "news-articles.jsonl").write_text(
        "".join(json.dumps({"id": sid, "title": None, "text": text}) + "\n" for sid, text in stories.items())
    )
    data = [
        {
            "title": f"./cnn/stories/{sid}.story",
            "paragraphs": [{"context": text, "qas": [{"id": f"{sid}_q0", "question": q, "answers": [{"text": a}]}]}],
        }
        for (sid, text), (q, a) in zip(
            stories.items(),
            [("What did the mayor open?", "a new bridge"), ("What did fishermen report in the bay?", "salmon run")],
            strict=True,
        )
    ]
    path = folder / "news.json"
    path.write_text(json.dumps({"data": data}))
    return path


def test_every_phrasing_keeps_the_question_recognisable():
    assert rephrase(QUESTION, "original") == QUESTION
    assert rephrase(QUESTION, "greeting") == f"Hey bot, w{QUESTION[1:]} Thanks!"
    assert rephrase(QUESTION, "lower") == QUESTION.lower()[:-1]
    assert rephrase(QUESTION, "quick") == f"Quick question: w{QUESTION[1:]}"
    assert rephrase(QUESTION, "html") == f"<p><b>{QUESTION}</b></p>"
    assert rephrase(QUESTION, "zero-width").replace("\u200b", "") == QUESTION
    assert rephrase(QUESTION, "zero-width").count("\u200b") == 1


def test_a_name_that_opens_the_question_keeps_its_capital():
    assert rephrase("Blinken met whom?", "greeting") == "Hey bot, Blinken met whom? Thanks!"


def test_typo_swaps_two_letters_of_the_longest_word_the_same_way_every_time():
    typo = rephrase(QUESTION, "typo", seed=3)
    assert typo == rephrase(QUESTION, "typo", seed=3)
    changed = [(a, b) for a, b in zip(words(QUESTION), words(typo), strict=True) if a != b]
    assert len(changed) == 1
    original, misspelt = changed[0]
    assert original == "guarantees" and sorted(original) == sorted(misspelt)
    assert sum(1 for x, y in zip(original, misspelt, strict=True) if x != y) == 2


def test_an_unknown_phrasing_is_an_error_that_lists_the_known_ones():
    with pytest.raises(NewsbotError, match="greeting"):
        rephrase(QUESTION, "shouting")


def test_rephrased_conversations_keep_their_gold_answers():
    conversations = load_devset(DEVSET)
    greeted = rephrased(conversations, "greeting")
    assert [len(c) for c in greeted] == [len(c) for c in conversations]
    assert greeted[0][0].groups == conversations[0][0].groups
    assert greeted[0][0].question.startswith("Hey bot, ")


def test_squad2_unanswerable_questions_expect_a_decline(tmp_path: Path):
    path = squad_file(
        tmp_path / "dev-v2.json",
        [
            {"id": "q1", "question": "When did the port of Varna reopen?", "answers": [{"text": "Monday"}]},
            {"id": "q2", "question": "When did the port of Burgas reopen?", "answers": [], "is_impossible": True},
        ],
    )
    data = load_questions(path)
    answerable, unanswerable = (c[0] for c in data.conversations)
    assert not answerable.abstain and answerable.gold_passage == "squad-00-000" and answerable.groups == [["Monday"]]
    assert unanswerable.abstain and unanswerable.groups == [] and unanswerable.gold_passage is None
    assert data.records[0]["id"] == "squad-00-000" and data.articles is None


def test_newsqa_layout_asks_about_the_stories_beside_the_questions(tmp_path: Path):
    path = newsqa_files(tmp_path)
    data = load_questions(path)
    assert data.articles == tmp_path / "news-articles.jsonl" and data.records == []
    first = data.conversations[0][0]
    assert first.sources == ["a" * 40] and first.gold_passage == "a" * 40


def test_the_cached_store_changes_with_the_stories(tmp_path: Path):
    path = newsqa_files(tmp_path)
    before = eval_store_dir(path)
    assert before.name.startswith("newsqa-") and before == eval_store_dir(path)
    (tmp_path / "news-articles.jsonl").write_text("{}\n")
    assert eval_store_dir(path) != before


def test_a_malformed_squad_file_is_named(tmp_path: Path):
    path = tmp_path / "bad.json"
    path.write_text('{"data": [{"paragraphs": []}]}')
    with pytest.raises(NewsbotError, match=r"bad\.json"):
        load_questions(path)


def test_report_counts_right_sources_declines_and_correct_behaviour(answerer):
    carrier = "Which aircraft carrier will take part in the NATO exercise in the Mediterranean?"
    items = [
        Item("right", carrier, [["Truman"]], ["004"]),
        Item("wrong-source", carrier, [["Truman"]], ["000"]),
        Item("unanswerable", "What is the boiling point of mercury?", sources=["000"], abstain=True),
    ]
    report = evaluate(answerer, [[item] for item in items])
    assert report.containment == 1.0 and report.right_source_cited == 0.5
    assert report.abstained_when_unanswerable == 1.0
    assert report.correct_behaviour == 1.0 and report.passed == 2


@pytest.mark.parametrize(
    ("gold", "said", "lenient", "exact"),
    [
        ("F/A-18.", "Some 636 F/A-18 A through D model Hornets are being inspected. [1]", True, False),
        ('"Red Mass,"', "Several justices attend the Red Mass each October. [1]", True, False),
        ("the killing of a teen", "He was acquitted in killing of a teen in 2006. [1]", True, False),
        ("U.S. Army", "The US Army said so. [1]", True, False),
        ("1", "Shares fell sharply on Monday. [1]", False, False),
    ],
)
def test_containment_compares_answers_as_squad_normalises_them(gold, said, lenient, exact):
    answer = Answer(question="q", answer=said, generator="extractive")
    item = Item("x", "q", [[gold]])
    assert contains(item, answer) is lenient and contains(item, answer, exact=True) is exact


@pytest.mark.parametrize("variant", PHRASINGS)
def test_seed_dev_set_passes_in_every_phrasing(answerer, variant):
    report = evaluate(answerer, rephrased(load_devset(DEVSET), variant))
    assert report.failures == [], json.dumps(report.failures, indent=1)


def test_eval_command_builds_the_newsqa_store_and_prints_one_row_per_phrasing(tmp_path: Path):
    path = newsqa_files(tmp_path)
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    args = [NEWSBOT, "eval", str(path), "--store", str(tmp_path / "store"), "--json", "--phrasing", "all"]
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    reports = json.loads(done.stdout)
    assert list(reports) == list(PHRASINGS)
    assert reports["original"]["right_source_cited"] == 1.0 and reports["original"]["containment"] == 1.0
