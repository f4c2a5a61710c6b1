"""Mesa agents: identity and a readable API over the model's arrays.

The per-step work happens on arrays (see state.py); these agents let a Mesa user find, filter
and inspect actors and tables the usual way (`model.agents_by_type[Institution]`, AgentSet
methods), and read their current state as attributes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from .categories import (
    CONCERTATION_KIND_LABELS,
    ActorType,
    ConcertationKind,
    Origin,
    State,
    Tendency,
    label,
)

if TYPE_CHECKING:
    from .model import ConcertationModel
    from .programmes import Programme
    from .scenario import FunderParams


class DissolvedTableError(RuntimeError):
    """A `Table` agent was read after its table dissolved."""


class Actor(mesa.Agent):
    """An organisation or citizen of one territory; its state lives in model.actors."""

    actor_type: ActorType

    def __init__(self, model: ConcertationModel, territory: int, index: int) -> None:
        super().__init__(model)
        self.territory = territory
        self.index = index

    @property
    def memberships(self) -> int:
        return int(self.model.store.membership[self.territory, self.index].sum())

    @property
    def time_load(self) -> float:
        return float(self.model.actors.load[self.territory, self.index])

    @property
    def time_budget(self) -> float:
        return float(self.model.actors.budget[self.territory, self.index])

    @property
    def power(self) -> float:
        return float(self.model.actors.power[self.territory, self.index])

    @property
    def strain(self) -> float:
        return float(self.model.actors.strain[self.territory, self.index])

    @property
    def mission_drift(self) -> float:
        return float(self.model.actors.drift[self.territory, self.index])

    @property
    def autonomy(self) -> float:
        return float(self.model.actors.autonomy[self.territory, self.index])

    @property
    def theme(self) -> str:
        return self.model.params.population.themes[int(self.model.actors.theme[self.index])]

    @property
    def dependence(self) -> float:
        return float(self.model.actors.dependence[self.territory, self.index])


class CommunityGroup(Actor):
    actor_type = ActorType.COMMUNITY_GROUP


class Institution(Actor):
    actor_type = ActorType.INSTITUTION


class FunderAgent(Actor):
    """A funder's local seat (programme officer, development agent) in one territory."""

    actor_type = ActorType.FUNDER_AGENT


class Citizen(Actor):
    actor_type = ActorType.CITIZEN


ACTOR_CLASSES = {ActorType.COMMUNITY_GROUP: CommunityGroup, ActorType.INSTITUTION: Institution,
                 ActorType.FUNDER_AGENT: FunderAgent, ActorType.CITIZEN: Citizen}


class Funder(mesa.Agent):
    """A public programme or private foundation acting across all territories."""

    def __init__(self, model: ConcertationModel, index: int, params: FunderParams,
                 approach: np.ndarray) -> None:
        super().__init__(model)
        self.index = index
        self.params = params
        self.name = params.name
        self.approach = approach
        self.programmes: list[Programme] = []
        self.exited_month: int | None = None

    @property
    def exited(self) -> bool:
        return self.exited_month is not None

    @property
    def active_programmes(self) -> int:
        return sum(not programme.ended for programme in self.programmes)


class Table(mesa.Agent):
    """A concertation table; its state lives in the model's table slots."""

    def __init__(self, model: ConcertationModel, table_id: int) -> None:
        super().__init__(model)
        self.table_id = table_id
        self.territory = model.registry.territory[table_id]
        self.slot = model.registry.slot[table_id]

    @property
    def dissolved(self) -> bool:
        return self.model.registry.is_dissolved(self.table_id)

    def _check_alive(self) -> None:
        # A dissolved table's slot is reused by later tables: reading it would silently
        # describe another table.
        if self.dissolved:
            month = self.model.registry.dissolved[self.table_id]
            raise DissolvedTableError(
                f"table {self.table_id} dissolved at month {month}; its final state is in "
                f"model.table_records()")

    def _get(self, name: str):
        self._check_alive()
        return self.model.store.arrays[name][self.territory, self.slot].item()

    @property
    def origin(self) -> str:
        return label(Origin(self._get("origin")))

    @property
    def state(self) -> str:
        return label(State(self._get("state")))

    @property
    def theme(self) -> str:
        return self.model.params.population.themes[self._get("theme")]

    @property
    def members(self) -> int:
        self._check_alive()
        return int(self.model.store.membership[self.territory, :, self.slot].sum())

    @property
    def appropriation(self) -> float:
        return self._get("appropriation")

    @property
    def instrumentalisation(self) -> float:
        return self._get("instrumentalisation")

    @property
    def tendency(self) -> str:
        return label(Tendency(self._get("tendency")))

    @property
    def concertation_model(self) -> str:
        return CONCERTATION_KIND_LABELS[ConcertationKind(self._get("kind"))]
