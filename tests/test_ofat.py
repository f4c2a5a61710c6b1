"""The OFAT screen's logic on a few parameters, one seed and a short horizon.

The time cost of a seat (`participation.weight_time`) shapes who sits where within months, so
the screen must report it active. Two values that cannot enter the dynamics must come out
inert, bit for bit: the overlap threshold for merges in `baseline` (which never attempts a
merge: `integration.merge_rate` is 0 there), and the foundation's exit year in `funder_exit`
when both values tried fall after the (shortened) horizon.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analyses.sensitivity.ofat import (
    PLACEBO,
    Factor,
    Runner,
    all_factors,
    main,
    screen,
    select,
)
from simulation.scenario import ScenarioError

YEARS = 2


@pytest.fixture(scope="module")
def result() -> tuple[pd.DataFrame, pd.DataFrame]:
    factors = [
        select(["participation.weight_time"])[0],
        Factor("integration.merge_overlap", "baseline", 0.5, [0.25, 0.75]),
        Factor("funders.foundation.exit_year", "funder_exit", 10.0, [5.0, 15.0]),
    ]
    return screen(factors, seeds=[1], runner=Runner(years=YEARS), placebo=False)


def test_active_parameter_is_not_inert(result: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    summary, details = result
    row = summary.set_index("parameter").loc["participation.weight_time"]
    assert not row["inert"]
    values = details[details["parameter"] == "participation.weight_time"]
    assert list(values["value"]) == ["2.0", "6.0"]
    assert not values["identical"].any()


def test_parameter_that_cannot_act_is_inert(result: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    summary, details = result
    inert = summary.set_index("parameter")["inert"]
    assert inert["integration.merge_overlap"]
    # Years 5 and 15 both lie beyond a two-year horizon: no exit happens in any run.
    assert inert["funders.foundation.exit_year"]
    same = details[details["parameter"] != "participation.weight_time"]
    assert same["identical"].all()
    assert (same.select_dtypes("number").abs().to_numpy() == 0).all()


def test_every_schema_parameter_is_screened() -> None:
    paths = {factor.path for factor in all_factors()}
    assert {"participation.weight_time", "process.evaluation", "process.favourable_conditions",
            "programmes.design.table_mode", "funders.foundation.exit_year"} <= paths
    assert not any(path.startswith("run.") for path in paths)
    by_path = {factor.path: factor for factor in all_factors()}
    assert by_path["integration.merge_overlap"].scenario == "concertation_des_concertations"
    assert by_path["funders.foundation.exit_year"].scenario == "funder_exit"
    assert by_path["process.favourable_conditions"].values == [True]
    assert by_path["process.evaluation"].values == ["results", "process"]
    assert by_path["actors.power_imbalance"].values == [0.5]  # 1.5 is beyond its bound of 1
    assert by_path["programmes.last_launch_year"].values == [5.0, 10.0]  # unset by default


def test_bad_parameter_names_are_refused_clearly(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ScenarioError, match=r"Unknown OFAT parameter 'participation\.wieght_time'"
                       r".*did you mean participation\.weight_time"):
        select(["participation.wieght_time"])
    with pytest.raises(ScenarioError, match="Unknown OFAT parameter 'run.years'"):
        select(["run.years"])
    with pytest.raises(SystemExit):
        main(["--only", "no_such_parameter", "--out", "unused.md"])
    assert "Unknown OFAT parameter 'no_such_parameter'" in capsys.readouterr().err


def test_command_writes_markdown_and_csv(tmp_path: Path) -> None:
    out = tmp_path / "docs" / "ofat.md"
    assert main(["--seeds", "1", "--years", "1", "--only", "integration.merge_rate",
                 "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "| integration.merge_rate | baseline |" in text
    assert "--seeds 1 --years 1" in text
    summary = pd.read_csv(out.with_suffix(".csv"))
    assert list(summary["parameter"]) == ["integration.merge_rate", PLACEBO]
    assert (tmp_path / "docs" / "ofat_values.csv").exists()
