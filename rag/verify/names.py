"""Names in claims and passages: who a claim says spoke, whether a passage names them, and
names a claim states that its evidence lacks.

Articles spell foreign names differently (a name transliterated with -ow in one article and
-ov in another), so names match by string similarity (difflib, the standard library), not
equality. A name is a run of two or more capitalised words: in German every noun is
capitalised, so a single capitalised word is no sign of a name.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..language import languages, lexicon
from ..language.text import NAME_RUN

_WORD = re.compile(r"[A-ZÄÖÜ][\w'’-]+")
MIN_NAME = 4  # shorter surnames would match too much prose
SIMILAR = 0.85  # two spellings of one name score 0.86 and more; "Austin" ~ "Austria" (0.77) is not the same name


def _norm(name: str) -> str:
    return name.lower().replace("w", "v")  # transliterations: -ow / -ov


def same_name(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return bool(a) and bool(b) and a[0] == b[0] and (a == b or SequenceMatcher(None, a, b).ratio() >= SIMILAR)


def names(sentence: str, surname: str) -> bool:
    """Whether `sentence` names `surname`: spelt alike, inflected ("Xs", "X's") or as part of a
    double name ("A-B" for "B")."""
    for word in _WORD.findall(sentence):
        forms = {word, re.sub(r"(['’]s|s)$", "", word), *word.split("-")}
        if any(len(w) >= MIN_NAME and same_name(w, surname) for w in forms):
            return True
    return False


_QUOTE_MARK = re.compile(r"[„“”\"«»]")


def reports_speech(sentence: str) -> bool:
    """A quotation, a verb of saying or "laut X"/"according to": what someone said, not only that they exist."""
    return bool(_QUOTE_MARK.search(sentence)) or any(lexicon(code).saying.search(sentence) for code in languages())


def _not_name_words() -> set[str]:
    out: set[str] = set()
    for code in languages():
        lex = lexicon(code)
        out |= set(lex.stop_words) | set(lex.months)
    return out


_NOT_NAME: set[str] = set()


def claimed_speaker(claim: str) -> str | None:
    """The surname of the person a claim says spoke ("<Name> sagte, dass …", "…, findet <Name>",
    "Laut <Name> …", "<Name> argues …"), or None."""
    if not _NOT_NAME:
        _NOT_NAME.update(_not_name_words())
    for m in NAME_RUN.finditer(claim):
        run = m.group(0).split()
        kept = [w for w in run if w.lower() not in _NOT_NAME]
        if len(kept) < 2 or len(kept[-1]) < MIN_NAME:
            continue
        before, after = claim[: m.start()], claim[m.end():]
        led = run[0].lower() in _NOT_NAME and any(lexicon(c).attribution.match(run[0]) for c in languages())
        says_after = re.match(r"^\s*(?:\([^)]{1,30}\)\s*)?,?\s*(\w+)", after)
        says_before = re.search(r"(\w+)\s*$", before)
        attributed = any(re.search(rf"(?:{lexicon(c).attribution.pattern})\s*$", before, re.I) for c in languages())
        if led or attributed or any(lexicon(c).saying.fullmatch(w.group(1)) or lexicon(c).attribution.fullmatch(w.group(1))
                                    for c in languages() for w in (says_after, says_before) if w):
            return re.sub(r"(['’]s)$", "", kept[-1])
    return None


def unsupported_names(claim: str, evidence: str, language: str) -> list[str]:
    """Runs of capitalised words (people, places, organisations) of `claim` missing from `evidence`.

    A run counts as found when two of its words (or all, if fewer) occur in the evidence up to
    an inflection ending. A claim in another language than the evidence names places in its
    own spelling, so there a run counts as found when any one of its words occurs."""
    lex = lexicon(language)
    ev = evidence.lower()
    missing = []
    for run in NAME_RUN.findall(claim):
        words = [w for w in re.split(r"\s+", run) if w.lower() not in lex.stop_words and len(w) >= 3]
        if not words:
            continue
        if len(words) < 2:
            continue  # "Die Regierung", "The Senate": an article and one noun is no name run
        found = sum(w.lower()[: max(3, len(w) - 2)] in ev for w in words)
        if found < (2 if language == "de" else 1):
            missing.append(run)
    return missing
