"""The `concertation` command: list scenarios, run one, compare several with replications.

Input errors (scenario files, --set, options) are reported as one `error:` paragraph with
exit code 2 and no traceback; they are all detected before any model runs or any file is
written. Unexpected failures keep their traceback: they are bugs to report.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd

from simulation import Scenario, ScenarioError, available_scenarios, load_scenario

from . import runs
from .runs import HEADLINE


class UsageError(Exception):
    """A bad command line; reported like a ScenarioError."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so `main` formats every input error alike."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def parse_assignments(items: Sequence[str]) -> dict[str, Any]:
    """`KEY=VALUE` strings to overrides; values are TOML literals, else plain strings."""
    overrides: dict[str, Any] = {}
    for item in items:
        key, sep, text = item.partition("=")
        key, text = key.strip(), text.strip()
        if not sep or not key:
            raise UsageError(f"--set expects KEY=VALUE (e.g. weight_time=1.5), got {item!r}")
        try:
            overrides[key] = tomllib.loads(f"v = {text}")["v"]
        except tomllib.TOMLDecodeError:
            overrides[key] = text
    return overrides


def scenario_label(name_or_path: str) -> str:
    """Short name for result folders and tables: the shipped name or the file's stem."""
    return Path(name_or_path).stem


def _load(name_or_path: str, overrides: dict[str, Any], years: int | None) -> Scenario:
    """Load and validate a scenario with the command line's overrides."""
    if years is not None:
        overrides = overrides | {"run.years": years}
    return load_scenario(name_or_path, overrides or None)


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    return re.split(r"(?<=[.!?])\s+(?=[A-Z])", text, maxsplit=1)[0]


def _fmt(value: float) -> str:
    if pd.isna(value):
        return "nan"
    return f"{value:.0f}" if float(value).is_integer() and abs(value) >= 1 else f"{value:.3f}"


# ---- subcommands ---------------------------------------------------------------------------

def cmd_scenarios(args: argparse.Namespace) -> int:
    """Print each shipped scenario with the first sentence of its description.

    A scenario that does not load is still listed, and its error reported, so one bad file
    does not hide the others.
    """
    known = available_scenarios()
    width = max((len(name) for name in known), default=0)
    failures: list[str] = []
    for name in known:
        try:
            description = _first_sentence(load_scenario(name).description) or "(no description)"
        except ScenarioError as exc:
            description = "(invalid, see below)"
            failures.append(str(exc))
        print(f"{name:<{width}}  {description}")
    for failure in failures:
        print(f"error: {failure}", file=sys.stderr)
    return 2 if failures else 0


def cmd_run(args: argparse.Namespace) -> int:
    """One model run: record sets, a figure, run.json, and the final headline values."""
    overrides = parse_assignments(args.set)
    scenario = _load(args.scenario, overrides, args.years)
    label = scenario_label(args.scenario)
    out = args.out or Path("results") / label
    runs.check_writable(out)
    start, years = scenario.run.start_year, scenario.run.years

    with runs.staged_output(out) as stage:
        result = runs.run_single(scenario, args.seed, progress=True)
        for stem, frame in [("model", result.model), ("tables", result.tables),
                            ("actors", result.actors), ("table_history", result.table_history)]:
            runs.write_frame(frame, stage, stem, args.format)
        title = f"{label} — seed {args.seed}, {start}-{start + years}"
        from .figures import indicators_figure  # matplotlib loads only when a figure is drawn
        indicators_figure(result.model, title, stage / "indicators.png")
        runs.write_json({"scenario": label, "scenario_name": scenario.name,
                         "source": args.scenario, "seed": args.seed,
                         "years": years, "start_year": start,
                         "overrides": overrides, "format": args.format, **runs.provenance(),
                         "params": scenario.model_dump(mode="json")}, stage / "run.json")

    final = result.model.iloc[-1]
    print(f"{label}: seed {args.seed}, {years} year{'s' * (years > 1)} ({start}-{start + years});"
          f" results in {out}")
    for column, name in HEADLINE.items():
        print(f"  {name:<34} {_fmt(final[column]):>8}")
    return 0


def summary_table(summary: pd.DataFrame, replications: int, conditions: int = 1) -> str:
    """Indicators down, scenarios across: `mean [95% CI]` of the final-step values."""
    scenarios = list(dict.fromkeys(summary["scenario"]))
    cells: dict[str, list[str]] = {}
    for scenario in scenarios:
        rows = summary[summary["scenario"] == scenario].set_index("indicator")
        cells[scenario] = [
            f"{rows.at[c, 'mean']:.3f} [{rows.at[c, 'ci95_low']:.3f}, {rows.at[c, 'ci95_high']:.3f}]"
            for c in HEADLINE]
    names = list(HEADLINE.values())
    first = max(len(n) for n in names)
    widths = {s: max(len(s), *(len(c) for c in cells[s])) for s in scenarios}
    header = f"{'final value, mean [95% CI]':<{first}}  " + "  ".join(
        f"{s:>{widths[s]}}" for s in scenarios)
    under = f" under each of {conditions} uncertain conditions" if conditions > 1 else ""
    lines = [f"{replications} replication(s) per scenario{under}", header]
    for row, name in enumerate(names):
        lines.append(f"{name:<{first}}  " + "  ".join(
            f"{cells[s][row]:>{widths[s]}}" for s in scenarios))
    return "\n".join(lines)


def cmd_compare(args: argparse.Namespace) -> int:
    """Replicated runs of several scenarios (and uncertain conditions), a planner's report."""
    from .compare import (
        ComparisonPlan,
        parse_uncertainty,
        run_comparison,
        sample_conditions,
        validate_conditions,
    )

    overrides = parse_assignments(args.set)
    labels = [scenario_label(s) for s in args.scenarios]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise UsageError(f"each scenario may be compared once; repeated: {duplicates}")
    scenarios = {label: _load(source, overrides, args.years)
                 for label, source in zip(labels, args.scenarios, strict=True)}
    uncertainties = [parse_uncertainty(text) for text in args.uncertain]
    conditions = sample_conditions(uncertainties, args.conditions, args.seed)
    plan = ComparisonPlan(scenarios, args.replications, args.seed, uncertainties, conditions)
    validate_conditions(plan)
    total = len(scenarios) * len(plan.seeds) * len(conditions)
    workers = args.workers or min(_cpu_count(), total)
    runs.check_writable(args.out)

    stacked = run_comparison(plan, args.out, workers=workers, engine=args.engine)
    with runs.staged_output(args.out) as stage:
        summary = runs.final_summary(stacked)
        runs.write_frame(stacked, stage, "runs", args.format)
        if args.format == "parquet":
            runs.write_frame(stacked, stage, "runs", "csv")
        summary.to_csv(stage / "summary.csv", index=False)
        from .final_state import final_table, robustness
        final_table(stacked).to_csv(stage / "final_state.csv", index=False)
        if len(conditions) > 1:
            robustness(stacked).to_csv(stage / "robustness.csv", index_label="scenario")
        seeds = plan.seeds
        title = (f"{' vs '.join(labels)} — mean and 95% CI over {args.replications} "
                 f"replications (seeds {seeds[0]}-{seeds[-1]})")
        from .figures import comparison_figure
        comparison_figure(stacked, title, stage / "comparison.png")
        from .report import ReportInputs, write_report
        years = {s.run.years for s in scenarios.values()}
        write_report(ReportInputs(
            runs=stacked, descriptions={k: " ".join(v.description.split())
                                        for k, v in scenarios.items()},
            replications=args.replications, seeds=seeds, years=max(years),
            conditions=conditions,
            provenance={k: v for k, v in runs.provenance().items() if k != "created"}),
            stage / "report.html")
        runs.write_json({"scenarios": labels, "sources": args.scenarios,
                         "replications": args.replications, "seeds": seeds,
                         "uncertain": [vars(u) for u in uncertainties],
                         "conditions": conditions,
                         "overrides": overrides, "format": args.format, **runs.provenance(),
                         "params": {k: s.model_dump(mode="json") for k, s in scenarios.items()}},
                        stage / "compare.json")

    print(summary_table(summary, args.replications, len(conditions)))
    print(f"results in {args.out} (report: {args.out / 'report.html'})")
    return 0


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# ---- parser and entry point ----------------------------------------------------------------

def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--years", type=_positive_int, metavar="Y", help="override the scenario's run.years")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a parameter by dotted path or unambiguous name; "
                             "VALUE is a TOML literal (1.5, true, \"results\"); repeatable")
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet",
                        help="format of the record files (default: parquet)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="concertation", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version",
                        version=f"%(prog)s {runs.provenance()['concertation_version']}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("scenarios", help="list the shipped scenarios")
    listing.set_defaults(handler=cmd_scenarios)

    run = commands.add_parser("run", help="run one scenario and write its records")
    run.add_argument("scenario", metavar="SCENARIO", help="shipped name or path of a .toml file")
    run.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (default: 0)")
    run.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: results/<scenario>)")
    _add_common(run)
    run.set_defaults(handler=cmd_run)

    compare = commands.add_parser("compare", help="compare scenarios over replications")
    compare.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                         help="shipped names or paths of .toml files")
    compare.add_argument("--replications", type=_positive_int, default=10, metavar="N",
                         help="runs per scenario, with seeds S..S+N-1 (default: 10)")
    compare.add_argument("--seed", type=int, default=0, metavar="S", help="first seed (default: 0)")
    compare.add_argument("--workers", type=_positive_int, metavar="W",
                         help="parallel processes (default: min(CPUs, runs)); 1 = in-process")
    compare.add_argument("--out", type=Path, default=Path("results/compare"), metavar="DIR",
                         help="output folder (default: results/compare)")
    compare.add_argument("--uncertain", action="append", default=[], metavar="NAME=LOW:HIGH",
                         help="an uncertain condition sampled in [LOW, HIGH] (repeatable), "
                              "e.g. group_time_budget=6:14")
    compare.add_argument("--conditions", type=_positive_int, default=8, metavar="K",
                         help="number of uncertain conditions sampled (Latin hypercube; "
                              "default 8; used with --uncertain)")
    compare.add_argument("--engine", choices=["serial", "local", "dask"], default="local",
                         help="where runs execute (default: local process pool)")
    _add_common(compare)
    compare.set_defaults(handler=cmd_compare)

    from .sweep_cli import add_commands
    add_commands(commands)
    from app.cli import add_commands as add_app_commands
    add_app_commands(commands)
    from .library_cli import add_commands as add_library_commands
    add_library_commands(commands)
    from .validate_cli import add_commands as add_validate_commands
    add_validate_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `concertation` console script; returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
        return args.handler(args)
    except (ScenarioError, UsageError, runs.OutputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like: results are written
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print("interrupted; the output folder was left as it was", file=sys.stderr)
        return 130

if __name__ == "__main__":
    sys.exit(main())
