"""Growing the corpus from Telegram: `/add`, documents, `/latest`, `/articles` and the background feed watcher.

Admins send `/add URL` (an article or a feed, which the watcher then follows) or a document of articles (.txt,
.md, .html, .jsonl, .json or .csv) and get the ingest summary back; everyone can list the newest articles
(`/latest [N]`) and page through them all (`/articles [PAGE]`).

`install(application, settings)` wires it all into the application `bot/telegram/app.py` builds: the handlers,
and the watcher started after the application's own start-up and stopped before its shutdown.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections.abc import Awaitable, Callable
from html import escape
from pathlib import Path
from typing import Any

from telegram import LinkPreviewOptions, Message, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.config import Settings
from bot.telegram.formatting import linked_title, pack
from bot.telegram.handlers import NewsbotContext
from retrieval.catalog import list_articles
from retrieval.feeds import PollReport, Watcher, ingest_urls
from retrieval.ingest import IngestReport, ingest
from retrieval.loaders import SUFFIXES
from retrieval.store import NewsStore
from retrieval.text import counted
from retrieval.web import Fetcher, is_url

logger = logging.getLogger(__name__)

LATEST_DEFAULT = 5
LATEST_MAX = 50
PAGE_SIZE = 20  # articles per /articles page
MAX_DOCUMENT_BYTES = 20 * 2**20  # what the Bot API lets a bot download
SHOWN_ERRORS = 10  # problems listed in a reply; the rest are counted
ADMINS_ONLY = "Sorry, adding articles is for the bot's admins."
ADD_USAGE = "Send /add followed by the link of an article or of an RSS/Atom feed, e.g. /add https://example.com/rss"


def _admin(update: Update, context: NewsbotContext) -> bool:
    user = update.effective_user
    return user is not None and context.state.is_admin(user.id, user.username)


async def _reply(message: Message, blocks: list[str]) -> None:
    for text in pack(blocks):
        await message.reply_text(
            text, parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
        )


def _summary(what: str, report: IngestReport, errors: list[str]) -> list[str]:
    """The ingest summary as HTML blocks: counts, then one escaped line per problem."""
    blocks = [
        escape(
            f"{what}: {counted(report.articles, 'article')}, {counted(report.added, 'passage')} added, "
            f"{report.unchanged} unchanged, {report.removed} removed."
        )
    ]
    blocks += [f"• {escape(e)}" for e in errors[:SHOWN_ERRORS]]
    if len(errors) > SHOWN_ERRORS:
        blocks.append(escape(f"… and {len(errors) - SHOWN_ERRORS} more problems."))
    return blocks


async def add(update: Update, context: NewsbotContext) -> None:
    """Add an article or a feed (which the watcher then follows) by its link; admins only."""
    message = update.effective_message
    if message is None:
        return
    if not _admin(update, context):
        await message.reply_text(ADMINS_ONLY)
        return
    urls = [u for u in (context.args or []) if is_url(u)]
    if not urls or len(urls) != len(context.args or []):
        await message.reply_text(ADD_USAGE)
        return
    await message.reply_text(f"Fetching {len(urls)} link{'s' if len(urls) > 1 else ''}…")
    store = context.state.store

    def run() -> tuple[Any, IngestReport]:
        fetcher = Fetcher()
        try:
            return ingest_urls(urls, store, fetcher, subscribe=True)
        finally:
            fetcher.close()

    collected, report = await asyncio.to_thread(run)  # not the answering pool: an ingest takes seconds
    feeds = f" ({counted(len(collected.feeds), 'feed')} now watched)" if collected.feeds else ""
    await _reply(message, _summary(f"Added{feeds}", report, collected.errors))


async def document(update: Update, context: NewsbotContext) -> None:
    """Add the articles in a .txt, .md, .html, .jsonl, .json or .csv document; admins only."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    if not _admin(update, context):
        await message.reply_text(ADMINS_ONLY)
        return
    sent = message.document
    name = Path(sent.file_name or "document.txt").name
    if Path(name).suffix.lower() not in SUFFIXES:
        await message.reply_text(f"I can add .txt, .md, .html, .jsonl, .json and .csv files, not {name}.")
        return
    if (sent.file_size or 0) > MAX_DOCUMENT_BYTES:
        await message.reply_text(f"{name} is over {MAX_DOCUMENT_BYTES // 2**20} MB, too large to fetch from Telegram.")
        return
    data = await (await sent.get_file()).download_as_bytearray()
    store = context.state.store
    target = _uploads(store) / f"{message.chat_id}-{message.message_id}-{_safe(name)}"
    report = await asyncio.to_thread(_ingest_upload, store, target, bytes(data))
    await _reply(message, _summary(f"Added {name}", report, report.errors))


def _uploads(store: NewsStore) -> Path:
    """Where uploaded documents are kept: beside the store, so later ingests with --prune keep their articles."""
    return store.index_dir.parent / "uploads"


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name)[-100:]


def _ingest_upload(store: NewsStore, target: Path, data: bytes) -> IngestReport:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return ingest([target], store)


async def latest(update: Update, context: NewsbotContext) -> None:
    """List the newest articles: /latest [N]."""
    message = update.effective_message
    if message is None:
        return
    args = context.args or []
    count = int(args[0]) if args and args[0].isdigit() else LATEST_DEFAULT
    count = max(1, min(count, LATEST_MAX))
    rows = await context.state.run_sync(lambda: list_articles(context.state.store, limit=count))
    if not rows:
        await message.reply_text("No articles yet.")
        return
    blocks = [f"<b>The {len(rows)} newest articles</b>"] + [f"• {linked_title(a.title, a.url, a.date)}" for a in rows]
    await _reply(message, blocks)


async def articles(update: Update, context: NewsbotContext) -> None:
    """Page through the indexed articles, newest first: /articles [PAGE]."""
    message = update.effective_message
    if message is None:
        return
    args = context.args or []
    rows = await context.state.run_sync(lambda: list_articles(context.state.store))
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(1, int(args[0]) if args and args[0].isdigit() else 1), pages)
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    blocks = [f"<b>{counted(len(rows), 'article')}</b>, newest first (page {page} of {pages})"]
    blocks += [f"• {linked_title(a.title, a.url, a.date)}" for a in shown]
    if page < pages:
        blocks.append(f"More: /articles {page + 1}")
    await _reply(message, blocks)


class BackgroundWatcher:
    """The feed watcher in a daemon thread (polls block on the network and the model).

    Args:
        store: the news store.
        every_s: seconds between polls.
    """

    def __init__(self, store: NewsStore, every_s: float) -> None:
        self.fetcher = Fetcher()
        self.watcher = Watcher(store, self.fetcher, every_s=every_s, on_report=self._log)
        self.thread = threading.Thread(target=self.watcher.run, name="feed-watcher", daemon=True)

    @staticmethod
    def _log(report: PollReport) -> None:
        if report.feeds:
            logger.info("feeds: %s", report.summary())
        for error in report.errors:
            logger.warning("feeds: %s", error)

    def start(self) -> None:
        """Start polling."""
        self.thread.start()

    def stop(self) -> None:
        """Stop after the poll in progress (not waited for: the thread is a daemon)."""
        self.watcher.stop()
        self.fetcher.close()


Hook = Callable[[Application], Awaitable[None]]


def install(application: Application, settings: Settings, store: NewsStore) -> None:
    """Add the corpus commands and document uploads to `application`, and run the feed watcher with it.

    The handlers go in before the question handler, so a document is not taken for a question; the watcher
    starts after the application's own start-up hook and stops before its shutdown hook.
    """
    command = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("add", add, filters=command))
    application.add_handler(CommandHandler("latest", latest, filters=command))
    application.add_handler(CommandHandler("articles", articles, filters=command))
    application.add_handler(MessageHandler(filters.Document.ALL & command, document))
    background = BackgroundWatcher(store, settings.watch_every_s)
    started: Hook | None = application.post_init
    stopping: Hook | None = application.post_shutdown

    async def post_init(app: Application) -> None:
        if started:
            await started(app)
        background.start()

    async def post_shutdown(app: Application) -> None:
        background.stop()
        if stopping:
            await stopping(app)

    application.post_init = post_init
    application.post_shutdown = post_shutdown
