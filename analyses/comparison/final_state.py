"""Final-state statistics of a comparison: differences, how sure they are, and robustness.

A planner needs three answers: how different are the scenarios at the end (mean, interval,
difference from the first scenario, whether it matters in practice, in how many paired runs
one does better), what is each made of (tendencies, models of concertation, who sits where,
where the money went), and which choice holds up under every uncertain condition rather than
on average only. No standardised effect size: the spread between runs is the model's own
randomness, so a standardised difference would measure the number of replications.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runs import HEADLINE, t_half_width
from .guide import INDICATORS, Indicator

ROBUSTNESS_INDICATOR = "hyperconcertation_index"


def final_rows(runs: pd.DataFrame) -> pd.DataFrame:
    """The last recorded step of every run."""
    keys = ["scenario", "condition", "replication"]
    last = runs["step"] == runs.groupby(keys)["step"].transform("max")
    return runs.loc[last].reset_index(drop=True)


def mean_interval(values: np.ndarray, bounds: tuple[float, float] = (-np.inf, np.inf),
                  level: float = 0.95) -> tuple[float, float]:
    """Student-t interval of a mean (analyses.runs.t_half_width, as the summary's), clipped
    to `bounds` (what the quantity can take: a share's interval never leaves [0, 1]); with
    few runs it is wide, as it should be (a percentile bootstrap of 3 runs is hardly wider
    than their range). NaN with fewer than two values."""
    values = values[~np.isnan(values)]
    if values.size < 2:
        return float("nan"), float("nan")
    half = float(t_half_width(values.std(ddof=1), values.size, level))
    centre = values.mean()
    return float(max(centre - half, bounds[0])), float(min(centre + half, bounds[1]))


def value_bounds(guide: Indicator | None) -> tuple[float, float]:
    return (guide.low, guide.high) if guide else (-np.inf, np.inf)


def difference_bounds(guide: Indicator | None) -> tuple[float, float]:
    """A difference of two values in [low, high] lies in [low - high, high - low]."""
    low, high = value_bounds(guide)
    return low - high, high - low


def paired(final: pd.DataFrame, indicator: str, scenario: str, reference: str
           ) -> tuple[np.ndarray, np.ndarray]:
    """The indicator's final values of two scenarios, paired by condition and replication:
    with common random numbers a pair shares its seed and its uncertain condition."""
    keys = ["condition", "replication"]
    mine = final.loc[final["scenario"] == scenario].set_index(keys)[indicator]
    theirs = final.loc[final["scenario"] == reference].set_index(keys)[indicator]
    both = mine.to_frame("mine").join(theirs.rename("theirs"), how="inner")
    return both["mine"].to_numpy(float), both["theirs"].to_numpy(float)


def share_better(mine: np.ndarray, theirs: np.ndarray, higher_is_better: bool | None) -> float:
    """In what share of paired runs the scenario did better than the reference (ties count
    half): how sure we are, across replications and uncertain conditions."""
    if higher_is_better is None or mine.size == 0:
        return float("nan")
    better = mine > theirs if higher_is_better else mine < theirs
    return float((better.sum() + 0.5 * (mine == theirs).sum()) / mine.size)


def final_table(runs: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Per scenario and indicator, over every run (replications x conditions): mean and its
    95% interval (mean_interval); difference from the first scenario, paired by seed and
    condition, with its interval; whether it matters in practice (|difference| at least the indicator's
    threshold, analyses.comparison.guide); and the share of paired runs it does better in."""
    columns = columns or list(HEADLINE)
    final = final_rows(runs)
    rows = []
    scenarios = list(dict.fromkeys(final["scenario"]))
    reference = scenarios[0]
    for scenario in scenarios:
        for indicator in columns:
            values = final.loc[final["scenario"] == scenario, indicator].to_numpy(float)
            guide = INDICATORS.get(indicator)
            low, high = mean_interval(values, value_bounds(guide))
            mine, theirs = paired(final, indicator, scenario, reference)
            row = {"scenario": scenario, "indicator": indicator, "n": int(values.size),
                   "mean": float(np.nanmean(values)) if values.size else float("nan"),
                   "sd": float(np.nanstd(values, ddof=1)) if values.size > 1 else float("nan"),
                   "ci95_low": low, "ci95_high": high}
            if scenario == reference:
                row |= {"difference": 0.0, "difference_low": 0.0, "difference_high": 0.0,
                        "matters": "reference", "share_better": float("nan")}
            else:
                diff_low, diff_high = mean_interval(mine - theirs, difference_bounds(guide))
                difference = float(np.mean(mine - theirs))
                row |= {"difference": difference, "difference_low": diff_low,
                        "difference_high": diff_high,
                        "matters": matters(difference, diff_low, diff_high, guide),
                        "share_better": share_better(
                            mine, theirs, guide.higher_is_better if guide else None)}
            rows.append(row)
    return pd.DataFrame(rows)


def matters(difference: float, low: float, high: float, guide: Indicator | None) -> str:
    """'yes' when the whole interval is beyond the threshold, 'no' when it is all within it,
    'unclear' otherwise (more replications would tell)."""
    if guide is None or np.isnan(low):
        return "unclear"
    threshold = guide.threshold
    if low >= threshold or high <= -threshold:
        return "yes"
    if -threshold < low and high < threshold:
        return "no"
    return "unclear"


def composition(runs: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """Mean final share of tables per category (tendency_* or model_*), per scenario."""
    final = final_rows(runs)
    columns = [c for c in final.columns if c.startswith(prefix)]
    shares = final.groupby("scenario", sort=False)[columns].mean()
    shares.columns = [c.removeprefix(prefix) for c in columns]
    return shares


def memberships_by_type(runs: pd.DataFrame) -> pd.DataFrame:
    final = final_rows(runs)
    columns = {"memberships_group_mean": "community groups",
               "memberships_institution_mean": "institutions",
               "memberships_funder_seat_mean": "funders' seats",
               "memberships_citizen_mean": "citizens"}
    present = {k: v for k, v in columns.items() if k in final.columns}
    return final.groupby("scenario", sort=False)[list(present)].mean().rename(columns=present)


MONEY_FLOWS = ["funding_to_projects", "funding_to_operation", "funding_to_members"]


def money(runs: pd.DataFrame) -> pd.DataFrame:
    """Cumulative programme money per territory, by where it went (collective projects,
    running tables, paying members to sit), and the share reaching projects: the mean of the
    runs' `funding_to_projects_share`, the figure the verdict and the final-state table give.
    NaN where no programme money was spent."""
    final = final_rows(runs)
    grouped = final.groupby("scenario", sort=False)
    frame = grouped[MONEY_FLOWS].mean()
    spent = final[MONEY_FLOWS].sum(axis=1) > 0
    frame["share_to_projects"] = final["funding_to_projects_share"].where(spent).groupby(
        final["scenario"], sort=False).mean()
    return frame


def robustness(runs: pd.DataFrame, indicator: str = ROBUSTNESS_INDICATOR) -> pd.DataFrame:
    """Across uncertain conditions: mean, worst case, share of conditions where the scenario
    is best, and maximum regret (distance to the best scenario in that condition)."""
    better_high = INDICATORS[indicator].higher_is_better is True
    final = final_rows(runs)
    per_condition = final.groupby(["condition", "scenario"], sort=False)[indicator].mean() \
        .unstack("scenario")
    best = per_condition.max(axis=1) if better_high else per_condition.min(axis=1)
    regret = (best.to_numpy()[:, None] - per_condition) if better_high else (
        per_condition - best.to_numpy()[:, None])
    winners = per_condition.idxmax(axis=1) if better_high else per_condition.idxmin(axis=1)
    worst = per_condition.min() if better_high else per_condition.max()
    return pd.DataFrame({
        "mean": per_condition.mean(),
        "worst_case": worst,
        "best_in_share_of_conditions": [float((winners == s).mean()) for s in per_condition],
        "max_regret": regret.max(),
        "conditions": len(per_condition),
    })
