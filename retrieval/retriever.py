"""Hybrid retrieval: BM25 and dense MiniLM, fused by weighted reciprocal rank fusion, wire copy collapsed."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from retrieval.store import NewsStore
from retrieval.text import iter_shingles

# Weights and k measured on SQuAD dev (docs/evaluation.md): BM25 is the stronger ranker at the top, dense
# recovers paraphrases further down, so BM25 gets the larger weight.
RRF_K = 60
BM25_WEIGHT = 1.0
DENSE_WEIGHT = 0.7
FETCH_K = 40
TOP_K = 5
DUPLICATE_OVERLAP = 0.6  # share of the shorter passage's 5-grams found in the other: the same wire copy


def source_of(metadata: dict[str, Any]) -> dict[str, Any]:
    """The article a passage comes from, as shown in citations."""
    return {k: metadata.get(k) for k in ("article_id", "title", "date", "url")}


class HybridRetriever(BaseRetriever):
    """A LangChain retriever over a `NewsStore`.

    Each returned `Document` carries, besides the chunk metadata: `score` (fused), `bm25` and `dense`
    (the raw scores, 0 when that ranker did not return it) and `also_in` (other articles carrying the same
    passage).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: NewsStore
    k: int = TOP_K
    fetch_k: int = FETCH_K
    rrf_k: int = RRF_K
    bm25_weight: float = BM25_WEIGHT
    dense_weight: float = DENSE_WEIGHT

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return self.search(query)

    def search(self, query: str, k: int | None = None) -> list[Document]:
        """Fused, de-duplicated passages for `query`, best first."""
        k = k or self.k
        fused: dict[str, dict[str, Any]] = {}
        for rank, (chunk_id, score) in enumerate(self.store.bm25.search(query, self.fetch_k)):
            entry = fused.setdefault(chunk_id, {"doc": None, "bm25": 0.0, "dense": 0.0, "score": 0.0})
            entry["bm25"] = score
            entry["score"] += self.bm25_weight / (self.rrf_k + rank + 1)
        vector = self.store.embeddings.embed_query(query)
        for rank, (doc, similarity) in enumerate(self.store.dense_search(vector, self.fetch_k)):
            entry = fused.setdefault(str(doc.id), {"doc": None, "bm25": 0.0, "dense": 0.0, "score": 0.0})
            entry.update(doc=doc, dense=similarity)
            entry["score"] += self.dense_weight / (self.rrf_k + rank + 1)
        ranked = sorted(fused.items(), key=lambda item: item[1]["score"], reverse=True)
        missing = [cid for cid, e in ranked[: k * 3] if e["doc"] is None]
        for doc in self.store.get(missing):
            fused[str(doc.id)]["doc"] = doc
        out: list[Document] = []
        shingles: list[set[tuple[str, ...]]] = []
        for chunk_id, entry in ranked[: k * 3]:
            doc = entry["doc"]
            if doc is None:
                continue
            doc = Document(page_content=doc.page_content, metadata=dict(doc.metadata), id=chunk_id)
            doc.metadata.update(score=entry["score"], bm25=entry["bm25"], dense=entry["dense"], also_in=[])
            if self._merge_duplicate(doc, out, shingles):
                continue
            out.append(doc)
            if len(out) == k:
                break
        return out

    @staticmethod
    def _merge_duplicate(doc: Document, kept: list[Document], shingles: list[set[tuple[str, ...]]]) -> bool:
        """Collapse `doc` into an earlier passage with the same text from another article; True if it was."""
        mine = set(iter_shingles(doc.page_content))
        for other, theirs in zip(kept, shingles, strict=True):
            overlap = len(mine & theirs) / max(1, min(len(mine), len(theirs)))
            if overlap >= DUPLICATE_OVERLAP:
                same_article = other.metadata.get("article_id") == doc.metadata.get("article_id")
                carriers = [other.metadata.get("article_id")] + [a["article_id"] for a in other.metadata["also_in"]]
                if not same_article and doc.metadata.get("article_id") not in carriers:
                    other.metadata["also_in"].append(source_of(doc.metadata))
                return True
        shingles.append(mine)
        return False
