"""The persistent Chroma store (through llama-index) and its manifest.

The manifest (`manifest.json` beside the Chroma files) records what built the
index (embedding model fingerprint, chunker) and, per article, its content hash
and chunk ids. Re-indexing compares hashes: unchanged articles are skipped,
changed ones replaced, deleted ones removed (content-hash re-indexing as in
simonw/llm).

Crash safety: before the first Chroma write of a run the manifest is marked
`"state": "writing"`; it becomes `"complete"` only after the last write. A store
found in "writing" state was interrupted: it is never served, and the next
`rag index` rebuilds it. Writers take a file lock; readers do not.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .config import IndexSettings as Settings
from .errors import RagError

from .chunking import Chunk, chunk_article, chunker_fingerprint
from .corpus import Article, load_corpus

MANIFEST = "manifest.json"
SCHEMA = 1


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0
    rebuilt: bool = False

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged; {self.chunks} chunks in the index ({self.seconds:.1f} s)"
        )


def _write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_manifest(store_dir: Path) -> dict | None:
    path = Path(store_dir) / MANIFEST
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {"state": "corrupt"}


@contextmanager
def writer_lock(store_dir: Path, timeout: float = 600):
    from filelock import FileLock, Timeout

    store_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(store_dir / ".write.lock"))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise RagError(f"another indexing run holds the lock on {store_dir}; try again when it has finished") from None
    try:
        yield
    finally:
        lock.release()


def chroma_client(store_dir: Path):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(path=str(store_dir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False, allow_reset=True))


def _drop_collection(store_dir: Path, name: str) -> None:
    """Empty the store for a rebuild; a store Chroma cannot open is removed from disk."""
    try:
        client = chroma_client(store_dir)
        if name in [c if isinstance(c, str) else c.name for c in client.list_collections()]:
            client.delete_collection(name)
    except Exception:  # corrupt files: start from nothing (the manifest already says "writing")
        from chromadb.api.client import SharedSystemClient

        SharedSystemClient.clear_system_cache()  # Chroma caches clients per path
        shutil.rmtree(store_dir / "chroma", ignore_errors=True)


def _collection(client, name: str):
    # cosine space: e5 vectors are normalised, and scores then read as similarities
    return client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"}, embedding_function=None)


def _nodes(article: Article, chunks: list[Chunk], vectors: list[list[float]]):
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    nodes = []
    for c, vec in zip(chunks, vectors):
        meta = article.meta() | {"start": c.start, "end": c.end, "chunk_index": c.index}
        node = TextNode(
            id_=c.chunk_id, text=c.text, metadata=meta, embedding=vec,
            start_char_idx=c.start, end_char_idx=c.end,
            excluded_embed_metadata_keys=list(meta), excluded_llm_metadata_keys=list(meta),
        )
        node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=article.doc_id)
        nodes.append(node)
    return nodes


def build_index(settings: Settings, corpus_dir: Path | None = None, progress: bool = True, embed_model=None, on_progress=None) -> IndexReport:
    """Bring the store in line with the corpus folder; returns what changed."""
    from .embedding import embed_fingerprint

    t0 = time.perf_counter()
    corpus_dir = Path(corpus_dir or settings.corpus_dir)
    articles, warnings = load_corpus(corpus_dir, settings.max_article_bytes)
    if not articles:
        raise RagError(f"no readable articles in {corpus_dir} (supported: {', '.join(('.txt', '.md'))}, UTF-8)")
    report = IndexReport(warnings=warnings)
    store_dir = settings.store_dir
    with writer_lock(store_dir):
        manifest = read_manifest(store_dir)
        want = {"embed_model": settings.embed_model, "embed_fingerprint": embed_fingerprint(settings),
                "chunker": chunker_fingerprint(settings.chunk_chars, settings.chunk_overlap_sentences)}
        fresh = (
            manifest is None or manifest.get("state") != "complete" or manifest.get("schema") != SCHEMA
            or any(manifest.get(k) != v for k, v in want.items()) or manifest.get("collection") != settings.collection
        )
        if fresh and manifest is not None:
            report.rebuilt = True
            _drop_collection(store_dir, settings.collection)
        docs = {} if fresh else dict(manifest.get("docs", {}))
        by_id = {a.doc_id: a for a in articles}
        todo = [a for a in articles if docs.get(a.doc_id, {}).get("hash") != a.content_hash]
        gone = [d for d in docs if d not in by_id]
        report.unchanged = [a.doc_id for a in articles if a not in todo]
        if not todo and not gone and not fresh:
            report.chunks = sum(d["chunks"] for d in docs.values())
            report.seconds = time.perf_counter() - t0
            return report  # nothing changed: no model loaded, no store opened
        # imported only when there is work: a no-change run stays well under a second
        from llama_index.vector_stores.chroma import ChromaVectorStore
        from tqdm import tqdm

        state = {"schema": SCHEMA, **want, "collection": settings.collection, "corpus_dir": str(corpus_dir),
                 "state": "writing", "docs": docs, "updated": time.time()}
        _write_json_atomic(store_dir / MANIFEST, state)

        client = chroma_client(store_dir)
        store = ChromaVectorStore(chroma_collection=_collection(client, settings.collection))
        for doc_id in gone:
            store.delete(doc_id)
            docs.pop(doc_id, None)
            report.removed.append(doc_id)
        if todo:
            if embed_model is None:
                from .embedding import load_embed_model

                embed_model = load_embed_model(settings, threads=os.cpu_count() or 2)
            planned = [(a, chunk_article(a.doc_id, a.text, a.language, settings.chunk_chars, settings.chunk_overlap_sentences)) for a in todo]
            total = sum(len(c) for _, c in planned)
            bar = tqdm(total=total, desc="Embedding chunks", unit="chunk", disable=not progress)
            done = 0
            for article, chunks in planned:
                vectors = []
                for i in range(0, len(chunks), 16):
                    batch = chunks[i : i + 16]
                    vectors += embed_model.get_text_embedding_batch([c.text for c in batch])
                    bar.update(len(batch))
                    done += len(batch)
                    if on_progress:
                        on_progress(done, total, article.doc_id)
                if article.doc_id in docs:
                    store.delete(article.doc_id)
                    report.updated.append(article.doc_id)
                else:
                    report.added.append(article.doc_id)
                store.add(_nodes(article, chunks, vectors))
                docs[article.doc_id] = {"hash": article.content_hash, "chunks": len(chunks), "meta": article.meta(), "path": str(article.path)}
            bar.close()
        count = store._collection.count()
        expected = sum(d["chunks"] for d in docs.values())
        if count != expected:
            raise RagError(f"index check failed: the store holds {count} chunks, the manifest expects {expected}; run `rag index --rebuild`")
        state.update(state="complete", docs=docs, updated=time.time(), count=count)
        _write_json_atomic(store_dir / MANIFEST, state)
        report.chunks = count
    report.seconds = time.perf_counter() - t0
    return report


def check_store(settings: Settings) -> dict:
    """Refuse, with the fixing command, a store that is missing, interrupted or mismatched."""
    from .embedding import embed_fingerprint

    manifest = read_manifest(settings.store_dir)
    fix = "run `rag index` (or `make index`)"
    if manifest is None:
        raise RagError(f"no index at {settings.store_dir}; {fix}")
    if manifest.get("state") == "corrupt":
        raise RagError(f"the index manifest at {settings.store_dir} is unreadable; run `rag index --rebuild`")
    if manifest.get("state") != "complete":
        raise RagError(f"the index at {settings.store_dir} is incomplete (an indexing run was interrupted); {fix} to rebuild it")
    if manifest.get("embed_fingerprint") != embed_fingerprint(settings):
        raise RagError(
            f"the index was built with embedding model {manifest.get('embed_model')!r} but {settings.embed_model!r} "
            f"is configured; use the same model or {fix} to rebuild"
        )
    want_chunker = chunker_fingerprint(settings.chunk_chars, settings.chunk_overlap_sentences)
    if manifest.get("chunker") != want_chunker:
        raise RagError(f"the index was built with chunking {manifest.get('chunker')!r}, the settings say {want_chunker!r}; {fix} to rebuild")
    return manifest
