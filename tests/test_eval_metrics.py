"""Unit tests of the evaluation metrics with hand-made Answers (no models, no index)."""
from __future__ import annotations

import pytest

from evaluation.dataset import ArticleTexts, GoldSpan, gold_spans, load_questions, retrieval_query, select
from evaluation.metrics import (
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

    from evaluation.baseline import response_to_answer

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


# ---------------------------------------------------------------- claim verification (issue 5)

from rag.types import Check  # noqa: E402

PASSAGE = "Der Geheimdienst NIS berichtete, Pjöngjang wolle bis zu 12.000 Soldaten für Russlands Krieg bereitstellen. Zunächst seien 1.500 Soldaten verlegt worden."


def src(n: int, text: str = PASSAGE, doc_id: str = DOC, date: str = "") -> Citation:
    return Citation(n=n, doc_id=doc_id, title="T", outlet="DW", author="", date=date, kind="report", text=text,
                    quote=text, start=0, end=len(text), passage_start=0, passage_end=len(text))


def verified(text: str, citations=(), language: str = "de", checks=(), **kw) -> dict:
    q = question(language=language)
    return score_answer(q, answer(text, citations, language=language, checks=list(checks), **kw), [], 5)


def test_a_number_missing_from_the_cited_passage():
    m = verified("Pjöngjang will bis zu 15.000 Soldaten schicken [1].", [src(1)])
    assert m["numbers_supported"] == 0.0 and m["sentences_supported"] == 0.0
    m = verified("Pjöngjang will bis zu 12.000 Soldaten schicken, zunächst 2.000 [1].", [src(1)])
    assert m["numbers_supported"] == 0.5 and m["sentences_supported"] == 0.0
    # the number is in a passage, but not in the one this sentence cites
    other = src(2, "Ein ganz anderer Abschnitt ohne Zahlen über den Krieg.", OTHER)
    m = verified("Pjöngjang will bis zu 12.000 Soldaten schicken [2].", [src(1), other])
    assert m["numbers_supported"] == 1.0 and m["sentences_supported"] == 0.0


def test_a_number_in_another_format_is_supported():
    m = verified("Pyongyang wants to send up to 12,000 soldiers [1].", [src(1)], language="en")
    assert m["numbers_supported"] == 1.0 and m["sentences_supported"] == 1.0
    assert verified("Bis zu 12 000 Soldaten, zunächst 1500 [1].", [src(1)])["numbers_supported"] == 1.0
    assert verified("Bis zu zwölftausend Soldaten [1].", [src(1)])["numbers_supported"] == 1.0
    # a figure the question itself states may be repeated without a source
    q = question()
    q["question"] = "Was geschah im Oktober 2024 mit den 12.000 Soldaten?"
    m = score_answer(q, answer("Im Oktober 2024 wurden bis zu 12.000 Soldaten zugesagt [1].", [src(1)]), [], 5)
    assert m["numbers_supported"] == 1.0 and m["sentences_supported"] == 1.0


def test_no_number_no_share_and_markers_are_not_numbers():
    m = verified("Der Geheimdienst NIS berichtete darüber [1].", [src(1)])
    assert m["numbers_supported"] is None and m["sentences_supported"] == 1.0


def test_a_sentence_without_a_marker_or_with_a_marker_that_names_no_citation():
    m = verified("Pjöngjang will bis zu 12.000 Soldaten schicken [1]. Das ist eine große Zahl.", [src(1)])
    assert m["sentences_supported"] == 0.5 and m["numbers_supported"] == 1.0
    m = verified("Pjöngjang will bis zu 12.000 Soldaten schicken [3].", [src(1)])
    # [3] names no citation: the sentence cites nothing (the answer's numbers are still in its citation [1])
    assert m["sentences_supported"] == 0.0 and m["numbers_supported"] == 1.0
    assert verified("Pjöngjang will bis zu 12.000 Soldaten schicken.")["numbers_supported"] == 0.0  # nothing cited at all


def test_quoted_phrases_must_be_in_the_cited_passage():
    ok = verified("Der NIS sagt, Pjöngjang wolle „bis zu 12.000 Soldaten für Russlands Krieg bereitstellen“ [1].", [src(1)])
    bad = verified("Der NIS sagt, Pjöngjang wolle „bis zu 12.000 Kämpfer an die Front schicken“ [1].", [src(1)])
    cut = verified("Pjöngjang wolle „bis zu 12.000 Soldaten … bereitstellen“ [1].", [src(1)])
    assert ok["sentences_supported"] == 1.0 and bad["sentences_supported"] == 0.0 and cut["sentences_supported"] == 1.0


def test_a_fallback_answer_with_its_header_lines():
    other = src(2, "Laut Einschätzungen könnte Nordkorea demnächst bis zu 30.000 weitere Soldaten entsenden.", OTHER, date="2024-11-05")
    text = (
        "Die erzeugte Antwort hat die Quellenprüfung nicht bestanden. Die passendsten Stellen aus den Artikeln, wörtlich:\n"
        f"„{PASSAGE}“ (DW, report) [1]\n"
        "„Laut Einschätzungen könnte Nordkorea demnächst bis zu 30.000 weitere Soldaten entsenden.“ (IZ, opinion, 2024-11-05) [2]"
    )
    m = verified(text, [src(1), other], fallback=True, checks=[Check("fallback", "", "", "fallback")])
    # two quoted lines (the first holds two sentences of the passage: one claim), the header skipped;
    # the source's date in the label is metadata, not a number the answer states
    assert m["sentences_supported"] == 1.0 and m["numbers_supported"] == 1.0
    en = text.replace("Die erzeugte Antwort hat die Quellenprüfung nicht bestanden. Die passendsten Stellen aus den Artikeln, wörtlich:",
                      "The generated answer failed the source checks. The most relevant passages, quoted verbatim (in German):")
    assert verified(en, [src(1), other], language="en", fallback=True)["sentences_supported"] == 1.0
    # a conflict list: its header skipped, each line checked against the passage it cites
    conflict = ("Bis zu 12.000 Soldaten [1].\n\nDie Quellen nennen unterschiedliche Zahlen:\n"
                f"- 12.000 (DW, report): „{PASSAGE.split('. ')[0]}“ [1]\n- 40.000 (IZ, opinion, 2024-11-05): „Nordkorea könnte 40.000 Soldaten entsenden“ [2]")
    m = verified(conflict, [src(1), other])
    assert m["sentences_supported"] == pytest.approx(2 / 3) and m["numbers_supported"] == pytest.approx(1 / 2)


def test_claim_counts_and_their_aggregation():
    checks = [Check("claim_removed", "x", "s", "removed"), Check("claim_removed", "y", "t", "removed"),
              Check("reattributed", "z", "u", "reattributed"), Check("claim_duplicate", "", "", "removed"),
              Check("attributed", "", "", "kept")]
    m1 = verified("Bis zu 12.000 Soldaten [1].", [src(1)], checks=checks)
    assert (m1["claims_removed"], m1["claims_reattributed"], m1["claims_trimmed"]) == (2, 1, 1)
    m2 = verified("Bis zu 12.000 Soldaten [1].", [src(1)])  # the baseline: no checks
    assert (m2["claims_removed"], m2["claims_reattributed"], m2["claims_trimmed"]) == (0, 0, 0)
    q = question(expect="abstain", qtype="unanswerable")
    m3 = score_answer(q, answer("Die Artikel enthalten dazu keine Angaben.", abstained=True, checks=checks), [], 5)
    assert m3["claims_removed"] is None and m3["numbers_supported"] is None and m3["sentences_supported"] is None
    rows = [{"id": str(i), "type": "numeric", "language": "de", "expect": "answer", "metrics": m} for i, m in enumerate((m1, m2, m3))]
    agg = aggregate(rows)
    assert agg["claims_removed_total"] == 2 and agg["claims_removed"] == 1.0 and agg["counts"]["claims_removed"] == 2
    assert agg["claims_reattributed_total"] == 1 and agg["claims_trimmed_total"] == 1
    assert agg["numbers_supported"] == 1.0 and agg["sentences_supported"] == 1.0


def test_the_baselines_source_mentions_count_as_markers():
    from evaluation.baseline import source_citations

    passages = [Passage(doc_id=DOC, text=PASSAGE, start=0, end=len(PASSAGE), score=1.0)]
    text = "According to Source 1, Pyongyang wants to send up to 12,000 soldiers."
    cites = source_citations(text, passages)
    assert [c.n for c in cites] == [1]
    m = verified(text, cites, language="en")
    assert m["sentences_supported"] == 1.0 and m["numbers_supported"] == 1.0  # "Source 1" is no number


def test_new_metrics_in_the_report_tables():
    from evaluation.report import group_table, overall_table, target_met

    m = verified("Bis zu 12.000 Soldaten [1]. Ohne Beleg.", [src(1)], checks=[Check("claim_removed", "", "", "removed")])
    groups = aggregate_groups([{"id": "x", "type": "numeric", "language": "de", "expect": "answer", "metrics": m}])
    table = overall_table({"assistant": groups})
    assert "| Numbers in answers found in a cited passage | 1.000 | 1 | = 1 ✓ |" in table
    assert "| Answer sentences supported by their citations | 0.500 | 1 |" in table
    assert "| Claims removed by the checks (total) | 1 | 1 |" in table
    assert "numbers" in group_table(groups["by_type"]) and "sentences" in group_table(groups["by_language"])
    assert target_met(0.9, ("=", 1.0)) == "= 1 ✗"


# ---------------------------------------------------------------- re-scoring a finished run

ARTICLE_A = ("Nordkorea und Russland. " * 3 + PASSAGE + " Weitere Sätze folgen hier. " * 3)
ARTICLE_B = "Der Gipfel der BRICS-Staaten fand im Oktober 2024 in Kasan statt. " + "Mehr Text über den Gipfel. " * 5


def _run_folder(tmp_path):
    """A report folder as `rag eval` writes it, for 2 questions, over a corpus of 2 articles in tmp_path.
    Returns (folder, the metrics the run would have with the current code)."""
    import json

    from rag.verify.verifier import citation
    from evaluation.baseline import source_citations
    from evaluation.report import DEFINITIONS, write_json
    from evaluation.runner import QUESTION_FIELDS, answer_record

    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (corpus / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    (corpus / "metadata.json").write_text(json.dumps({
        "a.txt": {"title": "A", "outlet": "DW", "date": "2024-10-20", "kind": "report"},
        "b.txt": {"title": "B", "outlet": "IZ", "author": "X", "date": "2024-11", "kind": "opinion"},
    }), encoding="utf-8")
    qs = [
        {**question(facts=[("12.000", "12,000")], evidence=[("a", "bis zu 12.000 Soldaten")]), "id": "q1"},
        {**question(facts=[("Kasan", "Kazan")], evidence=[("b", "in Kasan statt")], qtype="single_fact"), "id": "q2",
         "question": "Wo fand der Gipfel im Oktober 2024 statt?"},
    ]
    qset = tmp_path / "questions.jsonl"
    qset.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in qs), encoding="utf-8")
    articles = ArticleTexts(corpus)

    def passage(doc: str, start: int, end: int) -> Passage:
        meta = {"a": ("A", "DW", "", "2024-10-20", "report"), "b": ("B", "IZ", "X", "2024-11", "opinion")}[doc]
        return Passage(doc_id=doc, text=articles.get(doc)[start:end], start=start, end=end, score=0.9,
                       **dict(zip(("title", "outlet", "author", "date", "kind"), meta)))

    at = ARTICLE_A.find(PASSAGE)
    pa, pb = passage("a", at, at + len(PASSAGE)), passage("b", 0, 70)
    s0 = PASSAGE.find("Pjöngjang")
    answers = {
        "q1": {
            "assistant": answer("Laut DW will Pjöngjang bis zu 12.000 Soldaten schicken [1]. Angeblich sind es 20.000 [2].",
                                [citation(1, pa, (s0, s0 + 60)), citation(2, pb, (0, 40))], [pa, pb],
                                checks=[Check("claim_removed", "number(s) not in any passage: 3000", "Es sind 3000.", "removed"),
                                        Check("reattributed", "cited [2], supported by [1]", "x", "reattributed")],
                                timings={"retrieval": 0.1, "first_token": 1.0, "total": 2.0}),
            "baseline": answer("According to Source 1, up to 12,000 soldiers. Source 2 says 5,000.", (), [pa, pb], language="en",
                               timings={"retrieval": 0.1, "first_token": 1.5, "total": 3.0}),
        },
        "q2": {
            "assistant": answer("Der Gipfel fand im Oktober 2024 in Kasan statt [1].", [citation(1, pb, (0, 66))], [pb, pa],
                                timings={"retrieval": 0.1, "first_token": 1.0, "total": 2.5}),
            "baseline": answer("In Kasan [1].", (), [pb], timings={"retrieval": 0.1, "first_token": 1.0, "total": 2.0}),
        },
    }
    for a in answers["q1"]["baseline"], answers["q2"]["baseline"]:
        a.citations = source_citations(a.text, a.passages)
    records, expected = [], {}
    for q in qs:
        gold = gold_spans(q, articles)
        rec = {f: q.get(f) for f in QUESTION_FIELDS}
        for system, a in answers[q["id"]].items():
            m = score_answer(q, a, gold, 5) | {"recall_at_k": 1.0, "mrr": 0.5, "first_hit": 2}
            expected[(q["id"], system)] = dict(m)
            old = {k: v for k, v in m.items() if k not in ("numbers_supported", "sentences_supported") and not k.startswith("claims_")}
            rec[system] = answer_record(a, old)
        records.append(rec)
    records[1] = {k: v for k, v in records[1].items() if k not in ("key_facts", "evidence")}  # gold from the question set
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "questions.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    write_json(folder / "summary.json", {
        "run": {"started": "2026-01-01T00:00:00", "finished": "2026-01-01T00:01:00", "duration_s": 60.0, "argv": ["eval"]},
        "selection": {"question_set": str(qset), "types": None, "ids": None, "limit": None, "n_questions": 2},
        "config": {"corpus_dir": str(corpus), "top_k": 5, "llm_backend": "llama-cpp"},
        "fingerprints": {"embedding": "e", "llm": "l", "baseline": "b", "git_commit": "abc", "git_dirty": False,
                         "prompts_sha256": "p", "question_set_sha256": "q", "python": "3.11", "versions": {}},
        "metrics": {"assistant": {}, "baseline": {}},
        "definitions": DEFINITIONS,
    })
    return folder, expected


def test_rescore_round_trip(tmp_path):
    import json
    from datetime import datetime

    from evaluation.rescore import rescore
    from evaluation.runner import rows_for

    folder, expected = _run_folder(tmp_path)
    before = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    summary = rescore(folder, now=datetime(2026, 2, 3, 4, 5, 6))

    records = [json.loads(line) for line in (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    for r in records:
        for system in ("assistant", "baseline"):
            assert r[system]["metrics"] == pytest.approx(expected[(r["id"], system)]), (r["id"], system)
    q1a = records[0]["assistant"]["metrics"]
    assert q1a["numbers_supported"] == 0.5 and q1a["sentences_supported"] == 0.5  # 20.000 is in no passage
    assert (q1a["claims_removed"], q1a["claims_reattributed"]) == (1, 1)
    assert records[0]["baseline"]["metrics"]["numbers_supported"] == 0.5 and records[0]["baseline"]["metrics"]["claims_removed"] == 0
    assert records[1]["assistant"]["metrics"]["correct"] is True and records[1]["assistant"]["metrics"]["recall_at_k"] == 1.0

    for system in ("assistant", "baseline"):
        assert summary["metrics"][system] == aggregate_groups(rows_for(records, system))
    assert summary["metrics"]["assistant"]["overall"]["claims_removed_total"] == 1
    assert summary["metrics"]["baseline"]["overall"]["claims_removed_total"] == 0
    on_disk = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    for key in ("run", "selection", "config", "fingerprints"):
        assert on_disk[key] == before[key]
    assert on_disk["rescored"][-1]["at"] == "2026-02-03T04:05:06"
    assert "for 1 of 2 questions" in on_disk["rescored"][-1]["gold"]
    assert on_disk["rescored"][-1]["notes"] == []
    md = (folder / "summary.md").read_text(encoding="utf-8")
    assert "Metrics re-scored at 2026-02-03T04:05:06 by the current code" in md
    assert "Numbers in answers found in a cited passage" in md and "| numbers | sentences |" in md
    assert (folder / "scores_by_type.png").stat().st_size > 0 and (folder / "latency.png").stat().st_size > 0
    assert (folder / "questions.orig.jsonl").is_file() and (folder / "summary.orig.json").is_file()
    assert "numbers_supported" not in (folder / "questions.orig.jsonl").read_text(encoding="utf-8")

    # again: the same metrics, a second "rescored" entry, the originals kept
    again = rescore(folder, plots=False)
    assert again["metrics"] == summary["metrics"] and len(again["rescored"]) == 2
    assert "numbers_supported" not in (folder / "questions.orig.jsonl").read_text(encoding="utf-8")


def test_rescore_of_records_from_before_the_extension(tmp_path):
    """Older records: no source fields, hashes, check details or gold; taken from the corpus and the question set."""
    import json

    from evaluation.rescore import rescore

    folder, expected = _run_folder(tmp_path)
    old_fields = {"n", "doc_id", "quote", "start", "end", "passage_start", "passage_end", "score", "dense_score", "bm25_score"}
    records = []
    for line in (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        r = {k: v for k, v in json.loads(line).items() if k not in ("key_facts", "evidence")}
        for system in ("assistant", "baseline"):
            s = {k: v for k, v in r[system].items() if k not in ("check_details", "grounded", "conflicts")}
            s["citations"] = [{k: v for k, v in c.items() if k in old_fields} for c in s["citations"]]
            s["passages"] = [{k: v for k, v in p.items() if k in old_fields} for p in s["passages"]]
            r[system] = s
        records.append(r)
    records[0]["baseline"]["citations"] = []  # read before "Source n" counted as a citation
    (folder / "questions.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    summary = rescore(folder, plots=False)
    for line in (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        for system in ("assistant", "baseline"):
            assert r[system]["metrics"] == pytest.approx(expected[(r["id"], system)]), (r["id"], system)
    assert "for 2 of 2 questions" in summary["rescored"][-1]["gold"]
    assert any("baseline citations read again" in n for n in summary["rescored"][-1]["notes"])


def test_rescore_notes_an_article_that_changed(tmp_path):
    from evaluation.rescore import rescore

    folder, _ = _run_folder(tmp_path)
    (tmp_path / "articles" / "a.txt").write_text("XX" + ARTICLE_A, encoding="utf-8")  # its offsets shift by two
    notes = rescore(folder, plots=False)["rescored"][-1]["notes"]  # the gold evidence is still found
    assert any("differs from the run's" in n for n in notes)
    assert any("no longer at its offsets" in n for n in notes)
    assert "differs from the run's" in (folder / "summary.md").read_text(encoding="utf-8")


def test_rescore_of_a_folder_without_records(tmp_path):
    from evaluation.rescore import rescore

    with pytest.raises(RagError):
        rescore(tmp_path)


def test_a_stored_citation_keeps_every_sentence_it_marks(tmp_path):
    # a report records each citation's spans, and a re-score reads them back (older runs have none)
    import json

    from rag.verify.verifier import citation
    from evaluation.rescore import rebuild_answer
    from evaluation.runner import answer_record

    _run_folder(tmp_path)  # writes the two-article corpus
    articles = ArticleTexts(tmp_path / "articles")
    at = ARTICLE_A.find(PASSAGE)
    p = Passage(doc_id="a", text=PASSAGE, start=at, end=at + len(PASSAGE), score=1.0)
    second = PASSAGE.index(".") + 2
    c = citation(1, p, (0, second - 1), more=[(second, len(PASSAGE))])
    stored = json.loads(json.dumps(answer_record(answer("x [1].", [c], [p]), {})))
    assert stored["citations"][0]["spans"] == [[at, at + second - 1], [at + second, at + len(PASSAGE)]]
    back = rebuild_answer(stored, {"question": "?"}, "assistant", articles, {})
    assert back.citations[0].quotes() == c.quotes() and len(c.quotes()) == 2
    del stored["citations"][0]["spans"]
    assert rebuild_answer(stored, {"question": "?"}, "assistant", articles, {}).citations[0].quotes() == [c.quote]
