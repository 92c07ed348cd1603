"""Reading answers for the metrics, independently of the code being measured.

The metrics must not judge the product by the product's own reading of text (a bug in
its number parser would then pass its own test). So numbers, sentences and languages are
read here with the libraries directly: text2num for number words, pysbd for sentences,
lingua for the language, and a plain digit-format reader.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

# [1], [1, 2], [2-3], [Quelle 1], [Source 2], [1 und 3] …
MARKER = re.compile(
    r"\[\s*(?:(?:Auszug|Passage|Quelle|Source|Nr\.?)\s*)?(\d+(?:\s*(?:,|;|und|and|&|-|–)\s*\d+)*)\s*\]", re.I
)
_SCALE = {"tausend": 1e3, "thousand": 1e3, "million": 1e6, "millionen": 1e6, "mio": 1e6, "milliarde": 1e9,
          "milliarden": 1e9, "mrd": 1e9, "billion": 1e9, "billions": 1e9}
_NUM = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?:\s*(%s))?(?!\w)"
                  % "|".join(sorted(_SCALE, key=len, reverse=True)), re.I)
_COMPOUND = re.compile(r"\b(zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|two|three|four|five|six|seven|"
                       r"eight|nine|ten|eleven|twelve)-(?=\w)", re.I)


def _value(token: str) -> float | None:
    t = token.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", t):  # thousands groups: 10.000 / 10,000
        return float(re.sub(r"[.,]", "", t))
    if "," in t and "." in t:
        t = t.replace(".", "").replace(",", ".") if t.rfind(",") > t.rfind(".") else t.replace(",", "")
    else:
        t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _digits(text: str, language: str) -> str:
    try:
        from text_to_num import alpha2digit

        return alpha2digit(text, language)
    except Exception:  # best effort: digits are read anyway
        return text


def numbers(text: str, compounds: bool = False) -> set[float]:
    """Every number stated, in German or English writing (a scaled number also as its value)."""
    if compounds:
        text = _COMPOUND.sub(r"\1 ", text)
    out: set[float] = set()
    for variant in {text, _digits(text, "de"), _digits(text, "en")}:
        for m in _NUM.finditer(variant):
            v = _value(m.group(1))
            if v is None:
                continue
            out.add(round(v, 6))
            if m.group(2):
                out.add(round(v * _SCALE[m.group(2).lower()], 6))
    return out


def missing_numbers(claim: str, evidence: str) -> set[float]:
    return numbers(claim) - numbers(evidence, compounds=True)


@lru_cache(maxsize=2)
def _segmenter(language: str):
    import pysbd

    return pysbd.Segmenter(language=language if language in ("de", "en") else "de", clean=False)


def sentences(text: str, language: str) -> list[str]:
    """Sentences (pysbd), a line break always ending one."""
    return [s.strip() for line in text.splitlines() if line.strip() for s in _segmenter(language).segment(line) if s.strip()]


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.GERMAN, Language.ENGLISH).build()


def language_of(text: str) -> str:
    from lingua import Language

    found = _detector().detect_language_of(text) if any(c.isalpha() for c in text) else None
    return "en" if found == Language.ENGLISH else "de"


def markers(text: str) -> list[int]:
    out: list[int] = []
    for m in MARKER.finditer(text):
        body = m.group(1)
        for a, b in re.findall(r"(\d+)\s*[-–]\s*(\d+)", body):
            if int(b) >= int(a) and int(b) - int(a) < 20:
                out.extend(range(int(a), int(b) + 1))
        body = re.sub(r"(\d+)\s*[-–]\s*(\d+)", " ", body)
        out.extend(int(n) for n in re.findall(r"\d+", body))
    return out


@dataclass
class Sentence:
    text: str  # without markers
    markers: list[int] = field(default_factory=list)


def marked_sentences(line: str, language: str) -> list[Sentence]:
    """A line's sentences with the markers in or after them; markers alone close the sentence before."""
    out: list[Sentence] = []
    for s in sentences(line, language):
        marks = markers(s)
        bare = " ".join(MARKER.sub(" ", s).split()).strip()
        bare = re.sub(r"\s+([.,;:!?])", r"\1", bare)
        if not re.search(r"\w", bare):
            if out:
                out[-1].markers += marks
            continue
        out.append(Sentence(bare, marks))
    return out
