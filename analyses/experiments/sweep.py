"""Parameter sweeps: plan the runs of an experiment, run the missing ones, store each result.

Resumable by construction: a run's result file is written atomically when the run ends, and a
re-run of the same command skips every run whose file exists. A run that raises is recorded
as failed (parameters and traceback) and the sweep goes on.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import sys
import time
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from tqdm import tqdm

from simulation import ConcertationModel, load_scenario
from simulation.identity import model_identity
from simulation.scenario import WORDS_ONLY, ScenarioError, apply_overrides, validate_data

from .. import termination
from .design import (
    RunSpec,
    build_runs,
    check_design_size,
    design_points,
    salib_problem,
    validate_points,
)
from .engines import execute, relax_malloc
from .experiment import Experiment, load_experiment
from .storage import ResultStore, export_csv

ID_COLUMNS = ["run_id", "point", "row", "replication", "seed"]


@dataclass
class Plan:
    """Everything a sweep will do, decided and validated before anything runs."""

    experiment: Experiment
    path: Path
    digest: str
    points: list[tuple[str, dict[str, Any]]]
    runs: list[RunSpec]
    varied: list[str]
    indicators: list[str]
    scenario_data: dict[str, Any] = field(repr=False)


@dataclass
class SweepSummary:
    total: int
    skipped: int
    done: int
    failed: list[str]
    seconds: float
    out: Path
    corrupt: list[tuple[str, str]] = field(default_factory=list)
    recomputed: int = 0  # how many of the corrupt files were runs of this sweep (or shard)

    @property
    def complete(self) -> bool:
        return not self.failed


def available_indicators(scenario_data: dict[str, Any]) -> list[str]:
    """The model's indicator columns, read from a freshly built model (without the spin-up:
    the columns do not depend on it, and it is most of a build's time)."""
    scenario = validate_data(apply_overrides(scenario_data, {
        "run.years": 1, "initial.spinup_years": 0}), "(probe)")
    frame = ConcertationModel(scenario, rng=0).model_frame()
    return [column for column in frame.columns if column not in ("step", "year")]


def plan_sweep(reference: str | Path) -> Plan:
    experiment, path, digest = load_experiment(reference)
    check_design_size(experiment, str(path))
    points = design_points(experiment)
    validate_points(experiment, points, str(path))
    scenario_data = load_scenario(experiment.scenario).explicit()
    known = available_indicators(scenario_data)
    chosen = experiment.indicators or known
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise ScenarioError(f"Invalid experiment {path}: field 'indicators' names unknown "
                            f"indicator(s) {unknown}; expected names among {known}.")
    varied = sorted({key for _, values in points for key in values})
    return Plan(experiment, path, digest, points, build_runs(experiment, points), varied,
                list(chosen), scenario_data)


def sweep_identity(plan: Plan) -> dict[str, str]:
    """What a resume must find unchanged: the experiment file; the resolved parameters (the
    base scenario with every default filled in, each design point's values, the runs and
    seeds, what is recorded); and the model (version and source hash; the schema that turns a
    point into a scenario is part of that source)."""
    years = {"run.years": plan.experiment.years} if plan.experiment.years else {}
    base = validate_data(apply_overrides(plan.scenario_data, years), plan.experiment.scenario)
    # A scenario's words (name, descriptions) change no run: a resume after a rewording goes on.
    content = json.dumps(
        [base.model_dump(mode="json", exclude=set(WORDS_ONLY)), plan.points,
         [(spec.run_id, spec.seed) for spec in plan.runs], plan.indicators,
         plan.experiment.record.every], sort_keys=True, default=str)
    return {"experiment_hash": plan.digest,
            "parameters_hash": hashlib.sha256(content.encode()).hexdigest(),
            **model_identity()}


def parse_shard(text: str | None) -> tuple[int, int] | None:
    """'I/N' (0 <= I < N): this process runs every N-th run starting at I."""
    if text is None:
        return None
    index, sep, count = text.partition("/")
    if not sep or not index.isdigit() or not count.isdigit() or not 0 <= int(index) < int(count):
        raise ScenarioError(f"--shard expects I/N with 0 <= I < N (e.g. 0/4), got {text!r}")
    return int(index), int(count)


def _task(plan: Plan, spec: RunSpec, timeout: float | None = None) -> dict[str, Any]:
    return {
        "run_id": spec.run_id, "point": spec.point, "row": spec.row,
        "replication": spec.replication, "seed": spec.seed, "values": spec.values,
        "scenario_data": plan.scenario_data, "years": plan.experiment.years,
        "indicators": plan.indicators, "every": plan.experiment.record.every,
        "varied": plan.varied, "timeout": timeout,
    }


def run_task(task: dict[str, Any]) -> dict[str, Any]:
    """One run, start to finish, in whatever process the engine chose; never raises."""
    relax_malloc()
    try:
        overrides = dict(task["values"])
        if task["years"]:
            overrides["run.years"] = task["years"]
        scenario = validate_data(apply_overrides(task["scenario_data"], overrides),
                                 f"run {task['run_id']}")
        every = task["every"]
        # every 0: only the last month is kept, so only the first and last are computed
        frame = _run_model(scenario, task["seed"], task.get("timeout"),
                           every or 12 * scenario.run.years).model_frame()
        last = frame["step"] == frame["step"].max()
        keep = last if every == 0 else (frame["step"] % every == 0) | last
        indicators = task["indicators"] or [c for c in frame.columns if c not in ("step", "year")]
        frame = frame.loc[keep, ["step", "year", *indicators]].reset_index(drop=True)
        flat = scenario.flat()
        identity = {key: task[key] for key in ID_COLUMNS} | {
            key: flat[key] for key in task["varied"]}
        for position, (key, value) in enumerate(identity.items()):
            frame.insert(position, key, value)
        return {"run_id": task["run_id"], "status": "ok", "frame": frame}
    except Exception as exc:  # noqa: BLE001 - recorded, not raised: one bad run must not stop a sweep
        return {"run_id": task["run_id"], "status": "failed",
                "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc(),
                "values": task["values"], "seed": task["seed"], "point": task["point"],
                "replication": task["replication"], "row": task["row"]}


class RunTimeout(RuntimeError):
    """A run that went past the sweep's --run-timeout; recorded as failed."""


def _run_model(scenario: Any, seed: int, timeout: float | None,
               record_every: int = 1) -> ConcertationModel:
    """Run to the horizon, giving up after `timeout` seconds (checked every month, so it
    works in any engine's process or thread); indicators computed only every `record_every`
    months and at the end."""
    started = time.monotonic()
    model = ConcertationModel(scenario, rng=seed, record_every=record_every)
    while model.running:
        model.step()
        if timeout is not None and time.monotonic() - started > timeout:
            raise RunTimeout(f"the run went past --run-timeout {timeout:g} s at month "
                             f"{model.month} of {model.horizon}")
    return model


def _commit() -> str:
    try:
        root = Path(__file__).resolve().parents[2]
        return subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], check=True,
                              capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _new_metadata(plan: Plan, identity: dict[str, str]) -> dict[str, Any]:
    return {
        "experiment_name": plan.experiment.name,
        "experiment_file": str(plan.path.resolve()),
        "experiment_hash": plan.digest,
        "identity": identity,
        "experiment_text": plan.path.read_text(encoding="utf-8"),
        "experiment": plan.experiment.model_dump(),
        "design": plan.experiment.design.model_dump(),
        "problem": salib_problem(plan.experiment) if plan.experiment.design.kind != "factorial"
        else None,
        "points": [{"point": index, "row": row, "values": values}
                   for index, (row, values) in enumerate(plan.points)],
        "runs_total": len(plan.runs),
        "sessions": [],
    }


def run_provenance(plan: Plan, version: str, identity: dict[str, str]) -> dict[str, Any]:
    """What each run file of the sweep says about where it comes from (`identity`: the
    sweep's, from `sweep_identity`)."""
    run = validate_data(plan.scenario_data, plan.experiment.scenario).run
    return {"experiment": plan.experiment.name, "experiment_hash": plan.digest,
            "parameters_hash": identity["parameters_hash"],
            "model_source": identity["model_source"], "scenario": plan.experiment.scenario,
            "years": plan.experiment.years or run.years, "start_year": run.start_year,
            "concertation_version": version}


def sweep(reference: str | Path, out: str | Path, *, engine: str = "local",
          workers: int | None = None, scheduler: str | None = None, shard: str | None = None,
          csv: bool = False, progress: bool = True,
          run_timeout: float | None = None) -> SweepSummary:
    """Run every missing run of an experiment into `out`; see the module docstring."""
    plan = plan_sweep(reference)
    shard_spec = parse_shard(shard)
    shard = f"{shard_spec[0]}/{shard_spec[1]}" if shard_spec else None  # 00/2 is 0/2
    store = ResultStore(Path(out))
    identity = sweep_identity(plan)
    store.claim(identity, plan.experiment.name)
    with store.lock(shard):
        store.claim(identity, plan.experiment.name)
        summary = _sweep_locked(plan, store, identity, engine, workers, scheduler, shard,
                                shard_spec, progress, run_timeout)
    if csv:
        export_csv(store.out)
    return summary


def _sweep_locked(plan: Plan, store: ResultStore, identity: dict[str, str], engine: str,
                  workers: int | None, scheduler: str | None, shard: str | None,
                  shard_spec: tuple[int, int] | None, progress: bool,
                  run_timeout: float | None) -> SweepSummary:
    def register(meta: dict[str, Any] | None) -> dict[str, Any]:
        """Under the record's lock, before any file is touched: refuse a record written
        meanwhile by a shard of another experiment, or write this sweep's."""
        if meta is not None:
            store.check_identity(meta, identity, plan.experiment.name)
        return meta or _new_metadata(plan, identity)

    store.update_metadata(register)
    store.clean_partial()
    runs = plan.runs
    if shard_spec is not None:
        runs = [spec for index, spec in enumerate(runs) if index % shard_spec[1] == shard_spec[0]]
    finished = store.finished({key: identity[key] for key in
                               ("experiment_hash", "parameters_hash", "model_source")})
    pending = [spec for spec in runs if spec.run_id not in finished]
    workers = workers or os.cpu_count() or 1

    session = {"id": uuid.uuid4().hex, "start": datetime.now(UTC).isoformat(timespec="seconds"),
               "engine": engine, "workers": workers, "scheduler": scheduler, "shard": shard,
               "pending": len(pending), "corrupt_moved": [name for name, _ in store.quarantined],
               "host": platform.node(), "platform": platform.platform(),
               "python": platform.python_version(), "commit": _commit(),
               "concertation_version": _version("concertation"), "mesa_version": _version("mesa")}

    def add_session(meta: dict[str, Any] | None) -> dict[str, Any]:
        meta = register(meta)
        meta["sessions"].append(session)
        return meta

    store.update_metadata(add_session)
    provenance = run_provenance(plan, session["concertation_version"], identity)

    started = time.perf_counter()
    failed: list[str] = []
    done = 0
    stopped: str | None = None
    bar = tqdm(total=len(runs), initial=len(runs) - len(pending), desc="runs", unit="run",
               file=sys.stderr, disable=not progress, dynamic_ncols=True,
               bar_format="{desc}: {n_fmt}/{total_fmt} |{bar}| [{elapsed}<{remaining}]{postfix}")
    try:
        with bar:
            bar.set_postfix_str("failed: 0", refresh=False)
            results = execute(run_task, [_task(plan, spec, run_timeout) for spec in pending],
                              engine, workers, scheduler)
            for result in results:
                if result["status"] == "ok":
                    store.write_run(result["run_id"], result["frame"], provenance)
                    done += 1
                else:
                    store.write_failure(result["run_id"], result)
                    failed.append(result["run_id"])
                    bar.set_postfix_str(f"failed: {len(failed)}", refresh=False)
                bar.update()
                termination.check()
    except BaseException as exc:  # the record says how the session ended, then the error goes on
        stopped = "interrupted" if isinstance(exc, KeyboardInterrupt) else (
            f"{type(exc).__name__}: {exc}")
        raise
    finally:
        _end_session(store, plan, identity, session["id"], {
            "end": datetime.now(UTC).isoformat(timespec="seconds"), "done": done,
            "failed": sorted(failed), "seconds": round(time.perf_counter() - started, 3),
            **({"stopped": stopped} if stopped else {})})
    seconds = time.perf_counter() - started
    return SweepSummary(total=len(runs), skipped=len(runs) - len(pending), done=done,
                        failed=sorted(failed), seconds=seconds, out=store.out,
                        corrupt=list(store.quarantined),
                        recomputed=len({Path(name).stem for name, _ in store.quarantined}
                                       & {spec.run_id for spec in runs}))


def _end_session(store: ResultStore, plan: Plan, identity: dict[str, str], session_id: str,
                 ending: dict[str, Any]) -> None:
    def end_session(meta: dict[str, Any] | None) -> dict[str, Any]:
        meta = meta or _new_metadata(plan, identity)
        for recorded in meta["sessions"]:
            if recorded.get("id") == session_id:
                recorded.update(ending)
        return meta

    store.update_metadata(end_session)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"
