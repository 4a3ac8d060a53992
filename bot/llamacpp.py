"""A LangChain chat model over llama-cpp-python, for `--llm llamacpp:/path/model.gguf`.

Written here rather than taken from langchain-community, which would add a large dependency tree for one
class; it does what newsbot needs (chat completion, streaming) through llama-cpp-python's own chat templates.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from bot.errors import ConfigError

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


class LlamaCppChat(BaseChatModel):
    """A local GGUF model run in-process."""

    model_path: str
    max_tokens: int = 400
    temperature: float = 0.1
    n_ctx: int = 8192
    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def load(self) -> None:
        """Load the model now (`ConfigError` when the file is missing or not a GGUF model)."""
        self._model()

    def _model(self) -> Any:
        if self._llama is None:
            if not Path(self.model_path).is_file():
                raise ConfigError(f"llamacpp: no model file at {self.model_path}")
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise ConfigError("llamacpp: needs llama-cpp-python: pip install -e '.[llm]'") from exc
            try:
                self._llama = Llama(model_path=self.model_path, n_ctx=self.n_ctx, verbose=False)
            except (ValueError, OSError) as exc:
                raise ConfigError(f"llamacpp: cannot load {self.model_path}: {exc}") from exc
        return self._llama

    def _request(self, messages: list[BaseMessage], stream: bool) -> Any:
        payload = [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages]
        return self._model().create_chat_completion(
            messages=payload, max_tokens=self.max_tokens, temperature=self.temperature, stream=stream
        )

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with self._lock:  # one llama.cpp context: one generation at a time
            result = self._request(messages, stream=False)
        text = result["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            for part in self._request(messages, stream=True):
                token = part["choices"][0].get("delta", {}).get("content") or ""
                if token:
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=token))
                    if run_manager:
                        run_manager.on_llm_new_token(token, chunk=chunk)
                    yield chunk
