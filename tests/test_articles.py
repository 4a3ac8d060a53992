import json
from pathlib import Path

from retrieval.articles import ArticleIndex, index_dir_for, story_text
from retrieval.ingest import ingest


def test_story_text_counts_the_overlap_of_passages_once():
    text = "First sentence here. Second sentence there. Third one ends it."
    pieces = [(21, text[21:]), (0, text[:43])]  # out of order, overlapping on "Second sentence there."
    assert story_text(pieces) == text
    assert story_text([(0, "Lead."), (10, "Later.")]) == "Lead. Later."  # a gap between passages


def test_ingest_saves_the_article_index_and_it_is_reused_only_for_its_own_generation(make_store, seeds_copy: Path):
    store = make_store()
    ingest([seeds_copy], store)
    generation = store.snapshot().generation
    saved = ArticleIndex.load(index_dir_for(store))
    assert saved is not None and saved.generation == generation  # built at ingest, not at the first question
    built = ArticleIndex.build(store, generation)
    assert len(built.ids) == 5
    assert set(built.article_of) == {chunk for article in store.articles().values() for chunk in article.chunk_ids}
    loaded = ArticleIndex.open(store, generation)
    assert (loaded.ids, loaded.generation, loaded.article_of) == (built.ids, generation, built.article_of)
    assert ArticleIndex.open(store, "another").generation == "another"  # a mismatch rebuilds


def test_whole_story_scores_rank_the_story_about_the_question_first(make_store, seeds_copy: Path):
    store = make_store()
    ingest([seeds_copy], store)
    articles = ArticleIndex.open(store, store.snapshot().generation)
    scores = articles.scores("Which aircraft carrier will take part in the NATO exercise?", k=100)
    assert max(scores, key=lambda a: scores[a]).startswith("004")
    assert max(scores.values()) == 1.0
    assert all(0.0 < s <= 1.0 for s in scores.values())


def test_a_headline_counts_toward_its_story_and_a_missing_one_is_not_made_up(make_store, tmp_path: Path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "sky.txt").write_text("Eclipse darkens Chile\n\nCrowds gathered on the beaches at noon to watch the sky.")
    records = [{"id": "zq7story", "title": None, "text": "Crowds gathered in the square to hear the mayor speak."}]
    (folder / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    store = make_store()
    ingest([folder], store)
    articles = ArticleIndex.open(store, store.snapshot().generation)
    assert set(articles.scores("Where was the eclipse?", k=10)) == {"sky"}
    assert articles.scores("zq7story", k=10) == {}  # the id stands in for the missing headline; it is not text
