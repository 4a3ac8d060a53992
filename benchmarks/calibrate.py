"""Re-fit the extractive answerer's abstention rule (`support` in bot/extractive.py) from SQuAD v1.1 train.

Usage: python benchmarks/calibrate.py [--train PATH] [--articles N] [--questions N] [--seed S] [--work DIR]

1. Takes `--articles` Wikipedia articles of SQuAD train, evenly spaced through the file, and indexes their
   paragraphs (one newsbot article each, as `newsbot eval` does) into two real stores: the articles at even
   positions in one, those at odd positions in the other.
2. Asks each question against the store holding its article (right article: it should answer) and against the
   other store (wrong article: it should decline), through the code that answers: one BM25 snapshot,
   `HybridRetriever.search`, `ExtractiveGenerator.rank`, `missing_names`, `unknown_names`; and checks that
   `support()` is the sum of those terms, so a changed rule stops this script instead of being mis-fitted.
3. Fits on half of the articles (positions 0, 1, 4, 5, ...: both stores hold some) and checks on the other half.
   A logistic regression of "right article" on (best sentence coverage, best passage cosine, missing names),
   scaled so that coverage weighs 1, gives the weights; the threshold declines 70% of the fitting half's
   wrong-article questions, scored by the whole rule.
4. Prints the constants to paste into bot/extractive.py, and for the code's rule, the code's weights with a
   re-set threshold, and the re-fitted rule: wrong-article questions declined, right-article questions
   answered, and the AUC of `support` (the chance that a right-article question outscores a wrong-article one)
   on both halves.

The unknown-name weight stays a judgement call: SQuAD's writers copied names from the paragraph, so a
right-article question almost never has a name its store lacks, and a wrong-article one that has such a name
always has a missing name too. The script prints what a fit would give it, for the record.

Stores are kept under `--work` (default: the user cache), so a second run only asks the questions. Nothing here
reads the development sets.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from langchain_core.documents import Document

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bot import extractive  # noqa: E402
from bot.evaluation import Item, squad_records  # noqa: E402
from bot.extractive import ExtractiveGenerator, missing_names, support, unknown_names  # noqa: E402
from bot.question import clean_question  # noqa: E402
from retrieval.embeddings import MiniLMEmbeddings, default_cache_dir  # noqa: E402
from retrieval.ingest import ingest  # noqa: E402
from retrieval.retriever import HybridRetriever  # noqa: E402
from retrieval.store import NewsStore, persistent_client  # noqa: E402

DEFAULT_TRAIN = ROOT.parent / "shared" / "data" / "squad-v1.1-train" / "train-v1.1.json"
DEFAULT_ARTICLES = 48  # as many as SQuAD dev has: about 2,000 paragraphs, 2,600 passages
DEFAULT_QUESTIONS = 1000  # per half: the rates to within about 1.5 points
DECLINE_WRONG = 0.70  # the share of wrong-article questions the threshold declines: a judgement call
MISSING_CAP = 2  # the caps `support` puts on its name counts (`_check_support` notices if they change)
UNKNOWN_CAP = 1

Article = tuple[list[dict[str, str]], list[Item]]  # a SQuAD article: its paragraph records and its questions


@dataclass(frozen=True)
class Trial:
    """One question asked against one store: the terms of `support`, and whether the store holds its article."""

    half: str
    right: bool
    coverage: float
    dense: float
    missing: int
    unknown: int


@dataclass(frozen=True)
class Rule:
    """The constants of `support` and the threshold below which the answerer declines."""

    dense_weight: float
    missing_name: float
    unknown_name: float
    abstain_below: float

    def score(self, trials: list[Trial]) -> np.ndarray:
        """`support` of each trial under this rule."""
        x = np.array([[t.coverage, t.dense, t.missing, t.unknown] for t in trials], dtype=float).reshape(-1, 4)
        return x @ np.array([1.0, self.dense_weight, -self.missing_name, -self.unknown_name])


def current_rule() -> Rule:
    """The rule bot/extractive.py applies now."""
    return Rule(
        extractive.SUPPORT_DENSE_WEIGHT,
        extractive.SUPPORT_MISSING_NAME,
        extractive.SUPPORT_UNKNOWN_NAME,
        extractive.ABSTAIN_BELOW,
    )


def log(message: str) -> None:
    """Progress on stderr, so that stdout holds only the result."""
    print(f"[calibrate {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_articles(path: Path, count: int) -> list[Article]:
    """`count` SQuAD articles evenly spaced through the file: (paragraph records, questions) of each."""
    grouped: dict[str, Article] = {}
    for record, items in squad_records(path):
        records, questions = grouped.setdefault(record["title"], ([], []))
        records.append(record)
        questions.extend(items)
    articles = list(grouped.values())
    count = min(count, len(articles))
    return [articles[i * len(articles) // count] for i in range(count)]


def open_store(directory: Path, records: list[dict[str, str]], embeddings: MiniLMEmbeddings) -> NewsStore:
    """A real store at `directory` holding exactly `records` (indexing only what is not there yet)."""
    directory.mkdir(parents=True, exist_ok=True)
    source = directory / "paragraphs.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records))
    store = NewsStore(persistent_client(directory), embeddings, directory / "bm25", create=True)
    report = ingest([source], store, prune=True)
    if report.errors:
        raise SystemExit(f"could not index {source}: {report.errors[0]}")
    if report.added:
        log(f"indexed {report.added} passages into {directory} in {report.seconds:.0f} s")
    return store


def ask(question: str, retriever: HybridRetriever, generator: ExtractiveGenerator) -> tuple[float, float, int, int]:
    """The terms of `support` for `question` against the retriever's store: coverage, cosine, name counts."""
    question = clean_question(question)
    lexicon = retriever.store.snapshot()  # one BM25 snapshot for retrieval and scoring, as `Answerer.draft` takes
    passages = retriever.search(question, index=lexicon)
    ranked = generator.rank(question, passages, "", lexicon)
    coverage = ranked[0].coverage if ranked else 0.0
    dense = max((float(p.metadata.get("dense", 0.0)) for p in passages), default=0.0)
    missing = min(missing_names(question, passages), MISSING_CAP)
    unknown = min(unknown_names(question, lexicon.__contains__), UNKNOWN_CAP)
    _check_support(question, passages, lexicon.__contains__, (coverage, dense, missing, unknown))
    return coverage, dense, missing, unknown


def _check_support(
    question: str, passages: list[Document], known: Callable[[str], bool], terms: tuple[float, float, int, int]
) -> None:
    """Stop when `support()` is no longer the sum of the terms this script fits: its rule changed."""
    expected = float(current_rule().score([Trial("", True, *terms)])[0])
    actual = support(question, terms[0], passages, known)
    if not math.isclose(actual, expected, abs_tol=1e-9):
        raise SystemExit(f"support() gives {actual:.4f}, its terms {terms} {expected:.4f}: update calibrate.py")


def logistic_fit(x: np.ndarray, y: np.ndarray, steps: int = 100) -> np.ndarray:
    """Maximum-likelihood logistic regression coefficients (intercept first), by Newton's method.

    Written out because scikit-learn is no dependency of the project; with a few features and a few thousand
    rows Newton's method converges in a handful of steps. A tiny ridge keeps it finite if the classes separate.
    """
    design = np.column_stack([np.ones(len(x)), x])
    beta = np.zeros(design.shape[1])
    ridge = 1e-6 * np.eye(len(beta))
    for _ in range(steps):
        p = 1 / (1 + np.exp(-design @ beta))
        hessian = (design * (p * (1 - p))[:, None]).T @ design + ridge
        update = np.linalg.solve(hessian, design.T @ (y - p) - ridge @ beta)
        beta += update
        if np.abs(update).max() < 1e-10:
            break
    return beta


def with_threshold(rule: Rule, trials: list[Trial]) -> Rule:
    """`rule` with the threshold that declines `DECLINE_WRONG` of the wrong-article questions in `trials`."""
    wrong = rule.score([t for t in trials if not t.right])
    return replace(rule, abstain_below=round(float(np.quantile(wrong, DECLINE_WRONG)), 2))


def fit(trials: list[Trial]) -> Rule:
    """Weights from a logistic regression (coverage's scaled to 1), the threshold from `with_threshold`."""
    x = np.array([[t.coverage, t.dense, t.missing] for t in trials])
    y = np.array([t.right for t in trials], dtype=float)
    _, w_coverage, w_dense, w_missing = logistic_fit(x, y)
    weights = replace(
        current_rule(), dense_weight=round(w_dense / w_coverage, 2), missing_name=round(-w_missing / w_coverage, 2)
    )
    return with_threshold(weights, trials)


def unknown_weight(trials: list[Trial]) -> float:
    """What the unknown-name term would weigh if it were fitted with the others (for the record only)."""
    x = np.array([[t.coverage, t.dense, t.missing, t.unknown] for t in trials])
    beta = logistic_fit(x, np.array([t.right for t in trials], dtype=float))
    return float(-beta[4] / beta[1])


def rates(rule: Rule, trials: list[Trial]) -> tuple[float, float, float, float]:
    """Wrong-article questions declined (all; those naming nothing the store lacks), right answered, AUC."""
    scores = rule.score(trials)
    right = np.array([t.right for t in trials])
    known = np.array([not t.unknown for t in trials])
    declined = float(np.mean(scores[~right] < rule.abstain_below))
    declined_known = float(np.mean(scores[~right & known] < rule.abstain_below))
    answered = float(np.mean(scores[right] >= rule.abstain_below))
    positive, negative = scores[right], scores[~right]
    auc = float(np.mean((positive[:, None] > negative) + 0.5 * (positive[:, None] == negative)))
    return declined, declined_known, answered, auc


def report(rules: dict[str, Rule], trials: list[Trial]) -> list[str]:
    """The check figures of each rule on both halves."""
    lines = [f"{'rule':<36} {'half':<6} {'wrong declined':>14} {'(names known)':>13} {'right answered':>14} {'AUC':>6}"]
    for name, rule in rules.items():
        for half in ("fit", "check"):
            declined, declined_known, answered, auc = rates(rule, [t for t in trials if t.half == half])
            lines.append(
                f"{name:<36} {half:<6} {declined:>14.3f} {declined_known:>13.3f} {answered:>14.3f} {auc:>6.3f}"
            )
    return lines


def constants(rule: Rule, articles: int, questions: int) -> list[str]:
    """The block to paste into bot/extractive.py."""
    return [
        f"# benchmarks/calibrate.py, SQuAD v1.1 train ({articles} articles, {questions} questions per half):",
        f"ABSTAIN_BELOW = {rule.abstain_below:.2f}",
        f"SUPPORT_DENSE_WEIGHT = {rule.dense_weight:.2f}",
        f"SUPPORT_MISSING_NAME = {rule.missing_name:.2f}",
        f"SUPPORT_UNKNOWN_NAME = {rule.unknown_name:.2f}  # not fitted: a judgement call",
    ]


def collect(articles: list[Article], retrievers: list[HybridRetriever], questions: int, seed: int) -> list[Trial]:
    """Up to `questions` questions per half, each asked against its own store and the other one."""
    generator = ExtractiveGenerator()  # `rank` needs no embedder: the MiniLM tie-break comes after `support`
    rng = random.Random(seed)
    trials: list[Trial] = []
    for half in ("fit", "check"):
        # Positions 0, 1 fit, 2, 3 check, 4, 5 fit, ...: each half has articles in both stores.
        pool = [(i, q) for i, (_, items) in enumerate(articles) if (i // 2 % 2 == 0) == (half == "fit") for q in items]
        drawn = rng.sample(pool, min(questions, len(pool)))
        log(f"{half}: asking {len(drawn)} questions against the right and the wrong store")
        for position, item in drawn:
            for parity, retriever in enumerate(retrievers):
                trials.append(Trial(half, parity == position % 2, *ask(item.question, retriever, generator)))
    return trials


def main() -> None:
    """Build the two stores, ask the sampled questions against both, fit, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN, help="SQuAD v1.1 train JSON")
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES, help="Wikipedia articles to index")
    parser.add_argument("--questions", type=int, default=DEFAULT_QUESTIONS, help="questions per half")
    parser.add_argument("--seed", type=int, default=0, help="which questions are drawn")
    parser.add_argument("--work", type=Path, default=None, help="where the stores are kept between runs")
    args = parser.parse_args()

    articles = load_articles(args.train, args.articles)
    digest = hashlib.sha256(args.train.read_bytes()).hexdigest()[:12]
    work = args.work or default_cache_dir() / "calibrate" / f"squad-{digest}-{len(articles)}"
    embeddings = MiniLMEmbeddings()
    stores = [
        open_store(work / parity, [r for records, _ in articles[start::2] for r in records], embeddings)
        for start, parity in ((0, "even"), (1, "odd"))
    ]
    trials = collect(articles, [HybridRetriever(store=store) for store in stores], args.questions, args.seed)
    fitting = [t for t in trials if t.half == "fit"]
    refit = fit(fitting)
    current = current_rule()
    rethresholded = with_threshold(current, fitting)

    print("\n".join(constants(refit, len(articles), len(fitting) // 2)))
    print()
    print(
        f"{len(fitting) // 2} fitting and {(len(trials) - len(fitting)) // 2} check questions, each asked against "
        "the right and the wrong store. '(names known)': the wrong-article questions whose names the store mentions."
    )
    print(
        "\n".join(
            report(
                {
                    f"code now (below {current.abstain_below:.2f})": current,
                    f"code's weights, below {rethresholded.abstain_below:.2f}": rethresholded,
                    f"re-fitted (below {refit.abstain_below:.2f})": refit,
                },
                trials,
            )
        )
    )
    print(f"Fitted with the others, the unknown-name term would weigh {unknown_weight(fitting):.2f} (not used).")


if __name__ == "__main__":
    main()
