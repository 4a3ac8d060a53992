"""newsbot benchmarks, side by side with a plain LangChain baseline in the same run.

Measures ingest throughput against the raw embedding model on the same texts, the int8 embedder, warm answer
latency through the piped REPL and peak memory at three scales (the seeds, SQuAD dev, a 100k-passage corpus
built from SQuAD text), cold `newsbot ask`, and answer quality. Writes docs/benchmarks.md and docs/benchmarks.png.

Usage: python benchmarks/run.py [--squad PATH] [--questions N] [--big N]
These machines are shared and noisy: compare the ratios measured within one run, not absolute times across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from langchain_core.documents import Document  # noqa: E402

from bot.answer import Answer  # noqa: E402
from bot.evaluation import contains, evaluate, squad_items  # noqa: E402
from bot.factory import build_answerer  # noqa: E402
from retrieval.embeddings import MiniLMEmbeddings  # noqa: E402
from retrieval.ingest import ingest  # noqa: E402
from retrieval.store import NewsStore, persistent_client  # noqa: E402
from retrieval.text import sentences  # noqa: E402

NEWSBOT = str(Path(sys.executable).parent / "newsbot")
DEFAULT_SQUAD = ROOT.parent / "shared" / "data" / "squad-v1.1-dev" / "dev-v1.1.json"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    """The `q` quantile (0 < q < 1) of `values`, as `statistics.quantiles` computes it."""
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def open_store(path: Path, embeddings: MiniLMEmbeddings) -> NewsStore:
    return NewsStore(persistent_client(path), embeddings, path / "bm25", create=True)


def token_count(texts: list[str]) -> int:
    from tokenizers import Tokenizer

    from retrieval.embeddings import MAX_TOKENS, packaged_model_dir

    tokenizer = Tokenizer.from_file(str(packaged_model_dir() / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    return sum(len(e.ids) for e in tokenizer.encode_batch(texts))


def raw_throughput(embeddings: MiniLMEmbeddings, texts: list[str]) -> float:
    """Passages per second of the bare model (batched by length, as ingest does)."""
    embeddings.embed_array(texts[:64])  # warm the session
    started = time.perf_counter()
    embeddings.embed_array(texts)
    return len(texts) / (time.perf_counter() - started)


def bench_ingest(records_path: Path, work: Path) -> dict:
    log("ingest: newsbot vs the raw model on the same passages")
    fp32 = MiniLMEmbeddings("fp32")
    store = open_store(work / "squad", fp32)
    started = time.perf_counter()
    report = ingest([records_path], store)
    seconds = time.perf_counter() - started
    texts = [t for _, t in store.all("documents")]
    tokens = token_count(texts)
    raw = raw_throughput(MiniLMEmbeddings("fp32"), texts)
    int8 = raw_throughput(MiniLMEmbeddings("int8"), texts)
    return {
        "passages": report.added,
        "tokens": tokens,
        "seconds": seconds,
        "chunks_per_s": report.added / seconds,
        "tokens_per_s": tokens / seconds,
        "raw_chunks_per_s": raw,
        "ratio": (report.added / seconds) / raw,
        "int8_chunks_per_s": int8,
        "int8_speedup": int8 / raw,
    }


def bench_quality(conversations: list, store_path: Path, records_path: Path, work: Path) -> dict:
    log(f"quality: {len(conversations)} SQuAD questions, newsbot fp32 and int8, and the baseline")
    store = NewsStore(persistent_client(store_path), MiniLMEmbeddings("fp32"), store_path / "bm25")
    ours = evaluate(build_answerer(store), conversations)
    cross = evaluate(build_answerer(store, selector="crossencoder"), conversations)
    int8_store = open_store(work / "squad-int8", MiniLMEmbeddings("int8"))
    ingest([records_path], int8_store)
    int8 = evaluate(build_answerer(int8_store), conversations)
    return {"ours": ours.to_dict(), "int8": int8.to_dict(), "crossencoder": cross.to_dict()}


def bench_baseline(records: list[dict], conversations: list, work: Path) -> dict:
    log("baseline: Chroma.from_documents + sentence-transformers, similarity_search(k=4)")
    from benchmarks.baseline import Baseline

    started = time.perf_counter()
    baseline = Baseline(str(work / "baseline"), records)
    ingest_s = time.perf_counter() - started
    hits1 = hits4 = contained = 0
    latencies, lengths = [], []
    for conversation in conversations:
        item = conversation[0]
        started = time.perf_counter()
        text, docs = baseline.answer(item.question)
        latencies.append((time.perf_counter() - started) * 1000)
        ids = [d.metadata["id"] for d in docs]
        hits1 += ids[:1] == [item.gold_passage]
        hits4 += item.gold_passage in ids
        contained += contains(item, Answer(question=item.question, answer=text, generator="baseline"))
        lengths.append(len(text.split()))
    n = len(conversations)
    return {
        "ingest_seconds": ingest_s,
        "chunks_per_s": len(records) / ingest_s,
        "hit1": hits1 / n,
        "hit4": hits4 / n,
        "containment": contained / n,
        "mean_words": statistics.fmean(lengths),
        "latency_ms_p50": percentile(latencies, 0.5),
        "latency_ms_p95": percentile(latencies, 0.95),
    }


def build_big(source: Path, target: Path, size: int, seed: int = 0) -> int:
    """A `size`-passage store from SQuAD text: the real passages plus recombined ones.

    Recombined passages join the first half of one passage to the second half of another; their vectors are
    the normalised mean of the two source vectors rather than a fresh embedding (embedding 100k passages takes
    over an hour on two cores). This corpus measures speed and memory at scale, not quality.
    """
    log(f"building a {size}-passage corpus from SQuAD text")
    src = NewsStore(persistent_client(source), MiniLMEmbeddings("fp32"), source / "bm25")
    got = src.collection.get(include=["documents", "metadatas", "embeddings"])
    texts, metas, vectors = got["documents"], got["metadatas"], np.asarray(got["embeddings"], dtype=np.float32)
    store = open_store(target, MiniLMEmbeddings("fp32"))
    rng = random.Random(seed)
    store.begin_write()
    docs = [Document(page_content=t, metadata=m, id=i) for i, t, m in zip(got["ids"], texts, metas, strict=True)]
    store.add(docs, vectors.tolist())
    batch_docs, batch_vecs = [], []
    for n in range(size - len(docs)):
        a, b = rng.randrange(len(texts)), rng.randrange(len(texts))
        sa, sb = sentences(texts[a]), sentences(texts[b])
        text = " ".join([s.text for s in sa[: max(1, len(sa) // 2)]] + [s.text for s in sb[len(sb) // 2 :]])
        vector = vectors[a] + vectors[b]
        batch_docs.append(
            Document(
                page_content=text,
                id=f"syn-{n}",
                metadata={
                    "article_id": f"syn-{n // 4}",
                    "title": f"Recombined {n // 4}",
                    "chunk": n % 4,
                    "start": 0,
                    "end": len(text),
                    "fingerprint": "synthetic",
                    "source_path": "synthetic",
                },
            )
        )
        batch_vecs.append((vector / np.linalg.norm(vector)).tolist())
        if len(batch_docs) == 5000:
            store.add(batch_docs, batch_vecs)
            batch_docs, batch_vecs = [], []
    store.add(batch_docs, batch_vecs)
    store.end_write()
    return store.count()


def bench_repl(store: Path, questions: list[str], warmup: int = 5, selector: str = "rules") -> dict:
    """Warm latency per question through `newsbot repl --json` on a pipe, and the process's peak RSS."""
    process = subprocess.Popen(
        [NEWSBOT, "repl", "--json", "--store", str(store)],
        env={**os.environ, "NEWSBOT_SELECTOR": selector},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    assert process.stdin and process.stdout
    latencies = []
    for index, question in enumerate(questions):
        started = time.perf_counter()
        process.stdin.write(question.replace("\n", " ") + "\n")
        process.stdin.flush()
        json.loads(process.stdout.readline())
        if index >= warmup:
            latencies.append((time.perf_counter() - started) * 1000)
    status = Path(f"/proc/{process.pid}/status").read_text()
    peak_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
    process.stdin.close()
    process.wait(30)
    return {
        "p50_ms": percentile(latencies, 0.5),
        "p95_ms": percentile(latencies, 0.95),
        "n": len(latencies),
        "peak_rss_mb": peak_kb / 1024,
    }


def cold(command: list[str], runs: int, selector: str = "rules") -> float:
    """Median wall time of a whole process, start to answer."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, env={**os.environ, "NEWSBOT_SELECTOR": selector})
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--squad", type=Path, default=DEFAULT_SQUAD)
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="newsbot-bench-"))
    results: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "cores": os.cpu_count()}
    try:
        conversations, records = squad_items(args.squad)
        conversations = random.Random(0).sample(conversations, args.questions)
        questions = [c[0].question for c in conversations]
        records_path = work / "paragraphs.jsonl"
        records_path.write_text("".join(json.dumps(r) + "\n" for r in records))
        results["ingest"] = bench_ingest(records_path, work)
        results["quality"] = bench_quality(conversations, work / "squad", records_path, work)
        results["baseline"] = bench_baseline(records, conversations, work)
        results["paragraphs"] = len(records)
        results["crossencoder_mb"] = (ROOT / "bot" / "models" / "crossencoder-int8.onnx").stat().st_size / 1e6
        seeds = work / "seeds"
        seed_store = open_store(seeds, MiniLMEmbeddings("fp32"))
        ingest([ROOT / "seeds"], seed_store)
        results["seed_passages"] = seed_store.count()
        results["big_passages"] = build_big(work / "squad", work / "big", args.big)
        log("warm latency through the piped REPL at three scales")
        seed_questions = [
            json.loads(line)["turns"][0]["q"]
            for line in (ROOT.parent / "shared" / "eval" / "seed_dev.jsonl").read_text().splitlines()
        ]
        results["repl"] = {
            "seeds": bench_repl(seeds, (seed_questions * 20)[:205]),
            "squad": bench_repl(work / "squad", questions[:205]),
            "squad_crossencoder": bench_repl(work / "squad", questions[:205], selector="crossencoder"),
            "big": bench_repl(work / "big", questions[:205]),
        }
        log("cold start: newsbot ask vs the baseline script")
        question = questions[0]
        results["cold"] = {
            "newsbot_ask_s": cold([NEWSBOT, "ask", "--store", str(work / "squad"), question], 5),
            "crossencoder_ask_s": cold(
                [NEWSBOT, "ask", "--store", str(work / "squad"), question], 5, selector="crossencoder"
            ),
            "baseline_s": cold(
                [sys.executable, str(ROOT / "benchmarks" / "baseline.py"), str(work / "baseline"), question], 3
            ),
        }
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "benchmarks.json").write_text(json.dumps(results, indent=1))
    from benchmarks.report import write_report

    write_report(results, ROOT / "docs")
    log("wrote docs/benchmarks.md, docs/benchmarks.png, docs/benchmarks.json")


if __name__ == "__main__":
    main()
