"""The errors newsbot raises, each with a message a person can act on.

Front ends turn a `NewsbotError` into one line (CLI: red, exit code 1; Telegram: a short apology) and keep the
traceback for the log.
"""


class NewsbotError(Exception):
    """Base class: the message is meant for the user, no traceback needed."""


class StoreError(NewsbotError):
    """The store is missing, unreadable, or was built with another embedding model."""


class EmbeddingError(NewsbotError):
    """The embedding model could not be loaded or exported."""


class IngestError(NewsbotError):
    """One input file (or one line of it) could not be ingested."""


class ConfigError(NewsbotError):
    """A setting is missing or malformed."""


class GeneratorError(NewsbotError):
    """An answer generator (an LLM) failed; callers fall back to the extractive answer."""
