"""The sensitivity study, in one command: how many replications, which parameters matter (one
factor at a time, every parameter), Morris screening of the influential ones, Sobol indices of
the most influential. Every stage runs on the sweep engine (resumable: re-running the command
skips finished runs) and the results and figures land in docs/sensitivity.md.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulation import Scenario

from ..experiments.storage import load_results
from ..experiments.sweep import sweep
from ..library import toml_value
from .indices import analyse

INDICATORS = ["memberships_per_actor", "over_solicited_share", "appropriation",
              "instrumentalisation", "citizen_share", "hyperconcertation_index"]
# Not model behaviour: run length, calendar, output cadence, the list of themes.
EXCLUDED_SECTIONS = ("run.",)
EXCLUDED = {"population.themes", "population.territories"}


@dataclass
class StudySize:
    cv_max_replications: int = 40
    ofat_levels: int = 5
    morris_parameters: int = 12
    morris_trajectories: int = 10
    sobol_parameters: int = 6
    sobol_samples: int = 64
    screening_replications: int = 3
    max_ofat_replications: int = 12  # caps the OFAT stage's cost (~80 parameters x 5 levels)
    years: int | None = None
    spinup_years: int | None = None  # None: the scenario's own spin-up
    only: list[str] | None = None  # restrict OFAT to these parameters (quick checks)


QUICK = StudySize(cv_max_replications=8, ofat_levels=3, morris_parameters=3,
                  morris_trajectories=4, sobol_parameters=2, sobol_samples=8,
                  screening_replications=2, years=3, spinup_years=2,
                  only=["participation.weight_time", "integration.merge_overlap",
                        "actors.group_time_budget", "process.appropriation_rate"])


def write_experiment(path: Path, name: str, body: dict[str, Any],
                     sections: dict[str, dict[str, Any]], rows: list[dict[str, Any]] = ()
                     ) -> Path:
    lines = [f"{key} = {toml_value(value)}" for key, value in body.items() if value is not None]
    for section, values in sections.items():
        lines.append(f"\n[{section}]")
        lines += [f'"{key}" = {value}' if isinstance(value, str) and value.startswith("{")
                  else f'"{key}" = {toml_value(value)}' for key, value in values.items()]
    for row in rows:
        inline = ", ".join(f'"{k}" = {toml_value(v)}' for k, v in row["values"].items())
        lines += ["\n[[rows]]", f"name = {toml_value(row['name'])}", f"values = {{ {inline} }}"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'name = "{name}"\n' + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def fixed_sections(size: StudySize) -> dict[str, dict[str, Any]]:
    """What every experiment of a study shares: final values only, and the study's spin-up."""
    sections: dict[str, dict[str, Any]] = {"record": {"every": 0}}
    if size.spinup_years is not None:
        sections["fixed"] = {"initial.spinup_years": size.spinup_years}
    return sections


def parameter_levels(count: int, only: list[str] | None = None) -> dict[str, list[Any]]:
    """OFAT levels around each default, inside the parameter's validated range."""
    levels: dict[str, list[Any]] = {}
    defaults = Scenario().flat()
    for path, value in defaults.items():
        if "." not in path or path.startswith(EXCLUDED_SECTIONS) or path in EXCLUDED:
            continue
        if only and path not in only:
            continue
        low, high, choices = _range(path)
        if choices:
            levels[path] = list(choices)
        elif isinstance(value, bool):
            levels[path] = [False, True]
        elif isinstance(value, int | float):
            # Half to one and a half times the default; from 0 to 0.2 when the default is 0.
            span = np.linspace(0.5, 1.5, count) * value if value else np.linspace(0, 0.2, count)
            span = np.round(span, 6)
            span = np.clip(span, low if low is not None else -np.inf,
                           high if high is not None else np.inf)
            if isinstance(value, int):
                span = np.unique(np.maximum(np.round(span), low or 0).astype(int))
            levels[path] = [v.item() for v in np.unique(span)]
    return {path: values for path, values in levels.items() if len(values) > 1}


def _range(path: str) -> tuple[float | None, float | None, tuple | None]:
    section_path, name = path.rsplit(".", 1)
    model: Any = Scenario
    for part in section_path.split("."):
        model = model.model_fields[part].annotation
    field = model.model_fields[name]
    choices = get_args(field.annotation) if "Literal" in str(field.annotation) else None
    low = high = None
    for item in field.metadata:
        low = getattr(item, "ge", None) if getattr(item, "ge", None) is not None else low
        low = getattr(item, "gt", None) if getattr(item, "gt", None) is not None else low
        high = getattr(item, "le", None) if getattr(item, "le", None) is not None else high
    if low is not None and getattr(field.metadata[0], "gt", None) is not None:
        low = low + 1e-3
    return low, high, choices


def cv_stabilisation(folder: Path, size: StudySize, workers: int) -> tuple[pd.DataFrame, int]:
    """Coefficient of variation of each indicator's final value as replications accumulate;
    the chosen count is the first after which every CV stays within 10% of its final value."""
    experiment = write_experiment(folder / "cv.toml", "study_cv", {
        "scenario": "baseline", "years": size.years, "replications": size.cv_max_replications,
        "indicators": INDICATORS}, fixed_sections(size))
    sweep(experiment, folder / "cv", workers=workers, progress=False)
    final = load_results(folder / "cv").sort_values("replication")
    rows = []
    for n in range(2, size.cv_max_replications + 1):
        head = final[final["replication"] < n]
        rows.append({"replications": n} | {
            c: head[c].std(ddof=1) / abs(head[c].mean()) if head[c].mean() else np.nan
            for c in INDICATORS})
    cv = pd.DataFrame(rows)
    last = cv.iloc[-1]
    stable = (cv[INDICATORS] - last[INDICATORS]).abs() <= 0.1 * last[INDICATORS].abs()
    settled = stable[::-1].cummin()[::-1].all(axis=1)
    chosen = int(cv.loc[settled, "replications"].min()) if settled.any() else \
        size.cv_max_replications
    return cv, max(chosen, 3)


def ofat(folder: Path, size: StudySize, replications: int, workers: int
         ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, list[Any]]]:
    """Every parameter, one at a time, at a few levels; the effect is the range of the mean
    final value over the levels, in units of the baseline's standard deviation."""
    levels = parameter_levels(size.ofat_levels, size.only)
    rows = [{"name": f"{path}={value}", "values": {path: value}}
            for path, values in levels.items() for value in values]
    experiment = write_experiment(folder / "ofat.toml", "study_ofat", {
        "scenario": "baseline", "years": size.years, "replications": replications,
        "indicators": INDICATORS}, fixed_sections(size), rows)
    sweep(experiment, folder / "ofat", workers=workers, progress=True)
    final = load_results(folder / "ofat")
    final["parameter"] = final["row"].str.split("=").str[0]
    final["level"] = final["row"].str.split("=", n=1).str[1]
    noise = final.groupby("row")[INDICATORS].std(ddof=1).mean()
    means = final.groupby(["parameter", "level"], sort=False)[INDICATORS].mean()
    spread = means.groupby(level="parameter").agg(lambda s: s.max() - s.min())
    effect = spread / noise.replace(0, np.nan)
    effect["overall"] = effect[INDICATORS].max(axis=1)
    return effect.sort_values("overall", ascending=False), means, levels


def _bounds(levels: list[Any]) -> dict[str, float] | None:
    numbers = [v for v in levels if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(numbers) < 2:
        return None
    return {"low": float(min(numbers)), "high": float(max(numbers))}


def screening(folder: Path, name: str, kind: str, parameters: dict[str, dict[str, float]],
              samples: int, size: StudySize, workers: int, **design: Any) -> pd.DataFrame:
    """A Morris or Sobol sweep over `parameters` (bounds), then its indices; replications at
    each design point are averaged, which keeps run-to-run noise out of the indices."""
    sections = fixed_sections(size) | {
        "design": {"kind": kind, "samples": samples, "seed": 11} | design,
        "parameters": {p: f"{{ low = {b['low']!r}, high = {b['high']!r} }}"
                       for p, b in parameters.items()}}
    # One results folder per parameter set: a changed selection never meets old runs.
    digest = hashlib.sha256(json.dumps(parameters, sort_keys=True).encode()).hexdigest()[:8]
    name = f"{name}-{digest}"
    experiment = write_experiment(folder / f"{name}.toml", f"study_{name}", {
        "scenario": "baseline", "years": size.years, "replications": size.screening_replications,
        "seed_policy": "independent", "indicators": INDICATORS}, sections)
    sweep(experiment, folder / name, workers=workers, progress=True)
    result = analyse(folder / name, INDICATORS, dest=folder / name)
    result.attrs["folder"] = str(folder / name)
    return result


def ofat_figure(means: pd.DataFrame, effect: pd.DataFrame, top: int, path: Path) -> None:
    names = list(effect.index[:top])
    fig = Figure(figsize=(16, 2.6 * -(-len(names) // 4)), layout="constrained")
    axes = fig.subplots(-(-len(names) // 4), 4, squeeze=False).ravel()
    for ax, name in zip(axes, names, strict=False):
        frame = means.loc[name]
        for column in ("over_solicited_share", "appropriation", "instrumentalisation",
                       "hyperconcertation_index"):
            ax.plot(range(len(frame)), frame[column], marker="o", label=column)
        ax.set_xticks(range(len(frame)), [str(v)[:6] for v in frame.index], fontsize=7)
        ax.set_title(name, fontsize=9)
    for ax in axes[len(names):]:
        ax.set_visible(False)
    axes[0].legend(fontsize=6)
    fig.savefig(path, dpi=90)


def cv_figure(cv: pd.DataFrame, chosen: int, path: Path) -> None:
    fig = Figure(figsize=(7, 3.5), layout="constrained")
    ax = fig.subplots()
    for column in INDICATORS:
        ax.plot(cv["replications"], cv[column], label=column)
    ax.axvline(chosen, color="k", linestyle="--", label=f"chosen: {chosen}")
    ax.set_xlabel("replications")
    ax.set_ylabel("coefficient of variation")
    ax.legend(fontsize=7)
    fig.savefig(path, dpi=100)


def run_study(folder: Path, docs: Path, workers: int, size: StudySize) -> Path:
    started = time.perf_counter()
    figures = docs.parent / "sensitivity"
    figures.mkdir(parents=True, exist_ok=True)
    cv, settled = cv_stabilisation(folder, size, workers)
    replications = min(settled, size.max_ofat_replications)
    cv_figure(cv, replications, figures / "cv.png")
    effect, means, levels = ofat(folder, size, replications, workers)
    ofat_figure(means, effect, 16, figures / "ofat.png")
    influential = [p for p in effect.index if _bounds(levels[p])][: size.morris_parameters]
    morris = screening(folder, "morris", "morris",
                       {p: _bounds(levels[p]) for p in influential},
                       size.morris_trajectories, size, workers, levels=4)
    # mu* is in each indicator's units: scale by the indicator's largest mu* before ranking,
    # so an indicator with large numbers (memberships) does not decide alone.
    scaled = morris["mu_star"] / morris.groupby("indicator")["mu_star"].transform("max")
    ranking = scaled.groupby(morris["parameter"]).max().sort_values(ascending=False)
    chosen = list(ranking.index[: size.sobol_parameters])
    sobol = screening(folder, "sobol", "sobol", {p: _bounds(levels[p]) for p in chosen},
                      size.sobol_samples, size, workers)
    for stage, frame in (("morris", morris), ("sobol", sobol)):
        source = Path(frame.attrs["folder"]) / "sensitivity.png"
        if source.exists():
            (figures / f"{stage}.png").write_bytes(source.read_bytes())
    seconds = time.perf_counter() - started
    docs.write_text(report(cv, settled, replications, effect, morris, sobol, size, seconds,
                           workers), encoding="utf-8")
    return docs


def markdown_table(frame: pd.DataFrame, index: bool = True) -> str:
    """A pipe table (what pandas' to_markdown does, without its optional dependency)."""
    frame = frame.reset_index() if index else frame
    header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(f"{v:.3g}" if isinstance(v, float) else str(v) for v in row)
            + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])


def report(cv: pd.DataFrame, settled: int, replications: int, effect: pd.DataFrame, morris: pd.DataFrame,
           sobol: pd.DataFrame, size: StudySize, seconds: float, workers: int) -> str:
    top_ofat = effect.head(20)[INDICATORS + ["overall"]].round(2)
    morris_table = morris.pivot_table(index="parameter", columns="indicator",
                                      values="mu_star").round(3)
    sobol_table = sobol.pivot_table(index="parameter", columns="indicator",
                                    values=["S1", "ST"]).round(2)
    flat = [f"{a}:{b}" for a, b in sobol_table.columns]
    sobol_table.columns = flat
    return "\n".join([
        "# Sensitivity study",
        "",
        (f"Produced by `concertation study --workers {workers}` in {seconds / 60:.1f} minutes "
        f"on the project's CI machine kind (2 cores). Scenario: `baseline`"
        f"{f', {size.years} years' if size.years else ', 20 years'}"
        f"{f' after a {size.spinup_years}-year spin-up' if size.spinup_years is not None else ''}"
        f"; indicators: final values "
        f"of {', '.join(INDICATORS)}."),
        "",
        "## 1. How many replications",
        "",
        (f"The coefficient of variation (sd / mean over replications) of each indicator's final "
        f"value, as replications accumulate up to {size.cv_max_replications}. Every CV stays "
        f"within 10% of its value at the largest count from **{settled} replications** on; the "
        f"one-factor-at-a-time stage uses {replications} per design point (capped at "
        f"{size.max_ofat_replications} to bound its cost)."),
        "",
        "![CV against replications](sensitivity/cv.png)",
        "",
        markdown_table(cv.iloc[[0, 3, 8, len(cv) - 1] if len(cv) > 8 else [0, len(cv) - 1]]
                       .round(3), index=False),
        "",
        "## 2. One factor at a time, every parameter",
        "",
        (f"Each of {len(effect)} parameters at {size.ofat_levels} levels around its default "
        "(within its validated range), the others at their defaults. Effect = range of the "
        "mean final value across levels, in units of the replication standard deviation "
        "(values above ~2 are beyond noise). Top 20:"),
        "",
        markdown_table(top_ofat),
        "",
        "![OFAT curves of the 16 most influential parameters](sensitivity/ofat.png)",
        "",
        "## 3. Morris screening of the influential parameters",
        "",
        (f"{size.morris_trajectories} trajectories over the {len(morris_table)} most influential "
        f"numeric parameters (bounds: their OFAT range), {size.screening_replications} "
        "replications averaged per point; mu* per indicator:"),
        "",
        markdown_table(morris_table),
        "",
        "![Morris mu* and sigma](sensitivity/morris.png)",
        "",
        "## 4. Sobol indices of the most influential",
        "",
        (f"Saltelli sample, N = {size.sobol_samples}, over the {len(sobol_table)} parameters "
        "with the largest Morris mu* (each indicator's mu* scaled by its largest), "
        f"{size.screening_replications} replications averaged per point; first-order (S1) and "
        "total (ST) indices. Negative S1 values are estimation noise around 0 (N is modest; "
        "see the confidence intervals):"),
        "",
        markdown_table(sobol_table),
        "",
        "![Sobol indices](sensitivity/sobol.png)",
        "",
        ("Confidence intervals are in the CSV files of each stage "
        "(`results/study/<stage>-<hash>/sensitivity.csv`)."),
        "",
    ])
