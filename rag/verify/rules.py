"""The checks a claim must pass, each a small function that returns a `Check` when it fails.

Three groups, in the order the verifier applies them:
- SHAPE: the sentence itself is no claim about the articles (it names a passage by its
  number, starts mid-way, speaks of "the passages").
- EVIDENCE: what the claim states must stand in the passage it cites: its numbers, its
  names, its quoted phrases (`supported`), and similarity to one of the passage's
  sentences. These decide which passage a claim is cited to (verifier.py).
- SENTENCE: read against the cited sentence: the claim must not assert what that sentence
  denies, must not put words in the mouth of someone the passage does not name, and its
  answer-bearing words must stand in the cited sentence (or a neighbour) together with
  what the question asks about, not anywhere in the passage.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..language import Lexicon, lexicon
from ..language.text import names as name_words
from ..language.text import terms
from ..question import Question
from ..types import Check, CheckKind, Passage
from .claims import Claim
from .names import unsupported_names
from .numbers import numbers_in, unsupported_numbers
from ..evidence.sentences import CorpusStats

QUOTED = re.compile(r"[„\"“«»‚']([^„\"“”«»‚‘']{12,})[“”\"«»‘']")


def _removed(why: str, claim: Claim) -> Check:
    return Check(CheckKind.CLAIM_REMOVED, why, claim.text, "removed")


# ---------------------------------------------------------------- SHAPE

def names_passage(claim: Claim) -> Check | None:
    if claim.names_passage:
        return _removed("the sentence names a passage by its number (\"In [1] …\"); without it the sentence has a hole", claim)
    return None


def headless(claim: Claim) -> Check | None:
    if claim.headless:
        return _removed("the sentence starts in the middle (\"und …\"): who or what it is about is lost", claim)
    return None


def about_passages(claim: Claim) -> Check | None:
    if claim.about_passages:
        return _removed("the sentence speaks of the passages the model was given, not of what the articles say", claim)
    return None


SHAPE = (names_passage, headless, about_passages)


# ---------------------------------------------------------------- EVIDENCE

def _norm(s: str) -> str:
    return " ".join(s.split()).lower()


def quotes_found(claim: str, evidence: str) -> bool:
    ev = _norm(evidence)
    return all(_norm(q) in ev for q in QUOTED.findall(claim))


def supported(claim: Claim, evidence: str, named_in: str, language: str) -> bool:
    """Every number, name and quoted phrase of the claim is in `evidence` (names also in
    `named_in`: the passages with their bylines, and the question)."""
    return (not unsupported_numbers(claim.text, evidence, language)
            and not unsupported_names(claim.text, named_in, language)
            and quotes_found(claim.text, evidence))


def why_unsupported(claim: Claim, everything: str, language: str) -> str:
    """Why no passage supports the claim, in words for the user."""
    bad = unsupported_numbers(claim.text, everything, language)
    if bad:
        return "number(s) not in any passage: " + ", ".join(f"{v:g}" for v in sorted(bad))
    missing = unsupported_names(claim.text, everything, language)
    if missing:
        return "name(s) not in any passage: " + ", ".join(missing)
    return "no citation" if not claim.markers else "not supported by its passages"


# ---------------------------------------------------------------- SENTENCE

@lru_cache(maxsize=None)
def _denied(code: str) -> re.Pattern:
    """A negation and the capitalised word it denies ("… und nicht X", "not the X")."""
    lex = lexicon(code)
    neg = "|".join(sorted(lex.negations, key=len, reverse=True))
    det = "|".join(sorted(lex.determiners, key=len, reverse=True))
    return re.compile(rf"(?i:\b(?:{neg})\s+(?:(?:{det})\s+)?)([A-ZÄÖÜ][^\W\d_]{{3,}})")


def _negates(text: str, lex: Lexicon) -> bool:
    return any(w.lower() in lex.negations or w.lower().endswith("n't") for w in re.findall(r"[\w']+", text))


def denies(claim: Claim, sentence: str, claim_language: str, sentence_language: str) -> Check | None:
    """The claim asserts, without any negation, the word its cited sentence denies ("X is the
    aggressor" over "… the aggressor, and not X"). Narrow on purpose: negations anywhere in
    one of the two also hit right answers; a claim that negates anything is not judged."""
    if _negates(claim.text, lexicon(claim_language)):
        return None
    asserted = terms(claim.text, claim_language)
    for m in _denied(sentence_language).finditer(sentence):
        word = m.group(1)
        if word.lower() not in lexicon(sentence_language).stop_words and terms(word, claim_language) & asserted:
            return _removed(f"its cited sentence says the opposite (\"{m.group(0)}\")", claim)
    return None


@dataclass
class Evidence:
    """What a claim is checked against once its passage is chosen."""

    passage: Passage
    sentence: str  # the cited sentence
    window: str  # the cited sentence with its neighbours


# A claim's answer-bearing words must stand in the cited sentence window together with what
# the question asks about. Both thresholds are IDF-weighted shares of terms (CorpusStats);
# measured on data/eval and XQuAD dev together (docs/eval/README.md, "Entity check").
MIN_NEW_COVERAGE = 0.5  # of the claim's own content words (those not in the question)
MIN_QUESTION_COVERAGE = 0.34  # of the question's content words the claim restates


def wrong_entity(claim: Claim, ev: Evidence, question: Question, stats: CorpusStats, claim_language: str,
                 min_new: float = MIN_NEW_COVERAGE, min_question: float = MIN_QUESTION_COVERAGE) -> Check | None:
    """"X was the prime minister [3]" where X stands in passage 3 but not in a sentence about
    a prime minister: the claim's answer-bearing words (what it says beyond the question) must
    stand in the cited sentence or a neighbour, and so must the question's words the claim
    restates. Numbers and names count in any language; other words only where claim and
    passage share a language (English claims over German passages are judged by their
    names and numbers alone)."""
    same = claim_language == ev.passage.language
    # the byline counts as part of every sentence: a claim may name its passage's author or outlet
    window_terms = terms(f"{ev.window} {ev.passage.author} {ev.passage.outlet}", ev.passage.language)
    claim_terms = terms(claim.text, claim_language)
    if same:
        new = claim_terms - question.terms
        if new and stats.coverage(new, window_terms) < min_new:
            return _removed("what it says is not in the sentence it cites (the words are elsewhere in the passage)", claim)
        restated = claim_terms & question.terms
        if restated and stats.coverage(restated, window_terms) < min_question:
            return _removed("the sentence it cites is not about what the question asks", claim)
    q_numbers = numbers_in(question.search, question.language)
    numbers = numbers_in(claim.text, claim_language) - q_numbers
    if numbers and not numbers <= numbers_in(ev.window, ev.passage.language, compounds=True) | numbers_in(ev.window, claim_language):
        return _removed("its number is not in the sentence it cites", claim)
    q_names = {n.lower() for n in name_words(question.search, question.language)}
    new_names = [n for n in name_words(claim.text, claim_language) if n.lower() not in q_names]
    low = f"{ev.window} {ev.passage.author} {ev.passage.outlet}".lower()  # the byline names its author too
    if new_names and not any(n.lower()[: max(3, len(n) - 2)] in low for n in new_names):
        return _removed("the name it gives is not in the sentence it cites", claim)
    return None
