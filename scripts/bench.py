"""Benchmark (not a test): indexing, re-indexing, retrieval latency, answer latency.

    .venv/bin/python scripts/bench.py [--questions 10] [--no-llm] [--no-baseline] [--prompt-lookup N]

Prints figures next to the targets of this 2-core machine: re-index with nothing
changed < 2 s, retrieval p50 < 50 ms warm; answer latency (first token p50 <= 6 s,
answer p50 <= 9 s) on the first N questions of each question set (data/eval on the
shipped articles, the XQuAD dev sample on its articles), each question asked of the
assistant and of the plain llama-index baseline (CitationQueryEngine, same models) in
turn, with the ratio of the two.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def answer_latency(base, embed, args) -> list[tuple[str, str, str]]:
    """First-token and total latency of the assistant and the baseline on both question sets."""
    from evaluation.baseline import Baseline
    from evaluation.suites import get_suite, load_suite_questions
    from index.store import build_index
    from rag.generation.llm import make_backend
    from rag.pipeline import Assistant
    from rag.settings import replace

    llm = make_backend(replace(base, llm_prompt_lookup=args.prompt_lookup))
    got = {"assistant": {"first_token": [], "total": []}, "baseline": {"first_token": [], "total": []}}
    for name in ("eval", "xquad-dev"):
        suite = get_suite(name)
        s = suite.settings(base)
        build_index(s, progress=False, embed_model=embed)
        a = Assistant(s, llm=llm, embed_model=embed)
        b = None if args.no_baseline else Baseline(s, embed, llm)
        qs = [q for q in load_suite_questions(suite) if not q["history"] and q["expect"] == "answer"][: args.questions]
        for q in qs:
            ans = a.ask(q["question"])
            for k in ("first_token", "total"):
                got["assistant"][k].append(ans.timings[k])
            if b is not None:
                bans = b.ask(q["question"])
                for k in ("first_token", "total"):
                    got["baseline"][k].append(bans.timings[k])
    n = len(got["assistant"]["total"])
    rows = []
    for k, label, target in (("first_token", "time to first token", 6.0), ("total", "answer latency", 9.0)):
        mine = statistics.median(got["assistant"][k])
        note = f"target p50 <= {target:g} s"
        if got["baseline"][k]:
            theirs = statistics.median(got["baseline"][k])
            note += f"; baseline p50 {theirs:.1f} s, ratio {mine / theirs:.2f}"
        rows.append((f"{label} p50 / p95 ({n} answerable questions, both sets)", f"{mine:.1f} / {pct(got['assistant'][k], .95):.1f} s", note))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=10, help="questions per question set for the answer-latency part")
    ap.add_argument("--no-llm", action="store_true")
    ap.add_argument("--no-baseline", action="store_true", help="answer latency of the assistant only")
    ap.add_argument("--prompt-lookup", type=int, default=0, help="llama-cpp prompt-lookup decoding: tokens proposed per step")
    args = ap.parse_args()

    from index.embedding import load_embed_model
    from index.store import build_index
    from rag.pipeline import Assistant
    from rag.settings import load_settings, replace

    base = load_settings()
    qs = [json.loads(line) for line in (ROOT / "data/eval/questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        s = replace(base, store_dir=Path(tmp) / "a")
        t = time.perf_counter()
        embed = load_embed_model(s, threads=os.cpu_count())
        load_s = time.perf_counter() - t
        t = time.perf_counter()
        r = build_index(s, progress=False, embed_model=embed)
        cold = time.perf_counter() - t
        rows.append(("index build, cold (model load + chunk + embed + write)", f"{load_s + cold:.1f} s", f"{r.chunks} chunks; model load {load_s:.1f} s"))
        s2 = replace(base, store_dir=Path(tmp) / "b")
        t = time.perf_counter()
        build_index(s2, progress=False, embed_model=embed)
        rows.append(("index build, warm (model loaded)", f"{time.perf_counter() - t:.1f} s", f"{r.chunks / (time.perf_counter() - t):.1f} chunks/s"))
        times = []
        for _ in range(5):
            t = time.perf_counter()
            rr = build_index(s, progress=False)
            times.append(time.perf_counter() - t)
        assert not rr.added and not rr.updated
        rows.append(("re-index, nothing changed (median of 5)", f"{statistics.median(times) * 1000:.0f} ms", "target < 2 s"))

        a = Assistant(replace(s, llm_backend="fake"), embed_model=embed)  # retrieval alone here
        import torch

        torch.set_num_threads(s.embed_threads)
        lat = []
        for q in qs:
            t = time.perf_counter()
            a.retriever.retrieve(q["question"], s.top_k)
            lat.append(time.perf_counter() - t)
        lat = lat[3:]  # warm
        rows.append((f"retrieval latency p50 / p95 ({len(lat)} questions, warm)", f"{pct(lat, .5) * 1000:.0f} / {pct(lat, .95) * 1000:.0f} ms", "target p50 < 50 ms"))
        if not args.no_llm:
            rows += answer_latency(base, embed, args)
    print(f"\n{'measure':58} {'value':>16}  note")
    for name, value, note in rows:
        print(f"{name:58} {value:>16}  {note}")


if __name__ == "__main__":
    main()
