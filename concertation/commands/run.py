"""`concertation scenarios`, `concertation run` and `concertation compare`: list the shipped
scenarios, run one, compare several over replications and uncertain conditions. Only parses
arguments, writes files and reports; the work is in `simulation` and `analyses`."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .common import (
    UsageError,
    add_common,
    cpu_count,
    load,
    parse_assignments,
    positive_int,
    scenario_label,
    seed_int,
)

if TYPE_CHECKING:
    import pandas as pd

    from analyses.comparison.compare import ComparisonPlan
    from analyses.runs import SingleRun
    from simulation.scenario import Scenario


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    return re.split(r"(?<=[.!?])\s+(?=[A-Z])", text, maxsplit=1)[0]


def _fmt(value: float) -> str:
    import pandas as pd

    if pd.isna(value):
        return "nan"
    return f"{value:.0f}" if float(value).is_integer() and abs(value) >= 1 else f"{value:.3f}"


def cmd_scenarios(args: argparse.Namespace) -> int:
    """Print each shipped scenario with the first sentence of its description.

    A scenario that does not load is still listed, and its error reported, so one bad file
    does not hide the others.
    """
    from simulation import ScenarioError, available_scenarios, load_scenario

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
    from analyses import runs
    from analyses.runs import HEADLINE

    overrides = parse_assignments(args.set)
    scenario = load(args.scenario, overrides, args.years)
    label = scenario_label(args.scenario)
    out = args.out or Path("results") / label
    runs.check_owned(out, "run", args.force)
    start, years = scenario.run.start_year, scenario.run.years
    with runs.held_folder(out, "run"):
        result = _write_run(args, scenario, label, out, overrides)

    final = result.model.iloc[-1]
    print(f"{label}: seed {args.seed}, {years} year{'s' * (years > 1)} ({start}-{start + years});"
          f" results in {out}")
    for column, name in HEADLINE.items():
        print(f"  {name:<34} {_fmt(final[column]):>8}")
    return 0


def _write_run(args: argparse.Namespace, scenario: Scenario, label: str, out: Path,
               overrides: dict[str, object]) -> SingleRun:
    """The run's files, staged and moved into `out` together."""
    from analyses import runs

    start, years = scenario.run.start_year, scenario.run.years
    with runs.staged_output(out) as stage:
        runs.mark_owned(stage, "run")
        result = runs.run_single(scenario, args.seed, progress=True)
        for stem, frame in [("model", result.model), ("tables", result.tables),
                            ("actors", result.actors), ("table_history", result.table_history)]:
            runs.write_frame(frame, stage, stem, args.format)
        title = f"{label} — seed {args.seed}, {start}-{start + years}"
        from analyses.comparison import figures  # matplotlib loads only when a figure is drawn
        figures.indicators_figure(result.model, title, stage / "indicators.png")
        runs.write_json({"scenario": label, "scenario_name": scenario.name,
                         "source": args.scenario, "seed": args.seed,
                         "years": years, "start_year": start,
                         "overrides": overrides, "format": args.format, **runs.provenance(),
                         "params": scenario.model_dump(mode="json")}, stage / "run.json")
    return result


def summary_table(summary: pd.DataFrame, replications: int, conditions: int = 1) -> str:
    """Indicators down, scenarios across: `mean [95% CI]` of the final-step values."""
    from analyses.runs import HEADLINE

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
    from analyses import runs
    from analyses.comparison.compare import (
        ComparisonPlan,
        parse_uncertainty,
        sample_conditions,
        validate_conditions,
    )

    overrides = parse_assignments(args.set)
    labels = [scenario_label(s) for s in args.scenarios]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise UsageError(f"each scenario may be compared once; repeated: {duplicates}")
    scenarios = {label: load(source, overrides, args.years)
                 for label, source in zip(labels, args.scenarios, strict=True)}
    uncertainties = [parse_uncertainty(text) for text in args.uncertain]
    conditions = sample_conditions(uncertainties, args.conditions, args.seed)
    plan = ComparisonPlan(scenarios, args.replications, args.seed, uncertainties, conditions)
    validate_conditions(plan)
    total = len(scenarios) * len(plan.seeds) * len(conditions)
    workers = args.workers or min(cpu_count(), total)
    runs.check_owned(args.out, "compare", args.force)
    with runs.held_folder(args.out, "compare"):
        stacked, summary = _write_comparison(args, plan, overrides, workers)

    print(summary_table(summary, args.replications, len(conditions)))
    from analyses.comparison.verdict import verdict
    answer = verdict(stacked, "en")
    print(answer["answer"])
    print(answer["ranking"])
    if answer["caution"]:
        print(answer["caution"])
    print(f"results written to {args.out}/; open {args.out / 'report.html'} in a browser for "
          f"the answer and the evidence")
    return 0


def _write_comparison(args: argparse.Namespace, plan: ComparisonPlan,
                      overrides: dict[str, object],
                      workers: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the plan into `args.out` (its cache), then stage the report's files and move them in
    together; returns every run's records and their final summary."""
    from analyses import runs
    from analyses.comparison.compare import run_comparison

    scenarios, labels = plan.scenarios, list(plan.scenarios)
    conditions, uncertainties = plan.conditions, plan.uncertainties
    if args.pdf:
        from analyses.comparison.pdf import find_chromium
        find_chromium()  # before any run: a missing Chromium is found now, not at the end
    runs.mark_owned(args.out, "compare")

    stacked = run_comparison(plan, args.out, workers=workers, engine=args.engine)
    effects = None
    if args.levers:
        from analyses.comparison.levers import lever_effects
        effects = lever_effects(labels[0], scenarios[labels[0]], args.replications, args.seed,
                                args.out, workers=workers, engine=args.engine, progress=True)
    with runs.staged_output(args.out) as stage:
        summary = runs.final_summary(stacked)
        runs.write_frame(stacked, stage, "runs", args.format)
        if args.format == "parquet":
            runs.write_frame(stacked, stage, "runs", "csv")
        summary.to_csv(stage / "summary.csv", index=False)
        from analyses.comparison.final_state import final_table, robustness
        final_table(stacked).to_csv(stage / "final_state.csv", index=False)
        if len(conditions) > 1:
            robustness(stacked).to_csv(stage / "robustness.csv", index_label="scenario")
        if effects is not None:
            effects.to_csv(stage / "levers.csv", index=False)
        seeds = plan.seeds
        title = (f"{' vs '.join(labels)} — mean and 95% CI over {args.replications} "
                 f"replications (seeds {seeds[0]}-{seeds[-1]})")
        from analyses.comparison.figures import comparison_figure
        comparison_figure(stacked, title, stage / "comparison.png")
        from analyses.comparison.report import ReportInputs, write_report
        years = {s.run.years for s in scenarios.values()}
        write_report(ReportInputs(
            runs=stacked, descriptions={k: {language: v.described(language)
                                            for language in ("en", "fr")}
                                        for k, v in scenarios.items()},
            replications=args.replications, seeds=seeds, years=max(years),
            conditions=conditions, levers=effects,
            provenance={k: v for k, v in runs.provenance().items() if k != "created"}),
            stage / "report.html")
        if args.pdf:
            from analyses.comparison.pdf import print_pdf
            for language, name in (("en", "report.pdf"), ("fr", "report_fr.pdf")):
                print_pdf(stage / "report.html", stage / name, language)
        runs.write_json({"scenarios": labels, "sources": args.scenarios,
                         "replications": args.replications, "seeds": seeds,
                         "uncertain": [vars(u) for u in uncertainties],
                         "conditions": conditions,
                         "overrides": overrides, "format": args.format, **runs.provenance(),
                         "params": {k: s.model_dump(mode="json") for k, s in scenarios.items()}},
                        stage / "compare.json")
    return stacked, summary


def add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true",
                        help="write into an --out folder this command did not make (its files "
                             "of the same names are replaced)")


def add_commands(commands: argparse._SubParsersAction) -> None:
    listing = commands.add_parser("scenarios", help="list the shipped scenarios")
    listing.set_defaults(handler=cmd_scenarios)

    run = commands.add_parser("run", help="run one scenario and write its records")
    run.add_argument("scenario", metavar="SCENARIO", help="shipped name or path of a .toml file")
    run.add_argument("--seed", type=seed_int, default=0, metavar="N",
                     help="random seed, 0 to 2^32-1 (default: 0)")
    run.add_argument("--out", type=Path, metavar="DIR",
                     help="output folder (default: results/<scenario>)")
    add_common(run)
    add_force(run)
    run.set_defaults(handler=cmd_run)

    compare = commands.add_parser("compare", help="compare scenarios over replications")
    compare.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                         help="shipped names or paths of .toml files")
    compare.add_argument("--replications", type=positive_int, default=10, metavar="N",
                         help="runs per scenario, with seeds S..S+N-1 (default: 10)")
    compare.add_argument("--seed", type=seed_int, default=0, metavar="S",
                         help="first seed, 0 to 2^32-1 (default: 0)")
    compare.add_argument("--workers", type=positive_int, metavar="W",
                         help="parallel processes (default: min(CPUs, runs)); 1 = in-process")
    compare.add_argument("--out", type=Path, default=Path("results/compare"), metavar="DIR",
                         help="output folder (default: results/compare)")
    compare.add_argument("--uncertain", action="append", default=[], metavar="NAME=LOW:HIGH",
                         help="an uncertain condition sampled in [LOW, HIGH] (repeatable), "
                              "e.g. group_time_budget=6:14")
    compare.add_argument("--conditions", type=positive_int, default=8, metavar="K",
                         help="number of uncertain conditions sampled (Latin hypercube; "
                              "default 8; used with --uncertain)")
    compare.add_argument("--engine", choices=["serial", "local", "dask"], default="local",
                         help="where runs execute (default: local process pool)")
    compare.add_argument("--levers", action="store_true",
                         help="also rank, for the first scenario, each of Bourque's eight "
                              "conditions and each funders' lever applied alone (13 more "
                              "scenarios' runs)")
    compare.add_argument("--pdf", action="store_true",
                         help="also print the report to report.pdf and report_fr.pdf "
                              "(needs Chromium: scripts/browser.sh installs it)")
    add_common(compare)
    add_force(compare)
    compare.set_defaults(handler=cmd_compare)
