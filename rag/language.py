"""Which language a text is in (German or English), with lingua.

lingua is built for short texts, which questions are; it is restricted to the
two languages the product serves, and anything else is answered in English.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.GERMAN, Language.ENGLISH).with_preloaded_language_models().build()


def detect_language(text: str, default: str = "de") -> str:
    from lingua import Language

    text = text.strip()
    if not any(ch.isalpha() for ch in text):
        return default
    lang = _detector().detect_language_of(text)
    if lang is None:
        return default
    return "de" if lang == Language.GERMAN else "en"


def language_share(text: str, language: str) -> float:
    """Confidence (0..1) that `text` is in `language`."""
    from lingua import Language

    target = Language.GERMAN if language == "de" else Language.ENGLISH
    if not text.strip():
        return 0.0
    return _detector().compute_language_confidence(text, target)
