"""Which person a question asks the words of, and how their name is matched in the articles."""
import pytest

from rag.speakers import names, speaker, whole_quote


@pytest.mark.parametrize("question,person", [
    ("Was sagte US-Verteidigungsminister Lloyd Austin laut den verschiedenen Artikeln über die nordkoreanischen Soldaten?", "Austin"),
    ("What did NATO Secretary General Mark Rutte say about North Korea's involvement, according to the articles?", "Rutte"),
    ("Was wird der ukrainische Militärgeheimdienstchef Kyrylo Budanow in den Artikeln zitiert?", "Budanow"),
    ("Wie äußerte sich Kremlsprecher Dmitri Peskow?", "Peskow"),
])
def test_the_person_whose_words_are_asked_for(question, person):
    assert speaker(question) == person


@pytest.mark.parametrize("question", [
    "Wer soll laut dem IZ-Kommentar gesagt haben, China könne sich eine Niederlage Russlands nicht leisten?",  # asks who
    "Und wo hat Lloyd Austin das gesagt?",  # asks where, not what
    "Was sagte Putin?",  # one capitalised word: in German that is any noun
    "Welche Angaben machen die Artikel zum Umfang der Munitionslieferungen?",  # no one's words asked
    "Wie viele Soldaten hat Nordkorea laut Mark Rutte geschickt?",  # no said-verb
])
def test_no_person_where_the_question_does_not_ask_for_someones_words(question):
    assert speaker(question) is None


def test_names_match_across_spellings_and_inflection_not_similar_words():
    assert names("das laut dem Militärgeheimdienstchef Kyrylo Budanov zum wichtigsten Partner geworden ist.", "Budanow")
    assert names("Austins Sprecher schwieg.", "Austin")
    assert not names("Austria schwieg.", "Austin")
    assert not names("Ein anderer Minister sprach.", "Austin")


def test_a_quotation_cut_by_the_sentence_splitter_is_quoted_whole():
    text = 'Austin hielt sich bedeckt: "Was genau tun sie dort? Das bleibt abzuwarten", sagte er. Danach ging er.'
    spans = [(0, 51), (52, 85), (86, 101)]
    assert text[slice(*spans[0])].endswith("dort?")
    assert text[slice(*whole_quote(spans, spans[0], text))].endswith("sagte er.")
    assert whole_quote(spans, spans[2], text) == spans[2]  # nothing open: unchanged
