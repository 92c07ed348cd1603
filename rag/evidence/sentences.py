"""How well a passage's sentences support a claim or match a question.

Each passage is split into sentences in its own language (cached per chunk, with their
embeddings, so a chunk is embedded once per process however many questions read it).
A sentence is ranked by embedding similarity plus a little word overlap: small e5 scores
same-topic sentences of different articles almost alike, while the model mostly copies
the words of the sentence it used, so overlap picks the right passage and quote where
embeddings tie.

`coverage` is the lexical side of support: the share of a text's content terms (weighted
by how rare they are in the corpus) that a sentence window holds. Embeddings say two
sentences are about the same thing; coverage says whether the words that make a claim
specific (a name, the thing asked about) stand in the cited sentence.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np

from ..language.text import sentences, terms, words
from ..types import Passage
from .injection import is_injection

LEXICAL_WEIGHT = 0.1
MIN_WORDS = 3  # a scrap of fewer words (a byline, a dateline) supports nothing


def lexical_overlap(claim_terms: frozenset[str], sentence: str, language: str) -> float:
    """Share of the claim's terms that occur in the sentence."""
    if not claim_terms:
        return 0.0
    return len(claim_terms & terms(sentence, language)) / len(claim_terms)


class CorpusStats:
    """Inverse document frequency of content terms over the store's chunks: a term found in
    few chunks tells one sentence from another, one found everywhere does not."""

    def __init__(self, texts: Iterable[tuple[str, str]]) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0
        for text, language in texts:
            self.df.update(terms(text, language))
            self.n += 1

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self.df.get(term, 0) + 0.5))

    def weight(self, ts: Iterable[str]) -> float:
        return sum(self.idf(t) for t in ts)

    def coverage(self, wanted: frozenset[str], window: frozenset[str]) -> float:
        """IDF-weighted share of `wanted` that `window` holds (1.0 when nothing is wanted)."""
        total = self.weight(wanted)
        return self.weight(wanted & window) / total if total else 1.0


class SupportScorer:
    """Sentence spans and vectors of passages, cached per chunk; `encode` embeds a list of texts
    (normalised rows, symmetric "query: " prefix)."""

    def __init__(self, encode: Callable[[list[str]], np.ndarray]) -> None:
        self.encode = encode
        self._cache: dict[str, tuple[list[tuple[int, int]], np.ndarray]] = {}

    def sentences(self, p: Passage) -> tuple[list[tuple[int, int]], np.ndarray]:
        key = p.chunk_id or f"{p.doc_id}:{p.start}:{p.end}"
        if key not in self._cache:
            spans = [(s.start, s.end) for s in sentences(p.text, p.language)] or [(0, len(p.text))]
            vecs = self.encode([p.text[a:b] for a, b in spans])
            if len(self._cache) > 5000:
                self._cache.clear()
            self._cache[key] = (spans, vecs)
        return self._cache[key]

    def prepare(self, passages: list[Passage]) -> None:
        """Embed the sentences of every passage not yet cached in one batch (one model call)."""
        todo = [p for p in passages if (p.chunk_id or f"{p.doc_id}:{p.start}:{p.end}") not in self._cache]
        if not todo:
            return
        spans = [[(s.start, s.end) for s in sentences(p.text, p.language)] or [(0, len(p.text))] for p in todo]
        flat = [p.text[a:b] for p, sp in zip(todo, spans) for a, b in sp]
        vecs = self.encode(flat)
        i = 0
        for p, sp in zip(todo, spans):
            self._cache[p.chunk_id or f"{p.doc_id}:{p.start}:{p.end}"] = (sp, vecs[i : i + len(sp)])
            i += len(sp)

    def ranked(self, vec: np.ndarray, p: Passage, claim_terms: frozenset[str] = frozenset(), language: str | None = None
               ) -> list[tuple[float, float, tuple[int, int]]]:
        """(rank, similarity, span) of each sentence of `p` against `vec`, best first; rank =
        similarity + LEXICAL_WEIGHT x overlap with `claim_terms` (stems in `language`, the
        passage's by default). A sentence that addresses the assistant is never a support."""
        spans, vecs = self.sentences(p)
        lang = language or p.language
        out = [
            (float(sim) + LEXICAL_WEIGHT * lexical_overlap(claim_terms, p.text[a:b], lang), float(sim), (a, b))
            for (a, b), sim in zip(spans, vecs @ vec)
            if not is_injection(p.text[a:b])
        ]
        return sorted(out, key=lambda x: -x[0])

    def best(self, vec: np.ndarray, p: Passage, claim_terms: frozenset[str] = frozenset(), language: str | None = None
             ) -> tuple[float, tuple[int, int], float]:
        """(best similarity, span of the best-ranked sentence, its rank score); scraps of fewer
        than three words (a byline, a dateline) are never a support: their vectors say little."""
        ranked = [r for r in self.ranked(vec, p, claim_terms, language) if len([w for w in words(p.text[slice(*r[2])]) if w.isalpha()]) >= MIN_WORDS]
        if not ranked:
            return -1.0, self.sentences(p)[0][0], -1.0
        return max(sim for _, sim, _ in ranked), ranked[0][2], ranked[0][0]


def window(p: Passage, span: tuple[int, int], spans: list[tuple[int, int]], around: int = 1) -> str:
    """The sentence at `span` with `around` neighbours on each side (a pronoun's antecedent, or
    the speaker named in the sentence before, is often there)."""
    if span not in spans:
        return p.text[span[0] : span[1]]
    i = spans.index(span)
    lo, hi = max(0, i - around), min(len(spans), i + around + 1)
    return p.text[spans[lo][0] : spans[hi - 1][1]]
