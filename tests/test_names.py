"""Names in claims and passages (rag/verify/names.py): who a claim says spoke, whether a passage
names them, names a claim states that its evidence lacks; and each article's sentence that names
a question's speaker (rag/compose/views.py). Which person a question asks the words of is
Question.speaker (tests/test_question.py)."""
import pytest

from rag.compose.views import speaker_candidates, whole_quote
from rag.question import parse
from rag.types import Passage
from rag.verify.names import claimed_speaker, names, reports_speech, same_name, unsupported_names
from rag.evidence.sentences import SupportScorer
from test_verify import TEXT, encode


def test_names_match_across_spellings_and_inflection_not_similar_words():
    assert names("das laut dem Militärgeheimdienstchef Kyrylo Budanov zum wichtigsten Partner geworden ist.", "Budanow")
    assert names("Austins Sprecher schwieg.", "Austin")
    assert names("Peskovs Worte.", "Peskow") and names("Annegret Kramp-Karrenbauer sagte das.", "Karrenbauer")
    assert names("Lloyd Austin's spokesman was silent.", "Austin")
    assert not names("Austria schwieg.", "Austin")
    assert not names("Ein anderer Minister sprach.", "Austin")
    assert not names("Das sagte Li dazu.", "Li")  # a surname under four letters would match too much prose


def test_two_spellings_of_one_name_are_the_same_name():
    assert same_name("Budanow", "Budanov") and same_name("peskow", "Peskov")
    assert not same_name("Austin", "Austria")
    assert not same_name("Peskow", "Beskow")  # another first letter
    assert not same_name("", "Austin")


def test_a_quoted_sentence_must_report_speech():
    assert reports_speech("„Es gibt Hinweise“, sagte Austin.")
    assert reports_speech("Nordkorea ist laut Kyrylo Budanov der wichtigste Partner.")
    assert reports_speech("North Korea is the main partner, Budanov told reporters.")
    assert not reports_speech("Lloyd Austin reiste nach Rom.")
    assert not reports_speech("Lloyd Austin travelled to Rome.")


def test_who_a_claim_says_spoke():
    assert claimed_speaker("Roderich Kiesewetter sagte, dass Bautrupps aktiv sind.") == "Kiesewetter"
    assert claimed_speaker("Das sei ein fatales Versäumnis, findet Roderich Kiesewetter (CDU).") == "Kiesewetter"
    assert claimed_speaker("Laut Andrei Lankov will Russland eine Mobilmachung umgehen.") == "Lankov"
    assert claimed_speaker("Nico Lange (MSC) sagte, Europa warte.") == "Lange"
    assert claimed_speaker("Nico Lange argues that Europe waits.") == "Lange"
    assert claimed_speaker("Kori Schake's view: Russia argues it lacks soldiers.") is None  # Russia argues, not Schake
    assert claimed_speaker("Der südkoreanische Geheimdienst NIS meldete 12.000.") is None
    # no verb of saying ("bestätigte" is one now: rag/language/de.py lists it with the verbs of saying)
    assert claimed_speaker("Wladimir Putin unterzeichnete den Vertrag.") is None
    assert claimed_speaker("Wladimir Putin bestätigte den Vertrag.") == "Putin"
    assert claimed_speaker("Andrei Lankov zufolge will Russland eine Mobilmachung umgehen.") == "Lankov"
    assert claimed_speaker("Am Montag sagte Putin, es gebe keinen Krieg.") is None  # a day is no name
    assert claimed_speaker("Im Oktober sagte Putin, es gebe keinen Krieg.") is None  # nor a month


def test_according_to_names_who_spoke():
    assert claimed_speaker("According to Nico Lange, Europe waits.") == "Lange"


def test_known_name_in_other_inflection_is_kept():
    assert unsupported_names("Laut Roderich Kiesewetters Aussage", "Roderich Kiesewetter (CDU) sagte", "de") == []
    assert unsupported_names("Die Ukraine kämpft", "Kiew spricht", "de") == []  # an article and one noun is no name
    assert unsupported_names("Nico Lange sagte", "Kiew spricht", "de") == ["Nico Lange"]
    # German names need two of their words in the evidence; a claim in English one (its spelling differs)
    assert unsupported_names("Nico Lange sagte", "Lange sagte", "de") == ["Nico Lange"]
    assert unsupported_names("Nico Lange said", "Lange sagte", "en") == []


def test_invented_english_name_is_removed():
    assert unsupported_names("The troops are led by Colonel Ri Song Chol.", TEXT, "en") == ["Colonel Ri Song Chol"]
    assert unsupported_names("North Korean troops, the South Korean NIS said.", TEXT, "en") == []


def test_each_article_is_quoted_where_it_names_the_speaker_and_reports_speech():
    def p(doc, text):
        return Passage(doc, text, 0, len(text), 1.0, f"{doc}#0")

    ps = [
        p("a", "Lloyd Austin reiste am Montag nach Rom zu den Gesprächen. „Es gibt Hinweise auf nordkoreanische Truppen“, "
               "sagte Austin am Montag. Austin sagte später, die Truppen seien in Kursk."),
        p("b", "Austria schwieg zu den Truppen, sagte ein Sprecher. Laut Lloyd Austin sind die Truppen bereits in Kursk."),
        p("c", "Der Minister sagte nichts zu den Truppen in Kursk."),
    ]
    q = parse("Was sagte Lloyd Austin über die Truppen?", "de")
    assert q.speaker == "Austin"
    scorer = SupportScorer(encode)
    qvec = encode([q.search])[0]

    def quoted(cited=frozenset()):
        return {doc: p.text[a:b] for doc, (_, p, (a, b)) in speaker_candidates(q, ps, scorer, qvec, set(cited)).items()}

    # not the sentence that names him without his words, not "Austria", not an article that does not name him
    assert quoted() == {"a": "Austin sagte später, die Truppen seien in Kursk.",
                        "b": "Laut Lloyd Austin sind die Truppen bereits in Kursk."}
    # a sentence the answer cites comes first
    said = ps[0].text.index("„Es gibt")
    assert quoted({("a", said)})["a"].startswith("„Es gibt Hinweise")


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
