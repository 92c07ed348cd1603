"""The library API: `from rag import ask`.

Models and the index load once per process, on the first call (or `get_assistant()`).
"""
from __future__ import annotations

import threading

from .settings import Settings, load_settings
from .types import Answer

_lock = threading.Lock()
_assistant = None


def get_assistant(settings: Settings | None = None, **overrides):
    """The process-wide Assistant, built on first use (models prepared if missing; the index must exist)."""
    global _assistant
    with _lock:
        if _assistant is None or settings is not None or overrides:
            from .model_files import ensure_models
            from .pipeline import Assistant

            s = settings or load_settings(**overrides)
            ensure_models(s)
            _assistant = Assistant(s)
        return _assistant


def ask(question: str, history: list[dict] | None = None, top_k: int | None = None) -> Answer:
    """Answer `question` from the articles; `history` is a list of {"role", "content"} dicts."""
    return get_assistant().ask(question, history=history, top_k=top_k)


def stream(question: str, history: list[dict] | None = None, top_k: int | None = None):
    return get_assistant().stream(question, history=history, top_k=top_k)
