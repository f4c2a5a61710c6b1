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
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..runs import HEADLINE
from . import final_state, narrative


@dataclass
class ReportInputs:
    runs: pd.DataFrame
    descriptions: dict[str, str]
    replications: int
    seeds: list[int]
    years: int
    conditions: list[dict[str, float]]
    provenance: dict[str, str]


def _png(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _img(data: str, alt: str) -> str:
    return f'<img class="figure" alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def bands_figure(runs: pd.DataFrame) -> Figure:
    from .figures import comparison_figure_axes

    return comparison_figure_axes(runs, "")


def stacked_shares_figure(shares: pd.DataFrame, title: str) -> Figure:
    fig = Figure(figsize=(8, 0.6 * len(shares) + 1.8), layout="constrained")
    ax = fig.subplots()
    left = np.zeros(len(shares))
    for index, column in enumerate(shares.columns):
        values = shares[column].to_numpy()
        ax.barh(shares.index, values, left=left, color=f"C{index}", label=column)
        left += values
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel("share of active tables (final state)")
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
               color=f"C{index}")
    ax.set_xticks(positions + width * (len(frame) - 1) / 2, frame.columns)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    return fig


def robustness_figure(runs: pd.DataFrame) -> Figure:
    final = final_state.final_rows(runs)
    per_condition = final.groupby(["scenario", "condition"], sort=False)[
        final_state.ROBUSTNESS_INDICATOR].mean()
    scenarios = list(dict.fromkeys(final["scenario"]))
    fig = Figure(figsize=(8, 3.6), layout="constrained")
    ax = fig.subplots()
    ax.boxplot([per_condition[s].to_numpy() for s in scenarios], tick_labels=scenarios)
    ax.set_ylabel("hyperconcertation index (final)")
    ax.set_title("Spread across uncertain conditions (one point per condition)")
    ax.grid(axis="y", alpha=0.3)
    return fig


def _table_html(frame: pd.DataFrame, float_format: str = "{:.3f}") -> str:
    def cell(value: object) -> str:
        if isinstance(value, float | np.floating):
            return "—" if np.isnan(value) else float_format.format(value)
        return html.escape(str(value))

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f'<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def final_table_html(table: pd.DataFrame) -> str:
    shown = table.assign(indicator=table["indicator"].map(lambda c: HEADLINE.get(c, c)))
    shown["95% interval"] = [f"[{lo:.3f}, {hi:.3f}]" for lo, hi in
                             zip(shown["ci95_low"], shown["ci95_high"], strict=True)]
    shown = shown[["indicator", "scenario", "mean", "95% interval", "difference", "hedges_g",
                   "effect", "n"]].sort_values("indicator", kind="stable")
    return _table_html(shown.rename(columns={"hedges_g": "effect size (Hedges' g)",
                                             "difference": "difference from first"}))


STYLE = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em} h2{margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
td,th{border:1px solid #ddd;padding:3px 6px;text-align:right} th{background:#f3f3f3}
td:first-child,td:nth-child(2){text-align:left}
img.figure{max-width:100%;display:block;margin:.5em 0}
.lang-fr{display:none} body.fr .lang-fr{display:block} body.fr .lang-en{display:none}
.toggle{float:right} .muted{color:#666;font-size:.85em}
"""

TOGGLE = ("<div class='toggle'><button type='button' onclick=\"document.body.classList"
          ".remove('fr')\">English</button> <button type='button' onclick=\"document.body"
          ".classList.add('fr')\">Français</button></div>")


def build_report(inputs: ReportInputs) -> str:
    runs = inputs.runs
    table = final_state.final_table(runs)
    scenarios = list(dict.fromkeys(runs["scenario"]))
    robust = final_state.robustness(runs)
    parts = [(f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>Scenario comparison</title><style>{STYLE}</style></head><body>"), TOGGLE,
             ("<h1><span class='lang-en'>Comparing funding scenarios</span>"
             "<span class='lang-fr'>Comparaison de scénarios de financement</span></h1>"),
             (f"<p class='muted'>{len(scenarios)} scenarios × {inputs.replications} replications "
             f"(seeds {inputs.seeds[0]}–{inputs.seeds[-1]}, the same for every scenario) × "
             f"{len(inputs.conditions)} condition(s); {inputs.years} years of monthly steps. "
             f"{html.escape(', '.join(f'{k} {v}' for k, v in inputs.provenance.items()))}</p>"),
             "<h2 id='scenarios'>Scenarios</h2><ul>"]
    parts += [f"<li class='scenario'><b>{html.escape(s)}</b>: "
              f"{html.escape(inputs.descriptions.get(s, ''))}</li>" for s in scenarios]
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
    figures = [
        ("over-time", "Indicators over time (mean and 95% band)", bands_figure(runs)),
        ("tendencies", "Bourque's four tendencies", stacked_shares_figure(
            final_state.composition(runs, "tendency_"), "Tendencies of the tables")),
        ("models", "Models of concertation", stacked_shares_figure(
            final_state.composition(runs, "model_"), "Models of concertation")),
        ("memberships", "Who is over-solicited: memberships per actor by type",
         grouped_bars_figure(final_state.memberships_by_type(runs),
                             "Tables per actor, by type of actor", "memberships (mean)")),
        ("money", "Money: reaching collective projects vs running tables",
         grouped_bars_figure(final_state.money(runs)[["funding_to_projects",
                                                      "funding_to_operation"]],
                             "Cumulative funding per territory", "$")),
    ]
    for anchor, title, fig in figures[:1]:
        parts.append(f"<h2 id='{anchor}'>{title}</h2>{_img(_png(fig), title)}")
    parts.append("<h2 id='final'>Final state</h2>" + final_table_html(table))
    for anchor, title, fig in figures[1:]:
        parts.append(f"<h2 id='{anchor}'>{title}</h2>{_img(_png(fig), title)}")
    money = final_state.money(runs).reset_index()
    parts.append(_table_html(money, "{:,.2f}"))
    if len(inputs.conditions) > 1:
        parts.append("<h2 id='robustness'>Robustness across uncertain conditions</h2>"
                     "<p>Uncertain conditions (Latin hypercube): "
                     + html.escape("; ".join(sorted({k for c in inputs.conditions for k in c})))
                     + "</p>" + _img(_png(robustness_figure(runs)), "robustness")
                     + _table_html(robust.reset_index(names="scenario")))
    parts.append("<p class='muted'>Data beside this report: runs.parquet / runs.csv (every "
                 "run, every month), final_state.csv, summary.csv, compare.json.</p>"
                 "</body></html>")
    return "\n".join(parts)


def write_report(inputs: ReportInputs, path: Path) -> Path:
    path.write_text(build_report(inputs), encoding="utf-8")
    return path
