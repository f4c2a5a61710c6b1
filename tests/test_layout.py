"""The layout: what imports what, and a command line that starts fast.

The faces (`concertation/`: the command line and the app) sit on top of `analyses/` and
`simulation/`; nothing below imports them. `--version` and `--help` import no heavy module.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ["numpy", "pandas", "matplotlib", "mesa", "pydantic", "simulation", "solara", "dask",
         "SALib", "scipy", "pyarrow"]


def imported_modules(path: Path) -> set[str]:
    """Absolute names of the modules a source file imports (relative imports resolved)."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names.add(".".join([*base, *([node.module] if node.module else [])]))
            else:
                names.add(node.module or "")
    return names


@pytest.mark.parametrize("layer", ["simulation", "analyses", "scenarios"])
def test_nothing_below_the_faces_imports_them(layer: str) -> None:
    files = sorted((ROOT / layer).rglob("*.py"))
    assert files
    offenders = {str(path.relative_to(ROOT)): sorted(name for name in imported_modules(path)
                                                     if name.split(".")[0] == "concertation")
                 for path in files}
    assert not {path: names for path, names in offenders.items() if names}


def test_the_model_does_not_import_the_analyses() -> None:
    offenders = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "simulation").rglob("*.py"))
                 if any(name.split(".")[0] == "analyses" for name in imported_modules(path))]
    assert not offenders


def test_the_scan_sees_relative_imports() -> None:
    names = imported_modules(ROOT / "analyses" / "comparison" / "compare.py")
    assert "analyses.experiments.engines" in names and "simulation" in names


@pytest.mark.parametrize("package", ["analyses", "analyses.experiments", "analyses.sensitivity",
                                     "analyses.comparison", "analyses.validation",
                                     "concertation", "concertation.commands", "concertation.app",
                                     "scenarios"])
def test_every_package_says_what_it_holds(package: str) -> None:
    doc = importlib.import_module(package).__doc__
    assert doc and len(doc.split()) >= 10


def test_nothing_installs_under_a_generic_name() -> None:
    assert not (ROOT / "app").exists() and not (ROOT / "analyses" / "cli.py").exists()
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'concertation = "concertation.cli:main"' in text
    assert '"app*"' not in text


def test_version_and_help_load_no_heavy_module() -> None:
    probe = ("import json, sys\nfrom concertation.cli import build_parser, main\n"
             "build_parser().format_help()\n"
             "print(json.dumps(sorted(m for m in sys.modules)))")
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", probe], check=True,
                                           capture_output=True, text=True).stdout))
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_answer_well_under_a_second(option: str) -> None:
    script = Path(sys.executable).with_name("concertation")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "concertation"]
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        done = subprocess.run([*command, option], capture_output=True, text=True, timeout=30,
                              check=False)
        timings.append(time.perf_counter() - started)
        assert done.returncode == 0 and "concertation" in done.stdout
    assert min(timings) < 0.6, timings


def test_python_dash_m_concertation_is_the_command() -> None:
    done = subprocess.run([sys.executable, "-m", "concertation", "--version"],
                          capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0 and done.stdout.startswith("concertation ")
