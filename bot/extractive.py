"""The default answer generator: picks the sentences that answer the question, offline and deterministic.

Each sentence of the retrieved passages is scored on how much of the question's weight (IDF of its content
words) it covers, its paragraph's coverage (answers often name their subject a sentence earlier), phrase
matches, whether it holds the kind of thing asked for (a number for "how many", a name for "who"), and the rank
of its passage; the close contenders are then separated by MiniLM similarity to the question. The answer is the
best sentence, plus the runner-up when it scores close.

It abstains when the evidence is weak: when `support` = coverage of the best sentence + `SUPPORT_DENSE_WEIGHT` x
the best passage's cosine similarity - `SUPPORT_MISSING_NAME` per question name (up to two) no retrieved passage
mentions - `SUPPORT_UNKNOWN_NAME` for a name the corpus never mentions is below `ABSTAIN_BELOW`. The first two
weights are a logistic regression and the threshold declines 70% of questions asked against the wrong articles,
both fitted by `benchmarks/calibrate.py` on SQuAD v1.1 train questions asked against a store with and a store
without their article (half of the articles fit, the other half check: docs/evaluation.md, "Calibration"). Every
other constant below names the measurement behind it, or says it is a judgement call.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
import threading
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from langchain_core.documents import Document

from bot.answer import Answer, Citation
from bot.roles import names_beside
from bot.timeframe import ASKS_WHEN
from bot.understanding import TITLES, names
from retrieval.dates import MONTH_NAMES, MONTHS, WEEKDAY_NAMES
from retrieval.errors import StoreError
from retrieval.text import AUXILIARIES, STOPWORDS, Span, joined_terms, sentences, terms, words

if TYPE_CHECKING:
    from bot.crossencoder import CrossEncoder
    from bot.reader import Reader
    from bot.selector import Selector

GENERATOR = "extractive"
logger = logging.getLogger(__name__)

# The abstention rule (`support`): `python benchmarks/calibrate.py` re-fits and checks these on SQuAD v1.1 train
# and prints them; docs/evaluation.md ("Calibration") has the run they come from.
ABSTAIN_BELOW = 1.27  # declines 70% of wrong-article questions (calibrate.py)
SUPPORT_DENSE_WEIGHT = 2.43  # logistic regression weight, coverage's being 1 (calibrate.py)
SUPPORT_MISSING_NAME = 0.25  # the same regression (calibrate.py)
# A name found nowhere in the corpus (not an acronym, which articles often spell out) is stronger evidence that
# the question is about something else. A judgement call: SQuAD cannot weigh it (its questions copy their names
# from the paragraph), so calibrate.py keeps it as it is.
SUPPORT_UNKNOWN_NAME = 0.55
# Sentence selection: chosen on SQuAD dev questions of its even-numbered articles, checked on the odd ones
# (docs/evaluation.md, "Sentence selection"), where a comment says "measured"; the rest are judgement calls.
SECOND_SENTENCE_RATIO = 0.7  # the runner-up joins the answer at this share of the best score (measured)
MAX_ANSWER_WORDS = 70  # ... if both together stay this short (measured with the ratio)
# When the best sentence from another story scores this share of the best, it is the second sentence instead:
# two stories that match about as well are both shown, so the reader sees the one that answers. Measured on
# the dev halves (docs/evaluation.md, "Two stories"): NewsQA right story cited 0.654 -> 0.669, containment 0.384
# -> 0.388; SQuAD v1.1 containment 0.810 -> 0.809 (at 0.85: 0.673, 0.388 and 0.806).
OTHER_STORY_RATIO = 0.9
# A sentence that asks a question answers none: its score counts at this share. Measured side by side (docs, session
# 26): 0.8 to 0.5 moved no set by more than one question (NewsQA right story cited +1); a reader asking "What is the
# best course in Iraq?" was answered "What is the best course for Iraq right now?".
ASKING_WEIGHT = 0.5
CONTEXT_WEIGHT = 0.3  # the paragraph's coverage beyond the sentence's own; judgement (only its scope was measured)
# A sentence that speaks of someone only as "he" or "the 28-year-old" ("He added: ...", "She told CNN ...") ...
_SOMEONE = r"he|she|they|his|her|their"
_SOMEONE_BEFORE = rf"{_SOMEONE}|the\s+\w+[-\s]years?[-\s]old"
_PRONOUN_FIRST = re.compile(rf"^\W*(?:{_SOMEONE_BEFORE})\b", re.I)
_SOMEONE_UNNAMED = re.compile(rf"^\W*(?:{_SOMEONE})\b", re.I)  # whom only the sentence before names
# ... or of something only as "it" or "this" goes on about what the sentence before it names ("It was named best
# film ..."): that sentence's words are its own, at full weight, even across a paragraph break (news paragraphs are a
# sentence or two). Measured side by side (docs/evaluation.md, session 24): the pronouns for people alone, these,
# and any sentence opening with "the".
_GOES_ON = re.compile(rf"^\W*(?:{_SOMEONE_BEFORE}|it|its|this|these|those)\b", re.I)
SENTENCE_GAP = 4  # at most this many characters (spaces, a paragraph break) between a sentence and the next
TYPE_BONUS = 0.12  # the sentence holds the kind of thing asked for (measured: 0 / 0.12)
# ... or, in its place, the finer kind asked for (`fine_pattern`): an age for "how old", money for "how much ...
# cost", a duration for "how long", a distance for "how far", a count of the thing for "how many screens".
# Measured on the dev halves, same retrieved passages side by side (docs/evaluation.md, "Finer kinds of answer" and
# "Session 23"): 0 / 0.2 / 0.3 / 0.4, flat above 0.2; a reason for "why" and a place for "where" measured flat and
# are not used.
FINE_TYPE_BONUS = 0.3
RANK_WEIGHT = 0.1  # the passage's retrieval score, relative to the best (judgement call)
CARRIED_WEIGHT = 0.5  # terms carried over from earlier turns count half (judgement call)
# A follow-up ("What is his new party called?") is not answered with the sentence the last answer just quoted when
# a new one scoring this share of it answers the question's own words better (judgement call: the share at which
# a broad question's sentences join its answer)
HEARD_WITHIN = 0.5
# A follow-up answered only with sentences quoted already is declined when they hold less than this share of the
# weight of its own words (judgement: most of what it asks is not in them)
REPEAT_COVERS = 0.5
BIGRAM_WEIGHT = 0.15  # share of the question's word pairs the sentence repeats (measured: 0 / 0.15 / 0.3)
FIGURE_WITHIN = 0.7  # "How much does it cost?": a sentence with a figure leads at this share of the best (judgement)
ROLE_WITHIN = 0.5  # "Who is the chancellor?": the sentence naming the role's holder leads at this share (judgement)
# A sentence answers a question whose day, year or number no passage gives, with its own value instead, when the
# question so changed is this well covered by it (judgement: most of the question's weight, the value included)
PREMISE_COVERAGE = 0.7
RERANK_TOP = 3  # the close contenders are re-scored with MiniLM similarity to the question (measured)
RERANK_WITHIN = 0.75  # ... when they score at least this share of the best (judgement call)
DENSE_WEIGHT = 0.6  # ... with this weight on the similarity (judgement call)
# A follow-up held to its story: its sentences scored on the question's own words, the best `HELD_TOP` of them and of
# the sentences scoring best with the carried words as well raised by how much closer in meaning (MiniLM) to the
# question they are than the least close, with this weight (measured on readers' conversations: 6 and 12, weights
# 0.5 to 2.0 alike; docs/evaluation.md, session 38)
HELD_TOP = 6
# A follow-up's answer is declined when the cross-encoder gives each of its sentences less chance than this of
# answering it (chosen on round K of readers' conversations, 112 follow-ups judged: at 0.08 it declines 15 wrong
# answers and no right or partly right one, at 0.1 also 2 partly right; docs/evaluation.md, session 41)
FOLLOW_UP_CHECK = 0.08
UNSURE = "None of the sentences I found answers that."  # ... the check's reason, before the closest they come
HELD_MEANING_WEIGHT = 1.0
MEANINGS_KEPT = 4096  # sentence vectors kept for the steps and turns after (a story's sentences are read again)
MORE_SENTENCES = 2  # "Tell me more": this many sentences not said yet ...
MORE_RATIO = 0.5  # ... each scoring at least this share of the best about the question (judgement)
# The cross-encoder (`bot/crossencoder.py`) reads the lexical scorer's best `CROSS_TOP` sentences; a sentence's
# score is its lexical score (relative to the best) + `CROSS_WEIGHT` x its probability. Measured on the seed dev
# set only (docs/evaluation.md, "The cross-encoder"): weight 1.0 picked a restating lead once, 0.5 did not; the
# model alone (weight 1, lexical 0.1) lost 2 of 15 and SQuAD containment. The best 5 rather than 10: an answer
# took 66 instead of 122 ms (p50, one process, side by side) for SQuAD v1.1 containment 0.780 -> 0.772, NewsQA
# 0.364 -> 0.358 and SQuAD 2.0 correct behaviour 0.481 -> 0.481 (docs/evaluation.md).
CROSS_TOP = 5
LLM_SENTENCES = 6  # the sentences an LLM reads (benchmarks/llm_speed.py measured 6 against whole passages)
CROSS_WEIGHT = 0.5
# A span reader (`bot/reader.py`, opt-in and not shipped) reads the passages of the lexical scorer's best
# `READER_TOP` sentences (at most `READER_PASSAGES` of them); its sentence is the best by lexical score (relative
# to the best) + `READER_WEIGHT` x the reader's probability that the answer lies in it (judgement calls, set before
# measuring; how it joins the answer was chosen among three measured: docs/evaluation.md, "A span reader").
READER_TOP = 10
READER_PASSAGES = 3
READER_WEIGHT = 1.0
# A broad question ("What happened in Geneva?", "What are Russia's demands?") gets up to `BROAD_SENTENCES`
# sentences scoring at least `BROAD_RATIO` of the best, other articles first (judgement calls).
BROAD_SENTENCES = 3
BROAD_RATIO = 0.5
BROAD_MAX_WORDS = 100
# ... opening with the best story's earliest sentence that scores this share of its best: news tells what happened
# first ("Two senior officials ... disappeared after funds ... went missing" for "What happened at the Bank of China?";
# judgement: measured 0.8 / 0.9 / off, the sets hold too few broad questions to choose)
LEAD_WITHIN = 0.9
# The stemmed words of a broad question's framing, which say what kind of answer is wanted, not what about.
# "How long", "how far", "how old" ask for a measure: the answer says "90 minutes", not "long".
HOW_MEASURE = re.compile(
    r"\bhow (long|far|often|soon|old|tall|high|big|large|deep|wide|late|early|fast|heavy)\b", re.IGNORECASE
)
# "What does Zelensky think?" asks for what he said or did: the sentence that answers rarely says "think".
_OPINION = re.compile(r"\bwhat (?:does|do|did) [\w' .-]+? (think|feel|believe)\b", re.IGNORECASE)
# "Who else won?" asks for others than those named: "else" is no word of the answer ("someone else has done better")
_ELSE = frozenset(terms("else"))


# "What happens next?", "What now?": what the story just quoted says is to come
ASKS_WHATS_NEXT = re.compile(
    r"\s*(?:and |so )?(?:what(?:['’]s| is)?(?: (?:happens|will happen|is going to happen|comes))? (?:next|now)|"
    r"what(?:['’]s| is) (?:the )?next step)\s*[?!.]*\s*$",
    re.I,
)
# ... a sentence that says so: "must go back to the EU", "will be discussed", "is expected to", "resume next
# Tuesday" (not "Will Smith", "next to the station", "must have known", "is to blame")
_AHEAD = re.compile(
    r"\b(?:(?-i:will)|must(?! have)|(?:is|are) (?:to(?! blame)|due to|expected to|set to|likely to)|"
    r"next\b(?! to\b| door\b)|later this|from now)\b",
    re.I,
)


NOTHING_AHEAD = "The story I quoted does not say what happens next."


def _asking_words(question: str) -> set[str]:
    """The stemmed words of how `question` asks, which no answer need say: the "long" of "how long", "else", all of
    "What happens next?"."""
    asking = {t for m in HOW_MEASURE.finditer(question) for t in terms(m.group(1))} | _ELSE
    return asking | set(terms(question)) if asks_only_how(question) else asking


def asks_only_how(question: str) -> bool:
    """True for a follow-up every word of which is how it asks: "What happens next?", "What's his name?", "When did
    that happen?" (it asks on about the story just quoted, in no word a sentence must hold)."""
    return bool(ASKS_WHATS_NEXT.match(question) or ASKS_NAME.match(question) or _WHEN_THAT.fullmatch(question))


_BROAD_FRAMING = frozenset({"happen", "go", "latest", "new", "news", "tell", "summar", "describ", "know"})
_BROAD = re.compile(
    r"^(?:what(?:'s| is| was)? (?:happened|happening|going on|the latest|new)|what (?:are|were|is|was) (?:the )?"
    r"[\w' -]*\b(?:demands|plans|positions?|concerns|reasons?|options|terms|goals|issues|arguments|views)\b|"
    r"tell me (?:about|more)|(?:give me )?(?:a )?summar(?:y|ise|ize)|what do (?:the articles|we) know|"
    r"describe\b)",
    re.I,
)

# Number words from two up ("one" and "half" are more often no count: a figure to answer with has one of these)
_COUNT_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|"
    "billion|dozen"
)
_NUMBER = re.compile(rf"\d|(?<![\w'’-])(?:one|half|{_COUNT_WORDS})\b", re.I)  # not "fly-half"
_DATE = re.compile(
    r"\b(?:1[5-9]\d\d|20\d\d|" + "|".join(MONTH_NAMES + WEEKDAY_NAMES) + r"|century|yesterday|today|week|month|year)\b",
    re.I,
)

_MONTH_WORD = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# A value a question can get wrong: a day ("March 22", "22 March 2021"), a year, or another number.
_VALUE = re.compile(
    rf"\b(?:{_MONTH_WORD} \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?\b"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? {_MONTH_WORD}(?: \d{{4}})?\b"
    r"|\d[\d,]*(?:\.\d+)?(?=(?:m|bn|k|tn)?\b)(?!'?s\b))",  # "£800m" holds a number, "the 1950s" none
    re.I,
)
# An amount as written around its number, for saying it back: "£800m", "500 million", "3.5%".
_AMOUNT = (
    r"[£$€]?\s?(?<![\d.,]){}(?![\d]|[.,]\d)"
    r"(?:m\b|bn\b|k\b|tn\b|\s?%|\s(?:million|billion|trillion|thousand|percent|per cent)\b)?"
)
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9, "tn": 1e12, "trillion": 1e12}
# A number joined to what follows it ("9/11", "24-hour") or to what comes before ("Covid-19", "G-8") is part of a
# name or a compound, not a value a reader may get wrong.
_JOINED = re.compile(r"[-/]\w")
_JOINED_BEFORE = re.compile(r"\w[-/]$")
_LINK = re.compile(r"(?:\bhttps?://|\bwww\.)\S+", re.IGNORECASE)
_SHORT_RANGE = re.compile(r"\b((?:19|20)\d\d)[-\u2013/](\d\d)\b")  # "the 2004-05 season" ends in 2005
_SMALL_NUMBERS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " + (
    "sixteen seventeen eighteen nineteen twenty"
)
_NUMBER_WORDS = {word: str(n) for n, word in enumerate(_SMALL_NUMBERS.split())} | {
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "sixty": "60",
    "seventy": "70",
    "eighty": "80",
    "ninety": "90",
    "hundred": "100",
    "thousand": "1000",
    "dozen": "12",
}


_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
# A number written in words that a question can get wrong, read whole: "three", "twenty-four", "eighty five", "two
# hundred", "one hundred and twenty", "two hundred thousand"; not "one" alone ("which one", "one of them"), an
# ordinal ("twenty-fourth") or a part of a compound ("top-ten", "one-two"). Millions are amounts: digits and scales
# (`_keys`) read those.
_NUMBER_WORD = rf"(?:{_TENS}|{_TEENS}|{_UNITS}|hundred|thousand)"
_SPELLED = re.compile(
    rf"(?<![\w'’-]){_NUMBER_WORD}(?:(?:[\s-]+and)?[\s-]+{_NUMBER_WORD})*(?![\w'’-])",
    re.I,
)
_TIMES = {"hundred": 100, "thousand": 1000}


def spelled_numbers(text: str) -> list[tuple[str, str]]:
    """The numbers `text` writes in words, each as written and in digits: "two hundred" ("200"), "twenty-four"."""
    out = []
    for m in _SPELLED.finditer(text):
        if (value := _spelled_value(_split(m.group()))) is not None:
            out.append((m.group(), str(value)))
    return out


def _split(spelled: str) -> list[str]:
    """The words of a number written in words, in lower case: "Twenty-four" -> ["twenty", "four"]."""
    return re.split(r"[\s-]+", spelled.lower())


def _spelled_value(words: list[str]) -> int | None:
    """The number the words of a run say ("one hundred and twenty": 120); None for "one" alone or words that make no
    number ("two three", "twenty thirty", "hundred")."""
    if words in (["one"], ["hundred"], ["thousand"]):
        return None
    total = current = 0
    before = ""
    for word in words:
        if word == "and":
            if before not in _TIMES:  # only "hundred and twenty"
                return None
        elif word == "hundred":
            if current % 100 == 0 and current:
                return None
            current = (current or 1) * 100
        elif word == "thousand":
            total, current = total + (current or 1) * 1000, 0
        elif word not in _NUMBER_WORDS:  # a letter that only matches without case: "sıx" (dotless i)
            return None
        else:
            value, small = int(_NUMBER_WORDS[word]), current % 100
            if small and (value >= 10 or small % 10 or small < 20):  # "two three", "twenty thirty", "fifteen five"
                return None
            current += value
        before = word
    return total + current


def values(text: str, *, joined: bool = False) -> list[tuple[str, str]]:
    """The days, years (a day's own year too) and other numbers in `text`, each with its kind (none inside a link:
    "news/19867393.us-russia" is no number a reader asks about). A number joined to a word ("Covid-19", "9/11",
    "10-year") is part of a name or a compound and left out, unless `joined`: what the articles give counts it."""
    out = []
    text = _LINK.sub(" ", text)
    for m in _VALUE.finditer(text):
        value = m.group(0)
        if not joined and (_JOINED.match(text, m.end()) or _JOINED_BEFORE.search(text, 0, m.start())):
            continue
        if any(c.isalpha() for c in value):  # only a day has letters (its month)
            out.append(("day", value))
            out.extend(("year", y) for y in re.findall(r"\b\d{4}\b", value))
        elif re.fullmatch(r"1[5-9]\d\d|20\d\d", value):
            out.append(("year", value))
        else:
            out.append(("number", value))
    return out


def _acronyms(question: str) -> dict[str, str]:
    """The question's abbreviations written in capitals ("DA", "US", "NATO") by their term; none when the whole
    question is in capitals."""
    if not any(c.islower() for c in question):
        return {}
    return {t: w for w in words(question) if len(w) >= 2 and w.isalpha() and w.isupper() for t in terms(w)}


def _capitalised(word: str, text: str) -> bool:
    """True when `text` has `word` with a capital first letter, the rest in any case ("NATO", "Nato"; not "nato")."""
    return re.search(rf"\b{re.escape(word[0])}(?i:{re.escape(word[1:])})\b", text) is not None


# A number with a measure of time, length or share after it is a figure of that measure: "for three hours" is not
# given by "three rounds of talks" and "90 minutes", and is no count of the answer's names as "Which two countries
# ...?" is (money is read as amounts: `_keys`)
_MEASURE = (
    r"seconds?|minutes?|hours?|days?|nights?|weeks?|months?|years?|decades?|centur(?:y|ies)|miles?|"
    r"kilomet(?:er|re)s?|met(?:er|re)s?|feet|yards?|inch(?:es)?|per ?cent|%|mins?|hrs?|secs?|yrs?|km|ft"
)
# ... each measure as one word however written ("kilometers", "kilometres", "km")
_MEASURE_NAMES = {
    "min": "minute",
    "mins": "minute",
    "hr": "hour",
    "hrs": "hour",
    "sec": "second",
    "secs": "second",
    "yr": "year",
    "yrs": "year",
    "km": "kilometre",
    "ft": "foot",
    "feet": "foot",
}
_MEASURED = re.compile(  # (not an age: "30 years old")
    rf"(?<![\w.,'’-])(\d[\d,.]*|{_NUMBER_WORD}(?:(?:[\s-]+and)?[\s-]+{_NUMBER_WORD})*)[\s-]*({_MEASURE})"
    r"(?!\w)(?![\s-]+old\b)",
    re.I,
)


# A time also in minutes or years, so that one written in another unit is the same: "1.5 hours" and "90 minutes",
# "two weeks" and "14 days", "three decades" and "30 years"
_IN_BASE = {
    terms(unit)[-1]: (terms(base)[-1], times)
    for unit, base, times in [
        ("seconds", "minutes", 1 / 60),
        ("hours", "minutes", 60),
        ("days", "minutes", 24 * 60),
        ("weeks", "minutes", 7 * 24 * 60),
        ("months", "years", 1 / 12),
        ("decades", "years", 10),
        ("centuries", "years", 100),
        ("century", "years", 100),
    ]
}


def _measures(text: str) -> set[tuple[str, ...]]:
    """The figures `text` gives with their measure, as ("measure", number, stem of the measure or "%"), a time also in
    minutes or years (`_IN_BASE`: "a three-hour meeting" is 3 hours and 180 minutes, "three decades" 30 years)."""
    found: set[tuple[str, ...]] = set()
    for m in _MEASURED.finditer(text):
        number, measure = m.group(1), m.group(2)
        value = number.replace(",", "").rstrip(".") if number[:1].isdigit() else _spelled_value(_split(number))
        if value is None:  # ("one hour" says no figure a reader gets wrong)
            continue
        name = _MEASURE_NAMES.get(measure.lower(), re.sub(r"ers?$", "re", measure.lower()))  # "meters": "metre"
        unit = "%" if name.endswith(("%", "cent")) else terms(name)[-1]
        try:
            size = float(value)
        except ValueError:  # "1.2.3 miles"
            continue
        found.add(("measure", f"{size:.10g}", unit))
        if unit in _IN_BASE:
            base, times = _IN_BASE[unit]
            found.add(("measure", f"{size * times:.10g}", base))
    return found


def _measured(value: str, question: str) -> set[tuple[str, ...]]:
    """The `_measures` keys of the number `value` where `question` writes it with a measure after it, else none."""
    match = _measure_match(value, question)
    return _measures(match.group()) if match is not None else set()


def _measure_match(value: str, question: str) -> re.Match[str] | None:
    """Where `question` writes the number `value` with a measure after it ("three hours"), else None; not after
    "which" or "what": "Which two days did they meet?" counts the answer's days, as "Which two countries ...?"
    does."""
    match = next((m for m in _MEASURED.finditer(question) if m.group(1).lower() == value.lower()), None)
    if match is None or re.search(r"\b(?:which|what)\s+$", question[: match.start()], re.I):
        return None
    return match


def given_values(passages: list[Document]) -> set[tuple[str, ...]]:
    """What the passages say in values, as `_keys`: their text, titles and dates, numbers written as words too
    ("two mayors" gives 2), an amount both as written and scaled ("£800m" gives 800 and 800,000,000), the end
    of a short year range ("the 2004-05 season" gives 2005), a figure with its measure (`_measures`)."""
    given: set[tuple[str, ...]] = set()
    for p in passages:
        text = f"{p.metadata.get('title') or ''}\n{p.metadata.get('date') or ''}\n{p.page_content}"
        for kind, value in values(text, joined=True):  # "a 10-year sentence" gives the 10 of "10 year sentence"
            given.update(_keys(kind, value, text))
        given.update(("number", n) for w in re.findall(r"[a-z]+", text.lower()) if (n := _NUMBER_WORDS.get(w)))
        given.update(("number", n) for _, n in spelled_numbers(text))  # "two hundred" gives 200 too
        given.update(("year", a[:2] + b) for a, b in _SHORT_RANGE.findall(text))
        given.update(_measures(text))
    return given


def missing_values(question: str, passages: list[Document]) -> list[tuple[str, str]]:
    """The days, years and numbers the question names that no passage gives ("March 22" when they say March
    29; "500 million" when they say £800m; "three films" when they say two; "three hours" when they say three
    rounds and 90 minutes), each once; a number in words as the question writes it ("three")."""
    spelled = [  # a number in words inside the question, written with a capital, is a name: "Ten Eyes"
        written
        for written, _ in spelled_numbers(question)
        if written.islower() or not question[: question.index(written)].strip()
    ]
    found = values(question) + [("number", written) for written in spelled]
    if not found:  # most questions: the passages need not be read
        return []
    given = given_values(passages)
    return list(dict.fromkeys((kind, v) for kind, v in found if not _value_keys(kind, v, question) & given))


def _value_keys(kind: str, value: str, question: str) -> set[tuple[str, ...]]:
    """What a passage must give for the question's `value`: its figure with its measure when the question writes one
    ("three hours"), else `_keys`."""
    return (_measured(value, question) if kind == "number" else set()) or _keys(kind, value, question)


def _keys(kind: str, value: str, text: str) -> set[tuple[str, ...]]:
    """`_key` of a value, and for a number written as an amount in `text` also its scaled size: "£800m" and "800
    million" are both 800,000,000."""
    keys = {_key(kind, value)}
    if kind == "number" and value[:1].isdigit():
        match = _amount(value, text)
        unit = match and re.search(r"(m|bn|k|tn|million|billion|trillion|thousand)$", match.group().lower())
        if unit:
            keys.add(("amount", f"{float(value.replace(',', '')) * _SCALE[unit.group()]:.6g}"))
    return keys


def _amount(value: str, text: str) -> re.Match[str] | None:
    """Where `text` writes the number `value` whole, with its currency and scale ("£800m", "500 million"); a number
    in words as a word of its own ("two", not the "two" of "network")."""
    written = rf"\b{re.escape(value)}\b" if value[:1].isalpha() else re.escape(value)
    return re.search(_AMOUNT.format(written), text, re.I)


def _premise_options(
    question: str, kind: str, wrong: str, candidates: list[Candidate]
) -> list[tuple[Candidate, str, str]]:
    """The values of `kind` that `candidates` give in place of the reader's `wrong` one, each with the question
    so changed. A number must count the same thing: the word after it in the question, when that is not a function
    word, follows it in the sentence too ("50 homes" is not corrected to "3 hours"); one with a measure is replaced,
    measure and all, by another figure of that dimension (`_measure_options`: "three hours" by "90 minutes")."""
    if kind == "number" and (measured := _measure_match(wrong, question)) is not None:
        return _measure_options(question, measured, candidates)
    unit = _unit(wrong, question) if kind == "number" else None
    options = []
    for candidate in candidates:
        text = candidate.span.text
        for other_kind, value in values(text) + [("number", written) for written, _ in spelled_numbers(text)]:
            if other_kind != kind or _keys(kind, value, text) & _keys(kind, wrong, question):
                continue
            if unit is not None and _unit(value, text) != unit:
                continue
            asked = rf"\b{re.escape(wrong)}\b" if wrong[:1].isalpha() else re.escape(wrong)  # "ten", not "often"
            changed = re.sub(rf"(?<![\d.,]){asked}(?!\d|[.,]\d)", value, question, count=1)
            options.append((candidate, value, changed))
    return options


def _scale(keys: set[tuple[str, ...]]) -> str | None:
    """What `_measures` keys can be compared with: a time's base (minutes for seconds to weeks, years for months
    to centuries: `_IN_BASE`), else the measure itself (a length's unit, "%"); None for no measure."""
    units = {key[2] for key in keys}
    bases = {_IN_BASE[unit][0] for unit in units if unit in _IN_BASE} or units
    return bases.pop() if len(bases) == 1 else None


_PLURAL_AFTER_HYPHEN = re.compile(r"(?:second|minute|hour|day|night|week|month|year|decade|mile|yard|metre|meter)")


def _as_measure(match: re.Match[str]) -> str:
    """A figure with its measure as a reader writes it alone: "24 hours" of "a 24-hour strike", "three hours" of
    "Three hours", "5.5%"."""
    number, measure = match.group(1), match.group(2)
    if number[:1].isalpha():
        number = number.lower()
    if measure == "%":
        return f"{number}%"
    one = number in ("1", "one")
    hyphened = "-" in match.group()[len(match.group(1)) : -len(measure)]
    if hyphened and not one and _PLURAL_AFTER_HYPHEN.fullmatch(measure.lower()):
        measure += "s"
    return f"{number} {measure}"


def _measure_options(
    question: str, asked: re.Match[str], candidates: list[Candidate]
) -> list[tuple[Candidate, str, str]]:
    """For a figure the question writes with a measure (`asked`: "three hours"), each other figure on its scale
    (`_scale`: a time of minutes to weeks for one of minutes to weeks, a length in the same unit) that the
    `candidates` give ("90 minutes", "two days"; not "two years" since they last met), as a reader writes it alone
    (`_as_measure`), with the question so changed ("... meet for 90 minutes?"). Not one the articles give as the
    same figure ("180 minutes")."""
    keys = _measures(asked.group())
    scale = _scale(keys)
    options = []
    for candidate in candidates:
        for m in _MEASURED.finditer(candidate.span.text):
            given = _measures(m.group())
            if scale is not None and _scale(given) == scale and not given & keys:
                value = _as_measure(m)
                options.append((candidate, value, f"{question[: asked.start()]}{value}{question[asked.end() :]}"))
    return options


def _unit(value: str, text: str) -> str | None:
    """What a number counts as `text` writes it: "%" for a share, "amount" for money or a scaled figure ("£13m",
    "500 million"), else the stem of the content word right after it ("50 homes" -> "home"); None when a function
    word follows ("rose by 50,000 in February")."""
    amount = _amount(value, text)
    if amount is None:
        return None
    written = amount.group().strip().lower()
    if written.endswith(("%", "percent", "per cent")):
        return "%"
    if written[0] in "£$€" or written.endswith(("m", "bn", "k", "tn", "million", "billion", "trillion", "thousand")):
        return "amount"
    following = re.match(r"\s*([^\W\d_]+)", text[amount.end() :])
    stems = terms(following.group(1)) if following else []
    return stems[0] if stems else None


def as_written(value: str, text: str, *, noun: bool = False) -> str:
    """A number with its currency and unit as `text` writes it ("800" in "valued at £800m" -> "£800m"); with
    `noun`, a plain number also with the content word it counts ("3" in "meet for 3 hours" -> "3 hours")."""
    match = _amount(value, text)
    if match is None:
        return value
    written = match.group().strip()
    following = re.match(r"\s+([^\W\d_]+)", text[match.end() :]) if noun and written == value else None
    return f"{written} {following.group(1)}" if following and terms(following.group(1)) else written


def _key(kind: str, value: str) -> tuple[str, ...]:
    """What makes two values the same: month and day for a day (its year aside), digits for a number."""
    if kind == "day":
        parts = re.findall(r"[a-z]+|\d+", value.lower())
        month = next(str(MONTHS[p]) for p in parts if p in MONTHS)
        day = next(p for p in parts if p.isdigit())
        return (kind, month, str(int(day)))
    if kind == "number" and not value[:1].isdigit():  # written in words
        return (kind, next(digits for _, digits in spelled_numbers(value)))
    return (kind, value.replace(",", ""))


class Lexicon(Protocol):
    """Corpus statistics over stemmed terms (the BM25 index provides them)."""

    def idf(self, term: str) -> float:
        """Inverse document frequency; unseen terms get the highest value."""
        ...

    def __contains__(self, term: object) -> bool:
        """True when the term occurs anywhere in the corpus."""
        ...


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved passage and its score."""

    span: Span
    passage: Document
    passage_rank: int
    score: float
    coverage: float
    previous: str | None = None  # the sentence before it in its passage (a context cross-encoder reads it)


def _holder_first(ranked: list[Candidate], role: str, surname: str) -> list[Candidate]:
    """The best sentence that names `surname` beside `role` ("Chancellor Gordon Brown ..."), when it scores
    `ROLE_WITHIN` of the best, followed only by the others that name them together: the answer is about the role's
    holder, not "the lord chancellor". `ranked` as it is otherwise."""
    naming = next((c for c in ranked if surname in names_beside(role, c.span.text)), None)
    if naming is None or naming.score < ROLE_WITHIN * ranked[0].score:
        return ranked
    about = [c for c in ranked if c is not naming and surname in names_beside(role, c.span.text)]
    return [replace(naming, score=max(naming.score, ranked[0].score)), *about]


def _position(candidate: Candidate) -> int:
    """Where `candidate`'s sentence starts in its article."""
    return int(candidate.passage.metadata.get("start", 0)) + candidate.span.start


def _where(candidate: Candidate) -> tuple[str, int]:
    """The article `candidate`'s sentence comes from and where it starts there: the same sentence, however ranked."""
    return str(candidate.passage.metadata.get("article_id")), _position(candidate)


def _choose(
    question: str, ranked: list[Candidate], second_ratio: float, said: AbstractSet[str] = frozenset()
) -> list[Candidate]:
    """The sentences of the answer, the best first (one article's in its order, the rest of a broad question's in
    the order their passages were found): the best, and the runner-up when it scores within `second_ratio` of it
    and both stay short (from another story when one comes within `OTHER_STORY_RATIO` of the best: two stories that
    match about as well are both shown); a broad question gets up to `BROAD_SENTENCES`, opening with its best story's
    earliest sentence that scores `LEAD_WITHIN` of the best and was not just `said` (`_plain`), other articles next. A
    sentence that two articles both carry (wire copy in otherwise different passages) is said once."""
    ranked = _distinct(ranked)
    chosen = [ranked[0]]
    if is_broad(question):
        best = ranked[0]
        story = best.passage.metadata.get("article_id")
        leads = [
            c
            for c in ranked
            if c.passage.metadata.get("article_id") == story
            and c.score >= LEAD_WITHIN * best.score
            and _plain(c.span.text) not in said
        ]
        chosen = [min([best, *leads], key=_position)]
        sources = {story}
        others = [c for c in ranked if c is not chosen[0] and c.score >= BROAD_RATIO * best.score]
        others.sort(key=lambda c: c.passage.metadata.get("article_id") in sources)  # stable: score order kept
        for candidate in others:
            if len(chosen) < BROAD_SENTENCES and _length([*chosen, candidate]) <= BROAD_MAX_WORDS:
                chosen.append(candidate)
                sources.add(candidate.passage.metadata.get("article_id"))
    elif len(ranked) > 1:
        first = ranked[0]
        story = first.passage.metadata.get("article_id")
        # (not another story's sentence that goes on from one the reader is not shown: "He is set to meet Clement",
        # of Hewitt, after Henman's draw, reads as about the first story's subject)
        rest = [
            c
            for c in ranked[1:]
            if c.passage.metadata.get("article_id") == story or not _SOMEONE_UNNAMED.match(c.span.text)
        ]
        fits = [c for c in rest if len(first.span.text.split()) + len(c.span.text.split()) <= MAX_ANSWER_WORDS]
        other = next((c for c in fits if c.passage.metadata.get("article_id") != story), None)
        runner_up = fits[0] if fits and fits[0] is rest[0] else None
        if other is not None and other.score >= OTHER_STORY_RATIO * first.score:
            chosen.append(other)
        elif runner_up is not None and runner_up.score >= second_ratio * first.score:
            chosen.append(runner_up)
    # Two sentences of one article are said in its own order; of two, the better answer leads ("Tony Blair has
    # dismissed reports he would quit ..." before another story's "On Wednesday Tony Blair said he hoped ...")
    if len({c.passage.metadata.get("article_id") for c in chosen}) == 1:
        return sorted(chosen, key=lambda c: (_position(c), c.passage_rank))
    if is_broad(question):  # the opening sentence first, the others in the order their passages were found
        head, *rest = chosen
        return [head, *sorted(rest, key=lambda c: (c.passage_rank, c.span.start))]
    return chosen


def _fresh_first(
    question: str, ranked: list[Candidate], heard: Sequence[str], lexicon: Lexicon, earlier: Sequence[str] = ()
) -> list[Candidate]:
    """`ranked`, for a follow-up whose best sentence the last answer (`heard`) or the ones before it (`earlier`)
    quoted: the best new sentence scoring `HEARD_WITHIN` of it leads instead when it answers the question's own words
    better (their weight it covers, not the "old" of "how old" nor "else", and the kind of thing asked for) than any
    sentence quoted, or as well when the question asks for another ("Who else ...?", "What did his statement say?": a
    new sentence with "statement", not the quote with "statements" just read) or it is ranked above one only the
    earlier answers quoted; else the quoted one that answers them best. The names a follow-up carries come from the
    sentences quoted, so they alone must not make one the answer again ("What is his new party called?"); it stays
    when it still answers best ("When is it?" after the Budget's date). "How old was he?" after quotes of "the
    5-year-old animal killed ... Dmitry Potapov" two answers back: "Potapov, 25", ranked above it."""
    said = _sentences_of([*heard, *earlier])
    if not ranked or _plain(ranked[0].span.text) not in said:
        return ranked
    asking = _asking_words(question)  # "5-year-old" answers "How old was he?" no better for holding "old"
    weights = {term: lexicon.idf(term) for term in _sensed(question) if term not in asking}
    total = sum(weights.values()) or 1.0
    kind = _sought(question)
    fine = fine_pattern(question)
    speakers = _asked_speakers(question, kind, lexicon)
    question_words = {w.lower() for w in words(question)}

    def answers(candidate: Candidate) -> float:  # "27 member countries" for "How many countries vote?"
        own = set(_sensed(candidate.span.text))
        typed = _kind_bonus(candidate.span.text, fine, kind, question_words, speakers)
        return sum(w for t, w in weights.items() if t in own) / total + typed

    # "Who else ...?" and "What did his statement say?" ask for another than the one just read; "How much did they
    # pay for it?" may ask again about the sum just read
    another = bool(weights) and (bool(_ELSE & set(terms(question))) or bool(_ASKS_SAID.search(question)))
    lead = ranked[0]
    close = [c for c in ranked if c.score >= HEARD_WITHIN * lead.score]
    # Of the sentences just quoted, the one that answers best ("When is it?": the one with the Budget's date, not
    # the one that leads on the carried names), and a new one only if it answers better still
    again = max((c for c in close if _plain(c.span.text) in said), key=answers, default=lead)
    bar = answers(again)
    # an answer before the last one quoted it: a new sentence ranked above it that answers as well ("Potapov, 25")
    at = next((i for i, c in enumerate(close) if c is again), 0)  # `again` is the lead when nothing else is close
    above = close[:at] if _plain(again.span.text) not in _sentences_of(heard) else []
    best = next(
        (
            c
            for c in close
            if _plain(c.span.text) not in said
            and (answers(c) > bar or ((another or any(c is a for a in above)) and answers(c) == bar))
        ),
        again,
    )
    if best is lead:
        return ranked
    return _leading(best, ranked)


def _leading(best: Candidate, ranked: list[Candidate]) -> list[Candidate]:
    """`ranked` led by `best`, at the lead's score (the rest in their order)."""
    return [replace(best, score=ranked[0].score), *(c for c in ranked if c is not best)]


# "Who beat Sania Mirza?" asks for who won against her; "Who did Henman beat?" whom he won against. "beat" and
# "defeat" are "win" to sentence scoring (`_SAME_SENSE`), which keeps no direction: "Sania Mirza continued her
# remarkable rise with victory over ... Kuznetsova" matches the first as well as "Sania Mirza ... has lost to women's
# favourite Serena Williams".
_BEATING = r"beat|beats|beaten|beating|defeat|defeats|defeated|defeating|knock(?:ed)? out|eliminat(?:e|ed|es)"
# "Who beat Mirza?", "Who has beaten Mirza in the final?": the one named, up to a time or place it adds
_UNTIL_WHERE = r"(?:\s+(?:in|at|on|during|for|last|this)\b.*)?\W*$"
_WHO_BEAT = re.compile(
    rf"^\W*who (?:(?:has|have|had) )?(?:{_BEATING}|overcame|won against) (?P<loser>.+?){_UNTIL_WHERE}", re.I
)
_WHOM_BEAT = re.compile(
    rf"^\W*whom? (?:did|does|will|has|have) (?P<winner>.+?) (?:{_BEATING}|overcome){_UNTIL_WHERE}", re.I
)
# How a sentence says who won: "X was beaten by", "X ... won", "X ... lost to"; "victory over X", "to defeat X";
# "lost to X", "a defeat against X", "beaten by X". Not a set, a temper or a place lost, nor "fell behind".
_PASSIVE = r"(?:was|were|is|are|been|being|be)\s+(?:beaten|defeated|knocked out|thrashed|eliminated|overcome|edged)"
_WON = (
    r"(?:beat|beats|beating|defeated|defeats|won|wins|winning|win|victory|victories|overcame|knocked out|thrashed)"
    r"(?!\s+(?:the|a|her|his|their)\s+(?:first|second|third|opening)\b)"
)
_LOST = (
    r"(?:lost|loses|losing|loss|slumped|fell|went down|crashed out|defeat|beaten)"
    r"(?!\s+(?:the|a|her|his|their)\s+(?:first|second|third|opening|temper|cool|patience|way|footing|place|seat|job)\b)"
    r"(?!\s+(?:behind|ill|short|back|over|into|out|silent)\b)"
)
_WON_OVER = (
    rf"(?:(?:{_WON})\s+(?:over|against)|beat|beats|beating|defeats|defeated|defeating|defeat of|"
    r"(?:to|will|would|could|can|did|must|should)\s+defeat|knocked out|overcame|thrashed)"
)
_LOST_TO = rf"(?:{_LOST})\s+(?:[\w'’-]+\s+){{0,4}}?(?:to|by|against)"  # "lost 6-4 6-2 to"
ROLE_REACH = 8  # words at most between the one named and the word that says who won (judgement)
ROLE_ASIDE = 150  # characters at most of an aside between the name and its verb ("Mirza, the first Indian ..., lost")
WINNER_WITHIN = 0.7  # the sentence that says it as asked leads at this share of the best (the runner-up's share)
OPPOSITE_WEIGHT = 0.5  # a sentence saying the opposite keeps this share of its score


def _role(text: str, who: str) -> str | None:
    """'won' or 'lost': what the sentence says of the one `who` names (any word of a question's "Sania Mirza",
    capitalised in the sentence: not the "young" of "the young Scot" for Young) in a contest; None when it says
    neither. "victory over X", "to defeat X", "X was beaten" and "X ... lost to" make X the loser; "lost to X", "a
    defeat against X", "beaten by X" and "X ... beat" the winner."""
    anchor = "|".join(re.escape(w) for w in words(who) if w.lower() not in STOPWORDS)
    if not anchor:
        return None
    x = rf"\b(?=(?-i:[A-Z]))(?:{anchor})\b"
    # words between, not across "and", "said" or a clause ("Martinez beat Asagoe and Mirza beat Kostanic"); a comma
    # only before a score ("beat Williams 6-4, 6-2")
    stop = r"(?!(?:and|but|while|who|which|whom|after|before|said|says|that)\b)"
    gap = rf"(?:{stop}[\w'’.-]+(?:,(?=\s+\d))?\s+){{0,{ROLE_REACH}}}?"
    aside = rf"(?:\s*,[^,]{{1,{ROLE_ASIDE}}},)?"
    if re.search(rf"\b{_PASSIVE}\s+by\s+{gap}{x}", text, re.I) or re.search(rf"\b{_LOST_TO}\s+{gap}{x}", text, re.I):
        return "won"
    if re.search(rf"{x}{aside}\s+{gap}{_PASSIVE}\b", text, re.I) or re.search(rf"\b{_WON_OVER}\s+{gap}{x}", text, re.I):
        return "lost"
    said = re.search(rf"{x}{aside}\s+{gap}\b(?P<cue>{_WON}|{_LOST})", text, re.I)
    if said is None:
        return None
    return "lost" if re.match(_LOST, said["cue"], re.I) else "won"


def _right_way_first(question: str, ranked: list[Candidate]) -> list[Candidate]:
    """`ranked`, for "Who beat X?" or "Who did X beat?": led by the best sentence that has X lose, or win, as asked,
    when it scores `WINNER_WITHIN` of the best, then the others that do, then those that say neither, and last, at
    `OPPOSITE_WEIGHT` of their score, those that say the opposite (they answer the other question)."""
    if (asked := _WHO_BEAT.match(question)) is not None:
        who, wanted = asked["loser"], "lost"
    elif (asked := _WHOM_BEAT.match(question)) is not None:
        who, wanted = asked["winner"], "won"
    else:
        return ranked
    roles = [_role(c.span.text, who) for c in ranked]
    right = [c for c, role in zip(ranked, roles, strict=True) if role == wanted]
    if not right or right[0].score < WINNER_WITHIN * ranked[0].score:
        return ranked
    neither = [c for c, role in zip(ranked, roles, strict=True) if role is None]
    opposite = [
        replace(c, score=c.score * OPPOSITE_WEIGHT)
        for c, role in zip(ranked, roles, strict=True)
        if role not in (wanted, None)
    ]
    return [replace(right[0], score=ranked[0].score), *right[1:], *neither, *opposite]


SAID_BY_WITHIN = 0.6  # a sentence giving the words to the one asked about leads at this share of the best (judgement)


def _said_by_first(ranked: list[Candidate], speakers: AbstractSet[str]) -> list[Candidate]:
    """`ranked`, for "What did Nadal say?" (`speakers`: the words of the names asked about, `_asked_speakers`): led by
    the best sentence that gives its words to one of them ('"Two semifinals in a row ...," Nadal said.') when the best
    does not and it scores `SAID_BY_WITHIN` of the best: the sentence naming Nadal with the most of the names the
    conversation carried ("... will face Berdych after his defeat of Nadal") tells of him, and says nothing he said."""
    if not speakers or not ranked or any(by & speakers for by in _speakers_of(ranked[0].span.text)):
        return ranked
    floor = SAID_BY_WITHIN * ranked[0].score
    said = next(
        (c for c in ranked if c.score >= floor and any(by & speakers for by in _speakers_of(c.span.text))), None
    )
    return ranked if said is None else _leading(said, ranked)


def _length(chosen: Sequence[Candidate]) -> int:
    """The words of an answer quoting `chosen`."""
    return sum(len(c.span.text.split()) for c in chosen)


def _replied(chosen: list[Candidate], said: AbstractSet[str] = frozenset()) -> list[Candidate]:
    """`chosen`, a sentence that asks a question followed by the one after it in its passage, which replies: an
    interview's "Is Pakistan going to fall or fail?" is answered by "The overall answer to that is no.". A reply that
    asks again, is chosen already (from this passage or one overlapping it) or was just `said` is not added;
    sentences chosen after the question make room for it within `MAX_ANSWER_WORDS`, and without room it is left
    out."""
    for at, candidate in enumerate(chosen):
        if not _ASKING.search(candidate.span.text):
            continue
        after = _next_sentence(candidate)
        if after is None or _ASKING.search(after.text):
            continue
        if _plain(after.text) in said | {_plain(c.span.text) for c in chosen}:  # chosen (from any passage) or heard
            continue
        answer = [*chosen[: at + 1], replace(candidate, span=after, previous=candidate.span.text)]
        if _length(answer) > MAX_ANSWER_WORDS:
            continue
        for later in chosen[at + 1 :]:
            if _length([*answer, later]) <= MAX_ANSWER_WORDS:
                answer.append(later)
        return answer
    return chosen


_WHO_WORD = re.compile(r"\bwho(?:m|se)?\b", re.I)
_QUOTE_MARK = re.compile(r"[\"“”]")
_QUOTING = re.compile(rf"{_QUOTE_MARK.pattern}|\b(?:said|says|told|tells|according to)\b", re.I)


def _answered_next(question: str, best: Candidate, chosen: list[Candidate], lexicon: Lexicon) -> list[Candidate]:
    """For a "who" question none of whose chosen sentences names anyone, or a "what did she say" one none of whose
    chosen sentences gives speech, when the sentence right after the best one in its passage does: the two, in place
    of any runner-up (within `MAX_ANSWER_WORDS`). "The first convictions for P2P piracy were handed out in the US in
    January." is followed by "William Trowbridge and Michael Chicoine pleaded guilty ..."; "Jose Antonio Reyes has
    added to speculation ... after falling victim to a radio prank." by "The Spaniard believed he was talking to
    ... when he allegedly berated his team-mates as "bad people"." `chosen` as it is otherwise."""
    kind = _sought(question)
    if kind == "name" and not _WHO_WORD.search(question):
        return chosen  # "Which country's invasion ...?" asks for no person
    if kind not in ("name", "speech") or is_broad(question) or _PRONOUN_FIRST.match(best.span.text):
        return chosen  # (whom "He appealed, ..." speaks of, the sentences before it name: `_named`)
    if kind == "speech" and not _SPEAKER.match(question):
        return chosen  # "What is said to have electrified the nation?" asks for no one's words
    asked = {w.lower() for w in words(question)}
    speakers = _asked_speakers(question, kind, lexicon)

    def gives(text: str) -> bool:  # someone named as a person; words quoted or said (not "has added to speculation")
        if kind == "name":
            return bool(_people(text, asked))
        return bool(_QUOTING.search(text)) and _spoken_by(text, speakers)

    if any(gives(c.span.text) for c in chosen):
        return chosen
    after = _next_sentence(best)
    if after is None or after.start - best.span.end > SENTENCE_GAP:
        return chosen
    if kind == "speech" and not _QUOTE_MARK.search(after.text):
        return chosen  # words quoted, not "Tony Blair has said he does not want ..." after Howard's claim
    if kind == "name" and not _opens_with_someone(after.text, asked):
        return chosen  # whom it is about: not "Officers from Scotland Yard were called ..."
    if not gives(after.text) or len(after.text.split()) + len(best.span.text.split()) > MAX_ANSWER_WORDS:
        return chosen
    return [best, replace(best, span=after, previous=best.span.text)]


def _next_sentence(candidate: Candidate) -> Span | None:
    """The sentence after `candidate`'s in its passage, if the passage holds one."""
    return next((s for s in _sentences(candidate.passage.page_content) if s.start >= candidate.span.end), None)


def _opens_with_someone(text: str, asked: set[str]) -> bool:
    """True when `text` opens with a person it names (`_people`): "William Trowbridge and Michael Chicoine pleaded
    guilty ...", "Mr Ross said ..."."""
    people = _people(text, asked)
    return bool(people) and text.lstrip("\"“‘' ").startswith(people[0].split()[0])


def _carriers(passage: Document) -> set[str]:
    """The ids of the articles carrying `passage` (its own, and those of the wire copies merged into it)."""
    return {str(passage.metadata.get("article_id")), *(a["article_id"] for a in passage.metadata.get("also_in", []))}


def _sentences_of(quotes: Sequence[str]) -> set[str]:
    """The sentences of `quotes` (whose parts " … " joins), as `_plain` compares them."""
    return {_plain(part) for quote in quotes for part in quote.split(" … ")}


def _plain(text: str) -> str:
    """A sentence as compared for repeats: its words, case and spacing aside."""
    return " ".join(text.lower().split())


def _distinct(ranked: list[Candidate]) -> list[Candidate]:
    """`ranked` without the repeats of a sentence already in it (same words, case and spacing aside)."""
    seen: set[str] = set()
    out = []
    for candidate in ranked:
        key = _plain(candidate.span.text)
        if key not in seen:
            seen.add(key)
            out.append(candidate)
    return out


def _cited_as(carrier: dict[str, Any], citations: list[Citation]) -> int | None:
    """The index of a citation naming an article with the carrier's title, date and link, if any (a title is
    needed: untitled stories are told apart by nothing else)."""
    title = carrier.get("title")
    if not title:
        return None
    key = (title, carrier.get("date"), carrier.get("url"))
    return next((i for i, c in enumerate(citations) if (c.title, c.date, c.url) == key), None)


def is_broad(question: str) -> bool:
    """True for a question that asks for an account, not one fact ("What happened in Geneva?")."""
    return bool(_BROAD.search(question.strip()))


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


# The finer kinds of value some "how ..." questions ask for, each with how a question asks for it and how a
# sentence writes one: "how old is he?" wants "the 28-year-old" more than "in 107 seconds", "how much did it
# cost?" wants "£790m" more than "300 jobs".
_UNIT_OF_TIME = r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|months?|years?|decades?|century|centuries)"
_COUNTED = (
    r"(?:\d[\d,.]*|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    r"fifty|several|few)"
)
# A price of none: "is free", "for free", "cost nothing" (not "a free kick", nor "Nothing has been decided")
_NO_PRICE = re.compile(
    r"\b(?:(?:is|are|was|were|be|been|remains?) free\b(?! of\b)|free of charge|for free|at no cost|unpaid|"
    r"(?:costs?|costing|paid|pays?|paying) nothing)\b",
    re.I,
)
_FINE_TYPES = {
    "age": (
        re.compile(r"\bhow old\b|\bwhat age\b", re.I),
        # "the 28-year-old", "17-month-old twins", "aged 23", "Smith, 23,", "Smith (23)", "at the age of 23", "I was
        # 18 when ...", "died at 72.", "in her twenties", "in his 40s" (a number ending its clause after "was" or
        # "at": not "There were 84 movies", "at 10 Downing Street"), or the year a thing was built: "built in 1850"
        re.compile(
            rf"\b{_COUNTED}[- ](?:years?|months?|weeks?|days?)[- ]old\b|\baged? (?:\d{{1,3}}\b|{_NUMBER_WORD}\b)|"
            r", \d{1,3}, |(?-i:[A-Z][\w'’-]+) \(\d{1,3}\)|"
            # "at the age of eight", "children as young as eight"
            rf"\bages? of (?:\d|{_NUMBER_WORD}\b)|\bas (?:young|old) as (?:\d|{_NUMBER_WORD}\b)|"
            r"\b(?:at|am|is|was|were|turned|turns|turning) \d{1,3}(?=\s*(?:[,.;:)!?]|when\b|and\b|$))|"
            # a minimum or maximum age: "athletes must be at least 16", "over 18s"
            r"\bbe (?:at least|over|under|older than|younger than) \d{1,2}\b"
            r"(?!\s*(?:%|per\b|percent|miles?|km|kilomet|met(?:er|re)s|feet|foot|kg|pounds|points|goals|votes))|"
            r"\b(?:teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b|\b\d0s\b|"
            r"\b(?:born|built|founded|established|opened|formed|created|dat(?:es|ing|ed) (?:back )?(?:to|from))\b"
            r"[^.;]{0,20}?\b(?:1[5-9]|20)\d\d\b",
            re.I,
        ),
    ),
    "money": (
        re.compile(
            r"\bhow much\b.*\b(?:cost(?:s|ing)?|pay(?:s|ing)?|paid|spen(?:[dt]|ds|ding)|worth|price|money|"
            r"rais(?:e|ed|es|ing)|earn(?:ed|s|ing)?|charg(?:e|ed|es|ing)|fined?|salary|budget|funds?|funding|"
            r"sold|sell(?:s|ing)? for|bought|owe[sd]?|valued?|profits?|offer(?:s|ed|ing)?|bid)\b|"
            r"\bwhat (?:price|sum|fee|fine)\b|\bwhat amount of (?:money|cash|funding)\b|\bhow much money\b|"
            # "What is the deal worth?", "What did it cost?", "What's the price of a ticket?"
            r"\bwhat(?:['’]s| is| was| are| were| will be| would be)(?: [\w'’-]+){1,4}? worth\b|"
            # (not "What did he pay tribute to?" nor "What did the minister say about pay?")
            r"\bwhat (?:did|does|do|will|would)(?: (?!(?:say|said|think|about)\b)[\w'’-]+){1,4}? (?:cost|pay)"
            r"(?: for\b[^?]*)?\s*\??\s*$|"
            r"\bwhat(?:['’]s| is| was| are| were) the (?:price|cost|fee|fine|salary|budget)\b|"
            r"\bhow much (?:did|does|do|will|would|could|can)(?: [\w'’-]+){1,5}? make\b",  # "did the film make"
            re.I,
        ),
        re.compile(
            r"[£$€¥]\s?\d|\b\d[\d,.]*\s?(?:m|bn|k|tn|million|billion|trillion)?\s?"
            r"(?:dollars|pounds|euros|yen|pence|cents|rupees|yuan)\b|"
            # a sum in words: "pay five pounds for a ticket", "a million dollars", "one pound"
            rf"\b(?:a|one|{_NUMBER_WORD})(?:[\s-]+(?:and[\s-]+)?{_NUMBER_WORD})*\s+(?:(?:million|billion)\s+)?"
            r"(?:dollars|pounds|euros|pence|cents|rupees|yuan)\b|\b(?:a|one) (?:dollar|pound|euro|penny|cent)\b",
            re.I,
        ),
    ),
    "duration": (
        re.compile(r"\bhow long\b", re.I),
        re.compile(
            rf"\b{_COUNTED}[- ]{_UNIT_OF_TIME}\b"
            r"(?![- ]old)|\bfor (?:seconds|minutes|hours|days|weeks|months|years|decades)\b",
            re.I,
        ),
    ),
    # "How far can it fly?" wants "almost 11,000 miles", "how tall is it?" "828 metres", "how fast?" "300 mph"
    "distance": (
        re.compile(r"\bhow (?:far|tall|deep|wide)\b|\bwhat (?:distance|height|depth)\b", re.I),
        re.compile(
            rf"\b{_COUNTED}\s?-?(?:miles?|kilomet(?:er|re)s?|km|met(?:er|re)s?|feet|foot|ft|yards?|inches|inch)\b",
            re.I,
        ),
    ),
    # "What share of DVDs do they make?" wants "about 45% of DVD content", not "Last month, Paramount, ..."
    "share": (
        re.compile(
            r"\bwhat (?:share(?!\s+(?:price|holder|s\b))|percentage|proportion|fraction|per ?cent)\b|\bhow much of\b",
            re.I,
        ),
        # not "a third term", "half an hour", "a quarter-final"
        re.compile(
            r"\d\s?(?:%|per ?cent\b)|\b(?:half|a third|two thirds|a quarter|three quarters)\b"
            r"(?![\s-]+(?:an?\s+)?(?:hour|year|term|time|man|men|woman|round|set|century|day|week|month|season|game|"
            r"final|way|party|of (?:the|a) (?:year|season|game|match|century|day)))",
            re.I,
        ),
    ),
    # "How big is he?" wants "6 feet, 270 pounds", "how heavy was it?" "about 1,000 kilograms"
    "size": (
        re.compile(r"\bhow (?:big|heavy|large)\b|\bhow much (?:does|did|do) (?:\w+ ){1,3}weigh\b|\bwhat size\b", re.I),
        re.compile(
            r"\b\d[\d,.]*\s?-?(?:pounds|lbs?|kg|kilo(?:gram)?s?|tons?|tonnes?|stone|feet|foot|ft|inches|"
            r"met(?:er|re)s?|centimet(?:er|re)s?|acres|hectares|"
            r"square (?:miles|feet|met(?:er|re)s|kilomet(?:er|re)s))\b"
            r"(?!\s*(?:million|billion|a year|each))",
            re.I,
        ),
    ),
    # "What was the score?" wants "a 2-0 victory over Fulham" or "4-6 6-3 6-3", not "Henry ... scored against Fulham"
    "score": (
        re.compile(
            r"\bwhat(?:['’]s| is| was| were) the (?:final |half-time |full-time |match )?(?:scores?|scoreline)\b|"
            r"\bby what (?:score|margin)\b|\bwhat did (?:\w+ ){1,3}win by\b",
            re.I,
        ),
        # not a range, an age band or odds: "aged 25-30", "10-15%", "$5-10", "a 100-1 outsider"
        re.compile(
            r"(?<![\d,.:/$£€¥-])(?<!\baged )(?<!\bages )\b\d{1,3}-\d{1,3}\b(?![\d/:-])"
            r"(?!\s*(?:%|per\b|percent|years?|months?|weeks?|days?|hours?|minutes?|outsider|shot|on\b))"
        ),
    ),
    "speed": (
        re.compile(r"\bhow fast\b|\bwhat speed\b", re.I),
        re.compile(
            rf"\b{_COUNTED}\s?-?(?:mph|km/h|kph|kmh|knots|miles (?:an|per) hour|kilomet(?:er|re)s (?:an|per) hour)",
            re.I,
        ),
    ),
}


# "How many screens ...?" wants a number counting screens ("two screens", "the two-screen DS", "12 people died"),
# not "2 December" or "In 2004, people ...". Only a count: no "a", "several" or "few", nor a year.
_HOW_MANY = re.compile(r"\bhow many\b", re.I)
_COUNT = (
    r"(?:(?<![\d,.])(?!(?:1[5-9]|20)\d\d\b)\d+(?:[,.]\d+)*|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundreds?|thousands?|millions?|dozens?|a dozen|a hundred|a thousand|a million)"
)


def _counted(question: str) -> str | None:
    """What a "how many" question counts: the first word after "how many" that is not a stopword ("hostages"
    in "How many of the hostages were freed?", "killed" in "How many were killed?"); None for other questions."""
    asked = _HOW_MANY.search(question)
    if asked is None:
        return None
    after = re.findall(r"[a-z][\w'’-]*", question[asked.end() :].lower())
    return next((w for w in after if w not in STOPWORDS), None)


def fine_type(question: str) -> str | None:
    """The finer kind of value a question asks for: 'age' ("how old"), 'money' ("how much ... cost"), 'duration'
    ("how long"), 'distance' ("how far", "how tall"), 'size' ("how big", "how heavy"), 'speed' ("how fast"), 'share'
    ("what percentage"), 'score' ("what was the score") or 'count' ("how many screens"); None for any other
    question."""
    kind = next((kind for kind, (asks, _) in _FINE_TYPES.items() if asks.search(question)), None)
    return kind or ("count" if _counted(question) else None)


def _stem_of(noun: str) -> str:
    """`noun` without a plural ending ("screens" -> "screen", "companies" -> "compan"), to match any form of it with
    `_ANY_FORM` after it."""
    return re.sub(r"(?:ies|es|s)$", "", noun) if len(noun) > 4 else re.sub(r"s$", "", noun)


_ANY_FORM = r"(?:s|es|ies|y|e)?\b"  # after `_stem_of`'s stem: "miles" and "mile", not "million"


def fine_pattern(question: str) -> re.Pattern[str] | None:
    """How a sentence writes the finer kind of value `question` asks for (`fine_type`): "the 28-year-old",
    "790m euros", "90 minutes", "two screens"; None when it asks for none."""
    kind = fine_type(question)
    if kind in _FINE_TYPES:
        return _FINE_TYPES[kind][1]
    noun = _counted(question)
    if noun is None:
        return None
    stem = _stem_of(noun)
    # The number, then up to two words that describe the thing ("two touch screens", not "one in total yards"),
    # then the thing counted, in any form of its word ("miles" and "mile", not "million").
    between = r"(?:(?!(?:in|of|on|at|by|to|for|from|with|the|and|or|than)\b)[\w'’-]+[- ])"
    return re.compile(rf"\b{_COUNT}[- ]{between}{{0,2}}{re.escape(stem)}{_ANY_FORM}", re.I)


def missing_names(question: str, passages: list[Document]) -> int:
    """How many capitalised names of the question no passage (nor its title) mentions."""
    found = names(question)
    if not found:
        return 0
    present: set[str] = set()
    for p in passages:
        present.update(terms(f"{p.metadata.get('title', '')} {p.page_content}"))
    return sum(1 for name in found if not set(terms(name)) <= present)


def missing_years(question: str, passages: list[Document]) -> list[str]:
    """The years the question names that no passage gives, in its text, title or date ("the 2010 World Cup"
    asked of an archive of 2004-2005)."""
    asked = [value for kind, value in values(question) if kind == "year"]
    if not asked:
        return []
    given = " ".join(
        f"{p.metadata.get('title') or ''} {p.metadata.get('date') or ''} {p.page_content}" for p in passages
    )
    return [year for year in dict.fromkeys(asked) if not re.search(rf"(?<!\d){year}(?!\d)", given)]


def year_abstention(question: str, passages: list[Document]) -> Answer | None:
    """An abstention that says which year the passages never mention, or None when they mention every one."""
    missing = missing_years(question, passages)
    if not missing:
        return None
    reason = f"None of the articles I found mentions {missing[0]}."
    return Answer.abstention(question, GENERATOR, passages, reason=reason)


def unknown_names(question: str, known: Callable[[str], bool]) -> int:
    """How many names of the question (acronyms aside) the whole corpus never mentions."""
    return len(never_mentioned(question, known))


def never_mentioned(question: str, known: Callable[[str], bool]) -> list[str]:
    """The names of the question (acronyms aside) the whole corpus never mentions, in the question's order. A first
    name or nickname beside a name the corpus knows ("Tony Blinken") is another way to write that name."""
    return [
        name
        for name in names(question)
        if not name.isupper() and not all(known(t) for t in terms(name)) and not _beside_known(name, question, known)
    ]


def _unmentioned(question: str, typed: str, known: Callable[[str], bool]) -> str:
    """ "None of the articles mentions Patriot.": the first name of the question that the reader capitalised
    (`typed`) and the corpus never mentions; empty when there is none."""
    capitalised = set(names(typed))
    unknown = [name for name in never_mentioned(question, known) if name in capitalised]
    return f"None of the articles mentions {unknown[0]}." if unknown else ""


# A name of the question is written in the passages when its second word follows its first within this many words
# ("Sam Mendes": "Sam A. Mendes"), a word counting as the same when its first `SAME_START` letters are ("Middle
# Eastern": "the Middle East"). Judgement calls, checked on SQuAD 2.0's training sample (docs/evaluation.md).
NAME_GAP = 2
SAME_START = 4


def unwritten_names(question: str, passages: list[Document], typed: str | None = None) -> list[str]:
    """The two-word names of the question that join a word of one name the passages write to a word of another
    ("Radar Princess": the articles name "Twilight Princess" and "Games Radar"; "Westminster Hall": "the Royal Albert
    Hall"). The passages (and titles) mention both words, never together (the second within `NAME_GAP` words of the
    first), and write one of them beside another capitalised word (not "The"). Only a name of exactly two words the
    reader capitalised (`typed`, the question as written) counts: not a title and a name ("President Kennedy"), an
    acronym ("Apple SDK"), a possessive before a word ("Spectre's Hall"), nor a part of a longer name ("New York
    Times")."""
    found = {_bare(name) for name in names(question)} & {_bare(name) for name in names(typed or question)}
    runs: list[list[str]] = []
    end = -1
    for m in re.finditer(r"[\w'’-]+", question):
        word = _bare(m.group())
        joins = (
            bool(runs) and end >= 0 and not question[end : m.start()].strip() and not _POSSESSIVE.search(runs[-1][-1])
        )
        if word not in found:
            end = -1
            continue
        if joins:
            runs[-1].append(m.group())
        else:
            runs.append([m.group()])
        end = m.end()
    pairs = [
        (first, _bare(second))
        for first, second in (run for run in runs if len(run) == 2)
        if not any(w.isupper() or not w.isalpha() for w in (first, _bare(second)))
        and first.lower().rstrip(".") not in TITLES | _TITLES  # "President Kennedy": "President John F. Kennedy"
    ]
    if not pairs:
        return []
    texts = [f"{p.metadata.get('title') or ''}\n{p.page_content}" for p in passages]
    listed = [terms(text) for text in texts]
    present = set().union(*listed) if listed else set()

    def written(a: str, b: str) -> bool:
        return any(
            t[:SAME_START] == a[:SAME_START]
            and any(w[:SAME_START] == b[:SAME_START] for w in words[i + 1 : i + 2 + NAME_GAP])
            for words in listed
            for i, t in enumerate(words)
        )

    def beside_another(first: str, second: str) -> bool:
        after = re.compile(rf"\b{re.escape(first)}[ \t]+([A-Z][\w'’-]*)")
        before = re.compile(rf"\b([A-Z][\w'’-]*)[ \t]+{re.escape(second)}\b")
        return any(
            any(m.group(1) != second and m.group(1).lower() not in STOPWORDS for m in after.finditer(text))
            or any(m.group(1) != first and m.group(1).lower() not in STOPWORDS for m in before.finditer(text))
            for text in texts
        )

    out = []
    for first, second in pairs:
        a, b = terms(first), terms(second)
        if len(a) == len(b) == 1 and {*a, *b} <= present and not written(a[0], b[0]) and beside_another(first, second):
            out.append(f"{first} {second}")
    return out


_POSSESSIVE = re.compile(r"['’]s?$")


def _bare(word: str) -> str:
    """A word of a name without its possessive ("Spectre's": "Spectre")."""
    return _POSSESSIVE.sub("", word)


def _beside_known(name: str, text: str, known: Callable[[str], bool]) -> bool:
    """True when `text` writes `name` next to a capitalised word the corpus knows ("Tony Blinken")."""
    for m in re.finditer(rf"([A-Z][\w'’-]*)\s+{re.escape(name)}\b|\b{re.escape(name)}\s+([A-Z][\w'’-]*)", text):
        stems = terms(m.group(1) or m.group(2))
        if stems and all(known(t) for t in stems):
            return True
    return False


# A question asking what did not happen ("Which team did not score?", "Who was not invited?"), and the words with
# which a sentence says that something did not, or happened otherwise ("was left out", "postponed").
# "Not" after one of these belongs to a clause of its own ("the soldier who wasn't sentenced", "if they did not
# convert"), not to what the question asks ...
_OPENER_WORDS = (
    "if that whether because unless when while although though after before since so who which whom whose where"
)
_CLAUSE_OPENERS = frozenset(_OPENER_WORDS.split())
# ... nor right after one of these ("By not going back ...", "complain of not ...", "sometimes but not always").
_NOT_MAIN_AFTER = frozenset({"by", "of", "for", "from", "in", "on", "about", "without", "but", "and", "or"})
# The questions it can be: asking for a thing, a person, a place or a time. "Why was the match not played?" and
# "How many did not vote?" are answered by what did happen ("postponed", "stayed at home"); "Didn't he promise
# ...?" asks to confirm.
_ASKING_WHAT = frozenset({"who", "whom", "whose", "which", "what", "where", "when"})
_SAYS_NOT = re.compile(
    r"n['’ʼ]t\b|\b(?:not|never|no|none|nor|neither|nobody|nothing|without|cannot|unable|fail(?:s|ed|ing)?|"
    r"refus\w*|den(?:y|ies|ied)|lack\w*|los(?:e|es|t|ing)|absent|unlike|except|instead|rather|only|other|apart|"
    r"but|yet|against|left out|dropped|postpon\w*|cancel+\w*|exclud\w*|withdr[ae]wn?|withdraw\w*|ruled out|"
    r"abstain\w*|boycott\w*|miss(?:ed|es|ing)|skipp\w*|stay(?:ed|s)? (?:away|at home)|spared|survived|escaped|"
    r"avoided|banned|barred|blocked|halted|suspended|scrapped|abandoned)\b",
    re.I,
)


def asks_not(question: str) -> bool:
    """True when the question asks for what did not happen, its main verb negated: "Which team did not score?",
    "Who never apologised?", "In which city did the strike not go ahead?". Not for a negated clause inside it
    ("Who was the soldier who wasn't sentenced?", "Why was she urged not to go?"), a "why" or "how" question, or
    one asking to confirm ("Didn't he promise a vote?")."""
    tokens = re.findall(r"[\w'’ʼ]+", question.lower())
    while tokens and tokens[0] in {"so", "and", "but", "then", "ok", "okay", "well"}:  # "So who wasn't invited?"
        tokens = tokens[1:]
    asking = next((i for i, t in enumerate(tokens) if t in _ASKING_WHAT), None)
    if asking is None or tokens[0] in {"why", "how"} or tokens[0] in AUXILIARIES:
        return False
    for i, token in enumerate(tokens):
        contracted = token.endswith(("n't", "n’t", "nʼt")) or token == "cannot"
        if not contracted and token not in {"not", "never"}:
            continue
        if i == 0:
            return False
        before = [t for j, t in enumerate(tokens[:i]) if j != asking]  # "In which city ...", "So who ..."
        if (
            any(t in _CLAUSE_OPENERS for t in before)
            or "to" in tokens[i - 1 : i + 2]
            or tokens[i - 1] in _NOT_MAIN_AFTER
        ):
            return False
        # the auxiliary it negates, a few words before ("What did the Normans not conquer?"), or "Who never ..."
        return contracted or any(t in AUXILIARIES for t in tokens[max(0, i - 4) : i]) or i == asking + 1
    return False


_NEGATED_AUXILIARY = rf"(?:(?:{'|'.join(sorted(AUXILIARIES))}) (?:not|never)|never|\w+n['’ʼ]t|cannot)"


def _denied(question: str, chosen: list[Candidate]) -> str:
    """For a question that asks for what did not happen (`asks_not`), answered with sentences that say nothing did
    not (they tell what did, the opposite of what was asked): "None of the sentences I found says who was not
    invited." Empty otherwise."""
    if not asks_not(question) or any(_SAYS_NOT.search(c.span.text) for c in chosen):
        return ""
    # "Who was not invited?" and "Which team did not score?" read as they are; "What did they not see?" does not.
    asked = re.match(rf"\s*((?:who|what|which)(?: [\w'’-]+)? {_NEGATED_AUXILIARY} [^?]+)", question, re.I)
    said = asked.group(1).rstrip(" .!?") if asked else "what did not happen"
    return f"None of the sentences I found says {said[0].lower()}{said[1:]}."


# How a sentence answers "how many" or "how much" without a number ("several types", "a single output", "none of
# the treaties", "nobody was hurt", "twice", "it is free"), and "how long" or "how often" ("known in seconds", "until
# Friday", "for life").
_QUANTITY = re.compile(  # (not "many": "many visas would be suspended" says no more than "how many" asks)
    r"\b(?:several|few|numerous|countless|multiple|dozens|scores|single|none|both|couple|handful|vast|"
    r"majority|minority|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|nobody|"
    r"no one|once|twice|daily|weekly|monthly|annually|yearly|hourly|free)\b",
    re.I,
)
# "What is the population of Tokyo?" asks for a figure too.
_WHAT_FIGURE = re.compile(
    r"\bwhat(?:'s|’s| is| was| are| were) the (?:population|speed|height|length|weight|distance|price|cost|size|"
    r"temperature|area|depth|rate|value)\b",
    re.I,
)
# A length of time: "after just nine months", "for years", "known in seconds", "since 1997", "until Monday"
_LASTS = re.compile(
    rf"\b{_COUNTED}[- ]{_UNIT_OF_TIME}\b"
    r"(?![- ]old)(?!\s+(?:ago|earlier|later|before|after)\b)|"
    r"\b(?:for|in|within|over) (?:seconds|minutes|hours|days|weeks|months|years|decades)\b|"
    r"\b(?:since|until|till|indefinitely|for life|briefly|overnight|forever)\b",
    re.I,
)
_HOW_LONG = re.compile(r"\bhow (?:long|often|old)\b", re.I)
_TIME_UNIT = re.compile(
    r"\b(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies)|until|till|indefinitely|"
    r"for life|" + "|".join(WEEKDAY_NAMES + MONTH_NAMES) + r")\b",
    re.I,
)


# "Why?" wants a sentence that gives a reason: "The extra leeway came after the Office for National Statistics said
# ...", not the lead that told what happened ("after" and "since" alone tell when, as often as why)
_WHY = re.compile(r"\s*why\b", re.I)
_REASON = re.compile(
    r"\b(?:because|as a result|due to(?! be\b)(?! [\w'’-]+ (?:the|a|an|his|her|its|their)\b)|owing to|so that|"
    r"in order to|led to|leading to|caused|blamed|reasons?|(?:came|comes|come) (?:after|amid))\b",
    re.I,
)


def _fine_first(question: str, ranked: list[Candidate]) -> list[Candidate]:
    """`ranked`, led by the best sentence that writes the finer kind of value `question` asks for (`fine_pattern`), or
    for "Why?" a reason (`_REASON`), for "What happens next?" what is to come (`_AHEAD`). For a follow-up held to the
    story it asks on about that has no words but how it asks ("How old was he?" after a story's lead): the names it
    carried only find the story, and in the sentences that repeat them they outscore "Nabhan, 30, was born in
    Kenya"."""
    fine = fine_pattern(question) or (_REASON if _WHY.match(question) else None)
    fine = fine or (_AHEAD if ASKS_WHATS_NEXT.match(question) else None)
    if fine is None or not ranked or fine.search(ranked[0].span.text):
        return ranked
    best = next((c for c in ranked if fine.search(c.span.text)), None)
    if best is None:
        return ranked
    return _leading(best, ranked)


# "When was that?", "When's that?", "When did he say that?", "When did this happen?": when what the last answer
# quoted happened (not "When did police find it?", which has words of its own)
_WHEN_THAT = re.compile(
    r"\s*(?:and |so )?when(?:['’]s| (?:was|is|did|does|do|were|will))"
    r"(?: (?:he|she|they|you|we) (?:say|said|do|tell|announce|write))? (?:that|this|it)(?: happen(?:ed)?)?"
    r"\s*[?!.]*\s*",
    re.I,
)
_CALENDAR_NAMES = tuple(n.title() for n in (*WEEKDAY_NAMES, *MONTH_NAMES))  # "Monday", "May", as news writes them
# A time a sentence gives: a year, a weekday or a month (capitalised: not the "may" of "may face"), "yesterday",
# "last week" ("25-year-old" gives none)
_SAYS_WHEN = re.compile(
    r"\b(?:1[5-9]\d\d|20\d\d)\b|\b(?:" + "|".join(_CALENDAR_NAMES) + r")\b"
    r"|\b(?i:yesterday|today|tonight|(?:last|this|next) (?:week|month|year))\b"
)


def _then_first(question: str, ranked: list[Candidate], heard: AbstractSet[str]) -> list[Candidate]:
    """`ranked`, for "When was that?" held to the story just quoted, led by a sentence the last answer quoted
    (`heard`, as `_sentences_of` gives them) that says when (`_SAYS_WHEN`: "In his first post-election news
    conference Friday afternoon, Obama ..."): "that" is what it said, and the sentences naming the carried words
    best are about other things ("Ali Larijani said Saturday ...", a turn before)."""
    if not heard or not _WHEN_THAT.fullmatch(question):
        return ranked
    when = next((c for c in ranked if _plain(c.span.text) in heard and _SAYS_WHEN.search(c.span.text)), None)
    if when is None or when is ranked[0]:
        return ranked
    return _leading(when, ranked)


_SAYING_WORDS = ("say", "says", "said", "tell", "told")
_SAYING = frozenset(terms(" ".join(_SAYING_WORDS)))  # "say" is a stop word; "tell" is not
# "What did he say?", "What did his statement say?": what was said ("Who said that?" asks who)
_ASKS_SAID = re.compile(rf"^\s*(?:and |so )?what\b.*\b(?:{'|'.join(_SAYING_WORDS)})\b", re.I)


def asks_what_was_said(question: str) -> bool:
    """True for "What did he say?", "What did the economy minister say?", "What does the report say?"."""
    return bool(_ASKS_SAID.search(question))


# A sentence that goes on with what the one before said: it opens a quote, or says who said it with a pronoun
# ("Crews were still at work ..., he said, "but the danger is over."", "It claimed revenues were ...") ...
_GOES_ON_SAYING = re.compile(
    r"^\s*[\"“‘']|^\W*(?:he|she|they|it) (?:said|says|added|told|claimed|claims|insisted|warned)\b|"
    r",\s*(?:he|she|they) (?:said|says|added|told)\b",
    re.I,
)
# ... unless it names who said it: '"He is quite wrong," said Ann Pole' is hers. The verbs by which news reports
# speech ("states" and "claims" are more often nouns: "the United States"), and who a sentence says said it, with
# the titles before the name: "said President Bush", "Chancellor Gordon Brown said"
_SAYING_VERBS = (
    "said|says|told|added|insisted|warned|stated|declared|noted|admitted|replied|responded|stressed|vowed|explained|"
    "argued|claimed"
)
_CAPITALISED_RUN = r"(?:(?-i:[A-Z])[\w'’.-]*\s+){0,4}(?-i:[A-Z])[\w'’-]+"
_SPOKEN_BY = re.compile(  # "told CNN" names who heard it
    rf"\b(?!told\b)(?:{_SAYING_VERBS})\s+(?P<by>{_CAPITALISED_RUN})|(?P<by_>{_CAPITALISED_RUN})\s+(?:{_SAYING_VERBS})\b",
    re.I,
)
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")  # a quote's own words name no speaker: '"Nobody in Washington said a word"'
# "he said Monday", "We said": no one named
_NOT_SPEAKING = (
    frozenset(n.lower() for n in ("He", "She", "They", "It", "We", "You", "I", *_CALENDAR_NAMES)) | STOPWORDS
)


def _speakers_of(text: str) -> list[set[str]]:
    """The people `text` says said something, each as the set of their name's words, lower-cased ("said President
    Bush": {"president", "bush"}); not the words of a quote, nor "he" or "Monday"."""
    told = _QUOTED.sub(" ", text)
    said_by = [set(words((m["by"] or m["by_"]).lower())) - _NOT_SPEAKING for m in _SPOKEN_BY.finditer(told)]
    return [by for by in said_by if by]


def _quote_goes_on(ranked: list[Candidate], said: AbstractSet[str], heard: AbstractSet[str]) -> list[Candidate]:
    """`ranked`, for "What did he say?" held to the story whose quote of him the reader has just read (`heard`: "None
    of this changes the big picture ...," said Jonathan Loynes), whether or not it ranks first (the names carried
    from turns before may fit another sentence better): led by the sentence after that quote when it goes on with
    the quote ('"Accordingly, it seems very likely ...'), says he said it (`_GOES_ON_SAYING`) or stands inside the
    same quotation ('"... I was 18 when she was conceived. It was a different time."'), rather than the same words
    again."""
    lead = next((c for c in ranked if _plain(c.span.text) in heard), None)
    lead = lead or (ranked[0] if ranked and _plain(ranked[0].span.text) in said else None)
    if lead is None:
        return ranked
    story = lead.passage.metadata.get("article_id")
    after = [c for c in ranked if c.passage.metadata.get("article_id") == story and _position(c) > _position(lead)]
    following = min(after, key=_position, default=None)
    if following is None or _plain(following.span.text) in said:
        return ranked
    if not _GOES_ON_SAYING.search(following.span.text) and not _inside_quote(following, lead):
        return ranked
    named = {w.lower() for w in words(lead.span.text)}
    if any(not by & named for by in _speakers_of(following.span.text)):
        return ranked  # another's words
    return _leading(following, ranked)


# How far back a quotation the quote just read goes on in may have opened: "I don't blame her mother. I was out of
# control. I was 18 when she was conceived." (further back, a quote left open by a page's markup would count)
QUOTE_REACH = 2


def _inside_quote(following: Candidate, lead: Candidate) -> bool:
    """True when `following`, the sentence after `lead`, stands inside a quotation opened in `lead` or at most
    `QUOTE_REACH` sentences before it and not closed: more opening curly quotes than closing from there, or an odd
    number of straight ones whose last opens a quote (one closing it, '... on Monday," Pole said.', ends it). Where
    passages overlap, `following` may be read from the passage after `lead`'s, which holds `lead` again."""
    text = lead.passage.page_content
    starts = [span.start for span in _sentences(text)]
    if lead.span.start not in starts:
        return False
    at = starts.index(lead.span.start)
    window = text[starts[max(0, at - QUOTE_REACH)] : lead.span.end]
    after = following.passage.page_content
    if following.passage.id == lead.passage.id:
        window += after[lead.span.end : following.span.start]
    else:
        again = after.rfind(lead.span.text, 0, following.span.start)
        if again < 0:
            return False
        window += after[again + len(lead.span.text) : following.span.start]
    if window.count("“") > window.count("”"):
        return True
    last = window.rfind('"')
    return window.count('"') % 2 == 1 and last + 1 < len(window) and not window[last + 1].isspace()


def _asks_figure(question: str) -> bool:
    """Whether `question` asks for a number ("How tall is Mount Everest?", "What is the population of ...?")."""
    asks = expected_type(question) == "number" or bool(_WHAT_FIGURE.search(question))
    asks = asks or fine_type(question) in ("money", "score")
    return asks and not is_broad(question)


# What is paid as a share of something, asked for as such ("How much tax ...?", "How much interest?", not "How much
# will the tax cut cost?"): a percentage answers it
_RATE = re.compile(
    r"\bhow much (?:[\w'’-]+ )?(?:tax(?:es)?|vat|dut(?:y|ies)|interest|tariffs?|levy|levies|commissions?|"
    r"royalt(?:y|ies)|tips?|discounts?|rates?|cut|mark-?up)\b(?! cut)",
    re.I,
)


def _gives_figure(question: str, candidate: Candidate) -> bool:
    """Whether `candidate` gives a number, a word of quantity or, for "how long", a length of time or way; for a
    sum ("How much does the surgery cost?"), a sum, in figures or words, or a word for none ("free"): a count or a
    share answers no price; for "How old?", an age ("aged 23", "I was 18 when ...") or the year a thing was built or
    founded."""
    fine = fine_type(question)
    if fine == "money":
        if _RATE.search(question) and _FINE_TYPES["share"][1].search(candidate.span.text):
            return True  # "How much tax do they have to pay?": "only have to pay 1% in income tax"
        return bool(_FINE_TYPES["money"][1].search(candidate.span.text) or _NO_PRICE.search(candidate.span.text))
    if fine in ("age", "score"):  # "How old are they?": an age (`_FINE_TYPES`), not "84 movies"; a score: "18-17"
        return bool(_FINE_TYPES[fine][1].search(candidate.span.text))
    text = candidate.span.text
    if fine == "count" and (counted := fine_pattern(question)) is not None and counted.search(text):
        return True  # "2000 guests" for "How many guests ...?"
    if fine == "count":  # "How many jobs ...?": not "2.1% more cars" nor "the late 60s" ("how big": "a $10m bonus")
        text = _NOT_A_COUNT.sub(" ", text)
    elif fine == "duration":  # "how long is the run": not "on 9 April" (but "since 1997" says how long)
        text = _NOT_A_FIGURE.sub(" ", text)
        # a length of time or of way, not a number alone ("one of UKIP's two London Assembly members", "world number
        # one") nor a time ("three years ago", "last June")
        return bool(_LASTS.search(text) or _FINE_TYPES["distance"][1].search(text))
    measures = [_NUMBER, _QUANTITY, *([_TIME_UNIT] if _HOW_LONG.search(question) else [])]
    return any(m.search(text) for m in measures)


# The figures a follow-up may be answered with from the story the conversation is on, when the search left it: those
# of a form of their own ("16-9", "£35m", "aged 23", "nine months", "828 metres", "45%"). Not a count: of five
# such follow-ups in rounds M-P, a count the story gave answered one ("14 strategic bombers took to the air" for "how
# many planes went up") and four it does not answer ("how many sailors are on board": "... more than 2 million
# people in need of aid"; docs/evaluation.md, session 43)
_STORY_FIGURES = ("money", "age", "score", "duration", "distance", "share")


def asks_story_figure(question: str) -> bool:
    """Whether `question` asks for a figure of a kind `gives_figure_asked` reads: a sum, an age, a score, a length
    of time or way, a share."""
    return fine_type(question) in _STORY_FIGURES and not is_broad(question)


def gives_figure_asked(question: str, quotes: Sequence[str]) -> bool:
    """Whether a sentence of `quotes` gives the figure `question` asks for, of its kind (`fine_type`): a score, a
    sum, an age or a length of its own pattern (`_gives_figure`), a length of way or a share (`_FINE_TYPES`). False
    for a question asking no such figure."""
    if not asks_story_figure(question):
        return False
    fine = fine_type(question)
    for quote in quotes:
        if fine in ("distance", "share"):
            given = bool(_FINE_TYPES[fine][1].search(quote))
        else:
            sentence = Candidate(Span(0, len(quote), quote), Document(page_content=quote), 0, 0.0, 0.0)
            given = _gives_figure(question, sentence)
        if given:
            return True
    return False


# What gives no count, length or size: a sum, a share of no group named ("2.1% more cars", not "55% of voters"), a
# day of a month, a time of day; and (`_NOT_A_COUNT`) a year or a decade
_NOT_A_FIGURE_TEXT = (
    r"[£$€¥]\s?\d[\d,.]*\s?(?:m|bn|k|tn|million|billion|trillion)?\b|"
    r"\b\d[\d,.]*\s?(?:m|bn|k|tn|million|billion|trillion)?\s?(?:dollars|pounds|euros|yen|pence|cents|rupees|yuan)\b|"
    r"\b\d[\d,.]*\s?(?:%|per ?cent\b)(?!\s+of\b)|"
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{'|'.join(MONTH_NAMES)})\b|\b(?:{'|'.join(MONTH_NAMES)})\s+\d{{1,2}}\b|"
    r"\b\d{1,2}(?::\d\d)?\s*(?:a\.m\.?|p\.m\.?|am\b|pm\b)|\b\d{1,2}:\d\d\b"
)
_NOT_A_FIGURE = re.compile(_NOT_A_FIGURE_TEXT, re.I)
_NOT_A_COUNT = re.compile(
    rf"{_NOT_A_FIGURE_TEXT}|[’']?\b\d0(?:s|'s)\b|\b(?:1[5-9]|20)\d\ds\b|"
    # a year as a date: "in 2004", "the 1990s", "(1685)", "... by 1999." (not "attended by 2000 guests")
    r"\b(?:in|since|from|until|till|before|after|during|around|early|late|mid)[\s-]+(?:1[5-9]|20)\d\d\b|"
    r"\(\s*(?:1[5-9]|20)\d\d\b|\b(?:1[5-9]|20)\d\d(?=\s*(?:[,.;:)!?]|$))",
    re.I,
)


_WHICH_KIND = re.compile(r"\b(?:which|what)\s+(?:kind of\s+|type of\s+|sort of\s+)?([a-z][\w'’-]+)", re.I)


def _names_kind_asked(question: str, text: str) -> bool:
    """Whether `text` names one of the kind of thing `question` asks "which" of, as a name the question does not
    write: "the Washington Hospital Center" for "which hospital", "Columbine High School" for "what school"."""
    asked = _WHICH_KIND.search(question)
    if asked is None or asked[1].lower() in STOPWORDS:
        return False
    kind = asked[1].lower()
    stem = _stem_of(kind)
    written = {w.lower() for w in words(question)}
    name = re.compile(
        rf"(?-i:[A-Z])[\w'’.-]*(?:\s+(?-i:[A-Z])[\w'’.-]*)*\s+(?-i:{stem[:1].upper()}){re.escape(stem[1:])}\w*"
        rf"|\b(?-i:{stem[:1].upper()}){re.escape(stem[1:])}\w*(?:\s+of)?\s+(?-i:[A-Z])[\w'’.-]+"
    )
    for found in name.finditer(text):
        others = {w.lower() for w in words(found[0])} - {kind, stem, "of"}
        opens = found.start() == 0 and found[0].lower().startswith(stem)  # "Hospital Director Smith said ..."
        if not opens and others - written:
            return True
    return False


def _of_those_named(question: str, candidate: Candidate) -> bool:
    """Whether `candidate` names what `question` names ("Keane" of "how many copies did Keane sell"), if it names
    anything: a figure in a sentence about someone else ("... they had sold 125 million albums", of U2) is not
    theirs."""
    named = {w.lower() for name in names(question) for w in words(name)}
    return not named or bool(named & {w.lower() for w in words(candidate.span.text)})


def _no_figure(question: str, chosen: list[Candidate]) -> str:
    """For a question that asks for a number ("How tall is Mount Everest?"), answered with sentences that give
    none, nor a word of quantity or, for "how long", of time: "None of the sentences I found gives a figure for
    that." Empty otherwise."""
    if not _asks_figure(question) or any(_gives_figure(question, c) for c in chosen):
        return ""
    return "None of the sentences I found gives a figure for that."


# Any time a sentence gives: a date (`_DATE`: "in 2004", "Monday", "next week"), a time of day, "ago", "soon", an age,
# a season
_GIVES_TIME = re.compile(
    r"\b(?:\d{1,2}(?::\d\d)?\s*(?:a\.m|p\.m|am\b|pm\b)|\d{1,2}:\d\d|ago|soon|shortly|at (?:the )?age|aged? \d|"
    r"tomorrow|tonight|weekends?|fortnight|midnight|noon|dawn|mornings?|afternoons?|evenings?|nights?|"
    r"spring|summer|autumn|winter|season|decades?|\d0s|\d{4}s)\b|"
    # days, weeks, months, years as a time: "in recent years", "within days", "weeks later" (not "one of its toughest
    # years")
    r"\b(?:in|for|within|over|after|before|during|recent|coming|past|next|last|few|several|many|some|these|those|"
    r"earlier|later)\s+(?:[\w'’-]+\s+)?(?:days|weeks|months|years)\b|"
    r"\b(?:days|weeks|months|years)\s+(?:later|earlier|after|before|ago|from now)\b|"
    # a time of life: "when she was a toddler", "as a teenager", "in his early teens", "at birth" (not "as a baby
    # sitter", "in their children")
    r"\b(?:as an?|when (?:he|she|they|i|we|you) (?:was|were)(?: still| just)?(?: an?)?)\s+(?:(?:very|young|small|"
    r"little) )*(?:toddler|baby|infant|child|kid|boy|girl|teen|teenager|adolescent)s?\b(?!\s+(?!(?:and|or|but|in|at|"
    r"when|with|by|she|he|they|her|his|their)\b)[a-z])|\bin (?:his|her|their|my) (?:early |late )?(?:childhood|"
    r"infancy|youth|teens)\b|\bat birth\b",
    re.I,
)


# A length of time alone, which says no when: "a sentence of 16 months to four years" (not "in two weeks", "two years
# ago", "the past three months")
_ONLY_HOW_LONG = re.compile(
    r"(?<!\bin )(?<!\bwithin )(?<!\bafter )(?<!\bnext )(?<!\blast )(?<!\bpast )(?<!\bfirst )"
    rf"\b{_COUNTED}[- ]{_UNIT_OF_TIME}\b(?![- ]old)"
    r"(?!\s+(?:ago|earlier|later|before|after|from now|on)\b)",
    re.I,
)


def _gives_time(candidate: Candidate) -> bool:
    """Whether `candidate` gives a time (`_DATE`, `_GIVES_TIME`), not only how long (`_ONLY_HOW_LONG`)."""
    text = _ONLY_HOW_LONG.sub(" ", candidate.span.text)
    return bool(_DATE.search(text) or _GIVES_TIME.search(text))


_ASKS_DEADLINE = re.compile(
    r"^\s*(?:(?:and|so|but)\s+)?what(?:['’]s| is| was) the (?:deadline|date|start date|closing date)\b", re.I
)


# "who does she play next", "when's the next game", "and the upcoming primary?" (not "next to", "next door")
_TO_COME = re.compile(r"\b(?:tomorrow|tonight|soon|shortly|upcoming|coming|this (?:week|weekend|month|season))\b", re.I)
_ASKS_NEXT = re.compile(r"\b(?:next\b(?!\s+(?:to|door)\b)|upcoming\b)", re.I)


def _no_next(question: str, chosen: list[Candidate], follow_up: bool) -> str:
    """For a follow-up asking what comes next ("who does pavlyuchenkova play next"), answered with sentences that say
    nothing of what is to come (`_AHEAD`, `_TO_COME`: "Pavlyuchenkova celebrates her victory over Jelena Jankovic
    ..."): "None of the sentences I found says what comes next." Empty otherwise, and for a question asked anew."""
    if not follow_up or not _ASKS_NEXT.search(question) or is_broad(question) or ASKS_WHATS_NEXT.match(question):
        return ""
    if any(_AHEAD.search(c.span.text) or _TO_COME.search(c.span.text) for c in chosen):
        return ""
    return "None of the sentences I found says what comes next."


def _no_time(question: str, chosen: list[Candidate], follow_up: bool) -> str:
    """For a follow-up asking when ("When do they play next?", `follow_up`: it carries the conversation), answered
    with sentences that give no time ("Playing three up was something different."): "None of the sentences I found
    says when." Empty otherwise, and for a question asked anew (an encyclopedia's "when" is answered by "during the
    Renaissance" as often as by a date), unless it asks for a deadline or a date ("whats the deadline to donate
    toys")."""
    asks = (follow_up and ASKS_WHEN.match(question)) or _ASKS_DEADLINE.search(question)
    if not asks or is_broad(question):
        return ""
    if any(_gives_time(c) for c in chosen):
        return ""
    return "None of the sentences I found says when."


# A follow-up asking where ("where will next year's awards be held", "and where is it?"), not where something leaves
# someone ("Where does that leave them?")
_ASKS_WHERE = re.compile(
    r"^\s*(?:(?:and|so|but|ok|okay)\s+)?where\b(?!.*\bleaves?\s+(?:us|them|him|her|me|you)\b)", re.I
)
# A place written without a capital: "in hospital", "at his home", "from a nearby village", "abroad"
_PLACE_WORD = re.compile(
    r"\b(?:in|at|to|from|near|into|outside|inside|across|toward|towards|on|off)\s+(?:(?:the|a|an|his|her|their|its|"
    r"our|my|your)\s+)?(?:[\w'’-]+\s+)?(?:home|hospital|school|college|university|prison|jail|court|church|mosque|"
    r"hotel|airport|station|camp|border|coast|city|town|village|country|state|capital|region|province|area|street|"
    r"road|base|sea|island|stadium|ground|office|house|headquarters|embassy|port|park|club|venue|cent(?:er|re))s?\b|"
    r"\b(?:abroad|overseas|nearby|downtown|nationwide|worldwide|locally|offshore|upstate)\b|"
    # "in bed", "on stage", "at his desk": in or at a thing, not in a manner or at a time ("in fact", "at the time")
    r"\b(?:in|at|on|inside|outside|near|into|aboard|behind|beneath|under)\s+(?:(?:the|a|an|his|her|their|its|our|my|"
    r"your|this|that)\s+)?(?!(?:order|fact|part|particular|general|addition|total|all|turn|time|times|advance|"
    r"response|return|favou?r|charge|which|what|whom|other|past|future|meantime|end|beginning|wake|face|hope|way|"
    r"form|light|effort|bid|attempt|protest|support|memory|honou?r|moment|average|least|most|first|last|once|"
    r"statement|interview|letter|report|speech|words|case|short|terms|line|place|spite|front|behalf|course|"
    r"touch|talks|danger|trouble|question|doubt|vain|full|public|private|person|the|an?|his|her|their|its|our|my|"
    r"your|this|that|these|those|some|any|every|each)\b)(?-i:[a-z])[\w'’-]+",
    re.I,
)


def _gives_place(question: str, candidate: Candidate) -> bool:
    """Whether `candidate` names a place the question does not (`_PLACE`: "in Kufra"), or writes one without a
    capital (`_PLACE_WORD`: "in hospital")."""
    asked = {w.lower() for w in words(question)}
    text = candidate.span.text
    return any(m[1].lower().rstrip(".") not in asked for m in _PLACE.finditer(text)) or bool(_PLACE_WORD.search(text))


def _no_place(question: str, chosen: list[Candidate], follow_up: bool) -> str:
    """For a follow-up asking where (`_ASKS_WHERE`), answered with sentences that name no place ("The US Vibe awards
    will be held again next year despite a stabbing ..." for "where will next year's awards be held"): "None of the
    sentences I found says where." Empty otherwise, and for a question asked anew (as for `_no_time`)."""
    if not follow_up or not _ASKS_WHERE.match(question) or is_broad(question):
        return ""
    if any(_gives_place(question, c) for c in chosen):
        return ""
    return "None of the sentences I found says where."


# Any sign that a sentence reports what someone said: a double quotation mark, a verb of saying or thinking (or
# of what a report says: "The study found ..."), "according to", a statement or comment, or the first or second
# person, which news prose keeps to speech ("We were threatened by ...", "Opening the door on the street side, my
# God, ...": speech quoted on without its marks)
_REPORTS_SPEECH = re.compile(
    rf"[\"“”]|\b(?:{_SAYING_VERBS}|say|saying|tell|tells|telling|adds|asked|asks|wrote|writes|according to|"
    r"statements?|comments?|commented|spokes(?:man|woman|person)|announced|urged|called|described|accused|praised|"
    r"denied|believes?|believed|thinks?|thought|feels?|felt|hopes?|hoped|"
    r"found|finds|shows?|showed|concluded|suggests?|suggested|recommends?|recommended)\b|"
    r"(?-i:\b(?:I|I'm|I've|I'd|me|my|My|we|We|our|Our|you|You|your|Your)\b)",
    re.I,
)


# An interview's transcript, whose answers are speech with no quotation marks: a speaker's name and a colon
# opening a turn ("  Trump: Well, it's a little bit different.")
_TRANSCRIPT_TURN = re.compile(r"(?:^|\n|\s\s)[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)?:\s")


NO_SAYING = "None of the sentences I found reports what they said."


def _no_saying(question: str, chosen: list[Candidate], follow_up: bool) -> str:
    """For a follow-up (`follow_up`: it carries the conversation) asking what someone said ("what did miliband
    say", `asks_what_was_said`) answered with sentences that report no speech (`_REPORTS_SPEECH`; nor stand inside
    a quotation the sentence before opens, nor in an interview's transcript): "A brief glance at Mr Miliband's
    family background reveals ...". Empty otherwise."""
    if not follow_up or not asks_what_was_said(question):
        return ""
    for candidate in chosen:
        before = candidate.previous or ""
        opened = before.count('"') % 2 or before.count("“") > before.count("”")
        spoken = _TRANSCRIPT_TURN.search(candidate.passage.page_content)
        if opened or spoken or _REPORTS_SPEECH.search(candidate.span.text):
            return ""
    return NO_SAYING


_THINKING = frozenset(terms("think thinks thought feel feels felt believe believes believed"))


_SAID_AGAIN = ("count", "duration", "money")  # figures a sentence quoted already may give again (`_nothing_new`)


def _nothing_new(question: str, chosen: list[Candidate], said: AbstractSet[str], lexicon: Lexicon) -> str:
    """For a follow-up answered only with sentences the conversation has quoted already (`said`), which hold less
    than `REPEAT_COVERS` of the weight of its own words ("Have they pleaded guilty?" answered again with the
    indictment's list of names): "None of the sentences I found says more about that." Empty otherwise: "Why?" and
    "How old is he?" have no word of their own, "How much did they fall?" is answered again by the sentence that
    says "fell $12.33", "How many homes will it reach?" by the one counting them and "how long did they talk" by the
    one giving the duration (docs/evaluation.md, sessions 36 and 38)."""
    if not said or not chosen or any(_plain(c.span.text) not in said for c in chosen):
        return ""
    # a count, a duration or a sum of the very thing asked about: "nearly 400 million homes" for "How many homes will
    # it reach?", "about 90 minutes" for "how long did they talk", "pay five pounds for a ticket" for "how much does
    # it cost to watch" (a time for "when" and a score were as often the wrong thing again: docs/evaluation.md,
    # sessions 36 and 38; a sum, tried again on four rounds of conversations, session 43, was not)
    counted = fine_pattern(question) if fine_type(question) in _SAID_AGAIN else None
    if counted is not None and any(counted.search(c.span.text) for c in chosen):
        return ""
    # ... or the place asked for: "... treatment at the Shriners Children Hospital in Philadelphia" for "where will he
    # be treated" after "which charity is helping him?"
    if _ASKS_WHERE.match(question) and any(_gives_place(question, c) for c in chosen):
        return ""
    unweighed = _asking_words(question) | _SAYING | _THINKING  # what he thinks is what he says
    weights = {t: lexicon.idf(t) for t in _sensed(question) if t not in unweighed}
    told = {t for c in chosen for t in (*_sensed(c.span.text), *joined_terms(c.span.text))}
    total = sum(weights.values())
    if not total or sum(w for t, w in weights.items() if t in told) >= REPEAT_COVERS * total:
        return ""
    return "None of the sentences I found says more about that."


def _figure_first(question: str, ranked: list[Candidate], chosen: list[Candidate]) -> list[Candidate]:
    """For a question asking for a number whose `chosen` sentences give none ("How much does it cost?" answered with
    "the tiny, low-cost machine ..."), the best sentence of `ranked` that gives a figure (a number that is no year,
    not a word such as "both" or "second"; for a sum or an age, one `_gives_figure` takes), when it scores
    `FIGURE_WITHIN` of the best ("Apple expects the Mac mini to sell for £339 in the UK"); `chosen` otherwise."""
    if not ranked or not _asks_figure(question) or any(_gives_figure(question, c) for c in chosen):
        return chosen
    floor = FIGURE_WITHIN * ranked[0].score
    # a sum, an age, a score, a length of time: the fine kind (`_gives_figure`)
    fine = fine_type(question) in ("money", "age", "score", "duration")
    figure = next(
        (
            c
            for c in ranked
            if c.score >= floor
            and (_gives_figure(question, c) if fine else _FIGURE.search(_YEAR.sub(" ", c.span.text)))
        ),
        None,
    )
    return [figure] if figure is not None else chosen


def _time_first(question: str, ranked: list[Candidate], chosen: list[Candidate]) -> list[Candidate]:
    """For a follow-up asking when whose `chosen` sentences give no time ("when did the fight happen" answered with
    "The fight continued outside, where ..."), a close sentence that gives one (`_close_giving`: "... after the
    brawl in Munich in December 2002")."""
    if not ASKS_WHEN.match(question) or is_broad(question):
        return chosen
    return _close_giving(ranked, chosen, _gives_time)


# "who is he", "and who's the band", "who were they": who someone the conversation spoke of is
_ASKS_WHO_IS = re.compile(r"^\s*(?:(?:and|so|but|ok|okay)\W+)?who(?:['’]s|\s+is|\s+was|\s+are|\s+were)\b", re.I)


def _who_first(question: str, ranked: list[Candidate], chosen: list[Candidate], carried: str) -> list[Candidate]:
    """For a follow-up asking who someone is ("who's been criticising it" after "British broadcaster Channel 4 has
    been criticized for ...") whose `chosen` sentences name no one the question and the words it `carried` do not
    (`_people`), a close sentence that does (`_close_giving`: "... criticism from British lawmakers and children's
    charities ...")."""
    if not _ASKS_WHO_IS.match(question) or is_broad(question):
        return chosen
    asked = {w.lower() for w in words(f"{question} {carried}")}
    return _close_giving(ranked, chosen, lambda c: bool(_people(c.span.text, asked)))


def _reason_first(question: str, ranked: list[Candidate], chosen: list[Candidate]) -> list[Candidate]:
    """For a follow-up asking why whose `chosen` sentences give no reason ("why didnt she go for paris instead"
    answered with "It comes as a blow to the women's draw ..."), a close sentence that gives one (`_REASON`,
    `_close_giving`: "She's decided against this so that she does not risk the final phase of her recovery.")."""
    if not _WHY.match(question):
        return chosen
    return _close_giving(ranked, chosen, lambda c: bool(_REASON.search(c.span.text)))


def _close_giving(
    ranked: list[Candidate], chosen: list[Candidate], gives: Callable[[Candidate], bool]
) -> list[Candidate]:
    """`chosen` when one of its sentences `gives` what was asked for; otherwise the best sentence of `ranked` that
    does, when it scores `FIGURE_WITHIN` of the best, and `chosen` when none does."""
    if not ranked or any(gives(c) for c in chosen):
        return chosen
    floor = FIGURE_WITHIN * ranked[0].score
    giving = next((c for c in ranked if c.score >= floor and gives(c)), None)
    return [giving] if giving is not None else chosen


_FIGURE = re.compile(rf"\d|\b(?:{_COUNT_WORDS}|dozens)\b", re.I)  # a figure to answer with
_YEAR = re.compile(r"(?<![\d,.£$€])\b(?:1[5-9]|20)\d\d\b(?![,.]?\d)")  # "in 2004", not "£2,004" or "2004.5"


# Words whose opposite, in the sentence that answers, says the reader asked about the other thing ("the smallest"
# of a question about "the largest"). Only words of degree, direction and kind: not events that a report tells
# from either side ("won" and "lost", "imports" and "exports", "before" and "after"), nor "most" and "least",
# which also count ("most voters").
_OPPOSITE_PAIRS = (
    "largest smallest|biggest smallest|highest lowest|longest shortest|oldest youngest|oldest newest|"
    "earliest latest|first last|best worst|strongest weakest|richest poorest|maximum minimum|"
    "larger smaller|bigger smaller|higher lower|longer shorter|older younger|stronger weaker|richer poorer|"
    "increase decrease|increased decreased|increases decreases|increasing decreasing|majority minority|"
    "north south|northern southern|east west|eastern western|northeast southwest|northwest southeast|"
    "upper lower|inner outer|internal external|legal illegal|ancient modern|possible impossible|"
    "successful unsuccessful|male female|positive negative|major minor|hot cold|wet dry|cheapest dearest|"
    "fastest slowest|faster slower|heaviest lightest"
)
_OPPOSITES: dict[str, set[str]] = {}
for one, other in (pair.split() for pair in _OPPOSITE_PAIRS.split("|")):
    _OPPOSITES.setdefault(one, set()).add(other)
    _OPPOSITES.setdefault(other, set()).add(one)
# Phrases whose words are not these words' senses: "at least", "no longer", "last week", "first of all".
_SET_PHRASES = re.compile(
    r"\bat (?:least|most|first|last)\b|\b(?:no|any) longer\b|\bfirst of all\b|"
    r"\blast (?:week|weekend|month|year|night|season|time|summer|autumn|winter|spring|term)\b",
    re.I,
)


# Words a sentence may say for one of those: "the final qualifying round" is the last round asked about
_ALSO_SAID = {
    "last": frozenset({"final", "latest"}),
    "largest": frozenset({"biggest"}),
    "biggest": frozenset({"largest"}),
}


def _opposite(question: str, chosen: list[Candidate]) -> tuple[str, str] | None:
    """(the sentence's word, the question's word) when the answer's sentences say the opposite of a word of the
    question and never the word itself ("smallest" answering "What is the largest ...?"); None otherwise. Words as
    written in lower case ("North Korea" is a name), and in the question before another of its words ("How long
    did it last?"). Not for a choice or a comparison ("Which is larger, Leeds or York?" answered by "York is
    smaller than Leeds")."""
    asked_words = words(_SET_PHRASES.sub(" ", question))
    said = {w for c in chosen for w in words(_SET_PHRASES.sub(" ", c.span.text))}
    if "or" in asked_words or "than" in said:
        return None
    asked = set(asked_words[:-1])
    for word in sorted(asked & _OPPOSITES.keys()):
        if word in said or _ALSO_SAID.get(word, frozenset()) & said:
            continue
        other = next((o for o in sorted(_OPPOSITES[word]) if o in said and o not in asked), None)
        if other is not None:
            return other, word
    return None


def _closest(answer: Answer, reason: str) -> Answer:
    """`answer` as it is, or, when the question names something no article mentions (`reason`), said as the
    closest the articles come and marked declined: "None of the articles mentions Patriot. The closest they come:
    ... Stinger air defence missiles ... [1]"."""
    if not reason:
        return answer
    return replace(answer, answer=f"{reason} The closest they come: {answer.answer}", abstained=True)


# Words a question and the sentence that answers it use for the same event: "How many people were killed?" is
# answered by "125 dead", "Did Pacquiao win?" by "defeating Marquez". Sentence scoring only (retrieval keeps each
# word). Measured side by side (docs/evaluation.md, sessions 25 and 26): killing and winning gain on NewsQA (0.392
# -> 0.396) and lose on no set; buying cost a BBC answer. Quitting, children, arrests, vehicles and starting moved
# no set by more than a question, and answer what readers ask ("Is Tony Blair going to resign?" is answered by
# "... he would quit", "How many kids died?" by "the dead children"); so did falling and rising ("Why did the shares
# fall?" by "Shares in Krispy Kreme sank ...", not by another company's that "fell"), and seeking ("How much does she
# want?" by "She is now seeking to be reimbursed for the tour's £5m"); so do a team's skipper ("Who will be captain
# instead?" by "England have yet to name a replacement skipper"), a movie ("What films did he work on?"), a
# governor's title ("Who is the governor?" by "Democratic Gov. Brad Henry"), an allegation ("What is Cain
# accused of?" by "... after alleging sexual harassment by Cain") and funds or cash ("How much money went missing?"
# by "... after funds worth up to $120m went missing").
_SAME_SENSE = (
    {"dead": "kill", "death": "kill", "die": "kill", "fatal": "kill", "slain": "kill"}
    | {
        "beat": "win",
        "defeat": "win",
        "victori": "win",
        "resign": "quit",
        "kid": "child",
        "detain": "arrest",
        "vehicl": "car",
        "begin": "start",
        "seek": "want",  # and "sought", which `terms` writes as "seek"
        "skipper": "captain",
        "movi": "film",
        "gov": "governor",
        "alleg": "accus",
        "fund": "money",
        "cash": "money",
        "dad": "father",
        "mum": "mother",
        "mom": "mother",
        "growth": "grow",
        "injur": "hurt",  # "Was anyone hurt?": "no one was wounded"
        "injuri": "hurt",
        "wound": "hurt",
        "demand": "want",  # "What do the pirates want?": "... while they demand a ransom"
        "fear": "worri",  # "What are people worried about?": "... growing fears that the deal could ..."
        "concern": "worri",
        "ceo": "chief",  # "What did the CEO say about sales?": "Chief executive Jim Skinner attributed ..."
        "indict": "charg",  # "What was he charged with?": "a grand jury indicted Edwards ... on six felony counts"
        "attorney": "lawyer",  # "What did the family lawyer say?": "Jon Mills, the attorney for Brancheau's family"
        "chairman": "chair",  # "Who chairs the committee?": "Chairman of the Environmental Audit Committee Peter ..."
        "chairwoman": "chair",
        "brawl": "fight",  # "When did the fight happen?": "... after the brawl in Munich in December 2002"
        "scuffl": "fight",
    }
    | dict.fromkeys(["drop", "sink", "slump", "tumbl", "slid", "slide", "plung", "dip"], "fall")
    | dict.fromkeys(["climb", "jump", "soar", "surg", "increas"], "rise")
)
# Phrases of the same sense as one of those words: "Did house prices go up?" is answered by "Prices ... rose 0.5%"
_SAME_SENSE_PHRASES = (
    (re.compile(r"\b(?:go|goes|went|gone|going)\s+up\b(?!\s+against)", re.I), "rise"),  # not "going up against"
    (re.compile(r"\b(?:go|goes|went|gone|going)\s+down\b", re.I), "fall"),
)


_LINK_LINE = re.compile(r"»\s*$")  # a news page's link to a video or gallery


def _sentences(text: str) -> list[Span]:
    """The sentences of `text` an answer may quote or read: not a news page's link line ("Watch footage of the
    crash site »")."""
    return [s for s in sentences(text) if not _LINK_LINE.search(s.text)]


_ASKING = re.compile(r"\?[\"'”’)\s]*$")  # a sentence that is a question (an interviewer's, a headline's)


def same_sense(term: str) -> set[str]:
    """The stemmed terms of the same sense as `term` (itself among them): "kid" gives {"kid", "child"}."""
    sense = _SAME_SENSE.get(term, term)
    return {term, sense, *(t for t, s in _SAME_SENSE.items() if s == sense)}


def _sensed(text: str) -> list[str]:
    """The terms of `text` (`retrieval.text.terms`), a word (or phrase: "went up") of the same sense as another
    written as that one."""
    for phrase, sense in _SAME_SENSE_PHRASES:
        text = phrase.sub(sense, text)
    return [_SAME_SENSE.get(term, term) for term in terms(text)]


def _read(passage: Document, acronyms: dict[str, str]) -> tuple[list[Span], list[list[str]], list[set[str]]]:
    """The sentences of `passage`, the terms of each in order, and each one's set of terms to match the question's
    ("the DA" is not the "da" of "Lula da Silva", "the US" not the "us" of "told us")."""
    spans = _sentences(passage.page_content)
    term_lists = [_sensed(s.text) for s in spans]
    sets = [{*t, *joined_terms(s.text)} for t, s in zip(term_lists, spans, strict=True)]  # "anti-virus": "antivirus"
    if acronyms:
        sets = [
            s - {t for t, w in acronyms.items() if not _capitalised(w, sp.text)}
            for s, sp in zip(sets, spans, strict=True)
        ]
    return spans, term_lists, sets


def _told(
    passages: list[Document], read: list[tuple[list[Span], list[list[str]], list[set[str]]]]
) -> dict[tuple[str, int], set[str]]:
    """The terms of every sentence of `passages`, by article and where the sentence ends in it. Passages of one
    article overlap, so the sentence before a passage's first may be in another one."""
    told: dict[tuple[str, int], set[str]] = {}
    for passage, (spans, _, sets) in zip(passages, read, strict=True):
        offset = int(passage.metadata.get("start", 0))
        article = str(passage.metadata.get("article_id"))
        told.update(((article, offset + span.end), own) for span, own in zip(spans, sets, strict=True))
    return told


def _told_before(told: dict[tuple[str, int], set[str]], article: str, start: int) -> set[str]:
    """The terms of the sentence of `article` that ends right before `start`; empty when none retrieved does."""
    return next((told[key] for gap in range(SENTENCE_GAP + 1) if (key := (article, start - gap)) in told), set())


def support(
    question: str, best_coverage: float, passages: list[Document], known: Callable[[str], bool] | None = None
) -> float:
    """How well the passages support answering: compared with `ABSTAIN_BELOW` to decide to abstain."""
    dense = max((float(p.metadata.get("dense", 0.0)) for p in passages), default=0.0)
    missing = min(missing_names(question, passages), 2)
    unknown = min(unknown_names(question, known), 1) if known else 0
    return (
        best_coverage + SUPPORT_DENSE_WEIGHT * dense - SUPPORT_MISSING_NAME * missing - SUPPORT_UNKNOWN_NAME * unknown
    )


def _sought(question: str) -> str | None:
    """The kind of answer the scorer looks for: `expected_type`'s, 'place' for "where" ("Where will the buses go?"
    wants "from London to Portsmouth", not "the road in Britain"), or 'speech' for what someone said ("What did
    Gibbs say?" wants '"I think she speaks in real personal terms ...," Gibbs told reporters.', not "Gibbs' comments
    also come the same day ..."). Kept apart from `expected_type`, whose kinds the learned selector was trained on."""
    if kind := expected_type(question):
        return kind
    if _WHERE.search(question):
        return "place"
    return "speech" if _ASKS_SAID.search(question) else None


_WHERE = re.compile(r"\bwhere\b", re.I)
# Speech a sentence reports: a quotation, or a verb of saying ("told reporters", "according to a statement")
_SPEECH = re.compile(rf"[\"“”]|\b(?:{_SAYING_VERBS}|say|saying|tell|adds|according to|announced)\b", re.I)
# A place: a capitalised word after a preposition of place ("in Kabul", "from the Bronx"), not a month or a day ("in
# March"), nor a source ("according to Reuters")
_PLACE = re.compile(
    r"\b(?:in|at|(?<!according )to|from|near|into|outside|inside|across|toward|towards)\s+(?:the\s+)?"
    rf"(?!(?:{'|'.join(MONTH_NAMES + WEEKDAY_NAMES)})\b)((?-i:[A-Z])[\w'’.-]+)",
    re.I,
)


def _kind_bonus(
    text: str,
    fine: re.Pattern[str] | None,
    kind: str | None,
    question_words: set[str],
    speakers: AbstractSet[str] = frozenset(),
) -> float:
    """What holding the kind of thing asked for adds to a sentence's score: `FINE_TYPE_BONUS` for the finer kind
    (`fine_pattern`: "11,000 miles" for "how far"), else `TYPE_BONUS` for the kind (`_sought`, `expected_type`;
    `speakers`: for what someone said, the words of the names the question asks about, `_asked_speakers`)."""
    if fine and fine.search(text):
        return FINE_TYPE_BONUS
    return TYPE_BONUS if kind and _has_type(text, kind, question_words, speakers) else 0.0


# Who "What did Gibbs say about Reagan?" asks to have said something: the words between "did" and "say"
_SPEAKER = re.compile(
    r"^\W*(?:and |so )?what (?:did|does|do|has|have|had|will|would) (?P<who>.+?) (?:say|tell)\b",
    re.I,
)


# The names before a word for someone's role say whose role it is, not who spoke: "What did the Fiat boss say?"
_BEFORE_ROLE = re.compile(
    r"\b(?:(?!and\b)[\w'’-]+\s+)+?(?=(?-i:boss|chief|head|spokes(?:man|woman|person|people|men|women)|aides?|lawyers?|"
    r"attorneys?|coach|manager|captain|chair(?:man|woman)?|executives?|directors?|officials?|ministers?|"
    r"secretary|leaders?|governor|police|fans|players|team|side|doctors?|staff|owners?|founder|advis[eo]rs?|"
    r"mother|father|wife|husband|son|daughter|brother|sister|family|friends?|teammates?|rivals?|administration|"
    r"government|campaign|camp|office|ministry|department|agency|prosecutors?|investigators?)\b)",
    re.I,
)


def _asked_speakers(question: str, kind: str | None, lexicon: Lexicon) -> frozenset[str]:
    """For a question asking what someone said (`kind` 'speech'), the words, lower-cased, of the names it asks
    about: "gibbs" of "What did Gibbs say about Reagan?"; not "fiat" of "What did Fiat's boss say?" nor "gibbs" of
    "What did Gibbs' aide say?", nor an office in capitals ("What did the DA say?") or, where the corpus's names are
    known (`lexicon.names`, the stemmed terms it writes as names), a reader's capital ("What is says Lawyer?")."""
    asked = _SPEAKER.match(question) if kind == "speech" else None
    if asked is None:
        return frozenset()
    corpus_names = getattr(lexicon, "names", None)
    who = re.sub(r"\b[\w-]+(?:['’]s|s['’])(?=\s|$)", " ", asked["who"])  # "Fiat's boss": the boss
    who = _BEFORE_ROLE.sub(" ", who)  # "the Fiat boss", "the White House spokesman": the boss, the spokesman
    return frozenset(
        w.lower()
        for name in names(f"did {who}")  # not first: a sentence's first word is no name by its capital
        for w in words(name)
        if not w.isupper() and (corpus_names is None or set(terms(w)) <= corpus_names)
    )


def _spoken_by(text: str, speakers: AbstractSet[str]) -> bool:
    """True unless `text` says that someone other than `speakers` said it ("England forward Martin Corry says Jason
    Robinson is the right man" is Corry's, not Robinson's); any speech when no one is asked about."""
    said_by = _speakers_of(text) if speakers else []
    return not said_by or any(by & speakers for by in said_by)


def _has_type(text: str, kind: str | None, question_words: set[str], speakers: AbstractSet[str] = frozenset()) -> bool:
    if kind == "place":  # one the question does not name
        return any(m.group(1).lower().rstrip(".") not in question_words for m in _PLACE.finditer(text))
    if kind == "number":
        return bool(_NUMBER.search(text))
    if kind == "date":
        return bool(_DATE.search(text))
    if kind == "speech":
        return bool(_SPEECH.search(text)) and _spoken_by(text, speakers)
    if kind == "name":  # a function word is no name ('"As a competitor, I always want to win"'), nor a day or month
        # ("... Patil told reporters ... Saturday" names no one she beat)
        names = [
            w
            for w in words(text)[1:]
            if w[:1].isupper()
            and w.lower() not in STOPWORDS | question_words
            and re.sub(r"['’]s$", "", w) not in _CALENDAR_NAMES
        ]
        return bool(names)
    return False


# A "who" question answered by a sentence speaking of someone only as "he" (`_PRONOUN_FIRST`) is answered with the
# nearest of this many sentences before it that names someone (judgement: a speaker's quote often runs on over
# several sentences after the one naming them)
NAMED_WITHIN = 5
NAMED_PASSAGES = 3  # ... read from at most this many earlier passages (store reads, a few ms each)


# Who a sentence names, as news writes people: a run of capitalised words ("Ruth Bailey", "First Minister Jack
# McConnell"), a title and a name ("Mr McConnell"), or a name that says or tells ("Dean said"); not a function
# word that opens a sentence or a quote ("The", "He", "By all means"), a day, a month or an acronym
_RUN = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")
_TITLE_WORDS = (
    "mr mrs ms miss dr sir lord lady president minister chancellor senator judge capt maj gen adm sgt cpl pvt det "
    "gov sen rep prof rev"
)
_FUNCTION_WORDS = (
    "the a an in on at but and or he she they it his her their this that these those i i'm we you if when as after "
    "before by for from of to with"
)
_TITLES = frozenset(_TITLE_WORDS.split())
_NOT_PEOPLE = frozenset(_FUNCTION_WORDS.split()) | {w.lower() for w in [*MONTH_NAMES, *WEEKDAY_NAMES]}


def _surnames_alone(text: str, asked: set[str], corpus_names: frozenset[str] | None = None) -> list[str]:
    """The capitalised words `text` writes alone, not beside another ("Pitmon took control ...", "..., Besson
    said"), that the question (`asked`, its lower-cased words) does not use: surnames, perhaps. With `corpus_names`
    (the terms the corpus writes as names), only those: "(CNN) -- Police have arrested ..." gives no surname."""
    found = []
    for match in _RUN.finditer(text):
        run = [w for w in match.group().split() if w.lower() not in _NOT_PEOPLE and not w.isupper()]
        if len(run) == 1 and len(run[0]) > 2 and run[0].lower() not in asked:
            name = run[0].removesuffix("'s").removesuffix("’s")
            if corpus_names is None or set(terms(name)) <= corpus_names:
                found.append(name)
    return found


_SAYS = re.compile(r"\s+(?:said|says|told|tells|added|asked|wrote|insisted|argued|warned)\b")


def _people(text: str, asked: set[str], *, titled_only: bool = False) -> list[str]:
    """The people `text` names that the question (`asked`, its lower-cased words) does not; with `titled_only`,
    only those a title or a verb of saying marks as people ("Dr. Jan Adams", "Adams said"), not "Los Angeles
    County"."""
    found = []
    for match in _RUN.finditer(text):
        # "The", "He", '"By all means' open a sentence or a quote; "BBC" is an acronym
        run = [w for w in match.group().split() if w.lower() not in _NOT_PEOPLE and not w.isupper()]
        titles = [w for w in run if w.lower().rstrip(".") in _TITLES]
        if all(w.lower() in asked or w in titles for w in run):
            continue  # nothing, or "Dr. Adams" when the question named Adams: no one new
        titled = bool(titles)
        says = _SAYS.match(text, match.end()) is not None
        if titled or says or (len(run) >= 2 and not titled_only):
            found.append(" ".join(run))
    return found


# "What's his name?" after an answer that speaks of "the plastic surgeon who operated on Kanye West's mother"
ASKS_NAME = re.compile(
    r"\s*what(?:['’]s| is| was| are| were) (?:his|her|their|the (?:man|woman|person)['’]s) (?:full |real )?names?"
    r"\s*[?!.]*\s*$",
    re.I,
)


# "what was her german teacher's name", "what's the boy's name?"
_ASKS_NAME_OF = re.compile(
    r"^\s*(?:(?:and|so|but)\s+)?what(?:['’]?s| is| was| are| were) (?:[\w'’-]+ ){1,4}?names?\s*[?!.]*\s*$", re.I
)


def _no_name(question: str, chosen: list[Candidate], follow_up: bool) -> str:
    """For a follow-up asking someone's name ("what was her german teacher's name"), answered with sentences that
    name no one the question does not ("He shot my German teacher ..."): "None of the sentences I found names
    them." Empty otherwise."""
    if not follow_up or not _ASKS_NAME_OF.match(question):
        return ""
    asked = {w.lower() for w in words(question)}
    if any(_people(c.span.text, asked) or _surnames_alone(c.span.text, asked) for c in chosen):
        return ""
    return "None of the sentences I found names them."


# The one of a kind a follow-up asks for: "which banks was he in bailout talks with", "what gang does he belong to",
# "who was the designer he hired", "what was the name of the nightclub"
_ASKS_WHICH = re.compile(
    r"^\s*(?:(?:and|so|but)\s+)?(?:(?:which|what)\s+(?!(?:is|was|are|were|did|does|do|will|would|has|have|had|can|"
    r"could|kind|sort|type|time|day|year|month|date|else|about|happened|happens|one|ones|way|age|number|amount|size|"
    r"price|percentage|proportion|share)\b)(?P<kind>[a-z][\w'’-]+)|"
    r"who(?:['’]s| is| was| were| are) the (?P<who>[a-z][\w'’-]+)\b|"
    r"what(?:['’]s| is| was) the name of (?:the|his|her|their|that) (?P<named>[a-z][\w'’-]+))",
    re.I,
)
# A mention that names nothing: "a world-class designer", "several German banks", "two other clubs", "a gang member"
# a name before it: "The Global Medical Relief Fund, a small charity", "William Jackson was a slave"
_NAME_THEN_COMMA = re.compile(r"(?-i:[A-Z])[\w'’.-]+(?:,|\s+(?:is|was|are|were|became|becomes|as))\s*$")
_VAGUE = r"(?:a|an|some|several|many|other|another|two|three|four|few|various|unnamed|unidentified|undisclosed)"


def _only_vaguely(question: str, chosen: list[Candidate], follow_up: bool) -> str:
    """For a follow-up asking which one of a kind ("which banks was he in bailout talks with") answered with
    sentences that mention that kind only as "a", "several" or "other" ones ("... bailout talks with several German
    banks"): "None of the sentences I found names it." Empty otherwise: when a sentence writes the kind otherwise
    ("the Bank of Scotland", "banks such as HSBC"), or not at all, the answer stands."""
    asked = _ASKS_WHICH.match(question) if follow_up else None
    if asked is None:
        return ""
    stem = _stem_of((asked["kind"] or asked["who"] or asked["named"]).lower())
    if stem in STOPWORDS or len(stem) < 3:
        return ""
    mention = re.compile(rf"\b{re.escape(stem)}{_ANY_FORM}", re.I)
    # ... unless names stand beside it: "two other top designers, Yigal Azrouel and Lars Nilsson", "banks such as
    # HSBC", "an American charity, the Global Medical Relief Fund", "The Global Medical Relief Fund, a small charity"
    vague = re.compile(
        rf"\b{_VAGUE}\s+(?:[\w'’-]+\s+){{0,2}}{re.escape(stem)}{_ANY_FORM}"
        r"(?!\s*(?:[,:(—–-]\s*)?(?:the |such as |including |like |namely |called |named )?(?-i:[A-Z]))",
        re.I,
    )

    def vaguely(text: str) -> int:
        return sum(1 for m in vague.finditer(text) if not _NAME_THEN_COMMA.search(text, 0, m.start()))

    texts = [c.span.text for c in chosen]
    if not any(mention.search(t) for t in texts):
        return ""
    if any(len(mention.findall(t)) > vaguely(t) for t in texts):
        return ""
    return "None of the sentences I found names it."


# "What's his real name?": "C-Murder, real name Corey Miller, ...", "The singer, full name Jamelia Davis, ..."
_OTHER_NAME = re.compile(r"\b(?:real|full|birth) names?\b", re.I)


def _naming(
    said: str, ranked: list[Candidate], chosen: list[Candidate], *, other_name: bool = False
) -> list[Candidate]:
    """For "What's his name?": `chosen` when it names someone the conversation has not (`said`: the question, the
    names it carries and the sentences the last answer quoted); else the best sentence that does, scoring
    `ROLE_WITHIN` of the best ("Dr. Jan Adams tells CNN's Larry King ..."), when there is one. With `other_name`
    ("What's his real name?" held to the story just quoted), the best sentence that says "real name", if one does:
    a new name in another sentence is likelier someone else's ("Sheriff Harry Lee said")."""
    if other_name:
        other = next((c for c in ranked if _OTHER_NAME.search(c.span.text)), None)
        if other is not None:
            return [other]
    asked = {w.lower() for w in words(said)}
    if any(_people(c.span.text, asked, titled_only=True) for c in chosen):
        return chosen
    floor = ROLE_WITHIN * ranked[0].score
    naming = next((c for c in ranked if c.score >= floor and _people(c.span.text, asked, titled_only=True)), None)
    return [naming] if naming is not None else chosen


def _paragraph_ids(text: str, spans: list[Span]) -> list[int]:
    """For each sentence, the number of the paragraph (blank-line separated block) it stands in."""
    ids = []
    for span in spans:
        ids.append(text.count("\n\n", 0, span.start))
    return ids


class ExtractiveGenerator:
    """Answers with sentences quoted from the passages.

    Args:
        embed: MiniLM embeddings of texts (normalised rows), to break near-ties; None skips that step.
        abstain_below: the least `support` an answer must have.
        embed_query: the same model's (cached) question embedding; derived from `embed` when None.
        selector: the learned answer selector (`bot.selector`): re-scores the best sentences and decides
            abstention instead of the hand-set weights; needs `embed`.
        crossencoder: the cross-encoder (`bot.crossencoder`): reads the question with each of the best sentences,
            picks the answer and decides abstention (its probability below the shipped threshold).
        reader: a span reader (`bot.reader`): reads the question with the passages of the best sentences; the
            sentence its answer lies in joins the rules' best when their answer lacks it.
        passage_before: the passage before a given one in its article (the store's `passage_before`): where the
            answer to "who ...?" says only "He added: ..." and opens its passage, the sentence naming him is there.
        checker: loads the cross-encoder that checks the rules' answer to a follow-up (`_unsure`), at the first
            follow-up; None: no check.
    """

    name = GENERATOR

    def __init__(
        self,
        embed: Callable[[list[str]], np.ndarray] | None = None,
        abstain_below: float = ABSTAIN_BELOW,
        embed_query: Callable[[str], list[float]] | None = None,
        selector: Selector | None = None,
        crossencoder: CrossEncoder | None = None,
        reader: Reader | None = None,
        passage_before: Callable[[Document], Document | None] | None = None,
        checker: Callable[[], CrossEncoder | None] | None = None,
    ) -> None:
        self.passage_before = passage_before
        self.checker = checker
        self._check_lock = threading.Lock()
        self._check_loaded = False
        self._check_loaded_model: CrossEncoder | None = None
        self.embed = embed
        self.selector = selector
        self.crossencoder = crossencoder
        self.reader = reader
        self.embed_query = embed_query or (lambda text: list(embed([text])[0]) if embed else [])
        self.held_top = HELD_TOP  # 0 leaves a held follow-up on the scores of every word (`benchmarks/followups.py`)
        self._meanings_kept: dict[str, np.ndarray] = {}
        self._meanings_lock = threading.Lock()
        self.abstain_below = abstain_below

    def rank(self, question: str, passages: list[Document], carried: str, lexicon: Lexicon) -> list[Candidate]:
        """Every sentence of `passages`, best first; `carried` holds context words from earlier turns."""
        weights: dict[str, float] = {}
        for term in _sensed(carried):
            weights[term] = lexicon.idf(term) * CARRIED_WEIGHT
        framing = _BROAD_FRAMING if is_broad(question) else frozenset()
        framing |= _asking_words(question)  # the "long" of "how long", "else"
        framing |= {t for m in _OPINION.finditer(question) for t in terms(m.group(1))}  # the "think" of "... think?"
        q_terms = _sensed(question)
        for term in q_terms:
            if term not in framing:  # "What happened in Geneva?" is about Geneva, not about "happen"
                weights[term] = lexicon.idf(term)
        # The carried subject weighs at most what the question's own words do: eight names of the last answer
        # must not outweigh the one thing asked anew ("What did he say about NATO?").
        own_terms = set(q_terms)
        asked = sum(w for t, w in weights.items() if t in own_terms)
        subject = sum(w for t, w in weights.items() if t not in own_terms)
        if asked and subject > asked:
            weights = {t: w if t in own_terms else w * asked / subject for t, w in weights.items()}

        total = sum(weights.values()) or 1.0
        acronyms = _acronyms(question)
        # the learned selector was trained on these scores with `expected_type`'s kinds: "where" adds none for it
        kind = _sought(question) if self.selector is None else expected_type(question)
        fine = fine_pattern(question)
        speakers = _asked_speakers(question, kind, lexicon)
        # a place the conversation carried may be the answer ("Where was the research done?" after "... at the Riken
        # Center in Kobe"); a name it carried is whom it asks about, not whom it asks for
        question_words = {w.lower() for w in words(question if kind == "place" else f"{question} {carried}")}
        q_bigrams = set(itertools.pairwise(q_terms))
        top_score = max((float(p.metadata.get("score", 0.0)) for p in passages), default=0.0) or 1.0
        seen: set[tuple[str, int]] = set()
        out: list[Candidate] = []
        read = [_read(passage, acronyms) for passage in passages]
        told = _told(passages, read)
        for rank, (passage, (spans, term_lists, sets)) in enumerate(zip(passages, read, strict=True)):
            paragraphs = _paragraph_ids(passage.page_content, spans)
            prior = float(passage.metadata.get("score", 0.0)) / top_score
            offset = int(passage.metadata.get("start", 0))
            article = str(passage.metadata.get("article_id"))
            for i, span in enumerate(spans):
                key = (article, offset + span.start)
                if key in seen or not words(span.text):  # a stray "." or "***" is nothing to quote
                    continue
                seen.add(key)
                own = sets[i]
                # "It ..." goes on from the sentence before
                before = _told_before(told, article, offset + span.start) - own if _GOES_ON.match(span.text) else set()
                if (
                    kind == "speech"
                    and not before
                    and _GOES_ON_SAYING.search(span.text)
                    and not _speakers_of(span.text)
                ):
                    # for what someone said, a quote naming no one as saying it goes on with whoever the sentence
                    # before says spoke ('"Obama must know ...," Larijani said.': Larijani, not Obama), else with
                    # all that sentence's words ('"I didn't start badly ...' after "Ljubicic was at a loss ...")
                    spoke = _speakers_of(spans[i - 1].text) if i else []
                    said = (
                        set(terms(" ".join(spoke[-1]))) if spoke else _told_before(told, article, offset + span.start)
                    )
                    before = said - own
                coverage = sum(w for t, w in weights.items() if t in own or t in before) / total
                # Answers often name their subject a sentence or two earlier in the same paragraph.
                around = set().union(*(sets[j] for j in range(len(spans)) if paragraphs[j] == paragraphs[i]))
                extra = sum(w for t, w in weights.items() if t in around and t not in own and t not in before) / total
                novel = bool(own - weights.keys())
                score = coverage + CONTEXT_WEIGHT * extra + RANK_WEIGHT * prior
                if q_bigrams:
                    own_bigrams = set(zip(term_lists[i], term_lists[i][1:], strict=False))
                    score += BIGRAM_WEIGHT * len(q_bigrams & own_bigrams) / len(q_bigrams)
                score += _kind_bonus(span.text, fine, kind, question_words, speakers)
                if not novel:
                    score *= 0.5  # restates the question, answers nothing
                if _ASKING.search(span.text):
                    score *= ASKING_WEIGHT  # "What is the best course for Iraq right now?" asks, answers nothing
                previous = spans[i - 1].text if i else None
                out.append(Candidate(span, passage, rank, score, coverage + CONTEXT_WEIGHT * extra, previous))
        out.sort(key=lambda c: (-c.score, c.passage_rank, c.span.start))
        return out

    def generate(
        self,
        question: str,
        passages: list[Document],
        *,
        lexicon: Lexicon,
        carried: str = "",
        asked: str | None = None,
        typed: str | None = None,
        holder: tuple[str, str] | None = None,
        heard: Sequence[str] = (),
        earlier: Sequence[str] = (),
        within: frozenset[str] = frozenset(),
        within_share: float = 0.0,
    ) -> Answer:
        """The answer to `question` from `passages`, or an abstention when they do not support one.

        Args:
            question: the cleaned question.
            passages: the retrieved passages, best first.
            lexicon: corpus statistics: the BM25 snapshot the passages were retrieved with.
            carried: context words from earlier turns (count half).
            asked: the question with its time words, when `question` had them taken out for a date filter
                ("on January 8"): the premise check reads the days and years the reader wrote.
            typed: the question as the reader cased it, when `question` has had its names capitalised by question
                understanding: only a name the reader capitalised is named as one no article mentions ("None of
                the articles mentions Patriot."), not a word such as "articles" that the corpus never uses.
            holder: for "Who is the chancellor?", the role and the surname the archive writes beside it most
                (`bot/roles.py`): the best sentence naming them together leads, if it scores `ROLE_WITHIN` of the
                best.
            heard: for a follow-up, the quotes of the last answer: one leads again only when no new sentence
                answers better (`_fresh_first`), and is not said again beside a new one.
            earlier: the quotes of the answers before the last (`HEARD_TURNS` in bot/core.py), heard as well: one
                of these also yields the lead to a new sentence ranked above it that answers as well.
            within: for a follow-up that asks on about the story just quoted ("Where was he taken from?"), its id;
                for one that means someone named before ("Did she apologize?"), the ids of the articles that name
                them: the answer comes from their sentences when the passages hold any (whether to answer at all is
                weighed on every passage, as for any question).
            within_share: ... and when their best sentence scores at least this share of the best of all (0: any).
        """
        ranked = self.rank(question, passages, carried, lexicon)
        bare = False  # held to the story it asks on about, with no words but how it asks ("How old was he?")
        says = False  # ... or asking only what someone said ("What did he say?")
        if within:
            held = [c for c in ranked if _carriers(c.passage) & within]
            if held and held[0].score >= within_share * ranked[0].score:
                ranked = held
                own = set(_sensed(question)) - _asking_words(question)
                bare = not own
                # "what's the final score": the story's score, whichever sentence repeats "score" ("we didn't score a
                # try")
                bare = bare or fine_type(question) == "score"
                says = own <= _SAYING and bool(_ASKS_SAID.search(question))
                # (the learned selector and the cross-encoder read the lexical scores they were trained on)
                rules = self.selector is None and self.crossencoder is None
                if carried and not bare and self.embed is not None and rules and self.held_top:
                    ranked = self._on_own_words(question, ranked, lexicon)
        if self.selector is not None and self.embed is not None:
            if (no_year := year_abstention(question, passages)) is not None:  # said with its reason
                return no_year
            selection = self.selector.select(question, ranked, passages, lexicon, self.embed, self.embed_query, carried)
            if selection.abstain:
                return Answer.abstention(question, GENERATOR, passages)
            chosen = sorted(selection.chosen, key=lambda c: (c.passage_rank, c.span.start))
            return self._compose(question, chosen, passages)
        if self.crossencoder is not None:
            return self._cross_answer(question, ranked, passages, lexicon, asked or question, typed or question)
        if ranked and (checked := self._checked_premise(question, ranked, passages, lexicon)) is not None:
            return checked
        known = lexicon.__contains__
        reason = _unmentioned(question, typed or question, known)
        if not reason and (unwritten := unwritten_names(question, passages, typed)):
            reason = f"None of the articles I found mentions {unwritten[0]}."
        # (for a follow-up held to its story, the coverage of the sentence its own words and their meaning put first:
        # weighing the one the carried names put first instead answered 21 more questions of readers' conversations,
        # most in the store without their story and wrongly: docs/evaluation.md, session 38)
        if not ranked or support(question, ranked[0].coverage, passages, known) < self.abstain_below:
            return Answer.abstention(question, GENERATOR, passages, reason=reason)
        ranked = _right_way_first(question, self._rerank(question, ranked))
        ranked = _said_by_first(ranked, _asked_speakers(question, _sought(question), lexicon))
        if holder is not None:
            ranked = _holder_first(ranked, *holder)
        if bare and ASKS_WHATS_NEXT.match(question) and not any(_AHEAD.search(c.span.text) for c in ranked):
            return Answer.abstention(question, GENERATOR, passages, reason=NOTHING_AHEAD)
        if bare:
            ranked = _fine_first(question, ranked)
        if heard or earlier:
            ranked = _fresh_first(question, ranked, heard, lexicon, earlier)
        said = _sentences_of([*heard, *earlier])  # a sentence quoted is said again only when it still answers best
        just_read = _sentences_of(heard)
        if says:
            ranked = _quote_goes_on(ranked, said, just_read)
        if bare:
            ranked = _then_first(question, ranked, just_read)
        chosen = _choose(question, ranked, SECOND_SENTENCE_RATIO, said)
        if expected_type(question) == "name" and not is_broad(question):
            # the corpus's names, where the lexicon records them (the BM25 index does), tell "Pitmon" from "Police"
            # a name the conversation carried the reader has been told already: "Blair" of "a key Blair lieutenant"
            # needs no sentence giving his full name after "who is his brother?"
            chosen = self._named(question, chosen, ranked[0], ranked, getattr(lexicon, "names", None), carried)
        chosen = _answered_next(question, ranked[0], chosen, lexicon)
        if ASKS_NAME.match(question):
            other_name = bare and bool(_OTHER_NAME.search(question))  # held to the story: "What's his real name?"
            chosen = _naming(" ".join([question, carried, *heard]), ranked, chosen, other_name=other_name)

        def fresh(candidate: Candidate) -> bool:
            return candidate is ranked[0] or _plain(candidate.span.text) not in said

        chosen = _figure_first(question, list(filter(fresh, ranked)), list(filter(fresh, chosen)))
        if carried:
            chosen = _time_first(question, list(filter(fresh, ranked)), chosen)
            chosen = _reason_first(question, list(filter(fresh, ranked)), chosen)
            chosen = _who_first(question, list(filter(fresh, ranked)), chosen, carried)
        if said and fine_type(question) in _SAID_AGAIN and not any(_gives_figure(question, c) for c in chosen):
            # no new sentence gives the count or duration asked for: one quoted already that does answers again ("how
            # long did they talk" after "... met for about 90 minutes in Geneva ..."; `_nothing_new` lets it through)
            chosen = _figure_first(question, ranked, chosen)
        chosen = _replied(chosen, said)
        if self.reader is not None and not is_broad(question):
            chosen = self._with_read(question, ranked, chosen)
        nothing_new = _nothing_new(question, chosen, said, lexicon)
        unsure = functools.partial(self._unsure, question, chosen) if carried else None
        return self._as_asked(
            question, chosen, passages, reason, follow_up=bool(carried), nothing_new=nothing_new, unsure=unsure
        )

    def _unsure(self, question: str, chosen: list[Candidate]) -> str:
        """For a follow-up, "None of the sentences I found answers that." when the cross-encoder (`checker`) gives
        every sentence of its answer less than `FOLLOW_UP_CHECK` chance of answering it: "what's her name" answered
        with "Fox said the admission was a result of pressure from our community", "who did they want instead" with
        "We must get out of it through the efforts of current personnel," said Thompson". Empty when it answers, for
        a broad question, when a sentence gives the kind of value asked for (`fine_pattern`: "lost 1-6, 4-6" for
        "what was the score") or the figure asked for (`_gives_figure`), and when the cross-encoder is not
        installed or does not load. Not for a question with no words but how it asks ("Who is he?",
        "How old is she?"): it reads no more than the question, so it cannot tell whom such a one means."""
        if not chosen or is_broad(question) or not set(_sensed(question)) - _asking_words(question):
            return ""
        # the kind of value asked for, or a figure, which the model reads less surely ("lost 1-6, 4-6", "11 operations")
        fine = fine_pattern(question)
        if fine is not None and any(fine.search(c.span.text) for c in chosen):
            return ""
        if _asks_figure(question) and any(_gives_figure(question, c) and _of_those_named(question, c) for c in chosen):
            return ""
        if any(_names_kind_asked(question, c.span.text) for c in chosen):
            return ""
        checker = self._check_model()
        if checker is None:
            return ""
        try:
            probs = checker.score(question, [c.span.text for c in chosen], [c.previous for c in chosen])
        except Exception as exc:  # (onnxruntime's own errors) the rules' answer stands, unchecked
            logger.warning("the cross-encoder could not check a follow-up: %s", type(exc).__name__)
            return ""
        return "" if float(probs.max()) >= FOLLOW_UP_CHECK else UNSURE

    def _check_model(self) -> CrossEncoder | None:
        """The cross-encoder `checker` loads, loaded once for every thread; None when none is installed, and when
        its files are broken (logged once: follow-ups are answered unchecked rather than not at all)."""
        if self.checker is None:
            return None
        with self._check_lock:
            if not self._check_loaded:
                self._check_loaded = True
                try:
                    self._check_loaded_model = self.checker()
                except Exception as exc:  # (onnxruntime's, json's, a missing key's) a broken install
                    logger.warning("the cross-encoder did not load, so follow-ups are not checked: %s", exc)
            return self._check_loaded_model

    def more(self, question: str, passages: list[Document], *, lexicon: Lexicon, said: list[str]) -> Answer | None:
        """More about `question` ("Tell me more"): the best sentences not yet `said` in the conversation, up to
        `MORE_SENTENCES` within `MAX_ANSWER_WORDS` words, each scoring `MORE_RATIO` of the best sentence (said or
        not); when none is left, the rest of the best one's story, from its start, not yet said.
        None when the retrieved passages hold nothing more."""
        heard = _sentences_of(said)
        ranked = _distinct(self.rank(question, passages, "", lexicon))
        if not ranked:
            return None
        floor = MORE_RATIO * ranked[0].score
        fresh = [c for c in ranked if _plain(c.span.text) not in heard and c.score >= floor]
        if not fresh:
            story = ranked[0].passage.metadata.get("article_id")
            told = [c for c in ranked if c.passage.metadata.get("article_id") == story]
            told.sort(key=_position)
            fresh = [c for c in told if _plain(c.span.text) not in heard]
        chosen: list[Candidate] = []
        for candidate in fresh:
            if len(chosen) < MORE_SENTENCES and (not chosen or _length([*chosen, candidate]) <= MAX_ANSWER_WORDS):
                chosen.append(candidate)
        if not chosen:
            return None
        return self._compose(question, sorted(chosen, key=lambda c: (c.passage_rank, c.span.start)), passages)

    def best_sentences(
        self, question: str, passages: list[Document], *, lexicon: Lexicon, carried: str = "", n: int = LLM_SENTENCES
    ) -> list[Document]:
        """The `n` best sentences of `passages` as an LLM's context: each passage cut down to its chosen
        sentences (in the article's order), passages in their retrieval order, metadata kept for citations. A
        sentence that goes on about the one before ("He added: ...", `_GOES_ON`) comes with that one, when its
        passage holds it: the one that most often names who "he" is (a quote may run on for longer)."""
        ranked = self.rank(question, passages, carried, lexicon)[:n]
        out = []
        for passage in passages:
            picked = {(c.span.start, c.span.text) for c in ranked if c.passage is passage}
            if goes_on := {start for start, text in picked if _GOES_ON.match(text)}:
                spans = _sentences(passage.page_content)
                picked |= {(b.start, b.text) for b, s in itertools.pairwise(spans) if s.start in goes_on}
            if picked:
                text = " ".join(t for _, t in sorted(picked))
                out.append(Document(page_content=text, metadata=passage.metadata, id=passage.id))
        return out

    def _cross_answer(
        self,
        question: str,
        ranked: list[Candidate],
        passages: list[Document],
        lexicon: Lexicon,
        asked: str,
        typed: str,
    ) -> Answer:
        """The answer the cross-encoder picks among the best sentences, or an abstention below its threshold."""
        assert self.crossencoder is not None
        contenders = ranked[:CROSS_TOP]
        if not contenders:
            return Answer.abstention(question, GENERATOR, passages)
        probs = self.crossencoder.score(question, [c.span.text for c in contenders], [c.previous for c in contenders])
        top = contenders[0].score or 1.0
        rescored = sorted(
            (replace(c, score=c.score / top + CROSS_WEIGHT * float(p)) for c, p in zip(contenders, probs, strict=True)),
            key=lambda c: -c.score,
        )
        corrected = self._premise(asked, contenders, passages)
        if corrected is not None:
            return corrected
        if (no_year := year_abstention(question, passages)) is not None:
            return no_year
        reason = _unmentioned(question, typed, lexicon.__contains__)
        if float(probs.max()) < self.crossencoder.threshold:
            return Answer.abstention(question, GENERATOR, passages, reason=reason)
        if support(question, ranked[0].coverage, passages, lexicon.__contains__) < self.abstain_below:
            return Answer.abstention(question, GENERATOR, passages, reason=reason)
        chosen = _choose(question, rescored, SECOND_SENTENCE_RATIO)
        return self._as_asked(question, chosen, passages, reason)

    def _with_read(self, question: str, ranked: list[Candidate], chosen: list[Candidate]) -> list[Candidate]:
        """`chosen` (the rules' answer), or, when it lacks the sentence the span reader points at, the rules' best
        sentence and that one, if both fit in `MAX_ANSWER_WORDS`. The reader's sentence is the best of the best
        `READER_TOP` by lexical score (relative to the best) + `READER_WEIGHT` x the reader's probability that
        the answer lies in it: its spans' share of all it found in the passages read, and of "no answer"."""
        assert self.reader is not None
        contenders = ranked[:READER_TOP]
        read_passages: list[Document] = []
        for candidate in contenders:
            if all(candidate.passage is not p for p in read_passages) and len(read_passages) < READER_PASSAGES:
                read_passages.append(candidate.passage)
        reads = self.reader.read(question, [p.page_content for p in read_passages])
        spans = [(i, s) for i, read in enumerate(reads) for s in read.spans]
        surest = max(reads, key=lambda read: read.margin)  # "no answer" as the passage it is surest of says it
        scores = np.array([s.score for _, s in spans] + [surest.null])
        weights = np.exp(scores - scores.max())
        weights /= weights.sum()
        top = contenders[0].score or 1.0

        def weighed(candidate: Candidate) -> float:
            where = next(i for i, p in enumerate(read_passages) if p is candidate.passage)
            share = sum(
                float(w)
                for (i, s), w in zip(spans, weights, strict=False)
                if i == where and candidate.span.start <= s.start and s.end <= candidate.span.end
            )
            return candidate.score / top + READER_WEIGHT * share

        pick = max((c for c in contenders if any(c.passage is p for p in read_passages)), key=weighed)
        best = ranked[0]
        if any(c.span == pick.span and c.passage is pick.passage for c in chosen):
            return chosen
        if len(best.span.text.split()) + len(pick.span.text.split()) > MAX_ANSWER_WORDS:
            return chosen
        return sorted([best, pick], key=lambda c: (c.passage_rank, c.span.start))

    def _named(
        self,
        question: str,
        chosen: list[Candidate],
        best: Candidate,
        ranked: Sequence[Candidate] = (),
        corpus_names: frozenset[str] | None = None,
        carried: str = "",
    ) -> list[Candidate]:
        """For a "who" question whose best sentence begins with a pronoun ('He added: "By all means get drunk ..."')
        and whose sentences from that story name no one the question does not: the nearest of the `NAMED_WITHIN`
        sentences before it in its article that names someone, then the best sentence (in place of any runner-up,
        within `MAX_ANSWER_WORDS`). When it names them by surname alone ("Pitmon took control of the bus ...") and
        its sentences come from that story only, the nearest sentence before it that gives the full name ("Arris
        Pitmon, 23, darted toward the bus ...", up to `NAMED_PASSAGES` passages back) comes first the same way, but
        not for a surname the conversation `carried` (the reader has been told it). `chosen` as it is otherwise."""
        asked = {w.lower() for w in words(question)}
        story = best.passage.metadata.get("article_id")
        told = [c for c in chosen if c.passage.metadata.get("article_id") == story]
        full: list[str] = []  # the full names to look for, when it names them by surname alone
        if _PRONOUN_FIRST.match(best.span.text):
            if any(_people(c.span.text, asked) for c in told):
                return chosen  # its story's sentences name someone already (the runner-up may be the one naming him)
            window = NAMED_WITHIN
        elif len(told) == len(chosen) and (
            surnames := _surnames_alone(best.span.text, asked | {w.lower() for w in words(carried)}, corpus_names)
        ):
            told_text = " ".join(c.span.text for c in told)
            full = [rf"(?:[A-Z][\w'’.-]*\s+){{1,3}}{re.escape(name)}\b" for name in surnames]
            full = [f for f in full if not re.search(f, told_text)]
            if not full:
                return chosen
            window = NAMED_WITHIN * NAMED_PASSAGES
        else:
            return chosen

        def names_them(text: str) -> bool:
            return bool(_people(text, asked)) and (not full or any(re.search(f, text) for f in full))

        before = reversed(self._sentences_before(best, window)[-window:])
        naming = next((replace(best, span=s, passage=p) for s, p in before if names_them(s.text)), None)
        if naming is None and full and len(chosen) == 1:
            # further back, or after it: a sentence of the story among those found that gives the full name, when
            # the answer is one sentence (a runner-up of its story may be what answers: "who will rejoin tour?")
            others = (
                c for c in ranked if c.passage.metadata.get("article_id") == story and c.span.text != best.span.text
            )
            naming = next((c for c in others if names_them(c.span.text)), None)
        if naming is None or len(naming.span.text.split()) + len(best.span.text.split()) > MAX_ANSWER_WORDS:
            return chosen
        return sorted([naming, best], key=_position)

    def _sentences_before(self, best: Candidate, enough: int) -> list[tuple[Span, Document]]:
        """The sentences before `best` in its article, nearest last: those of its passage, then of up to
        `NAMED_PASSAGES` passages before it (read from the store) until there are `enough`."""
        before = [(s, best.passage) for s in _sentences(best.passage.page_content) if s.end <= best.span.start]
        first = best.passage
        at = int(first.metadata.get("start", 0)) + (before[0][0].start if before else best.span.start)
        earlier_of = self.passage_before
        for _ in range(NAMED_PASSAGES):
            if earlier_of is None or len(before) >= enough:
                break
            try:
                earlier = earlier_of(first)
            except StoreError as exc:  # the answer stands without the sentence naming him
                logger.warning("could not read the passage before %s: %s", first.id, exc)
                break
            if earlier is None:
                break
            offset = int(earlier.metadata.get("start", 0))  # passages may overlap: only what ends before `at`
            read = [(s, earlier) for s in _sentences(earlier.page_content) if offset + s.end <= at]
            before = read + before
            first, at = earlier, offset + (read[0][0].start if read else 0)
        return before

    def _premise(self, question: str, contenders: list[Candidate], passages: list[Document]) -> Answer | None:
        """When the question names a day, year or number no passage gives and the cross-encoder finds a sentence
        that answers the question with its own value instead, the answer says so (marked declined, as the rules'
        `_checked_premise`): "The articles say March 29, not March 22: ..."."""
        assert self.crossencoder is not None
        missing = missing_values(question, passages)
        if not missing:
            return None
        kind, wrong = missing[0]
        options = _premise_options(question, kind, wrong, contenders[:RERANK_TOP])
        if not options:
            return None
        probs = self.crossencoder.score_pairs(
            [(asked, c.span.text) for c, _, asked in options], [c.previous for c, _, _ in options]
        )
        best = int(np.argmax(probs))
        if float(probs[best]) < self.crossencoder.threshold:
            return None
        candidate, value, _ = options[best]
        return self._corrected(question, candidate, value, wrong, passages)

    def _checked_premise(
        self, question: str, ranked: list[Candidate], passages: list[Document], lexicon: Lexicon
    ) -> Answer | None:
        """For a question naming a day, year or number that no passage gives: the sentence that answers it with its
        own day or number instead, said as such ("The articles say 17,000, not 50,000: ... [1]"), or a decline
        naming the value ("None of the articles I found mentions 2010."). None when the passages give every value,
        or when only a number written in words is missing and no sentence gives another in its place.

        A sentence answers it when, the reader's value replaced by the sentence's, it covers `PREMISE_COVERAGE` of
        the question's weight. Either way the answer is marked declined: the question as asked has no answer.
        """
        for kind, wrong in missing_values(question, passages):
            best: tuple[float, Candidate, str] | None = None
            # A year names an event as often as it dates one ("the 2010 World Cup" is not the 1993 one): never corrected
            options = _premise_options(question, kind, wrong, ranked[:RERANK_TOP]) if kind != "year" else []
            for candidate, value, changed in options:
                again = self.rank(changed, [candidate.passage], "", lexicon)
                coverage = max((c.coverage for c in again if c.span.start == candidate.span.start), default=0.0)
                if coverage >= PREMISE_COVERAGE and (best is None or coverage > best[0]):
                    best = (coverage, candidate, value)
            if best is not None:
                _, candidate, value = best
                return self._corrected(question, candidate, value, wrong, passages)
            if wrong[:1].isdigit() or kind != "number" or _measured(wrong, question):
                reason = f"None of the articles I found mentions {as_written(wrong, question, noun=kind == 'number')}."
                return Answer.abstention(question, GENERATOR, passages, reason=reason)
            # a number written in words is only corrected, unless a measure follows it ("for three hours"):
            # "Which two countries ...?" counts the answer's names, which no article counts for it
        return None

    def _corrected(
        self, question: str, candidate: Candidate, value: str, wrong: str, passages: list[Document]
    ) -> Answer:
        """The answer that quotes `candidate` for the value the articles give instead of the reader's, marked
        declined (the question as asked has no answer): "The articles say £800m, not 500 million: ... [1]"."""
        answer = self._compose(question, [candidate], passages)
        said, asked_as = as_written(value, candidate.span.text), as_written(wrong, question)
        if (measured := _measure_match(wrong, question)) is not None:  # "90 minutes, not three hours"
            said, asked_as = value, _as_measure(measured)
        if _SPELLED.fullmatch(said):  # "Two mayors ...": "The articles say two, not three"
            said = said.lower()
        if _SPELLED.fullmatch(asked_as):  # "Three mayors agreed?"
            asked_as = asked_as.lower()
        return replace(answer, answer=f"The articles say {said}, not {asked_as}: {answer.answer}", abstained=True)

    def _on_own_words(self, question: str, held: list[Candidate], lexicon: Lexicon) -> list[Candidate]:
        """The sentences of the story (or stories) a follow-up is held to, scored on the question's own words, the
        best few raised by how much closer in meaning to it they are than the least close of them.

        The words a follow-up carries found its story; within it they pull back the sentence just quoted ("who
        were the civilians that died" after an Australian commando's death was answered with the lead's "three
        civilians", not "... the civilians, two women and a child, died"). Meaning finds the answer worded otherwise
        ("what were they doing when he got shot": "... conducting an operation to clear an identified Taliban bomb
        making facility ..."). The best `HELD_TOP` by either score are embedded; when the question asks for a kind
        of value ("how long", "how many") that some of them give, only those are raised ("How long is the
        sentence?": "... jailed for four years", not "The reported sentence is wholly unjustified").
        """
        passages = list({id(c.passage): c.passage for c in held}.values())
        own = {_where(c): c.score for c in self.rank(question, passages, "", lexicon)}

        by_own = sorted(held, key=lambda c: -own.get(_where(c), 0.0))
        best = [*by_own[: self.held_top], *held[: self.held_top]]
        pool = list({_where(c): c for c in best}.values())
        similarity = self._meanings([c.span.text for c in pool]) @ np.asarray(self.embed_query(question))
        least = float(similarity.min())
        fine = fine_pattern(question)
        if fine is not None and any(fine.search(c.span.text) for c in pool):
            similarity = np.where([bool(fine.search(c.span.text)) for c in pool], similarity, least)
        closer = {_where(c): float(s) - least for c, s in zip(pool, similarity, strict=True)}
        rescored = [
            replace(c, score=own.get(_where(c), 0.0) + HELD_MEANING_WEIGHT * closer.get(_where(c), 0.0)) for c in held
        ]
        rescored.sort(key=lambda c: (-c.score, c.passage_rank, c.span.start))
        return rescored

    def figure_in(self, question: str, passages: list[Document]) -> Answer | None:
        """For a follow-up asking for a figure (`asks_story_figure`) that the search answered from another story, the
        sentence of `passages` (the story the conversation is on) that gives that figure (`gives_figure_asked`),
        closest to the question in meaning (`_closest_of`): "The match, which Iraq won 2-1, was watched avidly ..."
        for "what was the score of the game". None when no sentence does, and without the embedder."""
        if not asks_story_figure(question):
            return None
        return self._closest_of(question, passages, lambda text: gives_figure_asked(question, [text]))

    def said_in(self, question: str, passages: list[Document]) -> Answer | None:
        """For a follow-up asking what someone said (`asks_what_was_said`) that the search answered from another
        story, the sentence of `passages` (the story the conversation is on) that reports speech (`_QUOTING`) and
        holds a word of whom the question asks about, closest to the question in meaning (`_closest_of`): "what did
        the guy from sophos say" gets "..., said Graham Cluley, senior technology consultant for security firm
        Sophos". None when no sentence does, and without the embedder."""
        if not asks_what_was_said(question) or is_broad(question):
            return None
        whom = set(terms(question)) - _SAYING - _asking_words(question)
        return self._closest_of(
            question, passages, lambda text: bool(_QUOTING.search(text)) and bool(whom & set(_sensed(text)))
        )

    def _closest_of(self, question: str, passages: list[Document], keep: Callable[[str], bool]) -> Answer | None:
        """The answer quoting the sentence of `passages` that `keep` keeps and that comes closest to `question` in
        meaning (MiniLM); None when none is kept, and without the embedder."""
        if self.embed is None:
            return None
        kept = [
            Candidate(span, passage, 0, 0.0, 0.0)
            for passage in passages
            for span in _sentences(passage.page_content)
            if keep(span.text)
        ]
        if not kept:
            return None
        similarity = self._meanings([c.span.text for c in kept]) @ np.asarray(self.embed_query(question))
        return self._compose(question, [kept[int(np.argmax(similarity))]], passages)

    def _meanings(self, texts: list[str]) -> np.ndarray:
        """MiniLM vectors of `texts` (one row each); those embedded for an earlier step or turn are read from the last
        `MEANINGS_KEPT` kept rather than embedded again."""
        assert self.embed is not None
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        with self._meanings_lock:
            known = {t: self._meanings_kept[t] for t in texts if t in self._meanings_kept}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            known.update(zip(missing, self.embed(missing), strict=True))
            with self._meanings_lock:
                self._meanings_kept.update((t, known[t]) for t in missing)
                while len(self._meanings_kept) > MEANINGS_KEPT:
                    del self._meanings_kept[next(iter(self._meanings_kept))]
        return np.stack([known[t] for t in texts])

    def _rerank(self, question: str, ranked: list[Candidate]) -> list[Candidate]:
        """Break near-ties between the best few sentences by their MiniLM similarity to the question.

        Lexical overlap alone picks the sentence that restates the question; meaning separates it from the one
        that answers. Only the close contenders are embedded (a few milliseconds each; none a held follow-up's
        `_on_own_words` embedded just before).
        """
        contenders = [c for c in ranked[:RERANK_TOP] if c.score >= RERANK_WITHIN * ranked[0].score]
        if self.embed is None or len(contenders) < 2:
            return ranked
        similarity = self._meanings([c.span.text for c in contenders]) @ np.asarray(self.embed_query(question))
        rescored = [
            replace(c, score=c.score + DENSE_WEIGHT * float(sim)) for c, sim in zip(contenders, similarity, strict=True)
        ]
        rescored.sort(key=lambda c: -c.score)
        rest = [replace(c, score=c.score + DENSE_WEIGHT * float(similarity.min())) for c in ranked[len(contenders) :]]
        return rescored + rest

    @staticmethod
    def _as_asked(
        question: str,
        chosen: list[Candidate],
        passages: list[Document],
        reason: str,
        *,
        follow_up: bool = False,
        nothing_new: str = "",
        unsure: Callable[[], str] | None = None,
    ) -> Answer:
        """The answer quoting `chosen`, held to what was asked: said as the closest the articles come when the
        question names something none mentions (`reason`) or asks what did not happen and the sentences say what did
        (`_denied`), or they give no figure asked for (`_no_figure`); said as the articles' opposite ("The articles
        say smallest, not largest: ...") when they say the opposite of a word of the question (`_opposite`); for a
        follow-up, said as the closest when its sentences give no time, place, speech or name asked for (`_no_time`,
        `_no_place`, `_no_saying`, `_no_name`) or only a vague mention of the one asked which of (`_only_vaguely`),
        when it quoted only what was quoted already (`nothing_new`) or, when nothing else declines it, when
        `unsure` (the cross-encoder's check, run only then) says its sentences do not answer. Marked declined in
        each case: as asked, it has no answer."""
        answer = ExtractiveGenerator._compose(question, chosen, passages)
        reason = reason or _denied(question, chosen) or _no_figure(question, chosen)
        reason = reason or _no_time(question, chosen, follow_up) or _no_place(question, chosen, follow_up)
        reason = reason or _no_saying(question, chosen, follow_up) or _no_name(question, chosen, follow_up)
        reason = reason or _only_vaguely(question, chosen, follow_up) or _no_next(question, chosen, follow_up)
        if not reason and (swapped := _opposite(question, chosen)) is not None:
            said, asked = swapped
            return replace(answer, answer=f"The articles say {said}, not {asked}: {answer.answer}", abstained=True)
        if not reason and nothing_new:  # the follow-ups after it go on from the turn before (`Answer.said_before`)
            return replace(_closest(answer, nothing_new), said_before=True)
        if not reason and unsure is not None and (why := unsure()):  # checked only when nothing else declines it
            return replace(_closest(answer, why), unsure=True)  # ... and skipped the same way (`Answer.unsure`)
        return _closest(answer, reason)

    @staticmethod
    def _compose(question: str, chosen: list[Candidate], passages: list[Document]) -> Answer:
        """The chosen sentences with `[n]` markers; one citation per article, quoting every sentence used."""
        citations: list[Citation] = []
        parts = []
        for candidate in chosen:
            meta = candidate.passage.metadata
            marks = []
            for carrier in [meta, *meta.get("also_in", [])]:  # wire copy: every article that carries it
                source = str(carrier.get("article_id"))
                index = next((i for i, c in enumerate(citations) if c.source == source), None)
                if index is None:  # the same story filed twice (same title, date and link) is cited once
                    index = _cited_as(carrier, citations)
                if index is None:
                    citations.append(Citation.of(len(citations) + 1, carrier, candidate.span.text))
                    index = len(citations) - 1
                elif candidate.span.text not in citations[index].quote:
                    citations[index] = replace(
                        citations[index], quote=f"{citations[index].quote} … {candidate.span.text}"
                    )
                if f"[{citations[index].n}]" not in marks:
                    marks.append(f"[{citations[index].n}]")
            parts.append(f"{candidate.span.text} {''.join(marks)}")
        return Answer(
            question=question, answer=" ".join(parts), generator=GENERATOR, citations=citations, passages=passages
        )
