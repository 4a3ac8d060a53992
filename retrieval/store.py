"""The article store: a Chroma collection (through `langchain_chroma.Chroma`) plus a BM25 index kept in step.

Keeping BM25 in step: every write to the collection first stamps the collection with a fresh `generation`
(collection metadata), and the BM25 index records the generation it was built from. Whoever opens the store
compares the two and rebuilds BM25 from the collection when they differ: after an interrupted ingest, or when
another replica wrote to a shared Chroma server. The collection is the single source of truth.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import hashlib
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import chromadb
import httpx
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings
from chromadb.errors import ChromaError, NotFoundError
from langchain_chroma import Chroma
from langchain_core.documents import Document

from retrieval.articles import ArticleIndex
from retrieval.bm25 import Bm25Index
from retrieval.embeddings import MiniLMEmbeddings
from retrieval.errors import StoreError

logger = logging.getLogger(__name__)

COLLECTION = "newsbot-articles"
SCHEMA = 1
# How widely a search walks the HNSW graph. At Chroma's default (100), a search for the retriever's 100 nearest
# passages (`FETCH_K`) is approximate at its tail: which passage came 100th changed from run to run, and with it
# the min-max scaling of every similarity, so a near-tie between two answers went one way or the other. At 400 the
# 100 nearest are the same every time (docs/evaluation.md, session 32).
SEARCH_EF = 400
_PAGE = 5000
# Below this much free space, a failed write is taken for a full disk: chromadb's compaction reports one as
# "Failed to apply logs to the metadata segment", with no errno or SQLite code to map.
_NEARLY_FULL_BYTES = 16 * 2**20


_SQLITE_HEADER = b"SQLite format 3\x00"


def persistent_client(path: Path, *, write: bool = False) -> ClientAPI:
    """A Chroma client on disk at `path` (created when missing); `write` when the caller will write (ingest).

    A damaged store is a `StoreError` saying how to rebuild it. A store on a read-only mount (or without write
    permission) still answers: Chroma writes to its database even to read, so it is opened from a temporary
    copy; only ingest needs the real one to be writable.
    """
    chroma_dir = path / "chroma"
    _check_not_damaged(path, chroma_dir / "chroma.sqlite3")
    if chroma_dir.is_dir() and not _writable(chroma_dir):
        if write:
            raise StoreError(f"the store at {path} is read-only: ingest needs to write to it")
        logger.warning("the store at %s is read-only: answering from a temporary copy", path)
        chroma_dir = _temporary_copy(chroma_dir)
    try:
        if _writable(path) or not path.exists():
            path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(chroma_dir), settings=Settings(anonymized_telemetry=False))
    except (ChromaError, OSError) as exc:
        raise StoreError(f"cannot open the store at {path}: {exc}") from exc


def disk_full(exc: BaseException, store_dir: Path) -> bool:
    """True when a failed write ran out of disk space.

    Our own writes raise `OSError(ENOSPC)`; chromadb's Rust bindings raise a generic `InternalError` whose text holds
    SQLite's result code (13, SQLITE_FULL) or the OS error, or neither, so the free space on the store's disk decides.
    """
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    message = str(exc)
    if "(code: 13)" in message or "os error 28" in message:
        return True
    folder = store_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free < _NEARLY_FULL_BYTES
    except OSError:
        return False


def _writable(directory: Path) -> bool:
    """True when this process may write in `directory` (and to its database): False on a read-only mount."""
    database = directory / "chroma.sqlite3"
    return os.access(directory, os.W_OK) and (not database.exists() or os.access(database, os.W_OK))


def _check_not_damaged(path: Path, database: Path) -> None:
    """`StoreError` when the store's database file is empty or not an SQLite file (Chroma would start afresh)."""
    if not database.exists():
        return
    with database.open("rb") as handle:
        head = handle.read(len(_SQLITE_HEADER))
    if head == _SQLITE_HEADER:
        return
    why = "its database file is empty" if not head else "its database file is not an SQLite database"
    raise StoreError(
        f"the store at {path} is damaged ({why}): move it away, then rebuild it with "
        f"`newsbot ingest ARTICLES... --store {path}`"
    )


def _temporary_copy(chroma_dir: Path) -> Path:
    """A writable copy of a read-only Chroma directory, removed when the process exits."""
    target = Path(tempfile.mkdtemp(prefix="newsbot-readonly-")) / "chroma"
    shutil.copytree(chroma_dir, target)
    atexit.register(shutil.rmtree, target.parent, ignore_errors=True)
    return target


def http_client(url: str) -> ClientAPI:
    """A Chroma client for a `chroma run` server at `url` (http://host:port)."""
    from urllib.parse import urlparse

    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise StoreError(f"--chroma-url must look like http://host:port, not {url!r}")
    try:
        return chromadb.HttpClient(
            host=parsed.hostname,
            port=parsed.port or 8000,
            ssl=parsed.scheme == "https",
            settings=Settings(anonymized_telemetry=False),
        )
    except Exception as exc:
        raise StoreError(f"cannot reach the Chroma server at {url}: {exc}") from exc


@dataclass(frozen=True)
class StoredArticle:
    """What the store knows about one article."""

    id: str
    title: str
    date: str | None
    url: str | None
    source_path: str
    fingerprint: str
    chunk_ids: frozenset[str]


def _grouped(passages: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, StoredArticle]:
    """(passage id, metadata) pairs grouped into their articles, by id."""
    groups: dict[str, dict[str, Any]] = {}
    for chunk_id, meta in passages:
        article_id = str(meta.get("article_id"))
        entry = groups.setdefault(article_id, {"meta": meta, "ids": set()})
        entry["ids"].add(chunk_id)
    return {
        aid: StoredArticle(
            id=aid,
            title=str(g["meta"].get("title", aid)),
            date=g["meta"].get("date"),
            url=g["meta"].get("url"),
            source_path=str(g["meta"].get("source_path", "")),
            fingerprint=str(g["meta"].get("fingerprint", "")),
            chunk_ids=frozenset(g["ids"]),
        )
        for aid, g in groups.items()
    }


class NewsStore:
    """Passages in Chroma plus their BM25 index.

    Args:
        client: any chromadb client (persistent, HTTP, in-memory).
        embeddings: the embedding model; a store refuses a model other than the one that built it.
        index_dir: where the BM25 index is kept (next to a persistent store; a local cache in server mode).
        create: create the collection when missing (ingest); otherwise a missing one is a `StoreError`.
        location: where the store is (a folder, or a Chroma server's URL), for error messages.

    Chroma's and httpx's errors are mapped to `StoreError`s where they enter (`errors`), by type: a server that
    cannot be reached, a full disk, a database that cannot be read.
    """

    def __init__(
        self,
        client: ClientAPI,
        embeddings: MiniLMEmbeddings,
        index_dir: Path,
        *,
        create: bool = False,
        collection_name: str = COLLECTION,
        location: str = "",
    ) -> None:
        self.client = client
        self.location = location or str(index_dir.parent)
        self.embeddings = embeddings
        self.index_dir = index_dir
        self.collection_name = collection_name
        try:
            # langchain_chroma.Chroma reads, searches, adds and deletes passages.
            self.vectorstore = Chroma(
                client=client,
                collection_name=collection_name,
                embedding_function=embeddings,
                collection_metadata={"embedding_model": embeddings.model_id, "schema": SCHEMA, "generation": "empty"},
                collection_configuration={"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}},
                create_collection_if_not_exists=create,
            )
            # The same collection through Chroma's public API, for what langchain_chroma does not expose
            # (collection metadata, counts, upserting precomputed vectors): no reach into its private handle.
            self.collection: Collection = client.get_collection(collection_name, embedding_function=None)
        except NotFoundError as exc:
            raise StoreError("no articles are indexed yet: run `newsbot ingest` first") from exc
        except httpx.TransportError as exc:
            raise self._unreachable(exc) from exc
        except (ChromaError, ValueError) as exc:
            raise StoreError(f"cannot open the article collection at {self.location}: {exc}") from exc
        built_with = (self.collection.metadata or {}).get("embedding_model")
        if built_with and built_with != embeddings.model_id:
            raise StoreError(
                f"this store was built with {built_with}, not {embeddings.model_id}; "
                "use the same embedder, or ingest into a new store (--store DIR)"
            )
        self._search_widely()
        self._bm25: Bm25Index | None = None

    def _search_widely(self) -> None:
        """Raise the `ef_search` of a collection made before `SEARCH_EF` to it: a setting, not data. Chroma applies it
        when it next loads the index: at once in a process that has not searched the store yet (as when opened
        here), on a Chroma server after its restart. A store that refuses the change is searched as it is, with a
        warning."""
        hnsw = (self.collection.configuration or {}).get("hnsw") or {}
        if hnsw.get("ef_search", SEARCH_EF) >= SEARCH_EF:
            return
        try:
            self.collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})
        # any failure: the setting only steadies the search, and chromadb's HTTP client raises a bare Exception for
        # an error body it does not know
        except Exception as exc:
            logger.warning(
                "the store keeps searching at ef_search %s (%s): answers may vary between runs",
                hnsw.get("ef_search"),
                exc,
            )

    # -- errors --------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def errors(self, doing: str) -> Iterator[None]:
        """Map Chroma's, httpx's and the OS's errors while `doing` something to `StoreError`s, by type."""
        try:
            yield
        except StoreError:
            raise
        except httpx.TransportError as exc:
            raise self._unreachable(exc) from exc
        except (OSError, ChromaError) as exc:
            if disk_full(exc, self.index_dir):
                raise self.disk_full_error() from exc
            raise StoreError(f"{doing} failed at {self.location}: {exc}") from exc

    def _unreachable(self, exc: Exception) -> StoreError:
        return StoreError(
            f"the Chroma server at {self.location} cannot be reached ({type(exc).__name__}): "
            "check that `chroma run` is up, then ask again"
        )

    def disk_full_error(self) -> StoreError:
        """The one line a full disk gives."""
        return StoreError(
            f"no space left on device for the store ({self.location}); what it holds is intact: "
            "free some space and run the same command again to finish"
        )

    # -- state ---------------------------------------------------------------------------------------------

    @property
    def generation(self) -> str:
        """Changes on every write; the BM25 index is current when it was built from this generation.

        Read afresh from the server or disk each time (a collection handle caches its metadata).
        """
        with self.errors("reading the store"):
            fresh = self.client.get_collection(self.collection_name, embedding_function=None)
        return str((fresh.metadata or {}).get("generation", ""))

    def _stamp(self, generation: str) -> None:
        with self.errors("writing to the store"):
            metadata = dict(self.client.get_collection(self.collection_name, embedding_function=None).metadata or {})
            metadata["generation"] = generation
            self.collection.modify(metadata=metadata)

    def count(self) -> int:
        """Number of passages."""
        with self.errors("reading the store"):
            return self.collection.count()

    def articles(self) -> dict[str, StoredArticle]:
        """Every stored article by id, from the chunk metadata."""
        return _grouped(self.all("metadatas"))

    def articles_with(self, ids: list[str]) -> dict[str, StoredArticle]:
        """The articles the passages `ids` belong to, each with only those passages as its `chunk_ids`: what
        `articles` gives, for these passages alone, without reading the whole store."""
        return _grouped(self.metadata(ids).items())

    def all(self, include: str) -> Iterable[tuple[str, Any]]:
        """Every passage id with its `include` field ("documents" or "metadatas"), page by page."""
        offset = 0
        while True:
            with self.errors("reading the store"):
                page = self.vectorstore.get(include=[include], limit=_PAGE, offset=offset)
            ids = page["ids"]
            values = page[include]  # type: ignore[literal-required]
            yield from zip(ids, values or [None] * len(ids), strict=True)
            if len(ids) < _PAGE:
                return
            offset += _PAGE

    # -- writes --------------------------------------------------------------------------------------------

    def begin_write(self) -> None:
        """Mark the collection as changing, so an interrupted write is noticed by the next reader."""
        self._stamp(f"writing-{uuid.uuid4().hex}")

    def add(self, docs: list[Document], vectors: list[list[float]] | None = None) -> None:
        """Upsert passages (embedded here unless `vectors` are given)."""
        if not docs:
            return
        ids = [str(d.id) for d in docs]
        with self.errors("writing to the store"):
            if vectors is None:
                self.vectorstore.add_documents(docs, ids=ids)
                return
            # Vectors computed elsewhere (a copied store): Chroma's own handle, since its API always embeds.
            self.collection.upsert(
                ids=ids,
                documents=[d.page_content for d in docs],
                metadatas=[d.metadata for d in docs],
                embeddings=vectors,  # type: ignore[arg-type]
            )

    def delete(self, ids: Iterable[str]) -> None:
        """Remove passages by id."""
        ids = list(ids)
        for start in range(0, len(ids), _PAGE):
            with self.errors("writing to the store"):
                self.vectorstore.delete(ids=ids[start : start + _PAGE])

    def end_write(self) -> None:
        """Stamp a new generation and rebuild the BM25 and article indexes for it."""
        generation = hashlib.sha256(uuid.uuid4().bytes).hexdigest()[:16]
        self._stamp(generation)
        self._bm25 = self._rebuild_bm25(generation)
        ArticleIndex.open(self, generation)  # built and saved now, so that the first question does not wait for it

    # -- reads ---------------------------------------------------------------------------------------------

    @property
    def bm25(self) -> Bm25Index:
        """The BM25 index matching the collection now (see `snapshot`)."""
        return self.snapshot()

    def snapshot(self) -> Bm25Index:
        """The BM25 index matching the collection now, loaded or rebuilt when it fell behind.

        Costs one read of the generation stamp. One answer takes one snapshot and hands it to retrieval and to
        sentence scoring, so an ingest landing midway cannot give them different indexes.
        """
        generation = self.generation
        if self._bm25 is not None and self._bm25.generation == generation:
            return self._bm25
        index = Bm25Index.load(self.index_dir)
        if index is None or index.generation != generation:
            # An interrupted ingest leaves a "writing-..." generation: rebuilding once for it is still right,
            # because the collection, not the index, holds the truth.
            logger.info("BM25 index behind the collection; rebuilding")
            index = self._rebuild_bm25(generation)
        self._bm25 = index
        return index

    def _rebuild_bm25(self, generation: str) -> Bm25Index:
        pairs = list(self.all("documents"))
        index = Bm25Index.build([p[0] for p in pairs], [p[1] or "" for p in pairs], generation)
        try:
            index.save(self.index_dir)
        except OSError as exc:  # a read-only store still answers; it just rebuilds next time
            logger.warning("could not save the BM25 index to %s: %s", self.index_dir, exc)
        return index

    def get(self, ids: list[str]) -> list[Document]:
        """Passages by id, in the order asked (unknown ids are skipped)."""
        if not ids:
            return []
        with self.errors("reading the store"):
            found = self.vectorstore.get(ids=ids, include=["documents", "metadatas"])
        by_id = {
            i: Document(page_content=text or "", metadata=dict(meta or {}), id=i)
            for i, text, meta in zip(found["ids"], found["documents"] or [], found["metadatas"] or [], strict=False)
        }
        return [by_id[i] for i in ids if i in by_id]

    def passage_before(self, passage: Document) -> Document | None:
        """The passage before `passage` in its article (by its "chunk" number), or None for the first one or one
        this store does not hold."""
        article, chunk = passage.metadata.get("article_id"), passage.metadata.get("chunk")
        if article is None or not isinstance(chunk, int) or chunk < 1:
            return None
        where: Any = {"$and": [{"article_id": str(article)}, {"chunk": chunk - 1}]}
        with self.errors("reading the store"):
            found = self.vectorstore.get(where=where, include=["documents", "metadatas"], limit=1)
        if not found["ids"]:
            return None
        meta = (found["metadatas"] or [{}])[0]
        return Document(
            page_content=(found["documents"] or [""])[0] or "", metadata=dict(meta or {}), id=found["ids"][0]
        )

    def passages_of(self, article_id: str, limit: int) -> list[Document]:
        """The first `limit` passages of one article, in its order (none for an article this store lacks)."""
        where: Any = {"$and": [{"article_id": str(article_id)}, {"chunk": {"$lt": limit}}]}
        with self.errors("reading the store"):
            found = self.vectorstore.get(where=where, include=["documents", "metadatas"])
        docs = [
            Document(page_content=text or "", metadata=dict(meta or {}), id=i)
            for i, text, meta in zip(found["ids"], found["documents"] or [], found["metadatas"] or [], strict=False)
        ]
        return sorted(docs, key=lambda d: int(d.metadata.get("chunk", 0)))

    def metadata(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The metadata of passages by id (unknown ids are skipped): `get` without reading their text."""
        if not ids:
            return {}
        with self.errors("reading the store"):
            found = self.vectorstore.get(ids=ids, include=["metadatas"])
        return {i: dict(meta or {}) for i, meta in zip(found["ids"], found["metadatas"] or [], strict=False)}

    def similarities(self, vector: list[float], ids: list[str]) -> dict[str, float]:
        """The cosine similarity of `vector` to each stored passage of `ids` (unknown ids are skipped)."""
        if not ids:
            return {}
        with self.errors("reading the store"):
            found = self.vectorstore.get(ids=ids, include=["embeddings"])
        query = np.asarray(vector, dtype=np.float32)
        embeddings = found["embeddings"] if found["embeddings"] is not None else []
        out = {}
        for i, embedding in zip(found["ids"], embeddings, strict=False):
            stored = np.asarray(embedding, dtype=np.float32)
            out[i] = float(stored @ query / max(float(np.linalg.norm(stored) * np.linalg.norm(query)), 1e-9))
        return out

    def dense_search(self, vector: list[float], k: int) -> list[tuple[Document, float]]:
        """The `k` nearest passages to `vector` with their cosine similarity, best first."""
        n = self.count()
        if n == 0:
            return []
        with self.errors("searching the store"):
            found = self.vectorstore.similarity_search_by_vector_with_relevance_scores(vector, k=min(k, n))
        return [(doc, 1.0 - distance) for doc, distance in found]
