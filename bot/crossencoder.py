"""The cross-encoder answer selector: reads the question and a candidate sentence together and scores "this
sentence answers the question".

MiniLM-L6 (the packaged all-MiniLM-L6-v2 weights) fine-tuned with a one-logit head on SQuAD's training data by
`scripts/train_crossencoder.py`, exported to ONNX with int8 weights and shipped in `bot/models/` (the file is
small enough to ship: see MODEL_FILE's size in docs/evaluation.md). On the query path it runs on onnxruntime,
never torch, and only over the lexical scorer's few best sentences.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

MODEL_DIR = Path(__file__).parent / "models"
MODEL_FILE = "crossencoder-int8.onnx"
TOKENIZER_FILE = "crossencoder-tokenizer.json"
SETTINGS_FILE = "crossencoder.json"
MAX_TOKENS = 96  # question and sentence together; the sentence is cut to fit
CONTEXT_MAX_TOKENS = 128  # ... and with the previous sentence after it (a model trained with `context`)
_CONTEXT_SEPARATOR = " [SEP] "


def with_context(sentence: str, previous: str | None) -> str:
    """The second segment a context model reads: the sentence, then the one before it (cut first when long)."""
    return f"{sentence}{_CONTEXT_SEPARATOR}{previous}" if previous else sentence


class CrossEncoder:
    """An ONNX cross-encoder over (question, sentence) pairs; `score` gives each sentence's probability.

    A model trained with `context` (`scripts/train_crossencoder.py --context`) also reads the sentence before
    each candidate ("It was designed by John Roebling." after "The Brooklyn Bridge opened in 1883.").
    """

    def __init__(self, model: Path, tokenizer: Path, threshold: float = 0.5, *, context: bool = False) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.threshold = threshold
        self.context = context
        self._tokenizer = Tokenizer.from_file(str(tokenizer))
        self._tokenizer.enable_truncation(CONTEXT_MAX_TOKENS if context else MAX_TOKENS, strategy="only_second")
        self._tokenizer.enable_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        self._session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._lock = threading.Lock()

    def score(self, question: str, texts: Sequence[str], previous: Sequence[str | None] | None = None) -> np.ndarray:
        """The probability that each of `texts` answers `question` (float32, in the order given); `previous`
        holds the sentence before each (read by a context model only)."""
        return self.score_pairs([(question, text) for text in texts], previous)

    def score_pairs(self, pairs: Sequence[tuple[str, str]], previous: Sequence[str | None] | None = None) -> np.ndarray:
        """The probability that each (question, sentence) pair's sentence answers its question."""
        if not pairs:
            return np.zeros(0, dtype=np.float32)
        if self.context and previous is not None:
            pairs = [(q, with_context(text, before)) for (q, text), before in zip(pairs, previous, strict=True)]
        with self._lock:  # the tokenizer's padding and truncation settings are shared state
            encoded = self._tokenizer.encode_batch(list(pairs))
        feed: dict[str, Any] = {
            "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
        }
        logits = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0].reshape(-1)
        return (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)


@lru_cache(maxsize=1)
def load_crossencoder(directory: Path = MODEL_DIR) -> CrossEncoder | None:
    """The shipped cross-encoder, or None when its files are not installed."""
    model, tokenizer, settings = directory / MODEL_FILE, directory / TOKENIZER_FILE, directory / SETTINGS_FILE
    if not (model.exists() and tokenizer.exists() and settings.exists()):
        return None
    shipped = json.loads(settings.read_text())
    return CrossEncoder(model, tokenizer, float(shipped["threshold"]), context=bool(shipped.get("context")))
