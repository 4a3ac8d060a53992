"""A BM25 index over the store's passages (bm25s), saved next to the store and rebuilt when it falls behind."""

from __future__ import annotations

import json
import logging
import math
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import bm25s
import numpy as np

from retrieval.text import TOKENIZER_VERSION, joined_terms, terms

logger = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets its own logger to DEBUG on import

_STATE = "state.json"
_NAMES = "names.json"
# A capitalised word after a lower-case word or a comma stands inside a sentence: the writer chose the capital.
_INNER_CAPITAL = re.compile(r"(?<=[a-z0-9,;] )[A-Z][\w'’-]*")
_LOWER_CASE = re.compile(r"(?<![\w'’.-])[a-z][\w'’-]*")


def written_as_names(texts: list[str]) -> frozenset[str]:
    """The stemmed terms that `texts` capitalise inside sentences over twice as often as they write them in lower case.

    Twice, because words such as "minister" or "house" are capitalised in titles but are not names on their own.
    """
    capitalised: dict[str, int] = {}
    lower: dict[str, int] = {}
    for text in texts:
        for word in _INNER_CAPITAL.findall(text):
            capitalised[word] = capitalised.get(word, 0) + 1
        for word in _LOWER_CASE.findall(text):
            lower[word] = lower.get(word, 0) + 1
    by_term: dict[str, int] = {}
    for word, count in capitalised.items():
        for term in terms(word):
            by_term[term] = by_term.get(term, 0) + count
    for word, count in lower.items():
        for term in terms(word):
            if term in by_term:
                by_term[term] -= 2 * count
    return frozenset(term for term, margin in by_term.items() if margin > 0)


def replace_directory(new: Path, directory: Path) -> None:
    """Put the folder `new` in place of `directory` by renames, so a reader sees the old folder or the new one."""
    old = directory.with_name(directory.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if directory.exists():
        directory.rename(old)
    new.rename(directory)
    shutil.rmtree(old, ignore_errors=True)


class Bm25Index:
    """BM25 (Lucene variant) over stemmed content words, keyed by chunk id.

    Args:
        ids: chunk ids, in index order.
        model: the fitted bm25s model.
        generation: the store generation the index was built from (see `NewsStore.generation`).
        names: the terms the corpus writes as names (`written_as_names`), so that a question's case need not.
    """

    def __init__(self, ids: list[str], model: bm25s.BM25, generation: str, names: frozenset[str] = frozenset()) -> None:
        self.ids = ids
        self.model = model
        self.generation = generation
        self.names = names
        self._vocab: dict[str, int] = model.vocab_dict
        indptr = np.asarray(model.scores["indptr"])
        df = np.diff(indptr).astype(np.float64)
        n = max(len(ids), 1)
        self._idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        self._max_idf = math.log(1.0 + (n + 0.5) / 0.5)

    @classmethod
    def build(cls, ids: list[str], texts: list[str], generation: str) -> Bm25Index:
        """Index `texts` (one per id)."""
        model = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
        corpus = [terms(t) + joined_terms(t) or ["\x00empty"] for t in texts]  # bm25s needs a token in every document
        if corpus:
            model.index(corpus, show_progress=False)
        else:  # an empty store: bm25s cannot index nothing, so give it an empty matrix
            model.vocab_dict = {}
            model.scores = {"data": np.zeros(0), "indices": np.zeros(0, int), "indptr": np.zeros(1, int), "num_docs": 0}
            model.nonoccurrence_array = None  # what bm25s' own `index` sets; `save` reads it
        return cls(list(ids), model, generation, written_as_names(texts))

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """The `k` best (chunk id, BM25 score) pairs for `query`, best first; zero scores left out."""
        query_terms = [t for t in terms(query) + joined_terms(query) if t in self._vocab]
        if not query_terms or not self.ids:
            return []
        scores = self.model.get_scores(query_terms)
        k = min(k, len(self.ids))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def idf(self, term: str) -> float:
        """Inverse document frequency of a stemmed term; unseen terms get the highest value."""
        index = self._vocab.get(term)
        return float(self._idf[index]) if index is not None else self._max_idf

    def __contains__(self, term: object) -> bool:
        """True when the stemmed term occurs anywhere in the corpus."""
        return term in self._vocab

    def passages_with(self, term: str) -> set[str]:
        """The ids of every passage the stemmed `term` occurs in (read from the index, not searched for)."""
        index = self._vocab.get(term)
        indptr = np.asarray(self.model.scores["indptr"])
        if index is None or index + 1 >= len(indptr):
            return set()
        rows = np.asarray(self.model.scores["indices"])[indptr[index] : indptr[index + 1]]
        return {self.ids[int(i)] for i in rows if int(i) < len(self.ids)}

    def passages_with_all(self, stems: Iterable[str]) -> set[str]:
        """The ids of every passage holding each of the stemmed terms `stems`; none when there are none."""
        held = [self.passages_with(term) for term in stems]
        return set.intersection(*held) if held else set()

    def document_frequencies(self) -> dict[str, int]:
        """How many passages each stemmed term occurs in (the vocabulary questions are spell-corrected against)."""
        df = np.diff(np.asarray(self.model.scores["indptr"]))
        return {term: int(df[index]) for term, index in self._vocab.items() if index < len(df)}  # bm25s adds ""

    def save(self, directory: Path) -> None:
        """Write the index atomically: a reader sees the old index or the new one, never half of one."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".bm25-", dir=directory.parent))
        try:
            self.model.save(str(tmp), show_progress=False)
            (tmp / "ids.json").write_text(json.dumps(self.ids))
            (tmp / _NAMES).write_text(json.dumps(sorted(self.names)))
            (tmp / _STATE).write_text(
                json.dumps({"generation": self.generation, "count": len(self.ids), "tokenizer": TOKENIZER_VERSION})
            )
            replace_directory(tmp, directory)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> Bm25Index | None:
        """Load a saved index, or None when there is none or it is unreadable (the caller rebuilds it)."""
        if (directory / _STATE).exists() and not (directory / _NAMES).exists():
            return None  # saved before names were recorded: rebuilt, as after a tokenizer change
        try:
            state = json.loads((directory / _STATE).read_text())
            ids = json.loads((directory / "ids.json").read_text())
            names = frozenset(json.loads((directory / _NAMES).read_text()))
            model = bm25s.BM25.load(str(directory), mmap=False)
        except (OSError, ValueError, KeyError) as exc:
            if directory.exists():
                logger.warning("BM25 index at %s unreadable (%s); it will be rebuilt", directory, exc)
            return None
        if len(ids) != state.get("count") or state.get("tokenizer") != TOKENIZER_VERSION:
            return None
        if int(model.scores.get("num_docs", -1)) != len(ids):  # ids and model from different builds
            logger.warning("BM25 index at %s does not match its ids; it will be rebuilt", directory)
            return None
        return cls(ids, model, str(state.get("generation")), names)
