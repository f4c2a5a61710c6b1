"""Inspecting a table or an actor: where the figures drew what (a click on the image finds it),
what the panel says about it, and the selection highlighted; the panel in the page."""

from __future__ import annotations

import io

import ipyvuetify as v
import numpy as np
import pytest
import solara
import solara.server.app
from matplotlib.image import imread

from concertation.app import charts, scene
from concertation.app import components as c
from concertation.app.i18n import t
from concertation.app.inspect import (
    ACTOR,
    TABLE,
    Selection,
    actor_details,
    selected_slots,
    table_details,
)
from concertation.app.levers import AppModel, Settings
from concertation.app.vega import VegaChart, rows_from_json
from simulation.categories import ActorType


@pytest.fixture(scope="module")
def after_exit() -> AppModel:
    """funder_exit two years after the foundation left: programme tables alive and dissolved."""
    model = AppModel(Settings.of_preset("funder_exit"), seed=3)
    model.run(144)
    return model


@pytest.fixture(autouse=True)
def english():
    c.language.set("en")
    yield
    c.language.set("en")


def _pixels(figure) -> np.ndarray:
    return imread(io.BytesIO(c.figure_png(figure)))[..., :3]


def _isolated(hits, kind: str, gap: float = 0.025) -> np.ndarray:
    """Indices of the `kind` points no other point of that kind is drawn near (tables are drawn
    over actors, so a click there is unambiguous)."""
    same = np.flatnonzero(np.array(hits.kinds) == kind)
    xy = np.column_stack([hits.x[same], hits.y[same] * hits.aspect])
    gaps = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(gaps, np.inf)
    return same[gaps.min(axis=1) > gap]


def test_a_click_where_a_table_is_drawn_finds_that_table(after_exit: AppModel):
    """The network chart's rows put each table at its agenda; a click there (or just beside
    it), reported in data coordinates, selects it; a click where nothing is drawn selects
    nothing. That the browser draws the rows where the click lands: test_app_browser.py."""
    data = scene.network_data(after_exit)
    rows = charts.network_rows(after_exit, "en", data, scene.highlight(after_exit, data, None, 0))
    hits = charts.network_hits(data, 0)
    frame = charts.NETWORK_FRAME
    tables = _isolated(hits, TABLE)
    assert tables.size >= 5
    drawn = {row["id"]: (row["x"], row["y"]) for row in rows if row["layer"] == "table"}
    assert set(drawn) == set(after_exit.store.table_id[0, after_exit.store.live[0]].tolist())
    for index in tables:
        table_id = int(hits.keys[index])
        x, y = drawn[table_id]
        assert frame.select(hits, {"x": x + 0.01, "y": y}) == Selection(TABLE, 0, table_id)
    assert frame.select(hits, {"x": 1.59, "y": 1.59}) is None  # a corner with nothing drawn


def test_a_click_on_an_actor_and_on_the_diagram_select_them(after_exit: AppModel):
    data = scene.network_data(after_exit)
    hits = charts.network_hits(data, 0)
    actor = int(hits.keys[_isolated(hits, ACTOR)[0]])
    x, y = data.actor_xy[actor]
    assert charts.NETWORK_FRAME.select(hits, {"x": x, "y": y}) == Selection(ACTOR, 0, actor)
    rows, diagram = charts.tendency_rows(after_exit, "en", None)
    live_ids = set(after_exit.store.table_id[after_exit.store.live].tolist())
    assert set(diagram.keys.tolist()) == live_ids and len(rows) == len(live_ids)
    point = _isolated(diagram, TABLE)[0]
    x, y = rows[point]["x"], rows[point]["y"]
    assert charts.TENDENCY_FRAME.select(diagram, {"x": x, "y": y}).key == diagram.keys[point]


def test_a_programme_tables_details_say_where_it_comes_from_and_who_sits(after_exit: AppModel):
    records = after_exit.table_records()
    alive = records[(records["creator_funder"] != "") & (records["state"] != "dissolved")]
    table_id = int(alive["table_id"].iloc[0])
    details = dict(table_details(after_exit, table_id, "en"))
    assert details["Origin"] == t("origin_programme", "en")
    assert details["Programme of"] == alive["creator_funder"].iloc[0]
    slot = after_exit.registry.slot[table_id]
    kinds = after_exit.actors.kind[after_exit.store.membership[0, :, slot]]
    counted = sum(int(part.rsplit(": ", 1)[1]) for part in details["Members"].split("; "))
    assert counted == kinds.size
    for key in ("Appropriation", "Tendency", "Model of concertation", "Meeting time",
                "Convened by", "Linked to", "Attendance", "Age", "Funding"):
        assert details[key], key
    french = dict(table_details(after_exit, table_id, "fr"))
    assert french["Origine"] == t("origin_programme", "fr") and "," in french["Appropriation"]


def test_a_dissolved_table_says_when_and_why_it_ended(after_exit: AppModel):
    registry = after_exit.registry
    gone = next(i for i in range(len(registry)) if registry.is_dissolved(i)
                and registry.dissolved[i] > 0)
    details = dict(table_details(after_exit, gone, "en"))
    year = f"{after_exit.params.run.start_year + registry.dissolved[gone] / 12:.0f}"
    assert details["State"].startswith(f"dissolved in {year}")
    assert selected_slots(after_exit, Selection(TABLE, 0, gone), 0)[0].size == 0


def test_an_actors_details_list_its_tables_time_and_dependence(after_exit: AppModel):
    actors, store = after_exit.actors, after_exit.store
    groups = np.flatnonzero(actors.kind == ActorType.COMMUNITY_GROUP)
    busiest = int(groups[np.argmax(store.membership[0][groups].sum(axis=1))])
    details = dict(actor_details(after_exit, 0, busiest, "en"))
    seats = int(store.membership[0, busiest].sum())
    assert details["Tables"].startswith(f"{seats}: ")
    assert details["Tables"].count("Table ") == seats
    assert f"budget of {actors.budget[0, busiest]:.0f}" in details["Time (hours a month)"]
    assert details["Income from programmes"].endswith("%")
    slots, actor = selected_slots(after_exit, Selection(ACTOR, 0, busiest), 0)
    assert actor == busiest and slots.size == seats


def test_the_selection_is_highlighted_without_touching_the_random_stream(after_exit: AppModel):
    state = after_exit.rng.bit_generator.state
    data = scene.network_data(after_exit)
    table_id = int(data.table_id[0])
    chosen = Selection(TABLE, 0, table_id)

    def lit(selection) -> list[dict]:
        rows = charts.network_rows(after_exit, "en", data,
                                   scene.highlight(after_exit, data, selection, 0))
        return [row for row in rows if row.get("lit") or row["layer"] == "seat"]

    assert lit(None) == []
    members = int(data.table_members[0])
    shown = lit(chosen)
    assert [row["id"] for row in shown if row["layer"] == "table"] == [table_id]
    assert sum(row["layer"] == "actor" for row in shown) == members
    assert sum(row["layer"] == "seat" for row in shown) == members
    rows, _ = charts.tendency_rows(after_exit, "en", chosen)
    assert sum(row["lit"] for row in rows) == 1
    # The PNG downloads draw the same selection in orange.
    highlight = np.array([int(scene.HIGHLIGHT[i:i + 2], 16) / 255 for i in (1, 3, 5)])

    def orange(pixels: np.ndarray) -> int:
        return int((np.abs(pixels - highlight).sum(axis=2) < 0.1).sum())

    assert orange(_pixels(c.network_figure(after_exit, "en"))) == 0
    assert orange(_pixels(c.network_figure(after_exit, "en", selection=chosen))) > 50
    assert orange(_pixels(c.tendency_figure(after_exit, "en", selection=chosen))) > 20
    assert after_exit.rng.bit_generator.state == state


def test_the_page_inspects_what_is_clicked_and_clears_on_a_new_model():
    from concertation.app.page import Page

    _box, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    for _ in range(3):
        rc.find(v.Btn, children=["Step"]).widget.click()
    network = rc.find(VegaChart, chart_class="concertation-network-chart").widget
    assert any(row["layer"] == "table" for row in rows_from_json(network.rows))
    model_tables = rc.find(v.Autocomplete, class_="concertation-inspect-table").widget.items
    assert model_tables  # the baseline has tables after its spin-up
    assert not any(row.get("lit") for row in rows_from_json(network.rows))
    picked = rc.find(v.Autocomplete, class_="concertation-inspect-table").widget
    picked.v_model = model_tables[0]["value"]
    network = rc.find(VegaChart, chart_class="concertation-network-chart").widget
    assert any(row.get("lit") for row in rows_from_json(network.rows))  # the selection is drawn
    name = rc.find(v.Html, class_="concertation-inspect-name").widget.children[0]
    assert name == model_tables[0]["text"]
    details = next(w for w in rc.find(solara.widgets.HTML).widgets
                   if w.attributes.get("class") == "concertation-inspect-details").unsafe_innerHTML
    assert t("inspect_origin", "en") in details and t("inspect_tendency", "en") in details
    network.click = {"x": 1.59, "y": 1.59, "n": 1}  # nothing there: the selection clears
    rc.find(v.Html, class_="concertation-inspect-name").assert_empty()
    rc.find(v.Autocomplete, class_="concertation-inspect-actor").widget.v_model = 0
    rc.find(v.Html, class_="concertation-inspect-name").assert_single()
    rc.find(v.Btn, children=["Reset"]).widget.click()
    rc.find(v.Html, class_="concertation-inspect-name").assert_empty()


# ---- guided experiments and the previous run kept faintly ---------------------------------

def _caption(rc) -> str:
    """The indicators card's caption."""
    return rc.find(v.Html, class_="concertation-indicators-caption").widget.children[0]


def test_a_guided_experiment_runs_its_reference_and_sets_up_its_variant():
    from concertation.app.page import Page

    _box, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    rc.find(v.Btn, children=["Step"]).widget.click()
    rc.find(v.Btn, class_="concertation-experiment-programme_design").widget.click()
    rc.find(v.Html, children=["Time: 0.0"]).assert_single()
    summary = rc.find(v.Html, class_="concertation-in-use").widget.children[0]
    assert summary.startswith("Programme-driven") and "prescription 0.20" in summary
    assert "dashed: Programme-driven." in _caption(rc)
    # Any new run keeps the one before it: step, then start the preset again.
    rc.find(v.Btn, children=["Step"]).widget.click()
    rc.find(v.Btn, class_="concertation-preset-again").widget.click()
    assert "previous run (Programme-driven, seed 0)" in _caption(rc)
    c.language.set("fr")  # the kept run's label follows the page's language
    assert "tirets : essai précédent (" in _caption(rc) and "graine 0)" in _caption(rc)
    assert "previous run" not in _caption(rc)


def test_the_reference_is_drawn_dashed_on_every_indicator(after_exit: AppModel):
    from concertation.app.experiments import Reference

    reference = Reference(lambda lang: "Baseline", c.indicator_series(after_exit))
    plain = c.indicators_figure(after_exit, "en")
    compared = c.indicators_figure(after_exit, "en", reference)

    def dashed(fig) -> int:
        return sum(line.get_linestyle() == "--" for ax in fig.axes for line in ax.get_lines())

    columns = sum(len(cols) for _, cols, _ in c.PLOTS)
    assert dashed(compared) - dashed(plain) == columns
    assert any(text.get_text() == "dashed: Baseline" for text in compared.texts)
