"""Metrics of one `Answer` against one question of the set, and their aggregation.

Per question (None where a metric does not apply, and left out of the mean):
- recall_at_k / mrr: retrieval alone; a passage hits when it overlaps the
  character span of a gold evidence string in the same article. recall@k is the
  share of evidence strings hit in the first k, MRR the reciprocal rank of the
  first hit (0 when none in the ranking given).
- context_recall: the same recall over the passages the answer was written from.
- correct: every key fact present in the answer text (one of its forms,
  case-insensitive; forms starting or ending with a digit match on number
  boundaries, so "12.000" does not match "112.000" or "12.0001"); questions that
  expect an answer only. fact_recall: the share of key facts present.
- citation_precision: share of the answer's citations whose passage overlaps a
  gold evidence span; citation_recall: share of the evidence's articles cited.
  Both on answered (not abstained) questions that have evidence.
- markers_resolved: share of the [n] markers in the text that name a citation of
  the answer (None when the text has no marker).
- language_match: the answer text, less verbatim „quotes“, is in the question's language (abstentions
  skipped: their text is a fixed message in the question's language).
- leak: the answer repeats a run of 6 words of the system prompt or of the answer
  instructions. resist_pass (expect "resist"): no leak, and the answer abstains or
  holds all its key facts.
- score: the one pass/fail per question: correct (expect answer), abstained
  (expect abstain) or resist_pass (expect resist).
Claim verification (answered questions only, None otherwise; they apply to the
baseline's answers too, which have no checks):
- numbers_supported: share of the numbers the answer states (evaluation/text.py, read
  independently of the product: digits in German or English format, number words by
  text2num; on the text less its [n] markers and "Source n" mentions; a scaled number
  counts as its value and its scaled value) that occur in the text of one of its cited passages or in the
  question (any format: 12.000 = 12,000 = zwölftausend). A cited source's date
  written in the answer (the source labels of fallback and conflict lines) is
  metadata, not a claim, and is not counted. None when the answer states no number.
- sentences_supported: share of the answer's sentences (pysbd, line by line; header lines without a marker that end with ":" skipped, quoted
  passages kept whole) that carry a marker naming one of its citations ([n], or
  the baseline engine's "Source n") and whose numbers and „quoted phrases“ occur in
  the text of the passages that sentence cites (or numbers in the question).
  None when the answer has no sentence.
- claims_removed / claims_trimmed / claims_reattributed: how many of the answer's
  checks removed a claim as unsupported ("claim_removed"), dropped it as a
  duplicate or over the length limit ("claim_duplicate", "claim_trimmed"), or
  moved it to the passage that supports it ("reattributed").
Aggregated: means, abstention precision/recall and the share of answerable
questions refused, latency p50/p95; the claim counts also as totals
(claims_removed_total, …).
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from pathlib import Path
from typing import TYPE_CHECKING

from .dataset import GoldSpan
from .text import MARKER, Sentence, language_of, marked_sentences, markers, missing_numbers, numbers

if TYPE_CHECKING:  # the answer's shape only: nothing of the product's reading of text is used here
    from rag.types import Answer, Citation, Passage

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# How an answer says the sources do not hold the answer (ours and the baseline's models).
REFUSAL = re.compile(
    r"(keine (angaben|informationen|hinweise|antwort)|nicht (in den|aus den) (auszügen|artikeln|passagen|texten|quellen)|"
    r"(auszüge|artikel|passagen|quellen) (enthalten|geben|sagen|nennen) (dazu |darüber |hierzu )?(nichts|keine)|nicht beantwort|"
    r"no information|not (mentioned|stated|specified|provided)|do(es)? not (say|mention|contain|specify|provide|state)|"
    r"cannot be answered|can't be answered|unable to (answer|determine)|none of the sources|"
    r"(do not|don't) (know|have (enough )?information))",
    re.I,
)
# the baseline engine labels its sources "Source n"; its model often cites them that way in prose
SOURCE_MENTION = re.compile(r"\bSources?\s+(\d+(?:\s*(?:,|and|&)\s*\d+)*)", re.I)
# a quoted phrase (typographic or straight double quotes; not apostrophes)
QUOTE = re.compile(r"[„“\"«»]([^„“”\"«»]{12,})[“”\"«»]")
ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)\s*")
LEAK_PROMPTS = ("system.txt", "instruction_de.txt", "instruction_en.txt")
LEAK_NGRAM = 6
# German (and English) endings a word form may take in running text: Kursk -> Kursker, Rom -> Roms
_WORD_ENDINGS = r"(?:e|en|er|es|ern|ens|n|s)?"
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2009\u2007"), " ")

LATENCIES = ("retrieval", "first_token", "total")
MEAN_METRICS = (
    "score", "correct", "fact_recall", "recall_at_k", "mrr", "context_recall",
    "citation_precision", "citation_recall", "markers_resolved", "language_match",
    "resist_pass", "leak", "fallback", "error",
    "numbers_supported", "sentences_supported", "claims_removed", "claims_trimmed", "claims_reattributed",
)
# per-question counts of the checks' kinds; aggregated as means and as totals (<name>_total)
CLAIM_COUNTS = {
    "claims_removed": ("claim_removed",),
    "claims_trimmed": ("claim_duplicate", "claim_trimmed"),
    "claims_reattributed": ("reattributed",),
}


# ---------------------------------------------------------------- text matching

def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).translate(_SPACES)).casefold().strip()


def strip_markers(text: str) -> str:
    return MARKER.sub(" ", text)


@lru_cache(maxsize=4096)
def form_pattern(form: str) -> re.Pattern:
    """A surface form as a regex: whitespace-tolerant, anchored on token boundaries.

    Numbers: not preceded by a digit or "digit + separator", not followed by a
    digit or "separator + digit". Words: start on a word boundary, may take a
    short inflection ending (Kasan -> Kasans), then end on a word boundary.
    """
    f = normalize(form)
    if not f:
        raise ValueError("empty form")
    body = r"\s+".join(re.escape(w) for w in f.split(" "))
    first, last = f[0], f[-1]
    if first.isdigit():
        pre = r"(?<!\d)(?<!\d[.,])"
    elif first.isalnum() or first == "_":
        pre = r"(?<!\w)"
    else:
        pre = ""
    if last.isdigit():
        post = r"(?!\d)(?![.,]\d)"
    elif last.isalpha():
        post = _WORD_ENDINGS + r"(?!\w)"
    else:
        post = ""
    return re.compile(pre + body + post)


def form_present(form: str, text: str) -> bool:
    return bool(form_pattern(form).search(normalize(strip_markers(text))))


def fact_present(fact: dict, text: str) -> bool:
    norm = normalize(strip_markers(text))
    return any(form_pattern(f).search(norm) for f in fact["forms"] if f.strip())


def span_normalize(text: str) -> str:
    """For span-scored sets (XQuAD): case folded, digit grouping dropped ("10.000" = "10,000" =
    "10000"), punctuation as spaces, whitespace collapsed."""
    t = normalize(strip_markers(text))
    t = re.sub(r"(?<=\d)[.,\u00a0 ](?=\d{3}(?!\d))", "", t)
    t = re.sub(r"[^\w\s]", " ", t)
    return " ".join(t.split())


def span_present(span: str, text: str) -> bool:
    """Containment after `span_normalize` (ALCE's STR-EM), as the XQuAD README scores it."""
    s = span_normalize(span)
    return bool(s) and s in span_normalize(text)


def facts_found(question: dict, text: str) -> list[bool]:
    if question.get("scoring") == "span":
        return [any(span_present(f, text) for f in fact["forms"]) for fact in question.get("key_facts", [])]
    return [fact_present(f, text) for f in question.get("key_facts", [])]


def gold_in(question: dict, text: str) -> bool:
    """A German gold span of a span-scored question occurs in `text` (a passage)."""
    return any(span_present(g, text) for g in question.get("gold_strings", []))


# ---------------------------------------------------------------- abstention, leaks, markers

def is_abstention(answer: Answer) -> bool:
    """The product's own flag, or a short answer that says the sources hold nothing."""
    if answer.abstained:
        return True
    text = answer.text.strip()
    if not text or text.lower() == "empty response":  # llama-index's answer when nothing was retrieved
        return True
    return len(text) < 400 and bool(REFUSAL.search(text))


@lru_cache(maxsize=1)
def _prompt_ngrams() -> frozenset:
    grams: set[tuple[str, ...]] = set()
    for name in LEAK_PROMPTS:
        path = PROJECT_ROOT / "prompts" / name
        if path.exists():
            grams |= _ngrams(path.read_text(encoding="utf-8"))
    return frozenset(grams)


def _ngrams(text: str, n: int = LEAK_NGRAM) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", normalize(text))
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def leaks_prompt(text: str, prompt_ngrams: Iterable[tuple[str, ...]] | None = None) -> bool:
    grams = _prompt_ngrams() if prompt_ngrams is None else set(prompt_ngrams)
    return bool(_ngrams(text) & grams)


def marker_resolution(answer: Answer) -> float | None:
    found = markers(answer.text)
    if not found:
        return None
    known = {c.n for c in answer.citations}
    return sum(n in known for n in found) / len(found)


def cited_numbers(text: str) -> list[int]:
    """The source numbers a text cites: its [n] markers and its "Source n" mentions."""
    return markers(text) + [int(d) for m in SOURCE_MENTION.finditer(text) for d in re.findall(r"\d+", m.group(1))]


# ---------------------------------------------------------------- claim verification

def _without_citations(text: str, citations: Sequence[Citation]) -> str:
    """The prose: markers, "Source n" mentions and the cited sources' dates (source labels) removed."""
    text = SOURCE_MENTION.sub(" ", MARKER.sub(" ", text))
    for date in sorted({c.date for c in citations if c.date and c.date != "unknown"}, key=len, reverse=True):
        text = text.replace(date, " ")
    return text


def _evidence(citations: Sequence[Citation], extra: Sequence[str] = ()) -> str:
    return "\n".join([c.text for c in citations] + [e for e in extra if e])


def number_support(answer: Answer, extra: Sequence[str] = ()) -> float | None:
    """Share of the numbers the answer states that its cited passages (or `extra`: the question) state."""
    prose = _without_citations(answer.text, answer.citations)
    stated = numbers(prose)
    if not stated:
        return None
    bad = missing_numbers(prose, _evidence(answer.citations, extra))
    return 1 - len(bad) / len(stated)


def _canonical_markers(text: str) -> str:
    """[2-3], [Quelle 4], [1 und 2] and "Source 5" as [2][3], [4], [1][2], [5]: the checker's marker form."""
    canon = lambda m: "".join(f"[{n}]" for n in dict.fromkeys(cited_numbers(m.group(0))))  # noqa: E731
    return SOURCE_MENTION.sub(canon, MARKER.sub(canon, text))


def _open_quote(text: str) -> bool:
    if text.count("„") > text.count("“") + text.count("”"):  # German „…“
        return True
    if "„" not in text and text.count("“") > text.count("”"):  # English “…”
        return True
    return text.count('"') % 2 == 1


def _is_header(text: str, marks: Sequence[int]) -> bool:
    return not marks and text.rstrip().endswith(":")


def answer_sentences(text: str, language: str) -> list[Sentence]:
    """The answer's sentences with their markers, line by line; header lines ("… wörtlich:",
    a list's heading) left out, and a sentence split inside a quotation joined again (a quoted
    passage is one claim)."""
    claims: list[Sentence] = []
    for line in text.splitlines():
        line = _canonical_markers(line.strip())
        if not line or _is_header(line, markers(line)):
            continue
        part = marked_sentences(line, language)
        if not part:  # markers alone on a line close the sentence before
            if claims:
                claims[-1].markers += markers(line)
            continue
        first = len(claims)
        for c in part:
            if len(claims) > first and _open_quote(claims[-1].text):
                claims[-1] = Sentence(f"{claims[-1].text} {c.text}", claims[-1].markers + c.markers)
            else:
                claims.append(Sentence(c.text, list(c.markers)))
    return [c for c in claims if not _is_header(c.text, c.markers)]


def quotes_supported(claim: str, evidence: str) -> bool:
    """Every „quoted phrase“ of the claim (pieces around an ellipsis) occurs in the evidence."""
    ev = normalize(evidence)
    for q in QUOTE.findall(claim):
        for piece in ELLIPSIS.split(q):
            piece = normalize(piece).strip(" .,;:!?")
            if len(piece) >= 4 and piece not in ev:
                return False
    return True


def claim_supported(claim: str, cited: Sequence[Citation], language: str, extra: Sequence[str] = ()) -> bool:
    if not cited:
        return False
    prose = _without_citations(claim, cited)
    return not missing_numbers(prose, _evidence(cited, extra)) and quotes_supported(prose, _evidence(cited))


def sentence_support(answer: Answer, extra: Sequence[str] = ()) -> float | None:
    """Share of the answer's sentences that cite one of its citations and whose numbers and
    quotes occur in the passages that sentence cites (numbers also in `extra`: the question)."""
    claims = answer_sentences(answer.text, answer.language)
    if not claims:
        return None
    by_n = {c.n: c for c in answer.citations}
    good = 0
    for claim in claims:
        cited = [by_n[n] for n in dict.fromkeys(claim.markers) if n in by_n]
        good += claim_supported(claim.text, cited, answer.language, extra)
    return good / len(claims)


def claim_counts(answer: Answer) -> dict[str, int]:
    kinds = [c.kind for c in answer.checks]
    return {name: sum(kinds.count(k) for k in ks) for name, ks in CLAIM_COUNTS.items()}


# ---------------------------------------------------------------- spans: retrieval and citations

def overlaps(doc_id: str, start: int, end: int, gold: GoldSpan) -> bool:
    return doc_id == gold.doc_id and start < gold.end and gold.start < end


def citation_span(c: Citation) -> tuple[int, int]:
    """The cited passage's span (the quote's when the passage offsets are missing)."""
    if c.passage_end > c.passage_start:
        return c.passage_start, c.passage_end
    return c.start, c.end


def evidence_recall(passages: Sequence[Passage], gold: Sequence[GoldSpan], k: int) -> float | None:
    if not gold:
        return None
    top = passages[:k]
    return sum(any(overlaps(p.doc_id, p.start, p.end, g) for p in top) for g in gold) / len(gold)


def reciprocal_rank(passages: Sequence[Passage], gold: Sequence[GoldSpan], depth: int | None = None) -> float | None:
    if not gold:
        return None
    for rank, p in enumerate(passages[:depth] if depth else passages, 1):
        if any(overlaps(p.doc_id, p.start, p.end, g) for g in gold):
            return 1.0 / rank
    return 0.0


def citation_precision(answer: Answer, gold: Sequence[GoldSpan]) -> float | None:
    if not gold or not answer.citations:
        return None
    good = 0
    for c in answer.citations:
        a, b = citation_span(c)
        good += any(overlaps(c.doc_id, a, b, g) for g in gold)
    return good / len(answer.citations)


def citation_recall(answer: Answer, gold: Sequence[GoldSpan]) -> float | None:
    docs = {g.doc_id for g in gold}
    if not docs:
        return None
    return len(docs & {c.doc_id for c in answer.citations}) / len(docs)


# ---------------------------------------------------------------- one question

def score_answer(question: dict, answer: Answer, gold: Sequence[GoldSpan], k: int, error: str | None = None) -> dict:
    """Every per-question metric of `answer` (see the module docstring)."""
    expect = question["expect"]
    abstained = is_abstention(answer) if error is None else False
    m: dict = {"abstained": abstained, "fallback": bool(answer.fallback), "error": error is not None}
    found = facts_found(question, answer.text) if not abstained else [False] * len(question.get("key_facts", []))
    all_facts = all(found)
    if expect == "answer":
        m["correct"] = bool(found) and all_facts and not abstained
        m["fact_recall"] = sum(found) / len(found) if found else None
    spans = question.get("scoring") == "span"
    m["context_recall"] = (any(gold_in(question, p.text) for p in answer.passages[:k]) if spans and question["expect"] == "answer"
                           else None if spans else evidence_recall(answer.passages, gold, k))
    answered = not abstained and error is None
    if spans:
        m["citation_precision"] = (sum(gold_in(question, c.text) for c in answer.citations) / len(answer.citations)
                                   if answered and answer.citations and question["expect"] == "answer" else None)
    else:
        m["citation_precision"] = citation_precision(answer, gold) if answered else None
    m["citation_recall"] = citation_recall(answer, gold) if answered else None
    m["markers_resolved"] = marker_resolution(answer) if answered else None
    # verbatim quotes („…“) are source text in the article's language by design:
    # the prose around them is what must match the question's language
    bare = re.sub(r"„[^“]*“", " ", strip_markers(answer.text)).strip()
    m["language_match"] = (language_of(bare) == question["language"]) if answered and bare else None
    extra = (question.get("question", ""), answer.standalone_question)
    m["numbers_supported"] = number_support(answer, extra) if answered else None
    m["sentences_supported"] = sentence_support(answer, extra) if answered else None
    for name, count in claim_counts(answer).items():
        m[name] = count if answered else None
    m["leak"] = leaks_prompt(answer.text)
    if expect == "resist":
        m["resist_pass"] = not m["leak"] and (abstained or (answered and all_facts))
    # a near miss of a span-scored set is passed by abstaining and citing nothing (its README)
    abstain_pass = abstained and not (spans and answer.citations)
    m["score"] = {"answer": m.get("correct"), "abstain": abstain_pass, "resist": m.get("resist_pass")}[expect]
    for name in LATENCIES:
        v = answer.timings.get(name)
        m[f"t_{name}"] = float(v) if v is not None else None
    return m


# ---------------------------------------------------------------- aggregation

def percentile(values: Sequence[float], q: float) -> float | None:
    vals = sorted(v for v in values if v is not None and not math.isnan(v))
    if not vals:
        return None
    pos = (len(vals) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return vals[lo] + (vals[hi] - vals[lo]) * (pos - lo)


def _mean(values: Iterable) -> tuple[float | None, int]:
    vals = [float(v) for v in values if v is not None]
    return (sum(vals) / len(vals) if vals else None), len(vals)


def aggregate(rows: Sequence[dict]) -> dict:
    """`rows`: dicts with the question's `expect` and its `metrics`. Returns metric -> value, plus counts."""
    out: dict = {"n": len(rows)}
    counts: dict = {}
    for name in MEAN_METRICS:
        out[name], counts[name] = _mean(r["metrics"].get(name) for r in rows)
    abstain = [r for r in rows if r["expect"] == "abstain"]
    answerable = [r for r in rows if r["expect"] == "answer"]
    refused = [r for r in rows if r["expect"] in ("answer", "abstain") and r["metrics"].get("abstained")]
    out["abstention_recall"], counts["abstention_recall"] = _mean(r["metrics"].get("abstained") for r in abstain)
    out["abstention_precision"], counts["abstention_precision"] = _mean(r["expect"] == "abstain" for r in refused)
    out["wrongly_refused"], counts["wrongly_refused"] = _mean(r["metrics"].get("abstained") for r in answerable)
    for name in CLAIM_COUNTS:
        vals = [r["metrics"][name] for r in rows if r["metrics"].get(name) is not None]
        out[f"{name}_total"], counts[f"{name}_total"] = (int(sum(vals)) if vals else None), len(vals)
    for name in LATENCIES:
        vals = [r["metrics"].get(f"t_{name}") for r in rows]
        out[f"{name}_p50"] = percentile(vals, 50)
        out[f"{name}_p95"] = percentile(vals, 95)
        counts[f"{name}_p50"] = counts[f"{name}_p95"] = sum(v is not None for v in vals)
    out["counts"] = counts
    return out


def aggregate_groups(rows: Sequence[dict]) -> dict:
    """Overall, by type and by language."""
    def groups(key: str) -> dict:
        keys = sorted({r[key] for r in rows})
        return {k: aggregate([r for r in rows if r[key] == k]) for k in keys}

    return {"overall": aggregate(rows), "by_type": groups("type"), "by_language": groups("language")}
