"""The store's articles as a catalogue: newest first, filtered by date and words (`newsbot sources`, `/latest`)."""

from __future__ import annotations

import datetime as dt

from retrieval.dates import parse_any_date
from retrieval.store import NewsStore, StoredArticle


def parse_day(value: str | None) -> dt.date | None:
    """A `--since`/`--until` value (2022-01-22, 20220122, January 22, 2022) as a date; None for None.

    Raises:
        ValueError: the value is not a date; the message says what is expected.
    """
    if value is None:
        return None
    iso = parse_any_date(value)
    if iso is None:
        raise ValueError(f"{value!r} is not a date: use YYYY-MM-DD, e.g. 2022-01-22")
    return dt.date.fromisoformat(iso[:10])


def _day(article: StoredArticle) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(article.date)[:10]) if article.date else None
    except ValueError:
        return None


def newest_first(articles: list[StoredArticle]) -> list[StoredArticle]:
    """`articles` newest first; undated ones last (never taken for new), each group by title."""
    dated = sorted((a for a in articles if _day(a)), key=lambda a: (-(_day(a) or dt.date.min).toordinal(), a.title))
    undated = sorted((a for a in articles if not _day(a)), key=lambda a: a.title)
    return dated + undated


def list_articles(
    store: NewsStore,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    grep: str | None = None,
    limit: int | None = None,
) -> list[StoredArticle]:
    """The store's articles, newest first, filtered.

    Args:
        store: the news store.
        since: only articles dated on or after this day (a range leaves undated articles out).
        until: only articles dated on or before this day.
        grep: only articles whose title, id or URL contains this (any case).
        limit: at most this many.
    """
    articles = list(store.articles().values())
    if since or until:
        articles = [
            a for a in articles if (d := _day(a)) and (since is None or d >= since) and (until is None or d <= until)
        ]
    if grep:
        needle = grep.casefold()
        articles = [a for a in articles if needle in f"{a.title}\n{a.id}\n{a.url or ''}".casefold()]
    ordered = newest_first(articles)
    return ordered[:limit] if limit else ordered
