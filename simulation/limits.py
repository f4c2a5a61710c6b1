"""Limits on what one run may allocate, checked from the array shapes before anything is
allocated: a scenario with a billion actors, or tables multiplying without end, is refused
with a message naming the limit and how to raise it, instead of exhausting the machine.

The estimate is deliberately generous: measured peaks (tracemalloc, `baseline` and larger
territories, docs/performance.md) are 77-144 bytes per actor-slot pair and a few kB per
actor; the constants below are about 1.5x that.
"""

from __future__ import annotations

import os

MAX_RUN_GB_ENV = "CONCERTATION_MAX_RUN_GB"
DEFAULT_MAX_RUN_GB = 2.0
PAIR_BYTES = 200  # per actor and table slot: seats, utilities and other per-step temporaries
ACTOR_BYTES = 6000  # per actor: its Mesa agent, its arrays and its yearly records
PLANNING_SLOTS = 64  # table slots a territory reaches in a 20-year `baseline` run (54)


class RunLimitError(ValueError):
    """A run that would need more memory than the limit allows."""


def max_run_bytes() -> float:
    text = os.environ.get(MAX_RUN_GB_ENV)
    if text is None:
        return DEFAULT_MAX_RUN_GB * 1e9
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise RunLimitError(f"{MAX_RUN_GB_ENV} must be a positive number of GB, got {text!r}")
    return value * 1e9


def run_bytes(territories: int, actors: int, slots: int) -> float:
    """Estimated peak memory of one run with `actors` per territory and `slots` table slots."""
    return float(territories) * actors * (slots * PAIR_BYTES + ACTOR_BYTES)


def check_run_size(territories: int, actors: int, slots: int = PLANNING_SLOTS,
                   when: str = "") -> None:
    """Refuse a run whose estimated memory exceeds the limit."""
    needed, limit = run_bytes(territories, actors, slots), max_run_bytes()
    if needed > limit:
        raise RunLimitError(
            f"a run of {territories} territor{'y' if territories == 1 else 'ies'} x {actors} "
            f"actors x {slots} table slots{when} needs about {needed / 1e9:.3g} GB, above the "
            f"limit of {limit / 1e9:.3g} GB per run; reduce the population, or raise the limit "
            f"with the environment variable {MAX_RUN_GB_ENV} (in GB)")
