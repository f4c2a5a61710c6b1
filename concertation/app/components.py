"""The views of the page: network of actors and tables, Bourque's four-tendency diagram,
indicators over time, monitors and the info panel.

Each view has a pure part (data read from the model's arrays, a matplotlib figure) that is
tested without a browser, and a thin Solara component that redraws it after every step
(Mesa's `update_counter`) or when the language changes. Figures are drawn on
`matplotlib.figure.Figure` (no pyplot state shared between sessions) and sent as PNG.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

import markdown
import numpy as np
import pandas as pd
import reacton.ipywidgets as rw
import solara
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from mesa.visualization.utils import update_counter

from simulation import ConcertationModel
from simulation.categories import ActorType, Tendency, label
from simulation.events import events
from simulation.state import theme_centres
from simulation.typology import DESCENDING, INTEREST

from .i18n import LANGUAGES, default_language, fmt, percent, t, t_or
from .info import INFO

# The language of the page. Solara keeps a module-level reactive variable per browser session.
language = solara.reactive(default_language())

# ---- colours and shapes ---------------------------------------------------------------------

ACTOR_STYLE = {  # colour, marker, size
    ActorType.COMMUNITY_GROUP: ("#3b75af", "o", 16),
    ActorType.INSTITUTION: ("#7b3294", "D", 26),
    ActorType.FUNDER_AGENT: ("#111111", "s", 34),
    ActorType.CITIZEN: ("#5bb5a2", ".", 14),
}
TENDENCY_COLOUR = {
    Tendency.EMPOWERMENT: "#1a9850",
    Tendency.INSTRUMENTALISATION: "#d73027",
    Tendency.AUTONOMISTE: "#f0b321",
    Tendency.AFFAIRISTE: "#8c510a",
}
TABLE_RADIUS = 0.55  # tables drawn inside the ring of actors: agenda scaled by this
THEME_LABEL_RADIUS = 1.45
DPI = 90


def table_marker_size(members: np.ndarray) -> np.ndarray:
    """Marker area (points²) of a table with `members` members."""
    return 25.0 + 9.0 * np.asarray(members, dtype=float)


# ---- data read from the model (pure functions) -------------------------------------------

@dataclass(frozen=True)
class NetworkData:
    """One territory's actors and live tables, with one edge per seat."""

    actor_xy: np.ndarray  # (n, 2) actors' missions in the issue space
    actor_kind: np.ndarray  # (n,) ActorType codes
    table_slot: np.ndarray  # (k,) slots of the live tables
    table_id: np.ndarray  # (k,)
    table_xy: np.ndarray  # (k, 2) agendas, drawn at TABLE_RADIUS
    table_members: np.ndarray  # (k,)
    table_tendency: np.ndarray  # (k,) Tendency codes
    edges: np.ndarray  # (e, 2) pairs (actor index, index into the k tables)


def network_data(model: ConcertationModel, territory: int = 0) -> NetworkData:
    """Actors, live tables and memberships of one territory, from the model's arrays."""
    store = model.store
    slots = np.flatnonzero(store.live[territory])
    membership = store.membership[territory][:, slots]  # (n, k)
    actor_index, table_index = np.nonzero(membership)
    return NetworkData(
        actor_xy=np.asarray(model.actors.position[territory], dtype=float),
        actor_kind=np.asarray(model.actors.kind),
        table_slot=slots,
        table_id=store.table_id[territory, slots].copy(),
        table_xy=TABLE_RADIUS * store.agenda[territory, slots],
        table_members=membership.sum(axis=0),
        table_tendency=store.tendency[territory, slots].copy(),
        edges=np.stack([actor_index, table_index], axis=1),
    )


def tendency_points(model: ConcertationModel) -> pd.DataFrame:
    """Every live table as a point of Bourque's diagram (simulation/typology.py).

    x = 2 × (INTEREST − interest share): common cause to the right, organisational interest to
    the left; y = the top-down share of agenda-setting, descending logic in the upper half;
    with the model's tendency, members and funding.
    """
    store = model.store
    territory, slot = np.nonzero(store.live)
    return pd.DataFrame({
        "table_id": store.table_id[territory, slot],
        "territory": territory,
        "x": 2.0 * (INTEREST - store.interest_share[territory, slot]),
        "y": store.instrumentalisation[territory, slot],
        "members": store.membership[territory, :, slot].sum(axis=1),
        "tendency": store.tendency[territory, slot].astype(int),
        "funded": store.funded[territory, slot],
    })


def quadrant(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The tendency a point of the diagram stands for (the model's reading of the axes)."""
    cause = np.asarray(x) > 0
    descending = np.asarray(y) >= DESCENDING
    return np.select(
        [descending & cause, descending & ~cause, ~descending & cause],
        [Tendency.EMPOWERMENT, Tendency.INSTRUMENTALISATION, Tendency.AUTONOMISTE],
        default=Tendency.AFFAIRISTE,
    ).astype(int)


PLOTS = [  # (title key, columns, colours)
    ("p_tables", ["tables_active"], ["#444444"]),
    ("p_memberships", ["memberships_per_actor"], ["#3b75af"]),
    ("p_over_solicited", ["over_solicited_share"], ["#d73027"]),
    ("p_appropriation", ["appropriation", "instrumentalisation"], ["#1a9850", "#d73027"]),
    ("p_citizen_share", ["citizen_share"], ["#5bb5a2"]),
    ("p_projects", ["collective_projects"], ["#7b3294"]),
]


def indicator_series(model: ConcertationModel) -> pd.DataFrame:
    """The plotted indicators, one row per month since the start, indexed by year."""
    frame = model.datacollector.get_model_vars_dataframe()
    columns = sorted({c for _, cols, _ in PLOTS for c in cols})
    return frame[["year", *columns]].set_index("year")


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


# ---- figures ----------------------------------------------------------------------------------

def theme_label(theme: str, lang: str) -> str:
    """A theme's name in `lang`, on short lines."""
    return textwrap.fill(t_or(f"theme_{theme}", lang, theme.replace("_", " ")), 14)


def network_figure(model: ConcertationModel, lang: str, territory: int = 0) -> Figure:
    """Actors around the ring by mission, tables inside by agenda, a line per seat."""
    data = network_data(model, territory)
    fig = Figure(figsize=(6.4, 6.8), dpi=DPI)
    ax = fig.add_axes((0.0, 0.25, 1.0, 0.75))
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.6, 1.6)

    if data.edges.size:
        segments = np.stack([data.actor_xy[data.edges[:, 0]], data.table_xy[data.edges[:, 1]]],
                            axis=1)
        ax.add_collection(LineCollection(segments, colors="#777777", linewidths=0.4, alpha=0.18,
                                         zorder=1))
    for kind, (colour, marker, size) in ACTOR_STYLE.items():
        mask = data.actor_kind == kind
        if mask.any():
            ax.scatter(*data.actor_xy[mask].T, s=size, c=colour, marker=marker, linewidths=0,
                       alpha=0.85, zorder=2)
    if data.table_xy.size:
        colours = [TENDENCY_COLOUR[Tendency(code)] for code in data.table_tendency]
        ax.scatter(*data.table_xy.T, s=table_marker_size(data.table_members), c=colours,
                   edgecolors="black", linewidths=0.6, alpha=0.9, zorder=3)
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
    fig.legend(handles=table_handles, loc="lower left", bbox_to_anchor=(0.02, 0.12), ncol=4,
               title=t("legend_tables", lang), fontsize=9, title_fontsize=10, frameon=False,
               alignment="left", columnspacing=1.2, handletextpad=0.3)
    fig.legend(handles=actor_handles, loc="lower left", bbox_to_anchor=(0.02, 0.0), ncol=2,
               title=t("legend_actors", lang), fontsize=9, title_fontsize=10, frameon=False,
               alignment="left", columnspacing=1.2, handletextpad=0.3)
    return fig


def tendency_figure(model: ConcertationModel, lang: str) -> Figure:
    """Bourque's diagram: tables as points, descending ↔ ascending logic, interest ↔ cause."""
    points = tendency_points(model)
    fig = Figure(figsize=(6.6, 5.0), dpi=DPI)
    ax = fig.add_axes((0.09, 0.11, 0.89, 0.86))
    ax.set_xlim(-1.0, 1.0)
    ax.set_ylim(0.0, 1.0)
    ax.axvline(0.0, color="#999999", linewidth=0.8, zorder=0)
    ax.axhline(DESCENDING, color="#999999", linewidth=0.8, zorder=0)
    corners = [
        (Tendency.INSTRUMENTALISATION, -0.97, 0.97, "left", "top"),
        (Tendency.EMPOWERMENT, 0.97, 0.97, "right", "top"),
        (Tendency.AFFAIRISTE, -0.97, 0.03, "left", "bottom"),
        (Tendency.AUTONOMISTE, 0.97, 0.03, "right", "bottom"),
    ]
    for tendency, x, y, ha, va in corners:
        ax.text(x, y, t(f"tendency_{label(tendency)}", lang), ha=ha, va=va, fontsize=11,
                fontweight="bold", color=TENDENCY_COLOUR[tendency], zorder=3,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 1})
    ax.text(0.0, DESCENDING, t("tendency_centre", lang), ha="center", va="center",
            fontsize=8, color="#555555",
            bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "#999999"}, zorder=1)
    if len(points):
        colours = [TENDENCY_COLOUR[Tendency(code)] for code in points["tendency"]]
        ax.scatter(points["x"].clip(-0.99, 0.99), points["y"].clip(0.01, 0.99),
                   s=table_marker_size(points["members"]), c=colours, edgecolors="black",
                   linewidths=0.6, alpha=0.75, zorder=2)
    ax.set_xlabel(t("tendency_x", lang), fontsize=9)
    ax.set_ylabel(t("tendency_y", lang), fontsize=9)
    ax.tick_params(labelsize=8)
    return fig


def indicators_figure(model: ConcertationModel, lang: str) -> Figure:
    """Six small plots of the hyperconcertation symptoms over time."""
    series = indicator_series(model)
    years = series.index.to_numpy()
    start = model.params.run.start_year
    end = start + model.params.run.years
    fig = Figure(figsize=(7.6, 4.6), dpi=DPI)
    axes = fig.subplots(2, 3, sharex=True)
    for ax, (title, columns, colours) in zip(axes.flat, PLOTS, strict=True):
        for column, colour in zip(columns, colours, strict=True):
            name = t(f"l_{column}", lang) if len(columns) > 1 else None
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
    fig.subplots_adjust(left=0.07, right=0.98, top=0.93, bottom=0.1, wspace=0.3, hspace=0.35)
    if lang == "fr":
        for ax in axes.flat:
            ax.yaxis.set_major_formatter(_decimal_comma)
    return fig


EVENT_STYLE = {  # kind: (colour, marker on the time axis, or None for a dashed line)
    "programme_launch": ("#1a9850", "^"), "programme_end": ("#888888", "v"),
    "funder_exit": ("#d73027", None), "territorial_table": ("#4575b4", None),
}


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


def event_account(model: ConcertationModel, lang: str) -> str:
    """A short running account of the events that change a territory: funders' exits and
    what became of their tables, territorial tables opening."""
    sentences = []
    for row in events(model).itertuples():
        year = int(row.year)
        if row.kind == "funder_exit":
            text = t("event_exit", lang, year=year, funder=row.funder, tables=row.tables)
            if pd.isna(row.dissolved_within_year):
                text += t("event_exit_pending", lang)
            else:
                key = "event_exit_after_one" if row.dissolved_within_year == 1 \
                    else "event_exit_after"
                text += t(key, lang, dissolved=row.dissolved_within_year)
            sentences.append(text)
        elif row.kind == "territorial_table":
            sentences.append(t("event_territorial", lang, year=year))
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


@solara.component
def _Plot(title: str, png: bytes, caption: str | None = None, css: str = ""):
    with solara.Card(margin=0, classes=[css], style={"height": "100%"}):
        solara.Text(title, style={"font-size": "1.1em", "font-weight": "500"})
        rw.Image(value=png, format="png", _dom_classes=[f"{css}-image"],
                 layout={"width": "100%", "height": "auto"})
        if caption:
            solara.Text(caption, style=NOTE)
        Download(png, f"{css.removeprefix('concertation-')}.png", t("download_png", language.value),
                 f"{css}-download")


def _use_png(draw, model: ConcertationModel, lang: str) -> bytes:
    """Draw once per (model, step, language): Mesa's update_counter ticks after every step."""
    counter = update_counter.get()
    return solara.use_memo(lambda: figure_png(draw(model, lang)),
                           dependencies=[model, counter, lang])


@solara.component
def NetworkView(model: ConcertationModel):
    lang = language.value
    png = _use_png(network_figure, model, lang)
    _Plot(t("network_title", lang), png, t("network_caption", lang), "concertation-network")


@solara.component
def TendencyView(model: ConcertationModel):
    lang = language.value
    png = _use_png(tendency_figure, model, lang)
    _Plot(t("tendency_title", lang), png, t("tendency_caption", lang), "concertation-tendency")


@solara.component
def IndicatorsView(model: ConcertationModel):
    lang = language.value
    png = _use_png(indicators_figure, model, lang)
    account = solara.use_memo(lambda: event_account(model, lang),
                              dependencies=[model, update_counter.get(), lang])
    _Plot(t("plots_title", lang), png, " ".join(filter(None, [t("events_legend", lang), account])),
          "concertation-indicators")


@solara.component
def InfoPanel(model: ConcertationModel):
    """What the model is, what to notice, what to try. Markdown rendered here (solara.Markdown
    would load KaTeX from a CDN, which solara-assets does not ship)."""
    lang = language.value
    html = solara.use_memo(lambda: markdown.markdown(INFO[lang]), dependencies=[lang])
    with solara.Card(margin=0, classes=["concertation-info"],
                     style={"height": "100%", "max-height": "560px", "overflow": "auto"}):
        solara.Text(t("info_title", lang), style={"font-size": "1.1em", "font-weight": "500"})
        solara.HTML(tag="div", unsafe_innerHTML=html, style={"font-size": "0.9em"})


@solara.component
def Monitors(model: ConcertationModel, summary: str = ""):
    """NetLogo-style monitors: the month and the headline numbers, redrawn after each step."""
    update_counter.get()
    lang = language.value
    year = model.params.run.start_year + model.steps / 12
    status = t("monitor_running" if model.running else "monitor_finished", lang)
    with solara.Row(style={"flex-wrap": "wrap", "gap": "8px", "align-items": "stretch"},
                    classes=["concertation-monitors"]):
        _Tile(t("monitor_date", lang, step=model.steps, year=f"{year:.0f}"), status,
              "monitor-step")
        for index, (name, value) in enumerate(monitor_values(model, lang)):
            _Tile(name, value, f"monitor-{MONITORS[index][1]}")
    if summary:
        solara.Text(summary, style=NOTE,
                    classes=["concertation-in-use"])
    with solara.Row(gap="4px"):
        Download(lambda: csv_bytes(model.model_frame(), lang), f"indicators-month{model.steps}.csv",
                 t("download_indicators", lang), "concertation-download-indicators")
        Download(lambda: csv_bytes(model.table_records(), lang), f"tables-month{model.steps}.csv",
                 t("download_tables", lang), "concertation-download-tables")


@solara.component
def _Tile(name: str, value: str, css: str):
    with solara.v.Sheet(outlined=True, rounded=True, class_=f"pa-2 {css}",
                        style_="min-width: 9em"):
        solara.Text(name, style=NOTE | {"font-size": "0.75em", "display": "block"})
        solara.Text(value, style={"font-size": "1.3em", "font-weight": "500"})


@solara.component
def Views(model: ConcertationModel):
    """The main area below the monitors: network and tendencies side by side, then the
    indicators and the info panel (stacked on narrow screens)."""
    with solara.ColumnsResponsive(12, large=6):
        NetworkView(model)
        TendencyView(model)
    with solara.ColumnsResponsive(12, large=[7, 5]):
        IndicatorsView(model)
        InfoPanel(model)


# ---- the top bar, shared by the pages -------------------------------------------------------

LIVE_PATH = "/"
COMPARE_PATH = "/compare"
# The sidebar's width, and slider labels on their own line above the slider (long labels, two
# languages).
SIDEBAR_CSS = """
.concertation-sidebar { max-width: 380px; }
/* Mesa's controls (Reset, Play, Step, speeds) above the scenario and the levers: in view on a
   1280x800 projector. SolaraViz renders them after the page's own sidebar cards. */
.v-navigation-drawer__content > div:has(> .concertation-sidebar) {
    display: flex; flex-direction: column; }
.v-navigation-drawer__content > div > .concertation-sidebar { order: 1; }
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
        solara.Text(t("language", lang) + ":", style={"margin-right": "4px"})
        LanguageToggle()
