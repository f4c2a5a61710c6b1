"""Robustness of the model's conclusions over the plausible parameter space.

The conclusions are scenario contrasts (P1, P2, P6, P7 and the `programme_driven` vs
`co_construction` bundle). A conclusion that holds only at the default point is not a finding:
each contrast is measured at every point of a Latin hypercube over the model's assumption
parameters, and reported as the share of the space where it holds, with the parameters that
make it fail (PRIM, from EMA Workbench, on the points where it fails).

The plausible space (an assumption, stated in docs/ODD.md §12): every numeric behavioural
parameter at 0.5 to 1.5 times the value the scenario gives it, within its schema bounds.
Population sizes, run settings and the spin-up are layout, not behaviour; the levers the
contrasts compare (launch rate, last launch year, table mode, favourable conditions), booleans
and choices stay as the scenario sets them; a parameter at 0 is a lever switched off and stays
off.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from simulation import ConcertationModel, load_scenario
from simulation.conditions import favourable_overrides

from ..experiments.engines import execute
from ..sensitivity.study import _range, markdown_table
from .calibration import latin_hypercube
from .patterns import P2_LATE_FROM_YEAR, P2_STOP_YEAR, foundation_tables_at_exit, yearly_slopes

LOW, HIGH = 0.5, 1.5  # multipliers of each scenario's own value
PRIM_DENSITY = 0.8  # share of failing points a box must hold to name its parameters
# Fewer failures than this and a box only describes those points, not a region of the space.
PRIM_MIN_FAILURES = 5
LAYOUT_PREFIXES = ("run.", "population.", "initial.")
CONTRAST_LEVERS = {"programmes.launch_rate_multiplier", "programmes.last_launch_year",
                   "programmes.design.table_mode", "process.favourable_conditions"}
SCENARIOS = ("programme_driven", "baseline", "co_construction")

# The arms each point runs: (name, scenario, overrides the arm adds to the point).
ARMS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("driven", "programme_driven", {}),
    ("driven_bottom_up", "programme_driven", {"programmes.design.table_mode": "existing"}),
    ("driven_stopped", "programme_driven", {"programmes.last_launch_year": P2_STOP_YEAR}),
    ("baseline", "baseline", {}),
    ("baseline_favourable", "baseline", favourable_overrides()),
    ("co_construction", "co_construction", {}),
    ("funder_exit", "funder_exit", {}),
)


Arms = dict[str, pd.Series]  # per arm, the means over seeds of what the contrasts read


def _difference(higher: str, lower: str, measure: str) -> Callable[[Arms], float]:
    return lambda arms: arms[higher][measure] - arms[lower][measure]


def _stops_growing(arms: Arms) -> float:
    """Positive when the slope after the stop is below zero and below the going-on slope."""
    stopped = arms["driven_stopped"]["late_slope"]
    return min(arms["driven"]["late_slope"] - stopped, -stopped)


@dataclass(frozen=True)
class Contrast:
    name: str
    statement: str
    effect: Callable[[Arms], float]  # positive when the contrast holds at a point


CONTRASTS = (
    Contrast("P1 over-solicitation", "programme-made tables over-solicit more actors than "
             "the same programmes funding tables made bottom-up (programme_driven)",
             _difference("driven", "driven_bottom_up", "over_solicited_share")),
    Contrast("P1 appropriation", "tables made bottom-up are more appropriated than "
             "programme-made ones (programme_driven)",
             _difference("driven_bottom_up", "driven", "appropriation")),
    Contrast("P2 response", f"once launches stop after year {P2_STOP_YEAR:g}, tables stop "
             f"growing (slope from year {P2_LATE_FROM_YEAR} <= 0) and grow less than while "
             "launches go on (programme_driven)", _stops_growing),
    Contrast("P7 appropriation", "the eight favourable conditions raise appropriation "
             "(baseline)", _difference("baseline_favourable", "baseline", "appropriation")),
    Contrast("P6 funder exit", "after the foundation leaves (funder_exit, year 10), its "
             "least appropriated third of tables dissolves within three years more often "
             "than its most appropriated third (the direction; the pattern also asks a gap "
             "of 0.20, judged with 24 seeds in docs/validation.md)",
             lambda arms: arms["funder_exit"]["p6_gap"]),
    Contrast("bundle index", "programme_driven scores a higher hyperconcertation index than "
             "co_construction",
             _difference("driven", "co_construction", "hyperconcertation_index")),
)


@cache
def scenario_values(name: str) -> dict[str, Any]:
    """A shipped scenario's parameters as dotted paths, read once per process (read-only)."""
    return load_scenario(name).flat()


def space() -> dict[str, tuple[float | None, float | None, bool]]:
    """The parameters of the plausible space: path -> (lower bound, upper bound, integer)."""
    values = {name: scenario_values(name) for name in SCENARIOS}
    factors = {}
    for path, default in values["baseline"].items():
        if path.startswith(LAYOUT_PREFIXES) or path in CONTRAST_LEVERS or "." not in path:
            continue
        if isinstance(default, bool) or not isinstance(default, int | float):
            continue
        if not any(values[name][path] for name in SCENARIOS):
            continue  # a lever switched off everywhere
        low, high, _ = _range(path)
        factors[path] = (low, high, isinstance(default, int))
    return factors


def point_overrides(multipliers: dict[str, float], scenario: str,
                    factors: dict[str, tuple[float | None, float | None, bool]]
                    ) -> dict[str, Any]:
    """The point's multipliers applied to the scenario's own values, within bounds."""
    own = scenario_values(scenario)
    overrides: dict[str, Any] = {}
    for path, multiplier in multipliers.items():
        low, high, integer = factors[path]
        value = float(np.clip(own[path] * multiplier, -np.inf if low is None else low,
                              np.inf if high is None else high))
        overrides[path] = round(value) if integer else value
    # The programme's money splits into shares that must leave something for projects.
    shares = ("programmes.design.coordination_share", "programmes.design.member_grant_share")
    total = sum(overrides.get(name, own[name]) for name in shares)
    if total > 1:
        for name in shares:
            overrides[name] = overrides.get(name, own[name]) / total
    return overrides


def measure_run(task: dict[str, Any]) -> dict[str, Any]:
    """Worker body: one run, reduced to what the contrasts read."""
    model = ConcertationModel(task["scenario"], rng=task["seed"], **task["overrides"]).run()
    frame = model.model_frame()
    final = frame.iloc[-1]
    gap = np.nan
    if task["arm"] == "funder_exit":
        own = foundation_tables_at_exit(model.table_records(), model.table_history())
        if own is not None:
            collapsed = own.groupby("third")["collapsed"].mean()
            gap = collapsed.get(0, np.nan) - collapsed.get(2, np.nan)
    yearly_points = len(frame[::12]) - P2_LATE_FROM_YEAR  # a slope needs two of them
    late = yearly_slopes([frame], P2_LATE_FROM_YEAR).iloc[0] if yearly_points >= 2 else np.nan
    return {"point": task["point"], "arm": task["arm"], "seed": task["seed"],
            "over_solicited_share": final["over_solicited_share"],
            "appropriation": final["appropriation"],
            "hyperconcertation_index": final["hyperconcertation_index"], "late_slope": late,
            "p6_gap": gap}


@dataclass
class Robustness:
    points: pd.DataFrame  # multipliers, each contrast's effect and verdict per point
    seeds: int
    names: list[str]

    def summary(self) -> pd.DataFrame:
        rows = []
        for contrast in CONTRASTS:
            judged = self.points[f"{contrast.name} effect"].notna()
            holds = self.points.loc[judged, f"{contrast.name} holds"]
            n, k = len(holds), int(holds.sum())
            low, high = wilson(k, n)
            share = f"{k / n:.0%} [{low:.0%}, {high:.0%}]" if n else "not judged (runs too short)"
            rows.append({"contrast": contrast.name, "statement": contrast.statement,
                         "points": n, "holds in": share,
                         "parameters that break it": self.breakers(contrast),
                         "strongest rank correlations with the effect": self.correlates(
                             contrast)})
        return pd.DataFrame(rows)

    def breakers(self, contrast: Contrast) -> str:
        """PRIM (EMA Workbench) over the points where the contrast fails: along its peeling
        trajectory, the box that covers most failures while at least PRIM_DENSITY of its
        points fail; its restricted parameters are the ones that break the contrast."""
        judged = self.points[f"{contrast.name} effect"].notna().to_numpy()
        fails = ~self.points[f"{contrast.name} holds"].to_numpy()[judged]
        if fails.size == 0:
            return ""
        if not fails.any():
            return "none found"
        if fails.sum() < PRIM_MIN_FAILURES:
            return (f"{int(fails.sum())} failing point(s): too few for PRIM to locate a "
                    "region (see the rank correlations)")
        if fails.all():
            return "fails everywhere"
        from ema_workbench.analysis import prim

        x = self.points.loc[judged, self.names].reset_index(drop=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = prim.Prim(x, fails, peel_alpha=0.1).find_box()
        trajectory = found.peeling_trajectory
        dense = trajectory[trajectory["density"] >= PRIM_DENSITY]
        if dense.empty:
            return f"no box where {PRIM_DENSITY:.0%} of the points fail"
        index = int(dense["coverage"].idxmax())
        initial, box = found.box_lims[0], found.box_lims[index]
        restricted = [name for name in self.names if not np.allclose(
            box[name].to_numpy(dtype=float), initial[name].to_numpy(dtype=float))]
        if not restricted:
            return "no box found"
        parts = [f"{name} x[{box[name].iloc[0]:.2f}, {box[name].iloc[1]:.2f}]"
                 for name in restricted]
        row = trajectory.loc[index]
        return (f"{'; '.join(parts)} (covers {row['coverage']:.0%} of the failures; "
                f"{row['density']:.0%} of its points fail)")

    def correlates(self, contrast: Contrast, top: int = 3) -> str:
        effect = self.points[f"{contrast.name} effect"].dropna()
        if len(effect) < 3:
            return ""
        rhos = {name: spearmanr(self.points.loc[effect.index, name], effect).statistic
                for name in self.names}
        ranked = sorted(((abs(r), name, r) for name, r in rhos.items() if np.isfinite(r)),
                        reverse=True)[:top]
        return "; ".join(f"{name} {r:+.2f}" for _, name, r in ranked)


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a share k / n."""
    if n == 0:
        return float("nan"), float("nan")
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(centre - half), float(centre + half)


def robustness(samples: int, seeds: Sequence[int], workers: int, seed: int = 0,
               overrides: dict[str, Any] | None = None, engine: str = "local") -> Robustness:
    """Every arm at every point, with common seeds; each contrast judged on its means."""
    factors = space()
    names = list(factors)
    points = latin_hypercube(samples, seed, dict.fromkeys(names, (LOW, HIGH)))
    tasks = []
    for index, multipliers in enumerate(points.to_dict("records")):
        for arm, scenario, extra in ARMS:
            point = point_overrides(multipliers, scenario, factors)
            for run_seed in seeds:
                tasks.append({"key": (index, arm, run_seed), "point": index, "arm": arm,
                              "scenario": scenario, "seed": run_seed,
                              "overrides": point | (overrides or {}) | extra})
    measured = pd.DataFrame(list(execute(measure_run, tasks, engine, workers)))
    means = measured.drop(columns="seed").groupby(["point", "arm"]).mean()
    table = points.copy()
    for contrast in CONTRASTS:
        effects = [contrast.effect({arm: means.loc[(index, arm)] for arm, _, _ in ARMS})
                   for index in range(samples)]
        table[f"{contrast.name} effect"] = effects
        table[f"{contrast.name} holds"] = np.asarray(effects) > 0
    return Robustness(table, len(seeds), names)


def markdown(result: Robustness, command: str, seconds: float) -> str:
    lines = [
        "# Robustness of the conclusions over the parameter space", "",
        (f"Produced by `{command}` in {seconds:.0f} s: {len(result.points)} points of a Latin "
        f"hypercube over {len(result.names)} behavioural parameters, each at {LOW} to {HIGH} "
        f"times its scenario's value (within its bounds), {result.seeds} seed(s) per arm "
        "(common to all points). At each point every contrast is judged on the means over "
        "the seeds; *holds in* is the share of points where it holds, with a Wilson 95% "
        "interval. The parameters that break a contrast are PRIM's box (EMA Workbench) over "
        "the points where it fails, as multiplier ranges; the rank correlations are between "
        "each multiplier and the contrast's effect."), "",
        markdown_table(result.summary(), index=False), "",
        "Every point, with its multipliers, effects and verdicts, is in `points.csv`.",
    ]
    return "\n".join(lines) + "\n"
