"""HTML for the chat window, built from escaped text only.

Everything that comes from the model, the articles, the index or the user goes
through `esc()` before it becomes part of an HTML string, so it is shown as
text and never interpreted: no tags, no links, no images. Markdown rendering is
off in the chatbot, so `![x](http://…)` stays a literal string as well.

Gradio's HTML component substitutes its value into a JS template string, so
`$`, `{`, `}` and backticks are escaped too, to keep article text from ever
being read as template syntax.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable

from rag.generation.markers import MARKER  # [1], [1, 2], [Quelle 3], [1 und 2]: the markers the checks understand
from rag.types import Answer, CheckKind, Citation

# Kinds of article that are not plain reports get a visible badge.
KIND_BADGES = {
    "opinion": ("Opinion", "rag-badge-opinion", "An opinion piece: the author's view, not a news report."),
    "analysis": ("Analysis", "rag-badge-analysis", "An analysis: interpretation by the author."),
    "machine-translated": ("Machine-translated", "rag-badge-mt", "Machine-translated text: wording may differ from the original."),
    "report": ("Report", "rag-badge-report", "A news report."),
}

# Which checks changed the answer (or noted something about it), and how to say so
CHECK_LABELS = {
    CheckKind.MARKER_OUT_OF_RANGE: "Citation removed",
    CheckKind.MARKER_UNSUPPORTED: "Citation removed",
    CheckKind.CLAIM_REMOVED: "Claim removed",
    CheckKind.REATTRIBUTED: "Claim re-attributed",
    CheckKind.ATTRIBUTED: "Source named in the answer",
    CheckKind.CLAIM_DUPLICATE: "Repeated claim removed",
    CheckKind.CLAIM_TRIMMED: "Claim over the length limit removed",
    CheckKind.LANGUAGE_MISMATCH: "Answer in the wrong language",
    CheckKind.PROMPT_LEAK: "Answer withheld (it repeated the instructions)",
    CheckKind.FALLBACK: "Replaced by quoted passages",
    CheckKind.MISSING_FIGURE: "Answer gave no figure",
    CheckKind.LOOP_CUT: "Repetition cut off",
    CheckKind.TRUNCATED: "Answer cut off",
    CheckKind.ABSTAINED: "No answer in the articles",
    CheckKind.CONFLICT: "Sources disagree",
    CheckKind.VIEWS: "Sources compared",
    CheckKind.SOURCE_NAMED: "Only the named source searched",
    CheckKind.SPREAD: "Every article searched",
}
CHANGING_ACTIONS = {"removed", "reattributed", "fallback"}
# kept as they were, but worth telling: the answer lists sources side by side, or was searched differently
NOTED_KINDS = {CheckKind.ATTRIBUTED, CheckKind.TRUNCATED, CheckKind.SOURCE_NAMED, CheckKind.SPREAD, CheckKind.CONFLICT, CheckKind.VIEWS}


_EXTRA = str.maketrans({"$": "&#36;", "{": "&#123;", "}": "&#125;", "`": "&#96;", "\\": "&#92;"})


def esc(text: object) -> str:
    """Text -> HTML that shows exactly that text (tags, entities and template syntax neutralised)."""
    return html.escape("" if text is None else str(text), quote=True).translate(_EXTRA)


def _known(value: str) -> str:
    value = (value or "").strip()
    return "" if value.lower() in ("", "unknown") or value.lower().startswith("unknown (") else value


def kind_badge(kind: str) -> str:
    label = KIND_BADGES.get((kind or "").strip().lower())
    if not label:
        return ""
    text, cls, tip = label
    return f'<span class="rag-badge {cls}" title="{esc(tip)}">{esc(text)}</span>'


# -- chat messages ---------------------------------------------------------

def user_message(text: str) -> str:
    return f'<div class="rag-msg rag-user"><div class="rag-text">{esc(text)}</div></div>'


def _text_with_markers(text: str, turn: int, cited: set[int]) -> str:
    """Escape `text`; turn each [n] that has a citation into a clickable marker."""
    out, pos = [], 0
    for m in MARKER.finditer(text):
        out.append(esc(text[pos : m.start()]))
        numbers = [int(n) for n in re.findall(r"\d+", m.group(1))]
        if numbers and all(n in cited for n in numbers):
            out.append("".join(
                f'<span class="rag-cite rag-ref-{turn}-{n}" role="button" tabindex="0" '
                f'title="Show source [{n}]">[{n}]</span>'
                for n in numbers
            ))
        else:
            out.append(esc(m.group(0)))
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def streaming_message(turn: int, status: str, text: str) -> str:
    """The answer while it is being produced: progress line plus the raw tokens so far."""
    status_html = (
        f'<div class="rag-status"><span class="rag-spinner" aria-hidden="true"></span>{esc(status)}</div>' if status else ""
    )
    body = f'<div class="rag-text">{esc(text)}</div>' if text else ""
    return f'<div class="rag-msg rag-bot rag-streaming rag-for-{turn}">{status_html}{body}</div>'


def answer_flags(answer: Answer) -> str:
    flags = []
    if answer.abstained:
        flags.append('<div class="rag-flag rag-flag-abstain">The articles do not answer this question.</div>')
    elif answer.fallback:
        flags.append(
            '<div class="rag-flag rag-flag-fallback">The generated answer failed the source checks; '
            "these are quoted passages from the articles instead.</div>"
        )
    changed = [c for c in answer.checks if c.action in ("removed", "reattributed") or c.kind == "truncated"]
    if changed and not answer.abstained and not answer.fallback:
        n = len(changed)
        flags.append(
            f'<div class="rag-flag rag-flag-checks">The checks changed {n} thing{"s" if n != 1 else ""} '
            "in this answer (see Sources).</div>"
        )
    return "".join(flags)


def answer_message(turn: int, answer: Answer) -> str:
    cited = {c.n for c in answer.citations}
    state = "rag-abstained" if answer.abstained else ("rag-fallback" if answer.fallback else "rag-answered")
    return (
        f'<div class="rag-msg rag-bot {state} rag-for-{turn}">'
        f'<div class="rag-text">{_text_with_markers(answer.text, turn, cited)}</div>'
        f"{answer_flags(answer)}</div>"
    )


def error_message(turn: int, message: str) -> str:
    return (
        f'<div class="rag-msg rag-bot rag-error rag-for-{turn}">'
        f'<div class="rag-flag rag-flag-error">Could not answer</div><div class="rag-text">{esc(message)}</div></div>'
    )


# -- sources panel -----------------------------------------------------------

def changed_checks(answer: Answer) -> list:
    return [c for c in answer.checks if c.action in CHANGING_ACTIONS or c.kind in NOTED_KINDS]


def highlight_span(c: Citation) -> tuple[int, int] | None:
    """Where the quote sits in the passage: from the offsets, else by search; None if not found."""
    text, quote = c.text or "", c.quote or ""
    a, b = c.start - c.passage_start, c.end - c.passage_start
    if 0 <= a < b <= len(text) and (not quote or text[a:b] == quote):
        return a, b
    if quote.strip():
        i = text.find(quote.strip())
        if i >= 0:
            return i, i + len(quote.strip())
    return None


def highlight_spans(c: Citation) -> list[tuple[int, int]]:
    """Every sentence the answer cites the passage for (passage offsets, in order, not
    overlapping): the quote's place, and each of `c.spans` that lies inside the passage."""
    found = set(c.passage_spans())
    first = highlight_span(c)
    if first is not None:
        found.add(first)
    out: list[tuple[int, int]] = []
    for a, b in sorted(found):
        if out and a < out[-1][1]:  # overlapping: one mark
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def passage_html(c: Citation) -> str:
    text = c.text or ""
    spans = highlight_spans(c)
    if not spans:
        quoted = f'<div class="rag-quote-alone">„{esc(c.quote)}“</div>' if c.quote else ""
        return f'<div class="rag-passage">{esc(text)}</div>{quoted}'
    parts, at = [], 0
    for a, b in spans:
        parts.append(f'{esc(text[at:a])}<mark class="rag-quote">{esc(text[a:b])}</mark>')
        at = b
    return f'<div class="rag-passage">{"".join(parts)}{esc(text[at:])}</div>'


def citation_card(turn: int, c: Citation) -> str:
    meta = " · ".join(esc(x) for x in (_known(c.outlet), _known(c.author), _known(c.date)) if x)
    return (
        f'<article class="rag-card rag-card-{turn}-{c.n}">'
        f'<header class="rag-card-head"><span class="rag-num">[{c.n}]</span>'
        f'<span class="rag-title">{esc(c.title or c.doc_id)}</span>{kind_badge(c.kind)}</header>'
        f'<div class="rag-meta">{meta or "source details not known"}</div>'
        f"{passage_html(c)}</article>"
    )


def checks_html(answer: Answer) -> str:
    changed = changed_checks(answer)
    if not changed:
        return ""
    items = []
    for c in changed:
        label = CHECK_LABELS.get(c.kind, c.kind.replace("_", " ").capitalize())
        sentence = f'<div class="rag-check-sentence">„{esc(c.sentence)}“</div>' if c.sentence and c.kind != "fallback" else ""
        items.append(
            f'<li class="rag-check rag-check-{esc(c.action or "note")}"><b>{esc(label)}</b>'
            f' <span class="rag-check-detail">({esc(c.detail)})</span>{sentence}</li>'
        )
    return (
        f'<details class="rag-checks" open><summary>What the checks did ({len(changed)})</summary>'
        f'<ul>{"".join(items)}</ul></details>'
    )


def turn_section(turn: int, question: str, answer: Answer, active: bool) -> str:
    parts = [f'<div class="rag-turn-q">Sources for: <q>{esc(question)}</q></div>']
    if answer.abstained:
        parts.append('<div class="rag-banner rag-banner-abstain">The articles do not answer this question; nothing is cited.</div>')
    elif answer.fallback:
        parts.append(
            '<div class="rag-banner rag-banner-fallback">Fallback: the generated answer failed its checks, '
            "so the answer quotes these passages verbatim.</div>"
        )
    parts.append(checks_html(answer))
    parts += [citation_card(turn, c) for c in sorted(answer.citations, key=lambda c: c.n)]
    if not answer.citations and not answer.abstained:
        parts.append('<div class="rag-empty">This answer cites no passage.</div>')
    cls = f"rag-turn rag-sec-{turn}" + (" active" if active else "")
    return f'<section class="{cls}">{"".join(parts)}</section>'


PANEL_TITLE = '<div class="rag-sources-title">Sources</div>'
EMPTY_PANEL = (
    f'<div class="rag-sources">{PANEL_TITLE}<div class="rag-empty">Sources appear here once a question is answered. '
    "Click a marker such as <span class=\"rag-cite rag-cite-demo\">[1]</span> in an answer to see the cited passage, "
    "with the supporting sentence highlighted.</div></div>"
)


def sources_panel(turns: Iterable[dict], active: int | None = None) -> str:
    """All answered turns' sources; the `active` turn (default: the latest) is shown."""
    answered = [(i, t) for i, t in enumerate(turns) if t.get("answer") is not None]
    if not answered:
        return EMPTY_PANEL
    if active is None:
        active = answered[-1][0]
    sections = [turn_section(i, t["question"], t["answer"], i == active) for i, t in answered]
    return f'<div class="rag-sources">{PANEL_TITLE}{"".join(sections)}</div>'


# -- articles tab --------------------------------------------------------------

def articles_table(manifest: dict | None) -> str:
    if not manifest or not manifest.get("docs"):
        return '<div class="rag-empty">No articles are indexed yet. Index a folder below.</div>'
    rows = []
    for doc_id, d in sorted(manifest["docs"].items()):
        m = d.get("meta", {})
        rows.append(
            "<tr>"
            f'<td class="rag-art-title">{esc(m.get("title") or doc_id)}<div class="rag-art-id">{esc(doc_id)}</div></td>'
            f'<td>{esc(_known(m.get("outlet", "")) or "–")}</td>'
            f'<td>{esc(_known(m.get("author", "")) or "–")}</td>'
            f'<td>{esc(_known(m.get("date", "")) or "–")}</td>'
            f'<td>{kind_badge(m.get("kind", "")) or esc(m.get("kind") or "–")}</td>'
            f'<td>{esc(m.get("language", ""))}</td>'
            f'<td class="rag-num-col">{esc(d.get("chunks", ""))}</td>'
            "</tr>"
        )
    n = len(rows)
    where = manifest.get("corpus_dir", "")
    head = "".join(f"<th>{h}</th>" for h in ("Title", "Outlet", "Author", "Date", "Kind", "Lang.", "Passages"))
    caption = f"{n} article{'s' if n != 1 else ''} indexed" + (f" from <code>{esc(where)}</code>" if where else "")
    return (
        f'<div class="rag-articles"><div class="rag-articles-caption">{caption}</div>'
        f'<table class="rag-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )


def notice(text: str, kind: str = "info") -> str:
    return f'<div class="rag-notice rag-notice-{esc(kind)}">{esc(text)}</div>'
