"""Question sets with their corpora: each suite is answered from its own articles and its own store.

- `eval`: the project's own set (`data/eval/questions.jsonl`, 83 questions with key facts and
  evidence spans) over the shipped articles and the default index.
- `xquad-dev`: `../shared/benchmarks/xquad-dev/` (German Wikipedia paragraphs; every question
  in German and in English; near-miss questions whose paragraph was left out), scored as its
  README says: correct when a gold span occurs in the answer (German questions: the German
  spans; English questions: English or German), citation precision and retrieval recall by a
  German gold span in the passage. Its store is `.rag/suites/xquad-dev/`, built on first use.

A suite's items are converted to one question shape (id, language, type, expect, question,
history, key_facts, evidence, and for span-scored sets `gold_strings`), so the runner, the
metrics and the report treat every suite alike.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from rag.settings import PROJECT_ROOT, Settings, replace
from rag.types import RagError

SHARED = PROJECT_ROOT.parent / "shared"


@dataclass(frozen=True)
class Suite:
    name: str
    questions: Path
    corpus: Path | None  # None: the settings' corpus and store (the default index)
    sample: int | None = None  # default number of question ids per language (None: all)

    def settings(self, base: Settings) -> Settings:
        """The settings that answer this suite: its corpus in a store of its own."""
        if self.corpus is None:
            return base
        return replace(base, corpus_dir=self.corpus, store_dir=PROJECT_ROOT / ".rag" / "suites" / self.name)


SUITES = {
    "eval": Suite("eval", PROJECT_ROOT / "data" / "eval" / "questions.jsonl", None),
    # 60 ids x 2 languages: 40 answerable, 20 near misses per language (see `sample_xquad`)
    "xquad-dev": Suite("xquad-dev", SHARED / "benchmarks" / "xquad-dev" / "questions.jsonl",
                       SHARED / "benchmarks" / "xquad-dev" / "articles", sample=60),
}


def get_suite(name: str) -> Suite:
    if name not in SUITES:
        raise RagError(f"unknown suite {name!r}; known: {', '.join(SUITES)}")
    suite = SUITES[name]
    if not suite.questions.is_file():
        raise RagError(f"suite {name}: question set not found at {suite.questions}")
    if suite.corpus is not None and not suite.corpus.is_dir():
        raise RagError(f"suite {name}: corpus folder not found at {suite.corpus}")
    return suite


def is_xquad(record: dict) -> bool:
    return "answers_de" in record and "answerable" in record


def from_xquad(r: dict) -> dict:
    """An XQuAD item in the common question shape. Its gold spans are one key fact (any
    of its forms counts); `gold_strings` (the German spans) decide citation and retrieval hits."""
    forms = list(r["answers_de"]) + (list(r["answers_en"]) if r["lang"] == "en" else [])
    return {
        "id": r["id"], "language": r["lang"], "type": "xquad" if r["answerable"] else "near_miss",
        "expect": "answer" if r["answerable"] else "abstain", "question": r["question"], "history": [],
        "key_facts": [{"fact": r["answers_de"][0], "forms": list(dict.fromkeys(forms))}] if r["answerable"] else [],
        "evidence": [], "gold_strings": list(r["answers_de"]), "article": r["article"], "scoring": "span",
    }


def _rank(key: str) -> str:
    return hashlib.sha1(key.encode()).hexdigest()


def sample_xquad(records: list[dict], n_ids: int) -> list[dict]:
    """A fixed sample: `n_ids` question ids, two thirds answerable and one third near misses
    (the full set has 18% near misses; a third gives 20 per language at 60 ids, enough to
    measure abstention), each group taken round-robin over the articles in hash order, and
    every id in both languages."""
    base = lambda r: r["id"].rsplit("-", 1)[0]  # noqa: E731
    by_id: dict[str, list[dict]] = {}
    for r in records:
        by_id.setdefault(base(r), []).append(r)
    chosen: list[str] = []
    for answerable, want in ((True, n_ids - n_ids // 3), (False, n_ids // 3)):
        per_article: dict[str, list[str]] = {}
        for i, rs in by_id.items():
            if rs[0]["answerable"] == answerable:
                per_article.setdefault(rs[0]["article"], []).append(i)
        queues = [sorted(ids, key=_rank) for _, ids in sorted(per_article.items())]
        picked: list[str] = []
        while len(picked) < want and any(queues):
            for q in queues:
                if q and len(picked) < want:
                    picked.append(q.pop(0))
        chosen += picked
    keep = set(chosen)
    return [r for r in records if base(r) in keep]


def load_suite_questions(suite: Suite, sample: int | None = None) -> list[dict]:
    """The suite's questions in the common shape; `sample` ids per language (XQuAD-style sets
    only; default: the suite's own sample size, 0: all)."""
    path = suite.questions
    records = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise RagError(f"{path}:{n} is not valid JSON: {e}") from None
    if records and is_xquad(records[0]):
        n_ids = suite.sample if sample is None else sample
        if n_ids:
            records = sample_xquad(records, n_ids)
        return [from_xquad(r) for r in records]
    return records
