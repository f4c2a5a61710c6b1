"""What would help most from here: for the planner's main scenario, each of Bourque's eight
conditions and each of the funders' levers applied alone, ranked by how much it lowers the
hyperconcertation index (and how it moves appropriation), with intervals over paired runs.

The variants run through `run_comparison`, so they share its cache, its seeds (common random
numbers: each variant's run r has the main scenario's seed r) and its engines.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from simulation import CONDITIONS, Scenario

from .compare import ComparisonPlan, run_comparison
from .final_state import final_table
from .guide import INDICATORS, PALETTE

OUTCOMES = ["hyperconcertation_index", "appropriation"]


@dataclass(frozen=True)
class Lever:
    key: str
    kind: str  # "condition" (Bourque's eight) or "funders" (how programmes are run)
    name: dict[str, str]
    overrides: dict[str, Any]


def funder_levers(scenario: Scenario) -> list[Lever]:
    """The funders' levers, each set to its favourable value (money: twice the scenario's)."""
    money = scenario.programmes.design.funding_per_table
    return [
        Lever("coordination", "funders", {"en": "coordination between programmes",
                                          "fr": "coordination entre programmes"},
              {"programmes.coordination": 0.8}),
        Lever("separate_roles", "funders", {"en": "funder and convenor roles separated",
                                            "fr": "rôles de bailleur et d'animateur séparés"},
              {"programmes.separate_roles": True}),
        Lever("pooled", "funders", {"en": "pooled territorial funding",
                                    "fr": "financement territorial mis en commun"},
              {"programmes.design.table_mode": "pooled"}),
        Lever("process_indicators", "funders", {"en": "process indicators",
                                                "fr": "indicateurs de processus"},
              {"programmes.design.evaluation": "process"}),
        Lever("money_per_table", "funders", {"en": "twice the money per table",
                                             "fr": "deux fois plus d'argent par table"},
              {"programmes.design.funding_per_table": 2 * money if money else 40000.0}),
    ]


def all_levers(scenario: Scenario) -> list[Lever]:
    """Bourque's eight conditions (simulation.CONDITIONS), then the funders' levers."""
    conditions = [Lever(condition.key, "condition", {"en": condition.en, "fr": condition.fr},
                        dict(overrides)) for condition, overrides in CONDITIONS.items()]
    return conditions + funder_levers(scenario)


def lever_effects(label: str, scenario: Scenario, replications: int, seed: int, out: Path, *,
                  workers: int, engine: str = "local", levers: list[Lever] | None = None,
                  progress: bool = False) -> pd.DataFrame:
    """One row per lever and outcome: the paired difference from the main scenario, its 95%
    interval (final_state.mean_interval), whether it matters, the share of paired runs it
    improves; sorted by how much the lever lowers the index."""
    levers = all_levers(scenario) if levers is None else levers
    variants = {label: scenario} | {
        f"{label}+{lever.key}": scenario.overridden(lever.overrides) for lever in levers}
    runs = run_comparison(ComparisonPlan(variants, replications, seed), out, workers=workers,
                          engine=engine, progress=progress)
    table = final_table(runs, OUTCOMES)
    table = table[table["scenario"] != label]
    by_key = {f"{label}+{lever.key}": lever for lever in levers}
    table = table.assign(
        lever=table["scenario"].map(lambda name: by_key[name].key),
        kind=table["scenario"].map(lambda name: by_key[name].kind),
        name_en=table["scenario"].map(lambda name: by_key[name].name["en"]),
        name_fr=table["scenario"].map(lambda name: by_key[name].name["fr"]))
    index = table[table["indicator"] == OUTCOMES[0]].set_index("lever")["difference"]
    table["rank"] = table["lever"].map(index.rank(method="first").astype(int))
    columns = ["rank", "lever", "kind", "name_en", "name_fr", "indicator", "mean", "difference",
               "difference_low", "difference_high", "matters", "share_better", "n"]
    return table.sort_values(["rank", "indicator"], kind="stable")[columns].reset_index(drop=True)


AXIS_WORDS = {"en": {"hyperconcertation_index": "index points (0-1 scale)",
                      "appropriation": "appropriation points (0-1 scale)"},
              "fr": {"hyperconcertation_index": "points d'indice (échelle de 0 à 1)",
                     "appropriation": "points d'appropriation (échelle de 0 à 1)"}}


def levers_figure(effects: pd.DataFrame, language: str = "en") -> Figure:
    """Two panels: how much each lever lowers the index, and how it moves appropriation."""
    titles = {"en": ("How much it lowers the hyperconcertation index",
                     "How much it raises appropriation"),
              "fr": ("De combien il abaisse l'indice d'hyperconcertation",
                     "De combien il élève l'appropriation")}
    order = effects.drop_duplicates("lever").sort_values("rank")
    names = order[f"name_{language}"].tolist()
    fig = Figure(figsize=(9, 0.42 * len(order) + 1.6), layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    for ax, indicator, title, sign in zip(axes, OUTCOMES, titles[language], (-1, 1),
                                          strict=True):
        rows = effects[effects["indicator"] == indicator].set_index("lever").loc[order["lever"]]
        centre = sign * rows["difference"].to_numpy()
        low = sign * rows["difference_low"].to_numpy()
        high = sign * rows["difference_high"].to_numpy()
        errors = np.abs(np.vstack([centre - np.minimum(low, high),
                                   np.maximum(low, high) - centre]))
        colours = [PALETTE[0] if kind == "condition" else PALETTE[1] for kind in rows["kind"]]
        ax.barh(range(len(rows)), centre, xerr=errors, color=colours, capsize=2)
        ax.axvline(0, color="#444", linewidth=0.8)
        threshold = INDICATORS[indicator].threshold
        ax.axvline(threshold, color="#999", linewidth=0.8, linestyle=":")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(AXIS_WORDS[language][indicator], fontsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))  # ticks that never run together
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(range(len(order)), [_wrap(name) for name in names], fontsize=8)
    axes[0].invert_yaxis()
    legend = {"en": ("one of Bourque's eight conditions", "a funders' lever",
                     "dotted: a difference that matters in practice"),
              "fr": ("une des huit conditions de Bourque", "un levier des bailleurs",
                     "pointillé : un écart qui compte en pratique")}[language]
    fig.legend(handles=[Patch(color=PALETTE[0], label=legend[0]),
                        Patch(color=PALETTE[1], label=legend[1]),
                        Line2D([], [], color="#999", linestyle=":", label=legend[2])],
               loc="outside lower center", ncols=3, fontsize=8)
    return fig


def _wrap(text: str, width: int = 38) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])
