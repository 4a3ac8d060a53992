"""`newsbot eval`: retrieval and answer quality on the seed dev-set format or SQuAD, with latency."""

from __future__ import annotations

import hashlib
import json
import random
import re
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot.answer import Answer, Turn
from bot.core import Answerer
from retrieval.errors import NewsbotError

HIT_KS = (1, 5, 20)
_MARK = re.compile(r"\s*\[\d+\]")


@dataclass
class Item:
    """One question: gold answers (any of each group must appear), gold passages, or an expected abstention."""

    conversation: str
    question: str
    groups: list[list[str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    gold_passage: str | None = None
    abstain: bool = False


@dataclass
class Report:
    """Aggregate metrics; None where the data set does not define them."""

    questions: int = 0
    passed: int = 0
    pass_rate: float | None = None
    containment: float | None = None
    hit_at: dict[str, float] = field(default_factory=dict)
    mrr: float | None = None
    abstention_accuracy: float | None = None
    answered_when_answerable: float | None = None
    abstained_when_unanswerable: float | None = None
    mean_answer_words: float | None = None
    latency_ms_p50: float | None = None
    latency_ms_p95: float | None = None
    failures: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)

    def summary_lines(self) -> list[str]:
        """A short human-readable report."""

        def fmt(value: float | None, digits: int = 3) -> str:
            return "-" if value is None else f"{value:.{digits}f}"

        lines = [
            f"questions            {self.questions}",
            f"passed (dev rule)    {self.passed}  ({fmt(self.pass_rate)})",
        ]
        if self.hit_at:
            hits = "  ".join(f"hit@{k} {v:.3f}" for k, v in self.hit_at.items())
            lines.append(f"retrieval            {hits}  MRR@20 {fmt(self.mrr)}")
        lines += [
            f"containment          {fmt(self.containment)}",
            f"answered/answerable  {fmt(self.answered_when_answerable)}",
            f"abstained/unanswer.  {fmt(self.abstained_when_unanswerable)}",
            f"abstention accuracy  {fmt(self.abstention_accuracy)}",
            f"mean answer words    {fmt(self.mean_answer_words, 1)}",
            f"latency p50 / p95    {fmt(self.latency_ms_p50, 1)} / {fmt(self.latency_ms_p95, 1)} ms",
        ]
        for failure in self.failures[:10]:
            lines.append(f"  FAIL {failure['id']}: {failure['question']} -> {failure['answer'][:100]}")
        return lines


def answer_words(answer: Answer) -> int:
    """Length of the answer text in words, citation markers left out."""
    return len(_MARK.sub("", answer.answer).split())


def load_devset(path: Path) -> list[list[Item]]:
    """The seed dev-set format: one conversation per line, turns asked in order."""
    conversations = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            turns = [
                Item(
                    record["id"],
                    t["q"],
                    [list(g) for g in t.get("all", [])],
                    list(t.get("sources", [])),
                    abstain=bool(t.get("abstain")),
                )
                for t in record["turns"]
            ]
        except (ValueError, KeyError, TypeError) as exc:
            raise NewsbotError(f"{path}:{number}: not a dev-set conversation ({exc})") from exc
        conversations.append(turns)
    return conversations


def squad_records(path: Path) -> Iterator[tuple[dict[str, str], list[Item]]]:
    """SQuAD JSON: (paragraph record for ingest, its questions) per paragraph; ids are `squad-AA-PPP`."""
    for a_index, article in enumerate(json.loads(path.read_text())["data"]):
        title = article["title"].replace("_", " ")
        for p_index, paragraph in enumerate(article["paragraphs"]):
            pid = f"squad-{a_index:02d}-{p_index:03d}"
            items = [
                Item(qa["id"], qa["question"], [sorted({a["text"] for a in qa["answers"]})], [pid], gold_passage=pid)
                for qa in paragraph["qas"]
            ]
            yield {"id": pid, "title": title, "text": paragraph["context"]}, items


def squad_items(path: Path) -> tuple[list[list[Item]], list[dict[str, str]]]:
    """Every SQuAD question as its own conversation, and the paragraph records to index."""
    conversations: list[list[Item]] = []
    records = []
    for record, items in squad_records(path):
        records.append(record)
        conversations.extend([item] for item in items)
    return conversations, records


def squad_store_dir(path: Path) -> Path:
    """Where eval keeps the store it builds for a SQuAD file (reused while the file is unchanged)."""
    from retrieval.embeddings import default_cache_dir

    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return default_cache_dir() / "eval" / f"squad-{digest}"


def is_squad(path: Path) -> bool:
    """True for a SQuAD-format JSON file."""
    if path.suffix.lower() != ".json":
        return False
    with path.open() as handle:
        return '"data"' in handle.read(4096)


def sample(conversations: list[list[Item]], limit: int | None, size: int | None, seed: int) -> list[list[Item]]:
    """`--sample N --seed S` draws N conversations at random; `--limit N` keeps the first N."""
    if size is not None and size < len(conversations):
        conversations = random.Random(seed).sample(conversations, size)
    return conversations[:limit] if limit else conversations


def evaluate(
    answerer: Answerer, conversations: list[list[Item]], progress: Callable[[int], None] | None = None
) -> Report:
    """Ask every conversation in order and score it."""
    report = Report()
    latencies: list[float] = []
    lengths: list[int] = []
    ranks: list[int | None] = []
    contained = answerable = answered = unanswerable = abstained_right = 0
    has_groups = any(item.groups for conv in conversations for item in conv)
    for conversation in conversations:
        history: list[Turn] = []
        for item in conversation:
            started = time.perf_counter()
            answer = answerer.answer(item.question, history)
            latencies.append((time.perf_counter() - started) * 1000)
            history.append(Turn(item.question, answer))
            if item.gold_passage:
                ranks.append(_gold_rank(answerer, item))
            ok = _score(item, answer)
            report.questions += 1
            report.passed += ok
            if item.abstain:
                unanswerable += 1
                abstained_right += answer.abstained
            else:
                answerable += 1
                answered += not answer.abstained
                if not answer.abstained:
                    lengths.append(answer_words(answer))
                contained += _contains(item, answer)
            if not ok and len(report.failures) < 50:
                report.failures.append(
                    {
                        "id": item.conversation,
                        "question": item.question,
                        "answer": answer.answer,
                        "abstained": answer.abstained,
                    }
                )
            if progress:
                progress(1)
    report.pass_rate = report.passed / report.questions if report.questions else None
    report.containment = contained / answerable if answerable and has_groups else None
    report.answered_when_answerable = answered / answerable if answerable else None
    report.abstained_when_unanswerable = abstained_right / unanswerable if unanswerable else None
    report.abstention_accuracy = (answered + abstained_right) / report.questions if report.questions else None
    report.mean_answer_words = statistics.fmean(lengths) if lengths else None
    if latencies:
        ordered = sorted(latencies)
        report.latency_ms_p50 = ordered[len(ordered) // 2]
        report.latency_ms_p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    if ranks:
        report.hit_at = {str(k): sum(1 for r in ranks if r is not None and r <= k) / len(ranks) for k in HIT_KS}
        report.mrr = sum(1 / r for r in ranks if r is not None) / len(ranks)
    return report


def _gold_rank(answerer: Answerer, item: Item) -> int | None:
    """Rank (1-based) of the gold passage's article among the retrieved articles, up to 20."""
    seen: list[str] = []
    for doc in answerer.retriever.search(item.question, k=max(HIT_KS)):
        for article in [doc.metadata.get("article_id"), *(a["article_id"] for a in doc.metadata["also_in"])]:
            if article not in seen:
                seen.append(str(article))
    return seen.index(item.gold_passage) + 1 if item.gold_passage in seen else None


def _contains(item: Item, answer: Answer) -> bool:
    text = answer.answer.lower()
    return not answer.abstained and all(any(s.lower() in text for s in group) for group in item.groups)


def _score(item: Item, answer: Answer) -> bool:
    """The dev-set rule: abstain when expected; else every group matched and a citation from a gold source."""
    if item.abstain:
        return answer.abstained
    cited = any(c.source.startswith(tuple(item.sources)) for c in answer.citations) if item.sources else True
    return _contains(item, answer) and cited
