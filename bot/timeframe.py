"""Time in questions and answers: "last week", "in 2005", "on January 10", "latest" -> dates, newest reporting first.

`parse_timeframe` reads the time a question names, relative to today or to `--as-of` (`NEWSBOT_AS_OF`).
`by_date` then restricts the retrieved passages to that range (when any fall in it) or, for "latest",
"recently", "now", lifts the newest of the relevant ones; undated articles never count as new. `dated` rewrites
an answer that quotes articles of different dates newest first, each quote with its date:
"As of 2022-01-22: ... [1]; on 2022-01-10: ... [2]".

Hand-written rules rather than a date-parsing library: dateparser and its kin turn any number or month name in a
question into a date ("the 2005 election", "May he ..."), while only a few phrasings name a time to filter by.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from langchain_core.documents import Document

from bot.answer import Answer, Citation
from retrieval.catalog import list_articles
from retrieval.dates import MONTHS, WEEKDAY_NAMES
from retrieval.store import NewsStore
from retrieval.text import sentences, terms

DIGEST_ARTICLES = 3  # "What happened yesterday?": the lead sentence of this many articles from then, newest first
WIDEN = 4  # a question that names a time searches this many times more passages, so the range still has some
RELEVANT_WITHIN = 0.75  # "latest": only passages scoring this share of the best compete on recency
MAX_YEARS_BACK = 30  # "on January 10" with no article from the last one: the latest earlier year that has one
RECENCY_WEIGHT = 0.35  # "latest": the newest relevant passage gains this much (in units of the best score)
STALE_AFTER = timedelta(days=2)  # a question about now answered from reporting older than this says how old
NEWER_WITHIN = 0.5  # ... and names a newer article it does not quote scoring this share of the best (judgement)

_MONTHS = MONTHS  # month names and abbreviations -> 1..12: the one list, in retrieval/dates.py
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"  # "2 mayors" is no date
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAYS = {name: i for i, name in enumerate(WEEKDAY_NAMES)}
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10, "a": 1, "few": 3}
_PREPOSITIONS = "on|in|during|since|before|after|until|from|by|of|at|as of|the"
_NEWEST = re.compile(
    r"\b(latest|most recent(?:ly)?|newest|recent(?:ly)?|lately|now|right now|currently|nowadays|"
    r"at the moment|these days|so far|to date|up to date|still|anymore|yet)\b",
    re.IGNORECASE,
)

# Questions about the present or the future ("Is he still ...?", "the weather tomorrow", "next week"): an archive
# answers them only as of its newest reporting. Not a time to filter by: "next week" stays a search word.
_NOW_OR_LATER = re.compile(
    _NEWEST.pattern + r"|\b(today|tonight|tomorrow|this (?:week|weekend|month|year)|next (?:week|weekend|month|year)|"
    r"upcoming|coming (?:days|weeks|months))\b",
    re.IGNORECASE,
)


_NAMED_DATE = re.compile(rf"(?<!\d)\d{{4}}(?!\d)|\b(?:{'|'.join(MONTHS)})\b", re.IGNORECASE)  # a year or a month
# a time a story writes of its own day: "last year", "on Monday", "yesterday" (not "3 days ago", "the past week")
_STORY_TIME = re.compile(
    r"(?:yesterday|today|tonight|this (?:morning|afternoon|evening|week|month|year)|last (?:week|month|year)"
    rf"|(?:on|last) (?:{'|'.join(WEEKDAY_NAMES)}))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TimeFrame:
    """A time a question names: a date range (either end open) and/or a wish for the newest reporting.

    Attributes:
        start: the first day in range, or None.
        end: the last day in range, or None.
        newest: the question asks for the latest ("latest", "recently", "now").
        phrase: the words that named the range, for messages.
        words: every phrase that named a time (range and "latest"), as the question wrote them.
        yearless: the range came from a date without a year ("on January 10"): the latest one before today is
            meant, or, when no article is from then, the latest earlier year that has one.
    """

    start: date | None = None
    end: date | None = None
    newest: bool = False
    phrase: str = ""
    words: tuple[str, ...] = ()
    yearless: bool = False

    @property
    def ranged(self) -> bool:
        """True when the frame has a start or an end."""
        return self.start is not None or self.end is not None

    @property
    def named_date(self) -> bool:
        """True when a date of the calendar named the range ("in November", "in 2004", "on January 10"), not a time
        counted from today ("last week", "3 days ago", "the past 24 hours")."""
        return self.yearless or bool(_NAMED_DATE.search(self.phrase))

    @property
    def asked_as_words(self) -> bool:
        """True when, no article being dated in the range, the words that named it are what the question asks about:
        a date of the calendar ("What was the rate in November?"), or a time a story writes of its own day ("How many
        did they make last year?", "What was it trading at on Monday?" of an archive from other years); not a time
        counted from today ("3 days ago", "the past 24 hours")."""
        return self.named_date or bool(_STORY_TIME.fullmatch(self.phrase))

    def contains(self, day: date) -> bool:
        """True when `day` falls in the range."""
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def topic(self, question: str, *, keep_range: bool = False) -> str:
        """`question` without the words that named the time (and their preposition): what is asked about.

        The date is matched against the articles' publication dates, not their words; left in, "January" or
        "last week" would count as question words the passages lack. With `keep_range`, the words that named the
        range stay ("What was the rate in November?" of articles none of which is from then) and only "latest" and
        the like go.
        """
        for phrase in self.words:
            if keep_range and phrase == self.phrase:
                continue
            question = re.sub(rf"(?:\b(?:{_PREPOSITIONS})\s+)?{re.escape(phrase)}", " ", question, flags=re.IGNORECASE)
        return " ".join(question.split()).replace(" ?", "?").replace(" ,", ",")

    def describe(self) -> str:
        """The range in words: "2022-01-10", "2022-01-03 to 2022-01-09", "since 2022-01-01"."""
        if self.start and self.end:
            return str(self.start) if self.start == self.end else f"{self.start} to {self.end}"
        if self.start:
            return f"since {self.start}"
        return f"until {self.end}" if self.end else "any time"


def parse_date(value: object) -> date | None:
    """A stored `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`) date as a `date` (its first day), or None."""
    text = str(value or "").strip()
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text[:10]) if text else None
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
    except ValueError:
        return None


def _last(day: date, today: date) -> date:
    """`day` moved back a year when it lies after `today` ("on December 30", asked in January)."""
    return day.replace(year=day.year - 1) if day > today else day


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _named_day(text: str, today: date) -> TimeFrame | None:
    """A calendar date: 2022-01-10, January 10(, 2022), 10 January (2022); "since"/"before" open the range."""
    patterns = (
        r"\b(?P<iso>(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d))\b",
        rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?",
        rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?",
    )
    for pattern in patterns:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            groups = match.groupdict()
            try:
                if groups.get("iso"):
                    day = date(int(groups["y"]), int(groups["m"]), int(groups["d"]))
                else:
                    month = _MONTHS[groups["month"].lower().rstrip(".")]
                    year = int(groups["year"]) if groups.get("year") else today.year
                    day = date(year, month, int(groups["day"]))
                    day = day if groups.get("year") else _last(day, today)
            except (ValueError, KeyError):
                continue
            yearless = not groups.get("iso") and not groups.get("year")
            return _opened(text, match.start(), day, day, match.group(0), yearless=yearless)
    return None


def _opened(text: str, at: int, start: date, end: date, phrase: str, *, yearless: bool = False) -> TimeFrame:
    """The range [start, end], opened by a "since"/"after"/"before"/"until"/"as of" right before the phrase."""
    before = text[:at].rstrip().lower()
    if before.endswith(("since", "after", "from")):
        return TimeFrame(start=start if not before.endswith("after") else end + timedelta(days=1), phrase=phrase)
    if before.endswith(("before", "until", "till", "by", "as of")):
        return TimeFrame(end=end if not before.endswith("before") else start - timedelta(days=1), phrase=phrase)
    return TimeFrame(start=start, end=end, phrase=phrase, yearless=yearless)


def _named_month_or_year(text: str, today: date) -> TimeFrame | None:
    """ "in January 2022", "in January", "in 2005", "during 2021", "since 2020"."""
    match = re.search(
        rf"\b(?P<part>start|beginning|early|first days|middle|mid|end|late)(?:\s+of)?\s+{_MONTH}\b", text, re.IGNORECASE
    )
    if match:
        month = _MONTHS[match["month"].lower().rstrip(".")]
        start, end = _month_range(today.year if month <= today.month else today.year - 1, month)
        part = match["part"].lower()
        if part in ("middle", "mid"):
            start, end = start.replace(day=11), start.replace(day=20)
        elif part in ("end", "late"):
            start = start.replace(day=21)
        else:
            end = start.replace(day=10)
        return TimeFrame(start=start, end=end, phrase=match.group(0), yearless=True)
    match = re.search(rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b", text, re.IGNORECASE)
    if match:
        start, end = _month_range(int(match["year"]), _MONTHS[match["month"].lower().rstrip(".")])
        return _opened(text, match.start(), start, end, match.group(0))
    match = re.search(
        rf"\b(?:in|during|since|before|after|until|by)\s+(?:early\s+|late\s+)?{_MONTH}\b(?!\s+\d)", text, re.IGNORECASE
    )
    if match and match["month"].lower() not in ("may", "march", "mar"):  # "may" and "march" are verbs too
        month = _MONTHS[match["month"].lower().rstrip(".")]
        year = today.year if month <= today.month else today.year - 1
        start, end = _month_range(year, month)
        return _opened(text, match.start("month"), start, end, match.group(0), yearless=True)
    match = re.search(rf"\b(?:in|during|since|before|after|until|of|by)\s+{_YEAR}\b", text, re.IGNORECASE)
    if match:
        year = int(match["year"])
        return _opened(text, match.start("year"), date(year, 1, 1), date(year, 12, 31), match.group(0))
    return None


def _relative(text: str, today: date) -> TimeFrame | None:
    """today, yesterday, this/last week, month or year, the past N days, N days ago, on Monday."""
    lower = text.lower()
    monday = today - timedelta(days=today.weekday())
    simple = {
        r"\bday before yesterday\b": (today - timedelta(days=2), today - timedelta(days=2)),
        r"\byesterday\b": (today - timedelta(days=1), today - timedelta(days=1)),
        r"\b(today|tonight|this morning|this afternoon|this evening)\b": (today, today),
        r"\bthis week\b": (monday, today),
        r"\blast week\b": (monday - timedelta(days=7), monday - timedelta(days=1)),
        r"\b(past|last) (seven|7|few) days\b|\bpast week\b": (today - timedelta(days=7), today),
        r"\b(past|last) 24 hours\b": (today - timedelta(days=1), today),
        r"\bpast month\b": (today - timedelta(days=30), today),
        r"\bpast year\b": (today - timedelta(days=365), today),
        r"\bthis month\b": (today.replace(day=1), today),
        r"\blast month\b": _month_range(*(lambda d: (d.year, d.month))(today.replace(day=1) - timedelta(days=1))),
        r"\bthis year\b": (date(today.year, 1, 1), today),
        r"\blast year\b": (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    }
    for pattern, (start, end) in simple.items():
        match = re.search(pattern, lower)
        if match:
            return TimeFrame(start=start, end=end, phrase=match.group(0))
    number = r"(?P<n>\d+|" + "|".join(_NUMBERS) + r")"
    match = re.search(rf"\b(?:past|last)\s+{number}\s+(?P<unit>day|week|month)s?\b", lower)
    if match:
        return TimeFrame(start=today - _span(match["n"], match["unit"]), end=today, phrase=match.group(0))
    match = re.search(rf"\b{number}\s+(?P<unit>day|week|month)s?\s+ago\b", lower)
    if match:
        day = today - _span(match["n"], match["unit"])
        slack = timedelta(days={"day": 0, "week": 3, "month": 15}[match["unit"]])
        return TimeFrame(start=day - slack, end=min(day + slack, today), phrase=match.group(0))
    match = re.search(r"\b(?:on|last)\s+(?P<wd>" + "|".join(_WEEKDAYS) + r")\b", lower)
    if match:
        back = (today.weekday() - _WEEKDAYS[match["wd"]]) % 7 or 7
        day = today - timedelta(days=back)
        return TimeFrame(start=day, end=day, phrase=match.group(0))
    return None


def _span(n: str, unit: str) -> timedelta:
    count = int(n) if n.isdigit() else _NUMBERS[n]
    return timedelta(days=count * {"day": 1, "week": 7, "month": 30}[unit])


def parse_timeframe(question: str, today: date) -> TimeFrame | None:
    """The time `question` names, resolved against `today` (the real one, or `--as-of`); None when it names none."""
    frame = _named_day(question, today) or _relative(question, today) or _named_month_or_year(question, today)
    newest = _NEWEST.search(question)
    if frame is None:
        return TimeFrame(newest=True, phrase=newest.group(0), words=(newest.group(0),)) if newest else None
    if frame.end is None or frame.end > today:  # nothing is published after today
        frame = replace(frame, end=today if frame.start is None or frame.start <= today else frame.end)
    words = (frame.phrase, newest.group(0)) if newest else (frame.phrase,)
    return replace(frame, newest=bool(newest), words=words)


# -- passages ---------------------------------------------------------------------------------------------


def by_date(passages: list[Document], frame: TimeFrame | None, k: int) -> tuple[list[Document], str | None]:
    """The passages to answer from, given the time the question names, and a notice when none fit it.

    A range keeps only the passages dated in it, then, in the places left of the `k`, those that write the month or
    year it was named by (`writes_named_date`: the report of March giving February's figure). When none is dated in
    it, all of them are kept, with a notice saying so; the month or year named is then the question's own word, and
    the passages writing it beyond the first `k` are read too, up to `k` more (the search left it out: "Prices of
    homes ... rose 0.5% in February" of an archive without dates). "Latest" lifts the newest of the passages that
    score close to the best and puts undated ones below the oldest dated one: they never count as new. The passages'
    `score` is updated, so the answer's sentence scoring sees the same order.
    """
    if frame is None or not passages:
        return passages[:k], None
    notice = None
    if frame.ranged:
        inside = _inside(passages, frame)
        if inside:
            kept = {id(p) for p in inside}  # by identity: comparing Documents compares their whole text
            passages = inside + [p for p in passages if id(p) not in kept and writes_named_date(p.page_content, frame)]
        else:
            notice = f"No article is dated {frame.describe()}; this answer quotes articles from other dates."
            writing = [p for p in passages[k:] if writes_named_date(p.page_content, frame)]
            passages = passages[:k] + writing[:k]
            k = len(passages)
    if frame.newest:
        passages = _newest_first(passages)
    return passages[:k], notice


def writes_named_date(text: str, frame: TimeFrame) -> bool:
    """True when `text` writes the month and year, as news writes them, that named `frame`, a closed range ("in
    February", "in May 2004", "in 2019"): a report that gives a figure for February ("Prices ... rose 0.5% in
    February"), published in March. Not the verb "may", not a day ("on January 10"), nor a time counted from
    today, "on Monday", "after 2019"."""
    if _DAY_NAMED.search(frame.phrase) or _OPEN_RANGE.search(frame.phrase):
        return False
    return mentions_named_date(text, frame)


def mentions_named_date(text: str, frame: TimeFrame) -> bool:
    """True when `text` writes every year and month the question named `frame` by, whatever the words around them:
    "By 2025, 40% of ..." for "by 2025", "on March 3" for "in March"."""
    named = [m.group(0) for m in _NAMED_DATE.finditer(frame.phrase)] if frame.named_date else []
    return bool(named) and all(re.search(rf"\b{re.escape(n.title())}\b", text) for n in named)


_OPEN_RANGE = re.compile(r"\b(?:after|before|since|until|till|from|by)\b", re.I)  # "after 2019": not 2019 itself
_DAY_NAMED = re.compile(r"(?<![\d-])\d{1,2}(?!\d)")  # "January 10", "10/01": a day, which a month alone does not say


def _inside(passages: list[Document], frame: TimeFrame) -> list[Document]:
    """The passages dated in `frame`; for a date without a year, in the latest year back that has any."""
    for years in range(MAX_YEARS_BACK + 1 if frame.yearless else 1):
        shifted = _years_back(frame, years)
        inside = [p for p in passages if (d := parse_date(p.metadata.get("date"))) and shifted and shifted.contains(d)]
        if inside:
            return inside
    return []


def _years_back(frame: TimeFrame, years: int) -> TimeFrame | None:
    """`frame` moved `years` back; None when a day does not exist then (February 29)."""
    if not years:
        return frame
    try:
        start = frame.start and frame.start.replace(year=frame.start.year - years)
        end = frame.end and frame.end.replace(year=frame.end.year - years)
    except ValueError:
        return None
    return replace(frame, start=start, end=end)


def _newest_first(passages: list[Document]) -> list[Document]:
    """Relevant passages re-scored with a recency bonus; the rest keep their order below them."""
    best = max(float(p.metadata.get("score", 0.0)) for p in passages) or 1.0
    relevant = [p for p in passages if float(p.metadata.get("score", 0.0)) >= RELEVANT_WITHIN * best]
    days = [d for p in relevant if (d := parse_date(p.metadata.get("date")))]
    if len(set(days)) < 2:
        return passages
    oldest, newest = min(days), max(days)
    rescored = []
    for p in relevant:
        day = parse_date(p.metadata.get("date"))
        recency = (day - oldest).days / (newest - oldest).days if day else -1.0  # undated: older than the oldest
        score = float(p.metadata.get("score", 0.0)) + RECENCY_WEIGHT * best * recency
        rescored.append(Document(page_content=p.page_content, metadata={**p.metadata, "score": score}, id=p.id))
    rescored.sort(key=lambda p: -float(p.metadata["score"]))
    kept = {p.id for p in relevant}
    return rescored + [p for p in passages if p.id not in kept]


# -- answers ----------------------------------------------------------------------------------------------

_PART = re.compile(r"(?P<text>.+?)\s*(?P<marks>(?:\[\d+\])+)(?=\s|$)", re.DOTALL)


def dated(answer: Answer) -> Answer:
    """`answer` with its quotes newest first, each dated, when it quotes articles of different dates.

    "As of 2022-01-22: ... [1]; on 2022-01-10: ... [2]": the newest statement leads, older ones follow with their
    date; citations are renumbered in order of appearance. An answer from one date (or undated) is unchanged.
    """
    if answer.abstained or len(answer.citations) < 2:
        return answer
    by_n = {c.n: c for c in answer.citations}
    matches = list(_PART.finditer(answer.answer))
    if not matches or _PART.sub("", answer.answer).strip():
        return answer  # not the plain "sentence [n] sentence [m]" shape (an LLM's prose): leave it
    parts = [(m["text"].strip(), [int(n) for n in re.findall(r"\d+", m["marks"])]) for m in matches]

    def newest(numbers: list[int]) -> date | None:
        days = [d for n in numbers if n in by_n and (d := parse_date(by_n[n].date))]
        return max(days) if days else None

    days = [newest(ns) for _, ns in parts]
    if len({d for d in days if d}) < 2:
        return answer
    order = sorted(range(len(parts)), key=lambda i: (days[i] is None, -(days[i] or date.min).toordinal(), i))
    renumber: dict[int, int] = {}
    for i in order:
        for n in parts[i][1]:
            renumber.setdefault(n, len(renumber) + 1)
    for n in by_n:
        renumber.setdefault(n, len(renumber) + 1)
    pieces = []
    for rank, i in enumerate(order):
        text, numbers = parts[i]
        marks = "".join(f"[{renumber[n]}]" for n in numbers)
        when = days[i]
        lead = ("As of " if rank == 0 else "on ") + str(when) + ": " if when else ("" if rank == 0 else "undated: ")
        pieces.append(f"{lead}{text.rstrip('.;')} {marks}" if rank < len(order) - 1 else f"{lead}{text} {marks}")
    citations: list[Citation] = sorted((replace(c, n=renumber[c.n]) for c in answer.citations), key=lambda c: c.n)
    return replace(answer, answer="; ".join(pieces), citations=citations)


# "When did it open?", "And what time do they kick off?"
ASKS_WHEN = re.compile(r"^\s*(?:(?:and|so|but)\s+)?(?:when|what (?:time|day|date)|which day)\b", re.I)
# A sentence that dates what it says: a year, a numeric date or a month with its day or year ("May" and "March"
# alone are words too). "Yesterday" or "on Friday" need the article's date to be placed.
_MONTH_NAMED = "(?:" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + r")\.?"
_DATED = re.compile(
    rf"(?<![\d,.])(?:19|20)\d\d(?![\d,])|\b\d{{1,2}}/\d{{1,2}}\b"
    rf"|\b{_MONTH_NAMED} \d{{1,2}}\b|\b\d{{1,2}} {_MONTH_NAMED}"
)


def when_reported(question: str, answer: Answer) -> Answer:
    """For a question asking when, an answer whose quotes give no day or year ("met for about 90 minutes in
    Geneva [1]", "Late on Friday, ... [1]") ends with the date of the article it quotes first, weekday too, so
    that "Friday" can be placed: "Article [1] is dated Saturday, 22 January 2022." Any other answer is unchanged."""
    if answer.abstained or not answer.citations or not ASKS_WHEN.search(question):
        return answer
    if any(_DATED.search(c.quote) for c in answer.citations):
        return answer
    first = answer.citations[0]
    day = parse_date(first.date)
    if day is None or len(str(first.date)) < 10 or str(first.date) in answer.answer:  # no weekday, or said (`dated`)
        return answer
    when = f"{day:%A}, {day.day} {day:%B %Y}"
    return replace(answer, answer=f"{answer.answer} Article [{first.n}] is dated {when}.")


def as_of_notice(question: str, answer: Answer, today: date) -> str | None:
    """For a question about now or later ("Is he still ...?", "tomorrow"), how old the answer is, when older than
    `STALE_AFTER` or unknown: an archive cannot say what is true today, only what was reported then. A newer
    article among the passages found that the answer does not quote is named: it may tell a later story."""
    if answer.abstained or not answer.citations or not _NOW_OR_LATER.search(question):
        return None
    days = [d for c in answer.citations if (d := parse_date(c.date))]
    if not days:
        return "The articles quoted carry no date, so this may be out of date."
    undated = " One of the articles quoted carries no date." if len(days) < len(answer.citations) else ""
    newest = max(days)
    later = _newer_contender(answer.passages, newest)
    if later is not None:
        title = later.metadata.get("title") or later.metadata.get("article_id")
        return (
            f'This is as reported on {newest}. A newer article, "{title}" ({later.metadata.get("date")}), '
            f"may tell a later story.{undated}"
        )
    if today - newest <= STALE_AFTER:
        return undated.strip().replace("date.", "date, so this may be out of date.") or None
    return f"This is as reported on {newest} (the newest article quoted); things may have changed since.{undated}"


def _newer_contender(passages: list[Document], than: date) -> Document | None:
    """The newest passage dated after `than` among those scoring `NEWER_WITHIN` of the best, if any."""
    if not passages:
        return None
    best = max(float(p.metadata.get("score", 0.0)) for p in passages)
    dated_after = [
        (d, p)
        for p in passages
        if float(p.metadata.get("score", 0.0)) >= NEWER_WITHIN * best
        and (d := parse_date(p.metadata.get("date")))
        and d > than
    ]
    return max(dated_after, key=lambda pair: pair[0])[1] if dated_after else None


# -- "what happened then?" ----------------------------------------------------------------------------------

# Words that ask for news in general rather than about something ("what happened", "any news", "what's new").
_GENERIC = frozenset(
    terms(
        "happen happened happening news new going go report reported tell story stories event headline anything "
        "good bad big biggest top main major important other"
    )
)


def asks_only_when(topic: str) -> bool:
    """True when the question, its time words removed, names no subject ("What happened?", "Any news?")."""
    return set(terms(topic)) <= _GENERIC


_NEWS = re.compile(r"\b(news|new|headlines?|top stories|going on|happening)\b", re.IGNORECASE)


def asks_for_news(question: str) -> bool:
    """True for a request for the news in general, with no time and no subject ("Any news?", "What's new?")."""
    return bool(_NEWS.search(question)) and asks_only_when(question)


# "Any news on football?", "What's the latest news from the port?", "updates on the Geneva talks": the newest
# stories about a subject, not the sentence that best repeats "news". "What is the latest on the bridge?" asks for
# the newest reporting of a fact and stays a search (`by_date` lifts the newest passage).
_NEWS_ABOUT = re.compile(
    r"^(?:(?:is|are) there |(?:do|have) you (?:have |got )?|got |(?:give|show|tell) me |what(?:'s| is| are) )?"
    r"(?:any |some |the )?(?:latest |recent |new |fresh |breaking |more |other )?"
    r"(?:news|headlines|updates?|stories)\s+(?:on|about|from|regarding|concerning|for|in)\s+(?P<about>.+)"
    r"|^(?:(?:give|show|tell) me |any |some |the latest |latest |recent |today's |more |the )+"
    r"(?P<kind>[\w'&.-]+(?: [\w'&.-]+){0,2}) (?:news|headlines|stories)"
    # "What's going on with Russia and Ukraine?" asks for the story as it stands ("What happened in Geneva?", in
    # the past, is a broad question and stays a search)
    r"|^what(?:'s| is| are) (?:going on|happening|new|up) (?:with|in|at|between|around) (?P<now>.+)",
    re.IGNORECASE,
)


def asks_for_news_about(question: str) -> str | None:
    """The subject of a request for the news about something ("Any news on football?" -> "football"), else None."""
    match = _NEWS_ABOUT.fullmatch(question.strip().rstrip("?.! "))
    subject = match and (match.group("about") or match.group("kind") or match.group("now"))
    return subject if subject and not asks_only_when(subject) else None


def topic_digest(question: str, about: str, passages: list[Document], generator: str) -> Answer | None:
    """The newest articles among `passages` (best first) that are about `about`, one sentence of each, dated.

    An article counts when a passage of it scores `NEWER_WITHIN` of the best and its passages found name every
    word of the subject; of each, the earliest retrieved sentence that names one (usually the lead). None when no
    article does.
    """
    wanted = set(terms(about)) - _GENERIC
    best = float(passages[0].metadata.get("score", 0.0)) if passages else 0.0
    found: dict[str, list[Document]] = {}
    for passage in passages:
        if float(passage.metadata.get("score", 0.0)) >= NEWER_WITHIN * best:
            found.setdefault(str(passage.metadata.get("article_id")), []).append(passage)
    picks: list[tuple[Document, str]] = []
    for article_passages in found.values():
        if not wanted <= set(
            terms(" ".join(f"{p.metadata.get('title', '')} {p.page_content}" for p in article_passages))
        ):
            continue
        spans = sorted(
            (
                (p.metadata.get("start", 0) + s.start, s.text, p)
                for p in article_passages
                for s in sentences(p.page_content)
            ),
            key=lambda item: item[0],
        )
        naming = [(text, p) for _, text, p in spans if wanted & set(terms(text))]
        if naming:
            picks.append((naming[0][1], naming[0][0]))
    if not picks:
        return None
    newest = sorted(
        picks, key=lambda pick: -(day.toordinal() if (day := parse_date(pick[0].metadata.get("date"))) else 0)
    )
    return _listing(question, newest[:DIGEST_ARTICLES], generator)


def digest(
    question: str, frame: TimeFrame, store: NewsStore, generator: str, *, say_undated: bool = True
) -> Answer | None:
    """The lead sentence of the newest articles in `frame`'s range, each dated and cited; None when there are none.

    The answer to a question that names a time and nothing else ("What happened yesterday?"). `say_undated`:
    when none of them carries a date, say that once in front (a caller that says so itself passes False).
    """
    articles = list_articles(store, since=frame.start, until=frame.end, limit=DIGEST_ARTICLES)
    if not articles:
        return None
    passages = store.get(sorted(set().union(*(a.chunk_ids for a in articles))))
    first: dict[str, Document] = {}
    for passage in passages:
        article_id = str(passage.metadata.get("article_id"))
        if article_id not in first or passage.metadata.get("start", 0) < first[article_id].metadata.get("start", 0):
            first[article_id] = passage
    picks: list[tuple[Document, str]] = []
    for article in articles:
        lead = first.get(article.id)
        spans = sentences(lead.page_content) if lead else []
        if lead is not None and spans:
            picks.append((lead, spans[0].text))
    return _listing(question, picks, generator, say_undated=say_undated) if picks else None


def _listing(question: str, picks: list[tuple[Document, str]], generator: str, *, say_undated: bool = True) -> Answer:
    """An answer of one quote per article, each after its date: "On D: ... [1]; on D2: ... [2]; undated: ... [3]".

    When no article quoted carries a date, the answer says so once instead (or, without `say_undated`, not at all).
    """
    parts: list[str] = []
    citations: list[Citation] = []
    for passage, quote in picks:
        n = len(citations) + 1
        citations.append(Citation.of(n, passage.metadata, quote))
        day = passage.metadata.get("date")
        parts.append(f"{'on ' + str(day) if day else 'undated'}: {quote.rstrip('.;')} [{n}]")
    last = citations[-1].quote
    parts[-1] = parts[-1].replace(f"{last.rstrip('.;')} [", f"{last} [")  # the final sentence keeps its stop
    if not any(c.date for c in citations):
        parts = [part.removeprefix("undated: ") for part in parts]
        lead = (
            "The article carries no date, so I can't tell how new it is"
            if len(parts) == 1
            else "None of these articles carries a date, so I can't tell which is newest"
        )
        parts[0] = f"{lead}: {parts[0]}" if say_undated else parts[0]
    parts[0] = parts[0][:1].upper() + parts[0][1:]
    return Answer(
        question=question,
        answer="; ".join(parts),
        generator=generator,
        citations=citations,
        passages=[passage for passage, _ in picks],
    )
