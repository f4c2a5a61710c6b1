"""Reading Bourque's typologies off table states.

Tendencies (Bourque's diagram, top-down vs bottom-up logics with concertation at the centre).
Our operational reading (an assumption, documented in docs/ODD.md): the first axis is the
logic, bottom-up when the members own the table at least as much as it is steered from
outside (appropriation >= instrumentalisation); the second is the engagement of public
partners, present when the table is funded by a programme or when institutions and funders
hold at least PUBLIC_ENGAGEMENT of its power.
bottom-up + engaged = empowerment (co-construction with public partners);
bottom-up + not engaged = autonomiste (community actors on their own);
top-down + engaged = instrumentalisation (a programme or an institution steers);
top-down + not engaged = affairiste (members sit for their own organisation's advantage).
Models of concertation: first rule that matches, from co-construction down to 'sans objet'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .categories import ConcertationKind, Tendency

if TYPE_CHECKING:
    from .state import TableStore
    from .table_process import TableAggregates

PUBLIC_ENGAGEMENT = 0.5
COCONSTRUCTION_APPROPRIATION = 0.45
COCONSTRUCTION_COMMITMENT = 0.35
RELAIS_PRESCRIPTION = 0.3
PROLONGEMENT_POWER_SHARE = 0.35
INTERVENTION_COMMITMENT = 0.2
RESEAUTAGE_UNDERSTANDING = 0.1


def classify_tendency(store: TableStore, agg: TableAggregates) -> np.ndarray:
    bottom_up = store.appropriation >= store.instrumentalisation
    engaged = store.funded | (agg.public_power_share >= PUBLIC_ENGAGEMENT)
    return np.select(
        [bottom_up & engaged, bottom_up & ~engaged, ~bottom_up & engaged],
        [Tendency.EMPOWERMENT, Tendency.AUTONOMISTE, Tendency.INSTRUMENTALISATION],
        default=Tendency.AFFAIRISTE,
    ).astype(np.int8)


def classify_concertation_kind(store: TableStore, agg: TableAggregates) -> np.ndarray:
    rules = [
        (store.appropriation >= COCONSTRUCTION_APPROPRIATION)
        & (store.commitment >= COCONSTRUCTION_COMMITMENT),
        store.funded & (store.prescription >= RELAIS_PRESCRIPTION),
        agg.max_power_share >= PROLONGEMENT_POWER_SHARE,
        store.commitment >= INTERVENTION_COMMITMENT,
        store.understanding >= RESEAUTAGE_UNDERSTANDING,
    ]
    kinds = [ConcertationKind.COCONSTRUCTION, ConcertationKind.RELAIS,
             ConcertationKind.PROLONGEMENT, ConcertationKind.INTERVENTION,
             ConcertationKind.RESEAUTAGE]
    return np.select(rules, kinds, default=ConcertationKind.SANS_OBJET).astype(np.int8)
