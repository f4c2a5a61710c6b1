"""Comparing scenarios (policies) across replications and uncertain conditions.

EMA Workbench's separation, for planners: the scenarios are the levers a funder chooses; the
uncertain conditions (actors' time budgets, power imbalance, ...) are what nobody chooses. Each
scenario runs under every sampled condition with the same seeds (common random numbers), on
the sweep engine: in parallel, resumable (run files are cached under `runs/` by content), with
a progress bar.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from simulation import Scenario
from simulation.identity import source_hash
from simulation.scenario import ScenarioError, apply_overrides, parameter_paths, validate_data

from .. import termination
from ..experiments.engines import execute
from ..experiments.storage import ResultStore
from ..experiments.sweep import run_task
from ..runs import provenance

ID_COLUMNS = ["scenario", "replication", "seed", "condition"]


@dataclass
class Uncertainty:
    """A parameter nobody controls, sampled uniformly between low and high."""

    path: str
    low: float
    high: float


@dataclass
class ComparisonPlan:
    scenarios: dict[str, Scenario]
    replications: int
    seed: int
    uncertainties: list[Uncertainty] = field(default_factory=list)
    conditions: list[dict[str, float]] = field(default_factory=lambda: [{}])

    @property
    def seeds(self) -> list[int]:
        return list(range(self.seed, self.seed + self.replications))


class RunsFailed(ScenarioError):
    """Runs of a comparison that raised; their parameters and tracebacks are on disk."""


def parse_uncertainty(text: str) -> Uncertainty:
    """'NAME=LOW:HIGH' -> Uncertainty; NAME is a dotted path or an unambiguous name."""
    name, sep, bounds = text.partition("=")
    low_text, colon, high_text = bounds.partition(":")
    try:
        low, high = float(low_text), float(high_text)
    except ValueError:
        low = high = float("nan")
    if not sep or not colon or not low < high or not math.isfinite(high - low):
        raise ScenarioError(f"--uncertain expects NAME=LOW:HIGH with finite LOW < HIGH "
                            f"(e.g. group_time_budget=6:14), got {text!r}")
    candidates = parameter_paths().get(name.strip()) or []
    if len(candidates) != 1:
        problem = "ambiguous" if candidates else "unknown"
        raise ScenarioError(f"--uncertain: {problem} parameter '{name}'"
                            + (f"; use one of {candidates}" if candidates else ""))
    return Uncertainty(candidates[0], low, high)


def sample_conditions(uncertainties: list[Uncertainty], count: int, seed: int
                      ) -> list[dict[str, float]]:
    """A Latin hypercube over the uncertain parameters (the same for every scenario)."""
    if not uncertainties:
        return [{}]
    from SALib.sample import latin

    problem = {"num_vars": len(uncertainties), "names": [u.path for u in uncertainties],
               "bounds": [[u.low, u.high] for u in uncertainties]}
    matrix = latin.sample(problem, count, seed=seed)
    integers = {path for path, value in Scenario().flat().items()
                if isinstance(value, int) and not isinstance(value, bool)}
    return [{path: (round(value) if path in integers else float(value))
             for path, value in zip(problem["names"], row, strict=True)} for row in matrix]


def validate_conditions(plan: ComparisonPlan) -> None:
    """Every scenario must accept every condition: refuse before anything runs."""
    for label, scenario in plan.scenarios.items():
        data = scenario.model_dump()
        for index, condition in enumerate(plan.conditions):
            try:
                validate_data(apply_overrides(data, condition), label)
            except ScenarioError as exc:
                raise ScenarioError(f"Scenario '{label}' under uncertain condition {index} "
                                    f"({condition}) is not valid:\n{exc}") from None


def _run_id(label: str, data: dict[str, Any], condition: dict[str, float], seed: int) -> str:
    """Named by content, the model's source included: a cached run is reused only for the
    same parameters, seed and model."""
    content = json.dumps([data, condition, seed, source_hash()], sort_keys=True, default=str)
    return f"{label}-{hashlib.sha256(content.encode()).hexdigest()[:16]}"


def tasks_for(plan: ComparisonPlan) -> list[dict[str, Any]]:
    varied = sorted({path for condition in plan.conditions for path in condition})
    tasks = []
    for replication, seed in enumerate(plan.seeds):
        for index, condition in enumerate(plan.conditions):
            for label, scenario in plan.scenarios.items():
                data = scenario.model_dump()
                tasks.append({
                    "run_id": _run_id(label, data, condition, seed), "point": index,
                    "row": label, "replication": replication, "seed": seed,
                    "values": condition, "scenario_data": data, "years": None,
                    "indicators": None, "every": 1, "varied": varied,
                })
    return tasks


def run_comparison(plan: ComparisonPlan, out: Path, *, workers: int, engine: str = "local",
                   progress: bool = True) -> pd.DataFrame:
    """Run what is missing, then return every planned run stacked in a fixed order."""
    store = ResultStore(out)
    with store.lock():
        return _run_comparison_locked(plan, store, workers, engine, progress)


def _run_comparison_locked(plan: ComparisonPlan, store: ResultStore, workers: int, engine: str,
                           progress: bool) -> pd.DataFrame:
    store.clean_partial()
    tasks = tasks_for(plan)
    finished = store.finished()
    pending = [task for task in tasks if task["run_id"] not in finished]
    by_id = {task["run_id"]: task for task in pending}
    digest = hashlib.sha256(json.dumps([t["run_id"] for t in tasks]).encode()).hexdigest()
    version = provenance()["concertation_version"]
    failures = []
    bar = tqdm(total=len(tasks), initial=len(tasks) - len(pending), desc="runs", unit="run",
               file=sys.stderr, disable=not progress, dynamic_ncols=True,
               bar_format="{desc}: {n_fmt}/{total_fmt} |{bar}| [{elapsed}<{remaining}]{postfix}")
    with bar:
        for result in execute(run_task, pending, engine, workers):
            if result["status"] == "ok":
                run = by_id[result["run_id"]]["scenario_data"]["run"]
                store.write_run(result["run_id"], result["frame"], {
                    "experiment": "compare", "experiment_hash": digest,
                    "scenario": by_id[result["run_id"]]["row"], "years": run["years"],
                    "start_year": run["start_year"], "concertation_version": version})
            else:
                store.write_failure(result["run_id"], result)
                failures.append(result)
                bar.set_postfix_str(f"failed: {len(failures)}")
            bar.update()
            termination.check()
    if failures:
        first = failures[0]
        raise RunsFailed(f"{len(failures)} run(s) failed (details in {store.failed}); "
                           f"first: {first['run_id']}: {first['error']}")
    return stack_runs(store, tasks)


def stack_runs(store: ResultStore, tasks: list[dict[str, Any]]) -> pd.DataFrame:
    frames = []
    for task in tasks:
        frame = pd.read_parquet(store.runs / f"{task['run_id']}.parquet")
        frame = frame.drop(columns=["run_id", "point", "row", "replication", "seed"])
        identity = {"scenario": task["row"], "replication": task["replication"],
                    "seed": task["seed"], "condition": task["point"]}
        for position, (key, value) in enumerate(identity.items()):
            frame.insert(position, key, value)
        frames.append(frame)
    stacked = pd.concat(frames, ignore_index=True)
    order = {label: index for index, label in enumerate(dict.fromkeys(t["row"] for t in tasks))}
    stacked["_order"] = stacked["scenario"].map(order)
    stacked = stacked.sort_values(["_order", "condition", "replication", "step"], kind="stable")
    return stacked.drop(columns="_order").reset_index(drop=True)
