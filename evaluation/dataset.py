"""The fixed question set and the gold evidence spans it points at.

A question's evidence strings are verbatim substrings of its articles; their
character spans (found with `str.find` in the article text as the indexer reads
it) are what a retrieved passage or a citation must overlap to count as a hit.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rag.settings import PROJECT_ROOT
from rag.types import RagError

QUESTIONS_PATH = PROJECT_ROOT / "data" / "eval" / "questions.jsonl"


@dataclass(frozen=True)
class GoldSpan:
    doc_id: str
    start: int
    end: int


def load_questions(path: Path | str = QUESTIONS_PATH) -> list[dict]:
    path = Path(path)
    if not path.is_file():
        raise RagError(f"question set not found: {path}")
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise RagError(f"{path}:{n} is not valid JSON: {e}") from None
    return out


def select(questions: list[dict], types: list[str] | None = None, ids: list[str] | None = None, limit: int | None = None) -> list[dict]:
    """The subset asked for: by type and/or id (both lists), then the first `limit`."""
    known_types = {q["type"] for q in questions}
    known_ids = {q["id"] for q in questions}
    if types:
        bad = sorted(set(types) - known_types)
        if bad:
            raise RagError(f"unknown question type(s) {', '.join(bad)}; known: {', '.join(sorted(known_types))}")
        questions = [q for q in questions if q["type"] in types]
    if ids:
        bad = sorted(set(ids) - known_ids)
        if bad:
            raise RagError(f"unknown question id(s): {', '.join(bad)}")
        questions = [q for q in questions if q["id"] in ids]
    if limit is not None:
        questions = questions[: max(0, limit)]
    if not questions:
        raise RagError("no questions selected")
    return questions


class ArticleTexts:
    """Article texts by doc_id, read as the indexer reads them (cleaned, so offsets agree)."""

    def __init__(self, corpus_dir: Path | str) -> None:
        self.corpus_dir = Path(corpus_dir)
        self._cache: dict[str, str] = {}

    def get(self, doc_id: str) -> str:
        if doc_id not in self._cache:
            text = ""
            for suffix in (".txt", ".md"):
                path = self.corpus_dir / f"{doc_id}{suffix}"
                if path.is_file():
                    from index.corpus import clean_text

                    text = clean_text(path.read_bytes().decode("utf-8-sig"))
                    break
            self._cache[doc_id] = text
        return self._cache[doc_id]


def gold_spans(question: dict, articles: ArticleTexts) -> list[GoldSpan]:
    """Where each evidence string sits in its article; a string not found is an error in the set."""
    spans = []
    for ev in question.get("evidence", []):
        text = articles.get(ev["doc_id"])
        at = text.find(ev["text"])
        if at < 0:
            raise RagError(f"{question['id']}: evidence not found verbatim in {ev['doc_id']}: {ev['text'][:60]!r}")
        spans.append(GoldSpan(ev["doc_id"], at, at + len(ev["text"])))
    return spans


def retrieval_query(question: dict) -> str:
    """The text the retriever alone is given: for a follow-up, the last user turn and
    the question (the pipeline's own fallback when its rewriting fails)."""
    last_user = next((t["content"] for t in reversed(question.get("history") or []) if t["role"] == "user"), "")
    return f"{last_user} {question['question']}".strip()
