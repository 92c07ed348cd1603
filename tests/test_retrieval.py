"""Ordering and fusion of retrieved passages (rag/evidence/retrieval.py), without the store."""
from rag.evidence.retrieval import spread_by_article
from rag.types import Passage


def _p(doc, score):
    return Passage(doc_id=doc, text=f"{doc} {score}", start=0, end=1, score=score)


def test_each_articles_best_passage_comes_first_in_rank_order():
    ranked = [_p("b", 0.9), _p("b", 0.8), _p("a", 0.7), _p("b", 0.6), _p("c", 0.5), _p("a", 0.4)]
    out = spread_by_article(ranked)
    assert [(p.doc_id, p.score) for p in out] == [("b", 0.9), ("a", 0.7), ("c", 0.5), ("b", 0.8), ("a", 0.4), ("b", 0.6)]
    assert spread_by_article([]) == []


def test_scores_are_normalised_per_retriever_then_weighted():
    from rag.evidence.retrieval import weighted_score_fusion

    fused = weighted_score_fusion({"a": 0.9, "b": 0.7}, {"b": 12.0, "c": 4.0}, 0.5, 0.5)
    assert fused == {"a": 0.5, "b": 0.5, "c": 0.0}  # a: best dense, absent from BM25; c: worst BM25, absent from dense
    # one candidate, or scores all alike, count fully
    assert weighted_score_fusion({"a": 0.3}, {}, 0.7, 0.3) == {"a": 0.7}
    assert weighted_score_fusion({}, {}, 0.5, 0.5) == {}
