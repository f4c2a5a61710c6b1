"""Final-state statistics of a comparison: differences, effect sizes and robustness.

A planner needs three answers: how different are the scenarios at the end (mean, interval,
difference from the first scenario, effect size), what is each made of (tendencies, models of
concertation, who sits where, where the money went), and which choice holds up under every
uncertain condition rather than on average only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..runs import HEADLINE, mean_ci

# For each headline indicator, whether more is better for the community (None: neither).
DIRECTION: dict[str, bool | None] = {
    "tables_active": None, "tables_programme_share": False, "memberships_per_actor": False,
    "over_solicited_share": False, "appropriation": True, "instrumentalisation": False,
    "citizen_share": True, "integration": True, "collective_projects": True,
    "hyperconcertation_index": False,
}
ROBUSTNESS_INDICATOR = "hyperconcertation_index"


def final_rows(runs: pd.DataFrame) -> pd.DataFrame:
    """The last recorded step of every run."""
    keys = ["scenario", "condition", "replication"]
    last = runs["step"] == runs.groupby(keys)["step"].transform("max")
    return runs.loc[last].reset_index(drop=True)


def hedges_g(a: np.ndarray, b: np.ndarray) -> float:
    """Standardised mean difference (a - b), small-sample corrected; NaN without spread."""
    n_a, n_b = len(a), len(b)
    if n_a < 2 or n_b < 2:
        return float("nan")
    pooled = np.sqrt(((n_a - 1) * a.var(ddof=1) + (n_b - 1) * b.var(ddof=1)) / (n_a + n_b - 2))
    if pooled == 0:
        return float("nan")
    correction = 1 - 3 / (4 * (n_a + n_b) - 9)
    return float((a.mean() - b.mean()) / pooled * correction)


def effect_label(g: float) -> str:
    """Cohen's conventional words for the size of an effect."""
    if np.isnan(g):
        return "n/a"
    size = abs(g)
    return ("negligible" if size < 0.2 else "small" if size < 0.5 else "medium" if size < 0.8
            else "large")


def final_table(runs: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Per scenario and indicator: mean, 95% interval, difference from the first scenario and
    Hedges' g, over every run (replications x conditions)."""
    columns = columns or list(HEADLINE)
    final = final_rows(runs)
    table = mean_ci(final, ["scenario"], columns)
    reference = table["scenario"].iloc[0]
    diffs, effects = [], []
    for row in table.itertuples():
        mine = final.loc[final["scenario"] == row.scenario, row.indicator].to_numpy(float)
        first = final.loc[final["scenario"] == reference, row.indicator].to_numpy(float)
        diffs.append(mine.mean() - first.mean())
        effects.append(hedges_g(mine, first) if row.scenario != reference else 0.0)
    table["difference"] = diffs
    table["hedges_g"] = effects
    table["effect"] = [effect_label(g) if s != reference else "reference"
                       for g, s in zip(effects, table["scenario"], strict=True)]
    return table


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


def money(runs: pd.DataFrame) -> pd.DataFrame:
    """Cumulative funding per territory: reaching collective projects vs running tables."""
    final = final_rows(runs)
    frame = final.groupby("scenario", sort=False)[
        ["funding_to_projects", "funding_to_operation"]].mean()
    frame["share_to_projects"] = frame["funding_to_projects"] / (
        frame["funding_to_projects"] + frame["funding_to_operation"]).replace(0, np.nan)
    return frame


def robustness(runs: pd.DataFrame, indicator: str = ROBUSTNESS_INDICATOR) -> pd.DataFrame:
    """Across uncertain conditions: mean, worst case, share of conditions where the scenario
    is best, and maximum regret (distance to the best scenario in that condition)."""
    better_high = DIRECTION.get(indicator) is True
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
