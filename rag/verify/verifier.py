"""Check every claim of a generated answer against the passages it was given.

Nothing the model writes is trusted. Per claim (rules.py holds the checks):
- a sentence that is no claim about the articles is removed (SHAPE);
- markers must name a passage given; a claim is cited to the passage that supports it
  (similarity to one of its sentences, and every number, name and quoted phrase in it),
  moved there from a passage that does not, and removed when none does (EVIDENCE);
- read against the cited sentence it must not assert what the sentence denies, must not
  name a speaker the passage does not name, and its answer-bearing words must stand in the
  cited sentence window with what the question asks (SENTENCE);
- duplicates go; at most MAX_CLAIMS sentences stay; a list header stays only with an item.
Each surviving citation carries the sentences it supports, with their article offsets.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..language import lexicon
from ..language.text import terms
from ..question import Question
from ..types import Check, CheckKind, Citation, Passage
from . import rules
from .claims import LIST_HEAD, Claim, split_claims
from .names import claimed_speaker, names
from ..evidence.sentences import CorpusStats, SupportScorer, window

MAX_CLAIMS = 4  # a small model that copies passages would otherwise return them all


@dataclass
class Verified:
    text: str
    citations: list[Citation]
    checks: list[Check]
    kept: int  # claims that survived
    total: int  # claims the model wrote
    support: list[float] = field(default_factory=list)


def cite_span(cits: dict[int, Citation], n: int, p: Passage, span: tuple[int, int]) -> None:
    """Cite passage `p` as [n] for its sentence at `span` (passage offsets): a new citation,
    or one more sentence of the citation [n] already in `cits`."""
    if n in cits:
        cits[n].add_span(p.start + span[0], p.start + span[1])
    else:
        cits[n] = citation(n, p, span)


def citation(n: int, p: Passage, span: tuple[int, int], more: Sequence[tuple[int, int]] = ()) -> Citation:
    """Passage `p` cited as [n] for its sentence at `span` (offsets in the passage), and for
    the sentences at `more` too."""
    a, b = span
    c = Citation(
        n=n, doc_id=p.doc_id, title=p.title, outlet=p.outlet, author=p.author, date=p.date, kind=p.kind,
        text=p.text, quote=p.text[a:b], start=p.start + a, end=p.start + b, passage_start=p.start, passage_end=p.end,
        spans=[(p.start + a, p.start + b)],
    )
    for x, y in more:
        c.add_span(p.start + x, p.start + y)
    return c


def _known(x: str) -> bool:
    return bool(x) and x.lower() != "unknown"


def attribution(p: Passage, claim: str, language: str) -> str:
    """"According to the opinion piece by X: " for a claim from an opinion, an analysis or a
    machine translation, unless the claim already names its source."""
    lex = lexicon(language)
    label = lex.kind_labels.get(p.kind)
    if not label:
        return ""
    who = p.author if _known(p.author) else p.outlet if _known(p.outlet) else ""
    if not who:
        return ""
    own = [n for n in f"{p.author} {p.outlet}".replace("(", " ").replace(")", " ").replace(",", " ").split()
           if (len(n) > 3 and n[0].isupper()) or (len(n) >= 2 and n.isupper())]
    if any(n in claim for n in own) or lex.attribution.match(claim):
        return ""  # the model already attributed it
    return lex.attribution_prefix.format(label=label, who=who)


class Verifier:
    def __init__(self, scorer: SupportScorer, stats: CorpusStats, min_support: float, cite_margin: float = 0.03,
                 entity_check: bool = True) -> None:
        self.scorer = scorer
        self.stats = stats
        self.min_support = min_support
        self.cite_margin = cite_margin
        self.entity_check = entity_check

    def verify(self, answer: str, passages: list[Passage], question: Question) -> Verified:
        language = question.language
        claims = split_claims(answer, language)
        checks: list[Check] = []
        n = len(passages)
        if not claims:
            return Verified("", [], checks, 0, 0)
        vecs = self.scorer.encode([c.text for c in claims])
        # a name may be the byline's ("Laut <author> …" over their commentary), and so may a speaker's
        signed = [f"{p.text} {p.author} {p.outlet}" for p in passages]
        everything = " ".join(signed) + " " + question.search
        out_sentences: list[str] = []
        cites: dict[int, tuple[float, tuple[int, int], float]] = {}  # passage -> (similarity, quote span, rank)
        quoted: dict[int, list[tuple[int, int]]] = {}  # passage -> the sentence of each claim citing it
        supports: list[float] = []
        kept_vecs: list[np.ndarray] = []
        attributed: set[str] = set()  # name each opinion/analysis source once, at its first claim

        def emit(claim: Claim, vec: np.ndarray, keep: list[int], scored: dict) -> None:
            source = passages[keep[0] - 1]
            prefix = "" if source.doc_id in attributed else attribution(source, claim.text, language)
            attributed.add(source.doc_id)
            body = claim.text
            if prefix:
                body = prefix + body
                checks.append(Check(CheckKind.ATTRIBUTED, f"attributed to its source ({source.kind})", claim.text, "kept"))
            supports.append(max(scored[i][0] for i in keep))
            kept_vecs.append(vec)
            for i in keep:
                if i not in cites or scored[i][2] > cites[i][2]:
                    cites[i] = scored[i]
                quoted.setdefault(i, []).append(scored[i][1])
            end = body[-1] if body[-1] in ".!?" else "."
            out_sentences.append(f"{body.rstrip('.!?')} {''.join(f'[{i}]' for i in keep)}{end}")

        pending: tuple | None = None  # a list header, waiting for its first item
        for claim, vec in zip(claims, vecs):
            shape = next((c for rule in rules.SHAPE if (c := rule(claim))), None)
            if shape:
                checks.append(shape)
                continue
            valid = []
            for m in dict.fromkeys(claim.markers):
                if 1 <= m <= n:
                    valid.append(m)
                else:
                    checks.append(Check(CheckKind.MARKER_OUT_OF_RANGE, f"[{m}] names no passage (there were {n})", claim.text, "removed"))
            claim_terms = terms(claim.text, language)
            scored = {i: self.scorer.best(vec, passages[i - 1], claim_terms, language) for i in range(1, n + 1)}
            said_by = claimed_speaker(claim.text)
            if said_by and not any(names(t, said_by) for t in signed):
                said_by = None  # named in no passage (another spelling, or no person): the name checks judge it

            def spoke(i: int) -> bool:
                # the passage must name who the claim says spoke (or be by them: author or outlet)
                return said_by is None or names(signed[i - 1], said_by)

            def ok(ids: list[int], speaker: bool = True) -> bool:
                evidence = " ".join(passages[i - 1].text for i in ids) + " " + question.search
                named_in = " ".join(signed[i - 1] for i in ids) + " " + question.search
                return (bool(ids) and (not speaker or any(spoke(i) for i in ids))
                        and rules.supported(claim, evidence, named_in, language)
                        and max(scored[i][0] for i in ids) >= self.min_support)

            if said_by:
                # moving a misattributed claim onto a passage that names the speaker but says
                # something else would only dress it up: it goes, unless a passage it cites
                # names the speaker and supports it
                says_it = max((i for i in scored if ok([i], speaker=False)), key=lambda i: scored[i][2], default=None)
                named = [scored[i][2] for i in scored if spoke(i) and ok([i])]
                cited_ok = any(spoke(i) and ok([i]) for i in valid)
                if (says_it is not None and not spoke(says_it) and not cited_ok
                        and (not named or scored[says_it][2] > max(named) + self.cite_margin)):
                    checks.append(Check(CheckKind.CLAIM_REMOVED, f"it says {said_by} said it; the passage that says it ([{says_it}]) does not name {said_by}", claim.text, "removed"))
                    continue
            keep = [i for i in valid if scored[i][0] >= self.min_support]
            for i in valid:
                if i not in keep:
                    checks.append(Check(CheckKind.MARKER_UNSUPPORTED, f"passage [{i}] does not support the claim (similarity {scored[i][0]:.2f})", claim.text, "removed"))
            if not ok(keep):
                ranked = sorted(scored, key=lambda i: -scored[i][2])
                alt = next((i for i in ranked if ok([i])), None)
                if alt is None:
                    why = rules.why_unsupported(claim, everything, language)
                    if said_by and any(ok([i], speaker=False) for i in ranked):
                        why = f"it says {said_by} said it; the passage that supports it does not name {said_by}"
                    checks.append(Check(CheckKind.CLAIM_REMOVED, why, claim.text, "removed"))
                    continue
                checks.append(Check(CheckKind.REATTRIBUTED, f"cited {valid or 'nothing'}, supported by [{alt}]", claim.text, "reattributed"))
                keep = [alt]
            else:
                # cite the passage that supports the claim best, not merely one that passes
                best_cited = max(scored[i][2] for i in keep)
                better = sorted((i for i in scored if i not in keep and scored[i][2] > best_cited + self.cite_margin), key=lambda i: -scored[i][2])
                alt = next((i for i in better if ok([i])), None)
                if alt is not None:
                    checks.append(Check(CheckKind.REATTRIBUTED, f"cited {keep}, supported better by [{alt}] ({scored[alt][2]:.2f} vs {best_cited:.2f})", claim.text, "reattributed"))
                    keep = [alt]
                else:
                    weak = [i for i in keep if scored[i][2] < best_cited - self.cite_margin and len(keep) > 1]
                    if weak and ok([i for i in keep if i not in weak]):
                        checks.append(Check(CheckKind.MARKER_UNSUPPORTED, f"passage(s) {weak} support the claim less than {[i for i in keep if i not in weak]}", claim.text, "removed"))
                        keep = [i for i in keep if i not in weak]
            failed = self._sentence_rules(claim, keep, passages, scored, question)
            if failed:
                checks.append(failed)
                continue
            if kept_vecs and max(float(vec @ k) for k in kept_vecs) > 0.97:
                checks.append(Check(CheckKind.CLAIM_DUPLICATE, "repeats an earlier sentence", claim.text, "removed"))
                continue
            if len(out_sentences) + (pending is not None) >= MAX_CLAIMS:  # a held header needs room for an item
                checks.append(Check(CheckKind.CLAIM_TRIMMED, f"answers keep at most {MAX_CLAIMS} sentences", claim.text, "removed"))
                continue
            if pending is not None:
                if claim.item:
                    emit(*pending)
                else:
                    checks.append(Check(CheckKind.CLAIM_REMOVED, "the sentence announces a list that does not follow", pending[0].text, "removed"))
                pending = None
            if LIST_HEAD.search(claim.text):
                pending = (claim, vec, keep, scored)  # kept only if a list item survives after it
                continue
            emit(claim, vec, keep, scored)
        if pending is not None:
            checks.append(Check(CheckKind.CLAIM_REMOVED, "the sentence announces a list that does not follow", pending[0].text, "removed"))
        # the quote is the sentence of the claim the passage supports best; every claim's sentence is a span
        citations = [citation(i, passages[i - 1], cites[i][1], quoted[i]) for i in sorted(cites)]
        return Verified(" ".join(out_sentences), citations, checks, len(out_sentences), len(claims), supports)

    def _sentence_rules(self, claim: Claim, keep: list[int], passages: list[Passage], scored: dict, question: Question) -> Check | None:
        """The SENTENCE rules, against the sentence each kept passage is cited for: a claim
        passes when one of its passages passes them all."""
        failures = []
        for i in keep:
            p = passages[i - 1]
            span = scored[i][1]
            spans = self.scorer.sentences(p)[0]
            sentence = p.text[span[0] : span[1]]
            ev = rules.Evidence(p, sentence, window(p, span, spans))
            found = rules.denies(claim, sentence, question.language, p.language)
            if not found and self.entity_check:
                found = rules.wrong_entity(claim, ev, question, self.stats, question.language)
            if not found:
                return None
            failures.append(found)
        return failures[0] if failures else None
