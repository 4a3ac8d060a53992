"""A Bot API stand-in on loopback: enough of api.telegram.org for python-telegram-bot's real HTTP stack.

It serves `/bot<TOKEN>/<method>`, hands out queued updates through long-polling `getUpdates`, records every
message the bot sends, rejects invalid Telegram HTML the way Telegram does, and can inject faults (429 with
`retry_after`, 5xx) into chosen methods. It runs its own event loop in a thread, so tests and benchmarks drive
it from plain code, and a bot under test can be in-process or a separate `newsbot telegram` process.
"""

from __future__ import annotations

import asyncio
import contextlib
import html.parser
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "span",
    "tg-spoiler",
    "blockquote",
    "tg-emoji",
}
MAX_TEXT = 4096


class _HTMLCheck(html.parser.HTMLParser):
    """Parses Telegram HTML: only the allowed tags, properly nested, and counts the visible characters."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.length = 0
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.error = self.error or f'Unsupported start tag "{tag}"'
        if tag == "a" and not dict(attrs).get("href"):
            self.error = self.error or "link without href"
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.error = self.error or f'Can\'t find end tag corresponding to start tag "{tag}"'
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.length += len(data.encode("utf-16-le")) // 2


def check_html(text: str) -> str | None:
    """None when `text` is valid Telegram HTML within the length limit, else Telegram's kind of complaint."""
    checker = _HTMLCheck()
    try:
        checker.feed(text)
        checker.close()
    except Exception as exc:  # pragma: no cover - html.parser is lenient
        return f"can't parse entities: {exc}"
    bare_amp = any(part and not part.split(";")[0].replace("#", "").isalnum() for part in text.split("&")[1:])
    if checker.error or checker.stack or bare_amp:
        return f"Bad Request: can't parse entities: {checker.error or 'unclosed tag or bare &'}"
    if checker.length > MAX_TEXT:
        return "Bad Request: message is too long"
    if checker.length == 0:
        return "Bad Request: message text is empty"
    return None


@dataclass
class Sent:
    """A call the bot made that produced or changed a message."""

    method: str
    chat_id: int
    text: str
    params: dict[str, Any]
    message_id: int
    at: float = field(default_factory=time.monotonic)


class BotApiStandIn:
    """The stand-in server. Use `start()`, then point the bot's `base_url` at `base_url`."""

    def __init__(self, token: str, username: str = "newsbot_test_bot") -> None:
        self.token = token
        self.username = username
        self.bot_id = int(token.split(":")[0])
        self.sent: list[Sent] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.commands: list[dict[str, str]] = []
        self.faults: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.delays: dict[str, list[float]] = {}
        self.holds: dict[str, int] = {}
        self.held: list[tuple[str, dict[str, Any]]] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._new_update: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._stopping = False

    # -- life cycle ----------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What TELEGRAM_API_BASE_URL should be (python-telegram-bot appends the token and method)."""
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> BotApiStandIn:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("Bot API stand-in did not start")
        return self

    def stop(self) -> None:
        self._stopping = True  # ends held requests
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread:
            self._thread.join(10)

    def _serve(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        # A bot that disconnects mid long-poll is normal at shutdown, not an error worth a traceback.
        self._loop.set_exception_handler(
            lambda loop, context: (
                None
                if isinstance(context.get("exception"), ConnectionError)
                else loop.default_exception_handler(context)
            )
        )
        self._new_update = asyncio.Event()
        app = web.Application(client_max_size=1 << 22)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        ready.set()
        self._loop.run_forever()

    # -- driving it ----------------------------------------------------------------------------------------

    def fail_next(self, method: str, status: int, times: int = 1, retry_after: int | None = None) -> None:
        """Make the next `times` calls of `method` fail with HTTP `status` (429 carries `retry_after`)."""
        with self._lock:
            extra = {"retry_after": retry_after} if retry_after is not None else {}
            self.faults.setdefault(method, []).extend([(status, extra)] * times)

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Carry out the next `times` calls of `method`, but answer only `seconds` later (a slow Bot API)."""
        with self._lock:
            self.delays.setdefault(method, []).extend([seconds] * times)

    def hold_next(self, method: str, times: int = 1) -> None:
        """Neither carry out nor answer the next `times` calls of `method` (they are in `held`); 500 after 120 s."""
        with self._lock:
            self.holds[method] = self.holds.get(method, 0) + times

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update (its update_id is assigned here); returns the update_id."""
        with self._lock:
            update_id = next(self._update_ids)
            self._updates.append({**update, "update_id": update_id})
        self._loop.call_soon_threadsafe(self._wake)
        return update_id

    def push_message(
        self,
        text: str | None,
        *,
        user_id: int = 111,
        username: str | None = "alice",
        chat_id: int | None = None,
        chat_type: str = "private",
        entities: list[dict[str, Any]] | None = None,
        reply_to_bot: bool = False,
        sticker: bool = False,
        message_id: int | None = None,
        edited: bool = False,
    ) -> int:
        """Queue an incoming message as Telegram would deliver it; returns its update_id.

        `edited` delivers it as an edit of the message `message_id` (an `edited_message` update).
        """
        chat_id = chat_id if chat_id is not None else user_id
        user = {"id": user_id, "is_bot": False, "first_name": "User"}
        if username:
            user["username"] = username
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = "User"
        else:
            chat["title"] = "Group"
        message: dict[str, Any] = {
            "message_id": message_id if message_id is not None else next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
        }
        if text is not None:
            message["text"] = text
            if entities is None and text.startswith("/"):
                entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
            if entities:
                message["entities"] = entities
        if sticker:
            message["sticker"] = {
                "file_id": "s1",
                "file_unique_id": "u1",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        if reply_to_bot:
            message["reply_to_message"] = {
                "message_id": 999,
                "date": int(time.time()),
                "chat": chat,
                "from": {"id": self.bot_id, "is_bot": True, "first_name": "News", "username": self.username},
                "text": "an earlier answer",
            }
        if edited:
            message["edit_date"] = int(time.time())
        return self.push_update({"edited_message" if edited else "message": message})

    def _wake(self) -> None:
        assert self._new_update is not None
        self._new_update.set()

    def messages(self, chat_id: int | None = None) -> list[Sent]:
        with self._lock:
            return [s for s in self.sent if chat_id is None or s.chat_id == chat_id]

    def wait_for(self, chat_id: int, count: int, timeout: float = 60.0) -> list[Sent]:
        """Block until the bot has sent `count` messages (sendMessage) to `chat_id`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [s for s in self.messages(chat_id) if s.method == "sendMessage"]
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise TimeoutError(f"chat {chat_id}: {len(self.messages(chat_id))} messages after {timeout}s, wanted {count}")

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [params for name, params in self.calls if name == method]

    # -- the API -------------------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"]
        try:
            params = await self._params(request)
        except ConnectionError:  # the bot went away mid-request (stopped, killed): nothing to answer
            return web.Response(status=499)
        with self._lock:
            self.calls.append((method, params))
            queued = self.faults.get(method)
            fault = queued.pop(0) if queued else None
            delays = self.delays.get(method)
            delay = delays.pop(0) if delays else 0.0
            hold = self.holds.get(method, 0) > 0
            if hold:
                self.holds[method] -= 1
                self.held.append((method, params))
        if hold:
            deadline = time.monotonic() + 120
            while not self._stopping and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            return self._error(500, "Internal Server Error")
        if fault:
            status, extra = fault
            description = "Too Many Requests: retry later" if status == 429 else "Internal Server Error"
            return self._error(status, description, extra)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._ok(True)
        response = await handler(params)
        await asyncio.sleep(delay)  # done, but the answer is late
        return response

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        data = await request.post()
        out: dict[str, Any] = {}
        for key, value in data.items():
            try:
                out[key] = json.loads(value) if isinstance(value, str) and value[:1] in "[{" else value
            except ValueError:
                out[key] = value
        return out

    @staticmethod
    def _ok(result: Any) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=status)

    async def _m_getMe(self, params: dict[str, Any]) -> web.Response:
        return self._ok(
            {
                "id": self.bot_id,
                "is_bot": True,
                "first_name": "News",
                "username": self.username,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        )

    async def _m_getUpdates(self, params: dict[str, Any]) -> web.Response:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + min(timeout, 5.0)
        while True:
            with self._lock:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                pending = list(self._updates[:100])
            if pending or time.monotonic() >= deadline:
                return self._ok(pending)
            assert self._new_update is not None
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), max(0.01, deadline - time.monotonic()))

    async def _m_sendMessage(self, params: dict[str, Any]) -> web.Response:
        return self._record("sendMessage", params, next(self._message_ids))

    async def _m_editMessageText(self, params: dict[str, Any]) -> web.Response:
        return self._record("editMessageText", params, int(params.get("message_id", 0)))

    def _record(self, method: str, params: dict[str, Any], message_id: int) -> web.Response:
        text = str(params.get("text", ""))
        if params.get("parse_mode") == "HTML":
            problem = check_html(text)
            if problem:
                return self._error(400, problem)
        elif len(text) > MAX_TEXT or not text:
            return self._error(
                400, "Bad Request: message is too long" if text else "Bad Request: message text is empty"
            )
        chat_id = int(params["chat_id"])
        with self._lock:
            self.sent.append(Sent(method, chat_id, text, params, message_id))
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "group"}
        return self._ok(
            {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": chat,
                "text": text,
                "from": {"id": self.bot_id, "is_bot": True, "first_name": "News"},
            }
        )

    async def _m_setMyCommands(self, params: dict[str, Any]) -> web.Response:
        commands = params.get("commands") or []
        with self._lock:
            self.commands = list(commands)
        return self._ok(True)
