from pathlib import Path

import pytest
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


FLOOD = (
    "Record rain sent the river over its banks in Millbrook on Sunday, and the flood reached the town square by "
    "noon. The flood closed schools and shops, and flood warnings stayed in force for the whole valley overnight. "
    "Volunteers handed out blankets and hot soup at the school gym, where families waited for news. "
    "Power crews worked through the night to restore electricity to the eastern districts, and the council "
    "opened a help line that took hundreds of calls before dawn. Farmers moved cattle to higher fields."
)
BRIDGE = (
    "The old stone bridge on Mill Road was destroyed when the river rose, cutting the north of the town off. "
    "Residents on the far bank were taken across by boat, and engineers began surveying the other crossings. "
    "Shopkeepers on the high street counted the cost as they swept out mud and carried ruined stock to skips. "
    "A local bakery gave away bread to anyone who asked, and church halls stayed open late into the evening "
    "for people who could not get home. Schoolchildren wrote cards for the rescue teams."
)
DAMAGE = (
    "The flood is the worst in Millbrook since 1953, the mayor said, and the cost of the flood damage will run "
    "into millions. Insurers said flood claims were already arriving from hundreds of homes along the valley. "
    "The regional government promised emergency grants for families forced out of their houses, and the army "
    "sent two hundred soldiers with sandbags to protect the water treatment works downstream from the town."
)


def write_flood_archive(folder: Path) -> Path:
    """A three-passage flood story whose bridge passage never says "flood", a one-passage bridge story, and filler."""
    folder.mkdir()
    (folder / "millbrook.txt").write_text(f"Millbrook floods after record rain\n\n{FLOOD}\n\n{BRIDGE}\n\n{DAMAGE}")
    (folder / "carlton.txt").write_text(
        "Truck hits bridge in Carlton\n\nA bridge in Carlton was destroyed on Tuesday when a lorry carrying steel "
        "beams struck its central pier. The driver was unhurt, police said. The bridge, built in 1890, carried the "
        "only road into the village."
    )
    (folder / "harvest.txt").write_text("Harvest report\n\nFarmers expect a record wheat harvest this year.")
    return folder


def test_a_story_matching_across_its_passages_outranks_a_single_passage_match(make_store, tmp_path: Path):
    store = make_store()
    ingest([write_flood_archive(tmp_path / "articles")], store)
    question = "Which bridge was destroyed in the flood?"
    passages_only = HybridRetriever(store=store, article_share=0.0, phrase_share=0.0).search(question)
    assert passages_only[0].metadata["article_id"] == "carlton"  # "bridge destroyed" in one short passage
    docs = HybridRetriever(store=store, phrase_share=0.0).search(question)
    assert docs[0].metadata["article_id"] == "millbrook"
    assert "stone bridge" in docs[0].page_content
    article_score = {d.metadata["article_id"]: d.metadata["article"] for d in docs}
    assert article_score["millbrook"] > article_score["carlton"]
    scores = [d.metadata["score"] for d in docs]
    assert scores == sorted(scores, reverse=True)


def test_question_words_side_by_side_in_a_passage_count_as_a_phrase(make_store, tmp_path: Path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "rates.txt").write_text(
        "Rates rise\n\nThe central bank raised interest rates on Thursday to slow inflation, its governor said."
    )
    (folder / "square.txt").write_text(
        "Square reopens\n\nThe bank on the central square reopened on Thursday; interest in its new branch was "
        "high and rates of new accounts raised hopes, the manager said."
    )
    store = make_store()
    ingest([folder], store)
    docs = HybridRetriever(store=store, article_share=0.0).search("Why did the central bank raise interest rates?")
    phrase = {d.metadata["article_id"]: d.metadata["phrase"] for d in docs}
    assert phrase["rates"] == 1.0  # central bank, bank raise, raise interest, interest rates
    assert phrase["square"] < 0.5
    assert docs[0].metadata["article_id"] == "rates"


def test_article_evidence_follows_a_new_ingest(make_store, tmp_path: Path):
    store = make_store()
    ingest([write_flood_archive(tmp_path / "articles")], store)
    retriever = HybridRetriever(store=store)
    assert retriever.search("Which bridge was destroyed in the flood?")
    (tmp_path / "later").mkdir()
    (tmp_path / "later" / "volcano.txt").write_text(
        "Volcano erupts\n\nThe volcano on the island erupted overnight, sending ash two kilometres into the sky."
    )
    ingest([tmp_path / "later"], store)
    docs = retriever.search("How high did the volcano's ash rise?")
    assert docs[0].metadata["article_id"] == "volcano"
    assert docs[0].metadata["article"] > 0  # the article index was rebuilt for the new generation


def test_a_passage_found_by_bm25_alone_carries_its_measured_similarity(seed_store):
    """ "Who is Roger Knapman?" is nearest to passages about other Rogers: the passages BM25 finds for it are not
    among the nearest, and a similarity of 0 for them declined the question. Their similarity is measured."""
    question = "Who is the Russian deputy foreign minister Ryabkov?"
    wide = {str(d.id): d.metadata["dense"] for d in HybridRetriever(store=seed_store).search(question)}
    narrow = HybridRetriever(store=seed_store, fetch_k=1).search(question)  # one passage from the dense side

    assert len(narrow) > 1
    for doc in narrow:
        assert doc.metadata["dense"] > 0.1
        if str(doc.id) in wide:
            assert doc.metadata["dense"] == pytest.approx(wide[str(doc.id)], abs=1e-4)
