"""Bourque's typologies read off what tables do and who drives them.

Four tendencies (Bourque 2010, diagram "Dynamique actuelle"): two readings of each table.
The *logic* — descending or ascending — is who sets the agenda: the share of agenda-setting
that comes from institutions, funders' officers and programme prescription
(`top_down_share`). The second axis is *what brings the members*: Bourque's "Dynamique interne"
opposes participation "liée à un avantage perçu pour soi ou son organisation" to "cause,
appartenance, cible commune" that lets members move beyond organisational interests; it is read
as the share of members' reasons to sit that is money, mandate or obligation
(`interest_share`, docs/ODD.md §8). Descending with a common cause is *empowerment*, descending
for interests *instrumentalisation*, ascending with a common cause *autonomiste*, ascending for
interests *affairiste*.

Six models of concertation: what the table spends its meetings on (table_process.allocate_time)
decides among *réseautage / information*, *intervention / référence*, *relais* (managing a
programme) and *développement / coconstruction*; a table whose agenda one member sets is a
*prolongement de la mission dominante*; a table that has not found its object yet
(forming) or no longer meets (dormant) is *sans objet*.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .categories import ConcertationKind, State, Tendency

if TYPE_CHECKING:
    from .state import TableStore
    from .table_process import TableAggregates

DESCENDING = 0.5  # agenda set more from above than from below
INTEREST = 0.5  # members there more for money, mandate or obligation than for the cause
PROLONGEMENT_SHARE = 0.4  # one member holds this share of the agenda-setting pull (assumption)

ACTIVITY_KINDS = (("information", ConcertationKind.RESEAUTAGE),
                  ("coordination", ConcertationKind.INTERVENTION),
                  ("management", ConcertationKind.RELAIS),
                  ("development", ConcertationKind.COCONSTRUCTION))


def classify_tendency(store: TableStore, agg: TableAggregates) -> np.ndarray:
    descending = store.instrumentalisation >= DESCENDING
    interest = store.interest_share >= INTEREST
    return np.select(
        [descending & ~interest, descending & interest, ~descending & ~interest],
        [Tendency.EMPOWERMENT, Tendency.INSTRUMENTALISATION, Tendency.AUTONOMISTE],
        default=Tendency.AFFAIRISTE,
    ).astype(np.int8)


def classify_concertation_kind(store: TableStore, agg: TableAggregates) -> np.ndarray:
    activities = np.stack([store.arrays[name] for name, _ in ACTIVITY_KINDS], axis=-1)
    main = np.array([kind for _, kind in ACTIVITY_KINDS], dtype=np.int8)[
        np.argmax(activities, axis=-1)]
    return np.select(
        [(store.state == State.DORMANT) | (store.state == State.FORMING),
         store.dominant_share >= PROLONGEMENT_SHARE],
        [ConcertationKind.SANS_OBJET, ConcertationKind.PROLONGEMENT],
        default=main,
    ).astype(np.int8)
