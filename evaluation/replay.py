"""`rag eval --replay DIR`: a finished report's model outputs through the current pipeline.

Generation is the slow part of an evaluation (15-20 s per answer on CPU), but most
changes to the pipeline happen after it: the checks, the fallback, the conflict
lists. Replaying feeds each question's stored raw model text (and, for follow-ups,
its stored rewritten question) back in place of the LLM, so retrieval, checks and
everything after them run with the current code and settings, and the report is
scored as usual, in about a minute for the whole set. What it cannot measure: a
change to the prompts or to the passages the model is given (a changed retrieval
gives the old text to new passages; the checks will say so).
"""
from __future__ import annotations

import json
from pathlib import Path

from rag.generation.llm import FakeLLM
from rag.types import Answer, RagError


class Replay:
    def __init__(self, folder: Path | str, system: str = "assistant") -> None:
        path = Path(folder) / "questions.jsonl"
        if not path.is_file():
            raise RagError(f"{folder} is not a report folder (no questions.jsonl)")
        self.records: dict[str, dict] = {}
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    raise RagError(f"{path}:{n} is not valid JSON") from None
                if system in rec and "raw_text" in rec[system]:
                    self.records[rec["id"]] = rec[system]
        if not self.records:
            raise RagError(f"{path} holds no stored model outputs of the {system!r} system to replay")
        self.folder = Path(folder)
        self._current: dict = {}
        self.llm = FakeLLM(self._respond)

    def _respond(self, messages: list[dict[str, str]]) -> str:
        if "<passage id=" in messages[-1]["content"]:
            return self._current.get("raw_text", "")
        return self._current.get("standalone_question", "")  # the follow-up rewriting prompt

    @property
    def fingerprint(self) -> str:
        try:
            original = json.loads((self.folder / "summary.json").read_text(encoding="utf-8"))["fingerprints"]["llm"]
        except (OSError, ValueError, KeyError, TypeError):
            original = "unknown model"
        return f"replay of {self.folder} ({original})"

    def ask(self, assistant, question: dict) -> Answer:
        self._current = self.records[question["id"]]
        answer = assistant.ask(question["question"], history=question["history"] or None)
        # no generation happened: only the retrieval time is a measurement
        answer.timings = {k: v for k, v in answer.timings.items() if k == "retrieval"}
        return answer
