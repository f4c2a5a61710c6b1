"""The report of `concertation validate`: docs/validation.md (a table of the patterns P1-P7,
and of the null models when run) and the figure beside it."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .patterns import ALPHA, EXPLAINED_BY, MECHANISMS, POWER, Effect, PatternResult

STATUS_TEXT = {"held": "held", "failed": "FAILED", "undecided": "undecided"}
STATUS_CELL = {"held": "yes", "failed": "**no**", "undecided": "undecided"}


def validation_figure(results: list[PatternResult], path: Path) -> None:
    by_name = {r.pattern: r for r in results if r.details}  # undecided ones were not run
    fig = Figure(figsize=(15, 7), layout="constrained")
    axes = list(fig.subplots(2, 4).ravel())
    if "P1" in by_name:
        d = by_name["P1"].details
        axes[0].boxplot([d["made"]["over_solicited_share"],
                         d["bottom_up"]["over_solicited_share"]],
                        tick_labels=["programme-\nmade", "made\nbottom-up"])
        axes[0].set_title("P1 over-solicited share")
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
        d = by_name["P7"].details
        labels = [*d["alone"], "all eight"]
        changes = [v["appropriation"] for v in d["alone"].values()]
        changes.append(d["together"]["appropriation"])
        axes[6].bar(labels, changes, color=["C0"] * len(d["alone"]) + ["C2"])
        axes[6].axhline(0, color="k", linewidth=0.8)
        axes[6].set_title("P7 appropriation change, each condition alone")
        axes[6].tick_params(axis="x", labelsize=6, labelrotation=60)
    axes[4].axis("off")
    axes[4].text(0, 0.5, "\n".join(f"{r.pattern}: {STATUS_TEXT[r.status]}" for r in results),
                 fontsize=12, va="center")
    axes[7].axis("off")
    fig.savefig(path, dpi=100)


def needed_cell(effect: Effect) -> str:
    """Runs a side the contrast needs, flagged when it had fewer ("—" for no effect)."""
    needed = effect.runs_needed()
    if math.isinf(needed):
        return "—"
    return f"{needed} **underpowered**" if needed > effect.runs else f"{needed}"


def markdown(results: list[PatternResult], command: str, seconds: float,
             mechanisms: pd.DataFrame | None, figure: str,
             held_out: list[PatternResult] = ()) -> str:
    lines = [
        "# Validation against the patterns P1–P7",
        "",
        (f"Produced by `{command}` on "
        f"{datetime.now(UTC).date().isoformat()} in {seconds:.0f} s. Patterns and their sources: "
        "DESIGN.md §1 and docs/ODD.md §1. Each row names the test that checks the same "
        "measure in the test suite. *Undecided*: too few runs for the pattern's test to reach "
        "a verdict (it did not fail)."),
        "",
        "| pattern | what was measured | target | result | held | test |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r.pattern} | {r.measured} | {r.target} | {r.value} | "
                     f"{STATUS_CELL[r.status]} | `{r.test}` |")
    lines += ["", f"![Validation figures]({figure})", ""]
    effects = [(r.pattern, e) for r in results for e in r.effects]
    if effects:
        lines += [
            "## Effect sizes", "",
            ("How large each contrast is: the difference of means over the runs (for P6, of "
             "the shares of tables dissolved) with its 95% interval, and the probability of "
             "superiority A (the chance that a run of the first arm beats one of the second; "
             "0.5 means no effect, 1 that every run does). *Runs a side* is what each arm "
             "had (for P6, tables); *needed* is what a one-sided Mann-Whitney test at "
             f"α = {ALPHA} needs to find this A with power {POWER} (Noether 1987, A read off "
             "these runs, so optimistic when every run separates); a contrast marked "
             "**underpowered** may come out either way on other seeds."), "",
            "| pattern | contrast | difference [95% interval] | A | runs a side | needed |",
            "|---|---|---|---|---|---|",
        ]
        lines += [f"| {pattern} | {e.contrast} | {e.difference:.3g} [{e.low:.3g}, "
                  f"{e.high:.3g}] | {e.superiority:.2f} | {e.runs} | {needed_cell(e)} |"
                  for pattern, e in effects]
        lines.append("")
    if held_out:
        lines += [
            "## Held-out observations (never used to calibrate)", "",
            ("Other sentences of Bourque (2010) on Les Moulins, measured on the `les_moulins` "
             "runs of P3 at the scenario's own values; P3's two shares are the calibration "
             "targets (`concertation calibrate`). Reported, not part of the exit code."), "",
            "| observation | measure | target | result | met | caveat |",
            "|---|---|---|---|---|---|",
        ]
        for r in held_out:
            observation, measure = r.measured.split(" (Bourque 2010): ", 1)
            lines.append(f"| {r.pattern}: {observation} | {measure} | {r.target} | {r.value} | "
                         f"{'yes' if r.held else '**no**'} | {r.details.get('caveat', '')} |")
        lines.append("")
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
            cells = [{"held": "yes", "failed": "no"}.get(str(v), str(v)) for v in row]
            lines.append("| " + " | ".join(cells) + " |")
        lines += ["", "Mechanisms each pattern is meant to be explained by: " + "; ".join(
            f"{p}: {', '.join(m)}" for p, m in EXPLAINED_BY.items()) + "."]
    return "\n".join(lines) + "\n"
