"""retrieval/web.py against a real HTTP server on loopback: fetching, feeds, extraction and every failure."""

from __future__ import annotations

import pytest
from newssite import STORY, NewsSite, Route, story

from retrieval.web import (
    MAX_PAGE_BYTES,
    USER_AGENT,
    Fetcher,
    FetchError,
    article_id_for,
    canonical_url,
    collect,
    is_url,
    parse_article,
    parse_feed,
)


def test_article_page_gives_text_title_date_author_and_canonical_url(site, fetcher):
    url = site.article("/world/talks", "Ministers keep talking", STORY, date="2022-01-21", author="Jane Roe")
    article, author = parse_article(fetcher.get(url))
    assert article.title == "Ministers keep talking"
    assert article.date == "2022-01-21"
    assert author == "Jane Roe"
    assert article.url == article.source_path == url
    assert article.id == f"127.0.0.1:{site.server.server_address[1]}/world/talks"
    assert "ninety minutes" in article.text
    assert "Copyright" not in article.text and "Sport" not in article.text  # furniture dropped


def test_article_id_is_stable_per_canonical_url():
    a = article_id_for("https://www.Example.com/news/story/?utm_source=feed1#top")
    b = article_id_for("https://www.example.com/news/story?utm_medium=rss")
    assert a == b == "example.com/news/story"
    assert article_id_for("https://example.com/a?id=7") != article_id_for("https://example.com/a?id=8")
    long = article_id_for("https://example.com/" + "x" * 300)
    assert len(long) <= 120 and long != article_id_for("https://example.com/" + "x" * 299)
    assert canonical_url("HTTP://EXAMPLE.com/a/") == "http://example.com/a"
    assert is_url("https://example.com/a") and not is_url("seeds/") and not is_url("ftp://example.com")


def test_the_same_story_through_two_links_is_one_article(site, fetcher):
    canonical = site.url("/world/talks")
    site.article("/world/talks", "Ministers keep talking", STORY, date="2022-01-21")
    site.article("/amp/talks", "Ministers keep talking", STORY, date="2022-01-21", canonical=canonical)
    rss = site.rss("/rss", [(site.url("/world/talks?utm_source=rss"), "Talks", None)])
    atom = site.atom("/atom", [(site.url("/amp/talks"), "Talks", "2022-01-21T10:00:00Z")])
    collected = collect([rss, atom], fetcher)
    assert collected.errors == []
    assert [a.id for a in collected.articles] == [article_id_for(canonical)]


def test_feed_items_are_read_in_order_with_their_dates(site, fetcher):
    items = [(site.url(f"/a{n}"), f"Story {n}", f"Mon, {10 + n:02d} Jan 2022 08:00:00 GMT") for n in range(3)]
    parsed = parse_feed(fetcher.get(site.rss("/rss", items)))
    assert [i.link for i in parsed] == [link for link, _, _ in items]
    assert [i.date for i in parsed] == ["2022-01-10", "2022-01-11", "2022-01-12"]


def test_undated_page_in_a_dated_feed_takes_the_feed_date_and_an_undated_one_stays_undated(site, fetcher):
    site.article("/a", "Harbour plan approved", story(1))
    dated = collect([site.rss("/rss", [(site.url("/a"), "A", "Tue, 11 Jan 2022 08:00:00 GMT")])], fetcher)
    assert dated.articles[0].date == "2022-01-11"
    alone = collect([site.url("/a")], fetcher)
    assert alone.articles[0].date is None


def test_conditional_get_returns_not_modified(site, fetcher):
    url = site.article("/a", "Harbour plan approved", story(1))
    first = fetcher.get(url)
    second = fetcher.get(url, etag=first.etag)
    assert first.status == 200 and first.etag
    assert second.not_modified and second.content == b""
    assert site.requests[-1][0] == "304"


def test_requests_carry_an_honest_user_agent(site, fetcher):
    fetcher.get(site.article("/a", "Harbour plan approved", story(1)))
    assert site.requests[-1][2] == USER_AGENT and "newsbot" in USER_AGENT


def test_requests_to_one_host_wait_their_turn_and_other_hosts_do_not(site):
    waits: list[float] = []
    polite = Fetcher(host_interval_s=30.0, sleep=waits.append)
    url = site.article("/a", "Harbour plan approved", story(1))
    polite.get(url)
    polite.get(url.replace("127.0.0.1", "localhost"))  # another host name: its own turn
    assert waits == []
    polite.get(url)
    assert len(waits) == 1 and 20.0 < waits[0] <= 30.0
    polite.close()


# -- failures: one line naming the URL, the rest continues ---------------------------------------------------


def failure(site: NewsSite, fetcher: Fetcher, url: str) -> str:
    good = site.article("/good", "Harbour plan approved", story(1))
    collected = collect([url, good], fetcher)
    assert [a.title for a in collected.articles] == ["Harbour plan approved"]  # the rest continues
    assert len(collected.errors) == 1
    message = collected.errors[0]
    assert "\n" not in message and url in message
    return message


def test_404_is_one_line(site, fetcher):
    assert "HTTP 404" in failure(site, fetcher, site.url("/missing"))


def test_server_error_is_one_line(site, fetcher):
    site.routes["/broken"] = Route(b"oops", status=503)
    assert "HTTP 503" in failure(site, fetcher, site.url("/broken"))


def test_content_that_is_not_html_is_refused(site, fetcher):
    site.routes["/report.pdf"] = Route(b"%PDF-1.4 binary", "application/pdf")
    assert "not an HTML page or a feed (application/pdf)" in failure(site, fetcher, site.url("/report.pdf"))


def test_malformed_feed_is_refused(site, fetcher):
    site.routes["/bad.xml"] = Route(b"<?xml version='1.0'?><rss><channel><item><title>unclosed", "application/rss+xml")
    assert "not a valid RSS/Atom feed" in failure(site, fetcher, site.url("/bad.xml"))


def test_redirect_loop_is_refused(site, fetcher):
    site.routes["/loop1"] = Route(location=site.url("/loop2"))
    site.routes["/loop2"] = Route(location=site.url("/loop1"))
    assert "redirects (a redirect loop?)" in failure(site, fetcher, site.url("/loop1"))


def test_a_redirect_is_followed_to_the_article(site, fetcher):
    site.article("/final", "Harbour plan approved", story(1))
    site.routes["/short"] = Route(location=site.url("/final"))
    article, _ = parse_article(fetcher.get(site.url("/short")))
    assert article.url == site.url("/final")


def test_a_20_mb_page_is_cut_off_at_the_cap(site, fetcher):
    site.routes["/huge"] = Route(stream_bytes=20 * 2**20)
    message = failure(site, fetcher, site.url("/huge"))
    assert f"more than {MAX_PAGE_BYTES / 2**20:g} MiB" in message


def test_a_declared_20_mb_page_is_refused_before_reading(site, fetcher):
    site.routes["/declared"] = Route(b"x" * (20 * 2**20))
    assert "20.0 MiB, over the 5 MiB cap" in failure(site, fetcher, site.url("/declared"))


def test_a_slow_server_times_out(site):
    slow = Fetcher(timeout_s=0.3, host_interval_s=0.0)
    site.routes["/slow"] = Route(b"<html><body><p>late</p></body></html>", delay_s=1.5)
    assert "server too slow" in failure(site, slow, site.url("/slow"))


def test_a_page_without_article_text_is_refused(site, fetcher):
    site.routes["/empty"] = Route(b"<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>")
    assert "no article text" in failure(site, fetcher, site.url("/empty"))


def test_an_unreachable_host_is_one_line(site, fetcher):
    from conftest import free_port

    url = f"http://127.0.0.1:{free_port()}/a"
    assert "cannot fetch" in failure(site, fetcher, url)


def test_fetch_error_names_the_url(fetcher, site):
    with pytest.raises(FetchError, match="/nothing-here: HTTP 404"):
        fetcher.get(site.url("/nothing-here"))


def test_a_public_feed_cannot_send_the_bot_to_a_private_address(site):
    # "The internet" is a second real site on 127.0.0.2, an address this fetcher counts as public; `site` on
    # 127.0.0.1 is the operator's own network. The internal page must never be requested.
    public = Fetcher(timeout_s=2.0, host_interval_s=0.0, is_public=lambda address: address == "127.0.0.2")
    site.routes["/internal"] = Route(b"<p>admin secrets</p>")
    with NewsSite(host="127.0.0.2") as internet:
        good = internet.article("/good", "Harbour plan approved", story(1))
        internet.routes["/hop"] = Route(location=site.url("/internal"))
        feed = internet.rss(
            "/feed.xml",
            [(good, "Good", None), (site.url("/internal"), "Internal", None), (internet.url("/hop"), "Hop", None)],
        )
        collected = collect([feed], public)

    assert [a.title for a in collected.articles] == ["Harbour plan approved"]
    assert site.fetches("/internal") == 0
    assert len(collected.errors) == 2
    assert all("leads to a private address (127.0.0.1)" in e for e in collected.errors)


def test_a_host_whose_dns_turns_private_after_the_check_is_never_reached(site):
    """DNS rebinding: the name answers public when checked and private when connected. The connection goes to
    the address that was checked, never to a second lookup's."""
    site.routes["/internal"] = Route(b"<p>admin secrets</p>")
    lookups: list[str] = []

    def rebinding(host: str) -> list[str]:  # "localhost" is 127.0.0.1 to the system resolver, as to the attacker
        lookups.append(host)
        return ["127.0.0.2"] if len(lookups) == 1 else ["127.0.0.1"]

    fetcher = Fetcher(
        timeout_s=2.0, host_interval_s=0.0, resolver=rebinding, is_public=lambda address: address == "127.0.0.2"
    )
    port = site.url("/").split(":")[2].rstrip("/")
    with pytest.raises(FetchError, match=r"leads to a private address \(127\.0\.0\.1\)"):
        fetcher.get(f"http://localhost:{port}/internal", public_only=True)
    assert site.fetches("/internal") == 0 and len(lookups) >= 2
    # the same name, checked once and public all along, is connected to at the address checked (127.0.0.2,
    # where nothing listens on that port): refused there, never at 127.0.0.1
    steady = Fetcher(
        timeout_s=2.0,
        host_interval_s=0.0,
        resolver=lambda host: ["127.0.0.2"],
        is_public=lambda address: address == "127.0.0.2",
    )
    with pytest.raises(FetchError, match="cannot fetch"):
        steady.get(f"http://localhost:{port}/internal", public_only=True)
    assert site.fetches("/internal") == 0
    assert "admin secrets" in fetcher.get(site.url("/internal")).text  # the operator's own link is read as ever


def test_whether_a_feed_is_public_is_decided_by_the_address_it_was_read_from(site):
    """A hostile DNS that names a private address when asked again after the feed was read: the feed still
    counts as public (it was read from 127.0.0.2, "the internet" here), so its link inside stays refused."""
    site.routes["/internal"] = Route(b"<p>admin secrets</p>")
    hostile = Fetcher(
        timeout_s=2.0,
        host_interval_s=0.0,
        resolver=lambda host: ["127.0.0.1"],
        is_public=lambda address: address == "127.0.0.2",
    )
    with NewsSite(host="127.0.0.2") as internet:
        feed = internet.rss("/feed.xml", [(site.url("/internal"), "Internal", None)])
        collected = collect([feed], hostile)
    assert site.fetches("/internal") == 0
    assert len(collected.errors) == 1 and "leads to a private address (127.0.0.1)" in collected.errors[0]


def test_behind_a_proxy_every_request_goes_through_the_proxy(site, monkeypatch):
    """HTTP_PROXY is honoured (the site on loopback plays the proxy: it sees the absolute URL asked for)."""
    for name in ("HTTPS_PROXY", "ALL_PROXY", "https_proxy", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", site.base)
    with pytest.raises(FetchError, match="HTTP 404"):
        Fetcher(timeout_s=2.0, host_interval_s=0.0).get("http://news.invalid/world/feed.xml")
    assert "http://news.invalid/world/feed.xml" in [request[1] for request in site.requests]


def test_a_feed_on_the_operators_own_network_may_link_within_it(site, fetcher):
    feed = site.rss("/feed.xml", [(site.article("/a", "Harbour plan approved", story(1)), "A", None)])
    assert [a.title for a in collect([feed], fetcher).articles] == ["Harbour plan approved"]
