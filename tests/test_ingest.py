import json
from pathlib import Path

import pytest
from conftest import open_test_store

from retrieval.embeddings import MiniLMEmbeddings
from retrieval.errors import StoreError
from retrieval.ingest import ingest
from retrieval.retriever import HybridRetriever


def _ids_by_article(store) -> dict[str, set[str]]:
    return {a.id: set(a.chunk_ids) for a in store.articles().values()}


def test_ingest_of_the_seeds_indexes_every_article(make_store, seeds_copy: Path):
    store = make_store()
    report = ingest([seeds_copy], store)
    assert report.ok and (report.files, report.articles) == (5, 5)
    assert report.added == store.count() > 5
    assert len(store.bm25.ids) == store.count()


def test_reingest_of_unchanged_files_adds_no_passages(make_store, seeds_copy: Path):
    store = make_store()
    first = ingest([seeds_copy], store)
    generation = store.generation
    again = ingest([seeds_copy], store)
    assert (again.added, again.removed, again.unchanged) == (0, 0, first.added)
    assert store.generation == generation  # nothing written, BM25 untouched


def test_changed_file_replaces_exactly_its_own_passages(make_store, seeds_copy: Path):
    store = make_store()
    ingest([seeds_copy], store)
    before = _ids_by_article(store)
    path = next(seeds_copy.glob("004_*.txt"))
    path.write_text(path.read_text().replace("about 90 minutes", "about 45 minutes"))
    report = ingest([seeds_copy], store)
    after = _ids_by_article(store)
    changed = "004_104f296de9b5b871"
    assert report.added >= 1 and report.removed == report.added
    assert all(after[a] == before[a] for a in before if a != changed)
    assert after[changed] != before[changed] and len(after[changed]) == len(before[changed])
    hits = HybridRetriever(store=store).invoke("How long did Blinken and Lavrov meet?")
    text = " ".join(d.page_content for d in hits)
    assert "about 45 minutes" in text and "about 90 minutes" not in text


def test_prune_removes_articles_whose_files_are_gone_and_only_with_prune(make_store, seeds_copy: Path):
    store = make_store()
    ingest([seeds_copy], store)
    next(seeds_copy.glob("002_*.txt")).unlink()
    kept = ingest([seeds_copy], store)
    assert kept.removed == 0 and len(store.articles()) == 5
    pruned = ingest([seeds_copy], store, prune=True)
    assert pruned.pruned_articles == 1 and pruned.removed > 0
    assert sorted(store.articles()) == [
        "000_a53a7e963411cd1c",
        "001_adfc22d6dbd34d9a",
        "003_07c348695b8840a3",
        "004_104f296de9b5b871",
    ]
    assert not any(i in store.bm25.ids for i in ["002"]) and len(store.bm25.ids) == store.count()


def test_prune_drops_a_record_removed_from_a_jsonl_file(make_store, tmp_path: Path):
    feed = tmp_path / "feed.jsonl"
    records = [
        {"id": f"r{i}", "title": f"Story {i}", "text": f"Story number {i} is about topic {i}."} for i in range(3)
    ]
    feed.write_text("\n".join(json.dumps(r) for r in records))
    store = make_store()
    ingest([feed], store)
    feed.write_text("\n".join(json.dumps(r) for r in records[:2]))
    ingest([feed], store, prune=True)
    assert sorted(store.articles()) == ["r0", "r1"]


def test_bad_inputs_are_reported_one_line_each_and_the_rest_is_ingested(make_store, seeds_copy: Path):
    (seeds_copy / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (seeds_copy / "empty.md").write_text("")
    (seeds_copy / "feed.jsonl").write_text('{"id": "ok1", "title": "Fine", "text": "A fine story."}\n{broken\n')
    store = make_store()
    report = ingest([seeds_copy, seeds_copy / "vanished.txt"], store)
    assert not report.ok
    assert len(report.errors) == 4
    joined = "\n".join(report.errors)
    for expected in (
        "binary.txt: binary file",
        "empty.md: empty file",
        "feed.jsonl:2: malformed JSON",
        "vanished.txt: file vanished",
    ):
        assert expected in joined
    assert len(store.articles()) == 6  # the five seeds and the good JSONL record


def test_interrupted_ingest_is_completed_by_the_next_run_without_duplicates(make_store, seeds_copy: Path):
    store = make_store()

    def interrupt(done: int, total: int) -> None:
        if done >= 8:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest([seeds_copy], store, progress=interrupt, batch_size=4)
    partial = store.count()
    assert 0 < partial < 20
    assert store.generation.startswith("writing-")
    # A reader in between sees a consistent BM25 index, rebuilt from what the collection holds.
    assert len(store.bm25.ids) == partial
    report = ingest([seeds_copy], store)
    assert report.unchanged == partial and store.count() == report.added + partial
    reference = make_store()
    ingest([seeds_copy], reference)
    assert _ids_by_article(store) == _ids_by_article(reference)
    assert sorted(store.bm25.ids) == sorted(reference.bm25.ids)


def test_same_article_id_from_two_files_is_refused(make_store, tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.txt").write_text("Title A\n\nText of A.")
    (tmp_path / "b" / "story.txt").write_text("Title B\n\nText of B.")
    store = make_store()
    report = ingest([tmp_path], store)
    assert report.errors == [
        f"{tmp_path / 'b' / 'story.txt'}: article id 'story' already comes from {tmp_path / 'a' / 'story.txt'}; skipped"
    ]
    assert [a.title for a in store.articles().values()] == ["Title A"]


def test_a_copy_of_the_same_file_elsewhere_takes_its_articles_over(make_store, tmp_path: Path):
    """The project cloned again in another folder: `make run` ingests its seeds into the same per-user store, and was
    refused ("article id ... already comes from <the first clone>"), stopping `make run`. A byte-for-byte copy is no
    conflict: it takes the articles over. A different file with the same id, in a later run, still is."""
    for folder, text in (("a", "Title A\n\nText of A."), ("b", "Title A\n\nText of A."), ("c", "Title C\n\nText.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(text)
    store = make_store()
    assert ingest([tmp_path / "a"], store).ok
    again = ingest([tmp_path / "b"], store)
    assert again.ok, again.errors
    assert [a.source_path for a in store.articles().values()] == [str(tmp_path / "b" / "story.txt")]
    assert store.count() == 1
    other = ingest([tmp_path / "c"], store)
    assert other.errors == [
        f"{tmp_path / 'c' / 'story.txt'}: article id 'story' already comes from {tmp_path / 'b' / 'story.txt'}; skipped"
    ]


def test_the_same_file_named_from_another_folder_is_the_same_source(make_store, seeds_copy: Path, monkeypatch):
    store = make_store()
    monkeypatch.chdir(seeds_copy.parent)
    first = ingest([Path(seeds_copy.name)], store)
    monkeypatch.chdir(seeds_copy)
    again = ingest([Path("..") / seeds_copy.name, seeds_copy], store)
    assert first.errors == again.errors == [] and first.added > 0
    assert again.added == 0 and again.unchanged == first.added
    assert {a.source_path for a in store.articles().values()} == {str(p) for p in seeds_copy.glob("*.txt")}


def test_store_refuses_a_different_embedding_model(tmp_path: Path, embeddings: MiniLMEmbeddings, seeds_copy: Path):
    ingest([seeds_copy], open_test_store(tmp_path / "s", embeddings))
    with pytest.raises(StoreError, match=r"built with sentence-transformers/all-MiniLM-L6-v2, not .*int8"):
        open_test_store(tmp_path / "s", MiniLMEmbeddings(precision="int8"))
