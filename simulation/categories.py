"""Named categories the model uses: actor types, table origins, life-cycle states and the typologies.

Codes are small integers so the arrays stay numeric; the names are what users see.
"""

from __future__ import annotations

from enum import IntEnum


class ActorType(IntEnum):
    COMMUNITY_GROUP = 0
    INSTITUTION = 1
    FUNDER_AGENT = 2
    CITIZEN = 3


class Origin(IntEnum):
    """Who caused the table to exist (Bourque: sedimentation has these three sources)."""

    PROGRAMME = 0
    INSTITUTION = 1
    COMMUNITY = 2


class State(IntEnum):
    EMPTY = 0
    FORMING = 1
    ACTIVE = 2
    DORMANT = 3
    DISSOLVED = 4


class Tendency(IntEnum):
    """Bourque's four tendencies, read off a table's state (docs/ODD.md, 'Typologies')."""

    EMPOWERMENT = 0
    INSTRUMENTALISATION = 1
    AUTONOMISTE = 2
    AFFAIRISTE = 3


class ConcertationKind(IntEnum):
    """Bourque's six models of concertation, from 'no object' to co-construction."""

    SANS_OBJET = 0
    RESEAUTAGE = 1
    INTERVENTION = 2
    PROLONGEMENT = 3
    RELAIS = 4
    COCONSTRUCTION = 5


class Evaluation(IntEnum):
    NONE = 0
    RESULTS = 1
    PROCESS = 2


def label(member: IntEnum) -> str:
    return member.name.lower()


EVALUATION_CODES = {"none": Evaluation.NONE, "results": Evaluation.RESULTS,
                    "process": Evaluation.PROCESS}

CONCERTATION_KIND_LABELS = {
    ConcertationKind.SANS_OBJET: "sans_objet",
    ConcertationKind.RESEAUTAGE: "reseautage_information",
    ConcertationKind.INTERVENTION: "intervention_reference",
    ConcertationKind.PROLONGEMENT: "prolongement_mission",
    ConcertationKind.RELAIS: "relais",
    ConcertationKind.COCONSTRUCTION: "developpement_coconstruction",
}


# Bourque's categories as the report and the app name them: his words, accents included, and
# in English a translation with his word beside it.
CATEGORY_NAMES: dict[str, dict[str, str]] = {
    "empowerment": {"en": "empowerment", "fr": "empowerment"},
    "instrumentalisation": {"en": "instrumentalisation", "fr": "instrumentalisation"},
    "autonomiste": {"en": "autonomist (autonomiste)", "fr": "autonomiste"},
    "affairiste": {"en": "business-minded (affairiste)", "fr": "affairiste"},
    "sans_objet": {"en": "without an object", "fr": "sans objet"},
    "reseautage_information": {"en": "networking / information",
                               "fr": "réseautage / information"},
    "intervention_reference": {"en": "intervention / referral",
                               "fr": "intervention / référence"},
    "prolongement_mission": {"en": "extension of the dominant mission",
                             "fr": "prolongement de la mission dominante"},
    "relais": {"en": "relay", "fr": "relais"},
    "developpement_coconstruction": {"en": "development / co-construction",
                                     "fr": "développement / coconstruction"},
}
