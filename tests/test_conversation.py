"""The conversation core: one Reply for every front end, history through a pluggable memory, one clean-up."""

from __future__ import annotations

import asyncio

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from bot.conversation import Conversation
from bot.factory import build_answerer
from bot.llm import LLMGenerator
from bot.memory import InProcessMemory
from bot.question import MAX_QUESTION_CHARS, clean_question

QUESTION = "How long did Blinken and Lavrov meet in Geneva?"


def test_clean_question_removes_format_characters_inside_words_and_collapses_space():
    assert (
        clean_question("How long did Bli\u200bnken and La\ufeffvrov\u200d meet?")
        == "How long did Blinken and Lavrov meet?"
    )
    assert clean_question("  two\n\tlines \x1b[31m red\x07 ") == "two lines [31m red"
    assert clean_question("\x00\u200b \n") == ""
    assert len(clean_question("word " * 1000)) == MAX_QUESTION_CHARS - 1  # capped, then the cut space trimmed
    # cut at a space: the last word is whole ("Mourinho", not "Mo", which would be a name no article mentions)
    assert clean_question("What did Mourinho say? " * 50).split()[-1] in {"What", "did", "Mourinho", "say?"}


def test_a_zero_width_character_inside_a_word_changes_nothing(answerer):
    plain = answerer.answer(QUESTION)
    spiked = answerer.answer(QUESTION.replace("Lavrov", "Lav\u200brov"))
    assert spiked.answer == plain.answer and spiked.question == QUESTION


def test_extractive_reply_streams_nothing_and_has_its_answer(answerer):
    reply = answerer.reply(QUESTION)
    assert list(reply) == []
    assert "90 minutes" in reply.answer.answer and reply.answer.generator == "extractive"


def test_conversation_records_the_turn_once_the_answer_is_complete(answerer):
    conversation = Conversation(answerer, InProcessMemory())
    reply = conversation.ask("Who is the US Secretary of State in these reports?")
    assert conversation.history == []  # nothing recorded before the answer exists
    assert "Blinken" in reply.answer.answer
    assert [t.question for t in conversation.history] == ["Who is the US Secretary of State in these reports?"]
    follow = conversation.ask("Which Russian minister did he meet in Geneva?").answer
    assert "Lavrov" in follow.answer and conversation.last is follow


def test_unrecorded_reply_is_remembered_only_when_the_front_end_says_so(answerer):
    conversation = Conversation(answerer, InProcessMemory(), chat_id=7)
    answer = conversation.ask(QUESTION, record=False).answer
    assert conversation.history == []
    conversation.record(answer)
    assert conversation.last is answer
    assert Conversation(answerer, conversation.memory, chat_id=8).history == []  # chats are separate


def test_async_reply_streams_the_llm_text_then_the_checked_answer(seed_store):
    model = GenericFakeChatModel(messages=iter([AIMessage("They met for about 90 minutes [2].")]))
    answerer = build_answerer(seed_store, LLMGenerator(model, "fake:model"))
    conversation = Conversation(answerer, InProcessMemory())

    async def run():
        reply = conversation.aask(QUESTION, run_sync=asyncio.to_thread)
        chunks = [chunk async for chunk in reply]
        return chunks, await reply.aanswer()

    chunks, answer = asyncio.run(run())
    assert "".join(chunks) == "They met for about 90 minutes [2]."  # the raw draft, as the model wrote it
    assert answer.answer == "They met for about 90 minutes [1]."  # checked and renumbered
    assert answer.generator == "fake:model" and conversation.last is answer


def test_framing_and_a_typo_do_not_change_the_answer(answerer):
    plain = answerer.answer(QUESTION)
    for variant in [
        "Hey bot, how long did Blinken and Lavrov meet in Geneva? Thanks!",
        "How long did Blinken and Lavorv meet in Geneva?",
        "how long did blinken and lavrov meet in geneva",
        "Quick question: <b>how long</b> did Blinken and Lavrov meet in Geneva?",
    ]:
        answer = answerer.answer(variant)
        assert not answer.abstained and answer.answer == plain.answer, variant
        assert answer.question == variant  # the question as asked, for the JSON contract


def test_chat_between_questions_gets_a_short_reply_and_the_follow_up_still_finds_its_subject(answerer):
    conversation = Conversation(answerer, InProcessMemory())
    assert "Blinken" in conversation.ask("Who is the US Secretary of State in these reports?").answer.answer
    for message, reply in [("Thanks!", "You're welcome!"), ("ok", "Ask me another question"), ("?", "Ask me a")]:
        answer = conversation.ask(message).answer
        assert answer.answer.startswith(reply) and answer.citations == [] and not answer.abstained, message
    assert "Blinken" in conversation.last.answer  # chat is no turn: /sources still shows the question's passages
    assert len(conversation.history) == 1
    follow = conversation.ask("Which Russian minister did he meet in Geneva?").answer
    assert "Lavrov" in follow.answer  # "he" is still Blinken: the chat carried no subject
    hello = answerer.answer("Hi!")
    assert hello.answer.startswith("Hello!") and hello.citations == [] and hello.to_dict()["question"] == "Hi!"


def test_tell_me_more_quotes_what_was_not_said_yet_and_where_from_names_the_articles(answerer):
    conversation = Conversation(answerer, InProcessMemory())
    first = conversation.ask("How long did Blinken and Lavrov meet?").answer
    assert "90 minutes" in first.answer
    said = [first.answer]
    for message in ["Tell me more", "What else?", "Hey bot, anything else? Thanks"]:
        more = conversation.ask(message).answer
        quotes = [part for c in more.citations for part in c.quote.split(" … ")]
        assert quotes and not more.abstained, message
        assert not any(q in earlier for q in quotes for earlier in said), message  # nothing said twice
        assert all(c.source.startswith("004_") for c in more.citations), message  # still the meeting's story
        said.append(more.answer)
    history = len(conversation.history)
    source = conversation.ask("Where did you read that?").answer
    assert (
        source.answer
        == 'That came from "US and Russia agree to keep talking amid tensions over Ukraine" (2022-01-22) [1].'
    )
    assert source.citations[0].url.startswith("https://www.thenorthernecho.co.uk/")
    published = conversation.ask("When was that published?").answer
    assert published.answer.endswith("is dated 2022-01-22 [1].")
    assert conversation.ask("Please, where did you read that?").answer.answer == source.answer
    assert len(conversation.history) == history  # asking about the answer is no turn: /sources is unchanged


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("Tell me more", "more"),
        ("and?", "more"),
        ("Anything else?", "more"),
        ("source?", "source"),
        ("Where did you read that?", "source"),
        ("Can I have the link please?", "source"),
        ("Which article is that from?", "source"),
        ("When was it published?", "date"),
        ("How old is this article?", "date"),
        ("How old is it?", None),  # the event's age, not the article's
        ("What day was it?", None),
        ("What else did Blinken say?", None),  # questions of their own
        ("Tell me more about the talks in Geneva", None),
        ("Which article mentions NATO?", None),
        ("Where did they meet?", None),
    ],
)
def test_a_message_about_the_last_answer_is_told_from_a_question(message, kind):
    from bot.followup import about_last

    assert about_last(message) == kind
