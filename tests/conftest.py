"""Shared helpers for the command-line tests: calling `main` and watching an output folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from analyses.runs import mark_owned
from concertation.cli import main

Snapshot = dict[str, bytes]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run `concertation ARGS...` in-process; return (exit code, stdout, stderr)."""

    def invoke(*args: str | Path) -> tuple[int, str, str]:
        code = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def _snapshot(folder: Path) -> Snapshot:
    files = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    files |= {f"../{p.name}": b"" for p in folder.parent.iterdir()}
    return files


@pytest.fixture
def snapshot() -> Callable[[Path], Snapshot]:
    """Every file under a folder with its bytes, plus the names beside it (scratch folders)."""
    return _snapshot


@pytest.fixture
def earlier_results(tmp_path: Path) -> Path:
    """An output folder holding a sentinel and the results of an earlier `concertation run`
    (hence its marker)."""
    out = tmp_path / "out"
    mark_owned(out, "run")
    (out / "SENTINEL").write_text("keep me\n")
    (out / "model.parquet").write_bytes(b"earlier results, not to be overwritten\n")
    (out / "runs.parquet").write_bytes(b"earlier comparison\n")
    return out
