"""bot/telegram/admin.py through python-telegram-bot's real HTTP stack, the Bot API stand-in and a news site on
loopback: /add and documents for admins, /latest and /articles paging for everyone, the background watcher."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from botapi import BotApiStandIn
from conftest import SEEDS
from newssite import story
from telegram_harness import TOKEN, BotRunner, ask

from bot.factory import build_answerer
from retrieval.feeds import FeedList
from retrieval.ingest import ingest

ADMIN = 7001


class DocumentStandIn(BotApiStandIn):
    """The stand-in plus documents, served as a local Bot API server does (`--local`: absolute file paths)."""

    def __init__(self, token: str, files: Path) -> None:
        super().__init__(token)
        self.files = files

    def push_document(self, name: str, data: bytes, *, user_id: int, username: str = "admin") -> int:
        path = self.files / name
        path.write_bytes(data)
        user = {"id": user_id, "is_bot": False, "first_name": "User", "username": username}
        document = {"file_id": name, "file_unique_id": name, "file_name": name, "file_size": len(data)}
        message = {
            "message_id": int(time.time() * 1000) % 10**9,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "User"},
            "from": user,
            "document": document,
        }
        return self.push_update({"message": message})

    async def _m_getFile(self, params: dict[str, Any]) -> Any:
        name = str(params["file_id"])
        return self._ok({"file_id": name, "file_unique_id": name, "file_path": str(self.files / name)})


@pytest.fixture
def standin(tmp_path):
    (tmp_path / "files").mkdir()
    server = DocumentStandIn(TOKEN, tmp_path / "files").start()
    yield server
    server.stop()


@pytest.fixture
def bot(standin, make_store, tmp_path):
    store = make_store("bot")
    assert ingest([SEEDS], store).ok
    env = {"TELEGRAM_ADMINS": str(ADMIN), "NEWSBOT_WATCH_EVERY": "3600"}
    with BotRunner(standin, build_answerer(store), tmp_path / "memory.sqlite3", **env) as runner:
        yield runner


def test_admin_adds_a_feed_and_its_articles_become_answerable(standin, bot, site):
    for n in range(3):
        site.article(f"/n/{n}", f"Harbour vote {n}", story(n), date=f"2022-02-0{n + 1}")
    site.rss("/rss", [(site.url(f"/n/{n}"), f"Harbour vote {n}", None) for n in range(3)])
    replies = ask(standin, f"/add {site.url('/rss')} ", chat_id=ADMIN, user_id=ADMIN, expect=2)
    assert replies[0].startswith("Fetching 1 link")
    assert "Added (1 feed now watched): 3 articles" in replies[1]
    store = bot.application.bot_data.state.store
    assert [f.url for f in FeedList(store).all()] == [site.url("/rss")]
    [answer] = ask(standin, "How did the council of district 2 vote on the harbour plan?", chat_id=ADMIN, user_id=ADMIN)
    assert "5 to 2" in answer


def test_add_reports_each_failure_in_one_line(standin, bot, site):
    site.article("/good", "Ferry strike ends", story(9), date="2022-02-01")
    missing = site.url("/missing")
    replies = ask(standin, f"/add {site.url('/good')} {missing}", chat_id=ADMIN, user_id=ADMIN, expect=2)
    assert "Added: 1 article, 1 passage added" in replies[1]
    assert f"• {missing}: HTTP 404 Not Found; skipped" in replies[1]


def test_only_admins_add(standin, bot, site):
    [reply] = ask(standin, f"/add {site.url('/x')}", chat_id=7002, user_id=7002)
    assert reply == "Sorry, adding articles is for the bot's admins."
    assert site.requests == []


def test_admin_document_is_ingested_and_summarised(standin, bot):
    [before] = ask(standin, "/start", chat_id=ADMIN, user_id=ADMIN)
    assert "I know 5 news articles from 2022-01-10 to 2022-01-22" in before
    text = b"Lighthouse keeper retires\n2022-02-03\n\nThe last lighthouse keeper of the bay retired after 41 years."
    standin.push_document("lighthouse.txt", text, user_id=ADMIN)
    [reply] = standin.wait_for(ADMIN, 2)[1:]
    assert "Added lighthouse.txt: 1 article, 1 passage added" in reply.text
    [latest] = ask(standin, "/latest 1", chat_id=ADMIN, user_id=ADMIN)
    assert "Lighthouse keeper retires, 2022-02-03" in latest
    [after] = ask(standin, "/start", chat_id=ADMIN, user_id=ADMIN)  # the greeting counts what /start sees now
    assert "I know 6 news articles from 2022-01-10 to 2022-02-03" in after


def test_a_document_of_another_kind_is_refused(standin, bot):
    standin.push_document("photo.png", b"\x89PNG", user_id=ADMIN)
    [reply] = standin.wait_for(ADMIN, 1)
    assert reply.text == "I can add .txt, .md, .html, .jsonl, .json and .csv files, not photo.png."


def test_latest_lists_the_newest_articles_first(standin, bot):
    [reply] = ask(standin, "/latest 2")
    assert reply.startswith("<b>The 2 newest articles</b>")
    assert reply.count("•") == 2 and "2022-01-22" in reply.split("•")[1]


def test_articles_pages_through_the_corpus(standin, bot):
    lines = [
        json.dumps(
            {"id": f"brief-{n}", "title": f"Brief {n}", "date": f"2021-12-{n + 1:02d}", "text": " ".join(story(n))}
        )
        for n in range(20)
    ]
    standin.push_document("briefs.jsonl", "\n".join(lines).encode(), user_id=ADMIN)
    standin.wait_for(ADMIN, 1)
    [first] = ask(standin, "/articles", chat_id=ADMIN, user_id=ADMIN)
    assert "25 articles</b>, newest first (page 1 of 2)" in first and "More: /articles 2" in first
    assert first.count("•") == 20 and "2022-01-22" in first.split("•")[1]
    [last] = ask(standin, "/articles 2", chat_id=ADMIN, user_id=ADMIN)
    assert "(page 2 of 2)" in last and last.count("•") == 5 and "More:" not in last
    assert "Brief 0, 2021-12-01" in last
    assert not re.search(r", \d{4}-\d\d-\d\d", last.split("•")[-1])  # undated articles come last
