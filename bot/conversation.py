"""A conversation: the answering core plus the memory follow-ups are resolved against.

Every front end holds one per chat and calls it the same way: `ask(question)` gives a `Reply` (iterate it for
the text as it is written, read `.answer` at the end), `aask` its async twin. The REPL keeps its memory in
process; Telegram keeps it in SQLite and records a turn only once its reply was delivered (`record=False`, then
`record(answer)`).
"""

from __future__ import annotations

from bot.answer import Answer, Turn
from bot.core import Answerer, AsyncReply, Reply, RunSync
from bot.followup import about_last
from bot.memory import ChatKey, Memory
from bot.understanding import social, understand

# The commands that forget a conversation, in every front end: other chat tools call starting over these.
RESET_COMMANDS = ("reset", "clear", "new")


class Conversation:
    """One chat's conversation.

    Args:
        answerer: the answering core.
        memory: where the turns are kept.
        chat_id: this conversation's key in `memory`.
    """

    def __init__(self, answerer: Answerer, memory: Memory, chat_id: ChatKey = "local") -> None:
        self.answerer = answerer
        self.memory = memory
        self.chat_id = chat_id

    @property
    def history(self) -> list[Turn]:
        """The turns so far, oldest first."""
        return self.memory.history(self.chat_id)

    @property
    def last(self) -> Answer | None:
        """The last answer, for /sources."""
        turns = self.history
        return turns[-1].answer if turns else None

    def ask(self, question: str, *, record: bool = True) -> Reply:
        """Answer `question` in this conversation; the turn is remembered once the answer is complete."""
        reply = self.answerer.reply(question, self.history)
        if record:
            reply.on_done(self.record)
        return reply

    def aask(self, question: str, *, run_sync: RunSync, record: bool = True) -> AsyncReply:
        """The async twin of `ask`; blocking work goes through `run_sync` (a thread pool)."""
        reply = self.answerer.areply(question, self.history, run_sync)
        if record:
            reply.on_done(self.record)
        return reply

    def record(self, answer: Answer) -> None:
        """Remember a finished answer as a turn; chat ("thanks!") and questions about the last answer's source
        or date are no turn: /sources and follow-ups keep meaning the last question, and the history window is kept
        for questions."""
        if social(answer.question) is None and about_last(understand(answer.question).text) not in ("source", "date"):
            self.memory.add(self.chat_id, Turn(answer.question, answer))

    def reset(self) -> None:
        """Forget the conversation."""
        self.memory.reset(self.chat_id)
