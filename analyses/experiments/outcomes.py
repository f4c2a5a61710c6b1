"""One run of the model as a function of keyword parameters, returning its outcomes: the model
function EMA Workbench (`Model`, `ReplicatorModel`) and SALib-style loops expect.

    from analyses import run_outcomes
    run_outcomes("programme_driven", seed=3, years=10, weight_time=1.5)
    # {'tables_active': 41.0, 'appropriation': 0.31, ..., 'hyperconcertation_index': 0.58}

Parameters take the names `concertation run --set` accepts: a dotted path
(`participation.weight_time`) or an unambiguous leaf name (`weight_time`); their values are
validated against the scenario schema, so a typo or an out-of-range value raises
`ScenarioError` instead of running something else. A guide: docs/ema_workbench.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from simulation import ConcertationModel, Scenario, load_scenario
from simulation.scenario import ScenarioError

Outcomes = dict[str, float | np.ndarray]


def _plain(value: Any) -> Any:
    """NumPy scalars (what EMA and SALib samplers hand out) as Python values for validation."""
    return value.item() if isinstance(value, np.generic) else value


def run_outcomes(scenario: str | Path | Scenario = "baseline", *, seed: int | None = None,
                 rng: int | None = None, years: int | None = None, time_series: bool = False,
                 indicators: Sequence[str] | None = None, **parameters: Any) -> Outcomes:
    """Run `scenario` once with `parameters` overridden and return its outcomes.

    Args:
        scenario: the name of a shipped scenario, the path of a TOML file, or a Scenario.
        seed: the run's random seed (`rng` is accepted as Mesa's name for it; give one, not
            both). Without either the run is not reproducible.
        years: the horizon (`run.years`); default the scenario's.
        time_series: False (default): each indicator's final value, as a float.
            True: each indicator over the run, one value per month (step 0 included), as a
            1-D NumPy array; `step` is included as an outcome too.
        indicators: the indicators to return (default: every indicator the model records).
        **parameters: any scenario parameter, by dotted path or unambiguous name.

    Raises:
        ScenarioError: an unknown, ambiguous or invalid parameter, or an unknown indicator.
    """
    if seed is not None and rng is not None:
        raise ScenarioError(f"give the seed once: seed={seed!r} and rng={rng!r} were both given")
    seed = _plain(seed if seed is not None else rng)
    overrides = {key: _plain(value) for key, value in parameters.items()}
    if years is not None:
        overrides["run.years"] = int(_plain(years))
    base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    label = f"{base.name} with {overrides}" if overrides else base.name
    validated = base.overridden(overrides, label)

    frame = ConcertationModel(validated, rng=seed).run().model_frame()
    known = [column for column in frame.columns if column not in ("step", "year")]
    chosen = list(indicators) if indicators is not None else known
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise ScenarioError(f"unknown indicator(s) {unknown}; expected names among {known}")
    if time_series:
        return {name: frame[name].to_numpy(dtype=float) for name in ["step", *chosen]}
    final = frame.iloc[-1]
    return {name: float(final[name]) for name in chosen}
