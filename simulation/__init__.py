"""Concertation dynamics in community development: an agent-based model on Mesa.

Public API: ``ConcertationModel``, ``load_scenario``, the scenario schema and ``CONDITIONS``
(Bourque's eight favourable conditions and the levers that set each).

The names load on first use, so a light submodule (``simulation.categories``) can be imported
by the command line's ``--help`` without pulling in Mesa and pandas.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .conditions import CONDITIONS, Condition
    from .model import ConcertationModel
    from .scenario import Scenario, ScenarioError, available_scenarios, load_scenario

_HOMES = {
    "CONDITIONS": "conditions",
    "Condition": "conditions",
    "ConcertationModel": "model",
    "Scenario": "scenario",
    "ScenarioError": "scenario",
    "available_scenarios": "scenario",
    "load_scenario": "scenario",
}

__all__ = [
    "CONDITIONS",
    "ConcertationModel",
    "Condition",
    "Scenario",
    "ScenarioError",
    "available_scenarios",
    "load_scenario",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'simulation' has no attribute {name!r}")
    value = getattr(import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value
