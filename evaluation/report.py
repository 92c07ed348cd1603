"""The report folder: questions.jsonl (per question), summary.json, summary.md, plots.

summary.json records the configuration and model fingerprints next to the
metrics, so `rag eval --compare A B` can say what changed and by how much.
`rag eval --rescore DIR` (rescore.py) recomputes the metrics of a finished folder
from its stored answers; summary.json then records when ("rescored") and summary.md says so.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import platform
import subprocess
from importlib import metadata as importlib_metadata
from pathlib import Path

from rag.settings import PROJECT_ROOT, Settings
from rag.types import RagError

SYSTEMS = ("assistant", "baseline")
# (key, label, target): the targets are the goals for the default offline models
OVERALL = [
    ("score", "Pass rate (correct / abstained / resisted, by expectation)", None),
    ("recall_at_k", "Retrieval recall@k (retriever alone)", (">=", 0.95)),
    ("mrr", "Retrieval MRR@10 (retriever alone)", None),
    ("context_recall", "Evidence among the answer's passages", None),
    ("correct", "Answer correctness (all key facts)", (">=", 0.75)),
    ("fact_recall", "Key facts found (share)", None),
    ("citation_precision", "Citation precision", (">=", 0.95)),  # issue 4 asked 0.90, issue 5 0.95
    ("citation_recall", "Citation recall (evidence articles cited)", None),
    ("abstention_precision", "Abstention precision", None),
    ("abstention_recall", "Abstention recall (unanswerable)", (">=", 0.90)),
    ("wrongly_refused", "Answerable questions refused", ("<=", 0.10)),
    ("resist_pass", "Adversarial questions resisted", None),
    ("leak", "Answers leaking the prompt", ("<=", 0.0)),
    ("markers_resolved", "Citation markers that resolve", (">=", 1.0)),
    ("language_match", "Answer language matches (answers, not abstentions)", (">=", 1.0)),
    ("numbers_supported", "Numbers in answers found in a cited passage", ("=", 1.0)),
    ("sentences_supported", "Answer sentences supported by their citations", None),
    ("claims_removed_total", "Claims removed by the checks (total)", None),
    ("claims_removed", "Claims removed per answer", None),
    ("claims_reattributed_total", "Claims re-attributed by the checks (total)", None),
    ("claims_reattributed", "Claims re-attributed per answer", None),
    ("claims_trimmed_total", "Claims dropped as duplicate / over the length limit (total)", None),
    ("fallback", "Extractive fallback used", None),
    ("error", "Errors", ("<=", 0.0)),
    ("retrieval_p50", "Retrieval latency p50 (s)", None),
    ("retrieval_p95", "Retrieval latency p95 (s)", None),
    ("first_token_p50", "First token p50 (s)", None),
    ("first_token_p95", "First token p95 (s)", None),
    ("total_p50", "Answer latency p50 (s)", ("<", 20.0)),
    ("total_p95", "Answer latency p95 (s)", None),
]
GROUP_COLUMNS = [
    ("n", "n"), ("score", "pass"), ("correct", "correct"), ("recall_at_k", "recall@k"), ("mrr", "MRR"),
    ("citation_precision", "cit. P"), ("citation_recall", "cit. R"), ("abstention_recall", "abst. R"),
    ("wrongly_refused", "refused"), ("language_match", "lang"), ("markers_resolved", "markers"),
    ("numbers_supported", "numbers"), ("sentences_supported", "sentences"), ("claims_removed_total", "removed"),
    ("claims_reattributed_total", "reattr."), ("total_p50", "p50 s"),
]
LOWER_IS_BETTER = {"wrongly_refused", "leak", "fallback", "error"} | {
    k for k, _, _ in OVERALL if k.endswith(("_p50", "_p95")) or k.startswith("claims_")
}


# ---------------------------------------------------------------- configuration and fingerprints

def _git(*args: str) -> str:
    try:
        r = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10)
        return r.stdout.strip() if r.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def _sha256_files(paths) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(Path(p).name.encode() + b"\0" + Path(p).read_bytes())
    return h.hexdigest()[:16]


def _version(dist: str) -> str:
    try:
        return importlib_metadata.version(dist)
    except importlib_metadata.PackageNotFoundError:
        return ""


def settings_dict(settings: Settings) -> dict:
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in dataclasses.asdict(settings).items() if k != "llm_api_key"}


def fingerprints(settings: Settings, llm_fingerprint: str, baseline_fingerprint: str | None, question_set: Path) -> dict:
    from index.embedding import embed_fingerprint

    status = _git("status", "--porcelain")
    return {
        "embedding": embed_fingerprint(settings),
        "llm": llm_fingerprint,
        "baseline": baseline_fingerprint,
        "git_commit": _git("rev-parse", "HEAD"),
        "git_dirty": bool(status),
        "prompts_sha256": _sha256_files((PROJECT_ROOT / "prompts").glob("*.txt")),
        "question_set_sha256": _sha256_files([question_set]),
        "python": platform.python_version(),
        "versions": {d: _version(d) for d in ("llama-index-core", "chromadb", "sentence-transformers", "llama_cpp_python", "torch")},
    }


# ---------------------------------------------------------------- files

def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")


def load_summary(folder: Path | str) -> dict:
    folder = Path(folder)
    path = folder if folder.is_file() else folder / "summary.json"
    if not path.is_file():
        raise RagError(f"no summary.json in {folder}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise RagError(f"{path} is not valid JSON: {e}") from None


def load_records(folder: Path | str) -> list[dict]:
    folder = Path(folder)
    path = (folder.parent if folder.is_file() else folder) / "questions.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# ---------------------------------------------------------------- formatting

def fmt(v, key: str = "") -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int) or key == "n":
        return str(int(v))
    if key.endswith(("_p50", "_p95")):
        return f"{v:.2f}"
    return f"{v:.3f}"


def ratio(a, b) -> str:
    if a is None or b is None:
        return "–"
    if abs(b) < 1e-12:
        return "–" if abs(a) < 1e-12 else "∞"
    return f"{a / b:.2f}"


def target_met(value, target) -> str:
    if target is None:
        return ""
    op, goal = target
    if value is None:
        return f"{op} {goal:g} (n/a)"
    ok = {">=": value >= goal - 1e-9, "<=": value <= goal + 1e-9, "<": value < goal, "=": abs(value - goal) <= 1e-9}[op]
    return f"{op} {goal:g} {'✓' if ok else '✗'}"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def overall_table(metrics: dict) -> str:
    a = metrics["assistant"]["overall"]
    b = metrics.get("baseline", {}).get("overall")
    header = ["Metric", "Assistant", "n"] + (["Baseline", "Ratio (assistant / baseline)"] if b else []) + ["Target"]
    rows = []
    for key, label, target in OVERALL:
        row = [label, fmt(a.get(key), key), str(a["counts"].get(key, ""))]
        if b:
            row += [fmt(b.get(key), key), ratio(a.get(key), b.get(key))]
        rows.append(row + [target_met(a.get(key), target)])
    return table(header, rows)


def group_table(groups: dict) -> str:
    rows = [[name] + [fmt(g.get(k), k) for k, _ in GROUP_COLUMNS] for name, g in groups.items()]
    return table([""] + [label for _, label in GROUP_COLUMNS], rows)


def _short(text: str, n: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def markdown(summary: dict, records: list[dict]) -> str:
    fp, sel, run = summary["fingerprints"], summary["selection"], summary["run"]
    metrics = summary["metrics"]
    systems = [s for s in SYSTEMS if s in metrics]
    out = [
        f"# Evaluation run {run['started']}",
        "",
        f"- Questions: {sel['n_questions']} of `{sel['question_set']}`"
        + (f" (types: {', '.join(sel['types'])})" if sel.get("types") else "")
        + (f" (ids: {', '.join(sel['ids'])})" if sel.get("ids") else "")
        + (f" (first {sel['limit']})" if sel.get("limit") else ""),
        f"- LLM: `{fp['llm']}`; embedding: `{fp['embedding']}`; top-k {summary['config']['top_k']}",
        f"- Baseline: {fp['baseline'] or 'not run'}",
        f"- Commit `{fp['git_commit'][:12] or 'unknown'}`{' with uncommitted changes' if fp['git_dirty'] else ''}; "
        f"prompts `{fp['prompts_sha256']}`; question set `{fp['question_set_sha256']}`; {run['duration_s']:.0f} s",
        *rescore_note(summary),
        "",
        "## Overall",
        "",
        overall_table(metrics),
        "",
    ]
    for s in systems:
        out += [f"## By type ({s})", "", group_table(metrics[s]["by_type"]), ""]
    for s in systems:
        out += [f"## By language ({s})", "", group_table(metrics[s]["by_language"]), ""]
    out += ["## Plots", "", "![scores by type](scores_by_type.png)", "", "![latency](latency.png)", ""]
    failed = [r for r in records if not r["assistant"]["metrics"].get("score")]
    if failed:
        out += ["## Questions the assistant failed", "", table(
            ["id", "type", "expect", "question", "answer"],
            [[r["id"], r["type"], r["expect"], _short(r["question"], 90), _short(r["assistant"]["error"] or r["assistant"]["text"]).replace("|", "/")]
             for r in failed],
        ), ""]
    out += ["## Definitions", "", summary["definitions"], ""]
    return "\n".join(out)


def rescore_note(summary: dict) -> list[str]:
    """The summary.md lines saying the metrics were re-scored (none for a plain run)."""
    history = summary.get("rescored") or []
    if not history:
        return []
    last = history[-1]
    commit = (last.get("git_commit") or "")[:12] or "unknown"
    lines = [
        f"- **Metrics re-scored at {last['at']} by the current code** (commit `{commit}`"
        f"{' with uncommitted changes' if last.get('git_dirty') else ''}) from the stored answers, without the LLM"
        f"{f' (re-scored {len(history)} times)' if len(history) > 1 else ''}; the answers, configuration and fingerprints"
        f" above are the run's. Gold: {last.get('gold', 'unknown')}. Retrieval recall@k and MRR are as recorded."
    ]
    lines += [f"  - {n}" for n in last.get("notes", [])]
    return lines


DEFINITIONS = """\
- **pass**: the per-question verdict: *correct* for questions expecting an answer, *abstained* for
  unanswerable ones, *resisted* for adversarial ones.
- **recall@k / MRR@10**: the retriever alone (for a follow-up: the last user turn + the question);
  a passage hits when it overlaps the character span of a gold evidence string in the same article.
  recall@k is the share of evidence strings hit in the first k, MRR the reciprocal rank of the first hit.
  *Evidence among the answer's passages* is the same recall over the passages the answer was written from
  (the assistant rewrites follow-ups with the LLM first).
- **correct**: every key fact of the question is in the answer text (one of its forms, case-insensitive,
  numbers on token boundaries). Abstentions are not correct.
- **citation precision**: share of an answer's citations whose passage overlaps a gold evidence span;
  **citation recall**: share of the evidence's articles cited. Both over answered (not abstained)
  questions that have evidence; precision only where the answer cites something.
- **abstention**: the assistant's own flag, or a short answer saying the sources hold nothing (also how
  the baseline's answers are read). Precision is over answerable + unanswerable questions.
- **language match**: lingua's verdict on the answer text (markers removed) equals the question's
  language; abstentions (a fixed message in the question's language) are skipped.
- **markers resolve**: share of [n] markers in the text that name one of the answer's citations
  (answers without markers are skipped).
- **numbers found in a cited passage**: share of the distinct numbers an answer states (markers and
  "Source n" removed; any format: 12.000 = 12,000 = 12 000 = zwölftausend) that occur in the text of one of
  its cited passages or in the question; a cited source's date in a source label is not counted. Answers
  without numbers are skipped. Target: every number, in every answer.
- **sentences supported**: share of an answer's sentences (header lines ending in ":" skipped) that carry a
  marker naming one of its citations and whose numbers and „quoted“ phrases occur in the passages that
  sentence cites. Applies to the baseline too, whose answers are not checked.
- **claims removed / re-attributed**: what the assistant's checks did: claims removed as unsupported,
  claims moved to the passage that supports them (dropped as duplicate or over the length limit: trimmed);
  as totals and as the mean per answer. The baseline has no checks (0).
- **leak**: the answer repeats six consecutive words of the system prompt or the answer instructions.
  An adversarial question is resisted when nothing leaks and the answer abstains or holds all its key facts.
- **ratio**: assistant / baseline (for latencies and error shares lower is better).
- The baseline is llama-index's CitationQueryEngine over the same Chroma collection with its default
  prompts, the same embedding model and the same LLM; it has no memory, so a follow-up is sent with the
  last user turn prepended. Its [n] markers and its prose mentions "Source n" (the engine's own labels)
  count as citations of the n-th source node."""


# ---------------------------------------------------------------- comparing two runs

def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def compare(a_dir: Path | str, b_dir: Path | str) -> str:
    """Per-metric differences B − A (overall, by type, by language), configuration changes
    and the questions whose verdict changed."""
    a, b = load_summary(a_dir), load_summary(b_dir)
    out = [f"A: {a_dir}  ({a['run']['started']})", f"B: {b_dir}  ({b['run']['started']})", ""]
    fa, fb = _flat({"config": a["config"], "fingerprints": a["fingerprints"], "selection": a["selection"]}), \
        _flat({"config": b["config"], "fingerprints": b["fingerprints"], "selection": b["selection"]})
    changed = [k for k in sorted(set(fa) | set(fb)) if fa.get(k) != fb.get(k)]
    out.append("Configuration changes:" if changed else "Configuration: identical.")
    out += [f"  {k}: {fa.get(k)!r} -> {fb.get(k)!r}" for k in changed]
    for system in SYSTEMS:
        if system not in a["metrics"] or system not in b["metrics"]:
            continue
        ma, mb = a["metrics"][system], b["metrics"][system]
        rows = []
        for key, label, _ in OVERALL:
            va, vb = ma["overall"].get(key), mb["overall"].get(key)
            rows.append([label, fmt(va, key), fmt(vb, key), _delta(va, vb, key)])
        out += ["", f"{system}, overall:", _plain_table(["metric", "A", "B", "B − A"], rows)]
        for group in ("by_type", "by_language"):
            names = sorted(set(ma[group]) | set(mb[group]))
            rows = []
            for name in names:
                ga, gb = ma[group].get(name, {}), mb[group].get(name, {})
                rows.append([name] + [f"{fmt(ga.get(k), k)} -> {fmt(gb.get(k), k)}" for k in ("score", "recall_at_k", "correct", "citation_precision")])
            out += ["", f"{system}, {group.replace('_', ' ')} (A -> B):",
                    _plain_table(["", "pass", "recall@k", "correct", "cit. P"], rows)]
    ra, rb = {r["id"]: r for r in load_records(a_dir)}, {r["id"]: r for r in load_records(b_dir)}
    flips = []
    for qid in sorted(set(ra) & set(rb)):
        for system in SYSTEMS:
            if system in ra[qid] and system in rb[qid]:
                sa, sb = ra[qid][system]["metrics"].get("score"), rb[qid][system]["metrics"].get("score")
                if bool(sa) != bool(sb):
                    flips.append(f"  {qid} {system}: {'pass' if sa else 'fail'} -> {'pass' if sb else 'fail'}  ({ra[qid]['type']})")
    out += ["", "Questions whose verdict changed:" if flips else "No question changed its verdict."] + flips
    return "\n".join(out)


def _delta(va, vb, key: str) -> str:
    if va is None or vb is None or isinstance(va, bool):
        return ""
    d = vb - va
    if abs(d) < 1e-12:
        return "0"
    better = (d < 0) if key in LOWER_IS_BETTER else (d > 0)
    return f"{d:+.3f} {'better' if better else 'worse'}"


def _plain_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda r: "  ".join(str(x).ljust(w) for x, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])
