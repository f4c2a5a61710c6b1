"""The browser app in headless Chromium (Debian's package, driven by Playwright), served by a
real `concertation app` on a free loopback port.

Playwright runs for this module only (not pytest-playwright's session-wide instance, whose
event loop would stay open and break other tests that start Playwright themselves).

Also writes the README's screenshots: `python tests/test_app_browser.py docs/app.png` and
`python tests/test_app_browser.py compare docs/app_compare.png`.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pandas as pd
import psutil
import pytest
from playwright import sync_api as playwright_api

from analyses.app_server import CHROMIUM, CHROMIUM_ARGS, start_app, stop_app

Page = playwright_api.Page

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_MS = 30_000

if not Path(CHROMIUM).exists():  # fail, never skip: `bash scripts/test.sh` installs it
    raise RuntimeError(f"{CHROMIUM} is missing: run the suite with `bash scripts/test.sh`, "
                       "which installs Debian's chromium (or `apt-get install chromium`)")


USERS_APP = 'raise SystemExit("the user\'s own app.py was imported")\n'
SERVERS: dict[str, subprocess.Popen] = {}  # url -> the `concertation app` serving it


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Started from a user's folder holding their own `app.py`, which must never be imported."""
    folder = tmp_path_factory.mktemp("users-folder")
    (folder / "app.py").write_text(USERS_APP, encoding="utf-8")
    server, url = start_app(cwd=folder)
    SERVERS[url] = server
    try:
        yield url
    finally:
        output = stop_app(server)
        assert "Traceback" not in output and "own app.py" not in output, output


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    """Debian's chromium: Playwright cannot download its own browser here."""
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def tab(chromium) -> Iterator[Page]:
    """A fresh browser context (no shared cookies, so a new Solara session) and tab."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1500})
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def app(tab: Page, app_url: str) -> Page:
    """A new browser session on the app, loaded (every session gets its own model)."""
    tab.goto(app_url)
    wait_for_step(tab, 0)
    return tab


def wait_for_step(page: Page, step: int) -> None:
    monitor = page.locator(".monitor-step")
    try:
        page.get_by_text(f"Time: {step}.0", exact=True).wait_for()
        monitor.filter(has_text=re.compile(rf"\b{step} ·")).wait_for()
    except playwright_api.TimeoutError as error:  # say what the page showed instead
        counter = page.get_by_text(re.compile(r"^Time: ")).all_inner_texts()
        raise AssertionError(f"month {step} not shown: Mesa's counter {counter}, the monitor "
                             f"{monitor.all_inner_texts()}") from error


def click(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def in_use(page: Page) -> str:
    return page.locator(".concertation-in-use").inner_text()


VIEWS = ("network", "tendency", "indicators", "timeline")


def chart_drawn(page: Page, view: str) -> tuple[int, int]:
    """How many times the browser has drawn a chart, and its rows in the last drawing."""
    chart = page.locator(f".concertation-{view}-chart")
    return int(chart.get_attribute("data-drawn")), int(chart.get_attribute("data-rows"))


def choose_preset(page: Page, label: str) -> None:
    """Choose a preset and wait for the new player it brings: until the old player's buttons
    have left the page, a click there would step the abandoned model (shown at "Time: 0.0" too
    when it had not been stepped)."""
    old_player = page.get_by_role("button", name="Step", exact=True).element_handle()
    page.locator(".concertation-preset").click()
    page.get_by_role("option", name=label).click()
    page.wait_for_function("button => !button.isConnected", arg=old_player)


# ---- tests ----------------------------------------------------------------------------------

# Solara 1.58.2's own navigator.vue writes `modules.export` (a typo upstream); ipyvue falls back
# and the navigator works. Nothing of the app's may add to the console.
SOLARAS_OWN_WARNING = "Failed to evaluate Vue script and find module.exports"


def test_page_loads_with_every_view_and_nothing_leaves_the_machine(tab: Page, app_url: str):
    page = tab
    outside: list[str] = []
    failed: list[str] = []

    def watch(request) -> None:
        host = urlparse(request.url).hostname
        if request.url.startswith(("http", "ws")) and host not in ("127.0.0.1", "localhost"):
            outside.append(request.url)

    page.on("request", watch)
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400
            else None)
    complaints: list[str] = []
    page.on("console", lambda m: complaints.append(m.text) if m.type in ("warning", "error")
            and not m.text.startswith(SOLARAS_OWN_WARNING) else None)
    page.goto(app_url)
    wait_for_step(page, 0)
    page.get_by_text("Concertation tables: the live model").wait_for()
    for view in VIEWS:  # drawn in the browser by Vega, from the installed files
        canvas = page.locator(f".concertation-{view}-chart canvas")
        canvas.wait_for()
        assert canvas.evaluate("c => c.width > 300 && c.height > 100"), view
        assert chart_drawn(page, view)[0] >= 1, view
    assert chart_drawn(page, "indicators")[1] >= 1  # month 0's row
    assert chart_drawn(page, "network")[1] > 100  # seats, actors, tables, themes
    for name in ("Tables active", "Over-solicited organisations", "Hyperconcertation index"):
        assert page.locator(".concertation-monitors").get_by_text(name, exact=True).count() == 1
    page.get_by_text("What to try").wait_for()
    page.wait_for_timeout(500)
    assert outside == []
    assert failed == []
    assert complaints == []  # e.g. Vega-Lite's "opacity ... unsorted discrete field"
    assert page.title() == "Concertation tables"
    assert "runs on Solara" not in page.inner_text("body")  # the badge covered the views


def test_step_advances_the_counter_and_redraws_the_views(app: Page):
    before = {view: chart_drawn(app, view)[0] for view in ("network", "tendency")}
    drawn, rows = chart_drawn(app, "indicators")
    for step in (1, 2, 3):
        click(app, "Step")
        wait_for_step(app, step)
    app.wait_for_function(
        "before => Object.entries(before).every(([view, drawn]) => +document.querySelector("
        "`.concertation-${view}-chart`).dataset.drawn >= drawn + 3)", arg=before)
    app.wait_for_function(  # one more month row per step, drawn by the browser
        "rows => +document.querySelector('.concertation-indicators-chart').dataset.rows "
        ">= rows + 3", arg=rows)
    assert chart_drawn(app, "indicators")[0] >= drawn + 3
    assert "Month 3 · 2000" in app.locator(".monitor-step").inner_text()


def current_step(page: Page) -> int:
    return int(re.search(r"(\d+) ·", page.locator(".monitor-step").inner_text()).group(1))


def settled_step(page: Page, quiet_seconds: int = 3, tries: int = 15) -> int:
    """The step once it has stopped moving for a few seconds: a step under way when pausing
    still lands, and with the model's 20-year spin-up and drawing it can take two seconds."""
    step, quiet = current_step(page), 0
    for _ in range(tries):
        page.wait_for_timeout(1000)
        now = current_step(page)
        quiet = quiet + 1 if now == step else 0
        step = now
        if quiet >= quiet_seconds:
            break
    return step


def test_play_runs_pause_stops_and_a_preset_stops_the_player(app: Page):
    click(app, "▶")
    app.wait_for_function(
        "() => /(Month|Mois) ([3-9]|\\d\\d+) ·/.test("
        "document.querySelector('.monitor-step').innerText)")
    click(app, "❚❚")
    app.get_by_role("button", name="▶", exact=True).wait_for()
    paused = settled_step(app)
    app.wait_for_timeout(1000)
    assert current_step(app) == paused >= 3
    click(app, "▶")
    app.wait_for_function(
        f"() => !document.querySelector('.monitor-step').innerText.includes(' {paused} ·')")
    choose_preset(app, "Funder exit: a large foundation leaves at year 10")
    wait_for_step(app, 0)
    app.get_by_role("button", name="▶", exact=True).wait_for()
    app.wait_for_timeout(800)
    assert current_step(app) == 0
    assert in_use(app).startswith("Funder exit")


def test_choosing_a_preset_resets_the_model_with_it(app: Page):
    click(app, "Step")
    wait_for_step(app, 1)
    assert in_use(app).startswith("Baseline")
    choose_preset(app, "Co-construction: pooled funding, process indicators, support")
    wait_for_step(app, 0)
    text = in_use(app)
    assert text.startswith("Co-construction")
    assert "conditional funding no" in text and "evaluation processes" in text
    assert "territorial table yes" in text
    # the levers show the preset's values
    assert app.get_by_role("slider", name=re.compile(r"^Prescribed results.*: 0\.10$")).count() == 1


def test_moving_a_slider_changes_the_models_parameter_on_reset(app: Page):
    assert "prescription 0.60" in in_use(app)
    slider = app.get_by_role("slider", name=re.compile("^Prescribed results"))
    slider.focus()
    app.keyboard.press("Home")  # to 0
    app.get_by_text("Changed: press Reset to apply.").wait_for()
    assert "prescription 0.60" in in_use(app)
    click(app, "Step")
    wait_for_step(app, 1)
    click(app, "Reset")
    wait_for_step(app, 0)
    app.get_by_text("Levers apply when you press Reset (below).").wait_for()
    assert "prescription 0.00" in in_use(app)

    seed = app.get_by_label("Seed (stream of random numbers)")
    seed.fill("seminar")  # words are seeds too (coerced, mesa#3516)
    seed.press("Enter")
    click(app, "Reset")
    app.locator(".concertation-in-use").filter(has_text=re.compile(r"seed \d{4,}")).wait_for()
    click(app, "Step")
    wait_for_step(app, 1)

    seed.fill("-5")  # a class types anything: the page must not become a traceback
    seed.press("Enter")
    click(app, "Reset")
    app.locator(".concertation-in-use").filter(has_text="seed 5:").wait_for()
    click(app, "Step")
    wait_for_step(app, 1)
    assert "Traceback" not in app.inner_text("body")


def test_language_toggle_switches_every_label(app: Page):
    app.locator(".concertation-lang-fr").click()
    app.get_by_text("Tables de concertation : le modèle en direct").wait_for()
    for text in ("Leviers", "Tables actives", "Les quatre tendances (Bourque)",
                 "Indicateurs dans le temps", "À essayer", "Scénario de départ"):
        app.get_by_text(text, exact=True).first.wait_for()
    assert in_use(app).startswith("Référence : une MRC")
    assert app.get_by_text("Tables active", exact=True).count() == 0
    # Mesa's own controls too, and the tab's title.
    for text in ("Commandes", "Intervalle de lecture (ms)", "Paramètres du modèle", "Mois : 0"):
        app.get_by_text(text, exact=True).first.wait_for()
    assert app.get_by_text("Controls", exact=True).count() == 0
    app.wait_for_function("document.title === 'Tables de concertation'")
    click(app, "Pas")
    app.get_by_text("Mois : 1", exact=True).wait_for()
    # Each widget gets its month in its own message: the monitor's may come just after.
    app.locator(".monitor-step").filter(has_text="Mois 1 ·").wait_for()
    click(app, "Réinitialiser")
    app.get_by_text("Mois : 0", exact=True).wait_for()
    app.locator(".concertation-lang-en").click()
    app.get_by_text("Concertation tables: the live model").wait_for()
    app.get_by_text("Levers", exact=True).wait_for()
    app.get_by_text("Controls", exact=True).wait_for()
    wait_for_step(app, 0)
    click(app, "Step")
    wait_for_step(app, 1)
    app.wait_for_function("document.title === 'Concertation tables'")


def set_slider(page: Page, name: str, value: int) -> None:
    """An integer slider (minimum 1) to `value`, by keyboard as a user would."""
    slider = page.get_by_role("slider", name=re.compile(f"^{name}"))
    slider.focus()
    page.keyboard.press("Home")
    for _ in range(value - 1):
        page.keyboard.press("ArrowRight")
    page.get_by_text(f"{name}: {value}", exact=True).wait_for()


def test_compare_page_runs_two_scenarios_and_overlays_them(app: Page):
    app.locator(".concertation-nav-compare").click()
    run = app.get_by_role("button", name="Run the comparison")
    run.wait_for()
    assert urlparse(app.url).path == "/compare"
    app.get_by_text("Programme-driven", exact=True).click()  # baseline and programme-driven
    app.get_by_text("Co-construction", exact=True).click()  # are chosen: swap one
    set_slider(app, "Replications per scenario", 2)
    set_slider(app, "Years simulated", 1)
    run.click()
    figure = app.locator("img.concertation-compare-image")
    figure.wait_for()
    assert figure.evaluate("img => img.complete && img.naturalWidth > 600")
    summary = app.locator(".concertation-compare-summary").inner_text()
    assert summary.startswith("Baseline, Co-construction: 2 replications each") and "1 year" in summary
    header = app.locator("table.concertation-compare-table thead").inner_text()
    assert "Baseline" in header and "Co-construction" in header and "Programme" not in header
    assert app.locator("table.concertation-compare-table tbody tr").count() == 8
    app.get_by_text("Final state (2001)").wait_for()

    app.locator(".concertation-lang-fr").click()  # the results follow the language
    app.locator("table.concertation-compare-table thead").filter(
        has_text="Coconstruction").wait_for()
    app.get_by_text("État final (2001)").wait_for()
    app.locator(".concertation-lang-en").click()
    app.locator(".concertation-nav-live").click()  # the live page still runs
    wait_for_step(app, 0)
    click(app, "Step")
    wait_for_step(app, 1)
    app.locator(".concertation-nav-compare").click()  # and the comparison is still there
    app.locator("img.concertation-compare-image").wait_for()
    with app.expect_download() as download:
        app.locator(".concertation-compare-download-final").click()
    final = pd.read_csv(download.value.path(), encoding="utf-8-sig")
    assert {"scenario", "indicator", "mean", "ci95_low", "ci95_high"} <= set(final.columns)
    assert final["scenario"].nunique() == 2


# ---- the README's screenshot ------------------------------------------------------------------

@contextmanager
def served_page(address: str = "", **context: Any) -> Iterator[Page]:
    """A tab on a fresh `concertation app` served from the repository, for the screenshots."""
    server, url = start_app(cwd=ROOT)
    try:
        with playwright_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(**context).new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(url + address)
            yield page
            browser.close()
    finally:
        stop_app(server)


def at_the_top(page: Page) -> None:
    """Every scrolled pane (the window, the sidebar, the main area) back at its top."""
    page.evaluate("window.scrollTo(0, 0); document.querySelectorAll('*')"
                  ".forEach(e => { if (e.scrollTop) e.scrollTop = 0; })")
    page.wait_for_timeout(1500)


def run_to(page: Page, step: int) -> None:
    """Play to `step` (at least) and pause there."""
    click(page, "▶")
    page.wait_for_function(
        f"() => +(/(\\d+) ·/.exec(document.querySelector('.monitor-step').innerText) || [0, 0])[1]"
        f" >= {step}", timeout=300_000)
    click(page, "❚❚")
    settled_step(page)


def screenshot(path: Path, steps: int = 36) -> None:
    """The app after `steps` months of the programme-driven preset, a table clicked and
    inspected, as in the README."""
    with served_page(viewport={"width": 1400, "height": 1400}) as page:
        wait_for_step(page, 0)
        choose_preset(page, "Programme-driven: each programme creates its own table")
        page.locator(".concertation-in-use").filter(has_text="Programme-driven").wait_for()
        wait_for_step(page, 0)
        page.wait_for_timeout(1500)  # the new player mounts after the new model
        for step in range(1, steps + 1):
            click(page, "Step")
            wait_for_step(page, step)
        where = page.locator(".concertation-network-chart").evaluate(ISOLATED_TABLE)
        page.mouse.click(where["x"], where["y"])  # a table, inspected and highlighted
        page.locator(".concertation-inspect-name").wait_for()
        at_the_top(page)
        page.screenshot(path=str(path), full_page=True)


def experiment_screenshot(path: Path, months: int = 156) -> None:
    """The guided funder-exit experiment three years after the foundation leaves, beside its
    programme-driven reference (dashed), with the timeline of dissolutions."""
    with served_page(viewport={"width": 1400, "height": 1400}) as page:
        wait_for_step(page, 0)
        page.locator(".concertation-experiment-funder_exit").click()
        page.locator(".concertation-indicators-caption").filter(
            has_text="dashed: Programme-driven").wait_for(timeout=120_000)
        wait_for_step(page, 0)
        page.wait_for_timeout(1500)
        run_to(page, months)
        at_the_top(page)
        page.screenshot(path=str(path), full_page=True)


def phone_screenshot(path: Path, months: int = 24) -> None:
    """The app on a phone, 390 px wide: the sidebar closed, the views stacked (drawn on a
    tall page to show them in one picture)."""
    with served_page(viewport={"width": 390, "height": 844}, is_mobile=True,
                     has_touch=True) as page:
        wait_for_step(page, 0)
        run_to(page, months)
        page.locator("header .v-app-bar__nav-icon").tap()
        page.wait_for_function("!document.querySelector('.v-navigation-drawer--open')")
        page.set_viewport_size({"width": 390, "height": 2200})  # the stacked views, in one
        at_the_top(page)
        page.screenshot(path=str(path))


def compare_screenshot(path: Path, replications: int = 10, years: int = 20) -> None:
    """The compare page: baseline, co-construction and programme-driven, as in the README."""
    with served_page("compare", viewport={"width": 1400, "height": 1150}) as page:
        page.get_by_text("Co-construction", exact=True).click()
        set_slider(page, "Replications per scenario", replications)
        set_slider(page, "Years simulated", years)
        page.get_by_role("button", name="Run the comparison").click()
        page.locator("img.concertation-compare-image").wait_for(timeout=600_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(path))


def test_the_render_interval_survives_a_preset_change(app: Page):
    def render_interval() -> str:
        slider = app.get_by_role("slider", name=re.compile("^Render Interval"))
        return slider.get_attribute("aria-valuenow") or ""

    app.get_by_role("slider", name=re.compile("^Render Interval")).focus()
    app.keyboard.press("ArrowRight")  # 1 -> 3 (the slider's step is 2)
    app.wait_for_function("() => document.querySelector('[role=slider][aria-valuenow=\"3\"]')")
    choose_preset(app, "Co-construction: pooled funding, process indicators, support")
    app.locator(".concertation-in-use").filter(has_text="Co-construction").wait_for()
    wait_for_step(app, 0)
    assert render_interval() == "3"
    click(app, "Step")
    wait_for_step(app, 3)


def test_the_controls_are_in_view_on_a_projector(chromium, app_url: str):
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(app_url)
        wait_for_step(page, 0)
        for name in ("Reset", "Step"):
            box = page.get_by_role("button", name=name, exact=True).bounding_box()
            assert box and box["y"] + box["height"] <= 800, (name, box)
    finally:
        context.close()


def server_cpu_seconds(url: str) -> float:
    """CPU time used so far by `concertation app` and the Solara server under it."""
    root = psutil.Process(SERVERS[url].pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def test_a_tab_closed_while_playing_stops_its_model(chromium, app_url: str):
    context = chromium.new_context(viewport={"width": 1400, "height": 1500})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(app_url)
    wait_for_step(page, 0)
    click(page, "▶")
    page.wait_for_function(
        "() => /(Month|Mois) ([3-9]|\\d\\d+) ·/.test("
        "document.querySelector('.monitor-step').innerText)")
    playing = server_cpu_seconds(app_url)
    time.sleep(2)
    assert server_cpu_seconds(app_url) - playing > 0.4  # it was stepping and drawing
    context.close()  # the tab goes away mid-play
    time.sleep(2)  # a step under way lands
    before = server_cpu_seconds(app_url)
    time.sleep(4)
    assert server_cpu_seconds(app_url) - before < 0.4  # idle: nothing steps for nobody


def test_the_live_run_exports_its_indicators_tables_and_figures(app: Page, tmp_path: Path):
    click(app, "Step")
    wait_for_step(app, 1)
    saved = {}
    for label in ("Indicators (CSV)", "Tables (CSV)"):
        with app.expect_download() as download:
            app.get_by_role("button", name=label).click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        saved[label] = path
    indicators = pd.read_csv(saved["Indicators (CSV)"], encoding="utf-8-sig")
    assert {"step", "tables_active", "hyperconcertation_index"} <= set(indicators.columns)
    assert indicators["step"].max() == 1
    tables = pd.read_csv(saved["Tables (CSV)"], encoding="utf-8-sig")
    assert {"table_id", "origin", "state"} <= set(tables.columns) and len(tables) > 5
    with app.expect_download() as download:
        app.locator(".concertation-network-download").click()
    figure = tmp_path / "network.png"
    download.value.save_as(figure)
    assert figure.read_bytes().startswith(b"\x89PNG")

    app.locator(".concertation-lang-fr").click()
    with app.expect_download() as download:
        app.get_by_role("button", name="Indicateurs (CSV)").click()
    french = tmp_path / "fr.csv"
    download.value.save_as(french)
    frame = pd.read_csv(french, sep=";", decimal=",", encoding="utf-8-sig")
    assert frame["hyperconcertation_index"].between(0, 1).all()  # read back as numbers


# Where the network chart draws the table farthest from the others, in the page's pixels: the
# table's data coordinates through the Vega view's own scales, then the canvas' CSS scaling.
ISOLATED_TABLE = """el => {
    const view = el.vegaView;
    const tables = view.data('rows').filter(r => r.layer === 'table');
    if (!tables.length) { return null; }
    const far = t => Math.min(Infinity, ...tables.filter(o => o !== t).map(
        o => Math.hypot(o.x - t.x, o.y - t.y)));
    const table = tables.reduce((best, t) => far(t) > far(best) ? t : best);
    const canvas = el.querySelector('canvas');
    const box = canvas.getBoundingClientRect();
    const shrink = box.width / (canvas.width / (window.devicePixelRatio || 1));
    const [ox, oy] = view.origin();
    return {id: table.id, data: [table.x, table.y],
            x: box.left + (ox + view.scale('x')(table.x)) * shrink,
            y: box.top + (oy + view.scale('y')(table.y)) * shrink};
}"""


def test_clicking_a_table_in_the_network_inspects_and_highlights_it(app: Page):
    click(app, "Step")
    wait_for_step(app, 1)
    chart = app.locator(".concertation-network-chart")
    chart.locator("canvas").wait_for()
    app.wait_for_function("+document.querySelector('.concertation-network-chart')"
                          ".dataset.drawn > 0")
    where = chart.evaluate(ISOLATED_TABLE)
    assert where is not None, "no table drawn"
    app.mouse.click(where["x"], where["y"])
    name = app.locator(".concertation-inspect-name")
    name.wait_for()
    # The click reaches the server in the chart's data coordinates, where the table is (the
    # canvas is scaled to its card, which Vega's own pointer coordinates ignore).
    reported = chart.evaluate("el => el.__vue__.click")
    assert abs(reported["x"] - where["data"][0]) < 0.02, (reported, where)
    assert abs(reported["y"] - where["data"][1]) < 0.02, (reported, where)
    assert name.inner_text().startswith(f"Table {where['id']} ")
    details = app.locator(".concertation-inspect-details").inner_text()
    for row in ("Origin", "Members", "Appropriation", "Tendency", "Model of concertation"):
        assert row in details, row
    app.wait_for_function(  # redrawn with the selection lit: the table and its members
        "() => document.querySelector('.concertation-network-chart').vegaView.data('rows')"
        ".some(r => r.layer === 'table' && r.lit)")
    app.locator(".concertation-inspect-actor input[type=text]").fill("institution")
    app.get_by_role("option").first.click()
    app.locator(".concertation-inspect-name").filter(has_text="institution").wait_for()
    assert "Time (hours a month)" in app.locator(".concertation-inspect-details").inner_text()


def test_a_guided_experiment_sets_up_its_variant_beside_its_reference(app: Page):
    app.locator(".concertation-experiment-programmes").click()
    app.locator(".concertation-indicators-caption").filter(has_text="dashed: Baseline").wait_for()
    wait_for_step(app, 0)
    assert in_use(app).startswith("Programme-driven")
    click(app, "Step")
    wait_for_step(app, 1)
    assert "dashed: Baseline" in app.locator(".concertation-indicators-caption").inner_text()
    # The reference's 20 years of months are drawn beside the current run's two.
    app.wait_for_function(
        "+document.querySelector('.concertation-indicators-chart').dataset.rows > 240")


def test_on_a_phone_the_sidebar_leaves_its_menu_button_and_closes(chromium, app_url: str):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                   has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(app_url)
        wait_for_step(page, 0)
        menu = page.locator("header .v-app-bar__nav-icon")
        box = menu.bounding_box()
        centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        on_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest("
                               "'.v-app-bar__nav-icon') !== null", list(centre))
        assert on_top, "the sidebar covers the menu button"
        title = page.locator("header .v-toolbar__title").bounding_box()
        toggle = page.locator("header .concertation-language").bounding_box()
        assert title["x"] + title["width"] <= toggle["x"] + 1, "the bar's title runs under"
        assert title["width"] > 60, "the bar's title is clipped to a letter or two"
        assert not page.locator("header").get_by_text("Language:").is_visible()
        drawer = page.locator(".v-navigation-drawer").first
        assert drawer.bounding_box()["width"] < 390
        menu.tap()
        page.wait_for_function("!document.querySelector('.v-navigation-drawer--open')")
        page.locator(".concertation-network-chart canvas").scroll_into_view_if_needed()
        network = page.locator(".concertation-network-chart canvas").bounding_box()
        assert network["width"] <= 390 and network["width"] > 300  # the views stacked
    finally:
        context.close()


def test_projector_mode_enlarges_the_text_and_goes_back(app: Page):
    def size(selector: str) -> float:
        return app.locator(selector).first.evaluate(
            "node => parseFloat(getComputedStyle(node).fontSize)")

    before = (size(".concertation-monitors .monitor-step"), size(".v-navigation-drawer .v-btn"))
    app.locator(".concertation-projector").click()
    app.wait_for_function("parseFloat(getComputedStyle(document.documentElement).fontSize) > 20")
    during = (size(".concertation-monitors .monitor-step"), size(".v-navigation-drawer .v-btn"))
    assert all(big > 1.2 * small for big, small in zip(during, before, strict=True)), (before,
                                                                                         during)
    app.locator(".concertation-projector").click()
    app.wait_for_function("parseFloat(getComputedStyle(document.documentElement).fontSize) < 20")


def test_the_info_panel_links_to_the_models_description(app: Page):
    app.get_by_role("link", name="the ODD").click()
    app.get_by_role("heading", name="Purpose and patterns", exact=False).first.wait_for()
    assert "/odd" in app.url
    app.locator(".concertation-nav-live").click()
    wait_for_step(app, 0)


SCREENSHOTS = {"app": (screenshot, "docs/app.png"),
               "compare": (compare_screenshot, "docs/app_compare.png"),
               "experiment": (experiment_screenshot, "docs/app_experiment.png"),
               "phone": (phone_screenshot, "docs/app_phone.png")}

if __name__ == "__main__":
    # python tests/test_app_browser.py [app|compare|experiment|phone] [PATH]
    args = sys.argv[1:]
    write, default = SCREENSHOTS[args.pop(0) if args and args[0] in SCREENSHOTS else "app"]
    target = Path(args[0] if args else default)
    write(target)
    print(f"wrote {target} ({target.stat().st_size // 1024} KiB)")
