"""Guided experiments: the info panel's "things to try" as buttons.

Each experiment is a contrast a class can see: a reference run (a preset, perhaps with levers
moved) and a variant that differs from it by the levers the experiment names, on the same seed.
The button runs the reference to its horizon at once, keeps its curves faintly on the time plots,
and sets the variant up at month 0 for the class to play. Any other new run keeps the previous
one faintly the same way. What each experiment shows is said in
`i18n` (`experiment_<name>`), in both languages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .levers import AppModel, Settings


@dataclass(frozen=True)
class Experiment:
    name: str  # i18n keys experiment_<name> (what it shows)
    preset: str  # the variant's preset
    levers: dict[str, Any] = field(default_factory=dict)  # the variant's levers
    reference_preset: str | None = None  # the reference run, as its preset stands

    def apply_to(self, settings: Settings) -> None:
        """Put the session's settings at the variant: its preset, then its levers."""
        settings.choose(self.preset)
        for name, value in self.levers.items():
            settings.set(name, value)


EXPERIMENTS: tuple[Experiment, ...] = (
    Experiment("programmes", "programme_driven", reference_preset="baseline"),
    Experiment("programme_design", "programme_driven",
               {"conditional_funding": False, "prescription": 0.2, "evaluation": "process"},
               reference_preset="programme_driven"),
    Experiment("citizens_support", "baseline",
               {"citizen_openness": 0.8, "professional_support": 0.8},
               reference_preset="baseline"),
    Experiment("power", "baseline", {"power_imbalance": 0.0}, reference_preset="baseline"),
    Experiment("integration", "programme_driven", {"territorial_table": True},
               reference_preset="programme_driven"),
    Experiment("funder_exit", "funder_exit", reference_preset="programme_driven"),
)
EXPERIMENTS_BY_NAME = {experiment.name: experiment for experiment in EXPERIMENTS}


@dataclass(frozen=True, eq=False)  # compared by identity: a page redraws when it is replaced
class Reference:
    """A finished run's indicators, kept to draw faintly beside the current run."""

    label: Callable[[str], str]  # its label in a language: it follows a language switch
    series: pd.DataFrame  # indexed by year, as components.indicator_series


def reference_run(experiment: Experiment, seed: int) -> AppModel | None:
    """The experiment's reference run, run to its horizon on the given seed."""
    if experiment.reference_preset is None:
        return None
    model = AppModel(Settings.of_preset(experiment.reference_preset), seed=seed)
    model.run(model.horizon)
    return model
