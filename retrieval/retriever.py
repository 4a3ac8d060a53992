"""Hybrid retrieval: BM25 and dense MiniLM, fused, with wire copy collapsed.

Fusion is a convex combination of the two normalised scores (BM25 / its best score, cosine min-max scaled over
the candidates) by default; reciprocal rank fusion is kept as `fusion="rrf"`. On 2,000 SQuAD dev questions
(docs/evaluation.md) score fusion with BM25 weight 0.6 gave hit@1 0.807 / hit@5 0.957 against RRF's
0.749 / 0.935 and BM25 alone's 0.781 / 0.933: RRF throws away how far ahead the best BM25 match is.
"""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from retrieval.bm25 import Bm25Index
from retrieval.store import NewsStore
from retrieval.text import iter_shingles

BM25_SHARE = 0.6  # convex fusion: 0.6 x BM25 + 0.4 x dense, both scaled to [0, 1]
RRF_K = 60
FETCH_K = 100
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
    fusion: Literal["convex", "rrf"] = "convex"
    bm25_share: float = BM25_SHARE
    rrf_k: int = RRF_K

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return self.search(query)

    def search(self, query: str, k: int | None = None, *, index: Bm25Index | None = None) -> list[Document]:
        """Fused, de-duplicated passages for `query`, best first.

        Args:
            query: the search text.
            k: how many passages (default `self.k`).
            index: the BM25 snapshot to search (`NewsStore.snapshot()`); the caller passes the one its answer
                uses everywhere else. Taken from the store when None.
        """
        k = k or self.k
        index = index if index is not None else self.store.snapshot()
        fused: dict[str, dict[str, Any]] = {}

        def entry(chunk_id: str) -> dict[str, Any]:
            return fused.setdefault(chunk_id, {"doc": None, "bm25": 0.0, "dense": 0.0, "score": 0.0})

        lexical = index.search(query, self.fetch_k)
        dense = self.store.dense_search(self.store.embeddings.embed_query(query), self.fetch_k)
        best_bm25 = lexical[0][1] if lexical else 1.0
        high = dense[0][1] if dense else 1.0
        low = dense[-1][1] if dense else 0.0
        for rank, (chunk_id, score) in enumerate(lexical):
            e = entry(chunk_id)
            e["bm25"] = score
            e["score"] += (
                self.bm25_share * score / best_bm25 if self.fusion == "convex" else 1 / (self.rrf_k + rank + 1)
            )
        for rank, (doc, similarity) in enumerate(dense):
            e = entry(str(doc.id))
            e.update(doc=doc, dense=similarity)
            e["score"] += (
                (1 - self.bm25_share) * (similarity - low) / max(high - low, 1e-6)
                if self.fusion == "convex"
                else 1 / (self.rrf_k + rank + 1)
            )
        ranked = sorted(fused.items(), key=lambda item: item[1]["score"], reverse=True)
        missing = [cid for cid, e in ranked[: k * 3] if e["doc"] is None]
        for doc in self.store.get(missing):
            fused[str(doc.id)]["doc"] = doc
        out: list[Document] = []
        shingles: list[set[tuple[str, ...]]] = []
        for chunk_id, found in ranked[: k * 3]:
            if found["doc"] is None:
                continue
            doc = Document(page_content=found["doc"].page_content, metadata=dict(found["doc"].metadata), id=chunk_id)
            doc.metadata.update(score=found["score"], bm25=found["bm25"], dense=found["dense"], also_in=[])
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
