"""Incremental re-indexing, mismatch refusal and reopening, on a real Chroma store."""
import json
import subprocess
import sys

import pytest

from index.store import MANIFEST, build_index, check_store
from rag.settings import replace
from rag.types import RagError

pytestmark = pytest.mark.slow


def _corpus(tmp_path, texts):
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    for p in folder.glob("*.txt"):
        p.unlink()
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def test_incremental_reindex(tmp_path, settings, embed_model):
    s = replace(settings, store_dir=tmp_path / "store")
    a = "Nordkorea schickt Soldaten nach Russland. Das meldet der Geheimdienst."
    b = "China liefert offiziell keine Waffen. Es hält Putin aber den Rücken frei."
    c = "Die BRICS-Staaten trafen sich in Kasan. Der Gipfel fand im Oktober statt."
    folder = _corpus(tmp_path, {"a": a, "b": b, "c": c})
    r = build_index(s, folder, progress=False, embed_model=embed_model)
    assert sorted(r.added) == ["a", "b", "c"] and r.chunks == 3

    r = build_index(s, folder, progress=False, embed_model=embed_model)
    assert sorted(r.unchanged) == ["a", "b", "c"] and not (r.added or r.updated or r.removed)

    folder = _corpus(tmp_path, {"a": a, "b": b + " Neu hinzugefügt."})
    r = build_index(s, folder, progress=False, embed_model=embed_model)
    assert r.updated == ["b"] and r.removed == ["c"] and r.unchanged == ["a"] and r.chunks == 2

    # reopened from disk in a fresh process: the store serves the new text
    code = (
        "from rag.settings import load_settings; from index.embedding import load_embed_model; "
        "from rag.evidence.retrieval import HybridRetriever; "
        f"s = load_settings(store_dir={str(s.store_dir)!r}); r = HybridRetriever(s, load_embed_model(s)); "
        "p = r.retrieve('Was liefert China?', 1)[0]; print(p.doc_id, 'Neu hinzugefügt' in p.text)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.stdout.split()[-2:] == ["b", "True"], out.stderr[-2000:]


def test_mismatched_or_interrupted_index_is_refused(tmp_path, settings, embed_model):
    s = replace(settings, store_dir=tmp_path / "store")
    build_index(s, _corpus(tmp_path, {"a": "Ein Satz über Kim Jong Un."}), progress=False, embed_model=embed_model)
    check_store(s)
    with pytest.raises(RagError, match="embedding model"):
        check_store(replace(s, query_prefix="search: "))
    with pytest.raises(RagError, match="chunking"):
        check_store(replace(s, chunk_chars=500))
    manifest = json.loads((s.store_dir / MANIFEST).read_text())
    manifest["state"] = "writing"
    (s.store_dir / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(RagError, match="incomplete"):
        check_store(s)
    r = build_index(s, tmp_path / "corpus", progress=False, embed_model=embed_model)
    assert r.rebuilt and r.chunks == 1
    check_store(s)


def test_missing_index_is_a_clear_error(tmp_path, settings):
    with pytest.raises(RagError, match="no index"):
        check_store(replace(settings, store_dir=tmp_path / "none"))
