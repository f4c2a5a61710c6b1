"""Life cycle: forming tables start or fail, active ones go dormant when people stop coming,
dormant ones revive or dissolve, and an unfunded programme table survives only if its members
appropriated it (Bourque; Portneuf en forme; the end of the Chagnon partnerships)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .categories import Origin, State
from .tables import dissolve_table

if TYPE_CHECKING:
    from .model import ConcertationModel
    from .table_process import TableAggregates

FORMING_GRACE_MONTHS = 6  # assumption: a table that never gathers enough members gives up


def lifecycle_step(model: ConcertationModel, agg: TableAggregates) -> None:
    store, params = model.store, model.params.tables
    state = store.state
    age = model.steps - store.created
    enough = agg.attending >= params.min_members
    size = store.membership.sum(axis=1)

    forming = state == State.FORMING
    starts = forming & (age >= params.forming_months) & (size >= params.min_members)
    fails = forming & (age >= params.forming_months + FORMING_GRACE_MONTHS) & ~starts

    active = state == State.ACTIVE
    store.low_months[:] = np.where(active & ~enough, store.low_months + 1,
                                   np.where(active, 0, store.low_months))
    sleeps = active & (store.low_months >= params.dormant_after_months)

    dormant = state == State.DORMANT
    wakes = dormant & enough
    store.dormant_months[:] = np.where(dormant & ~enough, store.dormant_months + 1, 0)
    expires = dormant & (store.dormant_months >= params.dissolve_after_dormant_months)

    orphan = (store.origin == Origin.PROGRAMME) & (store.funding_ended >= 0) & ~store.funded
    threshold = max(params.appropriation_to_survive, 1e-9)
    risk = params.unfunded_dissolve_rate * np.clip(1.0 - store.appropriation / threshold, 0, 1) ** 2
    collapses = (store.live & orphan & (model.rng.random(risk.shape) < risk))
    empty = store.live & (size == 0) & ~forming

    state[starts | wakes] = State.ACTIVE
    state[sleeps] = State.DORMANT
    store.dormant_months[sleeps] = 0
    store.low_months[sleeps] = 0
    reasons = ((fails, "never_formed"), (expires, "dormant"), (collapses, "funding_ended"),
               (empty, "empty"))
    done = np.zeros_like(forming)
    for mask, reason in reasons:
        for territory, slot in zip(*np.nonzero(mask & ~done), strict=True):
            dissolve_table(model, int(territory), int(slot), reason)
        done |= mask
