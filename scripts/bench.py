"""Benchmark (not a test): indexing, re-indexing, retrieval latency, answer latency.

    .venv/bin/python scripts/bench.py [--questions 5] [--no-llm]

Prints figures next to the targets of this 2-core machine: re-index with nothing
changed < 2 s, retrieval p50 < 50 ms warm, answer p50 < 20 s.
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=5, help="questions for the answer-latency part")
    ap.add_argument("--no-llm", action="store_true")
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

        s = replace(s, llm_backend="fake") if args.no_llm else s
        a = Assistant(s, embed_model=embed)
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
            picks = [q for q in qs if q["type"] in ("single_fact", "numeric") and not q["history"]][: args.questions]
            ft, tot = [], []
            for q in picks:
                ans = a.ask(q["question"])
                ft.append(ans.timings["first_token"])
                tot.append(ans.timings["total"])
            rows.append((f"time to first token p50 ({len(picks)} questions)", f"{statistics.median(ft):.1f} s", ""))
            rows.append((f"answer total p50 / max ({len(picks)} questions)", f"{statistics.median(tot):.1f} / {max(tot):.1f} s", "target p50 < 20 s"))
    print(f"\n{'measure':58} {'value':>16}  note")
    for name, value, note in rows:
        print(f"{name:58} {value:>16}  {note}")


if __name__ == "__main__":
    main()
