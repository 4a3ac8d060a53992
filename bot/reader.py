"""The span reader: reads the question with a whole passage and marks the answer's first and last word, or says
"no answer here" (its [CLS] token), as SQuAD 2.0's extractive readers do.

MiniLM-L6 (the packaged all-MiniLM-L6-v2 weights) fine-tuned with a start/end head on SQuAD's training data by
`scripts/train_reader.py`, exported to ONNX with int8 weights into `bot/models/` (not shipped: it measured below
the rules on news, docs/evaluation.md "A span reader"). On the query path it runs on onnxruntime, never torch,
over the few passages that hold the lexical scorer's best sentences. A passage longer than `MAX_TOKENS` is read
in overlapping windows.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

MODEL_DIR = Path(__file__).parent / "models"
MODEL_FILE = "reader-int8.onnx"
TOKENIZER_FILE = "reader-tokenizer.json"
SETTINGS_FILE = "reader.json"
MAX_TOKENS = 192  # question and passage window together
STRIDE = 64  # tokens two windows of a long passage share
MAX_QUESTION_CHARS = 250  # a longer question is cut (its window would hold too little passage)
MAX_ANSWER_TOKENS = 30
TOP_SPANS = 20  # the best spans kept per passage


@dataclass(frozen=True)
class SpanScore:
    """A span of the passage (character offsets) and the reader's score for it (start + end logits)."""

    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Read:
    """What the reader found in one passage: its best spans, best first, and the "no answer" score."""

    spans: list[SpanScore] = field(default_factory=list)
    null: float = 0.0

    @property
    def start(self) -> int | None:
        return self.spans[0].start if self.spans else None

    @property
    def end(self) -> int | None:
        return self.spans[0].end if self.spans else None

    @property
    def margin(self) -> float:
        """How much the best span beats "no answer" (negative: the reader finds no answer here)."""
        return (self.spans[0].score if self.spans else -1e9) - self.null


class Reader:
    """An ONNX span reader; `read` finds the best spans of each passage for a question."""

    def __init__(self, model: Path, tokenizer: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(tokenizer))
        self._tokenizer.enable_truncation(MAX_TOKENS, stride=STRIDE, strategy="only_second")
        self._tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        self._session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._lock = threading.Lock()

    def read(self, question: str, texts: Sequence[str]) -> list[Read]:
        """For each of `texts`, the reader's best spans for `question` and its "no answer" score."""
        if not texts:
            return []
        question = question[:MAX_QUESTION_CHARS]
        with self._lock:  # the tokenizer's truncation settings are shared state
            encodings = self._tokenizer.encode_batch([(question, text) for text in texts])
        windows: list[tuple[int, Any]] = []
        for t, encoding in enumerate(encodings):
            windows.extend((t, e) for e in [encoding, *encoding.overflowing])
        width = max(len(e.ids) for _, e in windows)
        ids = np.zeros((len(windows), width), dtype=np.int64)
        types, mask = np.zeros_like(ids), np.zeros_like(ids)
        for w, (_, e) in enumerate(windows):
            ids[w, : len(e.ids)] = e.ids
            types[w, : len(e.ids)] = e.type_ids
            mask[w, : len(e.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        starts, ends = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[:2]
        # A span in the part two windows share is read twice: it keeps its better score, once.
        spans: list[dict[tuple[int, int], SpanScore]] = [{} for _ in texts]
        nulls = [float("inf")] * len(texts)
        for w, (t, e) in enumerate(windows):
            nulls[t] = min(nulls[t], float(starts[w, 0] + ends[w, 0]))
            for span in _best_spans(starts[w], ends[w], e):
                kept = spans[t].get((span.start, span.end))
                if kept is None or span.score > kept.score:
                    spans[t][span.start, span.end] = span
        return [
            Read(sorted(s.values(), key=lambda x: -x.score)[:TOP_SPANS], null)
            for s, null in zip(spans, nulls, strict=True)
        ]


def _best_spans(starts: np.ndarray, ends: np.ndarray, encoding: Any) -> list[SpanScore]:
    """The best `TOP_SPANS` spans of one window's passage tokens."""
    tokens = np.array([i for i, s in enumerate(encoding.sequence_ids) if s == 1])
    if not len(tokens):
        return []
    s, e = starts[tokens], ends[tokens]
    grid = s[:, None] + e[None, :]
    n = len(tokens)
    band = np.triu(np.ones((n, n), dtype=bool)) & ~np.triu(np.ones((n, n), dtype=bool), MAX_ANSWER_TOKENS)
    grid = np.where(band, grid, -np.inf)
    flat = np.argsort(-grid, axis=None)[:TOP_SPANS]
    offsets = encoding.offsets
    out = []
    for f in flat:
        i, j = divmod(int(f), n)
        if not np.isfinite(grid[i, j]):
            break
        out.append(SpanScore(offsets[tokens[i]][0], offsets[tokens[j]][1], float(grid[i, j])))
    return out


@lru_cache(maxsize=1)
def load_reader(directory: Path = MODEL_DIR) -> Reader | None:
    """The span reader `scripts/train_reader.py` built into `directory`, or None when there is none."""
    model, tokenizer, settings = directory / MODEL_FILE, directory / TOKENIZER_FILE, directory / SETTINGS_FILE
    if not (model.exists() and tokenizer.exists() and settings.exists()):
        return None
    return Reader(model, tokenizer)
