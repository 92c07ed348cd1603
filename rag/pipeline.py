"""The answering pipeline: question -> (follow-up rewrite) -> retrieval -> generation -> checks -> Answer.

`Assistant` holds the loaded models and index; build it once per process.
`stream()` yields progress, the model's tokens as they come, and the final,
checked `Answer` (whose text may differ from the streamed tokens: the checks
remove or re-attribute claims, or replace the answer by quoted passages).
"""
from __future__ import annotations

import logging
import re
import time
from collections.abc import Generator, Iterator

import numpy as np

from index.embedding import load_embed_model

from .agencies import NamedSource, inherited_source
from .checks import (ASKS_SHARE, SupportScorer, adds_nothing, asked_noun, cite_span, counts_asked, counts_other, lacks_asked_figure,
                     misses_asked_fate, names_noun, names_someone, states_share, verify, word_stems)
from .conflicts import (MAX_VIEWS, View, asks_comparison, author_label, figure_source, find_conflicts, is_headline, on_question,
                        side_by_side, source_label, source_views, views_side_by_side)
from .language import detect_language
from .llm import ChatBackend, make_backend
from .numbers import numbers_in
from .output_guard import hopeless, without_loop
from .prompts import answer_messages, condense_messages, leaks_prompt, localized
from .retrieval import HybridRetriever, spread_by_article
from .settings import Settings, load_settings
from .sources import SourceNames, asks_across
from .speakers import ASKS_WHO, names, reports_speech, speaker, whole_quote
from .types import Answer, Check, Citation, Passage, StreamEvent
from .validate import clean_history, clean_question

log = logging.getLogger(__name__)

# What the model writes when it declines; its answer then counts as an abstention.
REFUSAL = re.compile(
    r"(keine (angaben|informationen|hinweise)|nicht (in den|aus den) (auszügen|artikeln|passagen|texten)|"
    r"(auszüge|artikel|passagen) (enthalten|geben|sagen) (dazu )?(nichts|keine)|nicht beantwort|"
    r"no information|not (mentioned|stated|specified|provided)|do(es)? not (say|mention|contain|specify|provide)|"
    r"cannot be answered|can't be answered|unable to answer)",
    re.I,
)


def _refusal(message: str, checks: list[Check], raw: str, base: dict) -> Answer:
    """An abstention: the localised `message` ("abstain", "no_figure"), no citations."""
    return Answer(text=localized(message, base["language"]), abstained=True, grounded=False, checks=checks, raw_text=raw, **base)


def _quotes_count(question: str, answer: Answer, language: str) -> bool | None:
    """Does one of the answer's quoted sentences count what a "wie viele X" question asks,
    or give the share a "welchen Anteil" question asks for? False also when a figure question
    whose counted thing cannot be matched ("Wie hoch ist das Budget?", English "how many")
    gets quotes without any number. None: cannot tell (see checks.counts_asked), or no quotes."""
    if not answer.citations:
        return None
    sentences = answer.quoted_sentences()
    quotes = " ".join(sentences)
    if ASKS_SHARE.search(question):
        return states_share(quotes)
    found = [counts_asked(question, q, language) for q in sentences]
    if any(found):
        return True
    if any(f is False for f in found) or lacks_asked_figure(question, quotes, language):
        return False
    return None


class Assistant:
    def __init__(self, settings: Settings | None = None, llm: ChatBackend | None = None, embed_model=None) -> None:
        self.settings = settings or load_settings()
        t0 = time.perf_counter()
        self.embed_model = embed_model or load_embed_model(self.settings)
        self.retriever = HybridRetriever(self.settings, self.embed_model)
        self.sources = SourceNames(self.retriever.doc_meta)
        self.llm = llm or make_backend(self.settings)
        self.scorer = SupportScorer(self.encode)
        log.info("assistant ready in %.1f s", time.perf_counter() - t0)

    def reload_index(self) -> None:
        """Re-open the store after a re-index (the models stay loaded)."""
        self.retriever = HybridRetriever(self.settings, self.embed_model)
        self.sources = SourceNames(self.retriever.doc_meta)

    # -- embeddings for checks: symmetric e5 similarity ("query: " on both sides)
    def encode(self, texts: list[str]) -> np.ndarray:
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

    def stream(self, question: str, history: list[dict] | None = None, top_k: int | None = None) -> Iterator[StreamEvent]:
        s = self.settings
        t0 = time.perf_counter()
        question = clean_question(question, s.max_question_chars)
        history = clean_history(history, s.max_history_turns, s.max_history_chars)
        language = detect_language(question)
        timings: dict[str, float] = {}
        checks: list[Check] = []

        standalone = question
        inherited = inherited_source(question, history) if history else None  # "Und wie viele davon …?"
        if history and s.condense_followups:
            yield StreamEvent("status", "resolving the follow-up question")
            standalone = self._condense(question, history, language)
            timings["condense"] = time.perf_counter() - t0
        yield StreamEvent("status", "searching the articles")
        t_r = time.perf_counter()
        k = top_k or s.top_k
        ranked = self._retrieve(standalone, max(k, s.conflict_depth), checks)
        passages, deeper = ranked[:k], ranked[k:]
        timings["retrieval"] = time.perf_counter() - t_r
        base = dict(question=question, passages=passages, language=language, standalone_question=standalone)

        best = max((p.dense_score or 0.0 for p in passages), default=0.0)
        keyword = max((p.bm25_score or 0.0 for p in passages), default=0.0)
        if best < s.min_dense_score and keyword < s.min_bm25_score:
            checks.append(Check("abstained", f"best passage similarity {best:.2f} is below {s.min_dense_score:.2f} and no keyword matches", action="abstained"))
            yield self._final(_refusal("abstain", checks, "", base), timings, t0)
            return

        yield StreamEvent("status", "writing the answer")
        given = passages[: s.generate_k]
        t_g = time.perf_counter()
        raw = yield from self._generate(answer_messages(standalone, given, language, best_last=s.passages_best_last), timings, t0)
        timings["generation"] = time.perf_counter() - t_g
        truncated = self.llm.truncated
        if truncated:
            checks.append(Check("truncated", f"generation stopped after {s.generation_timeout_s:.0f} s", action="kept"))
        if leaks_prompt(raw):
            checks.append(Check("prompt_leak", "the model repeated its instructions; answer withheld", raw[:200], "fallback"))
            raw_checked = ""
        else:
            raw_checked = without_loop(raw)  # a loop it was stopped in is no claim
            if raw_checked != raw:
                checks.append(Check("loop_cut", "the model repeated itself; generation stopped and the repetition left out", raw[-80:], "removed"))

        if not raw or (REFUSAL.search(raw) and len(raw) < 400):
            checks.append(Check("abstained", "the model found no answer in the passages", raw, "abstained"))
            yield self._final(_refusal("abstain", checks, raw, base), timings, t0)
            return

        v = verify(raw_checked, given, language, self.scorer, s.min_claim_support, question=standalone,
                   cite_margin=s.citation_margin)
        checks += v.checks
        if v.kept and detect_language(v.text) != language:
            checks.append(Check("language_mismatch", f"answer not in {language}", v.text, "fallback"))
            v.kept = 0
        if v.kept == 0:
            answer = self._fallback(standalone, given, language, checks, raw, base)
            quotes_count = _quotes_count(standalone, answer, language)
            answer = self._with_conflicts(answer, deeper, inherited)
            if quotes_count is False and not any(c["value"] is not None for c in answer.conflicts):
                # "how many drones?": neither a quoted sentence nor a listed figure counts what is asked
                checks[:] = [c for c in checks if c.kind not in ("fallback", "views")]
                checks.append(Check("abstained", "the question asks how many; no quoted sentence counts what it asks about", raw, "abstained"))
                answer = _refusal("no_figure", checks, raw, base)
            yield self._final(answer, timings, t0)
            return
        text = v.text + ("\n" + localized("truncated", language) if truncated else "")
        answer = self._with_conflicts(Answer(text=text, citations=v.citations, checks=checks, raw_text=raw, **base), deeper, inherited)
        if not answer.conflicts and adds_nothing(standalone, v.text):
            # "Welche Einheit wurde nach Kursk geschickt?" -> "Die Armee wurde nach Kursk geschickt [1]."
            # (a list of figures or of each source's words below it would still answer)
            checks.append(Check("abstained", "the answer only restates the question", v.text, "abstained"))
            yield self._final(_refusal("abstain", checks, raw, base), timings, t0)
            return
        why = None  # why the claims do not give the figure asked for (a figure list below them does)
        if not answer.conflicts and lacks_asked_figure(standalone, v.text, language):
            why = "the question asks for a figure; no claim that survived the checks states one"
        elif not answer.conflicts and misses_asked_fate(standalone, answer.quoted_sentences()):
            why = "the question asks how many were killed, defected or captured; no cited sentence says so"
        if why:
            # quote the articles if their best sentences count what is asked (the model often
            # drops the number: "Die Schätzung liegt bei [1]."), else refuse.
            # Replayed on the set: one answerable question (q015) answered so, no near miss lost
            quoted = self._fallback(standalone, given, language, list(checks), raw, base)
            if not quoted.abstained and _quotes_count(standalone, quoted, language):
                quoted.checks.insert(len(checks), Check("missing_figure", why, v.text, "fallback"))
                answer = self._with_conflicts(quoted, deeper, inherited)
            else:
                checks.append(Check("abstained", why, v.text, "abstained"))
                answer = _refusal("no_figure", checks, raw, base)
        yield self._final(answer, timings, t0)

    # -- pieces
    def _retrieve(self, query: str, depth: int, checks: list[Check]) -> list[Passage]:
        """The ranked passages; only the named articles' when the question names its source
        (not when it compares sources: "Widerspricht Schake den anderen?" needs them all)."""
        named = self._scope(query)
        if named:
            ranked = self.retriever.retrieve(query, depth, docs=named)
            if ranked:
                names = "; ".join(dict.fromkeys(author_label(p) for p in ranked))
                checks.append(Check("source_named", f"the question names its source: only {names} searched", action="kept"))
                return ranked
        ranked = self.retriever.retrieve(query, depth)
        if self.settings.spread_across_articles and asks_across(query):
            checks.append(Check("spread", "the question asks across the articles: each article's best passage first", action="kept"))
            return spread_by_article(ranked)
        return ranked

    def _scope(self, query: str) -> list[str]:
        """The articles a question names as its source, if it should be answered from them only."""
        return self.sources.named(query) if self.settings.scope_to_named_source and not asks_comparison(query) else []

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
        return text.lstrip()  # the trailing space of a cut loop is part of it

    def _condense(self, question: str, history: list[dict], language: str) -> str:
        """Rewrite a follow-up as a standalone question; never trust the result blindly."""
        last_user = next((t["content"] for t in reversed(history) if t["role"] == "user"), "")
        fallback = f"{last_user} {question}".strip()
        out = self.llm.complete(condense_messages(question, history, language), max_tokens=60, timeout_s=30)
        out = out.strip().strip('"„“').splitlines()[0].strip() if out.strip() else ""
        if not (8 <= len(out) <= 300) or "?" not in out or "[" in out:
            return fallback
        return out

    def _fallback(self, query: str, passages: list[Passage], language: str, checks: list[Check], raw: str, base: dict) -> Answer:
        """Quote the sentences that best match the question, each with its citation."""
        qv = self.encode([query])[0]
        stems = word_stems(query)
        scored = [  # (headline?, rank: similarity + word overlap, as for the checks' quotes; similarity; passage; span)
            (is_headline(p.text[a:b]), rank, sim, i, (a, b))
            for i, p in enumerate(passages[:3], 1)
            for rank, sim, (a, b) in self.scorer.ranked(qv, p, stems)
            if b - a >= 25
        ]
        # statements before headlines: a title ("Militärexperte bezeichnete den Deal als
        # Sklavenhandel") restates a body sentence without saying who or when; one is quoted
        # only where no statement matches
        scored.sort(key=lambda x: (x[0], -x[1]))
        noun = asked_noun(query) if language == "de" else None
        if noun:
            # "Auf welchen Artikel des Vertrags verwies Putin?": where sentences name the thing
            # asked for, only they are quoted (a closer one about the treaty named no article, q003)
            naming = [x for x in scored if names_noun(passages[x[3] - 1].text[x[4][0] : x[4][1]], noun)]
            scored = naming or scored
        chosen, used = [], set()
        asks_who = bool(ASKS_WHO.search(query))
        first = None  # the first quote's rank: a second one must come close to it
        for headline, rank, sim, i, span in scored:
            if len(chosen) == 2 or (first is not None and (headline or rank < first - self.settings.fallback_quote_margin)):
                break
            if sim < self.settings.min_dense_score:
                continue
            text = " ".join(passages[i - 1].text[span[0] : span[1]].split())
            if chosen and asks_who and not names_someone(text, query):
                continue  # "Wer hat … als Sklavenhandel bezeichnet?": a second quote that names no one answers nothing
            if text not in used:  # overlapping chunks hold the same sentence: quote it once
                first = rank if first is None else first
                chosen.append((i, span))
                used.add(text)
        if not chosen:
            checks.append(Check("abstained", "no claim survived the checks and no sentence matches the question", raw, "abstained"))
            return _refusal("abstain", checks, raw, base)
        lines = [localized("fallback", language)]
        for i, (a, b) in chosen:
            p = passages[i - 1]
            src = source_label(p)
            lines.append(f"„{p.text[a:b].strip()}“ ({src}) [{i}]")
        cits: dict[int, Citation] = {}
        for i, span in chosen:
            cite_span(cits, i, passages[i - 1], span)  # two sentences of one passage: one citation
        checks.append(Check("fallback", "the generated answer failed the checks; quoted passages shown instead", raw, "fallback"))
        return Answer(text="\n".join(lines), citations=list(cits.values()), checks=checks, fallback=True, raw_text=raw, **base)

    def _with_conflicts(self, answer: Answer, deeper: list[Passage] = (), source: NamedSource | None = None) -> Answer:
        """Sources that disagree are listed side by side: the figures asked for when
        they differ, or each article's own statement when the question asks how they differ.
        Figures are also looked for in `deeper` (the passages ranked after the answer's own):
        a figure that disagrees is rarely in the top few; those used join answer.passages.
        A question for one named source's figure (`source`: one a follow-up keeps from the
        question before) lists only figures that source gives, and that source's one figure
        too where the answer does not state it."""
        if answer.abstained:
            return answer
        question = answer.standalone_question or answer.question
        pool = answer.passages + list(deeper)
        named = figure_source(question, source)
        named = named if named is not None and named.specific else None  # else find_conflicts lists nothing
        # a figure listed must count what is asked, as a quote must: "how many Ukrainian soldiers
        # died?" is not answered by counts of North Korean troops (q066)
        figs = [f for f in find_conflicts(question, pool, named) if not counts_other(question, f.sentence, f.counted, answer.language)]
        if figs and self.settings.conflict_margin is not None and not asks_comparison(question):
            figs = on_question(figs, self.encode([question])[0], pool, self.scorer, self.settings.conflict_margin, word_stems(question))
        values = {f.value for f in figs}
        # the named source's one figure is shown where the answer (or the fallback's quotes) misses
        # it ("3000 soldiers the NIS says Pyongyang wants to provide" over "3000 bereits nach
        # Russland gebracht"; the NIS's 12,000 is in the sentence before), not repeated where it is stated
        single = named is not None and len(values) == 1 and not values <= numbers_in(answer.text, answer.language)
        if len(values) < 2 and not single:
            figs = []
        if figs:
            k = len(answer.passages)
            renumber, added = {}, []
            for f in sorted(figs, key=lambda f: f.passage):
                if f.passage > k and f.passage not in renumber:
                    added.append(deeper[f.passage - k - 1])
                    renumber[f.passage] = k + len(added)
            answer.passages = answer.passages + added  # a new list: `base` is shared
            for f in figs:
                f.passage = renumber.get(f.passage, f.passage)
            listed = side_by_side(figs, answer.passages, answer.language, named=named is not None)
            if answer.fallback:
                # the figures listed with their sources answer the question; the fallback's own
                # quotes picked by similarity (often a headline such as "30.000 Soldaten womöglich
                # bald in der Ukraine?") would only repeat them or stray from what is asked
                answer.text = localized("fallback_figures", answer.language) + " " + listed  # one header line
                answer.citations = []
            else:
                answer.text += "\n\n" + listed
            self._cite(answer, [(f.passage, (f.start, f.end)) for f in figs])
            answer.conflicts = [
                {"value": f.value, "quantity": f.quantity, "passage": f.passage, "doc_id": answer.passages[f.passage - 1].doc_id,
                 "source": source_label(answer.passages[f.passage - 1]), "sentence": f.sentence}
                for f in figs
            ]
            if named is not None:
                answer.checks.append(Check("named_figure", f"the question asks for the figures of {named.phrase}: {len(figs)} sentence(s) giving them quoted", action="kept"))
            else:
                answer.checks.append(Check("conflict", f"{len(figs)} different figures for {figs[0].quantity} across sources; listed side by side", action="kept"))
            return answer
        person = speaker(question)
        if person:
            views = self._speaker_views(answer, person)
            if views:
                return self._add_views(answer, views, f"the question asks what {person} said: {len(views)} articles quoted where they name {person}")
        if not asks_comparison(question):
            return answer
        cited = {c.n: (c.start - c.passage_start, c.end - c.passage_start) for c in answer.citations}
        views = source_views(question, answer.passages, self.scorer, self.settings.min_dense_score, cited,
                             self.settings.min_view_score)
        if not views:
            return answer
        return self._add_views(answer, views, f"the question compares sources: {len(views)} articles quoted side by side")

    def _add_views(self, answer: Answer, views: list[View], why: str) -> Answer:
        answer.text += "\n\n" + views_side_by_side(views, answer.passages, answer.language)
        self._cite(answer, [(v.passage, (v.start, v.end)) for v in views])
        answer.conflicts = [
            {"value": None, "quantity": "view", "passage": v.passage, "doc_id": answer.passages[v.passage - 1].doc_id,
             "source": source_label(answer.passages[v.passage - 1]), "sentence": v.sentence}
            for v in views
        ]
        answer.checks.append(Check("views", why, action="kept"))
        return answer

    def _speaker_views(self, answer: Answer, person: str) -> list[View]:
        """Each article's sentence that names `person` and reports speech, from every chunk of the store (of
        the named source's only, when the question names one): the one the answer cites if
        it names the person, else the one closest to the question. Articles in the order
        retrieval ranked them; chunks not among the answer's passages join them. [] unless
        two articles name the person: one article's words need no side-by-side list."""
        question = answer.standalone_question or answer.question
        scope = set(self._scope(question))
        qv = self.encode([question])[0]
        stems = word_stems(question)
        cited = {(c.doc_id, c.start) for c in answer.citations}
        best: dict[str, tuple[float, Passage, tuple[int, int]]] = {}  # doc -> (rank, chunk, span in it)
        for cid, node in self.retriever.nodes.items():
            doc = node.metadata.get("doc_id")
            if (scope and doc not in scope) or not names(node.text, person):
                continue
            p = self.retriever.passage(cid)
            for rank, _, (a, b) in self.scorer.ranked(qv, p, stems):
                text = p.text[a:b]
                # a title has no closing mark; a question quoted from the person is their words
                if (b - a < 25 or not text.rstrip("“”\"'» )").endswith((".", "!", "?")) or not names(text, person)
                        or not reports_speech(text)):
                    continue
                rank += 1.0 if (doc, p.start + a) in cited else 0.0  # what the answer cites comes first
                if doc not in best or rank > best[doc][0]:
                    best[doc] = (rank, p, (a, b))
        if len(best) < 2:
            return []
        order = list(dict.fromkeys([p.doc_id for p in answer.passages] + sorted(best, key=lambda d: -best[d][0])))
        views = []
        for doc in [d for d in order if d in best][:MAX_VIEWS]:
            _, p, span = best[doc]
            a, b = whole_quote(self.scorer.sentences(p)[0], span, p.text)
            n = next((i for i, q in enumerate(answer.passages, 1) if q.chunk_id == p.chunk_id), None)
            if n is None:
                answer.passages = answer.passages + [p]  # a new list: `base` is shared
                n = len(answer.passages)
            views.append(View(n, " ".join(answer.passages[n - 1].text[a:b].split()), a, b))
        return views

    @staticmethod
    def _cite(answer: Answer, spans: list[tuple[int, tuple[int, int]]]) -> None:
        """Cite each (passage number, sentence span): a new citation for a passage the answer
        does not cite yet, else the sentence joins that citation's spans (a figure listed from
        a passage a claim cites for another sentence is highlighted too)."""
        have = {c.n: c for c in answer.citations}
        for n, span in spans:
            cite_span(have, n, answer.passages[n - 1], span)
        answer.citations = sorted(have.values(), key=lambda c: c.n)

    def _final(self, answer: Answer, timings: dict[str, float], t0: float) -> StreamEvent:
        timings["total"] = time.perf_counter() - t0
        timings.setdefault("first_token", timings["total"])
        answer.timings = {k: round(v, 4) for k, v in timings.items()}
        return StreamEvent("answer", answer=answer)
