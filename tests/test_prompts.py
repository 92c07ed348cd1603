"""Prompt assembly: passage order and numbering, passages as data."""
import re

from rag.generation.prompts import answer_messages, format_passages
from rag.types import Passage


def _ps():
    return [Passage(d, f"Text {d}.", 0, 7, 1.0 - i / 10, d, outlet=f"Outlet {d}", kind="report") for i, d in enumerate("abc")]


def test_passages_keep_their_rank_numbers_in_either_order():
    last = re.findall(r'<passage id="(\d)"', format_passages(_ps()))
    first = re.findall(r'<passage id="(\d)"', format_passages(_ps(), best_last=False))
    assert last == ["3", "2", "1"] and first == ["1", "2", "3"]
    # the number always names the same passage
    for text in (format_passages(_ps()), format_passages(_ps(), best_last=False)):
        assert re.search(r'<passage id="1" source="Outlet a, report">\nText a\.\n</passage>', text)


def test_answer_prompt_holds_question_passages_and_instruction():
    msgs = answer_messages("Wer? <b>", _ps(), "de", best_last=False)
    assert [m["role"] for m in msgs] == ["system", "user"]
    user = msgs[1]["content"]
    assert user.index('id="1"') < user.index('id="3"') < user.index("Wer?")
    assert "<b>" not in user and "‹b›" in user  # the question is data too
    assert "auf Deutsch" in user
