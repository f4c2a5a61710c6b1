"""Community organisers of the health and social services centre (CSSS).

Bourque (2007): organisers support and often initiate tables, with a double allegiance, to the
community and to their employer; service agreements between the centre and community groups run
in a "concertation" or an "administration" mode (the latter turns organisers into quasi-managers
and makes the groups' seats an obligation: participation.seat_values). Here the centre's
organisers share their hours between the tables the community convened and the tables of the
programmes the centre delivers, in the proportion of their allegiance, and convene tables where
a sector's needs go unaddressed, with a mandate the members define.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .categories import ActorType, Origin
from .formation import unaddressed_need
from .tables import create_table

if TYPE_CHECKING:
    from .model import ConcertationModel

HEALTH_CENTRE = 0  # the first institution is the health and social services centre


def health_centre(model: ConcertationModel) -> int:
    return int(np.flatnonzero(model.actors.kind == ActorType.INSTITUTION)[HEALTH_CENTRE])


def allocate_organisers(model: ConcertationModel) -> None:
    """Spread the organisers' hours over meeting tables by allegiance: community-convened
    tables on one side, the programme tables the centre convened or sits at on the other."""
    store, params = model.store, model.params.organisers
    hours = params.organisers * params.organiser_hours
    centre = health_centre(model)
    community = store.origin == Origin.COMMUNITY
    employer = store.funded & (store.membership[:, centre, :]
                               | (store.initiator_kind == ActorType.INSTITUTION))
    weight = store.meeting * (params.allegiance * community
                              + (1.0 - params.allegiance) * employer)
    total = weight.sum(axis=1, keepdims=True)
    store.organiser_hours[:] = np.where(total > 0, hours * weight / np.maximum(total, 1e-12),
                                        0.0)


def organiser_initiatives(model: ConcertationModel) -> None:
    """Organisers convene a table where a sector's groups sit at no table of their issue."""
    params = model.params.organisers
    if params.organisers == 0 or params.initiative_rate == 0:
        return
    need = unaddressed_need(model)
    chance = params.initiative_rate * need * params.allegiance
    starts = model.rng.random(need.shape) < chance
    centre = health_centre(model)
    for territory, theme in zip(*np.nonzero(starts), strict=True):
        create_table(model, int(territory), Origin.INSTITUTION, ActorType.INSTITUTION,
                     int(theme), centre)
