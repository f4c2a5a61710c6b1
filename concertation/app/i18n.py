"""Every word the app shows, in English and French, and the language of the current session.

`STRINGS` maps a key to its text in each language; `t(key, lang)` looks one up and formats it.
Bourque's four tendencies are named as in the report (simulation.categories). `fmt` writes numbers
the way each language does (0.42 / 0,42).
"""

from __future__ import annotations

import os

from simulation.categories import CATEGORY_NAMES, CONCERTATION_KIND_LABELS, Tendency, label

from . import DEFAULT_LANGUAGE, LANGUAGE_ENV, LANGUAGES

STRINGS: dict[str, dict[str, str]] = {
    # page
    "app_title": {"en": "Concertation tables: the live model",
                  "fr": "Tables de concertation : le modèle en direct"},
    "language": {"en": "Language", "fr": "Langue"},
    "odd_title": {"en": "Concertation tables: the model's description (ODD)",
                  "fr": "Tables de concertation : la description du modèle (ODD)"},
    "odd_missing": {"en": "This installation has no docs/ODD.md: read it in the source "
                          "repository of concertation.",
                    "fr": "Cette installation n'a pas docs/ODD.md : lisez-le dans le dépôt "
                          "source de concertation."},
    "projector": {"en": "Projector mode: larger text", "fr": "Mode projecteur : texte plus grand"},
    "scenario_card": {"en": "Scenario", "fr": "Scénario"},
    "preset": {"en": "Preset", "fr": "Scénario de départ"},
    "preset_hint": {
        "en": "Choosing a preset restarts the model with it and puts the levers at its values.",
        "fr": "Choisir un scénario relance le modèle avec lui et met les leviers à ses valeurs."},
    "preset_again": {"en": "Start this preset again", "fr": "Relancer ce scénario"},
    "levers_card": {"en": "Levers", "fr": "Leviers"},
    "lever_label": {"en": "{name}: {value}", "fr": "{name} : {value}"},
    "levers_hint": {"en": "Levers apply when you press Reset (below).",
                    "fr": "Les leviers s'appliquent quand vous appuyez sur Réinitialiser (plus bas)."},
    "levers_pending": {"en": "Changed: press Reset to apply.",
                       "fr": "Modifié : appuyez sur Réinitialiser pour appliquer."},
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
    # short names of the presets (legend and table of the compare page)
    "preset_short_baseline": {"en": "Baseline", "fr": "Référence"},
    "preset_short_programme_driven": {"en": "Programme-driven", "fr": "Par programmes"},
    "preset_short_co_construction": {"en": "Co-construction", "fr": "Coconstruction"},
    "preset_short_funder_exit": {"en": "Funder exit", "fr": "Départ d'un bailleur"},
    "preset_short_concertation_des_concertations": {
        "en": "Concertation of concertations", "fr": "Concertation des concertations"},
    "preset_short_les_moulins": {"en": "Les Moulins", "fr": "Les Moulins"},
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
              "a line is a seat; table size = members. Click a table or an actor to inspect it.",
        "fr": "Acteurs autour du cercle selon leur mission (thèmes), tables au centre selon leur "
              "ordre du jour ; un trait est un siège ; taille d'une table = membres. Cliquez sur "
              "une table ou un acteur pour l'inspecter."},
    "network_territory": {"en": "territory {territory} of {territories}",
                          "fr": "territoire {territory} sur {territories}"},
    "actor_community_group": {"en": "community group", "fr": "organisme communautaire"},
    "actor_institution": {"en": "institution", "fr": "institution"},
    "actor_funder_agent": {"en": "funder (its local seat)", "fr": "bailleur de fonds (siège)"},
    "actor_citizen": {"en": "citizen", "fr": "citoyen"},
    "legend_actors": {"en": "Actors", "fr": "Acteurs"},
    "legend_tables": {"en": "Tables (tendency)", "fr": "Tables (tendance)"},
    "no_tables": {"en": "no table yet", "fr": "aucune table pour l'instant"},
    # tendency diagram
    "tendency_title": {"en": "Bourque's four tendencies", "fr": "Les quatre tendances (Bourque)"},
    "tendency_x": {"en": "← organisational interest    what brings the members    common cause →",
                   "fr": "← intérêt organisationnel    ce qui réunit les membres    cause commune →"},
    "tendency_y": {"en": "ascending ↔ descending logic (top-down share of the agenda)",
                   "fr": "logique ascendante ↔ descendante (part descendante de l'ordre du jour)"},
    "tendency_centre": {"en": "concertation", "fr": "concertation"},
    "tendency_caption": {
        "en": "One point per table (size = members). Funded tables sit in the upper half.",
        "fr": "Un point par table (taille = membres). Les tables financées sont dans la moitié "
              "haute."},
    # indicator plots
    "plots_title": {"en": "Indicators over time", "fr": "Indicateurs dans le temps"},
    "download_png": {"en": "Figure (PNG)", "fr": "Figure (PNG)"},
    "download_indicators": {"en": "Indicators (CSV)", "fr": "Indicateurs (CSV)"},
    "download_tables": {"en": "Tables (CSV)", "fr": "Tables (CSV)"},
    "download_comparison": {"en": "Indicators by year, mean and 95% interval (CSV)",
                            "fr": "Indicateurs par année, moyenne et intervalle à 95\u202f% (CSV)"},
    "download_final": {"en": "Final state (CSV)", "fr": "État final (CSV)"},
    "year": {"en": "year", "fr": "année"},
    "p_tables": {"en": "Tables active", "fr": "Tables actives"},
    "p_memberships": {"en": "Tables per organisation", "fr": "Tables par organisation"},
    "p_over_solicited": {"en": "Over-solicited (share)", "fr": "Sursollicitées (part)"},
    "p_appropriation": {"en": "Appropriation vs instrumentalisation",
                        "fr": "Appropriation et instrumentalisation"},
    "p_citizen_share": {"en": "Citizen share of attendance",
                        "fr": "Part des citoyens (présence)"},
    "p_projects": {"en": "Collective projects (total)", "fr": "Projets collectifs (cumul)"},
    "events_legend": {
        "en": "▲ programme launched  ▼ programme ended  ┆ funder leaves  ┆ territorial table",
        "fr": "▲ programme lancé  ▼ programme terminé  ┆ départ d'un bailleur  ┆ table territoriale"},
    "event_exit": {"en": "{year}: the {funder} leaves, with {tables} of its tables running",
                   "fr": "{year} : départ du bailleur « {funder} », {tables} de ses tables en "
                         "activité"},
    "event_exit_after": {"en": "; {dissolved} of them dissolve within a year.",
                         "fr": " ; {dissolved} d'entre elles se dissolvent dans l'année."},
    "event_exit_after_one": {"en": "; {dissolved} of them dissolves within a year.",
                             "fr": " ; {dissolved} d'entre elles se dissout dans l'année."},
    "event_exit_pending": {"en": "; a year later we will see how many dissolved.",
                           "fr": " ; dans un an, on verra combien se sont dissoutes."},
    "event_territorial": {"en": "{year}: a territorial table opens.",
                          "fr": "{year} : une table territoriale ouvre."},
    "l_appropriation": {"en": "appropriation", "fr": "appropriation"},
    "l_instrumentalisation": {"en": "instrumentalisation", "fr": "instrumentalisation"},
    # navigation between the pages
    "nav_live": {"en": "Live model", "fr": "Modèle en direct"},
    "nav_odd": {"en": "The model (ODD)", "fr": "Le modèle (ODD)"},
    "nav_compare": {"en": "Compare scenarios", "fr": "Comparer des scénarios"},
    # compare page
    "compare_title": {"en": "Concertation tables: comparing scenarios",
                      "fr": "Tables de concertation : comparer des scénarios"},
    "compare_card": {"en": "Comparison", "fr": "Comparaison"},
    "compare_presets": {"en": "Scenarios ({low} to {high})", "fr": "Scénarios ({low} à {high})"},
    "compare_replications": {"en": "Replications per scenario: {n}",
                             "fr": "Répétitions par scénario : {n}"},
    "compare_years": {"en": "Years simulated: {n}", "fr": "Années simulées : {n}"},
    "compare_seed": {"en": "First seed", "fr": "Première graine"},
    "compare_run": {"en": "Run the comparison", "fr": "Lancer la comparaison"},
    "compare_cancel": {"en": "Cancel", "fr": "Annuler"},
    "compare_choose": {"en": "Choose {low} to {high} scenarios (and a seed of 0 or more).",
                       "fr": "Choisissez de {low} à {high} scénarios (et une graine de 0 ou plus)."},
    "compare_hint": {
        "en": "Every scenario runs with the same seeds (the first seed, the next one, ...), so "
              "the differences come from the scenarios, not from chance. Each run takes about "
              "a second per 20 simulated years.",
        "fr": "Chaque scénario tourne avec les mêmes graines (la première, la suivante, ...) : "
              "les écarts viennent des scénarios, non du hasard. Une simulation prend environ "
              "une seconde par tranche de 20 années simulées."},
    "compare_progress": {"en": "{done} of {total} runs", "fr": "{done} simulations sur {total}"},
    "compare_cancelled": {"en": "Comparison cancelled.", "fr": "Comparaison annulée."},
    "compare_error": {"en": "The comparison failed: {error}",
                      "fr": "La comparaison a échoué : {error}"},
    "compare_empty": {
        "en": "Choose two to four scenarios, the number of replications and of years, then run "
              "the comparison: the key indicators of every scenario appear here over time, "
              "with their final state.",
        "fr": "Choisissez de deux à quatre scénarios, le nombre de répétitions et d'années, "
              "puis lancez la comparaison : les indicateurs clés de chaque scénario s'affichent "
              "ici dans le temps, avec leur état final."},
    "compare_figure_title": {"en": "Key indicators over time", "fr": "Indicateurs clés dans le temps"},
    "compare_summary": {
        "en": "{scenarios}: {replications} replications each (seeds {first} to {last}), "
              "{span}. Line: mean over the replications; band: 95% confidence interval "
              "of the mean.",
        "fr": "{scenarios} : {replications} répétitions chacun (graines {first} à {last}), "
              "{span}. Trait : moyenne des répétitions ; bande : intervalle de confiance "
              "à 95 % de la moyenne."},
    "compare_summary_one": {
        "en": "{scenarios}: a single replication each (seed {first}), {span}. "
              "No band: an interval needs two replications or more.",
        "fr": "{scenarios} : une seule répétition chacun (graine {first}), {span}. "
              "Pas de bande : un intervalle demande au moins deux répétitions."},
    "years_one": {"en": "1 year", "fr": "1 an"},
    "years_many": {"en": "{n} years", "fr": "{n} ans"},
    "compare_stale": {"en": "The settings have changed since this comparison: run it again to "
                            "update it.",
                      "fr": "Les réglages ont changé depuis cette comparaison : relancez-la pour "
                            "la mettre à jour."},
    "compare_final": {"en": "Final state ({year})", "fr": "État final ({year})"},
    "compare_indicator": {"en": "Indicator", "fr": "Indicateur"},
    "compare_table_note": {
        "en": "Mean over the replications [95% confidence interval of the mean].",
        "fr": "Moyenne des répétitions [intervalle de confiance à 95 % de la moyenne]."},
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
# the inspect panel (concertation/app/inspect.py)
STRINGS |= {
    "inspect_title": {"en": "Inspect", "fr": "Inspecter"},
    "inspect_hint": {"en": "Click a table or an actor in the network or the diagram, or pick one "
                            "here.",
                     "fr": "Cliquez sur une table ou un acteur dans le réseau ou le diagramme, "
                           "ou choisissez-en un ici."},
    "inspect_pick_table": {"en": "Table", "fr": "Table"},
    "inspect_pick_actor": {"en": "Actor", "fr": "Acteur"},
    "inspect_clear": {"en": "Clear the selection", "fr": "Effacer la sélection"},
    "inspect_actor_name": {"en": "{kind} {number} ({theme})", "fr": "{kind} {number} ({theme})"},
    "inspect_table_name": {"en": "Table {number} · {theme}", "fr": "Table {number} · {theme}"},
    "inspect_territorial": {"en": "territorial", "fr": "territoriale"},
    "inspect_origin": {"en": "Origin", "fr": "Origine"},
    "inspect_origin_territorial": {"en": "the territorial table", "fr": "la table territoriale"},
    "inspect_initiator": {"en": "Initiated by", "fr": "Initiée par"},
    "inspect_created": {"en": "Created", "fr": "Créée en"},
    "inspect_created_by": {"en": "Programme of", "fr": "Programme de"},
    "inspect_state": {"en": "State", "fr": "État"},
    "inspect_dissolved": {"en": "dissolved in {year} ({reason})",
                          "fr": "dissoute en {year} ({reason})"},
    "inspect_age": {"en": "Age", "fr": "Âge"},
    "inspect_years": {"en": "{years} years", "fr": "{years} ans"},
    "inspect_funding": {"en": "Funding", "fr": "Financement"},
    "inspect_funding_value": {"en": "{funder}, ${amount} a year",
                              "fr": "{funder}, {amount} $ par an"},
    "inspect_unfunded": {"en": "none", "fr": "aucun"},
    "inspect_members": {"en": "Members", "fr": "Membres"},
    "inspect_convenor": {"en": "Convened by", "fr": "Convoquée par"},
    "inspect_no_convenor": {"en": "nobody (it cannot meet without paid staff)",
                            "fr": "personne (elle ne peut se réunir sans personnel payé)"},
    "inspect_attendance": {"en": "Attendance", "fr": "Présence"},
    "inspect_appropriation": {"en": "Appropriation", "fr": "Appropriation"},
    "inspect_instrumentalisation": {"en": "Instrumentalisation", "fr": "Instrumentalisation"},
    "inspect_activities": {"en": "Meeting time", "fr": "Temps de réunion"},
    "inspect_projects": {"en": "Collective projects", "fr": "Projets collectifs"},
    "inspect_tendency": {"en": "Tendency", "fr": "Tendance"},
    "inspect_model": {"en": "Model of concertation", "fr": "Modèle de concertation"},
    "inspect_links": {"en": "Linked to", "fr": "Liée à"},
    "inspect_none": {"en": "none", "fr": "aucune"},
    "inspect_tables": {"en": "Tables", "fr": "Tables"},
    "inspect_delegate": {"en": "by a delegate", "fr": "par un délégué"},
    "inspect_time": {"en": "Time (hours a month)", "fr": "Temps (heures par mois)"},
    "inspect_time_value": {"en": "{load} asked of a budget of {budget}; {spent} spent",
                           "fr": "{load} demandées pour un budget de {budget} ; {spent} passées"},
    "inspect_strain": {"en": "Strain", "fr": "Épuisement"},
    "inspect_power": {"en": "Power", "fr": "Pouvoir"},
    "inspect_dependence": {"en": "Income from programmes", "fr": "Revenus venant des programmes"},
    "inspect_drift": {"en": "Mission drift", "fr": "Dérive de mission"},
    "inspect_autonomy": {"en": "Autonomy", "fr": "Autonomie"},
    "origin_programme": {"en": "a programme", "fr": "un programme"},
    "origin_institution": {"en": "an institution", "fr": "une institution"},
    "origin_community": {"en": "the community", "fr": "le milieu communautaire"},
    "legend_origins": {"en": "Tables by origin", "fr": "Tables selon l'origine"},
    "legend_origin_programme": {"en": "programme", "fr": "programme"},
    "legend_origin_institution": {"en": "institution", "fr": "institution"},
    "legend_origin_community": {"en": "community", "fr": "communauté"},
    "legend_origin_territorial": {"en": "territorial", "fr": "territoriale"},
    "experiments_title": {"en": "What to try", "fr": "À essayer"},
    "experiments_hint": {
        "en": "Each button runs a reference at once (kept as dashed curves on the time plots) "
              "and sets the variant up on the same seed: press ▶ (play) and watch them part.",
        "fr": "Chaque bouton fait tourner une référence d'un coup (gardée en tirets sur les "
              "courbes) et prépare la variante avec la même graine : appuyez sur ▶ (lecture) et "
              "regardez-les se séparer."},
    "experiment_button": {"en": "Set it up", "fr": "Préparer"},
    "experiment_programmes": {
        "en": "**Baseline, then Programme-driven** (same seed): compare tables per organisation "
              "and the share of over-solicited organisations.",
        "fr": "**Référence, puis Par programmes** (même graine) : comparez les tables par "
              "organisation et la part d'organisations sursollicitées."},
    "experiment_programme_design": {
        "en": "**Programme-driven, then the same without conditional funding, with low "
              "prescribed results and process evaluation**: where do the tables go in the "
              "diagram?",
        "fr": "**Par programmes, puis le même sans financement conditionnel, avec peu de "
              "résultats prescrits et une évaluation des processus** : où vont les tables dans "
              "le schéma ?"},
    "experiment_citizens_support": {
        "en": "**Baseline, then more openness to citizens and professional support**: does the "
              "citizen share rise? Does appropriation follow?",
        "fr": "**Référence, puis plus d'ouverture aux citoyens et de soutien professionnel** : "
              "la part des citoyens monte-t-elle ? L'appropriation suit-elle ?"},
    "experiment_power": {
        "en": "**Baseline, then no power imbalance** (institutions no more powerful than "
              "groups): who sets the agendas now?",
        "fr": "**Référence, puis aucun déséquilibre de pouvoir** (institutions pas plus "
              "puissantes que les groupes) : qui fixe maintenant les ordres du jour ?"},
    "experiment_integration": {
        "en": "**Programme-driven, then with a territorial table** (\"la concertation des "
              "concertations\"): are the tables linked? Do memberships fall?",
        "fr": "**Par programmes, puis avec une table territoriale** (« la concertation des "
              "concertations ») : les tables sont-elles liées ? Les participations baissent-"
              "elles ?"},
    "experiment_funder_exit": {
        "en": "**Funder exit** (beside Programme-driven): the foundation leaves at year 10. "
              "Which of its tables survive? Inspect them: who convenes, how appropriated were "
              "they? The timeline shows the dissolutions.",
        "fr": "**Départ d'un bailleur** (à côté de Par programmes) : la fondation part à "
              "l'an 10. Lesquelles de ses tables survivent ? Inspectez-les : qui les anime, "
              "quelle appropriation avaient-elles ? La chronologie montre les dissolutions."},
    "reference_legend": {"en": "dashed: {label}", "fr": "tirets : {label}"},
    "reference_previous": {"en": "previous run ({preset}, seed {seed})",
                           "fr": "essai précédent ({preset}, graine {seed})"},
    "timeline_title": {"en": "Tables created and dissolved, by origin",
                       "fr": "Tables créées et dissoutes, selon l'origine"},
    "timeline_caption": {
        "en": "Each year: tables created above the line, tables dissolved below (paler), "
              "coloured by who made them; programme launches ▲, ends ▼, a funder's exit and the "
              "territorial table as dashed lines.",
        "fr": "Chaque année : tables créées au-dessus de la ligne, tables dissoutes en dessous "
              "(plus pâles), selon qui les a créées ; lancements de programmes ▲, fins ▼, départ "
              "d'un bailleur et table territoriale en tirets."},
    "timeline_y": {"en": "tables a year", "fr": "tables par an"},
    "legend_links": {"en": "link between tables", "fr": "lien entre tables"},
    "state_forming": {"en": "forming", "fr": "en formation"},
    "state_active": {"en": "active", "fr": "active"},
    "state_dormant": {"en": "dormant", "fr": "en dormance"},
    "activity_development": {"en": "development", "fr": "développement"},
    "activity_coordination": {"en": "coordination", "fr": "coordination"},
    "activity_information": {"en": "information", "fr": "information"},
    "activity_management": {"en": "programme management", "fr": "gestion de programme"},
    "reason_empty": {"en": "everyone left", "fr": "tous sont partis"},
    "reason_never_formed": {"en": "never formed", "fr": "jamais formée"},
    "reason_dormant": {"en": "dormant too long", "fr": "trop longtemps en dormance"},
    "reason_merged": {"en": "merged", "fr": "fusionnée"},
}
# Bourque's tendencies, named as the report names them (simulation.categories).
STRINGS |= {f"tendency_{label(tendency)}": CATEGORY_NAMES[label(tendency)]
            for tendency in Tendency}
STRINGS |= {f"kind_{name}": CATEGORY_NAMES[name] for name in CONCERTATION_KIND_LABELS.values()}


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
