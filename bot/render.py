"""Plain-text rendering of answers and passages for the terminal (the REPL and `newsbot ask`)."""

from __future__ import annotations

from langchain_core.documents import Document

from bot.answer import Answer, Citation
from retrieval.text import printable as one_line


def printable(text: object) -> str:
    """`text` safe for a terminal: escape sequences (colours, OSC 8 links) and control characters removed, each
    line on its own (`retrieval.text.printable`, line by line)."""
    return "\n".join(one_line(line) for line in str(text).split("\n"))


def citation_line(citation: Citation) -> str:
    """`[1] Title (2022-01-22) https://...`"""
    date = f" ({citation.date})" if citation.date else ""
    url = f"  {citation.link}" if citation.link else ""
    return printable(f"[{citation.n}] {citation.title}{date}{url}")


def answer_text(answer: Answer) -> str:
    """The answer, then its numbered sources."""
    lines = [printable(answer.answer)]
    if answer.notice:
        lines.insert(0, f"({printable(answer.notice)})")
    if answer.citations:
        lines += ["", "Sources:"] + [citation_line(c) for c in answer.citations]
    return "\n".join(lines)


def passage_dicts(passages: list[Document]) -> list[dict[str, object]]:
    """The passages behind an answer, as JSON-ready dicts."""
    return [
        {
            "rank": i + 1,
            "source": p.metadata.get("article_id"),
            "title": p.metadata.get("title"),
            "date": p.metadata.get("date"),
            "url": p.metadata.get("url"),
            "score": round(float(p.metadata.get("score", 0.0)), 5),
            "also_in": [a.get("article_id") for a in p.metadata.get("also_in", [])],
            "text": p.page_content,
        }
        for i, p in enumerate(passages)
    ]


def p_also(item: dict[str, object]) -> list[object]:
    """The other articles carrying a passage (wire copy)."""
    also = item.get("also_in")
    return list(also) if isinstance(also, list) else []


def passages_text(passages: list[Document]) -> str:
    """The passages behind the last answer, numbered, with their article."""
    if not passages:
        return "No passages yet: ask a question first."
    blocks = []
    for item in passage_dicts(passages):
        head = f"#{item['rank']} {item['title']}" + (f" ({item['date']})" if item["date"] else "")
        also = [str(a) for a in p_also(item)]
        if also:
            head += f"  [also in: {', '.join(also)}]"
        blocks.append(printable(f"{head}\n{item['text']}"))
    return "\n\n".join(blocks)
