"""Whose figure a question asks for, and whether a sentence gives that source's figure."""
from rag.agencies import asked_source, inherited_source
from rag.conflicts import find_conflicts
from rag.types import Passage


def _p(doc, text):
    return Passage(doc, text, 0, len(text), 1.0, doc + "#0")


def test_the_forms_a_question_names_a_source_in():
    src = asked_source("Wie viele Soldaten will Pjöngjang laut dem südkoreanischen Geheimdienst NIS bereitstellen?")
    assert src.acronyms == {"NIS"} and src.stems == {"sudkorean", "geheimdien"}
    assert asked_source("Wie viele Soldaten sind laut US-Regierung in Kursk?").acronyms == {"US"}
    assert asked_source("Wie viele sind es nach Angaben des ukrainischen Verteidigungsministeriums?").stems == {"ukrain", "verteidigungsministerium"}
    assert asked_source("Wie viele Soldaten sind dem NIS zufolge in Russland?").acronyms == {"NIS"}
    assert asked_source("How many more could follow, according to Ukraine?").stems == {"ukrain"}
    assert asked_source("Tell me how many soldiers South Korea's NIS says Pyongyang wants to provide.").acronyms == {"NIS"}


def test_the_articles_themselves_or_no_name_are_no_source():
    for q in ("Wie viele Soldaten sind laut den Artikeln in Kursk?", "Wie viele Soldaten laut den Quellen?",
              "How many soldiers do the reports say Pyongyang will send?", "Wie viele Soldaten sind Berichten zufolge dort?",
              "Was sagte Lloyd Austin?", "Wie viele Soldaten schickt Nordkorea?"):
        assert asked_source(q) is None, q


def test_a_sentence_names_the_source_by_acronym_words_or_what_the_acronym_stands_for():
    nis = asked_source("Wie viele laut NIS?")
    assert nis.named_in("Inzwischen spricht der NIS von 3000 Soldaten.")
    assert not nis.named_in("Die US-Regierung gibt 10.000 Soldaten an.")
    seoul = asked_source("Wie viele laut südkoreanischem Geheimdienst?")
    assert seoul.named_in("Der südkoreanische Geheimdienst warf Pjöngjang vor, 1.500 Soldaten verlegt zu haben.")
    assert not seoul.named_in("Inzwischen spricht der NIS von 3000 Soldaten.")  # until a passage says what NIS is
    texts = ["Erkenntnisse, die vom südkoreanischen Geheimdienst NIS veröffentlicht wurden."]
    assert seoul.expanded(texts).named_in("Inzwischen spricht der NIS von 3000 Soldaten.")
    assert nis.expanded(texts).named_in("Der südkoreanische Geheimdienst meldet 1.500 Soldaten.")
    assert not nis.named_in("Der südkoreanische Geheimdienst meldet 1.500 Soldaten.")


def test_a_place_a_sentence_is_about_is_not_its_source():
    ukraine = asked_source("How many more could follow, according to Ukraine?")
    assert not ukraine.named_in("Demnach will Pjöngjang bis zu 12.000 Soldaten für Russlands Krieg gegen die Ukraine bereitstellen.")
    assert not ukraine.named_in("Nordkoreanische Soldaten kämpfen in der besetzten Ukraine.")
    assert ukraine.named_in("Die Ukraine schlägt Alarm. Laut ihrem Geheimdienst könnten 30.000 folgen.")
    assert ukraine.named_in("Der ukrainische Geheimdienst meldet 30.000 Soldaten.")


def test_the_sentence_before_a_figure_can_name_its_source():
    ps = [
        _p("a", "Die Ukraine schlägt Alarm. Laut ihrem Geheimdienst könnten bald 30.000 weitere Soldaten folgen."),
        _p("b", "Demnach will Pjöngjang bis zu 12.000 Soldaten für Russlands Krieg gegen die Ukraine bereitstellen."),
    ]
    assert [f.value for f in find_conflicts("How many more soldiers could follow, according to Ukraine?", ps)] == [30000]


def test_a_follow_up_about_part_of_the_last_figure_keeps_its_source():
    history = [{"role": "user", "content": "Wie viele Soldaten will Nordkorea laut südkoreanischem Geheimdienst schicken?"},
               {"role": "assistant", "content": "Bis zu 12.000 [1]."}]
    assert inherited_source("Und wie viele davon sind schon in Russland?", history).stems == {"sudkorean", "geheimdien"}
    assert inherited_source("And how many of them have arrived?", history) is not None
    # not a part of the last figure, or a source of its own
    assert inherited_source("Und wie viele sind schon in Russland?", history) is None
    assert inherited_source("Und wie viele davon laut US-Regierung?", history) is None
    assert inherited_source("Und wie viele davon?", [{"role": "user", "content": "Wie viele Soldaten schickt Nordkorea?"}]) is None
