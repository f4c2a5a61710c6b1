"""`concertation validate`: every pattern P1-P7 with replications, a table, docs/validation.md
with a figure, and a non-zero exit when a pattern fails. `--mechanisms` adds the null models."""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .validation import (
    EXPLAINED_BY,
    MECHANISMS,
    PatternResult,
    Runs,
    mechanism_checks,
    run_patterns,
)


def validation_figure(results: list[PatternResult], path: Path) -> None:
    by_name = {r.pattern: r for r in results}
    fig = Figure(figsize=(15, 7), layout="constrained")
    axes = list(fig.subplots(2, 4).ravel())
    if "P1" in by_name:
        d = by_name["P1"].details
        axes[0].boxplot([d["driven"]["hyperconcertation_index"], d["co"]["hyperconcertation_index"]],
                        tick_labels=["programme\ndriven", "co-\nconstruction"])
        axes[0].set_title("P1 hyperconcertation index")
    if "P2" in by_name:
        yearly = by_name["P2"].details["yearly"]
        axes[1].plot(np.arange(len(yearly)), yearly, marker="o")
        axes[1].set_title("P2 active tables, programme_driven")
        axes[1].set_xlabel("year")
    if "P3" in by_name:
        d = by_name["P3"].details
        axes[2].bar(["created\nafter 2000", "initiated\ntop-down"],
                    [np.mean(d["recent"]), np.mean(d["top_down"])], color=["C0", "C1"])
        axes[2].scatter([0, 1], [0.70, 0.75], color="k", marker="_", s=600, zorder=3,
                        label="Bourque 2010")
        axes[2].set_ylim(0, 1)
        axes[2].legend(fontsize=8)
        axes[2].set_title("P3 Les Moulins, 2010")
    if "P4" in by_name:
        axes[3].hist(by_name["P4"].details["ratios"], bins=10)
        axes[3].axvline(3, color="k", linestyle="--")
        axes[3].set_title("P4 institutions / groups memberships")
    if "P6" in by_name:
        d = by_name["P6"].details
        axes[5].bar(["bottom third", "top third"], [d["low"], d["high"]], color=["C3", "C2"])
        axes[5].set_ylim(0, 1)
        axes[5].set_title("P6 dissolved within 3 years of exit")
    if "P7" in by_name:
        axes[6].bar(list(by_name["P7"].details["checks"]),
                    [1.0 if v else 0.0 for v in by_name["P7"].details["checks"].values()])
        axes[6].set_title("P7 contrasts held (1 = yes)")
        axes[6].tick_params(axis="x", labelsize=6)
    axes[4].axis("off")
    axes[4].text(0, 0.5, "\n".join(f"{r.pattern}: {'held' if r.held else 'FAILED'}"
                                   for r in results), fontsize=12, va="center")
    axes[7].axis("off")
    fig.savefig(path, dpi=100)


def markdown(results: list[PatternResult], replications: int, seconds: float,
             mechanisms: pd.DataFrame | None, figure: str) -> str:
    lines = [
        "# Validation against the patterns P1–P7",
        "",
        (f"Produced by `concertation validate --replications {replications}"
        f"{' --mechanisms' if mechanisms is not None else ''}` on "
        f"{datetime.now(UTC).date().isoformat()} in {seconds:.0f} s. Patterns and their sources: "
        "DESIGN.md §1 and docs/ODD.md §1. Each row names the test that checks the same "
        "measure in the test suite."),
        "",
        "| pattern | what was measured | target | result | held | test |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r.pattern} | {r.measured} | {r.target} | {r.value} | "
                     f"{'yes' if r.held else '**no**'} | `{r.test}` |")
    lines += ["", f"![Validation figures]({figure})", ""]
    if mechanisms is not None:
        lines += [
            "## Mechanism checks (null models)",
            "",
            ("Each null model switches one mechanism off in every scenario and re-runs every "
            "pattern. A pattern that fails without a mechanism needs it; a pattern that still "
            "holds without the mechanism meant to explain it is reported in the last column."),
            "",
            "| mechanism switched off | how |", "|---|---|",
        ]
        lines += [f"| {name} | {how}: `{overrides}` |"
                  for name, (how, overrides) in MECHANISMS.items()]
        lines += ["", "| " + " | ".join(mechanisms.columns) + " |",
                  "|" + "---|" * len(mechanisms.columns)]
        for row in mechanisms.itertuples(index=False):
            cells = [("yes" if v else "no") if isinstance(v, bool | np.bool_) else str(v)
                     for v in row]
            lines.append("| " + " | ".join(cells) + " |")
        lines += ["", "Mechanisms each pattern is meant to be explained by: " + "; ".join(
            f"{p}: {', '.join(m)}" for p, m in EXPLAINED_BY.items()) + "."]
    return "\n".join(lines) + "\n"


def cmd_validate(args: argparse.Namespace) -> int:
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
    from .study import QUICK, StudySize, run_study

    started = time.perf_counter()
    size = QUICK if args.quick else StudySize()
    path = run_study(Path(args.out), Path(args.docs), args.workers or os.cpu_count() or 1, size)
    print(f"sensitivity study written to {path} in {(time.perf_counter() - started) / 60:.1f} "
          f"minutes (runs kept in {args.out}; re-running resumes)")
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from .calibration import TARGETS, calibrate

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
