"""A planner's inventory of tables: template, scenario, run, and every kind of bad row."""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyses.inventory import COLUMNS, inventory_scenario, read_inventory
from simulation import ConcertationModel, load_scenario
from simulation.categories import ActorType

HEADER = [column.name for column in COLUMNS]
# name, theme, year, initiated_by, funder, groups, institutions, citizens, hours, territorial
TWELVE = [
    ["Table jeunesse famille", "childhood_youth_family", "1994", "community", "", "9", "3",
     "0", "", ""],
    ["Comité santé", "health", "1999", "programme", "ministry", "5", "4", "0", "5", ""],
    ["Table des aînés", "seniors", "1990", "community", "", "6", "2", "4", "", ""],
    ["Table logement", "housing", "1996", "institution", "city", "4", "3", "0", "2.5", ""],
    ["Comité emploi", "employment", "2000", "programme", "foundation", "3", "2", "0", "", ""],
    ["Table sécurité alimentaire", "food_security", "1998", "community", "foundation", "7", "1",
     "2", "", ""],
    ["Réussite éducative", "education", "1997", "institution", "", "3", "5", "0", "", ""],
    ["Comité environnement", "environment", "1993", "community", "", "5", "1", "6", "", ""],
    ["Table petite enfance", "childhood_youth_family", "1999", "programme", "ministry", "6", "2",
     "0", "", ""],
    ["Table de quartier", "housing", "1985", "community", "", "14", "5", "8", "", "yes"],
    ["Comité santé mentale", "health", "1995", "institution", "", "2", "2", "0", "4", ""],
    ["Table transport", "employment", "1992", "community", "", "4", "0", "1", "", "no"],
]


def write_inventory(path: Path, rows: list[list[str]], header: list[str] = HEADER,
                    delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def member_counts(model: ConcertationModel, slot: int) -> tuple[int, int, int]:
    seated = model.store.membership[0, :, slot]
    kinds = model.actors.kind[seated]
    return tuple(int(np.count_nonzero(kinds == kind)) for kind in (
        ActorType.COMMUNITY_GROUP, ActorType.INSTITUTION, ActorType.CITIZEN))


def test_template_lists_the_columns_and_loads_back(cli, tmp_path):
    template = tmp_path / "inventory.csv"
    code, _, err = cli("scenario", "inventory-template", template, "--from", "les_moulins")
    assert code == 0, err
    text = template.read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"#   {column.name}" in text
    les_moulins = load_scenario("les_moulins")
    assert ", ".join(les_moulins.population.themes) in text
    assert ", ".join(f.name for f in les_moulins.funders) in text
    code, _, err = cli("scenario", "new", "mine", "--from", "baseline", "--inventory",
                         template, "--dir", tmp_path)
    assert code == 0, err
    assert len(load_scenario(tmp_path / "mine.toml").initial.tables) == 3
    code, _, err = cli("scenario", "inventory-template", template)
    assert code == 2 and "already exists" in err


def test_twelve_tables_inventory_to_scenario_to_run(cli, tmp_path):
    inventory = write_inventory(tmp_path / "tables.csv", TWELVE)
    code, _, err = cli("scenario", "new", "territoire", "--from", "baseline", "--inventory",
                         inventory, "--dir", tmp_path)
    assert code == 0, err
    path = tmp_path / "territoire.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["initial"]["spinup_years"] == 0 and len(data["initial"]["tables"]) == 12

    model = ConcertationModel(path, rng=11)
    records = model.table_records().set_index("name")
    start = model.params.run.start_year
    for row in TWELVE:
        name, theme, year, initiated_by, funder, groups, institutions, citizens, hours, where = row
        table = records.loc[name]
        territorial = where == "yes"
        assert table["theme"] == ("territorial" if territorial else theme)
        assert table["created_step"] == (int(year) - start) * 12
        assert table["origin"] == {"community": "community", "institution": "institution",
                                   "programme": "programme"}[initiated_by]
        assert table["state"] == "active"
        assert bool(table["funded"]) == bool(funder)
        assert table["creator_funder"] == (funder if initiated_by == "programme" else "")
        slot = model.registry.slot[int(table["table_id"])]
        assert member_counts(model, slot) == (int(groups), int(institutions), int(citizens))
        expected_hours = float(hours) if hours else (
            model.params.tables.programme_meeting_hours if funder and initiated_by == "programme"
            else model.params.tables.meeting_hours)
        assert model.store.hours[0, slot] == pytest.approx(expected_hours)
        assert model.store.territorial[0, slot] == territorial
    assert len(records) == 12  # the listed territorial table is the only one: none added
    assert model.steps == 0 and model.month == 0

    code, _, err = cli("run", path, "--seed", "11", "--out", tmp_path / "out")
    assert code == 0, err
    tables = pd.read_parquet(tmp_path / "out" / "tables.parquet")
    assert {row[0] for row in TWELVE} <= set(tables["name"])


def test_members_are_drawn_in_the_tables_theme_first(tmp_path):
    inventory = write_inventory(tmp_path / "tables.csv", TWELVE[:1])
    base = load_scenario("baseline")
    model = ConcertationModel(inventory_scenario(base, read_inventory(inventory, base), "x"),
                              rng=2)
    seated = np.flatnonzero(model.store.membership[0, :, 0])
    organisations = seated[model.actors.kind[seated] <= ActorType.INSTITUTION]
    assert np.all(model.actors.theme[organisations] == 0)


def test_semicolons_and_decimal_commas_of_a_french_spreadsheet(cli, tmp_path):
    rows = [row[:8] + [row[8].replace(".", ",")] + row[9:] for row in TWELVE]
    inventory = write_inventory(tmp_path / "tables.csv", rows, delimiter=";")
    code, _, err = cli("scenario", "new", "fr", "--inventory", inventory, "--dir", tmp_path)
    assert code == 0, err
    tables = load_scenario(tmp_path / "fr.toml").initial.tables
    assert tables[3].meeting_hours == 2.5


def replaced(row_index: int, column: str, value: str) -> list[list[str]]:
    rows = [list(row) for row in TWELVE]
    rows[row_index][HEADER.index(column)] = value
    return rows


BAD_ROWS = {
    "unknown theme": (replaced(2, "theme", "sport"), "theme", "expected one of"),
    "year after the start": (replaced(3, "year_created", "2004"), "year_created",
                             "up to the run's start year 2000"),
    "year not a number": (replaced(3, "year_created", "mid-90s"), "year_created",
                          "whole number"),
    "year too early": (replaced(3, "year_created", "1066"), "year_created",
                       "greater than or equal to 1900"),
    "unknown initiator": (replaced(4, "initiated_by", "citizens"), "initiated_by",
                          "expected one of community, institution, programme, got 'citizens'"),
    "unknown funder": (replaced(5, "funder", "bank"), "funder", "scenario's funders"),
    "programme without funder": (replaced(1, "funder", ""), "funder",
                                 "funder that pays for a table initiated by a programme"),
    "more groups than exist": (replaced(6, "community_groups", "151"), "community_groups",
                               "at most the territory's 150"),
    "negative count": (replaced(6, "institutions", "-2"), "institutions", "whole number"),
    "fractional count": (replaced(6, "citizens", "1.5"), "citizens", "whole number"),
    "no organisation": (replaced(7, "community_groups", "0")[:7] + [
        ["Vide", "health", "1999", "institution", "", "0", "0", "3", "", ""]],
        "community_groups", "at least one member organisation"),
    "community table without groups": (replaced(0, "community_groups", "0"),
                                       "community_groups", "a community group initiated"),
    "institution table without institutions": (replaced(6, "institutions", "0"),
                                                "institutions", "an institution initiated"),
    "duplicate name": (replaced(5, "name", "Comité santé"), "name", "also on line 3"),
    "duplicate name but for case and spaces": (replaced(5, "name", " comité  SANTÉ "), "name",
                                               "also on line 3"),
    "empty name": (replaced(5, "name", ""), "name", "at least 1 character"),
    "two territorial tables": (replaced(0, "territorial", "yes"), "territorial",
                               "one territorial table at most"),
    "territorial not yes or no": (replaced(0, "territorial", "maybe"), "territorial",
                                  "yes or no"),
    "hours not a number": (replaced(0, "meeting_hours", "lots"), "meeting_hours",
                           "number of hours"),
    "hours zero": (replaced(0, "meeting_hours", "0"), "meeting_hours", "greater than 0"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_each_kind_of_bad_row_is_named_and_nothing_is_written(cli, tmp_path, case):
    rows, column, expected = BAD_ROWS[case]
    inventory = write_inventory(tmp_path / "tables.csv", rows)
    code, out, err = cli("scenario", "new", "bad", "--inventory", inventory, "--dir", tmp_path)
    assert code == 2, out
    assert "Traceback" not in err
    assert f"{inventory}, line " in err and f"column '{column}'" in err, err
    assert expected in err, err
    assert not (tmp_path / "bad.toml").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["tables.csv"]


def test_every_bad_row_is_reported_at_once(cli, tmp_path):
    rows = replaced(2, "theme", "sport")
    rows[8][HEADER.index("institutions")] = "many"
    inventory = write_inventory(tmp_path / "tables.csv", rows)
    code, _, err = cli("scenario", "new", "bad", "--inventory", inventory, "--dir", tmp_path)
    assert code == 2
    assert "line 4, column 'theme'" in err and "line 10, column 'institutions'" in err, err
    assert "2 problem(s); nothing written" in err


@pytest.mark.parametrize(("header", "rows", "expected"), [
    (HEADER[:-1] + ["territory"], TWELVE, "unknown column 'territory'"),
    ([h for h in HEADER if h != "theme"], [r[:1] + r[2:] for r in TWELVE],
     "missing column 'theme'"),
    (HEADER, [TWELVE[0][:5]], "5 cells, expected 10"),
    (HEADER, [], "no table rows"),
])
def test_bad_headers_and_shapes_are_refused(cli, tmp_path, header, rows, expected):
    inventory = write_inventory(tmp_path / "tables.csv", rows, header=header)
    code, _, err = cli("scenario", "new", "bad", "--inventory", inventory, "--dir", tmp_path)
    assert code == 2 and expected in err and "Traceback" not in err, err
    assert not (tmp_path / "bad.toml").exists()


def test_binary_or_missing_inventory_is_an_error_line(cli, tmp_path):
    binary = tmp_path / "tables.csv"
    binary.write_bytes(b"\xff\xfe\x00name")
    code, _, err = cli("scenario", "new", "bad", "--inventory", binary, "--dir", tmp_path)
    assert code == 2 and "save the CSV as 'CSV UTF-8'" in err
    code, _, err = cli("scenario", "new", "bad", "--inventory", tmp_path / "none.csv",
                       "--dir", tmp_path)
    assert code == 2 and "Cannot read inventory" in err


def test_hand_written_inventory_with_a_spinup_is_refused(cli, tmp_path):
    path = tmp_path / "mixed.toml"
    path.write_text('[initial]\nspinup_years = 5\n\n[[initial.tables]]\nname = "T"\n'
                    'theme = "health"\nyear_created = 1999\ninitiated_by = "community"\n'
                    'community_groups = 3\ninstitutions = 1\n', encoding="utf-8")
    code, _, err = cli("scenario", "check", path)
    assert code == 2 and "spinup_years must be 0" in err, err
    path.write_text(path.read_text().replace("spinup_years = 5", "spinup_years = 0")
                    + "territorial = true\n", encoding="utf-8")
    code, _, err = cli("scenario", "check", path)
    assert code == 2 and "initial.tables[0] ('T').territorial" in err, err


def test_the_windows_csv_of_a_french_excel_is_read(cli, tmp_path):
    inventory = write_inventory(tmp_path / "tables.csv", TWELVE, delimiter=";",
                                encoding="cp1252")
    code, _, err = cli("scenario", "new", "fr", "--inventory", inventory, "--dir", tmp_path)
    assert code == 0, err
    names = {table.name for table in load_scenario(tmp_path / "fr.toml").initial.tables}
    assert "Table des aînés" in names and "Comité santé" in names


def test_a_workbook_renamed_csv_is_told_to_be_exported(cli, tmp_path):
    workbook = tmp_path / "tables.csv"
    workbook.write_bytes(b"PK\x03\x04" + bytes(range(256)))
    code, _, err = cli("scenario", "new", "bad", "--inventory", workbook, "--dir", tmp_path)
    assert code == 2 and "an Excel workbook, not a CSV" in err and "'CSV UTF-8'" in err


def test_names_of_themes_and_funders_ignore_case_and_quoted_decimal_commas_are_read(cli,
                                                                                    tmp_path):
    rows = [[row[0], row[1].title(), *row[2:4], row[4].upper(), *row[5:8],
             row[8].replace(".", ","), row[9]] for row in TWELVE]
    inventory = write_inventory(tmp_path / "tables.csv", rows)  # commas: "2,5" is quoted
    code, _, err = cli("scenario", "new", "cased", "--inventory", inventory, "--dir", tmp_path)
    assert code == 0, err
    tables = load_scenario(tmp_path / "cased.toml").initial.tables
    assert {table.theme for table in tables} <= set(load_scenario("baseline").population.themes)
    assert [table.meeting_hours for table in tables if table.name == "Table logement"] == [2.5]


def test_what_the_inventory_changes_besides_its_tables_is_said(cli, tmp_path):
    inventory = write_inventory(tmp_path / "tables.csv", TWELVE)
    assert not load_scenario("programme_driven").integration.territorial_table
    code, out, err = cli("scenario", "new", "mine", "--from", "programme_driven",
                         "--inventory", inventory, "--dir", tmp_path)
    assert code == 0, err
    assert ("note: the inventory also set integration.territorial_table from False to True "
            "(the inventory lists a territorial table)") in out
    scenario = load_scenario(tmp_path / "mine.toml")
    assert scenario.described("en").startswith("Starts in 2000 from the 12 tables listed in "
                                               "tables.csv, then runs as 'programme_driven'")
    assert scenario.described("fr").startswith("Part en 2000 des 12 tables inscrites dans")


def test_an_inventory_of_today_starts_the_run_today(cli, tmp_path):
    rows = [row[:2] + ["2024"] + row[3:] for row in TWELVE]
    inventory = write_inventory(tmp_path / "tables.csv", rows)
    code, _, err = cli("scenario", "new", "late", "--inventory", inventory, "--dir", tmp_path)
    assert code == 2 and "pass --start-year to 'concertation scenario new'" in err
    code, _, err = cli("scenario", "new", "late", "--inventory", inventory, "--dir", tmp_path,
                       "--start-year", "2026")
    assert code == 0, err
    scenario = load_scenario(tmp_path / "late.toml")
    assert scenario.run.start_year == 2026 and len(scenario.initial.tables) == 12


def test_every_problem_of_a_row_and_of_the_file_is_told_at_once(cli, tmp_path):
    rows = [row[:] for row in TWELVE]
    rows[1][HEADER.index("year_created")] = "2035"  # and below: a programme without funder
    rows[1][HEADER.index("funder")] = ""
    rows[3][HEADER.index("meeting_hours")] = "trois"  # a bad cell ...
    rows[3][HEADER.index("name")] = "table jeunesse FAMILLE"  # ... and a duplicate name
    rows[4][HEADER.index("territorial")] = "oui"  # a second territorial table (line 11 is)
    rows[4][HEADER.index("institutions")] = "many"
    inventory = write_inventory(tmp_path / "tables.csv", rows)
    code, _, err = cli("scenario", "new", "bad", "--inventory", inventory, "--dir", tmp_path)
    assert code == 2
    for expected in ("line 3, column 'year_created'", "line 3, column 'funder'",
                     "line 5, column 'meeting_hours'", "line 5, column 'name'",
                     "line 6, column 'institutions'", "line 11, column 'territorial'"):
        assert expected in err, (expected, err)


def test_a_french_header_and_french_initiators_are_read(cli, tmp_path):
    """A planner in Quebec writes the columns in French, with accents and spaces as typed."""
    header = ["Nom", "Thème", "Année création", "Initiée par", "Bailleur",
              "Groupes communautaires", "Institutions", "Citoyens", "Heures réunion",
              "Territoriale"]
    words = {"community": "communautaire", "institution": "Institutionnelle",
             "programme": "programme"}
    rows = [row[:3] + [words[row[3]]] + row[4:9] + [{"yes": "oui", "no": "non"}.get(
        row[9], row[9])] for row in TWELVE]
    inventory = write_inventory(tmp_path / "tables.csv", rows, header=header, delimiter=";")
    code, _, err = cli("scenario", "new", "fr", "--inventory", inventory, "--dir", tmp_path)
    assert code == 0, err
    french = load_scenario(tmp_path / "fr.toml").initial.tables
    english = read_inventory(write_inventory(tmp_path / "en.csv", TWELVE), load_scenario(
        "baseline"))
    assert [table.model_dump() for table in french] == [table.model_dump() for table in english]
    assert [t.initiated_by for t in french[:4]] == ["community", "programme", "community",
                                                   "institution"]
    misspelt = write_inventory(tmp_path / "bad.csv", rows, header=["Nomm", *header[1:]],
                               delimiter=";")
    code, _, err = cli("scenario", "new", "bad", "--inventory", misspelt, "--dir", tmp_path)
    assert code != 0 and "unknown column 'nomm'" in err and "in French the columns are" in err
    assert not (tmp_path / "bad.toml").exists()
