"""The answering pipeline, one way through:

    question -> parsed Question (language, kind, asked quantity, named source, time scope)
             -> evidence (retrieval, then sentences)
             -> generation (the model's answer with [n] markers)
             -> verification (rules per claim, rag/verify/)
             -> composition (figure lists, each source's view, quotes when no claim holds,
                abstention when the evidence does not answer; rag/compose/)
             -> Answer

`Assistant` holds the loaded models and index; build it once per process. `stream()`
yields progress, the model's tokens as they come, and the final checked `Answer` (whose
text may differ from the streamed tokens).
"""
from __future__ import annotations

import logging
import time
from collections.abc import Generator, Iterator

import numpy as np

from index.embedding import load_embed_model

from .compose import answerability, fallback, figures, views
from .compose.answerability import Answerability
from .compose.labels import author_label, source_label
from .evidence.retrieval import HybridRetriever, spread_by_article
from .evidence.sources import SourceNames
from .evidence.windows import sentence_windows
from .generation.guard import hopeless, without_loop
from .generation.llm import ChatBackend, make_backend
from .generation.prompts import answer_messages, condense_messages, leaks_prompt, localized
from .language import detect_language, languages, lexicon
from .question import Kind, Question, parse
from .settings import Settings, load_settings
from .types import Answer, Check, CheckKind, Conflict, Passage, StreamEvent
from .validate import clean_history, clean_question
from .verify.numbers import numbers_in
from .evidence.sentences import CorpusStats, SupportScorer, window
from .verify.verifier import Verifier, cite_span

log = logging.getLogger(__name__)

MAX_REFUSAL_CHARS = 400  # a longer text that mentions "no information" says something else too


def refuses(raw: str) -> bool:
    """The model says the passages hold no answer (in any language it may have answered in)."""
    return len(raw) < MAX_REFUSAL_CHARS and any(lexicon(code).refusal.search(raw) for code in languages())


class Assistant:
    def __init__(self, settings: Settings | None = None, llm: ChatBackend | None = None, embed_model=None) -> None:
        self.settings = settings or load_settings()
        t0 = time.perf_counter()
        self.embed_model = embed_model or load_embed_model(self.settings)
        self.llm = llm or make_backend(self.settings)
        self.scorer = SupportScorer(self.encode)
        self.reload_index()
        log.info("assistant ready in %.1f s", time.perf_counter() - t0)

    def reload_index(self) -> None:
        """Open the store (again, after a re-index); the models stay loaded."""
        s = self.settings
        self.retriever = HybridRetriever(s, self.embed_model)
        self.sources = SourceNames(self.retriever.doc_meta)
        self.stats = CorpusStats((n.text, n.metadata.get("language") or "de") for n in self.retriever.nodes.values())
        self.verifier = Verifier(self.scorer, self.stats, s.min_claim_support, s.citation_margin, s.entity_check)
        self.answerability = Answerability(self.stats, s.min_answerability, s.min_answerability_cross) if s.answerability_check else None

    def encode(self, texts: list[str]) -> np.ndarray:
        """Symmetric e5 similarity for the checks ("query: " on both sides), normalised rows."""
        model = getattr(self.embed_model, "_model", None)
        prefixed = [self.settings.query_prefix + t for t in texts]
        if model is not None:
            return np.asarray(model.encode(prefixed, normalize_embeddings=True, batch_size=32, show_progress_bar=False))
        vecs = np.asarray([self.embed_model.get_query_embedding(t) for t in texts])
        return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)

    def ask(self, question: str, history: list[dict] | None = None, top_k: int | None = None) -> Answer:
        answer = None
        for event in self.stream(question, history, top_k):
            if event.kind == "answer":
                answer = event.answer
        assert answer is not None
        return answer

    # ------------------------------------------------------------------ the one way through
    def stream(self, question: str, history: list[dict] | None = None, top_k: int | None = None) -> Iterator[StreamEvent]:
        s = self.settings
        t0 = time.perf_counter()
        text = clean_question(question, s.max_question_chars)
        history = clean_history(history, s.max_history_turns, s.max_history_chars)
        language = detect_language(text)
        timings: dict[str, float] = {}
        checks: list[Check] = []

        standalone = ""
        if history and s.condense_followups:
            yield StreamEvent("status", "resolving the follow-up question")
            standalone = self._condense(text, history, language)
            timings["condense"] = time.perf_counter() - t0
        search = standalone or text
        compares = bool(lexicon(language).asks_comparison.search(search))
        named = self.sources.named(search) if s.scope_to_named_source and not compares else []
        q = parse(text, language, standalone, tuple(named), tuple(self.sources.mentions(search)) if named else ())

        yield StreamEvent("status", "searching the articles")
        t_r = time.perf_counter()
        k = top_k or s.top_k
        qvec = self.encode([q.search])[0]  # one embedding of the question, for retrieval and every check
        ranked = self._retrieve(q, qvec, max(k, s.conflict_depth), checks)
        passages, deeper = ranked[:k], ranked[k:]
        timings["retrieval"] = time.perf_counter() - t_r
        base = dict(question=text, passages=passages, language=language, standalone_question=standalone)

        best = max((p.dense_score or 0.0 for p in passages), default=0.0)
        keyword = max((p.bm25_score or 0.0 for p in passages), default=0.0)
        if best < s.min_dense_score and keyword < s.min_bm25_score:
            checks.append(Check(CheckKind.ABSTAINED, f"best passage similarity {best:.2f} is below {s.min_dense_score:.2f} and no keyword matches", action="abstained"))
            yield self._final(self._refusal("abstain", checks, "", base), timings, t0)
            return

        self.scorer.prepare(passages + deeper)  # every sentence the checks may read, embedded in one batch
        if self.answerability is not None:  # over every retrieved passage, whatever the model will read
            verdict = self.answerability.best(q, qvec, passages, self.scorer)
            if not verdict.answers:
                checks.append(Check(CheckKind.ABSTAINED, f"no sentence of the passages answers the question (answerability {verdict.score:.2f}, "
                                    f"below {verdict.minimum:.2f})", verdict.window[:200], "abstained"))
                timings["checks"] = time.perf_counter() - t_r - timings["retrieval"]
                yield self._final(self._refusal("abstain", checks, "", base), timings, t0)
                return

        if s.evidence_chars:
            # the model reads the best sentence windows, numbered first; the chunks follow them
            given = sentence_windows(q, qvec, passages, self.scorer, s.evidence_chars, most=s.generate_k + 1)
            quotable = given + passages[: s.generate_k]  # the fallback may quote beyond the windows
            passages = given + passages
            base["passages"] = passages
        else:
            given = quotable = passages[: s.generate_k]

        yield StreamEvent("status", "writing the answer")
        t_g = time.perf_counter()
        raw = yield from self._generate(answer_messages(q.search, given, language, best_last=s.passages_best_last), timings, t0)
        timings["generation"] = time.perf_counter() - t_g
        truncated = self.llm.truncated
        if truncated:
            checks.append(Check(CheckKind.TRUNCATED, f"generation stopped after {s.generation_timeout_s:.0f} s", action="kept"))
        if leaks_prompt(raw):
            checks.append(Check(CheckKind.PROMPT_LEAK, "the model repeated its instructions; answer withheld", raw[:200], "fallback"))
            raw_checked = ""
        else:
            raw_checked = without_loop(raw)  # a loop it was stopped in is no claim
            if raw_checked != raw:
                checks.append(Check(CheckKind.LOOP_CUT, "the model repeated itself; generation stopped and the repetition left out", raw[-80:], "removed"))
        if not raw or refuses(raw):
            checks.append(Check(CheckKind.ABSTAINED, "the model found no answer in the passages", raw, "abstained"))
            yield self._final(self._refusal("abstain", checks, raw, base), timings, t0)
            return

        t_c = time.perf_counter()
        v = self.verifier.verify(raw_checked, given, q)
        checks += v.checks
        if v.kept and detect_language(v.text) != language:
            checks.append(Check(CheckKind.LANGUAGE_MISMATCH, f"answer not in {language}", v.text, "fallback"))
            v.kept = 0
        if v.kept == 0:
            answer = self._quoted(q, qvec, quotable, checks, raw, base)
            answer = self._compose(answer, q, qvec, deeper)
            if q.asks_figure and not answer.abstained and not answer.conflicts and not self._quotes_figure(q, answer):
                checks[:] = [c for c in checks if c.kind not in (CheckKind.FALLBACK, CheckKind.VIEWS)]
                checks.append(Check(CheckKind.ABSTAINED, "the question asks for a figure; no quoted sentence gives one", raw, "abstained"))
                answer = self._refusal("no_figure", checks, raw, base)
        else:
            body = v.text + ("\n" + localized("truncated", language) if truncated else "")
            answer = self._compose(Answer(text=body, citations=v.citations, checks=checks, raw_text=raw, **base), q, qvec, deeper)
            if not answer.conflicts and answerability.adds_nothing(q, v.text):
                checks.append(Check(CheckKind.ABSTAINED, "the answer only restates the question", v.text, "abstained"))
                answer = self._refusal("abstain", checks, raw, base)
            elif not answer.conflicts and answerability.lacks_figure(q, v.text):
                # the model often drops the number ("The estimate is [1]."): quote the articles if
                # their best sentences give one, else refuse
                quoted = self._quoted(q, qvec, quotable, list(checks), raw, base)
                why = "the question asks for a figure; no claim that survived the checks states one"
                if not quoted.abstained and self._quotes_figure(q, quoted):
                    quoted.checks.insert(len(checks), Check(CheckKind.MISSING_FIGURE, why, v.text, "fallback"))
                    answer = self._compose(quoted, q, qvec, deeper)
                else:
                    checks.append(Check(CheckKind.ABSTAINED, why, v.text, "abstained"))
                    answer = self._refusal("no_figure", checks, raw, base)
        timings["checks"] = time.perf_counter() - t_c
        yield self._final(answer, timings, t0)

    # ------------------------------------------------------------------ evidence
    def _retrieve(self, q: Question, qvec: np.ndarray, depth: int, checks: list[Check]) -> list[Passage]:
        """The ranked passages; only the named articles' when the question names its source."""
        if q.named_docs:
            ranked = self.retriever.retrieve(q.search, depth, docs=list(q.named_docs), embedding=qvec)
            if ranked:
                names = "; ".join(dict.fromkeys(author_label(p) for p in ranked))
                checks.append(Check(CheckKind.SOURCE_NAMED, f"the question names its source: only {names} searched", action="kept"))
                return ranked
        ranked = self.retriever.retrieve(q.search, depth, embedding=qvec)
        if self.settings.spread_across_articles and q.across:
            checks.append(Check(CheckKind.SPREAD, "the question asks across the articles: each article's best passage first", action="kept"))
            return spread_by_article(ranked)
        return ranked

    def _quotes_figure(self, q: Question, answer: Answer) -> bool:
        """The answer's quoted sentences give the figure asked for: one that counts the
        question's noun (figures.counts_asked), or, where the question names none, any figure
        of the kind asked (a share for a share question)."""
        if not q.quantity or q.kind is Kind.SHARE:
            return answerability.states_figure(q, " ".join(answer.quoted_sentences()))
        quoted = [Passage(c.doc_id, quote, c.start, c.end, 0.0, f"{c.doc_id}:quote:{c.start}", language=p.language)
                  for c in answer.citations for quote in c.quotes()
                  for p in [next((x for x in answer.passages if x.doc_id == c.doc_id), answer.passages[0])]]
        return any(figures.counts_asked(f, quoted, q, self.encode) for f in figures.figures(quoted, self.scorer))

    # ------------------------------------------------------------------ generation
    def _generate(self, messages: list[dict[str, str]], timings: dict[str, float], t0: float) -> Generator[StreamEvent, None, str]:
        """Stream the model's tokens and return its text; stop early once the output is
        hopeless (a loop, or no word in 40 characters) rather than at the token limit."""
        s = self.settings
        text = ""
        for piece in self.llm.stream(messages, s.max_answer_tokens, s.temperature, s.generation_timeout_s):
            timings.setdefault("first_token", time.perf_counter() - t0)
            text += piece
            yield StreamEvent("token", piece)
            if hopeless(text):
                break
        return text.lstrip()

    def _condense(self, question: str, history: list[dict], language: str) -> str:
        """Rewrite a follow-up as a standalone question; never trust the result blindly."""
        last_user = next((t["content"] for t in reversed(history) if t["role"] == "user"), "")
        fallback_q = f"{last_user} {question}".strip()
        out = self.llm.complete(condense_messages(question, history, language), max_tokens=60, timeout_s=30)
        out = out.strip().strip('"„“').splitlines()[0].strip() if out.strip() else ""
        if not (8 <= len(out) <= 300) or "?" not in out or "[" in out:
            return fallback_q
        return out

    # ------------------------------------------------------------------ composition
    def _refusal(self, message: str, checks: list[Check], raw: str, base: dict) -> Answer:
        return Answer(text=localized(message, base["language"]), abstained=True, grounded=False, checks=checks, raw_text=raw, **base)

    def _quoted(self, q: Question, qvec: np.ndarray, passages: list[Passage], checks: list[Check], raw: str, base: dict) -> Answer:
        """The extractive fallback: the sentences that best match the question, quoted and cited."""
        s = self.settings
        chosen = fallback.choose_quotes(q, qvec, passages, self.scorer, self.answerability, s.min_dense_score, s.fallback_quote_margin)
        if not chosen:
            checks.append(Check(CheckKind.ABSTAINED, "no claim survived the checks and no sentence answers the question", raw, "abstained"))
            return self._refusal("abstain", checks, raw, base)
        lines = [localized("fallback", q.language)]
        cits: dict = {}
        for i, span in chosen:
            p = passages[i - 1]
            lines.append(f"„{p.text[span[0]:span[1]].strip()}“ ({source_label(p)}) [{i}]")
            cite_span(cits, i, p, span)  # two sentences of one passage: one citation
        checks.append(Check(CheckKind.FALLBACK, "the generated answer failed the checks; quoted passages shown instead", raw, "fallback"))
        return Answer(text="\n".join(lines), citations=list(cits.values()), checks=checks, fallback=True, raw_text=raw, **base)

    def _compose(self, answer: Answer, q: Question, qvec: np.ndarray, deeper: list[Passage]) -> Answer:
        """Sources side by side where they matter: the figures asked for when they differ
        (looked for in `deeper` passages too: a figure that disagrees is rarely in the top
        few), each source's words on a question for what a person said, or each article's
        sentence on a question that compares them."""
        if answer.abstained:
            return answer
        if q.quantity:
            if self._add_figures(answer, q, qvec, deeper):
                return answer
        if q.speaker:
            found = self._speaker_views(answer, q, qvec)
            if found:
                return self._add_views(answer, found, f"the question asks what {q.speaker} said: {len(found)} articles quoted where they name {q.speaker}")
        if not q.compares:
            return answer
        cited = {c.n: (c.start - c.passage_start, c.end - c.passage_start) for c in answer.citations}
        found = views.source_views(q, answer.passages, self.scorer, self.settings.min_dense_score, cited, self.settings.min_view_score)
        if found:
            return self._add_views(answer, found, f"the question compares sources: {len(found)} articles quoted side by side")
        return answer

    def _add_figures(self, answer: Answer, q: Question, qvec: np.ndarray, deeper: list[Passage]) -> bool:
        pool = answer.passages + list(deeper)
        figs = figures.find_conflicts(q, pool, self.scorer, self.encode)
        if figs and self.settings.conflict_margin is not None and not q.compares:
            figs = figures.on_question(figs, qvec, pool, self.scorer, self.settings.conflict_margin, q.terms)
        if len({f.value for f in figs}) < 2:
            return False
        k = len(answer.passages)
        renumber, added = {}, []
        for f in sorted(figs, key=lambda f: f.passage):
            if f.passage > k and f.passage not in renumber:
                added.append(deeper[f.passage - k - 1])
                renumber[f.passage] = k + len(added)
        answer.passages = answer.passages + added  # a new list: `base` is shared
        for f in figs:
            f.passage = renumber.get(f.passage, f.passage)
        listed = figures.side_by_side(figs, answer.passages, answer.language)
        if answer.fallback:
            # the figures with their sources answer the question; quotes picked by similarity would only repeat or stray
            answer.text = localized("fallback_figures", answer.language) + " " + listed
            answer.citations = []
        else:
            answer.text += "\n\n" + listed
        self._cite(answer, [(f.passage, (f.start, f.end)) for f in figs])
        answer.conflicts = [
            Conflict(f.value, f.counted or q.quantity, f.passage, answer.passages[f.passage - 1].doc_id,
                     source_label(answer.passages[f.passage - 1]), f.sentence, answer.passages[f.passage - 1].date)
            for f in figs
        ]
        answer.checks.append(Check(CheckKind.CONFLICT, f"{len({f.value for f in figs})} different figures for {q.quantity} across sources; listed side by side", action="kept"))
        return True

    def _add_views(self, answer: Answer, found: list[views.View], why: str) -> Answer:
        answer.text += "\n\n" + views.views_side_by_side(found, answer.passages, answer.language)
        self._cite(answer, [(v.passage, (v.start, v.end)) for v in found])
        answer.conflicts = [
            Conflict(None, "view", v.passage, answer.passages[v.passage - 1].doc_id, source_label(answer.passages[v.passage - 1]),
                     v.sentence, answer.passages[v.passage - 1].date)
            for v in found
        ]
        answer.checks.append(Check(CheckKind.VIEWS, why, action="kept"))
        return answer

    def _speaker_views(self, answer: Answer, q: Question, qvec: np.ndarray) -> list[views.View]:
        """Each article's sentence that names the speaker and reports speech, from every chunk
        of the store (of the named articles only, when the question names them); [] unless
        two articles name the speaker. Chunks not among the answer's passages join them."""
        from .verify.names import names

        scope = set(q.named_docs)
        chunks = [self.retriever.passage(cid) for cid, node in self.retriever.nodes.items()
                  if (not scope or node.metadata.get("doc_id") in scope) and names(node.text, q.speaker)]
        cited = {(c.doc_id, c.start) for c in answer.citations}
        best = views.speaker_candidates(q, chunks, self.scorer, qvec, cited)
        if len(best) < 2:
            return []
        order = list(dict.fromkeys([p.doc_id for p in answer.passages] + sorted(best, key=lambda d: -best[d][0])))
        out = []
        for doc in [d for d in order if d in best][: views.MAX_VIEWS]:
            _, p, span = best[doc]
            a, b = views.whole_quote(self.scorer.sentences(p)[0], span, p.text)
            n = next((i for i, x in enumerate(answer.passages, 1) if x.chunk_id == p.chunk_id), None)
            if n is None:
                answer.passages = answer.passages + [p]
                n = len(answer.passages)
            out.append(views.View(n, " ".join(answer.passages[n - 1].text[a:b].split()), a, b))
        return out

    @staticmethod
    def _cite(answer: Answer, spans: list[tuple[int, tuple[int, int]]]) -> None:
        """Cite each (passage number, sentence span): a new citation, or one more sentence of one."""
        have = {c.n: c for c in answer.citations}
        for n, span in spans:
            cite_span(have, n, answer.passages[n - 1], span)
        answer.citations = sorted(have.values(), key=lambda c: c.n)

    def _final(self, answer: Answer, timings: dict[str, float], t0: float) -> StreamEvent:
        timings["total"] = time.perf_counter() - t0
        timings.setdefault("first_token", timings["total"])
        answer.timings = {k: round(v, 4) for k, v in timings.items()}
        return StreamEvent("answer", answer=answer)


__all__ = ["Assistant", "refuses", "numbers_in"]
