"""Funders' programmes: launched on the scenario's schedule, funding tables, ending, and the
exit of a whole funder.

Bourque: tables multiply by sedimentation partly because "policies and programmes require
them and private foundations fund them". A programme either creates its own table in every
territory, funds the existing table of its theme, or funds the pooled territorial table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .categories import ActorType, Origin, State
from .scenario import ProgrammeDesign
from .state import theme_centres
from .tables import create_table, end_grant, founders_for, fund_table

if TYPE_CHECKING:
    from .agents import Funder
    from .model import ConcertationModel

PRIORITY_OFFSET = 0.6  # how far a funder's priorities sit from local missions (assumption)


@dataclass
class Programme:
    programme_id: int
    funder: int
    theme: int
    start: int
    end: int
    design: ProgrammeDesign
    priority: np.ndarray
    tables: list[tuple[int, int]] = field(default_factory=list)
    ended: bool = False


def funder_priority(model: ConcertationModel, funder: Funder, theme: int) -> np.ndarray:
    """A programme's target agenda: its theme, bent toward the funder's own approach."""
    centre = theme_centres(len(model.params.population.themes))[theme]
    return centre + PRIORITY_OFFSET * funder.approach


def launch_programme(model: ConcertationModel, funder: Funder) -> Programme:
    scenario = model.params
    themes = funder.params.themes or scenario.population.themes
    theme = scenario.population.themes.index(themes[int(model.rng.integers(len(themes)))])
    design = scenario.programme_design(funder.params)
    programme = Programme(
        programme_id=len(model.programmes), funder=funder.index, theme=theme,
        start=model.steps, end=model.steps + round(design.duration_years * 12),
        design=design, priority=funder_priority(model, funder, theme),
    )
    model.programmes.append(programme)
    funder.programmes.append(programme)
    for territory in range(scenario.population.territories):
        place_programme(model, programme, territory)
    return programme


def place_programme(model: ConcertationModel, programme: Programme, territory: int) -> None:
    store = model.store
    mode = programme.design.table_mode
    live = store.live[territory]
    if mode == "pooled":
        pooled = np.flatnonzero(live & store.territorial[territory])
        if pooled.size:
            fund_table(model, territory, int(pooled[0]), programme, negotiated=True)
            return
        open_programme_table(model, programme, territory, territorial=True)
        return
    if mode == "existing":
        same_theme = live & (store.theme[territory] == programme.theme) \
            & ~store.territorial[territory] & (store.state[territory] != State.DORMANT)
        candidates = np.flatnonzero(same_theme)
        if candidates.size:
            sizes = store.membership[territory][:, candidates].sum(axis=0)
            slot = int(candidates[np.argmax(sizes)])
            fund_table(model, territory, slot, programme, negotiated=True)
            return
    open_programme_table(model, programme, territory)


def open_programme_table(model: ConcertationModel, programme: Programme, territory: int,
                         territorial: bool = False) -> None:
    actors = model.actors
    if programme.design.initiator == "institution":
        institutions = np.flatnonzero(actors.kind == ActorType.INSTITUTION)
        matching = institutions[actors.theme[institutions] == programme.theme]
        pool = matching if matching.size else institutions
        initiator = pool[int(model.rng.integers(pool.size))]
        initiator_kind = ActorType.INSTITUTION
    else:
        initiator = int(np.flatnonzero(actors.funder_of_seat == programme.funder)[0])
        initiator_kind = ActorType.FUNDER_AGENT
    founders = founders_for(model, territory, programme.theme, np.array([initiator]),
                            model.params.tables.founding_members)
    create_table(model, territory, Origin.PROGRAMME, initiator_kind, programme.theme, founders,
                 programme=programme, territorial=territorial)


def end_programme(model: ConcertationModel, programme: Programme) -> None:
    """Funding stops; each table it funded keeps going only on its members' own terms."""
    registry = model.registry
    programme.ended = True
    for territory, table_id in programme.tables:
        if registry.dissolved[table_id] != -1:
            continue
        slot = registry.slot[table_id]
        end_grant(model, territory, slot, programme)


def programmes_step(model: ConcertationModel) -> None:
    """End due programmes, apply funder exits, then launch this month's new programmes."""
    step = model.steps
    for programme in model.programmes:
        if not programme.ended and step >= programme.end:
            end_programme(model, programme)
    multiplier = model.params.programmes.launch_rate_multiplier
    for funder in model.funders:
        params = funder.params
        if params.exit_year is not None and step >= params.exit_year * 12 and not funder.exited:
            funder.exited = True
            for programme in funder.programmes:
                if not programme.ended:
                    end_programme(model, programme)
        if funder.exited or step < params.first_year * 12:
            continue
        if params.last_launch_year is not None and step > params.last_launch_year * 12:
            continue
        launches = model.rng.poisson(params.launch_rate_per_year * multiplier / 12.0)
        for _ in range(int(launches)):
            launch_programme(model, funder)
