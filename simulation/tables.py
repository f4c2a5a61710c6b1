"""Creating, funding and dissolving tables, and the registry that remembers every table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .categories import EVALUATION_CODES, ActorType, Origin, State
from .state import theme_centres

if TYPE_CHECKING:
    from .model import ConcertationModel
    from .programmes import Programme

AGENDA_SPREAD = 0.1  # how far a new table's agenda sits from its theme's centre (assumption)
TERRITORIAL_BREADTH = 3.0  # a territorial table covers every issue of the territory
TOPICAL_BREADTH = 1.0

# Dynamic slot fields copied into the registry when a table dissolves.
FINAL_FIELDS = ("trust", "understanding", "commitment", "appropriation", "instrumentalisation",
                "projects", "partnerships", "members", "tendency", "kind", "funded")


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
    # Month of dissolution, None while the table lives (months are negative in the spin-up).
    dissolved: list[int | None] = field(default_factory=list)
    dissolved_reason: list[str] = field(default_factory=list)
    final: dict[int, dict[str, Any]] = field(default_factory=dict)
    # The inventory's name of a table that existed when the run started (inventory.py).
    names: dict[int, str] = field(default_factory=dict)
    dissolved_count: int = 0

    def __len__(self) -> int:
        return len(self.territory)

    def is_dissolved(self, table_id: int) -> bool:
        return self.dissolved[table_id] is not None


def create_table(
    model: ConcertationModel,
    territory: int,
    origin: Origin,
    initiator_kind: ActorType,
    theme: int,
    initiator: int,
    *,
    programme: Programme | None = None,
    territorial: bool = False,
) -> int:
    """Open a table in a free slot with its initiator seated, and register it.

    The table then recruits (participation.seats_up_for_decision) until its required composition is met:
    a bottom-up table needs a quorum of organisations, a programme table the sectors and
    actor types its programme requires. Returns the table id.
    """
    from .agents import Table

    store, scenario, rng = model.store, model.params, model.rng
    process, tables = scenario.process, scenario.tables
    slot = store.free_slot(territory)
    table_id = len(model.registry)
    centres = theme_centres(len(scenario.population.themes))
    values: dict[str, Any] = {
        "table_id": table_id, "state": State.FORMING, "origin": origin,
        "initiator_kind": initiator_kind, "theme": theme, "created": model.month,
        "breadth": TERRITORIAL_BREADTH if territorial else TOPICAL_BREADTH,
        "territorial": territorial, "hours": tables.meeting_hours,
        "support": process.professional_support,
        "leadership": float(np.clip(rng.normal(process.leadership_quality, 0.15), 0, 1)),
        "openness": process.citizen_openness,
        "evaluation": EVALUATION_CODES[process.evaluation],
        "required_sectors": 1, "required_institutions": 0,
        "required_groups": tables.min_members, "recruiting": True, "convenor": initiator,
    }
    for name, value in values.items():
        store.arrays[name][territory, slot] = value
    store.agenda[territory, slot] = (0.0, 0.0) if territorial else centres[theme] + rng.normal(
        0.0, AGENDA_SPREAD, size=2)
    store.priority[territory, slot] = store.agenda[territory, slot]
    if programme is not None:
        design = programme.design
        store.hours[territory, slot] = tables.programme_meeting_hours
        store.creator_funder[territory, slot] = programme.funder
        store.required_sectors[territory, slot] = design.required_sectors
        store.required_institutions[territory, slot] = design.required_institutions
        store.required_groups[territory, slot] = design.required_groups
        fund_table(model, territory, slot, programme, negotiated=False)
    if territorial:
        store.required_sectors[territory, slot] = len(scenario.population.themes) // 2
        store.required_institutions[territory, slot] = 2
    store.membership[territory, initiator, slot] = True
    store.attached[territory, initiator, slot] = True
    model.actors.load[territory, initiator] += store.hours[territory, slot]

    registry = model.registry
    registry.territory.append(territory)
    registry.slot.append(slot)
    registry.origin.append(int(origin))
    registry.initiator_kind.append(int(initiator_kind))
    registry.theme.append(int(theme))
    registry.created.append(int(model.month))
    registry.creator_funder.append(-1 if programme is None else programme.funder)
    registry.programme.append(-1 if programme is None else programme.programme_id)
    registry.territorial.append(territorial)
    registry.dissolved.append(None)
    registry.dissolved_reason.append("")
    model.table_agents[table_id] = Table(model, table_id)
    model.tables_changed = True
    return table_id


def fund_table(model: ConcertationModel, territory: int, slot: int, programme: Programme,
               *, negotiated: bool) -> None:
    """Attach a programme's money and conditions to a table.

    The money is split as the programme says: a coordinator's hours, grants to the community
    groups that sit, and means for projects (actors.update_money and table_process spend it
    each month). A programme that creates its table sets its openness to citizens; one that
    funds an existing or pooled table keeps the table's own when it is wider. How far the
    prescription bites is the structural choice `process.bargaining`: "at_funding" (the
    default), a table negotiates it down by the appropriation it has when the money comes;
    "by_voice", it is not set here: the members bargain it each month
    (table_process.TableAggregates.funder_pull).
    """
    store, design = model.store, programme.design
    by_voice = model.params.process.bargaining == "by_voice"
    appropriation = store.appropriation[territory, slot] if negotiated and not by_voice else 0.0
    prescription = design.prescription * (1.0 - appropriation)
    money = design.funding_per_table
    store.funded[territory, slot] = True
    store.grants[territory, slot] += 1
    store.funding[territory, slot] += money
    store.coordination_money[territory, slot] += money * design.coordination_share
    store.member_money[territory, slot] += money * design.member_grant_share
    store.project_money[territory, slot] += money * (
        1.0 - design.coordination_share - design.member_grant_share)
    store.conditional[territory, slot] |= design.conditional_funding
    store.prescription[territory, slot] = max(store.prescription[territory, slot], prescription)
    store.evaluation[territory, slot] = EVALUATION_CODES[design.evaluation]
    store.openness[territory, slot] = (max(store.openness[territory, slot],
                                           design.citizen_openness)
                                       if negotiated else design.citizen_openness)
    store.funder[territory, slot] = programme.funder
    store.programme[territory, slot] = programme.programme_id
    store.funding_ended[territory, slot] = -1
    store.priority[territory, slot] = programme.priority
    programme.tables.append((territory, int(store.table_id[territory, slot])))


def end_grant(model: ConcertationModel, territory: int, slot: int, programme: Programme) -> None:
    """One programme's money stops; the table is unfunded when its last grant ends."""
    store, design = model.store, programme.design
    money = design.funding_per_table
    store.grants[territory, slot] = max(store.grants[territory, slot] - 1, 0)
    for name, share in (("funding", 1.0), ("coordination_money", design.coordination_share),
                        ("member_money", design.member_grant_share),
                        ("project_money",
                         1.0 - design.coordination_share - design.member_grant_share)):
        store.arrays[name][territory, slot] = max(
            store.arrays[name][territory, slot] - money * share, 0.0)
    if store.grants[territory, slot] == 0:
        unfund_table(model, territory, slot)


def unfund_table(model: ConcertationModel, territory: int, slot: int) -> None:
    """No programme pays any more: the table keeps only what its members bring."""
    store, process = model.store, model.params.process
    for name in ("funding", "coordination_money", "member_money", "project_money",
                 "prescription"):
        store.arrays[name][territory, slot] = 0.0
    store.funded[territory, slot] = False
    store.conditional[territory, slot] = False
    store.funder[territory, slot] = -1
    store.programme[territory, slot] = -1
    store.funding_ended[territory, slot] = model.month
    store.evaluation[territory, slot] = EVALUATION_CODES[process.evaluation]


def member_organisations(model: ConcertationModel, territory: int, slot: int) -> int:
    """Community groups and institutions seated at a table: the member organisations that
    funders count as a local partnership's partners (no citizens, no funder officers)."""
    organisation = model.actors.kind <= ActorType.INSTITUTION
    return int((model.store.membership[territory, :, slot] & organisation).sum())


def dissolve_table(model: ConcertationModel, territory: int, slot: int, reason: str) -> None:
    """Record a table's final state, release its members and free its slot."""
    store = model.store
    table_id = int(store.table_id[territory, slot])
    store.members[territory, slot] = int(store.membership[territory, :, slot].sum())
    model.registry.final[table_id] = {
        name: store.arrays[name][territory, slot].item() for name in FINAL_FIELDS} | {
        "member_organisations": member_organisations(model, territory, slot)}
    model.registry.dissolved[table_id] = model.month
    model.registry.dissolved_count += 1
    model.registry.dissolved_reason[table_id] = reason
    store.clear_slot(territory, slot)
    agent = model.table_agents.pop(table_id)
    agent.remove()
