"""Follow-up latency: the first question of a conversation against its follow-ups, with and without one step of
the default rules answerer (no LLM, whatever the environment says):
- `--step held` (the default): the step that scores a follow-up held to its story on its own words and their
  meaning (`ExtractiveGenerator._on_own_words`, which embeds up to 2 x `HELD_TOP` sentences with MiniLM; session 38
  in docs/evaluation.md);
- `--step check`: the cross-encoder's check of a follow-up's answer (`ExtractiveGenerator._unsure`; session 41).

Both settings answer the same conversations in one process, alternating conversation by conversation, so the
two are measured side by side on the same machine at the same time. Prints p50 / p95 per setting and turn kind,
and the ratio of follow-up p50s.

Usage: python benchmarks/followups.py [--store DIR] [--conversations FILE] [--rounds N] [--step held|check]
  --store: an ingested store (default: the seeds, ingested now into a temporary store)
  --conversations: one question per line, `---` between conversations (default: benchmarks/data/followups.txt,
    about the seed articles)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answer import Turn  # noqa: E402
from bot.cli import _settings  # noqa: E402
from bot.extractive import HELD_TOP, ExtractiveGenerator  # noqa: E402
from bot.factory import make_answerer  # noqa: E402


def conversations(path: Path) -> list[list[str]]:
    """The conversations of `path`: one question per line, `---` between them."""
    out: list[list[str]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() == "---":
            out.append([])
        elif line.strip():
            out[-1].append(line.strip())
    return [c for c in out if c]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, help="an ingested store (default: the seeds, ingested now)")
    parser.add_argument("--conversations", type=Path, default=ROOT / "benchmarks" / "data" / "followups.txt")
    parser.add_argument("--rounds", type=int, default=5, help="times each conversation is asked in each setting")
    parser.add_argument("--step", choices=("held", "check"), default="held", help="the step timed with and without")
    args = parser.parse_args()
    store = args.store
    if store is None:
        store = Path(tempfile.mkdtemp(prefix="newsbot-followups-")) / "store"
        newsbot = str(Path(sys.executable).parent / "newsbot")
        subprocess.run([newsbot, "ingest", str(ROOT / "seeds"), "--store", str(store)], check=True, capture_output=True)
    settings = _settings(store=store, selector="rules", llm="")  # the default answerer, whatever the environment
    answerer = make_answerer(settings)
    generator = answerer.generator
    if not isinstance(generator, ExtractiveGenerator):
        raise SystemExit("the answerer has no extractive generator")
    checker = generator.checker
    if args.step == "check" and (checker is None or checker() is None):
        raise SystemExit("the cross-encoder is not installed (bot/models/): there is no check to time")
    times: dict[tuple[str, str], list[float]] = {}
    asked = conversations(args.conversations)
    for question in asked[0]:  # load the models and the indexes before timing
        answerer.answer(question)
    for round_ in range(args.rounds + 1):
        for number, conversation in enumerate(asked):
            order = ("on", "off") if (round_ + number) % 2 else ("off", "on")  # neither always goes first
            for setting in order:
                if args.step == "held":
                    generator.held_top = HELD_TOP if setting == "on" else 0
                else:
                    generator.checker = checker if setting == "on" else None
                generator._meanings_kept.clear()  # each conversation starts with nothing embedded
                history: list[Turn] = []
                for question in conversation:
                    start = time.perf_counter()
                    answer = answerer.answer(question, history)
                    elapsed = (time.perf_counter() - start) * 1000
                    if round_:  # the first round warms both settings up
                        times.setdefault((setting, "follow-up" if history else "first"), []).append(elapsed)
                    history.append(Turn(question, answer))
    for (setting, kind), values in sorted(times.items()):
        print(
            f"{setting:>3} {kind:>9}: n={len(values):4d} p50 {percentile(values, 0.5):6.1f} ms, "
            f"p95 {percentile(values, 0.95):6.1f} ms"
        )
    if ("on", "follow-up") not in times:
        raise SystemExit("no follow-ups were timed (--rounds 0, or conversations of one question)")
    on, off = times[("on", "follow-up")], times[("off", "follow-up")]
    step = "held-story step" if args.step == "held" else "cross-encoder's check"
    print(f"follow-up p50 with / without the {step}: {percentile(on, 0.5) / percentile(off, 0.5):.2f}x")


if __name__ == "__main__":
    main()
