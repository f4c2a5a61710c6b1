"""Scenario schema: every parameter of the model, validated on load.

A scenario is data (TOML), never code. Each section of the file is one group of
parameters below; unknown keys, wrong types and out-of-range values are refused
with an error that names the file, the field and what was expected.
Where each default comes from (theory, data, assumption) is documented in docs/ODD.md.
"""

from __future__ import annotations

import copy
import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .conditions import favourable_overrides
from .limits import check_run_size

# Package data of `scenarios`, so an installed wheel finds them from any folder.
SCENARIO_DIR = Path(str(files("scenarios")))

THEMES_DEFAULT = [
    "childhood_youth_family",
    "health",
    "seniors",
    "housing",
    "employment",
    "food_security",
    "education",
    "environment",
]

class ScenarioError(ValueError):
    """A scenario that cannot be used; the message is meant for a person, not a traceback."""


# Larger than any count, amount (dollars) or rate a territory can have.
MAX_MAGNITUDE = 1e12
# The fields of a scenario that only describe it: editing them changes no run.
WORDS_ONLY = frozenset({"name", "description", "description_fr"})


class _Section(BaseModel):
    """Strict: a string, a bool or a float is never taken for a number of another type
    (`"150"`, `true`, `2.5` for a count), and infinities and NaN are refused."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, strict=True,
                              allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _meaningful_magnitude(cls, value: Any) -> Any:
        """A number beyond any meaning here (1e308 passes as finite) would overflow the
        model's arithmetic into NaN or an error deep in a run; refuse it on load."""
        if isinstance(value, float) and abs(value) > MAX_MAGNITUDE:
            raise ValueError(f"at most {MAX_MAGNITUDE:.0e} in size")
        return value


class RunParams(_Section):
    years: int = Field(20, ge=1, le=200)
    start_year: int = 2000
    agent_data_every: int = Field(12, ge=0, description="steps between agent records; 0 = end only")


class PopulationParams(_Section):
    territories: int = Field(1, ge=1, le=1000)
    community_groups: int = Field(150, ge=1)
    institutions: int = Field(25, ge=1)
    citizens: int = Field(150, ge=0)
    themes: list[str] = Field(default_factory=lambda: list(THEMES_DEFAULT), min_length=1)


class ActorParams(_Section):
    group_time_budget: float = Field(10.0, gt=0)
    institution_time_budget: float = Field(60.0, gt=0)
    funder_agent_time_budget: float = Field(30.0, gt=0)
    citizen_time_budget: float = Field(4.0, gt=0)
    budget_spread: float = Field(0.5, ge=0, le=2)
    group_power: float = Field(0.2, gt=0, le=1)
    institution_power: float = Field(0.8, gt=0, le=1)
    funder_agent_power: float = Field(0.9, gt=0, le=1)
    citizen_power: float = Field(0.05, gt=0, le=1)
    power_imbalance: float = Field(1.0, ge=0, le=1)
    group_compromise: float = Field(0.6, ge=0, le=1)
    institution_compromise: float = Field(0.3, ge=0, le=1)
    institution_mandate_pressure: float = Field(0.6, ge=0)
    group_core_income: float = Field(150000.0, gt=0)
    staff_hourly_cost: float = Field(30.0, gt=0)
    group_work_hours: float = Field(140.0, gt=0)
    strain_rate: float = Field(0.1, ge=0, le=1)
    drift_rate: float = Field(0.02, ge=0, le=1)
    drift_income_loss: float = Field(0.5, ge=0, le=1)
    autonomy_erosion_rate: float = Field(0.02, ge=0, le=1)
    mission_wander: float = Field(0.01, ge=0, le=1)


class ParticipationParams(_Section):
    weight_information: float = Field(0.4, ge=0)
    weight_influence: float = Field(0.6, ge=0)
    weight_funding: float = Field(0.5, ge=0)
    weight_fit: float = Field(1.0, ge=0)
    weight_legitimacy: float = Field(0.6, ge=0)
    weight_ownership: float = Field(1.5, ge=0)
    weight_time: float = Field(4.0, ge=0)
    conditional_funding_penalty: float = Field(0.8, ge=0)
    partnership_obligation: float = Field(0.5, ge=0)
    information_scale: float = Field(8.0, gt=0)
    redundancy: float = Field(0.3, ge=0, le=1)
    fit_width: float = Field(0.35, gt=0)
    decision_noise: float = Field(0.25, gt=0)
    reconsider_rate: float = Field(0.1, ge=0, le=1)
    representative_turnover: float = Field(0.02, ge=0, le=1)
    invitation_rate: float = Field(0.02, ge=0, le=1)
    recruitment_rate: float = Field(0.3, ge=0, le=1)
    network_recruitment: float = Field(1.0, ge=0)
    inertia: float = Field(0.2, ge=0)
    delegate_load_share: float = Field(0.5, ge=0, le=1)
    delegate_authority: float = Field(0.4, ge=0, le=1)


class TableParams(_Section):
    meeting_hours: float = Field(3.0, gt=0)
    programme_meeting_hours: float = Field(5.0, gt=0)
    min_members: int = Field(4, ge=2)
    convening_hours: float = Field(8.0, ge=0)
    forming_months: int = Field(6, ge=1)
    dormant_after_months: int = Field(3, ge=1)
    dissolve_after_dormant_months: int = Field(6, ge=1)
    bottom_up_rate: float = Field(0.3, ge=0, le=1)
    institution_initiative_rate: float = Field(0.012, ge=0, le=1)


class ProcessParams(_Section):
    trust_rate: float = Field(0.06, ge=0, le=1)
    understanding_rate: float = Field(0.05, ge=0, le=1)
    commitment_rate: float = Field(0.04, ge=0, le=1)
    appropriation_rate: float = Field(0.05, ge=0, le=1)
    instrumentalisation_rate: float = Field(0.1, ge=0, le=1)
    agenda_rate: float = Field(0.08, ge=0, le=1)
    project_rate: float = Field(0.05, ge=0, le=1)
    project_cost: float = Field(20000.0, gt=0)
    partnership_share: float = Field(0.5, ge=0, le=1)
    partnership_months: int = Field(24, ge=1)
    professional_support: float = Field(0.1, ge=0, le=1)
    support_hours_full: float = Field(40.0, gt=0)
    support_time_relief: float = Field(0.4, ge=0, le=1)
    leadership_quality: float = Field(0.5, ge=0, le=1)
    citizen_openness: float = Field(0.2, ge=0, le=1)
    evaluation: Literal["results", "process", "none"] = "none"
    evaluation_months: int = Field(12, ge=1)
    evaluation_correction: float = Field(0.5, ge=0, le=1)
    reporting_hours_per_10k: float = Field(4.0, ge=0)
    combination: Literal["limiting", "compensatory"] = "compensatory"
    bargaining: Literal["at_funding", "by_voice"] = "at_funding"
    favourable_conditions: bool = False


class ProgrammeDesign(_Section):
    """How a funder's programmes are built; a funder may override any field."""

    duration_years: float = Field(5.0, gt=0)
    funding_per_table: float = Field(40000.0, ge=0)
    coordination_share: float = Field(0.4, ge=0, le=1)
    member_grant_share: float = Field(0.3, ge=0, le=1)
    conditional_funding: bool = True
    prescription: float = Field(0.6, ge=0, le=1)
    evaluation: Literal["results", "process", "none"] = "results"
    table_mode: Literal["own", "existing", "pooled"] = "own"
    citizen_openness: float = Field(0.2, ge=0, le=1)
    initiator: Literal["funder", "institution"] = "funder"
    required_sectors: int = Field(4, ge=1)
    required_institutions: int = Field(2, ge=0)
    required_groups: int = Field(4, ge=0)

    @model_validator(mode="after")
    def _shares(self) -> ProgrammeDesign:
        if self.coordination_share + self.member_grant_share > 1 + 1e-9:
            raise ValueError("coordination_share + member_grant_share must be at most 1 "
                             "(the rest pays for projects)")
        return self


class FunderParams(_Section):
    name: str = Field(min_length=1)
    launch_rate_per_year: float = Field(0.5, ge=0, le=100)
    budget_per_year: float | None = Field(None, ge=0)
    first_year: float = Field(0.0, ge=0)
    last_launch_year: float | None = Field(None, ge=0)
    exit_year: float | None = Field(None, ge=0)
    themes: list[str] | None = None
    programme: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _programme_fields_known(self) -> FunderParams:
        unknown = sorted(set(self.programme) - set(ProgrammeDesign.model_fields))
        if unknown:
            raise ValueError(
                f"unknown programme field(s) {unknown}; expected some of "
                f"{sorted(ProgrammeDesign.model_fields)}"
            )
        return self


class ProgrammeParams(_Section):
    launch_rate_multiplier: float = Field(1.0, ge=0, le=100)
    # No funder launches a programme after this year (each funder's own last year still holds):
    # "what if programmes stop coming?" for planners, and P2's response for validation.
    last_launch_year: float | None = Field(None, ge=0)
    coordination: float = Field(0.0, ge=0, le=1)
    separate_roles: bool = False
    design: ProgrammeDesign = Field(default_factory=ProgrammeDesign)


class IntegrationParams(_Section):
    link_rate: float = Field(0.0005, ge=0, le=1)
    link_decay: float = Field(0.05, ge=0, le=1)
    link_information: float = Field(0.5, ge=0, le=1)
    territorial_table: bool = False
    merge_rate: float = Field(0.0, ge=0, le=1)
    merge_overlap: float = Field(0.5, ge=0, le=1)
    territorial_link_bonus: float = Field(0.2, ge=0, le=1)


class OrganiserParams(_Section):
    """Community organisers of the health and social services centre, and its service
    agreements with community groups (Bourque 2007)."""

    organisers: int = Field(3, ge=0)
    organiser_hours: float = Field(60.0, ge=0)
    allegiance: float = Field(0.5, ge=0, le=1)
    initiative_rate: float = Field(0.01, ge=0, le=1)
    agreement_share: float = Field(0.2, ge=0, le=1)
    agreement_income: float = Field(40000.0, ge=0)
    agreement_mode: Literal["concertation", "administration"] = "concertation"


class InventoryTable(_Section):
    """A table that already exists when the run starts, as a planner's inventory lists it
    (analyses/inventory.py reads the CSV). Its members are drawn to match the counts."""

    name: str = Field(min_length=1, max_length=200)
    theme: str
    year_created: int = Field(ge=1900)
    initiated_by: Literal["community", "institution", "programme"]
    funder: str | None = None
    community_groups: int = Field(ge=0)
    institutions: int = Field(ge=0)
    citizens: int = Field(0, ge=0)
    meeting_hours: float | None = Field(None, gt=0, le=200)
    territorial: bool = False


class InitialParams(_Section):
    """How the territory looks in `run.start_year`: grown by a spin-up of bottom-up dynamics,
    or taken from an inventory of the tables that exist (then the spin-up is 0)."""

    spinup_years: int = Field(20, ge=0, le=100)
    tables: list[InventoryTable] = Field(default_factory=list)


def _default_funders() -> list[FunderParams]:
    return [
        FunderParams(name="ministry", launch_rate_per_year=0.8,
                     programme={"initiator": "institution"}),
        FunderParams(name="foundation", launch_rate_per_year=0.5),
        FunderParams(name="city", launch_rate_per_year=0.3,
                     programme={"initiator": "institution", "prescription": 0.4}),
    ]


class Scenario(_Section):
    """A validated, complete parameter set."""

    name: str = "custom"
    description: str = ""
    description_fr: str = Field("", description="the description in French, for the report")
    run: RunParams = Field(default_factory=RunParams)
    population: PopulationParams = Field(default_factory=PopulationParams)
    actors: ActorParams = Field(default_factory=ActorParams)
    participation: ParticipationParams = Field(default_factory=ParticipationParams)
    tables: TableParams = Field(default_factory=TableParams)
    process: ProcessParams = Field(default_factory=ProcessParams)
    programmes: ProgrammeParams = Field(default_factory=ProgrammeParams)
    funders: list[FunderParams] = Field(default_factory=_default_funders)
    integration: IntegrationParams = Field(default_factory=IntegrationParams)
    organisers: OrganiserParams = Field(default_factory=OrganiserParams)
    initial: InitialParams = Field(default_factory=InitialParams)

    @model_validator(mode="before")
    @classmethod
    def _favourable_preset(cls, data: Any) -> Any:
        """`process.favourable_conditions = true` applies the eight conditions' levers to every
        field the scenario (or an override) does not set itself."""
        if not isinstance(data, dict):
            return data
        process = data.get("process") or {}
        flag = (process.get("favourable_conditions") if isinstance(process, dict)
                else getattr(process, "favourable_conditions", False))
        if flag is not True:
            return data
        plain = {key: value.model_dump() if isinstance(value, BaseModel) else value
                 for key, value in data.items()}
        unset = {path: value for path, value in favourable_overrides().items()
                 if not _is_set(plain, path)}
        return apply_overrides(plain, unset)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        names = [f.name for f in self.funders]
        if len(set(names)) != len(names):
            raise ValueError(f"funder names must be unique, got {names}")
        themes = self.population.themes
        if len(set(themes)) != len(themes):
            raise ValueError(f"population.themes must be unique, got {themes}")
        population = self.population
        try:
            check_run_size(population.territories, population.community_groups
                           + population.institutions + population.citizens + len(self.funders))
        except ValueError as exc:
            raise ValueError(f"population (territories, community_groups, institutions, "
                             f"citizens): {exc}") from None
        if self.tables.min_members > population.community_groups + population.institutions:
            raise ValueError(
                f"tables.min_members ({self.tables.min_members}) exceeds the organisations of "
                f"the territory ({population.community_groups} groups + "
                f"{population.institutions} institutions): no table could ever meet")
        self._check_inventory()
        for funder in self.funders:
            for theme in funder.themes or []:
                if theme not in themes:
                    raise ValueError(
                        f"funder {funder.name!r} names theme {theme!r}; expected one of {themes}")
            self._check_funder_calendar(funder)
            try:
                design = self.programme_design(funder)
            except ValidationError as exc:
                problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                     for e in exc.errors())
                raise ValueError(f"funder {funder.name!r}: programme {problems}") from None
            if design.required_institutions > population.institutions:
                raise ValueError(
                    f"funder {funder.name!r}: its programmes require "
                    f"{design.required_institutions} institutions per table but the territory "
                    f"has {population.institutions}")
            if design.required_groups > population.community_groups:
                raise ValueError(
                    f"funder {funder.name!r}: its programmes require {design.required_groups} "
                    f"community groups per table but the territory has "
                    f"{population.community_groups}")
        return self

    def _check_inventory(self) -> None:
        """An inventory's tables must fit the territory: known themes and funders, members
        that exist, years before the run starts, and one way to grow the initial tables."""
        tables = self.initial.tables
        if not tables:
            return
        if self.initial.spinup_years:
            raise ValueError("initial.tables lists the tables that exist at the start, so "
                             "initial.spinup_years must be 0 (the inventory replaces the "
                             f"spin-up), got {self.initial.spinup_years}")
        names = [table.name for table in tables]
        if len(set(names)) != len(names):
            raise ValueError(f"initial.tables: table names must be unique, got {names}")
        if sum(table.territorial for table in tables) > 1:
            raise ValueError("initial.tables: at most one territorial table")
        funders = [f.name for f in self.funders]
        population = self.population
        available = {"community_groups": population.community_groups,
                     "institutions": population.institutions, "citizens": population.citizens}
        for index, table in enumerate(tables):
            where = f"initial.tables[{index}] ({table.name!r})"
            problems = inventory_problems(table, population.themes, funders, available,
                                          self.run.start_year)
            if table.territorial and not self.integration.territorial_table:
                problems.append(("territorial", "expected integration.territorial_table = true"))
            if problems:
                raise ValueError("; ".join(f"{where}.{field}: {message}"
                                           for field, message in problems))

    @staticmethod
    def _check_funder_calendar(funder: FunderParams) -> None:
        """A funder that leaves, or stops launching, before it starts is a contradiction."""
        for label, year in (("exit_year", funder.exit_year),
                            ("last_launch_year", funder.last_launch_year)):
            if year is not None and year < funder.first_year:
                raise ValueError(f"funder {funder.name!r}: {label} ({year:g}) is before its "
                                 f"first_year ({funder.first_year:g})")

    def described(self, language: str) -> str:
        """The description in `language` ("en" or "fr"), on one line; English when the
        scenario has no French one."""
        text = self.description_fr if language == "fr" and self.description_fr else (
            self.description)
        return " ".join(text.split())

    def explicit(self) -> dict[str, Any]:
        """The values the scenario sets itself (its file, earlier overrides), not the defaults:
        the base further overrides apply to, so a preset still sees which fields are unset."""
        return self.model_dump(exclude_unset=True)

    def overridden(self, overrides: dict[str, Any], source: str | None = None) -> Scenario:
        """This scenario with overrides applied and validated again."""
        if not overrides:
            return self
        return validate_data(apply_overrides(self.explicit(), overrides),
                             source or f"{self.name} with overrides {overrides}")

    def programme_design(self, funder: FunderParams) -> ProgrammeDesign:
        """The funder's programme design: the scenario default with the funder's overrides."""
        merged = self.programmes.design.model_dump() | funder.programme
        return ProgrammeDesign(**merged)

    def flat(self) -> dict[str, Any]:
        """Scalar parameters as dotted paths, for result files and sweeps."""
        out: dict[str, Any] = {}
        for section, value in self.model_dump(exclude={"funders"}).items():
            if isinstance(value, dict):
                for key, inner in _walk(value, section):
                    out[key] = inner
            else:
                out[section] = value
        return out


INITIATOR_NEEDS = {"community": ("community_groups", "a community group"),
                   "institution": ("institutions", "an institution")}


def inventory_problems(table: InventoryTable, themes: list[str], funders: list[str],
                       available: dict[str, int], start_year: int) -> list[tuple[str, str]]:
    """Every field of one inventory table that contradicts its scenario, with what was
    expected. Shared by the scenario check and the CSV reader (which names row and column)."""
    problems = []
    if table.theme not in themes:
        problems.append(("theme", f"expected one of {themes}, got {table.theme!r}"))
    if table.year_created > start_year:
        problems.append(("year_created", (
            f"expected a year up to the run's start year {start_year} (the tables that exist "
            f"when it starts; to start later, pass --start-year to 'concertation scenario new' "
            f"or set run.start_year), got {table.year_created}")))
    if table.funder is not None and table.funder not in funders:
        problems.append(("funder", (f"expected empty or one of the scenario's funders "
                                   f"{funders}, got {table.funder!r}")))
    if table.initiated_by == "programme" and table.funder is None:
        problems.append(("funder", ("expected the funder that pays for a table initiated by a "
                                   "programme")))
    for column, count in available.items():
        if getattr(table, column) > count:
            problems.append((column, (f"expected at most the territory's {count}, got "
                                     f"{getattr(table, column)}")))
    if table.community_groups + table.institutions == 0:
        problems.append(("community_groups", ("expected at least one member organisation "
                                             "(community_groups + institutions > 0)")))
    elif table.initiated_by in INITIATOR_NEEDS:
        column, initiator = INITIATOR_NEEDS[table.initiated_by]
        if getattr(table, column) == 0:
            problems.append((column, (f"expected at least one for a table {initiator} "
                                     f"initiated")))
    return problems


def _is_set(data: dict[str, Any], path: str) -> bool:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _walk(mapping: dict[str, Any], prefix: str):
    for key, value in mapping.items():
        path = f"{prefix}.{key}"
        if isinstance(value, dict):
            yield from _walk(value, path)
        elif not isinstance(value, list):
            yield path, value


def parameter_paths() -> dict[str, list[str]]:
    """Map each dotted path, and each leaf name, to the dotted path(s) it can mean."""
    paths = list(Scenario.model_construct().flat())  # the schema, whatever the limits
    mapping: dict[str, list[str]] = {path: [path] for path in paths}
    for path in paths:
        leaf = path.rsplit(".", 1)[-1]
        if leaf not in paths:
            mapping.setdefault(leaf, []).append(path)
    return mapping


def error_item(item: Any) -> tuple[str, str]:
    """A pydantic error as (dotted location, what was wrong and what was given)."""
    message = item["msg"].removeprefix("Value error, ")
    if item["type"] == "extra_forbidden":
        message = "unknown field (misspelt?)"
    given = item.get("input")
    shown = "" if isinstance(given, dict | list) else f" (got {given!r})"
    return ".".join(str(part) for part in item["loc"]), message + shown


def explain(error: ValidationError, source: str, kind: str = "scenario") -> str:
    """One line per invalid field: where it is, what was wrong, what was given."""
    lines = [f"Invalid {kind} {source}:"]
    for item in error.errors():
        field, problem = error_item(item)
        # a check across fields has no location: its message names the fields
        lines.append(f"  field '{field}': {problem}" if field else f"  {problem}")
    return "\n".join(lines)


def apply_overrides(data: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of raw scenario data with dotted or leaf-name overrides applied."""
    data = copy.deepcopy(data)
    paths = parameter_paths()
    named: dict[str, str] = {}
    for key, value in overrides.items():
        candidates = paths.get(key) or paths.get(key.replace("__", "."))
        if not candidates:
            raise ScenarioError(
                f"Unknown parameter '{key}': expected a dotted path such as "
                f"'participation.weight_time' or an unambiguous name such as 'weight_time'."
            )
        if len(candidates) > 1:
            raise ScenarioError(
                f"Ambiguous parameter '{key}': use one of {', '.join(candidates)}.")
        path = candidates[0]
        if named.setdefault(path, key) != key:
            raise ScenarioError(f"Parameter '{path}' is set twice, as '{named[path]}' and as "
                                f"'{key}'; set each parameter once.")
        node = data
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return data


def available_scenarios() -> dict[str, Path]:
    """Scenario files shipped in scenarios/, by name."""
    return {path.stem: path for path in sorted(SCENARIO_DIR.glob("*.toml"))}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8-sig"))  # a BOM is fine
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"Invalid scenario {path}: not valid TOML ({exc}).") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"Invalid scenario {path}: not UTF-8 text (byte "
                            f"0x{exc.object[exc.start]:02x} at position {exc.start}); a scenario "
                            f"is a TOML text file saved as UTF-8.") from None
    except OSError as exc:
        raise ScenarioError(f"Cannot read scenario {path}: {exc.strerror}.") from None


def resolve_scenario_path(name_or_path: str | Path) -> Path:
    candidate = Path(name_or_path)
    known = available_scenarios()
    bare_name = candidate.suffix == "" and len(candidate.parts) == 1
    if bare_name and str(name_or_path) in known:
        return known[str(name_or_path)]
    if candidate.is_file():
        return candidate
    if candidate.is_dir():
        raise ScenarioError(f"Scenario file {candidate} is a folder; give a scenario's .toml "
                            f"file or a shipped scenario's name ({', '.join(known)}).")
    if not bare_name:
        raise ScenarioError(f"Scenario file {candidate} does not exist.")
    raise ScenarioError(
        f"Unknown scenario '{name_or_path}': expected one of {sorted(known)} "
        f"or the path of a .toml file."
    )


def validate_data(data: dict[str, Any], source: str) -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(explain(exc, source)) from None


def load_scenario(
    name_or_path: str | Path | None = "baseline", overrides: dict[str, Any] | None = None
) -> Scenario:
    """Load, override and validate a scenario by shipped name or by file path."""
    if name_or_path is None:
        data: dict[str, Any] = {}
        source = "(defaults)"
    else:
        path = resolve_scenario_path(name_or_path)
        data = _read_toml(path)
        source = str(path)
        data.setdefault("name", path.stem)
    if overrides:
        data = apply_overrides(data, overrides)
        source += " with overrides " + ", ".join(f"{k}={v!r}" for k, v in overrides.items())
    return validate_data(data, source)
