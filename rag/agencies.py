"""Whose figure a question asks for, and whether a sentence gives that source's figure.

"Wie viele Soldaten will Nordkorea laut südkoreanischem Geheimdienst bereitstellen?" or
"how many soldiers South Korea's NIS says Pyongyang wants to provide" asks for one
source's figure, and the articles quote several sources (the NIS, the US government,
Ukraine's intelligence). Listed all together as "the sources give different figures",
the NIS question was answered with Ukraine's 30,000 too (q081 of the set). A source
quoted inside the articles is not an article: rag/sources.py scopes retrieval to a named
outlet or author; this module reads the sentence that gives a figure.

A sentence gives the source's figure when it, or the sentence before it (attribution
often comes first: "… die vom südkoreanischen Geheimdienst NIS veröffentlichten
Erkenntnisse: Demnach will Pjöngjang bis zu 12.000 …"), names the source: one of its
acronyms ("NIS", "US" of "US-Regierung"), or every content word of its name as German
stems ("südkoreanischem Geheimdienst" ~ "der südkoreanische Geheimdienst"). An acronym
the passages put right after a name ("vom südkoreanischen Geheimdienst NIS") stands for
that name, and the name for it. English names are not translated: "according to
Ukrainian intelligence" is found in no German sentence, and such a question keeps the
rule it had before (no figure list). Hand-written: a few patterns over the question;
no library parses attribution phrases.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .checks import word_stems

# "laut (dem) südkoreanischen Geheimdienst (NIS)", "nach Angaben des …": lower-case words
# (adjectives) up to the first capitalised one (the noun), and an acronym after it
_LAUT = re.compile(
    r"\b(?:laut|nach Angaben)\s+(?:(?:de[mnrs]|der|die|das|the)\s+)?"
    r"((?:[a-zäöüß][\w-]*\s+){0,3}?[A-ZÄÖÜ][\w-]*(?:\s+\(?[A-Z]{2,6}\)?(?!\w))?)"
)
# "dem NIS zufolge": the words between a determiner (or the clause's start) and "zufolge"
_ZUFOLGE = re.compile(r"(?:\b(?:de[mnrs]|der)\s+|^|[,;:]\s*)((?:[\w-]+\s+){0,2}?[\w-]+)\s+zufolge\b")
# "according to (the) Ukrainian intelligence": up to four words, cut at the first function word
_ACCORDING = re.compile(r"\baccording to\s+(?:the\s+)?((?:[\w'’-]+\s*){1,4})", re.I)
# "South Korea's NIS says": a run of capitalised words right before a verb of saying
_SAYS = re.compile(
    r"((?:[A-ZÄÖÜ][\w'’-]*\s+){0,3}[A-ZÄÖÜ][\w'’-]*)\s+"
    r"(?:says|said|claims|estimates|reports|sagt|sagte|meldet|meldete|schätzt|schätzte|berichtet|berichtete)\b"
)
_STOP = {"how", "many", "much", "is", "are", "was", "were", "did", "does", "do", "in", "on", "to", "that", "of", "for",
         "about", "and", "or", "what", "when", "will", "would", "could", "has", "have", "had", "the", "a", "an",
         "dem", "den", "der", "die", "das", "des", "ein", "eine", "einem", "einer"}
# words that name the articles themselves, not a source in them: "laut den Quellen" asks no one in particular
_GENERIC = {"quellen", "artikeln", "artikel", "berichten", "angaben", "medien", "sources", "articles", "reports", "media"}
_ACRONYM = re.compile(r"(?<![\w])([A-ZÄÖÜ]{2,6})(?![a-zäöüß])")
# an acronym a passage introduces after a name: "südkoreanischen Geheimdienst NIS", "… Geheimdienst (NIS)"
_INTRODUCED = re.compile(r"((?:[a-zäöüß][\w-]+\s+){0,2}[A-ZÄÖÜ][a-zäöüß][\w-]*)\s+\(?([A-Z]{2,6})\)?(?![\w])")
# a follow-up that asks about part of what the last answer counted ("Und wie viele davon …?")
_PARTITIVE = re.compile(r"\b(davon|of them|of those|of these)\b", re.I)


@dataclass
class NamedSource:
    """The source a question names: its acronyms and the stems of its other words."""

    phrase: str
    acronyms: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    expansions: list[set[str]] = field(default_factory=list)  # stems of names its acronyms stand for

    def expanded(self, texts: list[str]) -> NamedSource:
        """The same source with what `texts` say its acronyms stand for, and the acronyms they
        give its name: "südkoreanischen Geheimdienst NIS" makes "südkoreanischem Geheimdienst"
        also "NIS", and "NIS" also "südkoreanischer Geheimdienst"."""
        out = NamedSource(self.phrase, set(self.acronyms), set(self.stems))
        for text in texts:
            for m in _INTRODUCED.finditer(text):
                name, acr = word_stems(m.group(1)), m.group(2)
                if not name:
                    continue
                if acr in self.acronyms:
                    out.expansions.append(name)
                elif self.stems and self.stems <= name:
                    out.acronyms.add(acr)
        return out

    def named_in(self, text: str) -> bool:
        """`text` names the source: an acronym of it, or all words of a name of it, not as
        the object of a preposition ("Russlands Krieg gegen die Ukraine" does not make
        Ukraine the source of the sentence's figure; "die Ukraine schlägt Alarm" does)."""
        if any(re.search(rf"(?<![\w]){re.escape(a)}(?![a-zäöüß])", text) for a in self.acronyms):
            return True
        have = _source_stems(text)
        return bool(self.stems) and self.stems <= have or any(e <= have for e in self.expansions)


# prepositions that make what follows a place or a target, not who speaks ("laut", "von",
# "vom", "seitens" and "nach Angaben" do introduce a source)
_OBJECT_OF = {"in", "im", "ins", "nach", "gegen", "für", "auf", "an", "am", "aus", "über", "zu", "zur", "zum", "mit",
              "bei", "um", "into", "to", "against", "for", "on", "at", "from", "with", "about"}
_DETERMINER = {"der", "die", "das", "dem", "den", "des", "the", "a", "an", "ein", "eine", "einer", "einem", "einen"}


def _source_stems(text: str) -> set[str]:
    """Stems of the words of `text` that could name a speaker: not a preposition's object."""
    words = re.findall(r"[\wäöüßÄÖÜ-]+", text)
    out: set[str] = set()
    for i, w in enumerate(words):
        j = i - 1
        while j >= 0 and (words[j].lower() in _DETERMINER or words[j][:1].islower() and words[j].lower() not in _OBJECT_OF):
            j -= 1  # past articles and adjectives ("gegen die besetzte Ukraine")
        if j >= 0 and words[j].lower() in _OBJECT_OF and j >= i - 3:
            continue
        out |= word_stems(w)
    return out


def _source(phrase: str) -> NamedSource | None:
    words = []
    for w in re.findall(r"[\wäöüßÄÖÜ'’-]+", phrase):
        if w.lower() in _STOP:
            if words:
                break  # "according to Ukraine, how many …": the name ends at the first function word
            continue
        words.append(re.sub(r"['’]s$", "", w))
    if not words or all(w.lower() in _GENERIC for w in words):
        return None
    text = " ".join(words)
    acronyms = set(_ACRONYM.findall(text))
    rest = " ".join(w for part in words for w in part.split("-") if w not in acronyms)
    src = NamedSource(text, acronyms, word_stems(rest))
    return src if src.acronyms or src.stems else None


def asked_source(question: str) -> NamedSource | None:
    """The source whose figure `question` asks for ("laut US-Regierung", "according to
    Ukraine", "South Korea's NIS says"), or None when it names none."""
    for pattern in (_LAUT, _ZUFOLGE, _ACCORDING, _SAYS):
        m = pattern.search(question)
        if m and (src := _source(m.group(1))):
            return src
    return None


def inherited_source(question: str, history: list[dict]) -> NamedSource | None:
    """A follow-up that counts part of what the last question asked about ("Und wie viele
    davon sind schon in Russland?" after "Wie viele … laut südkoreanischem Geheimdienst …?")
    asks within that source's account, unless it names a source of its own."""
    if asked_source(question) or not _PARTITIVE.search(question):
        return None
    last_user = next((t["content"] for t in reversed(history) if t.get("role") == "user"), "")
    return asked_source(last_user)
