"""Running the real Telegram application against the Bot API stand-in: shared by the Telegram test files."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

from botapi import BotApiStandIn

from bot.config import Settings
from bot.core import Answerer
from bot.memory import SqliteMemory
from bot.telegram.app import build_application

TOKEN = "123456789:AAF" + "x" * 32


class BotRunner:
    """Runs the real Application (long polling) in a thread with its own event loop."""

    def __init__(
        self,
        standin: BotApiStandIn,
        answerer: Answerer,
        memory_path: Path,
        build: dict[str, Any] | None = None,
        **env: str,
    ) -> None:
        values = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": standin.base_url, **env}
        self.settings = Settings(**{k: v for k, v in values.items()})
        self.memory = SqliteMemory(memory_path)
        self.application = build_application(
            self.settings, answerer.retriever.store, answerer, self.memory, **(build or {})
        )
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.application.run_polling(stop_signals=None, close_loop=False, poll_interval=0.0, timeout=1)

    def __enter__(self) -> BotRunner:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not (self.application.running and self.application.bot_data.state.overview):
            if time.monotonic() > deadline:
                raise TimeoutError("bot did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.application.stop_running)
        self.thread.join(30)
        self.memory.close()


def ask(
    standin: BotApiStandIn, text: str | None, chat_id: int = 111, expect: int = 1, settle: float = 0.0, **kw
) -> list[str]:
    """Send a message and return the bot's replies: `expect` of them, plus any more within `settle` seconds."""
    before = len([s for s in standin.messages(chat_id) if s.method == "sendMessage"])
    standin.push_message(text, chat_id=chat_id, **kw)
    standin.wait_for(chat_id, before + expect)
    time.sleep(settle)
    sent = [s for s in standin.messages(chat_id) if s.method == "sendMessage"]
    return [s.text for s in sent[before:]]
