"""The planners' comparison: report contents, bands, the P1 contrast, uncertainty, bad input,
and the HTML report rendered in a real headless Chromium."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

from analyses.comparison.compare import ComparisonPlan, run_comparison
from analyses.comparison.final_state import final_table
from concertation.cli import main
from simulation import load_scenario

CHROMIUM = os.environ.get("CONCERTATION_CHROMIUM", "/usr/bin/chromium")
SCENARIOS = ["programme_driven", "co_construction", "funder_exit"]
# A two-year spin-up: the report's contents are the subject here, not the pre-2000 stock.
COMPARE = ["compare", *SCENARIOS, "--replications", "3", "--years", "4", "--uncertain",
           "group_time_budget=6:14", "--conditions", "2", "--set", "initial.spinup_years=2"]


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("compare") / "out"
    code = main([*COMPARE, "--out", str(out), "--pdf"])
    assert code == 0
    return out


def test_the_report_prints_to_pdf_in_both_languages(compared: Path) -> None:
    english, french = (compared / "report.pdf").read_bytes(), (compared / "report_fr.pdf"
                                                               ).read_bytes()
    assert english.startswith(b"%PDF-") and french.startswith(b"%PDF-")
    assert len(english) > 100_000 and english != french
    pages = [len(re.findall(rb"/Type\s*/Page[^s]", pdf)) for pdf in (english, french)]
    assert all(count >= 3 for count in pages), pages  # the whole report, not a first screen


def test_a_missing_chromium_is_refused_before_any_run(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("CONCERTATION_CHROMIUM", str(tmp_path / "no-chromium"))
    code = main([*COMPARE, "--out", str(tmp_path / "out"), "--pdf"])
    assert code == 2 and "CONCERTATION_CHROMIUM" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_report_lists_every_scenario_and_section(compared: Path) -> None:
    report = (compared / "report.html").read_text(encoding="utf-8")
    for scenario in SCENARIOS:
        assert f"<b>{scenario}</b>" in report
    for anchor in ("verdict", "scenarios", "summary", "over-time", "final", "indicators",
                   "tendencies", "models", "memberships", "money", "robustness"):
        assert f"id='{anchor}'" in report
    assert report.count("data:image/png;base64,") == 12  # six figures, each in both languages
    assert "Organisations sit on" in report and "Les organisations siègent" in report
    assert "http://" not in report and "https://" not in report, "the report must open offline"


def test_report_data_files(compared: Path) -> None:
    runs = pd.read_parquet(compared / "runs.parquet")
    assert set(runs["scenario"]) == set(SCENARIOS)
    assert runs.groupby("scenario")["condition"].nunique().eq(2).all()
    csv = pd.read_csv(compared / "runs.csv")
    assert len(csv) == len(runs)
    final = pd.read_csv(compared / "final_state.csv")
    assert {"mean", "ci95_low", "ci95_high", "difference", "difference_low", "difference_high",
            "matters", "share_better"} <= set(final.columns)
    assert "hedges_g" not in final.columns  # no standardised effect of seed noise
    robust = pd.read_csv(compared / "robustness.csv")
    assert set(robust["scenario"]) == set(SCENARIOS)
    assert robust["conditions"].eq(2).all()
    # the same uncertain conditions were applied to every scenario
    values = runs.groupby(["scenario", "condition"])["actors.group_time_budget"].first()
    assert values.unstack("scenario").nunique(axis=1).eq(1).all()


def test_rerun_resumes_from_cached_runs(compared: Path, capsys: pytest.CaptureFixture) -> None:
    cached = sorted(p.name for p in (compared / "runs").glob("*.parquet"))
    before = pd.read_parquet(compared / "runs.parquet")
    assert main([*COMPARE, "--out", str(compared)]) == 0
    assert "18/18" in capsys.readouterr().err
    assert sorted(p.name for p in (compared / "runs").glob("*.parquet")) == cached
    pd.testing.assert_frame_equal(pd.read_parquet(compared / "runs.parquet"), before)


def _width(replications: int, out: Path) -> float:
    scenario = load_scenario("programme_driven", {"years": 3})
    runs = run_comparison(ComparisonPlan({"programme_driven": scenario}, replications, 0),
                          out, workers=2, progress=False)
    table = final_table(runs, ["hyperconcertation_index", "appropriation"])
    return float((table["ci95_high"] - table["ci95_low"]).mean())


def test_bands_narrow_as_replications_grow(tmp_path: Path) -> None:
    assert _width(16, tmp_path) < 0.7 * _width(4, tmp_path)


def test_final_state_shows_the_p1_contrast(tmp_path: Path) -> None:
    scenarios = {name: load_scenario(name) for name in ("programme_driven", "co_construction")}
    runs = run_comparison(ComparisonPlan(scenarios, 4, 0), tmp_path, workers=2, progress=False)
    table = final_table(runs).set_index(["scenario", "indicator"])
    co = table.loc["co_construction"]
    # Model 2: co_construction's supported tables outlive their funding, so its actors hold more
    # seats; the contrast is in what the tables are, not how many there are.
    for indicator in ("instrumentalisation", "hyperconcertation_index"):
        assert co.loc[indicator, "difference_high"] < 0, indicator
        assert co.loc[indicator, "share_better"] == 1.0, indicator
        assert co.loc[indicator, "matters"] == "yes", indicator
    for indicator in ("appropriation", "citizen_share"):
        assert co.loc[indicator, "difference_low"] > 0, indicator
        assert co.loc[indicator, "share_better"] >= 0.75, indicator


def test_scenario_with_an_error_is_rejected_before_any_run(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[programmes.design]\nprescription = 1.5\n")
    out = tmp_path / "out"
    code = main(["compare", "programme_driven", str(bad), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and str(bad) in err and "programmes.design.prescription" in err
    assert not out.exists(), "nothing may run or be written before every scenario is valid"


@pytest.mark.parametrize("option, fragment", [
    ("group_time_budget=14:6", "LOW < HIGH"),
    ("no_such_thing=1:2", "unknown parameter"),
    ("evaluation=0:1", "ambiguous"),
])
def test_bad_uncertainty_is_rejected(tmp_path: Path, capsys: pytest.CaptureFixture,
                                     option: str, fragment: str) -> None:
    code = main(["compare", "baseline", "--uncertain", option, "--out", str(tmp_path / "o")])
    assert code == 2 and fragment in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_report_renders_in_headless_chromium(compared: Path, tmp_path: Path) -> None:
    """Every figure decodes and displays; nothing is fetched from the network."""
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("request", lambda request: requests.append(request.url))
        page.goto((compared / "report.html").as_uri())
        page.wait_for_load_state("load")
        script = "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.offsetWidth])"
        sizes = page.eval_on_selector_all("img.figure", script)
        assert len(sizes) == 12  # six figures, drawn in each language
        assert all(done and natural > 100 for done, natural, _ in sizes)
        assert sum(shown > 100 for _, _, shown in sizes) == 6  # one language at a time
        assert page.locator("li.scenario").count() == len(SCENARIOS)
        english_headings = [h for h in page.locator("h2").all_inner_texts() if h.strip()]
        english = page.locator(".lang-en").first.is_visible()
        assert page.title() == "Comparing funding scenarios"
        page.get_by_role("button", name="Français").click()
        assert english and page.locator(".lang-fr").first.is_visible()
        assert page.title() == "Comparaison de scénarios de financement"
        assert page.evaluate("document.documentElement.lang") == "fr"
        french_headings = [h for h in page.locator("h2").all_inner_texts() if h.strip()]
        assert len(french_headings) == len(english_headings)
        assert not set(french_headings) & set(english_headings) - {"Scénarios"}
        shown = sum(width > 100 for _, _, width in page.eval_on_selector_all("img.figure",
                                                                            script))
        assert shown == 6
        text = page.inner_text("body")
        for english_word in ("The answer", "Final state", "paired runs", "Where each scenario",
                             "difference from", "What the numbers say", "thousand $",
                             "concertation_version", "mesa_version", "Made by"):
            assert english_word not in text, english_word
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        page.goto((compared / "report.html").as_uri() + "#fr")  # how the French PDF opens
        page.wait_for_load_state("load")
        assert page.locator("h2#verdict .lang-fr").is_visible()
        assert not page.locator("h2#verdict .lang-en").is_visible()
        page.emulate_media(media="print")
        assert not page.locator(".toggle").is_visible()
        browser.close()
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    assert (tmp_path / "report.png").stat().st_size > 50_000


def test_compare_levers_ranks_every_lever_in_the_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = main(["compare", "programme_driven", "--replications", "2", "--years", "1",
                 "--set", "initial.spinup_years=2", "--workers", "2", "--levers",
                 "--out", str(out)])
    assert code == 0
    effects = pd.read_csv(out / "levers.csv")
    assert effects["lever"].nunique() == 13  # Bourque's eight conditions, five funders' levers
    assert sorted(effects.drop_duplicates("lever")["rank"]) == list(range(1, 14))
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "id='levers'" in report and "What would help most from here" in report
    assert "Ce qui aiderait le plus" in report
    assert "uncertain condition" not in report  # none were asked for
    assert "not under the uncertain conditions" not in report


def test_the_money_table_gives_the_verdicts_share_to_projects(compared: Path) -> None:
    from analyses.comparison.final_state import final_rows, money

    runs = pd.read_parquet(compared / "runs.parquet")
    final = final_rows(runs)
    table = money(runs)
    for scenario, share in table["share_to_projects"].items():
        expected = final.loc[final["scenario"] == scenario, "funding_to_projects_share"].mean()
        assert share == pytest.approx(expected), scenario
    summary = pd.read_csv(compared / "final_state.csv")
    assert "funding_to_projects_share" in set(summary["indicator"])


def test_the_report_names_the_uncertain_ranges_and_writes_french_colons(compared: Path) -> None:
    report = (compared / "report.html").read_text(encoding="utf-8")
    assert re.search(r"actors\.group_time_budget from \d+\.\d\d to \d+\.\d\d", report)
    assert re.search(r"actors\.group_time_budget de \d+,\d\d à \d+,\d\d", report)
    assert "× 2 uncertain conditions" in report and "× 2 conditions incertaines" in report
    assert "<span class='lang-fr'>\u00a0: " in report and "<span class='lang-en'>: " in report
