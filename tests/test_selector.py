"""The learned answer selector: its features, the shipped models, and answers through the extractive generator."""

from __future__ import annotations

import json
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import numpy as np
import pytest
from newscorpus import (
    BRIDGE,
    FIRE,
    assert_answers_with_the_number_not_the_lead,
    assert_declines_what_the_passages_do_not_answer,
    corpus_lexicon,
    passage,
)

from bot.extractive import ExtractiveGenerator
from bot.selector import CANDIDATE_FEATURES, MODEL_DIR, Selector, candidate_features, load_selector, similarities
from retrieval.bm25 import Bm25Index

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def lexicon() -> Bm25Index:
    return corpus_lexicon()


@pytest.fixture(scope="module")
def selector() -> Selector:
    found = load_selector()
    assert found is not None, "the shipped model is missing: run scripts/train_selector.py"
    return found


@pytest.fixture(scope="module")
def generator(embeddings, selector) -> ExtractiveGenerator:
    return ExtractiveGenerator(embed=embeddings.embed_array, embed_query=embeddings.embed_query, selector=selector)


def test_features_count_question_numbers_and_names_the_sentence_does_not_repeat(embeddings, lexicon):
    question = "When did the Brooklyn Bridge open in 1887?"
    passages = [passage(BRIDGE, 0)]
    ranked = ExtractiveGenerator().rank(question, passages, "", lexicon)
    top = ranked[:3]
    similarity = similarities(question, top, embeddings.embed_array, embeddings.embed_query)
    rows = candidate_features(question, top, ranked, passages, lexicon, similarity)

    assert rows.shape == (3, len(CANDIDATE_FEATURES))
    column = {name: rows[:, i] for i, name in enumerate(CANDIDATE_FEATURES)}
    opening = next(i for i, c in enumerate(top) if "opened on May 24" in c.span.text)
    assert column["question_numbers"][opening] == 1
    assert column["numbers_missing_in_sentence"][opening] == 1  # 1887 asked, 1883 written
    assert column["numbers_missing_in_passage"][opening] == 1
    assert column["names_missing_in_sentence"][opening] == 0  # Brooklyn Bridge is there
    assert column["new_numbers_in_sentence"][opening] >= 1
    assert np.allclose(column["similarity"], similarity)


def test_the_answer_is_the_sentence_holding_the_number_not_the_lead_that_restates_the_question(generator, lexicon):
    assert_answers_with_the_number_not_the_lead(generator, lexicon)


def test_a_question_the_passages_do_not_answer_is_declined(generator, lexicon):
    assert_declines_what_the_passages_do_not_answer(generator, lexicon)


def test_shipped_models_are_small_and_installed_with_the_package():
    config = json.loads((MODEL_DIR / "selector.json").read_text())
    files = [MODEL_DIR / "selector.json", MODEL_DIR / config["answer_model"], MODEL_DIR / config["abstain_model"]]
    assert sum(f.stat().st_size for f in files) < 5_000_000
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["bot"]
    for f in files:
        assert any(fnmatch(f.relative_to(ROOT / "bot").as_posix(), p) for p in patterns), f
    assert config["candidate_features"] == list(CANDIDATE_FEATURES)


def test_a_year_the_article_contradicts_makes_the_question_less_answerable(embeddings, selector, lexicon):
    passages = [passage(BRIDGE, 0), passage(FIRE, 1, dense=0.2)]

    def answerable(question: str) -> float:
        ranked = ExtractiveGenerator().rank(question, passages, "", lexicon)
        return selector.select(
            question, ranked, passages, lexicon, embeddings.embed_array, embeddings.embed_query
        ).answerable

    assert (
        answerable("When did the Brooklyn Bridge open in 1887?")
        < answerable("When did the Brooklyn Bridge open?") - 0.1
    )


def test_the_learned_selector_is_chosen_by_setting_and_answers(seed_store):
    from bot.factory import build_answerer

    assert build_answerer(seed_store).generator.selector is None  # the calibrated rules are the default
    learned = build_answerer(seed_store, selector="learned")
    assert learned.generator.selector is not None
    answer = learned.answer("How long did Blinken and Lavrov meet in Geneva?")
    assert not answer.abstained and "90 minutes" in answer.answer


def test_the_learned_selector_declines_a_year_no_passage_gives_and_says_so(generator, lexicon):
    passages = [passage(BRIDGE, 0), passage(FIRE, 1, dense=0.2)]
    answer = generator.generate("Who designed the Brooklyn Bridge in 2010?", passages, lexicon=lexicon)
    assert answer.abstained and answer.answer.startswith("None of the articles I found mentions 2010."), answer.answer
    answer = generator.generate("When did the Brooklyn Bridge open in 1883?", passages, lexicon=lexicon)
    assert not answer.abstained and "May 24" in answer.answer
