"""Fault suite, store side (issue 9: 13, 16, 17): a store that is read-only, damaged, out of step, or a server
that goes away answers with one clear line, loses nothing, and recovers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEEDS, free_port, wait_for_server

from retrieval.store import http_client

NEWSBOT = str(Path(sys.executable).parent / "newsbot")
CHROMA = str(Path(sys.executable).parent / "chroma")
QUESTION = "How long did Blinken and Lavrov meet in Geneva?"


def newsbot(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [NEWSBOT, *args], input=stdin, capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})}
    )


@pytest.fixture
def store_copy(seed_store_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the seed store, free to damage."""
    target = tmp_path / "store"
    shutil.copytree(seed_store_dir, target)
    return target


def test_a_read_only_store_still_answers_and_only_ingest_needs_write(store_copy: Path, tmp_path: Path):
    mount_point = tmp_path / "ro"
    mount_point.mkdir()
    bound = subprocess.run(["mount", "--bind", str(store_copy), str(mount_point)], capture_output=True)
    if bound.returncode != 0:
        pytest.skip(f"bind mounts are not permitted here: {bound.stderr.decode().strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(mount_point)], check=True)
        done = newsbot("ask", "--json", QUESTION, "--store", str(mount_point))
        assert done.returncode == 0, done.stderr
        assert "90 minutes" in json.loads(done.stdout)["answer"]
        refused = newsbot("ingest", str(SEEDS), "--store", str(mount_point))
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


@pytest.mark.parametrize(
    ("content", "why"), [(b"", "its database file is empty"), (b"\x00garbage" * 100, "not an SQLite")]
)
def test_a_damaged_store_says_so_and_how_to_rebuild_it(store_copy: Path, content: bytes, why: str):
    (store_copy / "chroma" / "chroma.sqlite3").write_bytes(content)
    done = newsbot("ask", QUESTION, "--store", str(store_copy))
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"error: the store at {store_copy} is damaged") and why in line
    assert "newsbot ingest" in line


def test_a_bm25_copy_out_of_step_with_its_ids_is_rebuilt_not_a_crash(store_copy: Path):
    ids_file = store_copy / "bm25" / "ids.json"
    ids = json.loads(ids_file.read_text())
    ids_file.write_text(json.dumps(ids[: len(ids) // 2]))
    state_file = store_copy / "bm25" / "state.json"
    state = json.loads(state_file.read_text())
    state["count"] = len(ids) // 2  # consistent with the truncated ids, inconsistent with the model
    state_file.write_text(json.dumps(state))
    done = newsbot("ask", "--json", QUESTION, "--store", str(store_copy))
    assert done.returncode == 0, done.stderr
    assert "90 minutes" in json.loads(done.stdout)["answer"]
    assert len(json.loads(ids_file.read_text())) == len(ids)  # rebuilt and saved


def start_chroma(data: Path, port: int) -> subprocess.Popen:
    log = data / f"server-{time.monotonic_ns()}.log"
    server = subprocess.Popen(
        [CHROMA, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    wait_for_server(server, lambda: http_client(f"http://127.0.0.1:{port}").heartbeat(), "chroma run", log)
    return server


def test_a_chroma_server_outage_in_the_repl_is_one_json_error_and_the_repl_recovers(tmp_path: Path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_chroma(tmp_path, port)
    try:
        assert newsbot("ingest", str(SEEDS), "--chroma-url", url).returncode == 0
        repl = subprocess.Popen(
            [NEWSBOT, "repl", "--json", "--chroma-url", url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

        def ask(question: str) -> dict:
            repl.stdin.write(question + "\n")
            repl.stdin.flush()
            return json.loads(repl.stdout.readline())

        assert "90 minutes" in ask(QUESTION)["answer"]
        server.terminate()
        server.wait(30)
        down = ask(QUESTION)
        assert down["question"] == QUESTION and url in down["error"] and "cannot be reached" in down["error"]
        server = start_chroma(tmp_path, port)
        assert "90 minutes" in ask(QUESTION)["answer"]
        repl.stdin.close()
        assert repl.wait(60) == 0
        stderr = repl.stderr.read()
        assert "Traceback" not in stderr, stderr[-2000:]
    finally:
        server.terminate()
        server.wait(30)
