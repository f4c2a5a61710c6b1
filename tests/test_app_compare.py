"""The app's compare page without a browser: the comparison it runs (through the analysis API),
what it draws and writes in both languages, and the panel built inside an AppLayout."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import ipyvuetify as v
import ipywidgets
import numpy as np
import pytest
import solara
from matplotlib.figure import Figure

from analyses.comparison.compare import run_comparison
from concertation.app import compare as cmp
from concertation.app.components import language
from concertation.app.i18n import LANGUAGES, STRINGS, t
from concertation.app.levers import presets
from concertation.cli import build_parser
from concertation.commands import app as app_cli

PAIR = ["baseline", "programme_driven"]


@pytest.fixture(autouse=True)
def fresh_session():
    """Module-level reactives are per browser session; here one session: reset them."""
    def reset() -> None:
        language.set("en")
        cmp.chosen_presets.set(list(cmp.DEFAULT_PRESETS))
        cmp.replications.set(cmp.DEFAULT_REPLICATIONS)
        cmp.years.set(cmp.DEFAULT_YEARS)
        cmp.first_seed.set(0)
        cmp.runs_done.set((0, 0))
        cmp.result.set(None)

    reset()
    yield
    reset()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> tuple[cmp.Comparison, Path, list[tuple[int, int]]]:
    """2 scenarios x 2 replications x 1 year, through the function the page's Run button uses."""
    folder = tmp_path_factory.mktemp("compare")
    calls: list[tuple[int, int]] = []
    comparison = cmp.compare(PAIR, 2, 1, folder, seed=3,
                             on_run=lambda done, total: calls.append((done, total)))
    return comparison, folder, calls


# ---- the comparison ---------------------------------------------------------------------------

def test_a_tiny_comparison_gives_bands_for_both_scenarios(tiny):
    comparison, folder, calls = tiny
    assert comparison.presets == tuple(PAIR) and comparison.request == (tuple(PAIR), 2, 1, 3)
    bands = comparison.bands
    assert list(dict.fromkeys(bands["scenario"])) == PAIR
    indicators = [column for _, column, _ in cmp.INDICATORS]
    for name in PAIR:
        mine = bands[bands["scenario"] == name]
        assert set(mine["indicator"]) == set(indicators)
        assert (mine["n"] == 2).all()
        assert mine["year"].min() == 2000 and mine["year"].max() == 2001  # one year, monthly
        assert len(mine) == 13 * len(indicators)
        assert (mine["ci95_low"] <= mine["mean"] + 1e-12).all()
        assert (mine["mean"] <= mine["ci95_high"] + 1e-12).all()
        assert (mine["ci95_high"] > mine["ci95_low"]).any()  # a band, not a line
    final = comparison.final
    assert set(final["scenario"]) == set(PAIR) and set(final["indicator"]) == set(indicators)
    assert comparison.final_year == 2001
    assert calls == [(done, 4) for done in range(5)]  # the page's "k of n runs"
    assert len(list((folder / "runs").glob("*.parquet"))) == 4


def test_run_by_run_is_the_comparison_of_the_analysis_api(tiny, tmp_path):
    """Counting the runs changes nothing: the same runs as one `run_comparison` call."""
    _, folder, _ = tiny
    mine = cmp.run_presets(PAIR, 2, 1, folder, seed=3)  # every run cached: stacks them again
    plain = run_comparison(cmp.comparison_plan(PAIR, 2, 1, 3), tmp_path, workers=1,
                           engine="serial", progress=False)
    assert mine.equals(plain)
    assert sorted(p.name for p in (tmp_path / "runs").glob("*.parquet")) == sorted(
        p.name for p in (folder / "runs").glob("*.parquet"))
    assert set(mine["seed"]) == {3, 4} and set(mine["replication"]) == {0, 1}


def test_a_comparison_stops_between_runs_when_asked(tmp_path):
    done: list[int] = []
    result = cmp.compare(PAIR, 2, 1, tmp_path, on_run=lambda k, _n: done.append(k),
                         stop=lambda: len(done) > 2)
    assert result is None and done == [0, 1, 2]
    assert len(list((tmp_path / "runs").glob("*.parquet"))) == 2


@pytest.mark.parametrize("chosen, replications, years, seed", [
    (["baseline"], 2, 1, 0),  # one scenario
    (["baseline", "baseline"], 2, 1, 0),
    (presets()[:5], 2, 1, 0),  # five
    (["baseline", "no_such_preset"], 2, 1, 0),
    (PAIR, 0, 1, 0), (PAIR, cmp.MAX_REPLICATIONS + 1, 1, 0),
    (PAIR, 2, 0, 0), (PAIR, 2, cmp.MAX_YEARS + 1, 0),
    (PAIR, 2, 1, -1),
])
def test_what_the_page_does_not_offer_is_refused_before_running(chosen, replications, years,
                                                                seed, tmp_path):
    with pytest.raises(ValueError):
        cmp.compare(chosen, replications, years, tmp_path, seed)
    assert not (tmp_path / "runs").exists()


def test_years_apply_to_every_preset():
    plan = cmp.comparison_plan(["les_moulins", "baseline"], 3, 7, seed=10)
    assert {s.run.years for s in plan.scenarios.values()} == {7}
    assert plan.seeds == [10, 11, 12]


# ---- words, figure and table -------------------------------------------------------------------

def test_the_compare_page_has_words_for_every_preset_in_both_languages():
    keys = [f"preset_short_{name}" for name in presets()]
    keys += [key for key in STRINGS if key.startswith(("compare_", "nav_", "years_"))]
    assert len(keys) > 25
    for key in keys:
        assert set(STRINGS[key]) == set(LANGUAGES) and all(STRINGS[key].values()), key
    assert cmp.preset_short("my_own_scenario", "fr") == "my_own_scenario"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_figure_and_final_table_in_each_language(tiny, lang: str):
    comparison, _, _ = tiny
    fig = cmp.compare_figure(comparison, lang)
    assert isinstance(fig, Figure)
    texts = {text.get_text() for text in fig.findobj(lambda a: hasattr(a, "get_text"))}
    names = [cmp.preset_short(name, lang) for name in PAIR]
    assert set(names) <= texts  # the legend
    assert {t(key, lang) for key, _, _ in cmp.INDICATORS} <= texts
    bands = [c for ax in fig.axes for c in ax.collections]
    assert len(bands) == len(cmp.INDICATORS) * len(PAIR)
    assert cmp.figure_png(fig).startswith(b"\x89PNG")

    rows = cmp.final_rows(comparison, lang)
    assert rows[0] == [t("compare_indicator", lang), *names]
    assert len(rows) == 1 + len(cmp.INDICATORS)
    assert all(len(row) == 1 + len(PAIR) for row in rows)
    final = comparison.final.set_index(["indicator", "scenario"])
    mean = float(final.loc[("hyperconcertation_index", "baseline"), "mean"])
    row = next(r for r in rows if r[0] == t("m_hyperconcertation", lang))
    assert row[1].startswith(f"{mean:.2f}".replace(".", "," if lang == "fr" else "."))
    html = cmp.final_table_html(comparison, lang)
    assert all(name in html for name in names)
    assert cmp.summary_line(comparison, lang).startswith(", ".join(names))


def test_a_single_replication_has_no_interval(tmp_path):
    comparison = cmp.compare(PAIR, 1, 1, tmp_path)
    assert comparison.final["ci95_low"].isna().all()
    assert all("[" not in cell for row in cmp.final_rows(comparison, "en")[1:]
               for cell in row[1:])
    assert "single replication" in cmp.summary_line(comparison, "en")
    assert np.isfinite(comparison.bands["mean"]).all()


# ---- the panel, browser-less (inside an AppLayout, or the sidebar does not render) -----------

def _render():
    return solara.render(solara.AppLayout(children=[cmp.ComparePage()]), handle_error=False)


def _button(rc, label: str):
    return rc.find(v.Btn, children=[label]).widget


def _eventually(check, timeout: float = 30.0):
    """`check()` once it passes: the task's thread re-renders the page after the test's."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _wait_for_the_comparison(rc) -> None:
    def finished() -> None:
        assert cmp.comparison_task.finished, cmp.comparison_task.exception
        rc.find(ipywidgets.Image).assert_single()  # the figure
        assert rc.find(v.Html, class_="concertation-compare-progress").widgets == []

    _eventually(finished)


def test_the_panel_builds_with_every_preset_and_the_pages_as_tabs():
    _box, rc = _render()
    boxes = rc.find(v.Checkbox).widgets
    assert [box.label for box in boxes] == [cmp.preset_short(name, "en") for name in presets()]
    assert [box.v_model for box in boxes] == [name in cmp.DEFAULT_PRESETS for name in presets()]
    assert not _button(rc, "Run the comparison").disabled
    rc.find(v.Tab, children=["Live model"]).assert_single()
    rc.find(v.Tab, children=["Compare scenarios"]).assert_single()
    rc.find(v.Alert).assert_single()  # what to do, before any comparison

    next(b for b in boxes if b.label == "Baseline").v_model = False  # one left: cannot run
    assert _button(rc, "Run the comparison").disabled
    for label in ("Baseline", "Co-construction", "Funder exit"):
        next(b for b in rc.find(v.Checkbox).widgets if b.label == label).v_model = True
    assert cmp.chosen_presets.value == ["baseline", "co_construction", "funder_exit",
                                        "programme_driven"]  # in the presets' order
    unchosen = [b for b in rc.find(v.Checkbox).widgets if not b.v_model]
    assert unchosen and all(b.disabled for b in unchosen)  # four at most

    language.set("fr")
    _button(rc, "Lancer la comparaison")
    rc.find(v.Tab, children=["Comparer des scénarios"]).assert_single()
    assert "Départ d'un bailleur" in [b.label for b in rc.find(v.Checkbox).widgets]


def test_run_shows_the_figure_and_the_table_then_notes_changed_settings():
    cmp.replications.set(2)
    cmp.years.set(1)
    _box, rc = _render()
    _button(rc, "Run the comparison").click()
    _wait_for_the_comparison(rc)
    assert cmp.runs_done.value == (4, 4)
    tables = [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets
              if "concertation-compare-table" in w.unsafe_innerHTML]
    assert len(tables) == 1 and "Baseline" in tables[0] and "Programme-driven" in tables[0]
    assert rc.find(v.Html, class_="concertation-compare-stale").widgets == []
    cmp.years.set(2)
    _eventually(lambda: rc.find(v.Html, class_="concertation-compare-stale").assert_single())


def test_the_sessions_runs_live_in_a_folder_removed_with_the_session():
    cmp.replications.set(1)
    cmp.years.set(1)
    _box, rc = _render()
    _button(rc, "Run the comparison").click()
    _wait_for_the_comparison(rc)
    folder = cmp.session_folder.value
    assert len(list((folder.path / "runs").glob("*.parquet"))) >= 2
    folder.close()  # what the end of the browser session does
    assert not folder.path.exists() and folder.closing.is_set()
    cmp.years.set(2)
    _button(rc, "Run the comparison").click()
    _eventually(lambda: _wait_for_the_comparison(rc))
    assert cmp.session_folder.value is not folder and cmp.session_folder.value.path.is_dir()


def test_app_command_gives_the_server_a_runs_folder_and_removes_it(monkeypatch):
    seen: list[Path] = []

    def serve(_args, env: dict[str, str], cwd: Path) -> int:
        seen.append(Path(env[app_cli.RUNS_ENV]))
        assert seen[0].is_dir() and cwd == seen[0]  # never the folder it was started from
        (seen[0] / "session-x").mkdir()  # what the compare page leaves there
        return 0

    monkeypatch.setattr(app_cli, "_serve", serve)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert app_cli.cmd_app(build_parser().parse_args(["app", "--port", str(port)])) == 0
    assert len(seen) == 1 and not seen[0].exists()


def test_the_year_axis_shows_whole_years_only(tiny):
    comparison, _, _ = tiny  # one year: matplotlib's default ticks would be 2000.0, 2000.2...
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = cmp.compare_figure(comparison, "en")
    FigureCanvasAgg(fig).draw()
    bottom = fig.axes[4:]
    labels = [tick.get_text() for ax in bottom for tick in ax.get_xticklabels()
              if tick.get_text()]
    assert labels and all(label.isdigit() and len(label) == 4 for label in labels), labels
    per_axis = [tick.get_text() for tick in bottom[0].get_xticklabels() if tick.get_text()]
    assert len(per_axis) == len(set(per_axis))  # no year written twice
