"""Numbers in German and English text, normalised to values so they can be compared.

10.000 = 10 000 = 10,000 = zehntausend = ten thousand; 1,5 = 1.5; "3 Milliarden"
= 3 and 3e9. Number words are turned into digits by text2num's alpha2digit; the
digit formats are read here because they depend on the language's separators; scale
words come from the language modules (rag/language/).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..language import languages, lexicon

_SEP = r"[.,\u00a0\u202f ]"


@lru_cache(maxsize=None)
def _scales(language: str) -> dict[str, float]:
    return {k.lower(): v for k, v in lexicon(language).scales.items()}


@lru_cache(maxsize=None)
def _num(language: str) -> re.Pattern:
    scales = "|".join(map(re.escape, sorted(_scales(language), key=len, reverse=True)))
    return re.compile(rf"(?<![\w.,])(\d{{1,3}}(?:{_SEP}\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?:\s*({scales}))?(?!\w)", re.I)


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


@lru_cache(maxsize=1)
def _compound_head() -> re.Pattern:
    """A number word that begins a compound ("five-point plan"; text2num reads only free-standing
    words). Not "one-"/"ein-": "one-off" counts nothing."""
    heads = sorted({w for code in languages() for w in lexicon(code).compound_numbers}, key=len, reverse=True)
    return re.compile(rf"\b({'|'.join(map(re.escape, heads))})-(?=\w)", re.I)


def numbers_in(text: str, language: str = "de", compounds: bool = False) -> set[float]:
    """Every number the text states, with scaled variants (3 Milliarden -> 3 and 3e9);
    `compounds`: also the number word that begins a compound ("Fünf-Punkte-Plan" -> 5)."""
    if compounds:
        text = _compound_head().sub(r"\1 ", text)
    out: set[float] = set()
    for lang in {language, "de" if language == "en" else "en"}:
        # the raw text too: alpha2digit turns "1.5 million" into "1.5 1000000"
        for m in [*_num(lang).finditer(text), *_num(lang).finditer(_words_to_digits(text, lang))]:
            v = _value(m.group(1), lang)
            if v != v:  # nan
                continue
            out.add(v)
            if m.group(2):
                out.add(v * _scales(lang)[m.group(2).lower()])
    return {round(v, 6) for v in out}


def number_groups(text: str, language: str = "de") -> list[set[float]]:
    """The numbers a text states, one group of readings per number: "3 Milliarden" is {3, 3e9},
    "3 billion" {3, 3e9, 3e12} (an English and a German billion). Number words are read too
    ("drei Milliarden" -> {3e9}); a scale word that text2num turns into a number of its own
    next to digits ("3 Milliarden" -> "3 1000000000") is no number of its own."""
    langs = [language] + [c for c in languages() if c != language]
    by_span: dict[tuple[int, int], set[float]] = {}
    scaled = False
    for lang in langs:
        for m in _num(lang).finditer(text):
            v = _value(m.group(1), lang)
            if v != v:
                continue
            g = by_span.setdefault(m.span(1), set())
            g.add(round(v, 6))
            if m.group(2):
                scaled = True
                g.add(round(v * _scales(lang)[m.group(2).lower()], 6))
    groups = list(by_span.values())
    known = set().union(*groups) if groups else set()
    scale_values = {round(v, 6) for code in languages() for v in _scales(code).values()}
    converted = _words_to_digits(text, language)  # number words in the text's own language only
    if converted != text:
        for m in _num(language).finditer(converted):
            v = round(_value(m.group(1), language), 6)
            if v != v or v in known or (scaled and v in scale_values):
                continue
            groups.append({v})
            known.add(v)
    return groups


def unsupported_numbers(claim: str, evidence: str, language: str = "de") -> set[float]:
    """Numbers in `claim` of which `evidence` states no reading (each by its smallest reading).
    The evidence's compounds count ("Fünf-Punkte-Plan" supports "a plan of 5 points"); the
    claim's are not read, so a "two-day summit" needs no "2" in a passage that says "zweitägig"."""
    stated = numbers_in(evidence, "de", compounds=True) | numbers_in(evidence, "en", compounds=True)
    return {min(g) for g in number_groups(claim, language) if not g & stated}


def is_year(digits: str) -> bool:
    """'2024' as written in running text: four digits, no separator, 1900-2100 (a year, not a count)."""
    return bool(re.fullmatch(r"\d{4}", digits)) and 1900 <= int(digits) <= 2100
