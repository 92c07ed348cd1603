"""Figures the sources give for what a how-many question counts, listed side by side.

A figure is a number in a sentence and the (up to five) words after it ("12.000 verletzte
Menschen", "3 billion dollars"; a unit ends them); a year and a date's day are none.
It answers a question when it counts what the question counts (`Question.quantity`): the
question's noun stands among the figure's words by stem, or as part of a compound ("Granaten"
in "Artilleriegranaten"), or after "die Zahl der"/"the number of" before the number; a
question in another language than the articles is matched by embedding similarity of the
two phrases. When the passages give different figures for it from different articles, every
figure is listed with its source, kind and date, ordered by date, instead of letting the
model pick one. A question about a moment ("im Oktober 2024") lists no figure from a source
published later unless its sentence names that month; one that names whose figure it wants
("laut X") lists only figures whose sentence, or the sentence before, names X.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..language import lexicon
from ..language.text import stem, terms, words
from ..question import Question
from ..types import Passage
from ..verify.numbers import is_year, numbers_in
from ..evidence.sentences import SupportScorer
from .labels import author_label

# a number ("12.000", "3,000", "1500", "2,5") and the words after it, not consumed (the next figure stays findable)
_FIGURE = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,\u00a0 ]\d{3})+|\d+(?:[.,]\d+)?)(?!\.\d)(?=((?:\s+[\w-]+){0,5}))", re.U)
MAX_COUNTED_WORDS = 5
# cross-language match of the counted phrases (e5 similarity of an English noun and its German
# translation was 0.90 on the set, of it and another noun of the same field 0.86): above this
# the English question's noun is the figure's
CROSS_LANGUAGE_MATCH = 0.89


@dataclass
class Figure:
    value: float
    counted: str  # the words after the number, up to its noun
    passage: int  # 1-based index into the passages
    sentence: str
    start: int  # sentence offsets within the passage text
    end: int
    before: str = ""  # the sentence before it in its passage (who gives a figure is often said there)
    at: int = 0  # where the number stands in the sentence


def is_headline(sentence: str) -> bool:
    """A title or a question, not a statement: it does not end in a full stop."""
    return not sentence.rstrip("“”\"'» )").endswith((".", "!"))


def figures(passages: list[Passage], scorer: SupportScorer) -> list[Figure]:
    """Every figure of the passages (sentence spans as the scorer cut them)."""
    out = []
    for i, p in enumerate(passages, 1):
        lex = lexicon(p.language)
        spans = scorer.sentences(p)[0]
        for k, (a, b) in enumerate(spans):
            sent = p.text[a:b]
            before = p.text[slice(*spans[k - 1])].strip() if k else ""
            for m in _FIGURE.finditer(sent):
                if is_year(m.group(1)) or re.match(r"\.\s*\S", sent[m.end(1):]):
                    continue  # "2024", "3. Oktober" (a number that ends the sentence is a figure)
                counted, scale = [], 1.0
                for w in m.group(2).split()[:MAX_COUNTED_WORDS]:
                    low = w.lower()
                    if w[:1].isdigit():
                        break
                    if low in lex.scales:
                        scale = scale if counted else lex.scales[low]  # "5 Millionen Granaten": 5e6 Granaten
                        continue
                    if p.language != "de" and counted and low in lex.stop_words:
                        break  # English: "30,000 troops were …" ends before the verb or preposition
                    prev = counted[-1].lower() if counted else ""
                    counted.append(w)
                    if low in lex.units:
                        break  # "500 Dollar Hilfe" is counted in dollars
                    if p.language == "de" and w[:1].isupper() and prev not in lex.stop_words:
                        break  # German: the noun ends it ("3000 bereits nach Russland gebrachten Menschen")
                lead = len(sent) - len(sent.lstrip())
                for v in numbers_in(m.group(1), p.language):
                    out.append(Figure(v * scale, " ".join(counted).strip(".,;:"), i, sent.strip(), a, b, before, m.start() - lead))
    return out


def _head(question: Question) -> str:
    ws = words(question.quantity)
    return ws[-1] if ws else ""


def _names_noun(text: str, head_stem: str, language: str) -> bool:
    """`text` holds the head noun: a word with its stem, or a compound that ends in it."""
    for w in words(text):
        s = stem(w, language)
        if s == head_stem or (len(head_stem) >= 4 and s.endswith(head_stem)):
            return True
    return False


def _modifiers(phrase: str, head_stem: str, language: str) -> frozenset[str]:
    """The qualifying words of a counted phrase ("ukrainische" in "ukrainische Menschen"): its
    content terms other than the head noun."""
    return frozenset(t for t in terms(phrase, language) if t != head_stem and not t.endswith(head_stem))


def counts_asked(f: Figure, passages: list[Passage], question: Question, encode=None) -> bool:
    """The figure counts what the question counts (see the module docstring). Where both the
    question and the figure qualify the noun, they must share a qualifier: "12.000 verletzte
    Menschen" does not count the "geretteten Menschen" a question asks for."""
    head = _head(question)
    if not head:
        return False
    p = passages[f.passage - 1]
    if question.language == p.language:
        head_stem = stem(head, p.language)
        if _names_noun(f.counted, head_stem, p.language):
            asked = _modifiers(question.quantity, head_stem, p.language)
            given = _modifiers(f.counted, head_stem, p.language)
            return not (asked and given and not asked & given)
        # "Die Zahl der russischen Opfer … wird auf 600.000 geschätzt": named before the number
        return any(_names_noun(m.group(1), head_stem, p.language) and m.end() <= f.at
                   for m in lexicon(p.language).number_of.finditer(f.sentence))
    if encode is None or not f.counted:
        return False
    a, b = encode([question.quantity, f.counted])
    return float(np.dot(a, b)) >= CROSS_LANGUAGE_MATCH


def _attributed(f: Figure, source: str, language: str) -> bool:
    """The figure's sentence, or the one before it, names `source` (all its content words, as stems)."""
    wanted = terms(source, language)
    if not wanted:
        return True
    acronyms = {w for w in words(source) if w.isupper() and len(w) >= 2}
    text = f"{f.before} {f.sentence}"
    if acronyms and any(re.search(rf"(?<![\w-]){re.escape(a)}(?![\w-])", text) for a in acronyms):
        return True
    return wanted <= terms(text, language) | {stem(w, language) for w in words(text)}


def _names_month(sentence: str, month: int, year: int, language: str) -> bool:
    names = lexicon(language).months
    for m in re.finditer(rf"\b({'|'.join(names)})\b(?:\s+((?:19|20)\d\d))?", sentence, re.I):
        if names.index(m.group(1).lower()) + 1 == month and (not m.group(2) or int(m.group(2)) == year):
            return True
    return False


def find_conflicts(question: Question, passages: list[Passage], scorer: SupportScorer, encode=None) -> list[Figure]:
    """The figures for what the question counts, one per (value, article), when at least two
    articles give different values (or, for a question naming whose figure it wants, that
    source's figures); [] otherwise."""
    if not question.quantity:
        return []
    figs = [f for f in figures(passages, scorer) if not is_headline(f.sentence) and counts_asked(f, passages, question, encode)]
    if question.source:
        figs = [f for f in figs if _attributed(f, question.source, passages[f.passage - 1].language)]
    t = question.time
    if t is not None and t.month is not None:
        figs = [f for f in figs if not t.after(passages[f.passage - 1].date)
                or _names_month(f.sentence, t.month, t.year, passages[f.passage - 1].language)]
    chosen: dict[tuple, Figure] = {}
    for f in figs:
        chosen.setdefault((f.value, passages[f.passage - 1].doc_id), f)
    figs = list(chosen.values())
    if len({f.value for f in figs}) < 2:
        return []
    if not question.source and len({passages[f.passage - 1].doc_id for f in figs}) < 2:
        return []  # one article's figures for different moments are no conflict
    return figs


def on_question(figs: list[Figure], question_vec: np.ndarray, passages: list[Passage], scorer: SupportScorer,
                margin: float, question_terms: frozenset[str]) -> list[Figure]:
    """`figs`, or only the best one when the question asks for that one figure: its sentence
    ranks (similarity + word overlap with the question) more than `margin` above the sentence
    of every other figure. Where the ranks lie close, the sources disagree on the same thing
    and all are listed."""
    rank = {}
    for f in figs:
        if f.passage not in rank:
            rank[f.passage] = {span: r for r, _, span in scorer.ranked(question_vec, passages[f.passage - 1], question_terms)}
    score = lambda f: rank[f.passage].get((f.start, f.end), -1.0)  # noqa: E731
    ordered = sorted(figs, key=lambda f: -score(f))
    top = ordered[0]
    runner_up = next((f for f in ordered if f.value != top.value), None)
    if runner_up is None:
        return figs
    return [top] if score(top) - score(runner_up) > margin else figs


def side_by_side(figs: list[Figure], passages: list[Passage], language: str) -> str:
    """Each figure with who gives it, ordered by the source's date."""
    lines = [lexicon(language).figures_head]
    for f in sorted(figs, key=lambda f: (passages[f.passage - 1].date, f.value)):
        p = passages[f.passage - 1]
        num = f"{f.value:,.0f}" if f.value == int(f.value) else f"{f.value:,}"
        if language == "de":
            num = num.translate(str.maketrans(",.", ".,"))
        lines.append(f"- {num}, {author_label(p)}: „{f.sentence}“ [{f.passage}]")
    return "\n".join(lines)
