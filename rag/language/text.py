"""Words and sentences of a text, in its language: Snowball stems (PyStemmer, as BM25 uses) and
pysbd sentences (index/chunking.py), each with the language passed down.
"""
from __future__ import annotations

import re
from functools import lru_cache

from index.chunking import Span, split_sentences

from . import lexicon

_WORD = re.compile(r"[^\W_][\w'’-]*", re.U)
_LETTERS = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=4)
def _stemmer(code: str):
    import Stemmer

    return Stemmer.Stemmer(lexicon(code).stemmer)


def words(text: str) -> list[str]:
    """The words of a text, hyphenated compounds split ("US-Regierung" -> "US", "Regierung")."""
    return [w for token in _WORD.findall(text) for w in re.split(r"[-'’]", token) if w]


def stem(word: str, code: str) -> str:
    return _stemmer(code).stemWord(word.lower())


@lru_cache(maxsize=8192)
def _terms(text: str, code: str, min_len: int) -> frozenset[str]:
    lex = lexicon(code)
    kept = [w.lower() for w in words(text) if _LETTERS.search(w) and len(w) >= min_len and w.lower() not in lex.stop_words]
    return frozenset(_stemmer(code).stemWords(kept))


def terms(text: str, code: str, min_len: int = 3) -> frozenset[str]:
    """Stems of the content words (stop words of the language left out; words of `min_len`+
    characters with a letter). Digits are no terms: numbers are compared as values (numbers.py)."""
    return _terms(text, code, min_len)


def sentences(text: str, code: str) -> list[Span]:
    """Sentence spans of `text`; line breaks always end a sentence."""
    return split_sentences(text, lexicon(code).segmenter)


# a run of two or more capitalised words: people, places, organisations ("Gustav Gressel")
NAME_RUN = re.compile(r"\b[A-ZÄÖÜ][\w'’-]+(?:\s+(?:von\s+|van\s+|de\s+|al-)?[A-ZÄÖÜ][\w'’-]+)+")
# a capitalised word, or an acronym: in German every noun is capitalised, so this says less there
CAPITALISED = re.compile(r"\b[A-ZÄÖÜ][\w'’-]*")
ACRONYM = re.compile(r"(?<![\w-])[A-ZÄÖÜ]{2,6}(?![\w-])")


def names(text: str, code: str) -> list[str]:
    """Words that are names in any language: capitalised words not at a sentence start and not
    stop words, acronyms. In German (nouns are capitalised) only runs of two or more capitalised
    words and acronyms count; in English every capitalised word inside a sentence."""
    lex = lexicon(code)
    out: list[str] = [m.group(0) for m in ACRONYM.finditer(text)]
    if code == "de":
        for run in NAME_RUN.findall(text):
            kept = [w for w in run.split() if w.lower() not in lex.stop_words]
            if len(kept) >= 2:  # "Der Krieg" is an article and a noun, "Anna Muster" a name
                out += kept
        return list(dict.fromkeys(out))
    for m in CAPITALISED.finditer(text):
        before = text[: m.start()].rstrip()
        if before and before[-1] not in ".!?:\"„“" and m.group(0).lower() not in lex.stop_words:
            out.append(m.group(0))
    return list(dict.fromkeys(out))
