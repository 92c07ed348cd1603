"""Languages (rag/language/): each language's words as data, which language a text is in, and
words, stems, sentences and names of a text in its language."""
import pytest

from rag.language import detect_language, languages, lexicon
from rag.language.text import names, sentences, stem, terms, words


def test_a_lexicon_for_each_language_served():
    assert languages() == ("de", "en")
    de, en = lexicon("de"), lexicon("en")
    assert (de.code, de.name, de.stemmer) == ("de", "German", "german")
    assert (en.code, en.name, en.stemmer) == ("en", "English", "english")
    assert de.months[9] == "oktober" and en.months[4] == "may" and len(de.months) == len(en.months) == 12
    assert de.asks_how_many.search("Mit wie vielen Stimmen?") and not de.asks_how_many.search("Wer kam?")
    assert en.asks_who.search("Who came?") and not en.asks_who.search("Wer kam?")
    assert de.figures_head != en.figures_head


def test_an_unknown_language_falls_back_to_english():
    for code in ("fr", "", "EN"):
        assert lexicon(code).code == "en"


def test_stop_words_come_with_the_language_but_negations_are_kept():
    de, en = lexicon("de"), lexicon("en")
    assert {"und", "der", "wie", "laut", "artikel"} <= de.stop_words
    assert {"the", "and", "how", "according", "articles"} <= en.stop_words
    # a negation carries meaning: "nicht"/"not" are negations, never stop words
    assert "nicht" in de.negations and "nicht" not in de.stop_words
    assert "not" in en.negations and "not" not in en.stop_words


def test_terms_are_stems_of_content_words():
    assert terms("Die Soldaten wurden nach Russland geschickt, 12.000 an der Zahl.", "de") == {"soldat", "russland", "geschickt", "zahl"}
    assert terms("The soldiers were sent to Russia, 12,000 of them.", "en") == {"soldier", "sent", "russia"}
    # inflected forms share a stem; words under three letters and digits are no terms
    assert terms("Soldaten", "de") == terms("Soldat", "de") == {"soldat"}
    assert terms("Xi am 12. Mai", "de") == {"mai"}
    assert terms("", "de") == frozenset()
    # "nicht" is a term: a claim that negates differs from one that does not
    assert "nicht" in terms("Russland liefert nicht", "de")


def test_stems_follow_the_language():
    assert stem("Soldaten", "de") == "soldat"
    assert stem("running", "en") == "run"
    assert stem("Soldaten", "en") == "soldaten"  # the English stemmer leaves a German plural alone


def test_words_split_compounds_at_hyphens_and_apostrophes():
    assert words("Die US-Regierung sagt’s.") == ["Die", "US", "Regierung", "sagt", "s"]
    assert words("12.000 Soldaten") == ["12", "000", "Soldaten"]


def test_sentences_in_the_texts_language():
    text = "Er kam am 3. Oktober. Sie ging.\nNeu"
    assert [text[s.start : s.end] for s in sentences(text, "de")] == ["Er kam am 3. Oktober.", "Sie ging.", "Neu"]
    text = "Mr. Austin came. He left."
    assert [text[s.start : s.end] for s in sentences(text, "en")] == ["Mr. Austin came.", "He left."]


def test_names_in_either_language():
    # German capitalises every noun: only runs of two or more capitalised words, and acronyms, are names
    assert names("Roderich Kiesewetter sagte das dem NIS.", "de") == ["NIS", "Roderich", "Kiesewetter"]
    assert names("Dann kamen die Soldaten nach Kursk.", "de") == []
    # English: every capitalised word inside a sentence, not its first
    assert names("Yesterday Putin met Xi in Kazan. The talks ended.", "en") == ["Putin", "Xi", "Kazan"]


@pytest.mark.parametrize("text", ["Der Krieg dauert an.", "Im Oktober kamen sie.", "Die Soldaten kamen nach Kursk."])
def test_an_article_or_preposition_and_a_noun_are_no_german_name(text):
    assert names(text, "de") == []


@pytest.mark.parametrize("text,language", [
    ("Wie viele Soldaten schickt Nordkorea nach Russland?", "de"),
    ("Was sagte Lloyd Austin über die Truppen?", "de"),
    ("How many soldiers did North Korea send to Russia?", "en"),
    ("What did Lloyd Austin say about the troops?", "en"),
])
def test_the_language_of_a_question(text, language):
    assert detect_language(text) == language


def test_a_text_without_letters_has_the_default_language():
    assert detect_language("12.000") == "de"
    assert detect_language("", default="en") == "en"
    assert detect_language("  ?! ", default="en") == "en"
