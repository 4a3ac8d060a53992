"""The errors of the conversation side: configuration and answer generators.

Retrieval's own errors (store, embeddings, ingest) live in `retrieval/errors.py`; both derive from
`NewsbotError`, whose message is meant for the user. Third-party errors are mapped to these types where they
enter (`bot/llm.py` maps the model client's errors), so nothing downstream guesses from class names or text.
"""

from retrieval.errors import NewsbotError

__all__ = [
    "BotApiUnreachable",
    "ConfigError",
    "GeneratorError",
    "ModelFailed",
    "ModelTimeout",
    "ModelUnreachable",
    "NewsbotError",
    "UncheckedAnswer",
]


class ConfigError(NewsbotError):
    """A setting is missing or malformed."""


class GeneratorError(NewsbotError):
    """An answer generator (an LLM) failed; callers fall back to the extractive answer.

    `reason` completes "The language model (NAME) ..." in the notice users see.
    """

    default_reason = "failed"

    @property
    def reason(self) -> str:
        """What happened, in words for the user's notice."""
        return self.default_reason


class ModelTimeout(GeneratorError):
    """The model did not finish within the answer's deadline."""

    default_reason = "timed out"


class ModelUnreachable(GeneratorError):
    """The model's server could not be reached (connection refused, DNS, TLS)."""

    default_reason = "could not be reached"


class ModelFailed(GeneratorError):
    """The model's server answered with an error, or the in-process model raised."""

    default_reason = "failed"


class UncheckedAnswer(GeneratorError):
    """The model answered, but its answer failed our checks (empty, or citing no given source)."""

    @property
    def reason(self) -> str:
        """Our own check's message, meant for users."""
        return str(self)


class BotApiUnreachable(NewsbotError):
    """The Telegram Bot API could not be reached (network down, wrong TELEGRAM_API_BASE_URL)."""
