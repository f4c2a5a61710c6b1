"""The `concertation sweep` command (and, beside it, `sensitivity`): experiments from the
command line. Only parses arguments and reports; the work is in `analyses.experiments.sweep`
and `analyses.sensitivity`."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from analyses.experiments.engines import ENGINES

from .common import positive_int, positive_seconds

if TYPE_CHECKING:
    import pandas as pd


def cmd_sweep(args: argparse.Namespace) -> int:
    from analyses.experiments.sweep import sweep

    summary = sweep(args.experiment, args.out, engine=args.engine, workers=args.workers,
                    scheduler=args.scheduler, shard=args.shard, csv=args.csv,
                    run_timeout=args.run_timeout)
    print(f"{summary.out}: {summary.total} runs in this sweep"
          f"{' shard ' + args.shard if args.shard else ''}; {summary.skipped} already done, "
          f"{summary.done} done now in {summary.seconds:.1f} s, {len(summary.failed)} failed")
    if summary.corrupt:
        print(f"{len(summary.corrupt)} run file(s) did not read back whole and were moved to "
              f"{summary.out / 'corrupt'} with a note each (first: {summary.corrupt[0][0]}: "
              f"{summary.corrupt[0][1]}); {summary.recomputed} of them were runs of this "
              f"{'shard' if args.shard else 'sweep'} and were computed again", file=sys.stderr)
    if summary.failed:
        shown = ", ".join(summary.failed[:10]) + (" ..." if len(summary.failed) > 10 else "")
        print(f"failed runs (parameters and traceback in {summary.out / 'failed'}): {shown}",
              file=sys.stderr)
        print("re-run the same command to retry them; finished runs are skipped",
              file=sys.stderr)
        return 1
    return 0


def _conf(value: float, half_width: float) -> str:
    if value is None or math.isnan(value):
        return "nan"
    return f"{value:6.3f} [±{half_width:.3f}]"


def sensitivity_table(frame: pd.DataFrame) -> str:
    """Per indicator, the parameters by decreasing ST (Sobol) or mu* (Morris)."""
    sobol = frame["method"].iat[0] == "sobol"
    key = "ST" if sobol else "mu_star"
    attrs = frame.attrs
    width = max(len("parameter"), *(len(name) for name in frame["parameter"]))
    if sobol:
        header = f"  {'parameter':<{width}}  {'S1 [95% conf]':>17}  {'ST [95% conf]':>17}"
        what = f"Sobol indices, N = {attrs['samples']} base samples"
    else:
        header = (f"  {'parameter':<{width}}  {'mu* [95% conf]':>17}  {'sigma':>9}  "
                  f"{'mu':>9}")
        what = f"Morris elementary effects, {attrs['samples']} trajectories"
    year = f", year {attrs['final_year']:g}" if attrs.get("final_year") is not None else ""
    each = (f", mean of {attrs['replications']} replications per point"
            if attrs["replications"] > 1 else "")
    lines = [(f"{attrs['experiment']}: {what}, {attrs['points']} design points, "
              f"{attrs['runs']} runs{each}; output = final step (step {attrs['final_step']}"
              f"{year})")]
    for indicator, rows in frame.groupby("indicator", sort=False):
        rows = rows.sort_values(key, ascending=False, na_position="last", kind="stable")
        lines += ["", indicator, header]
        for _, row in rows.iterrows():
            if sobol:
                cells = (f"{_conf(row['S1'], row['S1_conf']):>17}  "
                         f"{_conf(row['ST'], row['ST_conf']):>17}")
            else:
                cells = (f"{_conf(row['mu_star'], row['mu_star_conf']):>17}  "
                         f"{row['sigma']:9.3g}  {row['mu']:9.3g}")
            lines.append(f"  {row['parameter']:<{width}}  {cells}")
        if rows["note"].iat[0]:
            lines.append(f"  note: {rows['note'].iat[0]}")
    return "\n".join(lines)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from analyses.sensitivity.indices import CSV_NAME, PNG_NAME, analyse

    indicators = [name.strip() for item in args.indicator for name in item.split(",")
                  if name.strip()] or None
    frame = analyse(args.folder, indicators, args.method, dest=args.out)
    dest = args.out or args.folder
    print(sensitivity_table(frame))
    print(f"\nwritten: {dest / CSV_NAME}, {dest / PNG_NAME}")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    sweep = commands.add_parser(
        "sweep", help="run a parameter sweep from an experiment file (resumable)",
        description="Run every missing run of an experiment; re-running resumes.")
    sweep.add_argument("experiment", metavar="EXPERIMENT",
                       help="path of an experiment .toml, or a name under scenarios/experiments")
    sweep.add_argument("--out", type=Path, required=True, metavar="DIR",
                       help="results folder (one Parquet file per run + experiment.json)")
    sweep.add_argument("--workers", type=positive_int, metavar="N",
                       help="parallel processes or Dask workers (default: CPU count)")
    sweep.add_argument("--engine", choices=ENGINES, default="local",
                       help="serial (this process), local (process pool, default) or dask")
    sweep.add_argument("--scheduler", metavar="ADDRESS",
                       help="Dask scheduler address (tcp://host:8786); without it, "
                            "--engine dask starts a local cluster")
    sweep.add_argument("--shard", metavar="I/N",
                       help="run only runs I, I+N, I+2N, ... (cluster job arrays)")
    sweep.add_argument("--csv", action="store_true", help="also write results.csv at the end")
    sweep.add_argument("--run-timeout", type=positive_seconds, metavar="S",
                       help="give up a run after S seconds and record it as failed")
    sweep.set_defaults(handler=cmd_sweep)

    sensitivity = commands.add_parser(
        "sensitivity", help="Sobol or Morris sensitivity indices of a finished sweep",
        description="Sensitivity indices (SALib) of a complete sobol or morris sweep: the "
                    "final step of each run, replications averaged. Writes sensitivity.csv "
                    "and sensitivity.png.")
    sensitivity.add_argument("folder", type=Path, metavar="DIR",
                             help="the --out folder of a `concertation sweep`")
    sensitivity.add_argument("--indicator", action="append", default=[], metavar="NAME",
                             help="indicator to analyse (repeatable, or comma-separated; "
                                  "default: every recorded indicator)")
    sensitivity.add_argument("--method", choices=["auto", "sobol", "morris"], default="auto",
                             help="auto (default) = the experiment's design; the method must "
                                  "match the sample")
    sensitivity.add_argument("--out", type=Path, metavar="DIR",
                             help="where to write sensitivity.csv/png (default: DIR)")
    sensitivity.set_defaults(handler=cmd_sensitivity)
