"""The one core every front end calls: `Answerer.answer(question, history) -> Answer` (or `stream`)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.answer import Answer, Turn
from bot.extractive import ExtractiveGenerator
from bot.followup import carried_context, needs_context
from retrieval.errors import GeneratorError
from retrieval.retriever import HybridRetriever

if TYPE_CHECKING:  # importing LangChain's chat-model stack costs ~0.8 s; only LLM users pay it
    from bot.llm import LLMGenerator

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000


class Answerer:
    """Retrieval plus a generator, with follow-ups resolved against the conversation.

    The extractive generator always runs: it decides whether the passages support an answer at all (the
    calibrated abstention), and it is the answer whenever no LLM is configured or the LLM fails.

    Args:
        retriever: the hybrid retriever over the store.
        llm: an optional LLM generator that writes the answer instead.
    """

    def __init__(self, retriever: HybridRetriever, llm: LLMGenerator | None = None) -> None:
        self.retriever = retriever
        self.llm = llm
        store = retriever.store
        self.extractive = ExtractiveGenerator(
            lexicon=lambda: store.bm25,
            embed=store.embeddings.embed_array,
            embed_query=store.embeddings.embed_query,
        )

    @property
    def generator_name(self) -> str:
        """What answers report as their generator when all goes well."""
        return self.llm.name if self.llm else self.extractive.name

    def answer(self, question: str, history: list[Turn] | None = None) -> Answer:
        """Answer `question`, reading `history` (oldest first) to resolve follow-ups."""
        final: Answer | None = None
        for item in self.stream(question, history):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final

    def stream(self, question: str, history: list[Turn] | None = None) -> Iterator[str | Answer]:
        """Yield the LLM's text as it is written (nothing for extractive), then the final `Answer`.

        The final answer may differ from the streamed text: citations are verified, and when the model fails
        midway the extractive answer (with a `notice`) replaces it.
        """
        question = " ".join(question.split())[:MAX_QUESTION_CHARS]
        history = history or []
        carried = carried_context(question, history)
        query = f"{question} {carried}".strip()
        if self.llm and history and needs_context(question):
            try:
                query = self.llm.condense(question, history)
            except Exception as exc:  # the rule-based resolution still stands
                logger.warning("condensing the follow-up with the LLM failed: %s", exc)
        passages = self.retriever.invoke(query)
        extractive = self.extractive.generate(question, passages, carried)
        extractive.search_query = query if query != question else None
        if self.llm is None or extractive.abstained:
            yield extractive
            return
        try:
            parts = []
            for token in self.llm.stream_text(question, passages):
                parts.append(token)
                yield token
            result = self.llm.verify(question, "".join(parts), passages)
        except Exception as exc:
            logger.warning("LLM %s unavailable, answering extractively: %s", self.llm.name, exc)
            extractive.notice = (
                f"The language model ({self.llm.name}) was unavailable: {_reason(exc)}. "
                "This answer is quoted from the articles instead."
            )
            yield extractive
            return
        result.search_query = extractive.search_query
        yield result


def _reason(exc: Exception) -> str:
    """A short, safe description of why the model failed (no URLs with keys, no tracebacks)."""
    name = type(exc).__name__
    if "Timeout" in name or "timed out" in str(exc):
        return "it timed out"
    if isinstance(exc, GeneratorError):  # our own checks: the message is meant for users
        return str(exc)
    if "Connection" in name or "connect" in str(exc).lower():
        return "it could not be reached"
    return f"it failed ({name})"
