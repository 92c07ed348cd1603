"""Which person a question asks the words of, and how their name is matched in the articles."""
import pytest

from rag.speakers import names, reports_speech, speaker, whole_quote


@pytest.mark.parametrize("question,person", [
    ("Was sagte US-Verteidigungsminister Lloyd Austin laut den verschiedenen Artikeln über die nordkoreanischen Soldaten?", "Austin"),
    ("What did NATO Secretary General Mark Rutte say about North Korea's involvement, according to the articles?", "Rutte"),
    ("Was wird der ukrainische Militärgeheimdienstchef Kyrylo Budanow in den Artikeln zitiert?", "Budanow"),
    ("Wie äußerte sich Kremlsprecher Dmitri Peskow?", "Peskow"),
    ("Hat Lloyd Austin gesagt, dass Nordkorea Truppen schickt?", "Austin"),  # a name in the opening run
    ("Did Lloyd Austin say that North Korea sent troops?", "Austin"),
])
def test_the_person_whose_words_are_asked_for(question, person):
    assert speaker(question) == person


@pytest.mark.parametrize("question", [
    "Wer soll laut dem IZ-Kommentar gesagt haben, China könne sich eine Niederlage Russlands nicht leisten?",  # asks who
    "Und wo hat Lloyd Austin das gesagt?",  # asks where, not what
    "Was sagte Putin?",  # one capitalised word: in German that is any noun
    "Welche Angaben machen die Artikel zum Umfang der Munitionslieferungen?",  # no one's words asked
    "Wie viele Soldaten hat Nordkorea laut Mark Rutte geschickt?",  # no said-verb
    "What do the articles say about North Korea?",  # a run after a preposition is the topic
    "Welcher Experte sagte, Nordkorea sei ein Verbündeter Russlands?",  # asks who
    "Von wem wurde gesagt, dass Moskau Devisen zahlt?",
    "Wen zitierte Lloyd Austin?",
])
def test_no_person_where_the_question_does_not_ask_for_someones_words(question):
    assert speaker(question) is None


def test_names_match_across_spellings_and_inflection_not_similar_words():
    assert names("das laut dem Militärgeheimdienstchef Kyrylo Budanov zum wichtigsten Partner geworden ist.", "Budanow")
    assert names("Austins Sprecher schwieg.", "Austin")
    assert names("Peskovs Worte.", "Peskow") and names("Annegret Kramp-Karrenbauer sagte das.", "Karrenbauer")
    assert not names("Austria schwieg.", "Austin")
    assert not names("Ein anderer Minister sprach.", "Austin")


def test_a_quotation_cut_by_the_sentence_splitter_is_quoted_whole():
    text = 'Austin hielt sich bedeckt: "Was genau tun sie dort? Das bleibt abzuwarten", sagte er. Danach ging er.'
    spans = [(0, 51), (52, 85), (86, 101)]
    assert text[slice(*spans[0])].endswith("dort?")
    assert text[slice(*whole_quote(spans, spans[0], text))].endswith("sagte er.")
    assert whole_quote(spans, spans[2], text) == spans[2]  # nothing open: unchanged


def test_a_sentence_that_closes_a_quotation_is_extended_back_to_its_opening_not_forward():
    text = 'Er sagte: "Das ist viel. Pjöngjang würde sich freuen", so Lankov. Ebenso begehrt sei Technologie: "Unter anderen Umständen.'
    spans = [(0, 24), (25, 65), (66, len(text))]
    assert text[slice(*spans[1])].endswith("so Lankov.")
    assert text[slice(*whole_quote(spans, spans[1], text))] == 'Er sagte: "Das ist viel. Pjöngjang würde sich freuen", so Lankov.'


def test_a_quoted_sentence_must_report_speech():
    assert reports_speech("„Es gibt Hinweise“, sagte Austin.")
    assert reports_speech("Nordkorea ist laut Kyrylo Budanov der wichtigste Partner.")
    assert not reports_speech("Lloyd Austin reiste nach Rom.")
