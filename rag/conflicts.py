"""Conflicting sources, found in code rather than left to the model.

Figures: a number followed by what it counts ("12.000 Soldaten", "3,000 troops").
When the retrieved passages give different numbers for the same thing, and the
question asks for that thing, the answer lists every figure with its source and
date side by side instead of letting the model pick one.

Views: when the question asks how the sources differ ("Wie bewerten die Autoren
das unterschiedlich?", "How do the articles differ?"), each retrieved article's
sentence closest to the question is quoted under its author, outlet, kind and
date, so the reader sees who says what, not one blended answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.chunking import split_sentences

from .agencies import NamedSource, asked_source
from .mood import is_count, is_plan
from .numbers import is_year, numbers_in
from .speakers import reports_speech
from .types import Passage

# What is counted, by stem, in German and English; a question must name one of
# them for its figures to be compared. Kept small on purpose: each entry is a
# quantity the corpus reports with conflicting numbers.
QUANTITIES = {
    "soldiers": ("soldat", "truppe", "mann ", "kämpfer", "soldier", "troop", "militär", "men ", "nordkoreaner"),
}
# words that say a number counts something else than the noun after them
UNITS = {"millionen", "million", "mio", "milliarden", "milliarde", "mrd", "billion", "dollar", "euro", "rubel", "prozent",
         "percent", "kilometer", "km", "tonnen", "tons", "jahre", "jahren", "monate", "monaten", "tage", "tagen", "years", "months", "days"}
# things the articles count that are not soldiers: a number before them counts them
OTHER_COUNTED = {"raketen", "drohnen", "panzer", "granaten", "geschosse", "artilleriegeschosse", "flugzeuge", "waffen",
                 "fahrzeuge", "schiffe", "missiles", "rockets", "drones", "tanks", "shells", "weapons"}
# a number and the (up to) five words after it ("3000 bereits nach Russland gebrachten Soldaten"): "30.000 nordkoreanische Soldaten"
_FIGURE = re.compile(r"(\d{1,3}(?:[.,\u00a0 ]\d{3})+|\d+)(?=((?:\s+[\w-]+){1,5}))", re.U)  # words not consumed: a next figure stays findable
# the question asks how the sources differ or whether they contradict each other
ASKS_COMPARISON = re.compile(
    r"(\bunterschiedlich\b|wie unterschiedlich|unterscheid\w* sich|sich \w+ \w+ unterscheid|widersprech|widersprich|widerspr[üu]ch|"
    r"gehen auseinander|\buneinig|\beinig\b|verschiedenen? (quellen|artikel|autoren|berichte|angaben)|"
    r"\bdiffer\b|disagree|contradict|\bcompare\b|different (views|sources|articles|numbers|figures|accounts))",
    re.I,
)
# the question names whose figure it wants ("laut NIS", "according to Ukraine"): that
# source's figure is the answer, other sources' figures are not listed unless asked
NAMES_SOURCE = re.compile(r"\b(laut|zufolge|nach angaben|according to)\b", re.I)
MAX_VIEWS = 4
ASKS_QUANTITY = re.compile(r"\b(wie ?viele|anzahl|zahl|how many|number of|figures?|zahlen|angaben)\b", re.I)


_MONTHS = ("januar|january", "februar|february", "märz|march", "april", "mai|may", "juni|june", "juli|july",
           "august", "september", "oktober|october", "november", "dezember|december")
_MONTH = "|".join(_MONTHS)
# "im Oktober 2024", "Ende Oktober 2024", "bis Oktober 2024", "in October 2024": the moment a
# question asks about. Not "seit/since/zwischen … Oktober 2024", which asks about a period that
# later sources cover; not a month without a year (too vague to compare with the sources' dates)
_AT_MONTH_YEAR = re.compile(rf"\b(?:im|in|ende|anfang|mitte|bis|by|during|early|late|end of)\s+({_MONTH})\s+((?:19|20)\d\d)\b", re.I)
# in a sentence, capitalised only: "may" is a verb, "May" the month
_MONTH_YEAR = re.compile(rf"\b({'|'.join(n.capitalize() for names in _MONTHS for n in names.split('|'))})\b(?:\s+((?:19|20)\d\d)\b)?")


def _month_number(name: str) -> int:
    return next(i for i, names in enumerate(_MONTHS, 1) if name.lower() in names.split("|"))


def asked_month(question: str) -> tuple[int, int] | None:
    """(year, month) when the question asks about a moment given by month and year."""
    m = _AT_MONTH_YEAR.search(question)
    return (int(m.group(2)), _month_number(m.group(1))) if m else None


def names_month(sentence: str, month: tuple[int, int]) -> bool:
    """The sentence names the month, with that year or none ("Ende Oktober waren es schon …")."""
    return any(_month_number(m.group(1)) == month[1] and (not m.group(2) or int(m.group(2)) == month[0])
               for m in _MONTH_YEAR.finditer(sentence))


def _published_after(date: str, month: tuple[int, int]) -> bool:
    """The source's date ("2025-07-23", "2024-10") lies in a later month; unknown dates do not."""
    m = re.match(r"(\d{4})-(\d{2})", date or "")
    return bool(m) and (int(m.group(1)), int(m.group(2))) > month


@dataclass
class Figure:
    value: float
    quantity: str
    passage: int  # 1-based index into the passages
    sentence: str
    start: int  # sentence offsets within the passage text
    end: int
    counted: str = ""  # the words from the number to the counted noun ("nordkoreanische Soldaten")
    before: str = ""  # the sentence before it in its passage (who gives a figure is often said there)


def _quantity(noun: str) -> str | None:
    noun = noun.lower() + " "
    for name, stems in QUANTITIES.items():
        if any(noun.startswith(s.strip()) if not s.endswith(" ") else noun == s for s in stems):
            return name
    return None


def figures(passages: list[Passage]) -> list[Figure]:
    out = []
    for i, p in enumerate(passages, 1):
        prev = ""
        for span in split_sentences(p.text):
            sent, before, prev = p.text[span.start : span.end], prev, p.text[span.start : span.end]
            for m in _FIGURE.finditer(sent):
                q, words = None, []
                for w in m.group(2).split():
                    if w[:1].isdigit() or w.lower().rstrip(".,") in UNITS or w.lower() in OTHER_COUNTED:
                        break  # "500 Millionen Dollar Militärhilfe" counts dollars; "300 Raketen auf die Truppen" rockets
                    words.append(w)
                    if q := _quantity(w):
                        break
                if not q:
                    continue
                vals = [v for v in numbers_in(m.group(1), "de") if v >= 100]  # counts, not dates or ranks
                for v in vals:
                    if is_year(m.group(1)):
                        continue
                    out.append(Figure(v, q, i, sent.strip(), span.start, span.end, " ".join(words), before.strip()))
    return out


def asked_quantities(question: str) -> set[str]:
    """What the question counts: a quantity named within six words after "wie viele",
    "how many", "Zahl der" … ("How many observers … North Korean troops" counts observers)."""
    out = set()
    for m in ASKS_QUANTITY.finditer(question):
        for w in re.findall(r"[\w-]+", question[m.end() :])[:6]:
            if q := _quantity(w):
                out.add(q)
    return out


def find_conflicts(question: str, passages: list[Passage], source: NamedSource | None = None) -> list[Figure]:
    """Figures for the quantity the question asks about, when the passages disagree.

    A question that asks for one named source's figure ("laut südkoreanischem Geheimdienst",
    "South Korea's NIS says"; `source`, else read from the question) gets only the figures
    whose sentence names that source, or whose sentence names no speaker and the one before
    it names the source (rag/agencies.py): from one article too, and even one figure alone
    (the pipeline decides whether to show it). One that names its source in a way not read
    there, or by one word only ("laut der Ukraine"), gets none."""
    if not ASKS_QUANTITY.search(question):
        return []
    named = figure_source(question, source)
    if named is None and not asks_comparison(question) and NAMES_SOURCE.search(question):
        return []
    if named is not None and not named.specific:
        return []
    asked = asked_quantities(question)
    # a headline ("Angeblich 3000 nordkoreanische Soldaten in Russland") is a shortened body
    # sentence that says neither who claims the figure nor where it was counted: it is not
    # listed as a source's figure ("deployed to Kursk" was answered with it, q037)
    figs = [f for f in figures(passages) if f.quantity in asked and not is_headline(f.sentence)]
    if named is not None:
        named = named.expanded([p.text for p in passages])
        figs = [f for f in figs if named.named_in(_attribution(f))]
    # a question about a plan ("will oder könnte … schicken") is not answered by a count of
    # troops there, nor one about what is ("schon in Russland", "were deployed") by a plan or
    # a guess ("könnte demnächst 30.000 weitere entsenden"); a question that says neither
    # ("Wie viele Soldaten schickt Nordkorea?") or both gets both. Read on the whole sentence:
    # one that reports a count and a plan together counts as a plan
    plans, facts = is_plan(question), is_count(question)
    if plans != facts:  # a question that asks both ("were announced", "schon da, und wie viele folgen?") gets both
        figs = [f for f in figs if is_plan(f.sentence) == plans]
    # "im Oktober 2024 schon in Russland": a source published months later counts a later state
    # ("schickte Kim im vergangenen Jahr etwa 14.000", July 2025, q036) unless its sentence names the month
    month = asked_month(question)
    if month:
        figs = [f for f in figs if not _published_after(passages[f.passage - 1].date, month)
                or names_month(f.sentence, month)]
    if len({f.value for f in figs}) < (1 if named else 2):
        return []
    # one entry per (figure, source article)
    chosen: dict[tuple, Figure] = {}
    for f in figs:
        chosen.setdefault((f.value, passages[f.passage - 1].doc_id), f)
    # sources that disagree: one article's figures for different moments are no conflict
    # (a question that names its article is answered from that article alone); one named
    # source's figures are what was asked, from one article or several
    if not named and len({passages[f.passage - 1].doc_id for f in chosen.values()}) < 2:
        return []
    return list(chosen.values())


def figure_source(question: str, source: NamedSource | None = None) -> NamedSource | None:
    """The source whose figures `question` asks for: `source` (one a follow-up keeps from the
    question before), else the one it names; None for a question that compares sources."""
    return None if asks_comparison(question) else source or asked_source(question)


def _attribution(f: Figure) -> str:
    """Who gives the figure: its sentence when that reports speech ("Die Ukraine spricht von
    30.000"), else the sentence before it too (attribution often comes first: "… die vom NIS
    veröffentlichten Erkenntnisse" / "Demnach will Pjöngjang bis zu 12.000 …")."""
    return f.sentence if reports_speech(f.sentence) else f"{f.before} {f.sentence}"


def is_headline(sentence: str) -> bool:
    """A title or a question, not a statement: it does not end in a full stop."""
    return not sentence.rstrip("“”\"'» )").endswith((".", "!"))


def on_question(figs: list[Figure], question_vec, passages: list[Passage], scorer, margin: float, stems: set[str]) -> list[Figure]:
    """`figs`, or only the best one when the question asks for that one figure: its sentence
    ranks (similarity + word overlap with the question, as the checks rank quotes) more than
    `margin` above the sentence of every other figure. "How many additional soldiers were
    announced in June?" is answered by the June figure, not by every troop count of the
    articles; where the ranks lie close, the sources disagree on the same thing and all are
    listed. (A cut inside the list was measured first: sentence similarity is too noisy
    for it; it dropped the NIS 12,000 from "how many will North Korea send in total?")
    `scorer` is the checks' SupportScorer (cached sentence vectors)."""
    rank = {}
    for f in figs:
        if f.passage not in rank:
            rank[f.passage] = {span: r for r, _, span in scorer.ranked(question_vec, passages[f.passage - 1], stems)}
    scored = sorted(figs, key=lambda f: -rank[f.passage].get((f.start, f.end), -1.0))
    top = scored[0]
    runner_up = next((f for f in scored if f.value != top.value), None)
    if runner_up is None:
        return figs
    gap = rank[top.passage].get((top.start, top.end), -1.0) - rank[runner_up.passage].get((runner_up.start, runner_up.end), -1.0)
    return [top] if gap > margin else figs


def source_label(p: Passage) -> str:
    """'DW (Deutsche Welle), report, 2024-10'; the author stands in for an unnamed outlet."""
    who = p.outlet if p.outlet and p.outlet != "unknown" else p.author
    return ", ".join(x for x in (who, p.kind, p.date) if x and x != "unknown")


def author_label(p: Passage) -> str:
    """'Kori Schake (Foreign Policy (via IPPEN.MEDIA), machine-translated, 2024-11-05)': who says it."""
    known = lambda x: bool(x) and x != "unknown"  # noqa: E731
    rest = ", ".join(x for x in (p.outlet, p.kind, p.date) if known(x) and x != p.author)
    if known(p.author) and p.author != p.outlet and not p.author.startswith(p.outlet.split(" ")[0]):
        return f"{p.author} ({rest})" if rest else p.author
    return source_label(p)


@dataclass
class View:
    passage: int  # 1-based index into the passages
    sentence: str
    start: int  # sentence offsets within the passage text
    end: int


def asks_comparison(question: str) -> bool:
    return bool(ASKS_COMPARISON.search(question))


def topic_of(question: str) -> str:
    """The question less its "how do the sources differ?" part, which says nothing of the topic."""
    parts = [x for x in re.split(r"(?<=[?.!])\s+", question.strip()) if x]
    kept = [x for x in parts if not ASKS_COMPARISON.search(x)]
    return " ".join(kept) if kept else question


def source_views(question: str, passages: list[Passage], scorer, min_similarity: float,
                 cited: dict[int, tuple[int, int]] | None = None, min_score: float = 0.0) -> list[View]:
    """For each article among `passages` (best-ranked first), its sentence closest to the question's topic.

    `scorer` is the checks' SupportScorer: cached sentence vectors, ranked by
    similarity plus word overlap. Sentences that address an assistant, fragments
    under 25 characters, headlines and sentences under `min_similarity` are never picked,
    nor, unless the answer cites them, sentences of a passage retrieval scored under `min_score`.
    `cited` (passage number -> sentence span in it): the sentences the answer above
    already quotes; an article the answer cites is shown with that sentence (the same
    limits apply; a sentence that addresses an assistant is never in `sims`), which the
    checks found to support a claim on the question, rather than with one picked by
    similarity alone (that picked e.g. "Weder Russland noch Nordkorea haben die Vorgänge
    bislang offiziell bestätigt" for "is the cooperation meant to last?").
    """
    from .checks import word_stems

    topic = topic_of(question)
    qvec = scorer.encode([topic])[0]
    stems = word_stems(topic)
    best: dict[str, tuple[float, View]] = {}
    for i, span in sorted((cited or {}).items()):
        p = passages[i - 1]
        sims = {sp: sim for _, sim, sp in scorer.ranked(qvec, p, stems)}
        if p.doc_id not in best and span in sims and span[1] - span[0] >= 25 and sims[span] >= min_similarity:
            best[p.doc_id] = (float("inf"), View(i, " ".join(p.text[span[0] : span[1]].split()), *span))
    for i, p in enumerate(passages, 1):
        if p.score < min_score:  # the answer's cited sentences were taken above
            continue
        for rank, sim, (a, b) in scorer.ranked(qvec, p, stems):
            # a headline ("Peking warnt vor Einmischung Dritter in Ukraine-Krieg") is no
            # article's assessment: it is shortened and names no one who holds it
            if b - a < 25 or sim < min_similarity or is_headline(p.text[a:b]):
                continue
            if p.doc_id not in best or rank > best[p.doc_id][0]:
                best[p.doc_id] = (rank, View(i, " ".join(p.text[a:b].split()), a, b))
    order = list(dict.fromkeys(p.doc_id for p in passages))
    views = [best[d][1] for d in order if d in best][:MAX_VIEWS]
    return views if len(views) >= 2 else []


def views_side_by_side(views: list[View], passages: list[Passage], language: str) -> str:
    head = "Was die einzelnen Quellen dazu sagen:" if language == "de" else "What each source says (quoted in German):"
    lines = [head]
    for v in views:
        lines.append(f"- {author_label(passages[v.passage - 1])}: „{v.sentence}“ [{v.passage}]")
    return "\n".join(lines)


def side_by_side(figs: list[Figure], passages: list[Passage], language: str, named: bool = False) -> str:
    """Each figure with who gives it; `named`: the figures of the one source the question names."""
    if named:
        one = len({f.value for f in figs}) == 1
        if language == "de":
            head = "Die Zahl der genannten Quelle in den Artikeln:" if one else "Die Zahlen der genannten Quelle in den Artikeln:"
        else:
            head = "The named source's figure in the articles:" if one else "The named source's figures in the articles:"
    else:
        head = "Die Quellen nennen unterschiedliche Zahlen:" if language == "de" else "The sources give different figures:"
    lines = [head]
    for f in sorted(figs, key=lambda f: (passages[f.passage - 1].date, f.value)):
        p = passages[f.passage - 1]
        num = f"{f.value:,.0f}".replace(",", "." if language == "de" else ",")
        lines.append(f"- {num}, {author_label(p)}: „{f.sentence}“ [{f.passage}]")
    return "\n".join(lines)
