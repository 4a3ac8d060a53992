"""bot/timeframe.py: time expressions to date ranges, passages by date, dated answers; end to end with --as-of."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import conversation_store, open_test_store
from langchain_core.documents import Document

from bot.answer import Answer, Citation, Turn
from bot.evaluation import evaluate, load_questions
from bot.factory import build_answerer
from bot.timeframe import (
    TimeFrame,
    as_of_notice,
    asks_for_news_about,
    by_date,
    dated,
    mentions_named_date,
    parse_timeframe,
)
from retrieval.ingest import ingest

DATA = Path(__file__).parent / "data"
AS_OF = date(2022, 1, 22)  # a Saturday


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("What happened on January 10?", date(2022, 1, 10), date(2022, 1, 10)),
        ("What happened on 10 January 2021?", date(2021, 1, 10), date(2021, 1, 10)),
        ("What happened on 2022-01-07?", date(2022, 1, 7), date(2022, 1, 7)),
        ("What was decided on December 30?", date(2021, 12, 30), date(2021, 12, 30)),  # the last one before today
        ("What happened in 2005?", date(2005, 1, 1), date(2005, 12, 31)),
        ("What happened in January 2021?", date(2021, 1, 1), date(2021, 1, 31)),
        ("What did they say at the start of January?", date(2022, 1, 1), date(2022, 1, 10)),
        ("What happened yesterday?", date(2022, 1, 21), date(2022, 1, 21)),
        ("What happened today?", AS_OF, AS_OF),
        ("What happened this week?", date(2022, 1, 17), AS_OF),
        ("What happened last week?", date(2022, 1, 10), date(2022, 1, 16)),
        ("What happened this year?", date(2022, 1, 1), AS_OF),
        ("What happened last year?", date(2021, 1, 1), date(2021, 12, 31)),
        ("What happened last month?", date(2021, 12, 1), date(2021, 12, 31)),
        ("What happened in the past 3 days?", date(2022, 1, 19), AS_OF),
        ("What happened two weeks ago?", date(2022, 1, 5), date(2022, 1, 11)),
        ("What happened on Wednesday?", date(2022, 1, 19), date(2022, 1, 19)),
        ("What has happened since January 15?", date(2022, 1, 15), AS_OF),
        ("What happened before 2020?", None, date(2019, 12, 31)),
        ("What was the state of play as of January 15?", None, date(2022, 1, 15)),
        ("What happened over the past month?", date(2021, 12, 23), AS_OF),
        ("What happened in the last few days?", date(2022, 1, 15), AS_OF),
    ],
)
def test_time_expressions_resolve_against_the_as_of_day(question, start, end):
    frame = parse_timeframe(question, AS_OF)
    assert frame is not None and (frame.start, frame.end) == (start, end)
    assert not frame.newest


@pytest.mark.parametrize("word", ["latest", "most recent", "recently", "now", "currently", "so far"])
def test_newest_words_ask_for_the_latest_without_a_range(word):
    frame = parse_timeframe(f"What is the {word} news on the bridge?", AS_OF)
    assert frame == TimeFrame(newest=True, phrase=word, words=(word,))


@pytest.mark.parametrize(
    "question",
    ["Who won the 2005 election?", "How many troops did Russia move?", "May the talks resume?", "Who knows?"],
)
def test_questions_naming_no_time_have_no_frame(question):
    assert parse_timeframe(question, AS_OF) is None


def test_the_time_words_are_stripped_from_what_is_asked():
    frame = parse_timeframe("What did the minister announce on January 12, 2022?", AS_OF)
    assert frame is not None and frame.topic("What did the minister announce on January 12, 2022?") == (
        "What did the minister announce?"
    )
    latest = parse_timeframe("What is the latest on the bridge?", AS_OF)
    assert latest is not None and latest.topic("What is the latest on the bridge?") == "What is on the bridge?"


def passage(article: str, day: str | None, score: float) -> Document:
    meta = {"article_id": article, "title": article, "score": score, **({"date": day} if day else {})}
    return Document(page_content=f"Text of {article}.", metadata=meta, id=article)


def test_a_range_keeps_only_the_passages_dated_in_it():
    passages = [passage("a", "2022-01-20", 2.0), passage("b", "2022-01-12", 1.5), passage("c", None, 1.4)]
    frame = parse_timeframe("What happened last week?", AS_OF)
    kept, notice = by_date(passages, frame, 5)
    assert [p.id for p in kept] == ["b"] and notice is None


def test_a_date_without_a_year_falls_back_to_the_latest_year_with_articles():
    passages = [passage("a", "2020-01-10", 2.0), passage("b", "2021-01-10", 1.5), passage("c", "2021-03-02", 1.8)]
    frame = parse_timeframe("What happened on January 10?", date(2026, 12, 1))
    assert frame is not None and frame.start == date(2026, 1, 10) and frame.yearless
    kept, notice = by_date(passages, frame, 5)
    assert [p.id for p in kept] == ["b"] and notice is None
    with_year = parse_timeframe("What happened on January 10, 2026?", date(2026, 12, 1))
    assert with_year is not None and not with_year.yearless
    assert by_date(passages, with_year, 5)[1] is not None  # a year given is a year meant


def test_a_range_no_passage_falls_in_keeps_them_all_with_a_notice():
    passages = [passage("a", "2022-01-20", 2.0), passage("b", None, 1.5)]
    kept, notice = by_date(passages, parse_timeframe("What happened in 2005?", AS_OF), 5)
    assert [p.id for p in kept] == ["a", "b"]
    assert notice == "No article is dated 2005-01-01 to 2005-12-31; this answer quotes articles from other dates."


def test_latest_lifts_the_newest_relevant_passage_and_undated_ones_never_count_as_new():
    passages = [
        passage("old", "2022-01-03", 2.0),
        passage("undated", None, 1.95),
        passage("new", "2022-01-20", 1.8),
        passage("newest-but-off-topic", "2022-01-21", 0.5),
    ]
    kept, _ = by_date(passages, parse_timeframe("What is the latest on the bridge?", AS_OF), 5)
    assert [p.id for p in kept] == ["new", "old", "undated", "newest-but-off-topic"]
    assert kept[0].metadata["score"] > passages[0].metadata["score"]


def cite(n: int, source: str, day: str | None, quote: str) -> Citation:
    return Citation(n=n, source=source, title=source, date=day, url=None, quote=quote)


def test_quotes_of_different_dates_are_shown_newest_first_with_their_dates():
    answer = Answer(
        question="When will the bridge reopen?",
        answer="It will reopen in March. [1] It will now reopen in June. [2]",
        generator="extractive",
        citations=[cite(1, "old", "2022-01-03", "It will reopen in March."), cite(2, "new", "2022-01-20", "June.")],
    )
    out = dated(answer)
    assert out.answer == "As of 2022-01-20: It will now reopen in June [1]; on 2022-01-03: It will reopen in March. [2]"
    assert [(c.n, c.source) for c in out.citations] == [(1, "new"), (2, "old")]


def test_answers_from_one_date_or_in_prose_are_unchanged():
    one_date = Answer(
        question="q",
        answer="A. [1] B. [2]",
        generator="extractive",
        citations=[cite(1, "a", "2022-01-03", "A."), cite(2, "b", "2022-01-03", "B.")],
    )
    assert dated(one_date) is one_date
    prose = Answer(
        question="q",
        answer="In short, A [1] and then B [2], as reported.",
        generator="openai:x",
        citations=[cite(1, "a", "2022-01-03", "A."), cite(2, "b", "2022-01-20", "B.")],
    )
    assert dated(prose) is prose


@pytest.mark.parametrize(
    ("question", "days", "notice"),
    [
        ("Is the bridge still closed?", ["2022-01-03", "2022-01-10"], "This is as reported on 2022-01-10"),
        ("What will the weather be tomorrow?", ["2022-01-10"], "This is as reported on 2022-01-10"),
        ("Who is mayor now?", [None], "The articles quoted carry no date, so this may be out of date."),
        ("What happens next week?", ["2022-01-20"], None),  # two days old: as fresh as the archive gets
        ("When did the bridge close?", ["2022-01-03"], None),  # about the past: its date is no caveat
        ("Is it still closed?", ["2022-01-10", None], "This is as reported on 2022-01-10 (the newest article quoted)"),
        ("Is it still closed?", ["2022-01-21", None], "One of the articles quoted carries no date, so this may be"),
    ],
)
def test_a_question_about_now_or_later_says_how_old_its_answer_is(question, days, notice):
    answer = Answer(
        question=question,
        answer=" ".join(f"Quote {i}. [{i}]" for i in range(1, len(days) + 1)),
        generator="extractive",
        citations=[cite(i, f"a{i}", day, f"Quote {i}.") for i, day in enumerate(days, 1)],
    )
    said = as_of_notice(question, answer, AS_OF)
    assert said == notice if notice is None else said.startswith(notice), said
    declined = Answer.abstention(question, "extractive", [])
    assert as_of_notice(question, declined, AS_OF) is None


@pytest.fixture(scope="module")
def dated_answerer(tmp_path_factory, embeddings):
    store = open_test_store(tmp_path_factory.mktemp("dated"), embeddings)
    assert ingest([DATA / "dated"], store).ok
    return build_answerer(store, as_of=AS_OF)


def test_the_dated_dev_set_passes_with_as_of(dated_answerer):
    data = load_questions(DATA / "dated_dev.jsonl")
    report = evaluate(dated_answerer, data.conversations)
    print(json.dumps({"pass_rate": report.pass_rate, "failures": report.failures}, indent=1))
    assert report.pass_rate >= 0.9


def test_the_dated_dev_set_answers_lead_with_the_right_article(dated_answerer):
    """Stricter than the dev rule: the first citation is the right article and the leading quote holds the answer."""
    led = []
    for line in (DATA / "dated_dev.jsonl").read_text().splitlines():
        item = json.loads(line)
        turn = item["turns"][0]
        answer = dated_answerer.answer(turn["q"])
        lead = answer.answer.split(";")[0].split("[2]")[0].lower()
        if answer.citations and answer.citations[0].source in turn["sources"]:
            led += [item["id"]] if all(any(s.lower() in lead for s in g) for g in turn["all"]) else []
    assert len(led) >= 14, led


def test_the_latest_on_a_story_leads_with_the_newest_report_and_dates_each_quote(dated_answerer):
    answer = dated_answerer.answer("When will the Harbourview bridge reopen?")
    assert answer.answer.startswith("As of 2022-01-20: ") and "June" in answer.answer.split(";")[0]
    assert "; on 2022-01-03: " in answer.answer
    assert answer.citations[0].source == "bridge-0120"


def test_relative_dates_follow_the_as_of_day(dated_answerer, embeddings):
    later = build_answerer(dated_answerer.retriever.store, as_of=date(2022, 1, 29))
    this_week = "What did the transport minister announce last week?"
    assert dated_answerer.answer(this_week).citations[0].source == "minister-0112"
    assert later.answer(this_week).citations[0].source == "minister-0119"


def test_an_archive_answers_a_question_about_now_as_of_its_newest_report(dated_answerer):
    still = "Is the Harbourview bridge still closed?"
    weeks_later = build_answerer(dated_answerer.retriever.store, as_of=date(2022, 3, 1))
    reopen = weeks_later.answer("When will the Harbourview bridge reopen now?")
    assert reopen.citations[0].source == "bridge-0120"
    assert (
        reopen.notice == "This is as reported on 2022-01-20 (the newest article quoted); things may have changed since."
    )
    assert reopen.to_dict()["notice"] == reopen.notice
    assert dated_answerer.answer("When will the Harbourview bridge reopen now?").notice is None  # two days on
    assert weeks_later.answer("When will the Harbourview bridge reopen?").notice is None
    # "closed" is in the older report only: the newer one is named, so the reader knows there is a later story
    closed = weeks_later.answer(still)
    assert [c.source for c in closed.citations] == ["bridge-0103"]
    assert closed.notice == (
        'This is as reported on 2022-01-03. A newer article, "Harbourview bridge reopening pushed back to June after '
        'corrosion found" (2022-01-20), may tell a later story.'
    )


@pytest.mark.parametrize(
    "question", ["Any news?", "What's the latest news?", "What's new?", "What are the top stories?"]
)
def test_a_request_for_the_news_gets_the_lead_of_the_newest_articles(dated_answerer, question):
    answer = dated_answerer.answer(question)
    assert answer.answer.startswith("On 2022-01-21: A storm with winds")
    assert [c.source for c in answer.citations] == ["port-0121", "bridge-0120", "minister-0119"]


def test_a_question_naming_only_a_time_gets_the_lead_of_each_article_from_then(dated_answerer):
    answer = dated_answerer.answer("What happened this week?")
    assert answer.answer.startswith("On 2022-01-21: A storm with winds")
    assert [c.source for c in answer.citations] == ["port-0121", "bridge-0120", "minister-0119"]
    assert "; on 2022-01-20: The Harbourview bridge will now reopen in June" in answer.answer
    assert answer.answer.endswith("on Wednesday. [3]")
    nothing = dated_answerer.answer("What happened on January 2?")
    assert nothing.abstained or nothing.notice


@pytest.mark.parametrize(
    "question",
    [
        "What did the 2 mayors agree on?",
        "How did it change over 3 decades?",
        "What did the 12 junior ministers say?",
        "Which 2 novelists won?",
    ],
)
def test_a_number_before_a_word_that_starts_like_a_month_is_no_date(question):
    assert parse_timeframe(question, date(2024, 6, 15)) is None


def test_a_digest_of_undated_articles_says_it_cannot_tell_which_is_newest(tmp_path, embeddings):
    store = open_test_store(tmp_path, embeddings)
    undated = tmp_path / "notes.txt"
    undated.write_text("Harbour notes\n\nThe harbour master retired after thirty years at the port.\n")
    assert ingest([undated], store).ok
    answer = build_answerer(store, as_of=AS_OF).answer("Any news?")
    assert answer.answer == (
        "The article carries no date, so I can't tell how new it is: "
        "The harbour master retired after thirty years at the port. [1]"
    )


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("What was the rate in November?", True),
        ("Who won in 2004?", True),
        ("What happened on January 10?", True),
        ("What did he say last week?", False),
        ("What did he say 3 days ago?", False),
        ("Any news from the past 24 hours?", False),
    ],
)
def test_a_date_of_the_calendar_is_told_from_a_time_counted_from_today(question, named):
    assert parse_timeframe(question, AS_OF).named_date is named


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("What was the rate in November?", True),
        ("How many did they make last year?", True),
        ("What was it trading at on Monday?", True),
        ("What did he say yesterday?", True),
        ("What did he say 3 days ago?", False),
        ("Any news from the past 24 hours?", False),
        ("What happened in the past week?", False),
    ],
)
def test_a_time_a_story_writes_of_its_own_day_is_asked_about_in_its_words(question, asked):
    assert parse_timeframe(question, AS_OF).asked_as_words is asked


MINI = (
    "BMW to invest in Mini factory\n\n"
    "German car maker BMW has announced new investment in the Mini factory in Oxford. "
    "At first, BMW said it would make 100,000 Minis a year at the Oxford factory. "
    "The rise in output, from 189,000 last year, is a response to rising demand.\n"
)
JOBS = (
    "Brazil jobless rate hits new low\n\n"
    "Brazil's unemployment rate fell to its lowest level in three years in December, the government said. "
    "The unemployment rate is measured in six big cities of Brazil, Sao Paulo and Rio de Janeiro among them. "
    "The statistics institute said it fell to 9.6% in December from 10.6% in November.\n"
)


@pytest.mark.parametrize(
    ("story", "first", "follow_up", "said", "unsaid"),
    [
        (
            JOBS,
            "What is Brazil's unemployment rate?",
            "What was it in November?",
            "10.6% in November",
            "six big cities",
        ),
        (
            MINI,
            "How much is BMW investing in the Mini factory?",
            "How many did they make last year?",
            "189,000 last year",
            None,
        ),
    ],
)
def test_a_time_no_article_is_dated_in_is_what_the_question_asks_about(
    tmp_path, embeddings, story, first, follow_up, said, unsaid
):
    """ "What was it in November?" after the jobless rate, of undated articles: no article can be from November, so
    "November" is the question's own word, not a date to filter by (it was dropped, and the answer was the sentence
    that named the carried words best). So is a time a story writes of its own day: "How many did they make last
    year?" after the Mini story had been answered "At first, BMW said it would make ..."."""
    store = open_test_store(tmp_path, embeddings)
    (tmp_path / "story.txt").write_text(story)
    assert ingest([tmp_path / "story.txt"], store).ok
    answerer = build_answerer(store, as_of=AS_OF)
    opening = answerer.answer(first)
    answer = answerer.answer(follow_up, [Turn(opening.question, opening)])
    assert said in answer.answer, answer.answer
    assert unsaid is None or unsaid not in answer.answer
    assert answer.notice and "No article is dated" in answer.notice


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Any news from the port?", "the port"),
        ("Is there any news about the bridge", "the bridge"),
        ("What is the latest news on the Harbourview bridge?", "the Harbourview bridge"),
        ("Any updates on the festival?", "the festival"),
        ("latest football news", "football"),
        ("Show me the business headlines", "business"),
        ("Any news?", None),  # no subject: the digest of the newest articles
        ("Any good news?", None),
        ("What is the latest on the bridge?", None),  # the newest reporting of a fact: a search
        ("What news did the minister give?", None),
        ("football news", None),
        ("Are there reports of casualties in the port?", None),  # a question about casualties
        ("Is there news of survivors?", None),
        ("What's going on with the bridge?", "the bridge"),
        ("what is happening in the port", "the port"),
        ("What happened in the port?", None),  # the past: a broad question, a search
        ("What is going on?", None),
    ],
)
def test_a_request_for_the_news_about_something_names_its_subject(question, subject):
    assert asks_for_news_about(question) == subject


def test_news_about_a_subject_gives_one_sentence_of_each_story_about_it_newest_first(dated_answerer):
    answer = dated_answerer.answer("Is there any news about the bridge?")
    assert [c.source for c in answer.citations] == ["bridge-0120", "bridge-0103", "bridge-undated"]
    assert answer.answer.startswith("On 2022-01-20: The Harbourview bridge will now reopen in June")
    assert "; on 2022-01-03: The Harbourview bridge, closed since November" in answer.answer
    assert answer.answer.endswith(
        "; undated: The Harbourview bridge has been repaired many times since it opened in 1961. [3]"
    )
    port = dated_answerer.answer("Any news from the port?")
    assert [c.source for c in port.citations] == ["port-0121", "port-0107"]
    assert dated_answerer.answer("Any football news?").abstained  # nothing about it: the usual search declines


def test_an_answer_to_when_that_gives_no_day_ends_with_the_date_of_its_article(answerer):
    answer = answerer.answer("When did Blinken and Lavrov meet in Geneva?")
    assert "90 minutes" in answer.answer
    assert answer.answer.endswith("Article [1] is dated Saturday, 22 January 2022.")
    dated_already = answerer.answer("When will the NATO-Russia Council meet?")  # the quote gives January 12
    assert "January 12" in dated_already.answer and "is dated" not in dated_already.answer
    not_when = answerer.answer("How long did Blinken and Lavrov meet in Geneva?")
    assert "is dated" not in not_when.answer
    when_inside = answerer.answer("What did Blinken say when he met Lavrov in Geneva?")  # asks what, not when
    assert not when_inside.abstained and "is dated" not in when_inside.answer


def test_a_month_named_keeps_the_passages_writing_it_too_whenever_dated():
    """ "Did house prices go up in February?": the report published in March that writes "rose 0.5% in February" is
    read beside those dated February (which give January's figure); of an archive without dates, passages writing
    "February" are read beyond the first `k`, and the month stays a word of the question. Not "last week"."""
    from bot.timeframe import writes_named_date

    def writing(article: str, day: str | None, score: float, text: str) -> Document:
        found = passage(article, day, score)
        found.page_content = text
        return found

    frame = parse_timeframe("Did house prices go up in February?", AS_OF)
    assert frame is not None and writes_named_date("Prices rose 0.5% in February.", frame)
    assert not writes_named_date("Prices rose in January.", frame)
    january = writing("jan", "2021-02-02", 2.0, "Prices went up 0.4% in January.")
    february = writing("feb", "2021-03-01", 1.5, "Prices rose 0.5% in February, says the Nationwide.")
    other = writing("other", "2021-03-02", 1.4, "Rates were held.")
    kept, notice = by_date([january, february, other], frame, 5)
    assert [p.id for p in kept] == ["jan", "feb"] and notice is None
    undated = [writing(f"u{i}", None, 2.0 - i / 10, "Prices went up.") for i in range(3)]
    undated.append(writing("feb", None, 1.0, "Prices rose 0.5% in February."))
    kept, notice = by_date(undated, frame, 2)
    assert [p.id for p in kept] == ["u0", "u1", "feb"] and notice is not None
    assert not writes_named_date("It happened last week.", parse_timeframe("What happened last week?", AS_OF))
    may = parse_timeframe("What did the bank say in May 2021?", AS_OF)
    assert may is not None and not writes_named_date("Rates may rise in 2021.", may)  # the verb is no month
    assert writes_named_date("In May 2021 rates rose.", may)
    after = parse_timeframe("What happened after 2019?", AS_OF)
    assert after is not None and not writes_named_date("In 2019 the bank merged.", after)  # 2019 is not after it
    # passages writing the month fill only the places left by those dated in it
    dated = writing("dated", "2021-05-12", 1.0, "The bank held rates.")
    writers = [writing(f"w{i}", "2020-03-01", 2.0 - i / 10, "In May 2021 rates will rise.") for i in range(5)]
    kept, notice = by_date([*writers, dated], may, 3)
    assert [p.id for p in kept] == ["dated", "w0", "w1"] and notice is None


def test_a_year_no_article_is_dated_in_is_searched_for_as_the_question_s_own_word(make_store, tmp_path: Path):
    """ "BT says loads of people still won't have internet by 2025?" of an archive dated twenty years before had been
    declined with "None of the articles I found mentions 2025": the search left the year out (a time to filter
    the articles by), and the story that writes "By 2025, 40% ..." was not among those found. No article being dated
    then, the year is a word of the question, searched for with the rest."""
    stories = {
        f"bt{i}": f"BT offer {i}\n\nBT says people can get internet calls for {i} pence, BT said on Monday.\n"
        for i in range(8)
    }
    study = "Millions to miss out on the net\n\nBy 2025, 40% of the population will still be without internet access.\n"
    answerer = conversation_store(make_store, tmp_path, study=study, **stories)
    answerer.retriever.k = 1  # the search widened to 4 passages (4 x k) misses the story without its year
    answer = answerer.answer("BT says loads of people still wont have internet by 2025?")
    assert not answer.abstained and [c.source for c in answer.citations][:1] == ["study"], answer.answer


def test_a_year_a_found_passage_writes_is_not_searched_for_again(make_store, tmp_path: Path, monkeypatch):
    """The second search for a year no article is dated in runs only when the best passage found does not write that
    year (it cost p95 at 100,000 passages): "BT says it will cut prices in 2025" was found first already."""
    stories = {
        f"bt{i}": f"BT offer {i}\n\nBT says people can get internet calls for {i} pence, BT said on Monday.\n"
        for i in range(3)
    }
    stories["plan"] = "BT plans\n\nBT says it will cut the price of internet calls in 2025.\n"
    answerer = conversation_store(make_store, tmp_path, **stories)
    searched: list[str] = []
    search = type(answerer.retriever).search

    def counted(self, query: str, **kw):
        searched.append(query)
        return search(self, query, **kw)

    monkeypatch.setattr(type(answerer.retriever), "search", counted)
    answer = answerer.answer("Will BT cut internet prices in 2025?")
    assert [c.source for c in answer.citations][:1] == ["plan"], answer.answer
    assert len(searched) == 1, searched
    by_2025 = parse_timeframe("Who is online by 2025?", AS_OF)
    assert by_2025 is not None and mentions_named_date("By 2025, 40% will be offline.", by_2025)
    assert not mentions_named_date("In 2024, 40% were offline.", by_2025)
