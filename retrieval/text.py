"""Word and sentence level text handling shared by BM25, chunking and answer extraction."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*", re.UNICODE)

# English stop words: the function words BM25 should not score on (a compact version of the usual list).
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "aren't",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "also",
        "s",
        "t",
        "mr",
        "mrs",
        "ms",
        "said",
        "says",
        "say",
        "many",
        "much",
    ]
)

# Irregular forms a Snowball stemmer leaves apart ("met" / "meet"): questions and articles mix tenses.
_IRREGULAR = {
    "met": "meet",
    "sent": "send",
    "held": "hold",
    "told": "tell",
    "made": "make",
    "took": "take",
    "taken": "take",
    "gave": "give",
    "given": "give",
    "went": "go",
    "gone": "go",
    "came": "come",
    "began": "begin",
    "begun": "begin",
    "led": "lead",
    "won": "win",
    "lost": "lose",
    "paid": "pay",
    "sold": "sell",
    "bought": "buy",
    "built": "build",
    "wrote": "write",
    "written": "write",
    "spoke": "speak",
    "spoken": "speak",
    "chose": "choose",
    "chosen": "choose",
    "found": "find",
    "fought": "fight",
    "brought": "bring",
    "thought": "think",
    "became": "become",
    "grew": "grow",
    "grown": "grow",
    "knew": "know",
    "known": "know",
    "saw": "see",
    "seen": "see",
    "left": "leave",
    "felt": "feel",
    "kept": "keep",
    "meant": "mean",
    "ran": "run",
    "rose": "rise",
    "risen": "rise",
    "fell": "fall",
    "fallen": "fall",
    "died": "die",
    "men": "man",
    "women": "woman",
    "children": "child",
    "people": "person",
    "countries": "country",
}

_stemmer = Stemmer.Stemmer("english")
TOKENIZER_VERSION = 2  # bump when `terms` changes: saved BM25 indexes are rebuilt


def normalize(text: str) -> str:
    """Unicode NFKC, unified quotes and dashes, no control characters, collapsed spaces (newlines kept)."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_PUNCT_MAP)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r" *\n *", "\n", text).strip()


_PUNCT_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": " - ",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u200b": "",
        "\ufeff": "",
    }
)


def words(text: str) -> list[str]:
    """The words of `text`, as written (numbers like 100,000 kept whole)."""
    return _WORD.findall(text)


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    if not word.isascii():  # Gospić and Gospic, Céloron and Celoron are one name
        word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return _IRREGULAR.get(word) or _stemmer.stemWord(word)


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words: the unit BM25 and sentence scoring count in."""
    out = []
    for w in words(text.lower()):
        w = w.replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if w in STOPWORDS or (len(w) < 2 and not w.isdigit()):
            continue
        if w[0].isdigit():
            w = w.replace(",", "")
        elif "." in w:  # U.S. -> us
            w = w.replace(".", "")
        out.append(_stem(w))
    return out


@dataclass(frozen=True)
class Span:
    """A sentence and where it stands in its text."""

    start: int
    end: int
    text: str


# Abbreviations that end in a period without ending the sentence.
_ABBREV = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "prof",
        "gen",
        "col",
        "lt",
        "sgt",
        "gov",
        "sen",
        "rep",
        "rev",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
        "approx",
        "est",
        "fig",
        "dept",
        "univ",
    ]
)
_SENT_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+|$)|\n+")


def sentences(text: str) -> list[Span]:
    """Split `text` into sentences, keeping character offsets; abbreviations and initials do not split."""
    spans: list[Span] = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if m.group().startswith("."):
            before = text[start : m.start()].split()
            last = before[-1].lower().rstrip(".") if before else ""
            nxt = text[end : end + 3].lstrip()
            if last in _ABBREV or (len(last) == 1 and last.isalpha()) or (nxt[:1].islower()):
                continue
        _emit(text, start, end, spans)
        start = end
    _emit(text, start, len(text), spans)
    return spans


def _emit(text: str, start: int, end: int, spans: list[Span]) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = start + lead
    spans.append(Span(s, s + len(stripped), stripped))


def iter_shingles(text: str, n: int = 5) -> Iterator[tuple[str, ...]]:
    """Word n-grams of lower-cased words, for near-duplicate detection."""
    ws = [w.lower() for w in words(text)]
    for i in range(max(1, len(ws) - n + 1)):
        yield tuple(ws[i : i + n])
