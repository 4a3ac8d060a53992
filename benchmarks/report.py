"""Turns the benchmark results into docs/benchmarks.md and docs/benchmarks.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _f(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def markdown(r: dict[str, Any]) -> str:
    ing, base, ours, int8 = r["ingest"], r["baseline"], r["quality"]["ours"], r["quality"]["int8"]
    cross = r["quality"]["crossencoder"]
    repl, cold = r["repl"], r["cold"]
    n = ours["questions"]
    lines = [
        "# Benchmarks",
        "",
        f"Measured {r['date']} on {r['cores']} cores by `make bench` (`benchmarks/run.py`); every row of a table",
        "comes from the same run. The machines are shared and noisy: read the ratios, not the absolute times.",
        "",
        "## Quality and speed against a plain LangChain stack",
        "",
        f"SQuAD v1.1 dev, {n} questions drawn at random (seed 0), 2,067 paragraphs indexed. The baseline is",
        "`Chroma.from_documents` with sentence-transformers embeddings, `similarity_search(k=4)`, and the",
        "sentence of the top passage most similar to the question as the answer.",
        "",
        f"The cross-encoder column is newsbot with `NEWSBOT_SELECTOR=crossencoder` (the shipped model,"
        f" {r['crossencoder_mb']:.1f} MB).",
        "",
        "| | newsbot | newsbot, int8 embedder | newsbot, cross-encoder | baseline |",
        "|---|---|---|---|---|",
        f"| paragraph hit@1 | {_f(ours['hit_at']['1'])} | {_f(int8['hit_at']['1'])} | {_f(cross['hit_at']['1'])} "
        f"| {_f(base['hit1'])} |",
        f"| paragraph hit@5 (baseline: @4) | {_f(ours['hit_at']['5'])} | {_f(int8['hit_at']['5'])} | "
        f"{_f(cross['hit_at']['5'])} | {_f(base['hit4'])} |",
        f"| answer contains the gold span (SQuAD-normalised text) | {_f(ours['containment'])} | "
        f"{_f(int8['containment'])} | {_f(cross['containment'])} | {_f(base['containment'])} |",
        f"| mean answer length (words) | {_f(ours['mean_answer_words'], 1)} | {_f(int8['mean_answer_words'], 1)} | "
        f"{_f(cross['mean_answer_words'], 1)} | {_f(base['mean_words'], 1)} |",
        f"| answered (not abstained) | {_f(ours['answered_when_answerable'])} | "
        f"{_f(int8['answered_when_answerable'])} | {_f(cross['answered_when_answerable'])} | 1.000 (never abstains) |",
        f"| in-process answer latency p50 / p95 (ms) | {_f(ours['latency_ms_p50'], 1)} / "
        f"{_f(ours['latency_ms_p95'], 1)} | {_f(int8['latency_ms_p50'], 1)} / {_f(int8['latency_ms_p95'], 1)} | "
        f"{_f(cross['latency_ms_p50'], 1)} / {_f(cross['latency_ms_p95'], 1)} | "
        f"{_f(base['latency_ms_p50'], 1)} / {_f(base['latency_ms_p95'], 1)} |",
        f"| ingest, SQuAD paragraphs/s (whole pipeline) | {_f(r['paragraphs'] / ing['seconds'], 1)} | - | - | "
        f"{_f(r['paragraphs'] / base['ingest_seconds'], 1)} |",
        f"| cold `ask`, process start to answer (s) | {_f(cold['newsbot_ask_s'], 2)} | - | "
        f"{_f(cold['crossencoder_ask_s'], 2)} | {_f(cold['baseline_s'], 2)} |",
        "",
        "## Ingest against the raw model",
        "",
        f"{ing['passages']} SQuAD passages ({ing['tokens']:,} tokens). The raw model embeds the same passage texts",
        "with the same ONNX session settings, batched by length; it is the floor of the cost.",
        "",
        "| | passages/s | tokens/s | ratio |",
        "|---|---|---|---|",
        f"| `newsbot ingest` (load, clean, chunk, embed, store, BM25) | {_f(ing['chunks_per_s'], 1)} | "
        f"{ing['tokens_per_s']:,.0f} | {_f(ing['ratio'], 2)}x raw |",
        f"| raw MiniLM fp32 (onnxruntime) | {_f(ing['raw_chunks_per_s'], 1)} | - | 1.00 |",
        f"| raw MiniLM int8 (dynamic quantization) | {_f(ing['int8_chunks_per_s'], 1)} | - | "
        f"{_f(ing['int8_speedup'], 2)}x raw fp32 |",
        "",
        "## Warm latency and memory through the piped REPL",
        "",
        "`newsbot repl --json` on a pipe, time from writing a question to reading its JSON line, after 5 warm-up",
        f"questions. The large corpus has {r['big_passages']:,} passages: the SQuAD passages plus recombined",
        "halves of them (vectors averaged, not re-embedded: it measures speed and memory, not quality).",
        "",
        "| corpus | passages | p50 (ms) | p95 (ms) | peak RSS (MB) |",
        "|---|---|---|---|---|",
        f"| seeds | {r['seed_passages']} | {_f(repl['seeds']['p50_ms'], 1)} | {_f(repl['seeds']['p95_ms'], 1)} | "
        f"{_f(repl['seeds']['peak_rss_mb'], 0)} |",
        f"| SQuAD dev | {ing['passages']:,} | {_f(repl['squad']['p50_ms'], 1)} | {_f(repl['squad']['p95_ms'], 1)} | "
        f"{_f(repl['squad']['peak_rss_mb'], 0)} |",
        f"| SQuAD dev, cross-encoder | {ing['passages']:,} | {_f(repl['squad_crossencoder']['p50_ms'], 1)} | "
        f"{_f(repl['squad_crossencoder']['p95_ms'], 1)} | {_f(repl['squad_crossencoder']['peak_rss_mb'], 0)} |",
        f"| SQuAD text, {r['big_passages'] // 1000}k | {r['big_passages']:,} | {_f(repl['big']['p50_ms'], 1)} | "
        f"{_f(repl['big']['p95_ms'], 1)} | {_f(repl['big']['peak_rss_mb'], 0)} |",
        "",
    ]
    return "\n".join(lines)


def chart(r: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ours, base, repl = r["quality"]["ours"], r["baseline"], r["repl"]
    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    labels = ["hit@1", "hit@5 (4)", "containment"]
    x = range(len(labels))
    axes[0].bar(
        [i - 0.2 for i in x], [ours["hit_at"]["1"], ours["hit_at"]["5"], ours["containment"]], 0.4, label="newsbot"
    )
    axes[0].bar([i + 0.2 for i in x], [base["hit1"], base["hit4"], base["containment"]], 0.4, label="baseline")
    axes[0].set_xticks(list(x), labels)
    axes[0].set_ylim(0, 1)
    axes[0].set_title("SQuAD dev quality")
    axes[0].legend()
    scales = ["seeds", "squad", "big"]
    axes[1].bar(scales, [repl[s]["p50_ms"] for s in scales], label="p50")
    axes[1].plot(scales, [repl[s]["p95_ms"] for s in scales], "ko-", label="p95")
    axes[1].set_title("warm answer latency, piped REPL (ms)")
    axes[1].legend()
    axes[2].bar(["newsbot ask", "baseline"], [r["cold"]["newsbot_ask_s"], r["cold"]["baseline_s"]], color=["C0", "C1"])
    axes[2].set_title("cold start to answer (s)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def write_report(results: dict[str, Any], docs: Path) -> None:
    (docs / "benchmarks.md").write_text(markdown(results))
    chart(results, docs / "benchmarks.png")


if __name__ == "__main__":
    import json
    import sys

    root = Path(__file__).resolve().parent.parent / "docs"
    write_report(json.loads((root / "benchmarks.json").read_text()), root)
    sys.exit(0)
