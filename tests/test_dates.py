from retrieval.dates import (
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    MONTHS,
    parse_any_date,
    parse_date_line,
    parse_dateline,
)
from retrieval.text import ABBREVIATIONS, sentences


def test_date_lines_in_several_formats_become_iso():
    assert parse_date_line("20220122") == "2022-01-22"
    assert parse_date_line("2022-01-22") == "2022-01-22"
    assert parse_date_line("January 22, 2022") == "2022-01-22"
    assert parse_date_line("22 January 2022") == "2022-01-22"
    assert parse_any_date("2022-01-22T10:00:00Z") == "2022-01-22"


def test_non_dates_are_not_dates():
    assert parse_date_line("20221399") is None
    assert parse_date_line("The talks began on January 10") is None
    assert parse_date_line("100,000 troops") is None


def test_dateline_without_year_takes_it_from_the_latest_full_date_in_the_body():
    body = "The ministry on December 17, 2021 published drafts."
    parsed = parse_dateline("NEW YORK, January 10. /TASS/. US Secretary of State said", body)
    assert parsed is not None
    assert parsed.date == "2022-01-10"
    assert parsed.label == "New York, January 10 (TASS)"
    assert "NEW YORK, January 10. /TASS/. US Secretary"[parsed.end :].startswith("US Secretary")


def test_dateline_with_year_and_unknown_year():
    assert parse_dateline("LONDON, March 3, 2020 (Reuters) - Text", "").date == "2020-03-03"
    assert parse_dateline("LONDON, March 3 (Reuters) - Text", "no dates here").date is None
    assert parse_dateline("Nothing like a dateline", "") is None


def test_month_names_are_defined_once_and_sentences_know_their_abbreviations():
    assert set(MONTHS) == set(MONTH_NAMES) | MONTH_ABBREVIATIONS and len(MONTH_NAMES) == 12
    assert MONTH_ABBREVIATIONS <= ABBREVIATIONS
    assert [s.text for s in sentences("It opened on Sept. 5 in Geneva. It closed on Dec. 9.")] == [
        "It opened on Sept. 5 in Geneva.",
        "It closed on Dec. 9.",
    ]
