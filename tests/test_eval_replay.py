"""`rag-eval --replay`: stored model outputs through the current pipeline, real index and embeddings."""
import json

import pytest

from evaluation.cli import build_parser, run_eval
from rag.types import RagError

pytestmark = pytest.mark.slow


def _record(qid, raw, standalone):
    return {"id": qid, "assistant": {"raw_text": raw, "standalone_question": standalone, "text": "old"}}


def test_replay_checks_stored_outputs_again(settings, built_index, tmp_path, capsys):
    src = tmp_path / "run"
    src.mkdir()
    kasan = "Russland richtete am 22. Oktober den BRICS-Gipfel in Kasan aus [1]."
    invented = "Pjöngjang will 45.000 Soldaten schicken [1]."
    with open(src / "questions.jsonl", "w", encoding="utf-8") as f:
        f.write(json.dumps(_record("q001", kasan, "")) + "\n")
        f.write(json.dumps(_record("q014", invented, "")) + "\n")
    (src / "summary.json").write_text(json.dumps({"fingerprints": {"llm": "llama-cpp:test.gguf"}}))
    out = tmp_path / "out"
    args = build_parser().parse_args(["--replay", str(src), "--out", str(out), "--quiet"])
    assert run_eval(args, settings) == 0

    recs = {json.loads(line)["id"]: json.loads(line)["assistant"] for line in open(out / "questions.jsonl", encoding="utf-8")}
    assert set(recs) == {"q001", "q014"}  # only the questions the folder holds
    assert "Kasan" in recs["q001"]["text"] and recs["q001"]["metrics"]["correct"]
    assert recs["q014"]["fallback"] and "45.000" not in recs["q014"]["text"]  # the current checks ran
    assert set(recs["q001"]["timings"]) == {"retrieval"}  # no generation: no generation latency
    summary = json.loads((out / "summary.json").read_text())
    assert summary["fingerprints"]["llm"] == f"replay of {src} (llama-cpp:test.gguf)"


def test_replay_of_a_folder_without_outputs_is_a_clear_error(settings, tmp_path):
    args = build_parser().parse_args(["--replay", str(tmp_path)])
    with pytest.raises(RagError, match="not a report folder"):
        run_eval(args, settings)
    (tmp_path / "questions.jsonl").write_text('{"id": "q001", "baseline": {}}\n')
    with pytest.raises(RagError, match="no stored model outputs"):
        run_eval(args, settings)
