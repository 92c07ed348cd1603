"""Numbers in German and English text, normalised to values (rag/verify/numbers.py)."""
import pytest

from rag.verify.numbers import is_year, numbers_in, unsupported_numbers


@pytest.mark.parametrize("text,lang,value", [
    ("12.000 Soldaten", "de", 12000), ("12,000 soldiers", "en", 12000), ("12 000 Mann", "de", 12000),
    ("zwölftausend Soldaten", "de", 12000), ("twelve thousand troops", "en", 12000), ("1,5 Millionen", "de", 1.5e6),
    ("1.5 million", "en", 1.5e6), ("1,5 Prozent", "de", 1.5), ("am 22. Oktober 2024", "de", 2024), ("Angeblich 3000", "de", 3000),
])
def test_formats_normalise(text, lang, value):
    assert value in numbers_in(text, lang)


def test_number_boundaries():
    assert 12000 not in numbers_in("112.000 Soldaten")
    assert unsupported_numbers("Es sind 14.000 Soldaten", "bis zu 12.000 Soldaten") == {14000}
    assert not unsupported_numbers("twelve thousand soldiers", "bis zu 12.000 Soldaten", "en")


def test_a_number_word_that_begins_a_compound_is_read_in_the_evidence():
    # "Dieser Fünf-Punkte-Plan …" supports "a five-point plan" / "5 points"; the claim's own
    # compounds are not read ("a two-day summit" over "zweitägig" needs no 2)
    assert numbers_in("Dieser Fünf-Punkte-Plan", "de", compounds=True) == {5.0}
    assert numbers_in("the twelve-point plan", "en", compounds=True) == {12.0}
    assert numbers_in("ein One-off-Bonus, ein Ein-Mann-Betrieb", "de", compounds=True) == set()
    assert numbers_in("Dieser Fünf-Punkte-Plan", "de") == set()
    assert unsupported_numbers("The plan has 5 points.", "Dieser Fünf-Punkte-Plan wurde präsentiert.", "en") == set()
    assert unsupported_numbers("The plan has 6 points.", "Dieser Fünf-Punkte-Plan wurde präsentiert.", "en") == {6.0}
    assert unsupported_numbers("A two-day summit.", "Ein zweitägiger Gipfel.", "en") == set()


def test_scale_words_of_either_language_give_the_scaled_value_too():
    assert numbers_in("3 Milliarden Euro", "de") >= {3.0, 3e9}
    assert numbers_in("3 billion dollars", "en") >= {3.0, 3e9}
    assert unsupported_numbers("Es waren 3 Milliarden Dollar.", "It was 3 billion dollars.", "de") == set()
    # one value per number the claim states (its smallest reading)
    assert unsupported_numbers("Es waren 4 Milliarden Dollar.", "Es waren 3 Milliarden Dollar.", "de") == {4.0}


@pytest.mark.parametrize("claim,evidence,lang", [
    ("Es waren 3 Milliarden.", "Es waren drei Milliarden.", "de"),
    ("It was 3 billion.", "It was three billion.", "en"),
    ("It was three billion dollars.", "Es waren 3 Milliarden Dollar.", "en"),
])
def test_a_scaled_figure_is_supported_whether_written_in_digits_or_words(claim, evidence, lang):
    assert unsupported_numbers(claim, evidence, lang) == set()


def test_a_year_is_four_digits_in_its_range():
    assert is_year("2024") and is_year("1900") and is_year("2100")
    assert not is_year("1899") and not is_year("3000") and not is_year("12.000") and not is_year("202")
