from conftest import SEEDS

from retrieval.chunking import CHUNK_SIZE, chunk_article
from retrieval.loaders import Article, load_file
from retrieval.text import sentences


def _seed(prefix: str) -> Article:
    return load_file(next(SEEDS.glob(f"{prefix}_*.txt"))).articles[0]


def test_chunks_carry_metadata_and_exact_offsets():
    article = _seed("004")
    docs = chunk_article(article)
    assert len(docs) > 3
    for index, doc in enumerate(docs):
        meta = doc.metadata
        assert article.text[meta["start"] : meta["end"]] == doc.page_content
        assert meta["chunk"] == index
        assert meta["article_id"] == article.id and meta["date"] == "2022-01-22" and meta["url"] == article.url
        assert len(doc.page_content) <= CHUNK_SIZE


def test_chunks_end_on_sentence_boundaries():
    text = " ".join(f"Sentence number {i} talks about the Geneva meeting at length." for i in range(60))
    docs = chunk_article(Article("x", "t", text, "x.txt"))
    assert len(docs) > 2
    assert all(doc.page_content.endswith(".") and doc.page_content[0].isupper() for doc in docs)
    assert "(?<=" not in " ".join(d.page_content for d in docs)


def test_chunk_ids_are_stable_and_change_with_content():
    article = _seed("000")
    first = [d.id for d in chunk_article(article)]
    assert first == [d.id for d in chunk_article(article)]
    edited = Article(article.id, article.title, article.text.replace("Geneva", "Vienna", 1), article.source_path)
    assert [d.id for d in chunk_article(edited)] != first
    retitled = Article(article.id, "Another title", article.text, article.source_path)
    assert not set(first) & {d.id for d in chunk_article(retitled)}


def test_passages_start_where_sentences_start_never_inside_mr_smith():
    names = ["Mr. Smith", "Dr. Jones", "Gen. Ward", "Mrs. Lee", "Sen. Diaz"]
    text = " ".join(f"{names[i % 5]} spoke at length about the harbour budget in meeting {i}." for i in range(80))
    article = Article("x", "t", text, "x.txt")
    starts = {span.start for span in sentences(text)}
    docs = chunk_article(article)
    assert len(docs) > 3
    assert all(doc.metadata["start"] in starts for doc in docs), [d.page_content[:12] for d in docs]
