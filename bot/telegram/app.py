"""The Telegram bot: python-telegram-bot v22 handlers over the same answering core as the REPL."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import escape

from telegram import BotCommand, LinkPreviewOptions, Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.answer import Answer, Turn
from bot.config import Settings
from bot.core import MAX_QUESTION_CHARS, Answerer
from bot.overview import Overview, build_overview
from bot.telegram.access import RateLimiter, UserList
from bot.telegram.delivery import PerChatUpdateProcessor, RetryingRateLimiter
from bot.telegram.formatting import answer_blocks, linked_title, pack, passages_blocks
from bot.telegram.memory import ChatMemory
from retrieval.errors import ConfigError

logger = logging.getLogger(__name__)

TOKEN_PATTERN = re.compile(r"^\d{4,}:[A-Za-z0-9_-]{30,}$")
ANSWER_THREADS = 4
TYPING_EVERY_S = 4.0
EDIT_EVERY_S = 1.0  # Telegram allows about one edit per second per chat
DRAFT_CHARS = 3500
COMMANDS = [
    BotCommand("start", "What I know and how to ask"),
    BotCommand("help", "How to use the bot"),
    BotCommand("sources", "The passages behind my last answer"),
    BotCommand("articles", "The articles I have indexed"),
    BotCommand("reset", "Forget our conversation"),
]
REFUSAL = "Sorry, this bot is private."
APOLOGY = "Sorry, something went wrong on my side while answering. Please try again in a moment."
HELP = (
    "Ask me a question about the news articles I have indexed, in plain words. I answer with sentences quoted "
    'from the articles and number my sources; follow-up questions ("what did he say then?") use our '
    "conversation.\n\n/sources shows the passages behind my last answer, /articles lists the articles, "
    "/reset forgets our conversation. In groups, mention me or reply to me."
)


@dataclass
class BotState:
    """Everything the handlers share (kept in `application.bot_data`)."""

    answerer: Answerer
    memory: ChatMemory
    allowed: UserList
    admins: UserList
    limiter: RateLimiter
    executor: ThreadPoolExecutor
    overview: Overview | None = None


def _state(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    return context.application.bot_data["newsbot"]  # type: ignore[no-any-return]


async def _reply_html(message: Message, texts: list[str], quote: bool = False) -> None:
    """Send packed HTML messages as replies; `quote` threads the first under the question (groups)."""
    for index, text in enumerate(texts):
        await message.reply_text(
            text,
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            do_quote=quote and index == 0,
        )


# -- gate ---------------------------------------------------------------------------------------------------


def addressed_text(message: Message, bot_username: str, bot_id: int) -> str | None:
    """The question in `message` with the bot's @mention removed; None when a group message is not for the bot."""
    text = message.text or message.caption or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    mention = f"@{bot_username}".lower()
    mentioned = any(
        (e.type == MessageEntity.MENTION and message.parse_entity(e).lower() == mention)
        or (e.type == MessageEntity.TEXT_MENTION and e.user is not None and e.user.id == bot_id)
        for e in (message.entities or ())
    )
    replied = bool(
        message.reply_to_message
        and message.reply_to_message.from_user
        and message.reply_to_message.from_user.id == bot_id
    )
    if not (mentioned or replied or text.startswith("/")):
        return None
    return re.sub(re.escape(mention), " ", text, flags=re.I)


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Drop group chatter not addressed to the bot; refuse users outside TELEGRAM_ALLOWED_USERS."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or user.is_bot:
        raise ApplicationHandlerStop
    if addressed_text(message, context.bot.username, context.bot.id) is None:
        raise ApplicationHandlerStop
    state = _state(context)
    if (
        not state.allowed.empty
        and not state.allowed.contains(user.id, user.username)
        and not (state.admins.contains(user.id, user.username))
    ):
        logger.info("refused user %s", user.id)
        await message.reply_text(REFUSAL)
        raise ApplicationHandlerStop


# -- commands -----------------------------------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet the user: what the bot knows and example questions."""
    state = _state(context)
    overview = state.overview
    lines = ["Hello! I answer questions about news articles and show where every answer comes from."]
    if overview:
        lines.append(overview.covers())
        if overview.examples:
            lines.append("Try for example:\n" + "\n".join(f"• {q}" for q in overview.examples))
    lines.append("/help explains the rest.")
    await update.effective_message.reply_text("\n\n".join(lines))  # type: ignore[union-attr]


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain how to use the bot."""
    await update.effective_message.reply_text(HELP)  # type: ignore[union-attr]


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the passages behind the last answer in this chat."""
    last = _state(context).memory.last(update.effective_chat.id)  # type: ignore[union-attr]
    await _reply_html(update.effective_message, pack(passages_blocks(last.passages if last else [])))  # type: ignore[arg-type]


async def reset(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Forget this chat's conversation."""
    _state(context).memory.reset(update.effective_chat.id)  # type: ignore[union-attr]
    await update.effective_message.reply_text("Done: I've forgotten our conversation.")  # type: ignore[union-attr]


async def articles(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the indexed articles, newest first."""
    store = _state(context).answerer.retriever.store
    stored = await asyncio.get_running_loop().run_in_executor(_state(context).executor, store.articles)
    rows = sorted(stored.values(), key=lambda a: (a.date or "", a.id), reverse=True)
    blocks = [f"<b>{len(rows)} articles</b>"] + [f"• {linked_title(a.title, a.url, a.date)}" for a in rows]
    await _reply_html(update.effective_message, pack(blocks))  # type: ignore[arg-type]


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Usage figures, for admins only."""
    state = _state(context)
    user = update.effective_user
    if user is None or not state.admins.contains(user.id, user.username):
        await update.effective_message.reply_text("Sorry, /stats is for the bot's admins.")  # type: ignore[union-attr]
        return
    s = state.memory.stats()
    await update.effective_message.reply_text(  # type: ignore[union-attr]
        f"Users: {s['users']}\nQuestions: {s['questions']} ({s['abstained']} declined, {s['failed']} failed)\n"
        f"Answer latency: p50 {s['latency_ms_p50']:.0f} ms, p95 {s['latency_ms_p95']:.0f} ms"
    )


# -- questions ----------------------------------------------------------------------------------------------


def clean_question(text: str) -> str:
    """Printable characters only, whitespace collapsed, bounded length."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())[:MAX_QUESTION_CHARS]


async def _keep_typing(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    while True:
        with contextlib.suppress(Exception):
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        await asyncio.sleep(TYPING_EVERY_S)


async def answer_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a question with cited sentences from the articles."""
    message = update.effective_message
    chat = update.effective_chat
    user = update.effective_user
    if message is None or chat is None:
        return
    state = _state(context)
    raw = addressed_text(message, context.bot.username, context.bot.id) or ""
    question = clean_question(raw)
    if not question:
        await message.reply_text("I can only read text. Ask me a question about the articles, or see /help.")
        return
    wait = state.limiter.retry_in(user.id if user else chat.id)
    if wait:
        await message.reply_text(f"You're asking faster than I can keep up: please wait {wait:.0f} s and ask again.")
        return
    typing = asyncio.create_task(_keep_typing(context, chat.id))
    started = time.perf_counter()
    placeholder: Message | None = None
    try:
        history = state.memory.history(chat.id)
        if state.answerer.llm is None:
            answer: Answer = await asyncio.get_running_loop().run_in_executor(
                state.executor, state.answerer.answer, question, history
            )
        else:
            answer, placeholder = await _stream_answer(state, message, question, history)
    except Exception:
        state.memory.record(user.id if user else None, chat.id, 0.0, False, True)
        raise
    finally:
        typing.cancel()
    latency = (time.perf_counter() - started) * 1000
    state.memory.add(chat.id, Turn(question, answer))
    state.memory.record(user.id if user else None, chat.id, latency, answer.abstained, False)
    covers = state.overview.covers() if state.overview and answer.abstained else ""
    messages = pack(answer_blocks(answer, covers))
    if placeholder is not None:  # the streamed draft becomes the first part of the final answer
        await placeholder.edit_text(
            messages.pop(0), parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
        )
    await _reply_html(message, messages, quote=chat.type != ChatType.PRIVATE and placeholder is None)


async def _stream_answer(
    state: BotState, message: Message, question: str, history: list[Turn]
) -> tuple[Answer, Message | None]:
    """Run the LLM stream in the thread pool, editing a draft message at most once per `EDIT_EVERY_S`."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[object] = asyncio.Queue()
    done = object()

    def produce() -> None:
        try:
            for item in state.answerer.stream(question, history):
                loop.call_soon_threadsafe(queue.put_nowait, item)
        except BaseException as exc:  # handed to the event loop, raised there
            loop.call_soon_threadsafe(queue.put_nowait, exc)
        finally:
            loop.call_soon_threadsafe(queue.put_nowait, done)

    worker = loop.run_in_executor(state.executor, produce)
    draft, shown, last_edit = "", "", 0.0
    placeholder: Message | None = None
    answer: Answer | None = None
    while (item := await queue.get()) is not done:
        if isinstance(item, BaseException):
            raise item
        if isinstance(item, Answer):
            answer = item
            continue
        draft += str(item)
        if time.monotonic() - last_edit >= EDIT_EVERY_S and draft.strip() and draft != shown:
            text = escape(draft[-DRAFT_CHARS:]) + " …"
            if placeholder is None:
                placeholder = await message.reply_text(text, parse_mode=ParseMode.HTML)
            else:
                with contextlib.suppress(BadRequest):  # "message is not modified" and the like
                    await placeholder.edit_text(text, parse_mode=ParseMode.HTML)
            shown, last_edit = draft, time.monotonic()
    await worker
    assert answer is not None
    return answer, placeholder


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error with its traceback, then apologise briefly to the user."""
    logger.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        with contextlib.suppress(Exception):
            await update.effective_message.reply_text(APOLOGY)


# -- wiring -------------------------------------------------------------------------------------------------


def check_token(settings: Settings) -> str:
    """The bot token, or a `ConfigError` that never repeats it."""
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value().strip():
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in .env")
    token = settings.telegram_bot_token.get_secret_value().strip()
    if not TOKEN_PATTERN.match(token):
        raise ConfigError("TELEGRAM_BOT_TOKEN is malformed: it should look like 123456789:AA... (from @BotFather)")
    return token


def build_application(settings: Settings, answerer: Answerer, memory: ChatMemory) -> Application:
    """The PTB `Application` with every handler wired, ready for polling or a webhook."""
    token = check_token(settings)
    state = BotState(
        answerer=answerer,
        memory=memory,
        allowed=UserList.parse(settings.telegram_allowed_users, "TELEGRAM_ALLOWED_USERS"),
        admins=UserList.parse(settings.telegram_admins, "TELEGRAM_ADMINS"),
        limiter=RateLimiter(settings.telegram_rate_limit),
        executor=ThreadPoolExecutor(ANSWER_THREADS, thread_name_prefix="answer"),
    )
    builder = (
        Application.builder()
        .token(token)
        .rate_limiter(RetryingRateLimiter())
        .concurrent_updates(PerChatUpdateProcessor())
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
    application = builder.build()
    application.bot_data["newsbot"] = state
    application.add_handler(TypeHandler(Update, gate), group=-1)
    for name, callback in [
        ("start", start),
        ("help", help_command),
        ("sources", sources),
        ("reset", reset),
        ("articles", articles),
        ("stats", stats),
    ]:
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(MessageHandler(~filters.COMMAND & ~filters.StatusUpdate.ALL, answer_message))
    application.add_error_handler(error_handler)
    return application


async def _post_init(application: Application) -> None:
    state: BotState = application.bot_data["newsbot"]
    await application.bot.set_my_commands(COMMANDS)
    state.overview = await asyncio.get_running_loop().run_in_executor(state.executor, build_overview, state.answerer)
    logger.info("serving %d articles as @%s", state.overview.articles, application.bot.username)


async def _post_shutdown(application: Application) -> None:
    state: BotState = application.bot_data["newsbot"]
    state.executor.shutdown(wait=False, cancel_futures=True)


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


def run(settings: Settings, answerer: Answerer) -> None:
    """Serve until interrupted: long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set."""
    token = check_token(settings)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(token))
    memory = ChatMemory(
        settings.store.expanduser() / "conversations.sqlite3",
        max_turns=settings.history_turns,
        max_age_s=settings.history_max_age_s,
    )
    application = build_application(settings, answerer, memory)
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
