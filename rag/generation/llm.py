"""Chat backends behind one small interface: `stream(messages, max_tokens) -> tokens`.

- llama-cpp: a local GGUF through llama-cpp-python; the chat template is the one
  stored in the GGUF (llama.cpp applies it), so no hand-written prompt format.
- openai: any OpenAI-compatible server (vLLM, llama.cpp server, LM Studio, …).
- ollama: Ollama through its OpenAI-compatible endpoint.
- fake: a deterministic stand-in for fast tests.

One generation runs at a time per backend (a lock): llama.cpp contexts are not
thread-safe, and two generations on two cores would each crawl.
"""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..settings import Settings
from ..types import RagError

Messages = list[dict[str, str]]


class ChatBackend:
    name = "base"

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.truncated = False  # set when the last generation hit the time limit

    @property
    def fingerprint(self) -> str:
        return self.name

    def _stream(self, messages: Messages, max_tokens: int, temperature: float) -> Iterator[str]:
        raise NotImplementedError

    def stream(self, messages: Messages, max_tokens: int = 256, temperature: float = 0.0, timeout_s: float | None = None) -> Iterator[str]:
        """Yield text pieces; stops at `timeout_s` and sets `self.truncated`."""
        with self.lock:
            self.truncated = False
            deadline = time.monotonic() + timeout_s if timeout_s else None
            gen = self._stream(messages, max_tokens, temperature)
            try:
                for piece in gen:
                    if piece:
                        yield piece
                    if deadline and time.monotonic() > deadline:
                        self.truncated = True
                        break
            finally:
                close = getattr(gen, "close", None)
                if close:
                    close()

    def complete(self, messages: Messages, max_tokens: int = 256, temperature: float = 0.0, timeout_s: float | None = None) -> str:
        return "".join(self.stream(messages, max_tokens, temperature, timeout_s))


class LlamaCppBackend(ChatBackend):
    name = "llama-cpp"

    def __init__(self, model_path: Path, n_ctx: int = 4096, n_threads: int = 2, prompt_lookup: int = 0) -> None:
        super().__init__()
        if not model_path.exists():
            raise RagError(f"LLM file not found: {model_path} (run `make setup`, or set llm_model to a GGUF file)")
        try:
            from llama_cpp import Llama
        except ImportError:
            raise RagError("llama-cpp-python is not installed (run `make setup`)") from None
        draft = None
        if prompt_lookup:
            # prompt-lookup decoding: answers copy words from the passages, so n-grams of the
            # prompt are proposed as the next tokens and checked in one batch
            from llama_cpp.llama_speculative import LlamaPromptLookupDecoding

            draft = LlamaPromptLookupDecoding(num_pred_tokens=prompt_lookup)
        try:
            self.llm = Llama(model_path=str(model_path), n_ctx=n_ctx, n_threads=n_threads, n_threads_batch=n_threads, seed=0,
                             verbose=False, draft_model=draft)
        except (ValueError, RuntimeError) as e:
            raise RagError(f"cannot load the LLM from {model_path}: {e}") from None
        self.model_path = model_path

    @property
    def fingerprint(self) -> str:
        st = self.model_path.stat()
        return f"llama-cpp:{self.model_path.name}:{st.st_size}"

    def _stream(self, messages, max_tokens, temperature):
        for chunk in self.llm.create_chat_completion(messages=messages, max_tokens=max_tokens, temperature=temperature, stream=True):
            yield chunk["choices"][0]["delta"].get("content") or ""


class OpenAICompatBackend(ChatBackend):
    name = "openai"

    def __init__(self, model: str, base_url: str, api_key: str = "") -> None:
        super().__init__()
        try:
            from openai import OpenAI
        except ImportError:
            raise RagError("the openai package is not installed (pip install openai)") from None
        if not base_url:
            raise RagError("llm_base_url is required for the openai backend (e.g. http://localhost:8000/v1)")
        self.client = OpenAI(base_url=base_url, api_key=api_key or "none", timeout=120, max_retries=1)
        self.model = model

    @property
    def fingerprint(self) -> str:
        return f"{self.name}:{self.model}@{self.client.base_url}"

    def _stream(self, messages, max_tokens, temperature):
        import openai

        try:
            resp = self.client.chat.completions.create(
                model=self.model, messages=messages, max_tokens=max_tokens, temperature=temperature, stream=True
            )
            for chunk in resp:
                if chunk.choices:
                    yield chunk.choices[0].delta.content or ""
        except openai.APIConnectionError:
            raise RagError(f"cannot reach the LLM server at {self.client.base_url}") from None
        except openai.APIStatusError as e:
            raise RagError(f"the LLM server answered {e.status_code}: {e.message}") from None


class FakeLLM(ChatBackend):
    """Scripted answers for tests: a list (used in turn), a callable, or the default.

    The default answers with the first sentence of passage [1] of the prompt, cited,
    so a pipeline test sees a grounded answer without a real model.
    """

    name = "fake"

    def __init__(self, responses: list[str] | Callable[[Messages], str] | None = None, delay_s: float = 0.0) -> None:
        super().__init__()
        self.responses = responses
        self.delay_s = delay_s
        self.calls: list[Messages] = []

    def _respond(self, messages: Messages) -> str:
        if callable(self.responses):
            return self.responses(messages)
        if isinstance(self.responses, list) and self.responses:
            return self.responses.pop(0)
        prompt = messages[-1]["content"]
        if "<passage id=" not in prompt:  # e.g. the follow-up rewriting prompt
            m = re.search(r"Folgefrage:\s*(.+)|Follow-up question:\s*(.+)", prompt)
            return (m.group(1) or m.group(2)).strip() if m else ""
        m = re.search(r'<passage id="1"[^>]*>\s*(.+?[.!?])(\s|<)', prompt, re.S)
        return f"{m.group(1).strip()} [1]" if m else ""

    def _stream(self, messages, max_tokens, temperature):
        self.calls.append(messages)
        text = self._respond(messages)
        for piece in re.findall(r"\S+\s*", text):
            if self.delay_s:
                time.sleep(self.delay_s)
            yield piece


def make_backend(settings: Settings) -> ChatBackend:
    kind = settings.llm_backend
    if kind == "llama-cpp":
        return LlamaCppBackend(settings.llm_model_path, settings.llm_context, settings.llm_threads, settings.llm_prompt_lookup)
    if kind == "openai":
        return OpenAICompatBackend(settings.llm_model, settings.llm_base_url, settings.llm_api_key)
    if kind == "ollama":
        backend = OpenAICompatBackend(settings.llm_model, settings.llm_base_url or "http://localhost:11434/v1", settings.llm_api_key or "ollama")
        backend.name = "ollama"
        return backend
    if kind == "fake":
        return FakeLLM()
    raise RagError(f"unknown llm_backend {kind!r} (use llama-cpp, openai, ollama or fake)")
