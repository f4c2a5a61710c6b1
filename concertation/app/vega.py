"""A chart drawn in the browser by Vega-Lite, fed new rows each month.

Why: a matplotlib figure drawn on the server costs a tenth to half a second a month, more
than a class can wait at ten steps a second. Here the server sends the chart's spec once and
then only its rows (a few hundred numbers); the browser redraws the canvas. Vega and
Vega-Lite come from the installed `solara-assets` package, served by Solara at
`/_solara/cdn`: nothing is loaded from the network. A Vue template of ipyvue, like
clickable.py.

The chart's element carries `data-drawn` (how many times it has been drawn) and `data-rows`
(rows in the last drawing), which the browser tests and the app benchmark read.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import ipyvuetify as v
import numpy as np
import orjson
import traitlets

DATASET = "rows"  # the name of the one dataset every chart's spec reads
LIBRARIES = ("vega", "vega-lite")


def shipped_libraries(cdn_dir: Path | None = None) -> dict[str, str]:
    """Path of each library's build under `/_solara/cdn`, with the version solara-assets
    installs (the cache directory holds `vega@5.21.0`, not `vega@5`)."""
    if cdn_dir is None:
        from solara.server import settings

        cdn_dir = settings.assets.proxy_cache_dir
    found = {}
    for name in LIBRARIES:
        versions = sorted(cdn_dir.glob(f"{name}@*/build/{name}.min.js"))
        if not versions:
            raise FileNotFoundError(f"{name} is not in {cdn_dir}: is solara-assets installed?")
        found[name] = versions[-1].relative_to(cdn_dir).as_posix().removesuffix(".js")
    return found


DIGITS = 4  # decimals sent: a ten-thousandth of a unit is below what a chart can show


def clean(rows: list[dict]) -> list[dict]:
    """Rows as JSON can carry them: NaN (a reference run shorter than the current one, a
    month with no value) becomes null, which Vega leaves out of a line."""
    return [{key: None if isinstance(value, float) and math.isnan(value) else value
             for key, value in row.items()} for row in rows]


def _column(values: list) -> list:
    """One field of every row; numbers rounded to `DIGITS` decimals, NaN as null."""
    kinds = {type(value) for value in values} - {type(None)}
    if float not in kinds or not kinds <= {float, int}:
        return values
    return _array_column(np.array([np.nan if value is None else value for value in values],
                                  dtype=float))


def part(n: int, columns: dict[str, Any], same: dict[str, Any] | None = None) -> dict:
    """`n` rows with the same fields, built by column (a view with many rows builds them so,
    from its arrays: charts.network_parts); float arrays are rounded as `rows_json` rounds."""
    sent = {key: _array_column(values) if isinstance(values, np.ndarray) else list(values)
            for key, values in columns.items()}
    return {"n": n, "columns": sent, "same": dict(same or {})}


def _array_column(values: np.ndarray) -> list:
    """An array as `_column` sends a field: floats to `DIGITS` decimals, NaN as null."""
    if values.dtype.kind != "f":
        return values.tolist()
    rounded = np.round(values, DIGITS)
    gaps = np.isnan(rounded)
    return np.where(gaps, None, rounded).tolist() if gaps.any() else rounded.tolist()


def parts_json(parts: list[dict]) -> str:
    """Parts (`part`) as the widget takes them: what `rows_json` sends. orjson writes what
    `json.dumps(..., separators=(",", ":"))` writes, in a tenth of the time (the network's
    thousand rows took 4 ms a month to encode, half of the view's cost)."""
    return orjson.dumps({"parts": [p for p in parts if p["n"]]}).decode()


def _part(rows: list[dict]) -> dict:
    """Rows that have the same fields, by column; a field with one value for all as one."""
    columns, same = {}, {}
    for key in rows[0]:
        values = _column([row[key] for row in rows])
        if all(value == values[0] for value in values):
            same[key] = values[0]
        else:
            columns[key] = values
    return {"n": len(rows), "columns": columns, "same": same}


def rows_json(rows: list[dict]) -> str:
    """Rows as the widget takes them: one JSON string of parts, each a run of rows with the
    same fields sent by column (`{"parts": [{"n": rows, "columns": {field: [values]},
    "same": {field: value}}]}`), which the browser turns back into rows (`rows_from_json`
    does the same here). A string, because as a list of dicts reacton would walk the rows
    value by value on every render of the page; by column and rounded, because the network's
    thousand rows as objects of full-precision floats were 170 kB a month to encode, send and
    parse in the browser (a quarter of that so)."""
    parts, start = [], 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or rows[index].keys() != rows[start].keys():
            parts.append(_part(rows[start:index]))
            start = index
    return parts_json(parts)


def rows_from_json(text: str) -> list[dict]:
    """The rows the browser draws from `rows_json`'s string (a null field, NaN here, is left
    out: to Vega an absent field and a null are the same, not a valid datum)."""
    rows = []
    for part in json.loads(text)["parts"]:
        for index in range(part["n"]):
            row = dict(part["same"])
            row.update({key: values[index] for key, values in part["columns"].items()})
            rows.append({key: value for key, value in row.items() if value is not None})
    return rows


def spec_json(spec: dict) -> str:
    """A spec as the widget takes it: one JSON string, for the reason `rows_json` gives (the
    spec is a deep tree of dicts and lists that reacton would walk on every render)."""
    return json.dumps(spec, allow_nan=False, separators=(",", ":"))


class VegaChart(v.VuetifyTemplate):
    """`spec` is a Vega-Lite spec (JSON) whose data is `{"name": "rows"}`; `rows` its data (JSON). A new
    spec builds a new view; new rows only replace the dataset's contents and run the view.
    A `clickable` chart (a single view with `x` and `y` scales) reports each click in the
    data's coordinates in `click`."""

    template = traitlets.Unicode("""
<template>
  <div ref="chart" :class="['concertation-chart', chart_class]" :data-drawn="drawn"
       :data-rows="shown" style="width: 100%"></div>
</template>
<style id="concertation-chart">
.concertation-chart canvas { width: 100% !important; height: auto !important; display: block; }
</style>
<script>
// rows_json sends the rows by column, in parts of rows with the same fields; Vega wants
// objects (null fields left out).
function fromParts(data) {
  const rows = [];
  for (const part of data.parts) {
    const fields = Object.keys(part.columns);
    for (let i = 0; i < part.n; i++) {
      const row = {};
      for (const [field, value] of Object.entries(part.same)) {
        if (value !== null) { row[field] = value; }
      }
      for (const field of fields) {
        const value = part.columns[field][i];
        if (value !== null) { row[field] = value; }
      }
      rows.push(row);
    }
  }
  return rows;
}
module.exports = {
  data() { return {drawn: 0, shown: 0}; },
  mounted() { this.build(); },
  destroyed() { if (this.view) { this.view.finalize(); } },
  watch: {
    spec() { this.build(); },
    rows() { this.update(); },
    locale() { this.build(); },
  },
  methods: {
    cdn() {
      if (window.solara && window.solara.cdn) { return window.solara.cdn; }
      let base = document.body.dataset.baseUrl || document.baseURI;
      return (base.endsWith('/') ? base : base + '/') + '_solara/cdn';
    },
    libraries() {
      if (!this.loading) {
        const load = () => new Promise((resolve, reject) => {
          const paths = {};
          for (const [name, path] of Object.entries(this.paths)) {
            paths[name] = this.cdn() + '/' + path;
          }
          window.requirejs.config({paths: paths});
          window.requirejs(['vega', 'vega-lite'],
                           (vega, vegaLite) => resolve({vega, vegaLite}), reject);
        });
        this.loading = window.requirejs ? load() : new Promise((resolve, reject) => {
          const script = document.createElement('script');
          script.src = this.cdn() + '/requirejs@2.3.6/require.js';
          script.onload = resolve;
          script.onerror = reject;
          document.head.appendChild(script);
        }).then(load);
      }
      return this.loading;
    },
    async build() {
      const {vega, vegaLite} = await this.libraries();
      const compiled = vegaLite.compile(JSON.parse(this.spec)).spec;
      if (this.view) { this.view.finalize(); }
      const options = {renderer: 'canvas', container: this.$refs.chart, hover: false};
      if (this.locale && Object.keys(this.locale).length) { options.locale = {number: this.locale}; }
      this.view = new vega.View(vega.parse(compiled), options);
      this.$refs.chart.vegaView = this.view;  // for the browser tests
      if (this.clickable && !this.listening) {
        this.$refs.chart.addEventListener('click', event => this.clicked(event));
        this.listening = true;
      }
      await this.update();
    },
    clicked(event) {
      // In the data's coordinates: the canvas is shown scaled to its card (CSS), which Vega's
      // own x() does not know, so the page position is scaled back to the view's pixels.
      const canvas = this.$refs.chart.querySelector('canvas');
      if (!this.view || !canvas) { return; }
      const box = canvas.getBoundingClientRect();
      const logical = canvas.width / (window.devicePixelRatio || 1);
      const shrink = box.width / logical;
      const [left, top] = this.view.origin();
      const x = (event.clientX - box.left) / shrink - left;
      const y = (event.clientY - box.top) / shrink - top;
      this.click = {x: this.view.scale('x').invert(x), y: this.view.scale('y').invert(y),
                    n: (this.click && this.click.n || 0) + 1};
    },
    async update() {
      if (!this.view) { return; }
      const {vega} = await this.libraries();
      const data = JSON.parse(this.rows || '[]');
      const rows = Array.isArray(data) ? data : fromParts(data);
      this.view.change('""" + DATASET + """', vega.changeset().remove(() => true).insert(rows));
      await this.view.runAsync();
      this.shown = rows.length;
      this.drawn += 1;
      this.drawn_month = this.month;  // back to the server: the app's pacer waits for it
    },
  },
};
</script>
""").tag(sync=True)
    spec = traitlets.Unicode("{}").tag(sync=True)  # JSON, as `rows`: see `spec_json`
    rows = traitlets.Unicode("[]").tag(sync=True)  # JSON: see `rows_json`
    # The month (Mesa's redraw counter) of the rows sent, and of the rows the browser has
    # drawn: the browser sets `drawn_month` once the canvas shows them.
    month = traitlets.Int(0).tag(sync=True)
    drawn_month = traitlets.Int(-1).tag(sync=True)
    paths = traitlets.Dict({}).tag(sync=True)
    locale = traitlets.Dict({}).tag(sync=True)
    chart_class = traitlets.Unicode("").tag(sync=True)
    clickable = traitlets.Bool(False).tag(sync=True)
    click = traitlets.Dict({}).tag(sync=True)  # {x, y, n}: data coordinates, clicks counted


# d3-format locales: French writes 0,5 and groups thousands with a narrow space.
FORMAT_LOCALES = {
    "fr": {"decimal": ",", "thousands": "\u202f", "grouping": [3], "currency": ["", "\u00a0$"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
}
