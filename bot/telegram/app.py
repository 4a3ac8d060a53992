"""The Telegram bot: builds the python-telegram-bot application and runs it (polling or webhook).

The handlers are in `bot/telegram/handlers.py`; they call the same conversation core as the REPL.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from concurrent.futures import ThreadPoolExecutor

import httpx
from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, TypeHandler, filters

from bot.config import Settings
from bot.conversation import RESET_COMMANDS
from bot.core import Answerer
from bot.errors import BotApiUnreachable, ConfigError
from bot.memory import SqliteMemory
from bot.telegram import admin, handlers
from bot.telegram.access import RateLimiter, UserList
from bot.telegram.delivery import PerChatUpdateProcessor, RetryingRateLimiter
from bot.telegram.handlers import BotData, BotState, NewsbotContext
from bot.telegram.updates import JournalingQueue, UpdateJournal
from bot.telegram.webhook import serve_webhook
from retrieval.store import NewsStore

logger = logging.getLogger(__name__)

TOKEN_PATTERN = re.compile(r"^\d{4,}:[A-Za-z0-9_-]{30,}$")
ANSWER_THREADS = 4  # retrieval and scoring release the GIL in numpy/onnxruntime; more threads only queue
# PTB's 5 s read timeout is shorter than a busy Bot API can take to answer a send; a send that times out is not
# repeated (it may have arrived), so give the answer time to come back.
SEND_TIMEOUT_S = 30.0
COMMANDS = [
    BotCommand("start", "What I know and how to ask"),
    BotCommand("help", "How to use the bot"),
    BotCommand("sources", "The passages behind my last answer"),
    BotCommand("articles", "The articles I have indexed"),
    BotCommand("latest", "The newest articles"),
    BotCommand("reset", "Forget our conversation"),
]


def check_token(settings: Settings) -> str:
    """The bot token, or a `ConfigError` that never repeats it."""
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value().strip():
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in .env")
    token = settings.telegram_bot_token.get_secret_value().strip()
    if not TOKEN_PATTERN.match(token):
        raise ConfigError("TELEGRAM_BOT_TOKEN is malformed: it should look like 123456789:AA... (from @BotFather)")
    return token


def check_base_url(settings: Settings) -> None:
    """A `ConfigError` when TELEGRAM_API_BASE_URL is not an http(s) URL with a valid port."""
    raw = settings.telegram_api_base_url
    if not raw:
        return
    try:
        url = httpx.URL(raw)
        valid = url.scheme in ("http", "https") and bool(url.host) and 0 < (url.port or 80) < 65536
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise ConfigError(f"TELEGRAM_API_BASE_URL {raw!r} is not a valid URL ({exc})") from None
    if not valid:
        raise ConfigError(
            f"TELEGRAM_API_BASE_URL {raw!r} is not an http(s) URL with a valid port, e.g. http://127.0.0.1:8081/bot"
        )


def build_application(
    settings: Settings,
    store: NewsStore,
    answerer: Answerer,
    memory: SqliteMemory,
    *,
    journal: UpdateJournal | None = None,
    send_timeout_s: float = SEND_TIMEOUT_S,
) -> Application:
    """The PTB `Application` with every handler wired, ready for polling or a webhook.

    Args:
        settings: the TELEGRAM_* settings.
        store: the article store (for /articles and the overview).
        answerer: the answering core over `store`.
        memory: where conversations and usage figures are kept.
        journal: where received updates are kept until handled; None keeps them in memory (no replay).
        send_timeout_s: how long to wait for the Bot API's answer to a request.
    """
    token = check_token(settings)
    check_base_url(settings)
    journal = journal or UpdateJournal()
    state = BotState(
        answerer=answerer,
        store=store,
        memory=memory,
        allowed=UserList.parse(settings.telegram_allowed_users, "TELEGRAM_ALLOWED_USERS"),
        admins=UserList.parse(settings.telegram_admins, "TELEGRAM_ADMINS"),
        limiter=RateLimiter(settings.telegram_rate_limit),
        executor=ThreadPoolExecutor(ANSWER_THREADS, thread_name_prefix="answer"),
    )
    builder = (
        Application.builder()
        .token(token)
        .context_types(ContextTypes(context=NewsbotContext, bot_data=BotData))
        .rate_limiter(RetryingRateLimiter())
        .update_queue(JournalingQueue(journal))
        .concurrent_updates(PerChatUpdateProcessor(journal))
        .read_timeout(send_timeout_s)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
    application = builder.build()
    application.bot_data.state = state
    application.add_handler(TypeHandler(Update, handlers.gate), group=-1)
    admin.install(application, settings, store)  # /add, documents, /latest, /articles; the feed watcher
    for name, callback in [
        ("start", handlers.start),
        ("help", handlers.help_command),
        ("sources", handlers.sources),
        (RESET_COMMANDS, handlers.reset),
        ("stats", handlers.stats),
    ]:
        application.add_handler(CommandHandler(name, callback, filters=filters.UpdateType.MESSAGE))
    application.add_handler(MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, handlers.unknown_command))
    application.add_handler(MessageHandler(~filters.COMMAND & ~filters.StatusUpdate.ALL, handlers.answer_message))
    application.add_error_handler(handlers.error_handler)
    return application


def _state(application: Application) -> BotState:
    data: BotData = application.bot_data
    assert data.state is not None
    return data.state


async def _post_init(application: Application) -> None:
    state = _state(application)
    await application.bot.set_my_commands(COMMANDS)
    overview = await state.current_overview()
    logger.info("serving %d articles as @%s", overview.articles, application.bot.username)
    queue = application.update_queue
    if isinstance(queue, JournalingQueue):
        await queue.replay(application.bot)


async def _post_shutdown(application: Application) -> None:
    _state(application).executor.shutdown(wait=False, cancel_futures=True)


class RedactToken(logging.Filter):
    """Keep the bot token out of every log line and traceback (URLs and PTB's `InvalidToken` contain it)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg = message.replace(self.token, "<token>")
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.token in record.exc_text:
            record.exc_text = record.exc_text.replace(self.token, "<token>")
        if record.stack_info and self.token in record.stack_info:
            record.stack_info = record.stack_info.replace(self.token, "<token>")
        return True


def run(settings: Settings, store: NewsStore, answerer: Answerer) -> None:
    """Serve until interrupted: long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set.

    Raises:
        ConfigError: the token was rejected, or a setting (API URL, webhook port) is unusable.
        BotApiUnreachable: the Bot API could not be reached at start-up.
    """
    token = check_token(settings)
    redact = RedactToken(token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    path = settings.store.expanduser() / "conversations.sqlite3"
    memory = SqliteMemory(path, max_turns=settings.history_turns, max_age_s=settings.history_max_age_s)
    journal = UpdateJournal(path, bot_id=int(token.split(":")[0]))
    application = build_application(settings, store, answerer, memory, journal=journal)
    try:
        if settings.telegram_webhook_url:
            secret = (
                settings.telegram_webhook_secret.get_secret_value()
                if settings.telegram_webhook_secret
                else secrets.token_urlsafe(32)
            )
            asyncio.run(
                serve_webhook(
                    application,
                    listen=settings.telegram_webhook_listen,
                    port=settings.telegram_webhook_port,
                    url=settings.telegram_webhook_url,
                    secret=secret,
                )
            )
        else:
            # Connect (getMe) before run_polling, which would log the failure with a traceback before raising it.
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            loop.run_until_complete(application.initialize())
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        raise ConfigError(
            "Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): check the token from @BotFather"
        ) from None
    except NetworkError as exc:  # only start-up errors get here: PTB retries later ones itself
        where = settings.telegram_api_base_url or "https://api.telegram.org"
        reason = str(exc).replace(token, "<token>")
        message = f"cannot reach the Telegram Bot API at {where} ({reason}): check the network, TELEGRAM_API_BASE_URL"
        raise BotApiUnreachable(message) from None
    finally:
        journal.close()
        memory.close()
