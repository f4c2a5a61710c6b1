"""Experiment files: what a sweep varies, how it samples, how often it records.

An experiment is data (TOML) validated on load, like a scenario. Every varied parameter must
exist in the scenario schema, and every design point is validated against the schema before
any run starts, so a bad file never leaves half a sweep behind.
"""

from __future__ import annotations

import hashlib
import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from simulation.scenario import ScenarioError, error_item, explain, parameter_paths

# Package data of `scenarios`, so an installed wheel finds them from any folder.
EXPERIMENT_DIR = Path(str(files("scenarios") / "experiments"))


class _Strict(BaseModel):
    """Like a scenario: no coercion between types, no infinities or NaN."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class Range(_Strict):
    """Evenly spaced levels, NetLogo style: first, first+step, ..., last."""

    first: float
    step: float = Field(gt=0)
    last: float

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.last < self.first:
            raise ValueError(f"last ({self.last}) is below first ({self.first})")
        return self

    def levels(self) -> list[float]:
        count = round((self.last - self.first) / self.step) + 1
        return [round(self.first + i * self.step, 12) for i in range(count)]


class Bounds(_Strict):
    """A continuous interval for sampling designs (Latin hypercube, Sobol, Morris)."""

    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Bounds:
        if not self.high > self.low:
            raise ValueError(f"bounds reversed or empty: low {self.low} must be below "
                             f"high {self.high}")
        return self


Levels = list[bool | int | float | str]


def _read_spec(spec: Any) -> Any:
    """Read a table as the one kind its keys name, so a mistake is told in the file's terms,
    not as every member of the union failing."""
    if not isinstance(spec, dict):
        return spec
    kind = (Bounds if set(spec) & {"low", "high"} else
            Range if set(spec) & {"first", "step", "last"} else None)
    if kind is None:
        raise ValueError(f"expected a list of levels, a range {{first, step, last}} or bounds "
                         f"{{low, high}}; got the keys {sorted(spec)}")
    try:
        return kind.model_validate(spec)
    except ValidationError as exc:
        name = "range {first, step, last}" if kind is Range else "bounds {low, high}"
        raise ValueError(f"{name}: " + "; ".join(
            ": ".join(filter(None, error_item(item))) for item in exc.errors())) from None


ParameterSpec = Annotated[Levels | Range | Bounds, BeforeValidator(_read_spec)]


class Design(_Strict):
    kind: Literal["factorial", "lhs", "sobol", "morris"] = "factorial"
    samples: int = Field(16, ge=1, description="LHS points; Sobol base N; Morris trajectories")
    seed: int = 0
    levels: int = Field(4, ge=2, description="Morris grid levels")
    second_order: bool = False


class Row(_Strict):
    """A named, explicit combination of values (a policy variant), not crossed factorially."""

    name: str = Field(min_length=1)
    values: dict[str, Any] = Field(default_factory=dict)


class Record(_Strict):
    """When to record indicators: every step, every N steps, or the final step only."""

    every: int = Field(0, ge=0, description="0 = final step only; 1 = every step")


class Experiment(_Strict):
    name: str = Field(min_length=1)
    description: str = ""
    scenario: str = "baseline"
    years: int | None = Field(None, ge=1)
    replications: int = Field(1, ge=1)
    seed: int = Field(0, ge=0, le=2**32 - 1)
    seed_policy: Literal["common", "independent"] = "common"
    indicators: list[str] | None = None
    record: Record = Field(default_factory=Record)
    design: Design = Field(default_factory=Design)
    parameters: dict[str, ParameterSpec] = Field(default_factory=dict)
    fixed: dict[str, Any] = Field(default_factory=dict)
    rows: list[Row] = Field(default_factory=list)

    @model_validator(mode="after")
    def _coherent(self) -> Experiment:
        known = parameter_paths()
        shared = [("parameters", key) for key in self.parameters] + [
            ("fixed", key) for key in self.fixed]
        scopes = [shared + [(f"rows '{row.name}'", key) for key in row.values]
                  for row in self.rows] or [shared]
        for scope in scopes:
            seen: dict[str, tuple[str, str]] = {}
            for section, key in scope:
                candidates = known.get(key) or known.get(key.replace("__", "."))
                if not candidates:
                    raise ValueError(f"unknown parameter '{key}' (not in the scenario schema)")
                if len(candidates) > 1:
                    raise ValueError(f"ambiguous parameter '{key}': use one of {candidates}")
                first = seen.setdefault(candidates[0], (section, key))
                if first != (section, key):
                    raise ValueError(
                        f"parameter '{candidates[0]}' is named twice, as '{first[1]}' in "
                        f"[{first[0]}] and as '{key}' in [{section}]; name each parameter once")
        sampling = self.design.kind != "factorial"
        for key, spec in self.parameters.items():
            if isinstance(spec, list) and not spec:
                raise ValueError(f"parameter '{key}' lists no values")
            if sampling and not isinstance(spec, Bounds):
                raise ValueError(f"the {self.design.kind} design needs bounds "
                                 f"{{low, high}} for '{key}'")
            if not sampling and isinstance(spec, Bounds):
                raise ValueError(f"the factorial design needs levels (a list or a range "
                                 f"{{first, step, last}}) for '{key}', not bounds")
        if self.design.kind in ("sobol", "morris") and not self.parameters:
            raise ValueError(f"the {self.design.kind} design needs at least one parameter")
        if self.design.kind in ("sobol", "morris") and self.rows:
            raise ValueError(f"named rows cannot be combined with the {self.design.kind} design")
        names = [row.name for row in self.rows]
        if len(set(names)) != len(names):
            raise ValueError(f"row names must be unique, got {names}")
        return self


def resolve_experiment_path(name_or_path: str | Path) -> Path:
    candidate = Path(name_or_path)
    if candidate.is_file():
        return candidate
    if candidate.is_dir():
        raise ScenarioError(f"Experiment file {candidate} is a folder; give an experiment's "
                            f".toml file.")
    shipped = EXPERIMENT_DIR / f"{name_or_path}.toml"
    if candidate.suffix == "" and len(candidate.parts) == 1 and shipped.is_file():
        return shipped
    raise ScenarioError(f"Experiment file {candidate} does not exist (shipped experiments: "
                        f"{sorted(p.stem for p in EXPERIMENT_DIR.glob('*.toml'))}).")


def load_experiment(name_or_path: str | Path) -> tuple[Experiment, Path, str]:
    """Load and validate an experiment; return it with its path and content hash."""
    path = resolve_experiment_path(name_or_path)
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))  # a BOM (Windows editors) is fine
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"Invalid experiment {path}: not valid TOML ({exc}).") from None
    data.setdefault("name", path.stem)
    try:
        experiment = Experiment.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(explain(exc, str(path), "experiment")) from None
    return experiment, path, hashlib.sha256(raw).hexdigest()
