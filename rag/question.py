"""The question, parsed once: what it asks for, in which language, from whom, and when.

Every later step (retrieval, generation, checks, figure and view lists, abstention) reads
this object instead of reading the question text again. Parsing is by the question words
of the question's language (rag/language/de.py, en.py) and by the corpus's own metadata
(which articles a question names); nothing here knows a topic.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from .language import Lexicon, lexicon
from .language.text import stem, terms, words


class Kind(StrEnum):
    FACT = "fact"  # what / which / anything else
    WHO = "who"
    WHEN = "when"
    WHERE = "where"
    HOW_MANY = "how_many"  # a figure: how many, how much, how high
    SHARE = "share"  # a percentage or fraction
    WHY = "why"
    YES_NO = "yes_no"
    SAID = "said"  # what a named person said
    COMPARE = "compare"  # how the sources differ


@dataclass(frozen=True)
class TimeScope:
    """A moment the question asks about ("im Oktober 2024", "by November 2024") or a period
    from it on ("seit Oktober 2024"); month None: the whole year."""

    year: int
    month: int | None = None
    since: bool = False

    def after(self, date: str) -> bool:
        """A source dated `date` ("2025-07-23", "2024-10", "2024") was published after this
        moment (never for a period, nor for an unknown date)."""
        m = re.match(r"(\d{4})(?:-(\d{2}))?", date or "")
        if self.since or not m:
            return False
        y, mo = int(m.group(1)), int(m.group(2) or 0)
        if self.month is None:
            return y > self.year
        return (y, mo) > (self.year, self.month) if mo else y > self.year


@dataclass(frozen=True)
class Question:
    text: str  # as asked (cleaned)
    language: str  # "de" | "en"
    kind: Kind
    standalone: str = ""  # a follow-up rewritten to stand alone (else the text)
    quantity: str = ""  # what a how-many question counts ("verletzte Menschen", "workers")
    named_docs: tuple[str, ...] = ()  # articles the question names by outlet or author
    source: str = ""  # a source named for what it says ("laut dem Verteidigungsministerium")
    speaker: str = ""  # the person whose words a "what did X say" question asks for
    time: TimeScope | None = None
    across: bool = False  # asks over all the articles
    which_noun: str = ""  # the noun a which-question asks for ("Artikel" in "Auf welchen Artikel …")
    terms: frozenset[str] = field(default_factory=frozenset)  # content stems of the standalone question
    # its terms less those that only say where to look (the source it names): what it asks about
    subject: frozenset[str] = field(default_factory=frozenset)

    @property
    def search(self) -> str:
        return self.standalone or self.text

    @property
    def lex(self) -> Lexicon:
        return lexicon(self.language)

    @property
    def compares(self) -> bool:
        return self.kind is Kind.COMPARE

    @property
    def asks_figure(self) -> bool:
        return self.kind in (Kind.HOW_MANY, Kind.SHARE)


# German capitalises nouns: the counted thing of "wie viele verletzte Menschen" is up to the
# first capitalised word; English: up to the first word that is a stop word (a verb or preposition)
_MAX_COUNTED = 4


_ADJECTIVE_ENDING = re.compile(r"(?:e|en|er|es|em)$")


def _counted(after: str, lex: Lexicon) -> str:
    """What follows "wie viele"/"how many" up to its noun: German adjectives (lower case, with an
    adjective ending) up to the first capitalised word; English words up to the first stop word.
    "" where a verb follows ("Wie weit liegt …", "how much is …")."""
    out = []
    for w in words(after)[:_MAX_COUNTED]:
        if w.lower() in lex.stop_words or w[:1].isdigit():
            break
        if lex.code == "de":
            if w[:1].isupper():
                return " ".join(out + [w])
            if not _ADJECTIVE_ENDING.search(w):
                return ""
        out.append(w)
    return "" if lex.code == "de" else " ".join(out)


def _noun_after(text: str, lex: Lexicon) -> str:
    """The counted noun of "die Zahl der …"/"the number of …": German, the first capitalised word
    not right after a stop word (a place after "in" is no noun counted); English, the words up
    to the first stop word."""
    ws = words(text)[:6]
    if lex.code != "de":
        out = []
        for w in ws:
            if w.lower() in lex.stop_words:
                break
            out.append(w)
        return " ".join(out)
    for i, w in enumerate(ws):
        if w[:1].isupper() and (i == 0 or ws[i - 1].lower() not in lex.stop_words):
            return w
    return ""


def _kind(q: str, lex: Lexicon) -> tuple[Kind, re.Match | None]:
    if lex.asks_comparison.search(q):
        return Kind.COMPARE, None
    if m := lex.asks_share.search(q):
        return Kind.SHARE, m
    if m := lex.asks_how_many.search(q):
        return Kind.HOW_MANY, m
    if lex.asks_when.search(q):
        return Kind.WHEN, None
    if lex.asks_where.search(q):
        return Kind.WHERE, None
    if lex.asks_why.search(q):
        return Kind.WHY, None
    if lex.asks_who.search(q):
        return Kind.WHO, None
    if lex.yes_no_start.search(q) and not lex.asks_which.search(q):
        return Kind.YES_NO, None
    return Kind.FACT, None


# a run of capitalised words: a person's name ("Anna Muster"), taken as the speaker's last word
_NAME_RUN = re.compile(r"\b[A-ZÄÖÜ][\w'’-]+(?:\s+[A-ZÄÖÜ][\w'’-]+)+")
# a run after a preposition is a topic, not a speaker ("Was sagte X über Y?", "say about Y")
_TOPIC_BEFORE = re.compile(r"\b(?:über|zu|zum|zur|von|vom|mit|gegen|in|im|nach|für|aus|an|bei|about|on|regarding|of|with|"
                           r"against|to|for|from|at)\s*$", re.I)
_MIN_NAME = 4  # shorter surnames would match too much prose


def _speaker(q: str, lex: Lexicon) -> str:
    """The surname of the person whose words the question asks for ("Was sagte X Y?" -> "Y")."""
    if not lex.asks_said.search(q) or any(rx.search(q) for rx in (lex.asks_who, lex.asks_where, lex.asks_when, lex.asks_why)):
        return ""  # who said it, or where, when, why: not the words themselves
    opening = len(q) - len(q.lstrip())
    for m in _NAME_RUN.finditer(q):
        run = m.group(0).split()
        if m.start() == opening:
            run = run[1:]  # the question's first word is capitalised anyway
        run = [w for w in run if w.lower() not in lex.stop_words]
        if len(run) >= 2 and not _TOPIC_BEFORE.search(q[: m.start()]) and len(run[-1]) >= _MIN_NAME:
            return re.sub(r"(['’]s)$", "", run[-1])
    return ""


def _source(q: str, lex: Lexicon) -> str:
    """Who the question names for what it says: "laut (dem) deutschen Wetterdienst" (lower-case
    words up to a run of capitalised ones), "according to Anna Muster" (up to a comma or a
    stop word), "dem Ministerium zufolge". "" for the articles themselves ("laut den Artikeln")."""
    m = lex.attribution.search(q)
    if not m:
        return ""
    if m.group(0).lower() == "zufolge":
        kept = re.split(r"[,;:]", q[: m.start()])[-1].split()[-3:]
        at = max((i for i, w in enumerate(kept) if w.lower() in lex.determiners), default=0)
        kept = kept[at:]  # "… sind dem Ministerium zufolge": from its article on
    else:
        kept = []
        for w in re.split(r"[,;:?!]", q[m.end():], maxsplit=1)[0].split()[:6]:
            capital = w[:1].isupper()
            if kept and kept[-1][:1].isupper() and not capital:
                break  # the name or noun ended
            if lex.code == "en" and w.lower() in lex.stop_words and kept:
                break
            kept.append(w)
    content = [w for w in kept if w.lower() not in lex.stop_words]
    corpus = {stem(n, lex.code) for n in lex.corpus_nouns}
    if not content or (kept and stem(kept[-1], lex.code) in corpus):
        return ""  # "laut den verschiedenen Artikeln": the articles themselves
    return " ".join(kept).strip()


def _time(q: str, lex: Lexicon) -> TimeScope | None:
    months = "|".join(lex.months)
    m = re.search(rf"\b({lex.since_time}|{lex.at_time})?\s*(?:({months})\s+)?((?:19|20)\d\d)\b", q, re.I)
    if not m or not (m.group(1) or m.group(2)):
        return None
    month = lex.months.index(m.group(2).lower()) + 1 if m.group(2) else None
    since = bool(m.group(1)) and re.fullmatch(lex.since_time, m.group(1), re.I) is not None
    return TimeScope(int(m.group(3)), month, since)


# "Auf welchen Artikel des Vertrags …", "Welcher Telegram-Kanal …": German which-questions name
# the thing asked for as the first capitalised word after "welche-" (adjectives are lower case)
_WHICH_NOUN = re.compile(r"^\s*(?:\w+\s+)?[Ww]elche[mnrs]?\s+(?:[a-zäöüß][\w-]*\s+){0,2}([A-ZÄÖÜ][\w-]{3,})(\s+\w+)?")


def _which_noun(q: str, lex: Lexicon) -> str:
    if lex.code != "de":
        return ""
    m = _WHICH_NOUN.search(q)
    if not m:
        return ""
    noun, after = m.group(1), (m.group(2) or "").strip().lower()
    # nouns for the articles themselves ask for a source, not for a thing they report; a
    # noun with a genitive after it ("Artikel des Abkommens") is the thing asked for
    if noun.lower() in lex.corpus_nouns and after not in ("des", "der", "eines", "einer"):
        return ""
    return noun


def parse(text: str, language: str, standalone: str = "", named_docs: tuple[str, ...] = (), named_as: tuple[str, ...] = ()) -> Question:
    """`text`: the cleaned question; `standalone`: its rewrite when it is a follow-up;
    `named_docs`: the articles it names, by the words `named_as` (rag/evidence/sources.py reads
    them from the corpus metadata)."""
    lex = lexicon(language)
    q = standalone or text
    kind, figure = _kind(q, lex)
    speaker = _speaker(q, lex)
    if speaker and kind in (Kind.FACT, Kind.YES_NO):
        kind = Kind.SAID
    if figure is None and kind is Kind.COMPARE:  # "how many …? How do the sources differ?"
        figure = lex.asks_share.search(q) or lex.asks_how_many.search(q)
    quantity = _counted(q[figure.end():], lex) if figure is not None else ""
    if figure is not None and not quantity and (m := lex.number_of.search(q)):
        quantity = _noun_after(q[m.start(1):], lex)  # "Wie hoch ist die Zahl der in X verletzten Menschen?"
    source = "" if named_docs else _source(q, lex)
    all_terms = terms(q, language)
    # words that say where to look (the source) or what kind of answer (verbs of saying: "Was
    # schreibt X über Y?" asks about Y) are no part of what the question is about
    saying = [w for w in words(q) if lex.asks_said.fullmatch(w) or lex.saying.fullmatch(w)]
    where = terms(" ".join((source, *named_as, *saying)), language)
    return Question(
        text=text, language=language, kind=kind, standalone=standalone if standalone != text else "", quantity=quantity,
        named_docs=tuple(named_docs), source=source, speaker=speaker, time=_time(q, lex),
        across=bool(lex.asks_across.search(q)), which_noun=_which_noun(q, lex), terms=all_terms,
        subject=all_terms - where,  # empty for "Was sagt X?": anything X says answers it
    )
