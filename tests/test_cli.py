"""The `concertation` command: listing, single runs, comparisons and input errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analyses.runs import HEADLINE, OUTPUT_MARKER
from concertation.commands.common import parse_assignments
from simulation import available_scenarios

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ["model", "tables", "actors", "table_history"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def console_script() -> list[str]:
    """The installed `concertation` script, or the module if the venv has none."""
    script = Path(sys.executable).parent / "concertation"
    return [str(script)] if script.exists() else [sys.executable, "-m", "concertation"]


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if ".partial-" in p.name]


# ---- scenarios -----------------------------------------------------------------------------

def test_scenarios_lists_every_shipped_scenario(cli):
    shipped = available_scenarios()
    assert {"baseline", "programme_driven", "co_construction"} <= set(shipped)
    code, out, err = cli("scenarios")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == len(shipped)
    for name, line in zip(shipped, lines, strict=True):
        assert line.split()[0] == name
        assert len(line) > len(name) + 10  # a description follows the name


# ---- run -----------------------------------------------------------------------------------

def test_run_writes_records_figure_and_metadata(cli, tmp_path):
    out = tmp_path / "baseline"
    code, stdout, err = cli("run", "baseline", "--seed", "3", "--years", "2", "--out", out,
                            "--set", "weight_time=1.5", "--set", "favourable_conditions=true")
    assert code == 0, err
    model = pd.read_parquet(out / "model.parquet")
    assert len(model) == 2 * 12 + 1
    assert {"step", "year", *HEADLINE} <= set(model.columns)
    assert model["step"].tolist() == list(range(25))
    tables = pd.read_parquet(out / "tables.parquet")
    assert {"table_id", "origin", "state", "appropriation"} <= set(tables.columns)
    assert len(tables) == model["tables_created_total"].iloc[-1]
    actors = pd.read_parquet(out / "actors.parquet")
    assert {"step", "actor_id", "actor_type", "memberships"} <= set(actors.columns)
    assert set(actors["step"]) == {0, 12, 24}
    history = pd.read_parquet(out / "table_history.parquet")
    assert {"step", "table_id", "state"} <= set(history.columns)
    png = (out / "indicators.png").read_bytes()
    assert png.startswith(PNG_MAGIC) and len(png) > 10_000
    meta = json.loads((out / "run.json").read_text())
    assert (meta["scenario"], meta["seed"], meta["years"]) == ("baseline", 3, 2)
    assert meta["params"]["participation"]["weight_time"] == 1.5
    assert meta["params"]["process"]["favourable_conditions"] is True
    assert meta["concertation_version"]
    for label in HEADLINE.values():
        assert label in stdout
    assert leftovers(tmp_path) == []


def test_run_csv_and_default_output_folder(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    scenario = tmp_path / "small.toml"
    scenario.write_text('description = "A small test."\n[population]\ncommunity_groups = 40\n')
    code, _, err = cli("run", scenario, "--years", "1", "--format", "csv")
    assert code == 0, err
    out = tmp_path / "results" / "small"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{name}.csv" for name in RECORDS] + ["indicators.png", "run.json", OUTPUT_MARKER])
    assert len(pd.read_csv(out / "model.csv")) == 13


def test_shipped_name_wins_over_a_folder_of_that_name(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "baseline").mkdir()  # e.g. an earlier results folder
    code, _, err = cli("run", "baseline", "--years", "1", "--out", tmp_path / "out")
    assert code == 0, err
    assert json.loads((tmp_path / "out" / "run.json").read_text())["scenario"] == "baseline"


def test_run_replaces_earlier_results_but_keeps_other_files(cli, earlier_results):
    code, _, err = cli("run", "baseline", "--years", "1", "--out", earlier_results)
    assert code == 0, err
    assert (earlier_results / "SENTINEL").read_text() == "keep me\n"
    assert len(pd.read_parquet(earlier_results / "model.parquet")) == 13
    assert leftovers(earlier_results.parent) == []


def test_failure_after_running_leaves_earlier_results(cli, earlier_results, snapshot,
                                                      monkeypatch):
    def broken_figure(*args: object) -> None:
        raise RuntimeError("figure failed")

    monkeypatch.setattr("analyses.comparison.figures.indicators_figure", broken_figure)
    before = snapshot(earlier_results)
    with pytest.raises(RuntimeError, match="figure failed"):
        cli("run", "baseline", "--years", "1", "--out", earlier_results)
    assert snapshot(earlier_results) == before  # records were written, but only to scratch


def test_set_values_are_toml_literals():
    assert parse_assignments(["a=1.5", "b=true", "c=3", "d=results", 'e="x y"']) == {
        "a": 1.5, "b": True, "c": 3, "d": "results", "e": "x y"}


# ---- compare -------------------------------------------------------------------------------

def test_compare_is_identical_whatever_the_workers(cli, tmp_path):
    base = ["compare", "baseline", "programme_driven", "--replications", "2", "--years", "2",
            "--seed", "5"]
    code, stdout, err = cli(*base, "--workers", "2", "--out", tmp_path / "pool")
    assert code == 0, err
    assert "4/4" in err  # the progress bar went to stderr
    code, _, err = cli(*base, "--workers", "1", "--out", tmp_path / "serial")
    assert code == 0, err

    pooled = pd.read_parquet(tmp_path / "pool" / "runs.parquet")
    serial = pd.read_parquet(tmp_path / "serial" / "runs.parquet")
    pd.testing.assert_frame_equal(pooled, serial)
    assert list(pooled.columns[:3]) == ["scenario", "replication", "seed"]
    assert len(pooled) == 2 * 2 * (2 * 12 + 1)
    runs = pooled.groupby(["scenario", "replication", "seed"]).size()
    assert runs.index.tolist() == [("baseline", 0, 5), ("baseline", 1, 6),
                                   ("programme_driven", 0, 5), ("programme_driven", 1, 6)]
    baseline = pooled[pooled["scenario"] == "baseline"]
    first, second = (baseline[baseline["replication"] == r].iloc[:, 3:].to_numpy()
                     for r in (0, 1))
    assert not (first == second).all()  # replications differ: seeds really change

    summary = pd.read_csv(tmp_path / "pool" / "summary.csv")
    assert list(summary.columns) == ["scenario", "indicator", "n", "mean", "sd", "ci95_low",
                                     "ci95_high"]
    assert len(summary) == 2 * len(HEADLINE) and (summary["n"] == 2).all()
    assert (summary["ci95_low"] <= summary["mean"]).all()
    assert (summary["mean"] <= summary["ci95_high"]).all()
    assert (tmp_path / "pool" / "comparison.png").read_bytes().startswith(PNG_MAGIC)
    assert "programme_driven" in stdout and "hyperconcertation index" in stdout
    assert leftovers(tmp_path) == []


# ---- input errors --------------------------------------------------------------------------

BAD_FILES = {
    "misspelt_field": ("[participation]\nweight_tme = 1\n", "participation.weight_tme"),
    "negative_rate": ("[tables]\nbottom_up_rate = -0.1\n", "tables.bottom_up_rate"),
    "wrong_type": ('[population]\nterritories = "two"\n', "population.territories"),
    "broken_toml": ("[run\nyears = \n", "TOML"),
}


def _bad_input(case: str, folder: Path) -> tuple[list[str], list[str], list[str]]:
    """Scenario arguments, options, and what stderr must mention."""
    if case == "unknown_scenario":
        return ["no_such_scenario"], [], ["no_such_scenario"]
    if case == "unknown_set_key":
        return ["baseline"], ["--set", "weight_tme=1"], ["weight_tme"]
    text, field = BAD_FILES[case]
    path = folder / f"{case}.toml"
    path.write_text(text)
    return [str(path)], [], [str(path), field]


@pytest.mark.parametrize("command", ["run", "compare"])
@pytest.mark.parametrize("case", ["unknown_scenario", *BAD_FILES, "unknown_set_key"])
def test_bad_input_exits_2_and_leaves_output_alone(cli, tmp_path, earlier_results, snapshot,
                                                   command, case):
    scenarios, options, expected = _bad_input(case, tmp_path)
    if command == "compare":  # the bad scenario comes second: nothing may run before it
        scenarios = ["programme_driven", *scenarios]
        options = [*options, "--replications", "1", "--workers", "1"]
    before = snapshot(earlier_results)
    code, stdout, err = cli(command, *scenarios, *options, "--years", "1",
                            "--out", earlier_results)
    assert code == 2
    assert err.startswith("error: ")
    assert "Traceback" not in err and stdout == ""
    for fragment in expected:
        assert fragment in err
    assert snapshot(earlier_results) == before


@pytest.mark.parametrize("args", [["run", "baseline", "--years", "0"],
                                  ["run", "baseline", "--set", "weight_time"],
                                  ["run", "baseline", "--set", "weight_time=-1"],
                                  ["compare", "baseline", "--replications", "0"],
                                  ["run", "baseline", "--format", "xls"],
                                  ["frobnicate"]])
def test_bad_options_exit_2(cli, earlier_results, snapshot, args):
    before = snapshot(earlier_results)
    code, _, err = cli(*args, "--out", earlier_results)
    assert code == 2 and err.startswith("error: ") and "Traceback" not in err
    assert snapshot(earlier_results) == before


def test_out_that_is_a_file_is_refused_before_running(cli, tmp_path):
    target = tmp_path / "taken"
    target.write_text("a file")
    code, _, err = cli("run", "baseline", "--out", target)
    assert code == 2 and "not a folder" in err
    assert target.read_text() == "a file"


# ---- the installed console script ----------------------------------------------------------

def test_console_script(tmp_path, earlier_results, snapshot):
    env = os.environ | {"PYTHONWARNINGS": "error::DeprecationWarning"}
    listing = subprocess.run([*console_script(), "scenarios"], check=False, capture_output=True,
                             text=True, cwd=ROOT, env=env, timeout=120)
    assert listing.returncode == 0, listing.stderr
    assert "baseline" in listing.stdout

    bad = tmp_path / "typo.toml"
    bad.write_text("[participation]\nweight_tme = 1\n")
    before = snapshot(earlier_results)
    failed = subprocess.run([*console_script(), "run", str(bad), "--out", str(earlier_results)],
                            check=False, capture_output=True, text=True, cwd=ROOT,
                            env=env, timeout=120)
    assert failed.returncode == 2
    assert failed.stderr.startswith("error: ") and "Traceback" not in failed.stderr
    assert str(bad) in failed.stderr and "participation.weight_tme" in failed.stderr
    assert snapshot(earlier_results) == before
