"""Checks an LLM answer claim by claim against the sources it was given, and cites what supports each one.

A model's `[n]` is a hint, not evidence: small models cite the wrong source, or a source that lacks the number
or the day they state. Each sentence of the answer is a claim; its evidence is the sentence (or two adjacent
sentences) of a source that

- holds every number and every month or weekday the claim states,
- holds the names the claim states somewhere in the same article passage (or its title),
- covers at least `MIN_COVERAGE` of the claim's content words (stemmed, so "met" matches "meeting"), and at
  least `MIN_NEW_COVERAGE` of those the question does not have (what the claim adds: the answer itself), and
- is close in meaning: MiniLM cosine similarity at least `MIN_SIMILARITY` (when an embedder is given).

A claim keeps the citations that have such evidence, is re-attached to the given source that does when the one
it cites does not, and is dropped when no source supports it. A claim holding a link is dropped too: links come
only from the sources' own metadata. Citations quote the evidence, one per article, renumbered in order of use.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from langchain_core.documents import Document

from bot.answer import Citation
from retrieval.dates import MONTH_NAMES, WEEKDAY_NAMES
from retrieval.text import STOPWORDS, sentences, terms, words

Embed = Callable[[list[str]], np.ndarray]

MIN_COVERAGE = 0.5  # share of the claim's content words the evidence holds
MIN_NEW_COVERAGE = 2 / 3  # ... and of those words the question does not have
MIN_SIMILARITY = 0.45  # MiniLM cosine between the claim and its evidence
LEXICAL_ONLY_COVERAGE = 0.75  # without an embedder, only close paraphrases pass

# `[1]`, `[1, 2]`, and the `[Source 1]` small models write
MARKER = re.compile(r"\[(?:sources?\s*)?(\d+(?:\s*,\s*\d+)*)\]", re.I)
_LEADING_MARKERS = re.compile(r"^(\s*,?\s*\[(?:sources?\s*)?\d+(?:\s*,\s*\d+)*\])+", re.I)
_PLACEHOLDER = re.compile(r"\[\s*n\s*\]", re.I)  # the prompt's "[N]" copied as is: a marker naming nothing
_LINK = re.compile(r"\b(?:https?|javascript|data|vbscript|file|ftp|tg|mailto):|\bwww\.", re.I)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CALENDAR = frozenset(MONTH_NAMES + WEEKDAY_NAMES)
_COUNTS = frozenset(
    [
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
        "dozen",
    ]
)


@dataclass
class Claim:
    """One sentence of the model's answer: its text without markers, and the sources it cites (0-based)."""

    text: str
    cited: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Evidence:
    """The span of a source that supports a claim."""

    passage: int
    quote: str
    coverage: float
    similarity: float


def split_claims(text: str, n_sources: int) -> tuple[list[Claim], bool]:
    """The answer's sentences as claims, and whether any marker named a given source.

    A marker written after the full stop ("... Geneva. [1]") belongs to the sentence before it.
    """
    claims: list[Claim] = []
    for span in sentences(text):
        sentence = span.text
        leading = _LEADING_MARKERS.match(sentence)
        if leading and claims:
            claims[-1].cited.extend(_numbers(leading.group(0), n_sources, claims[-1].cited))
            sentence = sentence[leading.end() :]
        plain = _tidy(_PLACEHOLDER.sub("", MARKER.sub("", sentence)))
        if any(ch.isalnum() for ch in plain):
            claims.append(Claim(plain, _numbers(" ".join(MARKER.findall(sentence)), n_sources, [])))
    return claims, any(c.cited for c in claims)


def _numbers(markers: str, n_sources: int, already: list[int]) -> list[int]:
    out: list[int] = []
    for number in (int(n) for n in re.findall(r"\d+", markers)):
        if 1 <= number <= n_sources and number - 1 not in already and number - 1 not in out:
            out.append(number - 1)
    return out


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", text).strip()
    return re.sub(r"[,;:]+(?=[.!?]$)", "", text)  # "border, [2]." loses its marker, then its comma


class ClaimChecker:
    """Finds each claim's evidence in the given passages.

    Args:
        passages: the numbered sources the model was given.
        embed: MiniLM embeddings of texts (normalised rows); None checks on words alone, more strictly.
        question: the question answered: the words a claim adds to it must be in its evidence.
    """

    def __init__(self, passages: Sequence[Document], embed: Embed | None = None, question: str = "") -> None:
        self.passages = list(passages)
        self.embed = embed
        self.question_terms = set(terms(question))
        self._spans = [self._candidates(p.page_content) for p in self.passages]
        self._vocab = [set(terms(f"{p.metadata.get('title', '')} {p.page_content}")) for p in self.passages]

    @staticmethod
    def _candidates(text: str) -> list[str]:
        """Each sentence, and each pair of adjacent sentences (a claim often joins two)."""
        spans = sentences(text)
        single = [" ".join(s.text.split()) for s in spans]
        pairs = [" ".join(text[a.start : b.end].split()) for a, b in itertools.pairwise(spans)]
        return single + pairs

    def evidence(self, claim: str) -> list[Evidence]:
        """The best supporting span of every passage that supports `claim` (none for a claim with a link)."""
        if _LINK.search(claim):
            return []
        claim_terms = set(terms(claim))
        if not claim_terms:
            return []
        facts = _facts(claim)
        names = {t for w in _names(claim) for t in terms(w)}
        new_terms = claim_terms - self.question_terms
        found: list[tuple[int, str, float]] = []
        for index, spans in enumerate(self._spans):
            if not names <= self._vocab[index]:
                continue
            best: tuple[float, str] | None = None
            for span in spans:
                if not facts <= _facts(span):
                    continue
                span_terms = set(terms(span))
                coverage = len(claim_terms & span_terms) / len(claim_terms)
                new = len(new_terms & span_terms) / len(new_terms) if new_terms else 1.0
                if coverage >= MIN_COVERAGE and new >= MIN_NEW_COVERAGE and (best is None or coverage > best[0]):
                    best = (coverage, span)
            if best is not None:
                found.append((index, best[1], best[0]))
        return self._by_meaning(claim, found)

    def _by_meaning(self, claim: str, found: list[tuple[int, str, float]]) -> list[Evidence]:
        if not found:
            return []
        if self.embed is None:
            return [Evidence(i, q, c, 0.0) for i, q, c in found if c >= LEXICAL_ONLY_COVERAGE]
        vectors = self.embed([claim, *(q for _, q, _ in found)])
        similarity = vectors[1:] @ vectors[0]
        return [
            Evidence(i, q, c, float(s)) for (i, q, c), s in zip(found, similarity, strict=True) if s >= MIN_SIMILARITY
        ]


def _facts(text: str) -> set[str]:
    """The numbers ("100,000" as "100000"; "two" as written) and capitalised month and weekday names of `text`."""
    out = {n.replace(",", "") for n in _NUMBER.findall(text)}
    out |= {w.lower() for w in words(text) if w.lower() in _COUNTS}
    out |= {w.lower() for w in words(text) if w[:1].isupper() and w.lower() in _CALENDAR}
    return out


def _names(text: str) -> list[str]:
    """Capitalised words after the first (a name the source must mention); calendar words are facts instead."""
    return [w for w in words(text)[1:] if w[:1].isupper() and w.lower() not in _CALENDAR and w != "I"]


def gives(text: str, kind: str, question: str) -> bool:
    """Whether `text` holds the kind of thing `question` asks for: a number, a date, or a name it does not have."""
    text = MARKER.sub("", text)
    if kind == "number":
        return bool(_facts(text) - _CALENDAR)
    if kind == "date":
        return bool(_facts(text)) or bool(re.search(r"\b(?:yesterday|today|tomorrow|week|month|year)\b", text, re.I))
    if kind == "name":
        asked = {w.lower() for w in words(question)}
        return any(w[:1].isupper() and w.lower() not in asked and w.lower() not in STOPWORDS for w in words(text))
    return True


@dataclass
class Checked:
    """The outcome of checking an answer: the rebuilt text, its citations, and what was dropped."""

    text: str
    citations: list[Citation]
    dropped: list[str]


def check(claims: list[Claim], checker: ClaimChecker) -> Checked:
    """Keep the supported claims with citations of their evidence; drop the rest."""
    kept: list[tuple[str, list[Evidence]]] = []
    dropped: list[str] = []
    for claim in claims:
        found = checker.evidence(claim.text)
        cited = [e for e in found if e.passage in claim.cited]
        if not cited and found:  # re-attached to the source that does support it
            cited = [max(found, key=lambda e: (e.similarity, e.coverage))]
        if cited:
            kept.append((claim.text, cited))
        else:
            dropped.append(claim.text)
    citations: list[Citation] = []
    parts = []
    for text, evidence in kept:
        marks = []
        for item in evidence:
            n = _cite(citations, checker.passages[item.passage], item.quote)
            if f"[{n}]" not in marks:
                marks.append(f"[{n}]")
        parts.append(_with_marks(text, "".join(marks)))
    return Checked(" ".join(parts), citations, dropped)


def _cite(citations: list[Citation], passage: Document, quote: str) -> int:
    """The number of `passage`'s article among `citations` (added if new; `quote` appended if new)."""
    meta = passage.metadata
    source = str(meta.get("article_id"))
    for i, citation in enumerate(citations):
        if citation.source == source:
            if quote not in citation.quote:
                citations[i] = replace(citation, quote=f"{citation.quote} … {quote}")
            return citation.n
    citations.append(Citation.of(len(citations) + 1, meta, quote))
    return len(citations)


def _with_marks(text: str, marks: str) -> str:
    """`text` with its citation markers before the closing full stop (after it when a quotation closes there)."""
    if re.search(r"[.!?][\"')\]]+$", text):
        return f"{text} {marks}"
    match = re.search(r"[.!?]+$", text)
    if match:
        return f"{text[: match.start()].rstrip()} {marks}{text[match.start() :]}"
    return f"{text} {marks}."
