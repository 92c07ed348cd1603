"""Typed objects passed between layers: a question goes in, an `Answer` comes out.

Plain dataclasses (not pydantic) so they serialise with `dataclasses.asdict` and
cost nothing to build; `Answer.to_dict()` is what `rag ask --json` prints.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from index.errors import RagError  # noqa: F401  (defined at the bottom layer, re-exported here)


@dataclass
class Passage:
    """One retrieved chunk of an article, with where it sits in the article."""

    doc_id: str
    text: str
    start: int  # character offset of the chunk in the article text
    end: int
    score: float  # fused retrieval score (higher is better)
    chunk_id: str = ""
    dense_score: float | None = None
    bm25_score: float | None = None
    title: str = ""
    outlet: str = ""
    author: str = ""
    date: str = ""
    kind: str = ""
    language: str = "de"  # the article's language (sentence splitting, stemming)


@dataclass
class Citation:
    """A marker [n] in the answer text, resolved to the passage it points at."""

    n: int
    doc_id: str
    title: str
    outlet: str
    author: str
    date: str
    kind: str
    text: str  # the whole cited passage
    quote: str  # the exact supporting span inside the passage
    start: int  # offsets of `quote` in the article text
    end: int
    passage_start: int = 0
    passage_end: int = 0
    # every sentence of the passage the answer cites it for (article offsets, in article order;
    # `start`/`end` is one of them): a passage cited by two claims, or by a claim and a listed
    # figure, supports each with its own sentence, and each is highlighted (empty: only `quote`)
    spans: list[tuple[int, int]] = field(default_factory=list)

    def passage_spans(self) -> list[tuple[int, int]]:
        """`spans` as offsets into `text`, those that lie inside it (an article changed since
        a report was written may leave some outside)."""
        inside = [(a - self.passage_start, b - self.passage_start) for a, b in self.spans]
        return [(a, b) for a, b in inside if 0 <= a < b <= len(self.text)]

    def quotes(self) -> list[str]:
        """The supporting sentences, in article order; `quote` alone when no span fits."""
        return [self.text[a:b] for a, b in self.passage_spans()] or [self.quote]

    def add_span(self, start: int, end: int) -> None:
        """Also cite the sentence at article offsets [start, end) of this passage."""
        spans = self.spans or [(self.start, self.end)]
        if (start, end) not in spans:
            self.spans = sorted(spans + [(start, end)])


class CheckKind(StrEnum):
    """What a check found; shared by the pipeline, the chat window and the evaluation."""

    # a claim of the generated answer
    MARKER_OUT_OF_RANGE = "marker_out_of_range"  # [n] names no passage given
    MARKER_UNSUPPORTED = "marker_unsupported"  # the cited passage does not support the claim
    CLAIM_REMOVED = "claim_removed"  # no passage supports it (why: the detail)
    REATTRIBUTED = "reattributed"  # moved to the passage that supports it
    ATTRIBUTED = "attributed"  # an opinion's or analysis's claim names its source
    CLAIM_DUPLICATE = "claim_duplicate"
    CLAIM_TRIMMED = "claim_trimmed"
    # the answer as a whole
    LANGUAGE_MISMATCH = "language_mismatch"
    PROMPT_LEAK = "prompt_leak"
    LOOP_CUT = "loop_cut"
    TRUNCATED = "truncated"
    FALLBACK = "fallback"  # replaced by quoted sentences
    MISSING_FIGURE = "missing_figure"  # a how-many answer without a figure, quoted instead
    ABSTAINED = "abstained"
    # what was added or how it was searched
    CONFLICT = "conflict"  # different figures listed side by side
    VIEWS = "views"  # each source's own sentence
    SOURCE_NAMED = "source_named"  # retrieval kept to the articles the question names
    SPREAD = "spread"  # each article's best passage first


@dataclass
class Check:
    """One thing the verifier found and what it did about it."""

    kind: CheckKind | str
    detail: str
    sentence: str = ""
    action: str = ""  # "removed" | "reattributed" | "kept" | "fallback" | "abstained"

    def __post_init__(self) -> None:
        if isinstance(self.kind, str) and not isinstance(self.kind, CheckKind):
            self.kind = CheckKind(self.kind)


@dataclass
class Conflict:
    """One entry of a side-by-side list: a figure one source gives (`value`), or one source's
    own sentence on the question (`value` None, `quantity` "view")."""

    value: float | None
    quantity: str  # what the figure counts ("Menschen"), or "view"
    passage: int  # the [n] of the passage it is quoted from
    doc_id: str
    source: str  # "outlet, kind, date" of the article
    sentence: str
    date: str = ""


@dataclass
class Answer:
    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)  # top-k by rank, then any deeper one a conflict list cites
    abstained: bool = False
    language: str = "de"
    timings: dict[str, float] = field(default_factory=dict)
    grounded: bool = True  # False when no claim survived the checks
    fallback: bool = False  # True when the text is the extractive fallback
    standalone_question: str = ""  # the follow-up rewritten for retrieval
    checks: list[Check] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    raw_text: str = ""  # what the model generated, before checks

    def quoted_sentences(self) -> list[str]:
        """Every sentence the answer's citations quote."""
        return [q for c in self.citations for q in c.quotes()]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class StreamEvent:
    """What `Assistant.stream()` yields: progress, tokens, then the final Answer."""

    kind: str  # "status" | "token" | "answer"
    text: str = ""
    answer: Answer | None = None
