"""Story-level retrieval: does `HybridRetriever.search` put the right story first, or in the top 5?

Each question is searched by three variants, each first in turn, so that all see the same machine load: passages
alone (`article_share=0, phrase_share=0`: the retriever before this evidence), with the word-pair bonus, and with
article evidence too (the default). The question's embedding is computed once beforehand (it is cached and shared
by every variant), so the times are those of the search itself, for the passages an answer asks for. CPU time
(all threads of the process) is printed beside wall time: on a loaded machine it is the steadier of the two.

Usage (the store holds the NewsQA half's stories alone, built once):
    newsbot ingest ../shared/data/newsqa-half/newsqa-half-a-articles.jsonl --store /tmp/newsqa-store
    python benchmarks/newsqa_retrieval.py ../shared/data/newsqa-half/newsqa-half-a.json --store /tmp/newsqa-store
A SQuAD file works the same way (paragraphs are the articles; the store is the one `newsbot eval` builds for it):
    python benchmarks/newsqa_retrieval.py dev-v1.1.json --store STORE --sample 1000 --seed 0
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from langchain_core.documents import Document  # noqa: E402

from bot.evaluation import load_questions, sample  # noqa: E402
from retrieval.embeddings import MiniLMEmbeddings  # noqa: E402
from retrieval.retriever import HybridRetriever  # noqa: E402
from retrieval.store import NewsStore, persistent_client  # noqa: E402

DEPTH = 20  # passages searched to find the story's rank (as `newsbot eval` does for hit@k)


def questions(path: Path, size: int | None, seed: int) -> list[tuple[str, str]]:
    """(question, gold article id) for every answerable question of a NewsQA or SQuAD file (`newsbot eval`'s)."""
    conversations = sample(load_questions(path).conversations, None, size, seed)
    return [(item.question, item.gold_passage) for turns in conversations for item in turns if item.gold_passage]


def story_rank(docs: list[Document], story: str) -> int | None:
    """1-based rank of `story` among the distinct articles of `docs` (wire copies count for every carrier)."""
    seen: list[str] = []
    for doc in docs:
        for article in [doc.metadata.get("article_id"), *(a["article_id"] for a in doc.metadata["also_in"])]:
            if article not in seen:
                seen.append(str(article))
    return seen.index(story) + 1 if story in seen else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--sample", type=int, default=None, help="N questions at random (as `newsbot eval`)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    store = NewsStore(persistent_client(args.store), MiniLMEmbeddings(), args.store / "bm25")
    variants = {
        "passages": HybridRetriever(store=store, article_share=0.0, phrase_share=0.0),
        "+ word pairs": HybridRetriever(store=store, article_share=0.0),
        "+ articles": HybridRetriever(store=store),
    }
    items = questions(args.questions, args.sample, args.seed)
    for retriever in variants.values():  # warm up: model, indexes, caches
        retriever.search(items[0][0], k=DEPTH)
    ranks: dict[str, list[int | None]] = {name: [] for name in variants}
    times: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    for turn, (question, story) in enumerate(items):
        store.embeddings.embed_query(question)  # cached: every variant is timed without the (shared) embedding
        for name in names[turn % len(names) :] + names[: turn % len(names)]:  # each variant goes first in turn
            retriever = variants[name]
            started, started_cpu = time.perf_counter(), time.process_time()
            retriever.search(question)  # what an answer asks for: the top `k` passages
            times[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((time.process_time() - started_cpu) * 1000)
            ranks[name].append(story_rank(retriever.search(question, k=DEPTH), story))
    print(f"{len(items)} questions, {store.count()} passages")
    for name in variants:
        found = ranks[name]
        hits = {k: sum(1 for r in found if r is not None and r <= k) / len(found) for k in (1, 5)}
        ordered = sorted(times[name])
        print(
            f"{name:14s} story hit@1 {hits[1]:.3f}  hit@5 {hits[5]:.3f}  "
            f"search p50 {statistics.median(ordered):.1f} ms  p95 {ordered[int(len(ordered) * 0.95)]:.1f} ms  "
            f"CPU p50 {statistics.median(cpu[name]):.1f} ms"
        )


if __name__ == "__main__":
    main()
