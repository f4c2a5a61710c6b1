"""The tables a planner's inventory lists, placed in the territory when the run starts.

Instead of growing the initial tables by a spin-up, a scenario may list the tables that exist
(`initial.tables`, written from a CSV by `concertation scenario new --inventory`). Each table
opens active, with its theme, year, origin and funder, and with members drawn to match its
counts by type, first among the actors whose mission is of the table's theme (assumption: a
table recruits in its own sector first, as participation.seats_up_for_decision has it). Its process
state (trust, understanding, appropriation) starts from zero like a new table's: the inventory
does not tell it, and the members' decisions build it from there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .categories import ActorType, Origin, State
from .programmes import Programme, funder_priority
from .tables import create_table, fund_table

if TYPE_CHECKING:
    from .model import ConcertationModel
    from .scenario import InventoryTable

ORIGINS = {"community": Origin.COMMUNITY, "institution": Origin.INSTITUTION,
           "programme": Origin.PROGRAMME}
COUNTS = (("community_groups", ActorType.COMMUNITY_GROUP),
          ("institutions", ActorType.INSTITUTION), ("citizens", ActorType.CITIZEN))


def place_inventory(model: ConcertationModel) -> None:
    """Open every inventory table in every territory (the inventory describes one territory;
    with several, each starts from the same tables)."""
    for table in model.params.initial.tables:
        programme = inventory_programme(model, table)
        for territory in range(model.params.population.territories):
            place_table(model, territory, table, programme)


def inventory_programme(model: ConcertationModel, table: InventoryTable) -> Programme | None:
    """The grant the inventory says a funder pays: one of the funder's programmes, running
    from the start of the run for the funder's programme duration."""
    if table.funder is None:
        return None
    funder = next(f for f in model.funders if f.params.name == table.funder)
    theme = model.params.population.themes.index(table.theme)
    design = model.params.programme_design(funder.params)
    programme = Programme(
        programme_id=len(model.programmes), funder=funder.index, theme=theme, start=0,
        end=round(design.duration_years * 12), design=design,
        priority=funder_priority(model, funder, theme))
    model.programmes.append(programme)
    funder.programmes.append(programme)
    return programme


def draw_members(model: ConcertationModel, table: InventoryTable, theme: int) -> np.ndarray:
    """Actors of each type in the counts asked, those of the table's theme first."""
    actors, rng = model.actors, model.rng
    chosen = []
    for column, kind in COUNTS:
        count = getattr(table, column)
        if not count:
            continue
        pool = rng.permutation(actors.of_kind[kind])
        pool = np.concatenate([pool[actors.theme[pool] == theme],
                               pool[actors.theme[pool] != theme]])
        chosen.append(pool[:count])
    return np.concatenate(chosen)


def place_table(model: ConcertationModel, territory: int, table: InventoryTable,
                programme: Programme | None) -> int:
    """Open one inventory table, active, with its members seated; returns its id."""
    store, actors = model.store, model.actors
    theme = model.params.population.themes.index(table.theme)
    members = draw_members(model, table, theme)
    origin = ORIGINS[table.initiated_by]
    kinds = actors.kind[members]
    initiator_kind = (ActorType.COMMUNITY_GROUP if origin == Origin.COMMUNITY
                      or not np.any(kinds == ActorType.INSTITUTION) else ActorType.INSTITUTION)
    initiator = int(members[np.argmax(kinds == initiator_kind)])
    table_id = create_table(
        model, territory, origin, initiator_kind, theme, initiator,
        programme=programme if origin == Origin.PROGRAMME else None,
        territorial=table.territorial)
    slot = model.registry.slot[table_id]
    if programme is not None and origin != Origin.PROGRAMME:
        fund_table(model, territory, slot, programme, negotiated=True)
    created = (table.year_created - model.params.run.start_year) * 12
    store.created[territory, slot] = created
    model.registry.created[table_id] = created
    model.registry.names[table_id] = table.name
    store.state[territory, slot] = State.ACTIVE
    if table.meeting_hours is not None:
        model.actors.load[territory, initiator] += table.meeting_hours - store.hours[
            territory, slot]
        store.hours[territory, slot] = table.meeting_hours
    others = members[members != initiator]
    store.membership[territory, others, slot] = True
    store.attached[territory, others, slot] = True
    actors.load[territory, others] += store.hours[territory, slot]
    return table_id
