"""Plain-language sentences about each scenario, generated from the numbers, in English and
French: what a planner would say after reading the final-state table."""

from __future__ import annotations

import pandas as pd

LEVELS = {
    "en": ("low", "moderate", "high"),
    "fr": ("faible", "modérée", "élevée"),
}


def _level(value: float, language: str, low: float = 0.3, high: float = 0.5) -> str:
    words = LEVELS[language]
    return words[0] if value < low else words[2] if value >= high else words[1]


def _direction(diff: float, language: str, more_is_better: bool) -> str:
    if language == "en":
        return "higher" if diff > 0 else "lower"
    return "plus élevé" if diff > 0 else "plus faible"


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def sentences(table: pd.DataFrame, language: str) -> dict[str, list[str]]:
    """For each scenario, three or four sentences built from the final-state table."""
    means = table.pivot(index="scenario", columns="indicator", values="mean")
    diffs = table.pivot(index="scenario", columns="indicator", values="difference")
    effects = table.pivot(index="scenario", columns="indicator", values="effect")
    order = list(dict.fromkeys(table["scenario"]))
    reference = order[0]
    out: dict[str, list[str]] = {}
    for scenario in order:
        m = means.loc[scenario]
        lines = []
        if language == "en":
            lines.append(
                f"Organisations sit on {m['memberships_per_actor']:.1f} tables on average and "
                f"{_percent(m['over_solicited_share'])} of them are asked for more time than "
                f"they have for concertation.")
            lines.append(
                f"Appropriation of the tables by their members is "
                f"{_level(m['appropriation'], 'en')} ({m['appropriation']:.2f}) and "
                f"instrumentalisation is {_level(m['instrumentalisation'], 'en', 0.1, 0.2)} "
                f"({m['instrumentalisation']:.2f}); citizens are "
                f"{_percent(m['citizen_share'])} of the people attending.")
            lines.append(
                f"The tables produced {m['collective_projects']:.0f} collective projects per "
                f"territory; {_percent(m['tables_programme_share'])} of the "
                f"{m['tables_active']:.0f} active tables were created by programmes.")
        else:
            lines.append(
                f"Les organisations siègent en moyenne à {m['memberships_per_actor']:.1f} "
                f"tables et {_percent(m['over_solicited_share'])} d'entre elles sont sollicitées "
                f"au-delà du temps dont elles disposent pour la concertation.")
            lines.append(
                f"L'appropriation des tables par leurs membres est "
                f"{_level(m['appropriation'], 'fr')} ({m['appropriation']:.2f}) et "
                f"l'instrumentalisation {_level(m['instrumentalisation'], 'fr', 0.1, 0.2)} "
                f"({m['instrumentalisation']:.2f}) ; les citoyens représentent "
                f"{_percent(m['citizen_share'])} des personnes présentes.")
            lines.append(
                f"Les tables ont produit {m['collective_projects']:.0f} projets collectifs par "
                f"territoire ; {_percent(m['tables_programme_share'])} des "
                f"{m['tables_active']:.0f} tables actives ont été créées par des programmes.")
        if scenario != reference:
            diff = diffs.loc[scenario, "hyperconcertation_index"]
            effect = effects.loc[scenario, "hyperconcertation_index"]
            if language == "en":
                lines.append(
                    f"Compared with {reference}, the hyperconcertation index is "
                    f"{_direction(diff, 'en', False)} by {abs(diff):.2f} ({effect} effect).")
            else:
                effect_fr = {"negligible": "négligeable", "small": "faible", "medium": "moyen",
                             "large": "fort", "n/a": "non estimable"}[effect]
                lines.append(
                    f"Par rapport à {reference}, l'indice d'hyperconcertation est "
                    f"{_direction(diff, 'fr', False)} de {abs(diff):.2f} "
                    f"(effet {effect_fr}).")
        out[scenario] = lines
    return out


def robustness_sentence(robust: pd.DataFrame, language: str) -> str:
    """Which scenario holds up best across the uncertain conditions."""
    if robust.empty or robust["conditions"].iloc[0] <= 1:
        return ""
    best = robust["max_regret"].idxmin()
    share = robust.loc[best, "best_in_share_of_conditions"]
    count = int(robust["conditions"].iloc[0])
    if language == "en":
        return (f"Across {count} uncertain conditions, {best} has the smallest maximum regret on "
                f"the hyperconcertation index and is the best choice in {_percent(share)} of "
                f"them: it is the robust choice, not only the best on average.")
    return (f"Sur {count} conditions incertaines, {best} a le plus petit regret maximal sur "
            f"l'indice d'hyperconcertation et est le meilleur choix dans {_percent(share)} "
            f"d'entre elles : c'est le choix robuste, pas seulement le meilleur en moyenne.")
