"""Checking and capping what users send: questions and conversation histories."""
from __future__ import annotations

from index.corpus import strip_controls

from .types import RagError


def clean_question(question, max_chars: int) -> str:
    if not isinstance(question, str):
        raise RagError(f"the question must be text, not {type(question).__name__}")
    q = " ".join(strip_controls(question).split())
    if not q:
        raise RagError("the question is empty")
    if len(q) > max_chars:
        raise RagError(f"the question is too long ({len(q):,} characters; the limit is {max_chars:,})")
    return q


def clean_history(history, max_turns: int, max_chars: int) -> list[dict[str, str]]:
    """Validate a list of {"role", "content"} dicts; keep the most recent turns within the caps."""
    if history is None:
        return []
    if not isinstance(history, (list, tuple)):
        raise RagError("history must be a list of {'role', 'content'} entries")
    out = []
    for i, turn in enumerate(history):
        if not isinstance(turn, dict) or "role" not in turn or "content" not in turn:
            raise RagError(f"history entry {i} must have 'role' and 'content'")
        role = turn["role"]
        if role not in ("user", "assistant"):
            raise RagError(f"history entry {i}: role must be 'user' or 'assistant', not {role!r}")
        content = turn["content"]
        if not isinstance(content, str):
            raise RagError(f"history entry {i}: content must be text")
        content = " ".join(strip_controls(content).split())
        if content:
            out.append({"role": role, "content": content})
    out = out[-2 * max_turns :] if max_turns > 0 else []
    total, kept = 0, []
    for turn in reversed(out):  # the newest turns matter most for a follow-up
        room = max_chars - total
        if room <= 0:
            break
        kept.append({"role": turn["role"], "content": turn["content"][:room]})
        total += len(kept[-1]["content"])
    return list(reversed(kept))
