"""A news site on loopback for the feed and web tests: RSS and Atom feeds, article pages, and every failure.

`NewsSite` is a real `http.server` in a thread. Pages are set per path (`site.page(...)`, `site.rss(...)`); it
answers conditional GETs with 304 when the ETag matches, and logs every request so tests can count fetches.
"""

from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    location: str | None = None
    delay_s: float = 0.0
    stream_bytes: int = 0  # a body this large, sent without Content-Length


@dataclass
class NewsSite:
    """The site: `routes` by path, `requests` as (method, path, If-None-Match) tuples."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    host: str = "127.0.0.1"  # any loopback address: a second site on 127.0.0.2 can play "the internet"

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://{self.host}:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def article(
        self,
        path: str,
        title: str,
        paragraphs: list[str],
        *,
        date: str | None = None,
        author: str | None = None,
        canonical: str | None = None,
        version: int = 1,
    ) -> str:
        """Serve an article page with furniture around it; returns its URL."""
        metas = [f'<meta property="og:title" content="{html.escape(title)}">']
        if date:
            metas.append(f'<meta property="article:published_time" content="{date}T09:00:00Z">')
        if author:
            metas.append(f'<meta name="author" content="{html.escape(author)}">')
        metas.append(f'<link rel="canonical" href="{canonical or self.url(path)}">')
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        page = (
            f"<!doctype html><html><head><title>{html.escape(title)} | Loopback News</title>{''.join(metas)}</head>"
            "<body><nav><a href='/'>Home</a> | <a href='/world'>World</a> | <a href='/sport'>Sport</a></nav>"
            f"<article><h1>{html.escape(title)}</h1>{body}</article>"
            "<footer><p>Copyright Loopback News. All rights reserved. Subscribe to our newsletter.</p></footer>"
            "</body></html>"
        )
        self.routes[path] = Route(page.encode(), etag=f'"{path}-v{version}"')
        return self.url(path)

    def rss(self, path: str, items: list[tuple[str, str, str | None]], *, version: int = 1) -> str:
        """Serve an RSS 2.0 feed of (link, title, RFC 822 date or None) items; returns its URL."""
        entries = "".join(
            f"<item><title>{html.escape(title)}</title><link>{html.escape(link)}</link><guid>{html.escape(link)}</guid>"
            + (f"<pubDate>{when}</pubDate>" if when else "")
            + "</item>"
            for link, title, when in items
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Loopback News</title>'
            f"<link>{self.base}/</link><description>All the news</description>{entries}</channel></rss>"
        )
        self.routes[path] = Route(body.encode(), "application/rss+xml", etag=f'"{path}-v{version}"')
        return self.url(path)

    def atom(self, path: str, items: list[tuple[str, str, str]], *, version: int = 1) -> str:
        """Serve an Atom feed of (link, title, ISO updated) items; returns its URL."""
        entries = "".join(
            f'<entry><title>{html.escape(title)}</title><link href="{html.escape(link)}"/><id>{html.escape(link)}</id>'
            f"<updated>{updated}</updated></entry>"
            for link, title, updated in items
        )
        body = (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Loopback Wire</title><id>{self.base}/atom</id><updated>2022-01-22T00:00:00Z</updated>"
            f"{entries}</feed>"
        )
        self.routes[path] = Route(body.encode(), "application/atom+xml", etag=f'"{path}-v{version}"')
        return self.url(path)

    def fetches(self, path: str) -> int:
        """How many full (200) GETs of `path` were answered."""
        return sum(1 for method, p, status in self.requests if p == path and method == "200")

    def __enter__(self) -> NewsSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                route = site.routes.get(self.path.split("?")[0])
                if route is None:
                    site.requests.append(("404", self.path, None))
                    self._send(404, b"not found", "text/plain")
                    return
                if route.delay_s:
                    time.sleep(route.delay_s)
                if route.location:
                    site.requests.append(("302", self.path, None))
                    self.send_response(302)
                    self.send_header("Location", route.location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    site.requests.append(("304", self.path, route.etag))
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                site.requests.append((str(route.status), self.path, self.headers.get("User-Agent")))
                if route.stream_bytes:
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    self.send_header("Connection", "close")
                    self.end_headers()
                    block = b"<p>" + b"x" * 65_530 + b"</p>"
                    try:
                        for _ in range(route.stream_bytes // len(block)):
                            self.wfile.write(block)
                    except OSError:  # the client hung up at its size cap
                        pass
                    self.close_connection = True
                    return
                self._send(route.status, route.body, route.content_type, route.etag)

            def _send(self, status: int, body: bytes, content_type: str, etag: str | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:  # the client hung up at its size cap
                    self.close_connection = True

        self.server = ThreadingHTTPServer((self.host, 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()


STORY = [
    "Officials from both countries met for about ninety minutes on Friday and agreed to keep talking.",
    "The foreign ministers described the meeting as frank and useful, though no breakthrough was announced.",
    "Further talks are expected next week, a spokesman said after the session ended in the afternoon.",
]


def story(n: int, words: str = "") -> list[str]:
    """Paragraphs for article `n`, distinct enough not to be taken for wire copy of one another."""
    lead = f"Report number {n}: the council of district {n} voted {n + 3} to {n % 4} on the harbour plan. {words}"
    return [lead.strip(), f"Residents of district {n} said the decision on item {n * 7} came after months of debate."]
