"""Read articles from .txt, .md, .html, .jsonl, .json and .csv files into `Article`s."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from retrieval.cleaning import clean_lines, is_bare_url
from retrieval.dates import parse_any_date, parse_date_line, parse_dateline
from retrieval.errors import IngestError
from retrieval.text import normalize, printable

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
JSON_SUFFIXES = frozenset({".json"})
CSV_SUFFIXES = frozenset({".csv", ".tsv"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES | CSV_SUFFIXES
# Where a JSONL record or a CSV row keeps each field, the first one present (any case): news datasets name them
# differently (newsapi's "content" and "publishedAt", Kaggle's "headline" and "link", CNN/DailyMail's "article").
FIELDS = {
    "text": ("text", "body", "content", "article", "story", "maintext", "description", "summary"),
    "title": ("title", "headline"),
    "id": ("id",),
    "date": ("date", "published", "published_at", "publishedAt", "pubDate", "date_publish", "datetime"),
    "url": ("url", "link", "source"),  # trafilatura's JSON names the page's address "source"
}
FALLBACK_ENCODINGS = ("cp1252", "latin-1")
# A byte-order mark names the encoding; UTF-32's marks come first because UTF-16 LE's is a prefix of UTF-32 LE's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
MAX_FILE_BYTES = 200 * 1024 * 1024  # a text or HTML file is read whole; larger ones are refused before reading
# Per article, a limit that ingest reaches: 10 million characters are ~12,500 passages, which embed in ~24 CPU minutes
# (0.11 CPU s a passage, measured by benchmarks/ingest_scaling.py; every stage is linear in the length).
MAX_ARTICLE_CHARS = 10_000_000
MAX_ID_CHARS = 200


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

    @cached_property
    def fingerprint(self) -> str:
        """A hash of everything stored about the article: unchanged fingerprint, unchanged chunks."""
        payload = json.dumps([self.fingerprint_meta, self.text])
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    @cached_property
    def fingerprint_meta(self) -> str:
        """The article's identity and metadata as one string (chunk ids include it)."""
        return json.dumps([self.id, self.title, self.date, self.url, self.dateline, self.source_path])


@dataclass
class LoadResult:
    """Articles read from one file, the problems met (one line each) and notes such as a fallback encoding."""

    articles: list[Article] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def discover(paths: list[Path], errors: list[str] | None = None) -> Iterator[Path]:
    """Yield the article files under `paths` (folders recurse; hidden files and folders are skipped), sorted.

    A folder that cannot be listed is reported in `errors`, one line like an unreadable file's, not skipped silently.
    Paths come out absolute and normalised, once each, so that the same file named from another folder, through
    `..` or twice, is recognised as the same source.
    """
    yielded: set[Path] = set()
    for given in paths:
        path = Path(os.path.abspath(given))
        if not path.is_dir():
            found = [path]
        else:
            found = []

            def unreadable(exc: OSError) -> None:
                if errors is not None:
                    errors.append(f"{exc.filename}: cannot read folder ({exc.strerror})")

            for folder, subfolders, names in os.walk(path, onerror=unreadable):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                candidates = (Path(folder) / name for name in names if not name.startswith("."))
                found.extend(f for f in candidates if f.suffix.lower() in SUFFIXES and f.is_file())
        for file in sorted(found):
            if file not in yielded:  # a file named twice (itself and its folder) is read once
                yielded.add(file)
                yield file


def bom_encoding(data: bytes) -> str | None:
    """The encoding that the byte-order mark opening `data` names, or None when there is none."""
    return next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)


def decode(data: bytes, name: str) -> tuple[str, str | None]:
    """Decode bytes: by their byte-order mark, else as UTF-8, else the first fallback that works.

    Returns the text and a note when a fallback was used.
    """
    encoding = bom_encoding(data)
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise IngestError(f"{name}: not valid {encoding} (byte {exc.start}) despite its byte-order mark") from exc
        if not text.strip():
            raise IngestError(f"{name}: empty file, nothing to ingest")
        return text, None
    if not data.strip():
        raise IngestError(f"{name}: empty file, nothing to ingest")
    if b"\x00" in data[:8192]:
        raise IngestError(f"{name}: binary file (contains NUL bytes), not an article")
    try:
        return data.decode("utf-8"), None
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
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            _load_jsonl(path, result)
            return result
        if path.stat().st_size > MAX_FILE_BYTES:
            what = "split it, or write it as JSONL" if suffix in CSV_SUFFIXES else "not an article"
            raise IngestError(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MiB, {what}")
        text, note = decode(path.read_bytes(), str(path))
        if note:
            result.notes.append(note)
        if suffix in CSV_SUFFIXES:
            _load_csv(text, path, result)
        elif suffix in JSON_SUFFIXES:
            _load_json(text, path, result)
        elif suffix in HTML_SUFFIXES:
            result.articles.append(parse_html(text, path, notes=result.notes))
        else:
            check_length(text, str(path))
            result.articles.append(parse_text(text, path, notes=result.notes))
    except FileNotFoundError:
        result.errors.append(f"{path}: file vanished before it could be read")
    except (IsADirectoryError, PermissionError) as exc:
        result.errors.append(f"{path}: cannot read ({exc.strerror})")
    except IngestError as exc:
        result.errors.append(str(exc))
    return result


def check_length(text: str, where: str) -> None:
    """Refuse an article longer than `MAX_ARTICLE_CHARS`, before any work is spent on it."""
    if len(text) > MAX_ARTICLE_CHARS:
        raise IngestError(
            f"{where}: {len(text) / 1e6:.1f} million characters, over the limit of {MAX_ARTICLE_CHARS / 1e6:g} "
            "million per article; split it into several articles"
        )


def http_url(value: str) -> str | None:
    """`value` as an http(s) URL (a bare `www.` address gains https://), or None when it is anything else."""
    url = printable(value).strip()
    if url.lower().startswith("www."):
        url = "https://" + url
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed [IPv6] host
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(ch.isspace() for ch in url):
        return None
    return url


def _make_article(
    article_id: str, title: str, lines: list[str], path: Path, where: str, notes: list[str], **meta: str | None
) -> Article:
    """Turn cleaned body lines into an Article: dateline parsed, paragraphs separated by blank lines.

    Metadata shown to people is made safe here: control characters and escape sequences removed, a url kept only
    when it is http(s) (otherwise a note says it was dropped).
    """
    paragraphs = [p for p in (line.strip() for line in lines) if p]
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
        raise IngestError(f"{where}: no article text after the title")
    raw_url = meta.get("url")
    url = http_url(raw_url) if raw_url else None
    if raw_url and not url:
        notes.append(f"{where}: url {_shorten(raw_url)} is not an http(s) link; the article is kept without it")
    return Article(
        id=article_id,
        title=" ".join(printable(title).split()) or article_id,
        text=text,
        source_path=str(path),
        date=date,
        url=url,
        dateline=dateline,
    )


def _shorten(value: str, limit: int = 80) -> str:
    """`value` quoted for a one-line message: escapes visible, at most about `limit` characters."""
    shown = repr(value[:limit])
    return shown + "..." if len(value) > limit else shown


def _article_id(value: str, where: str) -> str:
    """An article id as written, less control characters and surrounding spaces; any printable text will do."""
    article_id = printable(value).strip()
    if not article_id or len(article_id) > MAX_ID_CHARS:
        raise IngestError(f'{where}: "id" must be 1-{MAX_ID_CHARS} printable characters, not {_shorten(value)}')
    return article_id


def parse_text(raw: str, path: Path, article_id: str | None = None, *, notes: list[str] | None = None) -> Article:
    """Parse a plain-text or Markdown article: first non-furniture line is the title, then date/URL lines."""
    kept, _ = clean_lines(normalize(raw).split("\n"))
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
    article_id = _article_id(article_id or path.stem, str(path))
    return _make_article(article_id, title, rest, path, str(path), [] if notes is None else notes, date=date, url=url)


def parse_html(raw: str, path: Path, *, notes: list[str] | None = None) -> Article:
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
    body = "\n".join(b for b in blocks if b)
    check_length(body, str(path))
    lines, _ = clean_lines(normalize(body).split("\n"))
    if not title:
        raise IngestError(f"{path}: HTML page has no title")
    return _make_article(
        _article_id(path.stem, str(path)),
        normalize(title),
        lines,
        path,
        str(path),
        [] if notes is None else notes,
        date=parse_any_date(raw_date) if raw_date else None,
        url=url,
    )


def _jsonl_lines(handle: io.BufferedReader) -> Iterable[bytes | str]:
    """The lines of a JSONL file: bytes to decode one by one, or text when a UTF-16/32 mark names the encoding."""
    encoding = bom_encoding(handle.peek(4)[:4])
    if encoding in ("utf-16", "utf-32"):  # their newlines are not single b"\n" bytes, so decode the stream
        return io.TextIOWrapper(handle, encoding=encoding)
    return handle


def _load_jsonl(path: Path, result: LoadResult) -> None:
    """One article per line: `text` required; `title`, `id`, `date` and `url` optional."""
    number = 0
    with path.open("rb") as handle:
        try:
            for number, raw in enumerate(_jsonl_lines(handle), start=1):
                if raw.strip():
                    _load_jsonl_line(raw, path, number, result)
        except UnicodeDecodeError as exc:  # only from a UTF-16/32 stream; UTF-8 lines are decoded one by one
            result.errors.append(f"{path}:{number + 1}: not valid {exc.encoding}; the rest of the file is skipped")


def _load_jsonl_line(raw: bytes | str, path: Path, number: int, result: LoadResult) -> None:
    where = f"{path}:{number}"
    try:
        line = raw if isinstance(raw, str) else _decoded_line(raw, where, result.notes)
        # Without its line end: an error at the end of a truncated line is reported there, not as "column 1" of the
        # empty line after it.
        record = json.loads(line.rstrip("\r\n"))
        if not isinstance(record, dict):
            raise IngestError(f"{where}: expected a JSON object, got {_json_type(record)}")
        result.articles.append(_record_article(record, path, f"{path.stem}-{number}", where, result.notes))
    except json.JSONDecodeError as exc:
        at = "the end of the line" if exc.pos >= len(exc.doc) else f"column {exc.colno}"
        result.errors.append(f"{where}: malformed JSON ({exc.msg.removesuffix(' at')} at {at})")
    except IngestError as exc:
        result.errors.append(str(exc))


def _load_csv(text: str, path: Path, result: LoadResult) -> None:
    """One article per row of a CSV file (separated by commas, semicolons, tabs or bars) with a header row naming
    the `FIELDS`."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_ARTICLE_CHARS + 1))  # csv's default is 131,072 characters
    # The separator is the one the header row uses most: a spreadsheet set to a European locale writes ";".
    header = text.partition("\n")[0]
    delimiter = max(",;\t|", key=header.count) if any(c in header for c in ",;\t|") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = [name for name in reader.fieldnames or [] if name]
    if not _present(columns, "text"):
        shown = ", ".join(f'"{name}"' for name in columns[:12]) or "none"
        raise IngestError(f"{path}: no text column ({_aliases('text')}); its columns are {shown}")
    while True:
        line = reader.line_num + 1
        where = f"{path}:{line}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            result.errors.append(f"{where}: malformed CSV ({exc}); the rest of the file is skipped")
            return
        try:
            result.articles.append(_record_article(row, path, f"{path.stem}-{line}", where, result.notes))
        except IngestError as exc:
            result.errors.append(str(exc))


def _load_json(text: str, path: Path, result: LoadResult) -> None:
    """A JSON file of articles: one object (trafilatura's output), a list of them, or newsapi.org's
    `{"articles": [...]}`. Anything else (a SQuAD or NewsQA question file beside the articles) is skipped with a
    note, so a folder holding both still ingests."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = " (one object per line is JSON Lines: name the file .jsonl)" if exc.msg == "Extra data" else ""
        raise IngestError(f"{path}:{exc.lineno}: malformed JSON ({exc.msg} at column {exc.colno}){lines}") from exc
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    records = data if isinstance(data, list) else [data]
    if not records or not (isinstance(records[0], dict) and _present(records[0], "text")):
        result.notes.append(
            f'{path}: skipped, it holds no articles (an object with "text", a list of them, or {{"articles": '
            "[...]}); a question file goes to `newsbot eval`"
        )
        return
    for number, record in enumerate(records, start=1):
        where = f"{path}: article {number}" if len(records) > 1 else str(path)
        default_id = f"{path.stem}-{number}" if len(records) > 1 else path.stem
        try:
            if not isinstance(record, dict):
                raise IngestError(f"{where}: expected a JSON object, got {_json_type(record)}")
            result.articles.append(_record_article(record, path, default_id, where, result.notes))
        except IngestError as exc:
            result.errors.append(str(exc))


def _present(keys: Iterable[str | None], name: str) -> list[str]:
    """The keys among `keys` that can hold field `name`, in the order of its `FIELDS` aliases (any case)."""
    by_case: dict[str, str] = {}
    for key in keys:
        if isinstance(key, str):  # a CSV row's surplus cells sit under None
            by_case.setdefault(key.casefold(), key)
    return [by_case[alias.casefold()] for alias in FIELDS[name] if alias.casefold() in by_case]


def _field_key(record: dict[Any, Any], name: str) -> str | None:
    """The key of `record` that holds field `name`: the first of its aliases with a value. Under another name than
    the field's own, a value counts only when it is what the field holds: a string (or, for the id and date, a
    number), and for the URL an http(s) address, so newsapi's "source" object or a "source" column naming the
    publisher is not a URL. With none, the field's own key or an empty alias, so that it is reported by name."""
    keys = _present(record, name)
    for key in keys:
        value = record[key]
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key.casefold() == name or _fits(name, value):
            return key
    reported = [k for k in keys if k.casefold() == name or record[k] is None or not str(record[k]).strip()]
    return reported[0] if reported else None


def _fits(name: str, value: object) -> bool:
    """True when `value` can be field `name` read under another key."""
    if name == "url":
        return isinstance(value, str) and http_url(value) is not None
    numbers = name in ("id", "date") and isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str) or numbers


def _aliases(name: str) -> str:
    return ", ".join(f'"{alias}"' for alias in FIELDS[name])


def _decoded_line(raw: bytes, where: str, notes: list[str]) -> str:
    line, note = decode(raw, where)
    if note:
        notes.append(note)
    return line


def _json_type(value: object) -> str:
    """How JSON calls the type of `value`, for messages."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    names = {str: "a string", list: "an array", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _string(record: dict[str, Any], key: str, where: str, *, numbers: bool = False) -> str | None:
    """`record[key]` as a string, None when absent or null; another JSON type is an error that names it."""
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value
    if numbers and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    wanted = "a string or a number" if numbers else "a string"
    raise IngestError(f'{where}: "{key}" must be {wanted}, not {_json_type(value)}')


def _record_article(record: dict[str, Any], path: Path, default_id: str, where: str, notes: list[str]) -> Article:
    """The article in one JSON record or CSV row; each field from the first of its `FIELDS` keys with a value."""
    keys = {name: _field_key(record, name) for name in FIELDS}
    text_key = keys["text"]
    text = _string(record, text_key, where) if text_key else None
    if text is None:
        raise IngestError(f'{where}: missing "text" (or {_aliases("text").partition(", ")[2]})')
    if not text.strip():
        raise IngestError(f'{where}: empty "{text_key}"')
    check_length(text, where)

    def field(name: str, *, numbers: bool = False) -> str | None:
        key = keys[name]
        return _string(record, key, where, numbers=numbers) if key else None

    title = field("title")
    raw_id = field("id", numbers=True)
    article_id = _article_id(raw_id, where) if raw_id else default_id
    date = field("date", numbers=True)
    day = parse_any_date(date) if date else None
    if date and day is None:
        notes.append(
            f'{where}: "{keys["date"]}" {printable(date)[:40]!r} is no date I can read; the article is undated'
        )
    url = field("url")
    clean, _ = clean_lines(normalize(text).split("\n"))
    return _make_article(article_id, normalize(title or ""), clean, path, where, notes, date=day, url=url)
