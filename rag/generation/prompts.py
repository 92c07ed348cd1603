"""The one place prompts are read: templates live as files in `prompts/`."""
from __future__ import annotations

import re
from functools import lru_cache

from ..settings import PROJECT_ROOT
from ..evidence.injection import mask_injections
from ..types import Passage

PROMPTS_DIR = PROJECT_ROOT / "prompts"
LANGUAGE_NAMES = {"de": "German", "en": "English"}


@lru_cache(maxsize=None)
def template(name: str) -> str:
    return (PROMPTS_DIR / f"{name}.txt").read_text(encoding="utf-8").strip()


def localized(name: str, language: str) -> str:
    return template(f"{name}_{language if language in LANGUAGE_NAMES else 'en'}")


def _data(text: str) -> str:
    # Passages are data: angle brackets are swapped for look-alikes so an article
    # cannot close its own <passage> tag, or write chat-template tokens, and pose as instructions.
    return mask_injections(text).replace("<", "‹").replace(">", "›")


def format_passages(passages: list[Passage], best_last: bool = True) -> str:
    """Numbered passages, by default best-ranked last: the small model leans on what it read last."""
    blocks = []
    numbered = list(enumerate(passages, 1))
    for i, p in reversed(numbered) if best_last else numbered:
        source = ", ".join(x for x in (p.outlet, p.kind, p.date) if x and x != "unknown")
        blocks.append(f'<passage id="{i}" source="{_data(source)}">\n{_data(p.text.strip())}\n</passage>')
    return "\n".join(blocks)


def answer_messages(question: str, passages: list[Passage], language: str, best_last: bool = True) -> list[dict[str, str]]:
    """The system message is the same for every question of a language (the rules and the
    instruction), so llama.cpp reuses its evaluated tokens from one question to the next; the
    user message holds the passages, the question and a short reminder of the instruction
    (the small model follows what it read last)."""
    system = template("system") + "\n\n" + localized("instruction", language)
    user = template("answer").format(passages=format_passages(passages, best_last), question=_data(question), cue=localized("cue", language))
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def condense_messages(question: str, history: list[dict[str, str]], language: str) -> list[dict[str, str]]:
    lines = [f"{'User' if t['role'] == 'user' else 'Assistant'}: {_data(t['content'])}" for t in history]
    user = template("condense").format(history="\n".join(lines), question=_data(question), language_name=LANGUAGE_NAMES.get(language, "English"))
    return [{"role": "user", "content": user}]


@lru_cache(maxsize=1)
def _instruction_shingles(n: int = 6) -> frozenset[tuple[str, ...]]:
    words = []
    for name in ("system", "instruction_de", "instruction_en", "cue_de", "cue_en", "condense"):
        words.append(re.findall(r"\w+", template(name).lower()))
    return frozenset(tuple(w[i : i + n]) for w in words for i in range(len(w) - n + 1))


def leaks_prompt(text: str, n: int = 6) -> bool:
    """True when `text` repeats six words in a row of our instructions."""
    w = re.findall(r"\w+", text.lower())
    shingles = _instruction_shingles(n)
    return any(tuple(w[i : i + n]) in shingles for i in range(len(w) - n + 1))
