"""`newsbot eval`: retrieval and answer quality on the seed dev-set format, SQuAD (1.1 and 2.0) or NewsQA.

Question files, told apart by their layout:
- the seed dev-set JSONL (one conversation per line, asked against whatever store is given);
- SQuAD JSON: every paragraph becomes an article of a store built for the file; SQuAD 2.0's `is_impossible`
  questions expect the bot to decline;
- NewsQA in SQuAD layout (`NAME.json`) with its stories beside it (`NAME-articles.jsonl`): the stories are the store,
  and a question's story is the one its article's title names (`./cnn/stories/<id>.story`).

`--phrasing` asks every question as a reader might type it instead (`PHRASINGS`), to show how much the wording moves
the answers.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import statistics
import string
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from bot.answer import Answer, Turn
from bot.core import Answerer
from retrieval.errors import NewsbotError
from retrieval.text import STOPWORDS, words

HIT_KS = (1, 5, 20)
_MARK = re.compile(r"\s*\[\d+\]")
_PUNCTUATION = frozenset(string.punctuation) | frozenset("\u2018\u2019\u201c\u201d\u2013\u2014\u2026")
_ARTICLE = re.compile(r"\b(a|an|the)\b")
ARTICLES_SUFFIX = "-articles.jsonl"  # NewsQA: `NAME.json` holds the questions, `NAME-articles.jsonl` the stories

# How readers really type a question (issue 12); "original" is the file's own wording.
PHRASINGS = ("original", "greeting", "lower", "typo", "quick", "zero-width", "html")
_QUESTION_WORDS = frozenset({"what", "who", "whom", "whose", "when", "where", "which", "why", "how"})


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
class EvalSet:
    """The questions of a file and what to index for them.

    Attributes:
        conversations: the questions, grouped into conversations asked in order.
        records: articles (`{"id", "title", "text"}`) to index, for SQuAD files.
        articles: a JSONL file of articles to index, for NewsQA files.
    """

    conversations: list[list[Item]]
    records: list[dict[str, str]] = field(default_factory=list)
    articles: Path | None = None

    @property
    def builds_store(self) -> bool:
        """True when the file brings its own articles (eval builds and caches a store for them)."""
        return bool(self.records) or self.articles is not None


@dataclass
class Report:
    """Aggregate metrics; None where the data set does not define them."""

    questions: int = 0
    passed: int = 0
    pass_rate: float | None = None
    containment: float | None = None
    containment_exact: float | None = None
    right_source_cited: float | None = None
    hit_at: dict[str, float] = field(default_factory=dict)
    mrr: float | None = None
    abstention_accuracy: float | None = None
    answered_when_answerable: float | None = None
    abstained_when_unanswerable: float | None = None
    correct_behaviour: float | None = None
    mean_answer_words: float | None = None
    latency_ms_p50: float | None = None
    latency_ms_p95: float | None = None
    failures: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)

    def summary_lines(self) -> list[str]:
        """A short human-readable report."""
        lines = [
            f"questions            {self.questions}",
            f"passed (dev rule)    {self.passed}  ({_fmt(self.pass_rate)})",
        ]
        if self.hit_at:
            hits = "  ".join(f"hit@{k} {v:.3f}" for k, v in self.hit_at.items())
            lines.append(f"retrieval            {hits}  MRR@20 {_fmt(self.mrr)}")
        lines += [
            f"containment          {_fmt(self.containment)}  (exact text {_fmt(self.containment_exact)})",
            f"right source cited   {_fmt(self.right_source_cited)}",
            f"answered/answerable  {_fmt(self.answered_when_answerable)}",
            f"abstained/unanswer.  {_fmt(self.abstained_when_unanswerable)}",
            f"correct behaviour    {_fmt(self.correct_behaviour)}",
            f"abstention accuracy  {_fmt(self.abstention_accuracy)}",
            f"mean answer words    {_fmt(self.mean_answer_words, 1)}",
            f"latency p50 / p95    {_fmt(self.latency_ms_p50, 1)} / {_fmt(self.latency_ms_p95, 1)} ms",
        ]
        for failure in self.failures[:10]:
            lines.append(f"  FAIL {failure['id']}: {failure['question']} -> {failure['answer'][:100]}")
        return lines


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def variant_table(reports: dict[str, Report]) -> list[str]:
    """One row per phrasing variant, for `--phrasing all`."""
    columns = ("pass", 6), ("contain", 8), ("cited", 6), ("declined", 8), ("correct", 8), ("words", 6), ("p50 ms", 7)
    rows = [f"{'phrasing':<11} " + " ".join(f"{name:>{width}}" for name, width in columns)]
    for name, r in reports.items():
        rows.append(
            f"{name:<11} {_fmt(r.pass_rate):>6} {_fmt(r.containment):>8} {_fmt(r.right_source_cited):>6} "
            f"{_fmt(r.abstained_when_unanswerable):>8} {_fmt(r.correct_behaviour):>8} "
            f"{_fmt(r.mean_answer_words, 1):>6} {_fmt(r.latency_ms_p50, 1):>7}"
        )
    return rows


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


def _squad_item(qa: dict[str, Any], source: str) -> Item:
    """A SQuAD question; an `is_impossible` one expects a decline, so it has no gold answer or passage."""
    if qa.get("is_impossible"):
        return Item(qa["id"], qa["question"], [], [source], abstain=True)
    return Item(qa["id"], qa["question"], [sorted({a["text"] for a in qa["answers"]})], [source], gold_passage=source)


def squad_records(path: Path) -> Iterator[tuple[dict[str, str], list[Item]]]:
    """SQuAD JSON: (paragraph record for ingest, its questions) per paragraph; ids are `squad-AA-PPP`."""
    for a_index, article in enumerate(_read_json(path)["data"]):
        title = article["title"].replace("_", " ")
        for p_index, paragraph in enumerate(article["paragraphs"]):
            pid = f"squad-{a_index:02d}-{p_index:03d}"
            items = [_squad_item(qa, pid) for qa in paragraph["qas"]]
            yield {"id": pid, "title": title, "text": paragraph["context"]}, items


def squad_items(path: Path) -> tuple[list[list[Item]], list[dict[str, str]]]:
    """Every SQuAD question as its own conversation, and the paragraph records to index."""
    conversations: list[list[Item]] = []
    records = []
    for record, items in squad_records(path):
        records.append(record)
        conversations.extend([item] for item in items)
    return conversations, records


def newsqa_items(path: Path) -> list[list[Item]]:
    """NewsQA questions in SQuAD layout; each article's title names its story (`./cnn/stories/<id>.story`)."""
    conversations: list[list[Item]] = []
    for article in _read_json(path)["data"]:
        story = Path(str(article["title"])).name.removesuffix(".story")
        for paragraph in article["paragraphs"]:
            conversations.extend([_squad_item(qa, story)] for qa in paragraph["qas"])
    return conversations


def articles_beside(path: Path) -> Path | None:
    """The NewsQA stories file that goes with a question file, when there is one."""
    candidate = path.with_name(path.stem + ARTICLES_SUFFIX)
    return candidate if path.suffix.lower() == ".json" and candidate.is_file() else None


def load_questions(path: Path) -> EvalSet:
    """Read any of the supported question files (see the module notes)."""
    if not is_squad(path):
        return EvalSet(load_devset(path))
    try:
        stories = articles_beside(path)
        if stories is not None:
            return EvalSet(newsqa_items(path), articles=stories)
        conversations, records = squad_items(path)
    except (KeyError, TypeError, AttributeError) as exc:
        raise NewsbotError(f"{path}: not a SQuAD-format file ({exc!r} missing or malformed)") from exc
    return EvalSet(conversations, records)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except ValueError as exc:
        raise NewsbotError(f"{path}: not valid JSON ({exc})") from exc


def eval_store_dir(path: Path) -> Path:
    """Where eval keeps the store it builds for a question file (reused while it and its stories are unchanged)."""
    from retrieval.embeddings import default_cache_dir

    digest = hashlib.sha256(path.read_bytes())
    stories = articles_beside(path)
    if stories is not None:
        digest.update(stories.read_bytes())
    kind = "newsqa" if stories is not None else "squad"
    return default_cache_dir() / "eval" / f"{kind}-{digest.hexdigest()[:12]}"


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


def rephrase(question: str, variant: str, seed: int = 0) -> str:
    """`question` as a reader might type it: one of `PHRASINGS`. Deterministic for a given `seed`."""
    body = question.strip()
    if variant == "original":
        return question
    if variant == "greeting":
        return f"Hey bot, {_lower_first(body)} Thanks!"
    if variant == "lower":
        return body.lower().rstrip("?").rstrip()
    if variant == "quick":
        return f"Quick question: {_lower_first(body)}"
    if variant == "html":
        return f"<p><b>{body}</b></p>"
    longest = max(words(body), key=len, default="")
    if len(longest) < 3:
        return body
    at = body.index(longest)
    if variant == "typo":  # two neighbouring letters swapped ("Feburary"), as fast typing does
        rng = random.Random(f"{seed}:{question}")
        swaps = [i for i in range(1, len(longest) - 2) if longest[i] != longest[i + 1]]
        if not swaps:
            return body
        i = rng.choice(swaps)
        typo = longest[:i] + longest[i + 1] + longest[i] + longest[i + 2 :]
        return body[:at] + typo + body[at + len(longest) :]
    if variant == "zero-width":  # some Telegram clients put U+200B inside words
        middle = at + len(longest) // 2
        return body[:middle] + "\u200b" + body[middle:]
    raise NewsbotError(f"unknown phrasing {variant!r}: use one of {', '.join(PHRASINGS)} or all")


def _lower_first(question: str) -> str:
    """'Who headed ...' -> 'who headed ...' once it no longer starts the message; names keep their capital."""
    first = question.split(" ", 1)[0]
    if first.lower() in _QUESTION_WORDS or first.lower() in STOPWORDS:
        return question[:1].lower() + question[1:]
    return question


def rephrased(conversations: list[list[Item]], variant: str, seed: int = 0) -> list[list[Item]]:
    """Every question of `conversations` in the `variant` phrasing (gold answers unchanged)."""
    return [[replace(item, question=rephrase(item.question, variant, seed)) for item in c] for c in conversations]


def evaluate(
    answerer: Answerer,
    conversations: list[list[Item]],
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Ask every conversation in order and score it.

    Args:
        answerer: the bot under test.
        conversations: the questions; each conversation's turns see the earlier ones as history.
        progress: called with 1 after each question.
    """
    report = Report()
    latencies: list[float] = []
    lengths: list[int] = []
    ranks: list[int | None] = []
    contained = exact = answerable = answered = unanswerable = abstained_right = cited = with_sources = 0
    has_groups = any(item.groups for conv in conversations for item in conv)
    for conversation in conversations:
        history: list[Turn] = []
        for item in conversation:
            started = time.perf_counter()
            question = item.question
            answer = answerer.answer(question, history)
            latencies.append((time.perf_counter() - started) * 1000)
            history.append(Turn(question, answer))
            if item.gold_passage:
                ranks.append(_gold_rank(answerer, item.gold_passage, question))
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
                contained += contains(item, answer)
                exact += contains(item, answer, exact=True)
                if item.sources:
                    with_sources += 1
                    cited += _cites(item, answer)
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
    report.containment_exact = exact / answerable if answerable and has_groups else None
    report.right_source_cited = cited / with_sources if with_sources else None
    report.answered_when_answerable = answered / answerable if answerable else None
    report.abstained_when_unanswerable = abstained_right / unanswerable if unanswerable else None
    report.abstention_accuracy = (answered + abstained_right) / report.questions if report.questions else None
    if has_groups and report.questions:  # SQuAD 2.0's "right behaviour": the span when there is one, else decline
        report.correct_behaviour = (contained + abstained_right) / report.questions
    report.mean_answer_words = statistics.fmean(lengths) if lengths else None
    if len(latencies) > 1:
        cuts = statistics.quantiles(latencies, n=20, method="inclusive")
        report.latency_ms_p50, report.latency_ms_p95 = statistics.median(latencies), cuts[18]
    elif latencies:
        report.latency_ms_p50 = report.latency_ms_p95 = latencies[0]
    if ranks:
        report.hit_at = {str(k): sum(1 for r in ranks if r is not None and r <= k) / len(ranks) for k in HIT_KS}
        report.mrr = sum(1 / r for r in ranks if r is not None) / len(ranks)
    return report


def _gold_rank(answerer: Answerer, gold: str, question: str) -> int | None:
    """Rank (1-based) of the gold passage's article among the retrieved articles, up to 20."""
    seen: list[str] = []
    for doc in answerer.retriever.search(question, k=max(HIT_KS)):
        for article in [doc.metadata.get("article_id"), *(a["article_id"] for a in doc.metadata["also_in"])]:
            if article not in seen:
                seen.append(str(article))
    return seen.index(gold) + 1 if gold in seen else None


def normalize(text: str) -> str:
    """SQuAD's answer normalisation (its official `evaluate-v1.1.py`): lower case, no punctuation, no articles,
    single spaces. Containment stays a substring test, as the seed dev set's rule is ("weapon" in "weapons")."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLE.sub(" ", text).split())


def contains(item: Item, answer: Answer, *, exact: bool = False) -> bool:
    """Every gold group has a span in the answer: compared as SQuAD normalises answers (crowd spans such as
    NewsQA's carry stray punctuation: "F/A-18." or "Red Mass,"), or as the exact text when `exact`."""
    if answer.abstained:
        return False
    text = _MARK.sub("", answer.answer)
    if exact:
        return all(any(s.lower() in text.lower() for s in group) for group in item.groups)
    said = normalize(text)
    return all(any(_normalized_span(s) in said for s in group) for group in item.groups)


def _normalized_span(span: str) -> str:
    """A gold span as `normalize` gives it, or as written when nothing is left ("the", "!")."""
    normal = normalize(span)
    return normal or span.lower()


def _cites(item: Item, answer: Answer) -> bool:
    """True when a citation's source is (or, for the seed articles' numbered files, starts with) a gold source."""
    return any(c.source.startswith(tuple(item.sources)) for c in answer.citations)


def _score(item: Item, answer: Answer) -> bool:
    """The dev-set rule (`../shared/eval`): abstain when expected; else every group matched as written
    (case-insensitive) and a citation from a gold source."""
    if item.abstain:
        return answer.abstained
    return contains(item, answer, exact=True) and (_cites(item, answer) if item.sources else True)
