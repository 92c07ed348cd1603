"""Conflicting figures between sources, found in code rather than left to the model.

A figure is a number followed by what it counts ("12.000 Soldaten", "3,000 troops").
When the retrieved passages give different numbers for the same thing, and the
question asks for that thing, the answer lists every figure with its source and
date side by side instead of letting the model pick one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.chunking import split_sentences

from .numbers import numbers_in
from .types import Passage

# What is counted, by stem, in German and English; a question must name one of
# them for its figures to be compared. Kept small on purpose: each entry is a
# quantity the corpus reports with conflicting numbers.
QUANTITIES = {
    "soldiers": ("soldat", "truppe", "mann ", "kämpfer", "soldier", "troop", "militär", "men "),
}
_FIGURE = re.compile(r"(\d{1,3}(?:[.,\u00a0 ]\d{3})+|\d+)\s+(?:\w+\s+){0,2}?(\w+)", re.U)
ASKS_QUANTITY = re.compile(r"\b(wie ?viele|anzahl|zahl|how many|number of|figures?|zahlen|angaben)\b", re.I)


@dataclass
class Figure:
    value: float
    quantity: str
    passage: int  # 1-based index into the passages
    sentence: str
    start: int  # sentence offsets within the passage text
    end: int


def _quantity(noun: str) -> str | None:
    noun = noun.lower() + " "
    for name, stems in QUANTITIES.items():
        if any(noun.startswith(s.strip()) if not s.endswith(" ") else noun == s for s in stems):
            return name
    return None


def figures(passages: list[Passage]) -> list[Figure]:
    out = []
    for i, p in enumerate(passages, 1):
        for span in split_sentences(p.text):
            sent = p.text[span.start : span.end]
            for m in _FIGURE.finditer(sent):
                q = _quantity(m.group(2))
                if not q:
                    continue
                vals = [v for v in numbers_in(m.group(1), "de") if v >= 100]  # counts, not dates or ranks
                for v in vals:
                    if 1900 <= v <= 2100 and "." not in m.group(1):
                        continue  # a year
                    out.append(Figure(v, q, i, sent.strip(), span.start, span.end))
    return out


def find_conflicts(question: str, passages: list[Passage]) -> list[Figure]:
    """Figures for the quantity the question asks about, when the passages disagree."""
    if not ASKS_QUANTITY.search(question):
        return []
    asked = {q for q, stems in QUANTITIES.items() if any(s.strip() in question.lower() for s in stems)}
    figs = [f for f in figures(passages) if f.quantity in asked]
    if len({f.value for f in figs}) < 2:
        return []
    seen, unique = set(), []
    for f in figs:  # one entry per (figure, source article)
        key = (f.value, passages[f.passage - 1].doc_id)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def source_label(p: Passage) -> str:
    """'DW (Deutsche Welle), report, 2024-10'; the author stands in for an unnamed outlet."""
    who = p.outlet if p.outlet and p.outlet != "unknown" else p.author
    return ", ".join(x for x in (who, p.kind, p.date) if x and x != "unknown")


def side_by_side(figs: list[Figure], passages: list[Passage], language: str) -> str:
    head = "Die Quellen nennen unterschiedliche Zahlen:" if language == "de" else "The sources give different figures:"
    lines = [head]
    for f in sorted(figs, key=lambda f: (passages[f.passage - 1].date, f.value)):
        p = passages[f.passage - 1]
        src = source_label(p)
        num = f"{f.value:,.0f}".replace(",", "." if language == "de" else ",")
        lines.append(f"- {num} ({src}): „{f.sentence}“ [{f.passage}]")
    return "\n".join(lines)
