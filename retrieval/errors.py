"""The errors retrieval raises, each with a message a person can act on.

Front ends turn a `NewsbotError` into one line (CLI: red, exit code 1; Telegram: a short apology) and keep the
traceback for the log. The conversation side's errors (configuration, answer generators) are in `bot/errors.py`.
"""


class NewsbotError(Exception):
    """Base class: the message is meant for the user, no traceback needed."""


class StoreError(NewsbotError):
    """The store is missing, unreadable, or was built with another embedding model."""


class EmbeddingError(NewsbotError):
    """The embedding model could not be loaded or exported."""


class IngestError(NewsbotError):
    """One input file (or one line of it) could not be ingested."""
