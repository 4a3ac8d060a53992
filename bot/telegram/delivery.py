"""Getting replies out reliably and updates in, in order per chat.

python-telegram-bot's `AIORateLimiter` keeps under Telegram's flood limits and retries `RetryAfter`; it does
not retry timeouts, network errors or 5xx answers, so `RetryingRateLimiter` adds that with backoff (a
Telegram hiccup must not lose a reply). `PerChatUpdateProcessor` runs updates from different chats
concurrently and those of one chat in order, which PTB's `concurrent_updates=True` alone does not promise.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any
from weakref import WeakValueDictionary

from telegram import Update
from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter, BaseUpdateProcessor

logger = logging.getLogger(__name__)

RETRY_DELAYS_S = (0.5, 1.0, 2.0, 4.0)
_NO_RETRY = frozenset({"getUpdates", "setWebhook", "deleteWebhook", "getMe", "close", "logOut"})


class RetryingRateLimiter(AIORateLimiter):
    """`AIORateLimiter` plus retries with backoff on timeouts, network errors and 5xx answers."""

    def __init__(self, delays: tuple[float, ...] = RETRY_DELAYS_S, **kwargs: Any) -> None:
        super().__init__(max_retries=len(delays), **kwargs)
        self._delays = delays

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        attempt = 0
        while True:
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except BadRequest:
                raise  # our request is wrong: sending it again cannot help
            except NetworkError as exc:
                if endpoint in _NO_RETRY or attempt >= len(self._delays):
                    raise
                logger.warning("%s failed (%s); retry %d in %.1fs", endpoint, exc, attempt + 1, self._delays[attempt])
                await asyncio.sleep(self._delays[attempt])
                attempt += 1


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across chats, sequential within a chat."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._locks.get(chat.id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[chat.id] = lock
        async with lock:
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
