"""Grounded, cited question answering over news articles."""
from .api import ask, get_assistant, stream
from .types import Answer, Check, Citation, Passage, RagError

__all__ = ["ask", "stream", "get_assistant", "Answer", "Citation", "Passage", "Check", "RagError"]
