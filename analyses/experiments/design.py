"""From an experiment to its runs: design points, seeds and an interleaved run order.

Sampling designs come from SALib (Latin hypercube, Sobol/Saltelli, Morris) so the sensitivity
analysis can read the same sample back. Points are validated against the scenario schema
before anything runs.
"""

from __future__ import annotations

import itertools
import math
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulation import Scenario, load_scenario
from simulation.scenario import ScenarioError, parameter_paths

from .experiment import Bounds, Experiment, Range


@dataclass(frozen=True)
class RunSpec:
    """One model run of a sweep: which design point, which replication, which seed."""

    run_id: str
    point: int
    replication: int
    seed: int
    row: str
    values: dict[str, Any] = field(hash=False)


def full_path(key: str) -> str:
    paths = parameter_paths()
    return (paths.get(key) or paths[key.replace("__", ".")])[0]


def salib_problem(experiment: Experiment) -> dict[str, Any]:
    names = [full_path(key) for key in experiment.parameters]
    bounds = [[spec.low, spec.high] for spec in experiment.parameters.values()
              if isinstance(spec, Bounds)]
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def _sample(experiment: Experiment) -> list[dict[str, Any]]:
    design = experiment.design
    if not experiment.parameters:
        return [{}]
    names = [full_path(key) for key in experiment.parameters]
    if design.kind == "factorial":
        levels = [spec.levels() if isinstance(spec, Range) else list(spec)
                  for spec in experiment.parameters.values()]
        return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*levels)]
    problem = salib_problem(experiment)
    if design.kind == "lhs":
        from SALib.sample import latin
        matrix = latin.sample(problem, design.samples, seed=design.seed)
    elif design.kind == "sobol":
        from SALib.sample import sobol
        matrix = sobol.sample(problem, design.samples, calc_second_order=design.second_order,
                              seed=design.seed)
    else:
        from SALib.sample import morris
        matrix = morris.sample(problem, design.samples, num_levels=design.levels,
                               seed=design.seed)
    return [dict(zip(names, map(float, row), strict=True)) for row in matrix]


MAX_POINTS_ENV = "CONCERTATION_MAX_POINTS"
DEFAULT_MAX_POINTS = 1_000_000  # design points x replications


def design_size(experiment: Experiment) -> int:
    """How many design points the experiment makes, counted without making them."""
    design, parameters = experiment.design, experiment.parameters
    count = len(parameters)
    if design.kind == "factorial":
        size = math.prod(_level_count(spec) for spec in parameters.values())
    elif design.kind == "lhs":
        size = design.samples
    elif design.kind == "sobol":
        size = design.samples * ((2 * count + 2) if design.second_order else (count + 2))
    else:
        size = design.samples * (count + 1)
    return size * max(1, len(experiment.rows))


def _level_count(spec: Any) -> int:
    if isinstance(spec, Range):
        return round((spec.last - spec.first) / spec.step) + 1
    return len(spec)


def check_design_size(experiment: Experiment, source: str) -> None:
    """Refuse, before a single point is made, a design larger than the limit."""
    text = os.environ.get(MAX_POINTS_ENV, str(DEFAULT_MAX_POINTS))
    if not text.isdigit() or int(text) < 1:
        raise ScenarioError(f"{MAX_POINTS_ENV} must be a positive integer, got {text!r}")
    size, limit = design_size(experiment), int(text)
    runs = size * experiment.replications
    if runs > limit:
        raise ScenarioError(
            f"Invalid experiment {source}: its {experiment.design.kind} design makes {size:,} "
            f"design points x {experiment.replications:,} replications = {runs:,} runs, above "
            f"the limit of {limit:,}; use fewer levels, samples or replications, or raise the "
            f"limit with the environment variable {MAX_POINTS_ENV}")


def _integer_fields() -> set[str]:
    defaults = Scenario().flat()
    return {path for path, value in defaults.items()
            if isinstance(value, int) and not isinstance(value, bool)}


def design_points(experiment: Experiment) -> list[tuple[str, dict[str, Any]]]:
    """(row name, parameter values) for every design point, rows crossed with the sample."""
    integers = _integer_fields()
    fixed = {full_path(key): value for key, value in experiment.fixed.items()}
    rows = experiment.rows or []
    sample = _sample(experiment)
    points = []
    for row_name, row_values in ([(r.name, r.values) for r in rows] or [("", {})]):
        row_values = {full_path(key): value for key, value in row_values.items()}
        for values in sample:
            if experiment.design.kind != "factorial":  # sampled: a count is drawn as a float
                values = {key: (round(value) if key in integers else value)
                          for key, value in values.items()}
            points.append((row_name, fixed | row_values | values))
    return points


def validate_points(experiment: Experiment, points: list[tuple[str, dict[str, Any]]],
                    source: str) -> None:
    """Every design point must make a valid scenario; say which one does not."""
    overrides_years = {"run.years": experiment.years} if experiment.years else {}
    seen: set[str] = set()
    for index, (row, values) in enumerate(points):
        signature = repr(sorted(values.items(), key=lambda item: item[0]))
        if signature in seen:
            continue
        seen.add(signature)
        try:
            load_scenario(experiment.scenario, values | overrides_years)
        except ScenarioError as exc:
            where = f"row '{row}', " if row else ""
            raise ScenarioError(f"Invalid experiment {source}: design point {index} "
                                f"({where}{values}) does not make a valid scenario.\n{exc}"
                                ) from None


def seed_for(experiment: Experiment, point: int, replication: int) -> int:
    """Common random numbers by default: replication r has the same seed at every point."""
    if experiment.seed_policy == "common":
        return experiment.seed + replication
    sequence = np.random.SeedSequence([experiment.seed, point, replication])
    return int(sequence.generate_state(1, dtype=np.uint32)[0])


def interleaved(count: int) -> list[int]:
    """A bit-reversal order of 0..count-1, so any prefix spreads over the whole design."""
    if count <= 1:
        return list(range(count))
    bits = (count - 1).bit_length()
    keys = [int(f"{i:0{bits}b}"[::-1], 2) for i in range(count)]
    return sorted(range(count), key=lambda i: keys[i])


def build_runs(experiment: Experiment, points: list[tuple[str, dict[str, Any]]]) -> list[RunSpec]:
    """All runs, replication by replication, points interleaved within each replication."""
    width = max(len(str(len(points) - 1)), 4)
    runs = []
    for replication in range(experiment.replications):
        for point in interleaved(len(points)):
            row, values = points[point]
            runs.append(RunSpec(
                run_id=f"p{point:0{width}d}-r{replication:03d}", point=point,
                replication=replication, seed=seed_for(experiment, point, replication),
                row=row, values=values))
    return runs
