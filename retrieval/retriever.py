"""Hybrid retrieval: BM25 and dense MiniLM, fused, with wire copy collapsed.

Fusion is a convex combination of the two normalised scores (BM25 / its best score, cosine min-max scaled over
the candidates) by default; reciprocal rank fusion is kept as `fusion="rrf"`. On 2,000 SQuAD dev questions
(docs/evaluation.md) score fusion with BM25 weight 0.6 gave hit@1 0.807 / hit@5 0.957 against RRF's
0.749 / 0.935 and BM25 alone's 0.781 / 0.933: RRF throws away how far ahead the best BM25 match is.

Two more kinds of evidence are added to that fused passage score, for news archives where a question often
shares few words with the passage that answers it ("What did the officials say?"):

- the article's own score (BM25 over the whole story from `retrieval.articles`, fused with the cosine of its
  closest passage), at half weight, so that a story matching across its passages lifts each of them;
- word order: the share of the question's adjacent content-word pairs ("champions league", "league qualifying")
  that a passage has side by side, a cheap form of the sequential dependence model (Metzler and Croft, 2005),
  computed for the few best passages only.

Measured with benchmarks/newsqa_retrieval.py (story hit@1 / hit@5 of `search`, passages alone -> with word pairs ->
with articles too): NewsQA half A, its 457 stories alone in a store, 492 questions: 0.579 / 0.772 -> 0.616 / 0.778
-> 0.620 / 0.787; SQuAD v1.1 dev paragraphs, 1,000 questions (seed 0): 0.811 / 0.961 -> 0.836 / 0.962 ->
0.843 / 0.963. Search CPU time p50 15.5 -> 17.4 ms (NewsQA store, 2,245 passages). The whole-story centroid of
passage vectors, the lead passage alone, and the sum of passage scores per article measured no better than this
on NewsQA, and a centroid costs a vector per article.
"""

from __future__ import annotations

import threading
from itertools import pairwise
from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from retrieval.articles import ArticleIndex
from retrieval.bm25 import Bm25Index
from retrieval.store import NewsStore
from retrieval.text import iter_shingles, terms

BM25_SHARE = 0.6  # convex fusion: 0.6 x BM25 + 0.4 x dense, both scaled to [0, 1]
RRF_K = 60
FETCH_K = 100
TOP_K = 5
DUPLICATE_OVERLAP = 0.6  # share of the shorter passage's 5-grams found in the other: the same wire copy
ARTICLE_SHARE = 0.5  # weight of the article's fused score (in [0, 1]) added to each of its passages
PHRASE_SHARE = 0.5  # weight of the share of the question's adjacent word pairs found side by side in a passage


def source_of(metadata: dict[str, Any]) -> dict[str, Any]:
    """The article a passage comes from, as shown in citations."""
    return {k: metadata.get(k) for k in ("article_id", "title", "date", "url")}


class HybridRetriever(BaseRetriever):
    """A LangChain retriever over a `NewsStore`.

    Each returned `Document` carries, besides the chunk metadata: `score` (fused), `bm25` and `dense`
    (the raw scores, 0 when that ranker did not return it), `article` (its article's fused score), `phrase`
    (the share of the question's word pairs it has side by side) and `also_in` (other articles carrying the same
    passage). `article_share=0` and `phrase_share=0` give the passage-only ranking.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: NewsStore
    k: int = TOP_K
    fetch_k: int = FETCH_K
    fusion: Literal["convex", "rrf"] = "convex"
    bm25_share: float = BM25_SHARE
    rrf_k: int = RRF_K
    article_share: float = ARTICLE_SHARE
    phrase_share: float = PHRASE_SHARE

    _articles: ArticleIndex | None = PrivateAttr(default=None)
    _articles_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

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
        vector = self.store.embeddings.embed_query(query)
        dense = self.store.dense_search(vector, self.fetch_k)
        fused = self._fuse(index.search(query, self.fetch_k), dense)
        if self.article_share and fused:
            self._add_article_evidence(fused, query, index)
        ranked = sorted(fused.items(), key=lambda item: item[1]["score"], reverse=True)[: k * 3]
        missing = [cid for cid, e in ranked if e["doc"] is None]
        for doc in self.store.get(missing):
            fused[str(doc.id)]["doc"] = doc
        ranked = [(cid, e) for cid, e in ranked if e["doc"] is not None]
        if self.phrase_share:
            self._add_phrase_evidence(ranked, query)
            ranked.sort(key=lambda item: item[1]["score"], reverse=True)
        out: list[Document] = []
        shingles: list[set[tuple[str, ...]]] = []
        for chunk_id, found in ranked:
            doc = Document(page_content=found["doc"].page_content, metadata=dict(found["doc"].metadata), id=chunk_id)
            doc.metadata.update({key: found[key] for key in ("score", "bm25", "dense", "article", "phrase")})
            doc.metadata["also_in"] = []
            if self._merge_duplicate(doc, out, shingles):
                continue
            out.append(doc)
            if len(out) == k:
                break
        # A passage found by BM25 alone was not among the `fetch_k` nearest: its similarity is measured, not taken
        # as 0 ("Who is Roger Knapman?" is near passages about other Rogers, and its answer would be declined).
        near = {str(doc.id) for doc, _ in dense}
        measured = self.store.similarities(vector, [str(doc.id) for doc in out if str(doc.id) not in near])
        for doc in out:
            doc.metadata["dense"] = measured.get(str(doc.id), doc.metadata["dense"])
        return out

    def _fuse(self, lexical: list[tuple[str, float]], dense: list[tuple[Document, float]]) -> dict[str, dict[str, Any]]:
        """Candidate passages by id with their raw and fused scores (`doc` is None until fetched)."""
        fused: dict[str, dict[str, Any]] = {}

        def entry(chunk_id: str) -> dict[str, Any]:
            empty = {"doc": None, "bm25": 0.0, "dense": 0.0, "scaled": 0.0, "article": 0.0, "phrase": 0.0, "score": 0.0}
            return fused.setdefault(chunk_id, empty)

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
            e.update(doc=doc, dense=similarity, scaled=(similarity - low) / max(high - low, 1e-6))
            convex = (1 - self.bm25_share) * e["scaled"]
            e["score"] += convex if self.fusion == "convex" else 1 / (self.rrf_k + rank + 1)
        return fused

    def _add_article_evidence(self, fused: dict[str, dict[str, Any]], query: str, index: Bm25Index) -> None:
        """Add each candidate's article score, weighted by `article_share`.

        The article score fuses like a passage's: BM25 over the whole story (scaled by the best story's) and the
        scaled cosine of the story's closest passage. An article of one passage thus scores as that passage does.
        """
        articles = self.article_index(index)
        story = articles.scores(query, self.fetch_k)
        article_of = {chunk_id: articles.article_of.get(chunk_id, chunk_id) for chunk_id in fused}
        closest: dict[str, float] = {}
        for chunk_id, e in fused.items():
            closest[article_of[chunk_id]] = max(closest.get(article_of[chunk_id], 0.0), e["scaled"])
        for chunk_id, e in fused.items():
            article = article_of[chunk_id]
            e["article"] = self.bm25_share * story.get(article, 0.0) + (1 - self.bm25_share) * closest[article]
            e["score"] += self.article_share * e["article"]

    def _add_phrase_evidence(self, ranked: list[tuple[str, dict[str, Any]]], query: str) -> None:
        """Add, weighted by `phrase_share`, the share of the question's adjacent word pairs each passage has."""
        # Pairs of content words: stop words are already dropped, so "leader of the party" gives one pair.
        asked = set(pairwise(terms(query)))
        if not asked:
            return
        for _, e in ranked:
            e["phrase"] = len(asked & set(pairwise(terms(e["doc"].page_content)))) / len(asked)
            e["score"] += self.phrase_share * e["phrase"]

    def article_index(self, index: Bm25Index) -> ArticleIndex:
        """The article index for the store generation `index` was built from (loaded or built once per process)."""
        with self._articles_lock:
            if self._articles is None or self._articles.generation != index.generation:
                self._articles = ArticleIndex.open(self.store, index.generation)
            return self._articles

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
