"""The citation checker on hand-made cases, with a small lexical encoder standing in
for the embedding model (so the cases are exact and the tests fast)."""
import hashlib
import re

import numpy as np
import pytest

from rag.checks import SupportScorer, parse_markers, split_claims, verify
from rag.types import Passage

TEXT = (
    "Der südkoreanische Geheimdienst NIS meldete, Pjöngjang wolle bis zu 12.000 Soldaten nach Russland schicken. "
    "Kiew spricht von einer neuen Kriegspartei. "
    "China liefert offiziell keine Waffen an Russland."
)


def encode(texts):
    out = np.zeros((len(texts), 256))
    for row, t in enumerate(texts):
        for w in re.findall(r"\w{4,}", t.lower()):
            out[row, int(hashlib.md5(w[:6].encode()).hexdigest(), 16) % 256] += 1
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


def passages():
    a = Passage("003", TEXT[:149], 0, 149, 1.0, "c1", kind="report", outlet="DW")
    b_start = TEXT.index("China")
    b = Passage("004", TEXT[b_start:], b_start, len(TEXT), 0.5, "c2", kind="opinion", author="Jürgen Meyer", outlet="IZ")
    return [a, b]


def run(answer, lang="de"):
    return verify(answer, passages(), lang, SupportScorer(encode), min_support=0.5)


def test_marker_parsing():
    assert parse_markers("a [1] b [2, 3] c [Auszug 4] [5][6]") == [1, 2, 3, 4, 5, 6]
    claims = split_claims("Pjöngjang schickt Soldaten. [1] Kiew spricht von Kriegspartei [1]. Dies steht in [2].", "de")
    assert [c.markers for c in claims] == [[1], [1, 2]]


def test_pointer_sentences_give_their_markers_to_the_sentence_before():
    # "The passage directly states this [3]." had been kept and read as a claim of [3]
    for text in ("The USA fuelled the crisis [1]. The passage directly states this [3].",
                 "Die USA steuerten den Umsturz [1]. Dies wurde in der Ausgabe beschrieben [3]."):
        claims = split_claims(text, "de")
        assert len(claims) == 1 and claims[0].markers == [1, 3], claims
    for text in ("Russland griff an [1]. This was described as a war crime [2].",
                 "Russland griff an [1]. Die Quelle nennt 12.000 Soldaten [2]."):  # they say something
        assert len(split_claims(text, "de")) == 2, text


def test_supported_claim_is_kept_with_quote_offsets():
    v = run("Pjöngjang wolle bis zu 12.000 Soldaten nach Russland schicken [1].")
    assert v.kept == 1 and "[1]" in v.text
    c = v.citations[0]
    assert TEXT[c.start : c.end] == c.quote and "12.000" in c.quote


def test_a_passage_cited_for_two_sentences_carries_both():
    # two claims cite [1] for different sentences: each is a span of the citation (so both are
    # highlighted), and the quote is the one of the two the passage supports best
    v = run("Pjöngjang wolle bis zu 12.000 Soldaten nach Russland schicken [1]. Kiew spricht von einer neuen Kriegspartei [1].")
    assert v.kept == 2 and len(v.citations) == 1
    c = v.citations[0]
    assert [TEXT[a:b] for a, b in c.spans] == c.quotes()
    assert [q.split()[0] for q in c.quotes()] == ["Der", "Kiew"] and c.quote in c.quotes()


def test_citation_spans_are_kept_apart_and_in_order():
    from rag.verify.verifier import citation

    p = passages()[0]
    second = (TEXT.index("Kiew"), TEXT.index("China") - 1)
    c = citation(1, p, second, more=[(0, TEXT.index("Kiew") - 1), second])
    assert c.quote.startswith("Kiew") and c.spans == [(0, TEXT.index("Kiew") - 1), second]
    c.add_span(*second)  # already there: not twice
    assert len(c.spans) == 2 and c.quotes()[0].startswith("Der südkoreanische")
    c.spans = [(500, 600)]  # outside the passage (a changed article): the quote alone
    assert c.quotes() == [c.quote]


def test_a_claim_that_asserts_what_its_sentence_denies_is_removed():
    # "China liefert offiziell keine Waffen": a claim that China delivers weapons turns it upside down
    v = run("China liefert offiziell Waffen an Russland [2].")
    assert v.kept == 0 and any(c.kind == "claim_removed" and "keine Waffen" in c.detail for c in v.checks)
    assert run("China liefert offiziell keine Waffen an Russland [2].").kept == 1  # negated as its source is
    assert run("China liefert an Russland [2].").kept == 1  # the denied word is not asserted


def test_a_claim_that_names_who_spoke_must_cite_a_passage_naming_them():
    # "Roderich Kiesewetter sagte, dass …" over words another person said: the passage must
    # name the speaker (the sentence need not: it may continue a quotation), or be by them
    other = Passage("005", "Roderich Kiesewetter fordert eine geeinte Reaktion Europas.", 0, 57, 0.4, "c3", kind="report", outlet="DW")
    claim = "Roderich Kiesewetter sagte, Pjöngjang wolle bis zu 12.000 Soldaten nach Russland schicken [1]."
    # the name is in the question, so the name check lets it through (q: "Was sagte Kiesewetter über …?")
    v = verify(claim, passages() + [other], "de", SupportScorer(encode), min_support=0.5, question="Was sagte Roderich Kiesewetter?")
    assert v.kept == 0 and any("does not name Kiesewetter" in c.detail for c in v.checks), v.checks
    assert run("Der Geheimdienst NIS meldete, Pjöngjang wolle bis zu 12.000 Soldaten nach Russland schicken [1].").kept == 1
    assert run("Laut Jürgen Meyer liefert China offiziell keine Waffen an Russland [2].").kept == 1  # the author


def test_a_misattributed_claim_is_not_moved_onto_a_passage_that_names_the_speaker():
    # the words are Nico Lange's; citing Kiesewetter's own passage instead, which says something
    # else, would dress the misattribution up: the claim goes
    lange = "Es bestehe kein Zweifel, dass Bautrupps der nordkoreanischen Streitkräfte in den besetzten Gebieten aktiv sind, sagt Nico Lange."
    kiese = "Dass Europa nicht reagiert habe, sei ein fatales Versäumnis, findet Roderich Kiesewetter."
    ps = [Passage("003", lange, 0, len(lange), 1.0, "a"), Passage("003", kiese, 500, 500 + len(kiese), 0.9, "b")]
    claim = "Roderich Kiesewetter sagte, dass Bautrupps der nordkoreanischen Streitkräfte in den besetzten Gebieten aktiv sind"
    for cited in ("[1].", "."):  # cited to Lange's words, or to nothing
        v = verify(claim + cited, ps, "de", SupportScorer(encode), min_support=0.1, question="Was sagte Roderich Kiesewetter über Bautrupps?")
        assert v.kept == 0 and any("([1]) does not name Kiesewetter" in c.detail for c in v.checks), (cited, v.checks)
    # cited to a passage that names him and passes every check: that passage is its source, even
    # if another says it in words closer to the claim's (a figure both repeat)
    both = [Passage("002", "Der Geheimdienst NIS meldete, Pjöngjang wolle bis zu 12.000 Soldaten schicken.", 0, 77, 1.0, "n"),
            Passage("003", "Roderich Kiesewetter sagte dazu, 12.000 seien zu viele.", 900, 955, 0.9, "k")]
    v = verify("Roderich Kiesewetter sagte, Pjöngjang wolle bis zu 12.000 Soldaten schicken [2].", both, "de", SupportScorer(encode),
               min_support=0.1, question="Was sagte Roderich Kiesewetter?")
    assert v.kept == 1 and "[2]" in v.text, v.checks
    v = verify("Nico Lange sagte, dass Bautrupps der nordkoreanischen Streitkräfte in den besetzten Gebieten aktiv sind [2].", ps, "de",
               SupportScorer(encode), min_support=0.1)
    assert v.kept == 1 and "[1]" in v.text  # the right speaker: cited to the passage that says it


def test_who_a_claim_says_spoke():
    from rag.speakers import claimed_speaker

    assert claimed_speaker("Roderich Kiesewetter sagte, dass Bautrupps aktiv sind.") == "Kiesewetter"
    assert claimed_speaker("Das sei ein fatales Versäumnis, findet Roderich Kiesewetter (CDU).") == "Kiesewetter"
    assert claimed_speaker("Laut Andrei Lankov will Russland eine Mobilmachung umgehen.") == "Lankov"
    assert claimed_speaker("According to Nico Lange, Europe waits.") == "Lange"
    assert claimed_speaker("Nico Lange (MSC) sagte, Europa warte.") == "Lange"
    assert claimed_speaker("Kori Schake's view: Russia argues it lacks soldiers.") is None  # Russia argues, not Schake
    assert claimed_speaker("Der südkoreanische Geheimdienst NIS meldete 12.000.") is None
    assert claimed_speaker("Wladimir Putin bestätigte den Vertrag.") is None  # no verb of saying
    assert claimed_speaker("Andrei Lankov zufolge will Russland eine Mobilmachung umgehen.") == "Lankov"
    assert claimed_speaker("Am Montag sagte Putin, es gebe keinen Krieg.") is None  # a day is no name


def test_a_speaker_the_passages_do_not_name_is_left_to_the_name_checks():
    # "South Korea said …" over "Der südkoreanische Geheimdienst …": "Korea" is named in no
    # passage as a word, so no passage could be required to name it; the outlet counts as a name
    v = verify("South Korea said Pyongyang wants to send up to 12,000 soldiers to Russia [1].", passages(), "en",
               SupportScorer(encode), min_support=0.0)  # the test encoder cannot match English to German
    assert v.kept == 1, v.checks
    dw = passages()[0]
    dw.outlet = "Deutsche Welle"
    v = verify("Laut Deutsche Welle wolle Pjöngjang bis zu 12.000 Soldaten nach Russland schicken [1].", [dw], "de",
               SupportScorer(encode), min_support=0.5)
    assert v.kept == 1, v.checks


def test_a_sentence_about_the_passages_given_is_no_claim():
    v = run("China liefert offiziell keine Waffen an Russland [2]. Dies wird in den drei gegebenen Passagen deutlich vermittelt.")
    assert v.kept == 1 and "Passagen" not in v.text
    assert any(c.kind == "claim_removed" and "passages the model was given" in c.detail for c in v.checks)
    claims = split_claims("It is clear from the passages that Russia lacks troops. Das Abkommen enthält Passagen über "
                          "gegenseitige Militärhilfe. Das Gericht veröffentlichte Auszüge aus dem Urteil.", "de")
    assert len(claims) == 3 and not any(c.about_passages for c in claims)  # they say something of the articles


def test_a_sentence_that_starts_in_the_middle_is_removed():
    v = run("China liefert offiziell keine Waffen an Russland [2]. und sagen, dass China keine Waffen an Russland liefert [2].")
    assert v.kept == 1 and "und sagen" not in v.text
    assert any("starts in the middle" in c.detail for c in v.checks)
    assert run("Und China liefert offiziell keine Waffen an Russland [2].").kept == 1  # capitalised: a whole sentence


def test_denied_words():
    from rag.checks import denies_claim

    s = "Dahinter steckt die Überzeugung, dass die USA und die Nato der wahre Aggressor sind und nicht Russland."
    assert denies_claim("Der wahre Aggressor im Ukrainekrieg ist Russland.", s) == "nicht Russland"
    assert denies_claim("Laut Meyer sind die USA der wahre Aggressor, nicht Russland.", s) is None
    assert denies_claim("Russland hat genügend Soldaten.", "Russland hat nicht mehr genügend Soldaten.") is None  # "mehr" carries nothing
    assert denies_claim("Russia doesn't have enough soldiers.", "Russland hat keine Soldaten mehr.") is None
    # a denied verb is no denied thing ("will gewinnen" is not what "kann nicht gewinnen" denies),
    # nor is another subject's act ("Pjöngjang hat nicht bestätigt, Südkorea aber")
    assert denies_claim("Russland will den Krieg gewinnen.", "Ohne Hilfe kann Russland den Krieg nicht gewinnen.") is None
    assert denies_claim("Südkorea hat den Einsatz bestätigt.", "Pjöngjang hat den Einsatz nicht bestätigt, Südkorea aber schon.") is None


def test_a_scrap_of_a_sentence_supports_nothing():
    # a byline ("IZ 23.07.") or dateline is no sentence: never the quote, never the support
    text = "Berlin 23.07. Pjöngjang wolle bis zu 12.000 Soldaten schicken."
    p = Passage("004", text, 0, len(text), 1.0, "c9")
    scorer = SupportScorer(encode)
    ranked = scorer.ranked(encode(["Berlin"])[0], p)
    assert text[slice(*ranked[0][2])] == "Berlin 23.07."  # the closest sentence by its vector …
    sim, (a, b), _ = scorer.best(encode(["Berlin"])[0], p)
    assert text[a:b].startswith("Pjöngjang")  # … is no support


def test_changed_number_is_removed():
    v = run("Pjöngjang wolle bis zu 14.000 Soldaten nach Russland schicken [1].")
    assert v.kept == 0
    assert any(c.kind == "claim_removed" and "14000" in c.detail for c in v.checks)


def test_number_in_other_format_is_accepted():
    v = run("Pyongyang wants to send up to 12,000 soldiers, the South Korean NIS Geheimdienst said [1].", "en")
    assert not any("number" in c.detail for c in v.checks)


def test_marker_out_of_range_is_removed():
    v = run("Kiew spricht von einer neuen Kriegspartei [7].")
    assert any(c.kind == "marker_out_of_range" for c in v.checks)
    assert "[7]" not in v.text


def test_wrong_marker_is_reattributed():
    v = run("China liefert offiziell keine Waffen an Russland [1].")
    assert any(c.kind == "reattributed" for c in v.checks)
    assert "[2]" in v.text and "[1]" not in v.text


def test_quote_not_in_passage_is_removed():
    v = run('Kiew spricht von „einer völlig neuen und gefährlichen Kriegspartei“ [1].')
    assert v.kept == 0


def test_claim_without_citation_gets_one_when_supported_else_removed():
    v = run("Kiew spricht von einer neuen Kriegspartei. Der Mond ist aus grünem Käse gemacht.")
    assert v.kept == 1 and "[1]" in v.text and "Käse" not in v.text


def test_opinion_claim_is_attributed():
    v = run("China liefert offiziell keine Waffen an Russland [2].")
    assert v.text.startswith("Laut dem Meinungsbeitrag von Jürgen Meyer")


@pytest.mark.parametrize("answer", ["", "[1]", "   "])
def test_empty_answers(answer):
    assert run(answer).kept == 0


def test_unknown_name_is_removed():
    v = run("General Kim Yong Bok führt laut NIS die Soldaten nach Russland [1].")
    assert v.kept == 0 and any("name" in c.detail for c in v.checks)


def test_known_name_in_other_inflection_is_kept():
    from rag.checks import unsupported_names

    assert unsupported_names("Laut Roderich Kiesewetters Aussage", "Roderich Kiesewetter (CDU) sagte") == []
    assert unsupported_names("Die Ukraine kämpft", "Kiew spricht") == []
    assert unsupported_names("Nico Lange sagte", "Kiew spricht") == ["Nico Lange"]


def test_figures_from_the_question_may_be_repeated():
    q = "Was meldete der NIS im Oktober 2024?"
    v = verify("Im Oktober 2024 meldete der NIS, Pjöngjang wolle bis zu 12.000 Soldaten nach Russland schicken [1].",
               passages(), "de", SupportScorer(encode), 0.5, question=q)
    assert v.kept == 1


def test_invented_english_name_is_removed():
    from rag.checks import unsupported_names_en

    assert unsupported_names_en("The troops are led by Colonel Ri Song Chol.", TEXT) == ["Colonel Ri Song Chol"]
    assert unsupported_names_en("North Korean troops, the South Korean NIS said.", TEXT) == []


def _two(a: str, b: str):
    return [Passage("003", a, 0, len(a), 1.0, "a1", kind="report"), Passage("004", b, 0, len(b), 0.9, "b1", kind="report")]


def test_claim_is_cited_to_the_passage_that_supports_it_best():
    # [2] passes the threshold, but [1] holds the very sentence: the citation moves there
    ps = _two("Kiew spricht von einer neuen Kriegspartei.", "Kiew spricht von einer Kriegspartei, sagt Nordkorea.")
    v = verify("Kiew spricht von einer neuen Kriegspartei [2].", ps, "de", SupportScorer(encode), 0.5)
    assert v.text.endswith("[1].") and [c.n for c in v.citations] == [1]
    assert any(c.kind == "reattributed" and "better" in c.detail for c in v.checks)
    # of two cited passages, the clearly weaker one is dropped
    v = verify("Kiew spricht von einer neuen Kriegspartei [1][2].", ps, "de", SupportScorer(encode), 0.5)
    assert [c.n for c in v.citations] == [1] and any(c.kind == "marker_unsupported" for c in v.checks)
    # a margin of 1 keeps the model's citation when it passes
    v = verify("Kiew spricht von einer neuen Kriegspartei [2].", ps, "de", SupportScorer(encode), 0.5, cite_margin=1.0)
    assert [c.n for c in v.citations] == [2]


def test_word_overlap_picks_the_quote_when_similarities_tie():
    from rag.checks import lexical_overlap, word_stems

    stems = word_stems("Die Soldaten erhalten russische Uniformen")
    assert lexical_overlap(stems, "Sie sollen russische Uniformen erhalten.") > lexical_overlap(stems, "Fotos zeigen Soldaten.")
    assert lexical_overlap(set(), "irgendwas") == 0.0


def test_a_bare_source_label_is_no_claim():
    claims = split_claims("Kiew spricht von einer neuen Kriegspartei. Quelle: [1].", "de")
    assert [(c.text, c.markers) for c in claims] == [("Kiew spricht von einer neuen Kriegspartei.", [1])]
    claims = split_claims("Kiew spricht von einer neuen Kriegspartei. Quellen: [1], [2].", "de")
    assert [(c.text, c.markers) for c in claims] == [("Kiew spricht von einer neuen Kriegspartei.", [1, 2])]


def test_how_many_questions_need_a_number_of_what_they_count():
    from rag.checks import counts_asked, lacks_asked_figure

    assert lacks_asked_figure("Wie viele Drohnen lieferte Iran?", "Iran lieferte Drohnen [1].", "de")
    assert not lacks_asked_figure("Wie viele Drohnen lieferte Iran?", "Iran lieferte 300 Drohnen [1].", "de")
    assert lacks_asked_figure("Mit wie vielen Stimmen wurde es ratifiziert?", "Es wurde ratifiziert.", "de")
    assert not lacks_asked_figure("Wer ist Nico Lange?", "Ein Experte.", "de")
    assert counts_asked("Wie viele Drohnen lieferte Iran?", "Bis zu 12.000 Soldaten sollen kommen.") is False
    assert counts_asked("Wie viele Drohnen schickte Iran?", "Iran schickte 300 iranische Drohnen.") is True
    assert counts_asked("How many drones did Iran send?", "Bis zu 12.000 Soldaten.", "en") is None
    assert counts_asked("Wer ist Nico Lange?", "12.000 Soldaten") is None
    assert counts_asked("Wie viele Drohnen griffen an?", "Am 3. Oktober griffen Drohnen an.") is False  # a date counts nothing
    assert not lacks_asked_figure("Wie groß ist die Gefahr einer Eskalation?", "Sie ist groß [1].", "de")
    assert not lacks_asked_figure("Wie viele Soldaten starben?", "Zwei Soldaten starben [1].", "de")
    assert not lacks_asked_figure("How many soldiers came?", "Thousands of soldiers came [1].", "en")


def test_a_count_of_soldiers_of_another_nationality_is_not_what_was_asked():
    from rag.checks import counts_asked

    q = "Wie viele ukrainische Soldaten halten derzeit Stellungen in der Region Kursk?"
    assert counts_asked(q, "Mindestens 10.000 nordkoreanische Soldaten sind in Kursk stationiert.") is False
    assert counts_asked(q, "Rund 3.000 ukrainische Soldaten halten Stellungen.") is True
    assert counts_asked(q, "Weitere 6.000 Soldaten kamen hinzu.") is True  # no nationality named: may be them
    # the nationality as the counted noun itself
    assert counts_asked("Wie viele Nordkoreaner kämpfen in Kursk?", "Bis Oktober 5.000 Nordkoreaner in der Region Kursk.") is True
    assert counts_asked("Wie viele Soldaten sind in Kursk?", "10.000 nordkoreanische Soldaten sind dort.") is True


def test_a_fate_is_read_in_the_how_many_clause_only():
    from rag.checks import counts_asked, misses_asked_fate

    sent = ["Nordkorea hat 12.000 Soldaten nach Russland geschickt."]
    q = "Wie viele Soldaten schickt Nordkorea, um Russlands Verluste auszugleichen?"
    assert not misses_asked_fate(q, sent) and counts_asked(q, sent[0]) is True
    assert misses_asked_fate("Wie viele Nordkoreaner sind tot?", sent)
    assert misses_asked_fate("Wie viele ukrainische Soldaten sind bei den Kämpfen um Siedlowskoje ums Leben gekommen?", sent)


def test_a_count_of_troops_is_not_a_count_of_the_fallen_defectors_or_prisoners():
    from rag.checks import counts_asked, counts_other, misses_asked_fate

    sent = "Davon seien 1500 bereits ausgeschifft worden - inzwischen spricht der NIS von 3000 nach Russland gebrachten Soldaten."
    for q in ("Wie viele nordkoreanische Soldaten sind bisher übergelaufen?",
              "Wie viele nordkoreanische Soldaten wurden gefangen genommen?",
              "Wie viele nordkoreanische Soldaten sind gefallen?"):
        assert counts_asked(q, sent) is False and counts_other(q, sent, "nach Russland gebrachten Soldaten"), q
        assert misses_asked_fate(q, [sent])
    q = "Wie viele nordkoreanische Soldaten sind bisher übergelaufen?"
    assert counts_asked(q, "Bisher sind 40 Soldaten übergelaufen.") is True
    assert not misses_asked_fate(q, ["Bisher sind 40 Soldaten übergelaufen."])
    assert misses_asked_fate("How many North Korean soldiers have defected?", [sent])  # either language
    assert not misses_asked_fate("Wie viele Soldaten sind in Kursk?", [sent])  # no fate asked
    assert not misses_asked_fate("Sind nordkoreanische Soldaten übergelaufen?", [sent])  # no figure asked


def test_a_number_counts_what_the_sentence_names_as_its_zahl():
    from rag.checks import counts_asked

    q = "Auf wie viele russische Opfer kommt die Schätzung?"
    assert counts_asked(q, "Die Zahl der russischen Opfer wird auf mehr als 600.000 geschätzt.") is True
    assert counts_asked(q, "Die Zahl der russischen Opfer ist hoch.") is False  # no number
    assert counts_asked(q, "Die Zahl der russischen Opfer liegt bei 600.000.") is True  # the number ends the sentence
    assert counts_asked(q, "Die Zahl der russischen Opfer ist seit 2024 gestiegen.") is False  # a year counts nothing
    assert counts_asked("Wie viele ukrainische Soldaten kämpfen dort?", "Die Zahl der ukrainischen Soldaten liegt bei 10.000 Mann.") is True
    assert counts_asked("Wie viele ukrainische Soldaten kämpfen dort?", "Die Zahl der nordkoreanischen Soldaten liegt bei 10.000 Mann.") is False


def test_the_counted_thing_is_the_questions_noun_not_its_verbs():
    from rag.checks import counts_asked

    # "sind" after "wie viele Soldaten" is no counted thing
    assert counts_asked("Wie viele Soldaten sind seit Kriegsbeginn gefallen?", "Seit 2022 sind Zehntausende gefallen.") is False
    # one nationality, two words for it; a country named is no nationality counted
    assert counts_asked("Wie viele russische Soldaten sind gefallen?", "Gefallen sind 600.000 Soldaten der Russen.") is True
    assert counts_asked("Wie viele nordkoreanische Soldaten sollen kämpfen?", "Pjöngjang könnte 30.000 Soldaten in die Ukraine schicken.") is True


def test_a_count_of_troops_is_not_a_count_of_the_dead():
    from rag.checks import counts_asked

    q = "Wie viele nordkoreanische Soldaten sind bisher in Kursk gefallen?"
    assert counts_asked(q, "Mindestens 10.000 nordkoreanische Soldaten wurden in Kursk stationiert.") is False
    assert counts_asked(q, "Bislang sind 300 nordkoreanische Soldaten gefallen.") is True
    assert counts_asked("Auf wie viele russische Opfer kommt die Schätzung?", "Die Zahl der russischen Opfer wird auf 600.000 geschätzt.") is True


def test_a_sentence_that_only_points_at_a_passage_is_no_claim():
    claims = split_claims("Xi warned against adding oil to the fire [2]. The passage that provides this information is [3].", "en")
    assert [(c.text, c.markers) for c in claims] == [("Xi warned against adding oil to the fire.", [2, 3])]
    claims = split_claims("Die Information findet sich in [1].", "de")
    assert claims == []
    # a sentence with content is kept, even when it names the article or its source and ends on its verb
    claims = split_claims("Der Artikel nennt 12.000 Soldaten [1]. Die Soldaten kamen aus Nordkorea [2].", "de")
    assert [c.text for c in claims] == ["Der Artikel nennt 12.000 Soldaten.", "Die Soldaten kamen aus Nordkorea."]
    for claim in ("Der Artikel berichtet, dass Nordkorea an dem Konflikt beteiligt ist [2].",
                  "Laut der Quelle ist unklar, wie viele Soldaten bereits im Einsatz sind [2].",
                  "Die Quelle sagt, dass 12.000 Soldaten im Einsatz sind [2]."):
        assert [c.markers for c in split_claims("Xi warnte [1]. " + claim, "de")] == [[1], [2]]
    assert [c.markers for c in split_claims("The article explains where the troops came from [2].", "en")] == [[2]]


def test_a_share_question_needs_a_share_not_any_number():
    from rag.checks import lacks_asked_figure

    q = "Welchen Anteil des russischen Staatshaushalts verschlingen die Zahlungen an Familien?"
    assert lacks_asked_figure(q, "Die Zahl der russischen Opfer wird auf 600.000 geschätzt [1].", "de")
    assert not lacks_asked_figure(q, "Sie verschlingen sechs Prozent des Haushalts [1].", "de")
    assert not lacks_asked_figure(q, "Es ist fast die Hälfte [1].", "de")
    assert lacks_asked_figure("What share of the budget goes to the families?", "It is 600,000 [1].", "en")
    assert not lacks_asked_figure("What share of the budget goes to the families?", "Six percent [1].", "en")


def test_a_figure_of_another_nationality_or_not_of_the_dead_counts_something_else():
    from rag.checks import counts_other

    q = "Wie viele ukrainische Soldaten sind bei den Kämpfen um Siedlowskoje ums Leben gekommen?"
    assert counts_other(q, "Demnach will Pjöngjang bis zu 12.000 Soldaten bereitstellen.", "Soldaten")  # no one died there
    assert not counts_other(q, "Dabei kamen 300 ukrainische Soldaten ums Leben.", "ukrainische Soldaten")
    q = "Wie viele nordkoreanische Soldaten waren schon in Russland?"
    assert counts_other(q, "Bereits 3.000 ukrainische Soldaten sind dort.", "ukrainische Soldaten")
    # what follows the counted noun ("in die russische Provinz") is not what is counted
    assert not counts_other(q, "Kim schickte 14.000 nordkoreanische Soldaten in die russische Provinz Kursk.", "nordkoreanische Soldaten")
    assert not counts_other("How many soldiers died?", "12.000 Soldaten kamen.", "Soldaten", "en")  # German questions only


def test_a_sentence_names_someone_by_a_run_of_capitalised_words_not_the_questions():
    from rag.checks import names_someone

    assert names_someone("Der Militärexperte Gustav Gressel bezeichnete diesen Deal als Sklavenhandel.")
    assert not names_someone("Der Gedanke, dass der Krieg eskaliert, ist ernst.")  # article + one noun
    q = "Wer hat das Geschäft zwischen Moskau und Pjöngjang als Sklavenhandel bezeichnet?"
    assert not names_someone("Am wichtigsten ist, dass Moskau Pjöngjang Devisen verschafft.", q)  # the question's own places
    assert not names_someone("Am wichtigsten ist, dass Moskau Pjöngjang Devisen verschafft.", "zwischen Moskau und Pjöngjang?")
    assert names_someone("Am wichtigsten ist, dass Moskau Pjöngjang Devisen verschafft.")


def test_a_marker_used_as_a_word_of_the_sentence_removes_the_claim():
    claims = split_claims("In [1] wird deutlich, dass Kiew zögert. Laut [2] sind es 12.000 Soldaten. Es sind 12.000 Soldaten [1].", "de")
    assert [c.names_passage for c in claims] == [True, True, False]
    assert split_claims("According to [2], the troops came.", "en")[0].names_passage
    # after a noun a marker is an apposition: the sentence reads whole without it
    assert split_claims("Die Artikel [1] und [2] führen es zurück.", "de")[0].names_passage  # "die Artikel" alone: all of them
    for text, bare in [("Der Artikel [1] führt es zurück.", "Der Artikel führt es zurück."),
                       ("According to the article [2], North Korea sent 12,000 troops.", "According to the article, North Korea sent 12,000 troops."),
                       ("Im Artikel [1] heißt es, dass Kiew zögert.", "Im Artikel heißt es, dass Kiew zögert.")]:
        c = split_claims(text, "de")[0]
        assert not c.names_passage and c.text == bare
    # a marker that closes a clause is a citation; a group of them goes whole, leaving no "und" or double space
    # at a sentence's end after a preposition ("This was reported in [2]."), but not after a
    # separable verb's particle, which "aus" and "nach" often are
    assert split_claims("This was reported in [2].", "en")[0].names_passage
    assert split_claims("So steht es laut [1] und [2].", "de")[0].names_passage
    for text in ("Die Hilfe läuft aus [1].", "Die Lieferungen lassen nach [2].", "Sie sind in Kursk [1].",
                 "Sanctions have kicked in [1].", "North Korean troops have moved in [2]."):  # particles
        assert not split_claims(text, "de")[0].names_passage, text
    c = split_claims("Sie kamen im Oktober [2] und blieben [3].", "de")[0]
    assert not c.names_passage and c.text == "Sie kamen im Oktober und blieben."
    c = split_claims("Sie wurden geschickt [1] und [2], die in Kursk kämpfen.", "de")[0]
    assert c.text == "Sie wurden geschickt, die in Kursk kämpfen." and c.markers == [1, 2]
    v = verify("In [1] wird deutlich, dass Kiew von einer neuen Kriegspartei spricht.", passages(), "de", SupportScorer(encode), 0.5)
    assert v.kept == 0 and any(ch.kind == "claim_removed" and "number" in ch.detail for ch in v.checks)


@pytest.mark.parametrize("question,answer,nothing", [
    ("Welche Brigade oder Einheit der nordkoreanischen Armee wurde konkret nach Kursk geschickt?",
     "Laut dem Meinungsbeitrag von Jürgen Meyer: Die nordkoreanische Armee wurde konkret nach Kursk geschickt [1].", True),
    ("Und wo hat Lloyd Austin das gesagt?", "Lloyd Austin hat das gesagt in Rom [1].", False),  # a three-letter place
    ("Unterstützt China Russland mit Dual-Use-Gütern?", "Ja, China unterstützt Russland mit Dual-Use-Gütern [1].", False),
    ("Liefert China Waffen an Russland?", "China liefert keine Waffen an Russland [1].", False),  # a negation is an answer
    ("How many soldiers did North Korea send?", "North Korea sent 12,000 soldiers [1].", False),  # a figure
    ("What is the name of the general who commands the troops?", "The name of the general who commands the troops is [1].", True),
])
def test_an_answer_that_only_restates_the_question(question, answer, nothing):
    from rag.checks import adds_nothing

    assert adds_nothing(question, answer) is nothing


def test_the_noun_a_which_question_asks_for():
    from rag.checks import asked_noun, names_noun

    assert asked_noun("Auf welchen Artikel des Partnerschaftsvertrags verwies Putin?") == "Artikel"
    assert asked_noun("Welcher Telegram-Kanal meldete einen Durchbruch?") == "Telegram-Kanal"
    assert asked_noun("Welche russische Stadt richtete den Gipfel aus?") == "Stadt"
    # the articles themselves are not what is asked for, in the plural or the singular
    assert asked_noun("Welche Artikel führen den Rückgriff auf Russlands Personalprobleme zurück?") is None
    assert asked_noun("Welche Angaben machen die Artikel zum Umfang der Lieferungen?") is None
    assert asked_noun("Welche Quelle nennt 12.000 Soldaten?") is None
    assert asked_noun("Wer hat das als Sklavenhandel bezeichnet?") is None
    # a relative "welche" asks for nothing
    assert asked_noun("Wie viele Soldaten, welche nach Kursk geschickt wurden, sind gefallen?") is None
    # a word that starts with the noun names it; one that only contains it does not
    assert names_noun("„Artikel 4 des Abkommens legt fest …“", "Artikel")
    assert not names_noun("Russland übernahm die Kontrolle über den Süden.", "Rolle")
    assert not names_noun("Sie verfolgen andere Ziele.", "Folgen")


def test_a_list_header_is_kept_only_with_a_list_item_after_it():
    # q033: "Die Artikel geben folgende Angaben zum Umfang …: [1]." followed by prose
    v = run("Kiew spricht von einer neuen Kriegspartei: [1]. China liefert offiziell keine Waffen an Russland [2].")
    assert "Kriegspartei" not in v.text and v.text.endswith("China liefert offiziell keine Waffen an Russland [2].")
    assert v.citations and [c.n for c in v.citations] == [2]  # the header's citation goes with it
    assert any(c.kind == "claim_removed" and "list" in c.detail for c in v.checks)
    # q027: the header's items were all removed, so the header goes too
    v = run("China liefert offiziell keine Waffen an Russland [2]. Kiew spricht von einer neuen Kriegspartei:\n1. [2] Die Sonne scheint über dem Ozean.")
    assert "Kriegspartei" not in v.text and v.kept == 1
    # a list that follows keeps its header
    v = run("Kiew spricht von einer neuen Kriegspartei: [1]\n- China liefert offiziell keine Waffen an Russland [2]")
    assert v.text.startswith("Kiew spricht von einer neuen Kriegspartei: [1]") and "Russland [2]" in v.text and v.kept == 2
    # a numbered item's "1." is no claim: the item stays, and keeps its header
    v = run("Kiew spricht von einer neuen Kriegspartei: [1]\n1. China liefert offiziell keine Waffen an Russland [2]")
    assert v.kept == 2 and "Russland [2]" in v.text and not any(c.kind == "claim_removed" for c in v.checks)
    # a header and its item are kept together or not at all: never past the sentence limit
    from rag.checks import MAX_CLAIMS

    before = " ".join(["China liefert offiziell keine Waffen an Russland [2]."] + [
        f"Kiew spricht von einer neuen Kriegspartei, Nummer {w} [1]." for w in ("eins", "zwei", "drei", "vier", "fünf")
    ][: MAX_CLAIMS - 2])
    v = run(before + " Kiew spricht von einer neuen Kriegspartei: [1]\n- Der NIS meldete, Pjöngjang wolle Soldaten schicken [1]")
    assert v.kept <= MAX_CLAIMS


def test_a_claim_that_gives_a_count_as_a_plan_or_a_plan_as_a_count_is_removed():
    from rag.mood import wrong_mood

    text = ("Angeblich 3000 nordkoreanische Soldaten in Russland\n"
            "Demnach will Pjöngjang bis zu 12.000 Soldaten für Russlands Krieg bereitstellen. "
            "Inzwischen spricht der NIS von 3000 bereits nach Russland gebrachten Soldaten. "
            "Bis zum 28. Oktober werden bereits 5.000 Nordkoreaner in Kursk stationiert sein. "
            "Schon 2024 kamen die ersten Soldaten. Kiesewetter sagte, 12.000 seien zu viele.")
    p = [Passage("003", text, 0, len(text), 1.0, "c1", kind="report", outlet="DW")]

    def kept(claim, lang="de"):
        return verify(claim, p, lang, SupportScorer(encode), min_support=0.3).kept  # the test encoder is lexical: English scores low

    # q081: "3000 soldiers the NIS says Pyongyang wants to provide" over the 3000 already brought
    # (the headline's 3000 says neither and is not asked)
    assert kept("3000 soldiers South Korea's NIS says Pyongyang wants to provide [1].", "en") == 0
    assert kept("Nordkorea hat bereits 12.000 Soldaten nach Russland geschickt [1].") == 0  # a plan as a count
    assert kept("Pjöngjang will bis zu 12.000 Soldaten bereitstellen [1].") == 1
    assert kept("Der NIS spricht von 3000 bereits nach Russland gebrachten Soldaten [1].") == 1
    # English "will" is the future, also of a count on a date; a claim without either cue is not judged
    assert kept("5,000 North Koreans will be stationed in Kursk by 28 October [1].", "en") == 1
    assert kept("Der NIS nennt 3000 Soldaten [1].") == 1
    assert kept("Pjöngjang will seit 2024 Soldaten bereitstellen [1].") == 1  # a year is no count
    # a claim that says both, or a sentence that says both, is not judged
    assert wrong_mood("Bereits 1.500 sind dort, weitere könnten folgen.", ["Bereits 1.500 Soldaten sind dort."], "de") is None
    assert wrong_mood("Pjöngjang will 1.500 schicken.", ["Bereits 1.500 sind dort, und weitere will Pjöngjang schicken."], "de") is None
    assert wrong_mood("Pjöngjang will 1.500 schicken.", [], "de") is None
    assert wrong_mood("Bereits 1.500 sind dort.", ["Bereits 1.500 sind dort, und weitere will Pjöngjang schicken."], "de") is None
    assert wrong_mood("Kiesewetter sagte, Pjöngjang wolle 12.000 schicken.", ["Kiesewetter sagte, 12.000 seien zu viele."], "de") is None
