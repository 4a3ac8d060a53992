"""Ingest: files -> cleaned articles -> passages -> the store, adding only what changed."""

from __future__ import annotations

import filecmp
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.documents import Document
from langchain_text_splitters import RecursiveCharacterTextSplitter

from retrieval.chunking import CHUNK_OVERLAP, CHUNK_SIZE, chunk_article, make_splitter
from retrieval.errors import StoreError
from retrieval.loaders import Article, discover, load_file
from retrieval.store import NewsStore, disk_full

logger = logging.getLogger(__name__)

WRITE_BATCH = 256  # passages embedded and committed together: an interrupt loses at most one batch of work

Progress = Callable[[int, int], None]  # (done, total) passages embedded


@dataclass
class IngestReport:
    """What an ingest did; `errors` are one line each, naming the file (and line)."""

    files: int = 0
    articles: int = 0
    added: int = 0
    unchanged: int = 0
    removed: int = 0
    pruned_articles: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every file and line was ingested."""
        return not self.errors


@dataclass
class _Plan:
    add: list[Document] = field(default_factory=list)
    remove: set[str] = field(default_factory=set)


def ingest(
    paths: list[Path],
    store: NewsStore,
    *,
    prune: bool = False,
    progress: Progress | None = None,
    batch_size: int = WRITE_BATCH,
    chunk_size: int = CHUNK_SIZE,
    chunk_overlap: int = CHUNK_OVERLAP,
) -> IngestReport:
    """Bring the store in line with the articles under `paths`.

    Unchanged articles cost nothing; a changed article replaces exactly its own passages; with `prune`,
    articles whose files are gone (or no longer hold them) are removed. Passages are committed in batches
    under a "writing" generation, so a run that is killed leaves a store the next run completes.
    """
    started = time.perf_counter()
    report = IngestReport()
    stored = store.articles()
    plan = _Plan()
    seen: dict[str, str] = {}
    compared: dict[tuple[str, str], bool] = {}
    clean_files: set[str] = set()
    splitter = make_splitter(chunk_size, chunk_overlap)
    for path in discover(paths, report.errors):
        report.files += 1
        loaded = load_file(path)
        report.errors.extend(loaded.errors)
        report.notes.extend(loaded.notes)
        if not loaded.errors:
            clean_files.add(str(path))
        for article in loaded.articles:
            if _claimed(article, seen, stored, report, compared):
                continue
            seen[article.id] = article.source_path
            report.articles += 1
            _plan_article(article, stored, plan, report, splitter)
    if prune:
        _plan_prune(stored, seen, clean_files, plan, report)
    if plan.add or plan.remove or not store.generation or store.generation.startswith("writing-"):
        _apply(plan, store, report, progress, batch_size)
    report.seconds = time.perf_counter() - started
    return report


def ingest_articles(
    articles: list[Article],
    store: NewsStore,
    *,
    extra: dict[str, dict[str, str]] | None = None,
    progress: Progress | None = None,
    batch_size: int = WRITE_BATCH,
) -> IngestReport:
    """Bring articles read elsewhere (`retrieval.web`: feeds and pages) into the store, as `ingest` does files.

    Unchanged articles cost nothing and a changed one replaces exactly its own passages; articles not given are
    left alone (an item that leaves its feed stays in the corpus).

    Args:
        articles: the articles, ids unique (web articles: one per canonical URL).
        store: the store to write to.
        extra: more passage metadata by article id (a web article's author).
        progress: called with (passages embedded, passages to embed).
        batch_size: passages embedded and committed together.
    """
    started = time.perf_counter()
    report = IngestReport(articles=len(articles))
    stored = store.articles()
    plan = _Plan()
    splitter = make_splitter()
    for article in articles:
        _plan_article(article, stored, plan, report, splitter)
    for doc in plan.add:
        doc.metadata.update((extra or {}).get(str(doc.metadata.get("article_id")), {}))
    if plan.add or plan.remove or not store.generation or store.generation.startswith("writing-"):
        _apply(plan, store, report, progress, batch_size)
    report.seconds = time.perf_counter() - started
    return report


def _claimed(
    article: Article, seen: dict[str, str], stored: dict, report: IngestReport, compared: dict[tuple[str, str], bool]
) -> bool:
    """True (with an error line) when another file already supplies this article id (`compared`: `_same_bytes`)."""
    other = seen.get(article.id)
    if other is None:
        old = stored.get(article.id)
        if old and not _same_source(old.source_path, article.source_path) and _may_exist(old.source_path):
            # a copy of the same file (the project cloned again elsewhere, a folder copied) takes the article over
            other = None if _same_bytes(old.source_path, article.source_path, compared) else old.source_path
    if other is None or _same_source(other, article.source_path):
        return False
    report.errors.append(f"{article.source_path}: article id {article.id!r} already comes from {other}; skipped")
    return True


def _plan_article(
    article: Article, stored: dict, plan: _Plan, report: IngestReport, splitter: RecursiveCharacterTextSplitter
) -> None:
    docs = chunk_article(article, splitter)
    new_ids = {str(d.id) for d in docs}
    old_ids = stored[article.id].chunk_ids if article.id in stored else frozenset()
    plan.add.extend(d for d in docs if d.id not in old_ids)
    plan.remove.update(old_ids - new_ids)
    report.unchanged += len(new_ids & old_ids)


def _plan_prune(stored: dict, seen: dict[str, str], clean_files: set[str], plan: _Plan, report: IngestReport) -> None:
    for article in stored.values():
        if article.id in seen:
            continue
        gone = not _may_exist(article.source_path)
        dropped_from_file = article.source_path in clean_files
        if gone or dropped_from_file:
            plan.remove.update(article.chunk_ids)
            report.pruned_articles += 1


def _same_source(a: str, b: str) -> bool:
    """Whether two source paths name the same file (stores written before paths were made absolute hold relative
    ones, read here from the current folder) or the same URL."""
    if "://" in a or "://" in b:
        return a == b
    return os.path.abspath(a) == os.path.abspath(b)


def _same_bytes(a: str, b: str, compared: dict[tuple[str, str], bool]) -> bool:
    """Whether the files `a` and `b` hold the same bytes (False for a URL or a file that cannot be read); `compared`
    keeps the answers of one ingest, whose articles of one JSONL file share them."""
    if (a, b) not in compared:
        try:
            compared[a, b] = "://" not in a + b and filecmp.cmp(a, b, shallow=False)
        except OSError:
            compared[a, b] = False
    return compared[a, b]


def _may_exist(path: str) -> bool:
    """False only when `path` certainly does not exist (a file in an unreadable folder may; a URL may)."""
    if "://" in path:  # a web article (`retrieval.web`): never pruned for want of a file
        return True
    try:
        return Path(path).exists()
    except OSError:
        return True


def _apply(plan: _Plan, store: NewsStore, report: IngestReport, progress: Progress | None, batch_size: int) -> None:
    try:
        _write(plan, store, report, progress, batch_size)
    except StoreError:
        raise  # the store maps its own errors, a full disk included
    except Exception as exc:
        if not disk_full(exc, store.index_dir):
            raise
        raise store.disk_full_error() from exc


def _write(plan: _Plan, store: NewsStore, report: IngestReport, progress: Progress | None, batch_size: int) -> None:
    store.begin_write()
    # Added before removed: a kill in between leaves extra passages (removed next run), never missing ones.
    todo = sorted(plan.add, key=lambda d: len(d.page_content))
    done = 0
    if progress:
        progress(0, len(todo))
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        vectors = store.embeddings.embed_array([d.page_content for d in batch])
        store.add(batch, vectors.tolist())
        done += len(batch)
        if progress:
            progress(done, len(todo))
    store.delete(plan.remove)
    report.added = len(todo)
    report.removed = len(plan.remove)
    store.end_write()
