"""Telegram rendering: valid Telegram HTML, escaped text, safe links, messages within Telegram's limits."""

from __future__ import annotations

import html

from botapi import check_html
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from langchain_core.documents import Document

from bot.answer import Answer, Citation
from bot.telegram.formatting import answer_blocks, pack, passages_blocks


def test_answer_blocks_link_titles_and_escape_article_text():
    citation = Citation(
        n=1, source="a", title="Talks <end> & more", date="2022-01-10", url="https://x.org/a?b=1&c=2", quote="q"
    )
    answer = Answer(question="q", answer="They met <b>briefly</b> [1].", generator="extractive", citations=[citation])
    text = "\n".join(answer_blocks(answer, covers=""))
    assert "They met &lt;b&gt;briefly&lt;/b&gt; [1]." in text
    assert '<a href="https://x.org/a?b=1&amp;c=2">Talks &lt;end&gt; &amp; more</a>' in text
    assert check_html(text) is None


def test_long_text_is_packed_into_messages_under_the_limit():
    blocks = [f"Sentence {i} of a long answer." * 20 for i in range(60)]
    messages = pack(blocks)
    assert len(messages) > 1 and all(len(html.unescape(m)) <= 4096 for m in messages)
    assert "".join(messages).count("Sentence 59") == 20


@hsettings(max_examples=200, deadline=None)
@given(st.text(max_size=6000))
def test_any_text_renders_to_valid_telegram_html_within_limits(text):
    citation = Citation(
        n=1,
        source="id",
        title=text[:200] or "t",
        date="2022-01-01",
        url="https://example.org/?a=1&b=<2>",
        quote=text[:300],
    )
    answer = Answer(question=text, answer=text or "x", generator="extractive", citations=[citation])
    blocks = answer_blocks(answer, covers=text[:100])
    blocks += passages_blocks(
        [Document(page_content=text or "x", metadata={"title": text[:50], "url": "javascript:x"})]
    )
    for message in pack(blocks):
        assert check_html(message) is None, message[:200]
