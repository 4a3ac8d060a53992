"""Server mode: ingest, re-ingest and answers through a real `chroma run` server on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import free_port, wait_for_server

from bot.factory import build_answerer
from retrieval.embeddings import MiniLMEmbeddings
from retrieval.ingest import ingest
from retrieval.retriever import HybridRetriever
from retrieval.store import NewsStore, http_client

CHROMA = Path(sys.executable).parent / "chroma"


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = (data / "server.log").open("w")
    server = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for_server(server, lambda: http_client(url).heartbeat(), "chroma run", data / "server.log")
    yield url
    server.terminate()
    server.wait(30)


def replica(url: str, cache: Path, embeddings: MiniLMEmbeddings) -> NewsStore:
    """One bot replica: the shared server collection, its own BM25 copy."""
    return NewsStore(http_client(url), embeddings, cache / "bm25", create=True, collection_name="server-test")


def test_ingest_reingest_and_answers_through_a_chroma_server(chroma_url, tmp_path, seeds_copy, embeddings):
    writer = replica(chroma_url, tmp_path / "writer", embeddings)
    first = ingest([seeds_copy], writer)
    assert first.ok and first.added == writer.count() > 5
    again = ingest([seeds_copy], writer)
    assert again.added == 0 and again.unchanged == first.added
    reader = replica(chroma_url, tmp_path / "reader", embeddings)
    answer = build_answerer(reader).answer("How long did Blinken and Lavrov meet in Geneva?")
    assert "90 minutes" in answer.answer and answer.citations[0].source.startswith("004")
    # passages found by BM25 alone have their similarity read from the server's vectors
    narrow = HybridRetriever(store=reader, fetch_k=1).search("How long did Blinken and Lavrov meet in Geneva?")
    assert len(narrow) > 1 and all(doc.metadata["dense"] > 0.1 for doc in narrow)


def test_a_replica_rebuilds_its_bm25_when_another_one_writes(chroma_url, tmp_path, seeds_copy, embeddings):
    writer = replica(chroma_url, tmp_path / "w", embeddings)
    ingest([seeds_copy], writer)
    reader = replica(chroma_url, tmp_path / "r", embeddings)
    assert len(reader.bm25.ids) == reader.count()
    (seeds_copy / "new.txt").write_text("Harbour reopens\n\nThe port of Varna reopened to grain ships on Monday.")
    ingest([seeds_copy], writer)
    # The reader's BM25 copy is stale; the generation stamp tells it so and it rebuilds from the server.
    hits = HybridRetriever(store=reader).invoke("Varna grain ships")
    assert hits[0].metadata["article_id"] == "new"
    assert len(reader.bm25.ids) == reader.count()


def test_cli_with_chroma_url(chroma_url, seeds_copy):
    newsbot = str(Path(sys.executable).parent / "newsbot")
    env = {**os.environ, "NEWSBOT_CHROMA_URL": chroma_url}
    ingested = subprocess.run([newsbot, "ingest", str(seeds_copy)], env=env, capture_output=True, text=True)
    assert ingested.returncode == 0 and f"-> {chroma_url}" in ingested.stdout
    done = subprocess.run(
        [newsbot, "ask", "--json", "Which aircraft carrier joins the NATO exercise?"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Truman" in json.loads(done.stdout)["answer"]


def test_unreachable_server_is_one_clear_line(tmp_path):
    newsbot = str(Path(sys.executable).parent / "newsbot")
    done = subprocess.run(
        [newsbot, "ask", "anything?", "--chroma-url", f"http://127.0.0.1:{free_port()}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and done.stderr.startswith("error: ") and "Traceback" not in done.stderr
