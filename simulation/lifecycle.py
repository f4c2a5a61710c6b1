"""Life cycle: a table lives as long as its members keep coming.

A forming table becomes active once a quorum attends, or gives up; an active table whose
attendance falls below the quorum goes dormant; a dormant table revives if members come back or
dissolves; a table everyone has left dissolves. No survival rule: whether a programme table
outlives its funding follows from its members' decisions (participation.py), which is what
Bourque and the Portneuf and Chagnon experiences describe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .categories import State
from .tables import dissolve_table

if TYPE_CHECKING:
    from .model import ConcertationModel
    from .table_process import TableAggregates


def lifecycle_step(model: ConcertationModel, agg: TableAggregates) -> None:
    store, params = model.store, model.params.tables
    state = store.state
    age = model.month - store.created
    quorum = (agg.attending >= params.min_members) & (
        (store.convenor >= 0) | (store.support >= 1.0))

    forming = state == State.FORMING
    starts = forming & quorum
    fails = forming & ~quorum & (age >= params.forming_months)

    active = state == State.ACTIVE
    store.low_months[:] = np.where(active & ~quorum, store.low_months + 1,
                                   np.where(active, 0, store.low_months))
    sleeps = active & (store.low_months >= params.dormant_after_months)

    dormant = state == State.DORMANT
    wakes = dormant & quorum
    store.dormant_months[:] = np.where(dormant & ~quorum, store.dormant_months + 1, 0)
    expires = dormant & (store.dormant_months >= params.dissolve_after_dormant_months)
    empty = store.live & (agg.size == 0)

    state[starts | wakes] = State.ACTIVE
    state[sleeps] = State.DORMANT
    store.dormant_months[sleeps] = 0
    store.low_months[sleeps | starts | wakes] = 0
    reasons = ((empty, "empty"), (fails, "never_formed"), (expires, "dormant"))
    done = np.zeros_like(forming)
    for mask, reason in reasons:
        for territory, slot in zip(*np.nonzero(mask & ~done), strict=True):
            dissolve_table(model, int(territory), int(slot), reason)
        done |= mask
