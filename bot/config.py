"""All configuration in one place: `NEWSBOT_*` and `TELEGRAM_*` variables and an optional `.env`."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from retrieval.embeddings import default_cache_dir


def default_store() -> Path:
    """`$XDG_DATA_HOME/newsbot/store`, i.e. `~/.local/share/newsbot/store` on most systems."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "newsbot" / "store"


DEFAULT_LLM_TIMEOUT_S = 30.0
DEFAULT_LLM_MAX_TOKENS = 400
DEFAULT_LLM_TEMPERATURE = 0.1
DEFAULT_RATE_LIMIT_PER_MINUTE = 20
DEFAULT_HISTORY_TURNS = 6
DEFAULT_HISTORY_MAX_AGE_S = 6 * 3600
DEFAULT_LOG_LEVEL = "WARNING"  # the CLI is quiet; `newsbot telegram` logs at INFO unless told otherwise
DEFAULT_WATCH_EVERY_S = 15 * 60  # how often `newsbot watch` and the Telegram bot poll the feeds

Embedder = Literal["fp32", "int8"]
Device = Literal["cpu", "cuda", "auto"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
AnswerSelector = Literal["rules", "learned", "crossencoder", "reader"]
LLMContext = Literal["sentences", "passages"]  # what an LLM reads (bot/core.py)


class Settings(BaseSettings):
    """Settings read from the environment and `.env`; command-line options override them.

    Build with `Settings(**overrides)`: keyword overrides (by field name) win over the environment, and every
    value is validated, so a bad `--embedder` or `NEWSBOT_DEVICE` is one clear error.
    """

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True, validate_default=True
    )

    store: Path = Field(default_factory=default_store, validation_alias="NEWSBOT_STORE")
    chroma_url: str | None = Field(default=None, validation_alias="NEWSBOT_CHROMA_URL")
    embedder: Embedder = Field(default="fp32", validation_alias="NEWSBOT_EMBEDDER")
    device: Device = Field(default="cpu", validation_alias="NEWSBOT_DEVICE")
    selector: AnswerSelector = Field(default="rules", validation_alias="NEWSBOT_SELECTOR")
    cache_dir: Path = Field(default_factory=default_cache_dir, validation_alias="NEWSBOT_CACHE_DIR")
    log_level: LogLevel | None = Field(default=None, validation_alias="NEWSBOT_LOG_LEVEL")
    llm: str | None = Field(default=None, validation_alias="NEWSBOT_LLM")
    llm_base_url: str | None = Field(default=None, validation_alias="NEWSBOT_LLM_BASE_URL")
    llm_timeout_s: float = Field(default=DEFAULT_LLM_TIMEOUT_S, validation_alias="NEWSBOT_LLM_TIMEOUT")
    llm_max_tokens: int = Field(default=DEFAULT_LLM_MAX_TOKENS, validation_alias="NEWSBOT_LLM_MAX_TOKENS")
    llm_temperature: float = Field(default=DEFAULT_LLM_TEMPERATURE, validation_alias="NEWSBOT_LLM_TEMPERATURE")
    llm_context: LLMContext = Field(default="passages", validation_alias="NEWSBOT_LLM_CONTEXT")

    telegram_bot_token: SecretStr | None = Field(default=None, validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str | None = Field(default=None, validation_alias="TELEGRAM_API_BASE_URL")
    telegram_allowed_users: str = Field(default="", validation_alias="TELEGRAM_ALLOWED_USERS")
    telegram_admins: str = Field(default="", validation_alias="TELEGRAM_ADMINS")
    telegram_webhook_url: str | None = Field(default=None, validation_alias="TELEGRAM_WEBHOOK_URL")
    telegram_webhook_listen: str = Field(default="127.0.0.1", validation_alias="TELEGRAM_WEBHOOK_LISTEN")
    telegram_webhook_port: int = Field(default=8443, validation_alias="TELEGRAM_WEBHOOK_PORT")
    telegram_webhook_secret: SecretStr | None = Field(default=None, validation_alias="TELEGRAM_WEBHOOK_SECRET")
    telegram_rate_limit: int = Field(default=DEFAULT_RATE_LIMIT_PER_MINUTE, validation_alias="TELEGRAM_RATE_LIMIT")
    history_turns: int = Field(default=DEFAULT_HISTORY_TURNS, validation_alias="NEWSBOT_HISTORY_TURNS")
    history_max_age_s: int = Field(default=DEFAULT_HISTORY_MAX_AGE_S, validation_alias="NEWSBOT_HISTORY_MAX_AGE")
    as_of: dt.date | None = Field(default=None, validation_alias="NEWSBOT_AS_OF")  # "today" for relative dates
    watch_every_s: float = Field(default=DEFAULT_WATCH_EVERY_S, gt=0, validation_alias="NEWSBOT_WATCH_EVERY")
