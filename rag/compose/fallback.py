"""The extractive fallback: when no generated claim survives the checks, the sentences of the
passages that best match the question are quoted, each with its citation.

Quotes are ranked as the checks rank supports (similarity plus word overlap with the
question); statements come before headlines (a title restates a body sentence without
saying who or when); a second quote must rank close to the first; a which-question's quotes
must name what it asks for where any sentence does; a who-question's second quote must name
someone. A quote must also answer the question by the answerability score (answerability.py):
on a near miss the closest sentence is on the topic but not on the question, and quoting it
would answer what was not asked.
"""
from __future__ import annotations

import re

import numpy as np

from ..language.text import NAME_RUN, terms
from ..question import Kind, Question
from ..types import Passage
from ..evidence.sentences import SupportScorer, window
from .answerability import Answerability
from .figures import is_headline

MIN_CHARS = 25
MAX_QUOTES = 2


def names_someone(sentence: str, question: Question) -> bool:
    """A run of two or more capitalised words, not counting stop words or the question's words:
    a sign of a name (German capitalises nouns, so one capitalised word is none)."""
    known = {w.lower() for w in re.findall(r"[\w'’-]+", question.search)} | set(question.lex.stop_words)
    return any(len([w for w in run.split() if w.lower() not in known]) >= 2 for run in NAME_RUN.findall(sentence))


def _names_noun(sentence: str, noun: str) -> bool:
    """The sentence has a word that starts with the noun ("Artikel 4", "Artikels"), not one that
    merely contains it."""
    return re.search(rf"(?<![\w-]){re.escape(noun)}", sentence) is not None


def choose_quotes(question: Question, qvec: np.ndarray, passages: list[Passage], scorer: SupportScorer,
                  judge: Answerability | None, min_similarity: float, margin: float) -> list[tuple[int, tuple[int, int]]]:
    """(passage number, sentence span) of the sentences to quote, best first; [] when none fits."""
    stems = terms(question.search, question.language)
    scored = [  # (headline?, rank, similarity, passage number, span)
        (is_headline(p.text[a:b]), rank, sim, i, (a, b))
        for i, p in enumerate(passages, 1)
        for rank, sim, (a, b) in scorer.ranked(qvec, p, stems, question.language)
        if b - a >= MIN_CHARS
    ]
    scored.sort(key=lambda x: (x[0], -x[1]))
    if question.which_noun:
        naming = [x for x in scored if _names_noun(passages[x[3] - 1].text[x[4][0] : x[4][1]], question.which_noun)]
        scored = naming or scored
    chosen: list[tuple[int, tuple[int, int]]] = []
    used: set[str] = set()
    first = None  # the first quote's rank: a second one must come close to it
    for headline, rank, sim, i, span in scored:
        if len(chosen) == MAX_QUOTES or (first is not None and (headline or rank < first - margin)):
            break
        if sim < min_similarity:
            continue
        p = passages[i - 1]
        text = " ".join(p.text[span[0] : span[1]].split())
        if judge is not None and not judge.judge(question, sim, window(p, span, scorer.sentences(p)[0]), p.language).answers:
            continue
        if chosen and question.kind is Kind.WHO and not names_someone(text, question):
            continue  # a second quote that names no one does not say who
        if text not in used:  # overlapping chunks hold the same sentence: quote it once
            first = rank if first is None else first
            chosen.append((i, span))
            used.add(text)
    return chosen
