"""The scenario library for planners: check a scenario file, or start a new one from a shipped
scenario as a fully commented copy where every parameter is written out with what it means."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from analyses.inventory import (
    inventory_changes,
    inventory_scenario,
    inventory_template,
    read_inventory,
)
from simulation import Scenario, load_scenario
from simulation.scenario import ScenarioError, available_scenarios

# What a planner needs to know about the levers; the full reference is docs/ODD.md §10.
HELP: dict[str, str] = {
    "run.years": "length of the run in years (one step = one month)",
    "population.territories": "number of territories (regional county municipalities)",
    "population.community_groups": "community groups per territory",
    "population.institutions": "institutions per territory (health centre, city, school board...)",
    "population.citizens": "potential citizen participants per territory",
    "actors.group_time_budget": "hours per month a community group can give to concertation",
    "actors.institution_time_budget": "hours per month an institution can give to concertation",
    "actors.power_imbalance": "0 = institutions no stronger than groups, 1 = full imbalance",
    "actors.institution_mandate_pressure": "top-down pressure on institutions to sit at "
                                           "programme tables",
    "tables.bottom_up_rate": "monthly chance that groups with an unaddressed issue start a table",
    "programmes.design.required_groups": "community groups a programme requires at its table",
    "process.professional_support": "support (facilitation, minutes, research) every table "
                                    "has from its members' own means, 0-1",
    "process.citizen_openness": "openness of local tables to citizens (Arnstein's ladder), 0-1",
    "process.evaluation": "how local tables are evaluated: none, results or process",
    "process.favourable_conditions": "apply the levers of Bourque's eight favourable "
                                     "conditions (simulation.CONDITIONS)",
    "programmes.launch_rate_multiplier": "multiplies every funder's programme launch rate",
    "programmes.design.duration_years": "how long a programme funds its tables",
    "programmes.design.funding_per_table": "dollars per year per funded table",
    "programmes.design.coordination_share": "share of the money paying a coordinator's hours",
    "programmes.design.member_grant_share": "share of the money granted to the groups that sit",
    "programmes.design.conditional_funding": "funding conditional on participation "
                                             "(leaving costs the money)",
    "programmes.design.prescription": "how far results are set in advance by the funder, 0-1",
    "programmes.design.evaluation": "results (result indicators) or process indicators",
    "programmes.design.table_mode": "own = each programme creates its table; existing = fund "
                                    "the table already there; pooled = fund the territorial "
                                    "table",
    "programmes.design.citizen_openness": "openness of programme tables to citizens, 0-1",
    "integration.territorial_table": "a territorial table that links the others "
                                     "('concertation des concertations')",
    "integration.merge_rate": "monthly chance of merging two overlapping tables of one theme",
}


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    if value is None:
        raise ValueError("None has no TOML form")
    return repr(value)


def _constraint(model: type[BaseModel], name: str) -> str:
    field = model.model_fields[name]
    bounds = []
    for item in field.metadata:
        for key, symbol in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            if getattr(item, key, None) is not None:
                bounds.append(f"{symbol} {getattr(item, key)}")
    return ", ".join(bounds)


def _section(lines: list[str], title: str, section: BaseModel, prefix: str) -> None:
    scalars = {k: v for k, v in section.model_dump().items()
               if not isinstance(v, dict) and not (isinstance(v, list) and v
                                                   and isinstance(v[0], dict))}
    lines.append(f"\n[{title}]")
    for name, value in scalars.items():
        path = f"{prefix}.{name}"
        notes = [HELP.get(path, ""), _constraint(type(section), name)]
        comment = "; ".join(n for n in notes if n)
        if comment:
            lines.append(f"# {comment}")
        lines.append(f"{name} = {toml_value(value)}")


def commented_copy(scenario: Scenario, name: str, source: str) -> str:
    """Every parameter of `scenario`, written out with a comment; valid TOML that loads back
    to the same scenario under the new name."""
    lines = [
        f"# Scenario '{name}', started from '{source}'. Edit the values, then check it with:",
        f"#     concertation scenario check {name}.toml",
        "# Every parameter is written out; any line removed takes its documented default",
        "# (docs/ODD.md, 'Parameters and defaults').",
        f"name = {toml_value(name)}",
        f"description = {toml_value(scenario.described('en'))}",
        f"description_fr = {toml_value(' '.join(scenario.description_fr.split()))}",
    ]
    for section in ("run", "population", "actors", "participation", "tables", "process",
                    "integration", "initial"):
        _section(lines, section, getattr(scenario, section), section)
    lines.append("\n[programmes]")
    lines.append(f"# {HELP['programmes.launch_rate_multiplier']}")
    lines.append(f"launch_rate_multiplier = {scenario.programmes.launch_rate_multiplier!r}")
    _section(lines, "programmes.design", scenario.programmes.design, "programmes.design")
    lines.append("\n# Funders: each launches programmes at its own rate; 'programme' overrides "
                 "fields of [programmes.design] for that funder only.")
    for funder in scenario.funders:
        lines.append("\n[[funders]]")
        for key, value in funder.model_dump().items():
            if value is None or value == {} and key == "programme":
                continue
            lines.append(f"{key} = {toml_value(value)}")
    _inventory_tables(lines, scenario)
    return "\n".join(lines) + "\n"


def _inventory_tables(lines: list[str], scenario: Scenario) -> None:
    """The inventory's tables, one [[initial.tables]] block each (simulation/inventory.py)."""
    if not scenario.initial.tables:
        return
    lines.append("\n# The tables of the territory's inventory: the run starts from them (members "
                 "drawn to match the counts) instead of a spin-up.")
    for table in scenario.initial.tables:
        lines.append("\n[[initial.tables]]")
        lines += [f"{key} = {toml_value(value)}" for key, value in table.model_dump().items()
                  if value is not None]


def new_scenario(name: str, source: str, folder: Path, force: bool = False,
                 inventory: Path | None = None,
                 start_year: int | None = None) -> tuple[Path, list[str]]:
    """Write NAME.toml: a commented copy of `source` (starting in `start_year` if given),
    starting from the tables of `inventory` (a CSV, analyses/inventory.py) when one is given.
    Returns the path and the parameters the inventory changed besides its tables. Nothing is
    written if anything fails."""
    if not name.replace("_", "").replace("-", "").isalnum():
        raise ScenarioError(f"Scenario name {name!r}: expected letters, digits, '_' or '-'.")
    path = folder / f"{name}.toml"
    if path.exists() and not force:
        raise ScenarioError(f"{path} already exists; choose another name or pass --force.")
    scenario = load_scenario(source, None if start_year is None else
                             {"run.start_year": start_year})
    changes: list[str] = []
    if inventory is not None:
        base = scenario
        scenario = inventory_scenario(base, read_inventory(inventory, base), name,
                                      inventory.name)
        changes = inventory_changes(base, scenario)
    text = commented_copy(scenario, name, source)
    write_text_file(path, text)
    return path, changes


def write_inventory_template(path: Path, source: str, force: bool = False) -> Path:
    """Write a documented inventory CSV whose comments list `source`'s themes and funders."""
    if path.exists() and not force:
        raise ScenarioError(f"{path} already exists; choose another name or pass --force.")
    write_text_file(path, inventory_template(load_scenario(source)))
    return path


def write_text_file(path: Path, text: str) -> None:
    """Replace `path` whole, never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def check(reference: str) -> tuple[Scenario, str]:
    """Validate a scenario file or shipped name; return it and a one-line description."""
    scenario = load_scenario(reference)
    shipped = reference in available_scenarios()
    kind = "shipped scenario" if shipped else "scenario file"
    return scenario, (f"{kind} {reference} is valid: '{scenario.name}', {scenario.run.years} "
                      f"years, {scenario.population.territories} territory(ies), "
                      f"{len(scenario.funders)} funder(s)"
                      + (f", starting from an inventory of {len(scenario.initial.tables)} "
                         "table(s)" if scenario.initial.tables else ""))
