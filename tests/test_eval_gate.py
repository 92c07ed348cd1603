"""Regression gate: a change that makes retrieval or answers worse fails CI.

- Retrieval metrics on every question of the set: the real embedding model and a
  real Chroma index built once per session in a temporary store (fast: no LLM).
- Answer metrics on a few questions with the real default LLM (skipped, with the
  reason, when its GGUF file is missing).

Thresholds sit a little below what the pipeline reaches now; the measured values
are in the comments. Raise them when a change makes things better.
"""
from __future__ import annotations

import os

import pytest

from evaluation.dataset import ArticleTexts, gold_spans, load_questions, select
from evaluation.metrics import aggregate, aggregate_groups
from evaluation.runner import evaluate_one, retrieval_only
from rag.settings import DEFAULT_GGUF, load_settings, replace

pytestmark = pytest.mark.slow

# Retrieval alone, top-k 5, over the 66 questions with evidence (measured 2026-11 on the default settings).
MIN_RECALL_AT_K = 0.87  # measured 0.911 (chunks of 1000 characters; 0.858 at 800)
MIN_MRR = 0.79  # measured 0.829 (0.795 at 800)
# Per type, where retrieval is easy and must stay so.
MIN_RECALL_BY_TYPE = {
    "single_fact": 0.95,  # measured 1.000
    "numeric": 0.95,  # measured 1.000
    "attribution": 0.95,  # measured 1.000
    "date": 0.95,  # measured 1.000
}

# Answers with the real default LLM: German fact, German number, English attribution,
# English prompt-injection, German unanswerable near miss.
# Measured 2026-11-22 (default GGUF, llama-cpp, temperature 0; full run at 30aac5e, then
# `rag eval --replay` of it at the review fixes):
#   q001 pass, q014 pass, q044 pass, q062 pass (refused: "keine belegte Zahl"),
#   q081 pass (the model's "3000 soldiers the NIS says Pyongyang wants to provide" stays:
#   3000 is in the passage, though not as that figure; the conflict list adds the 12,000)
GATE_IDS = ["q001", "q014", "q044", "q062", "q081"]
MIN_PASSED = 3  # of 5; measured 5
MIN_CITATION_PRECISION = 0.6  # measured 0.81 (q081's conflict list cites sources outside the gold evidence)
MIN_LANGUAGE_MATCH = 0.5  # measured 1.0


@pytest.fixture(scope="session")
def gate(tmp_path_factory):
    """Settings pointing at a fresh index of the shipped corpus, and the loaded embedding model."""
    import torch

    from index.embedding import load_embed_model
    from index.store import build_index

    settings = load_settings(store_dir=tmp_path_factory.mktemp("gate-index"), llm_backend="fake")
    embed = load_embed_model(settings, threads=os.cpu_count() or 2)
    build_index(settings, corpus_dir=settings.corpus_dir, progress=False, embed_model=embed)
    torch.set_num_threads(max(1, settings.embed_threads))
    return settings, embed


def test_retrieval_gate(gate):
    from rag.evidence.retrieval import HybridRetriever

    settings, embed = gate
    retriever = HybridRetriever(settings, embed)
    rows = retrieval_only(retriever.retrieve, load_questions(), ArticleTexts(settings.corpus_dir), settings.top_k)
    agg = aggregate_groups(rows)
    overall = agg["overall"]
    report = f"recall@{settings.top_k} {overall['recall_at_k']:.3f}, MRR@10 {overall['mrr']:.3f}"
    assert overall["counts"]["recall_at_k"] >= 60, report
    assert overall["recall_at_k"] >= MIN_RECALL_AT_K, report
    assert overall["mrr"] >= MIN_MRR, report
    for qtype, minimum in MIN_RECALL_BY_TYPE.items():
        got = agg["by_type"][qtype]["recall_at_k"]
        assert got >= minimum, f"{qtype}: recall@{settings.top_k} {got:.3f} < {minimum}"


def test_answer_gate(gate):
    from rag.pipeline import Assistant

    settings, embed = gate
    llm_settings = replace(settings, llm_backend="llama-cpp", llm_model=DEFAULT_GGUF)
    if not llm_settings.llm_model_path.exists():
        pytest.skip(f"the default LLM is not on disk ({llm_settings.llm_model_path}); run `make setup` (CI has it)")
    assistant = Assistant(llm_settings, embed_model=embed)
    articles = ArticleTexts(settings.corpus_dir)
    rows, lines = [], []
    for q in select(load_questions(), ids=GATE_IDS):
        rec = evaluate_one(q, lambda q_: assistant.ask(q_["question"], history=q_["history"] or None), None,
                           gold_spans(q, articles), settings.top_k)
        m = rec["metrics"]
        rows.append({"id": q["id"], "type": q["type"], "language": q["language"], "expect": q["expect"], "metrics": m})
        lines.append(f"{q['id']} ({q['expect']}): {'pass' if m['score'] else 'FAIL'} {rec['error'] or rec['text'][:120]!r}")
        # what must hold for every answer, whatever the model writes
        assert not rec["error"], lines[-1]
        assert not m["leak"], lines[-1]
        if m["markers_resolved"] is not None:
            assert m["markers_resolved"] == 1.0, lines[-1]  # measured 1.0 on every answer
    agg = aggregate(rows)
    passed = sum(bool(r["metrics"]["score"]) for r in rows)
    why = "\n".join(lines)
    print(why)  # shown with -s / -rP
    assert passed >= MIN_PASSED, why
    assert (agg["citation_precision"] or 0.0) >= MIN_CITATION_PRECISION, why
    assert (agg["language_match"] or 0.0) >= MIN_LANGUAGE_MATCH, why
