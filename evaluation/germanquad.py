"""The GermanQuAD retrieval benchmark (../shared/benchmarks/germanquad, see its README).

Its 474 passages are written as .txt files into a temporary folder and indexed
through the product's own path (`build_index`: chunking, e5 embeddings, Chroma)
into a separate store (.rag/germanquad). Each of the 2,204 queries then goes
through the product's retrievers: dense alone, BM25 alone, and their weighted
fusion exactly as `HybridRetriever.retrieve` computes it. A passage may be split
into several chunks; a passage's rank is that of its best chunk. Reported:
MRR@10, Success@1, Success@5 (and @10), indexing throughput and query latency,
next to the published table, which is quoted from the README, not re-measured.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from rag.settings import PROJECT_ROOT, Settings, replace
from rag.types import RagError

from .metrics import percentile

DEFAULT_DIR = PROJECT_ROOT.parent / "shared" / "benchmarks" / "germanquad"
STORE_DIR = PROJECT_ROOT / ".rag" / "germanquad"
DEPTH = 10


def _jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise RagError(f"GermanQuAD file not found: {path}")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_benchmark(folder: Path) -> tuple[list[dict], list[dict], dict[str, str]]:
    docs = _jsonl(folder / "docs.jsonl")
    queries = _jsonl(folder / "queries.jsonl")
    gold = {r["query_id"]: r["doc_id"] for r in _jsonl(folder / "qrels.jsonl") if r.get("relevance", 1) > 0}
    return docs, queries, gold


def published_table(folder: Path) -> str:
    """The results table of the README, verbatim."""
    readme = folder / "README.md"
    if not readme.is_file():
        return ""
    lines = [line for line in readme.read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    return "\n".join(lines)


def published_rows(folder: Path) -> dict[str, list[float]]:
    rows = {}
    for line in published_table(folder).splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        try:
            rows[cells[0]] = [float(c) for c in cells[1:4]]
        except (ValueError, IndexError):
            continue
    return rows


def doc_ranking(chunk_scores: dict[str, float], chunk_doc: dict[str, str], depth: int = DEPTH) -> list[str]:
    """Passages ranked by their best chunk (ties broken by chunk id, as the retriever does)."""
    ranked, seen = [], set()
    for cid in sorted(chunk_scores, key=lambda c: (-chunk_scores[c], c)):
        d = chunk_doc[cid]
        if d not in seen:
            seen.add(d)
            ranked.append(d)
            if len(ranked) == depth:
                break
    return ranked


def rank_metrics(rankings: list[list[str]], golds: list[str]) -> dict[str, float]:
    n = len(golds)
    rr = s1 = s5 = s10 = 0.0
    for ranked, g in zip(rankings, golds):
        if g in ranked[:DEPTH]:
            r = ranked.index(g) + 1
            rr += 1 / r
            s1 += r == 1
            s5 += r <= 5
            s10 += r <= 10
    return {"mrr@10": rr / n, "success@1": s1 / n, "success@5": s5 / n, "success@10": s10 / n}


def _write_corpus(docs: list[dict], folder: Path) -> None:
    for d in docs:
        if not re.fullmatch(r"[\w-]+", d["doc_id"]):
            raise RagError(f"unexpected GermanQuAD doc_id {d['doc_id']!r}")
        (folder / f"{d['doc_id']}.txt").write_text(d["text"], encoding="utf-8")


def run_benchmark(settings: Settings, folder: Path = DEFAULT_DIR, out_dir: Path | None = None, limit: int | None = None,
                  candidates: int = 50, rebuild: bool = True, progress: bool = True, store_dir: Path = STORE_DIR) -> dict:
    import torch
    from tqdm import tqdm

    from index.embedding import load_embed_model
    from index.store import build_index
    from rag.evidence.retrieval import HybridRetriever, weighted_score_fusion

    folder = Path(folder)
    docs, queries, gold = load_benchmark(folder)
    if limit:
        queries = queries[:limit]
    gq = replace(settings, store_dir=Path(store_dir), collection="germanquad", candidates=candidates)

    # 1. index through the product's path, timed without the model load
    index_info: dict = {}
    if rebuild:
        shutil.rmtree(gq.store_dir, ignore_errors=True)
    embed = load_embed_model(gq, threads=os.cpu_count() or 2)  # what `rag index` uses
    with tempfile.TemporaryDirectory(prefix="germanquad-") as tmp:
        _write_corpus(docs, Path(tmp))
        report = build_index(gq, corpus_dir=Path(tmp), progress=progress, embed_model=embed)
    if report.added:
        index_info = {"passages": len(report.added), "chunks": report.chunks, "seconds": round(report.seconds, 2),
                      "passages_per_s": round(len(report.added) / report.seconds, 2),
                      "chunks_per_s": round(report.chunks / report.seconds, 2), "threads": os.cpu_count() or 2}
    else:
        index_info = {"passages": len(docs), "chunks": report.chunks, "seconds": None, "passages_per_s": None,
                      "note": "existing index reused; no throughput measured"}

    # 2. queries, with the query-time thread setting of the product
    torch.set_num_threads(max(1, settings.embed_threads))
    retriever = HybridRetriever(gq, embed)
    chunk_doc = {cid: n.metadata["doc_id"] for cid, n in retriever.nodes.items()}
    runs: dict[str, list[list[str]]] = {"dense": [], "bm25": [], "fused": []}
    lat: dict[str, list[float]] = {"dense": [], "bm25": [], "fused": []}
    retriever.retrieve(queries[0]["query_text"])  # warm-up (first call builds caches)
    for q in tqdm(queries, desc="GermanQuAD queries", unit="q", disable=not progress, dynamic_ncols=True):
        text = q["query_text"]
        t0 = time.perf_counter()
        dense = {n.node.node_id: float(n.score or 0.0) for n in retriever.dense.retrieve(text)}
        t1 = time.perf_counter()
        sparse = {n.node.node_id: float(n.score or 0.0) for n in retriever.bm25.retrieve(text)}
        t2 = time.perf_counter()
        fused = weighted_score_fusion(dense, sparse, gq.dense_weight, gq.bm25_weight)
        t3 = time.perf_counter()
        runs["dense"].append(doc_ranking(dense, chunk_doc))
        runs["bm25"].append(doc_ranking(sparse, chunk_doc))
        runs["fused"].append(doc_ranking(fused, chunk_doc))
        lat["dense"].append(t1 - t0)
        lat["bm25"].append(t2 - t1)
        lat["fused"].append(t3 - t0)
    golds = [gold[q["query_id"]] for q in queries]
    results = {}
    for name in runs:
        results[name] = rank_metrics(runs[name], golds) | {
            "latency_p50_ms": round(1000 * percentile(lat[name], 50), 1),
            "latency_p95_ms": round(1000 * percentile(lat[name], 95), 1),
        }
    from index.embedding import embed_fingerprint

    summary = {
        "benchmark": str(folder), "queries": len(queries), "passages": len(docs), "candidates": candidates,
        "dense_weight": gq.dense_weight, "bm25_weight": gq.bm25_weight, "chunk_chars": gq.chunk_chars,
        "embedding": embed_fingerprint(gq), "index": index_info, "results": results,
        "published": published_rows(folder),
    }
    summary["markdown"] = markdown(summary, published_table(folder))
    if out_dir is not None:
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "germanquad.md").write_text(summary["markdown"] + "\n", encoding="utf-8")
        (out_dir / "germanquad.json").write_text(json.dumps({k: v for k, v in summary.items() if k != "markdown"}, indent=1) + "\n", encoding="utf-8")
    return summary


LABELS = {
    "bm25": "ours: BM25 alone (llama-index BM25, German Snowball stemming)",
    "dense": "ours: dense alone (multilingual-e5-small)",
    "fused": "ours: fused (weighted {dw:g} dense + {bw:g} BM25)",
}


def markdown(s: dict, published: str) -> str:
    r = s["results"]
    rows = [
        f"| {LABELS[name].format(dw=s['dense_weight'], bw=s['bm25_weight'])} | {r[name]['mrr@10']:.3f} | "
        f"{r[name]['success@1']:.3f} | {r[name]['success@5']:.3f} | {r[name]['latency_p50_ms']:.1f} | {r[name]['latency_p95_ms']:.1f} |"
        for name in ("bm25", "dense", "fused")
    ]
    ix = s["index"]
    best = max(s["published"].items(), key=lambda kv: kv[1][0], default=None)
    fused = r["fused"]["mrr@10"]
    goal = (f"Goal: fused MRR@10 at or above the best published figure ({best[0]}, {best[1][0]:.3f}): "
            f"{fused:.3f} — {'met' if fused >= best[1][0] - 1e-9 else 'not met'}.") if best else ""
    idx = (f"{ix['passages']} passages ({ix['chunks']} chunks) indexed in {ix['seconds']:.1f} s: "
           f"**{ix['passages_per_s']:.1f} passages/s** ({ix['chunks_per_s']:.1f} chunks/s, {ix['threads']} threads, model load excluded)"
           if ix.get("passages_per_s") else ix.get("note", ""))
    return "\n".join([
        "# GermanQuAD retrieval benchmark",
        "",
        f"{s['queries']} queries over {s['passages']} passages, indexed through `build_index` "
        f"(chunks of at most {s['chunk_chars']} characters; a passage ranks by its best chunk; "
        f"{s['candidates']} candidate chunks per retriever before fusion). Embedding: `{s['embedding']}`.",
        "",
        "## Measured here",
        "",
        "| Retriever | MRR@10 | Success@1 | Success@5 | query p50 ms | query p95 ms |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        f"Indexing: {idx}. Query latency is per query on the CPU, "
        "the fused figure includes both retrievers and the fusion (one `HybridRetriever.retrieve`).",
        "",
        goal,
        "",
        "## Published (quoted from the benchmark README, not re-measured)",
        "",
        published,
    ])
