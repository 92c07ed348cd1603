"""Post-hoc checks of a generated answer against the passages it was given.

The model is asked to cite; nothing it writes is trusted. Each sentence (claim)
is checked against the passages its markers name:
- markers must resolve to a passage that was in the prompt (else removed);
- every number in the claim must occur in a cited passage (formats normalised);
- quoted phrases must occur verbatim in a cited passage;
- the claim must be similar enough to a sentence of the cited passage
  (multilingual embeddings, so an English claim can match a German sentence).
A claim that fails is re-attributed to a passage that does support it, or
removed. Every change is recorded as a `Check`. Each surviving citation carries
the exact supporting sentence with its offsets in the article (the quote).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

import numpy as np

from index.chunking import split_sentences

from .mood import wrong_mood
from .numbers import is_year, numbers_in, unsupported_numbers
from .types import Check, Citation, Passage

MARKER = re.compile(r"\[(?:(?:Auszug|Passage|Quelle|Source|Nr\.?)\s*)?(\d+(?:\s*(?:,|;|und|and|&)\s*\d+)*)\]", re.I)
# "This is stated in [3]." / "Diese Quelle steht in [1]." carry markers, not claims
META_CITE = re.compile(
    r"^(this|that|these|dies\w*|das|diese\w*|siehe|see|quelle|source)\b.{0,60}?\b(stated|mentioned|found|passage\w*|auszug\w*|quelle\w*|stammt|steht|source\w*|text|ausgabe\w*)\b|"
    # "Dies wurde in der Ausgabe beschrieben [1].", "The passage directly states this [3]." (not
    # "This was described as a war crime", nor "Die Quelle nennt 12.000 Soldaten")
    r"^(this|that|dies\w*|das)\b.{0,60}?\b(beschrieben|described)\s*[.!?]?$|"
    r"^(the|der|die|das)\s+(passage|excerpt|text|source|quelle|auszug)\w*\b.{0,40}\b(this|that|dies|das|es|so)\s*[.!?]?$",
    re.I,
)
# "The passage that provides this information is [3].": it points at a source and claims
# nothing. Told apart by its words, not its shape: a German claim also ends on its verb
# ("Der Artikel berichtet, dass Nordkorea beteiligt ist [2].")
_POINTER_NOUNS = "passage passages source sources quelle quellen auszug auszüge stelle stellen information informationen"
_POINTER_WORDS = (
    "provides provided contains contained gives given mentions mentioned states stated found shows shown "
    "this that these those which here there dies diese dieser dieses diesem welche welcher welches "
    "findet finden sich steht stehen enthält enthalten nennt genannt erwähnt angegeben zeigt gezeigt belegt "
    "wird werden kann können dort darin hier"
)
# "Dies wird in den drei gegebenen Passagen deutlich vermittelt.": a sentence without a marker
# that speaks of the passages the model was given (the reader never sees them) says nothing
# of the articles; with a marker it is a pointer (META_CITE)
ABOUT_PASSAGES = re.compile(
    r"^(this|that|these|it|dies\w*|das|diese\w*|es)\b.{0,60}?\b(in|aus|from|across)\s+(den|the|these|diesen|allen|all)\s+"
    r"(\w+\s+){0,2}(passagen|passages|auszügen|excerpts)\b"  # not "Das Abkommen enthält Passagen über …"
    r"(?!.*\b(dass|that|wonach)\b)",  # "It is clear from the passages that Russia lacks troops." says something
    re.I)
# a sentence that begins with a lower-case conjunction is the tail of one the model broke
_HEADLESS = re.compile(r"(und|oder|aber|sowie|sondern|and|or|but)\b")
# "Quelle: [2]" on its own: a label for markers, not a claim
SOURCE_LABEL = re.compile(r"\s*(quellen?|sources?|auszug|auszüge|passages?)(?:[\s:.,;&]|\bund\b|\band\b)*", re.I)
QUOTED = re.compile(r"[„\"“«»‚']([^„\"“”«»‚‘']{12,})[“”\"«»‘']")

MAX_CLAIMS = 4  # a small model that copies passages would otherwise return them all

KIND_LABEL = {
    "de": {"opinion": "dem Meinungsbeitrag", "analysis": "der Analyse", "machine-translated": "dem maschinell übersetzten Beitrag"},
    "en": {"opinion": "the opinion piece", "analysis": "the analysis", "machine-translated": "the machine-translated article"},
}


@dataclass
class Claim:
    text: str  # without markers
    markers: list[int]
    names_passage: bool = False  # a marker is a word of the sentence: "In [1] wird deutlich, …"
    item: bool = False  # a list item ("- …", "1. …"); an enumeration's number is no claim and is left out
    about_passages: bool = False  # speaks of the passages given, not of the articles (ABOUT_PASSAGES)


# a marker used as a noun after a preposition ("In [1] wird deutlich", "according to [2], …",
# "laut [1] sind es …"): stripped, it leaves a hole, and what the sentence says of that passage
# is lost. After a noun it is an apposition ("Im Artikel [1] heißt es" reads whole without it).
NOUN_MARKER = re.compile(
    r"\b(in|im|aus|laut|nach|von|bei|to|of|from|siehe|see)\s*" + MARKER.pattern + r"\s*(?=[^\W\d]|,)", re.I,
)
# ... and at the end of a sentence, after a preposition that is no verb particle ("This was
# reported in [2].", "so steht es laut [1]."; "Die Hilfe läuft aus [1]." is whole without it)
NOUN_MARKER_END = re.compile(
    r"(\b(laut|of|from|siehe|see|according to)|"
    # "in"/"to" only after a verb of reporting: "Sanctions have kicked in [1]." is whole
    r"\b(reported|stated|mentioned|found|described|shown|given|cited|noted|written|explained|referred|steht|stehen|"
    r"heißt|erwähnt|beschrieben|genannt|berichtet|nachzulesen)\s+(in|im|to))\s*" + MARKER.pattern + r"\s*[.!?]?\s*$", re.I)
# "[1] und [2]", "[1], [2]": one group of markers
_MARKER_GROUP = re.compile(MARKER.pattern + r"(?:\s*(?:,|und|and|&)\s*" + MARKER.pattern + r")+", re.I)
# several markers after a plural noun are its subject: "Die Artikel [1] und [2] führen … zurück"
# without them claims it of every article
_NAMED_GROUP = re.compile(r"\b(artikel|articles|quellen|sources|auszüge|passages|texte|texts)\s*" + _MARKER_GROUP.pattern, re.I)


@dataclass
class Verified:
    text: str
    citations: list[Citation]
    checks: list[Check]
    kept: int  # claims that survived
    total: int  # claims the model wrote
    support: list[float] = field(default_factory=list)


def parse_markers(text: str) -> list[int]:
    return [int(n) for m in MARKER.finditer(text) for n in re.findall(r"\d+", m.group(1))]


def strip_markers(text: str) -> str:
    text = MARKER.sub("", _MARKER_GROUP.sub("", text))  # "[1] und [2]" goes whole, not leaving "und"
    return re.sub(r"[ \t]{2,}", " ", re.sub(r"\s+([.,;:!?])", r"\1", text)).strip()


# a sentence that ends in a colon announces a list; a list item starts with a dash or bullet,
# or with an enumeration (group 1: "1.", "2)", "a)")
_LIST_HEAD = re.compile(r":\s*\.?$")
_LIST_ITEM = re.compile(r"\s*(?:[-–—*•·]|(\d{1,2}[.)]|[a-h]\)))\s+")


def split_claims(text: str, language: str) -> list[Claim]:
    """Sentences of the answer with the markers that follow or sit in them."""
    text = text.strip()
    claims: list[Claim] = []
    for span in split_sentences(text, language):
        raw = text[span.start : span.end]
        lead = re.match(r"\s*((?:\[[^\]]*\]\s*)+)", raw)
        if lead and claims and not claims[-1].markers and MARKER.match(lead.group(1).strip()):
            # "Satz. [1] Nächster Satz": a leading marker closes the unmarked sentence before
            claims[-1].markers += parse_markers(lead.group(1))
            raw = raw[lead.end() :]
        markers = parse_markers(raw)
        bare = strip_markers(raw)
        if not re.search(r"\w", bare) or SOURCE_LABEL.fullmatch(bare) or (markers and len(bare) < 100 and (META_CITE.search(bare) or _is_pointer(bare))):
            # markers alone, or "this is stated in [2]": they belong to the sentence before
            if claims:
                claims[-1].markers += markers
            continue
        grouped = _MARKER_GROUP.sub("[0]", raw)
        names_passage = bool(_NAMED_GROUP.search(raw) or NOUN_MARKER.search(grouped) or NOUN_MARKER_END.search(grouped))
        item = _LIST_ITEM.match(bare)
        if item and item.group(1):  # "1. China liefert …": the "1" would fail the number check
            bare = bare[item.end() :]
        about = not markers and len(bare) < 120 and bool(ABOUT_PASSAGES.search(bare))
        claims.append(Claim(bare, markers, names_passage, bool(item), about))
    return claims


_WORD = re.compile(r"\w{4,}")
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer  # PyStemmer, already used by BM25

    return Stemmer.Stemmer("german")


def word_stems(text: str) -> set[str]:
    """Stems of the content words (4+ letters) of a text, German Snowball."""
    return set(_stemmer().stemWords(_WORD.findall(text.lower())))


@lru_cache(maxsize=1)
def _pointer_vocab() -> tuple[frozenset[str], frozenset[str]]:
    nouns = frozenset(word_stems(_POINTER_NOUNS))
    return nouns, nouns | frozenset(word_stems(_POINTER_WORDS))


def _is_pointer(sentence: str) -> bool:
    """The sentence names a passage or source and has no other content word."""
    nouns, words = _pointer_vocab()
    stems = word_stems(sentence)
    return bool(stems & nouns) and stems <= words


def lexical_overlap(claim_stems: set[str], sentence: str) -> float:
    """Share of the claim's word stems that occur in the sentence."""
    if not claim_stems:
        return 0.0
    return len(claim_stems & word_stems(sentence)) / len(claim_stems)


class SupportScorer:
    """Similarity of a claim to the sentences of a passage, with cached sentence vectors.

    `best` also ranks the sentences by embedding similarity plus word overlap: small
    e5 scores same-topic sentences of different articles almost alike (0.907 vs
    0.908 on the set), while the model mostly copies the words of the sentence it
    used, so overlap picks the right passage and quote where embeddings tie.
    """

    LEXICAL_WEIGHT = 0.1

    def __init__(self, encode) -> None:
        self.encode = encode  # list[str] -> np.ndarray (normalised rows)
        self._cache: dict[str, tuple[list[tuple[int, int]], np.ndarray]] = {}

    def sentences(self, p: Passage) -> tuple[list[tuple[int, int]], np.ndarray]:
        key = p.chunk_id or f"{p.doc_id}:{p.start}:{p.end}"
        if key not in self._cache:
            spans = [(s.start, s.end) for s in split_sentences(p.text)] or [(0, len(p.text))]
            vecs = self.encode([p.text[a:b] for a, b in spans])
            if len(self._cache) > 5000:
                self._cache.clear()
            self._cache[key] = (spans, vecs)
        return self._cache[key]

    def ranked(self, vec: np.ndarray, p: Passage, stems: set[str] | None = None) -> list[tuple[float, float, tuple[int, int]]]:
        """(rank, similarity, span) of each sentence of `p` against `vec`, best first;
        rank = similarity + LEXICAL_WEIGHT x overlap with `stems`. A sentence that
        addresses the assistant supports nothing and is never quoted: it is left out."""
        from .prompts import is_injection

        spans, vecs = self.sentences(p)
        out = [
            (float(sim) + self.LEXICAL_WEIGHT * lexical_overlap(stems or set(), p.text[a:b]), float(sim), (a, b))
            for (a, b), sim in zip(spans, vecs @ vec)
            if not is_injection(p.text[a:b])
        ]
        return sorted(out, key=lambda x: -x[0])

    def best(self, claim_vec: np.ndarray, p: Passage, claim_stems: set[str] | None = None) -> tuple[float, tuple[int, int], float]:
        """(best similarity, span of the best-ranked sentence, its rank score). A scrap of fewer
        than three words (a byline "IZ 23.07.", a dateline) supports no claim: its vector says
        little and came out close to "Der wahre Aggressor … ist Russland"."""
        ranked = [r for r in self.ranked(claim_vec, p, claim_stems) if len(_LETTER_WORD.findall(p.text[slice(*r[2])])) >= 3]
        if not ranked:
            return -1.0, self.sentences(p)[0][0], -1.0
        return max(sim for _, sim, _ in ranked), ranked[0][2], ranked[0][0]


def _quotes_ok(claim: str, evidence: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(s.split()).lower()

    ev = norm(evidence)
    return all(norm(q) in ev for q in QUOTED.findall(claim))


# a run of capitalised words: people, places, organisations (also rag/speakers.py)
NAME_RUN = re.compile(r"\b[A-ZÄÖÜ][\w'’-]+(?:\s+(?:von\s+|van\s+|de\s+)?[A-ZÄÖÜ][\w'’-]+)+")
NOT_NAMES = {"der", "die", "das", "ein", "eine", "laut", "nach", "auch", "dass", "denn", "doch", "aber", "und", "wie", "wer"}


def names_someone(sentence: str, besides: str = "") -> bool:
    """A run of two or more capitalised words, not counting a leading article or words of
    `besides` (the question: "Moskau Pjöngjang" in a sentence is the question's topic, not
    who it asks for): a sign of a name ("Der Militärexperte Gustav Gressel", "Roderich
    Kiesewetter"). German capitalises nouns, so "Der Gedanke" is no run, though
    "Nordkoreanische Soldaten" at a sentence's start still reads as one."""
    known = set(re.findall(r"[\w'’-]+", besides.lower()))
    for run in NAME_RUN.findall(sentence):
        words = [w for w in run.split() if w.lower() not in known]
        if words and words[0].lower() in NOT_NAMES:
            words = words[1:]
        if len(words) >= 2:
            return True
    return False


# "Auf welchen Artikel des Vertrags …", "Welcher Telegram-Kanal …": the noun a German
# which-question asks for (German capitalises nouns; adjectives between are lower case). At the
# question's start, after at most one word ("Auf", "Und"): "Soldaten, welche nach Kursk …" asks nothing
_WHICH_NOUN = re.compile(r"^\s*(?:\w+\s+)?[Ww]elche[mnrs]?\s+(?:[a-zäöüß][\w-]*\s+){0,2}([A-ZÄÖÜ][\w-]{3,})(\s+\w+)?")
# nouns for the articles themselves ("Welche Artikel führen … zurück?", "Welche Quelle nennt …?"),
# not for what they report; "Artikel" followed by a genitive ("welchen Artikel des Abkommens")
# is a treaty's article
_CORPUS_NOUNS = {"artikel", "quelle", "quellen", "autor", "autoren", "autorin", "autorinnen", "angabe", "angaben",
                 "beitrag", "beiträge", "text", "texte", "medium", "medien", "bericht", "berichte", "zeitung", "zeitungen"}


def asked_noun(question: str) -> str | None:
    """The noun a German which-question asks for ("Artikel" in "Auf welchen Artikel des
    Partnerschaftsvertrags verwies Putin?"); None for other questions and for nouns that
    name the articles themselves."""
    m = _WHICH_NOUN.search(question)
    if not m:
        return None
    noun, after = m.group(1), (m.group(2) or "").strip().lower()
    if noun.lower() in _CORPUS_NOUNS and not (noun.lower() == "artikel" and after in ("des", "der", "eines", "einer")):
        return None
    return noun


def names_noun(sentence: str, noun: str) -> bool:
    """The sentence has a word that starts with the noun, capitalised ("Artikel 4", "Artikels"),
    not one that merely contains it ("Kontrolle" for "Rolle", "verfolgen" for "Folgen")."""
    return re.search(rf"(?<![\w-]){re.escape(noun)}", sentence) is not None


def unsupported_names(claim: str, evidence: str) -> list[str]:
    """Runs of capitalised words (people, places, organisations) missing from the evidence.

    Only for German claims over German passages: in German every noun is capitalised,
    so a run of two or more capitalised words ("Kim Jong Un", "Roderich Kiesewetter",
    "Münchner Sicherheitskonferenz") is a good sign of a name; English claims name
    German-spelt places differently (Kyiv/Kiew), so they rely on the similarity check.
    A run counts as supported when two of its words (or all, if fewer) occur in the
    evidence, up to an inflection ending.
    """
    ev = evidence.lower()
    missing = []
    for run in NAME_RUN.findall(claim):
        words = [w for w in re.split(r"\s+", run) if w.lower() not in NOT_NAMES and len(w) >= 3]
        if len(words) < 2 and run.split()[0].lower() in NOT_NAMES:
            continue  # "Die Ukraine": one noun after an article is no name run
        found = sum(w.lower()[: max(3, len(w) - 2)] in ev for w in words)
        # a run may end in ordinary nouns ("Kiesewetters Aussage"): two known words suffice
        if found < min(2, len(words)):
            missing.append(run)
    return missing


# English names of places and peoples the German articles spell differently
_EXONYMS = {
    "north": "nord", "south": "süd", "korean": "korea", "koreans": "korea", "russian": "russ", "russia": "russ",
    "ukrainian": "ukrain", "pyongyang": "pjöngjang", "kyiv": "kiew", "kiev": "kiew", "moscow": "moskau",
    "beijing": "peking", "chinese": "chin", "american": "ameri", "united": "usa", "states": "staat",
    "european": "europ", "union": "eu", "iranian": "iran", "western": "west", "kremlin": "kreml",
}
_EN_STOP = {"the", "a", "an", "according", "in", "on", "at", "by", "from", "for", "of", "and", "but", "this", "that", "these", "general", "president", "leader", "minister"}


def unsupported_names_en(claim: str, evidence: str) -> list[str]:
    """English claims: a run of capitalised words none of whose words occur in the passages."""
    ev = evidence.lower()
    missing = []
    for run in NAME_RUN.findall(claim):
        words = [w for w in re.split(r"\s+", run) if w.lower() not in _EN_STOP and len(w) >= 3]
        if len(words) < 2:
            continue
        stems = [_EXONYMS.get(w.lower(), w.lower()[: max(3, len(w) - 2)]) for w in words]
        if not any(st in ev for st in stems):
            missing.append(run)
    return missing


def _attribution(p: Passage, claim: str, language: str) -> str:
    """'Laut dem Meinungsbeitrag von X (Outlet): ' for claims from non-report sources."""
    label = KIND_LABEL.get(language, KIND_LABEL["en"]).get(p.kind)
    if not label:
        return ""
    who = p.author if p.author and p.author != "unknown" else p.outlet
    names = [n for n in re.split(r"[\s(),.]+", f"{p.author} {p.outlet}") if (len(n) > 3 and n[0].isupper()) or (len(n) >= 2 and n.isupper())]
    if any(re.search(rf"\b{re.escape(n)}\b", claim) for n in names) or re.match(r"(laut|nach|according to|in the view of)\b", claim, re.I):
        return ""  # the model already attributed it
    return f"Laut {label} von {who}: " if language == "de" else f"According to {label} by {who}: "


def verify(answer: str, passages: list[Passage], language: str, scorer: SupportScorer, min_support: float, question: str = "",
           cite_margin: float = 0.03) -> Verified:
    """Check each claim of `answer` against `passages`; figures and names the
    question itself states may be repeated without a source.

    cite_margin: a claim whose cited passage supports it less well than another
    passage by more than this (similarity plus word overlap) is cited to that
    passage instead, and of several cited passages the weaker ones are dropped.
    """
    from .speakers import claimed_speaker, names  # here: speakers imports this module's NAME_RUN

    claims = split_claims(answer, language)
    checks: list[Check] = []
    n = len(passages)
    if not claims:
        return Verified("", [], checks, 0, 0)
    vecs = scorer.encode([c.text for c in claims])
    # a passage's text with its author and outlet: a name may be the byline's ("Laut Jürgen Meyer …"
    # over his commentary), and so may a speaker's
    signed = [f"{p.text} {p.author} {p.outlet}" for p in passages]
    all_text = " ".join(signed) + " " + question
    out_sentences: list[str] = []
    cites: dict[int, tuple[float, tuple[int, int], float]] = {}  # passage -> (similarity, quote span, rank)
    quoted: dict[int, list[tuple[int, int]]] = {}  # passage -> the sentence of each claim citing it
    supports: list[float] = []
    kept_vecs: list[np.ndarray] = []
    attributed: set[str] = set()  # name each opinion/analysis source once, at its first claim

    def emit(claim: Claim, vec: np.ndarray, keep: list[int], scored: dict) -> None:
        source = passages[keep[0] - 1]
        prefix = "" if source.doc_id in attributed else _attribution(source, claim.text, language)
        attributed.add(source.doc_id)
        body = claim.text
        if prefix:
            body = prefix + body
            checks.append(Check("attributed", f"attributed to its source ({source.kind})", claim.text, "kept"))
        supports.append(max(scored[i][0] for i in keep))
        kept_vecs.append(vec)
        for i in keep:
            if i not in cites or scored[i][2] > cites[i][2]:
                cites[i] = scored[i]
            quoted.setdefault(i, []).append(scored[i][1])
        end = body[-1] if body[-1] in ".!?" else "."
        body = body.rstrip(".!?")
        out_sentences.append(f"{body} {''.join(f'[{i}]' for i in keep)}{end}")

    def drop_header(claim: Claim) -> None:
        # "Die Folgen zogen Moskau und Pjöngjang daraus:" with its list items removed, or followed
        # by prose: it announces what does not come and restates the question (q027, q033)
        checks.append(Check("claim_removed", "the sentence announces a list that does not follow", claim.text, "removed"))

    pending: tuple | None = None  # a list header, waiting for its first item
    for claim, vec in zip(claims, vecs):
        if claim.names_passage:
            checks.append(Check("claim_removed", "the sentence names a passage by its number (\"In [1] wird …\"); without it the sentence has a hole", claim.text, "removed"))
            continue
        if _HEADLESS.match(claim.text):
            # "und sagen, dass die USA … der wahre Aggressor sind": who says it was lost with the
            # sentence's beginning; the fallback quotes the source's sentence whole instead
            checks.append(Check("claim_removed", "the sentence starts in the middle (\"und …\"): who or what it is about is lost", claim.text, "removed"))
            continue
        if claim.about_passages:
            checks.append(Check("claim_removed", "the sentence speaks of the passages the model was given, not of what the articles say", claim.text, "removed"))
            continue
        valid = []
        for m in dict.fromkeys(claim.markers):
            if 1 <= m <= n:
                valid.append(m)
            else:
                checks.append(Check("marker_out_of_range", f"[{m}] names no passage (there were {n})", claim.text, "removed"))
        stems = word_stems(claim.text)
        scored = {i: scorer.best(vec, passages[i - 1], stems) for i in range(1, n + 1)}
        said_by = claimed_speaker(claim.text)
        if said_by and not any(names(t, said_by) for t in signed):
            # named in no passage: an English or other form ("South Korea says" over "Südkorea"),
            # or no person at all ("the White House"); the name checks judge it, not this rule
            said_by = None

        def spoke(i: int) -> bool:
            # "Roderich Kiesewetter sagte, dass … Bautrupps …" citing Nico Lange's words: the
            # passage must name who the claim says spoke (or be by them: author or outlet); the
            # sentence itself often does not ("Und es besteht auch kein Zweifel …" continues a quotation)
            return said_by is None or names(signed[i - 1], said_by)

        def ok(ids: list[int], speaker: bool = True) -> bool:
            evidence = " ".join(passages[i - 1].text for i in ids) + " " + question
            named_in = " ".join(signed[i - 1] for i in ids) + " " + question
            return (
                bool(ids) and (not speaker or any(spoke(i) for i in ids)) and not unsupported_numbers(claim.text, evidence, language)
                and not (unsupported_names(claim.text, named_in) if language == "de" else unsupported_names_en(claim.text, all_text))
                and _quotes_ok(claim.text, evidence) and max(scored[i][0] for i in ids) >= min_support
            )

        if said_by:
            # the passage whose words the claim carries must name who it says spoke: moving the
            # citation to another that names them but says something else ("Kiesewetter sagte …
            # Bautrupps …" onto his "fatales Versäumnis") would only dress up the misattribution
            # (unless a passage it cites names the speaker and supports it: then that is its source)
            says_it = max((i for i in scored if ok([i], speaker=False)), key=lambda i: scored[i][2], default=None)
            named = [scored[i][2] for i in scored if spoke(i) and ok([i])]
            cited_ok = any(spoke(i) and ok([i]) for i in claim.markers if 1 <= i <= n)
            if (says_it is not None and not spoke(says_it) and not cited_ok
                    and (not named or scored[says_it][2] > max(named) + cite_margin)):
                checks.append(Check("claim_removed", f"it says {said_by} said it; the passage that says it ([{says_it}]) does not name {said_by}", claim.text, "removed"))
                continue
        keep = [i for i in valid if scored[i][0] >= min_support]
        for i in valid:
            if i not in keep:
                checks.append(Check("marker_unsupported", f"passage [{i}] does not support the claim (similarity {scored[i][0]:.2f})", claim.text, "removed"))
        if not ok(keep):
            # try the single passage that supports the claim best
            ranked = sorted(scored, key=lambda i: -scored[i][2])
            alt = next((i for i in ranked if ok([i])), None)
            if alt is None:
                why = "no citation" if not valid else "not supported by its passages"
                bad = unsupported_numbers(claim.text, all_text, language)
                missing = unsupported_names(claim.text, all_text) if language == "de" else unsupported_names_en(claim.text, all_text)
                if bad:
                    why = "number(s) not in any passage: " + ", ".join(f"{v:g}" for v in sorted(bad))
                elif missing:
                    why = "name(s) not in any passage: " + ", ".join(missing)
                elif said_by and any(ok([i], speaker=False) for i in ranked):
                    why = f"it says {said_by} said it; the passage that supports it does not name {said_by}"
                checks.append(Check("claim_removed", why, claim.text, "removed"))
                continue
            checks.append(Check("reattributed", f"cited {valid or 'nothing'}, supported by [{alt}]", claim.text, "reattributed"))
            keep = [alt]
        else:
            # cite the passage that supports the claim best, not merely one that passes
            best_cited = max(scored[i][2] for i in keep)
            better = sorted((i for i in scored if i not in keep and scored[i][2] > best_cited + cite_margin), key=lambda i: -scored[i][2])
            alt = next((i for i in better if ok([i])), None)
            if alt is not None:
                checks.append(Check("reattributed", f"cited {keep}, supported better by [{alt}] ({scored[alt][2]:.2f} vs {best_cited:.2f})", claim.text, "reattributed"))
                keep = [alt]
            else:
                weak = [i for i in keep if scored[i][2] < best_cited - cite_margin and len(keep) > 1]
                if weak and ok([i for i in keep if i not in weak]):
                    checks.append(Check("marker_unsupported", f"passage(s) {weak} support the claim less than {[i for i in keep if i not in weak]}", claim.text, "removed"))
                    keep = [i for i in keep if i not in weak]
        denied = next((d for i in keep if (d := denies_claim(claim.text, passages[i - 1].text[slice(*scored[i][1])]))), None)
        if denied:
            checks.append(Check("claim_removed", f"its cited sentence says the opposite (\"{denied}\")", claim.text, "removed"))
            continue
        turned = wrong_mood(claim.text, _number_sentences(claim.text, [passages[i - 1] for i in keep], language, scorer), language)
        if turned:
            checks.append(Check("claim_removed", f"it gives its number as {turned}; the sentence it comes from says otherwise", claim.text, "removed"))
            continue
        if kept_vecs and max(float(vec @ k) for k in kept_vecs) > 0.97:
            checks.append(Check("claim_duplicate", "repeats an earlier sentence", claim.text, "removed"))
            continue
        if len(out_sentences) + (pending is not None) >= MAX_CLAIMS:  # a held header needs room for an item
            checks.append(Check("claim_trimmed", f"answers keep at most {MAX_CLAIMS} sentences", claim.text, "removed"))
            continue
        if pending is not None:
            if claim.item:
                emit(*pending)
            else:
                drop_header(pending[0])
            pending = None
        if _LIST_HEAD.search(claim.text):
            pending = (claim, vec, keep, scored)  # kept only if a list item survives after it
            continue
        emit(claim, vec, keep, scored)
    if pending is not None:
        drop_header(pending[0])
    # the quote is the sentence of the claim the passage supports best; every claim's sentence is a span
    citations = [citation(i, passages[i - 1], cites[i][1], quoted[i]) for i in sorted(cites)]
    return Verified(" ".join(out_sentences), citations, checks, len(out_sentences), len(claims), supports)


# The question asks for a figure: an answer without one does not answer it.
ASKS_FIGURE = re.compile(
    r"\b(wie ?viel(?:e|en)?|wie hoch|welchen anteil|welche summe|how many|what share|what percentage)\b", re.I
)


# number words text2num leaves as words when they stand alone ("zwei Soldaten"), and vague counts;
# not "ein"/"one", which are mostly articles
_CARDINALS = (r"zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|"
              r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve")
_NUMBER_WORDS = re.compile(rf"\b({_CARDINALS}|dutzend\w*|hunderte\w*|tausende\w*|dozens?|hundreds|thousands)\b", re.I)


# The question asks for a share, which a count does not give ("Welchen Anteil des Haushalts …?"
# was answered with "600.000 Opfer"): the answer needs a percentage or a fraction
ASKS_SHARE = re.compile(
    r"\b(welche[nrs]?\s+(anteil|prozentsatz)|wie (hoch|groß) ist der anteil|wie ?viele? prozent|"
    r"what (share|percentage|proportion|fraction))\b",
    re.I,
)
# before "Prozent" or a fraction: the cardinals, "ein"/"one" (an article elsewhere) and the tens
_NUMBER_WORD = rf"{_CARDINALS}|ein|eine|one|zwanzig|dreißig|vierzig|fünfzig|twenty|thirty|forty|fifty"
# a share: a number with a percent sign or word, a fraction with its article or number, or a half
# ("China warned third parties" and "im dritten Quartal" are none)
_SHARE = re.compile(
    rf"(\d[\d.,]*|\b(?:{_NUMBER_WORD}))\s*(%|prozent\w*\b|percent(age)?\b|per cent\b)|"
    rf"\b(?:{_NUMBER_WORD}|die|der|a|an)\s+(hälfte|drittel|viertel|fünftel|zehntel|thirds?|quarters?|fifths?|tenths?)\b|"
    r"\b(hälfte|half)\b",
    re.I,
)


def states_share(text: str) -> bool:
    return bool(_SHARE.search(text))


def lacks_asked_figure(question: str, answer_text: str, language: str) -> bool:
    """True when `question` asks how many/how much and `answer_text` states no number
    (or asks for a share and it states none)."""
    text = strip_markers(answer_text)
    if ASKS_SHARE.search(question):
        return not states_share(text)
    return bool(ASKS_FIGURE.search(question)) and not numbers_in(text, language) and not _NUMBER_WORDS.search(text)


_HOW_MANY = re.compile(r"\b(?:wie ?viel(?:e|en)?|how many)\s+((?:[\w-]+\s+){0,2}[\w-]+)", re.I)
# a count: digits not ending in "." (so "3. Oktober", a date, is none) and the words after
_COUNT = re.compile(r"\d[\d.,\u00a0]*(?<![.,])((?:\s+[\w-]+){1,4})")


# "die Zahl der russischen Opfer", "die Gesamtzahl an Soldaten": what the sentence's number counts
_NUMBER_OF = re.compile(r"\b\w*[Zz]ahl\s+(?:der|an|von)\s+((?:[\w-]+\s+){0,2}[\w-]+)")
# a count anywhere after it, also at the end of the sentence ("… liegt bei 600.000.")
_ANY_COUNT = re.compile(r"\d[\d.,\u00a0]*\d|\d")
# nationalities, by adjective or demonym (not the country: "in die Ukraine" names no one counted)
_NATIONALITY = {
    "ukrainian": r"ukrainisch\w*|ukrainer\w*|ukrainian\w*",
    "north korean": r"nordkoreanisch\w*|nordkoreaner\w*|north korean\w*",
    "south korean": r"südkoreanisch\w*|südkoreaner\w*|south korean\w*",
    "russian": r"russisch\w*|russen|russin\w*|russian\w*",
    "chinese": r"chinesisch\w*|chinesen|chinese",
    "iranian": r"iranisch\w*|iraner\w*|iranian\w*",
    "american": r"(?:us-)?amerikanisch\w*|amerikaner\w*|american\w*",
}
_NATIONALITY_RE = {k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in _NATIONALITY.items()}


# what befell soldiers is counted apart from the troops sent: the dead and wounded, those who
# defected, those taken prisoner ("Wie viele … sind übergelaufen?" is not answered by how many
# were sent to Kursk)
_FATES = [re.compile(rf"\b({words})\b", re.I) for words in (
    r"gefallen\w*|getötet\w*|gestorben\w*|starben|tote[nr]?|todesopfer\w*|opfer\w*|verlust\w*|verwundet\w*|"
    r"umgekommen\w*|ums leben|tot|ihr leben verloren|verloren ihr leben|killed|died|dead|deaths?|casualt\w*|wounded",
    r"überlauf\w*|übergelaufen\w*|überläufer\w*|überzulaufen|desert\w*|fahnenflucht\w*|defect\w*",
    r"gefangen\w*|kriegsgefangen\w*|gefangenschaft|festgenommen|captured|captive\w*|prisoners?",
)]


def asked_fates(question: str) -> list[re.Pattern]:
    """The fates a how-many question asks about, read in its how-many clause only (up to the
    first comma): "Wie viele Soldaten schickt Nordkorea, um Russlands Verluste auszugleichen?"
    counts soldiers sent, not losses."""
    m = ASKS_FIGURE.search(question)
    if not m:
        return []
    clause = re.split(r"[,;:?!]|\bin order to\b", question[m.start():], maxsplit=1)[0]  # German sets "…, um … zu" off by a comma
    return [rx for rx in _FATES if rx.search(clause)]


def misses_asked_fate(question: str, sentences: list[str]) -> bool:
    """A how-many question asks what befell soldiers (killed, defected, captured) and none of
    `sentences` (an answer's quotes) names that fate: its figure counts something else
    ("Wie viele … sind übergelaufen?" -> "3000 [1]" from "3000 bereits nach Russland gebrachten")."""
    return any(not any(rx.search(s) for s in sentences) for rx in asked_fates(question))


def nationalities(text: str) -> set[str]:
    return {k for k, rx in _NATIONALITY_RE.items() if rx.search(text)}


def _counted_words(phrase: str) -> set[str]:
    """The stems of what a "wie viele …" phrase counts: its nouns (capitalised in German) and
    nationality adjectives, not the verbs and particles that follow ("sind", "seit", "halten")."""
    words = [w for w in re.findall(r"[\w-]+", phrase) if w[:1].isupper() or nationalities(w)]
    return word_stems(" ".join(words))


def counts_asked(question: str, sentence: str, language: str = "de") -> bool | None:
    """Does `sentence` hold a number of what the question counts? ("Wie viele Drohnen hat …?":
    a number followed within four words by a noun named after "wie viele", or a number after
    "die Zahl der <noun>"; a count that names another nationality than the question, e.g.
    North Korean soldiers for "wie viele ukrainische Soldaten", is not one). Years count
    nothing. None when the question is no German "wie viele X" question or names no noun
    there (an English question's nouns are not the German articles' words, so its counted
    thing cannot be matched this way)."""
    m = _HOW_MANY.search(question)
    if not m or language != "de":
        return None
    asked = _counted_words(m.group(1))
    if not asked:
        return None
    asked_nat = nationalities(m.group(1))

    if misses_asked_fate(question, [sentence]):
        return False

    def names_it(words: str) -> bool:
        return bool(asked & word_stems(words)) and not _other_nationality(asked_nat, words)

    if any(names_it(c.group(1)) and not is_year(c.group(0).split()[0]) for c in _COUNT.finditer(sentence)):
        return True
    # "Die Zahl der russischen Opfer … wird auf mehr als 600.000 geschätzt": named before the number
    return any(
        names_it(z.group(1)) and any(not is_year(n.group(0)) for n in _ANY_COUNT.finditer(sentence, z.end()))
        for z in _NUMBER_OF.finditer(sentence)
    )


def _other_nationality(asked: set[str], words: str) -> bool:
    """`words` (what a number counts) name a nationality, and not the one asked."""
    return bool(asked and nationalities(words) - asked)


def counts_other(question: str, sentence: str, counted: str, language: str = "de") -> bool:
    """A figure counts something else than a German "wie viele X" question asks, by the two
    qualifiers `counts_asked` applies: a fate is asked (the dead, defectors, prisoners) and
    `sentence` does not name it, or `counted` (the words after the number) names another
    nationality. For the figures of a conflict list, whose counted noun is matched by
    synonyms (rag.conflicts.QUANTITIES)."""
    m = _HOW_MANY.search(question)
    if not m or language != "de":
        return False
    return misses_asked_fate(question, [sentence]) or _other_nationality(nationalities(m.group(1)), counted)


def _number_sentences(claim: str, passages: list[Passage], language: str, scorer: SupportScorer) -> list[str]:
    """The passages' sentences (as `scorer` split them) that state a count the claim gives (not a year)."""
    nums = {v for v in numbers_in(claim, language) if v >= 100 and not (1900 <= v <= 2100 and v == int(v))}
    if not nums:
        return []
    sentences = [p.text[a:b] for p in passages for a, b in scorer.sentences(p)[0]]
    return [s for s in sentences if nums & (numbers_in(s, "de") | numbers_in(s, "en"))]


def cite_span(cits: dict[int, Citation], n: int, p: Passage, span: tuple[int, int]) -> None:
    """Cite passage `p` as [n] for its sentence at `span` (passage offsets): a new citation,
    or one more sentence of the citation [n] already in `cits`."""
    if n in cits:
        cits[n].add_span(p.start + span[0], p.start + span[1])
    else:
        cits[n] = citation(n, p, span)


def citation(n: int, p: Passage, span: tuple[int, int], more: Sequence[tuple[int, int]] = ()) -> Citation:
    """Passage `p` cited as [n] for its sentence at `span` (offsets in the passage), and for
    the sentences at `more` too."""
    a, b = span
    c = Citation(
        n=n, doc_id=p.doc_id, title=p.title, outlet=p.outlet, author=p.author, date=p.date, kind=p.kind,
        text=p.text, quote=p.text[a:b], start=p.start + a, end=p.start + b, passage_start=p.start, passage_end=p.end,
        spans=[(p.start + a, p.start + b)],
    )
    for x, y in more:
        c.add_span(p.start + x, p.start + y)
    return c


# words that carry no answer when an answer restates its question: bm25s's German and English
# stop words (already a dependency for BM25), less negations, which change an answer
_NEGATIONS = {"nicht", "kein", "keine", "keinen", "keiner", "keinem", "keines", "no", "not", "nein", "nor", "never"}
_PREFIX = re.compile(r"(Laut|According to) (dem|der|the) [^:]{0,120}:\s*")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_GERMAN

    extra = "wurde wurden worden name named called konkret"
    return frozenset((set(STOPWORDS_GERMAN) | set(STOPWORDS_EN_PLUS) | set(extra.split())) - _NEGATIONS)


def _content(text: str) -> set[str]:
    words = [w for w in re.findall(r"\w+", text.lower()) if w not in _stopwords() and not w.isdigit()]
    return set(_stemmer().stemWords(words))


# "… der wahre Aggressor … ist und nicht Russland": the noun a negation denies (after an
# optional article; capitalised, the passages being German: "kann … nicht gewinnen" denies a
# verb, and "Pjöngjang hat … nicht bestätigt, Südkorea aber" no act of Südkorea's), and the
# claim's own negations
_DENIED = re.compile(r"(?i:\b(?:nicht|kein\w{0,2}|not|no)\s+(?:(?:der|die|das|den|dem|des|ein\w{0,2}|the|a|an)\s+)?)([A-ZÄÖÜ][^\W\d_]{3,})")
_NEGATED = re.compile(r"\b(?:nicht|kein\w{0,2}|nie|niemals|not|no|never|nor|weder|neither)\b|n't\b", re.I)


def denies_claim(claim: str, sentence: str) -> str | None:
    """The word the cited sentence denies and the claim, without any negation, asserts
    ("Der wahre Aggressor ist Russland." over "… der wahre Aggressor … und nicht Russland"):
    the claim turns its source upside down. None when the claim negates anything itself
    (negations are then compared by nothing finer than this) or no denied word is in it.
    A narrow rule: "nicht"/"kein" anywhere in one of the two only, tried before, also hit
    right answers (docs/eval)."""
    if _NEGATED.search(claim):
        return None
    asserted = _content(claim)
    for m in _DENIED.finditer(sentence):
        word = m.group(1)
        if word.lower() not in _stopwords() and _content(word) & asserted:
            return m.group(0)
    return None


def adds_nothing(question: str, answer_text: str) -> bool:
    """The answer's words and figures are all the question's: "Welche Einheit wurde konkret
    nach Kursk geschickt?" answered "Die nordkoreanische Armee wurde konkret nach Kursk
    geschickt [1]." names no unit. The attribution prefixes the checks add do not count;
    "ja"/"yes" and negations do."""
    text = _PREFIX.sub("", strip_markers(answer_text))
    numbers = set(numbers_in(text, "de")) - set(numbers_in(question, "de"))
    return not (_content(text) - _content(question)) and not numbers and not re.search(r"\b(ja|yes)\b", text, re.I)
