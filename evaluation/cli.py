"""`rag-eval`: the evaluation tool, beside the product (it answers through the public `ask()`).

    rag-eval [--suite eval|xquad-dev|all] [--sample N] [--type T,…] [--id ID,…] [--limit N]
             [--no-baseline] [--out DIR]    question sets through the assistant and the baseline
    rag-eval --retrieval-only               retrieval metrics on every question, no LLM
    rag-eval --compare A B                  metric differences between two report folders
    rag-eval --rescore DIR                  recompute the metrics of a finished report folder (no LLM)
    rag-eval --replay DIR [--out D]         DIR's stored model outputs through the current pipeline (no LLM)
    rag-eval --germanquad [--limit N]       the GermanQuAD retrieval benchmark

Each suite is answered from its own corpus and store (evaluation/suites.py); with several
suites, each gets a report folder under --out and a table of its own.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path

from rag.settings import PROJECT_ROOT, Settings
from rag.types import RagError


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def add_arguments(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--suite", default="eval", help="question set and corpus: eval (default), xquad-dev, or all")
    sp.add_argument("--sample", type=int, default=None,
                    help="XQuAD-style sets: question ids per language (default: the suite's, 60; 0: all)")
    sp.add_argument("--top-k", dest="top_k", type=int, help="passages to retrieve (default 5)")
    sp.add_argument("--backend", dest="llm_backend", choices=["llama-cpp", "openai", "ollama", "fake"], help="LLM backend")
    sp.add_argument("--model", dest="llm_model", help="GGUF path (llama-cpp) or model name (openai/ollama)")
    sp.add_argument("--base-url", dest="llm_base_url", help="server URL for openai/ollama backends")
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
    from .suites import SUITES, get_suite

    names = list(SUITES) if args.suite == "all" else [x.strip() for x in args.suite.split(",") if x.strip()]
    suites = [get_suite(n) for n in names]
    if getattr(args, "eval_questions", None):
        if len(suites) > 1:
            raise RagError("--questions takes one suite")
        suites = [replace_questions(suites[0], Path(args.eval_questions))]
    out = _out_dir(args)
    shared: dict = {}
    tables = []
    for suite in suites:
        folder = out / suite.name if len(suites) > 1 else out
        folder.mkdir(parents=True, exist_ok=True)
        tables.append((suite.name, run_suite(args, suite, suite.settings(settings), folder, shared)))
    for name, table in tables:
        print(f"\n## {name}\n\n{table}" if len(tables) > 1 else table)
    return 0


def replace_questions(suite, path: Path):
    import dataclasses

    if not path.is_file():
        raise RagError(f"question set not found: {path}")
    return dataclasses.replace(suite, questions=path)


def _ensure_index(settings: Settings, progress: bool) -> None:
    """A suite's own store is built (or brought up to date) before it is asked anything."""
    from index.store import build_index

    report = build_index(settings, progress=progress)
    if report.added or report.updated or report.removed:
        print(f"index {settings.store_dir}: {report.summary()}", file=sys.stderr)


def run_suite(args, suite, settings: Settings, out: Path, shared: dict) -> str:
    """One question set through the assistant (and the baseline); returns its overall table."""
    from . import plots
    from .baseline import Baseline
    from .dataset import ArticleTexts, select
    from .metrics import aggregate_groups
    from .report import DEFINITIONS, fingerprints, markdown, overall_table, settings_dict, write_json
    from .runner import retrieval_only, rows_for, run
    from .suites import load_suite_questions

    progress = not getattr(args, "quiet", False)
    if suite.corpus is not None:
        _ensure_index(settings, progress)
    questions = select(load_suite_questions(suite, args.sample), args.eval_types, args.eval_ids, args.eval_limit)
    articles = ArticleTexts(settings.corpus_dir)
    k = settings.top_k
    started = datetime.now().isoformat(timespec="seconds")
    t0 = time.perf_counter()

    if args.retrieval_only:
        from index.embedding import load_embed_model
        from rag.evidence.retrieval import HybridRetriever

        shared.setdefault("embed", load_embed_model(settings))
        retriever = HybridRetriever(settings, shared["embed"])
        rows = retrieval_only(retriever.retrieve, questions, articles, k)
        o = aggregate_groups(rows)["overall"]
        return (f"{suite.name}: {len(rows)} questions, {o['counts']['recall_at_k']} with evidence: "
                f"recall@{k} {o['recall_at_k']:.3f}, MRR@10 {o['mrr']:.3f}")

    from rag.pipeline import Assistant

    replay = None
    if getattr(args, "replay", None):
        from .replay import Replay

        folder = Path(args.replay) / suite.name  # a run of several suites keeps one folder per suite
        replay = Replay(folder if (folder / "questions.jsonl").is_file() else args.replay)
        questions = [q for q in questions if q["id"] in replay.records]
        assistant = Assistant(settings, llm=replay.llm, embed_model=shared.get("embed"))
        systems = {"assistant": (lambda q: replay.ask(assistant, q), assistant.retriever.retrieve)}
    else:
        if "llm" not in shared:
            from rag.model_files import ensure_models

            ensure_models(settings)
        assistant = Assistant(settings, llm=shared.get("llm"), embed_model=shared.get("embed"))
        systems = {"assistant": (lambda q: assistant.ask(q["question"], history=q["history"] or None), assistant.retriever.retrieve)}
        shared["llm"] = assistant.llm
    shared["embed"] = assistant.embed_model
    llm_fingerprint = replay.fingerprint if replay else assistant.llm.fingerprint
    baseline = None
    if not args.no_baseline and not replay:
        baseline = Baseline(settings, assistant.embed_model, assistant.llm)
        systems["baseline"] = (lambda q: baseline.ask(q["question"], q["history"]), baseline.retrieve)

    # taken before the run: a file edited while it runs (the code is already loaded) is not what ran
    fp = fingerprints(settings, llm_fingerprint, baseline.fingerprint if baseline else None, suite.questions)
    print(f"{suite.name}: evaluating {len(questions)} question(s) with {llm_fingerprint}"
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
        "selection": {"suite": suite.name, "question_set": str(suite.questions), "corpus": str(settings.corpus_dir),
                      "sample": args.sample if args.sample is not None else suite.sample, "types": args.eval_types,
                      "ids": args.eval_ids, "limit": args.eval_limit, "n_questions": len(questions)},
        "config": settings_dict(settings),
        "fingerprints": fp,
        "metrics": metrics,
        "definitions": DEFINITIONS,
    }
    write_json(out / "summary.json", summary)
    plots.scores_by_type(metrics, out / "scores_by_type.png")
    plots.latency(records, out / "latency.png")
    (out / "summary.md").write_text(markdown(summary, records), encoding="utf-8")
    print(f"report: {out}/summary.md", file=sys.stderr)
    return overall_table(metrics)


def main(argv: list[str] | None = None) -> int:
    """The `rag-eval` entry point: one-line errors, as the `rag` command (whose environment
    defaults it shares by importing it)."""
    from rag.cli import run_command

    def command(args) -> int:
        from rag.settings import load_settings

        overrides = {n: getattr(args, n) for n in ("top_k", "llm_backend", "llm_model", "llm_base_url", "store_dir")
                     if getattr(args, n, None) is not None}
        return run_eval(args, load_settings(**overrides))

    return run_command(command, build_parser().parse_args(argv))


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rag-eval", description="Evaluate the assistant on question sets with their corpora.")
    p.add_argument("--store", dest="store_dir", help="index folder of the eval suite (default .rag/index)")
    add_arguments(p)
    return p


__all__ = ["add_arguments", "build_parser", "main", "run_eval"]


if __name__ == "__main__":
    sys.exit(main())
