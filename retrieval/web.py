"""Articles from the web: polite HTTP fetching, feed parsing (feedparser) and main-text extraction (trafilatura).

`Fetcher.get` is the one way newsbot reads a URL: an honest User-Agent, a time-out on every phase and on the
whole download, a size cap checked before and while reading, a bounded number of redirects, a minimum interval
between requests to one host, and conditional GET (ETag / Last-Modified) so an unchanged page costs one empty
reply. Every failure is a `FetchError` whose message is one line naming the URL.

`collect` turns URLs (feeds or article pages) into `Article`s with their id derived from the canonical URL, so the
same story reached through two feeds, or with tracking parameters, is one article.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpcore
import httpx

from retrieval.cleaning import clean_lines
from retrieval.dates import parse_any_date
from retrieval.errors import IngestError
from retrieval.loaders import Article, _make_article, check_length, decode, http_url
from retrieval.text import normalize

logger = logging.getLogger(__name__)

USER_AGENT = "newsbot/0.1 (news question-answering bot; reads feeds and articles its operator subscribed to)"
TIMEOUT_S = 15.0  # connect, read and the whole download each
MAX_PAGE_BYTES = 5 * 2**20  # a news page is well under a megabyte; anything over 5 MiB is not an article
MAX_REDIRECTS = 5
HOST_INTERVAL_S = 1.0  # at most one request per second to any one host
MAX_ID_CHARS = 120
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ref", "cmpid")
_HTML_TYPES = ("text/html", "application/xhtml")
_FEED_TYPES = ("rss", "atom", "xml", "rdf")


class FetchError(IngestError):
    """A URL that could not be read or understood; the message is one line naming it."""


class _PrivateAddress(Exception):
    """A connection refused before it was made: the host resolved to a non-public address (raised in the pool)."""

    def __init__(self, address: str) -> None:
        super().__init__(address)
        self.address = address


def _peer(response: httpx.Response) -> str | None:
    """The IP address `response` was read from (httpcore's network stream says), or None."""
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    return str(peer[0]) if isinstance(peer, tuple) and peer else None


def is_public(address: str) -> bool:
    """True for a global (internet) address; False for loopback, private, link-local and the like."""
    try:
        return ipaddress.ip_address(address).is_global
    except ValueError:
        return False


def _as_httpx(exc: Exception) -> Exception:
    """`exc` as the httpx error it stands for (httpx names its errors as httpcore does: ConnectTimeout,
    ReadError, ...), the most specific first; unchanged when it is not httpcore's."""
    if type(exc).__module__.split(".")[0] != "httpcore":
        return exc
    for kind in type(exc).__mro__:
        mapped = getattr(httpx, kind.__name__, None)
        if isinstance(mapped, type) and issubclass(mapped, httpx.HTTPError):
            return mapped(str(exc))
    return exc


class _Body(httpx.SyncByteStream):
    """A response body read from httpcore, its errors raised as httpx's."""

    def __init__(self, stream: Iterable[bytes]) -> None:
        self.stream = stream

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self.stream
        except Exception as exc:
            if (mapped := _as_httpx(exc)) is exc:
                raise
            raise mapped from exc

    def close(self) -> None:
        close = getattr(self.stream, "close", None)
        if close is not None:
            close()


class _PinningTransport(httpx.BaseTransport):
    """An httpx transport over httpcore's connection pool with its own network backend (`_CheckedBackend`):
    httpx's `HTTPTransport` takes no backend, and both libraries' public interfaces are enough for this one."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self.pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), network_backend=backend)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            headers=request.headers.raw,
            content=request.stream,  # type: ignore[arg-type]
            extensions=request.extensions,
        )
        try:
            response = self.pool.handle_request(core)
        except Exception as exc:
            if (mapped := _as_httpx(exc)) is exc:  # ours (`_PrivateAddress`), or not a network error
                raise
            raise mapped from exc
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_Body(response.stream),  # type: ignore[arg-type]
            extensions=response.extensions,
        )

    def close(self) -> None:
        self.pool.close()


class _CheckedBackend(httpcore.SyncBackend):
    """Opens connections for a `Fetcher`; for a public feed's link, only to the public addresses it checked.

    The check and the connection use one lookup: a host whose DNS answers public for the check and private a
    moment later (DNS rebinding) still reaches only the address that was checked.
    """

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        if not self.fetcher.public_only:
            return super().connect_tcp(host, port, timeout, local_address, socket_options)
        addresses = self.fetcher.resolver(host)
        for address in addresses:
            if not self.fetcher.is_public(address):
                raise _PrivateAddress(address)
        failure: httpcore.ConnectError = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
        raise failure


def resolve(host: str) -> list[str]:
    """The addresses `host` resolves to (itself when it is an address); none when it does not resolve."""
    try:
        return sorted({str(info[4][0]).split("%")[0] for info in socket.getaddrinfo(host, None)})
    except (socket.gaierror, UnicodeError):
        return []


def is_url(value: str) -> bool:
    """True when `value` is an http(s) URL (what `newsbot ingest` fetches instead of reading a file)."""
    return value.lower().startswith(("http://", "https://")) and http_url(value) is not None


def canonical_url(url: str) -> str:
    """`url` in a stable form: scheme and host lower-cased, no fragment, tracking parameters and a final `/` dropped."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith(_TRACKING)]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))


def article_id_for(url: str) -> str:
    """A readable article id that is the same for the same canonical URL: `host/path`, hashed when long."""
    parts = urlsplit(canonical_url(url))
    host = (parts.hostname or "").removeprefix("www.")
    port = f":{parts.port}" if parts.port else ""
    readable = f"{host}{port}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")
    if len(readable) <= MAX_ID_CHARS:
        return readable
    digest = hashlib.sha256(canonical_url(url).encode()).hexdigest()[:12]
    return f"{readable[: MAX_ID_CHARS - 13]}-{digest}"


@dataclass(frozen=True)
class Page:
    """One HTTP answer: `content` is empty for 304 Not Modified."""

    url: str
    final_url: str
    status: int
    content: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    address: str | None = None  # the IP address the answer came from (None when unknown, as behind a proxy)

    @property
    def not_modified(self) -> bool:
        """True when the server said the page has not changed since the validators sent."""
        return self.status == 304

    @property
    def text(self) -> str:
        """The body decoded by its declared charset, else UTF-8, else cp1252."""
        charset = next(
            (p.split("=", 1)[1].strip(" \"'") for p in self.content_type.split(";") if "charset=" in p.lower()), None
        )
        if charset:
            try:
                return self.content.decode(charset)
            except (LookupError, UnicodeDecodeError):
                pass
        return decode(self.content, self.url)[0]

    @property
    def is_feed(self) -> bool:
        """True for an RSS or Atom document (by content type, else by its first tag)."""
        kind = self.content_type.split(";")[0].strip().lower()
        if any(word in kind for word in _FEED_TYPES) and "html" not in kind:
            return True
        head = self.content[:1024].lstrip().lower()
        return head.startswith(b"<?xml") and any(t in self.content[:4096].lower() for t in (b"<rss", b"<feed", b"<rdf"))

    @property
    def is_html(self) -> bool:
        """True for an HTML page (by content type; an untyped body that opens like HTML counts)."""
        kind = self.content_type.split(";")[0].strip().lower()
        if kind:
            return kind.startswith(_HTML_TYPES)
        return self.content[:1024].lstrip().lower().startswith((b"<!doctype html", b"<html"))


class Fetcher:
    """Reads URLs politely (see the module docstring).

    Args:
        client: the httpx client to use (tests pass one with a `MockTransport`); one is made when None.
        timeout_s: the limit on connecting, on each read, and on the whole download.
        max_bytes: the largest body accepted.
        max_redirects: the most redirects followed.
        host_interval_s: the least time between two requests to one host.
        sleep: how to wait for a host's turn (tests record the waits instead).
        resolver: host name to addresses, for telling public hosts from private ones (`resolve`).
        is_public: whether an address is on the public internet (`is_public`; tests name a loopback one).

    A link found in a feed on the public internet may not lead to a loopback, private or link-local address,
    directly or through a redirect (`get(..., public_only=True)`): a hostile feed must not make the bot read
    the operator's own network. A feed the operator put on a private address may link there. Whether a feed is
    public is decided by the address it was read from, and a link is connected to the very addresses that were
    checked (`_CheckedBackend`): a name whose DNS answer changes in between (DNS rebinding) gains nothing. Behind
    a proxy, which looks names up itself, only the check by name applies.
    """

    def __init__(
        self,
        client: httpx.Client | None = None,
        *,
        timeout_s: float = TIMEOUT_S,
        max_bytes: int = MAX_PAGE_BYTES,
        max_redirects: int = MAX_REDIRECTS,
        host_interval_s: float = HOST_INTERVAL_S,
        sleep: Callable[[float], None] = time.sleep,
        resolver: Callable[[str], list[str]] = resolve,
        is_public: Callable[[str], bool] = is_public,
    ) -> None:
        self.resolver = resolver
        self.is_public = is_public
        # Behind a proxy (HTTP(S)_PROXY, ALL_PROXY) the proxy looks names up and connects: httpx's own proxy
        # transport is kept, and only the check by name before each request (`_guard`) applies.
        proxied = any(urllib.request.getproxies().get(scheme) for scheme in ("http", "https", "all"))
        self.client = client or httpx.Client(
            transport=None if proxied else _PinningTransport(_CheckedBackend(self)),
            timeout=httpx.Timeout(timeout_s),
            follow_redirects=True,
            max_redirects=max_redirects,
            headers={"User-Agent": USER_AGENT},
        )
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.host_interval_s = host_interval_s
        self.sleep = sleep
        self.requests = 0  # how many requests went out (a second poll of unchanged feeds sends only conditional ones)
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self._scope = threading.local()  # public_only for the request in flight on this thread
        hooks = self.client.event_hooks
        self.client.event_hooks = {**hooks, "request": [*hooks.get("request", []), self._guard]}

    @property
    def public_only(self) -> bool:
        """True while this thread reads a link from a public feed (`get(..., public_only=True)`)."""
        return bool(getattr(self._scope, "public_only", False))

    def served_publicly(self, page: Page) -> bool:
        """True when `page` came from a public address: the one it was read from, not a second lookup of its
        name (which a hostile DNS could answer differently); by name only when the address is unknown."""
        if page.address is not None:
            return self.is_public(page.address)
        return self.private_address(page.final_url) is None

    def private_address(self, url: str) -> str | None:
        """A loopback, private or otherwise non-public address `url`'s host resolves to; None when all are public."""
        host = httpx.URL(url).host
        return next((address for address in self.resolver(host) if not self.is_public(address)), None)

    def _guard(self, request: httpx.Request) -> None:
        """Refuse a request (a redirect included) to a private address while reading a public feed's link (by
        name, before any connection: a proxy would otherwise make it; `_CheckedBackend` checks the connection)."""
        if self.public_only:
            address = self.private_address(str(request.url))
            if address is not None:
                raise FetchError(
                    f"{request.url}: a link from a public feed leads to a private address ({address}); skipped"
                )

    def close(self) -> None:
        """Close the HTTP client."""
        self.client.close()

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None, public_only: bool = False
    ) -> Page:
        """Fetch `url`, sending `etag` / `last_modified` as validators; a 304 gives a `Page` with `not_modified`.

        `public_only`: `url` and every redirect must lead to public addresses.

        Raises:
            FetchError: time-out, too many redirects, an HTTP error status, a body over the size cap, no
                connection, or a private address where `public_only` forbids one.
        """
        self._scope.public_only = public_only
        try:
            return self._get(url, etag, last_modified)
        finally:
            self._scope.public_only = False

    def _get(self, url: str, etag: str | None, last_modified: str | None) -> Page:
        headers = {"User-Agent": USER_AGENT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self._wait_turn(url)
        self.requests += 1
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return self._page(url, response, b"")
                if response.status_code >= 400:
                    reason = response.reason_phrase or "error"
                    raise FetchError(f"{url}: HTTP {response.status_code} {reason}; skipped")
                return self._page(url, response, self._read(url, response))
        except _PrivateAddress as exc:
            raise FetchError(
                f"{url}: a link from a public feed leads to a private address ({exc.address}); skipped"
            ) from None
        except httpx.TooManyRedirects as exc:
            raise FetchError(f"{url}: more than {self.max_redirects} redirects (a redirect loop?); skipped") from exc
        except httpx.TimeoutException as exc:
            raise FetchError(f"{url}: no answer within {self.timeout_s:g}s (server too slow); skipped") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: cannot fetch ({type(exc).__name__}: {exc}); skipped") from exc

    def _read(self, url: str, response: httpx.Response) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"{url}: {int(declared) / 2**20:.1f} MiB, over the {self._cap} cap per page; skipped")
        deadline = time.monotonic() + self.timeout_s
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"{url}: more than {self._cap}, over the cap per page; skipped")
            if time.monotonic() > deadline:  # a server trickling bytes never trips the per-read time-out
                raise FetchError(f"{url}: download took over {self.timeout_s:g}s (server too slow); skipped")
            chunks.append(chunk)
        return b"".join(chunks)

    @property
    def _cap(self) -> str:
        return f"{self.max_bytes / 2**20:g} MiB"

    @staticmethod
    def _page(url: str, response: httpx.Response, content: bytes) -> Page:
        return Page(
            url=url,
            final_url=str(response.url),
            status=response.status_code,
            content=content,
            content_type=response.headers.get("Content-Type", ""),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            address=_peer(response),
        )

    def _wait_turn(self, url: str) -> None:
        """Sleep until `host_interval_s` has passed since the last request to `url`'s host."""
        host = urlsplit(url).netloc.lower()
        with self._lock:
            now = time.monotonic()
            ready = self._last.get(host, now - self.host_interval_s) + self.host_interval_s
            self._last[host] = max(now, ready)
        if ready > now:
            self.sleep(ready - now)


# -- feeds -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: its article link, title, date and a signature that changes when the entry does."""

    link: str
    title: str
    date: str | None
    signature: str


def parse_feed(page: Page) -> list[FeedItem]:
    """The entries of an RSS or Atom feed, in feed order; entries without a link are skipped.

    Raises:
        FetchError: the document is not a feed feedparser can read.
    """
    import feedparser  # imported here: only feed ingests pay for it

    parsed: Any = feedparser.parse(page.content, response_headers={"content-location": page.final_url})
    if parsed.bozo and not any(entry.get("link") for entry in parsed.entries):
        problem = " ".join(str(parsed.get("bozo_exception", "unreadable")).split())[:120]
        raise FetchError(f"{page.url}: not a valid RSS/Atom feed ({problem}); skipped")
    if not parsed.get("version") and not parsed.entries:
        raise FetchError(f"{page.url}: not a valid RSS/Atom feed (no channel or entries); skipped")
    items = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        link = urljoin(page.final_url, str(link))
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        date = time.strftime("%Y-%m-%d", when) if when else None
        stamp = [link, entry.get("title", ""), entry.get("updated", ""), entry.get("published", ""), entry.get("id")]
        signature = hashlib.sha256(repr(stamp).encode()).hexdigest()[:16]
        items.append(FeedItem(link=link, title=str(entry.get("title", "")), date=date, signature=signature))
    return items


# -- article pages -----------------------------------------------------------------------------------------


def parse_article(
    page: Page, *, fallback_date: str | None = None, notes: list[str] | None = None
) -> tuple[Article, str | None]:
    """The article on an HTML page and its author: main text, title, date, author and canonical URL, by trafilatura.

    The id comes from the canonical URL (`article_id_for`); the date from the page, else `fallback_date` (the
    feed's), else none: an undated article stays undated. Page furniture is cleaned as for files.

    Raises:
        FetchError: the page is not HTML, or holds no article text.
    """
    import trafilatura  # imported here: only URL ingests pay for it

    if not page.is_html:
        kind = page.content_type.split(";")[0].strip() or "unknown type"
        raise FetchError(f"{page.url}: not an HTML page or a feed ({kind}); skipped")
    html = page.text
    check_length(html, page.url)
    found: Any = trafilatura.bare_extraction(
        html,
        url=page.final_url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    data: dict[str, Any] = found.as_dict() if found is not None and hasattr(found, "as_dict") else dict(found or {})
    title = normalize(str(data.get("title") or "")).strip()
    lines = normalize(str(data.get("text") or "")).split("\n")
    if lines and title and lines[0].strip() == title:
        lines = lines[1:]  # the headline opens the extracted text too
    lines, _ = clean_lines(lines)
    if not any(line.strip() for line in lines):
        raise FetchError(f"{page.url}: no article text found on the page; skipped")
    canonical = canonical_url(urljoin(page.final_url, str(data.get("url") or page.final_url)))
    date = parse_any_date(str(data["date"])) if data.get("date") else None
    try:
        # The loaders' own article builder (datelines, URL checks); its file path stands in until the source is
        # set to the URL below (a Path would fold the URL's "//").
        article = _make_article(
            article_id_for(canonical),
            title or canonical,
            lines,
            Path(canonical),
            page.url,
            [] if notes is None else notes,
            date=date or fallback_date,
            url=canonical,
        )
    except IngestError as exc:
        raise FetchError(f"{exc}; skipped") from exc
    author = " ".join(str(data.get("author") or "").split())
    return replace(article, source_path=canonical), author or None


# -- URLs to articles --------------------------------------------------------------------------------------


@dataclass
class FeedRead:
    """A feed read by `collect`: its validators, its items, and the links whose articles were read."""

    url: str
    etag: str | None
    last_modified: str | None
    items: list[FeedItem]
    read: set[str] = field(default_factory=set)


@dataclass
class Collected:
    """Articles read from URLs, with one line per problem, how many pages were fetched and the feeds read."""

    articles: list[Article] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    authors: dict[str, str] = field(default_factory=dict)
    pages: int = 0
    feeds: list[FeedRead] = field(default_factory=list)

    def add(self, found: tuple[Article, str | None]) -> None:
        """Keep an article and its author unless one with its id (the same canonical URL) is already here."""
        article, author = found
        if all(a.id != article.id for a in self.articles):
            self.articles.append(article)
            if author:
                self.authors[article.id] = author


def fetch_article(
    fetcher: Fetcher, item: FeedItem | str, collected: Collected, *, via: Page | None = None
) -> Page | None:
    """Fetch and parse one article page into `collected`; a failure is one line in `collected.errors`.

    `via`: the feed page the link came from; a feed read from a public address may only link to public ones.
    """
    link = item.link if isinstance(item, FeedItem) else item
    try:
        page = fetcher.get(link, public_only=via is not None and fetcher.served_publicly(via))
        collected.pages += 1
        fallback = item.date if isinstance(item, FeedItem) else None
        collected.add(parse_article(page, fallback_date=fallback, notes=collected.notes))
        return page
    except FetchError as exc:
        collected.errors.append(str(exc))
        return None


def collect(urls: Iterable[str], fetcher: Fetcher, progress: Callable[[int, int], None] | None = None) -> Collected:
    """Read each URL: a feed gives every item's article, a page its article; problems are one line each."""
    collected = Collected()
    for url in urls:
        try:
            page = fetcher.get(url)
        except FetchError as exc:
            collected.errors.append(str(exc))
            continue
        collected.pages += 1
        if not page.is_feed:
            try:
                collected.add(parse_article(page, notes=collected.notes))
            except FetchError as exc:
                collected.errors.append(str(exc))
            continue
        try:
            items = parse_feed(page)
        except FetchError as exc:
            collected.errors.append(str(exc))
            continue
        read = FeedRead(url, page.etag, page.last_modified, items)
        collected.feeds.append(read)
        for done, item in enumerate(items, 1):
            if fetch_article(fetcher, item, collected, via=page) is not None:
                read.read.add(item.link)
            if progress:
                progress(done, len(items))
    return collected
