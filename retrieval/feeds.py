"""The feed list, kept in the store, and the watcher that polls it.

The list lives in its own Chroma collection beside the passages (`newsbot_feeds`), so a Chroma server's replicas
share it as they share the articles; each feed's record holds its conditional-GET validators and, per item, the
signature of the entry last ingested. A poll then costs one conditional GET per unchanged feed, fetches only new
or changed items, and replaces a changed article's passages; an item that leaves its feed stays in the corpus.

Nothing is half-written: a feed's state is saved only after its articles are in the store, and its validators
only when every item was read, so a failed item is retried on the next poll.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from chromadb.api.models.Collection import Collection

from retrieval.ingest import IngestReport, Progress, ingest_articles
from retrieval.store import NewsStore
from retrieval.text import counted
from retrieval.web import Collected, Fetcher, FetchError, canonical_url, collect, fetch_article, parse_feed

logger = logging.getLogger(__name__)

FEEDS_COLLECTION = "newsbot_feeds"
WATCH_EVERY_S = 15 * 60  # the watcher's default interval (NEWSBOT_WATCH_EVERY)
_NO_VECTOR = [0.0]  # Chroma stores a vector with every record; feed records are looked up by id only


@dataclass
class FeedState:
    """One subscribed feed: its URL, the validators of its last full read, and its items' signatures by link."""

    url: str
    added: str = ""
    polled: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    items: dict[str, str] = field(default_factory=dict)


class FeedList:
    """The feeds kept in the store (a Chroma collection next to the passages).

    Args:
        store: the news store whose Chroma client holds the list.
    """

    def __init__(self, store: NewsStore) -> None:
        self.store = store

    def _writable(self) -> Collection:
        """The feed collection, created when missing."""
        with self.store.errors("opening the feed list"):
            return self.store.client.get_or_create_collection(FEEDS_COLLECTION, embedding_function=None)

    def _collection(self) -> Collection | None:
        """The feed collection, or None when there is none yet (reading creates nothing)."""
        with self.store.errors("opening the feed list"):
            names = {getattr(c, "name", c) for c in self.store.client.list_collections()}
            if FEEDS_COLLECTION not in names:
                return None
            return self.store.client.get_collection(FEEDS_COLLECTION, embedding_function=None)

    def all(self) -> list[FeedState]:
        """Every feed, in the order added."""
        collection = self._collection()
        if collection is None:
            return []
        with self.store.errors("reading the feed list"):
            found = collection.get(include=["documents"])  # type: ignore[list-item]
        feeds = [FeedState(**json.loads(doc)) for doc in found["documents"] or [] if doc]
        return sorted(feeds, key=lambda f: (f.added, f.url))

    def get(self, url: str) -> FeedState | None:
        """The feed at `url` (compared in canonical form), or None."""
        key = canonical_url(url)
        return next((f for f in self.all() if canonical_url(f.url) == key), None)

    def add(self, url: str) -> bool:
        """Subscribe to `url`; False when it was already on the list."""
        if self.get(url) is not None:
            return False
        self.save(FeedState(url=url, added=datetime.now(UTC).isoformat()))  # microseconds: the order added
        return True

    def remove(self, url: str) -> bool:
        """Unsubscribe from `url` (its articles stay in the corpus); False when it was not on the list."""
        feed = self.get(url)
        if feed is None:
            return False
        collection = self._writable()
        with self.store.errors("writing the feed list"):
            collection.delete(ids=[canonical_url(feed.url)])
        return True

    def save(self, feed: FeedState) -> None:
        """Write one feed's record."""
        collection = self._writable()
        with self.store.errors("writing the feed list"):
            collection.upsert(
                ids=[canonical_url(feed.url)],
                documents=[json.dumps(asdict(feed))],
                embeddings=[_NO_VECTOR],  # type: ignore[arg-type]
            )


@dataclass
class PollReport:
    """What one poll did; `errors` are one line each, naming the URL."""

    feeds: int = 0
    not_modified: int = 0
    new_items: int = 0
    changed_items: int = 0
    requests: int = 0
    pages: int = 0
    ingest: IngestReport = field(default_factory=IngestReport)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """One line: feeds polled, unchanged, items fetched, passages added/removed."""
        r = self.ingest
        return (
            f"{counted(self.feeds, 'feed')} polled ({self.not_modified} unchanged): {self.new_items} new and "
            f"{counted(self.changed_items, 'changed item')}, {counted(self.pages, 'page')} fetched; "
            f"{counted(r.added, 'passage')} added, "
            f"{r.unchanged} unchanged, {r.removed} removed in {self.seconds:.1f}s"
            + (f"; {counted(len(self.errors), 'problem')}" if self.errors else "")
        )


@dataclass
class _Pending:
    feed: FeedState
    validators: tuple[str | None, str | None] | None  # saved only when every item was read
    done: dict[str, str] = field(default_factory=dict)


def poll(store: NewsStore, feeds: FeedList, fetcher: Fetcher, progress: Progress | None = None) -> PollReport:
    """Poll every feed once: conditional GET, only new or changed items fetched, their articles ingested.

    Raises:
        NewsbotError: the store cannot be written (nothing of this poll is recorded then; the next one redoes it).
    """
    started = time.perf_counter()
    before = fetcher.requests
    report = PollReport()
    collected = Collected()
    pending: list[_Pending] = []
    fetched: dict[str, bool] = {}  # this poll's article links: the same story in two feeds is fetched once
    for feed in feeds.all():
        report.feeds += 1
        entry = _poll_feed(feed, fetcher, collected, fetched, report)
        if entry is not None:
            pending.append(entry)
    report.pages = collected.pages
    report.errors.extend(collected.errors)
    report.notes.extend(collected.notes)
    if collected.articles:
        report.ingest = ingest_articles(
            collected.articles, store, extra={k: {"author": v} for k, v in collected.authors.items()}, progress=progress
        )
    for entry in pending:  # the articles are in the store: now the feeds may remember them
        entry.feed.items.update(entry.done)
        if entry.validators is not None:
            entry.feed.etag, entry.feed.last_modified = entry.validators
        entry.feed.polled = _now()
        feeds.save(entry.feed)
    report.requests = fetcher.requests - before
    report.seconds = time.perf_counter() - started
    return report


def ingest_urls(
    urls: list[str],
    store: NewsStore,
    fetcher: Fetcher,
    *,
    subscribe: bool = False,
    progress: Progress | None = None,
    fetching: Progress | None = None,
) -> tuple[Collected, IngestReport]:
    """Fetch feeds and article pages and ingest their articles (`newsbot ingest URL`, Telegram's `/add`).

    With `subscribe`, each feed read is also put on the feed list, with the items just ingested remembered, so
    the watcher fetches only what comes after. Problems are one line each in the returned `Collected.errors`;
    `fetching` is called with (items read, items) per feed, `progress` with (passages embedded, passages).
    """
    collected = collect(urls, fetcher, fetching)
    report = IngestReport()
    if collected.articles:
        extra = {k: {"author": v} for k, v in collected.authors.items()}
        report = ingest_articles(collected.articles, store, extra=extra, progress=progress)
    if subscribe:
        feeds = FeedList(store)
        for read in collected.feeds:
            state = feeds.get(read.url) or FeedState(url=read.url, added=datetime.now(UTC).isoformat())
            state.items.update({canonical_url(i.link): i.signature for i in read.items if i.link in read.read})
            if len(read.read) == len(read.items):
                state.etag, state.last_modified = read.etag, read.last_modified
            state.polled = _now()
            feeds.save(state)
    return collected, report


def check_feed(url: str, fetcher: Fetcher) -> int:
    """The number of items in the feed at `url`.

    Raises:
        FetchError: it cannot be read, or is not an RSS/Atom feed.
    """
    page = fetcher.get(url)
    if not page.is_feed:
        raise FetchError(f"{url}: not an RSS/Atom feed (an article page? use `newsbot ingest URL`)")
    return len(parse_feed(page))


def _poll_feed(
    feed: FeedState, fetcher: Fetcher, collected: Collected, fetched: dict[str, bool], report: PollReport
) -> _Pending | None:
    """Read one feed and fetch its new or changed items into `collected`; None when it failed or had not changed."""
    try:
        page = fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        if page.not_modified:
            report.not_modified += 1
            return None
        items = parse_feed(page)
    except FetchError as exc:
        report.errors.append(str(exc))
        return None
    entry = _Pending(feed, validators=(page.etag, page.last_modified))
    for item in items:
        key = canonical_url(item.link)
        if feed.items.get(key) == item.signature:
            continue
        if key not in fetched:
            report.changed_items += key in feed.items
            report.new_items += key not in feed.items
            fetched[key] = fetch_article(fetcher, item, collected, via=page) is not None
        if fetched[key]:
            entry.done[key] = item.signature
        else:
            entry.validators = None  # reread the whole feed next time, so the failed item is retried
    return entry


class Watcher:
    """Polls the feeds every `every_s` seconds until stopped (`newsbot watch`, and the Telegram bot's background task).

    Args:
        store: the news store to ingest into.
        fetcher: the polite HTTP reader.
        every_s: seconds between the start of one poll and the next.
        on_report: called with each poll's report.
    """

    def __init__(
        self,
        store: NewsStore,
        fetcher: Fetcher,
        *,
        every_s: float = WATCH_EVERY_S,
        on_report: Callable[[PollReport], Any] | None = None,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.every_s = every_s
        self.on_report = on_report
        self.stopped = threading.Event()

    def poll_once(self) -> PollReport:
        """One poll of every feed in the store's list."""
        report = poll(self.store, FeedList(self.store), self.fetcher)
        if self.on_report:
            self.on_report(report)
        return report

    def run(self) -> None:
        """Poll, wait, repeat, until `stop()`; a poll that fails is logged and the next one tries again."""
        while not self.stopped.is_set():
            started = time.monotonic()
            try:
                self.poll_once()
            except Exception:  # the watcher outlives a bad poll: the store or network may be back next time
                logger.exception("polling the feeds failed; trying again in %.0fs", self.every_s)
            self.stopped.wait(max(0.0, self.every_s - (time.monotonic() - started)))

    def stop(self) -> None:
        """Stop after the poll in progress."""
        self.stopped.set()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
