"""Optional LLM answer generators, with citations checked against the sources the model was given.

The chain is LCEL: prompt (system rules + numbered, delimited sources) | chat model | text, then `verify`.
Any LangChain chat model works: `PROVIDER:MODEL` goes through `init_chat_model` (OpenAI and any
OpenAI-compatible server via a base URL, Ollama, and every provider whose LangChain package is installed), and
`llamacpp:/path/model.gguf` runs a GGUF in-process with llama-cpp-python.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate, PromptTemplate
from langchain_core.runnables import Runnable

from bot.answer import Answer, Turn
from bot.claims import MARKER, ClaimChecker, Embed, check, gives, split_claims
from bot.config import DEFAULT_LLM_MAX_TOKENS, DEFAULT_LLM_TEMPERATURE, DEFAULT_LLM_TIMEOUT_S
from bot.errors import ConfigError, GeneratorError, ModelFailed, ModelTimeout, ModelUnreachable, UncheckedAnswer
from bot.extractive import expected_type
from prompts import load

logger = logging.getLogger(__name__)

_MARKER = MARKER  # the citation markers `[1]`, `[1, 2]`
_DONT_KNOW = re.compile(r"^\W*(i\s+don'?t\s+know|i\s+do\s+not\s+know|the sources do not)", re.I)
_PROVIDER_PACKAGES = {
    "openai": "langchain-openai",
    "ollama": "langchain-ollama",
    "anthropic": "langchain-anthropic",
    "google_genai": "langchain-google-genai",
    "mistralai": "langchain-mistralai",
    "groq": "langchain-groq",
}


def make_chat_model(
    spec: str,
    *,
    base_url: str | None = None,
    timeout_s: float = DEFAULT_LLM_TIMEOUT_S,
    max_tokens: int = DEFAULT_LLM_MAX_TOKENS,
    temperature: float = DEFAULT_LLM_TEMPERATURE,
) -> BaseChatModel:
    """A chat model from a `PROVIDER:MODEL` spec; a missing provider package is a `ConfigError` naming it."""
    provider, _, model = spec.partition(":")
    if not provider or not model:
        raise ConfigError(f"--llm must look like PROVIDER:MODEL (openai:gpt-4o-mini, llamacpp:/m.gguf), not {spec!r}")
    if provider == "llamacpp":
        from bot.llamacpp import LlamaCppChat

        chat = LlamaCppChat(model_path=model, max_tokens=max_tokens, temperature=temperature)
        chat.load()  # at start-up: loading must not eat the first question's deadline, and a bad path fails now
        return chat
    from langchain.chat_models import init_chat_model

    kwargs: dict[str, Any] = {
        "temperature": temperature,
        "max_tokens": max_tokens,
        "timeout": timeout_s,
        "max_retries": 0,
    }
    if provider == "openai":
        # langchain-openai's own 120 s limit on silence between streamed chunks would cut a slow first token
        # short of the answer's deadline; the answer's one deadline is the only clock.
        kwargs["stream_chunk_timeout"] = timeout_s
    if base_url:
        kwargs["base_url"] = base_url
        if provider == "openai":
            # langchain-openai sends only `max_completion_tokens`; llama.cpp's and other OpenAI-compatible
            # servers read `max_tokens`, and without it generate until their context is full.
            kwargs["extra_body"] = {"max_tokens": max_tokens}
            if not os.environ.get("OPENAI_API_KEY"):
                kwargs["api_key"] = "not-needed"  # local servers ignore the key
    try:
        return init_chat_model(model, model_provider=provider, **kwargs)
    except ImportError as exc:
        package = _PROVIDER_PACKAGES.get(provider, f"langchain-{provider.replace('_', '-')}")
        raise ConfigError(f"the {provider!r} provider needs its LangChain package: pip install {package}") from exc
    except ValueError as exc:
        raise ConfigError(f"--llm {spec}: {exc}") from exc


def format_sources(passages: list[Document]) -> str:
    """Numbered sources between `<source n="N">` and `</source>` lines, the text as written (not HTML-escaped).

    Article text cannot forge the delimiters or a citation: inside it, anything that would open or close a
    source tag loses its angle bracket, and `[1]`-style markers become `(1)`; line breaks in titles go.
    """
    blocks = []
    for n, passage in enumerate(passages, start=1):
        meta = passage.metadata
        title = " ".join(_neutral(str(meta.get("title") or meta.get("article_id"))).split())
        date = " ".join(_neutral(str(meta.get("date") or "unknown")).split())
        blocks.append(f'<source n="{n}">\nTitle: {title}\nDate: {date}\n\n{_neutral(passage.page_content)}\n</source>')
    return "\n\n".join(blocks)


_TAG = re.compile(r"<(\s*/?\s*source)", re.I)


def _neutral(text: str) -> str:
    """Article text that can neither open nor close a source block, nor carry a citation marker."""
    return _MARKER.sub(lambda m: f"({m.group(1)})", _TAG.sub(r"\1", text))


def format_history(history: list[Turn]) -> str:
    """The conversation so far as plain lines, for the condense prompt."""
    return "\n".join(f"User: {t.question}\nAssistant: {_MARKER.sub('', t.answer.answer).strip()}" for t in history)


class LLMGenerator:
    """Writes fluent answers with a chat model; `verify` keeps only the claims its sources support.

    Streaming is LangChain's async stream (`astream`): the caller bounds it with the answer's deadline
    (`asyncio.timeout_at`), and cancelling it closes the request, so no thread bridge is needed. The model
    client's errors are mapped to `bot.errors` types here, where they enter.

    Args:
        model: any LangChain chat model.
        name: what answers report as their `generator`, e.g. "openai:gpt-4o-mini".
        timeout_s: the most a whole answer may take, from the question to the last token.
    """

    def __init__(self, model: BaseChatModel, name: str, timeout_s: float = DEFAULT_LLM_TIMEOUT_S) -> None:
        self.name = name
        self.model = model
        self.timeout_s = timeout_s
        prompt = ChatPromptTemplate.from_messages([("system", load("system")), ("human", load("answer"))])
        self.chain: Runnable = prompt | model | StrOutputParser()
        self.condense_chain: Runnable = PromptTemplate.from_template(load("condense")) | model | StrOutputParser()

    async def acondense(self, question: str, history: list[Turn]) -> str:
        """The follow-up `question` rewritten to stand alone."""
        with map_model_errors():
            rewritten = await self.condense_chain.ainvoke({"history": format_history(history), "question": question})
        rewritten = " ".join(str(rewritten).split())[:500]
        if not rewritten:
            raise UncheckedAnswer("the model returned an empty rewrite")
        return rewritten

    async def astream_text(self, question: str, passages: list[Document]) -> AsyncIterator[str]:
        """The model's answer as it is written."""
        with map_model_errors():
            async for chunk in self.chain.astream({"sources": format_sources(passages), "question": question}):
                yield str(chunk)

    def verify(self, question: str, text: str, passages: list[Document], embed: Embed | None = None) -> Answer:
        """The model's finished `text` as an answer whose every claim is supported by its citation (see `verify`)."""
        return verify(question, text, passages, self.name, embed)


@contextlib.contextmanager
def map_model_errors() -> Iterator[None]:
    """Turn the model client's exceptions into `bot.errors` types, by type (httpx's `map_httpcore_exceptions`).

    OpenAI-compatible clients (openai, on httpx) and Ollama's (httpx) raise their own types; an in-process model
    raises whatever llama.cpp raises. Our own `GeneratorError`s pass through.
    """
    try:
        yield
    except GeneratorError:
        raise
    except Exception as exc:
        raise _mapped(exc) from exc


def _mapped(exc: Exception) -> GeneratorError:
    import httpx

    timeouts: tuple[type[BaseException], ...] = (TimeoutError, httpx.TimeoutException)
    unreachable: tuple[type[BaseException], ...] = (ConnectionError, httpx.ConnectError, httpx.NetworkError)
    try:
        import openai

        timeouts += (openai.APITimeoutError,)
        unreachable += (openai.APIConnectionError,)
    except ImportError:  # the openai client is only there with the llm extra
        pass
    if isinstance(exc, timeouts):
        return ModelTimeout(f"the model timed out: {type(exc).__name__}")
    if isinstance(exc, unreachable):
        return ModelUnreachable(f"the model could not be reached: {type(exc).__name__}")
    return ModelFailed(f"the model failed: {type(exc).__name__}")


def verify(question: str, text: str, passages: list[Document], generator: str, embed: Embed | None = None) -> Answer:
    """Check the model's answer claim by claim against the `passages` it was given (`bot.claims`).

    A model's `[n]` is only a hint: each claim, cited or not, keeps the citations of sources that support it, is
    re-attached to a given source that does, or is dropped (the answer's `notice` says so); citations are
    renumbered 1.. in order of use, one per article, each quoting its evidence. An answer none of whose claims is
    supported, or that does not give what was asked (a number for "how many"), is not shown (`UncheckedAnswer`):
    the caller falls back to the quoted extractive answer. "I don't know" is an abstention.
    """
    text = text.strip()
    logger.info("model answer %r", text)
    if not any(ch.isalnum() for ch in text):
        raise UncheckedAnswer("returned an empty answer")
    if _DONT_KNOW.match(text):
        return Answer.abstention(question, generator, passages)
    claims, cited_any = split_claims(text, len(passages))
    checked = check(claims, ClaimChecker(passages, embed, question))
    if not checked.citations and not cited_any:
        raise UncheckedAnswer("answered without citing any of the sources it was given, so its answer is not shown")
    if not checked.citations:
        raise UncheckedAnswer("made claims that none of its sources support, so its answer is not shown")
    kind = expected_type(question)
    if kind and not gives(checked.text, kind, question):
        raise UncheckedAnswer(f"did not give the {kind} the question asks for, so its answer is not shown")
    logger.info(
        "kept as %r; citations %s; dropped %s",
        checked.text,
        [(c.n, c.source, c.quote) for c in checked.citations],
        checked.dropped,
    )
    notice = None
    if checked.dropped:
        notice = (
            f"The language model ({generator}) made {len(checked.dropped)} claim(s) that its sources do not support; "
            "they were left out."
        )
    return Answer(
        question=question,
        answer=checked.text,
        generator=generator,
        citations=checked.citations,
        passages=passages,
        notice=notice,
    )
