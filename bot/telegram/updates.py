"""At-least-once handling of Telegram updates, without duplicates, across crashes and redeliveries.

Telegram forgets an update once the bot confirms it: the next `getUpdates` offset (polling) or a 200 answer
(webhook). python-telegram-bot confirms it before the handlers have run, so a crash in between lost the
question. Here every update is written to SQLite as it enters the application's queue (before it can be
confirmed), marked handled once its handlers finished (`PerChatUpdateProcessor`), and the unhandled ones are
put back in the queue at the next start. An update_id seen before is not queued again: Telegram redelivering an
unconfirmed update, or a webhook retry, is answered once. The one window left is a crash between a reply's
delivery and its mark, which repeats that reply after the restart.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from telegram import Bot, Update

logger = logging.getLogger(__name__)

KEEP_S = 2 * 24 * 3600.0  # Telegram keeps an unconfirmed update for 24 hours; remember ids a little longer
PRUNE_EVERY = 1000  # updates received between two clean-ups of the old ones
MAX_ATTEMPTS = 3  # an update whose handling crashed the bot this often is dropped, not replayed forever

_SCHEMA = """
CREATE TABLE IF NOT EXISTS telegram_updates (
    bot_id INTEGER NOT NULL, update_id INTEGER NOT NULL, body TEXT NOT NULL, received REAL NOT NULL,
    handled INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (bot_id, update_id)
);
"""


class UpdateJournal:
    """The updates received and whether they were handled, in SQLite.

    Args:
        path: the SQLite file (created when missing); the conversations' file serves well. None keeps the
            journal in memory (de-duplication only, nothing survives a restart).
        bot_id: the bot's id (the token's first part): update_ids are per bot.
    """

    def __init__(self, path: Path | None = None, bot_id: int = 0) -> None:
        self.bot_id = bot_id
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # durable across a process crash, which is what we guard
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()
        self._received = 0
        self._prune()

    def _prune(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM telegram_updates WHERE received < ?", (time.time() - KEEP_S,))

    def receive(self, update: Update) -> bool:
        """Remember `update`; False when its update_id was received before (a redelivery)."""
        with self._lock:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO telegram_updates (bot_id, update_id, body, received) VALUES (?, ?, ?, ?)",
                (self.bot_id, update.update_id, update.to_json(), time.time()),
            )
        self._received += 1
        if self._received % PRUNE_EVERY == 0:
            self._prune()
        return cursor.rowcount == 1

    def handled(self, update_id: int) -> None:
        """Mark an update handled: it is not replayed."""
        with self._lock:
            self._db.execute(
                "UPDATE telegram_updates SET handled = 1 WHERE bot_id = ? AND update_id = ?", (self.bot_id, update_id)
            )

    def unhandled(self, bot: Bot) -> list[Update]:
        """The updates received but not handled (oldest first), counting this as one more attempt."""
        with self._lock:
            rows = self._db.execute(
                "SELECT update_id, body, attempts FROM telegram_updates WHERE bot_id = ? AND handled = 0 "
                "ORDER BY update_id",
                (self.bot_id,),
            ).fetchall()
            self._db.execute(
                "UPDATE telegram_updates SET attempts = attempts + 1, handled = (attempts >= ?) "
                "WHERE bot_id = ? AND handled = 0",
                (MAX_ATTEMPTS, self.bot_id),
            )
        updates = []
        for update_id, body, attempts in rows:
            if attempts >= MAX_ATTEMPTS:
                logger.error("update %s was being handled at %d crashes: dropping it", update_id, attempts)
                continue
            update = Update.de_json(json.loads(body), bot)
            if update is not None:
                updates.append(update)
        return updates

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


class JournalingQueue(asyncio.Queue[Any]):
    """The application's update queue: journals each update as it is queued and drops ones seen before.

    Both PTB's poller and the webhook put updates here before confirming them to Telegram.

    Args:
        journal: where the updates are kept.
    """

    def __init__(self, journal: UpdateJournal) -> None:
        super().__init__()
        self.journal = journal
        self._queued: set[int] = set()  # update ids this run queued itself (a webhook may deliver before replay)

    async def put(self, item: Any) -> None:
        """Queue an update unless it was received before; other objects pass through."""
        if isinstance(item, Update):
            if not self.journal.receive(item):
                logger.info("update %s was delivered again: already handled or in progress", item.update_id)
                return
            self._queued.add(item.update_id)
        await super().put(item)

    async def replay(self, bot: Bot) -> int:
        """Queue the updates a previous run received but did not finish; returns how many."""
        updates = [u for u in self.journal.unhandled(bot) if u.update_id not in self._queued]
        for update in updates:
            await super().put(update)
        if updates:
            logger.warning("answering %d update(s) left unanswered by the previous run", len(updates))
        return len(updates)
