"""Calibration of `les_moulins` against P3, kept apart from the observations that check it.

Approximate Bayesian computation by rejection over a Latin hypercube of the rates that make
tables (Bourque 2010 gives two figures for Les Moulins: 70 % of the tables existing in 2010
were created after 2000, 75 % were initiated by the CSSS, the cities or a foundation): a point
is accepted when the mean over seeds of both shares lies within P3's tolerance of its target.
The result is a set of acceptable values (accepted share, posterior ranges), not one point.

The held-out observations are other sentences of the same source, never used to calibrate;
they are measured on the runs of the accepted points (`HELD_OUT`), and `validate` reports them
at the scenario's own values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

from ..experiments.engines import execute
from ..sensitivity.study import markdown_table
from .patterns import (
    P3_TARGETS,
    P3_TOLERANCE,
    PatternResult,
    Runs,
    collect_run,
    interval,
    p3_seeds,
    p3_shares,
)

SCENARIO = "les_moulins"

TARGETS, TOLERANCE = P3_TARGETS, P3_TOLERANCE
# Uniform priors: the rates that decide who makes tables, from a third to about three times
# the scenario's values (assumption: wide enough that the targets do not sit at an edge).
PRIORS: dict[str, tuple[float, float]] = {
    "tables.bottom_up_rate": (0.03, 0.3),
    "tables.institution_initiative_rate": (0.004, 0.036),
    "programmes.launch_rate_multiplier": (0.4, 2.0),
}


def few_links(run: dict[str, Any]) -> float:
    """Share of operating tables linked to at least one other, in 2010."""
    return float(run["frame"]["integration"].iloc[-1])


def more_management_and_services(run: dict[str, Any]) -> float:
    """Change in the share of meeting time given to programme management and to coordinating
    services, from the first year (2000) to the last (2010)."""
    frame = run["frame"]
    share = frame["activity_management"] + frame["activity_coordination"]
    return float(share.iloc[-12:].mean() - share.iloc[:12].mean())


def own_mandate(run: dict[str, Any]) -> float:
    """Share of the tables initiated by institutions or funders, live in 2010, whose agenda their
    members set more than the institutions and funders do (instrumentalisation < 0.5)."""
    history, tables = run["history"], run["tables"]
    final = history[history["step"] == history["step"].max()]
    initiator = tables.set_index("table_id")["initiator_type"]
    top_down = final[final["table_id"].map(initiator).isin(["institution", "funder_agent"])]
    return float((top_down["instrumentalisation"] < 0.5).mean()) if len(top_down) else np.nan


@dataclass(frozen=True)
class HeldOut:
    name: str
    observation: str  # Bourque (2010), Les Moulins
    measure: str
    target: str
    value: Callable[[dict[str, Any]], float]
    met: Callable[[float], bool]
    caveat: str = ""


HELD_OUT: tuple[HeldOut, ...] = (
    HeldOut("H1", "« Peu de liens inter-concertations »",
            "share of operating tables linked to another, 2010 (`integration`)", "< 0.5",
            few_links, lambda v: v < 0.5,
            "not fully held out: `integration.link_rate` was lowered from 0.004 to 0.0005 "
            "while this sentence was read (ODD §12)"),
    HeldOut("H2", "« Depuis 2000, plus gestion budgétaire et services »",
            "change of the meeting time share given to programme management and coordination "
            "of services, 2000 to 2010", "> 0", more_management_and_services, lambda v: v > 0),
    HeldOut("H3", "« presque totalité définissent eux-mêmes leur mandat » although 75 % were "
            "initiated by the CSSS, the cities or a foundation",
            "share of the tables initiated by institutions or funders, live in 2010, whose "
            "members set most of the agenda (instrumentalisation < 0.5)", "> 0.5",
            own_mandate, lambda v: v > 0.5,
            "the source speaks of the representatives, who define their own mandate; the model "
            "has no representatives' mandate, so the table's agenda stands for it"),
)


def latin_hypercube(samples: int, seed: int,
                    priors: dict[str, tuple[float, float]] = PRIORS) -> pd.DataFrame:
    unit = qmc.LatinHypercube(d=len(priors), seed=seed).random(samples)
    low, high = np.array(list(priors.values())).T
    return pd.DataFrame(qmc.scale(unit, low, high), columns=list(priors))


@dataclass
class Calibration:
    points: pd.DataFrame  # every sampled point: parameters, mean shares, held-out, accepted
    seeds: int
    priors: dict[str, tuple[float, float]]

    @property
    def accepted(self) -> pd.DataFrame:
        return self.points[self.points["accepted"]]

    def posterior(self) -> pd.DataFrame:
        """Prior and accepted range of each parameter (min, 5 %, median, 95 %, max)."""
        rows = []
        for name, (low, high) in self.priors.items():
            values = self.accepted[name]
            row = {"parameter": name, "prior": f"[{low:g}, {high:g}]"}
            for label, q in (("min", 0.0), ("q05", 0.05), ("median", 0.5), ("q95", 0.95),
                             ("max", 1.0)):
                row[label] = float(values.quantile(q)) if len(values) else np.nan
            rows.append(row)
        return pd.DataFrame(rows)

    def held_out(self) -> pd.DataFrame:
        """Each held-out observation over the accepted points: mean, 5-95 % range, and the
        share of accepted points that meet its target."""
        rows = []
        for h in HELD_OUT:
            values = self.accepted[h.name].dropna()
            rows.append({
                "name": h.name, "observation": h.observation, "measure": h.measure,
                "target": h.target,
                "mean": float(values.mean()) if len(values) else np.nan,
                "q05": float(values.quantile(0.05)) if len(values) else np.nan,
                "q95": float(values.quantile(0.95)) if len(values) else np.nan,
                "share_met": float(np.mean([h.met(v) for v in values])) if len(values)
                else np.nan,
                "caveat": h.caveat})
        return pd.DataFrame(rows)


def measure_run(task: dict[str, Any]) -> dict[str, Any]:
    """Worker body: one run, reduced to its P3 shares and held-out measures."""
    run = collect_run(task)
    return {"point": task["point"]} | p3_shares(run) | {h.name: h.value(run) for h in HELD_OUT}


def calibrate(samples: int, seeds: Sequence[int], workers: int, seed: int = 0,
              overrides: dict[str, Any] | None = None,
              priors: dict[str, tuple[float, float]] = PRIORS) -> Calibration:
    """Run `les_moulins` at every point of a Latin hypercube over `priors`, with common seeds,
    and accept the points whose mean shares lie within TOLERANCE of both targets."""
    points = latin_hypercube(samples, seed, priors)
    tasks = [{"key": (index, run_seed), "point": index, "scenario": SCENARIO, "seed": run_seed,
              "overrides": (overrides or {}) | point}
             for index, point in enumerate(points.to_dict("records")) for run_seed in seeds]
    measured = pd.DataFrame(list(execute(measure_run, tasks, "local", workers)))
    means = measured.groupby("point").mean().sort_index()
    distance = np.sqrt(sum((means[k] - v) ** 2 for k, v in TARGETS.items()))
    accepted = np.logical_and.reduce([(means[k] - v).abs() <= TOLERANCE
                                      for k, v in TARGETS.items()])
    table = pd.concat([points, means.reset_index(drop=True)], axis=1)
    table["distance"], table["accepted"] = distance.to_numpy(), np.asarray(accepted)
    return Calibration(table, len(seeds), priors)


def markdown(calibration: Calibration, command: str, seconds: float) -> str:
    points, accepted = calibration.points, calibration.accepted
    lines = [
        "# Calibration of `les_moulins` (ABC rejection) and held-out observations", "",
        f"Produced by `{command}` in {seconds:.0f} s: {len(points)} points of a Latin "
        f"hypercube, {calibration.seeds} seeds each (common to all points). A point is "
        f"accepted when the mean over seeds of each P3 share is within {TOLERANCE} of its "
        "target (" + ", ".join(f"{k} {v}" for k, v in TARGETS.items()) + "; Bourque 2010).",
        "", (f"**Accepted: {len(accepted)} of {len(points)} "
             f"({len(accepted) / max(len(points), 1):.0%}).**"), "",
        "## Posterior ranges (accepted points)", "",
        markdown_table(calibration.posterior(), index=False), "",
        "## Held-out observations (never used to calibrate), over the accepted points", "",
        markdown_table(calibration.held_out(), index=False), "",
        "Every point, with its shares, held-out measures and verdict, is in `points.csv`.",
    ]
    return "\n".join(lines) + "\n"


def held_out_results(runs: Runs, replications: int, first_seed: int = 0) -> list[PatternResult]:
    """The held-out observations at the scenario's own values, on the seeds P3 uses (so
    `validate` measures them on runs it already has)."""
    seeds = range(first_seed, first_seed + p3_seeds(replications))
    scenario_runs = runs.get(SCENARIO, seeds)
    results = []
    for h in HELD_OUT:
        values = [h.value(run) for run in scenario_runs]
        mean = float(np.nanmean(values))
        results.append(PatternResult(
            h.name, f"{h.observation} (Bourque 2010): {h.measure}", h.target,
            interval([v for v in values if not np.isnan(v)]), bool(h.met(mean)),
            "analyses/validation/calibration.py::HELD_OUT", {"values": values, "caveat": h.caveat}))
    return results
