"""Reading a folder of articles and their metadata.

Supported: UTF-8 `.txt` and `.md` files, one article a file, with an optional
`metadata.json` beside them mapping file names to title / outlet / author / date /
kind / language. Bad files are skipped with a warning; the rest is read.
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import unicodedata

from .errors import RagError

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md")
METADATA_FILE = "metadata.json"
KINDS = ("report", "analysis", "opinion", "machine-translated", "unknown")
META_FIELDS = ("title", "outlet", "author", "date", "kind", "language")


@dataclass
class Article:
    doc_id: str
    path: Path
    text: str
    title: str
    outlet: str = "unknown"
    author: str = "unknown"
    date: str = ""
    kind: str = "unknown"
    language: str = "de"

    @property
    def content_hash(self) -> str:
        """Hash of text and metadata: a change in either re-indexes the article."""
        h = hashlib.sha256(self.text.encode("utf-8"))
        for f in META_FIELDS:
            h.update(b"\0" + str(getattr(self, f)).encode("utf-8"))
        return h.hexdigest()

    def meta(self) -> dict[str, str]:
        return {f: str(getattr(self, f)) for f in META_FIELDS} | {"doc_id": self.doc_id}


def strip_controls(text: str) -> str:
    """Drop control and invisible format characters; keep newlines and tabs."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf"))


def clean_text(text: str) -> str:
    """Drop control and invisible format characters (kept: newline and tab).

    Invisible characters (zero-width spaces, bidi overrides) can hide text from a
    reader while the model still sees it; dropping them at ingestion keeps what is
    indexed equal to what is shown. Offsets refer to this cleaned text.
    """
    return strip_controls(text.replace("\r\n", "\n").replace("\r", "\n"))


def _read_metadata(folder: Path, warnings: list[str]) -> dict[str, dict]:
    path = folder / METADATA_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        warnings.append(f"{path.name}: not valid JSON ({e}); using defaults for all articles")
        return {}
    if not isinstance(data, dict):
        warnings.append(f"{path.name}: expected an object mapping file names to metadata; ignored")
        return {}
    out = {}
    for key, value in data.items():
        if key.startswith("_"):
            continue
        if not isinstance(value, dict):
            warnings.append(f"{path.name}: entry {key!r} is not an object; ignored")
            continue
        out[key] = value
    return out


def _is_binary(raw: bytes) -> bool:
    return b"\0" in raw[:8192]


def _article_meta(name: str, stem: str, text: str, entry: dict, warnings: list[str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    for f in META_FIELDS:
        v = entry.get(f)
        if v is None:
            continue
        if not isinstance(v, (str, int, float)):
            warnings.append(f"{name}: metadata field {f!r} has a {type(v).__name__}, expected text; ignored")
            continue
        meta[f] = str(v).strip()
    if not meta.get("title"):
        first = next((line.strip() for line in text.splitlines() if line.strip()), stem)
        meta["title"] = first[:120] + ("…" if len(first) > 120 else "")
    if not meta.get("language"):
        meta["language"] = detect_language(text)
    kind = meta.get("kind", "unknown").lower()
    if kind not in KINDS:
        warnings.append(f"{name}: unknown kind {kind!r} (expected one of {', '.join(KINDS)}); using 'unknown'")
        kind = "unknown"
    meta["kind"] = kind
    return meta


def detect_language(text: str) -> str:
    """'de' or 'en' for an article whose metadata does not say (lingua on its first 2,000
    characters; the two languages the assistant serves)."""
    from lingua import Language, LanguageDetectorBuilder

    global _DETECTOR
    if _DETECTOR is None:
        _DETECTOR = LanguageDetectorBuilder.from_languages(Language.GERMAN, Language.ENGLISH).build()
    found = _DETECTOR.detect_language_of(text[:2000])
    return "en" if found == Language.ENGLISH else "de"


_DETECTOR = None


def load_corpus(folder: Path, max_bytes: int = 5_000_000) -> tuple[list[Article], list[str]]:
    """Read every supported article in `folder`; returns (articles, warnings)."""
    folder = Path(folder)
    if not folder.exists():
        raise RagError(f"corpus folder not found: {folder}")
    if not folder.is_dir():
        raise RagError(f"corpus path is not a folder: {folder}")
    warnings: list[str] = []
    metadata = _read_metadata(folder, warnings)
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    articles: list[Article] = []
    seen: dict[str, str] = {}
    for path in files:
        rel = path.relative_to(folder).as_posix()
        try:
            size = path.stat().st_size
            if size > max_bytes:
                warnings.append(f"{rel}: skipped, {size / 1e6:.1f} MB is over the limit of {max_bytes / 1e6:.1f} MB")
                continue
            raw = path.read_bytes()
        except OSError as e:
            warnings.append(f"{rel}: skipped, cannot read it ({e.strerror})")
            continue
        if _is_binary(raw):
            warnings.append(f"{rel}: skipped, looks like a binary file")
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            warnings.append(f"{rel}: skipped, not UTF-8 text (byte {e.start}); convert it to UTF-8")
            continue
        text = clean_text(text)
        if not text.strip():
            warnings.append(f"{rel}: skipped, empty")
            continue
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest in seen:
            warnings.append(f"{rel}: skipped, same text as {seen[digest]}")
            continue
        seen[digest] = rel
        doc_id = rel.rsplit(".", 1)[0]
        entry = metadata.get(rel) or metadata.get(path.name) or metadata.get(doc_id) or {}
        articles.append(Article(doc_id=doc_id, path=path, text=text, **_article_meta(rel, doc_id, text, entry, warnings)))
    known = {a.path.relative_to(folder).as_posix() for a in articles} | {a.path.name for a in articles} | {a.doc_id for a in articles}
    for key in metadata:
        if key not in known and not (folder / key).exists():
            warnings.append(f"{METADATA_FILE}: entry {key!r} names no article in the folder")
    return articles, warnings
