"""One-factor-at-a-time screen of every scenario parameter: does it change anything?

The issue's rule: "every parameter in the scenario schema has a measurable effect (show an
OFAT table in docs/), or it goes". For each numeric, boolean or enum leaf of the schema
(`simulation/scenario.py`), and for the fields of one funder, the screen runs a scenario where
the parameter's mechanism is active (`baseline` unless `CHOICES` says otherwise) at a low and a
high value (half and one and a half times the default, clipped to the field's bounds; booleans
flipped; enums: every alternative; zero or unset defaults: a sensible value) over a few seeds.
The same seeds serve the default and every variant (common random numbers).

Two answers per parameter:

* **inert**: at every value and seed the whole `model_frame()` (every indicator, every
  month) is bit-identical to the default run's; the value never reaches the dynamics.
* **largest standardised effect**: the mean over seeds of (final value - default final value)
  divided by the seed-to-seed standard deviation of the scenario's final value (default
  seeds and placebo seeds pooled), over the indicators in `INDICATORS` and the values
  tried; the largest in absolute value, with its indicator. A *placebo* row (the default scenario rerun with other seeds) shows what noise
  alone gives, since a model this chaotic decorrelates as soon as one draw differs.

    python -m analyses.sensitivity.ofat --seeds 3 --out docs/ofat.md      # ~1 h, 2 cores
    python -m analyses.sensitivity.ofat --seeds 1 --years 2 --only participation.weight_time

Runs are cached in a dict (the default run of each scenario and seed is computed once) and,
with `--cache`, in a pickle file, so an interrupted screen resumes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import hashlib
import math
import pickle
import sys
import time
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation import ConcertationModel, Scenario
from simulation.scenario import (
    FunderParams,
    ScenarioError,
    apply_overrides,
    resolve_scenario_path,
    validate_data,
)

from .study import INDICATORS as STUDY_INDICATORS
from .study import _range, markdown_table

# Final indicators compared (model_frame columns): the study's, plus the structure, the
# outputs and the actors' state, so a parameter that acts on one of those is not missed.
INDICATORS = list(dict.fromkeys(["tables_active", *STUDY_INDICATORS, "collective_projects",
                                 "integration", "tables_created_total", "trust", "strain",
                                 "mission_drift", "autonomy", "dependence", "delegated_share",
                                 "programme_management_share"]))
NEARLY_INERT = 0.5  # largest standardised effect under which a parameter is reported
# Not model behaviour: run length, calendar, output cadence; labels and lists.
EXCLUDED_PREFIXES = ("run.",)
EXCLUDED = {"name", "description", "population.themes"}
FUNDER = "foundation"  # the funder whose own fields are screened (present in every scenario
# used here); its fields are addressed as funders.<name>.<field>
FUNDER_LEVELS: dict[str, list[Any]] = {
    # unset by default: a binding budget (one, then three tables' yearly funding)
    "budget_per_year": [40000.0, 120000.0],
    "first_year": [2.0, 5.0],  # default 0: launches start later
    "last_launch_year": [5.0, 10.0],  # unset by default: launches stop
}
# Scenario parameters unset by default, at the values screened.
UNSET_LEVELS: dict[str, list[Any]] = {
    "programmes.last_launch_year": [5.0, 10.0],  # launches stop for every funder
}
FUNDER_EXCLUDED = {"name", "themes", "programme"}  # label; lists and per-funder design maps

# Where a parameter's mechanism acts, when not in `baseline`, and why.
CHOICES: dict[str, tuple[str, str]] = {
    "integration.merge_overlap": (
        "concertation_des_concertations",
        "read only when merges are attempted (integration.merge_rate > 0)"),
    "integration.territorial_link_bonus": (
        "concertation_des_concertations",
        "read only when a territorial table exists (integration.territorial_table)"),
    "process.project_cost": (
        "co_construction",
        ("baseline's funded tables give development about 1% of their time, so project means "
         "have nothing to speed up (docs/ODD.md 14.2)")),
    f"funders.{FUNDER}.exit_year": (
        "funder_exit", "the foundation exits at year 10 there; low/high move the exit"),
}
PLACEBO = "(placebo: other seeds)"
PLACEBO_OFFSETS = (1000, 2000)


@dataclass
class Factor:
    """One parameter to screen: where, at which values, and why there."""

    path: str
    scenario: str
    default: Any
    values: list[Any]
    note: str = ""


@dataclass
class RunResult:
    digest: str
    final: dict[str, float]
    seconds: float = 0.0


# ---- which parameters, at which values --------------------------------------------------


def _numeric_levels(default: float, low: float | None, high: float | None,
                    integer: bool) -> list[Any]:
    """Half and one and a half times the default, inside [low, high]; from zero: a small
    positive value (a fifth of the range when bounded by 1, else 1)."""
    if default == 0:
        candidates = [0.05, 0.2] if high is not None and high <= 1 else [1.0, 2.0]
    else:
        candidates = [0.5 * default, 1.5 * default]
    values = []
    for value in candidates:
        value = min(max(value, low if low is not None else -math.inf),
                    high if high is not None else math.inf)
        value = math.floor(value + 0.5) if integer else round(float(value), 6)
        if integer and low is not None:
            value = max(value, math.ceil(low))
        if value != default and value not in values:
            values.append(value)
    return values


def _levels(default: Any, low: float | None, high: float | None,
            choices: tuple | None) -> list[Any]:
    if choices:
        return [choice for choice in choices if choice != default]
    if isinstance(default, bool):
        return [not default]
    if isinstance(default, int | float):
        return _numeric_levels(default, low, high, isinstance(default, int))
    return []


def _funder_bounds(name: str) -> tuple[float | None, float | None, tuple | None]:
    info = FunderParams.model_fields[name]
    choices = getattr(info.annotation, "__args__", None) if "Literal" in str(
        info.annotation) else None
    low = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)
    return low, None, choices


def _scenario_data(name: str) -> dict[str, Any]:
    """The raw data of a shipped scenario (or TOML path), as `load_scenario` reads it: fields
    it does not set stay unset, so presets such as `process.favourable_conditions` apply."""
    path = resolve_scenario_path(name)
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    data.setdefault("name", path.stem)
    return data


def _funder_default(scenario: str, field_name: str) -> Any:
    funders = validate_data(_scenario_data(scenario), scenario).funders
    funder = next((f for f in funders if f.name == FUNDER), None)
    if funder is None:
        raise ScenarioError(f"scenario {scenario!r} has no funder {FUNDER!r}")
    return getattr(funder, field_name)


def all_factors() -> list[Factor]:
    """Every screened parameter, with its scenario and the values tried."""
    factors = []
    for path, default in Scenario().flat().items():
        if path in EXCLUDED or path.startswith(EXCLUDED_PREFIXES) or "." not in path:
            continue
        scenario, note = CHOICES.get(path, ("baseline", ""))
        scenario_default = validate_data(_scenario_data(scenario), scenario).flat()[path]
        values = (UNSET_LEVELS[path] if scenario_default is None and path in UNSET_LEVELS
                  else _levels(scenario_default, *_range(path)))
        if values:
            factors.append(Factor(path, scenario, scenario_default, values, note))
    for name in FunderParams.model_fields:
        if name in FUNDER_EXCLUDED:
            continue
        path = f"funders.{FUNDER}.{name}"
        scenario, note = CHOICES.get(path, ("baseline", ""))
        default = _funder_default(scenario, name)
        if name in FUNDER_LEVELS and not default:  # unset (None) or zero
            values = FUNDER_LEVELS[name]
        else:
            values = _levels(default, *_funder_bounds(name))
        factors.append(Factor(path, scenario, default, values, note))
    return factors


def select(only: Iterable[str] | None = None) -> list[Factor]:
    """The factors named in `only` (all when None); an unknown name is an error that lists
    the closest screened names."""
    factors = all_factors()
    if only is None:
        return factors
    by_path = {factor.path: factor for factor in factors}
    chosen = []
    for name in only:
        if name not in by_path:
            close = difflib.get_close_matches(name, list(by_path), n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise ScenarioError(
                f"Unknown OFAT parameter {name!r}: expected a dotted path of the scenario "
                f"schema such as 'participation.weight_time', or "
                f"'funders.{FUNDER}.<field>'{hint}")
        chosen.append(by_path[name])
    return chosen


# ---- running ------------------------------------------------------------------------------


def build_scenario(name: str, overrides: dict[str, Any], years: int | None) -> Scenario:
    """`name` with dotted overrides (as `ConcertationModel(name, **overrides)` applies them)
    and `funders.<funder>.<field>` overrides, validated."""
    data = _scenario_data(name)
    plain = {k: v for k, v in overrides.items() if not k.startswith("funders.")}
    if years is not None:
        plain["run.years"] = years
    data = apply_overrides(data, plain)
    funder_overrides = {k: v for k, v in overrides.items() if k.startswith("funders.")}
    if funder_overrides:
        if "funders" not in data:
            data["funders"] = [f.model_dump() for f in Scenario().funders]
        for key, value in funder_overrides.items():
            _, funder_name, field_name = key.split(".")
            entry = next((f for f in data["funders"] if f["name"] == funder_name), None)
            if entry is None:
                raise ScenarioError(f"scenario {name!r} has no funder {funder_name!r}")
            entry[field_name] = value
    return validate_data(data, f"{name} with {overrides}")


def frame_digest(frame: pd.DataFrame) -> str:
    """A hash of every value of the frame, in order: equal digests mean identical runs."""
    digest = hashlib.sha256(",".join(frame.columns).encode())
    digest.update(np.ascontiguousarray(frame.to_numpy(dtype=np.float64)).tobytes())
    return digest.hexdigest()


def run_once(scenario: str, overrides: dict[str, Any], seed: int,
             years: int | None) -> RunResult:
    started = time.perf_counter()
    model = ConcertationModel(build_scenario(scenario, overrides, years), rng=seed).run()
    frame = model.model_frame()
    final = frame.iloc[-1]
    return RunResult(frame_digest(frame), {name: float(final[name]) for name in INDICATORS},
                     time.perf_counter() - started)


@dataclass
class Runner:
    """Runs models once each: keyed by (scenario, overrides, seed, years)."""

    years: int | None = None
    cache: dict[tuple, RunResult] = field(default_factory=dict)
    cache_file: Path | None = None
    computed: int = 0

    def __post_init__(self) -> None:
        if self.cache_file is not None and self.cache_file.exists():
            with self.cache_file.open("rb") as handle:
                stored = pickle.load(handle)
            self.cache.update({key: RunResult(*value) for key, value in stored.items()})

    def key(self, scenario: str, overrides: dict[str, Any], seed: int) -> tuple:
        return scenario, tuple(sorted((k, repr(v)) for k, v in overrides.items())), seed, \
            self.years

    def __call__(self, scenario: str, overrides: dict[str, Any], seed: int) -> RunResult:
        key = self.key(scenario, overrides, seed)
        if key not in self.cache:
            self.cache[key] = run_once(scenario, overrides, seed, self.years)
            self.computed += 1
            self.save()
        return self.cache[key]

    def save(self) -> None:
        if self.cache_file is None:
            return
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.cache_file.with_suffix(".tmp")
        # Plain tuples: the file does not depend on how this module was imported.
        plain = {key: (run.digest, run.final, run.seconds) for key, run in self.cache.items()}
        with temporary.open("wb") as handle:
            pickle.dump(plain, handle)
        temporary.replace(self.cache_file)


def _standardised(variant: list[RunResult], default: list[RunResult],
                  noise: list[RunResult]) -> dict[str, float]:
    """Mean paired difference over seeds, in units of the scenario's seed-to-seed sd (over
    the default runs and, with the placebo, the runs at the other seeds)."""
    out = {}
    for name in INDICATORS:
        base = np.array([run.final[name] for run in default])
        diff = np.array([run.final[name] for run in variant]) - base
        spread = np.array([run.final[name] for run in noise])
        sd = spread.std(ddof=1) if spread.size > 1 else np.nan
        mean = diff.mean()
        if mean == 0:
            out[name] = 0.0
        elif sd > 0:
            out[name] = float(mean / sd)
        else:
            out[name] = math.inf if sd == 0 else math.nan
    return out


def _largest(effects: dict[str, float], value: Any, best: tuple) -> tuple:
    for name, effect in effects.items():
        if not math.isnan(effect) and abs(effect) > abs(best[0]):
            best = (effect, name, value)
    return best


def screen(factors: Sequence[Factor], seeds: Sequence[int], runner: Runner,
           placebo: bool = True, progress: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the screen: one summary row per parameter and one detail row per value tried.

    With `placebo`, each scenario's default also runs at the seeds shifted by
    `PLACEBO_OFFSETS`: those runs enter the seed-to-seed sd (a steadier estimate than from
    the screen's few seeds alone), and a placebo row for `baseline` shows the effect noise
    alone gives."""
    scenarios = list(dict.fromkeys([f.scenario for f in factors]
                                   + (["baseline"] if placebo else [])))
    offsets = (0, *PLACEBO_OFFSETS) if placebo else (0,)
    keys = {runner.key(f.scenario, {f.path: v}, seed) for f in factors for v in f.values
            for seed in seeds}
    keys |= {runner.key(name, {}, seed + offset) for name in scenarios for seed in seeds
             for offset in offsets}
    total = len(keys - set(runner.cache))
    started, done = time.perf_counter(), 0

    def run(scenario: str, overrides: dict[str, Any], seed: int) -> RunResult:
        nonlocal done
        before = runner.computed
        result = runner(scenario, overrides, seed)
        done += runner.computed - before
        if progress and runner.computed > before:
            elapsed = time.perf_counter() - started
            eta = elapsed / done * (total - done)
            print(f"\r{done}/{total} runs, {elapsed / 60:.1f} min, ~{eta / 60:.1f} min left",
                  end="", file=sys.stderr, flush=True)
        return result

    noise = {name: [run(name, {}, seed + offset) for offset in offsets for seed in seeds]
             for name in scenarios}
    details, summary = [], []
    for factor in factors:
        default = [run(factor.scenario, {}, seed) for seed in seeds]
        inert = True
        best: tuple = (0.0, "", None)
        for value in factor.values:
            variant = [run(factor.scenario, {factor.path: value}, seed) for seed in seeds]
            identical = all(v.digest == d.digest for v, d in zip(variant, default, strict=True))
            inert &= identical
            effects = _standardised(variant, default, noise[factor.scenario])
            details.append({"parameter": factor.path, "scenario": factor.scenario,
                            "default": repr(factor.default), "value": repr(value),
                            "identical": identical} | effects)
            best = _largest(effects, value, best)
        summary.append({
            "parameter": factor.path, "scenario": factor.scenario,
            "default": repr(factor.default),
            "values": ", ".join(repr(v) for v in factor.values),
            "largest_effect": abs(best[0]), "signed_effect": best[0],
            "indicator": best[1], "at_value": repr(best[2]) if best[1] else "",
            "inert": inert, "note": factor.note})
    if placebo:
        default = [run("baseline", {}, seed) for seed in seeds]
        best = (0.0, "", None)
        for offset in PLACEBO_OFFSETS:
            variant = [run("baseline", {}, seed + offset) for seed in seeds]
            effects = _standardised(variant, default, noise["baseline"])
            details.append({"parameter": PLACEBO, "scenario": "baseline", "default": "",
                            "value": f"seeds+{offset}", "identical": False} | effects)
            best = _largest(effects, f"seeds+{offset}", best)
        summary.append({"parameter": PLACEBO, "scenario": "baseline", "default": "",
                        "values": ", ".join(f"seeds+{o}" for o in PLACEBO_OFFSETS),
                        "largest_effect": abs(best[0]), "signed_effect": best[0],
                        "indicator": best[1], "at_value": best[2], "inert": False,
                        "note": "no parameter changed: what noise alone gives"})
    if progress:
        print(file=sys.stderr)
    return pd.DataFrame(summary), pd.DataFrame(details)


# ---- report -------------------------------------------------------------------------------


def report(summary: pd.DataFrame, seeds: Sequence[int], years: int | None, command: str,
           minutes: float) -> str:
    table = summary.sort_values(["inert", "largest_effect"], ascending=[False, True])
    table = table.assign(
        effect=table["largest_effect"].map(lambda v: f"{v:.2f}"),
        on=[f"{i} (at {v})" if i else "-" for i, v in zip(table["indicator"],
                                                           table["at_value"], strict=True)],
        inert=table["inert"].map({True: "**yes**", False: "no"}),
    )
    table = table[["parameter", "scenario", "default", "values", "effect", "on", "inert"]]
    table.columns = ["parameter", "scenario used", "default", "values tried",
                     "largest standardised effect", "on indicator", "inert"]
    real = summary[summary["parameter"] != PLACEBO]
    placebo = summary.loc[summary["parameter"] == PLACEBO, "largest_effect"]
    inert = real[real["inert"]]
    nearly = real[~real["inert"] & (real["largest_effect"] < NEARLY_INERT)]
    below = real[~real["inert"] & (real["largest_effect"] <= (
        placebo.iloc[0] if len(placebo) else 0))]
    notes = real.loc[real["note"] != "", ["parameter", "scenario", "note"]]
    lines = [
        "# One factor at a time: does every parameter matter?",
        "",
        (f"Produced by `{command}` on {dt.date.today().isoformat()} in {minutes:.0f} minutes "
        f"(one process, 2-core machine shared with other work). Seeds: "
        f"{', '.join(map(str, seeds))} (the same for the default and every variant); "
        f"horizon: {f'{years} years' if years else 'each scenario' + chr(39) + 's own (20 years)'}"
        f" after the scenario's spin-up. Code: `analyses/sensitivity/ofat.py`; the per-value "
        "effects on every indicator are in the CSV beside this file."),
        "",
        ("Each parameter is run at a low and a high value (half and one and a half times its "
        "default, clipped to the schema's bounds; booleans flipped; enums: every alternative; "
        "unset or zero defaults: a sensible value), the others at the scenario's values. "
        "**Standardised effect** = mean over seeds of (final value - default run's final "
        "value) / seed-to-seed sd of the scenario's final value (over the default seeds and "
        "the placebo's seeds); the largest over the "
        f"indicators ({', '.join(INDICATORS)}) and the values tried. **Inert** = every "
        "seed's full `model_frame()` (all indicators, every month) is bit-identical to the "
        "default run at every value tried."),
        "",
        ("The model is chaotic: one different draw decorrelates a run, so a parameter that "
        "changes anything shows noise-sized effects. The placebo row (the default scenario "
        "with other seeds, no parameter changed) shows that noise level: an effect at or "
        "below it is not distinguishable from none with these seeds."),
        "",
        f"## Summary ({len(real)} parameters)",
        "",
        f"- Inert (bit-identical): {len(inert)}"
        + (": " + ", ".join(f"`{p}`" for p in inert["parameter"]) if len(inert) else ""),
        f"- Nearly inert (largest effect < {NEARLY_INERT}): {len(nearly)}"
        + (": " + ", ".join(f"`{p}`" for p in nearly["parameter"]) if len(nearly) else ""),
        f"- Not inert but no larger than the placebo ({placebo.iloc[0]:.2f}): {len(below)}"
        + (": " + ", ".join(f"`{p}`" for p in below["parameter"]) if len(below) else "")
        if len(placebo) else "",
        "",
        "## Scenario choices",
        "",
        ("Every parameter is screened in `baseline` (where programmes launch, organisers work "
        "and agreements exist) except those whose mechanism is off there:"),
        "",
        markdown_table(notes, index=False) if len(notes) else "(none)",
        "",
        (f"Funder fields are screened on the `{FUNDER}` funder (`funders.{FUNDER}.<field>`); "
        "its `themes` (a list) and `programme` (per-funder design overrides, screened as "
        "`programmes.design.*`) are not. Excluded as not model behaviour: `run.*`, "
        "`population.themes`, names and descriptions."),
        "",
        "## All parameters (inert first, then by effect)",
        "",
        markdown_table(table, index=False),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="seeds 1..N (default 3)")
    parser.add_argument("--years", type=int, default=None,
                        help="shorter horizon (default: each scenario's own, 20 years)")
    parser.add_argument("--out", type=Path, default=Path("docs/ofat.md"),
                        help="Markdown report; the CSVs go beside it (default docs/ofat.md)")
    parser.add_argument("--only", nargs="+", default=None, help="screen only these parameters")
    parser.add_argument("--cache", type=Path, default=None,
                        help="pickle file of finished runs, to resume an interrupted screen")
    parser.add_argument("--no-placebo", action="store_true")
    args = parser.parse_args(argv)
    try:
        factors = select(args.only)
    except ScenarioError as exc:
        parser.error(str(exc))
    seeds = list(range(1, args.seeds + 1))
    runner = Runner(years=args.years, cache_file=args.cache)
    started = time.perf_counter()
    try:
        summary, details = screen(factors, seeds, runner, placebo=not args.no_placebo,
                                  progress=True)
    finally:
        runner.save()
    minutes = (time.perf_counter() - started) / 60
    command = "python -m analyses.sensitivity.ofat " + " ".join(
        sys.argv[1:] if argv is None else argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    summary.to_csv(args.out.with_suffix(".csv"), index=False)
    details.to_csv(args.out.with_name(args.out.stem + "_values.csv"), index=False)
    args.out.write_text(report(summary, seeds, args.years, command.strip(), minutes),
                        encoding="utf-8")
    print(f"wrote {args.out}, {args.out.with_suffix('.csv')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
