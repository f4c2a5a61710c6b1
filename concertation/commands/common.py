"""What every command shares: the input-error type, `--set` parsing, scenario loading and
the options common to `run` and `compare`. Standard library only at load time."""

from __future__ import annotations

import argparse
import re
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulation import Scenario


class UsageError(Exception):
    """A bad command line; reported like a ScenarioError."""


def _checked(text: str, convert: type, accept: Callable[[Any], bool], expected: str) -> Any:
    """An argparse value converted and checked, or a usage error saying what was expected."""
    try:
        value = convert(text)
    except ValueError:
        value = None
    if value is None or not accept(value):
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
    return value


def positive_int(text: str) -> int:
    return _checked(text, int, lambda value: value >= 1, "a positive integer")


def seed_int(text: str) -> int:
    """A random seed: NumPy takes non-negative integers; 2^32 - 1 bounds it like NetLogo's."""
    return _checked(text, int, lambda value: 0 <= value <= 2**32 - 1,
                    f"a seed from 0 to {2**32 - 1}")


def positive_seconds(text: str) -> float:
    return _checked(text, float, lambda value: 0 < value < float("inf"),
                    "a positive number of seconds")


def parse_assignments(items: Sequence[str]) -> dict[str, Any]:
    """`KEY=VALUE` strings to overrides; values are TOML literals, else plain strings."""
    overrides: dict[str, Any] = {}
    for item in items:
        key, sep, text = item.partition("=")
        key, text = key.strip(), text.strip()
        if not sep or not key:
            raise UsageError(f"--set expects KEY=VALUE (e.g. weight_time=1.5), got {item!r}")
        try:
            overrides[key] = tomllib.loads(f"v = {text}")["v"]
        except tomllib.TOMLDecodeError:
            overrides[key] = text
    return overrides


LABEL_LENGTH = 80


def scenario_label(name_or_path: str) -> str:
    """Short name for result folders and tables: the shipped name or the file's stem, made
    safe as a folder name (no separators, no leading dot, at most LABEL_LENGTH characters)."""
    stem = Path(name_or_path).stem
    safe = re.sub(r"[^\w.-]", "_", stem).lstrip(".")[:LABEL_LENGTH]
    return safe or "scenario"


def load(name_or_path: str, overrides: dict[str, Any], years: int | None) -> Scenario:
    """Load and validate a scenario with the command line's overrides."""
    from simulation import load_scenario

    if years is not None:
        overrides = overrides | {"run.years": years}
    return load_scenario(name_or_path, overrides or None)


def cpu_count() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--years", type=positive_int, metavar="Y",
                        help="override the scenario's run.years")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a parameter by dotted path or unambiguous name; "
                             "VALUE is a TOML literal (1.5, true, \"results\"); repeatable")
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet",
                        help="format of the record files (default: parquet)")
