"""Concertation dynamics in community development: an agent-based model on Mesa.

Public API: ``ConcertationModel``, ``load_scenario`` and the scenario schema.
"""

from .model import ConcertationModel
from .scenario import Scenario, ScenarioError, available_scenarios, load_scenario

__all__ = ["ConcertationModel", "Scenario", "ScenarioError", "available_scenarios",
           "load_scenario"]
