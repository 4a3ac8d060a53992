"""retrieval/feeds.py end to end: a real news site on loopback, the real model, real Chroma stores."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import open_test_store
from newssite import NewsSite, Route, story

from retrieval.feeds import FeedList, PollReport, Watcher, ingest_urls, poll
from retrieval.web import article_id_for

NEWSBOT = str(Path(sys.executable).parent / "newsbot")


def publish(site: NewsSite, n: int, *, version: int = 1) -> list[tuple[str, str, str | None]]:
    """Articles /news/0 .. /news/n-1 and an RSS feed of them at /rss."""
    items = []
    for i in range(n):
        url = site.article(f"/news/{i}", f"Harbour vote {i}", story(i), date=f"2022-01-{10 + i % 18:02d}")
        items.append((url, f"Harbour vote {i}", f"Mon, {10 + i % 18:02d} Jan 2022 08:00:00 GMT"))
    site.rss("/rss", items, version=version)
    return items


def article_fetches(site: NewsSite) -> int:
    return sum(1 for status, path, _ in site.requests if status == "200" and path.startswith("/news/"))


def test_feed_list_is_kept_in_the_store(make_store, tmp_path):
    store = make_store("s")
    feeds = FeedList(store)
    assert feeds.add("http://127.0.0.1:9/rss") is True
    assert feeds.add("http://127.0.0.1:9/rss/") is False  # the same feed, canonically
    feeds.add("http://127.0.0.1:9/atom")
    reopened = FeedList(open_test_store(tmp_path / "s", store.embeddings, create=False))
    assert [f.url for f in reopened.all()] == ["http://127.0.0.1:9/rss", "http://127.0.0.1:9/atom"]
    assert reopened.remove("http://127.0.0.1:9/rss") is True
    assert reopened.remove("http://127.0.0.1:9/rss") is False
    assert [f.url for f in FeedList(store).all()] == ["http://127.0.0.1:9/atom"]


def test_second_poll_of_an_unchanged_feed_fetches_nothing(site, fetcher, make_store):
    store = make_store()
    publish(site, 5)
    feeds = FeedList(store)
    feeds.add(site.url("/rss"))
    first = poll(store, feeds, fetcher)
    assert first.errors == [] and first.new_items == 5 and first.ingest.added > 0
    assert len(store.articles()) == 5
    fetched = article_fetches(site)
    second = poll(store, feeds, fetcher)
    assert second.not_modified == 1 and second.requests == 1 and second.new_items == 0
    assert second.ingest.added == 0 and article_fetches(site) == fetched
    assert site.requests[-1][0] == "304"


def test_an_updated_article_replaces_its_own_passages(site, fetcher, make_store):
    store = make_store()
    items = publish(site, 3)
    feeds = FeedList(store)
    feeds.add(site.url("/rss"))
    poll(store, feeds, fetcher)
    target = article_id_for(items[1][0])
    before = store.articles()
    site.article(
        "/news/1",
        "Harbour vote 1",
        [*story(1), "Update: the vote was annulled by a court on Friday."],
        date="2022-01-11",
        version=2,
    )
    items[1] = (items[1][0], "Harbour vote 1 (updated)", "Tue, 11 Jan 2022 18:00:00 GMT")
    site.rss("/rss", items, version=2)
    report = poll(store, feeds, fetcher)
    after = store.articles()
    assert report.changed_items == 1 and report.new_items == 0 and report.pages == 1
    assert report.ingest.added >= 1 and report.ingest.removed == len(before[target].chunk_ids)
    assert not before[target].chunk_ids & after[target].chunk_ids
    assert any("annulled" in d.page_content for d in store.get(sorted(after[target].chunk_ids)))
    for other in set(after) - {target}:
        assert after[other].chunk_ids == before[other].chunk_ids


def test_an_item_that_leaves_the_feed_stays_in_the_corpus(site, fetcher, make_store):
    store = make_store()
    items = publish(site, 3)
    feeds = FeedList(store)
    feeds.add(site.url("/rss"))
    poll(store, feeds, fetcher)
    site.rss("/rss", items[1:], version=2)
    report = poll(store, feeds, fetcher)
    assert report.errors == [] and report.ingest.removed == 0
    assert article_id_for(items[0][0]) in store.articles()


def test_the_same_story_in_two_feeds_is_fetched_once(site, fetcher, make_store):
    store = make_store()
    items = publish(site, 2)
    site.atom("/atom", [(items[0][0], "Harbour vote 0", "2022-01-10T08:00:00Z")])
    feeds = FeedList(store)
    feeds.add(site.url("/rss"))
    feeds.add(site.url("/atom"))
    report = poll(store, feeds, fetcher)
    assert report.errors == [] and report.pages == 2 and site.fetches("/news/0") == 1
    assert len(store.articles()) == 2


def test_a_failed_item_is_one_line_and_retried_on_the_next_poll(site, fetcher, make_store):
    store = make_store()
    items = publish(site, 3)
    good = site.routes["/news/2"]
    site.routes["/news/2"] = Route(b"down", status=503)
    feeds = FeedList(store)
    feeds.add(site.url("/rss"))
    first = poll(store, feeds, fetcher)
    assert len(first.errors) == 1 and "/news/2: HTTP 503" in first.errors[0]
    assert len(store.articles()) == 2  # the rest continues; nothing half-written for the failed one
    assert feeds.all()[0].etag is None  # the feed is read in full next time
    site.routes["/news/2"] = good
    second = poll(store, feeds, fetcher)
    assert second.errors == [] and second.new_items == 1 and second.pages == 1
    assert article_id_for(items[2][0]) in store.articles()
    assert poll(store, feeds, fetcher).not_modified == 1


def test_a_broken_feed_is_one_line_and_the_others_are_polled(site, fetcher, make_store):
    store = make_store()
    publish(site, 2)
    site.routes["/broken.xml"] = Route(b"<?xml version='1.0'?><rss><channel><item><title>x", "application/rss+xml")
    feeds = FeedList(store)
    feeds.add(site.url("/broken.xml"))
    feeds.add(site.url("/gone"))
    feeds.add(site.url("/rss"))
    report = poll(store, feeds, fetcher)
    assert len(report.errors) == 2 and all("\n" not in e for e in report.errors)
    assert "not a valid RSS/Atom feed" in report.errors[0] and "HTTP 404" in report.errors[1]
    assert len(store.articles()) == 2


def test_ingesting_a_feed_with_subscribe_remembers_its_items(site, fetcher, make_store):
    store = make_store()
    publish(site, 3)
    collected, report = ingest_urls([site.url("/rss")], store, fetcher, subscribe=True)
    assert collected.errors == [] and report.articles == 3
    again = poll(store, FeedList(store), fetcher)
    assert again.not_modified == 1 and again.pages == 0


def test_the_watcher_polls_until_stopped(site, fetcher, make_store):
    store = make_store()
    publish(site, 1)
    FeedList(store).add(site.url("/rss"))
    reports: list[PollReport] = []

    def record(report: PollReport) -> None:
        reports.append(report)
        if len(reports) == 2:
            watcher.stop()

    watcher = Watcher(store, fetcher, every_s=0.01, on_report=record)
    thread = threading.Thread(target=watcher.run)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert [r.new_items for r in reports] == [1, 0] and reports[1].not_modified == 1


def newsbot(*args: str, store: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSBOT_STORE": str(store), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([NEWSBOT, *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.slow
def test_cli_feeds_watch_and_url_ingest(site, tmp_path):
    store = tmp_path / "store"
    publish(site, 3)
    site.article("/page", "Ferry strike ends", story(40), date="2022-01-21")
    site.routes["/report.pdf"] = Route(b"%PDF-1.4", "application/pdf")

    added = newsbot("feeds", "add", site.url("/rss"), store=store)
    assert added.returncode == 0, added.stderr
    assert "added" in added.stdout and "(3 items)" in added.stdout
    not_feed = newsbot("feeds", "add", site.url("/page"), store=store)
    assert not_feed.returncode == 1 and not_feed.stderr.count("\n") == 1 and "not an RSS/Atom feed" in not_feed.stderr

    watched = newsbot("watch", "--once", store=store)
    assert watched.returncode == 0, watched.stderr
    assert "1 feed polled (0 unchanged): 3 new" in watched.stdout
    again = newsbot("watch", "--once", store=store)
    assert "1 feed polled (1 unchanged): 0 new and 0 changed items, 0 pages fetched" in again.stdout

    ingested = newsbot("ingest", site.url("/page"), site.url("/report.pdf"), store=store)
    assert ingested.returncode == 1
    assert ingested.stderr.strip().splitlines() == [
        f"error: {site.url('/report.pdf')}: not an HTML page or a feed (application/pdf); skipped"
    ]
    assert "1 article from 2 pages (0 feeds)" in ingested.stdout

    listed = newsbot("sources", "--since", "2022-01-11", "--limit", "2", store=store)
    lines = listed.stdout.splitlines()
    assert "Ferry strike ends" in lines[0] and "2022-01-21" in lines[0] and lines[-1] == "2 articles"
    removed = newsbot("feeds", "remove", site.url("/rss"), store=store)
    assert removed.returncode == 0 and newsbot("feeds", "list", store=store).stdout.splitlines()[-1] == "0 feeds"
