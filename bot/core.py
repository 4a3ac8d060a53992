"""The answering core every front end calls: `Answerer.reply(question, history)` and its async twin.

One answer, in order: the question is cleaned (`bot.question`), a follow-up is resolved against the history,
one BM25 snapshot is taken and handed to retrieval and to sentence scoring, the extractive generator answers or
abstains, and, when an LLM is configured and the passages support an answer, the LLM writes it under one
deadline measured from the question; its citations are checked, and any failure falls back to the quoted answer
with a notice. The result is a `Reply`: iterate it for the text as it is written, read `.answer` at the end.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import string
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from langchain_core.documents import Document

from bot.answer import Answer, Turn
from bot.config import LLMContext
from bot.errors import GeneratorError, ModelFailed, ModelTimeout
from bot.extractive import ASKS_WHATS_NEXT, ExtractiveGenerator, asks_story_figure, asks_what_was_said
from bot.followup import (
    about_last,
    asks_what_was_named,
    carried_context,
    date_answer,
    last_answered,
    last_named,
    left_the_story,
    needs_context,
    refers_back,
    source_answer,
    stays_within,
)
from bot.overview import (
    archive_answer,
    archive_noun,
    asks_about_archive,
    asks_about_link,
    asks_which_articles,
    asks_which_articles_of_them,
    link_answer,
    mentions_answer,
)
from bot.question import clean_question
from bot.roles import asks_who_holds, holder_of, unheld
from bot.timeframe import (
    WIDEN,
    TimeFrame,
    as_of_notice,
    asks_for_news,
    asks_for_news_about,
    asks_only_when,
    by_date,
    dated,
    digest,
    mentions_named_date,
    parse_timeframe,
    topic_digest,
    when_reported,
    writes_named_date,
)
from bot.understanding import Vocabulary, social, understand
from retrieval.bm25 import Bm25Index
from retrieval.errors import StoreError
from retrieval.retriever import HybridRetriever
from retrieval.text import terms

if TYPE_CHECKING:  # importing LangChain's chat-model stack costs ~0.8 s; only LLM users pay it
    from bot.llm import LLMGenerator

logger = logging.getLogger(__name__)

T = TypeVar("T")
RunSync = Callable[..., Awaitable[Any]]  # runs a blocking call: directly, or in a thread pool


# The replies to a message that is only chat (`bot.understanding.social`).
SOCIAL_REPLIES = {
    "greeting": "Hello! Ask me about the news in my articles: I answer from them and show where each answer is from.",
    "thanks": "You're welcome!",
    "bye": "Goodbye!",
    "ack": "Ask me another question about the articles whenever you like.",
    "wordless": "Ask me a question in words about the news in my articles: I answer from them and show where "
    "each answer is from.",
}


# A follow-up held to one story reads at most this many of its passages (a news story runs to about ten; judgement)
STORY_PASSAGES = 20
# "Tell me more" when the conversation has quoted every relevant sentence found.
NOTHING_MORE = "That is all the articles I found say about it. Ask me something else about them."


def _held_to_role(answer: Answer, role: str, of: str) -> Answer:
    """`answer` to "Who is the prime minister of Japan?" where no passage of the archive names the role with what
    it is of: declined, unless a passage of the article it quotes first mentions what it is of (the talk show a
    "Who is the host of Shatner's Raw Nerve?" asks about names its host without the word "host"). Otherwise the
    answer would name another country's prime minister."""
    lead = answer.citations[0].source if answer.citations else None
    wanted = set(terms(of))
    for passage in answer.passages:
        text = f"{passage.metadata.get('title') or ''} {passage.page_content}"
        if str(passage.metadata.get("article_id")) == lead and wanted <= set(terms(text)):
            return answer
    of = string.capwords(of) if of.islower() else of  # "japan" as a name
    reason = f"None of the articles I found names the {role} of {of}."
    return Answer.abstention(answer.question, answer.generator, answer.passages, reason=reason)


@dataclass(frozen=True, kw_only=True)
class Draft:
    """What retrieval and the extractive generator made of a question, before any LLM."""

    question: str
    query: str
    answer: Answer
    context: list[Document] = field(default_factory=list)  # what the LLM reads; the passages when empty
    final: bool = False  # the answer as it stands, not for an LLM to rewrite (the catalogue's counts and dates)
    range_notice: str | None = None  # no article from the time asked about (`by_date`): true of any answer
    today: dt.date | None = None  # what "now" is, for the LLM answer's own `as_of_notice`


HEARD_TURNS = 3  # a follow-up's answer prefers what these last answers did not quote (judgement: a short exchange)


def on_the_story(history: list[Turn]) -> list[Turn]:
    """The turns a follow-up goes on from: not an answer quoted from another story as the closest it comes
    (`Answer.off_story`), whose question the story the conversation was on did not answer, nor one that quoted only
    what the conversation had quoted already (`Answer.said_before`), nor one whose sentences the cross-encoder read
    as no answer (`Answer.unsure`)."""
    return [
        turn for turn in history if not turn.answer.off_story and not turn.answer.said_before and not turn.answer.unsure
    ]


def _of_the_story(question: str, history: list[Turn], articles_with: Callable[[str], set[str]]) -> bool:
    """True for "What's in the archive?" after an answer quoting a story that tells of an archive of its own (a
    memorial's): the reader asks about that one, not about this archive of articles."""
    noun = archive_noun(question)
    if noun is None or not history or asks_about_archive(history[-1].question):  # asked again: still this archive
        return False
    cited = {c.source for c in history[-1].answer.citations}
    return all(articles_with(term) & cited for term in terms(noun))


def _searched_with(question: str, words: str) -> str:
    """`question` searched with `words` (the names a follow-up carries, a role's holder) on its own sentence ("who
    did he shoot Hinckley"), not after its "?", where the next turn would read them as a new sentence's first word,
    not as names."""
    return f"{question.rstrip(' ?!.')} {words}" if words else question


class Answerer:
    """Retrieval plus answer generators, with follow-ups resolved against the conversation.

    The extractive generator always runs: it decides whether the passages support an answer at all (the
    calibrated abstention), and it is the answer whenever no LLM is configured or the LLM fails.

    Args:
        retriever: the hybrid retriever over the store.
        generator: the extractive generator.
        llm: an optional LLM generator that writes the answer instead.
        as_of: the day relative dates in questions ("last week") resolve against; today when None.
    """

    def __init__(
        self,
        retriever: HybridRetriever,
        generator: ExtractiveGenerator,
        llm: LLMGenerator | None = None,
        *,
        as_of: dt.date | None = None,
        llm_context: LLMContext = "passages",
    ) -> None:
        self.retriever = retriever
        self.generator = generator
        self.llm = llm
        self.as_of = as_of
        # What the LLM reads: every retrieved passage whole (the default), or only the extractive ranking's best
        # sentences, grouped by passage (`NEWSBOT_LLM_CONTEXT=sentences`). Measured in docs/llm_speed.md: with
        # the 1.5B model the sentences are 2.4x faster and pass the seed dev set 15/15 against 14/15; the 0.5B
        # model, given them, writes terse answers that fail the claim check more often (8 of 13 shown, not 10).
        self.llm_context = llm_context

    @property
    def generator_name(self) -> str:
        """What answers report as their generator when all goes well."""
        return self.llm.name if self.llm else self.generator.name

    def answer(self, question: str, history: list[Turn] | None = None) -> Answer:
        """The final answer to `question` (see `reply`)."""
        return self.reply(question, history).answer

    def reply(self, question: str, history: list[Turn] | None = None) -> Reply:
        """Answer `question`, reading `history` (oldest first) to resolve follow-ups; blocking, for the REPL/CLI."""
        return Reply(self._events(question, history or [], _call))

    def areply(
        self, question: str, history: list[Turn] | None = None, run_sync: RunSync = asyncio.to_thread
    ) -> AsyncReply:
        """The async twin of `reply`: retrieval runs through `run_sync` (a thread), the LLM on the event loop."""
        return AsyncReply(self._events(question, history or [], run_sync))

    def draft(self, question: str, history: list[Turn], rewritten: str | None = None) -> Draft:
        """Retrieval and the extractive answer, on one BM25 snapshot.

        The snapshot's vocabulary also serves question understanding (framing removed, misspellings corrected:
        `bot/understanding.py`); a follow-up carries the names of the last turn, or uses the LLM's `rewritten`
        question; a time the question names filters by date. Some messages are answered without the sentence
        search: chat ("thanks!": a short reply), requests about the last answer ("Tell me more", "Where from?"), a
        pasted link (the article there), questions about which articles mention something (counted from the
        index), questions about the archive ("What are the articles about?": the catalogue) and requests for the
        news ("Any news?", "What happened yesterday?": the newest leads; "Any news on football?").
        """
        if (kind := social(question)) is not None:  # "thanks!": a reply, not a search on the last turn's subject
            reply = Answer(question=question, answer=SOCIAL_REPLIES[kind], generator=self.generator.name)
            return Draft(question=question, query="", answer=reply)
        index = self.retriever.store.snapshot()
        understood = understand(question, Vocabulary.of(index))
        asked = understood.query
        articles_with = functools.partial(self._articles_with, index=index)
        thread = on_the_story(history)
        carried = carried_context(asked, thread, articles_with)
        query = rewritten or _searched_with(asked, carried)
        today = self.as_of or dt.date.today()
        # "What now?" asks what the story says is to come, not for articles of today
        frame = None if ASKS_WHATS_NEXT.match(asked) else parse_timeframe(asked, today)
        topic = frame.topic(asked) if frame else asked
        if history and (regarding := about_last(understood.text)) is not None:  # "Tell me more", "Where from?"
            last = history[-1].answer
            if regarding == "source":
                return Draft(question=understood.text, query="", answer=source_answer(question, last), final=True)
            if regarding == "date":
                return Draft(question=understood.text, query="", answer=date_answer(question, last), final=True)
            # more of the story the conversation is on: after a turn that quoted another story or nothing new as
            # the closest it comes (`on_the_story`), more of the answer before it, not those sentences again
            more_of = thread or history
            last = more_of[-1].answer
            if not last.abstained and (last.citations or last.search_query):  # a question's answer, or more of it
                return Draft(
                    question=understood.text, query="", answer=self._more(question, more_of, index), final=True
                )
        if (link := asks_about_link(understood.text)) is not None:  # a pasted link: the article there, if indexed
            answer = link_answer(question, link, self.retriever.store, self.generator.name)
            return Draft(question=understood.text, query="", answer=answer, final=True)
        subject = asks_which_articles(topic)
        if subject is None and asks_which_articles_of_them(topic):  # "Which articles mention her?"
            subject = last_named(thread)
        if subject is not None:  # "Which articles mention Zakharova (this week)?"
            about = mentions_answer(question, subject, index, self.retriever.store, self.generator.name, frame)
            if about is not None:
                return Draft(question=understood.text, query=subject, answer=about, final=True)
        if asks_about_archive(asked) and not _of_the_story(asked, thread, articles_with):  # "What's in the archive?"
            about = archive_answer(question, self.retriever.store, self.generator.name)
            return Draft(question=understood.text, query=query, answer=about, final=True)
        # "What happened yesterday?", "Any news?": the newest articles (from then), not a search; "What happened
        # then?" is a follow-up
        general = asks_for_news(topic) if not frame or not frame.ranged else asks_only_when(topic)
        if general and not refers_back(topic):
            news = digest(asked, frame or TimeFrame(), self.retriever.store, self.generator.name)
            if news is not None:
                news.question = question
                return Draft(question=understood.text, query=query, answer=news)
        # "Any news on football?": the newest stories about it, one sentence each, rather than the sentences that
        # best repeat "news" (a range, "news on football this week", stays a dated search)
        subject = asks_for_news_about(asked) if not frame or not frame.ranged else None
        if subject is not None and not refers_back(subject):
            found = self.retriever.search(subject, k=self.retriever.k * WIDEN, index=index)
            if (news := topic_digest(question, subject, found, self.generator.name)) is not None:
                news.search_query = subject  # "Tell me more" goes on with the subject, not with "news"
                return Draft(question=understood.text, query=subject, answer=news)
        holder = None
        if (role := asks_who_holds(asked)) is not None and not carried:  # "Who is the chancellor?"
            surname = holder_of(*role, index, self.retriever.store)
            holder = (role[0], surname) if surname else None
            query = _searched_with(query, surname or "")  # find the passages that name them together
        wide = self.retriever.k * WIDEN if frame else None
        passages = self.retriever.search(frame.topic(query) if frame else query, k=wide, index=index)
        passages, notice = by_date(passages, frame, self.retriever.k)
        if notice and frame is not None and frame.asked_as_words:
            # No article is dated then, so the date is what the question asks about, as its own words: "What was
            # the rate in November?", "Who won the Super Bowl in 2016?", "How many did they make last year?" (a
            # story's sentences say "in November", "last year"); "latest" still asks for the newest, not for the word
            topic = frame.topic(asked, keep_range=True)
            if frame.named_date and not (passages and mentions_named_date(passages[0].page_content, frame)):
                # ... and a date of the calendar is searched for with the rest: "By 2025, 40% of the UK's population
                # ..." of an archive from 2004 ("last year" and "on Monday" are words any story writes), unless the
                # best passage found writes it already ("the 1901 census" of Warsaw: the search is not run twice for
                # most such questions; another story's "in 2005" further down does not stop it)
                again = self.retriever.search(frame.topic(query, keep_range=True), index=index)
                ids = {p.id for p in again}
                passages = (again + [p for p in passages if p.id not in ids])[: max(len(passages), self.retriever.k)]
        elif frame is not None and any(writes_named_date(p.page_content, frame) for p in passages):
            # "Did house prices go up in February?": a passage writing "in February" answers, not one dated then
            # that gives January's figure
            topic = frame.topic(asked, keep_range=True)
        held = stays_within(asked, thread, carried, articles_with)
        if held.story is not None:  # its passages the search did not find again, read from the store
            searched = {p.id for p in passages}
            passages = passages + [p for p in self._story(held.story) if p.id not in searched]
        # A follow-up is answered with what the last answer did not say, if anything new comes close
        # (or by the answers before it: the reader has read them too, "What do critics say?" two questions after the
        # story's lead was quoted)
        hears = bool(carried) and not asks_what_was_named(asked)
        heard = [c.quote for c in thread[-1].answer.citations] if hears else []
        earlier = [c.quote for turn in thread[-HEARD_TURNS:-1] for c in turn.answer.citations] if hears else []
        answer = self.generator.generate(
            topic,
            passages,
            lexicon=index,
            carried=carried,
            asked=asked,
            typed=understood.text,
            holder=holder,
            heard=heard,
            earlier=earlier,
            within=held.articles,
            within_share=held.share,
        )
        if role is not None and not carried and not answer.abstained and unheld(*role, index):
            answer = _held_to_role(answer, *role)
        archive = len(self.retriever.article_index(index).lexical.ids) if thread else 0
        # the answer the conversation is on: the last that quoted its story as the answer, not a decline after it
        # that quoted the same story as the closest it comes ("None of the sentences I found says when."), or a
        # decline or correction from another story (a new subject)
        story = last_answered(thread)
        # (a decline is weighed as the answer it declined to give)
        reason = left_the_story(asked, story, replace(answer, abstained=False), articles_with, archive) if story else ""
        if reason and story is not None:
            # asked for a figure or for what someone said, which the story gives in words the search did not find:
            # "what was the score of the game" of "The match, which Iraq won 2-1, ..."
            in_story = self._from_its_story(topic, story)
            answer, reason = (in_story, "") if in_story is not None else (answer, reason)
        if reason and not answer.abstained:
            # a follow-up answered only from a story about something else: said as the closest another story comes
            closest = f"{reason} The closest another story comes: {answer.answer}"
            answer = replace(answer, answer=closest, abstained=True, off_story=True)
        elif reason:
            # declined, with the sentence of a story about something else as the closest it comes ("How many people
            # got sick?" of a toxic-waste story, with a traveller's "before I got sick"; not a question on a subject
            # of its own, "Is the Nobel prize cash award 5 million dollars?"): the next goes on from the story
            answer = replace(answer, off_story=True)
        answer = dated(answer)
        answer = when_reported(asked, answer)
        answer.question = question
        answer.search_query = query if query != question else None
        answer.carried = carried if answer.search_query and not rewritten else ""
        if notice and not answer.abstained:
            answer.notice = notice
        elif (stale := as_of_notice(asked, answer, today)) is not None:
            answer.notice = stale
        context = []
        if self.llm is not None and self.llm_context == "sentences" and not answer.abstained:
            context = self.generator.best_sentences(topic, passages, lexicon=index, carried=carried)
        return Draft(
            question=understood.text, query=query, answer=answer, context=context, range_notice=notice, today=today
        )

    def _from_its_story(self, question: str, story: Answer) -> Answer | None:
        """For a follow-up asking for a figure of a form of its own or for what someone said, which the search
        answered from another story, the answer from the story the conversation is on (`story`'s first quoted):
        its sentence giving that figure (`figure_in`) or reporting that speech (`said_in`), quoted before or not
        (the search missed it, so its words are not the question's); None when it has none."""
        if not story.citations or not (asks_story_figure(question) or asks_what_was_said(question)):
            return None
        passages = self._story(story.citations[0].source)
        if not passages:
            return None
        return self.generator.figure_in(question, passages) or self.generator.said_in(question, passages)

    def _story(self, article_id: str) -> list[Document]:
        """The passages of the article a follow-up continues, for those the search did not find again (the names it
        carries, "LOS ANGELES", "Michael Jackson", fit other stories as well), with no retrieval score of their own;
        none when the store cannot be read (the answer comes from what was found)."""
        try:
            story = self.retriever.store.passages_of(article_id, STORY_PASSAGES)
        except StoreError as exc:
            logger.warning("could not read the passages of %s: %s", article_id, exc)
            return []
        for passage in story:
            passage.metadata.update({"score": 0.0, "bm25": 0.0, "dense": 0.0, "also_in": []})
        return story

    def _articles_with(self, term: str, index: Bm25Index) -> set[str]:
        """The ids of the articles holding the stemmed `term` (read from the article index of `index`'s generation)."""
        return self.retriever.article_index(index).lexical.passages_with(term)

    def _more(self, question: str, history: list[Turn], index: Bm25Index) -> Answer:
        """More about the last question ("Tell me more"): the best sentences the conversation has not quoted yet.
        The answer keeps the question it continues as its search query, so "What else?" can follow again."""
        last = history[-1]
        query = last.answer.search_query or last.question
        passages = self.retriever.search(query, index=index)
        said = [c.quote for turn in history for c in turn.answer.citations]
        more = self.generator.more(query, passages, lexicon=index, said=said)
        if more is None:
            more = Answer(question=question, answer=NOTHING_MORE, generator=self.generator.name, passages=passages)
        more.question = question
        more.search_query = query
        more.carried = last.answer.carried  # the query it continues ends with them
        return more

    async def _events(self, raw: str, history: list[Turn], run_sync: RunSync) -> AsyncGenerator[str | Answer, None]:
        """The text as the LLM writes it (nothing for extractive answers), then the final `Answer`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (self.llm.timeout_s if self.llm else 0.0)  # one deadline, from the question
        question = clean_question(raw)
        rewritten: str | None = None
        if self.llm and history and needs_context(question) and social(question) is None and not about_last(question):
            try:
                async with asyncio.timeout_at(deadline):
                    rewritten = await self.llm.acondense(question, on_the_story(history))
            except (GeneratorError, TimeoutError) as exc:  # the rule-based resolution still stands
                logger.warning("condensing the follow-up with the LLM failed: %r", exc)
        draft: Draft = await run_sync(self.draft, question, history, rewritten)
        question = draft.question  # as understood: framing and markup gone
        if self.llm is None or draft.answer.abstained or not draft.answer.citations or draft.final:
            yield draft.answer
            return
        parts: list[str] = []
        context = draft.context or draft.answer.passages
        try:
            async for token in _bounded(self.llm.astream_text(question, context), deadline):
                parts.append(token)
                yield token
            # every claim is checked against its source with the extractive generator's MiniLM (off the loop)
            final = await run_sync(self.llm.verify, question, "".join(parts), context, self.generator.embed)
        except GeneratorError as exc:
            logger.warning("LLM %s: %s; answering extractively", self.llm.name, exc)
            final = draft.answer
            failed = f"The language model ({self.llm.name}) {exc.reason}. This answer is quoted instead."
            final.notice = f"{failed} {draft.answer.notice}" if draft.answer.notice else failed
        else:  # the model may quote other articles than the draft: how old they are is said of its own
            if not final.abstained and not final.notice:
                final.notice = draft.range_notice or as_of_notice(question, final, draft.today or dt.date.today())
        final.question = draft.answer.question
        final.search_query = draft.answer.search_query
        final.carried = draft.answer.carried
        yield final


async def _call(func: Callable[..., T], *args: Any) -> T:
    """Run a blocking call in place (the blocking `Reply` owns its event loop)."""
    return func(*args)


_DONE = object()


async def _bounded(stream: AsyncIterator[str], deadline: float) -> AsyncIterator[str]:
    """Items of `stream` until `deadline` (event-loop time); `ModelTimeout` past it.

    The stream is read by its own task under `asyncio.timeout_at`, so the deadline never fires inside the
    consumer's code between two items (a timeout scope must not span a `yield`).
    """
    queue: asyncio.Queue[object] = asyncio.Queue()

    async def pump() -> None:
        try:
            async with asyncio.timeout_at(deadline):
                async for item in stream:
                    queue.put_nowait(item)
        except TimeoutError:
            queue.put_nowait(ModelTimeout("the model did not finish in time"))
        except Exception as exc:  # handed to the consumer
            queue.put_nowait(exc if isinstance(exc, GeneratorError) else ModelFailed(repr(exc)))
        finally:
            queue.put_nowait(_DONE)

    task = asyncio.create_task(pump())
    try:
        while (item := await queue.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield str(item)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)  # the stream's request is closed before we return


_LOOPS = threading.local()


def _thread_loop() -> asyncio.AbstractEventLoop:
    """This thread's event loop for blocking replies, kept for the thread's life.

    Not one loop per reply: model clients keep pooled async connections (langchain-openai caches its httpx
    client), and a connection bound to a closed loop fails the next answer with "Event loop is closed".
    """
    loop: asyncio.AbstractEventLoop | None = getattr(_LOOPS, "loop", None)
    if loop is None or loop.is_closed():
        loop = _LOOPS.loop = asyncio.new_event_loop()
    return loop


class Reply:
    """An answer in the making (simonw/llm's `Response`): iterate for the text as it is written, then `.answer`.

    Extractive answers have no text to stream: iterating yields nothing and `.answer` is ready at once.
    """

    def __init__(self, events: AsyncGenerator[str | Answer, None]) -> None:
        self._events = events
        self._answer: Answer | None = None
        self._callbacks: list[Callable[[Answer], None]] = []

    def on_done(self, callback: Callable[[Answer], None]) -> None:
        """Call `callback(answer)` once the answer is complete."""
        self._callbacks.append(callback)

    def __iter__(self) -> Iterator[str]:
        if self._answer is not None:
            return
        loop = _thread_loop()
        try:
            while True:
                try:
                    item = loop.run_until_complete(anext(self._events))
                except StopAsyncIteration:
                    break
                if isinstance(item, Answer):
                    self._finish(item)
                else:
                    yield item
        finally:
            loop.run_until_complete(self._events.aclose())

    @property
    def answer(self) -> Answer:
        """The final answer (waits for the rest of the text)."""
        for _ in self:
            pass
        assert self._answer is not None, "the answer stream ended without an answer"
        return self._answer

    def _finish(self, answer: Answer) -> None:
        self._answer = answer
        for callback in self._callbacks:
            callback(answer)


class AsyncReply(Reply):
    """The async twin of `Reply`: `async for text in reply`, then `await reply.aanswer()`."""

    def __iter__(self) -> Iterator[str]:
        raise TypeError("an AsyncReply is iterated with `async for`")

    async def __aiter__(self) -> AsyncIterator[str]:
        if self._answer is not None:
            return
        async for item in self._events:
            if isinstance(item, Answer):
                self._finish(item)
            else:
                yield item

    async def aanswer(self) -> Answer:
        """The final answer (waits for the rest of the text)."""
        async for _ in self:
            pass
        assert self._answer is not None, "the answer stream ended without an answer"
        return self._answer
