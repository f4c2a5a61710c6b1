"""Reading Bourque's typologies off table states.

Tendencies (Bourque's diagram): the logic axis is top-down vs bottom-up (is the table owned by
its members, appropriation >= instrumentalisation, or steered from outside); the second axis
is what the table works for: a shared collective purpose (commitment at or above
COLLECTIVE_COMMITMENT) or its members' particular interests. Our operational reading:
bottom-up + collective = empowerment; bottom-up + particular = autonomiste;
top-down + collective = instrumentalisation (members carry the funder's programme);
top-down + particular = affairiste (members sit for the deal, usually the money).
Models of concertation: first rule that matches, from co-construction down to 'sans objet'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .categories import ConcertationKind, Tendency

if TYPE_CHECKING:
    from .state import TableStore
    from .table_process import TableAggregates

COLLECTIVE_COMMITMENT = 0.2
COCONSTRUCTION_APPROPRIATION = 0.45
COCONSTRUCTION_COMMITMENT = 0.35
RELAIS_PRESCRIPTION = 0.3
PROLONGEMENT_POWER_SHARE = 0.35
INTERVENTION_COMMITMENT = 0.2
RESEAUTAGE_UNDERSTANDING = 0.1


def classify_tendency(store: TableStore) -> np.ndarray:
    bottom_up = store.appropriation >= store.instrumentalisation
    collective = store.commitment >= COLLECTIVE_COMMITMENT
    return np.select(
        [bottom_up & collective, bottom_up & ~collective, ~bottom_up & collective],
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
