"""The `rag` command as a user runs it: one-line errors, non-zero exit codes, JSON output."""
import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def rag(*args, env=None, timeout=300):
    e = dict(os.environ, RAG_LLM_BACKEND="fake", **(env or {}))
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], capture_output=True, text=True, env=e, timeout=timeout)


def one_line_error(r, needle):
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    lines = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and needle in lines[0], r.stderr[-1500:]


def test_ask_json(settings, built_index):
    r = rag("ask", "Wer ist Nico Lange?", "--json", "--store", str(settings.store_dir))
    assert r.returncode == 0, r.stderr[-2000:]
    a = json.loads(r.stdout)
    assert {"text", "citations", "passages", "abstained", "language", "timings"} <= set(a)
    assert a["language"] == "de" and a["passages"]


def test_errors_are_one_line(tmp_path, settings, built_index):
    store = ["--store", str(settings.store_dir)]
    one_line_error(rag("ask", "   ", *store), "empty")
    one_line_error(rag("ask", "x" * 100_000, *store), "too long")
    one_line_error(rag("ask", "Wer?", "--store", str(tmp_path / "none")), "no index")
    one_line_error(rag("index", str(tmp_path / "missing"), "--store", str(tmp_path / "s")), "not found")
    (tmp_path / "empty").mkdir()
    one_line_error(rag("index", str(tmp_path / "empty"), "--store", str(tmp_path / "s")), "no readable articles")
    one_line_error(rag("ask", "Wer?", *store, env={"RAG_EMBED_MODEL": str(tmp_path / "no-model")}), "embedding model not found")
    one_line_error(rag("ask", "Wer?", *store, "--backend", "llama-cpp", "--model", str(tmp_path / "x.gguf")), "LLM file not found")
    one_line_error(rag("ask", "Wer?", *store, env={"RAG_TOP_K": "many"}), "top_k")


def test_index_skips_bad_files_and_reports(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text("Kim Jong Un schickt Soldaten nach Russland.", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"\xff\xfe\x00\x00binary")
    r = rag("index", str(folder), "--store", str(tmp_path / "s"), "--quiet")
    assert r.returncode == 0, r.stderr[-2000:]
    assert "warning: b.txt: skipped" in r.stderr and "1 added" in r.stdout
    r = rag("index", str(folder), "--store", str(tmp_path / "s"), "--quiet")
    assert "1 unchanged" in r.stdout


def test_ask_prints_every_sentence_a_source_is_cited_for(capsys):
    from rag.verify.verifier import citation
    from rag.cli import _print_answer
    from rag.types import Answer, Passage

    text = "Erster Satz. Zweiter Satz ohne Bezug. Dritter Satz."
    p = Passage("d", text, 0, len(text), 1.0, title="T", outlet="DW")
    c = citation(1, p, (0, 12), more=[(text.index("Dritter"), len(text))])
    _print_answer(Answer(question="?", text="A [1]. B [1].", citations=[c], passages=[p]))
    out = capsys.readouterr().out
    assert "„Erster Satz.“" in out and "„Dritter Satz.“" in out and "Zweiter" not in out
