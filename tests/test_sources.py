"""Which articles a question names as its source (rag/evidence/sources.py), from the corpus
metadata; and whether it asks over all the articles (the language lexicon's asks_across)."""
import pytest

from rag.evidence.sources import SourceNames, aliases
from rag.language import lexicon
from rag.question import parse

META = {
    "000": {"outlet": "Achgut", "author": "Dr. Christian Osthold"},
    "001": {"outlet": "Foreign Policy (via IPPEN.MEDIA)", "author": "Kori Schake"},
    "002": {"outlet": "unknown", "author": "Seyed Alireza Mousavi"},
    "003": {"outlet": "DW (Deutsche Welle)", "author": "DW (Mitarbeit: Rayna Breuer)"},
    "004": {"outlet": "IZ", "author": "Jürgen Meyer"},
}
NAMES = SourceNames(META)


def test_aliases_come_from_outlet_and_author():
    assert aliases(META["000"]) == {"Achgut", "Christian Osthold", "Osthold"}
    assert aliases(META["001"]) == {"Foreign Policy", "IPPEN.MEDIA", "Kori Schake", "Schake"}
    assert aliases(META["002"]) == {"Seyed Alireza Mousavi", "Mousavi"}  # "unknown" names no outlet
    assert aliases(META["003"]) == {"DW", "Deutsche Welle", "Rayna Breuer", "Breuer"}


def test_a_question_names_its_source_in_many_forms():
    assert NAMES.named("Wofür werden die Truppen laut dem IZ-Kommentar eingesetzt?") == ["004"]
    assert NAMES.named("Wie viele Soldaten nennt der Geheimdienst in Mousavis Analyse?") == ["002"]
    assert NAMES.named("Wer sagte im DW-Interview, es gebe wenig Informationen?") == ["003"]
    assert NAMES.named("What does Kori Schake's column say about Xi?") == ["001"]
    assert NAMES.named("According to the Achgut analysis, what does North Korea gain?") == ["000"]
    assert NAMES.named("Was könnte Nordkorea laut dem Foreign-Policy-Beitrag verlangen?") == ["001"]  # a compound
    assert NAMES.named("Was schreibt die Deutsche Welle dazu?") == ["003"]
    assert NAMES.named("Was sagen Osthold und Schake über Kasan?") == ["000", "001"]


def test_no_source_is_named_by_chance():
    assert NAMES.named("Wie viele Soldaten sind in Kursk?") == []
    # an acronym counts only in capitals and as a word: "Schweiz", "dw", "IZE" name nothing
    assert NAMES.named("Was sagt die Schweiz, was sagt dw, was heißt IZE?") == []
    assert NAMES.named("Wer ist Meyerhold?") == []
    # names are matched as the metadata spells them: common words in lower case are no source
    assert NAMES.named("What is China's foreign policy towards North Korea?") == []
    assert SourceNames({"x": {"author": "Nico Lange"}, "y": {"author": "Kori Schake"}}).named("Wie lange dauert der Krieg?") == []


def test_several_authors_each_name_their_article():
    assert aliases({"outlet": "unknown", "author": "Kori Schake, Max Muster"}) == {"Kori Schake", "Schake", "Max Muster", "Muster"}
    assert aliases({"author": "Anna Beispiel und Bernd Probe"}) == {"Anna Beispiel", "Beispiel", "Bernd Probe", "Probe"}


def test_a_question_that_names_every_source_restricts_nothing():
    assert NAMES.named("Was sagen Achgut, Schake, Mousavi, DW und IZ?") == []


def test_the_words_a_question_names_its_sources_by():
    assert NAMES.mentions("Wofür werden die Truppen laut dem IZ-Kommentar eingesetzt?") == ["IZ"]
    assert NAMES.mentions("Was sagen Osthold und Schake über Osthold?") == ["Osthold", "Schake"]  # each once
    assert set(NAMES.mentions("What does Kori Schake's column say about Xi?")) == {"Kori Schake's", "Schake's"}
    assert NAMES.mentions("Wie viele Soldaten sind in Kursk?") == []


@pytest.mark.parametrize("question,language,across", [
    ("Welche Angaben machen die Artikel zum Umfang der Munitionslieferungen?", "de", True),
    ("Across the articles, how did South Korea respond?", "en", True),
    ("Was wird Kyrylo Budanow in den Artikeln zitiert?", "de", True),
    ("Welche Artikel führen das auf Personalprobleme zurück?", "de", True),
    ("Auf welchen Artikel des Partnerschaftsvertrags verwies Putin?", "de", False),
    ("Und was regelt dessen Artikel 4?", "de", False),
    ("Forget the articles. How many soldiers died?", "en", False),
    ("Laut Osthold: wie viele Soldaten?", "de", False),
    ("Was steht in Artikel 4 des Vertrags?", "de", False),
    ("Was sagen die Artikel 4 und 5 des Vertrags?", "de", False),
    ("According to sources in Kyiv, how many soldiers died?", "en", False),
    ("What do the articles say about Kursk?", "en", True),
    ("Welche Angaben machen die vorliegenden Artikel?", "de", True),
])
def test_a_question_over_all_the_articles(question, language, across):
    assert bool(lexicon(language).asks_across.search(question)) is across
    assert parse(question, language).across is across
