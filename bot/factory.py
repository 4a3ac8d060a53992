"""Builds the real parts from configuration: the one place that knows which store and models to use.

Everything else takes its parts as arguments (`Answerer(retriever, generator, llm)`), so tests pass small real
ones and nothing reaches into another object for what it needs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import AnswerSelector, LLMContext, Settings
from bot.core import Answerer
from bot.errors import ConfigError
from bot.extractive import ExtractiveGenerator
from retrieval.embeddings import MiniLMEmbeddings
from retrieval.errors import StoreError
from retrieval.retriever import HybridRetriever
from retrieval.store import NewsStore, http_client, persistent_client

if TYPE_CHECKING:
    from bot.crossencoder import CrossEncoder
    from bot.llm import LLMGenerator


def make_embeddings(settings: Settings) -> MiniLMEmbeddings:
    """The MiniLM embedder in the configured precision and device."""
    return MiniLMEmbeddings(precision=settings.embedder, device=settings.device, cache_dir=settings.cache_dir)


def open_store(settings: Settings, *, create: bool = False) -> NewsStore:
    """The store at `settings.store`, or on the Chroma server at `settings.chroma_url`."""
    embeddings = make_embeddings(settings)
    if settings.chroma_url:
        client = http_client(settings.chroma_url)
        # Each replica keeps its own BM25 copy, rebuilt whenever the shared collection's generation moves.
        key = hashlib.sha256(settings.chroma_url.encode()).hexdigest()[:12]
        index_dir = settings.cache_dir / "bm25" / key
        return NewsStore(client, embeddings, index_dir, create=create, location=settings.chroma_url)
    store_dir = Path(settings.store).expanduser()
    if not create and not (store_dir / "chroma").exists():
        raise StoreError(f"no store at {store_dir}: run `newsbot ingest` first")
    client = persistent_client(store_dir, write=create)
    return NewsStore(client, embeddings, store_dir / "bm25", create=create, location=str(store_dir))


def make_llm(settings: Settings) -> LLMGenerator | None:
    """The configured LLM generator, or None for the default extractive answers; a local model loads now."""
    if not settings.llm:
        return None
    from bot.llm import LLMGenerator, make_chat_model

    model = make_chat_model(
        settings.llm,
        base_url=settings.llm_base_url,
        timeout_s=settings.llm_timeout_s,
        max_tokens=settings.llm_max_tokens,
        temperature=settings.llm_temperature,
    )
    return LLMGenerator(model, settings.llm, timeout_s=settings.llm_timeout_s)


def build_answerer(
    store: NewsStore,
    llm: LLMGenerator | None = None,
    *,
    as_of: dt.date | None = None,
    selector: AnswerSelector = "rules",
    llm_context: LLMContext = "passages",
) -> Answerer:
    """The answering core over `store`: hybrid retrieval, the extractive generator, and `llm` if given.

    `as_of` is the day relative dates in questions ("last week") resolve against; today when None. `selector`
    "crossencoder" has the shipped cross-encoder (`bot/crossencoder.py`) re-score the best sentences, decline and
    correct a wrong day or number; "reader" adds the sentence a span reader built by `scripts/train_reader.py`
    points at to the rules' answer (not shipped: it gained on SQuAD, not on news);
    "learned" has the LightGBM selector (`bot/selector.py`) pick and decline; the default "rules" is the
    calibrated scorer, which measured better than all three on the whole (docs/evaluation.md), with the shipped
    cross-encoder checking its answers to follow-ups (`ExtractiveGenerator._unsure`).
    `llm_context` is what an LLM reads: whole passages, or the best sentences (`Answerer`).
    """
    embeddings = store.embeddings
    learned = None
    if selector == "learned":
        from bot.selector import load_selector

        learned = load_selector()
        if learned is None:
            raise ConfigError("NEWSBOT_SELECTOR=learned: the selector model is not installed (bot/models/)")
    cross = None
    if selector == "crossencoder":
        from bot.crossencoder import load_crossencoder

        cross = load_crossencoder()
        if cross is None:
            raise ConfigError("NEWSBOT_SELECTOR=crossencoder: the cross-encoder is not installed (bot/models/)")
    span_reader = None
    if selector == "reader":
        from bot.reader import load_reader

        span_reader = load_reader()
        if span_reader is None:
            raise ConfigError(
                "NEWSBOT_SELECTOR=reader: the span reader is not installed (bot/models/); "
                "`python scripts/train_reader.py` builds it (about 80 minutes on 2 cores)"
            )
    checker: Callable[[], CrossEncoder | None] | None = None
    if selector == "rules":  # the cross-encoder, loaded at the first follow-up, checks a follow-up's answer
        from bot.crossencoder import load_crossencoder

        checker = load_crossencoder
    generator = ExtractiveGenerator(
        embed=embeddings.embed_array,
        embed_query=embeddings.embed_query,
        selector=learned,
        crossencoder=cross,
        reader=span_reader,
        passage_before=store.passage_before,
        checker=checker,
    )
    return Answerer(HybridRetriever(store=store), generator, llm, as_of=as_of, llm_context=llm_context)


def open_answering(settings: Settings) -> tuple[NewsStore, Answerer]:
    """The configured store, which must hold articles, and the answering core over it."""
    store = open_store(settings)
    if store.count() == 0:
        raise StoreError("the store holds no articles yet: run `newsbot ingest` first")
    return store, build_answerer(
        store, make_llm(settings), as_of=settings.as_of, selector=settings.selector, llm_context=settings.llm_context
    )


def make_answerer(settings: Settings) -> Answerer:
    """The answering core over the configured store (and generator, when an LLM is configured)."""
    return open_answering(settings)[1]
