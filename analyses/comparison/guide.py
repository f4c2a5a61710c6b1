"""What each headline indicator means to a planner, in English and French: what it measures,
its scale and unit, which direction is better, the smallest difference that matters in
practice (and why), and which of Bourque's effects of hyperconcertation it reads.

Bourque (2008, ch. 4; 2010) names the functional and effectiveness effects of too many
uncoordinated tables: over-solicited organisations, time invested against their mission,
programme management crowding out development, weak appropriation and participation, poor
integration between tables, and a democratic deficit. Each indicator below is tied to one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    column: str
    name: dict[str, str]
    measures: dict[str, str]
    low: float
    high: float  # math.inf when unbounded
    unit: dict[str, str]
    higher_is_better: bool | None
    threshold: float  # smallest difference that matters in practice
    threshold_reason: dict[str, str]
    effect: dict[str, str]

    def clip(self, value: float) -> float:
        return min(max(value, self.low), self.high)


SHARE_REASON = {
    "en": "five points: one table or organisation in twenty, about what a planner can see "
          "change in a territory of 20-40 tables",
    "fr": "cinq points : une table ou une organisation sur vingt, à peu près ce qu'un "
          "planificateur peut voir changer dans un territoire de 20 à 40 tables",
}
SCORE_REASON = {
    "en": "0.05 on a 0-1 score: the same five points as for shares",
    "fr": "0,05 sur un score de 0 à 1 : les mêmes cinq points que pour les parts",
}

INDICATORS: dict[str, Indicator] = {item.column: item for item in [
    Indicator(
        "hyperconcertation_index",
        {"en": "hyperconcertation index", "fr": "indice d'hyperconcertation"},
        {"en": "mean of six components in [0, 1]: over-solicited organisations, "
               "instrumentalisation, lack of appropriation, tables without links, democratic "
               "deficit, programme management's share of meeting time",
         "fr": "moyenne de six composantes dans [0, 1] : organisations sur-sollicitées, "
               "instrumentalisation, manque d'appropriation, tables sans liens, déficit "
               "démocratique, part de la gestion de programmes dans le temps de réunion"},
        0.0, 1.0, {"en": "score 0-1", "fr": "score de 0 à 1"}, False, 0.05, SCORE_REASON,
        {"en": "all six effects together", "fr": "les six effets ensemble"}),
    Indicator(
        "over_solicited_share",
        {"en": "over-solicited organisations", "fr": "organisations sur-sollicitées"},
        {"en": "share of organisations whose tables ask more hours than they have for "
               "concertation",
         "fr": "part des organisations dont les tables demandent plus d'heures qu'elles n'en "
               "ont pour la concertation"},
        0.0, 1.0, {"en": "share of organisations", "fr": "part des organisations"}, False,
        0.05, SHARE_REASON,
        {"en": "over-solicitation; time taken from the mission",
         "fr": "sur-sollicitation ; temps pris sur la mission"}),
    Indicator(
        "memberships_per_actor",
        {"en": "tables per organisation", "fr": "tables par organisation"},
        {"en": "mean number of tables each organisation sits on",
         "fr": "nombre moyen de tables où siège chaque organisation"},
        0.0, math.inf, {"en": "tables", "fr": "tables"}, False, 0.5,
        {"en": "half a seat per organisation: one organisation in two sitting at one more "
               "table",
         "fr": "un demi-siège par organisation : une organisation sur deux siégeant à une "
               "table de plus"},
        {"en": "over-solicitation", "fr": "sur-sollicitation"}),
    Indicator(
        "appropriation",
        {"en": "appropriation", "fr": "appropriation"},
        {"en": "how far the members own their table's agenda and action (0 = none, 1 = fully "
               "co-constructed), mean over operating tables",
         "fr": "à quel point les membres s'approprient l'ordre du jour et l'action de leur "
               "table (0 = pas du tout, 1 = pleinement coconstruite), moyenne des tables "
               "actives"},
        0.0, 1.0, {"en": "score 0-1", "fr": "score de 0 à 1"}, True, 0.05, SCORE_REASON,
        {"en": "weak appropriation", "fr": "faible appropriation"}),
    Indicator(
        "instrumentalisation",
        {"en": "instrumentalisation", "fr": "instrumentalisation"},
        {"en": "how far tables serve a funder's or an institution's own ends rather than the "
               "members' (0-1), mean over operating tables",
         "fr": "à quel point les tables servent les fins d'un bailleur ou d'une institution "
               "plutôt que celles des membres (0 à 1), moyenne des tables actives"},
        0.0, 1.0, {"en": "score 0-1", "fr": "score de 0 à 1"}, False, 0.05, SCORE_REASON,
        {"en": "instrumentalised communities", "fr": "communautés instrumentalisées"}),
    Indicator(
        "citizen_share",
        {"en": "citizen participation", "fr": "participation citoyenne"},
        {"en": "share of the people attending meetings who are citizens",
         "fr": "part des citoyens parmi les personnes présentes aux réunions"},
        0.0, 1.0, {"en": "share of attendance", "fr": "part des présences"}, True, 0.05,
        SHARE_REASON, {"en": "democratic deficit", "fr": "déficit démocratique"}),
    Indicator(
        "integration",
        {"en": "integration", "fr": "intégration"},
        {"en": "share of operating tables linked to at least one other table",
         "fr": "part des tables actives liées à au moins une autre table"},
        0.0, 1.0, {"en": "share of tables", "fr": "part des tables"}, True, 0.05, SHARE_REASON,
        {"en": "poor integration between tables", "fr": "faible intégration des tables"}),
    Indicator(
        "funding_to_projects_share",
        {"en": "money reaching projects", "fr": "argent qui atteint les projets"},
        {"en": "share of programme money spent on collective projects rather than on running "
               "tables or paying members to sit; a table's project money reaches projects in "
               "proportion to the meeting time it gives to development, so tables absorbed by "
               "programme management spend it on running themselves",
         "fr": "part de l'argent des programmes qui va aux projets collectifs plutôt qu'au "
               "fonctionnement des tables ou à payer la présence des membres ; l'argent de "
               "projet d'une table atteint les projets au prorata du temps de réunion consacré "
               "au développement, si bien que les tables absorbées par la gestion de "
               "programmes le dépensent pour leur propre fonctionnement"},
        0.0, 1.0, {"en": "share of programme money", "fr": "part de l'argent des programmes"},
        True, 0.05, SHARE_REASON,
        {"en": "programme management crowding out development",
         "fr": "gestion de programmes au détriment du développement"}),
    Indicator(
        "collective_projects",
        {"en": "collective projects", "fr": "projets collectifs"},
        {"en": "collective projects the tables carried out over the whole run, per territory",
         "fr": "projets collectifs menés par les tables sur toute la période, par territoire"},
        0.0, math.inf, {"en": "projects", "fr": "projets"}, True, 10.0,
        {"en": "ten projects over the run: one more every two years in a territory",
         "fr": "dix projets sur la période : un de plus tous les deux ans dans un territoire"},
        {"en": "development crowded out", "fr": "développement évincé"}),
    Indicator(
        "tables_active",
        {"en": "tables active", "fr": "tables actives"},
        {"en": "tables that exist at the end (forming, active or dormant), per territory",
         "fr": "tables existantes à la fin (en formation, actives ou en dormance), par "
               "territoire"},
        0.0, math.inf, {"en": "tables", "fr": "tables"}, None, 2.0,
        {"en": "two tables in a territory", "fr": "deux tables dans un territoire"},
        {"en": "many tables is neither good nor bad by itself",
         "fr": "le nombre de tables n'est ni bon ni mauvais en soi"}),
    Indicator(
        "tables_programme_share",
        {"en": "tables made by programmes", "fr": "tables créées par des programmes"},
        {"en": "share of the tables that a funder's programme created",
         "fr": "part des tables créées par le programme d'un bailleur"},
        0.0, 1.0, {"en": "share of tables", "fr": "part des tables"}, False, 0.05,
        SHARE_REASON, {"en": "programme-driven table creation",
                       "fr": "création de tables par les programmes"}),
]}

# What the verdict reports for every scenario, in this order (the index ranks them).
VERDICT_DIMENSIONS = ["over_solicited_share", "appropriation", "citizen_share", "integration",
                      "funding_to_projects_share"]

# Okabe and Ito's palette: told apart with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000"]
