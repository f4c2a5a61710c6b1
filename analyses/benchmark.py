"""Speed and memory of the model, printed as figures for docs/performance.md.

Run: ``.venv/bin/python -m analyses.benchmark`` (add ``--quick`` to skip the large runs).
Pinned to one core with one BLAS thread, so figures compare across machines of a kind.
Each measurement runs in a fresh subprocess so peak memory (max RSS) is the run's own.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

SINGLE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

_MEASURE = """
import json, os, resource, sys, time
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
from simulation import ConcertationModel
scenario, territories, years, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
# The compiled kernels load from numba's cache on first use, once per process: timed apart.
loading = time.perf_counter()
ConcertationModel("baseline", rng=0, years=1, spinup_years=1).run()
start = time.perf_counter()
model = ConcertationModel(scenario, rng=seed, territories=territories, years=years)
built = time.perf_counter()
model.run()
done = time.perf_counter()
frame = model.model_frame()
print(json.dumps({
    "load_s": start - loading, "build_s": built - start, "run_s": done - built,
    "total_s": done - start,
    "steps": int(model.steps), "actors": int(model.actors.n * territories),
    "peak_tables_per_territory": float(frame["tables_per_territory"].max()),
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def measure(scenario: str, territories: int, years: int, seed: int) -> dict[str, float]:
    """One run in a fresh single-threaded interpreter pinned to one core."""
    env = os.environ | SINGLE_THREAD
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, scenario, str(territories), str(years), str(seed)],
        check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


_PEER = """
import json, os, statistics, sys, time
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
from analyses.naive_peer import NaiveModel
from simulation import ConcertationModel
repeats = int(sys.argv[1])
times = {"model": [], "peer": []}
for seed in range(repeats):  # interleaved, so a change of load hits both alike
    for name, cls in (("model", ConcertationModel), ("peer", NaiveModel)):
        start = time.process_time()
        cls("baseline", rng=seed).run()
        times[name].append(time.process_time() - start)
print(json.dumps(times))
"""


def against_naive_peer(repeats: int) -> None:
    """CPU time of one `baseline` run (spin-up and 20 years) of the model and of the naive
    per-agent Mesa peer (analyses/naive_peer.py), interleaved in one interpreter."""
    env = os.environ | SINGLE_THREAD
    out = subprocess.run([sys.executable, "-c", _PEER, str(repeats)], check=True,
                         capture_output=True, text=True, env=env).stdout
    times = json.loads(out.strip().splitlines()[-1])
    model, peer = (statistics.median(times[name]) for name in ("model", "peer"))
    print(f"model {model:.3f} s, naive Mesa peer {peer:.3f} s (CPU, median of {repeats} "
          f"interleaved seeds): the model is {peer / model:.2f}x faster (target: 10x)")


PHASES = ["programmes_step", "formation_step", "participation_step", "__init__", "process_step",
          "update_actors", "integration_step", "lifecycle_step", "update_load", "_observe",
          "collect", "_snapshot"]

_PROFILE = """
import cProfile, io, json, pstats, sys
from simulation import ConcertationModel
scenario, territories, top = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
model = ConcertationModel(scenario, rng=0, territories=territories)
profiler = cProfile.Profile()
profiler.enable()
model.run()
profiler.disable()
stats = pstats.Stats(profiler)
phases = {}
for (path, _, name), (_, _, _, cumulative, _) in stats.stats.items():
    if name == "__init__" and not path.endswith("table_process.py"):
        continue
    if name == "collect" and not path.endswith(("datacollection.py", "model.py")):
        continue
    phases[name] = phases.get(name, 0.0) + cumulative
stream = io.StringIO()
pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(top)
print(json.dumps({"total": stats.total_tt, "phases": phases, "table": stream.getvalue()}))
"""


def profile(scenario: str, territories: int, top: int) -> dict:
    """Where one run's time goes: per phase of the monthly step, and by function."""
    env = os.environ | SINGLE_THREAD
    out = subprocess.run([sys.executable, "-c", _PROFILE, scenario, str(territories), str(top)],
                         check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def print_profile(scenario: str, territories: int, top: int) -> None:
    result = profile(scenario, territories, top)
    total = result["total"]
    labels = {"__init__": "TableAggregates (sums over members)", "collect": "DataCollector.collect",
              "_observe": "_observe (typology + indicators)"}
    print(f"-- {scenario}, {territories} territory(ies): {total:.3f} s under cProfile --")
    for phase in PHASES:
        seconds = result["phases"].get(phase, 0.0)
        print(f"  {labels.get(phase, phase):<40} {seconds:7.3f} s  {100 * seconds / total:5.1f}%")
    if top:
        print(result["table"])


_SWEEP_EXPERIMENT = """
name = "benchmark_sweep"
scenario = "baseline"
replications = {replications}
[record]
every = {every}
"""


def sweep_throughput(replications: int, every: int) -> None:
    """Runs per minute of `baseline` through the sweep engine with 1 and 2 workers, and the
    engine's overhead per run against a bare model run in the same single-thread setting."""
    import tempfile
    from pathlib import Path

    from .experiments.sweep import sweep

    bare = statistics.median(measure("baseline", 1, 20, seed)["total_s"] for seed in range(3))
    print(f"bare run (fresh process, one core): {bare:.3f} s")
    with tempfile.TemporaryDirectory() as folder:
        experiment = Path(folder) / "benchmark_sweep.toml"
        experiment.write_text(_SWEEP_EXPERIMENT.format(replications=replications, every=every))
        rows = []
        for engine, workers in (("serial", 1), ("local", 1), ("local", 2), ("dask", 2)):
            out = Path(folder) / f"{engine}-{workers}"
            started = time.perf_counter()
            summary = sweep(experiment, out, engine=engine, workers=workers, progress=False)
            seconds = time.perf_counter() - started
            rows.append((engine, workers, summary.done, seconds))
        serial_rate = rows[0][2] / rows[0][3] * 60
        print(f"{'engine':>8} {'workers':>7} {'runs':>5} {'time_s':>7} {'runs/min':>8} "
              f"{'speed-up':>8} {'s/run':>6} {'overhead':>8}")
        for engine, workers, done, seconds in rows:
            rate = done / seconds * 60
            per_run = seconds * workers / done
            print(f"{engine:>8} {workers:>7} {done:>5} {seconds:>7.2f} {rate:>8.1f} "
                  f"{rate / serial_rate:>7.2f}x {per_run:>6.3f} "
                  f"{100 * (per_run - bare) / bare:>7.1f}%")


MEMORY_CASES = [(1, 150, 20), (1, 600, 5), (4, 150, 5), (1, 2400, 2)]


def memory_per_pair() -> None:
    """Traced peak memory of runs of several sizes, per actor and table slot, beside the
    estimate `simulation.limits` refuses runs by (it must stay above every measured peak)."""
    import tracemalloc

    from simulation import ConcertationModel, load_scenario
    from simulation.limits import run_bytes

    print(f"{'territories':>11} {'groups':>6} {'years':>5} {'actors':>6} {'slots':>5} "
          f"{'peak_mb':>8} {'B/pair':>6} {'estimate_mb':>11}")
    for territories, groups, years in MEMORY_CASES:
        scenario = load_scenario("baseline", {"territories": territories,
                                              "community_groups": groups, "run.years": years})
        tracemalloc.start()
        model = ConcertationModel(scenario, rng=0).run()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        actors, slots = model.actors.n, model.store.capacity
        estimate = run_bytes(territories, actors, slots)
        print(f"{territories:>11} {groups:>6} {years:>5} {actors:>6} {slots:>5} "
              f"{peak / 1e6:>8.1f} {peak / (territories * actors * slots):>6.0f} "
              f"{estimate / 1e6:>11.1f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip 64 and 100 territories")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sweep-only", action="store_true",
                        help="only the sweep engine's throughput and overhead")
    parser.add_argument("--sweep-runs", type=int, default=40)
    parser.add_argument("--peer-only", action="store_true",
                        help="only the comparison with the naive per-agent Mesa peer")
    parser.add_argument("--memory", action="store_true",
                        help="only the memory per actor and table slot, against the limits")
    args = parser.parse_args(argv)
    os.environ.update(SINGLE_THREAD)
    if args.memory:
        memory_per_pair()
        return
    if args.peer_only:
        against_naive_peer(args.repeats)
        return
    if args.sweep_only:
        sweep_throughput(args.sweep_runs, every=1)
        return

    print("== one run of baseline (1 territory, 20 years, monthly, data every step) ==")
    runs = [measure("baseline", 1, 20, seed) for seed in range(args.repeats)]
    totals = [run["total_s"] for run in runs]
    print(f"actors: {runs[0]['actors']}  steps: {runs[0]['steps']}  peak tables: "
          f"{min(r['peak_tables_per_territory'] for r in runs):.0f}-"
          f"{max(r['peak_tables_per_territory'] for r in runs):.0f}")
    print(f"wall time (build + run), {args.repeats} seeds: median {statistics.median(totals):.3f} s,"
          f" min {min(totals):.3f} s, max {max(totals):.3f} s;"
          f" max RSS {max(r['max_rss_mb'] for r in runs):.0f} MB")
    print(f"before it, once per process: the compiled kernels loaded and a 2-year warm-up run,"
          f" median {statistics.median(r['load_s'] for r in runs):.3f} s")

    print("\n== against the naive per-agent Mesa peer (same process) ==")
    against_naive_peer(args.repeats)

    print("\n== scaling with territories (baseline, 20 years) ==")
    sizes = [1, 4, 16] if args.quick else [1, 4, 16, 64, 100]
    base = None
    print(f"{'territories':>11} {'actors':>7} {'time_s':>8} {'s/territory':>11} {'max_rss_mb':>10}")
    for territories in sizes:
        run = measure("baseline", territories, 20, 0)
        base = base or run["total_s"]
        print(f"{territories:>11} {run['actors']:>7} {run['total_s']:>8.2f} "
              f"{run['total_s'] / territories:>11.3f} {run['max_rss_mb']:>10.0f}")

    print("\n== profile of one baseline run, by phase of the step and by function ==")
    print_profile("baseline", 1, 15)
    print_profile("baseline", 16, 0)

    print("\n== sweep engine: throughput and overhead (baseline, 20 years, every step) ==")
    sweep_throughput(args.sweep_runs, every=1)


if __name__ == "__main__":
    main()
