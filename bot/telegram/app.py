"""The Telegram bot: builds the python-telegram-bot application and runs it (polling or webhook).

The handlers are in `bot/telegram/handlers.py`; they call the same conversation core as the REPL.
"""

from __future__ import annotations

import logging
import re
import secrets
from concurrent.futures import ThreadPoolExecutor

from telegram import BotCommand, Update
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, TypeHandler, filters

from bot.config import Settings
from bot.core import Answerer
from bot.errors import ConfigError
from bot.memory import SqliteMemory
from bot.overview import build_overview
from bot.telegram import handlers
from bot.telegram.access import RateLimiter, UserList
from bot.telegram.delivery import PerChatUpdateProcessor, RetryingRateLimiter
from bot.telegram.handlers import BotData, BotState, NewsbotContext
from retrieval.store import NewsStore

logger = logging.getLogger(__name__)

TOKEN_PATTERN = re.compile(r"^\d{4,}:[A-Za-z0-9_-]{30,}$")
ANSWER_THREADS = 4  # retrieval and scoring release the GIL in numpy/onnxruntime; more threads only queue
COMMANDS = [
    BotCommand("start", "What I know and how to ask"),
    BotCommand("help", "How to use the bot"),
    BotCommand("sources", "The passages behind my last answer"),
    BotCommand("articles", "The articles I have indexed"),
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


def build_application(settings: Settings, store: NewsStore, answerer: Answerer, memory: SqliteMemory) -> Application:
    """The PTB `Application` with every handler wired, ready for polling or a webhook.

    Args:
        settings: the TELEGRAM_* settings.
        store: the article store (for /articles and the overview).
        answerer: the answering core over `store`.
        memory: where conversations and usage figures are kept.
    """
    token = check_token(settings)
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
        .concurrent_updates(PerChatUpdateProcessor())
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
    application = builder.build()
    application.bot_data.state = state
    application.add_handler(TypeHandler(Update, handlers.gate), group=-1)
    for name, callback in [
        ("start", handlers.start),
        ("help", handlers.help_command),
        ("sources", handlers.sources),
        ("reset", handlers.reset),
        ("articles", handlers.articles),
        ("stats", handlers.stats),
    ]:
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(MessageHandler(filters.COMMAND, handlers.unknown_command))
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
    state.overview = await state.run_sync(build_overview, state.store, state.answerer.answer)
    logger.info("serving %d articles as @%s", state.overview.articles, application.bot.username)


async def _post_shutdown(application: Application) -> None:
    _state(application).executor.shutdown(wait=False, cancel_futures=True)


class RedactToken(logging.Filter):
    """Keep the bot token out of every log line (URLs in library logs contain it)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg = message.replace(self.token, "<token>")
            record.args = None
        return True


def run(settings: Settings, store: NewsStore, answerer: Answerer) -> None:
    """Serve until interrupted: long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set."""
    token = check_token(settings)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(token))
    memory = SqliteMemory(
        settings.store.expanduser() / "conversations.sqlite3",
        max_turns=settings.history_turns,
        max_age_s=settings.history_max_age_s,
    )
    application = build_application(settings, store, answerer, memory)
    try:
        if settings.telegram_webhook_url:
            secret = (
                settings.telegram_webhook_secret.get_secret_value()
                if settings.telegram_webhook_secret
                else secrets.token_urlsafe(32)
            )
            application.run_webhook(
                listen=settings.telegram_webhook_listen,
                port=settings.telegram_webhook_port,
                url_path="telegram",
                webhook_url=settings.telegram_webhook_url,
                secret_token=secret,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    finally:
        memory.close()
