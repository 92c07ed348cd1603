"""Hybrid retrieval: dense (Chroma through llama-index) + BM25, fused by weighted scores.

Fusion is written here (`weighted_score_fusion`, a few lines, after txtai's
hybrid scoring) rather than taken from llama-index's QueryFusionRetriever: that
class keeps only the fused score, and the pipeline needs each retriever's raw
score (the dense similarity decides abstention, both go in the report).
"""
from __future__ import annotations

import logging
import time

from collections import Counter

from index.store import _collection, check_store, chroma_client

from ..language import lexicon
from ..settings import Settings
from ..types import Passage, RagError

log = logging.getLogger(__name__)


def _minmax(scores: dict[str, float]) -> dict[str, float]:
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    if hi - lo < 1e-9:
        return {k: 1.0 for k in scores}
    return {k: (v - lo) / (hi - lo) for k, v in scores.items()}


def weighted_score_fusion(dense: dict[str, float], sparse: dict[str, float], dense_weight: float, sparse_weight: float) -> dict[str, float]:
    """Min-max normalise each retriever's scores, then add them with the weights.

    A candidate missing from one list scores 0 there. Normalising per query keeps
    BM25's unbounded scores and cosine similarities on one scale.
    """
    nd, ns = _minmax(dense), _minmax(sparse)
    return {k: dense_weight * nd.get(k, 0.0) + sparse_weight * ns.get(k, 0.0) for k in set(nd) | set(ns)}


def spread_by_article(passages: list[Passage]) -> list[Passage]:
    """Each article's best passage first (in rank order), then each one's second, and so on.

    For a question over all the articles ("Welche Angaben machen die Artikel …?"): ranked by
    score alone, the top three were 002, 002, 004 and the model answered from one article.
    Written here because llama-index's MMR diversifies by embedding, not by article."""
    seen: dict[str, int] = {}
    keyed = []
    for i, p in enumerate(passages):
        keyed.append((seen.get(p.doc_id, 0), i, p))
        seen[p.doc_id] = seen.get(p.doc_id, 0) + 1
    return [p for *_, p in sorted(keyed, key=lambda x: x[:2])]


class HybridRetriever:
    """Loads the store once; `retrieve()` is cheap enough to call per question."""

    def __init__(self, settings: Settings, embed_model) -> None:
        import Stemmer
        from llama_index.core import VectorStoreIndex
        from llama_index.core.schema import TextNode
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self.settings = settings
        self.manifest = check_store(settings)
        client = chroma_client(settings.store_dir)
        collection = _collection(client, settings.collection)
        got = collection.get(include=["documents", "metadatas"])
        if not got["ids"]:
            raise RagError(f"the index at {settings.store_dir} is empty; run `rag index`")
        if len(got["ids"]) != self.manifest.get("count", len(got["ids"])):
            raise RagError(f"the index at {settings.store_dir} holds {len(got['ids'])} chunks, its manifest {self.manifest.get('count')}; run `rag index --rebuild`")
        self.nodes = {
            i: TextNode(id_=i, text=t, metadata=m) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])
        }
        vector_store = ChromaVectorStore(chroma_collection=collection)
        self.index = VectorStoreIndex.from_vector_store(vector_store, embed_model=embed_model)
        self.embed_model = embed_model
        # BM25 stems in the corpus's main language (questions in another language are served
        # by the dense retriever: BM25 cannot bridge languages)
        langs = Counter(n.metadata.get("language") or "de" for n in self.nodes.values())
        self.language = langs.most_common(1)[0][0]
        self._bm25_language = lexicon(self.language).stemmer
        self._stemmer = Stemmer.Stemmer(self._bm25_language)
        self.chunk_docs = {n.metadata.get("doc_id") for n in self.nodes.values()}  # articles with chunks in the store
        self.dense, self.bm25 = self._retrievers(None)
        self._scoped: dict[frozenset[str], tuple] = {}  # retrievers for a question that names its sources
        self.doc_meta = {d: v.get("meta", {}) for d, v in self.manifest.get("docs", {}).items()}

    def _retrievers(self, docs: frozenset[str] | None):
        """Dense and BM25 retrievers over every chunk, or over the chunks of `docs` only
        (Chroma filters by doc_id; BM25 is built on those chunks: a few ms for an article)."""
        from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters
        from llama_index.retrievers.bm25 import BM25Retriever

        nodes = [n for n in self.nodes.values() if docs is None or n.metadata.get("doc_id") in docs]
        k = min(self.settings.candidates, len(nodes))
        filters = None
        if docs is not None:
            filters = MetadataFilters(filters=[MetadataFilter(key="doc_id", value=sorted(docs), operator=FilterOperator.IN)])
        dense = self.index.as_retriever(similarity_top_k=k, filters=filters)
        bm25 = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=k, stemmer=self._stemmer, language=self._bm25_language)
        return dense, bm25

    def retrieve(self, query: str, top_k: int | None = None, docs: list[str] | None = None, embedding=None) -> list[Passage]:
        """The `top_k` best chunks for `query`; from the articles `docs` only when given
        (a question that names its source); [] when none of `docs` is in the store.
        `embedding`: the query's vector when the caller has it (e5 "query: " prefix, as the
        dense retriever would embed it), so the question is embedded once."""
        from llama_index.core.schema import QueryBundle

        top_k = top_k or self.settings.top_k
        t0 = time.perf_counter()
        dense_r, bm25_r = self.dense, self.bm25
        if docs:
            key = frozenset(d for d in docs if d in self.chunk_docs)
            if not key:
                return []
            if key not in self._scoped:
                self._scoped[key] = self._retrievers(key)
            dense_r, bm25_r = self._scoped[key]
        bundle = QueryBundle(query, embedding=None if embedding is None else [float(x) for x in embedding])
        dense = {n.node.node_id: float(n.score or 0.0) for n in dense_r.retrieve(bundle)}
        sparse = {n.node.node_id: float(n.score or 0.0) for n in bm25_r.retrieve(query)}
        fused = weighted_score_fusion(dense, sparse, self.settings.dense_weight, self.settings.bm25_weight)
        # ids written after this retriever was built (a re-index under way) are skipped
        best = [k for k in sorted(fused, key=lambda k: (-fused[k], k)) if k in self.nodes][:top_k]
        out = [self.passage(cid, fused[cid], dense.get(cid), sparse.get(cid)) for cid in best]
        log.debug("retrieved %d passages in %.1f ms", len(out), 1000 * (time.perf_counter() - t0))
        return out

    def passage(self, chunk_id: str, score: float = 0.0, dense: float | None = None, sparse: float | None = None) -> Passage:
        """The stored chunk `chunk_id` as a Passage (scores: what retrieval gave it, if it ran)."""
        node = self.nodes[chunk_id]
        m = node.metadata
        return Passage(
            doc_id=m["doc_id"], text=node.text, start=int(m["start"]), end=int(m["end"]), score=round(score, 4),
            chunk_id=chunk_id, dense_score=dense, bm25_score=sparse,
            title=m.get("title", ""), outlet=m.get("outlet", ""), author=m.get("author", ""),
            date=m.get("date", ""), kind=m.get("kind", ""), language=m.get("language") or "de",
        )
