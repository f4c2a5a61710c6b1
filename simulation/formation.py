"""Bottom-up formation: tables that actors ask for.

Bourque: tables multiply partly "because actors ask for them". Where many community groups of
a sector sit at no table carrying their issue, one of them may convene one (more readily the
more autonomous the sector's groups are); institutions do so too, less often. The territorial
table of the 'concertation des concertations' is convened by the groups when the scenario has
that lever.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .categories import ActorType, Origin
from .state import cells
from .table_process import IssueFit
from .tables import create_table

COVERED_FIT = 0.4  # an agenda this close to a group's mission carries its issue (assumption)

if TYPE_CHECKING:
    from .model import ConcertationModel


def unaddressed_need(model: ConcertationModel) -> np.ndarray:
    """Per territory and theme, the share of the theme's community groups whose issue no live
    table of their theme carries: none has an agenda that fits them at least COVERED_FIT
    (territorial tables do not count: they cover no one issue). Sitting is not required; a
    group that chose not to sit at a table of its issue has no reason to convene another.

    Groups and organisers both ask each month; the need is read again only if a table opened
    in between (nothing else moves between the two)."""
    key = (model.month, len(model.registry))
    if model.need_seen is not None and model.need_seen[0] == key:
        return model.need_seen[1]
    need = _unaddressed_need(model)
    model.need_seen = (key, need)
    return need


def _unaddressed_need(model: ConcertationModel) -> np.ndarray:
    actors, store = model.actors, model.store
    n_themes = len(model.params.population.themes)
    group_index = actors.of_kind[ActorType.COMMUNITY_GROUP]
    group_theme = actors.theme[group_index]
    topical = store.live & ~store.territorial
    # Only a group's fit to the live topical tables of its own theme matters.
    t, g, m = cells(topical[:, None, :] & (group_theme[None, :, None] == store.theme[:, None, :]))
    close = IssueFit.of(model)(t, group_index[g], m) >= COVERED_FIT
    covered = np.zeros((store.territories, group_index.size), dtype=bool)
    covered[t[close], g[close]] = True
    issue = np.arange(store.territories)[:, None] * n_themes + group_theme[None, :]
    uncovered = np.bincount(issue[~covered], minlength=store.territories * n_themes)
    groups_per_theme = np.bincount(group_theme, minlength=n_themes)
    return uncovered.reshape(store.territories, n_themes) / np.maximum(groups_per_theme, 1)


def sector_autonomy(model: ConcertationModel) -> np.ndarray:
    """Mean autonomy of each theme's community groups, per territory (T, K)."""
    actors = model.actors
    n_themes = len(model.params.population.themes)
    groups = actors.kind == ActorType.COMMUNITY_GROUP
    own_theme = (np.eye(n_themes)[actors.theme] * groups[:, None])  # (n, K)
    return (actors.autonomy @ own_theme) / np.maximum(own_theme.sum(axis=0), 1)[None, :]


def formation_step(model: ConcertationModel) -> None:
    tables = model.params.tables
    need = unaddressed_need(model)
    draws = model.rng.random(need.shape + (2,))
    community = draws[..., 0] < tables.bottom_up_rate * need * sector_autonomy(model)
    institution = draws[..., 1] < tables.institution_initiative_rate * need
    for territory, theme in zip(*np.nonzero(community), strict=True):
        start_local_table(model, int(territory), int(theme), ActorType.COMMUNITY_GROUP)
    for territory, theme in zip(*np.nonzero(institution), strict=True):
        start_local_table(model, int(territory), int(theme), ActorType.INSTITUTION)


def start_local_table(model: ConcertationModel, territory: int, theme: int,
                      kind: ActorType, initiator: int | None = None) -> int:
    """A table convened by a local actor of the theme (a community group or an institution)."""
    actors = model.actors
    if initiator is None:
        pool = np.flatnonzero((actors.kind == kind) & (actors.theme == theme))
        if pool.size == 0:
            pool = np.flatnonzero(actors.kind == kind)
        initiator = int(pool[int(model.rng.integers(pool.size))])
    origin = Origin.COMMUNITY if kind == ActorType.COMMUNITY_GROUP else Origin.INSTITUTION
    return create_table(model, territory, origin, kind, theme, initiator)


def open_territorial_table(model: ConcertationModel, territory: int) -> int:
    """The 'concertation des concertations': a territory-wide table convened by community
    groups that links the others instead of adding one more topic."""
    actors = model.actors
    groups = np.flatnonzero(actors.kind == ActorType.COMMUNITY_GROUP)
    initiator = int(groups[int(model.rng.integers(groups.size))])
    return create_table(model, territory, Origin.COMMUNITY, ActorType.COMMUNITY_GROUP, 0,
                        initiator, territorial=True)
