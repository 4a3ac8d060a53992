"""The REPL: a conversation on the terminal, or one line in, one line out when stdin is piped.

It renders what the conversation core returns and never decides how to answer.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from bot.answer import Answer
from bot.conversation import RESET_COMMANDS, Conversation
from bot.question import clean_question
from bot.render import answer_text, passage_dicts, passages_text
from retrieval.errors import NewsbotError

logger = logging.getLogger(__name__)

HELP = """Ask a question about the articles; follow-ups ("what did he say then?") use the conversation,
"tell me more" quotes what was not said yet, "where is that from?" names the sources, and "any news?" or
"any news on football?" gives the newest stories.
Commands: /sources  the passages behind the last answer
          /reset    forget the conversation (/clear and /new too)
          /help     this text
          /quit     leave (Ctrl-D works too)"""
FAILED = "something went wrong answering that; see the log"


class Session:
    """The REPL's side of one conversation: input lines in, JSON-contract objects out.

    Args:
        conversation: the conversation questions go to.
    """

    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation
        self._answered: Answer | None = None  # the answer to the line just handled (chat is not a recorded turn)

    @property
    def last(self) -> Answer | None:
        """The last answer."""
        return self.conversation.last

    def handle(self, line: str) -> dict[str, Any]:
        """Handle one input line (a question or a /command) and return the JSON-contract object for it."""
        line = line.strip()
        if not clean_question(line):
            return {"error": "empty question: type a question about the articles, or /help"}
        if line.startswith("/"):
            return self.command(line)
        try:
            self._answered = self.conversation.ask(line).answer
            return self._answered.to_dict()
        except NewsbotError as exc:
            return {"question": line, "error": str(exc)}
        except Exception:
            logger.exception("answering failed")
            return {"question": line, "error": FAILED}

    def command(self, line: str) -> dict[str, Any]:
        """A /command's JSON object."""
        name = line[1:].split()[0].lower() if line[1:].split() else ""
        if name == "sources":
            return {"command": "sources", "passages": passage_dicts(self.last.passages if self.last else [])}
        if name in RESET_COMMANDS:
            self.conversation.reset()
            return {"command": "reset", "ok": True}
        if name == "help":
            return {"command": "help", "text": HELP}
        if name in ("quit", "exit"):
            return {"command": "quit"}
        return {"command": name, "error": f"unknown command /{name}; try /help"}

    def plain(self, result: dict[str, Any]) -> str:
        """`result` as text for a person."""
        if "error" in result:
            return f"error: {result['error']}"
        command = result.get("command")
        if command == "sources":
            return passages_text(self.last.passages if self.last else [])
        if command == "help":
            return HELP
        if command == "reset":
            return "Conversation forgotten."
        if command == "quit":
            return ""
        assert self._answered is not None
        return answer_text(self._answered)


def run_piped(session: Session, lines: Iterable[str], out: TextIO, as_json: bool) -> None:
    """Answer one line at a time; with `as_json` exactly one JSON line per input line."""
    for raw in lines:
        result = session.handle(raw)
        out.write((json.dumps(result, ensure_ascii=False) if as_json else session.plain(result)) + "\n")
        out.flush()
        if result.get("command") == "quit":
            return


def stream_to_terminal(session: Session, question: str, print_fn: Callable[[str], None]) -> None:
    """Show the model's words as a draft while they arrive, then replace the draft with the checked answer.

    rich's `Live` redraws the draft in place and clears it (`transient`) when the answer is complete, so what
    stays on screen is exactly the checked answer that `--json` would return, never the raw text.
    """
    from rich.console import Console
    from rich.live import Live
    from rich.text import Text

    console = Console()
    try:
        reply = session.conversation.ask(question)
        draft = ""
        with Live(Text(""), console=console, transient=True, refresh_per_second=8) as live:
            for chunk in reply:
                draft += chunk
                live.update(Text(draft + " …", style="dim"))
        print_fn(answer_text(reply.answer))
    except NewsbotError as exc:
        print_fn(f"error: {exc}")
    except Exception:
        logger.exception("answering failed")
        print_fn(f"error: {FAILED}")


def run_terminal(session: Session, history_file: Path, as_json: bool, print_fn: Callable[[str], None]) -> None:
    """Interactive loop with line editing and a persistent input history."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    history_file.parent.mkdir(parents=True, exist_ok=True)
    prompt: PromptSession[str] = PromptSession(history=FileHistory(str(history_file)))
    print_fn("newsbot: ask about the articles. /help for commands, /quit to leave.")
    while True:
        try:
            line = prompt.prompt("> ").strip()
        except KeyboardInterrupt:
            continue
        except EOFError:
            return
        if not line:
            continue
        if not as_json and not line.startswith("/"):
            stream_to_terminal(session, line, print_fn)
            print_fn("")
            continue
        result = session.handle(line)
        print_fn(json.dumps(result, ensure_ascii=False) if as_json else session.plain(result))
        if result.get("command") == "quit":
            return
        print_fn("")


def run(session: Session, as_json: bool, history_file: Path) -> None:
    """Terminal or piped, depending on stdin."""
    if sys.stdin.isatty():
        run_terminal(session, history_file, as_json, print)
    else:
        run_piped(session, sys.stdin, sys.stdout, as_json)
