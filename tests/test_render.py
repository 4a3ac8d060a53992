"""Terminal rendering: nothing an article carries can drive the terminal or become a link that is not http(s)."""

from bot.answer import Answer, Citation
from bot.render import answer_text, citation_line


def hostile_citation(url: str) -> Citation:
    return Citation(
        n=1,
        source="evil",
        title="Title\x1b[2J\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\",
        date=None,
        url=url,
        quote="q",
    )


def test_escape_sequences_in_article_fields_never_reach_the_terminal():
    answer = Answer(
        question="q",
        answer="Text \x1b[31mred\x1b[0m [1]",
        generator="extractive",
        citations=[hostile_citation("https://example.org/\x1b[31m")],
    )
    shown = answer_text(answer)
    assert "\x1b" not in shown and "\x07" not in shown
    assert "Text red [1]" in shown and "[1] Titlelink  https://example.org/" in shown


def test_only_http_links_are_shown_or_returned():
    citation = hostile_citation("javascript:alert(1)")
    assert "javascript" not in citation_line(citation)
    assert citation.to_dict()["url"] is None
    assert hostile_citation("https://example.org/a").to_dict()["url"] == "https://example.org/a"
