"""How a source is named under an answer: outlet (or author), kind and date, whatever the
metadata holds; missing fields are left out, and a source with none is named by its title or
file, never by an empty "()"."""
from __future__ import annotations

from ..types import Passage


def _known(x: str) -> bool:
    return bool(x) and x.strip().lower() not in ("unknown", "unbekannt", "n/a", "none")


def source_label(p: Passage) -> str:
    """"Outlet, kind, date"; the author stands in for an unknown outlet, the title (or the
    file) for both."""
    who = p.outlet if _known(p.outlet) else p.author if _known(p.author) else p.title or p.doc_id
    return ", ".join(x for x in (who, p.kind, p.date) if _known(x))


def author_label(p: Passage) -> str:
    """"Author (outlet, kind, date)": who says it, where the author is known and is not the outlet."""
    rest = ", ".join(x for x in (p.outlet, p.kind, p.date) if _known(x) and x != p.author)
    if _known(p.author) and p.author != p.outlet and not p.author.startswith(p.outlet.split(" ")[0]):
        return f"{p.author} ({rest})" if rest else p.author
    return source_label(p)
