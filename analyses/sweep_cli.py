"""The `concertation sweep` command (and, beside it, `sensitivity`): experiments from the
command line. Only parses arguments and reports; the work is in `sweep` and `sensitivity`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .engines import ENGINES


def cmd_sweep(args: argparse.Namespace) -> int:
    from .sweep import sweep

    summary = sweep(args.experiment, args.out, engine=args.engine, workers=args.workers,
                    scheduler=args.scheduler, shard=args.shard, csv=args.csv)
    print(f"{summary.out}: {summary.total} runs in this sweep"
          f"{' shard ' + args.shard if args.shard else ''}; {summary.skipped} already done, "
          f"{summary.done} done now in {summary.seconds:.1f} s, {len(summary.failed)} failed")
    if summary.failed:
        shown = ", ".join(summary.failed[:10]) + (" ..." if len(summary.failed) > 10 else "")
        print(f"failed runs (parameters and traceback in {summary.out / 'failed'}): {shown}",
              file=sys.stderr)
        print("re-run the same command to retry them; finished runs are skipped",
              file=sys.stderr)
        return 1
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    sweep = commands.add_parser(
        "sweep", help="run a parameter sweep from an experiment file (resumable)",
        description="Run every missing run of an experiment; re-running resumes.")
    sweep.add_argument("experiment", metavar="EXPERIMENT",
                       help="path of an experiment .toml, or a name under scenarios/experiments")
    sweep.add_argument("--out", type=Path, required=True, metavar="DIR",
                       help="results folder (one Parquet file per run + experiment.json)")
    sweep.add_argument("--workers", type=int, metavar="N",
                       help="parallel processes or Dask workers (default: CPU count)")
    sweep.add_argument("--engine", choices=ENGINES, default="local",
                       help="serial (this process), local (process pool, default) or dask")
    sweep.add_argument("--scheduler", metavar="ADDRESS",
                       help="Dask scheduler address (tcp://host:8786); without it, "
                            "--engine dask starts a local cluster")
    sweep.add_argument("--shard", metavar="I/N",
                       help="run only runs I, I+N, I+2N, ... (cluster job arrays)")
    sweep.add_argument("--csv", action="store_true", help="also write results.csv at the end")
    sweep.set_defaults(handler=cmd_sweep)
