"""Bottom-up formation and the tables that exist before the run starts.

Bourque: tables also multiply "because actors ask for them". Organisations whose sector has
no table to carry its issue may initiate one; institutions do so too, less often.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .categories import ActorType, Origin, State
from .tables import create_table, founders_for

if TYPE_CHECKING:
    from .model import ConcertationModel


def unaddressed_need(model: ConcertationModel) -> np.ndarray:
    """Per territory and theme, the share of the theme's community groups that sit at no
    live table of their theme (territorial tables do not count: they cover no one issue)."""
    actors, store = model.actors, model.store
    n_themes = len(model.params.population.themes)
    topical = store.live & ~store.territorial
    theme_of_slot = np.eye(n_themes, dtype=np.float64)[store.theme] * topical[:, :, None]
    covered = np.matmul(store.membership.astype(np.float64), theme_of_slot) > 0  # (T, n, K)
    groups = actors.kind == ActorType.COMMUNITY_GROUP
    own_theme = np.eye(n_themes, dtype=bool)[actors.theme] & groups[:, None]  # (n, K)
    uncovered = (own_theme[None] & ~covered).sum(axis=1)
    return uncovered / np.maximum(own_theme.sum(axis=0), 1)[None, :]


def formation_step(model: ConcertationModel) -> None:
    tables = model.params.tables
    need = unaddressed_need(model)
    draws = model.rng.random(need.shape + (2,))
    community = draws[..., 0] < tables.bottom_up_rate * need
    institution = draws[..., 1] < tables.institution_initiative_rate * need
    for territory, theme in zip(*np.nonzero(community), strict=True):
        start_local_table(model, int(territory), int(theme), Origin.COMMUNITY)
    for territory, theme in zip(*np.nonzero(institution), strict=True):
        start_local_table(model, int(territory), int(theme), Origin.INSTITUTION)


def start_local_table(model: ConcertationModel, territory: int, theme: int, origin: Origin,
                      created: int | None = None, state: State = State.FORMING) -> int:
    actors = model.actors
    kind = ActorType.COMMUNITY_GROUP if origin == Origin.COMMUNITY else ActorType.INSTITUTION
    pool = np.flatnonzero((actors.kind == kind) & (actors.theme == theme))
    if pool.size == 0:
        pool = np.flatnonzero(actors.kind == kind)
    initiator = np.array([pool[int(model.rng.integers(pool.size))]])
    founders = founders_for(model, territory, theme, initiator,
                            model.params.tables.founding_members)
    return create_table(model, territory, origin, kind, theme, founders, created=created,
                        state=state)


def seed_initial_tables(model: ConcertationModel) -> None:
    """Tables that already exist at the start, of random ages, none programme-made."""
    initial = model.params.initial
    n_themes = len(model.params.population.themes)
    max_age = max(int(initial.max_age_years * 12), 1)
    for territory in range(model.params.population.territories):
        for _ in range(initial.tables):
            theme = int(model.rng.integers(n_themes))
            origin = (Origin.INSTITUTION if model.rng.random() < initial.institution_share
                      else Origin.COMMUNITY)
            created = -int(model.rng.integers(1, max_age + 1))
            table_id = start_local_table(model, territory, theme, origin, created=created,
                                         state=State.ACTIVE)
            slot = model.registry.slot[table_id]
            for name in ("trust", "understanding", "commitment", "appropriation"):
                model.store.arrays[name][territory, slot] = 0.3
        if model.params.integration.territorial_table:
            open_territorial_table(model, territory)


def open_territorial_table(model: ConcertationModel, territory: int) -> int:
    """The 'concertation des concertations': a territory-wide table convened by community
    groups that links the others instead of adding one more topic."""
    actors = model.actors
    groups = np.flatnonzero(actors.kind == ActorType.COMMUNITY_GROUP)
    initiator = np.array([groups[int(model.rng.integers(groups.size))]])
    institutions = np.flatnonzero(actors.kind == ActorType.INSTITUTION)
    founders = np.unique(np.concatenate([initiator, institutions[:4]]))
    return create_table(model, territory, Origin.COMMUNITY, ActorType.COMMUNITY_GROUP, 0,
                        founders, territorial=True, state=State.ACTIVE)
