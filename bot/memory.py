"""Conversation memory: in-process for the REPL, SQLite for Telegram (survives restarts), one interface.

`SqliteMemory` also keeps the usage figures behind Telegram's /stats.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import threading
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Protocol

from langchain_core.documents import Document

from bot.answer import Answer, Citation, Turn
from bot.config import DEFAULT_HISTORY_MAX_AGE_S, DEFAULT_HISTORY_TURNS

ChatKey = int | str

_SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (
    chat_id INTEGER NOT NULL, at REAL NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_chat ON turns (chat_id, at);
CREATE TABLE IF NOT EXISTS questions (
    user_id INTEGER, chat_id INTEGER, at REAL NOT NULL, latency_ms REAL, abstained INTEGER, failed INTEGER
);
"""


class Memory(Protocol):
    """Where a conversation's turns are kept, per chat."""

    def history(self, chat_id: ChatKey) -> list[Turn]:
        """The chat's recent turns, oldest first."""
        ...

    def add(self, chat_id: ChatKey, turn: Turn) -> None:
        """Remember a turn."""
        ...

    def reset(self, chat_id: ChatKey) -> None:
        """Forget the chat's conversation."""
        ...


class InProcessMemory:
    """Turns kept in this process (the REPL): the last `max_turns` per chat.

    Args:
        max_turns: how many turns a follow-up can look back on.
    """

    def __init__(self, max_turns: int = DEFAULT_HISTORY_TURNS) -> None:
        self._turns: defaultdict[ChatKey, deque[Turn]] = defaultdict(lambda: deque(maxlen=max_turns))

    def history(self, chat_id: ChatKey) -> list[Turn]:
        """The chat's recent turns, oldest first."""
        return list(self._turns[chat_id])

    def add(self, chat_id: ChatKey, turn: Turn) -> None:
        """Remember a turn; the oldest falls out past `max_turns`."""
        self._turns[chat_id].append(turn)

    def reset(self, chat_id: ChatKey) -> None:
        """Forget the chat's conversation."""
        self._turns.pop(chat_id, None)


def _answer_to_json(answer: Answer) -> str:
    return json.dumps(
        {
            **answer.to_dict(),
            "search_query": answer.search_query,
            "carried": answer.carried,
            "off_story": answer.off_story,
            "said_before": answer.said_before,
            "unsure": answer.unsure,
            "passages": [{"text": p.page_content, "metadata": _plain(p.metadata)} for p in answer.passages],
        }
    )


def _plain(metadata: dict) -> dict:
    return {k: v for k, v in metadata.items() if isinstance(v, str | int | float | bool | list | type(None))}


def _answer_from_json(raw: str) -> Answer:
    data = json.loads(raw)
    return Answer(
        question=data["question"],
        answer=data["answer"],
        abstained=data["abstained"],
        generator=data["generator"],
        citations=[Citation(**c) for c in data["citations"]],
        passages=[Document(page_content=p["text"], metadata=p["metadata"]) for p in data.get("passages", [])],
        notice=data.get("notice"),
        search_query=data.get("search_query"),
        carried=data.get("carried") or "",
        off_story=bool(data.get("off_story")),
        said_before=bool(data.get("said_before")),
        unsure=bool(data.get("unsure")),
    )


class SqliteMemory:
    """Conversations per chat in SQLite, bounded to the last `max_turns` turns no older than `max_age_s` seconds.

    Args:
        path: the SQLite file (created when missing).
        max_turns: how many turns a follow-up can look back on.
        max_age_s: turns older than this are forgotten.
    """

    def __init__(
        self, path: Path, max_turns: int = DEFAULT_HISTORY_TURNS, max_age_s: float = DEFAULT_HISTORY_MAX_AGE_S
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()
        self.max_turns = max_turns
        self.max_age_s = max_age_s

    def history(self, chat_id: ChatKey) -> list[Turn]:
        """The chat's recent turns, oldest first."""
        since = time.time() - self.max_age_s
        with self._lock:
            rows = self._db.execute(
                "SELECT question, answer FROM turns WHERE chat_id = ? AND at >= ? ORDER BY at DESC LIMIT ?",
                (chat_id, since, self.max_turns),
            ).fetchall()
        return [Turn(q, _answer_from_json(a)) for q, a in reversed(rows)]

    def add(self, chat_id: ChatKey, turn: Turn) -> None:
        """Remember a turn and drop what falls out of the bounds."""
        now = time.time()
        with self._lock:
            self._db.execute(
                "INSERT INTO turns VALUES (?, ?, ?, ?)", (chat_id, now, turn.question, _answer_to_json(turn.answer))
            )
            self._db.execute(
                "DELETE FROM turns WHERE chat_id = ? AND (at < ? OR rowid NOT IN "
                "(SELECT rowid FROM turns WHERE chat_id = ? ORDER BY at DESC LIMIT ?))",
                (chat_id, now - self.max_age_s, chat_id, self.max_turns),
            )

    def reset(self, chat_id: ChatKey) -> None:
        """Forget the chat's conversation."""
        with self._lock:
            self._db.execute("DELETE FROM turns WHERE chat_id = ?", (chat_id,))

    def record(self, user_id: int | None, chat_id: int, latency_ms: float, abstained: bool, failed: bool) -> None:
        """Count a question for /stats."""
        with self._lock:
            self._db.execute(
                "INSERT INTO questions VALUES (?, ?, ?, ?, ?, ?)",
                (user_id, chat_id, time.time(), latency_ms, int(abstained), int(failed)),
            )

    def stats(self) -> dict[str, float | int]:
        """Users, questions, abstentions, failures and answer latency percentiles."""
        with self._lock:
            users, questions, abstained, failed = self._db.execute(
                "SELECT COUNT(DISTINCT user_id), COUNT(*), COALESCE(SUM(abstained), 0), COALESCE(SUM(failed), 0) "
                "FROM questions"
            ).fetchone()
            latencies = [
                r[0] for r in self._db.execute("SELECT latency_ms FROM questions WHERE failed = 0 ORDER BY latency_ms")
            ]
        p50, p95 = _percentiles(latencies)
        return {
            "users": users,
            "questions": questions,
            "abstained": abstained,
            "failed": failed,
            "latency_ms_p50": p50,
            "latency_ms_p95": p95,
        }

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


def _percentiles(values: list[float]) -> tuple[float, float]:
    """p50 and p95 of `values` (0 when there are none)."""
    if len(values) < 2:
        return (values[0], values[0]) if values else (0.0, 0.0)
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94]
