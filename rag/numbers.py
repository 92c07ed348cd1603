"""Numbers in German and English text, normalised to values so they can be compared.

10.000 = 10 000 = 10,000 = zehntausend = ten thousand; 1,5 = 1.5; "3 Milliarden"
= 3 and 3e9. Number words are turned into digits by text2num's alpha2digit; the
digit formats are read here because they depend on the language's separators.
"""
from __future__ import annotations

import re
from functools import lru_cache

_SCALES = {
    "tausend": 1e3, "thousand": 1e3, "million": 1e6, "millionen": 1e6, "mio": 1e6, "mio.": 1e6,
    "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9, "mrd.": 1e9, "billion": 1e9,
}
_SEP = r"[.,\u00a0\u202f ]"
_NUM = re.compile(rf"(?<![\w.,])(\d{{1,3}}(?:{_SEP}\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?:\s*(%s))?(?!\w)" % "|".join(map(re.escape, sorted(_SCALES, key=len, reverse=True))), re.I)


def _value(token: str, language: str) -> float:
    # groups of exactly three digits are thousands: 10.000 / 10,000 / 10 000
    # (a German "1,500" would mean 1.5, but news text writes that "1,5": read as 1500)
    if re.fullmatch(r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+", token):
        return float(re.sub(_SEP, "", token))
    # a decimal: 1,5 or 1.5; a trailing decimal group after thousands: 1.000,5
    t = token.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if "," in t and "." in t:
        t = t.replace(".", "").replace(",", ".") if t.rfind(",") > t.rfind(".") else t.replace(",", "")
    else:
        t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return float("nan")


@lru_cache(maxsize=4096)
def _words_to_digits(text: str, language: str) -> str:
    try:
        from text_to_num import alpha2digit

        return alpha2digit(text, "de" if language == "de" else "en")
    except Exception:  # text2num is best effort; digits are still read below
        return text


# a number word that begins a compound: "Fünf-Punkte-Plan", "five-point plan" (text2num reads
# only free-standing words). Not "ein-"/"one-": "one-off", "Ein-Mann-Betrieb" count nothing
_COMPOUND_HEAD = re.compile(
    r"\b(zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|vierzig|fünfzig|sechzig|siebzig|achtzig|"
    r"neunzig|hundert|tausend|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand)-(?=\w)",
    re.I,
)


def numbers_in(text: str, language: str = "de", compounds: bool = False) -> set[float]:
    """Every number the text states, with scaled variants (3 Milliarden -> 3 and 3e9);
    `compounds`: also the number word that begins a compound ("Fünf-Punkte-Plan" -> 5)."""
    if compounds:
        text = _COMPOUND_HEAD.sub(r"\1 ", text)
    out: set[float] = set()
    for lang in {language, "de" if language == "en" else "en"}:
        # the raw text too: alpha2digit turns "1.5 million" into "1.5 1000000"
        for m in [*_NUM.finditer(text), *_NUM.finditer(_words_to_digits(text, lang))]:
            v = _value(m.group(1), lang)
            if v != v:  # nan
                continue
            out.add(v)
            if m.group(2):
                out.add(v * _SCALES[m.group(2).lower()])
    return {round(v, 6) for v in out}


def unsupported_numbers(claim: str, evidence: str, language: str = "de") -> set[float]:
    """Numbers in `claim` that `evidence` does not state. The evidence's compounds count
    ("Fünf-Punkte-Plan" supports "a plan of 5 points"); the claim's are not read, so a
    "two-day summit" needs no "2" in a German passage that says "zweitägig"."""
    return numbers_in(claim, language) - numbers_in(evidence, "de", compounds=True) - numbers_in(evidence, "en", compounds=True)


def is_year(digits: str) -> bool:
    """'2024' as written in running text: four digits, no separator, 1900-2100 (a year, not a count)."""
    return bool(re.fullmatch(r"\d{4}", digits)) and 1900 <= int(digits) <= 2100
