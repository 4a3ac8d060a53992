"""The Telegram bot through python-telegram-bot's real HTTP stack, against the Bot API stand-in on loopback."""

from __future__ import annotations

import html
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from botapi import check_html
from conftest import SEEDS
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from telegram_harness import TOKEN, BotRunner, ask

from bot.config import Settings
from bot.core import Answerer
from bot.errors import ConfigError
from bot.factory import build_answerer
from bot.memory import SqliteMemory
from bot.telegram.app import build_application


@pytest.fixture
def bot(standin, answerer, tmp_path):
    with BotRunner(standin, answerer, tmp_path / "memory.sqlite3") as runner:
        yield runner


def test_start_greets_with_what_the_bot_knows_and_registers_commands(standin, bot):
    [greeting] = ask(standin, "/start")
    assert "I know 5 news articles from 2022-01-10 to 2022-01-22" in greeting
    assert "Try for example:" in greeting
    commands = {c["command"] for c in standin.commands}
    assert commands == {"start", "help", "sources", "articles", "latest", "reset"}


def test_question_gets_an_html_answer_with_numbered_linked_sources(standin, bot):
    [reply] = ask(standin, "Which aircraft carrier will take part in the NATO exercise in the Mediterranean?")
    assert "Harry S Truman" in reply and "[1]" in reply
    assert "<b>Sources</b>" in reply
    assert '<a href="https://www.thenorthernecho.co.uk/news/19867393' in reply
    assert "US and Russia agree to keep talking amid tensions over Ukraine</a>, 2022-01-22" in reply
    params = standin.messages(111)[-1].params
    assert params["parse_mode"] == "HTML"


def test_follow_up_uses_this_chats_history_only(standin, bot):
    ask(standin, "Who is the US Secretary of State in these reports?", chat_id=201, user_id=201)
    [follow] = ask(standin, "Which Russian minister did he meet in Geneva?", chat_id=201, user_id=201)
    assert "Lavrov" in follow
    [other] = ask(standin, "/sources", chat_id=202, user_id=202)
    assert "ask me a question first" in other


def test_thanks_between_questions_gets_a_short_reply_and_the_follow_up_keeps_its_subject(standin, bot):
    ask(standin, "Who is the US Secretary of State in these reports?", chat_id=203, user_id=203)
    [thanks] = ask(standin, "Thanks bot!", chat_id=203, user_id=203)
    assert html.unescape(thanks) == "You're welcome!"  # no sources, no "I know N articles" cover
    [follow] = ask(standin, "Which Russian minister did he meet in Geneva?", chat_id=203, user_id=203)
    assert "Lavrov" in follow


def test_where_is_that_from_names_the_linked_article_and_tell_me_more_quotes_something_new(standin, bot):
    [first] = ask(standin, "How long did Blinken and Lavrov meet?", chat_id=204, user_id=204)
    [source] = ask(standin, "Where did you read that?", chat_id=204, user_id=204)
    assert html.unescape(source).startswith('That came from "US and Russia agree to keep talking')
    assert '<a href="https://www.thenorthernecho.co.uk/' in source
    [more] = ask(standin, "Tell me more", chat_id=204, user_id=204)
    assert "90 minutes" in first and "90 minutes" not in more and "Sources" in more


def test_sources_then_reset(standin, bot):
    ask(standin, "How long did Blinken and Lavrov meet in Geneva?", chat_id=301, user_id=301)
    sources = ask(standin, "/sources", chat_id=301, user_id=301, settle=1.0)  # long passages may take 2 messages
    assert sources[0].startswith("<b>#1</b>") and "90 minutes" in " ".join(sources)
    [done] = ask(standin, "/reset", chat_id=301, user_id=301)
    assert "forgotten" in done
    [empty] = ask(standin, "/sources", chat_id=301, user_id=301)
    assert "ask me a question first" in empty


@pytest.mark.parametrize(("command", "chat"), [("/clear", 302), ("/new", 303), ("/clear@newsbot_test_bot", 304)])
def test_clear_and_new_forget_the_conversation_as_reset_does(standin, bot, command, chat):
    """What other chat tools call starting over, also addressed to the bot by name as in a group."""
    ask(standin, "How long did Blinken and Lavrov meet in Geneva?", chat_id=chat, user_id=chat)
    [sources] = ask(standin, "/sources", chat_id=chat, user_id=chat, settle=1.0)[:1]
    assert "ask me a question first" not in sources
    [done] = ask(standin, command, chat_id=chat, user_id=chat)
    assert "forgotten" in done
    [empty] = ask(standin, "/sources", chat_id=chat, user_id=chat)
    assert "ask me a question first" in empty


def test_articles_lists_the_corpus_newest_first(standin, bot):
    [listing] = ask(standin, "/articles")
    assert listing.startswith("<b>5 articles</b>")
    assert listing.index("US and Russia agree") < listing.index("Blinken says talks unlikely")


def test_allow_list_by_id_and_username_refuses_everyone_else(standin, answerer, tmp_path):
    with BotRunner(standin, answerer, tmp_path / "m.sqlite3", TELEGRAM_ALLOWED_USERS="555, @Carol"):
        [by_id] = ask(standin, "How long did Blinken and Lavrov meet?", chat_id=555, user_id=555, username=None)
        assert "90 minutes" in by_id
        [by_name] = ask(standin, "How long did Blinken and Lavrov meet?", chat_id=556, user_id=556, username="carol")
        assert "90 minutes" in by_name
        [refused] = ask(standin, "How long did Blinken and Lavrov meet?", chat_id=557, user_id=557, username="mallory")
        assert refused == "Sorry, this bot is private."
        [refused_start] = ask(standin, "/start", chat_id=557, user_id=557, username="mallory")
        assert refused_start == "Sorry, this bot is private."


def test_groups_answer_only_when_mentioned_or_replied_to(standin, bot):
    group = -1001
    standin.push_message("How long did Blinken and Lavrov meet in Geneva?", chat_id=group, chat_type="supergroup")
    text = "@newsbot_test_bot How long did Blinken and Lavrov meet in Geneva?"
    mention = [{"type": "mention", "offset": 0, "length": len("@newsbot_test_bot")}]
    [reply] = ask(standin, text, chat_id=group, chat_type="supergroup", entities=mention)
    assert "90 minutes" in reply
    assert standin.messages(group)[-1].params.get("reply_parameters")  # threads under the question
    [replied] = ask(
        standin, "Which aircraft carrier joins the exercise?", chat_id=group, chat_type="group", reply_to_bot=True
    )
    assert "Truman" in replied
    assert len([s for s in standin.messages(group) if s.method == "sendMessage"]) == 2  # the first was ignored


def test_long_replies_are_split_into_valid_messages(standin, answerer, tmp_path, make_store):
    from retrieval.ingest import ingest

    long_text = " ".join(
        f"Sentence {i} says the <harbour> & the port of Varna reopened on day {i}." for i in range(260)
    )
    (tmp_path / "long.txt").write_text(f"Varna <port> & harbour\n\n{long_text}")
    store = make_store()
    ingest([tmp_path / "long.txt", SEEDS], store)
    answerer = build_answerer(store)
    answerer.retriever.k = 8
    with BotRunner(standin, answerer, tmp_path / "m.sqlite3"):
        ask(standin, "When did the port of Varna reopen?", settle=1.0)
        replies = ask(standin, "/sources", expect=2, settle=1.0)
        everything = standin.wait_for(111, 3)
        for sent in everything:
            assert check_html(sent.text) is None
            assert len(html.unescape(sent.text)) <= 4096
        assert "&lt;harbour&gt; &amp; the port" in " ".join(replies)


def test_flood_control_and_server_errors_are_retried_not_lost(standin, bot):
    standin.fail_next("sendMessage", 429, retry_after=1)
    standin.fail_next("sendMessage", 502)
    standin.fail_next("sendMessage", 500)
    [reply] = ask(standin, "How long did Blinken and Lavrov meet in Geneva?", chat_id=401, user_id=401)
    assert "90 minutes" in reply
    attempts = [p for p in standin.calls_of("sendMessage") if int(p["chat_id"]) == 401]
    assert len(attempts) == 4


class ExplodingAnswerer(Answerer):
    """The real answerer, except that one question raises (to exercise the error handler)."""

    def draft(self, question, history, rewritten=None):
        if "explode" in question:
            raise RuntimeError("simulated failure deep in answering")
        return super().draft(question, history, rewritten)


def test_a_failing_handler_apologises_and_the_bot_keeps_serving(standin, seed_store, tmp_path, caplog):
    real = build_answerer(seed_store)
    exploding = ExplodingAnswerer(real.retriever, real.generator)
    with BotRunner(standin, exploding, tmp_path / "m.sqlite3"):
        [apology] = ask(standin, "please explode now", chat_id=501, user_id=501)
        assert apology.startswith("Sorry, something went wrong") and "simulated" not in apology
        [after] = ask(standin, "How long did Blinken and Lavrov meet in Geneva?", chat_id=501, user_id=501)
        assert "90 minutes" in after
    assert any("simulated failure" in str(r.exc_info) for r in caplog.records if r.exc_info)


def test_conversations_survive_a_restart(standin, answerer, tmp_path):
    memory = tmp_path / "persist.sqlite3"
    with BotRunner(standin, answerer, memory):
        ask(standin, "Who is the US Secretary of State in these reports?", chat_id=601, user_id=601)
    with BotRunner(standin, answerer, memory):
        [follow] = ask(standin, "Which Russian minister did he meet in Geneva?", chat_id=601, user_id=601)
    assert "Lavrov" in follow


def test_stickers_empty_and_hostile_messages_get_polite_replies(standin, bot):
    [sticker] = ask(standin, None, sticker=True, chat_id=701, user_id=701)
    assert "I can only read text" in sticker
    [markup] = ask(standin, "<script>alert('x')</script> <b>bold</b> \x00\x07 & ?", chat_id=701, user_id=701)
    assert check_html(markup) is None
    [huge] = ask(standin, "Geneva talks " * 330, chat_id=701, user_id=701)
    assert check_html(huge) is None


def test_rate_limit_answers_with_a_polite_slow_down(standin, answerer, tmp_path):
    with BotRunner(standin, answerer, tmp_path / "m.sqlite3", TELEGRAM_RATE_LIMIT="2"):
        ask(standin, "How long did Blinken and Lavrov meet?", chat_id=801, user_id=801)
        ask(standin, "Who headed the Russian delegation?", chat_id=801, user_id=801)
        [slow] = ask(standin, "Which aircraft carrier joins the exercise?", chat_id=801, user_id=801)
        assert slow.startswith("You're asking faster than I can keep up")


def test_stats_are_for_admins_only(standin, answerer, tmp_path):
    with BotRunner(standin, answerer, tmp_path / "m.sqlite3", TELEGRAM_ADMINS="@boss"):
        ask(standin, "How long did Blinken and Lavrov meet?", chat_id=901, user_id=901)
        [denied] = ask(standin, "/stats", chat_id=901, user_id=901)
        assert "for the bot's admins" in denied
        [figures] = ask(standin, "/stats", chat_id=902, user_id=902, username="boss")
        assert "Users: 1" in figures and "Questions: 1" in figures and "p50" in figures


def test_malformed_token_and_allow_list_are_clear_config_errors(answerer, tmp_path):
    with pytest.raises(ConfigError, match="malformed") as raised:
        build_application(
            Settings(TELEGRAM_BOT_TOKEN="not-a-token-secret123"),
            answerer.retriever.store,
            answerer,
            SqliteMemory(tmp_path / "m"),
        )
    assert "secret123" not in str(raised.value)
    with pytest.raises(ConfigError, match="neither a numeric user id nor an @username"):
        build_application(
            Settings(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_ALLOWED_USERS="bob"),
            answerer.retriever.store,
            answerer,
            SqliteMemory(tmp_path / "m2"),
        )


@pytest.fixture
def unlimited_bot(standin, answerer, tmp_path):
    """A bot without the per-user rate limit (a flooding user gets one notice, then silence)."""
    with BotRunner(standin, answerer, tmp_path / "memory.sqlite3", TELEGRAM_RATE_LIMIT="0") as runner:
        yield runner


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=600))
def test_the_message_handler_survives_arbitrary_text(standin, unlimited_bot, text):
    replies = ask(standin, text, chat_id=1001, user_id=1001, username="fuzz")
    assert replies and all(check_html(r) is None or not r.startswith("<") for r in replies)


def test_newsbot_telegram_runs_as_a_black_box(standin, tmp_path):
    """`newsbot telegram` as a person starts it: the three variables, a store from `newsbot ingest`."""
    newsbot = str(Path(sys.executable).parent / "newsbot")
    env = {
        **os.environ,
        "NEWSBOT_STORE": str(tmp_path / "store"),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "TELEGRAM_ALLOWED_USERS": "111,@alice",
    }
    assert subprocess.run([newsbot, "ingest", str(SEEDS)], env=env, capture_output=True).returncode == 0
    process = subprocess.Popen(
        [newsbot, "telegram"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        [greeting] = ask(standin, "/start")
        assert "5 news articles" in greeting
        [reply] = ask(standin, "How long did Blinken and Lavrov meet in Geneva?")
        assert "90 minutes" in reply
        [refused] = ask(standin, "/start", chat_id=999, user_id=999, username="eve")
        assert refused == "Sorry, this bot is private."
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert TOKEN not in output and TOKEN.split(":")[1] not in output


def test_newsbot_telegram_without_a_token_exits_with_one_clear_line(tmp_path):
    newsbot = str(Path(sys.executable).parent / "newsbot")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    done = subprocess.run(
        [newsbot, "telegram"], env={**env, "NEWSBOT_STORE": str(tmp_path)}, capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 1
    assert done.stderr.strip().startswith("error: TELEGRAM_BOT_TOKEN is not set") and "Traceback" not in done.stderr


def test_webhook_mode_checks_the_secret_on_every_request(standin, tmp_path, seed_store_dir):
    import json
    import socket
    import urllib.error
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    newsbot = str(Path(sys.executable).parent / "newsbot")
    env = {
        **os.environ,
        "NEWSBOT_STORE": str(seed_store_dir),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.invalid/telegram",
        "TELEGRAM_WEBHOOK_PORT": str(port),
        "TELEGRAM_WEBHOOK_SECRET": "s3cret-Token_1",
    }
    process = subprocess.Popen([newsbot, "telegram"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while not standin.calls_of("setWebhook"):
            assert time.monotonic() < deadline and process.poll() is None, "webhook was never set"
            time.sleep(0.1)
        registered = standin.calls_of("setWebhook")[0]
        assert registered["url"] == "https://bot.example.invalid/telegram"
        assert registered["secret_token"] == "s3cret-Token_1"
        update = {
            "update_id": 1,
            "message": {
                "message_id": 5,
                "date": int(time.time()),
                "text": "/help",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
                "chat": {"id": 4242, "type": "private"},
                "from": {"id": 4242, "is_bot": False, "first_name": "W"},
            },
        }

        def post(secret: str | None) -> int:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/telegram",
                data=json.dumps(update).encode(),
                headers={"Content-Type": "application/json"},
            )
            if secret:
                request.add_header("X-Telegram-Bot-Api-Secret-Token", secret)
            try:
                return urllib.request.urlopen(request, timeout=10).status
            except urllib.error.HTTPError as exc:
                return exc.code

        while True:  # the server may take a moment after setWebhook
            try:
                assert post("wrong") == 403
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert post(None) == 403
        assert not standin.messages(4242)
        assert post("s3cret-Token_1") == 200
        [reply] = [s.text for s in standin.wait_for(4242, 1)]
        assert "Ask me a question" in reply
    finally:
        process.terminate()
        process.wait(30)
