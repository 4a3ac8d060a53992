"""bot/overview.py: questions about the archive itself, answered from the catalogue."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import open_test_store

from bot.answer import Turn
from bot.conversation import Conversation
from bot.factory import build_answerer
from bot.memory import InProcessMemory
from bot.overview import asks_about_archive, asks_which_articles
from retrieval.ingest import ingest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def dated_answerer(tmp_path_factory, embeddings):
    store = open_test_store(tmp_path_factory.mktemp("dated"), embeddings)
    assert ingest([DATA / "dated"], store).ok
    return build_answerer(store, as_of=date(2022, 1, 22))


@pytest.mark.parametrize(
    ("question", "about"),
    [
        ("What are the articles about?", True),
        ("How many articles do you have?", True),
        ("what's in your archive", True),
        ("What can I ask you?", True),
        ("help", True),
        ("What can you do?", True),
        ("Who are you?", True),
        ("Who are you talking about?", False),
        ("What are those articles about?", False),  # the last answer's, not the archive
        ("What do you know about the Harbourview bridge?", False),
        ("How many articles do you have about Ukraine?", False),
    ],
)
def test_questions_about_the_archive_are_told_from_questions_about_its_news(question, about):
    assert asks_about_archive(question) is about


def test_a_question_about_the_archive_itself_is_answered_from_the_catalogue(dated_answerer):
    about = dated_answerer.answer("What are the articles about?")
    assert about.answer.startswith(
        "I have 11 articles from 2020-09-01 to 2022-01-21 (1 undated). The newest: on 2022-01-21: A storm"
    )
    assert [c.source for c in about.citations] == ["port-0121", "bridge-0120", "minister-0119"]
    conversation = Conversation(dated_answerer, InProcessMemory())
    conversation.ask("When will the Harbourview bridge reopen?")
    count = conversation.ask("How many articles do you have?").answer  # not a follow-up on the bridge
    assert count.answer.startswith("I have 11 articles")
    assert not dated_answerer.answer("What do you know about the Harbourview bridge?").answer.startswith("I have")


def test_asked_what_it_is_the_bot_says_what_it_does_then_what_it_has(dated_answerer):
    answer = dated_answerer.answer("What can you do?")
    assert answer.answer.startswith(
        "I answer questions about the news articles I have, quoting them with their sources. I have 11 articles"
    )
    assert len(answer.citations) == 3


def test_a_pasted_link_gets_the_indexed_article_there_or_says_it_has_none(answerer):
    link = "https://www.thenorthernecho.co.uk/news/19867393.us-russia-agree-keep-talking-amid-tensions-ukraine/"
    for message in [link, f"What does this say? {link.replace('https://www.', 'http://')}"]:
        answer = answerer.answer(message)
        assert answer.answer.startswith(
            'That is "US and Russia agree to keep talking amid tensions over Ukraine" (2022-01-22): The US and its'
        ), message
        assert [c.source for c in answer.citations] == ["004_104f296de9b5b871"] and not answer.abstained
    unknown = answerer.answer("summarise https://example.org/news/12345678-storm please")
    assert unknown.abstained and unknown.answer.startswith("No article I have indexed comes from that link.")


def test_an_undated_archive_says_so_once_when_asked_what_it_has(tmp_path, embeddings):
    store = open_test_store(tmp_path / "store", embeddings)
    for name, text in [("a", "Harbour notes\n\nThe harbour master retired."), ("b", "Mill notes\n\nThe mill shut.")]:
        (tmp_path / f"{name}.txt").write_text(text)
    assert ingest([tmp_path / "a.txt", tmp_path / "b.txt"], store).ok
    answer = build_answerer(store).answer("How many articles do you have?")
    assert answer.answer == (
        "I have 2 articles. They carry no dates. Some of them: The harbour master retired [1]; The mill shut. [2]"
    )


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Which articles mention Zakharova?", "Zakharova"),
        ("how many stories are about Geneva", "Geneva"),
        ("List the articles on NATO", "NATO"),
        ("Are there any stories about football?", "football"),
        ("What stories did the minister tell?", None),  # a question about the news
        ("Are there reports of casualties in the port?", None),
        ("Which articles do you have?", None),  # the catalogue
        ("Give me the link to the article about the lethal aid shipment", "the lethal aid shipment"),
        ("which story is about Stinger missiles", "Stinger missiles"),
        ("Send me the link", None),  # about the last answer
        ("What report on Ukraine did the UN publish?", None),  # a verb: a question about the news
        ("Which reports on Ukraine were wrong?", None),
    ],
)
def test_a_question_about_which_articles_mention_something_names_it(question, subject):
    assert asks_which_articles(question) == subject


def test_which_articles_mention_a_name_is_counted_from_the_index_and_cited(answerer):
    answer = answerer.answer("Which articles mention Zakharova?")
    assert answer.answer.startswith('1 article mentions Zakharova: "Blinken: The U.S. will continue')
    assert [c.source for c in answer.citations] == ["000_a53a7e963411cd1c"]
    assert "Maria Zakharova said" in answer.citations[0].quote and not answer.abstained
    geneva = answerer.answer("how many articles mention geneva?")  # typed in lower case
    assert geneva.answer.startswith("4 articles mention Geneva: ")
    assert geneva.citations[0].date == "2022-01-22" and all("Geneva" in c.quote for c in geneva.citations)
    none = answerer.answer("Are there any stories about football?")
    assert none.abstained and none.answer.startswith("None of the articles mentions football.")


def test_which_articles_mention_her_means_whom_the_conversation_was_about(answerer):
    conversation = Conversation(answerer, InProcessMemory())
    who = conversation.ask("Who is the spokeswoman of the Russian foreign ministry?").answer
    assert "Maria Zakharova" in who.answer
    her = conversation.ask("Which articles mention her?").answer
    assert her.answer.startswith('1 article mentions Maria Zakharova: "Blinken: The U.S. will continue')
    assert "Lavrov" in conversation.ask("What did Lavrov say?").answer.answer
    him = conversation.ask("Are there any stories about him?").answer
    assert him.answer.startswith("1 article mentions Lavrov: ")
    again = conversation.ask("Which articles mention them?").answer  # the turn before names no one: the one before that
    assert again.answer == him.answer
    alone = Conversation(answerer, InProcessMemory()).ask("Which articles mention her?").answer
    assert not alone.answer.startswith("1 article")  # no one to mean: an ordinary search, not a listing


@pytest.mark.parametrize("question", ["summarise the articles", "What is the most recent article?"])
def test_a_summary_or_the_newest_article_is_asked_of_the_catalogue(question):
    assert asks_about_archive(question)


def test_more_articles_than_are_listed_are_counted_and_undated_ones_are_not_called_newest(tmp_path, embeddings):
    store = open_test_store(tmp_path / "store", embeddings)
    files = []
    for i in range(7):
        (tmp_path / f"h{i}.txt").write_text(f"Harbour note {i}\n\nThe harbour master inspected pier {i} on a calm day.")
        files.append(tmp_path / f"h{i}.txt")
    (tmp_path / "mill.txt").write_text("Mill notes\n\nThe mill shut for the winter.")
    assert ingest([*files, tmp_path / "mill.txt"], store).ok
    answer = build_answerer(store).answer("How many articles mention the harbour master?")
    assert answer.answer.startswith('7 articles mention the harbour master; 5 of them: "Harbour note 0" [1], ')
    assert len(answer.citations) == 5 and all("harbour master" in c.quote for c in answer.citations)


def test_a_story_filed_twice_is_counted_and_listed_once(tmp_path, embeddings):
    store = open_test_store(tmp_path / "store", embeddings)
    story = "Harbour reopens\n\nThe harbour master reopened the pier after the storm."
    (tmp_path / "a.txt").write_text(story)
    (tmp_path / "b.txt").write_text(story + " Boats returned by noon.")  # the same story, filed again with a line more
    assert ingest([tmp_path / "a.txt", tmp_path / "b.txt"], store).ok
    answer = build_answerer(store).answer("Which articles mention the harbour master?")
    assert answer.answer == '1 article mentions the harbour master: "Harbour reopens" [1].'


def test_which_articles_mention_something_then_counts_only_those_from_then(dated_answerer):
    answer = dated_answerer.answer("Which articles mention the Harbourview bridge this week?")  # 17-22 January
    assert answer.answer.startswith('1 article mentions the Harbourview bridge: "Harbourview bridge reopening')
    assert [c.source for c in answer.citations] == ["bridge-0120"]
    every = dated_answerer.answer("Which articles mention the Harbourview bridge?")
    assert [c.source for c in every.citations] == ["bridge-0120", "bridge-0103", "bridge-undated"]
    assert every.answer.startswith("3 articles mention the Harbourview bridge: ")
    none = dated_answerer.answer("Which articles mention the port in 2020?")
    assert none.abstained and none.answer.startswith("None of the articles in 2020 mentions the port.")
    # words that no one passage holds together are left to the usual search, which says what it can
    assert not dated_answerer.answer("Which articles mention the bridge festival host?").answer.startswith("None")


def test_whats_in_the_archive_after_a_story_about_an_archive_asks_about_that_one(make_store, tmp_path):
    """ "Whats in the archive?" after an answer from a story about a memorial's archive asks what that archive holds;
    asked first, or after a story that has no archive, it asks about this archive of articles."""
    from conftest import conversation_store

    answerer = conversation_store(
        make_store,
        tmp_path,
        memorial=(
            "A survivor visits the Virginia Tech memorial archive\n\n"
            "Erin Sheehan survived the shooting at Virginia Tech by playing dead in her German class.\n\n"
            "She visited the Prevail Archive, an office on the edge of campus where mementoes are kept.\n\n"
            "Teddy bears, an American flag and thousands of letters are housed in the archive."
        ),
        harbour=(
            "Harbourview bridge to reopen\n\n"
            "The Harbourview bridge will reopen in March after repairs to its deck, the council said.\n\n"
            "Drivers have used a ferry across the harbour since the bridge closed in the autumn storms."
        ),
    )
    survived = answerer.answer("How did Erin Sheehan survive the shooting?")
    assert survived.citations and survived.citations[0].source == "memorial", survived.answer
    inside = answerer.answer("whats in the archive", [Turn("How did Erin Sheehan survive the shooting?", survived)])
    assert not inside.answer.startswith("I have"), inside.answer
    assert inside.citations and inside.citations[0].source == "memorial", inside.answer
    yours = answerer.answer("whats in your archive", [Turn("How did Erin Sheehan survive the shooting?", survived)])
    assert yours.answer.startswith("I have 2 articles"), yours.answer  # "your archive" is this one
    assert answerer.answer("whats in the archive").answer.startswith("I have 2 articles")
    bridge = answerer.answer("When will the bridge reopen?")
    after = answerer.answer("whats in the archive", [Turn("When will the bridge reopen?", bridge)])
    assert after.answer.startswith("I have 2 articles"), after.answer
