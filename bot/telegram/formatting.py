"""Telegram HTML for answers: everything from users and articles escaped, long texts split safely."""

from __future__ import annotations

from html import escape

from langchain_core.documents import Document

from bot.answer import Answer, Citation
from retrieval.text import sentences

MAX_MESSAGE = 4096
_MARGIN = 96  # room for the "(1/2)" style continuation marks and entity expansion


def linked_title(title: str, url: object, date: object = None) -> str:
    """`<a href=url>Title</a>, 2022-01-22`, escaped; a plain title when the URL is missing or not http(s)."""
    html = escape(title)
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        html = f'<a href="{escape(url, quote=True)}">{html}</a>'
    return html + (f", {escape(str(date))}" if date else "")


def citation_html(citation: Citation) -> str:
    """`[1] <a href=url>Title</a>, 2022-01-22`."""
    return f"[{citation.n}] {linked_title(citation.title, citation.url, citation.date)}"


def answer_blocks(answer: Answer, covers: str = "") -> list[str]:
    """The answer as HTML blocks (each valid on its own): the text, then the numbered sources."""
    blocks = []
    if answer.notice:
        blocks.append(f"<i>{escape(answer.notice)}</i>")
    blocks.extend(_text_blocks(answer.answer))
    if answer.abstained and covers and not answer.citations:  # a corrected premise quotes what the articles say
        blocks.append(escape(covers))
    if answer.citations:
        blocks.append("<b>Sources</b>")
        blocks.extend(citation_html(c) for c in answer.citations)
    return blocks


def passages_blocks(passages: list[Document]) -> list[str]:
    """The passages behind an answer, for /sources."""
    if not passages:
        return ["No passages yet: ask me a question first."]
    blocks = []
    for rank, passage in enumerate(passages, start=1):
        meta = passage.metadata
        title = linked_title(str(meta.get("title") or meta.get("article_id")), meta.get("url"), meta.get("date"))
        blocks.append(f"<b>#{rank}</b> {title}")
        blocks.extend(_text_blocks(passage.page_content))
    return blocks


def _text_blocks(text: str) -> list[str]:
    """Escape plain text as blocks no longer than a message, cut at paragraphs, then sentences, then words."""
    out = []
    for paragraph in (p.strip() for p in text.split("\n\n")):
        if not paragraph:
            continue
        if len(escape(paragraph)) <= MAX_MESSAGE - _MARGIN:
            out.append(escape(paragraph))
            continue
        piece = ""
        for span in sentences(paragraph):
            for part in _hard_wrap(span.text):
                candidate = f"{piece} {part}".strip()
                if len(escape(candidate)) > MAX_MESSAGE - _MARGIN:
                    out.append(escape(piece))
                    piece = part
                else:
                    piece = candidate
        if piece:
            out.append(escape(piece))
    return out


def _hard_wrap(text: str, limit: int = (MAX_MESSAGE - _MARGIN) // 6) -> list[str]:
    """A sentence longer than a message (no full stops in 4,000 characters) is cut at spaces, then anywhere."""
    if len(text) <= limit:
        return [text]
    parts, current = [], ""
    for word in text.split(" "):
        while len(word) > limit:
            parts.append(word[:limit])
            word = word[limit:]
        if len(current) + len(word) + 1 > limit:
            parts.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        parts.append(current)
    return [p for p in parts if p]


def pack(blocks: list[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Join blocks into as few messages as fit under `limit`; blocks are never cut, so tags stay balanced."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        joined = f"{current}\n\n{block}" if current else block
        if len(joined) <= limit - _MARGIN:
            current = joined
        else:
            if current:
                messages.append(current)
            current = block
    if current:
        messages.append(current)
    return messages
