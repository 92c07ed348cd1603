"""Sentence-aware chunking that keeps character offsets into the article.

Sentences come from pysbd (rule-based, German and English). pysbd's own
`char_span` mode is slow and can drift, so each sentence is located in the text
from a running cursor instead: offsets are exact by construction, and every
chunk's text equals `article.text[start:end]`.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

CHUNKER_VERSION = "pysbd-sentences-v1"


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class Chunk:
    chunk_id: str
    doc_id: str
    index: int
    start: int
    end: int
    text: str


@lru_cache(maxsize=4)
def _segmenter(language: str):
    import pysbd

    return pysbd.Segmenter(language=language if language in ("de", "en") else "de", clean=False)


def _locate(text: str, pieces: list[str], offset: int, spans: list[Span]) -> None:
    cursor = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        at = text.find(piece, cursor)
        if at < 0:  # pysbd altered the piece: fall back to a whitespace-tolerant search
            m = re.compile(r"\s+".join(map(re.escape, piece.split()))).search(text, cursor)
            if not m:
                continue
            at, end = m.start(), m.end()
        else:
            end = at + len(piece)
        spans.append(Span(offset + at, offset + end))
        cursor = end


def split_sentences(text: str, language: str = "de") -> list[Span]:
    """Sentence spans of `text`; line breaks always end a sentence (paragraphs, list items)."""
    spans: list[Span] = []
    seg = _segmenter(language)
    for m in re.finditer(r"[^\n]+", text):
        para = m.group(0)
        if not para.strip():
            continue
        _locate(para, seg.segment(para), m.start(), spans)
    return spans


def _hard_split(span: Span, text: str, size: int) -> list[Span]:
    """Split an over-long sentence at whitespace so no chunk exceeds `size`."""
    out, start = [], span.start
    while span.end - start > size:
        cut = text.rfind(" ", start + size // 2, start + size)
        cut = cut if cut > start else start + size
        out.append(Span(start, cut))
        start = cut
        while start < span.end and text[start].isspace():
            start += 1
    if start < span.end:
        out.append(Span(start, span.end))
    return out


def chunk_article(doc_id: str, text: str, language: str = "de", size: int = 800, overlap: int = 1) -> list[Chunk]:
    """Pack whole sentences into chunks of at most `size` characters.

    Consecutive chunks share `overlap` sentences so a fact split over a sentence
    boundary is still found in one chunk.
    """
    sentences: list[Span] = []
    for s in split_sentences(text, language):
        sentences.extend(_hard_split(s, text, size) if s.end - s.start > size else [s])
    chunks: list[Chunk] = []
    i = 0
    while i < len(sentences):
        j = i
        while j + 1 < len(sentences) and sentences[j + 1].end - sentences[i].start <= size:
            j += 1
        start, end = sentences[i].start, sentences[j].end
        digest = hashlib.sha1(f"{doc_id}\0{start}\0{end}".encode()).hexdigest()[:12]
        chunks.append(Chunk(f"{doc_id}#{len(chunks)}-{digest}", doc_id, len(chunks), start, end, text[start:end]))
        if j + 1 >= len(sentences):
            break
        i = max(j + 1 - overlap, i + 1)
    return chunks


def chunker_fingerprint(size: int, overlap: int) -> str:
    return f"{CHUNKER_VERSION}:size={size}:overlap={overlap}"
