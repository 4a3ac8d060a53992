"""The `newsbot` command: ingest, ask, repl, sources, telegram, eval."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from pydantic import ValidationError

from bot.config import DEFAULT_LOG_LEVEL, Device, Embedder, Settings
from bot.errors import ConfigError
from bot.render import printable
from retrieval.errors import NewsbotError
from retrieval.text import counted

if TYPE_CHECKING:
    from bot.evaluation import EvalSet
    from retrieval.store import NewsStore

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Answers questions about news articles, citing them. Offline by default.",
)
logger = logging.getLogger("bot")

StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", help="Store directory (default: NEWSBOT_STORE or ~/.local/share/newsbot/store)."),
]
ChromaOpt = Annotated[
    str | None, typer.Option("--chroma-url", help="Use a Chroma server (http://host:port) instead of a local store.")
]
LlmOpt = Annotated[
    str | None,
    typer.Option(
        "--llm", help="PROVIDER:MODEL (openai:gpt-4o-mini, ollama:llama3.2, llamacpp:/path.gguf); default extractive."
    ),
]
LlmUrlOpt = Annotated[
    str | None,
    typer.Option("--llm-base-url", help="Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1."),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="The day 'last week', 'yesterday', 'latest' refer to (NEWSBOT_AS_OF; default today)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output (one JSON object per answer).")]
F = TypeVar("F", bound=Callable[..., Any])
INTERRUPT_HINTS = {"ingest": "; run the same command again to finish"}  # what an interrupted command left


def _settings(**overrides: Any) -> Settings:
    """The settings, with the options given on the command line (not None) overriding the environment."""
    try:
        return Settings(**{key: value for key, value in overrides.items() if value is not None})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"bad setting: {problems}") from None


def _fail(message: str, code: int = 1) -> None:
    typer.secho(f"error: {printable(message)}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def friendly(func: F) -> F:
    """Turn newsbot errors into one red line and exit code 1; Ctrl-C into exit code 130."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NewsbotError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            _fail(f"interrupted{INTERRUPT_HINTS.get(func.__name__, '')}", 130)

    return wrapper  # type: ignore[return-value]


def _progress(label: str) -> Any:
    """A progress bar on stderr, shown only on a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def _default_paths() -> list[Path]:
    local = Path("seeds")
    return [local if local.is_dir() else Path(__file__).resolve().parent.parent / "seeds"]


@app.command()
@friendly
def ingest(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files or folders (.txt .md .html .jsonl .json .csv), or http(s) URLs of feeds and article pages; "
            "default seeds/."
        ),
    ] = None,
    store: StoreOpt = None,
    chroma_url: ChromaOpt = None,
    prune: Annotated[bool, typer.Option("--prune", help="Remove articles whose files are gone.")] = False,
    embedder: Annotated[Embedder | None, typer.Option("--embedder", help="fp32 (default) or int8 (faster).")] = None,
    device: Annotated[Device | None, typer.Option("--device", help="cpu, cuda or auto.")] = None,
) -> None:
    """Index articles from files and URLs into the store, adding only what changed."""
    from bot.factory import open_store
    from retrieval.ingest import ingest as run_ingest
    from retrieval.web import is_url

    settings = _settings(store=store, chroma_url=chroma_url, embedder=embedder, device=device)
    targets = paths or [str(p) for p in _default_paths()]
    urls = [t for t in targets if is_url(t)]
    files = [Path(t) for t in targets if not is_url(t)]
    missing = [p for p in files if not p.exists()]
    for path in missing:
        typer.secho(f"error: {printable(path)}: no such file or folder", fg=typer.colors.RED, err=True)
    opened = open_store(settings, create=True)
    failed = bool(missing)
    where = settings.chroma_url or str(settings.store)
    if files or not urls:
        with _progress("embedding") as bar:
            task = bar.add_task("embed", total=None)
            report = run_ingest(
                [p for p in files if p.exists()],
                opened,
                prune=prune,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        failed |= _print_problems(report.errors, report.notes)
        typer.echo(
            f"{counted(report.articles, 'article')} from {counted(report.files, 'file')}: "
            f"{counted(report.added, 'passage')} added, {report.unchanged} unchanged, {report.removed} removed"
            + (f" ({counted(report.pruned_articles, 'article')} pruned)" if report.pruned_articles else "")
            + f" in {report.seconds:.1f}s -> {where}"
        )
    if urls:
        failed |= _ingest_urls(urls, opened, where)
    if failed:
        raise typer.Exit(1)


def _print_problems(errors: list[str], notes: list[str]) -> bool:
    """Print notes (yellow) and errors (red), one line each; True when there were errors."""
    for note in notes:
        typer.secho(f"note: {printable(note)}", fg=typer.colors.YELLOW, err=True)
    for error in errors:
        typer.secho(f"error: {printable(error)}", fg=typer.colors.RED, err=True)
    return bool(errors)


def _ingest_urls(urls: list[str], opened: NewsStore, where: str) -> bool:
    """Fetch and ingest feeds and pages, with progress and a summary line; True when something failed."""
    from retrieval.feeds import ingest_urls
    from retrieval.web import Fetcher

    fetcher = Fetcher()
    try:
        with _progress("fetching / embedding") as bar:
            task = bar.add_task("urls", total=None)
            collected, report = ingest_urls(
                urls,
                opened,
                fetcher,
                fetching=lambda done, total: bar.update(task, completed=done, total=total),
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    finally:
        fetcher.close()
    failed = _print_problems(collected.errors, collected.notes)
    typer.echo(
        f"{counted(len(collected.articles), 'article')} from {counted(collected.pages, 'page')} "
        f"({counted(len(collected.feeds), 'feed')}): {counted(report.added, 'passage')} added, "
        f"{report.unchanged} unchanged, {report.removed} removed in {report.seconds:.1f}s -> {where}"
    )
    return failed


@app.command()
@friendly
def ask(
    question: Annotated[str, typer.Argument(help="The question.")],
    store: StoreOpt = None,
    chroma_url: ChromaOpt = None,
    as_json: JsonOpt = False,
    llm: LlmOpt = None,
    llm_base_url: LlmUrlOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Answer one question."""
    from bot.factory import make_answerer
    from bot.question import clean_question
    from bot.render import answer_text

    if not clean_question(question):
        _fail("empty question: ask something about the articles")
    settings = _settings(store=store, chroma_url=chroma_url, llm=llm, llm_base_url=llm_base_url, as_of=as_of)
    answer = make_answerer(settings).answer(question)
    typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False) if as_json else answer_text(answer))


@app.command()
@friendly
def repl(
    store: StoreOpt = None,
    chroma_url: ChromaOpt = None,
    as_json: JsonOpt = False,
    llm: LlmOpt = None,
    llm_base_url: LlmUrlOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """A conversation: line editing and history on a terminal; one line in, one answer out when piped."""
    from bot.conversation import Conversation
    from bot.factory import make_answerer
    from bot.memory import InProcessMemory
    from bot.repl import Session, run

    settings = _settings(store=store, chroma_url=chroma_url, llm=llm, llm_base_url=llm_base_url, as_of=as_of)
    conversation = Conversation(make_answerer(settings), InProcessMemory(settings.history_turns))
    run(Session(conversation), as_json, Path(settings.store).expanduser().parent / "repl_history")


@app.command()
@friendly
def sources(
    store: StoreOpt = None,
    chroma_url: ChromaOpt = None,
    as_json: JsonOpt = False,
    since: Annotated[str | None, typer.Option("--since", help="Only articles dated on or after DATE.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only articles dated on or before DATE.")] = None,
    grep: Annotated[str | None, typer.Option("--grep", help="Only articles whose title or id contains WORD.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most N articles.")] = None,
) -> None:
    """List the indexed articles, newest first (undated ones last)."""
    from bot.factory import open_store
    from retrieval.catalog import list_articles, parse_day

    try:
        first, last = parse_day(since), parse_day(until)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    opened = open_store(_settings(store=store, chroma_url=chroma_url))
    articles = list_articles(opened, since=first, until=last, grep=grep, limit=limit)
    if as_json:
        rows = [
            {"source": a.id, "title": a.title, "date": a.date, "url": a.url, "passages": len(a.chunk_ids)}
            for a in articles
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for a in articles:
        typer.echo(f"{a.id}  {a.date or '----------'}  {a.title}  ({counted(len(a.chunk_ids), 'passage')})")
    typer.echo(counted(len(articles), "article"))


feeds_app = typer.Typer(no_args_is_help=True, help="The feeds `newsbot watch` polls, kept in the store.")
app.add_typer(feeds_app, name="feeds")


@feeds_app.command("add")
@friendly
def feeds_add(
    url: Annotated[str, typer.Argument(help="The RSS or Atom feed's URL.")],
    store: StoreOpt = None,
    chroma_url: ChromaOpt = None,
) -> None:
    """Subscribe to a feed (checked by reading it once); `newsbot watch` fetches its articles."""
    from bot.factory import open_store
    from retrieval.feeds import FeedList, check_feed
    from retrieval.web import Fetcher, is_url

    if not is_url(url):
        _fail(f"{url}: not an http(s) URL")
    fetcher = Fetcher()
    try:
        items = check_feed(url, fetcher)
    finally:
        fetcher.close()
    added = FeedList(open_store(_settings(store=store, chroma_url=chroma_url), create=True)).add(url)
    verb = "added" if added else "already on the list:"
    typer.echo(f"{verb} {url} ({counted(items, 'item')}); `newsbot watch --once` fetches them")


@feeds_app.command("list")
@friendly
def feeds_list(store: StoreOpt = None, chroma_url: ChromaOpt = None, as_json: JsonOpt = False) -> None:
    """The subscribed feeds, with when each was last polled."""
    from dataclasses import asdict

    from bot.factory import open_store
    from retrieval.feeds import FeedList

    feeds = FeedList(open_store(_settings(store=store, chroma_url=chroma_url))).all()
    if as_json:
        typer.echo(json.dumps([{**asdict(f), "items": len(f.items)} for f in feeds], ensure_ascii=False))
        return
    for f in feeds:
        typer.echo(f"{f.url}  {counted(len(f.items), 'item')}  polled {f.polled or 'never'}")
    typer.echo(counted(len(feeds), "feed"))


@feeds_app.command("remove")
@friendly
def feeds_remove(
    url: Annotated[str, typer.Argument(help="The feed's URL, as listed.")],
    store: StoreOpt = None,
    chroma_url: ChromaOpt = None,
) -> None:
    """Unsubscribe from a feed; its articles stay in the corpus."""
    from bot.factory import open_store
    from retrieval.feeds import FeedList

    if not FeedList(open_store(_settings(store=store, chroma_url=chroma_url))).remove(url):
        _fail(f"{url}: not on the feed list (see `newsbot feeds list`)")
    typer.echo(f"removed {url}; its articles stay in the corpus")


@app.command()
@friendly
def watch(
    store: StoreOpt = None,
    chroma_url: ChromaOpt = None,
    every: Annotated[
        float | None, typer.Option("--every", help="Seconds between polls (NEWSBOT_WATCH_EVERY; default 900).")
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="Poll every feed once and exit.")] = False,
) -> None:
    """Poll the feeds: conditional GET, only new or changed articles fetched and ingested."""
    from bot.factory import open_store
    from retrieval.feeds import FeedList, PollReport, Watcher
    from retrieval.web import Fetcher

    settings = _settings(store=store, chroma_url=chroma_url, watch_every_s=every)
    opened = open_store(settings, create=True)
    if not FeedList(opened).all():
        _fail("no feeds to watch: add one with `newsbot feeds add URL`")

    def show(report: PollReport) -> None:
        _print_problems(report.errors, report.notes)
        typer.echo(report.summary())

    fetcher = Fetcher()
    watcher = Watcher(opened, fetcher, every_s=settings.watch_every_s, on_report=show)
    try:
        if once:
            if watcher.poll_once().errors:
                raise typer.Exit(1)
            return
        typer.echo(f"watching {len(FeedList(opened).all())} feeds every {settings.watch_every_s:g}s; Ctrl-C stops")
        watcher.run()
    finally:
        fetcher.close()


@app.command()
@friendly
def telegram(
    store: StoreOpt = None, chroma_url: ChromaOpt = None, llm: LlmOpt = None, llm_base_url: LlmUrlOpt = None
) -> None:
    """Run the Telegram bot (TELEGRAM_BOT_TOKEN; TELEGRAM_WEBHOOK_URL for webhook mode)."""
    from bot.factory import open_answering
    from bot.telegram.app import check_token, run

    settings = _settings(store=store, chroma_url=chroma_url, llm=llm, llm_base_url=llm_base_url)
    check_token(settings)  # before loading anything: a missing token is the likeliest mistake
    logging.getLogger().setLevel(settings.log_level or "INFO")
    run(settings, *open_answering(settings))


@app.command("eval")
@friendly
def eval_(
    file: Annotated[
        Path,
        typer.Argument(
            help="A dev-set JSONL (seed_dev.jsonl format), SQuAD 1.1/2.0 JSON, or NewsQA JSON with its "
            "NAME-articles.jsonl beside it.",
            exists=True,
        ),
    ],
    store: StoreOpt = None,
    chroma_url: ChromaOpt = None,
    as_json: JsonOpt = False,
    limit: Annotated[int | None, typer.Option("--limit", help="Only the first N questions.")] = None,
    sample: Annotated[int | None, typer.Option("--sample", help="N questions drawn at random.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed for --sample and --phrasing typo.")] = 0,
    phrasing: Annotated[
        str,
        typer.Option(
            "--phrasing",
            help="Ask every question as original, greeting, lower, typo, quick, zero-width or html; "
            "'all' gives one row per variant.",
        ),
    ] = "original",
    llm: LlmOpt = None,
    llm_base_url: LlmUrlOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Measure retrieval and answer quality (hit@k, MRR, containment, abstention, length, latency)."""
    from bot import evaluation
    from bot.factory import make_answerer

    settings = _settings(store=store, chroma_url=chroma_url, llm=llm, llm_base_url=llm_base_url, as_of=as_of)
    data = evaluation.load_questions(file)
    if data.builds_store:
        if store is None and chroma_url is None:
            settings = _settings(store=evaluation.eval_store_dir(file), llm=llm, llm_base_url=llm_base_url, as_of=as_of)
        _ingest_records(data, settings)
    answerer = make_answerer(settings)
    conversations = evaluation.sample(data.conversations, limit, sample, seed)
    variants = list(evaluation.PHRASINGS) if phrasing == "all" else [phrasing]
    for variant in variants:
        evaluation.rephrase("", variant)  # an unknown name fails here, before any question is asked
    reports = {}
    with _progress("evaluating") as bar:
        task = bar.add_task("eval", total=sum(len(c) for c in conversations) * len(variants))
        for variant in variants:
            reports[variant] = evaluation.evaluate(
                answerer,
                evaluation.rephrased(conversations, variant, seed),
                progress=lambda n: bar.advance(task, n),
            )
    if as_json:
        out = reports[phrasing].to_dict() if len(reports) == 1 else {k: r.to_dict() for k, r in reports.items()}
        typer.echo(json.dumps(out, ensure_ascii=False))
    elif len(reports) == 1:
        typer.echo("\n".join(reports[phrasing].summary_lines()))
    else:
        typer.echo("\n".join(evaluation.variant_table(reports)))


def _ingest_records(data: EvalSet, settings: Settings) -> None:
    """Index an eval file's own articles: SQuAD paragraphs or NewsQA stories (incremental: later runs reuse it)."""
    import tempfile

    from bot.factory import open_store
    from retrieval.ingest import ingest as run_ingest

    with tempfile.TemporaryDirectory() as tmp:
        path = data.articles
        if path is None:
            # Beside a local store, the paragraphs keep one path across runs: the store records where each
            # article came from, and a temporary path left behind by a killed run would claim them.
            store = settings.store
            path = Path(tmp) / "p.jsonl" if settings.chroma_url else store.with_name(f"{store.name}.paragraphs.jsonl")
            path.parent.mkdir(parents=True, exist_ok=True)
            text = "".join(json.dumps(r) + "\n" for r in data.records)
            if not path.exists() or path.read_text() != text:  # written whole, then renamed: two evaluations of
                fresh = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # one set at once never read half a file
                fresh.write_text(text)
                fresh.replace(path)
        opened = open_store(settings, create=True)
        if opened.count() == 0:
            typer.echo(f"indexing {path.name} into {settings.chroma_url or settings.store} ...", err=True)
        report = run_ingest([path], opened)
    if report.errors:
        raise NewsbotError(f"could not index the evaluation articles: {report.errors[0]}")


def main() -> None:
    """Console-script entry point."""
    try:
        level = Settings().log_level or DEFAULT_LOG_LEVEL
    except ValidationError:  # reported by the command that reads the settings
        level = DEFAULT_LOG_LEVEL
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "bm25s", "chromadb", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    app()


if __name__ == "__main__":
    main()
