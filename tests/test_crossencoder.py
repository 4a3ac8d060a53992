"""The cross-encoder answer selector: the shipped model, answers through the extractive generator, the premise
check, broad questions, and the training script end to end (a tiny run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from newscorpus import (
    BRIDGE,
    assert_answers_with_the_number_not_the_lead,
    assert_declines_what_the_passages_do_not_answer,
    corpus_lexicon,
    passage,
)

from bot.crossencoder import MODEL_DIR, MODEL_FILE, SETTINGS_FILE, TOKENIZER_FILE, CrossEncoder, load_crossencoder
from bot.extractive import ExtractiveGenerator, is_broad, values
from retrieval.bm25 import Bm25Index

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def lexicon() -> Bm25Index:
    return corpus_lexicon()


@pytest.fixture(scope="module")
def encoder() -> CrossEncoder:
    found = load_crossencoder()
    assert found is not None, "the shipped model is missing: run scripts/train_crossencoder.py"
    return found


@pytest.fixture(scope="module")
def generator(encoder) -> ExtractiveGenerator:
    return ExtractiveGenerator(crossencoder=encoder)


def test_the_model_scores_the_sentence_that_answers_above_the_threshold_and_others_below(encoder):
    texts = [
        "The Brooklyn Bridge opened on May 24, 1883, after fourteen years of construction.",
        "His son Washington Roebling took over the project.",
        "At the time it was the longest suspension bridge in the world.",
    ]
    opened = encoder.score("When did the Brooklyn Bridge open?", texts)
    took_over = encoder.score("Who took over the project?", texts)
    unrelated = encoder.score("Who won the football World Cup in 2010?", texts)

    assert opened.shape == (3,)
    assert int(opened.argmax()) == 0 and opened[0] >= encoder.threshold
    assert int(took_over.argmax()) == 1 and took_over[1] >= encoder.threshold
    assert float(unrelated.max()) < encoder.threshold


def test_answers_with_the_sentence_that_holds_the_number_not_the_lead(generator, lexicon):
    assert_answers_with_the_number_not_the_lead(generator, lexicon)


def test_a_question_the_passages_do_not_answer_is_declined(generator, lexicon):
    assert_declines_what_the_passages_do_not_answer(generator, lexicon)


def test_a_wrong_year_in_the_question_is_corrected_with_the_quote(generator, lexicon):
    answer = generator.generate("What opened on May 24, 1887?", [passage(BRIDGE, 0)], lexicon=lexicon)

    assert answer.answer.startswith("The articles say 1883, not 1887: The Brooklyn Bridge opened on May 24, 1883")
    assert answer.abstained  # declined as asked, with what the articles say instead
    assert answer.citations[0].source == "a1"
    assert answer.citations[0].quote in answer.answer


def test_the_cross_encoders_answer_is_held_to_what_was_asked(generator, lexicon):
    """The checks on the rules' answer hold for the cross-encoder's too: a sentence saying the opposite of a word of
    the question, and sentences saying what did happen to a question asking what did not."""
    shortest = generator.generate(
        "When was the shortest suspension bridge opened?", [passage(BRIDGE, 0)], lexicon=lexicon
    )
    assert shortest.abstained
    assert shortest.answer.startswith("The articles say longest, not shortest: "), shortest.answer

    asked = "Who did not take over the Brooklyn Bridge project?"
    nobody = generator.generate(asked, [passage(BRIDGE, 0)], lexicon=lexicon)
    assert nobody.abstained
    assert nobody.answer.startswith(f"None of the sentences I found says {asked[0].lower()}{asked[1:-1]}. "), (
        nobody.answer
    )


def test_values_and_broad_questions_are_recognised():
    assert values("What happened on March 22, 1883, when 1,200 came?") == [
        ("day", "March 22, 1883"),
        ("year", "1883"),
        ("number", "1,200"),
    ]
    assert values("On 3rd May") == [("day", "3rd May")]
    assert values("in 2010") == [("year", "2010")]
    assert is_broad("What happened in Geneva?")
    assert is_broad("What are Russia's demands?")
    assert not is_broad("Who led the talks?")
    assert not is_broad("How many people died?")


def test_the_shipped_model_is_int8_small_and_installed_with_the_package():
    files = [MODEL_DIR / MODEL_FILE, MODEL_DIR / TOKENIZER_FILE, MODEL_DIR / SETTINGS_FILE]
    assert (MODEL_DIR / MODEL_FILE).stat().st_size <= 30_000_000
    assert b"MatMulInteger" in (MODEL_DIR / MODEL_FILE).read_bytes()  # int8 weights
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["bot"]
    for f in files:
        assert any(fnmatch(f.relative_to(ROOT / "bot").as_posix(), p) for p in patterns), f
    settings = json.loads((MODEL_DIR / SETTINGS_FILE).read_text())
    assert 0 < settings["threshold"] < 1


def ask_with_the_crossencoder(store: Path, question: str) -> dict:
    """`newsbot ask --json` with `NEWSBOT_SELECTOR=crossencoder`, as a user runs it."""
    env = {**os.environ, "NEWSBOT_SELECTOR": "crossencoder", "NEWSBOT_STORE": str(store)}
    newsbot = str(Path(sys.executable).parent / "newsbot")
    done = subprocess.run(
        [newsbot, "ask", "--json", question], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_cross_encoder_answers_through_the_cli(seed_store_dir):
    reply = ask_with_the_crossencoder(seed_store_dir, "Who headed the Russian delegation in Geneva?")

    assert not reply["abstained"]
    assert "Ryabkov" in reply["answer"]
    quoted = reply["citations"][0]["quote"].split(" … ")  # every sentence it quotes is in the answer
    assert all(sentence in reply["answer"] for sentence in quoted)


def test_the_training_script_rebuilds_a_working_context_model(tmp_path):
    out = tmp_path / "models"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "train_crossencoder.py"),
            "--work",
            str(tmp_path / "work"),
            "--out",
            str(out),
            "--pairs",
            "96",
            "--holdout-questions",
            "4",
            "--context",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    settings = json.loads((out / SETTINGS_FILE).read_text())
    assert set(settings["holdout"]) == {"fp32", "int8"} and settings["context"] is True
    rebuilt = load_crossencoder.__wrapped__(out)
    assert rebuilt is not None and rebuilt.context
    question, sentence = "Who designed the bridge?", ["John Roebling designed it."]
    alone = rebuilt.score(question, sentence)
    after = rebuilt.score(question, sentence, ["The Brooklyn Bridge opened in 1883."])
    assert alone.shape == after.shape == (1,) and alone[0] != after[0]  # the previous sentence is read


def test_a_wrong_day_is_corrected_even_when_the_day_also_asks_for_a_date_filter(seed_store_dir):
    reply = ask_with_the_crossencoder(seed_store_dir, "When did the Russian delegation arrive in Geneva on January 8?")

    assert reply["answer"].startswith("The articles say January 9, not January 8: On January 9, a Russian delegation")
    assert reply["citations"][0]["quote"] in reply["answer"]
