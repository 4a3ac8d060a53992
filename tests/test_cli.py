"""The `newsbot` command as a person runs it: a real process, a real store, no network."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS

NEWSBOT = str(Path(sys.executable).parent / "newsbot")


def run(*args: str, store: Path, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSBOT_STORE": str(store), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([NEWSBOT, *args], input=stdin, capture_output=True, text=True, env=env, timeout=300, cwd=cwd)


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    done = run("ingest", str(SEEDS), store=store)
    assert done.returncode == 0, done.stderr
    assert "5 articles from 5 files" in done.stdout
    return store


def test_ask_json_follows_the_contract(cli_store: Path):
    done = run("ask", "--json", "How long did Blinken and Lavrov meet in Geneva?", store=cli_store)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert set(answer) == {"question", "answer", "abstained", "generator", "citations"}
    assert "90 minutes" in answer["answer"] and answer["generator"] == "extractive"
    citation = answer["citations"][0]
    assert set(citation) == {"n", "source", "title", "date", "url", "quote"}
    assert citation["source"] == "004_104f296de9b5b871"


def test_ask_plain_prints_the_answer_then_numbered_sources(cli_store: Path):
    done = run("ask", "Which aircraft carrier will take part in the NATO exercise?", store=cli_store)
    assert done.returncode == 0
    assert "Truman" in done.stdout
    assert "Sources:\n[1] US and Russia agree to keep talking" in done.stdout


def test_piped_repl_gives_exactly_one_json_line_per_input_line(cli_store: Path):
    lines = [
        "Who is the US Secretary of State in these reports?",
        "Which Russian minister did he meet in Geneva?",
        "/sources",
        "",
        "/nonsense",
        "How many tanks did Germany send to Ukraine?",
        "/reset",
        "/help",
    ]
    done = run("repl", "--json", store=cli_store, stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == len(lines)
    assert "Blinken" in out[0]["answer"] and "Lavrov" in out[1]["answer"]
    assert out[2]["command"] == "sources" and out[2]["passages"][0]["text"]
    assert "error" in out[3] and out[4]["command"] == "nonsense" and "error" in out[4]
    assert out[5]["abstained"] is True and out[5]["citations"] == []
    assert out[6] == {"command": "reset", "ok": True} and out[7]["command"] == "help"


def test_piped_repl_without_json_prints_plain_answers(cli_store: Path):
    done = run("repl", store=cli_store, stdin="How long did Blinken and Lavrov meet in Geneva?\n/quit\nignored\n")
    assert done.returncode == 0
    assert "90 minutes" in done.stdout and "Sources:" in done.stdout and "ignored" not in done.stdout


def test_sources_lists_the_articles_newest_first(cli_store: Path):
    done = run("sources", "--json", store=cli_store)
    rows = json.loads(done.stdout)
    dates = [r["date"] for r in rows]
    dated = [d for d in dates if d]
    assert len(rows) == 5 and dates[: len(dated)] == sorted(dated, reverse=True)  # undated articles last
    assert rows[0]["date"] == "2022-01-22"


def test_no_store_yet_is_one_clear_line_and_exit_1(tmp_path: Path):
    done = run("ask", "anything?", store=tmp_path / "nothing-here")
    assert done.returncode == 1
    assert done.stderr.strip() == f"error: no store at {tmp_path / 'nothing-here'}: run `newsbot ingest` first"
    assert "Traceback" not in done.stderr


def test_empty_question_is_refused(cli_store: Path):
    done = run("ask", "   ", store=cli_store)
    assert done.returncode == 1 and "empty question" in done.stderr and "Traceback" not in done.stderr


def test_unreadable_store_is_one_clear_line(tmp_path: Path):
    store = tmp_path / "store"
    (store / "chroma").mkdir(parents=True)
    (store / "chroma" / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    done = run("ask", "Who met in Geneva?", store=store)
    assert done.returncode == 1 and done.stderr.startswith("error: ") and "Traceback" not in done.stderr


def test_ingest_with_a_bad_file_names_it_and_exits_non_zero(tmp_path: Path):
    (tmp_path / "good.txt").write_text("Good title\n\nA good article about the harvest.")
    (tmp_path / "bad.jsonl").write_text("{oops\n")
    done = run("ingest", str(tmp_path), store=tmp_path / "store")
    assert done.returncode == 1
    assert f"error: {tmp_path / 'bad.jsonl'}:1: malformed JSON" in done.stderr
    assert "1 article from 2 files" in done.stdout


def test_ingest_defaults_to_seeds_in_the_current_folder(tmp_path: Path):
    done = run("ingest", store=tmp_path / "store", cwd=SEEDS.parent)
    assert done.returncode == 0 and "5 articles from 5 files" in done.stdout


def test_eval_on_the_dev_set_reports_a_full_pass(cli_store: Path):
    done = run("eval", "--json", str(Path(__file__).parent / "data" / "seed_dev.jsonl"), store=cli_store)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["pass_rate"] == 1.0 and report["questions"] == 15


def test_eval_on_squad_format_builds_its_store_and_reports_retrieval(tmp_path: Path):
    squad = {
        "data": [
            {
                "title": "Harbours",
                "paragraphs": [
                    {
                        "context": "The port of Varna reopened to grain ships on Monday after a "
                        "three-week closure caused by storms.",
                        "qas": [
                            {
                                "id": "q1",
                                "question": "When did the port of Varna reopen?",
                                "answers": [{"text": "Monday"}],
                            }
                        ],
                    }
                ],
            },
            {
                "title": "Orchards",
                "paragraphs": [
                    {
                        "context": "Farmers in the valley expect a record apple harvest of "
                        "forty thousand tonnes this autumn.",
                        "qas": [
                            {
                                "id": "q2",
                                "question": "How large is the apple harvest expected to be?",
                                "answers": [{"text": "forty thousand tonnes"}],
                            }
                        ],
                    }
                ],
            },
        ]
    }
    path = tmp_path / "mini-squad.json"
    path.write_text(json.dumps(squad))
    done = run("eval", "--json", str(path), "--store", str(tmp_path / "squad-store"), store=tmp_path / "unused")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["questions"] == 2 and report["hit_at"]["1"] == 1.0 and report["containment"] == 1.0
