"""The sensitivity study pipeline, in its quick form: every stage runs and the report tells an
influential parameter from an inert one."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyses.sensitivity.study import parameter_levels
from concertation.cli import main


def test_quick_study_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    docs = tmp_path / "docs" / "sensitivity.md"
    assert main(["study", "--quick", "--workers", "2", "--out", str(tmp_path / "study"),
                 "--docs", str(docs)]) == 0
    text = docs.read_text(encoding="utf-8")
    for heading in ("How many replications", "One factor at a time", "Morris", "Sobol"):
        assert heading in text
    for figure in ("cv", "ofat", "morris", "sobol"):
        assert (docs.parent / "sensitivity" / f"{figure}.png").stat().st_size > 5_000
    ofat = text.split("## 2.")[1].split("## 3.")[0]
    rows = {line.split("|")[1].strip(): line for line in ofat.splitlines()
            if line.startswith(("| participation.", "| integration."))}
    inert = rows["integration.merge_overlap"].split("|")[2:-1]
    assert all(float(cell) == 0 for cell in inert), "merging is off in baseline: no effect"
    overall = float(rows["participation.weight_time"].split("|")[-2])
    assert overall > 2, "the price of time moves the indicators beyond noise"


def test_every_parameter_gets_levels_inside_its_range() -> None:
    levels = parameter_levels(5)
    assert len(levels) > 60
    assert levels["process.evaluation"] == ["results", "process", "none"] or set(
        levels["process.evaluation"]) == {"results", "process", "none"}
    assert levels["process.favourable_conditions"] == [False, True]
    assert all(0 <= v <= 1 for v in levels["programmes.design.prescription"])
    assert all(isinstance(v, int) and v >= 2 for v in levels["tables.min_members"])
