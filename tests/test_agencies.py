"""Whose figure a question asks for, and whether a sentence gives that source's figure."""
from rag.agencies import asked_source, inherited_source
from rag.conflicts import find_conflicts
from rag.types import Passage


def _p(doc, text):
    return Passage(doc, text, 0, len(text), 1.0, doc + "#0")


def test_the_forms_a_question_names_a_source_in():
    src = asked_source("Wie viele Soldaten will Pjöngjang laut dem südkoreanischen Geheimdienst NIS bereitstellen?")
    assert src.acronyms == {"NIS"} and src.nouns == {"geheimdien"} and src.adjectives == {"sudkorean"}
    us = asked_source("Wie viele Soldaten sind laut US-Regierung in Kursk?")
    assert us.compounds == {"US-Regierung"} and us.acronyms == set()  # found written out, not as "US" alone
    assert asked_source("Laut NIS: wie viele Soldaten?").acronyms == {"NIS"}  # at the question's start too
    assert asked_source("Wie viele sind es laut Schätzung des NIS?").acronyms == {"NIS"}  # the NIS, not "Schätzung"
    assert asked_source("Wie viele sind es nach Angaben des ukrainischen Verteidigungsministeriums?").nouns == {"verteidigungsministerium"}
    assert asked_source("Wie viele Soldaten sind laut Nico Lange dort?").nouns == {"nico", "lang"}
    assert asked_source("Wie viele Soldaten sind dem NIS zufolge in Russland?").acronyms == {"NIS"}
    assert asked_source("Tell me how many soldiers South Korea's NIS says Pyongyang wants to provide.").acronyms == {"NIS"}
    # one word names a place or a side as much as a source: read, but not specific enough to sort sentences by
    assert not asked_source("How many more could follow, according to Ukraine?").specific
    # a title and a name: both must be named ("laut Präsident Selenskyj" is not any president)
    assert asked_source("Wie viele Soldaten sind laut Präsident Selenskyj gefallen?").nouns == {"prasident", "selenskyj"}


def test_the_articles_a_kind_of_statement_or_no_name_are_no_source():
    for q in ("Wie viele Soldaten sind laut den Artikeln in Kursk?", "Wie viele Soldaten laut den Quellen?",
              "How many soldiers do the reports say Pyongyang will send?", "Wie viele Soldaten sind Berichten zufolge dort?",
              "Was sagte Lloyd Austin?", "Wie viele Soldaten schickt Nordkorea?", "Wie viele Soldaten laut Experten?",
              # German word order: the word before the verb is what is counted, not who counts
              "Wie viele Truppen schätzt Südkorea?", "Wie viele Soldaten meldet Kiew?"):
        assert asked_source(q) is None, q


def test_a_sentence_names_the_source_by_acronym_words_or_what_the_acronym_stands_for():
    nis = asked_source("Wie viele laut NIS?")
    assert nis.named_in("Inzwischen spricht der NIS von 3000 Soldaten.")
    assert not nis.named_in("Die US-Regierung gibt 10.000 Soldaten an.")
    seoul = asked_source("Wie viele laut südkoreanischem Geheimdienst?")
    assert seoul.named_in("Der südkoreanische Geheimdienst warf Pjöngjang vor, 1.500 Soldaten verlegt zu haben.")
    assert not seoul.named_in("Inzwischen spricht der NIS von 3000 Soldaten.")  # until a passage says what NIS is
    texts = ["Erkenntnisse, die vom südkoreanischen Geheimdienst NIS veröffentlicht wurden.", "Der NIS meldet es."]
    assert seoul.expanded(texts).named_in("Inzwischen spricht der NIS von 3000 Soldaten.")
    assert nis.expanded(texts).named_in("Der südkoreanische Geheimdienst meldet 1.500 Soldaten.")
    assert not nis.named_in("Der südkoreanische Geheimdienst meldet 1.500 Soldaten.")
    # "Der NIS" names no one else; a headline's line break ends a name
    assert not nis.expanded(["Der NIS meldet es.", "Ein Bericht über Geheimdienste\nNIS meldet 3000 Soldaten."]).expansions
    assert nis.expanded(["Ein Bericht über Geheimdienste NIS meldet 3000 Soldaten."]).expansions  # (on one line it would)


def test_an_acronym_is_a_word_and_a_compound_is_written_out():
    us = asked_source("Wie viele Soldaten sind laut US-Regierung in Kursk?")
    assert us.named_in("Die US-Regierung gibt an, dass bereits 10.000 Soldaten dort sind.")
    assert not us.named_in("Die USA und die US-Denkfabrik ISW schätzen 10.000 Soldaten.")
    assert not asked_source("Wie viele laut US?").named_in("Die USA schätzen 10.000 Soldaten.")


def test_a_place_a_sentence_is_about_is_not_its_source():
    ukr = asked_source("Wie viele laut ukrainischem Verteidigungsministerium?")
    assert ukr.named_in("Laut dem ukrainischen Verteidigungsministerium sind 11.000 Soldaten in Kursk.")
    assert ukr.named_in("Nach Angaben des ukrainischen Verteidigungsministeriums sind 11.000 Soldaten in Kursk.")
    assert not ukr.named_in("Soldaten marschieren gegen das ukrainische Verteidigungsministerium.")
    # the noun names it, not an adjective of the same stem
    seoul = asked_source("Wie viele laut Südkorea Regierung?")
    assert not seoul.named_in("Die südkoreanische Presse meldet 1.500 Soldaten.")


def test_the_sentence_before_names_the_source_only_for_a_figure_whose_sentence_names_no_speaker():
    ps = [
        _p("a", "Der südkoreanische Geheimdienst NIS veröffentlichte Erkenntnisse. Demnach will Pjöngjang 12.000 Soldaten schicken."),
        _p("b", "Der NIS hat neue Zahlen veröffentlicht. Die Ukraine spricht dagegen von 30.000 Soldaten, die kommen könnten."),
    ]
    assert [f.value for f in find_conflicts("Wie viele Soldaten will Pjöngjang laut NIS schicken?", ps)] == [12000]


def test_one_named_sources_figures_from_one_article_are_listed():
    ps = [_p("a", "Der NIS meldet, 1.500 Soldaten seien in Wladiwostok. Inzwischen spricht der NIS von 3000 Soldaten.")]
    assert sorted(f.value for f in find_conflicts("Wie viele Soldaten sind laut NIS schon in Russland?", ps)) == [1500, 3000]
    assert find_conflicts("Wie viele Soldaten sind schon in Russland?", ps) == []  # one article: no conflict


def test_a_follow_up_about_part_of_the_last_figure_keeps_its_source():
    history = [{"role": "user", "content": "Wie viele Soldaten will Nordkorea laut südkoreanischem Geheimdienst schicken?"},
               {"role": "assistant", "content": "Bis zu 12.000 [1]."}]
    assert inherited_source("Und wie viele davon sind schon in Russland?", history).adjectives == {"sudkorean"}
    assert inherited_source("And how many of them have arrived?", history) is not None
    # not a part of the last figure, or a source of its own
    assert inherited_source("Und wie viele sind schon in Russland?", history) is None
    assert inherited_source("Was hält die Ukraine davon? Wie viele Soldaten erwartet Kiew?", history) is None
    assert inherited_source("Und wie viele davon laut US-Regierung?", history) is None
    assert inherited_source("Und wie viele davon?", [{"role": "user", "content": "Wie viele Soldaten schickt Nordkorea?"}]) is None
