"""Cutting the model off when its output loops or holds no word (rag/generation/guard.py)."""
from rag.generation.guard import hopeless, looping, without_loop


def test_a_loop_of_markers_or_digits_is_found_and_cut():
    assert looping("[1] " * 12)
    assert hopeless("[1] " * 12)
    text = "Die Reihen wurden dezimiert [1] auf einer Rate von 1" + "0" * 40
    assert hopeless(text)
    assert without_loop(text) == "Die Reihen wurden dezimiert [1] auf einer Rate von 1"


def test_answers_are_not_cut():
    for text in (
        "Kasan [1].",
        "Gustav Gressel bezeichnete den Deal als Sklavenhandel [2].",
        "Die Zahlen: 10.000, 12.000, 14.000 und 30.000 Soldaten [1][2][3].",
        "Er sagte nur: „Nein … nein … nein.“ [1]",
        "Es waren 1000000 Menschen [1].",  # a long number is not a loop
    ):
        assert not hopeless(text), text
        assert without_loop(text) == text


def test_markers_alone_are_hopeless_once_they_run_on():
    assert not hopeless("[1] [2] [3]")  # short: it ends by itself and the checks fall back
    assert hopeless("[1] [2] [3] [4] [5] [6] [7] [8] [9] [10] [11]")
