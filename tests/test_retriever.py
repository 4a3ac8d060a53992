from pathlib import Path

from langchain_core.retrievers import BaseRetriever

from retrieval.ingest import ingest
from retrieval.retriever import HybridRetriever


def test_hybrid_retriever_is_a_langchain_retriever_and_ranks_the_right_article_first(seed_store):
    retriever = HybridRetriever(store=seed_store)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("Which aircraft carrier will take part in the NATO exercise in the Mediterranean?")
    assert docs[0].metadata["article_id"].startswith("004")
    assert "Truman" in docs[0].page_content
    assert all({"score", "bm25", "dense", "also_in"} <= d.metadata.keys() for d in docs)
    scores = [d.metadata["score"] for d in docs]
    assert scores == sorted(scores, reverse=True)


def test_dense_side_finds_a_paraphrase_with_no_shared_words(seed_store):
    docs = HybridRetriever(store=seed_store).invoke("warship flotilla drills")
    assert any("Truman" in d.page_content for d in docs)


def test_wire_copy_in_two_articles_is_one_passage_with_both_sources(make_store, tmp_path: Path):
    wire = (
        "The foreign ministers met for ninety minutes in Geneva on Friday and agreed to keep talking, "
        "officials said after the closed session ended without a breakthrough on the border dispute."
    )
    (tmp_path / "agency.txt").write_text(f"Ministers meet in Geneva\n\n{wire}")
    (tmp_path / "paper.txt").write_text(f"Geneva talks end\n\n{wire} Local reaction was muted.")
    (tmp_path / "other.txt").write_text("Harvest report\n\nFarmers expect a record wheat harvest this year.")
    store = make_store()
    ingest([tmp_path], store)
    docs = HybridRetriever(store=store).invoke("How long did the ministers meet in Geneva?")
    geneva = [d for d in docs if "ninety minutes" in d.page_content]
    assert len(geneva) == 1
    carriers = {geneva[0].metadata["article_id"], *(a["article_id"] for a in geneva[0].metadata["also_in"])}
    assert carriers == {"agency", "paper"}
