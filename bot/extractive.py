"""The default answer generator: picks the sentences that answer the question, offline and deterministic.

Each sentence of the retrieved passages is scored on how much of the question's weight (IDF of its content
words) it covers, with its neighbours' coverage (answers often name the subject one sentence earlier), whether
it holds the kind of thing asked for (a number for "how many", a name for "who"), and the rank of its passage.
The answer is the best sentence, plus the runner-up when it scores close. It abstains when the best sentence
covers too little of the question: the threshold was calibrated on SQuAD questions asked against the right
and the wrong articles (docs/evaluation.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from langchain_core.documents import Document

from bot.answer import ABSTAIN_MESSAGE, Answer, Citation
from retrieval.text import Span, sentences, terms, words

GENERATOR = "extractive"

# Calibrated on SQuAD dev (articles split in halves: tuned on one, reported on the other) and the seed dev set.
ABSTAIN_BELOW = 0.42
SECOND_SENTENCE_RATIO = 0.88
MAX_ANSWER_WORDS = 70
NEIGHBOUR_WEIGHT = 0.3
TYPE_BONUS = 0.12
RANK_WEIGHT = 0.1
CARRIED_WEIGHT = 0.5  # terms carried over from earlier turns count half

_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                     r"fifty|hundred|thousand|million|billion|dozen|half)\b", re.I)
_DATE = re.compile(r"\b(?:1[5-9]\d\d|20\d\d|january|february|march|april|may|june|july|august|september|october|"
                   r"november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|century|"
                   r"yesterday|today|week|month|year)\b", re.I)


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved passage and its score."""

    span: Span
    passage: Document
    passage_rank: int
    score: float
    coverage: float


def expected_type(question: str) -> str | None:
    """What kind of answer the question asks for: 'number', 'date', 'name', or None."""
    q = question.lower()
    if re.search(r"\bhow (many|much|long|old|far|large|big|high|tall|often)\b|\bwhat (percentage|number|amount)", q):
        return "number"
    if re.search(r"\bwhen\b|\bwhat (year|date|day|month|time|century|decade)\b|\bwhich (year|date|day|month)\b", q):
        return "date"
    if re.search(r"\bwho(m|se)?\b|\bwhich (person|minister|official|leader|president|company|team|country)\b", q):
        return "name"
    return None


def _has_type(text: str, kind: str | None, question_words: set[str]) -> bool:
    if kind == "number":
        return bool(_NUMBER.search(text))
    if kind == "date":
        return bool(_DATE.search(text))
    if kind == "name":
        names = [w for w in words(text)[1:] if w[:1].isupper() and w.lower() not in question_words]
        return bool(names)
    return False


class ExtractiveGenerator:
    """Answers with sentences quoted from the passages.

    Args:
        idf: inverse document frequency of a stemmed term (from the BM25 index).
        abstain_below: the least coverage of the question an answer must have.
    """

    name = GENERATOR

    def __init__(self, idf: Callable[[str], float], abstain_below: float = ABSTAIN_BELOW) -> None:
        self.idf = idf
        self.abstain_below = abstain_below

    def rank(self, question: str, passages: list[Document], carried: str = "") -> list[Candidate]:
        """Every sentence of `passages`, best first; `carried` holds context words from earlier turns."""
        weights: dict[str, float] = {}
        for term in terms(carried):
            weights[term] = self.idf(term) * CARRIED_WEIGHT
        for term in terms(question):
            weights[term] = self.idf(term)
        total = sum(weights.values()) or 1.0
        kind = expected_type(question)
        question_words = {w.lower() for w in words(question + " " + carried)}
        top_score = max((float(p.metadata.get("score", 0.0)) for p in passages), default=0.0) or 1.0
        seen: set[tuple[str, int]] = set()
        out: list[Candidate] = []
        for rank, passage in enumerate(passages):
            spans = sentences(passage.page_content)
            sets = [set(terms(s.text)) for s in spans]
            prior = float(passage.metadata.get("score", 0.0)) / top_score
            offset = int(passage.metadata.get("start", 0))
            for i, span in enumerate(spans):
                key = (str(passage.metadata.get("article_id")), offset + span.start)
                if key in seen:
                    continue
                seen.add(key)
                own = sets[i]
                coverage = sum(w for t, w in weights.items() if t in own) / total
                around = (sets[i - 1] if i else set()) | (sets[i + 1] if i + 1 < len(sets) else set())
                extra = sum(w for t, w in weights.items() if t in around and t not in own) / total
                novel = bool(own - weights.keys())
                score = coverage + NEIGHBOUR_WEIGHT * extra + RANK_WEIGHT * prior
                if kind and _has_type(span.text, kind, question_words):
                    score += TYPE_BONUS
                if not novel:
                    score *= 0.5  # restates the question, answers nothing
                out.append(Candidate(span, passage, rank, score, coverage + NEIGHBOUR_WEIGHT * extra))
        out.sort(key=lambda c: (-c.score, c.passage_rank, c.span.start))
        return out

    def generate(self, question: str, passages: list[Document], carried: str = "") -> Answer:
        """The answer to `question` from `passages`, or an abstention when they do not support one."""
        ranked = self.rank(question, passages, carried)
        if not ranked or ranked[0].coverage < self.abstain_below:
            return Answer(question, ABSTAIN_MESSAGE, True, GENERATOR, [], passages)
        chosen = [ranked[0]]
        if len(ranked) > 1:
            second = ranked[1]
            n_words = len(ranked[0].span.text.split()) + len(second.span.text.split())
            if second.score >= SECOND_SENTENCE_RATIO * ranked[0].score and n_words <= MAX_ANSWER_WORDS:
                chosen.append(second)
        # Keep the article's own order when both sentences come from one passage.
        chosen.sort(key=lambda c: (c.passage_rank, c.span.start))
        return self._compose(question, chosen, passages)

    @staticmethod
    def _compose(question: str, chosen: list[Candidate], passages: list[Document]) -> Answer:
        citations: list[Citation] = []
        parts = []
        for candidate in chosen:
            meta = candidate.passage.metadata
            carriers = [meta, *meta.get("also_in", [])]
            marks = []
            for carrier in carriers:
                existing = next((c for c in citations if c.source == carrier.get("article_id")
                                 and c.quote == candidate.span.text), None)
                if existing is None:
                    existing = Citation(
                        n=len(citations) + 1, source=str(carrier.get("article_id")),
                        title=str(carrier.get("title") or carrier.get("article_id")),
                        date=carrier.get("date"), url=carrier.get("url"), quote=candidate.span.text,
                    )
                    citations.append(existing)
                marks.append(f"[{existing.n}]")
            parts.append(f"{candidate.span.text} {''.join(marks)}")
        return Answer(question, " ".join(parts), False, GENERATOR, citations, passages)
