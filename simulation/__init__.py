"""Concertation dynamics in community development: an agent-based model on Mesa.

Public API: ``ConcertationModel``, ``load_scenario``, the scenario schema and ``CONDITIONS``
(Bourque's eight favourable conditions and the levers that set each).
"""

from .conditions import CONDITIONS, Condition
from .model import ConcertationModel
from .scenario import Scenario, ScenarioError, available_scenarios, load_scenario

__all__ = [
           "CONDITIONS",
           "ConcertationModel",
           "Condition",
           "Scenario",
           "ScenarioError",
           "available_scenarios",
           "load_scenario",
]
