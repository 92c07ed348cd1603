"""Question sets with their corpora (evaluation/suites.py) and the XQuAD scoring (its README's rules)."""
import pytest

from evaluation.metrics import facts_found, gold_in, span_present
from evaluation.suites import SUITES, from_xquad, get_suite, load_suite_questions, sample_xquad
from rag.settings import load_settings
from rag.types import RagError


def _item(i, lang, answerable, article="a.txt"):
    return {"id": f"{i}-{lang}", "lang": lang, "question": f"Frage {i}?" if lang == "de" else f"Question {i}?",
            "article": article, "answerable": answerable, "answers_de": [f"Antwort {i}"], "answers_en": [f"answer {i}"],
            "context": "…"}


def test_an_xquad_item_becomes_a_question_of_the_common_shape():
    de = from_xquad(_item(1, "de", True))
    assert de["expect"] == "answer" and de["type"] == "xquad" and de["scoring"] == "span"
    assert de["key_facts"] == [{"fact": "Antwort 1", "forms": ["Antwort 1"]}]  # German questions: the German spans
    en = from_xquad(_item(1, "en", True))
    assert en["key_facts"][0]["forms"] == ["Antwort 1", "answer 1"]  # English: English or German spans
    miss = from_xquad(_item(2, "de", False))
    assert miss["expect"] == "abstain" and miss["type"] == "near_miss" and miss["key_facts"] == []
    assert miss["gold_strings"] == ["Antwort 2"]  # citations are still judged by the German span


def test_the_sample_is_fixed_two_thirds_answerable_round_robin_over_articles_and_both_languages():
    records = [_item(i, lang, i % 4 != 0, article=f"{i % 3}.txt") for i in range(60) for lang in ("de", "en")]
    picked = sample_xquad(records, 9)
    ids = {r["id"].rsplit("-", 1)[0] for r in picked}
    assert len(ids) == 9 and len(picked) == 18  # every id in both languages
    assert sum(r["answerable"] for r in picked) == 2 * 6  # 6 answerable ids, 3 near misses
    assert {r["article"] for r in picked if r["answerable"]} == {"0.txt", "1.txt", "2.txt"}  # spread over articles
    # the sample depends on the ids, not on the file's order
    assert {r["id"] for r in sample_xquad(list(reversed(records)), 9)} == {r["id"] for r in picked}


def test_span_scoring_normalises_case_punctuation_and_digit_grouping():
    assert span_present("10.000", "Es waren 10000 Soldaten [1].")
    assert span_present("10,000", "Es waren 10.000 Soldaten.")
    assert span_present("Marlee Matlin", "… übersetzte die Oscar-Gewinnerin MARLEE MATLIN [1].")
    assert not span_present("Matlin", "Lady Gaga sang [1].")
    q = {"scoring": "span", "key_facts": [{"fact": "308", "forms": ["308"]}], "gold_strings": ["308"]}
    assert facts_found(q, "Die Panthers gaben 308 Punkte ab [1].") == [True]
    assert gold_in(q, "Die Verteidigung gab nur 308 Punkte ab.") and not gold_in(q, "Sie gab 30 Punkte ab.")


def test_suites_are_answered_from_their_own_store():
    base = load_settings()
    assert SUITES["eval"].settings(base).store_dir == base.store_dir
    xq = SUITES["xquad-dev"].settings(base)
    assert xq.store_dir != base.store_dir and xq.corpus_dir == SUITES["xquad-dev"].corpus
    with pytest.raises(RagError, match="unknown suite"):
        get_suite("nope")


def test_the_shipped_xquad_dev_sample_when_the_benchmark_is_there():
    suite = SUITES["xquad-dev"]
    if not suite.questions.is_file():
        pytest.skip(f"XQuAD dev is not beside this checkout ({suite.questions})")
    qs = load_suite_questions(suite)
    assert len(qs) == 120 and sum(q["expect"] == "abstain" for q in qs) == 40
    assert {q["language"] for q in qs} == {"de", "en"}
    assert len(load_suite_questions(suite, 0)) == 1224
