"""The LLM path against real llama.cpp: its OpenAI-compatible server and the in-process binding.

The model is a tiny random-weight GGUF written by the test: its output is noise, which is what citation
verification must survive. No network: the server listens on loopback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("llama_cpp", reason="the llm extra is not installed: pip install -e '.[llm]'")

from conftest import SEEDS, free_port, wait_for_server
from tiny_gguf import write_tiny_llama

from bot.factory import build_answerer
from bot.llm import LLMGenerator, make_chat_model

NEWSBOT = str(Path(sys.executable).parent / "newsbot")
QUESTION = "How long did Blinken and Lavrov meet in Geneva?"
SEED_TEXT = {p.stem: " ".join(p.read_text().split()) for p in SEEDS.glob("*.txt")}


@pytest.fixture(scope="module")
def gguf(tmp_path_factory) -> Path:
    return write_tiny_llama(tmp_path_factory.mktemp("model") / "tiny.gguf")


@pytest.fixture
def llama_server(gguf, tmp_path):
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(gguf),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "16384",
            "--model_alias",
            "tiny",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/v1"
    wait_for_server(
        server, lambda: urllib.request.urlopen(f"{url}/models", timeout=2), "llama.cpp server", tmp_path / "server.log"
    )
    yield server, url
    if server.poll() is None:
        server.terminate()
        server.wait(30)


def ask_json(store: Path, *args: str) -> tuple[int, dict]:
    env = {**os.environ, "NEWSBOT_STORE": str(store)}
    done = subprocess.run(
        [NEWSBOT, "ask", "--json", *args, QUESTION], capture_output=True, text=True, env=env, timeout=300
    )
    return done.returncode, json.loads(done.stdout) if done.stdout.strip() else {"stderr": done.stderr}


def assert_citations_are_real(answer: dict) -> None:
    assert answer["citations"], answer
    for citation in answer["citations"]:
        assert citation["source"] in SEED_TEXT
        for quote in citation["quote"].split(" … "):  # an article cited for two sentences quotes both
            assert " ".join(quote.split()) in SEED_TEXT[citation["source"]]
    numbers = {c["n"] for c in answer["citations"]}
    assert numbers == set(range(1, len(numbers) + 1))


def test_ask_through_a_llamacpp_server_keeps_only_real_citations(llama_server, seed_store_dir):
    _, url = llama_server
    code, answer = ask_json(seed_store_dir, "--llm", "openai:tiny", "--llm-base-url", url)
    assert code == 0, answer
    assert_citations_are_real(answer)
    # Noise cites nothing it was given: the quoted answer stands in, and says why.
    if answer["generator"] == "extractive":
        assert "openai:tiny" in answer["notice"]
    else:
        assert answer["generator"] == "openai:tiny"


def test_with_the_server_stopped_the_answer_is_extractive_with_a_notice(llama_server, seed_store_dir):
    server, url = llama_server
    server.terminate()
    server.wait(30)
    code, answer = ask_json(seed_store_dir, "--llm", "openai:tiny", "--llm-base-url", url)
    assert code == 0
    assert answer["generator"] == "extractive" and "90 minutes" in answer["answer"]
    assert answer["notice"] == "The language model (openai:tiny) could not be reached. This answer is quoted instead."
    assert_citations_are_real(answer)


def test_in_process_llamacpp_generator_on_the_same_file(gguf, seed_store):
    model = make_chat_model(f"llamacpp:{gguf}", max_tokens=60)
    answerer = build_answerer(seed_store, LLMGenerator(model, f"llamacpp:{gguf.name}"))
    answer = answerer.answer(QUESTION)
    assert_citations_are_real(answer.to_dict())
    # The model really runs in-process (its noise may not even decode to text, hence the usage count).
    usage = model._model().create_chat_completion(messages=[{"role": "user", "content": "hi"}], max_tokens=8)
    assert usage["usage"]["completion_tokens"] > 0
    assert answer.generator in {"extractive", f"llamacpp:{gguf.name}"}


def test_a_missing_gguf_is_a_one_line_start_up_error(tmp_path, seed_store_dir):
    code, answer = ask_json(seed_store_dir, "--llm", f"llamacpp:{tmp_path / 'nope.gguf'}")
    assert code == 1
    assert answer["stderr"].strip() == f"error: llamacpp: no model file at {tmp_path / 'nope.gguf'}"


def test_questions_in_a_row_through_one_client_never_fail_on_a_closed_event_loop(llama_server, seed_store):
    """langchain-openai caches its async HTTP client: every blocking reply must run on the same loop."""
    _, url = llama_server
    model = make_chat_model("openai:tiny", base_url=url, max_tokens=30)
    answerer = build_answerer(seed_store, LLMGenerator(model, "openai:tiny", timeout_s=120))
    for question in [QUESTION, "Which aircraft carrier will take part in the NATO exercise?", QUESTION]:
        answer = answerer.answer(question)
        assert not answer.notice or " failed" not in answer.notice, answer.notice
