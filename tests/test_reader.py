"""The span reader (`NEWSBOT_SELECTOR=reader`, not shipped): the training script end to end (a tiny run), passages
read in windows, answers through the extractive generator, and the clear error when none is built.

The tiny reader trained here reads at random; what its spans say is not tested, only that they are spans of the
passage read and that the generator answers with them as it should. The full run's quality is in
docs/evaluation.md ("A span reader")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from newscorpus import BRIDGE, FIRE, corpus_lexicon, passage

from bot.extractive import ExtractiveGenerator
from bot.reader import MAX_TOKENS, SETTINGS_FILE, Reader, load_reader
from retrieval.bm25 import Bm25Index

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def lexicon() -> Bm25Index:
    return corpus_lexicon()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The models directory a tiny run of `scripts/train_reader.py` writes."""
    tmp = tmp_path_factory.mktemp("reader")
    out = tmp / "models"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "train_reader.py"),
            "--work",
            str(tmp / "work"),
            "--out",
            str(out),
            "--features",
            "96",
            "--holdout-questions",
            "4",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def reader(built) -> Reader:
    found = load_reader.__wrapped__(built)
    assert found is not None
    return found


def test_the_training_script_writes_a_reader_with_its_held_out_report(built):
    settings = json.loads((built / SETTINGS_FILE).read_text())
    assert set(settings["holdout"]) == {"fp32", "int8"}
    assert settings["max_tokens"] == MAX_TOKENS
    assert b"MatMulInteger" in (built / "reader-int8.onnx").read_bytes()  # int8 weights


def test_spans_are_spans_of_the_passage_read_best_first(reader):
    bridge, fire = reader.read("Who designed the Brooklyn Bridge?", [BRIDGE, FIRE])

    for text, found in ((BRIDGE, bridge), (FIRE, fire)):
        assert found.spans and [s.score for s in found.spans] == sorted((s.score for s in found.spans), reverse=True)
        assert all(0 <= s.start < s.end <= len(text) for s in found.spans)
        assert found.margin == found.spans[0].score - found.null
    assert reader.read("Who designed it?", []) == []


def test_a_passage_longer_than_one_window_is_read_in_windows_to_its_end(reader):
    sentence = "The council met on Monday to discuss the budget for next year. "
    text = sentence * 40 + "The new mayor of Springfield is Maria Lopez."
    tail = text[-400:]
    whole = reader.read("Who is the new mayor of Springfield?", [text])[0]
    alone = reader.read("Who is the new mayor of Springfield?", [tail])[0]

    assert len(text.split()) > MAX_TOKENS  # more than one window
    assert all(0 <= s.start < s.end <= len(text) for s in whole.spans)
    # the last window is read: the spans found in the tail alone are found in the whole text, at its end
    offset = len(text) - len(tail)
    found = {(s.start, s.end) for s in whole.spans}
    assert any((s.start + offset, s.end + offset) in found for s in alone.spans)


def test_a_span_in_the_part_two_windows_share_is_counted_once(reader):
    sentence = "The council met on Monday to discuss the budget for next year. "
    # two windows, which share the answer's sentence
    text = sentence * 10 + "The new mayor of Springfield is Maria Lopez. " + sentence * 4
    question = "Who is the new mayor of Springfield?"
    assert len(reader._tokenizer.encode(question, text).overflowing) == 1
    found = reader.read(question, [text])[0]

    read = [(s.start, s.end) for s in found.spans]
    assert len(read) == len(set(read))
    assert any(text[start:end].endswith("Lopez") for start, end in read)


def test_the_generator_keeps_the_rules_best_sentence_and_adds_at_most_the_readers(reader, lexicon):
    question, passages = "How many people died in the warehouse fire in London?", [passage(FIRE, 0), passage(BRIDGE, 1)]
    rules = ExtractiveGenerator().generate(question, passages, lexicon=lexicon)
    answer = ExtractiveGenerator(reader=reader).generate(question, passages, lexicon=lexicon)

    assert "Twelve people died" in rules.answer and "Twelve people died" in answer.answer
    quotes = [part for c in answer.citations for part in c.quote.split(" … ")]
    assert 1 <= len(quotes) <= 2 and all(q in answer.answer and (q in FIRE or q in BRIDGE) for q in quotes)
    broad = ExtractiveGenerator(reader=reader).generate("What happened in London?", passages, lexicon=lexicon)
    assert broad.answer == ExtractiveGenerator().generate("What happened in London?", passages, lexicon=lexicon).answer


def test_without_a_built_reader_the_cli_says_how_to_build_one(seed_store_dir):
    if load_reader() is not None:
        pytest.skip("a reader is built into bot/models/")
    env = {**os.environ, "NEWSBOT_SELECTOR": "reader", "NEWSBOT_STORE": str(seed_store_dir)}
    newsbot = str(Path(sys.executable).parent / "newsbot")
    done = subprocess.run(
        [newsbot, "ask", "Who headed the Russian delegation in Geneva?"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )

    assert done.returncode != 0
    assert "scripts/train_reader.py" in done.stderr and "Traceback" not in done.stderr
