"""Whose figure a question asks for, and whether a sentence gives that source's figure.

"Wie viele Soldaten will Nordkorea laut südkoreanischem Geheimdienst bereitstellen?" or
"how many soldiers South Korea's NIS says Pyongyang wants to provide" asks for one
source's figure, and the articles quote several sources (the NIS, the US government,
Ukraine's intelligence). Listed all together as "the sources give different figures",
the NIS question was answered with Ukraine's 30,000 too (q081 of the set). A source
quoted inside the articles is not an article: rag/sources.py scopes retrieval to a named
outlet or author; this module reads the sentence that gives a figure.

A sentence gives the source's figure when it names the source, or when it reports no
speech itself and the sentence before it does (attribution often comes first: "… die vom
südkoreanischen Geheimdienst NIS veröffentlichten Erkenntnisse: Demnach will Pjöngjang
bis zu 12.000 …"; rag/conflicts.py reads the two sentences). A source is named by an
acronym ("NIS", as a word of its own), a compound written out ("US-Regierung"), or every
word of its name as German stems, nouns as nouns ("südkoreanischem Geheimdienst" ~ "der
südkoreanische Geheimdienst") and not as a preposition's object ("Krieg gegen die Ukraine").
An acronym the passages put right after a name ("vom südkoreanischen Geheimdienst NIS")
stands for that name, and the name for it. A source of one word ("laut der Ukraine",
"laut Kiew") is not specific enough: it is also the place or side half the sentences are
about, and such a question keeps the rule it had before (no figure list), as does one whose
source is in English words ("according to Ukrainian intelligence": found in no German
sentence). Hand-written: a few patterns over the question; no library parses attribution
phrases.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .checks import word_stems

# "laut (dem) südkoreanischen Geheimdienst (NIS)", "Nach Angaben des …", "laut Schätzung des NIS",
# "laut Nico Lange": lower-case words (adjectives) up to a run of capitalised ones (the noun or
# name), an acronym after it, and a genitive after that ("Schätzung des NIS")
_LAUT = re.compile(
    r"\b(?:[Ll]aut|[Nn]ach [Aa]ngaben)\s+(?:(?:de[mnrs]|der|die|das)\s+)?"
    r"((?:[a-zäöüß][\w-]*\s+){0,3}?[A-ZÄÖÜ][\w-]*(?:\s+[A-ZÄÖÜ][\w-]*){0,2}"
    r"(?:\s+(?:des|der)\s+(?:[a-zäöüß][\w-]*\s+){0,2}[A-ZÄÖÜ][\w-]*)?)"
)
# "dem NIS zufolge": the words between a determiner (or the clause's start) and "zufolge"
_ZUFOLGE = re.compile(r"(?:\b(?:de[mnrs]|der)\s+|^|[,;:]\s*)((?:[\w-]+\s+){0,2}?[\w-]+)\s+zufolge\b")
# "according to (the) Ukrainian intelligence": up to four words, cut at the first function word
_ACCORDING = re.compile(r"\baccording to\s+(?:the\s+)?((?:[\w'’-]+\s*){1,4})", re.I)
# "South Korea's NIS says": a run of capitalised words before an English verb of saying. Not
# German: in "Wie viele Truppen schätzt Südkorea?" the word before the verb is what is counted
_SAYS = re.compile(r"((?:[A-Z][\w'’-]*\s+){0,3}[A-Z][\w'’-]*)\s+(?:says|said|claims|estimates|reports)\b")
_STOP = {"how", "many", "much", "is", "are", "was", "were", "did", "does", "do", "in", "on", "to", "that", "of", "for",
         "about", "and", "or", "what", "when", "will", "would", "could", "has", "have", "had", "the", "a", "an",
         "dem", "den", "der", "die", "das", "des", "ein", "eine", "einem", "einer"}
# words that name no one: the articles themselves ("laut den Quellen" asks no one in particular),
# or a kind of statement ("laut Schätzung des NIS": the NIS is the source)
_GENERIC = {"quellen", "artikeln", "artikel", "berichten", "berichte", "angaben", "medien", "medienberichten", "experten",
            "schätzung", "schätzungen", "einschätzung", "einschätzungen", "erkenntnissen", "informationen",
            "sources", "articles", "reports", "media", "experts", "estimates", "estimate"}
# an acronym as a word of its own ("der NIS", "NIS:"), not the start of a longer one ("USA") nor of a compound
_ACRONYM = re.compile(r"^[A-ZÄÖÜ]{2,6}$")
# an acronym a passage introduces after a name on the same line: "südkoreanischen Geheimdienst NIS", "… (NIS)"
_INTRODUCED = re.compile(r"(?<![\w-])((?:[a-zäöüß][\w-]+[ \t]+){0,2}[A-ZÄÖÜ][a-zäöüß][\w-]*)[ \t]+\(?([A-Z]{2,6})\)?(?![\w-])")
# a follow-up that counts part of what the last answer counted ("Und wie viele davon …?", "how many of them …?")
_PARTITIVE = re.compile(r"\b(?:wie viele|how many)\b[^?.!]*\b(?:davon|of them|of those|of these)\b", re.I)


def _word_pattern(word: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")


@dataclass
class NamedSource:
    """The source a question names: its acronyms, its hyphenated names ("US-Regierung", found
    as they are written), and the stems of its other words (as nouns or as adjectives)."""

    phrase: str
    acronyms: set[str] = field(default_factory=set)
    compounds: set[str] = field(default_factory=set)
    nouns: set[str] = field(default_factory=set)  # stems of its capitalised words
    adjectives: set[str] = field(default_factory=set)  # stems of its lower-case ones
    expansions: list[tuple[set[str], set[str]]] = field(default_factory=list)  # (nouns, adjectives) its acronyms stand for

    @property
    def specific(self) -> bool:
        """Named closely enough to tell its sentences: an acronym, a compound or two words.
        One word alone ("laut der Ukraine", "laut Kiew", "laut Präsident …") is also the place
        or the side half the articles' sentences are about."""
        return bool(self.acronyms or self.compounds) or len(self.nouns | self.adjectives) >= 2

    def expanded(self, texts: list[str]) -> NamedSource:
        """The same source with what `texts` say its acronyms stand for, and the acronyms they
        give its name: "südkoreanischen Geheimdienst NIS" makes "südkoreanischem Geheimdienst"
        also "NIS", and "NIS" also "südkoreanischer Geheimdienst"."""
        out = NamedSource(self.phrase, set(self.acronyms), set(self.compounds), set(self.nouns), set(self.adjectives))
        for text in texts:
            for m in _INTRODUCED.finditer(text):
                nouns, adjectives = _stems_by_case([w for w in m.group(1).split() if w.lower() not in _DETERMINER])
                if not nouns:  # "Der NIS meldet": an article before the acronym names nothing
                    continue
                if m.group(2) in self.acronyms:
                    out.expansions.append((nouns, adjectives))
                elif (self.nouns or self.adjectives) and self.nouns <= nouns and self.adjectives <= adjectives:
                    out.acronyms.add(m.group(2))
        return out

    def named_in(self, text: str) -> bool:
        """`text` names the source: an acronym or compound of it, or every word of a name of
        it, each as the same part of speech (the noun "Ukraine" is not named by "ukrainischen
        Streitkräften"), and not as the object of a preposition ("Russlands Krieg gegen die
        Ukraine" does not make Ukraine the source of the sentence's figure)."""
        if any(_word_pattern(w).search(text) for w in self.acronyms | self.compounds):
            return True
        nouns, adjectives = _source_stems(text)
        names = [(self.nouns, self.adjectives)] if self.nouns or self.adjectives else []
        return any(n <= nouns and a <= adjectives for n, a in names + self.expansions)


# prepositions that make what follows a place or a target, not who speaks ("laut", "von",
# "vom" and "seitens" introduce a source; "nach" is left out for "nach Angaben des …")
_OBJECT_OF = {"in", "im", "ins", "gegen", "für", "auf", "an", "am", "aus", "über", "zu", "zur", "zum", "mit",
              "bei", "um", "into", "to", "against", "for", "on", "at", "from", "with", "about"}
_DETERMINER = {"der", "die", "das", "dem", "den", "des", "the", "a", "an", "ein", "eine", "einer", "einem", "einen"}


def _stems_by_case(words: list[str]) -> tuple[set[str], set[str]]:
    nouns = {s for w in words if w[:1].isupper() for s in word_stems(w)}
    return nouns, {s for w in words if w[:1].islower() for s in word_stems(w)}


def _source_stems(text: str) -> tuple[set[str], set[str]]:
    """Stems of the nouns and of the adjectives of `text` that could name who speaks: not a preposition's object."""
    words = re.findall(r"[\wäöüßÄÖÜ-]+", text)
    kept = []
    for i, w in enumerate(words):
        j = i - 1
        while j >= 0 and (words[j].lower() in _DETERMINER or words[j][:1].islower() and words[j].lower() not in _OBJECT_OF):
            j -= 1  # past articles and adjectives ("gegen die besetzte Ukraine")
        if j >= 0 and words[j].lower() in _OBJECT_OF and j >= i - 3:
            continue
        kept.append(w)
    return _stems_by_case(kept)


def _source(phrase: str) -> NamedSource | None:
    words = []
    for w in re.findall(r"[\wäöüßÄÖÜ'’-]+", phrase):
        if w.lower() in _STOP:
            if words and w.lower() not in ("des", "der"):  # "Schätzung des NIS" goes on
                break  # "according to Ukraine, how many …": the name ends at the first function word
            continue
        words.append(re.sub(r"['’]s$", "", w))
    words = [w for w in words if w.lower() not in _GENERIC and w.lower() not in _STOP]
    if not words:
        return None
    acronyms = {w for w in words if _ACRONYM.match(w)}
    compounds = {w for w in words if "-" in w and any(_ACRONYM.match(part) for part in w.split("-"))}
    nouns, adjectives = _stems_by_case([w for w in words if w not in acronyms | compounds])
    src = NamedSource(" ".join(words), acronyms, compounds, nouns, adjectives)
    return src if src.acronyms or src.compounds or src.nouns or src.adjectives else None


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
