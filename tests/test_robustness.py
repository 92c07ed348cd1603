"""Crash safety of the index and fuzzing of ask() and ingestion (bounded runs)."""
import re
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from index.corpus import load_corpus
from index.store import build_index, check_store, read_manifest
from rag.settings import replace
from rag.types import RagError

pytestmark = pytest.mark.slow

INDEX_SCRIPT = (
    "import sys; from rag.settings import load_settings; from index.store import build_index; "
    "s = load_settings(store_dir=sys.argv[1]); build_index(s, sys.argv[2], progress=False)"
)


def _corpus(folder, articles, variant):
    folder.mkdir(exist_ok=True)
    for a in articles.values():
        (folder / f"{a.doc_id}.txt").write_text(a.text + f"\nVariante {variant}.", encoding="utf-8")
    return folder


@pytest.mark.parametrize("kill_after", [2.0, 6.0, 12.0])
def test_kill_9_during_indexing_never_serves_a_half_index(tmp_path, settings, embed_model, articles, kill_after):
    s = replace(settings, store_dir=tmp_path / "store")
    build_index(s, _corpus(tmp_path / "v1", articles, 1), progress=False, embed_model=embed_model)
    before = read_manifest(s.store_dir)["count"]
    proc = subprocess.Popen([sys.executable, "-c", INDEX_SCRIPT, str(s.store_dir), str(_corpus(tmp_path / "v2", articles, 2))])
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    state = read_manifest(s.store_dir)["state"]
    if state == "complete":  # finished, or killed before writing anything: a full index either way
        assert check_store(s)["count"] in (before, read_manifest(s.store_dir)["count"])
    else:
        with pytest.raises(RagError, match="incomplete"):
            check_store(s)
    report = build_index(s, tmp_path / "v2", progress=False, embed_model=embed_model)
    assert check_store(s)["state"] == "complete"
    from rag.evidence.retrieval import HybridRetriever

    hits = HybridRetriever(s, embed_model).retrieve("Wie viele Soldaten schickt Nordkorea?", 3)
    assert hits and report.chunks == read_manifest(s.store_dir)["count"]


def test_one_writer_at_a_time(tmp_path, settings):
    from filelock import FileLock

    from index.store import writer_lock

    s = replace(settings, store_dir=tmp_path / "store")
    s.store_dir.mkdir()
    with FileLock(str(s.store_dir / ".write.lock")):
        with pytest.raises(RagError, match="another indexing run"):
            with writer_lock(s.store_dir, timeout=0.2):
                pass


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    question=st.one_of(st.text(max_size=300), st.text(alphabet="[]0123456789 .,-\n\x00\u200b", max_size=50)),
    history=st.one_of(st.none(), st.lists(st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant"]), "content": st.text(max_size=100)}), max_size=4)),
    reply=st.text(max_size=200),
)
def test_fuzz_ask(make_assistant, articles, question, history, reply):
    from rag.generation.llm import FakeLLM

    try:
        a = make_assistant(FakeLLM(lambda m: reply)).ask(question, history=history)
    except RagError:
        return
    cited = {c.n for c in a.citations}
    assert all(int(n) in cited for n in re.findall(r"\[(\d+)\]", a.text))
    for c in a.citations:
        assert articles[c.doc_id].text[c.start : c.end] == c.quote


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(st.tuples(st.sampled_from(["a.txt", "b.md", "c.txt", "metadata.json"]), st.binary(max_size=2000)), max_size=4))
def test_fuzz_ingestion(tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("fuzz")
    for name, data in files:
        (folder / name).write_bytes(data)
    arts, warnings = load_corpus(folder)
    from index.chunking import chunk_article

    for a in arts:
        for c in chunk_article(a.doc_id, a.text, "de", 300, 1):
            assert c.text == a.text[c.start : c.end]


def test_an_optional_setting_reads_none_or_a_number(monkeypatch):
    from rag.settings import load_settings
    from rag.types import RagError

    assert load_settings().conflict_margin == 0.05
    for off in ("none", "off", ""):
        monkeypatch.setenv("RAG_CONFLICT_MARGIN", off)
        assert load_settings().conflict_margin is None
    monkeypatch.setenv("RAG_CONFLICT_MARGIN", "0.03")
    assert load_settings().conflict_margin == 0.03
    monkeypatch.setenv("RAG_CONFLICT_MARGIN", "wide")
    with pytest.raises(RagError, match="conflict_margin"):
        load_settings()
