"""The baseline: a plain llama-index pipeline over the same index, models and questions.

VectorStoreIndex over the same Chroma collection, CitationQueryEngine with its
default prompts, the same embedding model and the same LLM (our ChatBackend
wrapped as a llama-index CustomLLM). No hybrid retrieval, no abstention rule, no
checks: what llama-index gives out of the box. Its Response becomes our `Answer`
so the same metrics apply: passages are the engine's numbered source nodes, and
each [n] marker in its text that names a source becomes a citation.
"""
from __future__ import annotations

import re
import time
from typing import Any

from llama_index.core.base.llms.types import CompletionResponse, CompletionResponseGen, LLMMetadata
from llama_index.core.llms.callbacks import llm_completion_callback
from llama_index.core.llms.custom import CustomLLM
from pydantic import PrivateAttr

from rag.generation.llm import ChatBackend
from rag.settings import Settings
from rag.types import Answer, Citation, Passage

from .dataset import ArticleTexts, retrieval_query
from .metrics import cited_numbers
from .text import language_of

SOURCE_LABEL = re.compile(r"^\s*Source \d+:\s*\n?")


class BackendLLM(CustomLLM):
    """A llama-index LLM that sends each prompt as one user message to a ChatBackend."""

    context_window: int = 4096
    num_output: int = 320
    temperature: float = 0.0
    timeout_s: float = 90.0
    model_name: str = "backend"
    _backend: Any = PrivateAttr()

    def __init__(self, backend: ChatBackend, **kwargs: Any) -> None:
        super().__init__(model_name=backend.fingerprint, **kwargs)
        self._backend = backend

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(context_window=self.context_window, num_output=self.num_output, model_name=self.model_name)

    def _messages(self, prompt: str) -> list[dict[str, str]]:
        return [{"role": "user", "content": prompt}]

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        text = self._backend.complete(self._messages(prompt), self.num_output, self.temperature, self.timeout_s)
        return CompletionResponse(text=text)

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        def gen() -> CompletionResponseGen:
            text = ""
            for piece in self._backend.stream(self._messages(prompt), self.num_output, self.temperature, self.timeout_s):
                text += piece
                yield CompletionResponse(text=text, delta=piece)
            if not text:  # llama-index's callbacks need at least one response
                yield CompletionResponse(text="", delta="")

        return gen()


def node_to_passage(nws, articles: ArticleTexts | None = None) -> Passage:
    """A citation source node (text "Source n:\\n…", chunk metadata) as our Passage, with
    exact article offsets when its text is found in the article near the chunk."""
    node = nws.node
    body = SOURCE_LABEL.sub("", node.get_content(), count=1).strip()
    meta = node.metadata or {}
    doc_id = str(meta.get("doc_id", ""))
    start = int(meta.get("start", 0) or 0)
    end = int(meta.get("end", start + len(body)) or start + len(body))
    text = articles.get(doc_id) if articles is not None and doc_id else ""
    if text and body:
        at = text.find(body, max(0, start - 1))
        if 0 <= at <= end:
            start, end = at, at + len(body)
    score = float(nws.score) if nws.score is not None else 0.0
    return Passage(
        doc_id=doc_id, text=body, start=start, end=end, score=score, chunk_id=node.node_id, dense_score=score,
        title=meta.get("title", ""), outlet=meta.get("outlet", ""), author=meta.get("author", ""),
        date=meta.get("date", ""), kind=meta.get("kind", ""),
    )


def source_citations(text: str, passages: list[Passage]) -> list[Citation]:
    """How a plain text answer (the baseline's) is read: each source number it cites
    that names one of its numbered passages becomes a citation of the whole passage."""
    out = []
    for n in sorted(set(cited_numbers(text))):
        if 1 <= n <= len(passages):
            p = passages[n - 1]
            out.append(Citation(
                n=n, doc_id=p.doc_id, title=p.title, outlet=p.outlet, author=p.author, date=p.date, kind=p.kind,
                text=p.text, quote=p.text, start=p.start, end=p.end, passage_start=p.start, passage_end=p.end,
            ))
    return out


def response_to_answer(question: str, text: str, source_nodes: list, language: str, timings: dict[str, float] | None = None,
                       articles: ArticleTexts | None = None) -> Answer:
    """The engine's text and numbered source nodes as our Answer; markers [n] (and mentions
    of "Source n", the engine's own label) become citations."""
    passages = [node_to_passage(n, articles) for n in source_nodes]
    citations = source_citations(text, passages)
    text = text.strip()
    return Answer(
        question=question, text=text, citations=citations, passages=passages, language=language,
        abstained=not text or text == "Empty Response", timings=timings or {}, raw_text=text,
    )


class Baseline:
    """`ask(question, history)` -> Answer through llama-index's CitationQueryEngine."""

    def __init__(self, settings: Settings, embed_model, backend: ChatBackend, top_k: int | None = None) -> None:
        from llama_index.core import VectorStoreIndex
        from llama_index.core.query_engine import CitationQueryEngine
        from llama_index.vector_stores.chroma import ChromaVectorStore

        from index.store import _collection, chroma_client

        self.settings = settings
        self.top_k = top_k or settings.top_k
        collection = _collection(chroma_client(settings.store_dir), settings.collection)
        self.index = VectorStoreIndex.from_vector_store(ChromaVectorStore(chroma_collection=collection), embed_model=embed_model)
        self.llm = BackendLLM(
            backend, context_window=settings.llm_context, num_output=settings.max_answer_tokens,
            temperature=settings.temperature, timeout_s=settings.generation_timeout_s,
        )
        self.engine = CitationQueryEngine.from_args(self.index, llm=self.llm, similarity_top_k=self.top_k, streaming=True)
        self.articles = ArticleTexts(settings.corpus_dir)

    @property
    def fingerprint(self) -> str:
        return f"llama-index CitationQueryEngine (default prompts, dense top {self.top_k}) + {self.llm.model_name}"

    def retrieve(self, query: str, top_k: int) -> list[Passage]:
        """Dense retrieval alone (what the engine retrieves), ranked, for the retrieval metrics."""
        retriever = self.index.as_retriever(similarity_top_k=top_k)
        return [node_to_passage(n, self.articles) for n in retriever.retrieve(query)]

    def ask(self, question: str, history: list[dict] | None = None) -> Answer:
        from llama_index.core.schema import QueryBundle

        # no conversation memory in a plain pipeline: a follow-up goes in with the last user turn
        query = retrieval_query({"question": question, "history": history or []})
        language = language_of(question)
        t0 = time.perf_counter()
        bundle = QueryBundle(query)
        nodes = self.engine.retrieve(bundle)
        timings = {"retrieval": time.perf_counter() - t0}
        response = self.engine.synthesize(bundle, nodes)
        gen = getattr(response, "response_gen", None)
        if gen is not None:
            pieces = []
            for piece in gen:
                if not pieces:
                    timings["first_token"] = time.perf_counter() - t0
                pieces.append(piece)
            text = "".join(pieces)
        else:
            text = str(getattr(response, "response", "") or "")
        timings["total"] = time.perf_counter() - t0
        timings.setdefault("first_token", timings["total"])
        return response_to_answer(question, text, list(response.source_nodes), language,
                                  {k: round(v, 4) for k, v in timings.items()}, self.articles)
