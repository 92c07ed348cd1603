"""Stop the model when its output has become hopeless. The small offline model sometimes
loops ("[1] [1] [1] …", "Rate von 1000000…") until the token limit: 6 of the 83 answers
of the question set, 33-38 s each. Such output is cut as soon as it loops, or when its
first 40 characters hold no word, and the loop is left out of what the checks read
(they then fall back to quoting the articles, as they would have anyway).

Measured and not kept: generating such an answer once more with a plainer instruction
("Antworte mit ganzen Sätzen …"): on the 15 questions of the set whose output held no
sentence (markers only, or a loop), the second outputs were fluent but mostly wrong and
passed the checks: 2 questions gained (one of them passes without it too), 3 lost
against the extractive fallback (2026-11-22; run folders are not kept in the repository).
Hand-written: no library judges "is this generation degenerate"; the rules are small
and tested (tests/test_output_guard.py).
"""
from __future__ import annotations

import re

from .markers import MARKER

# a unit of up to 12 characters repeated at least 10 times at the end: "[1] [1] …", "0000…"
_LOOP = re.compile(r"(.{1,12}?)\1{9,}$", re.S)
_LOOP_MIN_CHARS = 24  # "......" or a short rule line is not a loop
_WORD = re.compile(r"[^\W\d_]{2,}")  # a word of letters


def looping(text: str) -> re.Match | None:
    """The repetition at the end of `text`, if it loops."""
    m = _LOOP.search(text[-300:])
    return m if m and len(m.group(0)) >= _LOOP_MIN_CHARS else None


def prose_words(text: str) -> int:
    return len(_WORD.findall(MARKER.sub(" ", text)))


def hopeless(partial: str) -> bool:
    """Stop generating: `partial` (the output so far) loops, or its first 40 characters hold no word."""
    return bool(looping(partial)) or (len(partial.strip()) >= 40 and prose_words(partial) == 0)


def without_loop(text: str) -> str:
    """`text` less the repetition it ended in (what the checks should read)."""
    m = looping(text)
    return text[: len(text) - len(m.group(0))].rstrip() if m else text
