"""Sweeps: identical results whatever the engine, resume after a kill, failures recorded,
bad experiment files refused before anything is touched."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from analyses.experiments import sweep as sweep_module
from analyses.experiments.design import build_runs, design_points, interleaved
from analyses.experiments.experiment import load_experiment
from analyses.experiments.storage import load_results
from analyses.experiments.sweep import sweep
from concertation.cli import main

SMOKE = "smoke"


def write_experiment(folder: Path, body: str, name: str = "exp") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def folder_state(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture(scope="module")
def smoke_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The smoke sweep's folder, run once serially (tests that change a folder copy it)."""
    out = tmp_path_factory.mktemp("serial")
    summary = sweep(SMOKE, out, engine="serial", progress=False)
    assert summary.done == summary.total == 8 and not summary.failed
    return out


@pytest.fixture(scope="module")
def serial_reference(smoke_folder: Path) -> pd.DataFrame:
    return load_results(smoke_folder)


def test_smoke_results_are_tidy(serial_reference: pd.DataFrame) -> None:
    frame = serial_reference
    assert frame["run_id"].nunique() == 8
    assert {"participation.weight_time", "process.favourable_conditions", "seed", "replication",
            "step", "appropriation"} <= set(frame.columns)
    assert sorted(frame["step"].unique()) == [0, 12, 24]
    # common random numbers: replication r has seed r at every design point
    assert (frame["seed"] == frame["replication"]).all()


def test_local_pool_gives_identical_results(serial_reference: pd.DataFrame,
                                            tmp_path: Path) -> None:
    sweep(SMOKE, tmp_path, engine="local", workers=2, progress=False)
    pd.testing.assert_frame_equal(load_results(tmp_path), serial_reference)


def test_dask_local_cluster_gives_identical_results(serial_reference: pd.DataFrame,
                                                   tmp_path: Path) -> None:
    """A real Dask LocalCluster with two worker processes."""
    summary = sweep(SMOKE, tmp_path, engine="dask", workers=2, progress=False)
    assert summary.done == 8
    pd.testing.assert_frame_equal(load_results(tmp_path), serial_reference)
    session = json.loads((tmp_path / "experiment.json").read_text())["sessions"][-1]
    assert session["engine"] == "dask" and session["done"] == 8


def test_dask_scheduler_address(serial_reference: pd.DataFrame, tmp_path: Path) -> None:
    """The same sweep sent to an already running scheduler by its address."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        sweep(SMOKE, tmp_path, engine="dask", scheduler=cluster.scheduler_address,
              progress=False)
    pd.testing.assert_frame_equal(load_results(tmp_path), serial_reference)


def test_shards_cover_the_sweep_exactly_once(serial_reference: pd.DataFrame,
                                             tmp_path: Path) -> None:
    first = sweep(SMOKE, tmp_path, engine="serial", shard="0/3", progress=False)
    second = sweep(SMOKE, tmp_path, engine="serial", shard="1/3", progress=False)
    third = sweep(SMOKE, tmp_path, engine="serial", shard="2/3", progress=False)
    assert first.done + second.done + third.done == 8
    pd.testing.assert_frame_equal(load_results(tmp_path), serial_reference)


def test_killed_sweep_resumes_every_run_exactly_once(tmp_path: Path) -> None:
    experiment = write_experiment(tmp_path, """
        name = "resume"
        scenario = "baseline"
        years = 3
        replications = 6
        [record]
        every = 12
        [parameters]
        weight_time = [0.8, 1.6]
    """)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "concertation", "sweep", str(experiment), "--out", str(out),
               "--engine", "serial"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    while len(list((out / "runs").glob("*.parquet"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_before = {p.name: p.read_bytes() for p in (out / "runs").glob("*.parquet")}
    assert 3 <= len(done_before) < 12, "the kill should land part-way"

    summary = sweep(experiment, out, engine="local", workers=2, progress=False)
    assert summary.skipped == len(done_before)
    assert summary.done == 12 - len(done_before)
    for name, content in done_before.items():
        assert (out / "runs" / name).read_bytes() == content, "finished runs are not redone"
    assert not list(out.rglob(".*.tmp"))

    resumed = load_results(out)
    assert resumed["run_id"].nunique() == 12
    assert len(resumed) == 12 * 4  # steps 0, 12, 24, 36
    reference = tmp_path / "reference"
    sweep(experiment, reference, engine="serial", progress=False)
    pd.testing.assert_frame_equal(resumed, load_results(reference))
    sessions = json.loads((out / "experiment.json").read_text())["sessions"]
    assert len(sessions) == 2


def test_a_run_that_raises_is_recorded_and_the_sweep_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    real_model = sweep_module.ConcertationModel

    def fragile(scenario, rng, **options):
        if rng == 1 and scenario.participation.weight_time == 1.6:
            raise RuntimeError("boom in the model")
        return real_model(scenario, rng=rng, **options)

    monkeypatch.setattr(sweep_module, "ConcertationModel", fragile)
    code = main(["sweep", SMOKE, "--out", str(tmp_path), "--engine", "serial"])
    captured = capsys.readouterr()
    assert code == 1
    assert "2 failed" in captured.out
    failures = sorted((tmp_path / "failed").glob("*.json"))
    assert len(failures) == 2
    record = json.loads(failures[0].read_text())
    assert "boom in the model" in record["error"]
    assert "Traceback" in record["traceback"]
    assert record["values"]["participation.weight_time"] == 1.6 and record["seed"] == 1
    assert len(list((tmp_path / "runs").glob("*.parquet"))) == 6

    monkeypatch.setattr(sweep_module, "ConcertationModel", real_model)
    assert main(["sweep", SMOKE, "--out", str(tmp_path), "--engine", "serial"]) == 0
    assert not list((tmp_path / "failed").glob("*.json"))
    assert load_results(tmp_path)["run_id"].nunique() == 8


BAD_EXPERIMENTS = {
    "unknown parameter": ("""
        name = "bad"
        [parameters]
        weight_tme = [1.0, 2.0]
    """, "weight_tme"),
    "bounds reversed": ("""
        name = "bad"
        [design]
        kind = "lhs"
        [parameters]
        weight_time = { low = 2.0, high = 1.0 }
    """, "parameters.weight_time"),
    "unknown design": ("""
        name = "bad"
        [design]
        kind = "fractional"
        [parameters]
        weight_time = [1.0, 2.0]
    """, "design.kind"),
    "zero replications": ("""
        name = "bad"
        replications = 0
    """, "replications"),
    "broken toml": ("""
        name = "bad
        [parameters
    """, "not valid TOML"),
    "value out of range in a design point": ("""
        name = "bad"
        [parameters]
        bottom_up_rate = [0.01, -0.5]
    """, "tables.bottom_up_rate"),
    "unknown indicator": ("""
        name = "bad"
        indicators = ["apropriation"]
    """, "apropriation"),
}


@pytest.mark.parametrize("case", sorted(BAD_EXPERIMENTS))
def test_bad_experiment_files_are_refused_and_touch_nothing(
        case: str, tmp_path: Path, capsys: pytest.CaptureFixture, smoke_folder: Path) -> None:
    body, field = BAD_EXPERIMENTS[case]
    experiment = write_experiment(tmp_path, body)
    out = tmp_path / "earlier"  # a folder holding earlier results
    shutil.copytree(smoke_folder, out)
    before = folder_state(out)
    code = main(["sweep", str(experiment), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.startswith("error: ")
    assert str(experiment) in captured.err and field in captured.err
    assert "Traceback" not in captured.err
    assert folder_state(out) == before


def test_folder_of_another_experiment_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                 smoke_folder: Path) -> None:
    out = tmp_path / "smoke"
    shutil.copytree(smoke_folder, out)
    before = folder_state(out)
    other = write_experiment(tmp_path, """
        name = "other"
        years = 1
    """, name="other")
    assert main(["sweep", str(other), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "another experiment" in err and "smoke" in err
    assert folder_state(out) == before


def test_designs_from_salib(tmp_path: Path) -> None:
    lhs, _, _ = load_experiment("funding_levers_lhs")
    points = design_points(lhs)
    assert len(points) == 2 * 40
    prescriptions = [values["programmes.design.prescription"] for _, values in points[:40]]
    assert min(prescriptions) < 0.05 and max(prescriptions) > 0.95
    sobol, _, _ = load_experiment("sobol_headline")
    assert len(design_points(sobol)) == 64 * (6 + 2)
    morris, _, _ = load_experiment("morris_screening")
    assert len(design_points(morris)) == 10 * (8 + 1)
    runs = build_runs(lhs, points)
    assert len({run.run_id for run in runs}) == len(runs) == 80 * 3


def test_run_order_spreads_over_the_design() -> None:
    order = interleaved(16)
    assert sorted(order) == list(range(16))
    first_quarter = sorted(order[:4])
    assert first_quarter == [0, 4, 8, 12]


def test_independent_seeds_differ_between_points(tmp_path: Path) -> None:
    experiment = write_experiment(tmp_path, """
        name = "independent"
        replications = 2
        seed_policy = "independent"
        [parameters]
        weight_time = [0.8, 1.6, 2.0]
    """)
    exp, _, _ = load_experiment(experiment)
    runs = build_runs(exp, design_points(exp))
    assert len({run.seed for run in runs}) == len(runs)
