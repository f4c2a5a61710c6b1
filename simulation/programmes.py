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
from .tables import create_table, end_grant, fund_table

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
    ended_month: int | None = None  # when its funding stopped (at its end or a funder's exit)

    @property
    def ended(self) -> bool:
        return self.ended_month is not None


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
        start=model.month, end=model.month + round(design.duration_years * 12),
        design=design, priority=funder_priority(model, funder, theme),
    )
    model.programmes.append(programme)
    funder.programmes.append(programme)
    for territory in range(scenario.population.territories):
        place_programme(model, programme, territory)
    return programme


def place_programme(model: ConcertationModel, programme: Programme, territory: int) -> None:
    """Fund a table for the programme in one territory, or create the programme's own.

    `pooled` funds the territorial table; `existing` funds the largest active table of the
    theme; `own` creates a table, unless programmes coordinate (`programmes.coordination`):
    then, with that probability, it joins a table another programme already funds on its theme.
    """
    store = model.store
    mode = programme.design.table_mode
    live = store.live[territory] & (store.state[territory] != State.DORMANT)
    topical = live & ~store.territorial[territory] & (store.theme[territory] == programme.theme)
    if mode == "pooled":
        pooled = np.flatnonzero(live & store.territorial[territory])
        if pooled.size:
            fund_table(model, territory, int(pooled[0]), programme, negotiated=True)
            return
        open_programme_table(model, programme, territory, territorial=True)
        return
    candidates = np.empty(0, dtype=np.int64)
    if mode == "existing":
        candidates = np.flatnonzero(topical)
    elif model.rng.random() < model.params.programmes.coordination:
        candidates = np.flatnonzero(topical & store.funded[territory])
    if candidates.size:
        sizes = store.membership[territory][:, candidates].sum(axis=0)
        fund_table(model, territory, int(candidates[np.argmax(sizes)]), programme,
                   negotiated=mode == "existing")
        return
    open_programme_table(model, programme, territory)


def open_programme_table(model: ConcertationModel, programme: Programme, territory: int,
                         territorial: bool = False) -> None:
    """The programme's own table, convened by the funder's officer or by an institution of the
    theme (the health centre for the ministry's programmes). With separated roles the funder
    does not convene (or sit at) the tables it pays for."""
    actors = model.actors
    by_institution = (programme.design.initiator == "institution"
                      or model.params.programmes.separate_roles)
    if by_institution:
        institutions = np.flatnonzero(actors.kind == ActorType.INSTITUTION)
        matching = institutions[actors.theme[institutions] == programme.theme]
        pool = matching if matching.size else institutions
        initiator = int(pool[int(model.rng.integers(pool.size))])
        initiator_kind = ActorType.INSTITUTION
    else:
        initiator = int(np.flatnonzero(actors.funder_of_seat == programme.funder)[0])
        initiator_kind = ActorType.FUNDER_AGENT
    create_table(model, territory, Origin.PROGRAMME, initiator_kind, programme.theme, initiator,
                 programme=programme, territorial=territorial)


def end_programme(model: ConcertationModel, programme: Programme) -> None:
    """Funding stops; what each table does next is up to its members."""
    registry = model.registry
    programme.ended_month = model.month
    for territory, table_id in programme.tables:
        if registry.is_dissolved(table_id):
            continue
        end_grant(model, territory, registry.slot[table_id], programme)


def committed_money(funder: Funder) -> float:
    """Money per year the funder already pays to tables through running programmes."""
    return sum(programme.design.funding_per_table * len(programme.tables)
               for programme in funder.programmes if not programme.ended)


def programmes_step(model: ConcertationModel) -> None:
    """End due programmes, apply funder exits, then launch this month's new programmes
    within each funder's yearly budget."""
    month = model.month
    for programme in model.programmes:
        if not programme.ended and month >= programme.end:
            end_programme(model, programme)
    multiplier = model.params.programmes.launch_rate_multiplier
    territories = model.params.population.territories
    last_year = model.params.programmes.last_launch_year
    launching = last_year is None or month <= last_year * 12
    for funder in model.funders:
        params = funder.params
        if params.exit_year is not None and month >= params.exit_year * 12 and not funder.exited:
            funder.exited_month = month
            for programme in funder.programmes:
                if not programme.ended:
                    end_programme(model, programme)
        if funder.exited or not launching or month < params.first_year * 12:
            continue
        if params.last_launch_year is not None and month > params.last_launch_year * 12:
            continue
        launches = int(model.rng.poisson(params.launch_rate_per_year * multiplier / 12.0))
        cost = model.params.programme_design(params).funding_per_table * territories
        for _ in range(launches):
            if params.budget_per_year is not None and (
                    committed_money(funder) + cost > params.budget_per_year):
                break
            launch_programme(model, funder)
