"""The learned answer selector: which candidate sentence answers the question, and whether any does.

Two small gradient-boosted models (LightGBM), trained by `scripts/train_selector.py` on SQuAD's training data
and shipped in `bot/models/`:

- the *answer* model scores each of the lexical scorer's best few sentences for "this sentence holds the
  answer", from cheap lexical features (IDF-weighted coverage of the question by the sentence and by its passage,
  bigram overlap, whether it holds what was asked for, whether it only restates the question, its position, the
  passage's retrieval scores, a number or name of the question the sentence does not repeat) and the frozen
  MiniLM similarity of question and sentence;
- the *abstain* model reads the whole candidate set (the answer model's best probabilities and the best
  sentence's features) for "the answer is not here", including the premise check: a number, date or name of
  the question that the passages never mention while the best sentence gives another.

Why LightGBM over frozen MiniLM rather than a fine-tuned cross-encoder: fine-tuning MiniLM runs at ~3.5
question-sentence pairs/s on the 2 cores we train on; boosting over frozen features learns from 100x more
examples in the same time, and on the query path only the few best sentences are embedded (no torch).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from langchain_core.documents import Document

from bot.extractive import Candidate, Lexicon, _has_type, expected_type, missing_names, unknown_names
from bot.understanding import names
from retrieval.text import sentences, terms, words

if TYPE_CHECKING:
    import lightgbm

MODEL_DIR = Path(__file__).parent / "models"
TOP_N = 12  # the lexical scorer's best sentences the model re-scores (each one is embedded)
MAX_ANSWER_WORDS = 70

_WH = ("what", "who", "when", "where", "why", "how", "which")
_TYPES = (None, "number", "date", "name")
_LEAD = re.compile(r"^\s*(?:[A-Z][A-Za-z .,']{1,40})?\(\s*[A-Z][A-Za-z ]{1,12}\)\s*(?:--|-|—)")
_NUMERIC = re.compile(r"\d")

CANDIDATE_FEATURES = (
    "lexical_rank",
    "lexical_score",
    "lexical_score_share",
    "coverage_with_context",
    "coverage",
    "context_coverage",
    "bigram_overlap",
    "has_type",
    "novel_share",
    "sentence_words",
    "sentence_index",
    "is_lead_sentence",
    "is_dateline_lead",
    "passage_rank",
    "passage_score_share",
    "passage_bm25_share",
    "passage_dense",
    "passage_coverage",
    "similarity",
    "similarity_gap",
    "similarity_rank",
    "question_numbers",
    "numbers_missing_in_sentence",
    "numbers_missing_in_passage",
    "question_names",
    "names_missing_in_sentence",
    "names_missing_in_passage",
    "new_numbers_in_sentence",
    "expected_type",
    "wh_word",
    "question_terms",
    "names_missing_everywhere",
    "names_unknown_to_corpus",
    "best_passage_dense",
    "support",
    "candidates",
    "lexical_margin",
)
ABSTAIN_FEATURES = (
    "p1",
    "p2",
    "p3",
    "p_margin",
    "p_top3_sum",
    "similarity_max",
    "numbers_missing_everywhere",
    *(f"best_{name}" for name in CANDIDATE_FEATURES),
)


@dataclass(frozen=True)
class Selection:
    """The selector's verdict: the re-scored candidates (score = probability it answers) and abstention."""

    ranked: list[Candidate]
    answerable: float
    abstain: bool
    chosen: list[Candidate]


@dataclass(frozen=True)
class _Question:
    """What the features need from the question, computed once per answer."""

    weights: dict[str, float]
    total: float
    bigrams: set[tuple[str, str]]
    kind: str | None
    question_words: set[str]
    numbers: list[set[str]]
    names: list[set[str]]


def _question(question: str, carried: str, lexicon: Lexicon) -> _Question:
    weights: dict[str, float] = {}
    for term in terms(carried):
        weights[term] = lexicon.idf(term) * 0.5
    q_terms = terms(question)
    for term in q_terms:
        weights[term] = lexicon.idf(term)
    ws = words(question)
    numbers = [set(terms(w)) for w in ws if _NUMERIC.search(w)]
    found = [set(terms(name)) for name in names(question)]
    return _Question(
        weights=weights,
        total=sum(weights.values()) or 1.0,
        bigrams=set(itertools.pairwise(q_terms)),
        kind=expected_type(question),
        question_words={w.lower() for w in words(f"{question} {carried}")},
        numbers=[n for n in numbers if n],
        names=[n for n in found if n],
    )


def _wh(question: str) -> int:
    lowered = [w.lower() for w in words(question)]
    for i, wh in enumerate(_WH):
        if wh in lowered:
            return i + 1
    return 0


def _missing(groups: list[set[str]], present: set[str]) -> int:
    return sum(1 for group in groups if not group <= present)


def candidate_features(
    question: str,
    top: Sequence[Candidate],
    ranked: Sequence[Candidate],
    passages: list[Document],
    lexicon: Lexicon,
    similarity: np.ndarray,
    carried: str = "",
) -> np.ndarray:
    """One row of `CANDIDATE_FEATURES` per candidate in `top` (the best of `ranked`, in lexical order).

    Args:
        question: the question as asked.
        top: the candidates to score.
        ranked: every candidate, best first (for set-level features).
        passages: the retrieved passages, best first.
        lexicon: corpus statistics (IDF).
        similarity: MiniLM cosine similarity of the question to each sentence of `top`.
        carried: context words carried over from earlier turns.
    """
    q = _question(question, carried, lexicon)
    top_score = max((float(p.metadata.get("score", 0.0)) for p in passages), default=0.0) or 1.0
    top_bm25 = max((float(p.metadata.get("bm25", 0.0)) for p in passages), default=0.0) or 1.0
    best_dense = max((float(p.metadata.get("dense", 0.0)) for p in passages), default=0.0)
    missing = missing_names(question, passages)
    unknown = unknown_names(question, lexicon.__contains__)
    # The hand-set abstention rule's value, with the weights it had when the shipped model was trained (the
    # model learnt on this feature; `bot.extractive.support` may be re-calibrated without retraining it).
    support_value = (
        ranked[0].coverage + 1.55 * best_dense - 0.27 * min(missing, 2) - 0.55 * min(unknown, 1) if ranked else 0.0
    )
    shared = [
        _TYPES.index(q.kind),
        _wh(question),
        len(q.weights),
        missing,
        unknown,
        best_dense,
        support_value,
        len(ranked),
        ranked[0].score - ranked[1].score if len(ranked) > 1 else ranked[0].score if ranked else 0.0,
    ]
    passage_info: dict[int, tuple[set[str], list[int]]] = {}
    lead_score = top[0].score if top else 1.0
    max_sim = float(similarity.max()) if len(similarity) else 0.0
    sim_order = np.argsort(-similarity, kind="stable") if len(similarity) else np.zeros(0, dtype=int)
    sim_rank = np.empty(len(similarity), dtype=int)
    sim_rank[sim_order] = np.arange(len(similarity))
    rows = []
    for i, candidate in enumerate(top):
        passage = candidate.passage
        key = id(passage)
        if key not in passage_info:
            spans = sentences(passage.page_content)
            passage_info[key] = (set(terms(passage.page_content)), [s.start for s in spans])
        passage_terms, starts = passage_info[key]
        sentence_terms = terms(candidate.span.text)
        own = set(sentence_terms)
        coverage = sum(w for t, w in q.weights.items() if t in own) / q.total
        passage_coverage = sum(w for t, w in q.weights.items() if t in passage_terms) / q.total
        own_bigrams = set(itertools.pairwise(sentence_terms))
        bigram = len(q.bigrams & own_bigrams) / len(q.bigrams) if q.bigrams else 0.0
        novel = len(own - q.weights.keys()) / max(len(own), 1)
        index = starts.index(candidate.span.start) if candidate.span.start in starts else len(starts)
        at_start = int(index == 0 and int(passage.metadata.get("start", 0)) == 0)
        sentence_numbers = {t for w in words(candidate.span.text) if _NUMERIC.search(w) for t in terms(w)}
        question_numbers = set().union(*q.numbers) if q.numbers else set()
        rows.append(
            [
                i,
                candidate.score,
                candidate.score / lead_score if lead_score else 0.0,
                candidate.coverage,
                coverage,
                candidate.coverage - coverage,
                bigram,
                float(_has_type(candidate.span.text, q.kind, q.question_words)) if q.kind else -1.0,
                novel,
                len(candidate.span.text.split()),
                index,
                at_start,
                int(at_start and bool(_LEAD.match(candidate.span.text))),
                candidate.passage_rank,
                float(passage.metadata.get("score", 0.0)) / top_score,
                float(passage.metadata.get("bm25", 0.0)) / top_bm25,
                float(passage.metadata.get("dense", 0.0)),
                passage_coverage,
                float(similarity[i]),
                float(similarity[i]) - max_sim,
                int(sim_rank[i]),
                len(q.numbers),
                _missing(q.numbers, own),
                _missing(q.numbers, passage_terms),
                len(q.names),
                _missing(q.names, own),
                _missing(q.names, passage_terms),
                len(sentence_numbers - question_numbers),
                *shared,
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(CANDIDATE_FEATURES))


def abstain_features(
    rows: np.ndarray, probabilities: np.ndarray, passages: list[Document], question: str
) -> np.ndarray:
    """The `ABSTAIN_FEATURES` row of one question: the answer model's verdicts and its best candidate."""
    order = np.argsort(-probabilities, kind="stable")
    p = np.zeros(3)
    p[: min(3, len(order))] = probabilities[order[:3]]
    numbers = [set(terms(w)) for w in words(question) if _NUMERIC.search(w)]
    present: set[str] = set()
    for passage in passages:
        present.update(terms(passage.page_content))
    best = rows[order[0]]
    head = [
        p[0],
        p[1],
        p[2],
        p[0] - p[1],
        p.sum(),
        float(rows[:, CANDIDATE_FEATURES.index("similarity")].max()),
        _missing([n for n in numbers if n], present),
    ]
    return np.concatenate([np.asarray(head), best])


def similarities(
    question: str,
    top: Sequence[Candidate],
    embed: Callable[[list[str]], np.ndarray],
    embed_query: Callable[[str], Sequence[float]],
) -> np.ndarray:
    """MiniLM cosine similarity of the question to each candidate sentence (rows are normalised)."""
    if not top:
        return np.zeros(0)
    vectors = embed([c.span.text for c in top])
    return np.asarray(vectors @ np.asarray(embed_query(question), dtype=np.float32), dtype=np.float64)


class Selector:
    """Re-scores the lexical scorer's best sentences and decides whether to abstain, with the shipped models.

    Args:
        model_dir: where `selector.json` and the two LightGBM model files are.
    """

    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        self.model_dir = model_dir
        self.config: dict[str, Any] = json.loads((model_dir / "selector.json").read_text())
        self.top_n = int(self.config.get("top_n", TOP_N))
        self.abstain_below = float(self.config["abstain_below"])
        self.second_ratio = float(self.config["second_ratio"])

    @cached_property
    def _answer_model(self) -> lightgbm.Booster:
        return self._load(self.config["answer_model"])

    @cached_property
    def _abstain_model(self) -> lightgbm.Booster:
        return self._load(self.config["abstain_model"])

    def _load(self, name: str) -> lightgbm.Booster:
        import lightgbm  # imported on first use: `newsbot sources` and friends never pay for it

        return lightgbm.Booster(model_file=str(self.model_dir / name))

    def score(self, rows: np.ndarray) -> np.ndarray:
        """Probability that each candidate row holds the answer."""
        return np.asarray(self._answer_model.predict(rows, num_threads=1), dtype=np.float64)

    def answerable(self, row: np.ndarray) -> float:
        """Probability that the passages answer the question, from its `abstain_features` row."""
        return float(self._abstain_model.predict(row[None, :], num_threads=1)[0])

    def select(
        self,
        question: str,
        ranked: list[Candidate],
        passages: list[Document],
        lexicon: Lexicon,
        embed: Callable[[list[str]], np.ndarray],
        embed_query: Callable[[str], Sequence[float]],
        carried: str = "",
    ) -> Selection:
        """Re-score the best `top_n` of `ranked`, pick the answer sentences, and decide whether to abstain."""
        if not ranked:
            return Selection([], 0.0, True, [])
        top = ranked[: self.top_n]
        similarity = similarities(question, top, embed, embed_query)
        rows = candidate_features(question, top, ranked, passages, lexicon, similarity, carried)
        probabilities = self.score(rows)
        answerable = self.answerable(abstain_features(rows, probabilities, passages, question))
        order = np.argsort(-probabilities, kind="stable")
        rescored = [replace(top[i], score=float(probabilities[i])) for i in order]
        return Selection(rescored, answerable, answerable < self.abstain_below, self._choose(rescored))

    def _choose(self, rescored: list[Candidate]) -> list[Candidate]:
        """The best sentence, plus the runner-up when it is nearly as likely and the answer stays short."""
        chosen = [rescored[0]]
        if len(rescored) > 1:
            second = rescored[1]
            n_words = len(rescored[0].span.text.split()) + len(second.span.text.split())
            if second.score >= self.second_ratio * rescored[0].score and n_words <= MAX_ANSWER_WORDS:
                chosen.append(second)
        return chosen


def load_selector(model_dir: Path = MODEL_DIR) -> Selector | None:
    """The shipped selector, or None when its model files are not installed."""
    return Selector(model_dir) if (model_dir / "selector.json").exists() else None
