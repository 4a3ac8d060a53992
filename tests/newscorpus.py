"""A small fictional news corpus and retrieved-passage builder shared by the answer-selector tests."""

from __future__ import annotations

from typing import Any

from langchain_core.documents import Document

from retrieval.bm25 import Bm25Index

FIRE = (
    "LONDON, England (CNN) -- A fire in a warehouse in east London killed several people, officials said on "
    "Tuesday. The fire started shortly after 3 a.m. in the basement of the building. Twelve people died in the "
    "fire and four others were taken to hospital. The cause of the fire is under investigation."
)
BRIDGE = (
    "The Brooklyn Bridge opened on May 24, 1883, after fourteen years of construction. It was designed by John "
    "Roebling, who died before the work began. His son Washington Roebling took over the project. At the time it "
    "was the longest suspension bridge in the world."
)
MARKETS = (
    "Stock markets in Asia fell sharply on Monday as investors worried about rising interest rates. The Nikkei "
    "index lost three percent, its worst day since March. Analysts expect the central bank to act next week."
)
CORPUS = [FIRE, BRIDGE, MARKETS]


def passage(text: str, rank: int, dense: float = 0.6) -> Document:
    """A retrieved passage with the metadata the retriever gives it."""
    return Document(
        page_content=text,
        metadata={
            "article_id": f"a{CORPUS.index(text)}",
            "title": "news",
            "start": 0,
            "score": 1.0 - 0.2 * rank,
            "bm25": 5.0 - rank,
            "dense": dense,
            "also_in": [],
        },
    )


def corpus_lexicon() -> Bm25Index:
    """BM25 statistics over the three articles."""
    return Bm25Index.build([f"a{i}" for i in range(len(CORPUS))], CORPUS, "test")


def assert_answers_with_the_number_not_the_lead(generator: Any, lexicon: Bm25Index) -> None:
    """The sentence that holds the number answers "how many", not the lead that restates the question."""
    answer = generator.generate(
        "How many people died in the warehouse fire in London?", [passage(FIRE, 0)], lexicon=lexicon
    )

    assert not answer.abstained
    assert "Twelve people died" in answer.answer
    assert answer.citations[0].source == "a0"


def assert_declines_what_the_passages_do_not_answer(generator: Any, lexicon: Bm25Index) -> None:
    """A question about something none of the passages covers is declined, with no citation."""
    answer = generator.generate(
        "Who won the football World Cup final in South Africa?",
        [passage(MARKETS, 0, dense=0.05), passage(BRIDGE, 1, dense=0.02)],
        lexicon=lexicon,
    )

    assert answer.abstained
    assert answer.citations == []
