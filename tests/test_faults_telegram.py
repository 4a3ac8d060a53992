"""Telegram faults (issue 9): each test reproduces one fault found by driving and red-teaming the bot.

Real parts throughout: python-telegram-bot's HTTP stack against the Bot API stand-in on loopback, the real
MiniLM model and Chroma store, and a real `newsbot telegram` process where the fault is about the process
(start-up, a `kill -9`, the webhook server).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import httpx
import pytest
from botapi import BotApiStandIn
from conftest import free_port
from telegram.error import InvalidToken, NetworkError, TimedOut
from telegram_harness import TOKEN, BotRunner, ask

from bot.telegram.access import RateLimiter
from bot.telegram.app import RedactToken
from bot.telegram.delivery import certainly_not_sent

NEWSBOT = str(Path(sys.executable).parent / "newsbot")
QUESTION = "How long did Blinken and Lavrov meet in Geneva?"
OTHER_TOKEN = "987654321:AAG" + "y" * 32


@pytest.fixture
def store_copy(seed_store_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the seed store (without another test's conversations and update journal)."""
    target = tmp_path / "store"
    shutil.copytree(seed_store_dir, target, ignore=shutil.ignore_patterns("conversations.sqlite3*"))
    return target


def bot_env(store: Path, base_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    return {
        **env,
        "NEWSBOT_STORE": str(store),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": base_url,
        "NEWSBOT_LOG_LEVEL": "INFO",
        **extra,
    }


def start_bot(env: dict[str, str], log: Path) -> subprocess.Popen:
    """`newsbot telegram` as a separate process, its output (stdout and stderr) in `log`."""
    with log.open("a") as out:
        return subprocess.Popen([NEWSBOT, "telegram"], env=env, stdout=out, stderr=subprocess.STDOUT, text=True)


def wait_until(condition, what: str, process: subprocess.Popen | None = None, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process is None or process.poll() is None, f"the bot exited while waiting for {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def sent_to(standin: BotApiStandIn, chat_id: int) -> list[str]:
    return [s.text for s in standin.messages(chat_id) if s.method == "sendMessage"]


# -- 1, 4: the token and start-up failures ------------------------------------------------------------------


def test_a_rejected_token_is_one_line_that_never_shows_the_token(standin, store_copy):
    env = bot_env(store_copy, standin.base_url, TELEGRAM_BOT_TOKEN=OTHER_TOKEN)  # the stand-in answers 401
    done = subprocess.run([NEWSBOT, "telegram"], env=env, capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "error: Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): check the token from @BotFather"
    ]
    assert OTHER_TOKEN.split(":")[1] not in output and "Traceback" not in output


def test_the_log_filter_keeps_the_token_out_of_tracebacks(tmp_path):
    log = tmp_path / "bot.log"
    handler = logging.FileHandler(log)
    handler.addFilter(RedactToken(TOKEN))
    logger = logging.getLogger("newsbot.test.redact")
    logger.addHandler(handler)
    try:
        try:
            raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.")
        except InvalidToken as exc:
            logger.error("start-up failed", exc_info=exc)
    finally:
        logger.removeHandler(handler)
        handler.close()
    written = log.read_text()
    assert "InvalidToken" in written and "<token>" in written
    assert TOKEN.split(":")[1] not in written


@pytest.mark.parametrize(
    "problem, settings, expected",
    [
        ("unreachable API", {"TELEGRAM_API_BASE_URL": "http://127.0.0.1:{closed}/bot"}, "cannot reach the Telegram"),
        ("bad port in the URL", {"TELEGRAM_API_BASE_URL": "http://127.0.0.1:99999/bot"}, "not an http(s) URL"),
        (
            "webhook port taken",
            {"TELEGRAM_WEBHOOK_URL": "https://bot.example.invalid/telegram", "TELEGRAM_WEBHOOK_PORT": "{taken}"},
            "cannot listen on 127.0.0.1:",
        ),
    ],
)
def test_start_up_failures_are_one_line_and_exit_1(standin, store_copy, problem, settings, expected):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        ports = {"closed": free_port(), "taken": taken.getsockname()[1]}
        env = bot_env(store_copy, standin.base_url, **{k: v.format(**ports) for k, v in settings.items()})
        done = subprocess.run([NEWSBOT, "telegram"], env=env, capture_output=True, text=True, timeout=300)
    lines = [line for line in done.stderr.strip().splitlines() if " INFO " not in line]  # the usual start-up log
    assert done.returncode == 1, problem
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0], done.stderr[-3000:]
    assert "Traceback" not in done.stdout + done.stderr


# -- 5: no duplicate replies ---------------------------------------------------------------------------------


def test_a_reply_answered_after_the_read_timeout_is_not_sent_again(standin, answerer, tmp_path):
    with BotRunner(standin, answerer, tmp_path / "m.sqlite3", build={"send_timeout_s": 1.0}):
        standin.delay_next("sendMessage", 3.0)  # delivered, but the answer comes after the bot gave up waiting
        standin.push_message(QUESTION, chat_id=1301, user_id=1301)
        standin.wait_for(1301, 1)
        time.sleep(6)  # a retry would come half a second after the timeout; an apology right after it
    [reply] = sent_to(standin, 1301)
    assert "90 minutes" in reply


def test_only_errors_that_prove_the_request_was_not_sent_count_as_not_sent():
    def raised(cause: Exception | None, error: NetworkError) -> NetworkError:
        error.__cause__ = cause
        return error

    request = httpx.Request("POST", "http://127.0.0.1/botX/sendMessage")
    assert certainly_not_sent(raised(httpx.ConnectError("refused", request=request), NetworkError("x")))
    assert certainly_not_sent(raised(httpx.ConnectTimeout("slow", request=request), TimedOut()))
    assert certainly_not_sent(raised(None, NetworkError("Bad Gateway")))  # an HTTP 5xx answer
    assert not certainly_not_sent(raised(httpx.ReadTimeout("late", request=request), TimedOut()))
    assert not certainly_not_sent(raised(httpx.RemoteProtocolError("dropped", request=request), NetworkError("x")))
    assert not certainly_not_sent(raised(RuntimeError("unexpected"), NetworkError("Unknown error in HTTP")))


# -- 6: at-least-once across kill -9 -------------------------------------------------------------------------


def test_a_question_in_flight_at_kill_9_is_answered_once_after_a_restart(standin, store_copy, tmp_path):
    env = bot_env(store_copy, standin.base_url, TELEGRAM_RATE_LIMIT="0")
    log = tmp_path / "bot.log"
    process = start_bot(env, log)
    try:
        wait_until(lambda: standin.calls_of("getUpdates"), "the bot to poll", process)
        standin.hold_next("sendMessage")  # the answer is on its way when the bot dies
        update_id = standin.push_message(QUESTION, chat_id=1201, user_id=1201)
        wait_until(lambda: standin.held, "the bot to send its answer", process)
        confirmed = lambda: any(int(p.get("offset") or 0) > update_id for p in standin.calls_of("getUpdates"))  # noqa: E731
        wait_until(confirmed, "the bot to confirm the update to Telegram", process)
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        assert not sent_to(standin, 1201)
        process = start_bot(env, log)
        [reply] = [s.text for s in standin.wait_for(1201, 1, timeout=120)]
        assert "90 minutes" in reply
        ask(standin, "Who headed the Russian delegation?", chat_id=1202, user_id=1202)  # later updates flow
        time.sleep(1)
        assert len(sent_to(standin, 1201)) == 1, "answered twice"
    finally:
        process.terminate()
        process.wait(30)
    assert "answering 1 update(s) left unanswered" in log.read_text()


# -- 8: one "slow down" per window ---------------------------------------------------------------------------


def test_a_flooding_user_is_told_to_slow_down_once_per_window(standin, answerer, tmp_path):
    with BotRunner(standin, answerer, tmp_path / "m.sqlite3", TELEGRAM_RATE_LIMIT="2"):
        for i in range(8):
            standin.push_message(f"{QUESTION} ({i})", chat_id=1401, user_id=1401)
        standin.wait_for(1401, 3)
        time.sleep(3)  # every message has been handled by then
    replies = sent_to(standin, 1401)
    assert len(replies) == 3, replies
    assert [r.startswith("You're asking faster") for r in replies] == [False, False, True]


def test_the_rate_limiter_notifies_once_per_window_and_counts_edits_once():
    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.check(7, "m1").allowed and limiter.check(7, "m1").allowed  # the same message, edited
    assert limiter.check(7, "m2").allowed
    first, second = limiter.check(7, "m3"), limiter.check(7, "m4")
    assert not first.allowed and first.notify and first.wait_s == 60
    assert not second.allowed and not second.notify
    now[0] = 61.0
    assert limiter.check(7, "m5").allowed and limiter.check(7, "m6").allowed
    assert limiter.check(7, "m7").notify  # a new window: told again


# -- 9: webhook ----------------------------------------------------------------------------------------------


def test_webhook_answers_a_redelivered_update_once_and_rejects_malformed_json(standin, store_copy, tmp_path):
    port = free_port()
    secret = "s3cret-Token_1"
    env = bot_env(
        store_copy,
        standin.base_url,
        TELEGRAM_WEBHOOK_URL="https://bot.example.invalid/telegram",
        TELEGRAM_WEBHOOK_PORT=str(port),
        TELEGRAM_WEBHOOK_SECRET=secret,
    )
    log = tmp_path / "bot.log"
    process = start_bot(env, log)

    def post(body: bytes) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/telegram",
            data=body,
            headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
        )
        try:
            return urllib.request.urlopen(request, timeout=30).status
        except urllib.error.HTTPError as exc:
            return exc.code

    update = {
        "update_id": 77,
        "message": {
            "message_id": 5,
            "date": int(time.time()),
            "text": QUESTION,
            "chat": {"id": 4343, "type": "private"},
            "from": {"id": 4343, "is_bot": False, "first_name": "W"},
        },
    }
    try:
        wait_until(lambda: standin.calls_of("setWebhook"), "the webhook to be set", process)
        deadline = time.monotonic() + 30
        while True:  # PTB's own server may start listening only after setWebhook
            try:
                assert post(json.dumps(update).encode()) == 200
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "the webhook server never listened"
                time.sleep(0.2)
        assert post(json.dumps(update).encode()) == 200  # Telegram retrying: it did not see our answer
        [reply] = [s.text for s in standin.wait_for(4343, 1, timeout=120)]
        assert "90 minutes" in reply
        time.sleep(2)
        assert len(sent_to(standin, 4343)) == 1, "answered twice"
        assert post(b'{"update_id": 78, "message": {') == 400
        assert post(b"[1, 2]") == 400
    finally:
        process.terminate()
        process.wait(30)
    assert "Traceback" not in log.read_text()


# -- 10: edits, bare mentions, unknown commands; 7: format characters ----------------------------------------


def test_an_edited_question_is_answered_once_as_a_correction_and_counted_once(standin, answerer, tmp_path):
    with BotRunner(standin, answerer, tmp_path / "m.sqlite3", TELEGRAM_RATE_LIMIT="2"):
        [first] = ask(standin, QUESTION, chat_id=1501, user_id=1501, message_id=50_001)
        assert "90 minutes" in first
        edit = "Which aircraft carrier will take part in the NATO exercise in the Mediterranean?"
        [corrected] = ask(standin, edit, chat_id=1501, user_id=1501, message_id=50_001, edited=True, settle=1.0)
        assert "Truman" in corrected
        threaded = standin.messages(1501)[-1].params.get("reply_parameters") or {}
        assert threaded.get("message_id") == 50_001  # under the edited question
        [another] = ask(standin, "Who headed the Russian delegation?", chat_id=1501, user_id=1501)
        assert not another.startswith("You're asking faster"), "the edit counted as a second question"


def test_an_edited_command_is_not_run_again(standin, answerer, tmp_path):
    with BotRunner(standin, answerer, tmp_path / "m.sqlite3"):
        ask(standin, "/help", chat_id=1502, user_id=1502, message_id=50_002)
        standin.push_message("/help", chat_id=1502, user_id=1502, message_id=50_002, edited=True)
        ask(standin, "/start", chat_id=1502, user_id=1502)  # handled after the edit (one chat is in order)
    replies = sent_to(standin, 1502)
    assert len(replies) == 2 and "Hello!" in replies[1]


def test_a_bare_mention_in_a_group_asks_for_a_question(standin, answerer, tmp_path):
    mention = [{"type": "mention", "offset": 0, "length": len("@newsbot_test_bot")}]
    with BotRunner(standin, answerer, tmp_path / "m.sqlite3"):
        [reply] = ask(standin, "@newsbot_test_bot", chat_id=-1601, chat_type="supergroup", entities=mention)
    assert reply.startswith("Yes? Ask me a question") and "I can only read text" not in reply


def test_an_unknown_command_gets_a_reply(standin, answerer, tmp_path):
    with BotRunner(standin, answerer, tmp_path / "m.sqlite3"):
        [reply] = ask(standin, "/frobnicate now", chat_id=1602, user_id=1602)
    assert reply.startswith("I don't know that command") and "/help" in reply


def test_format_characters_inside_words_do_not_split_them(standin, answerer, tmp_path):
    with BotRunner(standin, answerer, tmp_path / "m.sqlite3"):
        [reply] = ask(standin, "How long did Blin\u200bken and Lav\ufeffrov meet in Gen\u200deva?", chat_id=1603)
    assert "90 minutes" in reply


# -- 3: usernames in the allow-list --------------------------------------------------------------------------


def test_the_id_admitted_for_an_allowed_username_is_logged_once(standin, answerer, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="bot.telegram.handlers")
    with BotRunner(standin, answerer, tmp_path / "m.sqlite3", TELEGRAM_ALLOWED_USERS="@Carol"):
        ask(standin, "/help", chat_id=1701, user_id=1701, username="carol")
        ask(standin, QUESTION, chat_id=1701, user_id=1701, username="carol")
    admitted = [r.getMessage() for r in caplog.records if "admitted @" in r.getMessage()]
    assert len(admitted) == 1 and "@carol as user id 1701" in admitted[0]
