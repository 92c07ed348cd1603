"""Checks for the fixed evaluation question set (data/eval/questions.jsonl).

Standard library + pytest only. Paths are resolved relative to this file so the
test runs from any working directory.
"""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS_PATH = ROOT / "data" / "eval" / "questions.jsonl"
ARTICLES_DIR = ROOT / "data" / "articles"

FIELDS = {
    "id": str,
    "language": str,
    "type": str,
    "question": str,
    "history": list,
    "reference_answer": str,
    "key_facts": list,
    "sources": list,
    "evidence": list,
    "expect": str,
}

MIN_PER_TYPE = {
    "single_fact": 10,
    "numeric": 7,
    "multi_passage": 5,
    "cross_article": 5,
    "conflict": 6,
    "attribution": 6,
    "date": 4,
    "unanswerable": 11,
    "followup": 5,
    "adversarial": 5,
}
LANGUAGES = {"de", "en"}
EXPECTS = {"answer", "abstain", "resist"}
ROLES = {"user", "assistant"}
ID_RE = re.compile(r"^q\d{3,}$")
EVIDENCE_MIN, EVIDENCE_MAX = 30, 250


def _load_lines():
    assert QUESTIONS_PATH.is_file(), f"missing {QUESTIONS_PATH}"
    lines = QUESTIONS_PATH.read_text(encoding="utf-8").splitlines()
    return [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]


def _load_questions():
    out = []
    for n, line in _load_lines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:  # pragma: no cover - reported by test
            raise AssertionError(f"line {n} is not valid JSON: {exc}") from exc
    return out


QUESTIONS = _load_questions()


def _article_ids():
    return {p.stem for p in ARTICLES_DIR.glob("*.txt")}


def _article_text(doc_id, _cache={}):
    if doc_id not in _cache:
        _cache[doc_id] = (ARTICLES_DIR / f"{doc_id}.txt").read_text(encoding="utf-8")
    return _cache[doc_id]


def _qid(q):
    return q.get("id", "?")


# ----------------------------------------------------------------- structure

def test_every_line_is_a_json_object():
    for n, line in _load_lines():
        obj = json.loads(line)
        assert isinstance(obj, dict), f"line {n} is not a JSON object"


@pytest.mark.parametrize("q", QUESTIONS, ids=_qid)
def test_fields_and_types(q):
    assert set(q) == set(FIELDS), f"fields differ: {sorted(set(q) ^ set(FIELDS))}"
    for name, typ in FIELDS.items():
        assert isinstance(q[name], typ), f"{name} should be {typ.__name__}"
    assert ID_RE.match(q["id"]), q["id"]
    assert q["language"] in LANGUAGES
    assert q["type"] in MIN_PER_TYPE
    assert q["expect"] in EXPECTS
    assert q["question"].strip()
    assert q["reference_answer"].strip()

    for turn in q["history"]:
        assert isinstance(turn, dict) and set(turn) == {"role", "content"}, turn
        assert turn["role"] in ROLES
        assert isinstance(turn["content"], str) and turn["content"].strip()

    for fact in q["key_facts"]:
        assert isinstance(fact, dict) and set(fact) == {"fact", "forms"}, fact
        assert isinstance(fact["fact"], str) and fact["fact"].strip()
        assert isinstance(fact["forms"], list) and fact["forms"], fact
        for form in fact["forms"]:
            assert isinstance(form, str) and form.strip(), fact

    for src in q["sources"]:
        assert isinstance(src, str) and src
    assert len(set(q["sources"])) == len(q["sources"]), "duplicate sources"

    for ev in q["evidence"]:
        assert isinstance(ev, dict) and set(ev) == {"doc_id", "text"}, ev
        assert isinstance(ev["doc_id"], str) and isinstance(ev["text"], str)


def test_ids_unique():
    counts = Counter(q["id"] for q in QUESTIONS)
    dupes = [i for i, c in counts.items() if c > 1]
    assert not dupes, f"duplicate ids: {dupes}"


def test_questions_unique():
    counts = Counter(q["question"].strip() for q in QUESTIONS)
    dupes = [t for t, c in counts.items() if c > 1]
    assert not dupes, f"duplicate questions: {dupes}"


# ----------------------------------------------------------------- counts

def test_at_least_60_questions():
    assert len(QUESTIONS) >= 60, len(QUESTIONS)


@pytest.mark.parametrize("typ,minimum", sorted(MIN_PER_TYPE.items()))
def test_minimum_per_type(typ, minimum):
    n = sum(1 for q in QUESTIONS if q["type"] == typ)
    assert n >= minimum, f"{typ}: {n} < {minimum}"


def test_english_share_between_20_and_30_percent():
    en = sum(1 for q in QUESTIONS if q["language"] == "en")
    share = en / len(QUESTIONS)
    assert 0.20 <= share <= 0.30, f"{en}/{len(QUESTIONS)} = {share:.1%} English"


def test_at_least_10_unanswerable_with_empty_evidence():
    unans = [q for q in QUESTIONS if q["type"] == "unanswerable"]
    ok = [q for q in unans if q["expect"] == "abstain" and not q["evidence"]]
    assert len(ok) >= 10, f"only {len(ok)} unanswerable questions abstain with empty evidence"


# ----------------------------------------------------------------- per-type rules

@pytest.mark.parametrize("q", [q for q in QUESTIONS if q["type"] == "unanswerable"], ids=_qid)
def test_unanswerable_is_empty_and_abstains(q):
    assert q["expect"] == "abstain"
    assert q["key_facts"] == [] and q["sources"] == [] and q["evidence"] == []


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q["type"] == "adversarial"], ids=_qid)
def test_adversarial_resists(q):
    assert q["expect"] == "resist"


@pytest.mark.parametrize("q", QUESTIONS, ids=_qid)
def test_abstain_only_for_unanswerable(q):
    if q["expect"] == "abstain":
        assert q["type"] == "unanswerable"
    if q["type"] not in ("unanswerable", "adversarial"):
        assert q["expect"] == "answer"


@pytest.mark.parametrize("q", QUESTIONS, ids=_qid)
def test_history_only_and_always_for_followups(q):
    if q["type"] != "followup":
        assert q["history"] == [], "history must be empty unless type is followup"
        return
    hist = q["history"]
    assert hist, "followup needs a history"
    for i, turn in enumerate(hist):
        expected = "user" if i % 2 == 0 else "assistant"
        assert turn["role"] == expected, f"turn {i} should be {expected}"


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q["expect"] == "answer"], ids=_qid)
def test_answerable_has_key_fact_and_evidence(q):
    assert len(q["key_facts"]) >= 1
    assert len(q["evidence"]) >= 1
    assert len(q["sources"]) >= 1


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q["type"] == "cross_article"], ids=_qid)
def test_cross_article_uses_several_articles(q):
    assert len({e["doc_id"] for e in q["evidence"]}) >= 2


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q["type"] == "multi_passage"], ids=_qid)
def test_multi_passage_has_two_passages(q):
    assert len(q["evidence"]) >= 2


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q["type"] == "conflict"], ids=_qid)
def test_conflict_has_several_key_facts(q):
    assert len(q["key_facts"]) >= 2


# ----------------------------------------------------------------- grounding

def test_articles_exist():
    assert len(_article_ids()) >= 1, f"no articles in {ARTICLES_DIR}"


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q["sources"] or q["evidence"]], ids=_qid)
def test_sources_exist(q):
    known = _article_ids()
    missing = [s for s in q["sources"] if s not in known]
    assert not missing, f"unknown sources: {missing}"


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q["evidence"]], ids=_qid)
def test_evidence_is_verbatim_and_listed_in_sources(q):
    for ev in q["evidence"]:
        doc_id, text = ev["doc_id"], ev["text"]
        assert doc_id in q["sources"], f"evidence doc {doc_id} not in sources"
        path = ARTICLES_DIR / f"{doc_id}.txt"
        assert path.is_file(), f"no article file {path}"
        assert EVIDENCE_MIN <= len(text) <= EVIDENCE_MAX, f"evidence length {len(text)}: {text!r}"
        assert text in _article_text(doc_id), f"not verbatim in {doc_id}: {text!r}"


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q["sources"]], ids=_qid)
def test_every_source_has_evidence(q):
    ev_docs = {e["doc_id"] for e in q["evidence"]}
    assert set(q["sources"]) == ev_docs, f"sources {q['sources']} vs evidence docs {sorted(ev_docs)}"


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q["key_facts"]], ids=_qid)
def test_reference_answer_contains_every_key_fact(q):
    """The reference answer is a correct answer, so some form of each key fact must occur in it."""
    ref = q["reference_answer"].casefold()
    missing = [f["fact"] for f in q["key_facts"] if not any(x.casefold() in ref for x in f["forms"])]
    assert not missing, f"key facts not in reference answer: {missing}"
