"""Who says what: each source's own sentence, side by side under the answer.

- A question that compares sources ("Wie unterscheiden sich die Artikel …?", "How do the
  sources differ?") gets each retrieved article's sentence closest to the question's topic,
  under its author, outlet, kind and date: the reader sees who says what, not one blend.
- A question for what a named person said ("Was sagte X?") gets each article's sentence that
  names that person and reports speech: a sentence that names the speaker is the evidence of
  what they said, so the name decides there, not similarity.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..language import lexicon
from ..language.text import terms
from ..question import Question
from ..types import Passage
from ..verify.names import names, reports_speech
from ..evidence.sentences import SupportScorer
from .figures import is_headline
from .labels import author_label

MAX_VIEWS = 4
MIN_CHARS = 25  # a fragment under this is no one's view


@dataclass
class View:
    passage: int  # 1-based index into the passages
    sentence: str
    start: int  # sentence offsets within the passage text
    end: int


def topic_of(question: Question) -> str:
    """The question less its "how do the sources differ?" part, which says nothing of the topic."""
    parts = [x for x in re.split(r"(?<=[?.!])\s+", question.search.strip()) if x]
    kept = [x for x in parts if not question.lex.asks_comparison.search(x)]
    return " ".join(kept) if kept else question.search


def source_views(question: Question, passages: list[Passage], scorer: SupportScorer, min_similarity: float,
                 cited: dict[int, tuple[int, int]] | None = None, min_score: float = 0.0) -> list[View]:
    """For each article among `passages` (best-ranked first), its sentence closest to the
    question's topic. Never a fragment, a headline, a sentence under `min_similarity`, nor,
    unless the answer cites it, a sentence of a passage retrieval scored under `min_score`
    (where an article that does not discuss the topic comes closest to it). `cited` (passage
    -> sentence span): an article the answer cites is shown with that sentence, which the
    checks found to support a claim on the question."""
    topic = topic_of(question)
    qvec = scorer.encode([topic])[0]
    stems = terms(topic, question.language)
    best: dict[str, tuple[float, View]] = {}
    for i, span in sorted((cited or {}).items()):
        p = passages[i - 1]
        sims = {sp: sim for _, sim, sp in scorer.ranked(qvec, p, stems, question.language)}
        if p.doc_id not in best and span in sims and span[1] - span[0] >= MIN_CHARS and sims[span] >= min_similarity:
            best[p.doc_id] = (float("inf"), View(i, " ".join(p.text[span[0] : span[1]].split()), *span))
    for i, p in enumerate(passages, 1):
        if p.score < min_score:
            continue
        for rank, sim, (a, b) in scorer.ranked(qvec, p, stems, question.language):
            if b - a < MIN_CHARS or sim < min_similarity or is_headline(p.text[a:b]):
                continue
            if p.doc_id not in best or rank > best[p.doc_id][0]:
                best[p.doc_id] = (rank, View(i, " ".join(p.text[a:b].split()), a, b))
    order = list(dict.fromkeys(p.doc_id for p in passages))
    views = [best[d][1] for d in order if d in best][:MAX_VIEWS]
    return views if len(views) >= 2 else []


def _open_at(text: str, pos: int) -> bool:
    """Whether a quotation is open at `pos` of `text` (German „…“ or straight quotes)."""
    before = text[:pos]
    return before.count('"') % 2 == 1 or before.count("„") > before.count("“")


def whole_quote(spans: list[tuple[int, int]], span: tuple[int, int], text: str, most: int = 2) -> tuple[int, int]:
    """`span` extended over neighbouring sentences (at most `most` each way) while a quotation
    is open at its end or start: the sentence splitter cuts a quotation after a question mark
    inside it, and half a quotation misquotes the speaker."""
    if span not in spans:
        return span
    k = i = j = spans.index(span)
    while _open_at(text, spans[j][1]) and j - k < most and j + 1 < len(spans):
        j += 1
    while _open_at(text, spans[i][0]) and k - i < most and i > 0:
        i -= 1
    return spans[i][0], spans[j][1]


def speaker_candidates(question: Question, chunks: list[Passage], scorer: SupportScorer, qvec: np.ndarray,
                       cited: set[tuple[str, int]]) -> dict[str, tuple[float, Passage, tuple[int, int]]]:
    """Per article, its best sentence that names the question's speaker and reports speech
    (`chunks`: every chunk that names them); one the answer cites comes first."""
    best: dict[str, tuple[float, Passage, tuple[int, int]]] = {}
    stems = terms(question.search, question.language)
    for p in chunks:
        for rank, _, (a, b) in scorer.ranked(qvec, p, stems, question.language):
            text = p.text[a:b]
            # a title has no closing mark; a question quoted from the person is their words
            if (b - a < MIN_CHARS or not text.rstrip("“”\"'» )").endswith((".", "!", "?"))
                    or not names(text, question.speaker) or not reports_speech(text)):
                continue
            rank += 1.0 if (p.doc_id, p.start + a) in cited else 0.0
            if p.doc_id not in best or rank > best[p.doc_id][0]:
                best[p.doc_id] = (rank, p, (a, b))
    return best


def views_side_by_side(views: list[View], passages: list[Passage], language: str) -> str:
    lines = [lexicon(language).compare_head]
    for v in views:
        lines.append(f"- {author_label(passages[v.passage - 1])}: „{v.sentence}“ [{v.passage}]")
    return "\n".join(lines)
