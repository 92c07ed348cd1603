"""Sentences in an article that address an AI assistant rather than a reader ("ignore all
previous instructions", chat-template tokens): they are masked in what the model reads
(the article itself is unchanged) and never quoted or taken as support. The phrases are
each language's (rag/language/); the chat-template tokens are the same in every language."""
from __future__ import annotations

import re
from functools import lru_cache

from index.chunking import split_sentences

from ..language import languages, lexicon

_TEMPLATE_TOKENS = r"<\|im_start\|>|\[/?inst\]|^\s*(?:system|assistant)\s*:"


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    phrases = "|".join(f"(?:{lexicon(code).injection})" for code in languages())
    return re.compile(rf"(?:{phrases}|{_TEMPLATE_TOKENS})", re.I | re.M)


def is_injection(sentence: str) -> bool:
    return bool(_pattern().search(sentence))


def mask_injections(text: str) -> str:
    """`text` with every sentence that addresses an assistant replaced by "[…]"."""
    spans = [s for s in split_sentences(text) if is_injection(text[s.start : s.end])]
    for s in reversed(spans):
        text = text[: s.start] + "[…]" + text[s.end :]
    return text
