"""Whether a figure is of what is or of what may be: a count of troops there, or a plan or guess.

"will bis zu 12.000 bereitstellen" (a plan) and "spricht der NIS von 3000 bereits nach
Russland gebrachten Soldaten" (a count) are both the NIS's, and both about soldiers. The
figure lists (rag/conflicts.py) keep the plans for a question about plans and the counts
for one about what is; the claim checks (rag/checks.py) remove a claim that gives a
count as a plan or a plan as a count ("3000 soldiers the NIS says Pyongyang wants to
provide", over the sentence of the 3000 already brought). Word lists, not a parser: the
cues are few and the articles use them plainly.
"""
from __future__ import annotations

import re

# a figure of what may or is meant to happen, not of what is: "könnte demnächst bis zu 30.000
# weitere Soldaten entsenden", "will bis zu 12.000 bereitstellen", "womöglich bald", "will send".
# Not "werden" alone: "bis zum 28. Oktober … stationiert sein werden" reports a count on a date
SPECULATIVE = re.compile(
    r"\b(könnten?|würden?|womöglich|möglicherweise|vielleicht|demnächst|bald|will|wolle|wollen|wollte|plant|planen|"
    r"geplant|vorbereite\w*|angekündigt|kündigte\w*|zugesagt|could|might|would|wants?|plans?|planned|soon|possibly|"
    r"announc\w*|promised|pledged|(schicken|entsenden|senden|verlegen|liefern|bereitstellen) (wird|werde|werden))\b",
    re.I,
)  # not "may": "in May" is a month
# what is or was, not what may be ("schon in Russland", "were deployed")
ACTUAL = re.compile(r"\b(schon|bereits|bisher|inzwischen|mittlerweile|derzeit|aktuell|waren|wurden|already|so far|currently|were)\b", re.I)
# English "will" is the future, also of counts ("5,000 will be stationed by 28 October", from
# "… stationiert sein werden"); German "will" is "wants"
_ENGLISH_WILL = re.compile(r"\bwill\b", re.I)


def is_plan(text: str, language: str = "de") -> bool:
    if language == "en":
        text = _ENGLISH_WILL.sub(" ", text)
    return bool(SPECULATIVE.search(text))


def is_count(text: str) -> bool:
    return bool(ACTUAL.search(text))


def wrong_mood(claim: str, sentences: list[str], language: str) -> str | None:
    """How `claim` turns what its number's `sentences` say: "a plan" (it states a count of
    what is as a plan: "wants to provide 3000" over "3000 bereits gebracht") or "a count" (a
    plan as a count: "has already sent 12,000" over "will 12.000 bereitstellen"). None when
    they agree, when the claim says both or neither, or when a sentence says both; a sentence
    that says neither ("12.000 seien zu viele", a headline) is not asked."""
    plan, count = is_plan(claim, language), is_count(claim)
    moods = [(is_plan(s), is_count(s)) for s in sentences]
    if plan == count or any(p and c for p, c in moods):
        return None
    judged = [p for p, c in moods if p or c]  # True: a plan, False: a count
    if not judged:
        return None
    if plan and not any(judged):
        return "a plan"
    if count and all(judged):
        return "a count"
    return None
