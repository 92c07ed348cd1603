"""Re-scoring a finished report folder with the current metrics code, without the LLM.

`rag eval --rescore DIR` reads DIR/questions.jsonl and DIR/summary.json and, per
question and system (assistant, baseline), rebuilds the `Answer` from its stored
record:
- passages and citations get their text cut from the article text (as the indexer
  reads it) at the stored offsets; their source fields (title, outlet, author, date,
  kind) come from the record or, for older records, from the corpus metadata;
- checks come from the stored details, or from the "kind:action" strings;
- the baseline's citations are read again from its text over its stored passages
  (its [n] markers and "Source n" mentions, as `baseline.response_to_answer` does):
  they are the harness's reading of a plain text answer, not the system's output.
The gold (key facts, evidence) is the record's own when it has it, else the
question set's (the run's question set file when it still exists). Every
per-question metric is recomputed with `metrics.score_answer`; the retrieval-alone
metrics (recall@k, MRR) need the index and are kept as recorded.

Written: questions.jsonl (only the metrics change), summary.json (metrics,
definitions, a "rescored" entry; run, selection, config and fingerprints kept),
summary.md and the plots. The files as the run wrote them are kept once, as
questions.orig.jsonl and summary.orig.json, before the first re-scoring.
"""
from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path

from rag.settings import Settings, load_settings
from rag.types import Answer, Check, Citation, Passage, RagError

from .dataset import QUESTIONS_PATH, ArticleTexts, gold_spans, load_questions
from .baseline import source_citations
from .metrics import aggregate_groups, score_answer
from .report import DEFINITIONS, SYSTEMS, _git, _sha256_files, load_records, load_summary, markdown, write_json
from .runner import SOURCE_FIELDS, rows_for, text_sha1

# per-question metrics that need the retriever (and its index): kept as the run recorded them
KEPT_METRICS = ("recall_at_k", "mrr", "first_hit")


class _Notes:
    """Counted warnings, one line each in summary.md."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, message: str) -> None:
        self.counts[message] = self.counts.get(message, 0) + 1

    def lines(self) -> list[str]:
        return [m if n == 1 else f"{m} ({n}×)" for m, n in self.counts.items()]


def _corpus_meta(corpus_dir: Path) -> dict[str, dict]:
    from index.corpus import load_corpus

    try:
        articles, _ = load_corpus(corpus_dir)
    except RagError:
        return {}
    return {a.doc_id: a.meta() for a in articles}


def _source_fields(stored: dict, meta: dict[str, dict]) -> dict[str, str]:
    known = meta.get(stored.get("doc_id", ""), {})
    return {f: stored[f] if f in stored else str(known.get(f, "")) for f in SOURCE_FIELDS}


def _cut(articles: ArticleTexts, doc_id: str, start: int, end: int, sha: str | None, what: str, notes: _Notes) -> str:
    article = articles.get(doc_id)
    if not article:
        notes.add(f"article {doc_id} not found: its {what}s have no text")
        return ""
    text = article[start:end]
    if sha and text_sha1(text) != sha:
        notes.add(f"{what} text of {doc_id} [{start}:{end}] differs from the run's (the article changed?)")
    return text


def rebuild_answer(stored: dict, question: dict, system: str, articles: ArticleTexts, meta: dict[str, dict],
                   notes: _Notes | None = None) -> Answer:
    """The `Answer` a stored per-system record describes (see the module docstring)."""
    notes = notes or _Notes()
    passages = [
        Passage(
            doc_id=p["doc_id"], start=p["start"], end=p["end"], score=p.get("score") or 0.0,
            text=_cut(articles, p["doc_id"], p["start"], p["end"], p.get("text_sha1"), "passage", notes),
            chunk_id=p.get("chunk_id", ""), dense_score=p.get("dense_score"), bm25_score=p.get("bm25_score"),
            **_source_fields(p, meta),
        )
        for p in stored.get("passages", [])
    ]
    citations = []
    for c in stored.get("citations", []):
        ps, pe = c.get("passage_start", 0), c.get("passage_end", 0)
        if pe > ps:
            text = _cut(articles, c["doc_id"], ps, pe, c.get("text_sha1"), "cited passage", notes)
        elif 1 <= c["n"] <= len(passages) and passages[c["n"] - 1].doc_id == c["doc_id"]:
            text = passages[c["n"] - 1].text  # no passage offsets: the numbered passage it names
        else:
            text = c.get("quote", "")
        quote = c.get("quote", "")
        if quote and articles.get(c["doc_id"]) and articles.get(c["doc_id"])[c["start"] : c["end"]] != quote:
            notes.add(f"a quote of {c['doc_id']} is no longer at its offsets (the article changed?)")
        citations.append(Citation(
            n=c["n"], doc_id=c["doc_id"], text=text, quote=quote, start=c["start"], end=c["end"],
            passage_start=ps, passage_end=pe, spans=[tuple(x) for x in c.get("spans", [])],  # older runs: none
            **_source_fields(c, meta),
        ))
    if "check_details" in stored:
        checks = [Check(d["kind"], d.get("detail", ""), d.get("sentence", ""), d.get("action", "")) for d in stored["check_details"]]
    else:
        checks = [Check(kind, "", "", action) for kind, _, action in (s.partition(":") for s in stored.get("checks", []))]
    text = stored.get("text", "")
    if system == "baseline" and passages:
        reread = source_citations(text, passages)
        if [(c.n, c.doc_id) for c in reread] != [(c.n, c.doc_id) for c in citations]:
            notes.add("baseline citations read again from its text ([n] and \"Source n\") differ from the stored ones")
        citations = reread
    return Answer(
        question=question.get("question", ""), text=text, citations=citations, passages=passages,
        abstained=bool(stored.get("abstained")), language=stored.get("language") or question.get("language", "de"),
        timings=dict(stored.get("timings") or {}), grounded=stored.get("grounded", True), fallback=bool(stored.get("fallback")),
        standalone_question=stored.get("standalone_question") or "", checks=checks,
        conflicts=list(stored.get("conflicts") or []), raw_text=stored.get("raw_text") or "",
    )


def _question_set(summary: dict) -> Path:
    stored = (summary.get("selection") or {}).get("question_set")
    if stored and Path(stored).is_file():
        return Path(stored)
    return QUESTIONS_PATH


def rescore(folder: Path | str, settings: Settings | None = None, now: datetime | None = None, plots: bool = True) -> dict:
    """Recompute every metric of the report folder from its stored answers; rewrite its files.
    Returns the new summary."""
    folder = Path(folder)
    summary = load_summary(folder)
    records = load_records(folder)
    if not records:
        raise RagError(f"no questions.jsonl records in {folder}")
    settings = settings or load_settings()
    config = summary.get("config") or {}
    corpus_dir = Path(config["corpus_dir"]) if config.get("corpus_dir") and Path(config["corpus_dir"]).is_dir() else Path(settings.corpus_dir)
    k = int(config.get("top_k") or settings.top_k)
    articles = ArticleTexts(corpus_dir)
    meta = _corpus_meta(corpus_dir)
    notes = _Notes()

    qpath = _question_set(summary)
    question_set: dict[str, dict] | None = None
    from_set = 0
    new_records = []
    for rec in records:
        question = dict(rec)
        if "key_facts" not in rec or "evidence" not in rec:
            if question_set is None:
                question_set = {q["id"]: q for q in load_questions(qpath)} if qpath.is_file() else {}
            gold_q = question_set.get(rec["id"])
            if gold_q is None:
                notes.add(f"{rec['id']}: not in {qpath} and its record has no key facts: scored without gold")
                gold_q = {}
            elif gold_q.get("question") != rec.get("question"):
                notes.add(f"{rec['id']}: the question set's text differs from the run's")
            question["key_facts"] = gold_q.get("key_facts", [])
            question["evidence"] = gold_q.get("evidence", [])
            from_set += 1
        gold = gold_spans(question, articles)
        new = dict(rec)
        for system in SYSTEMS:
            if system not in rec:
                continue
            stored = rec[system]
            answer = rebuild_answer(stored, question, system, articles, meta, notes)
            metrics = score_answer(question, answer, gold, k, stored.get("error"))
            old = stored.get("metrics") or {}
            metrics.update({name: old[name] for name in KEPT_METRICS if name in old})
            new[system] = {**stored, "metrics": metrics}
        new_records.append(new)

    if from_set == 0:
        gold_from = "the key facts and evidence stored in the records"
    else:
        sha = _sha256_files([qpath]) if qpath.is_file() else "missing"
        run_sha = (summary.get("fingerprints") or {}).get("question_set_sha256")
        same = "same as the run's" if sha == run_sha else f"the run's was `{run_sha}`"
        gold_from = (f"the question set `{qpath}` (`{sha}`, {same}) for {from_set} of {len(records)} questions"
                     f"{'; the rest from the records' if from_set < len(records) else ''}")

    systems = [s for s in SYSTEMS if any(s in r for r in new_records)]
    summary["metrics"] = {name: aggregate_groups(rows_for(new_records, name)) for name in systems}
    summary["definitions"] = DEFINITIONS
    status = _git("status", "--porcelain")
    summary.setdefault("rescored", []).append({
        "at": (now or datetime.now()).isoformat(timespec="seconds"),
        "git_commit": _git("rev-parse", "HEAD"),
        "git_dirty": bool(status),
        "corpus_dir": str(corpus_dir),
        "gold": gold_from,
        "notes": notes.lines(),
    })

    for name, orig in (("questions.jsonl", "questions.orig.jsonl"), ("summary.json", "summary.orig.json")):
        if not (folder / orig).exists():
            shutil.copy2(folder / name, folder / orig)
    tmp = folder / "questions.jsonl.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for rec in new_records:
            f.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
    os.replace(tmp, folder / "questions.jsonl")
    write_json(folder / "summary.json", summary)
    if plots:
        from . import plots as plotting

        plotting.scores_by_type(summary["metrics"], folder / "scores_by_type.png")
        plotting.latency(new_records, folder / "latency.png")
    (folder / "summary.md").write_text(markdown(summary, new_records), encoding="utf-8")
    return summary


__all__ = ["rebuild_answer", "rescore"]
