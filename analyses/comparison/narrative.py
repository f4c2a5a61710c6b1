"""Plain-language sentences about each scenario, generated from the numbers, in English and
French: what a planner would say after reading the final-state table."""

from __future__ import annotations

import pandas as pd

from .verdict import WORDS, number, percent

LEVELS = {
    "en": ("low", "moderate", "high"),
    "fr": ("faible", "modérée", "élevée"),
}


def _level(value: float, language: str, low: float = 0.3, high: float = 0.5) -> str:
    """One scale for every 0-1 score (appropriation, instrumentalisation): below 0.3 low, from
    0.5 high, so the same value is never called low in one place and high in another."""
    words = LEVELS[language]
    return words[0] if value < low else words[2] if value >= high else words[1]


def _direction(diff: float, language: str, more_is_better: bool) -> str:
    if language == "en":
        return "higher" if diff > 0 else "lower"
    return "plus élevé" if diff > 0 else "plus faible"


def sentences(table: pd.DataFrame, language: str) -> dict[str, list[str]]:
    """For each scenario, three or four sentences built from the final-state table."""
    means = table.pivot(index="scenario", columns="indicator", values="mean")
    order = list(dict.fromkeys(table["scenario"]))
    reference = order[0]
    out: dict[str, list[str]] = {}
    for scenario in order:
        m = means.loc[scenario]
        lines = []
        if language == "en":
            lines.append(
                f"Organisations sit on {m['memberships_per_actor']:.1f} tables on average and "
                f"{percent(m['over_solicited_share'], 'en')} of them are asked for more time "
                f"than "
                f"they have for concertation.")
            lines.append(
                f"Appropriation of the tables by their members is "
                f"{_level(m['appropriation'], 'en')} ({m['appropriation']:.2f}) and "
                f"instrumentalisation is {_level(m['instrumentalisation'], 'en')} "
                f"({m['instrumentalisation']:.2f}); citizens are "
                f"{percent(m['citizen_share'], 'en')} of the people attending.")
            lines.append(
                f"The tables produced {m['collective_projects']:.0f} collective projects per "
                f"territory; {percent(m['tables_programme_share'], 'en')} of the "
                f"{m['tables_active']:.0f} active tables were created by programmes.")
        else:
            lines.append(
                f"Les organisations siègent en moyenne à "
                f"{number(m['memberships_per_actor'], 'fr', 1)} tables et "
                f"{percent(m['over_solicited_share'], 'fr')} d'entre elles sont sollicitées "
                f"au-delà du temps dont elles disposent pour la concertation.")
            lines.append(
                f"L'appropriation des tables par leurs membres est "
                f"{_level(m['appropriation'], 'fr')} ({number(m['appropriation'], 'fr', 2)}) et "
                f"l'instrumentalisation {_level(m['instrumentalisation'], 'fr')} "
                f"({number(m['instrumentalisation'], 'fr', 2)}) ; les citoyens représentent "
                f"{percent(m['citizen_share'], 'fr')} des personnes présentes.")
            lines.append(
                f"Les tables ont produit {number(m['collective_projects'], 'fr', 0)} projets "
                f"collectifs par territoire ; {percent(m['tables_programme_share'], 'fr')} des "
                f"{number(m['tables_active'], 'fr', 0)} tables actives ont été créées par des "
                f"programmes.")
        if scenario != reference:
            row = table.set_index(["scenario", "indicator"]).loc[
                (scenario, "hyperconcertation_index")]
            diff, verdict = row["difference"], WORDS[language][row["matters"]]
            interval = (f"[{number(row['difference_low'], language)}"
                        f"{' ;' if language == 'fr' else ','} "
                        f"{number(row['difference_high'], language)}]")
            if language == "en":
                lines.append(
                    f"Compared with {reference}, the hyperconcertation index is "
                    f"{_direction(diff, 'en', False)} by {abs(diff):.2f} (difference "
                    f"{number(diff, 'en')} {interval}), which {verdict}.")
            else:
                lines.append(
                    f"Par rapport à {reference}, l'indice d'hyperconcertation est "
                    f"{_direction(diff, 'fr', False)} de {number(abs(diff), 'fr')} (écart "
                    f"{number(diff, 'fr')} {interval}), ce qui {verdict}.")
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
                f"the hyperconcertation index and is the best choice in {percent(share, 'en')} of "
                f"them: it is the robust choice, not only the best on average.")
    return (f"Sur {count} conditions incertaines, {best} a le plus petit regret maximal sur "
            f"l'indice d'hyperconcertation et est le meilleur choix dans {percent(share, 'fr')} "
            f"d'entre elles : c'est le choix robuste, pas seulement le meilleur en moyenne.")
