"""`concertation validate`, `study` and `calibrate`: every pattern P1-P7 with replications, a
table, validation.md with a figure (in docs/ only with `--docs`), and an exit code that tells
held (0), failed (1) and undecided (3, too few runs to judge) apart (`--mechanisms` adds the
null models); the sensitivity study; the calibration of les_moulins.
Only parses arguments and reports; the work is in `analyses.validation` and
`analyses.sensitivity`."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .common import positive_int

UNDECIDED = 3  # exit code when no pattern failed but some could not be judged
DOCS = Path("docs")


def cmd_validate(args: argparse.Namespace) -> int:
    from analyses import runs as outputs
    from analyses.validation.calibration import held_out_results
    from analyses.validation.patterns import Runs, mechanism_checks, run_patterns
    from analyses.validation.report import STATUS_TEXT, markdown, validation_figure

    if args.replications < 1:
        print(f"error: --replications must be at least 1 (got {args.replications})",
              file=sys.stderr)
        return 2
    out = DOCS if args.docs else Path(args.out)
    if args.docs and not DOCS.is_dir():
        print(f"error: --docs writes into {DOCS}/, which is not a folder here: run it from the "
              "repository's top folder", file=sys.stderr)
        return 2
    outputs.check_writable(out)
    started = time.perf_counter()
    workers = args.workers or os.cpu_count() or 1
    runs = Runs(workers=workers)
    results = run_patterns(runs, args.replications)
    held_out = held_out_results(runs, args.replications)
    mechanisms = mechanism_checks(args.replications, workers) if args.mechanisms else None
    seconds = time.perf_counter() - started
    width = max(len(r.value) for r in results)
    print(f"{'pattern':<8}{'status':<10}{'result':<{min(width, 90)}}  target")
    for r in results:
        print(f"{r.pattern:<8}{STATUS_TEXT[r.status]:<10}{r.value:<{min(width, 90)}}  "
              f"{r.target}")
    print("\nheld-out observations (never used to calibrate; reported, not part of the exit "
          "code):")
    for r in held_out:
        print(f"{r.pattern:<8}{'met' if r.held else 'NOT MET':<10}{r.value:<30}  {r.target}  "
              f"{r.measured}")
    if mechanisms is not None:
        print()
        print(mechanisms.to_string(index=False))
    report, figure = out / "validation.md", out / "validation.png"
    command = (f"concertation validate --replications {args.replications}"
               f"{' --mechanisms' if args.mechanisms else ''}{' --docs' if args.docs else ''}")
    with outputs.staged_output(out) as stage:
        validation_figure(results, stage / figure.name)
        (stage / report.name).write_text(
            markdown(results, command, seconds, mechanisms, figure.name, held_out),
            encoding="utf-8")
    held = [r.pattern for r in results if r.status == "held"]
    failed = [r.pattern for r in results if r.status == "failed"]
    undecided = [r.pattern for r in results if r.status == "undecided"]
    print(f"\n{len(held)} of {len(results)} patterns held in {seconds:.0f} s; "
          f"written {report} and {figure}")
    if failed:
        print(f"failed: {', '.join(failed)}")
    if undecided:
        print(f"undecided (too few runs for the test; raise --replications): "
              f"{', '.join(undecided)}")
    return 1 if failed else UNDECIDED if undecided else 0


def cmd_study(args: argparse.Namespace) -> int:
    from analyses.sensitivity.study import QUICK, StudySize, run_study

    started = time.perf_counter()
    size = QUICK if args.quick else StudySize()
    path = run_study(Path(args.out), Path(args.docs), args.workers or os.cpu_count() or 1, size)
    print(f"sensitivity study written to {path} in {(time.perf_counter() - started) / 60:.1f} "
          f"minutes (runs kept in {args.out}; re-running resumes)")
    return 0


def _sample_study(args: argparse.Namespace, command_name: str, report: str,
                  fewest_samples: int, study: Callable[..., Any],
                  markdown: Callable[[Any, str, float], str],
                  **extra: Any) -> tuple[Any, float] | None:
    """Run a study over a Latin hypercube (calibrate, robustness) and write its points.csv
    and its report into --out as one step; None (after the error) on bad arguments."""
    from analyses import runs as outputs

    if args.samples < fewest_samples or args.seeds < 1:
        print(f"error: --samples must be at least {fewest_samples} and --seeds at least 1",
              file=sys.stderr)
        return None
    out = Path(args.out)
    outputs.check_writable(out)
    started = time.perf_counter()
    result = study(args.samples, range(args.seeds), args.workers or os.cpu_count() or 1,
                   seed=args.seed, **extra)
    seconds = time.perf_counter() - started
    command = (f"concertation {command_name} --samples {args.samples} --seeds {args.seeds} "
               f"--seed {args.seed}")
    with outputs.staged_output(out) as stage:
        result.points.to_csv(stage / "points.csv", index=False)
        (stage / report).write_text(markdown(result, command, seconds), encoding="utf-8")
    return result, seconds


def cmd_calibrate(args: argparse.Namespace) -> int:
    from analyses.validation.calibration import TARGETS, calibrate, markdown

    done = _sample_study(args, "calibrate", "calibration.md", 1, calibrate, markdown)
    if done is None:
        return 2
    calibration, seconds = done
    accepted = calibration.accepted
    print(f"les_moulins against P3 (targets {TARGETS}): {len(accepted)} of "
          f"{len(calibration.points)} points accepted in {seconds:.0f} s")
    print(calibration.posterior().round(4).to_string(index=False))
    print("\nheld-out observations over the accepted points:")
    print(calibration.held_out()[["name", "target", "mean", "q05", "q95", "share_met"]]
          .round(3).to_string(index=False))
    print(f"written {Path(args.out) / 'calibration.md'} and {Path(args.out) / 'points.csv'}")
    return 0


def cmd_robustness(args: argparse.Namespace) -> int:
    from analyses.validation.robustness import markdown, robustness

    done = _sample_study(args, "robustness", "robustness.md", 2, robustness, markdown,
                         engine=args.engine)
    if done is None:
        return 2
    result, seconds = done
    print(result.summary()[["contrast", "points", "holds in", "parameters that break it"]]
          .to_string(index=False))
    out = Path(args.out)
    print(f"written {out / 'robustness.md'} and {out / 'points.csv'} in {seconds:.0f} s")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    validate = commands.add_parser("validate", help="check the patterns P1-P7 with "
                                                    "replications; exit 1 if one fails")
    validate.add_argument("--replications", type=int, default=8, metavar="N",
                          help="runs per scenario and pattern (P3 uses 2.5 N, P4 N/2, P6 2 N); "
                               "default 8; a pattern whose test cannot decide with N runs is "
                               "reported undecided (exit 3)")
    validate.add_argument("--workers", type=positive_int, metavar="W", help="parallel processes")
    validate.add_argument("--mechanisms", action="store_true",
                          help="also run the null models (one mechanism off at a time)")
    validate.add_argument("--out", default="results/validation", metavar="DIR",
                          help="folder for validation.md and validation.png "
                               "(default results/validation)")
    validate.add_argument("--docs", action="store_true",
                          help="write docs/validation.md and docs/validation.png instead "
                               "(the committed report)")
    validate.set_defaults(handler=cmd_validate)

    study = commands.add_parser("study", help="the sensitivity study: replications, OFAT, "
                                              "Morris, Sobol -> docs/sensitivity.md")
    study.add_argument("--workers", type=positive_int, metavar="W", help="parallel processes")
    study.add_argument("--out", default="results/study", metavar="DIR",
                       help="where the study's sweeps are kept (resumable)")
    study.add_argument("--docs", default="docs/sensitivity.md", metavar="FILE")
    study.add_argument("--quick", action="store_true",
                       help="a tiny version (4 parameters, 3 years) to check the pipeline")
    study.set_defaults(handler=cmd_study)

    calibration = commands.add_parser(
        "calibrate", help="calibrate les_moulins against P3 (approximate Bayesian computation "
                          "by rejection over a Latin hypercube) and check held-out observations")
    _sample_options(calibration, 60, 4, "runs per point, the same seeds at every point",
                    "results/calibration")
    calibration.set_defaults(handler=cmd_calibrate)

    robust = commands.add_parser(
        "robustness", help="share of the plausible parameter space where each headline "
                           "contrast holds, and the parameters that break it (PRIM)")
    _sample_options(robust, 40, 2, "runs per arm and point, the same seeds everywhere",
                    "results/robustness")
    robust.add_argument("--engine", choices=["local", "dask"], default="local",
                        help="the sweep engine's local pool or a Dask cluster")
    robust.set_defaults(handler=cmd_robustness)


def _sample_options(parser: argparse.ArgumentParser, samples: int, seeds: int,
                    seeds_help: str, out: str) -> None:
    parser.add_argument("--samples", type=int, default=samples, metavar="N",
                        help=f"points of the Latin hypercube (default {samples})")
    parser.add_argument("--seeds", type=int, default=seeds, metavar="K",
                        help=f"{seeds_help} (default {seeds})")
    parser.add_argument("--seed", type=int, default=0, help="seed of the hypercube")
    parser.add_argument("--workers", type=positive_int, metavar="W")
    parser.add_argument("--out", default=out, metavar="DIR")
