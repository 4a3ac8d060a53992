"""Dates in articles: metadata lines, datelines, and ISO 8601 output."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass

# The one list of month names (and the abbreviations written with them); `text` and the answer logic read it too.
_MONTH_SPELLINGS = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
MONTH_NAMES = tuple(spellings[0] for spellings in _MONTH_SPELLINGS)
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTH_ABBREVIATIONS = frozenset(abbr for spellings in _MONTH_SPELLINGS for abbr in spellings[1:])
MONTHS = {name: number for number, spellings in enumerate(_MONTH_SPELLINGS, start=1) for name in spellings}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"

_COMPACT = re.compile(r"^(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)$")
_ISO = re.compile(r"^(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?:[T ][\d:.+\-Z]*)?$")
_MDY = re.compile(_MONTH + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)", re.I)
_DMY = re.compile(r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y>(?:19|20)\d\d)", re.I)

# "NEW YORK, January 10. /TASS/." or "LONDON, Jan 5 (Reuters) -": a place in capitals, a date, an agency.
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'\-]{1,40}),\s+" + _MONTH + r"\s+(?P<d>[0-3]?\d)(?:,\s+(?P<y>(?:19|20)\d\d))?"
    r"\s*[.,]?\s*(?:/(?P<agency>[A-Za-z\-]+)/|\((?P<agency2>[A-Za-z\-]+)\))?\s*[.\-:]*\s+",
    re.I,
)


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date_line(line: str) -> str | None:
    """ISO date if the whole line is a date (`20220122`, `2022-01-22`, `January 22, 2022`), else None."""
    line = line.strip()
    for pattern in (_COMPACT, _ISO):
        m = pattern.match(line)
        if m:
            return _iso(int(m["y"]), int(m["m"]), int(m["d"]))
    for pattern in (_MDY, _DMY):
        m = pattern.fullmatch(line.rstrip("."))
        if m:
            return _iso(int(m["y"]), MONTHS[m["month"].lower()], int(m["d"]))
    return None


def parse_any_date(value: str) -> str | None:
    """ISO date from a metadata value such as `2022-01-22T10:00:00Z`, `Jan 22, 2022` or an RSS `pubDate` (`Wed, 16
    Mar 2005 10:00:00 GMT`); None when unknown."""
    value = value.strip()
    iso = parse_date_line(value)
    if iso:
        return iso
    m = re.match(r"^((?:19|20)\d\d)-(\d\d)-(\d\d)", value)
    if m:
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def full_dates(text: str) -> list[dt.date]:
    """Every full date (day, month and year) written out in `text`."""
    found = []
    for pattern in (_MDY, _DMY):
        for m in pattern.finditer(text):
            iso = _iso(int(m["y"]), MONTHS[m["month"].lower()], int(m["d"]))
            if iso:
                found.append(dt.date.fromisoformat(iso))
    return found


@dataclass(frozen=True)
class Dateline:
    """A parsed dateline: where the prefix ends, its text, and the ISO date when the year is known."""

    end: int
    label: str
    date: str | None


def parse_dateline(paragraph: str, body: str) -> Dateline | None:
    """Parse a dateline opening `paragraph`.

    A dateline without a year takes it from the latest full date in the article `body` (an article dated
    "January 10" that mentions "December 17, 2021" is from January 2022): stories report on the recent past.
    """
    m = DATELINE.match(paragraph)
    if not m:
        return None
    month, day = MONTHS[m["month"].lower()], int(m["d"])
    year = int(m["y"]) if m["y"] else None
    if year is None:
        known = full_dates(body)
        if known:
            latest = max(known)
            year = latest.year + (1 if (month, day) < (latest.month, latest.day) else 0)
    agency = m["agency"] or m["agency2"]
    label = f"{m['place'].strip().title()}, {m['month'].title()} {day}" + (f" ({agency})" if agency else "")
    return Dateline(end=m.end(), label=label, date=_iso(year, month, day) if year else None)
