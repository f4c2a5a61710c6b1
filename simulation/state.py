"""The model's numeric state: actors and table slots as NumPy arrays, one block per territory.

Every territory has the same actor layout (groups, institutions, one seat per funder,
citizens), so actor arrays are (territories, actors) and table arrays are
(territories, slots). Membership is (territories, actors, slots). Per-step work is
vectorised over these blocks; Mesa agents are thin views onto them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .categories import ActorType, State
from .limits import check_run_size
from .scenario import Scenario

FLOAT = np.float64
BREADTH_INSTITUTION = 1.5  # institutions' mandates span several issues (assumption)
BREADTH_FUNDER = 3.0  # a funder's local officer follows every table it pays for (assumption)
BREADTH_CITIZEN = 1.5  # citizens care about their living conditions broadly (assumption)
POWER_SPREAD = 0.3  # lognormal spread of power within a type (assumption)
COMPROMISE_SPREAD = 0.1  # spread of compromise capacity within a type (assumption)
POSITION_SPREAD = 0.15  # how far missions sit from their theme's centre (assumption)


class Cells:
    """Some (territory, actor, slot) cells of arrays shaped like membership, with the flat
    indices that read actor (T, n), table (T, m) and seat (T, n, m) arrays at them."""

    def __init__(self, flat: np.ndarray, shape: tuple[int, int, int]) -> None:
        self.shape = shape
        self.cell = flat
        self.actor, self.m = np.divmod(flat, shape[2])  # actor: flat (territory, actor)
        self.t, self.a = np.divmod(self.actor, shape[1])
        self.table = self.t * shape[2] + self.m  # flat (territory, slot)

    @property
    def size(self) -> int:
        return self.cell.size

    def of_actor(self, values: np.ndarray) -> np.ndarray:
        """A (T, n) array's value for each cell's actor."""
        return values.take(self.actor)

    def of_table(self, values: np.ndarray) -> np.ndarray:
        """A (T, m) array's value for each cell's table."""
        return values.take(self.table)

    def of_seat(self, values: np.ndarray) -> np.ndarray:
        """A (T, n, m) array's value at each cell."""
        return values.take(self.cell)

    def spread(self, values: np.ndarray) -> np.ndarray:
        """A (T, n, m) array holding `values` at the cells and 0 elsewhere."""
        dense = np.zeros(self.shape)
        dense.flat[self.cell] = values
        return dense


def cells(mask: np.ndarray) -> tuple[np.ndarray, ...]:
    """Indices of a mask's true cells, as np.nonzero gives them (C order), but several times
    faster for the model's 2- and 3-dimensional masks."""
    return np.unravel_index(np.flatnonzero(mask), mask.shape)


def theme_centres(n_themes: int) -> np.ndarray:
    """Themes sit evenly on a unit circle of the issue space (assumption: themes are distinct)."""
    angles = 2 * np.pi * np.arange(n_themes) / n_themes
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


@dataclass
class ActorArrays:
    """Per-actor attributes; `kind` and `theme` are shared by all territories."""

    kind: np.ndarray  # (n,) ActorType codes
    funder_of_seat: np.ndarray  # (n,) funder index for FUNDER_AGENT seats, -1 otherwise
    theme: np.ndarray  # (n,) sector / mandate theme
    breadth: np.ndarray  # (n,) how wide the actor's interests are
    power: np.ndarray  # (T, n)
    base_budget: np.ndarray  # (T, n) own hours per month for concertation
    budget: np.ndarray  # (T, n) hours per month, own plus the hours programme grants buy
    compromise: np.ndarray  # (T, n)
    core_income: np.ndarray  # (T, n) $ per year not tied to programmes (groups only)
    programme_income: np.ndarray  # (T, n) $ per year from programmes and service agreements
    dependence: np.ndarray  # (T, n) share of the organisation's income that programmes pay
    agreement: np.ndarray  # (T, n) bool: a service agreement with the health centre
    position: np.ndarray  # (T, n, 2) mission in the issue space
    home: np.ndarray  # (T, n, 2) the mission the actor was founded for
    strain: np.ndarray  # (T, n)
    drift: np.ndarray  # (T, n) mission drift
    autonomy: np.ndarray  # (T, n)
    load: np.ndarray  # (T, n) hours demanded by memberships
    attendance: np.ndarray  # (T, n) share of demanded hours actually attended

    @property
    def n(self) -> int:
        return self.kind.shape[0]

    @cached_property
    def of_kind(self) -> tuple[np.ndarray, ...]:
        """Indices of each type's actors, by ActorType code (an actor never changes type)."""
        return tuple(np.flatnonzero(self.kind == code) for code in ActorType)

    @cached_property
    def organisations(self) -> np.ndarray:
        """Indices of the community groups and institutions."""
        return np.flatnonzero(self.kind <= ActorType.INSTITUTION)


def build_actors(scenario: Scenario, rng: np.random.Generator) -> ActorArrays:
    pop, act = scenario.population, scenario.actors
    n_themes = len(pop.themes)
    n_funders = len(scenario.funders)
    kinds = np.concatenate([
        np.full(pop.community_groups, ActorType.COMMUNITY_GROUP),
        np.full(pop.institutions, ActorType.INSTITUTION),
        np.full(n_funders, ActorType.FUNDER_AGENT),
        np.full(pop.citizens, ActorType.CITIZEN),
    ]).astype(np.int8)
    n, t = kinds.shape[0], pop.territories
    funder_of_seat = np.full(n, -1, dtype=np.int64)
    funder_of_seat[kinds == ActorType.FUNDER_AGENT] = np.arange(n_funders)
    theme = rng.integers(0, n_themes, size=n)
    # Institutions cover the themes in turn (health centre, school board, city, ...).
    theme[kinds == ActorType.INSTITUTION] = np.arange(pop.institutions) % n_themes
    breadth = np.select(
        [kinds == ActorType.INSTITUTION, kinds == ActorType.FUNDER_AGENT,
         kinds == ActorType.CITIZEN],
        [BREADTH_INSTITUTION, BREADTH_FUNDER, BREADTH_CITIZEN], default=1.0,
    )
    groups = kinds == ActorType.COMMUNITY_GROUP

    high = act.group_power + act.power_imbalance * (act.institution_power - act.group_power)
    funder_high = act.group_power + act.power_imbalance * (act.funder_agent_power - act.group_power)
    base_power = np.select(
        [groups, kinds == ActorType.INSTITUTION, kinds == ActorType.FUNDER_AGENT],
        [act.group_power, high, funder_high], default=act.citizen_power,
    )
    power = base_power * rng.lognormal(0.0, POWER_SPREAD, size=(t, n))
    mean_budget = np.select(
        [groups, kinds == ActorType.INSTITUTION, kinds == ActorType.FUNDER_AGENT],
        [act.group_time_budget, act.institution_time_budget, act.funder_agent_time_budget],
        default=act.citizen_time_budget,
    )
    # Lognormal with the scenario's mean: organisations differ widely in size (assumption).
    spread = act.budget_spread
    budget = mean_budget * rng.lognormal(-spread**2 / 2, spread, size=(t, n))
    powerful = (kinds == ActorType.INSTITUTION) | (kinds == ActorType.FUNDER_AGENT)
    base_compromise = np.where(powerful, act.institution_compromise, act.group_compromise)
    compromise = np.clip(base_compromise + rng.normal(0.0, COMPROMISE_SPREAD, size=(t, n)),
                         0.0, 1.0)
    core_income = np.where(
        groups, act.group_core_income * rng.lognormal(-spread**2 / 2, spread, size=(t, n)), 0.0)
    agreement = groups[None, :] & (rng.random((t, n)) < scenario.organisers.agreement_share)
    centres = theme_centres(n_themes)
    position = centres[theme][None, :, :] + rng.normal(0.0, POSITION_SPREAD, size=(t, n, 2))
    zeros = np.zeros((t, n), dtype=FLOAT)
    return ActorArrays(
        kind=kinds, funder_of_seat=funder_of_seat, theme=theme, breadth=breadth,
        power=power, base_budget=budget, budget=budget.copy(), compromise=compromise,
        core_income=core_income, programme_income=zeros.copy(), dependence=zeros.copy(),
        agreement=agreement,
        position=position, home=position.copy(), strain=zeros.copy(), drift=zeros.copy(),
        autonomy=np.ones((t, n), dtype=FLOAT), load=zeros.copy(),
        attendance=np.ones((t, n), dtype=FLOAT),
    )


# Names of the per-slot table arrays and their dtypes; the store grows them together.
_SLOT_FIELDS: dict[str, type] = {
    "table_id": np.int64, "state": np.int8, "origin": np.int8, "initiator_kind": np.int8,
    "theme": np.int64, "created": np.int64, "breadth": FLOAT, "territorial": bool,
    "hours": FLOAT, "support": FLOAT, "organiser_hours": FLOAT, "leadership": FLOAT,
    "openness": FLOAT, "evaluation": np.int8, "prescription": FLOAT, "funded": bool,
    "funding": FLOAT, "conditional": bool, "funder": np.int64, "programme": np.int64,
    "creator_funder": np.int64, "funding_ended": np.int64, "grants": np.int64,
    "coordination_money": FLOAT, "member_money": FLOAT, "project_money": FLOAT,
    "required_sectors": np.int64, "required_institutions": np.int64,
    "required_groups": np.int64, "recruiting": bool,
    "trust": FLOAT, "understanding": FLOAT, "commitment": FLOAT, "appropriation": FLOAT,
    "instrumentalisation": FLOAT, "projects": np.int64, "partnerships": np.int64,
    "low_months": np.int64, "dormant_months": np.int64, "tendency": np.int8, "kind": np.int8,
    "members": np.int64, "information": FLOAT, "coordination": FLOAT, "management": FLOAT,
    "development": FLOAT, "top_down_share": FLOAT, "funder_share": FLOAT,
    "interest_share": FLOAT,
    "dominant_share": FLOAT, "convenor": np.int64,
}

_MINUS_ONE_FIELDS = ("table_id", "funder", "programme", "creator_funder", "funding_ended",
                     "convenor")

# Which states are live and which meet, by State code (read as a lookup: asked often).
_LIVE = np.isin(np.arange(len(State)), [State.FORMING, State.ACTIVE, State.DORMANT])
_MEETING = np.isin(np.arange(len(State)), [State.FORMING, State.ACTIVE])

# Per-seat arrays, shaped like membership (territory, actor, slot).
_SEAT_FIELDS: dict[str, type] = {"membership": bool, "delegate": bool, "attached": bool,
                                 "bound_until": np.int64}


@dataclass
class TableStore:
    """Table slots per territory. A dissolved table frees its slot for a new one."""

    territories: int
    n_actors: int
    capacity: int = 16
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    seats: dict[str, np.ndarray] = field(default_factory=dict)
    agenda: np.ndarray = field(init=False)
    priority: np.ndarray = field(init=False)
    links: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        shape = (self.territories, self.capacity)
        for name, dtype in _SLOT_FIELDS.items():
            self.arrays[name] = np.zeros(shape, dtype=dtype)
        for name in _MINUS_ONE_FIELDS:
            self.arrays[name][:] = -1
        for name, dtype in _SEAT_FIELDS.items():
            self.seats[name] = np.zeros((self.territories, self.n_actors, self.capacity),
                                        dtype=dtype)
        self.agenda = np.zeros(shape + (2,), dtype=FLOAT)
        self.priority = np.zeros(shape + (2,), dtype=FLOAT)
        self.links = np.zeros((self.territories, self.capacity, self.capacity), dtype=bool)
        self._expose()

    def __setattr__(self, name: str, value) -> None:
        # Slot and seat arrays are reachable as attributes (store.trust) and through their
        # dicts; an assignment (store.projects += x) must update both.
        for group in ("arrays", "seats"):
            mapping = self.__dict__.get(group)
            if mapping is not None and name in mapping:
                mapping[name] = value
        object.__setattr__(self, name, value)

    def _expose(self) -> None:
        self.__dict__.update(self.arrays)
        self.__dict__.update(self.seats)

    @property
    def live(self) -> np.ndarray:
        """Slots holding a table that still exists (forming, active or dormant)."""
        return _LIVE[self.arrays["state"]]

    @property
    def meeting(self) -> np.ndarray:
        """Slots whose table meets this month (forming or active)."""
        return _MEETING[self.arrays["state"]]

    def grow(self) -> None:
        """Add half as many slots again in every territory (amortised, rare)."""
        extra = max(8, self.capacity // 2)
        check_run_size(self.territories, self.n_actors, self.capacity + extra,
                       when=" (tables kept multiplying)")
        for name, values in self.arrays.items():
            pad = np.zeros((self.territories, extra), dtype=values.dtype)
            if name in _MINUS_ONE_FIELDS:
                pad[:] = -1
            self.arrays[name] = np.concatenate([values, pad], axis=1)
        for name, values in self.seats.items():
            pad = np.zeros((self.territories, self.n_actors, extra), dtype=values.dtype)
            self.seats[name] = np.concatenate([values, pad], axis=2)
        self.agenda = np.concatenate(
            [self.agenda, np.zeros((self.territories, extra, 2))], axis=1)
        self.priority = np.concatenate(
            [self.priority, np.zeros((self.territories, extra, 2))], axis=1)
        size = self.capacity + extra
        links = np.zeros((self.territories, size, size), dtype=bool)
        links[:, : self.capacity, : self.capacity] = self.links
        self.links = links
        self.capacity = size
        self._expose()

    def free_slot(self, territory: int) -> int:
        empty = np.flatnonzero(self.arrays["state"][territory] == State.EMPTY)
        if empty.size == 0:
            self.grow()
            return self.free_slot(territory)
        return int(empty[0])

    def clear_slot(self, territory: int, slot: int) -> None:
        for name, values in self.arrays.items():
            values[territory, slot] = -1 if name in _MINUS_ONE_FIELDS else 0
        for values in self.seats.values():
            values[territory, :, slot] = 0
        self.links[territory, slot, :] = False
        self.links[territory, :, slot] = False
