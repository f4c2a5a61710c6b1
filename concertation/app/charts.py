"""The views drawn in the browser: their Vega-Lite specs and their rows.

The spec (panels, colours, titles in the page's language, the axis range) changes only with
the language, the scenario or the reference run; the rows change every month. Rows are kept
wide (one per month, one column per indicator) and folded in the browser, so a month adds one
row, not one per indicator. The network and the diagram send a row per seat, actor and table,
with the selection lit; a click comes back in data coordinates and a `Frame` turns it into the
table or actor nearest to it. The matplotlib figures in components.py stay for the PNG
downloads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation import ConcertationModel
from simulation.categories import ActorType, Tendency, label
from simulation.events import ORIGINS, events, turnover
from simulation.state import theme_centres
from simulation.typology import DESCENDING

from .i18n import t
from .inspect import ACTOR, TABLE, HitMap, Selection, selected_slots
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
    Highlight,
    NetworkData,
    table_marker_size,
    tendency_points,
    theme_label,
)
from .vega import DATASET, part, parts_json, rows_from_json

# kind: (colour, Vega shape along the time axis, or None for a dashed rule across the panel),
# from the matplotlib figures' own marks.
EVENT_MARKS = {kind: (colour, {"^": "triangle-up", "v": "triangle-down"}.get(marker))
               for kind, (colour, marker) in EVENT_STYLE.items()}
PANEL_WIDTH, PANEL_HEIGHT = 160, 95


def _label_expression(field: str, labels: dict[str, str]) -> str:
    cases = "".join(f"datum[{json.dumps(field)}] === {json.dumps(value)} ? {json.dumps(text)} : "
                    for value, text in labels.items())
    return cases + f"datum[{json.dumps(field)}]"


def event_layers(height: int) -> list[dict]:
    """Programme launches and ends as small marks at the foot of a panel; a funder's exit
    and the territorial table's opening as dashed rules across it."""
    event_rows = {"filter": "datum.event != null"}
    layers = []
    for kind, (colour, shape) in EVENT_MARKS.items():
        keep = {"filter": f"datum.event === {json.dumps(kind)}"}
        if shape is None:
            layers.append({"transform": [event_rows, keep],
                           "mark": {"type": "rule", "strokeDash": [4, 3], "color": colour,
                                    "opacity": 0.8},
                           "encoding": {"x": {"field": "year", "type": "quantitative"}}})
        else:
            layers.append({"transform": [event_rows, keep],
                           "mark": {"type": "point", "shape": shape, "filled": True,
                                    "color": colour, "opacity": 0.7, "size": 30},
                           "encoding": {"x": {"field": "year", "type": "quantitative"},
                                        "y": {"value": height - 4}}})
    return layers


def _year_axis(model: ConcertationModel, lang: str, title: bool, labels: int = 12) -> dict:
    """Years on the x axis, at most about `labels` of them labelled (a small panel has room for
    three: "20002005" was the overlap a class saw)."""
    start, years = model.params.run.start_year, model.params.run.years
    every = next(step for step in (1, 2, 5, 10, 20, 50, 100) if years / step <= labels - 1)
    ticks = list(range(int(start), int(start + years) + 1, every))
    return {"field": "year", "type": "quantitative",
            "scale": {"domain": [start, start + years], "nice": False},
            "axis": {"format": "d", "title": t("year", lang) if title else None,
                     "labelFontSize": 10, "values": ticks, "labelOverlap": True}}


def indicators_spec(model: ConcertationModel, lang: str, plots: list, reference=None) -> dict:
    """Six small panels of the hyperconcertation symptoms over time (`plots`: title key,
    indicator columns, colours); a reference run dashed and faint."""
    panels = []
    for index, (title, columns, colours) in enumerate(plots):
        labels = {column: t(f"l_{column}", lang) if len(columns) > 1 else t(title, lang)
                  for column in columns}
        line = {
            "transform": [{"filter": "datum.event == null"},
                          {"fold": columns, "as": ["indicator", "value"]},
                          {"calculate": _label_expression("indicator", labels), "as": "series"}],
            "mark": {"type": "line", "strokeWidth": 1.4, "clip": True},
            "encoding": {
                "x": _year_axis(model, lang, title=index >= 3, labels=3),
                "y": {"field": "value", "type": "quantitative",
                      "axis": {"title": None, "labelFontSize": 10, "tickCount": 4}},
                "color": {"field": "series", "type": "nominal",
                          "scale": {"domain": list(labels.values()), "range": colours},
                          "legend": ({"orient": "top-left", "title": None, "labelFontSize": 10,
                                      "fillColor": "rgba(255,255,255,0.6)"}
                                     if len(columns) > 1 else None)},
                "detail": {"field": "run", "type": "nominal"},
                "strokeDash": {"field": "run", "type": "nominal", "legend": None,
                               "scale": {"domain": ["current", "reference"],
                                         "range": [[1, 0], [4, 3]]}},
                "opacity": {"field": "run", "type": "ordinal", "legend": None,
                            "scale": {"domain": ["current", "reference"], "range": [1, 0.4]}},
            },
        }
        panels.append({"title": {"text": t(title, lang), "fontSize": 12},
                       "width": PANEL_WIDTH, "height": PANEL_HEIGHT,
                       "layer": [line, *event_layers(PANEL_HEIGHT)]})
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "data": {"name": DATASET}, "columns": 3, "concat": panels,
            "resolve": {"scale": {"color": "independent", "y": "independent"}},
            "config": {"view": {"stroke": "#dddddd"}, "axis": {"gridOpacity": 0.5}}}
    if reference is not None:
        spec["title"] = {"text": t("reference_legend", lang, label=reference.label(lang)),
                         "anchor": "end", "fontSize": 10, "fontWeight": "normal",
                         "color": "#555555"}
    return spec


def _event_rows(model: ConcertationModel, happened: pd.DataFrame | None) -> list[dict]:
    """`happened`: the model's events (simulation/events.py) when the caller has them."""
    happened = events(model) if happened is None else happened
    return [{"event": kind, "year": float(year)}
            for kind, year in zip(happened["kind"], happened["year"], strict=True)]


def _months(series: pd.DataFrame) -> dict[str, np.ndarray]:
    """A series indexed by year (components.indicator_series) as its columns' arrays."""
    return {"year": series.index.to_numpy(dtype=float),
            **{column: series[column].to_numpy() for column in series.columns}}


def indicators_parts(model: ConcertationModel, months: dict[str, np.ndarray], reference=None,
                     happened: pd.DataFrame | None = None) -> list[dict]:
    """The indicators' rows by column (vega.part), straight from the recorded arrays:
    `months` maps "year" and each plotted indicator to one value per month of the current
    run; the reference run's months follow, then one row per event."""
    happened = events(model) if happened is None else happened
    parts = [part(len(months["year"]), months, {"run": "current"})]
    if reference is not None:
        shown = reference.series[[column for column in months if column != "year"]]
        parts.append(part(len(shown), _months(shown), {"run": "reference"}))
    parts.append(part(len(happened), {"event": happened["kind"].to_numpy(),
                                      "year": happened["year"].to_numpy(dtype=float)}))
    return parts


def indicators_rows(model: ConcertationModel, series: pd.DataFrame, reference=None,
                    happened: pd.DataFrame | None = None) -> list[dict]:
    """One row per month of the current run (and of the reference), one per event: the rows
    the browser draws from `indicators_parts`."""
    return rows_from_json(parts_json(indicators_parts(model, _months(series), reference,
                                                      happened)))


def timeline_spec(model: ConcertationModel, lang: str) -> dict:
    """Tables created (above the axis) and dissolved (below) each year, stacked by origin."""
    labels = {origin: t(f"legend_origin_{origin}", lang) for origin in ORIGINS}
    height = 170
    bars = {
        "transform": [{"filter": "datum.event == null"},
                      {"calculate": _label_expression("origin", labels), "as": "origin_label"},
                      {"calculate": "datum.year + 0.9", "as": "year_end"}],
        "mark": {"type": "bar", "clip": True},
        "encoding": {
            "x": _year_axis(model, lang, title=True), "x2": {"field": "year_end"},
            "y": {"field": "count", "type": "quantitative", "stack": "zero",
                  "axis": {"title": t("timeline_y", lang), "labelExpr": "abs(datum.value)",
                           "tickMinStep": 1, "labelFontSize": 10}},
            "color": {"field": "origin_label", "type": "nominal",
                      "scale": {"domain": list(labels.values()),
                                "range": [ORIGIN_COLOUR[o] for o in ORIGINS]},
                      "legend": {"title": t("legend_origins", lang), "labelFontSize": 10}},
            "opacity": {"field": "change", "type": "ordinal", "legend": None,
                        "scale": {"domain": ["created", "dissolved"], "range": [1, 0.55]}},
        },
    }
    zero = {"mark": {"type": "rule", "color": "#555555"},
            "encoding": {"y": {"datum": 0, "type": "quantitative"}}}
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "data": {"name": DATASET}, "width": 3 * PANEL_WIDTH + 40, "height": height,
            "layer": [bars, zero, *event_layers(height)],
            "config": {"view": {"stroke": "#dddddd"}, "axis": {"gridOpacity": 0.5}}}


def timeline_rows(model: ConcertationModel, happened: pd.DataFrame | None = None
                  ) -> list[dict]:
    """Signed counts: created above the axis, dissolved below; years not reached left out."""
    counts = turnover(model)
    start = model.params.run.start_year
    shown = counts[counts["year"] <= start + model.steps / 12]
    rows = []
    for change, sign in (("created", 1), ("dissolved", -1)):
        kept = shown[shown[change] > 0]
        rows += [{"year": int(year), "origin": origin, "change": change, "count": sign * int(n)}
                 for year, origin, n in zip(kept["year"], kept["origin"], kept[change],
                                            strict=True)]
    return rows + _event_rows(model, happened)



# ---- the network and Bourque's diagram ---------------------------------------------------------

# Vega's shapes for matplotlib's markers; the star is a path in Vega's unit square.
SHAPES = {"o": "circle", "D": "diamond", "s": "square", ".": "circle",
          "*": "M0,-1L0.22,-0.31L0.95,-0.31L0.36,0.12L0.59,0.81L0,0.38L-0.59,0.81L-0.36,0.12"
               "L-0.95,-0.31L-0.22,-0.31Z"}
AREA = 1.3  # a matplotlib marker area (points²) in the chart's pixels²
NETWORK_SIZE = 400
NETWORK_LIMIT = 1.6  # the network's data square, as the figure's
TENDENCY_WIDTH, TENDENCY_HEIGHT = 440, 300


@dataclass(frozen=True)
class Frame:
    """A chart's data rectangle and its shape on the screen: a click in data coordinates
    becomes fractions of the plot, as a HitMap measures (inspect.py)."""

    x_domain: tuple[float, float]
    y_domain: tuple[float, float]
    aspect: float  # height over width, on the screen

    def fractions(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        (x0, x1), (y0, y1) = self.x_domain, self.y_domain
        return (xy[:, 0] - x0) / (x1 - x0), (y1 - xy[:, 1]) / (y1 - y0)

    def hits(self, kind: str, territories: np.ndarray, keys: np.ndarray, xy: np.ndarray
             ) -> HitMap:
        x, y = self.fractions(xy)
        return HitMap((kind,) * len(x), np.asarray(territories, dtype=int),
                      np.asarray(keys, dtype=int), x, y, self.aspect)

    def select(self, hits: HitMap, click: dict) -> Selection | None:
        x, y = self.fractions([float(click["x"]), float(click["y"])])
        return hits.nearest(float(x[0]), float(y[0]))


NETWORK_FRAME = Frame((-NETWORK_LIMIT, NETWORK_LIMIT), (-NETWORK_LIMIT, NETWORK_LIMIT), 1.0)
TENDENCY_FRAME = Frame((-1.0, 1.0), (0.0, 1.0), TENDENCY_HEIGHT / TENDENCY_WIDTH)


def _axis_free(frame: Frame, channel: str) -> dict:
    domain = frame.x_domain if channel == "x" else frame.y_domain
    return {"field": channel, "type": "quantitative", "axis": None,
            "scale": {"domain": list(domain), "nice": False, "zero": False}}


def _layer(name: str, mark: dict, encoding: dict) -> dict:
    return {"transform": [{"filter": f"datum.layer === {json.dumps(name)}"}], "mark": mark,
            "encoding": encoding}


def _ring(width: float) -> dict:
    """The selection's orange ring, else a thin black edge."""
    return {"stroke": {"condition": {"test": "datum.lit", "value": HIGHLIGHT},
                       "value": "black"},
            "strokeWidth": {"condition": {"test": "datum.lit", "value": width},
                            "value": 0.6}}


def _legend(title: str, columns: int, top: float) -> dict:
    """A legend under the network, `top` pixels below the plot's top."""
    return {"title": title, "orient": "none", "legendX": 0, "legendY": top,
            "direction": "horizontal", "columns": columns, "labelFontSize": 11, "titleFontSize": 12, "symbolStrokeColor":
            "black", "symbolStrokeWidth": 0.6}


def network_spec(model: ConcertationModel, lang: str, territory: int = 0) -> dict:
    """Actors around the ring by mission, tables inside by agenda (shaped by origin, coloured
    by tendency), a line per seat and a dashed line per link between tables."""
    frame = NETWORK_FRAME
    xy = {"x": _axis_free(frame, "x"), "y": _axis_free(frame, "y")}
    segment = {**xy, "x2": {"field": "x2"}, "y2": {"field": "y2"},
               "opacity": {"field": "opacity", "type": "quantitative", "scale": None}}
    actor_labels = [t(f"actor_{label(kind)}", lang) for kind in ACTOR_STYLE]
    tendencies = [t(f"tendency_{label(tendency)}", lang) for tendency in TENDENCY_COLOUR]
    origins = [t(f"legend_origin_{name}", lang) for _, name in ORIGIN_MARKER.values()]
    edges = _layer("edge", {"type": "rule", "strokeWidth": 0.4, "color": "#777777"}, segment)
    seats = _layer("seat", {"type": "rule", "strokeWidth": 1.1, "color": HIGHLIGHT}, segment)
    links = _layer("link", {"type": "rule", "strokeWidth": 1.0, "color": "#333333",
                            "strokeDash": [4, 3], "opacity": 0.6}, {**xy, "x2": {"field": "x2"},
                                                                    "y2": {"field": "y2"}})
    size = {"size": {"field": "size", "type": "quantitative", "scale": None},
            "opacity": {"field": "opacity", "type": "quantitative", "scale": None}}
    actors = _layer("actor", {"type": "point", "filled": True}, {
        **xy, **size,
        "color": {"field": "kind", "type": "nominal", "legend": _legend(t("legend_actors", lang), 4,
                                                                  NETWORK_SIZE + 8),
                  "scale": {"domain": actor_labels,
                            "range": [colour for colour, _, _ in ACTOR_STYLE.values()]}},
        "shape": {"field": "kind", "type": "nominal",
                  "scale": {"domain": actor_labels,
                            "range": [SHAPES[marker] for _, marker, _ in ACTOR_STYLE.values()]}},
        "stroke": {"condition": {"test": "datum.lit", "value": HIGHLIGHT}, "value": None},
        "strokeWidth": {"condition": {"test": "datum.lit", "value": 1.2}, "value": 0}})
    tables = _layer("table", {"type": "point", "filled": True}, {
        **xy, **size, **_ring(2.5),
        "color": {"field": "tendency", "type": "nominal",
                  "legend": _legend(t("legend_tables", lang), 2, NETWORK_SIZE + 48),
                  "scale": {"domain": tendencies, "range": list(TENDENCY_COLOUR.values())}},
        "shape": {"field": "origin", "type": "nominal",
                  "legend": _legend(t("legend_origins", lang), 4, NETWORK_SIZE + 105),
                  "scale": {"domain": origins,
                            "range": [SHAPES[marker] for marker, _ in ORIGIN_MARKER.values()]}}})
    words = _layer("text", {"type": "text", "lineBreak": "\n", "fontSize": 11},
                   {**xy, "text": {"field": "text"},
                    "color": {"field": "colour", "type": "nominal", "scale": None}})
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "data": {"name": DATASET}, "width": NETWORK_SIZE, "height": NETWORK_SIZE,
            "layer": [edges, seats, links, actors, tables, words],
            "resolve": {"scale": {"color": "independent", "shape": "independent"}},
            "config": {"view": {"stroke": None}}}
    territories = model.params.population.territories
    if territories > 1:
        spec["title"] = {"text": t("network_territory", lang, territory=territory + 1,
                                   territories=territories), "fontSize": 11}
    return spec


def network_parts(model: ConcertationModel, lang: str, data: NetworkData, lit: Highlight
                  ) -> list[dict]:
    """The network's rows by column (vega.part), built from the arrays: a row per seat, link,
    actor, table and theme label; the selection lit, the rest faded. A thousand seats a month
    as dicts were the app's costliest view to build and encode."""
    parts = []
    if data.edges.size:
        start, end = data.actor_xy[data.edges[:, 0]], data.table_xy[data.edges[:, 1]]
        faint = 0.08 if lit.anything else 0.18
        parts.append(part(len(data.edges), {
            "layer": np.where(lit.seats, "seat", "edge"), "x": start[:, 0], "y": start[:, 1],
            "x2": end[:, 0], "y2": end[:, 1], "opacity": np.where(lit.seats, 0.9, faint)}))
    if data.links.size:
        first, second = data.table_xy[data.links[:, 0]], data.table_xy[data.links[:, 1]]
        parts.append(part(len(data.links), {"x": first[:, 0], "y": first[:, 1],
                                            "x2": second[:, 0], "y2": second[:, 1]},
                          {"layer": "link"}))
    kinds = [ActorType(kind) for kind in data.actor_kind.tolist()]
    sizes = np.array([ACTOR_STYLE[kind][2] for kind in kinds], dtype=float)
    grow = 4.0 if lit.actor_selected else 2.2
    bright = lit.actors.astype(bool)
    parts.append(part(len(kinds), {
        "x": data.actor_xy[:, 0], "y": data.actor_xy[:, 1], "lit": bright,
        "id": np.arange(len(kinds)), "kind": [t(f"actor_{label(kind)}", lang) for kind in kinds],
        "size": AREA * sizes * np.where(bright, grow, 1.0),
        "opacity": np.where(bright, 1.0, FADED if lit.anything else 0.85)}, {"layer": "actor"}))
    if data.table_xy.size:
        lit_tables = lit.tables.astype(bool)
        territorial = data.table_origin == TERRITORIAL
        parts.append(part(len(data.table_id), {
            "x": data.table_xy[:, 0], "y": data.table_xy[:, 1], "lit": lit_tables,
            "id": data.table_id.astype(int),
            "origin": [t(f"legend_origin_{ORIGIN_MARKER[origin][1]}", lang)
                       for origin in data.table_origin.tolist()],
            "tendency": [t(f"tendency_{label(Tendency(tendency))}", lang)
                         for tendency in data.table_tendency.tolist()],
            "size": AREA * table_marker_size(data.table_members) * np.where(territorial, 2.5, 1),
            "opacity": np.where(lit_tables, 1.0, FADED if lit.anything else 0.9)},
            {"layer": "table"}))
    themes = model.params.population.themes
    centres = THEME_LABEL_RADIUS * theme_centres(len(themes))
    parts.append(part(len(themes), {"x": centres[:, 0], "y": centres[:, 1],
                                    "text": [theme_label(theme, lang) for theme in themes]},
                      {"layer": "text", "colour": "#555555"}))
    if not data.table_xy.size:
        parts.append(part(1, {}, {"layer": "text", "x": 0.0, "y": 0.0,
                                  "text": t("no_tables", lang), "colour": "#777777"}))
    return parts


def network_rows(model: ConcertationModel, lang: str, data: NetworkData, lit: Highlight
                 ) -> list[dict]:
    """The network's rows as the browser draws them (from `network_parts`)."""
    return rows_from_json(parts_json(network_parts(model, lang, data, lit)))


def network_hits(data: NetworkData, territory: int) -> HitMap:
    everyone = np.arange(len(data.actor_xy))
    frame = NETWORK_FRAME
    return frame.hits(ACTOR, np.full(everyone.size, territory), everyone, data.actor_xy) \
        + frame.hits(TABLE, np.full(data.table_id.size, territory), data.table_id,
                     data.table_xy)


def tendency_spec(lang: str) -> dict:
    """Bourque's diagram: descending ↔ ascending logic, interest ↔ cause, the four corners."""
    frame = TENDENCY_FRAME
    x = {**_axis_free(frame, "x"), "axis": {"title": t("tendency_x", lang), "labelFontSize": 10,
                                            "titleFontSize": 11, "grid": False}}
    y = {**_axis_free(frame, "y"), "axis": {"title": t("tendency_y", lang), "labelFontSize": 10,
                                            "titleFontSize": 11, "grid": False}}
    tendencies = [t(f"tendency_{label(tendency)}", lang) for tendency in TENDENCY_COLOUR]
    points = _layer("table", {"type": "point", "filled": True}, {
        "x": x, "y": y, **_ring(2.5),
        "size": {"field": "size", "type": "quantitative", "scale": None},
        "opacity": {"field": "opacity", "type": "quantitative", "scale": None},
        "color": {"field": "tendency", "type": "nominal", "legend": None,
                  "scale": {"domain": tendencies, "range": list(TENDENCY_COLOUR.values())}}})
    centre = {"mark": {"type": "rule", "color": "#999999", "strokeWidth": 0.8},
              "encoding": {"x": {"datum": 0.0, "type": "quantitative"}}}
    middle = {"mark": {"type": "rule", "color": "#999999", "strokeWidth": 0.8},
              "encoding": {"y": {"datum": DESCENDING, "type": "quantitative"}}}
    corners = []
    for tendency, cx, cy, align, baseline in TENDENCY_CORNERS:
        corners.append({"mark": {"type": "text", "align": align, "baseline": baseline,
                                 "fontSize": 13, "fontWeight": "bold",
                                 "color": TENDENCY_COLOUR[tendency]},
                        "encoding": {"x": {"datum": cx, "type": "quantitative"},
                                     "y": {"datum": cy, "type": "quantitative"},
                                     "text": {"value": t(f"tendency_{label(tendency)}", lang)}}})
    label_centre = {"mark": {"type": "text", "fontSize": 10, "color": "#555555"},
                    "encoding": {"x": {"datum": 0.0, "type": "quantitative"},
                                 "y": {"datum": DESCENDING, "type": "quantitative"},
                                 "text": {"value": t("tendency_centre", lang)}}}
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "data": {"name": DATASET}, "width": TENDENCY_WIDTH, "height": TENDENCY_HEIGHT,
            "layer": [points, centre, middle, label_centre, *corners],
            "config": {"view": {"stroke": "#dddddd"}}}


def tendency_parts(model: ConcertationModel, lang: str, selection: Selection | None
                   ) -> tuple[list[dict], HitMap]:
    """The diagram's rows by column (vega.part), a row per live table with the selected ones
    lit, and where each is, for clicks."""
    points = tendency_points(model)
    territories, table_ids = points["territory"].to_numpy(), points["table_id"].to_numpy()
    xy = np.column_stack([points["x"].to_numpy().clip(-0.99, 0.99),
                          points["y"].to_numpy().clip(0.01, 0.99)])
    chosen = np.zeros(len(points), dtype=bool)
    if selection is not None:
        slots, _ = selected_slots(model, selection, selection.territory)
        ids = model.store.table_id[selection.territory, slots]
        chosen = (territories == selection.territory) & np.isin(table_ids, ids)
    names = np.array([t(f"tendency_{label(code)}", lang) for code in Tendency], dtype=object)
    faint = FADED if selection is not None else 0.75
    rows = part(len(points), {
        "x": xy[:, 0], "y": xy[:, 1], "lit": chosen,
        "size": AREA * table_marker_size(points["members"].to_numpy()),
        "tendency": names[points["tendency"].to_numpy()],
        "opacity": np.where(chosen, 1.0, faint)}, {"layer": "table"})
    return [rows], TENDENCY_FRAME.hits(TABLE, territories, table_ids, xy)


def tendency_rows(model: ConcertationModel, lang: str, selection: Selection | None
                  ) -> tuple[list[dict], HitMap]:
    """`tendency_parts` as the rows the browser draws."""
    parts, hits = tendency_parts(model, lang, selection)
    return rows_from_json(parts_json(parts)), hits
