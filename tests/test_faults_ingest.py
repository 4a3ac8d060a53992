"""The ingest faults of issue 9, each reproduced against the real loaders, store and command line.

9.2 links and escape sequences, 9.11 huge articles, 9.12 disk full, 9.14 unreadable folders, 9.15 UTF-16,
9.18 ids with punctuation, 9.19 JSONL messages.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS

from retrieval.chunking import chunk_article
from retrieval.ingest import ingest
from retrieval.loaders import MAX_ARTICLE_CHARS, Article, load_file
from retrieval.retriever import HybridRetriever

NEWSBOT = Path(sys.executable).with_name("newsbot")


def _jsonl(path: Path, *records: object) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n")
    return path


def _newsbot(*args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, str(NEWSBOT), *args], capture_output=True, text=True, timeout=300, check=False)


# -- 9.2: only http(s) links; no control characters in metadata -----------------------------------------------------


def test_a_javascript_url_is_dropped_with_a_note_naming_the_line(make_store, tmp_path: Path):
    feed = _jsonl(
        tmp_path / "feed.jsonl",
        {"id": "ok", "title": "Fine", "text": "A fine story about the harbour.", "url": "https://example.org/ok"},
        {"id": "js", "title": "Trap", "text": "A story about the harbour wall.", "url": "javascript:alert(1)"},
    )
    loaded = load_file(feed)
    assert [a.url for a in loaded.articles] == ["https://example.org/ok", None]
    assert loaded.notes == [
        f"{feed}:2: url 'javascript:alert(1)' is not an http(s) link; the article is kept without it"
    ]
    store = make_store()
    ingest([feed], store)
    assert {a.id: a.url for a in store.articles().values()} == {"ok": "https://example.org/ok", "js": None}


def test_html_and_text_files_keep_only_http_links(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><meta property='og:title' content='Harbour'><link rel='canonical' href='data:text/html,x'>"
        "</head><body><p>The harbour wall was rebuilt.</p></body></html>"
    )
    text = tmp_path / "story.txt"
    text.write_text("Harbour\nwww.example.org/harbour\n\nThe harbour wall was rebuilt.\n")
    html_result = load_file(page)
    assert html_result.articles[0].url is None
    assert html_result.notes == [
        f"{page}: url 'data:text/html,x' is not an http(s) link; the article is kept without it"
    ]
    assert load_file(text).articles[0].url == "https://www.example.org/harbour"


def test_escape_sequences_and_control_characters_are_stripped_from_metadata(tmp_path: Path):
    osc8 = "\x1b]8;;https://evil.example/\x07"
    feed = _jsonl(
        tmp_path / "feed.jsonl",
        {
            "id": "a\x1b[2Jb\x07",
            "title": "\x1b[31mRed\x1b[0m alert\u200b!",
            "text": f"Body with {osc8}a link\x1b]8;;\x07 and a bell\x07.",
            "url": "https://example.org/\x1b[1mstory",
            "date": "2022-01-22\x1b[0m",
        },
    )
    article = load_file(feed).articles[0]
    assert (article.id, article.title, article.url, article.date) == (
        "ab",
        "Red alert!",
        "https://example.org/story",
        "2022-01-22",
    )
    assert article.text == "Body with a link and a bell."
    named = tmp_path / "st\x1b[31mory.txt"
    named.write_text("Title\n\nSome article text.")
    assert load_file(named).articles[0].id == "story"


# -- 9.11: chunking linear in the article's length; a reachable per-article limit ------------------------------------


class _CountingArticle(Article):
    """An article that counts how often its whole-text fingerprint is computed."""

    computed = 0

    @property
    def fingerprint(self) -> str:  # type: ignore[override]
        type(self).computed += 1
        return "f" * 16


def test_a_long_article_is_fingerprinted_once_not_once_per_passage():
    sentence = "The committee met again on Tuesday and agreed on a new budget for the harbour. "
    article = _CountingArticle("big", "Big", sentence * 2000, "big.txt")  # one line, 160,000 characters
    docs = chunk_article(article)
    assert len(docs) > 150
    assert _CountingArticle.computed == 1
    assert {d.metadata["fingerprint"] for d in docs} == {"f" * 16}


def test_an_article_over_the_limit_is_refused_with_a_line_that_says_what_to_do(tmp_path: Path):
    huge = tmp_path / "huge.txt"
    huge.write_text("Huge\n\n" + "word " * (MAX_ARTICLE_CHARS // 5 + 10))
    feed = _jsonl(tmp_path / "feed.jsonl", {"id": "x", "title": "T", "text": "w " * (MAX_ARTICLE_CHARS // 2 + 1)})
    limit = f"{MAX_ARTICLE_CHARS / 1e6:g} million per article; split it into several articles"
    for path, where in ((huge, str(huge)), (feed, f"{feed}:1")):
        result = load_file(path)
        assert not result.articles
        assert result.errors[0].startswith(f"{where}: 10.0 million characters, over the limit of")
        assert result.errors[0].endswith(limit)


# -- 9.12: disk full ------------------------------------------------------------------------------------------------

# Runs in its own mount namespace: a 20 MiB tmpfs holds a store with one article, then shrinks to what is used plus
# 48 KiB (real ENOSPC for the next writes), then grows again. Each step's exit code and output land in $OUT.
_DISK_FULL = r"""
set -u
mnt=$1; out=$2; newsbot=$3; seeds=$4
mount -t tmpfs -o size=20m tmpfs "$mnt" || exit 90
mkdir "$mnt/in" && cp "$seeds"/000_* "$mnt/in/"
step() {
    name=$1; shift
    "$newsbot" "$@" --store "$mnt/store" >"$out/$name.out" 2>"$out/$name.err"; echo $? >"$out/$name.rc"
}
step first ingest "$mnt/in"
cp "$seeds"/* "$mnt/in/"
mount -o remount,size=$(( $(df -k --output=used "$mnt" | tail -1) + 48 ))k "$mnt"
step full ingest "$mnt/in"
step during sources --json
mount -o remount,size=20m "$mnt"
step again ingest "$mnt/in"
step after sources --json
"""


def _unshare() -> list[str]:
    """A command prefix that runs in new user and mount namespaces, where mounting a tmpfs needs no privilege."""
    probe = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True, check=False
    )
    if shutil.which("unshare") is None or probe.returncode != 0:
        pytest.skip(f"no user/mount namespaces here to make a small filesystem: {probe.stderr.decode().strip()}")
    return ["unshare", "--user", "--map-root-user", "--mount"]


def test_disk_full_is_one_line_keeps_the_store_and_the_next_run_completes(tmp_path: Path):
    mnt, out = tmp_path / "mnt", tmp_path / "out"
    mnt.mkdir()
    out.mkdir()
    run = subprocess.run(
        [*_unshare(), "bash", "-c", _DISK_FULL, "bash", str(mnt), str(out), str(NEWSBOT), str(SEEDS)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr

    def step(name: str) -> tuple[int, str, str]:
        return (
            int((out / f"{name}.rc").read_text()),
            (out / f"{name}.out").read_text(),
            (out / f"{name}.err").read_text(),
        )

    assert step("first")[0] == 0
    code, _, err = step("full")
    assert code == 1
    assert err.count("\n") == 1 and err.startswith(f"error: no space left on device for the store ({mnt / 'store'})")
    assert "Traceback" not in err
    code, listing, _ = step("during")  # the store still serves what it held
    assert code == 0 and [a["source"] for a in json.loads(listing)] == ["000_a53a7e963411cd1c"]
    assert step("again")[0] == 0
    code, listing, _ = step("after")
    expected = {a.id: len(chunk_article(a)) for p in sorted(SEEDS.glob("*.txt")) for a in load_file(p).articles}
    assert code == 0 and {a["source"]: a["passages"] for a in json.loads(listing)} == expected


# -- 9.14: an unreadable sub-folder -----------------------------------------------------------------------------------


def _without_read_override() -> tuple[str, ...]:
    """A prefix that makes root obey file permissions (drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH)."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("root reads any folder, and setpriv (util-linux) is not here to drop that privilege")
    caps = "-dac_override,-dac_read_search"
    return ("setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", "--")


def test_an_unreadable_subfolder_is_reported_and_the_exit_code_is_1(tmp_path: Path, seeds_copy: Path):
    locked = seeds_copy / "locked"
    locked.mkdir()
    (locked / "hidden.txt").write_text("Hidden\n\nAn article nobody can read.")
    locked.chmod(0)
    try:
        result = _newsbot(
            "ingest", str(seeds_copy), "--store", str(tmp_path / "store"), prefix=_without_read_override()
        )
    finally:
        locked.chmod(0o755)
    assert result.returncode == 1
    assert f"error: {locked}: cannot read folder (Permission denied)" in result.stderr.splitlines()
    assert result.stdout.startswith("5 articles from 5 files")


# -- 9.15: UTF-16 and UTF-32 with a byte-order mark -------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_text_file_with_a_byte_order_mark_is_decoded(tmp_path: Path, encoding: str):
    path = tmp_path / "story.txt"
    bom = {"utf-16": b"", "utf-16-be": b"\xfe\xff", "utf-32": b""}[encoding]  # Python writes the mark for these two
    path.write_bytes(bom + "Café reopens\n\n2022-01-22\n\nThe café on the square reopened.".encode(encoding))
    result = load_file(path)
    assert result.errors == [] and result.notes == []
    article = result.articles[0]
    assert (article.title, article.date, article.text) == (
        "Café reopens",
        "2022-01-22",
        "The café on the square reopened.",
    )


def test_a_utf16_jsonl_file_is_read_line_by_line(tmp_path: Path):
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps({"id": f"r{i}", "title": f"Story {i}", "text": f"Story number {i}."}) for i in range(3)]
    path.write_bytes("\r\n".join([*lines, "{broken"]).encode("utf-16"))
    result = load_file(path)
    assert [a.id for a in result.articles] == ["r0", "r1", "r2"]
    assert result.errors == [
        f"{path}:4: malformed JSON (Expecting property name enclosed in double quotes at column 2)"
    ]


# -- 9.18: any printable id ----------------------------------------------------------------------------------------


def test_ids_with_punctuation_and_spaces_are_kept_verbatim_through_retrieval(make_store, tmp_path: Path):
    ids = ["Fresno,_California", "Harbour (2022), final report", "Ünïcödé id: #1 & more", "42"]
    feed = _jsonl(
        tmp_path / "squad.jsonl",
        *(
            {"id": i, "title": f"Story {n}", "text": f"Lighthouse keeper number {n} rescued {n + 2} sailors."}
            for n, i in enumerate(ids[:3])
        ),
        '{"id": 42, "title": "Numbered", "text": "The lighthouse keeper rescued forty sailors."}',
    )
    store = make_store()
    report = ingest([feed], store)
    assert report.errors == [] and sorted(store.articles()) == sorted(ids)
    hits = HybridRetriever(store=store).invoke("Which lighthouse keeper rescued sailors?")
    assert {d.metadata["article_id"] for d in hits} == set(ids)


# -- 9.19: messages that point at the problem -------------------------------------------------------------------------


def test_malformed_json_points_at_the_column_where_the_line_goes_wrong(tmp_path: Path):
    feed = _jsonl(
        tmp_path / "feed.jsonl",
        '{"id": "a", "title": "T", "text": "cut short"',
        '{"id": "b",, "text": "x"}',
        '{"id": "c", "text": "no end',
    )
    assert load_file(feed).errors == [
        f"{feed}:1: malformed JSON (Expecting ',' delimiter at the end of the line)",
        f"{feed}:2: malformed JSON (Expecting property name enclosed in double quotes at column 12)",
        f"{feed}:3: malformed JSON (Unterminated string starting at column 21)",
    ]


def test_a_field_of_the_wrong_type_is_called_that_not_missing(tmp_path: Path):
    feed = _jsonl(
        tmp_path / "feed.jsonl",
        {"title": "T", "text": 12345},
        {"title": ["T"], "text": "Fine text."},
        {"title": "T", "text": "Fine text.", "id": {"n": 1}},
        {"title": "T"},
        {"title": "T", "text": "   "},
    )
    assert load_file(feed).errors == [
        f'{feed}:1: "text" must be a string, not a number',
        f'{feed}:2: "title" must be a string, not an array',
        f'{feed}:3: "id" must be a string or a number, not an object',
        f'{feed}:4: missing "text" (or "body", "content", "article", "story", "maintext", "description", "summary")',
        f'{feed}:5: empty "text"',
    ]
