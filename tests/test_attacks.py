"""Attacks on the inputs, the result files and the processes (issue "never mix, lose or
corrupt results"): each reproduces a way results could be mixed, lost or corrupted, or a
traceback shown instead of an `error:` line, and asserts what happens now."""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from pathlib import Path

import pandas as pd
import psutil
import pytest

from analyses import termination
from analyses.comparison.compare import ComparisonPlan, run_comparison
from analyses.comparison.compare import _run_id as compare_run_id
from analyses.experiments.experiment import load_experiment
from analyses.experiments.storage import FolderBusy, ResultStore, load_results
from analyses.experiments.sweep import plan_sweep, sweep
from concertation.commands.app import TEMP_PREFIX, remove_stale_folders
from simulation import ConcertationModel, ScenarioError, load_scenario
from simulation.identity import model_identity
from simulation.limits import MAX_RUN_GB_ENV, RunLimitError

CLI = [sys.executable, "-m", "concertation"]

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
    monkeypatch.setenv(MAX_RUN_GB_ENV, "0.01")
    scenario = load_scenario("baseline", {"launch_rate_multiplier": 100, "run.years": 2})
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


# ---- provenance that resume checks -----------------------------------------------------------

QUICK = """name = "quick"
scenario = "{scenario}"
years = 1
replications = 2

[fixed]
spinup_years = 2

[parameters]
weight_time = [1.0, 3.0]
"""


def quick(tmp_path: Path, scenario: str = "baseline") -> Path:
    path = tmp_path / "quick.toml"
    path.write_text(QUICK.format(scenario=scenario), encoding="utf-8")
    return path


def test_resume_after_the_base_scenario_changed_is_refused(tmp_path: Path) -> None:
    base = tmp_path / "territory.toml"
    base.write_text("[population]\ncommunity_groups = 60\n", encoding="utf-8")
    path = quick(tmp_path, str(base))
    out = tmp_path / "out"
    assert sweep(path, out, engine="serial", progress=False, shard="0/2").done == 2
    base.write_text("[population]\ncommunity_groups = 80\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="resolved parameters changed") as error:
        sweep(path, out, engine="serial", progress=False)
    assert "mix runs of two models" in str(error.value) and "--out" in str(error.value)
    assert len(list((out / "runs").glob("*.parquet"))) == 2


def test_resume_after_only_the_base_scenarios_words_changed_goes_on(tmp_path: Path) -> None:
    base = tmp_path / "territory.toml"
    base.write_text('description = "first words"\n', encoding="utf-8")
    path, out = quick(tmp_path, str(base)), tmp_path / "out"
    assert sweep(path, out, engine="serial", progress=False, shard="0/2").done == 2
    base.write_text('name = "renamed"\ndescription = "better words"\n'
                    'description_fr = "en français"\n', encoding="utf-8")
    summary = sweep(path, out, engine="serial", progress=False)
    assert (summary.skipped, summary.done, summary.corrupt) == (2, 2, [])


def test_resume_after_the_model_code_changed_is_refused(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path, out = quick(tmp_path), tmp_path / "out"
    sweep(path, out, engine="serial", progress=False, shard="0/2")
    edited = model_identity() | {"model_source": "0" * 64}
    monkeypatch.setattr("analyses.experiments.sweep.model_identity", lambda: edited)
    with pytest.raises(ScenarioError, match="source code changed"):
        sweep(path, out, engine="serial", progress=False)


def test_the_compare_cache_is_keyed_by_the_model_source(monkeypatch: pytest.MonkeyPatch) -> None:
    data = load_scenario("baseline").model_dump()
    before = compare_run_id("baseline", data, {}, 0)
    monkeypatch.setattr("analyses.comparison.compare.source_hash", lambda: "edited")
    assert compare_run_id("baseline", data, {}, 0) != before


# ---- verified results ------------------------------------------------------------------------

def test_truncated_and_emptied_run_files_are_set_aside_and_computed_again(tmp_path: Path
                                                                          ) -> None:
    path, out = quick(tmp_path), tmp_path / "out"
    sweep(path, out, engine="serial", progress=False)
    clean = load_results(out)
    files = sorted((out / "runs").glob("*.parquet"))
    files[0].write_bytes(files[0].read_bytes()[:100])
    files[1].write_bytes(b"")
    (out / "runs" / "stray.parquet").write_bytes(b"not a run of this sweep")
    with pytest.raises(ScenarioError, match="3 run file") as error:
        load_results(out)
    assert files[0].name in str(error.value) and files[1].name in str(error.value)

    summary = sweep(path, out, engine="serial", progress=False)
    assert (summary.skipped, summary.done, summary.recomputed) == (2, 2, 2)
    assert sorted(name for name, _ in summary.corrupt) == sorted(
        [files[0].name, files[1].name, "stray.parquet"])
    notes = sorted((out / "corrupt").glob("*.json"))
    assert len(notes) == 3 and {json.loads(n.read_text())["file"] for n in notes} == {
        files[0].name, files[1].name, "stray.parquet"}
    pd.testing.assert_frame_equal(load_results(out), clean)


def test_a_sweep_stopped_by_its_engine_records_how_its_session_ended(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable(*_: object) -> None:
        raise ScenarioError("--scheduler tcp://nohost:1: no Dask scheduler answers there")

    monkeypatch.setattr("analyses.experiments.sweep.execute", unreachable)
    path, out = quick(tmp_path), tmp_path / "out"
    with pytest.raises(ScenarioError, match="no Dask scheduler"):
        sweep(path, out, engine="dask", progress=False)
    session, = json.loads((out / "experiment.json").read_text(encoding="utf-8"))["sessions"]
    assert session["done"] == 0 and "end" in session
    assert session["stopped"].startswith("ScenarioError: --scheduler tcp://nohost:1")


def test_results_are_readable_as_the_umask_allows(tmp_path: Path) -> None:
    path, out = quick(tmp_path), tmp_path / "out"
    umask = os.umask(0o027)
    try:
        sweep(path, out, engine="serial", progress=False)
    finally:
        os.umask(umask)
    modes = {file.stat().st_mode & 0o777 for file in [*(out / "runs").glob("*.parquet"),
                                                        out / "experiment.json"]}
    assert modes == {0o640}  # group-readable, as any file the user makes; not mkstemp's 0600


def test_a_truncated_run_in_the_compare_cache_is_replaced(tmp_path: Path) -> None:
    plan = ComparisonPlan({"baseline": load_scenario("baseline", {"run.years": 1,
                                                                  "spinup_years": 2})}, 2, 0)
    first = run_comparison(plan, tmp_path, workers=1, engine="serial", progress=False)
    damaged = min((tmp_path / "runs").glob("*.parquet"))
    damaged.write_bytes(damaged.read_bytes()[:50])
    again = run_comparison(plan, tmp_path, workers=1, engine="serial", progress=False)
    pd.testing.assert_frame_equal(first, again)
    assert len(list((tmp_path / "corrupt").glob("*.parquet"))) == 1


# ---- safe writes and locks -------------------------------------------------------------------

def test_planted_links_are_not_followed(tmp_path: Path) -> None:
    path, out = quick(tmp_path), tmp_path / "out"
    sweep(path, out, engine="serial", progress=False, shard="0/2")
    runs = out / "runs"
    done = {file.stem for file in runs.glob("*.parquet")}
    pending = sorted({f"p{point:04d}-r{rep:03d}" for point in range(2) for rep in range(2)}
                     - done)
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch\n", encoding="utf-8")
    for stem in pending:  # the temporary names of earlier versions, for the next pids
        for pid in range(os.getpid(), os.getpid() + 50):
            (runs / f".{stem}.{pid}.tmp").symlink_to(victim)
    (runs / f"{pending[0]}.parquet").symlink_to(victim)
    summary = sweep(path, out, engine="serial", progress=False)
    assert victim.read_text(encoding="utf-8") == "do not touch\n"
    files = sorted(runs.glob("*.parquet"))
    assert len(files) == 4 and not any(file.is_symlink() for file in files)
    assert summary.corrupt == [(f"{pending[0]}.parquet", "not a regular file (a link or a folder)")]
    assert len(load_results(out)) == 4


def test_a_planted_or_damaged_experiment_json_is_refused(tmp_path: Path) -> None:
    path, out = quick(tmp_path), tmp_path / "out"
    sweep(path, out, engine="serial", progress=False, shard="0/2")
    (out / "experiment.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(ScenarioError, match="experiment.json.*not valid JSON"):
        sweep(path, out, engine="serial", progress=False)
    victim = tmp_path / "victim.json"
    victim.write_text("{}", encoding="utf-8")
    (out / "experiment.json").unlink()
    (out / "experiment.json").symlink_to(victim)
    with pytest.raises(ScenarioError, match="is a link"):
        sweep(path, out, engine="serial", progress=False)
    assert victim.read_text(encoding="utf-8") == "{}"


def test_a_second_sweep_on_a_busy_folder_is_refused_and_shards_share_it(tmp_path: Path) -> None:
    path, out = quick(tmp_path), tmp_path / "out"
    with ResultStore(out).lock(), pytest.raises(FolderBusy, match=f"process {os.getpid()}"):
        sweep(path, out, engine="serial", progress=False)
    with ResultStore(out).lock("0/2"):
        assert sweep(path, out, engine="serial", progress=False, shard="1/2").done == 2
        with pytest.raises(FolderBusy):
            sweep(path, out, engine="serial", progress=False)


def test_concurrent_shards_keep_every_session_record(tmp_path: Path) -> None:
    path, out = quick(tmp_path), tmp_path / "out"
    shards = [subprocess.Popen([*CLI, "sweep", str(path), "--out", str(out), "--engine",
                                "serial", "--shard", f"{index}/2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
              for index in range(2)]
    for shard in shards:
        _, err = shard.communicate(timeout=120)
        assert shard.returncode == 0, err.decode()
    sessions = json.loads((out / "experiment.json").read_text())["sessions"]
    assert sorted(session["shard"] for session in sessions) == ["0/2", "1/2"]
    assert all(session["done"] == 2 for session in sessions)
    assert len(load_results(out)) == 4


# ---- processes that die together -------------------------------------------------------------

LONG = QUICK.replace("years = 1", "years = 8").replace("replications = 2", "replications = 4")


def _start_sweep(tmp_path: Path) -> subprocess.Popen:
    path = tmp_path / "long.toml"
    path.write_text(LONG.format(scenario="baseline"), encoding="utf-8")
    return subprocess.Popen([*CLI, "sweep", str(path), "--out", str(tmp_path / "out"),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _pool_workers(main: psutil.Process, timeout: float = 60.0) -> list[psutil.Process]:
    """The pool's workers: children of the forkserver, itself a child of the main process."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        servers = [child for child in main.children()
                   if "forkserver" in " ".join(child.cmdline())]
        workers = [worker for server in servers for worker in server.children()]
        if len(workers) == 2:
            return workers
        time.sleep(0.2)
    raise TimeoutError("the sweep's pool never started two workers")


def _alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    return [p for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_sweep_leaves_no_process_behind(tmp_path: Path, signum: int) -> None:
    sweep_process = _start_sweep(tmp_path)
    main = psutil.Process(sweep_process.pid)
    _pool_workers(main)
    descendants = main.children(recursive=True)
    assert len(descendants) >= 4  # resource tracker, forkserver, two workers
    sweep_process.send_signal(signum)
    sweep_process.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while _alive(descendants) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _alive(descendants) == []
    assert not list((tmp_path / "out" / "runs").glob(".*.tmp"))


def test_a_killed_worker_costs_a_retry_not_a_result(tmp_path: Path) -> None:
    sweep_process = _start_sweep(tmp_path)
    _pool_workers(psutil.Process(sweep_process.pid))[0].kill()
    out, err = sweep_process.communicate(timeout=300)
    assert sweep_process.returncode == 0, err.decode()
    assert "8 done now" in out.decode() and "0 failed" in out.decode()
    session = json.loads((tmp_path / "out" / "experiment.json").read_text())["sessions"][-1]
    assert session["done"] == 8 and session["failed"] == []


def test_a_killed_app_takes_its_server_and_folder_with_it(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = subprocess.Popen([*CLI, "app", "--port", str(port)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                break
        except OSError:
            time.sleep(0.3)
    server = psutil.Process(app.pid).children()
    assert server, "the app started no server"
    folders = list(Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}{app.pid}-*"))
    assert len(folders) == 1
    app.kill()
    app.wait()
    deadline = time.monotonic() + 10
    while (_alive(server) or folders[0].exists()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _alive(server) == []
    assert not folders[0].exists()


def test_a_dead_apps_folder_is_removed_at_the_next_start() -> None:
    finished = subprocess.Popen(["true"])
    finished.wait()
    folder = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{finished.pid}-"))
    assert folder in remove_stale_folders() and not folder.exists()


# ---- an `error:` line, not a traceback, and nothing earlier lost -----------------------------

def error_paragraph(err: str) -> str:
    """The `error:` paragraph that ends stderr (a progress bar may come before it)."""
    assert "error: " in err, err
    paragraph = "error: " + err.rsplit("error: ", 1)[1]
    assert err.endswith(paragraph)
    return paragraph


def test_run_into_an_unrelated_folder_leaves_it_byte_identical(cli, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "run.json").write_text("my own file\n", encoding="utf-8")
    (folder / "report.html").write_text("<p>mine</p>\n", encoding="utf-8")
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    for command in (["run", "baseline"], ["compare", "baseline", "--replications", "2"]):
        code, _, err = cli(*command, "--years", "1", "--out", folder)
        assert code == 2 and err.startswith("error: --out") and "--force" in err
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before


def test_a_second_run_into_a_folder_being_written_is_refused(cli, tmp_path: Path) -> None:
    from analyses.runs import held_folder

    folder = tmp_path / "shared"
    code, _, err = cli("run", "baseline", "--years", "1", "--out", folder)
    assert code == 0, err
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    with held_folder(folder, "run"):  # as the first command holds it while it computes
        for command in (["run", "baseline"], ["compare", "baseline", "--replications", "2"]):
            code, _, err = cli(*command, "--years", "1", "--force", "--out", folder)
            assert code == 2 and "is being written by another `concertation" in err, err
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    code, _, err = cli("run", "baseline", "--years", "1", "--out", folder)
    assert code == 0, err  # the lock goes with its holder


@pytest.mark.parametrize("folder", ["/", "~"])
def test_system_folders_are_refused_even_with_force(cli, folder: str) -> None:
    code, _, err = cli("run", "baseline", "--years", "1", "--force", "--out",
                       Path(folder).expanduser())
    assert code == 2 and "system or home folder" in err


def test_a_scenario_named_dots_writes_into_its_own_folder(cli, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "...toml").write_text("[run]\nyears = 1\n", encoding="utf-8")
    code, _, err = cli("run", "...toml")
    assert code == 0, err
    assert (tmp_path / "results" / "scenario" / "run.json").is_file()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["...toml", "results"]


@pytest.mark.parametrize("content, expected", [
    (b"\xff\xfe\x00\x01binary", "not UTF-8 text (byte 0xff at position 0)"),
    ('name = "caf\u00e9"\n'.encode("latin-1"), "not UTF-8 text (byte 0xe9"),
])
def test_binary_and_non_utf8_scenarios_are_an_error_line(cli, tmp_path: Path, content: bytes,
                                                         expected: str) -> None:
    path = tmp_path / "odd.toml"
    path.write_bytes(content)
    code, _, err = cli("run", path, "--out", tmp_path / "out")
    assert code == 2 and err.startswith(f"error: Invalid scenario {path}") and expected in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args, expected", [
    (["run", "baseline", "--set", "community_groups=99999999999999999999"],
     "above the limit of 2 GB per run"),
    (["run", "baseline", "--set", "community_groups=999999999"],
     "\n  population (territories, community_groups, institutions, citizens): a run of"),
    (["run", "baseline", "--set", "funding_per_table=1e308"],
     "field 'programmes.design.funding_per_table': at most 1e+12 in size (got 1e+308)"),
    (["run", "baseline", "--set", "launch_rate_multiplier=1e6"],
     "field 'programmes.launch_rate_multiplier': Input should be less than or equal to 100"),
    (["run", "/tmp"], "Scenario file /tmp is a folder; give a scenario's .toml file"),
    (["sweep", "/tmp"], "Experiment file /tmp is a folder; give an experiment's .toml file"),
    (["validate", "--replications", "0"], "--replications must be at least 1"),
    (["sweep", "smoke", "--engine", "dask", "--scheduler", "nonsense"],
     "--scheduler nonsense: no Dask scheduler answers there"),
    (["sweep", "smoke", "--workers", "-3"], "expected a positive integer"),
    (["run", "baseline", "--set", 'weight_time="150"'], "participation.weight_time"),
    (["compare", "baseline", "--uncertain", "weight_time=0:inf"], "finite LOW < HIGH"),
])
def test_bad_inputs_are_one_error_line(cli, tmp_path: Path, args: list[str],
                                       expected: str) -> None:
    code, out, err = cli(*args, "--out", tmp_path / "out")
    assert code == 2 and expected in error_paragraph(err)
    assert "Traceback" not in err + out


@pytest.mark.parametrize("spec, expected", [
    ("{low = 1}", "field 'parameters.weight_time': bounds {low, high}: high: Field required"),
    ("{first = 1, stop = 2}", ("field 'parameters.weight_time': range {first, step, last}: step: "
                              "Field required; last: Field required; stop: unknown field")),
    ("{first = 1, step = 0, last = 2}", ("range {first, step, last}: step: Input should be "
                                        "greater than 0 (got 0)")),
    ("{begin = 1}", ("expected a list of levels, a range {first, step, last} or bounds "
                    "{low, high}; got the keys ['begin']")),
])
def test_a_bad_parameter_spec_is_told_in_the_files_terms(cli, tmp_path: Path, spec: str,
                                                         expected: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(f'scenario = "baseline"\n[parameters]\nweight_time = {spec}\n',
                    encoding="utf-8")
    code, _, err = cli("sweep", path, "--out", tmp_path / "out")
    paragraph = error_paragraph(err)
    assert code == 2 and expected in paragraph and "function-after" not in paragraph


def test_a_failed_run_in_compare_is_an_error_line(cli, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the model broke")

    monkeypatch.setattr("analyses.experiments.sweep.ConcertationModel", broken)
    code, _, err = cli("compare", "baseline", "--replications", "2", "--years", "1",
                       "--workers", "1", "--out", tmp_path / "out")
    assert code == 2 and error_paragraph(err).startswith("error: 2 run(s) failed")
    assert "the model broke" in err


def test_a_long_scenario_name_in_compare_is_shortened(cli, tmp_path: Path) -> None:
    path = tmp_path / f"{'a' * 240}.toml"
    path.write_text("[run]\nyears = 1\n[initial]\nspinup_years = 2\n", encoding="utf-8")
    code, _, err = cli("compare", path, "--replications", "2", "--workers", "1",
                       "--out", tmp_path / "out")
    assert code == 0, err
    assert all(len(file.name) < 120 for file in (tmp_path / "out" / "runs").iterdir())


def test_sigterm_during_run_leaves_no_partial_folder(tmp_path: Path) -> None:
    running = subprocess.Popen([*CLI, "run", "baseline", "--out", str(tmp_path / "out")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.partial-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    running.send_signal(signal.SIGTERM)
    _, err = running.communicate(timeout=30)
    assert running.returncode == 143 and b"terminated" in err
    assert list(tmp_path.iterdir()) == []


def test_a_sigterm_whose_exception_python_swallows_still_stops_the_run(
        cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a signal can land inside a finalizer, where Python prints the exception and goes on:
    # the run must stop anyway instead of publishing its results
    step = ConcertationModel.step

    class LandsInAFinalizer:
        def __del__(self) -> None:
            termination.handle(signal.SIGTERM, None)

    def step_then_signal(model: ConcertationModel) -> None:
        step(model)
        if model.steps == 3:
            LandsInAFinalizer()

    swallowed: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda hook: swallowed.append(hook.exc_type))
    monkeypatch.setattr(ConcertationModel, "step", step_then_signal)
    code, out, err = cli("run", "baseline", "--years", "2", "--out", tmp_path / "out")
    assert swallowed == [termination.Terminated]
    assert code == 143 and "terminated" in err.splitlines()[-1] and out == ""
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_is_an_error_line_and_keeps_finished_runs(cli, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    path, out = quick(tmp_path), tmp_path / "out"
    sweep(path, out, engine="serial", progress=False, shard="0/2")
    before = {file.name: file.read_bytes() for file in (out / "runs").iterdir()}

    def full(self: ResultStore, run_id: str, *args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(self.runs / run_id))

    monkeypatch.setattr(ResultStore, "write_run", full)
    code, _, err = cli("sweep", path, "--out", out, "--engine", "serial")
    paragraph = error_paragraph(err)
    assert code == 2 and "No space left on device" in paragraph and str(out) in paragraph
    assert {file.name: file.read_bytes() for file in (out / "runs").iterdir()} == before


# ---- found by an outside review --------------------------------------------------------------

def test_shards_of_two_experiments_racing_into_a_new_folder_do_not_mix(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, out = quick(tmp_path), tmp_path / "out"
    other = tmp_path / "other.toml"
    other.write_text(first.read_text().replace('name = "quick"', 'name = "other"'))
    sweep(first, out, engine="serial", progress=False, shard="0/2")
    # the other shard checked the folder before the first wrote its record: only the locked
    # record update is left to refuse it
    monkeypatch.setattr(ResultStore, "claim", lambda *args: None)
    with pytest.raises(ScenarioError, match="another experiment"):
        sweep(other, out, engine="serial", progress=False, shard="1/2")
    assert len(load_results(out)) == 2


def test_a_run_file_made_under_another_identity_is_computed_again(tmp_path: Path) -> None:
    base = tmp_path / "territory.toml"
    base.write_text("[population]\ncommunity_groups = 60\n", encoding="utf-8")
    path = quick(tmp_path, str(base))
    sweep(path, tmp_path / "a", engine="serial", progress=False)
    base.write_text("[population]\ncommunity_groups = 80\n", encoding="utf-8")
    sweep(path, tmp_path / "b", engine="serial", progress=False)
    base.write_text("[population]\ncommunity_groups = 60\n", encoding="utf-8")
    clean = load_results(tmp_path / "a")
    stray = tmp_path / "b" / "runs" / "p0000-r000.parquet"
    stray.replace(tmp_path / "a" / "runs" / stray.name)
    summary = sweep(path, tmp_path / "a", engine="serial", progress=False)
    assert summary.done == 1 and "another identity (parameters_hash" in summary.corrupt[0][1]
    pd.testing.assert_frame_equal(load_results(tmp_path / "a"), clean)


@pytest.mark.parametrize("content, problem", [
    ("[]", "a JSON list, not an object"), ('"x"', "a JSON str"),
    ('{"experiment_hash": "x"}', "no list of 'sessions'"),
    ('{"sessions": [], "identity": "x"}', "'identity' is not an object")])
def test_a_wrong_shaped_experiment_json_is_an_error_line(cli, tmp_path: Path, content: str,
                                                         problem: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "experiment.json").write_text(content, encoding="utf-8")
    code, _, err = cli("sweep", quick(tmp_path), "--out", out)
    assert code == 2 and problem in error_paragraph(err)


@pytest.mark.parametrize("name", [".lock", ".lock-metadata"])
def test_a_planted_lock_link_or_folder_is_an_error_line(cli, tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n", encoding="utf-8")
    (out / name).symlink_to(victim)
    code, _, err = cli("sweep", quick(tmp_path), "--out", out, "--engine", "serial")
    assert code == 2 and "lock file" in error_paragraph(err)
    assert victim.read_text(encoding="utf-8") == "keep\n"


def test_sweep_into_a_file_is_an_error_line(cli, tmp_path: Path) -> None:
    target = tmp_path / "afile"
    target.write_text("x\n", encoding="utf-8")
    code, _, err = cli("sweep", quick(tmp_path), "--out", target)
    assert code == 2 and "is not a folder" in error_paragraph(err)
    assert target.read_text(encoding="utf-8") == "x\n"


@pytest.mark.parametrize("section", ["parameters", "fixed"])
def test_a_float_for_a_count_in_an_experiment_is_refused(tmp_path: Path, section: str) -> None:
    value = "[10, 20.5]" if section == "parameters" else "20.5"
    path = tmp_path / "count.toml"
    path.write_text(f'name = "count"\nyears = 1\n[{section}]\ncommunity_groups = {value}\n',
                    encoding="utf-8")
    with pytest.raises(ScenarioError, match="population.community_groups"):
        plan_sweep(path)


def test_huge_replications_are_refused_before_anything_is_made(tmp_path: Path) -> None:
    path = quick(tmp_path)
    path.write_text(path.read_text().replace("replications = 2", "replications = 100000000"))
    with pytest.raises(ScenarioError, match="200,000,000 runs"):
        plan_sweep(path)


def test_out_of_range_seeds_are_refused(cli, tmp_path: Path) -> None:
    path = quick(tmp_path)
    path.write_text(path.read_text().replace("replications = 2", "seed = 99999999999999999999"
                                             "\nreplications = 2"))
    with pytest.raises(ScenarioError, match="seed"):
        load_experiment(path)
    for command in (["run", "baseline"], ["compare", "baseline"]):
        code, _, err = cli(*command, "--seed", "-1", "--out", tmp_path / "out")
        assert code == 2 and "expected a seed from 0" in error_paragraph(err)


def test_a_scenario_saved_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "notepad.toml"
    path.write_bytes("\ufeff[participation]\nweight_time = 2.0\n".encode())
    assert load_scenario(path).participation.weight_time == 2.0
