"""Which articles a question names as its source ("laut dem <outlet>-Kommentar", "according to <author>").

A reader who asks what one source says wants that source's answer, not another
article's: measured on the question set, the model answered such questions from
another article, with citations the checks could not fault (the cited sentences do
support the claims; they are just another author's). So the pipeline retrieves from
the named articles only.

Names come from the corpus metadata (outlet and author), not from a list written
here: an outlet "X (via Y)" gives "X" and "Y"; an author "Dr. First Last" gives the
full name and "Last". Hand-written because it is a few lines over the project's own
metadata; no library names sources in questions.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

# the metadata's word for "not known" and honorifics that name no one
_UNKNOWN = {"", "unknown", "unbekannt", "n/a", "none"}
_TITLES = {"dr", "dr.", "prof", "prof.", "mag.", "ing."}
_MIN_SURNAME = 4  # a surname shorter than this ("Li", "Ma") would match too much prose


def _names(field: str) -> list[str]:
    """"AB (Mitarbeit: First Last)" -> ["AB", "First Last"]; "X (via Y)" -> ["X", "Y"];
    "First Last, Max Muster" and "A und B" -> both."""
    out = []
    for part in re.split(r"[()]", field):
        part = re.sub(r"^\s*(via|mitarbeit|with|mit)\b\s*:?\s*", "", part.strip(), flags=re.I)
        for name in re.split(r"\s*(?:[,;&]|\bund\b|\band\b)\s*", part.split(":")[-1]):
            name = name.strip()
            if name.lower() not in _UNKNOWN:
                out.append(name)
    return out


def aliases(meta: Mapping[str, str]) -> set[str]:
    """Every name a question may use for one article: outlet(s), author(s), authors' surnames."""
    found: set[str] = set()
    for name in _names(meta.get("outlet", "")):
        found.add(name)
    for name in _names(meta.get("author", "")):
        words = [w for w in name.split() if w.lower() not in _TITLES]
        if not words:
            continue
        found.add(" ".join(words))
        if len(words) > 1 and len(words[-1]) >= _MIN_SURNAME:
            found.add(words[-1])
    return {a for a in found if len(a) >= 2}


def _pattern(alias: str) -> re.Pattern:
    """A name as the metadata spells it, capitals included: an outlet named like a common phrase
    is no source where the phrase is in lower case, nor is "lange" in "wie lange". A German genitive ("Lasts Analyse") or an
    English one ("Last's") counts, and so does a German compound ("Outlet-Name-Beitrag",
    "AB-Kommentar"); an acronym only as a word."""
    body = re.escape(alias).replace(r"\ ", r"[\s-]+")  # "Outlet-Name-Beitrag" too
    if alias.isupper() and len(alias) <= 4:
        return re.compile(rf"(?<![\w-]){body}(?!\w)")
    return re.compile(rf"(?<!\w){body}(?:s|'s|’s)?(?!\w)")


class SourceNames:
    """The names of the corpus's articles, built once from the store's metadata."""

    def __init__(self, doc_meta: Mapping[str, Mapping[str, str]]) -> None:
        self.doc_ids = list(doc_meta)
        self._patterns = [(doc_id, _pattern(a)) for doc_id, meta in doc_meta.items() for a in sorted(aliases(meta))]

    def named(self, question: str) -> list[str]:
        """The doc_ids of the articles `question` names (in the store's order); [] when none,
        or when it names every article (then it restricts nothing)."""
        hits = {doc_id for doc_id, pattern in self._patterns if pattern.search(question)}
        if len(hits) == len(self.doc_ids):
            return []
        return [d for d in self.doc_ids if d in hits]

    def mentions(self, question: str) -> list[str]:
        """The words by which `question` names articles ("laut <author>"): they say where to look,
        not what is asked."""
        return list(dict.fromkeys(m.group(0) for _, pattern in self._patterns for m in pattern.finditer(question)))
