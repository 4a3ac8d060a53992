"""Webhook mode: a small tornado server that hands Telegram's updates to the application.

python-telegram-bot's own `run_webhook` answers a malformed body with a 500 and an exception; this one, built
the way PTB's custom-webhook example is (`Application` without its updater's server, updates put on
`application.update_queue`), checks the secret, answers 400 to a body that is not an update, and goes through
the same journaling queue as polling, so an update delivered twice is answered once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import signal
from http import HTTPStatus

import tornado.web
from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer

from bot.errors import ConfigError

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PATH = "/telegram"


class UpdateHandler(tornado.web.RequestHandler):
    """POST /telegram: one update from Telegram."""

    def initialize(self, bot_app: Application, secret: str) -> None:  # type: ignore[override]
        """Tornado's per-request set-up: what the handler serves."""
        self.telegram_app = bot_app
        self.secret = secret

    async def post(self) -> None:
        """Check the secret, parse the update and queue it."""
        if not secrets.compare_digest(self.request.headers.get(SECRET_HEADER, ""), self.secret):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.telegram_app.bot) if isinstance(data, dict) else None
        except (ValueError, TypeError, KeyError) as exc:
            logger.warning("webhook: a request with the right secret is not an update (%s)", exc)
            update = None
        if update is None:
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST)
        await self.telegram_app.update_queue.put(update)


async def serve_webhook(application: Application, *, listen: str, port: int, url: str, secret: str) -> None:
    """Serve updates posted to `url` (forwarded to `listen:port` + /telegram) until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    server = HTTPServer(
        tornado.web.Application([(rf"{PATH}/?", UpdateHandler, {"bot_app": application, "secret": secret})])
    )
    try:
        server.listen(port, address=listen)
    except (OSError, OverflowError) as exc:
        raise ConfigError(
            f"cannot listen on {listen}:{port} for the webhook ({exc}): check TELEGRAM_WEBHOOK_LISTEN/_PORT"
        ) from None
    try:
        async with application:  # initialize() ... shutdown()
            if application.post_init:
                await application.post_init(application)
            await application.bot.set_webhook(url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
            await application.start()
            logger.info("webhook at %s, listening on %s:%s", url, listen, port)
            try:
                await stop.wait()
            finally:
                await application.stop()
    finally:
        server.stop()
    if application.post_shutdown:
        with contextlib.suppress(Exception):
            await application.post_shutdown(application)
