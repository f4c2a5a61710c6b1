"""The compare page: two to four presets side by side over replications, for planners.

The app runs no model logic of its own. `run_presets` hands the presets to the analysis API
(`analyses.comparison.compare.run_comparison`) one run at a time, so the page can count the
runs; the runs are cached by content in the session's folder, so the final call only stacks them and a later
comparison reuses every run it shares with an earlier one. `summarise` reads the bands
(`analyses.runs.mean_ci`) and the final state (`analyses.comparison.final_state.final_table`); the page
draws them in the session's language. Every scenario runs with the same seeds (common random
numbers), as `concertation compare` does.

The comparison runs in a background thread (a `solara.lab.task`, one per browser session), so
the page stays responsive and shows how many runs are done; it stops between two runs when
cancelled or when the session ends.
"""

from __future__ import annotations

import atexit
import html
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import reacton.ipywidgets as rw
import solara
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from analyses.comparison.compare import ComparisonPlan, run_comparison
from analyses.comparison.final_state import final_table
from analyses.runs import mean_ci
from simulation import available_scenarios, load_scenario

from . import RUNS_ENV
from .components import (
    DPI,
    MONITORS,
    NOTE,
    SIDEBAR_CSS,
    Download,
    _decimal_comma,
    csv_bytes,
    figure_png,
    language,
    top_bar,
)
from .i18n import fmt, percent, t, t_or
from .levers import presets

MIN_PRESETS, MAX_PRESETS = 2, 4
MAX_REPLICATIONS = 20
MAX_YEARS = 40
DEFAULT_PRESETS = ("baseline", "programme_driven")
DEFAULT_REPLICATIONS = 5
DEFAULT_YEARS = 10
# The indicators compared: the live page's monitors (label key, indicator, format).
INDICATORS = [(key, column, kind) for key, column, kind in MONITORS]
COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7")  # Okabe-Ito: tell apart in any vision


def preset_short(name: str, lang: str) -> str:
    """A preset's short name (legend, table); a preset the app has no words for keeps its own."""
    return t_or(f"preset_short_{name}", lang, name)


# ---- running a comparison (pure: no Solara) ---------------------------------------------------

@dataclass(frozen=True, eq=False)  # compared by identity: Solara compares reactive values
class Comparison:
    """What the page shows of a finished comparison."""

    presets: tuple[str, ...]
    replications: int
    years: int
    seed: int
    bands: pd.DataFrame  # mean_ci by scenario and year: indicator, n, mean, sd, ci95_low/high
    final: pd.DataFrame  # final_table: scenario, indicator, mean, ci95_low, ci95_high, ...

    @property
    def request(self) -> tuple[tuple[str, ...], int, int, int]:
        return self.presets, self.replications, self.years, self.seed

    @property
    def final_year(self) -> float:
        return float(self.bands["year"].max())


def check_request(chosen: Sequence[str], replications: int, years: int, seed: int) -> None:
    """Refuse what the page does not offer, before anything runs."""
    known = available_scenarios()
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise ValueError(f"unknown scenario(s): {', '.join(unknown)}")
    if len(set(chosen)) != len(chosen) or not MIN_PRESETS <= len(chosen) <= MAX_PRESETS:
        raise ValueError(f"choose {MIN_PRESETS} to {MAX_PRESETS} different scenarios, "
                         f"got {list(chosen)}")
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise ValueError(f"replications: 1 to {MAX_REPLICATIONS}, got {replications}")
    if not 1 <= years <= MAX_YEARS:
        raise ValueError(f"years: 1 to {MAX_YEARS}, got {years}")
    if seed < 0:
        raise ValueError(f"the first seed cannot be negative, got {seed}")


def comparison_plan(chosen: Sequence[str], replications: int, years: int,
                    seed: int = 0) -> ComparisonPlan:
    """The presets, each over `years`, with seeds seed .. seed + replications - 1."""
    check_request(chosen, replications, years, seed)
    scenarios = {name: load_scenario(name, {"run.years": years}) for name in chosen}
    return ComparisonPlan(scenarios, replications, seed)


def run_presets(chosen: Sequence[str], replications: int, years: int, folder: Path,
                seed: int = 0, *, on_run: Callable[[int, int], None] | None = None,
                stop: Callable[[], bool] | None = None) -> pd.DataFrame | None:
    """Every run of the comparison, stacked as `run_comparison` returns them; None if stopped.

    One `run_comparison` call per run (replication by replication, every preset in turn), each
    cached under `folder/runs/`; `on_run(done, total)` after each; `stop()` is asked before
    each. The last call finds every run cached and stacks them in the plan's order.
    """
    plan = comparison_plan(chosen, replications, years, seed)
    total = len(plan.scenarios) * replications
    done = 0
    if on_run:
        on_run(done, total)
    for seed_of_run in plan.seeds:
        for label, scenario in plan.scenarios.items():
            if stop and stop():
                return None
            run_comparison(ComparisonPlan({label: scenario}, 1, seed_of_run), folder,
                           workers=1, engine="serial", progress=False)
            done += 1
            if on_run:
                on_run(done, total)
    if stop and stop():
        return None
    return run_comparison(plan, folder, workers=1, engine="serial", progress=False)


def summarise(runs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean and 95% band of each compared indicator by scenario and year, and the final table."""
    columns = [column for _, column, _ in INDICATORS]
    return mean_ci(runs, ["scenario", "year"], columns), final_table(runs, columns)


def compare(chosen: Sequence[str], replications: int, years: int, folder: Path, seed: int = 0,
            *, on_run: Callable[[int, int], None] | None = None,
            stop: Callable[[], bool] | None = None) -> Comparison | None:
    """Run the comparison and summarise it: what the page's Run button does."""
    runs = run_presets(chosen, replications, years, folder, seed, on_run=on_run, stop=stop)
    if runs is None:
        return None
    bands, final = summarise(runs)
    return Comparison(tuple(chosen), replications, years, seed, bands, final)


# ---- what the page shows (pure) -----------------------------------------------------------------

def compare_figure(comparison: Comparison, lang: str) -> Figure:
    """Small multiples: each indicator over time, a line (mean) and a band (95% interval of the
    mean) per scenario, the scenarios overlaid."""
    bands = comparison.bands
    fig = Figure(figsize=(11.0, 5.8), dpi=DPI)
    axes = fig.subplots(2, 4, sharex=True)
    for ax, (key, column, _kind) in zip(axes.flat, INDICATORS, strict=True):
        of_indicator = bands[bands["indicator"] == column]
        for colour, name in zip(COLOURS, comparison.presets, strict=False):
            band = of_indicator[of_indicator["scenario"] == name]
            years = band["year"].to_numpy(float)
            ax.plot(years, band["mean"].to_numpy(float), color=colour, linewidth=1.5,
                    label=preset_short(name, lang))
            ax.fill_between(years, band["ci95_low"].to_numpy(float),
                            band["ci95_high"].to_numpy(float), color=colour, alpha=0.2,
                            linewidth=0)
        ax.set_title(t(key, lang), fontsize=9)
        ax.set_ylim(bottom=0)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        if lang == "fr":
            ax.yaxis.set_major_formatter(_decimal_comma)
    for ax in axes[1]:
        ax.set_xlabel(t("year", lang), fontsize=8)
        # Whole years only, at most five: a 3-year comparison's ticks never run together.
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        ax.xaxis.set_major_formatter(lambda value, _pos: f"{value:.0f}")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False, fontsize=9)
    fig.subplots_adjust(left=0.05, right=0.99, top=0.94, bottom=0.16, wspace=0.28, hspace=0.35)
    return fig


def _number(value: float, kind: str, lang: str) -> str:
    if kind == "percent":
        return percent(value, lang)
    return fmt(value, lang, 1 if kind == "int" else 2)


def final_rows(comparison: Comparison, lang: str) -> list[list[str]]:
    """The final-state table as text: a header, then per indicator the mean and 95% interval
    of each scenario (the mean alone for a single replication)."""
    final = comparison.final.set_index(["indicator", "scenario"])
    rows = [[t("compare_indicator", lang), *(preset_short(p, lang) for p in comparison.presets)]]
    for key, column, kind in INDICATORS:
        row = [t(key, lang)]
        for name in comparison.presets:
            cell = final.loc[(column, name)]
            mean = _number(float(cell["mean"]), kind, lang)
            low, high = float(cell["ci95_low"]), float(cell["ci95_high"])
            if np.isnan(low):  # a single replication
                row.append(mean)
                continue
            between = " ; " if lang == "fr" else ", "
            row.append(f"{mean} [{_number(low, kind, lang)}{between}{_number(high, kind, lang)}]")
        rows.append(row)
    return rows


def final_table_html(comparison: Comparison, lang: str) -> str:
    rows = final_rows(comparison, lang)
    head = "".join(f"<th>{html.escape(text)}</th>" for text in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(text)}</td>" for text in row) + "</tr>"
                   for row in rows[1:])
    return (f'<table class="concertation-compare-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def summary_line(comparison: Comparison, lang: str) -> str:
    names = ", ".join(preset_short(name, lang) for name in comparison.presets)
    first, last = comparison.seed, comparison.seed + comparison.replications - 1
    key = "compare_summary_one" if comparison.replications == 1 else "compare_summary"
    span = (t("years_one", lang) if comparison.years == 1
            else t("years_many", lang, n=comparison.years))
    return t(key, lang, scenarios=names, replications=comparison.replications, first=first,
             last=last, span=span)


# ---- the session's folder of runs -------------------------------------------------------------

_root_lock = threading.Lock()
_root: list[Path] = []  # the folder of every session's folder


def _kernel_context():
    try:
        from solara.server import kernel_context
    except ImportError:
        return None
    return kernel_context.get_current_context() if kernel_context.has_current_context() else None


@dataclass(eq=False)
class SessionFolder:
    """A browser session's cache of runs, removed when the session ends."""

    path: Path
    closing: threading.Event

    def close(self) -> None:
        self.closing.set()
        shutil.rmtree(self.path, ignore_errors=True)


def _new_session_folder() -> SessionFolder:
    with _root_lock:
        if not _root:
            given = os.environ.get(RUNS_ENV)
            if given and Path(given).is_dir():  # made, and removed, by `concertation app`
                _root.append(Path(given))
            else:  # served otherwise (`solara run concertation.app.page`, tests): removed at exit
                _root.append(Path(tempfile.mkdtemp(prefix="concertation-compare-")))
                atexit.register(shutil.rmtree, _root[0], ignore_errors=True)
    folder = SessionFolder(Path(tempfile.mkdtemp(prefix="session-", dir=_root[0])),
                           threading.Event())
    context = _kernel_context()
    if context is not None:
        context.on_close(folder.close)
    return folder


# ---- per-session state (Solara keeps a module-level reactive variable per browser session) ----

chosen_presets = solara.reactive(list(DEFAULT_PRESETS))
replications = solara.reactive(DEFAULT_REPLICATIONS)
years = solara.reactive(DEFAULT_YEARS)
first_seed = solara.reactive(0)
runs_done = solara.reactive((0, 0))  # (done, total) of the comparison under way
result = solara.reactive(None)  # the last finished Comparison
session_folder = solara.reactive(None)  # SessionFolder, made at the first comparison


def current_request() -> tuple[tuple[str, ...], int, int, int]:
    return (tuple(chosen_presets.value), int(replications.value), int(years.value),
            int(first_seed.value or 0))


@solara.lab.task
def comparison_task(chosen: tuple[str, ...], reps: int, n_years: int, seed: int
                    ) -> Comparison | None:
    """The comparison, in a thread of its own; its result goes to `result`."""
    folder = session_folder.value
    if folder is None or folder.closing.is_set():
        folder = _new_session_folder()
        session_folder.set(folder)

    def on_run(done: int, total: int) -> None:
        runs_done.set((done, total))
        comparison_task.progress = 100.0 * done / total

    def stop() -> bool:
        return folder.closing.is_set() or not comparison_task.is_current()

    try:
        comparison = compare(chosen, reps, n_years, folder.path, seed, on_run=on_run, stop=stop)
    except Exception:
        if not folder.closing.is_set():
            raise
        comparison = None  # the session ended under a run (its folder went): nobody to tell
    finally:
        if folder.closing.is_set():  # the run under way may have written after the removal
            shutil.rmtree(folder.path, ignore_errors=True)
    if comparison is not None:
        result.set(comparison)
    return comparison


def start_comparison() -> None:
    request = current_request()
    check_request(*request)
    runs_done.set((0, len(request[0]) * request[1]))
    comparison_task(*request)


# ---- components ---------------------------------------------------------------------------------

@solara.component
def CompareControls(lang: str):
    pending = comparison_task.pending
    chosen = chosen_presets.value

    def toggle(name: str, on: bool) -> None:
        wanted = (set(chosen_presets.value) | {name}) if on else (set(chosen_presets.value)
                                                                  - {name})
        chosen_presets.set([preset for preset in presets() if preset in wanted])

    with solara.Card(t("compare_card", lang)):
        solara.Text(t("compare_presets", lang, low=MIN_PRESETS, high=MAX_PRESETS),
                    style={"font-weight": "500"})
        with solara.Column(gap="0px", classes=["concertation-compare-presets"]):
            for name in presets():
                on = name in chosen
                solara.Checkbox(label=preset_short(name, lang), value=on,
                                on_value=partial(toggle, name),
                                disabled=pending or (not on and len(chosen) >= MAX_PRESETS))
        with solara.Column(gap="4px", classes=["concertation-levers"]):
            solara.SliderInt(t("compare_replications", lang, n=replications.value),
                             value=replications, min=1, max=MAX_REPLICATIONS, disabled=pending,
                             thumb_label=False)
            solara.SliderInt(t("compare_years", lang, n=years.value), value=years, min=1,
                             max=MAX_YEARS, disabled=pending, thumb_label=False)
        solara.InputInt(t("compare_seed", lang), value=first_seed, disabled=pending,
                        classes=["concertation-compare-seed"])
        request = current_request()
        ready = MIN_PRESETS <= len(request[0]) <= MAX_PRESETS and request[3] >= 0
        with solara.Row():
            solara.Button(t("compare_run", lang), on_click=start_comparison, color="primary",
                          disabled=pending or not ready, classes=["concertation-compare-run"])
            if pending:
                solara.Button(t("compare_cancel", lang), on_click=comparison_task.cancel,
                              text=True, classes=["concertation-compare-cancel"])
        if not ready:
            solara.Text(t("compare_choose", lang, low=MIN_PRESETS, high=MAX_PRESETS),
                        style=NOTE | {"color": "#b35900"})
        solara.Text(t("compare_hint", lang), style=NOTE)


@solara.component
def CompareResults(lang: str):
    shown = result.value
    if comparison_task.pending:
        done, total = runs_done.value
        solara.ProgressLinear(value=100.0 * done / total if total else True)
        solara.Text(t("compare_progress", lang, done=done, total=total),
                    classes=["concertation-compare-progress"])
    elif comparison_task.error:
        solara.Error(t("compare_error", lang, error=str(comparison_task.exception)))
    elif comparison_task.cancelled:
        solara.Text(t("compare_cancelled", lang), style=NOTE,
                    classes=["concertation-compare-cancelled"])
    if shown is not None:
        ComparisonView(shown, lang)
    elif not comparison_task.pending:
        solara.Info(t("compare_empty", lang))


@solara.component
def ComparisonView(shown: Comparison, lang: str):
    """The figure and the final-state table of a finished comparison."""
    png = solara.use_memo(lambda: figure_png(compare_figure(shown, lang)),
                          dependencies=[id(shown), lang])
    table = solara.use_memo(lambda: final_table_html(shown, lang), dependencies=[id(shown), lang])
    with solara.Card(margin=0, classes=["concertation-compare"]):
        solara.Text(t("compare_figure_title", lang),
                    style={"font-size": "1.1em", "font-weight": "500", "display": "block"})
        solara.Text(summary_line(shown, lang), style=NOTE | {"display": "block"},
                    classes=["concertation-compare-summary"])
        if shown.request != current_request() and not comparison_task.pending:
            solara.Text(t("compare_stale", lang),
                        style=NOTE | {"color": "#b35900", "display": "block"},
                        classes=["concertation-compare-stale"])
        rw.Image(value=png, format="png", _dom_classes=["concertation-compare-image"],
                 layout={"width": "100%", "height": "auto"})
        with solara.Row(gap="4px"):
            Download(png, "comparison.png", t("download_png", lang),
                     "concertation-compare-download-png")
            Download(lambda: csv_bytes(shown.bands, lang), "comparison-bands.csv",
                     t("download_comparison", lang), "concertation-compare-download-bands")
    with solara.Card(margin=0, classes=["concertation-compare-final"]):
        solara.Text(t("compare_final", lang, year=f"{shown.final_year:.0f}"),
                    style={"font-size": "1.1em", "font-weight": "500"})
        solara.HTML(tag="div", unsafe_innerHTML=table, style={"overflow-x": "auto"})
        solara.Text(t("compare_table_note", lang), style=NOTE)
        Download(lambda: csv_bytes(shown.final, lang), "comparison-final.csv",
                 t("download_final", lang), "concertation-compare-download-final")


COMPARE_CSS = """
.concertation-compare-presets .v-input--checkbox { margin-top: 0; padding-top: 0; }
.concertation-compare-presets .v-input--checkbox .v-messages { display: none; }
.concertation-compare-table { border-collapse: collapse; font-size: 0.9em; margin: 6px 0; }
.concertation-compare-table th, .concertation-compare-table td {
    padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: right; white-space: nowrap; }
.concertation-compare-table th:first-child, .concertation-compare-table td:first-child {
    text-align: left; }
"""


@solara.component
def ComparePage():
    """Pick presets, replications and years, run, see the bands and the final state."""
    lang = language.value
    solara.Title(t("compare_title", lang))
    top_bar(lang)
    solara.AppBarTitle(t("compare_title", lang))
    solara.Style(SIDEBAR_CSS + COMPARE_CSS)
    with solara.Sidebar(), solara.Column(gap="0px", classes=["concertation-sidebar"]):
        CompareControls(lang)
    with solara.Column(classes=["concertation-compare-page"]):
        CompareResults(lang)
