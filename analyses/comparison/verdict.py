"""The answer a planner can quote, in English and French: the scenarios ranked on the
hyperconcertation index, how sure each step of the ranking is (the share of paired runs, same
seed and same uncertain condition, in which one does better than the next), and where each
scenario stands on over-solicitation, appropriation, citizen participation, integration and
money reaching projects."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .final_state import (
    difference_bounds,
    final_rows,
    matters,
    mean_interval,
    paired,
    share_better,
)
from .guide import INDICATORS, VERDICT_DIMENSIONS

INDEX = "hyperconcertation_index"
NARROW_SPACE = "\u202f"  # French: before % and between thousands


def number(value: float, language: str, digits: int = 2) -> str:
    """A number as the reader writes it: 0.31 in English, 0,31 in French; NaN as a dash."""
    if value is None or np.isnan(value):
        return "—"
    text = f"{value:,.{digits}f}"
    if language == "fr":
        text = text.replace(",", NARROW_SPACE).replace(".", ",")
    return text


def percent(value: float, language: str) -> str:
    """65% in English, 65 % (narrow no-break space) in French."""
    if value is None or np.isnan(value):
        return "—"
    return f"{100 * value:.0f}{NARROW_SPACE if language == 'fr' else ''}%"


def value_text(indicator: str, value: float, language: str) -> str:
    guide = INDICATORS[indicator]
    if guide.unit["en"].startswith("share"):
        return percent(value, language)
    return number(value, language, 0 if guide.high == np.inf and value >= 10 else 2)


def ranking(final: pd.DataFrame, indicator: str = INDEX) -> list[str]:
    """Scenarios from best to worst on the indicator's mean."""
    means = final.groupby("scenario", sort=False)[indicator].mean()
    return list(means.sort_values(ascending=not INDICATORS[indicator].higher_is_better,
                                  kind="stable").index)


WORDS = {
    "en": {
        "ranking": "Ranked from least to most hyperconcertation (index 0-1, lower is better; "
                   "'<' a difference that matters in practice, '≈' none established): ",
        "caution": "Only {n} paired runs per scenario: intervals are wide and most "
                   "differences stay unclear; run --replications 10 or more before deciding.",
        "same": "like the others on",
        "beats": ", better than {worst} in {share} of paired runs",
        "answer": {"yes": "{a} avoids hyperconcertation best: its index is lower than {b}'s "
                          "(the next best) in {share} of paired runs, by a difference that "
                          "matters in practice.",
                   "no": "No scenario clearly avoids hyperconcertation better: {a} and {b} "
                         "differ too little to matter in practice.",
                   "unclear": "{a} may avoid hyperconcertation best, but not surely: its "
                              "index is lower than {b}'s (the next best) in {share} of paired "
                              "runs, and more replications would tell whether that matters.",
                   "group": "{group} avoid hyperconcertation best, with no difference that "
                            "matters between them; {last} does better than {b} in {share} of "
                            "paired runs, by a difference that matters in practice."},
        "pairing": ("same seed", "same seed, same uncertain condition"),
        "step": "{a} has a lower index than {b} in {share} of paired runs ({pairing}; "
                "{n} pairs). The difference, {diff} [{low}, {high}], {how}; "
                "a difference matters in practice from {threshold}.",
        "yes": "matters in practice", "no": "is too small to matter in practice",
        "unclear": "may or may not matter in practice: more replications would tell",
        "best": "best on", "worst": "worst on", "middle": "between the others on",
        "and": " and ", "between": "; ", "single": "Only one scenario: nothing to rank.",
    },
    "fr": {
        "ranking": "Du moins au plus hyperconcerté (indice de 0 à 1, plus bas vaut mieux ; "
                   "« < » un écart qui compte en pratique, « ≈ » aucun établi) : ",
        "caution": "Seulement {n} paires de simulations par scénario : les intervalles sont "
                   "larges et la plupart des écarts restent incertains ; faites au moins "
                   "--replications 10 avant de décider.",
        "same": "comme les autres pour",
        "beats": ", mieux que {worst} dans {share} des paires",
        "answer": {"yes": "{a} évite le mieux l'hyperconcertation : son indice est plus bas "
                          "que celui de {b} (le suivant) dans {share} des paires de "
                          "simulations, d'un écart qui compte en pratique.",
                   "no": "Aucun scénario n'évite nettement mieux l'hyperconcertation : {a} et "
                         "{b} diffèrent trop peu pour que cela compte en pratique.",
                   "unclear": "{a} évite peut-être le mieux l'hyperconcertation, mais sans "
                              "certitude : son indice est plus bas que celui de {b} (le "
                              "suivant) dans {share} des paires de simulations, et plus de "
                              "répétitions diraient si cela compte.",
                   "group": "{group} évitent le mieux l'hyperconcertation, sans écart qui "
                            "compte entre eux ; {last} fait mieux que {b} dans {share} des "
                            "paires de simulations, d'un écart qui compte en pratique."},
        "pairing": ("même germe aléatoire", "même germe aléatoire, même condition incertaine"),
        "step": "{a} a un indice plus bas que {b} dans {share} des paires de simulations "
                "({pairing} ; {n} paires). L'écart, {diff} "
                "[{low} ; {high}], {how} ; un écart compte en pratique à partir de "
                "{threshold}.",
        "yes": "compte en pratique", "no": "est trop petit pour compter en pratique",
        "unclear": "peut compter ou non en pratique : plus de répétitions le diraient",
        "best": "meilleur pour", "worst": "moins bon pour", "middle": "entre les autres pour",
        "and": " et ", "between": " ; ", "single": "Un seul scénario : rien à classer.",
    },
}


# Fewer paired runs than this, and the verdict says its intervals are wide.
FEW_REPLICATIONS = 10


def verdict(runs: pd.DataFrame, language: str) -> dict[str, object]:
    """The verdict's parts: `answer` (the sentence to quote: which scenario avoids
    hyperconcertation best, and how surely), `ranking` (one sentence), `steps` (one sentence
    per consecutive pair of the ranking), `standing` (scenario -> one sentence) and `caution`
    (a sentence when the runs are too few to decide, else empty)."""
    words = WORDS[language]
    final = final_rows(runs)
    order = ranking(final)
    means = final.groupby("scenario", sort=False)[INDEX].mean()
    if len(order) < 2:
        return {"answer": "", "ranking": words["single"], "steps": [], "standing": {},
                "caution": ""}
    guide = INDICATORS[INDEX]
    steps, signs, verdicts, pairs = [], [], [], 0
    pairing = words["pairing"][final["condition"].nunique() > 1]
    for better, worse in itertools.pairwise(order):
        mine, theirs = paired(final, INDEX, better, worse)
        low, high = mean_interval(theirs - mine, difference_bounds(guide))
        difference = float(np.mean(theirs - mine))
        how = matters(difference, low, high, guide)
        signs.append(" < " if how == "yes" else " ≈ ")
        verdicts.append((how, percent(share_better(mine, theirs, False), language)))
        pairs = mine.size
        steps.append(words["step"].format(
            a=better, b=worse, pairing=pairing,
            share=percent(share_better(mine, theirs, False), language),
            n=mine.size, diff=number(difference, language), low=number(low, language),
            high=number(high, language), how=words[how],
            threshold=number(guide.threshold, language)))
    named = [f"{name} ({number(means[name], language)})" for name in order]
    sentence = words["ranking"] + named[0] + "".join(
        sign + text for sign, text in zip(signs, named[1:], strict=True)) + "."
    caution = words["caution"].format(n=pairs) if pairs < FEW_REPLICATIONS else ""
    answer = _answer(order, verdicts, words)
    return {"answer": answer, "ranking": sentence, "steps": steps,
            "standing": standing(final, language), "caution": caution}


def _answer(order: list[str], verdicts: list[tuple[str, str]], words: dict) -> str:
    """The sentence to quote. The leaders are the best scenario and those after it with no
    difference that matters; if a scenario after them differs in a way that matters, the
    answer names the leaders together and that step, else it judges the first step."""
    leaders = next((k + 1 for k, (how, _) in enumerate(verdicts) if how == "yes"), 0)
    if leaders > 1:
        return words["answer"]["group"].format(
            group=_listing(order[:leaders], words["and"]), last=order[leaders - 1],
            b=order[leaders], share=verdicts[leaders - 1][1])
    how, share = verdicts[0]
    return words["answer"][how].format(a=order[0], b=order[1], share=share)


def _established(mine: np.ndarray, theirs: np.ndarray, indicator: str) -> bool:
    """Whether two scenarios' paired values differ in a way that matters in practice (their
    paired interval passes the indicator's threshold)."""
    guide = INDICATORS[indicator]
    low, high = mean_interval(mine - theirs, difference_bounds(guide))
    return matters(float(np.mean(mine - theirs)), low, high, guide) == "yes"


def standing(final: pd.DataFrame, language: str) -> dict[str, str]:
    """For each scenario, the dimensions it is best, worst or in between on, with its values;
    'like the others' on a dimension where best and worst do not differ in a way that
    matters in practice."""
    words = WORDS[language]
    places: dict[str, dict[str, list[str]]] = {
        name: {"best": [], "worst": [], "middle": [], "same": []}
        for name in dict.fromkeys(final["scenario"])}
    means = final.groupby("scenario", sort=False)[VERDICT_DIMENSIONS].mean()
    for indicator in VERDICT_DIMENSIONS:
        order = ranking(final, indicator)
        guide = INDICATORS[indicator]
        best, worst = paired(final, indicator, order[0], order[-1])
        established = _established(best, worst, indicator)
        for position, name in enumerate(order):
            place = ("same" if not established else "best" if position == 0
                     else "worst" if position == len(order) - 1 else "middle")
            value = value_text(indicator, means.at[name, indicator], language)
            if place == "best":  # how sure: the share of paired runs it beats the worst in
                value += words["beats"].format(worst=order[-1], share=percent(
                    share_better(best, worst, guide.higher_is_better), language))
            places[name][place].append(f"{guide.name[language]} ({value})")
    out = {}
    for name, found in places.items():
        parts = [f"{words[place]} {_listing(items, words['and'])}"
                 for place, items in found.items() if items]
        out[name] = words["between"].join(parts) + "."
    return out


def _listing(items: list[str], conjunction: str) -> str:
    """a, b and c."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + conjunction + items[-1]
