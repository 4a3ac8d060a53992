"""What the fine-tuning scripts share (`train_crossencoder.py`, `train_reader.py`): batches of similar length, a
resumable training loop over a partly frozen MiniLM, the ONNX export with its int8 quantization, the command line,
the held-out threshold and the install into `bot/models/`."""

from __future__ import annotations

import argparse
import json
import logging
import random
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger("finetune")

BATCH = 32
WARMUP = 0.06
CHECKPOINT_EVERY = 100
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def save_rows(
    path: Path,
    rows: Sequence[Sequence[Any]],
    held: list[dict[str, Any]],
    holdout: set[int],
    rng: random.Random,
    *,
    holdout_questions: int,
    kind: int,
    unit: str,
) -> None:
    """Write stage 1's file through a temporary one: a first line with the held-out questions (`holdout_questions`
    unanswerable and as many answerable ones, drawn with `rng`) and their articles, then one training row a line;
    log how many rows there are of each kind (`row[kind]`)."""
    rng.shuffle(held)
    unanswerable = [i for i in held if i["answer"] is None][:holdout_questions]
    answerable = [i for i in held if i["answer"] is not None][:holdout_questions]
    tmp = path.with_suffix(".tmp")
    with tmp.open("w") as out:
        out.write(json.dumps({"holdout": unanswerable + answerable, "articles": sorted(holdout)}) + "\n")
        for row in rows:
            out.write(json.dumps(row) + "\n")
    tmp.replace(path)
    kinds: dict[str, int] = {}
    for row in rows:
        kinds[row[kind]] = kinds.get(row[kind], 0) + 1
    logger.info("%d %s: %s", len(rows), unit, kinds)


def length_batches(rows: list[Any], seed: int, length: Callable[[Any], int]) -> list[list[Any]]:
    """Batches of `BATCH` rows of similar `length` (less padding), in a shuffled order fixed by `seed` (so a
    resumed run agrees); a last short batch is dropped."""
    batches: list[list[Any]] = []
    for i in range(0, len(rows), BATCH * 50):
        chunk = sorted(rows[i : i + BATCH * 50], key=length)
        batches.extend(chunk[j : j + BATCH] for j in range(0, len(chunk), BATCH))
    random.Random(seed).shuffle(batches)
    return [b for b in batches if len(b) == BATCH]


def fit(
    model: Any,
    tokenizer: Any,
    batches: Sequence[list[Any]],
    loss: Callable[[list[Any]], Any],
    work: Path,
    *,
    frozen_layers: int,
    learning_rate: float,
    unit: str = "examples",
) -> Path:
    """Fine-tune `model` (a BERT with its packaged weights and a fresh head) on `batches`, `loss(batch)` giving each
    batch's loss: the embeddings and the lowest `frozen_layers` layers stay as packaged; AdamW with linear
    warm-up and decay; a checkpoint under `work` every `CHECKPOINT_EVERY` steps, from which a rerun resumes.
    Returns `work / "model"`, where the trained model and `tokenizer` are saved (and found by a rerun)."""
    import torch

    final = work / "model"
    if (final / "config.json").exists():
        return final
    for parameter in model.bert.embeddings.parameters():
        parameter.requires_grad = False
    for layer in model.bert.encoder.layer[:frozen_layers]:
        for parameter in layer.parameters():
            parameter.requires_grad = False
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=learning_rate, weight_decay=0.01)
    steps = len(batches)
    warmup = int(steps * WARMUP)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / max(warmup, 1), max(0.0, (steps - s) / max(steps - warmup, 1)))
    )
    checkpoint = work / "checkpoint.pt"
    start = 0
    if checkpoint.exists():
        state = torch.load(checkpoint, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        start = state["step"]
        logger.info("resuming at step %d of %d", start, steps)
    model.train()
    started, losses = time.time(), []
    for step in range(start, steps):
        batch = batches[step]
        value = loss(batch)
        value.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        losses.append(float(value.detach()))
        if (step + 1) % CHECKPOINT_EVERY == 0 or step + 1 == steps:
            state = {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "schedule": schedule.state_dict(),
                "step": step + 1,
            }
            torch.save(state, checkpoint.with_suffix(".tmp"))
            checkpoint.with_suffix(".tmp").replace(checkpoint)
            rate = len(losses) * len(batch) / (time.time() - started)
            logger.info("step %d/%d loss %.3f (%.1f %s/s)", step + 1, steps, float(np.mean(losses[-100:])), rate, unit)
    model.save_pretrained(final.with_suffix(".tmp"))
    tokenizer.save_pretrained(final.with_suffix(".tmp"))
    shutil.rmtree(final, ignore_errors=True)
    final.with_suffix(".tmp").rename(final)
    return final


def export(model: Any, fp32: Path, int8: Path, outputs: dict[str, dict[int, str]]) -> tuple[Path, Path]:
    """`model` (in eval mode) to ONNX at `fp32`, with `outputs` (name -> its dynamic axes), and its dynamic int8
    quantization at `int8`; either file already there is kept (a rerun resumes)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    if not fp32.exists():
        dummy = [torch.ones(1, 8, dtype=torch.long) for _ in INPUTS]
        torch.onnx.export(
            model,
            tuple(dummy),
            str(fp32.with_suffix(".tmp")),
            input_names=list(INPUTS),
            output_names=list(outputs),
            dynamic_axes={**{name: {0: "batch", 1: "tokens"} for name in INPUTS}, **outputs},
            opset_version=17,
            dynamo=False,
        )
        fp32.with_suffix(".tmp").replace(fp32)
    if not int8.exists():
        quantize_dynamic(str(fp32), str(int8.with_suffix(".tmp.onnx")), weight_type=QuantType.QInt8)
        int8.with_suffix(".tmp.onnx").replace(int8)
    return fp32, int8


KEEP_ANSWERABLE = 0.9  # a threshold set on held-out questions keeps this share of the answerable ones answered


def arguments(description: str, work: str, size: str, default: int, out: Path) -> argparse.ArgumentParser:
    """The options every fine-tuning script takes: `--work`, `--seed`, `--out` (default `out`),
    `--holdout-questions`, and `--SIZE` (how many training examples, about)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--work", type=Path, default=Path(work))
    parser.add_argument(f"--{size}", type=int, default=default)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=out)
    parser.add_argument(
        "--holdout-questions",
        type=int,
        default=1500,
        help="answerable (and at most as many unanswerable) ones, for the report",
    )
    return parser


def declined(scores: dict[str, list[float]]) -> dict[str, Any]:
    """The threshold on held-out best scores that keeps `KEEP_ANSWERABLE` of the "answerable" ones answered, and
    the share of each kind of question it declines."""
    threshold = float(np.quantile(scores["answerable"], 1 - KEEP_ANSWERABLE))
    return {
        "threshold": round(threshold, 4),
        "declined": {k: round(float(np.mean(np.array(v) < threshold)), 3) for k, v in scores.items() if v},
        "questions": {k: len(v) for k, v in scores.items()},
    }


def install(out: Path, files: dict[Path, str], settings_file: str, settings: dict[str, Any]) -> None:
    """Copy the built `files` (source -> name) into `out` with the settings beside them."""
    out.mkdir(parents=True, exist_ok=True)
    for source, name in files.items():
        shutil.copyfile(source, out / name)
        logger.info("wrote %s (%.1f MB)", out / name, (out / name).stat().st_size / 1e6)
    (out / settings_file).write_text(json.dumps(settings, indent=1) + "\n")
