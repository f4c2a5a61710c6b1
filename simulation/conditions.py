"""Bourque's eight favourable operational conditions, each as the lever(s) that set it.

Each condition acts through its own mechanism in the model (docs/ODD.md §7.6): this module only
says which parameters express it and what value counts as favourable. `favourable_conditions =
true` in a scenario is a preset that applies all eight at once; a study can apply them one at a
time from this mapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class Condition:
    """One condition, in Bourque's words (2010 talk, slide "Huit conditions opérationnelles")."""

    key: str
    en: str
    fr: str


COMPROMISE = Condition(
    "compromise", "Capacity for compromise, above all of the most powerful actors",
    "Faire preuve de capacité de compromis, surtout des acteurs ayant le plus de pouvoir")
COMPARABLE_POWER = Condition(
    "comparable_power", "Relevant actors and representatives with a comparable level of power",
    "Réunir les acteurs pertinents et des représentants avec un niveau de pouvoir comparable")
INTEGRATION = Condition(
    "integration", "Take other concertations into account and integrate them",
    "Tenir compte et intégrer les autres concertations")
LEADERSHIP = Condition(
    "leadership", "Democratic, effective leadership with adequate professional and technical "
    "support", "Disposer d'un leadership démocratique et efficace, ainsi que d'un soutien "
    "professionnel et technique adéquat")
COLLECTIVE_ANALYSIS = Condition(
    "collective_analysis", "Collectivise the analysis of problems and the choice of goals",
    "Collectiviser l'analyse de la problématique et le choix des objectifs")
PEOPLE_CONCERNED = Condition(
    "people_concerned", "Involve the people and groups concerned",
    "Faire participer et mettre à contribution les personnes et groupes concernés")
TIME = Condition(
    "time", "Time for participatory functioning",
    "Avoir le temps pour un fonctionnement participatif")
EVALUATION = Condition(
    "evaluation", "Evaluate the concertation collectively",
    "Évaluer collectivement la concertation")

CONDITIONS: MappingProxyType[Condition, dict[str, Any]] = MappingProxyType({
    COMPROMISE: {"actors.institution_compromise": 0.8},
    COMPARABLE_POWER: {"actors.power_imbalance": 0.3},
    INTEGRATION: {"integration.territorial_table": True},
    LEADERSHIP: {"process.professional_support": 0.6, "process.leadership_quality": 0.8},
    COLLECTIVE_ANALYSIS: {"programmes.design.prescription": 0.1},
    PEOPLE_CONCERNED: {"process.citizen_openness": 0.7, "programmes.design.citizen_openness": 0.7},
    TIME: {"actors.group_time_budget": 20.0},
    EVALUATION: {"process.evaluation": "process", "programmes.design.evaluation": "process"},
})


def favourable_overrides() -> dict[str, Any]:
    """All eight conditions' favourable values, as one override mapping."""
    merged: dict[str, Any] = {}
    for overrides in CONDITIONS.values():
        merged |= overrides
    return merged
