"""A self-contained HTML report of a scenario comparison, for planners.

One file, figures embedded as PNG data, no script or style fetched from anywhere: it opens
offline and can be mailed as it is. Sections: the scenarios, what the numbers say (English and
French), indicators over time with 95% bands, the final-state table, tendencies and models of
concertation, who is over-solicited, where the money went, and robustness across uncertain
conditions.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulation.categories import CATEGORY_NAMES

from ..runs import HEADLINE
from . import final_state, narrative
from .figures import comparison_figure_axes, localise_numbers
from .guide import INDICATORS, PALETTE
from .levers import levers_figure
from .verdict import number, percent, verdict


@dataclass
class ReportInputs:
    runs: pd.DataFrame
    descriptions: dict[str, dict[str, str]]  # scenario -> language -> text
    replications: int
    seeds: list[int]
    years: int
    conditions: list[dict[str, float]]
    provenance: dict[str, str]
    levers: pd.DataFrame | None = None  # analyses.comparison.levers.lever_effects


def _png(fig: Figure, language: str) -> str:
    localise_numbers(fig, language)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _img(data: str, alt: str) -> str:
    return f'<img class="figure" alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def stacked_shares_figure(shares: pd.DataFrame, title: str, language: str = "en") -> Figure:
    fig = Figure(figsize=(8, 0.6 * len(shares) + 1.8), layout="constrained")
    ax = fig.subplots()
    left = np.zeros(len(shares))
    for index, column in enumerate(shares.columns):
        values = shares[column].to_numpy()
        name = CATEGORY_NAMES.get(column, {}).get(language, column)
        ax.barh(shares.index, values, left=left, color=PALETTE[index % len(PALETTE)],
                label=name)
        left += values
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel(WORDS[language]["share_axis"])
    ax.set_title(title)
    fig.legend(loc="outside lower center", ncols=min(len(shares.columns), 3), fontsize=8)
    return fig


def grouped_bars_figure(frame: pd.DataFrame, title: str, ylabel: str) -> Figure:
    fig = Figure(figsize=(8, 3.6), layout="constrained")
    ax = fig.subplots()
    width = 0.8 / max(len(frame), 1)
    positions = np.arange(len(frame.columns))
    for index, (scenario, row) in enumerate(frame.iterrows()):
        ax.bar(positions + index * width, row.to_numpy(), width, label=scenario,
               color=PALETTE[index % len(PALETTE)])
    ax.set_xticks(positions + width * (len(frame) - 1) / 2, frame.columns)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    return fig


WORDS = {
    "en": {"share_axis": "share of active tables (final state)",
           "over-time": "Indicators over time (mean and 95% band)",
           "tendencies": "Bourque's four tendencies", "tendencies_plot": "Tendencies of the tables",
           "models": "Bourque's models of concertation", "models_plot": "Models of concertation",
           "memberships": "Who is over-solicited: tables per actor, by type of actor",
           "memberships_plot": "Tables per actor", "memberships_axis": "tables (mean)",
           "money": "Programme money: collective projects, running tables, paying members",
           "money_plot": "Programme money per territory", "money_axis": "thousand $ a year",
           "to_projects": "to collective projects", "to_operation": "to running tables",
           "to_members": "to members for sitting",
           "robustness": "Robustness across uncertain conditions",
           "levers": "What would help most from here",
           "levers_intro": "Starting from {main}, each of Bourque's eight conditions and each "
                           "funders' lever applied alone, ranked by how much it lowers the "
                           "hyperconcertation index; bars are paired differences (same seeds) "
                           "with 95% intervals (levers.csv).",
           "robustness_plot": "Spread across uncertain conditions (one point per condition)",
           "robustness_axis": "hyperconcertation index (final)",
           "uncertain": "Uncertain conditions (Latin hypercube), judged on the "
                        "hyperconcertation index (lower is better): ",
           "regret": "Regret: in each condition, how far a scenario's index is above the best "
                     "scenario's in that condition; the robust choice has the smallest "
                     "maximum regret, whatever the condition turns out to be.",
           "types": {"community groups": "community groups", "institutions": "institutions",
                     "funders' seats": "funders' seats", "citizens": "citizens"},
           "robust_columns": ["scenario", "mean", "worst case", "best in share of conditions",
                              "maximum regret", "conditions"],
           "subtitle": "{s} scenarios × {r} replications (seeds {a}–{b}, the same for every "
                       "scenario){c}; {y} years of monthly steps.",
           "conditions": " × {c} uncertain conditions",
           "levers_where": " Each lever is run at the scenario's own values ({n} paired runs "
                           "each), not under the uncertain conditions.",
           "made_by": "Made by",
           "data": "Data beside this report: runs.parquet / runs.csv (every run, every month), "
                   "final_state.csv, summary.csv, compare.json."},
    "fr": {"share_axis": "part des tables actives (état final)",
           "over-time": "Les indicateurs au fil des ans (moyenne et bande à 95\u202f%)",
           "tendencies": "Les quatre tendances de Bourque",
           "tendencies_plot": "Tendances des tables",
           "models": "Les modèles de concertation de Bourque",
           "models_plot": "Modèles de concertation",
           "memberships": "Qui est sur-sollicité : tables par acteur, selon le type d'acteur",
           "memberships_plot": "Tables par acteur", "memberships_axis": "tables (moyenne)",
           "money": "L'argent des programmes : projets collectifs, fonctionnement des tables, "
                    "présence des membres",
           "money_plot": "Argent des programmes par territoire",
           "money_axis": "milliers de $ par an",
           "to_projects": "aux projets collectifs", "to_operation": "au fonctionnement des tables",
           "to_members": "aux membres pour siéger",
           "robustness": "Robustesse face aux conditions incertaines",
           "levers": "Ce qui aiderait le plus à partir d'ici",
           "levers_intro": "À partir de {main}, chacune des huit conditions de Bourque et "
                           "chaque levier des bailleurs appliqué seul, classés selon ce qu'ils "
                           "abaissent l'indice d'hyperconcertation ; les barres sont des écarts "
                           "appariés (mêmes germes aléatoires) avec des intervalles à 95\u202f% "
                           "(levers.csv).",
           "robustness_plot": "Dispersion selon les conditions incertaines (un point par "
                              "condition)",
           "robustness_axis": "indice d'hyperconcertation (final)",
           "uncertain": "Conditions incertaines (hypercube latin), jugées sur l'indice "
                        "d'hyperconcertation (plus bas vaut mieux) : ",
           "regret": "Regret : dans chaque condition, de combien l'indice d'un scénario dépasse "
                     "celui du meilleur scénario dans cette condition ; le choix robuste a le "
                     "plus petit regret maximal, quelle que soit la condition qui se réalise.",
           "types": {"community groups": "groupes communautaires",
                     "institutions": "institutions", "funders' seats": "sièges des bailleurs",
                     "citizens": "citoyens"},
           "robust_columns": ["scénario", "moyenne", "pire cas",
                              "meilleur dans cette part des conditions", "regret maximal",
                              "conditions"],
           "subtitle": "{s} scénarios × {r} répétitions (germes aléatoires {a} à {b}, les "
                       "mêmes pour chaque scénario){c} ; {y} ans de pas mensuels.",
           "conditions": " × {c} conditions incertaines",
           "levers_where": " Chaque levier est simulé aux valeurs propres du scénario ({n} "
                           "paires de simulations chacun), pas sous les conditions incertaines.",
           "made_by": "Produit par",
           "data": "Données à côté de ce rapport : runs.parquet / runs.csv (chaque simulation, "
                   "chaque mois), final_state.csv, summary.csv, compare.json."},
}


def report_figures(runs: pd.DataFrame, years: int, language: str
                   ) -> list[tuple[str, Figure]]:
    """The report's figures after the first, in `language`: (section anchor, figure)."""
    words = WORDS[language]
    money_frame = final_state.money(runs)[final_state.MONEY_FLOWS]
    money_frame = money_frame.set_axis(
        [words["to_projects"], words["to_operation"], words["to_members"]], axis=1)
    memberships = final_state.memberships_by_type(runs)
    return [
        ("tendencies", stacked_shares_figure(final_state.composition(runs, "tendency_"),
                                             words["tendencies_plot"], language)),
        ("models", stacked_shares_figure(final_state.composition(runs, "model_"),
                                         words["models_plot"], language)),
        ("memberships", grouped_bars_figure(
            memberships.rename(columns=words["types"]), words["memberships_plot"],
            words["memberships_axis"])),
        ("money", grouped_bars_figure(money_frame / max(years, 1) / 1000, words["money_plot"],
                                      words["money_axis"])),
    ]


# How to read Bourque's two typologies (docs/ODD.md §8): a planner sees "empowerment" in a
# programme-driven territory and must know it is a top-down table its members took up.
READING = {
    "en": {"tendencies": "Bourque's four tendencies cross two questions. Where did the agenda "
                         "come from: from above (institutions, funders, programme prescription) "
                         "or from the members? And what brings the members: their common cause "
                         "or their organisation's interest (money, mandate)? Empowerment: a "
                         "top-down table its members took up as their own cause; "
                         "instrumentalisation: a top-down table attended for what it pays or "
                         "mandates; autonomist: members on their own cause; business-minded: a "
                         "bottom-up table attended for advantage.",
           "models": "Bourque's six models, by what a table mostly does: sans objet (forming or "
                     "dormant); extension of a dominant mission (one member steers it); "
                     "networking / information; intervention / referral (coordination); relay "
                     "(managing a programme); development / co-construction (its own projects)."},
    "fr": {"tendencies": "Les quatre tendances de Bourque croisent deux questions. D'où vient "
                         "l'ordre du jour : d'en haut (institutions, bailleurs, prescription des "
                         "programmes) ou des membres ? Et qu'est-ce qui réunit les membres : "
                         "leur cause commune ou l'intérêt de leur organisation (argent, "
                         "mandat) ? Empowerment : une table descendante que ses membres ont "
                         "faite leur ; instrumentalisation : une table descendante fréquentée "
                         "pour ce qu'elle paie ou impose ; autonomiste : des membres sur leur "
                         "propre cause ; affairiste : une table ascendante fréquentée pour "
                         "l'avantage qu'on en tire.",
           "models": "Les six modèles de Bourque, selon ce que fait surtout une table : sans "
                     "objet (en formation ou en dormance) ; prolongement de la mission "
                     "dominante (un membre la dirige) ; réseautage / information ; "
                     "intervention / référence (coordination) ; relais (gestion d'un "
                     "programme) ; développement / coconstruction (ses propres projets)."},
}


def _section(anchor: str) -> str:
    return (f"<h2 id='{anchor}'><span class='lang-en'>{html.escape(WORDS['en'][anchor])}</span>"
            f"<span class='lang-fr'>{html.escape(WORDS['fr'][anchor])}</span></h2>")


def _both(make: Callable[[str], str]) -> str:
    """The same block in English and in French, one shown at a time."""
    return "".join(f"<div class='lang-{language}'>{make(language)}</div>"
                   for language in ("en", "fr"))


def robustness_figure(runs: pd.DataFrame, language: str = "en") -> Figure:
    final = final_state.final_rows(runs)
    per_condition = final.groupby(["scenario", "condition"], sort=False)[
        final_state.ROBUSTNESS_INDICATOR].mean()
    scenarios = list(dict.fromkeys(final["scenario"]))
    fig = Figure(figsize=(8, 3.6), layout="constrained")
    ax = fig.subplots()
    ax.boxplot([per_condition[s].to_numpy() for s in scenarios], tick_labels=scenarios)
    ax.set_ylabel(WORDS[language]["robustness_axis"])
    ax.set_title(WORDS[language]["robustness_plot"])
    ax.grid(axis="y", alpha=0.3)
    return fig


def _table_html(frame: pd.DataFrame, float_format: str = "{:.3f}",
                language: str = "en") -> str:
    def cell(value: object) -> str:
        if isinstance(value, float | np.floating):
            return "—" if np.isnan(value) else float_format.format(value).replace(
                ".", "," if language == "fr" else ".")
        return html.escape(str(value))

    def td(value: object) -> str:
        """Numbers right-aligned to compare down a column; words left-aligned to be read."""
        text = cell(value)
        wordy = sum(character.isalpha() for character in text) > len(text) / 2
        return f"<td class='text'>{text}</td>" if wordy else f"<td>{text}</td>"

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(td(v) for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f'<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


FINAL_HEADERS = {
    "en": ["indicator", "scenario", "mean [95% interval]", "difference from {ref} [95% interval]",
           "matters in practice?", "does better than {ref} in", "runs"],
    "fr": ["indicateur", "scénario", "moyenne [intervalle à 95\u202f%]",
           "écart à {ref} [intervalle à 95\u202f%]", "compte en pratique\u202f?",
           "fait mieux que {ref} dans", "simulations"],
}
MATTERS_WORDS = {
    "en": {"yes": "yes", "no": "no", "unclear": "unclear", "reference": "reference"},
    "fr": {"yes": "oui", "no": "non", "unclear": "incertain", "reference": "référence"},
}


def final_table_html(table: pd.DataFrame, language: str = "en") -> str:
    """The final state, one row per indicator and scenario, in the reader's language."""
    reference = table["scenario"].iloc[0]
    separator = " ; " if language == "fr" else ", "
    rows = []
    for row in table.itertuples(index=False):
        guide = INDICATORS.get(row.indicator)
        name = guide.name[language] if guide else HEADLINE.get(row.indicator, row.indicator)
        digits = 0 if guide and guide.high == np.inf and abs(row.mean) >= 10 else 3

        def show(value: float, digits: int = digits) -> str:
            return number(value, language, digits)

        is_reference = row.scenario == reference
        rows.append([
            name, row.scenario,
            f"{show(row.mean)} [{show(row.ci95_low)}{separator}{show(row.ci95_high)}]",
            "—" if is_reference else (f"{show(row.difference)} [{show(row.difference_low)}"
                                      f"{separator}{show(row.difference_high)}]"),
            MATTERS_WORDS[language][row.matters],
            "—" if is_reference or np.isnan(row.share_better)
            else percent(row.share_better, language), str(row.n)])
    frame = pd.DataFrame(rows, columns=[h.format(ref=reference) for h in FINAL_HEADERS[language]])
    order = {name: index for index, name in enumerate(frame.iloc[:, 0].drop_duplicates())}
    frame = frame.sort_values(frame.columns[0], key=lambda c: c.map(order), kind="stable")
    return _table_html(frame)


GUIDE_HEADERS = {
    "en": ["indicator", "what it measures", "scale", "better when", "a difference matters from",
           "Bourque's effect it reads"],
    "fr": ["indicateur", "ce qu'il mesure", "échelle", "mieux quand",
           "un écart compte à partir de", "effet décrit par Bourque"],
}
BETTER_WORDS = {"en": {True: "higher", False: "lower", None: "neither"},
                "fr": {True: "plus haut", False: "plus bas", None: "ni l'un ni l'autre"}}


def guide_table_html(language: str) -> str:
    """What each indicator measures, its scale, its better direction and threshold."""
    rows = [[item.name[language], item.measures[language], item.unit[language],
             BETTER_WORDS[language][item.higher_is_better],
             f"{number(item.threshold, language)} ({item.threshold_reason[language]})",
             item.effect[language]] for item in INDICATORS.values()]
    return _table_html(pd.DataFrame(rows, columns=GUIDE_HEADERS[language]))


def verdict_html(runs: pd.DataFrame, language: str) -> str:
    parts = verdict(runs, language)
    steps = "".join(f"<li>{html.escape(step)}</li>" for step in parts["steps"])
    colon = COLON[language]
    standing = "".join(f"<li><b>{html.escape(name)}</b>{colon}{html.escape(text)}</li>"
                       for name, text in parts["standing"].items())
    where = {"en": "Where each scenario stands", "fr": "Où se situe chaque scénario"}[language]
    sure = {"en": "How sure", "fr": "À quel point c'est sûr"}[language]
    caution = (f"<p class='caution'>{html.escape(parts['caution'])}</p>"
               if parts["caution"] else "")
    return (f"<p class='answer'>{html.escape(parts['answer'])}</p>"
            f"<p class='verdict'>{html.escape(parts['ranking'])}</p>" + caution
            + (f"<p><b>{sure}</b></p><ul>{steps}</ul>" if steps else "")
            + (f"<p><b>{where}</b></p><ul>{standing}</ul>" if standing else ""))


def uncertain_ranges(conditions: list[dict[str, float]], language: str) -> str:
    """Each uncertain parameter with the range its sampled conditions span."""
    names = sorted({name for condition in conditions for name in condition})
    spans = []
    for name in names:
        values = [condition[name] for condition in conditions if name in condition]
        spans.append(f"{name} {RANGE_WORDS[language].format(low=number(min(values), language),
                                                          high=number(max(values), language))}")
    return "; ".join(spans)


RANGE_WORDS = {"en": "from {low} to {high}", "fr": "de {low} à {high}"}


def robustness_table(robust: pd.DataFrame, language: str) -> pd.DataFrame:
    """final_state.robustness as a reader writes it: index values with two decimals, the
    share of conditions as a percentage, in `language`."""
    return pd.DataFrame({
        label: values for label, values in zip(WORDS[language]["robust_columns"], [
            robust.index,
            [number(v, language) for v in robust["mean"]],
            [number(v, language) for v in robust["worst_case"]],
            [percent(v, language) for v in robust["best_in_share_of_conditions"]],
            [number(v, language) for v in robust["max_regret"]],
            robust["conditions"]], strict=True)})


def money_table(runs: pd.DataFrame, years: int, language: str) -> pd.DataFrame:
    """Programme money per territory and year, in thousands of dollars, and its share."""
    frame = final_state.money(runs)
    per_year = frame[final_state.MONEY_FLOWS] / max(years, 1) / 1000
    labels = {"en": ["scenario", "to collective projects (k$ a year)",
                     "to running tables (k$ a year)", "to members for sitting (k$ a year)",
                     "share to projects"],
              "fr": ["scénario", "aux projets collectifs (k$ par an)",
                     "au fonctionnement des tables (k$ par an)",
                     "aux membres pour siéger (k$ par an)", "part aux projets"]}[language]
    columns = {labels[0]: frame.index}
    for label, flow in zip(labels[1:4], final_state.MONEY_FLOWS, strict=True):
        columns[label] = [number(v, language, 0) for v in per_year[flow]]
    columns[labels[4]] = [percent(v, language) for v in frame["share_to_projects"]]
    return pd.DataFrame(columns)


STYLE = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em} h2{margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
td,th{border:1px solid #ddd;padding:3px 6px;text-align:right} th{background:#f3f3f3}
td:first-child,td:nth-child(2),td.text{text-align:left}
img.figure{max-width:100%;display:block;margin:.5em 0}
.lang-fr{display:none} body.fr .lang-fr{display:block} body.fr .lang-en{display:none}
.toggle{float:right} .muted{color:#666;font-size:.85em}
 .caution{border-left:4px solid #E69F00;padding-left:.6em}
 .answer{font-size:1.2em;font-weight:600}
@media print{body{max-width:none;margin:0} .toggle{display:none}
 img.figure,tr,li,p.verdict{break-inside:avoid} h2{break-after:avoid}
 table{font-size:.75em}}
"""

COLON = {"en": ": ", "fr": "\u00a0: "}  # French puts a (no-break) space before the colon
TITLES = {"en": "Comparing funding scenarios", "fr": "Comparaison de scénarios de financement"}

# One function shows a language: the body's class picks the text, and the page's lang and
# title follow, so a screen reader, a search and a printed PDF's metadata say the same.
SHOW_LANGUAGE = ("<script>function showLanguage(l){document.body.classList.toggle('fr',l==='fr');"
                 "document.documentElement.lang=l;document.title=" + json.dumps(TITLES)
                 + "[l]}</script>")
# `report.html#fr` opens in French (used to print the French PDF); no script is fetched.
OPEN_IN_FRENCH = "<script>if(location.hash==='#fr')showLanguage('fr')</script>"

TOGGLE = ("<div class='toggle'><button type='button' onclick=\"showLanguage('en')\">English"
          "</button> <button type='button' onclick=\"showLanguage('fr')\">Français</button>"
          "</div>")


def build_report(inputs: ReportInputs) -> str:
    runs = inputs.runs
    table = final_state.final_table(runs)
    scenarios = list(dict.fromkeys(runs["scenario"]))
    robust = final_state.robustness(runs)
    subtitle = {language: WORDS[language]["subtitle"].format(
        s=len(scenarios), r=inputs.replications, a=inputs.seeds[0], b=inputs.seeds[-1],
        c=WORDS[language]["conditions"].format(c=len(inputs.conditions))
        if len(inputs.conditions) > 1 else "", y=inputs.years) for language in ("en", "fr")}
    versions = html.escape(", ".join(
        f"{key.removesuffix('_version').replace('_', ' ')} {value}"
        for key, value in inputs.provenance.items()))
    parts = [(f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
              f"<title>{TITLES['en']}</title><style>{STYLE}</style>{SHOW_LANGUAGE}</head>"
              f"<body>"),
             OPEN_IN_FRENCH, TOGGLE,
             ("<h1><span class='lang-en'>Comparing funding scenarios</span>"
              "<span class='lang-fr'>Comparaison de scénarios de financement</span></h1>"),
             "<p class='muted'>" + "".join(
                 f"<span class='lang-{language}'>{html.escape(text)} "
                 f"{WORDS[language]['made_by']} {versions}.</span>"
                 for language, text in subtitle.items()) + "</p>",
             ("<h2 id='verdict'><span class='lang-en'>The answer</span>"
              "<span class='lang-fr'>La réponse</span></h2>"),
             _both(lambda language: verdict_html(runs, language)),
             # right under the answer that names them: what each indicator measures
             ("<h2 id='indicators'><span class='lang-en'>What the indicators measure</span>"
              "<span class='lang-fr'>Ce que mesurent les indicateurs</span></h2>"
              + _both(guide_table_html)),
             ("<h2 id='scenarios'><span class='lang-en'>Scenarios</span>"
              "<span class='lang-fr'>Scénarios</span></h2><ul>")]
    parts += [f"<li class='scenario'><b>{html.escape(s)}</b>" + "".join(
        f"<span class='lang-{language}'>{COLON[language]}{html.escape(text)}</span>"
        for language, text in inputs.descriptions.get(s, {}).items()) + "</li>"
        for s in scenarios]
    parts.append("</ul><h2 id='summary'><span class='lang-en'>What the numbers say</span>"
                 "<span class='lang-fr'>Ce que disent les chiffres</span></h2>")
    for language in ("en", "fr"):
        texts = narrative.sentences(table, language)
        parts.append(f"<div class='lang-{language}'>")
        for scenario in scenarios:
            parts.append(f"<p><b>{html.escape(scenario)}</b>. "
                         f"{html.escape(' '.join(texts[scenario]))}</p>")
        sentence = narrative.robustness_sentence(robust, language)
        if sentence:
            parts.append(f"<p>{html.escape(sentence)}</p>")
        parts.append("</div>")
    parts.append(_section("over-time") + _both(lambda language: _img(
        _png(comparison_figure_axes(runs, "", language=language, panels_per_row=3), language),
        WORDS[language]["over-time"])))
    parts.append("<h2 id='final'><span class='lang-en'>Final state</span>"
                 "<span class='lang-fr'>État final</span></h2>"
                 + _both(lambda language: final_table_html(table, language)))
    drawn = {language: report_figures(runs, inputs.years, language) for language in ("en", "fr")}
    for position, (anchor, _) in enumerate(drawn["en"]):
        parts.append(_section(anchor) + _both(
            lambda language, position=position, anchor=anchor: _img(
                _png(drawn[language][position][1], language), WORDS[language][anchor])
            + (f"<p class='muted'>{html.escape(READING[language][anchor])}</p>"
               if anchor in READING[language] else "")))
    parts.append(_both(lambda language: _table_html(money_table(runs, inputs.years, language))))
    if len(inputs.conditions) > 1:
        parts.append(_section("robustness") + _both(lambda language: (
            f"<p>{html.escape(WORDS[language]['uncertain'])}"
            f"{html.escape(uncertain_ranges(inputs.conditions, language))}</p>"
            + _img(_png(robustness_figure(runs, language), language),
                   WORDS[language]["robustness"])
            + _table_html(robustness_table(robust, language))
            + f"<p class='muted'>{html.escape(WORDS[language]['regret'])}</p>")))
    if inputs.levers is not None:
        parts.append(_section("levers") + _both(lambda language: (
            f"<p>{html.escape(WORDS[language]['levers_intro'].format(main=scenarios[0]))}"
            + (html.escape(WORDS[language]["levers_where"].format(
                n=int(inputs.levers["n"].max()))) if len(inputs.conditions) > 1 else "")
            + "</p>"
            + _img(_png(levers_figure(inputs.levers, language), language),
                   WORDS[language]["levers"]))))
    parts.append(f"<p class='muted'>{_both(lambda language: html.escape(WORDS[language]['data']))}"
                 "</p></body></html>")
    return "\n".join(parts)


def write_report(inputs: ReportInputs, path: Path) -> Path:
    path.write_text(build_report(inputs), encoding="utf-8")
    return path
