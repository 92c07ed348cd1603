"""Who said what: a question asking what a named person said ("Was sagte Lloyd Austin
laut den Artikeln?", "What did Mark Rutte say …?") is answered with each article's own
sentence that names that person, under the model's answer.

Measured on the question set: the model answered such questions from one article
("Kyrylo Budanov wird in den Artikeln zitiert [2].") and a similarity pick of each
article's sentence (the views of `conflicts.py`) quoted sentences that do not name
the person at all. A sentence that names the speaker is the evidence of what the
speaker said, so here the name decides, not similarity.

The person is the last word of the question's first run of two or more capitalised
words that does not open the question ("US-Verteidigungsminister Lloyd Austin" ->
"Austin", "NATO Secretary General Mark Rutte" -> "Rutte"). A single capitalised word
("Was sagte Putin?") is not taken: German capitalises every noun, and a lone one is
no sign of a name. Articles spell foreign names differently (Budanow in one, Budanov
in the machine-translated Foreign Policy piece), so names match by string similarity
(difflib, the standard library), not equality. A question that asks who said
something ("Wer sagte …?"), or where, when or why, is not asking for the words.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

# the question asks what someone said, stated or was quoted with
ASKS_SAID = re.compile(
    r"\b(sagte\w*|sagen|sagt|gesagt|äußerte\w*|geäußert|erklärte\w*|zitiert\w*|says?|said|stated?|quoted|remarked)\b", re.I
)
# a question that asks who said something ("Wer soll gesagt haben, China könne sich eine
# Niederlage Russlands nicht leisten?": the capitalised run is what was said), or where, when
# or why ("Und wo hat Lloyd Austin das gesagt?"), is not answered by what the person said
_NOT_WHAT = re.compile(r"^\W*(und\s+|and\s+)?(wer|who|wo|wann|warum|weshalb|wem|where|when|why|whom)\b", re.I)
_RUN = re.compile(r"\b[A-ZÄÖÜ][\w'’-]+(?:\s+[A-ZÄÖÜ][\w'’-]+)+")
_WORD = re.compile(r"[A-ZÄÖÜ][\w'’-]+")
MIN_NAME = 4  # shorter surnames ("Li", "Ma") would match too much prose
SIMILAR = 0.85  # "Budanow" ~ "Budanov" (0.86); "Austin" ~ "Austria" (0.77) is not the same name


def speaker(question: str) -> str | None:
    """The surname of the person whose words the question asks for, or None."""
    if not ASKS_SAID.search(question) or _NOT_WHAT.search(question):
        return None
    for m in _RUN.finditer(question):
        if m.start() == len(question) - len(question.lstrip()):
            continue  # "Welche Angaben …": the question's first word is capitalised anyway
        name = m.group(0).split()[-1].split("-")[-1]
        if len(name) >= MIN_NAME:
            return name
    return None


def _same_name(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a[0] == b[0] and (a == b or SequenceMatcher(None, a, b).ratio() >= SIMILAR)


def names(sentence: str, surname: str) -> bool:
    """Whether `sentence` names `surname` (an inflected "Austins" or "Rutte's" counts too)."""
    return any(
        _same_name(w, surname) for word in _WORD.findall(sentence) for w in {word, re.sub(r"(['’]s|s)$", "", word)} if len(w) >= MIN_NAME
    )


def _open_quote(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("„") > text.count("“")


def whole_quote(spans: list[tuple[int, int]], span: tuple[int, int], text: str, most: int = 2) -> tuple[int, int]:
    """`span` extended over the next sentences (at most `most`) while a quotation it opens
    is still open: the sentence splitter cuts 'bedeckt: "Was genau tun sie dort? Das bleibt
    abzuwarten"' after the question mark, and half a quotation misquotes the speaker."""
    a, b = span
    i = spans.index(span) if span in spans else len(spans)
    while _open_quote(text[a:b]) and most and i + 1 < len(spans):
        i, most = i + 1, most - 1
        b = spans[i][1]
    return a, b
