"""Running the question set: retrieval alone on every question, then each question
through a system's `ask()` (the assistant's public API, and the baseline), scored.

A record per question holds the question (with its key facts and evidence) and,
per system, the answer (text, citations and passages with their offsets, checks,
timings) and its metrics; records are handed to a callback
as they are made, so a report folder fills while the run goes on.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from rag.types import Answer, Passage, RagError

from .dataset import ArticleTexts, GoldSpan, gold_spans, retrieval_query
from .metrics import evidence_recall, gold_in, reciprocal_rank, score_answer

MRR_DEPTH = 10

Retrieve = Callable[[str, int], list[Passage]]
Ask = Callable[[dict], Answer]


def retrieval_scores(retrieve: Retrieve, question: dict, gold: Sequence[GoldSpan], k: int, depth: int = MRR_DEPTH) -> dict:
    """recall@k and MRR@depth of the retriever alone for one question (None without evidence)."""
    if question.get("scoring") == "span":  # hit: a passage holds a German gold span
        if question["expect"] != "answer":
            return {"recall_at_k": None, "mrr": None, "first_hit": None}
        ranked = retrieve(retrieval_query(question), max(k, depth))
        hit = next((i for i, p in enumerate(ranked[:depth], 1) if gold_in(question, p.text)), None)
        return {"recall_at_k": float(hit is not None and hit <= k), "mrr": 1 / hit if hit else 0.0, "first_hit": hit}
    if not gold:
        return {"recall_at_k": None, "mrr": None, "first_hit": None}
    ranked = retrieve(retrieval_query(question), max(k, depth))
    rr = reciprocal_rank(ranked, gold, depth)
    return {"recall_at_k": evidence_recall(ranked, gold, k), "mrr": rr, "first_hit": round(1 / rr) if rr else None}


def retrieval_only(retrieve: Retrieve, questions: Sequence[dict], articles: ArticleTexts, k: int) -> list[dict]:
    """Rows (question fields + metrics) with the retrieval metrics alone: fast, no LLM."""
    rows = []
    for q in questions:
        m = retrieval_scores(retrieve, q, gold_spans(q, articles), k)
        rows.append({"id": q["id"], "type": q["type"], "language": q["language"], "expect": q["expect"], "metrics": m})
    return rows


SOURCE_FIELDS = ("title", "outlet", "author", "date", "kind")
# the question's fields a record keeps: with key_facts and evidence a run can be re-scored
# (`rag eval --rescore`) against the gold it was scored with, whatever the question set holds now
QUESTION_FIELDS = ("id", "type", "language", "expect", "question", "history", "reference_answer", "key_facts", "evidence",
                   "gold_strings", "scoring", "article")


def text_sha1(text: str) -> str:
    """A short hash of a passage's text: `rag eval --rescore` cuts the text from the article
    at the stored offsets and checks it against this."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def answer_record(answer: Answer, metrics: dict, error: str | None = None) -> dict:
    """What a report keeps of one answer: enough to re-score it without the LLM
    (passage texts are cut from the articles at the stored offsets)."""
    return {
        "text": answer.text,
        "abstained": answer.abstained,
        "fallback": answer.fallback,
        "grounded": answer.grounded,
        "language": answer.language,
        "standalone_question": answer.standalone_question,
        "citations": [
            {"n": c.n, "doc_id": c.doc_id, "quote": c.quote, "start": c.start, "end": c.end,
             "spans": [list(s) for s in c.spans],
             "passage_start": c.passage_start, "passage_end": c.passage_end, "text_sha1": text_sha1(c.text)}
            | {f: getattr(c, f) for f in SOURCE_FIELDS}
            for c in answer.citations
        ],
        "passages": [
            {"doc_id": p.doc_id, "start": p.start, "end": p.end, "score": p.score,
             "dense_score": p.dense_score, "bm25_score": p.bm25_score, "chunk_id": p.chunk_id, "text_sha1": text_sha1(p.text)}
            | {f: getattr(p, f) for f in SOURCE_FIELDS}
            for p in answer.passages
        ],
        "timings": answer.timings,
        "checks": [f"{c.kind}:{c.action}" for c in answer.checks],
        "check_details": [{"kind": c.kind, "action": c.action, "detail": c.detail, "sentence": c.sentence} for c in answer.checks],
        "conflicts": answer.conflicts,
        "raw_text": answer.raw_text,
        "error": error,
        "metrics": metrics,
    }


def evaluate_one(question: dict, ask: Ask, retrieve: Retrieve | None, gold: Sequence[GoldSpan], k: int) -> dict:
    """Ask one question, score the answer; a RagError counts as a failed answer, not a crash."""
    error = None
    try:
        answer = ask(question)
    except RagError as e:
        error = str(e)
        answer = Answer(question=question["question"], text="", language=question["language"])
    metrics = score_answer(question, answer, gold, k, error)
    if retrieve is not None:
        metrics.update(retrieval_scores(retrieve, question, gold, k))
    return answer_record(answer, metrics, error)


def run(questions: Sequence[dict], systems: dict[str, tuple[Ask, Retrieve | None]], articles: ArticleTexts, k: int,
        progress: bool = True, on_record: Callable[[dict], None] | None = None) -> list[dict]:
    """Every question through every system (in turn, per question); returns the records."""
    from tqdm import tqdm

    records = []
    passed = {name: 0 for name in systems}
    bar = tqdm(questions, desc="Evaluating", unit="q", disable=not progress, dynamic_ncols=True)
    for i, q in enumerate(bar, 1):
        gold = gold_spans(q, articles)
        rec = {k_: q.get(k_) for k_ in QUESTION_FIELDS}
        for name, (ask, retrieve) in systems.items():
            bar.set_postfix_str(f"{q['id']} {name}")
            rec[name] = evaluate_one(q, ask, retrieve, gold, k)
            passed[name] += bool(rec[name]["metrics"]["score"])
        bar.set_postfix_str(" ".join(f"{n}={passed[n]}/{i}" for n in systems))
        records.append(rec)
        if on_record:
            on_record(rec)
    bar.close()
    return records


def rows_for(records: Sequence[dict], system: str) -> list[dict]:
    """The shape `metrics.aggregate` reads: question fields + that system's metrics."""
    return [
        {"id": r["id"], "type": r["type"], "language": r["language"], "expect": r["expect"], "metrics": r[system]["metrics"]}
        for r in records if system in r
    ]
