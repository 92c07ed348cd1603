"""The `rag` command: a thin layer over the library API.

    rag setup                 prepare the offline models (no-op when present)
    rag index [PATH]          index a folder of articles (default: the shipped corpus)
    rag ask "…" [--json]      answer one question, with sources
    rag chat                  the Gradio chat window on localhost
    rag docs                  list the indexed articles with their metadata

Errors are one line on stderr and a non-zero exit code, never a traceback
(set RAG_DEBUG=1 to see one).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import textwrap

from .types import RagError

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# OpenMP spin-waiting made query embedding take >1 s while the LLM ran (see notes)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def _settings(args):
    from .settings import load_settings

    overrides = {}
    for name in ("top_k", "llm_backend", "llm_model", "llm_base_url", "store_dir"):
        v = getattr(args, name, None)
        if v is not None:
            overrides[name] = v
    return load_settings(**overrides)


def cmd_setup(args) -> int:
    from .model_files import ensure_models

    ensure_models(_settings(args))
    print("models ready")
    return 0


def cmd_index(args) -> int:
    from index.store import build_index

    from .model_files import ensure_models

    s = _settings(args)
    ensure_models(s)
    if args.rebuild:
        import shutil

        shutil.rmtree(s.store_dir, ignore_errors=True)
    report = build_index(s, corpus_dir=args.path, progress=not args.quiet)
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(("rebuilt: " if report.rebuilt else "") + report.summary())
    return 0


def _print_answer(a) -> None:
    print(a.text)
    if a.abstained:
        return
    if a.citations:
        print("\nSources:")
        for c in a.citations:
            meta = ", ".join(x for x in (c.outlet, c.author, c.date, c.kind) if x and x != "unknown")
            print(f"[{c.n}] {c.title} ({meta})")
            for quote in c.quotes():
                print(textwrap.indent(textwrap.fill(f"„{quote.strip()}“", 100), "    "))
    notes = [c for c in a.checks if c.action in ("removed", "reattributed", "fallback")]
    if notes:
        print(f"\nChecks: {len(notes)} change(s) to the model's answer: " + "; ".join(f"{c.kind} ({c.detail})" for c in notes[:5]))
    t = a.timings
    print(f"\n(retrieval {t.get('retrieval', 0):.2f} s, first token {t.get('first_token', 0):.1f} s, total {t.get('total', 0):.1f} s)")


def cmd_ask(args) -> int:
    from .api import get_assistant

    question = args.question
    if question == "-":
        question = sys.stdin.read()
    history = None
    if args.history:
        try:
            with open(args.history, encoding="utf-8") as f:
                history = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            raise RagError(f"cannot read the history file {args.history}: {e}") from None
    a = _settings(args)
    answer = get_assistant(a).ask(question, history=history)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_answer(answer)
    return 0


def cmd_docs(args) -> int:
    from index.store import check_store

    m = check_store(_settings(args))
    for doc_id, d in sorted(m.get("docs", {}).items()):
        meta = d.get("meta", {})
        print(f"{doc_id}: {meta.get('title', '')} | {meta.get('outlet', '')} | {meta.get('author', '')} | {meta.get('date', '')} | {meta.get('kind', '')} | {d.get('chunks')} chunks")
    return 0


def cmd_chat(args) -> int:
    from ui.app import launch

    launch(_settings(args), host=args.host, port=args.port)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rag", description="Grounded, cited answers from news articles.")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp):
        sp.add_argument("--top-k", dest="top_k", type=int, help="passages to retrieve (default 5)")
        sp.add_argument("--backend", dest="llm_backend", choices=["llama-cpp", "openai", "ollama", "fake"], help="LLM backend")
        sp.add_argument("--model", dest="llm_model", help="GGUF path (llama-cpp) or model name (openai/ollama)")
        sp.add_argument("--base-url", dest="llm_base_url", help="server URL for openai/ollama backends")
        sp.add_argument("--store", dest="store_dir", help="index folder (default .rag/index)")

    sp = sub.add_parser("setup", help="prepare the offline default models")
    common(sp)
    sp.set_defaults(func=cmd_setup)
    sp = sub.add_parser("index", help="index a folder of .txt/.md articles")
    sp.add_argument("path", nargs="?", help="folder of articles (default: data/articles)")
    sp.add_argument("--rebuild", action="store_true", help="drop the index and build it anew")
    sp.add_argument("--quiet", action="store_true", help="no progress bar")
    common(sp)
    sp.set_defaults(func=cmd_index)
    sp = sub.add_parser("ask", help="answer one question")
    sp.add_argument("question", help="the question ('-' reads it from stdin)")
    sp.add_argument("--json", action="store_true", help="print the Answer as JSON")
    sp.add_argument("--history", help="JSON file with a list of {role, content} turns")
    common(sp)
    sp.set_defaults(func=cmd_ask)
    sp = sub.add_parser("docs", help="list the indexed articles")
    common(sp)
    sp.set_defaults(func=cmd_docs)
    sp = sub.add_parser("chat", help="start the chat window on localhost")
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=7860)
    common(sp)
    sp.set_defaults(func=cmd_chat)
    return p


def run_command(command, args) -> int:
    """Run `command(args)` as a command-line tool does: quiet library logging, and one line on
    stderr with a non-zero exit code for an error, never a traceback (RAG_DEBUG=1 shows one).
    Shared by `rag` and `rag-eval`."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # libraries that set their own loggers to DEBUG (bm25s) still only reach the user at WARNING
    for handler in logging.getLogger().handlers:
        handler.setLevel(logging.WARNING)
    for noisy in ("httpx", "chromadb", "sentence_transformers", "transformers", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    try:
        return command(args)
    except RagError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # last resort: one line, not a traceback
        if os.environ.get("RAG_DEBUG"):
            raise
        print(f"error: unexpected {type(e).__name__}: {e} (set RAG_DEBUG=1 for details)", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_command(args.func, args)


if __name__ == "__main__":
    sys.exit(main())
