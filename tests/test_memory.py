"""Conversation memory: in-process and SQLite, the same interface and bounds."""

from __future__ import annotations

import time

from bot.answer import Answer, Citation, Turn
from bot.memory import InProcessMemory, SqliteMemory


def turn(i: int) -> Turn:
    citation = Citation(n=1, source=f"a{i}", title="T", date=None, url=None, quote=f"quote {i}")
    answer = Answer(question=f"q{i}", answer=f"a{i} [1]", generator="extractive", citations=[citation])
    answer.search_query, answer.carried = f"q{i} Tzekos", "Tzekos"  # a follow-up's, with the name it carried
    answer.off_story = i == 2  # quoted from another story than the conversation's: follow-ups skip it
    answer.said_before = i == 1  # quoted only what the conversation had quoted already: skipped the same way
    answer.unsure = i == 2  # its sentences read as no answer by the cross-encoder: skipped the same way
    return Turn(f"q{i}", answer)


def test_in_process_memory_keeps_the_last_turns_per_chat():
    memory = InProcessMemory(max_turns=2)
    for i in range(3):
        memory.add("a", turn(i))
    memory.add("b", turn(9))
    assert [t.question for t in memory.history("a")] == ["q1", "q2"]
    memory.reset("a")
    assert memory.history("a") == [] and [t.question for t in memory.history("b")] == ["q9"]


def test_sqlite_memory_round_trips_answers_and_survives_reopening(tmp_path):
    path = tmp_path / "m.sqlite3"
    memory = SqliteMemory(path, max_turns=2)
    for i in range(3):
        memory.add(1, turn(i))
    memory.close()
    reopened = SqliteMemory(path, max_turns=2)
    history = reopened.history(1)
    assert [t.question for t in history] == ["q1", "q2"]
    assert history[-1].answer.citations[0].quote == "quote 2"
    assert history[-1].answer.search_query == "q2 Tzekos" and history[-1].answer.carried == "Tzekos"
    assert history[-1].answer.off_story and not history[0].answer.off_story
    assert history[0].answer.said_before and not history[-1].answer.said_before
    assert history[-1].answer.unsure and not history[0].answer.unsure
    reopened.reset(1)
    assert reopened.history(1) == []


def test_sqlite_memory_forgets_turns_older_than_max_age(tmp_path):
    memory = SqliteMemory(tmp_path / "m.sqlite3", max_age_s=0.2)
    memory.add(1, turn(1))
    time.sleep(0.3)
    assert memory.history(1) == []


def test_stats_percentiles_come_from_the_recorded_latencies(tmp_path):
    memory = SqliteMemory(tmp_path / "m.sqlite3")
    for latency in range(1, 101):
        memory.record(5, 5, float(latency), abstained=latency % 10 == 0, failed=False)
    memory.record(6, 6, 0.0, abstained=False, failed=True)
    stats = memory.stats()
    assert stats["users"] == 2 and stats["questions"] == 101 and stats["abstained"] == 10 and stats["failed"] == 1
    assert 50 <= stats["latency_ms_p50"] <= 51 and 95 <= stats["latency_ms_p95"] <= 96
