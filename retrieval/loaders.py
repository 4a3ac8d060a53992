"""Read articles from .txt, .md, .html and .jsonl files into `Article`s."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.cleaning import clean_lines, is_bare_url
from retrieval.dates import parse_any_date, parse_date_line, parse_dateline
from retrieval.errors import IngestError
from retrieval.text import normalize

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
FALLBACK_ENCODINGS = ("cp1252", "latin-1")
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Article:
    """One cleaned article: `text` is the body (title and metadata lines removed), offsets refer to it."""

    id: str
    title: str
    text: str
    source_path: str
    date: str | None = None
    url: str | None = None
    dateline: str | None = None

    @property
    def fingerprint(self) -> str:
        """A hash of everything stored about the article: unchanged fingerprint, unchanged chunks."""
        payload = json.dumps([self.fingerprint_meta, self.text])
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    @property
    def fingerprint_meta(self) -> str:
        """The article's identity and metadata as one string (chunk ids include it)."""
        return json.dumps([self.id, self.title, self.date, self.url, self.dateline, self.source_path])


@dataclass
class LoadResult:
    """Articles read from one file, the problems met (one line each) and notes such as a fallback encoding."""

    articles: list[Article] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def discover(paths: list[Path]) -> Iterator[Path]:
    """Yield the article files under `paths` (folders recurse; hidden files are skipped), sorted."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path).parts
                if child.is_file() and child.suffix.lower() in SUFFIXES and not any(p.startswith(".") for p in rel):
                    yield child
        else:
            yield path


def decode(data: bytes, name: str) -> tuple[str, str | None]:
    """Decode bytes as UTF-8, else the first fallback that works; returns the text and a note on fallback."""
    if not data.strip():
        raise IngestError(f"{name}: empty file, nothing to ingest")
    if b"\x00" in data[:8192]:
        raise IngestError(f"{name}: binary file (contains NUL bytes), not an article")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        where = exc.start
    for encoding in FALLBACK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, f"{name}: not valid UTF-8 (byte {where}), decoded as {encoding}"
    raise IngestError(f"{name}: cannot decode the text")  # pragma: no cover - latin-1 decodes any bytes


def load_file(path: Path) -> LoadResult:
    """Load every article in one file; problems are reported in the result, never raised."""
    result = LoadResult()
    try:
        if path.stat().st_size > MAX_FILE_BYTES and path.suffix.lower() not in JSONL_SUFFIXES:
            raise IngestError(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MiB, not an article")
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            _load_jsonl(path, result)
            return result
        text, note = decode(path.read_bytes(), str(path))
        if note:
            result.notes.append(note)
        article = parse_html(text, path) if suffix in HTML_SUFFIXES else parse_text(text, path)
        result.articles.append(article)
    except FileNotFoundError:
        result.errors.append(f"{path}: file vanished before it could be read")
    except (IsADirectoryError, PermissionError) as exc:
        result.errors.append(f"{path}: cannot read ({exc.strerror})")
    except IngestError as exc:
        result.errors.append(str(exc))
    return result


def _make_article(article_id: str, title: str, lines: list[str], path: Path, **meta: str | None) -> Article:
    """Clean body lines into an Article: furniture removed, dateline parsed, paragraphs separated by blanks."""
    kept, _ = clean_lines(lines)
    paragraphs = [p for p in (line.strip() for line in kept) if p]
    dateline = None
    date = meta.get("date")
    body_for_year = "\n".join(paragraphs)
    for i, paragraph in enumerate(paragraphs[:3]):  # a standfirst or subhead may come before the dateline
        parsed = parse_dateline(paragraph, body_for_year)
        if parsed:
            dateline = parsed.label
            paragraphs[i] = paragraph[parsed.end :].strip()
            date = date or parsed.date
            break
    text = "\n\n".join(p for p in paragraphs if p)
    if not text:
        raise IngestError(f"{path}: no article text after the title")
    return Article(
        id=article_id,
        title=title.strip() or article_id,
        text=text,
        source_path=str(path),
        date=date,
        url=meta.get("url"),
        dateline=dateline,
    )


def parse_text(raw: str, path: Path, article_id: str | None = None) -> Article:
    """Parse a plain-text or Markdown article: first non-furniture line is the title, then date/URL lines."""
    lines = normalize(raw).split("\n")
    kept, _ = clean_lines(lines)
    body_start = next((i for i, line in enumerate(kept) if line.strip()), None)
    if body_start is None:
        raise IngestError(f"{path}: only page furniture, no article")
    title = re.sub(r"^#+\s*", "", kept[body_start]).strip()
    rest = kept[body_start + 1 :]
    date = url = None
    # Metadata lines sit right under the title: a date line and/or a URL line, in either order.
    while rest and (not rest[0].strip() or parse_date_line(rest[0]) or is_bare_url(rest[0])):
        line = rest.pop(0).strip()
        if not line:
            continue
        if is_bare_url(line):
            url = url or line
        else:
            date = date or parse_date_line(line)
    return _make_article(article_id or path.stem, title, rest, path, date=date, url=url)


def parse_html(raw: str, path: Path) -> Article:
    """Parse an HTML page: title from og:title / h1 / <title>, date and canonical URL from meta tags."""
    from bs4 import BeautifulSoup  # imported here: only HTML ingests pay for it

    soup = BeautifulSoup(raw, "html.parser")

    def meta(*names: str) -> str | None:
        for name in names:
            tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
            if tag and tag.get("content"):
                return str(tag["content"]).strip()
        return None

    h1 = soup.find("h1")
    title = meta("og:title") or (h1.get_text(" ", strip=True) if h1 else None)
    title = title or (soup.title.get_text(" ", strip=True) if soup.title else "")
    time_tag = soup.find("time")
    raw_date = meta("article:published_time", "date", "pubdate", "dc.date") or (
        str(time_tag.get("datetime")) if time_tag and time_tag.get("datetime") else None
    )
    canonical = soup.find("link", rel="canonical")
    url = meta("og:url") or (str(canonical["href"]) if canonical and canonical.get("href") else None)
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg"]):
        tag.decompose()
    if h1:
        h1.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    blocks = [b.get_text(" ", strip=True) for b in root.find_all(["p", "li", "blockquote", "h2", "h3", "pre"])]
    if not any(blocks):
        blocks = root.get_text("\n", strip=True).split("\n")
    lines = normalize("\n".join(b for b in blocks if b)).split("\n")
    if not title:
        raise IngestError(f"{path}: HTML page has no title")
    return _make_article(
        path.stem, normalize(title), lines, path, date=parse_any_date(raw_date) if raw_date else None, url=url
    )


def _load_jsonl(path: Path, result: LoadResult) -> None:
    """One article per line: `text` and `title` required, `id`, `date`, `url` optional."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where = f"{path}:{number}"
            try:
                line, note = decode(raw, where)
                if note:
                    result.notes.append(note)
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise IngestError(f"{where}: expected a JSON object, got {type(record).__name__}")
                result.articles.append(_record_article(record, path, number, where))
            except json.JSONDecodeError as exc:
                result.errors.append(f"{where}: malformed JSON ({exc.msg} at column {exc.colno})")
            except IngestError as exc:
                result.errors.append(str(exc))


def _record_article(record: dict, path: Path, number: int, where: str) -> Article:
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise IngestError(f'{where}: missing or empty "text"')
    title = record.get("title")
    if title is not None and not isinstance(title, str):
        raise IngestError(f'{where}: "title" must be a string')
    article_id = str(record.get("id") or f"{path.stem}-{number}").strip()
    if not re.fullmatch(r"[\w.:\-]{1,200}", article_id):
        raise IngestError(f"{where}: \"id\" must be 1-200 letters, digits, '.', ':', '-' or '_'")
    date = record.get("date")
    url = record.get("url")
    lines = normalize(text).split("\n")
    return _make_article(
        article_id,
        normalize(title or "") or article_id,
        lines,
        path,
        date=parse_any_date(str(date)) if date else None,
        url=str(url).strip() if url else None,
    )
