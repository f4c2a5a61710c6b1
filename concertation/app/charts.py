"""The time views drawn in the browser: their Vega-Lite specs and their rows.

The spec (panels, colours, titles in the page's language, the axis range) changes only with
the language, the scenario or the reference run; the rows change every month. Rows are kept
wide (one per month, one column per indicator) and folded in the browser, so a month adds one
row, not one per indicator. The matplotlib figures in components.py stay for the PNG downloads.
"""

from __future__ import annotations

import json

import pandas as pd

from simulation import ConcertationModel
from simulation.events import ORIGINS, events, turnover

from .i18n import t
from .scene import ORIGIN_COLOUR
from .vega import DATASET, clean

# kind: (colour, shape along the time axis, or None for a dashed rule across the panel), as the
# matplotlib figures mark them (components.EVENT_STYLE).
EVENT_MARKS = {
    "programme_launch": ("#1a9850", "triangle-up"), "programme_end": ("#888888", "triangle-down"),
    "funder_exit": ("#d73027", None), "territorial_table": ("#4575b4", None),
}
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


def _year_axis(model: ConcertationModel, lang: str, title: bool) -> dict:
    start = model.params.run.start_year
    return {"field": "year", "type": "quantitative",
            "scale": {"domain": [start, start + model.params.run.years], "nice": False},
            "axis": {"format": "d", "title": t("year", lang) if title else None,
                     "labelFontSize": 10, "tickMinStep": 1}}


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
                "x": _year_axis(model, lang, title=index >= 3),
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
                "opacity": {"field": "run", "type": "nominal", "legend": None,
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
        spec["title"] = {"text": t("reference_legend", lang, label=reference.label),
                         "anchor": "end", "fontSize": 10, "fontWeight": "normal",
                         "color": "#555555"}
    return spec


def _event_rows(model: ConcertationModel) -> list[dict]:
    happened = events(model)
    return [{"event": kind, "year": float(year)}
            for kind, year in zip(happened["kind"], happened["year"], strict=True)]


def _month_rows(series: pd.DataFrame, run: str) -> list[dict]:
    frame = series.reset_index()
    frame.insert(0, "run", run)
    return frame.to_dict("records")


def indicators_rows(model: ConcertationModel, series: pd.DataFrame, reference=None
                    ) -> list[dict]:
    """One row per month of the current run (and of the reference), one per event."""
    rows = _month_rows(series, "current")
    if reference is not None:
        rows += _month_rows(reference.series[series.columns], "reference")
    return clean(rows + _event_rows(model))


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
            "opacity": {"field": "change", "type": "nominal", "legend": None,
                        "scale": {"domain": ["created", "dissolved"], "range": [1, 0.55]}},
        },
    }
    zero = {"mark": {"type": "rule", "color": "#555555"},
            "encoding": {"y": {"datum": 0, "type": "quantitative"}}}
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "data": {"name": DATASET}, "width": 3 * PANEL_WIDTH + 40, "height": height,
            "layer": [bars, zero, *event_layers(height)],
            "config": {"view": {"stroke": "#dddddd"}, "axis": {"gridOpacity": 0.5}}}


def timeline_rows(model: ConcertationModel) -> list[dict]:
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
    return rows + _event_rows(model)

