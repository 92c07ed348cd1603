import pytest

from rag.numbers import numbers_in, unsupported_numbers


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
