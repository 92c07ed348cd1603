"""An answer read as claims: its sentences, each with the passage markers [n] that follow it.

The small model writes markers in many shapes ("[1]", "[1, 2]", "[Quelle 3]", "[1] und [2]")
and sometimes in the wrong place: a marker alone after a sentence, a sentence that only
points at a passage ("This is stated in [2]."), a marker used as a noun ("In [1] wird
deutlich, …"). Those shapes are read here; what the claims say is judged in rules.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..generation.markers import MARKER
from ..language import languages, lexicon
from ..language.text import sentences, terms

# "[1] und [2]", "[1], [2]": one group of markers
_MARKER_GROUP = re.compile(MARKER.pattern + r"(?:\s*(?:,|und|and|&)\s*" + MARKER.pattern + r")+", re.I)
# "Quelle: [2]" on its own: a label for markers, not a claim
SOURCE_LABEL = re.compile(r"\s*(quellen?|sources?|auszug|auszüge|passages?)(?:[\s:.,;&]|\bund\b|\band\b)*", re.I)
# a sentence that ends in a colon announces a list; a list item starts with a dash or bullet,
# or with an enumeration (group 1: "1.", "2)", "a)")
LIST_HEAD = re.compile(r":\s*\.?$")
_LIST_ITEM = re.compile(r"\s*(?:[-–—*•·]|(\d{1,2}[.)]|[a-h]\)))\s+")


def _alt(words) -> str:
    return "|".join(sorted({re.escape(w) for w in words}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _shapes() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """Marker shapes, from every language's words (the model mixes them):
    - a marker used as a noun after a preposition ("In [1] wird deutlich", "according to [2], …"):
      stripped, it leaves a hole; after a noun it is an apposition ("Im Artikel [1] heißt es");
    - the same at a sentence's end ("This was reported in [2].", "so steht es laut [1].";
      "Die Hilfe läuft aus [1]." is whole without it);
    - several markers after a plural noun are its subject ("Die Artikel [1] und [2] führen … zurück")."""
    lexes = [lexicon(code) for code in languages()]
    preps = _alt(w for lx in lexes for w in lx.marker_prepositions)
    end_preps = "|".join(lx.marker_end_prepositions.replace(" ", "|") for lx in lexes)
    end_preps = "|".join(re.escape(w) for w in end_preps.split("|"))
    multi = "|".join(re.escape(lx.marker_end_prepositions) for lx in lexes if " " in lx.marker_end_prepositions)
    reported = _alt(w for lx in lexes for w in lx.reported_in)
    plural = _alt(w for lx in lexes for w in lx.plural_source_nouns)
    noun = re.compile(rf"\b({preps})\s*" + MARKER.pattern + r"\s*(?=[^\W\d]|,)", re.I)
    end = re.compile(rf"(\b({end_preps}{'|' + multi if multi else ''})|\b({reported})\s+(in|im|to))\s*"
                     + MARKER.pattern + r"\s*[.!?]?\s*$", re.I)
    named = re.compile(rf"\b({plural})\s*" + _MARKER_GROUP.pattern, re.I)
    return noun, end, named


@dataclass
class Claim:
    text: str  # without markers
    markers: list[int]
    names_passage: bool = False  # a marker is a word of the sentence: "In [1] wird deutlich, …"
    item: bool = False  # a list item ("- …", "1. …"); an enumeration's number is no claim and is left out
    about_passages: bool = False  # speaks of the passages given, not of the articles
    headless: bool = False  # starts mid-way ("und sagen, dass …"): who or what it is about was lost


def parse_markers(text: str) -> list[int]:
    return [int(n) for m in MARKER.finditer(text) for n in re.findall(r"\d+", m.group(1))]


def strip_markers(text: str) -> str:
    text = MARKER.sub("", _MARKER_GROUP.sub("", text))  # "[1] und [2]" goes whole, not leaving "und"
    return re.sub(r"[ \t]{2,}", " ", re.sub(r"\s+([.,;:!?])", r"\1", text)).strip()


@lru_cache(maxsize=None)
def _pointer_vocab(code: str) -> tuple[frozenset[str], frozenset[str]]:
    """Every language's pointer nouns and words, as `code`'s stems (the model mixes languages)."""
    lexes = [lexicon(c) for c in languages()]
    nouns = frozenset().union(*(terms(lx.pointer_nouns, code, 1) for lx in lexes))
    return nouns, nouns.union(*(terms(lx.pointer_words, code, 1) for lx in lexes))


def _is_pointer(sentence: str) -> bool:
    """The sentence names a passage or source and has no other content word ("The passage that
    provides this information is [3].")."""
    for code in languages():
        nouns, allowed = _pointer_vocab(code)
        stems = terms(sentence, code, 1)
        if stems & nouns and stems <= allowed:
            return True
    return False


def _points(bare: str) -> bool:
    return any(lexicon(code).pointer.search(bare) for code in languages()) or _is_pointer(bare)


def split_claims(text: str, language: str) -> list[Claim]:
    """Sentences of the answer with the markers that follow or sit in them."""
    lex = lexicon(language)
    text = text.strip()
    claims: list[Claim] = []
    for span in sentences(text, language):
        raw = text[span.start : span.end]
        lead = re.match(r"\s*((?:\[[^\]]*\]\s*)+)", raw)
        if lead and claims and not claims[-1].markers and MARKER.match(lead.group(1).strip()):
            # "Satz. [1] Nächster Satz": a leading marker closes the unmarked sentence before
            claims[-1].markers += parse_markers(lead.group(1))
            raw = raw[lead.end() :]
        markers = parse_markers(raw)
        bare = strip_markers(raw)
        if not re.search(r"\w", bare) or SOURCE_LABEL.fullmatch(bare) or (markers and len(bare) < 100 and _points(bare)):
            # markers alone, or "this is stated in [2]": they belong to the sentence before
            if claims:
                claims[-1].markers += markers
            continue
        grouped = _MARKER_GROUP.sub("[0]", raw)
        noun, end, named = _shapes()
        names_passage = bool(named.search(raw) or noun.search(grouped) or end.search(grouped))
        item = _LIST_ITEM.match(bare)
        if item and item.group(1):  # "1. …": the "1" would fail the number check
            bare = bare[item.end() :]
        about = not markers and len(bare) < 120 and bool(lex.about_passages.search(bare))
        claims.append(Claim(bare, markers, names_passage, bool(item), about, bool(lex.headless.match(bare))))
    return claims
