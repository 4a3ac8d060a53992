"""The REPL: a conversation on the terminal, or one line in, one line out when stdin is piped."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from bot.answer import Answer, Turn
from bot.core import Answerer
from bot.render import answer_text, citation_line, passage_dicts, passages_text
from retrieval.errors import NewsbotError

logger = logging.getLogger(__name__)

HELP = """Ask a question about the articles; follow-ups ("what did he say then?") use the conversation.
Commands: /sources  the passages behind the last answer
          /reset    forget the conversation
          /help     this text
          /quit     leave (Ctrl-D works too)"""
MAX_HISTORY = 6


@dataclass
class Session:
    """One conversation: the history follow-ups are resolved against, and the last answer's passages."""

    answerer: Answerer
    history: list[Turn] = field(default_factory=list)
    last: Answer | None = None

    def ask(self, question: str) -> Answer:
        """Answer `question` in the context of this conversation."""
        answer = self.answerer.answer(question, self.history)
        self.history = [*self.history, Turn(question, answer)][-MAX_HISTORY:]
        self.last = answer
        return answer

    def stream(self, question: str) -> Iterator[str | Answer]:
        """Like `ask`, yielding the LLM's text as it is written, then the final answer."""
        final: Answer | None = None
        for item in self.answerer.stream(question, self.history):
            if isinstance(item, Answer):
                final = item
            yield item
        if final is not None:
            self.history = [*self.history, Turn(question, final)][-MAX_HISTORY:]
            self.last = final

    def handle(self, line: str) -> dict[str, Any]:
        """Handle one input line (a question or a /command) and return the JSON-contract object for it."""
        line = line.strip()
        if not line:
            return {"error": "empty question: type a question about the articles, or /help"}
        if line.startswith("/"):
            return self._command(line)
        try:
            return self.ask(line).to_dict()
        except NewsbotError as exc:
            return {"question": line, "error": str(exc)}
        except Exception:
            logger.exception("answering failed")
            return {"question": line, "error": "something went wrong answering that; see the log"}

    def _command(self, line: str) -> dict[str, Any]:
        name = line[1:].split()[0].lower() if line[1:].split() else ""
        if name == "sources":
            return {"command": "sources", "passages": passage_dicts(self.last.passages if self.last else [])}
        if name == "reset":
            self.history, self.last = [], None
            return {"command": "reset", "ok": True}
        if name == "help":
            return {"command": "help", "text": HELP}
        if name in ("quit", "exit"):
            return {"command": "quit"}
        return {"command": name, "error": f"unknown command /{name}; try /help"}


def run_piped(session: Session, lines: Iterable[str], out: TextIO, as_json: bool) -> None:
    """Answer one line at a time; with `as_json` exactly one JSON line per input line."""
    for raw in lines:
        result = session.handle(raw)
        if as_json:
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
        else:
            out.write(_plain(result, session) + "\n")
        out.flush()
        if result.get("command") == "quit":
            return


def _plain(result: dict[str, Any], session: Session) -> str:
    if "error" in result:
        return f"error: {result['error']}"
    command = result.get("command")
    if command == "sources":
        return passages_text(session.last.passages if session.last else [])
    if command == "help":
        return HELP
    if command == "reset":
        return "Conversation forgotten."
    if command == "quit":
        return ""
    assert session.last is not None
    return answer_text(session.last)


def run_terminal(session: Session, history_file: Path, as_json: bool, print_fn: Callable[[str], None]) -> None:
    """Interactive loop with line editing and a persistent input history."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    history_file.parent.mkdir(parents=True, exist_ok=True)
    prompt: PromptSession[str] = PromptSession(history=FileHistory(str(history_file)))
    print_fn("newsbot: ask about the articles. /help for commands, /quit to leave.")
    while True:
        try:
            line = prompt.prompt("> ")
        except KeyboardInterrupt:
            continue
        except EOFError:
            return
        if not line.strip():
            continue
        if not as_json and not line.strip().startswith("/") and session.answerer.llm is not None:
            _stream_to_terminal(session, line.strip(), print_fn)
            print_fn("")
            continue
        result = session.handle(line)
        print_fn(json.dumps(result, ensure_ascii=False) if as_json else _plain(result, session))
        if result.get("command") == "quit":
            return
        print_fn("")


def _stream_to_terminal(session: Session, question: str, print_fn: Callable[[str], None]) -> None:
    """Print the model's words as they arrive, then the verified sources (or the fallback answer)."""
    streamed = False
    try:
        for item in session.stream(question):
            if isinstance(item, str):
                sys.stdout.write(item)
                sys.stdout.flush()
                streamed = True
                continue
            if streamed and item.generator == session.answerer.generator_name and not item.abstained:
                print_fn("\n\nSources:\n" + "\n".join(citation_line(c) for c in item.citations))
            else:
                print_fn(("\n\n" if streamed else "") + answer_text(item))
    except NewsbotError as exc:
        print_fn(f"error: {exc}")
    except Exception:
        logger.exception("answering failed")
        print_fn("error: something went wrong answering that; see the log")


def run(session: Session, as_json: bool, history_file: Path) -> None:
    """Terminal or piped, depending on stdin."""
    if sys.stdin.isatty():
        run_terminal(session, history_file, as_json, print)
    else:
        run_piped(session, sys.stdin, sys.stdout, as_json)
