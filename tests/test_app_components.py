"""The browser app's pieces that need no browser: words in both languages, the data the views
draw, the figures, the levers, the page built inside an AppLayout, and `concertation app`."""

from __future__ import annotations

import socket
import string
import threading
import time

import ipyvuetify as v
import numpy as np
import pytest
import solara
import solara.server.app  # as under a server: AppLayout renders the app bar
from matplotlib.figure import Figure
from mesa.visualization.utils import force_update, update_counter

from concertation.app import components as c
from concertation.app import scene
from concertation.app.i18n import LANGUAGES, STRINGS, fmt, t
from concertation.app.info import INFO
from concertation.app.levers import (
    LEVERS,
    AppModel,
    Settings,
    coerce_seed,
    in_use_summary,
    lever_values,
    presets,
)
from concertation.app.pacing import FramePacer
from concertation.app.vega import rows_from_json
from concertation.commands.app import OFFLINE_ENV, cmd_app, server_command, server_env
from simulation import ConcertationModel, load_scenario
from simulation.categories import ActorType, Tendency, label
from simulation.scenario import THEMES_DEFAULT
from simulation.typology import DESCENDING


@pytest.fixture(autouse=True)
def english():
    """The page's language is a module-level reactive: start and end every test in English."""
    c.language.set("en")
    yield
    c.language.set("en")


@pytest.fixture(scope="module")
def stepped() -> AppModel:
    """The programme-driven preset three years in: tables of several tendencies."""
    model = AppModel(Settings.of_preset("programme_driven"), seed=3)
    model.run(36)
    return model


# ---- words ----------------------------------------------------------------------------------

def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_string_in_both_languages_with_the_same_placeholders():
    for key, texts in STRINGS.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts[lang].strip() for lang in LANGUAGES), key
        assert _fields(texts["en"]) == _fields(texts["fr"]), key
    assert set(INFO) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert "###" in INFO[lang] and len(INFO[lang]) > 1500


def test_the_app_has_words_for_everything_it_names():
    names = [lever.name for lever in LEVERS] + ["seed", "evaluation"]
    names += [f"preset_{name}" for name in presets()]
    names += [f"tendency_{label(tendency)}" for tendency in Tendency]
    names += [f"actor_{label(kind)}" for kind in ActorType]
    names += [f"theme_{theme}" for theme in THEMES_DEFAULT]
    names += [f"evaluation_{code}" for code in ("results", "process", "none")]
    names += [key for key, _, _ in c.MONITORS] + [key for key, _, _ in c.PLOTS]
    missing = [name for name in names if name not in STRINGS]
    assert not missing


def test_numbers_written_as_each_language_does():
    assert fmt(0.5, "en") == "0.50"
    assert fmt(1.5, "fr", 1) == "1,5"
    values = dict(c.monitor_values(AppModel(), "fr"))
    assert "," in values[t("m_appropriation", "fr")]


# ---- data of the views ----------------------------------------------------------------------

def test_network_data_is_the_models_memberships(stepped: AppModel):
    data = scene.network_data(stepped)
    store = stepped.store
    live = np.flatnonzero(store.live[0])
    assert data.table_slot.tolist() == live.tolist()
    assert len(data.edges) == int(store.membership[0][:, live].sum())
    for actor, table in data.edges:
        assert store.membership[0, actor, live[table]]
    assert data.table_members.tolist() == store.membership[0][:, live].sum(axis=0).tolist()
    assert data.actor_xy.shape == (stepped.actors.n, 2)
    np.testing.assert_allclose(data.table_xy, scene.TABLE_RADIUS * store.agenda[0, live])
    assert set(data.table_tendency.tolist()) <= {int(x) for x in Tendency}


def test_tendency_points_sit_in_the_quadrant_of_their_tendency():
    seen = set()
    for preset in ("programme_driven", "co_construction", "baseline"):
        model = AppModel(Settings.of_preset(preset), seed=1)
        for _ in range(4):
            model.run(12)
            points = scene.tendency_points(model)
            assert len(points) == int(model.store.live.sum())
            np.testing.assert_array_equal(scene.quadrant(points["x"], points["y"]),
                                          points["tendency"])
            seen |= set(points["tendency"])
    assert {Tendency.EMPOWERMENT, Tendency.INSTRUMENTALISATION} <= seen


def test_quadrant_reads_the_two_axes_as_the_model_does():
    """Upper half descending, right half common cause (simulation/typology.py)."""
    x = np.array([0.5, -0.5, 0.5, -0.5])
    y = np.array([DESCENDING + 0.1, DESCENDING + 0.1, DESCENDING - 0.1, DESCENDING - 0.1])
    assert list(scene.quadrant(x, y)) == [Tendency.EMPOWERMENT, Tendency.INSTRUMENTALISATION,
                                      Tendency.AUTONOMISTE, Tendency.AFFAIRISTE]


def test_indicator_series_has_a_row_per_month(stepped: AppModel):
    series = c.indicator_series(stepped)
    assert len(series) == stepped.steps + 1
    assert {col for _, cols, _ in c.PLOTS for col in cols} <= set(series.columns)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_figures_draw_in_each_language(stepped: AppModel, lang: str):
    for draw in (c.network_figure, c.tendency_figure, c.indicators_figure, c.timeline_figure):
        fig = draw(stepped, lang)
        assert isinstance(fig, Figure)
        texts = {text.get_text() for text in fig.findobj(lambda a: hasattr(a, "get_text"))}
        png = c.figure_png(fig)
        assert png.startswith(b"\x89PNG") and len(png) > 10_000
        if draw is c.network_figure:
            assert t("actor_community_group", lang) in texts
            assert t("legend_tables", lang) in texts
            assert t("legend_origin_programme", lang) in texts
        if draw is c.tendency_figure:
            assert t("tendency_y", lang) in texts
        if draw is c.timeline_figure:
            assert t("timeline_y", lang) in texts and t("legend_origin_community", lang) in texts
        if draw is c.indicators_figure:
            assert t("p_over_solicited", lang) in texts


def test_the_network_is_drawn_without_touching_the_models_random_stream():
    model = AppModel(seed=5)
    model.run(6)
    state = model.rng.bit_generator.state
    c.network_figure(model, "en")
    c.tendency_figure(model, "en")
    assert model.rng.bit_generator.state == state


# ---- levers and the model they build ----------------------------------------------------------

@pytest.mark.parametrize("text, seed", [
    (7, 7), ("12", 12), (" 42 ", 42), ("3.0", 3), ("1e3", 1000), (4.0, 4), ("", 0), (None, 0),
    ("-5", 5), (-5, 5), ("-2.0", 2),
])
def test_seed_typed_in_a_text_box_becomes_an_int(text, seed):
    assert coerce_seed(text) == seed


@pytest.mark.parametrize("text", ["-5", "99999999999999999999", "1e400", "nan", "-inf", "x y"])
def test_any_seed_text_builds_a_model(text):
    model = AppModel(seed=text)
    model.step()
    assert model.seed_value >= 0


def test_stepping_past_the_end_does_nothing():
    model = AppModel(Settings.of_preset("baseline"))
    model.run(model.horizon - 2)
    for _ in range(5):  # a Step click with a render interval of 5
        model.step()
    assert model.steps == model.horizon and not model.running
    assert model.model_frame()["step"].max() == model.horizon  # nothing recorded after it


def test_a_step_waits_until_the_views_have_drawn_the_last_one():
    """Play must not run ahead of the drawing (a loaded machine froze, jumped, ignored Pause)."""
    model = AppModel(Settings.of_preset("baseline"))
    model.pacer = FramePacer(lambda: update_counter.value, patience=60)
    model.pacer.drawn(update_counter.value)
    model.step()  # the views are up to date: no wait
    force_update()  # Mesa asks for a redraw the views have not made yet
    stepper = threading.Thread(target=model.step)
    stepper.start()
    stepper.join(0.5)
    assert stepper.is_alive() and model.steps == 1
    model.pacer.drawn(update_counter.value)
    stepper.join(10)
    assert not stepper.is_alive() and model.steps == 2


def test_views_that_never_draw_hold_a_step_only_for_the_pacers_patience():
    pacer = FramePacer(lambda: 5, patience=0.05)
    assert not pacer.behind() and pacer.wait_for_views()  # nothing drawn yet: no views
    pacer.drawn(4)
    assert pacer.behind() and not pacer.wait_for_views()
    slow = FramePacer(lambda: 5, patience=2.0)
    slow.drawn(4)
    started = time.perf_counter()
    assert not slow.wait_for_views()
    for _ in range(5):  # the next steps of the same Step click: patience is spent once
        assert not slow.wait_for_views()
    assert time.perf_counter() - started < 2.0 * 2


def test_the_page_tells_the_pacer_what_the_browser_has_drawn(monkeypatch):
    """The pacer hears of a month when the browser has drawn the network's rows of that month
    (the chart reports `drawn_month`), not when the server has sent them."""
    seen: list[tuple[object, int]] = []
    monkeypatch.setattr(c, "views_drawn", lambda model, counter: seen.append((model, counter)))
    _box, rc = _render()
    rc.find(v.Btn, children=["Step"]).widget.click()
    rc.find(v.Html, children=["Time: 1.0"]).assert_single()
    network = rc.find(c.VegaChart, chart_class="concertation-network-chart").widget
    assert network.month == update_counter.value  # the rows sent carry their month
    assert not any(counter == network.month for _model, counter in seen)  # not drawn yet
    network.drawn_month = network.month  # what the browser sends once the canvas shows them
    model, counter = seen[-1]
    assert isinstance(model, AppModel) and model.steps == 1 and counter == update_counter.value


def test_a_word_as_seed_is_hashed_stably():
    assert coerce_seed("abc") == coerce_seed("abc") != coerce_seed("abd")
    assert isinstance(coerce_seed("abc"), int)


@pytest.mark.parametrize("preset", ["baseline", "programme_driven", "co_construction"])
def test_app_model_is_the_preset_itself(preset: str):
    """The app adds no behaviour: with the preset's levers it runs exactly as the model does."""
    app_model = AppModel(Settings.of_preset(preset), seed="11").run(24)
    plain = ConcertationModel(preset, rng=11).run(24)
    assert lever_values(app_model.params) == lever_values(load_scenario(preset))
    assert app_model.model_frame().equals(plain.model_frame())


def test_levers_change_the_models_parameters():
    settings = Settings.of_preset("programme_driven")
    settings.set("prescription", 0.25)
    settings.set("evaluation", "process")
    settings.set("territorial_table", True)
    settings.set("community_groups", 90)
    model = AppModel(settings, seed=2)
    design = model.params.programmes.design
    assert design.prescription == 0.25 and design.evaluation == "process"
    assert model.params.integration.territorial_table
    assert model.params.population.community_groups == 90
    assert model.params.programmes.launch_rate_multiplier == 2.0  # the preset's, untouched
    with pytest.raises(KeyError):
        settings.set("no_such_lever", 1)
    assert "0.25" in in_use_summary(model, "en", "x") and "0,25" in in_use_summary(model, "fr", "x")


def test_choosing_a_preset_takes_its_lever_values():
    settings = Settings.of_preset("baseline")
    settings.set("prescription", 0.0)
    settings.choose("co_construction")
    assert settings.values == lever_values(load_scenario("co_construction"))


# ---- the page, browser-less (inside an AppLayout, or the sidebar does not render) -----------

def _render():
    from concertation.app.page import Page

    return solara.render(solara.AppLayout(children=[Page()]), handle_error=False)


def _text(rc, css: str) -> str:
    return rc.find(v.Html, class_=css).widget.children[0]


def test_page_steps_resets_to_a_preset_applies_levers_and_speaks_french():
    _box, rc = _render()
    rc.find(v.Btn, children=["Step"]).widget.click()
    rc.find(v.Btn, children=["Step"]).widget.click()
    rc.find(v.Html, children=["Time: 2.0"]).assert_single()
    assert _text(rc, "concertation-in-use").startswith("Baseline")

    rc.find(v.Select, class_="concertation-preset").widget.v_model = "programme_driven"
    rc.find(v.Html, children=["Time: 0.0"]).assert_single()
    assert "prescription 0.80" in _text(rc, "concertation-in-use")

    slider = next(w for w in rc.find(v.Slider).widgets
                  if str(w.label).startswith("Prescribed results"))
    slider.v_model = 0.35
    assert _text(rc, "concertation-levers-note") == t("levers_pending", "en")
    assert "prescription 0.80" in _text(rc, "concertation-in-use")  # until Reset
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert "prescription 0.35" in _text(rc, "concertation-in-use")
    assert _text(rc, "concertation-levers-note") == t("levers_hint", "en")

    rc.find(v.BtnToggle, class_="concertation-language").widget.v_model = LANGUAGES.index("fr")
    assert c.language.value == "fr"
    assert _text(rc, "concertation-in-use").startswith("Par programmes")
    rc.find(v.CardTitle, children=[t("levers_card", "fr")]).assert_single()
    rc.find(v.Html, children=[t("m_tables_active", "fr")]).assert_single()


def test_starting_the_current_preset_again_restarts_it_with_its_levers():
    _box, rc = _render()
    rc.find(v.Select, class_="concertation-preset").widget.v_model = "programme_driven"
    rc.find(v.Btn, children=["Step"]).widget.click()
    slider = next(w for w in rc.find(v.Slider).widgets
                  if str(w.label).startswith("Prescribed results"))
    slider.v_model = 0.35
    rc.find(v.Btn, class_="concertation-preset-again").widget.click()
    rc.find(v.Html, children=["Time: 0.0"]).assert_single()
    assert "prescription 0.80" in _text(rc, "concertation-in-use")
    assert _text(rc, "concertation-levers-note") == t("levers_hint", "en")
    slider = next(w for w in rc.find(v.Slider).widgets
                  if str(w.label).startswith("Prescribed results"))
    assert slider.v_model == 0.8


def test_each_page_builds_its_own_model():
    _box1, rc1 = _render()
    _box2, rc2 = _render()
    rc1.find(v.Btn, children=["Step"]).widget.click()
    rc1.find(v.Html, children=["Time: 1.0"]).assert_single()
    rc2.find(v.Html, children=["Time: 0.0"]).assert_single()


def test_a_replaced_run_and_the_run_of_an_ended_page_let_go_of_their_state():
    """Solara 1.58 keeps every player it made, and each player its model (a kernel-start
    callback of `use_task` is never removed): a run replaced by a preset or Reset, and the
    run of a page that ended, must drop their territory, or each session keeps ~2 MB."""
    import gc
    import weakref

    from solara.lifecycle import _on_kernel_start_callbacks

    def live_models() -> list[AppModel]:
        gc.collect()
        return [o for o in gc.get_objects() if isinstance(o, AppModel)]

    callbacks = len(_on_kernel_start_callbacks)
    before = {id(model) for model in live_models()}
    _box, rc = _render()
    rc.find(v.Btn, children=["Step"]).widget.click()
    first = weakref.ref(next(m for m in live_models() if id(m) not in before))
    rc.find(v.Select, class_="concertation-preset").widget.v_model = "programme_driven"
    rc.find(v.Btn, children=["Step"]).widget.click()
    rc.find(v.Html, children=["Time: 1.0"]).assert_single()
    assert len(_on_kernel_start_callbacks) > callbacks  # Solara's leak, which this works around
    replaced = first()
    assert replaced is not None and replaced.retired and not hasattr(replaced, "store")
    assert "prescription 0.80" in _text(rc, "concertation-in-use")  # the new run is whole
    current = next(m for m in live_models() if id(m) not in before and not m.retired)
    assert current.steps == 1 and current.preset == "programme_driven"
    rc.close()
    assert current.retired and not hasattr(current, "store") and current.steps == 1
    current.step()  # its player's late step does nothing
    assert current.steps == 1


# ---- concertation app -------------------------------------------------------------------------

def test_server_runs_offline_and_quiet():
    env = server_env("fr", base={"PATH": "/bin"})
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"
    assert env["SOLARA_ASSETS_PROXY"] == "true"
    assert env["SOLARA_ASSETS_CDN"].startswith("http://127.0.0.1")
    assert env["CONCERTATION_APP_LANG"] == "fr" and env["PATH"] == "/bin"
    assert set(OFFLINE_ENV) <= set(env)
    assert env["SOLARA_KERNEL_CULL_TIMEOUT"] == "2m"  # a vanished tab's session is freed soon
    own = server_env(base={"SOLARA_KERNEL_CULL_TIMEOUT": "10m"})
    assert own["SOLARA_KERNEL_CULL_TIMEOUT"] == "10m"
    command = server_command("127.0.0.1", 8765)
    assert "--no-check-version" in command and "--production" in command
    assert "concertation.app.page" in command


def test_app_command_refuses_a_busy_port(cli):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, out, err = cli("app", "--port", port)
    assert code == 2 and "cannot listen" in err and out == ""


def test_app_command_is_registered():
    from concertation.cli import build_parser

    args = build_parser().parse_args(["app"])
    assert args.handler is cmd_app
    assert (args.host, args.port, args.lang) == ("127.0.0.1", 8765, None)


def test_a_preset_after_a_finished_run_gives_a_fresh_player():
    _box, rc = _render()
    rc.find(v.Select, class_="concertation-preset").widget.v_model = "les_moulins"  # 120 months
    interval = next(w for w in rc.find(v.Slider).widgets if w.label == "Render Interval (steps)")
    interval.v_model = 100
    rc.find(v.Btn, children=["Step"]).widget.click()
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert rc.find(v.Btn, children=["Step"]).widget.disabled  # the run reached its horizon
    rc.find(v.Select, class_="concertation-preset").widget.v_model = "baseline"
    assert not rc.find(v.Btn, children=["Step"]).widget.disabled
    rc.find(v.Html, children=["Time: 0.0"]).assert_single()
    interval = next(w for w in rc.find(v.Slider).widgets if w.label == "Render Interval (steps)")
    assert interval.v_model == 100  # the class's setting outlives the player
    rc.find(v.Btn, children=["Step"]).widget.click()
    rc.find(v.Html, children=["Time: 100.0"]).assert_single()


def test_a_users_own_solaraviz_page_resets_steps_and_plots():
    """A Mesa user's page: SolaraViz re-creates the model on Reset with a Mesa Scenario."""
    from mesa.visualization import SolaraViz, make_plot_component

    from simulation import ConcertationModel

    model = ConcertationModel("baseline", rng=1, years=2)
    params = {"group_time_budget": {"type": "SliderFloat", "value": 10.0, "min": 5.0,
                                    "max": 20.0, "step": 1.0, "label": "Group hours"}}
    page = SolaraViz(model, components=[make_plot_component("tables_active")],
                     model_params=params, name="mine")
    _box, rc = solara.render(solara.AppLayout(children=[page]), handle_error=False)
    rc.find(v.Btn, children=["Step"]).widget.click()
    rc.find(v.Html, children=["Time: 1.0"]).assert_single()
    rc.find(v.Btn, children=["Reset"]).widget.click()
    rc.find(v.Html, children=["Time: 0.0"]).assert_single()
    rc.find(v.Btn, children=["Step"]).widget.click()
    rc.find(v.Html, children=["Time: 1.0"]).assert_single()


def test_mesas_words_translate_both_ways_and_never_to_themselves():
    """The translator rewrites a text only into another one, and back (a word translated to
    itself would rewrite the page forever)."""
    from concertation.app.translate import MESA_WORDS_FR, words_for

    assert all(english != french for english, french in MESA_WORDS_FR.items())
    there, back = words_for("fr"), words_for("en")
    assert all(back[there[word]] == word for word in there)
    assert not set(there) & set(back)


def test_the_odd_page_renders_the_repositorys_odd_or_says_where_it_is(tmp_path):
    from concertation.app.odd import ODD_FILE, odd_html

    html = odd_html(ODD_FILE)
    assert "<h2" in html and "Purpose and patterns" in html and "<table>" in html
    assert odd_html(tmp_path / "missing.md") is None


def test_a_step_renders_no_component_and_its_numbers_survive_a_render(monkeypatch):
    """After a step the page is not rendered again: what a month changes is sent to the
    widgets (`use_monthly`), so the server's month costs the model and the rows, not a
    reconsolidation of the page (a third of it before). A later render for another reason
    (here a selection) must not put back the numbers of the month the elements were made."""
    import reacton.core

    model = ConcertationModel("baseline", rng=3)
    _box, rc = solara.render(c.Views(model), handle_error=False)
    step = rc.find(v.Sheet, class_="pa-2 monitor-step").widget
    assert "Month 0 ·" in step.children[0].children[0]
    created: list[str] = []
    original = reacton.core.Element.__init__

    def counting(self, component, *args, **kwargs):
        # Ours only: pages of earlier tests (a Mesa plot) still follow the global counter.
        if getattr(getattr(component, "f", None), "__module__", "").startswith("concertation"):
            created.append(component.name)
        original(self, component, *args, **kwargs)

    monkeypatch.setattr(reacton.core.Element, "__init__", counting)
    model.step()
    force_update()
    assert created == [], created
    assert "Month 1 ·" in step.children[0].children[0]
    monkeypatch.setattr(reacton.core.Element, "__init__", original)
    network = rc.find(c.VegaChart, chart_class="concertation-network-chart").widget
    x, y = next((row["x"], row["y"]) for row in rows_from_json(network.rows)
                if row["layer"] == "table")
    network.click = {"x": x, "y": y, "n": 1}  # selects that table: the views render
    rc.find(v.Html, class_="concertation-inspect-name").assert_single()
    assert "Month 1 ·" in step.children[0].children[0]

