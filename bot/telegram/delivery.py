"""Getting replies out reliably and updates in, in order per chat.

python-telegram-bot's `AIORateLimiter` keeps under Telegram's flood limits and retries `RetryAfter`; it does
not retry timeouts, network errors or 5xx answers, so `RetryingRateLimiter` adds that with backoff (a
Telegram hiccup must not lose a reply). A message is sent again only when it certainly was not sent: the
connection was never made, or Telegram answered with an error. A read timeout or a dropped connection after the
request went out may mean it was delivered, and sending it again would give the user two copies.
`PerChatUpdateProcessor` runs updates from different chats concurrently and those of one chat in order, which
PTB's `concurrent_updates=True` alone does not promise; it marks each update handled in the `UpdateJournal`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any
from weakref import WeakValueDictionary

import httpx
from telegram import Update
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import AIORateLimiter, BaseUpdateProcessor

from bot.telegram.updates import UpdateJournal

logger = logging.getLogger(__name__)

RETRY_DELAYS_S = (0.5, 1.0, 2.0, 4.0)
_NO_RETRY = frozenset({"getUpdates", "setWebhook", "deleteWebhook", "getMe", "close", "logOut"})
_COPIES = frozenset({"forwardMessage", "copyMessage"})
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)  # the request never left


def certainly_not_sent(error: NetworkError) -> bool:
    """True when Telegram cannot have acted on the request: no connection was made, or it answered an error.

    PTB raises `NetworkError`/`TimedOut` from the exception of its HTTP library; one without a cause, or caused
    by an unreadable body (a proxy's HTML error page), is an HTTP error answer (5xx). A read timeout, a connection
    dropped mid-request or anything unexpected leaves it unknown.
    """
    return error.__cause__ is None or isinstance(error.__cause__, (*_NOT_SENT, TelegramError))


def creates_a_message(endpoint: str) -> bool:
    """True for calls that would post a second message if repeated (`sendMessage`, not `sendChatAction`)."""
    return (endpoint.startswith("send") and endpoint != "sendChatAction") or endpoint in _COPIES


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
                if creates_a_message(endpoint) and not certainly_not_sent(exc):
                    logger.warning("%s may have been delivered (%s): not sending it again", endpoint, exc)
                    raise
                logger.warning("%s failed (%s); retry %d in %.1fs", endpoint, exc, attempt + 1, self._delays[attempt])
                await asyncio.sleep(self._delays[attempt])
                attempt += 1


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across chats, sequential within a chat; each update is marked handled once its handlers ran.

    Args:
        journal: where received updates are kept until handled (replayed after a crash).
        max_concurrent_updates: PTB's bound on updates in progress.
    """

    def __init__(self, journal: UpdateJournal, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._journal = journal
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
        else:
            lock = self._locks.get(chat.id)
            if lock is None:
                lock = asyncio.Lock()
                self._locks[chat.id] = lock
            async with lock:
                await coroutine
        if isinstance(update, Update):  # handled: answered, refused or apologised for (errors are caught by PTB)
            self._journal.handled(update.update_id)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
