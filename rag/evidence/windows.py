"""Evidence as sentence windows: the sentences of the retrieved passages that best match the
question, each with its neighbours, instead of whole chunks.

Prompt length is the main cost of an answer on a CPU (about 80 prompt tokens a second
here): three chunks of 1,000 characters are about 1,000 tokens, 12 s before the first
token. Windows around the best sentences carry what answers the question in a third of
that. Each window is a `Passage` of its own (article offsets and metadata kept), so the
model's [n] markers, the checks and the citations all point at exactly what it read.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..question import Question
from ..types import Passage
from .sentences import SupportScorer


def sentence_windows(question: Question, qvec: np.ndarray, passages: list[Passage], scorer: SupportScorer,
                     budget: int, around: int = 1, most: int = 4) -> list[Passage]:
    """Up to `most` windows (a sentence and `around` neighbours each side) of `passages`, best
    sentence first, within `budget` characters in all; overlapping windows of one article merge."""
    ranked = []  # (rank, passage index, sentence index)
    for i, p in enumerate(passages):
        spans = scorer.sentences(p)[0]
        index = {span: k for k, span in enumerate(spans)}
        for rank, _, span in scorer.ranked(qvec, p, question.terms, question.language):
            ranked.append((rank, i, index[span]))
    ranked.sort(key=lambda x: -x[0])
    chosen: list[tuple[int, int, int]] = []  # (passage index, article start, article end)
    used = 0
    for _, i, k in ranked:
        p = passages[i]
        spans = scorer.sentences(p)[0]
        a, b = spans[max(0, k - around)][0], spans[min(len(spans) - 1, k + around)][1]
        start, end = p.start + a, p.start + b
        merged = False
        for n, (j, s, e) in enumerate(chosen):
            if passages[j].doc_id == p.doc_id and start <= e and s <= end:  # overlaps: widen that window
                grow = max(e, end) - min(s, start) - (e - s)
                if used + grow <= budget:
                    chosen[n] = (j, min(s, start), max(e, end)) if j == i else (j, s, e)
                    used += grow if j == i else 0
                merged = True
                break
        if merged:
            continue
        if used + (end - start) > budget and chosen:
            continue
        chosen.append((i, start, end))
        used += end - start
        if len(chosen) >= most or used >= budget:
            break
    out = []
    for i, s, e in chosen:
        p = passages[i]
        a, b = s - p.start, e - p.start
        out.append(replace(p, text=p.text[a:b], start=s, end=e, chunk_id=f"{p.chunk_id}@{a}-{b}"))
    return out
