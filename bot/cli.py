"""The `newsbot` command: ingest, ask, repl, sources, telegram, eval."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from bot.config import Settings
from retrieval.errors import NewsbotError

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
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output (one JSON object per answer).")]
F = TypeVar("F", bound=Callable[..., Any])


def _settings(store: Path | None, chroma_url: str | None = None, **overrides: Any) -> Settings:
    settings = Settings()
    if store is not None:
        settings.store = store
    if chroma_url is not None:
        settings.chroma_url = chroma_url
    for key, value in overrides.items():
        if value is not None:
            setattr(settings, key, value)
    return settings


def _fail(message: str, code: int = 1) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
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
            _fail("interrupted; run the same command again to finish", 130)

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
        list[Path] | None, typer.Argument(help="Files or folders (.txt .md .html .jsonl); default seeds/.")
    ] = None,
    store: StoreOpt = None,
    chroma_url: ChromaOpt = None,
    prune: Annotated[bool, typer.Option("--prune", help="Remove articles whose files are gone.")] = False,
    embedder: Annotated[str | None, typer.Option("--embedder", help="fp32 (default) or int8 (faster).")] = None,
    device: Annotated[str | None, typer.Option("--device", help="cpu, cuda or auto.")] = None,
) -> None:
    """Index articles into the store, adding only what changed."""
    from bot.factory import open_store
    from retrieval.ingest import ingest as run_ingest

    settings = _settings(store, chroma_url, embedder=embedder, device=device)
    targets = paths or _default_paths()
    missing = [p for p in targets if not p.exists()]
    for path in missing:
        typer.secho(f"error: {path}: no such file or folder", fg=typer.colors.RED, err=True)
    opened = open_store(settings, create=True)
    with _progress("embedding") as bar:
        task = bar.add_task("embed", total=None)
        report = run_ingest(
            [p for p in targets if p.exists()],
            opened,
            prune=prune,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    for note in report.notes:
        typer.secho(f"note: {note}", fg=typer.colors.YELLOW, err=True)
    for error in report.errors:
        typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
    where = settings.chroma_url or str(settings.store)
    typer.echo(
        f"{report.articles} articles from {report.files} files: {report.added} passages added, "
        f"{report.unchanged} unchanged, {report.removed} removed"
        + (f" ({report.pruned_articles} articles pruned)" if report.pruned_articles else "")
        + f" in {report.seconds:.1f}s -> {where}"
    )
    if report.errors or missing:
        raise typer.Exit(1)


@app.command()
@friendly
def ask(
    question: Annotated[str, typer.Argument(help="The question.")],
    store: StoreOpt = None,
    chroma_url: ChromaOpt = None,
    as_json: JsonOpt = False,
    llm: LlmOpt = None,
    llm_base_url: LlmUrlOpt = None,
) -> None:
    """Answer one question."""
    from bot.factory import make_answerer
    from bot.render import answer_text

    if not question.strip():
        _fail("empty question: ask something about the articles")
    answer = make_answerer(_settings(store, chroma_url, llm=llm, llm_base_url=llm_base_url)).answer(question)
    typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False) if as_json else answer_text(answer))


@app.command()
@friendly
def repl(
    store: StoreOpt = None,
    chroma_url: ChromaOpt = None,
    as_json: JsonOpt = False,
    llm: LlmOpt = None,
    llm_base_url: LlmUrlOpt = None,
) -> None:
    """A conversation: line editing and history on a terminal; one line in, one answer out when piped."""
    from bot.factory import make_answerer
    from bot.repl import Session, run

    settings = _settings(store, chroma_url, llm=llm, llm_base_url=llm_base_url)
    run(Session(make_answerer(settings)), as_json, Path(settings.store).expanduser().parent / "repl_history")


@app.command()
@friendly
def sources(store: StoreOpt = None, chroma_url: ChromaOpt = None, as_json: JsonOpt = False) -> None:
    """List the indexed articles."""
    from bot.factory import open_store

    articles = sorted(open_store(_settings(store, chroma_url)).articles().values(), key=lambda a: a.id)
    if as_json:
        rows = [
            {"source": a.id, "title": a.title, "date": a.date, "url": a.url, "passages": len(a.chunk_ids)}
            for a in articles
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for a in articles:
        typer.echo(f"{a.id}  {a.date or '----------'}  {a.title}  ({len(a.chunk_ids)} passages)")
    typer.echo(f"{len(articles)} articles")


@app.command()
@friendly
def telegram(
    store: StoreOpt = None, chroma_url: ChromaOpt = None, llm: LlmOpt = None, llm_base_url: LlmUrlOpt = None
) -> None:
    """Run the Telegram bot (TELEGRAM_BOT_TOKEN; TELEGRAM_WEBHOOK_URL for webhook mode)."""
    from bot.factory import make_answerer
    from bot.telegram.app import check_token, run

    settings = _settings(store, chroma_url, llm=llm, llm_base_url=llm_base_url)
    check_token(settings)  # before loading anything: a missing token is the likeliest mistake
    logging.getLogger().setLevel(os.environ.get("NEWSBOT_LOG_LEVEL", "INFO").upper())
    run(settings, make_answerer(settings))


@app.command("eval")
@friendly
def eval_(
    file: Annotated[Path, typer.Argument(help="A dev-set JSONL (seed_dev.jsonl format) or SQuAD JSON.", exists=True)],
    store: StoreOpt = None,
    chroma_url: ChromaOpt = None,
    as_json: JsonOpt = False,
    limit: Annotated[int | None, typer.Option("--limit", help="Only the first N questions.")] = None,
    sample: Annotated[int | None, typer.Option("--sample", help="N questions drawn at random.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed for --sample.")] = 0,
) -> None:
    """Measure retrieval and answer quality (hit@k, MRR, containment, abstention, length, latency)."""
    from bot.evaluation import evaluate, is_squad, load_devset
    from bot.evaluation import sample as pick
    from bot.factory import make_answerer

    settings = _settings(store, chroma_url)
    if is_squad(file):
        from bot.evaluation import squad_items, squad_store_dir

        if store is None and chroma_url is None:
            settings.store = squad_store_dir(file)
        conversations, records = squad_items(file)
        _ingest_records(records, settings)
    else:
        conversations = load_devset(file)
    answerer = make_answerer(settings)
    conversations = pick(conversations, limit, sample, seed)
    total = sum(len(c) for c in conversations)
    with _progress("evaluating") as bar:
        task = bar.add_task("eval", total=total)
        report = evaluate(answerer, conversations, progress=lambda n: bar.advance(task, n))
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    for line in report.summary_lines():
        typer.echo(line)


def _ingest_records(records: list[dict[str, str]], settings: Settings) -> None:
    """Ingest SQuAD paragraphs as JSONL articles (incremental: a second eval run reuses the store)."""
    import tempfile

    from bot.factory import open_store
    from retrieval.ingest import ingest as run_ingest

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "paragraphs.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records))
        opened = open_store(settings, create=True)
        if opened.count() == 0:
            typer.echo(f"indexing {len(records)} paragraphs into {settings.chroma_url or settings.store} ...", err=True)
        report = run_ingest([path], opened)
    if report.errors:
        raise NewsbotError(f"could not index the SQuAD paragraphs: {report.errors[0]}")


def main() -> None:
    """Console-script entry point."""
    logging.basicConfig(
        level=os.environ.get("NEWSBOT_LOG_LEVEL", "WARNING").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "bm25s", "chromadb", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    app()


if __name__ == "__main__":
    main()
