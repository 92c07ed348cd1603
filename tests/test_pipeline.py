"""The answering pipeline over the real index and embeddings, with scripted LLM output."""
import json

import pytest

from rag.generation.llm import FakeLLM
from rag.types import RagError

pytestmark = pytest.mark.slow

Q_DE = "Wie viele Soldaten will Pjöngjang laut dem südkoreanischen Geheimdienst für Russlands Krieg bereitstellen?"


def _passage_sentence(messages, needle):
    prompt = messages[-1]["content"]
    import re

    for m in re.finditer(r'<passage id="(\d+)"[^>]*>\n(.*?)\n</passage>', prompt, re.S):
        for sent in re.split(r"(?<=[.!?])\s+", m.group(2)):
            if needle in sent:
                return int(m.group(1)), sent
    raise AssertionError(f"{needle!r} not in the prompt")


def _citing(needle, claim=None):
    """A scripted model that states `claim` (default: the prompt's sentence holding `needle`), citing its passage."""

    def answer(messages):
        n, sent = _passage_sentence(messages, needle)
        return f"{claim or sent} [{n}]"

    return answer


def test_grounded_answer_with_resolving_citations(make_assistant, articles):
    def answer(messages):
        n, sent = _passage_sentence(messages, "12.000")
        return f"{sent} [{n}] Das steht auch in [9]."

    a = make_assistant(FakeLLM(answer)).ask(Q_DE)
    assert not a.abstained and not a.fallback and a.language == "de"
    assert "12.000" in a.text and "[9]" not in a.text
    assert a.citations, a.checks
    for c in a.citations:
        assert f"[{c.n}]" in a.text
        assert articles[c.doc_id].text[c.start : c.end] == c.quote
        assert c.quote in c.text
    assert {"retrieval", "first_token", "total"} <= set(a.timings)
    # the windows the model read come first, then the five retrieved chunks: each an exact slice of its article
    assert 5 < len(a.passages) <= 5 + 4 and all(p.text == articles[p.doc_id].text[p.start : p.end] for p in a.passages)
    json.dumps(a.to_dict(), ensure_ascii=False)


def test_invented_number_falls_back_to_quoted_passages(make_assistant):
    a = make_assistant(FakeLLM(["Pjöngjang will 45.000 Soldaten schicken [1]."])).ask(Q_DE)
    assert a.fallback and not a.abstained
    assert "45.000" not in a.text and a.text.startswith("Die erzeugte Antwort")
    assert a.citations and all(f"[{c.n}]" in a.text for c in a.citations)
    assert any(c.kind == "claim_removed" and "45000" in c.detail for c in a.checks)


def test_refusal_abstains_without_citations(make_assistant):
    a = make_assistant(FakeLLM(["Die Auszüge enthalten dazu keine Angaben."])).ask("Wie hoch ist Nordkoreas Militärbudget?")
    assert a.abstained and not a.citations and a.text == "Die Artikel enthalten dazu keine Angaben."


def test_off_topic_question_abstains_from_evidence(make_assistant):
    llm = FakeLLM()
    a = make_assistant(llm).ask("What is a good recipe for apple pie?")
    assert a.abstained and a.language == "en" and a.text == "The articles do not say."
    assert not llm.calls  # decided from retrieval scores, before any generation


def test_english_question_is_answered_in_english_or_not_at_all(make_assistant):
    # the fake answers in German: the language check must catch it
    a = make_assistant().ask("How many soldiers does Pyongyang want to provide according to South Korean intelligence?")
    assert a.language == "en"
    assert a.fallback or a.abstained
    assert any(c.kind == "language_mismatch" for c in a.checks) or a.abstained


def test_follow_up_is_rewritten_with_the_history(make_assistant):
    llm = FakeLLM(["Wer sagte, dass Pjöngjang bis zu 12.000 Soldaten schicken will?", "Das meldete der südkoreanische Geheimdienst NIS [1]."])
    history = [{"role": "user", "content": Q_DE}, {"role": "assistant", "content": "Bis zu 12.000 Soldaten [1]."}]
    a = make_assistant(llm).ask("Und wer hat das gesagt?", history=history)
    assert a.standalone_question == "Wer sagte, dass Pjöngjang bis zu 12.000 Soldaten schicken will?"
    assert "Und wer hat das gesagt?" in llm.calls[0][-1]["content"] and Q_DE in llm.calls[0][-1]["content"]
    assert a.passages[0].doc_id == "003_f33e8c0018bd0e24"


def test_bad_condensation_falls_back_to_concatenation(make_assistant):
    llm = FakeLLM(["", "x [1]"])
    history = [{"role": "user", "content": "Was sagt Nico Lange?"}]
    a = make_assistant(llm).ask("Und wann?", history=history)
    assert a.standalone_question == "Was sagt Nico Lange? Und wann?"


@pytest.mark.parametrize("question,match", [("", "empty"), ("   \n\t", "empty"), ("x" * 100_000, "too long"), (None, "must be text")])
def test_bad_questions_are_clear_errors(make_assistant, question, match):
    with pytest.raises(RagError, match=match):
        make_assistant().ask(question)


@pytest.mark.parametrize("history,match", [("text", "list"), ([{"role": "system", "content": "x"}], "role"), ([{"content": "x"}], "role")])
def test_bad_history_is_a_clear_error(make_assistant, history, match):
    with pytest.raises(RagError, match=match):
        make_assistant().ask("Wer ist Nico Lange?", history=history)


def test_long_history_is_capped(make_assistant):
    llm = FakeLLM()
    history = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"Frage {i} " + "x" * 3000} for i in range(40)]
    make_assistant(llm, max_history_turns=3, max_history_chars=5000).ask("Und dann?", history=history)
    condense_prompt = llm.calls[0][-1]["content"]
    assert "Frage 39" in condense_prompt and "Frage 30" not in condense_prompt and len(condense_prompt) < 7000


def test_conflicting_figures_are_listed_with_their_sources(make_assistant, articles):
    a = make_assistant().ask("Wie viele nordkoreanische Soldaten sind in Russland?")
    assert len({c.value for c in a.conflicts}) >= 2
    assert len({c.doc_id for c in a.conflicts}) >= 2
    assert "Die Quellen nennen unterschiedliche Zahlen:" in a.text
    cited = {c.n: c for c in a.citations}
    for conflict in a.conflicts:
        assert f"[{conflict.passage}]" in a.text and conflict.passage in cited
        c = cited[conflict.passage]
        assert articles[c.doc_id].text[c.start : c.end] == c.quote
        assert conflict.sentence in [" ".join(q.split()) for q in c.quotes()]  # its own sentence is marked


def test_a_listed_figure_from_a_passage_a_claim_cites_is_highlighted_too(make_assistant, articles):
    # the claim cites DW's passage for its "1500" sentence and the figure list cites it for the
    # 12,000 one: the citation carries both, so the source card marks the listed sentence too
    q = "How many soldiers does South Korea's NIS say Pyongyang wants to provide?"
    a = make_assistant(FakeLLM(_citing("1500 bereits", "1500 soldiers were already shipped to Vladivostok"))).ask(q)
    twelve = next(c for c in a.conflicts if c.value == 12000)
    c = next(c for c in a.citations if c.n == twelve.passage)
    quotes = [" ".join(q.split()) for q in c.quotes()]
    assert twelve.sentence in quotes and any("1500 bereits" in q for q in quotes), quotes
    assert all(articles[c.doc_id].text[x:y] in c.text for x, y in c.spans)


def test_no_conflict_block_for_a_non_numeric_question(make_assistant):
    assert make_assistant().ask("Wer ist Nico Lange?").conflicts == []


def test_prompt_leak_is_withheld(make_assistant):
    from rag.generation.prompts import template

    a = make_assistant(FakeLLM([template("system") + " [1]"])).ask(Q_DE)
    assert "numbered passages you are given" not in a.text
    assert any(c.kind == "prompt_leak" for c in a.checks)


def test_generation_time_limit_stops_and_says_so(make_assistant):
    llm = FakeLLM(delay_s=0.3)
    a = make_assistant(llm, generation_timeout_s=0.5).ask(Q_DE)
    assert any(c.kind == "truncated" for c in a.checks)
    assert "gekürzt" in a.text or a.fallback


def test_a_question_comparing_sources_lists_each_articles_statement(make_assistant, articles):
    a = make_assistant().ask("War der BRICS-Gipfel in Kasan ein Erfolg für Russland? Wie bewerten die Autoren das unterschiedlich?")
    assert any(c.kind == "views" for c in a.checks)
    assert "Was die einzelnen Quellen dazu sagen:" in a.text
    assert len({v.doc_id for v in a.conflicts}) >= 2
    cited = {c.n: c for c in a.citations}
    for view in a.conflicts:
        c = cited[view.passage]
        assert f"„{view.sentence}“ [{view.passage}]" in a.text
        assert articles[c.doc_id].text[c.start : c.end] == c.quote
        assert " ".join(c.quote.split()) == view.sentence


def test_an_article_the_answer_cites_is_viewed_through_the_sentence_it_cites(make_assistant):
    q = "Ist die Zusammenarbeit zwischen Russland und Nordkorea auf Dauer angelegt? Die Einschätzungen gehen auseinander."

    fake = FakeLLM(_citing("nicht von Dauer", "Die Zusammenarbeit werde aber nicht von Dauer sein, glaubt der Experte."))
    # the other article's passage ranks low (0.42) for this question: with the default floor it gives
    # no view, and one article alone is no side-by-side list
    floored = make_assistant(fake, evidence_chars=0).ask(q)
    assert not any(c.kind == "views" for c in floored.checks) and floored.conflicts == []
    a = make_assistant(fake, min_view_score=0.0, evidence_chars=0).ask(q)
    assert any(a.passages[v.passage - 1].score < 0.5 for v in a.conflicts)  # what the floor left out
    assert "nicht von Dauer" in a.text.split("\n\n")[0]
    dw = [v for v in a.conflicts if v.quantity == "view" and "nicht von Dauer" in v.sentence]
    assert dw, a.text  # the DW line quotes the expert's judgement, not a sentence picked by similarity alone
    assert any(c.n == dw[0].passage and "nicht von Dauer" in c.quote for c in a.citations)  # one citation, not two


def _sentence_before(text, sentence):
    """The sentence (or headline) before `sentence` in `text`."""
    import re

    before = [x for x in re.split(r"(?<=[.!?])\s+|\n+", text[: text.index(sentence)].strip()) if x.strip()]
    return before[-1] if before else ""


def test_a_count_asked_according_to_a_source_lists_only_figures_that_name_it(make_assistant, articles):
    def names_the_source(c):  # the figure's sentence, or the one before it, names the South Korean intelligence service
        said = c.sentence + " " + _sentence_before(articles[c.doc_id].text, c.sentence)
        return "südkoreanisch" in said and "Geheimdienst" in said

    q = "Wie viele Soldaten sind {}bereits in Russland angekommen?"
    scoped = make_assistant(FakeLLM(["Es sind viele Soldaten [1]."]), conflict_margin=None).ask(q.format("laut dem südkoreanischen Geheimdienst "))
    every = make_assistant(FakeLLM(["Es sind viele Soldaten [1]."]), conflict_margin=None).ask(q.format(""))
    # two values or more remain: listed as any figure list, under the usual heading
    assert len({c.value for c in scoped.conflicts}) >= 2 and "Die Quellen nennen unterschiedliche Zahlen:" in scoped.text, scoped.text
    assert any(c.kind == "conflict" for c in scoped.checks)
    assert all(names_the_source(c) for c in scoped.conflicts), [c.sentence for c in scoped.conflicts]
    # asked without the source, other sources' counts are listed too, among them the US government's
    # 10.000 and Kyiv's 30.000 (whose sentence names "ihres Geheimdienstes", but not a South Korean one)
    others = {c.value for c in every.conflicts if not names_the_source(c)}
    assert {10000, 30000} <= others, every.text
    assert not others & {c.value for c in scoped.conflicts}, scoped.text


def test_fallback_quotes_a_second_sentence_only_when_close_to_the_best(make_assistant):
    # a what-question: for a how-many question the figure list would replace the quotes
    q = "Was will Pjöngjang laut dem südkoreanischen Geheimdienst für Russlands Krieg bereitstellen?"

    def fallback(margin):
        a = make_assistant(FakeLLM(["Pjöngjang will 45 Panzer schicken [1]."]), fallback_quote_margin=margin).ask(q)
        assert a.fallback
        lines = [line for line in a.text.splitlines() if line.startswith("„")]
        quotes = {c.n: c.quotes() for c in a.citations}
        for line in lines:  # each quoted sentence is marked in its source, also two of one passage
            n = int(line.rsplit("[", 1)[1].rstrip("]"))
            assert line[1 : line.index("“")] in [q.strip() for q in quotes[n]], (line, quotes)
        return lines

    assert len(fallback(0.0)) == 1
    assert len(fallback(1.0)) == 2


def test_two_fallback_quotes_of_one_passage_are_both_marked(make_assistant, articles):
    from rag.question import parse
    from rag.types import Passage

    art = next(a for a in articles.values() if "Wladiwostok ausgeschifft" in a.text)
    start = art.text.index("Eine neue Qualität")
    end = art.text.index("Soldaten.", art.text.index("Wladiwostok ausgeschifft")) + len("Soldaten.")
    p = Passage(art.doc_id, art.text[start:end], start, end, 1.0, "t")
    asst = make_assistant(fallback_quote_margin=1.0)
    q = parse(Q_DE, "de")
    a = asst._quoted(q, asst.encode([q.search])[0], [p], [], "", dict(question=Q_DE, passages=[p], language="de", standalone_question=""))
    assert a.fallback and len(a.citations) == 1 and a.text.count("[1]") == 2
    c = a.citations[0]
    assert len(c.quotes()) == 2 and all(art.text[x:y] == q for (x, y), q in zip(c.spans, c.quotes()))


Q_DRONES = "Wie viele Drohnen hat der Iran bisher an Russland geliefert?"  # the articles give no such figure


def test_a_how_many_answer_without_a_number_is_refused(make_assistant):
    def answer(messages):  # a verbatim, number-free sentence: it survives every check but answers nothing
        import re

        prompt = messages[-1]["content"]
        for m in re.finditer(r'<passage id="(\d+)"[^>]*>\n(.*?)\n</passage>', prompt, re.S):
            for sent in re.split(r"(?<=[.!?])\s+", m.group(2)):
                if len(sent) > 60 and not re.search(r"\d", sent) and "[…]" not in sent:
                    return f"{sent} [{m.group(1)}]"
        raise AssertionError("no number-free sentence in the prompt")

    a = make_assistant(FakeLLM(answer)).ask(Q_DRONES)
    assert a.abstained and not a.citations and a.text == "In den Artikeln finde ich dazu keine belegte Zahl."
    assert any(c.kind == "abstained" and "figure" in c.detail for c in a.checks)


def test_a_how_many_answer_that_drops_its_number_is_answered_from_the_articles(make_assistant):
    # the model names the estimate but not its figure; the articles' best sentence counts what is asked
    q = "Auf wie viele russische Opfer seit Beginn der großen Invasion kommt die Schätzung im Foreign-Policy-Beitrag?"
    a = make_assistant(FakeLLM(["Die Schätzung im Foreign-Policy-Beitrag liegt bei [1]."])).ask(q)
    assert a.fallback and not a.abstained and "600.000" in a.text
    assert [c.kind for c in a.checks][-2:] == ["missing_figure", "fallback"]
    assert any("Zahl der russischen Opfer" in c.quote for c in a.citations)


def test_a_how_many_fallback_that_counts_something_else_is_refused(make_assistant):
    a = make_assistant(FakeLLM(["Der Iran lieferte 45.000 Drohnen [1]."])).ask(Q_DRONES)
    assert a.abstained and "45.000" not in a.text and a.text == "In den Artikeln finde ich dazu keine belegte Zahl."
    # the same invented figure for a count the articles do give: quoted passages, not a refusal
    b = make_assistant(FakeLLM(["Pjöngjang will 45.000 Soldaten schicken [1]."])).ask("Wie viele Soldaten will Pjöngjang schicken?")
    assert b.fallback and not b.abstained and "12.000" in b.text


def test_conflicting_figures_are_looked_for_below_the_top_passages(make_assistant, articles):
    q = "Wie viele Soldaten schickt Nordkorea insgesamt nach Russland?"
    shallow = make_assistant(conflict_depth=5, conflict_margin=None).ask(q)
    deep = make_assistant(conflict_depth=10, conflict_margin=None).ask(q)
    assert {c.value for c in deep.conflicts} > {c.value for c in shallow.conflicts}
    # the passages that supplied a figure joined the answer's (the windows the model read, then the
    # top five chunks), numbered after them
    read = len(shallow.passages)
    assert [p.chunk_id for p in deep.passages[:read]] == [p.chunk_id for p in shallow.passages]
    assert len(deep.passages) > read and any(c.passage > read for c in deep.conflicts)
    cited = {c.n: c for c in deep.citations}
    for conflict in deep.conflicts:
        p = deep.passages[conflict.passage - 1]
        assert p.doc_id == conflict.doc_id and conflict.sentence in p.text
        c = cited[conflict.passage]
        assert f"[{c.n}]" in deep.text and articles[c.doc_id].text[c.start : c.end] == c.quote


def test_a_looping_output_is_cut_off_and_answered_from_the_articles(make_assistant):
    llm = FakeLLM(["[1] " * 300])
    a = make_assistant(llm).ask(Q_DE)
    assert len(a.raw_text) < 100  # stopped once it looped, not at the token limit
    assert any(c.kind == "loop_cut" for c in a.checks)
    assert a.fallback and "12.000" in a.text and a.citations


def test_a_question_for_one_figure_gets_no_conflict_list(make_assistant):
    # "additional soldiers announced in June": the June figure, not every troop count of the articles
    q = "Wie viele zusätzliche nordkoreanische Soldaten kündigte die russische Militärführung im Juni an?"

    narrow = make_assistant(FakeLLM(_citing("6.000"))).ask(q)
    wide = make_assistant(FakeLLM(_citing("6.000")), conflict_margin=None).ask(q)
    assert "6.000" in narrow.text and not narrow.abstained
    assert len({c.value for c in wide.conflicts}) >= 3  # without the rule: every count of soldiers
    assert narrow.conflicts == [] and "unterschiedliche Zahlen" not in narrow.text
    # a question on which the sources disagree still gets its list
    general = make_assistant().ask("Wie viele nordkoreanische Soldaten sind in Russland? Die Angaben gehen auseinander.")
    assert len({c.value for c in general.conflicts}) >= 3


def test_a_question_that_asks_how_the_sources_differ_keeps_its_figure_list(make_assistant):
    # a negative margin makes every question "ask for one figure": only a comparison keeps the list
    compare = make_assistant(conflict_margin=-1.0).ask("Wie viele nordkoreanische Soldaten sind in Russland? Die Angaben gehen auseinander.")
    plain = make_assistant(conflict_margin=-1.0).ask("Wie viele nordkoreanische Soldaten sind in Russland?")
    assert len({c.value for c in compare.conflicts}) >= 2
    assert plain.conflicts == []


def test_a_fallback_with_a_figure_list_shows_the_list_not_its_own_quotes(make_assistant, articles):
    # the model invents a figure; the figures the articles give for what is asked are listed
    # with their sources, and no quote picked by similarity is left
    q = "Wie viele nordkoreanische Soldaten waren im November 2024 in Russland?"
    a = make_assistant(FakeLLM(["Es waren 45.000 Soldaten [1]."])).ask(q)
    assert a.fallback and "45.000" not in a.text
    assert a.text.startswith("Die erzeugte Antwort hat die Quellenprüfung nicht bestanden. Die Quellen nennen unterschiedliche Zahlen:\n")
    assert "wörtlich:" not in a.text  # the fallback's own quote block is gone
    assert len({c.value for c in a.conflicts}) >= 2
    assert {c.n for c in a.citations} == {c.passage for c in a.conflicts}
    for c in a.citations:
        assert articles[c.doc_id].text[c.start : c.end] == c.quote
    # a moment asked about: no figure from a source published after it (the opinion piece of 2025
    # lists its 30.000 and 14.000 when no moment is asked about)
    assert all(c.date[:7] <= "2024-11" for c in a.conflicts), [(c.value, c.date) for c in a.conflicts]
    later = make_assistant(FakeLLM(["Es waren 45.000 Soldaten [1]."])).ask("Wie viele nordkoreanische Soldaten sind in Russland?")
    assert any(c.date[:7] > "2024-11" for c in later.conflicts), later.text


def test_a_question_that_names_its_source_is_answered_from_that_article(make_assistant):
    q = "Welche deutsche Politikerin fordert laut Osthold, NATO-Truppen in die Ukraine zu schicken?"
    a = make_assistant(FakeLLM(_citing("Strack-Zimmermann"))).ask(q)
    assert {p.doc_id[:3] for p in a.passages} == {"000"}
    assert any(c.kind == "source_named" and "Osthold" in c.detail for c in a.checks)
    assert "Strack-Zimmermann" in a.text and {c.doc_id[:3] for c in a.citations} == {"000"}
    # switched off, every article is searched
    wide = make_assistant(FakeLLM(_citing("Strack-Zimmermann")), scope_to_named_source=False).ask(q)
    assert len({p.doc_id for p in wide.passages}) > 1 and not any(c.kind == "source_named" for c in wide.checks)


def test_a_question_comparing_a_named_source_with_the_others_searches_them_all(make_assistant):
    a = make_assistant().ask("Widerspricht Kori Schake den anderen Artikeln beim BRICS-Gipfel?")
    assert len({p.doc_id for p in a.passages}) > 1
    assert not any(c.kind == "source_named" for c in a.checks)


def test_the_fallback_quotes_a_statement_not_a_headline_that_repeats_it(make_assistant):
    q = "Wer hat das Geschäft zwischen Moskau und Pjöngjang als Sklavenhandel bezeichnet?"
    a = make_assistant(FakeLLM(["Das sagte Wladimir Putin [1]."]), fallback_quote_margin=1.0).ask(q)
    assert a.fallback
    quotes = [line for line in a.text.splitlines() if line.startswith("„")]
    assert "Gustav Gressel" in quotes[0]
    assert not any("„Militärexperte bezeichnete den Deal als Sklavenhandel“" in line for line in quotes)


@pytest.mark.parametrize("question,name", [
    ("Who called Europe's failure to react to the North Korean deployment a \"fatal omission\"?", "Roderich Kiesewetter"),
    ("Wer hat das Geschäft zwischen Moskau und Pjöngjang als Sklavenhandel bezeichnet?", "Gustav Gressel"),
])
def test_a_who_question_gets_no_second_quote_that_names_no_one(make_assistant, question, name):
    # measured on the set: both had a second quote within the margin that names no one
    # ("Der Gedanke, dass der Ukraine-Krieg …", "… die sowohl Moskau als auch Pjöngjang in die Karten spielt")
    a = make_assistant(FakeLLM(["Das sagte Wladimir Putin [1]."])).ask(question)
    quotes = [line for line in a.text.splitlines() if line.startswith("„")]
    assert a.fallback and len(quotes) == 1 and name in quotes[0], a.text


def test_a_which_question_quotes_only_sentences_that_name_what_it_asks_for(make_assistant):
    # measured on the set (q003): Mousavi's sentence on the treaty's ratification ranked above
    # Putin's "Artikel 4 …" and was quoted first, though it names no article
    q = "Auf welchen Artikel des Partnerschaftsvertrags mit Nordkorea verwies Putin, als es um gegenseitigen militärischen Beistand ging?"
    # whole chunks (evidence_chars=0): the fallback quotes from what the model read, and no sentence
    # window of the top passages holds Putin's "Artikel 4" sentence
    a = make_assistant(FakeLLM(["Das sagte Wladimir Putin [1]."]), evidence_chars=0).ask(q)
    quotes = [line for line in a.text.splitlines() if line.startswith("„")]
    assert a.fallback and quotes and all("Artikel" in line for line in quotes), a.text
    assert "Artikel 4" in quotes[0]


def test_a_share_question_answered_with_a_count_is_answered_from_the_articles(make_assistant):
    q = "Welchen Anteil des russischen Staatshaushalts verschlingen laut Foreign Policy die Zahlungen an Familien gefallener Soldaten?"
    # whole chunks (evidence_chars=0): the scripted model quotes the 600.000 sentence, which no window holds
    a = make_assistant(FakeLLM(_citing("600.000")), evidence_chars=0).ask(q)  # a true sentence, but a count, not a share
    assert a.fallback and "sechs Prozent" in a.text
    assert any(c.kind == "missing_figure" for c in a.checks)


def test_a_figure_question_whose_quoted_fallback_holds_no_number_is_refused(make_assistant):
    invented = FakeLLM(["Das Budget beträgt 45 Milliarden Euro [1]."])
    a = make_assistant(invented).ask("Wie hoch ist das Budget von Selenskyjs „internem Aktionsplan“?")
    assert a.abstained and "45" not in a.text and any(c.kind == "abstained" for c in a.checks)
    # the quoted sentences hold the figure: answered from them
    b = make_assistant(FakeLLM(["Es sind 45.000 Soldaten [1]."])).ask(
        "Wie hoch ist die Zahl der Soldaten, die Pjöngjang laut dem südkoreanischen Geheimdienst bereitstellen will?")
    assert b.fallback and not b.abstained and "12.000" in b.text


def test_a_named_source_missing_from_the_store_searches_every_article(make_assistant):
    assistant = make_assistant()
    assert assistant.retriever.retrieve("Wie viele Soldaten?", 5, docs=["no-such-article"]) == []
    assistant.sources.named = lambda q: ["no-such-article"]  # the metadata names an article the store lacks
    a = assistant.ask("Wie viele Soldaten will Pjöngjang laut NIS bereitstellen?")
    assert len({p.doc_id for p in a.passages}) > 1 and not any(c.kind == "source_named" for c in a.checks)


def test_a_question_for_a_persons_words_quotes_each_article_that_names_them(make_assistant, articles):
    q = "Was wird der ukrainische Militärgeheimdienstchef Kyrylo Budanow in den Artikeln zitiert?"
    a = make_assistant(FakeLLM(["Kyrylo Budanow wird in den Artikeln zitiert [1]."])).ask(q)
    views = [v for v in a.conflicts if v.quantity == "view"]
    assert {v.doc_id[:3] for v in views} == {"001", "002"}, a.text  # "Budanov" in the translated piece, "Budanow" in the other
    assert any("Verbündete" in v.sentence for v in views) and any("wichtigsten Partner" in v.sentence for v in views)
    cited = {c.n: c for c in a.citations}
    for v in views:
        c = cited[v.passage]
        assert articles[c.doc_id].text[c.start : c.end] == c.quote and ("Budanov" in c.quote or "Budanow" in c.quote)
    assert any(c.kind == "views" and "Budanow" in c.detail for c in a.checks)


def test_a_persons_quotation_is_quoted_whole_and_where_asks_for_no_quotes(make_assistant):
    a = make_assistant().ask("Was sagte US-Verteidigungsminister Lloyd Austin laut den verschiedenen Artikeln über die nordkoreanischen Soldaten?")
    views = {v.doc_id[:3]: v.sentence for v in a.conflicts if v.quantity == "view"}
    assert set(views) == {"000", "002", "003"} and all("Austin" in s for s in views.values())
    assert "Das bleibt abzuwarten" in views["003"]  # the splitter cuts after "Was genau tun sie dort?"
    assert not make_assistant().ask("Wo hat Lloyd Austin das gesagt?").conflicts


def test_a_question_over_all_the_articles_reads_each_articles_best_passage(make_assistant):
    import re

    q = "Welche Angaben machen die Artikel zum Umfang der nordkoreanischen Munitionslieferungen an Russland?"
    llm = FakeLLM()
    # whole chunks (evidence_chars=0): the model reads the first generate_k passages in retrieval order
    a = make_assistant(llm, evidence_chars=0).ask(q)
    given = re.findall(r'<passage id="\d+" source="([^"]+)"', llm.calls[0][-1]["content"])
    assert len(given) == 3 and len(set(given)) == 3, given  # three articles, not 002, 002, 004
    assert len({p.doc_id for p in a.passages[:3]}) == 3 and any(c.kind == "spread" for c in a.checks)
    # switched off, the top three by score come from two articles
    plain = make_assistant(FakeLLM(), spread_across_articles=False, evidence_chars=0).ask(q)
    assert len({p.doc_id for p in plain.passages[:3]}) < 3 and not any(c.kind == "spread" for c in plain.checks)


def test_an_answer_that_only_restates_the_question_is_an_abstention(make_assistant):
    q = "Welche Brigade oder Einheit der nordkoreanischen Armee wurde konkret nach Kursk geschickt?"
    a = make_assistant(FakeLLM(_citing("Kursk", "Die nordkoreanische Armee wurde konkret nach Kursk geschickt."))).ask(q)
    assert a.abstained and any(c.kind == "abstained" and "restates" in c.detail for c in a.checks), a.text


def test_a_question_on_the_topic_that_the_articles_do_not_answer_is_refused_before_generation(make_assistant, articles):
    # South Korea is the articles' topic and retrieval finds close passages (above the off-topic
    # floor), but no article says who won an election there
    q = "Welche Partei gewann die Parlamentswahl in Südkorea?"
    llm = FakeLLM()
    assistant = make_assistant(llm)
    a = assistant.ask(q)
    assert a.abstained and not a.citations and a.conflicts == [] and a.text == "Die Artikel enthalten dazu keine Angaben."
    assert not llm.calls  # decided before any generation
    assert max(p.dense_score for p in a.passages) >= assistant.settings.min_dense_score
    gate = [c for c in a.checks if c.kind == "abstained"]
    assert len(gate) == 1 and "answerability" in gate[0].detail, a.checks
    # the best window it judged, and found wanting, is Mousavi's on the roads Pyongyang blew up
    mousavi = " ".join(articles["002_7f4a63d2e1c07776"].text.split())
    assert "Straßenverbindungen" in gate[0].sentence and " ".join(gate[0].sentence.split())[:80] in mousavi
    # the gate refused, not the retrieval floor: switched off, the model is asked
    ungated = FakeLLM()
    make_assistant(ungated, answerability_check=False).ask(q)
    assert ungated.calls
    # what that article does answer is not refused
    llm = FakeLLM(_citing("gesprengt"))
    b = make_assistant(llm).ask("Was hat Pjöngjang vergangene Woche gesprengt?")
    assert llm.calls and not b.abstained and not any(c.kind == "abstained" for c in b.checks)
    assert "Straßenverbindungen" in b.text
    assert any(c.doc_id == "002_7f4a63d2e1c07776" and "gesprengt" in c.quote for c in b.citations), b.citations


def test_a_question_for_what_a_named_author_writes_is_not_refused_before_generation(make_assistant):
    # Kori Schake's column is about North Korea's part in the war ("ein Zeichen der Schwäche")
    llm = FakeLLM()
    a = make_assistant(llm).ask("Was schreibt Kori Schake über Nordkorea?")
    assert any(c.kind == "source_named" for c in a.checks)
    assert llm.calls and not any(c.kind == "abstained" and "answerability" in c.detail for c in a.checks), a.checks
    # nor is a question for anything the author says: it has no subject the article must hold
    llm = FakeLLM()
    a = make_assistant(llm).ask("Was sagt Kori Schake?")
    assert llm.calls and not any(c.kind == "abstained" and "answerability" in c.detail for c in a.checks), a.checks
