"""The browser-drawn time views: specs that Vega-Lite 5 (as solara-assets ships it) accepts,
and rows that are the model's own numbers. That the browser draws them is tested in
test_app_browser.py."""

from __future__ import annotations

import json
import math

import jsonschema
import pytest
from solara.server import settings

from concertation.app import charts, scene
from concertation.app import components as c
from concertation.app.experiments import Reference
from concertation.app.i18n import LANGUAGES, t
from concertation.app.levers import AppModel, Settings
from concertation.app.vega import (
    DATASET,
    DIGITS,
    clean,
    rows_from_json,
    rows_json,
    shipped_libraries,
)
from simulation.events import events, turnover


@pytest.fixture(scope="module")
def exit_run() -> AppModel:
    """A run with every kind of event: programmes launched and ended, a funder's exit."""
    model = AppModel(Settings.of_preset("funder_exit"), seed=2)
    model.run(150)
    return model


@pytest.fixture(scope="module")
def schema() -> dict:
    libraries = shipped_libraries()
    folder = settings.assets.proxy_cache_dir / libraries["vega-lite"].split("/")[0] / "build"
    return json.loads((folder / "vega-lite-schema.json").read_text())


def test_vega_and_vega_lite_are_served_from_the_installed_assets():
    libraries = shipped_libraries()
    assert set(libraries) == {"vega", "vega-lite"}
    for path in libraries.values():
        assert path.split("@")[1][0] == "5"  # the major version the specs are written for
        assert (settings.assets.proxy_cache_dir / f"{path}.js").stat().st_size > 100_000


def test_a_missing_library_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="vega is not in"):
        shipped_libraries(tmp_path)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_specs_are_valid_vega_lite_in_each_language(exit_run: AppModel, schema: dict,
                                                     lang: str):
    reference = Reference(lambda lang: "Baseline", c.indicator_series(exit_run))
    for spec in (charts.indicators_spec(exit_run, lang, c.PLOTS),
                 charts.indicators_spec(exit_run, lang, c.PLOTS, reference),
                 charts.timeline_spec(exit_run, lang), charts.network_spec(exit_run, lang),
                 charts.tendency_spec(lang)):
        jsonschema.validate(spec, schema)
        assert spec["data"] == {"name": DATASET}
        text = json.dumps(spec, ensure_ascii=False)
        assert t("year", lang) in text or t("legend_actors", lang) in text \
            or t("tendency_y", lang) in text
    panels = charts.indicators_spec(exit_run, lang, c.PLOTS)["concat"]
    assert [panel["title"]["text"] for panel in panels] == [t(key, lang) for key, _, _ in c.PLOTS]
    assert t("legend_origin_programme", lang) in json.dumps(charts.timeline_spec(exit_run, lang),
                                                            ensure_ascii=False)


def test_indicator_rows_are_the_models_months_and_events(exit_run: AppModel):
    series = c.indicator_series(exit_run)
    rows = charts.indicators_rows(exit_run, series)
    months = [row for row in rows if "run" in row]
    assert len(months) == exit_run.steps + 1
    assert [row["tables_active"] for row in months] == series["tables_active"].tolist()
    marked = [row for row in rows if "event" in row]
    happened = events(exit_run)
    assert [row["event"] for row in marked] == happened["kind"].tolist()
    assert "funder_exit" in happened["kind"].tolist()
    json.dumps(rows, allow_nan=False)  # what the widget sends must be plain JSON


def test_a_reference_run_adds_its_months_and_its_gaps_become_nulls(exit_run: AppModel):
    series = c.indicator_series(exit_run)
    gappy = series.copy()
    gappy.iloc[3, gappy.columns.get_loc("appropriation")] = math.nan
    rows = charts.indicators_rows(exit_run, series.iloc[:10], Reference(lambda lang: "Baseline", gappy))
    reference = [row for row in rows if row.get("run") == "reference"]
    assert len(reference) == len(series)
    assert "appropriation" not in reference[3] and "appropriation" in reference[2]
    assert clean([{"x": math.nan, "y": 1.5}]) == [{"x": None, "y": 1.5}]


def test_timeline_rows_count_every_table_created_and_dissolved(exit_run: AppModel):
    rows = [row for row in charts.timeline_rows(exit_run) if "change" in row]
    counts = turnover(exit_run)
    shown = counts[counts["year"] <= exit_run.params.run.start_year + exit_run.steps / 12]
    created = sum(row["count"] for row in rows if row["change"] == "created")
    dissolved = -sum(row["count"] for row in rows if row["change"] == "dissolved")
    assert created == shown["created"].sum() > 0
    assert dissolved == shown["dissolved"].sum() > 0
    assert {row["origin"] for row in rows} <= set(charts.ORIGIN_COLOUR)


@pytest.mark.parametrize("years", [3, 10, 20, 40])
def test_small_panels_label_few_years_and_never_overlap(years: int):
    model = AppModel(Settings.of_preset("baseline"), seed=1)
    model.params.run.years = years
    for panel in charts.indicators_spec(model, "en", c.PLOTS)["concat"]:
        axis = panel["layer"][0]["encoding"]["x"]["axis"]
        assert 2 <= len(axis["values"]) <= 3 and axis["labelOverlap"]
        assert axis["values"][0] == model.params.run.start_year
    timeline = charts.timeline_spec(model, "en")["layer"][0]["encoding"]["x"]["axis"]
    assert len(timeline["values"]) <= 12


def test_rows_sent_by_column_come_back_as_the_rows_drawn(exit_run: AppModel):
    """The browser rebuilds the rows from `rows_json`'s parts (vega.py's `fromParts` does what
    `rows_from_json` does): the same rows, numbers to `DIGITS` decimals, NaN left out."""
    data = scene.network_data(exit_run, 0)
    rows = charts.network_rows(exit_run, "en", data, scene.highlight(exit_run, data, None, 0))
    rows.append({"layer": "text", "x": math.nan, "y": 0.123456, "text": "gap",
                 "colour": "#555555"})
    expected = [{key: round(value, DIGITS) if isinstance(value, float) else value
                 for key, value in row.items() if value is not None}
                for row in clean(rows)]
    assert rows_from_json(rows_json(rows)) == expected
    assert expected[-1] == {"layer": "text", "y": 0.1235, "text": "gap", "colour": "#555555"}
    assert len(rows_json(rows)) < 0.4 * len(json.dumps(rows))
