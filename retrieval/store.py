"""The article store: a Chroma collection (through `langchain_chroma.Chroma`) plus a BM25 index kept in step.

Keeping BM25 in step: every write to the collection first stamps the collection with a fresh `generation`
(collection metadata), and the BM25 index records the generation it was built from. Whoever opens the store
compares the two and rebuilds BM25 from the collection when they differ: after an interrupted ingest, or when
another replica wrote to a shared Chroma server. The collection is the single source of truth.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings
from chromadb.errors import NotFoundError
from langchain_chroma import Chroma
from langchain_core.documents import Document

from retrieval.bm25 import Bm25Index
from retrieval.embeddings import MiniLMEmbeddings
from retrieval.errors import StoreError

logger = logging.getLogger(__name__)

COLLECTION = "newsbot-articles"
SCHEMA = 1
_PAGE = 5000


def persistent_client(path: Path) -> ClientAPI:
    """A Chroma client on disk at `path` (created when missing)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path / "chroma"), settings=Settings(anonymized_telemetry=False))
    except Exception as exc:
        raise StoreError(f"cannot open the store at {path}: {exc}") from exc


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


class NewsStore:
    """Passages in Chroma plus their BM25 index.

    Args:
        client: any chromadb client (persistent, HTTP, in-memory).
        embeddings: the embedding model; a store refuses a model other than the one that built it.
        index_dir: where the BM25 index is kept (next to a persistent store; a local cache in server mode).
        create: create the collection when missing (ingest); otherwise a missing one is a `StoreError`.
    """

    def __init__(
        self,
        client: ClientAPI,
        embeddings: MiniLMEmbeddings,
        index_dir: Path,
        *,
        create: bool = False,
        collection_name: str = COLLECTION,
    ) -> None:
        self.client = client
        self.embeddings = embeddings
        self.index_dir = index_dir
        self.collection_name = collection_name
        try:
            # langchain_chroma.Chroma owns the collection: every read and write below goes through it.
            self.vectorstore = Chroma(
                client=client,
                collection_name=collection_name,
                embedding_function=embeddings,
                collection_metadata={"embedding_model": embeddings.model_id, "schema": SCHEMA, "generation": "empty"},
                collection_configuration={"hnsw": {"space": "cosine"}},
                create_collection_if_not_exists=create,
            )
        except NotFoundError as exc:
            raise StoreError("no articles are indexed yet: run `newsbot ingest` first") from exc
        except Exception as exc:
            raise StoreError(f"cannot open the article collection: {exc}") from exc
        built_with = (self.collection.metadata or {}).get("embedding_model")
        if built_with and built_with != embeddings.model_id:
            raise StoreError(
                f"this store was built with {built_with}, not {embeddings.model_id}; "
                "use the same embedder, or ingest into a new store (--store DIR)"
            )
        self._bm25: Bm25Index | None = None

    # -- state ---------------------------------------------------------------------------------------------

    @property
    def collection(self) -> Collection:
        """The Chroma collection, as `langchain_chroma.Chroma` holds it."""
        return self.vectorstore._collection

    @property
    def generation(self) -> str:
        """Changes on every write; the BM25 index is current when it was built from this generation.

        Read afresh from the server or disk each time (a collection handle caches its metadata).
        """
        fresh = self.client.get_collection(self.collection_name, embedding_function=None)
        return str((fresh.metadata or {}).get("generation", ""))

    def _stamp(self, generation: str) -> None:
        metadata = dict(self.client.get_collection(self.collection_name, embedding_function=None).metadata or {})
        metadata["generation"] = generation
        self.collection.modify(metadata=metadata)

    def count(self) -> int:
        """Number of passages."""
        return self.collection.count()

    def articles(self) -> dict[str, StoredArticle]:
        """Every stored article by id, from the chunk metadata."""
        groups: dict[str, dict[str, Any]] = {}
        for chunk_id, meta in self.all("metadatas"):
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

    def all(self, include: str) -> Iterable[tuple[str, Any]]:
        """Every passage id with its `include` field ("documents" or "metadatas"), page by page."""
        offset = 0
        while True:
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
            self.vectorstore.delete(ids=ids[start : start + _PAGE])

    def end_write(self) -> None:
        """Stamp a new generation and rebuild the BM25 index for it."""
        generation = hashlib.sha256(uuid.uuid4().bytes).hexdigest()[:16]
        self._stamp(generation)
        self._bm25 = self._rebuild_bm25(generation)

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
        found = self.vectorstore.get(ids=ids, include=["documents", "metadatas"])
        by_id = {
            i: Document(page_content=text or "", metadata=dict(meta or {}), id=i)
            for i, text, meta in zip(found["ids"], found["documents"] or [], found["metadatas"] or [], strict=False)
        }
        return [by_id[i] for i in ids if i in by_id]

    def dense_search(self, vector: list[float], k: int) -> list[tuple[Document, float]]:
        """The `k` nearest passages to `vector` with their cosine similarity, best first."""
        n = self.count()
        if n == 0:
            return []
        found = self.vectorstore.similarity_search_by_vector_with_relevance_scores(vector, k=min(k, n))
        return [(doc, 1.0 - distance) for doc, distance in found]
