"""Small-multiple figures of a run and of a comparison, written as PNG.

Built on matplotlib's object API (`Figure`, rendered by Agg) rather than pyplot, so no
global backend or figure state is touched and nothing needs a display.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, ScalarFormatter

from ..runs import HEADLINE, mean_ci
from .guide import INDICATORS, PALETTE

# One panel per entry: title and the (column, legend label) series drawn in it.
RUN_PANELS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Memberships per actor", [("memberships_per_actor", "all actors"),
                               ("memberships_group_mean", "community groups"),
                               ("memberships_institution_mean", "institutions")]),
    ("Over-solicited actors (share)", [("over_solicited_share", "")]),
    ("Appropriation vs instrumentalisation", [("appropriation", "appropriation"),
                                              ("instrumentalisation", "instrumentalisation")]),
    ("Citizen share of attendance", [("citizen_share", "")]),
    ("Integration", [("integration", "")]),
    ("Collective projects", [("collective_projects", "")]),
    ("Hyperconcertation index", [("hyperconcertation_index", "")]),
]
ORIGINS = [("tables_origin_programme", "programme"), ("tables_origin_institution", "institution"),
           ("tables_origin_community", "community")]


class _DecimalComma(ScalarFormatter):
    """Matplotlib's numbers with a decimal comma, as French writes them (no locale needed)."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return super().__call__(x, pos).replace(".", ",")


def localise_numbers(fig: Figure, language: str) -> Figure:
    """Give every numeric axis of `fig` decimal commas in French (category axes are left)."""
    if language != "fr":
        return fig
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(_DecimalComma())
    return fig


def _style(ax: Axes, language: str = "en") -> None:
    ax.set_xlabel("année" if language == "fr" else "year", fontsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.3)


def _grid(panels: int, columns: int, title: str) -> tuple[Figure, list[Axes]]:
    rows = -(-panels // columns)
    fig = Figure(figsize=(4.2 * columns, 3.2 * rows), layout="constrained")
    axes = list(fig.subplots(rows, columns, squeeze=False).ravel())
    for extra in axes[panels:]:
        extra.set_visible(False)
    fig.suptitle(title, fontsize=13)
    return fig, axes[:panels]


def indicators_figure(frame: pd.DataFrame, title: str, path: Path) -> Path:
    """Key indicators of one run over the years (tables by origin stacked, then one per panel)."""
    fig, axes = _grid(len(RUN_PANELS) + 1, 4, title)
    years = frame["year"]
    first = axes[0]
    first.stackplot(years, *(frame[column] for column, _ in ORIGINS),
                    labels=[name for _, name in ORIGINS], alpha=0.8)
    first.set_title("Tables active by origin", fontsize=10)
    first.legend(fontsize=7, loc="upper left")
    for ax, (panel_title, series) in zip(axes[1:], RUN_PANELS, strict=True):
        for column, name in series:
            ax.plot(years, frame[column], label=name or None)
        if len(series) > 1:
            ax.legend(fontsize=7)
        ax.set_title(panel_title, fontsize=10)
    for ax in axes:
        _style(ax)
    fig.savefig(path, dpi=110)
    return path


def comparison_figure(runs: pd.DataFrame, title: str, path: Path,
                      columns: Sequence[str] = tuple(HEADLINE)) -> Path:
    """Mean of each headline indicator per scenario over the years, with shaded 95% CI bands."""
    comparison_figure_axes(runs, title, columns).savefig(path, dpi=110)
    return path


def comparison_figure_axes(runs: pd.DataFrame, title: str,
                           columns: Sequence[str] = tuple(HEADLINE),
                           language: str = "en", panels_per_row: int = 5) -> Figure:
    """The figure of `comparison_figure`, unsaved (the HTML report embeds it), with the
    indicators' names and units in `language` and a colour-blind-safe palette."""
    bands = mean_ci(runs, ["scenario", "year"], columns)
    fig, axes = _grid(len(columns), panels_per_row, title)
    scenarios = list(dict.fromkeys(runs["scenario"]))
    for ax, column in zip(axes, columns, strict=True):
        for index, scenario in enumerate(scenarios):
            band = bands[(bands["indicator"] == column) & (bands["scenario"] == scenario)]
            colour = PALETTE[index % len(PALETTE)]
            ax.plot(band["year"], band["mean"], color=colour, label=scenario)
            ax.fill_between(band["year"], band["ci95_low"], band["ci95_high"], color=colour,
                            alpha=0.25, linewidth=0)
        guide = INDICATORS.get(column)
        ax.set_title(guide.name[language] if guide else HEADLINE.get(column, column),
                     fontsize=10)
        if guide:
            ax.set_ylabel(guide.unit[language], fontsize=8)
        _style(ax, language)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=max(len(scenarios), 1))
    return localise_numbers(fig, language)
