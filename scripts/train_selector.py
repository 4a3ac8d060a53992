"""Rebuild the learned answer selector (`bot/models/selector*`) from SQuAD's training data.

    python scripts/train_selector.py [--work /tmp/newsbot-selector] [--articles 30] [--per-article 150]

What it does, each stage checkpointed under `--work` so that an interrupted run resumes where it stopped:

1. Corpus: the paragraphs of `--articles` SQuAD v1.1 train articles (drawn with `--seed`) plus the ten articles of
   the SQuAD 2.0 train sample, each paragraph an article of its own (as `newsbot eval` indexes SQuAD), cut into
   passages by the ingest splitter, indexed in BM25 and embedded with the packaged MiniLM.
2. Questions, retrieved the way the query path does (BM25 and dense top 100, fused 0.6/0.4, best 5 passages):
   answerable ones; SQuAD 2.0's unanswerable ones; and unanswerable ones made the way SQuAD 2.0 made them: the
   question against the other paragraphs of its article (its own passages left out), and the question with a
   number, year or name swapped for another of the same article that its paragraph never mentions (the premise
   check). The lexical scorer ranks the sentences; the best `TOP_N` get `bot.selector` features.
3. Models: LightGBM for "this sentence holds the answer" (answerable questions), then, on two-fold out-of-fold
   answer probabilities, for "the passages answer the question". Thresholds (abstention, second sentence) are set
   on held-out training articles; the SQuAD dev sets are never read.

Cost of the shipped model (defaults; 2 cores shared with other jobs, load average 10-30): 40 articles, 2,159
passages, 8,382 questions (5,160 answerable, 348 real unanswerable, 1,220 other-paragraph, 1,454 swapped), 97,880
candidate rows; passages embedded in 5 min, features in 33 min, training 1 min (LightGBM, one thread).
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.documents import Document

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.extractive import ExtractiveGenerator
from bot.selector import (
    ABSTAIN_FEATURES,
    CANDIDATE_FEATURES,
    MAX_ANSWER_WORDS,
    MODEL_DIR,
    TOP_N,
    abstain_features,
    candidate_features,
)
from retrieval.bm25 import Bm25Index
from retrieval.chunking import make_splitter
from retrieval.embeddings import MiniLMEmbeddings
from retrieval.retriever import BM25_SHARE, FETCH_K, TOP_K
from retrieval.text import STOPWORDS, words

logger = logging.getLogger("train_selector")

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"  # ../shared beside the checkout
V1_TRAIN = DATA / "squad-v1.1-train" / "train-v1.1.json"
V2_SAMPLE = DATA / "squad-v2.0-train-sample" / "train-v2.0-first10.json"
SHARD = 500  # questions per feature checkpoint
HOLDOUT_SHARE = 0.15  # articles kept out of fitting, for thresholds and the report
# SQuAD v1.1 has no unanswerable questions: every answerable one declined costs containment there.
MIN_ANSWERED = 0.95
IMPOSSIBLE_WEIGHT = 3.0  # SQuAD 2.0's real unanswerable questions are few and the hardest: count them more

_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)$")
_NUMBER = re.compile(r"^\d[\d,.]*$")


@dataclass
class Question:
    """One training question and how it was made."""

    qid: str
    text: str
    article: int
    paragraph: str  # the id of the paragraph it was written against
    answers: list[tuple[int, str]]
    kind: str  # answerable | impossible | other | swap
    holdout: bool
    exclude: str | None = None  # a paragraph left out of retrieval ("other")
    extra: dict[str, Any] = field(default_factory=dict)


# -- data ------------------------------------------------------------------------------------------------------


def load_corpus(articles: int, seed: int) -> tuple[list[dict[str, Any]], list[int]]:
    """The SQuAD articles to train on (v2 sample first) and the indexes of the held-out ones."""
    v2 = json.loads(V2_SAMPLE.read_text())["data"]
    v1 = json.loads(V1_TRAIN.read_text())["data"]
    taken = {a["title"] for a in v2}
    rest = [a for a in v1 if a["title"] not in taken]
    random.Random(seed).shuffle(rest)
    chosen = v2 + rest[:articles]
    order = list(range(len(v2), len(chosen)))
    random.Random(seed + 1).shuffle(order)
    # Only two articles of the v2 sample have unanswerable questions (Zelda 160, Spectre 188): Spectre is held out.
    holdout = sorted([*order[: int(len(order) * HOLDOUT_SHARE)], 5])
    return chosen, holdout


def passages_of(corpus: list[dict[str, Any]]) -> list[Document]:
    """Every paragraph cut into passages, with the metadata the store gives them."""
    splitter = make_splitter()
    docs = []
    for a, article in enumerate(corpus):
        title = article["title"].replace("_", " ")
        for p, paragraph in enumerate(article["paragraphs"]):
            pid = f"{a:03d}-{p:03d}"
            for c, chunk in enumerate(splitter.create_documents([paragraph["context"]])):
                start = int(chunk.metadata["start_index"])
                meta = {"article_id": pid, "title": title, "chunk": c, "start": start, "group": a}
                docs.append(Document(page_content=chunk.page_content, metadata=meta, id=f"{pid}-{c}"))
    return docs


def values_in(text: str) -> dict[str, set[str]]:
    """Years, other numbers and capitalised names in `text`, by kind (what a swap may replace)."""
    out: dict[str, set[str]] = {"year": set(), "number": set(), "name": set()}
    for i, w in enumerate(words(text)):
        if _YEAR.match(w):
            out["year"].add(w)
        elif _NUMBER.match(w):
            out["number"].add(w)
        elif i > 0 and w[:1].isupper() and w.lower() not in STOPWORDS and len(w) > 2:
            out["name"].add(w)
    return out


def make_questions(corpus: list[dict[str, Any]], holdout: set[int], per_article: int, seed: int) -> list[Question]:
    """Answerable questions, real unanswerable ones, and the two kinds made from answerable ones."""
    rng = random.Random(seed)
    out: list[Question] = []
    for a, article in enumerate(corpus):
        article_values = values_in(" ".join(p["context"] for p in article["paragraphs"]))
        pool = []
        for p, paragraph in enumerate(article["paragraphs"]):
            for qa in paragraph["qas"]:
                pid = f"{a:03d}-{p:03d}"
                if qa.get("is_impossible"):
                    out.append(Question(qa["id"], qa["question"], a, pid, [], "impossible", a in holdout))
                else:
                    answers = [(int(x["answer_start"]), x["text"]) for x in qa["answers"]]
                    pool.append((qa, pid, answers, paragraph["context"]))
        for qa, pid, answers, context in rng.sample(pool, min(per_article, len(pool))):
            base = Question(qa["id"], qa["question"], a, pid, answers, "answerable", a in holdout)
            out.append(base)
            roll = rng.random()
            if roll < 0.3:
                other = Question(f"{qa['id']}-other", qa["question"], a, pid, [], "other", a in holdout, pid)
                other.extra["answers"] = [t for _, t in answers]
                out.append(other)
            elif roll < 0.7:
                swapped = swap_value(qa["question"], context, article_values, rng)
                if swapped:
                    out.append(Question(f"{qa['id']}-swap", swapped, a, pid, [], "swap", a in holdout))
    return out


def swap_value(question: str, context: str, values: dict[str, set[str]], rng: random.Random) -> str | None:
    """The question with a year, number or name replaced by another of the article its paragraph never uses."""
    mine = values_in(question)
    options = [(kind, v) for kind, vs in mine.items() for v in sorted(vs)]
    rng.shuffle(options)
    for kind, value in options:
        others = sorted(v for v in values[kind] if v != value and v not in context and v not in question)
        if others:
            return re.sub(rf"\b{re.escape(value)}\b", rng.choice(others), question, count=1)
    return None


# -- retrieval as the query path does it -----------------------------------------------------------------------


class Retrieval:
    """BM25 and dense MiniLM over the training passages, fused like `HybridRetriever` (convex, 0.6/0.4)."""

    def __init__(self, docs: list[Document], vectors: np.ndarray) -> None:
        self.docs = docs
        self.vectors = vectors
        self.position = {str(d.id): i for i, d in enumerate(docs)}
        self.bm25 = Bm25Index.build([str(d.id) for d in docs], [d.page_content for d in docs], "train")

    def search(self, query: str, query_vector: np.ndarray, exclude: str | None) -> list[Document]:
        """The best `TOP_K` passages, leaving out those of paragraph `exclude`."""
        fused: dict[int, dict[str, float]] = {}
        lexical = self.bm25.search(query, FETCH_K)
        best = lexical[0][1] if lexical else 1.0
        for chunk_id, score in lexical:
            e = fused.setdefault(self.position[chunk_id], {"bm25": 0.0, "dense": 0.0, "score": 0.0})
            e["bm25"] = score
            e["score"] += BM25_SHARE * score / best
        sims = self.vectors @ query_vector
        top = np.argpartition(-sims, FETCH_K)[:FETCH_K]
        top = top[np.argsort(-sims[top])]
        high, low = float(sims[top[0]]), float(sims[top[-1]])
        for i in top:
            e = fused.setdefault(int(i), {"bm25": 0.0, "dense": 0.0, "score": 0.0})
            e["dense"] = float(sims[i])
            e["score"] += (1 - BM25_SHARE) * (float(sims[i]) - low) / max(high - low, 1e-6)
        out = []
        for i, e in sorted(fused.items(), key=lambda item: -item[1]["score"]):
            doc = self.docs[i]
            if exclude and doc.metadata["article_id"] == exclude:
                continue
            out.append(Document(page_content=doc.page_content, metadata={**doc.metadata, **e}, id=doc.id))
            if len(out) == TOP_K:
                break
        return out


# -- features --------------------------------------------------------------------------------------------------


class EmbeddingCache:
    """Sentence embeddings kept on disk across shards and runs (each unique text embedded once)."""

    def __init__(self, path: Path, embeddings: MiniLMEmbeddings, batch_size: int = 64) -> None:
        self.path = path
        self.embeddings = embeddings
        self.batch_size = batch_size
        self.index: dict[str, int] = {}
        self.vectors = np.zeros((0, 384), dtype=np.float32)
        if path.with_suffix(".json").exists():
            self.index = json.loads(path.with_suffix(".json").read_text())
            self.vectors = np.load(path.with_suffix(".npy"))[: len(self.index)]

    def add(self, texts: list[str]) -> None:
        """Embed the texts not seen yet."""
        new = sorted({t for t in texts if t not in self.index})
        if not new:
            return
        vectors = self.embeddings.embed_array(new, batch_size=self.batch_size)
        self.vectors = np.concatenate([self.vectors, vectors])
        for text in new:
            self.index[text] = len(self.index)

    def __call__(self, texts: list[str]) -> np.ndarray:
        return self.vectors[[self.index[t] for t in texts]]

    def save(self) -> None:
        """Checkpoint (vectors first: a crash between the two writes leaves a longer array, which is trimmed)."""
        np.save(self.path.with_suffix(".npy"), self.vectors)
        self.path.with_suffix(".json").write_text(json.dumps(self.index))


def _label(candidate: Any, question: Question) -> int:
    """1 when the sentence overlaps a gold answer span of the question's own paragraph."""
    meta = candidate.passage.metadata
    if meta["article_id"] != question.paragraph:
        return 0
    start = int(meta["start"]) + candidate.span.start
    end = int(meta["start"]) + candidate.span.end
    return int(any(s < end and s + len(text) > start for s, text in question.answers))


def _mentions(passages: list[Document], answers: list[str]) -> bool:
    text = " ".join(p.page_content for p in passages).lower()
    return any(a.lower() in text for a in answers)


def featurize_shard(questions: list[Question], retrieval: Retrieval, cache: EmbeddingCache) -> dict[str, Any]:
    """Retrieve, rank and featurize one shard of questions."""
    generator = ExtractiveGenerator()
    cache.add([q.text for q in questions])
    query_vectors = cache([q.text for q in questions])
    staged = []
    for q, qv in zip(questions, query_vectors, strict=True):
        passages = retrieval.search(q.text, qv, q.exclude)
        if _mentions(passages, q.extra.get("answers", [])):
            continue  # the answer stands in another paragraph too: not an unanswerable question
        ranked = generator.rank(q.text, passages, "", retrieval.bm25)
        staged.append((q, qv, passages, ranked))
    cache.add([c.span.text for _, _, _, ranked in staged for c in ranked[:TOP_N]])
    rows, labels, groups, meta = [], [], [], []
    for n, (q, qv, passages, ranked) in enumerate(staged):
        if not ranked:
            continue
        top = ranked[:TOP_N]
        similarity = cache([c.span.text for c in top]) @ qv
        x = candidate_features(q.text, top, ranked, passages, retrieval.bm25, similarity.astype(np.float64))
        y = [_label(c, q) for c in top]
        rows.append(x)
        labels.extend(y)
        groups.extend([n] * len(top))
        meta.append(
            {
                "qid": q.qid,
                "kind": q.kind,
                "holdout": q.holdout,
                "article": q.article,
                "answers": [t for _, t in q.answers],
                "sentences": [c.span.text for c in top],
                "question": q.text,
                "passages": [p.page_content for p in passages],
                "row": n,
            }
        )
    return {
        "x": np.concatenate(rows) if rows else np.zeros((0, len(CANDIDATE_FEATURES))),
        "y": np.asarray(labels),
        "group": np.asarray(groups),
        "meta": meta,
    }


def build_features(args: argparse.Namespace) -> list[Path]:
    """Stage 1 and 2: every shard's features on disk (existing shards are kept)."""
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    corpus, holdout = load_corpus(args.articles, args.seed)
    docs = passages_of(corpus)
    embeddings = MiniLMEmbeddings()
    started = time.time()
    passage_cache = EmbeddingCache(work / "passages", embeddings, batch_size=32)
    passage_cache.add([d.page_content for d in docs])
    passage_cache.save()
    logger.info("passages embedded in %.0f s", time.time() - started)
    retrieval = Retrieval(docs, passage_cache([d.page_content for d in docs]))
    questions = make_questions(corpus, set(holdout), args.per_article, args.seed)
    kinds = {k: sum(1 for q in questions if q.kind == k) for k in ("answerable", "impossible", "other", "swap")}
    logger.info("%d articles, %d passages, questions %s", len(corpus), len(docs), kinds)
    cache = EmbeddingCache(work / "sentences", embeddings)
    paths = []
    for start in range(0, len(questions), SHARD):
        path = work / f"shard-{args.articles}-{args.per_article}-{args.seed}-{start // SHARD:04d}.npz"
        paths.append(path)
        if path.exists():
            continue
        started = time.time()
        shard = featurize_shard(questions[start : start + SHARD], retrieval, cache)
        cache.save()
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, x=shard["x"], y=shard["y"], group=shard["group"], meta=json.dumps(shard["meta"]))
        tmp.replace(path)
        logger.info("shard %s: %d questions in %.0f s", path.name, len(shard["meta"]), time.time() - started)
    return paths


# -- training --------------------------------------------------------------------------------------------------


@dataclass
class Data:
    """All shards joined: candidate rows and one meta record per question."""

    x: np.ndarray
    y: np.ndarray
    group: np.ndarray  # question number per row
    meta: list[dict[str, Any]]


def load_shards(paths: list[Path]) -> Data:
    """Join the shards, numbering questions globally."""
    xs, ys, gs, metas = [], [], [], []
    offset = 0
    for path in paths:
        with np.load(path) as shard:
            meta = json.loads(str(shard["meta"]))
            local = {m["row"]: offset + i for i, m in enumerate(meta)}
            xs.append(shard["x"])
            ys.append(shard["y"])
            gs.append(np.asarray([local[g] for g in shard["group"]], dtype=int))
            metas.extend(meta)
            offset += len(meta)
    return Data(np.concatenate(xs), np.concatenate(ys), np.concatenate(gs), metas)


ANSWER_PARAMS = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "num_threads": 1,  # the 2 cores are shared: spinning OpenMP threads cost more than they give
    "verbose": -1,
    "seed": 0,
}
ABSTAIN_PARAMS = {**ANSWER_PARAMS, "num_leaves": 15, "min_data_in_leaf": 30}
ANSWER_ROUNDS = 400
ABSTAIN_ROUNDS = 300


def _train(
    params: dict[str, Any], x: np.ndarray, y: np.ndarray, rounds: int, names: tuple[str, ...], w: Any = None
) -> Any:
    import lightgbm

    data = lightgbm.Dataset(x, y, weight=w, feature_name=list(names), free_raw_data=False)
    return lightgbm.train(params, data, num_boost_round=rounds)


def train(data: Data, out: Path) -> dict[str, Any]:
    """Fit both models, set the thresholds on the held-out articles, write the model files and report."""
    kinds = np.asarray([m["kind"] for m in data.meta])
    holdout = np.asarray([m["holdout"] for m in data.meta])
    article = np.asarray([m["article"] for m in data.meta])
    answerable = kinds == "answerable"
    has_gold = np.zeros(len(data.meta), dtype=bool)
    has_gold[data.group[data.y == 1]] = True
    row_q = data.group
    fit_q = ~holdout & answerable & has_gold
    fit_rows = fit_q[row_q]

    # Two folds by article: out-of-fold answer probabilities feed the abstain model as they will at run time.
    fold = article % 2
    p_oof = np.zeros(len(data.y))
    for f in (0, 1):
        train_rows = fit_rows & (fold[row_q] != f)
        model = _train(ANSWER_PARAMS, data.x[train_rows], data.y[train_rows], ANSWER_ROUNDS, CANDIDATE_FEATURES)
        apply_rows = (fold[row_q] == f) & ~holdout[row_q]
        p_oof[apply_rows] = model.predict(data.x[apply_rows])
    answer_model = _train(ANSWER_PARAMS, data.x[fit_rows], data.y[fit_rows], ANSWER_ROUNDS, CANDIDATE_FEATURES)
    p_oof[holdout[row_q]] = answer_model.predict(data.x[holdout[row_q]])

    rows_of = [np.flatnonzero(row_q == q) for q in range(len(data.meta))]
    abstain_x = np.stack(
        [
            abstain_features(data.x[r], p_oof[r], [Document(page_content=t) for t in m["passages"]], m["question"])
            for r, m in zip(rows_of, data.meta, strict=True)
        ]
    )
    # Answerable questions whose passages miss the answer teach nothing about "the answer is not here".
    usable = ~(answerable & ~has_gold)
    label = answerable.astype(int)
    weight = np.where(kinds == "impossible", IMPOSSIBLE_WEIGHT, 1.0)
    fit_a = usable & ~holdout
    abstain_model = _train(
        ABSTAIN_PARAMS, abstain_x[fit_a], label[fit_a], ABSTAIN_ROUNDS, ABSTAIN_FEATURES, weight[fit_a]
    )
    p_answerable = abstain_model.predict(abstain_x)

    report: dict[str, Any] = {"questions": {k: int((kinds == k).sum()) for k in sorted(set(kinds))}}
    report["fit_rows"] = int(fit_rows.sum())
    report["holdout_questions"] = int(holdout.sum())
    threshold = _abstain_threshold(p_answerable, kinds, holdout, report)
    second_ratio = _second_ratio(data, p_oof, rows_of, holdout & answerable, report)
    _baseline(data, rows_of, holdout & answerable, report)

    out.mkdir(parents=True, exist_ok=True)
    answer_model.save_model(str(out / "selector-answer.txt"))
    abstain_model.save_model(str(out / "selector-abstain.txt"))
    config = {
        "version": 1,
        "answer_model": "selector-answer.txt",
        "abstain_model": "selector-abstain.txt",
        "top_n": TOP_N,
        "abstain_below": round(threshold, 4),
        "second_ratio": second_ratio,
        "candidate_features": list(CANDIDATE_FEATURES),
        "abstain_features": list(ABSTAIN_FEATURES),
    }
    (out / "selector.json").write_text(json.dumps(config, indent=2) + "\n")
    return report


def _abstain_threshold(p: np.ndarray, kinds: np.ndarray, holdout: np.ndarray, report: dict[str, Any]) -> float:
    """The threshold with the best held-out balanced accuracy that still answers `MIN_ANSWERED` of answerable ones.

    Balanced accuracy: answerable questions answered, and the mean over the three unanswerable kinds declined.
    """
    best, best_value = 0.0, -1.0
    table = {}
    for t in np.linspace(0.01, 0.95, 95):
        answered = float((p[holdout & (kinds == "answerable")] >= t).mean())
        declined = {k: float((p[holdout & (kinds == k)] < t).mean()) for k in ("impossible", "other", "swap")}
        value = answered + float(np.mean(list(declined.values())))
        table[round(float(t), 2)] = {"answered": round(answered, 3), **{k: round(v, 3) for k, v in declined.items()}}
        if answered >= MIN_ANSWERED and value > best_value:
            best, best_value = float(t), value
    report["abstain_table"] = {str(k): v for k, v in table.items() if round(k * 100) % 5 == 0}
    report["abstain_threshold"] = round(best, 2)
    report["holdout_at_threshold"] = table[round(best, 2)]
    return best


def _contains(sentences: list[str], answers: list[str]) -> bool:
    text = " ".join(sentences).lower()
    return any(a.lower() in text for a in answers)


def _second_ratio(
    data: Data, p: np.ndarray, rows_of: list[np.ndarray], which: np.ndarray, report: dict[str, Any]
) -> float:
    """The runner-up ratio with the best held-out containment at no more than 40 words an answer on average."""
    best, best_value = 1.0, -1.0
    table = {}
    for ratio in (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01):
        hits, lengths = [], []
        for q in np.flatnonzero(which):
            probs = p[rows_of[q]]
            order = np.argsort(-probs, kind="stable")
            texts = data.meta[q]["sentences"]
            chosen = [texts[order[0]]]
            close = len(order) > 1 and probs[order[1]] >= ratio * probs[order[0]]
            if close and len(f"{texts[order[0]]} {texts[order[1]]}".split()) <= MAX_ANSWER_WORDS:
                chosen.append(texts[order[1]])
            hits.append(_contains(chosen, data.meta[q]["answers"]))
            lengths.append(sum(len(s.split()) for s in chosen))
        table[ratio] = (round(float(np.mean(hits)), 4), round(float(np.mean(lengths)), 1))
        if np.mean(lengths) <= 40 and np.mean(hits) > best_value:
            best, best_value = ratio, float(np.mean(hits))
    report["second_ratio_table"] = {str(k): v for k, v in table.items()}
    report["second_ratio"] = best
    return best


def _baseline(data: Data, rows_of: list[np.ndarray], which: np.ndarray, report: dict[str, Any]) -> None:
    """Held-out containment of today's scorer's best sentence (lexical rank 0) and of its top 12."""
    top1 = [_contains(data.meta[q]["sentences"][:1], data.meta[q]["answers"]) for q in np.flatnonzero(which)]
    anywhere = [_contains(data.meta[q]["sentences"], data.meta[q]["answers"]) for q in np.flatnonzero(which)]
    report["holdout_lexical_top1_contains"] = round(float(np.mean(top1)), 4)
    report["holdout_top12_contains"] = round(float(np.mean(anywhere)), 4)


def main() -> None:
    """Build the features (resumable), train, and write the models and a report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsbot-selector"))
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--per-article", type=int, default=150)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--features-only", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    started = time.time()
    paths = build_features(args)
    features_s = time.time() - started
    if args.features_only:
        return
    data = load_shards(paths)
    report = train(data, args.out)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    report["wall_s"] = {"features": round(features_s), "total": round(time.time() - started)}
    report["cpu_s"] = round(usage.ru_utime + usage.ru_stime)
    report["candidate_rows"] = len(data.y)
    (args.work / "report.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
