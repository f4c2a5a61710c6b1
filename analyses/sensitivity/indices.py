"""Sensitivity indices of a finished sweep, computed by SALib on the sample the sweep ran.

A Sobol experiment (Saltelli sample) gives first-order and total indices (S1, ST) with their
bootstrap 95% confidence half-widths; a Morris experiment (trajectories) gives the elementary
effects statistics mu, mu*, sigma and the confidence half-width of mu*. Factorial and Latin
hypercube sweeps have no such structure and are refused.

The output of a run is its final recorded step; replications of a design point are averaged,
so each indicator gives one value per design point, in the order SALib drew the sample. Only
complete sweeps are analysed: the estimators need every point of the design.

Results are tidy, one row per (indicator, parameter), written beside the runs (or elsewhere)
as `sensitivity.csv` with a figure `sensitivity.png`, each atomically. An indicator that does
not vary over the design (or has missing values) cannot be decomposed: its Sobol indices are
NaN and its `note` says why; its Morris effects are exactly zero, with a note as well.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simulation.scenario import ScenarioError

from ..experiments.storage import METADATA, ResultStore, load_results
from ..runs import OutputError, check_writable

METHODS = ("auto", "sobol", "morris")
INDICES = {"sobol": ["S1", "S1_conf", "ST", "ST_conf"],
           "morris": ["mu", "mu_star", "sigma", "mu_star_conf"]}
CSV_NAME = "sensitivity.csv"
PNG_NAME = "sensitivity.png"
NOT_INDICATORS = {"run_id", "point", "row", "replication", "seed", "step", "year"}
CONSTANT = "constant output over the design (no variance): indices undefined"
MORRIS_CONSTANT = "constant output over the design: every elementary effect is zero"


def columns(method: str) -> list[str]:
    """The columns of the tidy result of a method."""
    return ["method", "indicator", "parameter", *INDICES[method], "note"]


def analyse(out: str | Path, indicators: Sequence[str] | None = None, method: str = "auto",
            *, dest: str | Path | None = None, write: bool = True) -> pd.DataFrame:
    """Sensitivity indices of the sweep in `out`, one row per (indicator, parameter).

    indicators: the recorded indicators to analyse (default: all of them). method: "auto"
    (the experiment's design), "sobol" or "morris", which must match the design. Writes
    sensitivity.csv and sensitivity.png into `dest` (default: `out`) unless `write` is false.
    The frame's `attrs` describe the analysis (experiment, method, runs, base samples).
    """
    out = Path(out)
    meta = _metadata(out)
    kind = meta["design"]["kind"]
    method = _method(method, kind, out, meta)
    final = _final_outputs(out, meta)
    names = _indicators(indicators, final, meta, out)
    problem = meta["problem"]
    outputs = final.groupby("point")[names].mean().reindex(range(len(meta["points"])))
    design = meta["design"]
    # The bootstrap of the confidence intervals is seeded from the design seed, so a sweep
    # always gives the same intervals; +1 because SALib's Sobol analysis takes 0 as "no seed".
    seed = int(design["seed"]) + 1
    if method == "sobol":
        rows = [_sobol(problem, outputs[name].to_numpy(float), design["second_order"], seed)
                for name in names]
    else:
        matrix = np.array([[point["values"][key] for key in problem["names"]]
                           for point in meta["points"]], dtype=float)
        rows = [_morris(problem, matrix, outputs[name].to_numpy(float), design["levels"], seed)
                for name in names]
    frame = pd.DataFrame([{"method": method, "indicator": name, "parameter": parameter,
                           **values, "note": note}
                          for name, (per_parameter, note) in zip(names, rows, strict=True)
                          for parameter, values in zip(problem["names"], per_parameter,
                                                       strict=True)],
                         columns=columns(method))
    replications = int(meta["experiment"]["replications"])
    frame.attrs = {"experiment": meta["experiment_name"], "method": method,
                   "samples": int(design["samples"]), "points": len(meta["points"]),
                   "runs": int(meta["runs_total"]), "replications": replications,
                   "parameters": list(problem["names"]),
                   "final_step": int(final["step"].max()), "final_year": _year(final)}
    if write:
        write_results(frame, Path(dest) if dest is not None else out)
    return frame


def write_results(frame: pd.DataFrame, dest: Path) -> list[Path]:
    """sensitivity.csv and sensitivity.png in `dest`, each written under a temporary name."""
    try:
        check_writable(dest)
    except OutputError as exc:
        raise ScenarioError(f"Cannot write {CSV_NAME} and {PNG_NAME} into {dest} ({exc}); "
                            f"give a writable folder with --out.") from None
    dest.mkdir(parents=True, exist_ok=True)
    csv = _atomic(dest / CSV_NAME, lambda path: frame.to_csv(path, index=False))
    figure = sobol_figure if frame["method"].iat[0] == "sobol" else morris_figure
    png = _atomic(dest / PNG_NAME, lambda path: figure(frame).savefig(path, format="png",
                                                                       dpi=110))
    return [csv, png]


# ---- reading a sweep -----------------------------------------------------------------------

def _metadata(out: Path) -> dict[str, Any]:
    meta = ResultStore(out).read_metadata()
    if meta is None:
        where = "does not exist" if not out.exists() else f"holds no sweep metadata ({METADATA})"
        raise ScenarioError(
            f"Sweep folder {out} {where}, so there is nothing to analyse. Sensitivity indices "
            f"are computed from the results of `concertation sweep EXPERIMENT --out {out}` "
            f"run on a sobol or morris experiment; give the folder that command wrote.")
    return meta


def _method(method: str, kind: str, out: Path, meta: dict[str, Any]) -> str:
    name = meta.get("experiment_name")
    if method not in METHODS:
        raise ScenarioError(f"Unknown sensitivity method {method!r}; expected one of "
                            f"{list(METHODS)}.")
    if kind not in ("sobol", "morris"):
        raise ScenarioError(
            f"Sweep {out} (experiment '{name}') used a {kind} design, which has no structure "
            f"for sensitivity indices: sensitivity needs a sobol or morris experiment "
            f"([design] kind = \"sobol\" for Sobol indices, \"morris\" for elementary-effects "
            f"screening), with bounds {{low, high}} for each parameter. Run such an experiment "
            f"with `concertation sweep` and analyse its folder.")
    if method != "auto" and method != kind:
        raise ScenarioError(
            f"The {method} method needs a {method} sample, but sweep {out} (experiment "
            f"'{name}') is a {kind} design; use --method {kind} (or auto) for this folder.")
    if not meta.get("problem"):
        raise ScenarioError(f"Sweep {out}: {METADATA} records no SALib problem for its {kind} "
                            f"design; the file is damaged or from another tool.")
    return kind


def _final_outputs(out: Path, meta: dict[str, Any]) -> pd.DataFrame:
    """The final recorded step of every run, once every run of the design is done."""
    total = int(meta["runs_total"])
    points = len(meta["points"])
    replications = int(meta["experiment"]["replications"])
    try:
        frame = load_results(out)
    except FileNotFoundError:
        frame = pd.DataFrame(columns=["run_id", "point", "replication", "step"])
    frame = frame[(frame["point"] < points) & (frame["replication"] < replications)]
    last = frame.groupby("run_id")["step"].transform("max")
    final = frame[frame["step"] == last]
    done = len(final.drop_duplicates(["point", "replication"]))
    if done < total:
        failed = len(ResultStore(out).failures())
        failures = (f"; {failed} failed (parameters and traceback in {out / 'failed'})"
                    if failed else "")
        source = meta.get("experiment_file") or "EXPERIMENT"
        raise ScenarioError(
            f"Sweep {out} (experiment '{meta.get('experiment_name')}') is incomplete: {done} "
            f"of {total} runs are done{failures}. Sensitivity indices need every run of the "
            f"design. Re-running the sweep command (`concertation sweep {source} --out {out}`) "
            f"resumes it: finished runs are skipped, missing and failed ones are run.")
    return final


def _indicators(requested: Sequence[str] | None, final: pd.DataFrame, meta: dict[str, Any],
                out: Path) -> list[str]:
    varied = {key for point in meta["points"] for key in point["values"]}
    recorded = [column for column in final.columns
                if column not in NOT_INDICATORS and column not in varied]
    if not requested:
        return recorded
    chosen = list(dict.fromkeys(requested))
    unknown = [name for name in chosen if name not in recorded]
    if unknown:
        raise ScenarioError(f"Unknown indicator(s) {unknown} for sweep {out}; its runs "
                            f"recorded {recorded}.")
    return chosen


def _year(final: pd.DataFrame) -> float | None:
    if "year" not in final or final.empty:
        return None
    return float(final["year"].max())


# ---- the estimators ------------------------------------------------------------------------

def _undefined(output: np.ndarray) -> str:
    """Why an output cannot be decomposed, or '' when it can."""
    missing = int(np.count_nonzero(~np.isfinite(output)))
    if missing:
        return (f"{missing} of {output.size} design points have no value (NaN): "
                f"indices undefined")
    if np.ptp(output) <= 1e-12 * max(1.0, float(np.abs(output).max())):
        return CONSTANT
    return ""


def _sobol(problem: dict[str, Any], output: np.ndarray, second_order: bool,
           seed: int) -> tuple[list[dict[str, float]], str]:
    from SALib.analyze import sobol

    note = _undefined(output)
    if note:
        return [dict.fromkeys(INDICES["sobol"], np.nan) for _ in problem["names"]], note
    result = sobol.analyze(problem, output, calc_second_order=second_order, seed=seed,
                           print_to_console=False)
    return [{key: float(result[key][j]) for key in INDICES["sobol"]}
            for j in range(len(problem["names"]))], ""


def _morris(problem: dict[str, Any], matrix: np.ndarray, output: np.ndarray, levels: int,
            seed: int) -> tuple[list[dict[str, float]], str]:
    from SALib.analyze import morris

    note = _undefined(output)
    if note and note != CONSTANT:
        return [dict.fromkeys(INDICES["morris"], np.nan) for _ in problem["names"]], note
    if note:  # zero effects are exact, not undefined; say so anyway
        return [dict.fromkeys(INDICES["morris"], 0.0) for _ in problem["names"]], \
            MORRIS_CONSTANT
    result = morris.analyze(problem, matrix, output, num_levels=levels, seed=seed,
                            print_to_console=False)
    return [{key: float(result[key][j]) for key in INDICES["morris"]}
            for j in range(len(problem["names"]))], ""


# ---- figures -------------------------------------------------------------------------------

def short_names(names: Sequence[str]) -> dict[str, str]:
    """The last part of each dotted path, or the whole path where the last part repeats."""
    last = [name.rsplit(".", 1)[-1] for name in names]
    return {name: tail if last.count(tail) == 1 else name
            for name, tail in zip(names, last, strict=True)}


def _panels(count: int, title: str, height: float) -> tuple[Figure, list[Axes]]:
    columns = min(count, 3)
    rows = -(-count // columns)
    fig = Figure(figsize=(4.6 * columns, height * rows + 0.6), layout="constrained")
    axes = list(fig.subplots(rows, columns, squeeze=False).ravel())
    for extra in axes[count:]:
        extra.set_visible(False)
    fig.suptitle(title, fontsize=12)
    return fig, axes[:count]


def _title(frame: pd.DataFrame, what: str) -> str:
    attrs = frame.attrs
    if not attrs:
        return what
    each = f", {attrs['replications']} replications averaged" if attrs["replications"] > 1 \
        else ""
    return (f"{attrs['experiment']}: {what} ({attrs['runs']} runs{each}, final step "
            f"{attrs['final_step']})")


def _undefined_panel(ax: Axes, note: str) -> None:
    ax.text(0.5, 0.5, note.replace(": ", ":\n", 1), ha="center", va="center", fontsize=8,
            wrap=True, transform=ax.transAxes, color="0.35")
    ax.set_xticks([])
    ax.set_yticks([])


def sobol_figure(frame: pd.DataFrame) -> Figure:
    """One panel per indicator: S1 and ST of each parameter as horizontal bars, with their
    95% confidence half-widths; parameters sorted by ST, the largest on top."""
    indicators = list(dict.fromkeys(frame["indicator"]))
    parameters = list(dict.fromkeys(frame["parameter"]))
    labels = short_names(parameters)
    fig, axes = _panels(len(indicators), _title(frame, "Sobol indices"),
                        height=0.9 + 0.45 * len(parameters))
    for ax, indicator in zip(axes, indicators, strict=True):
        rows = frame[frame["indicator"] == indicator]
        ax.set_title(indicator, fontsize=9)
        note = rows["note"].iat[0]
        if note:
            _undefined_panel(ax, note)
            continue
        rows = rows.sort_values("ST", kind="stable")
        where = np.arange(len(rows))
        ax.barh(where + 0.2, rows["ST"], height=0.38, xerr=rows["ST_conf"], color="C1",
                label="ST (total)", error_kw={"elinewidth": 0.8, "capsize": 2})
        ax.barh(where - 0.2, rows["S1"], height=0.38, xerr=rows["S1_conf"], color="C0",
                label="S1 (first order)", error_kw={"elinewidth": 0.8, "capsize": 2})
        ax.set_yticks(where, [labels[name] for name in rows["parameter"]], fontsize=8)
        ax.axvline(0, color="0.3", linewidth=0.6)
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", alpha=0.3)
    handles, names = next(((ax.get_legend_handles_labels()) for ax in axes
                           if ax.get_legend_handles_labels()[0]), ([], []))
    if handles:
        fig.legend(handles[::-1], names[::-1], loc="outside lower center", ncols=2,
                   fontsize=9)
    return fig


def morris_figure(frame: pd.DataFrame) -> Figure:
    """One panel per indicator: sigma against mu* for each parameter, labelled, with the
    confidence half-width of mu*; the dashed line sigma = mu* marks strong interactions or
    non-linearity above it."""
    indicators = list(dict.fromkeys(frame["indicator"]))
    labels = short_names(list(dict.fromkeys(frame["parameter"])))
    fig, axes = _panels(len(indicators), _title(frame, "Morris elementary effects"),
                        height=3.4)
    for ax, indicator in zip(axes, indicators, strict=True):
        rows = frame[frame["indicator"] == indicator]
        ax.set_title(indicator, fontsize=9)
        if rows["note"].iat[0]:  # NaN or constant output: nothing to place
            _undefined_panel(ax, rows["note"].iat[0])
            continue
        ax.errorbar(rows["mu_star"], rows["sigma"], xerr=rows["mu_star_conf"], fmt="o",
                    color="C0", markersize=4, elinewidth=0.8, capsize=2)
        for _, row in rows.iterrows():
            ax.annotate(labels[row["parameter"]], (row["mu_star"], row["sigma"]), fontsize=7,
                        xytext=(3, 3), textcoords="offset points")
        top = float(np.nanmax([rows["mu_star"].max(), rows["sigma"].max()]))
        if top > 0:
            ax.plot([0, top], [0, top], linestyle="--", color="0.5", linewidth=0.7)
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.set_xlabel("mu* (mean |elementary effect|)", fontsize=8)
        ax.set_ylabel("sigma", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    return fig


def _atomic(path: Path, write: Callable[[Path], object]) -> Path:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path
