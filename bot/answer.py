"""The typed result every front end renders: an `Answer` with numbered `Citation`s."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from langchain_core.documents import Document

ABSTAIN_MESSAGE = "The articles I have don't cover that, so I can't answer it."


@dataclass(frozen=True, kw_only=True)
class Citation:
    """Source `n` of an answer: the article it comes from and the sentence quoted."""

    n: int
    source: str
    title: str
    date: str | None
    url: str | None
    quote: str

    @classmethod
    def of(cls, n: int, metadata: dict[str, Any], quote: str) -> Citation:
        """Citation `n` of the article a passage's `metadata` describes, quoting `quote`."""
        source = str(metadata.get("article_id"))
        return cls(
            n=n,
            source=source,
            title=str(metadata.get("title") or source),
            date=metadata.get("date"),
            url=metadata.get("url"),
            quote=quote,
        )

    @property
    def link(self) -> str | None:
        """The article's URL when it is an http(s) link; None otherwise (a store ingested before URLs were checked
        may still hold a `javascript:` one)."""
        return self.url if self.url and self.url.startswith(("http://", "https://")) else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract's citation object."""
        return {
            "n": self.n,
            "source": self.source,
            "title": self.title,
            "date": self.date,
            "url": self.link,
            "quote": self.quote,
        }


@dataclass(kw_only=True)
class Answer:
    """One answer: text with `[n]` markers, the citations they refer to, and the passages behind it."""

    question: str
    answer: str
    abstained: bool = False
    generator: str
    citations: list[Citation] = field(default_factory=list)
    passages: list[Document] = field(default_factory=list)
    notice: str | None = None
    search_query: str | None = None  # the question as resolved against the conversation, when it differs
    carried: str = ""  # the words of earlier turns `search_query` ends with (a follow-up's), not the reader's own
    # quoted from another story than the one the conversation was on, as the closest it comes: the follow-ups after it
    # go on from the turn before ("How long did the match take?" after "What was the score?" of a tennis story)
    off_story: bool = False
    # quoted only what the conversation had quoted already, as the closest it comes: as for `off_story`, the
    # follow-ups after it go on from the turn before ("When is the trial?" after "Have they pleaded guilty?")
    said_before: bool = False
    # declined because the cross-encoder read its sentences as no answer to a follow-up (`_unsure` in
    # bot/extractive.py): as for `off_story`, the follow-ups after it go on from the turn before
    unsure: bool = False

    @classmethod
    def abstention(
        cls, question: str, generator: str, passages: list[Document] | None = None, reason: str = ""
    ) -> Answer:
        """The answer that says the articles don't cover `question`, after `reason` when one is known
        ("None of the articles I found mentions 2010.")."""
        text = f"{reason} {ABSTAIN_MESSAGE}" if reason else ABSTAIN_MESSAGE
        return cls(question=question, answer=text, abstained=True, generator=generator, passages=passages or [])

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: question, answer, abstained, generator, citations (and notice when degraded)."""
        out: dict[str, Any] = {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "generator": self.generator,
            "citations": [c.to_dict() for c in self.citations],
        }
        if self.notice:
            out["notice"] = self.notice
        return out


@dataclass(frozen=True)
class Turn:
    """A question and its answer, as conversation history."""

    question: str
    answer: Answer
