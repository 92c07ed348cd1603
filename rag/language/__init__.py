"""Languages: which one a text is in (lingua), and each language's words as data.

`lexicon("de")` / `lexicon("en")` returns the compiled `Lexicon` of rag/language/de.py or
en.py: stop words, question words, verbs of saying, refusal phrases, month names, units.
Any other code falls back to English. Code elsewhere asks the lexicon of the question's
or the passage's language; it never spells a word list of its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

from . import de, en

MODULES: dict[str, ModuleType] = {"de": de, "en": en}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _rx(alternation: str, anchored: bool = False) -> re.Pattern:
    body = rf"(?:{alternation})"
    return re.compile(rf"^\W*{body}\b" if anchored else rf"\b{body}\b", re.I)


@dataclass(frozen=True)
class Lexicon:
    code: str
    name: str
    stemmer: str
    segmenter: str
    stop_words: frozenset[str]
    negations: frozenset[str]
    determiners: frozenset[str]
    asks_who: re.Pattern
    asks_when: re.Pattern
    asks_where: re.Pattern
    asks_how_many: re.Pattern
    asks_share: re.Pattern
    asks_why: re.Pattern
    asks_which: re.Pattern
    yes_no_start: re.Pattern
    asks_said: re.Pattern
    asks_comparison: re.Pattern
    asks_across: re.Pattern
    attribution: re.Pattern
    saying: re.Pattern
    refusal: re.Pattern
    months: tuple[str, ...]
    at_time: str
    since_time: str
    number_words: frozenset[str]
    scales: dict[str, float]
    compound_numbers: frozenset[str]
    units: frozenset[str]
    share: re.Pattern
    number_of: re.Pattern
    corpus_nouns: frozenset[str]
    pointer: re.Pattern
    pointer_nouns: str
    pointer_words: str
    marker_prepositions: frozenset[str]
    marker_end_prepositions: str
    reported_in: frozenset[str]
    plural_source_nouns: frozenset[str]
    about_passages: re.Pattern
    headless: re.Pattern
    yes: re.Pattern
    injection: str
    kind_labels: dict[str, str]
    attribution_prefix: str
    compare_head: str
    figures_head: str


def _build(m: ModuleType) -> Lexicon:
    from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_GERMAN  # bm25s: already the BM25 dependency

    base = {"de": STOPWORDS_GERMAN, "en": STOPWORDS_EN_PLUS}.get(m.CODE, ())
    negations = _words(m.NEGATIONS)
    return Lexicon(
        code=m.CODE, name=m.NAME, stemmer=m.STEMMER, segmenter=m.SEGMENTER,
        stop_words=(frozenset(base) | _words(m.EXTRA_STOP_WORDS)) - negations, negations=negations, determiners=_words(m.DETERMINERS),
        asks_who=_rx(m.ASKS_WHO), asks_when=_rx(m.ASKS_WHEN), asks_where=_rx(m.ASKS_WHERE),
        asks_how_many=_rx(m.ASKS_HOW_MANY), asks_share=_rx(m.ASKS_SHARE), asks_why=_rx(m.ASKS_WHY),
        asks_which=_rx(m.ASKS_WHICH), yes_no_start=_rx(m.YES_NO_START, anchored=True), asks_said=_rx(m.ASKS_SAID),
        asks_comparison=_rx(m.ASKS_COMPARISON), asks_across=re.compile(rf"\b(?:{m.ASKS_ACROSS})", re.I),
        attribution=_rx(m.ATTRIBUTION), saying=re.compile(rf"\b(?:{m.SAYING})\b", re.I), refusal=_rx(m.REFUSAL),
        months=tuple(m.MONTHS), at_time=m.AT_TIME, since_time=m.SINCE_TIME, number_words=_words(m.NUMBER_WORDS), scales=dict(m.SCALES), compound_numbers=_words(m.COMPOUND_NUMBERS),
        units=_words(m.UNITS), share=_rx(m.SHARE), number_of=re.compile(rf"\b(?:{m.NUMBER_OF})\s+((?:[\w-]+\s+){{0,2}}[\w-]+)", re.I), corpus_nouns=_words(m.CORPUS_NOUNS),
        pointer=re.compile(m.POINTER, re.I), pointer_nouns=m.POINTER_NOUNS, pointer_words=m.POINTER_WORDS,
        marker_prepositions=_words(m.MARKER_PREPOSITIONS), marker_end_prepositions=m.MARKER_END_PREPOSITIONS,
        reported_in=_words(m.REPORTED_IN), plural_source_nouns=_words(m.PLURAL_SOURCE_NOUNS), about_passages=re.compile(m.ABOUT_PASSAGES, re.I),
        headless=re.compile(rf"(?:{m.HEADLESS})\b"), yes=_rx(m.YES), injection=m.INJECTION, kind_labels=dict(m.KIND_LABELS),
        attribution_prefix=m.ATTRIBUTION_PREFIX, compare_head=m.COMPARE_HEAD, figures_head=m.FIGURES_HEAD,
    )


@lru_cache(maxsize=None)
def lexicon(code: str) -> Lexicon:
    return _build(MODULES.get(code, en))


def languages() -> tuple[str, ...]:
    return tuple(MODULES)


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.GERMAN, Language.ENGLISH).with_preloaded_language_models().build()


def detect_language(text: str, default: str = "de") -> str:
    """'de' or 'en' (lingua, restricted to the two languages served; short texts are its strength)."""
    from lingua import Language

    text = text.strip()
    if not any(ch.isalpha() for ch in text):
        return default
    lang = _detector().detect_language_of(text)
    if lang is None:
        return default
    return "de" if lang == Language.GERMAN else "en"
