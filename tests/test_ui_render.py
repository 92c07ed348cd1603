"""The sources panel's list of what the checks did, without a browser."""
from rag.types import Answer, Check
from ui.render import checks_html


def test_a_figure_list_and_a_source_comparison_are_told_in_the_checks_panel():
    # "Sources disagree" was labelled but never shown: a kept check was not listed (q036 in the chat window)
    a = Answer(question="?", text="…", checks=[
        Check("fallback", "the generated answer failed the checks; quoted passages shown instead", "", "fallback"),
        Check("conflict", "2 different figures for soldiers across sources; listed side by side", action="kept"),
        Check("views", "the question compares sources: 3 articles quoted side by side", action="kept"),
        Check("claim_duplicate", "repeats an earlier sentence", "Satz.", "removed"),
        Check("source_named", "the question names its source: only one article searched", action="kept"),
    ])
    html = checks_html(a)
    assert "What the checks did (5)" in html
    assert "Sources disagree" in html and "listed side by side" in html and "Sources compared" in html
    assert "Only the named source searched" in html
    # a check that changed nothing and is not worth telling stays out
    quiet = Answer(question="?", text="…", checks=[Check("abstained", "x", action="kept")])
    assert checks_html(quiet) == ""


def test_every_sentence_a_passage_is_cited_for_is_marked():
    from rag.verify.verifier import citation
    from rag.types import Passage
    from ui.render import passage_html

    text = "Erster Satz über <Kiew>. Zweiter Satz ohne Bezug. Dritter Satz mit 12.000 Soldaten."
    p = Passage("d", text, 100, 100 + len(text), 1.0)
    third = text.index("Dritter")
    c = citation(1, p, (third, len(text)), more=[(0, text.index("Zweiter") - 1)])
    html = passage_html(c)
    assert html.count('<mark class="rag-quote">') == 2
    assert '<mark class="rag-quote">Erster Satz über &lt;Kiew&gt;.</mark> Zweiter Satz ohne Bezug. <mark class="rag-quote">Dritter' in html
    c.spans.append((100 + 5, 100 + 12))  # overlaps the first: one mark, not nested ones
    assert passage_html(c).count("<mark") == 2 and "<mark class=\"rag-quote\">Erster Satz" in passage_html(c)
