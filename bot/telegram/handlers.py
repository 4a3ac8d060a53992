"""The Telegram handlers: the gate, the commands and questions, each rendering what the conversation core returns.

Handlers look like python-telegram-bot's examples: `async def name(update, context) -> None` with a one-line
docstring. Everything they share is the typed `context.state` (`BotState`), set up by `bot/telegram/app.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html import escape
from typing import Any, TypeVar

from telegram import LinkPreviewOptions, Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, NetworkError
from telegram.ext import ApplicationHandlerStop, CallbackContext, ExtBot

from bot.answer import Answer
from bot.conversation import Conversation
from bot.core import Answerer
from bot.memory import SqliteMemory
from bot.overview import Overview, build_overview
from bot.question import clean_question
from bot.telegram.access import RateLimiter, UserList
from bot.telegram.formatting import answer_blocks, pack, passages_blocks
from retrieval.store import NewsStore

logger = logging.getLogger(__name__)

T = TypeVar("T")
TYPING_EVERY_S = 4.0  # Telegram shows "typing…" for about 5 s per chat action
EDIT_EVERY_S = 1.0  # Telegram allows about one edit per second per chat
DRAFT_CHARS = 3500  # a streamed draft stays one message (4,096 characters at most)
REFUSAL = "Sorry, this bot is private."
SLOW_DOWN = "You're asking faster than I can keep up: please wait {wait:.0f} s and ask again."
APOLOGY = "Sorry, something went wrong on my side while answering. Please try again in a moment."
NO_TEXT = "I can only read text. Ask me a question about the articles, or see /help."
EMPTY_MENTION = "Yes? Ask me a question about the articles after mentioning me, for example: @{bot} what happened?"
HELP = (
    "Ask me a question about the news articles I have indexed, in plain words. I answer with sentences quoted "
    'from the articles and number my sources; follow-up questions ("what did he say then?") use our '
    'conversation, "tell me more" quotes what I have not said yet, and "where is that from?" names my sources. '
    '"Any news?" or "any news on football?" gives the newest stories.\n\n'
    "/sources shows the passages behind my last answer, /articles lists the articles, "
    "/reset (or /clear, /new) forgets our conversation. In groups, mention me or reply to me."
)


@dataclass(kw_only=True)
class BotState:
    """Everything the handlers share."""

    answerer: Answerer
    store: NewsStore
    memory: SqliteMemory
    allowed: UserList
    admins: UserList
    limiter: RateLimiter
    executor: ThreadPoolExecutor
    overview: Overview | None = None
    admitted: set[tuple[str, int]] = field(default_factory=set)  # (@username, id) pairs logged once
    _overview_lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)

    async def run_sync(self, func: Callable[..., T], *args: Any) -> T:
        """Run a blocking call (retrieval, SQLite) in the answering thread pool."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, func, *args)

    async def current_overview(self) -> Overview:
        """The overview of the corpus as it is now: rebuilt once after /add, an upload or the feed watcher
        changed the store (the counts and examples of /start and of a declined answer stay true)."""
        async with self._overview_lock:
            generation = await self.run_sync(lambda: self.store.generation)
            if self.overview is None or self.overview.generation != generation:
                self.overview = await self.run_sync(build_overview, self.store, self.answerer.answer)
            return self.overview

    def conversation(self, chat_id: int) -> Conversation:
        """The conversation of chat `chat_id`."""
        return Conversation(self.answerer, self.memory, chat_id)

    def is_admin(self, user_id: int | None, username: str | None) -> bool:
        """True for users listed in TELEGRAM_ADMINS."""
        return self.admins.contains(user_id, username)


class BotData:
    """Application-wide data (`context.bot_data`): the bot's state, set once when the application is built."""

    def __init__(self) -> None:
        self.state: BotState | None = None


class NewsbotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """PTB's callback context with the bot's state typed (`ContextTypes(context=NewsbotContext, ...)`)."""

    @property
    def state(self) -> BotState:
        """The bot's shared state."""
        if self.bot_data.state is None:
            raise RuntimeError("the application was not built with build_application()")
        return self.bot_data.state


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


async def gate(update: Update, context: NewsbotContext) -> None:
    """Drop group chatter not addressed to the bot; refuse users outside TELEGRAM_ALLOWED_USERS."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or user.is_bot:
        raise ApplicationHandlerStop
    if addressed_text(message, context.bot.username, context.bot.id) is None:
        raise ApplicationHandlerStop
    state = context.state
    allowed = state.allowed.empty or state.allowed.contains(user.id, user.username)
    if not allowed and not state.is_admin(user.id, user.username):
        logger.info("refused user %s", user.id)
        await message.reply_text(REFUSAL)
        raise ApplicationHandlerStop
    _log_admitted_username(state, user.id, user.username)


def _log_admitted_username(state: BotState, user_id: int, username: str | None) -> None:
    """Log, once, the id behind a username that let a user in: a username can pass to another account."""
    if username is None or user_id in state.allowed.ids or user_id in state.admins.ids:
        return
    if not (state.allowed.contains(None, username) or state.admins.contains(None, username)):
        return
    if (username.lower(), user_id) not in state.admitted:
        state.admitted.add((username.lower(), user_id))
        logger.warning(
            "admitted @%s as user id %s; list the id instead of the username, which another account can take over",
            username,
            user_id,
        )


# -- commands -----------------------------------------------------------------------------------------------


async def start(update: Update, context: NewsbotContext) -> None:
    """Greet the user: what the bot knows and example questions."""
    if update.effective_message is None:
        return
    overview = await context.state.current_overview()
    lines = ["Hello! I answer questions about news articles and show where every answer comes from."]
    lines.append(overview.covers())
    if overview.examples:
        lines.append("Try for example:\n" + "\n".join(f"• {q}" for q in overview.examples))
    lines.append("/help explains the rest.")
    await update.effective_message.reply_text("\n\n".join(lines))


async def help_command(update: Update, context: NewsbotContext) -> None:
    """Explain how to use the bot."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(HELP)


async def unknown_command(update: Update, context: NewsbotContext) -> None:
    """Say which commands there are, for a /command the bot does not know."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            "I don't know that command. /help lists what I can do; anything else you write is a question."
        )


async def sources(update: Update, context: NewsbotContext) -> None:
    """Show the passages behind the last answer in this chat."""
    if update.effective_message is None or update.effective_chat is None:
        return
    conversation = context.state.conversation(update.effective_chat.id)
    last = await context.state.run_sync(lambda: conversation.last)
    await _reply_html(update.effective_message, pack(passages_blocks(last.passages if last else [])))


async def reset(update: Update, context: NewsbotContext) -> None:
    """Forget this chat's conversation."""
    if update.effective_message is None or update.effective_chat is None:
        return
    context.state.conversation(update.effective_chat.id).reset()
    await update.effective_message.reply_text("Done: I've forgotten our conversation.")


async def stats(update: Update, context: NewsbotContext) -> None:
    """Usage figures, for admins only."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if not context.state.is_admin(user.id, user.username):
        await message.reply_text("Sorry, /stats is for the bot's admins.")
        return
    s = context.state.memory.stats()
    await message.reply_text(
        f"Users: {s['users']}\nQuestions: {s['questions']} ({s['abstained']} declined, {s['failed']} failed)\n"
        f"Answer latency: p50 {s['latency_ms_p50']:.0f} ms, p95 {s['latency_ms_p95']:.0f} ms"
    )


# -- questions ----------------------------------------------------------------------------------------------


async def _keep_typing(context: NewsbotContext, chat_id: int) -> None:
    while True:
        with contextlib.suppress(Exception):
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        await asyncio.sleep(TYPING_EVERY_S)


async def answer_message(update: Update, context: NewsbotContext) -> None:
    """Answer a question with cited sentences from the articles; an edited question is answered again."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None:
        return
    edited = update.edited_message is not None  # a correction: the answer is threaded under the edited question
    state = context.state
    raw = addressed_text(message, context.bot.username, context.bot.id) or ""
    question = clean_question(raw)
    if not question:
        has_text = bool(message.text or message.caption)
        await message.reply_text(EMPTY_MENTION.format(bot=context.bot.username) if has_text else NO_TEXT)
        return
    verdict = state.limiter.check(user.id if user else chat.id, (chat.id, message.message_id))
    if not verdict.allowed:
        if verdict.notify:
            await message.reply_text(SLOW_DOWN.format(wait=verdict.wait_s))
        return
    conversation = state.conversation(chat.id)
    typing = asyncio.create_task(_keep_typing(context, chat.id))
    started = time.perf_counter()
    try:
        answer, draft_message = await _answer_streaming(state, conversation, message, question)
    except Exception:
        state.memory.record(user.id if user else None, chat.id, 0.0, False, True)
        raise
    finally:
        typing.cancel()
    latency = (time.perf_counter() - started) * 1000
    covers = (await state.current_overview()).covers() if answer.abstained else ""
    messages = pack(answer_blocks(answer, covers))
    if draft_message is not None:  # the streamed draft becomes the first part of the final answer
        await draft_message.edit_text(
            messages.pop(0), parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
        )
    await _reply_html(message, messages, quote=(edited or chat.type != ChatType.PRIVATE) and draft_message is None)
    conversation.record(answer)  # only a delivered answer becomes a turn of the conversation
    state.memory.record(user.id if user else None, chat.id, latency, answer.abstained, False)


async def _answer_streaming(
    state: BotState, conversation: Conversation, message: Message, question: str
) -> tuple[Answer, Message | None]:
    """The answer; an LLM's text is shown as a draft message, edited at most once per `EDIT_EVERY_S`."""
    reply = conversation.aask(question, run_sync=state.run_sync, record=False)
    draft, shown, last_edit = "", "", 0.0
    draft_message: Message | None = None
    async for chunk in reply:
        draft += chunk
        if time.monotonic() - last_edit >= EDIT_EVERY_S and draft.strip() and draft != shown:
            text = escape(draft[-DRAFT_CHARS:]) + " …"
            if draft_message is None:
                draft_message = await message.reply_text(text, parse_mode=ParseMode.HTML)
            else:
                with contextlib.suppress(BadRequest):  # "message is not modified" and the like
                    await draft_message.edit_text(text, parse_mode=ParseMode.HTML)
            shown, last_edit = draft, time.monotonic()
    return await reply.aanswer(), draft_message


async def error_handler(update: object, context: NewsbotContext) -> None:
    """Log the error with its traceback, then apologise briefly to the user."""
    logger.error("error while handling an update", exc_info=context.error)
    if isinstance(context.error, NetworkError) and not isinstance(context.error, BadRequest):
        return  # Telegram unreachable (an apology would not get through) or a reply that may have arrived
    if isinstance(update, Update) and update.effective_message:
        with contextlib.suppress(Exception):
            await update.effective_message.reply_text(APOLOGY)
