"""Shared fixtures: the real MiniLM model, real Chroma stores in tmp dirs, the seed articles."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bot.core import Answerer
from bot.factory import build_answerer
from retrieval.embeddings import MiniLMEmbeddings
from retrieval.ingest import ingest
from retrieval.store import NewsStore, persistent_client

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def embeddings() -> MiniLMEmbeddings:
    """The real all-MiniLM-L6-v2 on onnxruntime (exported once into the user cache)."""
    return MiniLMEmbeddings()


def open_test_store(path: Path, embeddings: MiniLMEmbeddings, create: bool = True) -> NewsStore:
    """A real persistent Chroma store at `path`."""
    return NewsStore(persistent_client(path), embeddings, path / "bm25", create=create)


@pytest.fixture
def make_store(tmp_path: Path, embeddings: MiniLMEmbeddings):
    """Factory for fresh stores in this test's tmp dir."""
    counter = iter(range(1000))

    def factory(name: str | None = None) -> NewsStore:
        return open_test_store(tmp_path / (name or f"store{next(counter)}"), embeddings)

    return factory


@pytest.fixture(scope="session")
def seed_store_dir(tmp_path_factory: pytest.TempPathFactory, embeddings: MiniLMEmbeddings) -> Path:
    """A store with the five seed articles ingested (shared by the tests that only read)."""
    path = tmp_path_factory.mktemp("seed-store")
    report = ingest([SEEDS], open_test_store(path, embeddings))
    assert report.ok and report.articles == 5
    return path


@pytest.fixture(scope="session")
def seed_store(seed_store_dir: Path, embeddings: MiniLMEmbeddings) -> NewsStore:
    return open_test_store(seed_store_dir, embeddings, create=False)


@pytest.fixture(scope="session")
def answerer(seed_store: NewsStore) -> Answerer:
    return build_answerer(seed_store)


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed articles."""
    target = tmp_path / "articles"
    shutil.copytree(SEEDS, target)
    return target


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_server(process: subprocess.Popen, ready: Callable[[], object], what: str, log: Path) -> None:
    """Poll `ready()` until it stops raising; fail with the server's log if it exits or takes over 60 s."""
    deadline = time.monotonic() + 60
    while True:
        try:
            ready()
            return
        except Exception:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(f"{what} did not start:\n{log.read_text()[-2000:]}") from None
            time.sleep(0.2)


@pytest.fixture
def standin():
    """The Bot API stand-in on loopback, for the bot's token (tests/botapi.py)."""
    from botapi import BotApiStandIn
    from telegram_harness import TOKEN

    server = BotApiStandIn(TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def site():
    """A news site on loopback: feeds and article pages (tests/newssite.py)."""
    from newssite import NewsSite

    with NewsSite() as running:
        yield running


@pytest.fixture
def fetcher():
    """A polite fetcher without the per-host wait, with short time-outs."""
    from retrieval.web import Fetcher

    f = Fetcher(timeout_s=2.0, host_interval_s=0.0)
    yield f
    f.close()


def conversation_store(make_store: Callable[..., NewsStore], tmp_path: Path, **texts: str) -> Answerer:
    """An answerer over a new store of `texts`, each an article named by its key (`make_store` is the fixture)."""
    articles = tmp_path / "articles"
    articles.mkdir()
    for name, text in texts.items():
        (articles / f"{name}.txt").write_text(text)
    store = make_store()
    assert ingest([articles], store).ok
    return build_answerer(store)
