"""Ordering of retrieved passages (rag/retrieval.py), without the store."""
from rag.evidence.retrieval import spread_by_article
from rag.types import Passage


def _p(doc, score):
    return Passage(doc_id=doc, text=f"{doc} {score}", start=0, end=1, score=score)


def test_each_articles_best_passage_comes_first_in_rank_order():
    ranked = [_p("b", 0.9), _p("b", 0.8), _p("a", 0.7), _p("b", 0.6), _p("c", 0.5), _p("a", 0.4)]
    out = spread_by_article(ranked)
    assert [(p.doc_id, p.score) for p in out] == [("b", 0.9), ("a", 0.7), ("c", 0.5), ("b", 0.8), ("a", 0.4), ("b", 0.6)]
    assert spread_by_article([]) == []
