import json
from pathlib import Path

from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_EN_PLUS

from retrieval.bm25 import Bm25Index
from retrieval.text import STOPWORDS, terms

TEXTS = [
    "The harbour wall was rebuilt after the storm.",
    "Lighthouse keepers rescued forty sailors from the harbour.",
    "The council voted on the budget for schools.",
]


def _index() -> Bm25Index:
    return Bm25Index.build(["a", "b", "c"], TEXTS, "gen-1")


def test_stop_words_are_bm25s_english_lists_plus_ours():
    assert set(STOPWORDS_EN) <= STOPWORDS
    assert set(STOPWORDS_EN_PLUS) - STOPWORDS == {"won", "don", "ma"}  # content words and names here
    assert {"said", "mr", "also"} <= STOPWORDS


def test_contractions_are_stop_words_but_won_is_the_past_of_win():
    assert terms("She didn't say it; they won't go, it's over") == ["go"]
    assert terms("Who won the vote?") == ["win", "vote"]


def test_search_ranks_the_passage_holding_the_rare_words_first():
    hits = _index().search("Who rescued the sailors?", k=3)
    assert [chunk_id for chunk_id, _ in hits] == ["b"]
    assert _index().search("the of and", k=3) == []


def test_idf_is_higher_for_rarer_terms_and_highest_for_unseen_ones():
    index = _index()
    assert index.idf("harbour") < index.idf("lighthous") < index.idf("zeppelin")
    assert "harbour" in index and "zeppelin" not in index


def test_the_passages_with_a_term_are_read_from_the_index_whole():
    index = _index()
    assert index.passages_with("harbour") == {"a", "b"}
    assert index.passages_with("council") == {"c"}
    assert index.passages_with("zeppelin") == set()
    assert Bm25Index.build([], [], "empty").passages_with("harbour") == set()
    assert index.passages_with_all(["harbour", "council"]) == {"a", "b"} & {"c"}
    assert index.passages_with_all(["harbour"]) == {"a", "b"} and index.passages_with_all([]) == set()


def test_a_saved_index_loads_back_and_one_from_another_tokenizer_is_not_used(tmp_path: Path):
    directory = tmp_path / "bm25"
    _index().save(directory)
    loaded = Bm25Index.load(directory)
    assert loaded is not None and (loaded.ids, loaded.generation) == (["a", "b", "c"], "gen-1")
    assert loaded.search("rescued sailors", k=1)[0][0] == "b"
    state = json.loads((directory / "state.json").read_text())
    (directory / "state.json").write_text(json.dumps({**state, "tokenizer": state["tokenizer"] - 1}))
    assert Bm25Index.load(directory) is None  # the store rebuilds it with today's tokenizer


def test_an_empty_corpus_gives_an_empty_index():
    index = Bm25Index.build([], [], "empty")
    assert index.search("anything", k=5) == [] and "anything" not in index


def test_a_hyphenated_pair_is_found_written_as_one_word_and_one_word_as_a_hyphenated_pair():
    """A reader types "antivirus" or "email" where the story writes "anti-virus" or "e-mail", and the other way
    round: the pair is also indexed and searched as one word (`joined_terms`), not three-part words, numbers
    ("17-year-old") nor "re-" ("re-sign")."""
    from retrieval.text import joined_terms

    assert joined_terms("Anti-virus e-mail, semi-finals, Kilroy-Silk's 17-year-old mother-in-law") == [
        "antivirus",
        "email",
        "semifin",
        "kilroysilk",
    ]
    texts = [
        "Sales of anti-virus software to women rose by 11% a year.",
        "Most people now send email from their phones.",
        "The virus spread through the town, doctors said.",
    ]
    index = Bm25Index.build(["virus", "mail", "flu"], texts, "gen-1")
    assert [chunk_id for chunk_id, _ in index.search("antivirus sales", k=3)][:1] == ["virus"]
    assert [chunk_id for chunk_id, _ in index.search("how many send e-mail", k=3)][:1] == ["mail"]
    assert index.search("antivirus", k=3)[0][0] == "virus"
    assert index.search("e-mail", k=3)[0][0] == "mail"  # the pair searched as one word finds "email"
    assert joined_terms("He will re-sign for Leeds") == []  # not "resign"
