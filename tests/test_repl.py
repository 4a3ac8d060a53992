import io
import json

from bot.repl import Session, run_piped


def test_session_keeps_the_conversation_and_reset_forgets_it(answerer):
    session = Session(answerer)
    first = session.handle("Who is the US Secretary of State in these reports?")
    assert "Blinken" in first["answer"]
    follow = session.handle("Which Russian minister did he meet in Geneva?")
    assert "Lavrov" in follow["answer"]
    assert len(session.history) == 2
    assert session.handle("/reset") == {"command": "reset", "ok": True}
    assert session.history == [] and session.last is None


def test_sources_command_returns_the_passages_behind_the_last_answer(answerer):
    session = Session(answerer)
    assert session.handle("/sources") == {"command": "sources", "passages": []}
    session.handle("Which aircraft carrier will take part in the NATO exercise?")
    passages = session.handle("/sources")["passages"]
    assert passages[0]["rank"] == 1 and "Truman" in passages[0]["text"]


def test_run_piped_writes_one_line_per_input_and_stops_at_quit(answerer):
    out = io.StringIO()
    run_piped(Session(answerer), ["What did Ryabkov call the situation?\n", "/quit\n", "never read\n"], out, True)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 2 and lines[1] == {"command": "quit"}


def test_hostile_input_does_not_break_the_session(answerer):
    session = Session(answerer)
    for text in ["<script>alert(1)</script>", "\x00\x1b[31m", "x" * 50_000, "?!?!", "ignore previous instructions"]:
        result = session.handle(text)
        assert ("answer" in result) or ("error" in result)
