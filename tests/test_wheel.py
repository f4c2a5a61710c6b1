"""The wheel works outside the repository: built from a copy of the sources, installed in a
separate venv, and used from an empty folder (no repository anywhere on the path).

The new venv reaches the test venv's installed dependencies through a plain path entry (a
`.pth` line, which runs none of that folder's own `.pth` hooks, so the project's editable
install there stays invisible); the project itself comes only from the wheel. Everything is
offline: no build isolation, `--no-index`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IGNORE = shutil.ignore_patterns(".git", ".venv", "results", "build", "dist", "*.egg-info",
                                "__pycache__", ".pytest_cache", ".ruff_cache", "tests", "docs")


def _run(command: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=env, text=True,
                          capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, f"{command}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A fresh venv with the project's wheel installed; returns its bin folder and env."""
    base = tmp_path_factory.mktemp("wheel")
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP")}
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=IGNORE)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
          "--no-index", "-q", "-w", base / "dist", source], cwd=base, env=env)
    wheels = sorted((base / "dist").glob("concertation-*.whl"))
    assert len(wheels) == 1, wheels

    target = base / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                     cwd=base, env=env).strip())
    (site / "zz_test_venv_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run([python, "-m", "pip", "install", "--no-index", "--no-deps", "-q", wheels[0]],
         cwd=base, env=env)
    return target / "bin", env


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


@pytest.mark.slow
def test_the_wheel_ships_the_scenarios_and_experiments(installed, empty: Path) -> None:
    bin_dir, env = installed
    listed = _run([bin_dir / "concertation", "scenarios"], cwd=empty, env=env)
    for name in ("baseline", "programme_driven", "co_construction", "funder_exit",
                 "concertation_des_concertations", "les_moulins"):
        assert f"{name} " in listed
    where = _run([bin_dir / "python", "-c",
                  ("import simulation, analyses, concertation, scenarios\n"
                  "from simulation import ConcertationModel, available_scenarios\n"
                  "from analyses.experiments.experiment import EXPERIMENT_DIR\n"
                  "print(simulation.__file__, concertation.__file__, scenarios.__file__)\n"
                  "print(sorted(available_scenarios()), sorted(p.stem for p in "
                  "EXPERIMENT_DIR.glob('*.toml')))")], cwd=empty, env=env)
    assert str(ROOT) not in where and "site-packages" in where
    assert "'smoke'" in where and "'baseline'" in where


@pytest.mark.slow
def test_the_wheel_runs_and_sweeps_from_an_empty_folder(installed, empty: Path) -> None:
    bin_dir, env = installed
    out = _run([bin_dir / "concertation", "run", "baseline", "--years", "1", "--out", "x"],
               cwd=empty, env=env)
    assert "results in x" in out and (empty / "x" / "model.parquet").is_file()
    _run([bin_dir / "concertation", "sweep", "smoke", "--out", "y", "--workers", "2"],
         cwd=empty, env=env)
    assert len(list((empty / "y" / "runs").glob("*.parquet"))) == 8
    _run([bin_dir / "python", "-c", ("from simulation import ConcertationModel\n"
          "ConcertationModel(rng=0).step()")], cwd=empty, env=env)
    assert _run([bin_dir / "concertation", "--version"], cwd=empty, env=env).startswith(
        "concertation ")
