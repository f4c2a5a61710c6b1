"""Run files that know where they come from: each Parquet run file names its experiment (name
and hash), scenario, horizon and tool version; `load_results` refuses a folder mixing two
experiments' files; and the README's DuckDB example runs as written."""

from __future__ import annotations

import re
import shutil
from importlib import metadata
from pathlib import Path

import duckdb
import pytest

from analyses.experiments.experiment import EXPERIMENT_DIR, load_experiment
from analyses.experiments.storage import load_results, read_provenance
from analyses.experiments.sweep import plan_sweep, sweep, sweep_identity
from simulation.scenario import ScenarioError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def two_sweeps(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """results/smoke (as in the README) and a one-year variant of it, in one temporary folder."""
    base = tmp_path_factory.mktemp("provenance")
    variant = base / "smoke_one_year.toml"
    text = (EXPERIMENT_DIR / "smoke.toml").read_text(encoding="utf-8")
    variant.write_text(text.replace('name = "smoke"', 'name = "smoke_one_year"')
                       .replace("years = 2", "years = 1"), encoding="utf-8")
    sweep("smoke", base / "results" / "smoke", engine="serial", progress=False)
    sweep(variant, base / "other", engine="serial", progress=False)
    return base / "results" / "smoke", base / "other"


def test_each_run_file_names_its_experiment(two_sweeps: tuple[Path, Path]) -> None:
    smoke, _ = two_sweeps
    _, _, digest = load_experiment("smoke")
    identity = sweep_identity(plan_sweep("smoke"))
    files = sorted((smoke / "runs").glob("*.parquet"))
    assert len(files) == 8
    for path in files:
        assert read_provenance(path) == {
            "experiment": "smoke", "experiment_hash": digest, "scenario": "baseline",
            "years": 2, "start_year": 2000,
            "concertation_version": metadata.version("concertation"),
            "parameters_hash": identity["parameters_hash"],
            "model_source": identity["model_source"]}
    frame = load_results(smoke)
    assert frame.attrs["provenance"]["experiment_hash"] == digest


def test_a_folder_mixing_two_experiments_is_refused(two_sweeps: tuple[Path, Path],
                                                    tmp_path: Path) -> None:
    smoke, other = two_sweeps
    mixed = tmp_path / "mixed"
    shutil.copytree(smoke, mixed)
    stray = next((other / "runs").glob("*.parquet"))
    shutil.copy(stray, mixed / "runs" / f"zz-{stray.name}")
    with pytest.raises(ScenarioError, match="mixes runs of 2 experiments") as error:
        load_results(mixed)
    assert "'smoke'" in str(error.value) and "'smoke_one_year'" in str(error.value)


def test_run_files_that_do_not_match_experiment_json_are_refused(
        two_sweeps: tuple[Path, Path], tmp_path: Path) -> None:
    smoke, other = two_sweeps
    swapped = tmp_path / "swapped"
    shutil.copytree(other, swapped)
    shutil.copy(smoke / "experiment.json", swapped / "experiment.json")
    with pytest.raises(ScenarioError, match="experiment.json"):
        load_results(swapped)


def readme_blocks(language: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def test_the_readme_duckdb_example_runs_as_written(two_sweeps: tuple[Path, Path],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    smoke, _ = two_sweeps
    monkeypatch.chdir(smoke.parent.parent)  # the README's paths: results/smoke/...
    queries = [query for block in readme_blocks("sql") for query in block.split(";")
               if "SELECT" in query]
    assert len(queries) >= 2
    connection = duckdb.connect()
    results = [connection.execute(query).fetchall() for query in queries]
    by_weight = dict(results[0])
    assert sorted(by_weight) == [0.8, 1.6] and all(0 <= v <= 1 for v in by_weight.values())
    assert {row[0] for row in results[1]} == {"smoke"}
