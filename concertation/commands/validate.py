"""`concertation validate`, `study` and `calibrate`: every pattern P1-P7 with replications, a
table, docs/validation.md with a figure, and a non-zero exit when a pattern fails
(`--mechanisms` adds the null models); the sensitivity study; the calibration of les_moulins.
Only parses arguments and reports; the work is in `analyses.validation` and
`analyses.sensitivity`."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path


def cmd_validate(args: argparse.Namespace) -> int:
    from analyses.validation.patterns import Runs, mechanism_checks, run_patterns
    from analyses.validation.report import markdown, validation_figure

    started = time.perf_counter()
    workers = args.workers or os.cpu_count() or 1
    results = run_patterns(Runs(workers=workers), args.replications)
    mechanisms = mechanism_checks(args.replications, workers) if args.mechanisms else None
    seconds = time.perf_counter() - started
    width = max(len(r.value) for r in results)
    print(f"{'pattern':<8}{'held':<6}{'result':<{min(width, 90)}}  target")
    for r in results:
        print(f"{r.pattern:<8}{'yes' if r.held else 'NO':<6}{r.value:<{min(width, 90)}}  "
              f"{r.target}")
    if mechanisms is not None:
        print()
        print(mechanisms.to_string(index=False))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure = out.with_suffix(".png")
    validation_figure(results, figure)
    text = markdown(results, args.replications, seconds, mechanisms, figure.name)
    temporary = out.with_name(f".{out.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(out)
    failed = [r.pattern for r in results if not r.held]
    print(f"\n{len(results) - len(failed)} of {len(results)} patterns held in {seconds:.0f} s; "
          f"written {out} and {figure}")
    if failed:
        print(f"failed: {', '.join(failed)}")
        return 1
    return 0


def cmd_study(args: argparse.Namespace) -> int:
    from analyses.sensitivity.study import QUICK, StudySize, run_study

    started = time.perf_counter()
    size = QUICK if args.quick else StudySize()
    path = run_study(Path(args.out), Path(args.docs), args.workers or os.cpu_count() or 1, size)
    print(f"sensitivity study written to {path} in {(time.perf_counter() - started) / 60:.1f} "
          f"minutes (runs kept in {args.out}; re-running resumes)")
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from analyses.validation.calibration import TARGETS, calibrate

    started = time.perf_counter()
    grid = calibrate(range(args.seeds), args.workers or os.cpu_count() or 1)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    grid.to_csv(out, index=False)
    print(f"les_moulins against P3 (targets {TARGETS}), {args.seeds} seeds per grid point, "
          f"{len(grid)} points, {time.perf_counter() - started:.0f} s; best first:")
    print(grid.head(5).round(4).to_string(index=False))
    print(f"written {out}")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    validate = commands.add_parser("validate", help="check the patterns P1-P7 with "
                                                    "replications; exit 1 if one fails")
    validate.add_argument("--replications", type=int, default=8, metavar="N",
                          help="runs per scenario and pattern (P3 uses 2.5 N, P6 1.5 N); "
                               "default 8")
    validate.add_argument("--workers", type=int, metavar="W", help="parallel processes")
    validate.add_argument("--mechanisms", action="store_true",
                          help="also run the null models (one mechanism off at a time)")
    validate.add_argument("--out", default="docs/validation.md", metavar="FILE",
                          help="Markdown report (and a .png beside it)")
    validate.set_defaults(handler=cmd_validate)

    study = commands.add_parser("study", help="the sensitivity study: replications, OFAT, "
                                              "Morris, Sobol -> docs/sensitivity.md")
    study.add_argument("--workers", type=int, metavar="W", help="parallel processes")
    study.add_argument("--out", default="results/study", metavar="DIR",
                       help="where the study's sweeps are kept (resumable)")
    study.add_argument("--docs", default="docs/sensitivity.md", metavar="FILE")
    study.add_argument("--quick", action="store_true",
                       help="a tiny version (4 parameters, 3 years) to check the pipeline")
    study.set_defaults(handler=cmd_study)

    calibration = commands.add_parser("calibrate", help="calibrate les_moulins against P3 "
                                                        "(grid search over two rates)")
    calibration.add_argument("--seeds", type=int, default=20, metavar="N")
    calibration.add_argument("--workers", type=int, metavar="W")
    calibration.add_argument("--out", default="results/calibration.csv", metavar="FILE")
    calibration.set_defaults(handler=cmd_calibrate)
