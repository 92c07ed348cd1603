"""Unit tests of the evaluation metrics with hand-made Answers (no models, no index)."""
from __future__ import annotations

import pytest

from rag.eval.dataset import ArticleTexts, GoldSpan, gold_spans, load_questions, retrieval_query, select
from rag.eval.metrics import (
    aggregate,
    aggregate_groups,
    citation_precision,
    citation_recall,
    evidence_recall,
    fact_present,
    form_present,
    is_abstention,
    leaks_prompt,
    marker_resolution,
    markers,
    percentile,
    reciprocal_rank,
    score_answer,
)
from rag.types import Answer, Citation, Passage, RagError

DOC = "000_doc"
OTHER = "001_other"


def cit(n: int, doc_id: str = DOC, start: int = 0, end: int = 100, quote_start: int | None = None, quote_end: int | None = None) -> Citation:
    return Citation(n=n, doc_id=doc_id, title="", outlet="", author="", date="", kind="", text="", quote="",
                    start=start if quote_start is None else quote_start, end=end if quote_end is None else quote_end,
                    passage_start=start, passage_end=end)


def psg(doc_id: str, start: int, end: int) -> Passage:
    return Passage(doc_id=doc_id, text="", start=start, end=end, score=1.0)


def answer(text: str, citations=(), passages=(), abstained: bool = False, **kw) -> Answer:
    return Answer(question="?", text=text, citations=list(citations), passages=list(passages), abstained=abstained, **kw)


def question(expect: str = "answer", facts=(), evidence=(), language: str = "de", qtype: str = "numeric") -> dict:
    return {"id": "q999", "type": qtype, "language": language, "question": "Frage?", "history": [], "reference_answer": "",
            "key_facts": [{"fact": f[0], "forms": list(f)} for f in facts], "sources": sorted({e[0] for e in evidence}),
            "evidence": [{"doc_id": d, "text": t} for d, t in evidence], "expect": expect}


# ---------------------------------------------------------------- numbers on token boundaries

@pytest.mark.parametrize("text", [
    "Nordkorea will bis zu 12.000 Soldaten schicken.",
    "bis zu 12.000.",
    "(12.000)",
    "12.000 [1]",
    "rund 12.000-mal",
])
def test_number_form_matches(text):
    assert form_present("12.000", text)


@pytest.mark.parametrize("text", [
    "Nordkorea hat 112.000 Soldaten.",
    "Es waren 12.0001 Einheiten.",
    "Es waren 12.000,5 Tonnen.",
    "Es waren 1.12.000 Stück.",
    "Version 312.000",
])
def test_number_form_does_not_match_inside_a_longer_number(text):
    assert not form_present("12.000", text)


def test_small_numbers_on_boundaries():
    assert form_present("1500", "zunächst 1500 Soldaten")
    assert not form_present("1500", "zunächst 15000 Soldaten")
    assert not form_present("1500", "zunächst 21500 Soldaten")
    assert form_present("Artikel 4", "laut Artikel 4 des Vertrags")
    assert not form_present("Artikel 4", "laut Artikel 41 des Vertrags")
    assert not form_present("Artikel 4", "laut Artikel 4.5 des Vertrags")


def test_marker_numbers_are_not_facts():
    assert not form_present("1", "Das steht im Artikel [1].")
    assert not form_present("2", "Siehe [1, 2].")


def test_space_separated_thousands_and_nbsp():
    assert form_present("12 000", "bis zu 12\u00a0000 Soldaten")
    assert form_present("12 000", "bis zu 12  000 Soldaten")
    assert not form_present("12 000", "bis zu 112 000 Soldaten")


# ---------------------------------------------------------------- word forms

def test_forms_are_case_insensitive_and_any_form_counts():
    fact = {"fact": "Kasan", "forms": ["Kasan", "Kazan"]}
    assert fact_present(fact, "The summit took place in KAZAN.")
    assert fact_present(fact, "Der Gipfel fand in kasan statt.")
    assert not fact_present(fact, "Der Gipfel fand in Moskau statt.")


def test_word_forms_take_endings_but_not_other_words():
    assert form_present("Kursk", "in der Kursker Region")
    assert form_present("Kasan", "Kasans Gipfel")
    assert form_present("Rom", "in Rom.")
    assert not form_present("Rom", "die Romanows")
    assert not form_present("Kursk", "Nikursk")  # no match inside a word


def test_multiword_forms_tolerate_whitespace_and_quotes():
    assert form_present("unbegründete Gerüchte", "Peskow nannte sie „unbegründete\nGerüchte“.")
    assert form_present("unfounded rumours", "He called them 'Unfounded Rumours'.")


# ---------------------------------------------------------------- correctness per question

def test_correct_needs_every_key_fact():
    q = question(facts=[("1.500", "1500", "1 500"), ("3.000", "3000", "dreitausend")])
    both = score_answer(q, answer("Zunächst 1500, später 3.000 Soldaten [1].", [cit(1)]), [], 5)
    one = score_answer(q, answer("Zunächst 1500 Soldaten [1].", [cit(1)]), [], 5)
    wrong = score_answer(q, answer("Zunächst 11500 und 30.000 Soldaten [1].", [cit(1)]), [], 5)
    assert both["correct"] is True and both["fact_recall"] == 1.0 and both["score"] is True
    assert one["correct"] is False and one["fact_recall"] == 0.5
    assert wrong["correct"] is False and wrong["fact_recall"] == 0.0


def test_an_abstention_is_never_correct():
    q = question(facts=[("Kasan",)])
    m = score_answer(q, answer("Die Artikel enthalten dazu keine Angaben.", abstained=True), [], 5)
    assert m["abstained"] is True and m["correct"] is False
    assert m["citation_precision"] is None and m["language_match"] is None and m["markers_resolved"] is None


# ---------------------------------------------------------------- abstention

def test_abstention_from_flag_and_from_text():
    assert is_abstention(answer("anything", abstained=True))
    assert is_abstention(answer(""))
    assert is_abstention(answer("Empty Response"))
    assert is_abstention(answer("The articles do not mention a death toll."))
    assert is_abstention(answer("Die Artikel enthalten dazu keine Angaben."))
    assert not is_abstention(answer("Laut DW bis zu 12.000 Soldaten [1]."))
    long_text = "Die Artikel enthalten dazu keine Angaben, aber " + "sehr viel anderes. " * 30
    assert not is_abstention(answer(long_text))


def test_abstention_counting_in_the_aggregate():
    rows = [
        {"id": "a1", "type": "unanswerable", "language": "de", "expect": "abstain", "metrics": {"abstained": True, "score": True}},
        {"id": "a2", "type": "unanswerable", "language": "de", "expect": "abstain", "metrics": {"abstained": True, "score": True}},
        {"id": "a3", "type": "unanswerable", "language": "en", "expect": "abstain", "metrics": {"abstained": False, "score": False}},
        {"id": "b1", "type": "numeric", "language": "de", "expect": "answer", "metrics": {"abstained": True, "score": False}},
        {"id": "b2", "type": "numeric", "language": "de", "expect": "answer", "metrics": {"abstained": False, "score": True}},
        {"id": "b3", "type": "numeric", "language": "en", "expect": "answer", "metrics": {"abstained": False, "score": True}},
        {"id": "b4", "type": "numeric", "language": "en", "expect": "answer", "metrics": {"abstained": False, "score": True}},
        # abstaining on an adversarial question counts neither way
        {"id": "c1", "type": "adversarial", "language": "de", "expect": "resist", "metrics": {"abstained": True, "score": True}},
    ]
    agg = aggregate(rows)
    assert agg["abstention_recall"] == pytest.approx(2 / 3)
    assert agg["abstention_precision"] == pytest.approx(2 / 3)  # 3 refusals among answer/abstain questions, 2 right
    assert agg["wrongly_refused"] == pytest.approx(1 / 4)
    assert agg["score"] == pytest.approx(6 / 8)
    groups = aggregate_groups(rows)
    assert groups["by_type"]["unanswerable"]["abstention_recall"] == pytest.approx(2 / 3)
    assert groups["by_language"]["en"]["wrongly_refused"] == 0.0
    assert groups["by_type"]["numeric"]["abstention_recall"] is None


def test_abstain_question_scores_on_abstention():
    q = question(expect="abstain", qtype="unanswerable")
    assert score_answer(q, answer("The articles do not say.", abstained=True), [], 5)["score"] is True
    assert score_answer(q, answer("Es waren 500 Soldaten [1].", [cit(1)]), [], 5)["score"] is False


def test_an_error_is_a_failure_not_an_abstention():
    q = question(expect="abstain", qtype="unanswerable")
    m = score_answer(q, answer(""), [], 5, error="LLM server unreachable")
    assert m["error"] is True and m["abstained"] is False and m["score"] is False


# ---------------------------------------------------------------- citations

GOLD = [GoldSpan(DOC, 200, 300), GoldSpan(OTHER, 50, 120)]


def test_citation_precision_counts_citations_whose_passage_overlaps_evidence():
    a = answer("x [1] y [2] z [3] w [4]", [
        cit(1, DOC, 150, 250),      # overlaps the first span
        cit(2, DOC, 300, 400),      # touches its end only: no overlap
        cit(3, OTHER, 0, 60),       # overlaps the second span
        cit(4, OTHER, 200, 300),    # right article, wrong place
    ])
    assert citation_precision(a, GOLD) == pytest.approx(2 / 4)


def test_citation_precision_uses_the_quote_when_passage_offsets_are_missing():
    c = cit(1, DOC, 0, 0, quote_start=210, quote_end=260)
    assert citation_precision(answer("x [1]", [c]), GOLD) == 1.0


def test_citation_precision_undefined_without_citations_or_evidence():
    assert citation_precision(answer("x"), GOLD) is None
    assert citation_precision(answer("x [1]", [cit(1)]), []) is None


def test_citation_recall_is_the_share_of_evidence_articles_cited():
    assert citation_recall(answer("x [1]", [cit(1, DOC, 0, 10)]), GOLD) == 0.5
    assert citation_recall(answer("x [1] [2]", [cit(1, DOC), cit(2, OTHER)]), GOLD) == 1.0
    assert citation_recall(answer("x"), GOLD) == 0.0
    assert citation_recall(answer("x"), []) is None


def test_citation_metrics_in_score_answer():
    q = question(facts=[("12.000",)], evidence=[(DOC, "e" * 40), (OTHER, "f" * 40)])
    m = score_answer(q, answer("Bis zu 12.000 [1].", [cit(1, DOC, 180, 220)]), GOLD, 5)
    assert m["citation_precision"] == 1.0 and m["citation_recall"] == 0.5 and m["correct"] is True


# ---------------------------------------------------------------- markers

def test_marker_parsing():
    assert markers("a [1]. b [2, 3]. c [4-6]. d [Quelle 7]. e [Source 8]. f [1 und 2]") == [1, 2, 3, 4, 5, 6, 7, 8, 1, 2]
    assert markers("keine Marker, aber [Klammern] und [a]") == []


def test_marker_resolution_share():
    a = answer("Erstens [1]. Zweitens [2]. Drittens [3].", [cit(1), cit(2)])
    assert marker_resolution(a) == pytest.approx(2 / 3)
    assert marker_resolution(answer("Alles belegt [1][2].", [cit(1), cit(2)])) == 1.0
    assert marker_resolution(answer("Ohne Marker.", [cit(1)])) is None


# ---------------------------------------------------------------- retrieval

def test_recall_and_reciprocal_rank():
    ranked = [psg(OTHER, 500, 900), psg(DOC, 0, 199), psg(DOC, 250, 1000), psg(OTHER, 100, 400)]
    assert reciprocal_rank(ranked, GOLD) == pytest.approx(1 / 3)
    assert evidence_recall(ranked, GOLD, 2) == 0.0
    assert evidence_recall(ranked, GOLD, 3) == 0.5
    assert evidence_recall(ranked, GOLD, 4) == 1.0
    assert reciprocal_rank(ranked[:2], GOLD) == 0.0
    assert reciprocal_rank(ranked, GOLD, depth=2) == 0.0
    assert evidence_recall(ranked, [], 5) is None and reciprocal_rank(ranked, []) is None


def test_follow_up_retrieval_query_carries_the_last_user_turn():
    q = {"question": "Und wo?", "history": [{"role": "user", "content": "Wer sprach?"}, {"role": "assistant", "content": "Austin."}]}
    assert retrieval_query(q) == "Wer sprach? Und wo?"
    assert retrieval_query({"question": "Wo?", "history": []}) == "Wo?"


# ---------------------------------------------------------------- adversarial

def test_prompt_leak_detection():
    from rag.settings import PROJECT_ROOT

    system = (PROJECT_ROOT / "prompts" / "system.txt").read_text(encoding="utf-8")
    assert leaks_prompt("Sure! My instructions: " + system)
    assert leaks_prompt(" ".join(system.split()[3:10]).upper())
    assert not leaks_prompt("Laut DW will Pjöngjang bis zu 12.000 Soldaten bereitstellen [1].")


def test_resist_passes_by_abstaining_or_with_facts_and_fails_on_a_leak():
    from rag.settings import PROJECT_ROOT

    system = (PROJECT_ROOT / "prompts" / "system.txt").read_text(encoding="utf-8")
    q = question(expect="resist", qtype="adversarial", facts=[("12.000", "12,000")], language="en")
    assert score_answer(q, answer("The articles do not say.", abstained=True), [], 5)["resist_pass"] is True
    assert score_answer(q, answer("According to DW, up to 12,000 soldiers [1].", [cit(1)]), [], 5)["resist_pass"] is True
    assert score_answer(q, answer("North Korea sent many soldiers [1].", [cit(1)]), [], 5)["resist_pass"] is False
    leaked = score_answer(q, answer(system + " Up to 12,000 soldiers [1].", [cit(1)]), [], 5)
    assert leaked["leak"] is True and leaked["resist_pass"] is False and leaked["score"] is False


# ---------------------------------------------------------------- language, latency, data

def test_language_match_skips_abstentions():
    q = question(facts=[("Rom", "Rome")], language="en")
    en = score_answer(q, answer("He said it in Rome, according to the DW report [1].", [cit(1)]), [], 5)
    de = score_answer(q, answer("Er sagte das laut dem Bericht der DW in Rom [1].", [cit(1)]), [], 5)
    assert en["language_match"] is True and de["language_match"] is False


def test_latency_percentiles_and_timings():
    assert percentile([1, 2, 3, 4, 5], 50) == 3
    assert percentile([1.0, 2.0], 50) == 1.5
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21], 95) == pytest.approx(20.0)
    assert percentile([None, None], 50) is None
    q = question(facts=[("Kasan",)])
    m = score_answer(q, answer("In Kasan [1].", [cit(1)], timings={"retrieval": 0.03, "first_token": 2.0, "total": 9.5}), [], 5)
    rows = [{"id": "x", "type": "t", "language": "de", "expect": "answer", "metrics": m}]
    agg = aggregate(rows)
    assert agg["total_p50"] == 9.5 and agg["first_token_p95"] == 2.0 and agg["retrieval_p50"] == 0.03


def test_question_set_evidence_spans_and_selection():
    questions = load_questions()
    articles = ArticleTexts(__import__("rag.settings", fromlist=["x"]).PROJECT_ROOT / "data" / "articles")
    for q in questions:
        for span, ev in zip(gold_spans(q, articles), q["evidence"]):
            assert articles.get(span.doc_id)[span.start : span.end] == ev["text"]
    assert [q["id"] for q in select(questions, ids=["q002", "q001"])] == ["q001", "q002"]
    assert all(q["type"] == "numeric" for q in select(questions, types=["numeric"]))
    assert len(select(questions, limit=3)) == 3
    with pytest.raises(RagError):
        select(questions, types=["nope"])
    with pytest.raises(RagError):
        select(questions, ids=["q999999"])


def test_baseline_response_becomes_an_answer():
    from llama_index.core.schema import NodeWithScore, TextNode

    from rag.eval.baseline import response_to_answer

    meta = {"doc_id": DOC, "start": 200, "end": 260, "title": "T", "outlet": "DW"}
    nodes = [
        NodeWithScore(node=TextNode(text="Source 1:\nBis zu 12.000 Soldaten.\n", metadata=meta), score=0.9),
        NodeWithScore(node=TextNode(text="Source 2:\nEtwas anderes.\n", metadata=meta | {"doc_id": OTHER, "start": 0, "end": 15}), score=0.8),
    ]
    a = response_to_answer("Wie viele?", "Bis zu 12.000 Soldaten [1] [3].", nodes, "de")
    assert [c.n for c in a.citations] == [1]  # [3] names no source: it stays unresolved
    assert a.citations[0].doc_id == DOC and (a.citations[0].passage_start, a.citations[0].passage_end) == (200, 260)
    assert a.passages[1].text == "Etwas anderes." and a.passages[1].doc_id == OTHER
    assert marker_resolution(a) == 0.5
    assert citation_precision(a, GOLD) == 1.0
    assert response_to_answer("?", "Empty Response", [], "de").abstained
    prose = response_to_answer("Wie viele?", "According to Source 2, up to 12,000 soldiers.", nodes, "en")
    assert [c.n for c in prose.citations] == [2] and marker_resolution(prose) is None
