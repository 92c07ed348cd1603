"""The one place prompts are read: templates live as files in `prompts/`."""
from __future__ import annotations

import re
from functools import lru_cache

from ..settings import PROJECT_ROOT
from ..types import Passage

PROMPTS_DIR = PROJECT_ROOT / "prompts"
LANGUAGE_NAMES = {"de": "German", "en": "English"}


@lru_cache(maxsize=None)
def template(name: str) -> str:
    return (PROMPTS_DIR / f"{name}.txt").read_text(encoding="utf-8").strip()


def localized(name: str, language: str) -> str:
    return template(f"{name}_{language if language in LANGUAGE_NAMES else 'en'}")


# Sentences in an article that address an AI assistant rather than a reader: they are
# masked in what the model reads (the article itself is unchanged) and never quoted.
INJECTION = re.compile(
    r"(ignor\w*\s+(alle\s+|all\s+)?(vorherigen|bisherigen|previous|above|prior|obigen)\s+(anweisungen|instructions|befehle)|"
    r"(system\s*prompt|systemprompt|du bist (jetzt|ab sofort)|you are now|neue anweisung|new instructions|"
    r"as an ai|als ki-assistent|<\|im_start\|>|\[/?inst\]|^\s*(system|assistant)\s*:))",
    re.I | re.M,
)


def is_injection(sentence: str) -> bool:
    return bool(INJECTION.search(sentence))


def _mask_injections(text: str) -> str:
    from index.chunking import split_sentences

    spans = [s for s in split_sentences(text) if is_injection(text[s.start : s.end])]
    for s in reversed(spans):
        text = text[: s.start] + "[…]" + text[s.end :]
    return text


def _data(text: str) -> str:
    # Passages are data: angle brackets are swapped for look-alikes so an article
    # cannot close its own <passage> tag, or write chat-template tokens, and pose as instructions.
    return _mask_injections(text).replace("<", "‹").replace(">", "›")


def format_passages(passages: list[Passage], best_last: bool = True) -> str:
    """Numbered passages, by default best-ranked last: the small model leans on what it read last."""
    blocks = []
    numbered = list(enumerate(passages, 1))
    for i, p in reversed(numbered) if best_last else numbered:
        source = ", ".join(x for x in (p.outlet, p.kind, p.date) if x and x != "unknown")
        blocks.append(f'<passage id="{i}" source="{_data(source)}">\n{_data(p.text.strip())}\n</passage>')
    return "\n".join(blocks)


def answer_messages(question: str, passages: list[Passage], language: str, extra_instruction: str = "", best_last: bool = True) -> list[dict[str, str]]:
    instruction = localized("instruction", language)
    if extra_instruction:
        instruction += " " + extra_instruction
    user = template("answer").format(passages=format_passages(passages, best_last), question=_data(question), instruction=instruction)
    return [{"role": "system", "content": template("system")}, {"role": "user", "content": user}]


def condense_messages(question: str, history: list[dict[str, str]], language: str) -> list[dict[str, str]]:
    lines = [f"{'User' if t['role'] == 'user' else 'Assistant'}: {_data(t['content'])}" for t in history]
    user = template("condense").format(history="\n".join(lines), question=_data(question), language_name=LANGUAGE_NAMES.get(language, "English"))
    return [{"role": "user", "content": user}]


@lru_cache(maxsize=1)
def _instruction_shingles(n: int = 6) -> frozenset[tuple[str, ...]]:
    words = []
    for name in ("system", "instruction_de", "instruction_en", "condense"):
        words.append(re.findall(r"\w+", template(name).lower()))
    return frozenset(tuple(w[i : i + n]) for w in words for i in range(len(w) - n + 1))


def leaks_prompt(text: str, n: int = 6) -> bool:
    """True when `text` repeats six words in a row of our instructions."""
    w = re.findall(r"\w+", text.lower())
    shingles = _instruction_shingles(n)
    return any(tuple(w[i : i + n]) in shingles for i in range(len(w) - n + 1))
