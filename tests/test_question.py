"""The question parsed once (rag/question.py): its kind, what it counts, whose words or figures
it asks for, when, and what it is about."""
import pytest

from rag.question import Kind, TimeScope, parse


@pytest.mark.parametrize("question,language,kind", [
    ("Wer hat das als Sklavenhandel bezeichnet?", "de", Kind.WHO),
    ("Welcher Experte sagte, Nordkorea sei ein Verbündeter Russlands?", "de", Kind.WHO),
    ("Von wem wurde gesagt, dass Moskau Devisen zahlt?", "de", Kind.WHO),
    ("Wann fand der Gipfel statt?", "de", Kind.WHEN),
    ("In welchem Jahr wurde der Vertrag geschlossen?", "de", Kind.WHEN),
    ("Wo fand der Gipfel statt?", "de", Kind.WHERE),
    ("Welche Stadt richtete den Gipfel aus?", "de", Kind.WHERE),
    ("Wie viele Soldaten schickt Nordkorea?", "de", Kind.HOW_MANY),
    ("Mit wie vielen Stimmen wurde es ratifiziert?", "de", Kind.HOW_MANY),
    ("Welchen Anteil des Staatshaushalts verschlingen die Zahlungen?", "de", Kind.SHARE),
    ("Wie viel Prozent des Haushalts sind das?", "de", Kind.SHARE),
    ("Warum schickt Nordkorea Soldaten?", "de", Kind.WHY),
    ("Liefert China Waffen an Russland?", "de", Kind.YES_NO),
    ("Ist die Zusammenarbeit auf Dauer angelegt?", "de", Kind.YES_NO),
    ("Welche Waffen liefert China an Russland?", "de", Kind.FACT),
    ("Was regelt Artikel 4 des Vertrags?", "de", Kind.FACT),
    ("Was sagte Roderich Kiesewetter über Bautrupps?", "de", Kind.SAID),
    ("Wie unterscheiden sich die Artikel?", "de", Kind.COMPARE),
    ("Widersprechen sich die Quellen?", "de", Kind.COMPARE),
    ("Who is Nico Lange?", "en", Kind.WHO),
    ("When was the treaty signed?", "en", Kind.WHEN),
    ("Where did the summit take place?", "en", Kind.WHERE),
    ("How many drones did Iran send?", "en", Kind.HOW_MANY),
    ("What share of the budget goes to the families?", "en", Kind.SHARE),
    ("Why did Pyongyang send troops?", "en", Kind.WHY),
    ("Is China supplying weapons?", "en", Kind.YES_NO),
    ("What does the treaty say about mutual aid?", "en", Kind.FACT),
    ("What did NATO Secretary General Mark Rutte say about North Korea?", "en", Kind.SAID),
    ("How do the articles differ on this?", "en", Kind.COMPARE),
])
def test_the_kind_of_question(question, language, kind):
    q = parse(question, language)
    assert q.kind is kind and q.language == language
    assert q.asks_figure is (kind in (Kind.HOW_MANY, Kind.SHARE))
    assert q.compares is (kind is Kind.COMPARE)


def test_a_figure_question_that_asks_to_compare_is_a_comparison_that_still_counts():
    q = parse("Wie viele Soldaten laut den Quellen? Die Angaben gehen auseinander.", "de")
    assert q.kind is Kind.COMPARE and q.quantity == "Soldaten"


@pytest.mark.parametrize("question,language,comparison", [
    ("Wie bewerten die Autoren das unterschiedlich?", "de", True),
    ("Widerspricht Kori Schake den anderen Artikeln?", "de", True),
    ("Do the sources disagree about the numbers?", "en", True),
    ("Welche Ziele nennen einige Autoren?", "de", False),  # "some" is no comparison
    ("Welche verschiedenen Waffen liefert Nordkorea?", "de", False),
])
def test_comparison_questions(question, language, comparison):
    assert parse(question, language).compares is comparison


@pytest.mark.parametrize("question,language,comparison", [
    ("What different weapons are used?", "en", False),
    ("Gab es unterschiedlichen Drohnen?", "de", False),
    ("Sind sich die Autoren einig?", "de", True),
])
def test_comparison_words_as_the_old_rule_read_them(question, language, comparison):
    assert parse(question, language).compares is comparison


@pytest.mark.parametrize("question,language,quantity", [
    ("Wie viele nordkoreanische Soldaten sind in Russland?", "de", "nordkoreanische Soldaten"),
    ("Wie viele Soldaten sind seit Kriegsbeginn gefallen?", "de", "Soldaten"),  # not the verb after the noun
    ("Mit wie vielen Stimmen wurde es ratifiziert?", "de", "Stimmen"),
    ("Wie viel Geld zahlt Russland?", "de", "Geld"),
    ("Wie weit liegt Kursk von Moskau?", "de", ""),  # a verb follows: nothing counted
    ("How many observers did South Korea send to Kyiv to monitor the North Korean troops?", "en", "observers"),
    ("How many North Korean troops are in Kursk?", "en", "North Korean troops"),
    ("How much is the aid worth?", "en", ""),
    ("Wer ist Nico Lange?", "de", ""),
])
def test_what_a_how_many_question_counts(question, language, quantity):
    assert parse(question, language).quantity == quantity


def test_the_number_of_what_a_how_high_question_asks():
    assert "Soldaten" in parse("Wie hoch ist die Zahl der in Russland stationierten nordkoreanischen Soldaten?", "de").quantity


@pytest.mark.parametrize("question,language,source", [
    ("Wie viele Soldaten sind laut dem südkoreanischen Geheimdienst NIS in Russland?", "de", "dem südkoreanischen Geheimdienst NIS"),
    ("Wie viele Soldaten will Pjöngjang laut dem NIS schicken?", "de", "dem NIS"),
    ("Wie viele Soldaten hat Nordkorea laut Mark Rutte geschickt?", "de", "Mark Rutte"),
    ("According to Andrei Lankov, what does North Korea gain?", "en", "Andrei Lankov"),
    ("How many soldiers will Pyongyang send, according to the NIS?", "en", "the NIS"),
    # the articles themselves are no source
    ("Wie viele Soldaten sind laut den Artikeln in Kursk?", "de", ""),
    ("How many soldiers are in Kursk according to the articles?", "en", ""),
    ("Wie viele Soldaten schickt Nordkorea?", "de", ""),
])
def test_the_source_a_question_names_for_what_it_says(question, language, source):
    assert parse(question, language).source == source


def test_a_source_named_before_zufolge():
    q = parse("Wie viele Soldaten sind dem Verteidigungsministerium zufolge gefallen?", "de")
    assert "Verteidigungsministerium" in q.source.split() and "verteidigungsministerium" not in q.subject


def test_the_articles_with_an_adjective_are_no_source():
    assert parse("Wie viele Soldaten schickt Nordkorea laut den verschiedenen Artikeln?", "de").source == ""


def test_a_question_that_names_articles_by_their_metadata_has_no_source_of_its_own():
    q = parse("Was schreibt Kori Schake laut Foreign Policy über Xi Jinping?", "de", named_docs=("001",),
              named_as=("Kori Schake", "Foreign Policy"))
    assert q.named_docs == ("001",) and q.source == ""


def test_the_subject_leaves_out_the_words_that_only_say_where_to_look():
    q = parse("Was schreibt Kori Schake über Xi Jinping?", "de", named_docs=("001",), named_as=("Kori Schake",))
    assert {"kori", "schak"} <= q.terms
    # the verb of saying only says what kind of answer is wanted
    assert q.subject == q.terms - {"kori", "schak", "schreibt"} == {"jinping"}  # "Xi": two letters, no term
    q = parse("Wie viele Soldaten sind laut dem NIS in Russland?", "de")
    assert "nis" in q.terms and q.subject == {"soldat", "russland"}
    # a question that is all source asks for anything the source says: no subject to cover
    q = parse("Osthold?", "de", named_docs=("000",), named_as=("Osthold",))
    assert q.terms == {"osthold"} and q.subject == frozenset()


@pytest.mark.parametrize("question,language,time", [
    ("Wie viele Soldaten waren im Oktober 2024 schon in Russland?", "de", TimeScope(2024, 10)),
    ("How many troops were in Russia in October 2024?", "en", TimeScope(2024, 10)),
    ("Wie viele Soldaten waren es Ende 2024?", "de", TimeScope(2024)),
    ("How many troops were there by the end of 2024?", "en", TimeScope(2024)),
    ("Wie viele Soldaten hat Nordkorea seit Oktober 2024 geschickt?", "de", TimeScope(2024, 10, since=True)),
    ("How many troops were sent between October 2024 and July 2025?", "en", TimeScope(2024, 10, since=True)),
    ("Welche Stadt begann die Armee Ende Oktober zu stürmen?", "de", None),  # no year
    ("Welche Quelle nennt 2024 Soldaten?", "de", None),  # a number, not a time
])
def test_the_time_a_question_asks_about(question, language, time):
    assert parse(question, language).time == time


def test_a_source_published_after_the_moment_asked_about():
    october = TimeScope(2024, 10)
    assert october.after("2025-07-23") and october.after("2024-11") and october.after("2025")
    assert not october.after("2024-10") and not october.after("2024-09-30")
    assert not october.after("2024")  # the same year, month unknown: not known to be later
    assert not october.after("") and not october.after("unknown")
    assert TimeScope(2024).after("2025-01") and not TimeScope(2024).after("2024-12")
    assert not TimeScope(2024, 10, since=True).after("2025-07-23")  # a period: later sources cover it


@pytest.mark.parametrize("question,language,person", [
    ("Was sagte US-Verteidigungsminister Lloyd Austin laut den verschiedenen Artikeln über die nordkoreanischen Soldaten?", "de", "Austin"),
    ("What did NATO Secretary General Mark Rutte say about North Korea's involvement, according to the articles?", "en", "Rutte"),
    ("Was wird der ukrainische Militärgeheimdienstchef Kyrylo Budanow in den Artikeln zitiert?", "de", "Budanow"),
    ("Wie äußerte sich Kremlsprecher Dmitri Peskow?", "de", "Peskow"),
    ("Hat Lloyd Austin gesagt, dass Nordkorea Truppen schickt?", "de", "Austin"),  # a name in the opening run
    ("Did Lloyd Austin say that North Korea sent troops?", "en", "Austin"),
])
def test_the_person_whose_words_are_asked_for(question, language, person):
    q = parse(question, language)
    assert q.speaker == person and q.kind is Kind.SAID


@pytest.mark.parametrize("question,language", [
    ("Wer soll laut dem IZ-Kommentar gesagt haben, China könne sich eine Niederlage Russlands nicht leisten?", "de"),  # asks who
    ("Was sagte Putin?", "de"),  # one capitalised word: in German that is any noun
    ("Welche Angaben machen die Artikel zum Umfang der Munitionslieferungen?", "de"),  # no one's words asked
    ("Wie viele Soldaten hat Nordkorea laut Mark Rutte geschickt?", "de"),  # no said-verb
    ("What do the articles say about North Korea?", "en"),  # a run after a preposition is the topic
    ("Welcher Experte sagte, Nordkorea sei ein Verbündeter Russlands?", "de"),  # asks who
    ("Von wem wurde gesagt, dass Moskau Devisen zahlt?", "de"),
    ("Wen zitierte Lloyd Austin?", "de"),
])
def test_no_person_where_the_question_does_not_ask_for_someones_words(question, language):
    assert parse(question, language).speaker == ""


@pytest.mark.parametrize("question,language", [
    ("Und wo hat Lloyd Austin das gesagt?", "de"),  # asks where, not what
    ("Wann sagte Lloyd Austin das?", "de"),
    ("Where did Lloyd Austin say that?", "en"),
])
def test_no_person_where_the_question_asks_where_or_when_someone_spoke(question, language):
    assert parse(question, language).speaker == ""


@pytest.mark.parametrize("question,noun", [
    ("Auf welchen Artikel des Partnerschaftsvertrags verwies Putin?", "Artikel"),  # an article of a treaty
    ("Welcher Telegram-Kanal meldete einen Durchbruch?", "Telegram-Kanal"),
    ("Welche russische Stadt richtete den Gipfel aus?", "Stadt"),  # past the adjective
    # the articles themselves are not what is asked for, in the plural or the singular
    ("Welche Artikel führen den Rückgriff auf Russlands Personalprobleme zurück?", ""),
    ("Welche Angaben machen die Artikel zum Umfang der Lieferungen?", ""),
    ("Welche Quelle nennt 12.000 Soldaten?", ""),
    ("Wer hat das als Sklavenhandel bezeichnet?", ""),
    ("Wie viele Soldaten, welche nach Kursk geschickt wurden, sind gefallen?", ""),  # a relative "welche"
])
def test_the_noun_a_which_question_asks_for(question, noun):
    assert parse(question, "de").which_noun == noun


def test_english_which_questions_name_no_noun():
    assert parse("Which unit was sent to Kursk?", "en").which_noun == ""


def test_a_follow_up_is_read_as_it_stands_alone():
    q = parse("Und wie viele davon?", "de", standalone="Wie viele Soldaten schickt Nordkorea?")
    assert q.text == "Und wie viele davon?" and q.search == "Wie viele Soldaten schickt Nordkorea?"
    assert q.kind is Kind.HOW_MANY and q.quantity == "Soldaten" and q.terms == {"schickt", "nordkorea", "soldat"}
    # a rewrite that changes nothing is no rewrite
    q = parse("Wie viele Soldaten?", "de", standalone="Wie viele Soldaten?")
    assert q.standalone == "" and q.search == "Wie viele Soldaten?"


def test_an_unknown_language_is_read_as_english():
    q = parse("How many drones did Iran send?", "fr")
    assert q.lex.code == "en" and q.kind is Kind.HOW_MANY and q.quantity == "drones"
