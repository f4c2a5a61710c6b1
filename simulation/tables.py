"""Creating and dissolving tables, and the registry that remembers every table ever created."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .categories import EVALUATION_CODES, ActorType, Origin, State
from .state import theme_centres

if TYPE_CHECKING:
    from .model import ConcertationModel
    from .programmes import Programme

FAVOURABLE_PRESCRIPTION = 0.2  # under the favourable conditions results are not predetermined

# Dynamic slot fields copied into the registry when a table dissolves.
FINAL_FIELDS = ("trust", "understanding", "commitment", "appropriation", "instrumentalisation",
                "projects", "members", "tendency", "kind", "funded")


@dataclass
class TableRegistry:
    """Static facts of every table, alive or not, by table id."""

    territory: list[int] = field(default_factory=list)
    slot: list[int] = field(default_factory=list)
    origin: list[int] = field(default_factory=list)
    initiator_kind: list[int] = field(default_factory=list)
    theme: list[int] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    creator_funder: list[int] = field(default_factory=list)
    programme: list[int] = field(default_factory=list)
    territorial: list[bool] = field(default_factory=list)
    dissolved: list[int] = field(default_factory=list)
    dissolved_reason: list[str] = field(default_factory=list)
    final: dict[int, dict[str, Any]] = field(default_factory=dict)
    dissolved_count: int = 0

    def __len__(self) -> int:
        return len(self.territory)


def create_table(
    model: ConcertationModel,
    territory: int,
    origin: Origin,
    initiator_kind: ActorType,
    theme: int,
    founders: np.ndarray,
    *,
    programme: Programme | None = None,
    created: int | None = None,
    territorial: bool = False,
    state: State = State.FORMING,
) -> int:
    """Open a table in a free slot, seat its founders, and register it. Returns its id."""
    from .agents import Table

    store, scenario, rng = model.store, model.params, model.rng
    process, tables = scenario.process, scenario.tables
    slot = store.free_slot(territory)
    table_id = len(model.registry)
    created = model.steps if created is None else created
    centres = theme_centres(len(scenario.population.themes))
    values: dict[str, Any] = {
        "table_id": table_id, "state": state, "origin": origin,
        "initiator_kind": initiator_kind, "theme": theme, "created": created,
        "breadth": 3.0 if territorial else 1.0, "territorial": territorial,
        "hours": tables.meeting_hours, "support": process.professional_support,
        "leadership": float(np.clip(rng.normal(process.leadership_quality, 0.15), 0, 1)),
        "openness": process.citizen_openness,
        "evaluation": EVALUATION_CODES[process.evaluation],
        "prescription": 0.0, "target_size": tables.founding_members * 2,
        "trust": 0.0, "understanding": 0.0, "commitment": 0.0, "appropriation": 0.0,
        "instrumentalisation": 0.0, "projects": 0, "low_months": 0, "dormant_months": 0,
    }
    for name, value in values.items():
        store.arrays[name][territory, slot] = value
    store.agenda[territory, slot] = (0.0, 0.0) if territorial else centres[theme] + rng.normal(
        0.0, 0.1, size=2)
    store.priority[territory, slot] = store.agenda[territory, slot]
    if programme is not None:
        store.target_size[territory, slot] = tables.programme_target_size
        store.hours[territory, slot] = tables.programme_meeting_hours
        store.creator_funder[territory, slot] = programme.funder
        fund_table(model, territory, slot, programme, negotiated=False)
    if process.favourable_conditions:
        apply_favourable_conditions(model, territory, slot)
    store.membership[territory, founders, slot] = True
    # Founders' time is taken now, so the next table founded this month recruits others.
    model.actors.load[territory, founders] += store.hours[territory, slot]

    registry = model.registry
    registry.territory.append(territory)
    registry.slot.append(slot)
    registry.origin.append(int(origin))
    registry.initiator_kind.append(int(initiator_kind))
    registry.theme.append(int(theme))
    registry.created.append(int(created))
    registry.creator_funder.append(-1 if programme is None else programme.funder)
    registry.programme.append(-1 if programme is None else programme.programme_id)
    registry.territorial.append(territorial)
    registry.dissolved.append(-1)
    registry.dissolved_reason.append("")
    model.table_agents[table_id] = Table(model, table_id)
    return table_id


def fund_table(model: ConcertationModel, territory: int, slot: int, programme: Programme,
               *, negotiated: bool) -> None:
    """Attach a programme's money and conditions to a table.

    A programme that creates its table sets its rules; one that funds an existing or pooled
    table negotiates: the more the members own the table, the less the programme's
    prescription bites, and the table keeps its own openness and support if higher
    (co-construction pole).
    """
    store, design = model.store, programme.design
    appropriation = store.appropriation[territory, slot] if negotiated else 0.0
    prescription = design.prescription * (1.0 - appropriation)
    favourable = model.params.process.favourable_conditions
    if favourable:
        prescription *= FAVOURABLE_PRESCRIPTION
    store.funded[territory, slot] = True
    store.grants[territory, slot] += 1
    store.funding[territory, slot] += design.funding_per_table
    store.conditional[territory, slot] = design.conditional_funding
    store.prescription[territory, slot] = max(store.prescription[territory, slot], prescription)
    if not favourable:
        store.evaluation[territory, slot] = EVALUATION_CODES[design.evaluation]
    if negotiated:
        store.support[territory, slot] = max(store.support[territory, slot],
                                             design.professional_support)
        store.openness[territory, slot] = max(store.openness[territory, slot],
                                              design.citizen_openness)
    else:
        store.support[territory, slot] = design.professional_support
        store.openness[territory, slot] = design.citizen_openness
    store.funder[territory, slot] = programme.funder
    store.programme[territory, slot] = programme.programme_id
    store.funding_ended[territory, slot] = -1
    store.priority[territory, slot] = programme.priority
    programme.tables.append((territory, int(store.table_id[territory, slot])))


def end_grant(model: ConcertationModel, territory: int, slot: int, programme: Programme) -> None:
    """One programme's money stops; the table is unfunded when its last grant ends."""
    store = model.store
    store.grants[territory, slot] = max(store.grants[territory, slot] - 1, 0)
    store.funding[territory, slot] = max(
        store.funding[territory, slot] - programme.design.funding_per_table, 0.0)
    if store.grants[territory, slot] == 0:
        unfund_table(model, territory, slot)


def unfund_table(model: ConcertationModel, territory: int, slot: int) -> None:
    store = model.store
    store.funded[territory, slot] = False
    store.funding[territory, slot] = 0.0
    store.conditional[territory, slot] = False
    store.prescription[territory, slot] = 0.0
    store.funder[territory, slot] = -1
    store.programme[territory, slot] = -1
    store.funding_ended[territory, slot] = model.steps
    if store.evaluation[territory, slot] == EVALUATION_CODES["results"]:
        store.evaluation[territory, slot] = EVALUATION_CODES[model.params.process.evaluation]


def apply_favourable_conditions(model: ConcertationModel, territory: int, slot: int) -> None:
    """Bourque's eight conditions, switched on: support, leadership, openness and process
    evaluation (prescription is lightened in fund_table; compromise is set on the actors)."""
    store = model.store
    store.support[territory, slot] = max(store.support[territory, slot], 0.8)
    store.leadership[territory, slot] = max(store.leadership[territory, slot], 0.8)
    store.openness[territory, slot] = max(store.openness[territory, slot], 0.6)
    store.evaluation[territory, slot] = EVALUATION_CODES["process"]


def dissolve_table(model: ConcertationModel, territory: int, slot: int, reason: str) -> None:
    """Record a table's final state, release its members and free its slot."""
    store = model.store
    table_id = int(store.table_id[territory, slot])
    store.members[territory, slot] = int(store.membership[territory, :, slot].sum())
    model.registry.final[table_id] = {
        name: store.arrays[name][territory, slot].item() for name in FINAL_FIELDS}
    model.registry.dissolved[table_id] = model.steps
    model.registry.dissolved_count += 1
    model.registry.dissolved_reason[table_id] = reason
    store.clear_slot(territory, slot)
    agent = model.table_agents.pop(table_id)
    agent.remove()


def founders_for(model: ConcertationModel, territory: int, theme: int,
                 initiator: np.ndarray, count: int) -> np.ndarray:
    """The initiator plus the organisations of the theme with the most spare time."""
    actors = model.actors
    organisation = actors.kind <= ActorType.INSTITUTION
    spare = actors.budget[territory] - actors.load[territory]
    candidates = np.flatnonzero(organisation & (actors.theme == theme))
    candidates = candidates[~np.isin(candidates, initiator)]
    ranked = candidates[np.argsort(-spare[candidates], kind="stable")]
    return np.concatenate([initiator, ranked[: max(count - initiator.size, 0)]]).astype(np.int64)
