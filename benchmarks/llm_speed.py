"""LLM answer speed and quality with real local models, and what a shorter context does to both.

For each model (Qwen2.5-Coder-Instruct 0.5B and 1.5B, 4-bit, in-process through llama-cpp-python) and each way of
building the context (the bot's 5 passages; the top 3; only the extractive ranking's best sentences), it asks
the seed dev set through the real answering core and reports, per answer the LLM wrote: prompt tokens, time to
first token, total time, generated tokens per second; and the dev set's pass rate (the scoring rule of `newsbot
eval`), answer latency p50/p95 and how often the model's answer was shown rather than the quoted fallback.

Usage: python benchmarks/llm_speed.py [--models 0.5b,1.5b] [--contexts full,top3,sentences] [--limit N]
Writes docs/llm_speed.md and docs/llm_speed.json. Models come from ../shared/models/get-test-gguf (pip only).
These machines are shared and noisy: compare within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from langchain_core.documents import Document  # noqa: E402

from bot.answer import Answer  # noqa: E402
from bot.claims import Embed  # noqa: E402
from bot.core import Answerer  # noqa: E402
from bot.evaluation import evaluate, load_devset  # noqa: E402
from bot.factory import build_answerer  # noqa: E402
from bot.llm import LLMGenerator, format_sources, make_chat_model  # noqa: E402
from prompts import load  # noqa: E402
from retrieval.embeddings import MiniLMEmbeddings  # noqa: E402
from retrieval.ingest import ingest  # noqa: E402
from retrieval.store import NewsStore, persistent_client  # noqa: E402

GET_TEST_GGUF = ROOT.parent / "shared" / "models" / "get-test-gguf"
DEV_SET = ROOT / "tests" / "data" / "seed_dev.jsonl"
TIMEOUT_S = 900.0  # measure the model, not the fallback: a loaded machine is slow

Shorten = Callable[[Answerer, str, list[Document]], list[Document]]


def log(message: str) -> None:
    print(f"[llm-speed {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def full(answerer: Answerer, question: str, passages: list[Document]) -> list[Document]:
    """The bot's own context: every retrieved passage."""
    return passages


def top3(answerer: Answerer, question: str, passages: list[Document]) -> list[Document]:
    """Fewer passages: the three best."""
    return passages[:3]


def best_sentences(answerer: Answerer, question: str, passages: list[Document]) -> list[Document]:
    """Only the extractive ranking's best sentences, grouped by passage (the bot's default, `NEWSBOT_LLM_CONTEXT`)."""
    return answerer.generator.best_sentences(question, passages, lexicon=answerer.retriever.store.snapshot())


CONTEXTS: dict[str, Shorten] = {"full": full, "top3": top3, "sentences": best_sentences}


@dataclass
class Call:
    """One answer the model wrote."""

    prompt_tokens: int
    first_token_s: float | None
    total_s: float
    tokens: int


@dataclass
class Row:
    """One model with one context, over the dev set."""

    model: str
    context: str
    calls: list[Call] = field(default_factory=list)
    pass_rate: float | None = None
    latency_ms_p50: float | None = None
    latency_ms_p95: float | None = None
    llm_shown: int = 0  # answers where the model's own text passed the claim check


class MeasuredLLM(LLMGenerator):
    """The real LLM generator, fed a shortened context and timed token by token."""

    def __init__(self, model: object, name: str, shorten: Shorten, answerer_ref: list[Answerer]) -> None:
        super().__init__(model, name, timeout_s=TIMEOUT_S)  # type: ignore[arg-type]
        self.shorten = shorten
        self.answerer_ref = answerer_ref
        self.calls: list[Call] = []
        self.shown = 0

    def verify(self, question: str, text: str, passages: list[Document], embed: Embed | None = None) -> Answer:
        """The real check; counts the answers that pass it."""
        answer = super().verify(question, text, passages, embed)
        self.shown += not answer.abstained
        return answer

    async def astream_text(self, question: str, passages: list[Document]) -> AsyncIterator[str]:
        """The model's answer as it is written, from the shortened context; the call is recorded."""
        passages = self.shorten(self.answerer_ref[0], question, passages)
        text = f"{load('system')}\n{load('answer').format(sources=format_sources(passages), question=question)}"
        prompt_tokens = len(self.model._model().tokenize(text.encode("utf-8")))  # type: ignore[attr-defined]
        started = time.perf_counter()
        first: float | None = None
        tokens = 0
        async for token in super().astream_text(question, passages):
            first = first if first is not None else time.perf_counter() - started
            tokens += 1  # llama.cpp streams one token per chunk
            yield token
        self.calls.append(Call(prompt_tokens, first, time.perf_counter() - started, tokens))


def model_path(size: str) -> Path:
    done = subprocess.run(["bash", str(GET_TEST_GGUF), size], capture_output=True, text=True, check=True)
    return Path(done.stdout.strip().splitlines()[-1])


def seed_store(work: Path) -> NewsStore:
    store = NewsStore(persistent_client(work), MiniLMEmbeddings(), work / "bm25", create=True)
    ingest([ROOT / "seeds"], store)
    return store


def measure(store: NewsStore, size: str, context: str, limit: int | None) -> Row:
    chat = make_chat_model(f"llamacpp:{model_path(size)}", temperature=0.0, timeout_s=TIMEOUT_S)
    ref: list[Answerer] = []
    llm = MeasuredLLM(chat, f"llamacpp:qwen-{size}", CONTEXTS[context], ref)
    answerer = build_answerer(store, llm, llm_context="passages")  # each context is cut here, not by the bot
    ref.append(answerer)
    conversations = load_devset(DEV_SET)[:limit]
    report = evaluate(answerer, conversations, progress=lambda n: log(f"{size} {context}: {len(llm.calls)} calls"))
    return Row(
        f"qwen2.5-coder-{size}",
        context,
        llm.calls,
        report.pass_rate,
        report.latency_ms_p50,
        report.latency_ms_p95,
        llm_shown=llm.shown,
    )


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| model | context | prompt tokens | time to first token | total | tokens/s | LLM answer shown | dev pass "
        "| answer p50 / p95 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        calls = r.calls
        if not calls:
            continue
        rates = [c.tokens / (c.total_s - c.first_token_s) for c in calls if c.first_token_s and c.tokens > 1]
        first = [c.first_token_s for c in calls if c.first_token_s is not None]
        lines.append(
            f"| {r.model} | {r.context} | {statistics.median(c.prompt_tokens for c in calls):.0f} "
            f"| {statistics.median(first):.1f} s | {statistics.median(c.total_s for c in calls):.1f} s "
            f"| {statistics.median(rates):.1f} | {r.llm_shown}/{len(calls)} | {r.pass_rate:.2f} "
            f"| {(r.latency_ms_p50 or 0) / 1000:.1f} / {(r.latency_ms_p95 or 0) / 1000:.1f} s |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="0.5b,1.5b")
    parser.add_argument("--contexts", default=",".join(CONTEXTS))
    parser.add_argument("--limit", type=int, default=None, help="only the first N conversations of the dev set")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "llm_speed")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        store = seed_store(Path(tmp))
        for size in args.models.split(","):
            for context in args.contexts.split(","):
                log(f"{size} with context {context}")
                rows.append(measure(store, size, context, args.limit))
                args.out.with_suffix(".json").write_text(json.dumps([asdict(r) for r in rows], indent=1))
    lines = [
        "# LLM answers: speed and quality (medians per answer; seed dev set)",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} shared cores with `python benchmarks/llm_speed.py`"
        f" (median per answer the model wrote; 'dev pass' is `newsbot eval`'s rule).",
        "",
        *table(rows),
    ]
    args.out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
