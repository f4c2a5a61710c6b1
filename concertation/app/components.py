"""The views of the page: network of actors and tables, Bourque's four-tendency diagram,
indicators over time, monitors and the info panel.

Each view has a pure part (rows read from the model's arrays, a matplotlib figure) that is
tested without a browser, and a thin Solara component. The charts are drawn by the browser
(charts.py, vega.py); after every step their rows, the monitors and the inspected details are
sent straight to their widgets (`use_monthly`), with no render of the page; a component
renders again only when the language, the selection or the run changes. The matplotlib
figures (on `matplotlib.figure.Figure`: no pyplot state shared between sessions) serve only
the PNG downloads.
"""

from __future__ import annotations

import html
import io
import itertools
from collections.abc import Callable
from typing import Any

import markdown
import numpy as np
import pandas as pd
import solara
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from mesa.visualization.utils import update_counter

from simulation import ConcertationModel
from simulation.categories import Tendency, label
from simulation.events import ORIGINS, events, events_signature, turnover
from simulation.state import theme_centres
from simulation.typology import DESCENDING

from . import charts
from .experiments import EXPERIMENTS
from .i18n import LANGUAGES, default_language, fmt, percent, t
from .info import CLOSING, INFO
from .inspect import (
    ACTOR,
    TABLE,
    HitMap,
    Selection,
    actor_name,
    selected_slots,
    selection_details,
    selection_title,
    table_name,
)
from .scene import (
    ACTOR_STYLE,
    EVENT_STYLE,
    FADED,
    HIGHLIGHT,
    ORIGIN_COLOUR,
    ORIGIN_MARKER,
    TENDENCY_COLOUR,
    TENDENCY_CORNERS,
    TERRITORIAL,
    THEME_LABEL_RADIUS,
    highlight,
    network_data,
    table_marker_size,
    tendency_points,
    theme_label,
)
from .vega import (
    FORMAT_LOCALES,
    VegaChart,
    parts_json,
    rows_json,
    shipped_libraries,
    spec_json,
)

# The language of the page. Solara keeps a module-level reactive variable per browser session.
language = solara.reactive(default_language())
# Projector mode (larger text for a room), per session too.
projector = solara.reactive(False)
PROJECTOR_CSS = """
html { font-size: 21px !important; }
.v-application .v-label, .v-application .v-input, .v-application .v-btn,
.v-application .v-card__title, .v-application .v-card__text { font-size: 1.1rem !important; }
"""

PLOTS = [  # (title key, columns, colours)
    ("p_tables", ["tables_active"], ["#444444"]),
    ("p_memberships", ["memberships_per_actor"], ["#3b75af"]),
    ("p_over_solicited", ["over_solicited_share"], ["#d73027"]),
    ("p_appropriation", ["appropriation", "instrumentalisation"], ["#1a9850", "#d73027"]),
    ("p_citizen_share", ["citizen_share"], ["#5bb5a2"]),
    ("p_projects", ["collective_projects"], ["#7b3294"]),
]


PLOTTED = sorted({column for _, columns, _ in PLOTS for column in columns})


def indicator_months(model: ConcertationModel) -> dict[str, np.ndarray]:
    """The year and the plotted indicators, one value per month since the start (read from
    the collector's lists: the whole model frame would cost ten times more every month)."""
    recorded = model.datacollector.model_vars
    return {column: np.asarray(recorded[column]) for column in ["year", *PLOTTED]}


def indicator_series(model: ConcertationModel) -> pd.DataFrame:
    """`indicator_months` as a frame indexed by year."""
    return pd.DataFrame(indicator_months(model)).set_index("year")


# Secondary text: dimmed from the theme's own text colour, so it stays legible in dark mode
# (a fixed grey did not).
NOTE = {"font-size": "0.8em", "opacity": "0.72"}

MONITORS = [  # (label key, indicator, format)
    ("m_tables_active", "tables_active", "int"),
    ("m_memberships", "memberships_per_actor", "float"),
    ("m_over_solicited", "over_solicited_share", "percent"),
    ("m_appropriation", "appropriation", "float"),
    ("m_instrumentalisation", "instrumentalisation", "float"),
    ("m_citizen_share", "citizen_share", "percent"),
    ("m_projects", "collective_projects", "int"),
    ("m_hyperconcertation", "hyperconcertation_index", "float"),
]


def monitor_values(model: ConcertationModel, lang: str) -> list[tuple[str, str]]:
    """(label, value) of each headline number of the current month, formatted for `lang`."""
    out = []
    for key, column, kind in MONITORS:
        value = float(model.indicators[column])
        if kind == "int":
            text = f"{value:.0f}"
        elif kind == "percent":
            text = percent(value, lang)
        else:
            text = fmt(value, lang)
        out.append((t(key, lang), text))
    return out


DPI = 90


# ---- figures ----------------------------------------------------------------------------------

def network_figure(model: ConcertationModel, lang: str, territory: int = 0,
                   selection: Selection | None = None) -> Figure:
    """Actors around the ring by mission, tables inside by agenda (shaped by origin, coloured
    by tendency), a line per seat and a dashed line per link between tables; the selection
    ringed in orange with its seats, the rest faded."""
    data = network_data(model, territory)
    lit = highlight(model, data, selection, territory)
    chosen, anything = lit.tables, lit.anything
    fig = Figure(figsize=(6.4, 7.6), dpi=DPI)
    ax = fig.add_axes((0.0, 0.3, 1.0, 0.7))
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.6, 1.6)

    if data.edges.size:
        segments = np.stack([data.actor_xy[data.edges[:, 0]], data.table_xy[data.edges[:, 1]]],
                            axis=1)
        ax.add_collection(LineCollection(segments, colors="#777777", linewidths=0.4,
                                         alpha=0.08 if anything else 0.18, zorder=1))
        if anything and lit.seats.any():
            ax.add_collection(LineCollection(segments[lit.seats], colors=HIGHLIGHT,
                                             linewidths=1.1, alpha=0.9, zorder=1.5))
    if data.links.size:
        ax.add_collection(LineCollection(data.table_xy[data.links], colors="#333333",
                                         linewidths=1.0, linestyles="--", alpha=0.6, zorder=2.5))
    grow = 4.0 if lit.actor_selected else 2.2
    for kind, (colour, marker, size) in ACTOR_STYLE.items():
        mask = data.actor_kind == kind
        if mask.any():
            ax.scatter(*data.actor_xy[mask].T, s=size, c=colour, marker=marker, linewidths=0,
                       alpha=FADED if anything else 0.85, zorder=2)
            bright = mask & lit.actors
            if bright.any():
                ax.scatter(*data.actor_xy[bright].T, s=size * grow, c=colour, marker=marker,
                           edgecolors=HIGHLIGHT, linewidths=1.2, zorder=2.6)
    if data.table_xy.size:
        colours = np.array([TENDENCY_COLOUR[Tendency(code)] for code in data.table_tendency])
        sizes = table_marker_size(data.table_members)
        for origin, (marker, _) in ORIGIN_MARKER.items():
            mask = data.table_origin == origin
            if not mask.any():
                continue
            scale = 2.5 if origin == TERRITORIAL else 1.0
            ax.scatter(*data.table_xy[mask].T, s=sizes[mask] * scale, c=colours[mask],
                       marker=marker, edgecolors="black", linewidths=0.6,
                       alpha=FADED if anything else 0.9, zorder=3)
            bright = mask & chosen
            if bright.any():
                ax.scatter(*data.table_xy[bright].T, s=sizes[bright] * scale, c=colours[bright],
                           marker=marker, edgecolors=HIGHLIGHT, linewidths=2.5, zorder=4)
    else:
        ax.text(0, 0, t("no_tables", lang), ha="center", va="center", color="#777777")

    themes = model.params.population.themes
    for theme, (cx, cy) in zip(themes, theme_centres(len(themes)), strict=True):
        ax.text(THEME_LABEL_RADIUS * cx, THEME_LABEL_RADIUS * cy, theme_label(theme, lang),
                ha="center", va="center", fontsize=9, color="#555555")
    territories = model.params.population.territories
    if territories > 1:
        ax.set_title(t("network_territory", lang, territory=territory + 1,
                       territories=territories), fontsize=9)

    actor_handles = [
        Line2D([], [], linestyle="", marker=marker, color=colour,
               markersize=6 if marker != "." else 9, label=t(f"actor_{label(kind)}", lang))
        for kind, (colour, marker, _) in ACTOR_STYLE.items()]
    table_handles = [
        Line2D([], [], linestyle="", marker="o", markerfacecolor=colour, markeredgecolor="black",
               markersize=8, label=t(f"tendency_{label(tendency)}", lang))
        for tendency, colour in TENDENCY_COLOUR.items()]
    origin_handles = [
        Line2D([], [], linestyle="", marker=marker, markerfacecolor="white",
               markeredgecolor="black", markersize=11 if marker == "*" else 7,
               label=t(f"legend_origin_{name}", lang))
        for marker, name in ORIGIN_MARKER.values()] + [
        Line2D([], [], linestyle="--", color="#333333", label=t("legend_links", lang))]
    legend = {"loc": "lower left", "fontsize": 9, "title_fontsize": 10, "frameon": False,
              "alignment": "left", "columnspacing": 1.2, "handletextpad": 0.3}
    fig.legend(handles=table_handles, bbox_to_anchor=(0.02, 0.19), ncol=2,
               title=t("legend_tables", lang), **legend)
    fig.legend(handles=origin_handles, bbox_to_anchor=(0.02, 0.085), ncol=3,
               title=t("legend_origins", lang), **legend)
    fig.legend(handles=actor_handles, bbox_to_anchor=(0.02, 0.0), ncol=4,
               title=t("legend_actors", lang), **legend)
    return fig


def tendency_figure(model: ConcertationModel, lang: str, selection: Selection | None = None
                    ) -> Figure:
    """Bourque's diagram: tables as points, descending ↔ ascending logic, interest ↔ cause;
    the selected table (or the selected actor's tables) ringed, the rest faded."""
    points = tendency_points(model)
    fig = Figure(figsize=(6.6, 5.0), dpi=DPI)
    ax = fig.add_axes((0.09, 0.11, 0.89, 0.86))
    ax.set_xlim(-1.0, 1.0)
    ax.set_ylim(0.0, 1.0)
    ax.axvline(0.0, color="#999999", linewidth=0.8, zorder=0)
    ax.axhline(DESCENDING, color="#999999", linewidth=0.8, zorder=0)
    for tendency, x, y, ha, va in TENDENCY_CORNERS:
        ax.text(x, y, t(f"tendency_{label(tendency)}", lang), ha=ha, va=va, fontsize=11,
                fontweight="bold", color=TENDENCY_COLOUR[tendency], zorder=3,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 1})
    ax.text(0.0, DESCENDING, t("tendency_centre", lang), ha="center", va="center",
            fontsize=8, color="#555555",
            bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "#999999"}, zorder=1)
    xy = np.column_stack([points["x"].clip(-0.99, 0.99), points["y"].clip(0.01, 0.99)])
    if len(points):
        colours = np.array([TENDENCY_COLOUR[Tendency(code)] for code in points["tendency"]])
        sizes = table_marker_size(points["members"])
        chosen = np.zeros(len(points), dtype=bool)
        if selection is not None:
            slots, _ = selected_slots(model, selection, selection.territory)
            ids = model.store.table_id[selection.territory, slots]
            chosen = (points["territory"] == selection.territory).to_numpy() & np.isin(
                points["table_id"], ids)
        ax.scatter(*xy.T, s=sizes, c=colours, edgecolors="black", linewidths=0.6,
                   alpha=FADED if selection is not None else 0.75, zorder=2)
        if chosen.any():
            ax.scatter(*xy[chosen].T, s=sizes[chosen], c=colours[chosen], edgecolors=HIGHLIGHT,
                       linewidths=2.5, zorder=4)
    ax.set_xlabel(t("tendency_x", lang), fontsize=9)
    ax.set_ylabel(t("tendency_y", lang), fontsize=9)
    ax.tick_params(labelsize=8)
    return fig


def indicators_figure(model: ConcertationModel, lang: str, reference=None) -> Figure:
    """Six small plots of the hyperconcertation symptoms over time; a reference run
    (`experiments.Reference`: the previous run, or a guided experiment's) drawn faintly."""
    series = indicator_series(model)
    years = series.index.to_numpy()
    start = model.params.run.start_year
    end = start + model.params.run.years
    fig = Figure(figsize=(7.6, 4.6), dpi=DPI)
    axes = fig.subplots(2, 3, sharex=True)
    for ax, (title, columns, colours) in zip(axes.flat, PLOTS, strict=True):
        for column, colour in zip(columns, colours, strict=True):
            name = t(f"l_{column}", lang) if len(columns) > 1 else None
            if reference is not None:
                ax.plot(reference.series.index.to_numpy(), reference.series[column].to_numpy(),
                        color=colour, linewidth=1.2, linestyle="--", alpha=0.4)
            ax.plot(years, series[column].to_numpy(), color=colour, linewidth=1.4, label=name)
        ax.set_title(t(title, lang), fontsize=9)
        ax.set_xlim(start, end)
        ax.set_ylim(bottom=0)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        if len(columns) > 1:
            ax.legend(fontsize=7, loc="upper left", frameon=False)
    happened = events(model)
    for ax in axes.flat:
        mark_events(ax, happened)
    for ax in axes[1]:
        ax.set_xlabel(t("year", lang), fontsize=8)
    if reference is not None:
        fig.text(0.99, 0.995, t("reference_legend", lang, label=reference.label(lang)), ha="right",
                 va="top", fontsize=8, color="#555555")
    fig.subplots_adjust(left=0.07, right=0.98, top=0.91, bottom=0.1, wspace=0.3, hspace=0.35)
    if lang == "fr":
        for ax in axes.flat:
            ax.yaxis.set_major_formatter(_decimal_comma)
    return fig




def timeline_figure(model: ConcertationModel, lang: str) -> Figure:
    """Tables created (above the axis) and dissolved (below) each year, stacked by origin,
    with the events marked: the territory's turnover and what causes it."""
    counts = turnover(model)
    start = model.params.run.start_year
    fig = Figure(figsize=(7.6, 2.8), dpi=DPI)
    ax = fig.add_axes((0.08, 0.17, 0.7, 0.75))
    shown = counts[counts["year"] <= start + model.steps / 12]
    created = np.zeros(shown["year"].nunique())
    dissolved = np.zeros_like(created)
    for origin in ORIGINS:
        rows = shown[shown["origin"] == origin]
        years = rows["year"].to_numpy() + 0.5
        colour = ORIGIN_COLOUR[origin]
        ax.bar(years, rows["created"], bottom=created, width=0.8, color=colour,
               label=t(f"legend_origin_{origin}", lang))
        ax.bar(years, -rows["dissolved"].to_numpy(), bottom=-dissolved, width=0.8, color=colour,
               alpha=0.55)
        created += rows["created"].to_numpy()
        dissolved += rows["dissolved"].to_numpy()
    ax.axhline(0, color="#555555", linewidth=0.8)
    ax.set_xlim(start, start + model.params.run.years)
    ax.set_ylabel(t("timeline_y", lang), fontsize=8)
    ax.set_xlabel(t("year", lang), fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3, axis="y")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(lambda value, _position: f"{abs(value):g}")
    mark_events(ax, events(model))
    fig.legend(loc="upper left", bbox_to_anchor=(0.79, 0.92), fontsize=8, frameon=False,
               title=t("legend_origins", lang), title_fontsize=9, alignment="left")
    return fig


def mark_events(ax, happened: pd.DataFrame) -> None:
    """Programme launches and ends as small marks along the time axis; a funder's exit and
    a territorial table's opening as dashed lines across the plot."""
    transform = ax.get_xaxis_transform()  # x in years, y in the axes' height
    for kind, (colour, marker) in EVENT_STYLE.items():
        years = happened.loc[happened["kind"] == kind, "year"].to_numpy()
        if not years.size:
            continue
        if marker is None:
            for year in years:
                ax.axvline(year, color=colour, linestyle="--", linewidth=1.0, alpha=0.8)
        else:
            ax.scatter(years, np.full(years.size, 0.035), s=14, marker=marker, color=colour,
                       alpha=0.7, transform=transform, clip_on=False, zorder=3, linewidths=0)


def event_account(model: ConcertationModel, lang: str, happened: pd.DataFrame | None = None
                  ) -> str:
    """A short running account of the events that change a territory: funders' exits and
    what became of their tables, territorial tables opening (`happened`: the model's events,
    when the caller has them)."""
    happened = events(model) if happened is None else happened
    told = happened[happened["kind"].isin(["funder_exit", "territorial_table"])]
    sentences = []
    for kind, year, funder, tables, dissolved in zip(
            told["kind"], told["year"], told["funder"], told["tables"],
            told["dissolved_within_year"], strict=True):
        if kind == "funder_exit":
            text = t("event_exit", lang, year=int(year), funder=funder, tables=tables)
            if pd.isna(dissolved):
                text += t("event_exit_pending", lang)
            else:
                key = "event_exit_after_one" if dissolved == 1 else "event_exit_after"
                text += t(key, lang, dissolved=dissolved)
            sentences.append(text)
        else:
            sentences.append(t("event_territorial", lang, year=int(year)))
    return " ".join(sentences)


def _decimal_comma(value: float, _position: int) -> str:
    return f"{value:g}".replace(".", ",")


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG (light compression: half the time of the default, about the size)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def csv_bytes(frame: pd.DataFrame, lang: str) -> bytes:
    """A frame as CSV for the reader's spreadsheet: in French `;` and decimal commas (what
    Excel in French opens as columns), in English `,` and points; UTF-8 with a BOM."""
    if lang == "fr":
        return frame.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
    return frame.to_csv(index=False).encode("utf-8-sig")


# ---- Solara components ----------------------------------------------------------------------

@solara.component
def Download(data, filename: str, label: str, css: str):
    """A small download button; `data` may be a function, called only when clicked."""
    solara.FileDownload(data, filename=filename, label=label, mime_type="application/octet-stream",
                        children=[solara.Button(label, icon_name="mdi-download", text=True,
                                                small=True, classes=[css])])


def _select_at(hits: Callable[[], HitMap], frame: charts.Frame, selection: solara.Reactive):
    """What a click on a chart does: select what is drawn nearest (`hits()`: what is drawn
    now), or clear the selection."""
    def select(click: dict) -> None:
        if click:
            selection.set(frame.select(hits(), click))
    return select


def events_now(model: ConcertationModel) -> pd.DataFrame:
    """The model's events up to this month, computed again only when one changed, however
    many views ask (`events_signature`: a month's events cost a seventh of its views)."""
    cached = getattr(model, "_events_of_month", None)  # (month, signature, events)
    if cached is None or cached[0] != model.steps:
        signature = events_signature(model)
        same = cached is not None and cached[1] == signature
        cached = (model.steps, signature, cached[2] if same else events(model))
        model._events_of_month = cached
    return cached[2]


class MonthlyPushes:
    """The views' pushes (`use_monthly`), called in order after each step: the chart the
    pacer waits for first. Why: Solara calls a variable's listeners in no set order, and the
    browser draws in the order the rows arrive; the pacer's chart drawn after the others
    made every month wait for them (in the session measured, the network's rows arrived
    after the indicators' and the diagram's)."""

    def __init__(self) -> None:
        self._entries: list[tuple[int, int, Callable[[int], None]]] = []
        self._added = itertools.count()

    def add(self, push: Callable[[int], None], first: bool) -> Callable[[], None]:
        """Call `push` after each step; returns what stops it. The list is replaced, never
        changed in place: a step's thread may be going through it."""
        entry = (0 if first else 1, next(self._added), push)
        self._entries = sorted([*self._entries, entry], key=lambda e: e[:2])

        def remove() -> None:
            self._entries = [kept for kept in self._entries if kept is not entry]
        return remove

    def __call__(self, counter: int) -> None:
        for _, _, push in self._entries:
            push(counter)


MONTHLY = solara.create_context(None)  # the page's MonthlyPushes (Views provides it)


def use_monthly(element: solara.Element, trait: str, value: Callable[[], Any],
                dependencies: list, stamp: bool = False, first: bool = False) -> None:
    """Set the widget of `element`'s `trait` to `value()` now and after every step (when it
    changed); the element must not carry `trait` itself, or a render of the page would put
    the element's value back.

    Why: a render of the page after a step was most of a month's cost on the server (reacton
    walks and reconsolidates some two hundred elements to change a few strings), so nothing
    of ours listens to Mesa's `update_counter`; what a month changes is sent to its widget
    here. `dependencies`: what else `value()` reads (the selection, the language, the run).
    `stamp`: set the widget's `month` to the counter in the same message (a chart's rows).
    `first`: before the others of the page (`MonthlyPushes`); outside `Views`, in no order.
    """
    shown = solara.use_ref(None)  # the element's widget, as found at the last mount
    pushes = solara.use_context(MONTHLY)

    def follow() -> Callable[[], None] | None:
        try:
            shown.current = solara.get_widget(element)
        except KeyError:
            # Reacton keeps the earlier element, and its widget, when the new one is equal.
            pass
        widget = shown.current
        if widget is None:
            return None

        def push(_counter: int | None = None) -> None:
            new = value()
            if getattr(widget, trait) != new:
                with widget.hold_sync():
                    if stamp:
                        widget.month = update_counter.value
                    setattr(widget, trait, new)
        push()
        return pushes.add(push, first) if pushes is not None else update_counter.subscribe(push)

    solara.use_effect(follow, dependencies)


def _span(style: dict[str, str] | None = None, css: str = "") -> solara.Element:
    """What `solara.Text` draws, without its text: `use_monthly` sets it."""
    return solara.v.Html(tag="span", class_=css, style_=solara.util._flatten_style(style))


@solara.component
def ShowSteps(model):
    """Mesa's "Time: n" line, sent after every step (`use_monthly`) instead of rendered.

    Mesa's own `ShowSteps` listens to `update_counter` from inside the sidebar, and a render
    there reconsolidates the whole page (the sidebar is a portal of the app layout): a third
    of a month's cost on the server. The page puts this one in its place (page.py).
    """
    text = _span()
    use_monthly(text, "children", lambda: [f"Time: {model.time}"], [model])


@solara.component
def NetworkView(model: ConcertationModel, selection: solara.Reactive):
    """The first territory's network, drawn in the browser; only its rows change."""
    lang = language.value
    spec = solara.use_memo(lambda: charts.network_spec(model, lang), dependencies=[model, lang])
    chosen = selection.value
    # Where a click lands is read against the tables and actors as drawn, which move monthly.
    hits = solara.use_ref(None)  # set with the rows (`read`)

    def read() -> str:
        data = network_data(model, 0)
        hits.current = charts.network_hits(data, 0)
        return parts_json(charts.network_parts(model, lang, data,
                                               highlight(model, data, chosen, 0)))

    _Chart(t("network_title", lang), spec, t("network_caption", lang),
           "concertation-network",
           lambda: network_figure(model, lang, selection=chosen),
           on_click=_select_at(lambda: hits.current, charts.NETWORK_FRAME, selection),
           monthly=(read, [model, lang, chosen]),
           on_drawn=pacer_told(model))


@solara.component
def TendencyView(model: ConcertationModel, selection: solara.Reactive):
    lang = language.value
    spec = solara.use_memo(lambda: charts.tendency_spec(lang), dependencies=[lang])
    chosen = selection.value
    hits = solara.use_ref(None)

    def read() -> str:
        parts, hits.current = charts.tendency_parts(model, lang, chosen)
        return parts_json(parts)

    _Chart(t("tendency_title", lang), spec, t("tendency_caption", lang),
           "concertation-tendency",
           lambda: tendency_figure(model, lang, selection=chosen),
           on_click=_select_at(lambda: hits.current, charts.TENDENCY_FRAME, selection),
           monthly=(read, [model, lang, chosen]))


@solara.component
def _Chart(title: str, spec: dict, caption: str, css: str, draw_png,
           monthly: tuple[Callable[[], str], list], on_click=None,
           live_caption: Callable[[], str] | None = None,
           on_drawn: Callable[[int], None] | None = None):
    """A chart drawn in the browser (charts.py) in a card, with its caption and a PNG
    download drawn by matplotlib only when asked for; clickable if `on_click` takes the
    click's {x, y} in the chart's data coordinates. `monthly`: the rows' function and what it
    depends on, sent now and after every step (`use_monthly`); `live_caption`: text added to
    the caption that changes with the months; `on_drawn(month)`: the browser has drawn the
    rows of that month (Mesa's redraw counter)."""
    paths = solara.use_memo(shipped_libraries, dependencies=[])
    encoded = solara.use_memo(lambda: spec_json(spec), dependencies=[spec])
    lang = language.value
    with solara.Card(margin=0, classes=[css], style={"height": "100%"}):
        solara.Text(title, style={"font-size": "1.1em", "font-weight": "500"})
        chart = VegaChart.element(spec=encoded, paths=paths,
                                  locale=FORMAT_LOCALES[lang], chart_class=f"{css}-chart",
                                  clickable=on_click is not None, on_click=on_click)
        use_monthly(chart, "rows", *monthly, stamp=True, first=on_drawn is not None)
        solara.use_effect(lambda: _follow_drawing(chart, on_drawn), [on_drawn])
        def full_caption() -> list[str]:
            return [" ".join(filter(None, [caption, live_caption() if live_caption else ""]))]
        note = _span(NOTE, f"{css}-caption")
        use_monthly(note, "children", full_caption, [caption, live_caption])
        Download(lambda: figure_png(draw_png()), f"{css.removeprefix('concertation-')}.png",
                 t("download_png", lang), f"{css}-download")


def _follow_drawing(chart: solara.Element, on_drawn: Callable[[int], None] | None
                    ) -> Callable[[], None] | None:
    """Call `on_drawn` with each month the browser reports drawn on `chart`'s canvas."""
    if on_drawn is None:
        return None
    try:
        widget = solara.get_widget(chart)
    except KeyError:  # not drawn in this render: nothing to follow
        return None

    def drawn(change: dict) -> None:
        on_drawn(change["new"])
    widget.observe(drawn, "drawn_month")
    return lambda: widget.unobserve(drawn, "drawn_month")


@solara.component
def IndicatorsView(model: ConcertationModel, reference=None):
    """Only the month's rows go to the browser; the spec is rebuilt with the language, the
    scenario or the reference run."""
    lang = language.value
    spec = solara.use_memo(lambda: charts.indicators_spec(model, lang, PLOTS, reference),
                           dependencies=[model, lang, reference])

    def read() -> str:
        return parts_json(charts.indicators_parts(model, indicator_months(model), reference,
                                                  events_now(model)))

    compared = t("reference_legend", lang, label=reference.label(lang)) + "." if reference else ""
    _Chart(t("plots_title", lang), spec,
           " ".join(filter(None, [compared, t("events_legend", lang)])),
           "concertation-indicators", lambda: indicators_figure(model, lang, reference),
           monthly=(read, [model, reference]),
           live_caption=lambda: event_account(model, lang, events_now(model)))


@solara.component
def TimelineView(model: ConcertationModel):
    lang = language.value
    spec = solara.use_memo(lambda: charts.timeline_spec(model, lang),
                           dependencies=[model, lang])

    last = solara.use_ref((None, ""))

    def read() -> str:
        # The bars change in a month only when a table opens or closes, a year begins or an
        # event happens: the rows are built again only then (they were a seventh of a month).
        happened = events_now(model)
        registry = model.registry
        key = (id(model), model.steps // 12, len(registry), registry.dissolved.count(None),
               len(happened))
        if last.current[0] != key:
            last.current = (key, rows_json(charts.timeline_rows(model, happened)))
        return last.current[1]

    _Chart(t("timeline_title", lang), spec, t("timeline_caption", lang),
           "concertation-timeline", lambda: timeline_figure(model, lang),
           monthly=(read, [model]))


@solara.component
def _Picker(kind: str, items: Callable[[], list[dict]], label: str,
            selection: solara.Reactive, dependencies: list):
    """A searchable list of the tables (or actors) of the first territory; picking one selects
    it, as a click on the figure would. `items()` is asked again after every step (tables
    open and close)."""
    current = selection.value
    picker = solara.v.Autocomplete(
        label=label, dense=True,
        v_model=current.key if current and current.kind == kind else None,
        on_v_model=lambda key: key is not None and selection.set(Selection(kind, 0, int(key))),
        class_=f"concertation-inspect-{kind}", style_="min-width: 12em")
    use_monthly(picker, "items", items, dependencies)


@solara.component
def InspectPanel(model: ConcertationModel, selection: solara.Reactive):
    """The selected table or actor, described; lists to pick one without clicking a figure.
    What a month changes (the description, the tables open) is sent after every step."""
    lang = language.value
    store = model.store
    names: dict[int, str] = solara.use_memo(dict, dependencies=[model, lang])

    def table_items() -> list[dict]:
        live_ids = store.table_id[0, np.flatnonzero(store.live[0])].tolist()
        return [{"text": names.get(table_id) or names.setdefault(
            table_id, table_name(model, table_id, lang)), "value": table_id}
            for table_id in live_ids]

    # The actors stay for the whole run: their list is built once (it was 6 ms a month).
    actors = solara.use_memo(
        lambda: [{"text": actor_name(model, a, lang), "value": a} for a in range(model.actors.n)],
        dependencies=[model, lang])

    def actor_items() -> list[dict]:
        return actors

    current = selection.value
    with solara.Card(margin=0, classes=["concertation-inspect"], style={"height": "100%"}):
        # A block with room below: the pickers' floating labels touched the title.
        solara.Text(t("inspect_title", lang), style={"font-size": "1.1em", "font-weight": "500",
                                                     "display": "block", "margin-bottom": "14px"})
        with solara.Row(gap="8px", style={"flex-wrap": "wrap"}):
            _Picker(TABLE, table_items, t("inspect_pick_table", lang), selection,
                    [model, lang])
            _Picker(ACTOR, actor_items, t("inspect_pick_actor", lang), selection,
                    [model, lang])
        if current is None:
            solara.Text(t("inspect_hint", lang), style=NOTE)
        else:
            _Selected(model, selection, lang)


@solara.component
def _Selected(model: ConcertationModel, selection: solara.Reactive, lang: str):
    """The selected table's or actor's name and details, followed month by month."""
    current = selection.value  # None for the render that takes this panel away

    def title() -> list[str]:
        return [selection_title(model, current, lang) if current else ""]

    def details() -> str:
        if current is None:
            return ""
        return "".join(f"<tr><th>{html.escape(name)}</th><td>{html.escape(value)}</td></tr>"
                       for name, value in selection_details(model, current, lang))

    name = _span({"font-weight": "500", "display": "block", "margin-top": "6px"},
                 "concertation-inspect-name")
    use_monthly(name, "children", title, [model, current, lang])
    table = solara.widgets.HTML.element(
        tag="table",
        attributes={"class": "concertation-inspect-details",
                    "style": "font-size: 0.85em; text-align: left; border-spacing: 6px 2px"})
    use_monthly(table, "unsafe_innerHTML", details, [model, current, lang])
    solara.Button(t("inspect_clear", lang), icon_name="mdi-close", text=True, small=True,
                  on_click=lambda: selection.set(None), classes=["concertation-inspect-clear"])


@solara.component
def InfoPanel(model: ConcertationModel, on_experiment=None):
    """What the model is, how it works, what to notice, then the guided experiments (a button
    each, when the page can run them: `on_experiment(name)`). Markdown rendered here
    (solara.Markdown would load KaTeX from a CDN, which solara-assets does not ship)."""
    lang = language.value
    intro, closing = solara.use_memo(
        lambda: (markdown.markdown(INFO[lang]), markdown.markdown(CLOSING[lang])),
        dependencies=[lang])
    with solara.Card(margin=0, classes=["concertation-info"],
                     style={"height": "100%", "max-height": "640px", "overflow": "auto"}):
        solara.Text(t("info_title", lang), style={"font-size": "1.1em", "font-weight": "500"})
        solara.HTML(tag="div", unsafe_innerHTML=intro, style="font-size: 0.9em")
        solara.HTML(tag="h3", unsafe_innerHTML=html.escape(t("experiments_title", lang)))
        solara.Text(t("experiments_hint", lang), style=NOTE)
        for experiment in EXPERIMENTS:
            with solara.Row(style={"align-items": "center", "gap": "8px"}):
                if on_experiment is not None:
                    solara.Button(t("experiment_button", lang), icon_name="mdi-flask-outline",
                                  small=True, outlined=True,
                                  on_click=lambda name=experiment.name: on_experiment(name),
                                  classes=[f"concertation-experiment-{experiment.name}"])
                solara.HTML(tag="div", unsafe_innerHTML=markdown.markdown(
                    t(f"experiment_{experiment.name}", lang)), style="font-size: 0.9em")
        solara.HTML(tag="div", unsafe_innerHTML=closing, style="font-size: 0.9em")


@solara.component
def Monitors(model: ConcertationModel, summary: str = ""):
    """NetLogo-style monitors: the month and the headline numbers, sent after each step."""
    lang = language.value

    def date() -> str:
        year = model.params.run.start_year + model.steps / 12
        return t("monitor_date", lang, step=model.steps, year=f"{year:.0f}")

    def status() -> str:
        return t("monitor_running" if model.running else "monitor_finished", lang)

    last = solara.use_ref((None, []))

    def values() -> list[tuple[str, str]]:
        """The month's monitors, formatted once however many tiles ask."""
        key = (id(model), model.steps, lang)
        if last.current[0] != key:
            last.current = (key, monitor_values(model, lang))
        return last.current[1]

    with solara.Row(style={"flex-wrap": "wrap", "gap": "8px", "align-items": "stretch"},
                    classes=["concertation-monitors"]):
        _Tile(date, status, "monitor-step", [model, lang])
        for index in range(len(MONITORS)):
            _Tile(lambda index=index: values()[index][0],
                  lambda index=index: values()[index][1],
                  f"monitor-{MONITORS[index][1]}", [model, lang])
    if summary:
        solara.Text(summary, style=NOTE,
                    classes=["concertation-in-use"])
    run = f"{model.preset}-seed{model.seed_value}" if hasattr(model, "preset") else "run"
    with solara.Row(gap="4px"):
        Download(lambda: csv_bytes(model.model_frame(), lang), f"indicators-{run}.csv",
                 t("download_indicators", lang), "concertation-download-indicators")
        Download(lambda: csv_bytes(model.table_records(), lang), f"tables-{run}.csv",
                 t("download_tables", lang), "concertation-download-tables")


@solara.component
def _Tile(name: Callable[[], str], value: Callable[[], str], css: str, dependencies: list):
    with solara.v.Sheet(outlined=True, rounded=True, class_=f"pa-2 {css}",
                        style_="min-width: 9em"):
        label = _span(NOTE | {"font-size": "0.75em", "display": "block"})
        shown = _span({"font-size": "1.3em", "font-weight": "500"})
    use_monthly(label, "children", lambda: [name()], dependencies)
    use_monthly(shown, "children", lambda: [value()], dependencies)


@solara.component
def Views(model: ConcertationModel, summary: str = "", reference=None, on_experiment=None):
    """The monitors, then the main area: network and tendencies side by side, then the
    indicators and the inspect panel, then the info panel (stacked on narrow screens). A
    click on the network or the diagram selects what is drawn there; a new model clears it.

    Nothing here listens to Mesa's `update_counter`: what a month changes is sent to its
    widgets after every step (`use_monthly`); the app model's pacer is told when the browser
    has drawn the month's network (the largest chart)."""
    selection = solara.use_reactive(None)
    solara.use_effect(lambda: selection.set(None), [model])
    pushes = solara.use_memo(MonthlyPushes, dependencies=[])
    solara.provide_context(MONTHLY, pushes)
    solara.use_effect(lambda: update_counter.subscribe(pushes), [])
    Monitors(model, summary)
    with solara.ColumnsResponsive(12, large=6):
        NetworkView(model, selection)
        TendencyView(model, selection)
    with solara.ColumnsResponsive(12, large=[7, 5]):
        IndicatorsView(model, reference)
        InspectPanel(model, selection)
    with solara.ColumnsResponsive(12, large=[7, 5]):
        TimelineView(model)
        InfoPanel(model, on_experiment)


def pacer_told(model: ConcertationModel) -> Callable[[int], None]:
    """What tells the model's pacer the browser has drawn a month: one function per model
    (an effect that follows it is not set up again at every render)."""
    told = getattr(model, "_pacer_told", None)
    if told is None:
        def told(counter: int) -> None:
            views_drawn(model, counter)
        model._pacer_told = told
    return told


def views_drawn(model: ConcertationModel, counter: int) -> None:
    """Tell the app model's pacer the views now show redraw `counter` (a plain model has none)."""
    pacer = getattr(model, "pacer", None)
    if pacer is not None:
        pacer.drawn(counter)


# ---- the top bar, shared by the pages -------------------------------------------------------

LIVE_PATH = "/"
COMPARE_PATH = "/compare"
ODD_PATH = "/odd"
# The sidebar's width, and slider labels on their own line above the slider (long labels, two
# languages).
SIDEBAR_CSS = """
.concertation-sidebar { max-width: 380px; }
/* Mesa's controls (Reset, Play, Step, speeds) above the scenario and the levers: in view on a
   1280x800 projector. SolaraViz renders them after the page's own sidebar cards. */
.v-navigation-drawer__content > div:has(> .concertation-sidebar) {
    display: flex; flex-direction: column; }
.v-navigation-drawer__content > div > .concertation-sidebar { order: 1; }
/* On a phone (Vuetify's mobile drawer, under 960 px) the sidebar opens over the page: keep the
   app bar (its menu button closes the sidebar) and a strip of the page (a tap there closes it
   too) in view. */
.v-navigation-drawer--is-mobile.v-navigation-drawer--open {
    top: 104px !important; height: calc(100% - 104px) !important; width: 85vw !important;
    min-width: 0 !important; }
.v-app-bar.v-app-bar--fixed { z-index: 7 !important; }  /* over the drawer's scrim */
/* On a phone the app bar keeps the title legible: no "Language:" label before the toggle,
   and a title too long for the bar ends in an ellipsis instead of being clipped. */
@media (max-width: 600px) { .concertation-language-label { display: none; } }
.v-app-bar .v-toolbar__title { text-overflow: ellipsis; min-width: 0; }
.concertation-levers .v-input__slider .v-input__slot { flex-wrap: wrap; }
.concertation-levers .v-input__slider .v-input__slot > .v-label {
    flex: 0 0 100%; max-width: 100%; white-space: normal; margin-bottom: 8px; }
"""


@solara.component
def LanguageToggle():
    solara.ToggleButtonsSingle(
        value=language.value, on_value=language.set, dense=True, mandatory=True,
        classes=["concertation-language"],
        children=[solara.Button(code.upper(), value=code, text=True,
                                classes=[f"concertation-lang-{code}"]) for code in LANGUAGES])


def top_bar(lang: str) -> None:
    """The app bar of every page: the pages as tabs (placed under the bar by Solara's
    AppLayout, which takes a Tabs element among the app bar's children) and the language."""
    with solara.AppBar():
        with solara.lab.Tabs(align="left", dark=True, background_color="primary"):
            solara.lab.Tab(t("nav_live", lang), path_or_route=LIVE_PATH,
                           classes=["concertation-nav-live"])
            solara.lab.Tab(t("nav_compare", lang), path_or_route=COMPARE_PATH,
                           classes=["concertation-nav-compare"])
            solara.lab.Tab(t("nav_odd", lang), path_or_route=ODD_PATH,
                           classes=["concertation-nav-odd"])
        solara.Text(t("language", lang) + ":", style={"margin-right": "4px"},
                    classes=["concertation-language-label"])
        LanguageToggle()
        solara.Button(icon_name="mdi-projector-screen", icon=True, dark=True,
                      on_click=lambda: projector.set(not projector.value),
                      classes=["concertation-projector"] + (["v-btn--active"] if projector.value
                                                            else []),
                      attributes={"title": t("projector", lang)})
    if projector.value:
        solara.Style(PROJECTOR_CSS)
