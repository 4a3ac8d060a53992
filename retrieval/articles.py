"""Article-level evidence: each story scored as a whole, so that a vague question still finds its story.

A passage is ranked on its own words, but a question about a news story often shares few words with the passage
that answers it ("What did the officials say?"): what matches is the story, across its passages. `ArticleIndex`
keeps every article's whole text (headline included when it has one) in a BM25 index, and knows which passages
belong to which article, so that the retriever can add an article's score to each of its passages.

The index is built from the collection (the single source of truth, as for the passage BM25 index), tagged with
the store generation it was built from, and saved beside the BM25 index so that a new process loads it instead of
reading every passage again.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from retrieval.bm25 import Bm25Index, replace_directory

if TYPE_CHECKING:
    from retrieval.store import NewsStore

logger = logging.getLogger(__name__)

_PAGE = 5000
_STATE = "articles.json"


def index_dir_for(store: NewsStore) -> Path:
    """Where the article index of `store` is kept: next to its BM25 index."""
    return store.index_dir.with_name(store.index_dir.name + "-articles")


def story_text(pieces: list[tuple[int, str]]) -> str:
    """An article's text rebuilt from its passages (which overlap): each character counted once."""
    out: list[str] = []
    covered = 0
    for start, text in sorted(pieces):
        end = start + len(text)
        if end <= covered:
            continue
        out.append(" " + text if start >= covered else text[covered - start :])
        covered = end
    return "".join(out).strip()


class ArticleIndex:
    """BM25 over whole articles, and which passages make up each article, for one store generation.

    Args:
        ids: article ids, in index order.
        passages: each article's passage (chunk) ids, in the same order.
        lexical: BM25 over each article's whole text, keyed by article id.
        generation: the store generation the index was built from.
    """

    def __init__(self, ids: list[str], passages: list[list[str]], lexical: Bm25Index, generation: str) -> None:
        self.ids = ids
        self.passages = passages
        self.lexical = lexical
        self.generation = generation
        self.article_of = {chunk: article for article, chunks in zip(ids, passages, strict=True) for chunk in chunks}

    @classmethod
    def build(cls, store: NewsStore, generation: str) -> ArticleIndex:
        """Read every passage of `store` once and index its articles."""
        pieces: dict[str, list[tuple[int, str]]] = {}
        chunks: dict[str, list[str]] = {}
        titles: dict[str, str] = {}
        offset = 0
        while True:
            page: Any = store.collection.get(include=["documents", "metadatas"], limit=_PAGE, offset=offset)  # type: ignore[list-item]
            for chunk_id, text, meta in zip(page["ids"], page["documents"], page["metadatas"], strict=True):
                article_id = str(meta.get("article_id"))
                chunks.setdefault(article_id, []).append(chunk_id)
                pieces.setdefault(article_id, []).append((int(meta.get("start", 0)), text or ""))
                title = str(meta.get("title") or "")
                if title and title != article_id:  # a headline, not the id standing in for a missing one
                    titles[article_id] = title
            if len(page["ids"]) < _PAGE:
                break
            offset += _PAGE
        ids = sorted(pieces)
        texts = [f"{titles.get(a, '')}\n{story_text(pieces[a])}".strip() for a in ids]
        return cls(ids, [chunks[a] for a in ids], Bm25Index.build(ids, texts, generation), generation)

    @classmethod
    def open(cls, store: NewsStore, generation: str) -> ArticleIndex:
        """The saved index when it matches `generation`; otherwise built from the store and saved."""
        directory = index_dir_for(store)
        index = cls.load(directory)
        if index is not None and index.generation == generation:
            return index
        logger.info("article index behind the collection; rebuilding")
        index = cls.build(store, generation)
        try:
            index.save(directory)
        except OSError as exc:  # a read-only store still answers; it just rebuilds in the next process
            logger.warning("could not save the article index to %s: %s", directory, exc)
        return index

    def scores(self, query: str, k: int) -> dict[str, float]:
        """BM25 of the `k` best articles for `query`, divided by the best one's (so in [0, 1])."""
        found = self.lexical.search(query, k)
        return {article_id: score / found[0][1] for article_id, score in found}

    def save(self, directory: Path) -> None:
        """Write the index atomically (a reader sees the old one or the new one)."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".articles-", dir=directory.parent))
        try:
            self.lexical.save(tmp / "bm25")
            state = {"generation": self.generation, "ids": self.ids, "passages": self.passages}
            (tmp / _STATE).write_text(json.dumps(state))
            replace_directory(tmp, directory)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> ArticleIndex | None:
        """A saved index, or None when there is none or it is unreadable (the caller rebuilds it)."""
        try:
            state = json.loads((directory / _STATE).read_text())
        except (OSError, ValueError) as exc:
            if directory.exists():
                logger.warning("article index at %s unreadable (%s); it will be rebuilt", directory, exc)
            return None
        lexical = Bm25Index.load(directory / "bm25")
        ids, passages = state.get("ids"), state.get("passages")
        if lexical is None or not isinstance(passages, list) or lexical.ids != ids or len(passages) != len(ids):
            return None
        return cls(ids, passages, lexical, str(state.get("generation")))
