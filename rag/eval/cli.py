"""`rag eval`: options and the run (rag/cli.py builds the subparser and calls in here).

    rag eval [--type T,…] [--id q001,…] [--limit N] [--no-baseline] [--out DIR]
    rag eval --retrieval-only           retrieval metrics on every question, no LLM
    rag eval --compare A B              metric differences between two report folders
    rag eval --rescore DIR              recompute the metrics of a finished report folder (no LLM)
    rag eval --replay DIR [--out D]     DIR's stored model outputs through the current pipeline (no LLM)
    rag eval --germanquad [--limit N]   the GermanQuAD retrieval benchmark
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path

from rag.settings import PROJECT_ROOT, Settings


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def add_arguments(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--type", dest="eval_types", type=_csv, help="only these question types (comma-separated)")
    sp.add_argument("--id", dest="eval_ids", type=_csv, help="only these question ids (comma-separated)")
    sp.add_argument("--limit", dest="eval_limit", type=int, help="only the first N questions (GermanQuAD: queries)")
    sp.add_argument("--out", dest="eval_out", help="report folder (default eval-runs/<timestamp>)")
    sp.add_argument("--no-baseline", dest="no_baseline", action="store_true", help="skip the llama-index baseline")
    sp.add_argument("--retrieval-only", dest="retrieval_only", action="store_true", help="retrieval metrics only (no LLM, fast)")
    sp.add_argument("--questions", dest="eval_questions", help="question set JSONL (default data/eval/questions.jsonl)")
    sp.add_argument("--compare", nargs=2, metavar=("A", "B"), help="print metric differences between two report folders")
    sp.add_argument("--rescore", metavar="DIR",
                    help="recompute the metrics of a finished report folder from its stored answers with the current code (no LLM)")
    sp.add_argument("--replay", metavar="DIR",
                    help="run the current pipeline (retrieval, checks, fallback, conflicts) on the model outputs stored in a "
                         "finished report folder instead of generating; writes a new report (no LLM, about a minute)")
    sp.add_argument("--germanquad", action="store_true", help="run the GermanQuAD retrieval benchmark instead")
    sp.add_argument("--germanquad-dir", dest="germanquad_dir", help="benchmark folder (default ../shared/benchmarks/germanquad)")
    sp.add_argument("--candidates", type=int, default=None, help="GermanQuAD: candidates per retriever before fusion (default 50)")
    sp.add_argument("--reuse-index", dest="reuse_index", action="store_true", help="GermanQuAD: keep an existing benchmark index (no throughput figure)")
    sp.add_argument("--quiet", action="store_true", help="no progress bar")


def _out_dir(args) -> Path:
    if getattr(args, "eval_out", None):
        out = Path(args.eval_out)
    else:
        out = PROJECT_ROOT / "eval-runs" / datetime.now().strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    return out


def run_eval(args, settings: Settings) -> int:
    if getattr(args, "compare", None):
        from .report import compare

        print(compare(*args.compare))
        return 0
    if getattr(args, "rescore", None):
        from .report import overall_table, rescore_note
        from .rescore import rescore

        summary = rescore(args.rescore, settings)
        print(overall_table(summary["metrics"]))
        print("\n".join(rescore_note(summary)), file=sys.stderr)
        print(f"\nre-scored: {Path(args.rescore) / 'summary.md'}", file=sys.stderr)
        return 0
    if getattr(args, "germanquad", False):
        from .germanquad import DEFAULT_DIR, run_benchmark

        out = _out_dir(args)
        result = run_benchmark(
            settings, Path(args.germanquad_dir) if args.germanquad_dir else DEFAULT_DIR, out,
            limit=args.eval_limit, candidates=args.candidates or 50, rebuild=not args.reuse_index, progress=not args.quiet,
        )
        print(result["markdown"])
        print(f"\nwritten to {out}", file=sys.stderr)
        return 0
    return run_question_set(args, settings)


def run_question_set(args, settings: Settings) -> int:
    from rag.api import get_assistant

    from . import plots
    from .baseline import Baseline
    from .dataset import QUESTIONS_PATH, ArticleTexts, load_questions, select
    from .metrics import aggregate_groups
    from .report import DEFINITIONS, fingerprints, markdown, overall_table, settings_dict, write_json
    from .runner import retrieval_only, rows_for, run

    qpath = Path(args.eval_questions) if getattr(args, "eval_questions", None) else QUESTIONS_PATH
    questions = select(load_questions(qpath), args.eval_types, args.eval_ids, args.eval_limit)
    articles = ArticleTexts(settings.corpus_dir)
    k = settings.top_k
    progress = not getattr(args, "quiet", False)
    started = datetime.now().isoformat(timespec="seconds")
    t0 = time.perf_counter()

    if args.retrieval_only:
        from index.embedding import load_embed_model
        from rag.retrieval import HybridRetriever

        retriever = HybridRetriever(settings, load_embed_model(settings))
        rows = retrieval_only(retriever.retrieve, questions, articles, k)
        agg = aggregate_groups(rows)
        o = agg["overall"]
        print(f"{len(rows)} questions, {o['counts']['recall_at_k']} with evidence: recall@{k} {o['recall_at_k']:.3f}, MRR@10 {o['mrr']:.3f}")
        for t, g in agg["by_type"].items():
            if g["recall_at_k"] is not None:
                print(f"  {t:15s} n={g['counts']['recall_at_k']:3d}  recall@{k} {g['recall_at_k']:.3f}  MRR {g['mrr']:.3f}")
        return 0

    replay = None
    if getattr(args, "replay", None):
        from rag.pipeline import Assistant

        from .replay import Replay

        replay = Replay(args.replay)
        questions = [q for q in questions if q["id"] in replay.records]
        assistant = Assistant(settings, llm=replay.llm)
        systems = {"assistant": (lambda q: replay.ask(assistant, q), assistant.retriever.retrieve)}
    else:
        assistant = get_assistant(settings)
        systems = {"assistant": (lambda q: assistant.ask(q["question"], history=q["history"] or None), assistant.retriever.retrieve)}
    llm_fingerprint = replay.fingerprint if replay else assistant.llm.fingerprint
    baseline = None
    if not args.no_baseline and not replay:
        baseline = Baseline(settings, assistant.embed_model, assistant.llm)
        systems["baseline"] = (lambda q: baseline.ask(q["question"], q["history"]), baseline.retrieve)

    # taken before the run: a file edited while it runs (the code is already loaded) is not what ran
    fp = fingerprints(settings, llm_fingerprint, baseline.fingerprint if baseline else None, qpath)
    out = _out_dir(args)
    print(f"Evaluating {len(questions)} question(s) with {llm_fingerprint}"
          f"{' and the baseline' if baseline else ''}; report in {out}", file=sys.stderr)
    with open(out / "questions.jsonl", "w", encoding="utf-8") as f:
        def write(rec: dict) -> None:
            f.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
            f.flush()

        records = run(questions, systems, articles, k, progress=progress, on_record=write)

    metrics = {name: aggregate_groups(rows_for(records, name)) for name in systems}
    summary = {
        "run": {"started": started, "finished": datetime.now().isoformat(timespec="seconds"),
                "duration_s": round(time.perf_counter() - t0, 1), "argv": sys.argv[1:]},
        "selection": {"question_set": str(qpath), "types": args.eval_types, "ids": args.eval_ids,
                      "limit": args.eval_limit, "n_questions": len(questions)},
        "config": settings_dict(settings),
        "fingerprints": fp,
        "metrics": metrics,
        "definitions": DEFINITIONS,
    }
    write_json(out / "summary.json", summary)
    plots.scores_by_type(metrics, out / "scores_by_type.png")
    plots.latency(records, out / "latency.png")
    (out / "summary.md").write_text(markdown(summary, records), encoding="utf-8")
    print(overall_table(metrics))
    print(f"\nreport: {out}/summary.md", file=sys.stderr)
    return 0


__all__ = ["add_arguments", "run_eval"]
