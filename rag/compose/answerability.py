"""Whether the evidence answers the question, beyond being on its topic.

The hard case is the near miss: the articles are about the topic, retrieval finds close
passages, and the model answers with a fitting entity from a sentence about something else.
What tells it apart: the words that make the question specific (its subject, weighted by how
rare they are in the corpus, `CorpusStats`) stand in the sentence that answers it or in its
neighbours, and that sentence is close to the question in meaning (e5 similarity). Measured
on XQuAD dev's German questions, the best window's coverage separates answerable questions
from near misses with an AUC of 0.92, the best sentence's similarity with 0.88 (0.89 for
English questions over German articles, where coverage cannot be read).

The other answer-level checks: an answer that only restates the question; a how-many answer
without a figure; quotes that do not count what was asked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..language.text import terms
from ..question import Kind, Question
from ..types import Passage
from ..verify.claims import strip_markers
from ..verify.numbers import numbers_in
from ..evidence.sentences import CorpusStats, SupportScorer, window

# The answerability score and its floors, measured on data/eval and XQuAD dev together
# (docs/eval/README.md, "Abstention"): for a question in the articles' language,
# coverage + SIM_WEIGHT x (similarity - SIM_BASE) of its best sentence window; for one in
# another language, the similarity alone (its words are not the articles' words).
SIM_WEIGHT = 2.0
SIM_BASE = 0.80
MIN_SAME_LANGUAGE = 0.25
MIN_CROSS_LANGUAGE = 0.80


@dataclass(frozen=True)
class Verdict:
    score: float
    minimum: float
    window: str = ""  # the best sentence window

    @property
    def answers(self) -> bool:
        return self.score >= self.minimum


class Answerability:
    """How well a sentence window answers a question (see the module docstring)."""

    def __init__(self, stats: CorpusStats, same_language: float = MIN_SAME_LANGUAGE,
                 cross_language: float = MIN_CROSS_LANGUAGE) -> None:
        self.stats = stats
        self.same_language = same_language
        self.cross_language = cross_language

    def judge(self, question: Question, similarity: float, text: str, language: str) -> Verdict:
        """`similarity`: e5 similarity of the question and the window's sentence; `text`: the
        window (the sentence with its neighbours), in `language`."""
        if question.language == language:
            coverage = self.stats.coverage(question.subject, terms(text, language))
            return Verdict(coverage + SIM_WEIGHT * (similarity - SIM_BASE), self.same_language, text)
        return Verdict(similarity, self.cross_language, text)

    def best(self, question: Question, qvec: np.ndarray, passages: list[Passage], scorer: SupportScorer) -> Verdict:
        """The best verdict over every sentence window of `passages`."""
        best: Verdict | None = None
        for p in passages:
            spans, vecs = scorer.sentences(p)
            for span, sim in zip(spans, vecs @ qvec):
                v = self.judge(question, float(sim), window(p, span, spans), p.language)
                if best is None or v.score > best.score:
                    best = v
        return best or Verdict(float("-inf"), self.same_language)


def adds_nothing(question: Question, answer_text: str) -> bool:
    """The answer's words and figures are all the question's ("Which unit was sent?" answered
    "The unit was sent [1]."). The attribution prefixes the checks add do not count; "yes" and
    negations do."""
    lex = question.lex
    text = strip_markers(answer_text)
    text = re.sub(lex.attribution_prefix.split("{")[0] + r"[^:]{0,160}:\s*", "", text)
    new_numbers = numbers_in(text, question.language) - numbers_in(question.search, question.language)
    negated = any(w.lower() in lex.negations for w in re.findall(r"\w+", text))
    return not (terms(text, question.language) - question.terms) and not new_numbers and not negated and not lex.yes.search(text)


def states_figure(question: Question, text: str) -> bool:
    """The text gives a figure of the kind asked: a share for a share question, else a number
    (digits or a number word)."""
    lex = question.lex
    text = strip_markers(text)
    if question.kind is Kind.SHARE:
        return bool(re.search(r"\d\s*%", text)) or bool(lex.share.search(text))
    if numbers_in(text, question.language):
        return True
    return any(w.lower() in lex.number_words for w in re.findall(r"\w+", text))


def lacks_figure(question: Question, answer_text: str) -> bool:
    return question.asks_figure and not states_figure(question, answer_text)

