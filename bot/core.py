"""The one core every front end calls: `Answerer.answer(question, history) -> Answer`."""

from __future__ import annotations

import logging
import time
from typing import Protocol

from langchain_core.documents import Document

from bot.answer import Answer, Turn
from bot.extractive import ExtractiveGenerator
from bot.followup import carried_context
from retrieval.retriever import HybridRetriever

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000


class Generator(Protocol):
    """Writes an answer from retrieved passages (extractive, or an LLM)."""

    name: str

    def generate(self, question: str, passages: list[Document], carried: str = "") -> Answer:
        """Answer `question` from `passages`."""
        ...


class Answerer:
    """Retrieval plus a generator, with follow-ups resolved against the conversation.

    Args:
        retriever: the hybrid retriever over the store.
        generator: writes the answer; the extractive generator when None.
    """

    def __init__(self, retriever: HybridRetriever, generator: Generator | None = None) -> None:
        self.retriever = retriever
        store = retriever.store
        self.extractive = ExtractiveGenerator(
            idf=lambda t: store.bm25.idf(t), embed=store.embeddings.embed_array, known=lambda t: t in store.bm25
        )
        self.generator: Generator = generator or self.extractive

    def answer(self, question: str, history: list[Turn] | None = None) -> Answer:
        """Answer `question`, reading `history` (oldest first) to resolve follow-ups."""
        question = " ".join(question.split())[:MAX_QUESTION_CHARS]
        started = time.perf_counter()
        carried = carried_context(question, history or [])
        query = f"{question} {carried}".strip()
        passages = self.retriever.invoke(query)
        result = self.generator.generate(question, passages, carried)
        result.search_query = query if carried else None
        logger.debug("answered in %.1f ms (query %r)", (time.perf_counter() - started) * 1000, query)
        return result
