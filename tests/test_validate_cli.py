"""`concertation validate` with a reduced replication count: the table, the report, the exit code."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyses.validation import patterns as validation
from concertation.cli import main


def test_validate_passes_and_writes_the_report(tmp_path: Path,
                                               capsys: pytest.CaptureFixture) -> None:
    assert main(["validate", "--replications", "8", "--workers", "2", "--out",
                 str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "7 of 7 patterns held" in printed
    text = (tmp_path / "validation.md").read_text(encoding="utf-8")
    for pattern in validation.PATTERNS:
        assert f"| {pattern} |" in text
    assert text.count("tests/test_patterns.py::test_p") == 7
    assert (tmp_path / "validation.png").stat().st_size > 10_000


def test_validate_exits_non_zero_when_a_pattern_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    def failing(runs, seeds):
        return validation.PatternResult(
            "P5", "size", "15-25", "40.0", False, "test",
            effects=[validation.Effect.between("size: measured minus target", [40.0, 42.0],
                                               [20.0, 20.0])])

    monkeypatch.setitem(validation.PATTERNS, "P5", (failing, lambda n: n))
    monkeypatch.setattr(validation, "PATTERNS", {"P5": validation.PATTERNS["P5"]})
    code = main(["validate", "--replications", "2", "--out", str(tmp_path / "v")])
    assert code == 1
    assert "failed: P5" in capsys.readouterr().out
    report = (tmp_path / "v" / "validation.md").read_text(encoding="utf-8")
    assert "| P5 | size: measured minus target | 21 [" in report


def held(runs, seeds):
    return validation.PatternResult("P5", "size", "15-25", "17.0", True, "test",
                                    {"mean": 17.0})


def test_too_few_replications_are_undecided_not_failed_and_docs_stay(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    """With 3 replications a one-sided Mann-Whitney test cannot reach p < 0.01 (its smallest p
    is 1/20): P7, which runs one seed per replication, is undecided and not run, the exit code
    says so, and the report goes to the results folder, not to docs/. P1 runs two seeds per
    replication (its power asks for them), so 3 replications decide it."""
    docs = Path(__file__).resolve().parents[1] / "docs" / "validation.md"
    before = docs.read_bytes()
    assert validation.replications_needed("P1") == 3
    monkeypatch.setattr(validation, "PATTERNS", {"P7": validation.PATTERNS["P7"],
                                                 "P5": (held, lambda n: n)})
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--replications", "3"]) == 3
    printed = capsys.readouterr().out
    needed = validation.replications_needed("P7")
    assert needed == validation.MANN_WHITNEY_MIN == 5
    assert f"not enough replications: needs >= {needed}" in printed
    assert "undecided (too few runs for the test; raise --replications): P7" in printed
    assert "failed" not in printed
    report = (tmp_path / "results" / "validation" / "validation.md").read_text(encoding="utf-8")
    assert "| P7 |" in report and "undecided" in report and "| P5 |" in report
    assert not (tmp_path / "docs").exists()
    assert docs.read_bytes() == before


def test_docs_flag_needs_the_docs_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--docs"]) == 2
    assert "not a folder here" in capsys.readouterr().err
    assert main(["validate", "--replications", "0"]) == 2
    assert "at least 1" in capsys.readouterr().err
