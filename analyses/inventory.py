"""A planner's inventory of the concertation tables of their territory, as a CSV file.

`concertation scenario inventory-template` writes a documented template;
`concertation scenario new NAME --from BASE --inventory TABLES.csv` reads it into the scenario's
`initial.tables` (simulation/inventory.py places them when the run starts). Every bad cell is
reported with the file, the line, the column and what was expected, and nothing is written.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from simulation import Scenario
from simulation.scenario import (
    WORDS_ONLY,
    InventoryTable,
    ScenarioError,
    inventory_problems,
)

MAX_ROWS = 1000
INITIATORS = get_args(InventoryTable.model_fields["initiated_by"].annotation)
# Who initiated a table, as a French inventory says it.
INITIATOR_WORDS = {"communaute": "community", "communautaire": "community", "milieu": "community",
                   "institutionnel": "institution", "institutionnelle": "institution"}
BOOLEAN_WORDS = {"": False, "no": False, "non": False, "false": False, "0": False,
                 "yes": True, "oui": True, "true": True, "1": True}


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    meaning: str
    french: str  # the header a planner in Quebec writes; read as well as `name`


COLUMNS = (
    Column("name", True, "the table's name, as the territory knows it (unique)", "nom"),
    Column("theme", True, "its theme, one of the scenario's themes (listed below)", "thème"),
    Column("year_created", True, "the year it was created (up to the run's start year)",
           "année_création"),
    Column("initiated_by", True, "who initiated it: community, institution or programme",
           "initiée_par"),
    Column("funder", False, "the funder that pays for it now, one of the scenario's funders "
                            "(listed below); empty if none. A table initiated by a programme "
                            "needs one", "bailleur"),
    Column("community_groups", True, "number of member community groups",
           "groupes_communautaires"),
    Column("institutions", True, "number of member institutions (health centre, city, school "
                                 "board...)", "institutions"),
    Column("citizens", False, "number of citizens who sit as such (empty = 0)", "citoyens"),
    Column("meeting_hours", False, "hours per month a member gives to the table (empty = the "
                                   "scenario's default for its kind of table)", "heures_réunion"),
    Column("territorial", False, "yes for the territory-wide table that links the others "
                                 "(at most one), empty or no otherwise", "territoriale"),
)
COUNT_COLUMNS = ("community_groups", "institutions", "citizens")
EXAMPLE_ROWS = (
    ("Table jeunesse famille", "childhood_youth_family", "1994", "community", "", "9", "3",
     "0", "", ""),
    ("Comité santé de proximité", "health", "1999", "programme", "ministry", "5", "4", "0", "5",
     ""),
    ("Table de quartier", "housing", "1997", "community", "", "12", "4", "3", "", "yes"),
)


def inventory_template(base: Scenario) -> str:
    """A CSV template: documentation lines (starting with #), the header, three examples."""
    lines = ["# Inventory of the concertation tables of a territory, one row per table.",
             ("# Lines starting with # are ignored. Columns (the French name in brackets is "
              "read too):")]
    lines += [f"#   {column.name} [{column.french}]{'' if column.required else ' (optional)'}: "
              f"{column.meaning}" for column in COLUMNS]
    lines += [f"# Themes of '{base.name}': {', '.join(base.population.themes)}",
              f"# Funders of '{base.name}': {', '.join(f.name for f in base.funders)}",
              (f"# Its territory has {base.population.community_groups} community groups, "
               f"{base.population.institutions} institutions and {base.population.citizens} "
               "citizens; members are drawn among them to match the counts."),
              "# Then: concertation scenario new NAME --from BASE --inventory THIS_FILE.csv"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.name for column in COLUMNS])
    writer.writerows(EXAMPLE_ROWS)
    return "\n".join(lines) + "\n" + buffer.getvalue()


# The first bytes of an Excel workbook (.xlsx is a zip; .xls an OLE file) renamed .csv.
WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def _decode(path: Path) -> str:
    """The CSV's text: UTF-8 (with or without BOM), else Windows-1252, what Excel in French
    writes by default on Windows ("CSV (séparateur : point-virgule)")."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"Cannot read inventory {path}: {exc.strerror}.") from None
    if raw.startswith(WORKBOOK_MAGIC):
        raise ScenarioError(f"Invalid inventory {path}: this is an Excel workbook, not a CSV; "
                            f"in Excel choose File > Save As > 'CSV UTF-8' (or 'CSV "
                            f"(séparateur : point-virgule)') and give that file.")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw:
        raise ScenarioError(f"Invalid inventory {path}: not a text file (it holds NUL bytes); "
                            f"save the CSV as 'CSV UTF-8'.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        start = utf8_error.start
        line = raw[:start].count(b"\n") + 1
        column = start - (raw.rfind(b"\n", 0, start) + 1) + 1
        raise ScenarioError(f"Invalid inventory {path}, line {line}, character {column}: not "
                            f"text (byte 0x{raw[start]:02x}) in UTF-8 or Windows-1252; save "
                            f"the CSV as 'CSV UTF-8'.") from None


Rows = list[tuple[int, list[str]]]


def _rows(path: Path, text: str) -> tuple[tuple[int, list[str]], Rows]:
    """The header and the data rows with their line numbers (the delimiter is `;` when the
    header has more of them than commas: a spreadsheet in French writes `;`)."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise ScenarioError(f"Invalid inventory {path}: no header line; expected the columns "
                            f"{', '.join(c.name for c in COLUMNS)}.")
    header_line = lines[0][1]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    rows = []
    for number, line in lines:
        cells = next(csv.reader([line], delimiter=delimiter))
        rows.append((number, [cell.strip() for cell in cells]))
    (line, header), data = rows[0], rows[1:]
    return (line, [column_name(name) for name in header]), data


def plain(text: str) -> str:
    """Lower case, without accents, words joined by `_`: "Année création" is "annee_creation"."""
    letters = unicodedata.normalize("NFKD", text.strip().lower())
    letters = "".join(char for char in letters if not unicodedata.combining(char))
    return re.sub(r"[\s'’-]+", "_", letters)


# Every spelling a header may take, in English or in French, to the column it names.
COLUMN_NAMES = ({plain(column.name): column.name for column in COLUMNS}
                | {plain(column.french): column.name for column in COLUMNS})


def column_name(header: str) -> str:
    """The column a header names; an unknown header stays as written (lower case)."""
    return COLUMN_NAMES.get(plain(header), header.lower())


def _check_header(path: Path, line: int, header: list[str]) -> None:
    known = {column.name for column in COLUMNS}
    french = ", ".join(column.french for column in COLUMNS)
    problems = [f"unknown column '{name}' (misspelt? in French the columns are {french})"
                for name in header if name not in known]
    problems += [f"column '{name}' appears twice" for name in sorted(set(header))
                 if header.count(name) > 1]
    problems += [f"missing column '{column.name}' ({column.meaning})" for column in COLUMNS
                 if column.required and column.name not in header]
    if problems:
        raise ScenarioError(f"Invalid inventory {path}, header (line {line}):\n  "
                            + "\n  ".join(problems))


def _number(text: str) -> float:
    """A decimal comma is read as a point, whatever the delimiter (a quoted "4,5")."""
    return float(text.replace(",", ".") if text.count(",") == 1 else text)


def _cell(column: str, text: str) -> tuple[Any, str | None]:
    """A cell's value, or the expectation it fails."""
    if column in COUNT_COLUMNS or column == "year_created":
        if not text:
            return (0, None) if column == "citizens" else (None, "expected a whole number")
        if not text.isdigit():
            return None, "expected a whole number (0, 1, 2...)"
        return int(text), None
    if column == "meeting_hours":
        if not text:
            return None, None
        try:
            value = _number(text)
        except ValueError:
            return None, "expected a number of hours per month, or empty"
        return value, None
    if column == "territorial":
        if text.lower() not in BOOLEAN_WORDS:
            return None, "expected yes or no (or empty)"
        return BOOLEAN_WORDS[text.lower()], None
    if column == "initiated_by":
        word = INITIATOR_WORDS.get(plain(text), plain(text))
        if word not in INITIATORS:
            return None, f"expected one of {', '.join(INITIATORS)}"
        return word, None
    if column == "funder":
        return (text or None), None
    return text, None


def _row_table(where: str, header: list[str],
               cells: list[str]) -> tuple[InventoryTable | None, list[str]]:
    """One row's table, or what is wrong with its cells."""
    if len(cells) != len(header):
        return None, [(f"{where}: {len(cells)} cells, expected {len(header)} (one per "
                       "column of the header)")]
    values: dict[str, Any] = {}
    errors = []
    for column, text in zip(header, cells, strict=True):
        value, expected = _cell(column, text)
        if expected:
            errors.append(f"{where}, column '{column}': {expected}, got {text!r}")
        elif value is not None:
            values[column] = value
    if errors:
        return None, errors
    try:
        return InventoryTable(**values), []
    except ValidationError as exc:
        return None, [f"{where}, column '{error['loc'][0]}': {error['msg']} "
                      f"(got {values.get(error['loc'][0])!r})" for error in exc.errors()]


def read_inventory(path: Path, base: Scenario) -> list[InventoryTable]:
    """The inventory's tables, checked against the base scenario; a ScenarioError listing
    every bad cell otherwise."""
    (line, header), data = _rows(path, _decode(path))
    _check_header(path, line, header)
    if not data:
        raise ScenarioError(f"Invalid inventory {path}: no table rows under the header.")
    if len(data) > MAX_ROWS:
        raise ScenarioError(f"Invalid inventory {path}: {len(data)} rows; at most {MAX_ROWS}.")
    population = base.population
    available = {"community_groups": population.community_groups,
                 "institutions": population.institutions, "citizens": population.citizens}
    funders = [funder.name for funder in base.funders]
    spelling = {name.casefold(): name for name in [*population.themes, *funders]}
    errors: list[str] = []
    tables: list[InventoryTable] = []
    first_line: dict[str, int] = {}
    territorial_line: int | None = None
    for number, cells in data:
        where = f"{path}, line {number}"
        table, problems = _row_table(where, header, cells)
        errors += problems
        raw = dict(zip(header, cells, strict=False))
        # Names and the territorial flag are checked even on a row with other problems, so
        # every problem of the file is told at once.
        known_as = " ".join(raw.get("name", "").split()).casefold()
        if known_as and known_as in first_line:
            errors.append(f"{where}, column 'name': expected a name not used before, got "
                          f"{raw['name']!r} (also on line {first_line[known_as]}; names are "
                          f"compared without case and extra spaces)")
        elif known_as:
            first_line[known_as] = number
        if BOOLEAN_WORDS.get(raw.get("territorial", "").lower()):
            if territorial_line is not None:
                errors.append(f"{where}, column 'territorial': expected one territorial table "
                              f"at most, line {territorial_line} already is")
            else:
                territorial_line = number
        if table is None:
            continue
        table = table.model_copy(update={
            "theme": spelling.get(table.theme.casefold(), table.theme),
            "funder": table.funder and spelling.get(table.funder.casefold(), table.funder)})
        found = inventory_problems(table, population.themes, funders, available,
                                   base.run.start_year)
        errors += [f"{where}, column '{field}': {message}" for field, message in found]
        tables.append(table)
    if errors:
        raise ScenarioError(f"Invalid inventory {path} ({len(errors)} problem(s); nothing "
                            "written):\n  " + "\n  ".join(errors))
    return tables


def inventory_scenario(base: Scenario, tables: list[InventoryTable], name: str,
                       source: str = "the inventory") -> Scenario:
    """The base scenario starting from the inventory's tables instead of a spin-up; its
    descriptions say so, in both languages."""
    data = base.explicit()
    data["name"] = name
    data.setdefault("initial", {}).update(
        spinup_years=0, tables=[table.model_dump() for table in tables])
    if any(table.territorial for table in tables):
        data.setdefault("integration", {})["territorial_table"] = True
    start = base.run.start_year
    data["description"] = (f"Starts in {start} from the {len(tables)} tables listed in "
                           f"{source}, then runs as '{base.name}': {base.described('en')}")
    data["description_fr"] = (f"Part en {start} des {len(tables)} tables inscrites dans "
                              f"{source}, puis évolue comme « {base.name} » : "
                              f"{base.described('fr')}")
    return Scenario.model_validate(data)


def inventory_changes(base: Scenario, scenario: Scenario) -> list[str]:
    """The parameters the inventory changed besides its tables and the spin-up, said so that
    a planner knows their scenario differs from its base in them too."""
    before, after = base.flat(), scenario.flat()
    skipped = (*WORDS_ONLY, "initial.")
    reasons = {"integration.territorial_table": "the inventory lists a territorial table"}
    return [f"{path} from {before.get(path)!r} to {value!r} ({reasons.get(path, 'inventory')})"
            for path, value in after.items()
            if not path.startswith(skipped) and before.get(path) != value]
