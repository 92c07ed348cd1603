"""Who said what: a question asking what a named person said ("Was sagte Lloyd Austin
laut den Artikeln?", "What did Mark Rutte say …?") is answered with each article's own
sentence that names that person, under the model's answer.

Measured on the question set: the model answered such questions from one article
("Kyrylo Budanov wird in den Artikeln zitiert [2].") and a similarity pick of each
article's sentence (the views of `conflicts.py`) quoted sentences that do not name
the person at all. A sentence that names the speaker is the evidence of what the
speaker said, so here the name decides, not similarity.

The person is the last word of the question's first run of two or more capitalised
words ("US-Verteidigungsminister Lloyd Austin" -> "Austin", "NATO Secretary General
Mark Rutte" -> "Rutte"), not counting the question's capitalised first word, and not a
run after a preposition ("… say about North Korea?" names a topic). A single capitalised
word ("Was sagte Putin?") is not taken: German capitalises every noun, and a lone one is
no sign of a name. A sentence quoted must name the person and report speech (a
quotation, a verb of saying, "laut …"). Articles spell foreign names differently (Budanow in one, Budanov
in the machine-translated Foreign Policy piece), so names match by string similarity
(difflib, the standard library), not equality. A question that asks who said
something ("Wer sagte …?"), or where, when or why, is not asking for the words.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from .checks import NOT_NAMES, NAME_RUN

# the question asks what someone said, stated or was quoted with
ASKS_SAID = re.compile(
    r"\b(sagte\w*|sagen|sagt|gesagt|äußerte\w*|geäußert|erklärte\w*|zitiert\w*|says?|said|stated?|quoted|remarked)\b", re.I
)
# the question asks who did or said something: its answer is a person (also the fallback's
# rule for a second quote, rag/pipeline.py)
ASKS_WHO = re.compile(r"^\W*(und\s+|and\s+)?(wer|wem|wen|who|whom)\b", re.I)
# nor is a question that asks who said something ("Wer soll gesagt haben, China könne sich
# eine Niederlage Russlands nicht leisten?": the capitalised run is what was said; "Welcher
# Experte sagte …?"), or where, when or why ("Und wo hat Lloyd Austin das gesagt?"), answered
# by what the person said
_NOT_WHAT = re.compile(
    r"^\W*(und\s+|and\s+)?(von wem|wo|wann|warum|weshalb|wieso|where|when|why)\b|"
    r"^\W*(welche[rsmn]?|which)\s+\w+\s+(hat\s+|has\s+|have\s+|wurde\s+)?(sagte|said|erklärte|äußerte|stated|zitiert)",
    re.I,
)
# a run after a preposition is what is spoken about, not who speaks ("What do the articles
# say about North Korea?", "Was sagte Austin über Kim Jong Un?")
_TOPIC_BEFORE = re.compile(
    r"\b(über|zu|zum|zur|von|vom|mit|gegen|in|im|nach|für|aus|an|bei|about|on|regarding|of|with|against|to|for|from|at)\s*$", re.I
)
_WORD = re.compile(r"[A-ZÄÖÜ][\w'’-]+")
MIN_NAME = 4  # shorter surnames ("Li", "Ma") would match too much prose
SIMILAR = 0.85  # "Budanow" ~ "Budanov" (0.86); "Austin" ~ "Austria" (0.77) is not the same name
# the sentence reports speech: a quotation, a verb of saying, or "laut …"/"according to"
_SPEECH = re.compile(
    r"[„“”\"«»]|\b(sag\w*|gesagt|erklär\w*|äußer\w*|geäußert|beton\w*|warn\w*|klagt\w*|meint\w*|sprach|spricht|"
    r"bezeichn\w*|zitiert\w*|laut|zufolge|so\s+[A-ZÄÖÜ]\w+|says?|said|stated?|warned|told|according)\b"
)


def speaker(question: str) -> str | None:
    """The surname of the person whose words the question asks for, or None."""
    if not ASKS_SAID.search(question) or ASKS_WHO.search(question) or _NOT_WHAT.search(question):
        return None
    opening = len(question) - len(question.lstrip())
    for m in NAME_RUN.finditer(question):
        words = m.group(0).split()
        if m.start() == opening:
            words = words[1:]  # "Hat Lloyd Austin …": the question's first word is capitalised anyway
        if len(words) < 2 or _TOPIC_BEFORE.search(question[: m.start()]):
            continue
        if len(words[-1]) >= MIN_NAME:
            return words[-1]
    return None


def _norm(name: str) -> str:
    return name.lower().replace("w", "v")  # Budanow/Budanov, Peskow/Peskov


def _same_name(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return bool(a) and bool(b) and a[0] == b[0] and (a == b or SequenceMatcher(None, a, b).ratio() >= SIMILAR)


def names(sentence: str, surname: str) -> bool:
    """Whether `sentence` names `surname`: spelt alike ("Budanov" for "Budanow"), inflected
    ("Austins", "Rutte's") or as part of a double name ("Kramp-Karrenbauer" for "Karrenbauer")."""
    for word in _WORD.findall(sentence):
        forms = {word, re.sub(r"(['’]s|s)$", "", word), *word.split("-")}
        if any(len(w) >= MIN_NAME and _same_name(w, surname) for w in forms):
            return True
    return False


def reports_speech(sentence: str) -> bool:
    """A quotation, a verb of saying or "laut X": what the person said, not only that they exist."""
    return bool(_SPEECH.search(sentence))


# a claim that says who spoke: "<Name> sagte/findet/said …", "…, sagte <Name>", "laut <Name>"
_SAYS = (r"sagte\w*|sagt|gesagt|erklärte\w*|erklärt|findet|fand|glaubt\w*|meint\w*|betont\w*|warnt\w*|fordert\w*|"
         r"kritisiert\w*|schreibt|schrieb|argumentiert\w*|bezeichnet\w*|sieht|sah|says|said|stated?|states|believes|"
         r"argues|argued|warns|warned|writes|wrote|told|calls|called|thinks|claims|claimed")
_SAYS_AFTER = re.compile(rf"^\s*(?:\([^)]{{1,30}}\)\s*)?,?\s*(?:{_SAYS}|zufolge)\b", re.I)
_SAYS_BEFORE = re.compile(rf"\b(?:{_SAYS}|laut|according to|nach ansicht von|so)\s*$", re.I)
# words of a capitalised run that are no part of a name: the checks' leading words, articles,
# prepositions ("Am Montag sagte …"), days and months
_NOT_NAME = NOT_NAMES | set(
    "according den dem des so the a an als and am im auf aus bei vom zum zur "
    "beim in on at by from of montag dienstag mittwoch donnerstag freitag samstag sonntag monday tuesday wednesday "
    "thursday friday saturday sunday januar februar märz april mai juni juli august september oktober november dezember "
    "january february march june july october december".split()
)


def claimed_speaker(claim: str) -> str | None:
    """The surname of the person a claim says spoke ("Roderich Kiesewetter sagte, dass …",
    "…, findet Nico Lange", "Laut Andrei Lankov …", "Kori Schake argues …"), or None. A name
    is a run of two or more capitalised words, as in `speaker`."""
    for m in NAME_RUN.finditer(claim):
        words = [w for w in m.group(0).split() if w.lower() not in _NOT_NAME]
        if len(words) < 2 or len(words[-1]) < MIN_NAME or words[-1].lower() in _NOT_NAME:
            continue
        led = m.group(0).split()[0].lower() in ("laut", "according")
        if led or _SAYS_AFTER.match(claim[m.end():]) or _SAYS_BEFORE.search(claim[: m.start()]):
            return re.sub(r"(['’]s)$", "", words[-1])
    return None


def _open_at(text: str, pos: int) -> bool:
    """Whether a quotation is open at `pos` of `text` (German „…“ or straight quotes)."""
    before = text[:pos]
    return before.count('"') % 2 == 1 or before.count("„") > before.count("“")


def whole_quote(spans: list[tuple[int, int]], span: tuple[int, int], text: str, most: int = 2) -> tuple[int, int]:
    """`span` extended over neighbouring sentences (at most `most` each way) while a
    quotation is open at its end or at its start: the sentence splitter cuts 'bedeckt: "Was
    genau tun sie dort? Das bleibt abzuwarten"' after the question mark, and half a
    quotation misquotes the speaker. Quote marks are counted from the start of `text` (the
    chunk), so a sentence that closes a quotation is not taken for one that opens it."""
    if span not in spans:
        return span
    k = i = j = spans.index(span)
    while _open_at(text, spans[j][1]) and j - k < most and j + 1 < len(spans):
        j += 1
    while _open_at(text, spans[i][0]) and k - i < most and i > 0:
        i -= 1
    return spans[i][0], spans[j][1]
