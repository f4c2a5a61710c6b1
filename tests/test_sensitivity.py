"""Sensitivity indices of a sweep: Sobol and Morris on small designs, outputs, refusals.

Each design is swept once per module (tests/data/sensitivity_*.toml: 64 and 60 runs of three
years). Of their two parameters, the time cost of participating shapes the indicators within
three years, and the overlap threshold for merging tables cannot (baseline never merges), so
the indices must tell them apart, the inert one exactly so under common random numbers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyses.experiments.sweep import sweep
from analyses.sensitivity.indices import (
    CONSTANT,
    CSV_NAME,
    MORRIS_CONSTANT,
    PNG_NAME,
    analyse,
    columns,
)
from simulation.scenario import ScenarioError

DATA = Path(__file__).resolve().parent / "data"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ACTIVE = "participation.weight_time"
INERT = "integration.merge_overlap"
OUTPUT = "over_solicited_share"


def _sweep(experiment: Path, out: Path) -> Path:
    summary = sweep(experiment, out, engine="local", workers=2, progress=False)
    assert summary.complete and summary.done == summary.total
    return out


@pytest.fixture(scope="module")
def sobol_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sweep(DATA / "sensitivity_sobol.toml", tmp_path_factory.mktemp("sobol") / "out")


@pytest.fixture(scope="module")
def morris_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sweep(DATA / "sensitivity_morris.toml", tmp_path_factory.mktemp("morris") / "out")


def _copy(folder: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(folder, tmp_path / "copy"))


def _set_indicator(folder: Path, indicator: str, value: float, runs: int | None = None) -> None:
    """Overwrite one indicator in the first `runs` run files (all when None)."""
    for path in sorted((folder / "runs").glob("*.parquet"))[:runs]:
        frame = pd.read_parquet(path)
        frame[indicator] = value
        frame.to_parquet(path, index=False)


def _row(frame: pd.DataFrame, indicator: str, parameter: str) -> pd.Series:
    rows = frame[(frame["indicator"] == indicator) & (frame["parameter"] == parameter)]
    assert len(rows) == 1
    return rows.iloc[0]


def _assert_outputs(dest: Path, method: str, frame: pd.DataFrame) -> None:
    written = pd.read_csv(dest / CSV_NAME, keep_default_na=False, na_values=[""])
    assert list(written.columns) == columns(method)
    pd.testing.assert_frame_equal(written.drop(columns="note"),
                                  frame.drop(columns="note").reset_index(drop=True),
                                  check_dtype=False)
    png = (dest / PNG_NAME).read_bytes()
    assert png.startswith(PNG_MAGIC) and len(png) > 5_000
    assert not [p.name for p in dest.iterdir() if p.name.endswith(".tmp")]


# ---- Sobol ---------------------------------------------------------------------------------

def test_sobol_tells_the_influential_parameter_from_the_inert_one(sobol_sweep, tmp_path):
    indicators = [OUTPUT, "memberships_per_actor"]
    frame = analyse(sobol_sweep, indicators, dest=tmp_path)
    assert list(frame.columns) == columns("sobol")
    assert len(frame) == 2 * 2
    assert frame[["indicator", "parameter"]].values.tolist() == [
        [name, parameter] for name in indicators for parameter in (ACTIVE, INERT)]
    for indicator in indicators:
        active, inert = _row(frame, indicator, ACTIVE), _row(frame, indicator, INERT)
        assert active["ST"] > 0.5 and active["ST"] > inert["ST"] + 0.5
        assert abs(inert["S1"]) < 0.05 and abs(inert["ST"]) < 0.05
        assert active["ST_conf"] > 0 and active["note"] == ""
    assert (frame["method"] == "sobol").all()
    assert frame.attrs["runs"] == 64 and frame.attrs["samples"] == 16
    assert frame.attrs["final_step"] == 36  # recorded every 12 steps: the last one is used
    _assert_outputs(tmp_path, "sobol", frame)
    assert not (sobol_sweep / CSV_NAME).exists()  # dest given: the sweep folder is untouched


def test_sobol_default_is_every_recorded_indicator_and_is_reproducible(sobol_sweep):
    first = analyse(sobol_sweep, write=False)
    assert list(dict.fromkeys(first["indicator"])) == [
        OUTPUT, "memberships_per_actor", "tables_active", "appropriation"]
    again = analyse(sobol_sweep, method="sobol", write=False)
    pd.testing.assert_frame_equal(first, again)  # bootstrap seeded from the design seed


def test_constant_or_missing_output_gives_nan_indices_with_a_note(sobol_sweep, tmp_path):
    folder = _copy(sobol_sweep, tmp_path)
    _set_indicator(folder, OUTPUT, 0.25)
    _set_indicator(folder, "appropriation", np.nan, runs=1)
    frame = analyse(folder, [OUTPUT, "appropriation", "memberships_per_actor"])
    flat = frame[frame["indicator"] == OUTPUT]
    assert flat[["S1", "S1_conf", "ST", "ST_conf"]].isna().all().all()
    assert (flat["note"] == CONSTANT).all()
    holed = frame[frame["indicator"] == "appropriation"]
    assert holed["ST"].isna().all()
    assert holed["note"].str.startswith("1 of 64 design points have no value").all()
    fine = frame[frame["indicator"] == "memberships_per_actor"]
    assert fine["ST"].notna().all() and (fine["note"] == "").all()
    _assert_outputs(folder, "sobol", frame)


# ---- Morris --------------------------------------------------------------------------------

def test_morris_gives_the_inert_parameter_exactly_no_effect(morris_sweep, tmp_path):
    frame = analyse(morris_sweep, [OUTPUT, "memberships_per_actor"], dest=tmp_path)
    assert list(frame.columns) == columns("morris")
    assert len(frame) == 2 * 2
    for indicator in (OUTPUT, "memberships_per_actor"):
        active, inert = _row(frame, indicator, ACTIVE), _row(frame, indicator, INERT)
        assert active["mu_star"] > 0 and active["mu_star"] > inert["mu_star"]
        assert (inert["mu"], inert["mu_star"], inert["sigma"]) == (0.0, 0.0, 0.0)
    assert frame.attrs["runs"] == 60 and frame.attrs["points"] == 30
    _assert_outputs(tmp_path, "morris", frame)


def test_morris_averages_replications_per_point(morris_sweep):
    """The indices come from the mean over replications of each point's final value."""
    from SALib.analyze import morris

    from analyses.experiments.storage import load_results

    frame = analyse(morris_sweep, [OUTPUT], write=False)
    results = load_results(morris_sweep)
    outputs = results.groupby("point")[OUTPUT].mean().to_numpy()
    inputs = results.groupby("point")[[ACTIVE, INERT]].first().to_numpy()
    problem = {"num_vars": 2, "names": [ACTIVE, INERT], "bounds": [[0.4, 2.4], [0.3, 0.9]]}
    expected = morris.analyze(problem, inputs, outputs, num_levels=4, seed=3)
    assert frame["mu_star"].tolist() == pytest.approx(list(expected["mu_star"]))
    assert frame["sigma"].tolist() == pytest.approx(list(expected["sigma"]))


def test_morris_constant_output_has_zero_effects_and_a_note(morris_sweep, tmp_path):
    folder = _copy(morris_sweep, tmp_path)
    _set_indicator(folder, OUTPUT, 0.1)
    frame = analyse(folder, [OUTPUT])
    assert (frame[["mu", "mu_star", "sigma", "mu_star_conf"]] == 0).all().all()
    assert (frame["note"] == MORRIS_CONSTANT).all()
    _assert_outputs(folder, "morris", frame)


# ---- command line --------------------------------------------------------------------------

def test_cli_prints_sobol_table_sorted_by_total_index(cli, sobol_sweep):
    code, out, err = cli("sensitivity", sobol_sweep, "--indicator", OUTPUT,
                         "--indicator", "memberships_per_actor")
    assert code == 0, err
    assert "sensitivity_sobol: Sobol indices, N = 16" in out
    assert "S1 [95% conf]" in out and "ST [95% conf]" in out
    block = out.split(f"\n{OUTPUT}\n")[1].split("\n\n")[0].splitlines()
    assert block[1].split()[0] == ACTIVE and block[2].split()[0] == INERT
    assert "[±" in block[1]
    assert str(sobol_sweep / CSV_NAME) in out and str(sobol_sweep / PNG_NAME) in out
    assert (sobol_sweep / CSV_NAME).is_file() and (sobol_sweep / PNG_NAME).is_file()


def test_cli_prints_morris_table_into_another_folder(cli, morris_sweep, tmp_path):
    dest = tmp_path / "figures" / "morris"
    code, out, err = cli("sensitivity", morris_sweep, "--indicator",
                         f"{OUTPUT},tables_active", "--out", dest, "--method", "morris")
    assert code == 0, err
    assert "mu* [95% conf]" in out and "sigma" in out
    assert "mean of 2 replications per point" in out
    block = out.split("\ntables_active\n")[1].splitlines()
    assert block[1].split()[0] == ACTIVE
    assert str(dest / CSV_NAME) in out
    written = pd.read_csv(dest / CSV_NAME)
    assert set(written["indicator"]) == {OUTPUT, "tables_active"}


# ---- refusals ------------------------------------------------------------------------------

def _refused(cli, *args) -> str:
    code, out, err = cli("sensitivity", *args)
    assert code == 2, out
    assert err.startswith("error:") and "Traceback" not in err
    return err


@pytest.mark.parametrize("kind", ["factorial", "lhs"])
def test_refuses_a_design_without_sensitivity_structure(cli, tmp_path, kind):
    levels = "[0.8, 1.6]" if kind == "factorial" else "{ low = 0.8, high = 1.6 }"
    experiment = tmp_path / f"{kind}.toml"
    experiment.write_text(f'scenario = "baseline"\nyears = 1\n[design]\nkind = "{kind}"\n'
                          f'samples = 2\n[parameters]\nweight_time = {levels}\n')
    out = tmp_path / "out"
    summary = sweep(experiment, out, engine="serial", progress=False)
    assert summary.complete
    err = _refused(cli, out)
    assert f"{kind} design" in err and "needs a sobol or morris experiment" in err
    assert not (out / CSV_NAME).exists()


def test_refuses_an_incomplete_sweep_and_the_sweep_command_resumes_it(cli, sobol_sweep,
                                                                      tmp_path):
    folder = _copy(sobol_sweep, tmp_path)
    (folder / CSV_NAME).unlink(missing_ok=True)
    next((folder / "runs").glob("*.parquet")).unlink()
    err = _refused(cli, folder)
    assert "63 of 64 runs are done" in err and "resumes" in err
    assert "concertation sweep" in err and str(DATA / "sensitivity_sobol.toml") in err
    assert not (folder / CSV_NAME).exists()
    summary = sweep(DATA / "sensitivity_sobol.toml", folder, engine="serial", progress=False)
    assert (summary.skipped, summary.done) == (63, 1)
    code, _, err = cli("sensitivity", folder, "--indicator", OUTPUT)
    assert code == 0, err


def test_refuses_a_folder_without_sweep_metadata(cli, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "holds no sweep metadata (experiment.json)" in _refused(cli, empty)
    assert "does not exist" in _refused(cli, tmp_path / "missing")
    assert not list(empty.iterdir())


def test_refuses_unknown_indicator_and_mismatched_method(cli, sobol_sweep):
    err = _refused(cli, sobol_sweep, "--indicator", OUTPUT, "--indicator", "happiness")
    assert "['happiness']" in err and "memberships_per_actor" in err
    err = _refused(cli, sobol_sweep, "--method", "morris")
    assert "sobol design" in err and "--method sobol" in err


def test_library_refusals_are_scenario_errors(tmp_path):
    with pytest.raises(ScenarioError, match="no sweep metadata"):
        analyse(tmp_path)
