"""Every word the app shows, in English and French, and the language of the current session.

`STRINGS` maps a key to its text in each language; `t(key, lang)` looks one up and formats it.
Bourque's four tendencies keep his labels in both languages (DESIGN §1). `fmt` writes numbers
the way each language does (0.42 / 0,42).
"""

from __future__ import annotations

import os

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
LANGUAGE_ENV = "CONCERTATION_APP_LANG"

STRINGS: dict[str, dict[str, str]] = {
    # page
    "app_title": {"en": "Concertation tables: the live model",
                  "fr": "Tables de concertation : le modèle en direct"},
    "language": {"en": "Language", "fr": "Langue"},
    "scenario_card": {"en": "Scenario", "fr": "Scénario"},
    "preset": {"en": "Preset", "fr": "Scénario de départ"},
    "preset_hint": {
        "en": "Choosing a preset restarts the model with it and puts the levers at its values.",
        "fr": "Choisir un scénario relance le modèle avec lui et met les leviers à ses valeurs."},
    "levers_card": {"en": "Levers", "fr": "Leviers"},
    "lever_label": {"en": "{name}: {value}", "fr": "{name} : {value}"},
    "levers_hint": {"en": "Levers apply when you press Reset (below).",
                    "fr": "Les leviers s'appliquent quand vous appuyez sur Reset (plus bas)."},
    "levers_pending": {"en": "Changed: press Reset to apply.",
                       "fr": "Modifié : appuyez sur Reset pour appliquer."},
    # levers (SolaraViz model parameters)
    "seed": {"en": "Seed (stream of random numbers)", "fr": "Graine (suite de nombres aléatoires)"},
    "launch_rate_multiplier": {"en": "Programme launch rate (× the preset's)",
                               "fr": "Rythme de lancement des programmes (× celui du scénario)"},
    "conditional_funding": {"en": "Funding conditional on sitting at the table",
                            "fr": "Financement conditionnel à la présence à la table"},
    "prescription": {"en": "Prescribed results (programmes)",
                     "fr": "Résultats prescrits (programmes)"},
    "evaluation": {"en": "What programmes evaluate", "fr": "Ce que les programmes évaluent"},
    "professional_support": {"en": "Professional support of tables",
                             "fr": "Soutien professionnel aux tables"},
    "citizen_openness": {"en": "Openness to citizens", "fr": "Ouverture aux citoyens"},
    "power_imbalance": {"en": "Power imbalance (institutions over groups)",
                        "fr": "Déséquilibre de pouvoir (institutions sur groupes)"},
    "territorial_table": {"en": "Integration lever: a territorial table that links the others",
                          "fr": "Levier d'intégration : une table territoriale qui relie les autres"},
    "community_groups": {"en": "Number of community groups",
                         "fr": "Nombre d'organismes communautaires"},
    # presets
    "preset_baseline": {"en": "Baseline: a regional county municipality, 2000-2020",
                        "fr": "Référence : une MRC, 2000-2020"},
    "preset_programme_driven": {
        "en": "Programme-driven: each programme creates its own table",
        "fr": "Par programmes : chaque programme crée sa table"},
    "preset_co_construction": {
        "en": "Co-construction: pooled funding, process indicators, support",
        "fr": "Coconstruction : financement mis en commun, indicateurs de processus, soutien"},
    "preset_funder_exit": {"en": "Funder exit: a large foundation leaves at year 10",
                           "fr": "Départ d'un bailleur : une grande fondation part à l'an 10"},
    "preset_concertation_des_concertations": {
        "en": "Concertation of concertations: a territorial table, merging",
        "fr": "Concertation des concertations : table territoriale, fusions"},
    "preset_les_moulins": {"en": "Les Moulins, 2000-2010 (Bourque's observation)",
                           "fr": "Les Moulins, 2000-2010 (observation de Bourque)"},
    # model in use
    "in_use": {"en": "Model in use", "fr": "Modèle en cours"},
    "in_use_line": {
        "en": "{preset}, seed {seed}: launch rate ×{launch_rate_multiplier}, conditional funding "
              "{conditional_funding}, prescription {prescription}, evaluation {evaluation}, support "
              "{professional_support}, openness {citizen_openness}, power imbalance "
              "{power_imbalance}, territorial table {territorial_table}, {community_groups} groups",
        "fr": "{preset}, graine {seed} : rythme ×{launch_rate_multiplier}, financement "
              "conditionnel {conditional_funding}, prescription {prescription}, évaluation "
              "{evaluation}, soutien {professional_support}, ouverture {citizen_openness}, "
              "déséquilibre {power_imbalance}, table territoriale {territorial_table}, "
              "{community_groups} organismes"},
    "yes": {"en": "yes", "fr": "oui"},
    "no": {"en": "no", "fr": "non"},
    "evaluation_results": {"en": "results", "fr": "résultats"},
    "evaluation_process": {"en": "processes", "fr": "processus"},
    "evaluation_none": {"en": "nothing", "fr": "rien"},
    # monitors
    "monitor_date": {"en": "Month {step} · {year}", "fr": "Mois {step} · {year}"},
    "monitor_running": {"en": "running", "fr": "en cours"},
    "monitor_finished": {"en": "finished (horizon reached)", "fr": "terminé (horizon atteint)"},
    "m_tables_active": {"en": "Tables active", "fr": "Tables actives"},
    "m_memberships": {"en": "Tables per organisation", "fr": "Tables par organisation"},
    "m_over_solicited": {"en": "Over-solicited organisations", "fr": "Organisations sursollicitées"},
    "m_appropriation": {"en": "Appropriation", "fr": "Appropriation"},
    "m_instrumentalisation": {"en": "Instrumentalisation", "fr": "Instrumentalisation"},
    "m_citizen_share": {"en": "Citizen share of attendance",
                        "fr": "Part des citoyens dans la présence"},
    "m_projects": {"en": "Collective projects", "fr": "Projets collectifs"},
    "m_hyperconcertation": {"en": "Hyperconcertation index", "fr": "Indice d'hyperconcertation"},
    # network view
    "network_title": {"en": "Actors and the tables they sit at",
                      "fr": "Les acteurs et les tables où ils siègent"},
    "network_caption": {
        "en": "Actors around the circle by mission (themes), tables inside by agenda; "
              "a line is a seat; table size = members",
        "fr": "Acteurs autour du cercle selon leur mission (thèmes), tables au centre selon leur "
              "ordre du jour ; un trait est un siège ; taille d'une table = membres"},
    "network_territory": {"en": "territory {territory} of {territories}",
                          "fr": "territoire {territory} sur {territories}"},
    "actor_community_group": {"en": "community group", "fr": "organisme communautaire"},
    "actor_institution": {"en": "institution", "fr": "institution"},
    "actor_funder_agent": {"en": "funder (its local seat)", "fr": "bailleur de fonds (siège)"},
    "actor_citizen": {"en": "citizen", "fr": "citoyen"},
    "legend_actors": {"en": "Actors", "fr": "Acteurs"},
    "legend_tables": {"en": "Tables (tendency)", "fr": "Tables (tendance)"},
    "no_tables": {"en": "no table yet", "fr": "aucune table pour l'instant"},
    # Bourque's tendencies: his labels in both languages
    "tendency_empowerment": {"en": "empowerment", "fr": "empowerment"},
    "tendency_instrumentalisation": {"en": "instrumentalisation", "fr": "instrumentalisation"},
    "tendency_autonomiste": {"en": "autonomiste", "fr": "autonomiste"},
    "tendency_affairiste": {"en": "affairiste", "fr": "affairiste"},
    # tendency diagram
    "tendency_title": {"en": "Bourque's four tendencies", "fr": "Les quatre tendances (Bourque)"},
    "tendency_x": {"en": "← top-down    appropriation − instrumentalisation    bottom-up →",
                   "fr": "← descendante    appropriation − instrumentalisation    ascendante →"},
    "tendency_y": {"en": "engagement of public partners", "fr": "engagement des partenaires publics"},
    "tendency_centre": {"en": "concertation", "fr": "concertation"},
    "tendency_caption": {
        "en": "One point per table (size = members). Funded tables sit in the upper half.",
        "fr": "Un point par table (taille = membres). Les tables financées sont dans la moitié "
              "haute."},
    # indicator plots
    "plots_title": {"en": "Indicators over time", "fr": "Indicateurs dans le temps"},
    "year": {"en": "year", "fr": "année"},
    "p_tables": {"en": "Tables active", "fr": "Tables actives"},
    "p_memberships": {"en": "Tables per organisation", "fr": "Tables par organisation"},
    "p_over_solicited": {"en": "Over-solicited (share)", "fr": "Sursollicitées (part)"},
    "p_appropriation": {"en": "Appropriation vs instrumentalisation",
                        "fr": "Appropriation et instrumentalisation"},
    "p_citizen_share": {"en": "Citizen share of attendance",
                        "fr": "Part des citoyens (présence)"},
    "p_projects": {"en": "Collective projects (total)", "fr": "Projets collectifs (cumul)"},
    "l_appropriation": {"en": "appropriation", "fr": "appropriation"},
    "l_instrumentalisation": {"en": "instrumentalisation", "fr": "instrumentalisation"},
    # info panel
    "info_title": {"en": "About the model", "fr": "À propos du modèle"},
    # themes of the default scenario
    "theme_childhood_youth_family": {"en": "childhood, youth, family",
                                     "fr": "enfance, jeunesse, famille"},
    "theme_health": {"en": "health", "fr": "santé"},
    "theme_seniors": {"en": "seniors", "fr": "aînés"},
    "theme_housing": {"en": "housing", "fr": "logement"},
    "theme_employment": {"en": "employment", "fr": "emploi"},
    "theme_food_security": {"en": "food security", "fr": "sécurité alimentaire"},
    "theme_education": {"en": "education", "fr": "éducation"},
    "theme_environment": {"en": "environment", "fr": "environnement"},
}


def default_language() -> str:
    """The language a new session starts in: $CONCERTATION_APP_LANG (set by --lang) or English."""
    lang = os.environ.get(LANGUAGE_ENV, DEFAULT_LANGUAGE).strip().lower()
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str, **values: object) -> str:
    """The text of `key` in `lang`, formatted with `values`."""
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def t_or(key: str, lang: str, fallback: str) -> str:
    """The text of `key` if the app knows it (shipped presets, default themes), else `fallback`."""
    entry = STRINGS.get(key)
    return entry[lang] if entry else fallback


def fmt(value: float, lang: str, digits: int = 2) -> str:
    """A number as each language writes it: 0.42 in English, 0,42 in French."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "fr" else text


def percent(value: float, lang: str) -> str:
    """A share as a percentage: 42% / 42 %."""
    return f"{100 * value:.0f}{'\u202f' if lang == 'fr' else ''}%"
