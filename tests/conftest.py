"""Shared fixtures: a real index of the shipped corpus in a temporary store, built once.

The embedding model and Chroma store are real; the LLM is FakeLLM unless a test
asks for the real default model (marked slow).
"""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


@pytest.fixture(scope="session")
def settings(tmp_path_factory):
    from rag.settings import load_settings

    return load_settings(store_dir=tmp_path_factory.mktemp("store"), llm_backend="fake")


@pytest.fixture(scope="session")
def embed_model(settings):
    from index.embedding import load_embed_model

    return load_embed_model(settings)


@pytest.fixture(scope="session")
def built_index(settings, embed_model):
    from index.store import build_index

    return build_index(settings, progress=False, embed_model=embed_model)


@pytest.fixture()
def make_assistant(settings, embed_model, built_index):
    """Build an Assistant over the real index with a given (fake) LLM."""
    from rag.pipeline import Assistant

    def make(llm=None, **changes):
        from rag.generation.llm import FakeLLM
        from rag.settings import replace

        return Assistant(replace(settings, **changes), llm=llm or FakeLLM(), embed_model=embed_model)

    return make


@pytest.fixture(scope="session")
def articles():
    from index.corpus import load_corpus
    from rag.settings import load_settings

    arts, _ = load_corpus(load_settings().corpus_dir)
    return {a.doc_id: a for a in arts}
