"""Attacks on the inputs, the result files and the processes (issue "never mix, lose or
corrupt results"): each reproduces a way results could be mixed, lost or corrupted, or a
traceback shown instead of an `error:` line, and asserts what happens now."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from analyses.experiments.experiment import load_experiment
from analyses.experiments.sweep import plan_sweep, sweep
from simulation import ConcertationModel, ScenarioError, load_scenario
from simulation.limits import MAX_RUN_GB_ENV, RunLimitError

SMOKE = """name = "attack"
scenario = "baseline"
years = 1
replications = 2

[parameters]
{parameters}
"""


def experiment(tmp_path: Path, parameters: str, extra: str = "") -> Path:
    path = tmp_path / "attack.toml"
    path.write_text(SMOKE.format(parameters=parameters) + extra, encoding="utf-8")
    return path


# ---- experiment files without ambiguity ------------------------------------------------------

@pytest.mark.parametrize("parameters, extra, named", [
    ('weight_time = [1, 2]\n"participation.weight_time" = [3, 4]', "",
     "participation.weight_time"),
    ("weight_time = [1, 2]", "\n[fixed]\nweight_time = 3\n", "participation.weight_time"),
    ("weight_time = [1, 2]", '\n[[rows]]\nname = "a"\nvalues = { weight_time = 3 }\n',
     "participation.weight_time"),
])
def test_a_parameter_named_twice_is_refused(tmp_path: Path, parameters: str, extra: str,
                                            named: str) -> None:
    with pytest.raises(ScenarioError, match="named twice") as error:
        load_experiment(experiment(tmp_path, parameters, extra))
    assert named in str(error.value) and "attack.toml" in str(error.value)


def test_two_rows_may_set_the_same_parameter(tmp_path: Path) -> None:
    rows = ('\n[[rows]]\nname = "a"\nvalues = { weight_time = 3 }\n'
            '\n[[rows]]\nname = "b"\nvalues = { weight_time = 4 }\n')
    loaded, _, _ = load_experiment(experiment(tmp_path, "weight_ownership = [1, 2]", rows))
    assert [row.values for row in loaded.rows] == [{"weight_time": 3}, {"weight_time": 4}]


def test_an_override_set_twice_by_alias_is_refused() -> None:
    with pytest.raises(ScenarioError, match="set twice"):
        load_scenario("baseline", {"weight_time": 1.0, "participation.weight_time": 2.0})


# ---- strict types, no infinities, coherent fields -------------------------------------------

@pytest.mark.parametrize("field, text", [
    ("participation.weight_time", '"150"'),
    ("participation.weight_time", "true"),
    ("population.community_groups", "150.5"),
    ("population.community_groups", '"150"'),
    ("process.favourable_conditions", '"yes"'),
    ("participation.weight_time", "inf"),
    ("actors.group_time_budget", "nan"),
])
def test_wrong_types_and_infinities_are_refused(tmp_path: Path, field: str, text: str) -> None:
    section, name = field.split(".")
    path = tmp_path / "bad.toml"
    path.write_text(f"[{section}]\n{name} = {text}\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    assert str(path) in str(error.value) and field in str(error.value)


def test_infinite_bounds_are_refused(tmp_path: Path) -> None:
    path = experiment(tmp_path, "weight_time = { low = 0.0, high = inf }",
                      '\n[design]\nkind = "lhs"\nsamples = 4\n')
    with pytest.raises(ScenarioError, match="finite"):
        load_experiment(path)


@pytest.mark.parametrize("text, expected", [
    ("[tables]\nmin_members = 400\n", "min_members"),
    ('[population]\nthemes = ["health", "health"]\n', "themes must be unique"),
    ('[[funders]]\nname = "late"\nfirst_year = 5.0\nexit_year = 2.0\n',
     "exit_year (2) is before its first_year (5)"),
    ('[[funders]]\nname = "big"\nprogramme = { required_institutions = 90 }\n',
     "require 90 institutions"),
    ('[[funders]]\nname = "odd"\nprogramme = { duration_years = "five" }\n',
     "duration_years"),
])
def test_contradictory_fields_are_refused(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "contradiction.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match="contradiction.toml") as error:
        load_scenario(path)
    assert expected in str(error.value)


# ---- limits, checked before anything is allocated --------------------------------------------

def test_a_billion_actors_is_refused_before_allocation() -> None:
    tracemalloc.start()
    try:
        with pytest.raises(ScenarioError, match="above the limit of 2 GB per run") as error:
            load_scenario("baseline", {"community_groups": 10**9})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert MAX_RUN_GB_ENV in str(error.value)
    assert peak < 20e6


def test_tables_multiplying_without_end_stop_at_the_limit(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setenv(MAX_RUN_GB_ENV, "0.02")
    scenario = load_scenario("baseline", {"launch_rate_multiplier": 1e6, "run.years": 2})
    with pytest.raises(RunLimitError, match="tables kept multiplying"):
        ConcertationModel(scenario, rng=0).run()


def test_a_design_too_large_is_refused_before_its_points_are_made(tmp_path: Path) -> None:
    path = experiment(tmp_path, "weight_time = { first = 0.0, step = 1e-7, last = 1.0 }\n"
                                "weight_ownership = [1, 2]")
    tracemalloc.start()
    try:
        with pytest.raises(ScenarioError, match="20,000,002 design points") as error:
            plan_sweep(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "CONCERTATION_MAX_POINTS" in str(error.value) and "attack.toml" in str(error.value)
    assert peak < 50e6


def test_a_run_past_its_time_limit_is_recorded_as_failed(tmp_path: Path) -> None:
    path = experiment(tmp_path, "weight_time = [1.0]")
    summary = sweep(path, tmp_path / "out", engine="serial", progress=False, run_timeout=1e-3)
    assert summary.done == 0 and len(summary.failed) == 2
    record = json.loads((tmp_path / "out" / "failed" / f"{summary.failed[0]}.json").read_text())
    assert record["error"].startswith("RunTimeout: the run went past --run-timeout 0.001 s")
